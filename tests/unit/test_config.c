/* Tests for config: a full site.yaml into struct config, the defaults a small one gets, and the
 * exact `site.yaml:line:column: error: ...` messages for what is refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Loads text as site.yaml; *err gets what diag printed (the caller frees). diag prints each
 * message once per run, so its memory is reset first. */
static int
load(const char *text, struct config **out, char **err)
{
	test_capture_start();
	int rc = config_load("site.yaml", text, strlen(text), out);
	*err = test_capture_end();
	return rc;
}

/* A site.yaml that must load without a message. */
static struct config *
ok(const char *text)
{
	struct config *c = NULL;
	char *err;
	if (load(text, &c, &err) != 0 || c == NULL) {
		fprintf(stderr, "site.yaml refused:\n%s\n%s", text, err);
		test_failed_now = 1;
	} else if (*err != '\0') {
		fprintf(stderr, "unexpected message: %s", err);
		test_failed_now = 1;
	}
	free(err);
	return c;
}

/* A site.yaml that must be refused; returns the messages (the caller frees). */
static char *
fails(const char *text)
{
	struct config *c = NULL;
	char *err;
	if (load(text, &c, &err) != -1) {
		fprintf(stderr, "site.yaml accepted but should fail:\n%s\n", text);
		test_failed_now = 1;
	}
	CHECK(c == NULL);
	CHECK(diag_error_count() > 0);
	config_free(c);
	return err;
}

static const char full_site[] =
    "title: Child Hub\n"
    "base_url: https://example.org/hub\n"
    "default_language: bg\n"
    "languages:\n"
    "  - code: en\n"
    "    name: English\n"
    "  - code: bg\n"
    "    name: Български\n"
    "    title: Детски център\n"
    "    locale: bg-BG\n"
    "  - code: ar\n"
    "    name: العربية\n"
    "    direction: rtl\n"
    "  - code: sr-Latn\n"
    "    name: Srpski\n"
    "    direction: ltr\n"
    "taxonomies: [topics, target-groups, age_2]\n"
    "sections:\n"
    "  - guidance\n"
    "  - tools\n"
    "theme: childhub\n"
    "options:\n"
    "  unsafe_html: true\n"
    "  list_untranslated: false\n"
    "  page_size: 50\n"
    "params:\n"
    "  contact: info@example.org\n"
    "  social: [mastodon, rss]\n";

TEST(test_full_site_yaml)
{
	struct config *c = ok(full_site);
	if (c == NULL)
		return;
	CHECK_STR(c->path, "site.yaml");
	CHECK_STR(c->title, "Child Hub");
	CHECK_STR(c->base_url, "https://example.org/hub/");
	CHECK_STR(c->default_lang, "bg");
	CHECK(c->nlangs == 4);

	const struct config_lang *en = &c->langs[0], *bg = &c->langs[1], *ar = &c->langs[2],
	                         *sr = &c->langs[3];
	CHECK_STR(en->code, "en");
	CHECK_STR(en->name, "English");
	CHECK_STR(en->dir, "ltr");
	CHECK_STR(en->locale, "en");
	CHECK_STR(en->title, "Child Hub");
	CHECK(en->index == 0);
	CHECK_STR(bg->code, "bg");
	CHECK_STR(bg->name, "Български");
	CHECK_STR(bg->title, "Детски център");
	CHECK_STR(bg->locale, "bg-BG");
	CHECK_STR(bg->dir, "ltr");
	CHECK(bg->index == 1);
	CHECK_STR(ar->dir, "rtl");
	CHECK_STR(ar->locale, "ar");
	CHECK_STR(ar->name, "العربية");
	CHECK(ar->index == 2);
	CHECK_STR(sr->code, "sr-Latn");
	CHECK_STR(sr->locale, "sr-Latn");
	CHECK(sr->index == 3);

	CHECK(config_lang(c, "bg") == bg);
	CHECK(config_lang(c, "sr-Latn") == sr);
	CHECK(config_lang(c, "fr") == NULL);
	CHECK(config_lang(c, "BG") == NULL);

	CHECK(c->ntaxonomies == 3);
	CHECK_STR(c->taxonomies[0], "topics");
	CHECK_STR(c->taxonomies[1], "target-groups");
	CHECK_STR(c->taxonomies[2], "age_2");
	CHECK(c->nsections == 2);
	CHECK_STR(c->sections[0], "guidance");
	CHECK_STR(c->sections[1], "tools");
	CHECK_STR(c->theme, "childhub");
	CHECK(c->unsafe_html == 1);
	CHECK(c->list_untranslated == 0);
	CHECK(c->page_size == 50);

	CHECK(c->params != NULL && c->params->type == VALUE_MAP);
	CHECK_STR(value_str(value_map_get(c->params, "contact")), "info@example.org");
	CHECK(value_len(value_map_get(c->params, "social")) == 2);
	config_free(c);
}

