/* frontmatter: YAML front matter and Markdown body of a content file. */
#include "frontmatter.h"

#include <string.h>

#include "i18n.h"
#include "util/diag.h"
#include "yml.h"

/* Is the line at p (ending at the next '\n' or end) exactly `---`, allowing a CR and trailing
 * spaces? Sets *next to the start of the following line. */
static int
is_fence(const char *p, const char *end, const char **next)
{
	if (end - p < 3 || memcmp(p, "---", 3) != 0)
		return 0;
	const char *q = p + 3;
	while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
		q++;
	if (q < end && *q != '\n')
		return 0;
	*next = q < end ? q + 1 : q;
	return 1;
}

static int
line_of(const char *text, size_t off)
{
	int line = 1;
	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

int
fm_parse(const char *path, const char *text, size_t len, struct fm_doc *out)
{
	const char *p = text, *end = text + len, *next;
	size_t bad;

	memset(out, 0, sizeof *out);
	if (!i18n_utf8_valid(text, len, &bad)) {
		diag_error(path, line_of(text, bad), 0, "invalid UTF-8 (byte 0x%02x at offset %zu)",
		           (unsigned char)text[bad], bad);
		return -1;
	}
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (!is_fence(p, end, &next)) {
		out->meta = value_new_map();
		out->body_off = (size_t)(p - text);
		out->body_line = 1;
		return 0;
	}
	const char *yaml = next, *line = next;
	int lineno = 2;
	while (line < end) {
		if (is_fence(line, end, &next))
			break;
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		line = nl ? nl + 1 : end;
		lineno++;
	}
	if (line >= end) {
		diag_error(path, 1, 1, "front matter opened with --- is never closed with ---");
		return -1;
	}
	struct value *meta = NULL;
	if (yml_parse(path, yaml, (size_t)(line - yaml), 1, &meta) < 0)
		return -1;
	if (meta->type == VALUE_NULL) {
		value_free(meta);
		meta = value_new_map();
	}
	if (meta->type != VALUE_MAP) {
		diag_error(path, meta->line, meta->col, "front matter must be a mapping of fields");
		value_free(meta);
		return -1;
	}
	out->meta = meta;
	out->body_off = (size_t)(next - text);
	out->body_line = lineno + 1;
	return 0;
}

void
fm_doc_free(struct fm_doc *d)
{
	value_free(d->meta);
	d->meta = NULL;
}
