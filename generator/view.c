/* view: the values each layout receives, made from the model, the plan and the page texts. */
#include "view.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "filetype.h"
#include "pack.h"
#include "deps.h"
#include "translations.h"
#include "types.h"
#include "urlbase.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/sort.h"
#include "util/xalloc.h"

struct view {
	const struct site *s;
	const struct config *cfg;
	const struct plan *pl;
	const struct page_text *texts; /* by page->idx */
	const struct catalog *cat;
	size_t nl;
	int64_t now;
	const char *prefix, *branch;
	char *base;               /* base_url without its trailing slash */
	struct i18n_locale **locs; /* the view's own, for the values made once */
	struct value **site_vals; /* per language */
	struct value **lang_vals; /* per language */
	struct value **entries;   /* ngroups * nl: listing entries (NULL: not listed in that language) */
	struct value **versions;  /* per group: {code, name, url} of every version */
	struct value **alternates; /* per group */
	char **section_titles;    /* nsections * nl */
	char (*og_locales)[I18N_TAG_MAX]; /* per language: i18n_og_locale of its locale, made once */
	size_t nterm_tax;         /* taxonomies with made terms (make_term_values) */
	const struct term ***term_ptrs; /* per taxonomy: its terms in address order */
	struct value ***term_vals; /* per taxonomy: nterms * nl, in term_ptrs' order */
	struct nav_item **nav;    /* per language: the main navigation (nav_one) */
	size_t *nnav;
	struct value **facets;    /* per language: the facet file's data, {lang, taxonomies, items} */
	/* view_job_facts: the options' fingerprints, and per group (gf), per language (nav) and
	 * for the whole site (all) those of the model. */
	struct view_opts o;
	uint64_t *gf, *nav_fp, all_fp, terms_fp;
	/* Per plan list: its entries' facts; which are past; the facts of the dated ones (which
	 * every page of a section's listing shows, as upcoming or past). */
	uint64_t *list_fp, *list_when, *list_dated;
};

/* A list of values (entries, facet terms), borrowed. */
struct vlist {
	struct value **items;
	size_t len;
};

struct i18n_locale *
view_locale(const struct view *r, struct i18n_locale **locs, size_t lang)
{
	if (locs[lang] == NULL)
		locs[lang] = i18n_locale_new(r->cfg->langs[lang].locale);
	return locs[lang];
}

/* subpath: a path of the site as the output carries it, with the base path (urlbase.h). Every
 * URL a template gets goes through here; permalinks are base_url + the path. */
static struct value *
url_value(const struct view *r, const char *url)
{
	return value_new_string_own(urlbase_add(r->cfg->base_path, url));
}

static struct value *
url_value_own(const struct view *r, char *url)
{
	struct value *v = url_value(r, url);
	free(url);
	return v;
}

static char *
permalink(const struct view *r, const char *url)
{
	return xasprintf("%s%s", r->base, url);
}

int64_t
view_reading_minutes(const struct page_text *t)
{
	/* In thousandths of a minute, rounded up once at the end. */
	uint64_t m = (uint64_t)(t->words - t->ideo_words) * (1000 / VIEW_WORDS_PER_MINUTE) +
	             (uint64_t)t->ideo_chars * (1000 / VIEW_IDEO_CHARS_PER_MINUTE);
	return m > 1000 ? (int64_t)((m + 999) / 1000) : 1;
}

char *
view_permalink(const struct view *v, const char *url)
{
	return permalink(v, url);
}

const char *
view_summary(const struct view *v, const struct page *p)
{
	if (p->summary != NULL)
		return p->summary;
	const char *s = v->texts[p->idx].summary;
	return s ? s : "";
}

int64_t
view_day_ts(const char *s)
{
	int y, m, d;
	if (s == NULL || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return INT64_MIN;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
	return (int64_t)timegm(&tm);
}

/* Orders values by their title in language l's collation. */
/* A term of a taxonomy page's list, with its title in the page's language. */
struct term_row {
	struct term *term;
	char *title;
	size_t count;
};

static const char *
term_row_title(const void *row, void *payload)
{
	(void)payload;
	return ((const struct term_row *)row)->title;
}

static const char *
entry_title(const void *entry, void *payload)
{
	(void)payload;
	return value_str(value_map_get(entry, "title"));
}

static void
sort_by_title(const struct view *r, struct i18n_locale **locs, struct vlist *li, size_t l)
{
	i18n_sort_by(view_locale(r, locs, l), (void **)li->items, li->len, entry_title, NULL);
}

/* The entries of a planned listing in language l. The caller frees items. */
static struct vlist
entries_of(const struct view *r, const struct plan_list *li, size_t l)
{
	struct vlist v = {xcalloc(li->len + 1, sizeof *v.items), 0};
	for (size_t i = 0; i < li->len; i++)
		v.items[v.len++] = r->entries[li->items[i]->idx * r->nl + l];
	return v;
}

/* ---- shared values ---- */

static const char *
lang_code(const struct view *r, size_t l)
{
	return r->cfg->langs[l].code;
}

/* What templates and scripts see as a language: its BCP 47 tag (lang, hreflang); URLs are made
 * with lang_code, the site's key, which differs for a key such as a Hugo site's "gr". */
static const char *
lang_tag(const struct view *r, size_t l)
{
	return r->cfg->langs[l].tag;
}

static struct value *
lang_value(const struct view *r, size_t l)
{
	const struct config_lang *cl = &r->cfg->langs[l];
	struct value *v = value_new_map();
	value_map_set_string(v, "code", cl->tag);
	value_map_set_string(v, "name", cl->name);
	value_map_set_string(v, "dir", cl->dir);
	value_map_set_string(v, "locale", cl->locale);
	value_map_set(v, "url", url_value_own(r, xasprintf("/%s/", cl->code)));
	return v;
}

/* ---- Open Graph and Twitter cards (base.html's og: and twitter: tags) ---- */

static const struct site_file *page_image(const struct group *g, const struct page *p);

/* The published width of img for a shared card: the widest of its srcset no wider than 1200
 * pixels (what Facebook and others show), else the image as published. Into *url (the caller
 * frees), *w, *h. */
static void
og_image_size(const struct site_file *img, char **url, int *w, int *h)
{
	*url = NULL;
	*w = img->width;
	for (const char *c = img->srcset; c != NULL && *c;) {
		while (*c == ' ' || *c == ',')
			c++;
		size_t n = strcspn(c, " ,");
		int cw = c[n] == ' ' ? atoi(c + n + 1) : 0;
		if (cw > 0 && cw <= 1200 && (*url == NULL || cw > *w)) {
			free(*url);
			*url = xstrndup(c, n);
			*w = cw;
		}
		c += n;
		while (*c && *c != ',')
			c++;
	}
	if (*url == NULL) {
		*url = xstrdup(img->url);
		*w = img->width;
	}
	*h = (int)lround((double)img->height * *w / img->width);
}

/* The path a static/ image that site.yaml names (logo:, image:) is published at: an SVG as
 * PNG, as every SVG of static/ is. The caller frees. */
static char *
static_image_path(const char *file)
{
	const char *ext = strrchr(file, '.');
	if (ext != NULL && strcasecmp(ext, ".svg") == 0)
		return xasprintf("/%.*s.png", (int)(ext - file), file);
	return xasprintf("/%s", file);
}

/* page.og: {image (absolute URL), image_alt, image_width, image_height, card ("summary" or
 * "summary_large_image"), locale (ll_CC), alternates (the ll_CC of the page's other
 * languages, each once)}. The image is the page's own, else site.yaml's `image`. */
static struct value *
og_value(const struct view *r, const struct job *j, size_t l, const struct value *page)
{
	const struct config *cfg = r->cfg;
	struct value *og = value_new_map();
	const struct site_file *img = NULL;
	if (j->kind == JOB_PAGE) {
		img = page_image(j->page->group, j->page);
		if (img != NULL && (img->width <= 0 || img->height <= 0))
			img = NULL;
	}
	if (img != NULL) {
		char *url;
		int w, h;
		og_image_size(img, &url, &w, &h);
		value_map_set(og, "image", value_new_string_own(permalink(r, url)));
		free(url);
		value_map_set_int(og, "image_width", w);
		value_map_set_int(og, "image_height", h);
		const char *alt = value_str(value_map_get(j->page->meta, "image_alt"));
		if (alt == NULL)
			alt = value_str(value_map_get(j->page->group->primary->meta, "image_alt"));
		if (alt != NULL && *alt)
			value_map_set_string(og, "image_alt", alt);
	} else if (cfg->image != NULL) {
		/* As the logo: an SVG of static/ is published as PNG, which cards can show. */
		char *url = static_image_path(cfg->image);
		value_map_set(og, "image", value_new_string_own(permalink(r, url)));
		free(url);
		if (cfg->image_alt != NULL)
			value_map_set_string(og, "image_alt", cfg->image_alt);
	}
	value_map_set_string(og, "card", value_map_get(og, "image") ? "summary_large_image" : "summary");
	const char *own = r->og_locales[l];
	if (own[0])
		value_map_set_string(og, "locale", own);
	struct value *alts = value_map_set(og, "alternates", value_new_list());
	const struct value *pa = value_deref(value_map_get(page, "alternates"));
	for (size_t i = 0; pa != NULL && i < value_len(pa); i++) {
		const char *tag = value_str(value_map_get(pa->u.list.items[i], "hreflang"));
		size_t k = 0;
		while (tag != NULL && k < cfg->nlangs && strcmp(cfg->langs[k].tag, tag) != 0)
			k++;
		if (tag == NULL || k == cfg->nlangs || k == l)
			continue;
		const char *other = r->og_locales[k];
		int seen = other[0] == '\0' || strcmp(other, own) == 0;
		for (size_t m = 0; !seen && m < value_len(alts); m++)
			seen = strcmp(value_str(alts->u.list.items[m]), other) == 0;
		if (!seen)
			value_list_push(alts, value_new_string(other));
	}
	return og;
}

/* ---- what git's record may publish (site.yaml's history) ---- */

/* Whether the site has a public recent changes page and feed per language. */
static int
public_changes(const struct view *r)
{
	return r->pl->public_changes;
}

/* Whether an author's name may be published: history.contributors allows it (all, or a name
 * .mailmap gives). history made any address "" already. */
static int
name_shown(const struct view *r, const char *name, int mapped)
{
	return name != NULL && *name != '\0' &&
	       (r->cfg->contributors == CONFIG_NAMES_ALL ||
	        (r->cfg->contributors == CONFIG_NAMES_MAILMAP && mapped));
}

static const char *taxonomy_title(const struct view *r, size_t t, size_t l);

static struct value *
site_value(const struct view *r, size_t l)
{
	const struct config *cfg = r->cfg;
	struct value *v = value_new_map();
	value_map_set_string(v, "title", cfg->langs[l].title);
	value_map_set_string(v, "base_url", cfg->base_url);
	value_map_set_string(v, "default_language", config_lang(cfg, cfg->default_lang)->tag);
	struct value *langs = value_map_set(v, "languages", value_new_list());
	for (size_t i = 0; i < r->nl; i++)
		value_list_push(langs, value_new_ref(r->lang_vals[i]));
	struct value *tax = value_map_set(v, "taxonomies", value_new_list());
	for (size_t i = 0; i < cfg->ntaxonomies; i++)
		value_list_push(tax, value_new_string(cfg->taxonomies[i]));
	/* The taxonomies with a page in this language (a term of theirs lists something here):
	 * what a template may link to, where site.taxonomies names them all. */
	struct value *pages = value_map_set(v, "taxonomy_pages", value_new_list());
	for (size_t i = 0; i < cfg->ntaxonomies; i++) {
		char *url = xasprintf("/%s/%s/", cfg->langs[l].code, cfg->taxonomies[i]);
		if (map_get(&r->pl->urls, url) == NULL) {
			free(url);
			continue;
		}
		struct value *t = value_list_push(pages, value_new_map());
		value_map_set_string(t, "name", cfg->taxonomies[i]);
		value_map_set_string(t, "title", taxonomy_title(r, i, l));
		value_map_set(t, "url", url_value_own(r, url));
	}
	/* What a search box may point at: the library page and the search index, when they are
	 * made (a theme without library.html has none). */
	char *library = xasprintf("/%s/library/", cfg->langs[l].code);
	if (map_get(&r->pl->urls, library) != NULL)
		value_map_set(v, "library_url", url_value_own(r, library));
	else
		free(library);
	if (r->pl->search)
		value_map_set(v, "search_url", url_value_own(r, xasprintf("/%s/search/", cfg->langs[l].code)));
	value_map_set(v, "params", value_new_ref(cfg->params));
	/* The brand: the logo's URL (an SVG in static/ is published as PNG, as every SVG is) and
	 * the colour with the text colour that reads on it. */
	if (cfg->logo != NULL)
		value_map_set(v, "logo", url_value_own(r, static_image_path(cfg->logo)));
	if (cfg->brand_color != NULL) {
		struct value *b = value_map_set(v, "brand", value_new_map());
		value_map_set_string(b, "color", cfg->brand_color);
		value_map_set_string(b, "text", cfg->brand_fg);
	}
	/* pack: the page that offers the offline packs. */
	if (cfg->offline)
		value_map_set(v, "offline_url", url_value_own(r, xasprintf("/%s/offline/", cfg->langs[l].code)));
	/* The recent changes page, when git tells them and it is public. */
	if (public_changes(r))
		value_map_set(v, "changes_url", url_value_own(r, xasprintf("/%s/changes/", cfg->langs[l].code)));
	return v;
}

static const char *
taxonomy_title(const struct view *r, size_t t, size_t l)
{
	const char *s = catalog_string(r->cat, l, r->cfg->taxonomies[t]);
	return s ? s : r->cfg->taxonomies[t];
}

static char *
term_title(const struct view *r, size_t t, const struct term *term, size_t l)
{
	char *key = xasprintf("%s.%s", r->cfg->taxonomies[t], term->name);
	const char *s = catalog_string(r->cat, l, key);
	free(key);
	/* The languages taxonomy names each language in itself, as the switcher does. */
	const struct config_lang *cl = strcmp(r->cfg->taxonomies[t], "languages") == 0
	                                   ? config_lang(r->cfg, term->name) : NULL;
	if (s == NULL && cl != NULL)
		s = cl->name;
	/* Countries are ISO codes: ICU names them in every language. */
	if (s == NULL && strcmp(r->cfg->taxonomies[t], "countries") == 0 &&
	    i18n_country_valid(term->name)) {
		struct buf b = BUF_INIT;
		i18n_country_name(term->name, r->cfg->langs[l].locale, &b);
		return buf_detach(&b);
	}
	return xstrdup(s ? s : term->name);
}

/* Whether a taxonomy's terms follow an order of their own rather than their titles' collation
 * (term_rank): languages and years. */
static int
ranked(const struct view *r, size_t t)
{
	return strcmp(r->cfg->taxonomies[t], "languages") == 0 || strcmp(r->cfg->taxonomies[t], "years") == 0;
}

/* A term's place in a ranked taxonomy: a language in site.yaml's order (the switcher's), the
 * languages the site is not published in after them (by title among themselves); a year
 * newest first. */
static long
term_rank(const struct view *r, size_t t, const struct term *term)
{
	const char *tax = r->cfg->taxonomies[t];
	if (strcmp(tax, "languages") == 0) {
		const struct config_lang *cl = config_lang(r->cfg, term->name);
		return cl ? (long)cl->index : (long)r->nl;
	}
	if (strcmp(tax, "years") == 0 && strspn(term->name, "0123456789") == strlen(term->name) &&
	    strlen(term->name) <= 6)
		return -atol(term->name);
	return 0;
}

/* Moves items (in title order) into the order of their ranks, stably; ranks[i] is items[i]'s.
 * Both arrays are reordered. Few terms have ranks (languages, years): insertion sort. */
static void
order_by_rank(void **items, long *ranks, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		void *it = items[i];
		long k = ranks[i];
		size_t j = i;
		for (; j > 0 && ranks[j - 1] > k; j--) {
			items[j] = items[j - 1];
			ranks[j] = ranks[j - 1];
		}
		items[j] = it;
		ranks[j] = k;
	}
}

