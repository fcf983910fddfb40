/* serve: `satchel serve`, the preview an editor keeps open. Builds the site, drafts published,
 * into a private folder outside it; serves that folder over HTTP with libmicrohttpd (loopback
 * unless told otherwise); watches the site with inotify and rebuilds after a save; and tells
 * open pages, through server-sent events, to reload or to show the build's errors over the
 * page. Owns HTTP (which file a URL names, media types, 404 pages, the reload endpoint), the
 * watching and the terminal lines; what a rebuild does is the engine's (the stand-in below).
 * Only this file includes libmicrohttpd. */
#include "serve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <linux/magic.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "cmsapi.h"
#include "filetype.h"
#include "i18n.h"
#include "image.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/xalloc.h"
#include "urlbase.h"

#define DEFAULT_PORT SERVE_PORT
#define PORT_TRIES SERVE_PORT_TRIES
#define QUIET_MS 30       /* a save (vim's probe, backup, write, rename) is over after this long */
#define MAX_WAIT_MS 400   /* ... or this long after its first event, when events keep coming */
#define KEEPALIVE_S 15    /* an idle event stream sends a comment this often */
#define MAX_CHANGED_SENT 2000 /* beyond this, pages are told "everything changed" */
#define MAX_MESSAGES_SENT 200
#define MEMORY_SLACK (256ULL << 20) /* a memory base keeps this much room beyond 4x the site */
#define SCRIPT_URL "/_satchel/reload.js"
#define EVENTS_URL "/_satchel/events"
#define API_URL "/api/v1" /* the browser editor's local backend, under the site's base path */


struct watch {
	int wd;
	char *rel; /* the folder below the site ("" for the site itself); NULL: a git folder */
	char *abs; /* a git folder's path */
	int refs;  /* a folder of refs/heads: any ref moving there is a commit */
};

struct server {
	/* options */
	const char *site_dir;
	const char *bind;
	int port, port_given, nthreads, quiet;
	/* the private folder: priv/.lock is held while we run; priv/site is the output */
	char *priv, *outdir;
	int lock_fd;
	int in_memory; /* the private folder is on a memory file system */
	char *script; /* the reload script's file, in the default theme; NULL: live reload is off */
	int listen_fd, v6, loopback, bound_port;
	char url[128];
	char host_ok[4][80]; /* Host headers answered when bound to loopback (DNS rebinding) */
	struct MHD_Daemon *daemon;
	struct engine *eng;
	/* the editor's backend: one request at a time, never while a rebuild runs, so that a save
	 * (its files and its commit) is seen whole by the next rebuild */
	struct cmsapi *api;
	pthread_mutex_t edit;
	/* live state, shared with the HTTP threads */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned long seq;  /* build events so far */
	char *event;        /* the last build's event, "event: build\ndata: {...}\n\n" */
	char *token;        /* "INSTANCE-N": the output now served; NULL before a good build */
	char *base;         /* the served site's base path (urlbase.h): its pages are under it */
	char instance[24];
	unsigned long good; /* good builds so far */
	int stopping;
	/* watching */
	int ifd;
	char *root; /* the site folder, absolute */
	struct watch *watches;
	size_t nwatches, capwatches;
	struct map pending; /* path -> flags (1 seen, 2 created during this burst) */
	char **order;       /* pending's keys in the order they came */
	size_t norder, caporder;
	int all;            /* a change the paths cannot describe (git, a folder gone, overflow) */
	int warned_limit;
	struct map warned; /* warnings already printed */
};

static atomic_int stop_requested, building;
static int wake_pipe[2] = {-1, -1};
static const char *volatile priv_for_signal; /* removed by a second Ctrl-C during a build */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the private folder ---- */

/* Removes the private folders of servers that are gone (killed, or a second Ctrl-C during a
 * build): theirs is a lock file no process holds. */
static void
sweep_stale(const char *base)
{
	DIR *d = opendir(base);
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, "satchel-serve-", 14) != 0)
			continue;
		char *dir = fs_join(base, de->d_name);
		struct stat st;
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == getuid()) {
			char *lock = fs_join(dir, ".lock");
			int fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
				fs_rm_rf(dir);
			if (fd >= 0)
				close(fd);
			free(lock);
		}
		free(dir);
	}
	closedir(d);
}

/* Is dir an absolute folder on a memory file system (tmpfs) that we can make folders in? */
static int
is_memory_dir(const char *dir)
{
	struct statfs fs;
	return dir != NULL && dir[0] == '/' && statfs(dir, &fs) == 0 &&
	       (unsigned long)fs.f_type == (unsigned long)TMPFS_MAGIC && fs_is_dir(dir) &&
	       access(dir, W_OK | X_OK) == 0;
}

struct size_ctx {
	const char *root;
	uint64_t total;
};

static int
add_size(const char *rel, void *payload)
{
	struct size_ctx *c = payload;
	char *p = fs_join(c->root, rel);
	struct stat st;
	if (stat(p, &st) == 0)
		c->total += (uint64_t)st.st_size;
	free(p);
	return 0;
}

/* The bytes of the site's content/ and static/ files: what the output grows with. */
static uint64_t
site_bytes(const char *site)
{
	uint64_t total = 0;
	static const char *const dirs[] = {"content", "static"};
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		struct size_ctx c = {fs_join(site, dirs[i]), 0};
		fs_walk(c.root, add_size, &c);
		total += c.total;
		free((char *)c.root);
	}
	return total;
}

/* Where the private folder goes: $TMPDIR when set (the user chose; there it is, memory or
 * disk), else a memory file system with room for the output (pages are many small files,
 * and making them is far cheaper in tmpfs than on a disk's file system): $XDG_RUNTIME_DIR,
 * then /dev/shm; else /tmp. *memory says whether the folder is in memory. */
static const char *
private_base(const char *site, int *memory)
{
	const char *base = getenv("TMPDIR");
	if (base != NULL && base[0] == '/') {
		*memory = is_memory_dir(base);
		return base;
	}
	const char *cands[] = {getenv("XDG_RUNTIME_DIR"), "/dev/shm"};
	const char *full = NULL;
	uint64_t need = 0, free_bytes = 0;
	int sized = 0;
	for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
		if (!is_memory_dir(cands[i]))
			continue;
		if (!sized) {
			need = 4 * site_bytes(site) + MEMORY_SLACK;
			sized = 1;
		}
		struct statvfs vfs;
		if (statvfs(cands[i], &vfs) < 0)
			continue;
		uint64_t avail = (uint64_t)vfs.f_bavail * vfs.f_frsize;
		if (avail >= need) {
			*memory = 1;
			return cands[i];
		}
		if (full == NULL) {
			full = cands[i];
			free_bytes = avail;
		}
	}
	if (full != NULL)
		printf("satchel serve: not enough memory for the output in %s (%llu MiB free, %llu MiB "
		       "needed); building on disk in /tmp\n",
		       full, (unsigned long long)(free_bytes >> 20), (unsigned long long)(need >> 20));
	*memory = 0;
	return "/tmp";
}

