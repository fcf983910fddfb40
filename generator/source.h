/* source: where the site's files come from — a plain folder, the working tree of a git repository
 * (uncommitted edits included), a commit read straight from the object database (--ref), or a
 * clone of a remote kept in a cache folder (--repo). Only this module (and history) includes
 * libgit2. Everything after it sees site-relative paths and bytes. Not thread-safe. */
#ifndef SATCHEL_SOURCE_H
#define SATCHEL_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct source;

struct source_opts {
	const char *site_dir;  /* the folder holding site.yaml; "." when NULL. Ignored with repo_url. */
	const char *ref;       /* commit, branch or tag to build, or NULL for the working tree */
	const char *repo_url;  /* a URL or path to clone or fetch into cache_dir, or NULL */
	const char *cache_dir; /* the folder that holds the clones; NULL means $XDG_CACHE_HOME/satchel/repos or ~/.cache/satchel/repos */
	const char *subdir;    /* with repo_url: the site's folder inside the repository, or NULL */
};

#define SOURCE_OPTS_INIT {NULL, NULL, NULL, NULL, NULL}

/* Opens the source. A site_dir outside any git repository opens as a plain folder with a warning
 * that git-based features are off. Errors (no such ref, clone failed) are reported through diag
 * and return -1. */
int source_open(struct source **out, const struct source_opts *opts);
void source_free(struct source *s);

/* What one file may weigh, checked before it is read (stat in a folder; the object's header in
 * git, without inflating it). Markdown and YAML (.md, .markdown, .yaml, .yml) have text_size;
 * every other file file_size. */
struct source_limits {
	uint64_t file_size;
	uint64_t text_size;
};
#define SOURCE_FILE_SIZE (200ULL * 1000 * 1000) /* default file_size: 200 MB */
#define SOURCE_TEXT_SIZE (128ULL * 1000 * 1000) /* default text_size: 128 MB */
void source_set_limits(struct source *s, const struct source_limits *limits);

/* The marker file every output folder holds (written by build): a folder with it is satchel's
 * to replace. Like satchel's other records, never part of a site. */
#define SOURCE_OUTPUT_MARKER ".satchel-output"

/* Calls fn(path, payload) for every file of the site under `prefix` (a site-relative folder
 * such as "content" or "static"; "" for all), paths site-relative with '/' separators, in byte
 * order. Never listed, in any mode: ".git" at any depth (any case), satchel's own records
 * (*.satchel-manifest, *.satchel-images, .satchel-output) and, at the top, the output folder
 * "public" with the temporary folders beside it; in a working tree, what git ignores (unless
 * tracked). Reported as an error (once per path) and left out, in a folder, a working tree and
 * a commit alike: a symbolic link (never followed), a name that is not UTF-8 or holds a control
 * character, a file over the size limits, a Git LFS pointer. A non-zero return from fn stops
 * the walk and is returned. A missing prefix is not an error (no calls). */
int source_list(struct source *s, const char *prefix, int (*fn)(const char *path, void *payload),
                void *payload);
/* Reads a site-relative file into out (appending). 0, or -1: when it does not exist or is under
 * a name never part of the site (.git, satchel's records), with no report; or after reporting
 * that it is refused (a link, a bad name, over the limits, an LFS pointer). Ignore rules apply
 * to the listing only: a file read by name (site.yaml, safeguarding/withdrawn.yaml) is not
 * published, and a withdrawal list that git ignores must still count. */
int source_read(struct source *s, const char *path, struct buf *out);
/* Is the file there? A symbolic link (or a file under one) counts, so that reading it fails
 * aloud instead of passing for a missing file. */
int source_exists(struct source *s, const char *path);

/* The built commit as 40 hex digits, or NULL for a plain folder. In a working tree, HEAD's commit
 * (NULL in a repository with no commits). Borrowed. */
const char *source_commit(const struct source *s);
/* The committer time of that commit in Unix seconds, or -1 when there is none. */
int64_t source_commit_time(const struct source *s);
/* For history, the other user of libgit2: the repository when there is a built commit (else
 * NULL), and the site's folder inside it ("" or "a/b"). Borrowed. */
struct git_repository;
/* The working tree's current branch ("main"), or NULL (a commit, a detached HEAD, a folder). */
const char *source_branch(const struct source *s);
struct git_repository *source_repository(const struct source *s);
const char *source_prefix(const struct source *s);
/* Is there a git repository behind this source? */
int source_is_git(const struct source *s);
/* Human description for the summary line: "working tree", "commit 1a2b3c4 (main)", "folder". */
const char *source_describe(const struct source *s);
/* The folder on disk that holds the site's files when built from a working tree or plain folder,
 * NULL when files come from the object database (--ref, or --repo's bare clone). Borrowed. */
const char *source_root(const struct source *s);
/* The real path of the local site folder, also when building a --ref from it; NULL with
 * --repo. Borrowed. */
const char *source_site_dir(const struct source *s);
/* The real path of the repository's git folder (".git", or a --repo clone), or NULL. The
 * caller frees. */
char *source_git_dir(const struct source *s);

/* git init in dir (made if missing; init.defaultBranch as git would) and a first commit of
 * every file in it that .gitignore leaves, with message, authored by whom git's configuration
 * names (user.name, user.email), else "satchel". out gets the commit's 40 hex digits. 0, or -1
 * after reporting. Refuses a folder that already is a repository. */
int source_init_commit(const char *dir, const char *message, char out[41]);

/* For an editor that writes into the site (satchel serve's CMS backend). */

/* Why satchel never reads nor writes the site-relative path: the same rule as for every file
 * of a build (not empty, no leading '/', no backslash, no empty, "." or ".." component,
 * nothing under ".git" in any case nor satchel's own records, no "public" output at the top,
 * UTF-8 without control characters). NULL when the path is fine, else a malloc'd reason. */
char *source_path_refused(const char *path);
/* The repository holding site_dir, for saves to be committed: 1 when there is one and git's
 * configuration names its author (user.name and user.email); head gets HEAD's 40 hex digits
 * ("" before the first commit). 0 when site_dir is a plain folder (saves are not committed).
 * -1 with *why (malloc'd) when a save cannot be committed: no identity, a bare repository. */
int source_git_editor(const char *site_dir, char head[41], char **why);
/* One commit on HEAD of exactly the site-relative paths (each as the working tree has it now:
 * a file there is added, one gone is removed), whatever else is changed or staged; the index
 * is brought up to date for those paths only, so that `git status` shows them clean. Author and
 * committer: git_signature_default. out gets the commit ("" when the paths were unchanged and
 * no commit was made). 0, or -1 with *why (malloc'd). */
int source_git_commit(const char *site_dir, const char *const *paths, size_t n,
                      const char *message, char out[41], char **why);

#endif
