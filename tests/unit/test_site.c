/* Tests for site: sites written to a temporary folder (a plain folder, not a git repository) and
 * loaded through source and site_load. Pins the file-name rules, URLs, translation groups, listing
 * order, taxonomy terms, dates, and how links between content files resolve. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "site.h"
#include "source.h"
#include "test.h"
#include "types.h"
#include "yml.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-site-XXXXXX";
/* Content types the next load checks pages against (NULL: none); see the content-type tests. */
static const struct types *load_types;

/* Captures what diag writes to stderr between capture_start and capture_end. diag prints each
 * message once per run, so its memory is reset first. */
static int capture_off; /* in a child of load_in_child, stderr already goes to a file */

static void
capture_start(void)
{
	if (capture_off)
		diag_reset();
	else
		test_capture_start();
}

/* Restores stderr; returns what was written (the caller frees). */
static char *
capture_end(void)
{
	return capture_off ? xstrdup("") : test_capture_end();
}

/* The published URL of a content file, or NULL. */
static const char *
file_url(const struct map *urls, const char *path)
{
	const struct site_file *f = map_get(urls, path);
	return f ? f->url : NULL;
}

struct fixture {
	char *dir;
	struct source *src;
	struct site *s;
	int rc;    /* site_load's */
	char *err; /* every message source_open and site_load printed */
};

/* Writes the files (pairs of site-relative path and text, then NULL) to tmp/name and loads the
 * site with two threads, so the parallel front matter pass runs too. */
static struct fixture
load(const char *name, const char *const *files)
{
	struct fixture f = {0};
	f.dir = xasprintf("%s/%s", tmp, name);
	for (size_t i = 0; files[i] != NULL; i += 2) {
		char *path = fs_join(f.dir, files[i]);
		if (fs_write_file(path, files[i + 1], strlen(files[i + 1])) < 0) {
			fprintf(stderr, "cannot write %s\n", path);
			test_failed_now = 1;
		}
		free(path);
	}
	struct source_opts o = SOURCE_OPTS_INIT;
	o.site_dir = f.dir;
	capture_start();
	if (source_open(&f.src, &o) == 0)
		f.rc = site_load(f.src, load_types, 2, &f.s);
	else
		f.rc = -2;
	f.err = capture_end();
	return f;
}

static void
fixture_free(struct fixture *f)
{
	site_free(f->s);
	source_free(f->src);
	free(f->err);
	free(f->dir);
}

/* Loads a site that must load without errors. */
static struct fixture
good(const char *name, const char *const *files)
{
	struct fixture f = load(name, files);
	if (f.rc != 0) {
		fprintf(stderr, "site %s did not load (%d):\n%s", name, f.rc, f.err);
		test_failed_now = 1;
	}
	return f;
}

/* Loads a site that must fail to load. */
static struct fixture
bad(const char *name, const char *const *files)
{
	struct fixture f = load(name, files);
	if (f.rc != -1) {
		fprintf(stderr, "site %s loaded but should fail:\n%s", name, f.err);
		test_failed_now = 1;
	}
	return f;
}

/* Loads the site in a child process, so that a crash (a sanitizer abort) fails the calling test
 * instead of ending the run. Returns site_load's result, or -99 when the child died; *err gets
 * everything it printed, sanitizer reports included. */
struct child_load {
	const char *name;
	const char *const *files;
};

static int
child_load(void *arg)
{
	const struct child_load *c = arg;
	capture_off = 1;
	struct fixture f = load(c->name, c->files);
	int code = f.rc == 0 ? 10 : f.rc == -1 ? 11 : 12;
	fixture_free(&f);
	return code;
}

static int
load_in_child(const char *name, const char *const *files, char **err)
{
	struct child_load c = {name, files};
	int code = test_in_child(child_load, &c, err);
	return code == 10 ? 0 : code == 11 ? -1 : -99;
}

static size_t
lang_index(const struct site *s, const char *code)
{
	const struct config_lang *l = config_lang(s->cfg, code);
	return l ? l->index : 0;
}

static struct page *
page(const struct site *s, const char *src)
{
	struct page *p = s ? map_get(&s->pages_by_src, src) : NULL;
	if (p == NULL) {
		fprintf(stderr, "no page from %s\n", src);
		test_failed_now = 1;
	}
	return p;
}

static const char *
url_of(const struct site *s, const char *src)
{
	struct page *p = page(s, src);
	return p ? p->url : NULL;
}

static struct page *
page_at(const struct site *s, const char *lang, const char *url)
{
	return map_get(&s->pages_by_url[lang_index(s, lang)], url);
}

static struct group *
group(const struct site *s, const char *key)
{
	struct group *g = map_get(&s->groups_by_key, key);
	if (g == NULL) {
		fprintf(stderr, "no group '%s'\n", key);
		test_failed_now = 1;
	}
	return g;
}

/* Resolves a link from the page of src, capturing any warning into *warn when not NULL. */
static char *
resolve(const struct site *s, const char *src, const char *url, char **warn)
{
	const struct page *p = page(s, src);
	if (p == NULL)
		return NULL;
	capture_start();
	char *r = site_resolve_link(s, p, url, 1);
	char *w = capture_end();
	if (warn != NULL)
		*warn = w;
	else
		free(w);
	return r;
}

#define CHECK_LINK(s, src, link, want)                                                    \
	do {                                                                               \
		char *r_ = resolve(s, src, link, NULL);                                     \
		CHECK_STR(r_, want);                                                       \
		free(r_);                                                                  \
	} while (0)

#define CHECK_NO_LINK(s, src, link)                                                       \
	do {                                                                               \
		char *r_ = resolve(s, src, link, NULL);                                     \
		if (r_ != NULL) {                                                          \
			fprintf(stderr, "%s:%d: %s resolved to %s, want NULL\n", __FILE__, \
			        __LINE__, link, r_);                                       \
			test_failed_now = 1;                                               \
		}                                                                          \
		free(r_);                                                                  \
	} while (0)

static const char site_yaml[] = "title: Hub\n"
                                "languages:\n"
                                "  - code: en\n"
                                "  - code: bg\n"
                                "  - code: ar\n"
                                "    direction: rtl\n"
                                "taxonomies: [topics]\n"
                                "sections: [tools, guidance]\n";

/* The hub most tests share. */
static const char *const hub_files[] = {
    "site.yaml", site_yaml,
    "content/_index.md", "---\ntitle: Home\n---\nWelcome\n",
    "content/_index.bg.md", "---\ntitle: Начало\n---\n",
    "content/about.md", "---\ntitle: About\n---\n",
    "content/about.bg.md", "---\ntitle: За нас\nslug: За нас\n---\n",
    "content/guidance/_index.md", "---\ntitle: Guidance\n---\n",
    "content/guidance/_index.bg.md", "---\ntitle: Насоки\nslug: nasoki\n---\n",
    "content/guidance/individual-assessment/index.md",
    "---\ntitle: Individual assessment\ndate: 2025-03-14T09:30:00+02:00\n"
    "topics: [Barnahus, Child Rights]\nsummary: Why and how.\n---\nText.\n",
    "content/guidance/individual-assessment/index.bg.md",
    "---\ntitle: Индивидуална оценка\nslug: Индивидуална оценка\n"
    "topics: [Barnahus, Оценка, '']\n---\n\nSee [the tool](../../tools/x/index.md).\n",
    "content/guidance/individual-assessment/checklist.pdf", "%PDF-1.4\n",
    "content/guidance/individual-assessment/img/chart.png", "PNG",
    "content/guidance/leaf.md", "---\ntitle: Leaf\ndate: 2024-02-29\n---\n",
    "content/guidance/leaf.ar.md", "---\ntitle: ورقة\nslug: My Leaf!\n---\n",
    "content/guidance/v1.2.md", "---\ntitle: Version 1.2\n---\n",
    "content/guidance/draft.md", "---\ntitle: Not yet\ndraft: true\n---\n",
    "content/tools/x/index.md", "---\ntitle: Tool X\ntopics: Barnahus\n---\n",
    "content/tools/x/index.bg.md", "---\ntitle: Инструмент X\n---\n",
    "content/tools/y/index.md", "---\ntitle: Tool Y\ntopics: [2025]\n---\n",
    "content/tools/bg-only/index.bg.md", "---\ntitle: Само на български\n---\n",
    "content/tools/ar-bg/index.ar.md", "---\ntitle: عربي\n---\n",
    "content/tools/ar-bg/index.bg.md", "---\ntitle: Български\n---\n",
    "content/news/hello.md", "---\ntitle: Hello\n---\n",
    "content/novini/zdravei.bg.md", "---\ntitle: Здравей\ntranslation_key: news/hello\n---\n",
    "content/files/report.pdf", "%PDF-1.4\n",
    NULL,
};

