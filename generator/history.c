/* history: one revwalk, newest first, diffing each commit's content/ tree against its parent's
 * (only when the two differ, which a tree id comparison tells at once). */
#include "history.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/sort.h"
#include "util/xalloc.h"

struct contrib {
	char *name;
	size_t commits;
};

struct rec {
	struct history_file f;
	struct contrib *contribs;
	size_t ncontribs;
};

struct walked {
	char id[41];
	int64_t time; /* author time */
};

enum { RECENT = 50 };

struct history {
	struct history_event recent[RECENT];
	size_t nrecent;
	struct walked *commits; /* every commit walked, for translated_from */
	size_t ncommits;
	struct map by_path; /* site path -> struct rec */
	struct rec **recs;
	size_t n;
	int from_cache;
};

const struct history_file *
history_get(const struct history *h, const char *path)
{
	const struct rec *r = h ? map_get(&h->by_path, path) : NULL;
	return r && r->f.commits > 0 ? &r->f : NULL;
}

size_t
history_count(const struct history *h)
{
	size_t n = 0;
	for (size_t i = 0; h && i < h->n; i++)
		n += h->recs[i]->f.commits > 0;
	return n;
}

size_t
history_recent(const struct history *h, const struct history_event **out)
{
	*out = h ? h->recent : NULL;
	return h ? h->nrecent : 0;
}

/* Starts a recent-changes event for a commit, or NULL when there are enough. */
static struct history_event *
recent_event(struct history *h, const char *id, int64_t time, const char *author, const char *msg)
{
	if (h->nrecent == RECENT)
		return NULL;
	struct history_event *e = &h->recent[h->nrecent++];
	memcpy(e->id, id, 41);
	e->time = time;
	e->author = xstrdup(author ? author : "");
	size_t n = msg ? strcspn(msg, "\n") : 0;
	e->summary = xstrndup(msg ? msg : "", n);
	return e;
}

static void
event_path(struct history_event *e, const char *path)
{
	if (e == NULL)
		return;
	for (size_t i = 0; i < e->npaths; i++)
		if (strcmp(e->paths[i], path) == 0)
			return;
	e->paths = xrealloc(e->paths, (e->npaths + 1) * sizeof *e->paths);
	e->paths[e->npaths++] = xstrdup(path);
}

int
history_commit_time(const struct history *h, const char *prefix, int64_t *time)
{
	size_t n = prefix ? strlen(prefix) : 0, found = 0;
	if (h == NULL || n < 7 || n > 40 || strspn(prefix, "0123456789abcdef") != n)
		return -1;
	for (size_t i = 0; i < h->ncommits; i++)
		if (strncmp(h->commits[i].id, prefix, n) == 0) {
			*time = h->commits[i].time;
			found++;
		}
	return found == 1 ? 0 : -1;
}

int
history_from_cache(const struct history *h)
{
	return h ? h->from_cache : 0;
}

void
history_free(struct history *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->n; i++) {
		struct rec *r = h->recs[i];
		free(r->f.path);
		free(r->f.first.author);
		free(r->f.last.author);
		for (size_t k = 0; k < r->ncontribs; k++)
			free(r->contribs[k].name);
		free(r->contribs);
		free(r->f.contributors);
		free(r->f.changes);
		free(r);
	}
	for (size_t i = 0; i < h->nrecent; i++) {
		free(h->recent[i].author);
		free(h->recent[i].summary);
		for (size_t k = 0; k < h->recent[i].npaths; k++)
			free(h->recent[i].paths[k]);
		free(h->recent[i].paths);
	}
	free(h->recs);
	free(h->commits);
	map_free(&h->by_path);
	free(h);
}

static struct rec *
add_rec(struct history *h, const char *path)
{
	struct rec *r = xcalloc(1, sizeof *r);
	r->f.path = xstrdup(path);
	h->recs = xrealloc(h->recs, (h->n + 1) * sizeof *h->recs);
	h->recs[h->n++] = r;
	map_put(&h->by_path, path, r);
	return r;
}

static void
set_commit(struct history_commit *c, const char *id, int64_t time, const char *author)
{
	memcpy(c->id, id, 41);
	c->time = time;
	free(c->author);
	c->author = xstrdup(author ? author : "");
}

/* One commit that changed the file: the earliest and latest by author time (ties: the one met
 * last is older, as the walk goes newest first), and one more for its author. */
