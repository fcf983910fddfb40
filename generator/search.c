/* search: index building. */
#include "search.h"

#include <stdint.h>
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

struct search_index {
	struct map by_stem;   /* stem -> struct postings */
	struct postings **all;
	size_t nall;
	struct stemmer *stemmers;
	size_t nstemmers;
	struct buf fold;
};

struct search_index *
search_new(void)
{
	return xcalloc(1, sizeof(struct search_index));
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

static void
add_word(void *payload, const char *word, size_t len)
{
	struct add_ctx *c = payload;
	struct search_index *ix = c->ix;
	size_t use = len;
	if (c->sb != NULL) {
		const sb_symbol *st = sb_stemmer_stem(c->sb, (const sb_symbol *)word, (int)len);
		size_t sl = st ? (size_t)sb_stemmer_length(c->sb) : 0;
		/* Only a stem that is a prefix of its word: the browser matches by prefix. */
		if (st != NULL && sl > 0 && sl <= len && memcmp(st, word, sl) == 0)
			use = sl;
	}
	buf_reset(&ix->fold);
	i18n_fold(word, use, &ix->fold);
	if (ix->fold.len == 0 || ix->fold.len > 40)
		return;
	struct postings *p = map_get(&ix->by_stem, buf_str(&ix->fold));
	if (p == NULL) {
		p = xcalloc(1, sizeof *p);
		p->stem = xstrdup(buf_str(&ix->fold));
		map_put(&ix->by_stem, p->stem, p);
		if ((ix->nall & (ix->nall - 1)) == 0)
			ix->all = xrealloc(ix->all, (ix->nall ? ix->nall * 2 : 1) * sizeof *ix->all);
		ix->all[ix->nall++] = p;
	}
	if (p->n >= 2 && p->v[p->n - 2] == c->doc) {
		/* Repeats count, up to a point: a word said fifty times is not fifty times as relevant. */
		if (p->v[p->n - 1] < 50)
			p->v[p->n - 1] += c->weight;
		return;
	}
	if (p->n + 2 > p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
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

void
search_write_json(const struct search_index *ix, struct buf *out)
{
	struct postings **all = xcalloc(ix->nall + 1, sizeof *all);
	if (ix->nall > 0)
		memcpy(all, ix->all, ix->nall * sizeof *all);
	sort_array(all, ix->nall, sizeof *all, cmp_postings);
	buf_puts(out, "{\"terms\":{");
	for (size_t i = 0; i < ix->nall; i++) {
		const struct postings *p = all[i];
		buf_puts(out, i ? ",\"" : "\"");
		for (const char *c = p->stem; *c; c++) {
			if (*c == '"' || *c == '\\')
				buf_printf(out, "\\%c", *c);
			else if ((unsigned char)*c < 0x20)
				buf_printf(out, "\\u%04x", (unsigned)*c);
			else
				buf_putc(out, *c);
		}
		buf_puts(out, "\":[");
		for (size_t k = 0; k < p->n; k++)
			buf_printf(out, k ? ",%u" : "%u", (unsigned)p->v[k]);
		buf_putc(out, ']');
	}
	buf_puts(out, "}}");
	free(all);
}
