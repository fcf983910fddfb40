/* test_cms: the editor's config.yml (cms.h) from a site loaded as a build loads it — each field
 * kind's widget, i18n and shared fields, relations, taxonomies from the terms, the consent rule,
 * required fields, Decap's locales, the base path, YAML that reads back as written — and the
 * checks of site.yaml's cms: block. The YAML is read back with yml_parse, as Decap would read it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cms.h"
#include "config.h"
#include "site.h"
#include "source.h"
#include "test.h"
#include "types.h"
#include "yml.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-cms-XXXXXX";
static struct types theme_types;

static int
read_types(const char *path, const char *text)
{
	struct buf b = BUF_INIT;
	struct value *v = NULL;
	int rc = -1;
	if (text != NULL)
		buf_puts(&b, text);
	if ((text != NULL || fs_read_file(path, &b) == 0) &&
	    yml_parse(path, buf_str(&b), b.len, 0, &v) == 0)
		rc = types_add(&theme_types, path, v);
	value_free(v);
	buf_free(&b);
	return rc;
}

struct fx {
	char *dir;
	struct source *src;
	struct site *s;
	struct catalog *cat;
	struct value *cfg[8]; /* per language: its config.yml read back */
	char *text[8];
};

static const char *const hub_yaml =
    "title: Hub\n"
    "base_url: https://org.example.io/hub/\n"
    "languages:\n"
    "  - {code: en, name: English}\n"
    "  - {code: bg, name: Български}\n"
    "  - {code: el, name: Ελληνικά}\n"
    "  - {code: sr, name: Српски, locale: sr-Cyrl}\n"
    "  - {code: sr-Latn, name: Srpski, locale: sr-Latn, from: sr, transliterate: Serbian-Latin/BGN}\n"
    "  - {code: ar, name: العربية, direction: rtl}\n"
    "taxonomies: [topics, types, tags]\n"
    "sections: [guidance, {name: by-children, type: child-made}, partners, projects,"
    " {name: samples, type: sample}]\n"
    "cms: {backend: local}\n";

/* Loads a site from files (pairs of path and text, NULL-ended) and makes every config. */
static struct fx
load(const char *name, const char *const *files)
{
	struct fx f = {0};
	f.dir = xasprintf("%s/%s", tmp, name);
	for (size_t i = 0; files[i] != NULL; i += 2) {
		char *path = fs_join(f.dir, files[i]);
		if (fs_write_file(path, files[i + 1], strlen(files[i + 1])) < 0)
			test_failed_now = 1;
		free(path);
	}
	struct source_opts o = SOURCE_OPTS_INIT;
	o.site_dir = f.dir;
	test_capture_start();
	int rc = source_open(&f.src, &o) == 0 ? site_load(f.src, &theme_types, 1, &f.s) : -2;
	char *err = test_capture_end();
	if (rc != 0) {
		fprintf(stderr, "site %s did not load:\n%s", name, err);
		test_failed_now = 1;
		free(err);
		return f;
	}
	free(err);
	const struct config *cfg = f.s->cfg;
	f.cat = catalog_new(cfg->nlangs, 0);
	for (size_t l = 0; l < cfg->nlangs && l < 8; l++) {
		struct buf b = BUF_INIT;
		char *path = xasprintf(SATCHEL_SOURCE_DIR "/themes/default/i18n/%s.yaml",
		                       cfg->langs[l].code);
		if (fs_read_file(path, &b) == 0)
			catalog_load(f.cat, l, path, buf_str(&b), b.len);
		free(path);
		buf_reset(&b);
		cms_config(f.s, f.cat, l, &b);
		f.text[l] = buf_detach(&b);
		if (yml_parse("config.yml", f.text[l], strlen(f.text[l]), 0, &f.cfg[l]) < 0) {
			fprintf(stderr, "config.yml of %s does not read back:\n%s", cfg->langs[l].code,
			        f.text[l]);
			test_failed_now = 1;
		}
	}
	return f;
}

static void
fx_free(struct fx *f)
{
	for (size_t l = 0; l < 8; l++) {
		value_free(f->cfg[l]);
		free(f->text[l]);
	}
	catalog_free(f->cat);
	site_free(f->s);
	source_free(f->src);
	free(f->dir);
}

