/* source: lists and reads the site's files from a plain folder, a git working tree, a commit in the
 * object database (--ref) or a cached clone of a remote (--repo). Owns every libgit2 call but
 * history's, and what may be read at all, the same in every mode: no symbolic link is followed,
 * names are UTF-8, sizes are bounded before reading, .git and satchel's records are never seen.
 * What the files mean is left to the loaders. */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>
#ifdef __linux__
#include <linux/openat2.h>
#include <sys/syscall.h>
#endif

#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/text.h"
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
	int link; /* a symbolic link: refused wherever it is listed or read, never followed */
};

struct source {
	enum mode mode;
	int git_inited;
	git_repository *repo;
	git_index *index;         /* working tree: an ignored file that is tracked still counts */
	char *root;               /* the site folder's real path; NULL in MODE_TREE */
	int rootfd;               /* the site folder (O_PATH) every read starts from; -1 in MODE_TREE */
	int openat2;              /* open_beneath works here: Linux 5.6 or later, no seccomp veto, and
	                           * not SATCHEL_NO_OPENAT2=1 */
	char *site_dir;           /* the local site folder's real path, also with --ref; else NULL */
	char *prefix;             /* the site folder inside the repository: "" or "a/b" */
	struct blob_entry *blobs; /* MODE_TREE: every file of the site, sorted by path */
	size_t nblobs, cap_blobs;
	char commit[GIT_OID_HEXSZ + 1];
	int has_commit;
	int64_t commit_time; /* committer time of the commit, Unix seconds */
	char *branch;        /* the working tree's current branch, or NULL */
	char *describe;
	struct source_limits limits;
	struct file_id *secret; /* files no hard link may publish: safeguarding/, .git/config */
	size_t nsecret;
	int secret_known;
	struct map refused; /* paths already reported, so that each is reported once */
};

struct file_id {
	dev_t dev;
	ino_t ino;
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
		    (n == 4 && strncasecmp(p, ".git", 4) == 0))
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

/* Names that are never part of the site, at any depth: git's folder (in any case, as git itself
 * refuses ".GIT" where the file system folds case; a nested repository's or a submodule's
 * ".git" file too), npm's node_modules (a site's tooling, or the theme's Decap CMS: packages
 * full of links, never pages; Jekyll and Eleventy leave it out too) and satchel's own records.
 * At the top, also the output folder and the temporary folders a build swaps in and out beside
 * it. */
static int
skip_name(int top, const char *name)
{
	if (strcasecmp(name, ".git") == 0 || strcmp(name, "node_modules") == 0 ||
	    strcmp(name, SOURCE_OUTPUT_MARKER) == 0 ||
	    text_has_suffix(name, ".satchel-manifest") || text_has_suffix(name, ".satchel-images"))
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
	if (s->repo == NULL || s->mode == MODE_TREE)
		return 0;
	char *path = join(s->prefix, rel);
	/* The index first: it is in memory, where the ignore rules look for a .gitignore in every
	 * folder above the path, for every path. */
	if (s->index != NULL) {
		if (is_dir) {
			size_t pos;
			char *dir = xasprintf("%s/", path);
			tracked = git_index_find_prefix(&pos, s->index, dir) == 0;
			free(dir);
		} else {
			tracked = git_index_get_bypath(s->index, path, 0) != NULL;
		}
	}
	if (!tracked && git_ignore_path_is_ignored(&ignored, s->repo, path) < 0)
		ignored = 0;
	free(path);
	return ignored && !tracked;
}

/* What any file must be to be part of the site, whichever way it is read: named in UTF-8
 * without control characters, not a symbolic link, within the size limits, and not a Git LFS
 * pointer. Each refusal is an error, reported once per path. */

/* The length of the UTF-8 sequence at p (at most n bytes) that is a character satchel accepts
 * in a file name, or 0: malformed, overlong, a surrogate, beyond U+10FFFF, or a control
 * character (C0, DEL, C1), which would reach feeds, indexes and terminals as they are. */
static size_t
name_char(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	uint32_t cp;
	if (c < 0x20 || c == 0x7f)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return len;
}

/* The path up to and including its first component that is not a good name, with every byte
 * that is not part of a good character written \xHH; NULL when all of it is good. */