static void
attribute(struct rec *r, const char *id, int64_t time, const char *author, int unaffected)
{
	r->f.changes = xrealloc(r->f.changes, (r->f.nchanges + 1) * sizeof *r->f.changes);
	r->f.changes[r->f.nchanges++] = (struct history_change){time, unaffected};
	if (r->f.commits == 0 || time > r->f.last.time)
		set_commit(&r->f.last, id, time, author);
	if (r->f.commits == 0 || time <= r->f.first.time)
		set_commit(&r->f.first, id, time, author);
	r->f.commits++;
	for (size_t i = 0; i < r->ncontribs; i++)
		if (strcmp(r->contribs[i].name, author) == 0) {
			r->contribs[i].commits++;
			return;
		}
	r->contribs = xrealloc(r->contribs, (r->ncontribs + 1) * sizeof *r->contribs);
	r->contribs[r->ncontribs++] = (struct contrib){xstrdup(author), 1};
}

static int
cmp_contrib(const void *a, const void *b)
{
	const struct contrib *x = a, *y = b;
	if (x->commits != y->commits)
		return x->commits > y->commits ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
finish(struct history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		struct rec *r = h->recs[i];
		sort_array(r->contribs, r->ncontribs, sizeof *r->contribs, cmp_contrib);
		r->f.contributors = xcalloc(r->ncontribs + 1, sizeof *r->f.contributors);
		for (size_t k = 0; k < r->ncontribs; k++)
			r->f.contributors[k] = r->contribs[k].name;
		r->f.ncontributors = r->ncontribs;
	}
}

/* ---- the walk ---- */

struct walk {
	struct history *h;
	struct map alias; /* path (relative to content/) as named at this point of the walk -> rec */
};

static int
list_tree(const char *dir, const git_tree_entry *e, void *payload)
{
	struct walk *w = payload;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	char *rel = xasprintf("%s%s", dir, git_tree_entry_name(e));
	char *site = xasprintf("content/%s", rel);
	map_put(&w->alias, rel, add_rec(w->h, site));
	free(site);
	free(rel);
	return 0;
}

/* ---- comparing two trees ---- */

struct change {
	char *path; /* relative to content/ */
	char status; /* 'A' added, 'D' deleted, 'M' modified */
};

struct changes {
	struct change *v;
	size_t n, cap;
	size_t added, deleted;
};

static void
add_change(struct changes *c, const char *dir, const char *name, char status)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 16) * sizeof *c->v);
	c->v[c->n++] = (struct change){xasprintf("%s%s", dir, name), status};
	c->added += status == 'A';
	c->deleted += status == 'D';
}

static void
changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].path);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ---- comparing raw tree objects: no parsed git_tree, no allocation per entry ---- */

struct raw_entry {
	const unsigned char *start;
	const char *name;
	size_t len;
	int dir;
	const unsigned char *id; /* 20 bytes */
};

/* The next entry of a raw tree ("MODE NAME\0ID"), or 0 at the end or on damage. A mode has five
 * or six digits; a folder's is 40000. */
static int
raw_next(const unsigned char **p, const unsigned char *end, struct raw_entry *e)
{
	const unsigned char *s = *p, *sp, *nul;
	if (end - s < 28)
		return 0;
	sp = s[5] == ' ' ? s + 5 : s[6] == ' ' ? s + 6 : NULL;
	if (sp == NULL || (nul = memchr(sp, '\0', (size_t)(end - sp))) == NULL || end - nul < 21)
		return 0;
	e->dir = sp - s == 5 && s[0] == '4';
	e->start = s;
	e->name = (const char *)sp + 1;
	e->len = (size_t)(nul - sp - 1);
	e->id = nul + 1;
	*p = nul + 21;
	return 1;
}

/* How many bytes a and b have in common at their start (ends = 0) or end (ends = 1). */
static size_t
common_bytes(const unsigned char *a, const unsigned char *b, size_t n, int ends)
{
	size_t k = 0;
	if (!ends) {
		while (k + 64 <= n && memcmp(a + k, b + k, 64) == 0)
			k += 64;
		while (k < n && a[k] == b[k])
			k++;
	} else {
		while (k + 64 <= n && memcmp(a - k - 64, b - k - 64, 64) == 0)
			k += 64;
		while (k < n && a[-(ptrdiff_t)k - 1] == b[-(ptrdiff_t)k - 1])
			k++;
	}
	return k;
}

/* Two versions of a folder usually differ in an entry or two: skip the entries before the first
 * differing byte (read in one of them only), and stop where both have the same bytes left. */
static size_t
raw_skip_common(const unsigned char **pa, const unsigned char *ea, const unsigned char **pb,
                const unsigned char *eb, size_t *suffix)
{
	size_t la = (size_t)(ea - *pa), lb = (size_t)(eb - *pb), n = la < lb ? la : lb;
	size_t d = common_bytes(*pa, *pb, n, 0);
	const unsigned char *s = *pa, *nul;
	while (ea - s >= 28 && (nul = memchr(s + 6, '\0', (size_t)(ea - s - 6))) != NULL &&
	       ea - nul >= 21 && (size_t)(nul + 21 - *pa) <= d)
		s = nul + 21;
	size_t skipped = (size_t)(s - *pa);
	*pa = s;
	*pb += skipped;
	*suffix = common_bytes(ea, eb, n - skipped, 1);
	return skipped;
}