/* The first save that changes more than a body builds a second model beside the one kept,
 * in memory the process has never touched: a fault for each page of it (a second at 10,000
 * pages, in a virtual machine). Touched once now, while the editor opens the browser, and
 * kept (M_TRIM_THRESHOLD), it is ready for that run: about as much again as the first build
 * left resident, in each thread's arena, in blocks malloc takes from the arena (not mapped
 * alone, which would go back when freed). */
static size_t warm_bytes;

static void
warm_one(size_t i, int worker, void *payload)
{
	enum { BLOCK = 1 << 20 };
	size_t n = warm_bytes / BLOCK;
	char **blocks = xcalloc(n + 1, sizeof *blocks);
	(void)i, (void)worker, (void)payload;
	for (size_t k = 0; k < n; k++) {
		blocks[k] = xmalloc(BLOCK);
		memset(blocks[k], 0, BLOCK);
	}
	for (size_t k = 0; k < n; k++)
		free(blocks[k]);
	free(blocks);
}

static void
warm_memory(int nthreads)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f == NULL)
		return;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(f);
	int n = nthreads > 0 ? nthreads : pool_default_threads();
	warm_bytes = (size_t)resident * (size_t)sysconf(_SC_PAGESIZE) / (size_t)n;
	pool_run((size_t)n, n, warm_one, NULL);
}

static int
make_private(struct server *sv)
{
	const char *base = private_base(sv->root, &sv->in_memory);
	sweep_stale(base);
	char *tmpl = xasprintf("%s/satchel-serve-XXXXXX", base);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "satchel serve: cannot make a private folder in %s: %s\n", base,
		        strerror(errno));
		free(tmpl);
		return -1;
	}
	sv->priv = tmpl;
	char *lock = fs_join(tmpl, ".lock");
	sv->lock_fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	free(lock);
	if (sv->lock_fd < 0 || flock(sv->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		fprintf(stderr, "satchel serve: cannot lock %s: %s\n", tmpl, strerror(errno));
		return -1;
	}
	sv->outdir = fs_join(tmpl, "site");
	priv_for_signal = sv->priv;
	return 0;
}

/* ---- live state: what the event stream tells pages ---- */

/* A list of paths as a JSON array, or null (every page reloads) past MAX_CHANGED_SENT. */
static void
add_json_paths(struct buf *b, const char *const *paths, size_t n)
{
	if (n > MAX_CHANGED_SENT) {
		buf_puts(b, "null");
		return;
	}
	buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, i ? ",\"" : "\"");
		buf_add_json_escaped(b, paths[i], strlen(paths[i]));
		buf_putc(b, '"');
	}
	buf_putc(b, ']');
}

/* After a build that ran out of room, what to do about it (the caller frees); else NULL. The
 * engine names each file it could not write; this says where the room is and how to get more. */
static char *
full_hint(const struct server *sv, int ok, const struct diag_msg *m, size_t nm)
{
	const char *nospace = strerror(ENOSPC);
	for (size_t i = 0; !ok && i < nm; i++)
		if (m[i].error && strstr(m[i].text, nospace) != NULL)
			return xasprintf("%s is full%s; free some room, or start satchel serve again with "
			                 "TMPDIR set to a folder on disk with room to build there",
			                 sv->priv, sv->in_memory ? " (it is in memory)" : "");
	return NULL;
}

/* Prints and publishes the outcome of one build: a line in the terminal (what changed, how
 * long, ok or the errors as `file:line:col: error: message`) and an event for the pages.
 * saved: the site's files whose saves the build took in (also when it looked at everything). */
static void
announce(struct server *sv, int ok, double secs, char **paths, size_t npaths, int first,
         char **saved, size_t nsaved)
{
	size_t nm = 0, nch = 0;
	const struct diag_msg *m = engine_messages(sv->eng, &nm);
	const char *const *ch = engine_changed(sv->eng, &nch);
	size_t nerr = 0;
	for (size_t i = 0; i < nm; i++)
		nerr += ok ? 0 : m[i].error;

	/* The terminal. */
	struct buf line = BUF_INIT;
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char clock[16];
	strftime(clock, sizeof clock, "%H:%M:%S", &tm);
	buf_printf(&line, "%s ", clock);
	if (first)
		buf_puts(&line, "first build");
	else if (paths == NULL || npaths == 0)
		buf_puts(&line, "everything");
	else {
		buf_puts(&line, paths[0]);
		if (npaths > 1)
			buf_printf(&line, " and %zu more", npaths - 1);
	}
	if (ok)
		buf_printf(&line, ": ok in %.2f s", secs);
	else
		buf_printf(&line, ": %zu error%s in %.2f s%s", nerr ? nerr : 1, nerr == 1 ? "" : "s",
		           secs, sv->token ? " (still serving the last good build)" : "");
	buf_putc(&line, '\n');
	for (size_t i = 0; i < nm; i++) {
		int err = !ok && m[i].error;
		struct buf one = BUF_INIT;
		if (m[i].path == NULL)
			buf_puts(&one, "satchel");
		else if (m[i].line > 0 && m[i].col > 0)
			buf_printf(&one, "%s:%d:%d", m[i].path, m[i].line, m[i].col);
		else if (m[i].line > 0)
			buf_printf(&one, "%s:%d", m[i].path, m[i].line);
		else
			buf_puts(&one, m[i].path);
		buf_printf(&one, ": %s: %s\n", err ? "error" : "warning", m[i].text);
		/* A warning is printed once per session, not after every save. */
		if (err || map_put(&sv->warned, buf_str(&one), sv) == NULL)
			buf_puts(&line, buf_str(&one));
		buf_free(&one);
	}
	char *hint = full_hint(sv, ok, m, nm);
	if (hint != NULL)
		buf_printf(&line, "satchel: error: %s\n", hint);
	if (!sv->quiet || !ok || nm > 0)
		fputs(buf_str(&line), ok ? stdout : stderr);
	fflush(stdout);
	buf_free(&line);

	/* The event. */
	pthread_mutex_lock(&sv->lock);
	char *prev = sv->token ? xstrdup(sv->token) : NULL;
	if (ok) {
		free(sv->token);
		sv->token = xasprintf("%s-%lu", sv->instance, ++sv->good);
		free(sv->base);
		sv->base = xstrdup(engine_base_path(sv->eng));
	}
	struct buf ev = BUF_INIT;
	buf_puts(&ev, "event: build\ndata: {\"ok\":");
	buf_puts(&ev, ok ? "true" : "false");
	buf_puts(&ev, ",\"token\":");
	if (sv->token) {
		buf_putc(&ev, '"');
		buf_add_json_escaped(&ev, sv->token, strlen(sv->token));
		buf_putc(&ev, '"');
	} else
		buf_puts(&ev, "null");
	buf_puts(&ev, ",\"prev\":");
	if (prev) {
		buf_putc(&ev, '"');
		buf_add_json_escaped(&ev, prev, strlen(prev));
		buf_putc(&ev, '"');
	} else
		buf_puts(&ev, "null");
	/* The engine always says what it changed: none is an empty list (a save of the same bytes
	 * reloads nothing), not "unknown" (null: every page reloads). */
	buf_puts(&ev, ",\"changed\":");
	add_json_paths(&ev, ch, nch);
	/* What the build was for: a client that saved a file knows its rebuild by its name. */
	buf_puts(&ev, ",\"saved\":");
	add_json_paths(&ev, (const char *const *)saved, nsaved);
	buf_puts(&ev, ",\"messages\":[");
	size_t sent = 0;
	for (int pass = 1; pass >= 0; pass--) /* errors first */
		for (size_t i = 0; i < nm && sent < MAX_MESSAGES_SENT; i++) {
			int err = !ok && m[i].error;
			if (err != pass)
				continue;
			buf_puts(&ev, sent++ ? ",{\"path\":" : "{\"path\":");
			if (m[i].path) {
				buf_putc(&ev, '"');
				buf_add_json_escaped(&ev, m[i].path, strlen(m[i].path));
				buf_putc(&ev, '"');
			} else
				buf_puts(&ev, "null");
			buf_printf(&ev, ",\"line\":%d,\"col\":%d,\"error\":%s,\"text\":\"", m[i].line, m[i].col,
			           err ? "true" : "false");
			buf_add_json_escaped(&ev, m[i].text, strlen(m[i].text));
			buf_puts(&ev, "\"}");
		}
	if (hint != NULL) {
		buf_puts(&ev, sent ? ",{" : "{");
		buf_puts(&ev, "\"path\":null,\"line\":0,\"col\":0,\"error\":true,\"text\":\"");
		buf_add_json_escaped(&ev, hint, strlen(hint));
		buf_puts(&ev, "\"}");
	}
	buf_puts(&ev, "]}\n\n");
	free(sv->event);
	sv->event = buf_detach(&ev);
	sv->seq++;
	pthread_cond_broadcast(&sv->cond);
	pthread_mutex_unlock(&sv->lock);
	free(prev);
	free(hint);
}

