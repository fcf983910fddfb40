/* Tests for frontmatter: where the YAML ends and the Markdown starts, BOMs and CRLF, and the
 * errors (unclosed fence, bad UTF-8, a list instead of fields) at the file's own line numbers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontmatter.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"

/* Parses len bytes of text as "p.md"; *err gets what diag printed (the caller frees). diag prints
 * each message once per run, so its memory is reset first. */
static int
parse_n(const char *text, size_t len, struct fm_doc *d, char **err)
{
	test_capture_start();
	int rc = fm_parse("p.md", text, len, d);
	*err = test_capture_end();
	return rc;
}

static int
parse(const char *text, struct fm_doc *d, char **err)
{
	return parse_n(text, strlen(text), d, err);
}

/* Text that must parse without a message. */
static int
ok(const char *text, struct fm_doc *d)
{
	char *err;
	int rc = parse(text, d, &err);
	if (rc != 0 || *err != '\0') {
		fprintf(stderr, "front matter refused or noisy:\n%s\n%s", text, err);
		test_failed_now = 1;
	}
	free(err);
	return rc;
}

/* Text that must be refused; returns the messages (the caller frees). */
static char *
fails(const char *text, size_t len)
{
	struct fm_doc d;
	char *err;
	if (parse_n(text, len, &d, &err) != -1) {
		fprintf(stderr, "front matter accepted but should fail:\n%s\n", text);
		test_failed_now = 1;
		fm_doc_free(&d);
	} else {
		CHECK(d.meta == NULL);
	}
	return err;
}

/* The body as the caller would find it. */
static const char *
body(const char *text, const struct fm_doc *d)
{
	return text + d->body_off;
}

/* Hugo's JSON front matter: an object opening the file, to its matching brace (a brace in a
 * string does not count); the body starts on the next line. */
TEST(test_json_front_matter)
{
	static const char text[] = "{\n  \"title\": \"A } brace\",\n  \"weight\": 2,\n"
	                           "  \"tags\": [\"a\", \"b\"]\n}\n\nBody {here}.\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "A } brace");
	CHECK(value_map_get(d.meta, "weight")->u.i == 2);
	CHECK(value_map_get(d.meta, "title")->line == 2);
	CHECK_STR(body(text, &d), "\nBody {here}.\n");
	CHECK(d.body_line == 6);
	fm_doc_free(&d);
	/* A paragraph that opens with a brace is no front matter. */
	if (ok("{#id} text\n", &d) == 0) {
		CHECK(value_len(d.meta) == 0 && d.body_off == 0);
		fm_doc_free(&d);
	}
	char *err = fails("{\n  \"title\": \"x\"\n\nBody\n", 24);
	CHECK_CONTAINS(err, "p.md:1:1: error: JSON front matter opened with { is never closed with }");
	free(err);
	err = fails("{\"title\": \"x\"} trailing\nBody\n", 30);
	CHECK_CONTAINS(err, "p.md:1: error: JSON front matter must end with } alone on its line");
	free(err);
}

/* TOML front matter is refused at 1:1 with the conversion of its first field. */
TEST(test_toml_front_matter_says_how_to_convert)
{
	static const char text[] = "+++\n# a comment\n[params]\ntitle = \"Old\"\n+++\nBody\n";
	char *err = fails(text, sizeof text - 1);
	CHECK_CONTAINS(err, "p.md:1:1: error: TOML front matter (between +++ lines) is not read");
	CHECK_CONTAINS(err, "hugo convert toYAML --unsafe");
	CHECK_CONTAINS(err, "(line 4: title = \"Old\" becomes title: \"Old\")");
	free(err);
	/* +++ inside a longer line is text. */
	struct fm_doc d;
	if (ok("+++ not a fence\n", &d) == 0)
		fm_doc_free(&d);
}

