/* Tests for yml: core-schema scalars, positions, and the YAML that is refused (duplicate keys,
 * aliases, second documents, deep nesting) with the messages an editor sees. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "value.h"
#include "yml.h"

/* Parses text as "t.yaml", capturing what diag writes to stderr into *err (the caller frees).
 * diag prints each message once per run, so its memory is reset first. */
static int
parse_off(const char *text, int line_offset, struct value **out, char **err)
{
	test_capture_start();
	int rc = yml_parse("t.yaml", text, strlen(text), line_offset, out);
	*err = test_capture_end();
	return rc;
}

static int
parse(const char *text, struct value **out, char **err)
{
	return parse_off(text, 0, out, err);
}

/* Parses text that must be valid; the test fails otherwise. */
static struct value *
ok(const char *text)
{
	struct value *v = NULL;
	char *err;
	if (parse(text, &v, &err) != 0 || v == NULL) {
		fprintf(stderr, "unexpected YAML error for:\n%s\n%s", text, err);
		test_failed_now = 1;
	}
	free(err);
	return v;
}

/* Parses text that must fail; returns the message (the caller frees). */
static char *
fails(const char *text)
{
	struct value *v = NULL;
	char *err;
	if (parse(text, &v, &err) != -1) {
		fprintf(stderr, "YAML accepted but should fail:\n%s\n", text);
		test_failed_now = 1;
	}
	CHECK(v == NULL);
	value_free(v);
	return err;
}

static const struct value *
get(const struct value *m, const char *key)
{
	const struct value *v = value_map_get(m, key);
	if (v == NULL) {
		fprintf(stderr, "no key '%s'\n", key);
		test_failed_now = 1;
	}
	return v;
}

static int
is_type(const struct value *v, enum value_type t)
{
	return v != NULL && v->type == t;
}

static int
is_int(const struct value *v, int64_t i)
{
	return is_type(v, VALUE_INT) && v->u.i == i;
}

static int
is_float(const struct value *v, double f)
{
	return is_type(v, VALUE_FLOAT) && v->u.f == f;
}

static int
is_bool(const struct value *v, int b)
{
	return is_type(v, VALUE_BOOL) && v->u.b == b;
}

/* A plain (unquoted) string with exactly this text. */
static int
is_plain_string(const struct value *v, const char *s)
{
	return is_type(v, VALUE_STRING) && strcmp(v->u.str.s, s) == 0 && !v->quoted;
}

TEST(test_plain_nulls)
{
	struct value *m = ok("a: null\nb: ~\nc:\nd: Null\ne: NULL\nf: ''\n");
	CHECK(is_type(get(m, "a"), VALUE_NULL));
	CHECK(is_type(get(m, "b"), VALUE_NULL));
	CHECK(is_type(get(m, "c"), VALUE_NULL));
	CHECK(is_type(get(m, "d"), VALUE_NULL));
	CHECK(is_type(get(m, "e"), VALUE_NULL));
	/* Quoted, the empty string stays a string. */
	CHECK(is_type(get(m, "f"), VALUE_STRING) && get(m, "f")->quoted);
	value_free(m);
}

TEST(test_plain_booleans_are_core_schema_only)
{
	struct value *m = ok("a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\n"
	                     "g: yes\nh: no\ni: on\nj: off\nk: tRUE\n");
	CHECK(is_bool(get(m, "a"), 1));
	CHECK(is_bool(get(m, "b"), 1));
	CHECK(is_bool(get(m, "c"), 1));
	CHECK(is_bool(get(m, "d"), 0));
	CHECK(is_bool(get(m, "e"), 0));
	CHECK(is_bool(get(m, "f"), 0));
	/* YAML 1.1's yes/no/on/off are plain text in 1.2 (Norway stays "no"). */
	CHECK(is_plain_string(get(m, "g"), "yes"));
	CHECK(is_plain_string(get(m, "h"), "no"));
	CHECK(is_plain_string(get(m, "i"), "on"));
	CHECK(is_plain_string(get(m, "j"), "off"));
	CHECK(is_plain_string(get(m, "k"), "tRUE"));
	value_free(m);
}

