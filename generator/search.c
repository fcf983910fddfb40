/* search: index building (docs/search-format.md). */
#include "search.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "deps.h"
#include "i18n.h"
#include "util/sort.h"
#include "util/xalloc.h"

enum { TERM_MAX = 40, WORD_MAX = 60 };
/* A doc's word that is in its title, a heading or a meta field (the top bit of its term). */
#define SHOWN 0x80000000u

static const unsigned field_weight[] = {6, 3, 2, 1};

/* ---- interned strings ---- */

/* Strings kept in one buffer, each NUL-terminated, found by an open-addressing table whose slots
 * hold each string's hash beside its index, so that a probe reads the string only when the hashes
 * agree: cheaper than a map of malloc'd keys for the many small strings of an index. */
struct strtab {
	struct buf s;
	uint32_t *off;  /* per entry: its offset in s */
	uint64_t *slot; /* hash << 32 | (entry + 1); 0 is empty */
	size_t n, offcap, cap;
};

static uint32_t
hash_bytes(const char *k, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

static const char *
strtab_str(const struct strtab *t, uint32_t i)
{
	return t->s.data + t->off[i];
}

static void
strtab_grow(struct strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	uint64_t *old = t->slot;
	t->slot = xcalloc(cap, sizeof *t->slot);
	for (size_t i = 0; i < t->cap; i++) {
		if (old[i] == 0)
			continue;
		size_t j = (old[i] >> 32) & (cap - 1);
		while (t->slot[j] != 0)
			j = (j + 1) & (cap - 1);
		t->slot[j] = old[i];
	}
	free(old);
	t->cap = cap;
}

/* The index of k (len bytes, no NUL inside), added when new (*added 1). */
static uint32_t
strtab_intern(struct strtab *t, const char *k, size_t len, int *added)
{
	if ((t->n + 1) * 2 > t->cap)
		strtab_grow(t);
	uint32_t h = hash_bytes(k, len);
	size_t j = h & (t->cap - 1);
	for (uint64_t e; (e = t->slot[j]) != 0; j = (j + 1) & (t->cap - 1)) {
		if ((uint32_t)(e >> 32) != h)
			continue;
		uint32_t i = (uint32_t)e - 1;
		const char *s = strtab_str(t, i);
		if (strncmp(s, k, len) == 0 && s[len] == '\0') {
			*added = 0;
			return i;
		}
	}
	if (t->n == t->offcap) {
		t->offcap = t->offcap ? t->offcap * 2 : 64;
		t->off = xrealloc(t->off, t->offcap * sizeof *t->off);
	}
	t->off[t->n] = (uint32_t)t->s.len;
	buf_add(&t->s, k, len);
	buf_putc(&t->s, '\0');
	t->slot[j] = (uint64_t)h << 32 | (uint32_t)++t->n;
	*added = 1;
	return (uint32_t)t->n - 1;
}

static void
strtab_reset(struct strtab *t)
{
	if (t->n > 0)
		memset(t->slot, 0, t->cap * sizeof *t->slot);
	t->n = 0;
	buf_reset(&t->s);
}

static void
strtab_free(struct strtab *t)
{
	buf_free(&t->s);
	free(t->off);
	free(t->slot);
}

/* ---- documents ---- */

struct stemmer {
	char *lang;
	struct sb_stemmer *sb; /* NULL: this language has none */
};

/* Words repeat: a small direct-mapped cache of (stemmer, word) -> term saves stemming and
 * folding them again, at a fixed size whatever the vocabulary. */
enum { CACHE_SIZE = 4096, CACHED_WORD = 30 };

struct cached {
	const struct sb_stemmer *sb;
	unsigned char len, tlen; /* len 0: empty */
	char word[CACHED_WORD];
	char term[TERM_MAX];
};

struct search_extractor {
	struct stemmer *stemmers;
	size_t nstemmers;
	struct cached *cache;
	/* The document being made: its terms (weighted count, title bit) and its words, each
	 * "lang\x1fword" with its term. */
	struct strtab terms, words;
	uint32_t *wtf, *title, *word_term;
	size_t tcap, wcap;
	uint32_t dl;
	/* The text being added. */
	struct sb_stemmer *sb;
	const char *lang;
	enum search_field field;
	int ascii_plain; /* an ASCII word of lang has no transform (not Serbian) */
	struct buf fold, key;
};

struct search_doc {
	char *strs;
	uint32_t *toff, *tval; /* per term: its string, wtf << 1 | title */
	size_t nterms;
	uint32_t *woff, *wterm; /* per word ("lang\x1fword"): its string, its term (| SHOWN) */
	size_t nwords;
	uint32_t dl;
};

struct search_extractor *
search_extractor_new(void)
{
	struct search_extractor *x = xcalloc(1, sizeof *x);
	x->cache = xcalloc(CACHE_SIZE, sizeof *x->cache);
	return x;
}

void
search_extractor_free(struct search_extractor *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->nstemmers; i++) {
		if (x->stemmers[i].sb != NULL)
			sb_stemmer_delete(x->stemmers[i].sb);
		free(x->stemmers[i].lang);
	}
	free(x->stemmers);
	free(x->cache);
	strtab_free(&x->terms);
	strtab_free(&x->words);
	free(x->wtf);
	free(x->title);
	free(x->word_term);
	buf_free(&x->fold);
	buf_free(&x->key);
	free(x);
}