static const struct value *
collection(const struct value *cfg, const char *name)
{
	const struct value *cs = value_map_get(cfg, "collections");
	for (size_t i = 0; cs != NULL && i < cs->u.list.len; i++)
		if (strcmp(value_str(value_map_get(cs->u.list.items[i], "name")), name) == 0)
			return cs->u.list.items[i];
	fprintf(stderr, "no collection %s\n", name);
	return NULL;
}

static const struct value *
field_in(const struct value *fields, const char *name)
{
	for (size_t i = 0; fields != NULL && i < fields->u.list.len; i++)
		if (strcmp(value_str(value_map_get(fields->u.list.items[i], "name")), name) == 0)
			return fields->u.list.items[i];
	return NULL;
}

static const struct value *
field(const struct value *cfg, const char *coll, const char *name)
{
	const struct value *f = field_in(value_map_get(collection(cfg, coll), "fields"), name);
	if (f == NULL) {
		fprintf(stderr, "no field %s in %s\n", name, coll);
		test_failed_now = 1;
	}
	return f;
}

static const char *
str(const struct value *map, const char *key)
{
	const char *s = value_str(value_map_get(map, key));
	return s ? s : "(none)";
}

static int
flag(const struct value *map, const char *key)
{
	const struct value *v = value_map_get(map, key);
	return v != NULL && v->type == VALUE_BOOL ? v->u.b : -1;
}

/* The option values of a select, joined with spaces. The caller frees. */
static char *
options(const struct value *f)
{
	struct buf b = BUF_INIT;
	const struct value *o = value_map_get(f, "options");
	for (size_t i = 0; o != NULL && i < o->u.list.len; i++)
		buf_printf(&b, "%s%s", i ? " " : "", str(o->u.list.items[i], "value"));
	buf_puts(&b, "");
	return buf_detach(&b);
}

static const char *
option_label(const struct value *f, const char *value)
{
	const struct value *o = value_map_get(f, "options");
	for (size_t i = 0; o != NULL && i < o->u.list.len; i++)
		if (strcmp(str(o->u.list.items[i], "value"), value) == 0)
			return str(o->u.list.items[i], "label");
	return "(none)";
}

static const char *const sample_types =
    "sample:\n"
    "  fields:\n"
    "    n: {kind: number}\n"
    "    flag: {kind: bool}\n"
    "    web: {kind: url, shared: true}\n"
    "    refs: {kind: pages}\n"
    "    doc: {kind: file}\n"
    "    who: {kind: texts}\n"
    "    where_from: {kind: countries}\n"
    "    one_country: {kind: country}\n"
    "    tx: {kind: text, required: true}\n"
    "    span: {kind: ages}\n"
    "    when: {kind: date}\n"
    "    level: {kind: choice, values: [introductory, expert]}\n"
    "    partner: {kind: page, to: partner}\n";

static const char *const hub_files[] = {
    "site.yaml", NULL, /* filled in */
    "content/guidance/a/index.md",
    "---\ntitle: A\ntopics: [barnahus, \"yes\", \"key: value # not a comment\"]\n"
    "publisher: partners/p\n---\nText.\n",
    "content/guidance/a/index.bg.md", "---\ntitle: А\n---\nТекст.\n",
    "content/partners/p/index.md", "---\ntitle: P\n---\n",
    "content/projects/q/index.md", "---\ntitle: Q\n---\n",
    "content/samples/s/index.md", "---\ntitle: S\ntx: t\n---\n",
    NULL,
};

static struct fx
hub(const char *name, const char *yaml)
{
	const char *files[sizeof hub_files / sizeof hub_files[0]];
	memcpy(files, hub_files, sizeof files);
	files[1] = yaml;
	return load(name, files);
}

