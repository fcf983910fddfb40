/* filetype: the allow-list of files beside pages, and the scan for what locates or identifies
 * someone in files published as they are. */
#include "test.h"

#include <stdint.h>

#include <gio/gio.h>

#include "filetype.h"

TEST(test_active_and_unknown_files_refused)
{
	static const char *const bad[] = {"content/x/page.html", "content/x/OLD.HTM",
	                                  "content/x/a.xhtml",   "content/x/app.js",
	                                  "content/x/m.mjs",     "content/x/logo.svgz",
	                                  "content/x/run.wasm",  "content/x/s.css",
	                                  "content/x/d.xml",     "content/x/notes.xyz",
	                                  "content/x/README",    "content/x/.htaccess",
	                                  "content/x.pdf/README"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *why = filetype_refused(bad[i]);
		CHECK(why != NULL);
		CHECK_CONTAINS(why, "not published");
		free(why);
	}
	char *why = filetype_refused("content/x/page.html");
	CHECK_CONTAINS(why, "a .html file is not published");
	free(why);
	static const char *const good[] = {"content/x/guide.PDF", "content/x/film.Mp4",
	                                   "content/x/film.en.vtt", "content/x/talk.opus",
	                                   "content/x/data.json", "content/x/photo.jfif",
	                                   "content/x/photo.heic" /* refused by image_publish */};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		CHECK(filetype_refused(good[i]) == NULL);
	CHECK_STR(filetype_media_type("x/GUIDE.PDF"), "application/pdf");
	CHECK_STR(filetype_media_type("x/a.jfif"), "image/jpeg");
	CHECK_STR(filetype_media_type("x/a.html"), "application/octet-stream");
}

/* What feeds and pages declare of a file is about the bytes published: their signature when it
 * names one type, else the published name's extension. */
