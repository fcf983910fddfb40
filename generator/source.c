/* source: lists and reads the site's files from a plain folder, a git working tree, a commit in the
 * object database (--ref) or a cached clone of a remote (--repo). Owns every libgit2 call but
 * history's; what the files mean is left to the loaders. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util/diag.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* Deep enough for any real site; a bound so that a symlink cycle the loop check misses (bind
 * mounts) or a hostile tree cannot recurse forever. */
#define MAX_DEPTH 64

enum mode {
	MODE_FOLDER,   /* a plain folder: no git */
	MODE_WORKTREE, /* the files on disk, filtered by the repository's ignore rules */
	MODE_TREE      /* a commit read from the object database */
};

struct blob_entry {
	char *path; /* site-relative */
	git_oid oid;
};

struct source {
	enum mode mode;
	int git_inited;
	git_repository *repo;
	git_index *index;         /* working tree: an ignored file that is tracked still counts */
	char *root;               /* the site folder's real path; NULL in MODE_TREE */
	char *prefix;             /* the site folder inside the repository: "" or "a/b" */
	struct blob_entry *blobs; /* MODE_TREE: every file of the site, sorted by path */
	size_t nblobs, cap_blobs;
	char commit[GIT_OID_HEXSZ + 1];
	int has_commit;
	int64_t commit_time; /* committer time of the commit, Unix seconds */
	char *branch;        /* the working tree's current branch, or NULL */
	char *describe;
};

struct strvec {
	char **v;
	size_t n, cap;
};

static const char *
git_msg(void)
{
	const git_error *e = git_error_last();
	return e != NULL && e->message != NULL ? e->message : "unknown error";
}

static void
strvec_push(struct strvec *sv, char *s)
{
	if (sv->n == sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 64;
		sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
	}
	sv->v[sv->n++] = s;
}

static void
strvec_free(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_blob(const void *a, const void *b)
{
	return strcmp(((const struct blob_entry *)a)->path, ((const struct blob_entry *)b)->path);
}

/* A canonical site-relative path: no leading '/', no backslash, no empty, "." or ".." component,
 * and nothing inside ".git". Anything else could reach outside the site. */
static int
path_ok(const char *p)
{
	if (p == NULL || *p == '\0' || *p == '/' || strchr(p, '\\') != NULL)
		return 0;
	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.') ||
		    (n == 4 && memcmp(p, ".git", 4) == 0))
			return 0;
		p += n;
		if (*p == '/' && *++p == '\0')
			return 0;
	}
	return 1;
}

/* "", "." and NULL mean the whole site; trailing slashes are dropped. NULL when not a path. */
static char *
norm_prefix(const char *in)
{
	if (in == NULL || strcmp(in, "") == 0 || strcmp(in, ".") == 0)
		return xstrdup("");
	size_t n = strlen(in);
	while (n > 1 && in[n - 1] == '/')
		n--;
	char *p = xstrndup(in, n);
	if (!path_ok(p)) {
		free(p);
		return NULL;
	}
	return p;
}

/* Folders that are never part of the site: git's own, and the output folder with the temporary
 * folders a build swaps in and out beside it. */
static int
skip_name(int top, const char *name)
{
	if (strcmp(name, ".git") == 0)
		return 1;
	return top && (strcmp(name, "public") == 0 || strncmp(name, ".public.", 8) == 0 ||
	               strncmp(name, "public.old", 10) == 0);
}