static char *
bad_name(const char *path)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t n = strlen(path), i = 0, bad = SIZE_MAX;
	for (size_t k; i < n; i += k ? k : 1) {
		k = name_char(p + i, n - i);
		if (k == 0 && bad == SIZE_MAX)
			bad = i;
	}
	if (bad == SIZE_MAX)
		return NULL;
	size_t end = bad + strcspn(path + bad, "/");
	struct buf b = BUF_INIT;
	for (size_t k, j = 0; j < end; j += k ? k : 1) {
		k = name_char(p + j, end - j);
		if (k == 0 || p[j] == '\\')
			buf_printf(&b, "\\x%02X", p[j]);
		else
			buf_add(&b, path + j, k);
	}
	return buf_detach(&b);
}

static void
refuse(struct source *s, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reports an error about path once, however many times it is listed or read. */
static void
refuse(struct source *s, const char *path, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	if (map_get(&s->refused, path) != NULL)
		return;
	map_put(&s->refused, path, s);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_error(path, 0, 0, "%s", buf_str(&b));
	buf_free(&b);
}

static void
refuse_link(struct source *s, const char *path)
{
	refuse(s, path, "symbolic link; satchel publishes no links (replace it by the file)");
}

/* Text satchel parses (Markdown, YAML) has its own, smaller limit. */
static int
is_text(const char *path)
{
	return text_has_suffix(path, ".md") || text_has_suffix(path, ".markdown") ||
	       text_has_suffix(path, ".yaml") || text_has_suffix(path, ".yml");
}

static void
human_size(char *out, size_t n, uint64_t v)
{
	static const char *const units[] = {"bytes", "KB", "MB", "GB", "TB"};
	double d = (double)v;
	int u = 0;
	while (d >= 1000 && u < 4)
		d /= 1000, u++;
	if (u == 0)
		snprintf(out, n, "%llu bytes", (unsigned long long)v);
	else
		snprintf(out, n, d < 10 ? "%.1f %s" : "%.0f %s", d, units[u]);
}

/* 0 when a file of size bytes at path may be read; else reports it and returns -1. */
static int
size_ok(struct source *s, const char *path, uint64_t size)
{
	int text = is_text(path);
	uint64_t max = text ? s->limits.text_size : s->limits.file_size;
	char have[32], lim[32];
	if (size <= max)
		return 0;
	human_size(have, sizeof have, size);
	human_size(lim, sizeof lim, max);
	refuse(s, path, "%s is more than the limit of %s for one %s (limits: %s in site.yaml)",
	       have, lim, text ? "Markdown or YAML file" : "file", text ? "text_size" : "file_size");
	return -1;
}

#define LFS_SIGN "version https://git-lfs.github.com/spec/v1"
/* The spec's bound on a pointer file's size. */
#define LFS_MAX 1024

/* 0, or -1 after reporting that these first bytes of a file are a Git LFS pointer's. */
static int
lfs_ok(struct source *s, const char *path, const char *data, size_t len)
{
	if (len < sizeof LFS_SIGN - 1 || memcmp(data, LFS_SIGN, sizeof LFS_SIGN - 1) != 0)
		return 0;
	refuse(s, path, "is a Git LFS pointer, not the file: run git lfs pull (satchel does not "
	                "fetch LFS objects)");
	return -1;
}

/* The folder-reading half: plain folders and working trees. */

/* Opens a site-relative path beneath the site folder in one system call that follows no
 * symbolic link, anywhere on the way (openat2 with RESOLVE_NO_SYMLINKS): a descriptor, or -1 with
 * errno. For ELOOP or EXDEV (a link on the way) and when openat2 is not there, the caller walks
 * the path component by component (walk_errno), which names the link. */
static int
open_beneath(const struct source *s, const char *path, int flags)
{
#ifdef SYS_openat2
	if (s->openat2) {
		struct open_how how = {
			.flags = (uint64_t)(flags | O_NOFOLLOW | O_CLOEXEC),
			.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
		};
		long fd;
		do
			fd = syscall(SYS_openat2, s->rootfd, path, &how, sizeof how);
		while (fd < 0 && errno == EINTR);
		return (int)fd;
	}
#else
	(void)s, (void)path, (void)flags;
#endif
	errno = ENOSYS;
	return -1;
}

/* After open_beneath failed with this errno, does the walk have to decide? A link on the way
 * (ELOOP, EXDEV), a rename racing it (EAGAIN), or no openat2 here (ENOSYS; EPERM from seccomp;
 * EINVAL or E2BIG from a kernel that does not know the flags). Anything else (ENOENT, ENOTDIR,
 * EACCES) the walk would meet too. */
static int
walk_errno(int e)
{
	return e == ELOOP || e == EXDEV || e == EAGAIN || e == ENOSYS || e == EPERM || e == EINVAL ||
	       e == E2BIG;
}

/* lstat of a site-relative path that follows no link on the way: 0, -1 when it is not there,
 * or 1 when a component is a symbolic link (at is set to the path up to it; the caller frees). */
static int
lstat_nofollow(struct source *s, const char *rel, struct stat *st, char **at)
{
	int fd = open_beneath(s, rel[0] != '\0' ? rel : ".", O_PATH);
	*at = NULL;
	if (fd >= 0) {
		/* O_PATH | O_NOFOLLOW opens a link at the end itself: the walk below names it. */
		int rc = fstat(fd, st) == 0 ? 0 : -1;
		close(fd);
		if (rc < 0 || !S_ISLNK(st->st_mode))
			return rc;
	} else if (!walk_errno(errno)) {
		return -1;
	}

	char *full = join(s->root, rel);
	size_t base = strlen(s->root);
	int rc = 0;
	for (char *p = full + base + (rel[0] != '\0');; p++) {
		char c = *p;
		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (lstat(full, st) != 0) {
			rc = -1;
		} else if (S_ISLNK(st->st_mode)) {
			*at = xstrdup(full + base + 1);
			rc = 1;
		}
		*p = c;
		if (rc != 0 || c == '\0')
			break;
	}
	free(full);
	return rc;
}

/* Opens a site-relative path component by component from the site folder, following no
 * symbolic link: a link anywhere on the way is refused (and reported), not read through. */
static int
open_walk(struct source *s, const char *path)
{
	int dfd = s->rootfd, fd = -1;
	const char *p = path;
	struct stat st;

	for (;;) {
		size_t n = strcspn(p, "/");
		char *name = xstrndup(p, n);
		int last = p[n] == '\0';
		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			char *at = xstrndup(path, (size_t)(p - path) + n);
			refuse_link(s, at);
			free(at);
			fd = -1;
		} else {
			fd = openat(dfd, name,
			            O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (last ? O_NONBLOCK : O_DIRECTORY));
		}
		free(name);
		if (dfd != s->rootfd)
			close(dfd);
		if (fd < 0 || last)
			break;
		dfd = fd;
		p += n + 1;
	}
	return fd;
}

