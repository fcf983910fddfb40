/* Tests for catalog: theme strings overridden by the site's, fallback to the default language,
 * flattened keys, plural forms by CLDR rules, and placeholders in the locale's digits. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "i18n.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "value.h"

enum { EN, RO, AR, NLANGS };

static const char theme_en[] =
    "home: Home\n"
    "search: Search\n"
    "only_en: English only\n"
    "nav:\n"
    "  next: Next\n"
    "  deep:\n"
    "    er: Deeper\n"
    "topics:\n"
    "  barnahus: Barnahus\n"
    "items:\n"
    "  one: \"{count} item\"\n"
    "  other: \"{count} items\"\n"
    "greeting: \"Hello, {name}!\"\n"
    "views: \"{n} views of {page}\"\n";

static const char site_en[] =
    "search: Find\n"
    "nav:\n"
    "  next: Onward\n"
    "added: Site only\n";

static const char theme_ro[] =
    "home: Acasă\n"
    "nav:\n"
    "  next: Următorul\n"
    "items:\n"
    "  one: \"{count} articol\"\n"
    "  few: \"{count} articole\"\n"
    "  other: \"{count} de articole\"\n";

static const char theme_ar[] =
    "home: الرئيسية\n"
    "items:\n"
    "  zero: لا توجد عناصر\n"
    "  one: عنصر واحد\n"
    "  two: عنصران\n"
    "  few: \"{count} عناصر\"\n"
    "  many: \"{count} عنصرًا\"\n"
    "  other: \"{count} عنصر\"\n";

/* Loads text into lang, capturing what diag printed into *err when err is not NULL. */
static int
load(struct catalog *c, size_t lang, const char *path, const char *text, char **err)
{
	test_capture_start();
	int rc = catalog_load(c, lang, path, text, strlen(text));
	char *msg = test_capture_end();
	if (err != NULL) {
		*err = msg;
	} else {
		if (*msg != '\0') {
			fprintf(stderr, "unexpected message loading %s: %s", path, msg);
			test_failed_now = 1;
		}
		free(msg);
	}
	return rc;
}

/* The theme's three catalogs, then the site's English one over them; English is the fallback. */
static struct catalog *
hub(void)
{
	struct catalog *c = catalog_new(NLANGS, EN);
	CHECK(load(c, EN, "themes/default/i18n/en.yaml", theme_en, NULL) == 0);
	CHECK(load(c, RO, "themes/default/i18n/ro.yaml", theme_ro, NULL) == 0);
	CHECK(load(c, AR, "themes/default/i18n/ar.yaml", theme_ar, NULL) == 0);
	CHECK(load(c, EN, "i18n/en.yaml", site_en, NULL) == 0);
	return c;
}

/* catalog_format into a fresh string (the caller frees). */
static char *
fmt(struct catalog *c, size_t lang, struct i18n_locale *loc, const char *key, double count,
    const struct value *vars)
{
	struct buf b = BUF_INIT;
	catalog_format(c, lang, loc, key, count, vars, &b);
	buf_puts(&b, "");
	return buf_detach(&b);
}

#define CHECK_FMT(c, lang, loc, key, count, vars, want)                                   \
	do {                                                                               \
		char *s_ = fmt(c, lang, loc, key, count, vars);                             \
		CHECK_STR(s_, want);                                                       \
		free(s_);                                                                  \
	} while (0)

TEST(test_site_overrides_theme)
{
	struct catalog *c = hub();
	CHECK_STR(catalog_string(c, EN, "search"), "Find");
	CHECK_STR(catalog_string(c, EN, "home"), "Home");
	CHECK_STR(catalog_string(c, EN, "added"), "Site only");
	/* Nested keys merge key by key: the site's nav.next wins, the theme's nav.deep.er stays. */
	CHECK_STR(catalog_string(c, EN, "nav.next"), "Onward");
	CHECK_STR(catalog_string(c, EN, "nav.deep.er"), "Deeper");
	/* The override is English only. */
	CHECK_STR(catalog_string(c, RO, "nav.next"), "Următorul");
	CHECK_STR(catalog_string(c, RO, "home"), "Acasă");
	CHECK_STR(catalog_string(c, AR, "home"), "الرئيسية");
	catalog_free(c);
}

