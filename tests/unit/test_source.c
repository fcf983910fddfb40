/* Tests for source: plain folders, working trees, --ref and --repo, on real git repositories that
 * git itself makes in a temporary folder with fixed names and dates. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-source-XXXXXX";

#define sh test_sh

/* The first line a command prints, or "" (the caller frees). */
static char *
sh_out(const char *cmd)
{
	char line[256] = "";
	FILE *f = popen(cmd, "r");
	if (f == NULL)
		return xstrdup("");
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	pclose(f);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

static void
put(const char *dir, const char *path, const char *text)
{
	char *full = xasprintf("%s/%s", dir, path);
	char *cmd = xasprintf("mkdir -p \"$(dirname '%s')\"", full);
	if (system(cmd) != 0)
		test_failed_now = 1;
	FILE *f = fopen(full, "w");
	if (f == NULL) {
		test_failed_now = 1;
	} else {
		fputs(text, f);
		fclose(f);
	}
	free(cmd);
	free(full);
}

/* A new repository with branch main in tmp/name; returns its path (the caller frees). */
static char *
new_repo(const char *name)
{
	char *dir = xasprintf("%s/%s", tmp, name);
	sh("git init -q -b main '%s'", dir);
	return dir;
}

static void
commit(const char *dir, const char *msg)
{
	sh("git -C '%s' add -A && git -C '%s' commit -q -m '%s'", dir, dir, msg);
}

static char *
rev(const char *dir, const char *what)
{
	char *cmd = xasprintf("git -C '%s' rev-parse '%s'", dir, what);
	char *out = sh_out(cmd);
	free(cmd);
	return out;
}

static int
collect(const char *path, void *payload)
{
	buf_printf(payload, "%s\n", path);
	return 0;
}

/* Every listed path under prefix, one a line (the caller frees). */
static char *
listing(struct source *s, const char *prefix)
{
	struct buf b = BUF_INIT;
	if (source_list(s, prefix, collect, &b) != 0)
		test_failed_now = 1;
	return buf_detach(&b);
}

static char *
slurp(struct source *s, const char *path)
{
	struct buf b = BUF_INIT;
	if (source_read(s, path, &b) != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

#define CHECK_LIST(s, prefix, want)                                                      \
	do {                                                                             \
		char *l_ = listing((s), (prefix));                                       \
		CHECK_STR(l_, (want));                                                   \
		free(l_);                                                                \
	} while (0)

#define CHECK_READ(s, path, want)                                                        \
	do {                                                                             \
		char *r_ = slurp((s), (path));                                           \
		CHECK_STR(r_, (want));                                                   \
		free(r_);                                                                \
	} while (0)

static int
count_entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

TEST(test_plain_folder_warns_and_lists_sorted)
{
	char *dir = xasprintf("%s/plain", tmp), *real = NULL;
	put(dir, "b.md", "b");
	put(dir, "a.md", "a");
	put(dir, "Z.md", "Z");
	put(dir, "content/x.md", "x");
	put(dir, "content/a/y.md", "y");
	put(dir, "content-extra.md", "e");
	put(dir, "public/index.html", "out");
	put(dir, ".public.tmp123/index.html", "out");
	put(dir, "public.old/index.html", "out");
	put(dir, "theme/.git/config", "not site content");

	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	size_t warnings = diag_warning_count();
	CHECK(source_open(&s, &o) == 0);
	if (s == NULL)
		goto out;
	CHECK(diag_warning_count() == warnings + 1);
	CHECK(!source_is_git(s));
	CHECK(source_commit(s) == NULL);
	CHECK_CONTAINS(source_describe(s), "folder ");
	real = realpath(dir, NULL);
	CHECK_STR(source_root(s), real);
	CHECK_LIST(s, "", "Z.md\na.md\nb.md\ncontent-extra.md\ncontent/a/y.md\ncontent/x.md\n");
	CHECK_LIST(s, "content", "content/a/y.md\ncontent/x.md\n");
	CHECK_LIST(s, "content/", "content/a/y.md\ncontent/x.md\n");
	CHECK_LIST(s, "missing", "");
	CHECK_LIST(s, "a.md", "");
	CHECK_LIST(s, "public", "");
	CHECK_READ(s, "content/x.md", "x");
	CHECK(source_exists(s, "a.md"));
	CHECK(!source_exists(s, "nope.md"));
	CHECK(!source_exists(s, "content"));
	CHECK(slurp(s, "nope.md") == NULL);
out:
	source_free(s);
	free(real);
	free(dir);
}

static int
stop_at_second(const char *path, void *payload)
{
	int *n = payload;
	return ++*n == 2 ? 42 : 0;
}

TEST(test_list_stops_when_callback_returns_nonzero)
{
	char *dir = xasprintf("%s/stop", tmp);
	put(dir, "a", "");
	put(dir, "b", "");
	put(dir, "c", "");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	int n = 0;
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK(source_list(s, "", stop_at_second, &n) == 42);
		CHECK(n == 2);
	}
	source_free(s);
	free(dir);
}

TEST(test_worktree_sees_edits_and_skips_ignored)
{
	char *dir = new_repo("wt"), *head = NULL;
	put(dir, ".gitignore", "*.log\nsecret/\nvendor/\n");
	put(dir, "a.md", "committed");
	put(dir, "content/b.md", "b");
	commit(dir, "first");
	put(dir, "kept.log", "tracked although ignored");
	put(dir, "vendor/lib.js", "tracked although its folder is ignored");
	sh("git -C '%s' add -f kept.log vendor && git -C '%s' commit -q -m second", dir, dir);
	put(dir, "vendor/extra.js", "ignored");
	put(dir, "a.md", "edited");
	put(dir, "content/new.md", "untracked");
	put(dir, "debug.log", "ignored");
	put(dir, "secret/x.md", "ignored folder");
	put(dir, "public/index.html", "output");
	put(dir, ".public.123/index.html", "output");
	put(dir, "content/public/p.md", "not the output folder");

	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	size_t warnings = diag_warning_count();
	CHECK(source_open(&s, &o) == 0);
	if (s == NULL)
		goto out;
	CHECK(diag_warning_count() == warnings);
	CHECK(source_is_git(s));
	head = rev(dir, "HEAD");
	CHECK(strlen(head) == 40);
	CHECK_STR(source_commit(s), head);
	CHECK_CONTAINS(source_describe(s), "working tree");
	CHECK_LIST(s, "",
	           ".gitignore\na.md\ncontent/b.md\ncontent/new.md\ncontent/public/p.md\nkept.log\n"
	           "vendor/lib.js\n");
	CHECK_LIST(s, "secret", "");
	CHECK_READ(s, "a.md", "edited");
	CHECK_READ(s, "content/new.md", "untracked");
	CHECK(source_exists(s, "content/new.md"));
	CHECK(!source_exists(s, ".git/config"));
out:
	source_free(s);
	free(head);
	free(dir);
}

TEST(test_worktree_without_commits_has_no_commit)
{
	char *dir = new_repo("empty");
	put(dir, "a.md", "a");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK(source_is_git(s));
		CHECK(source_commit(s) == NULL);
		CHECK_LIST(s, "", "a.md\n");
	}
	source_free(s);
	free(dir);
}

TEST(test_site_in_a_subfolder_of_the_repository)
{
	char *dir = new_repo("sub"), *site = xasprintf("%s/sub/docs/site", tmp);
	put(dir, ".gitignore", "docs/site/drafts/\n");
	put(dir, "README.md", "outside the site");
	put(dir, "docs/site/site.yaml", "title: x");
	put(dir, "docs/site/content/a.md", "old");
	put(dir, "docs/site/drafts/d.md", "draft");
	commit(dir, "first");
	put(dir, "docs/site/content/a.md", "new");

	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = site;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK(source_is_git(s));
		CHECK_LIST(s, "", "content/a.md\nsite.yaml\n");
		CHECK_READ(s, "content/a.md", "new");
	}
	source_free(s);
	s = NULL;

	/* The same site read from the commit: tree paths are relative to the site folder too. */
	o.ref = "HEAD";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK(source_root(s) == NULL);
		CHECK_LIST(s, "", "content/a.md\nsite.yaml\n");
		CHECK_READ(s, "content/a.md", "old");
		CHECK(slurp(s, "../README.md") == NULL);
	}
	source_free(s);
	free(site);
	free(dir);
}