/* Opens a site-relative path that follows no symbolic link: a descriptor of a regular file
 * (st is its fstat), or -1. One openat2 where the kernel has it; the walk where a link is on
 * the way, so that it is reported by the same name either way. */
static int
open_disk(struct source *s, const char *path, struct stat *st)
{
	int fd = open_beneath(s, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0 && walk_errno(errno))
		fd = open_walk(s, path);
	if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* A path under a name that is never part of the site: reading it by name is no way around the
 * listing. Ignore rules are the listing's alone: what is read by name (site.yaml, i18n/,
 * safeguarding/withdrawn.yaml) is not published, and a withdrawal list kept out of git must
 * still take effect. */
static int
hidden(const char *path)
{
	for (const char *p = path; *p != '\0';) {
		size_t n = strcspn(p, "/");
		char *name = xstrndup(p, n);
		int skip = skip_name(p == path, name);
		free(name);
		if (skip)
			return 1;
		p += n + (p[n] == '/');
	}
	return 0;
}

static int
read_disk(struct source *s, const char *path, struct buf *out)
{
	char *bad = bad_name(path);
	struct stat st;
	int fd = -1, rc = -1;
	size_t start = out->len;

	if (bad != NULL) {
		refuse(s, bad, "file name is not valid UTF-8 or holds a control character");
		goto out;
	}
	if (hidden(path) || (fd = open_disk(s, path, &st)) < 0 ||
	    size_ok(s, path, (uint64_t)st.st_size) < 0)
		goto out;
	/* Read no more than the limit, should the file grow meanwhile. */
	uint64_t max = is_text(path) ? s->limits.text_size : s->limits.file_size;
	if (fs_read_fd_max(fd, out, max) < 0) {
		if (errno == EFBIG && fstat(fd, &st) == 0)
			size_ok(s, path, (uint64_t)st.st_size > max ? (uint64_t)st.st_size : max + 1);
		goto out;
	}
	rc = lfs_ok(s, path, out->data + start, out->len - start);
out:
	if (rc < 0 && out->data != NULL) {
		out->len = start;
		out->data[start] = '\0';
	}
	if (fd >= 0)
		close(fd);
	free(bad);
	return rc;
}

struct walk {
	struct source *s;
	struct strvec files;
	struct {
		dev_t dev;
		ino_t ino;
	} stack[MAX_DEPTH + 1]; /* the folders being walked, to catch a loop through bind mounts */
};

