/* build: source -> site -> render into a temporary folder -> swap. */
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

#include "catalog.h"
#include "filetype.h"
#include "history.h"
#include "image.h"
#include "render.h"
#include "site.h"
#include "types.h"
#include "yml.h"
#include "source.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/progress.h"
#include "util/xalloc.h"

#ifndef SATCHEL_DATADIR
#define SATCHEL_DATADIR "/usr/local/share/satchel"
#endif

static char *
exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	if (n <= 0)
		return NULL;
	path[n] = '\0';
	char *slash = strrchr(path, '/');
	if (slash == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(path);
}

char *
build_find_theme(const char *name)
{
	char *candidates[5] = {0};
	char *dir = exe_dir();
	const char *env = getenv("SATCHEL_THEMES");
	size_t n = 0;
	if (env != NULL && *env)
		candidates[n++] = xasprintf("%s/%s", env, name);
	if (dir != NULL) {
		candidates[n++] = xasprintf("%s/../themes/%s", dir, name);        /* build/satchel */
		candidates[n++] = xasprintf("%s/../../themes/%s", dir, name);     /* build/asan/satchel */
		candidates[n++] = xasprintf("%s/../share/satchel/themes/%s", dir, name); /* installed */
	}
	candidates[n++] = xasprintf("%s/themes/%s", SATCHEL_DATADIR, name);
	char *found = NULL;
	for (size_t i = 0; i < n; i++) {
		char *layouts = fs_join(candidates[i], "layouts");
		if (found == NULL && fs_is_dir(layouts))
			found = realpath(candidates[i], NULL);
		free(layouts);
		free(candidates[i]);
	}
	free(dir);
	return found;
}

/* Images are never copied: each is published as image_publish makes it (decoded and encoded
 * again, without metadata, at several widths), one per job on the worker pool. */
struct images {
	struct source *src; /* not thread-safe: read under lock */
	const char *outdir;
	struct site_file **files; /* content images, or NULL for paths */
	char **paths;             /* static images ("static/img/x.jpg") */
	size_t from_len;          /* what to cut from a static path for its URL: "static" */
	size_t n;
	pthread_mutex_t lock;
	struct map claimed; /* output URL -> the path of the image (or file) that writes it */
	size_t written;
	/* The previous build's images, reused when an image's bytes are the same: its folder, its
	 * manifest (MANIFEST_IMAGES: one line per image) read, and the lines of this one. */
	const char *prev;
	struct buf prev_manifest;
	struct map cache; /* image_hash -> the rest of its line, in prev_manifest */
	char **lines;
	size_t nlines;
	struct progress *progress;
};

#define MANIFEST_IMAGES ".satchel-images"
/* In the cache folder (build_cache_dir): the image record, the pages' manifest, and the stamp
 * of the output they describe. */
#define NAME_IMAGES "images"
#define NAME_PAGES "pages"
#define NAME_STAMP "output"

/* A line of the manifest: KEY DIR WIDTH HEIGHT MAIN, then NAME WIDTH HEIGHT WEBP SHA256 per
 * file, tab-separated. NULL when a name would not survive the format. */
static char *
manifest_line(const char *key, const char *dir, const struct image_set *set)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s\t%s\t%d\t%d\t%s", key, dir, set->width, set->height, set->main);
	for (size_t k = 0; k < set->nfiles; k++) {
		const struct image_file *f = &set->files[k];
		char *sha = image_hash(NULL, f->data, f->len);
		buf_printf(&b, "\t%s\t%d\t%d\t%d\t%s", f->name, f->width, f->height, f->webp, sha);
		free(sha);
	}
	if (strpbrk(buf_str(&b), "\n\r") != NULL || strchr(dir, '\t') != NULL) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* The files the previous build published for key, each checked against the digest it had (a
 * file edited in the output since is made again, never trusted); 0, or -1 to make them. */
