/* pack: a built output folder as a zip that works from file:// (pack.h says what is rewritten). */
#include "pack.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "config.h"
#include "sanitize.h"
#include "urlbase.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/map.h"
#include "util/sort.h"
#include "util/suggest.h"
#include "util/text.h"
#include "util/xalloc.h"

struct pk {
	const struct pack_opts *o;
	char *origin;     /* "https://hub.example.org" from base_url; "" when it names no host */
	char *base_path;  /* the path of base_url: "/" or "/hub/" */
	struct map files; /* every file of the output, relative to its folder */
	char **rels;      /* the files the pack holds, in byte order */
	size_t nrels;
};

/* The first segment of rel is a language code of the site: its index, else -1. */
static int
site_lang_of(const struct pk *p, const char *rel)
{
	size_t k = strcspn(rel, "/");
	if (rel[k] != '/')
		return -1;
	for (size_t i = 0; i < p->o->nsite_langs; i++)
		if (strlen(p->o->site_langs[i]) == k && strncmp(rel, p->o->site_langs[i], k) == 0)
			return (int)i;
	return -1;
}

/* The library's data, which becomes a script in the pack: LANG/facets.json, LANG/search/…json. */
static int
is_data(const struct pk *p, const char *rel)
{
	if (site_lang_of(p, rel) < 0 || !text_has_suffix(rel, ".json"))
		return 0;
	const char *rest = strchr(rel, '/') + 1;
	return strcmp(rest, "facets.json") == 0 || strncmp(rest, "search/", 7) == 0;
}

/* Does the pack hold the output's file rel? Its languages' files and the files of no language
 * (style, scripts, static/), but not what serves only online: feeds, the sitemap, robots.txt,
 * the output's marker, the packs themselves (offline/), the editor (admin/, which edits the
 * repository through a server). */
static int
holds(const struct pk *p, const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (strcmp(rel, ".satchel-output") == 0 || strcmp(rel, "robots.txt") == 0 ||
	    strncmp(rel, "offline/", 8) == 0 || strncmp(rel, "admin/", 6) == 0 ||
	    text_has_suffix(rel, ".xml") ||
	    strcmp(base, "feed.json") == 0)
		return 0;
	int l = site_lang_of(p, rel);
	if (l < 0)
		return 1;
	for (size_t i = 0; i < p->o->nlangs; i++)
		if (strcmp(p->o->langs[i], p->o->site_langs[l]) == 0)
			return 1;
	return 0;
}

/* The name of rel in the pack (the caller frees). */
static char *
pack_name(const struct pk *p, const char *rel)
{
	if (is_data(p, rel))
		return xasprintf("%.*s.js", (int)(strlen(rel) - 5), rel);
	return xstrdup(rel);
}

static int
url_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* Adds path to b percent-encoded where a URL needs it (UTF-8 stays as it is). */
static void
add_path(struct buf *b, const char *s)
{
	buf_add_percent_encoded(b, s, "\"#%'<>?\\^`{|}\x7f", 0);
}

