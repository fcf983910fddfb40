/* plan: the outputs of a site and what each listing holds, from the model alone. */
#include "plan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util/buf.h"
#include "util/pool.h"
#include "util/sort.h"
#include "util/xalloc.h"

static void
push_group(struct group ***v, size_t *n, struct group *g)
{
	if ((*n & (*n - 1)) == 0)
		*v = xrealloc(*v, (*n ? *n * 2 : 1) * sizeof **v);
	(*v)[(*n)++] = g;
}

static const char *
title_of(const struct page *p)
{
	return p->title ? p->title : p->key;
}

const struct page *
plan_shown(const struct group *g, size_t l)
{
	return g->pages[l] ? g->pages[l] : g->primary;
}

int
plan_listed(const struct plan *pl, const struct group *g, size_t l)
{
	return g->kind == PAGE_REGULAR && (g->pages[l] != NULL || pl->s->cfg->list_untranslated);
}

/* A page of a resource type, and a page no type describes (a folder of articles, as most sites
 * that use no content types are) when it lies in a section: pages outside every section (about,
 * contact) are the site's own pages, not what its library lists. A part of a typed resource
 * (a course's module) is listed by its parent; an untyped part (docs/guide/install.md beside
 * docs/guide/index.md) is a page of its own. */
int
plan_is_resource(const struct site *s, const struct group *g)
{
	if (g->kind != PAGE_REGULAR)
		return 0;
	if (s->types == NULL || s->types->n == 0 || g->type == NULL)
		return g->type == NULL && g->primary->section != NULL;
	return g->parent == NULL && g->type->resource;
}

static const char *const kind_names[] = {"page", "section", "home",    "taxonomy", "term",
                                         "root", "404",     "library", "editors",  "changes", "offline"};

const char *
plan_kind_name(enum job_kind k)
{
	return kind_names[k];
}

/* A listing of groups in language l: those with an entry there. With a term, only groups whose
 * shown version names it. */
static struct plan_list *
make_list_of(struct plan *pl, struct group *const *groups, size_t n, size_t l, size_t max,
             size_t tax, const struct term *term)
{
	pl->lists = xrealloc(pl->lists, (pl->nlists + 1) * sizeof *pl->lists);
	struct plan_list *li = pl->lists[pl->nlists++] = xcalloc(1, sizeof *li);
	li->idx = pl->nlists - 1;
	li->lang = l;
	li->items = xcalloc(n + 1, sizeof *li->items);
	for (size_t i = 0; i < n && li->len < max; i++) {
		if (!plan_listed(pl, groups[i], l))
			continue;
		if (term != NULL && !site_page_has_term(plan_shown(groups[i], l), tax, term))
			continue;
		li->items[li->len++] = groups[i];
	}
	return li;
}

static struct plan_list *
make_list(struct plan *pl, struct group *const *groups, size_t n, size_t l, size_t max)
{
	return make_list_of(pl, groups, n, l, max, 0, NULL);
}

/* Orders a listing by title in language l's collation (a section's `sort_by: title`). */
static const char *
group_title(const void *g, void *payload)
{
	return title_of(plan_shown(g, *(const size_t *)payload));
}

static void
sort_by_title(struct i18n_locale *loc, struct plan_list *li, size_t l)
{
	i18n_sort_by(loc, (void **)li->items, li->len, group_title, &l);
}

static void
add_job(struct plan *pl, struct job j)
{
	if ((pl->njobs & (pl->njobs - 1)) == 0)
		pl->jobs = xrealloc(pl->jobs, (pl->njobs ? pl->njobs * 2 : 1) * sizeof *pl->jobs);
	j.out = strcmp(j.url, "/404.html") == 0 ? xstrdup("404.html")
	                                        : xasprintf("%sindex.html", j.url + 1);
	pl->jobs[pl->njobs++] = j;
}