static struct fixture hub;

TEST(test_hub_loads_with_only_the_folder_warning)
{
	CHECK(hub.rc == 0);
	CHECK(hub.s != NULL && hub.s->cfg != NULL);
	CHECK_CONTAINS(hub.err, "warning: not in a git repository");
	CHECK_NOT_CONTAINS(hub.err, "error:");
}

TEST(test_file_name_rules)
{
	struct site *s = hub.s;
	struct page *p;

	/* content/_index.md is the home page; its key is "". */
	if ((p = page(s, "content/_index.md")) != NULL) {
		CHECK(p->kind == PAGE_HOME);
		CHECK_STR(p->key, "");
		CHECK(p->section == NULL && p->bundle == NULL);
		CHECK_STR(p->url, "/en/");
		CHECK_STR(p->title, "Home");
	}
	CHECK_STR(url_of(s, "content/_index.bg.md"), "/bg/");

	/* _index.md in a folder is that section's page. */
	if ((p = page(s, "content/guidance/_index.md")) != NULL) {
		CHECK(p->kind == PAGE_SECTION);
		CHECK_STR(p->key, "guidance");
		CHECK_STR(p->section, "guidance");
		CHECK(p->bundle == NULL);
		CHECK_STR(p->url, "/en/guidance/");
	}
	if ((p = page(s, "content/guidance/_index.bg.md")) != NULL) {
		CHECK(p->kind == PAGE_SECTION);
		CHECK(p->lang == lang_index(s, "bg"));
		CHECK_STR(p->url, "/bg/guidance/");
	}

	/* index.md in a folder is a page bundle: the folder is the page. */
	if ((p = page(s, "content/guidance/individual-assessment/index.md")) != NULL) {
		CHECK(p->kind == PAGE_REGULAR);
		CHECK_STR(p->key, "guidance/individual-assessment");
		CHECK_STR(p->section, "guidance");
		CHECK_STR(p->bundle, "content/guidance/individual-assessment");
		CHECK(p->lang == lang_index(s, "en"));
		CHECK_STR(p->summary, "Why and how.");
	}

	/* NAME.md is a leaf page; NAME.LANG.md its translation. */
	if ((p = page(s, "content/guidance/leaf.md")) != NULL) {
		CHECK(p->kind == PAGE_REGULAR);
		CHECK_STR(p->key, "guidance/leaf");
		CHECK_STR(p->section, "guidance");
		CHECK(p->bundle == NULL);
		CHECK(p->lang == lang_index(s, "en"));
	}
	if ((p = page(s, "content/guidance/leaf.ar.md")) != NULL) {
		CHECK_STR(p->key, "guidance/leaf");
		CHECK(p->lang == lang_index(s, "ar"));
	}

	/* A top-level page has no section. */
	if ((p = page(s, "content/about.md")) != NULL) {
		CHECK(p->kind == PAGE_REGULAR);
		CHECK_STR(p->key, "about");
		CHECK(p->section == NULL);
	}

	/* A dot that is not a language is part of the name: v1.2.md is an English page. */
	if ((p = page(s, "content/guidance/v1.2.md")) != NULL) {
		CHECK(p->kind == PAGE_REGULAR);
		CHECK_STR(p->key, "guidance/v1.2");
		CHECK(p->lang == lang_index(s, "en"));
	}

	/* Files that are not Markdown are content files, not pages. */
	CHECK(map_get(&s->pages_by_src, "content/files/report.pdf") == NULL);
	int found = 0;
	for (size_t i = 0; i < s->nfiles; i++)
		found += strcmp(s->files[i].path, "content/guidance/individual-assessment/checklist.pdf") == 0;
	CHECK(found == 1);
}

TEST(test_urls)
{
	struct site *s = hub.s;
	CHECK_STR(url_of(s, "content/guidance/individual-assessment/index.md"),
	          "/en/guidance/individual-assessment/");
	/* A translated slug changes only the last part, slugified. */
	CHECK_STR(url_of(s, "content/guidance/individual-assessment/index.bg.md"),
	          "/bg/guidance/индивидуална-оценка/");
	CHECK_STR(url_of(s, "content/guidance/leaf.md"), "/en/guidance/leaf/");
	CHECK_STR(url_of(s, "content/guidance/leaf.ar.md"), "/ar/guidance/my-leaf/");
	CHECK_STR(url_of(s, "content/about.md"), "/en/about/");
	CHECK_STR(url_of(s, "content/about.bg.md"), "/bg/за-нас/");
	/* A section's URL is its folder's: slug is for regular pages only. */
	CHECK_STR(url_of(s, "content/guidance/_index.bg.md"), "/bg/guidance/");
	CHECK_STR(url_of(s, "content/tools/x/index.bg.md"), "/bg/tools/x/");
	/* translation_key joins groups but does not move the page. */
	CHECK_STR(url_of(s, "content/novini/zdravei.bg.md"), "/bg/novini/zdravei/");

	/* pages_by_url finds pages per language. */
	struct page *p = page_at(s, "bg", "/bg/guidance/индивидуална-оценка/");
	CHECK(p != NULL && strcmp(p->src, "content/guidance/individual-assessment/index.bg.md") == 0);
	CHECK(page_at(s, "en", "/bg/guidance/индивидуална-оценка/") == NULL);
	CHECK(page_at(s, "en", "/en/about/") != NULL);
}

TEST(test_dotted_name_url)
{
	/* Regression (fixed): page_url cuts a leaf page's name at its first dot, so content/guidance/v1.2.md (key
	 * "guidance/v1.2", English) gets the URL /en/guidance/v1/ — and v1.2.md next to v1.3.md
	 * collide. It should be /en/guidance/v1.2/ (the key's last part; only a trailing .LANG is
	 * dropped). */
	CHECK_STR(url_of(hub.s, "content/guidance/v1.2.md"), "/en/guidance/v1.2/");
}

TEST(test_dotted_names_do_not_collide)
{
	/* Regression (fixed): see test_dotted_name_url. v1.2.md and v1.3.md both get /en/docs/v1/, so loading fails
	 * with "content/docs/v1.3.md:1: error: this page and content/docs/v1.2.md both have the URL
	 * /en/docs/v1/". They should load as /en/docs/v1.2/ and /en/docs/v1.3/. */
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/docs/v1.2.md", "---\ntitle: '1.2'\n---\n",
	    "content/docs/v1.3.md", "---\ntitle: '1.3'\n---\n",
	    NULL,
	};
	struct fixture f = load("dotted", files);
	CHECK(f.rc == 0);
	CHECK_NOT_CONTAINS(f.err, "both have the URL");
	if (f.rc == 0) {
		CHECK_STR(url_of(f.s, "content/docs/v1.2.md"), "/en/docs/v1.2/");
		CHECK_STR(url_of(f.s, "content/docs/v1.3.md"), "/en/docs/v1.3/");
	}
	fixture_free(&f);
}

