/* filetype: the allow-list of files beside pages, media types, and the metadata scan. */
#include "filetype.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gio/gio.h>

#include "image.h"
#include "util/xalloc.h"

enum kind { K_IMAGE, K_DOCUMENT, K_AUDIO, K_VIDEO, K_CAPTIONS, K_DATA };

/* What a resource hub publishes beside its pages. Not here, on purpose: html, htm, xhtml, xht,
 * xml, svgz (an SVG is rasterised), js, mjs, css, wasm, swf, and anything a browser or a
 * server would run or interpret from the site's origin; and anything unknown. */
static const struct {
	const char *ext, *type;
	enum kind kind;
} types[] = {
    {"pdf", "application/pdf", K_DOCUMENT},
    {"odt", "application/vnd.oasis.opendocument.text", K_DOCUMENT},
    {"ods", "application/vnd.oasis.opendocument.spreadsheet", K_DOCUMENT},
    {"odp", "application/vnd.oasis.opendocument.presentation", K_DOCUMENT},
    {"doc", "application/msword", K_DOCUMENT},
    {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     K_DOCUMENT},
    {"xls", "application/vnd.ms-excel", K_DOCUMENT},
    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", K_DOCUMENT},
    {"ppt", "application/vnd.ms-powerpoint", K_DOCUMENT},
    {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
     K_DOCUMENT},
    {"rtf", "application/rtf", K_DOCUMENT},
    {"txt", "text/plain", K_DOCUMENT},
    {"epub", "application/epub+zip", K_DOCUMENT},
    {"csv", "text/csv", K_DOCUMENT},
    {"tsv", "text/tab-separated-values", K_DOCUMENT},
    {"png", "image/png", K_IMAGE},
    {"jpg", "image/jpeg", K_IMAGE},
    {"jpeg", "image/jpeg", K_IMAGE},
    {"jpe", "image/jpeg", K_IMAGE},
    {"jfif", "image/jpeg", K_IMAGE},
    {"gif", "image/gif", K_IMAGE},
    {"webp", "image/webp", K_IMAGE},
    {"svg", "image/svg+xml", K_IMAGE},
    {"mp3", "audio/mpeg", K_AUDIO},
    {"ogg", "audio/ogg", K_AUDIO},
    {"oga", "audio/ogg", K_AUDIO},
    {"opus", "audio/ogg", K_AUDIO},
    {"m4a", "audio/mp4", K_AUDIO},
    {"wav", "audio/wav", K_AUDIO},
    {"flac", "audio/flac", K_AUDIO},
    {"aac", "audio/aac", K_AUDIO},
    {"weba", "audio/webm", K_AUDIO},
    {"mp4", "video/mp4", K_VIDEO},
    {"m4v", "video/mp4", K_VIDEO},
    {"webm", "video/webm", K_VIDEO},
    {"ogv", "video/ogg", K_VIDEO},
    {"mov", "video/quicktime", K_VIDEO},
    {"vtt", "text/vtt", K_CAPTIONS},
    {"srt", "application/x-subrip", K_CAPTIONS},
    {"json", "application/json", K_DATA},
    {"zip", "application/zip", K_DATA},
    {"ics", "text/calendar", K_DATA},
};

static int
find(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	if (dot == NULL || dot == base)
		return -1;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return (int)i;
	return -1;
}

char *
filetype_refused(const char *path)
{
	if (find(path) >= 0 || image_is_image(path))
		return NULL; /* an image satchel refuses says why when image_publish reads it */
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	const char *dot = strrchr(base, '.');
	const char *why = "satchel publishes beside pages only documents (pdf, odt, ods, odp, doc, "
	                  "docx, xls, xlsx, ppt, pptx, rtf, txt, epub, csv, tsv), images, audio (mp3, "
	                  "ogg, oga, opus, m4a, wav, flac, aac, weba), video (mp4, m4v, webm, ogv, mov), "
	                  "captions (vtt, srt) and data (json, zip, ics); a page, script or style of "
	                  "the site's own belongs in layouts/ or static/";
	if (dot == NULL || dot == base)
		return xasprintf("a file without an extension is not published: %s", why);
	return xasprintf("a .%s file is not published (a browser could run it from the site's "
	                 "address): %s", dot + 1, why);
}