TEST(test_each_field_kind_has_its_widget)
{
	struct fx f = hub("kinds", hub_yaml);
	const struct value *c = f.cfg[0];
	CHECK_STR(str(field(c, "samples", "n"), "widget"), "number");
	CHECK_STR(str(field(c, "samples", "n"), "value_type"), "int");
	CHECK_STR(str(field(c, "samples", "flag"), "widget"), "boolean");
	CHECK_STR(str(field(c, "samples", "web"), "widget"), "string");
	CHECK_STR(value_str(value_map_get(field(c, "samples", "web"), "pattern")->u.list.items[0]),
	          "^https://");
	CHECK_STR(str(field(c, "samples", "refs"), "widget"), "list");
	CHECK_CONTAINS(str(field(c, "samples", "refs"), "hint"), "partners/");
	CHECK_STR(str(field(c, "samples", "doc"), "widget"), "file");
	CHECK_STR(str(field(c, "samples", "who"), "widget"), "list");
	CHECK_STR(str(field(c, "samples", "tx"), "widget"), "string");
	CHECK_STR(str(field(c, "samples", "when"), "widget"), "datetime");
	CHECK_STR(str(field(c, "samples", "when"), "format"), "YYYY-MM-DD");
	CHECK(flag(field(c, "samples", "when"), "time_format") == 0);
	CHECK_STR(str(field(c, "samples", "span"), "widget"), "string");
	const char *re = value_str(value_map_get(field(c, "samples", "span"), "pattern")->u.list.items[0]);
	CHECK_STR(re, "^[0-9]{1,2}( ?[-–] ?[0-9]{1,2}|\\+)?$");
	/* choice: the theme's labels where it has them, the value where not */
	const struct value *lv = field(c, "samples", "level");
	CHECK_STR(str(lv, "widget"), "select");
	char *o = options(lv);
	CHECK_STR(o, "introductory expert");
	free(o);
	CHECK_STR(option_label(lv, "introductory"), "Introductory");
	CHECK_STR(option_label(lv, "expert"), "expert");
	const struct value *lb = field(f.cfg[1], "samples", "level");
	CHECK_STR(option_label(lb, "introductory"), "Начално");
	/* countries: ISO codes, named in the config's language, several for countries */
	const struct value *wc = field(c, "samples", "where_from");
	CHECK_STR(str(wc, "widget"), "select");
	CHECK(flag(wc, "multiple") == 1);
	CHECK_STR(option_label(wc, "GR"), "Greece");
	CHECK_STR(option_label(field(f.cfg[1], "samples", "where_from"), "GR"), "Гърция");
	CHECK_STR(option_label(wc, "XK"), "Kosovo");
	CHECK(flag(field(c, "samples", "one_country"), "multiple") == -1);
	/* summary and transcript are paragraphs; the body Markdown */
	CHECK_STR(str(field(c, "by-children", "transcript"), "widget"), "text");
	CHECK_STR(str(field(c, "guidance", "summary"), "widget"), "text");
	CHECK_STR(str(field(c, "guidance", "body"), "widget"), "markdown");
	/* an image field is Decap's image widget; its description is hinted at */
	CHECK_STR(str(field(c, "guidance", "image"), "widget"), "image");
	CHECK_CONTAINS(str(field(c, "guidance", "image_alt"), "hint"), "Required with an image");
	/* a field of the site's own type without a string: its name made readable */
	CHECK_STR(str(field(c, "samples", "where_from"), "label"), "Where from");
	fx_free(&f);
}

TEST(test_required_fields_are_required)
{
	struct fx f = hub("required", hub_yaml);
	const struct value *c = f.cfg[0];
	CHECK(flag(field(c, "samples", "tx"), "required") == 1);
	CHECK(flag(field(c, "guidance", "title"), "required") == 1);
	CHECK(flag(field(c, "by-children", "pseudonym"), "required") == 1);
	CHECK(flag(field(c, "by-children", "age_range"), "required") == 1);
	CHECK(flag(field(c, "by-children", "country"), "required") == 1);
	/* Decap's fields are required unless they say not: every optional one says so */
	CHECK(flag(field(c, "samples", "n"), "required") == 0);
	CHECK(flag(field(c, "guidance", "summary"), "required") == 0);
	CHECK(flag(field(c, "guidance", "draft"), "required") == 0);
	CHECK(flag(field(c, "guidance", "body"), "required") == 0);
	fx_free(&f);
}