TEST(test_defaults_of_a_minimal_site)
{
	struct config *c = ok("title: Hub\n");
	if (c == NULL)
		return;
	CHECK_STR(c->title, "Hub");
	CHECK_STR(c->base_url, "/");
	CHECK(c->nlangs == 1);
	CHECK_STR(c->langs[0].code, "en");
	CHECK_STR(c->langs[0].name, "English");
	CHECK_STR(c->langs[0].dir, "ltr");
	CHECK_STR(c->langs[0].locale, "en");
	CHECK_STR(c->langs[0].title, "Hub");
	CHECK(c->langs[0].index == 0);
	CHECK_STR(c->default_lang, "en");
	CHECK_STR(c->theme, "default");
	/* A hub is browsed by these unless site.yaml names its own (or `taxonomies: []`), and by
	 * the tags and categories of sites written for other generators. */
	CHECK(c->ntaxonomies == 9);
	if (c->ntaxonomies == 9) {
		CHECK_STR(c->taxonomies[0], "topics");
		CHECK_STR(c->taxonomies[1], "types");
		CHECK_STR(c->taxonomies[4], "ages");
		CHECK_STR(c->taxonomies[6], "years");
		CHECK_STR(c->taxonomies[7], "tags");
		CHECK_STR(c->taxonomies[8], "categories");
	}
	CHECK(c->nsections == 0);
	CHECK(c->types == NULL);
	CHECK(c->unsafe_html == 0);
	CHECK(c->list_untranslated == 1);
	CHECK(c->page_size == 20);
	CHECK(c->params != NULL && c->params->type == VALUE_MAP && value_len(c->params) == 0);
	config_free(c);

	/* No title at all still gives one. */
	c = ok("base_url: /\n");
	if (c != NULL)
		CHECK_STR(c->title, "Untitled site");
	config_free(c);
}

TEST(test_language_defaults)
{
	struct config *c = ok("title: Hub\n"
	                      "languages:\n"
	                      "  - code: ro\n"
	                      "  - {code: el, name: Ελληνικά}\n"
	                      "  - code: fa\n"
	                      "  - {code: ar, direction: ltr}\n"
	                      "  - {code: sr, locale: sr-Latn}\n");
	if (c == NULL)
		return;
	CHECK(c->nlangs == 5);
	/* The first language is the default one. */
	CHECK_STR(c->default_lang, "ro");
	/* Without a name or direction, ICU's: the language's name in itself, rtl for Persian. */
	CHECK_STR(c->langs[0].name, "Română");
	CHECK_STR(c->langs[0].dir, "ltr");
	CHECK_STR(c->langs[0].locale, "ro");
	CHECK_STR(c->langs[0].title, "Hub");
	CHECK_STR(c->langs[1].name, "Ελληνικά");
	CHECK_STR(c->langs[1].title, "Hub");
	CHECK_STR(c->langs[2].name, "فارسی");
	CHECK_STR(c->langs[2].dir, "rtl");
	/* What site.yaml says wins. */
	CHECK_STR(c->langs[3].name, "العربية");
	CHECK_STR(c->langs[3].dir, "ltr");
	/* Named after its locale. */
	CHECK_STR(c->langs[4].name, "Srpski (latinica)");
	config_free(c);
}