/* The stemmer for a BCP 47 tag, by its primary language subtag ("sr-Latn" -> "sr"), which
 * libstemmer takes as an ISO 639 code; NULL when it has none. */
static struct sb_stemmer *
stemmer_for(struct search_extractor *x, const char *lang)
{
	for (size_t i = 0; i < x->nstemmers; i++)
		if (strcmp(x->stemmers[i].lang, lang) == 0)
			return x->stemmers[i].sb;
	char code[16];
	size_t k = strcspn(lang, "-_");
	if (k >= sizeof code)
		k = sizeof code - 1;
	memcpy(code, lang, k);
	code[k] = '\0';
	x->stemmers = xrealloc(x->stemmers, (x->nstemmers + 1) * sizeof *x->stemmers);
	struct stemmer *s = &x->stemmers[x->nstemmers++];
	s->lang = xstrdup(lang);
	s->sb = sb_stemmer_new(code, "UTF_8");
	return s->sb;
}

void
search_doc_begin(struct search_extractor *x)
{
	strtab_reset(&x->terms);
	strtab_reset(&x->words);
	x->dl = 0;
}

/* The term of a word: its stem, folded, into x->fold (empty when it is none). */
static void
term_of(struct search_extractor *x, const char *word, size_t len)
{
	const char *use = word;
	size_t ul = len;
	if (x->sb != NULL) {
		const sb_symbol *st = sb_stemmer_stem(x->sb, (const sb_symbol *)word, (int)len);
		if (st != NULL && sb_stemmer_length(x->sb) > 0) {
			use = (const char *)st;
			ul = (size_t)sb_stemmer_length(x->sb);
		}
	}
	buf_reset(&x->fold);
	i18n_fold(use, ul, &x->fold);
	if (x->fold.len > TERM_MAX)
		buf_reset(&x->fold);
}

static void
add_word(void *payload, const char *word, size_t len)
{
	struct search_extractor *x = payload;
	if (len == 0 || len > WORD_MAX)
		return;
	x->dl++;
	const char *term;
	size_t tlen;
	struct cached *slot = NULL;
	if (len <= CACHED_WORD) {
		uint32_t h = hash_bytes(word, len) ^ (uint32_t)(uintptr_t)x->sb;
		slot = &x->cache[(h * 2654435761u) >> 20 & (CACHE_SIZE - 1)];
		if (!(slot->len == len && slot->sb == x->sb && memcmp(slot->word, word, len) == 0))
			slot = NULL;
	}
	if (slot != NULL) {
		term = slot->term;
		tlen = slot->tlen;
	} else {
		term_of(x, word, len);
		term = buf_str(&x->fold);
		tlen = x->fold.len;
		if (len <= CACHED_WORD) {
			uint32_t h = hash_bytes(word, len) ^ (uint32_t)(uintptr_t)x->sb;
			struct cached *c = &x->cache[(h * 2654435761u) >> 20 & (CACHE_SIZE - 1)];
			c->sb = x->sb;
			c->len = (unsigned char)len;
			c->tlen = (unsigned char)tlen;
			memcpy(c->word, word, len);
			memcpy(c->term, term, tlen);
		}
	}
	if (tlen == 0)
		return;
	int added;
	uint32_t ti = strtab_intern(&x->terms, term, tlen, &added);
	if (added) {
		if (ti >= x->tcap) {
			x->tcap = x->tcap ? x->tcap * 2 : 256;
			x->wtf = xrealloc(x->wtf, x->tcap * sizeof *x->wtf);
			x->title = xrealloc(x->title, x->tcap * sizeof *x->title);
		}
		x->wtf[ti] = 0;
		x->title[ti] = 0;
	}
	x->wtf[ti] += field_weight[x->field];
	if (x->field == SEARCH_TITLE)
		x->title[ti] = 1;
	/* An ASCII word that is its own term and has no transform adds nothing to the surface map:
	 * not kept (most words of an English text). */
	if (x->ascii_plain && tlen == len && memcmp(term, word, len) == 0) {
		size_t i = 0;
		while (i < len && (unsigned char)word[i] < 0x80)
			i++;
		if (i == len)
			return;
	}
	buf_reset(&x->key);
	buf_puts(&x->key, x->lang);
	buf_putc(&x->key, '\x1f');
	buf_add(&x->key, word, len);
	uint32_t wi = strtab_intern(&x->words, x->key.data, x->key.len, &added);
	if (added) {
		if (wi >= x->wcap) {
			x->wcap = x->wcap ? x->wcap * 2 : 256;
			x->word_term = xrealloc(x->word_term, x->wcap * sizeof *x->word_term);
		}
		x->word_term[wi] = ti;
	}
	if (x->field != SEARCH_BODY)
		x->word_term[wi] |= SHOWN;
}