/* The language a term's title is in when it is not the page's: a language term is named in
 * that language (lang="bg" on "Български"). NULL otherwise. */
static const char *
term_lang(const struct view *r, size_t t, const struct term *term)
{
	const struct config_lang *cl = strcmp(r->cfg->taxonomies[t], "languages") == 0
	                                   ? config_lang(r->cfg, term->name) : NULL;
	return cl ? cl->tag : NULL;
}

const char *
view_title(const struct page *p)
{
	return p->title ? p->title : p->key;
}

/* A date field for templates: {value (as written), date (YYYY-MM-DD), display, ts, has_time};
 * a time of day shows at the UTC offset it was written with. */
static struct value *
date_value(const struct view *r, struct i18n_locale **w, size_t l, const char *s)
{
	int64_t ts;
	char *ymd;
	int has_time;
	long off;
	if (parse_date_full(s, &ts, &ymd, &has_time, &off) < 0)
		return value_new_string(s);
	struct value *v = value_new_map();
	struct buf b = BUF_INIT;
	value_map_set_string(v, "value", s);
	value_map_set(v, "date", value_new_string_own(ymd));
	if (has_time)
		i18n_format_datetime(view_locale(r, w, l), ts, off, &b);
	else
		i18n_format_date(view_locale(r, w, l), ts, "long", &b);
	value_map_set(v, "display", value_new_string_own(buf_detach(&b)));
	value_map_set_int(v, "ts", ts);
	value_map_set_bool(v, "has_time", has_time);
	return v;
}

static void card_media(const struct view *r, const struct group *g, const struct page *p, struct value *it);

static struct value *
make_entry(const struct view *r, struct i18n_locale **w, const struct group *g, size_t l)
{
	const struct page *p = g->pages[l];
	int fallback = p == NULL;
	if (fallback)
		p = g->primary;
	struct value *e = value_new_map();
	value_map_set_string(e, "title", view_title(p));
	value_map_set(e, "url", url_value(r, p->url));
	if (p->date != NULL) {
		struct buf b = BUF_INIT;
		value_map_set_string(e, "date", p->date);
		i18n_format_date(view_locale(r, w, l), p->ts, "long", &b);
		value_map_set(e, "date_display", value_new_string_own(buf_detach(&b)));
	}
	value_map_set_string(e, "summary", view_summary(r, p));
	if (p->section != NULL)
		value_map_set_string(e, "section", p->section);
	value_map_set_string(e, "lang", lang_tag(r, p->lang));
	value_map_set_string(e, "dir", r->cfg->langs[p->lang].dir);
	value_map_set_bool(e, "fallback", fallback);
	value_map_set(e, "languages", value_new_ref(r->versions[g->idx]));
	if (g->type != NULL) {
		value_map_set_string(e, "type", g->type->name);
		static const char *const when[] = {"start", "end"};
		for (size_t i = 0; i < 2; i++) {
			const struct field *f = type_field(g->type, when[i]);
			const char *v = value_str(value_map_get(p->meta, when[i]));
			if (f != NULL && f->kind == FIELD_DATE && v != NULL)
				value_map_set(e, when[i], date_value(r, w, l, v));
		}
	}
	const struct value *feat = value_map_get(p->meta, "featured");
	if (feat != NULL && feat->type == VALUE_BOOL && feat->u.b)
		value_map_set_bool(e, "featured", 1);
	/* The card's picture and formats, as the library's cards have them. */
	card_media(r, g, p, e);
	return e;
}

/* One <link rel="alternate"> entry: {hreflang, href} with href made absolute. */
static void
add_alternate(const struct view *r, struct value *alts, const char *hreflang, const char *url)
{
	struct value *a = value_list_push(alts, value_new_map());
	value_map_set_string(a, "hreflang", hreflang);
	value_map_set(a, "href", value_new_string_own(permalink(r, url)));
}

/* One language-switcher entry for language l: {code, name, dir, url, title?, current}. */
static void
add_translation(const struct view *r, struct value *tr, size_t l, const char *url,
                const char *title, int current)
{
	struct value *v = value_list_push(tr, value_new_map());
	value_map_set_string(v, "code", lang_tag(r, l));
	value_map_set_string(v, "name", r->cfg->langs[l].name);
	value_map_set_string(v, "dir", r->cfg->langs[l].dir);
	value_map_set(v, "url", url_value(r, url));
	if (title != NULL)
		value_map_set_string(v, "title", title);
	value_map_set_bool(v, "current", current);
}

/* Language l's listing entries: each language's task touches its own entries and locale. */
static void
entries_one(size_t l, int worker, void *payload)
{
	struct view *r = payload;
	const struct site *s = r->s;
	(void)worker;
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		if (g->kind == PAGE_REGULAR && (g->pages[l] != NULL || r->cfg->list_untranslated))
			r->entries[i * r->nl + l] = make_entry(r, r->locs, g, l);
	}
}

static void
make_group_values(struct view *r)
{
	const struct site *s = r->s;
	size_t deflang = config_lang(r->cfg, r->cfg->default_lang)->index;
	r->versions = xcalloc(s->ngroups + 1, sizeof *r->versions);
	r->alternates = xcalloc(s->ngroups + 1, sizeof *r->alternates);
	r->entries = xcalloc(s->ngroups * r->nl + 1, sizeof *r->entries);
	for (size_t i = 0; i < s->ngroups; i++) {
		struct group *g = s->groups[i];
		struct value *vs = value_new_list(), *alts = value_new_list();
		for (size_t l = 0; l < r->nl; l++) {
			const struct page *p = g->pages[l];
			if (p == NULL)
				continue;
			struct value *v = value_list_push(vs, value_new_map());
			value_map_set_string(v, "code", lang_tag(r, l));
			value_map_set_string(v, "name", r->cfg->langs[l].name);
			value_map_set(v, "url", url_value(r, p->url));
			add_alternate(r, alts, lang_tag(r, l), p->url);
		}
		const struct page *x = g->pages[deflang] ? g->pages[deflang] : g->primary;
		add_alternate(r, alts, "x-default", x->url);
		r->versions[i] = vs;
		r->alternates[i] = alts;
	}
	pool_run(r->nl, r->o.nthreads, entries_one, r);
}

/* The first candidate of a srcset ("/a/x-480.png 480w, …", smallest first) as its URL (the
 * caller frees) and width. */
static char *
first_candidate(const char *srcset, int *width)
{
	size_t n = strcspn(srcset, " ,");
	*width = srcset[n] == ' ' ? atoi(srcset + n + 1) : 0;
	return xstrndup(srcset, n);
}

/* What a library card shows beside the title, into facets item it: "i" {u, w, h, webp} the
 * smallest published width of the page's `image` (else the first image a file field of its
 * type names, such as a video's poster), and "x" the formats of its other files, captions and
 * images aside ("PDF", "MP4"), each once. */
/* The picture of a page: its `image` (else its source's), else the first image a file field of
 * its type names (a video's poster). NULL, or a file whose width may be 0 (not an image). */
static const struct site_file *
page_image(const struct group *g, const struct page *p)
{
	const struct site_file *img = NULL;
	const char *v = value_str(value_map_get(p->meta, "image"));
	if (v == NULL)
		v = value_str(value_map_get(g->primary->meta, "image"));
	if (v != NULL)
		img = site_group_file(g, v);
	for (size_t i = 0; g->type != NULL && i < g->type->nfields && (img == NULL || img->width <= 0); i++) {
		const struct field *fd = &g->type->fields[i];
		const char *name = fd->kind == FIELD_FILE ? value_str(value_map_get(g->primary->meta, fd->name)) : NULL;
		img = name != NULL ? site_group_file(g, name) : img;
	}
	return img;
}