TEST(test_base_url_forms)
{
	struct config *c = ok("base_url: https://example.org\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "https://example.org/");
	config_free(c);
	c = ok("base_url: https://example.org/x/\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "https://example.org/x/");
	config_free(c);
	/* Hugo's spelling is accepted. */
	c = ok("baseURL: https://example.org/hub\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "https://example.org/hub/");
	config_free(c);
	/* base_url wins over baseURL. */
	c = ok("baseURL: https://a.example/\nbase_url: https://b.example/\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "https://b.example/");
	config_free(c);
	c = ok("base_url: ''\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "/");
	config_free(c);
}

/* base_url reaches feeds, sitemaps and links as it is: an http(s) address or nothing. */
TEST(test_base_url_must_be_http)
{
	static const char *const bad[] = {
	    "base_url: javascript:alert(1)//\n", "base_url: ftp://hub.example.org/\n",
	    "base_url: //hub.example.org/\n",    "base_url: hub.example.org\n",
	    "base_url: https://\n",              "base_url: /hub/\n",
	    "base_url: 'https://hub.example.org/\"><script>'\n",
	    "base_url: 'https://hub example.org/'\n", "baseURL: file:///etc/\n",
	    "base_url: 12\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *err = fails(bad[i]);
		CHECK_CONTAINS(err, "site.yaml:1:");
		CHECK_CONTAINS(err, "error: 'base_url' must be a web address that starts with https:// or http://");
		free(err);
	}
	struct config *c = ok("base_url: http://localhost:8000/\n");
	if (c != NULL)
		CHECK_STR(c->base_url, "http://localhost:8000/");
	config_free(c);
}

/* base_url's path is what every URL of the site starts with: plain segments only. */
TEST(test_base_url_path_is_plain)
{
	static const struct {
		const char *yaml, *why;
	} bad[] = {
	    {"base_url: https://x.org/../\n", "no empty, . or .. part"},
	    {"base_url: https://x.org/hub/./\n", "no empty, . or .. part"},
	    {"base_url: https://x.org//hub/\n", "no empty, . or .. part"},
	    {"base_url: https://x.org/a//b/\n", "no empty, . or .. part"},
	    {"base_url: https://x.org/hub?x=1/\n", "no query (?) or fragment (#)"},
	    {"base_url: 'https://x.org/hub#top'\n", "no query (?) or fragment (#)"},
	    {"base_url: https://x.org/h%2Fub/\n", "no %-escaped /"},
	    {"base_url: https://x.org/h%5cub/\n", "no %-escaped /"},
	    {"base_url: https://x.org/%2e%2e/\n", "no %-escaped /"},
	    {"base_url: https://x.org/h%zzub/\n", "a % only as %XX"},
	    {"base_url: https://x.org/hub%\n", "a % only as %XX"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *err = fails(bad[i].yaml);
		CHECK_CONTAINS(err, "site.yaml:1:");
		CHECK_CONTAINS(err, "error: 'base_url' must have ");
		CHECK_CONTAINS(err, bad[i].why);
		free(err);
	}
	static const char *const good[] = {
	    "base_url: https://x.org/hub/\n", "base_url: https://x.org/a/b\n",
	    "base_url: https://x.org/%D1%85%D0%B0%D0%B1/\n", "base_url: https://x.org/v1.2/\n",
	    "base_url: https://x.org\n",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++)
		config_free(ok(good[i]));
}

TEST(test_limits)
{
	struct config *c = ok("limits: {file_size: 200MB, text_size: 64KiB}\n");
	if (c != NULL) {
		CHECK(c->file_size_limit == 200000000ULL);
		CHECK(c->text_size_limit == 65536ULL);
	}
	config_free(c);
	c = ok("limits:\n  file_size: 1.5 GB\n");
	if (c != NULL) {
		CHECK(c->file_size_limit == 1500000000ULL);
		CHECK(c->text_size_limit == 0);
	}
	config_free(c);
	c = ok("title: x\n");
	if (c != NULL)
		CHECK(c->file_size_limit == 0 && c->text_size_limit == 0);
	config_free(c);
	char *err = fails("limits:\n  file_size: lots\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'file_size' must be a size such as 200MB");
	free(err);
	err = fails("limits:\n  file_size: 0\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'file_size' must be a size");
	free(err);
	err = fails("limits:\n  files: 1MB\n");
	CHECK_CONTAINS(err, "site.yaml:2: error: limits: unknown limit 'files'");
	free(err);
	err = fails("limits: 5MB\n");
	CHECK_CONTAINS(err, "site.yaml:1:9: error: 'limits' must be a mapping");
	free(err);
}

TEST(test_empty_params_and_options)
{
	struct config *c = ok("title: Hub\nparams:\noptions:\n");
	if (c == NULL)
		return;
	CHECK(c->params != NULL && c->params->type == VALUE_MAP && value_len(c->params) == 0);
	CHECK(c->list_untranslated == 1);
	CHECK(c->page_size == 20);
	config_free(c);
	c = ok("options:\n  unsafe_html: false\n  page_size: 1\n");
	if (c != NULL)
		CHECK(c->page_size == 1 && c->unsafe_html == 0 && c->list_untranslated == 1);
	config_free(c);
	c = ok("options:\n  page_size: 10000\n");
	if (c != NULL)
		CHECK(c->page_size == 10000);
	config_free(c);
}

TEST(test_unknown_language_code)
{
	char *err = fails("title: Hub\n"
	                  "languages:\n"
	                  "  - code: en\n"
	                  "  - code: xx\n");
	CHECK_STR(err, "site.yaml:4:11: error: unknown language code 'xx'; a key that is not a BCP 47 "
	               "tag needs 'locale:' to say its language ({code: xx, locale: el})\n");
	free(err);
	err = fails("languages:\n  - code: english\n");
	CHECK_STR(err, "site.yaml:2:11: error: unknown language code 'english'; a key that is not a "
	               "BCP 47 tag needs 'locale:' to say its language ({code: english, locale: el})\n");
	free(err);
	/* With locale: a Hugo site's key is the language's part of URLs, if it is fit for one. */
	struct config *c = NULL;
	static const char ok_text[] = "languages:\n  - {code: gr, locale: el}\n  - {code: en}\n";
	CHECK(config_load("site.yaml", ok_text, sizeof ok_text - 1, &c) == 0);
	if (c != NULL) {
		CHECK_STR(c->langs[0].code, "gr");
		CHECK_STR(c->langs[0].tag, "el");
		CHECK_STR(c->langs[1].tag, "en");
		config_free(c);
	}
	err = fails("languages:\n  - {code: g r, locale: el}\n");
	CHECK_CONTAINS(err, "site.yaml:2:12: error: language code 'g r' must be letters, digits and '-'");
	free(err);
	err = fails("languages:\n  - {code: gr, locale: el}\n  - {code: el}\n");
	CHECK_CONTAINS(err, "site.yaml:3:12: error: languages 'gr' and 'el' are both el");
	free(err);
}

TEST(test_duplicate_language)
{
	char *err = fails("languages:\n"
	                  "  - code: en\n"
	                  "  - code: bg\n"
	                  "  - code: en\n");
	CHECK_STR(err, "site.yaml:4:11: error: language 'en' is listed twice\n");
	free(err);
}

TEST(test_bad_direction)
{
	char *err = fails("languages:\n"
	                  "  - code: ar\n"
	                  "    direction: right-to-left\n");
	CHECK_STR(err, "site.yaml:3:16: error: 'direction' must be ltr or rtl, not "
	               "'right-to-left'\n");
	free(err);
	/* Case matters: the value lands in HTML's dir attribute as written. */
	err = fails("languages:\n  - {code: ar, direction: RTL}\n");
	CHECK_CONTAINS(err, "site.yaml:2:27: error: 'direction' must be ltr or rtl, not 'RTL'");
	free(err);
}

TEST(test_bad_locale)
{
	char *err = fails("languages:\n"
	                  "  - code: sr\n"
	                  "    locale: zz_QQ_nonsense\n");
	CHECK_STR(err, "site.yaml:3:13: error: unknown locale 'zz_QQ_nonsense'\n");
	free(err);
}

TEST(test_language_without_code)
{
	char *err = fails("languages:\n"
	                  "  - name: English\n");
	CHECK_STR(err, "site.yaml:2:5: error: language has no 'code'\n");
	free(err);
	err = fails("languages:\n  - en\n");
	CHECK_STR(err, "site.yaml:2:5: error: 'languages entry' must be a mapping, not text\n");
	free(err);
}

TEST(test_languages_not_a_list)
{
	char *err = fails("languages: en\n");
	CHECK_STR(err, "site.yaml:1:12: error: 'languages' must be a non-empty list of {code, name, "
	               "direction, locale}\n");
	free(err);
	err = fails("languages: []\n");
	CHECK_CONTAINS(err, "site.yaml:1:12: error: 'languages' must be a non-empty list");
	free(err);
}

TEST(test_default_language_not_in_list)
{
	char *err = fails("default_language: fr\n"
	                  "languages:\n"
	                  "  - code: en\n"
	                  "  - code: bg\n");
	CHECK_STR(err, "site.yaml:1:19: error: default_language 'fr' is not one of the languages\n");
	free(err);
	/* Without a list, the only language is en. */
	err = fails("default_language: bg\n");
	CHECK_STR(err, "site.yaml:1:19: error: default_language 'bg' is not one of the languages\n");
	free(err);
}

TEST(test_title_of_a_wrong_type)
{
	char *err = fails("title: [Child, Hub]\n");
	CHECK_STR(err, "site.yaml:1:8: error: 'title' must be text, not a list\n");
	free(err);
	err = fails("title:\n  en: Hub\n");
	CHECK_STR(err, "site.yaml:2:3: error: 'title' must be text, not a mapping\n");
	free(err);
	err = fails("languages:\n  - code: en\n    title: true\n");
	CHECK_STR(err, "site.yaml:3:12: error: 'title' must be text, not true\n");
	free(err);
	/* A number is written out as text: a hub may well be called 2030. */
	struct config *c = ok("title: 2030\n");
	if (c != NULL)
		CHECK_STR(c->title, "2030");
	config_free(c);
}

TEST(test_taxonomies_with_a_bad_name)
{
	char *err = fails("taxonomies:\n"
	                  "  - topics\n"
	                  "  - Target Groups\n");
	CHECK_STR(err, "site.yaml:3:5: error: each entry of 'taxonomies' must be a lowercase name "
	               "(a-z, 0-9, '-', '_')\n");
	free(err);
	err = fails("taxonomies: [topics, ../x, '']\n");
	CHECK_CONTAINS(err, "site.yaml:1:22: error: each entry of 'taxonomies' must be a lowercase");
	CHECK_CONTAINS(err, "site.yaml:1:28: error: each entry of 'taxonomies' must be a lowercase");
	free(err);
	err = fails("taxonomies: topics\n");
	CHECK_STR(err, "site.yaml:1:13: error: 'taxonomies' must be a list of names, not text\n");
	free(err);
	err = fails("sections: [guidance, News]\n");
	CHECK_STR(err, "site.yaml:1:22: error: each section must be a lowercase name "
	               "(a-z, 0-9, '-', '_') or {name: NAME, type: TYPE}\n");
	free(err);
}

TEST(test_edit_url)
{
	char *err = fails("edit_url: javascript:alert(1)\n");
	CHECK_CONTAINS(err, "site.yaml:1:11: error: 'edit_url' must be a web address with {path}");
	free(err);
}

/* The header's brand: a logo in static/ and a colour, with the text colour of most contrast. */
TEST(test_brand)
{
	struct config *c = ok("logo: images/logo.svg\nbrand_color: \"#005F61\"\n");
	if (c != NULL) {
		CHECK_STR(c->logo, "images/logo.svg");
		CHECK(c->logo_line == 1 && c->logo_col == 7);
		CHECK_STR(c->brand_color, "#005f61");
		CHECK_STR(c->brand_fg, "#ffffff");
	}
	config_free(c);
	c = ok("brand_color: \"#fc0\"\n"); /* short form; light, so black text */
	if (c != NULL) {
		CHECK_STR(c->brand_color, "#ffcc00");
		CHECK_STR(c->brand_fg, "#000000");
		CHECK(c->logo == NULL);
	}
	config_free(c);
	/* Mid grey: white would give 4.48:1, below AA; black gives 4.69:1. */
	c = ok("brand_color: \"#777777\"\n");
	if (c != NULL)
		CHECK_STR(c->brand_fg, "#000000");
	config_free(c);
	c = ok("title: Hub\n");
	if (c != NULL)
		CHECK(c->brand_color == NULL && c->brand_fg == NULL && c->logo == NULL);
	config_free(c);
	char *err = fails("brand_color: #005f61\n");
	CHECK_STR(err, "site.yaml:1:13: error: 'brand_color' must be a colour written \"#rrggbb\" or "
	               "\"#rgb\", in quotes (brand_color: \"#0b55a3\"; without them YAML reads # as a "
	               "comment), not an empty value\n");
	free(err);
	err = fails("brand_color: teal\n");
	CHECK_CONTAINS(err, "site.yaml:1:14: error: 'brand_color' must be a colour");
	CHECK_CONTAINS(err, "not text");
	free(err);
	err = fails("brand_color: \"#12345g\"\n");
	CHECK_CONTAINS(err, "site.yaml:1:14: error: 'brand_color' must be a colour");
	free(err);
	err = fails("logo: https://cdn.example.org/logo.svg\n");
	CHECK_STR(err, "site.yaml:1:7: error: 'logo' must be a file of this site (in static/), not an "
	               "address: pages load nothing from other hosts, not "
	               "'https://cdn.example.org/logo.svg'\n");
	free(err);
	err = fails("logo: ../../etc/logo.png\n");
	CHECK_CONTAINS(err, "site.yaml:1:7: error: 'logo' must be a path inside static/ without a leading / or ..");
	free(err);
	err = fails("logo: /images/logo.png\n");
	CHECK_CONTAINS(err, "without a leading / or ..");
	free(err);
	err = fails("logo: images/logo.pdf\n");
	CHECK_CONTAINS(err, "'logo' must be an SVG, PNG, JPEG, WebP or GIF image");
	free(err);
	err = fails("logo: [a]\n");
	CHECK_CONTAINS(err, "site.yaml:1:7: error: 'logo' must be the path of an image in static/");
	free(err);
}

TEST(test_theme_given_as_a_path)
{
	char *err = fails("theme: themes/default\n");
	CHECK_STR(err, "site.yaml:1:8: error: 'theme' must be a theme name, not a path\n");
	free(err);
	err = fails("theme: ..\n");
	CHECK_STR(err, "site.yaml:1:8: error: 'theme' must be a theme name, not a path\n");
	free(err);
	err = fails("title: Hub\ntheme: .hidden\n");
	CHECK_STR(err, "site.yaml:2:8: error: 'theme' must be a theme name, not a path\n");
	free(err);
	err = fails("theme: /usr/share/satchel/themes/default\n");
	CHECK_CONTAINS(err, "'theme' must be a theme name, not a path");
	free(err);
}

TEST(test_page_size_out_of_range)
{
	char *err = fails("options:\n  page_size: 0\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'page_size' must be a number from 1 to 10000");
	/* Regression (fixed): type_error writes "not a %s" with value_type_name, so page_size: 0 gives "'page_size'
	 * must be a number from 1 to 10000, not a integer" — wrong article, and 0 is an integer. It
	 * should name the value: "..., not 0". Every type error on an integer reads "not a integer". */
	CHECK_NOT_CONTAINS(err, "not a integer");
	free(err);
	err = fails("options:\n  page_size: 10001\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'page_size' must be a number from 1 to 10000");
	free(err);
	err = fails("options:\n  page_size: -5\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'page_size' must be a number from 1 to 10000");
	free(err);
	err = fails("options:\n  page_size: ten\n");
	CHECK_STR(err, "site.yaml:2:14: error: 'page_size' must be a number from 1 to 10000, not "
	               "text\n");
	free(err);
	err = fails("options:\n  page_size: 2.5\n");
	CHECK_CONTAINS(err, "site.yaml:2:14: error: 'page_size' must be a number from 1 to 10000");
	free(err);
}

TEST(test_options_of_a_wrong_type)
{
	char *err = fails("options:\n  unsafe_html: yes\n");
	CHECK_STR(err, "site.yaml:2:16: error: 'unsafe_html' must be true or false, not text\n");
	free(err);
	err = fails("options: [unsafe_html]\n");
	CHECK_STR(err, "site.yaml:1:10: error: 'options' must be a mapping, not a list\n");
	free(err);
	err = fails("params: [a, b]\n");
	CHECK_STR(err, "site.yaml:1:9: error: 'params' must be a mapping, not a list\n");
	free(err);
}

TEST(test_every_error_is_reported)
{
	char *err = fails("theme: a/b\n"
	                  "languages:\n"
	                  "  - code: en\n"
	                  "    direction: up\n"
	                  "  - code: qq\n"
	                  "options:\n"
	                  "  page_size: 0\n");
	CHECK_CONTAINS(err, "site.yaml:1:8: error: 'theme'");
	CHECK_CONTAINS(err, "site.yaml:4:16: error: 'direction'");
	CHECK_CONTAINS(err, "site.yaml:5:11: error: unknown language code 'qq'");
	CHECK_CONTAINS(err, "site.yaml:7:14: error: 'page_size'");
	CHECK(diag_error_count() == 4);
	free(err);
}

TEST(test_not_a_mapping)
{
	char *err = fails("- title\n- Hub\n");
	CHECK_STR(err, "site.yaml:1:1: error: site.yaml must be a mapping\n");
	free(err);
	/* An empty site.yaml is refused too: it would build a site about nothing. */
	err = fails("");
	CHECK_STR(err, "site.yaml:1: error: site.yaml must be a mapping\n");
	free(err);
	err = fails("title: 'Hub\n");
	CHECK_CONTAINS(err, "site.yaml:1:8: error: YAML: the single quote that opens this value is never "
	                    "closed; end the value with it: title: 'Hub'");
	free(err);
}

TEST(test_unknown_key_is_a_warning)
{
	struct config *c = NULL;
	char *err;
	CHECK(load("title: Hub\nmenu: main\n", &c, &err) == 0);
	CHECK(c != NULL);
	CHECK_STR(err, "site.yaml:2: warning: unknown setting 'menu' ignored\n");
	CHECK(diag_error_count() == 0);
	CHECK(diag_warning_count() == 1);
	config_free(c);
	free(err);

	c = NULL;
	CHECK(load("title: Hub\nextra:\n  a: 1\n", &c, &err) == 0);
	CHECK(c != NULL);
	CHECK_CONTAINS(err, "warning: unknown setting 'extra' ignored");
	/* Regression (fixed): the warning takes the line of the value, not of the key, because yml keeps no key
	 * positions: for "title: Hub\nextra:\n  a: 1\n" it says "site.yaml:3: warning: unknown
	 * setting 'extra' ignored"; the key 'extra' is on line 2. */
	CHECK_CONTAINS(err, "site.yaml:2: warning: unknown setting 'extra' ignored");
	config_free(c);
	free(err);
}

/* A misspelt key, at any level that has a known set of keys, names the closest one. */
TEST(test_unknown_keys_suggest_the_closest)
{
	struct config *c = NULL;
	char *err;
	CHECK(load("title: Hub\nlangauges:\n  - code: en\nBase_URL: /\n", &c, &err) == 0);
	CHECK_CONTAINS(err, "site.yaml:2: warning: unknown setting 'langauges' ignored; did you mean "
	                    "'languages'?");
	CHECK_CONTAINS(err, "site.yaml:4: warning: unknown setting 'Base_URL' ignored; did you mean "
	                    "'base_url'?");
	config_free(c);
	free(err);
	c = NULL;
	CHECK(load("title: Hub\nlanguages:\n  - code: ar\n    directon: rtl\n", &c, &err) == 0);
	CHECK_STR(err, "site.yaml:4: warning: unknown language setting 'directon' ignored; did you mean "
	               "'direction'?\n");
	config_free(c);
	free(err);
	c = NULL;
	CHECK(load("title: Hub\noptions:\n  page_sise: 10\n", &c, &err) == 0);
	CHECK_STR(err, "site.yaml:3: warning: unknown option 'page_sise' ignored; did you mean "
	               "'page_size'?\n");
	config_free(c);
	free(err);
	err = fails("title: Hub\nhistory:\n  contributor: off\n");
	CHECK_CONTAINS(err, "site.yaml:3: error: unknown key 'contributor' in history; did you mean "
	                    "'contributors'?");
	free(err);
	err = fails("title: Hub\nsections:\n  - {name: a, tpye: b}\n");
	CHECK_CONTAINS(err, "site.yaml:3: error: unknown key 'tpye' in a section; did you mean 'type'?");
	free(err);
	err = fails("title: Hub\nlimits:\n  file_sise: 1MB\n");
	CHECK_CONTAINS(err, "limits: unknown limit 'file_sise' (file_size, text_size); did you mean "
	                    "'file_size'?");
	free(err);
	/* Nothing close: the keys it has. */
	err = fails("title: Hub\nhistory:\n  zzzzzz: 1\n");
	CHECK_CONTAINS(err, "unknown key 'zzzzzz' in history; it has contributors and changes");
	free(err);
}

TEST(test_free_accepts_null)
{
	config_free(NULL);
}

TEST(test_derived_language)
{
	struct config *c = ok("languages:\n"
	                      "  - {code: sr, name: Српски, locale: sr-Cyrl}\n"
	                      "  - {code: sr-Latn, from: sr, transliterate: Serbian-Latin/BGN}\n");
	if (c != NULL) {
		CHECK(c->langs[0].from == SIZE_MAX);
		CHECK(c->langs[0].transliterate == NULL);
		CHECK(c->langs[1].from == 0);
		CHECK_STR(c->langs[1].transliterate, "Serbian-Latin/BGN");
		config_free(c);
	}
	char *err = fails("languages:\n  - {code: sr}\n  - {code: sr-Latn, from: sr}\n");
	CHECK_CONTAINS(err, "site.yaml:3:27: error: a derived language needs both 'from'");
	free(err);
	err = fails("languages:\n  - {code: sr}\n  - {code: sr-Latn, from: sr-Latn, transliterate: Any-Latin}\n");
	CHECK_CONTAINS(err, "'from' must name another language of the site that is not derived itself");
	free(err);
	err = fails("languages:\n  - {code: sr}\n  - {code: sr-Latn, from: sr, transliterate: Nope-Nope}\n");
	CHECK_CONTAINS(err, "site.yaml:3:46: error: unknown ICU transform 'Nope-Nope'");
	free(err);
}

int
main(void)
{
	RUN(test_full_site_yaml);
	RUN(test_defaults_of_a_minimal_site);
	RUN(test_language_defaults);
	RUN(test_base_url_forms);
	RUN(test_base_url_must_be_http);
	RUN(test_base_url_path_is_plain);
	RUN(test_limits);
	RUN(test_empty_params_and_options);
	RUN(test_unknown_language_code);
	RUN(test_duplicate_language);
	RUN(test_bad_direction);
	RUN(test_bad_locale);
	RUN(test_language_without_code);
	RUN(test_languages_not_a_list);
	RUN(test_default_language_not_in_list);
	RUN(test_title_of_a_wrong_type);
	RUN(test_taxonomies_with_a_bad_name);
	RUN(test_theme_given_as_a_path);
	RUN(test_edit_url);
	RUN(test_brand);
	RUN(test_page_size_out_of_range);
	RUN(test_options_of_a_wrong_type);
	RUN(test_every_error_is_reported);
	RUN(test_not_a_mapping);
	RUN(test_unknown_key_is_a_warning);
	RUN(test_unknown_keys_suggest_the_closest);
	RUN(test_free_accepts_null);
	RUN(test_derived_language);
	return TEST_END();
}