TEST(test_no_front_matter)
{
	static const char text[] = "# Title\n\nSome text.\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK(d.meta != NULL && d.meta->type == VALUE_MAP && value_len(d.meta) == 0);
	CHECK(d.body_off == 0);
	CHECK(d.body_line == 1);
	CHECK_STR(body(text, &d), text);
	fm_doc_free(&d);
	CHECK(d.meta == NULL);

	/* An empty file is an empty page. */
	if (ok("", &d) == 0) {
		CHECK(d.meta != NULL && value_len(d.meta) == 0);
		CHECK(d.body_off == 0 && d.body_line == 1);
	}
	fm_doc_free(&d);

	/* A thematic break later in the file is Markdown, not a fence. */
	static const char later[] = "Intro\n---\ntitle: x\n---\n";
	if (ok(later, &d) == 0) {
		CHECK(value_len(d.meta) == 0);
		CHECK(d.body_off == 0);
	}
	fm_doc_free(&d);
}

TEST(test_front_matter_and_body)
{
	static const char text[] = "---\ntitle: Hello\nweight: 3\n---\n# Body\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "Hello");
	const struct value *w = value_map_get(d.meta, "weight");
	CHECK(w != NULL && w->type == VALUE_INT && w->u.i == 3);
	/* Positions are the file's: title is on line 2. */
	CHECK(value_map_get(d.meta, "title")->line == 2);
	CHECK(value_map_get(d.meta, "title")->col == 8);
	CHECK(w->line == 3);
	CHECK(d.body_off == strlen("---\ntitle: Hello\nweight: 3\n---\n"));
	CHECK(d.body_line == 5);
	CHECK_STR(body(text, &d), "# Body\n");
	fm_doc_free(&d);
}

TEST(test_closing_fence_at_end_of_file)
{
	static const char text[] = "---\ntitle: x\n---";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "x");
	CHECK(d.body_off == strlen(text));
	CHECK(d.body_line == 4);
	CHECK_STR(body(text, &d), "");
	fm_doc_free(&d);
}

TEST(test_bom_is_skipped)
{
	static const char text[] = "\xEF\xBB\xBF---\ntitle: Bom\n---\nBody\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "Bom");
	CHECK(value_map_get(d.meta, "title")->line == 2);
	CHECK(d.body_line == 4);
	CHECK_STR(body(text, &d), "Body\n");
	fm_doc_free(&d);

	/* Without front matter, the body starts after the BOM. */
	static const char plain[] = "\xEF\xBB\xBF# Hi\n";
	if (ok(plain, &d) == 0) {
		CHECK(d.body_off == 3);
		CHECK_STR(body(plain, &d), "# Hi\n");
	}
	fm_doc_free(&d);
}

TEST(test_crlf_line_ends)
{
	static const char text[] = "---\r\ntitle: Windows\r\ntags: [a, b]\r\n---\r\nBody\r\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "Windows");
	CHECK(value_len(value_map_get(d.meta, "tags")) == 2);
	CHECK(value_map_get(d.meta, "tags")->line == 3);
	CHECK(d.body_line == 5);
	CHECK_STR(body(text, &d), "Body\r\n");
	fm_doc_free(&d);
}

TEST(test_fence_with_trailing_spaces)
{
	static const char text[] = "---  \ntitle: x\n--- \t \nBody\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "x");
	CHECK(d.body_line == 4);
	CHECK_STR(body(text, &d), "Body\n");
	fm_doc_free(&d);
}

TEST(test_not_a_fence)
{
	struct fm_doc d;
	/* Four dashes, or text after the dashes, do not open front matter. */
	static const char four[] = "----\ntitle: x\n----\n";
	if (ok(four, &d) == 0) {
		CHECK(value_len(d.meta) == 0);
		CHECK(d.body_off == 0);
	}
	fm_doc_free(&d);
	static const char text[] = "--- title\nx\n";
	if (ok(text, &d) == 0)
		CHECK(d.body_off == 0 && value_len(d.meta) == 0);
	fm_doc_free(&d);
	/* An indented --- inside a block scalar does not close it. */
	static const char block[] = "---\ntext: |\n  ---\n  more\n---\nBody\n";
	if (ok(block, &d) == 0) {
		CHECK_STR(value_str(value_map_get(d.meta, "text")), "---\nmore\n");
		CHECK(d.body_line == 6);
		CHECK_STR(body(block, &d), "Body\n");
	}
	fm_doc_free(&d);
}

