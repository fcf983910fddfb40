/* feeds: RSS, Atom, sitemap.xml and robots.txt as text. */
#include "feeds.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void
xml_text(struct buf *out, const char *s)
{
	if (s != NULL)
		buf_add_html_escaped(out, s, strlen(s));
}

void
feeds_add_xml_url(struct buf *out, const char *url)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf tmp = BUF_INIT;
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f) {
			buf_putc(&tmp, '%');
			buf_putc(&tmp, hex[*p >> 4]);
			buf_putc(&tmp, hex[*p & 15]);
		} else {
			buf_putc(&tmp, (char)*p);
		}
	}
	xml_text(out, buf_str(&tmp));
	buf_free(&tmp);
}

static void
rfc822(struct buf *out, int64_t ts)
{
	char s[64];
	time_t t = (time_t)ts;
	struct tm tm;
	gmtime_r(&t, &tm);
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	snprintf(s, sizeof s, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
	buf_puts(out, s);
}

static void
rfc3339(struct buf *out, int64_t ts)
{
	char s[32];
	time_t t = (time_t)ts;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_puts(out, s);
}

static int64_t
newest(const struct feed *f)
{
	int64_t t = 0;
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].ts > t)
			t = f->items[i].ts;
	return t;
}

void
feeds_rss(struct buf *out, const struct feed *f)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	              "<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
	buf_puts(out, "<title>");
	xml_text(out, f->title);
	buf_puts(out, "</title>\n<link>");
	feeds_add_xml_url(out, f->home);
	buf_puts(out, "</link>\n<description>");
	{
		struct buf h = BUF_INIT; /* HTML, like an item's description */
		if (f->title != NULL)
			buf_add_html_escaped(&h, f->title, strlen(f->title));
		xml_text(out, buf_str(&h));
		buf_free(&h);
	}
	buf_puts(out, "</description>\n<language>");
	xml_text(out, f->lang);
	buf_puts(out, "</language>\n");
	if (newest(f) > 0) {
		buf_puts(out, "<lastBuildDate>");
		rfc822(out, newest(f));
		buf_puts(out, "</lastBuildDate>\n");
	}
	buf_puts(out, "<atom:link href=\"");
	feeds_add_xml_url(out, f->self);
	buf_puts(out, "\" rel=\"self\" type=\"application/rss+xml\"/>\n");
	for (size_t i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		buf_puts(out, "<item>\n<title>");
		xml_text(out, it->title);
		buf_puts(out, "</title>\n<link>");
		feeds_add_xml_url(out, it->url);
		buf_puts(out, "</link>\n<guid>");
		feeds_add_xml_url(out, it->url);
		buf_puts(out, "</guid>\n");
		if (it->ts > 0) {
			buf_puts(out, "<pubDate>");
			rfc822(out, it->ts);
			buf_puts(out, "</pubDate>\n");
		}
		if (it->summary != NULL && *it->summary) {
			/* An RSS description is HTML, and the summary plain text: escaped once as HTML
			 * and again as XML, so that a reader shows "<b>" rather than making it bold
			 * (or running an onerror). */
			struct buf h = BUF_INIT;
			buf_add_html_escaped(&h, it->summary, strlen(it->summary));
			buf_puts(out, "<description>");
			xml_text(out, buf_str(&h));
			buf_puts(out, "</description>\n");
			buf_free(&h);
		}
		buf_puts(out, "</item>\n");
	}
	buf_puts(out, "</channel>\n</rss>\n");
}

void
feeds_atom(struct buf *out, const struct feed *f)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
	xml_text(out, f->lang);
	buf_puts(out, "\">\n<title>");
	xml_text(out, f->title);
	buf_puts(out, "</title>\n<id>");
	feeds_add_xml_url(out, f->home);
	buf_puts(out, "</id>\n<link href=\"");
	feeds_add_xml_url(out, f->home);
	buf_puts(out, "\"/>\n<link rel=\"self\" href=\"");
	feeds_add_xml_url(out, f->self);
	buf_puts(out, "\"/>\n<updated>");
	rfc3339(out, newest(f));
	buf_puts(out, "</updated>\n");
	for (size_t i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		buf_puts(out, "<entry>\n<title>");
		xml_text(out, it->title);
		buf_puts(out, "</title>\n<id>");
		feeds_add_xml_url(out, it->url);
		buf_puts(out, "</id>\n<link href=\"");
		feeds_add_xml_url(out, it->url);
		buf_puts(out, "\"/>\n<updated>");
		rfc3339(out, it->ts);
		buf_puts(out, "</updated>\n");
		if (it->summary != NULL && *it->summary) {
			buf_puts(out, "<summary>");
			xml_text(out, it->summary);
			buf_puts(out, "</summary>\n");
		}
		buf_puts(out, "<author><name>");
		xml_text(out, f->title);
		buf_puts(out, "</name></author>\n</entry>\n");
	}
	buf_puts(out, "</feed>\n");
}