/* Is the real path `p` the folder `dir` or inside it? */
static int
within(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	if (n > 0 && dir[n - 1] == '/')
		n--;
	return strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static char *
join(const char *a, const char *b)
{
	if (a[0] == '\0')
		return xstrdup(b);
	if (b[0] == '\0')
		return xstrdup(a);
	return xasprintf("%s/%s", a, b);
}

/* Does git ignore this site-relative path? A tracked file is never ignored, as in git itself. */
static int
is_ignored(struct source *s, const char *rel, int is_dir)
{
	int ignored = 0, tracked = 0;
	if (s->repo == NULL)
		return 0;
	char *path = join(s->prefix, rel);
	if (git_ignore_path_is_ignored(&ignored, s->repo, path) < 0)
		ignored = 0;
	if (ignored && s->index != NULL) {
		if (is_dir) {
			size_t pos;
			char *dir = xasprintf("%s/", path);
			tracked = git_index_find_prefix(&pos, s->index, dir) == 0;
			free(dir);
		} else {
			tracked = git_index_get_bypath(s->index, path, 0) != NULL;
		}
	}
	free(path);
	return ignored && !tracked;
}

/* The folder-reading half: plain folders and working trees. */

struct walk {
	struct source *s;
	struct strvec files;
	struct {
		dev_t dev;
		ino_t ino;
	} stack[MAX_DEPTH + 1]; /* the folders being walked, to catch symlink loops */
};

enum kind { KIND_SKIP, KIND_FILE, KIND_DIR };

/* Classifies a site-relative path, following symlinks that stay inside the site. */
static enum kind
classify(struct source *s, const char *rel, struct stat *st)
{
	enum kind k = KIND_SKIP;
	char *full = join(s->root, rel), *real = NULL;

	if (lstat(full, st) != 0)
		goto out;
	if (S_ISLNK(st->st_mode)) {
		if ((real = realpath(full, NULL)) == NULL) {
			diag_warning(rel, 0, 0, "broken symlink; skipped");
			goto out;
		}
		if (!within(real, s->root)) {
			/* An error, not a skip: a site that means to publish a file from elsewhere
			 * should hear that it will not, and one that did not mean to must look. */
			diag_error(rel, 0, 0, "symlink leads out of the site");
			goto out;
		}
		if (stat(real, st) != 0)
			goto out;
	}
	if (S_ISDIR(st->st_mode))
		k = KIND_DIR;
	else if (S_ISREG(st->st_mode))
		k = KIND_FILE;
	if (k != KIND_SKIP && is_ignored(s, rel, k == KIND_DIR))
		k = KIND_SKIP;
out:
	free(real);
	free(full);
	return k;
}

static void
walk_dir(struct walk *w, const char *rel, int depth)
{
	char *dir = join(w->s->root, rel);
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		diag_warning(rel[0] ? rel : ".", 0, 0, "cannot read the folder: %s", strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		struct stat st;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || skip_name(rel[0] == '\0', name))
			continue;
		char *child = join(rel, name);
		switch (classify(w->s, child, &st)) {
		case KIND_FILE:
			strvec_push(&w->files, child);
			child = NULL;
			break;
		case KIND_DIR: {
			int loop = 0;
			for (int i = 0; i <= depth; i++)
				if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino)
					loop = 1;
			if (loop) {
				diag_warning(child, 0, 0, "symlink loop; skipped");
			} else if (depth + 1 > MAX_DEPTH) {
				diag_warning(child, 0, 0, "folders nested too deeply; skipped");
			} else {
				w->stack[depth + 1].dev = st.st_dev;
				w->stack[depth + 1].ino = st.st_ino;
				walk_dir(w, child, depth + 1);
			}
			break;
		}
		case KIND_SKIP:
			break;
		}
		free(child);
	}
	closedir(d);
out:
	free(dir);
}

static int
list_disk(struct source *s, const char *prefix, int (*fn)(const char *, void *), void *payload)
{
	struct walk w = {.s = s};
	struct stat st;
	char *full = join(s->root, prefix), *real = NULL;
	int rc = 0;

	/* The prefix passes the same name filters as a walk from the top; ignore rules need no
	 * such care, as libgit2 applies a folder's rules to everything below it. */
	for (const char *p = prefix; *p != '\0';) {
		size_t n = strcspn(p, "/");
		char *name = xstrndup(p, n);
		int skip = skip_name(p == prefix, name);
		free(name);
		if (skip)
			goto out;
		p += n + (p[n] == '/');
	}
	if ((real = realpath(full, NULL)) == NULL || !within(real, s->root) || stat(real, &st) != 0 ||
	    !S_ISDIR(st.st_mode))
		goto out;
	w.stack[0].dev = st.st_dev;
	w.stack[0].ino = st.st_ino;
	walk_dir(&w, prefix, 0);
	if (w.files.n > 0)
		qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_str);
	for (size_t i = 0; i < w.files.n && rc == 0; i++)
		rc = fn(w.files.v[i], payload);
out:
	strvec_free(&w.files);
	free(real);
	free(full);
	return rc;
}

/* Opens the file only if its real path stays inside the site: a symlink out is no way around
 * the listing's rule. Returns a descriptor of a regular file, or -1. */
