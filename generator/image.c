/* image: libvips: the stripped, resized files an image is published as. */
#include "image.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <vips/vips.h>

#include "util/buf.h"
#include "util/xalloc.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int ready;

/* libvips' warnings (a truncated file's) come without the file's path; satchel reports the
 * failure itself, at the path. */
static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer payload)
{
	(void)domain, (void)level, (void)message, (void)payload;
}

/* libvips 8.14 dlopens every module in LIBDIR/vips-modules-8.14 in vips_init (JPEG XL, HEIF,
 * ImageMagick, OpenSlide, Poppler on Debian): their decoders would read partner uploads that
 * satchel refuses anyway, and libhwy (through the JPEG XL one) runs, as the module loads,
 * an instruction valgrind cannot run on AMD processors. LIBDIR comes from $VIPSHOME when set
 * (vips_guess_libdir: VIPSHOME + the last part of the configure-time libdir), so it is pointed
 * at /proc, where no folder can be made: only the formats built into libvips itself are read
 * (JPEG, PNG, WebP, GIF, SVG through librsvg, and the ones image_publish refuses by name). */
static void
init(void)
{
	g_setenv("VIPSHOME", "/proc", TRUE);
	ready = VIPS_INIT("satchel") == 0;
	if (ready) {
		/* Partner content is not trusted: only the loaders libvips marks safe, and no cache. */
		vips_block_untrusted_set(TRUE);
		/* ... but logos are SVG: librsvg reads them (without fetching anything). */
		vips_operation_block_set("VipsForeignLoadSvg", FALSE);
		vips_cache_set_max(0);
		g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING, quiet, NULL);
	}
}

/* The formats an image is published in, by what its name promises the browser; F_REFUSED for
 * the images satchel does not publish (browsers do not all show them, and they would have to
 * be published under another name, which links would not follow). */
enum fmt { F_NONE, F_JPEG, F_PNG, F_WEBP, F_GIF, F_SVG, F_REFUSED };

static const struct {
	const char *ext;
	enum fmt f;
} exts[] = {
    {"jpg", F_JPEG}, {"jpeg", F_JPEG}, {"jpe", F_JPEG}, {"jfif", F_JPEG}, {"png", F_PNG},
    {"webp", F_WEBP}, {"gif", F_GIF}, {"svg", F_SVG},
    /* Photos as cameras, phones and scanners save them, and other formats libvips (or one of
     * its modules) can read: every one may carry EXIF GPS. */
    {"heic", F_REFUSED}, {"heif", F_REFUSED}, {"hif", F_REFUSED}, {"avif", F_REFUSED},
    {"tif", F_REFUSED}, {"tiff", F_REFUSED}, {"bmp", F_REFUSED}, {"dib", F_REFUSED},
    {"jxl", F_REFUSED}, {"jp2", F_REFUSED}, {"j2k", F_REFUSED}, {"jpf", F_REFUSED},
    {"jpx", F_REFUSED}, {"jpm", F_REFUSED},
    /* Not here: icons (.ico, .cur). A site's own static/favicon.ico is published as it is,
     * through the metadata scan every such file gets; content/'s allow-list has no icons. */
    {"psd", F_REFUSED}, {"dng", F_REFUSED}, {"cr2", F_REFUSED}, {"cr3", F_REFUSED},
    {"nef", F_REFUSED}, {"arw", F_REFUSED}, {"orf", F_REFUSED}, {"rw2", F_REFUSED},
    {"raf", F_REFUSED}, {"exr", F_REFUSED}, {"hdr", F_REFUSED}, {"pnm", F_REFUSED},
    {"ppm", F_REFUSED}, {"pgm", F_REFUSED}, {"pbm", F_REFUSED}, {"pfm", F_REFUSED},
    {"fits", F_REFUSED}, {"fit", F_REFUSED}, {"v", F_REFUSED}, {"vips", F_REFUSED},
};

static enum fmt
format_of(const char *name)
{
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	const char *dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		return F_NONE;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (strcasecmp(dot + 1, exts[i].ext) == 0)
			return exts[i].f;
	return F_NONE;
}

