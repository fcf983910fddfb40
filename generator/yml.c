/* yml: YAML text into a value tree, with libyaml's event parser. */
#include "yml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/text.h"
#include "util/xalloc.h"

#define MAX_DEPTH 64

struct parser {
	yaml_parser_t p;
	const char *text;
	size_t len;
	const char *path;
	int line_offset;
};

static int
match(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(s, *words) == 0)
			return 1;
	return 0;
}

/* Resolves a plain scalar by the YAML 1.2 core schema. */
static struct value *
resolve_plain(const char *s, size_t len)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
	static const char *const trues[] = {"true", "True", "TRUE", NULL};
	static const char *const falses[] = {"false", "False", "FALSE", NULL};

	if (strlen(s) != len) /* an embedded NUL: keep as string */
		return value_new_stringn(s, len);
	if (match(s, nulls))
		return value_new_null();
	if (match(s, trues))
		return value_new_bool(1);
	if (match(s, falses))
		return value_new_bool(0);

	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	if ((*p >= '0' && *p <= '9') || (*p == '.' && p[1] >= '0' && p[1] <= '9')) {
		char *end;
		errno = 0;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'o')) {
			long long v = strtoll(p + 2, &end, p[1] == 'x' ? 16 : 8);
			if (*end == '\0' && end != p + 2 && errno == 0)
				return value_new_int(*s == '-' ? -v : v);
		} else {
			long long v = strtoll(s, &end, 10);
			if (*end == '\0' && errno == 0)
				return value_new_int(v);
		}
		if (strspn(p, "0123456789.eE+-") == strlen(p)) {
			errno = 0;
			double d = strtod(s, &end);
			if (*end == '\0' && errno == 0 && isfinite(d))
				return value_new_float(d);
		}
	}
	return value_new_stringn(s, len);
}

static void
report(struct parser *ps, const yaml_mark_t *mark, const char *msg)
{
	diag_error(ps->path, (int)mark->line + 1 + ps->line_offset, (int)mark->column + 1, "%s", msg);
}

/* A scalar's control characters (a quoted "\x1c", "\e", "\N" or "\u0085"; libyaml refuses raw
 * ones) as spaces, in place, with a warning at the scalar: no value carries one into a page, a
 * feed or an index. Returns the new length. */
static size_t
scalar_controls(struct parser *ps, const yaml_event_t *ev)
{
	struct text_controls c;
	size_t n = text_controls_to_spaces((char *)ev->data.scalar.value, ev->data.scalar.length, &c);
	if (c.count > 0)
		diag_warning(ps->path, (int)ev->start_mark.line + 1 + ps->line_offset,
		             (int)ev->start_mark.column + 1,
		             "control character U+%04X replaced by a space%s (only tab and line breaks "
		             "are text)", (unsigned)c.first_cp, c.count > 1 ? ", with the others in this value" : "");
	return n;
}

/* ---- how to fix the usual mistakes ----
 * libyaml says what it found where it stopped ("mapping values are not allowed in this context"),
 * which is often a line after the mistake and never says what to do. When it fails, the lines
 * up to where it stopped are read for the mistakes people make by hand, and the first one found
 * is reported at its own line with the fix. */

struct line {
	const char *s; /* without its newline (or CR) */
	size_t len;
	size_t indent; /* leading spaces and tabs */
};

/* Line n (zero-based) of the text; 0 when there is none. */
static int
get_line(const struct parser *ps, size_t n, struct line *l)
{
	const char *p = ps->text, *end = ps->text + ps->len;
	for (size_t i = 0; i < n && p < end; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		p = nl ? nl + 1 : end;
	}
	if (p >= end && !(p == end && n == 0))
		return 0;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	l->s = p;
	l->len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	if (l->len > 0 && p[l->len - 1] == '\r')
		l->len--;
	l->indent = 0;
	while (l->indent < l->len && (p[l->indent] == ' ' || p[l->indent] == '\t'))
		l->indent++;
	return 1;
}