/* Brings the output up to date with the site. paths: what changed (site-relative), or NULL
 * when unknown; saved: the paths of the burst, also when the engine is to look at everything. */
static void
rebuild(struct server *sv, char **paths, size_t npaths, int first, char **saved, size_t nsaved)
{
	double t0 = now_s();
	atomic_store(&building, 1);
	int rc = engine_run(sv->eng, (const char *const *)paths, paths ? npaths : 0);
	atomic_store(&building, 0);
	announce(sv, rc == 0, now_s() - t0, paths, npaths, first, saved, nsaved);
	engine_tidy(sv->eng); /* the pages are told: now the last run's leftovers */
}

/* ---- HTTP ---- */

/* libmicrohttpd decodes %XX in the path before the handler sees it, which would hide an encoded
 * "/" or NUL; the handler decodes (and refuses) itself. */
static size_t
keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	return strlen(s);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes a request path into out ("/a/b/" form), or -1 for one that is refused: not starting
 * with "/", a bad %XX, an encoded "/", a backslash or a control byte (NUL included) raw or
 * encoded, an empty segment ("//"), or a "." or ".." segment, raw or encoded. */
static int
decode_path(const char *raw, struct buf *out)
{
	if (raw[0] != '/')
		return -1;
	for (const char *p = raw; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			int h = hexval(p[1]), l = h < 0 ? -1 : hexval(p[2]);
			if (h < 0 || l < 0)
				return -1;
			c = (unsigned char)(h * 16 + l);
			p += 2;
			if (c == '/')
				return -1;
		}
		if (c == '\\' || c < 0x20 || c == 0x7f)
			return -1;
		buf_putc(out, (char)c);
	}
	const char *s = buf_str(out) + 1;
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
			return -1;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return 0;
}

/* Opens what a decoded path names in the output, one segment at a time, following no
 * symbolic link. Returns a descriptor (*isdir says which kind) or -1 with errno (ENOENT also
 * for what is neither a folder nor a regular file). */