/* Git's order of tree entries: by name, a folder's name as if it ended in '/'. */
static int
raw_cmp(const struct raw_entry *a, const struct raw_entry *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	if (c != 0)
		return c;
	int ca = a->len > n ? (unsigned char)a->name[n] : a->dir ? '/' : 0;
	int cb = b->len > n ? (unsigned char)b->name[n] : b->dir ? '/' : 0;
	return ca - cb;
}

static int raw_changes(git_odb *odb, const git_oid *a, const git_oid *b, const char *dir,
                       struct changes *out);

static int
raw_whole(git_odb *odb, const struct raw_entry *e, const char *dir, char status, struct changes *out)
{
	char *name = xstrndup(e->name, e->len);
	int rc = 0;
	if (!e->dir) {
		add_change(out, dir, name, status);
	} else {
		git_oid id;
		git_oid_fromraw(&id, e->id);
		char *sub = xasprintf("%s%s/", dir, name);
		rc = raw_changes(odb, status == 'D' ? &id : NULL, status == 'A' ? &id : NULL, sub, out);
		free(sub);
	}
	free(name);
	return rc;
}

/* The files that differ between the trees with ids a and b (either may be NULL), reading only
 * the subtrees whose ids differ. */
static int
raw_changes(git_odb *odb, const git_oid *a, const git_oid *b, const char *dir, struct changes *out)
{
	git_odb_object *oa = NULL, *ob = NULL;
	int rc = 0;
	if ((a != NULL && git_odb_read(&oa, odb, a) < 0) || (b != NULL && git_odb_read(&ob, odb, b) < 0)) {
		git_odb_object_free(oa);
		return -1;
	}
	const unsigned char *pa = oa ? git_odb_object_data(oa) : NULL, *ea = pa ? pa + git_odb_object_size(oa) : NULL;
	const unsigned char *pb = ob ? git_odb_object_data(ob) : NULL, *eb = pb ? pb + git_odb_object_size(ob) : NULL;
	size_t suffix = 0;
	if (pa != NULL && pb != NULL)
		raw_skip_common(&pa, ea, &pb, eb, &suffix);
	struct raw_entry x, y;
	int hx = pa ? raw_next(&pa, ea, &x) : 0, hy = pb ? raw_next(&pb, eb, &y) : 0;
	while (rc == 0 && (hx || hy)) {
		/* x and y are the next entries; the same bytes after them: nothing else changed. */
		if (hx && hy && ea - x.start == eb - y.start && (size_t)(ea - x.start) <= suffix)
			break;
		int c = !hx ? 1 : !hy ? -1 : raw_cmp(&x, &y);
		if (c < 0) {
			rc = raw_whole(odb, &x, dir, 'D', out);
			hx = raw_next(&pa, ea, &x);
		} else if (c > 0) {
			rc = raw_whole(odb, &y, dir, 'A', out);
			hy = raw_next(&pb, eb, &y);
		} else {
			if (memcmp(x.id, y.id, 20) != 0) {
				if (x.dir != y.dir) {
					rc = raw_whole(odb, &x, dir, 'D', out);
					if (rc == 0)
						rc = raw_whole(odb, &y, dir, 'A', out);
				} else if (!x.dir) {
					char *name = xstrndup(x.name, x.len);
					add_change(out, dir, name, 'M');
					free(name);
				} else {
					git_oid ia, ib;
					git_oid_fromraw(&ia, x.id);
					git_oid_fromraw(&ib, y.id);
					char *name = xstrndup(x.name, x.len);
					char *sub = xasprintf("%s%s/", dir, name);
					rc = raw_changes(odb, &ia, &ib, sub, out);
					free(sub);
					free(name);
				}
			}
			hx = raw_next(&pa, ea, &x);
			hy = raw_next(&pb, eb, &y);
		}
	}
	git_odb_object_free(oa);
	git_odb_object_free(ob);
	return rc;
}

