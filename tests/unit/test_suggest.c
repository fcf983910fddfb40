/* Tests for util/suggest: the edit distance and which name "did you mean" offers. */
#include "test.h"
#include "util/suggest.h"

TEST(test_distance_counts_edits)
{
	CHECK(suggest_distance("", "") == 0);
	CHECK(suggest_distance("abc", "") == 3);
	CHECK(suggest_distance("", "abc") == 3);
	CHECK(suggest_distance("kitten", "sitting") == 3);
	CHECK(suggest_distance("title", "titel") == 1);     /* a swap of neighbours is one edit */
	CHECK(suggest_distance("languages", "langauges") == 1);
	CHECK(suggest_distance("ca", "abc") == 3);          /* optimal string alignment, not full DL */
	CHECK(suggest_distance("increment", "incremental") == 2);
	CHECK(suggest_distance("build", "biuld") == 1);
}

TEST(test_distance_ignores_ascii_case)
{
	CHECK(suggest_distance("Title", "title") == 0);
	CHECK(suggest_distance("BASE_URL", "base_url") == 0);
	CHECK(suggest_distance("Ä", "ä") != 0); /* only ASCII letters fold */
}

TEST(test_distance_of_long_names_is_capped)
{
	char a[SUGGEST_MAX_LEN + 2];
	memset(a, 'a', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	CHECK(suggest_distance(a, "a") == SUGGEST_MAX_LEN);
}

TEST(test_closest_offers_the_nearest_name)
{
	static const char *const opts[] = {"site", "output", "ref", "repo", "jobs", "quiet",
	                                   "incremental", "strict", NULL};
	CHECK_STR(suggest_closest("increment", opts), "incremental");
	CHECK_STR(suggest_closest("incr", opts), "incremental"); /* the start of a name */
	CHECK_STR(suggest_closest("strcit", opts), "strict");
	CHECK_STR(suggest_closest("QUIET", opts), "quiet");
	CHECK_STR(suggest_closest("rep", opts), "ref"); /* the first of two at distance 1 */
	CHECK(suggest_closest("verbose", opts) == NULL);
	CHECK(suggest_closest("x", opts) == NULL);
	CHECK(suggest_closest("site", opts) == NULL); /* the name itself is no suggestion */
	CHECK(suggest_closest("anything", NULL) == NULL);
}

TEST(test_short_words_need_close_names)
{
	static const char *const cmds[] = {"build", "check", "history", "new", "help", NULL};
	CHECK_STR(suggest_closest("nwe", cmds), "new");
	CHECK_STR(suggest_closest("chekc", cmds), "check");
	CHECK(suggest_closest("go", cmds) == NULL);
	CHECK(suggest_closest("xyz", cmds) == NULL);
}

TEST(test_collector_keeps_the_smallest_distance)
{
	struct suggest sg = SUGGEST_INIT("guidence");
	suggest_add(&sg, "news");
	suggest_add(&sg, "guide");
	suggest_add(&sg, "guidance");
	suggest_add(&sg, NULL);
	CHECK_STR(suggest_best(&sg), "guidance");
	struct suggest none = SUGGEST_INIT("zzzzzz");
	suggest_add(&none, "guidance");
	CHECK(suggest_best(&none) == NULL);
}

int
main(void)
{
	RUN(test_distance_counts_edits);
	RUN(test_distance_ignores_ascii_case);
	RUN(test_distance_of_long_names_is_capped);
	RUN(test_closest_offers_the_nearest_name);
	RUN(test_short_words_need_close_names);
	RUN(test_collector_keeps_the_smallest_distance);
	return TEST_END();
}