static void
card_media(const struct view *r, const struct group *g, const struct page *p, struct value *it)
{
	const struct site_file *img = page_image(g, p);
	if (img != NULL && img->width > 0 && img->height > 0) {
		int w = img->width;
		char *url = img->srcset ? first_candidate(img->srcset, &w) : xstrdup(img->url);
		if (w <= 0 || w > img->width)
			w = img->width;
		struct value *i = value_map_set(it, "i", value_new_map());
		value_map_set(i, "u", url_value_own(r, url));
		value_map_set_int(i, "w", w);
		value_map_set_int(i, "h", (int64_t)lround((double)img->height * w / img->width));
		if (img->webp_srcset != NULL) {
			int ww;
			value_map_set(i, "webp", url_value_own(r, first_candidate(img->webp_srcset, &ww)));
		}
	}
	struct value *x = NULL;
	for (size_t i = 0; i < g->nfiles; i++) {
		const struct site_file *f = g->files[i];
		const char *name = strrchr(f->url, '/') + 1, *dot = strrchr(name, '.');
		if (f == img || f->width > 0 || dot == NULL || strcmp(dot, ".vtt") == 0 ||
		    strncmp(filetype_media_type(name), "image/", 6) == 0)
			continue;
		struct buf b = BUF_INIT;
		for (const char *c = dot + 1; *c; c++)
			buf_putc(&b, (char)toupper((unsigned char)*c));
		int seen = 0;
		for (size_t k = 0; x != NULL && k < x->u.list.len; k++)
			seen |= strcmp(value_str(x->u.list.items[k]), buf_str(&b)) == 0;
		if (x == NULL)
			x = value_map_set(it, "x", value_new_list());
		if (!seen)
			value_list_push(x, value_new_string(buf_str(&b)));
		buf_free(&b);
	}
}

/* Per language, the data the library page filters on the visitor's side: every resource listed
 * in that language with its terms, and every taxonomy with its terms sorted by title in the
 * language's collation and counted. Written as /LANG/facets.json. */
static void
facets_one(size_t l, int worker, void *payload)
{
	struct view *r = payload;
	const struct site *s = r->s;
	const struct config *cfg = r->cfg;
	size_t nt = cfg->ntaxonomies;
	(void)worker;
	struct value *root = value_new_map();
	value_map_set_string(root, "lang", lang_tag(r, l));
	struct value *taxes = value_map_set(root, "taxonomies", value_new_list());
	struct value *items = value_new_list();
	struct map count = MAP_INIT; /* "t\x01slug" -> count, as a pointer-sized integer */
	for (size_t i = 0; i < r->pl->nresources; i++) {
		const struct group *g = r->pl->resources[i];
		if (r->entries[g->idx * r->nl + l] == NULL)
			continue;
		const struct page *p = g->pages[l] ? g->pages[l] : g->primary;
		struct value *it = value_list_push(items, value_new_map());
		value_map_set_string(it, "t", view_title(p));
		value_map_set(it, "u", url_value(r, p->url));
		if (p->date != NULL)
			value_map_set_string(it, "d", p->date);
		if (p->section != NULL)
			value_map_set_string(it, "s", p->section);
		value_map_set_string(it, "l", lang_tag(r, p->lang));
		card_media(r, g, p, it);
		struct value *f = value_map_set(it, "f", value_new_map());
		for (size_t t = 0; t < nt; t++) {
			if (s->taxonomies[t].nterms == 0)
				continue; /* a taxonomy no page uses (tags, on a hub) is no facet */
			struct value *tl = value_map_set(f, cfg->taxonomies[t], value_new_list());
			for (struct term **tp = p->terms ? p->terms[t] : NULL; tp && *tp; tp++) {
				value_list_push(tl, value_new_string((*tp)->slug));
				char *k = xasprintf("%zu\x01%s", t, (*tp)->slug);
				map_put(&count, k, (void *)((uintptr_t)map_get(&count, k) + 1));
				free(k);
			}
		}
	}
	for (size_t t = 0; t < nt; t++) {
		const struct taxonomy *tx = &s->taxonomies[t];
		if (tx->nterms == 0)
			continue;
		struct vlist li = {xcalloc(tx->nterms + 1, sizeof *li.items), 0};
		long *ranks = xcalloc(tx->nterms + 1, sizeof *ranks);
		for (size_t k = 0; k < tx->nterms; k++) {
			char *key = xasprintf("%zu\x01%s", t, tx->terms[k]->slug);
			uintptr_t n = (uintptr_t)map_get(&count, key);
			free(key);
			if (n == 0)
				continue;
			struct value *v = value_new_map();
			value_map_set_string(v, "name", tx->terms[k]->slug);
			value_map_set(v, "title", value_new_string_own(term_title(r, t, tx->terms[k], l)));
			value_map_set(v, "url", url_value_own(r, xasprintf("/%s/%s/%s/", lang_code(r, l),
			                                                        tx->name, tx->terms[k]->slug)));
			if (term_lang(r, t, tx->terms[k]) != NULL)
				value_map_set_string(v, "lang", term_lang(r, t, tx->terms[k]));
			value_map_set_int(v, "count", (int64_t)n);
			li.items[li.len++] = v;
		}
		sort_by_title(r, r->locs, &li, l);
		if (ranked(r, t)) {
			for (size_t k = 0; k < li.len; k++) {
				const char *slug = value_str(value_map_get(li.items[k], "name"));
				size_t i = 0;
				while (strcmp(tx->terms[i]->slug, slug) != 0)
					i++;
				ranks[k] = term_rank(r, t, tx->terms[i]);
			}
			order_by_rank((void **)li.items, ranks, li.len);
		}
		free(ranks);
		struct value *tv = value_list_push(taxes, value_new_map());
		value_map_set_string(tv, "name", tx->name);
		value_map_set_string(tv, "title", taxonomy_title(r, t, l));
		value_map_set(tv, "url", url_value_own(r, xasprintf("/%s/%s/", lang_code(r, l), tx->name)));
		struct value *terms = value_map_set(tv, "terms", value_new_list());
		for (size_t k = 0; k < li.len; k++)
			value_list_push(terms, li.items[k]);
		free(li.items);
	}
	value_map_set(root, "items", items);
	map_free(&count);
	r->facets[l] = root;
}

static void
make_facets(struct view *r)
{
	r->facets = xcalloc(r->nl, sizeof *r->facets);
	pool_run(r->nl, r->o.nthreads, facets_one, r);
}

/* ---- jobs ---- */


/* One entry of the main navigation, made once per language in both states (nav_one). */
struct nav_item {
	const struct section *sec;  /* a section's entry, or */
	const struct group *group;  /* a top-level page's */
	struct value *off, *on;     /* {name, title, url, active} with active false and true */
};

static void
nav_section(const struct view *r, size_t l, size_t i, struct nav_item *it)
{
	const struct section *sec = r->s->sections[i];
	it->sec = sec;
	for (int on = 0; on < 2; on++) {
		struct value *v = value_new_map();
		value_map_set_string(v, "name", sec->name);
		value_map_set_string(v, "title", r->section_titles[i * r->nl + l]);
		value_map_set(v, "url", url_value_own(r, xasprintf("/%s/%s/", lang_code(r, l), sec->name)));
		value_map_set_bool(v, "active", on);
		*(on ? &it->on : &it->off) = v;
	}
}

/* The main navigation of language l: what site.yaml's `sections:` names, in its order —
 * sections, or top-level pages such as content/about/ — then every other section by name. */
static void
nav_one(struct view *r, size_t l)
{
	const struct config *cfg = r->cfg;
	struct nav_item *items = xcalloc(cfg->nsections + r->s->nsections + 1, sizeof *items);
	size_t n = 0;
	for (size_t k = 0; k < cfg->nsections; k++) {
		const char *name = cfg->sections[k];
		size_t i;
		for (i = 0; i < r->s->nsections; i++)
			if (strcmp(r->s->sections[i]->name, name) == 0)
				break;
		if (i < r->s->nsections) {
			if (r->pl->section_exists[i * r->nl + l])
				nav_section(r, l, i, &items[n++]);
			continue;
		}
		const struct group *g = map_get(&r->s->groups_by_key, name);
		if (g == NULL || g->kind != PAGE_REGULAR)
			continue;
		const struct page *p = g->pages[l] ? g->pages[l] : g->primary;
		struct nav_item *it = &items[n++];
		it->group = g;
		for (int on = 0; on < 2; on++) {
			struct value *v = value_new_map();
			value_map_set_string(v, "name", name);
			value_map_set_string(v, "title", view_title(p));
			value_map_set(v, "url", url_value(r, p->url));
			value_map_set_bool(v, "active", on);
			*(on ? &it->on : &it->off) = v;
		}
	}
	for (size_t i = 0; i < r->s->nsections; i++) {
		size_t k;
		for (k = 0; k < cfg->nsections; k++)
			if (strcmp(r->s->sections[i]->name, cfg->sections[k]) == 0)
				break;
		if (k == cfg->nsections && r->pl->section_exists[i * r->nl + l])
			nav_section(r, l, i, &items[n++]);
	}
	r->nav[l] = items;
	r->nnav[l] = n;
}

static void
make_nav(struct view *r)
{
	r->nav = xcalloc(r->nl + 1, sizeof *r->nav);
	r->nnav = xcalloc(r->nl + 1, sizeof *r->nnav);
	for (size_t l = 0; l < r->nl; l++)
		nav_one(r, l);
}

static void
free_nav(struct view *r)
{
	for (size_t l = 0; r->nav != NULL && l < r->nl; l++) {
		for (size_t k = 0; k < r->nnav[l]; k++) {
			value_free(r->nav[l][k].off);
			value_free(r->nav[l][k].on);
		}
		free(r->nav[l]);
	}
	free(r->nav);
	free(r->nnav);
}

/* The main navigation of a page in language l: the active section's entry (or the current
 * top-level page's) marked; every entry a read-only reference to nav_one's. */
static struct value *
sections_value(const struct view *r, size_t l, const struct section *active, const struct group *current)
{
	struct value *list = value_new_list();
	for (size_t k = 0; k < r->nnav[l]; k++) {
		const struct nav_item *it = &r->nav[l][k];
		int on = it->sec != NULL ? it->sec == active : it->group == current;
		value_list_push(list, value_new_ref(on ? it->on : it->off));
	}
	return list;
}

static size_t
section_index(const struct view *r, const char *name)
{
	for (size_t i = 0; i < r->s->nsections; i++)
		if (strcmp(r->s->sections[i]->name, name) == 0)
			return i;
	return SIZE_MAX;
}

/* The path after the language of job j, whose listing's first page is at suffix: page N of a
 * listing is at suffix/page/N/. The caller frees. */
static char *
page_suffix(const struct job *j, const char *suffix)
{
	return j->pageno > 1 ? xasprintf("%spage/%zu/", suffix, j->pageno) : xstrdup(suffix);
}

/* Translations and alternates of a page that exists in every language where the same path has a
 * job: /LANG/suffix, and for page N of a listing the same page N. A language whose listing has
 * fewer pages has no version of page N: no alternate (its first page is another page, and search
 * engines would take it for this one's), but its switcher entry leads to its first page. */
static void
all_language_versions(const struct view *r, const struct job *j, const char *first,
                      struct value *page)
{
	struct value *tr = value_map_set(page, "translations", value_new_list());
	struct value *alts = value_map_set(page, "alternates", value_new_list());
	size_t deflang = config_lang(r->cfg, r->cfg->default_lang)->index;
	char *suffix = page_suffix(j, first);
	for (size_t l = 0; l < r->nl; l++) {
		char *url = xasprintf("/%s/%s", lang_code(r, l), suffix);
		if (map_get(&r->pl->urls, url) == NULL) {
			free(url);
			url = xasprintf("/%s/%s", lang_code(r, l), first);
			if (j->pageno > 1 && map_get(&r->pl->urls, url) != NULL)
				add_translation(r, tr, l, url, NULL, 0);
			free(url);
			continue;
		}
		add_translation(r, tr, l, url, NULL, l == j->lang);
		add_alternate(r, alts, lang_tag(r, l), url);
		/* The language chooser at / is the x-default of the home pages. */
		if (l == deflang) {
			int home = j->kind == JOB_HOME || j->kind == JOB_ROOT;
			add_alternate(r, alts, "x-default", home ? "/" : url);
		}
		free(url);
	}
	free(suffix);
}

