/* plan: which outputs a site has — one job per HTML file (pages, section and term listings with
 * their pagination, home, taxonomies, library, changes, editors', root, 404), their URLs and the
 * groups each listing shows, the resources and each one's related candidates — worked out from
 * the model alone. Nothing is rendered and no value a template sees is made here (view does
 * that); the plan is read-only once made, so workers share it. */
#ifndef SATCHEL_PLAN_H
#define SATCHEL_PLAN_H

#include <stddef.h>

#include "site.h"
#include "util/map.h"

enum job_kind { JOB_PAGE, JOB_SECTION, JOB_HOME, JOB_TAXONOMY, JOB_TERM, JOB_ROOT, JOB_404, JOB_LIBRARY,
                JOB_EDITORS, JOB_CHANGES, JOB_OFFLINE };

/* The groups a listing shows in one language, in listing order. */
struct plan_list {
	struct group **items;
	size_t len;
	size_t idx;  /* in plan.lists */
	size_t lang; /* the language it lists in */
};

struct job {
	enum job_kind kind;
	size_t lang;
	struct page *page;       /* JOB_PAGE; the section's or home's own page when it has one */
	struct section *sec;     /* JOB_SECTION */
	size_t tax;              /* JOB_TAXONOMY, JOB_TERM */
	struct term *term;       /* JOB_TERM */
	const struct plan_list *list; /* listings */
	size_t pageno, npages;   /* pagination, one-based */
	char *url;               /* "/bg/guidance/" or "/bg/guidance/page/2/"; "/" for root */
	char *out;               /* file path under the output folder */
};

struct plan {
	const struct site *s;
	size_t nl;
	struct job *jobs;
	size_t njobs;
	struct map urls;          /* every generated URL -> its job */
	struct plan_list **lists; /* each allocated alone: jobs point at them */
	size_t nlists;
	/* What the library, home and facets list (plan_is_resource); newest first. */
	struct group **resources;
	size_t nresources;
	struct group ***related; /* per group: related candidates, best first (resources only) */
	size_t topics;           /* index of the `topics` taxonomy, or SIZE_MAX */
	int *section_exists;     /* nsections * nl: the section has a listing page in that language */
	int public_changes;      /* a public recent changes page and feed per language */
	int search;              /* a search index per language (/LANG/search/; not with
	                          * SATCHEL_NO_SEARCH, which measures what the index costs) */
};

/* Which optional pages the theme has: has_layout(payload, "library.html"). */
struct plan_opts {
	int (*has_layout)(void *payload, const char *name);
	void *payload;
	int nthreads;
};

/* Plans s (borrowed; must outlive the plan). The caller frees with plan_free. */
struct plan *plan_new(const struct site *s, const struct plan_opts *o);
void plan_free(struct plan *pl);
/* Whether group g has a listing entry in language l (its own version, or its fallback when the
 * site lists untranslated resources). */
int plan_listed(const struct plan *pl, const struct group *g, size_t l);
/* Whether g is one of the resources the library, home and facets list: a page of a resource
 * type, or an untyped page in a section. */
int plan_is_resource(const struct site *s, const struct group *g);
/* The version of g a reader of language l is shown: its own, else the primary. */
const struct page *plan_shown(const struct group *g, size_t l);
/* The template a job renders with, the first of its candidates that exists. *owned is set to a
 * string the caller frees (or NULL). */
const char *plan_layout(const struct job *j, int (*has_layout)(void *, const char *),
                        void *payload, char **owned);
/* The name templates see as page.kind. */
const char *plan_kind_name(enum job_kind k);
/* The related candidates of each of the resources (by group index, ngroups + 1 entries; NULL
 * for other groups): the PLAN_RELATED_CANDIDATES groups (not parts, not of a non-resource type)
 * sharing most `topics` (a taxonomy index) with its primary version, then newest, then lowest
 * index, NULL-terminated. Ranked once per distinct set of topics. The caller frees each and the
 * array. */
struct group ***plan_related(struct group *const *resources, size_t nresources, size_t topics,
                             size_t ngroups, int nthreads);
/* Related candidates shown at most. */
enum { PLAN_RELATED_SHOWN = 4, PLAN_RELATED_CANDIDATES = 8 };

#endif
