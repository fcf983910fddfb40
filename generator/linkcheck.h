/* linkcheck: the links of a built site, checked against the files the build wrote. Every page
 * (an .html file of the output) is read with sanitize's tokeniser; each href, src, srcset,
 * imagesrcset, action, formaction, poster and object data, and the default theme's data-facets
 * (a file) and data-search (a folder with index.json), that leads into the site — a relative
 * URL, a path from /, or the site's own address — must lead under base_url's path ("/hub/"
 * for https://org.example.io/hub/; a link to "/en/x/" there leads nowhere) and name a file of
 * the output: a path
 * ending in '/' its index.html, another path a file or a folder with an index.html. Whatever
 * made the link (a template, Markdown, raw HTML) is judged alike; markdown.c still reports a
 * Markdown link at its source line. Fragments and queries are not checked here. */
#ifndef SATCHEL_LINKCHECK_H
#define SATCHEL_LINKCHECK_H

#include <stddef.h>

struct linkcheck;

/* A check for a site whose base_url is base_url (ending in '/', or "/" for none). The caller
 * frees with linkcheck_free. */
struct linkcheck *linkcheck_new(const char *base_url);
/* A link (href as written) of the page at page_url that is reported elsewhere when it leads
 * nowhere — a relative link of the page's Markdown, at its source line — and not again. */
void linkcheck_skip(struct linkcheck *lc, const char *page_url, const char *href);
/* Checks every page under dir (a finished output folder) and reports each broken target once,
 * as a problem (diag_problem) at the URL of the first page that links to it, in URL order:
 * `/en/x/: warning: broken link to /en/topics/ (and on 12 other pages)`. Returns how many
 * targets were broken. */
size_t linkcheck_dir(struct linkcheck *lc, const char *dir, int nthreads);
void linkcheck_free(struct linkcheck *lc);

#endif
