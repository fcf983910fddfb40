/* frontmatter: YAML front matter and Markdown body of a content file. */
#include "frontmatter.h"

#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "util/diag.h"
#include "util/text.h"
#include "yml.h"

/* Is the line at p (ending at the next '\n' or end) exactly fence (`---`, or TOML's `+++`),
 * allowing a CR and trailing spaces? Sets *next to the start of the following line. */
static int
is_fence_of(const char *p, const char *end, const char *fence, const char **next)
{
	if (end - p < 3 || memcmp(p, fence, 3) != 0)
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

/* Where a front matter without its closing --- seems to end: the last line of its fields
 * before the first blank line or line that no field would start (the text), so the message can
 * say where the --- goes. */
static void
unclosed(const char *path, const char *yaml, const char *end)
{
	const char *p = yaml;
	int lineno = 2, last = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t n = (size_t)(next - p), k = 0;
		while (k < n && (p[k] == '_' || p[k] == '-' || (p[k] >= 'a' && p[k] <= 'z') ||
		                 (p[k] >= 'A' && p[k] <= 'Z') || (p[k] >= '0' && p[k] <= '9')))
			k++;
		int field = (k > 0 && k < n && p[k] == ':' && p[0] != '-') || p[0] == ' ' ||
		            p[0] == '#' || (n >= 2 && p[0] == '-' && p[1] == ' ');
		if (!field)
			break;
		last = lineno++;
		p = next;
	}
	if (last > 0)
		diag_error(path, 1, 1, "front matter opened with --- is never closed with ---: put a line "
		                       "with --- after its last field (line %d)", last);
	else
		diag_error(path, 1, 1, "front matter opened with --- is never closed with ---");
}

size_t
fm_scrub(const char *path, char *text, size_t len)
{
	struct text_controls c;
	size_t n = text_controls_to_spaces(text, len, &c);
	if (c.count == 0)
		return n;
	const char *ls = text;
	for (const char *nl; (nl = memchr(ls, '\n', (size_t)(text + c.first_off - ls))) != NULL;)
		ls = nl + 1;
	int col = 1; /* in characters */
	for (const char *q = ls; q < text + c.first_off; q++)
		col += ((unsigned char)*q & 0xc0) != 0x80;
	char more[64] = "";
	if (c.count > 1)
		snprintf(more, sizeof more, ", and %zu more in this file", c.count - 1);
	diag_warning(path, line_of(text, c.first_off), col,
	             "control character U+%04X replaced by a space%s (only tab and line breaks are "
	             "text; a paste from a word processor or a file read in the wrong encoding leaves "
	             "them)", (unsigned)c.first_cp, more);
	return n;
}

int
fm_parse(const char *path, const char *text, size_t len, struct fm_doc *out)
{
	size_t bad;
	memset(out, 0, sizeof *out);
	if (!i18n_utf8_valid(text, len, &bad)) {
		diag_error(path, line_of(text, bad), 0, "invalid UTF-8 (byte 0x%02x at offset %zu)",
		           (unsigned char)text[bad], bad);
		return -1;
	}
	return fm_parse_valid(path, text, len, out);
}

/* Hugo's TOML front matter (between +++ lines) is not read: satchel has no TOML parser, and a
 * site converts once. The message shows the conversion on the first field it finds. */
static int
toml_front_matter(const char *path, const char *p, const char *end)
{
	const char *first;
	if (!is_fence_of(p, end, "+++", &first))
		return 0;
	char example[160] = "";
	int line = 2;
	for (const char *l = first; l < end && example[0] == '\0'; line++) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl : end, *eq = memchr(l, '=', (size_t)(le - l));
		while (le > l && (le[-1] == '\r' || le[-1] == ' '))
			le--;
		if (le - l >= 3 && memcmp(l, "+++", 3) == 0)
			break;
		const char *ke = eq;
		while (ke != NULL && ke > l && ke[-1] == ' ')
			ke--;
		const char *v = eq ? eq + 1 : NULL;
		while (v != NULL && v < le && *v == ' ')
			v++;
		if (eq != NULL && ke > l && *l != '#' && *l != '[' && le - l < 100)
			snprintf(example, sizeof example, " (line %d: %.*s = %.*s becomes %.*s: %.*s)", line,
			         (int)(ke - l), l, (int)(le - v), v, (int)(ke - l), l, (int)(le - v), v);
		l = nl ? nl + 1 : end;
	}
	diag_error(path, 1, 1,
	           "TOML front matter (between +++ lines) is not read: satchel reads YAML between "
	           "--- lines; convert it, for a whole Hugo site with `hugo convert toYAML --unsafe`, "
	           "or by hand: +++ becomes ---, key = value becomes key: value%s, and a [table] a "
	           "nested mapping", example);
	return 1;
}