/* The content/ subtree of a commit's tree, or NULL. */
static git_tree *
content_tree(git_repository *repo, const git_commit *c, const char *dir)
{
	git_tree *root = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	if (git_commit_tree(&root, c) < 0)
		return NULL;
	if (git_tree_entry_bypath(&e, root, dir) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&sub, repo, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(root);
	return sub;
}

/* Does the commit message end with the trailer `Translations: unaffected`? */
static int
translations_unaffected(const git_commit *c)
{
	git_message_trailer_array arr = {0};
	int yes = 0;
	const char *msg = git_commit_message(c);
	if (msg == NULL || strstr(msg, "ranslations") == NULL) /* most messages: no parse */
		return 0;
	if (git_message_trailers(&arr, msg) == 0)
		for (size_t i = 0; i < arr.count; i++)
			yes |= strcasecmp(arr.trailers[i].key, "Translations") == 0 &&
			       strcasecmp(arr.trailers[i].value, "unaffected") == 0;
	git_message_trailer_array_free(&arr);
	return yes;
}

size_t
history_behind(const struct history_file *s, const struct history_file *t, int64_t *since)
{
	*since = 0;
	return t == NULL ? 0 : history_behind_time(s, t->last.time, since);
}

size_t
history_behind_time(const struct history_file *s, int64_t after, int64_t *since)
{
	size_t n = 0;
	*since = 0;
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < s->nchanges; i++)
		if (s->changes[i].time > after && !s->changes[i].unaffected) {
			if (n == 0 || s->changes[i].time < *since)
				*since = s->changes[i].time;
			n++;
		}
	return n;
}

static int
cmp_commit_time(const void *a, const void *b)
{
	const git_commit *x = *(git_commit *const *)a, *y = *(git_commit *const *)b;
	git_time_t tx = git_commit_time(x), ty = git_commit_time(y);
	if (tx != ty)
		return tx > ty ? -1 : 1;
	return git_oid_cmp(git_commit_id(x), git_commit_id(y));
}

/* The commits reachable from head that the repository has, newest first. */
static size_t
collect_commits(git_repository *repo, const git_oid *head, git_commit ***out)
{
	struct map seen = MAP_INIT;
	git_oid *stack = xcalloc(1, sizeof *stack);
	size_t nstack = 0, capstack = 1, n = 0, cap = 0;
	git_commit **v = NULL;
	stack[nstack++] = *head;
	while (nstack > 0) {
		git_oid oid = stack[--nstack];
		char hex[41];
		git_oid_tostr(hex, sizeof hex, &oid);
		if (map_get(&seen, hex) != NULL)
			continue;
		map_put(&seen, hex, (void *)1);
		git_commit *c;
		if (git_commit_lookup(&c, repo, &oid) < 0) {
			git_error_clear(); /* beyond a shallow clone's boundary */
			continue;
		}
		if (n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
		v[n++] = c;
		for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
			if (nstack == capstack)
				stack = xrealloc(stack, (capstack *= 2) * sizeof *stack);
			stack[nstack++] = *git_commit_parent_id(c, i);
		}
	}
	free(stack);
	map_free(&seen);
	sort_array(v, n, sizeof *v, cmp_commit_time);
	*out = v;
	return n;
}

/* Phase one: each commit's changed files under content/, by comparing raw tree objects from the
 * top down. Phase two, in order, gives them to the files, following renames. One thread:
 * libgit2 1.5 serialises pack reads on a global lock, and threads walking apart lose its delta
 * cache; measured, two threads with a repository each took twice as long. */
struct pre {
	struct changes ch;
	int state; /* 0: nothing under content/ (or a merge), 1: changes, 2: files both added and
	            * deleted (renames to find with libgit2's diff), -1: the repository failed */
};

static void
commit_changes(git_repository *repo, const git_commit *c, const char *dir, struct pre *out)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	/* A merge's changes are its branches' commits, which the walk also meets. */
	if (git_commit_parentcount(c) > 1)
		goto done;
	tree = content_tree(repo, c, dir);
	if (git_commit_parentcount(c) == 1) {
		if (git_commit_parent(&parent, c, 0) < 0)
			git_error_clear(); /* a shallow clone's boundary: its parent is not here */
		else
			ptree = content_tree(repo, parent, dir);
	}
	if ((tree == NULL && ptree == NULL) ||
	    (tree != NULL && ptree != NULL && git_oid_equal(git_tree_id(tree), git_tree_id(ptree))))
		goto done; /* content/ untouched */
	git_odb *odb = NULL;
	if (git_repository_odb(&odb, repo) < 0 ||
	    raw_changes(odb, ptree ? git_tree_id(ptree) : NULL, tree ? git_tree_id(tree) : NULL, "",
	                &out->ch) < 0)
		out->state = -1;
	else
		out->state = out->ch.added > 0 && out->ch.deleted > 0 ? 2 : 1;
	git_odb_free(odb);
done:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
}

/* A child's results: per commit its state, its number of changes, then each change's status
 * and NUL-ended path. */