TEST(test_ref_reads_old_commits_tags_and_branches)
{
	char *dir = new_repo("refs"), *c1 = NULL, *c2 = NULL;
	put(dir, "a.md", "v1");
	put(dir, "public/index.html", "committed output");
	commit(dir, "first");
	sh("git -C '%s' tag -a v1 -m 'version 1'", dir);
	sh("git -C '%s' branch feature", dir);
	put(dir, "a.md", "v2");
	put(dir, "content/b.md", "b");
	put(dir, "run.sh", "#!/bin/sh\n");
	sh("chmod +x '%s/run.sh' && ln -s a.md '%s/link.md'", dir, dir);
	commit(dir, "second");
	sh("git -C '%s' checkout -q feature", dir);
	put(dir, "c.md", "feature");
	commit(dir, "on feature");
	sh("git -C '%s' checkout -q main", dir);
	put(dir, "a.md", "uncommitted");
	c1 = rev(dir, "v1^{commit}");
	c2 = rev(dir, "main");

	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;

	o.ref = "v1";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK(source_root(s) == NULL);
		CHECK(source_is_git(s));
		CHECK_STR(source_commit(s), c1);
		CHECK_LIST(s, "", "a.md\n");
		CHECK_READ(s, "a.md", "v1");
		CHECK(!source_exists(s, "content/b.md"));
		char *want = xasprintf("commit %.7s (v1)", c1);
		CHECK_STR(source_describe(s), want);
		free(want);
	}
	source_free(s);
	s = NULL;

	o.ref = c1;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_READ(s, "a.md", "v1");
	source_free(s);
	s = NULL;

	size_t errors0 = diag_error_count();
	o.ref = "main";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_STR(source_commit(s), c2);
		CHECK_LIST(s, "", "a.md\ncontent/b.md\nrun.sh\n");
		CHECK(diag_error_count() == errors0 + 1); /* the symlink, when listed */
		CHECK_LIST(s, "content", "content/b.md\n");
		CHECK_LIST(s, "con", "");
		CHECK_READ(s, "a.md", "v2");
		CHECK(source_exists(s, "run.sh"));
		CHECK(source_exists(s, "link.md")); /* there, but refused when read */
		CHECK(slurp(s, "link.md") == NULL);
		CHECK(!source_exists(s, "content"));
		CHECK(slurp(s, "../refs/a.md") == NULL);
		CHECK(slurp(s, "/a.md") == NULL);
	}
	source_free(s);
	s = NULL;

	o.ref = "feature";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_LIST(s, "", "a.md\nc.md\n");
		CHECK_READ(s, "c.md", "feature");
	}
	source_free(s);
	s = NULL;

	o.ref = "HEAD~1";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_STR(source_commit(s), c1);
	source_free(s);
	s = NULL;

	size_t errors = diag_error_count();
	o.ref = "no-such-branch";
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);
	CHECK(diag_error_count() == errors + 1);
	source_free(s);

	free(c1);
	free(c2);
	free(dir);
}