static void
add_secret(struct source *s, const struct stat *st)
{
	s->secret = xrealloc(s->secret, (s->nsecret + 1) * sizeof *s->secret);
	s->secret[s->nsecret++] = (struct file_id){st->st_dev, st->st_ino};
}

static struct source *secret_source; /* nftw has no payload */

static int
secret_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_F && S_ISREG(st->st_mode))
		add_secret(secret_source, st);
	return 0;
}

/* Is this file (with more than one name) also a file of safeguarding/ or the repository's
 * .git/config? A hard link is a path there that no link check sees. */
static int
is_secret(struct source *s, const struct stat *st)
{
	if (!s->secret_known) {
		struct stat cst;
		char *sg = join(s->root, "safeguarding");
		const char *gd = s->repo != NULL ? git_repository_path(s->repo) : NULL;
		char *config = gd != NULL ? xasprintf("%sconfig", gd) : NULL;
		s->secret_known = 1;
		secret_source = s;
		nftw(sg, secret_cb, 16, FTW_PHYS);
		if (config != NULL && stat(config, &cst) == 0)
			add_secret(s, &cst);
		free(config);
		free(sg);
	}
	for (size_t i = 0; i < s->nsecret; i++)
		if (s->secret[i].dev == st->st_dev && s->secret[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* Is this listed file one the site may publish? Its size and first bytes are looked at before
 * anything reads it whole. */
static int
admit_disk(struct source *s, const char *rel, const struct stat *st)
{
	char head[sizeof LFS_SIGN];
	struct stat fst;
	ssize_t n = 0;
	int fd;
	if (st->st_nlink > 1 && strncmp(rel, "safeguarding/", 13) != 0 && is_secret(s, st)) {
		refuse(s, rel, "a hard link to a file of safeguarding/ or to .git/config; satchel "
		               "does not publish it");
		return 0;
	}
	if (size_ok(s, rel, (uint64_t)st->st_size) < 0)
		return 0;
	if (st->st_size >= (off_t)sizeof LFS_SIGN - 1 && st->st_size <= LFS_MAX &&
	    (fd = open_disk(s, rel, &fst)) >= 0) {
		n = pread(fd, head, sizeof head, 0);
		close(fd);
	}
	return lfs_ok(s, rel, head, n > 0 ? (size_t)n : 0) == 0;
}

/* Walks the folder open at fd (which it closes), reached by the site-relative rel. Each child
 * is looked at relative to its folder's descriptor, so that no path is resolved twice and no
 * folder is entered through a link that replaced it meanwhile: the type readdir gives saves an
 * lstat for links and folders (file systems that do not give it, DT_UNKNOWN, get the lstat). */
static void
walk_dir(struct walk *w, int fd, const char *rel, int depth)
{
	DIR *d = fdopendir(fd);
	struct dirent *de;

	if (d == NULL) {
		diag_warning(rel[0] ? rel : ".", 0, 0, "cannot read the folder: %s", strerror(errno));
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		unsigned char type = de->d_type;
		struct stat st;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || skip_name(rel[0] == '\0', name))
			continue;
		char *child = join(rel, name), *bad = bad_name(child);
		/* A file's size is needed all the same; DT_UNKNOWN needs the type. */
		if (type != DT_LNK && type != DT_DIR) {
			if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				type = DT_UNKNOWN; /* gone meanwhile */
			else
				type = S_ISLNK(st.st_mode)   ? DT_LNK
				       : S_ISDIR(st.st_mode) ? DT_DIR
				       : S_ISREG(st.st_mode) ? DT_REG
				                             : DT_UNKNOWN;
		}
		if (bad != NULL) {
			refuse(w->s, bad, "file name is not valid UTF-8 or holds a control character");
		} else if (type == DT_LNK) {
			refuse_link(w->s, child);
		} else if (type == DT_REG) {
			if (!fs_editor_litter(name) && !is_ignored(w->s, child, 0) &&
			    admit_disk(w->s, child, &st)) {
				strvec_push(&w->files, child);
				child = NULL;
			}
		} else if (type == DT_DIR && !is_ignored(w->s, child, 1)) {
			int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			int loop = 0;
			if (sub < 0 && errno == ELOOP) {
				refuse_link(w->s, child); /* a link put in its place meanwhile */
			} else if (sub < 0) {
				diag_warning(child, 0, 0, "cannot read the folder: %s", strerror(errno));
			} else if (fstat(sub, &st) != 0) {
				close(sub);
			} else {
				for (int i = 0; i <= depth; i++)
					if (w->stack[i].dev == st.st_dev && w->stack[i].ino == st.st_ino)
						loop = 1;
				if (loop) {
					diag_warning(child, 0, 0, "folder loop (a bind mount?); skipped");
					close(sub);
				} else if (depth + 1 > MAX_DEPTH) {
					diag_warning(child, 0, 0, "folders nested too deeply; skipped");
					close(sub);
				} else {
					w->stack[depth + 1].dev = st.st_dev;
					w->stack[depth + 1].ino = st.st_ino;
					walk_dir(w, sub, child, depth + 1);
				}
			}
		}
		free(bad);
		free(child);
	}
	closedir(d);
}

static int
list_disk(struct source *s, const char *prefix, int (*fn)(const char *, void *), void *payload)
{
	struct walk w = {.s = s};
	struct stat st;
	char *at = NULL;
	int fd, rc = 0;

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
	switch (lstat_nofollow(s, prefix, &st, &at)) {
	case 1:
		refuse_link(s, at);
		goto out;
	case -1:
		goto out;
	}
	if (!S_ISDIR(st.st_mode))
		goto out;
	const char *dir = prefix[0] != '\0' ? prefix : ".";
	if ((fd = open_beneath(s, dir, O_RDONLY | O_DIRECTORY)) < 0 && walk_errno(errno))
		fd = open_walk(s, dir);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		else
			diag_warning(dir, 0, 0, "cannot read the folder: %s", strerror(errno));
		goto out;
	}
	w.stack[0].dev = st.st_dev;
	w.stack[0].ino = st.st_ino;
	walk_dir(&w, fd, prefix, 0);
	if (w.files.n > 0)
		qsort(w.files.v, w.files.n, sizeof *w.files.v, cmp_str);
	for (size_t i = 0; i < w.files.n && rc == 0; i++)
		rc = fn(w.files.v[i], payload);
out:
	free(at);
	strvec_free(&w.files);
	return rc;
}

/* The object-database half: --ref and --repo. */

static int
tree_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct source *s = payload;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (skip_name(root[0] == '\0', name))
		return 1; /* in pre-order, skips the entry and what is below it */
	/* Folders are walked into; submodules are not part of the site. A link is kept, to be
	 * refused by name wherever it is listed or read, as in a working tree. */
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE &&
	    mode != GIT_FILEMODE_LINK)
		return 0;
	if (s->nblobs == s->cap_blobs) {
		s->cap_blobs = s->cap_blobs ? s->cap_blobs * 2 : 256;
		s->blobs = xrealloc(s->blobs, s->cap_blobs * sizeof *s->blobs);
	}
	s->blobs[s->nblobs].path = xasprintf("%s%s", root, name);
	s->blobs[s->nblobs].link = mode == GIT_FILEMODE_LINK;
	git_oid_cpy(&s->blobs[s->nblobs].oid, git_tree_entry_id(e));
	s->nblobs++;
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