TEST(test_i18n_and_shared_fields)
{
	struct fx f = hub("i18n", hub_yaml);
	const struct value *c = f.cfg[0];
	const struct value *i = value_map_get(c, "i18n");
	CHECK_STR(str(i, "structure"), "multiple_files");
	CHECK_STR(str(i, "default_locale"), "en");
	/* the languages written by hand: not sr-Latn, which the build transliterates */
	const struct value *ls = value_map_get(i, "locales");
	CHECK(ls != NULL && ls->u.list.len == 5);
	CHECK_NOT_CONTAINS(f.text[0], "sr-Latn");
	CHECK(flag(collection(c, "guidance"), "i18n") == 1);
	CHECK_STR(str(collection(c, "guidance"), "path"), "{{slug}}/index");
	CHECK_STR(str(collection(c, "guidance"), "folder"), "content/guidance");
	CHECK(flag(field(c, "guidance", "title"), "i18n") == 1);
	CHECK(flag(field(c, "guidance", "body"), "i18n") == 1);
	CHECK(flag(field(c, "guidance", "summary"), "i18n") == 1);
	CHECK(flag(field(c, "samples", "tx"), "i18n") == 1);
	/* shared: written once, in the source */
	CHECK(flag(field(c, "samples", "web"), "i18n") == 0);
	CHECK(flag(field(c, "guidance", "date"), "i18n") == 0);
	CHECK(flag(field(c, "by-children", "medium"), "i18n") == 0);
	CHECK(flag(field(c, "guidance", "publisher"), "i18n") == 0);
	CHECK(flag(field(c, "guidance", "topics"), "i18n") == 0);
	/* translated_from: kept, per language */
	CHECK_STR(str(field(c, "guidance", "translated_from"), "widget"), "hidden");
	CHECK(flag(field(c, "guidance", "translated_from"), "i18n") == 1);
	/* labels in the config's language */
	CHECK_STR(str(collection(f.cfg[1], "guidance"), "label"), "Насоки");
	CHECK_STR(str(collection(c, "guidance"), "label"), "Guidance");
	fx_free(&f);
}

TEST(test_page_links_are_relations)
{
	struct fx f = hub("relations", hub_yaml);
	const struct value *c = f.cfg[0];
	const struct value *p = field(c, "guidance", "publisher");
	CHECK_STR(str(p, "widget"), "relation");
	CHECK_STR(str(p, "collection"), "partners");
	CHECK_STR(str(p, "value_field"), "{{dirname}}");
	CHECK(flag(p, "multiple") == -1);
	const struct value *pr = field(c, "guidance", "projects");
	CHECK_STR(str(pr, "collection"), "projects");
	CHECK(flag(pr, "multiple") == 1);
	CHECK_STR(str(field(c, "samples", "partner"), "collection"), "partners");
	/* any page: folder names by hand */
	CHECK_STR(str(field(c, "guidance", "related"), "widget"), "list");
	CHECK_STR(str(field(c, "guidance", "easy_read"), "widget"), "string");
	/* the value Decap writes (content/partners/p) names the page for the build */
	const struct group *g = map_get(&f.s->groups_by_key, "guidance/a");
	CHECK(g != NULL && g->nlinks == 1);
	fx_free(&f);
}

TEST(test_content_path_names_a_page)
{
	static const char *const files[] = {
	    "site.yaml", "title: H\nlanguages: [{code: en, name: English}]\n",
	    "content/guidance/a/index.md", "---\ntitle: A\npublisher: content/partners/p\n---\n",
	    "content/partners/p/index.md", "---\ntitle: P\n---\n",
	    NULL,
	};
	struct fx f = load("content-path", files);
	const struct group *g = f.s ? map_get(&f.s->groups_by_key, "guidance/a") : NULL;
	CHECK(g != NULL && g->nlinks == 1 && strcmp(g->links[0].group->key, "partners/p") == 0);
	fx_free(&f);
}

TEST(test_taxonomies_offer_the_terms_that_exist)
{
	struct fx f = hub("terms", hub_yaml);
	const struct value *c = f.cfg[0];
	const struct value *t = field(c, "guidance", "topics");
	CHECK_STR(str(t, "widget"), "select");
	CHECK(flag(t, "multiple") == 1);
	char *o = options(t);
	CHECK_STR(o, "barnahus key: value # not a comment yes");
	free(o);
	CHECK_STR(option_label(t, "barnahus"), "Barnahus");
	CHECK_STR(option_label(field(f.cfg[1], "guidance", "topics"), "barnahus"), "Барнахус");
	/* a taxonomy without terms yet: a list to write them in */
	CHECK_STR(str(field(c, "guidance", "tags"), "widget"), "list");
	/* types fills itself */
	CHECK(field_in(value_map_get(collection(c, "guidance"), "fields"), "types") == NULL);
	fx_free(&f);
}