TEST(test_translation_groups)
{
	struct site *s = hub.s;
	size_t en = lang_index(s, "en"), bg = lang_index(s, "bg"), ar = lang_index(s, "ar");
	struct group *g = group(s, "guidance/individual-assessment");
	if (g != NULL) {
		CHECK(g->kind == PAGE_REGULAR);
		CHECK(g->pages[en] == page(s, "content/guidance/individual-assessment/index.md"));
		CHECK(g->pages[bg] == page(s, "content/guidance/individual-assessment/index.bg.md"));
		CHECK(g->pages[ar] == NULL);
		CHECK(site_page_in(g, bg) == g->pages[bg]);
		CHECK(site_page_in(g, ar) == NULL);
		/* The primary is the default language's version. */
		CHECK(g->primary == g->pages[en]);
		CHECK(g->pages[en]->group == g && g->pages[bg]->group == g);
		CHECK(s->groups[g->idx] == g);
	}
	/* Without a default-language version, the first language present (in site.yaml order). */
	if ((g = group(s, "tools/bg-only")) != NULL)
		CHECK(g->primary == page(s, "content/tools/bg-only/index.bg.md"));
	if ((g = group(s, "tools/ar-bg")) != NULL)
		CHECK(g->primary == page(s, "content/tools/ar-bg/index.bg.md"));

	/* translation_key joins files from different folders. */
	if ((g = group(s, "news/hello")) != NULL) {
		CHECK(g->pages[en] == page(s, "content/news/hello.md"));
		CHECK(g->pages[bg] == page(s, "content/novini/zdravei.bg.md"));
	}
	CHECK(map_get(&s->groups_by_key, "novini/zdravei") == NULL);

	/* Section and home groups are keyed apart from regular ones. */
	CHECK(map_get(&s->groups_by_key, "guidance") == NULL);
	if ((g = group(s, "guidance\x01")) != NULL) {
		CHECK(g->kind == PAGE_SECTION);
		CHECK(g->pages[bg] != NULL);
	}
	if ((g = group(s, "\x01")) != NULL)
		CHECK(g->kind == PAGE_HOME);

	/* Groups are in key order. */
	for (size_t i = 1; i < s->ngroups; i++)
		CHECK(strcmp(s->groups[i - 1]->key, s->groups[i]->key) <= 0);
}

TEST(test_drafts_are_skipped)
{
	struct site *s = hub.s;
	CHECK(map_get(&s->pages_by_src, "content/guidance/draft.md") == NULL);
	CHECK(map_get(&s->groups_by_key, "guidance/draft") == NULL);
	CHECK(page_at(s, "en", "/en/guidance/draft/") == NULL);
	for (size_t i = 0; i < s->npages; i++)
		CHECK(!s->pages[i]->draft);
}

TEST(test_pages_in_source_order)
{
	struct site *s = hub.s;
	for (size_t i = 1; i < s->npages; i++)
		CHECK(strcmp(s->pages[i - 1]->src, s->pages[i]->src) < 0);
	/* 20 Markdown files, one of them a draft. */
	CHECK(s->npages == 19);
}

TEST(test_sections)
{
	struct site *s = hub.s;
	/* site.yaml's order first (tools, guidance), then the rest by name. */
	CHECK(s->nsections == 3);
	if (s->nsections != 3)
		return;
	CHECK_STR(s->sections[0]->name, "tools");
	CHECK_STR(s->sections[1]->name, "guidance");
	CHECK_STR(s->sections[2]->name, "news");
	CHECK(s->sections[1]->index == group(s, "guidance\x01"));
	CHECK(s->sections[0]->index == NULL);
	/* A page joined by translation_key lists in its group's section, not its folder's. */
	CHECK(s->sections[2]->ngroups == 1);
	/* guidance: dated pages newest first, then the undated, by key; the draft is absent. */
	struct section *g = s->sections[1];
	CHECK(g->ngroups == 3);
	if (g->ngroups == 3) {
		CHECK_STR(g->groups[0]->key, "guidance/individual-assessment");
		CHECK_STR(g->groups[1]->key, "guidance/leaf");
		CHECK_STR(g->groups[2]->key, "guidance/v1.2");
	}
}

TEST(test_dates)
{
	struct site *s = hub.s;
	struct page *p = page(s, "content/guidance/individual-assessment/index.md");
	if (p != NULL) {
		/* 09:30 at +02:00 is 07:30 UTC. */
		CHECK(p->ts == 1741937400);
		CHECK_STR(p->date, "2025-03-14");
	}
	/* A leap day in a leap year. */
	if ((p = page(s, "content/guidance/leaf.md")) != NULL) {
		CHECK(p->ts == 1709164800);
		CHECK_STR(p->date, "2024-02-29");
	}
	if ((p = page(s, "content/about.md")) != NULL) {
		CHECK(p->ts == 0);
		CHECK(p->date == NULL);
	}
}

TEST(test_date_forms)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/d/a.md", "---\ndate: 2025-03-14\n---\n",
	    "content/d/b.md", "---\ndate: 2025-03-14T09:30:00Z\n---\n",
	    "content/d/c.md", "---\ndate: 2025-03-14T09:30\n---\n",
	    "content/d/d.md", "---\ndate: 2025-03-14 09:30:00.250-01:30\n---\n",
	    "content/d/e.md", "---\ndate: '2025-03-14'\n---\n",
	    "content/d/f.md", "---\ndate:\n---\n",
	    NULL,
	};
	struct fixture f = good("dates", files);
	if (f.rc == 0) {
		CHECK(page(f.s, "content/d/a.md")->ts == 1741910400);
		CHECK(page(f.s, "content/d/b.md")->ts == 1741944600);
		CHECK(page(f.s, "content/d/c.md")->ts == 1741944600);
		CHECK(page(f.s, "content/d/d.md")->ts == 1741944600 + 5400);
		CHECK_STR(page(f.s, "content/d/d.md")->date, "2025-03-14");
		CHECK(page(f.s, "content/d/e.md")->ts == 1741910400);
		CHECK(page(f.s, "content/d/f.md")->ts == 0);
	}
	fixture_free(&f);
}

TEST(test_bad_dates)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/news/feb30.md", "---\ntitle: x\ndate: 2025-02-30\n---\n",
	    "content/news/feb29.md", "---\ndate: 2025-02-29\n---\n",
	    "content/news/month13.md", "---\ndate: 2025-13-01\n---\n",
	    "content/news/hour24.md", "---\ndate: 2025-03-14T24:00:00Z\n---\n",
	    "content/news/short.md", "---\ndate: 2025-3-14\n---\n",
	    "content/news/tail.md", "---\ndate: 2025-03-14 noon\n---\n",
	    "content/news/number.md", "---\ndate: 20250314\n---\n",
	    "content/news/ok.md", "---\ndate: 2025-03-14\n---\n",
	    NULL,
	};
	struct fixture f = bad("baddates", files);
	CHECK_CONTAINS(f.err, "content/news/feb30.md:3:7: error: 'date' must be a date such as "
	                      "2025-03-14 or 2025-03-14T09:30:00Z\n");
	CHECK_CONTAINS(f.err, "content/news/feb29.md:2:7: error: 'date' must be a date");
	CHECK_CONTAINS(f.err, "content/news/month13.md:2:7: error: 'date' must be a date");
	CHECK_CONTAINS(f.err, "content/news/hour24.md:2:7: error: 'date' must be a date");
	CHECK_CONTAINS(f.err, "content/news/short.md:2:7: error: 'date' must be a date");
	CHECK_CONTAINS(f.err, "content/news/tail.md:2:7: error: 'date' must be a date");
	CHECK_CONTAINS(f.err, "content/news/number.md:2:7: error: 'date' must be a date");
	CHECK_NOT_CONTAINS(f.err, "content/news/ok.md");
	CHECK(diag_error_count() == 7);
	/* The good page still loads; the bad ones are left out. */
	if (f.s != NULL) {
		CHECK(map_get(&f.s->pages_by_src, "content/news/ok.md") != NULL);
		CHECK(map_get(&f.s->pages_by_src, "content/news/feb30.md") == NULL);
	}
	fixture_free(&f);
}

TEST(test_unknown_language_in_file_name)
{
	static const char *const files[] = {
	    "site.yaml", "languages:\n  - code: en\n  - code: bg\n",
	    "content/guidance/z/index.md", "---\ntitle: Z\n---\n",
	    "content/guidance/z/index.xx.md", "---\ntitle: Z\n---\n",
	    "content/guidance/w.fr.md", "---\ntitle: W\n---\n",
	    NULL,
	};
	struct fixture f = bad("badlang", files);
	CHECK_CONTAINS(f.err, "content/guidance/z/index.xx.md:1: error: unknown language code 'xx' in "
	                      "the file name (site.yaml languages: en, bg)\n");
	/* A real language that the site does not list is refused too. */
	CHECK_CONTAINS(f.err, "content/guidance/w.fr.md:1: error: unknown language code 'fr'");
	if (f.s != NULL)
		CHECK(map_get(&f.s->pages_by_src, "content/guidance/z/index.md") != NULL);
	fixture_free(&f);
}

