/* cms: /admin/ — Decap CMS configured from the site (see cms.h). */
#include "cms.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "types.h"
#include "urlbase.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "value.h"
#include "yml.h"

/* ---- Decap's UI languages ---- */

const char *
cms_decap_locale(const char *tag)
{
	/* The locales decap-cms 3.16 registers, by BCP 47 language, where the names differ. */
	static const char *const same[] = {"bg", "ca", "cs", "da", "de", "en", "es", "fa", "fr", "he",
	                                   "hr", "hu", "it", "ja", "ko", "lt", "mk", "nl", "pl", "pt",
	                                   "ro", "ru", "sk", "sl", "sv", "th", "tr", "uk", "vi", NULL};
	char lang[16];
	size_t n = strcspn(tag, "-_");
	if (n == 0 || n >= sizeof lang)
		return "en";
	for (size_t i = 0; i < n; i++)
		lang[i] = (char)((tag[i] >= 'A' && tag[i] <= 'Z') ? tag[i] + 32 : tag[i]);
	lang[n] = '\0';
	const char *rest = tag + n;
	if (strcmp(lang, "el") == 0)
		return "gr";
	/* Decap's Serbian is Cyrillic only: Latin Serbian is English there rather than a script
	 * the editor did not choose. */
	if (strcmp(lang, "sr") == 0)
		return strstr(rest, "Latn") || strstr(rest, "latn") ? "en" : "sr_Cyrl";
	if (strcmp(lang, "nb") == 0 || strcmp(lang, "no") == 0)
		return "nb_no";
	if (strcmp(lang, "nn") == 0)
		return "nn_no";
	if (strcmp(lang, "iw") == 0)
		return "he";
	if (strcmp(lang, "zh") == 0)
		return strstr(rest, "Hant") || strstr(rest, "TW") || strstr(rest, "HK") || strstr(rest, "MO")
		           ? "zh_Hant"
		           : "zh_Hans";
	for (size_t i = 0; same[i] != NULL; i++)
		if (strcmp(lang, same[i]) == 0)
			return same[i];
	return "en";
}

/* ---- labels ---- */

struct gen {
	const struct site *s;
	const struct config *cfg;
	const struct catalog *cat;
	size_t lang;
	const char *code; /* the language's BCP 47 tag, for ICU */
	struct buf tmp;
	/* The sections the editor offers: site.yaml's, with or without pages yet, then any other
	 * the content has; each with its type (NULL: none). */
	const char **secs;
	const struct ctype **sec_types;
	size_t nsecs;
};

static void
add_section(struct gen *g, const char *name)
{
	for (size_t i = 0; i < g->nsecs; i++)
		if (strcmp(g->secs[i], name) == 0)
			return;
	g->secs = xrealloc(g->secs, (g->nsecs + 1) * sizeof *g->secs);
	g->sec_types = xrealloc(g->sec_types, (g->nsecs + 1) * sizeof *g->sec_types);
	g->secs[g->nsecs] = name;
	g->sec_types[g->nsecs++] = site_section_type(g->s, name);
}

/* "age_range" -> "Age range": a field of the site's own type no string names. */
static char *
humanise(const char *name)
{
	char *s = xstrdup(name);
	for (char *p = s; *p; p++)
		if (*p == '_' || *p == '-')
			*p = ' ';
	if (s[0] >= 'a' && s[0] <= 'z')
		s[0] = (char)(s[0] - 32);
	return s;
}

/* The UI string for key in the config's language, or NULL. Borrowed. */
static const char *
ui(struct gen *g, const char *key)
{
	return catalog_string(g->cat, g->lang, key);
}

/* A field's label: its editor string (cms.NAME), a string of the theme that names the same
 * thing, the name itself as a UI string, else the name made readable. The caller frees. */