/* The size of a blob from its header, without inflating it (a 2 GB file of zeros is 2 MB in a
 * pack). 0, or -1. */
static int
blob_size(struct source *s, const git_oid *id, uint64_t *out)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t len = 0;
	int rc = -1;
	if (git_repository_odb(&odb, s->repo) == 0 && git_odb_read_header(&len, &type, odb, id) == 0 &&
	    type == GIT_OBJECT_BLOB) {
		*out = (uint64_t)len;
		rc = 0;
	}
	git_odb_free(odb);
	return rc;
}

/* Reads a committed file, or only its first LFS_MAX bytes when head is set; 0, or -1 after
 * reporting why not (a link, a bad name, too big, a Git LFS pointer) or when unreadable. */
static int
read_entry(struct source *s, const struct blob_entry *e, struct buf *out, int head)
{
	char *bad = bad_name(e->path);
	git_blob *blob = NULL;
	uint64_t size;
	int rc = -1;

	if (bad != NULL) {
		refuse(s, bad, "file name is not valid UTF-8 or holds a control character");
		goto out;
	}
	if (e->link) {
		refuse_link(s, e->path);
		goto out;
	}
	if (blob_size(s, &e->oid, &size) < 0) {
		diag_error(e->path, 0, 0, "cannot read the file from git: %s", git_msg());
		goto out;
	}
	if (size_ok(s, e->path, size) < 0)
		goto out;
	if (head && (size > LFS_MAX || size < sizeof LFS_SIGN - 1)) {
		rc = 0;
		goto out;
	}
	if (git_blob_lookup(&blob, s->repo, &e->oid) < 0) {
		diag_error(e->path, 0, 0, "cannot read the file from git: %s", git_msg());
		goto out;
	}
	const char *data = git_blob_rawcontent(blob);
	size_t len = (size_t)git_blob_rawsize(blob);
	if (lfs_ok(s, e->path, data, len) < 0)
		goto out;
	if (!head)
		buf_add(out, data, len);
	rc = 0;
out:
	git_blob_free(blob);
	free(bad);
	return rc;
}