void
search_doc_add(struct search_extractor *x, const char *text, size_t n, enum search_field f,
               const char *lang, struct i18n_locale *loc)
{
	if (n == 0)
		return;
	x->sb = stemmer_for(x, lang);
	x->lang = lang;
	x->ascii_plain = *search_transforms(lang, "a") == NULL;
	x->field = f;
	i18n_words(loc, text, n, add_word, x);
}

struct search_doc *
search_doc_end(struct search_extractor *x)
{
	struct search_doc *d = xcalloc(1, sizeof *d);
	size_t tl = x->terms.s.len, wl = x->words.s.len;
	d->strs = xmalloc(tl + wl + 1);
	if (tl > 0)
		memcpy(d->strs, x->terms.s.data, tl);
	if (wl > 0)
		memcpy(d->strs + tl, x->words.s.data, wl);
	d->nterms = x->terms.n;
	d->nwords = x->words.n;
	d->toff = xmalloc((d->nterms + 1) * sizeof *d->toff);
	d->tval = xmalloc((d->nterms + 1) * sizeof *d->tval);
	d->woff = xmalloc((d->nwords + 1) * sizeof *d->woff);
	d->wterm = xmalloc((d->nwords + 1) * sizeof *d->wterm);
	for (size_t i = 0; i < d->nterms; i++) {
		d->toff[i] = x->terms.off[i];
		d->tval[i] = x->wtf[i] << 1 | x->title[i];
	}
	for (size_t i = 0; i < d->nwords; i++) {
		d->woff[i] = (uint32_t)tl + x->words.off[i];
		d->wterm[i] = x->word_term[i];
	}
	d->dl = x->dl;
	search_doc_begin(x);
	return d;
}

void
search_doc_free(struct search_doc *d)
{
	if (d == NULL)
		return;
	free(d->strs);
	free(d->toff);
	free(d->tval);
	free(d->woff);
	free(d->wterm);
	free(d);
}

size_t
search_doc_words(const struct search_doc *d)
{
	return d->dl;
}

/* ---- transliteration ---- */

#define SR_CYRL I18N_SR_LATN_CYRL

static const char *const tr_bg[] = {"Bulgarian-Latin/BGN; Latin-ASCII", "Any-Latin; Latin-ASCII", NULL};
static const char *const tr_ru[] = {"Russian-Latin/BGN; Latin-ASCII", "Any-Latin; Latin-ASCII", NULL};
static const char *const tr_uk[] = {"Ukrainian-Latin/BGN; Latin-ASCII", "Any-Latin; Latin-ASCII", NULL};
static const char *const tr_sr[] = {"Serbian-Latin/BGN; Latin-ASCII", NULL};
static const char *const tr_el[] = {"Greek-Latin/UNGEGN; Latin-ASCII", "Any-Latin; Latin-ASCII", NULL};
static const char *const tr_any[] = {"Any-Latin; Latin-ASCII", NULL};
static const char *const tr_latin[] = {"Latin-ASCII", NULL};
static const char *const tr_sr_latin[] = {SR_CYRL, "Latin-ASCII", NULL};
static const char *const tr_sr_ascii[] = {SR_CYRL, NULL};
static const char *const tr_none[] = {NULL};