static int
blank_or_comment(const struct line *l)
{
	return l->indent == l->len || l->s[l->indent] == '#';
}

/* The length of "key:" at the start of text (after "- " for a list item's key), without the
 * colon, when the text starts with a plain key such as title or start_date; else 0. */
static size_t
key_len(const char *s, size_t len)
{
	size_t k = 0;
	while (k < len && (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.",
	                          s[k]) != NULL) && s[k] != '\0')
		k++;
	return k > 0 && k < len && s[k] == ':' && s[0] != '-' ? k : 0;
}

/* The value of a "key: value" line, and its column; NULL when the line has no such pair. */
static const char *
value_of(const struct line *l, size_t *klen, size_t *vcol, size_t *vlen)
{
	const char *s = l->s + l->indent;
	size_t len = l->len - l->indent;
	if (len >= 2 && s[0] == '-' && s[1] == ' ') {
		s += 2;
		len -= 2;
		while (len > 0 && *s == ' ')
			s++, len--;
	}
	size_t k = key_len(s, len);
	if (k == 0 || k + 1 >= len || s[k + 1] != ' ')
		return NULL;
	const char *v = s + k + 1;
	while (v < s + len && *v == ' ')
		v++;
	*klen = k;
	*vcol = (size_t)(v - l->s);
	*vlen = (size_t)(s + len - v);
	while (*vlen > 0 && v[*vlen - 1] == ' ')
		(*vlen)--;
	return *vlen > 0 ? v : NULL;
}

/* The value in quotes, as it would read in the file: double quotes unless it holds one. */
static void
quoted(struct buf *b, const char *v, size_t n)
{
	char q = memchr(v, '"', n) != NULL ? '\'' : '"';
	buf_putc(b, q);
	for (size_t i = 0; i < n; i++) {
		if (v[i] == q || (q == '"' && v[i] == '\\'))
			buf_putc(b, q == '"' ? '\\' : '\'');
		buf_putc(b, v[i]);
	}
	buf_putc(b, q);
}

/* Finds the usual mistake behind a parse error; 1 with *line and *col (zero-based, in the
 * text) and *msg (the caller frees), or 0 when none of them is there. */