TEST(test_plain_integers)
{
	struct value *m = ok("a: 42\nb: -17\nc: +5\nd: 0\ne: 0x1F\nf: 0x1f\ng: 0o17\nh: 012\n"
	                     "i: 9223372036854775807\nj: -9223372036854775808\nk: -0x10\n");
	CHECK(is_int(get(m, "a"), 42));
	CHECK(is_int(get(m, "b"), -17));
	CHECK(is_int(get(m, "c"), 5));
	CHECK(is_int(get(m, "d"), 0));
	CHECK(is_int(get(m, "e"), 31));
	CHECK(is_int(get(m, "f"), 31));
	CHECK(is_int(get(m, "g"), 15));
	/* A leading zero is decimal in YAML 1.2, not octal. */
	CHECK(is_int(get(m, "h"), 12));
	CHECK(is_int(get(m, "i"), INT64_MAX));
	CHECK(is_int(get(m, "j"), INT64_MIN));
	CHECK(is_int(get(m, "k"), -16));
	value_free(m);
}

TEST(test_plain_floats)
{
	struct value *m = ok("a: 3.5\nb: -0.25\nc: 1e3\nd: 2.5E-1\ne: 1.\nf: +1.5\n");
	CHECK(is_float(get(m, "a"), 3.5));
	CHECK(is_float(get(m, "b"), -0.25));
	CHECK(is_float(get(m, "c"), 1000.0));
	CHECK(is_float(get(m, "d"), 0.25));
	CHECK(is_float(get(m, "e"), 1.0));
	CHECK(is_float(get(m, "f"), 1.5));
	value_free(m);
}

TEST(test_plain_float_without_leading_digit)
{
	/* Regression (fixed): YAML 1.2's core schema reads ".5" and "-.5" as floats ([-+]?(\.[0-9]+|...)), but
	 * resolve_plain requires a digit after the sign and leaves them strings. Want 0.5 and -0.5. */
	struct value *m = ok("a: .5\nb: -.5\n");
	CHECK(is_float(get(m, "a"), 0.5));
	CHECK(is_float(get(m, "b"), -0.5));
	value_free(m);
}

TEST(test_plain_scalars_that_stay_strings)
{
	struct value *m = ok("date: 2025-03-14\nversion: 1.2.3\nrange: 1-2\nhex: 0x\nbadhex: 0xZZ\n"
	                     "octal8: 0o8\nupper: 0X1F\nplus: +\nword: hello world\n"
	                     "inf: .inf\nnan: .nan\nhuge: 1e999\ntime: 12:30\n");
	CHECK(is_plain_string(get(m, "date"), "2025-03-14"));
	CHECK(is_plain_string(get(m, "version"), "1.2.3"));
	CHECK(is_plain_string(get(m, "range"), "1-2"));
	CHECK(is_plain_string(get(m, "hex"), "0x"));
	CHECK(is_plain_string(get(m, "badhex"), "0xZZ"));
	CHECK(is_plain_string(get(m, "octal8"), "0o8"));
	CHECK(is_plain_string(get(m, "upper"), "0X1F"));
	CHECK(is_plain_string(get(m, "plus"), "+"));
	CHECK(is_plain_string(get(m, "word"), "hello world"));
	/* Infinities and NaN are refused as numbers: they would only surprise a template. */
	CHECK(is_plain_string(get(m, "inf"), ".inf"));
	CHECK(is_plain_string(get(m, "nan"), ".nan"));
	CHECK(is_plain_string(get(m, "huge"), "1e999"));
	/* YAML 1.1's sexagesimal numbers are gone in 1.2. */
	CHECK(is_plain_string(get(m, "time"), "12:30"));
	value_free(m);
}