TEST(test_empty_front_matter)
{
	static const char text[] = "---\n---\nBody\n";
	struct fm_doc d;
	if (ok(text, &d) < 0)
		return;
	CHECK(d.meta != NULL && d.meta->type == VALUE_MAP && value_len(d.meta) == 0);
	CHECK(d.body_line == 3);
	CHECK_STR(body(text, &d), "Body\n");
	fm_doc_free(&d);

	static const char comment[] = "---\n# nothing yet\n\n---\nBody\n";
	if (ok(comment, &d) == 0) {
		CHECK(d.meta->type == VALUE_MAP && value_len(d.meta) == 0);
		CHECK(d.body_line == 5);
	}
	fm_doc_free(&d);
}

TEST(test_unclosed_front_matter)
{
	static const char text[] = "---\ntitle: x\n\nBody\n";
	char *err = fails(text, strlen(text));
	/* Where the fields seem to end (before the blank line) is where --- goes. */
	CHECK_STR(err, "p.md:1:1: error: front matter opened with --- is never closed with ---: put a "
	               "line with --- after its last field (line 2)\n");
	free(err);
	static const char list[] = "---\ntitle: x\ntopics:\n  - a\n# note\nThe body\n";
	err = fails(list, strlen(list));
	CHECK_CONTAINS(err, "after its last field (line 5)");
	free(err);
	err = fails("---", 3);
	CHECK_STR(err, "p.md:1:1: error: front matter opened with --- is never closed with ---\n");
	free(err);
	err = fails("---\n", 4);
	CHECK_STR(err, "p.md:1:1: error: front matter opened with --- is never closed with ---\n");
	free(err);
}

TEST(test_invalid_utf8_with_its_line)
{
	static const char text[] = "---\ntitle: x\n---\nline four\nbad \xC3\x28 here\n";
	char *err = fails(text, strlen(text));
	CHECK_STR(err, "p.md:5: error: invalid UTF-8 (byte 0xc3 at offset 31)\n");
	free(err);
	/* In the front matter too, and in a file without any. */
	static const char fm[] = "---\ntitle: \xFF\n---\n";
	err = fails(fm, strlen(fm));
	CHECK_CONTAINS(err, "p.md:2: error: invalid UTF-8 (byte 0xff");
	free(err);
	static const char first[] = "\x80";
	err = fails(first, 1);
	CHECK_STR(err, "p.md:1: error: invalid UTF-8 (byte 0x80 at offset 0)\n");
	free(err);
	/* An overlong encoding of '/' is not UTF-8 either. */
	static const char overlong[] = "a\n\n\xC0\xAF\n";
	err = fails(overlong, strlen(overlong));
	CHECK_STR(err, "p.md:3: error: invalid UTF-8 (byte 0xc0 at offset 3)\n");
	free(err);
}

TEST(test_front_matter_must_be_a_mapping)
{
	static const char list[] = "---\n- a\n- b\n---\nBody\n";
	char *err = fails(list, strlen(list));
	CHECK_STR(err, "p.md:2:1: error: front matter must be a mapping of fields\n");
	free(err);
	static const char scalar[] = "---\njust text\n---\n";
	err = fails(scalar, strlen(scalar));
	CHECK_STR(err, "p.md:2:1: error: front matter must be a mapping of fields\n");
	free(err);
}

TEST(test_yaml_errors_at_file_lines)
{
	/* The duplicate key is on line 3 of the file (line 2 of the YAML). */
	static const char dup[] = "---\ntitle: a\ntitle: b\n---\n";
	char *err = fails(dup, strlen(dup));
	CHECK_STR(err, "p.md:3:1: error: duplicate key 'title'\n");
	free(err);
	static const char bad[] = "---\ntitle: x\nsummary: a: b\n---\n";
	err = fails(bad, strlen(bad));
	CHECK_STR(err, "p.md:3:10: error: YAML: a colon inside a value must be quoted; put the value "
	               "in quotes: summary: \"a: b\"\n");
	free(err);
	/* "title:x" alone is one string, not a field. */
	static const char nospace[] = "---\ntitle:x\n---\n";
	err = fails(nospace, strlen(nospace));
	CHECK_STR(err, "p.md:2:1: error: front matter must be a mapping of fields: put a space after the "
	               "colon (title: Note)\n");
	free(err);
	/* A BOM adds no line. */
	static const char bom[] = "\xEF\xBB\xBF---\na: 1\na: 2\n---\n";
	err = fails(bom, strlen(bom));
	CHECK_STR(err, "p.md:3:1: error: duplicate key 'a'\n");
	free(err);
	/* CRLF neither. */
	static const char crlf[] = "---\r\na: 1\r\n\r\na: 2\r\n---\r\n";
	err = fails(crlf, strlen(crlf));
	CHECK_STR(err, "p.md:4:1: error: duplicate key 'a'\n");
	free(err);
}

