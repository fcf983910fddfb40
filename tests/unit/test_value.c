/* Tests for value maps: lookups, replacement, removal and sorting give the same answers below and
 * above the size at which a map starts keeping a hash index of its keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/xalloc.h"
#include "value.h"

/* A map of n keys "k0".."k(n-1)", each value the number i, each key on line i + 1. */
static struct value *
numbered(size_t n)
{
	struct value *m = value_new_map();
	for (size_t i = 0; i < n; i++) {
		char key[32];
		snprintf(key, sizeof key, "k%zu", i);
		value_map_set(m, key, value_new_int((int64_t)i));
		m->u.map.key_lines[i] = (int)i + 1;
	}
	return m;
}

/* Every key of m "kI" maps to the number I on line I + 1, in order of insertion. */
static int
consistent(const struct value *m)
{
	for (size_t i = 0; i < m->u.map.len; i++) {
		const char *key = m->u.map.keys[i];
		const struct value *v = value_map_get(m, key);
		if (v != m->u.map.vals[i] || value_map_key_line(m, key) != m->u.map.key_lines[i])
			return 0;
	}
	return 1;
}

TEST(test_map_lookups_at_every_size)
{
	static const size_t sizes[] = {0, 1, 15, 16, 17, 100, 5000};
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
		size_t n = sizes[s];
		struct value *m = numbered(n);
		CHECK(value_len(m) == n);
		CHECK(consistent(m));
		for (size_t i = 0; i < n; i++) {
			char key[32];
			snprintf(key, sizeof key, "k%zu", i);
			const struct value *v = value_map_get(m, key);
			CHECK(v != NULL && v->type == VALUE_INT && v->u.i == (int64_t)i);
			CHECK(value_map_key_line(m, key) == (int)i + 1);
		}
		CHECK(value_map_get(m, "absent") == NULL);
		CHECK(value_map_get(m, "k") == NULL);
		CHECK(value_map_key_line(m, "absent") == 0);
		value_free(m);
	}
}

TEST(test_map_set_replaces_in_place)
{
	struct value *m = numbered(40);
	value_map_set(m, "k7", value_new_string("seven"));
	CHECK(value_len(m) == 40);
	CHECK_STR(value_str(value_map_get(m, "k7")), "seven");
	CHECK_STR(m->u.map.keys[7], "k7");
	CHECK(consistent(m));
	value_free(m);
}

TEST(test_map_take_keeps_the_rest_findable)
{
	/* From 40 keys down to none, taking from the front, the middle and the end: the index is
	 * dropped below its size and made again above it. */
	struct value *m = numbered(40);
	size_t n = 40;
	while (n > 0) {
		const char *key = m->u.map.keys[n % 3 == 0 ? 0 : n % 3 == 1 ? n / 2 : n - 1];
		char *copy = xstrdup(key);
		struct value *v = value_map_take(m, copy);
		CHECK(v != NULL);
		value_free(v);
		n--;
		CHECK(value_len(m) == n);
		CHECK(value_map_get(m, copy) == NULL);
		CHECK(consistent(m));
		free(copy);
	}
	CHECK(value_map_take(m, "k1") == NULL);
	for (size_t i = 0; i < 20; i++) { /* grows again past the index size */
		char key[32];
		snprintf(key, sizeof key, "again%zu", i);
		value_map_set(m, key, value_new_int((int64_t)i));
	}
	CHECK(consistent(m));
	CHECK(value_map_get(m, "again19") != NULL);
	value_free(m);
}

TEST(test_map_sort_orders_keys_and_keeps_lookups)
{
	struct value *m = numbered(30);
	value_map_sort(m);
	for (size_t i = 1; i < m->u.map.len; i++)
		CHECK(strcmp(m->u.map.keys[i - 1], m->u.map.keys[i]) < 0);
	CHECK_STR(m->u.map.keys[0], "k0");
	CHECK_STR(m->u.map.keys[1], "k1");
	CHECK_STR(m->u.map.keys[2], "k10");
	CHECK(value_map_key_line(m, "k10") == 11); /* a key keeps its line */
	CHECK(consistent(m));
	value_free(m);
}

TEST(test_map_copy_is_indexed_too)
{
	struct value *m = numbered(50);
	struct value *c = value_copy(m);
	value_free(m);
	CHECK(value_len(c) == 50);
	CHECK(consistent(c));
	CHECK(value_map_key_line(c, "k49") == 50);
	value_free(c);
}

int
main(void)
{
	RUN(test_map_lookups_at_every_size);
	RUN(test_map_set_replaces_in_place);
	RUN(test_map_take_keeps_the_rest_findable);
	RUN(test_map_sort_orders_keys_and_keeps_lookups);
	RUN(test_map_copy_is_indexed_too);
	return TEST_END();
}
