/* image: what a published image is made of — never the upload's metadata, upright, at the
 * widths its srcset names, the same bytes every time. */
#include <string.h>

#include "image.h"
#include "test.h"
#include "util/fs.h"

static struct buf
read_source(const char *rel)
{
	struct buf b = BUF_INIT;
	char *path = fs_join(SATCHEL_SOURCE_DIR, rel);
	if (fs_read_file(path, &b) < 0)
		fprintf(stderr, "cannot read %s\n", path);
	free(path);
	return b;
}

static const struct image_file *
file_named(const struct image_set *s, const char *name)
{
	for (size_t i = 0; i < s->nfiles; i++)
		if (strcmp(s->files[i].name, name) == 0)
			return &s->files[i];
	return NULL;
}

/* The markers of EXIF (and so GPS), XMP and IPTC blocks in JPEG and WebP files. */
static int
holds_metadata(const struct image_file *f)
{
	static const char *const markers[] = {"Exif", "GPS", "http://ns.adobe.com/xap", "Photoshop 3.0",
	                                      "ICC_PROFILE", "Sofia"};
	for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
		if (memmem(f->data, f->len, markers[i], strlen(markers[i])) != NULL)
			return 1;
	return 0;
}

TEST(test_photo_loses_gps_exif_xmp_iptc)
{
	struct buf b = read_source("tests/fixtures/photo-gps.jpg");
	CHECK(memmem(b.data, b.len, "GPS", 3) != NULL); /* the fixture does carry them */
	struct image_set s;
	char *err;
	CHECK(image_publish("content/x/photo.jpg", b.data, b.len, &s, &err) == 0);
	CHECK(s.nfiles == 4);
	for (size_t i = 0; i < s.nfiles; i++)
		CHECK(!holds_metadata(&s.files[i]));
	image_set_free(&s);
	buf_free(&b);
}

/* EXIF Orientation 6: stored 1200x800, shown (and published) 800x1200. */
TEST(test_photo_turned_upright)
{
	struct buf b = read_source("tests/fixtures/photo-gps.jpg");
	struct image_set s;
	char *err;
	CHECK(image_publish("photo.JPG", b.data, b.len, &s, &err) == 0);
	CHECK(s.width == 800 && s.height == 1200);
	CHECK_STR(s.main, "photo.JPG"); /* the extension as written: links to it still work */
	const struct image_file *small = file_named(&s, "photo-480.JPG");
	CHECK(small != NULL && small->width == 480 && small->height == 720 && !small->webp);
	const struct image_file *webp = file_named(&s, "photo-480.webp");
	CHECK(webp != NULL && webp->webp && memcmp(webp->data, "RIFF", 4) == 0);
	CHECK(file_named(&s, "photo.webp") != NULL);
	CHECK(file_named(&s, "photo-960.JPG") == NULL); /* never upscaled */
	image_set_free(&s);
	buf_free(&b);
}

TEST(test_same_bytes_every_time)
{
	struct buf b = read_source("tests/fixtures/photo-gps.jpg");
	struct image_set s1, s2;
	char *err;
	CHECK(image_publish("photo.jpg", b.data, b.len, &s1, &err) == 0);
	CHECK(image_publish("photo.jpg", b.data, b.len, &s2, &err) == 0);
	CHECK(s1.nfiles == s2.nfiles);
	for (size_t i = 0; i < s1.nfiles && i < s2.nfiles; i++)
		CHECK(s1.files[i].len == s2.files[i].len &&
		      memcmp(s1.files[i].data, s2.files[i].data, s1.files[i].len) == 0);
	image_set_free(&s1);
	image_set_free(&s2);
	buf_free(&b);
}

/* A PNG drawing stays PNG, gets WebP beside it, and is not made wider than it is. */
TEST(test_png_drawing_widths)
{
	struct buf b = read_source("content/by-children/a-safe-room-to-talk/drawing.png");
	struct image_set s;
	char *err;
	CHECK(image_publish("drawing.png", b.data, b.len, &s, &err) == 0);
	CHECK(s.nfiles == 4);
	CHECK(file_named(&s, "drawing-480.png") != NULL && file_named(&s, "drawing.webp") != NULL);
	for (size_t i = 0; i < s.nfiles; i++)
		CHECK(s.files[i].width <= 800);
	const struct image_file *png = file_named(&s, "drawing.png");
	CHECK(png != NULL && memcmp(png->data, "\x89PNG", 4) == 0);
	image_set_free(&s);
	buf_free(&b);
}

/* An SVG can run script when opened: only its pixels are published, at its size and twice it. */
TEST(test_svg_becomes_png_and_webp)
{
	const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"300\" height=\"150\">"
	                  "<script>alert(1)</script><rect width=\"300\" height=\"150\" fill=\"#36c\"/></svg>";
	struct image_set s;
	char *err;
	CHECK(image_publish("plan.svg", svg, strlen(svg), &s, &err) == 0);
	CHECK_STR(s.main, "plan.png");
	CHECK(s.width == 300 && s.height == 150);
	const struct image_file *big = file_named(&s, "plan-600.png");
	CHECK(big != NULL && big->width == 600 && big->height == 300);
	CHECK(file_named(&s, "plan-600.webp") != NULL && file_named(&s, "plan.webp") != NULL);
	for (size_t i = 0; i < s.nfiles; i++)
		CHECK(memmem(s.files[i].data, s.files[i].len, "script", 6) == NULL);
	image_set_free(&s);
}

/* A tiny file that claims gigapixels is refused before decoding; a huge SVG is drawn no wider
 * than the widest width. */
