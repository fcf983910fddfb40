/* history: one walk in topological order, newest first, diffing each commit's content/ tree
 * against its parent's (only when the two differ, which a tree id comparison tells at once). */
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
#include "util/text.h"
#include "util/xalloc.h"

struct contrib {
	char *name;
	size_t commits;
	int mapped;
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
/* A walked commit's seq is its index in struct history's commits. */

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

/* Does s hold an '@'? The full-width and small commercial ats (U+FF20, U+FE6B) count. */
static int
has_at(const char *s)
{
	return strchr(s, '@') != NULL || strstr(s, "\xef\xbc\xa0") != NULL ||
	       strstr(s, "\xef\xb9\xab") != NULL;
}

/* An author's name as the site may show it: a copy with control characters (tabs, newlines,
 * C1) as spaces, or "" when it holds an address or part of one (git keeps no '<' or '>' in a name,
 * but a name can be "ana@example.org"). */
static char *
safe_name(const char *name)
{
	if (name == NULL || has_at(name) || strpbrk(name, "<>") != NULL)
		return xstrdup("");
	char *s = xstrdup(name);
	for (char *c = s; *c; c++)
		if (*c == '\t' || *c == '\n' || *c == '\r')
			*c = ' ';
	text_controls_to_spaces(s, strlen(s), NULL);
	return s;
}

/* A message's first line, control characters (tabs, C1) as spaces, every word that holds an '@'
 * (an address, a handle) replaced by "…". */
static char *
safe_subject(const char *msg)
{
	struct buf b = BUF_INIT;
	size_t n = msg ? strcspn(msg, "\n") : 0;
	for (size_t i = 0; i < n;) {
		if (msg[i] == ' ' || (unsigned char)msg[i] < 0x20) {
			buf_putc(&b, ' ');
			i++;
			continue;
		}
		size_t w = i;
		while (w < n && msg[w] != ' ' && (unsigned char)msg[w] >= 0x20)
			w++;
		char *word = xstrndup(msg + i, w - i);
		buf_puts(&b, has_at(word) ? "\xe2\x80\xa6" : word);
		free(word);
		i = w;
	}
	b.len = text_controls_to_spaces(b.data, b.len, NULL);
	return buf_detach(&b);
}

/* Starts a recent-changes event for a commit, or NULL when there are enough. author and msg
 * are made safe (a cache holds them safe already). */
static struct history_event *
recent_event(struct history *h, const char *id, int64_t time, const char *author, int mapped,
             const char *msg)
{
	if (h->nrecent == RECENT)
		return NULL;
	struct history_event *e = &h->recent[h->nrecent++];
	memcpy(e->id, id, 41);
	e->time = time;
	e->author = safe_name(author);
	e->mapped = mapped && *e->author;
	e->summary = safe_subject(msg);
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
history_commit_find(const struct history *h, const char *prefix, size_t *seq)
{
	size_t n = prefix ? strlen(prefix) : 0, found = 0;
	if (h == NULL || n < 7 || n > 40 || strspn(prefix, "0123456789abcdef") != n)
		return -1;
	for (size_t i = 0; i < h->ncommits; i++)
		if (strncmp(h->commits[i].id, prefix, n) == 0) {
			*seq = i;
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
		free(r->f.mapped);
		free(r->f.changes);
		for (size_t k = 0; k < r->f.nnames; k++) {
			free(r->f.names[k].path);
			free(r->f.names[k].slug);
		}
		free(r->f.names);
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

/* A commit as the walk met it: its id, author time, seq, and author (safe, after .mailmap). */
struct met {
	const char *id;
	int64_t time;
	size_t seq;
	const char *author;
	int mapped;
	int unaffected;
};

static void
set_commit(struct history_commit *c, const struct met *m)
{
	memcpy(c->id, m->id, 41);
	c->time = m->time;
	c->seq = m->seq;
	free(c->author);
	c->author = xstrdup(m->author);
	c->mapped = m->mapped;
}

/* One commit that changed the file. The walk goes newest first in topological order, so the
 * first commit met is the file's last, and each one met makes the first commit older; a date
 * decides nothing. One more for its author (a name that may not be shown counts for nobody; a
 * name is taken as .mailmap's if any of its commits was mapped). */
static void
attribute(struct rec *r, const struct met *m)
{
	r->f.changes = xrealloc(r->f.changes, (r->f.nchanges + 1) * sizeof *r->f.changes);
	r->f.changes[r->f.nchanges++] = (struct history_change){m->time, m->seq, m->unaffected};
	if (r->f.commits == 0)
		set_commit(&r->f.last, m);
	set_commit(&r->f.first, m);
	r->f.commits++;
	if (*m->author == '\0')
		return;
	for (size_t i = 0; i < r->ncontribs; i++)
		if (strcmp(r->contribs[i].name, m->author) == 0) {
			r->contribs[i].commits++;
			r->contribs[i].mapped |= m->mapped;
			return;
		}
	r->contribs = xrealloc(r->contribs, (r->ncontribs + 1) * sizeof *r->contribs);
	r->contribs[r->ncontribs++] = (struct contrib){xstrdup(m->author), 1, m->mapped};
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
		r->f.mapped = xcalloc(r->ncontribs + 1, sizeof *r->f.mapped);
		for (size_t k = 0; k < r->ncontribs; k++) {
			r->f.contributors[k] = r->contribs[k].name;
			r->f.mapped[k] = (unsigned char)r->contribs[k].mapped;
		}
		r->f.ncontributors = r->ncontribs;
	}
}

/* ---- earlier names: renames and slug changes ---- */

/* The value of a top-level `slug:` line in the front matter of a Markdown text, unquoted, or
 * NULL. A scan, not a YAML parse: it runs on every older version of every page, and an old
 * version's YAML may be broken. Plain, '…' and "…" scalars on one line (site.c reads the same
 * key as a string). */
static char *
text_slug(const char *t, size_t n)
{
	const char *end = t + n, *p = t;
	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (end - p < 4 || memcmp(p, "---", 3) != 0 || (p[3] != '\n' && p[3] != '\r'))
		return NULL;
	p = memchr(p, '\n', (size_t)(end - p));
	while (p != NULL && ++p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		if (le - p >= 3 && memcmp(p, "---", 3) == 0 && (le - p == 3 || p[3] == '\r' || p[3] == ' '))
			return NULL;
		if (le - p > 5 && memcmp(p, "slug:", 5) == 0) {
			const char *v = p + 5, *ve = le;
			while (v < ve && (*v == ' ' || *v == '\t'))
				v++;
			while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			if (v < ve && (*v == '"' || *v == '\'')) {
				/* '…' doubles a quote inside; "…" escapes with a backslash. */
				struct buf q = BUF_INIT;
				for (const char *c = v + 1; c < ve; c++) {
					if (*v == '\'' && *c == '\'' && c + 1 < ve && c[1] == '\'')
						c++;
					else if (*v == '"' && *c == '\\' && c + 1 < ve)
						c++;
					else if (*c == *v)
						return buf_detach(&q);
					buf_putc(&q, *c);
				}
				buf_free(&q);
				return NULL; /* not closed on its line */
			}
			for (const char *h = v; h < ve; h++)
				if (*h == '#' && (h == v || h[-1] == ' ' || h[-1] == '\t')) {
					ve = h;
					while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
						ve--;
					break;
				}
			return ve > v ? xstrndup(v, (size_t)(ve - v)) : NULL;
		}
		p = eol;
	}
	return NULL;
}

static char *
blob_slug(git_odb *odb, const unsigned char *raw)
{
	git_oid id;
	git_odb_object *o = NULL;
	char *slug = NULL;
	git_oid_fromraw(&id, raw);
	if (git_odb_read(&o, odb, &id) == 0)
		slug = text_slug(git_odb_object_data(o), git_odb_object_size(o));
	else
		git_error_clear(); /* beyond a shallow clone, say: that version's slug is unknown */
	git_odb_object_free(o);
	return slug;
}

static int
same_slug(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
ends_md(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcmp(path + n - 3, ".md") == 0;
}

/* A version of a Markdown file met walking back, to read its slug from once the walk is done:
 * reading the versions of one file one after the other, as git packs them (deltas of one path
 * together), costs a fraction of reading them in commit order amid the trees. */
struct older {
	struct rec *r;
	char *rel; /* relative to content/ */
	unsigned char id[20];
	size_t seq;
	size_t order; /* when the walk met it */
};

struct olders {
	struct older *v;
	size_t n;
};

static void
older_add(struct olders *o, struct rec *r, const char *rel, const unsigned char *id, size_t seq)
{
	static const unsigned char zero[20];
	if (r == NULL || !ends_md(rel) || memcmp(id, zero, 20) == 0)
		return;
	if ((o->n & (o->n - 1)) == 0)
		o->v = xrealloc(o->v, (o->n ? o->n * 2 : 1) * sizeof *o->v);
	struct older *x = &o->v[o->n];
	*x = (struct older){r, xstrdup(rel), {0}, seq, o->n};
	memcpy(x->id, id, 20);
	o->n++;
}

static int
cmp_older(const void *a, const void *b)
{
	const struct older *x = a, *y = b;
	int c = strcmp(x->r->f.path, y->r->f.path);
	return c != 0 ? c : (x->order > y->order) - (x->order < y->order);
}

/* Each older version's (path, slug) becomes one of its file's earlier names, once, newest first;
 * the built commit's own is among them when a change kept it (whoever computes URLs from them
 * drops those that are the page's URL now). */
static void
olders_finish(struct olders *o, git_repository *repo)
{
	git_odb *odb = NULL;
	if (o->n > 0 && git_repository_odb(&odb, repo) < 0) {
		git_error_clear();
		odb = NULL;
	}
	sort_array(o->v, o->n, sizeof *o->v, cmp_older);
	char *prev = NULL;
	for (size_t i = 0; i < o->n; i++) {
		struct older *x = &o->v[i];
		struct rec *r = x->r;
		/* The same blob as the one before (a rename without an edit): the same slug. */
		char *slug = NULL;
		if (i > 0 && o->v[i - 1].r == r && memcmp(o->v[i - 1].id, x->id, 20) == 0)
			slug = prev ? xstrdup(prev) : NULL;
		else if (odb != NULL)
			slug = blob_slug(odb, x->id);
		free(prev);
		prev = slug ? xstrdup(slug) : NULL;
		int known = 0;
		for (size_t k = 0; k < r->f.nnames && !known; k++)
			known = strcmp(r->f.names[k].path + 8, x->rel) == 0 && same_slug(r->f.names[k].slug, slug);
		if (!known) {
			r->f.names = xrealloc(r->f.names, (r->f.nnames + 1) * sizeof *r->f.names);
			r->f.names[r->f.nnames++] =
			    (struct history_name){xasprintf("content/%s", x->rel), slug, x->seq};
		} else {
			free(slug);
		}
		free(x->rel);
	}
	free(prev);
	git_odb_free(odb);
	free(o->v);
	o->v = NULL;
	o->n = 0;
}

/* ---- the walk ---- */

struct walk {
	struct history *h;
	struct map alias; /* path (relative to content/) as named at this point of the walk -> rec */
	struct olders olders;
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
	unsigned char regular; /* a file (mode 100644 or 100755), not a link or a submodule */
	unsigned char old_id[20], new_id[20]; /* the blobs before and after (zeros: none) */
};

struct changes {
	struct change *v;
	size_t n, cap;
	size_t added, deleted;
};

static void
add_change(struct changes *c, const char *dir, const char *name, char status, int regular,
           const unsigned char *old_id, const unsigned char *new_id)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 16) * sizeof *c->v);
	struct change *ch = &c->v[c->n++];
	*ch = (struct change){xasprintf("%s%s", dir, name), status, regular != 0, {0}, {0}};
	if (old_id != NULL)
		memcpy(ch->old_id, old_id, 20);
	if (new_id != NULL)
		memcpy(ch->new_id, new_id, 20);
	c->added += status == 'A';
	c->deleted += status == 'D';
}

static void
changes_free(struct changes *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].path);
	}
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* ---- comparing raw tree objects: no parsed git_tree, no allocation per entry ---- */