TEST(test_quoted_scalars_are_strings_with_quoted_bit)
{
	struct value *m = ok("a: \"123\"\nb: '123'\nc: \"true\"\nd: 'null'\ne: !!str 42\n"
	                     "f: |\n  line\ng: >\n  folded\nh: plain\n");
	CHECK(is_type(get(m, "a"), VALUE_STRING));
	CHECK_STR(value_str(get(m, "a")), "123");
	CHECK(get(m, "a")->quoted);
	CHECK_STR(value_str(get(m, "b")), "123");
	CHECK(get(m, "b")->quoted);
	CHECK_STR(value_str(get(m, "c")), "true");
	CHECK(get(m, "c")->quoted);
	CHECK_STR(value_str(get(m, "d")), "null");
	CHECK(get(m, "d")->quoted);
	/* An explicit !!str tag is a string too. */
	CHECK_STR(value_str(get(m, "e")), "42");
	CHECK(get(m, "e")->quoted);
	/* Block scalars are not plain: never resolved. */
	CHECK_STR(value_str(get(m, "f")), "line\n");
	CHECK(get(m, "f")->quoted);
	CHECK_STR(value_str(get(m, "g")), "folded\n");
	CHECK(!get(m, "h")->quoted);
	CHECK(!get(m, "h")->html);
	value_free(m);
}

/* "\0" is a control character like the others: a space (it once stayed, binary-safe, and
 * reached pages). */
TEST(test_quoted_nul_becomes_a_space)
{
	struct value *m = NULL;
	char *err;
	CHECK(parse("a: \"x\\0y\"\n", &m, &err) == 0);
	const struct value *a = get(m, "a");
	CHECK(is_type(a, VALUE_STRING));
	CHECK(a != NULL && a->u.str.len == 3 && memcmp(a->u.str.s, "x y", 3) == 0);
	CHECK_CONTAINS(err, "t.yaml:1:4: warning: control character U+0000 replaced by a space");
	value_free(m);
	free(err);
}

TEST(test_nested_maps_and_lists_with_positions)
{
	struct value *m = ok("title: Hello\n"
	                     "list:\n"
	                     "  - one\n"
	                     "  - two: 2\n"
	                     "    three: [a, b]\n"
	                     "nested:\n"
	                     "  deep:\n"
	                     "    key: v\n");
	CHECK(is_type(m, VALUE_MAP));
	CHECK(m->line == 1 && m->col == 1);
	CHECK(value_len(m) == 3);
	/* Keys keep their order. */
	CHECK_STR(m->u.map.keys[0], "title");
	CHECK_STR(m->u.map.keys[1], "list");
	CHECK_STR(m->u.map.keys[2], "nested");

	const struct value *t = get(m, "title");
	CHECK(t->line == 1 && t->col == 8);

	const struct value *l = get(m, "list");
	CHECK(is_type(l, VALUE_LIST) && value_len(l) == 2);
	CHECK(l->line == 3 && l->col == 3);
	const struct value *one = l->u.list.items[0];
	CHECK(is_plain_string(one, "one"));
	CHECK(one->line == 3 && one->col == 5);
	const struct value *two = l->u.list.items[1];
	CHECK(is_type(two, VALUE_MAP) && value_len(two) == 2);
	CHECK(two->line == 4 && two->col == 5);
	CHECK(is_int(get(two, "two"), 2));
	CHECK(get(two, "two")->line == 4 && get(two, "two")->col == 10);
	const struct value *three = get(two, "three");
	CHECK(is_type(three, VALUE_LIST) && value_len(three) == 2);
	CHECK(three->line == 5 && three->col == 12);
	CHECK(three->u.list.items[1]->line == 5 && three->u.list.items[1]->col == 16);

	const struct value *key = value_map_get(value_map_get(get(m, "nested"), "deep"), "key");
	CHECK(is_plain_string(key, "v"));
	CHECK(key != NULL && key->line == 8 && key->col == 10);
	value_free(m);
}

TEST(test_line_offset_is_added_to_lines_not_columns)
{
	struct value *m = NULL;
	char *err;
	CHECK(parse_off("a: 1\nb:\n  - x\n", 10, &m, &err) == 0);
	CHECK_STR(err, "");
	free(err);
	CHECK(m->line == 11 && m->col == 1);
	CHECK(get(m, "a")->line == 11 && get(m, "a")->col == 4);
	const struct value *x = get(m, "b")->u.list.items[0];
	CHECK(x->line == 13 && x->col == 5);
	value_free(m);

	CHECK(parse_off("a: 1\na: 2\n", 4, &m, &err) == -1);
	CHECK_STR(err, "t.yaml:6:1: error: duplicate key 'a'\n");
	free(err);
}