static char *
field_label(struct gen *g, const char *name)
{
	static const char *const alias[][2] = {
	    {"publisher", "published_by"}, {"place", "where"}, {"projects", "projects"},
	    {"partners", "partners"},      {"kind", "types"},  {NULL, NULL},
	};
	char *key = xasprintf("cms.%s", name);
	const char *s = ui(g, key);
	free(key);
	for (size_t i = 0; s == NULL && alias[i][0] != NULL; i++)
		if (strcmp(alias[i][0], name) == 0)
			s = ui(g, alias[i][1]);
	if (s == NULL)
		s = ui(g, name);
	return s != NULL ? xstrdup(s) : humanise(name);
}

/* ---- fields ---- */

/* A field {name, label, widget}, optional unless required, translated or not. */
static struct value *
field_new(struct gen *g, const char *name, const char *widget, int required, int translated)
{
	struct value *f = value_new_map();
	char *label = field_label(g, name);
	value_map_set_string(f, "name", name);
	value_map_set_string(f, "label", label);
	value_map_set_string(f, "widget", widget);
	/* Decap's fields are required unless they say not. */
	value_map_set_bool(f, "required", required);
	value_map_set_bool(f, "i18n", translated);
	free(label);
	return f;
}

static void
set_hint(struct gen *g, struct value *f, const char *key)
{
	const char *h = ui(g, key);
	if (h != NULL)
		value_map_set_string(f, "hint", h);
}

static void
set_pattern(struct gen *g, struct value *f, const char *re, const char *msg_key)
{
	struct value *p = value_new_list();
	value_list_push(p, value_new_string(re));
	const char *m = ui(g, msg_key);
	value_list_push(p, value_new_string(m ? m : msg_key));
	value_map_set(f, "pattern", p);
}

/* A date as satchel reads it: YYYY-MM-DD, no time of day. */
static void
set_date(struct value *f)
{
	value_map_set_string(f, "format", "YYYY-MM-DD");
	value_map_set_string(f, "date_format", "YYYY-MM-DD");
	value_map_set_bool(f, "time_format", 0);
}

struct country {
	const char *code;
	char *name;
};

static const char *
country_title(const void *item, void *payload)
{
	(void)payload;
	return ((const struct country *)item)->name;
}

/* Every country ICU knows, named in the config's language and in its order. */
static struct value *
country_options(struct gen *g)
{
	size_t n = 0;
	char **codes = i18n_countries(&n);
	struct country *cs = xcalloc(n + 1, sizeof *cs);
	void **order = xcalloc(n + 1, sizeof *order);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&g->tmp);
		i18n_country_name(codes[i], g->code, &g->tmp);
		cs[i].code = codes[i];
		cs[i].name = xstrdup(buf_str(&g->tmp));
		order[i] = &cs[i];
	}
	struct i18n_locale *loc = i18n_locale_new(g->cfg->langs[g->lang].locale);
	i18n_sort_by(loc, order, n, country_title, NULL);
	i18n_locale_free(loc);
	struct value *opts = value_new_list();
	for (size_t i = 0; i < n; i++) {
		const struct country *c = order[i];
		struct value *o = value_new_map();
		value_map_set_string(o, "label", c->name);
		value_map_set_string(o, "value", c->code);
		value_list_push(opts, o);
	}
	for (size_t i = 0; i < n; i++) {
		free(cs[i].name);
		free(codes[i]);
	}
	free(codes);
	free(cs);
	free(order);
	return opts;
}

/* The section whose pages are of type name (the first), or NULL. */
static const char *
section_of_type(const struct gen *g, const char *name)
{
	for (size_t i = 0; i < g->nsecs; i++)
		if (g->sec_types[i] != NULL && strcmp(g->sec_types[i]->name, name) == 0)
			return g->secs[i];
	return NULL;
}

/* A consent record: both agreements must be given, and when and by whom; a child-made material
 * cannot be saved without it (the build leaves it out without one anyway). */