static int
from_cache(struct images *im, const char *key, struct image_set *set)
{
	const char *rest = im->prev != NULL ? map_get(&im->cache, key) : NULL;
	memset(set, 0, sizeof *set);
	if (rest == NULL)
		return -1;
	char *copy = xstrdup(rest), *save = NULL;
	char *d = strtok_r(copy, "\t", &save), *w = strtok_r(NULL, "\t", &save);
	char *h = strtok_r(NULL, "\t", &save), *main_name = strtok_r(NULL, "\t", &save);
	int ok = d != NULL && d[0] == '/' && w != NULL && h != NULL && main_name != NULL;
	struct buf b = BUF_INIT;
	while (ok) {
		char *name = strtok_r(NULL, "\t", &save);
		if (name == NULL)
			break;
		char *fw = strtok_r(NULL, "\t", &save), *fh = strtok_r(NULL, "\t", &save);
		char *webp = strtok_r(NULL, "\t", &save), *sha = strtok_r(NULL, "\t", &save);
		char *path = xasprintf("%s%s%s", im->prev, d, name);
		buf_reset(&b);
		char *got = NULL;
		ok = sha != NULL && strchr(name, '/') == NULL && fs_read_file(path, &b) == 0 &&
		     strcmp(got = image_hash(NULL, b.data, b.len), sha) == 0;
		free(got);
		free(path);
		if (!ok)
			break;
		set->files = xrealloc(set->files, (set->nfiles + 1) * sizeof *set->files);
		struct image_file *f = &set->files[set->nfiles++];
		f->name = xstrdup(name);
		f->len = b.len;
		f->data = buf_detach(&b);
		f->width = atoi(fw);
		f->height = atoi(fh);
		f->webp = atoi(webp);
		if (strcmp(name, main_name) == 0)
			set->main = f->name;
	}
	buf_free(&b);
	if (ok && set->main != NULL) {
		set->width = atoi(w);
		set->height = atoi(h);
	} else {
		image_set_free(set);
	}
	free(copy);
	return set->main != NULL ? 0 : -1;
}

static void
image_one(size_t i, int worker, void *payload)
{
	struct images *im = payload;
	struct site_file *f = im->files != NULL ? im->files[i] : NULL;
	const char *path = f != NULL ? f->path : im->paths[i];
	struct buf b = BUF_INIT;
	struct image_set set;
	char *err = NULL;
	(void)worker;
	progress_step(im->progress);
	pthread_mutex_lock(&im->lock);
	int rc = source_read(im->src, path, &b);
	pthread_mutex_unlock(&im->lock);
	if (rc < 0) {
		diag_error(path, 0, 0, "cannot read the file");
		buf_free(&b);
		return;
	}
	char *url = f != NULL ? xstrdup(f->url) : xasprintf("/%s", path + im->from_len + 1);
	char *dir = xstrndup(url, (size_t)(strrchr(url, '/') - url) + 1);
	char *key = image_hash(path, b.data, b.len);
	/* An image that cannot be re-encoded is not published at all: its bytes may carry GPS. */
	rc = from_cache(im, key, &set) == 0 ? 0 : image_publish(path, b.data, b.len, &set, &err);
	buf_free(&b);
	if (rc < 0) {
		diag_error(path, 0, 0, "%s", err);
		free(err);
		free(key);
		free(dir);
		free(url);
		return;
	}
	char *line = manifest_line(key, dir, &set);
	free(key);
	char **urls = xcalloc(set.nfiles, sizeof *urls);
	pthread_mutex_lock(&im->lock);
	for (size_t k = 0; k < set.nfiles; k++) {
		urls[k] = xasprintf("%s%s", dir, set.files[k].name);
		const char *other = map_get(&im->claimed, urls[k]);
		if (other != NULL && strcmp(other, path) != 0)
			diag_error(path, 0, 0, "its version %s would overwrite %s's", set.files[k].name, other);
		else
			map_put(&im->claimed, urls[k], (void *)path);
	}
	pthread_mutex_unlock(&im->lock);
	size_t written = 0, main_len = 0;
	for (size_t k = 0; k < set.nfiles; k++) {
		char *to = fs_join(im->outdir, urls[k] + 1);
		if (fs_write_file(to, set.files[k].data, set.files[k].len) < 0)
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
		else
			written++;
		if (set.files[k].name == set.main) {
			main_len = set.files[k].len;
			if (f != NULL && strcmp(urls[k], f->url) != 0) { /* an SVG is published as PNG */
				free(f->url);
				f->url = xstrdup(urls[k]);
			}
		}
		free(to);
		free(urls[k]);
	}
	if (f != NULL) {
		f->size = main_len;
		f->width = set.width;
		f->height = set.height;
		f->srcset = image_srcset(&set, dir, 0);
		f->webp_srcset = image_srcset(&set, dir, 1);
	}
	pthread_mutex_lock(&im->lock);
	im->written += written;
	if (line != NULL) {
		im->lines = xrealloc(im->lines, (im->nlines + 1) * sizeof *im->lines);
		im->lines[im->nlines++] = line;
	}
	pthread_mutex_unlock(&im->lock);
	free(urls);
	free(dir);
	free(url);
	image_set_free(&set);
}

