/* redirects: the old addresses that keep leading to pages. Front-matter `aliases` (Hugo's
 * meaning) and, from git's record, each page file's earlier paths and slugs (history.h) become
 * redirects to the page's URL now: a small page at each old address (meta refresh, canonical,
 * noindex, a sentence and a link in the page's language), `_redirects` (Netlify, Cloudflare
 * Pages, GitLab Pages: `FROM TO 301`, after the rules of the site's own static/_redirects) and
 * `_redirects.nginx.map` (an nginx `map` body). It owns the checks: an alias that is not a path
 * of this site, two claims on one address (a page that is there wins), chains (written
 * collapsed, a warning) and loops (an error). URLs are the site's and carry base_url's path.
 * It renders no template and knows nothing of the output folder: render gives it what is live
 * and takes the files. */
#ifndef SATCHEL_REDIRECTS_H
#define SATCHEL_REDIRECTS_H

#include <stddef.h>

#include "catalog.h"
#include "site.h"
#include "util/buf.h"

/* What render lends: whether the build writes a page or file at url (a site URL, "/en/x/"),
 * and a writer of one output file at rel ("en/old/index.html"), 0 or -1 after reporting. */
struct redirects_io {
	int (*live)(void *payload, const char *url);
	int (*write)(void *payload, const char *rel, const struct buf *b);
	void *payload;
};

/* Collects, checks and writes the site's redirects. Problems are reported through diag as
 * `file:line:col: error|warning: …`; returns how many redirect pages were written. */
size_t redirects_run(const struct site *s, const struct catalog *cat, const struct redirects_io *io);

/* The site URL an alias written on a page whose URL is page_url means: site-absolute
 * ("/old/path/") as written, relative ("old-name") from the page's parent ("/en/guidance/"), a
 * trailing slash added to a path without one unless it ends in .html. NULL when it is no path
 * of this site, with *why saying what is wrong (static text). The caller frees. */
char *redirects_alias_url(const char *page_url, const char *alias, const char **why);

/* Follows rule i's target through the rules (from[k] → to[k]) until it reaches one that is
 * no rule's source: that final target's index in *end (SIZE_MAX: to[i] itself is final) and
 * the number of extra steps taken is returned; -1 when the chain comes back to a source it
 * passed (a loop). */
long redirects_follow(const char *const *from, const char *const *to, size_t n, size_t i,
                      size_t *end);

#endif
