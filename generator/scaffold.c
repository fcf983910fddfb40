/* scaffold: `satchel new site DIR` and `satchel new TYPE PATH [--lang LANG]` (see scaffold.h).
 * It reads what a build reads (site.yaml, the theme's types and UI strings) to write files a
 * build accepts without a warning; git goes through source, ICU through i18n. */
#include "scaffold.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "build.h"
#include "engine.h"
#include "config.h"
#include "frontmatter.h"
#include "i18n.h"
#include "source.h"
#include "types.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "yml.h"

/* The sections of a new hub: what the default theme has a type or a layout for, less what needs
 * more than a page to be right (children's works need consent records; courses need modules). */
static const struct {
	const char *name;
	const char *title; /* when the theme's UI strings have none */
	const char *intro;
} new_sections[] = {
    {"guidance", "Guidance",
     "Notes that explain a standard or a practice in plain words. Write one with\n"
     "`satchel new guidance guidance/NAME`.\n"},
    {"tools", "Tools",
     "Checklists, forms and templates to use in daily work. Write one with\n"
     "`satchel new tool tools/NAME`.\n"},
    {"news", "News", "News from the network. Write an item with `satchel new news news/NAME`.\n"},
    {"events", "Events",
     "Workshops, webinars and conferences. Write one with `satchel new event events/NAME`.\n"},
    {"partners", "Partners",
     "The organisations behind the hub. Add one with `satchel new partner partners/NAME`.\n"},
    {"about", "About", NULL},
};
#define NSECTIONS (sizeof new_sections / sizeof new_sections[0])

/* A title a person typed: one line of text. */
static int
title_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return *s != '\0' && i18n_utf8_valid(s, strlen(s), &(size_t){0});
}

/* Writes dir/rel, which must not exist yet. 0, or -1 after reporting. */
static int
create(const char *dir, const char *rel, const struct buf *text)
{
	char *path = fs_join(dir, rel);
	const char *shown = strcmp(dir, ".") == 0 ? rel : path;
	int rc = -1;
	/* Nothing is written through a symbolic link: content/ and its folders are the site's. */
	for (const char *slash = strchr(rel, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
		char *part = xasprintf("%s/%.*s", dir, (int)(slash - rel), rel);
		struct stat st;
		int link = lstat(part, &st) == 0 && S_ISLNK(st.st_mode);
		free(part);
		if (link) {
			diag_error(
			    shown, 0, 0,
			    "%.*s is a symbolic link; satchel new writes nothing through one",
			    (int)(slash - rel), rel);
			goto out;
		}
	}
	rc = fs_create_file(path, buf_str(text), text->len);
	if (rc < 0)
		diag_error(shown, 0, 0,
		           errno == EEXIST ? "already exists; satchel new never writes over a file"
		                           : "cannot write: %s",
		           strerror(errno));
out:
	free(path);
	return rc;
}

/* The theme's name for a UI key in one language (its i18n/LANG.yaml), or NULL. The caller
 * frees. */
static char *
theme_string(const char *theme_dir, const char *lang, const char *key)
{
	char *rel = xasprintf("i18n/%s.yaml", lang),
	     *path = theme_dir ? fs_join(theme_dir, rel) : NULL;
	struct buf b = BUF_INIT;
	struct value *v = NULL;
	char *out = NULL;
	diag_quiet(1);
	if (path != NULL && fs_read_file(path, &b) == 0 &&
	    yml_parse(path, buf_str(&b), b.len, 0, &v) == 0) {
		const char *s = value_str(value_map_get(v, key));
		if (s != NULL && title_ok(s))
			out = xstrdup(s);
	}
	diag_quiet(0);
	value_free(v);
	buf_free(&b);
	free(path);
	free(rel);
	return out;
}

static int
dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;
	if (d == NULL)
		return 0;
	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	closedir(d);
	return empty;
}

