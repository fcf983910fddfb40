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
/* fm_parse of a text known to be valid UTF-8 (one that fm_parse took before), unchecked. */
int fm_parse_valid(const char *path, const char *text, size_t len, struct fm_doc *out);
void fm_doc_free(struct fm_doc *d);

#endif