const char *
filetype_media_type(const char *path)
{
	int i = find(path);
	return i >= 0 ? types[i].type : "application/octet-stream";
}

const char *
filetype_published_type(const char *name, const void *data, size_t len)
{
	/* Signatures that belong to one type only; MP4, Ogg, WebM and ZIP hold audio or video,
	 * documents or archives alike, and are left to the extension. */
	static const struct {
		const char *sig;
		size_t off, n;
		const char *type;
	} sigs[] = {
	    {"\x89PNG\r\n\x1a\n", 0, 8, "image/png"},
	    {"\xff\xd8\xff", 0, 3, "image/jpeg"},
	    {"GIF87a", 0, 6, "image/gif"},
	    {"GIF89a", 0, 6, "image/gif"},
	    {"WEBP", 8, 4, "image/webp"}, /* after "RIFF" and a size */
	    {"%PDF-", 0, 5, "application/pdf"},
	};
	const unsigned char *d = data;
	for (size_t i = 0; d != NULL && i < sizeof sigs / sizeof sigs[0]; i++)
		if (len >= sigs[i].off + sigs[i].n && memcmp(d + sigs[i].off, sigs[i].sig, sigs[i].n) == 0 &&
		    (sigs[i].off == 0 || memcmp(d, "RIFF", 4) == 0))
			return sigs[i].type;
	return filetype_media_type(name);
}

/* ---- the metadata scan ---- */

/* A finding: the first is kept (the message names one; the editor cleans them all). */
struct scan {
	const unsigned char *d;
	size_t len;
	const char *found;
	int depth;  /* of nested containers, bounded */
	int inside; /* found in a member of a ZIP container */
	size_t *unpacked; /* bytes ZIP members may still be inflated to, shared by nested ones */
};

static const unsigned char *
find_bytes(const unsigned char *from, const unsigned char *end, const void *what, size_t n)
{
	if (from >= end || (size_t)(end - from) < n)
		return NULL;
	return memmem(from, (size_t)(end - from), what, n);
}

static int
has_text_ci(const unsigned char *p, size_t n, const char *what)
{
	size_t w = strlen(what);
	for (size_t i = 0; i + w <= n; i++)
		if (strncasecmp((const char *)p + i, what, w) == 0)
			return 1;
	return 0;
}

/* EXIF: a TIFF structure (II*\0 or MM\0*, an offset to the first IFD), whether a file's own or
 * embedded in a JPEG, a PDF or a video. One is believed only when its IFD is well-formed, so
 * that four bytes by chance in compressed data do not refuse a file. */
struct tiff {
	const unsigned char *t;
	size_t n;
	int le;
};

static uint32_t
rd(const struct tiff *x, size_t off, int size)
{
	uint32_t v = 0;
	for (int i = 0; i < size; i++)
		v |= (uint32_t)x->t[off + (size_t)i] << (8 * (x->le ? i : size - 1 - i));
	return v;
}

/* The number of entries of the IFD at off when it is well-formed, else 0. */
static unsigned
ifd_entries(const struct tiff *x, uint32_t off)
{
	if (off < 8 || (size_t)off + 2 > x->n)
		return 0;
	unsigned count = rd(x, off, 2);
	if (count == 0 || count > 512 || (size_t)off + 2 + 12 * (size_t)count > x->n)
		return 0;
	for (unsigned i = 0; i < count; i++) {
		unsigned type = rd(x, off + 2 + 12 * i + 2, 2);
		if (type == 0 || type > 13)
			return 0;
	}
	return count;
}