static struct value *
consent_field(struct gen *g, const struct field *fd)
{
	struct value *f = field_new(g, fd->name, "object", 1, 0);
	set_hint(g, f, "cms.consent_hint");
	value_map_set_bool(f, "collapsed", 0);
	struct value *sub = value_new_list();
	static const char *const agreed[] = {"child", "guardian"};
	for (size_t i = 0; i < 2; i++) {
		char *name = xasprintf("consent_%s", agreed[i]);
		struct value *b = field_new(g, name, "boolean", 1, 0);
		value_map_set_string(b, "name", agreed[i]);
		/* Decap checks a pattern against a boolean's text: only "true" passes. Off to begin
		 * with, so that an untouched switch is refused with the reason, not only "required". */
		set_pattern(g, b, "^true$", "cms.consent_must");
		value_map_set_bool(b, "default", 0);
		value_list_push(sub, b);
		free(name);
	}
	static const char *const dates[] = {"given", "review"};
	for (size_t i = 0; i < 2; i++) {
		char *name = xasprintf("consent_%s", dates[i]);
		struct value *d = field_new(g, name, "datetime", 1, 0);
		value_map_set_string(d, "name", dates[i]);
		set_date(d);
		value_list_push(sub, d);
		free(name);
	}
	struct value *who = field_new(g, "consent_recorded_by", "string", 1, 0);
	value_map_set_string(who, "name", "recorded_by");
	value_list_push(sub, who);
	value_map_set(f, "fields", sub);
	return f;
}

static struct value *
choice_options(struct gen *g, const struct field *fd)
{
	struct value *opts = value_new_list();
	for (size_t i = 0; i < fd->nvalues; i++) {
		char *key = xasprintf("%s.%s", fd->name, fd->values[i]);
		const char *label = ui(g, key);
		struct value *o = value_new_map();
		value_map_set_string(o, "label", label ? label : fd->values[i]);
		value_map_set_string(o, "value", fd->values[i]);
		value_list_push(opts, o);
		free(key);
	}
	return opts;
}

/* A page-link field: a relation to the section of its type, whose value is the page's folder
 * from the repository's root (content/partners/x, which the build reads as partners/x). */
static struct value *
page_field(struct gen *g, const struct field *fd, int multiple)
{
	const char *sec = fd->to ? section_of_type(g, fd->to) : NULL;
	if (sec == NULL) {
		/* Any page, or a type no section holds: the folder names, written by hand. */
		struct value *f = field_new(g, fd->name, multiple ? "list" : "string", fd->required, 0);
		set_hint(g, f, "cms.pages_hint");
		return f;
	}
	struct value *f = field_new(g, fd->name, "relation", fd->required, 0);
	value_map_set_string(f, "collection", sec);
	value_map_set_string(f, "value_field", "{{dirname}}");
	struct value *l = value_new_list();
	value_list_push(l, value_new_string("title"));
	value_map_set(f, "search_fields", l);
	l = value_new_list();
	value_list_push(l, value_new_string("title"));
	value_map_set(f, "display_fields", l);
	if (multiple)
		value_map_set_bool(f, "multiple", 1);
	return f;
}

static struct value *
decap_field(struct gen *g, const struct field *fd)
{
	int tr = !fd->shared;
	struct value *f = NULL;
	switch (fd->kind) {
	case FIELD_TEXT:
		f = field_new(g, fd->name,
		              strcmp(fd->name, "summary") == 0 || strcmp(fd->name, "transcript") == 0
		                  ? "text"
		                  : "string",
		              fd->required, tr);
		if (strcmp(fd->name, "pseudonym") == 0)
			set_hint(g, f, "cms.pseudonym_hint");
		break;
	case FIELD_TEXTS: f = field_new(g, fd->name, "list", fd->required, tr); break;
	case FIELD_DATE:
		f = field_new(g, fd->name, "datetime", fd->required, tr);
		set_date(f);
		break;
	case FIELD_NUMBER:
		f = field_new(g, fd->name, "number", fd->required, tr);
		value_map_set_string(f, "value_type", "int");
		break;
	case FIELD_BOOL: f = field_new(g, fd->name, "boolean", fd->required, tr); break;
	case FIELD_URL:
		f = field_new(g, fd->name, "string", fd->required, tr);
		set_pattern(g, f, "^https://", "cms.url_pattern");
		break;
	case FIELD_PAGE: return page_field(g, fd, 0);
	case FIELD_PAGES: return page_field(g, fd, 1);
	case FIELD_FILE:
		/* Beside the page (the collection's media_folder); a picture by its name's look. */
		f = field_new(g, fd->name,
		              strcmp(fd->name, "image") == 0 || strcmp(fd->name, "poster") == 0 ||
		                      strcmp(fd->name, "logo") == 0
		                  ? "image"
		                  : "file",
		              fd->required, tr);
		break;
	case FIELD_CHOICE:
		f = field_new(g, fd->name, "select", fd->required, tr);
		value_map_set(f, "options", choice_options(g, fd));
		break;
	case FIELD_COUNTRY:
	case FIELD_COUNTRIES:
		f = field_new(g, fd->name, "select", fd->required, tr);
		value_map_set(f, "options", country_options(g));
		if (fd->kind == FIELD_COUNTRIES)
			value_map_set_bool(f, "multiple", 1);
		break;
	case FIELD_AGES:
		f = field_new(g, fd->name, "string", fd->required, tr);
		set_pattern(g, f, "^[0-9]{1,2}( ?[-–] ?[0-9]{1,2}|\\+)?$", "cms.ages_pattern");
		break;
	case FIELD_CONSENT: return consent_field(g, fd);
	}
	return f;
}

