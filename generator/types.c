/* types: content-type declarations and the checks of one front-matter value against its field. */
#include "types.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/suggest.h"
#include "util/xalloc.h"

static const char *const kind_names[] = {
    [FIELD_TEXT] = "text",       [FIELD_TEXTS] = "texts",         [FIELD_DATE] = "date",
    [FIELD_NUMBER] = "number",   [FIELD_BOOL] = "bool",           [FIELD_URL] = "url",
    [FIELD_PAGE] = "page",       [FIELD_PAGES] = "pages",         [FIELD_FILE] = "file",
    [FIELD_CHOICE] = "choice",   [FIELD_COUNTRY] = "country",     [FIELD_COUNTRIES] = "countries",
    [FIELD_AGES] = "ages",       [FIELD_CONSENT] = "consent",
};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

/* Keys satchel or the theme reads on every page, whatever its type. */
static const char *const common_keys[] = {
    "title", "date", "updated", "summary", "slug", "weight", "draft", "translation_key", "type",
    "easy_read", "child_friendly", "featured", "image", "image_alt", "license", "params",
    "translated_from", "aliases", NULL,
};

int
types_common_key(const char *key)
{
	for (size_t i = 0; common_keys[i]; i++)
		if (strcmp(key, common_keys[i]) == 0)
			return 1;
	return 0;
}

static void
field_free(struct field *f)
{
	free(f->name);
	for (size_t i = 0; i < f->nvalues; i++)
		free(f->values[i]);
	free(f->values);
	free(f->to);
}

static void
ctype_free(struct ctype *ct)
{
	free(ct->name);
	free(ct->schema);
	free(ct->parts);
	for (size_t i = 0; i < ct->nfields; i++)
		field_free(&ct->fields[i]);
	free(ct->fields);
}

void
types_free(struct types *t)
{
	for (size_t i = 0; i < t->n; i++)
		ctype_free(&t->v[i]);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

const struct ctype *
types_get(const struct types *t, const char *name)
{
	if (t == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return &t->v[i];
	return NULL;
}

const struct field *
type_field(const struct ctype *ct, const char *name)
{
	for (size_t i = 0; ct != NULL && i < ct->nfields; i++)
		if (strcmp(ct->fields[i].name, name) == 0)
			return &ct->fields[i];
	return NULL;
}

static int
is_name(const char *s)
{
	return s != NULL && *s && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(s);
}

/* A flag of a declaration: absent is 0. */
static int
flag(const char *path, const struct value *map, const char *key, int *errors)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return 0;
	if (v->type != VALUE_BOOL) {
		diag_error(path, v->line, v->col, "'%s' must be true or false", key);
		(*errors)++;
		return 0;
	}
	return v->u.b;
}

static char *
name_of(const char *path, const struct value *map, const char *key, int *errors)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return NULL;
	if (!is_name(value_str(v)) && !(strcmp(key, "schema") == 0 && value_str(v) && *value_str(v))) {
		diag_error(path, v->line, v->col, "'%s' must be a lowercase name (a-z, 0-9, '-', '_')", key);
		(*errors)++;
		return NULL;
	}
	return xstrdup(value_str(v));
}

static int
unknown_keys(const char *path, const struct value *map, const char *const *known, const char *what)
{
	int errors = 0;
	for (size_t k = 0; k < map->u.map.len; k++) {
		int ok = 0;
		for (size_t i = 0; known[i] && !ok; i++)
			ok = strcmp(map->u.map.keys[k], known[i]) == 0;
		if (!ok) {
			const char *best = suggest_closest(map->u.map.keys[k], known);
			diag_error(path, map->u.map.key_lines[k], 0, "unknown key '%s' in %s%s%s%s",
			           map->u.map.keys[k], what, best ? "; did you mean '" : "", best ? best : "",
			           best ? "'?" : "");
			errors++;
		}
	}
	return errors;
}

