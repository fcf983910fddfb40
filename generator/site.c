/* site: pages, translation groups, sections, taxonomies and URLs from a source. */
#include "site.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "filetype.h"
#include "frontmatter.h"
#include "i18n.h"
#include "hugo.h"
#include "markdown.h"
#include "types.h"
#include "safeguard.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/suggest.h"
#include "util/text.h"
#include "util/fs.h"
#include "util/pool.h"
#include "util/timing.h"
#include "util/sort.h"
#include "util/xalloc.h"
#include <stdio.h>

struct listing {
	char **paths;
	size_t len, cap;
};

static int
collect(const char *path, void *payload)
{
	struct listing *l = payload;
	if (l->len == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->paths = xrealloc(l->paths, l->cap * sizeof *l->paths);
	}
	l->paths[l->len++] = xstrdup(path);
	return 0;
}

/* Does s look like a BCP 47 tag (ll, lll, ll-Xxxx, ll-XX, ll-Xxxx-XX)? */
static int
looks_like_lang(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz");
	if (n < 2 || n > 3)
		return 0;
	s += n;
	while (*s == '-') {
		s++;
		size_t m = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		if (m < 2 || m > 8)
			return 0;
		s += m;
	}
	return *s == '\0';
}

static void
lang_list(const struct config *c, struct buf *b)
{
	for (size_t i = 0; i < c->nlangs; i++)
		buf_printf(b, "%s%s", i ? ", " : "", c->langs[i].code);
}

/* Splits "content/DIRS/NAME[.LANG].md" into the page's language, kind, key and bundle folder. */
static struct page *
page_from_path(const struct config *cfg, const char *path)
{
	const char *rel = path + strlen("content/");
	const char *slash = strrchr(rel, '/');
	const char *base = slash ? slash + 1 : rel;
	char *dirs = slash ? xstrndup(rel, (size_t)(slash - rel)) : xstrdup("");
	char *stem = xstrndup(base, strlen(base) - 3); /* without ".md" */
	size_t lang = 0;
	const struct config_lang *dl = config_lang(cfg, cfg->default_lang);
	lang = dl ? dl->index : 0;

	char *dot = strrchr(stem, '.');
	if (dot != NULL && dot != stem) {
		const struct config_lang *l = config_lang(cfg, dot + 1);
		if (l != NULL) {
			lang = l->index;
			*dot = '\0';
		} else if (looks_like_lang(dot + 1)) {
			struct buf b = BUF_INIT;
			lang_list(cfg, &b);
			diag_error(path, 1, 0,
			           "unknown language code '%s' in the file name (site.yaml languages: %s)",
			           dot + 1, buf_str(&b));
			buf_free(&b);
			free(dirs);
			free(stem);
			return NULL;
		}
	}

	struct page *p = xcalloc(1, sizeof *p);
	p->src = xstrdup(path);
	p->lang = lang;
	if (strcmp(stem, "_index") == 0 || (strcmp(stem, "index") == 0 && *dirs == '\0')) {
		p->kind = *dirs ? PAGE_SECTION : PAGE_HOME;
		p->key = xstrdup(dirs);
		p->path = xstrdup(dirs);
		if (p->kind == PAGE_SECTION)
			p->section = xstrdup(dirs);
	} else if (strcmp(stem, "index") == 0) {
		p->kind = PAGE_REGULAR;
		p->key = xstrdup(dirs);
		p->path = xstrdup(dirs);
		p->bundle = xasprintf("content/%s", dirs);
	} else {
		p->kind = PAGE_REGULAR;
		p->key = *dirs ? xasprintf("%s/%s", dirs, stem) : xstrdup(stem);
		p->path = xstrdup(p->key);
	}
	if (p->kind == PAGE_REGULAR) {
		const char *s = strchr(p->key, '/');
		if (s != NULL)
			p->section = xstrndup(p->key, (size_t)(s - p->key));
	}
	free(dirs);
	free(stem);
	return p;
}

static void
page_free(struct page *p, size_t ntax)
{
	if (p == NULL)
		return;
	if (p->terms != NULL) {
		for (size_t t = 0; t < ntax; t++)
			free(p->terms[t]);
		free(p->terms);
	}
	free(p->src);
	free(p->key);
	free(p->section);
	free(p->path);
	free(p->url);
	free(p->bundle);
	value_free(p->meta);
	free(p->date);
	free(p->summary);
	free(p->text);
	free(p);
}

/* A page's text out of b, in a block of its own length: b grows in powers of two, which kept
 * a page's text in up to twice its size (corpus-r500: 34.5 MB of heap for 24 MB of files). */
static char *
take_text(struct buf *b, size_t *len)
{
	*len = b->len;
	char *t = buf_detach(b);
	return xrealloc(t, *len + 1);
}

void
site_drop_texts(struct site *s)
{
	for (size_t i = 0; i < s->npages; i++) {
		free(s->pages[i]->text);
		s->pages[i]->text = NULL;
	}
}

static void
group_free(struct group *g)
{
	free(g->pages);
	free(g->files);
	free(g->key);
	free(g->parts);
	free(g->links);
	free(g->linked_by);
	free(g);
}

static const char *
meta_string(struct page *p, const char *key, int *ok)
{
	const struct value *v = value_map_get(p->meta, key);
	if (v == NULL || v->type == VALUE_NULL)
		return NULL;
	if (v->type != VALUE_STRING) {
		char tmp[64];
		diag_error(p->src, v->line, v->col, "'%s' must be text, not %s", key,
		           value_describe(v, tmp, sizeof tmp));
		*ok = 0;
		return NULL;
	}
	return v->u.str.s;
}

/* The end of the line that starts at s (one past its '\n', or end). */
static const char *
line_end(const char *s, const char *end)
{
	if (s >= end)
		return end;
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	return nl ? nl + 1 : end;
}

/* A page whose front matter has no title, as pages written for MkDocs and many other tools
 * are, takes the heading its body opens with (`# Title`, or `Title` over a line of `=`), which
 * then leaves the body: the theme shows the title as the page's heading. The heading counts as
 * front matter for the engine's quick path (a body-only edit keeps body_off's bytes). */
static void
heading_title(struct page *p)
{
	const char *s = p->text + p->body_off, *end = p->text + p->text_len;
	int lines = 0;
	while (s < end && (*s == '\n' || *s == '\r')) {
		s = line_end(s, end);
		lines++;
	}
	const char *e1 = line_end(s, end), *t = s, *te = e1;
	while (te > t && (te[-1] == '\n' || te[-1] == '\r' || te[-1] == ' ' || te[-1] == '\t'))
		te--;
	size_t indent = 0;
	while (t < te && *t == ' ' && indent < 4)
		t++, indent++;
	const char *next;
	if (indent < 4 && t < te && *t == '#' && (t + 1 == te || t[1] == ' ' || t[1] == '\t')) {
		for (t++; t < te && (*t == ' ' || *t == '\t'); t++)
			;
		/* A closing run of #s after a space is no part of the heading. */
		const char *c = te;
		while (c > t && c[-1] == '#')
			c--;
		if (c == t || c[-1] == ' ' || c[-1] == '\t')
			for (te = c; te > t && (te[-1] == ' ' || te[-1] == '\t'); te--)
				;
		next = e1;
		lines++;
	} else {
		/* Setext: one line of text, then a line of = alone. */
		const char *e2 = line_end(e1, end), *u = e1;
		while (u < e2 && *u == ' ')
			u++;
		size_t eq = 0;
		while (u < e2 && *u == '=')
			u++, eq++;
		while (u < e2 && (*u == ' ' || *u == '\t' || *u == '\r' || *u == '\n'))
			u++;
		if (indent >= 4 || t == te || eq == 0 || u != e2 || *t == '#' || *t == '<' || *t == '>' ||
		    *t == '-' || *t == '*' || *t == '|' || *t == '`' || *t == '!' || *t == '[')
			return;
		next = e2;
		lines += 2;
	}
	if (t == te)
		return;
	/* As the page shows it: `# Using *git* {#git}` is titled "Using git". */
	char *title = md_plain_title(t, (size_t)(te - t));
	if (*title == '\0') {
		free(title);
		return;
	}
	value_map_set_string(p->meta, "title", title);
	free(title);
	p->title = value_str(value_map_get(p->meta, "title"));
	p->body_off = (size_t)(next - p->text);
	p->body_line += lines;
}

/* Reads the front matter fields satchel itself uses, checking their types. */
static int
page_fields(struct page *p, const struct config *cfg)
{
	struct fm_doc doc;
	int ok = 1;
	if ((p->text_checked ? fm_parse_valid : fm_parse)(p->src, p->text, p->text_len, &doc) < 0)
		return -1;
	p->meta = doc.meta;
	p->body_off = doc.body_off;
	p->body_line = doc.body_line;
	hugo_meta(p->src, p->meta);
	if (!p->derived)
		hugo_shortcodes_warn(p->src, p->text + p->body_off, p->text_len - p->body_off,
		                     p->body_line);

	p->title = meta_string(p, "title", &ok);
	if (p->title == NULL && value_map_get(p->meta, "title") == NULL)
		heading_title(p);
	const char *summary = meta_string(p, "summary", &ok);
	if (summary != NULL)
		p->summary = xstrdup(summary);
	const char *tkey = meta_string(p, "translation_key", &ok);
	if (tkey != NULL && p->kind == PAGE_REGULAR) {
		free(p->key);
		p->key = xstrdup(tkey);
	}
	const struct value *v = value_map_get(p->meta, "date");
	if (v != NULL && v->type != VALUE_NULL) {
		if (v->type != VALUE_STRING || parse_date(v->u.str.s, &p->ts, &p->date) < 0) {
			diag_error(p->src, v->line, v->col,
			           "'date' must be a date such as 2025-03-14 or 2025-03-14T09:30:00Z");
			ok = 0;
		} else {
			p->dated = 1;
		}
	}
	v = value_map_get(p->meta, "weight");
	if (v != NULL && v->type != VALUE_NULL) {
		if (v->type != VALUE_INT) {
			diag_error(p->src, v->line, v->col, "'weight' must be a whole number");
			ok = 0;
		} else {
			p->weight = v->u.i;
		}
	}
	v = value_map_get(p->meta, "draft");
	if (v != NULL && v->type != VALUE_NULL) {
		if (v->type != VALUE_BOOL) {
			diag_error(p->src, v->line, v->col, "'draft' must be true or false");
			ok = 0;
		} else {
			p->draft = v->u.b;
		}
	}
	meta_string(p, "slug", &ok);
	for (size_t t = 0; t < cfg->ntaxonomies; t++) {
		v = value_map_get(p->meta, cfg->taxonomies[t]);
		if (v == NULL || v->type == VALUE_NULL || v->type == VALUE_STRING)
			continue;
		if (v->type != VALUE_LIST) {
			diag_error(p->src, v->line, v->col, "'%s' must be a list of names",
			           cfg->taxonomies[t]);
			ok = 0;
			continue;
		}
		for (size_t i = 0; i < v->u.list.len; i++) {
			const struct value *it = v->u.list.items[i];
			if (it->type != VALUE_STRING && it->type != VALUE_INT) {
				char tmp[64];
				diag_error(p->src, it->line, it->col, "each of '%s' must be a name, not %s",
				           cfg->taxonomies[t], value_describe(it, tmp, sizeof tmp));
				ok = 0;
			} else if (strcmp(cfg->taxonomies[t], "countries") == 0 &&
			           !i18n_country_valid(value_str(it))) {
				diag_error(p->src, it->line, it->col,
				           "'%s' in countries is not an ISO 3166-1 country code (such as BG, GR, "
				           "RS or XK)", value_str(it) ? value_str(it) : "a number");
				ok = 0;
			}
		}
	}
	return ok ? 0 : -1;
}

