/* media: publishes a site's images — content images (files of page bundles) and static ones —
 * through image.c: decoded and encoded again without metadata, at several widths and in WebP,
 * one per job on the worker pool; an image whose bytes are the same as in the previous build is
 * taken from the previous output (each file checked against the digest it had). It sets a
 * content image's published URL, size, width, height and srcsets on its struct site_file, for
 * the pages that show it. The record of what was made (one line per image, keyed by a hash of
 * the original) is text in and text out: where it is kept is the driver's business. */
#ifndef SATCHEL_MEDIA_H
#define SATCHEL_MEDIA_H

#include <stddef.h>

#include "site.h"
#include "source.h"
#include "util/buf.h"

struct media;
struct progress;

/* Writes into outdir, reading originals from src (both borrowed until media_free). prev_dir and
 * prev_record (the previous build's output and record text, borrowed) may be NULL. */
struct media *media_new(struct source *src, const char *outdir, const char *prev_dir,
                        const char *prev_record);
/* Another file (not an image) is published at url: an image's version there is an error. */
void media_claim(struct media *m, const char *url, const char *path);
/* Publishes content images (setting their site_file fields); returns the files written. */
size_t media_publish_files(struct media *m, struct site_file **files, size_t n, int nthreads);
/* Publishes images at paths ("static/img/x.jpg", published as "/img/x.jpg" when from is
 * "static"); returns the files written. paths are borrowed for the call. */
size_t media_publish_paths(struct media *m, char **paths, size_t n, const char *from, int nthreads);
/* Counts the images done on progress (borrowed; NULL: none). */
void media_set_progress(struct media *m, struct progress *progress);
/* Appends this build's record to record (in key order; may be NULL) and frees m. */
void media_free(struct media *m, struct buf *record);

#endif
