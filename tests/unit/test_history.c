/* Tests for history: real repositories made with git (several authors and dates, a rename, a
 * .mailmap, a change outside content/, a merge, a shallow clone), read through source and
 * history_load, then read again from the cache. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "source.h"
#include "test.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-history-XXXXXX";

#define sh test_sh

/* Commits everything in dir as author "name <email>" on date (also the committer date). */
static void
commit_as(const char *dir, const char *who, const char *date, const char *msg)
{
	sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='%s' GIT_COMMITTER_DATE='%s' "
	   "git -c user.name=Committer -c user.email=c@example.org commit -q --author='%s' -m '%s'",
	   dir, date, date, who, msg);
}

static struct source *
open_site(const char *dir)
{
	struct source *s = NULL;
	struct source_opts o = SOURCE_OPTS_INIT;
	o.site_dir = dir;
	if (source_open(&s, &o) < 0)
		test_failed_now = 1;
	return s;
}

static char *repo; /* the main fixture */

static void
make_repo(void)
{
	repo = xasprintf("%s/hub", tmp);
	sh("git init -q -b main '%s'", repo);
	sh("cd '%s' && printf 'title: Hub\\n' >site.yaml && mkdir -p content && "
	   "printf 'A\\n' >content/a.md && printf 'Bee one\\nBee two\\nBee three\\n' >content/b.md",
	   repo);
	commit_as(repo, "Ana Editor <ana@example.org>", "2025-01-01T10:00:00Z", "first");
	sh("cd '%s' && printf 'A changed\\n' >content/a.md", repo);
	commit_as(repo, "Boris <boris@old.example>", "2025-02-01T10:00:00Z", "edit a");
	sh("cd '%s' && mkdir -p content/guides && git mv content/b.md content/guides/b.md", repo);
	commit_as(repo, "Ana Editor <ana@example.org>", "2025-03-01T10:00:00Z", "move b");
	sh("cd '%s' && printf 'Bee one\\nBee two\\nBee three\\nBee four\\n' >content/guides/b.md && "
	   "printf 'Boris Petrov <boris@new.example> <boris@old.example>\\n"
	   "Boris Petrov <boris@new.example> B. Petrov <bp@example.org>\\n' >.mailmap",
	   repo);
	commit_as(repo, "B. Petrov <bp@example.org>", "2025-04-01T10:00:00Z", "edit b");
	/* Outside content/: changes no file's history. */
	sh("cd '%s' && printf 'readme\\n' >README", repo);
	commit_as(repo, "Carla <carla@example.org>", "2025-05-01T10:00:00Z", "readme");
	/* A branch merged back: its commit counts once, the merge not at all. */
	sh("cd '%s' && git checkout -q -b side && printf 'A side\\n' >content/a.md", repo);
	commit_as(repo, "Dana <dana@example.org>", "2025-06-01T10:00:00Z", "side edit");
	sh("cd '%s' && git checkout -q main && GIT_AUTHOR_DATE=2025-07-01T10:00:00Z "
	   "GIT_COMMITTER_DATE=2025-07-01T10:00:00Z git -c user.name=M -c user.email=m@example.org "
	   "merge -q --no-ff -m merge side",
	   repo);
}

