/* linkcheck: every link of a built site's pages, to a file of the output. */
#include "linkcheck.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sanitize.h"
#include "urlbase.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/pool.h"
#include "util/xalloc.h"

struct page_links {
	char *url;      /* the page's URL: "/en/x/" for en/x/index.html */
	char **broken;  /* its broken targets, each once, in the order they came */
	size_t nbroken;
};

struct lc {
	const char *dir;
	char *base;        /* base_url's scheme and host: "https://hub.example.org"; "" for none */
	size_t base_len;
	char *bpath;       /* base_url's path (urlbase.h): "/hub", "" at a host's root */
	struct map skip;   /* "PAGE-URL\nPATH": reported elsewhere */
	struct map files;  /* every file of the output, relative to dir */
	char **html;       /* the pages, in byte order */
	size_t nhtml;
	struct page_links *pages;
	struct map *good; /* per worker: plain paths (plain_path) found, each with 'h' or 'j' after */
};

struct linkcheck {
	struct lc c;
};

static int
collect(const char *rel, void *payload)
{
	struct lc *c = payload;
	map_put(&c->files, rel, c);
	size_t n = strlen(rel);
	if (n > 5 && strcmp(rel + n - 5, ".html") == 0) {
		if ((c->nhtml & (c->nhtml - 1)) == 0)
			c->html = xrealloc(c->html, (c->nhtml ? c->nhtml * 2 : 1) * sizeof *c->html);
		c->html[c->nhtml++] = xstrdup(rel);
	}
	return 0;
}