int
image_is_image(const char *path)
{
	return format_of(path) != F_NONE;
}

/* libvips' last error, one line, as the caller's message; clears it. */
static char *
vips_message(const char *what)
{
	const char *e = vips_error_buffer();
	size_t n = strcspn(e, "\n");
	char *msg = n ? xasprintf("%s: %.*s", what, (int)n, e) : xstrdup(what);
	vips_error_clear();
	return msg;
}

/* Fields kept: what the pixels need to be saved (frames, palette depth). Every other field —
 * exif-*, xmp-data, iptc-data, photoshop-data, icc-profile-data, comments, resolution — goes,
 * as well as the savers' `strip`, so that nothing depends on one saver's idea of metadata. */
static int
kept_field(const char *name)
{
	static const char *const keep[] = {"page-height", "n-pages", "delay", "loop", "gif-delay",
	                                   "gif-loop", "palette-bit-depth", "bits-per-sample"};
	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (strcmp(name, keep[i]) == 0)
			return 1;
	return 0;
}

/* A copy of in without metadata (in is unreffed), or NULL. */
static VipsImage *
strip_fields(VipsImage *in)
{
	VipsImage *out;
	if (vips_copy(in, &out, NULL) != 0) {
		g_object_unref(in);
		return NULL;
	}
	g_object_unref(in);
	gchar **fields = vips_image_get_fields(out);
	for (gchar **f = fields; *f != NULL; f++)
		if (!kept_field(*f))
			vips_image_remove(out, *f); /* built-in fields (width…) are not removable: no-op */
	g_strfreev(fields);
	return out;
}

/* Replaces *im by op's result, unreffing the old; 0 or -1. */
static int
step(VipsImage **im, int rc, VipsImage **out)
{
	if (rc != 0)
		return -1;
	g_object_unref(*im);
	*im = *out;
	return 0;
}

/* Pixels the way every browser shows them the same: orientation applied, 8-bit sRGB or grey.
 * An embedded profile is converted from, not dropped, so colours stay. */
static int
normalise(VipsImage **im)
{
	VipsImage *t;
	if (step(im, vips_autorot(*im, &t, NULL), &t) < 0)
		return -1;
	if (vips_image_get_typeof(*im, VIPS_META_ICC_NAME) && vips_icc_present()) {
		if (step(im, vips_icc_transform(*im, &t, "srgb", "embedded", TRUE, NULL), &t) < 0)
			return -1;
	}
	VipsInterpretation in = vips_image_get_interpretation(*im);
	int grey = vips_image_get_bands(*im) <= 2 && in != VIPS_INTERPRETATION_CMYK;
	if (vips_image_get_format(*im) != VIPS_FORMAT_UCHAR || in == VIPS_INTERPRETATION_CMYK ||
	    in == VIPS_INTERPRETATION_LAB || in == VIPS_INTERPRETATION_scRGB) {
		VipsInterpretation to = grey ? VIPS_INTERPRETATION_B_W : VIPS_INTERPRETATION_sRGB;
		if (step(im, vips_colourspace(*im, &t, to, NULL), &t) < 0)
			return -1;
		if (vips_image_get_format(*im) != VIPS_FORMAT_UCHAR &&
		    step(im, vips_cast_uchar(*im, &t, NULL), &t) < 0)
			return -1;
	}
	return 0;
}

/* libvips 8.14's webpsave ignores `strip` (libvips issue 3340) and writes an EXIF chunk it
 * makes up: every chunk but the image's own goes here, in place. A WebP file is "RIFF", its
 * size, "WEBP", then chunks: a FourCC, a little-endian size, the payload padded to even. */