/* The URL from the file from (relative to the output) to the file to. */
static void
add_relative(struct buf *b, const char *from, const char *to)
{
	/* The folders both are in. */
	size_t common = 0;
	for (size_t i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	for (const char *s = from + common; (s = strchr(s, '/')) != NULL; s++)
		buf_puts(b, "../");
	add_path(b, to + common);
}

/* Does rel (a path of the output, "" or ending in '/' for a folder) name a file of it? */
static int
names_file(const struct pk *p, const char *rel)
{
	if (*rel != '\0' && !text_has_suffix(rel, "/") && map_get(&p->files, rel))
		return 1;
	char *in = xasprintf("%s%sindex.html", rel, *rel == '\0' || text_has_suffix(rel, "/") ? "" : "/");
	int found = map_get(&p->files, in) != NULL;
	free(in);
	return found;
}

/* What url (as written in the file from) becomes in the pack: the new URL (the caller frees),
 * or NULL to keep it as it is (another site's, a fragment, a scheme such as mailto:).
 * folder: the URL names a folder whose file is index (data-search), not index.html. */
static char *
rewrite(const struct pk *p, const char *from, const char *url, size_t n, const char *index)
{
	while (n > 0 && url_space(*url))
		url++, n--;
	while (n > 0 && url_space(url[n - 1]))
		n--;
	size_t un = 0;
	while (un < n && url[un] != '?' && url[un] != '#')
		un++;
	if (un == 0)
		return NULL;
	struct buf path = BUF_INIT, dec = BUF_INIT, out = BUF_INIT;
	char *ret = NULL;
	int absolute = 1; /* written from the root or with the site's address */
	size_t scheme = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	size_t on = strlen(p->origin);
	if (un >= 2 && url[0] == '/' && url[1] == '/') {
		const char *host = strstr(p->origin, "//");
		size_t hn = host ? strlen(host) : 0;
		if (hn == 0 || un < hn || strncasecmp(url, host, hn) != 0 || (un > hn && url[hn] != '/'))
			goto out;
		buf_add(&path, url + hn, un - hn);
	} else if (scheme > 0 && scheme < un && url[scheme] == ':') {
		if (on == 0 || un < on || strncasecmp(url, p->origin, on) != 0 ||
		    (un > on && url[on] != '/'))
			goto out;
		buf_add(&path, url + on, un - on);
	} else if (url[0] == '/') {
		buf_add(&path, url, un);
	} else {
		absolute = 0;
		const char *slash = strrchr(from, '/');
		buf_putc(&path, '/');
		buf_puts(&path, p->base_path + 1);
		if (slash)
			buf_add(&path, from, (size_t)(slash - from) + 1);
		buf_add(&path, url, un);
	}
	if (path.len == 0)
		buf_putc(&path, '/');
	/* %XX decoded, "." and ".." resolved as a browser does. */
	buf_add_percent_decoded(&dec, buf_str(&path), path.len);
	buf_reset(&path);
	const char *d = buf_str(&dec);
	if (d[0] != '/')
		goto out;
	for (const char *s = d + 1;;) {
		size_t k = strcspn(s, "/");
		int last = s[k] == '\0';
		if (k == 1 && s[0] == '.') {
			/* nothing */
		} else if (k == 2 && s[0] == '.' && s[1] == '.') {
			while (path.len > 0 && path.data[path.len - 1] != '/')
				path.len--;
			if (path.len > 0)
				path.len--;
			while (path.len > 0 && path.data[path.len - 1] != '/')
				path.len--;
			path.data[path.len] = '\0';
		} else {
			buf_add(&path, s, k);
			if (!last)
				buf_putc(&path, '/');
		}
		if (last)
			break;
		s += k + 1;
	}
	/* path is now relative to the domain's root, without its leading '/'. */
	const char *bp = p->base_path + 1;
	size_t bpn = strlen(bp);
	const char *rel = buf_str(&path);
	if (strncmp(rel, bp, bpn) == 0) {
		rel += bpn;
	} else if (absolute && on > 0 && !names_file(p, rel)) {
		/* On the domain but outside the site: there, online. */
		buf_puts(&out, p->origin);
		buf_putc(&out, '/');
		add_path(&out, rel);
		buf_add(&out, url + un, n - un);
		ret = buf_detach(&out);
		goto out;
	} else if (!absolute || !names_file(p, rel)) {
		goto out;
	}
	/* else a path from the root without the base path, to a file of the output (a build that
	 * wrote no base path into its URLs): the site's all the same. */
	int folder = *rel == '\0' || rel[strlen(rel) - 1] == '/';
	char *target = folder ? xasprintf("%s%s", rel, index ? index : "index.html")
	                      : xstrdup(rel);
	if (!folder && map_get(&p->files, target) == NULL) {
		char *in = xasprintf("%s/%s", rel, index ? index : "index.html");
		if (map_get(&p->files, in) != NULL) {
			free(target);
			target = in;
		} else {
			free(in);
		}
	}
	const char *suffix = url + un;
	if (map_get(&p->files, target) != NULL && holds(p, target)) {
		char *name = pack_name(p, target);
		add_relative(&out, from, name);
		free(name);
		/* A query stays (the library's ?q=); a file's own version query does not matter. */
		buf_add(&out, suffix, n - un);
		ret = buf_detach(&out);
	} else if (absolute && on > 0) {
		/* Not in the pack: the site online. */
		buf_puts(&out, p->origin);
		buf_putc(&out, '/');
		add_path(&out, buf_str(&path));
		buf_add(&out, suffix, n - un);
		ret = buf_detach(&out);
	} else if (absolute) {
		/* No address to send it to: a relative URL that leads nowhere offline. */
		add_relative(&out, from, target);
		buf_add(&out, suffix, n - un);
		ret = buf_detach(&out);
	}
	free(target);
out:
	buf_free(&path);
	buf_free(&dec);
	buf_free(&out);
	return ret;
}

/* srcset: "url [descriptor], url [descriptor]…" with each URL rewritten. */
static char *
rewrite_srcset(const struct pk *p, const char *from, const char *v, size_t n)
{
	struct buf out = BUF_INIT;
	size_t i = 0;
	int changed = 0;
	while (i < n) {
		while (i < n && (url_space(v[i]) || v[i] == ','))
			i++;
		if (i >= n)
			break;
		size_t a = i;
		while (i < n && !url_space(v[i]))
			i++;
		size_t e = i;
		int comma = e > a && v[e - 1] == ',';
		if (comma)
			e--;
		size_t da = i;
		if (!comma)
			while (i < n && v[i] != ',')
				i++;
		if (out.len)
			buf_puts(&out, ", ");
		char *u = rewrite(p, from, v + a, e - a, NULL);
		if (u) {
			buf_puts(&out, u);
			changed = 1;
			free(u);
		} else {
			buf_add(&out, v + a, e - a);
		}
		size_t de = i;
		while (da < de && url_space(v[da]))
			da++;
		while (de > da && url_space(v[de - 1]))
			de--;
		if (de > da) {
			buf_putc(&out, ' ');
			buf_add(&out, v + da, de - da);
		}
	}
	if (!changed) {
		buf_free(&out);
		return NULL;
	}
	return buf_detach(&out);
}

/* One edit of a file: bytes [at, end) become text. */
struct edit {
	size_t at, end;
	char *text;
};

struct edits {
	struct edit *v;
	size_t n, cap;
};

static void
edit_add(struct edits *e, size_t at, size_t end, char *text)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->v = xrealloc(e->v, e->cap * sizeof *e->v);
	}
	e->v[e->n++] = (struct edit){at, end, text};
}

