/* test_i18n: dates, numbers, plural categories, collation, slugs, transliteration and UTF-8
 * checks through ICU. Expected strings are what ICU 72 (CLDR 42) gives. */
#include <pthread.h>
#include <stdlib.h>

#include "i18n.h"
#include "test.h"

/* 2024-03-01 13:00:00 UTC. main() sets TZ to UTC+14, so a formatter that used the machine's
 * zone would show the wrong day for the late-evening times below. */
#define MARCH_1_2024 ((int64_t)1709251200 + 13 * 3600)

static char got[4096];

static const char *
date(const char *locale, int64_t t, const char *style)
{
	struct i18n_locale *l = i18n_locale_new(locale);
	struct buf b = BUF_INIT;

	i18n_format_date(l, t, style, &b);
	snprintf(got, sizeof(got), "%s", buf_str(&b));
	buf_free(&b);
	i18n_locale_free(l);
	return got;
}

static const char *
number(const char *locale, double n)
{
	struct i18n_locale *l = i18n_locale_new(locale);
	struct buf b = BUF_INIT;

	i18n_format_number(l, n, &b);
	snprintf(got, sizeof(got), "%s", buf_str(&b));
	buf_free(&b);
	i18n_locale_free(l);
	return got;
}

static const char *
slug(const char *s)
{
	struct buf b = BUF_INIT;

	i18n_slug(s, &b);
	snprintf(got, sizeof(got), "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

static const char *
translit(const char *id, const char *s, int *rc)
{
	struct buf b = BUF_INIT;

	*rc = i18n_transliterate(id, s, &b);
	snprintf(got, sizeof(got), "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

static const char *
language_name(const char *code, const char *in)
{
	struct buf b = BUF_INIT;

	i18n_language_name(code, in, &b);
	snprintf(got, sizeof(got), "%s", buf_str(&b));
	buf_free(&b);
	return got;
}

/* A language's name in itself, as a language menu shows it, and its direction: what satchel new
 * site writes into site.yaml. */
TEST(test_language_autonyms_and_direction)
{
	struct buf b = BUF_INIT;
	static const char *const cases[][2] = {
	    {"bg", "Български"}, {"ar", "العربية"}, {"el", "Ελληνικά"}, {"en", "English"},
	    {"es", "Español"},   {"sr-Latn", "Srpski (latinica)"},      {"qqq", "qqq"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf_reset(&b);
		i18n_language_autonym(cases[i][0], &b);
		CHECK_STR(buf_str(&b), cases[i][1]);
	}
	buf_free(&b);
	CHECK(i18n_is_rtl("ar"));
	CHECK(i18n_is_rtl("he"));
	CHECK(i18n_is_rtl("fa"));
	CHECK(!i18n_is_rtl("en"));
	CHECK(!i18n_is_rtl("bg"));
	CHECK(!i18n_is_rtl(""));
}

/* The UI strings that may stand in for a language's: its language with its likely script, then
 * its language alone when that is written in the same script. */
TEST(test_language_parents)
{
	static const struct {
		const char *code, *want;
	} cases[] = {
	    {"pt-BR", "pt-Latn pt"}, {"en-GB", "en-Latn en"}, {"es-419", "es-Latn es"},
	    {"sr-ME", "sr-Latn"},    /* Montenegrin Serbian is written in Latin: never sr (Cyrillic) */
	    {"sr-Latn", ""},         {"sr-latn", "sr-Latn"}, {"sr", "sr-Cyrl"},
	    {"zh-TW", "zh-Hant"},    {"bs-Cyrl", ""}, {"ja", "ja-Jpan"},
	    {"", ""},                {"not a tag!", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[2][I18N_TAG_MAX];
		size_t n = i18n_language_parents(cases[i].code, out);
		struct buf b = BUF_INIT;
		for (size_t k = 0; k < n; k++)
			buf_printf(&b, "%s%s", k ? " " : "", out[k]);
		buf_puts(&b, "");
		CHECK_STR(buf_str(&b), cases[i].want);
		buf_free(&b);
	}
	CHECK(i18n_language_parents(NULL, NULL) == 0);
}

/* A site's language key and locale: the tag pages declare. A key that is a tag of the locale's
 * language stays (sr with sr-Cyrl); any other gives way to the locale (Hugo's gr, and se, which
 * is Northern Sami, when the locale says Swedish). */
TEST(test_document_tag)
{
	static const struct {
		const char *code, *locale, *want;
	} cases[] = {
	    {"en", "en", "en"},       {"sr", "sr-Cyrl", "sr"},   {"sr-Latn", "sr-Latn", "sr-Latn"},
	    {"gr", "el", "el"},       {"se", "sv", "sv"},        {"cz", "cs", "cs"},
	    {"jp", "ja_JP", "ja-JP"}, {"pt-br", "pt-BR", "pt-br"}, {"gr", "nonsense!", ""},
	    {"fa", NULL, "fa"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[I18N_TAG_MAX];
		i18n_document_tag(cases[i].code, cases[i].locale, out);
		CHECK_STR(out, cases[i].want);
	}
}

/* Open Graph's ll_CC from ICU's likely subtags. */
TEST(test_og_locale)
{
	static const struct {
		const char *locale, *want;
	} cases[] = {
	    {"en", "en_US"},     {"el", "el_GR"}, {"bg", "bg_BG"}, {"ar", "ar_EG"},
	    {"sr-Cyrl", "sr_RS"}, {"sr-Latn", "sr_RS"}, {"pt-BR", "pt_BR"}, {"fa", "fa_IR"},
	    {"zh-Hant", "zh_TW"}, {"gr", ""},     {"", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[I18N_TAG_MAX];
		i18n_og_locale(cases[i].locale, out);
		CHECK_STR(out, cases[i].want);
	}
}

TEST(test_date_english_styles)
{
	CHECK_STR(date("en", MARCH_1_2024, "long"), "March 1, 2024");
	CHECK_STR(date("en", MARCH_1_2024, "full"), "Friday, March 1, 2024");
	CHECK_STR(date("en", MARCH_1_2024, "medium"), "Mar 1, 2024");
	CHECK_STR(date("en", MARCH_1_2024, "short"), "3/1/24");
}

TEST(test_date_iso_is_utc_and_locale_free)
{
	CHECK_STR(date("ar", MARCH_1_2024, "iso"), "2024-03-01");
	CHECK_STR(date("en", 0, "iso"), "1970-01-01");
	CHECK_STR(date("en", -1, "iso"), "1969-12-31");
	CHECK_STR(date("en", 951782400, "iso"), "2000-02-29");
	CHECK_STR(date("en", 1709251199, "iso"), "2024-02-29");
	/* The last second of a day in UTC must not roll over in any other zone's favour. */
	CHECK_STR(date("en", 1709251199, "long"), "February 29, 2024");
	CHECK_STR(date("en", 1709251200, "long"), "March 1, 2024");
	/* Far outside ICU's calendar range the result is still a date, never a crash. */
	CHECK(strlen(date("en", INT64_MAX, "iso")) > 0);
	CHECK(strlen(date("en", INT64_MIN, "long")) > 0);
}

TEST(test_date_other_languages)
{
	CHECK_STR(date("bg", MARCH_1_2024, "long"), "1 март 2024\xe2\x80\xaf" "г.");
	CHECK_STR(date("el", MARCH_1_2024, "long"), "1 Μαρτίου 2024");
	/* ICU 72 writes Arabic-Indic digits for plain "ar". */
	CHECK_CONTAINS(date("ar", MARCH_1_2024, "long"), "مارس");
	CHECK_CONTAINS(got, "٢٠٢٤");
	CHECK_STR(date("sr-Cyrl", MARCH_1_2024, "long"), "1. март 2024.");
	CHECK_STR(date("sr-Latn", MARCH_1_2024, "long"), "1. mart 2024.");
	CHECK_STR(date("sr", MARCH_1_2024, "long"), "1. март 2024.");
}

TEST(test_date_unknown_style_and_locale)
{
	CHECK_STR(date("en", MARCH_1_2024, "weird"), "Mar 1, 2024");
	CHECK_STR(date("en", MARCH_1_2024, NULL), "Mar 1, 2024");
	/* An unknown locale is the root locale: still a deterministic date. */
	CHECK_CONTAINS(date("xx", MARCH_1_2024, "long"), "2024");
	/* Not the machine's default locale (main sets German), which ICU would fall back to. */
	CHECK_NOT_CONTAINS(got, "März");
	/* ICU knows Klingon's name but has no data for it: the root locale too. */
	CHECK_NOT_CONTAINS(date("tlh", MARCH_1_2024, "long"), "März");
	CHECK_CONTAINS(got, "2024");
	{
		char root[sizeof(got)];
		snprintf(root, sizeof(root), "%s", date("xx", MARCH_1_2024, "long"));
		CHECK_STR(date("english", MARCH_1_2024, "long"), root);
	}
}

TEST(test_number_grouping)
{
	char en[sizeof(got)];

	CHECK_STR(number("en", 1234.5), "1,234.5");
	snprintf(en, sizeof(en), "%s", got);
	CHECK_STR(number("en", -1234567.891), "-1,234,567.891");
	/* Bulgarian groups with a no-break space and uses a decimal comma. */
	CHECK_STR(number("bg", 1234.5), "1\xc2\xa0" "234,5");
	CHECK(strcmp(got, en) != 0);
	CHECK_NOT_CONTAINS(got, ",234");
	CHECK_STR(number("el", 1234.5), "1.234,5");
	CHECK_STR(number("ar", 1234.5), "١٬٢٣٤٫٥");
	CHECK_STR(number("en", 0), "0");
}

TEST(test_plural_categories)
{
	struct i18n_locale *en = i18n_locale_new("en"), *ro = i18n_locale_new("ro"),
	                   *sr = i18n_locale_new("sr-Latn"), *ar = i18n_locale_new("ar"),
	                   *xx = i18n_locale_new("xx");

	CHECK_STR(i18n_plural(en, 1), "one");
	CHECK_STR(i18n_plural(en, 2), "other");
	CHECK_STR(i18n_plural(en, 0), "other");
	CHECK_STR(i18n_plural(ro, 1), "one");
	CHECK_STR(i18n_plural(ro, 2), "few");
	CHECK_STR(i18n_plural(ro, 20), "other");
	CHECK_STR(i18n_plural(sr, 1), "one");
	CHECK_STR(i18n_plural(sr, 3), "few");
	CHECK_STR(i18n_plural(sr, 5), "other");
	CHECK_STR(i18n_plural(sr, 21), "one");
	CHECK_STR(i18n_plural(ar, 0), "zero");
	CHECK_STR(i18n_plural(ar, 1), "one");
	CHECK_STR(i18n_plural(ar, 2), "two");
	CHECK_STR(i18n_plural(ar, 3), "few");
	CHECK_STR(i18n_plural(ar, 11), "many");
	CHECK_STR(i18n_plural(ar, 100), "other");
	/* The result is one of the static literals, so callers may compare pointers' text freely. */
	CHECK_STR(i18n_plural(xx, 1), "other");
	CHECK_STR(i18n_plural(NULL, 1), "other");
	i18n_locale_free(en);
	i18n_locale_free(ro);
	i18n_locale_free(sr);
	i18n_locale_free(ar);
	i18n_locale_free(xx);
}

static int
key_cmp(struct i18n_locale *l, const char *a, const char *b)
{
	struct buf ka = BUF_INIT, kb = BUF_INIT;
	size_t n;
	int r;

	i18n_sort_key(l, a, &ka);
	i18n_sort_key(l, b, &kb);
	n = ka.len < kb.len ? ka.len : kb.len;
	r = memcmp(ka.data, kb.data, n);
	if (r == 0)
		r = (ka.len > kb.len) - (ka.len < kb.len);
	buf_free(&ka);
	buf_free(&kb);
	return (r > 0) - (r < 0);
}

TEST(test_collation_english)
{
	struct i18n_locale *en = i18n_locale_new("en");

	CHECK(i18n_collate(en, "apple", "Banana") < 0);
	CHECK(i18n_collate(en, "Banana", "cherry") < 0);
	CHECK(i18n_collate(en, "cherry", "apple") > 0);
	CHECK(i18n_collate(en, "Ångström", "Bob") < 0);
	CHECK(i18n_collate(en, "Ångström", "Angstrom") > 0);
	CHECK(i18n_collate(en, "Ångström", "Angstron") < 0);
	CHECK(i18n_collate(en, "résumé", "rest") > 0);
	CHECK(i18n_collate(en, "résumé", "rusty") < 0);
	CHECK(i18n_collate(en, "same", "same") == 0);
	CHECK(i18n_collate(en, NULL, "a") < 0);
	/* Byte order would put every capital first. */
	CHECK(strcmp("Banana", "apple") < 0);
	i18n_locale_free(en);
}

TEST(test_collation_bulgarian)
{
	struct i18n_locale *bg = i18n_locale_new("bg"), *en = i18n_locale_new("en");

	CHECK(i18n_collate(bg, "ябълка", "Банан") > 0);
	CHECK(i18n_collate(bg, "Банан", "вишна") < 0);
	CHECK(i18n_collate(bg, "жаба", "зебра") < 0);
	/* Ь and Ю come late in the alphabet, after Щ and Ъ. */
	CHECK(i18n_collate(bg, "щука", "ъгъл") < 0);
	CHECK(i18n_collate(bg, "ъгъл", "юг") < 0);
	/* The Bulgarian tailoring puts Cyrillic before Latin; the root order has Latin first. */
	CHECK(i18n_collate(bg, "zebra", "агне") > 0);
	CHECK(i18n_collate(en, "zebra", "агне") < 0);
	i18n_locale_free(bg);
	i18n_locale_free(en);
}

TEST(test_sort_keys_agree_with_collate)
{
	static const char *words[] = {"apple",   "Banana", "cherry", "Ångström", "Bob", "résumé",
	                              "rope",    "Apple",  "",       "ябълка",   "Банан",
	                              "\xff\xfe", "a\xc0z", "Zürich", "zurich",  "ZURICH"};
	static const char *locales[] = {"en", "bg", "xx"};
	size_t i, j, k;

	for (k = 0; k < sizeof(locales) / sizeof(locales[0]); k++) {
		struct i18n_locale *l = i18n_locale_new(locales[k]);
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
			for (j = 0; j < sizeof(words) / sizeof(words[0]); j++) {
				int c = i18n_collate(l, words[i], words[j]);
				int want = (c > 0) - (c < 0);
				if (key_cmp(l, words[i], words[j]) != want) {
					fprintf(stderr, "  %s: \"%s\" vs \"%s\"\n", locales[k], words[i],
					        words[j]);
					CHECK(!"sort key order differs from i18n_collate");
				}
			}
		i18n_locale_free(l);
	}
}

TEST(test_sort_key_appends)
{
	struct i18n_locale *en = i18n_locale_new("en");
	struct buf b = BUF_INIT;

	buf_puts(&b, "x");
	i18n_sort_key(en, "apple", &b);
	CHECK(b.len > 2);
	CHECK(b.data[0] == 'x');
	/* ICU's terminator is kept, so keys can be joined and compared as they stand. */
	CHECK(b.data[b.len - 1] == '\0');
	CHECK(memchr(b.data + 1, '\0', b.len - 2) == NULL);
	buf_free(&b);
	i18n_locale_free(en);
}

TEST(test_language_names)
{
	CHECK_STR(language_name("bg", "en"), "Bulgarian");
	CHECK_STR(language_name("bg", "bg"), "български");
	CHECK_STR(language_name("el", "el"), "Ελληνικά");
	CHECK_STR(language_name("ar", "ar"), "العربية");
	CHECK_STR(language_name("sr-Latn", "en"), "Serbian (Latin)");
	CHECK_STR(language_name("sr-Cyrl", "sr-Latn"), "srpski (ćirilica)");
	CHECK_STR(language_name("en", "xx"), "English");
	CHECK_STR(language_name("xx", "en"), "xx");
	CHECK_STR(language_name("e1", "en"), "e1");
	CHECK_STR(language_name("", "en"), "");
	/* Without names in `in`, English: never the machine's default locale (main sets LANG). */
	CHECK_STR(language_name("en", NULL), "English");
	CHECK_STR(language_name("bg", "tlh"), "Bulgarian");
	CHECK_STR(language_name("bg", "xx"), "Bulgarian");
	CHECK_STR(language_name("tlh", "en"), "Klingon");
}

TEST(test_slug_examples)
{
	CHECK_STR(slug("Individual Assessment: Why?"), "individual-assessment-why");
	CHECK_STR(slug("Оценка на детето"), "оценка-на-детето");
	CHECK_STR(slug("Αξιολόγηση Παιδιού"), "αξιολόγηση-παιδιού");
	CHECK_STR(slug("حماية الطفل"), "حماية-الطفل");
	CHECK_STR(slug("---"), "");
	CHECK_STR(slug(""), "");
	CHECK_STR(slug("C++ & you"), "c-you");
	CHECK_STR(slug("  Step 2 — Plan (2024)  "), "step-2-plan-2024");
	CHECK_STR(slug("Zaštita djece: ŠTO?"), "zaštita-djece-što");
	/* Greek capitals: final sigma follows the word end. */
	CHECK_STR(slug("ΟΔΟΣ ΣΟΦΙΑΣ"), "οδος-σοφιας");
	CHECK_STR(slug("ΟΔΟΣ"), "οδος");
}

TEST(test_slug_normalises_and_keeps_marks)
{
	/* "é" written as e + U+0301 becomes the precomposed letter. */
	CHECK_STR(slug("Cafe\xcc\x81 Menu"), "caf\xc3\xa9-menu");
	/* Devanagari vowel signs and viramas are marks; the word stays whole. */
	CHECK_STR(slug("हिन्दी भाषा"), "हिन्दी-भाषा");
	/* A mark with no letter before it is not a word. */
	CHECK_STR(slug("\xcc\x81 x"), "x");
	/* Digits of other scripts are digits. */
	CHECK_STR(slug("Глава ٣"), "глава-٣");
	/* Invalid UTF-8 is a separator, not a crash. */
	CHECK_STR(slug("ab\xff\xfe" "cd é"), "ab-cd-é");
	CHECK_STR(slug("\xe2\x82"), "");
}

TEST(test_slug_appends_and_long_input)
{
	struct buf b = BUF_INIT, in = BUF_INIT;
	size_t i;

	buf_puts(&b, "/x/");
	i18n_slug("Ab Cd", &b);
	CHECK_STR(buf_str(&b), "/x/ab-cd");
	buf_reset(&b);
	buf_puts(&b, "#");
	i18n_slug("Ñu Ñu", &b);
	CHECK_STR(buf_str(&b), "#ñu-ñu");
	buf_reset(&b);
	/* Past every stack buffer, and with normalisation and case changes that grow the text. */
	for (i = 0; i < 2000; i++)
		buf_puts(&in, "E\xcc\x81 ΐ ");
	i18n_slug(buf_str(&in), &b);
	CHECK(b.len > 4000);
	CHECK(strncmp(buf_str(&b), "é-ΐ-é-ΐ", strlen("é-ΐ-é-ΐ")) == 0);
	CHECK(b.data[b.len - 1] != '-');
	buf_free(&b);
	buf_free(&in);
}

struct slug_job {
	const char *in, *want;
	int ok;
};

static void *
slug_thread(void *p)
{
	struct slug_job *j = p;
	struct buf b = BUF_INIT;
	int i;

	j->ok = 1;
	for (i = 0; i < 2000; i++) {
		buf_reset(&b);
		i18n_slug(j->in, &b);
		if (strcmp(buf_str(&b), j->want) != 0)
			j->ok = 0;
		buf_reset(&b);
		if (i18n_transliterate("Serbian-Latin/BGN", "Дечја заштита", &b) != 0 ||
		    strcmp(buf_str(&b), "Dečja zaštita") != 0)
			j->ok = 0;
	}
	buf_free(&b);
	return NULL;
}

TEST(test_slug_and_transliterate_threads)
{
	struct slug_job jobs[4] = {{"Оценка на детето", "оценка-на-детето", 0},
	                           {"Αξιολόγηση Παιδιού", "αξιολόγηση-παιδιού", 0},
	                           {"Individual Assessment: Why?", "individual-assessment-why", 0},
	                           {"Cafe\xcc\x81 Menu", "café-menu", 0}};
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, slug_thread, &jobs[i]) == 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(jobs[i].ok);
	}
}

TEST(test_transliterate_serbian)
{
	int rc = -2;

	/* ICU 72 has "Serbian-Latin/BGN" (also "sr-sr_Latn/BGN"); the plain "sr-sr_Latn" and
	 * "Cyrillic-Latin" give ISO 9 letters such as ǰ and L̂, not Serbian Latin. */
	CHECK_STR(translit("Serbian-Latin/BGN", "Дечја заштита", &rc), "Dečja zaštita");
	CHECK(rc == 0);
	CHECK_STR(translit("Serbian-Latin/BGN", "Љубљана и Џон", &rc), "Ljubljana i Džon");
	CHECK_STR(translit("sr-sr_Latn/BGN", "Дечја заштита", &rc), "Dečja zaštita");
	CHECK(rc == 0);
	/* Switching ids in one thread uses the new one, not the cached one. */
	CHECK_STR(translit("Any-Latin", "Αθήνα", &rc), "Athḗna");
	CHECK(rc == 0);
	CHECK_STR(translit("Serbian-Latin/BGN", "", &rc), "");
	CHECK(rc == 0);
	CHECK_STR(translit("Serbian-Latin/BGN", "Latin stays", &rc), "Latin stays");
}

/* Serbian-Latin/BGN writes ћ as c + U+0301; what it gives must be NFC: ć (U+0107). */
TEST(test_transliterate_gives_nfc)
{
	int rc = -2;
	/* ć below is one code point, U+0107 (and Ć U+0106): the literals are NFC. */
	CHECK_STR(translit("Serbian-Latin/BGN", "учешће", &rc), "učešće");
	CHECK(rc == 0);
	CHECK_STR(translit("Serbian-Latin/BGN", "Ћуприја, ЋУПРИЈА и ћ", &rc), "Ćuprija, ĆUPRIJA i ć");
	/* č, š, ž, đ, dž and lj, nj as they were (composed, or plain letters). */
	CHECK_STR(translit("Serbian-Latin/BGN", "чаша ђак жаба џеп љубав њива", &rc),
	          "čaša đak žaba džep ljubav njiva");
	CHECK_STR(translit("Any-Latin", "Αθήνα", &rc), "Athḗna");
	/* Nothing decomposed is left anywhere in a longer text: no combining acute (U+0301). */
	const char *t = translit("Serbian-Latin/BGN", "Предстојећи сусрет: наћи ћете већину одговарајућих", &rc);
	CHECK(rc == 0 && strstr(t, "\xcc\x81") == NULL);
	CHECK_STR(t, "Predstojeći susret: naći ćete većinu odgovarajućih");
}

TEST(test_transliterate_growth_and_errors)
{
	struct buf in = BUF_INIT, b = BUF_INIT;
	int i, rc = 0;

	/* Each 雙 (3 bytes) becomes "shuāng " (7 units): more than the first buffer holds. */
	for (i = 0; i < 40; i++)
		buf_puts(&in, "雙");
	CHECK(i18n_transliterate("Any-Latin", buf_str(&in), &b) == 0);
	CHECK_CONTAINS(buf_str(&b), "shuāng");
	CHECK(b.len > 40 * 7);
	buf_free(&b);
	buf_free(&in);

	CHECK_STR(translit("No-Such/Transform", "x", &rc), "");
	CHECK(rc == -1);
	CHECK_STR(translit(NULL, "x", &rc), "");
	CHECK(rc == -1);
	/* A failed id does not spoil the thread's cached transform. */
	CHECK_STR(translit("Serbian-Latin/BGN", "Дечја", &rc), "Dečja");
	CHECK(rc == 0);
}

TEST(test_utf8_valid)
{
	size_t bad = 99;

	CHECK(i18n_utf8_valid("", 0, &bad));
	CHECK(i18n_utf8_valid("plain ascii text, long enough for the word loop", 48, &bad));
	CHECK(i18n_utf8_valid("Дечја заштита Αξιολόγηση حماية 雙 \xf0\x9f\x98\x80",
	                      strlen("Дечја заштита Αξιολόγηση حماية 雙 \xf0\x9f\x98\x80"), NULL));
	CHECK(i18n_utf8_valid("\xf4\x8f\xbf\xbf", 4, &bad)); /* U+10FFFF */
	CHECK(i18n_utf8_valid("\xed\x9f\xbf", 3, &bad));     /* U+D7FF */
	CHECK(i18n_utf8_valid("a\0b", 3, &bad));

	CHECK(!i18n_utf8_valid("\xc0\xaf", 2, &bad)); /* overlong '/' */
	CHECK(bad == 0);
	CHECK(!i18n_utf8_valid("ab\xe0\x80\xaf", 5, &bad)); /* overlong, three bytes */
	CHECK(bad == 2);
	CHECK(!i18n_utf8_valid("\xed\xa0\x80", 3, &bad)); /* surrogate U+D800 */
	CHECK(bad == 0);
	CHECK(!i18n_utf8_valid("abc\xe2\x82", 5, &bad)); /* truncated € */
	CHECK(bad == 3);
	CHECK(!i18n_utf8_valid("\xf4\x90\x80\x80", 4, &bad)); /* U+110000 */
	CHECK(!i18n_utf8_valid("\xf5\x80\x80\x80", 4, &bad));
	CHECK(!i18n_utf8_valid("\x80", 1, &bad));
	CHECK(!i18n_utf8_valid("0123456789abcdef\xff", 17, &bad));
	CHECK(bad == 16);
	CHECK(!i18n_utf8_valid("\xe2\x28\xa1", 3, &bad));
	CHECK(!i18n_utf8_valid("\xf0\x9f\x98", 3, NULL));
	/* n is honoured: a valid sequence cut by n is truncated. */
	CHECK(!i18n_utf8_valid("\xc3\xa9", 1, &bad));
	CHECK(i18n_utf8_valid("\xc3\xa9", 2, &bad));
}

TEST(test_locale_valid)
{
	static const char *good[] = {"en", "bg", "el", "ro", "sr", "sr-Cyrl", "sr-Latn", "ar",
	                             "nl", "hu", "fr", "mk", "sq", "en-GB", "EN", "zh-Hant-TW"};
	static const char *bad[] = {"xx", "english", "e1", "", "en_US", "en-", "-en", "sr-Latn-",
	                            "und"};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!i18n_locale_valid(good[i])) {
			fprintf(stderr, "  should be valid: \"%s\"\n", good[i]);
			CHECK(!"valid locale rejected");
		}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (i18n_locale_valid(bad[i])) {
			fprintf(stderr, "  should be invalid: \"%s\"\n", bad[i]);
			CHECK(!"invalid locale accepted");
		}
	CHECK(!i18n_locale_valid(NULL));
}

TEST(test_locale_new_accepts_icu_ids_and_never_fails)
{
	struct i18n_locale *l;
	struct buf b = BUF_INIT;

	/* An ICU id with underscores is taken as such. */
	l = i18n_locale_new("sr_Latn");
	i18n_format_date(l, MARCH_1_2024, "long", &b);
	CHECK_STR(buf_str(&b), "1. mart 2024.");
	i18n_locale_free(l);
	buf_reset(&b);
	l = i18n_locale_new(NULL);
	CHECK(l != NULL);
	i18n_format_number(l, 1234.5, &b);
	CHECK_STR(buf_str(&b), "1,234.5");
	i18n_locale_free(l);
	i18n_locale_free(NULL);
	buf_free(&b);
}

int
main(void)
{
	/* Kiritimati is UTC+14: output that leaked the machine's zone would be a day off. */
	setenv("TZ", "Pacific/Kiritimati", 1);
	/* ICU's default locale comes from these; nothing in i18n may depend on it. */
	setenv("LC_ALL", "de_DE.UTF-8", 1);
	setenv("LANG", "de_DE.UTF-8", 1);
	RUN(test_date_english_styles);
	RUN(test_date_iso_is_utc_and_locale_free);
	RUN(test_date_other_languages);
	RUN(test_date_unknown_style_and_locale);
	RUN(test_number_grouping);
	RUN(test_plural_categories);
	RUN(test_collation_english);
	RUN(test_collation_bulgarian);
	RUN(test_sort_keys_agree_with_collate);
	RUN(test_sort_key_appends);
	RUN(test_language_names);
	RUN(test_language_autonyms_and_direction);
	RUN(test_language_parents);
	RUN(test_document_tag);
	RUN(test_og_locale);
	RUN(test_slug_examples);
	RUN(test_slug_normalises_and_keeps_marks);
	RUN(test_slug_appends_and_long_input);
	RUN(test_slug_and_transliterate_threads);
	RUN(test_transliterate_serbian);
	RUN(test_transliterate_gives_nfc);
	RUN(test_transliterate_growth_and_errors);
	RUN(test_utf8_valid);
	RUN(test_locale_valid);
	RUN(test_locale_new_accepts_icu_ids_and_never_fails);
	return TEST_END();
}