static int
open_in_output(const char *outdir, const char *path, int *isdir)
{
	int fd = open(outdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	*isdir = 1;
	const char *s = path + (path[0] == '/');
	char seg[NAME_MAX + 1];
	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (!*isdir || n > NAME_MAX) {
			close(fd);
			errno = ENOENT;
			return -1;
		}
		memcpy(seg, s, n);
		seg[n] = '\0';
		int next = openat(fd, seg, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		close(fd);
		if (next < 0)
			return -1;
		struct stat st;
		if (fstat(next, &st) < 0 || !(S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			close(next);
			errno = ENOENT;
			return -1;
		}
		fd = next;
		*isdir = S_ISDIR(st.st_mode);
		s = e ? e + 1 : s + n;
		if (e != NULL && !*isdir) { /* "file/" */
			close(fd);
			errno = ENOENT;
			return -1;
		}
	}
	return fd;
}

static const struct {
	const char *ext, *type;
} web_types[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml"},
    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"},
    {"txt", "text/plain; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"yml", "text/yaml; charset=utf-8"}, /* Decap reads /admin/config.yml only with a yaml type */
    {"yaml", "text/yaml; charset=utf-8"},
    {"vtt", "text/vtt; charset=utf-8"},
    {"svg", "image/svg+xml"},
    {"ico", "image/x-icon"},
    {"avif", "image/avif"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"wasm", "application/wasm"},
};

/* The media type of an output file: the web's own types here, satchel's feeds by their names,
 * then what filetype.c knows of published files. */
static const char *
media_type(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(base, "index.xml") == 0)
		return "application/rss+xml";
	if (strcmp(base, "atom.xml") == 0 || strcmp(base, "changes.xml") == 0)
		return "application/atom+xml";
	const char *dot = strrchr(base, '.');
	if (dot != NULL)
		for (size_t i = 0; i < sizeof web_types / sizeof web_types[0]; i++)
			if (strcasecmp(dot + 1, web_types[i].ext) == 0)
				return web_types[i].type;
	return filetype_media_type(path);
}

static enum MHD_Result
send_response(struct MHD_Connection *c, unsigned status, struct MHD_Response *r, const char *type)
{
	if (r == NULL)
		return MHD_NO;
	if (type != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	struct MHD_Response *r =
	    MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	return send_response(c, status, r, "text/plain; charset=utf-8");
}

/* The reload script's tag, for a page made from file (output-relative) of the output token. */
static void
add_script_tag(struct buf *b, const char *token, const char *file)
{
	buf_puts(b, "<script src=\"" SCRIPT_URL "\" data-token=\"");
	buf_add_html_escaped(b, token, strlen(token));
	buf_puts(b, "\" data-file=\"");
	buf_add_html_escaped(b, file, strlen(file));
	buf_puts(b, "\"></script>");
}

/* An HTML page, with the reload script put before its last </body> (or at its end). */
static enum MHD_Result
send_html(struct server *sv, struct MHD_Connection *c, unsigned status, int fd, const char *file,
          const char *token)
{
	struct buf page = BUF_INIT;
	int rc = fs_read_fd(fd, &page);
	close(fd);
	if (rc < 0) {
		buf_free(&page);
		return send_text(c, 500, "500: cannot read the file\n");
	}
	struct buf out = BUF_INIT;
	size_t at = page.len;
	if (sv->script != NULL) {
		for (size_t i = page.len; i >= 7; i--)
			if (strncasecmp(page.data + i - 7, "</body>", 7) == 0) {
				at = i - 7;
				break;
			}
	}
	buf_add(&out, page.data ? page.data : "", at);
	if (sv->script != NULL)
		add_script_tag(&out, token, file);
	buf_add(&out, page.data ? page.data + at : "", page.len - at);
	buf_free(&page);
	size_t len = out.len;
	char *data = buf_detach(&out);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	return send_response(c, status, r, "text/html; charset=utf-8");
}

/* The whole of the open file fd (taken), as type. */
static enum MHD_Result
send_fd(struct MHD_Connection *c, unsigned status, int fd, const char *type)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		close(fd);
		return send_text(c, 500, "500: cannot read the file\n");
	}
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (r == NULL)
		close(fd);
	return send_response(c, status, r, type);
}

static enum MHD_Result
send_file(struct server *sv, struct MHD_Connection *c, unsigned status, int fd, const char *file,
          const char *token)
{
	const char *type = media_type(file);
	if (strncmp(type, "text/html", 9) == 0)
		return send_html(sv, c, status, fd, file, token);
	return send_fd(c, status, fd, type);
}

/* The site's 404 page in the language the path starts with (/bg/...: /bg/404/), else the root
 * one, else a line of text; always with status 404. */
static enum MHD_Result
send_404(struct server *sv, struct MHD_Connection *c, const char *path, const char *token)
{
	const char *s = path + 1, *e = strchr(s, '/');
	int isdir = 0, fd = -1;
	struct buf file = BUF_INIT;
	if (e != NULL && e > s) {
		buf_add(&file, s, (size_t)(e - s));
		buf_puts(&file, "/404/index.html");
		fd = open_in_output(sv->outdir, buf_str(&file), &isdir);
	}
	if (fd < 0 || isdir) {
		if (fd >= 0)
			close(fd);
		buf_reset(&file);
		buf_puts(&file, "404.html");
		fd = open_in_output(sv->outdir, buf_str(&file), &isdir);
	}
	enum MHD_Result ret;
	if (fd >= 0 && !isdir)
		ret = send_html(sv, c, 404, fd, buf_str(&file), token);
	else {
		if (fd >= 0)
			close(fd);
		ret = send_text(c, 404, "404: not found\n");
	}
	buf_free(&file);
	return ret;
}

/* One client of the event stream. */
struct sse {
	struct server *sv;
	unsigned long seen; /* the build events it has had */
	struct buf out;     /* to send */
	size_t off;
};

static ssize_t
sse_read(void *cls, uint64_t pos, char *dst, size_t max)
{
	struct sse *s = cls;
	struct server *sv = s->sv;
	if (s->off == s->out.len) {
		buf_reset(&s->out);
		s->off = 0;
		pthread_mutex_lock(&sv->lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += KEEPALIVE_S;
		while (!sv->stopping && s->seen == sv->seq)
			if (pthread_cond_timedwait(&sv->cond, &sv->lock, &until) == ETIMEDOUT)
				break;
		if (sv->stopping) {
			pthread_mutex_unlock(&sv->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		if (s->seen != sv->seq && sv->event != NULL) {
			buf_puts(&s->out, sv->event); /* only the newest state matters */
			s->seen = sv->seq;
		} else
			buf_puts(&s->out, ": still here\n\n");
		pthread_mutex_unlock(&sv->lock);
	}
	size_t n = s->out.len - s->off;
	if (n > max)
		n = max;
	memcpy(dst, s->out.data + s->off, n);
	s->off += n;
	return (ssize_t)n;
}

static void
sse_free(void *cls)
{
	struct sse *s = cls;
	buf_free(&s->out);
	free(s);
}

static enum MHD_Result
send_events(struct server *sv, struct MHD_Connection *c)
{
	struct sse *s = xcalloc(1, sizeof *s);
	s->sv = sv;
	/* Reconnect a second after the server went away (a restart). */
	buf_puts(&s->out, "retry: 1000\n\n");
	struct MHD_Response *r =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, sse_read, s, sse_free);
	if (r == NULL) {
		sse_free(s);
		return MHD_NO;
	}
	return send_response(c, 200, r, "text/event-stream; charset=utf-8");
}

static enum MHD_Result
send_script(struct server *sv, struct MHD_Connection *c)
{
	int fd = sv->script ? open(sv->script, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return send_text(c, 404, "404: not found\n");
	return send_fd(c, 200, fd, "text/javascript; charset=utf-8");
}

/* The page shown before any build succeeded: the reload script shows the errors over it. */
static enum MHD_Result
send_not_built(struct server *sv, struct MHD_Connection *c)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" "
	             "content=\"width=device-width\"><title>satchel serve</title><body><p>The site "
	             "has not been built yet: satchel serve shows the build's errors here and "
	             "reloads the page when a save fixes them.</p>");
	if (sv->script != NULL)
		add_script_tag(&b, "none", "");
	buf_puts(&b, "</body></html>\n");
	size_t len = b.len;
	char *data = buf_detach(&b);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	return send_response(c, 503, r, "text/html; charset=utf-8");
}

/* A redirect to base_path + "/" (a path that passed config's check: no CR, LF nor quote). */
static enum MHD_Result
send_redirect(struct MHD_Connection *c, unsigned status, const char *base_path)
{
	char *loc = xasprintf("%s/", base_path);
	struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (r != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
	free(loc);
	return send_response(c, status, r, NULL);
}

/* A request to the editor's backend, its body gathered over the calls libmicrohttpd makes. */
struct api_req {
	struct buf body;
	int too_big;
};

static void
request_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode t)
{
	struct api_req *r = *state;
	if (r != NULL) {
		buf_free(&r->body);
		free(r);
		*state = NULL;
	}
}

static enum MHD_Result
send_json(struct MHD_Connection *c, unsigned status, struct buf *b)
{
	size_t len = b->len;
	char *data = buf_detach(b);
	struct MHD_Response *r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	return send_response(c, status, r, "application/json; charset=utf-8");
}

static enum MHD_Result
api_refuse(struct MHD_Connection *c, unsigned status, const char *why)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "{\"error\":\"");
	buf_add_json_escaped(&b, why, strlen(why));
	buf_puts(&b, "\"}");
	return send_json(c, status, &b);
}