static int
load_field(const char *path, const char *name, const struct value *decl, struct field *f)
{
	static const char *const known[] = {"kind", "required", "shared", "values", "to", NULL};
	int errors = 0;
	f->name = xstrdup(name);
	/* `title: text` is short for `title: {kind: text}`. */
	const struct value *kv = decl->type == VALUE_MAP ? value_map_get(decl, "kind") : decl;
	const char *kind = value_str(kv);
	size_t k = 0;
	while (kind != NULL && k < NKINDS && strcmp(kind, kind_names[k]) != 0)
		k++;
	if (kind == NULL || k == NKINDS) {
		diag_error(path, kv ? kv->line : decl->line, kv ? kv->col : decl->col,
		           "field '%s' needs a kind: text, texts, date, number, bool, url, page, pages, "
		           "file, choice, country, countries or ages",
		           name);
		return 1;
	}
	f->kind = (enum field_kind)k;
	if (decl->type != VALUE_MAP)
		return 0;
	errors += unknown_keys(path, decl, known, "a field (it has kind, required, shared, values, to)");
	f->required = flag(path, decl, "required", &errors);
	f->shared = flag(path, decl, "shared", &errors);
	f->to = name_of(path, decl, "to", &errors);
	const struct value *vals = value_map_get(decl, "values");
	if (f->kind == FIELD_CHOICE) {
		if (vals == NULL || vals->type != VALUE_LIST || vals->u.list.len == 0) {
			diag_error(path, decl->line, decl->col, "choice field '%s' needs a list of values", name);
			return errors + 1;
		}
		f->values = xcalloc(vals->u.list.len, sizeof *f->values);
		for (size_t i = 0; i < vals->u.list.len; i++) {
			const char *s = value_str(vals->u.list.items[i]);
			if (!is_name(s)) {
				diag_error(path, vals->u.list.items[i]->line, vals->u.list.items[i]->col,
				           "each value of '%s' must be a lowercase name", name);
				errors++;
				continue;
			}
			f->values[f->nvalues++] = xstrdup(s);
		}
	} else if (vals != NULL) {
		diag_error(path, vals->line, vals->col, "only a choice field has values");
		errors++;
	}
	if (f->to != NULL && f->kind != FIELD_PAGE && f->kind != FIELD_PAGES) {
		diag_error(path, decl->line, decl->col, "only a page or pages field has 'to'");
		errors++;
	}
	/* A link to another page is about the resource, not its words: every version shares it. */
	if (f->kind == FIELD_PAGE || f->kind == FIELD_PAGES)
		f->shared = 1;
	return errors;
}

int
types_add(struct types *t, const char *path, const struct value *decl)
{
	static const char *const known[] = {"schema", "resource", "parts", "fields", NULL};
	int errors = 0;
	if (decl == NULL || decl->type == VALUE_NULL)
		return 0;
	if (decl->type != VALUE_MAP) {
		diag_error(path, decl->line, decl->col, "types must be a mapping of type names");
		return -1;
	}
	for (size_t i = 0; i < decl->u.map.len; i++) {
		const char *name = decl->u.map.keys[i];
		const struct value *d = decl->u.map.vals[i];
		int line = decl->u.map.key_lines[i];
		if (!is_name(name)) {
			diag_error(path, line, 0, "type name '%s' must be lowercase (a-z, 0-9, '-', '_')", name);
			errors++;
			continue;
		}
		if (d->type != VALUE_MAP) {
			diag_error(path, line, 0, "type '%s' must be a mapping (schema, resource, parts, fields)",
			           name);
			errors++;
			continue;
		}
		struct ctype ct = {.name = xstrdup(name)};
		errors += unknown_keys(path, d, known, "a type (it has schema, resource, parts, fields)");
		ct.schema = name_of(path, d, "schema", &errors);
		ct.resource = flag(path, d, "resource", &errors);
		ct.parts = name_of(path, d, "parts", &errors);
		const struct value *fields = value_map_get(d, "fields");
		if (fields != NULL && fields->type != VALUE_MAP && fields->type != VALUE_NULL) {
			diag_error(path, fields->line, fields->col, "'fields' must be a mapping of field names");
			errors++;
		} else if (fields != NULL && fields->type == VALUE_MAP) {
			ct.fields = xcalloc(fields->u.map.len + 1, sizeof *ct.fields);
			for (size_t k = 0; k < fields->u.map.len; k++) {
				const char *fname = fields->u.map.keys[k];
				if (!is_name(fname)) {
					diag_error(path, fields->u.map.key_lines[k], 0,
					           "field name '%s' must be lowercase (a-z, 0-9, '-', '_')", fname);
					errors++;
					continue;
				}
				errors += load_field(path, fname, fields->u.map.vals[k], &ct.fields[ct.nfields++]);
			}
		}
		size_t at = 0;
		while (at < t->n && strcmp(t->v[at].name, name) != 0)
			at++;
		if (at == t->n)
			t->v = xrealloc(t->v, (++t->n) * sizeof *t->v);
		else
			ctype_free(&t->v[at]);
		t->v[at] = ct;
	}
	return errors ? -1 : 0;
}