TEST(test_duplicate_url)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/news/a.md", "---\ntitle: A\nslug: b\n---\n",
	    "content/news/b.md", "---\ntitle: B\n---\n",
	    NULL,
	};
	struct fixture f = bad("dupurl", files);
	CHECK_CONTAINS(f.err, "content/news/b.md:1: error: this page and content/news/a.md both have "
	                      "the URL /en/news/b/\n");
	CHECK(diag_error_count() == 1);
	/* The first one keeps the URL. */
	if (f.s != NULL) {
		struct page *p = page_at(f.s, "en", "/en/news/b/");
		CHECK(p != NULL && strcmp(p->src, "content/news/a.md") == 0);
	}
	fixture_free(&f);

	/* A leaf page and a bundle of the same name. */
	static const char *const files2[] = {
	    "site.yaml", "title: Hub\n",
	    "content/news/a.md", "---\ntitle: A\n---\n",
	    "content/news/a/index.md", "---\ntitle: A\n---\n",
	    NULL,
	};
	f = bad("dupurl2", files2);
	CHECK_CONTAINS(f.err, "content/news/a/index.md:1: error: this page and content/news/a.md both "
	                      "have the URL /en/news/a/");
	fixture_free(&f);
}

TEST(test_two_files_for_one_version)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/news/a.md", "---\ntranslation_key: shared\n---\n",
	    "content/news/b.md", "---\ntranslation_key: shared\n---\n",
	    NULL,
	};
	struct fixture f = bad("dupversion", files);
	CHECK_CONTAINS(f.err, "content/news/b.md:1: error: content/news/a.md is already the en version "
	                      "of 'shared'\n");
	CHECK(diag_error_count() == 1);
	if (f.s != NULL) {
		/* The loser is gone from every map. */
		CHECK(page_at(f.s, "en", "/en/news/b/") == NULL);
		CHECK(map_get(&f.s->pages_by_src, "content/news/b.md") == NULL);
	}
	fixture_free(&f);
}

TEST(test_front_matter_field_types)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\ntaxonomies: [topics]\n",
	    "content/a.md", "---\ntitle: [x]\n---\n",
	    "content/b.md", "---\nweight: heavy\n---\n",
	    "content/c.md", "---\ndraft: yes\n---\n",
	    "content/d.md", "---\nslug: '!!!'\n---\n",
	    "content/e.md", "---\ntopics: {a: 1}\n---\n",
	    "content/f.md", "---\ntopics:\n  - ok\n  - [nested]\n---\n",
	    "content/g.md", "---\nsummary: 5\n---\n",
	    "content/h.md", "---\nweight: 1.5\n---\n",
	    "content/i.md", "---\ntitle: [unclosed\n---\n",
	    "content/x/ok.md", "---\ntopics: [fine]\n---\n",
	    NULL,
	};
	struct fixture f = bad("types", files);
	CHECK_CONTAINS(f.err, "content/a.md:2:8: error: 'title' must be text, not a list\n");
	CHECK_CONTAINS(f.err, "content/b.md:2:9: error: 'weight' must be a whole number\n");
	CHECK_CONTAINS(f.err, "content/c.md:2:8: error: 'draft' must be true or false\n");
	CHECK_CONTAINS(f.err, "content/d.md:2:7: error: 'slug' has no letters or digits to use\n");
	CHECK_CONTAINS(f.err, "content/e.md:2:9: error: 'topics' must be a list of names\n");
	CHECK_CONTAINS(f.err, "content/f.md:4:5: error: each of 'topics' must be a name, not a list\n");
	CHECK_CONTAINS(f.err, "content/g.md:2:10: error: 'summary' must be text, not the number 5");
	CHECK_CONTAINS(f.err, "content/h.md:2:9: error: 'weight' must be a whole number\n");
	CHECK_CONTAINS(f.err, "content/i.md:2:8: error: YAML: while parsing a flow sequence");
	CHECK(diag_error_count() == 9);
	fixture_free(&f);
}

TEST(test_listing_order)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/news/a.md", "---\nweight: 2\n---\n",
	    "content/news/b.md", "---\nweight: 1\ndate: 2020-01-01\n---\n",
	    "content/news/c.md", "---\ndate: 2025-01-01\n---\n",
	    "content/news/d.md", "---\ndate: 2025-06-01\n---\n",
	    "content/news/e.md", "no front matter\n",
	    "content/news/f.md", "---\ndate: 2025-06-01\n---\n",
	    "content/news/g.md", "---\nweight: -3\n---\n",
	    "content/news/h/index.md", "---\ndate: 2025-06-01T12:00:00Z\n---\n",
	    NULL,
	};
	struct fixture f = good("order", files);
	if (f.rc != 0 || f.s->nsections != 1) {
		CHECK(!"one section");
		fixture_free(&f);
		return;
	}
	/* Weight first (lowest first, unweighted last), then newest date, then key. */
	static const char *const want[] = {"news/g", "news/b", "news/a", "news/h",
	                                   "news/d", "news/f", "news/c", "news/e"};
	const struct section *sec = f.s->sections[0];
	CHECK_STR(sec->name, "news");
	CHECK(sec->index == NULL);
	CHECK(sec->ngroups == 8);
	for (size_t i = 0; i < 8 && i < sec->ngroups; i++)
		CHECK_STR(sec->groups[i]->key, want[i]);
	/* Every regular group, newest first regardless of weight, then key. */
	static const char *const newest[] = {"news/h", "news/d", "news/f", "news/c",
	                                     "news/b", "news/a", "news/e", "news/g"};
	CHECK(f.s->nregular == 8);
	for (size_t i = 0; i < 8 && i < f.s->nregular; i++)
		CHECK_STR(f.s->regular[i]->key, newest[i]);
	fixture_free(&f);
}

static struct term *
term(const struct taxonomy *tx, const char *name)
{
	char *slug = site_term_slug(name);
	struct term *t = map_get(&tx->by_slug, slug);
	free(slug);
	if (t == NULL) {
		fprintf(stderr, "no term '%s'\n", name);
		test_failed_now = 1;
	}
	return t;
}

TEST(test_taxonomy_terms)
{
	struct site *s = hub.s;
	CHECK(s->cfg->ntaxonomies == 1);
	const struct taxonomy *tx = &s->taxonomies[0];
	CHECK_STR(tx->name, "topics");
	/* Sorted by name, byte order; an empty name is dropped. */
	static const char *const names[] = {"2025", "Barnahus", "Child Rights", "Оценка"};
	CHECK(tx->nterms == 4);
	for (size_t i = 0; i < 4 && i < tx->nterms; i++)
		CHECK_STR(tx->terms[i]->name, names[i]);

	struct term *t = term(tx, "Barnahus");
	if (t != NULL) {
		CHECK_STR(t->slug, "barnahus");
		/* Once per group although both versions name it; a single string counts as a list. */
		CHECK(t->ngroups == 2);
	}
	if ((t = term(tx, "Child Rights")) != NULL)
		CHECK_STR(t->slug, "child-rights");
	if ((t = term(tx, "Оценка")) != NULL) {
		CHECK_STR(t->slug, "оценка");
		CHECK(t->ngroups == 1 && t->groups[0] == group(s, "guidance/individual-assessment"));
	}
	/* A number is a name too. */
	if ((t = term(tx, "2025")) != NULL)
		CHECK(t->ngroups == 1 && t->groups[0] == group(s, "tools/y"));

	/* Each version has its own terms, in the order written; the term's groups are the union. */
	struct group *g = group(s, "guidance/individual-assessment");
	if (g != NULL && g->pages[0] != NULL && g->pages[1] != NULL) {
		struct term **en = g->pages[0]->terms[0], **bg = g->pages[1]->terms[0];
		CHECK(en[0] && en[1] && en[2] == NULL);
		if (en[0] && en[1]) {
			CHECK_STR(en[0]->name, "Barnahus");
			CHECK_STR(en[1]->name, "Child Rights");
		}
		CHECK(bg[0] && bg[1] && bg[2] == NULL);
		if (bg[0] && bg[1]) {
			CHECK(bg[0] == en[0]);
			CHECK_STR(bg[1]->name, "Оценка");
			CHECK(site_page_has_term(g->pages[1], 0, bg[1]));
			CHECK(!site_page_has_term(g->pages[0], 0, bg[1]));
		}
	}
	if ((g = group(s, "tools/bg-only")) != NULL) {
		const struct page *p = g->primary;
		CHECK(p->terms[0][0] == NULL);
	}
}

