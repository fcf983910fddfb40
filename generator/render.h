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
#include "site.h"

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
	/* Incremental: a page whose template input hashes as in the previous build's manifest
	 * (with the same env_hash of templates, UI strings, configuration and satchel itself) is
	 * linked from prev_dir instead of rendered. A manifest of this build is written either way,
	 * as RENDER_MANIFEST in outdir: the caller moves it out before publishing the folder. */
	int incremental;
	const char *prev_dir;      /* the previous output, or NULL */
	const char *prev_manifest; /* the previous build's manifest, or NULL */
	uint64_t env_hash;
};

/* The file that records what each page was made from; render writes it into its output folder,
 * build keeps it beside the published folder (".public.satchel-manifest"), never in it. */
#define RENDER_MANIFEST ".satchel-manifest"

struct render_stats {
	size_t *pages; /* per language: HTML files written; the caller frees */
	size_t files;  /* every file written, HTML and the rest */
	size_t reused; /* pages taken from the previous output (incremental builds) */
};

/* Renders everything. Problems are reported through diag; returns -1 if any was an error. */
int render_site(struct site *s, struct catalog *cat, const struct render_opts *o,
                struct render_stats *st);

#endif