/* A file below a committed link to a folder ("content/docs/x.pdf" under the link
 * "content/docs") is not in the index: the link is. That link, or NULL. */
static const struct blob_entry *
link_above(const struct source *s, const char *path)
{
	const struct blob_entry *e = NULL;
	char *p = xstrdup(path);
	for (char *slash; e == NULL && (slash = strrchr(p, '/')) != NULL;) {
		*slash = '\0';
		e = find_blob(s, p);
	}
	free(p);
	return e != NULL && e->link ? e : NULL;
}

static int
list_tree(struct source *s, const char *prefix, int (*fn)(const char *, void *), void *payload)
{
	size_t lo = 0, hi = s->nblobs, plen;
	char *dir = prefix[0] ? xasprintf("%s/", prefix) : xstrdup("");
	int rc = 0;

	/* A committed link where the folder should be is refused as a working tree refuses it. */
	if (prefix[0] != '\0') {
		const struct blob_entry *e = find_blob(s, prefix);
		if ((e != NULL && e->link) || (e = link_above(s, dir)) != NULL)
			refuse_link(s, e->path);
	}
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
		if (read_entry(s, &s->blobs[i], NULL, 1) == 0)
			rc = fn(s->blobs[i].path, payload);
	}
	free(dir);
	return rc;
}

