/* search: index building (docs/search-format.md). */
#include "search.h"

#include <math.h>
#include <pthread.h>
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

/* ---- folding ---- */

/* i18n_fold a character at a time. Folding is full case folding (context-free), then NFD (a
 * decomposition per character, then marks reordered), then combining marks removed: only marks
 * move in the reordering and they all go, so a word's fold is the concatenation of its
 * characters' folds. Each BMP character's fold, taken from i18n_fold once, is in this table;
 * words with anything else (invalid UTF-8, past the BMP) go to i18n_fold whole. This skips
 * ICU's UTF-16 round trip for the many words with a character folding changes (an accent, й, a
 * capital). */
struct fold1 {
	unsigned char len; /* FOLD_NONE: not in the table */
	char s[7];
};
enum { FOLD_NONE = 0xFF };
static struct fold1 *fold_tab;
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void
fold_init(void)
{
	struct fold1 *t = xcalloc(0x10000, sizeof *t);
	struct buf b = BUF_INIT;
	for (uint32_t c = 0; c < 0x10000; c++) {
		char u[3];
		size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		t[c].len = FOLD_NONE;
		if (c == 0 || (c >= 0xD800 && c < 0xE000))
			continue;
		if (n == 1) {
			u[0] = (char)c;
		} else if (n == 2) {
			u[0] = (char)(0xC0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3F));
		} else {
			u[0] = (char)(0xE0 | c >> 12);
			u[1] = (char)(0x80 | (c >> 6 & 0x3F));
			u[2] = (char)(0x80 | (c & 0x3F));
		}
		buf_reset(&b);
		i18n_fold(u, n, &b);
		if (b.len <= sizeof t[c].s) {
			t[c].len = (unsigned char)b.len;
			if (b.len > 0)
				memcpy(t[c].s, b.data, b.len);
		}
	}
	buf_free(&b);
	fold_tab = t;
}

void
search_fold(const char *w, size_t n, struct buf *out)
{
	pthread_once(&fold_once, fold_init);
	const unsigned char *u = (const unsigned char *)w;
	size_t start = out->len;
	for (size_t i = 0; i < n;) {
		uint32_t c = u[i];
		if (c < 0x80) {
			i++;
		} else if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
			c = (c & 0x1F) << 6 | (u[i + 1] & 0x3F);
			i += 2;
		} else if (c >= 0xE0 && c <= 0xEF && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
		           (u[i + 2] & 0xC0) == 0x80 && (c != 0xE0 || u[i + 1] >= 0xA0) &&
		           (c != 0xED || u[i + 1] < 0xA0)) {
			c = (c & 0x0F) << 12 | (uint32_t)(u[i + 1] & 0x3F) << 6 | (u[i + 2] & 0x3F);
			i += 3;
		} else {
			c = 0; /* not in the table */
		}
		const struct fold1 *f = &fold_tab[c];
		if (f->len == FOLD_NONE) {
			out->len = start;
			if (out->data != NULL)
				out->data[start] = '\0';
			i18n_fold(w, n, out);
			return;
		}
		buf_add(out, f->s, f->len);
	}
}

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

/* FNV-1a, going on from h (2166136261u to start). */
static uint32_t
hash_more(uint32_t h, const char *k, size_t len)
{
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)k[i]) * 16777619u;
	return h;
}