static int
cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at ? 1 : x->end < y->end ? -1 : x->end > y->end;
}

static char *
apply_edits(const char *s, size_t n, struct edits *e, size_t *out_len)
{
	struct buf out = BUF_INIT;
	sort_array(e->v, e->n, sizeof *e->v, cmp_edit);
	size_t at = 0;
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i].at < at)
			continue; /* overlapping: cannot be, but never write twice */
		buf_add(&out, s + at, e->v[i].at - at);
		buf_puts(&out, e->v[i].text);
		at = e->v[i].end;
	}
	buf_add(&out, s + at, n - at);
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
	*out_len = out.len;
	return buf_detach(&out);
}

struct html_ctx {
	const struct pk *p;
	const char *from;
	const char *src; /* the page */
	struct edits ed;
	size_t tag_at;
	int refresh;     /* the tag is <meta http-equiv=refresh> */
	size_t content_at, content_len; /* its content attribute, when seen */
	const char *content;
	char *content_copy;
	int track;       /* the tag is a <track> */
	int keep;        /* data-pack-online: its URLs stay as written (the page online) */
	/* data-pack="online" (hidden in a pack) or "offline" (shown there): 1, 2; and where the
	 * tag's hidden attribute is, and where its last attribute ends. */
	int pack_mark;
	size_t hidden_at, hidden_end, last_end;
};

/* The value written back in place of attribute a's: quoted and escaped. */
static void
replace_value(struct html_ctx *c, const struct san_attr *a, const char *v)
{
	struct buf b = BUF_INIT;
	if (!a->quoted)
		buf_putc(&b, '"');
	buf_add_html_escaped(&b, v, strlen(v));
	if (!a->quoted)
		buf_putc(&b, '"');
	edit_add(&c->ed, a->value_at, a->value_at + a->value_len, buf_detach(&b));
}

/* A caption file of the pack as a data: URL (base64), or NULL. */
static char *
data_url(const struct pk *p, const char *from, const char *url)
{
	char *rel = rewrite(p, from, url, strlen(url), NULL);
	if (rel == NULL || strchr(rel, ':') != NULL || strchr(rel, '?') || strchr(rel, '#')) {
		free(rel);
		return NULL;
	}
	/* rel is relative to from's folder; back to a path of the output. */
	struct buf path = BUF_INIT, dec = BUF_INIT, file = BUF_INIT;
	const char *slash = strrchr(from, '/');
	if (slash)
		buf_add(&path, from, (size_t)(slash - from) + 1);
	buf_puts(&path, rel);
	free(rel);
	buf_add_percent_decoded(&dec, buf_str(&path), path.len);
	/* resolve ../ */
	struct buf norm = BUF_INIT;
	for (const char *s = buf_str(&dec);;) {
		size_t k = strcspn(s, "/");
		if (k == 2 && s[0] == '.' && s[1] == '.') {
			if (norm.len > 0)
				norm.len--;
			while (norm.len > 0 && norm.data[norm.len - 1] != '/')
				norm.len--;
			if (norm.data)
				norm.data[norm.len] = '\0';
		} else {
			buf_add(&norm, s, k);
			if (s[k])
				buf_putc(&norm, '/');
		}
		if (!s[k])
			break;
		s += k + 1;
	}
	char *ret = NULL;
	char *full = fs_join(p->o->dir, buf_str(&norm));
	if (map_get(&p->files, buf_str(&norm)) && fs_read_file(full, &file) == 0 &&
	    file.len < 4u << 20) {
		static const char b64[] =
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		struct buf out = BUF_INIT;
		buf_puts(&out, "data:text/vtt;base64,");
		const unsigned char *u = (const unsigned char *)buf_str(&file);
		for (size_t i = 0; i < file.len; i += 3) {
			unsigned v = (unsigned)u[i] << 16 | (i + 1 < file.len ? u[i + 1] << 8 : 0) |
			             (i + 2 < file.len ? u[i + 2] : 0);
			char q[4] = {b64[v >> 18 & 63], b64[v >> 12 & 63],
			             i + 1 < file.len ? b64[v >> 6 & 63] : '=',
			             i + 2 < file.len ? b64[v & 63] : '='};
			buf_add(&out, q, 4);
		}
		ret = buf_detach(&out);
	}
	free(full);
	buf_free(&path);
	buf_free(&dec);
	buf_free(&norm);
	buf_free(&file);
	return ret;
}

