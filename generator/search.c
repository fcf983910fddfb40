/* search: index building. */
#include "search.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "i18n.h"
#include "util/map.h"
#include "util/sort.h"
#include "util/xalloc.h"

/* A stem's postings: (document, score) pairs in the order documents were added. */
struct postings {
	char *stem;
	uint32_t *v; /* doc, score, doc, score… */
	size_t n, cap;
};

struct stemmer {
	char *lang;
	struct sb_stemmer *sb; /* NULL: this language has none */
};

/* Words repeat: a small direct-mapped cache of word (and stemmer) -> postings saves stemming and
 * folding them again, at a fixed size whatever the vocabulary. */
enum { CACHE_SIZE = 4096, CACHED_WORD = 30 };

struct cached {
	const struct sb_stemmer *sb;
	struct postings *p;
	unsigned char len; /* 0: empty */
	char word[CACHED_WORD];
};

struct search_index {
	struct map by_stem;   /* folded stem -> struct postings */
	struct cached *cache; /* recent words -> their postings (direct-mapped, CACHE_SIZE slots) */
	struct postings **all;
	size_t nall;
	struct stemmer *stemmers;
	size_t nstemmers;
	struct buf fold;
};

struct search_index *
search_new(void)
{
	struct search_index *ix = xcalloc(1, sizeof *ix);
	ix->cache = xcalloc(CACHE_SIZE, sizeof *ix->cache);
	return ix;
}

void
search_free(struct search_index *ix)
{
	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->nall; i++) {
		free(ix->all[i]->stem);
		free(ix->all[i]->v);
		free(ix->all[i]);
	}
	free(ix->all);
	for (size_t i = 0; i < ix->nstemmers; i++) {
		if (ix->stemmers[i].sb != NULL)
			sb_stemmer_delete(ix->stemmers[i].sb);
		free(ix->stemmers[i].lang);
	}
	free(ix->stemmers);
	map_free(&ix->by_stem);
	free(ix->cache);
	buf_free(&ix->fold);
	free(ix);
}

/* The stemmer for a BCP 47 tag, by its primary language subtag ("sr-Latn" -> "sr"), which
 * libstemmer takes as an ISO 639 code; NULL when it has none. */
static struct sb_stemmer *
stemmer_for(struct search_index *ix, const char *lang)
{
	for (size_t i = 0; i < ix->nstemmers; i++)
		if (strcmp(ix->stemmers[i].lang, lang) == 0)
			return ix->stemmers[i].sb;
	char code[16];
	size_t k = strcspn(lang, "-_");
	if (k >= sizeof code)
		k = sizeof code - 1;
	memcpy(code, lang, k);
	code[k] = '\0';
	ix->stemmers = xrealloc(ix->stemmers, (ix->nstemmers + 1) * sizeof *ix->stemmers);
	struct stemmer *s = &ix->stemmers[ix->nstemmers++];
	s->lang = xstrdup(lang);
	s->sb = sb_stemmer_new(code, "UTF_8");
	return s->sb;
}

struct add_ctx {
	struct search_index *ix;
	struct sb_stemmer *sb;
	uint32_t doc, weight;
};

/* The postings a word goes to: its stem (when the stem is a prefix of it: the browser matches by
 * prefix), folded. NULL for a word too long to be one. */
static struct postings *
postings_for(struct search_index *ix, struct sb_stemmer *sb, const char *word, size_t len)
{
	size_t use = len;
	if (sb != NULL) {
		const sb_symbol *st = sb_stemmer_stem(sb, (const sb_symbol *)word, (int)len);
		size_t sl = st ? (size_t)sb_stemmer_length(sb) : 0;
		if (st != NULL && sl > 0 && sl <= len && memcmp(st, word, sl) == 0)
			use = sl;
	}
	buf_reset(&ix->fold);
	i18n_fold(word, use, &ix->fold);
	if (ix->fold.len == 0 || ix->fold.len > 40)
		return NULL;
	struct postings *p = map_get(&ix->by_stem, buf_str(&ix->fold));
	if (p == NULL) {
		p = xcalloc(1, sizeof *p);
		p->stem = xstrdup(buf_str(&ix->fold));
		map_put(&ix->by_stem, p->stem, p);
		if ((ix->nall & (ix->nall - 1)) == 0)
			ix->all = xrealloc(ix->all, (ix->nall ? ix->nall * 2 : 1) * sizeof *ix->all);
		ix->all[ix->nall++] = p;
	}
	return p;
}