static int
open_disk(struct source *s, const char *path)
{
	char *full = join(s->root, path), *real = realpath(full, NULL);
	struct stat st;
	int fd = -1;

	if (real != NULL && within(real, s->root) &&
	    (fd = open(real, O_RDONLY | O_CLOEXEC)) >= 0 &&
	    (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	free(real);
	free(full);
	return fd;
}

static int
read_disk(struct source *s, const char *path, struct buf *out)
{
	int fd = open_disk(s, path);
	if (fd < 0)
		return -1;
	int rc = fs_read_fd(fd, out);
	close(fd);
	return rc;
}

/* The object-database half: --ref and --repo. */

/* Does the committed symlink in folder dir ("" or "a/b/") with target blob id point outside the
 * site: an absolute target, or one whose ".." climb above the site's top? */
static int
link_leaves(struct source *s, const char *dir, const git_oid *id)
{
	git_blob *blob = NULL;
	if (git_blob_lookup(&blob, s->repo, id) < 0)
		return 1; /* unreadable: assume the worst */
	const char *t = git_blob_rawcontent(blob);
	size_t n = (size_t)git_blob_rawsize(blob);
	int depth = 0, out = n == 0 || t[0] == '/';
	for (const char *d = dir; *d; d++)
		depth += *d == '/';
	for (size_t i = 0; i < n && !out;) {
		size_t k = i;
		while (k < n && t[k] != '/')
			k++;
		if (k - i == 2 && t[i] == '.' && t[i + 1] == '.')
			out = --depth < 0;
		else if (k - i > 0 && !(k - i == 1 && t[i] == '.'))
			depth++;
		i = k + 1;
	}
	git_blob_free(blob);
	return out;
}

static int
tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct source *s = payload;
	const char *name = git_tree_entry_name(e);

	if (skip_name(root[0] == '\0', name))
		return 1; /* in pre-order, skips the entry and what is below it */
	switch (git_tree_entry_filemode(e)) {
	case GIT_FILEMODE_BLOB:
	case GIT_FILEMODE_BLOB_EXECUTABLE:
		if (s->nblobs == s->cap_blobs) {
			s->cap_blobs = s->cap_blobs ? s->cap_blobs * 2 : 256;
			s->blobs = xrealloc(s->blobs, s->cap_blobs * sizeof *s->blobs);
		}
		s->blobs[s->nblobs].path = xasprintf("%s%s", root, name);
		git_oid_cpy(&s->blobs[s->nblobs].oid, git_tree_entry_id(e));
		s->nblobs++;
		break;
	case GIT_FILEMODE_LINK: {
		char *path = xasprintf("%s%s", root, name);
		if (link_leaves(s, root, git_tree_entry_id(e)))
			diag_error(path, 0, 0, "symlink in the commit leads out of the site");
		else
			diag_warning(path, 0, 0, "symlink in the commit; skipped");
		free(path);
		break;
	}
	default: /* folders are walked into; submodules are not part of the site */
		break;
	}
	return 0;
}

/* Resolves spec to a commit and indexes the site's files in its tree. label says what was asked
 * for, in messages. */
static int
open_commit(struct source *s, const char *spec, const char *label)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *entry = NULL;
	int rc = -1;

	if (git_revparse_single(&obj, s->repo, spec) < 0) {
		diag_error(NULL, 0, 0, "unknown ref '%s': %s", label, git_msg());
		goto out;
	}
	if (git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) < 0) {
		diag_error(NULL, 0, 0, "ref '%s' does not name a commit: %s", label, git_msg());
		goto out;
	}
	if (git_commit_tree(&tree, commit) < 0) {
		diag_error(NULL, 0, 0, "cannot read the tree of '%s': %s", label, git_msg());
		goto out;
	}
	if (s->prefix[0] != '\0') {
		if (git_tree_entry_bypath(&entry, tree, s->prefix) < 0 ||
		    git_tree_entry_type(entry) != GIT_OBJECT_TREE) {
			diag_error(NULL, 0, 0, "there is no folder '%s' in '%s'", s->prefix, label);
			goto out;
		}
		if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(entry)) < 0) {
			diag_error(NULL, 0, 0, "cannot read '%s' in '%s': %s", s->prefix, label,
			           git_msg());
			goto out;
		}
	}
	if (git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, tree_cb, s) < 0) {
		diag_error(NULL, 0, 0, "cannot read the tree of '%s': %s", label, git_msg());
		goto out;
	}
	if (s->nblobs > 0)
		qsort(s->blobs, s->nblobs, sizeof *s->blobs, cmp_blob);
	git_oid_tostr(s->commit, sizeof s->commit, git_commit_id(commit));
	s->has_commit = 1;
	s->commit_time = (int64_t)git_commit_time(commit);
	s->mode = MODE_TREE;
	free(s->root);
	s->root = NULL;
	rc = 0;
