/* yml: YAML text into a value tree, with libyaml's event parser. */
#include "yml.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/diag.h"
#include "util/xalloc.h"

#define MAX_DEPTH 64

struct parser {
	yaml_parser_t p;
	const char *text;
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
		char *key = xstrndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
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
		size_t len = ev->data.scalar.length;
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
	struct parser ps = {.text = text, .path = path, .line_offset = line_offset};
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