static void
flush_tag(struct html_ctx *c)
{
	if (c->refresh && c->content_copy) {
		/* "5; url=/en/": the URL after "url=". */
		const char *v = c->content_copy, *u = strcasestr(v, "url=");
		if (u) {
			u += 4;
			size_t un = strlen(u);
			int q = un >= 2 && (u[0] == '\'' || u[0] == '"') && u[un - 1] == u[0];
			char *nu = rewrite(c->p, c->from, u + q, un - 2 * (size_t)q, NULL);
			if (nu) {
				struct buf b = BUF_INIT;
				buf_add(&b, v, (size_t)(u - v));
				buf_puts(&b, nu);
				struct buf esc = BUF_INIT;
				buf_add_html_escaped(&esc, buf_str(&b), b.len);
				edit_add(&c->ed, c->content_at, c->content_at + c->content_len,
				         buf_detach(&esc));
				buf_free(&b);
				free(nu);
			}
		}
	}
	if (c->pack_mark == 1 && c->hidden_end == 0)
		edit_add(&c->ed, c->last_end, c->last_end, xstrdup(" hidden"));
	if (c->pack_mark == 2 && c->hidden_end != 0) {
		while (c->hidden_at > 0 && url_space(c->src[c->hidden_at - 1]))
			c->hidden_at--; /* the space before it too */
		edit_add(&c->ed, c->hidden_at, c->hidden_end, xstrdup(""));
	}
	free(c->content_copy);
	c->content_copy = NULL;
	c->refresh = 0;
	c->track = 0;
	c->keep = 0;
	c->pack_mark = 0;
	c->hidden_at = c->hidden_end = c->last_end = 0;
}

static int
is_url_attr(const char *tag, const char *attr)
{
	static const char *const names[] = {"href", "src", "poster", "action", "formaction", "cite",
	                                    "background", "longdesc", "manifest", NULL};
	for (size_t i = 0; names[i]; i++)
		if (strcmp(attr, names[i]) == 0)
			return 1;
	return strcmp(tag, "object") == 0 && strcmp(attr, "data") == 0;
}

static void
on_attr(void *payload, const struct san_attr *a)
{
	struct html_ctx *c = payload;
	if (a->tag_at != c->tag_at) {
		flush_tag(c);
		c->tag_at = a->tag_at;
		c->track = strcmp(a->tag, "track") == 0;
	}
	c->last_end = a->end;
	if (strcmp(a->name, "hidden") == 0) {
		c->hidden_at = a->at;
		c->hidden_end = a->end;
	} else if (strcmp(a->name, "data-pack-online") == 0) {
		c->keep = 1;
	} else if (strcmp(a->name, "data-pack") == 0) {
		c->pack_mark = strcmp(a->value, "online") == 0 ? 1 : strcmp(a->value, "offline") == 0 ? 2 : 0;
	}
	if (!a->has_value)
		return;
	char *nv = NULL;
	if (c->keep && (strcmp(a->name, "href") == 0 || strcmp(a->name, "src") == 0)) {
		/* data-pack-online before href: kept as written */
	} else if (c->track && strcmp(a->name, "src") == 0) {
		nv = data_url(c->p, c->from, a->value);
		if (nv == NULL)
			nv = rewrite(c->p, c->from, a->value, a->value_dlen, NULL);
	} else if (is_url_attr(a->tag, a->name) || strcmp(a->name, "data-facets") == 0) {
		nv = rewrite(c->p, c->from, a->value, a->value_dlen, NULL);
	} else if (strcmp(a->name, "data-search") == 0) {
		nv = rewrite(c->p, c->from, a->value, a->value_dlen, "index.json");
	} else if (strcmp(a->name, "srcset") == 0 || strcmp(a->name, "imagesrcset") == 0) {
		nv = rewrite_srcset(c->p, c->from, a->value, a->value_dlen);
	} else if (strcmp(a->tag, "meta") == 0 && strcmp(a->name, "http-equiv") == 0 &&
	           strcasecmp(a->value, "refresh") == 0) {
		c->refresh = 1;
	} else if (strcmp(a->tag, "meta") == 0 && strcmp(a->name, "content") == 0) {
		free(c->content_copy);
		c->content_copy = xstrdup(a->value);
		c->content_at = a->value_at;
		c->content_len = a->value_len;
	}
	if (nv) {
		replace_value(c, a, nv);
		free(nv);
	}
}