static int
write_pre(FILE *f, const struct pre *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t st = p[i].state;
		uint32_t k = (uint32_t)p[i].ch.n;
		if (fwrite(&st, sizeof st, 1, f) != 1 || fwrite(&k, sizeof k, 1, f) != 1)
			return -1;
		for (size_t j = 0; j < k; j++)
			if (fputc(p[i].ch.v[j].status, f) == EOF ||
			    fwrite(p[i].ch.v[j].path, strlen(p[i].ch.v[j].path) + 1, 1, f) != 1)
				return -1;
	}
	return fflush(f) == 0 ? 0 : -1;
}

static int
read_pre(FILE *f, struct pre *p, size_t n)
{
	struct buf path = BUF_INIT;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		int32_t st;
		uint32_t k;
		if (fread(&st, sizeof st, 1, f) != 1 || fread(&k, sizeof k, 1, f) != 1 || st < -1 || st > 2) {
			rc = -1;
			break;
		}
		p[i].state = st;
		for (uint32_t j = 0; j < k && rc == 0; j++) {
			int status = fgetc(f), c;
			buf_reset(&path);
			while ((c = fgetc(f)) != EOF && c != '\0')
				buf_putc(&path, (char)c);
			if (c == EOF || (status != 'A' && status != 'D' && status != 'M'))
				rc = -1;
			else
				add_change(&p[i].ch, "", buf_str(&path), (char)status);
		}
	}
	buf_free(&path);
	return rc;
}

/* Phase one over every commit. With more than one job and many commits, the older half is done
 * by a child process at the same time: libgit2 1.5 gives the threads of a process, even with a
 * repository each, one reader per pack file, with its locks and delta-base cache (measured: two
 * threads took twice as long as one). The child inherits the open repository, writes its
 * results to an unnamed temporary file and ends with _exit; if anything fails, the parent does
 * that half itself. Same results either way. */
static size_t history_fork_min = 2000;

/* The older half, when a child process compares it: where it starts, the child, and the file
 * its results come back in. */
struct split {
	size_t mid;
	pid_t pid;
	FILE *tmp;
};

/* Phase one for the newer half here, the older half in a child (when it is worth one); returns
 * having done the newer half, so that phase two can go through it while the child works. */
static void
phase_one_start(git_repository *repo, git_commit **commits, size_t n, const char *dir, int jobs,
                struct pre *pre, struct split *sp)
{
	*sp = (struct split){n, -1, NULL};
	if (jobs > 1 && n >= history_fork_min && (sp->tmp = tmpfile()) != NULL) {
		fflush(stdout);
		fflush(stderr);
		sp->mid = n / 2;
		sp->pid = fork();
		if (sp->pid == 0) {
			for (size_t ci = sp->mid; ci < n; ci++)
				commit_changes(repo, commits[ci], dir, &pre[ci]);
			_exit(write_pre(sp->tmp, pre + sp->mid, n - sp->mid) == 0 ? 0 : 1);
		}
		if (sp->pid < 0)
			sp->mid = n;
	}
	for (size_t ci = 0; ci < sp->mid; ci++)
		commit_changes(repo, commits[ci], dir, &pre[ci]);
}

