/* sanitize: an allow-list HTML sanitiser for a site's raw HTML (options: unsafe_html). It owns
 * the tokeniser, the lists of elements and attributes, and the URL rule; markdown.c decides which
 * nodes go through it. Safety does not rest on reading tags the way a browser would: whatever is
 * kept is written again as `<name attr="value">` with the value's entities decoded, checked and
 * escaped again, and text has its < and > escaped, so the output holds no element or attribute
 * that is not on the list. Named character references are decoded by cmark-gfm's HTML5 table
 * (houdini), the one place outside markdown.c that uses the library, to call it rather than
 * carry a copy of 2,000 names. */
#include "sanitize.h"

#include <cmark-gfm.h>
#include <cmark-gfm/houdini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"

/* Elements kept, with the attributes each may carry beyond the global ones. */
static const struct elem {
	const char *name;
	const char *attrs; /* space-separated, with spaces at both ends */
	int is_void;
} elems[] = {
	{"a", " href ", 0},
	{"abbr", " ", 0},
	{"aside", " ", 0},
	{"audio", " src controls preload ", 0},
	{"b", " ", 0},
	{"blockquote", " cite ", 0},
	{"br", " ", 1},
	{"caption", " ", 0},
	{"cite", " ", 0},
	{"code", " ", 0},
	{"col", " span ", 1},
	{"colgroup", " span ", 0},
	{"dd", " ", 0},
	{"del", " ", 0},
	{"details", " open ", 0},
	{"dfn", " ", 0},
	{"div", " ", 0},
	{"dl", " ", 0},
	{"dt", " ", 0},
	{"em", " ", 0},
	{"figcaption", " ", 0},
	{"figure", " ", 0},
	{"h1", " ", 0},
	{"h2", " ", 0},
	{"h3", " ", 0},
	{"h4", " ", 0},
	{"h5", " ", 0},
	{"h6", " ", 0},
	{"hr", " ", 1},
	{"i", " ", 0},
	{"img", " src alt width height ", 1},
	{"ins", " ", 0},
	{"kbd", " ", 0},
	{"li", " value ", 0},
	{"mark", " ", 0},
	{"ol", " start reversed ", 0},
	{"p", " ", 0},
	{"pre", " ", 0},
	{"q", " cite ", 0},
	{"s", " ", 0},
	{"samp", " ", 0},
	{"section", " ", 0},
	{"small", " ", 0},
	{"source", " src type ", 1},
	{"span", " ", 0},
	{"strong", " ", 0},
	{"sub", " ", 0},
	{"summary", " ", 0},
	{"sup", " ", 0},
	{"table", " ", 0},
	{"tbody", " ", 0},
	{"td", " colspan rowspan ", 0},
	{"tfoot", " ", 0},
	{"th", " colspan rowspan scope ", 0},
	{"thead", " ", 0},
	{"time", " datetime ", 0},
	{"tr", " ", 0},
	{"track", " src kind srclang label default ", 1},
	{"u", " ", 0},
	{"ul", " ", 0},
	{"var", " ", 0},
	{"video", " src poster controls width height preload ", 0},
	{"wbr", " ", 1},
};

static const char global_attrs[] = " class id title lang dir ";
static const char url_attrs[] = " href src poster cite ";

/* Elements dropped with everything inside them. The first group is raw text to a browser: their
 * content is not markup, and ends only at the matching end tag. */
static const char raw_text[] = " script style xmp iframe noembed noframes noscript textarea title "
                               "plaintext ";
static const char drop_content[] = " script style xmp iframe noembed noframes noscript textarea "
                                   "title template object applet svg math form select head "
                                   "frameset ";

static int
in_list(const char *list, const char *word, size_t n)
{
	for (const char *p = list; (p = strchr(p, ' ')) != NULL && p[1] != '\0'; p++)
		if (strncmp(p + 1, word, n) == 0 && p[1 + n] == ' ')
			return 1;
	return 0;
}

