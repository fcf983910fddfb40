/* urlbase: the base path a site is published under, added to the URLs the output carries. */
#include "urlbase.h"

#include <string.h>

#include "util/buf.h"
#include "util/xalloc.h"

/* Where the path of base_url starts: after "scheme://host", or at its start for "/". */
static const char *
path_of(const char *base_url)
{
	const char *h = strstr(base_url, "://");
	if (h == NULL)
		return base_url;
	h += 3;
	return h + strcspn(h, "/");
}

char *
urlbase_path(const char *base_url)
{
	const char *p = path_of(base_url);
	size_t n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	return xstrndup(p, n);
}

char *
urlbase_origin(const char *base_url)
{
	const char *p = path_of(base_url);
	return xstrndup(base_url, (size_t)(p - base_url));
}

/* A path of the site: one '/' and no second one (not "//host/…"). */
static int
is_site_path(const char *url)
{
	return url[0] == '/' && url[1] != '/' && url[1] != '\\';
}

char *
urlbase_add(const char *base, const char *url)
{
	if (base[0] == '\0' || !is_site_path(url))
		return xstrdup(url);
	return xasprintf("%s%s", base, url);
}

char *
urlbase_add_link(const char *base, const char *url)
{
	if (urlbase_strip(base, url) != NULL && base[0] != '\0')
		return xstrdup(url);
	return urlbase_add(base, url);
}

char *
urlbase_add_srcset(const char *base, const char *srcset)
{
	if (base[0] == '\0')
		return xstrdup(srcset);
	struct buf b = BUF_INIT;
	const char *s = srcset;
	while (*s) {
		size_t sp = strspn(s, " \t\n,");
		buf_add(&b, s, sp);
		s += sp;
		if (*s == '\0')
			break;
		if (is_site_path(s))
			buf_puts(&b, base);
		size_t n = strcspn(s, " \t\n"); /* a URL may hold commas, a descriptor not */
		buf_add(&b, s, n);
		s += n;
		n = strcspn(s, ",");
		buf_add(&b, s, n);
		s += n;
	}
	return buf_detach(&b);
}

const char *
urlbase_strip(const char *base, const char *url)
{
	size_t n = strlen(base);
	if (n == 0)
		return url;
	if (strncmp(url, base, n) != 0)
		return NULL;
	if (url[n] == '\0' || (url[n] == '/' && url[n + 1] == '\0') || url[n] == '?' || url[n] == '#')
		return "/";
	return url[n] == '/' ? url + n : NULL;
}