struct raw_entry {
	const unsigned char *start;
	const char *name;
	size_t len;
	int dir;
	int regular; /* mode 100644 or 100755 */
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
	e->regular = sp - s == 6 && memcmp(s, "100", 3) == 0;
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
		add_change(out, dir, name, status, e->regular, status == 'D' ? e->id : NULL,
		           status == 'A' ? e->id : NULL);
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
					add_change(out, dir, name, 'M', y.regular, x.id, y.id);
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
	return t == NULL ? 0 : history_behind_seq(s, t->last.seq, since);
}

/* Newer is a smaller seq; the changes are in walk order, so the last one counted is the first
 * that came after. */
size_t
history_behind_seq(const struct history_file *s, size_t after, int64_t *since)
{
	size_t n = 0;
	*since = 0;
	if (s == NULL)
		return 0;
	for (size_t i = 0; i < s->nchanges && s->changes[i].seq < after; i++)
		if (!s->changes[i].unaffected) {
			*since = s->changes[i].time;
			n++;
		}
	return n;
}

/* Of two commits ready to be walked (all their children walked), the one to walk first: the
 * later commit time, then the smaller id. Only the order of unrelated commits depends on it. */
static int
walks_before(const git_commit *x, const git_commit *y)
{
	git_time_t tx = git_commit_time(x), ty = git_commit_time(y);
	if (tx != ty)
		return tx > ty;
	return git_oid_cmp(git_commit_id(x), git_commit_id(y)) < 0;
}