/* The URL of a page: /LANG/KEY/ with the last part of KEY replaced by front matter `slug`. */
static int page_url(struct page *p, const struct config *cfg);

char *
site_url_of(const struct config *cfg, const char *path, const char *slug, size_t *lang)
{
	size_t n = strlen(path);
	if (strncmp(path, "content/", 8) != 0 || n < 12 || strcmp(path + n - 3, ".md") != 0)
		return NULL;
	/* A language code the site does not have (any more): no page of this site. */
	const char *base = strrchr(path, '/') + 1;
	char *stem = xstrndup(base, strlen(base) - 3);
	char *dot = strrchr(stem, '.');
	int foreign = dot != NULL && dot != stem && config_lang(cfg, dot + 1) == NULL &&
	              looks_like_lang(dot + 1);
	free(stem);
	if (foreign)
		return NULL;
	struct page *p = page_from_path(cfg, path);
	if (p == NULL)
		return NULL;
	p->meta = value_new_map();
	if (slug != NULL) {
		struct buf sb = BUF_INIT;
		i18n_slug(slug, &sb);
		if (sb.len > 0)
			value_map_set_string(p->meta, "slug", slug);
		buf_free(&sb);
	}
	char *url = NULL;
	if (page_url(p, cfg) == 0) {
		url = p->url;
		p->url = NULL;
		*lang = p->lang;
	}
	page_free(p, 0);
	return url;
}

static int
page_url(struct page *p, const struct config *cfg)
{
	const char *code = cfg->langs[p->lang].code;
	if (p->kind == PAGE_HOME) {
		p->url = xasprintf("/%s/", code);
		return 0;
	}
	const struct value *sv = value_map_get(p->meta, "slug");
	const char *slug = value_str(sv);
	/* A translation_key does not move the page: its URL comes from where the file is. */
	struct buf path = BUF_INIT;
	buf_puts(&path, p->path);
	if (slug != NULL && p->kind == PAGE_REGULAR) {
		struct buf s = BUF_INIT;
		i18n_slug(slug, &s);
		if (s.len == 0) {
			diag_error(p->src, sv->line, sv->col, "'slug' has no letters or digits to use");
			buf_free(&s);
			buf_free(&path);
			return -1;
		}
		char *last = strrchr(path.data, '/');
		size_t keep = last ? (size_t)(last - path.data) + 1 : 0;
		path.len = keep;
		buf_add(&path, s.data, s.len);
		buf_free(&s);
	}
	p->url = xasprintf("/%s/%s/", code, buf_str(&path));
	buf_free(&path);
	return 0;
}

struct load {
	struct site *s;
	struct page **pages;
	int *failed;
};

static void
parse_one(size_t i, int worker, void *payload)
{
	struct load *l = payload;
	(void)worker;
	if (page_fields(l->pages[i], l->s->cfg) < 0)
		l->failed[i] = 1;
}

struct page *
site_page_in(const struct group *g, size_t lang)
{
	return g->pages[lang];
}

char *
site_term_slug(const char *name)
{
	struct buf b = BUF_INIT;
	i18n_slug(name, &b);
	if (b.len == 0)
		buf_puts(&b, "term");
	return buf_detach(&b);
}

static int
cmp_group_key(const void *a, const void *b)
{
	return strcmp((*(struct group *const *)a)->key, (*(struct group *const *)b)->key);
}