/* The URL a page file is served at: "en/x/index.html" -> "/en/x/", "404.html" -> "/404.html". */
static char *
page_url(const char *rel)
{
	size_t n = strlen(rel);
	if (n >= 10 && strcmp(rel + n - 10, "index.html") == 0 && (n == 10 || rel[n - 11] == '/'))
		return xasprintf("/%.*s", (int)(n - 10), rel);
	return xasprintf("/%s", rel);
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* The path after the site's host ("/hub/x", "", "?q") as a path from the server's root. */
static void
add_host_path(struct buf *path, const char *rest, size_t n)
{
	if (n == 0 || rest[0] != '/')
		buf_putc(path, '/');
	buf_add(path, rest, n);
}

/* The path from the server's root that url (as the page at page_url links it) names on this
 * host, '.' and '..' resolved, its query and fragment gone and %XX decoded: under the base path
 * ("/hub/en/x/") when it leads into the site; NULL when it leads elsewhere (another host,
 * mailto:, data:) or to the page itself (empty, a fragment alone). The caller frees. */
static char *
resolve(const struct lc *c, const char *page, const char *url, size_t n)
{
	struct buf raw = BUF_INIT, path = BUF_INIT;
	while (n > 0 && is_space(*url))
		url++, n--;
	while (n > 0 && is_space(url[n - 1]))
		n--;
	/* A browser drops tabs and newlines anywhere and reads '\' as '/'. */
	for (size_t i = 0; i < n; i++)
		if (url[i] != '\t' && url[i] != '\n' && url[i] != '\r')
			buf_putc(&raw, url[i] == '\\' ? '/' : url[i]);
	const char *u = buf_str(&raw);
	size_t un = strcspn(u, "?#");
	if (un == 0)
		goto external;
	size_t scheme = 0;
	if ((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z'))
		scheme = strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	if (u[0] == '/' && u[1] == '/') {
		/* //host/path: the site's own when base_url names that host. */
		const char *host = strstr(c->base, "//");
		size_t hn = host ? strlen(host) : 0;
		if (hn == 0 || strncasecmp(u, host, hn) != 0 || (u[hn] != '/' && u[hn] != '\0' &&
		                                                u[hn] != '?' && u[hn] != '#'))
			goto external;
		add_host_path(&path, u + hn, un > hn ? un - hn : 0);
	} else if (scheme > 0 && u[scheme] == ':') {
		if (c->base_len == 0 || strncasecmp(u, c->base, c->base_len) != 0 ||
		    (u[c->base_len] != '/' && u[c->base_len] != '\0' && u[c->base_len] != '?' &&
		     u[c->base_len] != '#'))
			goto external;
		add_host_path(&path, u + c->base_len, un > c->base_len ? un - c->base_len : 0);
	} else if (u[0] == '/') {
		buf_add(&path, u, un);
	} else {
		const char *slash = strrchr(page, '/');
		buf_puts(&path, c->bpath); /* page is a path of the site */
		buf_add(&path, page, (size_t)(slash - page) + 1);
		buf_add(&path, u, un);
	}
	/* %XX decoded, then the segments as a browser reads them: "." dropped, ".." takes the one
	 * before (none above the root); a path ending in "." or ".." names a folder. */
	struct buf dec = BUF_INIT;
	buf_add_percent_decoded(&dec, buf_str(&path), path.len);
	buf_reset(&path);
	buf_putc(&path, '/');
	for (const char *p = buf_str(&dec) + 1;;) {
		size_t k = strcspn(p, "/");
		int last = p[k] == '\0';
		if (k == 2 && p[0] == '.' && p[1] == '.') {
			if (path.len > 1) {
				path.len--;
				while (path.data[path.len - 1] != '/')
					path.len--;
				path.data[path.len] = '\0';
			}
		} else if (k > 0 && !(k == 1 && p[0] == '.')) {
			buf_add(&path, p, k);
			if (!last)
				buf_putc(&path, '/');
		}
		if (last)
			break;
		p += k + 1;
	}
	buf_free(&dec);
	buf_free(&raw);
	return buf_detach(&path);
external:
	buf_free(&raw);
	buf_free(&path);
	return NULL;
}

/* Is there a file of the output at path (n bytes, from /)? A folder's path needs its index.html
 * (or, for the search index, index.json); a path without the last '/' may name a file or a
 * folder the server adds the '/' to. scratch is the caller's. */
static int
exists(const struct lc *c, const char *path, size_t n, const char *index, struct buf *scratch)
{
	buf_reset(scratch);
	buf_add(scratch, path + 1, n - 1);
	if (n == 1 || path[n - 1] == '/') {
		buf_puts(scratch, index);
		return map_get(&c->files, buf_str(scratch)) != NULL;
	}
	if (map_get(&c->files, buf_str(scratch)) != NULL)
		return 1;
	buf_putc(scratch, '/');
	buf_puts(scratch, index);
	return map_get(&c->files, buf_str(scratch)) != NULL;
}

struct page_ctx {
	const struct lc *c;
	struct page_links *pl;
	struct map seen;  /* links of this page already looked at, as written */
	struct map *good; /* the worker's (lc.good): what a plain path names is the same on any page */
	struct buf scratch;
};

/* A path from / that is already what resolve would make of it: the links a theme makes. */
static int
plain_path(const char *u, size_t n)
{
	if (n == 0 || u[0] != '/')
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)u[i];
		if (ch <= ' ' || ch == '?' || ch == '#' || ch == '%' || ch == '\\' ||
		    (ch == '/' && i + 1 < n && (u[i + 1] == '.' || u[i + 1] == '/')))
			return 0;
	}
	return 1;
}

static void
check_one(struct page_ctx *x, const char *url, size_t n, const char *index)
{
	/* A page repeats its links (menus, cards), and pages each other's: each is looked at once
	 * on a page, and a plain path found once is found on every page. */
	struct buf *k = &x->scratch;
	buf_reset(k);
	buf_add(k, url, n);
	buf_putc(k, index[6]); /* 'h' or 'j': the same folder is two targets */
	int plain = plain_path(url, n);
	if (plain && map_get(x->good, buf_str(k)) != NULL)
		return;
	if (map_get(&x->seen, buf_str(k)) != NULL)
		return;
	map_put(&x->seen, buf_str(k), x);
	size_t bl = strlen(x->c->bpath);
	if (plain && n > bl && strncmp(url, x->c->bpath, bl) == 0 && url[bl] == '/') {
		char *key = xstrdup(buf_str(k));
		int found = exists(x->c, url + bl, n - bl, index, k);
		if (found)
			map_put(x->good, key, x->good);
		free(key);
		if (found)
			return;
	}
	char *path = resolve(x->c, x->pl->url, url, n);
	if (path == NULL)
		return;
	/* A path outside the base path ("/en/x/" on a site at /hub/) leads nowhere of the site. */
	const char *in = urlbase_strip(x->c->bpath, path);
	if (in != NULL && exists(x->c, in, strlen(in), index, k)) {
		free(path);
		return;
	}
	buf_reset(k);
	buf_printf(k, "%s\n%s", x->pl->url, path);
	if (map_get(&x->c->skip, buf_str(k)) != NULL) {
		free(path);
		return;
	}
	if (index[6] == 'j' && path[strlen(path) - 1] == '/') {
		char *file = xasprintf("%s%s", path, index); /* what the library's script fetches */
		free(path);
		path = file;
	}
	for (size_t i = 0; i < x->pl->nbroken; i++)
		if (strcmp(x->pl->broken[i], path) == 0) {
			free(path);
			return;
		}
	x->pl->broken = xrealloc(x->pl->broken, (x->pl->nbroken + 1) * sizeof *x->pl->broken);
	x->pl->broken[x->pl->nbroken++] = path;
}

/* srcset: "URL [descriptor], URL [descriptor]…"; a URL may hold commas, a descriptor not. */
static void
check_srcset(struct page_ctx *x, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && (is_space(s[i]) || s[i] == ','))
			i++;
		size_t a = i;
		while (i < n && !is_space(s[i]))
			i++;
		size_t e = i;
		while (e > a && s[e - 1] == ',')
			e--;
		if (e > a)
			check_one(x, s + a, e - a, "index.html");
		while (i < n && s[i] != ',')
			i++;
	}
}

/* The attributes on_attr looks at: san_each_attr_named decodes no other. */
static const char *const link_attrs[] = {"href",        "src",    "action",      "formaction",
                                         "poster",      "data-facets", "data", "data-search",
                                         "srcset",      "imagesrcset", NULL};