/* Is url the editor's backend (BASE/api/v1)? */
static int
is_api(struct server *sv, const char *url)
{
	pthread_mutex_lock(&sv->lock);
	char *u = xasprintf("%s" API_URL, sv->base ? sv->base : "");
	pthread_mutex_unlock(&sv->lock);
	int yes = strcmp(url, u) == 0;
	free(u);
	return yes;
}

/* POST BASE/api/v1: Decap's local backend (cmsapi.c), for this computer's browser only: serve
 * bound to loopback, the Host one of serve's own (host_ok was checked), an Origin, when sent,
 * serve's own, a JSON body of at most CMSAPI_MAX_BODY. */
static enum MHD_Result
answer_api(struct server *sv, struct MHD_Connection *c, const char *method, const char *upload,
           size_t *upload_size, void **state)
{
	struct api_req *r = *state;
	if (r == NULL) {
		if (!sv->loopback)
			return api_refuse(c, 403, "the editor's backend answers only when satchel serve is "
			                          "bound to this computer (127.0.0.1, ::1)");
		if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
			struct MHD_Response *resp =
			    MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
			if (resp != NULL)
				MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "POST");
			return send_response(c, 405, resp, NULL);
		}
		const char *type =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
		if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
		    (type[16] != '\0' && type[16] != ';' && type[16] != ' '))
			return api_refuse(c, 415, "the editor's backend takes Content-Type: application/json");
		const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
		const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
		if (origin != NULL && (host == NULL || strncmp(origin, "http://", 7) != 0 ||
		                       strcasecmp(origin + 7, host) != 0))
			return api_refuse(c, 403, "the editor's backend answers pages of this preview only "
			                          "(the Origin is another site)");
		const char *cl =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL && strtoull(cl, NULL, 10) > CMSAPI_MAX_BODY)
			return api_refuse(c, 413, "the request is over 64 MiB: upload a smaller file");
		*state = r = xcalloc(1, sizeof *r);
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (!r->too_big && r->body.len + *upload_size > CMSAPI_MAX_BODY) {
			r->too_big = 1;
			buf_free(&r->body);
		}
		if (!r->too_big)
			buf_add(&r->body, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return api_refuse(c, 413, "the request is over 64 MiB: upload a smaller file");
	struct buf out = BUF_INIT;
	pthread_mutex_lock(&sv->edit);
	int status = cmsapi_handle(sv->api, r->body.data ? r->body.data : "", r->body.len, &out);
	pthread_mutex_unlock(&sv->edit);
	return send_json(c, (unsigned)status, &out);
}

static enum MHD_Result
answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct server *sv = cls;
	if (*state != NULL || is_api(sv, url)) {
		if (*state == NULL && sv->loopback) { /* DNS rebinding: as for every page below */
			const char *host =
			    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
			int ok = 0;
			for (size_t i = 0; host != NULL && i < 4; i++)
				ok |= sv->host_ok[i][0] && strcasecmp(host, sv->host_ok[i]) == 0;
			if (!ok)
				return api_refuse(c, 403, "this preview answers to its own address only");
		}
		return answer_api(sv, c, method, upload, upload_size, state);
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		struct MHD_Response *r =
		    MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
		return send_response(c, 405, r, NULL);
	}
	if (sv->loopback) { /* a page elsewhere cannot reach the preview by renaming its host */
		const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
		int ok = 0;
		for (size_t i = 0; host != NULL && i < 4; i++)
			ok |= sv->host_ok[i][0] && strcasecmp(host, sv->host_ok[i]) == 0;
		if (!ok)
			return send_text(c, 403, "403: this preview answers to its own address only\n");
	}
	if (strcmp(url, EVENTS_URL) == 0)
		return send_events(sv, c);
	if (strcmp(url, SCRIPT_URL) == 0)
		return send_script(sv, c);

	struct buf path = BUF_INIT;
	if (decode_path(url, &path) < 0) {
		buf_free(&path);
		return send_text(c, 400, "400: this path is refused\n");
	}
	pthread_mutex_lock(&sv->lock); /* before the file: a page is never older than its token */
	char *token = sv->token ? xstrdup(sv->token) : NULL;
	char *base = xstrdup(sv->base ? sv->base : "");
	pthread_mutex_unlock(&sv->lock);
	/* subpath: a site whose base_url has a path is served under it, as its host will serve it
	 * (its links carry the path); "/" leads there, any other path outside it is not found. */
	if (token != NULL && base[0] != '\0') {
		const char *in = urlbase_strip(base, buf_str(&path));
		if (in == NULL || strcmp(buf_str(&path), base) == 0) {
			int home = in != NULL || strcmp(buf_str(&path), "/") == 0;
			enum MHD_Result ret = home ? send_redirect(c, 302, base) : send_text(c, 404,
			                                       "404: not found: this site is served under its base path\n");
			free(token);
			free(base);
			buf_free(&path);
			return ret;
		}
		struct buf site = BUF_INIT;
		buf_puts(&site, in);
		buf_free(&path);
		path = site;
	}
	free(base);
	enum MHD_Result ret;
	int isdir = 0;
	int fd = token ? open_in_output(sv->outdir, buf_str(&path), &isdir) : -1;
	if (token == NULL) {
		ret = send_not_built(sv, c);
	} else if (fd < 0) {
		ret = send_404(sv, c, buf_str(&path), token);
	} else if (isdir && path.data[path.len - 1] != '/') {
		close(fd);
		char *loc = xasprintf("%s/", url); /* url passed decode_path: no CR, LF nor "//" */
		struct MHD_Response *r =
		    MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		if (r != NULL)
			MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, loc);
		free(loc);
		ret = send_response(c, 301, r, NULL);
	} else if (isdir) {
		int dfd = fd;
		fd = openat(dfd, "index.html", O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		close(dfd);
		struct stat st;
		if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			fd = -1;
		}
		if (fd < 0) /* no listing of a folder */
			ret = send_404(sv, c, buf_str(&path), token);
		else {
			buf_puts(&path, "index.html");
			ret = send_file(sv, c, 200, fd, buf_str(&path) + 1, token);
		}
	} else {
		ret = send_file(sv, c, 200, fd, buf_str(&path) + 1, token);
	}
	free(token);
	buf_free(&path);
	return ret;
}