TEST(test_first_last_contributors_and_renames)
{
	struct source *s = open_site(repo);
	struct history *h = NULL;
	test_capture_start();
	int rc = history_load(s, 1, &h);
	char *err = test_capture_end();
	CHECK(rc == 0 && h != NULL);
	CHECK_STR(err, "");
	CHECK(!history_from_cache(h));
	CHECK(history_count(h) == 2);

	const struct history_file *a = history_get(h, "content/a.md");
	CHECK(a != NULL);
	if (a != NULL) {
		CHECK(a->commits == 3); /* first, edit a, side edit; not the merge */
		CHECK_STR(a->first.author, "Ana Editor");
		CHECK(a->first.time == 1735725600); /* 2025-01-01T10:00:00Z */
		CHECK_STR(a->last.author, "Dana");
		CHECK(a->last.time == 1748772000); /* 2025-06-01T10:00:00Z */
		CHECK(a->ncontributors == 3);
		/* .mailmap: boris@old.example is Boris Petrov */
		CHECK(a->ncontributors == 3 && strcmp(a->contributors[0], "Ana Editor") == 0 &&
		      strcmp(a->contributors[1], "Boris Petrov") == 0 &&
		      strcmp(a->contributors[2], "Dana") == 0);
	}
	/* Followed through its rename: the first commit is the one that added content/b.md. */
	const struct history_file *b = history_get(h, "content/guides/b.md");
	CHECK(b != NULL);
	if (b != NULL) {
		CHECK(b->commits == 3);
		CHECK(b->first.time == 1735725600);
		CHECK_STR(b->last.author, "Boris Petrov"); /* B. Petrov, after .mailmap */
		CHECK(b->ncontributors == 2 && strcmp(b->contributors[0], "Ana Editor") == 0);
	}
	CHECK(history_get(h, "content/b.md") == NULL);
	CHECK(history_get(h, "README") == NULL);
	char *ida = a ? xstrdup(a->last.id) : xstrdup("");
	history_free(h);

	/* The same commit again: read from the cache, the same answers. */
	rc = history_load(s, 1, &h);
	CHECK(rc == 0 && h != NULL && history_from_cache(h));
	a = history_get(h, "content/a.md");
	CHECK(a != NULL && a->commits == 3 && strcmp(a->last.id, ida) == 0 &&
	      a->ncontributors == 3 && strcmp(a->contributors[1], "Boris Petrov") == 0);
	b = history_get(h, "content/guides/b.md");
	CHECK(b != NULL && b->first.time == 1735725600 && b->commits == 3);
	history_free(h);
	free(ida);
	free(err);
	source_free(s);
}

TEST(test_uncommitted_files_have_no_history)
{
	sh("cd '%s' && printf 'new\\n' >content/new.md", repo);
	struct source *s = open_site(repo);
	struct history *h = NULL;
	CHECK(history_load(s, 1, &h) == 0 && h != NULL);
	CHECK(history_get(h, "content/new.md") == NULL);
	CHECK(history_get(h, "content/a.md") != NULL);
	history_free(h);
	source_free(s);
	sh("rm '%s/content/new.md'", repo);
}

TEST(test_plain_folder_has_no_history)
{
	char *dir = xasprintf("%s/plain", tmp);
	sh("mkdir -p '%s/content' && printf 'title: X\\n' >'%s/site.yaml'", dir, dir);
	test_capture_start();
	struct source *s = open_site(dir);
	struct history *h = (struct history *)1;
	CHECK(history_load(s, 1, &h) == 0 && h == NULL);
	free(test_capture_end());
	source_free(s);
	free(dir);
}

TEST(test_shallow_clone_warns)
{
	char *dir = xasprintf("%s/shallow", tmp);
	sh("git clone -q --depth 2 'file://%s' '%s'", repo, dir);
	struct source *s = open_site(dir);
	struct history *h = NULL;
	test_capture_start();
	int rc = history_load(s, 1, &h);
	char *err = test_capture_end();
	CHECK(rc == 0 && h != NULL);
	CHECK_CONTAINS(err, "warning: this is a shallow clone: dates and contributors come from the commits it has");
	/* The clone's oldest commit stands in for a file's first one. */
	const struct history_file *a = history_get(h, "content/a.md");
	CHECK(a != NULL && a->first.time > 1735725600);
	history_free(h);
	source_free(s);
	free(err);
	free(dir);
}

/* A translation falls behind its source by the source's later commits, except those whose
 * message carries `Translations: unaffected`; read back from the cache the same. */