/* Is name a field already in the list? */
static int
has_field(const struct value *fields, const char *name)
{
	for (size_t i = 0; i < fields->u.list.len; i++)
		if (strcmp(value_str(value_map_get(fields->u.list.items[i], "name")), name) == 0)
			return 1;
	return 0;
}

/* A taxonomy's terms as they exist in the built site: a multiple select (a list where there is
 * none yet). Taxonomies the build fills itself are not offered. */
static struct value *
taxonomy_field(struct gen *g, size_t t)
{
	const struct taxonomy *tx = &g->s->taxonomies[t];
	if (tx->nterms == 0) {
		struct value *f = field_new(g, tx->name, "list", 0, 0);
		return f;
	}
	struct value *f = field_new(g, tx->name, "select", 0, 0);
	value_map_set_bool(f, "multiple", 1);
	struct value *opts = value_new_list();
	for (size_t i = 0; i < tx->nterms; i++) {
		const struct term *term = tx->terms[i];
		char *key = xasprintf("%s.%s", tx->name, term->slug);
		const char *label = ui(g, key);
		/* Countries by their names in the config's language, as the library shows them. */
		if (label == NULL && strcmp(tx->name, "countries") == 0 &&
		    i18n_country_valid(term->name)) {
			buf_reset(&g->tmp);
			i18n_country_name(term->name, g->code, &g->tmp);
			label = buf_str(&g->tmp);
		}
		struct value *o = value_new_map();
		value_map_set_string(o, "label", label ? label : term->name);
		value_map_set_string(o, "value", term->name);
		value_list_push(opts, o);
		free(key);
	}
	value_map_set(f, "options", opts);
	return f;
}

static void
push_unless(struct value *fields, struct value *f)
{
	if (has_field(fields, value_str(value_map_get(f, "name"))))
		value_free(f);
	else
		value_list_push(fields, f);
}

/* The fields of a section's pages: the title, its type's, the ones every page has, the
 * taxonomies, the text. Shared ones are written only in the default language's file. */
