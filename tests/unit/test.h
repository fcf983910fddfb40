/* test.h: the few macros satchel's unit tests use. Each test file defines tests with TEST(name)
 * and lists them in main with RUN(name); the run ends with "N passed, N failed". */
#ifndef SATCHEL_TEST_H
#define SATCHEL_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"

static int test_failed_now;
static int test_passed, test_failed;

#define TEST(name) static void name(void)

/* Captures what goes to stderr (diag's messages) between test_capture_start and
 * test_capture_end, which returns it (the caller frees). diag prints a message once per run, so
 * its memory is reset at the start. Not nestable. */
static FILE *test_cap_file;
static int test_cap_saved = -1;

static inline void
test_capture_start(void)
{
	diag_reset();
	test_cap_file = tmpfile();
	fflush(stderr);
	test_cap_saved = dup(2);
	dup2(fileno(test_cap_file), 2);
}

static inline char *
test_capture_end(void)
{
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	fflush(stderr);
	dup2(test_cap_saved, 2);
	close(test_cap_saved);
	rewind(test_cap_file);
	while ((n = fread(chunk, 1, sizeof chunk, test_cap_file)) > 0)
		buf_add(&b, chunk, n);
	fclose(test_cap_file);
	buf_puts(&b, "");
	return buf_detach(&b);
}

/* Runs fn(arg) in a child process with stderr captured, so that a crash (a sanitizer abort)
 * fails the calling test instead of ending the run. Returns the child's exit code (fn's return
 * value, 0 to 255), or -1 when it died; *err gets everything it printed (the caller frees). */
static inline int
test_in_child(int (*fn)(void *), void *arg, char **err)
{
	FILE *out = tmpfile();
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	int status = 0, rc = -1;

	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 2);
		int code = fn(arg);
		fflush(stderr);
		_exit(code);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		rc = WEXITSTATUS(status);
	rewind(out);
	while ((n = fread(chunk, 1, sizeof chunk, out)) > 0)
		buf_add(&b, chunk, n);
	fclose(out);
	buf_puts(&b, "");
	*err = buf_detach(&b);
	return rc;
}

/* Runs a shell command built like printf (fixture repositories made with git); the test fails
 * when it does. Returns its status. */
static inline int __attribute__((format(printf, 1, 2)))
test_sh(const char *fmt, ...)
{
	va_list ap;
	char *cmd;
	va_start(ap, fmt);
	int n = vasprintf(&cmd, fmt, ap);
	va_end(ap);
	if (n < 0)
		abort();
	int rc = system(cmd);
	if (rc != 0) {
		fprintf(stderr, "command failed (%d): %s\n", rc, cmd);
		test_failed_now = 1;
	}
	free(cmd);
	return rc;
}

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
