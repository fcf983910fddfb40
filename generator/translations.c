/* translations: the report. */
#include "translations.h"

#include <string.h>

#include "i18n.h"
#include "urlbase.h"

#include "util/buf.h"
#include "util/xalloc.h"

enum state { ST_SOURCE, ST_OK, ST_OUTDATED, ST_MISSING, ST_UNCOMMITTED };

static const char *const state_names[] = {"source", "ok", "outdated", "missing", "uncommitted"};

static enum state
state_of(const struct site *s, const struct group *g, size_t l, size_t *behind, int64_t *since)
{
	const struct page *p = g->pages[l], *src = g->primary;
	*behind = 0;
	if (p == NULL)
		return ST_MISSING;
	if (p == src)
		return ST_SOURCE;
	if (p->hist == NULL || src->hist == NULL)
		return ST_UNCOMMITTED;
	*behind = site_behind(s, p, since);
	return *behind > 0 ? ST_OUTDATED : ST_OK;
}

/* The state of one version as {state, behind, since}. */
static struct value *
cell_value(const struct site *s, const struct group *g, size_t l)
{
	size_t behind;
	int64_t since = 0;
	enum state st = state_of(s, g, l, &behind, &since);
	struct value *c = value_new_map();
	value_map_set_string(c, "state", state_names[st]);
	if (st == ST_OUTDATED) {
		struct buf d = BUF_INIT;
		i18n_format_date(NULL, since, "iso", &d);
		value_map_set_int(c, "behind", (int64_t)behind);
		value_map_set(c, "since", value_new_string_own(buf_detach(&d)));
	}
	return c;
}

int
translations_report(const struct site *s, int json, int fail_on, FILE *out)
{
	struct value *t = translations_value(s);
	const struct value *langs = value_map_get(t, "languages"), *rows = value_map_get(t, "rows");
	struct value *doc = value_new_map();
	struct value *codes = value_map_set(doc, "languages", value_new_list());
	struct value *resources = value_map_set(doc, "resources", value_new_list());
	struct buf b = BUF_INIT;
	int failed = 0;
	size_t width = 8;
	for (size_t i = 0; i < value_len(rows); i++)
		if (strlen(value_str(value_map_get(rows->u.list.items[i], "key"))) > width)
			width = strlen(value_str(value_map_get(rows->u.list.items[i], "key")));
	buf_printf(&b, "%-*s", (int)width, "resource");
	for (size_t l = 0; l < value_len(langs); l++) {
		const char *code = value_str(value_map_get(langs->u.list.items[l], "code"));
		value_list_push(codes, value_new_string(code));
		buf_printf(&b, "  %-22s", code);
	}
	buf_putc(&b, '\n');
	for (size_t i = 0; i < value_len(rows); i++) {
		const struct value *row = rows->u.list.items[i], *cells = value_map_get(row, "cells");
		struct value *res = value_list_push(resources, value_new_map());
		value_map_set(res, "key", value_new_ref(value_map_get(row, "key")));
		value_map_set(res, "source", value_new_ref(value_map_get(row, "source")));
		struct value *status = value_map_set(res, "status", value_new_map());
		buf_printf(&b, "%-*s", (int)width, value_str(value_map_get(row, "key")));
		for (size_t k = 0; k < value_len(cells); k++) {
			const struct value *c = cells->u.list.items[k];
			const char *st = value_str(value_map_get(c, "state"));
			failed |= (strcmp(st, "outdated") == 0 && (fail_on & FAIL_ON_OUTDATED)) ||
			          (strcmp(st, "missing") == 0 && (fail_on & FAIL_ON_MISSING));
			value_map_set(status, value_str(value_map_get(c, "lang")),
			              value_new_ref(value_map_get(c, "status")));
			if (strcmp(st, "outdated") == 0) {
				char cell[48];
				snprintf(cell, sizeof cell, "outdated %lld since %s",
				         (long long)value_deref(value_map_get(c, "behind"))->u.i,
				         value_str(value_map_get(c, "since")));
				buf_printf(&b, "  %-22s", cell);
			} else {
				buf_printf(&b, "  %-22s", st);
			}
		}
		buf_putc(&b, '\n');
	}
	if (json) {
		buf_reset(&b);
		value_write_json(doc, &b);
		buf_putc(&b, '\n');
	}
	fwrite(b.data ? b.data : "", 1, b.len, out);
	buf_free(&b);
	value_free(doc);
	value_free(t);
	return failed;
}

struct value *
translations_value(const struct site *s)
{
	const struct config *cfg = s->cfg;
	struct value *root = value_new_map();
	struct value *langs = value_map_set(root, "languages", value_new_list());
	for (size_t l = 0; l < cfg->nlangs; l++)
		if (cfg->langs[l].from == SIZE_MAX) {
			struct value *v = value_list_push(langs, value_new_map());
			value_map_set_string(v, "code", cfg->langs[l].code);
			value_map_set_string(v, "name", cfg->langs[l].name);
		}
	struct value *rows = value_map_set(root, "rows", value_new_list());
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		struct value *row = value_list_push(rows, value_new_map());
		value_map_set_string(row, "key", g->key);
		value_map_set_string(row, "title", g->primary->title ? g->primary->title : g->key);
		value_map_set(row, "url", value_new_string_own(urlbase_add(cfg->base_path, g->primary->url)));
		value_map_set_string(row, "source", cfg->langs[g->primary->lang].code);
		struct value *cells = value_map_set(row, "cells", value_new_list());
		for (size_t l = 0; l < cfg->nlangs; l++) {
			if (cfg->langs[l].from != SIZE_MAX)
				continue; /* derived languages follow their source */
			struct value *c = value_list_push(cells, value_new_map());
			struct value *st = value_map_set(c, "status", cell_value(s, g, l));
			value_map_set_string(c, "lang", cfg->langs[l].code);
			value_map_set(c, "state", value_new_ref(value_map_get(st, "state")));
			if (value_map_get(st, "behind") != NULL) {
				value_map_set(c, "behind", value_new_ref(value_map_get(st, "behind")));
				value_map_set(c, "since", value_new_ref(value_map_get(st, "since")));
			}
			if (g->pages[l] != NULL)
				value_map_set(c, "url", value_new_string_own(urlbase_add(cfg->base_path, g->pages[l]->url)));
		}
	}
	return root;
}
