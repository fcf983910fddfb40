/* translations: the report. */
#include "translations.h"

#include <string.h>
#include <time.h>

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

static void
day(int64_t ts, char out[16])
{
	time_t t = (time_t)ts;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static void
json_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			buf_printf(b, "\\u%04x", (unsigned)*s);
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

int
translations_report(const struct site *s, int json, int fail_on, FILE *out)
{
	const struct config *cfg = s->cfg;
	struct buf b = BUF_INIT;
	int failed = 0;
	size_t width = 8;
	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i]->kind == PAGE_REGULAR && strlen(s->groups[i]->key) > width)
			width = strlen(s->groups[i]->key);
	if (json) {
		buf_puts(&b, "{\"languages\":[");
		for (size_t l = 0, n = 0; l < cfg->nlangs; l++)
			if (cfg->langs[l].from == SIZE_MAX) {
				buf_puts(&b, n++ ? "," : "");
				json_string(&b, cfg->langs[l].code);
			}
		buf_puts(&b, "],\"resources\":[");
	} else {
		buf_printf(&b, "%-*s", (int)width, "resource");
		for (size_t l = 0; l < cfg->nlangs; l++)
			if (cfg->langs[l].from == SIZE_MAX) /* derived languages follow their source */
				buf_printf(&b, "  %-22s", cfg->langs[l].code);
		buf_putc(&b, '\n');
	}
	size_t row = 0;
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		if (json) {
			buf_puts(&b, row++ ? ",{\"key\":" : "{\"key\":");
			json_string(&b, g->key);
			buf_puts(&b, ",\"source\":");
			json_string(&b, cfg->langs[g->primary->lang].code);
			buf_puts(&b, ",\"status\":{");
		} else {
			buf_printf(&b, "%-*s", (int)width, g->key);
		}
		for (size_t l = 0, n = 0; l < cfg->nlangs; l++) {
			if (cfg->langs[l].from != SIZE_MAX)
				continue;
			size_t behind;
			int64_t since = 0;
			enum state st = state_of(s, g, l, &behind, &since);
			char d[16] = "";
			if (st == ST_OUTDATED)
				day(since, d);
			failed |= (st == ST_OUTDATED && (fail_on & FAIL_ON_OUTDATED)) ||
			          (st == ST_MISSING && (fail_on & FAIL_ON_MISSING));
			if (json) {
				buf_puts(&b, n++ ? "," : "");
				json_string(&b, cfg->langs[l].code);
				buf_printf(&b, ":{\"state\":\"%s\"", state_names[st]);
				if (st == ST_OUTDATED)
					buf_printf(&b, ",\"behind\":%zu,\"since\":\"%s\"", behind, d);
				buf_putc(&b, '}');
			} else if (st == ST_OUTDATED) {
				char cell[40];
				snprintf(cell, sizeof cell, "outdated %zu since %s", behind, d);
				buf_printf(&b, "  %-22s", cell);
			} else {
				buf_printf(&b, "  %-22s", state_names[st]);
			}
		}
		buf_puts(&b, json ? "}}" : "\n");
	}
	if (json)
		buf_puts(&b, "]}\n");
	fwrite(b.data ? b.data : "", 1, b.len, out);
	buf_free(&b);
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
		value_map_set_string(row, "url", g->primary->url);
		struct value *cells = value_map_set(row, "cells", value_new_list());
		for (size_t l = 0; l < cfg->nlangs; l++) {
			if (cfg->langs[l].from != SIZE_MAX)
				continue;
			size_t behind;
			int64_t since = 0;
			enum state st = state_of(s, g, l, &behind, &since);
			struct value *c = value_list_push(cells, value_new_map());
			value_map_set_string(c, "lang", cfg->langs[l].code);
			value_map_set_string(c, "state", state_names[st]);
			if (g->pages[l] != NULL)
				value_map_set_string(c, "url", g->pages[l]->url);
			if (st == ST_OUTDATED) {
				char d[16];
				day(since, d);
				value_map_set_int(c, "behind", (int64_t)behind);
				value_map_set_string(c, "since", d);
			}
		}
	}
	return root;
}
