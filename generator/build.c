/* build: one build of the engine into a temporary folder beside the output, then the swap. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "render.h"
#include "source.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/timing.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/progress.h"
#include "util/xalloc.h"

/* Where an older satchel kept its image record beside the output. */
#define MANIFEST_IMAGES ".satchel-images"
/* In the cache folder (build_cache_dir): the image record (one line per image made, keyed by a
 * hash of the original), the dependency record of the pages (deps.h), and the stamp of the
 * output they describe. */
#define NAME_IMAGES "images"
#define NAME_PAGES "pages"
#define NAME_STAMP "output"

static char *resolve_path(const char *path);

/* Where an older satchel kept its records: beside the output folder, where `git add -A` took
 * them. ("/srv/www/hub", ".satchel-images") -> "/srv/www/.hub.satchel-images". */
static char *
beside_output(const char *outdir, const char *name)
{
	const char *slash = strrchr(outdir, '/');
	return slash ? xasprintf("%.*s/.%s%s", (int)(slash - outdir), outdir, slash + 1, name)
	             : xasprintf(".%s%s", outdir, name);
}

char *
build_cache_dir(const char *outdir, const char *cache_root)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *real = resolve_path(outdir), *dir = NULL;
	uint64_t h = 14695981039346656037u;
	if (real == NULL)
		return NULL;
	for (const char *p = real; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211u;
	}
	if (cache_root != NULL && cache_root[0] != '\0')
		dir = xasprintf("%s/builds/%016llx", cache_root, (unsigned long long)h);
	else if (xdg != NULL && xdg[0] == '/')
		dir = xasprintf("%s/satchel/builds/%016llx", xdg, (unsigned long long)h);
	else if (home != NULL && home[0] == '/')
		dir = xasprintf("%s/.cache/satchel/builds/%016llx", home, (unsigned long long)h);
	/* Private: the image record's keys are hashes of the uploaded originals. */
	if (dir != NULL && (fs_mkdir_p(dir) < 0 || chmod(dir, 0700) < 0)) {
		free(dir);
		dir = NULL;
	}
	free(real);
	return dir;
}

/* The output folder as it is now (device, inode, change time): a record in the cache folder
 * describes the output it was written with, and no other. A full build by anything else (an
 * older satchel, another user, another cache folder) swaps in a new folder, and an incremental
 * build then reuses nothing. The caller frees; NULL when there is no output. */