static const struct elem *
find_elem(const char *name)
{
	for (size_t i = 0; i < sizeof elems / sizeof elems[0]; i++)
		if (strcmp(elems[i].name, name) == 0)
			return &elems[i];
	return NULL;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int
is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int
san_url_ok(const char *url, size_t len)
{
	size_t a = 0, b = len;
	/* The URL parser strips leading and trailing C0 controls and spaces. */
	while (a < b && (unsigned char)url[a] <= 0x20)
		a++;
	while (b > a && (unsigned char)url[b - 1] <= 0x20)
		b--;
	char scheme[8]; /* the longest allowed scheme, mailto, fits */
	size_t n = 0;
	for (size_t i = a; i < b; i++) {
		char c = url[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue; /* removed anywhere by the parser: "java\tscript:" is javascript: */
		if (c == '/' || c == '?' || c == '#')
			return 1; /* relative, a query or a fragment */
		if (c == ':') {
			/* Whatever comes before the first colon is taken for a scheme, even one a
			 * browser would call no scheme ("a b:c"): refusing those costs nothing. */
			if (n >= sizeof scheme)
				return 0;
			scheme[n] = '\0'; /* a NUL inside makes strlen fall short of n: refused */
			return strlen(scheme) == n &&
			       (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
			        strcmp(scheme, "mailto") == 0 || strcmp(scheme, "tel") == 0);
		}
		if (n < sizeof scheme)
			scheme[n] = lower(c);
		n++;
	}
	return 1;
}

/* Decodes the character references in s (n bytes) into out, as a browser does in an attribute
 * value. What is not a complete reference (&amp without its ';', &foo;) stays as written; the
 * caller escapes its & again, so the browser reads it as written too. */
static void
decode(struct buf *out, const char *s, size_t n)
{
	cmark_strbuf ent;
	cmark_strbuf_init(cmark_get_default_mem_allocator(), &ent, 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '&') {
			buf_putc(out, s[i]);
			continue;
		}
		cmark_strbuf_truncate(&ent, 0);
		bufsize_t used = houdini_unescape_ent(&ent, (const uint8_t *)s + i + 1,
		                                      (bufsize_t)(n - i - 1));
		if (used > 0) {
			buf_add(out, cmark_strbuf_cstr(&ent), (size_t)cmark_strbuf_len(&ent));
			i += (size_t)used;
		} else {
			buf_putc(out, '&');
		}
	}
	cmark_strbuf_free(&ent);
}

static void
add_text(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '<')
			buf_puts(out, "&lt;");
		else if (s[i] == '>')
			buf_puts(out, "&gt;");
		else
			buf_putc(out, s[i]); /* a reference in text decodes to text, never to a tag */
	}
}

/* The end of a comment that starts at s[i] ("<!--"), one past its last byte; n if it never ends
 * (the rest is the comment, as to a browser). "<!-->" and "<!--->" are whole comments. */
static size_t
comment_end(const char *s, size_t i, size_t n)
{
	i += 4;
	if (i < n && s[i] == '>')
		return i + 1;
	if (i + 1 < n && s[i] == '-' && s[i + 1] == '>')
		return i + 2;
	for (; i + 2 < n; i++) {
		if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
			return i + 3;
		if (i + 3 < n && s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '!' && s[i + 3] == '>')
			return i + 4;
	}
	return n;
}

/* The first '>' from i, one past it; n if there is none. */
static size_t
upto_gt(const char *s, size_t i, size_t n)
{
	const char *gt = memchr(s + i, '>', n - i);
	return gt ? (size_t)(gt - s) + 1 : n;
}

/* Who is told what san_html_report drops, and from where offsets count. */
struct report {
	void (*fn)(void *payload, size_t off, const char *tag, const char *attr);
	void *payload;
	const char *base;
};

struct tag {
	char name[16];  /* lower case; longer names are on no list, and keep only a prefix */
	int end;        /* </name> */
	size_t next;    /* one past the tag's '>' */
	struct buf out; /* the kept attributes, written out */
};

/* One attribute of a tag: its name and value as written (entities not decoded). */
struct attr {
	const char *name, *value;
	size_t nlen, vlen;
	int has_value;
};

/* Reads the attribute at or after s[*i] inside a tag into a, moving *i past it. 1 for an
 * attribute, 0 at the tag's '>' (*i then one past it), -1 when the input ends inside the tag. */