static uint32_t
entry_value(const struct tiff *x, uint32_t off, unsigned i, unsigned *tag, uint32_t *count)
{
	size_t e = off + 2 + 12 * (size_t)i;
	*tag = rd(x, e, 2);
	*count = rd(x, e + 4, 4);
	return rd(x, e + 8, 4);
}

/* Is the UserComment at value (count bytes: 8 of character code, then text) more than blanks? */
static int
comment_says_something(const struct tiff *x, uint32_t count, uint32_t value, size_t entry)
{
	const unsigned char *p;
	if (count <= 4)
		p = x->t + entry + 8;
	else if ((size_t)value < x->n && count <= x->n - value)
		p = x->t + value;
	else
		return 0;
	for (uint32_t i = count > 8 ? 8 : count; i < count; i++)
		if (p[i] != 0 && p[i] != ' ')
			return 1;
	return 0;
}

static const char *
tiff_findings(const struct tiff *x, uint32_t off, int depth)
{
	unsigned n = ifd_entries(x, off);
	for (unsigned i = 0; i < n; i++) {
		unsigned tag;
		uint32_t count, v = entry_value(x, off, i, &tag, &count);
		size_t entry = off + 2 + 12 * (size_t)i;
		switch (tag) {
		case 0x8825: /* GPSInfo */
			if (ifd_entries(x, v) > 0)
				return "a GPS position (EXIF)";
			break;
		case 0x8769: /* the Exif IFD */
			if (depth == 0 && v != off) {
				const char *f = tiff_findings(x, v, 1);
				if (f != NULL)
					return f;
			}
			break;
		case 0xA431: case 0xA435: case 0xC62F: /* body, lens, camera serial numbers */
			return "a camera serial number (EXIF)";
		case 0x927C:
			return "camera maker notes, which hold its serial number (EXIF)";
		case 0x9286: case 0x9C9C: /* UserComment, XPComment */
			if (comment_says_something(x, count, v, entry))
				return "a comment (EXIF)";
			break;
		default:
			break;
		}
	}
	return NULL;
}

static void
scan_exif(struct scan *s)
{
	static const unsigned char le[4] = {'I', 'I', 42, 0}, be[4] = {'M', 'M', 0, 42};
	const unsigned char *end = s->d + s->len;
	for (int k = 0; k < 2 && s->found == NULL; k++)
		for (const unsigned char *p = find_bytes(s->d, end, k ? be : le, 4);
		     p != NULL && s->found == NULL; p = find_bytes(p + 1, end, k ? be : le, 4)) {
			struct tiff x = {p, (size_t)(end - p), k == 0};
			if (x.n >= 8)
				s->found = tiff_findings(&x, rd(&x, 4, 4), 0);
		}
}

/* XMP: RDF/XML, in a packet or bare, anywhere in the bytes. */
static void
scan_xmp(struct scan *s)
{
	static const char *const opens[] = {"<x:xmpmeta", "<rdf:RDF"};
	static const struct {
		const char *text, *found;
	} bad[] = {
	    {"gps", "a GPS position (XMP)"},
	    {"location", "a location (XMP)"},
	    {"serialnumber", "a camera serial number (XMP)"},
	    {"comment", "a comment (XMP)"},
	};
	const unsigned char *end = s->d + s->len;
	/* Packets do not overlap: the next is looked for after this one's end, and one without an
	 * end runs to the end of the file, so every byte is read once per kind of packet. */
	for (size_t k = 0; k < 2 && s->found == NULL; k++)
		for (const unsigned char *p = find_bytes(s->d, end, opens[k], strlen(opens[k]));
		     p != NULL && s->found == NULL;) {
			const unsigned char *close = find_bytes(p, end, k ? "</rdf:RDF>" : "</x:xmpmeta>",
			                                        k ? 10 : 12);
			size_t n = close != NULL ? (size_t)(close - p) : (size_t)(end - p);
			for (size_t b = 0; b < sizeof bad / sizeof bad[0] && s->found == NULL; b++)
				if (has_text_ci(p, n, bad[b].text))
					s->found = bad[b].found;
			p = close != NULL ? find_bytes(close, end, opens[k], strlen(opens[k])) : NULL;
		}
}