static char *
output_stamp(const char *outdir)
{
	struct stat st;
	if (lstat(outdir, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return xasprintf("%ju %ju %lld.%09ld\n", (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
	                 (long long)st.st_ctim.tv_sec, st.st_ctim.tv_nsec);
}

/* Is the record in cache (NAME_STAMP) about the output folder as it is now? */
static int
stamp_matches(const char *cache, const char *outdir)
{
	char *path = fs_join(cache, NAME_STAMP), *now = output_stamp(outdir);
	struct buf b = BUF_INIT;
	int same = now != NULL && fs_read_file(path, &b) == 0 && strcmp(buf_str(&b), now) == 0;
	buf_free(&b);
	free(now);
	free(path);
	return same;
}

/* Removes what builds that were stopped (killed, or ended by a template stuck in a library call)
 * left beside the output: folders named prefix* (".public.tmp.") that no build holds locked.
 * A flock(2) lock belongs to an open folder, not to a process id: it holds across PID
 * namespaces (two containers sharing the folder, each with its own process 7) and ends with
 * the process that took it, however it ended. Where locks are not to be had (some network
 * file systems), nothing is removed. */
static void
remove_stale_tmp(const char *parent, const char *prefix, const char *own)
{
	DIR *d = opendir(parent);
	struct dirent *e;
	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		char *path = fs_join(parent, e->d_name);
		int fd = strcmp(path, own) != 0 ? open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			fs_rm_rf(path);
		if (fd >= 0)
			close(fd);
		free(path);
	}
	if (d != NULL)
		closedir(d);
}

/* The absolute path that path names once its links are resolved, for a path that may not exist
 * yet: the real path of its longest existing part, then the rest as written. NULL when a "." or
 * ".." follows a missing folder (no telling where it leads). */
static char *
resolve_path(const char *path)
{
	char cwd[PATH_MAX];
	char *abs = path[0] == '/' ? xstrdup(path)
	                           : xasprintf("%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", path);
	char *real = NULL, *out = NULL;
	size_t n = strlen(abs);
	for (;;) {
		char c = abs[n];
		abs[n] = '\0';
		real = realpath(n ? abs : "/", NULL);
		abs[n] = c;
		if (real != NULL || n == 0)
			break;
		while (n > 0 && abs[n - 1] == '/')
			n--;
		while (n > 0 && abs[n - 1] != '/')
			n--;
	}
	const char *rest = abs + n;
	for (const char *p = rest; *p != '\0';) {
		size_t k = strcspn(p, "/");
		if ((k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
			goto out;
		p += k + (p[k] == '/');
	}
	while (*rest == '/')
		rest++;
	if (real != NULL)
		out = *rest == '\0' ? xstrdup(real)
		                     : xasprintf("%s%s%s", real, strcmp(real, "/") ? "/" : "", rest);
	if (out != NULL)
		for (size_t k = strlen(out); k > 1 && out[k - 1] == '/'; k--)
			out[k - 1] = '\0';
out:
	free(real);
	free(abs);
	return out;
}

/* Is the real path p the folder dir or inside it? */
static int
path_within(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (strcmp(dir, "/") == 0)
		return 1;
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

/* A build replaces its output folder whole, so the folder must be one satchel made: one that
 * holds the marker, an empty or missing one, or the site's own public/. Never the site folder,
 * a folder that holds it, another folder inside it, or the repository's git folder. 0, or -1
 * after saying why. */
static int
check_outdir(const char *outdir, struct source *src)
{
	const char *site = source_site_dir(src);
	char *real = resolve_path(outdir), *git = source_git_dir(src);
	char *site_public = site ? xasprintf("%s/public", site) : NULL, *marker = NULL;
	struct stat st;
	int rc = -1;

	if (lstat(outdir, &st) == 0 && S_ISLNK(st.st_mode)) {
		diag_error(outdir, 0, 0, "the output folder is a symbolic link; give the folder itself");
		goto out;
	}
	if (real == NULL) {
		diag_error(outdir, 0, 0, "the output folder's path has . or .. after a folder that "
		                         "does not exist");
		goto out;
	}
	if (site != NULL && path_within(site, real)) {
		diag_error(outdir, 0, 0, "the output folder is the site folder or holds it (%s); a "
		                         "build replaces its output whole", site);
		goto out;
	}
	if (site != NULL && path_within(real, site) && strcmp(real, site_public) != 0) {
		diag_error(outdir, 0, 0, "the output folder is inside the site folder; the output goes "
		                         "to the site's public/ or outside the site");
		goto out;
	}
	if (git != NULL && (path_within(git, real) || path_within(real, git))) {
		diag_error(outdir, 0, 0, "the output folder is or holds the git folder %s", git);
		goto out;
	}
	if (stat(real, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			diag_error(outdir, 0, 0, "the output folder is not a folder");
			goto out;
		}
		marker = fs_join(real, SOURCE_OUTPUT_MARKER);
		DIR *d = opendir(real);
		struct dirent *e;
		int empty = d != NULL;
		while (d != NULL && empty && (e = readdir(d)) != NULL)
			empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
		if (d != NULL)
			closedir(d);
		if (!empty && !fs_exists(marker) && (site_public == NULL || strcmp(real, site_public) != 0)) {
			diag_error(outdir, 0, 0, "the output folder holds files satchel did not make (it "
			                         "has no %s); a build would delete them: empty it or "
			                         "choose another folder", SOURCE_OUTPUT_MARKER);
			goto out;
		}
	}
	rc = 0;
out:
	free(marker);
	free(site_public);
	free(git);
	free(real);
	return rc;
}

/* Makes the folder this build renders into, beside the output and named ".OUT.tmp.XXXXXX" by
 * mkdtemp (unique whatever the process ids), locked for the build's life (*lock: close it at
 * the end; -1 where the file system has no locks), with the output marker in it, and clears
 * stale ones. The parent folder's lock makes "create, then lock" one step as another build's
 * clearing sees it. The folder's path, or NULL after reporting. */
static char *
make_tmpdir(const char *outdir, int *lock)
{
	static const char note[] = "made by satchel build; a build replaces this folder whole\n";
	const char *slash = strrchr(outdir, '/');
	char *parent = slash ? xstrndup(outdir, slash == outdir ? 1 : (size_t)(slash - outdir))
	                     : xstrdup(".");
	char *prefix = xasprintf(".%s.tmp.", slash ? slash + 1 : outdir);
	char *path = xasprintf("%s/%sXXXXXX", parent, prefix), *marker = NULL;
	int pfd;
	mode_t mask;

	*lock = -1;
	if (fs_mkdir_p(parent) < 0 ||
	    (pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(parent, 0, 0, "cannot open the folder for the output: %s", strerror(errno));
		goto fail;
	}
	while (flock(pfd, LOCK_EX) < 0 && errno == EINTR)
		;
	if (mkdtemp(path) == NULL) {
		diag_error(path, 0, 0, "cannot create: %s", strerror(errno));
		close(pfd);
		goto fail;
	}
	if ((*lock = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
		flock(*lock, LOCK_EX | LOCK_NB); /* if it fails, no one can take it either */
	remove_stale_tmp(parent, prefix, path);
	close(pfd); /* and with it the parent's lock */
	/* mkdtemp makes it 0700; a web server must read the output. */
	mask = umask(0);
	umask(mask);
	marker = fs_join(path, SOURCE_OUTPUT_MARKER);
	if (chmod(path, 0755 & ~mask) < 0 || fs_write_file(marker, note, sizeof note - 1) < 0) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
		fs_rm_rf(path);
		goto fail;
	}
	free(marker);
	free(prefix);
	free(parent);
	return path;
fail:
	if (*lock >= 0)
		close(*lock);
	*lock = -1;
	free(marker);
	free(path);
	free(prefix);
	free(parent);
	return NULL;
}

/* Puts the finished tmpdir in place of outdir in one step, so that a reader (or a build at the
 * same time) sees the old output or the new one, never a part of either. The old output is left
 * at tmpdir's path. 0, or -1 after reporting. */
static int
swap_in(const char *tmpdir, const char *outdir)
{
	for (int tries = 0; tries < 3; tries++) {
		if (renameat2(AT_FDCWD, tmpdir, AT_FDCWD, outdir, RENAME_EXCHANGE) == 0)
			return 0;
		if (errno == ENOENT) { /* no output yet; unless another build makes it meanwhile */
			if (renameat2(AT_FDCWD, tmpdir, AT_FDCWD, outdir, RENAME_NOREPLACE) == 0)
				return 0;
			if (errno == EEXIST || errno == ENOTEMPTY)
				continue;
		}
		if (errno != EINVAL && errno != ENOSYS)
			break;
		/* A file system without the exchange: two renames. */
		char *old = xasprintf("%s.old", tmpdir);
		int ok = (rename(outdir, old) == 0 || errno == ENOENT) && rename(tmpdir, outdir) == 0;
		if (ok && fs_is_dir(old))
			rename(old, tmpdir);
		free(old);
		if (ok)
			return 0;
		break;
	}
	diag_error(outdir, 0, 0, "cannot replace: %s", strerror(errno));
	return -1;
}


static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
build_run(const struct build_opts *o)
{
	double t0 = now();
	struct engine *e = NULL;
	char *outdir = NULL, *tmpdir = NULL;
	char *manifest = NULL, *manifest_new = NULL, *images_path = NULL, *cache = NULL;
	struct buf prev_images = BUF_INIT, prev_text = BUF_INIT;
	struct deps prev = DEPS_INIT, record = DEPS_INIT;
	struct engine_build b = {0};
	int rc = 1, lock = -1;
	size_t lines_before = diag_error_lines();
	struct progress *progress = progress_new(o->quiet);
	if (o->timings)
		timing_start(o->nthreads > 0 ? o->nthreads : pool_default_threads());

	struct engine_opts eo = {o->site_dir, NULL, o->nthreads, o->drafts, o->quiet};
	struct engine_source_opts so = {o->ref, o->repo, o->cache_dir, o->subdir, o->check, 1};
	e = engine_new_from(&eo, &so);
	if (engine_open(e) < 0)
		goto out;
	struct source *src = engine_source(e);

	/* The output is checked before anything is read or written: a build replaces it whole. */
	if (o->outdir != NULL)
		outdir = xstrdup(o->outdir);
	else if (o->repo != NULL)
		outdir = xstrdup("public");
	else
		outdir = fs_join(o->site_dir ? o->site_dir : ".", "public");
	size_t ol = strlen(outdir);
	while (ol > 1 && outdir[ol - 1] == '/')
		outdir[--ol] = '\0';
	if (check_outdir(outdir, src) < 0)
		goto out;

	/* Render beside the output folder, so the final rename stays on one file system. */
	if ((tmpdir = make_tmpdir(outdir, &lock)) == NULL)
		goto out;
	/* Without a cache folder a build still works: it makes every image and page again. */
	if ((cache = build_cache_dir(outdir, o->cache_dir)) != NULL) {
		images_path = fs_join(cache, NAME_IMAGES);
		manifest = fs_join(cache, NAME_PAGES);
	}
	int have = fs_is_dir(outdir);
	b.dir = tmpdir;
	b.prev_dir = have ? outdir : NULL;
	b.check_links = 1;
	b.progress = progress;
	b.image_cache = have && images_path != NULL && fs_read_file(images_path, &prev_images) == 0
	                    ? buf_str(&prev_images) : NULL;
	if (o->incremental) {
		if (have && manifest != NULL && stamp_matches(cache, outdir) &&
		    fs_read_file(manifest, &prev_text) == 0)
			deps_load(&prev, prev_text.data, prev_text.len);
		b.prev = &prev;
		b.record = &record;
	}
	timing_mark("build start");
	int built = engine_build(e, &b);
	if (b.image_record.len > 0 && images_path != NULL) {
		/* A cache that cannot be written is no error: images are made again next time. */
		char *tmp = xasprintf("%s.new", images_path);
		if (fs_write_file(tmp, b.image_record.data, b.image_record.len) < 0 ||
		    rename(tmp, images_path) < 0)
			unlink(tmp);
		free(tmp);
	}
	if (built < 0)
		goto out;
	if (o->check) {
		rc = 0; /* checked: the output is thrown away below */
		goto out;
	}

	/* The pages' record goes to the cache folder before the output is published; the old one
	 * is removed first, so that a build stopped before the new one is in place leaves none (the
	 * next incremental build is then a full one) rather than one describing another output. */
	if (o->incremental && manifest != NULL) {
		manifest_new = xasprintf("%s.new", manifest);
		struct buf text = BUF_INIT;
		deps_save(&record, &text);
		if (fs_write_file(manifest_new, buf_str(&text), text.len) < 0) {
			unlink(manifest_new);
			free(manifest_new);
			manifest_new = NULL;
		}
		buf_free(&text);
	}
	if (manifest != NULL)
		unlink(manifest);
	timing_mark("records");
	if (swap_in(tmpdir, outdir) < 0)
		goto out;
	fs_rm_rf(tmpdir); /* the old output, if there was one */
	if (manifest_new != NULL) {
		char *stamp = output_stamp(outdir), *stamp_path = fs_join(cache, NAME_STAMP);
		if (stamp == NULL || fs_write_file(stamp_path, stamp, strlen(stamp)) < 0 ||
		    rename(manifest_new, manifest) < 0)
			unlink(manifest_new);
		free(stamp_path);
		free(stamp);
	}
	/* An older satchel's records beside the output: the cache folder holds them now. */
	for (size_t k = 0; k < 2; k++) {
		char *old = beside_output(outdir, k ? RENDER_MANIFEST : MANIFEST_IMAGES);
		unlink(old);
		free(old);
	}
	timing_mark("swap");

	progress_free(progress); /* the line is cleared before the summary */
	progress = NULL;

	if (!o->quiet) {
		struct buf line = BUF_INIT;
		size_t total = 0;
		for (size_t l = 0; l < b.npages_langs; l++)
			total += b.pages[l];
		buf_printf(&line, "satchel: %zu pages (%s), %zu files in %.2f s from %s -> %s", total,
		           b.per_lang, b.files, now() - t0, source_describe(src), outdir);
		if (o->incremental)
			buf_printf(&line, " (%zu pages unchanged, reused)", b.reused);
		buf_putc(&line, '\n');
		fputs(buf_str(&line), stdout);
		buf_free(&line);
	}
	rc = 0;
out:
	progress_free(progress);
	if (o->timings && !o->check) {
		fflush(stdout);
		timing_report(stderr);
	}
	if (o->check) {
		if (tmpdir != NULL)
			fs_rm_rf(tmpdir);
	} else if (rc != 0) {
		if (tmpdir != NULL)
			fs_rm_rf(tmpdir);
		/* The errors printed: one repeated word for word is printed once. */
		size_t n = diag_error_lines() - lines_before;
		fprintf(stderr, "satchel: build failed with %zu error%s; %s left as it was\n", n,
		        n == 1 ? "" : "s", outdir ? outdir : "the output folder");
	}
	if (lock >= 0)
		close(lock);
	if (rc != 0 && manifest_new != NULL)
		unlink(manifest_new);
	free(manifest_new);
	free(manifest);
	free(images_path);
	free(cache);
	buf_free(&prev_images);
	buf_free(&prev_text);
	deps_free(&prev);
	deps_free(&record);
	buf_free(&b.image_record);
	free(b.pages);
	free(b.per_lang);
	free(outdir);
	free(tmpdir);
	engine_free(e);
	return rc;
}