TEST(test_nested_maps_are_flattened)
{
	struct catalog *c = hub();
	CHECK_STR(catalog_string(c, EN, "topics.barnahus"), "Barnahus");
	/* The inner map itself is no entry. */
	CHECK(catalog_get(c, EN, "topics") == NULL);
	CHECK(catalog_get(c, EN, "nav.deep") == NULL);
	CHECK(catalog_get(c, EN, "barnahus") == NULL);
	catalog_free(c);
}

TEST(test_fallback_to_default_language)
{
	struct catalog *c = hub();
	/* Romanian and Arabic lack these: English answers. */
	CHECK_STR(catalog_string(c, RO, "only_en"), "English only");
	CHECK_STR(catalog_string(c, AR, "search"), "Find");
	CHECK_STR(catalog_string(c, AR, "topics.barnahus"), "Barnahus");
	const struct value *v = catalog_get(c, RO, "only_en");
	CHECK(v != NULL && v->type == VALUE_STRING);
	/* A language index out of range falls back too rather than reading past the table. */
	CHECK_STR(catalog_string(c, 99, "home"), "Home");
	catalog_free(c);

	/* A fallback index out of range means no fallback. */
	c = catalog_new(2, 7);
	CHECK(load(c, 0, "a.yaml", "x: A\n", NULL) == 0);
	CHECK(catalog_string(c, 1, "x") == NULL);
	CHECK_STR(catalog_string(c, 0, "x"), "A");
	catalog_free(c);
}

TEST(test_unknown_key)
{
	struct catalog *c = hub();
	struct i18n_locale *en = i18n_locale_new("en");
	CHECK(catalog_string(c, EN, "no.such.key") == NULL);
	CHECK(catalog_get(c, RO, "no.such.key") == NULL);
	/* catalog_format writes the key itself, so a missing string shows in the page. */
	CHECK_FMT(c, EN, en, "no.such.key", NAN, NULL, "no.such.key");
	CHECK_FMT(c, RO, en, "nav.missing", 3, NULL, "nav.missing");
	i18n_locale_free(en);
	catalog_free(c);
}

TEST(test_plural_forms_by_icu_rules)
{
	struct catalog *c = hub();
	struct i18n_locale *en = i18n_locale_new("en"), *ro = i18n_locale_new("ro"),
	                   *ar = i18n_locale_new("ar");
	CHECK_FMT(c, EN, en, "items", 1, NULL, "1 item");
	CHECK_FMT(c, EN, en, "items", 2, NULL, "2 items");
	CHECK_FMT(c, EN, en, "items", 0, NULL, "0 items");
	CHECK_FMT(c, EN, en, "items", 1234, NULL, "1,234 items");

	/* Romanian: 1 one, 2..19 few, 20 other, 102 few again. */
	CHECK_FMT(c, RO, ro, "items", 1, NULL, "1 articol");
	CHECK_FMT(c, RO, ro, "items", 2, NULL, "2 articole");
	CHECK_FMT(c, RO, ro, "items", 19, NULL, "19 articole");
	CHECK_FMT(c, RO, ro, "items", 20, NULL, "20 de articole");
	CHECK_FMT(c, RO, ro, "items", 102, NULL, "102 articole");

	/* Arabic has all six, and writes its own digits. */
	CHECK_FMT(c, AR, ar, "items", 0, NULL, "لا توجد عناصر");
	CHECK_FMT(c, AR, ar, "items", 1, NULL, "عنصر واحد");
	CHECK_FMT(c, AR, ar, "items", 2, NULL, "عنصران");
	CHECK_FMT(c, AR, ar, "items", 3, NULL, "٣ عناصر");
	CHECK_FMT(c, AR, ar, "items", 11, NULL, "١١ عنصرًا");
	CHECK_FMT(c, AR, ar, "items", 100, NULL, "١٠٠ عنصر");

	/* Without a count, the other form, with {count} left as written. */
	CHECK_FMT(c, RO, ro, "items", NAN, NULL, "{count} de articole");
	CHECK_STR(catalog_string(c, RO, "items"), "{count} de articole");
	i18n_locale_free(en);
	i18n_locale_free(ro);
	i18n_locale_free(ar);
	catalog_free(c);
}

