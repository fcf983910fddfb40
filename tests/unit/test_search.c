/* Tests for search (the per-language index) and the ICU word and folding helpers it uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "search.h"
#include "test.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct collected {
	struct buf all;
	int n;
};

static void
collect(void *payload, const char *w, size_t len)
{
	struct collected *c = payload;
	buf_add(&c->all, w, len);
	buf_putc(&c->all, '|');
	c->n++;
}

static char *
words_of(const char *locale, const char *text)
{
	struct collected c = {BUF_INIT, 0};
	struct i18n_locale *l = i18n_locale_new(locale);
	i18n_words(l, text, strlen(text), collect, &c);
	i18n_locale_free(l);
	return buf_detach(&c.all);
}

TEST(test_words)
{
	char *w = words_of("en", "The child's VIEWS, art. 12 (UNCRC) — heard!");
	CHECK_STR(w, "the|child's|views|art|12|uncrc|heard|");
	free(w);
	w = words_of("el", "Η ΑΞΙΟΛΟΓΗΣΗ του παιδιού");
	CHECK_STR(w, "η|αξιολογηση|του|παιδιού|"); /* Greek lower case in Greek rules */
	free(w);
	w = words_of("ar", "حقوق الطفل في العدالة");
	CHECK_STR(w, "حقوق|الطفل|في|العدالة|");
	free(w);
	w = words_of("en", "");
	CHECK_STR(w, "");
	free(w);
	/* Hyphens part words, apostrophes and number punctuation do not (as the browser's
	 * Intl.Segmenter does). */
	w = words_of("en", "well-being, 1,000.5 children's rights 2016/800");
	CHECK_STR(w, "well|being|1,000.5|children's|rights|2016|800|");
	free(w);
	w = words_of("ro", "Audierea copiilor: ș și ţ");
	CHECK_STR(w, "audierea|copiilor|ș|și|ţ|");
	free(w);
}

static char *
folded(const char *s)
{
	struct buf b = BUF_INIT;
	i18n_fold(s, strlen(s), &b);
	return buf_detach(&b);
}