static int
diagnose(const struct parser *ps, int *line, int *col, char **msg)
{
	const char *problem = ps->p.problem ? ps->p.problem : "";
	const char *context = ps->p.context ? ps->p.context : "";
	size_t pl = ps->p.problem_mark.line, cl = ps->p.context ? ps->p.context_mark.line : pl;
	size_t last = pl > cl ? pl : cl;
	struct line l, prev;
	struct buf b = BUF_INIT;

	/* A tab in the indentation: a line that starts with one (never right, even in a block of
	 * text, where tabs may follow the spaces that indent it), or the problem's own line. */
	for (size_t n = 0; n <= last && get_line(ps, n, &l); n++)
		if ((l.len > 0 && l.s[0] == '\t') || (n == pl && memchr(l.s, '\t', l.indent) != NULL)) {
			*line = (int)n;
			*col = (int)((const char *)memchr(l.s, '\t', l.indent) - l.s);
			*msg = xstrdup("a tab indents this line; YAML indents with spaces only (replace the tab "
			               "with spaces)");
			return 1;
		}
	/* A quote that opens a value and never closes. */
	if (strcmp(context, "while scanning a quoted scalar") == 0 && get_line(ps, cl, &l)) {
		/* libyaml's column counts characters; the quote is the at-th one of the line. */
		size_t at = ps->p.context_mark.column, byte = 0;
		for (size_t c = 0; c < at && byte < l.len; c++)
			do
				byte++;
			while (byte < l.len && ((unsigned char)l.s[byte] & 0xC0) == 0x80);
		char q = byte < l.len && l.s[byte] == '\'' ? '\'' : '"';
		buf_printf(&b, "the %s quote that opens this value is never closed; end the value with it: ",
		           q == '\'' ? "single" : "double");
		buf_add(&b, l.s + l.indent, l.len - l.indent);
		buf_putc(&b, q);
		*line = (int)cl;
		*col = (int)at;
		*msg = buf_detach(&b);
		return 1;
	}
	/* "title:Note": a key and its value need a space between them. libyaml reads it as the start
	 * of a text that runs on over the lines below it, so the line is the problem's or one above
	 * it with nothing between but such text. */
	for (size_t n = pl + 1; n-- > 0 && get_line(ps, n, &l);) {
		const char *s = l.s + l.indent;
		size_t len = l.len - l.indent, k = key_len(s, len);
		if (k == 0 || k + 1 >= len || strchr(" \t:/", s[k + 1]) != NULL) {
			int text = !blank_or_comment(&l) && k == 0 && l.s[l.indent] != '-';
			if (n != pl && !text)
				break;
			continue;
		}
		buf_puts(&b, "put a space after the colon: ");
		buf_add(&b, s, k + 1);
		buf_putc(&b, ' ');
		buf_add(&b, s + k + 1, len - k - 1);
		*line = (int)n;
		*col = (int)(l.indent + k);
		*msg = buf_detach(&b);
		return 1;
	}
	if (!get_line(ps, pl, &l))
		return 0;
	size_t klen, vcol, vlen;
	const char *v = value_of(&l, &klen, &vcol, &vlen);
	/* "title: Note: read this": a colon and a space inside a plain value start a mapping. */
	if (strcmp(problem, "mapping values are not allowed in this context") == 0 && v != NULL &&
	    strchr("\"'[{|>&*!", v[0]) == NULL &&
	    (memmem(v, vlen, ": ", 2) != NULL || v[vlen - 1] == ':')) {
		buf_puts(&b, "a colon inside a value must be quoted; put the value in quotes: ");
		buf_add(&b, l.s + l.indent, vcol - l.indent);
		quoted(&b, v, vlen);
		*line = (int)pl;
		*col = (int)vcol;
		*msg = buf_detach(&b);
		return 1;
	}
	/* The nearest line above with something on it. */
	size_t pn = pl;
	int have_prev = 0;
	while (pn > 0 && !have_prev)
		have_prev = get_line(ps, --pn, &prev) && !blank_or_comment(&prev);
	if (!have_prev)
		return 0;
	int item = l.len >= l.indent + 2 && l.s[l.indent] == '-' &&
	           (l.s[l.indent + 1] == ' ' || l.indent + 1 == l.len);
	int prev_item = prev.len >= prev.indent + 1 && prev.s[prev.indent] == '-' &&
	                (prev.indent + 1 == prev.len || prev.s[prev.indent + 1] == ' ');
	size_t pk, pvcol, pvlen;
	const char *pv = value_of(&prev, &pk, &pvcol, &pvlen);
	/* A list item out of line with the one above it. */
	if (item && prev_item && prev.indent != l.indent) {
		buf_printf(&b, "this list item is indented %zu space%s, the one above (line %d) %zu; the "
		           "items of one list start in the same column",
		           l.indent, l.indent == 1 ? "" : "s", (int)pn + 1 + ps->line_offset, prev.indent);
		*line = (int)pl;
		*col = (int)l.indent;
		*msg = buf_detach(&b);
		return 1;
	}
	/* A list item under a key that already has its value on its line. */
	if (item && pv != NULL && !prev_item && l.indent <= prev.indent + 2) {
		buf_puts(&b, "a list item here, but '");
		buf_add(&b, prev.s + prev.indent, pk);
		buf_puts(&b, "' above already has a value on its line; a list goes below its key, which "
		             "stands alone (");
		buf_add(&b, prev.s + prev.indent, pk + 1);
		buf_puts(&b, "), with each item indented: ");
		buf_printf(&b, "%*s", (int)prev.indent + 2, "");
		buf_add(&b, l.s + l.indent, l.len - l.indent);
		*line = (int)pl;
		*col = (int)l.indent;
		*msg = buf_detach(&b);
		return 1;
	}
	/* A key indented under one that already has a value. */
	if (!item && pv != NULL && l.indent > prev.indent &&
	    key_len(l.s + l.indent, l.len - l.indent) > 0) {
		buf_puts(&b, "this line is indented more than '");
		buf_add(&b, prev.s + prev.indent, pk);
		buf_printf(&b, "' above (line %d), which already has a value; the keys of one mapping start "
		           "in the same column", (int)pn + 1 + ps->line_offset);
		*line = (int)pl;
		*col = (int)l.indent;
		*msg = buf_detach(&b);
		return 1;
	}
	return 0;
}

