/* Tests for redirects: what an alias means (Hugo's reading) and what is refused, the base path
 * redirect targets carry, following chains and finding loops, and the URL of an old name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "redirects.h"
#include "site.h"
#include "test.h"

static void
alias_is(const char *page, const char *alias, const char *want)
{
	const char *why = NULL;
	char *got = redirects_alias_url(page, alias, &why);
	CHECK_STR(got ? got : "(refused)", want);
	free(got);
}

static void
alias_refused(const char *alias, const char *reason)
{
	const char *why = NULL;
	char *got = redirects_alias_url("/en/guidance/x/", alias, &why);
	CHECK(got == NULL);
	CHECK_CONTAINS(why ? why : "", reason);
	free(got);
}

TEST(test_alias_paths_as_hugo_reads_them)
{
	alias_is("/en/guidance/x/", "/old/path/", "/old/path/");
	alias_is("/en/guidance/x/", "/old/path", "/old/path/");
	alias_is("/en/guidance/x/", "old-name", "/en/guidance/old-name/");
	alias_is("/en/guidance/x/", "older/name/", "/en/guidance/older/name/");
	alias_is("/en/guidance/x/", "/posts/old.html", "/posts/old.html");
	alias_is("/en/guidance/x/", "/posts/old/index.html", "/posts/old/");
	alias_is("/bg/x/", "стара-страница", "/bg/стара-страница/");
}

TEST(test_aliases_that_are_no_path_of_the_site)
{
	alias_refused("", "empty");
	alias_refused("https://evil.example/x/", "scheme or host");
	alias_refused("//evil.example/x/", "scheme or host");
	alias_refused("javascript:alert(1)", "scheme or host");
	alias_refused("/a?b=1", "query");
	alias_refused("/a#top", "fragment");
	alias_refused("../../escape/", ".. segment");
	alias_refused("/a/../../etc/", ".. segment");
	alias_refused("/a/./b/", ". or ..");
	alias_refused("/a//b/", "empty segment");
	alias_refused("/a b/", "space");
	alias_refused("/a%2e%2e/", "unencoded");
	alias_refused("/a\\b/", "unencoded");
	alias_refused("/a\"><script>/", "unencoded");
	alias_refused("/", "root");
	alias_refused("/file.pdf", "other than .html");
}

TEST(test_chains_are_followed_and_loops_found)
{
	const char *from[] = {"/a", "/b", "/c", "/p", "/q", "/r", "/s"};
	const char *to[] = {"/b", "/c", "/live", "/q", "/p", "/s", "/s2"};
	size_t n = 7, end = 0;
	CHECK(redirects_follow(from, to, n, 0, &end) == 2); /* /a → /b → /c → /live */
	CHECK(end == 2);
	CHECK(redirects_follow(from, to, n, 1, &end) == 1);
	CHECK(redirects_follow(from, to, n, 2, &end) == 0);
	CHECK(end == SIZE_MAX);
	CHECK(redirects_follow(from, to, n, 3, &end) == -1); /* /p → /q → /p */
	CHECK(redirects_follow(from, to, n, 4, &end) == -1);
	CHECK(redirects_follow(from, to, n, 5, &end) == 1);
	/* Joining a loop it is not part of: still no end. */
	const char *from2[] = {"/x", "/p", "/q"};
	const char *to2[] = {"/p", "/q", "/p"};
	CHECK(redirects_follow(from2, to2, 3, 0, &end) == -1);
	/* A self-loop. */
	const char *from3[] = {"/x"};
	const char *to3[] = {"/x"};
	CHECK(redirects_follow(from3, to3, 1, 0, &end) == -1);
}

TEST(test_url_of_an_old_name)
{
	static const char yaml[] = "title: T\nbase_url: https://hub.example.org/\ndefault_language: en\n"
	                           "languages:\n  - {code: en, name: English}\n  - {code: bg, name: Bg}\n";
	struct config *cfg = NULL;
	CHECK(config_load("site.yaml", yaml, sizeof yaml - 1, &cfg) == 0);
	if (cfg == NULL)
		return;
	size_t lang = 9;
	char *u = site_url_of(cfg, "content/guidance/x/index.md", NULL, &lang);
	CHECK_STR(u, "/en/guidance/x/");
	CHECK(lang == 0);
	free(u);
	u = site_url_of(cfg, "content/guidance/x/index.bg.md", "Стар адрес", &lang);
	CHECK_STR(u, "/bg/guidance/стар-адрес/");
	CHECK(lang == 1);
	free(u);
	u = site_url_of(cfg, "content/news/launch.md", "new-name", &lang);
	CHECK_STR(u, "/en/news/new-name/");
	free(u);
	u = site_url_of(cfg, "content/guidance/_index.bg.md", NULL, &lang);
	CHECK_STR(u, "/bg/guidance/");
	free(u);
	/* A language the site no longer has, a file that is no page: no URL, no message. */
	CHECK(site_url_of(cfg, "content/x/index.fr.md", NULL, &lang) == NULL);
	CHECK(site_url_of(cfg, "content/x/form.pdf", NULL, &lang) == NULL);
	CHECK(site_url_of(cfg, "static/x.md", NULL, &lang) == NULL);
	/* A slug with nothing to use: the URL without it. */
	u = site_url_of(cfg, "content/guidance/x/index.md", "!!!", &lang);
	CHECK_STR(u, "/en/guidance/x/");
	free(u);
	config_free(cfg);
}

int
main(void)
{
	RUN(test_alias_paths_as_hugo_reads_them);
	RUN(test_aliases_that_are_no_path_of_the_site);
	RUN(test_chains_are_followed_and_loops_found);
	RUN(test_url_of_an_old_name);
	return TEST_END();
}