/* Hugo's JSON front matter: an object opening the file, ending at its matching brace. YAML
 * reads JSON, so libyaml parses it. Returns the end of the object (after its '}'), or NULL when
 * the braces never close. */
static const char *
json_end(const char *p, const char *end)
{
	int depth = 0, in_str = 0;
	for (; p < end; p++) {
		if (in_str) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				in_str = 0;
		} else if (*p == '"') {
			in_str = 1;
		} else if (*p == '{') {
			depth++;
		} else if (*p == '}' && --depth == 0) {
			return p + 1;
		}
	}
	return NULL;
}

static int
json_front_matter(const char *path, const char *text, const char *p, const char *end,
                  struct fm_doc *out)
{
	const char *close = json_end(p, end);
	if (close == NULL) {
		diag_error(path, 1, 1, "JSON front matter opened with { is never closed with }");
		return -1;
	}
	const char *next = close;
	while (next < end && (*next == ' ' || *next == '\t' || *next == '\r'))
		next++;
	if (next < end && *next != '\n') {
		diag_error(path, line_of(text, (size_t)(next - text)), 0,
		           "JSON front matter must end with } alone on its line");
		return -1;
	}
	struct value *meta = NULL;
	if (yml_parse(path, p, (size_t)(close - p), line_of(text, (size_t)(p - text)) - 1, &meta) < 0)
		return -1;
	if (meta->type != VALUE_MAP) {
		diag_error(path, meta->line, meta->col, "front matter must be a mapping of fields");
		value_free(meta);
		return -1;
	}
	out->meta = meta;
	next += next < end;
	out->body_off = (size_t)(next - text);
	out->body_line = line_of(text, out->body_off);
	return 0;
}

int
fm_parse_valid(const char *path, const char *text, size_t len, struct fm_doc *out)
{
	const char *p = text, *end = text + len, *next;

	memset(out, 0, sizeof *out);
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (toml_front_matter(path, p, end))
		return -1;
	/* `{` then a line break, a space or a quoted key: a JSON object, not a paragraph that
	 * starts with a brace. */
	if (p < end && *p == '{' && (p + 1 == end || (p[1] != '\0' && strchr(" \t\r\n\"", p[1]) != NULL)))
		return json_front_matter(path, text, p, end, out);
	if (!is_fence_of(p, end, "---", &next)) {
		out->meta = value_new_map();
		out->body_off = (size_t)(p - text);
		out->body_line = 1;
		return 0;
	}
	const char *yaml = next, *line = next;
	int lineno = 2;
	while (line < end) {
		if (is_fence_of(line, end, "---", &next))
			break;
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		line = nl ? nl + 1 : end;
		lineno++;
	}
	if (line >= end) {
		unclosed(path, yaml, end);
		return -1;
	}
	struct value *meta = NULL;
	if (yml_parse(path, yaml, (size_t)(line - yaml), 1, &meta) < 0)
		return -1;
	if (meta->type == VALUE_NULL) {
		value_free(meta);
		meta = value_new_map();
	}
	if (meta->type == VALUE_STRING && strchr(value_str(meta), ':') != NULL) {
		/* "title:Note" alone reads as one string. */
		diag_error(path, meta->line, meta->col,
		           "front matter must be a mapping of fields: put a space after the colon "
		           "(title: Note)");
		value_free(meta);
		return -1;
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