TEST(test_fold)
{
	static const char *const cases[][2] = {
	    {"dečja", "decja"},          {"Zaštita", "zastita"},     {"αξιολόγηση", "αξιολογηση"},
	    {"παιδιούς", "παιδιουσ"},    {"Română", "romana"},       {"ÎNTREBĂRI", "intrebari"},
	    {"оценка", "оценка"},        {"Й", "и"}, /* Cyrillic short i loses its breve, as typed */
	    {"straße", "strasse"},       {"", ""},
	    /* Romanian s and t with comma below and with cedilla both lose it */
	    {"ștergere", "stergere"},    {"ştergere", "stergere"},   {"ȚARĂ", "tara"},
	    {"Ţară", "tara"},
	    /* Greek: tonos, dialytika, final sigma, capitals */
	    {"ΠΑΙΔΊ", "παιδι"},          {"παιδί", "παιδι"},         {"προϋπόθεσης", "προυποθεσησ"},
	    {"Σ", "σ"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f = folded(cases[i][0]);
		CHECK_STR(f, cases[i][1]);
		free(f);
	}
}

/* The files an index writes: "NAME\n{json}\n" each, in the order written. */
struct files {
	struct buf all;
	size_t n;
};

static void
gather(void *payload, const char *name, const struct buf *json)
{
	struct files *f = payload;
	buf_printf(&f->all, "%s\n", name);
	buf_add(&f->all, json->data, json->len);
	f->n++;
}

struct doc_text {
	const char *text;
	enum search_field field;
};

/* The index of docs (each a NULL-text-terminated list of texts; the list ends with an empty
 * doc) in language lang, pieces of at most piece_max bytes. */
static char *
index_of(const struct doc_text *const *docs, const char *lang, size_t piece_max)
{
	struct search_extractor *x = search_extractor_new();
	struct search_index *ix = search_new(lang);
	struct i18n_locale *l = i18n_locale_new(lang);
	struct files f = {BUF_INIT, 0};
	size_t n = 0;
	while (docs[n] != NULL)
		n++;
	/* Docs stay until the index is written: it keeps pointers to their strings. */
	struct search_doc **made = xcalloc(n + 1, sizeof *made);
	for (size_t i = 0; i < n; i++) {
		search_doc_begin(x);
		for (const struct doc_text *t = docs[i]; t->text != NULL; t++)
			search_doc_add(x, t->text, strlen(t->text), t->field, lang, l);
		made[i] = search_doc_end(x);
		search_put(ix, (uint32_t)i, made[i]);
	}
	search_write(ix, n, 1, 0, piece_max, gather, &f);
	for (size_t i = 0; i < n; i++)
		search_doc_free(made[i]);
	free(made);
	i18n_locale_free(l);
	search_free(ix);
	search_extractor_free(x);
	return buf_detach(&f.all);
}

/* The JSON of file name among gathered files (malloc'd), or NULL. */
static char *
file_of(const char *all, const char *name)
{
	char *needle = xasprintf("%s\n", name);
	const char *at = all;
	while ((at = strstr(at, needle)) != NULL && at != all && at[-1] != '\n')
		at++;
	free(needle);
	if (at == NULL)
		return NULL;
	at += strlen(name) + 1;
	const char *end = strchr(at, '\n');
	return xstrndup(at, (size_t)(end - at));
}

/* The piece holding key s, its JSON: the last piece the manifest says begins at or before s
 * (bytewise), as the client looks for it. */
static char *
piece_for(const char *all, const char *s)
{
	char *man = file_of(all, "index.json");
	const char *p = strstr(man, "\"pieces\":[") + 10;
	size_t i = 0, at = 0;
	for (; *p == '"'; i++) {
		const char *e = strchr(p + 1, '"');
		char *bound = xstrndup(p + 1, (size_t)(e - p - 1));
		if (strcmp(bound, s) <= 0)
			at = i;
		free(bound);
		p = e + 1;
		if (*p == ',')
			p++;
	}
	free(man);
	char *name = xasprintf("t/%zu.json", at);
	char *j = file_of(all, name);
	free(name);
	return j;
}

static const struct doc_text *
one(const char *text, enum search_field f)
{
	static struct doc_text d[16][2];
	static int k;
	k = (k + 1) % 16;
	d[k][0] = (struct doc_text){text, f};
	d[k][1] = (struct doc_text){NULL, 0};
	return d[k];
}

TEST(test_postings_deltas_and_weights)
{
	/* doc 0: title; doc 1: body, twice; doc 2: none; doc 3: body once in a long text. */
	const struct doc_text *docs[] = {one("Assessments", SEARCH_TITLE),
	                                 one("The assessment; assessing.", SEARCH_BODY),
	                                 one("Nothing here", SEARCH_BODY),
	                                 one("assessed with many other words than that one here", SEARCH_BODY),
	                                 NULL};
	char *all = index_of(docs, "en", 0);
	char *p = piece_for(all, "assess");
	CHECK(p != NULL);
	/* dl 1, 3, 2, 9; avgdl 3.75. BM25F: wtf*(2.2)/(wtf + 1.2*(0.25 + 0.75*dl/3.75)):
	 * doc 0 wtf 6 dl 1: 13.2/(6+0.54) = 2.0183 -> 202, title -> 405;
	 * doc 1 wtf 2 dl 3: 4.4/(2+1.02) = 1.4570 -> 146 -> 292;
	 * doc 3 wtf 1 dl 9: 2.2/(1+2.46) = 0.6358 -> 64 -> 128; deltas 0, 1, 2. */
	CHECK_CONTAINS(p, "\"assess\":[0,405,1,292,2,128]");
	free(p);
	p = file_of(all, "index.json");
	CHECK_CONTAINS(p, "{\"v\":1,\"lang\":\"en\",\"docs\":4,\"items\":1,\"pieces\":[");
	free(p);
	free(all);
}

TEST(test_surface_map)
{
	const struct doc_text *docs[] = {one("Assessments of children, assessing", SEARCH_BODY), NULL};
	char *all = index_of(docs, "en", 0);
	char *p = piece_for(all, "assessments");
	CHECK_CONTAINS(p, "\"assessing\":\"assess\"");
	CHECK_CONTAINS(p, "\"assessments\":\"assess\"");
	CHECK_NOT_CONTAINS(p, "\"assess\":\"assess\""); /* a term is not a form of itself */
	free(p);
	p = piece_for(all, "children");
	CHECK_CONTAINS(p, "\"children\":[0,");
	CHECK_NOT_CONTAINS(p, "\"children\":\"children\"");
	free(p);
	free(all);
	/* Romanian: the title's word and the query's are one term (issue 12's "audierea"). */
	const struct doc_text *ro[] = {one("Audierea copiilor", SEARCH_TITLE), NULL};
	all = index_of(ro, "ro", 0);
	p = piece_for(all, "audierea");
	CHECK_CONTAINS(p, "\"audierea\":\"audier\"");
	free(p);
	free(all);
}

/* The form s maps to (the raw JSON value after "s":), searched in its piece. */
static int
maps_to(const char *all, const char *s, const char *term)
{
	char *p = piece_for(all, s);
	char *a = xasprintf("\"%s\":\"%s\"", s, term), *b = xasprintf("\"%s\":[", s);
	int ok = p != NULL && (strstr(p, a) != NULL || (strstr(p, b) != NULL && strstr(strstr(p, b), term) != NULL));
	if (!ok)
		fprintf(stderr, "  %s -/-> %s in %s\n", s, term, p ? p : "(no piece)");
	free(a);
	free(b);
	free(p);
	return ok;
}

TEST(test_transliteration)
{
	/* Shown words (a title) get their forms; Bulgarian both ways ICU writes it. */
	const struct doc_text *bg[] = {one("Барнахус оценка", SEARCH_TITLE), NULL};
	char *all = index_of(bg, "bg", 0);
	CHECK(maps_to(all, "barnahus", "барнахус"));
	CHECK(maps_to(all, "barnakhus", "барнахус"));
	CHECK(maps_to(all, "otsenka", "оценка"));
	CHECK(maps_to(all, "ocenka", "оценка"));
	free(all);
	const struct doc_text *sr[] = {one("Процена дечје љубави и џепа", SEARCH_TITLE), NULL};
	all = index_of(sr, "sr", 0);
	/* Snowball's Serbian stemmer writes its stems in Latin: the Latin forms are the terms'. */
	CHECK(maps_to(all, "procena", "procen"));
	CHECK(maps_to(all, "ljubavi", "ljubav"));
	CHECK(maps_to(all, "dzepa", "dzep"));
	CHECK(maps_to(all, "процена", "procen"));
	free(all);
	const struct doc_text *srl[] = {one("Procena dečje ljubavi, njega i džepa", SEARCH_TITLE), NULL};
	all = index_of(srl, "sr-Latn", 0);
	CHECK(maps_to(all, "процена", "procen"));
	CHECK(maps_to(all, "љубави", "ljubav"));
	CHECK(maps_to(all, "џепа", "dzep"));
	CHECK(maps_to(all, "дечје", "decj"));
	free(all);
	const struct doc_text *el[] = {one("Εκτίμηση του παιδιού", SEARCH_TITLE), NULL};
	all = index_of(el, "el", 0);
	char *p = piece_for(all, "ektimisi");
	CHECK_CONTAINS(p, "\"ektimisi\":\"εκτιμησ");
	free(p);
	p = piece_for(all, "paidiou");
	CHECK_CONTAINS(p, "\"paidiou\":\"παιδ");
	free(p);
	free(all);
	/* A word of running text in one document alone is not transliterated (see translit_all);
	 * in two documents it is. */
	const struct doc_text *two[] = {one("текст оценка", SEARCH_BODY), one("оценка", SEARCH_BODY), NULL};
	all = index_of(two, "bg", 0);
	CHECK(maps_to(all, "otsenka", "оценка"));
	p = piece_for(all, "tekst");
	CHECK(p == NULL || strstr(p, "\"tekst\"") == NULL);
	free(p);
	free(all);
}

/* translit_all gives a word X's form of "X; Latin-ASCII" when that folds to ASCII (folding the
 * Latin-ASCII form gives the same), the whole id's otherwise: Any-Latin writes ъ as ʺ, which
 * only Latin-ASCII makes ASCII. */
TEST(test_latin_ascii_shortcut)
{
	const struct doc_text *bg[] = {one("Ден оценка ъгъл", SEARCH_TITLE), NULL};
	char *all = index_of(bg, "bg", 0);
	CHECK(maps_to(all, "ocenka", "оценка"));
	CHECK(maps_to(all, "\\\"g\\\"l", "ъгъл"));
	CHECK(maps_to(all, "ugul", "ъгъл"));
	free(all);
	/* The premise, for every character (alone, between letters, before or after a mark, after
	 * a digit): where folding makes it ASCII, folding its Latin-ASCII form gives the same. */
	static const char *const ctx[] = {"%s", "a%sb", "%s\xcc\x81", "e%s\xcc\x88x", "1%s"};
	struct buf f = BUF_INIT, t = BUF_INIT, g = BUF_INIT;
	size_t tested = 0, same = 0;
	for (uint32_t c = 0x80; c < 0x30000; c++) {
		if (c >= 0xD800 && c < 0xE000)
			continue;
		char u[8], w[32];
		size_t n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
		u[0] = (char)(n == 2 ? 0xC0 | c >> 6 : n == 3 ? 0xE0 | c >> 12 : 0xF0 | c >> 18);
		for (size_t i = 1; i < n; i++)
			u[i] = (char)(0x80 | (c >> (6 * (n - 1 - i)) & 0x3F));
		u[n] = '\0';
		for (size_t k = 0; k < sizeof ctx / sizeof ctx[0]; k++) {
			snprintf(w, sizeof w, ctx[k], u);
			buf_reset(&f);
			i18n_fold(w, strlen(w), &f);
			size_t i = 0;
			while (i < f.len && (unsigned char)f.data[i] < 0x80)
				i++;
			if (f.len == 0 || i < f.len)
				continue;
			buf_reset(&t);
			buf_reset(&g);
			tested++;
			if (i18n_transliterate("Latin-ASCII", w, &t) == 0)
				i18n_fold(t.data ? t.data : "", t.len, &g);
			same += g.len == f.len && memcmp(g.data, f.data, f.len) == 0;
		}
	}
	CHECK(tested > 5000);
	CHECK(same == tested);
	buf_free(&f);
	buf_free(&t);
	buf_free(&g);
}

/* search_fold gives i18n_fold's bytes: every BMP character alone, and random strings of
 * letters, accents, marks (in every order), ligatures, capitals, Hangul, invalid bytes. */
TEST(test_search_fold)
{
	static const uint32_t pool[] = {'a', 'Z', 'I', '1', 0xDF, 0xC5, 0xE9, 0x130, 0x131, 0x149,
	                                0x17F, 0x1C5, 0x300, 0x301, 0x308, 0x323, 0x327, 0x345, 0x390,
	                                0x3A3, 0x3C2, 0x3AC, 0x419, 0x439, 0x451, 0x4D1, 0x5B4, 0x64B,
	                                0x650, 0x670, 0x627, 0x1E9E, 0x1F80, 0x212A, 0x212B, 0x2126,
	                                0xAC00, 0xD55C, 0xFB00, 0xFB03, 0xFB13, 0xFF21, 0x1D165,
	                                0x1D400, 0x10400};
	struct buf a = BUF_INIT, b = BUF_INIT;
	char w[64];
	size_t bad = 0;
	for (uint32_t c = 1; c < 0x10000; c++) {
		if (c >= 0xD800 && c < 0xE000)
			continue;
		size_t n = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
		w[0] = (char)(n == 1 ? c : n == 2 ? 0xC0 | c >> 6 : 0xE0 | c >> 12);
		if (n == 2)
			w[1] = (char)(0x80 | (c & 0x3F));
		if (n == 3) {
			w[1] = (char)(0x80 | (c >> 6 & 0x3F));
			w[2] = (char)(0x80 | (c & 0x3F));
		}
		buf_reset(&a);
		buf_reset(&b);
		search_fold(w, n, &a);
		i18n_fold(w, n, &b);
		bad += a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len) != 0);
	}
	uint32_t seed = 12345;
	for (int k = 0; k < 20000; k++) {
		size_t n = 0;
		int chars = 1 + k % 6;
		for (int i = 0; i < chars; i++) {
			seed = seed * 1103515245u + 12345u;
			uint32_t c = pool[(seed >> 16) % (sizeof pool / sizeof pool[0])];
			if (c < 0x80) {
				w[n++] = (char)c;
			} else if (c < 0x800) {
				w[n++] = (char)(0xC0 | c >> 6);
				w[n++] = (char)(0x80 | (c & 0x3F));
			} else if (c < 0x10000) {
				w[n++] = (char)(0xE0 | c >> 12);
				w[n++] = (char)(0x80 | (c >> 6 & 0x3F));
				w[n++] = (char)(0x80 | (c & 0x3F));
			} else {
				w[n++] = (char)(0xF0 | c >> 18);
				w[n++] = (char)(0x80 | (c >> 12 & 0x3F));
				w[n++] = (char)(0x80 | (c >> 6 & 0x3F));
				w[n++] = (char)(0x80 | (c & 0x3F));
			}
		}
		if (k % 97 == 0)
			w[n++] = (char)0xC3; /* a truncated sequence */
		buf_reset(&a);
		buf_reset(&b);
		buf_puts(&a, "x");
		buf_puts(&b, "x");
		search_fold(w, n, &a);
		i18n_fold(w, n, &b);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0) {
			if (bad < 5)
				fprintf(stderr, "  fold %.*s: %s, i18n_fold %s\n", (int)n, w, a.data, b.data);
			bad++;
		}
	}
	CHECK(bad == 0);
	buf_free(&a);
	buf_free(&b);
}