static void
on_attr(void *payload, const char *tag, const char *attr, const char *value, size_t n)
{
	struct page_ctx *x = payload;
	if (strcmp(attr, "href") == 0 || strcmp(attr, "src") == 0 || strcmp(attr, "action") == 0 ||
	    strcmp(attr, "formaction") == 0 || strcmp(attr, "poster") == 0 ||
	    strcmp(attr, "data-facets") == 0 || (strcmp(attr, "data") == 0 && strcmp(tag, "object") == 0))
		check_one(x, value, n, "index.html");
	else if (strcmp(attr, "data-search") == 0)
		check_one(x, n > 0 ? value : "./", n > 0 ? n : 2, "index.json"); /* "": the page's folder */
	else if (strcmp(attr, "srcset") == 0 || strcmp(attr, "imagesrcset") == 0)
		check_srcset(x, value, n);
}

static void
page_one(size_t i, int worker, void *payload)
{
	struct lc *c = payload;
	struct page_links *pl = &c->pages[i];
	pl->url = page_url(c->html[i]);
	char *file = fs_join(c->dir, c->html[i]);
	struct buf text = BUF_INIT;
	if (fs_read_file(file, &text) == 0) {
		struct page_ctx x = {c, pl, MAP_INIT, &c->good[worker], BUF_INIT};
		san_each_attr_named(buf_str(&text), text.len, link_attrs, on_attr, &x);
		map_free(&x.seen);
		buf_free(&x.scratch);
	}
	buf_free(&text);
	free(file);
}

struct target {
	size_t first; /* the first page (index) that links to it */
	size_t pages; /* how many do */
};

struct linkcheck *
linkcheck_new(const char *base_url)
{
	struct linkcheck *lc = xcalloc(1, sizeof *lc);
	lc->c.base = urlbase_origin(base_url ? base_url : "/");
	lc->c.base_len = strlen(lc->c.base);
	lc->c.bpath = urlbase_path(base_url ? base_url : "/");
	return lc;
}

void
linkcheck_skip(struct linkcheck *lc, const char *page_url, const char *href)
{
	char *path = resolve(&lc->c, page_url, href, strlen(href));
	if (path == NULL)
		return;
	char *key = xasprintf("%s\n%s", page_url, path);
	map_put(&lc->c.skip, key, lc);
	free(key);
	free(path);
}

size_t
linkcheck_dir(struct linkcheck *lc, const char *dir, int nthreads)
{
	struct lc *cp = &lc->c;
	cp->dir = dir;
	fs_walk(dir, collect, cp);
	cp->pages = xcalloc(cp->nhtml + 1, sizeof *cp->pages);
	int nw = nthreads > 0 ? nthreads : 1;
	cp->good = xcalloc((size_t)nw, sizeof *cp->good);
	pool_run(cp->nhtml, nw, page_one, cp);
	for (int w = 0; w < nw; w++)
		map_free(&cp->good[w]);
	free(cp->good);
	cp->good = NULL;

	/* Each target once, at its first page in URL order, with how many pages link to it. */
	struct map targets = MAP_INIT;
	char **order = NULL;
	size_t ntargets = 0;
	for (size_t i = 0; i < cp->nhtml; i++)
		for (size_t k = 0; k < cp->pages[i].nbroken; k++) {
			const char *t = cp->pages[i].broken[k];
			struct target *tg = map_get(&targets, t);
			if (tg == NULL) {
				tg = xcalloc(1, sizeof *tg);
				tg->first = i;
				map_put(&targets, t, tg);
				order = xrealloc(order, (ntargets + 1) * sizeof *order);
				order[ntargets++] = xstrdup(t);
			}
			tg->pages++;
		}
	for (size_t k = 0; k < ntargets; k++) {
		struct target *tg = map_get(&targets, order[k]);
		const char *at = cp->pages[tg->first].url;
		if (tg->pages > 1)
			diag_problem(at, 0, 0, "broken link to %s (and on %zu other page%s)", order[k],
			             tg->pages - 1, tg->pages == 2 ? "" : "s");
		else
			diag_problem(at, 0, 0, "broken link to %s", order[k]);
		free(tg);
		free(order[k]);
	}
	free(order);
	map_free(&targets);
	for (size_t i = 0; i < cp->nhtml; i++) {
		for (size_t k = 0; k < cp->pages[i].nbroken; k++)
			free(cp->pages[i].broken[k]);
		free(cp->pages[i].broken);
		free(cp->pages[i].url);
		free(cp->html[i]);
	}
	free(cp->pages);
	free(cp->html);
	cp->pages = NULL;
	cp->html = NULL;
	cp->nhtml = 0;
	map_free(&cp->files);
	cp->files = (struct map)MAP_INIT;
	return ntargets;
}

void
linkcheck_free(struct linkcheck *lc)
{
	if (lc == NULL)
		return;
	map_free(&lc->c.skip);
	free(lc->c.base);
	free(lc->c.bpath);
	free(lc);
}
