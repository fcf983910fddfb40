/* test.h: the few macros satchel's unit tests use. Each test file defines tests with TEST(name)
 * and lists them in main with RUN(name); the run ends with "N passed, N failed". */
#ifndef SATCHEL_TEST_H
#define SATCHEL_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_now;
static int test_passed, test_failed;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			test_failed_now = 1;                                             \
		}                                                                        \
	} while (0)

#define CHECK_STR(got, want)                                                             \
	do {                                                                             \
		const char *g_ = (got), *w_ = (want);                                    \
		if (g_ == NULL || w_ == NULL || strcmp(g_, w_) != 0) {                   \
			fprintf(stderr, "%s:%d: %s\n  got:  %s\n  want: %s\n", __FILE__, __LINE__, \
			        #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)");           \
			test_failed_now = 1;                                             \
		}                                                                        \
	} while (0)

#define CHECK_CONTAINS(hay, needle)                                                      \
	do {                                                                             \
		const char *h_ = (hay), *n_ = (needle);                                  \
		if (h_ == NULL || strstr(h_, n_) == NULL) {                              \
			fprintf(stderr, "%s:%d: %s does not contain \"%s\"\n  in: %s\n", __FILE__, \
			        __LINE__, #hay, n_, h_ ? h_ : "(null)");                 \
			test_failed_now = 1;                                             \
		}                                                                        \
	} while (0)

#define CHECK_NOT_CONTAINS(hay, needle)                                                  \
	do {                                                                             \
		const char *h_ = (hay), *n_ = (needle);                                  \
		if (h_ != NULL && strstr(h_, n_) != NULL) {                              \
			fprintf(stderr, "%s:%d: %s contains \"%s\"\n  in: %s\n", __FILE__, \
			        __LINE__, #hay, n_, h_);                                 \
			test_failed_now = 1;                                             \
		}                                                                        \
	} while (0)

#define RUN(name)                                                                        \
	do {                                                                             \
		test_failed_now = 0;                                                     \
		name();                                                                  \
		if (test_failed_now) {                                                   \
			test_failed++;                                                   \
			fprintf(stderr, "FAIL %s\n", #name);                             \
		} else {                                                                 \
			test_passed++;                                                   \
		}                                                                        \
	} while (0)

#define TEST_END()                                                                       \
	(printf("%s: %d passed, %d failed\n", __FILE__, test_passed, test_failed), test_failed != 0)

#endif
