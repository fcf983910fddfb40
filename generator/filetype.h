/* filetype: which files satchel publishes from beside pages, and what in a file's bytes would
 * locate or identify someone when satchel cannot re-encode it. Files beside pages come from
 * partners: only the types a resource hub publishes (documents, images, audio, video, captions,
 * data) are published, never what a browser would run from the site's origin (HTML, XHTML,
 * JavaScript, WebAssembly, CSS, XML) nor anything unknown. Images are image.c's (re-encoded
 * without metadata); every other published file, from content/ or static/ or the theme, is
 * scanned by filetype_scan and refused when it carries a GPS position, a camera's serial
 * number or a comment. Thread-safe; GLib (GIO's zlib) inflates ZIP members. */
#ifndef SATCHEL_FILETYPE_H
#define SATCHEL_FILETYPE_H

#include <stddef.h>

/* NULL when a file beside pages at path may be published (its extension, in any case, is on
 * the allow-list, images included), else why not, as a malloc'd message. */
char *filetype_refused(const char *path);
/* The media type of a published file, by its extension; "application/octet-stream" when
 * unknown. Borrowed (static). */
const char *filetype_media_type(const char *path);
/* The media type of the file published as name with bytes data: what the bytes say when they
 * begin with a signature that names one type (PNG, JPEG, GIF, WebP, PDF), else name's extension
 * as filetype_media_type. What feeds and pages declare of a file, so that the claim is about the
 * bytes a reader gets (an SVG is published as PNG; an upload may carry the wrong extension).
 * data may be NULL (len 0). Borrowed (static). */
const char *filetype_published_type(const char *name, const void *data, size_t len);
/* What the bytes hold that would locate or identify someone: a GPS position or location (EXIF
 * GPS, XMP, QuickTime/MP4 ©xyz, 3GPP loci, Apple location keys, Vorbis LOCATION), a camera or
 * lens serial number or maker notes (EXIF, XMP), a comment (EXIF UserComment and XPComment,
 * XMP, QuickTime ©cmt, ID3 COMM and ID3v1, Vorbis COMMENT); looked for anywhere in the bytes
 * (EXIF blocks and XMP packets embedded in PDFs and videos too) and inside the members of ZIP
 * containers (docx, odt, epub, zip; at most 64 MB a member and 1 GB in all are inflated, and a
 * file with more is refused). NULL when none, else a malloc'd description ("a GPS
 * position (EXIF)"). */
char *filetype_scan(const void *data, size_t len);

#endif