static void
group_versions(const struct view *r, const struct job *j, const struct group *g, struct value *page)
{
	struct value *tr = value_map_set(page, "translations", value_new_list());
	for (size_t l = 0; l < r->nl; l++) {
		const struct page *p = g->pages[l];
		if (p == NULL)
			continue;
		add_translation(r, tr, l, p->url, view_title(p), l == j->lang);
	}
	value_map_set(page, "alternates", value_new_ref(r->alternates[g->idx]));
}

static void
set_dates(const struct view *r, struct i18n_locale **w, size_t l, const struct page *p, struct value *page)
{
	if (p->date == NULL)
		return;
	struct buf b = BUF_INIT;
	value_map_set_string(page, "date", p->date);
	i18n_format_date(view_locale(r, w, l), p->ts, "long", &b);
	value_map_set(page, "date_display", value_new_string_own(buf_detach(&b)));
	const struct value *u = value_map_get(p->meta, "updated");
	int64_t ts = view_day_ts(value_str(u));
	if (ts != INT64_MIN) {
		value_map_set(page, "updated", value_new_stringn(value_str(u), 10));
		i18n_format_date(view_locale(r, w, l), ts, "long", &b);
		value_map_set(page, "updated_display", value_new_string_own(buf_detach(&b)));
	}
}

static void
set_content(const struct view *r, const struct page *p, struct value *page)
{
	const struct page_text *pt = p ? &r->texts[p->idx] : NULL;
	/* The texts outlive the values (view.h): borrowed, not copied for every page. */
	const char *html = pt && pt->html ? pt->html : "", *toc = pt && pt->toc ? pt->toc : "";
	value_map_set(page, "content", value_new_html_borrowed(html, strlen(html)));
	value_map_set(page, "toc", value_new_html_borrowed(toc, strlen(toc)));
	size_t words = pt ? pt->words : 0;
	value_map_set_int(page, "words", (int64_t)words);
	value_map_set_int(page, "reading_time", pt ? view_reading_minutes(pt) : 1);
	if (p != NULL && value_map_get(p->meta, "consent") != NULL) {
		/* A consent record (who recorded it, where the form is kept) is for editors only. */
		struct value *params = value_copy(p->meta);
		value_free(value_map_take(params, "consent"));
		value_map_set(page, "params", params);
	} else if (p != NULL) {
		/* Only this page's render shows them: not kept by the engines. */
		value_map_set(page, "params", value_new_ref_once(p->meta));
	} else {
		value_map_set(page, "params", value_new_map());
	}
}

/* One bundle file for templates: {name, url, format, type, size, size_display, lang, lang_name},
 * and an image's {width, height, srcset, webp_srcset}. */
static struct value *
file_value(const struct view *r, struct i18n_locale **w, const struct site_file *f, size_t l)
{
	const char *name = strrchr(f->url, '/') + 1; /* as published: an SVG is a PNG */
	const char *dot = strrchr(name, '.');
	struct value *v = value_new_map();
	value_map_set_string(v, "name", name);
	value_map_set(v, "url", url_value(r, f->url));
	struct buf b = BUF_INIT;
	for (const char *c = dot ? dot + 1 : ""; *c; c++)
		buf_putc(&b, (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c));
	value_map_set(v, "format", value_new_string_own(buf_detach(&b)));
	const char *type = site_file_type(f);
	value_map_set_string(v, "type", type);
	value_map_set_int(v, "size", (int64_t)f->size);
	/* 1 KB = 1024 bytes, one decimal from 1 MB up, in the page's digits. */
	double n = (double)f->size / 1024.0;
	const char *unit = "KB";
	if (n >= 1024.0) {
		n = round(n / 1024.0 * 10.0) / 10.0;
		unit = "MB";
	} else {
		n = n < 1.0 ? 1.0 : round(n);
	}
	i18n_format_number(view_locale(r, w, l), n, &b);
	buf_printf(&b, " %s", unit);
	value_map_set(v, "size_display", value_new_string_own(buf_detach(&b)));
	/* A document without a language in its name is in its page's source language. */
	size_t fl = f->lang;
	if (fl == SIZE_MAX && f->group != NULL && strncmp(type, "image/", 6) != 0 &&
	    strncmp(type, "video/", 6) != 0 && strncmp(type, "audio/", 6) != 0)
		fl = f->group->primary->lang;
	if (fl != SIZE_MAX) {
		value_map_set_string(v, "lang", lang_tag(r, fl));
		value_map_set_string(v, "lang_name", r->cfg->langs[fl].name);
	}
	if (f->width > 0) {
		value_map_set_int(v, "width", f->width);
		value_map_set_int(v, "height", f->height);
	}
	if (f->srcset != NULL)
		value_map_set(v, "srcset", value_new_string_own(urlbase_add_srcset(r->cfg->base_path, f->srcset)));
	if (f->webp_srcset != NULL)
		value_map_set(v, "webp_srcset", value_new_string_own(urlbase_add_srcset(r->cfg->base_path, f->webp_srcset)));
	return v;
}

/* Is this one of the files a page's fields show (a video, its poster, subtitles)? Those are
 * part of the page, not downloads. */
static int
shown_file(const struct group *g, const struct site_file *f)
{
	const char *name = strrchr(f->path, '/') + 1;
	const char *dot = strrchr(name, '.');
	if (dot != NULL && strcmp(dot, ".vtt") == 0)
		return 1;
	for (size_t i = 0; g->type != NULL && i < g->type->nfields; i++) {
		const struct field *fd = &g->type->fields[i];
		const char *v = fd->kind == FIELD_FILE ? value_str(value_map_get(g->primary->meta, fd->name)) : NULL;
		if (v != NULL && site_group_file(g, v) == f)
			return 1;
	}
	return 0;
}

/* A bundle's downloads: its files but those its fields show. */
static struct value *
files_value(const struct view *r, struct i18n_locale **w, const struct group *g, size_t l)
{
	struct value *list = value_new_list();
	for (size_t i = 0; i < g->nfiles; i++)
		if (!shown_file(g, g->files[i]))
			value_list_push(list, file_value(r, w, g->files[i], l));
	return list;
}

/* A video's subtitles: NAME.LANG.vtt beside NAME.mp4, as {url, srclang, label, default}, the
 * reader's language first and default. */
static struct value *
tracks_value(const struct view *r, const struct group *g, const struct site_file *video, size_t l)
{
	struct value *list = value_new_list();
	const char *dot = strrchr(video->path, '.');
	size_t stem = (size_t)(dot - video->path);
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < g->nfiles; i++) {
			const struct site_file *f = g->files[i];
			size_t n = strlen(f->path);
			if (f->lang == SIZE_MAX || n < 4 || strcmp(f->path + n - 4, ".vtt") != 0 ||
			    strncmp(f->path, video->path, stem) != 0 || f->path[stem] != '.' ||
			    (pass == 0) != (f->lang == l))
				continue;
			struct value *t = value_list_push(list, value_new_map());
			value_map_set(t, "url", url_value(r, f->url));
			value_map_set_string(t, "srclang", lang_tag(r, f->lang));
			value_map_set_string(t, "label", r->cfg->langs[f->lang].name);
			value_map_set_bool(t, "default", f->lang == l);
		}
	return list;
}

/* {title, url, lang} of group g as a reader of language l reaches it. */
static struct value *
version_link(const struct view *r, const struct group *g, size_t l)
{
	const struct page *p = g->pages[l] ? g->pages[l] : g->primary;
	struct value *v = value_new_map();
	value_map_set_string(v, "title", view_title(p));
	value_map_set(v, "url", url_value(r, p->url));
	value_map_set_string(v, "lang", lang_tag(r, p->lang));
	return v;
}

/* The page-link fields of g naming other pages, as {field: [{title, url, lang}]}. */
static void
links_into(const struct view *r, const struct group *g, const char *field, size_t l, struct value *list)
{
	for (size_t i = 0; i < g->nlinks; i++)
		if (strcmp(g->links[i].field, field) == 0)
			value_list_push(list, version_link(r, g->links[i].group, l));
}

static int
cmp_entry_start(const void *a, const void *b)
{
	const struct value *x = value_map_get(value_map_get(*(struct value *const *)a, "start"), "ts");
	const struct value *y = value_map_get(value_map_get(*(struct value *const *)b, "start"), "ts");
	int64_t tx = x && x->type == VALUE_INT ? x->u.i : 0, ty = y && y->type == VALUE_INT ? y->u.i : 0;
	return (tx > ty) - (tx < ty);
}

static int
cmp_entry_date(const void *a, const void *b)
{
	const char *x = value_str(value_map_get(value_deref(*(struct value *const *)a), "date"));
	const char *y = value_str(value_map_get(value_deref(*(struct value *const *)b), "date"));
	return strcmp(y ? y : "", x ? x : ""); /* newest first; stable sort keeps key order */
}

/* Who names g, by field: {publisher: [entries], projects: [entries]}, newest first. */
static struct value *
linked_by_value(const struct view *r, const struct group *g, size_t l)
{
	struct value *m = value_new_map();
	for (size_t i = 0; i < g->nlinked_by; i++) {
		const struct relation *rel = &g->linked_by[i];
		struct value *e = r->entries[rel->group->idx * r->nl + l];
		if (e == NULL)
			continue;
		struct value *list = (struct value *)value_map_get(m, rel->field);
		if (list == NULL)
			list = value_map_set(m, rel->field, value_new_list());
		value_list_push(list, value_new_ref(e));
	}
	for (size_t i = 0; i < m->u.map.len; i++) {
		struct value *list = m->u.map.vals[i];
		sort_array(list->u.list.items, list->u.list.len, sizeof *list->u.list.items, cmp_entry_date);
	}
	return m;
}

/* A page's typed fields ready to show: texts as written; dates {value, display…}; choices
 * {value, title}; countries {code, name}; ages {value, display}; files as file_value (a video
 * with its tracks); page links [{title, url, lang}]. */
static struct value *
fields_value(const struct view *r, struct i18n_locale **w, const struct page *p, size_t l)
{
	const struct group *g = p->group;
	const struct ctype *ct = g->type;
	struct value *m = value_new_map();
	struct buf b = BUF_INIT;
	for (size_t i = 0; ct != NULL && i < ct->nfields; i++) {
		const struct field *f = &ct->fields[i];
		const struct value *v = value_map_get(p->meta, f->name);
		if ((v == NULL || v->type == VALUE_NULL) && f->kind != FIELD_PAGE && f->kind != FIELD_PAGES)
			continue;
		switch (f->kind) {
		case FIELD_CONSENT:
			break; /* the record is for editors: who recorded it stays out of the pages */
		case FIELD_TEXT:
		case FIELD_TEXTS:
		case FIELD_NUMBER:
		case FIELD_BOOL:
		case FIELD_URL:
			value_map_set(m, f->name, value_new_ref(v));
			break;
		case FIELD_DATE:
			value_map_set(m, f->name, date_value(r, w, l, value_str(v)));
			break;
		case FIELD_CHOICE: {
			struct value *c = value_map_set(m, f->name, value_new_map());
			char *key = xasprintf("%s.%s", f->name, value_str(v));
			const char *title = catalog_string(r->cat, l, key);
			free(key);
			value_map_set_string(c, "value", value_str(v));
			value_map_set_string(c, "title", title ? title : value_str(v));
			break;
		}
		case FIELD_COUNTRY:
		case FIELD_COUNTRIES: {
			struct value *list = value_new_list();
			size_t n = v->type == VALUE_LIST ? v->u.list.len : 1;
			for (size_t k = 0; k < n; k++) {
				const char *code = value_str(v->type == VALUE_LIST ? v->u.list.items[k] : v);
				struct value *c = value_list_push(list, value_new_map());
				char up[3] = {(char)toupper((unsigned char)code[0]), (char)toupper((unsigned char)code[1]), 0};
				value_map_set_string(c, "code", up);
				i18n_country_name(code, r->cfg->langs[l].locale, &b);
				value_map_set(c, "name", value_new_string_own(buf_detach(&b)));
			}
			if (f->kind == FIELD_COUNTRY) {
				value_map_set(m, f->name, value_copy(list->u.list.items[0]));
				value_free(list);
			} else {
				value_map_set(m, f->name, list);
			}
			break;
		}
		case FIELD_AGES: {
			int lo, hi;
			struct value *a = value_map_set(m, f->name, value_new_map());
			if (v->type == VALUE_INT) {
				lo = hi = (int)v->u.i;
			} else if (parse_ages(value_str(v), &lo, &hi) < 0) {
				lo = hi = 0;
			}
			struct i18n_locale *loc = view_locale(r, w, l);
			i18n_format_number(loc, lo, &b);
			if (hi < 0)
				buf_puts(&b, "+");
			else if (hi != lo) {
				buf_puts(&b, "\xe2\x80\x93"); /* en dash */
				i18n_format_number(loc, hi, &b);
			}
			value_map_set_int(a, "from", lo);
			value_map_set_int(a, "to", hi);
			value_map_set(a, "display", value_new_string_own(buf_detach(&b)));
			break;
		}
		case FIELD_FILE: {
			const struct site_file *sf = site_group_file(g, value_str(v));
			if (sf == NULL)
				break;
			struct value *fv = value_map_set(m, f->name, file_value(r, w, sf, l));
			const char *type = value_str(value_map_get(fv, "type"));
			if (strncmp(type, "video/", 6) == 0 || strncmp(type, "audio/", 6) == 0)
				value_map_set(fv, "tracks", tracks_value(r, g, sf, l));
			break;
		}
		case FIELD_PAGE:
		case FIELD_PAGES: {
			struct value *list = value_new_list();
			links_into(r, g, f->name, l, list);
			if (value_len(list) > 0)
				value_map_set(m, f->name, list);
			else
				value_free(list);
			break;
		}
		}
	}
	buf_free(&b);
	return m;
}