/* s with what each <span data-pack-size="CODE">…</span> holds replaced: the size of CODE's
 * pack (codes[k], or "all" for sizes[ncodes]) from sizes, or nothing when sizes is NULL. The
 * "Use offline" page is made with the spans empty; an incremental build keeps the last build's
 * page, sizes in, so both the pack's copy (empty) and the online page (this build's sizes) are
 * made from whatever the spans hold. */
static void
put_pack_sizes(struct buf *out, const char *s, const char *const *codes, size_t ncodes,
               const uint64_t *sizes)
{
	static const char mark[] = "<span data-pack-size=\"";
	const char *at;
	while ((at = strstr(s, mark)) != NULL) {
		const char *code = at + sizeof mark - 1, *q = strchr(code, '"');
		const char *end = q != NULL && q[1] == '>' ? strstr(q + 2, "</span>") : NULL;
		if (end == NULL)
			break;
		buf_add(out, s, (size_t)(q + 2 - s));
		size_t n = (size_t)(q - code), k = 0;
		while (k < ncodes && (strlen(codes[k]) != n || strncmp(codes[k], code, n) != 0))
			k++;
		if (sizes != NULL && (k < ncodes || (n == 3 && strncmp(code, "all", 3) == 0))) {
			char *t = pack_size_text(sizes[k]);
			buf_puts(out, t);
			free(t);
		}
		s = end;
	}
	buf_puts(out, s);
}

/* An HTML file of the output as it goes into the pack. */
static char *
pack_html(const struct pk *p, const char *rel, const char *s, size_t n, size_t *len)
{
	struct html_ctx c = {.p = p, .from = rel, .src = s, .tag_at = (size_t)-1};
	san_each_attr_at(s, n, on_attr, &c);
	flush_tag(&c);
	char *out = apply_edits(s, n, &c.ed, len);
	if (strstr(out, "<span data-pack-size=\"") == NULL)
		return out;
	struct buf b = BUF_INIT; /* a "Use offline" page: the pack holds it without sizes */
	put_pack_sizes(&b, out, NULL, 0, NULL);
	free(out);
	*len = b.len;
	return buf_detach(&b);
}

/* A style sheet: each url(…) rewritten. */
static char *
pack_css(const struct pk *p, const char *rel, const char *s, size_t n, size_t *len)
{
	struct edits ed = {0};
	for (size_t i = 0; i + 4 <= n; i++) {
		if (strncasecmp(s + i, "url(", 4) != 0)
			continue;
		size_t a = i + 4;
		while (a < n && url_space(s[a]))
			a++;
		char q = a < n && (s[a] == '"' || s[a] == '\'') ? s[a] : 0;
		size_t b = q ? a + 1 : a, e = b;
		while (e < n && (q ? s[e] != q : s[e] != ')'))
			e++;
		if (e >= n)
			break;
		char *nu = rewrite(p, rel, s + b, e - b, NULL);
		if (nu && !strpbrk(nu, "\"')\\")) {
			edit_add(&ed, b, e, nu);
		} else {
			free(nu);
		}
		i = e;
	}
	return apply_edits(s, n, &ed, len);
}

/* Library data: every JSON string that is a URL of the site, made relative to the data file
 * (search.js and library.js read them against it), then wrapped in a script that gives the
 * data to the page: satchelPack[the script's own URL]. */