TEST(test_ref_needs_a_repository)
{
	char *dir = xasprintf("%s/plain-ref", tmp);
	put(dir, "a.md", "a");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	o.ref = "main";
	size_t errors = diag_error_count();
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);
	CHECK(diag_error_count() == errors + 1);
	free(dir);
}

TEST(test_repo_clones_and_fetches)
{
	char *origin = new_repo("origin"), *cache = xasprintf("%s/cache", tmp);
	char *url = xasprintf("file://%s", origin), *head = NULL;
	put(origin, "site/site.yaml", "title: hub");
	put(origin, "site/content/a.md", "first");
	put(origin, "other.txt", "not the site");
	commit(origin, "first");
	sh("git -C '%s' branch stable && git -C '%s' branch gone", origin, origin);
	put(origin, "site/content/a.md", "second");
	commit(origin, "second");

	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = "/nonexistent"; /* ignored with a URL */
	o.repo_url = origin;
	o.cache_dir = cache;
	o.subdir = "site";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		head = rev(origin, "main");
		CHECK_STR(source_commit(s), head);
		CHECK(source_is_git(s));
		CHECK(source_root(s) == NULL);
		CHECK_LIST(s, "", "content/a.md\nsite.yaml\n");
		CHECK_READ(s, "content/a.md", "second");
		CHECK_CONTAINS(source_describe(s), "(main)");
	}
	source_free(s);
	s = NULL;
	CHECK(count_entries(cache) == 1);

	o.ref = "stable";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_READ(s, "content/a.md", "first");
	source_free(s);
	s = NULL;

	/* New commits and tags in the origin show up on the next open. */
	put(origin, "site/content/a.md", "third");
	put(origin, "site/content/new.md", "new");
	commit(origin, "third");
	sh("git -C '%s' tag v3", origin);
	sh("git -C '%s' checkout -q stable", origin);
	put(origin, "site/content/a.md", "stable fix");
	commit(origin, "fix on stable");
	sh("git -C '%s' checkout -q main", origin);

	o.ref = NULL;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_LIST(s, "content", "content/a.md\ncontent/new.md\n");
		CHECK_READ(s, "content/a.md", "third");
	}
	source_free(s);
	s = NULL;

	o.ref = "stable";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_READ(s, "content/a.md", "stable fix");
	source_free(s);
	s = NULL;

	o.ref = "v3";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_READ(s, "content/a.md", "third");
	source_free(s);
	s = NULL;

	/* A branch deleted in the origin is gone from the clone too. */
	o.ref = "gone";
	CHECK(source_open(&s, &o) == 0);
	source_free(s);
	s = NULL;
	sh("git -C '%s' branch -q -D gone", origin);
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);

	/* A file:// URL is another clone, and works the same. */
	o.ref = NULL;
	o.repo_url = url;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL)
		CHECK_READ(s, "content/a.md", "third");
	source_free(s);
	s = NULL;
	CHECK(count_entries(cache) == 2);

	size_t errors = diag_error_count();
	o.subdir = "no/such/folder";
	CHECK(source_open(&s, &o) == -1);
	CHECK(diag_error_count() == errors + 1);
	o.subdir = "../site";
	CHECK(source_open(&s, &o) == -1);
	o.subdir = "site";
	o.ref = "no-such-ref";
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);

	free(head);
	free(url);
	free(cache);
	free(origin);
}