static int
read_attr(const char *s, size_t *ip, size_t n, struct attr *a)
{
	size_t i = *ip;
	while (i < n && (is_space(s[i]) || s[i] == '/'))
		i++;
	if (i >= n)
		return -1;
	if (s[i] == '>') {
		*ip = i + 1;
		return 0;
	}
	/* An attribute name runs to a space, '/', '>' or '=' (a leading '=' is part of it). */
	a->name = s + i++;
	while (i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '>' && s[i] != '=')
		i++;
	a->nlen = (size_t)(s + i - a->name);
	while (i < n && is_space(s[i]))
		i++;
	a->value = "";
	a->vlen = 0;
	a->has_value = 0;
	if (i < n && s[i] == '=') {
		a->has_value = 1;
		for (i++; i < n && is_space(s[i]); i++)
			;
		if (i >= n)
			return -1;
		if (s[i] == '"' || s[i] == '\'') {
			const char *q = memchr(s + i + 1, s[i], n - i - 1);
			if (q == NULL)
				return -1;
			a->value = s + i + 1;
			a->vlen = (size_t)(q - a->value);
			i = (size_t)(q - s) + 1;
		} else {
			a->value = s + i;
			while (i < n && !is_space(s[i]) && s[i] != '>')
				i++;
			a->vlen = (size_t)(s + i - a->value);
		}
	}
	*ip = i;
	return 1;
}

/* Reads the name of the tag at s[i] ('<' then a letter, or "</" then a letter) into t and
 * returns where its attributes begin. */
static size_t
read_tag_name(const char *s, size_t i, size_t n, struct tag *t)
{
	size_t k = 0;
	t->end = s[i + 1] == '/';
	i += t->end ? 2 : 1;
	for (; i < n && !is_space(s[i]) && s[i] != '/' && s[i] != '>'; i++)
		if (k + 1 < sizeof t->name)
			t->name[k++] = lower(s[i]);
	t->name[k] = '\0';
	return i;
}

/* Reads the tag at s[i] and writes the attributes that its element allows into t->out.
 * Returns 0, or -1 when the input ends inside the tag. */
static int
read_tag(const char *s, size_t i, size_t n, struct tag *t, const struct report *rep)
{
	struct buf val = BUF_INIT;
	i = read_tag_name(s, i, n, t);
	const struct elem *el = t->end ? NULL : find_elem(t->name);
	struct attr a;
	int rc;
	while ((rc = read_attr(s, &i, n, &a)) > 0) {
		char name[16];
		size_t an = a.nlen;
		if (el == NULL)
			continue;
		if (an >= sizeof name) {
			if (rep->fn != NULL)
				rep->fn(rep->payload, (size_t)(a.name - rep->base), t->name, "(a long name)");
			continue;
		}
		for (size_t j = 0; j < an; j++)
			name[j] = lower(a.name[j]);
		name[an] = '\0';
		if (!in_list(global_attrs, name, an) && !in_list(el->attrs, name, an)) {
			if (rep->fn != NULL)
				rep->fn(rep->payload, (size_t)(a.name - rep->base), t->name, name);
			continue;
		}
		buf_reset(&val);
		decode(&val, a.value, a.vlen);
		if (in_list(url_attrs, name, an) && !san_url_ok(val.data ? val.data : "", val.len)) {
			if (rep->fn != NULL)
				rep->fn(rep->payload, (size_t)(a.name - rep->base), t->name, name);
			continue;
		}
		buf_printf(&t->out, " %s", name);
		if (a.has_value) {
			buf_puts(&t->out, "=\"");
			buf_add_html_escaped(&t->out, buf_str(&val), val.len);
			buf_putc(&t->out, '"');
		}
	}
	t->next = i;
	buf_free(&val);
	return rc;
}

/* Where the raw text of element name (a script, a style…) that starts at i ends: one past its
 * end tag, or n. */
