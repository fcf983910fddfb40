/* buf: a growable, binary-safe byte buffer. */
#include "buf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
buf_grow_slow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n <= 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/* Which bytes the escapers stop at; the bytes between are copied as runs. HTML: 1 for &, <, >
 * and ", 2 for '. JSON: 1 for ", \\, <, >, &, the controls, and 0xe2 (the lead byte of U+2028
 * and U+2029). */
static const unsigned char html_stop[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 2,
};
static const unsigned char json_stop[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	['"'] = 1, ['\\'] = 1, ['<'] = 1, ['>'] = 1, ['&'] = 1, [0xe2] = 1,
};

/* &, <, > and " as entities, and ' too when apos is set. */
static void
add_escaped(struct buf *b, const char *s, size_t n, int apos)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char mask = apos ? 3 : 1;
	size_t start = 0;
	for (size_t i = 0;; i++) {
		while (i < n && !(html_stop[u[i]] & mask))
			i++;
		if (i == n)
			break;
		const char *rep;
		size_t len;
		switch (u[i]) {
		case '&': rep = "&amp;", len = 5; break;
		case '<': rep = "&lt;", len = 4; break;
		case '>': rep = "&gt;", len = 4; break;
		case '"': rep = "&quot;", len = 6; break;
		default: rep = "&#39;", len = 5; break;
		}
		buf_add(b, s + start, i - start);
		buf_add(b, rep, len);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void
buf_add_html_escaped(struct buf *b, const char *s, size_t n)
{
	add_escaped(b, s, n, 1);
}

void
buf_add_code_escaped(struct buf *b, const char *s, size_t n)
{
	add_escaped(b, s, n, 0);
}

void
buf_add_json_escaped(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t start = 0;
	buf_grow(b, n); /* most bytes are copied as they are */
	for (size_t i = 0;; i++) {
		while (i < n && !json_stop[u[i]])
			i++;
		if (i == n)
			break;
		unsigned char c = u[i];
		char tmp[6];
		const char *rep;
		size_t len = 2, skip = 0; /* skip: bytes after c that rep stands for too */
		switch (c) {
		case '"': rep = "\\\""; break;
		case '\\': rep = "\\\\"; break;
		case '\n': rep = "\\n"; break;
		case '\r': rep = "\\r"; break;
		case '\t': rep = "\\t"; break;
		case '<': rep = "\\u003c", len = 6; break; /* safe inside <script> */
		case '>': rep = "\\u003e", len = 6; break;
		case '&': rep = "\\u0026", len = 6; break;
		case 0xe2:
			/* U+2028 and U+2029 end a line in JavaScript before ES2019: escaped, the JSON
			 * reads the same as a script literal too. Any other character is as it is. */
			if (!(i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)))
				continue;
			rep = u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029", len = 6, skip = 2;
			break;
		default: /* the other controls */
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[c >> 4];
			tmp[5] = hex[c & 15];
			rep = tmp, len = 6;
		}
		buf_add(b, s + start, i - start);
		buf_add(b, rep, len);
		i += skip;
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *
buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}

void
buf_add_percent_encoded(struct buf *b, const char *s, const char *set, int non_ascii)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c <= ' ' || (non_ascii && *c >= 0x80) || strchr(set, *c) != NULL)
			buf_printf(b, "%%%02X", *c);
		else
			buf_putc(b, (char)*c);
}

void
buf_add_percent_decoded(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = {s[i + 1], s[i + 2], 0};
			buf_putc(b, (char)strtol(hex, NULL, 16));
			i += 2;
		} else {
			buf_putc(b, s[i]);
		}
	}
}

void
buf_add_quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}
