/* build: one whole build, a driver of the engine — check the output folder, have the engine
 * build into a fresh folder beside it, and swap it in only when everything succeeded; the
 * records build keeps (images, pages) are named and kept here, in a cache folder. */
#ifndef SATCHEL_BUILD_H
#define SATCHEL_BUILD_H

#include "engine.h" /* SATCHEL_VERSION */

struct build_opts {
	const char *site_dir;  /* folder with site.yaml; "." when NULL */
	const char *ref;       /* --ref */
	const char *repo;      /* --repo */
	const char *cache_dir; /* --cache */
	const char *subdir;    /* --repo: the site's folder inside the repository */
	const char *outdir;    /* -o; SITE/public, or ./public with --repo, when NULL */
	int nthreads;          /* 0: one per CPU */
	int quiet;             /* no summary line */
	int incremental;       /* reuse the previous output's pages whose inputs did not change */
	int strict;            /* --strict: what check refuses fails the build (diag_problem) */
	int check;             /* satchel check: everything a build does, but nothing is published */
	int drafts;            /* publish draft pages (the preview), with a banner */
	int timings;           /* --timings: where the time went, a table on stderr at the end */
};

#define BUILD_OPTS_INIT {NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0}

/* Returns 0 when the site was built and swapped in; otherwise the previous output is untouched
 * and every problem has been reported. */
int build_run(const struct build_opts *o);

/* The folder where builds into outdir keep what they made and can make again (the image
 * record, the pages' manifest): $XDG_CACHE_HOME/satchel/builds/HASH/, else
 * ~/.cache/satchel/builds/HASH/, or CACHE_ROOT/builds/HASH/ with --cache, HASH naming the
 * output's absolute canonical path (so -o out and -o ./out/ share one). Never inside the site
 * or beside the output, where `git add -A` would take it, and never published. Made if missing
 * (mode 0700); NULL when it cannot be (no HOME, read-only): the build then goes without. The
 * caller frees. */
char *build_cache_dir(const char *outdir, const char *cache_root);

#endif