static size_t
raw_text_end(const char *s, size_t i, size_t n, const char *name)
{
	size_t k = strlen(name);
	for (; i + 2 + k <= n; i++) {
		if (s[i] != '<' || s[i + 1] != '/' || strncasecmp(s + i + 2, name, k) != 0)
			continue;
		if (i + 2 + k == n || is_space(s[i + 2 + k]) || s[i + 2 + k] == '/' ||
		    s[i + 2 + k] == '>')
			return upto_gt(s, i + 2 + k, n);
	}
	return n;
}

char *
san_html(const char *s, size_t n)
{
	return san_html_report(s, n, NULL, NULL);
}

char *
san_html_report(const char *s, size_t n,
                void (*dropped)(void *payload, size_t off, const char *tag, const char *attr),
                void *payload)
{
	const struct report none = {NULL, NULL, s}, rep = {dropped, payload, s};
	struct buf out = BUF_INIT;
	char drop[16] = ""; /* the element being dropped with its content */
	size_t depth = 0;   /* its nesting */
	size_t i = 0;

	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		size_t j = lt ? (size_t)(lt - s) : n;
		if (depth == 0)
			add_text(&out, s + i, j - i);
		i = j;
		if (i >= n)
			break;
		/* s[i] is '<'. Every branch moves i on by at least one byte. */
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			i = comment_end(s, i, n);
		} else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
			i = upto_gt(s, i, n); /* a doctype, <![CDATA[ or <?…: bogus comments in HTML */
		} else if (i + 2 < n && s[i + 1] == '/' && !is_alpha(s[i + 2])) {
			i = upto_gt(s, i, n); /* "</>" is dropped, "</ x>" a bogus comment */
		} else if (i + 1 < n && (is_alpha(s[i + 1]) || (s[i + 1] == '/' && i + 2 < n))) {
			struct tag t = {.out = BUF_INIT};
			size_t at = i;
			if (read_tag(s, i, n, &t, depth > 0 ? &none : &rep) < 0) {
				buf_free(&t.out);
				break; /* an unfinished tag at the end: dropped */
			}
			i = t.next;
			if (depth == 0 && !t.end && find_elem(t.name) == NULL && dropped != NULL)
				dropped(payload, at, t.name, NULL);
			size_t tn = strlen(t.name);
			if (depth > 0) {
				if (strcmp(t.name, drop) == 0 && t.end)
					depth--;
				else if (strcmp(t.name, drop) == 0)
					depth++;
			} else if (!t.end && in_list(raw_text, t.name, tn)) {
				i = raw_text_end(s, i, n, t.name);
			} else if (!t.end && in_list(drop_content, t.name, tn)) {
				memcpy(drop, t.name, tn + 1);
				depth = 1;
			} else if (find_elem(t.name) != NULL) {
				/* A <pre> scrolls sideways: a keyboard must reach it (markdown.c's too). */
				if (!t.end)
					buf_printf(&out, "<%s%s%s>", t.name, buf_str(&t.out),
					           strcmp(t.name, "pre") == 0 ? " tabindex=\"0\"" : "");
				else if (!find_elem(t.name)->is_void)
					buf_printf(&out, "</%s>", t.name);
			}
			buf_free(&t.out);
		} else {
			if (depth == 0)
				buf_puts(&out, "&lt;"); /* a '<' that starts no tag is text */
			i++;
		}
	}
	return buf_detach(&out);
}

/* Is name (lower case) an element whose content is raw text to a browser (raw_text's list)? */
static int
is_raw_text(const char *name)
{
	static const char *const names[] = {"script",   "style",    "xmp",      "iframe", "noembed",
	                                    "noframes", "noscript", "textarea", "title",  "plaintext"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++)
		if (names[k][0] == name[0] && strcmp(names[k], name) == 0)
			return 1;
	return 0;
}

/* One attribute of a tag that is still being read, with where it ends. */
struct attr_at {
	struct attr a;
	size_t end;
};

/* san_each_attr_at, for the attributes named in want (NULL: all). Each tag is read once; its
 * attributes are told when its '>' has been found, as an unfinished tag at the end is not read.
 * Only the values told are decoded. */