/* A binary heap of indexes into v, the one to walk first on top. */
struct ready {
	size_t *at;
	size_t n;
	git_commit **v;
};

static void
ready_push(struct ready *q, size_t i)
{
	size_t k = q->n++;
	while (k > 0 && walks_before(q->v[i], q->v[q->at[(k - 1) / 2]])) {
		q->at[k] = q->at[(k - 1) / 2];
		k = (k - 1) / 2;
	}
	q->at[k] = i;
}

static size_t
ready_pop(struct ready *q)
{
	size_t top = q->at[0], last = q->at[--q->n], k = 0;
	for (;;) {
		size_t c = 2 * k + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && walks_before(q->v[q->at[c + 1]], q->v[q->at[c]]))
			c++;
		if (!walks_before(q->v[q->at[c]], q->v[last]))
			break;
		q->at[k] = q->at[c];
		k = c;
	}
	if (q->n > 0)
		q->at[k] = last;
	return top;
}

/* v's n commits (every one reachable from v[0]) in topological order, children before parents
 * (Kahn's algorithm: a commit is walked once every child of it is), ties by walks_before. A
 * date never puts a commit before its descendant, whatever a rebase or a clock wrote. */
static void
topo_order(git_commit **v, size_t n, struct map *index)
{
	size_t *children = xcalloc(n + 1, sizeof *children);
	char hex[41];
	for (size_t i = 0; i < n; i++)
		for (unsigned p = 0; p < git_commit_parentcount(v[i]); p++) {
			git_oid_tostr(hex, sizeof hex, git_commit_parent_id(v[i], p));
			uintptr_t k = (uintptr_t)map_get(index, hex);
			if (k > 0 && k <= n)
				children[k - 1]++;
		}
	struct ready q = {xcalloc(n + 1, sizeof *q.at), 0, v};
	git_commit **order = xcalloc(n + 1, sizeof *order);
	size_t done = 0;
	for (size_t i = 0; i < n; i++)
		if (children[i] == 0)
			ready_push(&q, i);
	while (q.n > 0) {
		size_t i = ready_pop(&q);
		order[done++] = v[i];
		for (unsigned p = 0; p < git_commit_parentcount(v[i]); p++) {
			git_oid_tostr(hex, sizeof hex, git_commit_parent_id(v[i], p));
			uintptr_t k = (uintptr_t)map_get(index, hex);
			if (k > 0 && k <= n && --children[k - 1] == 0)
				ready_push(&q, k - 1);
		}
	}
	/* A commit graph has no cycle, so every commit was walked; if a damaged one had, the rest
	 * keep their place. */
	for (size_t i = 0; i < n && done < n; i++)
		if (children[i] > 0)
			order[done++] = v[i];
	memcpy(v, order, n * sizeof *v);
	free(order);
	free(q.at);
	free(children);
}