/* Listing order: weight (unweighted last), newest first, then key. */
static int
cmp_group_listing(const void *a, const void *b)
{
	const struct page *x = (*(struct group *const *)a)->primary;
	const struct page *y = (*(struct group *const *)b)->primary;
	if (x->weight != y->weight) {
		if (x->weight == 0 || y->weight == 0)
			return x->weight == 0 ? 1 : -1;
		return x->weight < y->weight ? -1 : 1;
	}
	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
cmp_group_date(const void *a, const void *b)
{
	const struct page *x = (*(struct group *const *)a)->primary;
	const struct page *y = (*(struct group *const *)b)->primary;
	if (x->ts != y->ts)
		return x->ts > y->ts ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
cmp_term(const void *a, const void *b)
{
	return strcmp((*(struct term *const *)a)->name, (*(struct term *const *)b)->name);
}

static void
push(void ***v, size_t *len, void *item)
{
	if ((*len & (*len - 1)) == 0) /* grow at powers of two */
		*v = xrealloc(*v, (*len ? *len * 2 : 1) * sizeof **v);
	(*v)[(*len)++] = item;
}

static struct section *
section_get(struct site *s, struct map *by_name, const char *name)
{
	struct section *sec = map_get(by_name, name);
	if (sec == NULL) {
		sec = xcalloc(1, sizeof *sec);
		sec->name = xstrdup(name);
		map_put(by_name, name, sec);
		push((void ***)&s->sections, &s->nsections, sec);
	}
	return sec;
}

static int
cmp_section_name(const void *a, const void *b)
{
	return strcmp((*(struct section *const *)a)->name, (*(struct section *const *)b)->name);
}

static void
order_sections(struct site *s)
{
	/* site.yaml's order first, then the rest by name. */
	sort_array(s->sections, s->nsections, sizeof *s->sections, cmp_section_name);
	size_t placed = 0;
	for (size_t i = 0; i < s->cfg->nsections; i++) {
		for (size_t j = placed; j < s->nsections; j++) {
			if (strcmp(s->sections[j]->name, s->cfg->sections[i]) != 0)
				continue;
			struct section *t = s->sections[j];
			memmove(s->sections + placed + 1, s->sections + placed,
			        (j - placed) * sizeof *s->sections);
			s->sections[placed++] = t;
			break;
		}
	}
}

/* Two taxonomies satchel fills itself when front matter does not: `years` (from the date) and
 * `languages` (the languages the resource exists in). NULL for any other. The caller frees. */
static struct value *
computed_terms(const struct site *s, const struct page *p, const char *tax)
{
	if (value_map_get(p->meta, tax) != NULL)
		return NULL;
	struct value *list = NULL;
	if (strcmp(tax, "years") == 0 && p->date != NULL) {
		list = value_new_list();
		value_list_push(list, value_new_stringn(p->date, 4));
	} else if (strcmp(tax, "types") == 0 && p->group->type != NULL && p->group->type->resource) {
		list = value_new_list();
		value_list_push(list, value_new_string(p->group->type->name));
	} else if (strcmp(tax, "languages") == 0) {
		list = value_new_list();
		for (size_t l = 0; l < s->cfg->nlangs; l++)
			if (p->group->pages[l] != NULL)
				value_list_push(list, value_new_string(s->cfg->langs[l].code));
	}
	return list;
}

/* Each version's terms, and every term's groups: a group belongs to a term when any of its
 * versions names it; listings then ask each listed version (site_page_has_term). */
static void
add_terms(struct site *s, struct group *g)
{
	const struct config *cfg = s->cfg;
	for (size_t l = 0; l < cfg->nlangs; l++) {
		struct page *p = g->pages[l];
		if (p == NULL)
			continue;
		p->terms = xcalloc(cfg->ntaxonomies ? cfg->ntaxonomies : 1, sizeof *p->terms);
		for (size_t t = 0; t < cfg->ntaxonomies; t++) {
			struct taxonomy *tx = &s->taxonomies[t];
			struct term **terms = NULL;
			size_t n = 0;
			struct map named = MAP_INIT; /* slugs already in terms: a page may list 100,000 */
			struct value *given = computed_terms(s, p, cfg->taxonomies[t]);
			const struct value *v = given ? given : value_map_get(p->meta, cfg->taxonomies[t]);
			size_t count = v && v->type == VALUE_LIST ? v->u.list.len : v && v->type == VALUE_STRING;
			for (size_t i = 0; i < count; i++) {
				const struct value *it = v->type == VALUE_LIST ? v->u.list.items[i] : v;
				char *name = it->type == VALUE_INT ? xasprintf("%lld", (long long)it->u.i)
				                                   : xstrdup(value_str(it));
				if (*name == '\0') {
					free(name);
					continue;
				}
				char *slug = site_term_slug(name);
				struct term *term = map_get(&tx->by_slug, slug);
				if (term == NULL) {
					term = xcalloc(1, sizeof *term);
					term->name = name;
					term->slug = slug;
					map_put(&tx->by_slug, slug, term);
					push((void ***)&tx->terms, &tx->nterms, term);
				} else {
					free(name);
					free(slug);
				}
				if (map_put(&named, term->slug, term) != NULL)
					continue;
				push((void ***)&terms, &n, term);
				if (term->ngroups == 0 || term->groups[term->ngroups - 1] != g)
					push((void ***)&term->groups, &term->ngroups, g);
			}
			value_free(given);
			map_free(&named);
			push((void ***)&terms, &n, NULL);
			p->terms[t] = terms;
		}
	}
}

int
site_page_has_term(const struct page *p, size_t tax, const struct term *t)
{
	if (p->terms == NULL)
		return 0;
	for (struct term **tp = p->terms[tax]; *tp; tp++)
		if (*tp == t)
			return 1;
	return 0;
}

/* The language a file name carries: checklist.bg.pdf is Bulgarian. */
static size_t
file_lang(const struct config *cfg, const char *path)
{
	const char *base = strrchr(path, '/');
	char *stem = xstrdup(base ? base + 1 : path);
	char *dot = strrchr(stem, '.');
	size_t lang = SIZE_MAX;
	if (dot != NULL) {
		*dot = '\0';
		dot = strrchr(stem, '.');
		const struct config_lang *l = dot ? config_lang(cfg, dot + 1) : NULL;
		if (l != NULL)
			lang = l->index;
	}
	free(stem);
	return lang;
}

static void
publish_files(struct site *s)
{
	for (size_t i = 0; i < s->nfiles; i++) {
		struct site_file *f = &s->files[i];
		char *dir = xstrdup(f->path);
		/* The nearest enclosing page bundle takes the file. */
		for (char *slash = strrchr(dir, '/'); slash != NULL; slash = strrchr(dir, '/')) {
			*slash = '\0';
			const struct page *p = map_get(&s->bundles, dir);
			if (p != NULL) {
				f->url = xasprintf("%s%s", p->url, f->path + strlen(dir) + 1);
				f->group = p->group;
				push((void ***)&f->group->files, &f->group->nfiles, f);
				break;
			}
		}
		if (f->url == NULL)
			f->url = xasprintf("/%s", f->path + strlen("content/"));
		f->lang = file_lang(s->cfg, f->path);
		map_put(&s->file_urls, f->path, f);
		free(dir);
	}
}

/* The path a page's twin in language code would have: index.md or index.sr.md -> index.CODE.md. */
static char *
derived_path(const struct config *cfg, const char *src, size_t lang, const char *code)
{
	size_t n = strlen(src) - 3; /* without ".md" */
	const char *own = cfg->langs[lang].code;
	size_t ol = strlen(own);
	if (strcmp(own, cfg->default_lang) != 0 || (n > ol + 1 && src[n - ol - 1] == '.' &&
	                                             strncmp(src + n - ol, own, ol) == 0))
		n -= ol + 1;
	return xasprintf("%.*s.%s.md", (int)n, src, code);
}

static char *normalize(const char *base, const char *rel);
static int has_scheme(const char *u);
static int left_out_path(const struct site *s, const char *path);

/* `easy_read: ../x/index.md` and `child_friendly: …` link a resource to its version for other
 * readers; the target learns it is one (full_version). Any language version may name it. */
static void
link_versions(struct site *s)
{
	static const char *const keys[] = {"easy_read", "child_friendly"};
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (p->kind != PAGE_REGULAR)
			continue;
		for (size_t k = 0; k < 2; k++) {
			const struct value *v = value_map_get(p->meta, keys[k]);
			if (v == NULL || v->type == VALUE_NULL)
				continue;
			char *dir = xstrdup(p->src);
			*strrchr(dir, '/') = '\0';
			char *path = value_str(v) ? normalize(dir, value_str(v)) : NULL;
			const struct page *t = path ? map_get(&s->pages_by_src, path) : NULL;
			if (t == NULL && path != NULL && left_out_path(s, path)) {
				/* Not an error: the page must go on building on the day a consent runs out. */
				diag_problem(p->src, v->line, v->col,
				             "'%s' names a version that is left out for safeguarding: this page "
				             "is published without it; take the line out", keys[k]);
			} else if (t == NULL || t->kind != PAGE_REGULAR || t->group == p->group) {
				diag_error(p->src, v->line, v->col,
				           "'%s' must name another page's file, such as ../x/index.md", keys[k]);
			} else {
				struct group **slot = k == 0 ? &p->group->easy_read : &p->group->child_friendly;
				*slot = t->group;
				t->group->full_version = p->group;
			}
			free(path);
			free(dir);
		}
	}
}

/* ---- content types ---- */

/* The type of a section's pages: the one site.yaml names for it, else the type with its name, or
 * its name without a plural s (tools -> tool). */
static const struct ctype *
section_type(const struct site *s, const char *name)
{
	if (s->types == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < s->cfg->nsections; i++)
		if (strcmp(s->cfg->sections[i], name) == 0 && s->cfg->section_types[i] != NULL)
			return types_get(s->types, s->cfg->section_types[i]);
	const struct ctype *ct = types_get(s->types, name);
	size_t n = strlen(name);
	if (ct == NULL && n > 1 && name[n - 1] == 's') {
		char *one = xstrndup(name, n - 1);
		ct = types_get(s->types, one);
		free(one);
	}
	return ct;
}

const struct ctype *
site_section_type(const struct site *s, const char *name)
{
	return section_type(s, name);
}

/* A part lives under its parent's URL in every language, so a course's translated slug carries
 * its modules along (/bg/training/vavedenie/01-principles/). Parents come first in key order. */
static void
move_under_parent(struct site *s, struct group *g)
{
	for (size_t l = 0; l < s->cfg->nlangs; l++) {
		struct page *p = g->pages[l], *pp = g->parent->pages[l];
		if (p == NULL || pp == NULL)
			continue;
		size_t n = strlen(p->url);
		const char *end = p->url + n - 1, *last = end;
		while (last > p->url && last[-1] != '/')
			last--;
		char *url = xasprintf("%s%.*s/", pp->url, (int)(end - last), last);
		if (strcmp(url, p->url) == 0 || map_get(&s->pages_by_url[l], url) != NULL) {
			free(url);
			continue;
		}
		map_put(&s->pages_by_url[l], p->url, NULL);
		map_put(&s->pages_by_url[l], url, p);
		free(p->url);
		p->url = url;
	}
}

/* A page in the folder of another regular page is one of its parts. */
static void
find_parent(struct site *s, struct group *g)
{
	char *key = xstrdup(g->key);
	for (char *slash = strrchr(key, '/'); slash != NULL; slash = strrchr(key, '/')) {
		*slash = '\0';
		struct group *p = map_get(&s->groups_by_key, key);
		if (p != NULL && p->kind == PAGE_REGULAR) {
			g->parent = p;
			push((void ***)&p->parts, &p->nparts, g);
			break;
		}
	}
	free(key);
}

static void
assign_type(struct site *s, struct group *g)
{
	if (s->types == NULL)
		return;
	const struct ctype *ct;
	if (g->parent != NULL)
		ct = g->parent->type && g->parent->type->parts ? types_get(s->types, g->parent->type->parts)
		                                               : g->parent->type;
	else
		ct = section_type(s, g->primary->section);
	const struct value *tv = value_map_get(g->primary->meta, "type");
	if (tv != NULL && tv->type != VALUE_NULL) {
		const struct ctype *named = types_get(s->types, value_str(tv));
		if (named == NULL) {
			struct buf b = BUF_INIT;
			struct suggest sg = SUGGEST_INIT(value_str(tv));
			for (size_t i = 0; i < s->types->n; i++) {
				buf_printf(&b, "%s%s", i ? ", " : "", s->types->v[i].name);
				suggest_add(&sg, s->types->v[i].name);
			}
			/* A warning, not an error: sites written for Hugo name layouts with `type:` that
			 * mean nothing here; the page is built as its section's pages are. */
			const char *as = ct != NULL ? "the type of its section" : "the default layout";
			if (suggest_best(&sg) != NULL)
				diag_warning(g->primary->src, tv->line, tv->col,
				             "unknown type '%s' (one of %s; did you mean '%s'?): the page is "
				             "built with %s", value_str(tv) ? value_str(tv) : "", buf_str(&b),
				             suggest_best(&sg), as);
			else
				diag_warning(g->primary->src, tv->line, tv->col,
				             "unknown type '%s' (one of %s): the page is built with %s",
				             value_str(tv) ? value_str(tv) : "", buf_str(&b), as);
			buf_free(&b);
		} else {
			ct = named;
		}
	}
	g->type = ct;
}

static int
is_taxonomy(const struct config *cfg, const char *key)
{
	for (size_t t = 0; t < cfg->ntaxonomies; t++)
		if (strcmp(cfg->taxonomies[t], key) == 0)
			return 1;
	return 0;
}

/* The article for a type's name in messages. */
static const char *
a_or_an(const char *name)
{
	return strchr("aeiou", name[0]) ? "an" : "a";
}

/* Checks the keys a page's file sets against its type: each field's kind, unknown keys (a
 * warning naming the closest field). */
static void
check_own_fields(const struct site *s, const struct page *p, const struct ctype *ct)
{
	const struct value *m = p->meta;
	for (size_t k = 0; m != NULL && m->type == VALUE_MAP && k < m->u.map.len; k++) {
		const char *key = m->u.map.keys[k];
		const struct field *f = type_field(ct, key);
		if (f != NULL) {
			field_check(f, p->src, m->u.map.vals[k]);
			continue;
		}
		if (types_common_key(key) || is_taxonomy(s->cfg, key))
			continue;
		struct suggest sg = SUGGEST_INIT(key);
		for (size_t i = 0; i < ct->nfields; i++)
			suggest_add(&sg, ct->fields[i].name);
		const char *best = suggest_best(&sg);
		if (best != NULL)
			diag_warning(p->src, m->u.map.key_lines[k], 0,
			             "'%s' is not a field of %s %s; did you mean '%s'?", key,
			             a_or_an(ct->name), ct->name, best);
		else
			diag_warning(p->src, m->u.map.key_lines[k], 0,
			             "'%s' is not a field of %s %s; it is kept for templates as params.%s", key,
			             a_or_an(ct->name), ct->name, key);
	}
}

/* Dates for the pages of a group whose front matter gives none. The source's is its first
 * commit's; a translation (or a derived page) is the same resource, so it takes the source's
 * date, from front matter or git, not the day it was translated; only when the source has none
 * (not committed yet) its own first commit's. A date from git orders listings and shows on the
 * page, but does not make the page news (`dated` stays 0: the feeds leave it out). */
static void
git_dates(const struct site *s, struct group *g)
{
	struct page *src = g->primary;
	for (int pass = 0; pass < 2; pass++)
		for (size_t l = 0; l < s->cfg->nlangs; l++) {
			struct page *p = g->pages[l];
			if (p == NULL || p->date != NULL || (p == src) != (pass == 0))
				continue;
			if (p != src && src->date != NULL) {
				p->ts = src->ts;
				p->date = xstrdup(src->date);
				p->dated = src->dated;
			} else if (p->hist != NULL) {
				struct buf d = BUF_INIT;
				p->ts = p->hist->first.time;
				i18n_format_date(NULL, p->ts, "iso", &d);
				p->date = buf_detach(&d);
			}
		}
}

/* A translation takes what describes the resource rather than its words from its source when
 * it does not set it: the type's shared fields and the taxonomies. */
static void
inherit(const struct site *s, struct group *g)
{
	const struct page *src = g->primary;
	for (size_t l = 0; l < s->cfg->nlangs; l++) {
		struct page *p = g->pages[l];
		if (p == NULL || p == src || p->meta == NULL || p->meta->type != VALUE_MAP ||
		    src->meta == NULL || src->meta->type != VALUE_MAP)
			continue;
		for (size_t k = 0; k < src->meta->u.map.len; k++) {
			const char *key = src->meta->u.map.keys[k];
			const struct field *f = type_field(g->type, key);
			if ((f == NULL || !f->shared) && !is_taxonomy(s->cfg, key))
				continue;
			if (value_map_get(p->meta, key) == NULL)
				value_map_set(p->meta, key, value_copy(src->meta->u.map.vals[k]));
		}
	}
}

/* ---- safeguarding: materials left out ---- */

static void check_group(struct site *s, struct group *g);

/* s->left_out holds what is left out: site-relative paths as they are, and behind a one-byte
 * tag its keys, folder names and URLs (as prefixes), so that one map keeps the four apart. */
#define LEFT_KEY "\x02"
#define LEFT_NAME "\x03"
#define LEFT_URL "\x04"

static void left_out_put(struct site *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int left_out_has(const struct site *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
left_out_put(struct site *s, const char *fmt, ...)
{
	struct buf k = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&k, fmt, ap);
	va_end(ap);
	map_put(&s->left_out, buf_str(&k), (void *)1);
	buf_free(&k);
}

static int
left_out_has(const struct site *s, const char *fmt, ...)
{
	struct buf k = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&k, fmt, ap);
	va_end(ap);
	int found = map_get(&s->left_out, buf_str(&k)) != NULL;
	buf_free(&k);
	return found;
}

/* Remembers a left-out page's file, its key, its folder name, its bundle's folder and its URL
 * (when it has one yet), so that links to it are dropped with a message instead of failing the
 * build or leaving its address behind. */
static void
note_left_out(struct site *s, const struct page *p, const char *src, const char *key)
{
	map_put(&s->left_out, src, (void *)1);
	if (p != NULL && p->bundle != NULL)
		map_put(&s->left_out, p->bundle, (void *)1);
	if (p != NULL && p->url != NULL)
		left_out_put(s, LEFT_URL "%s", p->url);
	if (key == NULL)
		return;
	const char *slash = strrchr(key, '/'), *name = slash ? slash + 1 : key;
	left_out_put(s, LEFT_KEY "%s", key);
	left_out_put(s, LEFT_NAME "%s", name);
}

/* Is a site-relative path ("content/by-children/x/drawing.png", "content/by-children/x") a
 * left-out material's file or folder, or inside one? */
static int
left_out_path(const struct site *s, const char *path)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		p[--n] = '\0';
	int found = 0;
	for (char *slash = p + n; !found && slash != NULL; slash = strrchr(p, '/')) {
		*slash = '\0';
		found = map_get(&s->left_out, p) != NULL;
		if (!found && strncmp(p, "content/", 8) == 0) /* a folder link to a single-file page */
			found = left_out_has(s, LEFT_KEY "%s", p + 8);
	}
	free(p);
	return found;
}