/* ISO base media (MP4, M4A, MOV, 3GP): the boxes that hold user data, walked by size (never
 * into the media data). */
static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void
scan_boxes(struct scan *s, const unsigned char *p, const unsigned char *end)
{
	if (++s->depth > 16) {
		s->depth--;
		return;
	}
	while (s->found == NULL && end - p >= 8) {
		uint64_t size = be(p, 4);
		size_t head = 8;
		if (size == 1 && end - p >= 16) {
			size = be(p + 8, 8);
			head = 16;
		} else if (size == 0) {
			size = (uint64_t)(end - p);
		}
		if (size < head || size > (uint64_t)(end - p))
			break;
		const unsigned char *type = p + 4, *body = p + head, *next = p + size;
		if (memcmp(type, "\xa9xyz", 4) == 0)
			s->found = "a GPS position (QuickTime \xc2\xa9xyz)";
		else if (memcmp(type, "loci", 4) == 0)
			s->found = "a location (3GPP loci)";
		else if (memcmp(type, "\xa9" "cmt", 4) == 0)
			s->found = "a comment (QuickTime \xc2\xa9" "cmt)";
		else if (memcmp(type, "keys", 4) == 0 &&
		         has_text_ci(body, (size_t)(next - body), "location"))
			s->found = "a GPS position (QuickTime location key)";
		else if (memcmp(type, "meta", 4) == 0)
			/* ISO's meta is a full box (4 bytes of version and flags); QuickTime's is not. */
			scan_boxes(s, next - body >= 4 && be(body, 4) == 0 ? body + 4 : body, next);
		else if (memcmp(type, "moov", 4) == 0 || memcmp(type, "trak", 4) == 0 ||
		         memcmp(type, "udta", 4) == 0 || memcmp(type, "ilst", 4) == 0 ||
		         memcmp(type, "mdia", 4) == 0 || memcmp(type, "minf", 4) == 0 ||
		         memcmp(type, "moof", 4) == 0 || memcmp(type, "traf", 4) == 0)
			scan_boxes(s, body, next);
		p = next;
	}
	s->depth--;
}

static void
scan_isobmff(struct scan *s)
{
	static const char *const first[] = {"ftyp", "moov", "mdat", "wide", "free", "skip", "pnot"};
	if (s->len < 8)
		return;
	for (size_t i = 0; i < sizeof first / sizeof first[0]; i++)
		if (memcmp(s->d + 4, first[i], 4) == 0) {
			scan_boxes(s, s->d, s->d + s->len);
			return;
		}
}

/* ID3 (MP3): a COMM frame in the version 2 tag at the start, the comment of version 1 at the
 * end. */
static void
scan_id3(struct scan *s)
{
	const unsigned char *d = s->d;
	if (s->len >= 10 && memcmp(d, "ID3", 3) == 0 && (d[3] == 3 || d[3] == 4)) {
		size_t size = (size_t)(d[6] & 0x7f) << 21 | (size_t)(d[7] & 0x7f) << 14 |
		              (size_t)(d[8] & 0x7f) << 7 | (d[9] & 0x7f);
		size_t end = size + 10 < s->len ? size + 10 : s->len;
		for (size_t p = 10; p + 10 <= end && d[p] != 0;) {
			size_t n = d[3] == 4 ? (size_t)(d[p + 4] & 0x7f) << 21 | (size_t)(d[p + 5] & 0x7f) << 14 |
			                           (size_t)(d[p + 6] & 0x7f) << 7 | (d[p + 7] & 0x7f)
			                     : (size_t)be(d + p + 4, 4);
			if (memcmp(d + p, "COMM", 4) == 0 && n > 4) {
				s->found = "a comment (ID3 COMM)";
				return;
			}
			if (n > end - p - 10)
				break;
			p += 10 + n;
		}
	}
	/* Version 2.2: three-letter frames (COM) with three-byte sizes. */
	if (s->len >= 10 && memcmp(d, "ID3", 3) == 0 && d[3] == 2) {
		size_t size = (size_t)(d[6] & 0x7f) << 21 | (size_t)(d[7] & 0x7f) << 14 |
		              (size_t)(d[8] & 0x7f) << 7 | (d[9] & 0x7f);
		size_t end = size + 10 < s->len ? size + 10 : s->len;
		for (size_t p = 10; p + 6 <= end && d[p] != 0;) {
			size_t n = (size_t)be(d + p + 3, 3);
			if (memcmp(d + p, "COM", 3) == 0 && n > 4) {
				s->found = "a comment (ID3 COM)";
				return;
			}
			if (n > end - p - 6)
				break;
			p += 6 + n;
		}
	}
	if (s->len >= 128 && memcmp(d + s->len - 128, "TAG", 3) == 0)
		for (size_t i = 97; i < 125; i++)
			if (d[s->len - 128 + i] != 0 && d[s->len - 128 + i] != ' ') {
				s->found = "a comment (ID3v1)";
				return;
			}
}