TEST(test_plural_map_without_the_form)
{
	struct catalog *c = catalog_new(1, 0);
	struct i18n_locale *ro = i18n_locale_new("ro");
	CHECK(load(c, 0, "ro.yaml", "a:\n  one: un singur\n  other: multe\nb:\n  one: doar unul\n",
	           NULL) == 0);
	/* No few form: other stands in. */
	CHECK_FMT(c, 0, ro, "a", 5, NULL, "multe");
	/* No other either: the first form written. */
	CHECK_FMT(c, 0, ro, "b", 5, NULL, "doar unul");
	CHECK_STR(catalog_string(c, 0, "b"), "doar unul");
	/* A map whose keys are not all plural forms is a nested map, not a plural one. */
	CHECK(load(c, 0, "ro2.yaml", "c:\n  one: x\n  title: y\n", NULL) == 0);
	CHECK(catalog_get(c, 0, "c") == NULL);
	CHECK_STR(catalog_string(c, 0, "c.one"), "x");
	CHECK_STR(catalog_string(c, 0, "c.title"), "y");
	i18n_locale_free(ro);
	catalog_free(c);
}

TEST(test_placeholders_from_vars)
{
	struct catalog *c = hub();
	struct i18n_locale *en = i18n_locale_new("en"), *ar = i18n_locale_new("ar");
	struct value *vars = value_new_map();
	value_map_set_string(vars, "name", "Ana");
	value_map_set_string(vars, "page", "Barnahus");
	value_map_set_int(vars, "n", 12345);

	CHECK_FMT(c, EN, en, "greeting", NAN, vars, "Hello, Ana!");
	/* Numbers in vars are written in the locale's digits too, also when the string itself
	 * comes from the fallback language (Arabic has no "views"). */
	CHECK_FMT(c, EN, en, "views", NAN, vars, "12,345 views of Barnahus");
	CHECK_FMT(c, AR, ar, "views", NAN, vars, "١٢٬٣٤٥ views of Barnahus");
	/* Without vars, or with an unknown name, the placeholder stays as written. */
	CHECK_FMT(c, EN, en, "greeting", NAN, NULL, "Hello, {name}!");
	struct value *other = value_new_map();
	value_map_set_string(other, "who", "x");
	CHECK_FMT(c, EN, en, "greeting", NAN, other, "Hello, {name}!");
	/* A var reached through a ref counts. */
	value_map_set(other, "name", value_new_ref(value_map_get(vars, "name")));
	CHECK_FMT(c, EN, en, "greeting", NAN, other, "Hello, Ana!");
	/* count comes from the argument, not from vars. */
	value_map_set_int(other, "count", 99);
	CHECK_FMT(c, EN, en, "items", 2, other, "2 items");
	/* With no count argument, a count var fills {count}. */
	CHECK_FMT(c, EN, en, "items", NAN, other, "99 items");

	CHECK(load(c, EN, "x.yaml", "open: \"a {b\"\nempty: \"x {} y\"\n", NULL) == 0);
	CHECK_FMT(c, EN, en, "open", NAN, vars, "a {b");
	CHECK_FMT(c, EN, en, "empty", NAN, vars, "x {} y");
	value_free(vars);
	value_free(other);
	i18n_locale_free(en);
	i18n_locale_free(ar);
	catalog_free(c);
}