static void
publish_images(struct images *im, int nthreads)
{
	progress_begin(im->progress, "images", im->n);
	pool_run(im->n, nthreads, image_one, im);
}

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

static void
load_image_manifest(struct images *im, const char *path, const char *outdir)
{
	if (path != NULL && fs_is_dir(outdir) && fs_read_file(path, &im->prev_manifest) == 0) {
		im->prev = outdir;
		for (char *line = im->prev_manifest.data, *next; line != NULL && *line; line = next) {
			next = strchr(line, '\n');
			if (next != NULL)
				*next++ = '\0';
			char *tab = strchr(line, '\t');
			if (tab != NULL) {
				*tab = '\0';
				map_put(&im->cache, line, tab + 1);
			}
		}
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes this build's manifest (in key order, so that output is reproducible) and frees what
 * the images took. */
static void
finish_images(struct images *im, const char *path)
{
	if (im->nlines > 0 && path != NULL) {
		struct buf b = BUF_INIT;
		qsort(im->lines, im->nlines, sizeof *im->lines, cmp_str);
		for (size_t i = 0; i < im->nlines; i++) {
			buf_printf(&b, "%s\n", im->lines[i]);
			free(im->lines[i]);
		}
		/* A cache that cannot be written is no error: images are made again next time. */
		char *tmp = xasprintf("%s.new", path);
		if (fs_write_file(tmp, b.data, b.len) < 0 || rename(tmp, path) < 0)
			unlink(tmp);
		free(tmp);
		buf_free(&b);
	}
	for (size_t i = 0; i < im->nlines && path == NULL; i++)
		free(im->lines[i]);
	free(im->lines);
	map_free(&im->claimed);
	map_free(&im->cache);
	buf_free(&im->prev_manifest);
}

/* A file published as it is (not an image, which is re-encoded) must carry no GPS position,
 * serial number or comment: satchel cannot clean it, so the editor does. 0, or -1 after the
 * error at path. */
static int
metadata_clean(const char *path, const void *data, size_t len)
{
	char *found = filetype_scan(data, len);
	if (found == NULL)
		return 0;
	diag_error(path, 0, 0, "holds %s and is not published: remove its metadata (exiftool -all= "
	           "FILE; then rewrite a PDF, e.g. qpdf FILE out.pdf, since exiftool only hides a "
	           "PDF's old metadata) and commit it again", found);
	free(found);
	return -1;
}

/* Publishes a file as it is (not an image) at rel in outdir: the metadata scan first, then the
 * file is created, never written over. 0 when written; 1 when a file is already at rel (the
 * caller knows whose it may be); -1 after reporting at path. */
static int
publish_as_is(const char *path, const struct buf *b, const char *outdir, const char *rel)
{
	if (metadata_clean(path, b->data, b->len) < 0)
		return -1;
	char *to = fs_join(outdir, rel);
	int rc = fs_create_file(to, buf_str(b), b->len) == 0 ? 0 : errno == EEXIST ? 1 : -1;
	if (rc < 0)
		diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
	free(to);
	return rc;
}

/* A file of the site at the address of one satchel makes (a page, a feed, an index). */
static void
clash(const char *path, const char *rel)
{
	diag_error(path, 0, 0, "is published at /%s, where satchel writes a file of its own; rename "
	           "or move it", rel);
}

struct copy_ctx {
	struct source *src;
	const char *from; /* site-relative prefix being copied, e.g. "static" */
	const char *outdir;
	size_t files;
	struct buf b;
	char **images; /* the images among them, left for publish_images */
	size_t nimages;
};

static int
copy_from_source(const char *path, void *payload)
{
	struct copy_ctx *c = payload;
	if (image_is_image(path)) {
		c->images = xrealloc(c->images, (c->nimages + 1) * sizeof *c->images);
		c->images[c->nimages++] = xstrdup(path);
		return 0;
	}
	buf_reset(&c->b);
	if (source_read(c->src, path, &c->b) < 0) {
		diag_error(path, 0, 0, "cannot read the file");
		return 0;
	}
	const char *rel = path + strlen(c->from) + 1;
	switch (publish_as_is(path, &c->b, c->outdir, rel)) {
	case 0: c->files++; break;
	case 1: clash(path, rel); break;
	}
	return 0;
}

struct disk_copy {
	const char *root;
	const char *outdir;
	struct source *src; /* the site, whose static/ files win over the theme's */
	size_t files;
	size_t from_len; /* a theme in the site's themes/: paths are the site's, listed and read
	                  * through src, and this much ("themes/NAME/static") is cut for the URL */
};

static int
copy_from_disk(const char *path_in, void *payload)
{
	struct disk_copy *c = payload;
	const char *rel = c->from_len ? path_in + c->from_len + 1 : path_in;
	char *from = c->from_len ? xstrdup(path_in) : fs_join(c->root, rel);
	char *path = NULL;
	struct buf b = BUF_INIT;
	if (c->from_len ? source_read(c->src, from, &b) < 0 : fs_read_file(from, &b) < 0)
		diag_error(from, 0, 0, "cannot read: %s", strerror(errno));
	else switch (publish_as_is(from, &b, c->outdir, rel)) {
	case 0: c->files++; break;
	case 1: /* unless the site's own static file of that name is there: it wins */
		if (!source_exists(c->src, (path = fs_join("static", rel))))
			clash(from, rel);
		break;
	}
	buf_free(&b);
	free(path);
	free(from);
	return 0;
}

/* Files that a commit's tree holds for the theme side of the site (layouts/, i18n/, themes/) are
 * written to a scratch folder, since templates are read from disk. */
struct export_ctx {
	struct source *src;
	const char *dir;
	struct buf b;
};

static int
export_one(const char *path, void *payload)
{
	struct export_ctx *e = payload;
	buf_reset(&e->b);
	if (source_read(e->src, path, &e->b) == 0) {
		char *to = fs_join(e->dir, path);
		if (fs_write_file(to, buf_str(&e->b), e->b.len) < 0)
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
		free(to);
	}
	return 0;
}

static void
load_catalog(struct catalog *cat, const struct config *cfg, const char *theme_dir,
             struct source *src)
{
	struct buf b = BUF_INIT;
	for (size_t l = 0; l < cfg->nlangs; l++) {
		char *rel = xasprintf("i18n/%s.yaml", cfg->langs[l].code);
		char *path = fs_join(theme_dir, rel);
		buf_reset(&b);
		if (fs_read_file(path, &b) == 0)
			catalog_load(cat, l, path, buf_str(&b), b.len);
		buf_reset(&b);
		if (source_read(src, rel, &b) == 0)
			catalog_load(cat, l, rel, buf_str(&b), b.len);
		free(path);
		free(rel);
	}
	/* A derived language's strings are its source's, transliterated, where it has none. */
	for (size_t l = 0; l < cfg->nlangs; l++)
		if (cfg->langs[l].from != SIZE_MAX)
			catalog_derive(cat, l, cfg->langs[l].from, cfg->langs[l].transliterate);
	buf_free(&b);
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct hash_ctx {
	const char *root;
	uint64_t h;
	struct buf b;
	struct source *src;
};

static void
hash_add(struct hash_ctx *c, const char *name, const struct buf *b)
{
	for (const char *p = name; *p; p++)
		c->h = (c->h ^ (unsigned char)*p) * 1099511628211ULL;
	c->h = (c->h ^ 0xff) * 1099511628211ULL;
	for (size_t i = 0; i < b->len; i++)
		c->h = (c->h ^ (unsigned char)b->data[i]) * 1099511628211ULL;
}

static int
hash_disk_file(const char *rel, void *payload)
{
	struct hash_ctx *c = payload;
	char *path = fs_join(c->root, rel);
	buf_reset(&c->b);
	if (fs_read_file(path, &c->b) == 0)
		hash_add(c, rel, &c->b);
	free(path);
	return 0;
}

static int
hash_source_file(const char *path, void *payload)
{
	struct hash_ctx *c = payload;
	buf_reset(&c->b);
	if (source_read(c->src, path, &c->b) == 0)
		hash_add(c, path, &c->b);
	return 0;
}

/* What every page's output depends on besides its own values, for incremental builds: satchel
 * itself, site.yaml, the site's UI strings and layouts, and the whole theme. */
static uint64_t
env_hash(struct source *src, const char *theme_dir, const char *site_layouts)
{
	struct hash_ctx c = {NULL, 1469598103934665603ULL, BUF_INIT, src};
	struct buf v = BUF_INIT;
	buf_printf(&v, "satchel %s", SATCHEL_VERSION);
	hash_add(&c, "version", &v);
	buf_free(&v);
	hash_source_file("site.yaml", &c);
	source_list(src, "i18n", hash_source_file, &c);
	c.root = site_layouts;
	fs_walk(site_layouts, hash_disk_file, &c);
	c.root = theme_dir;
	fs_walk(theme_dir, hash_disk_file, &c);
	buf_free(&c.b);
	return c.h ? c.h : 1;
}

/* SOURCE_DATE_EPOCH (reproducible-builds.org), else the commit's time, else the clock. */
static int64_t
build_now(const struct source *src)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	if (e != NULL && *e) {
		long long v = strtoll(e, &end, 10);
		if (*end == '\0' && v >= 0)
			return (int64_t)v;
		diag_warning(NULL, 0, 0, "SOURCE_DATE_EPOCH is not a number of seconds; ignored");
	}
	if (source_commit_time(src) >= 0)
		return source_commit_time(src);
	return (int64_t)time(NULL);
}

/* The theme's content types (types.yaml), then site.yaml's `types:` over them. */
static int
load_types(struct types *t, const char *theme_dir, const struct config *cfg)
{
	char *path = fs_join(theme_dir, "types.yaml");
	struct buf b = BUF_INIT;
	int rc = 0;
	if (fs_read_file(path, &b) == 0) {
		struct value *v = NULL;
		if (yml_parse(path, buf_str(&b), b.len, 0, &v) < 0 || types_add(t, path, v) < 0)
			rc = -1;
		value_free(v);
	}
	if (cfg->types != NULL && types_add(t, "site.yaml", cfg->types) < 0)
		rc = -1;
	if (rc == 0 && types_check(t, cfg->types ? "site.yaml" : path) < 0)
		rc = -1;
	buf_free(&b);
	free(path);
	return rc;
}

static int
list_nothing(const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return 0;
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

int
build_run(const struct build_opts *o)
{
	double t0 = now();
	struct source *src = NULL;
	struct site *site = NULL;
	struct catalog *cat = NULL;
	struct render_stats st = {0};
	char *theme_dir = NULL, *outdir = NULL, *tmpdir = NULL, *scratch = NULL, *site_root = NULL;
	char *manifest = NULL, *manifest_new = NULL, *theme_listed = NULL, *cache = NULL;
	char *images_record = NULL;
	char *layouts[2] = {0};
	struct types types = {0};
	struct history *history = NULL;
	int rc = 1, lock = -1;
	struct progress *progress = progress_new(o->quiet);
	int nthreads = o->nthreads > 0 ? o->nthreads : pool_default_threads();
	size_t errors_before = diag_error_count(), lines_before = diag_error_lines();

	struct source_opts so = SOURCE_OPTS_INIT;
	so.site_dir = o->site_dir ? o->site_dir : ".";
	so.ref = o->ref;
	so.repo_url = o->repo;
	so.cache_dir = o->cache_dir;
	so.subdir = o->subdir;
	if (source_open(&src, &so) < 0)
		goto out;

	/* The output is checked before anything is read or written: a build replaces it whole. */
	if (o->outdir != NULL)
		outdir = xstrdup(o->outdir);
	else if (o->repo != NULL)
		outdir = xstrdup("public");
	else
		outdir = fs_join(so.site_dir, "public");
	size_t ol = strlen(outdir);
	while (ol > 1 && outdir[ol - 1] == '/')
		outdir[--ol] = '\0';
	if (check_outdir(outdir, src) < 0)
		goto out;
	/* Without a cache folder a build still works: it makes every image and page again. */
	if ((cache = build_cache_dir(outdir, o->cache_dir)) != NULL) {
		images_record = fs_join(cache, NAME_IMAGES);
		manifest = fs_join(cache, NAME_PAGES);
	}

	struct config *config;
	if (site_config(src, &config) < 0)
		goto out;
	config->drafts = o->drafts;
	const struct config *cfg = config;
	struct source_limits limits = {SOURCE_FILE_SIZE, SOURCE_TEXT_SIZE};
	if (cfg->file_size_limit > 0)
		limits.file_size = cfg->file_size_limit;
	if (cfg->text_size_limit > 0)
		limits.text_size = cfg->text_size_limit;
	source_set_limits(src, &limits);

	/* Where the site's own theme-side files are on disk. */
	if (source_root(src) != NULL && o->ref == NULL) {
		/* Read from disk by the templates: listed only so that what the listing refuses
		 * there (a symbolic link) is refused as it is in a commit. */
		site_root = xstrdup(source_root(src));
		source_list(src, "layouts", list_nothing, NULL);
		source_list(src, "themes", list_nothing, NULL);
	} else {
		char tmpl[] = "/tmp/satchel-site-XXXXXX";
		if (mkdtemp(tmpl) == NULL) {
			diag_error(NULL, 0, 0, "cannot make a scratch folder: %s", strerror(errno));
			goto out;
		}
		scratch = xstrdup(tmpl);
		struct export_ctx e = {src, scratch, BUF_INIT};
		source_list(src, "layouts", export_one, &e);
		source_list(src, "themes", export_one, &e);
		buf_free(&e.b);
		site_root = xstrdup(scratch);
	}
	char *own = xasprintf("%s/themes/%s", site_root, cfg->theme);
	char *own_layouts = fs_join(own, "layouts");
	if (fs_is_dir(own_layouts)) {
		theme_dir = xstrdup(own);
		/* Its folder on disk is the site's working tree, not a scratch export of a commit. */
		if (scratch == NULL)
			theme_listed = xasprintf("themes/%s/static", cfg->theme);
	} else
		theme_dir = build_find_theme(cfg->theme);
	free(own_layouts);
	free(own);
	if (theme_dir == NULL) {
		diag_error("site.yaml", 0, 0,
		           "theme '%s' not found (in themes/ of the site or beside satchel; set "
		           "SATCHEL_THEMES to the folder that holds it)", cfg->theme);
		config_free(config);
		goto out;
	}
	if (load_types(&types, theme_dir, cfg) < 0) {
		config_free(config);
		goto out;
	}
	if (history_load(src, nthreads, &history) < 0) {
		config_free(config);
		goto out;
	}
	if (site_load_config(src, config, &types, history, nthreads, &site) < 0)
		goto out;
	layouts[0] = fs_join(site_root, "layouts");
	layouts[1] = fs_join(theme_dir, "layouts");

	cat = catalog_new(cfg->nlangs, config_lang(cfg, cfg->default_lang)->index);
	load_catalog(cat, cfg, theme_dir, src);
	if (diag_error_count() > errors_before)
		goto out;

	/* Render beside the output folder, so the final rename stays on one file system. */
	if ((tmpdir = make_tmpdir(outdir, &lock)) == NULL)
		goto out;

	/* Content files first: pages list them with their sizes (and images' widths). */
	struct buf fb = BUF_INIT;
	size_t nfiles = 0;
	struct images imgs = {.src = src, .outdir = tmpdir, .lock = PTHREAD_MUTEX_INITIALIZER,
	                      .claimed = MAP_INIT, .prev_manifest = BUF_INIT, .cache = MAP_INIT,
	                      .progress = progress};
	load_image_manifest(&imgs, images_record, outdir);
	for (size_t i = 0; i < site->nfiles; i++)
		map_put(&imgs.claimed, site->files[i].url, site->files[i].path);
	imgs.files = xcalloc(site->nfiles + 1, sizeof *imgs.files);
	for (size_t i = 0; i < site->nfiles; i++) {
		struct site_file *f = &site->files[i];
		/* Partner content: only what a resource hub publishes, never active content. */
		char *refused = filetype_refused(f->path);
		if (refused != NULL) {
			diag_error(f->path, 0, 0, "%s", refused);
			free(refused);
			continue;
		}
		if (image_is_image(f->path)) {
			imgs.files[imgs.n++] = f;
			continue;
		}
		buf_reset(&fb);
		if (source_read(src, f->path, &fb) < 0) {
			diag_error(f->path, 0, 0, "cannot read the file");
			continue;
		}
		f->size = fb.len;
		switch (publish_as_is(f->path, &fb, tmpdir, f->url + 1)) {
		case 0: nfiles++; break;
		case 1: clash(f->path, f->url + 1); break;
		}
	}
	buf_free(&fb);
	publish_images(&imgs, nthreads);
	nfiles += imgs.written;
	free(imgs.files);

	const char *const dirs[2] = {layouts[0], layouts[1]};
	int reuse = o->incremental && manifest != NULL && stamp_matches(cache, outdir);
	struct render_opts ro = {tmpdir, dirs, 2, nthreads, build_now(src), source_prefix(src),
	                         source_branch(src), o->incremental, reuse ? outdir : NULL, manifest,
	                         o->incremental ? env_hash(src, theme_dir, layouts[0]) : 0, progress};
	render_site(site, cat, &ro, &st);

	/* Static files: the site's, then the theme's where the site has none of that name. Neither
	 * replaces a file made from content or by satchel. */
	struct copy_ctx cc = {src, "static", tmpdir, 0, BUF_INIT, NULL, 0};
	source_list(src, "static", copy_from_source, &cc);
	char *theme_static = fs_join(theme_dir, "static");
	struct disk_copy dc = {theme_static, tmpdir, src, 0, 0};
	if (theme_listed != NULL) { /* the site's own, on disk: what the site's listing admits */
		dc.from_len = strlen(theme_listed);
		source_list(src, theme_listed, copy_from_disk, &dc);
	} else {
		fs_walk(theme_static, copy_from_disk, &dc);
	}
	free(theme_static);
	nfiles += dc.files + cc.files;
	buf_free(&cc.b);
	imgs.files = NULL;
	imgs.paths = cc.images;
	imgs.n = cc.nimages;
	imgs.from_len = strlen("static");
	imgs.written = 0;
	publish_images(&imgs, nthreads);
	nfiles += imgs.written;
	for (size_t i = 0; i < cc.nimages; i++)
		free(cc.images[i]);
	free(cc.images);
	finish_images(&imgs, images_record);

	if (diag_error_count() > errors_before)
		goto out;
	if (o->check) {
		rc = 0; /* checked: the output is thrown away below */
		goto out;
	}

	/* The pages' manifest goes to the cache folder before the output is published; the old one
	 * is removed first, so that a build stopped before the new one is in place leaves none (the
	 * next incremental build is then a full one) rather than one describing another output. */
	if (o->incremental) {
		char *made = fs_join(tmpdir, RENDER_MANIFEST);
		if (manifest != NULL) {
			manifest_new = xasprintf("%s.new", manifest);
			if (fs_copy_file(made, manifest_new) < 0) {
				unlink(manifest_new);
				free(manifest_new);
				manifest_new = NULL;
			}
		}
		unlink(made); /* never published */
		free(made);
	}
	if (manifest != NULL)
		unlink(manifest);
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

	progress_free(progress); /* the line is cleared before the summary */
	progress = NULL;
	if (!o->quiet) {
		struct buf line = BUF_INIT;
		size_t total = 0;
		for (size_t l = 0; l < cfg->nlangs; l++)
			total += st.pages[l];
		buf_printf(&line, "satchel: %zu pages (", total);
		for (size_t l = 0; l < cfg->nlangs; l++)
			buf_printf(&line, "%s%s %zu", l ? ", " : "", cfg->langs[l].code, st.pages[l]);
		buf_printf(&line, "), %zu files in %.2f s from %s -> %s", st.files + nfiles,
		           now() - t0, source_describe(src), outdir);
		if (o->incremental)
			buf_printf(&line, " (%zu pages unchanged, reused)", st.reused);
		buf_putc(&line, '\n');
		fputs(buf_str(&line), stdout);
		buf_free(&line);
	}
	rc = 0;
out:
	progress_free(progress);
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
	if (scratch != NULL)
		fs_rm_rf(scratch);
	free(scratch);
	free(st.pages);
	free(layouts[0]);
	free(layouts[1]);
	free(site_root);
	free(theme_dir);
	free(theme_listed);
	types_free(&types);
	if (rc != 0 && manifest_new != NULL)
		unlink(manifest_new);
	free(manifest_new);
	free(manifest);
	free(images_record);
	free(cache);
	free(outdir);
	free(tmpdir);
	catalog_free(cat);
	site_free(site);
	history_free(history);
	source_free(src);
	return rc;
}