/* Does a site-absolute URL (/en/by-children/x/, /by-children/story.png) lead to a left-out
 * material? By its page's URL, by its key after the language (a withdrawn page never got a
 * URL), or by its file's path. */
static int
left_out_url(const struct site *s, const char *url)
{
	if (url[0] != '/' || url[1] == '/')
		return 0;
	char *u = xstrndup(url, strcspn(url, "#?"));
	int found = 0;
	for (char *end = u + strlen(u); !found && end > u; end--) {
		if (end[-1] != '/' && *end != '\0')
			continue;
		found = left_out_has(s, LEFT_URL "%.*s/", (int)(end - u - (end[-1] == '/')), u);
	}
	const char *rest = u + 1, *slash = strchr(rest, '/');
	char *code = slash ? xstrndup(rest, (size_t)(slash - rest)) : NULL;
	if (!found && code != NULL && config_lang(s->cfg, code) != NULL) {
		char *c = xasprintf("content/%s", slash + 1);
		found = left_out_path(s, c);
		free(c);
	}
	if (!found) {
		char *c = xasprintf("content/%s", rest);
		found = left_out_path(s, c);
		free(c);
	}
	free(code);
	free(u);
	return found;
}

struct refs {
	struct site *s;
	const char *dir; /* the page's folder */
	struct map *out;
};

/* A destination in a page's Markdown: the content file it names, for refs_of. */
static char *
ref_collect(void *payload, const char *url, int is_image, int line)
{
	struct refs *r = payload;
	(void)is_image;
	(void)line;
	if (*url == '\0' || *url == '#' || *url == '/' || has_scheme(url))
		return NULL;
	char *rel = xstrndup(url, strcspn(url, "#?"));
	char *path = normalize(r->dir, rel);
	if (path != NULL)
		map_put(r->out, path, (void *)1);
	free(path);
	free(rel);
	return NULL;
}

/* Takes out of the site's files those that belong to a left-out page, noting each: everything
 * in its bundle's folder; for a single-file page (story.md), the files beside it named after it
 * (story.png, story.en.vtt, story.bg.pdf: its stem, a dot, anything) and every file below its
 * folder that its Markdown links or shows or its front matter names — unless that file is in
 * another page's bundle. */
static void
leave_out_files(struct site *s, const char *src, const char *bundle, const char *text, size_t len,
                const struct value *meta)
{
	struct map refs = MAP_INIT;
	char *dir = xstrdup(src);
	*strrchr(dir, '/') = '\0';
	size_t dl = strlen(dir);
	const char *base = src + dl + 1;
	char *stem = xstrndup(base, strlen(base) - 3); /* story.bg.md -> story.bg -> story */
	char *dot = strrchr(stem, '.');
	if (dot != NULL && dot != stem && config_lang(s->cfg, dot + 1) != NULL)
		*dot = '\0';
	size_t sl = strlen(stem);
	if (bundle == NULL) {
		struct refs r = {s, dir, &refs};
		struct md_opts mo = {.rewrite = ref_collect, .payload = &r};
		struct md_result res;
		md_render(text, len, &mo, &res);
		md_result_free(&res);
		for (size_t i = 0; meta != NULL && meta->type == VALUE_MAP && i < meta->u.map.len; i++) {
			const struct value *v = meta->u.map.vals[i];
			size_t cnt = v->type == VALUE_LIST ? v->u.list.len : 1;
			for (size_t j = 0; j < cnt; j++) {
				const char *name = value_str(v->type == VALUE_LIST ? v->u.list.items[j] : v);
				if (name != NULL)
					ref_collect(&r, name, 0, 0);
			}
		}
	}
	size_t nf = 0;
	for (size_t f = 0; f < s->nfiles; f++) {
		const char *fp = s->files[f].path;
		int mine = 0;
		if (bundle != NULL) {
			size_t bl = strlen(bundle);
			mine = strncmp(fp, bundle, bl) == 0 && fp[bl] == '/';
		} else if (strncmp(fp, dir, dl) == 0 && fp[dl] == '/') {
			const char *fb = fp + dl + 1;
			mine = strchr(fb, '/') == NULL && strncmp(fb, stem, sl) == 0 && fb[sl] == '.';
			if (!mine && map_get(&refs, fp) != NULL) {
				/* Not another bundle's file. */
				char *d = xstrdup(fp);
				mine = 1;
				for (char *sl2 = strrchr(d, '/'); mine && sl2 != NULL && (size_t)(sl2 - d) > dl;
				     sl2 = strrchr(d, '/')) {
					*sl2 = '\0';
					for (size_t i = 0; mine && i < s->npages; i++)
						mine = s->pages[i]->bundle == NULL || strcmp(s->pages[i]->bundle, d) != 0;
				}
				free(d);
			}
		}
		if (!mine) {
			s->files[nf++] = s->files[f];
			continue;
		}
		map_put(&s->left_out, fp, (void *)1);
		left_out_put(s, LEFT_URL "/%s/", fp + 8); /* its URL outside a bundle, as a prefix */
		free(s->files[f].path);
	}
	s->nfiles = nf;
	free(stem);
	free(dir);
	map_free(&refs);
}

/* Does a page-link value (a file, a path or a folder name) name a left-out material? */
static int
left_out_ref(const struct site *s, const struct page *p, const char *ref)
{
	size_t n = strlen(ref);
	int found = 0;
	if (n > 3 && strcmp(ref + n - 3, ".md") == 0) {
		char *dir = xstrdup(p->src);
		*strrchr(dir, '/') = '\0';
		char *path = normalize(dir, ref);
		found = path != NULL && map_get(&s->left_out, path) != NULL;
		free(path);
		free(dir);
		return found;
	}
	while (*ref == '/')
		ref++;
	size_t rl = strlen(ref);
	while (rl > 0 && ref[rl - 1] == '/')
		rl--;
	return left_out_has(s, strchr(ref, '/') ? LEFT_KEY "%.*s" : LEFT_NAME "%.*s", (int)rl, ref);
}

/* Takes the left-out groups (and their pages and files) out of the model. */
static void
drop_left_out(struct site *s)
{
	size_t ng = 0;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (!g->left_out) {
			g->idx = ng;
			s->groups[ng++] = g;
			continue;
		}
		map_put(&s->groups_by_key, g->key, NULL);
		if (g->parent != NULL) {
			size_t k = 0;
			for (size_t j = 0; j < g->parent->nparts; j++)
				if (g->parent->parts[j] != g)
					g->parent->parts[k++] = g->parent->parts[j];
			g->parent->nparts = k;
		}
		for (size_t l = 0; l < s->cfg->nlangs; l++) {
			struct page *p = g->pages[l];
			if (p == NULL)
				continue;
			note_left_out(s, p, p->src, p->key);
			map_put(&s->pages_by_url[l], p->url, NULL);
			map_put(&s->pages_by_src, p->src, NULL);
			p->group = NULL; /* marks it for the sweep below */
		}
		group_free(g);
	}
	s->ngroups = ng;
	/* Its files go with it: first every left-out page's (a file one names must go even when a
	 * page swept earlier would have kept it), then the pages. */
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (p->group == NULL)
			leave_out_files(s, p->src, p->bundle, p->text + p->body_off,
			                p->text_len - p->body_off, p->meta);
	}
	size_t np = 0;
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (p->group != NULL)
			s->pages[np++] = p;
		else
			page_free(p, s->cfg->ntaxonomies);
	}
	s->npages = np;
}

/* The consent field of a type, or NULL. */
static const struct field *
consent_field(const struct ctype *ct)
{
	for (size_t i = 0; ct != NULL && i < ct->nfields; i++)
		if (ct->fields[i].kind == FIELD_CONSENT)
			return &ct->fields[i];
	return NULL;
}

/* What one version says the material is, beside its group's type: the type of the section its
 * file is in, or the `type:` its own front matter names. A consent field of either, or NULL. */
