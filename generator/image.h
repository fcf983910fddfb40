/* image: what satchel publishes of an image, through libvips: never the uploaded bytes (a
 * photo's EXIF GPS tags can locate a child), but its pixels encoded again, orientation applied,
 * in sRGB, without any metadata, at its own width and smaller ones for srcset, each also in
 * WebP; and their sizes in pixels, so that pages give every <img> its width and height and the
 * layout does not jump while images load lazily. Thread-safe: workers call it at once. */
#ifndef SATCHEL_IMAGE_H
#define SATCHEL_IMAGE_H

#include <stddef.h>

/* Is path's extension (in any case) an image's: one published through image_publish (png, jpg,
 * jpeg, jpe, jfif, gif, webp, svg) or one image_publish refuses with a message saying
 * what to do (heic, heif, avif, tif, tiff, bmp, jxl, jp2, ico, psd, camera raw, ...)? */
int image_is_image(const char *path);
/* One file an image is published as. */
struct image_file {
	char *name;    /* beside the source's name: photo.jpg -> "photo-480.webp" */
	void *data;    /* its bytes (malloc'd; image_set_free frees them) */
	size_t len;
	int width, height;
	int webp;      /* a WebP version, for <source type="image/webp"> */
};

/* Every file one image is published as, in width order, the image's own format before WebP. */
struct image_set {
	struct image_file *files;
	size_t nfiles;
	const char *main; /* the name <img src> uses (a file of files): the source's own, else an
	                     SVG's PNG */
	int width, height; /* of main: orientation applied */
};

/* The widths below its own that an image is also published at (never upscaled). */
#define IMAGE_WIDTHS {480, 960, 1600}
/* The most pixels (all frames) an image may have: 100 million, a 12,000 x 8,000 scan. */
#define IMAGE_MAX_PIXELS 100e6

/* Decodes the image in data (named name: its extension says the format to publish: jpg/jpeg,
 * png, webp or gif; an svg is rasterised to PNG and WebP at its size and twice it, since an
 * SVG can carry script and embedded photos, and is never published itself) and encodes every
 * file it is published as into out (cleared first; free with image_set_free). Each is stripped
 * of EXIF, XMP, IPTC, ICC and comments and checked again after encoding; an animated GIF or
 * WebP keeps its frames at its own size only. The same bytes give the same files. Returns 0, or
 * -1 with a malloc'd message in *err when the image cannot be decoded or re-encoded (it must
 * then not be published). */
int image_publish(const char *name, const void *data, size_t len, struct image_set *out,
                  char **err);
void image_set_free(struct image_set *s);
/* The srcset of s's files in its own format (webp 0) or WebP (1), each URL dir (ending in "/")
 * then the name, with the characters srcset or an attribute would misread percent-encoded; NULL
 * when s has no such file. The caller frees. */
char *image_srcset(const struct image_set *s, const char *dir, int webp);
/* SHA-256, in hex, of data and, when name is not NULL, of what else decides what image_publish
 * makes of it (its file name and satchel's settings): a key for the files published before.
 * The caller frees. */
char *image_hash(const char *name, const void *data, size_t len);
/* Releases libvips (call once, at exit, after the last image_publish). */
void image_shutdown(void);

#endif
