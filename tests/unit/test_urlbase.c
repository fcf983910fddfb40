/* Tests for urlbase: base_url's path and the URLs the output carries under it. */
#include <stdlib.h>

#include "test.h"
#include "urlbase.h"

/* got (malloc'd) is want; freed. */
static void
check_own(char *got, const char *want, int line)
{
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "test_urlbase.c:%d: got '%s', want '%s'\n", line, got, want);
		test_failed_now = 1;
	}
	free(got);
}
#define OWN(got, want) check_own((got), (want), __LINE__)

TEST(test_path_of_base_url)
{
	OWN(urlbase_path("/"), "");
	OWN(urlbase_path("https://hub.example.org/"), "");
	OWN(urlbase_path("https://org.example.io/hub/"), "/hub");
	OWN(urlbase_path("http://org.example.io/a/b/"), "/a/b");
	OWN(urlbase_origin("https://org.example.io/hub/"), "https://org.example.io");
	OWN(urlbase_origin("https://hub.example.org/"), "https://hub.example.org");
	OWN(urlbase_origin("/"), "");
}

TEST(test_add_puts_the_base_path_before_site_paths_only)
{
	OWN(urlbase_add("/hub", "/en/x/"), "/hub/en/x/");
	OWN(urlbase_add("/hub", "/"), "/hub/");
	OWN(urlbase_add("/hub", "/css/satchel.css"), "/hub/css/satchel.css");
	OWN(urlbase_add("/hub", "/hub/en/"), "/hub/hub/en/"); /* a path of the site, whatever it is */
	OWN(urlbase_add("/hub", "//cdn.example.org/x.js"), "//cdn.example.org/x.js");
	OWN(urlbase_add("/hub", "https://x.org/"), "https://x.org/");
	OWN(urlbase_add("/hub", "x/y"), "x/y");
	OWN(urlbase_add("/hub", "#top"), "#top");
	OWN(urlbase_add("/hub", ""), "");
	OWN(urlbase_add("", "/en/x/"), "/en/x/");
}

TEST(test_add_link_keeps_a_link_written_under_the_base_path)
{
	OWN(urlbase_add_link("/hub", "/en/x/"), "/hub/en/x/");
	OWN(urlbase_add_link("/hub", "/hub/en/x/"), "/hub/en/x/");
	OWN(urlbase_add_link("/hub", "/hub"), "/hub");
	OWN(urlbase_add_link("/hub", "/hubble/"), "/hub/hubble/");
	OWN(urlbase_add_link("", "/en/x/"), "/en/x/");
}

TEST(test_srcset_gets_it_on_every_candidate)
{
	OWN(urlbase_add_srcset("/hub", "/en/a-480.png 480w, /en/a.png 800w"),
	    "/hub/en/a-480.png 480w, /hub/en/a.png 800w");
	OWN(urlbase_add_srcset("/hub", "/en/a,b.png 1x,https://x.org/c.png 2x"),
	    "/hub/en/a,b.png 1x,https://x.org/c.png 2x");
	OWN(urlbase_add_srcset("/hub", ""), "");
	OWN(urlbase_add_srcset("", "/en/a.png 1x"), "/en/a.png 1x");
}

TEST(test_strip_finds_the_path_of_the_site)
{
	CHECK_STR(urlbase_strip("/hub", "/hub/en/x/"), "/en/x/");
	CHECK_STR(urlbase_strip("/hub", "/hub/"), "/");
	CHECK_STR(urlbase_strip("/hub", "/hub"), "/");
	CHECK(urlbase_strip("/hub", "/en/x/") == NULL);
	CHECK(urlbase_strip("/hub", "/hubble/") == NULL);
	CHECK(urlbase_strip("/hub", "/") == NULL);
	CHECK_STR(urlbase_strip("", "/en/"), "/en/");
}

int
main(void)
{
	RUN(test_path_of_base_url);
	RUN(test_add_puts_the_base_path_before_site_paths_only);
	RUN(test_add_link_keeps_a_link_written_under_the_base_path);
	RUN(test_srcset_gets_it_on_every_candidate);
	RUN(test_strip_finds_the_path_of_the_site);
	return TEST_END();
}