static void
add_listing_jobs(struct plan *pl, struct job base, const char *url)
{
	size_t per = (size_t)pl->s->cfg->page_size;
	size_t n = base.list->len ? (base.list->len + per - 1) / per : 1;
	for (size_t k = 1; k <= n; k++) {
		struct job j = base;
		j.pageno = k;
		j.npages = n;
		j.url = k == 1 ? xstrdup(url) : xasprintf("%spage/%zu/", url, k);
		add_job(pl, j);
	}
}

static int
has(const struct plan_opts *o, const char *name)
{
	return o->has_layout != NULL && o->has_layout(o->payload, name);
}

static void
make_jobs(struct plan *pl, const struct plan_opts *o)
{
	const struct site *s = pl->s;
	const struct config *cfg = s->cfg;
	size_t per = (size_t)cfg->page_size;
	const char *code;

	for (size_t i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_REGULAR)
			add_job(pl, (struct job){.kind = JOB_PAGE, .lang = s->pages[i]->lang,
			                         .page = s->pages[i], .url = xstrdup(s->pages[i]->url)});

	pl->section_exists = xcalloc(s->nsections * pl->nl + 1, sizeof *pl->section_exists);
	for (size_t i = 0; i < s->nsections; i++) {
		struct section *sec = s->sections[i];
		for (size_t l = 0; l < pl->nl; l++) {
			struct page *own = sec->index ? sec->index->pages[l] : NULL;
			struct plan_list *li = make_list(pl, sec->groups, sec->ngroups, l, SIZE_MAX);
			if (li->len == 0 && own == NULL)
				continue;
			const struct page *ip = sec->index ? sec->index->primary : NULL;
			const char *sort = ip ? value_str(value_map_get(ip->meta, "sort_by")) : NULL;
			if (sort != NULL && strcmp(sort, "title") == 0) {
				struct i18n_locale *loc = i18n_locale_new(cfg->langs[l].locale);
				sort_by_title(loc, li, l);
				i18n_locale_free(loc);
			}
			pl->section_exists[i * pl->nl + l] = 1;
			char *url = xasprintf("/%s/%s/", cfg->langs[l].code, sec->name);
			add_listing_jobs(pl, (struct job){.kind = JOB_SECTION, .lang = l, .page = own,
			                                  .sec = sec, .list = li}, url);
			free(url);
		}
	}
	for (size_t l = 0; l < pl->nl; l++) {
		code = cfg->langs[l].code;
		struct group *home = map_get(&s->groups_by_key, "\x01");
		const struct plan_list *latest = make_list(pl, pl->resources, pl->nresources, l, per);
		add_job(pl, (struct job){.kind = JOB_HOME, .lang = l, .page = home ? home->pages[l] : NULL,
		                         .list = latest, .pageno = 1, .npages = 1,
		                         .url = xasprintf("/%s/", code)});
		for (size_t t = 0; t < cfg->ntaxonomies; t++) {
			struct taxonomy *tx = &s->taxonomies[t];
			size_t listed = 0;
			for (size_t k = 0; k < tx->nterms; k++) {
				struct term *term = tx->terms[k];
				const struct plan_list *li =
				    make_list_of(pl, term->groups, term->ngroups, l, SIZE_MAX, t, term);
				if (li->len == 0)
					continue;
				listed++;
				char *url = xasprintf("/%s/%s/%s/", code, tx->name, term->slug);
				add_listing_jobs(pl, (struct job){.kind = JOB_TERM, .lang = l, .tax = t,
				                                  .term = term, .list = li}, url);
				free(url);
			}
			if (listed > 0)
				add_job(pl, (struct job){.kind = JOB_TAXONOMY, .lang = l, .tax = t,
				                         .url = xasprintf("/%s/%s/", code, tx->name)});
		}
		add_job(pl, (struct job){.kind = JOB_404, .lang = l, .url = xasprintf("/%s/404/", code)});
		if (pl->public_changes)
			add_job(pl, (struct job){.kind = JOB_CHANGES, .lang = l,
			                         .url = xasprintf("/%s/changes/", code)});
		if (has(o, "library.html"))
			add_job(pl, (struct job){.kind = JOB_LIBRARY, .lang = l,
			                         .url = xasprintf("/%s/library/", code)});
		/* pack: the page that offers the offline packs (offline: true). */
		if (cfg->offline && has(o, "offline.html"))
			add_job(pl, (struct job){.kind = JOB_OFFLINE, .lang = l,
			                         .url = xasprintf("/%s/offline/", code)});
	}
	size_t deflang = config_lang(cfg, cfg->default_lang)->index;
	code = cfg->langs[deflang].code;
	/* For editors: every resource by every language, in the default language. */
	if (has(o, "editors.html"))
		add_job(pl, (struct job){.kind = JOB_EDITORS, .lang = deflang,
		                         .url = xasprintf("/%s/editors/translations/", code)});
	/* history.changes: editors — the commits' subjects on one page beside it, not listed. */
	if (s->history != NULL && cfg->changes == CONFIG_CHANGES_EDITORS && has(o, "changes.html"))
		add_job(pl, (struct job){.kind = JOB_CHANGES, .lang = deflang,
		                         .url = xasprintf("/%s/editors/changes/", code)});
	add_job(pl, (struct job){.kind = JOB_ROOT, .lang = deflang, .url = xstrdup("/")});
	add_job(pl, (struct job){.kind = JOB_404, .lang = deflang, .url = xstrdup("/404.html")});
	for (size_t i = 0; i < pl->njobs; i++)
		map_put(&pl->urls, pl->jobs[i].url, &pl->jobs[i]);
}