TEST(test_published_type_from_bytes_then_name)
{
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const char jpg[] = "\xff\xd8\xff\xe0\0\x10JFIF";
	static const char gif[] = "GIF89a\x01\0\x01\0";
	static const char gif87[] = "GIF87a\x01\0\x01\0";
	static const char webp[] = "RIFF\x24\0\0\0WEBPVP8 ";
	static const char wav[] = "RIFF\x24\0\0\0WAVEfmt ";
	static const char pdf[] = "%PDF-1.7\n";
	static const char svg[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
	static const char text[] = "plain words";
	/* Bytes and name agree. */
	CHECK_STR(filetype_published_type("/en/p/logo.png", png, sizeof png - 1), "image/png");
	CHECK_STR(filetype_published_type("/en/p/a.jpg", jpg, sizeof jpg - 1), "image/jpeg");
	CHECK_STR(filetype_published_type("/en/p/a.JPEG", jpg, sizeof jpg - 1), "image/jpeg");
	CHECK_STR(filetype_published_type("/en/p/a.jfif", jpg, sizeof jpg - 1), "image/jpeg");
	CHECK_STR(filetype_published_type("/en/p/a.webp", webp, sizeof webp - 1), "image/webp");
	CHECK_STR(filetype_published_type("/en/p/a.gif", gif, sizeof gif - 1), "image/gif");
	CHECK_STR(filetype_published_type("/en/p/a.gif", gif87, sizeof gif87 - 1), "image/gif");
	CHECK_STR(filetype_published_type("/en/p/a.pdf", pdf, sizeof pdf - 1), "application/pdf");
	/* The bytes win over a name that says otherwise (the bug: a PNG declared image/svg+xml). */
	CHECK_STR(filetype_published_type("/en/p/logo.svg", png, sizeof png - 1), "image/png");
	CHECK_STR(filetype_published_type("/en/p/photo.png", jpg, sizeof jpg - 1), "image/jpeg");
	CHECK_STR(filetype_published_type("/en/p/anim.webp", gif, sizeof gif - 1), "image/gif");
	CHECK_STR(filetype_published_type("/en/p/x.jpg", webp, sizeof webp - 1), "image/webp");
	/* RIFF that is not WebP, SVG text, short or no bytes: the name's extension. */
	CHECK_STR(filetype_published_type("/en/p/talk.wav", wav, sizeof wav - 1), "audio/wav");
	CHECK_STR(filetype_published_type("/en/p/logo.svg", svg, sizeof svg - 1), "image/svg+xml");
	CHECK_STR(filetype_published_type("/en/p/a.png", png, 4), "image/png");
	CHECK_STR(filetype_published_type("/en/p/a.txt", png, 4), "text/plain");
	CHECK_STR(filetype_published_type("/en/p/a.gif", NULL, 0), "image/gif");
	CHECK_STR(filetype_published_type("/en/p/a.jfif", NULL, 0), "image/jpeg");
	CHECK_STR(filetype_published_type("/en/p/notes.txt", text, sizeof text - 1), "text/plain");
	/* Unknown: neither bytes nor name say. */
	CHECK_STR(filetype_published_type("/en/p/blob.xyz", text, sizeof text - 1), "application/octet-stream");
	CHECK_STR(filetype_published_type("/en/p/README", NULL, 0), "application/octet-stream");
	CHECK_STR(filetype_published_type("/en/p/blob.xyz", png, sizeof png - 1), "image/png");
}

/* A TIFF structure with IFD0 {tag, type 4, count 1, value}; little- or big-endian. The GPS IFD
 * (one entry, GPSLatitudeRef 'N') follows when tag is GPSInfo. */
static size_t
tiff(unsigned char *d, int le, unsigned tag)
{
	unsigned char *p = d;
#define W16(v) (le ? (*p++ = (v) & 0xff, *p++ = (v) >> 8) : (*p++ = (v) >> 8, *p++ = (v) & 0xff))
#define W32(v) (le ? (W16((v) & 0xffff), W16((v) >> 16)) : (W16((v) >> 16), W16((v) & 0xffff)))
	*p++ = le ? 'I' : 'M';
	*p++ = le ? 'I' : 'M';
	W16(42);
	W32(8u);
	W16(1); /* IFD0 at 8: one entry */
	W16(tag);
	W16(4);
	W32(1u);
	W32(26u); /* GPS IFD at 26 */
	W32(0u);  /* no next IFD */
	W16(1);   /* the GPS IFD: GPSLatitudeRef "N" */
	W16(1);
	W16(2);
	W32(2u);
	*p++ = 'N';
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	W32(0u);
#undef W16
#undef W32
	return (size_t)(p - d);
}

TEST(test_exif_gps_found_anywhere)
{
	unsigned char d[256] = {0};
	for (int le = 0; le < 2; le++) {
		memcpy(d, "%PDF-1.4 junk Exif", 18);
		size_t n = 18 + tiff(d + 18, le, 0x8825);
		char *f = filetype_scan(d, n);
		CHECK(f != NULL);
		CHECK_STR(f, "a GPS position (EXIF)");
		free(f);
		/* The same structure with a harmless tag (Make) is nothing. */
		memset(d, 0, sizeof d);
		n = tiff(d, le, 0x010F);
		CHECK(filetype_scan(d, n) == NULL);
		/* Serial numbers. */
		n = tiff(d, le, 0xA431);
		f = filetype_scan(d, n);
		CHECK_STR(f, "a camera serial number (EXIF)");
		free(f);
	}
	/* A TIFF header by chance, with no well-formed IFD after it, is not EXIF. */
	unsigned char junk[64] = "II*\0\x08\0\0\0\xff\xff\x88\x25";
	CHECK(filetype_scan(junk, sizeof junk) == NULL);
}

TEST(test_xmp_gps_serial_comment)
{
	const char *gps = "xx<x:xmpmeta><rdf:RDF><rdf:Description exif:GPSLatitude=\"42,41N\"/>"
	                  "</rdf:RDF></x:xmpmeta>";
	const char *clean = "<x:xmpmeta><rdf:RDF><rdf:Description dc:format=\"application/pdf\"/>"
	                    "</rdf:RDF></x:xmpmeta>";
	const char *serial = "<rdf:RDF><aux:SerialNumber>123</aux:SerialNumber></rdf:RDF>";
	char *f = filetype_scan(gps, strlen(gps));
	CHECK_STR(f, "a GPS position (XMP)");
	free(f);
	CHECK(filetype_scan(clean, strlen(clean)) == NULL);
	f = filetype_scan(serial, strlen(serial));
	CHECK_STR(f, "a camera serial number (XMP)");
	free(f);
	/* GPS outside any XMP packet is just text. */
	CHECK(filetype_scan("GPS is a word", 13) == NULL);
}

/* ISO media: ftyp, then moov/udta/<atom>, or the atom inside mdat (media data: not metadata). */
static size_t
box(unsigned char *p, const char *type, const void *body, size_t n)
{
	uint32_t size = (uint32_t)(8 + n);
	p[0] = (unsigned char)(size >> 24), p[1] = (unsigned char)(size >> 16);
	p[2] = (unsigned char)(size >> 8), p[3] = (unsigned char)size;
	memcpy(p + 4, type, 4);
	memcpy(p + 8, body, n);
	return 8 + n;
}

TEST(test_quicktime_location_and_comment)
{
	unsigned char xyz[64], udta[64], moov[128], file[256];
	size_t n = box(xyz, "\xa9xyz", "\0\x12\0\0+42.6977+023.3219/", 22);
	n = box(udta, "udta", xyz, n);
	n = box(moov, "moov", udta, n);
	size_t len = box(file, "ftyp", "isom\0\0\0\0", 8);
	memcpy(file + len, moov, n);
	len += n;
	char *f = filetype_scan(file, len);
	CHECK(f != NULL);
	CHECK_CONTAINS(f, "a GPS position (QuickTime");
	free(f);
	/* The same bytes inside mdat are pixels, not metadata. */
	len = box(file, "ftyp", "isom\0\0\0\0", 8);
	len += box(file + len, "mdat", xyz, 30);
	CHECK(filetype_scan(file, len) == NULL);
	/* loci, and a comment. */
	n = box(xyz, "loci", "\0\0\0\0\x15\xc7", 6);
	n = box(udta, "udta", xyz, n);
	n = box(moov, "moov", udta, n);
	len = box(file, "ftyp", "M4A \0\0\0\0", 8);
	memcpy(file + len, moov, n);
	f = filetype_scan(file, len + n);
	CHECK_STR(f, "a location (3GPP loci)");
	free(f);
}

TEST(test_audio_comments)
{
	/* ID3v2.3 with a COMM frame. */
	unsigned char id3[64] = "ID3\x03\0\0\0\0\0\x16" "COMM\0\0\0\x0c\0\0\0eng\0a comment";
	char *f = filetype_scan(id3, sizeof id3);
	CHECK_STR(f, "a comment (ID3 COMM)");
	free(f);
	/* Opus tags: vendor, then two fields. */
	unsigned char opus[64] = "OggS....OpusTags\x03\0\0\0abc\x02\0\0\0\x07\0\0\0TITLE=x\x0b\0\0\0"
	                         "LOCATION=y";
	f = filetype_scan(opus, sizeof opus);
	CHECK_STR(f, "a location (Vorbis comment)");
	free(f);
	unsigned char title[48] = "OggS....OpusTags\x03\0\0\0abc\x01\0\0\0\x07\0\0\0TITLE=x";
	CHECK(filetype_scan(title, sizeof title) == NULL);
}

/* A RIFF INFO list that ends less than a field header after its last field, followed by more
 * data: the field's size is read from the bytes after the list and is never trusted beyond it
 * (exactly sized, so that ASan sees a read past the end). */
TEST(test_riff_info_field_past_list_end)
{
	static const unsigned char wav[40] = "RIFF\x20\0\0\0WAVE" "LIST\x08\0\0\0INFOICMT"
	                                     "\0\0\0\x01";
	unsigned char *d = malloc(sizeof wav);
	memcpy(d, wav, sizeof wav);
	CHECK(filetype_scan(d, sizeof wav) == NULL);
	free(d);
}

/* A ZIP with one deflated member whose header says it unpacks to declared bytes; its length. */
static size_t
make_zip(unsigned char *zip, const unsigned char *member, size_t mlen, size_t declared)
{
	GConverter *z = G_CONVERTER(g_zlib_compressor_new(G_ZLIB_COMPRESSOR_FORMAT_RAW, 9));
	unsigned char packed[256];
	gsize rd = 0, wr = 0;
	CHECK(g_converter_convert(z, member, mlen, packed, sizeof packed, G_CONVERTER_INPUT_AT_END,
	                          &rd, &wr, NULL) == G_CONVERTER_FINISHED);
	g_object_unref(z);
	unsigned char *p = zip;
	const char *name = "word/media/image1.jpeg";
	size_t nl = strlen(name);
#define LE16(v) (*p++ = (unsigned char)((v) & 0xff), *p++ = (unsigned char)(((v) >> 8) & 0xff))
#define LE32(v) (LE16((v) & 0xffff), LE16(((v) >> 16) & 0xffff))
	memcpy(p, "PK\3\4", 4), p += 4;
	LE16(20), LE16(0), LE16(8), LE32(0), LE32(0), LE32(wr), LE32(declared), LE16(nl), LE16(0);
	memcpy(p, name, nl), p += nl;
	memcpy(p, packed, wr), p += wr;
	size_t cd = (size_t)(p - zip);
	memcpy(p, "PK\1\2", 4), p += 4;
	LE16(20), LE16(20), LE16(0), LE16(8), LE32(0), LE32(0), LE32(wr), LE32(declared), LE16(nl);
	LE16(0), LE16(0), LE16(0), LE16(0), LE32(0), LE32(0);
	memcpy(p, name, nl), p += nl;
	size_t cdlen = (size_t)(p - zip) - cd;
	memcpy(p, "PK\5\6", 4), p += 4;
	LE16(0), LE16(0), LE16(1), LE16(1), LE32(cdlen), LE32(cd), LE16(0);
#undef LE16
#undef LE32
	return (size_t)(p - zip);
}

/* A ZIP with one deflated member: a photo's EXIF, out of sight until inflated; and a member
 * whose header says it is smaller than it unpacks to, which would otherwise hide the rest. */
TEST(test_zip_member_scanned)
{
	unsigned char member[128] = "\xff\xd8\xff\xe1..Exif\0\0";
	size_t mlen = 12 + tiff(member + 12, 1, 0x8825);
	unsigned char zip[512] = {0};
	size_t n = make_zip(zip, member, mlen, mlen);
	CHECK(memmem(zip, n, "II*", 3) == NULL); /* deflated: not in the raw bytes */
	char *f = filetype_scan(zip, n);
	CHECK(f != NULL);
	CHECK_STR(f, "a GPS position (EXIF), in a file it contains");
	free(f);
	n = make_zip(zip, member, mlen, 8);
	f = filetype_scan(zip, n);
	CHECK(f != NULL);
	CHECK_STR(f, "a ZIP member that unpacks to more than its header says");
	free(f);
}

/* Many packet openings without an end: each byte is read once, not once per opening (this
 * would take hours if every opening ran to the end of the file). */
TEST(test_xmp_openings_without_end_linear)
{
	size_t n = 4u << 20;
	char *d = malloc(n);
	for (size_t i = 0; i + 10 <= n; i += 10)
		memcpy(d + i, "<x:xmpmeta", 10);
	CHECK(filetype_scan(d, n) == NULL);
	free(d);
}

int
main(void)
{
	RUN(test_active_and_unknown_files_refused);
	RUN(test_published_type_from_bytes_then_name);
	RUN(test_exif_gps_found_anywhere);
	RUN(test_xmp_gps_serial_comment);
	RUN(test_quicktime_location_and_comment);
	RUN(test_audio_comments);
	RUN(test_riff_info_field_past_list_end);
	RUN(test_zip_member_scanned);
	RUN(test_xmp_openings_without_end_linear);
	return TEST_END();
}