static void
free_langs(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "en,bg, ar" into codes; 0, or 2 after reporting a code ICU does not know or one given twice. */
static int
split_langs(const char *list, char ***out, size_t *n)
{
	char *copy = xstrdup(list), *save = NULL;
	*out = NULL;
	*n = 0;
	for (char *t = strtok_r(copy, ", ", &save); t != NULL; t = strtok_r(NULL, ", ", &save)) {
		int twice = 0;
		for (size_t i = 0; i < *n; i++)
			twice |= strcmp((*out)[i], t) == 0;
		if (!i18n_locale_valid(t) || twice) {
			fprintf(
			    stderr,
			    "satchel new: %s language '%s' (--lang takes codes such as en,bg,ar)\n",
			    twice ? "twice the" : "unknown", t);
			free(copy);
			free_langs(*out, *n);
			*out = NULL;
			*n = 0;
			return 2;
		}
		*out = xrealloc(*out, (*n + 1) * sizeof **out);
		(*out)[(*n)++] = xstrdup(t);
	}
	free(copy);
	if (*n == 0) {
		fprintf(stderr, "satchel new: --lang names no language (such as en,bg,ar)\n");
		return 2;
	}
	return 0;
}

static void
site_yaml(struct buf *b, const char *title, char **langs, size_t nlangs)
{
	buf_puts(b, "# The settings of the site; satchel's README describes each.\ntitle: ");
	buf_add_quoted(b, title);
	buf_puts(b,
	         "\n# The address the site will be served at, for feeds and the sitemap, such as\n"
	         "# https://hub.example.org/ (\"/\" until it has one).\nbase_url: /\n");
	buf_printf(b, "default_language: %s\nlanguages:\n", langs[0]);
	for (size_t i = 0; i < nlangs; i++) {
		struct buf name = BUF_INIT;
		i18n_language_autonym(langs[i], &name);
		buf_printf(b, "  - code: %s\n    name: ", langs[i]);
		buf_add_quoted(b, buf_str(&name));
		buf_printf(b, "\n    locale: %s\n", langs[i]);
		if (i18n_is_rtl(langs[i]))
			buf_puts(b, "    direction: rtl\n");
		buf_free(&name);
	}
	buf_puts(b, "# Navigation order. A section's pages follow the theme's content type with "
	            "the section's\n"
	            "# name or its singular (tools -> tool); `satchel new TYPE PATH` writes "
	            "one.\nsections:\n");
	for (size_t i = 0; i < NSECTIONS; i++)
		buf_printf(b, "  - %s\n", new_sections[i].name);
	buf_puts(
	    b,
	    "# What git's record may publish: no names and no commit messages until you choose.\n"
	    "history:\n  contributors: off\n  changes: titles\n");
}

/* A page: front matter with a title and a summary, then its text. */
static void
simple_page(struct buf *b, const char *title, const char *summary, const char *body)
{
	buf_puts(b, "---\ntitle: ");
	buf_add_quoted(b, title);
	if (summary != NULL) {
		buf_puts(b, "\nsummary: ");
		buf_add_quoted(b, summary);
	}
	buf_printf(b, "\n---\n\n%s", body);
}

int
scaffold_site(const char *dir, const struct scaffold_opts *o)
{
	char **langs = NULL, *theme_dir = NULL;
	size_t nlangs = 0, npages = 0;
	const char *title = o->title ? o->title : "Resource hub";
	struct buf b = BUF_INIT;
	char commit[41];
	int rc = split_langs(o->lang ? o->lang : "en", &langs, &nlangs);
	if (rc != 0)
		return rc;
	if (!title_ok(title)) {
		fprintf(stderr, "satchel new: --title must be one line of text\n");
		rc = 2;
		goto out;
	}
	rc = 1;
	if (fs_exists(dir) && (!fs_is_dir(dir) || !dir_is_empty(dir))) {
		diag_error(dir, 0, 0,
		           "is not an empty folder; satchel new site writes a new site into a "
		           "new or empty folder");
		goto out;
	}
	if (fs_mkdir_p(dir) < 0) {
		diag_error(dir, 0, 0, "cannot make the folder: %s", strerror(errno));
		goto out;
	}
	theme_dir = engine_find_theme("default");
	site_yaml(&b, title, langs, nlangs);
	if (create(dir, "site.yaml", &b) < 0)
		goto out;
	buf_reset(&b);
	buf_puts(&b,
	         "# What satchel builds and keeps beside it: never part of the site's history.\n"
	         "/public/\n/.public.*\n*.satchel-*\n");
	if (create(dir, ".gitignore", &b) < 0)
		goto out;
	buf_reset(&b);
	simple_page(
	    &b, title, NULL,
	    "Welcome. This is the home page: write here what the hub is for and whom it serves.\n"
	    "Its sections list their pages by themselves.\n");
	if (create(dir, "content/_index.md", &b) < 0)
		goto out;
	npages++;
	for (size_t i = 0; i < NSECTIONS; i++) {
		char *name = theme_string(theme_dir, langs[0], new_sections[i].name);
		char *rel = xasprintf(new_sections[i].intro ? "content/%s/_index.md"
		                                            : "content/%s/index.md",
		                      new_sections[i].name);
		buf_reset(&b);
		simple_page(&b, name ? name : new_sections[i].title, NULL,
		            new_sections[i].intro
		                ? new_sections[i].intro
		                : "Who runs the hub, how its pages are written and how to "
		                  "take part.\n");
		int failed = create(dir, rel, &b) < 0;
		free(rel);
		free(name);
		if (failed)
			goto out;
		npages++;
	}
	buf_reset(&b);
	buf_printf(&b, "New site: %s\n\nWritten by satchel new site.\n", title);
	if (source_init_commit(dir, buf_str(&b), commit) < 0)
		goto out;
	printf("satchel: a new site in %s: %zu language%s, %zu pages, first commit %.7s\n"
	       "next:    cd %s && satchel build    (satchel help new: how to add pages)\n",
	       dir, nlangs, nlangs == 1 ? "" : "s", npages, commit, dir);
	rc = 0;
out:
	buf_free(&b);
	free(theme_dir);
	free_langs(langs, nlangs);
	return rc;
}

/* ---- a page of a content type ---- */

/* The theme's types, then site.yaml's, as build reads them. */
static int
load_types(struct types *t, const char *site_dir, const struct config *cfg)
{
	char *own = xasprintf("%s/themes/%s", site_dir, cfg->theme),
	     *layouts = fs_join(own, "layouts");
	char *theme_dir = fs_is_dir(layouts) ? xstrdup(own) : engine_find_theme(cfg->theme);
	int rc = -1;
	free(layouts);
	free(own);
	if (theme_dir == NULL) {
		diag_error("site.yaml", 0, 0, "theme '%s' not found", cfg->theme);
		return -1;
	}
	char *path = fs_join(theme_dir, "types.yaml");
	struct buf b = BUF_INIT;
	struct value *v = NULL;
	if (fs_read_file(path, &b) == 0 &&
	    (yml_parse(path, buf_str(&b), b.len, 0, &v) < 0 || types_add(t, path, v) < 0))
		goto out;
	if (cfg->types != NULL && types_add(t, "site.yaml", cfg->types) < 0)
		goto out;
	rc = 0;
out:
	value_free(v);
	buf_free(&b);
	free(path);
	free(theme_dir);
	return rc;
}

/* The type of a section's pages, by the rule site.c applies: site.yaml's, else the type with
 * the section's name or its singular. */
static const struct ctype *
section_type(const struct types *t, const struct config *cfg, const char *name, size_t len)
{
	char *sec = xstrndup(name, len);
	const struct ctype *ct = NULL;
	for (size_t i = 0; i < cfg->nsections && ct == NULL; i++)
		if (strcmp(cfg->sections[i], sec) == 0 && cfg->section_types[i] != NULL)
			ct = types_get(t, cfg->section_types[i]);
	if (ct == NULL)
		ct = types_get(t, sec);
	if (ct == NULL && len > 1 && sec[len - 1] == 's') {
		sec[len - 1] = '\0';
		ct = types_get(t, sec);
	}
	free(sec);
	return ct;
}

/* "interviewing-children" -> "Interviewing children". */
static char *
title_from(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".md") == 0)
		n -= 3;
	char *t = xstrndup(base, n);
	for (char *p = t; *p; p++)
		if (*p == '-' || *p == '_')
			*p = ' ';
	if (t[0] >= 'a' && t[0] <= 'z')
		t[0] = (char)(t[0] - 'a' + 'A');
	return t;
}

