/* media: the site's images published, each decoded and encoded again without metadata at
 * several widths (image.c), reusing the previous build's files for an image whose bytes are
 * the same. */
#include "media.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filetype.h"
#include "image.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/progress.h"
#include "util/xalloc.h"

struct media {
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
	 * record (one line per image) read, and the lines of this one. */
	const char *prev;
	struct buf prev_manifest;
	struct map cache; /* image_hash -> the rest of its line, in prev_manifest */
	char **lines;
	size_t nlines;
	struct progress *progress; /* borrowed, or NULL */
};


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
from_cache(struct media *im, const char *key, struct image_set *set)
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
	struct media *im = payload;
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
			if (f != NULL)
				f->type = filetype_published_type(set.main, set.files[k].data, set.files[k].len);
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


/* satchel's manifests live beside the output folder, not in it: nothing of satchel's own is
 * published. The image manifest's keys are hashes of the uploaded originals (a published one
 * would let anyone holding a photo confirm that it was the source of an image on the hub);
 * the pages' one (RENDER_MANIFEST) lists what each page was made from.
 * ("/srv/www/hub", ".satchel-images") -> "/srv/www/.hub.satchel-images". */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Writes this build's manifest (in key order, so that output is reproducible) and frees what
 * the images took. */

struct media *
media_new(struct source *src, const char *outdir, const char *prev_dir, const char *prev_record)
{
	struct media *im = xcalloc(1, sizeof *im);
	im->src = src;
	im->outdir = outdir;
	pthread_mutex_init(&im->lock, NULL);
	if (prev_dir != NULL && prev_record != NULL) {
		im->prev = prev_dir;
		buf_puts(&im->prev_manifest, prev_record);
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
	return im;
}

void
media_set_progress(struct media *im, struct progress *progress)
{
	im->progress = progress;
}

void
media_claim(struct media *im, const char *url, const char *path)
{
	map_put(&im->claimed, url, (void *)path);
}

size_t
media_publish_files(struct media *im, struct site_file **files, size_t n, int nthreads)
{
	im->files = files;
	im->paths = NULL;
	im->n = n;
	im->written = 0;
	progress_begin(im->progress, "images", n);
	pool_run(n, nthreads, image_one, im);
	return im->written;
}

size_t
media_publish_paths(struct media *im, char **paths, size_t n, const char *from, int nthreads)
{
	im->files = NULL;
	im->paths = paths;
	im->n = n;
	im->from_len = strlen(from);
	im->written = 0;
	progress_begin(im->progress, "images", n);
	pool_run(n, nthreads, image_one, im);
	return im->written;
}

void
media_free(struct media *im, struct buf *record)
{
	if (im == NULL)
		return;
	if (im->nlines > 1)
		qsort(im->lines, im->nlines, sizeof *im->lines, cmp_str);
	for (size_t i = 0; i < im->nlines; i++) {
		if (record != NULL)
			buf_printf(record, "%s\n", im->lines[i]);
		free(im->lines[i]);
	}
	free(im->lines);
	map_free(&im->claimed);
	map_free(&im->cache);
	buf_free(&im->prev_manifest);
	pthread_mutex_destroy(&im->lock);
	free(im);
}