/* The commits reachable from head that the repository has, in topological order, newest first. */
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
		map_put(&seen, hex, (void *)UINTPTR_MAX); /* seen, not (yet) here */
		git_commit *c;
		if (git_commit_lookup(&c, repo, &oid) < 0) {
			git_error_clear(); /* beyond a shallow clone's boundary */
			continue;
		}
		if (n == cap)
			v = xrealloc(v, (cap = cap ? cap * 2 : 64) * sizeof *v);
		v[n++] = c;
		map_put(&seen, hex, (void *)(uintptr_t)n); /* its index + 1 */
		for (unsigned i = 0; i < git_commit_parentcount(c); i++) {
			if (nstack == capstack)
				stack = xrealloc(stack, (capstack *= 2) * sizeof *stack);
			stack[nstack++] = *git_commit_parent_id(c, i);
		}
	}
	free(stack);
	topo_order(v, n, &seen);
	map_free(&seen);
	*out = v;
	return n;
}

/* One change of a commit with files both added and deleted, as libgit2's diff gives it or as a
 * pair of the same content makes it (a rename). Paths borrowed. */
struct delta {
	int status; /* git_delta_t */
	const char *old_path, *new_path;
	const unsigned char *old_id;
};

/* An added or deleted file of a commit, by its blob. */
struct by_blob {
	const unsigned char *id; /* the blob it has (added) or had (deleted) */
	size_t k;                /* its index among the commit's changes */
	int added;
};