static const char *
kind_hint(const struct field *f)
{
	switch (f->kind) {
	case FIELD_TEXT: return "text";
	case FIELD_TEXTS: return "a list of texts";
	case FIELD_DATE: return "a date such as 2025-03-14";
	case FIELD_NUMBER: return "a whole number";
	case FIELD_BOOL: return "true or false";
	case FIELD_URL: return "a web address (https://…)";
	case FIELD_PAGE: return "a page, such as partners/NAME";
	case FIELD_PAGES: return "a list of pages, such as [partners/NAME]";
	case FIELD_FILE: return "a file beside the page";
	case FIELD_CHOICE: return "one of the values";
	case FIELD_COUNTRY: return "a country code such as BG";
	case FIELD_COUNTRIES: return "a list of country codes such as [BG, GR]";
	case FIELD_AGES: return "an age range such as 12-15";
	case FIELD_CONSENT: return "a consent record (child, guardian, given, review, recorded_by)";
	}
	return "";
}

/* A placeholder its kind accepts, so that the new page passes satchel check; 0 when there is
 * none (a page, a file, a consent record must be real). */
static int
placeholder(const struct field *f, struct buf *b)
{
	char day[16];
	time_t now = time(NULL);
	struct tm tm;
	switch (f->kind) {
	case FIELD_TEXT: buf_puts(b, "\"TODO\""); return 1;
	case FIELD_TEXTS: buf_puts(b, "[\"TODO\"]"); return 1;
	case FIELD_DATE:
		gmtime_r(&now, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		buf_puts(b, day);
		return 1;
	case FIELD_NUMBER: buf_puts(b, "0"); return 1;
	case FIELD_BOOL: buf_puts(b, "false"); return 1;
	case FIELD_URL: buf_puts(b, "https://example.org/"); return 1;
	case FIELD_CHOICE: buf_puts(b, f->nvalues ? f->values[0] : "\"\""); return f->nvalues > 0;
	case FIELD_COUNTRY: buf_puts(b, "BG"); return 1;
	case FIELD_COUNTRIES: buf_puts(b, "[BG]"); return 1;
	case FIELD_AGES: buf_puts(b, "\"12-15\""); return 1;
	case FIELD_PAGE:
	case FIELD_PAGES:
	case FIELD_FILE:
	case FIELD_CONSENT: return 0;
	}
	return 0;
}

static void
field_comment(struct buf *b, const struct field *f)
{
	buf_printf(b, "%s", kind_hint(f));
	if (f->kind == FIELD_CHOICE) {
		buf_puts(b, ": ");
		for (size_t i = 0; i < f->nvalues; i++)
			buf_printf(b, "%s%s", i ? ", " : "", f->values[i]);
	}
	if (f->shared)
		buf_puts(b, " (shared by its translations)");
}

/* The new page's text. Sets *missing to the first required field it could not fill. */
static void
new_page(struct buf *b, const struct ctype *ct, const char *title, int named_type,
         const char **missing)
{
	*missing = NULL;
	buf_puts(b, "---\ntitle: ");
	buf_add_quoted(b, title);
	buf_puts(b, "\ndraft: true   # a draft is left out of the site (satchel serve shows it); "
	            "remove this line to publish\n");
	if (named_type)
		buf_printf(b, "type: %s\n", ct->name);
	for (size_t i = 0; i < ct->nfields; i++) {
		const struct field *f = &ct->fields[i];
		if (!f->required)
			continue;
		buf_printf(b, "%s: ", f->name);
		if (!placeholder(f, b) && *missing == NULL)
			*missing = f->name;
		buf_puts(b, "   # required: ");
		field_comment(b, f);
		buf_putc(b, '\n');
	}
	int any = 0;
	for (size_t i = 0; i < ct->nfields; i++) {
		const struct field *f = &ct->fields[i];
		if (f->required)
			continue;
		if (!any++)
			buf_printf(b, "# The other fields of %s %s page:\n",
			           strchr("aeiou", ct->name[0]) ? "an" : "a", ct->name);
		buf_printf(b, "# %s: ", f->name);
		field_comment(b, f);
		buf_putc(b, '\n');
	}
	buf_puts(b, "---\n\nWrite the page here, in Markdown.\n");
}

/* A field as its file writes it: its key's line (one-based) and the lines of its value below it
 * (indented, or the items of a list), up to line `to` at most; comments and blank lines after
 * it belong to what follows. */
static void
copy_field(struct buf *b, const char *text, size_t len, int from, int to)
{
	int line = 1;
	const char *p = text, *end = text + len;
	while (p < end && line <= to) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		if (line > from &&
		    !(*p == ' ' || *p == '\t' || (*p == '-' && (p[1] == ' ' || p[1] == '\n'))))
			break;
		if (line >= from) {
			buf_add(b, p, (size_t)(next - p));
			if (nl == NULL)
				buf_putc(b, '\n');
		}
		p = next;
		line++;
	}
}