static uint32_t
hash_bytes(const char *k, size_t len)
{
	return hash_more(2166136261u, k, len);
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

/* The index of k (len bytes, no NUL inside; h its hash_bytes), added when new (*added 1). */
static uint32_t
strtab_intern(struct strtab *t, const char *k, size_t len, uint32_t h, int *added)
{
	if ((t->n + 1) * 2 > t->cap)
		strtab_grow(t);
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
	uint32_t thash;          /* the term's hash_bytes */
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
	struct buf fold;
	struct buf key;   /* "lang\x1f", then the word being added */
	size_t keypre;    /* the length of "lang\x1f" */
	uint32_t hashpre; /* its hash_bytes */
};

/* One allocation: the struct, then tval, wterm and strs. strs holds the terms' strings then the
 * words', each NUL-terminated, in their order (read in order: no offsets kept). */
struct search_doc {
	char *strs;
	uint32_t *tval; /* per term: wtf << 1 | title */
	size_t nterms;
	uint32_t *wterm; /* per word ("lang\x1fword"): its term (| SHOWN) */
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
	search_fold(use, ul, &x->fold);
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
	uint32_t th;
	/* The hash of the word's key ("lang\x1fword") picks its cache slot too. */
	uint32_t hk = hash_more(x->hashpre, word, len);
	struct cached *c = NULL;
	if (len <= CACHED_WORD)
		c = &x->cache[((hk ^ (uint32_t)(uintptr_t)x->sb) * 2654435761u) >> 20 & (CACHE_SIZE - 1)];
	if (c != NULL && c->len == len && c->sb == x->sb && memcmp(c->word, word, len) == 0) {
		term = c->term;
		tlen = c->tlen;
		th = c->thash;
	} else {
		term_of(x, word, len);
		term = buf_str(&x->fold);
		tlen = x->fold.len;
		th = hash_bytes(term, tlen);
		if (c != NULL) {
			c->sb = x->sb;
			c->thash = th;
			c->len = (unsigned char)len;
			c->tlen = (unsigned char)tlen;
			memcpy(c->word, word, len);
			memcpy(c->term, term, tlen);
		}
	}
	if (tlen == 0)
		return;
	int added;
	uint32_t ti = strtab_intern(&x->terms, term, tlen, th, &added);
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
	x->key.len = x->keypre;
	buf_add(&x->key, word, len);
	uint32_t wi = strtab_intern(&x->words, x->key.data, x->key.len, hk, &added);
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
	buf_reset(&x->key);
	buf_puts(&x->key, lang);
	buf_putc(&x->key, '\x1f');
	x->keypre = x->key.len;
	x->hashpre = hash_bytes(x->key.data, x->key.len);
	i18n_words(loc, text, n, add_word, x);
}

struct search_doc *
search_doc_end(struct search_extractor *x)
{
	size_t tl = x->terms.s.len, wl = x->words.s.len, nt = x->terms.n, nw = x->words.n;
	struct search_doc *d = xmalloc(sizeof *d + (nt + nw) * sizeof(uint32_t) + tl + wl + 1);
	d->tval = (uint32_t *)(d + 1);
	d->wterm = d->tval + nt;
	d->strs = (char *)(d->wterm + nw);
	if (tl > 0)
		memcpy(d->strs, x->terms.s.data, tl);
	if (wl > 0)
		memcpy(d->strs + tl, x->words.s.data, wl);
	d->strs[tl + wl] = '\0';
	d->nterms = nt;
	d->nwords = nw;
	for (size_t i = 0; i < nt; i++)
		d->tval[i] = x->wtf[i] << 1 | x->title[i];
	if (nw > 0)
		memcpy(d->wterm, x->word_term, nw * sizeof *d->wterm);
	d->dl = x->dl;
	search_doc_begin(x);
	return d;
}

void
search_doc_free(struct search_doc *d)
{
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

/* Every list the index sorts is of these: a string, its first 8 bytes as a number (what the
 * radix passes sort by; the string is read only where two of them agree), and two numbers that
 * say whose it is. Sorting beats a hash table here: the output is sorted anyway, and a table of
 * a million keys is a cache miss per word. */
struct rec {
	uint64_t pre;
	const char *s;
	uint32_t a, b;
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

/* Orders records by string (byte order, as strcmp), then a, then b. */
static int
cmp_rec(const void *x, const void *y)
{
	const struct rec *p = x, *q = y;
	if (p->pre != q->pre)
		return p->pre < q->pre ? -1 : 1;
	/* Equal first 8 bytes: the same string if either ends within them. */
	if (strnlen(p->s, 8) == 8) {
		int c = strcmp(p->s + 8, q->s + 8);
		if (c != 0)
			return c;
	}
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* Orders word records, whose pre is taken past the "lang\x1f" of their key (so that it holds
 * 8 bytes of the word): by pre, then the whole key. */
static int
cmp_word(const void *x, const void *y)
{
	const struct rec *p = x, *q = y;
	if (p->pre != q->pre)
		return p->pre < q->pre ? -1 : 1;
	return strcmp(p->s, q->s);
}

/* Sorts v[0..n) by pre with a stable radix sort, 16 bits a pass (a pass whose digit is the same
 * everywhere is skipped), then each run of equal pre by cmp (which orders by pre first). */
static void
sort_recs(struct rec *v, size_t n, int (*cmp)(const void *, const void *))
{
	if (n < 2)
		return;
	enum { DIGITS = 1 << 16 };
	size_t *count = xcalloc(4 * (size_t)DIGITS, sizeof *count);
	for (size_t i = 0; i < n; i++)
		for (int p = 0; p < 4; p++)
			count[(size_t)p * DIGITS + (v[i].pre >> (16 * p) & 0xFFFF)]++;
	struct rec *tmp = xmalloc(n * sizeof *tmp), *from = v, *to = tmp;
	for (int p = 0; p < 4; p++) {
		size_t *c = count + (size_t)p * DIGITS;
		if (c[from[0].pre >> (16 * p) & 0xFFFF] == n)
			continue;
		size_t sum = 0;
		for (size_t d = 0; d < DIGITS; d++) {
			size_t k = c[d];
			c[d] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			to[c[from[i].pre >> (16 * p) & 0xFFFF]++] = from[i];
		struct rec *t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
	free(tmp);
	free(count);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && v[j].pre == v[i].pre; j++)
			;
		if (j - i > 1)
			qsort(v + i, j - i, sizeof *v, cmp);
	}
}

static void
push_rec(struct rec **v, size_t *n, size_t *cap, struct rec r)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 4096;
		*v = xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = r;
}

struct search_index {
	char *lang;
	/* Term occurrences, a term of a doc each: s the term, a the doc, b its slot (push order;
	 * tval[slot]: wtf << 1 | title). */
	struct rec *tr;
	size_t ntr, captr;
	uint32_t *tval;
	size_t captval;
	/* Word occurrences: s "lang\x1fword", a the slot of its term, b 1 when shown. */
	struct rec *wr;
	size_t nwr, capwr;
	uint32_t *dl;
	size_t ndl;
	/* After grouping: the terms in order, each with its run of tr (whose b is then the value
	 * tval held); a slot's term. */
	uint32_t *first, *count, *term_of_slot, *tlen;
	size_t nterms;
	/* Pairs, form -> term: s the form (in forms; b its offset there until they are all made),
	 * a the term. */
	struct buf forms;
	struct rec *pr;
	size_t npr, cappr;
	/* Words to transliterate, grouped by their transform list. */
	struct cand {
		const char *word;
		uint32_t term;
		const char *const *tr;
	} *cand;
	size_t ncand, capcand;
	struct buf fold;
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
	free(ix->tr);
	free(ix->tval);
	free(ix->wr);
	free(ix->dl);
	free(ix->first);
	free(ix->count);
	free(ix->term_of_slot);
	free(ix->tlen);
	buf_free(&ix->forms);
	free(ix->pr);
	free(ix->cand);
	buf_free(&ix->fold);
	free(ix->lang);
	free(ix);
}

static const char *
term_str(const struct search_index *ix, uint32_t term)
{
	return ix->tr[ix->first[term]].s;
}

static void
add_pair(struct search_index *ix, const char *form, size_t flen, uint32_t term)
{
	size_t tl = ix->tlen[term];
	if (flen == 0 || flen > WORD_MAX || (flen == tl && memcmp(form, term_str(ix, term), tl) == 0))
		return;
	push_rec(&ix->pr, &ix->npr, &ix->cappr, (struct rec){0, NULL, term, (uint32_t)ix->forms.len});
	buf_add(&ix->forms, form, flen);
	buf_putc(&ix->forms, '\0');
}

/* A distinct word (key "lang\x1fword") of term: its folded form leads to the term; it is
 * transliterated when it is shown (title, heading, meta) or its term is in two documents or
 * more. A word of running text in one document alone (in real text a rare word, in the bench
 * corpus nearly every word) is found in its own script only: ICU's transforms cost microseconds
 * a word. */
static void
take_word(struct search_index *ix, const char *key, uint32_t term, int shown)
{
	const char *word = strchr(key, '\x1f') + 1;
	buf_reset(&ix->fold);
	search_fold(word, strlen(word), &ix->fold);
	add_pair(ix, ix->fold.data, ix->fold.len, term);
	if (!shown && ix->count[term] < 2)
		return;
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
	ix->cand[ix->ncand++] = (struct cand){word, term, tr};
}

/* One transform over many words at once: ICU's cost is mostly per call. words: each followed by
 * '\n'; terms[k] the k-th word's. With rest set, id is X of a list's "X; Latin-ASCII" (below): a
 * word whose X form folds to ASCII takes that form; the others go to rest (rterms, *nrest), for
 * the whole id, as does every word of a call that fails. */
static void
translit_batch(struct search_index *ix, const char *id, struct buf *words, const uint32_t *terms,
               size_t n, struct buf *rest, uint32_t *rterms, size_t *nrest)
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
		const char *w = words->data;
		for (size_t k = 0; k < n; k++) {
			const char *e = strchr(c, '\n'), *we = strchr(w, '\n');
			buf_reset(&ix->fold);
			search_fold(c, (size_t)(e - c), &ix->fold);
			size_t i = 0;
			if (rest != NULL)
				while (i < ix->fold.len && (unsigned char)ix->fold.data[i] < 0x80)
					i++;
			if (rest != NULL && i < ix->fold.len) {
				buf_add(rest, w, (size_t)(we - w) + 1);
				rterms[(*nrest)++] = terms[k];
			} else if (ix->fold.len > 0 && memchr(ix->fold.data, ' ', ix->fold.len) == NULL) {
				/* One word in, one word out: a transform that split it is not a form of it. */
				add_pair(ix, ix->fold.data, ix->fold.len, terms[k]);
			}
			c = e + 1;
			w = we + 1;
		}
	} else if (rest != NULL) {
		buf_add(rest, words->data, words->len);
		memcpy(rterms + *nrest, terms, n * sizeof *terms);
		*nrest += n;
	}
	buf_free(&out);
	buf_reset(words);
}

/* The candidates' transliterations, a batch of words per transform call. ICU transforms a text in
 * place, moving its tail at each replacement that changes a length (ж -> zh), so a call costs the
 * square of its length: batches of 64 words keep that small and the calls few. */
enum { TRANSLIT_BATCH = 64 };

/* "X; Latin-ASCII" costs twice X alone, and Latin-ASCII adds nothing to most words that folding
 * does not: past its filter (Latin, Common, Inherited) it is NFD, the marks after a Latin letter
 * or digit removed, NFC, then rules that each turn one character into ASCII, without context.
 * Where X's form of a word folds (case, NFD, marks removed) to ASCII, every character of it is
 * ASCII or folds to ASCII letters as Latin-ASCII's rule for it writes them (é, ß, ſ, ﬀ, K), so
 * folding the form with Latin-ASCII gives the same. Such a word takes X's form; the others get
 * the whole id as before. The length of X in id, or 0 when id is not of that shape. */
static size_t
latin_ascii_head(const char *id)
{
	static const char tail[] = "; Latin-ASCII";
	size_t n = strlen(id), t = sizeof tail - 1;
	return n > t && n - t < 128 && strcmp(id + n - t, tail) == 0 ? n - t : 0;
}

static void
translit_all(struct search_index *ix)
{
	const char *const *lists[64];
	size_t nlists = 0;
	struct buf words = BUF_INIT, rest = BUF_INIT;
	uint32_t terms[TRANSLIT_BATCH], rterms[2 * TRANSLIT_BATCH];
	for (size_t c = 0; c < ix->ncand; c++) {
		size_t k = 0;
		while (k < nlists && lists[k] != ix->cand[c].tr)
			k++;
		if (k == nlists && nlists < sizeof lists / sizeof lists[0])
			lists[nlists++] = ix->cand[c].tr;
	}
	for (size_t k = 0; k < nlists; k++)
		for (const char *const *id = lists[k]; *id != NULL; id++) {
			char head[128];
			size_t hl = latin_ascii_head(*id), n = 0, nrest = 0;
			memcpy(head, *id, hl);
			head[hl] = '\0';
			for (size_t c = 0; c <= ix->ncand; c++) {
				if (c < ix->ncand) {
					if (ix->cand[c].tr != lists[k])
						continue;
					buf_puts(&words, ix->cand[c].word);
					buf_putc(&words, '\n');
					terms[n++] = ix->cand[c].term;
					if (n < TRANSLIT_BATCH)
						continue;
				}
				if (hl > 0)
					translit_batch(ix, head, &words, terms, n, &rest, rterms, &nrest);
				else
					translit_batch(ix, *id, &words, terms, n, NULL, NULL, NULL);
				n = 0;
				if (nrest >= TRANSLIT_BATCH || (c == ix->ncand && nrest > 0)) {
					translit_batch(ix, *id, &rest, rterms, nrest, NULL, NULL, NULL);
					nrest = 0;
				}
			}
		}
	buf_free(&words);
	buf_free(&rest);
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
	uint32_t base = (uint32_t)ix->ntr;
	const char *t = d->strs;
	for (size_t i = 0; i < d->nterms; i++, t += strlen(t) + 1) {
		if (ix->ntr == ix->captval) {
			ix->captval = ix->captval ? ix->captval * 2 : 4096;
			ix->tval = xrealloc(ix->tval, ix->captval * sizeof *ix->tval);
		}
		ix->tval[ix->ntr] = d->tval[i];
		push_rec(&ix->tr, &ix->ntr, &ix->captr, (struct rec){prefix8(t), t, id, (uint32_t)ix->ntr});
	}
	for (size_t i = 0; i < d->nwords; i++, t += strlen(t) + 1) {
		const char *w = t;
		const char *word = strchr(w, '\x1f');
		push_rec(&ix->wr, &ix->nwr, &ix->capwr,
		         (struct rec){prefix8(word ? word + 1 : w), w, base + (d->wterm[i] & ~SHOWN),
		                      (d->wterm[i] & SHOWN) != 0});
	}
}

/* The terms: occurrences sorted by (term, doc), each term's run, each slot's term. */
static void
group_terms(struct search_index *ix)
{
	sort_recs(ix->tr, ix->ntr, cmp_rec);
	ix->first = xmalloc((ix->ntr + 1) * sizeof *ix->first);
	ix->count = xmalloc((ix->ntr + 1) * sizeof *ix->count);
	ix->term_of_slot = xmalloc((ix->ntr + 1) * sizeof *ix->term_of_slot);
	ix->tlen = xmalloc((ix->ntr + 1) * sizeof *ix->tlen);
	size_t g = 0;
	for (size_t i = 0, j; i < ix->ntr; i = j) {
		const struct rec *r = &ix->tr[i];
		for (j = i + 1; j < ix->ntr && ix->tr[j].pre == r->pre &&
		                (strnlen(r->s, 8) < 8 || strcmp(ix->tr[j].s + 8, r->s + 8) == 0);
		     j++)
			;
		ix->first[g] = (uint32_t)i;
		ix->count[g] = (uint32_t)(j - i);
		ix->tlen[g] = (uint32_t)strlen(r->s);
		/* A slot's term; the record takes its value (read in order when written). */
		for (size_t k = i; k < j; k++) {
			uint32_t slot = ix->tr[k].b;
			ix->term_of_slot[slot] = (uint32_t)g;
			ix->tr[k].b = ix->tval[slot];
		}
		g++;
	}
	ix->nterms = g;
	ix->first = xrealloc(ix->first, (g + 1) * sizeof *ix->first);
	ix->count = xrealloc(ix->count, (g + 1) * sizeof *ix->count);
	ix->tlen = xrealloc(ix->tlen, (g + 1) * sizeof *ix->tlen);
	free(ix->tval);
	ix->tval = NULL;
	ix->captval = 0;
}

/* The pairs: every distinct word's folded form and transliterations, sorted by (form, term),
 * each once. */
static void
make_pairs(struct search_index *ix)
{
	sort_recs(ix->wr, ix->nwr, cmp_word);
	for (size_t i = 0, j; i < ix->nwr; i = j) {
		const struct rec *r = &ix->wr[i];
		int shown = 0;
		for (j = i; j < ix->nwr && ix->wr[j].pre == r->pre && (j == i || strcmp(ix->wr[j].s, r->s) == 0);
		     j++)
			shown |= (int)ix->wr[j].b;
		take_word(ix, r->s, ix->term_of_slot[r->a], shown);
	}
	/* Done with the word records and the slots (the candidates point into the docs). */
	free(ix->wr);
	ix->wr = NULL;
	ix->nwr = ix->capwr = 0;
	free(ix->term_of_slot);
	ix->term_of_slot = NULL;
	translit_all(ix);
	for (size_t i = 0; i < ix->npr; i++) {
		ix->pr[i].s = ix->forms.data + ix->pr[i].b;
		ix->pr[i].pre = prefix8(ix->pr[i].s);
		ix->pr[i].b = 0;
	}
	sort_recs(ix->pr, ix->npr, cmp_rec);
	size_t k = 0;
	for (size_t i = 0; i < ix->npr; i++)
		if (k == 0 || ix->pr[i].a != ix->pr[k - 1].a || ix->pr[i].pre != ix->pr[k - 1].pre ||
		    strcmp(ix->pr[i].s, ix->pr[k - 1].s) != 0)
			ix->pr[k++] = ix->pr[i];
	ix->npr = k;
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

/* Pieces are written as the sorted keys stream by: each key's "t" and "w" members go to the
 * piece being filled, which is written out when the next key would take it past the bound. */
struct writer {
	struct buf t, w; /* the piece's members, comma-separated */
	struct buf et, ew; /* the key being added: its "t" and "w" members */
	size_t size, max;  /* the piece's size as the bound counts it */
	int empty;
	const char *first, *prev; /* the piece's first key; the key before it */
	struct buf out;
	uint64_t hash;
	void (*emit)(void *payload, const char *name, const struct buf *json);
	void *payload;
	struct buf bounds; /* the manifest's "pieces": where each piece begins, as JSON strings */
	size_t npieces;
};

/* Writes the piece filled, "t/N.json", and adds where it begins to the manifest's list: the
 * fewest code points of its first key that sort after the key before it ("" for the first
 * piece), so that a key is in the last piece whose start is not after it. */
static void
emit_piece(struct writer *wr)
{
	struct buf *o = &wr->out;
	buf_reset(o);
	buf_puts(o, "{\"t\":{");
	buf_add(o, wr->t.data, wr->t.len);
	buf_puts(o, "},\"w\":{");
	buf_add(o, wr->w.data, wr->w.len);
	buf_puts(o, "}}\n");
	char name[32];
	snprintf(name, sizeof name, "t/%zu.json", wr->npieces);
	wr->hash = deps_hash(deps_hash_str(wr->hash, name), o->data, o->len);
	wr->emit(wr->payload, name, o);
	size_t len = 0;
	if (wr->npieces > 0) {
		const char *k = wr->first, *prev = wr->prev;
		size_t pl = strlen(prev);
		int c;
		do {
			len += cp_len(k + len);
			c = memcmp(k, prev, len < pl ? len : pl);
		} while (k[len] != '\0' && c == 0 && len <= pl);
	}
	buf_puts(&wr->bounds, wr->npieces > 0 ? ",\"" : "\"");
	buf_add_json_escaped(&wr->bounds, wr->first, len);
	buf_putc(&wr->bounds, '"');
	wr->npieces++;
	buf_reset(&wr->t);
	buf_reset(&wr->w);
	wr->empty = 1;
}

/* Adds key (its members in wr->et and wr->ew; prev the key before it) to the piece being
 * filled, writing that out first when the key would take it past the bound (a key larger than
 * the bound alone). */
static void
add_key(struct writer *wr, const char *key, const char *prev)
{
	size_t size = wr->et.len + wr->ew.len + 1;
	if (!wr->empty && wr->size + size > wr->max)
		emit_piece(wr);
	if (wr->empty) {
		wr->size = 16 + size;
		wr->first = key;
		wr->prev = prev;
		wr->empty = 0;
	} else {
		wr->size += size;
	}
	if (wr->et.len > 0) {
		if (wr->t.len > 0)
			buf_putc(&wr->t, ',');
		buf_add(&wr->t, wr->et.data, wr->et.len);
	}
	if (wr->ew.len > 0) {
		if (wr->w.len > 0)
			buf_putc(&wr->w, ',');
		buf_add(&wr->w, wr->ew.data, wr->ew.len);
	}
}

void
search_write(struct search_index *ix, size_t ndocs, size_t nitems, uint64_t extra_hash,
             size_t piece_max, void (*emit)(void *payload, const char *name, const struct buf *json),
             void *payload)
{
	struct writer wr = {.max = piece_max ? piece_max : SEARCH_PIECE_MAX, .emit = emit,
	                    .payload = payload, .empty = 1,
	                    .hash = deps_hash_u64(DEPS_SEED, extra_hash)};
	group_terms(ix);
	make_pairs(ix);
	double total = 0;
	for (size_t i = 0; i < ix->ndl && i < ndocs; i++)
		total += ix->dl[i];
	double avgdl = ndocs > 0 && total > 0 ? total / (double)ndocs : 1;
	/* Per document, BM25's length part 1.2 * (1 - 0.75 + 0.75 * dl / avgdl). */
	double *lenpart = xmalloc((ix->ndl + 1) * sizeof *lenpart);
	for (size_t i = 0; i < ix->ndl; i++)
		lenpart[i] = 1.2 * (1 - 0.75 + 0.75 * (double)ix->dl[i] / avgdl);
	/* Terms and forms merged in key order: a key that is both has both members. */
	const char *prev = NULL;
	size_t g = 0, p = 0;
	while (g < ix->nterms || p < ix->npr) {
		const struct rec *tr = g < ix->nterms ? &ix->tr[ix->first[g]] : NULL;
		const struct rec *fr = p < ix->npr ? &ix->pr[p] : NULL;
		int c = tr == NULL ? 1 : fr == NULL ? -1 : tr->pre != fr->pre ? (tr->pre < fr->pre ? -1 : 1)
		                                                             : strcmp(tr->s, fr->s);
		const char *tk = tr ? tr->s : NULL, *fk = fr ? fr->s : NULL;
		const char *key = c <= 0 ? tk : fk;
		buf_reset(&wr.et);
		buf_reset(&wr.ew);
		if (c <= 0) {
			struct buf *j = &wr.et;
			buf_putc(j, '"');
			buf_add_json_escaped(j, key, ix->tlen[g]);
			buf_puts(j, "\":[");
			uint32_t prevdoc = 0;
			for (uint32_t k = 0; k < ix->count[g]; k++) {
				const struct rec *r = &ix->tr[ix->first[g] + k];
				uint32_t doc = r->a, v = r->b, wtf = v >> 1, title = v & 1;
				double lp = doc < ix->ndl ? lenpart[doc] : 1.2 * (1 - 0.75);
				double bm = wtf * (1.2 + 1) / (wtf + lp);
				uint32_t s = (uint32_t)lround(bm * 100);
				if (s < 1)
					s = 1;
				if (k > 0)
					buf_putc(j, ',');
				put_uint(j, doc - prevdoc);
				buf_putc(j, ',');
				put_uint(j, s << 1 | title);
				prevdoc = doc;
			}
			buf_putc(j, ']');
			g++;
		}
		if (c >= 0) {
			size_t q = p + 1;
			while (q < ix->npr && ix->pr[q].pre == ix->pr[p].pre && strcmp(ix->pr[q].s, key) == 0)
				q++;
			struct buf *j = &wr.ew;
			buf_putc(j, '"');
			buf_add_json_escaped(j, key, strlen(key));
			buf_puts(j, "\":");
			if (q - p > 1)
				buf_putc(j, '[');
			for (size_t k = p; k < q; k++) {
				uint32_t t = ix->pr[k].a;
				if (k > p)
					buf_putc(j, ',');
				buf_putc(j, '"');
				buf_add_json_escaped(j, term_str(ix, t), ix->tlen[t]);
				buf_putc(j, '"');
			}
			if (q - p > 1)
				buf_putc(j, ']');
			p = q;
		}
		add_key(&wr, key, prev);
		prev = key;
	}
	free(lenpart);
	if (!wr.empty)
		emit_piece(&wr);
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
	buf_free(&wr.t);
	buf_free(&wr.w);
	buf_free(&wr.et);
	buf_free(&wr.ew);
	buf_free(&wr.out);
}