TEST(test_repo_default_cache_folder_and_bad_url)
{
	char *origin = new_repo("origin2"), *xdg = xasprintf("%s/xdg", tmp);
	char *repos = xasprintf("%s/satchel/repos", xdg), *bad = xasprintf("%s/missing", tmp);
	char *old = getenv("XDG_CACHE_HOME") ? xstrdup(getenv("XDG_CACHE_HOME")) : NULL;
	put(origin, "a.md", "a");
	commit(origin, "first");
	/* The remote's HEAD decides, not the first branch at the same commit. */
	sh("git -C '%s' branch aaa && git -C '%s' branch -q -m main trunk", origin, origin);

	setenv("XDG_CACHE_HOME", xdg, 1);
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.repo_url = origin;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_LIST(s, "", "a.md\n");
		CHECK_CONTAINS(source_describe(s), "(trunk)");
	}
	source_free(s);
	s = NULL;
	CHECK(count_entries(repos) == 1);

	size_t errors = diag_error_count();
	o.repo_url = bad;
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);
	CHECK(diag_error_count() == errors + 1);
	/* A failed first fetch leaves no clone behind. */
	char *bad_url = xasprintf("file://%s", bad);
	o.repo_url = bad_url;
	CHECK(source_open(&s, &o) == -1);
	CHECK(diag_error_count() == errors + 2);
	CHECK(count_entries(repos) == 1);
	free(bad_url);

	if (old != NULL)
		setenv("XDG_CACHE_HOME", old, 1);
	else
		unsetenv("XDG_CACHE_HOME");
	free(old);
	free(bad);
	free(repos);
	free(xdg);
	free(origin);
}

TEST(test_paths_leaving_the_site_are_refused)
{
	char *dir = xasprintf("%s/paths/site", tmp);
	put(dir, "a.md", "a");
	put(dir, "a..b.md", "dots");
	put(dir, "../secret.txt", "secret");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == 0);
	if (s == NULL)
		goto out;
	const char *bad[] = {"../secret.txt", "a/../../secret.txt", "/etc/passwd", "a\\b", "",
	                     "./a.md", "a.md/", "content//a.md", ".git/config"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct buf b = BUF_INIT;
		CHECK(source_read(s, bad[i], &b) == -1);
		CHECK(b.len == 0);
		CHECK(!source_exists(s, bad[i]));
		buf_free(&b);
	}
	CHECK_LIST(s, "..", "");
	CHECK_LIST(s, "../site", "");
	CHECK_READ(s, "a..b.md", "dots");

	/* Reading appends. */
	struct buf b = BUF_INIT;
	buf_puts(&b, "x:");
	CHECK(source_read(s, "a.md", &b) == 0);
	CHECK_STR(buf_str(&b), "x:a");
	buf_free(&b);