/* A commit's day in v: date (YYYY-MM-DD, UTC) and display (long, in language l). */
static void
set_day(const struct view *r, struct i18n_locale **w, size_t l, int64_t ts, struct value *v)
{
	struct buf b = BUF_INIT;
	i18n_format_date(NULL, ts, "iso", &b);
	value_map_set(v, "date", value_new_string_own(buf_detach(&b)));
	i18n_format_date(view_locale(r, w, l), ts, "long", &b);
	value_map_set(v, "display", value_new_string_own(buf_detach(&b)));
}

/* What git knows of the page's file: page.git {created, modified (each {date, display, author,
 * commit}), commits, contributors}; page.updated when front matter gives none and the file changed
 * on a later day than the page's date; page.edit_url from site.yaml's pattern. */
static void
set_git(const struct view *r, struct i18n_locale **w, const struct page *p, size_t l, struct value *page)
{
	const struct history_file *h = p->hist;
	if (r->cfg->edit_url != NULL && !p->derived) {
		const char *prefix = r->prefix ? r->prefix : "";
		struct buf b = BUF_INIT;
		for (const char *c = r->cfg->edit_url; *c; c++) {
			if (strncmp(c, "{path}", 6) == 0) {
				buf_printf(&b, "%s%s%s", prefix, *prefix ? "/" : "", p->src);
				c += 5;
			} else if (strncmp(c, "{branch}", 8) == 0) {
				buf_puts(&b, r->branch ? r->branch : "main");
				c += 7;
			} else {
				buf_putc(&b, *c);
			}
		}
		value_map_set(page, "edit_url", value_new_string_own(buf_detach(&b)));
	}
	if (h == NULL)
		return;
	/* A translation whose source changed since: how many times, since when, and where the
	 * source is. A derived page follows its source language's file. */
	const struct page *src = p->group->primary;
	int64_t since;
	size_t behind = site_behind(r->s, p, &since);
	if (behind > 0) {
		struct value *o = value_map_set(page, "outdated", value_new_map());
		struct buf d = BUF_INIT;
		value_map_set_int(o, "behind", (int64_t)behind);
		i18n_format_date(view_locale(r, w, l), since, "long", &d);
		value_map_set(o, "since_display", value_new_string_own(buf_detach(&d)));
		value_map_set(o, "source", version_link(r, p->group, src->lang));
	}
	struct value *g = value_map_set(page, "git", value_new_map());
	const struct history_commit *cs[2] = {&h->first, &h->last};
	static const char *const names[2] = {"created", "modified"};
	for (int i = 0; i < 2; i++) {
		struct value *v = value_map_set(g, names[i], value_new_map());
		set_day(r, w, l, cs[i]->time, v);
		if (name_shown(r, cs[i]->author, cs[i]->mapped))
			value_map_set_string(v, "author", cs[i]->author);
		value_map_set_string(v, "commit", cs[i]->id);
	}
	value_map_set_int(g, "commits", (int64_t)h->commits);
	struct value *names_v = value_map_set(g, "contributors", value_new_list());
	for (size_t i = 0; i < h->ncontributors; i++)
		if (name_shown(r, h->contributors[i], h->mapped[i]))
			value_list_push(names_v, value_new_string(h->contributors[i]));
	/* The last change as "updated", unless front matter says, or it is the publishing day. */
	if (value_map_get(page, "updated") == NULL && p->date != NULL) {
		const struct value *m = value_map_get(g, "modified");
		const char *md = value_str(value_map_get(m, "date"));
		if (md != NULL && strcmp(md, p->date) > 0) {
			value_map_set_string(page, "updated", md);
			value_map_set_string(page, "updated_display", value_str(value_map_get(m, "display")));
		}
	}
}

/* A course and its modules around page p (the course or one of its modules): page.course,
 * page.modules [{title, url, lang, number, current}] and page.position {number, count, prev,
 * next}. Nothing for a page that is neither. */
static void
set_parts(const struct view *r, const struct page *p, size_t l, struct value *page)
{
	const struct group *g = p->group;
	const struct group *whole = g->parent != NULL ? g->parent : g;
	if (whole->nparts == 0)
		return;
	value_map_set(page, "course", version_link(r, whole, l));
	struct value *mods = value_map_set(page, "modules", value_new_list());
	size_t at = 0;
	for (size_t i = 0; i < whole->nparts; i++) {
		struct value *v = value_list_push(mods, version_link(r, whole->parts[i], l));
		value_map_set_int(v, "number", (int64_t)i + 1);
		value_map_set_bool(v, "current", whole->parts[i] == g);
		const struct page *mp = site_page_in(whole->parts[i], l);
		mp = mp ? mp : whole->parts[i]->primary;
		if (value_str(value_map_get(mp->meta, "duration")) != NULL)
			value_map_set_string(v, "duration", value_str(value_map_get(mp->meta, "duration")));
		if (whole->parts[i] == g)
			at = i + 1;
	}
	struct value *pos = value_map_set(page, "position", value_new_map());
	value_map_set_int(pos, "number", (int64_t)at);
	value_map_set_int(pos, "count", (int64_t)whole->nparts);
	if (at >= 1)
		value_map_set(pos, "prev", version_link(r, at == 1 ? whole : whole->parts[at - 2], l));
	if (at < whole->nparts)
		value_map_set(pos, "next", version_link(r, whole->parts[at], l));
}

/* Related resources: those the page names in `related`, then those sharing most topics with
 * it, up to four, each listed in language l. */
static struct value *
related_value(const struct view *r, const struct page *p, size_t l)
{
	const struct group *g = p->group;
	struct value *list = value_new_list();
	const struct group *picked[PLAN_RELATED_SHOWN];
	size_t n = 0;
	for (size_t i = 0; i < g->nlinks && n < PLAN_RELATED_SHOWN; i++) {
		struct value *e = r->entries[g->links[i].group->idx * r->nl + l];
		if (strcmp(g->links[i].field, "related") != 0 || e == NULL)
			continue;
		picked[n++] = g->links[i].group;
		value_list_push(list, value_new_ref(e));
	}
	for (struct group **c = r->pl->related ? r->pl->related[g->idx] : NULL; c && *c && n < PLAN_RELATED_SHOWN; c++) {
		struct value *e = r->entries[(*c)->idx * r->nl + l];
		int taken = e == NULL;
		for (size_t q = 0; q < n && !taken; q++)
			taken = picked[q] == *c;
		if (taken)
			continue;
		picked[n++] = *c;
		value_list_push(list, value_new_ref(e));
	}
	return list;
}

static void
add_crumb(const struct view *r, struct value *list, const char *title, const char *url)
{
	struct value *c = value_list_push(list, value_new_map());
	value_map_set_string(c, "title", title);
	value_map_set(c, "url", url_value(r, url));
}

static void
set_listing(const struct view *r, const struct job *j, const char *base_url, struct value *page)
{
	struct value *pages = value_new_list();
	size_t per = (size_t)r->cfg->page_size;
	size_t start = j->kind == JOB_HOME ? 0 : (j->pageno - 1) * per;
	size_t end = j->kind == JOB_HOME ? j->list->len : start + per;
	if (end > j->list->len)
		end = j->list->len;
	for (size_t i = start; i < end; i++)
		value_list_push(pages, value_new_ref(r->entries[j->list->items[i]->idx * r->nl + j->lang]));
	value_map_set(page, "pages", pages);
	if (j->kind == JOB_HOME)
		return;
	struct value *pg = value_map_set(page, "paginator", value_new_map());
	value_map_set_int(pg, "page", (int64_t)j->pageno);
	value_map_set_int(pg, "pages", (int64_t)j->npages);
	value_map_set_int(pg, "total", (int64_t)j->list->len);
	if (j->pageno > 1)
		value_map_set(pg, "prev_url",
		              j->pageno == 2 ? url_value(r, base_url)
		                             : url_value_own(r, xasprintf("%spage/%zu/", base_url, j->pageno - 1)));
	if (j->pageno < j->npages)
		value_map_set(pg, "next_url",
		              url_value_own(r, xasprintf("%spage/%zu/", base_url, j->pageno + 1)));
}

/* One term of page.terms in language l: {name, title, url (when its page is made), lang}. */
static struct value *
term_value(const struct view *r, size_t t, const struct term *term, size_t l)
{
	struct value *v = value_new_map();
	value_map_set_string(v, "name", term->name);
	value_map_set(v, "title", value_new_string_own(term_title(r, t, term, l)));
	/* A term lists only what a listing shows (a section's or the home page's own
	 * terms may have no page): a link only to a page that is made. */
	char *url = xasprintf("/%s/%s/%s/", lang_code(r, l), r->cfg->taxonomies[t], term->slug);
	if (map_get(&r->pl->urls, url) != NULL)
		value_map_set(v, "url", url_value_own(r, url));
	else
		free(url);
	if (term_lang(r, t, term) != NULL)
		value_map_set_string(v, "lang", term_lang(r, t, term));
	return v;
}

static int
cmp_term_ptr(const void *a, const void *b)
{
	const struct term *x = *(const struct term *const *)a, *y = *(const struct term *const *)b;
	return x < y ? -1 : x > y;
}

/* term_value of every term of every taxonomy in every language, made once by view_new: pages
 * share them (templates get them as read-only references), and a title may take ICU (country
 * names). */
static void
make_term_values(struct view *r)
{
	size_t nt = r->s->taxonomies != NULL ? r->cfg->ntaxonomies : 0;
	r->nterm_tax = nt;
	r->term_ptrs = xcalloc(nt + 1, sizeof *r->term_ptrs);
	r->term_vals = xcalloc(nt + 1, sizeof *r->term_vals);
	for (size_t t = 0; t < nt; t++) {
		const struct taxonomy *tx = &r->s->taxonomies[t];
		r->term_ptrs[t] = xcalloc(tx->nterms + 1, sizeof *r->term_ptrs[t]);
		if (tx->nterms > 0)
			memcpy(r->term_ptrs[t], tx->terms, tx->nterms * sizeof *tx->terms);
		qsort(r->term_ptrs[t], tx->nterms, sizeof *r->term_ptrs[t], cmp_term_ptr);
		r->term_vals[t] = xcalloc(tx->nterms * r->nl + 1, sizeof *r->term_vals[t]);
		for (size_t k = 0; k < tx->nterms; k++)
			for (size_t l = 0; l < r->nl; l++)
				r->term_vals[t][k * r->nl + l] = term_value(r, t, r->term_ptrs[t][k], l);
	}
}

static void
free_term_values(struct view *r)
{
	for (size_t t = 0; t < r->nterm_tax; t++) {
		for (size_t i = 0; i < r->s->taxonomies[t].nterms * r->nl; i++)
			value_free(r->term_vals[t][i]);
		free(r->term_vals[t]);
		free(r->term_ptrs[t]);
	}
	free(r->term_vals);
	free(r->term_ptrs);
}