static struct value *
collection_fields(struct gen *g, const struct ctype *ct)
{
	struct value *fields = value_new_list();
	value_list_push(fields, field_new(g, "title", "string", 1, 1));
	for (size_t i = 0; ct != NULL && i < ct->nfields; i++)
		push_unless(fields, decap_field(g, &ct->fields[i]));
	struct value *f = field_new(g, "date", "datetime", 0, 0);
	set_date(f);
	push_unless(fields, f);
	push_unless(fields, field_new(g, "summary", "text", 0, 1));
	push_unless(fields, field_new(g, "image", "image", 0, 0));
	f = field_new(g, "image_alt", "string", 0, 1);
	set_hint(g, f, "cms.image_alt_hint");
	push_unless(fields, f);
	static const char *const taken[] = {"types", "languages", "years", NULL};
	for (size_t t = 0; t < g->cfg->ntaxonomies; t++) {
		size_t k = 0;
		while (taken[k] != NULL && strcmp(taken[k], g->cfg->taxonomies[t]) != 0)
			k++;
		if (taken[k] == NULL)
			push_unless(fields, taxonomy_field(g, t));
	}
	push_unless(fields, field_new(g, "featured", "boolean", 0, 0));
	push_unless(fields, field_new(g, "draft", "boolean", 0, 0));
	f = field_new(g, "weight", "number", 0, 0);
	value_map_set_string(f, "value_type", "int");
	push_unless(fields, f);
	push_unless(fields, field_new(g, "license", "string", 0, 0));
	struct field link = {0};
	link.kind = FIELD_PAGE;
	link.name = "easy_read";
	push_unless(fields, page_field(g, &link, 0));
	link.name = "child_friendly";
	push_unless(fields, page_field(g, &link, 0));
	/* Kept as the file has it: the source commit a translation was made from. */
	f = field_new(g, "translated_from", "hidden", 0, 1);
	push_unless(fields, f);
	push_unless(fields, field_new(g, "body", "markdown", 0, 1));
	return fields;
}

/* ---- the config ---- */

/* The languages of their own (not derived by transliteration): the editor writes those. */
static struct value *
own_locales(const struct config *cfg)
{
	struct value *l = value_new_list();
	/* The default first: Decap shows it first. */
	value_list_push(l, value_new_string(cfg->default_lang));
	for (size_t i = 0; i < cfg->nlangs; i++)
		if (cfg->langs[i].from == SIZE_MAX && strcmp(cfg->langs[i].code, cfg->default_lang) != 0)
			value_list_push(l, value_new_string(cfg->langs[i].code));
	return l;
}

/* What a site without cms: would get with `cms: {}`: the local backend. */
static const struct config_cms local_cms = {(char *)"local", NULL, (char *)"main", NULL, NULL,
                                            NULL, NULL, 0, 0, 0};

static struct value *
backend(const struct config *cfg)
{
	const struct config_cms *m = cfg->cms ? cfg->cms : &local_cms;
	struct value *b = value_new_map();
	if (strcmp(m->backend, "local") == 0) {
		/* satchel serve answers Decap's proxy protocol at BASEPATH/api/v1 (admin.js makes the
		 * address absolute on loopback, where Decap looks for it as local_backend). */
		value_map_set_string(b, "name", "proxy");
		char *u = urlbase_add(cfg->base_path, "/api/v1");
		value_map_set_string(b, "proxy_url", u);
		free(u);
	} else {
		value_map_set_string(b, "name", m->backend);
		if (m->repo != NULL)
			value_map_set_string(b, "repo", m->repo);
	}
	value_map_set_string(b, "branch", m->branch);
	if (m->base_url != NULL)
		value_map_set_string(b, "base_url", m->base_url);
	if (m->api_root != NULL)
		value_map_set_string(b, "api_root", m->api_root);
	if (m->app_id != NULL)
		value_map_set_string(b, "app_id", m->app_id);
	if (m->auth_type != NULL)
		value_map_set_string(b, "auth_type", m->auth_type);
	/* Commit messages that name the page's file. */
	struct value *cm = value_new_map();
	value_map_set_string(cm, "create", "Create {{collection}} page {{path}}");
	value_map_set_string(cm, "update", "Update {{collection}} page {{path}}");
	value_map_set_string(cm, "delete", "Delete {{collection}} page {{path}}");
	value_map_set_string(cm, "uploadMedia", "Upload {{path}}");
	value_map_set_string(cm, "deleteMedia", "Delete {{path}}");
	value_map_set(b, "commit_messages", cm);
	return b;
}