out:
	source_free(s);
	free(dir);
}

/* No symbolic link is followed, wherever it leads: each is an error naming it, in a folder as
 * in a commit, listed or read by name. */
TEST(test_symlinks_are_errors_and_never_followed)
{
	char *dir = xasprintf("%s/links/site", tmp);
	put(dir, "a.md", "a");
	put(dir, "sub/b.md", "b");
	put(dir, "../outside.md", "outside");
	sh("cd '%s' && ln -s ../outside.md out.md && ln -s a.md in.md && ln -s sub alias && "
	   "ln -s .. loop && ln -s /etc etc && ln -s nowhere broken.md && ln -s self self",
	   dir);
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == 0);
	if (s == NULL)
		goto out;
	size_t errors = diag_error_count();
	CHECK_LIST(s, "", "a.md\nsub/b.md\n");
	CHECK(diag_error_count() == errors + 7);
	/* Listed again or read by name: refused, and not reported a second time. */
	CHECK_LIST(s, "", "a.md\nsub/b.md\n");
	CHECK(slurp(s, "in.md") == NULL);
	CHECK(slurp(s, "alias/b.md") == NULL);
	CHECK(slurp(s, "out.md") == NULL);
	CHECK(diag_error_count() == errors + 7);
	/* There, so that a caller that needs the file hears why it cannot have it. */
	CHECK(source_exists(s, "in.md"));
	CHECK(source_exists(s, "alias/b.md"));
	CHECK_LIST(s, "alias", "");
	CHECK_LIST(s, "etc", "");
	CHECK_READ(s, "sub/b.md", "b");
out:
	source_free(s);
	free(dir);
}

/* Read by name with no listing first (as serve reads a saved file, and as site.yaml, i18n/ and
 * safeguarding/ are read): a link anywhere on the way, a folder in the middle or the file at the
 * end, is refused by the same name, whether the kernel resolves the path in one call (openat2)
 * or satchel walks it component by component (SATCHEL_NO_OPENAT2=1). */
TEST(test_links_read_by_name_refused_alike_both_ways)
{
	char *dir = xasprintf("%s/byname/site", tmp);
	put(dir, "content/x/real/index.md", "real");
	put(dir, "content/x/page.md", "page");
	put(dir, "../elsewhere/index.md", "elsewhere");
	sh("cd '%s' && ln -s ../../elsewhere content/a && ln -s real content/x/y && "
	   "ln -s page.md content/x/f.md && ln -s ../x content/x/real/up",
	   dir);
	static const char *const want[] = {"content/a", "content/x/y", "content/x/f.md",
	                                   "content/x/real/up"};
	for (int walk = 0; walk <= 1; walk++) {
		struct source_opts o = SOURCE_OPTS_INIT;
		struct source *s = NULL;
		size_t n = 0;
		if (walk)
			setenv("SATCHEL_NO_OPENAT2", "1", 1);
		o.site_dir = dir;
		diag_reset();
		CHECK(source_open(&s, &o) == 0);
		unsetenv("SATCHEL_NO_OPENAT2");
		if (s == NULL)
			break;
		diag_reset();
		diag_collect(1);
		CHECK(slurp(s, "content/a/index.md") == NULL);
		CHECK(slurp(s, "content/x/y/index.md") == NULL);
		CHECK(slurp(s, "content/x/f.md") == NULL);
		CHECK(slurp(s, "content/x/real/up/page.md") == NULL);
		CHECK(slurp(s, "content/a/none.md") == NULL); /* reported once */
		const struct diag_msg *m = diag_collected(&n);
		CHECK(n == 4);
		for (size_t i = 0; i < n && i < 4; i++) {
			CHECK_STR(m[i].path, want[i]);
			CHECK(m[i].error && strstr(m[i].text, "symbolic link; satchel publishes no "
			                                      "links") != NULL);
		}
		/* There, so that a caller that needs the file hears why it cannot have it. */
		CHECK(source_exists(s, "content/a/index.md"));
		CHECK(source_exists(s, "content/x/y/index.md"));
		CHECK(source_exists(s, "content/x/f.md"));
		CHECK(!source_exists(s, "content/x/none.md"));
		CHECK(!source_exists(s, "content/x/real"));
		CHECK_READ(s, "content/x/real/index.md", "real");
		CHECK_READ(s, "content/x/page.md", "page");
		CHECK_LIST(s, "content/x/y", "");
		CHECK_LIST(s, "content", "content/x/page.md\ncontent/x/real/index.md\n");
		diag_collected(&n);
		CHECK(n == 4);
		diag_collect(0);
		diag_reset();
		source_free(s);
	}
	free(dir);
}