static char *
pack_data(const struct pk *p, const char *rel, const char *s, size_t n, size_t *len)
{
	struct edits ed = {0};
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		size_t a = i + 1, e = a;
		int esc = 0;
		while (e < n && s[e] != '"') {
			if (s[e] == '\\') {
				esc = 1;
				e++;
			}
			e++;
		}
		if (e >= n)
			break;
		if (!esc && e > a && s[a] == '/' && (e - a < 2 || s[a + 1] != '/')) {
			char *nu = rewrite(p, rel, s + a, e - a, NULL);
			if (nu) {
				struct buf b = BUF_INIT;
				buf_add_json_escaped(&b, nu, strlen(nu));
				free(nu);
				edit_add(&ed, a, e, buf_detach(&b));
			}
		}
		i = e;
	}
	size_t jn;
	char *json = apply_edits(s, n, &ed, &jn);
	while (jn > 0 && (json[jn - 1] == '\n' || json[jn - 1] == ' '))
		jn--;
	struct buf out = BUF_INIT;
	buf_puts(&out, "(self.satchelPack=self.satchelPack||{})[document.currentScript.src]=");
	buf_add(&out, json, jn);
	buf_puts(&out, ";\n");
	free(json);
	*len = out.len;
	return buf_detach(&out);
}

static int
collect(const char *rel, void *payload)
{
	struct pk *p = payload;
	map_put(&p->files, rel, p);
	if (!holds(p, rel))
		return 0;
	if ((p->nrels & (p->nrels - 1)) == 0)
		p->rels = xrealloc(p->rels, (p->nrels ? p->nrels * 2 : 1) * sizeof *p->rels);
	p->rels[p->nrels++] = xstrdup(rel);
	return 0;
}

struct entry {
	char *name; /* in the zip */
	char *rel;  /* in the output */
};

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Formats whose bytes are compressed already: stored, not deflated again. */
static int
compressed(const char *name)
{
	static const char *const ext[] = {".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif",
	                                  ".mp4", ".webm", ".mp3", ".ogg", ".m4a", ".zip",
	                                  ".gz", ".woff2", ".woff", ".pdf", ".docx", ".xlsx",
	                                  ".pptx", ".odt", ".epub", NULL};
	for (size_t i = 0; ext[i]; i++)
		if (text_has_suffix(name, ext[i]))
			return 1;
	return 0;
}

/* A text file of the output, rewritten when libzip asks for its size (which it needs to write
 * the entry without Zip64 fields) and again when it opens it to write it, freed after each: one
 * file in memory at a time, however big the site (libzip asks every entry's size before it
 * writes the first: keeping them made the bench corpus's pack hold 1.1 GB). */
struct lazy {
	const struct pk *p;
	char *rel, *full;
	char *data;
	size_t len, off;
	zip_error_t err;
};