static int
webp_strip(unsigned char *d, size_t *len)
{
	if (*len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
		return -1;
	size_t in = 12, out = 12;
	while (in + 8 <= *len) {
		uint32_t n = d[in + 4] | (uint32_t)d[in + 5] << 8 | (uint32_t)d[in + 6] << 16 |
		             (uint32_t)d[in + 7] << 24;
		if ((size_t)n > *len - in - 8 || (n & 1 && (size_t)n + 1 > *len - in - 8))
			return -1;
		size_t total = 8 + (size_t)n + (n & 1);
		if (memcmp(d + in, "EXIF", 4) != 0 && memcmp(d + in, "XMP ", 4) != 0 &&
		    memcmp(d + in, "ICCP", 4) != 0) {
			memmove(d + out, d + in, total);
			if (memcmp(d + out, "VP8X", 4) == 0 && n >= 1)
				d[out + 8] &= (unsigned char)~(0x20 | 0x08 | 0x04); /* ICC, EXIF, XMP flags */
			out += total;
		}
		in += total;
	}
	if (in != *len)
		return -1;
	uint32_t riff = (uint32_t)(out - 8);
	for (int i = 0; i < 4; i++)
		d[4 + i] = (unsigned char)(riff >> (8 * i));
	*len = out;
	return 0;
}

/* Encodes im as fmt; the buffer is g_malloc'd. Settings are fixed so that output is
 * reproducible. */
static int
encode(VipsImage *im, enum fmt fmt, int palette, void **data, size_t *len)
{
	switch (fmt) {
	case F_JPEG:
		return vips_jpegsave_buffer(im, data, len, "strip", TRUE, "Q", 85, "optimize_coding",
		                            TRUE, NULL);
	case F_PNG:
		/* Drawings: the adaptive filter and full zlib effort keep them below the upload's size. */
		return vips_pngsave_buffer(im, data, len, "strip", TRUE, "palette", palette, "compression",
		                           9, "filter", VIPS_FOREIGN_PNG_FILTER_ALL, NULL);
	case F_WEBP:
		if (vips_webpsave_buffer(im, data, len, "strip", TRUE, "Q", 80, NULL) != 0)
			return -1;
		if (webp_strip(*data, len) == 0)
			return 0;
		vips_error("satchel", "libvips wrote a WebP file satchel cannot read");
		return -1;
	case F_GIF:
		return vips_gifsave_buffer(im, data, len, "strip", TRUE, NULL);
	default:
		return -1;
	}
}

/* What a browser or exiftool would find again: a loader's metadata fields in what was encoded.
 * Belt and braces for the savers' strip (whose meaning changed between libvips versions). */
static int
still_tagged(const void *data, size_t len)
{
	static const char *const tags[] = {VIPS_META_EXIF_NAME, VIPS_META_XMP_NAME,
	                                   VIPS_META_IPTC_NAME, VIPS_META_PHOTOSHOP_NAME,
	                                   VIPS_META_ICC_NAME, VIPS_META_ORIENTATION};
	VipsImage *im = vips_image_new_from_buffer(data, len, "", NULL);
	if (im == NULL) {
		vips_error_clear();
		return 1;
	}
	int found = 0;
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++)
		if (vips_image_get_typeof(im, tags[i]) &&
		    (strcmp(tags[i], VIPS_META_ORIENTATION) != 0 || vips_image_get_orientation(im) != 1))
			found = 1;
	g_object_unref(im);
	return found;
}

/* Adds im encoded as fmt to out under stem[-width].ext (the width part when suffix). */
static int
add_file(struct image_set *out, VipsImage *im, enum fmt fmt, const char *stem, const char *ext,
         int suffix, int palette, char **err)
{
	void *data = NULL;
	size_t len = 0;
	int w = vips_image_get_width(im);
	if (encode(im, fmt, palette, &data, &len) != 0) {
		*err = vips_message("cannot encode the image");
		return -1;
	}
	if (still_tagged(data, len)) {
		g_free(data);
		*err = xstrdup("metadata survived re-encoding; the image is not published");
		return -1;
	}
	out->files = xrealloc(out->files, (out->nfiles + 1) * sizeof *out->files);
	struct image_file *f = &out->files[out->nfiles++];
	f->name = suffix ? xasprintf("%s-%d.%s", stem, w, ext) : xasprintf("%s.%s", stem, ext);
	f->data = xmalloc(len); /* the caller's allocator, not GLib's */
	memcpy(f->data, data, len);
	g_free(data);
	f->len = len;
	f->width = w;
	f->height = vips_image_get_page_height(im);
	f->webp = fmt == F_WEBP;
	return 0;
}