static const struct field *
version_consent(const struct site *s, const struct page *p)
{
	const struct field *cf = consent_field(section_type(s, p->section));
	const char *tn = value_str(value_map_get(p->meta, "type"));
	if (cf == NULL && tn != NULL && s->types != NULL)
		cf = consent_field(types_get(s->types, tn));
	return cf;
}

/* The bundle folder of a left-out (want_left_out) or consent-needing group that holds one of g's
 * files below its own folder, or NULL. */
static struct group *
enclosing_bundle(const struct site *s, const struct group *g, const struct map *bundles,
                 const struct field **need, int want_left_out)
{
	struct group *found = NULL;
	for (size_t l = 0; found == NULL && l < s->cfg->nlangs; l++) {
		const struct page *p = g->pages[l];
		if (p == NULL)
			continue;
		char *d = xstrdup(p->bundle ? p->bundle : p->src);
		for (char *sl = strrchr(d, '/'); found == NULL && sl != NULL; sl = strrchr(d, '/')) {
			*sl = '\0';
			struct group *h = map_get(bundles, d);
			if (h != NULL && h != g && (want_left_out ? h->left_out : need[h->idx] != NULL))
				found = h;
		}
		free(d);
	}
	return found;
}

/* Which groups need consent, by index: the consent field that asks for it, or NULL. Consent is
 * asked by what a material is, not by the type its source's front matter declares alone: its
 * group's type, the section any of its versions is in (a page of a child-made section that says
 * `type: guidance`), the `type:` any version names (a translation, or a page that joins it by
 * `translation_key`), and the material whose folder it is in (a parent, or a bundle its file
 * lies inside). The caller frees. */
static const struct field **
consent_needed(const struct site *s, const struct map *bundles)
{
	const struct field **need = xcalloc(s->ngroups + 1, sizeof *need);
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		need[i] = consent_field(g->type);
		for (size_t l = 0; need[i] == NULL && l < s->cfg->nlangs; l++)
			if (g->pages[l] != NULL)
				need[i] = version_consent(s, g->pages[l]);
	}
	/* Folders nest in any order once translation_key moves a page's key: until nothing changes. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < s->ngroups; i++) {
			const struct group *g = s->groups[i], *h;
			if (g->kind != PAGE_REGULAR || need[i] != NULL)
				continue;
			if (g->parent != NULL && need[g->parent->idx] != NULL)
				h = g->parent;
			else
				h = enclosing_bundle(s, g, bundles, need, 0);
			if (h != NULL) {
				need[i] = need[h->idx];
				changed = 1;
			}
		}
	}
	return need;
}

/* Before anything is derived from the pages: a child-made material (see consent_needed) is left
 * out without a valid record — every language, its parts, the pages in its folder and its files
 * — and front matter that could identify a child is an error. A page that joins a withdrawn
 * material by `translation_key` goes with it. */
static void
consent_check(struct site *s)
{
	int64_t now = safeguard_now();
	int any = 0;
	struct map bundles = MAP_INIT; /* bundle folder -> its group */
	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->bundle != NULL && s->pages[i]->kind == PAGE_REGULAR)
			map_put(&bundles, s->pages[i]->bundle, s->pages[i]->group);
	const struct field **need = consent_needed(s, &bundles);
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		if (left_out_has(s, LEFT_KEY "%s", g->key) || (g->parent != NULL && g->parent->left_out)) {
			g->left_out = any = 1;
			continue;
		}
		const struct field *cf = need[i];
		if (cf == NULL)
			continue;
		for (size_t l = 0; l < s->cfg->nlangs; l++)
			if (g->pages[l] != NULL && !g->pages[l]->derived)
				safeguard_identifying(g->pages[l]->src, g->pages[l]->meta);
		/* The record is the material's, kept in the source's front matter and shared by its
		 * translations: the first version that has one, the primary's first. */
		const struct page *rp = g->primary;
		const struct value *rec = value_map_get(rp->meta, cf->name);
		for (size_t l = 0; rec == NULL && l < s->cfg->nlangs; l++)
			if (g->pages[l] != NULL && !g->pages[l]->derived &&
			    (rec = value_map_get(g->pages[l]->meta, cf->name)) != NULL)
				rp = g->pages[l];
		int line = 0;
		int64_t soon = 0;
		char *why = safeguard_consent(rp->src, rec, now, &line, &soon);
		if (rec != NULL && value_map_key_line(rp->meta, cf->name) > 0)
			line = value_map_key_line(rp->meta, cf->name); /* where `consent:` is */
		if (why != NULL) {
			diag_problem(rp->src, line > 0 ? line : 1, 0,
			             "left out of the site, in every language and with its files: %s", why);
			free(why);
			check_group(s, g); /* its other problems still need mending */
			g->left_out = any = 1;
		} else if (soon != 0) {
			struct buf d = BUF_INIT;
			i18n_format_date(NULL, soon, "iso", &d);
			diag_warning(rp->src, line, 0,
			             "consent is to be reviewed by %s: from the day after, the material is "
			             "left out", buf_str(&d));
			buf_free(&d);
		}
	}
	/* What lies in a left-out material's folder goes with it, whatever its key. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t i = 0; i < s->ngroups; i++) {
			struct group *g = s->groups[i];
			if (g->kind == PAGE_REGULAR && !g->left_out &&
			    enclosing_bundle(s, g, &bundles, need, 1) != NULL)
				g->left_out = any = changed = 1;
		}
	}
	free(need);
	map_free(&bundles);
	if (any)
		drop_left_out(s);
}

static void
check_group(struct site *s, struct group *g)
{
	const struct ctype *ct = g->type;
	if (ct != NULL)
		for (size_t l = 0; l < s->cfg->nlangs; l++)
			if (g->pages[l] != NULL && !g->pages[l]->derived)
				check_own_fields(s, g->pages[l], ct);
	inherit(s, g); /* dates: git_dates gave a translation its source's already */
	if (ct == NULL)
		return;
	for (size_t l = 0; l < s->cfg->nlangs; l++) {
		const struct page *p = g->pages[l];
		if (p == NULL || p->derived)
			continue;
		/* An image says what it shows, in each language: `image` needs `image_alt`. */
		const struct value *img = value_map_get(p->meta, "image");
		if (img != NULL && img->type != VALUE_NULL && type_field(ct, "image_alt") != NULL &&
		    value_str(value_map_get(p->meta, "image_alt")) == NULL)
			diag_error(p->src, value_map_key_line(p->meta, "image") ? value_map_key_line(p->meta, "image") : 1, 0,
			           "'image_alt' is missing: describe the image for people who cannot see it, "
			           "in this page's language");
		/* A type that declares `image` checks it as a file; elsewhere it must still name one
		 * beside the page, never a path that climbs out or starts at /. */
		const char *iname = value_str(img);
		if (iname != NULL && type_field(ct, "image") == NULL &&
		    (iname[0] == '/' || strstr(iname, "..") != NULL))
			diag_error(p->src, img->line, img->col,
			           "'image' must be the name of a file beside the page, not '%s'", iname);
		for (size_t i = 0; i < ct->nfields; i++) {
			const struct value *v = value_map_get(p->meta, ct->fields[i].name);
			/* A translation inherits a shared field: its source alone is told it is missing. */
			if (ct->fields[i].shared && p != g->primary)
				continue;
			if (ct->fields[i].required && (v == NULL || v->type == VALUE_NULL))
				diag_error(p->src, 1, 0, "'%s' is missing: every %s needs it", ct->fields[i].name,
				           ct->name);
		}
	}
}

/* The group a page-link value names: a content file relative to the page (../x/index.md), a
 * path (partners/x, or content/partners/x from the repository's root, as the browser editor
 * writes it: cms.h), or a folder name among the pages of type `to`. */
static struct group *
resolve_group(const struct site *s, const struct page *p, const char *ref, const char *to,
              const struct map *by_name)
{
	size_t n = strlen(ref);
	if (n > 3 && strcmp(ref + n - 3, ".md") == 0) {
		char *dir = xstrdup(p->src);
		*strrchr(dir, '/') = '\0';
		char *path = normalize(dir, ref);
		const struct page *t = path ? map_get(&s->pages_by_src, path) : NULL;
		free(path);
		free(dir);
		return t != NULL && t->kind == PAGE_REGULAR ? t->group : NULL;
	}
	if (strchr(ref, '/') != NULL) {
		while (*ref == '/')
			ref++;
		if (strncmp(ref, "content/", 8) == 0)
			ref += 8;
		char *key = xstrdup(ref);
		size_t kl = strlen(key);
		while (kl > 0 && key[kl - 1] == '/')
			key[--kl] = '\0';
		struct group *g = map_get(&s->groups_by_key, key);
		free(key);
		return g != NULL && g->kind == PAGE_REGULAR ? g : NULL;
	}
	char *k = xasprintf("%s\x01%s", to ? to : "", ref);
	struct group *g = map_get(by_name, k);
	free(k);
	return g;
}

static void
add_link(struct group *from, const char *field, struct group *to)
{
	for (size_t i = 0; i < from->nlinks; i++)
		if (from->links[i].group == to && strcmp(from->links[i].field, field) == 0)
			return;
	from->links = xrealloc(from->links, (from->nlinks + 1) * sizeof *from->links);
	from->links[from->nlinks++] = (struct relation){field, to};
	to->linked_by = xrealloc(to->linked_by, (to->nlinked_by + 1) * sizeof *to->linked_by);
	to->linked_by[to->nlinked_by++] = (struct relation){field, from};
}