/* Vorbis comments (Ogg Vorbis, Opus, FLAC): NAME=value fields, each after its 32-bit
 * little-endian length, after the vendor string. */
static void
scan_vorbis(struct scan *s)
{
	static const char *const heads[] = {"\x03vorbis", "OpusTags"};
	const unsigned char *end = s->d + s->len;
	const unsigned char *starts[4] = {0};
	size_t n = 0;
	for (size_t k = 0; k < 2; k++) {
		const unsigned char *h = find_bytes(s->d, end, heads[k], strlen(heads[k]));
		if (h != NULL)
			starts[n++] = h + strlen(heads[k]);
	}
	/* FLAC: "fLaC", then metadata blocks; type 4 is the Vorbis comment. */
	if (s->len >= 4 && memcmp(s->d, "fLaC", 4) == 0)
		for (const unsigned char *b = s->d + 4; end - b >= 4;) {
			size_t bn = (size_t)be(b + 1, 3);
			if ((b[0] & 0x7f) == 4 && n < 4)
				starts[n++] = b + 4;
			if (b[0] & 0x80 || bn > (size_t)(end - b - 4))
				break;
			b += 4 + bn;
		}
	for (size_t k = 0; k < n && s->found == NULL; k++) {
		const unsigned char *p = starts[k];
		if (end - p < 8)
			continue;
		uint32_t vendor = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
		if (vendor > (size_t)(end - p) - 8)
			continue;
		p += 4 + vendor;
		uint32_t count = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
		p += 4;
		for (uint32_t i = 0; i < count && end - p >= 4 && s->found == NULL; i++) {
			uint32_t fl = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
			p += 4;
			if (fl > (size_t)(end - p))
				break;
			if ((fl > 8 && strncasecmp((const char *)p, "COMMENT=", 8) == 0) ||
			    (fl > 12 && strncasecmp((const char *)p, "DESCRIPTION=", 12) == 0))
				s->found = "a comment (Vorbis comment)";
			else if (fl > 9 && strncasecmp((const char *)p, "LOCATION=", 9) == 0)
				s->found = "a location (Vorbis comment)";
			p += fl;
		}
	}
}

/* What ZIP members (and a PDF's metadata streams) are inflated to, at most, to be scanned. */
#define ZIP_MEMBER_MAX ((size_t)64 << 20)
#define ZIP_TOTAL_MAX ((size_t)1 << 30)
#define ZIP_MEMBER_MAX_PDF ZIP_MEMBER_MAX

static void scan_zip(struct scan *s);
static void scan_all(struct scan *s);

/* RIFF (WAV): the INFO list's comment (ICMT), and an ID3 tag in an "id3 " chunk. */

