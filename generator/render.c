/* render: Markdown, templates, feeds and sitemap, on a pool of workers. */
#include "render.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "brand.h"
#include "feeds.h"
#include "filetype.h"
#include "hugo.h"
#include "i18n.h"
#include "markdown.h"
#include "deps.h"
#include "plan.h"
#include "redirects.h"
#include "search.h"
#include "template.h"
#include "translations.h"
#include "types.h"
#include "urlbase.h"
#include "view.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/timing.h"
#include "util/progress.h"
#include "util/sort.h"
#include "util/xalloc.h"

struct worker {
	struct tmpl_engine *engine;
	struct i18n_locale **locs; /* per language, made on first use */
	struct buf html;
};

/* The layouts' texts, for the record: name -> fingerprint of the file a render would load
 * under that name (the first folder that has it), and of the set of names (which layout a job
 * gets depends on which exist). */
struct layout_fp {
	struct map fps; /* name -> uint64_t * */
	const char *dir;
	struct buf b;
	char **names;
	size_t nnames;
};

struct anchor_link;
struct md_trace;
struct search_run;

struct renderer {
	struct site *s;
	const struct config *cfg;
	struct catalog *cat;
	const struct render_opts *o;
	size_t nl;
	struct worker *workers;
	struct plan *pl;
	struct view *v;
	struct page_text *texts; /* per page: what the Markdown pass made of it */
	struct anchor_link **anchor_links; /* per page: its links with a #fragment */
	size_t *nanchor_links;
	struct md_trace *traces; /* per page: what its Markdown asked of the site */
	struct search_run *search; /* the search indexes render_run made, for render_update */
	atomic_size_t md_reused;
	struct map file_by_url; /* published URL of a content file -> it */
	/* The record (o->record): per job, its facts, the templates its render used ("a\nb\n")
	 * and their fingerprint; the layouts' fingerprints. */
	uint64_t *facts, *used_fp;
	char **used;
	struct layout_fp layouts;
	atomic_size_t reused, rendered;
	atomic_int failures; /* renders that failed: past a few, the rest are skipped */
	atomic_size_t files;
	char *base; /* base_url without its trailing slash */
	/* With o->hold: what was made, and by path (to find two at one address). */
	pthread_mutex_t held_lock;
	struct render_file *held;
	size_t nheld;
	struct map held_by_rel;
};

struct call {
	struct renderer *r;
	struct worker *w;
	size_t lang;
};

static struct i18n_locale *
locale_of(struct renderer *r, struct worker *w, size_t lang)
{
	return view_locale(r->v, w->locs, lang);
}

static const char *
lang_code(const struct renderer *r, size_t l)
{
	return r->cfg->langs[l].code;
}

/* A language's BCP 47 tag, for what declares or analyses a language (feeds, search) rather
 * than naming a path: "el" for a Hugo site's key "gr". */
static const char *
lang_tag(const struct renderer *r, size_t l)
{
	return r->cfg->langs[l].tag;
}

/* A page's summary as written or found (NULL when there is none at all). */
static const char *
raw_summary(const struct renderer *r, const struct page *p)
{
	return p->summary ? p->summary : r->texts[p->idx].summary;
}

/* Frees what the Markdown pass made of a page, leaving it empty. */
static void
text_free(struct page_text *t)
{
	free(t->html);
	free(t->toc);
	free(t->anchors);
	free(t->summary);
	t->html = t->toc = t->anchors = t->summary = NULL;
}

static int
has_layout(void *payload, const char *name)
{
	return tmpl_exists(payload, name);
}


static double
arg_number(const struct value *v)
{
	v = value_deref(v);
	if (v == NULL)
		return NAN;
	if (v->type == VALUE_INT)
		return (double)v->u.i;
	if (v->type == VALUE_FLOAT)
		return v->u.f;
	if (v->type == VALUE_STRING)
		return strtod(v->u.str.s, NULL);
	return NAN;
}

static struct value *
helper_t(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	const char *key = nargs > 0 ? value_str(args[0]) : NULL;
	if (key == NULL) {
		*err = xstrdup("t(key [, count [, vars]]) needs a key");
		return NULL;
	}
	struct buf b = BUF_INIT;
	catalog_format(c->r->cat, c->lang, locale_of(c->r, c->w, c->lang), key,
	               nargs > 1 ? arg_number(args[1]) : NAN, nargs > 2 ? args[2] : NULL, &b);
	return value_new_string_own(buf_detach(&b));
}

static struct value *
helper_date(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	const char *s = nargs > 0 ? value_str(args[0]) : NULL;
	const char *style = nargs > 1 && value_str(args[1]) ? value_str(args[1]) : "long";
	int64_t ts = view_day_ts(s);
	if (ts == INT64_MIN)
		return NULL;
	struct buf b = BUF_INIT;
	i18n_format_date(locale_of(c->r, c->w, c->lang), ts, style, &b);
	(void)err;
	return value_new_string_own(buf_detach(&b));
}

static struct value *
helper_number(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	double n = nargs > 0 ? arg_number(args[0]) : NAN;
	if (isnan(n)) {
		*err = xstrdup("number(n) needs a number");
		return NULL;
	}
	struct buf b = BUF_INIT;
	i18n_format_number(locale_of(c->r, c->w, c->lang), n, &b);
	return value_new_string_own(buf_detach(&b));
}

static struct value *
helper_lang_name(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	const char *code = nargs > 0 ? value_str(args[0]) : NULL;
	if (code == NULL) {
		*err = xstrdup("lang_name(code) needs a language code");
		return NULL;
	}
	struct buf b = BUF_INIT;
	i18n_language_name(code, c->r->cfg->langs[c->lang].locale, &b);
	return value_new_string_own(buf_detach(&b));
}

/* subpath: url(path) — a path of the site ("/css/x.css") as the output carries it, with the
 * base path; abs_url(u) — a URL from / that carries it already (page.url, url()) as an absolute
 * address, base_url's scheme and host before it. Anything else comes back as it is. */
static struct value *
helper_url(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	const char *u = nargs > 0 ? value_str(args[0]) : NULL;
	if (u == NULL) {
		*err = xstrdup("url(path) needs a path of the site, such as \"/css/satchel.css\"");
		return NULL;
	}
	return value_new_string_own(urlbase_add(c->r->cfg->base_path, u));
}

static struct value *
helper_abs_url(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct call *c = payload;
	const char *u = nargs > 0 ? value_str(args[0]) : NULL;
	if (u == NULL) {
		*err = xstrdup("abs_url(url) needs a URL from /, such as page.url");
		return NULL;
	}
	if (u[0] != '/' || u[1] == '/' || u[1] == '\\')
		return value_new_string(u);
	char *origin = urlbase_origin(c->r->cfg->base_url);
	struct value *v = value_new_string_own(xasprintf("%s%s", origin, u));
	free(origin);
	return v;
}

/* ---- Markdown pass ---- */

/* A link with a #fragment, kept to see, once every page is rendered, that the heading is there. */
struct anchor_link {
	char *url; /* the target's URL, without the fragment; NULL for the page itself */
	char *frag;
	int line;
};

/* What a page's Markdown asked of the site while it was made, and was told, in order: every
 * call of md_render's callbacks. The text alone decides which calls md_render makes and, given
 * the same answers, what it makes; so a later run whose page has the same text, asked the same
 * again, gets the same answers and takes the result as it was (render_opts.prev). */
enum md_ask { ASK_LINK, ASK_SIZE, ASK_SRCSET, ASK_PROBLEM, ASK_LABEL };
struct md_event {
	enum md_ask kind;
	int line, is_image;   /* ASK_LINK; line also for ASK_PROBLEM */
	char *url;            /* asked about; ASK_PROBLEM: the message */
	char *a, *b;          /* ASK_LINK: the answer (NULL: kept); ASK_SRCSET: srcset, webp;
	                         ASK_LABEL: the UI string (url: its key) */
	int rc, width, height; /* ASK_SIZE */
};
struct md_trace {
	struct md_event *ev;
	size_t n, cap;
};

static void
trace_free(struct md_trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->ev[i].url);
		free(t->ev[i].a);
		free(t->ev[i].b);
	}
	free(t->ev);
	*t = (struct md_trace){0};
}