/* By blob, the deleted before the added, then by position. */
static int
cmp_by_blob(const void *a, const void *b)
{
	const struct by_blob *x = a, *y = b;
	int c = memcmp(x->id, y->id, 20);
	if (c == 0)
		c = x->added - y->added;
	return c != 0 ? c : (x->k > y->k) - (x->k < y->k);
}

/* The exact renames of a commit's changes: a file deleted and one added with the same blob,
 * each the only deleted and the only added file with it, both files (not links). Marks both in
 * paired and puts a RENAMED delta per pair in *ds (allocated here). */
static void
pair_exact(const struct changes *ch, unsigned char *paired, struct delta **ds, size_t *nds)
{
	struct by_blob *v = xcalloc(ch->n + 1, sizeof *v);
	size_t m = 0;
	for (size_t k = 0; k < ch->n; k++) {
		const struct change *c = &ch->v[k];
		if ((c->status == 'A' || c->status == 'D') && c->regular)
			v[m++] = (struct by_blob){c->status == 'A' ? c->new_id : c->old_id, k, c->status == 'A'};
	}
	sort_array(v, m, sizeof *v, cmp_by_blob);
	*ds = xcalloc(m / 2 + 1, sizeof **ds);
	for (size_t i = 0; i < m;) {
		size_t j = i + 1;
		while (j < m && memcmp(v[j].id, v[i].id, 20) == 0)
			j++;
		if (j - i == 2 && !v[i].added && v[i + 1].added) {
			const struct change *x = &ch->v[v[i].k], *y = &ch->v[v[i + 1].k];
			paired[v[i].k] = paired[v[i + 1].k] = 1;
			(*ds)[(*nds)++] = (struct delta){GIT_DELTA_RENAMED, x->path, y->path, x->old_id};
		}
		i = j;
	}
	free(v);
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

/* A child's results: per commit its state, its number of changes, then each change's status,
 * blob ids before and after, and NUL-ended path. */
static int
write_pre(FILE *f, const struct pre *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int32_t st = p[i].state;
		uint32_t k = (uint32_t)p[i].ch.n;
		if (fwrite(&st, sizeof st, 1, f) != 1 || fwrite(&k, sizeof k, 1, f) != 1)
			return -1;
		for (size_t j = 0; j < k; j++)
			if (fputc(p[i].ch.v[j].status, f) == EOF || fputc(p[i].ch.v[j].regular, f) == EOF ||
			    fwrite(p[i].ch.v[j].old_id, 20, 1, f) != 1 ||
			    fwrite(p[i].ch.v[j].new_id, 20, 1, f) != 1 ||

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
			int status = fgetc(f), regular = fgetc(f), c;
			unsigned char ids[40];
			if (fread(ids, 40, 1, f) != 1) {
				rc = -1;
				break;
			}
			buf_reset(&path);
			while ((c = fgetc(f)) != EOF && c != '\0')
				buf_putc(&path, (char)c);
			if (c == EOF || regular == EOF || (status != 'A' && status != 'D' && status != 'M'))
				rc = -1;
			else
				add_change(&p[i].ch, "", buf_str(&path), (char)status, regular, ids, ids + 20);
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
	struct walk w = {h, MAP_INIT, {NULL, 0}};
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
	/* Every commit reachable from head, children always before parents (git log
	 * --topo-order), so that a commit's index is its seq. Collected by hand rather than with a
	 * revwalk, which stops at a shallow clone's missing parents. */
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
		/* .mailmap: an entry with a name hands back its own string, so a changed pointer
		 * says that the name is one the person chose. */
		const char *name = sig->name, *email = sig->email;
		if (mm != NULL && git_mailmap_resolve(&name, &email, mm, sig->name, sig->email) < 0)
			name = sig->name;
		int mapped = name != sig->name;
		char *author = safe_name(name);
		struct met m = {h->commits[ci].id, h->commits[ci].time, ci, author, mapped && *author,
		                translations_unaffected(cm)};
		struct history_event *ev = recent_event(h, m.id, m.time, author, m.mapped, git_commit_message(cm));
		if (pre[ci].state == 1) {
			/* No file both appeared and went: no rename to find. */
			struct changes *ch = &pre[ci].ch;
			for (size_t k = 0; k < ch->n; k++) {
				struct rec *r = map_get(&w.alias, ch->v[k].path);
				if (r == NULL || ch->v[k].status == 'D')
					continue;
				attribute(r, &m);
				if (ch->v[k].status == 'M')
					older_add(&w.olders, r, ch->v[k].path, ch->v[k].old_id, ci);
				event_path(ev, r->f.path);
				if (ch->v[k].status == 'A')
					map_put(&w.alias, ch->v[k].path, NULL); /* before this, no such file */
			}
			free(author);
			continue;
		}
		/* Files added and deleted: renames. Those whose content is the same, a file that went
		 * and one that came with the same blob (each the only one with it), are paired here,
		 * as git pairs them first; libgit2's diff finds which of the rest were renames, where
		 * it reads and compares every blob of every added and deleted file (most of the walk's
		 * time on a history that moved whole folders). Each delta is about a file of its own,
		 * so their order tells only in a recent change's list of pages, which is libgit2's
		 * order: the 50 most recent commits are left to libgit2 whole. */
		struct changes *ch = &pre[ci].ch;
		struct delta *ds = NULL;
		size_t nds = 0;
		unsigned char *paired = xcalloc(ch->n + 1, 1);
		if (ev == NULL)
			pair_exact(ch, paired, &ds, &nds);
		size_t rest = 0, rest_added = 0, rest_deleted = 0;
		for (size_t k = 0; k < ch->n; k++)
			if (!paired[k]) {
				rest++;
				rest_added += ch->v[k].status == 'A';
				rest_deleted += ch->v[k].status == 'D';
			}
		git_diff *diff = NULL;
		if (rest > 0) {
			tree = content_tree(repo, cm, dir);
			if (git_commit_parent(&parent, cm, 0) < 0)
				git_error_clear();
			else
				ptree = content_tree(repo, parent, dir);
			git_diff_options dopts;
			git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
			dopts.flags |= GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
			/* Only the paths the comparison found changed: a diff of the whole trees reads
			 * every folder, which was a third of the walk's time for one commit in 200. */
			char **paths = xcalloc(rest, sizeof *paths);
			for (size_t k = 0, j = 0; k < ch->n; k++)
				if (!paired[k])
					paths[j++] = ch->v[k].path;
			dopts.pathspec = (git_strarray){paths, rest};
			int drc = git_diff_tree_to_tree(&diff, repo, ptree, tree, &dopts);
			free(paths);
			if (drc < 0) {
				free(author);
				free(paired);
				free(ds);
				goto out;
			}
			if (rest_added > 0 && rest_deleted > 0) {
				git_diff_find_options fopts;
				git_diff_find_options_init(&fopts, GIT_DIFF_FIND_OPTIONS_VERSION);
				fopts.flags = GIT_DIFF_FIND_RENAMES;
				git_diff_find_similar(diff, &fopts);
			}
			size_t nd = git_diff_num_deltas(diff);
			ds = xrealloc(ds, (nds + nd + 1) * sizeof *ds);
			for (size_t i = 0; i < nd; i++) {
				const git_diff_delta *d = git_diff_get_delta(diff, i);
				ds[nds++] = (struct delta){d->status, d->old_file.path, d->new_file.path,
				                           d->old_file.id.id};
			}
		}
		free(paired);
		for (size_t i = 0; i < nds; i++) {
			const struct delta *d = &ds[i];
			const char *now = d->new_path;
			struct rec *r;
			switch (d->status) {
			case GIT_DELTA_RENAMED:
				/* Older commits knew the file by its old name. */
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, &m);
					event_path(ev, r->f.path);
					older_add(&w.olders, r, d->old_path, d->old_id, ci);
					map_put(&w.alias, d->old_path, r);
					map_put(&w.alias, now, NULL);
				}
				break;
			case GIT_DELTA_ADDED:
			case GIT_DELTA_COPIED:
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, &m);
					event_path(ev, r->f.path);
					map_put(&w.alias, now, NULL); /* before this, no such file */
				}
				break;
			case GIT_DELTA_MODIFIED:
			case GIT_DELTA_TYPECHANGE:
				if ((r = map_get(&w.alias, now)) != NULL) {
					attribute(r, &m);
					event_path(ev, r->f.path);
					if (d->status == GIT_DELTA_MODIFIED)
						older_add(&w.olders, r, now, d->old_id, ci);
				}
				break;
			default:
				break;
			}
		}
		free(ds);
		free(author);
		git_diff_free(diff);
		git_tree_free(tree);
		git_tree_free(ptree);
		git_commit_free(parent);
		tree = ptree = NULL;
		parent = NULL;
	}
	olders_finish(&w.olders, repo);
	rc = 0;