static void
scan_riff(struct scan *s)
{
	const unsigned char *d = s->d, *end = s->d + s->len;
	if (s->len < 12 || memcmp(d, "RIFF", 4) != 0)
		return;
	for (const unsigned char *c = d + 12; s->found == NULL && end - c >= 8;) {
		size_t n = c[4] | c[5] << 8 | c[6] << 16 | (uint32_t)c[7] << 24;
		const unsigned char *body = c + 8;
		if (n > (size_t)(end - body))
			n = (size_t)(end - body);
		if (memcmp(c, "LIST", 4) == 0 && n >= 4 && memcmp(body, "INFO", 4) == 0) {
			/* A field's header within the list (body + n <= end), else its size would be
			 * read from what follows and the check below would wrap. */
			for (const unsigned char *f = body + 4; body + n - f >= 8;) {
				size_t fn = f[4] | f[5] << 8 | f[6] << 16 | (uint32_t)f[7] << 24;
				if (fn > (size_t)(body + n - f) - 8)
					break;
				if (memcmp(f, "ICMT", 4) == 0)
					for (size_t i = 0; i < fn; i++)
						if (f[8 + i] != 0 && f[8 + i] != ' ') {
							s->found = "a comment (RIFF INFO ICMT)";
							return;
						}
				f += 8 + fn + (fn & 1);
			}
		} else if (strncasecmp((const char *)c, "id3 ", 4) == 0) {
			struct scan in = {body, n, NULL, s->depth, 0, s->unpacked};
			scan_id3(&in);
			s->found = in.found;
		}
		c = body + n + (n & 1);
	}
}

/* RTF: the document's comment in its info group. */
static void
scan_rtf(struct scan *s)
{
	if (s->len >= 5 && memcmp(s->d, "{\\rtf", 5) == 0 && has_text_ci(s->d, s->len, "\\doccomm"))
		s->found = "a comment (RTF \\doccomm)";
}

/* PNG text chunks (in an icon, a PNG published as it is) keyed as a comment or a location. */
static void
scan_png_text(struct scan *s)
{
	static const struct {
		const char *chunk, *found;
	} keys[] = {
	    {"tEXtComment", "a comment (PNG text)"},      {"iTXtComment", "a comment (PNG text)"},
	    {"zTXtComment", "a comment (PNG text)"},      {"tEXtDescription", "a comment (PNG text)"},
	    {"iTXtDescription", "a comment (PNG text)"},  {"zTXtDescription", "a comment (PNG text)"},
	    {"tEXtLocation", "a location (PNG text)"},    {"iTXtLocation", "a location (PNG text)"},
	    {"zTXtLocation", "a location (PNG text)"},
	};
	for (size_t i = 0; s->found == NULL && i < sizeof keys / sizeof keys[0]; i++)
		if (find_bytes(s->d, s->d + s->len, keys[i].chunk, strlen(keys[i].chunk)) != NULL)
			s->found = keys[i].found;
}

static unsigned char *inflate_stream(const unsigned char *in, size_t in_len,
                                     GZlibCompressorFormat fmt, size_t max, size_t *out_len);

/* PDF: names outside streams (the Info dictionary's keys: /Comments, /GPSLatitude, a
 * signature's /Location...) that say GPS, serial, comment or location. */
static void
pdf_names(struct scan *s, const unsigned char *p, const unsigned char *end)
{
	static const struct {
		const char *text, *found;
	} bad[] = {
	    {"gps", "a GPS position (PDF)"},
	    {"location", "a location (PDF)"},
	    {"serial", "a serial number (PDF)"},
	    {"comment", "a comment (PDF)"},
	};
	while (s->found == NULL && (p = memchr(p, '/', (size_t)(end - p))) != NULL) {
		const unsigned char *n = ++p;
		while (p < end && *p > ' ' && *p < 127 && strchr("()<>[]{}/%", *p) == NULL)
			p++;
		for (size_t b = 0; b < sizeof bad / sizeof bad[0] && s->found == NULL; b++)
			if (has_text_ci(n, (size_t)(p - n), bad[b].text))
				s->found = bad[b].found;
	}
}

