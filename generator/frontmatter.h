/* frontmatter: splits a content file into its YAML front matter (between `---` lines) and its
 * Markdown body, and checks the text is UTF-8. It does not know what the fields mean (site does). */
#ifndef SATCHEL_FRONTMATTER_H
#define SATCHEL_FRONTMATTER_H

#include <stddef.h>

#include "value.h"

struct fm_doc {
	struct value *meta; /* a map, empty when the file has no front matter */
	size_t body_off;    /* offset of the Markdown body in the text */
	int body_line;      /* one-based line where the body starts */
};

/* A leading BOM is skipped and CRLF line ends are accepted. Errors — invalid UTF-8 (with its
 * line), an opening --- without a closing one, YAML errors, front matter that is not a mapping —
 * are reported as path:line:column and return -1. */
int fm_parse(const char *path, const char *text, size_t len, struct fm_doc *out);
/* Replaces in place each control character of text (valid UTF-8, NUL-terminated at len) but tab,
 * LF and CR — C0, DEL, C1 — by a space, front matter and body alike, and returns the new length
 * (a C1 character is two bytes). A paste from a word processor or a mis-decoded file leaves
 * them; they are invisible, and would reach pages, feeds and indexes. One warning per file, at
 * the first one's line and column, says how many. */
size_t fm_scrub(const char *path, char *text, size_t len);
/* fm_parse of a text known to be valid UTF-8 (one that fm_parse took before), unchecked. */
int fm_parse_valid(const char *path, const char *text, size_t len, struct fm_doc *out);
void fm_doc_free(struct fm_doc *d);

#endif