static struct value *
config_value(struct gen *g)
{
	const struct config *cfg = g->cfg;
	struct value *root = value_new_map();
	value_map_set(root, "backend", backend(cfg));
	if (cfg->cms != NULL && cfg->cms->editorial)
		value_map_set_string(root, "publish_mode", "editorial_workflow");
	value_map_set_string(root, "locale", cms_decap_locale(g->code));
	if (strncmp(cfg->base_url, "http", 4) == 0) {
		value_map_set_string(root, "site_url", cfg->base_url);
		value_map_set_string(root, "display_url", cfg->base_url);
	}
	value_map_set_string(root, "media_folder", "static/uploads");
	char *pub = urlbase_add(cfg->base_path, "/uploads");
	value_map_set_string(root, "public_folder", pub);
	free(pub);
	/* Folder names from titles in lowercase ASCII, as a partner names them by hand. */
	struct value *slug = value_new_map();
	value_map_set_string(slug, "encoding", "ascii");
	value_map_set_bool(slug, "clean_accents", 1);
	value_map_set_string(slug, "sanitize_replacement", "-");
	value_map_set(root, "slug", slug);
	struct value *i18n = value_new_map();
	value_map_set_string(i18n, "structure", "multiple_files");
	value_map_set(i18n, "locales", own_locales(cfg));
	value_map_set_string(i18n, "default_locale", cfg->default_lang);
	value_map_set(root, "i18n", i18n);

	struct value *cols = value_new_list();
	for (size_t i = 0; i < g->nsecs; i++) {
		const char *name = g->secs[i];
		const struct ctype *type = g->sec_types[i];
		struct value *c = value_new_map();
		value_map_set_string(c, "name", name);
		const char *label = ui(g, name);
		char *human = label ? NULL : humanise(name);
		value_map_set_string(c, "label", label ? label : human);
		free(human);
		if (type != NULL) {
			char *key = xasprintf("types.%s", type->name);
			const char *one = ui(g, key);
			if (one != NULL)
				value_map_set_string(c, "label_singular", one);
			free(key);
		}
		char *folder = xasprintf("content/%s", name);
		value_map_set_string(c, "folder", folder);
		free(folder);
		value_map_set_string(c, "path", "{{slug}}/index");
		value_map_set_string(c, "extension", "md");
		value_map_set_string(c, "format", "frontmatter");
		value_map_set_bool(c, "create", 1);
		/* A page's pictures and files beside its index.md, as in a hand-made bundle. */
		value_map_set_string(c, "media_folder", "");
		value_map_set_string(c, "public_folder", "");
		value_map_set_bool(c, "i18n", 1);
		value_map_set(c, "fields", collection_fields(g, type));
		value_list_push(cols, c);
	}
	value_map_set(root, "collections", cols);
	return root;
}

void
cms_config(const struct site *s, const struct catalog *cat, size_t lang, struct buf *out)
{
	struct gen g = {s, s->cfg, cat, lang, s->cfg->langs[lang].tag, BUF_INIT, NULL, NULL, 0};
	for (size_t i = 0; i < s->cfg->nsections; i++)
		add_section(&g, s->cfg->sections[i]);
	for (size_t i = 0; i < s->nsections; i++)
		add_section(&g, s->sections[i]->name);
	struct value *v = config_value(&g);
	/* Every string came from the site or its strings, already valid UTF-8: the emitter takes
	 * them. */
	if (yml_emit(v, out) < 0)
		diag_error(s->cfg->path, s->cfg->cms ? s->cfg->cms->line : 0, 0,
		           "cannot write the editor's configuration");
	value_free(v);
	buf_free(&g.tmp);
	free(g.secs);
	free(g.sec_types);
}

/* ---- /admin/ ---- */

struct dist {
	char **names;
	size_t n;
};

/* Decap's files the editor loads: the bundle, its lazy chunks, its WebAssembly and the licence
 * notice; not the source maps or the cms.js twin. */
static int
dist_wanted(const char *name)
{
	if (strcmp(name, "decap-cms.js") == 0 || strcmp(name, "decap-cms.js.LICENSE.txt") == 0)
		return 1;
	if (text_has_suffix(name, ".wasm"))
		return strspn(name, "0123456789abcdef") + 5 == strlen(name);
	if (text_has_suffix(name, ".decap-cms.js"))
		return strspn(name, "0123456789") + 13 == strlen(name) && name[0] != '.';
	return 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
list_dist(const char *dir, struct dist *d)
{
	DIR *dp = opendir(dir);
	if (dp == NULL)
		return -1;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (!dist_wanted(e->d_name))
			continue;
		d->names = xrealloc(d->names, (d->n + 1) * sizeof *d->names);
		d->names[d->n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	qsort(d->names, d->n, sizeof *d->names, cmp_names);
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->names[i], "decap-cms.js") == 0)
			return 0;
	return -1;
}