/* 200,000 distinct terms on one page, each written twice: every term once, in order, and in time
 * linear in the terms (each term was compared with every earlier one of the page: 2e10
 * comparisons, far past the alarm under the sanitizers). */
static int
child_many_terms(void *arg)
{
	size_t n = *(const size_t *)arg;
	struct buf page = BUF_INIT;
	alarm(30);
	buf_puts(&page, "---\ntitle: Many\ntopics:\n");
	for (size_t i = 0; i < n; i++)
		buf_printf(&page, "  - t%zu\n  - T%zu\n", i, i); /* the same slug twice */
	buf_puts(&page, "---\nx\n");
	const char *const files[] = {"site.yaml", "title: Hub\ntaxonomies: [topics]\n",
	                             "content/guidance/many.md", buf_str(&page), NULL};
	capture_off = 1;
	struct fixture f = load("many-terms", files);
	int code = 0;
	if (f.rc != 0 || f.s->taxonomies[0].nterms != n)
		code = 1;
	else {
		struct term **t = f.s->groups[0]->primary->terms[0];
		size_t k = 0;
		for (; t[k] != NULL; k++) {
			char want[32];
			snprintf(want, sizeof want, "t%zu", k);
			if (strcmp(t[k]->name, want) != 0)
				break;
		}
		code = k == n ? 0 : 2;
	}
	fixture_free(&f);
	buf_free(&page);
	return code;
}

TEST(test_many_terms_on_one_page_load_in_linear_time)
{
	size_t n = 200000;
	char *err = NULL;
	int rc = test_in_child(child_many_terms, &n, &err);
	CHECK(rc == 0);
	if (rc != 0)
		fprintf(stderr, "%.2000s\n", err);
	free(err);
}

TEST(test_terms_with_the_same_slug)
{
	/* Regression (fixed): terms are told apart by name but published by slug, so "Barnahus" on one page and
	 * "barnahus" on another make two terms with the slug "barnahus", and render writes both to
	 * /en/topics/barnahus/ — the second silently replaces the first. The site should either merge
	 * them into one term or refuse with an error naming both. */
	static const char *const files[] = {
	    "site.yaml", "title: Hub\ntaxonomies: [topics]\n",
	    "content/n/a.md", "---\ntopics: [Barnahus]\n---\n",
	    "content/n/b.md", "---\ntopics: [barnahus]\n---\n",
	    "content/n/c.md", "---\ntopics: [Child Rights]\n---\n",
	    NULL,
	};
	struct fixture f = load("sameslug", files);
	if (f.rc == 0) {
		const struct taxonomy *tx = &f.s->taxonomies[0];
		for (size_t i = 0; i < tx->nterms; i++)
			for (size_t k = i + 1; k < tx->nterms; k++)
				if (strcmp(tx->terms[i]->slug, tx->terms[k]->slug) == 0) {
					fprintf(stderr, "terms '%s' and '%s' share the slug '%s'\n",
					        tx->terms[i]->name, tx->terms[k]->name, tx->terms[i]->slug);
					test_failed_now = 1;
				}
	} else {
		CHECK_CONTAINS(f.err, "Barnahus");
		CHECK_CONTAINS(f.err, "barnahus");
	}
	fixture_free(&f);
}

TEST(test_term_slugs)
{
	char *s = site_term_slug("Child Protection: Why?");
	CHECK_STR(s, "child-protection-why");
	free(s);
	s = site_term_slug("Права на детето");
	CHECK_STR(s, "права-на-детето");
	free(s);
	/* Nothing to use: a fixed stand-in rather than an empty URL part. */
	s = site_term_slug("!!!");
	CHECK_STR(s, "term");
	free(s);
	s = site_term_slug("");
	CHECK_STR(s, "term");
	free(s);
}

TEST(test_content_file_urls)
{
	struct site *s = hub.s;
	/* A file of a bundle is published under the bundle page's URL, even in a subfolder. */
	CHECK_STR(file_url(&s->file_urls, "content/guidance/individual-assessment/checklist.pdf"),
	          "/en/guidance/individual-assessment/checklist.pdf");
	CHECK_STR(file_url(&s->file_urls, "content/guidance/individual-assessment/img/chart.png"),
	          "/en/guidance/individual-assessment/img/chart.png");
	/* A file outside any bundle keeps its path below content/. */
	CHECK_STR(file_url(&s->file_urls, "content/files/report.pdf"), "/files/report.pdf");
}

TEST(test_bundle_with_translation_key_keeps_its_files)
{
	/* Regression (fixed): publish_files finds a file's bundle by looking the folder up in groups_by_key, but a
	 * bundle whose index.md sets translation_key is keyed by that instead. For
	 * content/guidance/x/index.md with "translation_key: shared" and content/guidance/x/a.pdf,
	 * a.pdf is published as /guidance/x/a.pdf (outside any language); it should be
	 * /en/guidance/x/a.pdf, next to the page it belongs to. */
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/guidance/x/index.md", "---\ntitle: X\ntranslation_key: shared\n---\n",
	    "content/guidance/x/a.pdf", "%PDF\n",
	    NULL,
	};
	struct fixture f = good("tkbundle", files);
	if (f.rc == 0) {
		CHECK_STR(url_of(f.s, "content/guidance/x/index.md"), "/en/guidance/x/");
		CHECK_STR(file_url(&f.s->file_urls, "content/guidance/x/a.pdf"), "/en/guidance/x/a.pdf");
	}
	fixture_free(&f);
}

static const char bg_page[] = "content/guidance/individual-assessment/index.bg.md";
static const char en_page[] = "content/guidance/individual-assessment/index.md";

TEST(test_resolve_relative_links)
{
	struct site *s = hub.s;
	/* To the Bulgarian version when there is one. */
	CHECK_LINK(s, bg_page, "../../tools/x/index.md", "/bg/tools/x/");
	CHECK_LINK(s, bg_page, "index.md", "/bg/guidance/индивидуална-оценка/");
	/* To the English one when there is none. */
	CHECK_LINK(s, bg_page, "../../tools/y/index.md", "/en/tools/y/");
	/* From English, to English. */
	CHECK_LINK(s, en_page, "../../tools/x/index.md", "/en/tools/x/");
	/* A link that names a language file stays in that language, from any page. */
	CHECK_LINK(s, en_page, "../../tools/x/index.bg.md", "/bg/tools/x/");
	CHECK_LINK(s, en_page, "index.bg.md#part", "/bg/guidance/индивидуална-оценка/#part");
	/* Fragment and query are kept. */
	CHECK_LINK(s, bg_page, "../../tools/x/index.md#step-2", "/bg/tools/x/#step-2");
	CHECK_LINK(s, bg_page, "../../tools/x/index.md?print=1", "/bg/tools/x/?print=1");
	/* Leaf pages, sections and the home page. */
	CHECK_LINK(s, "content/guidance/leaf.md", "leaf.ar.md", "/ar/guidance/my-leaf/");
	CHECK_LINK(s, "content/guidance/leaf.ar.md", "./leaf.md", "/ar/guidance/my-leaf/");
	CHECK_LINK(s, bg_page, "../_index.md", "/bg/guidance/");
	CHECK_LINK(s, bg_page, "../../_index.md", "/bg/");
	CHECK_LINK(s, "content/about.md", "guidance/leaf.md", "/en/guidance/leaf/");
	/* translation_key: the bg version lives in another folder. */
	CHECK_LINK(s, bg_page, "../../news/hello.md", "/bg/novini/zdravei/");
	/* A folder stands for its page. */
	CHECK_LINK(s, bg_page, "../../tools/x/", "/bg/tools/x/");
	CHECK_LINK(s, bg_page, "../../tools/y", "/en/tools/y/");
	CHECK_LINK(s, bg_page, "../", "/bg/guidance/");
}