/* make_term_values' value of term in language l, or NULL when it is not one of taxonomy t's. */
static const struct value *
made_term(const struct view *r, size_t t, const struct term *term, size_t l)
{
	if (t >= r->nterm_tax)
		return NULL;
	const struct term **at = bsearch(&term, r->term_ptrs[t], r->s->taxonomies[t].nterms,
	                                 sizeof *r->term_ptrs[t], cmp_term_ptr);
	return at != NULL ? r->term_vals[t][(size_t)(at - r->term_ptrs[t]) * r->nl + l] : NULL;
}

static struct value *
terms_of(const struct view *r, const struct page *p, size_t l)
{
	struct value *terms = value_new_map();
	for (size_t t = 0; t < r->cfg->ntaxonomies; t++) {
		struct value *list = value_map_set(terms, r->cfg->taxonomies[t], value_new_list());
		for (struct term **tp = p->terms ? p->terms[t] : NULL; tp && *tp; tp++) {
			const struct value *made = made_term(r, t, *tp, l);
			value_list_push(list, made != NULL ? value_new_ref(made) : term_value(r, t, *tp, l));
		}
	}
	return terms;
}

/* Dated entries (events) split at the build's "now": page.upcoming, soonest first, and
 * page.past, latest first. An entry is past when its end (else its start) is before now. */
static void
set_when(const struct view *r, const struct vlist *li, struct value *page)
{
	struct value *up = NULL, *past = NULL;
	for (size_t i = 0; i < li->len; i++) {
		const struct value *e = li->items[i];
		const struct value *st = value_map_get(e, "start"), *en = value_map_get(e, "end");
		if (st == NULL)
			continue;
		if (up == NULL) {
			up = value_map_set(page, "upcoming", value_new_list());
			past = value_map_set(page, "past", value_new_list());
		}
		const struct value *ts = value_map_get(en ? en : st, "ts");
		int is_past = ts != NULL && ts->type == VALUE_INT && ts->u.i < r->now;
		value_list_push(is_past ? past : up, value_new_ref(e));
	}
	if (up == NULL)
		return;
	sort_array(up->u.list.items, up->u.list.len, sizeof *up->u.list.items, cmp_entry_start);
	sort_array(past->u.list.items, past->u.list.len, sizeof *past->u.list.items, cmp_entry_start);
	/* past: latest first */
	for (size_t a = 0, b = past->u.list.len; a + 1 < b; a++, b--) {
		struct value *t = past->u.list.items[a];
		past->u.list.items[a] = past->u.list.items[b - 1];
		past->u.list.items[b - 1] = t;
	}
}

/* The home page's featured resources (front matter `featured: true`) and upcoming events. */
static void
set_home_lists(const struct view *r, size_t l, struct value *page)
{
	struct value *feat = value_map_set(page, "featured", value_new_list());
	for (size_t i = 0; i < r->pl->nresources; i++) {
		struct value *e = r->entries[r->pl->resources[i]->idx * r->nl + l];
		if (e != NULL && value_map_get(e, "featured") != NULL)
			value_list_push(feat, value_new_ref(e));
	}
	struct vlist all = {xcalloc(r->s->nregular + 1, sizeof *all.items), 0};
	for (size_t i = 0; i < r->s->nregular; i++) {
		const struct group *g = r->s->regular[i];
		struct value *e = r->entries[g->idx * r->nl + l];
		if (e != NULL && value_map_get(e, "start") != NULL && g->type->schema != NULL &&
		    strcmp(g->type->schema, "Event") == 0)
			all.items[all.len++] = e;
	}
	struct value *tmp = value_new_map();
	set_when(r, &all, tmp);
	const struct value *up = value_map_get(tmp, "upcoming");
	struct value *events = value_map_set(page, "upcoming", value_new_list());
	for (size_t i = 0; up != NULL && i < up->u.list.len && i < 3; i++)
		value_list_push(events, value_new_ref(value_deref(up->u.list.items[i])));
	value_free(tmp);
	free(all.items);
}

/* The pages a commit changed, as versions a reader of language l reaches. */
static struct value *
event_pages(const struct view *r, const struct history_event *e, size_t l)
{
	struct value *list = value_new_list();
	for (size_t k = 0; k < e->npaths; k++) {
		const struct page *p = map_get(&r->s->pages_by_src, e->paths[k]);
		if (p == NULL || p->kind == PAGE_HOME)
			continue;
		struct value *v = version_link(r, p->group, l);
		int seen = 0;
		for (size_t i = 0; i < list->u.list.len && !seen; i++)
			seen = strcmp(value_str(value_map_get(list->u.list.items[i], "url")),
			              value_str(value_map_get(v, "url"))) == 0;
		if (seen)
			value_free(v);
		else
			value_list_push(list, v);
	}
	return list;
}

/* Recent changes for language l: [{id, date, display, ts, pages}, and with history.changes
 * editors or public the commit's summary and its author (as contributors allows)], newest
 * first; commits that changed no page are left out. */
static struct value *
changes_value(const struct view *r, struct i18n_locale **w, size_t l)
{
	int messages = r->cfg->changes == CONFIG_CHANGES_EDITORS || r->cfg->changes == CONFIG_CHANGES_PUBLIC;
	struct value *list = value_new_list();
	const struct history_event *ev;
	size_t n = history_recent(r->s->history, &ev);
	for (size_t i = 0; i < n; i++) {
		struct value *pages = event_pages(r, &ev[i], l);
		if (value_len(pages) == 0) {
			value_free(pages);
			continue;
		}
		struct value *c = value_list_push(list, value_new_map());
		value_map_set(c, "id", value_new_stringn(ev[i].id, 10));
		set_day(r, w, l, ev[i].time, c);
		value_map_set_int(c, "ts", ev[i].time);
		if (messages && name_shown(r, ev[i].author, ev[i].mapped))
			value_map_set_string(c, "author", ev[i].author);
		if (messages)
			value_map_set_string(c, "summary", ev[i].summary);
		value_map_set(c, "pages", pages);
	}
	return list;
}

/* A page satchel makes itself (library, recent changes, editors'): its title from the UI
 * string key (else fallback), no description, no content of its own. */
static void
generated_page(const struct view *r, size_t l, struct value *page, const char *key, const char *fallback)
{
	const char *title = catalog_string(r->cat, l, key);
	value_map_set_string(page, "title", title ? title : fallback);
	value_map_set_string(page, "description", "");
	set_content(r, NULL, page);
}

