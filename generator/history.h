/* history: what git knows of each content file, from one walk over the commits reachable from
 * the built commit: its first and last commit (date, author, id), its contributors (names after
 * .mailmap) and how many commits changed it, following renames. A walk's result is cached in the
 * repository (keyed by the commit and the site's folder), so a rebuild at the same commit does
 * not walk again. The other user of libgit2 besides source.
 *
 * Order is the graph's, never the clocks': the walk goes in topological order (a commit before
 * its parents; commits on parallel branches by commit time), and each commit gets its position
 * in that order, its seq (0: the built commit). A commit's descendants always have smaller seqs,
 * so "newer" means a smaller seq even when a rebase or a wrong clock gave it an older date.
 *
 * Names and subjects are what the site may later publish, so they are made safe here, where they
 * enter: an author name with '@', '<' or '>' in it (an address, or one in disguise) is kept as
 * "" (no name), and in a subject every word with an '@' becomes "…". Whether a name is one that
 * .mailmap gives (a person who chose how to be named) is kept beside it. */
#ifndef SATCHEL_HISTORY_H
#define SATCHEL_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "source.h"

struct history_commit {
	char id[41];   /* hex */
	int64_t time;  /* author time, Unix seconds */
	size_t seq;    /* position in the walk's topological order */
	char *author;  /* name after .mailmap; "" when it may not be shown */
	int mapped;    /* the name is one .mailmap gives */
};

struct history;

/* One commit that changed a file: when, and whether its message says that the change leaves
 * translations as they are (a `Translations: unaffected` trailer: a typo fix, say). */
struct history_change {
	int64_t time;
	size_t seq;
	int unaffected;
};

/* A name a content file had before: its path and front-matter `slug` in an older version, where
 * either differs from the built commit's. What redirects keep working. */
struct history_name {
	char *path; /* site-relative: "content/old/index.md" */
	char *slug; /* the `slug:` it had then, as written (unquoted); NULL when none */
	size_t seq; /* the commit that changed it away (the walk's order: smaller is newer) */
};

struct history_file {
	char *path; /* site-relative, as it is named at the built commit: "content/x/index.md" */
	struct history_commit first, last; /* the topologically oldest and newest */
	size_t commits;
	char **contributors; /* names after .mailmap, most commits first (then by name); none "" */
	unsigned char *mapped; /* per contributor: the name is one .mailmap gives */
	size_t ncontributors;
	struct history_change *changes; /* every commit that changed it, in walk order (newest first) */
	size_t nchanges;
	/* A Markdown file's earlier names (renames followed, slug changes read from each version's
	 * front matter), newest first, each (path, slug) once and none the built commit's. */
	struct history_name *names;
	size_t nnames;
};

/* How far translation t fell behind its source s: the source's changes after t's last change
 * (in the walk's order, not by date) that affect translations; their number, and the time of the
 * first of them in *since. 0 when t is up to date (or either has no history). */
size_t history_behind(const struct history_file *s, const struct history_file *t, int64_t *since);
/* The same from a commit: the source's changes newer than the walked commit with that seq. */
size_t history_behind_seq(const struct history_file *s, size_t after, int64_t *since);
/* The seq of the walked commit whose id begins with prefix (at least 7 hex digits): 0, or -1
 * when no commit (or more than one) matches. */
int history_commit_find(const struct history *h, const char *prefix, size_t *seq);

struct history;

/* Walks (or reads from the cache) the history of every file under the site's content/ at the
 * built commit. *out is NULL, with 0 returned, when the source has no commit (a plain folder, an
 * empty repository). A shallow clone gets a warning that dates may be incomplete. Errors reading
 * the repository are reported through diag and return -1. */
int history_load(struct source *src, int jobs, struct history **out);
/* The same, walking even when a cache exists (and refreshing it): for benchmarks. jobs is how
 * many processes may compare trees (0: one per CPU); a long history is split between two. */
int history_walk(struct source *src, int jobs, struct history **out);
/* From how many commits a walk with jobs > 1 splits its work (2,000; tests set it lower). */
void history_set_fork_min(size_t commits);
/* Calls fn for every file with a record, in path order. */
void history_each(const struct history *h, void (*fn)(const struct history_file *f, void *payload),
                  void *payload);
/* The file's record, or NULL (not committed yet). */
const struct history_file *history_get(const struct history *h, const char *path);
/* A recent commit that changed content: for "recent changes". Paths are the files' names at
 * the built commit (renames followed); deleted files are left out. */
struct history_event {
	char id[41];
	int64_t time;
	char *author;  /* after .mailmap; "" when it may not be shown */
	int mapped;    /* the name is one .mailmap gives */
	char *summary; /* the message's first line, addresses taken out */
	char **paths;
	size_t npaths;
};

/* The most recent commits that changed content (at most 50), in walk order: newest first. */
size_t history_recent(const struct history *h, const struct history_event **out);
/* How many files have a record. */
size_t history_count(const struct history *h);
/* Whether the last history_load walked (0) or read its cache (1); for tests. */
int history_from_cache(const struct history *h);
void history_free(struct history *h);

#endif