out:
	for (size_t i = 0; i < w.olders.n; i++)
		free(w.olders.v[i].rel);
	free(w.olders.v);
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

/* ---- the cache: one line a file, fields separated by tabs, contributors by \x1f ----
 * Version 6: commits in walk order (a commit's seq is its line's place among the '@' lines),
 * files naming commits by seq, names marked m (from .mailmap) or -; a last field of earlier
 * names (seq \x1e path \x1e s+slug or -), separated by \x1f. */

#define CACHE_MAGIC "satchel-history 6\n"


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
	buf_puts(&b, CACHE_MAGIC);
	for (size_t i = 0; i < h->nrecent; i++) {
		const struct history_event *e = &h->recent[i];
		buf_printf(&b, "!%s\t%lld\t%c", e->id, (long long)e->time, e->mapped ? 'm' : '-');
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
		buf_printf(&b, "\t%zu\t%zu\t%c", f->commits, f->first.seq, f->first.mapped ? 'm' : '-');
		put_name(&b, f->first.author);
		buf_printf(&b, "\t%zu\t%c", f->last.seq, f->last.mapped ? 'm' : '-');
		put_name(&b, f->last.author);
		buf_putc(&b, '\t');
		for (size_t k = 0; k < f->ncontributors; k++) {
			if (k)
				buf_putc(&b, '\x1f');
			buf_putc(&b, f->mapped[k] ? 'm' : '-');
			put_name(&b, f->contributors[k]);
			buf_printf(&b, "\x1e%zu", h->recs[i]->contribs[k].commits);
		}
		buf_putc(&b, '\t');
		for (size_t k = 0; k < f->nchanges; k++)
			buf_printf(&b, "%s%zu%s", k ? "," : "", f->changes[k].seq,
			           f->changes[k].unaffected ? "u" : "");
		buf_putc(&b, '\t');
		for (size_t k = 0; k < f->nnames; k++) {
			buf_printf(&b, "%s%zu\x1e", k ? "\x1f" : "", f->names[k].seq);
			put_name(&b, f->names[k].path);
			buf_puts(&b, f->names[k].slug ? "\x1es" : "\x1e-");
			if (f->names[k].slug)
				put_name(&b, f->names[k].slug);
		}
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

/* A name field: its m or - mark, then the name. */
static int
cache_name(char *field, const char **name, int *mapped)
{
	if (*field != 'm' && *field != '-')
		return -1;
	*mapped = *field == 'm';
	*name = field + 1;
	return 0;
}

/* A seq field, which must name a commit read above it. */
static int
cache_seq(const struct history *h, const char *field, size_t *seq)
{
	char *end;
	unsigned long long v = strtoull(field, &end, 10);
	if (end == field || v >= h->ncommits)
		return -1;
	*seq = (size_t)v;
	return 0;
}

static void
cache_commit(const struct history *h, struct history_commit *c, size_t seq, const char *author,
             int mapped)
{
	struct met m = {h->commits[seq].id, h->commits[seq].time, seq, author, mapped, 0};
	set_commit(c, &m);
}

static int
load_cache(struct history *h, const char *path)
{
	struct buf b = BUF_INIT;
	if (fs_read_file(path, &b) < 0)
		return -1;
	size_t ml = strlen(CACHE_MAGIC);
	char *text = b.data, *line, *save = NULL;
	int ok = text != NULL && strncmp(text, CACHE_MAGIC, ml) == 0;
	for (line = ok ? strtok_r(text + ml, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '!') {
			char *f[5];
			const char *name;
			int mapped;
			if (split(line + 1, '\t', f, 5) != 5 || strlen(f[0]) != 40 ||
			    cache_name(f[2], &name, &mapped) < 0) {
				ok = 0;
				break;
			}
			struct history_event *e =
			    recent_event(h, f[0], strtoll(f[1], NULL, 10), name, mapped, f[3]);
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
		char *f[9];
		const char *fname, *lname;
		int fmapped, lmapped;
		size_t fseq, lseq;
		if (split(line, '\t', f, 9) != 9 || cache_seq(h, f[2], &fseq) < 0 ||
		    cache_seq(h, f[4], &lseq) < 0 || cache_name(f[3], &fname, &fmapped) < 0 ||
		    cache_name(f[5], &lname, &lmapped) < 0) {
			ok = 0;
			break;
		}
		struct rec *r = add_rec(h, f[0]);
		cache_commit(h, &r->f.first, fseq, fname, fmapped);
		cache_commit(h, &r->f.last, lseq, lname, lmapped);
		r->f.commits = (size_t)strtoull(f[1], NULL, 10);
		for (char *c = f[7]; *c && ok;) {
			char *end;
			size_t seq;
			if (cache_seq(h, c, &seq) < 0) {
				ok = 0;
				break;
			}
			strtoull(c, &end, 10);
			int u = *end == 'u';
			end += u;
			r->f.changes = xrealloc(r->f.changes, (r->f.nchanges + 1) * sizeof *r->f.changes);
			r->f.changes[r->f.nchanges++] = (struct history_change){h->commits[seq].time, seq, u};
			if (*end != ',' && *end != '\0')
				ok = 0;
			c = *end == ',' ? end + 1 : end;
		}
		char *former[1024];
		size_t nf = *f[8] ? split(f[8], '\x1f', former, 1024) : 0;
		for (size_t k = 0; k < nf && ok; k++) {
			char *g[3];
			size_t seq;
			if (split(former[k], '\x1e', g, 3) != 3 || cache_seq(h, g[0], &seq) < 0 ||
			    (*g[2] != 's' && *g[2] != '-')) {
				ok = 0;
				break;
			}
			r->f.names = xrealloc(r->f.names, (r->f.nnames + 1) * sizeof *r->f.names);
			r->f.names[r->f.nnames++] = (struct history_name){
			    xstrdup(g[1]), *g[2] == 's' ? xstrdup(g[2] + 1) : NULL, seq};
		}
		char *names[256];
		size_t nn = *f[6] ? split(f[6], '\x1f', names, 256) : 0;
		for (size_t k = 0; k < nn && ok; k++) {
			char *cnt = strchr(names[k], '\x1e');
			const char *name;
			int mapped;
			if (cnt)
				*cnt++ = '\0';
			if (cache_name(names[k], &name, &mapped) < 0) {
				ok = 0;
				break;
			}
			r->contribs = xrealloc(r->contribs, (r->ncontribs + 1) * sizeof *r->contribs);
			r->contribs[r->ncontribs++] = (struct contrib){
			    xstrdup(name), cnt ? (size_t)strtoull(cnt, NULL, 10) : 1, mapped};
		}
		if (!ok)
			break;
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