static int
primary_is(const char *lang, const char *code)
{
	size_t n = strlen(code);
	return strncmp(lang, code, n) == 0 && (lang[n] == '\0' || lang[n] == '-' || lang[n] == '_');
}

const char *const *
search_transforms(const char *lang, const char *word)
{
	const unsigned char *u = (const unsigned char *)word;
	int ascii_letters = 0;
	while (*u != '\0' && *u < 0x80) {
		ascii_letters |= (*u >= 'a' && *u <= 'z') || (*u >= 'A' && *u <= 'Z');
		u++;
	}
	int sr = primary_is(lang, "sr");
	if (*u == '\0') /* ASCII only */
		return sr && ascii_letters ? tr_sr_ascii : tr_none;
	uint32_t cp = u[0];
	if ((u[0] & 0xE0) == 0xC0)
		cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	else if ((u[0] & 0xF0) == 0xE0)
		cp = (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	else
		cp = 0x10000; /* past the BMP: no transform */
	if (cp < 0x250 || (cp >= 0x1E00 && cp < 0x1F00)) /* Latin with accents */
		return sr ? tr_sr_latin : tr_latin;
	if (cp >= 0x400 && cp < 0x530) {
		if (primary_is(lang, "bg"))
			return tr_bg;
		if (primary_is(lang, "ru"))
			return tr_ru;
		if (primary_is(lang, "uk"))
			return tr_uk;
		if (sr)
			return tr_sr;
		return tr_any;
	}
	if ((cp >= 0x370 && cp < 0x400) || (cp >= 0x1F00 && cp < 0x2000))
		return tr_el;
	if (cp >= 0x600 && cp < 0x700)
		return tr_any;
	return tr_none;
}

/* ---- the index ---- */

struct plist {
	uint32_t *v; /* doc, wtf << 1 | title, … */
	size_t n, cap;
};

struct search_index {
	char *lang;
	struct strtab terms; /* term -> its postings (post) */
	struct plist *post;
	size_t postcap;
	struct strtab seen;  /* "lang\x1fword" taken */
	struct strtab pairs; /* "form\x1fterm": w entries */
	uint32_t *dl;
	size_t ndl;
	uint32_t *map; /* a doc's term -> the index's */
	size_t mapcap;
	/* Words to transliterate (when shown or of a term in two documents or more). */
	struct cand {
		uint32_t seen, term; /* term | SHOWN */
		const char *const *tr;
	} *cand;
	size_t ncand, capcand;
	uint32_t *cand_of; /* per seen word: its cand + 1, or 0 */
	size_t capcand_of;
	struct buf tmp, fold;
};

struct search_index *
search_new(const char *lang)
{
	struct search_index *ix = xcalloc(1, sizeof *ix);
	ix->lang = xstrdup(lang);
	return ix;
}

void
search_free(struct search_index *ix)
{
	if (ix == NULL)
		return;
	for (size_t i = 0; i < ix->terms.n; i++)
		free(ix->post[i].v);
	free(ix->post);
	strtab_free(&ix->terms);
	strtab_free(&ix->seen);
	strtab_free(&ix->pairs);
	free(ix->dl);
	free(ix->map);
	free(ix->cand);
	free(ix->cand_of);
	buf_free(&ix->tmp);
	buf_free(&ix->fold);
	free(ix->lang);
	free(ix);
}

static void
add_pair(struct search_index *ix, const char *form, size_t flen, const char *term)
{
	size_t tl = strlen(term);
	if (flen == 0 || flen > WORD_MAX || (flen == tl && memcmp(form, term, tl) == 0))
		return;
	buf_reset(&ix->tmp);
	buf_add(&ix->tmp, form, flen);
	buf_putc(&ix->tmp, '\x1f');
	buf_add(&ix->tmp, term, tl);
	int added;
	strtab_intern(&ix->pairs, ix->tmp.data, ix->tmp.len, &added);
}

/* A word seen for the first time: its folded form leads to term; its transliterations are
 * made later (translit_all), when it is one to make them for. */
static void
take_word(struct search_index *ix, uint32_t seen, const char *key, uint32_t term)
{
	const char *word = strchr(key, '\x1f') + 1;
	buf_reset(&ix->fold);
	i18n_fold(word, strlen(word), &ix->fold);
	add_pair(ix, ix->fold.data, ix->fold.len, strtab_str(&ix->terms, term & ~SHOWN));
	char lang[32];
	size_t ll = (size_t)(word - 1 - key);
	ll = ll < sizeof lang ? ll : sizeof lang - 1;
	memcpy(lang, key, ll);
	lang[ll] = '\0';
	const char *const *tr = search_transforms(lang, word);
	if (tr == tr_latin || tr == tr_sr_latin) {
		/* Latin-ASCII adds nothing to a word folding made ASCII (á, ș): only to ß, đ, ł, æ… */
		size_t i = 0;
		while (i < ix->fold.len && (unsigned char)ix->fold.data[i] < 0x80)
			i++;
		if (i == ix->fold.len)
			tr = tr == tr_latin ? tr_none : tr_sr_ascii;
	}
	if (*tr == NULL)
		return;
	if (ix->ncand == ix->capcand) {
		ix->capcand = ix->capcand ? ix->capcand * 2 : 1024;
		ix->cand = xrealloc(ix->cand, ix->capcand * sizeof *ix->cand);
	}
	if (seen >= ix->capcand_of) {
		size_t n = ix->capcand_of ? ix->capcand_of * 2 : 1024;
		while (n <= seen)
			n *= 2;
		ix->cand_of = xrealloc(ix->cand_of, n * sizeof *ix->cand_of);
		memset(ix->cand_of + ix->capcand_of, 0, (n - ix->capcand_of) * sizeof *ix->cand_of);
		ix->capcand_of = n;
	}
	ix->cand[ix->ncand++] = (struct cand){seen, term, tr};
	ix->cand_of[seen] = (uint32_t)ix->ncand;
}

/* One transform over many words at once: ICU's cost is mostly per call. words: each followed by
 * '\n'; terms[k] the k-th word's. */
static void
translit_batch(struct search_index *ix, const char *id, struct buf *words, const uint32_t *terms,
               size_t n)
{
	struct buf out = BUF_INIT;
	if (n == 0)
		return;
	int ok = i18n_transliterate(id, buf_str(words), &out) == 0;
	const char *c = out.data ? out.data : "";
	size_t lines = 0;
	for (size_t i = 0; ok && i < out.len; i++)
		lines += c[i] == '\n';
	if (ok && lines == n) {
		for (size_t k = 0; k < n; k++) {
			const char *e = strchr(c, '\n');
			buf_reset(&ix->fold);
			i18n_fold(c, (size_t)(e - c), &ix->fold);
			/* One word in, one word out: a transform that split it is not a form of it. */
			if (ix->fold.len > 0 && memchr(ix->fold.data, ' ', ix->fold.len) == NULL)
				add_pair(ix, ix->fold.data, ix->fold.len, strtab_str(&ix->terms, terms[k]));
			c = e + 1;
		}
	}
	buf_free(&out);
	buf_reset(words);
}

/* The transliterations of the words that get them: a word in a title, heading or meta field,
 * or of a term in two documents or more. A word of running text in one document alone (in
 * real text a rare word, in the bench corpus nearly every word) is found in its own script. */
static void
translit_all(struct search_index *ix)
{
	const char *const *lists[64];
	size_t nlists = 0;
	struct buf words = BUF_INIT;
	uint32_t *terms = xcalloc(4096, sizeof *terms);
	for (size_t c = 0; c < ix->ncand; c++) {
		size_t k = 0;
		while (k < nlists && lists[k] != ix->cand[c].tr)
			k++;
		if (k == nlists && nlists < sizeof lists / sizeof lists[0])
			lists[nlists++] = ix->cand[c].tr;
	}
	for (size_t k = 0; k < nlists; k++)
		for (const char *const *id = lists[k]; *id != NULL; id++) {
			size_t n = 0;
			for (size_t c = 0; c < ix->ncand; c++) {
				const struct cand *cd = &ix->cand[c];
				uint32_t term = cd->term & ~SHOWN;
				if (cd->tr != lists[k] || (!(cd->term & SHOWN) && ix->post[term].n < 4))
					continue;
				const char *key = strtab_str(&ix->seen, cd->seen);
				buf_puts(&words, strchr(key, '\x1f') + 1);
				buf_putc(&words, '\n');
				terms[n++] = term;
				if (n == 4096) {
					translit_batch(ix, *id, &words, terms, n);
					n = 0;
				}
			}
			translit_batch(ix, *id, &words, terms, n);
		}
	buf_free(&words);
	free(terms);
	ix->ncand = 0;
}

void
search_put(struct search_index *ix, uint32_t id, const struct search_doc *d)
{
	if (id >= ix->ndl) {
		size_t n = id + 1 > ix->ndl * 2 ? id + 1 : ix->ndl * 2;
		ix->dl = xrealloc(ix->dl, n * sizeof *ix->dl);
		memset(ix->dl + ix->ndl, 0, (n - ix->ndl) * sizeof *ix->dl);
		ix->ndl = n;
	}
	ix->dl[id] = d->dl;
	if (d->nterms > ix->mapcap) {
		ix->mapcap = d->nterms * 2;
		ix->map = xrealloc(ix->map, ix->mapcap * sizeof *ix->map);
	}
	for (size_t i = 0; i < d->nterms; i++) {
		const char *t = d->strs + d->toff[i];
		int added;
		uint32_t ti = strtab_intern(&ix->terms, t, strlen(t), &added);
		if (added) {
			if (ti >= ix->postcap) {
				ix->postcap = ix->postcap ? ix->postcap * 2 : 1024;
				ix->post = xrealloc(ix->post, ix->postcap * sizeof *ix->post);
			}
			ix->post[ti] = (struct plist){0};
		}
		ix->map[i] = ti;
		struct plist *p = &ix->post[ti];
		if (p->n + 2 > p->cap) {
			p->cap = p->cap ? p->cap * 2 : 4;
			p->v = xrealloc(p->v, p->cap * sizeof *p->v);
		}
		p->v[p->n++] = id;
		p->v[p->n++] = d->tval[i];
	}
	for (size_t i = 0; i < d->nwords; i++) {
		const char *w = d->strs + d->woff[i];
		int added;
		uint32_t si = strtab_intern(&ix->seen, w, strlen(w), &added);
		uint32_t term = ix->map[d->wterm[i] & ~SHOWN] | (d->wterm[i] & SHOWN);
		if (added)
			take_word(ix, si, w, term);
		else if ((term & SHOWN) && si < ix->capcand_of && ix->cand_of[si] != 0)
			ix->cand[ix->cand_of[si] - 1].term |= SHOWN;
	}
}

/* ---- writing ---- */

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

/* A key of a piece: a term, a form, or both, with its JSON for "t" and for "w". */
struct entry {
	const char *key;
	size_t t_off, t_len; /* in the writer's buffer; t_len 0: not a term */
	size_t w_off, w_len; /* 0: not a form */
};

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* Sorting a million keys by strcmp is mostly cache misses on the strings: each key is sorted by
 * its first 8 bytes as a number first, and the strings are read only where those are equal. */
struct skey {
	uint64_t pre;
	const char *s;
	size_t i;
};

static uint64_t
prefix8(const char *s)
{
	uint64_t v = 0;
	size_t k = 0;
	for (; k < 8 && s[k] != '\0'; k++)
		v = v << 8 | (unsigned char)s[k];
	return v << (8 * (8 - k));
}

static int
cmp_skey(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	if (x->pre != y->pre)
		return x->pre < y->pre ? -1 : 1;
	/* Equal first 8 bytes: the same string if either ends within them. */
	if (strnlen(x->s, 8) < 8)
		return 0;
	return strcmp(x->s + 8, y->s + 8);
}

/* Sorts n strings in byte order (as strcmp). */
static void
sort_strings(char **v, size_t n)
{
	struct skey *k = xcalloc(n + 1, sizeof *k);
	for (size_t i = 0; i < n; i++)
		k[i] = (struct skey){prefix8(v[i]), v[i], i};
	sort_array(k, n, sizeof *k, cmp_skey);
	for (size_t i = 0; i < n; i++)
		v[i] = (char *)k[i].s;
	free(k);
}

/* Sorts n entries by key, in byte order. */
static void
sort_entries(struct entry *e, size_t n)
{
	struct skey *k = xcalloc(n + 1, sizeof *k);
	for (size_t i = 0; i < n; i++)
		k[i] = (struct skey){prefix8(e[i].key), e[i].key, i};
	sort_array(k, n, sizeof *k, cmp_skey);
	struct entry *tmp = xcalloc(n + 1, sizeof *tmp);
	for (size_t i = 0; i < n; i++)
		tmp[i] = e[k[i].i];
	if (n > 0)
		memcpy(e, tmp, n * sizeof *e);
	free(tmp);
	free(k);
}

/* Merges the sorted runs e[0..a) and e[a..n) (keys distinct) into one. */
static void
merge_entries(struct entry *e, size_t a, size_t n)
{
	struct entry *tmp = xcalloc(n + 1, sizeof *tmp);
	size_t i = 0, j = a, k = 0;
	while (i < a && j < n)
		tmp[k++] = strcmp(e[i].key, e[j].key) < 0 ? e[i++] : e[j++];
	while (i < a)
		tmp[k++] = e[i++];
	while (j < n)
		tmp[k++] = e[j++];
	if (n > 0)
		memcpy(e, tmp, n * sizeof *e);
	free(tmp);
}

/* Bytes of the UTF-8 sequence starting at s (1 for a stray byte). */
static size_t
cp_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '\0')
			return i;
	return n;
}