struct value *
view_vars(const struct view *r, struct i18n_locale **w, const struct job *j)
{
	size_t l = j->lang;
	const char *code = lang_code(r, l);
	struct value *vars = value_new_map();
	struct value *page = value_new_map();
	const struct section *active = NULL;
	struct value *crumbs = value_new_list();
	char *home_url = xasprintf("/%s/", code);

	value_map_set(vars, "site", value_new_ref(r->site_vals[l]));
	value_map_set(vars, "lang", value_new_ref(r->lang_vals[l]));
	value_map_set_string(page, "kind", plan_kind_name(j->kind));
	value_map_set(page, "url", url_value(r, j->url));
	value_map_set(page, "permalink", value_new_string_own(permalink(r, j->url)));
	value_map_set_string(page, "lang", lang_tag(r, l));
	value_map_set_string(page, "dir", r->cfg->langs[l].dir);
	struct value *feeds = value_map_set(page, "feeds", value_new_map());
	value_map_set(feeds, "rss", url_value_own(r, xasprintf("/%s/index.xml", code)));
	value_map_set(feeds, "atom", url_value_own(r, xasprintf("/%s/atom.xml", code)));
	value_map_set(feeds, "json", url_value_own(r, xasprintf("/%s/feed.json", code)));
	const char *home_title = catalog_string(r->cat, l, "home");
	if (j->kind != JOB_HOME && j->kind != JOB_ROOT)
		add_crumb(r, crumbs, home_title ? home_title : r->cfg->langs[l].title, home_url);

	switch (j->kind) {
	case JOB_PAGE: {
		const struct page *p = j->page;
		value_map_set_string(page, "title", view_title(p));
		if (p->draft)
			value_map_set(page, "draft", value_new_bool(1));
		value_map_set_string(page, "description", view_summary(r, p));
		set_dates(r, w, l, p, page);
		set_content(r, p, page);
		group_versions(r, j, p->group, page);
		value_map_set(page, "terms", terms_of(r, p, l));
		value_map_set(page, "files", files_value(r, w, p->group, l));
		if (p->group->easy_read != NULL)
			value_map_set(page, "easy_read", version_link(r, p->group->easy_read, l));
		if (p->group->child_friendly != NULL)
			value_map_set(page, "child_friendly", version_link(r, p->group->child_friendly, l));
		if (p->group->full_version != NULL)
			value_map_set(page, "full_version", version_link(r, p->group->full_version, l));
		if (p->group->type != NULL) {
			value_map_set_string(page, "type", p->group->type->name);
			if (p->group->type->schema != NULL)
				value_map_set_string(page, "schema", p->group->type->schema);
		}
		value_map_set(page, "fields", fields_value(r, w, p, l));
		set_git(r, w, p, l, page);
		value_map_set(page, "linked_by", linked_by_value(r, p->group, l));
		value_map_set(page, "related", related_value(r, p, l));
		set_parts(r, p, l, page);
		if (p->section != NULL) {
			size_t si = section_index(r, p->section);
			if (si != SIZE_MAX) {
				active = r->s->sections[si];
				struct value *sv = value_map_set(page, "section", value_new_map());
				char *surl = xasprintf("/%s/%s/", code, p->section);
				value_map_set_string(sv, "name", p->section);
				value_map_set_string(sv, "title", r->section_titles[si * r->nl + l]);
				value_map_set(sv, "url", url_value(r, surl));
				if (r->pl->section_exists[si * r->nl + l])
					add_crumb(r, crumbs, r->section_titles[si * r->nl + l], surl);
				free(surl);
			}
		}
		/* A module sits under its course. */
		for (const struct group *up = p->group->parent; up != NULL; up = up->parent) {
			if (up->parent != NULL)
				continue; /* deeper nesting: only the outermost is shown */
			const struct page *pp = site_page_in(up, l) ? site_page_in(up, l) : up->primary;
			add_crumb(r, crumbs, view_title(pp), pp->url);
		}
		break;
	}
	case JOB_SECTION: {
		size_t si = section_index(r, j->sec->name);
		active = j->sec;
		char *surl = xasprintf("/%s/%s/", code, j->sec->name);
		value_map_set_string(page, "title", r->section_titles[si * r->nl + l]);
		value_map_set_string(page, "description", j->page ? view_summary(r, j->page) : "");
		set_content(r, j->page, page);
		struct value *sv = value_map_set(page, "section", value_new_map());
		value_map_set_string(sv, "name", j->sec->name);
		value_map_set_string(sv, "title", r->section_titles[si * r->nl + l]);
		value_map_set(sv, "url", url_value(r, surl));
		if (j->sec->type != NULL)
			value_map_set_string(page, "type", j->sec->type->name);
		struct vlist listed = entries_of(r, j->list, l);
		set_when(r, &listed, page);
		free(listed.items);
		char *suffix = xasprintf("%s/", j->sec->name);
		all_language_versions(r, j, suffix, page);
		free(suffix);
		set_listing(r, j, surl, page);
		free(surl);
		break;
	}
	case JOB_HOME:
		value_map_set_string(page, "title", j->page && j->page->title ? j->page->title
		                                                              : r->cfg->langs[l].title);
		value_map_set_string(page, "description",
		                     j->page && j->page->summary ? j->page->summary
		                     : value_str(value_map_get(r->cfg->params, "description"))
		                         ? value_str(value_map_get(r->cfg->params, "description")) : "");
		set_content(r, j->page, page);
		all_language_versions(r, j, "", page);
		set_listing(r, j, home_url, page);
		set_home_lists(r, l, page);
		value_map_set(page, "facets", value_new_ref(value_map_get(r->facets[l], "taxonomies")));
		break;
	case JOB_TAXONOMY:
	case JOB_TERM: {
		struct taxonomy *tx = &r->s->taxonomies[j->tax];
		char *turl = xasprintf("/%s/%s/", code, tx->name);
		struct value *tv = value_map_set(page, "taxonomy", value_new_map());
		value_map_set_string(tv, "name", tx->name);
		value_map_set_string(tv, "title", taxonomy_title(r, j->tax, l));
		value_map_set(tv, "url", url_value(r, turl));
		set_content(r, NULL, page);
		value_map_set_string(page, "description", "");
		if (j->kind == JOB_TAXONOMY) {
			value_map_set_string(page, "title", taxonomy_title(r, j->tax, l));
			struct value *tl = value_map_set(page, "terms_list", value_new_list());
			/* Terms sorted by their title in this language's collation. */
			size_t n = 0;
			struct term_row *ts = xcalloc(tx->nterms + 1, sizeof *ts);
			void **order = xcalloc(tx->nterms + 1, sizeof *order);
			for (size_t k = 0; k < tx->nterms; k++) {
				char *url = xasprintf("/%s/%s/%s/", code, tx->name, tx->terms[k]->slug);
				struct job *tj = map_get(&r->pl->urls, url);
				free(url);
				if (tj == NULL)
					continue;
				ts[n].term = tx->terms[k];
				ts[n].count = tj->list->len;
				ts[n].title = term_title(r, j->tax, tx->terms[k], l);
				order[n] = &ts[n];
				n++;
			}
			i18n_sort_by(view_locale(r, w, l), order, n, term_row_title, NULL);
			if (ranked(r, j->tax)) {
				long *ranks = xcalloc(n + 1, sizeof *ranks);
				for (size_t k = 0; k < n; k++)
					ranks[k] = term_rank(r, j->tax, ((const struct term_row *)order[k])->term);
				order_by_rank(order, ranks, n);
				free(ranks);
			}
			for (size_t k = 0; k < n; k++) {
				const struct term_row *t = order[k];
				struct value *v = value_list_push(tl, value_new_map());
				value_map_set_string(v, "name", t->term->name);
				value_map_set(v, "title", value_new_string_own(t->title));
				value_map_set(v, "url", url_value_own(r, xasprintf("/%s/%s/%s/", code, tx->name,
				                                                        t->term->slug)));
				value_map_set_int(v, "count", (int64_t)t->count);
				if (term_lang(r, j->tax, t->term) != NULL)
					value_map_set_string(v, "lang", term_lang(r, j->tax, t->term));
			}
			free(order);
			free(ts);
			char *suffix = xasprintf("%s/", tx->name);
			all_language_versions(r, j, suffix, page);
			free(suffix);
		} else {
			char *title = term_title(r, j->tax, j->term, l);
			char *surl = xasprintf("%s%s/", turl, j->term->slug);
			value_map_set_string(page, "title", title);
			struct value *tm = value_map_set(page, "term", value_new_map());
			value_map_set_string(tm, "name", j->term->name);
			value_map_set_string(tm, "title", title);
			if (term_lang(r, j->tax, j->term) != NULL)
				value_map_set_string(tm, "lang", term_lang(r, j->tax, j->term));
			add_crumb(r, crumbs, taxonomy_title(r, j->tax, l), turl);
			char *suffix = xasprintf("%s/%s/", tx->name, j->term->slug);
			all_language_versions(r, j, suffix, page);
			free(suffix);
			set_listing(r, j, surl, page);
			free(surl);
			free(title);
		}
		free(turl);
		break;
	}
	case JOB_LIBRARY: {
		generated_page(r, l, page, "library", "Library");
		value_map_set(page, "facets", value_new_ref(value_map_get(r->facets[l], "taxonomies")));
		value_map_set(page, "facets_url", url_value_own(r, xasprintf("/%s/facets.json", code)));
		if (r->pl->search)
			value_map_set(page, "search_url", url_value_own(r, xasprintf("/%s/search/", code)));
		all_language_versions(r, j, "library/", page);
		break;
	}
	case JOB_CHANGES: {
		generated_page(r, l, page, "recent_changes", "Recent changes");
		value_map_set(page, "changes", changes_value(r, w, l));
		if (r->cfg->changes == CONFIG_CHANGES_EDITORS) {
			/* For editors, like the translations page: no feed, no versions, not indexed. */
			value_map_set(page, "editors", value_new_bool(1));
			value_map_set(page, "translations", value_new_list());
			value_map_set(page, "alternates", value_new_list());
			break;
		}
		value_map_set(page, "changes_feed", url_value_own(r, xasprintf("/%s/changes.xml", code)));
		all_language_versions(r, j, "changes/", page);
		break;
	}
	case JOB_OFFLINE: {
		/* pack: the packs, each with its language; sizes are filled in after packing
		 * (pack_build), into <span data-pack-size="CODE">. */
		generated_page(r, l, page, "use_offline", "Use offline");
		struct value *packs = value_map_set(page, "packs", value_new_list());
		for (size_t k = 0; k <= r->cfg->nlangs; k++) {
			if (k == r->cfg->nlangs && r->cfg->nlangs < 2)
				break;
			const char *lc = k < r->cfg->nlangs ? r->cfg->langs[k].code : NULL;
			struct value *pk = value_list_push(packs, value_new_map());
			value_map_set_string(pk, "lang", lc ? lc : "all");
			if (lc) {
				value_map_set_string(pk, "name", r->cfg->langs[k].name);
				value_map_set_string(pk, "tag", lang_tag(r, k)); /* lang="…"; "lang" names the file */
				value_map_set_string(pk, "dir", r->cfg->langs[k].dir);
			}
			char *name = pack_file_name(lc);
			value_map_set(pk, "url", url_value_own(r, xasprintf("/offline/%s", name)));
			value_map_set(pk, "file", value_new_string_own(name));
		}
		/* Inside a pack, the page links to itself online, when the site has an address. */
		if (strstr(r->cfg->base_url, "://") != NULL)
			value_map_set(page, "online_url", value_new_string_own(permalink(r, j->url)));
		all_language_versions(r, j, "offline/", page);
		break;
	}
	case JOB_EDITORS: {
		generated_page(r, l, page, "translations_status", "Translations");
		value_map_set(page, "status", translations_value(r->s));
		value_map_set(page, "translations", value_new_list());
		value_map_set(page, "alternates", value_new_list());
		break;
	}
	case JOB_ROOT:
	case JOB_404: {
		const char *key = j->kind == JOB_ROOT ? "choose_language" : "not_found_title";
		const char *title = catalog_string(r->cat, l, key);
		value_map_set_string(page, "title", title ? title : r->cfg->langs[l].title);
		value_map_set_string(page, "description", "");
		set_content(r, NULL, page);
		if (j->kind == JOB_ROOT) {
			all_language_versions(r, j, "", page);
		} else {
			value_map_set(page, "translations", value_new_list());
			value_map_set(page, "alternates", value_new_list());
		}
		break;
	}
	}
	value_map_set(page, "og", og_value(r, j, l, page));
	value_map_set(page, "breadcrumbs", crumbs);
	value_map_set(vars, "sections",
	              sections_value(r, l, active, j->kind == JOB_PAGE ? j->page->group : NULL));
	value_map_set(vars, "page", page);
	free(home_url);
	return vars;
}



/* ---- facts: what the values are made from ---- */

#define H(x) (h = deps_hash_u64(h, (uint64_t)(x)))
#define HS(x) (h = deps_hash_str(h, (x)))

static uint64_t
commit_fp(uint64_t h, const struct history_commit *c)
{
	HS(c->id);
	H(c->time);
	HS(c->author);
	H(c->mapped);
	return h;
}

/* One page's body, as only its own page shows it: the text and what Markdown made of it. */
static uint64_t
body_fp(const struct view *r, const struct page *p)
{
	uint64_t h = DEPS_SEED;
	const struct page_text *t = &r->texts[p->idx];
	H(p->text_len);
	h = deps_hash(h, p->text ? p->text : "", p->text ? p->text_len : 0);
	HS(t->html);
	HS(t->toc);
	HS(t->anchors);
	H(t->words);
	H(t->ideo_words);
	H(t->ideo_chars);
	return h;
}

/* One page as others show it (an entry, a link, a version): where it lives, its front matter
 * as the model holds it (a translation takes fields from its source), its summary as shown,
 * git's record of it. */
static uint64_t
page_fp(const struct view *r, const struct page *p)
{
	uint64_t h = DEPS_SEED;
	H(p->kind);
	HS(p->src);
	HS(p->key);
	H(p->lang);
	HS(p->section);
	HS(p->path);
	HS(p->url);
	HS(p->bundle);
	HS(p->title);
	HS(p->date);
	H(p->ts);
	H(p->weight);
	HS(p->summary);
	H(p->draft);
	H(p->derived);
	HS(view_summary(r, p));
	struct buf b = BUF_INIT;
	value_write_json(p->meta, &b);
	h = deps_hash(h, b.data ? b.data : "", b.len);
	buf_free(&b);
	const struct history_file *hf = p->hist;
	H(hf != NULL);
	if (hf != NULL) {
		h = commit_fp(h, &hf->first);
		h = commit_fp(h, &hf->last);
		H(hf->commits);
		for (size_t i = 0; i < hf->ncontributors; i++) {
			HS(hf->contributors[i]);
			H(hf->mapped[i]);
		}
		int64_t since = 0;
		H(site_behind(r->s, p, &since));
		H(since);
	}
	return h;
}

/* One group: every version's page, its files as published, its place among groups. */
static uint64_t
group_fp(const struct view *r, const struct group *g)
{
	uint64_t h = DEPS_SEED;
	HS(g->key);
	H(g->kind);
	HS(g->type ? g->type->name : NULL);
	HS(g->parent ? g->parent->key : NULL);
	for (size_t l = 0; l < r->nl; l++)
		H(g->pages[l] ? page_fp(r, g->pages[l]) : 0);
	for (size_t i = 0; i < g->nfiles; i++) {
		const struct site_file *f = g->files[i];
		HS(f->path);
		HS(f->url);
		H(f->lang);
		H(f->size);
		HS(site_file_type(f));
		H(f->width);
		H(f->height);
		HS(f->srcset);
		HS(f->webp_srcset);
	}
	return h;
}

static void make_list_facts(struct view *r);

static void
group_fp_one(size_t i, int worker, void *payload)
{
	struct view *r = payload;
	(void)worker;
	r->gf[i] = group_fp(r, r->s->groups[i]);
}

static void
make_facts(struct view *r)
{
	const struct site *s = r->s;
	uint64_t h = DEPS_SEED;
	r->gf = xcalloc(s->ngroups + 1, sizeof *r->gf);
	pool_run(s->ngroups, r->o.nthreads, group_fp_one, r);
	for (size_t i = 0; i < s->ngroups; i++)
		H(r->gf[i]);
	r->all_fp = h;
	h = DEPS_SEED;
	for (size_t t = 0; t < s->cfg->ntaxonomies; t++)
		for (size_t k = 0; k < s->taxonomies[t].nterms; k++) {
			HS(s->taxonomies[t].terms[k]->name);
			HS(s->taxonomies[t].terms[k]->slug);
		}
	r->terms_fp = h;
	/* The navigation every page shows: sections (titles, whether they have a page), the
	 * top-level pages site.yaml names, the taxonomies with a page (site.taxonomy_pages). */
	r->nav_fp = xcalloc(r->nl, sizeof *r->nav_fp);
	for (size_t l = 0; l < r->nl; l++) {
		h = DEPS_SEED;
		for (size_t i = 0; i < s->nsections; i++) {
			HS(s->sections[i]->name);
			HS(r->section_titles[i * r->nl + l]);
			H(r->pl->section_exists[i * r->nl + l]);
		}
		for (size_t k = 0; k < s->cfg->nsections; k++) {
			const struct group *g = map_get(&s->groups_by_key, s->cfg->sections[k]);
			H(g != NULL ? r->gf[g->idx] : 0);
		}
		for (size_t t = 0; t < s->cfg->ntaxonomies; t++) {
			char *url = xasprintf("/%s/%s/", lang_code(r, l), s->cfg->taxonomies[t]);
			H(map_get(&r->pl->urls, url) != NULL);
			free(url);
		}
		r->nav_fp[l] = h;
	}
}

