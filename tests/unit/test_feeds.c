/* Tests for feeds: RSS, Atom, JSON Feed, sitemap and robots.txt text. */
#include <stdlib.h>
#include <string.h>

#include "feeds.h"
#include "test.h"

static const struct feed_attachment att[] = {
    {"https://x.org/en/t/a/form.pdf", "application/pdf", "form.pdf", "bg", 12345},
};
static const struct feed_item items[] = {
    {"Tom & \"Jerry\" <b>", "https://x.org/en/t/a/", "Sum <i>", 1741910400, att, 1},
    {"Оценка", "https://x.org/bg/t/оценка/", NULL, 0, NULL, 0},
};
static const struct feed feed = {"Hub", "en", "https://x.org/en/", "https://x.org/en/feed.json",
                                 items, 2};

TEST(test_rss_escapes_and_dates)
{
	struct buf b = BUF_INIT;
	feeds_rss(&b, &feed);
	CHECK_CONTAINS(b.data, "<title>Tom &amp; &quot;Jerry&quot; &lt;b&gt;</title>");
	CHECK_CONTAINS(b.data, "<pubDate>Fri, 14 Mar 2025 00:00:00 +0000</pubDate>");
	CHECK_CONTAINS(b.data, "<link>https://x.org/bg/t/%D0%BE%D1%86%D0%B5%D0%BD%D0%BA%D0%B0/</link>");
	CHECK_CONTAINS(b.data, "<language>en</language>");
	buf_free(&b);
}

TEST(test_atom_has_ids_and_updated)
{
	struct buf b = BUF_INIT;
	feeds_atom(&b, &feed);
	CHECK_CONTAINS(b.data, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">");
	CHECK_CONTAINS(b.data, "<updated>2025-03-14T00:00:00Z</updated>");
	CHECK_CONTAINS(b.data, "<id>https://x.org/en/t/a/</id>");
	buf_free(&b);
}

TEST(test_json_feed_with_attachments)
{
	struct buf b = BUF_INIT;
	feeds_json(&b, &feed);
	CHECK_CONTAINS(b.data, "\"version\": \"https://jsonfeed.org/version/1.1\"");
	CHECK_CONTAINS(b.data, "\"title\": \"Tom \\u0026 \\\"Jerry\\\" \\u003cb\\u003e\"");
	CHECK_CONTAINS(b.data, "\"attachments\": [{\"url\": \"https://x.org/en/t/a/form.pdf\", "
	                       "\"mime_type\": \"application/pdf\", \"title\": \"form.pdf\", "
	                       "\"size_in_bytes\": 12345, \"_satchel\": {\"language\": \"bg\"}}]");
	CHECK_CONTAINS(b.data, "\"date_published\": \"2025-03-14T00:00:00Z\"");
	CHECK_NOT_CONTAINS(b.data, "\"summary\": null");
	buf_free(&b);
}

/* JSON Feed 1.1: every item has content_html or content_text. Here the text RSS's description
 * and Atom's summary carry (the summary), else the title; never empty, never HTML. */
TEST(test_json_feed_items_have_content)
{
	struct buf b = BUF_INIT;
	feeds_json(&b, &feed);
	CHECK_CONTAINS(b.data, "\"title\": \"Tom \\u0026 \\\"Jerry\\\" \\u003cb\\u003e\", "
	                       "\"content_text\": \"Sum \\u003ci\\u003e\"");
	CHECK_CONTAINS(b.data, "\"title\": \"Оценка\", \"content_text\": \"Оценка\"");
	size_t n = 0;
	for (const char *p = b.data; (p = strstr(p, "\"content_text\": \"")) != NULL; p++)
		n++;
	CHECK(n == feed.nitems);
	CHECK_NOT_CONTAINS(b.data, "\"content_text\": \"\"");
	CHECK_NOT_CONTAINS(b.data, "\"summary\"");
	CHECK_NOT_CONTAINS(b.data, "content_html");
	/* The same text as the other feeds' summary. */
	struct buf a = BUF_INIT;
	feeds_atom(&a, &feed);
	CHECK_CONTAINS(a.data, "<summary>Sum &lt;i&gt;</summary>");
	buf_free(&a);
	struct feed empty = feed;
	empty.nitems = 0;
	buf_reset(&b);
	feeds_json(&b, &empty);
	CHECK_CONTAINS(b.data, "\"items\": []");
	buf_free(&b);
}

TEST(test_sitemap_alternates_and_robots)
{
	struct sitemap_alt alts[] = {{"en", "https://x.org/en/a/"}, {"x-default", "https://x.org/en/a/"}};
	struct sitemap_url u = {"https://x.org/en/a/", 1741910400, alts, 2};
	struct buf b = BUF_INIT;
	feeds_sitemap(&b, &u, 1);
	CHECK_CONTAINS(b.data, "<url><loc>https://x.org/en/a/</loc><lastmod>2025-03-14T00:00:00Z</lastmod>");
	CHECK_CONTAINS(b.data, "<xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.org/en/a/\"/>");
	buf_reset(&b);
	feeds_robots(&b, "https://x.org/");
	CHECK_STR(b.data, "User-agent: *\nAllow: /\n\nSitemap: https://x.org/sitemap.xml\n");
	buf_free(&b);
}

int
main(void)
{
	RUN(test_rss_escapes_and_dates);
	RUN(test_atom_has_ids_and_updated);
	RUN(test_json_feed_with_attachments);
	RUN(test_json_feed_items_have_content);
	RUN(test_sitemap_alternates_and_robots);
	return TEST_END();
}