static int
write_out(const char *outdir, const char *rel, const struct buf *b, size_t *files)
{
	char *to = fs_join(outdir, rel);
	int rc = fs_write_file(to, buf_str(b), b->len);
	if (rc < 0)
		diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
	else
		(*files)++;
	free(to);
	return rc;
}

/* What admin.js needs from the build: the base path, the languages the editor offers (Decap's
 * locale, direction), the stylesheets of the preview and its messages in each language. */
static void
admin_data(const struct site *s, const struct catalog *cat, struct buf *out)
{
	const struct config *cfg = s->cfg;
	struct value *d = value_new_map();
	char *base = urlbase_add(cfg->base_path, "/");
	value_map_set_string(d, "base", base);
	free(base);
	value_map_set_string(d, "default", cfg->default_lang);
	value_map_set_bool(d, "local", strcmp(cfg->cms->backend, "local") == 0);
	struct value *langs = value_new_list();
	for (size_t i = 0; i < cfg->nlangs; i++) {
		const struct config_lang *l = &cfg->langs[i];
		if (l->from != SIZE_MAX)
			continue;
		struct value *o = value_new_map();
		value_map_set_string(o, "code", l->code);
		value_map_set_string(o, "dir", l->dir);
		value_map_set_string(o, "config", strcmp(l->code, cfg->default_lang) == 0 ? "config.yml" : "");
		if (strcmp(l->code, cfg->default_lang) != 0) {
			char *name = xasprintf("config.%s.yml", l->code);
			value_map_set_string(o, "config", name);
			free(name);
		}
		static const char *const msgs[] = {"cms.image_alt_required", NULL};
		struct value *m = value_new_map();
		for (size_t k = 0; msgs[k] != NULL; k++) {
			const char *t = catalog_string(cat, i, msgs[k]);
			value_map_set_string(m, msgs[k] + 4, t ? t : msgs[k]);
		}
		value_map_set(o, "strings", m);
		value_list_push(langs, o);
	}
	value_map_set(d, "languages", langs);
	struct value *styles = value_new_list();
	char *u = urlbase_add(cfg->base_path, "/css/satchel.css");
	value_list_push(styles, value_new_string_own(u));
	if (cfg->brand_color != NULL)
		value_list_push(styles, value_new_string_own(urlbase_add(cfg->base_path, "/css/brand.css")));
	value_map_set(d, "styles", styles);
	buf_puts(out, "/* Made by satchel build from site.yaml: the site's languages, base path and "
	              "preview styles. */\nvar SATCHEL_CMS = ");
	value_write_json(d, out);
	buf_puts(out, ";\n");
	value_free(d);
}

static void
admin_index(const struct config *cfg, struct buf *out)
{
	const struct config_lang *dl = config_lang(cfg, cfg->default_lang);
	buf_printf(out, "<!doctype html>\n<html lang=\"%s\" dir=\"%s\">\n<head>\n", dl->tag, dl->dir);
	buf_puts(out, "<meta charset=\"utf-8\">\n"
	              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	              "<meta name=\"robots\" content=\"noindex, nofollow\">\n<title>");
	const char *title = dl->title ? dl->title : cfg->title;
	buf_add_html_escaped(out, title, strlen(title));
	buf_puts(out, " – Decap CMS</title>\n"
	              "<link rel=\"icon\" href=\"data:,\">\n"
	              /* the theme's layout of the editor on narrow screens */
	              "<link rel=\"stylesheet\" href=\"admin.css\">\n"
	              /* admin.js first: it tells Decap to wait (CMS_MANUAL_INIT) and starts it once
	               * the page is read, with the config of the editor's language. */
	              "<script src=\"admin.js\"></script>\n"
	              "<script src=\"decap-cms.js\"></script>\n"
	              /* then, before admin.js starts Decap, the forge backends' index.md mapping */
	              "<script src=\"hosted.js\"></script>\n"
	              "</head>\n<body>\n"
	              "<noscript>The editor needs JavaScript.</noscript>\n"
	              "</body>\n</html>\n");
}