out:
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

static const struct blob_entry *
find_blob(const struct source *s, const char *path)
{
	struct blob_entry key = {.path = (char *)path};
	if (s->nblobs == 0)
		return NULL;
	return bsearch(&key, s->blobs, s->nblobs, sizeof *s->blobs, cmp_blob);
}

static int
list_tree(struct source *s, const char *prefix, int (*fn)(const char *, void *), void *payload)
{
	size_t lo = 0, hi = s->nblobs, plen;
	char *dir = prefix[0] ? xasprintf("%s/", prefix) : xstrdup("");
	int rc = 0;

	/* The files under a folder are one run of the sorted index: find its start. */
	plen = strlen(dir);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->blobs[mid].path, dir) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->nblobs && rc == 0; i++) {
		if (strncmp(s->blobs[i].path, dir, plen) != 0)
			break;
		rc = fn(s->blobs[i].path, payload);
	}
	free(dir);
	return rc;
}

static int
read_tree(struct source *s, const char *path, struct buf *out)
{
	const struct blob_entry *e = find_blob(s, path);
	git_blob *blob = NULL;
	if (e == NULL || git_blob_lookup(&blob, s->repo, &e->oid) < 0)
		return -1;
	buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

/* Opening. */

static int
open_local(struct source *s, const struct source_opts *opts)
{
	const char *dir = opts->site_dir ? opts->site_dir : ".";
	char *workdir = NULL;
	struct stat st;
	git_oid head;
	int err, rc = -1;

	if ((s->root = realpath(dir, NULL)) == NULL) {
		diag_error(dir, 0, 0, "cannot open the site folder: %s", strerror(errno));
		goto out;
	}
	if (stat(s->root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_error(dir, 0, 0, "not a folder");
		goto out;
	}
	err = git_repository_open_ext(&s->repo, s->root, 0, NULL);
	if (err == 0 && git_repository_is_bare(s->repo)) {
		git_repository_free(s->repo);
		s->repo = NULL;
		err = GIT_ENOTFOUND;
	}
	if (err < 0) {
		if (err != GIT_ENOTFOUND)
			diag_warning(dir, 0, 0, "cannot open the git repository: %s", git_msg());
		if (opts->ref != NULL) {
			diag_error(dir, 0, 0, "not in a git repository: cannot build ref '%s'",
			           opts->ref);
			goto out;
		}
		diag_warning(dir, 0, 0, "not in a git repository; git-based features (dates, "
		                        "contributors, --ref) are off");
		s->mode = MODE_FOLDER;
		s->prefix = xstrdup("");
		s->describe = xasprintf("folder %s", dir);
		rc = 0;
		goto out;
	}

	/* Ignore rules and tree paths are relative to the repository's top, not the site's. */
	if ((workdir = realpath(git_repository_workdir(s->repo), NULL)) == NULL ||
	    !within(s->root, workdir)) {
		diag_error(dir, 0, 0, "cannot place the site folder inside its repository");
		goto out;
	}
	const char *rest = s->root + strlen(workdir);
	while (*rest == '/')
		rest++;
	s->prefix = xstrdup(rest);

	if (opts->ref != NULL) {
		if (open_commit(s, opts->ref, opts->ref) < 0)
			goto out;
		s->describe = xasprintf("commit %.7s (%s)", s->commit, opts->ref);
		rc = 0;
		goto out;
	}
	if (git_repository_index(&s->index, s->repo) < 0)
		s->index = NULL;
	/* A site kept in a folder its repository ignores has no history there: reading it through
	 * the ignore rules would silently drop every file. */
	if (*s->prefix != '\0' && is_ignored(s, "", 1)) {
		diag_warning(dir, 0, 0, "the site folder is ignored by the git repository at %s; "
		                        "building it as a plain folder, git-based features are off",
		             workdir);
		git_index_free(s->index);
		s->index = NULL;
		git_repository_free(s->repo);
		s->repo = NULL;
		free(s->prefix);
		s->prefix = xstrdup("");
		s->mode = MODE_FOLDER;
		s->describe = xasprintf("folder %s", dir);
		rc = 0;
		goto out;
	}
	if (git_reference_name_to_id(&head, s->repo, "HEAD") == 0) {
		git_commit *hc = NULL;
		git_oid_tostr(s->commit, sizeof s->commit, &head);
		s->has_commit = 1;
		if (git_commit_lookup(&hc, s->repo, &head) == 0)
			s->commit_time = (int64_t)git_commit_time(hc);
		git_commit_free(hc);
	}
	git_reference *hr = NULL;
	if (git_repository_head(&hr, s->repo) == 0 && git_reference_is_branch(hr))
		s->branch = xstrdup(git_reference_shorthand(hr));
	git_reference_free(hr);
	git_error_clear();
	s->mode = MODE_WORKTREE;
	s->describe = xasprintf("working tree of %s", dir);
	rc = 0;
out:
	free(workdir);
	return rc;
}

/* One folder per URL: readable for whoever looks in the cache, and a hash so that two URLs that
 * read alike (a/b and a_b) do not share a clone. */
static char *
cache_path(const struct source_opts *opts, const char *url)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *base, *name, *path;
	uint64_t h = 14695981039346656037u;
	size_t n = strlen(url);
	const char *tail = n > 48 ? url + n - 48 : url;

	if (opts->cache_dir != NULL && opts->cache_dir[0] != '\0')
		base = xstrdup(opts->cache_dir);
	else if (xdg != NULL && xdg[0] == '/')
		base = xasprintf("%s/satchel/repos", xdg);
	else if (home != NULL && home[0] != '\0')
		base = xasprintf("%s/.cache/satchel/repos", home);
	else
		return NULL;
	for (const char *p = url; *p != '\0'; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211u;
	}
	name = xstrdup(tail);
	for (char *p = name; *p != '\0'; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	path = xasprintf("%s/%s-%016llx", base, name, (unsigned long long)h);
	free(name);
	free(base);
	return path;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* The clone is bare and fetches branches onto refs/heads/ and tags onto refs/tags/ directly, as a
 * mirror does: every fetch then moves the very names a --ref gives (no stale local branch beside
 * a fresher refs/remotes/origin/), and nothing is ever checked out. */
static int
open_remote(struct source *s, const struct source_opts *opts)
{
	git_remote *remote = NULL;
	git_remote_create_options ro;
	git_fetch_options fo;
	char *specs[] = {"+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"};
	git_strarray refspecs = {specs, 2};
	git_buf head = {0};
	struct stat st;
	char *url = NULL, *path = NULL, *slash, *branch_name = NULL;
	const char *label;
	int rc = -1, created = 0;

	if (opts->repo_url[0] == '\0') {
		diag_error(NULL, 0, 0, "empty repository URL");
		goto out;
	}
	/* A local path is made absolute so that it names one cache folder from anywhere. */
	if (strstr(opts->repo_url, "://") == NULL &&
	    (opts->repo_url[0] == '/' || opts->repo_url[0] == '.' ||
	     strchr(opts->repo_url, ':') == NULL)) {
		int e = stat(opts->repo_url, &st) != 0 ? errno : 0;
		if (e != 0 || !S_ISDIR(st.st_mode)) {
			diag_error(NULL, 0, 0, "cannot clone %s: %s", opts->repo_url,
			           e != 0 ? strerror(e) : "not a folder");
			goto out;
		}
		url = realpath(opts->repo_url, NULL);
	}
	if (url == NULL)
		url = xstrdup(opts->repo_url);
	if ((s->prefix = norm_prefix(opts->subdir)) == NULL) {
		diag_error(NULL, 0, 0, "bad site folder '%s' inside the repository", opts->subdir);
		goto out;
	}
	if ((path = cache_path(opts, url)) == NULL) {
		diag_error(NULL, 0, 0, "no cache folder for clones: set XDG_CACHE_HOME or HOME");
		goto out;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	if (fs_mkdir_p(path) != 0) {
		diag_error(path, 0, 0, "cannot create the cache folder: %s", strerror(errno));
		goto out;
	}
	*slash = '/';

	if (git_repository_open_ext(&s->repo, path,
	                            GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE,
	                            NULL) < 0) {
		if (git_repository_init(&s->repo, path, 1) < 0) {
			diag_error(path, 0, 0, "cannot create a clone of %s: %s", url, git_msg());
			goto out;
		}
		created = 1;
	}
	/* An in-memory remote: the cache folder's name already stands for the URL. Skipping
	 * url.*.insteadOf also avoids a leak in libgit2 1.5's config regex matching. */
	git_remote_create_options_init(&ro, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	ro.repository = s->repo;
	ro.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF;
	if (git_remote_create_with_opts(&remote, url, &ro) < 0) {
		diag_error(NULL, 0, 0, "cannot fetch %s: %s", url, git_msg());
		goto out;
	}
	/* The _INIT macro trips -Wmissing-field-initializers; the function fills the same. */
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	fo.prune = GIT_FETCH_PRUNE;
	if (git_remote_fetch(remote, &refspecs, &fo, NULL) < 0) {
		diag_error(NULL, 0, 0, "cannot fetch %s: %s", url, git_msg());
		/* A mistyped URL should not leave an empty clone behind in the cache. */
		if (created) {
			git_repository_free(s->repo);
			s->repo = NULL;
			nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		}
		goto out;
	}

	/* HEAD follows the remote's default branch, so that no ref means what a clone would build. */
	if (git_remote_default_branch(&head, remote) == 0) {
		if (git_repository_set_head(s->repo, head.ptr) < 0) {
			diag_error(path, 0, 0, "cannot set HEAD to %s: %s", head.ptr, git_msg());
			goto out;
		}
		branch_name = xstrdup(strncmp(head.ptr, "refs/heads/", 11) == 0 ? head.ptr + 11
		                                                                 : head.ptr);
	} else if (opts->ref == NULL) {
		diag_error(NULL, 0, 0, "%s has no default branch to build", url);
		goto out;
	}

	label = opts->ref != NULL ? opts->ref : branch_name;
	if (open_commit(s, opts->ref != NULL ? opts->ref : "HEAD", label) < 0)
		goto out;
	s->describe = xasprintf("commit %.7s (%s) of %s", s->commit, label, url);
	rc = 0;
out:
	free(branch_name);
	git_buf_dispose(&head);
	git_remote_free(remote);
	free(path);
	free(url);
	return rc;
}

int
source_open(struct source **out, const struct source_opts *opts)
{
	static const struct source_opts none = SOURCE_OPTS_INIT;
	struct source *s = xcalloc(1, sizeof *s);
	int rc;

	*out = NULL;
	if (opts == NULL)
		opts = &none;
	/* libgit2 counts these, so pairing them with source_free leaves nothing behind at exit. */
	if (git_libgit2_init() < 0) {
		diag_error(NULL, 0, 0, "cannot start libgit2: %s", git_msg());
		free(s);
		return -1;
	}
	s->git_inited = 1;
	rc = opts->repo_url != NULL ? open_remote(s, opts) : open_local(s, opts);
	if (rc < 0) {
		source_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nblobs; i++)
		free(s->blobs[i].path);
	free(s->blobs);
	git_index_free(s->index);
	git_repository_free(s->repo);
	if (s->git_inited)
		git_libgit2_shutdown();
	free(s->root);
	free(s->prefix);
	free(s->describe);
	free(s->branch);
	free(s);
}

int
source_list(struct source *s, const char *prefix, int (*fn)(const char *path, void *payload),
            void *payload)
{
	char *p = norm_prefix(prefix);
	int rc = 0;

	if (p == NULL)
		return 0;
	if (s->mode == MODE_TREE)
		rc = list_tree(s, p, fn, payload);
	else
		rc = list_disk(s, p, fn, payload);
	free(p);
	return rc;
}

int
source_read(struct source *s, const char *path, struct buf *out)
{
	if (!path_ok(path))
		return -1;
	return s->mode == MODE_TREE ? read_tree(s, path, out) : read_disk(s, path, out);
}

int
source_exists(struct source *s, const char *path)
{
	int fd;
	if (!path_ok(path))
		return 0;
	if (s->mode == MODE_TREE)
		return find_blob(s, path) != NULL;
	if ((fd = open_disk(s, path)) < 0)
		return 0;
	close(fd);
	return 1;
}

const char *
source_commit(const struct source *s)
{
	return s->has_commit ? s->commit : NULL;
}

const char *
source_branch(const struct source *s)
{
	return s->branch;
}

struct git_repository *
source_repository(const struct source *s)
{
	return s->has_commit ? s->repo : NULL;
}

const char *
source_prefix(const struct source *s)
{
	return s->prefix ? s->prefix : "";
}

int64_t
source_commit_time(const struct source *s)
{
	return s->has_commit ? s->commit_time : -1;
}

int
source_is_git(const struct source *s)
{
	return s->repo != NULL;
}

const char *
source_describe(const struct source *s)
{
	return s->describe;
}

const char *
source_root(const struct source *s)
{
	return s->mode == MODE_TREE ? NULL : s->root;
}