/* The older half: the child's results, or, if anything failed, done here. */
static void
phase_one_finish(git_repository *repo, git_commit **commits, size_t n, const char *dir,
                 struct pre *pre, struct split *sp)
{
	if (sp->pid > 0) {
		int status = 0;
		while (waitpid(sp->pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || fseek(sp->tmp, 0, SEEK_SET) != 0 ||
		    read_pre(sp->tmp, pre + sp->mid, n - sp->mid) < 0) {
			for (size_t ci = sp->mid; ci < n; ci++) {
				changes_free(&pre[ci].ch);
				pre[ci].state = 0;
				commit_changes(repo, commits[ci], dir, &pre[ci]);
			}
		}
		sp->pid = -1;
	}
	if (sp->tmp != NULL)
		fclose(sp->tmp);
	sp->tmp = NULL;
}

static int
walk_history(git_repository *repo, const git_oid *head, const char *dir, int jobs, struct history *h)
{
	struct walk w = {h, MAP_INIT};
	struct split sp = {0, -1, NULL};
	git_mailmap *mm = NULL;
	git_commit **commits = NULL;
	size_t ncommits = 0;
	struct pre *pre = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	int rc = -1;

	c = NULL;
	if (git_commit_lookup(&c, repo, head) < 0)
		goto out;
	tree = content_tree(repo, c, dir);
	git_commit_free(c);
	c = NULL;
	if (tree == NULL)
		return 0; /* no content/ at this commit */
	if (git_tree_walk(tree, GIT_TREEWALK_PRE, list_tree, &w) < 0)
		goto out;
	git_tree_free(tree);
	tree = NULL;

	if (git_mailmap_from_repository(&mm, repo) < 0)
		mm = NULL; /* no .mailmap: names as written */
	/* libgit2 hashes every object it reads again to check it, which was most of the walk's
	 * time; git itself does not on reads. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Every commit reachable from head, newest first by commit time (as git log orders them),
	 * children before parents in practice. Collected by hand rather than with a revwalk, which
	 * stops at a shallow clone's missing parents. */
	ncommits = collect_commits(repo, head, &commits);
	h->commits = xcalloc(ncommits + 1, sizeof *h->commits);
	for (size_t ci = 0; ci < ncommits; ci++) {
		git_oid_tostr(h->commits[ci].id, sizeof h->commits[ci].id, git_commit_id(commits[ci]));
		h->commits[ci].time = (int64_t)git_commit_author(commits[ci])->when.time;
	}
	h->ncommits = ncommits;
	pre = xcalloc(ncommits + 1, sizeof *pre);
	phase_one_start(repo, commits, ncommits, dir, jobs, pre, &sp);
	for (size_t ci = 0; ci < ncommits; ci++) {
		if (ci == sp.mid)
			phase_one_finish(repo, commits, ncommits, dir, pre, &sp);
		if (pre[ci].state == 0)
			continue;
		if (pre[ci].state < 0)
			goto out;
		const git_commit *cm = commits[ci];
		const git_signature *sig = git_commit_author(cm);
		git_signature *real = NULL;
		if (mm != NULL && git_mailmap_resolve_signature(&real, mm, sig) == 0)
			sig = real;
		char id[41];
		git_oid_tostr(id, sizeof id, git_commit_id(cm));
		int64_t when = (int64_t)sig->when.time;
		int unaffected = translations_unaffected(cm);
		struct history_event *ev = recent_event(h, id, when, sig->name, git_commit_message(cm));
		if (pre[ci].state == 1) {
			/* No file both appeared and went: no rename to find. */
			struct changes *ch = &pre[ci].ch;
			for (size_t k = 0; k < ch->n; k++) {
				struct rec *r = map_get(&w.alias, ch->v[k].path);
				if (r == NULL || ch->v[k].status == 'D')
					continue;
				attribute(r, id, when, sig->name, unaffected);
				event_path(ev, r->f.path);
				if (ch->v[k].status == 'A')
					map_put(&w.alias, ch->v[k].path, NULL); /* before this, no such file */
			}
			git_signature_free(real);
			continue;
		}
		tree = content_tree(repo, cm, dir);
		if (git_commit_parent(&parent, cm, 0) < 0)
			git_error_clear();
		else
			ptree = content_tree(repo, parent, dir);
		/* Files added and deleted: libgit2's diff finds which were renames. */
		git_diff *diff = NULL;
		git_diff_options dopts;
		git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
		dopts.flags |= GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
		/* Only the paths the comparison found changed: a diff of the whole trees reads every
		 * folder, which was a third of the walk's time for one commit in 200. */
		struct changes *ch = &pre[ci].ch;
		char **paths = xcalloc(ch->n, sizeof *paths);
		for (size_t k = 0; k < ch->n; k++)
			paths[k] = ch->v[k].path;
		dopts.pathspec = (git_strarray){paths, ch->n};
		int drc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &dopts);
		free(paths);
		if (drc < 0) {
			git_signature_free(real);
			goto out;
		}
		git_diff_find_options fopts;
		git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
		fopts.flags = GIT_DIFF_FIND_RENAMES;
		git_diff_find_similar(diff, &fopts);
		size_t nd = git_diff_num_deltas(diff);
		for (size_t i = 0; i < nd; i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			const char *now = d->new_file.path;
			struct rec *r;
			switch (d->status) {
			case GIT_DELTA_RENAMED:
				/* Older commits knew the file by its old name. */
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, id, when, sig->name, unaffected);
					event_path(ev, r->f.path);
					map_put(&w.alias, d->old_file.path, r);
					map_put(&w.alias, now, NULL);
				}
				break;
			case GIT_DELTA_ADDED:
			case GIT_DELTA_COPIED:
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, id, when, sig->name, unaffected);
					event_path(ev, r->f.path);
					map_put(&w.alias, now, NULL); /* before this, no such file */
				}
				break;
			case GIT_DELTA_MODIFIED:
			case GIT_DELTA_TYPECHANGE:
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, id, when, sig->name, unaffected);
					event_path(ev, r->f.path);
				}
				break;
			default:
				break;
			}
		}
		git_signature_free(real);
		git_diff_free(diff);
		git_tree_free(tree);
		git_tree_free(ptree);
		git_commit_free(parent);
		tree = ptree = NULL;
		parent = NULL;
	}
	rc = 0;