TEST(test_duplicate_key_is_an_error)
{
	char *err = fails("a: 1\nb: 2\na: 3\n");
	CHECK_STR(err, "t.yaml:3:1: error: duplicate key 'a'\n");
	free(err);
	/* Nested maps too, at the nested key. */
	err = fails("m:\n  x: 1\n  x: 2\n");
	CHECK_STR(err, "t.yaml:3:3: error: duplicate key 'x'\n");
	free(err);
	/* A quoted key equals its plain spelling. */
	err = fails("a: 1\n\"a\": 2\n");
	CHECK_CONTAINS(err, "t.yaml:2:1: error: duplicate key 'a'");
	free(err);
	/* The same key in two different maps is fine. */
	struct value *m = ok("a: {x: 1}\nb: {x: 2}\n");
	value_free(m);
}

/* 100,000 keys, the last one a duplicate of the first: found, at its line, and in time linear in
 * the keys (each key was compared with every earlier one: about a minute, where this takes well
 * under a second even under the sanitizers). A child process with an alarm bounds it. */
static int
parse_many_keys(void *arg)
{
	size_t n = *(const size_t *)arg;
	struct buf b = BUF_INIT;
	alarm(20);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "key%zu: %zu\n", i, i);
	struct value *v = NULL;
	int rc = yml_parse("t.yaml", buf_str(&b), b.len, 0, &v);
	if (rc != 0 || value_len(v) != n)
		return 1;
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof key, "key%zu", i);
		const struct value *x = value_map_get(v, key);
		if (x == NULL || x->u.i != (int64_t)i || value_map_key_line(v, key) != (int)i + 1)
			return 2;
	}
	value_free(v);
	buf_puts(&b, "key0: again\n");
	rc = yml_parse("t.yaml", buf_str(&b), b.len, 0, &v);
	buf_free(&b);
	return rc == -1 && v == NULL ? 0 : 3;
}

TEST(test_many_keys_parse_in_linear_time)
{
	size_t n = 100000;
	char *err = NULL;
	int rc = test_in_child(parse_many_keys, &n, &err);
	CHECK(rc == 0);
	CHECK_STR(err, "t.yaml:100001:1: error: duplicate key 'key0'\n");
	free(err);
}

TEST(test_non_scalar_key_is_an_error)
{
	char *err = fails("? [a, b]\n: 1\n");
	CHECK_CONTAINS(err, "t.yaml:1:3: error: a mapping key must be a plain string");
	free(err);
	err = fails("{a: 1}: 2\n");
	CHECK_CONTAINS(err, "error: a mapping key must be a plain string");
	free(err);
}

TEST(test_alias_is_refused)
{
	char *err = fails("a: &x 1\nb: *x\n");
	CHECK_STR(err, "t.yaml:2:4: error: YAML aliases (*name) are not supported\n");
	free(err);
	/* The billion laughs never expand. */
	err = fails("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n");
	CHECK_CONTAINS(err, "YAML aliases (*name) are not supported");
	free(err);
	/* An anchor alone does no harm and is accepted. */
	struct value *m = ok("a: &x 1\n");
	CHECK(is_int(get(m, "a"), 1));
	value_free(m);
}

TEST(test_second_document_is_refused)
{
	char *err = fails("a: 1\n---\nb: 2\n");
	CHECK_STR(err, "t.yaml:2:1: error: more than one YAML document\n");
	free(err);
	/* One document with explicit markers is fine. */
	struct value *m = ok("---\na: 1\n...\n");
	CHECK(is_int(get(m, "a"), 1));
	value_free(m);
}

TEST(test_unclosed_quote_reported_where_it_opens)
{
	char *err = fails("title: \"Hello\nnext: 1\nmore: 2\n");
	CHECK_STR(err, "t.yaml:1:8: error: YAML: the double quote that opens this value is never "
	               "closed; end the value with it: title: \"Hello\"\n");
	free(err);
	/* With an offset, the line moves. */
	struct value *v;
	CHECK(parse_off("a: 1\nb: 'x\n", 5, &v, &err) == -1);
	CHECK(v == NULL);
	CHECK_CONTAINS(err, "t.yaml:7:4: error: YAML: the single quote that opens this value is never "
	                    "closed; end the value with it: b: 'x'");
	free(err);
}