int
types_check(const struct types *t, const char *path)
{
	int errors = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct ctype *ct = &t->v[i];
		if (ct->parts != NULL && types_get(t, ct->parts) == NULL) {
			diag_error(path, 0, 0, "type '%s': its parts are of type '%s', which is not declared",
			           ct->name, ct->parts);
			errors++;
		}
		for (size_t k = 0; k < ct->nfields; k++)
			if (ct->fields[k].to != NULL && types_get(t, ct->fields[k].to) == NULL) {
				diag_error(path, 0, 0, "type '%s': field '%s' links to type '%s', which is not declared",
				           ct->name, ct->fields[k].name, ct->fields[k].to);
				errors++;
			}
	}
	return errors ? -1 : 0;
}

int
parse_ages(const char *s, int *lo, int *hi)
{
	char *end;
	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	long a = strtol(s, &end, 10), b;
	if (*end == '\0') {
		b = a;
	} else if (strcmp(end, "+") == 0) {
		b = -1;
	} else {
		/* "12-15", "12 - 15", "12–15" (en dash) */
		while (*end == ' ')
			end++;
		if (*end == '-')
			end++;
		else if (strncmp(end, "\xe2\x80\x93", 3) == 0)
			end += 3;
		else
			return -1;
		while (*end == ' ')
			end++;
		if (!isdigit((unsigned char)*end))
			return -1;
		b = strtol(end, &end, 10);
		if (*end != '\0' || b < a)
			return -1;
	}
	if (a > 25 || b > 25)
		return -1;
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

static int
is_web_url(const char *s)
{
	return s != NULL && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
	       strchr(s, ' ') == NULL && strchr(s, '"') == NULL && strchr(s, '<') == NULL &&
	       s[strncmp(s, "https://", 8) == 0 ? 8 : 7] != '\0';
}

/* One item of a field's kind; describes what it expected in *want. */
static int
item_ok(const struct field *f, enum field_kind kind, const struct value *v, const char **want)
{
	const char *s = value_str(v);
	int64_t ts;
	char *ymd = NULL;
	int lo, hi;
	switch (kind) {
	case FIELD_TEXT:
	case FIELD_TEXTS:
		*want = "text";
		return s != NULL;
	case FIELD_DATE:
		*want = "a date such as 2025-03-14 or 2025-03-14T09:30:00+02:00";
		if (s == NULL || parse_date(s, &ts, &ymd) < 0)
			return 0;
		free(ymd);
		return 1;
	case FIELD_NUMBER:
		*want = "a whole number";
		return v->type == VALUE_INT;
	case FIELD_BOOL:
		*want = "true or false";
		return v->type == VALUE_BOOL;
	case FIELD_URL:
		*want = "a web address starting with https://";
		return is_web_url(s);
	case FIELD_PAGE:
	case FIELD_PAGES:
		*want = "a page, by its file (../x/index.md), its path (partners/x) or its folder name";
		return s != NULL && *s;
	case FIELD_FILE:
		*want = "the name of a file beside the page, such as film.mp4";
		return s != NULL && *s && strstr(s, "..") == NULL && s[0] != '/';
	case FIELD_CHOICE:
		*want = "one of the values listed for it";
		for (size_t i = 0; s && i < f->nvalues; i++)
			if (strcmp(s, f->values[i]) == 0)
				return 1;
		return 0;
	case FIELD_COUNTRY:
	case FIELD_COUNTRIES:
		*want = "an ISO 3166-1 country code such as BG, GR or XK";
		return i18n_country_valid(s);
	case FIELD_CONSENT:
		*want = "a consent record (child, guardian, given, review, recorded_by)";
		return v->type == VALUE_MAP;
	case FIELD_AGES:
		*want = "an age range such as 12-15, 16+ or 14";
		return v->type == VALUE_INT ? v->u.i >= 0 && v->u.i <= 25 : parse_ages(s, &lo, &hi) == 0;
	}
	return 0;
}

int
field_check(const struct field *f, const char *src, const struct value *v)
{
	const char *want = "";
	char tmp[64];
	if (v == NULL || v->type == VALUE_NULL)
		return 0;
	int list = f->kind == FIELD_TEXTS || f->kind == FIELD_PAGES || f->kind == FIELD_COUNTRIES;
	if (list && v->type != VALUE_LIST) {
		/* One item where a list is expected is a list of one. */
		if (item_ok(f, f->kind, v, &want))
			return 0;
		diag_error(src, v->line, v->col, "'%s' must be a list, each item %s; not %s", f->name, want,
		           value_describe(v, tmp, sizeof tmp));
		return -1;
	}
	if (!list) {
		if (item_ok(f, f->kind, v, &want))
			return 0;
		if (f->kind == FIELD_CHOICE) {
			struct buf b = BUF_INIT;
			for (size_t i = 0; i < f->nvalues; i++)
				buf_printf(&b, "%s%s", i ? ", " : "", f->values[i]);
			diag_error(src, v->line, v->col, "'%s' must be one of %s; not %s", f->name, buf_str(&b),
			           value_describe(v, tmp, sizeof tmp));
			buf_free(&b);
		} else {
			diag_error(src, v->line, v->col, "'%s' must be %s; not %s", f->name, want,
			           value_describe(v, tmp, sizeof tmp));
		}
		return -1;
	}
	int rc = 0;
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct value *it = v->u.list.items[i];
		if (!item_ok(f, f->kind, it, &want)) {
			diag_error(src, it->line, it->col, "each item of '%s' must be %s; not %s", f->name, want,
			           value_describe(it, tmp, sizeof tmp));
			rc = -1;
		}
	}
	return rc;
}