/* One width of the image: in its own format and, unless it is WebP already, in WebP. */
static int
add_width(struct image_set *out, VipsImage *im, enum fmt fmt, const char *stem, const char *ext,
          int suffix, int palette, char **err)
{
	VipsImage *s = strip_fields(im); /* takes im */
	if (s == NULL) {
		*err = vips_message("cannot copy the image");
		return -1;
	}
	int rc = add_file(out, s, fmt, stem, ext, suffix, palette, err);
	if (rc == 0 && fmt != F_WEBP)
		rc = add_file(out, s, F_WEBP, stem, "webp", suffix, 0, err);
	g_object_unref(s);
	return rc;
}

static int
publish_svg(struct image_set *out, const void *data, size_t len, const char *stem, char **err)
{
	static const int widths[] = IMAGE_WIDTHS;
	VipsImage *im = vips_image_new_from_buffer(data, len, "", NULL);
	if (im == NULL) {
		*err = vips_message("cannot read the SVG");
		return -1;
	}
	int w = vips_image_get_width(im);
	g_object_unref(im);
	/* Vector: the widths below its own, its own, and twice it for dense screens; but one that
	 * claims to be huge is drawn no wider than the widest width. */
	if (w > widths[sizeof widths / sizeof widths[0] - 1])
		w = widths[sizeof widths / sizeof widths[0] - 1];
	int want[sizeof widths / sizeof widths[0] + 2], n = 0;
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (widths[i] < w)
			want[n++] = widths[i];
	want[n++] = w;
	if (2 * w <= widths[sizeof widths / sizeof widths[0] - 1])
		want[n++] = 2 * w;
	for (int i = 0; i < n; i++) {
		VipsImage *t;
		if (vips_thumbnail_buffer((void *)data, len, &t, want[i], "height", VIPS_MAX_COORD,
		                          NULL) != 0 ||
		    normalise(&t) < 0) {
			*err = vips_message("cannot rasterise the SVG");
			return -1;
		}
		if (want[i] == w) {
			out->width = vips_image_get_width(t);
			out->height = vips_image_get_height(t);
		}
		if (add_width(out, t, F_PNG, stem, "png", want[i] != w, 0, err) < 0)
			return -1;
	}
	return 0;
}

