/* feeds: the machine-readable outputs — RSS 2.0 and Atom feeds, sitemap.xml with hreflang
 * alternates, robots.txt. Pure text generation from plain arrays; no site model here. */
#ifndef SATCHEL_FEEDS_H
#define SATCHEL_FEEDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct feed_attachment {
	const char *url; /* absolute */
	const char *type; /* media type */
	const char *title;
	const char *lang; /* or NULL */
	size_t size;
};

struct feed_item {
	const char *title;
	const char *url; /* absolute */
	const char *summary;
	int64_t ts; /* 0 when unknown */
	const struct feed_attachment *attachments; /* JSON Feed only */
	size_t nattachments;
};

struct feed {
	const char *title;
	const char *lang;
	const char *home; /* absolute URL of the language's home page */
	const char *self; /* absolute URL of the feed itself */
	const struct feed_item *items;
	size_t nitems;
};

void feeds_rss(struct buf *out, const struct feed *f);
void feeds_atom(struct buf *out, const struct feed *f);
/* JSON Feed 1.1, with each item's files as attachments (for partners' sites to pick up). */
void feeds_json(struct buf *out, const struct feed *f);

struct sitemap_alt {
	const char *hreflang;
	const char *href; /* absolute */
};

struct sitemap_url {
	const char *loc; /* absolute */
	int64_t lastmod; /* 0 when unknown */
	const struct sitemap_alt *alts;
	size_t nalts;
};

void feeds_sitemap(struct buf *out, const struct sitemap_url *urls, size_t n);
void feeds_robots(struct buf *out, const char *base_url);
/* Appends url with every byte outside printable ASCII, and spaces, percent-encoded, then
 * XML-escaped. */
void feeds_add_xml_url(struct buf *out, const char *url);

#endif