/* Page-link fields become links both ways; file fields must name a file of the bundle. */
static void
link_groups(struct site *s)
{
	struct map by_name = MAP_INIT; /* "type\x01folder" -> group; "\x01folder" when unambiguous */
	struct map ambiguous = MAP_INIT;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		const char *last = strrchr(g->key, '/');
		last = last ? last + 1 : g->key;
		char *any = xasprintf("\x01%s", last);
		if (map_get(&by_name, any) != NULL)
			map_put(&ambiguous, any, g);
		map_put(&by_name, any, g);
		free(any);
		if (g->type != NULL) {
			char *k = xasprintf("%s\x01%s", g->type->name, last);
			map_put(&by_name, k, g);
			free(k);
		}
	}
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->type == NULL || g->kind != PAGE_REGULAR)
			continue;
		const struct page *p = g->primary;
		for (size_t fi = 0; fi < g->type->nfields; fi++) {
			const struct field *f = &g->type->fields[fi];
			const struct value *v = value_map_get(p->meta, f->name);
			if (v == NULL || v->type == VALUE_NULL)
				continue;
			if (f->kind == FIELD_FILE) {
				for (size_t l = 0; l < s->cfg->nlangs; l++) {
					const struct page *q = g->pages[l];
					const struct value *qv = q ? value_map_get(q->meta, f->name) : NULL;
					const char *name = value_str(qv);
					/* A translation's own file name is checked at its line; one it took from
					 * its source was checked there. */
					if (q == NULL || q->derived || name == NULL ||
					    (q != p && strcmp(name, value_str(v) ? value_str(v) : "") == 0))
						continue;
					if (site_group_file(g, name) == NULL)
						diag_error(q->src, qv->line, qv->col,
						           "'%s': there is no file '%s' beside this page", f->name, name);
				}
				continue;
			}
			if (f->kind != FIELD_PAGE && f->kind != FIELD_PAGES)
				continue;
			size_t count = v->type == VALUE_LIST ? v->u.list.len : 1;
			for (size_t k = 0; k < count; k++) {
				const struct value *it = v->type == VALUE_LIST ? v->u.list.items[k] : v;
				const char *ref = value_str(it);
				if (ref == NULL)
					continue;
				char *anyk = xasprintf("\x01%s", ref);
				struct group *t = strchr(ref, '/') == NULL && f->to == NULL &&
				                          map_get(&ambiguous, anyk) != NULL
				                      ? NULL
				                      : resolve_group(s, p, ref, f->to, &by_name);
				free(anyk);
				if (t == NULL && left_out_ref(s, p, ref)) {
					diag_problem(p->src, it->line, it->col,
					             "'%s' names '%s', which is left out for safeguarding: the "
					             "link is dropped; take it out of this page", f->name, ref);
				} else if (t == NULL) {
					if (f->to != NULL)
						diag_error(p->src, it->line, it->col,
						           "'%s': there is no %s page '%s' (name its folder, its path such "
						           "as %ss/x, or its file)", f->name, f->to, ref, f->to);
					else
						diag_error(p->src, it->line, it->col,
						           "'%s': there is no page '%s' (name its path, such as tools/x, "
						           "or its file)", f->name, ref);
				} else if (t == g) {
					diag_error(p->src, it->line, it->col, "'%s' names the page itself", f->name);
				} else if (f->to != NULL && (t->type == NULL || strcmp(t->type->name, f->to) != 0)) {
					diag_error(p->src, it->line, it->col, "'%s' must name %s %s page; %s is %s",
					           f->name, a_or_an(f->to), f->to, t->key,
					           t->type ? t->type->name : "a page without a type");
				} else {
					add_link(g, f->name, t);
				}
			}
		}
	}
	map_free(&by_name);
	map_free(&ambiguous);
}

const struct site_file *
site_group_file(const struct group *g, const char *name)
{
	const char *bundle = g->primary->bundle;
	size_t bl = bundle ? strlen(bundle) : 0;
	for (size_t k = 0; bl > 0 && name != NULL && k < g->nfiles; k++)
		if (strcmp(g->files[k]->path + bl + 1, name) == 0)
			return g->files[k];
	return NULL;
}

const char *
site_file_type(const struct site_file *f)
{
	return f->type != NULL ? f->type : filetype_media_type(f->url);
}

size_t
site_behind(const struct site *s, const struct page *p, int64_t *since)
{
	const struct page *src = p->group->primary;
	*since = 0;
	if (p == src || src->derived || src->hist == NULL || p->hist == NULL || src->hist == p->hist)
		return 0;
	const char *from = value_str(value_map_get(p->meta, "translated_from"));
	size_t seq;
	if (from != NULL && history_commit_find(s->history, from, &seq) == 0)
		return history_behind_seq(src->hist, seq, since);
	return history_behind(src->hist, p->hist, since);
}

/* translated_from must name a commit the history knows. */
static void
check_translated_from(const struct site *s)
{
	size_t seq;
	for (size_t i = 0; s->history != NULL && i < s->npages; i++) {
		const struct page *p = s->pages[i];
		const struct value *v = value_map_get(p->meta, "translated_from");
		if (v == NULL || p->derived)
			continue;
		if (history_commit_find(s->history, value_str(v), &seq) < 0)
			diag_warning(p->src, v->line, v->col,
			             "'translated_from' names no commit of this site's history (give 7 or more "
			             "hex digits of one); the translation's own last change counts instead");
	}
}

int
site_config(struct source *src, struct config **out)
{
	struct buf b = BUF_INIT;
	int rc = -1;
	*out = NULL;
	if (source_read(src, "site.yaml", &b) < 0)
		diag_error("site.yaml", 0, 0, "no such file: a site needs site.yaml beside content/");
	else
		rc = config_load("site.yaml", buf_str(&b), b.len, out);
	buf_free(&b);
	/* The logo is the site's own static file: a name that is not there would be a broken image
	 * in every page's header. */
	if (rc == 0 && (*out)->logo != NULL) {
		char *p = xasprintf("static/%s", (*out)->logo);
		if (!source_exists(src, p)) {
			diag_error("site.yaml", (*out)->logo_line, (*out)->logo_col,
			           "'logo': there is no file %s (the logo is a file of the site's static/ "
			           "folder)", p);
			config_free(*out);
			*out = NULL;
			rc = -1;
		}
		free(p);
	}
	/* So is the picture shared links show (og:image) for pages without their own. */
	if (rc == 0 && (*out)->image != NULL) {
		char *p = xasprintf("static/%s", (*out)->image);
		if (!source_exists(src, p)) {
			diag_error("site.yaml", (*out)->image_line, (*out)->image_col,
			           "'image': there is no file %s (the image shared links show is a file "
			           "of the site's static/ folder)", p);
			config_free(*out);
			*out = NULL;
			rc = -1;
		}
		free(p);
	}
	return rc;
}

int
site_load(struct source *src, const struct types *types, int nthreads, struct site **out)
{
	struct config *cfg;
	if (site_config(src, &cfg) < 0) {
		*out = xcalloc(1, sizeof **out);
		(*out)->src = src;
		return -1;
	}
	return site_load_config(src, cfg, types, NULL, nthreads, out);
}

/* The listing of content/ that prev's site had, when no file under content/ came or went since
 * (every changed path there was listed and is still there) and listing reported nothing then.
 * 1 when taken into files. */
static int
listing_from(struct source *src, const struct site_prev *prev, struct listing *files)
{
	const struct site *ps = prev ? prev->site : NULL;
	if (ps == NULL || prev->changed == NULL || !ps->listing_quiet || !prev->same_git)
		return 0;
	struct map listed = MAP_INIT;
	for (size_t i = 0; i < ps->nlisting; i++)
		map_put(&listed, ps->listing[i], ps->listing[i]);
	int ok = 1;
	for (size_t i = 0; ok && i < prev->nchanged; i++) {
		const char *c = prev->changed[i];
		const char *base = strrchr(c, '/') ? strrchr(c, '/') + 1 : c;
		if (strcmp(base, ".gitignore") == 0) /* what is listed changes with it */
			ok = 0;
		else if (strncmp(c, "content/", 8) == 0 || strcmp(c, "content") == 0)
			ok = map_get(&listed, c) != NULL && source_exists(src, c);
	}
	map_free(&listed);
	if (!ok)
		return 0;
	files->len = files->cap = ps->nlisting;
	files->paths = xcalloc(ps->nlisting + 1, sizeof *files->paths);
	for (size_t i = 0; i < ps->nlisting; i++)
		files->paths[i] = xstrdup(ps->listing[i]);
	return 1;
}

/* The file at path as prev's site read it, when it has not changed since; 0 when there is none
 * to lend (then it is read). */
static int
text_from(const struct site_prev *prev, const struct map *changed, const char *path,
          struct buf *out)
{
	if (prev == NULL || prev->site == NULL || prev->changed == NULL || map_get(changed, path))
		return 0;
	const struct page *p = map_get(&prev->site->pages_by_src, path);
	if (p == NULL || p->derived || p->text == NULL)
		return 0;
	buf_add(out, p->text, p->text_len);
	return 1;
}

int
site_load_config(struct source *src, struct config *config, const struct types *types,
                 const struct history *history, int nthreads, struct site **out)
{
	return site_load_prev(src, config, types, history, NULL, nthreads, out);
}

int
site_load_prev(struct source *src, struct config *config, const struct types *types,
               const struct history *history, const struct site_prev *prev, int nthreads,
               struct site **out)
{
	struct site *s = xcalloc(1, sizeof *s);
	struct buf b = BUF_INIT;
	struct listing files = {0};
	size_t errors_before = diag_error_count();
	struct map sections_by_name = MAP_INIT;
	int rc = -1;

	s->src = src;
	s->cfg = config;
	s->types = types;
	s->history = history;
	*out = s;
	const struct config *cfg = s->cfg;
	size_t deflang = config_lang(cfg, cfg->default_lang)->index;

	struct map changed = MAP_INIT;
	for (size_t i = 0; prev != NULL && prev->changed != NULL && i < prev->nchanged; i++)
		map_put(&changed, prev->changed[i], s);
	if (!listing_from(src, prev, &files)) {
		size_t said = diag_error_count() + diag_warning_count();
		source_list(src, "content", collect, &files);
		s->listing_quiet = diag_error_count() + diag_warning_count() == said;
	} else {
		s->listing_quiet = 1;
	}
	timing_mark("    list");
	safeguard_load(src, &s->safeguard);
	struct page **pages = xcalloc(files.len + 1, sizeof *pages), **withdrawn = NULL;
	size_t npages = 0, nwithdrawn = 0;
	for (size_t i = 0; i < files.len; i++) {
		const char *path = files.paths[i];
		if (!fs_path_is_safe(path)) {
			diag_error(path, 0, 0, "unsafe file name");
			continue;
		}
		/* Withdrawn: as if its files were not there, in every language, with its images and
		 * videos; nothing derived from it can be made. */
		if (safeguard_withdrawn(s->safeguard, path)) {
			struct page *wp = text_has_suffix(path, ".md") ? page_from_path(cfg, path) : NULL;
			note_left_out(s, wp, path, wp ? wp->key : NULL);
			/* A single-file page's files are found once every file is listed. */
			if (wp != NULL && wp->kind == PAGE_REGULAR && wp->bundle == NULL &&
			    source_read(src, path, &b) == 0) {
				wp->text_len = b.len;
				wp->text = buf_detach(&b);
				push((void ***)&withdrawn, &nwithdrawn, wp);
			} else {
				page_free(wp, 0);
			}
			continue;
		}
		if (!text_has_suffix(path, ".md")) {
			if ((s->nfiles & (s->nfiles - 1)) == 0)
				s->files = xrealloc(s->files, (s->nfiles ? s->nfiles * 2 : 1) * sizeof *s->files);
			s->files[s->nfiles++] = (struct site_file){.path = xstrdup(path), .lang = SIZE_MAX};
			continue;
		}
		struct page *p = page_from_path(cfg, path);
		if (p == NULL)
			continue;
		buf_reset(&b);
		int lent = text_from(prev, &changed, path, &b);
		if (!lent && source_read(src, path, &b) < 0) {
			diag_error(path, 0, 0, "cannot read the file");
			page_free(p, 0);
			continue;
		}
		p->text_checked = lent;
		p->text = take_text(&b, &p->text_len);
		/* Control characters go before anything reads the text (its transliterated twins
		 * included); a text an earlier load took has none, an invalid one fm_parse reports. */
		if (!lent && i18n_utf8_valid(p->text, p->text_len, NULL))
			p->text_len = fm_scrub(p->src, p->text, p->text_len);
		pages[npages++] = p;
	}