static void
json_str(struct buf *out, const char *s)
{
	buf_putc(out, '"');
	if (s != NULL)
		buf_add_json_escaped(out, s, strlen(s));
	buf_putc(out, '"');
}

void
feeds_json(struct buf *out, const struct feed *f)
{
	buf_puts(out, "{\n  \"version\": \"https://jsonfeed.org/version/1.1\",\n  \"title\": ");
	json_str(out, f->title);
	buf_puts(out, ",\n  \"home_page_url\": ");
	json_str(out, f->home);
	buf_puts(out, ",\n  \"feed_url\": ");
	json_str(out, f->self);
	buf_puts(out, ",\n  \"language\": ");
	json_str(out, f->lang);
	buf_puts(out, ",\n  \"items\": [");
	for (size_t i = 0; i < f->nitems; i++) {
		const struct feed_item *it = &f->items[i];
		buf_puts(out, i ? ",\n    {\"id\": " : "\n    {\"id\": ");
		json_str(out, it->url);
		buf_puts(out, ", \"url\": ");
		json_str(out, it->url);
		buf_puts(out, ", \"title\": ");
		json_str(out, it->title);
		/* JSON Feed 1.1 requires content_html or content_text. An item carries what RSS's
		 * description and Atom's summary carry, the summary as plain text, else its title; as
		 * content_text, not also as "summary" (which the spec means for a shorter text than the
		 * content, and would only repeat it). */
		buf_puts(out, ", \"content_text\": ");
		json_str(out, it->summary != NULL && *it->summary ? it->summary : it->title);
		if (it->ts > 0) {
			buf_puts(out, ", \"date_published\": \"");
			rfc3339(out, it->ts);
			buf_putc(out, '"');
		}
		buf_puts(out, ", \"language\": ");
		json_str(out, f->lang);
		if (it->nattachments > 0) {
			buf_puts(out, ", \"attachments\": [");
			for (size_t a = 0; a < it->nattachments; a++) {
				const struct feed_attachment *at = &it->attachments[a];
				buf_puts(out, a ? ", {\"url\": " : "{\"url\": ");
				json_str(out, at->url);
				buf_puts(out, ", \"mime_type\": ");
				json_str(out, at->type);
				buf_puts(out, ", \"title\": ");
				json_str(out, at->title);
				buf_printf(out, ", \"size_in_bytes\": %zu", at->size);
				if (at->lang != NULL) {
					/* JSON Feed has no language per attachment; an extension object. */
					buf_puts(out, ", \"_satchel\": {\"language\": ");
					json_str(out, at->lang);
					buf_putc(out, '}');
				}
				buf_putc(out, '}');
			}
			buf_putc(out, ']');
		}
		buf_putc(out, '}');
	}
	buf_puts(out, f->nitems ? "\n  ]\n}\n" : "]\n}\n");
}

void
feeds_sitemap(struct buf *out, const struct sitemap_url *urls, size_t n)
{
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	              "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" "
	              "xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
	for (size_t i = 0; i < n; i++) {
		buf_puts(out, "<url><loc>");
		feeds_add_xml_url(out, urls[i].loc);
		buf_puts(out, "</loc>");
		if (urls[i].lastmod > 0) {
			buf_puts(out, "<lastmod>");
			rfc3339(out, urls[i].lastmod);
			buf_puts(out, "</lastmod>");
		}
		for (size_t a = 0; a < urls[i].nalts; a++) {
			buf_puts(out, "\n  <xhtml:link rel=\"alternate\" hreflang=\"");
			xml_text(out, urls[i].alts[a].hreflang);
			buf_puts(out, "\" href=\"");
			feeds_add_xml_url(out, urls[i].alts[a].href);
			buf_puts(out, "\"/>");
		}
		buf_puts(out, "</url>\n");
	}
	buf_puts(out, "</urlset>\n");
}

void
feeds_robots(struct buf *out, const char *base_url)
{
	buf_printf(out, "User-agent: *\nAllow: /\n\nSitemap: %ssitemap.xml\n", base_url);
}