TEST(test_resolve_bundle_files)
{
	struct site *s = hub.s;
	CHECK_LINK(s, en_page, "checklist.pdf", "/en/guidance/individual-assessment/checklist.pdf");
	CHECK_LINK(s, bg_page, "checklist.pdf", "/en/guidance/individual-assessment/checklist.pdf");
	CHECK_LINK(s, bg_page, "img/chart.png#x", "/en/guidance/individual-assessment/img/chart.png#x");
	CHECK_LINK(s, bg_page, "../../files/report.pdf", "/files/report.pdf");
}

TEST(test_links_left_as_written)
{
	struct site *s = hub.s;
	CHECK_NO_LINK(s, bg_page, "https://example.org/x.md");
	CHECK_NO_LINK(s, bg_page, "mailto:help@example.org");
	CHECK_NO_LINK(s, bg_page, "tel:+359");
	CHECK_NO_LINK(s, bg_page, "/bg/tools/x/");
	CHECK_NO_LINK(s, bg_page, "//cdn.example.org/a.js");
	CHECK_NO_LINK(s, bg_page, "#section");
	CHECK_NO_LINK(s, bg_page, "?q=1");
	CHECK_NO_LINK(s, bg_page, "");
	/* A file that is not content (and not Markdown) is left alone without a warning. */
	char *warn;
	char *r = resolve(s, bg_page, "../../../static/logo.svg", &warn);
	CHECK(r == NULL);
	CHECK_STR(warn, "");
	free(warn);
	free(r);
}

TEST(test_link_to_missing_page_warns)
{
	struct site *s = hub.s;
	const struct page *p = page(s, bg_page);
	if (p == NULL)
		return;
	capture_start();
	/* Line 2 of the body, which starts on line 6 of the file. */
	char *r = site_resolve_link(s, p, "../../tools/nope/index.md#x", 2);
	char *warn = capture_end();
	CHECK(r == NULL);
	CHECK(p->body_line == 6);
	CHECK_STR(warn, "content/guidance/individual-assessment/index.bg.md:7: warning: link to a "
	                "missing page '../../tools/nope/index.md'\n");
	CHECK(diag_error_count() == 0);
	CHECK(diag_warning_count() == 1);
	free(warn);
	free(r);
	/* A draft is missing too. */
	r = resolve(s, en_page, "../draft.md", &warn);
	CHECK(r == NULL);
	CHECK_CONTAINS(warn, "warning: link to a missing page '../draft.md'");
	free(warn);
	free(r);
}

TEST(test_link_climbing_out_of_the_site)
{
	struct site *s = hub.s;
	char *warn;
	char *r = resolve(s, bg_page, "../../../../../../etc/passwd", &warn);
	CHECK(r == NULL);
	free(warn);
	free(r);
	r = resolve(s, "content/about.md", "../../x.md", &warn);
	CHECK(r == NULL);
	free(warn);
	free(r);
	/* Up and down again to a page is fine. */
	CHECK_LINK(s, "content/about.md", "../content/guidance/leaf.md", "/en/guidance/leaf/");
}

TEST(test_single_language_site)
{
	static const char *const files[] = {
	    "site.yaml", "title: Solo\ntaxonomies: []\n",
	    "content/_index.md", "Home\n",
	    "content/notes/a.md", "A\n",
	    NULL,
	};
	struct fixture f = good("solo", files);
	if (f.rc == 0) {
		CHECK(f.s->cfg->nlangs == 1);
		CHECK_STR(url_of(f.s, "content/_index.md"), "/en/");
		CHECK_STR(url_of(f.s, "content/notes/a.md"), "/en/notes/a/");
		CHECK(f.s->nsections == 1);
		/* Taxonomies turned off: the per-taxonomy tables are still safe to free. */
		CHECK(f.s->cfg->ntaxonomies == 0);
	}
	fixture_free(&f);
}

TEST(test_no_site_yaml)
{
	static const char *const files[] = {"content/a.md", "A\n", NULL};
	struct fixture f = bad("nosite", files);
	CHECK_CONTAINS(f.err, "site.yaml: error: no such file: a site needs site.yaml beside content/");
	fixture_free(&f);

	static const char *const files2[] = {"site.yaml", "languages: []\n", NULL};
	f = bad("badconfig", files2);
	CHECK_CONTAINS(f.err, "site.yaml:1:12: error: 'languages' must be a non-empty list");
	fixture_free(&f);
}

/* Regression (fixed): site_load calls qsort with a NULL array and a zero count whenever a list it sorts is
 * empty. UBSan (the build make check uses) stops on it: "generator/site.c:LINE: runtime error: null
 * pointer passed as argument 1, which is declared to never be null", so build/asan/satchel dies on
 * each of these sites. Each should load (rc 0):
 *   - site.yaml and no content at all: qsort(s->groups) at site.c:598;
 *   - a section with only its _index.md: qsort(sections[i]->groups) at site.c:621;
 *   - only the home page, or only top-level pages (no section at all): qsort(s->sections) in
 *     order_sections at site.c:421 — and, with only home and section pages, qsort(s->regular)
 *     at site.c:624 right after it;
 *   - a taxonomy in site.yaml that no page uses: qsort(tx->terms) at site.c:627.
 * Every qsort in site.c wants a count > 0 guard. */
TEST(test_empty_lists_do_not_crash)
{
	static const char *const empty[] = {"site.yaml", "title: Hub\n", NULL};
	static const char *const index_only[] = {
	    "site.yaml", "title: Hub\n",
	    "content/guidance/_index.md", "---\ntitle: Guidance\n---\n",
	    "content/guidance/a.md", "A\n",
	    "content/tools/_index.md", "---\ntitle: Tools\n---\n",
	    NULL,
	};
	static const char *const no_regular[] = {
	    "site.yaml", "title: Hub\n",
	    "content/_index.md", "Home\n",
	    NULL,
	};
	static const char *const unused_taxonomy[] = {
	    "site.yaml", "title: Hub\ntaxonomies: [topics]\n",
	    "content/x/a.md", "A\n",
	    NULL,
	};
	static const char *const top_level_only[] = {
	    "site.yaml", "title: Hub\n",
	    "content/about.md", "About\n",
	    NULL,
	};
	static const struct {
		const char *name;
		const char *const *files;
	} sites[] = {
	    {"empty", empty},
	    {"indexonly", index_only},
	    {"noregular", no_regular},
	    {"unusedtax", unused_taxonomy},
	    {"toplevel", top_level_only},
	};
	for (size_t i = 0; i < sizeof sites / sizeof sites[0]; i++) {
		char *err;
		int rc = load_in_child(sites[i].name, sites[i].files, &err);
		if (rc != 0 || strstr(err, "runtime error") != NULL) {
			fprintf(stderr, "site '%s' did not load (%s):\n%s", sites[i].name,
			        rc == -99 ? "crashed" : "failed", err);
			test_failed_now = 1;
		}
		free(err);
	}
}

TEST(test_default_language_not_first)
{
	static const char *const files[] = {
	    "site.yaml", "default_language: bg\nlanguages:\n  - code: en\n  - code: bg\n",
	    "content/n/a.md", "---\ntitle: A (bg, no suffix)\n---\n",
	    "content/n/a.en.md", "---\ntitle: A (en)\n---\n",
	    NULL,
	};
	struct fixture f = good("bgdefault", files);
	if (f.rc == 0) {
		/* A file without a language part is in the default language. */
		struct page *p = page(f.s, "content/n/a.md");
		if (p != NULL) {
			CHECK(p->lang == lang_index(f.s, "bg"));
			CHECK_STR(p->url, "/bg/n/a/");
			CHECK(p->group->primary == p);
		}
		CHECK_STR(url_of(f.s, "content/n/a.en.md"), "/en/n/a/");
	}
	fixture_free(&f);
}


/* ---- content types ---- */

/* The default theme's types, as a build reads them. */
static struct types theme_types;

static int
read_theme_types(void)
{
	struct buf b = BUF_INIT;
	struct value *v = NULL;
	int rc = -1;
	if (fs_read_file(SATCHEL_SOURCE_DIR "/themes/default/types.yaml", &b) == 0 &&
	    yml_parse("types.yaml", buf_str(&b), b.len, 0, &v) == 0)
		rc = types_add(&theme_types, "types.yaml", v);
	value_free(v);
	buf_free(&b);
	return rc;
}

