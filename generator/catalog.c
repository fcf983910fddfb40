/* catalog: per-language UI strings with fallback and plural forms. */
#include "catalog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/map.h"
#include "util/xalloc.h"
#include "yml.h"

struct catalog {
	size_t nlangs, fallback;
	struct map *strings;  /* per language: key -> struct value * (owned by docs) */
	struct value **docs;  /* every loaded file, kept for the values' lifetime */
	size_t ndocs;
};

static const char *const plural_forms[] = {"zero", "one", "two", "few", "many", "other", NULL};

static int
is_plural_map(const struct value *v)
{
	if (v->type != VALUE_MAP || v->u.map.len == 0)
		return 0;
	for (size_t i = 0; i < v->u.map.len; i++) {
		size_t k;
		for (k = 0; plural_forms[k]; k++)
			if (strcmp(v->u.map.keys[i], plural_forms[k]) == 0)
				break;
		if (plural_forms[k] == NULL || v->u.map.vals[i]->type != VALUE_STRING)
			return 0;
	}
	return 1;
}

struct catalog *
catalog_new(size_t nlangs, size_t fallback)
{
	struct catalog *c = xcalloc(1, sizeof *c);
	c->nlangs = nlangs;
	c->fallback = fallback;
	c->strings = xcalloc(nlangs ? nlangs : 1, sizeof *c->strings);
	return c;
}

void
catalog_free(struct catalog *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nlangs; i++)
		map_free(&c->strings[i]);
	free(c->strings);
	for (size_t i = 0; i < c->ndocs; i++)
		value_free(c->docs[i]);
	free(c->docs);
	free(c);
}

static int
add(struct catalog *c, size_t lang, const char *path, const char *prefix, const struct value *m)
{
	int rc = 0;
	for (size_t i = 0; i < m->u.map.len; i++) {
		const struct value *v = m->u.map.vals[i];
		char *key = *prefix ? xasprintf("%s.%s", prefix, m->u.map.keys[i])
		                    : xstrdup(m->u.map.keys[i]);
		if (v->type == VALUE_MAP && !is_plural_map(v)) {
			if (add(c, lang, path, key, v) < 0)
				rc = -1;
		} else if (v->type == VALUE_STRING || is_plural_map(v)) {
			map_put(&c->strings[lang], key, (void *)v);
		} else if (v->type == VALUE_INT || v->type == VALUE_FLOAT || v->type == VALUE_BOOL) {
			diag_error(path, v->line, v->col, "UI string '%s' must be quoted text", key);
			rc = -1;
		} else if (v->type != VALUE_NULL) {
			diag_error(path, v->line, v->col,
			           "UI string '%s' must be text or a map of plural forms (one, few, other…)",
			           key);
			rc = -1;
		}
		free(key);
	}
	return rc;
}

int
catalog_load(struct catalog *c, size_t lang, const char *path, const char *text, size_t len)
{
	struct value *doc;
	if (lang >= c->nlangs || yml_parse(path, text, len, 0, &doc) < 0)
		return -1;
	if (doc->type == VALUE_NULL) {
		value_free(doc);
		return 0;
	}
	if (doc->type != VALUE_MAP) {
		diag_error(path, doc->line, doc->col, "UI strings must be a mapping of key: text");
		value_free(doc);
		return -1;
	}
	c->docs = xrealloc(c->docs, (c->ndocs + 1) * sizeof *c->docs);
	c->docs[c->ndocs++] = doc;
	return add(c, lang, path, "", doc);
}

static struct value *
transliterated(const struct value *v, const char *transform)
{
	struct buf b = BUF_INIT;
	if (v->type == VALUE_STRING) {
		i18n_transliterate(transform, v->u.str.s, &b);
		return value_new_string_own(buf_detach(&b));
	}
	struct value *m = value_new_map(); /* a plural map */
	for (size_t i = 0; i < v->u.map.len; i++)
		value_map_set(m, v->u.map.keys[i], transliterated(v->u.map.vals[i], transform));
	buf_free(&b);
	return m;
}

void
catalog_derive(struct catalog *c, size_t lang, size_t from, const char *transform)
{
	if (lang >= c->nlangs || from >= c->nlangs)
		return;
	struct value *doc = value_new_map();
	const struct map *src = &c->strings[from];
	for (size_t i = 0; i < src->cap; i++) {
		if (src->keys[i] == NULL || map_get(&c->strings[lang], src->keys[i]) != NULL)
			continue;
		value_map_set(doc, src->keys[i], transliterated(src->vals[i], transform));
	}
	c->docs = xrealloc(c->docs, (c->ndocs + 1) * sizeof *c->docs);
	c->docs[c->ndocs++] = doc;
	for (size_t i = 0; i < doc->u.map.len; i++)
		map_put(&c->strings[lang], doc->u.map.keys[i], doc->u.map.vals[i]);
}

const struct value *
catalog_get(const struct catalog *c, size_t lang, const char *key)
{
	const struct value *v = lang < c->nlangs ? map_get(&c->strings[lang], key) : NULL;
	if (v == NULL && c->fallback < c->nlangs)
		v = map_get(&c->strings[c->fallback], key);
	return v;
}

const char *
catalog_string(const struct catalog *c, size_t lang, const char *key)
{
	const struct value *v = catalog_get(c, lang, key);
	if (v == NULL)
		return NULL;
	if (v->type == VALUE_MAP) {
		const struct value *o = value_map_get(v, "other");
		return o ? value_str(o) : value_str(v->u.map.vals[0]);
	}
	return value_str(v);
}

static void
var_text(const struct value *v, struct i18n_locale *loc, struct buf *out)
{
	v = value_deref(v);
	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_STRING: buf_add(out, v->u.str.s, v->u.str.len); break;
	case VALUE_INT: i18n_format_number(loc, (double)v->u.i, out); break;
	case VALUE_FLOAT: i18n_format_number(loc, v->u.f, out); break;
	default: break;
	}
}

void
catalog_format(const struct catalog *c, size_t lang, struct i18n_locale *loc, const char *key,
               double count, const struct value *vars, struct buf *out)
{
	const struct value *v = catalog_get(c, lang, key);
	const char *s;
	if (v == NULL) {
		buf_puts(out, key);
		return;
	}
	if (v->type == VALUE_MAP) {
		const struct value *form = NULL;
		if (!isnan(count))
			form = value_map_get(v, i18n_plural(loc, count));
		if (form == NULL)
			form = value_map_get(v, "other");
		if (form == NULL)
			form = v->u.map.vals[0];
		s = value_str(form);
	} else {
		s = value_str(v);
	}
	/* Replace {name} placeholders; an unknown one is kept as written. */
	while (*s) {
		const char *open = strchr(s, '{');
		const char *close = open ? strchr(open, '}') : NULL;
		if (open == NULL || close == NULL) {
			buf_puts(out, s);
			return;
		}
		buf_add(out, s, (size_t)(open - s));
		char *name = xstrndup(open + 1, (size_t)(close - open - 1));
		const struct value *var = vars ? value_map_get(vars, name) : NULL;
		if (strcmp(name, "count") == 0 && !isnan(count))
			i18n_format_number(loc, count, out);
		else if (var != NULL)
			var_text(var, loc, out);
		else
			buf_add(out, open, (size_t)(close - open + 1));
		free(name);
		s = close + 1;
	}
}