TEST(test_consent_record_is_required_and_true)
{
	struct fx f = hub("consent", hub_yaml);
	for (size_t l = 0; l < 2; l++) {
		const struct value *c = f.cfg[l];
		const struct value *k = field(c, "by-children", "consent");
		CHECK_STR(str(k, "widget"), "object");
		CHECK(flag(k, "required") == 1);
		CHECK(value_map_get(k, "hint") != NULL);
		const struct value *sub = value_map_get(k, "fields");
		static const char *const agreed[] = {"child", "guardian"};
		for (size_t i = 0; i < 2; i++) {
			const struct value *b = field_in(sub, agreed[i]);
			CHECK_STR(str(b, "widget"), "boolean");
			CHECK(flag(b, "required") == 1);
			const struct value *pat = value_map_get(b, "pattern");
			CHECK(pat != NULL && pat->u.list.len == 2);
			CHECK_STR(value_str(pat->u.list.items[0]), "^true$");
			CHECK(flag(b, "default") == 0 && value_map_get(b, "default") != NULL);
			/* the message in the config's language: English, then Bulgarian */
			CHECK_CONTAINS(value_str(pat->u.list.items[1]), l == 0 ? "consent" : "съгласие");
		}
		CHECK_STR(str(field_in(sub, "given"), "widget"), "datetime");
		CHECK(flag(field_in(sub, "given"), "required") == 1);
		CHECK(flag(field_in(sub, "review"), "required") == 1);
		CHECK(flag(field_in(sub, "recorded_by"), "required") == 1);
		CHECK(flag(field(c, "by-children", "pseudonym"), "required") == 1);
		CHECK(value_map_get(field(c, "by-children", "pseudonym"), "hint") != NULL);
	}
	fx_free(&f);
}

TEST(test_decap_locales)
{
	CHECK_STR(cms_decap_locale("en"), "en");
	CHECK_STR(cms_decap_locale("bg"), "bg");
	CHECK_STR(cms_decap_locale("el"), "gr");
	CHECK_STR(cms_decap_locale("sr"), "sr_Cyrl");
	CHECK_STR(cms_decap_locale("sr-Cyrl"), "sr_Cyrl");
	CHECK_STR(cms_decap_locale("sr-Latn"), "en");
	CHECK_STR(cms_decap_locale("ar"), "en");
	CHECK_STR(cms_decap_locale("pt-BR"), "pt");
	CHECK_STR(cms_decap_locale("nb"), "nb_no");
	CHECK_STR(cms_decap_locale("zh-Hant"), "zh_Hant");
	CHECK_STR(cms_decap_locale("zh"), "zh_Hans");
	CHECK_STR(cms_decap_locale("RO"), "ro");
	CHECK_STR(cms_decap_locale(""), "en");
	struct fx f = hub("locales", hub_yaml);
	static const char *const want[] = {"en", "bg", "gr", "sr_Cyrl", "en", "en"};
	for (size_t l = 0; l < 6; l++)
		if (l != 4) /* sr-Latn has no config of its own, but one can be made */
			CHECK_STR(str(f.cfg[l], "locale"), want[l]);
	fx_free(&f);
}

TEST(test_base_path_in_every_url)
{
	struct fx f = hub("base", hub_yaml);
	const struct value *c = f.cfg[0];
	CHECK_STR(str(value_map_get(c, "backend"), "name"), "proxy");
	CHECK_STR(str(value_map_get(c, "backend"), "proxy_url"), "/hub/api/v1");
	CHECK_STR(str(c, "public_folder"), "/hub/uploads");
	CHECK_STR(str(c, "media_folder"), "static/uploads");
	CHECK_STR(str(c, "site_url"), "https://org.example.io/hub/");
	CHECK_STR(str(collection(c, "guidance"), "public_folder"), "");
	CHECK_CONTAINS(str(value_map_get(value_map_get(c, "backend"), "commit_messages"), "update"),
	               "{{path}}");
	const struct value *slug = value_map_get(c, "slug");
	CHECK_STR(str(slug, "encoding"), "ascii");
	CHECK(flag(slug, "clean_accents") == 1);
	fx_free(&f);
}