static struct group *
group_of(const struct site *s, const char *key)
{
	return map_get(&s->groups_by_key, key);
}

static const char *const typed_yaml =
    "title: Hub\n"
    "languages: [{code: en, name: English}, {code: bg, name: Български}]\n"
    "sections: [guidance, tools, {name: by-children, type: child-made}, {name: training, type: course}, "
    "events, partners, projects]\n";

/* Loads files (whose "site.yaml" entry is NULL: typed_yaml goes there) against the theme's
 * types; good or bad as ok says. */
static struct fixture
typed(const char *name, const char *const *files, size_t n, int ok)
{
	const char **fs = xcalloc(n + 1, sizeof *fs);
	memcpy(fs, files, n * sizeof *fs);
	fs[1] = typed_yaml;
	load_types = &theme_types;
	struct fixture f = ok ? good(name, fs) : bad(name, fs);
	load_types = NULL;
	free(fs);
	return f;
}

#define TYPED(name, files, ok) typed(name, files, sizeof files / sizeof files[0], ok)

TEST(test_pages_take_their_section_type)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    "content/tools/list/index.md", "---\ntitle: L\ndate: 2025-01-01\nsummary: S\nkind: checklist\n---\n",
	    "content/partners/ngo/index.md", "---\ntitle: NGO\n---\n",
	    "content/partners/other/index.md", "---\ntitle: Other\ntype: project\n---\n",
	    "content/about.md", "---\ntitle: About\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-sections", files, 1);
	if (f.s == NULL)
		return;
	CHECK_STR(group_of(f.s, "tools/list")->type->name, "tool"); /* tools -> tool */
	CHECK_STR(group_of(f.s, "partners/ngo")->type->name, "partner");
	CHECK_STR(group_of(f.s, "partners/other")->type->name, "project"); /* `type:` wins */
	CHECK(group_of(f.s, "about")->type == NULL);
	for (size_t i = 0; i < f.s->nsections; i++)
		if (strcmp(f.s->sections[i]->name, "by-children") == 0)
			CHECK(f.s->sections[i]->type != NULL);
	/* The computed `types` taxonomy (on by default) names resources only. */
	const struct page *p = group_of(f.s, "tools/list")->primary;
	size_t t = 0;
	while (t < f.s->cfg->ntaxonomies && strcmp(f.s->cfg->taxonomies[t], "types") != 0)
		t++;
	CHECK(t < f.s->cfg->ntaxonomies);
	if (t < f.s->cfg->ntaxonomies) {
		CHECK(p->terms[t][0] != NULL && strcmp(p->terms[t][0]->name, "tool") == 0);
		CHECK(group_of(f.s, "partners/ngo")->primary->terms[t][0] == NULL);
	}
	fixture_free(&f);
}

TEST(test_schema_errors_name_file_and_line)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    /* missing required fields, at line 1: a shared one on the source only */
	    "content/by-children/a/index.md", "---\ntitle: A\nmedium: drawing\nage_range: 9-11\ncountry: RS\n---\n",
	    "content/by-children/a/index.bg.md", "---\ntitle: А\n---\n",
	    /* wrong kinds, at the value */
	    "content/tools/b/index.md", "---\ntitle: B\ndate: 2025-01-01\nsummary: S\nkind: poster\n---\n",
	    "content/events/c/index.md", "---\ntitle: C\nstart: soon\nonline: javascript:alert(1)\n---\n",
	    "content/by-children/d/index.md",
	    "---\ntitle: D\ndate: 2025-01-01\nmedium: video\npseudonym: Sky\nage_range: teen\n"
	    "country: Narnia\nvideo: film.mp4\n"
	    "consent: {child: true, guardian: true, given: 2025-01-01, review: 2099-01-01, recorded_by: X}\n---\n",
	    /* a translation that takes the missing video from its source is not told again */
	    "content/by-children/d/index.bg.md", "---\ntitle: Д\n---\n",
	    /* an image without a description in the page's language */
	    "content/by-children/i/index.md",
	    "---\ntitle: I\ndate: 2025-01-01\nmedium: drawing\npseudonym: Sky\nage_range: 9-11\n"
	    "country: RS\nimage: pic.png\n---\n",
	    "content/by-children/i/pic.png", "not really a PNG",
	    /* each other type's fields are checked too */
	    "content/guidance/g/index.md", "---\ntitle: G\nauthors: {a: 1}\n---\n",
	    "content/training/c/index.md", "---\ntitle: C\nlevel: expert\n---\n",
	    "content/training/c/m/index.md", "---\ntitle: M\nduration: [1, 2]\n---\n",
	    "content/projects/p/index.md", "---\ntitle: P\nend: soon\nwebsite: ftp://x.org/\n---\n",
	    "content/partners/q/index.md", "---\ntitle: Q\ncountries: [BG, Yugoslavia]\n---\n",
	    "content/partners/r/index.md", "---\ntitle: R\nlogo: ../../x.svg\n---\n",
	    /* a typo is a warning naming the field meant */
	    "content/partners/e/index.md", "---\ntitle: E\nwebsit: https://example.org/\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-errors", files, 0);
	CHECK_CONTAINS(f.err, "content/by-children/a/index.md:1: error: 'date' is missing: every child-made needs it\n");
	CHECK_CONTAINS(f.err, "content/by-children/a/index.md:1: error: 'pseudonym' is missing: every child-made needs it\n");
	/* both are shared: the translation would take them from its source, which alone is told */
	CHECK_NOT_CONTAINS(f.err, "content/by-children/a/index.bg.md");
	CHECK_CONTAINS(f.err, "content/tools/b/index.md:5:7: error: 'kind' must be one of checklist, "
	                      "assessment-form, roadmap, template, leaflet; not text\n");
	CHECK_CONTAINS(f.err, "content/events/c/index.md:3:8: error: 'start' must be a date");
	CHECK_CONTAINS(f.err, "content/events/c/index.md:4:9: error: 'online' must be a web address");
	CHECK_CONTAINS(f.err, "content/by-children/d/index.md:6:12: error: 'age_range' must be an age range");
	CHECK_CONTAINS(f.err, "content/by-children/d/index.md:7:10: error: 'country' must be an ISO 3166-1");
	CHECK_CONTAINS(f.err, "content/by-children/d/index.md:8:8: error: 'video': there is no file "
	                      "'film.mp4' beside this page\n");
	CHECK_NOT_CONTAINS(f.err, "content/by-children/d/index.bg.md");
	CHECK_CONTAINS(f.err, "content/by-children/i/index.md:8: error: 'image_alt' is missing: describe the image");
	CHECK_CONTAINS(f.err, "content/guidance/g/index.md:3:10: error: 'authors' must be a list, each item text; not a mapping\n");
	CHECK_CONTAINS(f.err, "content/training/c/index.md:3:8: error: 'level' must be one of introductory, intermediate, advanced; not text\n");
	CHECK_CONTAINS(f.err, "content/training/c/m/index.md:3:11: error: 'duration' must be text; not a list\n");
	CHECK_CONTAINS(f.err, "content/projects/p/index.md:3:6: error: 'end' must be a date");
	CHECK_CONTAINS(f.err, "content/projects/p/index.md:4:10: error: 'website' must be a web address starting with https://");
	/* countries is a field of a partner and a taxonomy: one message for it */
	CHECK_CONTAINS(f.err, "content/partners/q/index.md:3:17: error: 'Yugoslavia' in countries is not an ISO 3166-1 country code");
	CHECK_CONTAINS(f.err, "content/partners/r/index.md:3:7: error: 'logo' must be the name of a file beside the page");
	CHECK_CONTAINS(f.err, "content/partners/e/index.md:3: warning: 'websit' is not a field of a "
	                      "partner; did you mean 'website'?\n");
	fixture_free(&f);
}