/* Binds the listening socket before the first build, so that a taken port is said at once. */
static int
listen_on(struct server *sv)
{
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int last = sv->port_given ? sv->port : sv->port + PORT_TRIES - 1;
	for (int port = sv->port; port <= last; port++) {
		char ps[16];
		snprintf(ps, sizeof ps, "%d", port);
		int gai = getaddrinfo(sv->bind, ps, &hints, &ai);
		if (gai != 0) {
			fprintf(stderr, "satchel serve: --bind %s: %s\n", sv->bind, gai_strerror(gai));
			return -1;
		}
		int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		if (fd >= 0) {
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
			if (ai->ai_family == AF_INET6)
				setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
		}
		if (fd >= 0 && bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0) {
			struct sockaddr_storage ss;
			socklen_t sl = sizeof ss;
			getsockname(fd, (struct sockaddr *)&ss, &sl);
			char host[NI_MAXHOST], serv[NI_MAXSERV];
			getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, serv, sizeof serv,
			            NI_NUMERICHOST | NI_NUMERICSERV);
			sv->listen_fd = fd;
			sv->v6 = ai->ai_family == AF_INET6;
			sv->bound_port = atoi(serv);
			if (sv->v6) {
				const struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
				sv->loopback = IN6_IS_ADDR_LOOPBACK(a);
			} else {
				uint32_t a = ntohl(((struct sockaddr_in *)&ss)->sin_addr.s_addr);
				sv->loopback = (a >> 24) == 127;
			}
			snprintf(sv->url, sizeof sv->url, sv->v6 ? "http://[%s]:%s/" : "http://%s:%s/", host,
			         serv);
			snprintf(sv->host_ok[0], sizeof sv->host_ok[0], sv->v6 ? "[%s]:%s" : "%s:%s", host, serv);
			snprintf(sv->host_ok[1], sizeof sv->host_ok[1], "localhost:%s", serv);
			snprintf(sv->host_ok[2], sizeof sv->host_ok[2], "127.0.0.1:%s", serv);
			snprintf(sv->host_ok[3], sizeof sv->host_ok[3], "[::1]:%s", serv);
			if (port != sv->port)
				printf("satchel serve: port %d is in use; using %d\n", sv->port, port);
			freeaddrinfo(ai);
			return 0;
		}
		int err = errno;
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		if (err != EADDRINUSE || port == last) {
			if (err == EADDRINUSE && sv->port_given)
				fprintf(stderr,
				        "satchel serve: port %d on %s is in use (another satchel serve?); "
				        "choose another with -p PORT\n",
				        port, sv->bind);
			else if (err == EADDRINUSE)
				fprintf(stderr,
				        "satchel serve: ports %d to %d on %s are in use; choose another with "
				        "-p PORT\n",
				        sv->port, last, sv->bind);
			else
				fprintf(stderr, "satchel serve: cannot listen on %s port %d: %s\n", sv->bind, port,
				        strerror(err));
			return -1;
		}
	}
	return -1;
}

/* ---- watching ---- */

#define WATCH_MASK                                                                                 \
	(IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB |             \
	 IN_DONT_FOLLOW | IN_ONLYDIR)

/* The folders and files of the site's top level that are input (public/ and the rest are not). */
static int
top_level_input(const char *name, int isdir)
{
	static const char *const dirs[] = {"content", "static", "layouts", "i18n", "themes", "safeguarding"};
	static const char *const files[] = {"site.yaml", ".gitignore", ".mailmap"};
	if (isdir) {
		for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
			if (strcmp(name, dirs[i]) == 0)
				return 1;
		return 0;
	}
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(name, files[i]) == 0)
			return 1;
	return 0;
}

static void
note_change(struct server *sv, const char *rel, int created)
{
	uintptr_t flags = (uintptr_t)map_get(&sv->pending, rel);
	if (flags == 0) {
		if (sv->norder == sv->caporder)
			sv->order = xrealloc(sv->order, (sv->caporder = sv->caporder ? sv->caporder * 2 : 16) *
			                                    sizeof *sv->order);
		sv->order[sv->norder++] = xstrdup(rel);
	}
	map_put(&sv->pending, rel, (void *)(flags | 1 | (created ? 2 : 0)));
}

static void
add_watch(struct server *sv, const char *abs, const char *rel, int refs)
{
	/* SATCHEL_UNWATCHED=REL (tests): that folder is taken as one past the watch limit. */
	const char *unwatched = getenv("SATCHEL_UNWATCHED");
	int wd = rel != NULL && unwatched != NULL && strcmp(rel, unwatched) == 0
	             ? (errno = ENOSPC, -1)
	             : inotify_add_watch(sv->ifd, abs, WATCH_MASK);
	if (wd < 0) {
		if (errno == ENOSPC && !sv->warned_limit) {
			sv->warned_limit = 1;
			fprintf(stderr,
			        "satchel serve: warning: cannot watch %s and what follows: too many folders "
			        "for fs.inotify.max_user_watches; saves there are not seen\n",
			        abs);
		}
		return;
	}
	struct watch *w = NULL;
	for (size_t i = 0; i < sv->nwatches && w == NULL; i++)
		if (sv->watches[i].wd == wd) /* already watched (a folder moved back) */
			w = &sv->watches[i];
	if (w == NULL) {
		if (sv->nwatches == sv->capwatches)
			sv->watches = xrealloc(sv->watches, (sv->capwatches = sv->capwatches ? sv->capwatches * 2 : 64) *
			                                        sizeof *sv->watches);
		w = &sv->watches[sv->nwatches++];
	} else {
		free(w->rel);
		free(w->abs);
	}
	*w = (struct watch){wd, rel ? xstrdup(rel) : NULL, rel ? NULL : xstrdup(abs), refs};
}

/* Watches abs and every folder below it (no symbolic link, no .git); with note, every file
 * below it counts as changed too (a folder moved in, or made with files before its watch). */
static void
watch_tree(struct server *sv, const char *abs, const char *rel, int refs, int note)
{
	add_watch(sv, abs, rel, refs);
	DIR *d = opendir(abs);
	if (d == NULL)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		char *a = fs_join(abs, de->d_name);
		char *r = rel ? (*rel ? xasprintf("%s/%s", rel, de->d_name) : xstrdup(de->d_name)) : NULL;
		struct stat st;
		if (lstat(a, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				watch_tree(sv, a, r, refs, note);
			else if (note && r != NULL && !fs_editor_litter(de->d_name))
				note_change(sv, r, 0);
		}
		free(a);
		free(r);
	}
	closedir(d);
}

/* The repository's folders whose changes are a commit or a checkout: the git folder (HEAD; a
 * worktree's own), the common one (packed-refs) and its refs/heads. */
