/* Tests for types: reading content-type declarations (the default theme's types.yaml and bad
 * ones) and checking single front-matter values against a field's kind. How a whole site's pages
 * are checked against their types is in test_site.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "types.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "yml.h"

/* Parses YAML text into a value; NULL (and a failed test) when it does not parse. */
static struct value *
yaml(const char *text)
{
	struct value *v = NULL;
	if (yml_parse("t.yaml", text, strlen(text), 0, &v) < 0) {
		fprintf(stderr, "test YAML does not parse:\n%s\n", text);
		test_failed_now = 1;
	}
	return v;
}

/* Declares text's types into t; returns types_add's result and the messages in *err. */
static int
declare(struct types *t, const char *text, char **err)
{
	struct value *v = yaml(text);
	test_capture_start();
	int rc = types_add(t, "t.yaml", v);
	if (rc == 0)
		rc = types_check(t, "t.yaml");
	*err = test_capture_end();
	value_free(v);
	return rc;
}

TEST(test_default_theme_types_load)
{
	struct types t = {0};
	struct buf b = BUF_INIT;
	char *err;
	CHECK(fs_read_file(SATCHEL_SOURCE_DIR "/themes/default/types.yaml", &b) == 0);
	CHECK(declare(&t, buf_str(&b), &err) == 0);
	CHECK_STR(err, "");
	static const char *const names[] = {"guidance", "tool", "child-made", "course", "module",
	                                    "news", "event", "partner", "project"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		CHECK(types_get(&t, names[i]) != NULL);
	const struct ctype *cm = types_get(&t, "child-made");
	CHECK(cm != NULL && cm->resource);
	const struct field *f = type_field(cm, "pseudonym");
	CHECK(f != NULL && f->required && f->kind == FIELD_TEXT && f->shared);
	f = type_field(cm, "age_range");
	CHECK(f != NULL && f->kind == FIELD_AGES && f->shared);
	f = type_field(cm, "video");
	CHECK(f != NULL && f->kind == FIELD_FILE);
	CHECK(type_field(cm, "name") == NULL); /* a child's own name has no field */
	const struct ctype *course = types_get(&t, "course");
	CHECK(course != NULL && course->parts != NULL && strcmp(course->parts, "module") == 0);
	CHECK(types_get(&t, "event") != NULL && !types_get(&t, "event")->resource);
	f = type_field(types_get(&t, "tool"), "kind");
	CHECK(f != NULL && f->kind == FIELD_CHOICE && f->nvalues == 5);
	f = type_field(types_get(&t, "guidance"), "publisher");
	CHECK(f != NULL && f->kind == FIELD_PAGE && f->to && strcmp(f->to, "partner") == 0 && f->shared);
	free(err);
	buf_free(&b);
	types_free(&t);
}

TEST(test_short_form_and_replacement)
{
	struct types t = {0};
	char *err;
	CHECK(declare(&t, "note:\n  fields:\n    title: text\n    when: date\n", &err) == 0);
	free(err);
	CHECK(type_field(types_get(&t, "note"), "when")->kind == FIELD_DATE);
	/* A later declaration of the same type (site.yaml over the theme) replaces it whole. */
	CHECK(declare(&t, "note:\n  resource: true\n  fields:\n    colour: {kind: choice, values: [red]}\n",
	              &err) == 0);
	free(err);
	CHECK(t.n == 1);
	CHECK(types_get(&t, "note")->resource);
	CHECK(type_field(types_get(&t, "note"), "when") == NULL);
	CHECK(type_field(types_get(&t, "note"), "colour") != NULL);
	types_free(&t);
}

TEST(test_bad_declarations)
{
	static const struct {
		const char *yaml, *message;
	} cases[] = {
	    {"x:\n  fields:\n    a: {kind: colour}\n", "t.yaml:3:15: error: field 'a' needs a kind"},
	    {"x:\n  fields:\n    a: {kind: choice}\n", "t.yaml:3:8: error: choice field 'a' needs a list of values"},
	    {"x:\n  fields:\n    a: {kind: text, values: [b]}\n", "t.yaml:3:29: error: only a choice field has values"},
	    {"x:\n  fields:\n    a: {kind: text, to: partner}\n", "only a page or pages field has 'to'"},
	    {"x:\n  fields:\n    a: {kind: text, requried: true}\n", "t.yaml:3: error: unknown key 'requried' in a field"},
	    {"x:\n  fields:\n    a: {kind: text, required: yes-please}\n", "t.yaml:3:31: error: 'required' must be true or false"},
	    {"x:\n  colour: red\n", "t.yaml:2: error: unknown key 'colour' in a type"},
	    {"X Y:\n  fields: {}\n", "type name 'X Y' must be lowercase"},
	    {"x: 3\n", "type 'x' must be a mapping"},
	    {"x:\n  fields: [a]\n", "t.yaml:2:11: error: 'fields' must be a mapping of field names"},
	    {"x:\n  parts: y\n", "type 'x': its parts are of type 'y', which is not declared"},
	    {"x:\n  fields:\n    p: {kind: page, to: nobody}\n", "field 'p' links to type 'nobody', which is not declared"},
	    {"- x\n", "types must be a mapping of type names"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct types t = {0};
		char *err;
		int rc = declare(&t, cases[i].yaml, &err);
		if (rc != -1 || strstr(err, cases[i].message) == NULL) {
			fprintf(stderr, "case %zu: rc %d, want the message \"%s\"; got:\n%s", i, rc,
			        cases[i].message, err);
			test_failed_now = 1;
		}
		free(err);
		types_free(&t);
	}
}

/* Checks one YAML scalar or list against a field of the given kind; returns field_check's result
 * and the message in *err. */
static int
check_value(enum field_kind kind, const char *yaml_value, char **err)
{
	static char *values[] = {"checklist", "roadmap"};
	struct field f = {.name = "f", .kind = kind, .values = values, .nvalues = 2};
	char *doc = xasprintf("f: %s\n", yaml_value);
	struct value *v = yaml(doc);
	test_capture_start();
	int rc = field_check(&f, "p.md", value_map_get(v, "f"));
	*err = test_capture_end();
	value_free(v);
	free(doc);
	return rc;
}

TEST(test_field_kinds)
{
	static const struct {
		enum field_kind kind;
		const char *value;
		const char *message; /* NULL: accepted */
	} cases[] = {
	    {FIELD_TEXT, "hello", NULL},
	    {FIELD_TEXT, "[a, b]", "p.md:1:4: error: 'f' must be text; not a list"},
	    {FIELD_TEXTS, "[a, b]", NULL},
	    {FIELD_TEXTS, "one", NULL}, /* one item is a list of one */
	    {FIELD_TEXTS, "[a, [b]]", "p.md:1:8: error: each item of 'f' must be text; not a list"},
	    {FIELD_DATE, "2027-03-18", NULL},
	    {FIELD_DATE, "2027-03-18T10:00:00+02:00", NULL},
	    {FIELD_DATE, "2027-02-30", "'f' must be a date such as 2025-03-14"},
	    {FIELD_DATE, "next week", "'f' must be a date such as 2025-03-14"},
	    {FIELD_NUMBER, "3", NULL},
	    {FIELD_NUMBER, "three", "'f' must be a whole number; not text"},
	    {FIELD_BOOL, "true", NULL},
	    {FIELD_BOOL, "\"true\"", "'f' must be true or false"},
	    {FIELD_URL, "https://example.org/a?b=c", NULL},
	    {FIELD_URL, "javascript:alert(1)", "'f' must be a web address starting with https://"},
	    {FIELD_URL, "\"https://\"", "'f' must be a web address"},
	    {FIELD_URL, "\"https://a.org/\\\" onclick=x\"", "'f' must be a web address"},
	    {FIELD_PAGE, "partners/x", NULL},
	    {FIELD_PAGE, "[a]", "'f' must be a page"},
	    {FIELD_PAGES, "[a, partners/b, ../c/index.md]", NULL},
	    {FIELD_FILE, "film.mp4", NULL},
	    {FIELD_FILE, "../../secret.txt", "'f' must be the name of a file beside the page"},
	    {FIELD_FILE, "/etc/passwd", "'f' must be the name of a file beside the page"},
	    {FIELD_CHOICE, "roadmap", NULL},
	    {FIELD_CHOICE, "poster", "p.md:1:4: error: 'f' must be one of checklist, roadmap; not text"},
	    {FIELD_COUNTRY, "BG", NULL},
	    {FIELD_COUNTRY, "xk", NULL}, /* Kosovo */
	    {FIELD_COUNTRY, "Bulgaria", "'f' must be an ISO 3166-1 country code"},
	    {FIELD_COUNTRY, "QQ", "'f' must be an ISO 3166-1 country code"},
	    {FIELD_COUNTRY, "YU", "'f' must be an ISO 3166-1 country code"}, /* no longer a country */
	    {FIELD_COUNTRIES, "[rs, gr, mk]", NULL},
	    {FIELD_COUNTRIES, "[rs, zz]", "p.md:1:9: error: each item of 'f' must be an ISO 3166-1"},
	    {FIELD_AGES, "14-17", NULL},
	    {FIELD_AGES, "\"14–17\"", NULL},
	    {FIELD_AGES, "16+", NULL},
	    {FIELD_AGES, "12", NULL},
	    {FIELD_AGES, "17-14", "'f' must be an age range such as 12-15"},
	    {FIELD_AGES, "teenager", "'f' must be an age range"},
	    {FIELD_AGES, "40", "'f' must be an age range"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err;
		int rc = check_value(cases[i].kind, cases[i].value, &err);
		int ok = cases[i].message == NULL ? rc == 0 && *err == '\0'
		                                  : rc == -1 && strstr(err, cases[i].message) != NULL;
		if (!ok) {
			fprintf(stderr, "case %zu (%s): rc %d, want %s; got:\n%s\n", i, cases[i].value, rc,
			        cases[i].message ? cases[i].message : "no message", err);
			test_failed_now = 1;
		}
		free(err);
	}
}

TEST(test_age_ranges)
{
	int lo, hi;
	CHECK(parse_ages("9-11", &lo, &hi) == 0 && lo == 9 && hi == 11);
	CHECK(parse_ages("12 – 15", &lo, &hi) == 0 && lo == 12 && hi == 15);
	CHECK(parse_ages("16+", &lo, &hi) == 0 && lo == 16 && hi == -1);
	CHECK(parse_ages("14", &lo, &hi) == 0 && lo == 14 && hi == 14);
	CHECK(parse_ages("-3", &lo, &hi) == -1);
	CHECK(parse_ages("3-", &lo, &hi) == -1);
	CHECK(parse_ages("3-4-5", &lo, &hi) == -1);
	CHECK(parse_ages(NULL, &lo, &hi) == -1);
}

TEST(test_dates_with_times_keep_their_offset)
{
	int64_t ts;
	char *ymd;
	int has_time;
	long off;
	CHECK(parse_date_full("2027-03-18T10:00:00+02:00", &ts, &ymd, &has_time, &off) == 0);
	CHECK(ts == 1805356800 && has_time && off == 7200);
	CHECK_STR(ymd, "2027-03-18");
	free(ymd);
	CHECK(parse_date_full("2027-03-18", &ts, &ymd, &has_time, &off) == 0);
	CHECK(!has_time && off == 0);
	free(ymd);
}

/* YAML timestamps as Jekyll sites write them: a space before the zone, +HHMM or +HH. */
TEST(test_yaml_timestamps)
{
	int64_t ts, ts2;
	char *ymd;
	int has_time;
	long off;
	CHECK(parse_date_full("2018-01-25 22:22:22 +0530", &ts, &ymd, &has_time, &off) == 0);
	CHECK(has_time && off == 19800);
	CHECK_STR(ymd, "2018-01-25");
	free(ymd);
	CHECK(parse_date_full("2018-01-25T22:22:22+05:30", &ts2, &ymd, &has_time, &off) == 0);
	CHECK(ts == ts2);
	free(ymd);
	CHECK(parse_date_full("2018-01-25 22:22 -05", &ts, &ymd, &has_time, &off) == 0);
	CHECK(off == -18000);
	free(ymd);
	CHECK(parse_date_full("2018-01-25 22:22:22 Z", &ts, &ymd, &has_time, &off) == 0);
	free(ymd);
	CHECK(parse_date_full("2018-01-25 22:22:22 +05:", &ts, &ymd, &has_time, &off) == -1);
	CHECK(parse_date_full("2018-01-25 22:22:22 +2500", &ts, &ymd, &has_time, &off) == -1);
	CHECK(parse_date_full("2018-01-25 22:22:22 +5", &ts, &ymd, &has_time, &off) == -1);
	CHECK(parse_date_full("2018-01-25 22:22:22  +0530", &ts, &ymd, &has_time, &off) == -1);
}

TEST(test_common_keys)
{
	CHECK(types_common_key("title"));
	CHECK(types_common_key("easy_read"));
	CHECK(!types_common_key("pseudonym"));
}

int
main(void)
{
	RUN(test_default_theme_types_load);
	RUN(test_short_form_and_replacement);
	RUN(test_bad_declarations);
	RUN(test_field_kinds);
	RUN(test_age_ranges);
	RUN(test_dates_with_times_keep_their_offset);
	RUN(test_yaml_timestamps);
	RUN(test_common_keys);
	return TEST_END();
}