int
parse_date(const char *s, int64_t *ts, char **ymd)
{
	int has_time;
	long off;
	return parse_date_full(s, ts, ymd, &has_time, &off);
}

int
parse_date_full(const char *s, int64_t *ts, char **ymd, int *has_time, long *offset)
{
	struct tm tm = {0};
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	const char *r = s + 10;
	long off = 0;
	*has_time = *r == 'T' || *r == ' ';
	if (*r == 'T' || *r == ' ') {
		int m = 0;
		if (sscanf(r + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
			return -1;
		r += 1 + m;
		if (*r == ':') {
			if (sscanf(r + 1, "%2d%n", &sec, &m) != 1)
				return -1;
			r += 1 + m;
		}
		if (*r == '.')
			for (r++; isdigit((unsigned char)*r); r++)
				;
		/* YAML's timestamps (and Jekyll's dates) put a space before the zone and may write
		 * it +HHMM or +HH: "2018-01-25 22:22:22 +0530". */
		if (*r == ' ' && (r[1] == 'Z' || r[1] == '+' || r[1] == '-'))
			r++;
		if (*r == 'Z') {
			r++;
		} else if (*r == '+' || *r == '-') {
			const char *z = r + 1;
			int oh = 0, om = 0;
			if (!isdigit((unsigned char)z[0]) || !isdigit((unsigned char)z[1]))
				return -1;
			oh = (z[0] - '0') * 10 + (z[1] - '0');
			z += 2;
			if (*z == ':')
				z++;
			if (isdigit((unsigned char)z[0]) && isdigit((unsigned char)z[1])) {
				om = (z[0] - '0') * 10 + (z[1] - '0');
				z += 2;
			} else if (z[-1] == ':') {
				return -1;
			}
			if (oh > 23 || om > 59)
				return -1;
			off = (oh * 60L + om) * 60L * (*r == '-' ? -1 : 1);
			r = z;
		}
	}
	if (*r != '\0' || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap))
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*ts = (int64_t)timegm(&tm) - off;
	*offset = off;
	*ymd = xasprintf("%04d-%02d-%02d", y, mo, d);
	return 0;
}