static void
add_word(void *payload, const char *word, size_t len)
{
	struct add_ctx *c = payload;
	struct search_index *ix = c->ix;
	struct postings *p = NULL;
	struct cached *slot = NULL;
	if (len <= CACHED_WORD) {
		uint32_t h = 2166136261u ^ (uint32_t)(uintptr_t)c->sb;
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)word[i]) * 16777619u;
		slot = &ix->cache[h & (CACHE_SIZE - 1)];
		if (slot->len == len && slot->sb == c->sb && memcmp(slot->word, word, len) == 0)
			p = slot->p;
	}
	if (p == NULL) {
		p = postings_for(ix, c->sb, word, len);
		if (p == NULL)
			return;
		if (slot != NULL) {
			slot->sb = c->sb;
			slot->p = p;
			slot->len = (unsigned char)len;
			memcpy(slot->word, word, len);
		}
	}
	if (p->n >= 2 && p->v[p->n - 2] == c->doc) {
		/* Repeats count, up to a point: a word said fifty times is not fifty times as relevant. */
		if (p->v[p->n - 1] < 50)
			p->v[p->n - 1] += c->weight;
		return;
	}
	if (p->n + 2 > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 4;
		p->v = xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = c->doc;
	p->v[p->n++] = c->weight;
}

void
search_add(struct search_index *ix, size_t doc, const char *text, size_t n, unsigned weight,
           const char *lang, struct i18n_locale *loc)
{
	struct add_ctx c = {ix, stemmer_for(ix, lang), (uint32_t)doc, weight};
	i18n_words(loc, text, n, add_word, &c);
}

static int
cmp_postings(const void *a, const void *b)
{
	return strcmp((*(struct postings *const *)a)->stem, (*(struct postings *const *)b)->stem);
}

static void
put_uint(struct buf *out, uint32_t v)
{
	char tmp[12];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		buf_putc(out, tmp[--n]);
}

/* The first code point of a UTF-8 string. */
static uint32_t
first_cp(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] < 0x80)
		return u[0];
	if ((u[0] & 0xE0) == 0xC0)
		return ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
	if ((u[0] & 0xF0) == 0xE0)
		return ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) | (u[2] & 0x3F);
	return ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
	       ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
}

void
search_write(const struct search_index *ix,
             void (*emit)(void *payload, const char *shard, const struct buf *json), void *payload)
{
	struct postings **all = xcalloc(ix->nall + 1, sizeof *all);
	struct buf out = BUF_INIT;
	if (ix->nall > 0)
		memcpy(all, ix->all, ix->nall * sizeof *all);
	sort_array(all, ix->nall, sizeof *all, cmp_postings);
	/* Stems in byte order are grouped by their first code point: one shard each. */
	for (size_t i = 0; i < ix->nall;) {
		uint32_t cp = first_cp(all[i]->stem);
		char shard[16];
		snprintf(shard, sizeof shard, "%x", (unsigned)cp);
		buf_reset(&out);
		buf_puts(&out, "{\"terms\":{");
		for (size_t k = i; i < ix->nall && first_cp(all[i]->stem) == cp; i++) {
			const struct postings *p = all[i];
			buf_puts(&out, i > k ? ",\"" : "\"");
			for (const char *c = p->stem; *c; c++) {
				if (*c == '"' || *c == '\\')
					buf_printf(&out, "\\%c", *c);
				else if ((unsigned char)*c < 0x20)
					buf_printf(&out, "\\u%04x", (unsigned)*c);
				else
					buf_putc(&out, *c);
			}
			buf_puts(&out, "\":[");
			for (size_t j = 0; j < p->n; j++) {
				if (j)
					buf_putc(&out, ',');
				put_uint(&out, p->v[j]);
			}
			buf_putc(&out, ']');
		}
		buf_puts(&out, "}}\n");
		emit(payload, shard, &out);
	}
	buf_free(&out);
	free(all);
}