TEST(test_syntax_error_without_context)
{
	char *err = fails("a:\n  - b\n  c: d\n");
	CHECK_CONTAINS(err, "t.yaml:2:3: error: YAML: while parsing a block collection: ");
	free(err);
	err = fails("a: 1\n\tb: 2\n");
	CHECK_CONTAINS(err, "t.yaml:");
	CHECK_CONTAINS(err, "error: YAML: ");
	free(err);
}

TEST(test_unclosed_flow_list)
{
	char *err = fails("a: [1, 2\nb: 3\n");
	CHECK_CONTAINS(err, "t.yaml:1:4: error: YAML: while parsing a flow sequence:");
	free(err);
}

TEST(test_invalid_utf8_is_an_error)
{
	char *err = fails("a: 1\nb: \xff\n");
	CHECK_CONTAINS(err, "error: YAML: invalid leading UTF-8 octet");
	/* Regression (fixed): libyaml's reader errors carry problem_offset, not problem_mark, so yml reports every
	 * invalid byte at 1:1. Input "a: 1\nb: \xff\n" gives "t.yaml:1:1: error: YAML: invalid
	 * leading UTF-8 octet"; it should name the line of the bad byte: "t.yaml:2:4: ...". This
	 * matters for site.yaml and the i18n YAML files, which have no UTF-8 check of their own. */
	CHECK_CONTAINS(err, "t.yaml:2:4: error:");
	free(err);
}

TEST(test_block_error_names_both_lines)
{
	/* Reported where the mapping opens, with the line of the problem in the text. */
	char *err = fails("a:\n  b: 1\n c: 2\n");
	CHECK_STR(err, "t.yaml:1:1: error: YAML: while parsing a block mapping: did not find "
	               "expected key at line 3\n");
	free(err);
}

static char *
nested_lists(int depth)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < depth; i++)
		buf_puts(&b, "[");
	for (int i = 0; i < depth; i++)
		buf_puts(&b, "]");
	return buf_detach(&b);
}

TEST(test_deep_nesting_limit)
{
	/* 65 levels (depths 0 to 64) are allowed; the 66th is refused. */
	char *text = nested_lists(65);
	struct value *v = ok(text);
	int depth = 0;
	for (const struct value *p = v; p != NULL && p->type == VALUE_LIST;
	     p = value_len(p) ? p->u.list.items[0] : NULL)
		depth++;
	CHECK(depth == 65);
	value_free(v);
	free(text);

	text = nested_lists(66);
	char *err = fails(text);
	CHECK_STR(err, "t.yaml:1:66: error: YAML nested too deeply\n");
	free(err);
	free(text);

	/* Block maps count too, and a huge depth neither crashes nor overflows the stack. */
	struct buf b = BUF_INIT;
	for (int i = 0; i < 100; i++) {
		for (int k = 0; k < i; k++)
			buf_puts(&b, " ");
		buf_puts(&b, "k:\n");
	}
	err = fails(buf_str(&b));
	CHECK_CONTAINS(err, "YAML nested too deeply");
	free(err);
	buf_free(&b);

	text = nested_lists(200000);
	err = fails(text);
	CHECK_CONTAINS(err, "error:");
	free(err);
	free(text);
}

TEST(test_empty_input_is_null)
{
	struct value *v = ok("");
	CHECK(is_type(v, VALUE_NULL));
	value_free(v);
	v = ok("# only a comment\n\n");
	CHECK(is_type(v, VALUE_NULL));
	value_free(v);
	v = ok("---\n");
	CHECK(is_type(v, VALUE_NULL));
	value_free(v);
	/* A zero length is honoured even with text behind it. */
	CHECK(yml_parse("t.yaml", "a: 1", 0, 0, &v) == 0);
	CHECK(is_type(v, VALUE_NULL));
	value_free(v);
}