static uint64_t
list_fp(const struct view *r, uint64_t h, const struct plan_list *li)
{
	H(li->len);
	for (size_t i = 0; i < li->len; i++)
		H(r->gf[li->items[i]->idx]);
	return h;
}

/* Whether the same path exists in every language (all_language_versions). */
static uint64_t
langs_fp(const struct view *r, uint64_t h, const struct job *j, const char *first)
{
	char *suffix = page_suffix(j, first);
	for (size_t l = 0; l < r->nl; l++) {
		char *url = xasprintf("/%s/%s", lang_code(r, l), suffix);
		H(map_get(&r->pl->urls, url) != NULL);
		free(url);
		url = xasprintf("/%s/%s", lang_code(r, l), first);
		H(map_get(&r->pl->urls, url) != NULL);
		free(url);
	}
	free(suffix);
	return h;
}

/* Which dated entries of groups are past at the build's "now" (set_when): that, not now itself,
 * is what a listing shows of it. */
static uint64_t
when_fp(const struct view *r, uint64_t h, struct group *const *groups, size_t n, size_t l)
{
	for (size_t i = 0; i < n; i++) {
		const struct value *e = r->entries[groups[i]->idx * r->nl + l];
		const struct value *st = value_map_get(e, "start"), *en = value_map_get(e, "end");
		if (e == NULL || st == NULL)
			continue;
		const struct value *ts = value_map_get(en ? en : st, "ts");
		H(i);
		H(ts != NULL && ts->type == VALUE_INT && ts->u.i < r->now);
	}
	return h;
}

/* Each listing's facts, once: its pages share them. */
static void
make_list_facts(struct view *r)
{
	r->list_fp = xcalloc(r->pl->nlists + 1, sizeof *r->list_fp);
	r->list_when = xcalloc(r->pl->nlists + 1, sizeof *r->list_when);
	r->list_dated = xcalloc(r->pl->nlists + 1, sizeof *r->list_dated);
	for (size_t i = 0; i < r->pl->nlists; i++) {
		const struct plan_list *li = r->pl->lists[i];
		r->list_fp[i] = list_fp(r, DEPS_SEED, li);
		r->list_when[i] = when_fp(r, DEPS_SEED, li->items, li->len, li->lang);
		uint64_t h = DEPS_SEED;
		for (size_t k = 0; k < li->len; k++) {
			const struct value *e = r->entries[li->items[k]->idx * r->nl + li->lang];
			if (e != NULL && value_map_get(e, "start") != NULL) {
				H(k);
				H(r->gf[li->items[k]->idx]);
			}
		}
		r->list_dated[i] = h;
	}
}

/* What one page of a paginated listing shows of its list (set_listing): the entries on it, in
 * their order, and how long the whole list is. Not the entries on other pages, so that a
 * changed title makes again the one page of a long listing that shows it. */
static uint64_t
slice_fp(const struct view *r, uint64_t h, const struct job *j)
{
	const struct plan_list *li = j->list;
	size_t per = (size_t)r->cfg->page_size;
	size_t start = (j->pageno - 1) * per, end = start + per;
	if (end > li->len)
		end = li->len;
	H(li->len);
	for (size_t i = start; i < end; i++)
		H(r->gf[li->items[i]->idx]);
	return h;
}

uint64_t
view_job_facts(const struct view *r, const struct job *j, const char *layout)
{
	const struct site *s = r->s;
	size_t l = j->lang;
	uint64_t h = DEPS_SEED;
	H(j->kind);
	H(l);
	HS(j->url);
	HS(j->out);
	H(j->pageno);
	H(j->npages);
	HS(layout);
	H(r->o.config_fp);
	H(r->o.layouts_fp);
	H(r->o.strings_fp ? r->o.strings_fp[l] : 0);
	H(r->nav_fp[l]);
	H(r->pl->public_changes);
	switch (j->kind) {
	case JOB_PAGE: {
		const struct page *p = j->page;
		const struct group *g = p->group;
		H(r->gf[g->idx]);
		H(body_fp(r, p));
		for (size_t t = 0; t < s->cfg->ntaxonomies; t++)
			for (struct term **tp = p->terms ? p->terms[t] : NULL; tp && *tp; tp++) {
				HS((*tp)->name);
				HS((*tp)->slug);
				char *url = xasprintf("/%s/%s/%s/", lang_code(r, l), s->cfg->taxonomies[t],
				                      (*tp)->slug);
				H(map_get(&r->pl->urls, url) != NULL); /* terms_of links only a page made */
				free(url);
			}
		const struct group *other[] = {g->easy_read, g->child_friendly, g->full_version};
		for (size_t i = 0; i < 3; i++)
			H(other[i] ? r->gf[other[i]->idx] : 0);
		for (size_t i = 0; i < g->nlinks; i++) {
			HS(g->links[i].field);
			H(r->gf[g->links[i].group->idx]);
		}
		for (size_t i = 0; i < g->nlinked_by; i++) {
			HS(g->linked_by[i].field);
			H(r->gf[g->linked_by[i].group->idx]);
		}
		for (struct group **c = r->pl->related[g->idx]; c && *c; c++)
			H(r->gf[(*c)->idx]);
		const struct group *whole = g->parent != NULL ? g->parent : g;
		H(r->gf[whole->idx]);
		for (size_t i = 0; i < whole->nparts; i++)
			H(r->gf[whole->parts[i]->idx]);
		for (const struct group *up = g->parent; up != NULL; up = up->parent)
			H(r->gf[up->idx]);
		break;
	}
	case JOB_SECTION: {
		H(j->sec->index ? r->gf[j->sec->index->idx] : 0);
		H(j->page ? body_fp(r, j->page) : 0);
		h = slice_fp(r, h, j);
		char *suffix = xasprintf("%s/", j->sec->name);
		h = langs_fp(r, h, j, suffix);
		free(suffix);
		H(r->list_when[j->list->idx]);
		H(r->list_dated[j->list->idx]);
		break;
	}
	case JOB_TERM: {
		const struct taxonomy *tx = &s->taxonomies[j->tax];
		HS(j->term->name);
		HS(j->term->slug);
		h = slice_fp(r, h, j);
		char *suffix = xasprintf("%s/%s/", tx->name, j->term->slug);
		h = langs_fp(r, h, j, suffix);
		free(suffix);
		break;
	}
	case JOB_TAXONOMY: {
		const struct taxonomy *tx = &s->taxonomies[j->tax];
		for (size_t k = 0; k < tx->nterms; k++) {
			char *url = xasprintf("/%s/%s/%s/", lang_code(r, l), tx->name, tx->terms[k]->slug);
			const struct job *tj = map_get(&r->pl->urls, url);
			free(url);
			HS(tx->terms[k]->name);
			HS(tx->terms[k]->slug);
			H(tj ? tj->list->len : SIZE_MAX);
		}
		char *suffix = xasprintf("%s/", tx->name);
		h = langs_fp(r, h, j, suffix);
		free(suffix);
		break;
	}
	case JOB_HOME:
		H(j->page ? r->gf[j->page->group->idx] : 0);
		H(j->page ? body_fp(r, j->page) : 0);
		H(r->list_fp[j->list->idx]);
		/* Featured resources, upcoming events and the facets: from every resource. */
		H(r->all_fp);
		H(r->terms_fp);
		h = when_fp(r, h, s->regular, s->nregular, l);
		break;
	case JOB_LIBRARY:
		H(r->all_fp);
		H(r->terms_fp);
		break;
	case JOB_CHANGES:
	case JOB_EDITORS:
		H(r->all_fp);
		H(r->o.history_fp);
		break;
	case JOB_ROOT:
	case JOB_404:
	case JOB_OFFLINE:
		break;
	}
	return h;
}

/* ---- the view ---- */

/* A section without a title of its own (no _index.md, no UI string), as most sites written for
 * other generators have, is named after its folder as a reader would write it: getting-started
 * -> "Getting started", _posts -> "Posts". */
static char *
folder_title(const char *name)
{
	while (*name == '-' || *name == '_') /* Hugo's _common, Jekyll's _posts */
		name++;
	char *t = xstrdup(name);
	for (char *c = t; *c; c++)
		if (*c == '-' || *c == '_')
			*c = ' ';
	if (*t >= 'a' && *t <= 'z')
		*t = (char)(*t - 'a' + 'A');
	return t;
}

static void
make_section_titles(struct view *r)
{
	const struct site *s = r->s;
	r->section_titles = xcalloc(s->nsections * r->nl + 1, sizeof *r->section_titles);
	for (size_t i = 0; i < s->nsections; i++) {
		struct section *sec = s->sections[i];
		for (size_t l = 0; l < r->nl; l++) {
			struct page *own = sec->index ? sec->index->pages[l] : NULL;
			const char *title = own && own->title ? own->title : catalog_string(r->cat, l, sec->name);
			if (title == NULL && sec->index && sec->index->primary->title)
				title = sec->index->primary->title;
			r->section_titles[i * r->nl + l] = title ? xstrdup(title) : folder_title(sec->name);
		}
	}
}

struct view *
view_new(const struct site *s, const struct plan *pl, const struct page_text *texts,
         const struct catalog *cat, const struct view_opts *o)
{
	struct view *r = xcalloc(1, sizeof *r);
	r->s = s;
	r->cfg = s->cfg;
	r->pl = pl;
	r->texts = texts;
	r->cat = cat;
	r->nl = s->cfg->nlangs;
	r->now = o->now;
	r->prefix = o->prefix;
	r->branch = o->branch;
	r->base = xstrndup(s->cfg->base_url, strlen(s->cfg->base_url) - 1);
	r->locs = xcalloc(r->nl, sizeof *r->locs);
	r->lang_vals = xcalloc(r->nl, sizeof *r->lang_vals);
	r->site_vals = xcalloc(r->nl, sizeof *r->site_vals);
	for (size_t l = 0; l < r->nl; l++)
		r->lang_vals[l] = lang_value(r, l);
	for (size_t l = 0; l < r->nl; l++)
		r->site_vals[l] = site_value(r, l);
	r->og_locales = xcalloc(r->nl, sizeof *r->og_locales);
	for (size_t l = 0; l < r->nl; l++)
		i18n_og_locale(r->cfg->langs[l].locale, r->og_locales[l]);
	r->o = *o;
	make_group_values(r);
	make_facets(r);
	make_section_titles(r);
	make_term_values(r);
	make_nav(r);
	if (o->facts) {
		make_facts(r);
		make_list_facts(r);
	}
	return r;
}

void
view_free(struct view *r)
{
	if (r == NULL)
		return;
	const struct site *s = r->s;
	for (size_t i = 0; i < s->ngroups * r->nl; i++)
		value_free(r->entries[i]);
	free(r->entries);
	for (size_t i = 0; i < s->ngroups; i++) {
		value_free(r->versions[i]);
		value_free(r->alternates[i]);
	}
	free(r->versions);
	free(r->alternates);
	for (size_t i = 0; i < s->nsections * r->nl; i++)
		free(r->section_titles[i]);
	free(r->section_titles);
	for (size_t l = 0; l < r->nl; l++) {
		value_free(r->facets[l]);
		value_free(r->site_vals[l]);
		value_free(r->lang_vals[l]);
		i18n_locale_free(r->locs[l]);
	}
	free(r->site_vals);
	free(r->lang_vals);
	free(r->og_locales);
	free_term_values(r);
	free_nav(r);
	free(r->facets);
	free(r->locs);
	free(r->base);
	free(r->gf);
	free(r->nav_fp);
	free(r->list_fp);
	free(r->list_when);
	free(r->list_dated);
	free(r);
}

const struct value *
view_entry(const struct view *v, const struct group *g, size_t l)
{
	return v->entries[g->idx * v->nl + l];
}

char *
view_term_title(const struct view *v, size_t t, const struct term *term, size_t l)
{
	return term_title(v, t, term, l);
}

const struct value *
view_facets(const struct view *v, size_t l)
{
	return v->facets[l];
}

struct value *
view_changes(const struct view *v, struct i18n_locale **locs, size_t l)
{
	return changes_value(v, locs, l);
}