TEST(test_committed_symlinks_are_errors)
{
	char *dir = new_repo("clinks");
	put(dir, "content/a.md", "a");
	put(dir, "content/sub/b.md", "b");
	sh("cd '%s' && ln -s a.md content/in.md && ln -s sub content/alias && "
	   "ln -s ../.git/config content/config.txt && ln -s content docs",
	   dir);
	commit(dir, "links");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	o.ref = "HEAD";
	CHECK(source_open(&s, &o) == 0);
	if (s == NULL)
		goto out;
	size_t errors = diag_error_count();
	CHECK_LIST(s, "content", "content/a.md\ncontent/sub/b.md\n");
	CHECK(diag_error_count() == errors + 3);
	CHECK(slurp(s, "content/in.md") == NULL);
	CHECK(slurp(s, "content/alias/b.md") == NULL);
	CHECK(source_exists(s, "content/alias/b.md"));
	CHECK_LIST(s, "docs", "");
	CHECK(diag_error_count() == errors + 4);
	CHECK_READ(s, "content/sub/b.md", "b");
out:
	source_free(s);
	free(dir);
}

/* Never listed nor read, in a working tree as in a commit: .git in any case at any depth,
 * satchel's own records; in a working tree, what git ignores. */
TEST(test_never_listed_whatever_the_path)
{
	char *dir = new_repo("never");
	put(dir, ".gitignore", "*.secret\ndrafts/\n");
	put(dir, "content/a.md", "a");
	put(dir, "content/.satchel-manifest", "m");
	put(dir, "content/.satchel-output", "m");
	put(dir, "content/.public.satchel-images", "m");
	put(dir, "static/s.css", "s");
	put(dir, "static/node_modules/pkg/index.js", "committed by mistake");
	commit(dir, "first");
	/* npm's folders, with the links npm makes: never listed, never an error */
	put(dir, "themes/t/admin/node_modules/pkg/p.js", "p");
	put(dir, "content/node_modules/x.md", "x");
	char *bin = xasprintf("%s/themes/t/admin/node_modules/.bin", dir);
	char *link = xasprintf("%s/p", bin);
	CHECK(mkdir(bin, 0755) == 0 && symlink("../pkg/p.js", link) == 0);
	free(link);
	free(bin);
	/* What git would not commit, in the working tree only. */
	put(dir, "content/x/.git/config", "[remote] token");
	put(dir, "content/y/.git", "gitdir: ../../.git/modules/y");
	put(dir, "content/.GIT/config", "token");
	put(dir, "static/.git/config", "token");
	put(dir, "content/notes.secret", "ignored");
	put(dir, "content/drafts/d.md", "ignored");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_LIST(s, "content", "content/a.md\n");
		CHECK_LIST(s, "static", "static/s.css\n");
		CHECK_LIST(s, "themes", "");
		CHECK(slurp(s, "content/.satchel-manifest") == NULL);
		CHECK(slurp(s, "content/.GIT/config") == NULL);
		CHECK(slurp(s, "content/x/.git/config") == NULL);
		CHECK(!source_exists(s, "content/.satchel-output"));
		/* Ignored files are not listed, but read by name (a withdrawal list git ignores
		 * still counts). */
		CHECK_READ(s, "content/notes.secret", "ignored");
	}
	source_free(s);
	s = NULL;
	o.ref = "HEAD";
	CHECK(source_open(&s, &o) == 0);
	if (s != NULL) {
		CHECK_LIST(s, "content", "content/a.md\n");
		CHECK_LIST(s, "static", "static/s.css\n");
	}
	source_free(s);
	free(dir);
}