struct writer {
	const struct entry *e;
	struct buf json; /* every entry's JSON */
	struct buf out;
	size_t max;
	uint64_t hash;
	void (*emit)(void *payload, const char *name, const struct buf *json);
	void *payload;
	struct buf bounds; /* the manifest's "pieces": where each piece begins, as JSON strings */
	size_t npieces;
};

static size_t
entry_size(const struct entry *e)
{
	return e->t_len + e->w_len + 1;
}

/* Appends to the piece being written the JSON members, comma-separated, of entries a..b: their
 * terms' ("t") or, with forms set, their forms' ("w"). */
static void
put_members(struct writer *wr, size_t a, size_t b, int forms)
{
	int first = 1;
	for (size_t k = a; k < b; k++) {
		const struct entry *e = &wr->e[k];
		size_t off = forms ? e->w_off : e->t_off, len = forms ? e->w_len : e->t_len;
		if (len == 0)
			continue;
		if (!first)
			buf_putc(&wr->out, ',');
		first = 0;
		buf_add(&wr->out, wr->json.data + off, len);
	}
}

/* Writes the next piece, "t/N.json", holding entries a..b, and adds where it begins to the
 * manifest's list: the fewest code points of its first key that sort after the key before it
 * ("" for the first piece), so that a key is in the last piece whose start is not after it. */