int
image_publish(const char *name, const void *data, size_t len, struct image_set *out, char **err)
{
	static const int widths[] = IMAGE_WIDTHS;
	memset(out, 0, sizeof *out);
	*err = NULL;
	pthread_once(&once, init);
	enum fmt fmt = format_of(name);
	if (fmt == F_REFUSED) {
		*err = xasprintf("a .%s image is not published: save it as JPEG or PNG (its GPS position "
		                 "and other metadata are then removed when it is published) and link "
		                 "that file instead", strrchr(name, '.') + 1);
		return -1;
	}
	if (!ready || fmt == F_NONE || len == 0) {
		*err = xstrdup(len == 0 ? "the image is empty" : "not an image satchel can publish");
		return -1;
	}
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	char *stem = xstrndup(base, (size_t)(strrchr(base, '.') - base));
	/* Its own format keeps the extension as written (photo.JPEG stays photo.JPEG); an SVG's
	 * pixels are PNG. */
	const char *ext = fmt == F_SVG ? "png" : strrchr(base, '.') + 1;
	VipsImage *im = NULL;
	int rc = -1;
	if (fmt == F_SVG) {
		rc = publish_svg(out, data, len, stem, err);
		goto done;
	}
	/* All frames of an animation; random access, since the pixels are read once per width. */
	int animated = fmt == F_GIF || fmt == F_WEBP;
	/* A truncated upload is refused rather than published half grey. */
	im = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_RANDOM, "fail_on",
	                                VIPS_FAIL_ON_TRUNCATED, NULL);
	if (im != NULL && animated && vips_image_get_n_pages(im) > 1) {
		g_object_unref(im);
		im = vips_image_new_from_buffer(data, len, "", "access", VIPS_ACCESS_RANDOM, "n", -1,
		                                "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL);
	} else {
		animated = 0;
	}
	if (im == NULL) {
		*err = vips_message("cannot read the image");
		goto done;
	}
	/* A few bytes can claim gigapixels: those are refused before any pixel is decoded. */
	if ((double)vips_image_get_width(im) * vips_image_get_height(im) > IMAGE_MAX_PIXELS) {
		*err = xasprintf("the image is too large to publish (%dx%d pixels; at most %.0f million)",
		                 vips_image_get_width(im), vips_image_get_height(im),
		                 IMAGE_MAX_PIXELS / 1e6);
		goto done;
	}
	int palette = vips_image_get_typeof(im, "palette-bit-depth") != 0;
	if (normalise(&im) < 0) {
		*err = vips_message("cannot convert the image");
		goto done;
	}
	VipsImage *mem = vips_image_copy_memory(im); /* decode once, resize from memory */
	g_object_unref(im);
	im = mem;
	if (im == NULL) {
		*err = vips_message("cannot decode the image");
		goto done;
	}
	out->width = vips_image_get_width(im);
	out->height = vips_image_get_page_height(im);
	/* An animation keeps its frames in its own format, at its own size only. */
	if (animated) {
		VipsImage *s = strip_fields(im);
		im = NULL;
		rc = s == NULL ? -1 : add_file(out, s, fmt, stem, ext, 0, 0, err);
		if (s == NULL)
			*err = vips_message("cannot copy the image");
		if (s != NULL)
			g_object_unref(s);
		goto done;
	}
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
		if (widths[i] >= out->width)
			break;
		VipsImage *t;
		if (vips_thumbnail_image(im, &t, widths[i], "height", VIPS_MAX_COORD, NULL) != 0) {
			*err = vips_message("cannot resize the image");
			goto done;
		}
		if (add_width(out, t, fmt, stem, ext, 1, palette, err) < 0)
			goto done;
	}
	g_object_ref(im);
	rc = add_width(out, im, fmt, stem, ext, 0, palette, err);
done:
	if (im != NULL)
		g_object_unref(im);
	/* The main file: the source's own format at its own width (an SVG's PNG). */
	char *main_name = xasprintf("%s.%s", stem, ext);
	for (size_t i = 0; rc == 0 && i < out->nfiles; i++)
		if (strcmp(out->files[i].name, main_name) == 0)
			out->main = out->files[i].name;
	free(main_name);
	free(stem);
	if (rc == 0 && out->main == NULL) {
		*err = xstrdup("no file at the image's own size");
		rc = -1;
	}
	if (rc != 0)
		image_set_free(out);
	return rc;
}

void
image_set_free(struct image_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].name);
		free(s->files[i].data);
	}
	free(s->files);
	memset(s, 0, sizeof *s);
}

char *
image_srcset(const struct image_set *s, const char *dir, int webp)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct image_file *f = &s->files[i];
		if (f->webp != webp)
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		/* A space or comma would split the candidate; quotes and & would end the attribute. */
		for (const char *p = dir; p != NULL; p = p == dir ? f->name : NULL)
			buf_add_percent_encoded(&b, p, ",\"'<>&%", 0);
		buf_printf(&b, " %dw", f->width);
	}
	return b.len ? buf_detach(&b) : (buf_free(&b), NULL);
}

char *
image_hash(const char *name, const void *data, size_t len)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	if (name != NULL) {
		/* What else decides the files: the format, the stem of their names, the settings. */
		static const char settings[] = "satchel image 1: jpeg Q85, png 9 all, webp Q80, widths";
		static const int widths[] = IMAGE_WIDTHS;
		g_checksum_update(c, (const guchar *)settings, sizeof settings);
		g_checksum_update(c, (const guchar *)widths, sizeof widths);
		const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
		g_checksum_update(c, (const guchar *)base, (gssize)strlen(base) + 1);
	}
	g_checksum_update(c, data, (gssize)len);
	char *hex = xstrdup(g_checksum_get_string(c));
	g_checksum_free(c);
	return hex;
}

void
image_shutdown(void)
{
	if (ready)
		vips_shutdown();
}