/* Is o a better related candidate than b: more shared topics, then newer, then first in key
 * order (deterministic)? */
static int
better(const unsigned *shared, const struct group *o, const struct group *b)
{
	if (shared[o->idx] != shared[b->idx])
		return shared[o->idx] > shared[b->idx];
	if (o->primary->ts != b->primary->ts)
		return o->primary->ts > b->primary->ts;
	return o->idx < b->idx;
}

struct related_ctx {
	struct plan *pl;
	unsigned **shared; /* per worker, per group: topics shared with the group at hand */
};

/* Per resource, once: the resources sharing most topics with its primary version, best first
 * (PLAN_RELATED_CANDIDATES of them, NULL-terminated), counted over the groups of each of its
 * topics in one pass that keeps the best few. */
static void
related_one(size_t i, int worker, void *payload)
{
	struct related_ctx *rc = payload;
	struct plan *pl = rc->pl;
	unsigned *shared = rc->shared[worker];
	const struct group *g = pl->resources[i];
	const struct page *p = g->primary;
	struct group **touched = NULL, *best[PLAN_RELATED_CANDIDATES + 1] = {0};
	size_t nt = 0, nb = 0;
	for (struct term **tp = p->terms ? p->terms[pl->topics] : NULL; tp && *tp; tp++)
		for (size_t k = 0; k < (*tp)->ngroups; k++) {
			struct group *o = (*tp)->groups[k];
			if (shared[o->idx]++ == 0)
				push_group(&touched, &nt, o);
		}
	for (size_t k = 0; k < nt; k++) {
		struct group *o = touched[k];
		if (o == g || o->parent != NULL || (o->type != NULL && !o->type->resource))
			continue;
		if (nb == PLAN_RELATED_CANDIDATES && !better(shared, o, best[nb - 1]))
			continue;
		size_t at = nb < PLAN_RELATED_CANDIDATES ? nb++ : nb - 1;
		while (at > 0 && better(shared, o, best[at - 1])) {
			best[at] = best[at - 1];
			at--;
		}
		best[at] = o;
	}
	for (size_t k = 0; k < nt; k++)
		shared[touched[k]->idx] = 0;
	free(touched);
	struct group **out = xcalloc(nb + 1, sizeof *out);
	memcpy(out, best, nb * sizeof *out);
	pl->related[g->idx] = out;
}