static int
is_taxonomy(const struct config *cfg, const char *key)
{
	for (size_t i = 0; i < cfg->ntaxonomies; i++)
		if (strcmp(cfg->taxonomies[i], key) == 0)
			return 1;
	return 0;
}

int
scaffold_translated_from(const char *site_dir, const char *src_rel, const struct buf *text,
                         char out[41])
{
	struct source *src = NULL;
	struct source_opts so = SOURCE_OPTS_INIT;
	so.site_dir = site_dir;
	out[0] = '\0';
	diag_quiet(1); /* a folder outside git is the caller's to report */
	int opened = source_open(&src, &so);
	diag_quiet(0);
	const char *head = opened == 0 ? source_commit(src) : NULL;
	int rc = -1;
	if (head != NULL) {
		/* translated_from names what the translator read: a source with changes HEAD does
		 * not hold would make the translation look newer than it is. */
		struct source *at_head = NULL;
		struct source_opts ho = SOURCE_OPTS_INIT;
		struct buf committed = BUF_INIT;
		ho.site_dir = site_dir;
		ho.ref = head;
		diag_quiet(1);
		int same = source_open(&at_head, &ho) == 0 && source_read(at_head, src_rel, &committed) == 0 &&
		           committed.len == text->len && memcmp(committed.data, text->data, text->len) == 0;
		diag_quiet(0);
		snprintf(out, 41, "%s", head);
		rc = same ? 0 : 1;
		buf_free(&committed);
		source_free(at_head);
	}
	source_free(src);
	return rc;
}