static zip_int64_t
lazy_source(void *payload, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct lazy *z = payload;
	switch (cmd) {
	case ZIP_SOURCE_OPEN:
	case ZIP_SOURCE_STAT: {
		if (z->data != NULL)
			goto made;
		struct buf in = BUF_INIT;
		if (fs_read_file(z->full, &in) < 0) {
			zip_error_set(&z->err, ZIP_ER_READ, errno);
			buf_free(&in);
			return -1;
		}
		const char *rel = z->rel;
		z->data = text_has_suffix(rel, ".html") ? pack_html(z->p, rel, buf_str(&in), in.len, &z->len)
		          : text_has_suffix(rel, ".css") ? pack_css(z->p, rel, buf_str(&in), in.len, &z->len)
		                                    : pack_data(z->p, rel, buf_str(&in), in.len, &z->len);
		buf_free(&in);
	made:
		z->off = 0;
		if (cmd == ZIP_SOURCE_OPEN)
			return 0;
		zip_stat_t *st = data;
		zip_stat_init(st); /* the date is set on the entry */
		st->size = z->len;
		free(z->data);
		z->data = NULL;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	}
	case ZIP_SOURCE_READ: {
		size_t n = z->len - z->off < len ? z->len - z->off : (size_t)len;
		memcpy(data, z->data + z->off, n);
		z->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		free(z->data);
		z->data = NULL;
		return 0;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&z->err, data, len);
	case ZIP_SOURCE_FREE:
		free(z->data);
		free(z->rel);
		free(z->full);
		zip_error_fini(&z->err);
		free(z);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
		                                      ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE,
		                                      -1);
	default:
		zip_error_set(&z->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static void
zip_problem(const char *path, zip_error_t *ze)
{
	diag_error(path, 0, 0, "cannot write the pack: %s", zip_error_strerror(ze));
}

int
pack_write(const struct pack_opts *o, uint64_t *size)
{
	struct pk p = {.o = o, .files = MAP_INIT};
	int rc = -1;
	zip_t *za = NULL;
	struct entry *ents = NULL;
	size_t nents = 0;

	/* base_url's origin and path (urlbase.h): "https://h.org/hub/" -> "https://h.org", "/hub/". */
	const char *bu = o->base_url ? o->base_url : "/";
	p.origin = urlbase_origin(bu);
	char *bp = urlbase_path(bu);
	p.base_path = xasprintf("%s/", bp);
	free(bp);
	if (!fs_is_dir(o->dir)) {
		diag_error(o->dir, 0, 0, "no built site here (run satchel build first)");
		goto out;
	}
	fs_walk(o->dir, collect, &p);
	if (p.nrels == 0) {
		diag_error(o->dir, 0, 0, "nothing to pack");
		goto out;
	}
	ents = xcalloc(p.nrels, sizeof *ents);
	for (size_t i = 0; i < p.nrels; i++) {
		if (!fs_path_is_safe(p.rels[i]))
			continue;
		ents[nents].rel = p.rels[i];
		ents[nents].name = pack_name(&p, p.rels[i]);
		nents++;
	}
	sort_array(ents, nents, sizeof *ents, cmp_entry);

	int zerr = 0;
	za = zip_open(o->zip_path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
	if (za == NULL) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		zip_problem(o->zip_path, &ze);
		zip_error_fini(&ze);
		goto out;
	}
	for (size_t i = 0; i < nents; i++) {
		const char *rel = ents[i].rel;
		char *full = fs_join(o->dir, rel);
		zip_source_t *src = NULL;
		int text = text_has_suffix(rel, ".html") || text_has_suffix(rel, ".css") || is_data(&p, rel);
		if (text) {
			struct lazy *z = xcalloc(1, sizeof *z);
			z->p = &p;
			z->rel = xstrdup(rel);
			z->full = full;
			full = NULL;
			zip_error_init(&z->err);
			src = zip_source_function(za, lazy_source, z);
			if (src == NULL) {
				free(z->rel);
				free(z->full);
				free(z);
			}
		} else {
			src = zip_source_file(za, full, 0, -1);
		}
		free(full);
		zip_int64_t idx = src ? zip_file_add(za, ents[i].name, src, ZIP_FL_ENC_UTF_8) : -1;
		if (idx < 0) {
			if (src)
				zip_source_free(src);
			zip_problem(o->zip_path, zip_get_error(za));
			goto fail;
		}
		/* 1980-01-01 00:00, the first date a zip can hold; rw-r--r--. */
		if (zip_file_set_dostime(za, (zip_uint64_t)idx, 0, (1 << 5) | 1, 0) < 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
		                                     (zip_uint32_t)0100644 << 16) < 0 ||
		    zip_set_file_compression(za, (zip_uint64_t)idx,
		                             compressed(ents[i].name) ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
		                             9) < 0) {
			zip_problem(o->zip_path, zip_get_error(za));
			goto fail;
		}
	}
	if (zip_close(za) < 0) {
		zip_problem(o->zip_path, zip_get_error(za));
		goto fail;
	}
	za = NULL;
	if (size) {
		FILE *f = fopen(o->zip_path, "rb");
		*size = 0;
		if (f && fseek(f, 0, SEEK_END) == 0)
			*size = (uint64_t)ftell(f);
		if (f)
			fclose(f);
	}
	rc = 0;
	goto out;
fail:
	if (za)
		zip_discard(za);
	za = NULL;
out:
	for (size_t i = 0; i < nents; i++)
		free(ents[i].name);
	free(ents);
	for (size_t i = 0; i < p.nrels; i++)
		free(p.rels[i]);
	free(p.rels);
	map_free(&p.files);
	free(p.origin);
	free(p.base_path);
	return rc;
}

char *
pack_file_name(const char *lang)
{
	return xasprintf("offline-%s.zip", lang ? lang : "all");
}

char *
pack_size_text(uint64_t size)
{
	if (size < 1000 * 1000)
		return xasprintf("%llu KB", (unsigned long long)((size + 999) / 1000));
	double mb = (double)size / 1e6;
	if (mb < 100)
		return xasprintf("%.1f MB", mb);
	return xasprintf("%.0f MB", mb);
}

int
pack_build(const char *dir, const struct config *cfg, int check)
{
	const char **all = xcalloc(cfg->nlangs + 1, sizeof *all);
	uint64_t *sizes = xcalloc(cfg->nlangs + 1, sizeof *sizes);
	char *odir = fs_join(dir, "offline");
	int rc = -1;
	for (size_t i = 0; i < cfg->nlangs; i++)
		all[i] = cfg->langs[i].code;
	if (fs_mkdir_p(odir) < 0) {
		diag_error(odir, 0, 0, "cannot make the folder: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i <= cfg->nlangs; i++) {
		if (i == cfg->nlangs && cfg->nlangs < 2)
			break;
		char *name = pack_file_name(i < cfg->nlangs ? all[i] : NULL);
		char *path = fs_join(odir, name);
		struct pack_opts po = {dir, cfg->base_url, all, cfg->nlangs,
		                       i < cfg->nlangs ? &all[i] : all, i < cfg->nlangs ? 1 : cfg->nlangs,
		                       path};
		int r = check ? fs_write_file(path, "", 0) : pack_write(&po, &sizes[i]);
		free(name);
		free(path);
		if (r < 0)
			goto out;
	}
	/* The sizes into every "Use offline" page (the packs hold it without them). */
	for (size_t l = 0; l < cfg->nlangs && !check; l++) {
		char *page = xasprintf("%s/%s/offline/index.html", dir, all[l]);
		struct buf in = BUF_INIT, out = BUF_INIT;
		if (fs_read_file(page, &in) == 0) {
			put_pack_sizes(&out, buf_str(&in), all, cfg->nlangs, sizes);
			if (fs_write_file(page, out.data, out.len) < 0) {
				diag_error(page, 0, 0, "cannot write: %s", strerror(errno));
				free(page);
				buf_free(&in);
				buf_free(&out);
				goto out;
			}
		}
		free(page);
		buf_free(&in);
		buf_free(&out);
	}
	rc = 0;
out:
	free(odir);
	free(all);
	free(sizes);
	return rc;
}

int
pack_run(const struct pack_run_opts *o)
{
	const char *site = o->site_dir ? o->site_dir : ".";
	struct config *cfg = NULL;
	struct buf text = BUF_INIT;
	char *yaml = fs_join(site, "site.yaml");
	char *from = o->from ? xstrdup(o->from) : fs_join(site, "public");
	const char **all = NULL, **want = NULL;
	size_t nwant = 0;
	int rc = 1;
	if (fs_read_file(yaml, &text) < 0) {
		diag_error(yaml, 0, 0, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (config_load(yaml, buf_str(&text), text.len, &cfg) < 0)
		goto out;
	all = xcalloc(cfg->nlangs + 1, sizeof *all);
	for (size_t i = 0; i < cfg->nlangs; i++)
		all[i] = cfg->langs[i].code;
	for (size_t i = 0; i < o->nlangs; i++) {
		if (config_lang(cfg, o->langs[i]) != NULL)
			continue;
		const char *best = suggest_closest(o->langs[i], all);
		fprintf(stderr, "satchel: pack: the site has no language '%s'%s%s%s (it has:",
		        o->langs[i], best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		for (size_t k = 0; k < cfg->nlangs; k++)
			fprintf(stderr, " %s", all[k]);
		fputs(")\n", stderr);
		rc = 2;
		goto out;
	}
	if (!fs_exists(from) || !fs_is_dir(from)) {
		diag_error(from, 0, 0, "no built site here: run satchel build first (or name it with --from)");
		goto out;
	}
	struct pack_opts po = {from, cfg->base_url, all, cfg->nlangs, NULL, 0, NULL};
	const char *out = o->out ? o->out : ".";
	uint64_t size = 0;
	if (text_has_suffix(out, ".zip")) {
		po.langs = o->nlangs ? o->langs : all;
		po.nlangs = o->nlangs ? o->nlangs : cfg->nlangs;
		po.zip_path = out;
		if (pack_write(&po, &size) < 0)
			goto out;
		if (!o->quiet) {
			char *t = pack_size_text(size);
			fprintf(stderr, "satchel: %s: %s\n", out, t);
			free(t);
		}
		rc = 0;
		goto out;
	}
	if (fs_mkdir_p(out) < 0) {
		diag_error(out, 0, 0, "cannot make the folder: %s", strerror(errno));
		goto out;
	}
	want = o->nlangs ? o->langs : all;
	nwant = o->nlangs ? o->nlangs : cfg->nlangs;
	for (size_t i = 0; i <= nwant; i++) {
		if (i == nwant && (o->nlangs || cfg->nlangs < 2))
			break;
		char *name = pack_file_name(i < nwant ? want[i] : NULL);
		char *path = fs_join(out, name);
		po.langs = i < nwant ? &want[i] : all;
		po.nlangs = i < nwant ? 1 : cfg->nlangs;
		po.zip_path = path;
		int r = pack_write(&po, &size);
		if (r == 0 && !o->quiet) {
			char *t = pack_size_text(size);
			fprintf(stderr, "satchel: %s: %s\n", path, t);
			free(t);
		}
		free(name);
		free(path);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	free(all);
	free(yaml);
	free(from);
	buf_free(&text);
	config_free(cfg);
	return rc;
}