TEST(test_transliterate_ids)
{
	struct buf b = BUF_INIT;
	CHECK(i18n_transliterate(I18N_SR_LATN_CYRL, "Ljubav njega džep Đak ćup", &b) == 0);
	CHECK_STR(buf_str(&b), "Љубав њега џеп Ђак ћуп");
	buf_free(&b);
	CHECK(*search_transforms("en", "child") == NULL);
	CHECK(*search_transforms("sr-Latn", "procena") != NULL);
	CHECK_STR(search_transforms("bg", "оценка")[0], "Bulgarian-Latin/BGN; Latin-ASCII");
	CHECK_STR(search_transforms("el", "παιδί")[0], "Greek-Latin/UNGEGN; Latin-ASCII");
	CHECK_STR(search_transforms("ar", "الطفل")[0], "Any-Latin; Latin-ASCII");
}

/* Every piece's keys (t and w) as "key\n". */
static void
piece_keys(const char *json, struct buf *out)
{
	int depth = 0;
	for (const char *c = json; *c; c++) {
		if (*c == '{' || *c == '[')
			depth++;
		else if (*c == '}' || *c == ']')
			depth--;
		else if (*c == '"') {
			const char *e = c + 1;
			while (*e != '"')
				e += *e == '\\' ? 2 : 1;
			if (depth == 2 && e[1] == ':') {
				buf_add(out, c + 1, (size_t)(e - c - 1));
				buf_putc(out, '\n');
			}
			c = e;
		}
	}
}