TEST(test_hosted_backend_keys)
{
	const char *yaml = "title: Hub\nlanguages: [{code: en, name: English}]\n"
	                   "cms:\n  backend: forgejo\n  repo: hub/site\n  branch: live\n"
	                   "  base_url: https://git.example.org\n"
	                   "  api_root: https://git.example.org/api/v1\n"
	                   "  app_id: 0123abcd\n  auth_type: pkce\n  workflow: editorial\n";
	const char *files[] = {"site.yaml", yaml, NULL};
	struct fx f = load("hosted", files);
	const struct value *b = value_map_get(f.cfg[0], "backend");
	CHECK_STR(str(b, "name"), "forgejo");
	CHECK_STR(str(b, "repo"), "hub/site");
	CHECK_STR(str(b, "branch"), "live");
	CHECK_STR(str(b, "base_url"), "https://git.example.org");
	CHECK_STR(str(b, "api_root"), "https://git.example.org/api/v1");
	CHECK_STR(str(b, "app_id"), "0123abcd");
	CHECK_STR(str(b, "auth_type"), "pkce");
	CHECK(value_map_get(b, "proxy_url") == NULL);
	CHECK_STR(str(f.cfg[0], "publish_mode"), "editorial_workflow");
	CHECK(value_map_get(f.cfg[0], "site_url") == NULL); /* no address yet */
	fx_free(&f);
}

/* Strings that would read back as something else written plain: each reads back the same. */
TEST(test_yaml_reads_back_as_written)
{
	static const char *const hostile[] = {
	    "yes", "no", "on", "null", "~", "true", "123", "0x1F", "1e3", ".inf", "-", "- item",
	    "key: value", "a # b", "#comment", "&anchor", "*alias", "!tag", "|", ">", "'", "\"",
	    "'quoted'", "{a: b}", "[1, 2]", "line\nbreak", " lead", "trail ", "%", "@", "`",
	    "Ελληνικά: «τίτλος»", "---", "...", "? q", "tab\there", "", NULL,
	};
	struct value *m = value_new_map();
	struct value *l = value_new_list();
	for (size_t i = 0; hostile[i] != NULL; i++) {
		value_list_push(l, value_new_string(hostile[i]));
		if (hostile[i][0] != '\0')
			value_map_set_string(m, hostile[i], hostile[i]);
	}
	value_map_set(m, "list", l);
	struct buf b = BUF_INIT;
	CHECK(yml_emit(m, &b) == 0);
	struct value *back = NULL;
	CHECK(yml_parse("emitted", buf_str(&b), b.len, 0, &back) == 0);
	const struct value *bl = value_map_get(back, "list");
	CHECK(bl != NULL && bl->u.list.len == l->u.list.len);
	for (size_t i = 0; bl != NULL && hostile[i] != NULL; i++) {
		const struct value *it = bl->u.list.items[i];
		if (it->type != VALUE_STRING || strcmp(it->u.str.s, hostile[i]) != 0) {
			fprintf(stderr, "'%s' read back as %s\n%s", hostile[i], value_str(it), buf_str(&b));
			test_failed_now = 1;
		}
		if (hostile[i][0] != '\0')
			CHECK_STR(value_str(value_map_get(back, hostile[i])), hostile[i]);
	}
	value_free(back);
	value_free(m);
	buf_free(&b);
	/* the terms of a site, written by partners, as well */
	struct fx f = hub("hostile", hub_yaml);
	CHECK_STR(option_label(field(f.cfg[0], "guidance", "topics"), "yes"), "yes");
	fx_free(&f);
}

/* site.yaml's cms: block: each problem at its line and column; a good one read as written. */
static char *
cms_errors(const char *block, int *rc)
{
	char *yaml = xasprintf("title: Hub\nlanguages: [{code: en, name: English}]\n%s", block);
	struct config *c = NULL;
	test_capture_start();
	*rc = config_load("site.yaml", yaml, strlen(yaml), &c);
	char *err = test_capture_end();
	config_free(c);
	free(yaml);
	return err;
}