/* The translation of src_rel into lang: title and the words to translate as they are, the
 * shared fields and taxonomies copied, translated_from, a draft; then the source's body. */
static int
write_translation(const char *site_dir, const struct config *cfg, const struct ctype *ct,
                  const char *src_rel, const char *tr_rel, const char *lang)
{
	char *src_path = fs_join(site_dir, src_rel);
	struct buf text = BUF_INIT, out = BUF_INIT;
	struct fm_doc doc = {0};
	int rc = 1;
	if (fs_read_file(src_path, &text) < 0) {
		diag_error(src_rel, 0, 0,
		           "no such page to translate; write it first with satchel new %s",
		           ct->name);
		goto out;
	}
	if (fm_parse(src_rel, buf_str(&text), text.len, &doc) < 0)
		goto out;
	char head[41];
	if (scaffold_translated_from(site_dir, src_rel, &text, head) == 1)
		diag_warning(src_rel, 0, 0, "has changes that are not committed: translated_from "
		                            "names %.7s, which does not hold them; commit the source "
		                            "and set translated_from to that commit",
		             head);
	buf_puts(&out, "---\n");
	const struct value *m = doc.meta;
	int last = doc.body_line - 2; /* the line before the closing --- */
	for (size_t k = 0; k < m->u.map.len; k++) {
		const char *key = m->u.map.keys[k];
		const struct field *f = type_field(ct, key);
		int shared = (f != NULL && f->shared) || is_taxonomy(cfg, key);
		/* The words to translate come over as they are; what belongs to one version (its
		 * slug, its state) does not. */
		int words =
		    strcmp(key, "title") == 0 || strcmp(key, "summary") == 0 ||
		    strcmp(key, "image_alt") == 0 ||
		    (f != NULL && !f->shared && (f->kind == FIELD_TEXT || f->kind == FIELD_TEXTS));
		if (!shared && !words)
			continue;
		int to = k + 1 < m->u.map.len ? m->u.map.key_lines[k + 1] - 1 : last;
		copy_field(&out, buf_str(&text), text.len, m->u.map.key_lines[k], to);
	}
	if (head[0] != '\0')
		buf_printf(&out, "translated_from: %s   # the commit this translation follows\n",
		           head);
	else
		diag_warning(site_dir, 0, 0,
		             "no commit yet: translated_from is left out (commit the "
		             "source page, then add translated_from: COMMIT)");
	buf_puts(&out, "draft: true   # remove this line once the translation is done\n---\n");
	buf_add(&out, buf_str(&text) + doc.body_off, text.len - doc.body_off);
	if (create(site_dir, tr_rel, &out) < 0)
		goto out;
	printf(
	    "satchel: wrote %s, the %s translation of %s, a draft until you remove draft: true\n",
	    tr_rel, lang, src_rel);
	rc = 0;
out:
	fm_doc_free(&doc);
	buf_free(&text);
	buf_free(&out);
	free(src_path);
	return rc;
}