static int
read_tree(struct source *s, const char *path, struct buf *out)
{
	const struct blob_entry *e = find_blob(s, path);
	if (e == NULL) {
		if ((e = link_above(s, path)) != NULL)
			refuse_link(s, e->path);
		return -1;
	}
	return read_entry(s, e, out, 0);
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
	s->site_dir = xstrdup(s->root);
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

/* Keeps the site folder open, for every read to start from, and finds out once whether
 * open_beneath works here (a seccomp filter may refuse openat2 with EPERM, an old kernel with
 * ENOSYS). SATCHEL_NO_OPENAT2=1 forces the walk, for the tests of both ways. */
static int
open_root(struct source *s, const struct source_opts *opts)
{
	const char *off = getenv("SATCHEL_NO_OPENAT2");
	int fd;
	if ((s->rootfd = open(s->root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		diag_error(opts->site_dir ? opts->site_dir : ".", 0, 0,
		           "cannot open the site folder: %s", strerror(errno));
		return -1;
	}
	s->openat2 = off == NULL || strcmp(off, "1") != 0;
	if (s->openat2 && (fd = open_beneath(s, ".", O_PATH | O_DIRECTORY)) >= 0)
		close(fd);
	else
		s->openat2 = 0;
	return 0;
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
	s->rootfd = -1;
	s->limits.file_size = SOURCE_FILE_SIZE;
	s->limits.text_size = SOURCE_TEXT_SIZE;
	rc = opts->repo_url != NULL ? open_remote(s, opts) : open_local(s, opts);
	if (rc == 0 && s->mode != MODE_TREE && open_root(s, opts) < 0)
		rc = -1;
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
	if (s->rootfd >= 0)
		close(s->rootfd);
	free(s->root);
	free(s->site_dir);
	free(s->secret);
	map_free(&s->refused);
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
	struct stat st;
	char *at = NULL;
	int rc;
	if (!path_ok(path))
		return 0;
	if (s->mode == MODE_TREE)
		return find_blob(s, path) != NULL || link_above(s, path) != NULL;
	/* A link is there, so that reading it fails aloud instead of passing for no file. */
	rc = lstat_nofollow(s, path, &st, &at);
	free(at);
	return rc == 1 || (rc == 0 && S_ISREG(st.st_mode) && !hidden(path));
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

void
source_set_limits(struct source *s, const struct source_limits *limits)
{
	s->limits = *limits;
}

const char *
source_site_dir(const struct source *s)
{
	return s->site_dir;
}

char *
source_git_dir(const struct source *s)
{
	const char *p = s->repo != NULL ? git_repository_path(s->repo) : NULL;
	char *real = p != NULL ? realpath(p, NULL) : NULL;
	return real;
}

int
source_init_commit(const char *dir, const char *message, char out[41])
{
	git_repository *repo = NULL;
	git_index *index = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, commit_id;
	git_repository_init_options opts;
	int rc = -1;

	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);

	out[0] = '\0';
	if (git_libgit2_init() < 0) {
		diag_error(dir, 0, 0, "cannot start libgit2: %s", git_msg());
		return -1;
	}
	/* git init's own choices: a folder that exists, the configured init.defaultBranch. */
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	if (git_repository_init_ext(&repo, dir, &opts) < 0) {
		diag_error(dir, 0, 0, "git init failed: %s", git_msg());
		goto out;
	}
	/* The editor's own name from git's configuration (user.name, user.email); a neutral one
	 * when none is set, so that a first commit never fails on a fresh machine. */
	if (git_signature_default(&sig, repo) < 0 &&
	    git_signature_now(&sig, "satchel", "satchel@localhost") < 0) {
		diag_error(dir, 0, 0, "no author for the first commit: %s", git_msg());
		goto out;
	}
	const char *const all[] = {"*"};
	git_strarray paths = {(char **)all, 1};
	if (git_repository_index(&index, repo) < 0 ||
	    git_index_add_all(index, &paths, GIT_INDEX_ADD_DEFAULT, NULL, NULL) < 0 ||
	    git_index_write(index) < 0 || git_index_write_tree(&tree_id, index) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		diag_error(dir, 0, 0, "cannot add the files to git: %s", git_msg());
		goto out;
	}
	if (git_commit_create_v(&commit_id, repo, "HEAD", sig, sig, NULL, message, tree, 0) < 0) {
		diag_error(dir, 0, 0, "cannot make the first commit: %s", git_msg());
		goto out;
	}
	git_oid_tostr(out, 41, &commit_id);
	rc = 0;
out:
	git_tree_free(tree);
	git_signature_free(sig);
	git_index_free(index);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

/* ---- for an editor that writes into the site ---- */

char *
source_path_refused(const char *path)
{
	if (path == NULL || path[0] == '\0')
		return xstrdup("the path is empty");
	if (path[0] == '/')
		return xstrdup("the path is absolute; give it relative to the site");
	if (strchr(path, '\\') != NULL)
		return xstrdup("the path holds a backslash");
	char *bad = bad_name(path);
	if (bad != NULL) {
		char *why = xasprintf("%s: the name is not valid UTF-8 or holds a control character", bad);
		free(bad);
		return why;
	}
	if (!path_ok(path))
		return xstrdup("the path has an empty, \".\" or \"..\" part, or leads into .git");
	if (hidden(path))
		return xstrdup("the path names a file that is never part of the site (.git, the output, "
		               "satchel's records)");
	return NULL;
}

/* The repository of site_dir with its working tree and the site's folder inside it ("" or
 * "a/b/"): 1, 0 when there is none, -1 with *why. */
static int
editor_repo(const char *site_dir, git_repository **repo, char **prefix, char **why)
{
	*repo = NULL;
	*prefix = NULL;
	int e = git_repository_open_ext(repo, site_dir, 0, NULL);
	if (e == GIT_ENOTFOUND)
		return 0;
	if (e < 0) {
		*why = xasprintf("cannot open the git repository: %s", git_msg());
		return -1;
	}
	const char *wd = git_repository_workdir(*repo);
	char *rwd = wd ? realpath(wd, NULL) : NULL, *rsite = realpath(site_dir, NULL);
	int rc = 1;
	if (rwd == NULL || rsite == NULL || !within(rsite, rwd)) {
		*why = xstrdup("the site is not in the working tree of its git repository");
		rc = -1;
	} else {
		const char *rest = rsite + strlen(rwd);
		rest += *rest == '/';
		*prefix = *rest ? xasprintf("%s/", rest) : xstrdup("");
	}
	free(rwd);
	free(rsite);
	if (rc < 0) {
		git_repository_free(*repo);
		*repo = NULL;
	}
	return rc;
}

static char *
no_identity(void)
{
	return xasprintf("git does not know who you are, so the save cannot be committed under your "
	                 "name: set it with git config --global user.name \"Your Name\" and git config "
	                 "--global user.email you@example.org (%s)",
	                 git_msg());
}

void
source_git_begin(void)
{
	git_libgit2_init();
}

void
source_git_end(void)
{
	git_libgit2_shutdown();
}

int
source_git_editor(const char *site_dir, char head[41], char **why)
{
	git_repository *repo = NULL;
	git_signature *sig = NULL;
	char *prefix = NULL;
	head[0] = '\0';
	git_libgit2_init();
	int rc = editor_repo(site_dir, &repo, &prefix, why);
	if (rc == 1 && git_signature_default(&sig, repo) < 0) {
		*why = no_identity();
		rc = -1;
	}
	git_oid id;
	if (rc == 1 && git_reference_name_to_id(&id, repo, "HEAD") == 0)
		git_oid_tostr(head, 41, &id);
	git_signature_free(sig);
	free(prefix);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}

int
source_git_commit(const char *site_dir, const char *const *paths, size_t n,
                  const char *message, char out[41], char **why)
{
	git_repository *repo = NULL;
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_index *index = NULL;
	git_tree_update *ups = xcalloc(n + 1, sizeof *ups);
	char **full = xcalloc(n + 1, sizeof *full);
	char *prefix = NULL;
	size_t nups = 0;
	int rc = -1;
	out[0] = '\0';
	git_libgit2_init();
	int has = editor_repo(site_dir, &repo, &prefix, why);
	if (has <= 0) {
		if (has == 0)
			*why = xstrdup("the site is not in a git repository");
		goto out;
	}
	if (git_signature_default(&sig, repo) < 0) {
		*why = no_identity();
		goto out;
	}
	git_oid head_id, tree_id, id;
	int born = git_reference_name_to_id(&head_id, repo, "HEAD") == 0;
	if (born && (git_commit_lookup(&parent, repo, &head_id) < 0 || git_commit_tree(&base, parent) < 0)) {
		*why = xasprintf("cannot read HEAD: %s", git_msg());
		goto out;
	}
	if (!born) { /* the first commit: on an empty tree */
		git_treebuilder *tb = NULL;
		if (git_treebuilder_new(&tb, repo, NULL) < 0 || git_treebuilder_write(&tree_id, tb) < 0 ||
		    git_tree_lookup(&base, repo, &tree_id) < 0) {
			git_treebuilder_free(tb);
			*why = xasprintf("cannot make an empty tree: %s", git_msg());
			goto out;
		}
		git_treebuilder_free(tb);
	}
	for (size_t i = 0; i < n; i++) {
		full[i] = xasprintf("%s%s", prefix, paths[i]);
		char *abs = fs_join(site_dir, paths[i]);
		struct stat st;
		int there = lstat(abs, &st) == 0 && S_ISREG(st.st_mode);
		free(abs);
		git_tree_entry *te = NULL;
		int in_tree = git_tree_entry_bypath(&te, base, full[i]) == 0;
		git_tree_entry_free(te);
		git_tree_update *u = &ups[nups];
		u->path = full[i];
		if (there) {
			if (git_blob_create_from_workdir(&u->id, repo, full[i]) < 0) {
				*why = xasprintf("%s: cannot add it to git: %s", paths[i], git_msg());
				goto out;
			}
			u->action = GIT_TREE_UPDATE_UPSERT;
			u->filemode = (st.st_mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
			nups++;
		} else if (in_tree) {
			u->action = GIT_TREE_UPDATE_REMOVE;
			nups++;
		}
	}
	if (git_tree_create_updated(&tree_id, repo, base, nups, ups) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0) {
		*why = xasprintf("cannot make the commit's tree: %s", git_msg());
		goto out;
	}
	if (!born || !git_oid_equal(&tree_id, git_tree_id(base))) {
		const git_commit *parents[1] = {parent};
		/* "HEAD" moves only from the parent read above: a commit made meanwhile is not lost. */
		if (git_commit_create(&id, repo, "HEAD", sig, sig, NULL, message, tree, born ? 1 : 0,
		                      parents) < 0) {
			*why = xasprintf("cannot commit: %s", git_msg());
			goto out;
		}
		git_oid_tostr(out, 41, &id);
	}
	/* The index follows for these paths only: what else was staged stays as it was. */
	if (git_repository_index(&index, repo) < 0 || git_index_read(index, 0) < 0) {
		*why = xasprintf("cannot read git's index: %s", git_msg());
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *abs = fs_join(site_dir, paths[i]);
		struct stat st;
		int there = lstat(abs, &st) == 0 && S_ISREG(st.st_mode);
		free(abs);
		if (there ? git_index_add_bypath(index, full[i]) < 0
		          : (git_index_get_bypath(index, full[i], 0) != NULL &&
		             git_index_remove_bypath(index, full[i]) < 0)) {
			*why = xasprintf("%s: cannot update git's index: %s", paths[i], git_msg());
			goto out;
		}
	}
	if (git_index_write(index) < 0) {
		*why = xasprintf("cannot write git's index: %s", git_msg());
		goto out;
	}
	rc = 0;
out:
	for (size_t i = 0; i < n; i++)
		free(full[i]);
	free(full);
	free(ups);
	free(prefix);
	git_index_free(index);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_signature_free(sig);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc;
}