TEST(test_translations_inherit_shared_fields)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    "content/events/w/index.md",
	    "---\ntitle: W\nstart: 2027-03-18T10:00:00+02:00\nplace: Sofia\ntopics: [a, b]\n---\n",
	    "content/events/w/index.bg.md", "---\ntitle: У\nplace: София\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-inherit", files, 1);
	if (f.s == NULL)
		return;
	const struct page *bg = group_of(f.s, "events/w")->pages[1];
	/* start is shared, place is not: the translation keeps its own place */
	CHECK_STR(value_str(value_map_get(bg->meta, "start")), "2027-03-18T10:00:00+02:00");
	CHECK_STR(value_str(value_map_get(bg->meta, "place")), "София");
	/* taxonomies are inherited too: the Bulgarian version is listed under topic a */
	size_t t = 0;
	while (strcmp(f.s->cfg->taxonomies[t], "topics") != 0)
		t++;
	CHECK(bg->terms[t][0] != NULL && bg->terms[t][1] != NULL && bg->terms[t][2] == NULL);
	fixture_free(&f);
}

TEST(test_page_links_both_ways)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    "content/partners/ngo/index.md", "---\ntitle: NGO\n---\n",
	    "content/projects/p1/index.md", "---\ntitle: P1\npartners: [ngo]\n---\n",
	    /* by folder name, by path and by file */
	    "content/tools/t1/index.md",
	    "---\ntitle: T1\ndate: 2025-01-01\nsummary: S\nkind: roadmap\npublisher: ngo\n"
	    "projects: [projects/p1]\n---\n",
	    "content/tools/t2/index.md",
	    "---\ntitle: T2\ndate: 2025-02-01\nsummary: S\nkind: roadmap\n"
	    "publisher: ../../partners/ngo/index.md\nrelated: [tools/t1]\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-links", files, 1);
	if (f.s == NULL)
		return;
	struct group *ngo = group_of(f.s, "partners/ngo"), *t1 = group_of(f.s, "tools/t1");
	CHECK(t1->nlinks == 2 && t1->links[0].group == ngo && strcmp(t1->links[0].field, "publisher") == 0);
	CHECK(t1->links[1].group == group_of(f.s, "projects/p1"));
	/* the partner is named by two tools' publisher and one project's partners */
	size_t pub = 0, partners = 0;
	for (size_t i = 0; i < ngo->nlinked_by; i++) {
		pub += strcmp(ngo->linked_by[i].field, "publisher") == 0;
		partners += strcmp(ngo->linked_by[i].field, "partners") == 0;
	}
	CHECK(pub == 2 && partners == 1);
	CHECK(group_of(f.s, "tools/t2")->nlinks == 2);
	fixture_free(&f);
}

TEST(test_page_link_errors)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    "content/partners/ngo/index.md", "---\ntitle: NGO\n---\n",
	    "content/tools/t1/index.md",
	    "---\ntitle: T1\ndate: 2025-01-01\nsummary: S\nkind: roadmap\npublisher: nobody\n"
	    "projects: [partners/ngo]\nrelated: [tools/t1]\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-link-errors", files, 0);
	CHECK_CONTAINS(f.err, "content/tools/t1/index.md:6:12: error: 'publisher': there is no partner page 'nobody'");
	CHECK_CONTAINS(f.err, "content/tools/t1/index.md:7:12: error: 'projects' must name a project page; "
	                      "partners/ngo is partner\n");
	CHECK_CONTAINS(f.err, "content/tools/t1/index.md:8:11: error: 'related' names the page itself\n");
	fixture_free(&f);
}

TEST(test_course_modules_are_parts)
{
	static const char *const files[] = {
	    "site.yaml", NULL,
	    "content/training/c/index.md", "---\ntitle: C\ndate: 2025-01-01\nsummary: S\n---\n",
	    "content/training/c/b-second/index.md", "---\ntitle: Two\nweight: 2\n---\n",
	    "content/training/c/a-third/index.md", "---\ntitle: Three\nweight: 3\n---\n",
	    "content/training/c/z-first/index.md", "---\ntitle: One\nweight: 1\n---\n",
	    /* a translated course slug carries its modules along */
	    "content/training/c/index.bg.md", "---\ntitle: К\nslug: kurs\n---\n",
	    "content/training/c/z-first/index.bg.md", "---\ntitle: Едно\nslug: parvo\n---\n",
	    "content/training/c/b-second/index.bg.md", "---\ntitle: Две\n---\n",
	    NULL,
	};
	struct fixture f = TYPED("typed-course", files, 1);
	if (f.s == NULL)
		return;
	struct group *c = group_of(f.s, "training/c");
	CHECK_STR(c->type->name, "course");
	CHECK(c->nparts == 3);
	if (c->nparts == 3) {
		CHECK_STR(c->parts[0]->key, "training/c/z-first"); /* weight order */
		CHECK_STR(c->parts[1]->key, "training/c/b-second");
		CHECK_STR(c->parts[2]->key, "training/c/a-third");
		CHECK_STR(c->parts[0]->type->name, "module");
		CHECK(c->parts[0]->parent == c);
		CHECK_STR(c->parts[0]->pages[1]->url, "/bg/training/kurs/parvo/");
		CHECK_STR(c->parts[1]->pages[1]->url, "/bg/training/kurs/b-second/");
		CHECK_STR(c->parts[1]->pages[0]->url, "/en/training/c/b-second/");
		CHECK(map_get(&f.s->pages_by_url[1], "/bg/training/kurs/parvo/") == c->parts[0]->pages[1]);
		CHECK(map_get(&f.s->pages_by_url[1], "/bg/training/c/parvo/") == NULL);
	}
	/* the section lists the course, not its modules */
	for (size_t i = 0; i < f.s->nsections; i++)
		if (strcmp(f.s->sections[i]->name, "training") == 0)
			CHECK(f.s->sections[i]->ngroups == 1);
	fixture_free(&f);
}

TEST(test_default_taxonomies_and_countries)
{
	static const char *const files[] = {
	    "site.yaml", "title: Hub\n",
	    "content/a.md", "---\ncountries: [BG, xk, rs]\n---\n",
	    "content/b.md", "---\ncountries: [Bulgaria]\n---\n",
	    NULL,
	};
	struct fixture f = bad("default-taxonomies", files);
	CHECK(f.s->cfg->ntaxonomies == 9);
	CHECK_CONTAINS(f.err, "content/b.md:2:13: error: 'Bulgaria' in countries is not an ISO 3166-1 "
	                      "country code");
	CHECK_NOT_CONTAINS(f.err, "content/a.md");
	fixture_free(&f);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	hub = load("hub", hub_files);

	RUN(test_hub_loads_with_only_the_folder_warning);
	if (hub.s != NULL && hub.s->cfg != NULL && hub.rc == 0) {
		RUN(test_file_name_rules);
		RUN(test_urls);
		RUN(test_dotted_name_url);
		RUN(test_translation_groups);
		RUN(test_drafts_are_skipped);
		RUN(test_pages_in_source_order);
		RUN(test_sections);
		RUN(test_dates);
		RUN(test_taxonomy_terms);
		RUN(test_content_file_urls);
		RUN(test_resolve_relative_links);
		RUN(test_resolve_bundle_files);
		RUN(test_links_left_as_written);
		RUN(test_link_to_missing_page_warns);
		RUN(test_link_climbing_out_of_the_site);
	}
	RUN(test_dotted_names_do_not_collide);
	RUN(test_date_forms);
	RUN(test_bad_dates);
	RUN(test_unknown_language_in_file_name);
	RUN(test_duplicate_url);
	RUN(test_two_files_for_one_version);
	RUN(test_front_matter_field_types);
	RUN(test_listing_order);
	RUN(test_term_slugs);
	RUN(test_terms_with_the_same_slug);
	RUN(test_many_terms_on_one_page_load_in_linear_time);
	RUN(test_bundle_with_translation_key_keeps_its_files);
	RUN(test_single_language_site);
	RUN(test_no_site_yaml);
	RUN(test_default_language_not_first);
	RUN(test_empty_lists_do_not_crash);
	if (read_theme_types() == 0) {
		RUN(test_pages_take_their_section_type);
		RUN(test_schema_errors_name_file_and_line);
		RUN(test_translations_inherit_shared_fields);
		RUN(test_page_links_both_ways);
		RUN(test_page_link_errors);
		RUN(test_course_modules_are_parts);
	} else {
		fprintf(stderr, "FAIL: the default theme's types.yaml does not load\n");
		test_failed++;
	}
	RUN(test_default_taxonomies_and_countries);
	types_free(&theme_types);

	fixture_free(&hub);
	if (fs_rm_rf(tmp) < 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	return TEST_END();
}
