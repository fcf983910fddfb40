/* Tests for hugo: Hugo's front-matter spellings, and shortcodes warned of at their line and kept
 * as text, never inside code. */
#include <stdlib.h>
#include <string.h>

#include "hugo.h"
#include "test.h"
#include "value.h"

static char *
warnings(const char *text, size_t *n)
{
	test_capture_start();
	*n = hugo_shortcodes_warn("p.md", text, strlen(text), 5);
	return test_capture_end();
}

TEST(test_shortcodes_warned_at_their_line)
{
	size_t n;
	char *err = warnings("Text.\n\n{{< youtube abc >}}\n\nA {{% notice tip %}} x {{% /notice %}}\n"
	                     "{{</blocks/section>}}\n", &n);
	CHECK(n == 3);
	CHECK_CONTAINS(err, "p.md:7:1: warning: Hugo shortcode {{< youtube >}} is not run: it is "
	                    "shown as text (write a link to the video alone in its paragraph instead)");
	CHECK_CONTAINS(err, "p.md:9:3: warning: Hugo shortcode {{% notice %}} is not run");
	CHECK_CONTAINS(err, "p.md:10:1: warning: Hugo shortcode {{< /blocks/section >}} is not run");
	free(err);
}

TEST(test_shortcodes_in_code_are_examples)
{
	size_t n;
	char *err = warnings("`{{< youtube x >}}` and ``a ` {{% b %}}``\n\n```\n{{< x >}}\n```\n"
	                     "~~~~\n{{< y >}}\n```\n~~~~\n\\{{< z >}}\n", &n);
	CHECK(n == 0);
	CHECK_STR(err, "");
	free(err);
	/* An unclosed backtick run is text: the shortcode after it counts. */
	err = warnings("a ` b {{< c >}}\n", &n);
	CHECK(n == 1);
	free(err);
}

TEST(test_escape_only_what_cmark_would_take_for_html)
{
	struct buf b = BUF_INIT;
	CHECK(hugo_shortcodes_escape("{{< youtube x >}}\n", 18, &b) == 0);
	CHECK(b.len == 0);
	static const char t[] = "{{<figure src=\"x\">}} `{{<b>}}`\n```\n{{<c>}}\n```\n{{</d>}}\n";
	CHECK(hugo_shortcodes_escape(t, sizeof t - 1, &b) == 1);
	CHECK_STR(buf_str(&b), "{{\\<figure src=\"x\">}} `{{<b>}}`\n```\n{{<c>}}\n```\n{{\\</d>}}\n");
	buf_free(&b);
}

TEST(test_hugo_keys_become_satchels)
{
	struct value *m = value_new_map();
	value_map_set_string(m, "translationKey", "k");
	value_map_set_string(m, "description", "d");
	value_map_set_string(m, "lastmod", "2025-01-02");
	value_map_set_string(m, "updated", "2025-03-04");
	test_capture_start();
	hugo_meta("p.md", m);
	char *err = test_capture_end();
	CHECK_STR(value_str(value_map_get(m, "translation_key")), "k");
	CHECK_STR(value_str(value_map_get(m, "summary")), "d");
	CHECK(value_map_get(m, "translationKey") == NULL);
	CHECK_STR(value_str(value_map_get(m, "updated")), "2025-03-04");
	CHECK_CONTAINS(err, "both 'lastmod' (Hugo's) and 'updated': 'updated' is used");
	free(err);
	value_free(m);
}

int
main(void)
{
	RUN(test_shortcodes_warned_at_their_line);
	RUN(test_shortcodes_in_code_are_examples);
	RUN(test_escape_only_what_cmark_would_take_for_html);
	RUN(test_hugo_keys_become_satchels);
	return TEST_END();
}