static void
report_parser(struct parser *ps)
{
	const char *problem = ps->p.problem ? ps->p.problem : "syntax error";
	char *msg;
	/* The reader (encoding errors) gives a byte offset, not a mark. */
	if (ps->p.error == YAML_READER_ERROR) {
		yaml_mark_t m = {0, 0, 0};
		for (size_t i = 0; i < ps->p.problem_offset && ps->text[i]; i++) {
			if (ps->text[i] == '\n') {
				m.line++;
				m.column = 0;
			} else if (((unsigned char)ps->text[i] & 0xC0) != 0x80) {
				m.column++;
			}
		}
		msg = xasprintf("YAML: %s", problem);
		report(ps, &m, msg);
		free(msg);
		return;
	}
	int hline, hcol;
	if (diagnose(ps, &hline, &hcol, &msg)) {
		yaml_mark_t m = {0, (size_t)hline, (size_t)hcol};
		char *full = xasprintf("YAML: %s", msg);
		report(ps, &m, full);
		free(full);
		free(msg);
		return;
	}
	/* A problem found while scanning something (a quoted string, a flow list) is reported where
	 * that thing starts, which is where the editor has to look. */
	if (ps->p.context != NULL) {
		msg = xasprintf("YAML: %s: %s at line %d", ps->p.context, problem,
		                (int)ps->p.problem_mark.line + 1 + ps->line_offset);
		report(ps, &ps->p.context_mark, msg);
	} else {
		msg = xasprintf("YAML: %s", problem);
		report(ps, &ps->p.problem_mark, msg);
	}
	free(msg);
}

static int parse_node(struct parser *ps, yaml_event_t *ev, int depth, struct value **out);

static int
next(struct parser *ps, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&ps->p, ev)) {
		report_parser(ps);
		return -1;
	}
	return 0;
}