TEST(test_huge_images_refused_or_capped)
{
	/* A 69-byte PNG: IHDR 60000 x 60000, one small IDAT. */
	static const unsigned char png[] = {
	    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
	    0x52, 0x00, 0x00, 0xea, 0x60, 0x00, 0x00, 0xea, 0x60, 0x08, 0x02, 0x00, 0x00, 0x00, 0x0f,
	    0xb0, 0xe2, 0x15, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60,
	    0xa0, 0x3d, 0x00, 0x00, 0x00, 0x64, 0x00, 0x01, 0x86, 0x64, 0x3c, 0x35, 0x00, 0x00, 0x00,
	    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
	struct image_set s;
	char *err;
	CHECK(image_publish("bomb.png", png, sizeof png, &s, &err) == -1);
	CHECK(s.nfiles == 0);
	CHECK_CONTAINS(err, "too large to publish (60000x60000 pixels");
	free(err);
	const char *svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50000\" height=\"100\">"
	                  "<rect width=\"50000\" height=\"100\" fill=\"#36c\"/></svg>";
	CHECK(image_publish("wide.svg", svg, strlen(svg), &s, &err) == 0);
	CHECK(s.width == 1600);
	for (size_t i = 0; i < s.nfiles; i++)
		CHECK(s.files[i].width <= 1600);
	image_set_free(&s);
}

/* An animation keeps its frames (a 600x100 GIF of two frames), at its own size only. */
TEST(test_animated_gif_keeps_frames)
{
	struct buf b = read_source("tests/fixtures/anim.gif");
	struct image_set s;
	char *err;
	CHECK(image_publish("anim.gif", b.data, b.len, &s, &err) == 0);
	CHECK(s.nfiles == 1 && s.width == 600 && s.height == 100);
	CHECK(s.nfiles == 1 && memmem(s.files[0].data, s.files[0].len, "NETSCAPE2.0", 11) != NULL);
	image_set_free(&s);
	buf_free(&b);
}

/* What cannot be decoded is an error, never published as it came. */
TEST(test_undecodable_is_an_error)
{
	struct image_set s;
	char *err;
	CHECK(image_publish("photo.jpg", "not a JPEG", 10, &s, &err) == -1);
	CHECK(err != NULL && s.nfiles == 0 && s.files == NULL);
	CHECK_CONTAINS(err, "cannot read the image");
	free(err);
	CHECK(image_publish("photo.jpg", "", 0, &s, &err) == -1);
	free(err);
	CHECK(image_publish("notes.txt", "text", 4, &s, &err) == -1);
	free(err);
	/* Half a photo is refused, not published half grey. */
	struct buf b = read_source("tests/fixtures/photo-gps.jpg");
	CHECK(image_publish("photo.jpg", b.data, b.len / 2, &s, &err) == -1);
	CHECK(s.nfiles == 0);
	free(err);
	buf_free(&b);
}

TEST(test_srcset_urls_escaped)
{
	struct image_file files[] = {
	    {"a b,1-480.jpg", NULL, 0, 480, 320, 0}, {"a b,1-480.webp", NULL, 0, 480, 320, 1},
	    {"a b,1.jpg", NULL, 0, 900, 600, 0},     {"a b,1.webp", NULL, 0, 900, 600, 1},
	};
	struct image_set s = {files, 4, "a b,1.jpg", 900, 600};
	char *own = image_srcset(&s, "/en/x\"y/", 0), *webp = image_srcset(&s, "/en/x\"y/", 1);
	CHECK_STR(own, "/en/x%22y/a%20b%2C1-480.jpg 480w, /en/x%22y/a%20b%2C1.jpg 900w");
	CHECK_STR(webp, "/en/x%22y/a%20b%2C1-480.webp 480w, /en/x%22y/a%20b%2C1.webp 900w");
	free(own);
	free(webp);
	s.nfiles = 1;
	CHECK(image_srcset(&s, "/", 1) == NULL);
}

/* A .jfif or .JPE is a JPEG: re-encoded under its own name; photos browsers do not all show
 * (HEIC, TIFF, AVIF, BMP, JPEG XL) are refused with what to do, whatever their bytes. */
TEST(test_jpeg_names_and_refused_formats)
{
	struct buf b = read_source("tests/fixtures/photo-gps.jpg");
	struct image_set s;
	char *err = NULL;
	CHECK(image_is_image("a/photo.jfif") && image_is_image("PHOTO.JPE") &&
	      image_is_image("x.HEIC") && !image_is_image("x.svgz") && !image_is_image(".jpg/x"));
	CHECK(image_publish("photo.jfif", b.data, b.len, &s, &err) == 0);
	CHECK(s.main != NULL && strcmp(s.main, "photo.jfif") == 0);
	for (size_t i = 0; i < s.nfiles; i++)
		CHECK(!holds_metadata(&s.files[i]));
	image_set_free(&s);
	static const char *const refused[] = {"p.heic", "p.HEIF", "p.avif", "p.tif", "p.TIFF",
	                                      "p.bmp", "p.jxl", "p.jp2", "p.psd", "p.dng"};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		CHECK(image_publish(refused[i], b.data, b.len, &s, &err) == -1);
		CHECK_CONTAINS(err, "image is not published: save it as JPEG or PNG");
		CHECK(s.nfiles == 0);
		free(err);
	}
	buf_free(&b);
}

int
main(void)
{
	RUN(test_photo_loses_gps_exif_xmp_iptc);
	RUN(test_photo_turned_upright);
	RUN(test_same_bytes_every_time);
	RUN(test_png_drawing_widths);
	RUN(test_svg_becomes_png_and_webp);
	RUN(test_animated_gif_keeps_frames);
	RUN(test_huge_images_refused_or_capped);
	RUN(test_undecodable_is_an_error);
	RUN(test_srcset_urls_escaped);
	RUN(test_jpeg_names_and_refused_formats);
	image_shutdown();
	return TEST_END();
}
