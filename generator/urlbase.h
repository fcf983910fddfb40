/* urlbase: the path a site is published under — base_url's path, "/hub" for
 * https://org.example.io/hub/ — and the one way a path of the site becomes the URL the output
 * carries. Inside satchel every URL is a path of the site ("/en/x/", "/css/satchel.css"): the
 * plan's jobs, the model's pages and files, the output's file names. What leaves for a reader
 * (a template's values, facets.json and the search index, Markdown links and images, the
 * preview server's paths) goes through urlbase_add; what comes back in (a link the check reads,
 * a request to `satchel serve`) through urlbase_strip. A site at a host's root has the base
 * path "", and every function here then gives back what it was given. */
#ifndef SATCHEL_URLBASE_H
#define SATCHEL_URLBASE_H

#include <stddef.h>

/* The base path of base_url (as config keeps it, ending in '/'): "" for "/" or
 * "https://host/", "/hub" for "https://host/hub/", never with a trailing '/'. The caller frees. */
char *urlbase_path(const char *base_url);

/* url as the output carries it: a path of the site ("/en/x/") with the base path before it
 * ("/hub/en/x/"); anything else (relative, "#x", "//host/", "https:…", "") as it is. The
 * caller frees. */
char *urlbase_add(const char *base, const char *url);

/* Markdown's site-absolute links: as urlbase_add, except that a link already under the base
 * path ("/hub/en/x/", written for the published site) is kept as it is. The caller frees. */
char *urlbase_add_link(const char *base, const char *url);

/* A srcset ("URL 480w, URL 800w") with urlbase_add applied to each URL. The caller frees. */
char *urlbase_add_srcset(const char *base, const char *srcset);

/* The path of the site that url (a path from the server's root, "/hub/en/x/") names: a pointer
 * into url after the base path ("/en/x/"; "/hub" and "/hub/" give "/" — as a static string),
 * or NULL when url is outside it ("/en/x/", "/hubble/"). With base "", url itself. */
const char *urlbase_strip(const char *base, const char *url);

/* The scheme and host of base_url without its path ("https://org.example.io"), "" for "/":
 * what an absolute URL puts before a URL that urlbase_add made. The caller frees. */
char *urlbase_origin(const char *base_url);

#endif