TEST(test_translations_fall_behind)
{
	char *dir = xasprintf("%s/behind", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir content && "
	   "printf 'one\\n' >content/a.md && printf 'едно\\n' >content/a.bg.md", dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-01-01T10:00:00Z", "both");
	sh("cd '%s' && printf 'two\\n' >>content/a.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-02-01T10:00:00Z", "source grows");
	sh("cd '%s' && printf 'three\\n' >>content/a.md && git add -A && GIT_AUTHOR_DATE=2025-03-01T10:00:00Z "
	   "GIT_COMMITTER_DATE=2025-03-01T10:00:00Z git -c user.name=A -c user.email=a@example.org "
	   "commit -q -m 'Typo' -m 'Translations: unaffected'", dir);
	sh("cd '%s' && printf 'four\\n' >>content/a.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-04-01T10:00:00Z", "source grows again");
	for (int pass = 0; pass < 2; pass++) {
		struct source *s = open_site(dir);
		struct history *h = NULL;
		CHECK(history_load(s, 1, &h) == 0 && h != NULL && history_from_cache(h) == pass);
		const struct history_file *a = history_get(h, "content/a.md"), *bg = history_get(h, "content/a.bg.md");
		CHECK(a != NULL && bg != NULL && a->nchanges == 4);
		if (a != NULL && a->nchanges == 4)
			CHECK(a->changes[1].unaffected && !a->changes[0].unaffected && !a->changes[2].unaffected);
		int64_t since = 0;
		CHECK(history_behind(a, bg, &since) == 2);  /* February and April; not the typo */
		CHECK(since == 1738404000);                  /* 2025-02-01T10:00:00Z */
		CHECK(history_behind(bg, a, &since) == 0);
		CHECK(history_behind(a, NULL, &since) == 0);
		/* translated_from names a commit by a prefix of its id */
		char pre[8] = "";
		if (a != NULL)
			memcpy(pre, a->first.id, 7);
		size_t seq = 99;
		CHECK(history_commit_find(h, pre, &seq) == 0 && a != NULL && seq == a->first.seq);
		CHECK(history_commit_find(h, "abc", &seq) == -1);       /* too short */
		CHECK(history_commit_find(h, "zzzzzzzz", &seq) == -1);  /* not hex */
		CHECK(history_behind_seq(a, a ? a->first.seq : 0, &since) == 2);
		history_free(h);
		source_free(s);
	}
	free(dir);
}

static void
dump_file(const struct history_file *f, void *payload)
{
	struct buf *b = payload;
	buf_printf(b, "%s %zu %s %lld %zu %s%d %s %lld %zu %s%d |", f->path, f->commits, f->first.id,
	           (long long)f->first.time, f->first.seq, f->first.author, f->first.mapped,
	           f->last.id, (long long)f->last.time, f->last.seq, f->last.author, f->last.mapped);
	for (size_t i = 0; i < f->ncontributors; i++)
		buf_printf(b, " %s%d", f->contributors[i], f->mapped[i]);
	for (size_t i = 0; i < f->nchanges; i++)
		buf_printf(b, " %lld:%zu%s", (long long)f->changes[i].time, f->changes[i].seq,
		           f->changes[i].unaffected ? "u" : "");
	for (size_t i = 0; i < f->nnames; i++)
		buf_printf(b, " was:%s:%s@%zu", f->names[i].path, f->names[i].slug ? f->names[i].slug : "-",
		           f->names[i].seq);
	buf_putc(b, '\n');
}

/* Everything a walk knows, as text: every file's record and the recent changes. */
static char *
dump_walk(struct source *s, int jobs)
{
	struct history *h = NULL;
	struct buf b = BUF_INIT;
	if (history_walk(s, jobs, &h) < 0 || h == NULL) {
		test_failed_now = 1;
		return buf_detach(&b);
	}
	history_each(h, dump_file, &b);
	const struct history_event *ev = NULL;
	size_t n = history_recent(h, &ev);
	for (size_t i = 0; i < n; i++) {
		buf_printf(&b, "%s %lld %s%d %s:", ev[i].id, (long long)ev[i].time, ev[i].author, ev[i].mapped,
		           ev[i].summary);
		for (size_t k = 0; k < ev[i].npaths; k++)
			buf_printf(&b, " %s", ev[i].paths[k]);
		buf_putc(&b, '\n');
	}
	history_free(h);
	return buf_detach(&b);
}

/* A long history is split between two processes: the same records as one process walking it
 * all, with renames, deletions, re-additions and .mailmap on both sides of the split. */
TEST(test_split_walk_matches_one_process)
{
	char *dir = xasprintf("%s/split", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir -p content/s && "
	   "for i in 0 1 2 3 4 5 6 7 8 9; do printf -- \"---\\nslug: first-$i\\n---\\nv0\\n\" >content/s/f$i.md; done", dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-01-01T10:00:00Z", "start");
	const char *who[] = {"Ana <ana@example.org>", "Boris <boris@old.example>", "Carla <carla@example.org>"};
	for (int n = 1; n <= 40; n++) {
		char date[32];
		snprintf(date, sizeof date, "2025-02-%02dT%02d:00:00Z", 1 + n % 28, n % 24);
		if (n == 7 || n == 31)
			sh("cd '%s' && git mv content/s/f%d.md content/s/moved-%d.md", dir, n % 10, n);
		else if (n == 12)
			sh("cd '%s' && git rm -q content/s/f5.md", dir);
		else if (n == 20 || n == 35)
			sh("cd '%s' && sed -i 's/^slug: .*/slug: \"n%d\"/' content/s/f2.md content/s/moved-7.md", dir, n);
		else if (n == 25)
			sh("cd '%s' && printf 'back\\n' >content/s/f5.md && printf 'Boris B <b@new.example> <boris@old.example>\\n' >.mailmap", dir);
		else
			sh("cd '%s' && printf 'v%d\\n' >>content/s/f%d.md", dir, n, (n * 7) % 10 == 5 ? 4 : (n * 7) % 10);
		commit_as(dir, who[n % 3], date, n % 9 == 0 ? "edit\n\nTranslations: unaffected" : "edit");
	}
	struct source *s = open_site(dir);
	char *one = dump_walk(s, 1);
	history_set_fork_min(2);
	char *two = dump_walk(s, 2);
	history_set_fork_min(2000);
	CHECK(strlen(one) > 1000);
	CHECK_STR(two, one);
	CHECK_CONTAINS(one, "content/s/moved-31.md");
	/* Earlier names on both sides of the split: slugs changed at 20 and 35, a rename at 7. */
	CHECK_CONTAINS(one, "was:content/s/f2.md:first-2@");
	CHECK_CONTAINS(one, "was:content/s/f2.md:n20@");
	CHECK_CONTAINS(one, "was:content/s/f7.md:first-7@");
	CHECK_CONTAINS(one, "Boris B");
	free(one);
	free(two);
	source_free(s);
	free(dir);
}

/* A page's earlier names: each older version's path and front-matter slug (renames followed,
 * slugs quoted or not, a comment after one), newest first, each once; the same from the cache. */
TEST(test_earlier_names_from_renames_and_slugs)
{
	char *dir = xasprintf("%s/earlier", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir -p content/x && "
	   "printf -- '---\\ntitle: T\\nslug: old-slug # first\\n---\\nText\\n' >content/x/index.md", dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-01-01T10:00:00Z", "start");
	sh("cd '%s' && sed -i 's/^slug: .*/slug: \"new-slug\"/' content/x/index.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-02-01T10:00:00Z", "slug");
	sh("cd '%s' && git mv content/x content/y", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-03-01T10:00:00Z", "move");
	sh("cd '%s' && printf 'More\\n' >>content/y/index.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-04-01T10:00:00Z", "edit");
	sh("cd '%s' && printf 'Again\\n' >>content/y/index.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-05-01T10:00:00Z", "edit again");
	struct source *s = open_site(dir);
	struct history *h = NULL;
	if (s != NULL && history_load(s, 1, &h) == 0 && h != NULL) {
		const struct history_file *f = history_get(h, "content/y/index.md");
		CHECK(f != NULL);
		if (f != NULL && f->nnames == 3) {
			CHECK_STR(f->names[0].path, "content/y/index.md"); /* the built commit's own */
			CHECK_STR(f->names[0].slug, "new-slug");
			CHECK_STR(f->names[1].path, "content/x/index.md");
			CHECK_STR(f->names[1].slug, "new-slug");
			CHECK(f->names[1].seq == 2); /* the move */
			CHECK_STR(f->names[2].path, "content/x/index.md");
			CHECK_STR(f->names[2].slug, "old-slug");
			CHECK(f->names[2].seq == 3);
		} else {
			CHECK(f != NULL && f->nnames == 3);
		}
		history_free(h);
		h = NULL;
		char *walked = dump_walk(s, 1);
		struct buf cached = BUF_INIT;
		if (history_load(s, 1, &h) == 0 && h != NULL) {
			CHECK(history_from_cache(h));
			history_each(h, dump_file, &cached);
			CHECK_CONTAINS(walked, buf_str(&cached));
			CHECK_CONTAINS(buf_str(&cached), "was:content/x/index.md:old-slug@3");
		}
		buf_free(&cached);
		free(walked);
		history_free(h);
	}
	source_free(s);
	free(dir);
}

/* The id of dir's commit rev, 40 hex digits. */
static char *
rev(const char *dir, const char *what)
{
	char *cmd = xasprintf("git -C '%s' rev-parse %s", dir, what);
	FILE *p = popen(cmd, "r");
	char id[64] = "";
	if (p == NULL || fgets(id, sizeof id, p) == NULL)
		test_failed_now = 1;
	if (p != NULL)
		pclose(p);
	free(cmd);
	id[strcspn(id, "\n")] = '\0';
	return xstrdup(id);
}

/* A backdated commit (a rebase, a wrong clock: both its dates older than its parent's) still
 * comes after its parent: it is the file's last change, the translation it follows falls
 * behind, it leads the recent changes, and a rename it made is followed back to the commit
 * that added the file. A clock far ahead changes nothing either. Read back from the cache the
 * same. */
TEST(test_backdated_commits_follow_the_graph)
{
	char *dir = xasprintf("%s/backdated", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir content && "
	   "printf 'one\\n' >content/a.md && printf 'едно\\n' >content/a.bg.md && printf 'o\\n' >content/old.md",
	   dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-03-01T10:00:00Z", "both");
	/* Clock skew: a year ahead, then back to normal. */
	sh("cd '%s' && printf 'skew\\n' >content/c.md", dir);
	commit_as(dir, "Dana <dana@example.org>", "2026-03-01T10:00:00Z", "ahead");
	sh("cd '%s' && printf 'two\\n' >>content/a.md && git mv content/old.md content/new.md", dir);
	commit_as(dir, "Boris <boris@example.org>", "2025-01-01T10:00:00Z", "backdated");
	char *first = rev(dir, "HEAD~2"), *back = rev(dir, "HEAD");
	for (int pass = 0; pass < 2; pass++) {
		struct source *s = open_site(dir);
		struct history *h = NULL;
		CHECK(history_load(s, 1, &h) == 0 && h != NULL && history_from_cache(h) == pass);
		const struct history_file *a = history_get(h, "content/a.md"), *bg = history_get(h, "content/a.bg.md");
		const struct history_file *nw = history_get(h, "content/new.md");
		CHECK(a != NULL && bg != NULL && nw != NULL);
		if (a == NULL || bg == NULL || nw == NULL)
			break;
		CHECK_STR(a->last.id, back);
		CHECK_STR(a->first.id, first);
		CHECK(a->last.time == 1735725600);  /* its own date, 2025-01-01, older than the first */
		CHECK(a->first.time == 1740823200); /* 2025-03-01 */
		CHECK(a->last.seq < a->first.seq);
		int64_t since = 0;
		CHECK(history_behind(a, bg, &since) == 1);
		CHECK(since == 1735725600);
		CHECK(history_behind(bg, a, &since) == 0);
		/* The rename is followed to the commit that added old.md: both authors count. */
		CHECK(nw->commits == 2);
		CHECK_STR(nw->first.id, first);
		CHECK(nw->ncontributors == 2);
		const struct history_event *ev = NULL;
		CHECK(history_recent(h, &ev) == 3);
		CHECK(ev != NULL && strcmp(ev[0].id, back) == 0 && strcmp(ev[2].id, first) == 0);
		history_free(h);
		source_free(s);
	}
	free(first);
	free(back);
	free(dir);
}

/* Order is by the graph even across a merge of a branch with older dates: the merged branch's
 * commit is newer than the main line's commit it descends from. */
TEST(test_merged_old_branch_is_newer_than_its_base)
{
	char *dir = xasprintf("%s/oldbranch", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir content && "
	   "printf 'one\\n' >content/a.md && printf 'едно\\n' >content/a.bg.md", dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-05-01T10:00:00Z", "start");
	sh("cd '%s' && git checkout -q -b fix && printf 'two\\n' >>content/a.md", dir);
	commit_as(dir, "Ana <ana@example.org>", "2024-12-01T10:00:00Z", "old-dated fix");
	sh("cd '%s' && git checkout -q main && GIT_AUTHOR_DATE=2025-06-01T10:00:00Z "
	   "GIT_COMMITTER_DATE=2025-06-01T10:00:00Z git -c user.name=M -c user.email=m@example.org "
	   "merge -q --no-ff -m merge fix", dir);
	struct source *s = open_site(dir);
	struct history *h = NULL;
	CHECK(history_load(s, 1, &h) == 0 && h != NULL);
	const struct history_file *a = history_get(h, "content/a.md"), *bg = history_get(h, "content/a.bg.md");
	int64_t since = 0;
	CHECK(a != NULL && bg != NULL && a->commits == 2 && history_behind(a, bg, &since) == 1);
	history_free(h);
	source_free(s);
	free(dir);
}

/* What may be published of a name: an address (or a name that is one) never; whether .mailmap
 * gave it is kept, from the walk and from the cache; a subject keeps its words but not its
 * addresses. */
TEST(test_names_are_safe_and_mailmap_is_marked)
{
	char *dir = xasprintf("%s/names", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir content && "
	   "printf 'one\\n' >content/a.md && "
	   "printf 'Boris Petrov <boris@new.example> <boris@old.example>\\n' >.mailmap", dir, dir);
	commit_as(dir, "mira@example.org <mira@example.org>", "2025-01-01T10:00:00Z",
	          "asked by mira@example.org, see <x@y.org>");
	sh("cd '%s' && printf 'two\\n' >>content/a.md", dir);
	commit_as(dir, "Boris <boris@old.example>", "2025-02-01T10:00:00Z", "edit");
	sh("cd '%s' && printf 'three\\n' >>content/a.md", dir);
	commit_as(dir, "Ana \xef\xbc\xa0 home <ana@example.org>", "2025-03-01T10:00:00Z", "more");
	sh("cd '%s' && printf 'four\\n' >>content/a.md", dir);
	commit_as(dir, "Carla <carla@example.org>", "2025-04-01T10:00:00Z", "last");
	for (int pass = 0; pass < 2; pass++) {
		struct source *s = open_site(dir);
		struct history *h = NULL;
		CHECK(history_load(s, 1, &h) == 0 && h != NULL && history_from_cache(h) == pass);
		const struct history_file *a = history_get(h, "content/a.md");
		CHECK(a != NULL);
		if (a == NULL)
			break;
		CHECK(a->commits == 4);
		CHECK_STR(a->first.author, ""); /* mira@example.org */
		CHECK(!a->first.mapped);
		CHECK_STR(a->last.author, "Carla");
		CHECK(!a->last.mapped);
		CHECK(a->ncontributors == 2);
		if (a->ncontributors == 2) {
			CHECK_STR(a->contributors[0], "Boris Petrov");
			CHECK(a->mapped[0] == 1);
			CHECK_STR(a->contributors[1], "Carla");
			CHECK(a->mapped[1] == 0);
		}
		const struct history_event *ev = NULL;
		CHECK(history_recent(h, &ev) == 4);
		if (ev != NULL) {
			CHECK_STR(ev[3].author, "");
			CHECK_STR(ev[3].summary, "asked by \xe2\x80\xa6 see \xe2\x80\xa6");
			CHECK_STR(ev[2].author, "Boris Petrov");
			CHECK(ev[2].mapped);
			CHECK_STR(ev[1].author, "");
		}
		history_free(h);
		source_free(s);
	}
	free(dir);
}

/* Renames in a commit older than the 50 recent changes: files moved as they were (each blob
 * once: paired by content), two files with the same text moved (paired by libgit2's diff, as
 * is a file moved and edited), and a link moved; every one followed back to its first commit,
 * the same split between two processes. */
TEST(test_old_renames_exact_and_edited)
{
	char *dir = xasprintf("%s/moves", tmp);
	sh("git init -q -b main '%s' && cd '%s' && printf 'title: X\\n' >site.yaml && mkdir -p content/a && "
	   "for i in 0 1 2 3; do printf \"page $i\\nline two of $i\\nline three of $i\\n\" >content/a/p$i.md; done && "
	   "printf 'same\\n' >content/a/twin1.md && printf 'same\\n' >content/a/twin2.md && "
	   "ln -s p0.md content/a/link.md", dir, dir);
	commit_as(dir, "Ana <ana@example.org>", "2025-01-01T10:00:00Z", "start");
	sh("cd '%s' && printf 'more\\n' >>content/a/p1.md", dir);
	commit_as(dir, "Boris <boris@example.org>", "2025-01-02T10:00:00Z", "edit p1");
	/* The move: p0, p1 and p2 as they were, p3 edited, the twins, the link. */
	sh("cd '%s' && git mv content/a content/b && printf 'edited\\n' >>content/b/p3.md", dir);
	commit_as(dir, "Carla <carla@example.org>", "2025-01-03T10:00:00Z", "move");
	for (int n = 0; n < 55; n++) {
		char date[32];
		snprintf(date, sizeof date, "2025-02-%02dT%02d:00:00Z", 1 + n % 28, n % 24);
		sh("cd '%s' && printf 'n%d\\n' >>content/other.md", dir, n);
		commit_as(dir, "Dana <dana@example.org>", date, "other");
	}
	struct source *s = open_site(dir);
	char *one = dump_walk(s, 1);
	history_set_fork_min(2);
	char *two = dump_walk(s, 2);
	history_set_fork_min(2000);
	CHECK_STR(two, one);
	/* Each followed across the move to the first commit: 2 commits (3 for p1). */
	for (int i = 0; i < 4; i++) {
		char *want = xasprintf("content/b/p%d.md %d ", i, i == 1 ? 3 : 2);
		CHECK_CONTAINS(one, want);
		free(want);
		want = xasprintf("was:content/a/p%d.md:-@", i);
		CHECK_CONTAINS(one, want);
		free(want);
	}
	CHECK_CONTAINS(one, "content/b/twin1.md 2 ");
	CHECK_CONTAINS(one, "content/b/twin2.md 2 ");
	CHECK_CONTAINS(one, "was:content/a/twin1.md:-@");
	CHECK_CONTAINS(one, "Ana0 Boris0 Carla0"); /* p1's contributors, most commits first */
	free(one);
	free(two);
	source_free(s);
	free(dir);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	make_repo();
	RUN(test_first_last_contributors_and_renames);
	RUN(test_uncommitted_files_have_no_history);
	RUN(test_plain_folder_has_no_history);
	RUN(test_shallow_clone_warns);
	RUN(test_translations_fall_behind);
	RUN(test_split_walk_matches_one_process);
	RUN(test_old_renames_exact_and_edited);
	RUN(test_earlier_names_from_renames_and_slugs);
	RUN(test_backdated_commits_follow_the_graph);
	RUN(test_merged_old_branch_is_newer_than_its_base);
	RUN(test_names_are_safe_and_mailmap_is_marked);
	sh("rm -rf '%s'", tmp);
	free(repo);
	return TEST_END();
}