/* PDF: the names of the objects outside streams, and what the compressed streams that hold
 * metadata say (an XMP /Metadata stream, an object stream /ObjStm where the Info dictionary
 * may be): inflated (within the same budget as ZIP members) and scanned as a file. Other
 * streams (pages, images) are scanned as they lie, with the file's own bytes. */
static void
scan_pdf(struct scan *s)
{
	const unsigned char *d = s->d, *end = s->d + s->len, *from = d;
	if (s->len < 5 || s->depth > 2 ||
	    find_bytes(d, s->len > 1024 ? d + 1024 : end, "%PDF-", 5) == NULL)
		return;
	while (s->found == NULL) {
		const unsigned char *st = find_bytes(from, end, "stream", 6);
		while (st != NULL && st > d && st[-1] == 'd') /* "endstream" */
			st = find_bytes(st + 6, end, "stream", 6);
		pdf_names(s, from, st != NULL ? st : end);
		if (st == NULL || s->found != NULL)
			return;
		const unsigned char *body = st + 6;
		if (body < end && *body == '\r')
			body++;
		if (body < end && *body == '\n')
			body++;
		const unsigned char *stop = find_bytes(body, end, "endstream", 9);
		if (stop == NULL)
			stop = end;
		/* Its dictionary: from the object's start ("obj") to the keyword. */
		const unsigned char *dict = st;
		for (size_t back = 0; dict > d && back < 4096 && memcmp(dict, "obj", 3) != 0; back++)
			dict--;
		size_t dn = (size_t)(st - dict);
		if (has_text_ci(dict, dn, "/FlateDecode") &&
		    (has_text_ci(dict, dn, "/Metadata") || has_text_ci(dict, dn, "/ObjStm"))) {
			size_t n = 0;
			unsigned char *in = inflate_stream(body, (size_t)(stop - body),
			                                   G_ZLIB_COMPRESSOR_FORMAT_ZLIB,
			                                   *s->unpacked < ZIP_MEMBER_MAX_PDF ? *s->unpacked
			                                                                     : ZIP_MEMBER_MAX_PDF,
			                                   &n);
			if (in == NULL && n > 0) {
				s->found = "more than satchel checks for metadata inside a PDF (a metadata stream "
				           "over 64 MB, or 1 GB in all, unpacked)";
			} else if (in != NULL) {
				*s->unpacked -= n;
				struct scan sub = {in, n, NULL, s->depth + 1, 0, s->unpacked};
				scan_all(&sub);
				if (sub.found == NULL && has_text_ci(dict, dn, "/ObjStm"))
					pdf_names(&sub, in, in + n);
				s->found = sub.found;
				g_free(in);
			}
		}
		from = stop;
	}
}

/* Every scan in turn, until one finds something. */
static void
scan_all(struct scan *s)
{
	static void (*const scans[])(struct scan *) = {
	    scan_exif, scan_xmp, scan_isobmff, scan_id3, scan_vorbis,
	    scan_riff, scan_rtf, scan_png_text, scan_pdf, scan_zip,
	};
	for (size_t i = 0; s->found == NULL && i < sizeof scans / sizeof scans[0]; i++)
		scans[i](s);
}

char *
filetype_scan(const void *data, size_t len)
{
	size_t unpacked = ZIP_TOTAL_MAX;
	struct scan s = {data, len, NULL, 0, 0, &unpacked};
	scan_all(&s);
	if (s.found == NULL)
		return NULL;
	return s.inside ? xasprintf("%s, in a file it contains", s.found) : xstrdup(s.found);
}

/* ZIP (docx, xlsx, pptx, odt, epub, zip): a photo inside a document keeps its EXIF, deflated
 * out of sight of the scans above; each member is inflated (GIO's zlib) and scanned, through
 * the central directory. A member too large to inflate here is refused rather than guessed. */

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static unsigned
le16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

/* A deflate stream (fmt: zlib-wrapped in PDFs, raw in ZIPs) inflated into a g_malloc'd buffer
 * of *out_len bytes; NULL when it is not one (*out_len 0) or would inflate to more than max
 * (*out_len max + 1). */