static struct md_event *
trace_add(struct md_trace *t, enum md_ask kind, const char *url)
{
	if (t->n == t->cap)
		t->ev = xrealloc(t->ev, (t->cap = t->cap ? t->cap * 2 : 4) * sizeof *t->ev);
	struct md_event *e = &t->ev[t->n++];
	*e = (struct md_event){.kind = kind, .url = xstrdup(url)};
	return e;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static int
same_str(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

/* The same question, told the same? */
static int
same_event(const struct md_event *x, const struct md_event *y)
{
	return x->kind == y->kind && x->line == y->line && x->is_image == y->is_image &&
	       strcmp(x->url, y->url) == 0 && same_str(x->a, y->a) && same_str(x->b, y->b) &&
	       x->rc == y->rc && x->width == y->width && x->height == y->height;
}

struct link_ctx {
	struct renderer *r;
	struct page *p;
	struct anchor_link *anchors;
	size_t nanchors, capanchors;
	struct md_trace *trace;
	char *srcset[2]; /* the last image's srcsets with the base path, until the next image */
};

/* subpath: what a link of the Markdown becomes in the output (urlbase.h). res is what the site
 * made of url (taken): a path of the site, "" (taken out), or NULL (kept as written). A path of
 * the site, made or written ("[x](/en/guidance/a/)"), gets the base path; one written with it
 * already ("/hub/en/…") is kept. */
static char *
link_out(const struct renderer *r, const char *url, char *res)
{
	const char *base = r->cfg->base_path;
	if (base[0] == '\0')
		return res;
	char *out = res != NULL ? (res[0] != '\0' ? urlbase_add(base, res) : NULL)
	                        : urlbase_add_link(base, url);
	if (out != NULL && res == NULL && strcmp(out, url) == 0) {
		free(out); /* nothing to change: md_render keeps what is written */
		return NULL;
	}
	if (out == NULL)
		return res;
	free(res);
	return out;
}

static char *
rewrite_link(void *payload, const char *url, int is_image, int line)
{
	struct link_ctx *lc = payload;
	char *res = site_resolve_link(lc->r->s, lc->p, url, line);
	struct md_event *ev = trace_add(lc->trace, ASK_LINK, url);
	ev->line = line;
	ev->is_image = is_image;
	ev->a = dup_or_null(res);
	const char *hash = res ? strchr(res, '#') : url[0] == '#' ? url : NULL;
	if (!is_image && hash != NULL && hash[1] != '\0' && !lc->p->derived) {
		if (lc->nanchors == lc->capanchors)
			lc->anchors = xrealloc(lc->anchors, (lc->capanchors = lc->capanchors ? lc->capanchors * 2 : 4) *
			                                        sizeof *lc->anchors);
		lc->anchors[lc->nanchors++] = (struct anchor_link){
		    res ? xstrndup(res, (size_t)(hash - res)) : NULL, xstrdup(hash + 1), line};
	}
	return link_out(lc->r, url, res);
}

static void
markdown_problem(void *payload, int line, const char *message)
{
	const struct link_ctx *lc = payload;
	trace_add(lc->trace, ASK_PROBLEM, message)->line = line;
	if (!lc->p->derived)
		diag_problem(lc->p->src, lc->p->body_line + line - 1, 0, "%s", message);
}

/* A UI string for the page's Markdown (an alert's label), in the page's language. */
static const char *
markdown_label(void *payload, const char *key)
{
	const struct link_ctx *lc = payload;
	const char *s = catalog_string(lc->r->cat, lc->p->lang, key);
	trace_add(lc->trace, ASK_LABEL, key)->a = dup_or_null(s);
	return s;
}

/* Is there an element with this id (percent-decoded) among the page's headings? */
static int
has_anchor(const struct page_text *t, const char *frag)
{
	struct buf d = BUF_INIT;
	buf_add_percent_decoded(&d, frag, strlen(frag));
	char *needle = xasprintf("\n%s\n", buf_str(&d));
	int ok = t->anchors != NULL && strstr(t->anchors, needle) != NULL;
	free(needle);
	buf_free(&d);
	return ok;
}

static int
image_size_of(void *payload, const char *url, int *width, int *height)
{
	const struct link_ctx *lc = payload;
	const char *path = urlbase_strip(lc->r->cfg->base_path, url); /* url has the base path */
	const struct site_file *f = path != NULL ? map_get(&lc->r->file_by_url, path) : NULL;
	struct md_event *ev = trace_add(lc->trace, ASK_SIZE, url);
	if (f == NULL || f->width <= 0)
		return ev->rc = -1;
	*width = ev->width = f->width;
	*height = ev->height = f->height;
	return 0;
}

static void
image_srcset_of(void *payload, const char *url, const char **srcset, const char **webp)
{
	struct link_ctx *lc = payload;
	const char *base = lc->r->cfg->base_path;
	const char *path = urlbase_strip(base, url); /* url has the base path */
	const struct site_file *f = path != NULL ? map_get(&lc->r->file_by_url, path) : NULL;
	*srcset = f != NULL ? f->srcset : NULL;
	*webp = f != NULL ? f->webp_srcset : NULL;
	struct md_event *ev = trace_add(lc->trace, ASK_SRCSET, url);
	ev->a = dup_or_null(*srcset);
	ev->b = dup_or_null(*webp);
	if (base[0] != '\0') {
		const char **set[2] = {srcset, webp};
		for (size_t k = 0; k < 2; k++) {
			free(lc->srcset[k]);
			lc->srcset[k] = *set[k] != NULL ? urlbase_add_srcset(base, *set[k]) : NULL;
			*set[k] = lc->srcset[k];
		}
	}
}

static const struct renderer *render_renderer(const struct render *rd);

/* Page i's Markdown as the previous run made it, when its text is the same and every question
 * it asked of the site, asked again in order (with the diagnostics the asking gives), is told
 * the same: 1 with r->texts[i], its anchor links and its trace filled; else 0 with nothing of
 * it kept. */
static int
markdown_reuse(struct renderer *r, size_t i, struct link_ctx *lc)
{
	const struct renderer *pr = r->o->prev_md != NULL ? render_renderer(r->o->prev_md) : NULL;
	const struct page *p = r->s->pages[i];
	if (pr == NULL || pr->cfg->unsafe_html != r->cfg->unsafe_html ||
	    strcmp(pr->cfg->base_path, r->cfg->base_path) != 0) /* the trace holds paths without it */
		return 0;
	const struct page *o = NULL;
	for (size_t l = 0; o == NULL && l < pr->nl; l++)
		if (strcmp(pr->cfg->langs[l].code, r->cfg->langs[p->lang].code) == 0)
			o = map_get(&pr->s->pages_by_url[l], p->url);
	if (o == NULL || strcmp(o->src, p->src) != 0 || o->derived != p->derived ||
	    o->body_line != p->body_line || o->text_len - o->body_off != p->text_len - p->body_off ||
	    memcmp(o->text + o->body_off, p->text + p->body_off, p->text_len - p->body_off) != 0 ||
	    pr->texts[o->idx].anchors == NULL)
		return 0;
	const struct md_trace *was = &pr->traces[o->idx];
	int same = 1;
	for (size_t k = 0; k < was->n && same; k++) {
		const struct md_event *e = &was->ev[k];
		switch (e->kind) {
		case ASK_LINK: free(rewrite_link(lc, e->url, e->is_image, e->line)); break;
		case ASK_SIZE: { int w, h; image_size_of(lc, e->url, &w, &h); break; }
		case ASK_SRCSET: { const char *a, *b; image_srcset_of(lc, e->url, &a, &b); break; }
		case ASK_PROBLEM: markdown_problem(lc, e->line, e->url); break;
		case ASK_LABEL: markdown_label(lc, e->url); break;
		}
		same = same_event(&lc->trace->ev[k], e);
	}
	if (!same) {
		trace_free(lc->trace);
		for (size_t k = 0; k < lc->nanchors; k++) {
			free(lc->anchors[k].url);
			free(lc->anchors[k].frag);
		}
		free(lc->anchors);
		lc->anchors = NULL;
		lc->nanchors = lc->capanchors = 0;
		return 0;
	}
	const struct page_text *t = &pr->texts[o->idx];
	r->texts[i] = (struct page_text){dup_or_null(t->html), dup_or_null(t->toc),
	                                 dup_or_null(t->anchors), dup_or_null(t->summary), t->words,
	                                 t->ideo_words, t->ideo_chars};
	atomic_fetch_add(&r->md_reused, 1);
	return 1;
}

static void
markdown_one(size_t i, int worker, void *payload)
{
	struct renderer *r = payload;
	struct page *p = r->s->pages[i];
	trace_free(&r->traces[i]);
	struct link_ctx lc = {r, p, NULL, 0, 0, &r->traces[i], {NULL, NULL}};
	struct md_opts mo = {.unsafe = r->cfg->unsafe_html, .rewrite = rewrite_link, .payload = &lc,
	                     .image_size = image_size_of, .image_srcset = image_srcset_of,
	                     .problem = markdown_problem, .label = markdown_label};
	struct md_result res;
	(void)worker;
	progress_step(r->o->progress);
	if (markdown_reuse(r, i, &lc)) {
		r->anchor_links[i] = lc.anchors;
		r->nanchor_links[i] = lc.nanchors;
		free(lc.srcset[0]);
		free(lc.srcset[1]);
		return;
	}
	/* A Hugo shortcode stays text (site load warned of it) rather than dropped HTML. */
	struct buf hs = BUF_INIT;
	if (hugo_shortcodes_escape(p->text + p->body_off, p->text_len - p->body_off, &hs))
		md_render(buf_str(&hs), hs.len, &mo, &res);
	else
		md_render(p->text + p->body_off, p->text_len - p->body_off, &mo, &res);
	buf_free(&hs);
	free(lc.srcset[0]);
	free(lc.srcset[1]);
	struct buf ids = BUF_INIT;
	buf_putc(&ids, '\n');
	for (size_t k = 0; k < res.ntoc; k++)
		buf_printf(&ids, "%s\n", res.toc[k].id);
	struct page_text *pt = &r->texts[i];
	pt->anchors = buf_detach(&ids);
	r->anchor_links[i] = lc.anchors;
	r->nanchor_links[i] = lc.nanchors;
	pt->html = res.html;
	pt->toc = res.toc_html;
	pt->words = res.words;
	pt->ideo_words = res.ideo_words;
	pt->ideo_chars = res.ideo_chars;
	pt->summary = res.summary;
	res.html = res.toc_html = res.summary = NULL;
	md_result_free(&res);
}

/* Every #fragment page i links to, on itself or on another page, names one of its headings. */
static void
check_anchors_of(struct renderer *r, size_t i)
{
	const struct site *s = r->s;
	{
		const struct page *p = s->pages[i];
		for (size_t k = 0; k < r->nanchor_links[i]; k++) {
			struct anchor_link *a = &r->anchor_links[i][k];
			const struct page *t = a->url == NULL ? p : NULL;
			for (size_t l = 0; t == NULL && l < r->cfg->nlangs; l++)
				t = map_get(&s->pages_by_url[l], a->url);
			/* Pages of the site only: a section, a term or a file is not checked. */
			if (t != NULL && r->texts[t->idx].html != NULL && !has_anchor(&r->texts[t->idx], a->frag))
				diag_problem(p->src, p->body_line + a->line - 1, 0,
				             "link to '#%s'%s%s: there is no heading with that id", a->frag,
				             t == p ? "" : " on ", t == p ? "" : t->src);
			free(a->url);
			free(a->frag);
		}
		free(r->anchor_links[i]);
		r->anchor_links[i] = NULL;
		r->nanchor_links[i] = 0;
	}
}

static void
check_anchors(struct renderer *r)
{
	for (size_t i = 0; i < r->s->npages; i++)
		check_anchors_of(r, i);
}

/* ---- shared values ---- */
static int write_out(struct renderer *r, const char *rel, const struct buf *b);

static int
layout_one(const char *rel, void *payload)
{
	struct layout_fp *lf = payload;
	if (map_get(&lf->fps, rel) != NULL)
		return 0;
	char *path = fs_join(lf->dir, rel);
	uint64_t *fp = xcalloc(1, sizeof *fp);
	buf_reset(&lf->b);
	*fp = deps_hash_str(DEPS_SEED, path);
	if (fs_read_file(path, &lf->b) == 0)
		*fp = deps_hash(*fp, lf->b.data ? lf->b.data : "", lf->b.len);
	free(path);
	map_put(&lf->fps, rel, fp);
	lf->names = xrealloc(lf->names, (lf->nnames + 1) * sizeof *lf->names);
	lf->names[lf->nnames++] = xstrdup(rel);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Fingerprints the layouts of dirs into r->layouts; returns that of the set of names. */
static uint64_t
layouts_load(struct renderer *r)
{
	struct layout_fp *lf = &r->layouts;
	for (size_t i = 0; i < r->o->ndirs; i++) {
		lf->dir = r->o->dirs[i];
		if (fs_is_dir(lf->dir))
			fs_walk(lf->dir, layout_one, lf);
	}
	buf_free(&lf->b);
	qsort(lf->names, lf->nnames, sizeof *lf->names, cmp_name);
	uint64_t h = DEPS_SEED;
	for (size_t i = 0; i < lf->nnames; i++)
		h = deps_hash_u64(deps_hash_str(h, lf->names[i]), *(uint64_t *)map_get(&lf->fps, lf->names[i]) != 0);
	return h;
}

static void
layouts_free(struct layout_fp *lf)
{
	for (size_t i = 0; i < lf->nnames; i++) {
		free(map_get(&lf->fps, lf->names[i]));
		free(lf->names[i]);
	}
	free(lf->names);
	map_free(&lf->fps);
}

/* The fingerprint of the templates named ("a\nb\n"), as they are now. */
static uint64_t
templates_fp(void *payload, const char *names)
{
	const struct renderer *r = payload;
	uint64_t h = DEPS_SEED;
	for (const char *n = names, *e; n && *n; n = e + 1) {
		e = strchr(n, '\n');
		if (e == NULL)
			break;
		char *name = xstrndup(n, (size_t)(e - n));
		const uint64_t *fp = map_get(&r->layouts.fps, name);
		h = deps_hash_str(h, name);
		h = deps_hash_u64(h, fp ? *fp : 0);
		free(name);
	}
	return h;
}

/* Is job i as the previous build made it? Then its file is linked from there (or, keeping,
 * left where it is) and it is not rendered. */
static int
reuse(struct renderer *r, size_t i)
{
	const struct job *j = &r->pl->jobs[i];
	if (r->o->prev == NULL || !deps_fresh(r->o->prev, j->out, r->facts[i], templates_fp, r))
		return 0;
	int ok = 1;
	if (!r->o->keep) {
		char *from = fs_join(r->o->prev_dir, j->out), *to = fs_join(r->o->outdir, j->out);
		ok = fs_link_or_copy(from, to) == 0;
		free(from);
		free(to);
	}
	if (ok) {
		const struct deps_entry *e = deps_get(r->o->prev, j->out);
		r->used[i] = xstrdup(e->templates);
		r->used_fp[i] = e->tmpl_fp;
		atomic_fetch_add(&r->files, 1);
		atomic_fetch_add(&r->reused, 1);
	}
	return ok;
}

/* Writes one of satchel's own files at rel in the output folder. Only the site's files are there
 * before it (content files and images): one of them at the same address would be replaced
 * without a word (content/en/facets.json, content/robots.txt), so that is an error naming it. */
/* create_out with o->hold: kept in memory. The site's file published at rel (in outdir) or one
 * already made there is a clash, as with files (EEXIST). */
static int
hold_out(struct renderer *r, const char *path, const char *rel, const struct buf *b)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	int rc = 0;
	pthread_mutex_lock(&r->held_lock);
	if (map_get(&r->held_by_rel, rel) != NULL) {
		errno = EEXIST;
		rc = -1;
	} else {
		if ((r->nheld & (r->nheld - 1)) == 0)
			r->held = xrealloc(r->held, (r->nheld ? r->nheld * 2 : 1) * sizeof *r->held);
		struct render_file *f = &r->held[r->nheld++];
		f->rel = xstrdup(rel);
		f->len = b->len;
		f->data = xmalloc(b->len + 1);
		memcpy(f->data, buf_str(b), b->len);
		f->data[b->len] = '\0';
		map_put(&r->held_by_rel, rel, f->rel);
	}
	pthread_mutex_unlock(&r->held_lock);
	return rc;
}

static int
create_out(struct renderer *r, const char *rel, const struct buf *b)
{
	char *path = fs_join(r->o->outdir, rel);
	uint64_t tw = timing_write_begin();
	int rc = r->o->hold ? hold_out(r, path, rel, b) : fs_create_file(path, buf_str(b), b->len);
	timing_write_end(tw);
	if (rc < 0 && errno == EEXIST) {
		char *url = xasprintf("/%s", rel);
		const struct site_file *f = map_get(&r->file_by_url, url);
		diag_error(f ? f->path : path, 0, 0, "is published at %s, where satchel writes a file of "
		           "its own; rename or move it", url);
		free(url);
	} else if (rc < 0) {
		diag_error(path, 0, 0, "cannot write: %s", strerror(errno));
	}
	free(path);
	return rc;
}

static void
render_one(size_t i, int worker, void *payload)
{
	struct renderer *r = payload;
	struct worker *w = &r->workers[worker];
	const struct job *j = &r->pl->jobs[i];
	struct call c = {r, w, j->lang};
	char *owned;
	progress_step(r->o->progress);
	/* A broken template fails every page alike; after a few, stop and let the build fail. */
	if (atomic_load(&r->failures) >= 10)
		return;
	const char *layout = plan_layout(j, has_layout, w->engine, &owned);
	if (r->o->record != NULL) {
		r->facts[i] = view_job_facts(r->v, j, layout);
		if (reuse(r, i)) {
			free(owned);
			return;
		}
	}
	struct value *vars = view_vars(r->v, w->locs, j);
	buf_reset(&w->html);
	/* A template stopped by its time or memory limit names the page it was rendering. */
	char *subject = j->page != NULL ? xasprintf("%s (%s)", j->page->src, j->url) : NULL;
	tmpl_engine_set_subject(w->engine, subject != NULL ? subject : j->url);
	free(subject);
	struct buf used = BUF_INIT;
	tmpl_take_used(w->engine, &used); /* nothing of an earlier job */
	buf_reset(&used);
	if (tmpl_render(w->engine, layout, vars, &c, &w->html) == 0) {
		if (create_out(r, j->out, &w->html) == 0) {
			atomic_fetch_add(&r->files, 1);
			atomic_fetch_add(&r->rendered, 1);
		}
		if (r->o->record != NULL) {
			tmpl_take_used(w->engine, &used);
			r->used[i] = xstrdup(buf_str(&used));
			r->used_fp[i] = templates_fp(r, r->used[i]);
		}
	} else {
		atomic_fetch_add(&r->failures, 1);
	}
	buf_free(&used);
	value_free(vars);
	free(owned);
}

/* ---- feeds and sitemap ---- */

static int
write_out(struct renderer *r, const char *rel, const struct buf *b)
{
	int rc = create_out(r, rel, b);
	if (rc == 0)
		atomic_fetch_add(&r->files, 1);
	return rc;
}

/* The brand colours as a stylesheet of their own (brand.h), for the theme's <link>. */
static void
write_brand(struct renderer *r)
{
	if (r->cfg->brand_color == NULL)
		return;
	struct buf b = BUF_INIT;
	brand_css(&b, r->cfg->brand_color, r->cfg->brand_fg);
	write_out(r, BRAND_CSS_PATH, &b);
	buf_free(&b);
}

static void
write_facets(struct renderer *r)
{
	struct buf b = BUF_INIT;
	for (size_t l = 0; l < r->nl; l++) {
		buf_reset(&b);
		value_write_json(view_facets(r->v, l), &b);
		buf_putc(&b, '\n');
		char *rel = xasprintf("%s/facets.json", lang_code(r, l));
		write_out(r, rel, &b);
		free(rel);
	}
	buf_free(&b);
}

/* The bytes html_text stops at: white space, a tag's start, an entity's, and NUL (the end). */
static const unsigned char text_stop[256] = {
	[' '] = 1, ['\n'] = 1, ['\t'] = 1, ['\r'] = 1, ['<'] = 1, ['&'] = 1, ['\0'] = 1,
};

/* The text of HTML (n bytes): tags dropped, the entities cmark writes decoded, white space
 * (and each tag, so words in adjacent cells do not run together) made one space, none at the
 * ends. Appends. The bytes between stops are copied as runs; the text is never longer than the
 * HTML (a tag or white space gives at most one space, an entity one byte), so room for n bytes
 * is made once. */
static void
html_text(const char *h, size_t n, struct buf *out)
{
	buf_grow(out, n);
	char *o = out->data + out->len, *start = o;
	int space = 1; /* the output ends with a space (or is empty) */
	const char *c = h, *end = h + n;
	while (c < end) {
		const char *run = c;
		while (c < end && !text_stop[(unsigned char)*c])
			c++;
		if (c > run) {
			memcpy(o, run, (size_t)(c - run));
			o += c - run;
			space = 0;
		}
		if (c == end || *c == '\0')
			break;
		if (*c == '&') {
			/* As strncmp against the whole of the HTML, as it was: an entity never runs
			 * past the end of a heading, an id or a section, which '<', '"' or NUL ends. */
			static const char *const ents[][2] = {{"amp;", "&"}, {"lt;", "<"}, {"gt;", ">"},
			                                      {"quot;", "\""}, {"#39;", "'"}, {"nbsp;", " "}};
			space = 0;
			c++;
			size_t i = 0, ne = sizeof ents / sizeof ents[0];
			while (i < ne && strncmp(c, ents[i][0], strlen(ents[i][0])) != 0)
				i++;
			*o++ = i < ne ? ents[i][1][0] : '&';
			if (i < ne)
				c += strlen(ents[i][0]);
			continue;
		}
		if (*c == '<') {
			const char *e = memchr(c, '>', (size_t)(end - c));
			if (e == NULL)
				break;
			c = e + 1;
		} else {
			c++;
		}
		if (!space)
			*o++ = ' ';
		space = 1;
	}
	if (o > start && o[-1] == ' ')
		o--;
	out->len += (size_t)(o - start);
	out->data[out->len] = '\0';
}

/* Calls fn for each section of a page's HTML, split at its headings h2-h6 with ids: the first
 * (before any heading) with anchor and heading empty. Pointers into html, with lengths. */
struct section_cut {
	const char *anchor, *head, *body;
	size_t alen, hlen, blen;
};

/* The first "<h" in [at, end), or NULL: memchr's '<' (a tag every few dozen bytes) is quicker
 * than memmem's two bytes. With the end known, not strstr: a sanitiser's strstr measures the rest
 * of the page at every call, which made a 20 MB page's sections take minutes under ASan. */
static const char *
find_h(const char *at, const char *end)
{
	while (at < end && (at = memchr(at, '<', (size_t)(end - at))) != NULL) {
		if (end - at >= 2 && at[1] == 'h')
			return at;
		at++;
	}
	return NULL;
}

static void
html_sections(const char *html, void (*fn)(void *payload, const struct section_cut *c), void *payload)
{
	struct section_cut c = {"", "", html, 0, 0, 0};
	const char *at = html, *end = html + strlen(html);
	for (;;) {
		const char *h = find_h(at, end);
		while (h != NULL && !(h[2] >= '2' && h[2] <= '6' && strncmp(h + 3, " id=\"", 5) == 0))
			h = find_h(h + 2, end);
		if (h == NULL)
			break;
		const char *id = h + 8, *idend = strchr(id, '"');
		const char *open_end = idend ? strchr(idend, '>') : NULL;
		char close[6] = {'<', '/', 'h', h[2], '>', '\0'};
		const char *hend = open_end ? memmem(open_end, (size_t)(end - open_end), close, 5) : NULL;
		if (hend == NULL)
			break;
		c.blen = (size_t)(h - c.body);
		fn(payload, &c);
		c = (struct section_cut){id, open_end + 1, hend + 5, (size_t)(idend - id),
		                         (size_t)(hend - open_end - 1), 0};
		at = hend + 5;
	}
	c.blen = strlen(c.body);
	fn(payload, &c);
}

/* ---- search (docs/search-format.md) ---- */

/* Where a page is a search document: language l's index, as id. */
struct doc_ref {
	uint32_t lang, id;
};

/* One language's index: its documents, and in the record its fingerprint (of every text it
 * takes) and the files written, so that a run whose index would take the same texts keeps the
 * files as they are. */
struct search_lang {
	const struct page **docs; /* by id; NULL: a facets item that is no document (a draft) */
	size_t ndocs, nitems;
	uint64_t fp;
	uint64_t *frag_fp; /* per id: its fragment's bytes */
	struct buf files;  /* names under L/search/, each followed by '\n' */
	int kept;          /* taken from the previous output */
};

struct search_run {
	struct search_lang *langs;
	struct doc_ref **refs; /* per page: where it is a document */
	size_t *nrefs;
	uint64_t *page_fp;                 /* per page */
	struct search_doc **docs;          /* per page, during the run */
	struct search_extractor **xs;      /* per worker */
	struct search_bufs *bufs;          /* per worker */
	size_t *order;                     /* the languages, most documents first */
	/* The documents of one index alone are made in that index's task (pass 3) and freed when
	 * it is written, rather than all before any index (pass 2): memory holds the documents
	 * of the indexes being made, not of all. */
	int pipelined;
};

/* A worker's buffers for the documents' pass, kept from page to page: scratch text, the
 * fragment's sections (the same for every index the page is a document of), a fragment. */
struct search_bufs {
	struct buf text, sections, frag;
};

/* A page with text of its own a visitor can open. */
static int
search_page_ok(const struct renderer *r, const struct page *p)
{
	return p != NULL && !p->draft && (p->kind == PAGE_REGULAR || (r->texts[p->idx].html != NULL &&
	                                                              r->texts[p->idx].html[0] != '\0'));
}

static int
cmp_page_url(const void *a, const void *b)
{
	return strcmp((*(const struct page *const *)a)->url, (*(const struct page *const *)b)->url);
}

static void
add_ref(struct search_run *sr, const struct page *p, size_t l, size_t id)
{
	size_t i = p->idx;
	sr->refs[i] = xrealloc(sr->refs[i], (sr->nrefs[i] + 1) * sizeof *sr->refs[i]);
	sr->refs[i][sr->nrefs[i]++] = (struct doc_ref){(uint32_t)l, (uint32_t)id};
}

/* Every language's documents: facets items first, in facets.json's order, then the other
 * pages in URL order. */
static void
search_plan(struct renderer *r, struct search_run *sr)
{
	const struct site *s = r->s;
	uint32_t *stamp = xcalloc(s->npages + 1, sizeof *stamp);
	for (size_t l = 0; l < r->nl; l++) {
		struct search_lang *sl = &sr->langs[l];
		size_t cap = r->pl->nresources + r->pl->njobs + 1, n = 0;
		sl->docs = xcalloc(cap, sizeof *sl->docs);
		for (size_t i = 0; i < r->pl->nresources; i++) {
			const struct group *g = r->pl->resources[i];
			if (view_entry(r->v, g, l) == NULL)
				continue;
			const struct page *p = g->pages[l] ? g->pages[l] : g->primary;
			sl->docs[n++] = search_page_ok(r, p) ? p : NULL;
			if (p != NULL)
				stamp[p->idx] = (uint32_t)l + 1;
		}
		sl->nitems = n;
		for (size_t i = 0; i < r->pl->njobs; i++) {
			const struct job *j = &r->pl->jobs[i];
			const struct page *p = j->page;
			if (j->lang != l || p == NULL || j->pageno > 1 || stamp[p->idx] == l + 1 ||
			    !(j->kind == JOB_PAGE || j->kind == JOB_SECTION || j->kind == JOB_HOME) ||
			    !search_page_ok(r, p))
				continue;
			stamp[p->idx] = (uint32_t)l + 1;
			sl->docs[n++] = p;
		}
		sort_array(sl->docs + sl->nitems, n - sl->nitems, sizeof *sl->docs, cmp_page_url);
		sl->ndocs = n;
		sl->frag_fp = xcalloc(n + 1, sizeof *sl->frag_fp);
		for (size_t id = 0; id < n; id++)
			if (sl->docs[id] != NULL)
				add_ref(sr, sl->docs[id], l, id);
	}
	free(stamp);
}

/* What a document's texts go to: the fingerprint, or (x set) the extractor, and then (frag
 * set) the sections of its fragment too, in the one pass over its HTML. */
struct doc_walk {
	struct renderer *r;
	struct worker *w;
	struct search_extractor *x;
	uint64_t fp;
	size_t lang;
	struct buf *text; /* scratch */
	struct buf *frag; /* the fragment's sections, nfrag of them so far; or NULL */
	int nfrag;
};

static void
walk_take(struct doc_walk *k, const char *s, size_t n, enum search_field f, size_t lang)
{
	if (k->x != NULL)
		search_doc_add(k->x, s, n, f, lang_tag(k->r, lang), locale_of(k->r, k->w, lang));
	else
		k->fp = deps_hash(deps_hash_u64(deps_hash_u64(k->fp, f), lang), s, n);
}

static void
json_str(struct buf *o, const char *s, size_t n)
{
	buf_putc(o, '"');
	buf_add_json_escaped(o, s, n);
	buf_putc(o, '"');
}

/* Section c as text: when o is set, as a fragment's section ["anchor","heading","body"] (the
 * *n-th written; the first, before any heading, only when it has text), and when k is set, its
 * heading and body to k's document. t is scratch. */
static void
section_out(struct buf *o, int *n, struct buf *t, const struct section_cut *c, struct doc_walk *k)
{
	if (o != NULL && c->alen == 0 && c->blen == 0)
		o = NULL;
	if (o != NULL) {
		buf_puts(o, (*n)++ ? ",[" : "[");
		buf_reset(t);
		html_text(c->anchor, c->alen, t);
		json_str(o, t->data, t->len);
		buf_putc(o, ',');
	}
	buf_reset(t);
	html_text(c->head, c->hlen, t);
	if (k != NULL)
		walk_take(k, t->data, t->len, SEARCH_HEADING, k->lang);
	if (o != NULL) {
		json_str(o, t->data, t->len);
		buf_putc(o, ',');
	}
	buf_reset(t);
	html_text(c->body, c->blen, t);
	if (k != NULL)
		walk_take(k, t->data, t->len, SEARCH_BODY, k->lang);
	if (o != NULL) {
		json_str(o, t->data, t->len);
		buf_putc(o, ']');
	}
}

static void
walk_section(void *payload, const struct section_cut *c)
{
	struct doc_walk *k = payload;
	section_out(k->frag, &k->nfrag, k->text, c, k);
}

/* A download's name as words: "checklist.bg.pdf" -> "checklist bg pdf". */
static void
file_words(const struct site_file *f, struct buf *out)
{
	for (const char *c = strrchr(f->path, '/') + 1; *c; c++)
		buf_putc(out, *c == '.' || *c == '_' || *c == '-' ? ' ' : *c);
}

static const char *
transcript_of(const struct page *p)
{
	return value_str(value_map_get(p->meta, "transcript"));
}

/* Every text of page p as a document: title, summary, terms, headings, body (footnotes,
 * captions and tables are in it), transcript, download names. */
static void
doc_walk(struct doc_walk *k, const struct page *p)
{
	struct renderer *r = k->r;
	size_t l = p->lang;
	const char *title = view_title(p);
	k->lang = l;
	walk_take(k, title, strlen(title), SEARCH_TITLE, l);
	const char *summary = raw_summary(r, p);
	if (summary != NULL)
		walk_take(k, summary, strlen(summary), SEARCH_META, l);
	for (size_t t = 0; t < r->cfg->ntaxonomies; t++)
		for (struct term **tp = p->terms ? p->terms[t] : NULL; tp && *tp; tp++) {
			char *tt = view_term_title(r->v, t, *tp, l);
			walk_take(k, tt, strlen(tt), SEARCH_META, l);
			free(tt);
		}
	const char *html = r->texts[p->idx].html ? r->texts[p->idx].html : "";
	if (k->x != NULL)
		html_sections(html, walk_section, k);
	else
		walk_take(k, html, strlen(html), SEARCH_BODY, l);
	const char *tr = transcript_of(p);
	if (tr != NULL)
		walk_take(k, tr, strlen(tr), SEARCH_META, l);
	for (size_t i = 0; p->group != NULL && i < p->group->nfiles; i++) {
		const struct site_file *f = p->group->files[i];
		if (f->lang != SIZE_MAX && f->lang != l)
			continue;
		buf_reset(k->text);
		file_words(f, k->text);
		walk_take(k, k->text->data, k->text->len, SEARCH_META, l);
	}
	if (k->x == NULL) {
		k->fp = deps_hash_str(deps_hash_str(k->fp, p->url), p->date);
		k->fp = deps_hash_str(k->fp, p->group && p->group->type ? p->group->type->name : NULL);
	}
}

struct frag_ctx {
	struct buf *o;
	struct buf text;
	int n;
};

static void
frag_section(void *payload, const struct section_cut *c)
{
	struct frag_ctx *f = payload;
	section_out(f->o, &f->n, &f->text, c, NULL);
}

/* Page p's fragment as document of language l's index, up to its sections: {"u":...,"x":[ */
static void
fragment_head(const struct renderer *r, const struct page *p, size_t l, struct buf *o)
{
	buf_puts(o, "{\"u\":");
	char *u = urlbase_add(r->cfg->base_path, p->url); /* subpath */
	json_str(o, u, strlen(u));
	free(u);
	const char *title = view_title(p);
	buf_puts(o, ",\"t\":");
	json_str(o, title, strlen(title));
	buf_puts(o, ",\"l\":");
	json_str(o, lang_tag(r, p->lang), strlen(lang_tag(r, p->lang)));
	if (p->group != NULL && p->group->type != NULL) {
		char *key = xasprintf("types.%s", p->group->type->name);
		const char *y = catalog_string(r->cat, l, key);
		if (y != NULL) {
			buf_puts(o, ",\"y\":");
			json_str(o, y, strlen(y));
		}
		free(key);
	}
	if (p->date != NULL) {
		buf_puts(o, ",\"d\":");
		json_str(o, p->date, strlen(p->date));
	}
	const char *summary = raw_summary(r, p);
	if (summary != NULL && summary[0] != '\0') {
		buf_puts(o, ",\"s\":");
		json_str(o, summary, strlen(summary));
	}
	buf_puts(o, ",\"x\":[");
}

/* After page p's n sections in o: the transcript and the downloads' names, as a last section.
 * t is scratch. */
static void
fragment_tail(const struct page *p, struct buf *t, struct buf *o, int n)
{
	buf_reset(t);
	const char *tr = transcript_of(p);
	if (tr != NULL)
		buf_puts(t, tr);
	for (size_t i = 0; p->group != NULL && i < p->group->nfiles; i++) {
		const struct site_file *file = p->group->files[i];
		if (file->lang != SIZE_MAX && file->lang != p->lang)
			continue;
		if (t->len > 0)
			buf_putc(t, ' ');
		buf_puts(t, strrchr(file->path, '/') + 1);
	}
	if (t->len > 0) {
		buf_puts(o, n ? ",[\"\",\"\"," : "[\"\",\"\",");
		json_str(o, t->data, t->len);
		buf_putc(o, ']');
	}
}

/* Page p's fragment as document of language l's index. */
static void
fragment_json(const struct renderer *r, const struct page *p, size_t l, struct buf *o)
{
	fragment_head(r, p, l, o);
	struct frag_ctx f = {o, BUF_INIT, 0};
	html_sections(r->texts[p->idx].html ? r->texts[p->idx].html : "", frag_section, &f);
	fragment_tail(p, &f.text, o, f.n);
	buf_free(&f.text);
	buf_puts(o, "]}\n");
}

/* The record's key for language l's search index (no file has a name ending in '/'). */
static char *
search_key(const struct renderer *r, size_t l)
{
	return xasprintf("%s/search/", lang_code(r, l));
}

/* Language l's files as the previous output holds them, when its index was made from the same
 * texts (and the same satchel and configuration): linked from there, or with keep left. */
static int
search_reuse(struct renderer *r, size_t l, struct search_lang *sl)
{
	const struct render_opts *o = r->o;
	char *key = search_key(r, l);
	const struct deps_entry *e = o->prev != NULL ? deps_get(o->prev, key) : NULL;
	free(key);
	if (e == NULL || e->facts != sl->fp)
		return 0;
	size_t n = 0;
	int ok = 1;
	for (const char *name = e->templates, *end; ok && (end = strchr(name, '\n')) != NULL;
	     name = end + 1) {
		char *rel = xasprintf("%s/search/%.*s", lang_code(r, l), (int)(end - name), name);
		if (!o->keep) {
			char *from = fs_join(o->prev_dir, rel), *to = fs_join(o->outdir, rel);
			ok = fs_link_or_copy(from, to) == 0;
			free(from);
			free(to);
		} else {
			char *path = fs_join(o->prev_dir, rel);
			ok = fs_exists(path);
			free(path);
		}
		free(rel);
		n += ok;
	}
	if (!ok) { /* made again: what was linked goes */
		for (const char *name = e->templates, *end; n > 0 && (end = strchr(name, '\n')) != NULL;
		     name = end + 1, n--) {
			char *rel = xasprintf("%s/search/%.*s", lang_code(r, l), (int)(end - name), name);
			char *to = fs_join(o->outdir, rel);
			if (!o->keep)
				unlink(to);
			free(to);
			free(rel);
		}
		return 0;
	}
	buf_puts(&sl->files, e->templates);
	atomic_fetch_add(&r->files, n);
	sl->kept = 1;
	return 1;
}

/* Pass 1, per page: the fingerprint of its texts. */
static void
search_fp_one(size_t i, int worker, void *payload)
{
	struct renderer *r = payload;
	struct search_run *sr = r->search;
	if (sr->nrefs[i] == 0)
		return;
	struct buf text = BUF_INIT;
	struct doc_walk k = {r, &r->workers[worker], NULL, DEPS_SEED, 0, &text, NULL, 0};
	doc_walk(&k, r->s->pages[i]);
	buf_free(&text);
	sr->page_fp[i] = k.fp;
}

/* Writes page p's fragment as document ref, of its sections as made (the part of a fragment
 * that is the same in every language); its bytes' hash in the language's frag_fp. b is
 * scratch. */
static void
write_fragment(struct renderer *r, const struct page *p, struct doc_ref ref,
               const struct buf *sections, struct buf *b)
{
	buf_reset(b);
	fragment_head(r, p, ref.lang, b);
	buf_add(b, buf_str(sections), sections->len);
	buf_puts(b, "]}\n");
	r->search->langs[ref.lang].frag_fp[ref.id] = deps_hash(DEPS_SEED, b->data, b->len);
	char *rel = xasprintf("%s/search/f/%u.json", lang_code(r, ref.lang), (unsigned)ref.id);
	write_out(r, rel, b);
	free(rel);
}

/* Page i's document and its fragments, for the indexes made again. */
static void
search_doc_make(struct renderer *r, size_t i, int worker)
{
	struct search_run *sr = r->search;
	const struct page *p = r->s->pages[i];
	struct search_extractor *x = sr->xs[worker];
	struct search_bufs *b = &sr->bufs[worker];
	buf_reset(&b->sections);
	struct doc_walk k = {r, &r->workers[worker], x, 0, 0, &b->text, &b->sections, 0};
	search_doc_begin(x);
	doc_walk(&k, p);
	sr->docs[i] = search_doc_end(x);
	fragment_tail(p, &b->text, &b->sections, k.nfrag);
	for (size_t n = 0; n < sr->nrefs[i]; n++)
		if (!sr->langs[sr->refs[i][n].lang].kept)
			write_fragment(r, p, sr->refs[i][n], &b->sections, &b->frag);
}

/* Of how many indexes made again page i is a document. */
static size_t
search_needs(const struct search_run *sr, size_t i)
{
	size_t n = 0;
	for (size_t k = 0; k < sr->nrefs[i]; k++)
		n += !sr->langs[sr->refs[i][k].lang].kept;
	return n;
}

/* Pass 2, per page: when it is a document of an index made again, its terms and fragments
 * (pipelined: only when it is one of several indexes). */
static void
search_doc_one(size_t i, int worker, void *payload)
{
	struct renderer *r = payload;
	struct search_run *sr = r->search;
	size_t need = search_needs(sr, i);
	if (sr->pipelined && need == 1)
		return; /* its index's task makes it */
	if (need > 0)
		search_doc_make(r, i, worker);
	if (r->o->once) /* nothing reads the page's texts after this */
		text_free(&r->texts[i]);
}

struct piece_out {
	struct renderer *r;
	size_t l;
};

static void
write_piece_file(void *payload, const char *name, const struct buf *json)
{
	const struct piece_out *po = payload;
	char *rel = xasprintf("%s/search/%s", lang_code(po->r, po->l), name);
	write_out(po->r, rel, json);
	buf_printf(&po->r->search->langs[po->l].files, "%s\n", name);
	free(rel);
}

/* Pass 3, per language made again (the k-th in sr->order): the index of its documents;
 * pipelined, the documents of this index alone made first and freed after. */
static void
search_index_one(size_t k, int worker, void *payload)
{
	struct renderer *r = payload;
	struct search_run *sr = r->search;
	size_t l = sr->order[k];
	struct search_lang *sl = &sr->langs[l];
	if (sl->kept)
		return;
	for (size_t id = 0; sr->pipelined && id < sl->ndocs; id++) {
		const struct page *p = sl->docs[id];
		if (p != NULL && search_needs(sr, p->idx) == 1) {
			search_doc_make(r, p->idx, worker);
			if (r->o->once)
				text_free(&r->texts[p->idx]);
		}
	}
	struct search_index *ix = search_new(lang_tag(r, l));
	uint64_t frags = DEPS_SEED;
	for (size_t id = 0; id < sl->ndocs; id++) {
		const struct page *p = sl->docs[id];
		frags = deps_hash_u64(frags, sl->frag_fp[id]);
		if (p != NULL && sr->docs[p->idx] != NULL)
			search_put(ix, (uint32_t)id, sr->docs[p->idx]);
	}
	struct piece_out po = {r, l};
	search_write(ix, sl->ndocs, sl->nitems, frags, 0, write_piece_file, &po);
	search_free(ix);
	for (size_t id = 0; sr->pipelined && id < sl->ndocs; id++) {
		const struct page *p = sl->docs[id];
		if (p != NULL && search_needs(sr, p->idx) == 1) {
			search_doc_free(sr->docs[p->idx]);
			sr->docs[p->idx] = NULL;
		}
	}
	for (size_t id = 0; id < sl->ndocs; id++)
		if (sl->docs[id] != NULL)
			buf_printf(&sl->files, "f/%zu.json\n", id);
}

/* The order of the indexes' tasks, most documents first (the longest start first), and whether
 * they take their documents along (pipelined): when that keeps the threads about as busy as
 * making every document first would — some index's task would otherwise run long alone (one
 * language with most of the pages, fewer indexes than threads). Measured in documents, by
 * assigning each task, longest first, to the least busy thread. */
static void
search_schedule(const struct renderer *r, struct search_run *sr, int nthreads)
{
	sr->order = xcalloc(r->nl + 1, sizeof *sr->order);
	for (size_t l = 0; l < r->nl; l++) { /* a few languages: inserted in place, stable */
		size_t k = l;
		for (; k > 0 && sr->langs[sr->order[k - 1]].ndocs < sr->langs[l].ndocs; k--)
			sr->order[k] = sr->order[k - 1];
		sr->order[k] = l;
	}
	size_t *load = xcalloc((size_t)nthreads, sizeof *load), total = 0, most = 0;
	for (size_t k = 0; k < r->nl; k++) {
		const struct search_lang *sl = &sr->langs[sr->order[k]];
		if (sl->kept)
			continue;
		size_t t = 0;
		for (int i = 1; i < nthreads; i++)
			if (load[i] < load[t])
				t = (size_t)i;
		load[t] += sl->ndocs;
		total += sl->ndocs;
		most = load[t] > most ? load[t] : most;
	}
	free(load);
	/* Within an eighth of an even share. */
	sr->pipelined = total > 0 && most * 8 * (size_t)nthreads <= total * 9;
}

/* Every language's index: fingerprinted, kept when it is as the previous run's, else made. */
static void
search_run(struct renderer *r)
{
	const struct site *s = r->s;
	int nthreads = r->o->nthreads > 0 ? r->o->nthreads : 1;
	struct search_run *sr = r->search = xcalloc(1, sizeof *sr);
	sr->langs = xcalloc(r->nl, sizeof *sr->langs);
	sr->refs = xcalloc(s->npages + 1, sizeof *sr->refs);
	sr->nrefs = xcalloc(s->npages + 1, sizeof *sr->nrefs);
	sr->page_fp = xcalloc(s->npages + 1, sizeof *sr->page_fp);
	search_plan(r, sr);
	timing_mark("    search plan");
	if (r->o->record != NULL) {
		pool_run(s->npages, nthreads, search_fp_one, r);
		for (size_t l = 0; l < r->nl; l++) {
			struct search_lang *sl = &sr->langs[l];
			uint64_t fp = deps_hash_u64(deps_hash_u64(DEPS_SEED, r->o->config_fp),
			                            r->o->strings_fp ? r->o->strings_fp[l] : 0);
			fp = deps_hash_u64(deps_hash_u64(fp, sl->ndocs), sl->nitems);
			for (size_t id = 0; id < sl->ndocs; id++)
				fp = deps_hash_u64(fp, sl->docs[id] ? sr->page_fp[sl->docs[id]->idx] : 0);
			sl->fp = fp;
			search_reuse(r, l, sl);
		}
	}
	sr->docs = xcalloc(s->npages + 1, sizeof *sr->docs);
	sr->xs = xcalloc((size_t)nthreads, sizeof *sr->xs);
	sr->bufs = xcalloc((size_t)nthreads, sizeof *sr->bufs);
	for (int i = 0; i < nthreads; i++)
		sr->xs[i] = search_extractor_new();
	timing_mark("    search fingerprints");
	search_schedule(r, sr, nthreads);
	pool_run(s->npages, nthreads, search_doc_one, r);
	timing_mark("    search documents, fragments");
	pool_run(r->nl, nthreads, search_index_one, r);
	timing_mark("    search indexes");
	for (int i = 0; i < nthreads; i++) {
		search_extractor_free(sr->xs[i]);
		buf_free(&sr->bufs[i].text);
		buf_free(&sr->bufs[i].sections);
		buf_free(&sr->bufs[i].frag);
	}
	free(sr->xs);
	sr->xs = NULL;
	free(sr->bufs);
	sr->bufs = NULL;
	free(sr->order);
	sr->order = NULL;
	for (size_t i = 0; i < s->npages; i++)
		search_doc_free(sr->docs[i]);
	free(sr->docs);
	sr->docs = NULL;
	for (size_t l = 0; r->o->record != NULL && l < r->nl; l++) {
		const char *names = buf_str(&sr->langs[l].files);
		char *key = search_key(r, l);
		deps_set(r->o->record, key, sr->langs[l].fp, names, 0);
		free(key);
		for (const char *name = names, *end; (end = strchr(name, '\n')) != NULL; name = end + 1) {
			char *rel = xasprintf("%s/search/%.*s", lang_code(r, l), (int)(end - name), name);
			deps_set(r->o->record, rel, sr->langs[l].fp, "", 0);
			free(rel);
		}
	}
}

static void
search_run_free(struct renderer *r)
{
	struct search_run *sr = r->search;
	if (sr == NULL)
		return;
	for (size_t l = 0; l < r->nl; l++) {
		free(sr->langs[l].docs);
		free(sr->langs[l].frag_fp);
		buf_free(&sr->langs[l].files);
	}
	free(sr->langs);
	for (size_t i = 0; i < r->s->npages; i++)
		free(sr->refs[i]);
	free(sr->refs);
	free(sr->nrefs);
	free(sr->page_fp);
	free(sr);
	r->search = NULL;
}

static void
write_feed(struct renderer *r, size_t l, const struct feed *f, const char *name,
           void (*gen)(struct buf *, const struct feed *), struct buf *b)
{
	char *rel = xasprintf("%s/%s", lang_code(r, l), name); /* f->lang is the tag, not the key */
	buf_reset(b);
	gen(b, f);
	write_out(r, rel, b);
	free(rel);
}

/* /LANG/changes.xml: the recent changes as an Atom feed, an entry per commit naming the pages it
 * changed. */
static void
write_changes_feed(struct renderer *r, size_t l, struct buf *b)
{
	if (!r->pl->public_changes)
		return;
	struct value *changes = view_changes(r->v, r->workers[0].locs, l);
	size_t n = value_len(changes);
	struct feed_item *items = xcalloc(n + 1, sizeof *items);
	char **strs = xcalloc(2 * n + 1, sizeof *strs);
	for (size_t i = 0; i < n; i++) {
		const struct value *c = changes->u.list.items[i];
		const struct value *pages = value_map_get(c, "pages");
		/* The pages changed, after the author when there is one; the entry's title is the
		 * commit's summary when it is published, else those pages. */
		struct buf sum = BUF_INIT;
		const char *author = value_str(value_map_get(c, "author"));
		const char *subject = value_str(value_map_get(c, "summary"));
		if (author != NULL)
			buf_printf(&sum, "%s: ", author);
		for (size_t k = 0; k < value_len(pages); k++)
			buf_printf(&sum, "%s%s", k ? ", " : "", value_str(value_map_get(pages->u.list.items[k], "title")));
		strs[2 * i] = xasprintf("%s/%s/changes/#c-%s", r->base, lang_code(r, l), value_str(value_map_get(c, "id")));
		strs[2 * i + 1] = buf_detach(&sum);
		items[i] = (struct feed_item){subject ? subject : strs[2 * i + 1], strs[2 * i],
		                              subject ? strs[2 * i + 1] : NULL, value_map_get(c, "ts")->u.i,
		                              NULL, 0};
	}
	char *home = xasprintf("%s/%s/changes/", r->base, lang_code(r, l));
	char *self = xasprintf("%s/%s/changes.xml", r->base, lang_code(r, l));
	const char *t = catalog_string(r->cat, l, "recent_changes");
	char *title = xasprintf("%s – %s", r->cfg->langs[l].title, t ? t : "Recent changes");
	struct feed f = {title, lang_tag(r, l), home, self, items, n};
	write_feed(r, l, &f, "changes.xml", feeds_atom, b);
	for (size_t i = 0; i < 2 * n; i++)
		free(strs[i]);
	free(strs);
	free(items);
	free(home);
	free(self);
	free(title);
	value_free(changes);
}

/* RSS, Atom and JSON Feed per language: the newest pages that exist in it and have a date in
 * front matter (their own, or their source's). A page without one — a partner, a course's
 * module, an about page — is not news: the date git gives it (its first commit, and for a site
 * moved into git all at once, the day of the move) would put it at the top of the feeds. Zola's
 * feeds take only dated pages too. */
static void
write_feeds(struct renderer *r)
{
	struct site *s = r->s;
	size_t max = (size_t)r->cfg->page_size;
	struct feed_item *items = xcalloc(max + 1, sizeof *items);
	char **urls = xcalloc(max + 1, sizeof *urls);
	struct buf b = BUF_INIT;
	for (size_t l = 0; l < r->nl; l++) {
		size_t n = 0;
		for (size_t i = 0; i < s->nregular && n < max; i++) {
			const struct group *g = s->regular[i];
			const struct page *p = g->pages[l];
			if (p == NULL || !p->dated)
				continue;
			urls[n] = view_permalink(r->v, p->url);
			struct feed_attachment *att = xcalloc(g->nfiles + 1, sizeof *att);
			for (size_t k = 0; k < g->nfiles; k++) {
				const struct site_file *f = g->files[k];
				/* As published: an SVG is a PNG, and its name and type say so. */
				att[k] = (struct feed_attachment){view_permalink(r->v, f->url), site_file_type(f),
				                                  strrchr(f->url, '/') + 1,
				                                  f->lang != SIZE_MAX ? lang_tag(r, f->lang) : NULL,
				                                  f->size};
			}
			items[n] = (struct feed_item){view_title(p), urls[n], raw_summary(r, p), p->ts, att, g->nfiles};
			n++;
		}
		write_changes_feed(r, l, &b);
		char *home = xasprintf("%s/%s/", r->base, lang_code(r, l));
		char *self_rss = xasprintf("%sindex.xml", home);
		char *self_atom = xasprintf("%satom.xml", home);
		char *self_json = xasprintf("%sfeed.json", home);
		struct feed f = {r->cfg->langs[l].title, lang_tag(r, l), home, self_rss, items, n};
		write_feed(r, l, &f, "index.xml", feeds_rss, &b);
		f.self = self_atom;
		write_feed(r, l, &f, "atom.xml", feeds_atom, &b);
		f.self = self_json;
		write_feed(r, l, &f, "feed.json", feeds_json, &b);
		free(self_rss);
		free(self_atom);
		free(self_json);
		free(home);
		for (size_t i = 0; i < n; i++) {
			for (size_t k = 0; k < items[i].nattachments; k++)
				free((char *)items[i].attachments[k].url);
			free((void *)items[i].attachments);
			free(urls[i]);
		}
	}
	free(urls);
	free(items);
	buf_free(&b);
}

static void
write_sitemap(struct renderer *r)
{
	struct sitemap_url *urls = xcalloc(r->pl->njobs + 1, sizeof *urls);
	struct sitemap_alt *alts = xcalloc((r->nl + 1) * (r->pl->njobs + 1), sizeof *alts);
	char **strs = xcalloc((r->nl + 2) * (r->pl->njobs + 1), sizeof *strs);
	size_t n = 0, ns = 0;
	size_t deflang = config_lang(r->cfg, r->cfg->default_lang)->index;
	for (size_t i = 0; i < r->pl->njobs; i++) {
		const struct job *j = &r->pl->jobs[i];
		if (j->kind == JOB_ROOT || j->kind == JOB_404 || j->kind == JOB_EDITORS || j->pageno > 1 ||
		    (j->kind == JOB_CHANGES && r->cfg->changes == CONFIG_CHANGES_EDITORS))
			continue;
		struct sitemap_url *u = &urls[n++];
		u->loc = strs[ns++] = view_permalink(r->v, j->url);
		u->alts = &alts[i * (r->nl + 1)];
		struct sitemap_alt *a = &alts[i * (r->nl + 1)];
		const struct group *g = j->kind == JOB_PAGE ? j->page->group : NULL;
		if (g != NULL)
			u->lastmod = j->page->ts;
		/* The same page in other languages: its group's versions, or the same path. */
		const char *suffix = strchr(j->url + 1, '/') + 1;
		for (size_t l = 0; l < r->nl; l++) {
			const char *url = NULL;
			char *tmp = NULL;
			if (g != NULL) {
				url = g->pages[l] ? g->pages[l]->url : NULL;
			} else {
				tmp = xasprintf("/%s/%s", lang_code(r, l), suffix);
				if (map_get(&r->pl->urls, tmp) != NULL)
					url = tmp;
			}
			if (url != NULL) {
				char *href = strs[ns++] = view_permalink(r->v, url);
				a[u->nalts++] = (struct sitemap_alt){lang_code(r, l), href};
				if (l == deflang)
					a[u->nalts++] = (struct sitemap_alt){"x-default", href};
			}
			free(tmp);
		}
	}
	struct buf b = BUF_INIT;
	feeds_sitemap(&b, urls, n);
	write_out(r, "sitemap.xml", &b);
	buf_reset(&b);
	feeds_robots(&b, r->cfg->base_url);
	write_out(r, "robots.txt", &b);
	buf_free(&b);
	for (size_t i = 0; i < ns; i++)
		free(strs[i]);
	free(strs);
	free(alts);
	free(urls);
}

/* ---- redirects (redirects.c): what is live, and writing its files ---- */

/* Does the build publish something at url: a page or listing, a content file, or a file of
 * static/ (copied after render)? */
static int
redirect_live(void *payload, const char *url)
{
	struct renderer *r = payload;
	if (map_get(&r->pl->urls, url) != NULL || map_get(&r->file_by_url, url) != NULL)
		return 1;
	size_t n = strlen(url);
	char *st = xasprintf("static%s%s", url, n > 0 && url[n - 1] == '/' ? "index.html" : "");
	int there = source_exists(r->s->src, st);
	free(st);
	return there;
}

static int
redirect_write(void *payload, const char *rel, const struct buf *b)
{
	return write_out(payload, rel, b);
}

struct render {
	struct renderer r;
	struct render_opts o; /* a copy: r.o points here */
	int nthreads;
	size_t errors_before;
};

static const struct renderer *
render_renderer(const struct render *rd)
{
	return &rd->r;
}

struct render *
render_new(struct site *s, struct catalog *cat, const struct render_opts *o)
{
	struct render *rd = xcalloc(1, sizeof *rd);
	rd->o = *o;
	rd->errors_before = diag_error_count();
	struct renderer *r = &rd->r;
	*r = (struct renderer){.s = s, .cfg = s->cfg, .cat = cat, .o = &rd->o, .nl = s->cfg->nlangs};
	int nthreads = rd->nthreads = o->nthreads > 0 ? o->nthreads : 1;
	size_t base_len = strlen(s->cfg->base_url);
	r->base = xstrndup(s->cfg->base_url, base_len - 1);
	atomic_init(&r->files, 0);
	atomic_init(&r->failures, 0);
	pthread_mutex_init(&r->held_lock, NULL);
	atomic_init(&r->reused, 0);
	atomic_init(&r->rendered, 0);

	r->workers = xcalloc((size_t)nthreads, sizeof *r->workers);
	struct tmpl_opts to = TMPL_OPTS_INIT;
	to.dirs = o->dirs;
	to.ndirs = o->ndirs;
	/* A page of the default theme renders in well under a millisecond of CPU; one second is
	 * generous for any theme and still stops a runaway loop quickly. */
	to.time_limit_ms = 1000;
	for (int i = 0; i < nthreads; i++) {
		struct worker *w = &r->workers[i];
		w->locs = xcalloc(r->nl, sizeof *w->locs);
		w->engine = tmpl_engine_new(&to);
		tmpl_engine_add_helper(w->engine, "t", helper_t);
		tmpl_engine_add_helper(w->engine, "date", helper_date);
		tmpl_engine_add_helper(w->engine, "number", helper_number);
		tmpl_engine_add_helper(w->engine, "lang_name", helper_lang_name);
		tmpl_engine_add_helper(w->engine, "url", helper_url);
		tmpl_engine_add_helper(w->engine, "abs_url", helper_abs_url);
	}

	for (size_t i = 0; i < s->nfiles; i++)
		map_put(&r->file_by_url, s->files[i].url, &s->files[i]);
	r->texts = xcalloc(s->npages + 1, sizeof *r->texts);
	r->anchor_links = xcalloc(s->npages + 1, sizeof *r->anchor_links);
	r->nanchor_links = xcalloc(s->npages + 1, sizeof *r->nanchor_links);
	r->traces = xcalloc(s->npages + 1, sizeof *r->traces);
	atomic_init(&r->md_reused, 0);
	progress_begin(o->progress, "Markdown", s->npages);
	pool_run(s->npages, nthreads, markdown_one, r);
	timing_mark("  markdown");
	rd->o.prev_md = NULL; /* borrowed for the Markdown pass alone */
	check_anchors(r);
	timing_mark("  anchors");

	struct plan_opts po = {has_layout, r->workers[0].engine, nthreads};
	r->pl = plan_new(s, &po);
	timing_mark("  plan");
	struct view_opts vo = {o->now, o->prefix, o->branch, o->record != NULL, o->config_fp, 0,
	                       o->history_fp, o->strings_fp, nthreads};
	if (o->record != NULL)
		vo.layouts_fp = layouts_load(r);
	r->v = view_new(s, r->pl, r->texts, cat, &vo);
	timing_mark("  view");
	return rd;
}

int
render_run(struct render *rd, struct render_stats *st)
{
	struct renderer *r = &rd->r;
	const struct render_opts *o = r->o;
	int nthreads = rd->nthreads;
	if (o->record != NULL) {
		r->facts = xcalloc(r->pl->njobs + 1, sizeof *r->facts);
		r->used_fp = xcalloc(r->pl->njobs + 1, sizeof *r->used_fp);
		r->used = xcalloc(r->pl->njobs + 1, sizeof *r->used);
	}
	progress_begin(o->progress, "pages", r->pl->njobs);
	pool_run(r->pl->njobs, nthreads, render_one, r);
	timing_mark("  pages");
	/* The record of this build: every job that was made (rendered or kept). */
	for (size_t i = 0; o->record != NULL && i < r->pl->njobs; i++)
		if (r->used[i] != NULL)
			deps_set(o->record, r->pl->jobs[i].out, r->facts[i], r->used[i], r->used_fp[i]);
	write_feeds(r);
	write_facets(r);
	timing_mark("  feeds, facets");
	if (r->pl->search)
		search_run(r);
	timing_mark("  search");
	write_sitemap(r);
	timing_mark("  record, sitemap");
	struct redirects_io rio = {redirect_live, redirect_write, r};
	redirects_run(r->s, r->cat, &rio);
	timing_mark("  redirects");
	write_brand(r);

	st->pages = xcalloc(r->nl, sizeof *st->pages);
	for (size_t i = 0; i < r->pl->njobs; i++)
		if (r->pl->jobs[i].kind != JOB_ROOT)
			st->pages[r->pl->jobs[i].lang]++;
	st->files = atomic_load(&r->files);
	st->reused = atomic_load(&r->reused);
	st->rendered = atomic_load(&r->rendered);
	rd->o.progress = NULL; /* borrowed for the run alone: a quick update shows none */
	return diag_error_count() > rd->errors_before ? -1 : 0;
}

int
render_update(struct render *rd, struct page *const *pages, size_t n, const char *outdir,
              struct deps *record, char ***written, size_t *nwritten)
{
	struct renderer *r = &rd->r;
	size_t errors_before = diag_error_count();
	int rc = 0;
	/* The Markdown again; what other pages or files show of it must be as it was. Every
	 * page's, even past one that others see changed (1): the texts kept beside the model
	 * must be made from its texts, which are the new ones now, for the next run to reuse. */
	for (size_t k = 0; k < n; k++) {
		size_t i = pages[k]->idx;
		struct page_text old = r->texts[i];
		memset(&r->texts[i], 0, sizeof r->texts[i]);
		free(r->anchor_links[i]);
		r->anchor_links[i] = NULL;
		r->nanchor_links[i] = 0;
		markdown_one(i, 0, r);
		check_anchors_of(r, i);
		const struct page_text *t = &r->texts[i];
		/* The search index's postings are not made again here (they wait for the next full
		 * run); the page's fragments are, below. */
		if ((pages[k]->summary == NULL && strcmp(old.summary ? old.summary : "", t->summary ? t->summary : "") != 0) ||
		    strcmp(old.anchors, t->anchors) != 0)
			rc = 1; /* a listing or another page's link check sees it */
		free(old.html);
		free(old.toc);
		free(old.anchors);
		free(old.summary);
	}
	if (rc != 0 || diag_error_count() > errors_before)
		return rc != 0 ? 1 : -1;
	/* Its outputs: its page, and the section or home it introduces; rendered first, written
	 * when all were, so that a template error leaves the folder as it was. */
	struct worker *w = &r->workers[0];
	struct buf used = BUF_INIT;
	struct made { size_t job; char *html; size_t len; } *made = NULL;
	size_t nmade = 0;
	for (size_t i = 0; i < r->pl->njobs && rc == 0; i++) {
		const struct job *j = &r->pl->jobs[i];
		int mine = 0;
		for (size_t k = 0; k < n && !mine; k++)
			mine = j->page == pages[k];
		if (!mine)
			continue;
		char *owned;
		const char *layout = plan_layout(j, has_layout, w->engine, &owned);
		struct value *vars = view_vars(r->v, w->locs, j);
		struct call c = {r, w, j->lang};
		buf_reset(&w->html);
		buf_reset(&used);
		tmpl_take_used(w->engine, &used);
		buf_reset(&used);
		char *subject = j->page != NULL ? xasprintf("%s (%s)", j->page->src, j->url) : NULL;
		tmpl_engine_set_subject(w->engine, subject != NULL ? subject : j->url);
		free(subject);
		if (tmpl_render(w->engine, layout, vars, &c, &w->html) == 0) {
			tmpl_take_used(w->engine, &used);
			made = xrealloc(made, (nmade + 1) * sizeof *made);
			made[nmade++] = (struct made){i, xstrndup(buf_str(&w->html), w->html.len),
			                              w->html.len};
			if (record != NULL)
				deps_set(record, j->out, view_job_facts(r->v, j, layout), buf_str(&used),
				         templates_fp(r, buf_str(&used)));
		} else {
			rc = -1;
		}
		value_free(vars);
		free(owned);
	}
	for (size_t k = 0; k < nmade; k++) {
		const struct job *j = &r->pl->jobs[made[k].job];
		/* Replaced whole: a reader never sees half a page. */
		char *to = fs_join(outdir, j->out), *tmp = xasprintf("%s.satchel-new", to);
		if (rc != 0) {
			/* not written */
		} else if (fs_write_file(tmp, made[k].html, made[k].len) < 0 || rename(tmp, to) < 0) {
			diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
			unlink(tmp);
			rc = -1;
		} else {
			*written = xrealloc(*written, (*nwritten + 1) * sizeof **written);
			(*written)[(*nwritten)++] = xstrdup(j->out);
		}
		free(tmp);
		free(to);
		free(made[k].html);
	}
	free(made);
	buf_free(&used);
	/* The page's search fragments, so that a result shows its new text; its postings wait for
	 * the next full run, which the record tells to make the index again. */
	struct search_run *sr = r->search;
	struct buf frag = BUF_INIT;
	for (size_t k = 0; k < n && rc == 0 && sr != NULL; k++) {
		size_t i = pages[k]->idx;
		for (size_t m = 0; m < sr->nrefs[i] && rc == 0; m++) {
			struct doc_ref ref = sr->refs[i][m];
			buf_reset(&frag);
			fragment_json(r, pages[k], ref.lang, &frag);
			char *rel = xasprintf("%s/search/f/%u.json", lang_code(r, ref.lang), (unsigned)ref.id);
			char *to = fs_join(outdir, rel), *tmp = xasprintf("%s.satchel-new", to);
			if (fs_write_file(tmp, frag.data, frag.len) < 0 || rename(tmp, to) < 0) {
				diag_error(to, 0, 0, "cannot write: %s", strerror(errno));
				unlink(tmp);
				rc = -1;
			} else {
				*written = xrealloc(*written, (*nwritten + 1) * sizeof **written);
				(*written)[(*nwritten)++] = xstrdup(rel);
			}
			if (record != NULL) {
				char *key = search_key(r, ref.lang);
				const struct deps_entry *e = deps_get(record, key);
				char *names = xstrdup(e != NULL ? e->templates : "");
				deps_set(record, key, 0, names, 0); /* not the index of any texts */
				free(names);
				free(key);
			}
			free(tmp);
			free(to);
			free(rel);
		}
	}
	buf_free(&frag);
	return rc;
}

void
render_judged_links(const struct render *rd,
                    void (*fn)(void *payload, const char *page_url, const char *href),
                    void *payload)
{
	const struct renderer *r = &rd->r;
	for (size_t i = 0; i < r->s->npages; i++) {
		const struct md_trace *t = &r->traces[i];
		for (size_t k = 0; k < t->n; k++)
			if (t->ev[k].kind == ASK_LINK && t->ev[k].a == NULL && site_link_judged(t->ev[k].url))
				fn(payload, r->s->pages[i]->url, t->ev[k].url);
	}
}

void
render_free(struct render *rd)
{
	if (rd == NULL)
		return;
	struct renderer *r = &rd->r;
	const struct site *s = r->s;
	/* Tear down: engines first (they cache converted refs to the view's values). */
	for (int i = 0; i < rd->nthreads; i++) {
		tmpl_engine_free(r->workers[i].engine);
		for (size_t l = 0; l < r->nl; l++)
			i18n_locale_free(r->workers[i].locs[l]);
		free(r->workers[i].locs);
		buf_free(&r->workers[i].html);
	}
	free(r->workers);
	size_t njobs = r->pl->njobs;
	search_run_free(r);
	view_free(r->v);
	plan_free(r->pl);
	for (size_t i = 0; i < s->npages; i++) {
		text_free(&r->texts[i]);
		free(r->anchor_links[i]);
		trace_free(&r->traces[i]);
	}
	free(r->traces);
	free(r->texts);
	free(r->anchor_links);
	free(r->nanchor_links);
	map_free(&r->file_by_url);
	for (size_t i = 0; r->used != NULL && i < njobs; i++)
		free(r->used[i]);
	free(r->used);
	free(r->used_fp);
	free(r->facts);
	layouts_free(&r->layouts);
	free(r->base);
	for (size_t i = 0; i < r->nheld; i++) {
		free(r->held[i].rel);
		free(r->held[i].data);
	}
	free(r->held);
	map_free(&r->held_by_rel);
	pthread_mutex_destroy(&r->held_lock);
	free(rd);
}

static int
cmp_held(const void *a, const void *b)
{
	return strcmp(((const struct render_file *)a)->rel, ((const struct render_file *)b)->rel);
}

struct render_file *
render_take_held(struct render *rd, size_t *n)
{
	struct renderer *r = &rd->r;
	struct render_file *h = r->held;
	*n = r->nheld;
	sort_array(h, r->nheld, sizeof *h, cmp_held);
	r->held = NULL;
	r->nheld = 0;
	map_free(&r->held_by_rel);
	return h;
}

int
render_holds(const struct render *rd, const char *rel)
{
	return map_get(&rd->r.held_by_rel, rel) != NULL;
}

int
render_site(struct site *s, struct catalog *cat, const struct render_opts *o,
            struct render_stats *st)
{
	struct render *rd = render_new(s, cat, o);
	int rc = render_run(rd, st);
	render_free(rd);
	return rc;
}