	for (size_t i = 0; i < nwithdrawn; i++) {
		leave_out_files(s, withdrawn[i]->src, NULL, withdrawn[i]->text, withdrawn[i]->text_len,
		                NULL);
		page_free(withdrawn[i], 0);
	}
	free(withdrawn);

	timing_mark("    read");
	/* Derived languages: each page of the source language gets a transliterated twin, unless a
	 * hand-written file for the derived language is there (index.sr-Latn.md wins). */
	struct map listed = MAP_INIT;
	for (size_t i = 0; i < files.len; i++)
		map_put(&listed, files.paths[i], files.paths[i]);
	size_t nsource = npages;
	for (size_t d = 0; d < cfg->nlangs; d++) {
		const struct config_lang *dl = &cfg->langs[d];
		if (dl->from == SIZE_MAX)
			continue;
		for (size_t i = 0; i < nsource; i++) {
			const struct page *sp = pages[i];
			if (sp->lang != dl->from)
				continue;
			char *twin = derived_path(cfg, sp->src, sp->lang, dl->code);
			struct page *p = map_get(&listed, twin) ? NULL : page_from_path(cfg, twin);
			free(twin);
			if (p == NULL)
				continue;
			struct buf t = BUF_INIT;
			i18n_transliterate(dl->transliterate, sp->text, &t);
			p->derived = 1;
			p->hist = history_get(history, sp->src);
			p->text = take_text(&t, &p->text_len);
			pages = xrealloc(pages, (npages + 2) * sizeof *pages);
			pages[npages++] = p;
		}
	}
	map_free(&listed);

	timing_mark("    derived");
	if (npages == 0 && diag_error_count() == errors_before)
		diag_warning("content", 0, 0, "no pages: the site has no Markdown files under content/");
	int *failed = xcalloc(npages + 1, sizeof *failed);
	struct load ld = {s, pages, failed};
	pool_run(npages, nthreads, parse_one, &ld);
	timing_mark("    parse");

	s->pages_by_url = xcalloc(cfg->nlangs, sizeof *s->pages_by_url);
	for (size_t i = 0; i < npages; i++) {
		struct page *p = pages[i];
		if (!p->derived)
			p->hist = history_get(history, p->src);
		if (failed[i] || (p->draft && !cfg->drafts) || page_url(p, cfg) < 0) {
			page_free(p, 0);
			continue;
		}
		struct page *other = map_put(&s->pages_by_url[p->lang], p->url, p);
		if (other != NULL) {
			diag_error(p->src, 1, 0, "this page and %s both have the URL %s", other->src,
			           p->url);
			map_put(&s->pages_by_url[p->lang], p->url, other);
			page_free(p, 0);
			continue;
		}
		char *gkey = p->kind == PAGE_REGULAR ? xstrdup(p->key) : xasprintf("%s\x01", p->key);
		struct group *g = map_get(&s->groups_by_key, gkey);
		if (g == NULL) {
			g = xcalloc(1, sizeof *g);
			g->key = xstrdup(p->key);
			g->kind = p->kind;
			g->pages = xcalloc(cfg->nlangs, sizeof *g->pages);
			map_put(&s->groups_by_key, gkey, g);
			push((void ***)&s->groups, &s->ngroups, g);
		}
		free(gkey);
		if (g->pages[p->lang] != NULL) {
			diag_error(p->src, 1, 0, "%s is already the %s version of '%s'",
			           g->pages[p->lang]->src, cfg->langs[p->lang].code, g->key);
			map_put(&s->pages_by_url[p->lang], p->url, NULL);
			page_free(p, 0);
			continue;
		}
		g->pages[p->lang] = p;
		p->group = g;
		push((void ***)&s->pages, &s->npages, p);
		map_put(&s->pages_by_src, p->src, p);
	}
	free(failed);
	free(pages);

	timing_mark("    urls, groups");
	/* Groups: primary version, sections, taxonomies. Section and home groups are also reachable
	 * by their plain key with a \x01 suffix; regular groups by their key. */
	sort_array(s->groups, s->ngroups, sizeof *s->groups, cmp_group_key);
	s->taxonomies = xcalloc(cfg->ntaxonomies ? cfg->ntaxonomies : 1, sizeof *s->taxonomies);
	for (size_t t = 0; t < cfg->ntaxonomies; t++)
		s->taxonomies[t].name = xstrdup(cfg->taxonomies[t]);
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		g->idx = i;
		g->primary = g->pages[deflang];
		for (size_t l = 0; g->primary == NULL && l < cfg->nlangs; l++)
			g->primary = g->pages[l];
		git_dates(s, g);
	}
	/* Parents first (a part's type comes from its parent's), in key order: a parent's key is a
	 * prefix of its parts' keys, so it sorts before them. */
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->kind == PAGE_SECTION)
			section_get(s, &sections_by_name, g->key)->index = g;
		if (g->kind != PAGE_REGULAR)
			continue;
		find_parent(s, g);
		assign_type(s, g);
		if (g->parent != NULL)
			move_under_parent(s, g);
	}
	consent_check(s);
	timing_mark("    parents, types");
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->kind != PAGE_REGULAR)
			continue;
		check_group(s, g);
		const char *sec = g->primary->section;
		if (sec != NULL && g->parent == NULL) {
			struct section *sc = section_get(s, &sections_by_name, sec);
			push((void ***)&sc->groups, &sc->ngroups, g);
		}
		push((void ***)&s->regular, &s->nregular, g);
		add_terms(s, g);
	}
	for (size_t i = 0; i < s->ngroups; i++)
		if (s->groups[i]->nparts > 1)
			sort_array(s->groups[i]->parts, s->groups[i]->nparts, sizeof *s->groups[i]->parts,
			           cmp_group_listing);
	for (size_t i = 0; i < s->nsections; i++)
		sort_array(s->sections[i]->groups, s->sections[i]->ngroups, sizeof *s->sections[i]->groups,
		      cmp_group_listing);
	order_sections(s);
	timing_mark("    sections");
	for (size_t i = 0; i < s->nsections; i++)
		s->sections[i]->type = section_type(s, s->sections[i]->name);
	for (size_t i = 0; s->types != NULL && i < cfg->nsections; i++)
		if (cfg->section_types[i] != NULL && types_get(s->types, cfg->section_types[i]) == NULL)
			diag_error("site.yaml", 0, 0, "section '%s': there is no content type '%s'",
			           cfg->sections[i], cfg->section_types[i]);
	sort_array(s->regular, s->nregular, sizeof *s->regular, cmp_group_date);
	for (size_t t = 0; t < cfg->ntaxonomies; t++) {
		struct taxonomy *tx = &s->taxonomies[t];
		sort_array(tx->terms, tx->nterms, sizeof *tx->terms, cmp_term);
		for (size_t i = 0; i < tx->nterms; i++)
			sort_array(tx->terms[i]->groups, tx->terms[i]->ngroups, sizeof *tx->terms[i]->groups,
			      cmp_group_date);
	}
	for (size_t i = 0; i < s->npages; i++) {
		struct page *p = s->pages[i];
		if (p->bundle == NULL)
			continue;
		const struct page *had = map_get(&s->bundles, p->bundle);
		if (had == NULL || (had->lang != deflang && p->lang == deflang))
			map_put(&s->bundles, p->bundle, p);
	}
	safeguard_report_unused(s->safeguard);
	timing_mark("    sorts, bundles");
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct group *g = s->groups[i];
		for (size_t r = 0; g->kind == PAGE_REGULAR && r < cfg->nrequired_langs; r++) {
			size_t l = cfg->required_langs[r];
			if (g->pages[l] == NULL)
				diag_problem(g->primary->src, 1, 0,
				             "no %s version: %s is one of the site's required languages "
				             "(required_languages in site.yaml)", cfg->langs[l].name,
				             cfg->langs[l].code);
		}
	}
	link_versions(s);
	check_translated_from(s);
	publish_files(s);
	timing_mark("    versions, files");
	if (s->types != NULL)
		link_groups(s);
	timing_mark("    link_groups");
	for (size_t i = 0; i < s->npages; i++)
		s->pages[i]->idx = i;
	rc = diag_error_count() > errors_before ? -1 : 0;
	s->listing = files.paths;
	s->nlisting = files.len;
	map_free(&changed);
	map_free(&sections_by_name);
	buf_free(&b);
	return rc;
}

/* Normalises base/rel ("content/a/b" + "../c/x.md" -> "content/a/c/x.md"); NULL if it climbs out. */
static char *
normalize(const char *base, const char *rel)
{
	char *joined = *base ? xasprintf("%s/%s", base, rel) : xstrdup(rel);
	/* In place: what is kept is never longer than what has been read. */
	size_t out = 0, n = 0; /* bytes and segments kept */
	for (char *p = joined; *p != '\0';) {
		size_t k = strcspn(p, "/");
		char *next = p[k] == '\0' ? p + k : p + k + 1;
		if (k == 0 || (k == 1 && p[0] == '.')) {
			p = next;
			continue;
		}
		if (k == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0) {
				free(joined);
				return NULL;
			}
			while (out > 0 && joined[out - 1] != '/')
				out--;
			if (out > 0)
				out--; /* the '/' before the segment taken off */
			n--;
			p = next;
			continue;
		}
		if (n > 0)
			joined[out++] = '/';
		memmove(joined + out, p, k);
		out += k;
		n++;
		p = next;
	}
	joined[out] = '\0';
	return joined;
}