TEST(test_numeric_value_is_an_error)
{
	struct catalog *c = catalog_new(1, 0);
	char *err;
	CHECK(load(c, 0, "i18n/en.yaml", "ok: Fine\ncount: 5\n", &err) == -1);
	CHECK_STR(err, "i18n/en.yaml:2:8: error: UI string 'count' must be quoted text\n");
	free(err);
	/* The good keys of the file still load. */
	CHECK_STR(catalog_string(c, 0, "ok"), "Fine");
	CHECK(catalog_get(c, 0, "count") == NULL);

	CHECK(load(c, 0, "i18n/en.yaml", "nav:\n  yes_word: true\n  ratio: 1.5\n", &err) == -1);
	CHECK_CONTAINS(err, "i18n/en.yaml:2:13: error: UI string 'nav.yes_word' must be quoted text");
	CHECK_CONTAINS(err, "i18n/en.yaml:3:10: error: UI string 'nav.ratio' must be quoted text");
	free(err);

	CHECK(load(c, 0, "i18n/en.yaml", "menu: [a, b]\n", &err) == -1);
	CHECK_STR(err, "i18n/en.yaml:1:7: error: UI string 'menu' must be text or a map of plural "
	               "forms (one, few, other…)\n");
	free(err);
	catalog_free(c);
}

TEST(test_file_shapes)
{
	struct catalog *c = catalog_new(1, 0);
	char *err;
	/* An empty file is fine and adds nothing. */
	CHECK(load(c, 0, "e.yaml", "", NULL) == 0);
	CHECK(load(c, 0, "e.yaml", "# nothing yet\n", NULL) == 0);
	/* A null value is skipped: the key stays missing. */
	CHECK(load(c, 0, "n.yaml", "todo:\n", NULL) == 0);
	CHECK(catalog_get(c, 0, "todo") == NULL);
	CHECK(load(c, 0, "l.yaml", "- a\n- b\n", &err) == -1);
	CHECK_STR(err, "l.yaml:1:1: error: UI strings must be a mapping of key: text\n");
	free(err);
	CHECK(load(c, 0, "s.yaml", "a: 'x\n", &err) == -1);
	CHECK_CONTAINS(err, "s.yaml:1:4: error: YAML: the single quote that opens this value is never closed");
	free(err);
	/* A language index out of range is refused. */
	CHECK(catalog_load(c, 1, "x.yaml", "a: b\n", 5) == -1);
	catalog_free(c);
	catalog_free(NULL);
}

TEST(test_later_loads_win)
{
	struct catalog *c = catalog_new(1, 0);
	CHECK(load(c, 0, "a.yaml", "k: first\np:\n  one: a\n  other: as\n", NULL) == 0);
	CHECK(load(c, 0, "b.yaml", "k: second\np: plain now\n", NULL) == 0);
	CHECK_STR(catalog_string(c, 0, "k"), "second");
	CHECK_STR(catalog_string(c, 0, "p"), "plain now");
	/* Entries of the first file survive when the second one does not mention them. */
	CHECK(load(c, 0, "c.yaml", "other: x\n", NULL) == 0);
	CHECK_STR(catalog_string(c, 0, "k"), "second");
	catalog_free(c);
}

int
main(void)
{
	RUN(test_site_overrides_theme);
	RUN(test_nested_maps_are_flattened);
	RUN(test_fallback_to_default_language);
	RUN(test_unknown_key);
	RUN(test_plural_forms_by_icu_rules);
	RUN(test_plural_map_without_the_form);
	RUN(test_placeholders_from_vars);
	RUN(test_numeric_value_is_an_error);
	RUN(test_file_shapes);
	RUN(test_later_loads_win);
	i18n_shutdown();
	return TEST_END();
}