/* Control characters but tab, LF and CR go from the whole text, front matter and body, before
 * anything reads it: each one a space (a C1 character's two bytes one space), one warning per
 * file at the first one's line and column (in characters). */
TEST(test_scrub_control_characters)
{
	char text[] = "---\ntitle: \"A\x1c\x01" "B\"\n---\n\tBo\xc3\xa9\x0b" "dy\r\n\xc2\x85x\xc2\x9b\x7f\x1b[0m"
	              " \xc2\xa0nbsp\n";
	test_capture_start();
	size_t n = fm_scrub("content/x.md", text, strlen(text));
	char *err = test_capture_end();
	CHECK(n == strlen(text));
	CHECK_STR(text, "---\ntitle: \"A  B\"\n---\n\tBo\xc3\xa9 dy\r\n x   [0m \xc2\xa0nbsp\n");
	CHECK_CONTAINS(err, "content/x.md:2:10: warning: control character U+001C replaced by a space, "
	                    "and 6 more in this file");
	free(err);
	/* The front matter then parses: libyaml refuses raw control characters. */
	struct fm_doc d;
	test_capture_start();
	CHECK(fm_parse("content/x.md", text, n, &d) == 0);
	free(test_capture_end());
	CHECK_STR(value_str(value_map_get(d.meta, "title")), "A  B");
	fm_doc_free(&d);
	/* The first one after a multi-byte character: its column counts characters. */
	char t2[] = "---\ntitle: x\n---\n\xd0\x96\xd0\x96\xc2\x80\n";
	test_capture_start();
	n = fm_scrub("content/y.md", t2, strlen(t2));
	err = test_capture_end();
	CHECK_STR(t2, "---\ntitle: x\n---\n\xd0\x96\xd0\x96 \n");
	CHECK(n == strlen(t2));
	CHECK_CONTAINS(err, "content/y.md:4:3: warning: control character U+0080 replaced by a space (");
	free(err);
	/* Nothing to do: no message, the same bytes. */
	char t3[] = "---\ntitle: ok\n---\nTab\tand\r\nlines, \xc2\xa0 \xc3\x85.\n";
	test_capture_start();
	CHECK(fm_scrub("content/z.md", t3, strlen(t3)) == strlen(t3));
	err = test_capture_end();
	CHECK_STR(err, "");
	CHECK_STR(t3, "---\ntitle: ok\n---\nTab\tand\r\nlines, \xc2\xa0 \xc3\x85.\n");
	free(err);
}

TEST(test_free_twice_is_harmless)
{
	struct fm_doc d;
	if (ok("---\na: 1\n---\n", &d) < 0)
		return;
	fm_doc_free(&d);
	fm_doc_free(&d);
}

int
main(void)
{
	RUN(test_no_front_matter);
	RUN(test_scrub_control_characters);
	RUN(test_front_matter_and_body);
	RUN(test_closing_fence_at_end_of_file);
	RUN(test_bom_is_skipped);
	RUN(test_crlf_line_ends);
	RUN(test_fence_with_trailing_spaces);
	RUN(test_not_a_fence);
	RUN(test_empty_front_matter);
	RUN(test_unclosed_front_matter);
	RUN(test_invalid_utf8_with_its_line);
	RUN(test_front_matter_must_be_a_mapping);
	RUN(test_yaml_errors_at_file_lines);
	RUN(test_free_twice_is_harmless);
	RUN(test_json_front_matter);
	RUN(test_toml_front_matter_says_how_to_convert);
	return TEST_END();
}