out:
	if (sp.pid > 0)
		waitpid(sp.pid, NULL, 0); /* stopped early: the child's results are not needed */
	if (sp.tmp != NULL)
		fclose(sp.tmp);
	if (rc < 0) {
		const git_error *e = git_error_last();
		diag_error(NULL, 0, 0, "cannot read the history: %s", e && e->message ? e->message : "unknown error");
	}
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(c);
	for (size_t ci = 0; ci < ncommits; ci++) {
		git_commit_free(commits[ci]);
		if (pre != NULL)
			changes_free(&pre[ci].ch);
	}
	free(pre);
	free(commits);
	git_mailmap_free(mm);
	map_free(&w.alias);
	return rc;
}

/* ---- the cache: one line a file, fields separated by tabs, contributors by \x1f ---- */

static char *
cache_path(git_repository *repo, const char *head, const char *prefix)
{
	uint64_t hsh = 1469598103934665603ULL;
	for (const char *c = prefix; *c; c++)
		hsh = (hsh ^ (unsigned char)*c) * 1099511628211ULL;
	return xasprintf("%ssatchel/history-%s-%016llx.tsv", git_repository_path(repo), head,
	                 (unsigned long long)hsh);
}

/* Names go in a line: tabs, newlines and \x1f become spaces. */
static void
put_name(struct buf *b, const char *s)
{
	for (; *s; s++)
		buf_putc(b, *s == '\t' || *s == '\n' || *s == '\x1f' ? ' ' : *s);
}

static void
save_cache(const struct history *h, const char *path)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "satchel-history 4\n");
	for (size_t i = 0; i < h->nrecent; i++) {
		const struct history_event *e = &h->recent[i];
		buf_printf(&b, "!%s\t%lld\t", e->id, (long long)e->time);
		put_name(&b, e->author);
		buf_putc(&b, '\t');
		put_name(&b, e->summary);
		buf_putc(&b, '\t');
		for (size_t k = 0; k < e->npaths; k++) {
			if (k)
				buf_putc(&b, '\x1f');
			put_name(&b, e->paths[k]);
		}
		buf_putc(&b, '\n');
	}
	for (size_t i = 0; i < h->ncommits; i++)
		buf_printf(&b, "@%s %lld\n", h->commits[i].id, (long long)h->commits[i].time);
	for (size_t i = 0; i < h->n; i++) {
		const struct history_file *f = &h->recs[i]->f;
		if (f->commits == 0)
			continue;
		put_name(&b, f->path);
		buf_printf(&b, "\t%zu\t%s\t%lld\t", f->commits, f->first.id, (long long)f->first.time);
		put_name(&b, f->first.author);
		buf_printf(&b, "\t%s\t%lld\t", f->last.id, (long long)f->last.time);
		put_name(&b, f->last.author);
		buf_putc(&b, '\t');
		for (size_t k = 0; k < f->ncontributors; k++) {
			if (k)
				buf_putc(&b, '\x1f');
			put_name(&b, f->contributors[k]);
			buf_printf(&b, "\x1e%zu", h->recs[i]->contribs[k].commits);
		}
		buf_putc(&b, '\t');
		for (size_t k = 0; k < f->nchanges; k++)
			buf_printf(&b, "%s%lld%s", k ? "," : "", (long long)f->changes[k].time,
			           f->changes[k].unaffected ? "u" : "");
		buf_putc(&b, '\n');
	}
	char *dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	/* A cache that cannot be written is no error: the next build walks again. */
	if (fs_mkdir_p(dir) == 0)
		fs_write_file(path, b.data, b.len);
	free(dir);
	buf_free(&b);
}

/* Splits s at sep in place into at most max fields; returns how many. */
static size_t
split(char *s, char sep, char **out, size_t max)
{
	size_t n = 0;
	while (n < max) {
		out[n++] = s;
		char *e = strchr(s, sep);
		if (e == NULL)
			break;
		*e = '\0';
		s = e + 1;
	}
	return n;
}

