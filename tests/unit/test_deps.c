/* Tests for deps: the record of what each output was made from — fresh only when its facts and
 * the texts of the templates it loaded are as recorded; kept as text that reads back the same;
 * a damaged line is a stale output, never a fresh one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "deps.h"
#include "test.h"
#include "util/buf.h"
#include "util/map.h"
#include "util/xalloc.h"

/* Templates "as they are now": name -> fingerprint of its text, for deps_fresh. */
static struct map now_texts;

static uint64_t
fp_of(void *payload, const char *names)
{
	uint64_t h = DEPS_SEED;
	(void)payload;
	for (const char *n = names, *e; n && *n && (e = strchr(n, '\n')) != NULL; n = e + 1) {
		char *name = xstrndup(n, (size_t)(e - n));
		const char *text = map_get(&now_texts, name);
		h = deps_hash_str(deps_hash_str(h, name), text ? text : "(none)");
		free(name);
	}
	return h;
}

static void
set_text(const char *name, const char *text)
{
	map_put(&now_texts, name, (void *)text);
}

TEST(test_deps_fresh_when_facts_and_templates_are_as_recorded)
{
	struct deps d = DEPS_INIT;
	set_text("page.html", "<p>{{ page.title }}</p>");
	set_text("partials/footer.html", "<footer>");
	const char *used = "page.html\npartials/footer.html\n";
	deps_set(&d, "en/x/index.html", 42, used, fp_of(NULL, used));
	CHECK(deps_fresh(&d, "en/x/index.html", 42, fp_of, NULL));
	/* Other facts (a title it lists changed): stale. */
	CHECK(!deps_fresh(&d, "en/x/index.html", 43, fp_of, NULL));
	/* An output the record does not have (a new page): stale. */
	CHECK(!deps_fresh(&d, "en/y/index.html", 42, fp_of, NULL));
	/* A template it included changed: stale; one it did not include: still fresh. */
	set_text("partials/list.html", "<ul data-new>");
	CHECK(deps_fresh(&d, "en/x/index.html", 42, fp_of, NULL));
	set_text("partials/footer.html", "<footer data-new>");
	CHECK(!deps_fresh(&d, "en/x/index.html", 42, fp_of, NULL));
	set_text("partials/footer.html", "<footer>");
	CHECK(deps_fresh(&d, "en/x/index.html", 42, fp_of, NULL));
	deps_free(&d);
}

TEST(test_deps_record_reads_back_the_same)
{
	struct deps d = DEPS_INIT, back = DEPS_INIT;
	deps_set(&d, "en/b/index.html", 0xfedcba9876543210ULL, "page.html\nbase.html\n", 7);
	deps_set(&d, "404.html", 1, "404.html\n", 2);
	deps_set(&d, "en/none/index.html", 3, "", 4);
	deps_set(&d, "404.html", 5, "404.html\nbase.html\n", 6); /* replaces */
	struct buf t1 = BUF_INIT, t2 = BUF_INIT;
	deps_save(&d, &t1);
	/* In output order, one line each. */
	CHECK_STR(buf_str(&t1), "404.html\t0000000000000005\t0000000000000006\t404.html|base.html\n"
	                        "en/b/index.html\tfedcba9876543210\t0000000000000007\tpage.html|base.html\n"
	                        "en/none/index.html\t0000000000000003\t0000000000000004\t\n");
	deps_load(&back, t1.data, t1.len);
	deps_save(&back, &t2);
	CHECK_STR(buf_str(&t2), buf_str(&t1));
	const struct deps_entry *e = deps_get(&back, "en/b/index.html");
	CHECK(e != NULL && e->facts == 0xfedcba9876543210ULL && e->tmpl_fp == 7);
	CHECK(e != NULL && strcmp(e->templates, "page.html\nbase.html\n") == 0);
	buf_free(&t1);
	buf_free(&t2);
	deps_free(&d);
	deps_free(&back);
}

TEST(test_deps_damaged_record_is_stale_not_fresh)
{
	struct deps d = DEPS_INIT;
	const char *text = "en/a/index.html\t00000000000000zz\t0000000000000001\tpage.html\n"
	                   "en/b/index.html\t0000000000000002\n"
	                   "en/c/index.html\t0000000000000002\t0000000000000003\tpage.html\n"
	                   "garbage\n";
	deps_load(&d, text, strlen(text));
	CHECK(deps_get(&d, "en/a/index.html") == NULL);
	CHECK(deps_get(&d, "en/b/index.html") == NULL);
	CHECK(deps_get(&d, "garbage") == NULL);
	CHECK(deps_get(&d, "en/c/index.html") != NULL);
	/* Loading again starts afresh. */
	deps_load(&d, "", 0);
	CHECK(deps_get(&d, "en/c/index.html") == NULL);
	deps_load(&d, NULL, 0);
	deps_free(&d);
}

TEST(test_deps_hash_separates_fields)
{
	uint64_t a = deps_hash_str(deps_hash_str(DEPS_SEED, "ab"), "c");
	uint64_t b = deps_hash_str(deps_hash_str(DEPS_SEED, "a"), "bc");
	CHECK(a != b);
	CHECK(deps_hash_str(DEPS_SEED, NULL) != deps_hash_str(DEPS_SEED, ""));
	CHECK(deps_hash_u64(DEPS_SEED, 1) != deps_hash_u64(DEPS_SEED, 2));
}

int
main(void)
{
	RUN(test_deps_fresh_when_facts_and_templates_are_as_recorded);
	RUN(test_deps_record_reads_back_the_same);
	RUN(test_deps_damaged_record_is_stale_not_fresh);
	RUN(test_deps_hash_separates_fields);
	map_free(&now_texts);
	return TEST_END();
}