static void
watch_git(struct server *sv)
{
	char *dir = xstrdup(sv->root);
	for (;;) {
		char *dotgit = fs_join(dir, ".git");
		struct stat st;
		char *gitdir = NULL;
		if (lstat(dotgit, &st) == 0 && S_ISDIR(st.st_mode))
			gitdir = xstrdup(dotgit);
		else if (lstat(dotgit, &st) == 0 && S_ISREG(st.st_mode)) {
			struct buf b = BUF_INIT;
			if (fs_read_file(dotgit, &b) == 0 && strncmp(buf_str(&b), "gitdir: ", 8) == 0) {
				char *g = xstrdup(buf_str(&b) + 8);
				g[strcspn(g, "\r\n")] = '\0';
				gitdir = g[0] == '/' ? xstrdup(g) : fs_join(dir, g);
				free(g);
			}
			buf_free(&b);
		}
		free(dotgit);
		if (gitdir != NULL) {
			char *common = NULL, *cf = fs_join(gitdir, "commondir");
			struct buf b = BUF_INIT;
			if (fs_read_file(cf, &b) == 0) {
				char *c = xstrdup(buf_str(&b));
				c[strcspn(c, "\r\n")] = '\0';
				common = c[0] == '/' ? xstrdup(c) : fs_join(gitdir, c);
				free(c);
			} else
				common = xstrdup(gitdir);
			buf_free(&b);
			free(cf);
			add_watch(sv, gitdir, NULL, 0);
			if (strcmp(common, gitdir) != 0)
				add_watch(sv, common, NULL, 0);
			char *heads = fs_join(common, "refs/heads");
			watch_tree(sv, heads, NULL, 1, 0);
			free(heads);
			free(common);
			free(gitdir);
			break;
		}
		char *slash = strrchr(dir, '/');
		if (slash == NULL || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
}

static void
watch_site(struct server *sv)
{
	add_watch(sv, sv->root, "", 0);
	DIR *d = opendir(sv->root);
	if (d != NULL) {
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			char *a = fs_join(sv->root, de->d_name);
			struct stat st;
			if (top_level_input(de->d_name, 1) && lstat(a, &st) == 0 && S_ISDIR(st.st_mode))
				watch_tree(sv, a, de->d_name, 0, 0);
			free(a);
		}
		closedir(d);
	}
	watch_git(sv);
}

static struct watch *
find_watch(struct server *sv, int wd)
{
	for (size_t i = 0; i < sv->nwatches; i++)
		if (sv->watches[i].wd == wd)
			return &sv->watches[i];
	return NULL;
}

/* Reads what inotify has and notes the changes. */
static void
read_events(struct server *sv)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(sv->ifd, buf, sizeof buf);
		if (n <= 0)
			return;
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			p += sizeof *ev + ev->len;
			if (ev->mask & IN_Q_OVERFLOW) {
				sv->all = 1;
				continue;
			}
			struct watch *w = find_watch(sv, ev->wd);
			if (w == NULL)
				continue;
			if (ev->mask & IN_IGNORED) { /* its folder is gone */
				free(w->rel);
				free(w->abs);
				*w = sv->watches[--sv->nwatches];
				continue;
			}
			if (ev->len == 0)
				continue;
			const char *name = ev->name;
			int isdir = (ev->mask & IN_ISDIR) != 0;
			int came = (ev->mask & (IN_CREATE | IN_MOVED_TO)) != 0;
			if (w->rel == NULL) { /* git: a ref moving, HEAD, packed-refs */
				size_t nl = strlen(name);
				int lockfile = nl > 5 && strcmp(name + nl - 5, ".lock") == 0;
				if ((w->refs && !lockfile) || strcmp(name, "HEAD") == 0 ||
				    strcmp(name, "packed-refs") == 0)
					sv->all = 1;
				if (w->refs && isdir && came) { /* a branch folder: feature/x */
					char *abs = fs_join(w->abs, name);
					watch_tree(sv, abs, NULL, 1, 0); /* w may move: not used after */
					free(abs);
				}
				continue;
			}
			if (strcmp(name, ".git") == 0 || fs_editor_litter(name))
				continue;
			if (w->rel[0] == '\0' && !top_level_input(name, isdir))
				continue;
			char *rel = w->rel[0] ? xasprintf("%s/%s", w->rel, name) : xstrdup(name);
			if (isdir) {
				if (came) {
					char *abs = fs_join(sv->root, rel);
					watch_tree(sv, abs, rel, 0, 1);
					free(abs);
				} else if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
					sv->all = 1; /* its files are not known one by one */
			} else {
				note_change(sv, rel, came);
			}
			free(rel);
		}
	}
}

/* The paths of the burst that are input: a file made and gone again within it (an editor's
 * temporary file renamed onto the real one) is left out. The caller frees the list and its
 * strings; *n may be 0. */
static char **
take_changes(struct server *sv, size_t *n)
{
	char **v = xcalloc(sv->norder + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < sv->norder; i++) {
		uintptr_t flags = (uintptr_t)map_get(&sv->pending, sv->order[i]);
		char *abs = fs_join(sv->root, sv->order[i]);
		struct stat st;
		int gone = lstat(abs, &st) < 0;
		free(abs);
		if ((flags & 2) && gone)
			free(sv->order[i]);
		else
			v[(*n)++] = sv->order[i];
	}
	free(sv->order);
	sv->order = NULL;
	sv->norder = sv->caporder = 0;
	map_free(&sv->pending);
	return v;
}

/* ---- signals: a thread of their own, so a build never sees one ---- */

static void *
signal_thread(void *arg)
{
	sigset_t *set = arg;
	for (;;) {
		int sig;
		if (sigwait(set, &sig) != 0)
			continue;
		if (atomic_load(&stop_requested) && atomic_load(&building)) {
			/* A second Ctrl-C during a long build: go now. */
			if (priv_for_signal != NULL)
				fs_rm_rf(priv_for_signal);
			_exit(130);
		}
		atomic_store(&stop_requested, 1);
		if (atomic_load(&building)) {
			static const char msg[] = "\nsatchel serve: stopping after the build under way "
			                          "(Ctrl-C again to stop at once)\n";
			ssize_t w = write(2, msg, sizeof msg - 1);
			(void)w;
		}
		ssize_t w = write(wake_pipe[1], "x", 1);
		(void)w;
	}
	return NULL;
}

/* The reload script: in the default theme, wherever the site's own theme is. */
static char *
find_script(void)
{
	char *theme = engine_find_theme("default");
	if (theme == NULL)
		return NULL;
	char *p = fs_join(theme, "serve/reload.js");
	free(theme);
	if (!fs_exists(p)) {
		free(p);
		return NULL;
	}
	return p;
}