/* "guidance/x" -> (source) "content/guidance/x/index.md" and, with lang, its translation
 * "content/guidance/x/index.LANG.md"; "guidance/x.md" -> "content/guidance/x.md" and
 * "content/guidance/x.LANG.md". */
static void
page_files(const char *rel, const char *lang, char **src, char **tr)
{
	size_t n = strlen(rel);
	if (n > 3 && strcmp(rel + n - 3, ".md") == 0) {
		*src = xasprintf("content/%s", rel);
		*tr = lang ? xasprintf("content/%.*s.%s.md", (int)(n - 3), rel, lang) : NULL;
	} else {
		*src = xasprintf("content/%s/index.md", rel);
		*tr = lang ? xasprintf("content/%s/index.%s.md", rel, lang) : NULL;
	}
}

int
scaffold_page(const char *type, const char *path, const struct scaffold_opts *o)
{
	const char *site_dir = o->site_dir ? o->site_dir : ".";
	char *yaml_path = fs_join(site_dir, "site.yaml"), *rel = NULL, *src_rel = NULL,
	     *tr_rel = NULL;
	char *title = NULL;
	struct buf b = BUF_INIT;
	struct config *cfg = NULL;
	struct types types = {0};
	int rc = 1;
	if (fs_read_file(yaml_path, &b) < 0) {
		diag_error(yaml_path, 0, 0,
		           "no site here: satchel new %s works in a site's folder (or "
		           "give it with -s DIR)",
		           type);
		goto out;
	}
	if (config_load("site.yaml", buf_str(&b), b.len, &cfg) < 0 ||
	    load_types(&types, site_dir, cfg) < 0)
		goto out;
	const struct ctype *ct = types_get(&types, type);
	if (ct == NULL) {
		struct suggest sg = SUGGEST_INIT(type);
		struct buf all = BUF_INIT;
		for (size_t i = 0; i < types.n; i++) {
			suggest_add(&sg, types.v[i].name);
			buf_printf(&all, "%s%s", i ? ", " : "", types.v[i].name);
		}
		if (suggest_best(&sg) != NULL)
			fprintf(stderr,
			        "satchel new: unknown content type '%s'; did you mean '%s'?\n",
			        type, suggest_best(&sg));
		else
			fprintf(stderr, "satchel new: unknown content type '%s'\n", type);
		fprintf(stderr, "(the types: %s; or satchel new site DIR)\n", buf_str(&all));
		buf_free(&all);
		rc = 2;
		goto out;
	}
	/* The path inside content/: "content/" and "./" before it, "/" after it are allowed. */
	const char *p = path;
	while (strncmp(p, "./", 2) == 0)
		p += 2;
	if (strncmp(p, "content/", 8) == 0)
		p += 8;
	rel = xstrdup(p);
	for (size_t n = strlen(rel); n > 1 && rel[n - 1] == '/'; n--)
		rel[n - 1] = '\0';
	if (!fs_path_is_safe(rel)) {
		fprintf(
		    stderr,
		    "satchel new: '%s' is not a path inside content/ (no '..', no leading '/')\n",
		    path);
		rc = 2;
		goto out;
	}
	if (strchr(rel, '/') == NULL) {
		/* A bare name goes into the section whose pages are of this type. */
		const char *sec = NULL;
		for (size_t i = 0; i < cfg->nsections && sec == NULL; i++)
			if (section_type(&types, cfg, cfg->sections[i], strlen(cfg->sections[i])) ==
			    ct)
				sec = cfg->sections[i];
		if (sec == NULL) {
			fprintf(
			    stderr,
			    "satchel new: no section of site.yaml holds %s pages: give the path "
			    "as SECTION/%s\n",
			    ct->name, rel);
			rc = 2;
			goto out;
		}
		char *full = xasprintf("%s/%s", sec, rel);
		free(rel);
		rel = full;
	}
	if (o->lang != NULL && strcmp(o->lang, cfg->default_lang) == 0) {
		fprintf(stderr,
		        "satchel new: %s is the default language, the source's; --lang names the "
		        "language of a translation\n",
		        o->lang);
		rc = 2;
		goto out;
	}
	if (o->lang != NULL && config_lang(cfg, o->lang) == NULL) {
		struct suggest sg = SUGGEST_INIT(o->lang);
		for (size_t i = 0; i < cfg->nlangs; i++)
			suggest_add(&sg, cfg->langs[i].code);
		fprintf(stderr, "satchel new: '%s' is not one of the site's languages%s%s%s\n",
		        o->lang, suggest_best(&sg) ? "; did you mean '" : "",
		        suggest_best(&sg) ? suggest_best(&sg) : "", suggest_best(&sg) ? "'?" : "");
		rc = 2;
		goto out;
	}
	page_files(rel, o->lang, &src_rel, &tr_rel);
	if (o->lang != NULL) {
		if (o->title != NULL) {
			fprintf(
			    stderr,
			    "satchel new: a translation takes its title from its source; translate "
			    "it in the file\n");
			rc = 2;
			goto out;
		}
		rc = write_translation(site_dir, cfg, ct, src_rel, tr_rel, o->lang);
		goto out;
	}
	if (o->title != NULL && !title_ok(o->title)) {
		fprintf(stderr, "satchel new: --title must be one line of text\n");
		rc = 2;
		goto out;
	}
	title = o->title ? xstrdup(o->title) : title_from(rel);
	const char *missing = NULL;
	buf_reset(&b);
	new_page(&b, ct, title, section_type(&types, cfg, rel, strcspn(rel, "/")) != ct, &missing);
	if (create(site_dir, src_rel, &b) < 0)
		goto out;
	printf("satchel: wrote %s, %s %s page, a draft until you remove draft: true\n", src_rel,
	       strchr("aeiou", ct->name[0]) ? "an" : "a", ct->name);
	if (missing != NULL)
		fprintf(stderr, "satchel: fill in '%s' (required) before satchel check passes\n",
		        missing);
	rc = 0;
out:
	types_free(&types);
	config_free(cfg);
	buf_free(&b);
	free(title);
	free(rel);
	free(src_rel);
	free(tr_rel);
	free(yaml_path);
	return rc;
}
