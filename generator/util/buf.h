/* buf: a growable, binary-safe byte buffer that is always NUL-terminated. */
#ifndef SATCHEL_BUF_H
#define SATCHEL_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char *data; /* NUL-terminated when non-NULL; owned by the buf */
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

/* Makes room for extra more bytes and the NUL; the slow path is buf_grow_slow. */
void buf_grow_slow(struct buf *b, size_t extra);
static inline void
buf_grow(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		buf_grow_slow(b, extra);
}
/* The byte appenders are inline: page, index and JSON writers call them per byte. */
static inline void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}
static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}
static inline void
buf_putc(struct buf *b, char c)
{
	buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends s with &, <, >, " and ' replaced by entities. */
void buf_add_html_escaped(struct buf *b, const char *s, size_t n);
/* The same without ', as cmark escapes code: the bytes cmark itself would write. */
void buf_add_code_escaped(struct buf *b, const char *s, size_t n);
/* Appends s as the inside of a JSON string (no quotes). */
void buf_add_json_escaped(struct buf *b, const char *s, size_t n);
/* s in double quotes with only " and \ escaped by a backslash: a YAML double-quoted scalar of
 * typed text, a string of an nginx config. */
void buf_add_quoted(struct buf *b, const char *s);
/* Appends s with each %XX (two hex digits) replaced by that byte, as a URL is read. */
void buf_add_percent_decoded(struct buf *b, const char *s, size_t n);
/* Appends s with %XX in place of each byte up to ' ', each byte of set, and, when non_ascii,
 * each byte from 0x80 (UTF-8 as a browser sends it); the rest as it is. */
void buf_add_percent_encoded(struct buf *b, const char *s, const char *set, int non_ascii);
void buf_reset(struct buf *b);
/* Returns the data (never NULL; "" for an empty buf) and leaves b empty; the caller frees. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Returns b's data, or "" when nothing was added yet. Borrowed. */
const char *buf_str(const struct buf *b);

#endif