static unsigned char *
inflate_stream(const unsigned char *in, size_t in_len, GZlibCompressorFormat fmt, size_t max,
               size_t *out_len)
{
	GConverter *z = G_CONVERTER(g_zlib_decompressor_new(fmt));
	size_t cap = 4096, done_in = 0, done_out = 0;
	unsigned char *out = g_malloc(cap);
	GConverterResult r = G_CONVERTER_ERROR;
	*out_len = 0;
	for (;;) {
		if (done_out == cap) {
			if (cap > max) {
				*out_len = max + 1;
				break;
			}
			cap *= 2;
			out = g_realloc(out, cap);
		}
		gsize read = 0, written = 0;
		GError *e = NULL;
		r = g_converter_convert(z, in + done_in, in_len - done_in, out + done_out, cap - done_out,
		                        G_CONVERTER_INPUT_AT_END, &read, &written, &e);
		if (r == G_CONVERTER_ERROR) {
			g_error_free(e);
			break;
		}
		done_in += read;
		done_out += written;
		if (r == G_CONVERTER_FINISHED || (read == 0 && written == 0))
			break;
	}
	g_object_unref(z);
	if (r != G_CONVERTER_FINISHED || done_out > max) {
		if (done_out > max)
			*out_len = max + 1;
		g_free(out);
		return NULL;
	}
	*out_len = done_out;
	return out;
}

static void
scan_zip(struct scan *s)
{
	const unsigned char *d = s->d;
	if (s->len < 22 || s->depth > 2 || memcmp(d, "PK\3\4", 4) != 0)
		return;
	/* The end of central directory record: within the last 64 KB (its comment). */
	size_t eocd = s->len - 22, stop = s->len > 22 + 65535 ? s->len - 22 - 65535 : 0;
	while (eocd > stop && memcmp(d + eocd, "PK\5\6", 4) != 0)
		eocd--;
	if (memcmp(d + eocd, "PK\5\6", 4) != 0)
		return;
	size_t n = le16(d + eocd + 10), cd = le32(d + eocd + 16);
	for (size_t i = 0; i < n && s->found == NULL; i++) {
		if (cd + 46 > s->len || memcmp(d + cd, "PK\1\2", 4) != 0)
			return;
		unsigned method = le16(d + cd + 10);
		size_t csize = le32(d + cd + 20), usize = le32(d + cd + 24);
		size_t local = le32(d + cd + 42);
		size_t next = cd + 46 + le16(d + cd + 28) + le16(d + cd + 30) + le16(d + cd + 32);
		cd = next;
		if (method != 8 || local + 30 > s->len || memcmp(d + local, "PK\3\4", 4) != 0)
			continue; /* stored members were scanned with the file's own bytes */
		size_t data = local + 30 + le16(d + local + 26) + le16(d + local + 28);
		if (data > s->len || csize > s->len - data)
			continue;
		if (usize > ZIP_MEMBER_MAX || usize > *s->unpacked) {
			s->found = "more than satchel checks for metadata inside a ZIP (a member over 64 MB "
			           "or over 1 GB in all, unpacked; publish such files on their own)";
			return;
		}
		*s->unpacked -= usize;
		size_t got = 0;
		unsigned char *member = inflate_stream(d + data, csize, G_ZLIB_COMPRESSOR_FORMAT_RAW,
		                                       usize, &got);
		if (member == NULL && got > usize) {
			s->found = "a ZIP member that unpacks to more than its header says";
			return;
		}
		if (member == NULL || got != usize) {
			g_free(member);
			continue; /* not a deflate stream: nothing a reader could open either */
		}
		struct scan in = {member, usize, NULL, s->depth + 1, 0, s->unpacked};
		scan_all(&in);
		g_free(member);
		if (in.found != NULL) {
			s->found = in.found; /* static strings */
			s->inside = 1;
		}
	}
}
