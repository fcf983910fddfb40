/* sanitize: the allow-list that raw HTML passes through when a site turns on unsafe_html, and
 * the same tokeniser's reading of a page's attributes (satchel check's links). Every
 * tag is read properly (quoted and unquoted values, `/>`, comments, CDATA, end tags) and written
 * out again in one canonical form, so that what is kept is exactly what a browser sees; what is
 * not on the list is dropped. */
#ifndef SATCHEL_SANITIZE_H
#define SATCHEL_SANITIZE_H

#include <stddef.h>

/* Returns html (len bytes, not necessarily NUL-terminated) with every element and attribute that
 * is not on the list removed: script, style, iframe, object, embed, form, svg, math and the like
 * with their content, any on* or style attribute, and href, src, poster and cite values whose
 * scheme is not http, https, mailto or tel. Text keeps its words with < and > escaped. An
 * unfinished tag at the end is dropped. The output is at most six times as long as the input
 * plus a constant. The caller frees. */
char *san_html(const char *html, size_t len);

/* san_html, telling dropped (may be NULL) of every start tag it drops (with its content or not)
 * and every attribute it drops from a tag it keeps: the byte offset in html where it starts, the
 * tag's name in lower case, and the attribute's (NULL for a whole tag). Comments, doctypes,
 * end tags and what lies inside a dropped element are not told. */
char *san_html_report(const char *html, size_t len,
                      void (*dropped)(void *payload, size_t off, const char *tag,
                                      const char *attr),
                      void *payload);

/* Is the URL (already free of HTML entities) one a link or an image may carry: relative, a
 * fragment, or with the scheme http, https, mailto or tel, as a browser's URL parser reads it
 * (leading and trailing controls and spaces, and tabs and newlines anywhere, ignored)? */
int san_url_ok(const char *url, size_t len);

/* Reads html (len bytes) as san_html does — comments, doctypes and the raw text of script,
 * style, textarea and the like are no tags — and calls fn for every attribute with a value of
 * every start tag: the tag's and the attribute's names in lower case (names of 32 bytes or more
 * are skipped), and the value with its character references decoded (NUL-terminated at len;
 * borrowed for the call). An unfinished tag at the end is not read. */
void san_each_attr(const char *html, size_t len,
                   void (*fn)(void *payload, const char *tag, const char *attr, const char *value,
                              size_t vlen),
                   void *payload);

/* san_each_attr for the attributes named in names alone (lower case, NULL-terminated): the same
 * calls, in the same order, less the others, whose values are not decoded. */
void san_each_attr_named(const char *html, size_t len, const char *const *names,
                         void (*fn)(void *payload, const char *tag, const char *attr,
                                    const char *value, size_t vlen),
                         void *payload);

/* The same reading, with where each attribute stands in html: fn gets the offset of the tag's
 * '<' (attributes of one tag share it), of the attribute's name and one past its end (after a
 * closing quote), of its value as written and its length (quotes excluded; entities not
 * decoded), whether it was quoted, and the value decoded as san_each_attr gives it. pack.c
 * rewrites attributes in place with these. Attributes without a value are reported too, with
 * has_value 0 and an empty value. */
struct san_attr {
	const char *tag, *name;           /* lower case */
	size_t tag_at, at, end;           /* the tag's '<', the attribute's first and past-last byte */
	size_t value_at, value_len;       /* the value as written */
	int quoted, has_value;
	const char *value;                /* decoded, NUL-terminated at value_dlen */
	size_t value_dlen;
};
void san_each_attr_at(const char *html, size_t len,
                      void (*fn)(void *payload, const struct san_attr *a), void *payload);

#endif