struct plan *
plan_new(const struct site *s, const struct plan_opts *o)
{
	struct plan *pl = xcalloc(1, sizeof *pl);
	const struct config *cfg = s->cfg;
	int nthreads = o->nthreads > 0 ? o->nthreads : 1;
	pl->s = s;
	pl->nl = cfg->nlangs;
	pl->public_changes = s->history != NULL && has(o, "changes.html") &&
	                     (cfg->changes == CONFIG_CHANGES_TITLES || cfg->changes == CONFIG_CHANGES_PUBLIC);
	const char *no_search = getenv("SATCHEL_NO_SEARCH");
	pl->search = no_search == NULL || *no_search == '\0';
	pl->topics = SIZE_MAX;
	for (size_t t = 0; t < cfg->ntaxonomies; t++)
		if (strcmp(cfg->taxonomies[t], "topics") == 0)
			pl->topics = t;
	pl->resources = xcalloc(s->nregular + 1, sizeof *pl->resources);
	for (size_t i = 0; i < s->nregular; i++) {
		struct group *g = s->regular[i];
		if (plan_is_resource(s, g))
			pl->resources[pl->nresources++] = g;
	}
	pl->related = xcalloc(s->ngroups + 1, sizeof *pl->related);
	if (pl->topics != SIZE_MAX) {
		struct related_ctx rc = {pl, xcalloc((size_t)nthreads, sizeof *rc.shared)};
		for (int i = 0; i < nthreads; i++)
			rc.shared[i] = xcalloc(s->ngroups + 1, sizeof **rc.shared);
		pool_run(pl->nresources, nthreads, related_one, &rc);
		for (int i = 0; i < nthreads; i++)
			free(rc.shared[i]);
		free(rc.shared);
	}
	make_jobs(pl, o);
	return pl;
}

void
plan_free(struct plan *pl)
{
	if (pl == NULL)
		return;
	for (size_t i = 0; i < pl->njobs; i++) {
		free(pl->jobs[i].url);
		free(pl->jobs[i].out);
	}
	free(pl->jobs);
	map_free(&pl->urls);
	for (size_t i = 0; i < pl->nlists; i++) {
		free(pl->lists[i]->items);
		free(pl->lists[i]);
	}
	free(pl->lists);
	for (size_t i = 0; i < pl->s->ngroups; i++)
		free(pl->related[i]);
	free(pl->related);
	free(pl->resources);
	free(pl->section_exists);
	free(pl);
}

static const char *
first_of(int (*has_layout)(void *, const char *), void *payload, char **owned, char *candidate)
{
	if (has_layout(payload, candidate)) {
		*owned = candidate;
		return candidate;
	}
	free(candidate);
	return NULL;
}

const char *
plan_layout(const struct job *j, int (*has_layout)(void *, const char *), void *payload,
            char **owned)
{
	const char *found = NULL;
	*owned = NULL;
	switch (j->kind) {
	case JOB_PAGE:
		if (j->page->section != NULL)
			found = first_of(has_layout, payload, owned, xasprintf("%s/page.html", j->page->section));
		if (found == NULL && j->page->group->type != NULL)
			found = first_of(has_layout, payload, owned,
			                 xasprintf("types/%s.html", j->page->group->type->name));
		return found ? found : "page.html";
	case JOB_SECTION:
		found = first_of(has_layout, payload, owned, xasprintf("%s/section.html", j->sec->name));
		if (found == NULL && j->sec->type != NULL)
			found = first_of(has_layout, payload, owned,
			                 xasprintf("types/%s.section.html", j->sec->type->name));
		return found ? found : "section.html";
	case JOB_HOME: return "home.html";
	case JOB_TAXONOMY: return "taxonomy.html";
	case JOB_TERM: return "term.html";
	case JOB_ROOT: return "root.html";
	case JOB_404: return "404.html";
	case JOB_LIBRARY: return "library.html";
	case JOB_EDITORS: return "editors.html";
	case JOB_CHANGES: return "changes.html";
	case JOB_OFFLINE: return "offline.html";
	}
	return "page.html";
}