TEST(test_piece_split)
{
	/* Many words under few first letters, pieces of at most 300 bytes. */
	struct buf text = BUF_INIT;
	static const char *const stems[] = {"a", "ab", "abc", "abd", "abe", "b", "ba"};
	for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++)
		for (int k = 0; k < 12; k++)
			buf_printf(&text, "%s%c%c ", stems[i], 'k' + k % 6, 'p' + k / 6);
	buf_puts(&text, "ab a ");
	const struct doc_text *docs[] = {one(buf_str(&text), SEARCH_BODY), NULL};
	char *all = index_of(docs, "en", 300);
	char *again = index_of(docs, "en", 300);
	CHECK_STR(all, again); /* deterministic bytes */
	free(again);
	char *man = file_of(all, "index.json");
	/* The first piece begins at ""; the next ones at the fewest code points of their first
	 * key that sort after the key before: "abd" follows "abcqp" ("ab" would not). */
	CHECK_CONTAINS(man, "\"pieces\":[\"\",");
	const char *p = strstr(man, "\"pieces\":[") + 10;
	char prev[64] = "";
	size_t npieces = 0;
	for (; *p == '"'; npieces++) {
		const char *e = strchr(p + 1, '"');
		char bound[64];
		snprintf(bound, sizeof bound, "%.*s", (int)(e - p - 1), p + 1);
		CHECK(npieces == 0 || strcmp(bound, prev) > 0); /* ascending */
		CHECK(strlen(bound) <= 5);                      /* a key at most */
		memcpy(prev, bound, sizeof prev);
		p = e + 1;
		if (*p == ',')
			p++;
	}
	free(man);
	/* Runs are filled: 86 keys of about 15 bytes in pieces of 300 take about 5 pieces, not
	 * one per prefix. */
	CHECK(npieces >= 3 && npieces <= 7);
	/* Every key is in the piece the manifest points to, and every piece keeps the bound
	 * unless it is one key. */
	size_t nkeys = 0;
	for (const char *name = all; (name = strstr(name, "t/")) != NULL; name++) {
		if (name != all && name[-1] != '\n')
			continue;
		const char *nl = strchr(name, '\n');
		char *nm = xstrndup(name, (size_t)(nl - name));
		char *j = file_of(all, nm);
		struct buf keys = BUF_INIT;
		piece_keys(j, &keys);
		size_t n = 0;
		for (const char *k = buf_str(&keys), *e; (e = strchr(k, '\n')) != NULL; k = e + 1, n++) {
			char *key = xstrndup(k, (size_t)(e - k));
			char *home = piece_for(all, key);
			CHECK_STR(home, j);
			free(home);
			free(key);
		}
		CHECK(strlen(j) + 1 <= 300 || n == 1);
		CHECK(n > 0);
		nkeys += n;
		buf_free(&keys);
		free(j);
		free(nm);
	}
	CHECK(nkeys >= 7 * 12);
	char *pa = piece_for(all, "a");
	CHECK_CONTAINS(pa, "\"a\":[");
	free(pa);
	free(all);
	buf_free(&text);
}

/* Regression: a language whose library lists nothing wrote its index with memcpy from NULL
 * (UBSan stopped the build). */
TEST(test_empty_index)
{
	const struct doc_text *none[] = {NULL};
	char *j = index_of(none, "ar", 0);
	CHECK_CONTAINS(j, "index.json\n{\"v\":1,\"lang\":\"ar\",\"docs\":0,\"items\":1,\"pieces\":[],\"id\":\"");
	CHECK_NOT_CONTAINS(j, "t/");
	free(j);
}

int
main(void)
{
	RUN(test_words);
	RUN(test_fold);
	RUN(test_postings_deltas_and_weights);
	RUN(test_surface_map);
	RUN(test_transliteration);
	RUN(test_latin_ascii_shortcut);
	RUN(test_search_fold);
	RUN(test_transliterate_ids);
	RUN(test_piece_split);
	RUN(test_empty_index);
	i18n_shutdown();
	return TEST_END();
}
