/* engine: one value that owns a site's build state — options, diagnostics of its own, the
 * history (walked again only when the commit built changes), the dependency record, the image
 * record, and after a good run the model, the UI strings and render's state (Markdown results,
 * plan, view, template engines) for a quick next run — and can build many times. It runs the
 * whole chain (source, site.yaml, theme, content types, history, model, UI strings, content
 * files and images, plan/view/render, static files) into a folder. `satchel build` (build.c: a
 * fresh folder, then the swap), `build --incremental` and `satchel serve` (engine_run, which
 * keeps one folder up to date file by file) are its drivers. It knows nothing of the command
 * line nor of where build keeps its records beside the output (build passes them in). */
#ifndef SATCHEL_ENGINE_H
#define SATCHEL_ENGINE_H

#include <stddef.h>

#include "deps.h"
#include "source.h"
#include "util/buf.h"
#include "util/diag.h"

#define SATCHEL_VERSION "0.1.0"

struct engine_opts {
	const char *site_dir; /* folder with site.yaml; "." when NULL */
	const char *outdir;   /* the folder the engine keeps up to date (serve: a private one) */
	int nthreads;         /* 0: one per CPU */
	int drafts;           /* publish drafts (config->drafts = 1), as serve does */
	int quiet;            /* no summary line, no progress */
};
struct engine;

struct engine *engine_new(const struct engine_opts *o);
/* Brings outdir up to date with the site. changed: site-relative paths ("content/x/index.md",
 * "layouts/page.html", "site.yaml") that changed, were created or deleted since the last run,
 * or NULL when unknown (the engine then looks at everything). The list must be whole: a file
 * not in it is taken as the last run read it. Returns 0 when outdir now holds the
 * new site; -1 when there were errors, and outdir then still holds the last good site.
 * Only the files that differ are written (each replaced atomically), and outputs that are no
 * longer made are deleted. */
int engine_run(struct engine *e, const char *const *changed, size_t nchanged);
/* The errors and warnings of the last run, in the order they came (struct diag_msg from
 * util/diag.h: path, line, col, error, text). Valid until the next run or engine_free. The
 * engine's runs report into a diag of its own, which also prints them unless quiet. */
const struct diag_msg *engine_messages(const struct engine *e, size_t *n);
/* Files of outdir (relative paths, "bg/guidance/x/index.html") that the last run wrote, changed
 * or removed; valid until the next run. */
const char *const *engine_changed(const struct engine *e, size_t *n);
/* subpath: the base path (urlbase.h: "/hub", "" at a host's root) of the site the last good
 * run built, "" before one. Valid until the next run. */
const char *engine_base_path(const struct engine *e);
/* How many pages the last run rendered (the others were as the run before made them). */
size_t engine_rendered(const struct engine *e);
/* Frees what the last run replaced (the run before's model and render state: a tenth of a
 * second at 10,000 pages), for a caller that has told its pages first. The next engine_run does
 * it otherwise. */
void engine_tidy(struct engine *e);
void engine_free(struct engine *e);

/* ---- for build.c: one build into a fresh folder ---- */

/* Where the source comes from, beyond engine_opts.site_dir (`--ref`, `--repo`, …), and how
 * strictly it is judged. */
struct engine_source_opts {
	const char *ref, *repo, *cache_dir, *subdir;
	int check; /* satchel check: nothing of the output is kept */
	/* Report into the caller's current diag instead of one of the engine's own (build and
	 * check: main.c reads and prints it). */
	int caller_diag;
};
struct engine *engine_new_from(const struct engine_opts *o, const struct engine_source_opts *so);
/* Opens the source (the first time) so a driver can check the output folder against it before
 * anything is built. 0, or -1 after reporting. */
int engine_open(struct engine *e);
struct source *engine_source(struct engine *e);

struct engine_build {
	const char *dir;  /* the folder to write into: empty, or with keep a scratch one */
	/* The previous output and its records, for reuse (NULL: none). image_cache is the text of
	 * the image record the driver keeps; prev the dependency record of prev_dir. */
	const char *prev_dir;
	const char *image_cache;
	struct progress *progress; /* counts images, Markdown and pages done, or NULL */
	const struct deps *prev;
	/* keep: prev_dir is the folder being kept up to date: outputs prev holds fresh are left
	 * there and not written into dir (engine_run). Else they are linked into dir. */
	int keep;
	int retain; /* keep what this build made in the engine for a quick next run (engine_run) */
	/* The site-relative paths changed since the engine's kept run (engine_run's), or NULL:
	 * the files not among them are taken from that run's model instead of being read. */
	const char *const *changed;
	size_t nchanged;
	int same_git; /* the repository's HEAD and index as at that run: its listing may be taken */
	/* Check every link of the pages written against the output (linkcheck.h); not with keep,
	 * whose folder holds only what changed. */
	int check_links;
	/* Out: the image record and the dependency record of this build (record NULL: no
	 * record is made, and nothing reused), page counts. */
	struct buf image_record;
	struct deps *record;
	size_t *pages; /* per language: HTML files written; the caller frees */
	size_t npages_langs;
	char *per_lang; /* "en 40, bg 38": pages per language code; the caller frees */
	size_t files;    /* every file written */
	size_t reused;   /* pages taken from the previous output */
	size_t rendered; /* pages rendered */
};
/* Builds the whole site into b->dir. 0, or -1 when there were errors (reported). */
int engine_build(struct engine *e, struct engine_build *b);
/* The folder of the named built-in theme (next to the binary, installed, or $SATCHEL_THEMES),
 * or NULL. The caller frees. */
char *engine_find_theme(const char *name);

#endif