int
cms_build(const struct site *s, const struct catalog *cat, const char *theme_dir,
          const char *other_theme, const char *outdir, size_t *files)
{
	const struct config *cfg = s->cfg;
	struct dist d = {0};
	struct buf b = BUF_INIT;
	int rc = -1;
	*files = 0;
	if (cfg->cms == NULL)
		return 0;
	char *dist = fs_join(theme_dir, CMS_DECAP_DIST);
	char *admin_js = fs_join(theme_dir, "admin/admin.js");
	char *hosted_js = fs_join(theme_dir, "admin/hosted.js");
	char *admin_css = fs_join(theme_dir, "admin/admin.css");
	char *dir = fs_join(outdir, "admin");
	int found = list_dist(dist, &d) == 0;
	if (!found && other_theme != NULL) {
		for (size_t i = 0; i < d.n; i++)
			free(d.names[i]);
		free(d.names);
		memset(&d, 0, sizeof d);
		free(dist);
		dist = fs_join(other_theme, CMS_DECAP_DIST);
		found = list_dist(dist, &d) == 0;
	}
	if (!found) {
		char *pkg = fs_join(theme_dir, "admin");
		diag_warning(cfg->path, cfg->cms->line, cfg->cms->col,
		             "cms: Decap CMS is not installed, so the build makes no /admin/ editor; run "
		             "scripts/install-deps.sh (or npm ci --ignore-scripts in %s)", pkg);
		free(pkg);
		rc = 0;
		goto out;
	}
	if (fs_mkdir_p(dir) < 0) {
		diag_error(dir, 0, 0, "cannot make the folder: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < d.n; i++) {
		char *from = fs_join(dist, d.names[i]), *to = fs_join(dir, d.names[i]);
		if (fs_link_or_copy(from, to) < 0)
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
		else
			(*files)++;
		free(from);
		free(to);
	}
	admin_index(cfg, &b);
	write_out(outdir, "admin/index.html", &b, files);
	buf_reset(&b);
	admin_data(s, cat, &b);
	struct buf js = BUF_INIT;
	if (fs_read_file(admin_js, &js) < 0) {
		diag_error(admin_js, 0, 0, "cannot read: %s", strerror(errno));
		buf_free(&js);
		goto out;
	}
	buf_add(&b, js.data, js.len);
	buf_free(&js);
	write_out(outdir, "admin/admin.js", &b, files);
	buf_reset(&b);
	if (fs_read_file(hosted_js, &b) < 0) {
		diag_error(hosted_js, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	write_out(outdir, "admin/hosted.js", &b, files);
	buf_reset(&b);
	if (fs_read_file(admin_css, &b) < 0) {
		diag_error(admin_css, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	write_out(outdir, "admin/admin.css", &b, files);
	for (size_t i = 0; i < cfg->nlangs; i++) {
		const struct config_lang *l = &cfg->langs[i];
		if (l->from != SIZE_MAX)
			continue;
		int dflt = strcmp(l->code, cfg->default_lang) == 0;
		buf_reset(&b);
		buf_puts(&b, "# Made by satchel build from site.yaml and the content types: edit those, "
		             "not this file.\n");
		cms_config(s, cat, i, &b);
		char *rel = dflt ? xstrdup("admin/config.yml") : xasprintf("admin/config.%s.yml", l->code);
		write_out(outdir, rel, &b, files);
		free(rel);
	}
	rc = 0;
out:
	for (size_t i = 0; i < d.n; i++)
		free(d.names[i]);
	free(d.names);
	buf_free(&b);
	free(dir);
	free(dist);
	free(admin_js);
	free(hosted_js);
	free(admin_css);
	return rc;
}
