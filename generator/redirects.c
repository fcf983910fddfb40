/* redirects: front-matter aliases and git's earlier names of pages into redirect pages,
 * _redirects and an nginx map; the checks of who claims which address. */
#include "redirects.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "util/diag.h"
#include "util/map.h"
#include "util/sort.h"
#include "util/xalloc.h"

#define USER_RULES "static/_redirects"

enum claim_kind { CLAIM_ALIAS, CLAIM_HISTORY };

/* Someone's wish that an address lead to a page. */
struct claim {
	char *from;               /* site URL: "/en/old/" */
	const struct page *to;
	enum claim_kind kind;
	size_t seq;               /* history: the commit that left the name (smaller: newer) */
	const char *file;         /* where it was said: the page's file */
	int line, col;            /* an alias's place; 0 for history */
	char *old_path;           /* history: the file's name then, for messages */
	size_t order;             /* input order, for a stable sort */
};

/* A rule of the site's own static/_redirects. */
struct user_rule {
	char *text;   /* the line as written */
	char *from, *to; /* when it is a plain path → path rule (no splat, placeholder or host) */
	char *rest;   /* what follows the target (status, conditions), or "" */
	int line;
};

char *
redirects_alias_url(const char *page_url, const char *alias, const char **why)
{
	size_t n = strlen(alias);
	*why = NULL;
	if (n == 0) {
		*why = "is empty";
		return NULL;
	}
	size_t scheme = strspn(alias, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (strncmp(alias, "//", 2) == 0 || (scheme > 0 && alias[scheme] == ':')) {
		*why = "is an address with a scheme or host; an alias is a path of this site (/old/path/)";
		return NULL;
	}
	for (const unsigned char *c = (const unsigned char *)alias; *c; c++) {
		if (*c == '?' || *c == '#') {
			*why = "has a query or a fragment (? or #); an alias is a path alone";
			return NULL;
		}
		if (*c <= ' ' || *c == 0x7f || *c == '\\' || *c == '%' || *c == '"' || *c == '\'' ||
		    *c == '<' || *c == '>' || *c == '`' || *c == '*' || *c == '$' || *c == ';' ||
		    *c == '{' || *c == '}' || *c == '|' || *c == '^') {
			*why = "holds a space, a control character or one of \\ % \" ' < > ` * $ ; { } | ^; "
			       "write the path as it reads, unencoded";
			return NULL;
		}
	}
	char *path;
	if (alias[0] == '/') {
		path = xstrdup(alias);
	} else {
		/* Relative: from the page's parent, as Hugo resolves it ("/en/guidance/x/" + "old"
		 * → "/en/guidance/old/"). */
		size_t k = strlen(page_url);
		if (k > 0 && page_url[k - 1] == '/')
			k--;
		while (k > 0 && page_url[k - 1] != '/')
			k--;
		path = xasprintf("%.*s%s", (int)k, page_url, alias);
	}
	/* Each segment: not empty, not . or .. (nothing leaves the site or hides where it goes). */
	for (const char *s = path + 1; *s;) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (len == 0 || (len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.')) {
			*why = len == 0 ? "has an empty segment (//)"
			                : "has a . or .. segment; write the path it means";
			free(path);
			return NULL;
		}
		s += len + (e != NULL);
	}
	if (strcmp(path, "/") == 0) {
		*why = "is the site's root, which offers every language";
		free(path);
		return NULL;
	}
	size_t pl = strlen(path);
	if (pl > 11 && strcmp(path + pl - 11, "/index.html") == 0)
		path[(pl -= 10)] = '\0'; /* /old/index.html is /old/ */
	const char *last = strrchr(path, '/') + 1;
	if (path[pl - 1] != '/') {
		const char *dot = strrchr(last, '.');
		if (dot == NULL) {
			char *p = xasprintf("%s/", path);
			free(path);
			path = p;
		} else if (strcmp(dot, ".html") != 0 && strcmp(dot, ".htm") != 0) {
			*why = "ends in a file name other than .html; an alias is a page's path (/old/ or "
			       "/old.html)";
			free(path);
			return NULL;
		}
	}
	return path;
}

/* The rule the chain from rule i ends at, through a map from source to rule index + 1. */
static long
follow(struct map *by_from, const char *const *to, size_t n, size_t i, size_t *end)
{
	long steps = 0;
	size_t cur = i;
	*end = SIZE_MAX;
	for (;;) {
		uintptr_t k = (uintptr_t)map_get(by_from, to[cur]);
		if (k == 0)
			return steps;
		if (k - 1 == i || (size_t)steps >= n)
			return -1; /* back where it started, or round a loop it joined */
		cur = k - 1;
		*end = cur;
		steps++;
	}
}

long
redirects_follow(const char *const *from, const char *const *to, size_t n, size_t i, size_t *end)
{
	struct map m = MAP_INIT;
	for (size_t k = 0; k < n; k++)
		if (map_get(&m, from[k]) == NULL)
			map_put(&m, from[k], (void *)(uintptr_t)(k + 1));
	long r = follow(&m, to, n, i, end);
	map_free(&m);
	return r;
}

static int
cmp_claim(const void *a, const void *b)
{
	const struct claim *x = a, *y = b;
	int c = strcmp(x->from, y->from);
	if (c != 0)
		return c;
	if (x->kind != y->kind)
		return x->kind == CLAIM_ALIAS ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

struct claims {
	struct claim *v;
	size_t n, cap;
};

static void
claim_add(struct claims *c, struct claim cl)
{
	if (c->n == c->cap)
		c->v = xrealloc(c->v, (c->cap = c->cap ? c->cap * 2 : 16) * sizeof *c->v);
	cl.order = c->n;
	c->v[c->n++] = cl;
}

static void
page_aliases(struct claims *c, const struct page *p)
{
	const struct value *av = value_map_get(p->meta, "aliases");
	/* A derived page's front matter is its source's, transliterated: the aliases are the
	 * source's, which redirect to the source. */
	if (av == NULL || av->type == VALUE_NULL || p->derived)
		return;
	if (av->type != VALUE_LIST && av->type != VALUE_STRING) {
		diag_error(p->src, av->line, av->col, "'aliases' must be a list of paths: aliases: [/old/path/]");
		return;
	}
	size_t n = av->type == VALUE_LIST ? av->u.list.len : 1;
	for (size_t i = 0; i < n; i++) {
		const struct value *it = av->type == VALUE_LIST ? av->u.list.items[i] : av;
		const char *why = NULL;
		if (it->type != VALUE_STRING) {
			diag_error(p->src, it->line, it->col, "an alias must be a path (/old/path/)");
			continue;
		}
		char *url = redirects_alias_url(p->url, value_str(it), &why);
		if (url == NULL) {
			diag_error(p->src, it->line, it->col, "alias '%s' %s", value_str(it), why);
			continue;
		}
		if (strcmp(url, p->url) == 0) {
			diag_error(p->src, it->line, it->col,
			           "alias '%s' is this page's own URL: it would redirect to itself (a loop)",
			           value_str(it));
			free(url);
			continue;
		}
		claim_add(c, (struct claim){url, p, CLAIM_ALIAS, 0, p->src, it->line, it->col, NULL, 0});
	}
}

static void
page_history(struct claims *c, const struct site *s, const struct page *p)
{
	const struct history_file *h = p->hist;
	if (h == NULL || p->derived)
		return;
	for (size_t i = 0; i < h->nnames; i++) {
		size_t lang = 0;
		char *url = site_url_of(s->cfg, h->names[i].path, h->names[i].slug, &lang);
		if (url == NULL || strcmp(url, p->url) == 0) {
			free(url);
			continue;
		}
		claim_add(c, (struct claim){url, p, CLAIM_HISTORY, h->names[i].seq, p->src, 0, 0,
		                            xstrdup(h->names[i].path), 0});
	}
}

/* Where a claim was made, for a message: "alias at content/x/index.md:4" or "content/x/index.md
 * (was content/old/index.md)". */
static char *
claim_where(const struct claim *c)
{
	if (c->kind == CLAIM_ALIAS)
		return xasprintf("the alias at %s:%d", c->file, c->line);
	return xasprintf("%s (its old name %s)", c->file, c->old_path);
}

/* The user's static/_redirects, line by line. */
static struct user_rule *
user_rules(struct source *src, size_t *n)
{
	struct buf b = BUF_INIT;
	struct user_rule *v = NULL;
	*n = 0;
	if (src == NULL || source_read(src, USER_RULES, &b) < 0) {
		buf_free(&b);
		return NULL;
	}
	char *text = buf_detach(&b);
	int line = 0;
	for (char *l = text, *next; l != NULL; l = next) {
		line++;
		next = strchr(l, '\n');
		if (next != NULL)
			*next++ = '\0';
		size_t len = strlen(l);
		if (len > 0 && l[len - 1] == '\r')
			l[--len] = '\0';
		if (next == NULL && len == 0)
			break;
		v = xrealloc(v, (*n + 1) * sizeof *v);
		struct user_rule *r = &v[(*n)++];
		*r = (struct user_rule){xstrdup(l), NULL, NULL, NULL, line};
		char *f[3] = {0};
		size_t nf = 0;
		char *p = l;
		while (nf < 2) {
			p += strspn(p, " \t");
			if (*p == '\0' || *p == '#')
				break;
			size_t w = strcspn(p, " \t");
			f[nf++] = xstrndup(p, w);
			p += w;
		}
		p += strspn(p, " \t");
		if (nf == 2 && f[0][0] == '/' && f[1][0] == '/' && strncmp(f[1], "//", 2) != 0 &&
		    strpbrk(f[0], "*:") == NULL && strpbrk(f[1], "*:") == NULL) {
			r->from = f[0];
			r->to = f[1];
			r->rest = xstrdup(p);
		} else {
			free(f[0]);
			free(f[1]);
		}
	}
	free(text);
	return v;
}

/* A URL in a _redirects line: bytes that would end a field or that a URL does not hold raw are
 * percent-encoded (UTF-8 too, as browsers send it). */
static void
put_url(struct buf *b, const char *u)
{
	buf_add_percent_encoded(b, u, "\"%<>\\^`{|}#?'$;\x7f", 1);
}

/* The redirect page at an old address. */
static void
redirect_page(struct buf *b, const struct site *s, const struct catalog *cat, const char *base,
              const char *base_path, const struct page *to)
{
	const struct config_lang *l = &s->cfg->langs[to->lang];
	const char *title = catalog_string(cat, to->lang, "moved_title");
	const char *text = catalog_string(cat, to->lang, "moved_text");
	const char *name = to->title && *to->title ? to->title : to->url;
	char *href = xasprintf("%s%s", base_path, to->url);
	char *canon = *base == '/' || *base == '\0' ? xstrdup(href) : xasprintf("%s%s", base, to->url);
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	buf_add_html_escaped(b, l->code, strlen(l->code));
	buf_puts(b, "\" dir=\"");
	buf_add_html_escaped(b, l->dir, strlen(l->dir));
	buf_puts(b, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	buf_add_html_escaped(b, title ? title : "", title ? strlen(title) : 0);
	buf_puts(b, "</title>\n<meta name=\"robots\" content=\"noindex\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<link rel=\"canonical\" href=\"");
	buf_add_html_escaped(b, canon, strlen(canon));
	buf_puts(b, "\">\n<meta http-equiv=\"refresh\" content=\"0; url=");
	buf_add_html_escaped(b, href, strlen(href));
	buf_puts(b, "\">\n</head>\n<body>\n<main>\n<h1>");
	buf_add_html_escaped(b, title ? title : "", title ? strlen(title) : 0);
	buf_puts(b, "</h1>\n<p>");
	buf_add_html_escaped(b, text ? text : "", text ? strlen(text) : 0);
	buf_puts(b, " <a href=\"");
	buf_add_html_escaped(b, href, strlen(href));
	buf_puts(b, "\">");
	buf_add_html_escaped(b, name, strlen(name));
	buf_puts(b, "</a></p>\n</main>\n</body>\n</html>\n");
	free(href);
	free(canon);
}

/* One rule as written out: host path from → host path to. */
struct rule {
	char *from, *to;
	const char *file; /* for messages */
	int line;
	struct user_rule *user; /* NULL: one of the site's pages' */
};

size_t
redirects_run(const struct site *s, const struct catalog *cat, const struct redirects_io *io)
{
	struct claims c = {0};
	for (size_t i = 0; i < s->npages; i++) {
		page_aliases(&c, s->pages[i]);
		page_history(&c, s, s->pages[i]);
	}
	size_t nuser = 0;
	struct user_rule *user = user_rules(s->src, &nuser);
	/* The site's own file is always taken in here (engine copies no static/_redirects). */
	if (c.n == 0 && (s->src == NULL || !source_exists(s->src, USER_RULES)))
		return 0;
	char *base_path = xstrdup(s->cfg->base_path); /* urlbase.h */
	size_t bl = strlen(s->cfg->base_url);
	char *base = xstrndup(s->cfg->base_url, bl > 0 ? bl - 1 : 0);

	/* Who gets each address: a page or file there wins; then an alias over git's record; of
	 * two old names, the newer. */
	sort_array(c.v, c.n, sizeof *c.v, cmp_claim);
	struct rule *rules = xcalloc(c.n + nuser + 1, sizeof *rules);
	size_t nrules = 0;
	struct map user_from = MAP_INIT;
	for (size_t k = 0; k < nuser; k++)
		if (user[k].from != NULL && map_get(&user_from, user[k].from) == NULL)
			map_put(&user_from, user[k].from, &user[k]);
	for (size_t i = 0; i < c.n;) {
		size_t j = i + 1;
		while (j < c.n && strcmp(c.v[j].from, c.v[i].from) == 0)
			j++;
		struct claim *w = &c.v[i];
		char *host_from = xasprintf("%s%s", base_path, w->from);
		struct user_rule *ur = map_get(&user_from, host_from);
		if (io->live(io->payload, w->from)) {
			for (size_t k = i; k < j; k++) {
				struct claim *x = &c.v[k];
				if (x->kind == CLAIM_ALIAS)
					diag_error(x->file, x->line, x->col, "alias '%s' is the address of a page or "
					           "file of the site, which keeps it", x->from);
				else
					diag_warning(x->file, 0, 0, "its old URL %s (as %s) is another page's now; "
					             "that page keeps it, no redirect", x->from, x->old_path);
			}
		} else if (ur != NULL) {
			char *where = claim_where(w);
			diag_warning(USER_RULES, ur->line, 0, "%s has a rule of its own here; %s is not "
			             "written", host_from, where);
			free(where);
		} else {
			for (size_t k = i + 1; k < j; k++) {
				struct claim *x = &c.v[k];
				if (x->to == w->to)
					continue; /* the same page twice: one redirect */
				char *wa = claim_where(w), *xa = claim_where(x);
				if (w->kind == CLAIM_ALIAS && x->kind == CLAIM_ALIAS)
					diag_error(x->file, x->line, x->col, "alias '%s' is also %s, to %s", x->from,
					           wa, w->to->url);
				else
					diag_warning(x->file, x->line, x->col, "%s: %s claims %s too; it leads to "
					             "%s", xa, wa, x->from, w->to->url);
				free(wa);
				free(xa);
			}
			rules[nrules++] = (struct rule){xstrdup(host_from),
			                                xasprintf("%s%s", base_path, w->to->url), w->file,
			                                w->line, NULL};
		}
		free(host_from);
		i = j;
	}
	size_t nours = nrules;
	for (size_t k = 0; k < nuser; k++)
		if (user[k].from != NULL)
			rules[nrules++] = (struct rule){xstrdup(user[k].from), xstrdup(user[k].to), USER_RULES,
			                                user[k].line, &user[k]};

	/* Chains are written collapsed (A → C), with a warning; a loop is an error. */
	struct map by_from = MAP_INIT;
	const char **from = xcalloc(nrules + 1, sizeof *from), **to = xcalloc(nrules + 1, sizeof *to);
	for (size_t k = 0; k < nrules; k++) {
		from[k] = rules[k].from;
		to[k] = rules[k].to;
		if (map_get(&by_from, from[k]) == NULL)
			map_put(&by_from, from[k], (void *)(uintptr_t)(k + 1));
	}
	char **final = xcalloc(nrules + 1, sizeof *final);
	int *looped = xcalloc(nrules + 1, sizeof *looped);
	for (size_t k = 0; k < nrules; k++) {
		size_t end;
		long steps = follow(&by_from, to, nrules, k, &end);
		if (steps < 0) {
			looped[k] = 1;
			diag_error(rules[k].file, rules[k].line, 0, "redirect loop: %s → %s comes back to "
			           "itself", rules[k].from, rules[k].to);
		} else if (steps > 0) {
			final[k] = xstrdup(to[end]);
			diag_warning(rules[k].file, rules[k].line, 0, "redirect chain: %s → %s is itself "
			             "redirected; written as %s → %s", rules[k].from, rules[k].to,
			             rules[k].from, to[end]);
		}
	}

	/* Pages at the old addresses (ours only: the site's own rules are the server's). */
	size_t pages = 0;
	struct buf b = BUF_INIT;
	for (size_t i = 0, r = 0; i < c.n && r < nours; i++) {
		if (i > 0 && strcmp(c.v[i].from, c.v[i - 1].from) == 0)
			continue;
		char *host_from = xasprintf("%s%s", base_path, c.v[i].from);
		if (strcmp(host_from, rules[r].from) == 0) {
			if (!looped[r]) {
				buf_reset(&b);
				redirect_page(&b, s, cat, base, base_path, c.v[i].to);
				const char *f = c.v[i].from + 1;
				char *rel = f[strlen(f) > 0 ? strlen(f) - 1 : 0] == '/' || *f == '\0'
				                ? xasprintf("%sindex.html", f) : xstrdup(f);
				if (io->write(io->payload, rel, &b) == 0)
					pages++;
				free(rel);
			}
			r++;
		}
		free(host_from);
	}

	/* _redirects: the site's own lines as written (a chain's target collapsed), then ours. */
	buf_reset(&b);
	struct buf ng = BUF_INIT;
	buf_puts(&ng, "# satchel: old addresses of pages -> where they are now. Inside an nginx "
	              "http block:\n#   map $uri $satchel_redirect { include /PATH/TO/"
	              "_redirects.nginx.map; }\n# and in the server block:\n#   if ($satchel_redirect) "
	              "{ return 301 $satchel_redirect; }\n");
	for (size_t k = 0; k < nuser; k++) {
		struct user_rule *u = &user[k];
		size_t ri = SIZE_MAX;
		for (size_t q = nours; q < nrules && ri == SIZE_MAX; q++)
			if (rules[q].user == u)
				ri = q;
		if (ri != SIZE_MAX && (looped[ri] || final[ri] != NULL)) {
			if (looped[ri]) {
				buf_printf(&b, "# %s\n", u->text);
				continue;
			}
			buf_puts(&b, u->from);
			buf_putc(&b, ' ');
			buf_puts(&b, final[ri]);
			buf_printf(&b, "%s%s\n", *u->rest ? " " : "", u->rest);
		} else {
			buf_printf(&b, "%s\n", u->text);
		}
	}
	for (size_t k = 0; k < nours; k++) { /* in address order, as the claims were sorted */
		if (looped[k])
			continue;
		const char *target = final[k] ? final[k] : rules[k].to;
		put_url(&b, rules[k].from);
		buf_putc(&b, ' ');
		put_url(&b, target);
		buf_puts(&b, " 301\n");
		/* nginx's map: the key is compared with $uri, which nginx has decoded, so it stays as it
		 * reads; the value is the Location sent, encoded. */
		buf_add_quoted(&ng, rules[k].from);
		buf_putc(&ng, ' ');
		struct buf enc = BUF_INIT;
		put_url(&enc, target);
		buf_add_quoted(&ng, buf_str(&enc));
		buf_free(&enc);
		buf_puts(&ng, ";\n");
	}
	io->write(io->payload, "_redirects", &b);
	io->write(io->payload, "_redirects.nginx.map", &ng);
	buf_free(&b);
	buf_free(&ng);

	for (size_t k = 0; k < nrules; k++) {
		free(rules[k].from);
		free(rules[k].to);
		free(final[k]);
	}
	free(rules);
	free(final);
	free(looped);
	free(from);
	free(to);
	map_free(&by_from);
	map_free(&user_from);
	for (size_t k = 0; k < nuser; k++) {
		free(user[k].text);
		free(user[k].from);
		free(user[k].to);
		free(user[k].rest);
	}
	free(user);
	for (size_t i = 0; i < c.n; i++) {
		free(c.v[i].from);
		free(c.v[i].old_path);
	}
	free(c.v);
	free(base_path);
	free(base);
	return pages;
}