static int
load_cache(struct history *h, const char *path)
{
	struct buf b = BUF_INIT;
	if (fs_read_file(path, &b) < 0)
		return -1;
	char *text = b.data, *line, *save = NULL;
	int ok = text != NULL && strncmp(text, "satchel-history 4\n", 18) == 0;
	for (line = ok ? strtok_r(text + 18, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '!') {
			char *f[5];
			if (split(line + 1, '\t', f, 5) != 5 || strlen(f[0]) != 40) {
				ok = 0;
				break;
			}
			struct history_event *e = recent_event(h, f[0], strtoll(f[1], NULL, 10), f[2], f[3]);
			char *paths[1024];
			size_t np = *f[4] ? split(f[4], '\x1f', paths, 1024) : 0;
			for (size_t k = 0; k < np; k++)
				event_path(e, paths[k]);
			continue;
		}
		if (line[0] == '@') {
			if (strlen(line) < 43 || line[41] != ' ') {
				ok = 0;
				break;
			}
			h->commits = xrealloc(h->commits, (h->ncommits + 1) * sizeof *h->commits);
			memcpy(h->commits[h->ncommits].id, line + 1, 40);
			h->commits[h->ncommits].id[40] = '\0';
			h->commits[h->ncommits++].time = strtoll(line + 42, NULL, 10);
			continue;
		}
		char *f[10];
		if (split(line, '\t', f, 10) != 10 || strlen(f[2]) != 40 || strlen(f[5]) != 40) {
			ok = 0;
			break;
		}
		struct rec *r = add_rec(h, f[0]);
		set_commit(&r->f.first, f[2], strtoll(f[3], NULL, 10), f[4]);
		set_commit(&r->f.last, f[5], strtoll(f[6], NULL, 10), f[7]);
		r->f.commits = (size_t)strtoull(f[1], NULL, 10);
		for (char *c = f[9]; *c;) {
			char *end;
			int64_t t = strtoll(c, &end, 10);
			int u = *end == 'u';
			end += u;
			r->f.changes = xrealloc(r->f.changes, (r->f.nchanges + 1) * sizeof *r->f.changes);
			r->f.changes[r->f.nchanges++] = (struct history_change){t, u};
			c = *end == ',' ? end + 1 : end;
			if (end == c && *c != '\0')
				break;
		}
		char *names[256];
		size_t nn = *f[8] ? split(f[8], '\x1f', names, 256) : 0;
		for (size_t k = 0; k < nn; k++) {
			char *cnt = strchr(names[k], '\x1e');
			if (cnt)
				*cnt++ = '\0';
			r->contribs = xrealloc(r->contribs, (r->ncontribs + 1) * sizeof *r->contribs);
			r->contribs[r->ncontribs++] =
			    (struct contrib){xstrdup(names[k]), cnt ? (size_t)strtoull(cnt, NULL, 10) : 1};
		}
	}
	buf_free(&b);
	return ok ? 0 : -1;
}

static int load(struct source *src, int use_cache, int jobs, struct history **out);

int
history_load(struct source *src, int jobs, struct history **out)
{
	return load(src, 1, jobs, out);
}

int
history_walk(struct source *src, int jobs, struct history **out)
{
	return load(src, 0, jobs, out);
}

void
history_set_fork_min(size_t commits)
{
	history_fork_min = commits;
}

static int
cmp_rec_path(const void *a, const void *b)
{
	return strcmp((*(struct rec *const *)a)->f.path, (*(struct rec *const *)b)->f.path);
}

void
history_each(const struct history *h, void (*fn)(const struct history_file *f, void *payload),
             void *payload)
{
	struct rec **v = xcalloc(h->n + 1, sizeof *v);
	if (h->n > 0)
		memcpy(v, h->recs, h->n * sizeof *v);
	sort_array(v, h->n, sizeof *v, cmp_rec_path);
	for (size_t i = 0; i < h->n; i++)
		if (v[i]->f.commits > 0)
			fn(&v[i]->f, payload);
	free(v);
}

static int
load(struct source *src, int use_cache, int jobs, struct history **out)
{
	git_repository *repo = source_repository(src);
	const char *head = source_commit(src);
	git_oid oid;
	*out = NULL;
	if (repo == NULL || head == NULL || git_oid_fromstr(&oid, head) < 0)
		return 0;
	struct history *h = xcalloc(1, sizeof *h);
	char *cache = cache_path(repo, head, source_prefix(src));
	if (use_cache && load_cache(h, cache) == 0) {
		h->from_cache = 1;
	} else {
		/* A half-read cache is dropped whole. */
		history_free(h);
		h = xcalloc(1, sizeof *h);
		if (git_repository_is_shallow(repo))
			diag_warning(NULL, 0, 0, "this is a shallow clone: dates and contributors come "
			                         "from the commits it has and may be incomplete");
		const char *prefix = source_prefix(src);
		char *dir = *prefix ? xasprintf("%s/content", prefix) : xstrdup("content");
		int rc = walk_history(repo, &oid, dir, jobs > 0 ? jobs : pool_default_threads(), h);
		free(dir);
		if (rc < 0) {
			history_free(h);
			free(cache);
			return -1;
		}
		finish(h);
		save_cache(h, cache);
		free(cache);
		*out = h;
		return 0;
	}
	free(cache);
	finish(h);
	*out = h;
	return 0;
}