static int
parse_sequence(struct parser *ps, int depth, struct value *list)
{
	for (;;) {
		yaml_event_t ev;
		if (next(ps, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		struct value *item = NULL;
		int rc = parse_node(ps, &ev, depth + 1, &item);
		yaml_event_delete(&ev);
		if (rc < 0)
			return -1;
		value_list_push(list, item);
	}
}

static int
parse_mapping(struct parser *ps, int depth, struct value *map)
{
	for (;;) {
		yaml_event_t ev;
		if (next(ps, &ev) < 0)
			return -1;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			report(ps, &ev.start_mark, "a mapping key must be a plain string");
			yaml_event_delete(&ev);
			return -1;
		}
		char *key = xstrndup((const char *)ev.data.scalar.value, scalar_controls(ps, &ev));
		yaml_mark_t kmark = ev.start_mark;
		yaml_event_delete(&ev);
		if (value_map_get(map, key) != NULL) {
			char *msg = xasprintf("duplicate key '%s'", key);
			report(ps, &kmark, msg);
			free(msg);
			free(key);
			return -1;
		}
		if (next(ps, &ev) < 0) {
			free(key);
			return -1;
		}
		struct value *v = NULL;
		int rc = parse_node(ps, &ev, depth + 1, &v);
		yaml_event_delete(&ev);
		if (rc < 0) {
			free(key);
			return -1;
		}
		value_map_set(map, key, v);
		map->u.map.key_lines[map->u.map.len - 1] = (int)kmark.line + 1 + ps->line_offset;
		free(key);
	}
}

static int
parse_node(struct parser *ps, yaml_event_t *ev, int depth, struct value **out)
{
	struct value *v = NULL;
	if (depth > MAX_DEPTH) {
		report(ps, &ev->start_mark, "YAML nested too deeply");
		return -1;
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		report(ps, &ev->start_mark, "YAML aliases (*name) are not supported");
		return -1;
	case YAML_SCALAR_EVENT: {
		const char *s = (const char *)ev->data.scalar.value;
		size_t len = scalar_controls(ps, ev);
		const char *tag = (const char *)ev->data.scalar.tag;
		if ((tag != NULL && strcmp(tag, YAML_STR_TAG) == 0) ||
		    ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
			v = value_new_stringn(s, len);
			v->quoted = 1;
		} else {
			v = resolve_plain(s, len);
		}
		break;
	}
	case YAML_SEQUENCE_START_EVENT:
		v = value_new_list();
		v->line = (int)ev->start_mark.line + 1 + ps->line_offset;
		v->col = (int)ev->start_mark.column + 1;
		if (parse_sequence(ps, depth, v) < 0) {
			value_free(v);
			return -1;
		}
		*out = v;
		return 0;
	case YAML_MAPPING_START_EVENT:
		v = value_new_map();
		v->line = (int)ev->start_mark.line + 1 + ps->line_offset;
		v->col = (int)ev->start_mark.column + 1;
		if (parse_mapping(ps, depth, v) < 0) {
			value_free(v);
			return -1;
		}
		*out = v;
		return 0;
	default:
		report(ps, &ev->start_mark, "unexpected YAML event");
		return -1;
	}
	v->line = (int)ev->start_mark.line + 1 + ps->line_offset;
	v->col = (int)ev->start_mark.column + 1;
	*out = v;
	return 0;
}

int
yml_parse(const char *path, const char *text, size_t len, int line_offset, struct value **out)
{
	/* A byte-order mark, as some Windows editors write: libyaml, told the encoding, would take
	 * it for content ("did not find expected <document start>"). */
	if (text != NULL && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
		text += 3;
		len -= 3;
	}
	struct parser ps = {.text = text, .len = text ? len : 0, .path = path, .line_offset = line_offset};
	struct value *root = NULL;
	int rc = -1;
	yaml_event_t ev;

	*out = NULL;
	if (!yaml_parser_initialize(&ps.p)) {
		diag_error(path, 0, 0, "cannot start the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(&ps.p, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&ps.p, YAML_UTF8_ENCODING);

	/* STREAM-START, then DOCUMENT-START or STREAM-END for empty input. */
	if (next(&ps, &ev) < 0)
		goto out;
	yaml_event_delete(&ev);
	if (next(&ps, &ev) < 0)
		goto out;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		root = value_new_null();
		rc = 0;
		goto out;
	}
	yaml_event_delete(&ev);
	if (next(&ps, &ev) < 0)
		goto out;
	rc = parse_node(&ps, &ev, 0, &root);
	yaml_event_delete(&ev);
	if (rc < 0)
		goto out;
	/* DOCUMENT-END, then STREAM-END: a second document is an error. */
	if (next(&ps, &ev) < 0) {
		rc = -1;
		goto out;
	}
	yaml_event_delete(&ev);
	if (next(&ps, &ev) < 0) {
		rc = -1;
		goto out;
	}
	if (ev.type != YAML_STREAM_END_EVENT) {
		report(&ps, &ev.start_mark, "more than one YAML document");
		rc = -1;
	}
	yaml_event_delete(&ev);
out:
	yaml_parser_delete(&ps.p);
	if (rc < 0) {
		value_free(root);
		return -1;
	}
	*out = root;
	return 0;
}

/* ---- yml_emit: a value tree as YAML text ---- */

static int
emit_write(void *data, unsigned char *buffer, size_t size)
{
	buf_add(data, (const char *)buffer, size);
	return 1;
}

/* Does the plain scalar s read back as something other than the string s (core schema)? */
static int
plain_is_other(const char *s)
{
	static const char *const words[] = {"null", "Null", "NULL", "~", "true", "True", "TRUE",
	                                    "false", "False", "FALSE", "yes", "no", "on", "off",
	                                    "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF", NULL};
	if (*s == '\0' || match(s, words))
		return 1;
	/* Anything a number could be (ints, floats, .inf, .nan, 0x, 0o): quoted. */
	const char *p = s;
	if (*p == '+' || *p == '-')
		p++;
	return (*p >= '0' && *p <= '9') || (*p == '.' && p[1] != '\0' && strchr("0123456789iInN", p[1]));
}

static int
emit_value(yaml_emitter_t *em, const struct value *v, int depth)
{
	yaml_event_t ev;
	v = value_deref(v);
	if (depth > MAX_DEPTH)
		return -1;
	switch (v->type) {
	case VALUE_MAP:
		yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
		if (!yaml_emitter_emit(em, &ev))
			return -1;
		for (size_t i = 0; i < v->u.map.len; i++) {
			const char *k = v->u.map.keys[i];
			yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)k, (int)strlen(k), 1, 1,
			                             plain_is_other(k) ? YAML_SINGLE_QUOTED_SCALAR_STYLE
			                                               : YAML_ANY_SCALAR_STYLE);
			if (!yaml_emitter_emit(em, &ev) || emit_value(em, v->u.map.vals[i], depth + 1) < 0)
				return -1;
		}
		yaml_mapping_end_event_initialize(&ev);
		break;
	case VALUE_LIST:
		yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
		if (!yaml_emitter_emit(em, &ev))
			return -1;
		for (size_t i = 0; i < v->u.list.len; i++)
			if (emit_value(em, v->u.list.items[i], depth + 1) < 0)
				return -1;
		yaml_sequence_end_event_initialize(&ev);
		break;
	default: {
		char tmp[64];
		const char *s;
		int plain = 1;
		switch (v->type) {
		case VALUE_NULL: s = "null"; break;
		case VALUE_BOOL: s = v->u.b ? "true" : "false"; break;
		case VALUE_INT: snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i); s = tmp; break;
		case VALUE_FLOAT: snprintf(tmp, sizeof tmp, "%.17g", v->u.f); s = tmp; break;
		default: s = v->u.str.s; plain = !plain_is_other(s); break;
		}
		/* Plain where it reads back the same; libyaml quotes further when it must (': ',
		 * '#', a leading indicator, line breaks). */
		yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), 1, 1,
		                             plain ? YAML_ANY_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE);
	}
	}
	return yaml_emitter_emit(em, &ev) ? 0 : -1;
}

int
yml_emit(const struct value *v, struct buf *out)
{
	yaml_emitter_t em;
	yaml_event_t ev;
	int rc = -1;
	if (!yaml_emitter_initialize(&em))
		return -1;
	yaml_emitter_set_output(&em, emit_write, out);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	yaml_emitter_set_indent(&em, 2);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	if (!yaml_emitter_emit(&em, &ev))
		goto out;
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
	if (!yaml_emitter_emit(&em, &ev) || emit_value(&em, v, 0) < 0)
		goto out;
	yaml_document_end_event_initialize(&ev, 1);
	if (!yaml_emitter_emit(&em, &ev))
		goto out;
	yaml_stream_end_event_initialize(&ev);
	if (!yaml_emitter_emit(&em, &ev) || !yaml_emitter_flush(&em))
		goto out;
	rc = 0;
out:
	yaml_emitter_delete(&em);
	return rc;
}