TEST(test_cms_block_errors)
{
	static const struct {
		const char *block, *want;
	} bad[] = {
	    {"cms:\n  backend: ftp\n", "site.yaml:4:12: error: cms.backend must be local, github"},
	    {"cms:\n  backnd: local\n", "site.yaml:4: error: unknown key 'backnd' in cms; did you mean 'backend'?"},
	    {"cms:\n  backend: github\n", "site.yaml:4:12: error: cms.backend github needs cms.repo"},
	    {"cms:\n  backend: github\n  repo: justone\n", "site.yaml:5:9: error: cms.repo must be owner/name"},
	    {"cms:\n  backend: gitlab\n  repo: a/b\n  base_url: ftp://x\n", "site.yaml:6:13: error: cms.base_url must be a web address"},
	    {"cms:\n  backend: gitea\n  repo: a/b\n  api_root: \"https://x y\"\n", "site.yaml:6:13: error: cms.api_root must be"},
	    {"cms:\n  branch: ../main\n", "site.yaml:4:11: error: cms.branch must be a branch name"},
	    {"cms:\n  workflow: editorial\n", "site.yaml:4:13: error: cms.workflow: editorial (drafts as pull requests) needs a hosted backend"},
	    {"cms:\n  workflow: fast\n", "site.yaml:4:13: error: cms.workflow must be simple or editorial, not fast"},
	    {"cms:\n  backend: gitlab\n  repo: a/b\n  auth_type: magic\n", "site.yaml:6:14: error: cms.auth_type must be pkce or implicit"},
	    {"cms:\n  app_id: \"x;y\"\n", "site.yaml:4:11: error: cms.app_id must be an OAuth application id"},
	    {"cms: yes\n", "site.yaml:3:6: error: 'cms' must be a mapping such as {backend: local}"},
	    {"cms:\n  backend: gitea\n  repo: a/b\n  workflow: editorial\n", "site.yaml:6:13: error: cms.workflow: editorial is not something Decap's gitea backend does; a Forgejo forge (Codeberg too) has it with backend: forgejo"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int rc;
		char *err = cms_errors(bad[i].block, &rc);
		CHECK(rc == -1);
		CHECK_CONTAINS(err, bad[i].want);
		free(err);
	}
	int rc;
	char *err = cms_errors("cms:\n  backend: github\n  repo: org/hub\n  workflow: editorial\n", &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	err = cms_errors("cms:\n  backend: forgejo\n  repo: org/hub\n  workflow: editorial\n", &rc);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	/* cms: with nothing under it: the local backend */
	const char *yaml = "title: Hub\nlanguages: [{code: en, name: English}]\ncms:\n";
	struct config *c = NULL;
	CHECK(config_load("site.yaml", yaml, strlen(yaml), &c) == 0);
	CHECK(c != NULL && c->cms != NULL && strcmp(c->cms->backend, "local") == 0 &&
	      strcmp(c->cms->branch, "main") == 0 && c->cms->line == 3);
	config_free(c);
	/* without cms: no editor */
	yaml = "title: Hub\nlanguages: [{code: en, name: English}]\n";
	CHECK(config_load("site.yaml", yaml, strlen(yaml), &c) == 0);
	CHECK(c != NULL && c->cms == NULL);
	config_free(c);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL)
		return 1;
	if (read_types(SATCHEL_SOURCE_DIR "/themes/default/types.yaml", NULL) < 0 ||
	    read_types("sample.yaml", sample_types) < 0) {
		fprintf(stderr, "cannot read the content types\n");
		return 1;
	}
	RUN(test_each_field_kind_has_its_widget);
	RUN(test_required_fields_are_required);
	RUN(test_i18n_and_shared_fields);
	RUN(test_page_links_are_relations);
	RUN(test_content_path_names_a_page);
	RUN(test_taxonomies_offer_the_terms_that_exist);
	RUN(test_consent_record_is_required_and_true);
	RUN(test_decap_locales);
	RUN(test_base_path_in_every_url);
	RUN(test_hosted_backend_keys);
	RUN(test_yaml_reads_back_as_written);
	RUN(test_cms_block_errors);
	types_free(&theme_types);
	char *rm = xasprintf("rm -rf %s", tmp);
	int rc = system(rm);
	free(rm);
	(void)rc;
	return TEST_END();
}
