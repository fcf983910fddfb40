/* Tests for safeguard: consent records judged at a time, names that look like a child's full name
 * in several scripts, front matter that could identify a child, and the withdrawal list's paths. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "safeguard.h"
#include "test.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "yml.h"

static struct value *
yaml(const char *text)
{
	struct value *v = NULL;
	if (yml_parse("t.md", text, strlen(text), 0, &v) < 0)
		test_failed_now = 1;
	return v;
}

/* The reason a record (YAML text of the map, or NULL) is refused at now, or "" when valid. */
static char *
judge(const char *text, int64_t now, int64_t *soon)
{
	struct value *root = text ? yaml(text) : NULL;
	int line = 0;
	int64_t s = 0;
	test_capture_start();
	char *why = safeguard_consent("t.md", root ? value_map_get(root, "consent") : NULL, now, &line, &s);
	free(test_capture_end());
	value_free(root);
	if (soon != NULL)
		*soon = s;
	return why ? why : xstrdup("");
}

#define DAY 86400
static const int64_t JAN1_2026 = 1767225600; /* 2026-01-01T00:00:00Z */

TEST(test_consent_records)
{
	const char *ok = "consent: {child: true, guardian: true, given: 2026-01-01, review: 2026-12-31, "
	                 "recorded_by: Lead}";
	char *w;
	int64_t soon = 0;
	CHECK_STR((w = judge(ok, JAN1_2026 + 10 * DAY, &soon)), "");
	free(w);
	CHECK(soon == 0);
	/* The review day itself is still valid; the day after is not. */
	CHECK_STR((w = judge(ok, JAN1_2026 + 364 * DAY + 3600, &soon)), "");
	free(w);
	CHECK(soon == JAN1_2026 + 364 * DAY); /* within 30 days: time to review */
	CHECK_CONTAINS((w = judge(ok, JAN1_2026 + 365 * DAY, NULL)), "consent ran out on 2026-12-31");
	free(w);
	CHECK_CONTAINS((w = judge(NULL, JAN1_2026, NULL)), "no consent record");
	free(w);
	CHECK_CONTAINS((w = judge("consent: yes", JAN1_2026, NULL)), "must be a record");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: false, guardian: true, given: 2026-01-01, review: 2027-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "child's consent");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, given: 2026-01-01, review: 2027-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "guardian's consent");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, review: 2027-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "when consent was given");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: 2026-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "no date to review consent by");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: 2026-01-01, review: 2027-01-01}", JAN1_2026, NULL)),
	               "who recorded");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: 2026-03-01, review: 2027-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "after the build's date");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: 2026-01-01, review: 2025-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "before it was given");
	free(w);
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: soon, review: 2027-01-01, recorded_by: L}", JAN1_2026, NULL)),
	               "not a date");
	free(w);
	/* expires: the earlier of review and expires counts. */
	CHECK_CONTAINS((w = judge("consent: {child: true, guardian: true, given: 2025-01-01, review: 2027-01-01, expires: 2025-06-01, recorded_by: L}", JAN1_2026, NULL)),
	               "ran out on 2025-06-01");
	free(w);
}

TEST(test_name_like)
{
	CHECK(safeguard_name_like("Maria Petrova"));
	CHECK(safeguard_name_like("Мария Петрова"));
	CHECK(safeguard_name_like("Μαρία Παπαδοπούλου"));
	CHECK(safeguard_name_like("Ana-Maria Ionescu"));
	CHECK(safeguard_name_like("by Jan de Vries and Anna Smit"));
	CHECK(!safeguard_name_like("Lark"));
	CHECK(!safeguard_name_like("Blue sky"));
	CHECK(!safeguard_name_like("CAB Sofia")); /* an acronym is not a first name */
	CHECK(!safeguard_name_like("Sky, Lark"));  /* two pseudonyms, not one name */
	CHECK(!safeguard_name_like("سارة أحمد"));   /* Arabic has no capitals: nothing to go by */
	CHECK(!safeguard_name_like(""));
	CHECK(!safeguard_name_like(NULL));
}

