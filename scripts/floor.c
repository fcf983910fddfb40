/* floor: the least a build of a site could cost on this machine, for scripts/bench.sh (issue 16:
 * "within 2x of a floor you measure: the cmark-gfm pass alone plus writing the same bytes").
 *
 *   build/floor CONTENT OUTPUT SCRATCH [THREADS]
 *
 * Two timed passes over data already in memory, each on THREADS threads (default 2):
 *  1. Markdown: every .md file under CONTENT parsed and rendered to HTML by cmark-gfm with the
 *     extensions satchel attaches (table, strikethrough, autolink, tasklist, tagfilter;
 *     footnotes). cmark-gfm 0.29 turns its extensions' trigger characters on and off in a
 *     global table during inline parsing, so cmark_parser_finish runs one thread at a time, as
 *     it must in satchel (markdown.c).
 *  2. Writing: every file of OUTPUT (a finished satchel build) written again under SCRATCH,
 *     folders made as needed, one open/write/close a file as satchel does.
 * Reading the inputs is not timed. Prints each pass's wall and CPU seconds and their sum;
 * SCRATCH must not exist (it is made, and removed by the caller). */
#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct file {
	char *path; /* relative to the root it was read from */
	char *data;
	size_t len;
};

static struct file *files;
static size_t nfiles, capfiles;
static const char *root;
static size_t rootlen;
static int want_md;
static size_t total_bytes;

static void
die(const char *what, const char *path)
{
	fprintf(stderr, "floor: %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static int
collect(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_F)
		return 0;
	size_t n = strlen(path);
	if (want_md && (n < 3 || strcmp(path + n - 3, ".md") != 0))
		return 0;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		die("cannot read", path);
	char *data = malloc((size_t)st->st_size + 1);
	size_t got = fread(data, 1, (size_t)st->st_size, f);
	fclose(f);
	data[got] = '\0';
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 4096;
		files = realloc(files, capfiles * sizeof *files);
	}
	files[nfiles++] = (struct file){strdup(path + rootlen), data, got};
	total_bytes += got;
	return 0;
}

static void
load(const char *dir, int md)
{
	nfiles = 0;
	total_bytes = 0;
	root = dir;
	rootlen = strlen(dir);
	want_md = md;
	if (nftw(dir, collect, 64, FTW_PHYS) != 0)
		die("cannot walk", dir);
}

static double
now(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static atomic_size_t next;
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *scratch;
static atomic_size_t out_bytes;

static void *
markdown_worker(void *arg)
{
	(void)arg;
	static const char *const names[] = {"table", "strikethrough", "autolink", "tasklist", "tagfilter"};
	size_t i;
	while ((i = atomic_fetch_add(&next, 1)) < nfiles) {
		cmark_parser *p = cmark_parser_new(CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8);
		for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
			cmark_syntax_extension *e = cmark_find_syntax_extension(names[k]);
			if (e != NULL)
				cmark_parser_attach_syntax_extension(p, e);
		}
		cmark_parser_feed(p, files[i].data, files[i].len);
		pthread_mutex_lock(&inline_lock);
		cmark_node *doc = cmark_parser_finish(p);
		pthread_mutex_unlock(&inline_lock);
		char *html = cmark_render_html(doc, CMARK_OPT_FOOTNOTES, cmark_parser_get_syntax_extensions(p));
		atomic_fetch_add(&out_bytes, strlen(html));
		free(html);
		cmark_node_free(doc);
		cmark_parser_free(p);
	}
	return NULL;
}

static void
mkparents(char *path)
{
	for (char *s = strchr(path + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("cannot make", path);
		*s = '/';
	}
}

static void *
write_worker(void *arg)
{
	(void)arg;
	size_t i;
	char path[4096];
	while ((i = atomic_fetch_add(&next, 1)) < nfiles) {
		snprintf(path, sizeof path, "%s%s", scratch, files[i].path);
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 && errno == ENOENT) {
			mkparents(path);
			fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		}
		if (fd < 0)
			die("cannot write", path);
		for (size_t off = 0; off < files[i].len;) {
			ssize_t n = write(fd, files[i].data + off, files[i].len - off);
			if (n < 0 && errno != EINTR)
				die("cannot write", path);
			off += n > 0 ? (size_t)n : 0;
		}
		close(fd);
	}
	return NULL;
}

/* Runs fn on nthreads threads over files; prints the pass's wall and CPU seconds. */
static double
pass(const char *name, void *(*fn)(void *), int nthreads, double *cpu)
{
	pthread_t t[64];
	atomic_store(&next, 0);
	double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	for (int k = 0; k < nthreads; k++)
		pthread_create(&t[k], NULL, fn, NULL);
	for (int k = 0; k < nthreads; k++)
		pthread_join(t[k], NULL);
	double wall = now(CLOCK_MONOTONIC) - w0;
	*cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
	printf("floor: %-10s %6zu files %8.1f MB  %6.2f s wall %6.2f s cpu\n", name, nfiles,
	       (double)total_bytes / 1e6, wall, *cpu);
	return wall;
}

static void
free_files(void)
{
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].data);
	}
	nfiles = 0;
}

int
main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: floor CONTENT OUTPUT SCRATCH [THREADS]\n");
		return 2;
	}
	int nthreads = argc == 5 ? atoi(argv[4]) : 2;
	if (nthreads < 1 || nthreads > 64)
		nthreads = 2;
	cmark_gfm_core_extensions_ensure_registered();
	double cpu_md, cpu_wr;
	load(argv[1], 1);
	double md = pass("markdown", markdown_worker, nthreads, &cpu_md);
	free_files();
	load(argv[2], 0);
	scratch = argv[3];
	if (mkdir(scratch, 0755) < 0)
		die("cannot make", scratch);
	sync();
	double wr = pass("write", write_worker, nthreads, &cpu_wr);
	free_files();
	free(files);
	printf("floor: total      %.2f s wall %.2f s cpu (%d threads)\n", md + wr, cpu_md + cpu_wr,
	       nthreads);
	return 0;
}