int
serve_run(const struct serve_opts *o)
{
	struct server sv = {.site_dir = o->site_dir ? o->site_dir : ".",
	                    .bind = o->bind ? o->bind : "127.0.0.1",
	                    .port = o->port >= 0 ? o->port : DEFAULT_PORT, .port_given = o->port >= 0,
	                    .nthreads = o->nthreads, .quiet = o->quiet,
	                    .lock_fd = -1, .listen_fd = -1, .ifd = -1};
	if (sv.port == 0)
		sv.port_given = 1;
	/* A long-lived process that builds the same site again and again: the memory a run frees
	 * is kept for the next instead of going back to the system, which would hand it back as
	 * fresh pages, each a fault to take (a tenth of a second and more per run at 10,000 pages).
	 * Blocks of more than 32 MiB still get a mapping of their own and go back when freed. */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);

	int rc = 1;
	sigset_t set;
	pthread_t sigt;
	int sigt_started = 0;
	sv.root = realpath(sv.site_dir, NULL);
	if (sv.root == NULL || !fs_is_dir(sv.root)) {
		fprintf(stderr, "satchel serve: %s: %s\n", sv.site_dir,
		        sv.root ? "not a folder" : strerror(errno));
		goto out;
	}
	/* Every thread started from here on (the server's, the build's) leaves these signals to
	 * signal_thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		goto out;
	if (pthread_create(&sigt, NULL, signal_thread, &set) != 0)
		goto out;
	sigt_started = 1;

	pthread_mutex_init(&sv.lock, NULL);
	pthread_mutex_init(&sv.edit, NULL);
	sv.api = cmsapi_new(sv.root);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&sv.cond, &ca);
	pthread_condattr_destroy(&ca);
	snprintf(sv.instance, sizeof sv.instance, "%lx%x", (unsigned long)time(NULL),
	         (unsigned)getpid());

	if (listen_on(&sv) < 0 || make_private(&sv) < 0)
		goto out;
	sv.script = find_script();
	if (sv.script == NULL)
		fprintf(stderr, "satchel serve: warning: the default theme's serve/reload.js is not "
		                "found; pages will not reload by themselves\n");

	/* Watch before the first build, so that a save during it is not missed. */
	sv.ifd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (sv.ifd < 0) {
		fprintf(stderr, "satchel serve: inotify: %s\n", strerror(errno));
		goto out;
	}
	watch_site(&sv);

	struct engine_opts eo = {sv.site_dir, sv.outdir, sv.nthreads, 1, 1};
	sv.eng = engine_new(&eo);
	printf("satchel serve: building %s with its drafts into %s%s\n", sv.site_dir, sv.priv,
	       sv.in_memory ? " (in memory)" : "");
	fflush(stdout);
	rebuild(&sv, NULL, 0, 1, NULL, 0);
	if (atomic_load(&stop_requested)) {
		rc = 0;
		goto out;
	}

	/* libgit2 stays set up while the connections' threads use it (the editor's saves): were
	 * its count to fall to 0 between two saves, a thread's own libgit2 state would be lost. */
	git_libgit2_init();
	sv.daemon = MHD_start_daemon(MHD_USE_AUTO | MHD_USE_INTERNAL_POLLING_THREAD |
	                                 MHD_USE_THREAD_PER_CONNECTION | (sv.v6 ? MHD_USE_IPv6 : 0),
	                             0, NULL, NULL, answer, &sv, MHD_OPTION_LISTEN_SOCKET, sv.listen_fd,
	                             MHD_OPTION_UNESCAPE_CALLBACK, keep_escaped, NULL,
	                             MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
	                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)120,
	                             MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256, MHD_OPTION_END);
	if (sv.daemon == NULL) {
		fprintf(stderr, "satchel serve: cannot start the HTTP server on %s\n", sv.url);
		goto out;
	}
	sv.listen_fd = -1; /* the daemon's now */
	printf("satchel serve: %s%s%s  (drafts shown; %s; Ctrl-C to stop)\n", sv.url,
	       sv.base != NULL && sv.base[0] != '\0' ? sv.base + 1 : "",
	       sv.base != NULL && sv.base[0] != '\0' ? "/" : "",
	       sv.loopback ? "this computer only" : "reachable from the network");
	fflush(stdout);
	warm_memory(sv.nthreads);

	double first = 0, last = 0;
	while (!atomic_load(&stop_requested)) {
		int pend = sv.norder > 0 || sv.all;
		int timeout = -1;
		if (pend) {
			double t = now_s(), due = last + QUIET_MS / 1000.0;
			if (first + MAX_WAIT_MS / 1000.0 < due)
				due = first + MAX_WAIT_MS / 1000.0;
			timeout = due <= t ? 0 : (int)((due - t) * 1000) + 1;
		}
		struct pollfd pf[2] = {{sv.ifd, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}};
		int n = poll(pf, 2, timeout);
		if (n < 0 && errno != EINTR)
			break;
		if (atomic_load(&stop_requested))
			break;
		if (n > 0 && (pf[0].revents & POLLIN)) {
			int had = sv.norder > 0 || sv.all;
			read_events(&sv);
			if (sv.norder > 0 || sv.all) {
				last = now_s();
				if (!had)
					first = last;
			}
			continue;
		}
		if (n == 0 && pend) {
			/* A save of the editor's is written and committed whole before this runs; its
			 * last events (the commit's) are taken in now, so that it is one rebuild. */
			pthread_mutex_lock(&sv.edit);
			read_events(&sv);
			size_t nc = 0;
			int all = sv.all;
			char **paths = take_changes(&sv, &nc);
			sv.all = 0;
			/* Where some folders are not watched, the list of saves is not all that
			 * changed: the engine then reads every file again, as it takes the texts
			 * of files not in the list from its last run. */
			int whole = all || sv.warned_limit;
			if (all || nc > 0)
				rebuild(&sv, whole ? NULL : paths, whole ? 0 : nc, 0, paths, nc);
			pthread_mutex_unlock(&sv.edit);
			for (size_t i = 0; i < nc; i++)
				free(paths[i]);
			free(paths);
		}
	}
	rc = 0;
out:
	if (sv.daemon != NULL) {
		pthread_mutex_lock(&sv.lock);
		sv.stopping = 1;
		pthread_cond_broadcast(&sv.cond);
		pthread_mutex_unlock(&sv.lock);
		MHD_stop_daemon(sv.daemon);
		git_libgit2_shutdown();
	}
	if (sv.listen_fd >= 0)
		close(sv.listen_fd);
	engine_free(sv.eng);
	cmsapi_free(sv.api);
	i18n_shutdown(); /* as after satchel build: the libraries' caches go too */
	image_shutdown();
	if (sv.ifd >= 0)
		close(sv.ifd);
	for (size_t i = 0; i < sv.nwatches; i++) {
		free(sv.watches[i].rel);
		free(sv.watches[i].abs);
	}
	free(sv.watches);
	for (size_t i = 0; i < sv.norder; i++)
		free(sv.order[i]);
	free(sv.order);
	map_free(&sv.pending);
	map_free(&sv.warned);
	if (sv.priv != NULL) {
		priv_for_signal = NULL;
		fs_rm_rf(sv.priv);
		if (rc == 0)
			printf("satchel serve: stopped; %s removed\n", sv.priv);
	}
	if (sv.lock_fd >= 0)
		close(sv.lock_fd);
	if (sigt_started) {
		pthread_cancel(sigt);
		pthread_join(sigt, NULL);
	}
	if (wake_pipe[0] >= 0) {
		close(wake_pipe[0]);
		close(wake_pipe[1]);
	}
	free(sv.event);
	free(sv.token);
	free(sv.base);
	free(sv.script);
	free(sv.outdir);
	free(sv.priv);
	free(sv.root);
	return rc;
}