/* Issue 10: names written so that the old check (two capitalised words in a row) missed them. */
TEST(test_name_like_in_any_form)
{
	CHECK(safeguard_name_like("MARIA PETROVA"));
	CHECK(safeguard_name_like("Maria PETROVA"));
	CHECK(safeguard_name_like("Petrova, Maria"));
	CHECK(safeguard_name_like("PETROVA, MARIA"));
	CHECK(safeguard_name_like("Maria van der Berg"));
	CHECK(safeguard_name_like("Jan de Vries"));
	CHECK(safeguard_name_like("Ludwig von Mises"));
	CHECK(safeguard_name_like("МАРИЯ ПЕТРОВА"));
	CHECK(safeguard_name_like("Петрова, Мария"));
	CHECK(safeguard_name_like("ΜΑΡΙΑ ΠΑΠΑΔΟΠΟΥΛΟΥ"));
	CHECK(safeguard_name_like("Ma\xe2\x80\x8bria Pe\xe2\x80\x8ctrova")); /* ZWSP, ZWNJ */
	CHECK(safeguard_name_like("Ma\xe2\x80\x8dria Pe\xc2\xadtrova"));   /* ZWJ, soft hyphen */
	CHECK(safeguard_name_like("Maria\xe2\x80\x8bPetrova"));            /* ZWSP between the words */
	CHECK(safeguard_name_like("\xef\xbb\xbfMaria \xe2\x81\xa0Petrova")); /* BOM, word joiner */
	CHECK(safeguard_name_like("\xef\xbc\xad\xef\xbd\x81\xef\xbd\x92\xef\xbd\x89\xef\xbd\x81 Petrova")); /* full-width */
	CHECK(safeguard_name_like("\xd0\x9c\xd0\xb0\xe2\x80\x8c\xd1\x80\xd0\xb8\xd1\x8f \xd0\x9f\xd0\xb5\xd1\x82\xd1\x80\xd0\xbe\xd0\xb2\xd0\xb0"));
	/* Kept passing: pseudonyms, acronyms, lower case, organisations. */
	CHECK(!safeguard_name_like("Sky, Lark"));
	CHECK(!safeguard_name_like("CAB Sofia"));
	CHECK(!safeguard_name_like("UNICEF"));
	CHECK(!safeguard_name_like("Blue sky"));
	CHECK(!safeguard_name_like("blue sky and maria"));
	CHECK(!safeguard_name_like("Child Advisory Board, Sofia"));
	CHECK(!safeguard_name_like("Children's workshop, Belgrade"));
	CHECK(!safeguard_name_like("Детски консултативен съвет, София"));
	CHECK(!safeguard_name_like("Дечја радионица, Београд"));
	CHECK(!safeguard_name_like("Lark de"));
	CHECK(!safeguard_name_like("Sky (de la)"));
	CHECK(!safeguard_name_like("Lark, 10"));
}

static int
identifying(const char *text)
{
	struct value *root = yaml(text);
	test_capture_start();
	int n = safeguard_identifying("t.md", root);
	free(test_capture_end());
	value_free(root);
	return n;
}