TEST(test_scalar_and_list_roots)
{
	struct value *v = ok("hello\n");
	CHECK(is_plain_string(v, "hello"));
	CHECK(v->line == 1 && v->col == 1);
	value_free(v);
	v = ok("- 1\n- two\n");
	CHECK(is_type(v, VALUE_LIST) && value_len(v) == 2);
	CHECK(is_int(v->u.list.items[0], 1));
	value_free(v);
}

TEST(test_errors_are_counted)
{
	char *err = fails("a: 1\na: 2\n");
	free(err);
	CHECK(diag_error_count() == 1);
	struct value *v = ok("a: 1\n");
	CHECK(diag_error_count() == 0);
	value_free(v);
}

/* The usual mistakes of a hand-written file: each is reported at its own line with the fix. */
TEST(test_hint_colon_in_unquoted_value)
{
	char *err = fails("date: 2025-01-01\ntitle: Note: read this\n");
	CHECK_STR(err, "t.yaml:2:8: error: YAML: a colon inside a value must be quoted; put the value "
	               "in quotes: title: \"Note: read this\"\n");
	free(err);
	/* A value holding a double quote is put in single quotes. */
	err = fails("title: Say \"hi\": now\n");
	CHECK_CONTAINS(err, "t.yaml:1:8: error: YAML: a colon inside a value must be quoted; put the "
	                    "value in quotes: title: 'Say \"hi\": now'");
	free(err);
	/* In a list item's mapping too. */
	err = fails("items:\n  - name: Step: one\n");
	CHECK_CONTAINS(err, "t.yaml:2:11: error: YAML: a colon inside a value must be quoted; put the "
	                    "value in quotes: - name: \"Step: one\"");
	free(err);
	/* A URL's colon is followed by no space: no error, no hint. */
	struct value *v = ok("online: https://example.org/a\n");
	value_free(v);
}

TEST(test_hints_are_not_misplaced)
{
	/* A tab after the spaces of a block of text is text: the hint is for the real mistake. */
	char *err = fails("notes: |\n  a\n  \tb\ntitle: Note: x\n");
	CHECK_CONTAINS(err, "t.yaml:4:8: error: YAML: a colon inside a value must be quoted");
	free(err);
	/* The column of a quote after letters of two bytes counts characters. */
	err = fails("заглавие: \"Бележка\nb: 1\n");
	CHECK_STR(err, "t.yaml:1:11: error: YAML: the double quote that opens this value is never "
	               "closed; end the value with it: заглавие: \"Бележка\"\n");
	free(err);
	/* "title:x" runs on over lines of text to where libyaml stops. */
	err = fails("title:x\nmore words\nb: 1\n");
	CHECK_CONTAINS(err, "t.yaml:1:6: error: YAML: put a space after the colon: title: x");
	free(err);
	/* A colon with no space inside a value is no mistake: the hint is for the real one. */
	err = fails("a: b:c\nd: 1\ne: f: g\n");
	CHECK_CONTAINS(err, "t.yaml:3:4: error: YAML: a colon inside a value must be quoted");
	free(err);
}

TEST(test_hint_tab_in_indentation)
{
	char *err = fails("title: x\nparams:\n\tfoo: 1\n");
	CHECK_STR(err, "t.yaml:3:1: error: YAML: a tab indents this line; YAML indents with spaces only "
	               "(replace the tab with spaces)\n");
	free(err);
}

TEST(test_hint_missing_space_after_colon)
{
	/* libyaml stops on the line after it (the value runs on); the hint names the right one. */
	char *err = fails("title:Note\ndate: 2025-01-01\n");
	CHECK_STR(err, "t.yaml:1:6: error: YAML: put a space after the colon: title: Note\n");
	free(err);
}

TEST(test_hint_list_item_at_the_wrong_indent)
{
	char *err = fails("title: x\ntopics:\n  - a\n - b\n");
	CHECK_STR(err, "t.yaml:4:2: error: YAML: this list item is indented 1 space, the one above "
	               "(line 3) 2; the items of one list start in the same column\n");
	free(err);
	err = fails("title: x\n- a\n");
	CHECK_CONTAINS(err, "t.yaml:2:1: error: YAML: a list item here, but 'title' above already has a "
	                    "value on its line");
	free(err);
}

