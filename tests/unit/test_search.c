/* Tests for search (the per-language index) and the ICU word and folding helpers it uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "search.h"
#include "test.h"
#include "util/buf.h"

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
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *f = folded(cases[i][0]);
		CHECK_STR(f, cases[i][1]);
		free(f);
	}
}

static void
gather(void *payload, const char *shard, const struct buf *json)
{
	struct buf *b = payload;
	buf_printf(b, "%s=", shard);
	buf_add(b, json->data, json->len);
}

/* The index's shards as "NAME={json}\n..." for one document per text, each in its language. */
static char *
index_of(const char *const *docs, const char *lang)
{
	struct search_index *ix = search_new();
	struct i18n_locale *l = i18n_locale_new(lang);
	struct buf b = BUF_INIT;
	for (size_t i = 0; docs[i]; i++)
		search_add(ix, i, docs[i], strlen(docs[i]), i == 0 ? 10 : 1, lang, l);
	search_write(ix, gather, &b);
	i18n_locale_free(l);
	search_free(ix);
	return buf_detach(&b);
}

TEST(test_index_stems_and_scores)
{
	static const char *const docs[] = {"Assessments", "The assessment; assessing, assessed.", NULL};
	char *j = index_of(docs, "en");
	/* One stem for every form, a prefix of each; the title document scores 10, the other 1 per
	 * occurrence; "the" is a word like any other. */
	CHECK_STR(j, "61={\"terms\":{\"assess\":[0,10,1,3]}}\n74={\"terms\":{\"the\":[1,1]}}\n");
	free(j);
}

TEST(test_index_without_stemmer_keeps_words)
{
	/* Snowball has no Bulgarian stemmer: words are kept whole (the browser's prefix match still
	 * finds "оценк" in them). */
	static const char *const docs[] = {"Индивидуална оценка", NULL};
	char *j = index_of(docs, "bg");
	CHECK_STR(j, "438={\"terms\":{\"индивидуална\":[0,10]}}\n43e={\"terms\":{\"оценка\":[0,10]}}\n");
	free(j);
}

TEST(test_index_folds_accents_after_stemming)
{
	static const char *const docs[] = {"Evaluări", NULL};
	char *j = index_of(docs, "ro");
	CHECK_CONTAINS(j, "65={\"terms\":{\"evalu");
	CHECK_NOT_CONTAINS(j, "ă");
	free(j);
	static const char *const el[] = {"Αξιολόγηση", NULL};
	j = index_of(el, "el");
	CHECK_CONTAINS(j, "3b1={\"terms\":{\"αξιολογ");
	free(j);
}

TEST(test_index_caps_repeats_and_is_stable)
{
	struct buf text = BUF_INIT;
	for (int i = 0; i < 200; i++)
		buf_puts(&text, "child ");
	const char *docs[] = {"x", buf_str(&text), NULL};
	char *a = index_of(docs, "en");
	CHECK_CONTAINS(a, "\"child\":[1,50]");
	char *b = index_of(docs, "en");
	CHECK_STR(a, b);
	free(a);
	free(b);
	buf_free(&text);
}

/* Regression: a language whose library lists nothing wrote its index with memcpy from NULL
 * (UBSan stopped the build). */
TEST(test_empty_index)
{
	static const char *const none[] = {NULL};
	char *j = index_of(none, "ar");
	CHECK_STR(j, ""); /* no shard at all */
	free(j);
}

int
main(void)
{
	RUN(test_words);
	RUN(test_fold);
	RUN(test_index_stems_and_scores);
	RUN(test_index_without_stemmer_keeps_words);
	RUN(test_index_folds_accents_after_stemming);
	RUN(test_index_caps_repeats_and_is_stable);
	RUN(test_empty_index);
	i18n_shutdown();
	return TEST_END();
}