static int
has_scheme(const char *u)
{
	const char *p = u;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/* Does the file name carry a language part (index.bg.md)? */
static int
names_language(const struct site *s, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *stem = xstrndup(base, strlen(base) - 3);
	char *dot = strrchr(stem, '.');
	int r = dot != NULL && config_lang(s->cfg, dot + 1) != NULL;
	free(stem);
	return r;
}

/* A link's path as a browser and a static server read it: '\\' as '/', then %XX decoded. */
static char *
url_path_decode(const char *u, size_t n)
{
	struct buf b = BUF_INIT;
	char *slashed = xstrndup(u, n);
	for (char *c = slashed; *c; c++)
		if (*c == '\\')
			*c = '/';
	buf_add_percent_decoded(&b, slashed, strlen(slashed));
	free(slashed);
	return buf_detach(&b);
}

/* The path on this site ("/en/x/", dot segments resolved, ".." stopping at the root) that a
 * link leads to: a site-absolute one, or one by the site's own address (base_url, with http or
 * https, its host in any case, or //host/...). NULL when it leads elsewhere or is relative. */
static char *
site_path(const struct site *s, const char *url)
{
	const char *u = url;
	if (strncasecmp(u, "https:", 6) == 0)
		u += 6;
	else if (strncasecmp(u, "http:", 5) == 0)
		u += 5;
	else if (has_scheme(u))
		return NULL;
	int sep0 = u[0] == '/' || u[0] == '\\', sep1 = sep0 && (u[1] == '/' || u[1] == '\\');
	if (!sep0 || (u != url && !sep1))
		return NULL; /* relative, or a scheme without a host */
	if (sep1) {
		const char *b = strstr(s->cfg->base_url, "://");
		if (b == NULL)
			return NULL;
		b += 3;
		size_t hl = strcspn(b, "/");
		u += 2;
		if (strncasecmp(u, b, hl) != 0 || (u[hl] != '\0' && strchr("/\\?#", u[hl]) == NULL))
			return NULL;
		u += hl;
		const char *bpath = b + hl; /* "/" or "/hub/" */
		size_t bl = strlen(bpath) - 1;
		if (strncmp(u, bpath, bl) != 0)
			return NULL;
		u += bl;
	}
	char *dec = url_path_decode(u, strcspn(u, "#?"));
	char **parts = NULL;
	size_t n = 0;
	char *save = NULL;
	size_t len = strlen(dec);
	int dir = len == 0 || dec[len - 1] == '/';
	for (char *tok = strtok_r(dec, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		dir = strcmp(tok, ".") == 0 || strcmp(tok, "..") == 0;
		if (strcmp(tok, "..") == 0 && n > 0)
			n--;
		else if (!dir)
			push((void ***)&parts, &n, tok);
	}
	if (len > 0 && dec[len - 1] == '/')
		dir = 1;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_putc(&b, '/');
		buf_puts(&b, parts[i]);
	}
	if (dir || n == 0)
		buf_putc(&b, '/');
	free(parts);
	free(dec);
	return buf_detach(&b);
}

/* A link to a left-out material or one of its files: its source is told (a derived page's links
 * are its source's). */
static void
left_out_link(const struct page *p, const char *rel, int line)
{
	if (!p->derived)
		diag_problem(p->src, p->body_line + line - 1, 0,
		             "link to '%s', which is left out for safeguarding: the link is taken out, its "
		             "text kept; take it out of the page", rel);
}

int
site_link_judged(const char *url)
{
	return !(*url == '\0' || *url == '#' || *url == '/' || *url == '\\' || *url == '?' ||
	         has_scheme(url));
}

char *
site_resolve_link(const struct site *s, const struct page *p, const char *url, int line)
{
	char *sp = site_path(s, url);
	int gone = sp != NULL && left_out_url(s, sp);
	free(sp);
	if (gone) {
		left_out_link(p, url, line);
		return xstrdup(""); /* md_render takes the link out */
	}
	if (!site_link_judged(url))
		return NULL;
	size_t plen = strcspn(url, "#?");
	const char *frag = url + plen;
	char *rel = xstrndup(url, plen);
	char *dir = xstrdup(p->src);
	char *slash = strrchr(dir, '/');
	*slash = '\0';
	char *decoded = url_path_decode(url, plen); /* my%20notes.pdf is "my notes.pdf" */
	char *path = normalize(dir, decoded);
	free(decoded);
	char *result = NULL;
	free(dir);
	if (path == NULL) {
		/* ../../../etc/passwd: nothing out there is published, and a site should not seem
		 * to link to it. */
		if (!p->derived)
			diag_error(p->src, p->body_line + line - 1, 0, "link '%s' leads out of the site",
			           rel);
		goto out;
	}
	if (text_has_suffix(path, ".md")) {
		const struct page *t = map_get(&s->pages_by_src, path);
		if (t == NULL) {
			/* A derived page's links are its source's: the source alone is told. */
			if (left_out_path(s, path)) {
				left_out_link(p, rel, line);
				result = xstrdup(""); /* md_render takes the link out */
			} else if (!p->derived) {
				diag_problem(p->src, p->body_line + line - 1, 0, "link to a missing page '%s'",
				             rel);
			}
			goto out;
		}
		if (!names_language(s, path) && t->group->pages[p->lang] != NULL)
			t = t->group->pages[p->lang];
		result = xasprintf("%s%s", t->url, frag);
		goto out;
	}
	const struct site_file *file = map_get(&s->file_urls, path);
	if (file != NULL) {
		result = xasprintf("%s%s", file->url, frag);
		goto out;
	}
	if (left_out_path(s, path)) {
		left_out_link(p, rel, line);
		result = xstrdup("");
		goto out;
	}
	if (strncmp(path, "content/", 8) == 0) {
		const struct group *g = map_get(&s->groups_by_key, path + 8);
		if (g == NULL) {
			char *k = xasprintf("%s\x01", path + 8);
			g = map_get(&s->groups_by_key, k);
			free(k);
		}
		if (g != NULL) {
			const struct page *t = g->pages[p->lang] ? g->pages[p->lang] : g->primary;
			result = xasprintf("%s%s", t->url, frag);
			goto out;
		}
	}
	/* Neither a page, a folder of pages nor a file the site publishes. (Outside content/, as
	 * ../../../static/logo.svg, the file is not the content's to judge.) */
	if (!p->derived && strncmp(path, "content/", 8) == 0)
		diag_problem(p->src, p->body_line + line - 1, 0, "link to a missing file '%s'", rel);
out:
	free(path);
	free(rel);
	return result;
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->npages; i++)
		page_free(s->pages[i], s->cfg ? s->cfg->ntaxonomies : 0);
	free(s->pages);
	size_t ntax = s->cfg ? s->cfg->ntaxonomies : 0;
	for (size_t i = 0; i < s->ngroups; i++)
		group_free(s->groups[i]);
	free(s->groups);
	map_free(&s->groups_by_key);
	map_free(&s->left_out);
	safeguard_free(s->safeguard);
	map_free(&s->pages_by_src);
	if (s->pages_by_url != NULL)
		for (size_t l = 0; l < s->cfg->nlangs; l++)
			map_free(&s->pages_by_url[l]);
	free(s->pages_by_url);
	for (size_t i = 0; i < s->nsections; i++) {
		free(s->sections[i]->name);
		free(s->sections[i]->groups);
		free(s->sections[i]);
	}
	free(s->sections);
	for (size_t i = 0; i < s->nlisting; i++)
		free(s->listing[i]);
	free(s->listing);
	for (size_t t = 0; t < ntax && s->taxonomies; t++) {
		struct taxonomy *tx = &s->taxonomies[t];
		for (size_t i = 0; i < tx->nterms; i++) {
			free(tx->terms[i]->name);
			free(tx->terms[i]->slug);
			free(tx->terms[i]->groups);
			free(tx->terms[i]);
		}
		free(tx->terms);
		free(tx->name);
		map_free(&tx->by_slug);
	}
	free(s->taxonomies);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].url);
		free(s->files[i].srcset);
		free(s->files[i].webp_srcset);
	}
	free(s->files);
	map_free(&s->file_urls);
	map_free(&s->bundles);
	free(s->regular);
	config_free(s->cfg);
	free(s);
}

/* site_replace_body, which with apply 0 only says whether it would change anything (its count),
 * taking nothing and changing nothing. */
static size_t
replace_body(struct site *s, struct page *p, char *text, size_t len, struct page **out, int apply)
{
	const struct config *cfg = s->cfg;
	size_t bad;
	if (p->derived || p->text == NULL || len < p->body_off ||
	    memcmp(text, p->text, p->body_off) != 0 || text_find_control(text, len) != len ||
	    !i18n_utf8_valid(text, len, &bad)) /* a load reports (or scrubs) it */
		return 0;
	/* Its transliterated twins, made again from the new text: their front matter must be as
	 * it was too. */
	size_t n = 1;
	char **twins = xcalloc(cfg->nlangs + 1, sizeof *twins);
	size_t *lens = xcalloc(cfg->nlangs + 1, sizeof *lens);
	int ok = 1;
	for (size_t d = 0; d < cfg->nlangs && ok; d++) {
		const struct config_lang *dl = &cfg->langs[d];
		if (dl->from != p->lang)
			continue;
		char *twin = derived_path(cfg, p->src, p->lang, dl->code);
		struct page *q = map_get(&s->pages_by_src, twin);
		free(twin);
		if (q == NULL || !q->derived)
			continue;
		struct buf t = BUF_INIT;
		i18n_transliterate(dl->transliterate, text, &t);
		ok = t.len >= q->body_off && memcmp(buf_str(&t), q->text, q->body_off) == 0;
		lens[n] = t.len;
		twins[n] = buf_detach(&t);
		out[n++] = q;
	}
	if (ok && apply) {
		free(p->text);
		p->text = text;
		p->text_len = len;
		out[0] = p;
		/* The quick path reads no front matter: the body's shortcodes are told of here. */
		hugo_shortcodes_warn(p->src, p->text + p->body_off, p->text_len - p->body_off,
		                     p->body_line);
		for (size_t k = 1; k < n; k++) {
			free(out[k]->text);
			out[k]->text = twins[k];
			out[k]->text_len = lens[k];
		}
	} else {
		for (size_t k = 1; k < n; k++)
			free(twins[k]);
		if (!ok)
			n = 0;
	}
	free(twins);
	free(lens);
	return n;
}

size_t
site_replace_body(struct site *s, struct page *p, char *text, size_t len, struct page **out)
{
	return replace_body(s, p, text, len, out, 1);
}

int
site_body_only(struct site *s, struct page *p, const char *text, size_t len)
{
	struct page **out = xcalloc(s->cfg->nlangs + 1, sizeof *out);
	size_t n = replace_body(s, p, (char *)text, len, out, 0);
	free(out);
	return n > 0;
}
