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

/* A resource's topics as a sorted multiset: resources with the same one rank every other group
 * alike (the shared counts depend on the topics alone), so each distinct set is ranked once. */
struct topic_set {
	struct term **terms; /* sorted by address */
	size_t n;
	size_t res;          /* index in the resources */
};

static int
cmp_term_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(struct term *const *)a, y = (uintptr_t)*(struct term *const *)b;
	return (x > y) - (x < y);
}

static int
cmp_topic_set(const void *a, const void *b)
{
	const struct topic_set *x = a, *y = b;
	if (x->n != y->n)
		return (x->n > y->n) - (x->n < y->n);
	for (size_t k = 0; k < x->n; k++) {
		int c = cmp_term_ptr(&x->terms[k], &y->terms[k]);
		if (c != 0)
			return c;
	}
	return (x->res > y->res) - (x->res < y->res);
}

static int
same_topic_set(const struct topic_set *x, const struct topic_set *y)
{
	return x->n == y->n && memcmp(x->terms, y->terms, x->n * sizeof *x->terms) == 0;
}

struct related_ctx {
	struct group *const *resources;
	size_t topics;
	const struct topic_set *sets; /* sorted: equal sets adjacent */
	const size_t *first;          /* per class of equal sets: its first in sets */
	struct group ***ranked;       /* per class: its best PLAN_RELATED_CANDIDATES + 1 */
	unsigned **shared; /* per worker, per group: topics shared with the set at hand */
};

/* Per distinct topic set, once: the groups sharing most topics with it, best first
 * (PLAN_RELATED_CANDIDATES + 1 of them, NULL-terminated: one more, as a resource of the set
 * drops itself), counted over the groups of each of its topics in one pass that keeps the best
 * few. */
static void
rank_one(size_t c, int worker, void *payload)
{
	struct related_ctx *rc = payload;
	unsigned *shared = rc->shared[worker];
	const struct topic_set *set = &rc->sets[rc->first[c]];
	enum { K = PLAN_RELATED_CANDIDATES + 1 };
	struct group **touched = NULL, *best[K + 1] = {0};
	size_t nt = 0, nb = 0;
	for (size_t t = 0; t < set->n; t++)
		for (size_t k = 0; k < set->terms[t]->ngroups; k++) {
			struct group *o = set->terms[t]->groups[k];
			if (shared[o->idx]++ == 0)
				push_group(&touched, &nt, o);
		}
	for (size_t k = 0; k < nt; k++) {
		struct group *o = touched[k];
		if (o->parent != NULL || (o->type != NULL && !o->type->resource))
			continue;
		if (nb == K && !better(shared, o, best[nb - 1]))
			continue;
		size_t at = nb < K ? nb++ : nb - 1;
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
	rc->ranked[c] = out;
}

struct group ***
plan_related(struct group *const *resources, size_t nresources, size_t topics, size_t ngroups,
             int nthreads)
{
	struct group ***related = xcalloc(ngroups + 1, sizeof *related);
	if (nthreads < 1)
		nthreads = 1;
	struct topic_set *sets = xcalloc(nresources + 1, sizeof *sets);
	for (size_t i = 0; i < nresources; i++) {
		struct term **tp = resources[i]->primary->terms ? resources[i]->primary->terms[topics] : NULL;
		size_t n = 0;
		while (tp && tp[n])
			n++;
		sets[i].terms = xcalloc(n + 1, sizeof *sets[i].terms);
		if (n > 0)
			memcpy(sets[i].terms, tp, n * sizeof *tp);
		sort_array(sets[i].terms, n, sizeof *sets[i].terms, cmp_term_ptr);
		sets[i].n = n;
		sets[i].res = i;
	}
	sort_array(sets, nresources, sizeof *sets, cmp_topic_set);
	size_t *first = xcalloc(nresources + 1, sizeof *first), nclasses = 0;
	for (size_t i = 0; i < nresources; i++)
		if (i == 0 || !same_topic_set(&sets[i - 1], &sets[i]))
			first[nclasses++] = i;
	struct related_ctx rc = {resources, topics, sets, first,
	                         xcalloc(nclasses + 1, sizeof *rc.ranked),
	                         xcalloc((size_t)nthreads, sizeof *rc.shared)};
	for (int i = 0; i < nthreads; i++)
		rc.shared[i] = xcalloc(ngroups + 1, sizeof **rc.shared);
	pool_run(nclasses, nthreads, rank_one, &rc);
	for (size_t c = 0; c < nclasses; c++) {
		size_t end = c + 1 < nclasses ? first[c + 1] : nresources;
		for (size_t i = first[c]; i < end; i++) {
			const struct group *g = resources[sets[i].res];
			struct group **out = xcalloc(PLAN_RELATED_CANDIDATES + 1, sizeof *out);
			size_t nb = 0;
			for (struct group **o = rc.ranked[c]; *o && nb < PLAN_RELATED_CANDIDATES; o++)
				if (*o != g)
					out[nb++] = *o;
			related[g->idx] = out;
		}
		free(rc.ranked[c]);
	}
	for (int i = 0; i < nthreads; i++)
		free(rc.shared[i]);
	free(rc.shared);
	free(rc.ranked);
	free(first);
	for (size_t i = 0; i < nresources; i++)
		free(sets[i].terms);
	free(sets);
	return related;
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
	if (pl->topics != SIZE_MAX)
		pl->related = plan_related(pl->resources, pl->nresources, pl->topics, s->ngroups, nthreads);
	else
		pl->related = xcalloc(s->ngroups + 1, sizeof *pl->related);
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
