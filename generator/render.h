/* render: turns the site model into files on a pool of workers (one Lua state each) — the
 * Markdown pass (its results kept beside the model, struct page_text), then every job of the
 * plan (plan.h) through the theme's templates with the values view.h makes, then feeds,
 * facets, the search index, sitemap.xml and robots.txt. Which outputs exist is plan's business
 * and what a layout receives is view's. It writes into a folder it is given and knows nothing
 * of swapping it in (build does that). */
#ifndef SATCHEL_RENDER_H
#define SATCHEL_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "deps.h"
#include "util/progress.h"
#include "site.h"

struct render;
struct render_opts {
	const char *outdir;       /* an empty folder to write into */
	const char *const *dirs;  /* template folders, first wins (site layouts/, theme layouts/) */
	size_t ndirs;
	int nthreads;
	/* "Now" for what depends on the date (upcoming and past events): the build's
	 * SOURCE_DATE_EPOCH, else the commit's time, else the clock, so one commit gives one site. */
	int64_t now;
	const char *prefix; /* the site's folder in its repository ("" or "a/b"), for edit links */
	const char *branch; /* the branch built, for edit links, or NULL ("main") */
	/* The dependency record (deps.h). With record set, each job's facts are computed
	 * (view_job_facts) and, when prev holds it fresh, it is not rendered: its file is linked
	 * from prev_dir, or with keep left where it is (outdir is then a folder that receives only
	 * what is made again, beside the previous output). Every job made or kept is put in
	 * record. */
	struct deps *record;
	const struct deps *prev; /* NULL: everything is rendered */
	const char *prev_dir;
	int keep;
	/* Fingerprints of what every output shares (view_opts). */
	uint64_t config_fp, history_fp;
	const uint64_t *strings_fp;
	struct progress *progress; /* counts Markdown and pages done, or NULL */
	/* The previous run's render (render_new's, not freed yet), or NULL: a page whose text is
	 * as it was there, and whose Markdown, asking the site again what it asked then (each
	 * link's target, each image's size and srcset, in order), is told the same, takes the
	 * Markdown result it had, as a copy. Borrowed during render_new alone. */
	const struct render *prev_md;
	/* Keep what is made in memory (render_take_held) instead of writing it into outdir, which
	 * then holds only the site's own files: for a caller that writes only what differs from
	 * the folder it keeps up to date (engine_run). */
	int hold;
	/* render_run is the last use of the pages' texts (the Markdown's HTML, table of contents,
	 * anchors, summary): no render_update follows and no later render_new takes this one as
	 * prev_md. Each page's are freed when the search index is done with them. */
	int once;
};

/* A file a run with hold made: its path under the output folder and its bytes. */
struct render_file {
	char *rel;
	char *data;
	size_t len;
};
/* The files made with hold, in path order; the caller owns them (and each one's rel, data). */
struct render_file *render_take_held(struct render *rd, size_t *n);
/* Whether a run with hold made a file at rel (a file of the site there would clash with it). */
int render_holds(const struct render *rd, const char *rel);

/* The name an older satchel gave the record of what each output was made from, beside the
 * output (".public.satchel-manifest"): build removes it, keeping its record in a cache folder. */
#define RENDER_MANIFEST ".satchel-manifest"

struct render_stats {
	size_t *pages; /* per language: HTML files written; the caller frees */
	size_t files;  /* every file written, HTML and the rest */
	size_t reused;   /* pages taken from the previous output (or kept) */
	size_t rendered; /* pages rendered */
};

/* Renders everything. Problems are reported through diag; returns -1 if any was an error. */
int render_site(struct site *s, struct catalog *cat, const struct render_opts *o,
                struct render_stats *st);

/* The same in steps, for a driver that keeps what render made between runs (an engine):
 * render_new runs the Markdown pass and makes the plan and the view (s, cat and what o points
 * to are borrowed until render_free); render_run renders the jobs and writes the rest. */
struct render *render_new(struct site *s, struct catalog *cat, const struct render_opts *o);
int render_run(struct render *rd, struct render_stats *st);
void render_free(struct render *rd);
/* Calls fn with the URL of each page and each link of its Markdown that site_resolve_link
 * judged and kept as written (a relative link: reported at its line when it leads nowhere). */
void render_judged_links(const struct render *rd,
                         void (*fn)(void *payload, const char *page_url, const char *href),
                         void *payload);
/* After the bodies of pages changed and nothing else (site_replace_body gave them): their
 * Markdown again, then their outputs — their page, the section or home each introduces — each
 * replaced whole in outdir (a folder holding the output of the run that made rd) and put in
 * record; the paths written are appended to *written (the caller frees each and the array).
 * 0 when done; 1 when what other outputs show of them changed (a summary taken from the first
 * paragraph, a heading, the opening the search index takes): nothing was written, and rd no
 * longer matches the folder (the caller runs everything again); -1 after errors. */
int render_update(struct render *rd, struct page *const *pages, size_t n, const char *outdir,
                  struct deps *record, char ***written, size_t *nwritten);

#endif