TEST(test_bad_file_names_are_errors)
{
	char *dir = new_repo("names");
	put(dir, "content/a.md", "a");
	put(dir, "content/bad\xff.pdf", "x");
	put(dir, "content/tab\there.pdf", "x");
	put(dir, "content/d\xc3(/x.pdf", "x");
	put(dir, "content/ok-\xc3\xa9.pdf", "x");
	commit(dir, "names");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	o.site_dir = dir;
	for (int ref = 0; ref < 2; ref++) {
		o.ref = ref ? "HEAD" : NULL;
		CHECK(source_open(&s, &o) == 0);
		if (s == NULL)
			break;
		size_t errors = diag_error_count();
		CHECK_LIST(s, "content", "content/a.md\ncontent/ok-\xc3\xa9.pdf\n");
		CHECK(diag_error_count() == errors + 3);
		CHECK(slurp(s, "content/bad\xff.pdf") == NULL);
		source_free(s);
		s = NULL;
	}
	free(dir);
}

TEST(test_size_limits_and_lfs_pointers)
{
	char *dir = new_repo("sizes");
	put(dir, "content/a.md", "a");
	put(dir, "content/big.md", "0123456789012345678901234567890123456789");
	put(dir, "content/big.pdf", "0123456789012345678901234567890123456789");
	put(dir, "content/v.mp4", "version https://git-lfs.github.com/spec/v1\n"
	                          "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
	                          "size 12345\n");
	commit(dir, "sizes");
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source_limits lim = {1000, 20};
	struct source *s = NULL;
	o.site_dir = dir;
	for (int ref = 0; ref < 2; ref++) {
		o.ref = ref ? "HEAD" : NULL;
		CHECK(source_open(&s, &o) == 0);
		if (s == NULL)
			break;
		source_set_limits(s, &lim);
		size_t errors = diag_error_count();
		CHECK_LIST(s, "content", "content/a.md\ncontent/big.pdf\n");
		CHECK(diag_error_count() == errors + 2);
		CHECK(slurp(s, "content/big.md") == NULL);
		lim.file_size = 10;
		source_set_limits(s, &lim);
		CHECK(slurp(s, "content/big.pdf") == NULL);
		CHECK(diag_error_count() == errors + 3);
		lim.file_size = 1000;
		source_free(s);
		s = NULL;
	}
	free(dir);
}

TEST(test_missing_site_folder_fails)
{
	struct source_opts o = SOURCE_OPTS_INIT;
	struct source *s = NULL;
	char *dir = xasprintf("%s/does-not-exist", tmp);
	o.site_dir = dir;
	CHECK(source_open(&s, &o) == -1);
	CHECK(s == NULL);
	source_free(NULL);
	free(dir);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	/* git must not read the user's configuration, and commits must be reproducible. */
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Test Author", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Test Committer", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.org", 1);
	setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z", 1);
	setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z", 1);
	diag_quiet(1);

	RUN(test_plain_folder_warns_and_lists_sorted);
	RUN(test_list_stops_when_callback_returns_nonzero);
	RUN(test_worktree_sees_edits_and_skips_ignored);
	RUN(test_worktree_without_commits_has_no_commit);
	RUN(test_site_in_a_subfolder_of_the_repository);
	RUN(test_ref_reads_old_commits_tags_and_branches);
	RUN(test_ref_needs_a_repository);
	RUN(test_repo_clones_and_fetches);
	RUN(test_repo_default_cache_folder_and_bad_url);
	RUN(test_paths_leaving_the_site_are_refused);
	RUN(test_symlinks_are_errors_and_never_followed);
	RUN(test_links_read_by_name_refused_alike_both_ways);
	RUN(test_committed_symlinks_are_errors);
	RUN(test_never_listed_whatever_the_path);
	RUN(test_bad_file_names_are_errors);
	RUN(test_size_limits_and_lfs_pointers);
	RUN(test_missing_site_folder_fails);

	char *cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	free(cmd);
	return TEST_END();
}