TEST(test_hint_key_indented_under_a_value)
{
	char *err = fails("title: x\n  summary: y\n");
	CHECK_STR(err, "t.yaml:2:3: error: YAML: this line is indented more than 'title' above (line 1), "
	               "which already has a value; the keys of one mapping start in the same column\n");
	free(err);
}

TEST(test_hints_count_front_matter_lines)
{
	struct value *v;
	char *err;
	CHECK(parse_off("title: Note: read this\n", 1, &v, &err) == -1);
	CHECK_CONTAINS(err, "t.yaml:2:8: error: YAML: a colon inside a value must be quoted");
	free(err);
	CHECK(parse_off("a: 1\ntopics:\n  - a\n - b\n", 1, &v, &err) == -1);
	CHECK_CONTAINS(err, "t.yaml:5:2: error: YAML: this list item is indented 1 space, the one above "
	                    "(line 4) 2");
	free(err);
}

/* A quoted value's escapes can make any character; a control character (but tab and line
 * breaks) becomes a space, in values and keys, with a warning at the scalar: none reaches a page,
 * a feed or an index from site.yaml, front matter or UI strings. */
TEST(test_escaped_control_characters_become_spaces)
{
	struct value *v = NULL;
	char *err;
	CHECK(parse("title: \"File\\x1csep \\u0085nel \\e esc \\0 nul \\x9b csi \\x7f del\"\n"
	            "ok: \"tab\\tand\\nline\"\n"
	            "list: [\"a\\x01b\", 'plain']\n"
	            "\"ke\\x1fy\": \"\\N\"\n",
	            &v, &err) == 0);
	CHECK_STR(value_str(get(v, "title")), "File sep  nel   esc   nul   csi   del");
	CHECK_STR(value_str(get(v, "ok")), "tab\tand\nline");
	CHECK_STR(value_str(get(v, "list")->u.list.items[0]), "a b");
	CHECK_STR(value_str(get(v, "ke y")), " ");
	CHECK_CONTAINS(err, "t.yaml:1:8: warning: control character U+001C replaced by a space, with the "
	                    "others in this value");
	CHECK_CONTAINS(err, "t.yaml:3:8: warning: control character U+0001 replaced by a space (");
	CHECK_CONTAINS(err, "t.yaml:4:1: warning: control character U+001F replaced by a space (");
	CHECK_CONTAINS(err, "t.yaml:4:12: warning: control character U+0085 replaced by a space (");
	CHECK_NOT_CONTAINS(err, "t.yaml:2:");
	value_free(v);
	free(err);
}

int
main(void)
{
	RUN(test_plain_nulls);
	RUN(test_escaped_control_characters_become_spaces);
	RUN(test_hint_colon_in_unquoted_value);
	RUN(test_hint_tab_in_indentation);
	RUN(test_hints_are_not_misplaced);
	RUN(test_hint_missing_space_after_colon);
	RUN(test_hint_list_item_at_the_wrong_indent);
	RUN(test_hint_key_indented_under_a_value);
	RUN(test_hints_count_front_matter_lines);
	RUN(test_plain_booleans_are_core_schema_only);
	RUN(test_plain_integers);
	RUN(test_plain_floats);
	RUN(test_plain_float_without_leading_digit);
	RUN(test_plain_scalars_that_stay_strings);
	RUN(test_quoted_scalars_are_strings_with_quoted_bit);
	RUN(test_quoted_nul_becomes_a_space);
	RUN(test_nested_maps_and_lists_with_positions);
	RUN(test_line_offset_is_added_to_lines_not_columns);
	RUN(test_duplicate_key_is_an_error);
	RUN(test_many_keys_parse_in_linear_time);
	RUN(test_non_scalar_key_is_an_error);
	RUN(test_alias_is_refused);
	RUN(test_second_document_is_refused);
	RUN(test_unclosed_quote_reported_where_it_opens);
	RUN(test_syntax_error_without_context);
	RUN(test_unclosed_flow_list);
	RUN(test_invalid_utf8_is_an_error);
	RUN(test_block_error_names_both_lines);
	RUN(test_deep_nesting_limit);
	RUN(test_empty_input_is_null);
	RUN(test_scalar_and_list_roots);
	RUN(test_errors_are_counted);
	return TEST_END();
}