TEST(test_identifying_front_matter)
{
	CHECK(identifying("pseudonym: Lark\nage_range: 9-11\ngroup: \"Children's workshop, Belgrade\"\n") == 0);
	CHECK(identifying("pseudonym: Maria Petrova\n") == 1);
	CHECK(identifying("creators: [Lark, Ivan Ivanov]\n") == 1);
	CHECK(identifying("group: Primary School No. 5\n") == 1);
	CHECK(identifying("group: Основно училище Христо Ботев\n") == 1);
	CHECK(identifying("group: 3ο Γυμνάσιο Αθηνών\n") == 1);
	CHECK(identifying("group: Școala Gimnazială nr. 3\n") == 1);
	CHECK(identifying("age_range: 2015-03-07\n") == 1);
	CHECK(identifying("pseudonym: Wren 7/3/2015\n") == 1);
	CHECK(identifying("age_range: 14-17\n") == 0);
	CHECK(identifying("date_of_birth: 2015-03-07\n") == 1);
	CHECK(identifying("Birthplace: Sofia\n") == 1);
	CHECK(identifying("school: No. 5\nemail: x@example.org\n") == 2);
	CHECK(identifying("summary: Children from a school drew this on 2026-03-01.\n") == 0); /* not a creator field */
	/* Issue 10: the group is read for names as the pseudonym is. */
	CHECK(identifying("group: MARIA PETROVA\n") == 1);
	CHECK(identifying("group: \"Petrova, Maria\"\n") == 1);
	CHECK(identifying("group: Maria van der Berg's class\n") == 1);
	CHECK(identifying("group: \"Child Advisory Board, Sofia\"\n") == 0);
	CHECK(identifying("credit: МАРИЯ ПЕТРОВА\n") == 1);
}

TEST(test_withdrawn_paths)
{
	char dir[] = "/tmp/satchel-test-safeguard-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	test_sh("mkdir -p '%s/safeguarding' && printf 'title: X\\n' >'%s/site.yaml' && "
	        "printf -- '- by-children/a\\n- path: content/by-children/b.md\\n- {path: ./by-children/c/}\\n"
	        "- by-children/unused\\n' >'%s/safeguarding/withdrawn.yaml'",
	        dir, dir, dir);
	struct source *src = NULL;
	struct source_opts o = SOURCE_OPTS_INIT;
	o.site_dir = dir;
	test_capture_start();
	CHECK(source_open(&src, &o) == 0);
	struct safeguard *sg = NULL;
	int loaded = safeguard_load(src, &sg);
	free(test_capture_end());
	CHECK(loaded == 0);
	CHECK(safeguard_withdrawn(sg, "content/by-children/a/index.md") == 1);
	CHECK(safeguard_withdrawn(sg, "content/by-children/a/index.bg.md") == 1);
	CHECK(safeguard_withdrawn(sg, "content/by-children/a/drawing.png") == 1);
	CHECK(safeguard_withdrawn(sg, "content/by-children/a") == 1);
	CHECK(safeguard_withdrawn(sg, "content/by-children/ab/index.md") == 0); /* not a prefix match */
	CHECK(safeguard_withdrawn(sg, "content/by-children/b.md") == 2);
	CHECK(safeguard_withdrawn(sg, "content/by-children/b.sr.md") == 2);
	CHECK(safeguard_withdrawn(sg, "content/by-children/c/index.md") == 3);
	CHECK(safeguard_withdrawn(sg, "content/guidance/x/index.md") == 0);
	diag_reset();
	test_capture_start();
	safeguard_report_unused(sg);
	char *err = test_capture_end();
	CHECK_CONTAINS(err, "safeguarding/withdrawn.yaml:4: warning: 'by-children/unused' names no page");
	CHECK(strstr(err, "'by-children/a'") == NULL);
	free(err);
	safeguard_free(sg);
	source_free(src);
	/* A path that leaves content/, or no path: errors at their lines. */
	test_sh("printf -- '- ../../etc/passwd\\n- {date: 2026-01-01}\\n' >'%s/safeguarding/withdrawn.yaml'", dir);
	test_capture_start();
	CHECK(source_open(&src, &o) == 0);
	CHECK(safeguard_load(src, &sg) == -1);
	err = test_capture_end();
	CHECK_CONTAINS(err, "safeguarding/withdrawn.yaml:1:3: error:");
	CHECK_CONTAINS(err, "safeguarding/withdrawn.yaml:2:3: error:");
	free(err);
	safeguard_free(sg);
	source_free(src);
	test_sh("rm -rf '%s'", dir);
}

int
main(void)
{
	RUN(test_consent_records);
	RUN(test_name_like);
	RUN(test_name_like_in_any_form);
	RUN(test_identifying_front_matter);
	RUN(test_withdrawn_paths);
	i18n_shutdown();
	return TEST_END();
}