static void
each_attr(const char *s, size_t n, const char *const *want,
          void (*fn)(void *payload, const struct san_attr *a), void *payload)
{
	struct buf val = BUF_INIT;
	struct attr_at local[16], *as = local;
	size_t cap = sizeof local / sizeof local[0];
	size_t i = 0;
	while (i < n) {
		const char *lt = memchr(s + i, '<', n - i);
		if (lt == NULL)
			break;
		i = (size_t)(lt - s);
		/* The same reading as san_html's: every branch moves i on by at least one byte. */
		if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			i = comment_end(s, i, n);
		} else if (i + 1 < n && (s[i + 1] == '!' || s[i + 1] == '?')) {
			i = upto_gt(s, i, n);
		} else if (i + 2 < n && s[i + 1] == '/' && !is_alpha(s[i + 2])) {
			i = upto_gt(s, i, n);
		} else if (i + 1 < n && (is_alpha(s[i + 1]) || (s[i + 1] == '/' && i + 2 < n))) {
			struct tag t;
			struct attr a;
			int rc;
			size_t tag_at = i, na = 0;
			i = read_tag_name(s, i, n, &t);
			while ((rc = read_attr(s, &i, n, &a)) > 0) {
				if (t.end || a.nlen >= 32)
					continue;
				if (na == cap) {
					struct attr_at *big = malloc(2 * cap * sizeof *big);
					if (big == NULL)
						abort();
					memcpy(big, as, na * sizeof *as);
					if (as != local)
						free(as);
					as = big;
					cap *= 2;
				}
				as[na].a = a;
				as[na++].end = i;
			}
			if (rc < 0)
				break;
			for (size_t k = 0; k < na; k++) {
				const struct attr *x = &as[k].a;
				char name[32];
				for (size_t j = 0; j < x->nlen; j++)
					name[j] = lower(x->name[j]);
				name[x->nlen] = '\0';
				if (want != NULL) {
					size_t w = 0;
					while (want[w] != NULL && (want[w][0] != name[0] || strcmp(want[w], name) != 0))
						w++;
					if (want[w] == NULL)
						continue;
				}
				buf_reset(&val);
				if (memchr(x->value, '&', x->vlen) != NULL)
					decode(&val, x->value, x->vlen);
				else
					buf_add(&val, x->value, x->vlen);
				size_t name_at = (size_t)(x->name - s);
				struct san_attr sa = {
				    t.name, name, tag_at, name_at, x->has_value ? as[k].end : name_at + x->nlen,
				    x->has_value ? (size_t)(x->value - s) : name_at + x->nlen, x->vlen,
				    x->has_value && x->value > s && (x->value[-1] == '"' || x->value[-1] == '\''),
				    x->has_value, buf_str(&val), val.len};
				fn(payload, &sa);
			}
			if (!t.end && is_raw_text(t.name))
				i = raw_text_end(s, i, n, t.name);
		} else {
			i++;
		}
	}
	if (as != local)
		free(as);
	buf_free(&val);
}

/* san_each_attr through each_attr: the attributes with a value, without positions. */
struct each_attr {
	void (*fn)(void *payload, const char *tag, const char *attr, const char *value, size_t len);
	void *payload;
};

static void
each_attr_plain(void *payload, const struct san_attr *a)
{
	const struct each_attr *e = payload;
	if (a->has_value)
		e->fn(e->payload, a->tag, a->name, a->value, a->value_dlen);
}

void
san_each_attr(const char *s, size_t n, void (*fn)(void *payload, const char *tag, const char *attr,
                                                 const char *value, size_t len),
              void *payload)
{
	struct each_attr e = {fn, payload};
	each_attr(s, n, NULL, each_attr_plain, &e);
}

void
san_each_attr_named(const char *s, size_t n, const char *const *names,
                    void (*fn)(void *payload, const char *tag, const char *attr, const char *value,
                               size_t len),
                    void *payload)
{
	struct each_attr e = {fn, payload};
	each_attr(s, n, names, each_attr_plain, &e);
}

void
san_each_attr_at(const char *s, size_t n, void (*fn)(void *payload, const struct san_attr *a),
                 void *payload)
{
	each_attr(s, n, NULL, fn, payload);
}