static void
emit_piece(struct writer *wr, size_t a, size_t b)
{
	struct buf *o = &wr->out;
	buf_reset(o);
	buf_puts(o, "{\"t\":{");
	put_members(wr, a, b, 0);
	buf_puts(o, "},\"w\":{");
	put_members(wr, a, b, 1);
	buf_puts(o, "}}\n");
	char name[32];
	snprintf(name, sizeof name, "t/%zu.json", wr->npieces);
	wr->hash = deps_hash(deps_hash_str(wr->hash, name), o->data, o->len);
	wr->emit(wr->payload, name, o);
	size_t len = 0;
	if (wr->npieces > 0) {
		const char *k = wr->e[a].key, *prev = wr->e[a - 1].key;
		size_t pl = strlen(prev);
		int c;
		do {
			len += cp_len(k + len);
			c = memcmp(k, prev, len < pl ? len : pl);
		} while (k[len] != '\0' && c == 0 && len <= pl);
	}
	buf_puts(&wr->bounds, wr->npieces > 0 ? ",\"" : "\"");
	buf_add_json_escaped(&wr->bounds, wr->e[a].key, len);
	buf_putc(&wr->bounds, '"');
	wr->npieces++;
}

void
search_write(struct search_index *ix, size_t ndocs, size_t nitems, uint64_t extra_hash,
             size_t piece_max, void (*emit)(void *payload, const char *name, const struct buf *json),
             void *payload)
{
	struct writer wr = {.max = piece_max ? piece_max : SEARCH_PIECE_MAX, .emit = emit,
	                    .payload = payload, .hash = deps_hash_u64(DEPS_SEED, extra_hash)};
	translit_all(ix);
	double total = 0;
	for (size_t i = 0; i < ix->ndl && i < ndocs; i++)
		total += ix->dl[i];
	double avgdl = ndocs > 0 && total > 0 ? total / (double)ndocs : 1;
	/* Every key, terms and forms: a form's terms are gathered from the sorted pairs. */
	size_t nt = ix->terms.n, np = ix->pairs.n;
	char **pairs = xcalloc(np + 1, sizeof *pairs);
	for (size_t i = 0; i < np; i++)
		pairs[i] = (char *)strtab_str(&ix->pairs, (uint32_t)i);
	sort_strings(pairs, np);
	struct entry *e = xcalloc(nt + np + 1, sizeof *e);
	size_t ne = 0;
	for (size_t i = 0; i < nt; i++) {
		const struct plist *p = &ix->post[i];
		e[ne] = (struct entry){.key = strtab_str(&ix->terms, (uint32_t)i)};
		e[ne].t_off = wr.json.len;
		buf_putc(&wr.json, '"');
		buf_add_json_escaped(&wr.json, e[ne].key, strlen(e[ne].key));
		buf_puts(&wr.json, "\":[");
		uint32_t prev = 0;
		for (size_t k = 0; k < p->n; k += 2) {
			uint32_t doc = p->v[k], wtf = p->v[k + 1] >> 1, title = p->v[k + 1] & 1;
			double dl = doc < ix->ndl ? ix->dl[doc] : 0;
			double bm = wtf * (1.2 + 1) / (wtf + 1.2 * (1 - 0.75 + 0.75 * dl / avgdl));
			uint32_t s = (uint32_t)lround(bm * 100);
			if (s < 1)
				s = 1;
			if (k > 0)
				buf_putc(&wr.json, ',');
			put_uint(&wr.json, doc - prev);
			buf_putc(&wr.json, ',');
			put_uint(&wr.json, s << 1 | title);
			prev = doc;
		}
		buf_putc(&wr.json, ']');
		e[ne].t_len = wr.json.len - e[ne].t_off;
		ne++;
	}
	sort_entries(e, ne);
	/* Forms: one entry per form, merged into the term's entry when the form is a term too. */
	size_t nterms_sorted = ne;
	for (size_t i = 0; i < np;) {
		const char *sep = strchr(pairs[i], '\x1f');
		size_t fl = (size_t)(sep - pairs[i]);
		size_t j = i + 1;
		while (j < np && strncmp(pairs[j], pairs[i], fl + 1) == 0)
			j++;
		/* the form's key: its own copy, NUL-terminated at the separator */
		struct entry key = {.key = xstrndup(pairs[i], fl)};
		struct entry *hit = bsearch(&key, e, nterms_sorted, sizeof *e, cmp_entry);
		struct entry *to = hit;
		if (to == NULL) {
			to = &e[ne++];
			*to = key;
		} else {
			free((char *)key.key);
		}
		to->w_off = wr.json.len;
		buf_putc(&wr.json, '"');
		buf_add_json_escaped(&wr.json, pairs[i], fl);
		buf_puts(&wr.json, "\":");
		if (j - i > 1)
			buf_putc(&wr.json, '[');
		for (size_t k = i; k < j; k++) {
			if (k > i)
				buf_putc(&wr.json, ',');
			buf_putc(&wr.json, '"');
			buf_add_json_escaped(&wr.json, pairs[k] + fl + 1, strlen(pairs[k] + fl + 1));
			buf_putc(&wr.json, '"');
		}
		if (j - i > 1)
			buf_putc(&wr.json, ']');
		to->w_len = wr.json.len - to->w_off;
		i = j;
	}
	/* Entries made for forms only own their keys. */
	char **owned = xcalloc(ne - nterms_sorted + 1, sizeof *owned);
	for (size_t i = nterms_sorted; i < ne; i++)
		owned[i - nterms_sorted] = (char *)e[i].key;
	merge_entries(e, nterms_sorted, ne); /* forms alone came in order */
	wr.e = e;
	/* Pieces: runs of the sorted keys, each as full as the bound lets it (a key larger than
	 * that alone). */
	for (size_t i = 0; i < ne;) {
		size_t j = i + 1, size = 16 + entry_size(&e[i]);
		while (j < ne && size + entry_size(&e[j]) <= wr.max)
			size += entry_size(&e[j++]);
		emit_piece(&wr, i, j);
		i = j;
	}
	/* The manifest. */
	struct buf *o = &wr.out;
	buf_reset(o);
	buf_puts(o, "{\"v\":1,\"lang\":\"");
	buf_add_json_escaped(o, ix->lang, strlen(ix->lang));
	buf_printf(o, "\",\"docs\":%zu,\"items\":%zu,\"pieces\":[", ndocs, nitems);
	buf_add(o, wr.bounds.data, wr.bounds.len);
	buf_printf(o, "],\"id\":\"%016llx\"}\n", (unsigned long long)wr.hash);
	emit(payload, "index.json", o);
	buf_free(&wr.bounds);
	for (size_t i = 0; i < ne - nterms_sorted; i++)
		free(owned[i]);
	free(owned);
	free(e);
	free(pairs);
	buf_free(&wr.json);
	buf_free(&wr.out);
}
