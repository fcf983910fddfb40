/* Tests for timing: what build --timings adds up — per-thread template and write times merged,
 * templates left by an error dropped, the table's rows — and that every mark of a build names a
 * phase. Counts and names only: no test depends on how long anything took. */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/timing.h"
#include "util/xalloc.h"

/* The table timing_report prints, as text. */
static char *
report(void)
{
	FILE *f = tmpfile();
	struct buf b = BUF_INIT;
	timing_report(f);
	rewind(f);
	char line[512];
	while (fgets(line, sizeof line, f) != NULL)
		buf_puts(&b, line);
	fclose(f);
	return buf_detach(&b);
}

/* The calls column of a template's row, or -1. */
static long
calls_of(const char *table, const char *name)
{
	for (const char *p = table; (p = strstr(p, name)) != NULL; p++)
		if ((p == table || p[-1] == '\n') && p[strlen(name)] == ' ')
			return strtol(p + strlen(name), NULL, 10);
	return -1;
}

enum { ROUNDS = 500 };

static void *
worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		size_t a = timing_tmpl_enter("base.html");
		size_t b = timing_tmpl_enter("partials/nav.html");
		timing_tmpl_leave(b);
		size_t c = timing_tmpl_enter("partials/nav.html");
		timing_tmpl_leave(c);
		timing_tmpl_leave(a);
		uint64_t w = timing_write_begin();
		timing_write_end(w);
	}
	return NULL;
}

TEST(test_threads_are_merged)
{
	timing_start(3);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	timing_mark("  pages");
	char *s = report();
	CHECK(calls_of(s, "base.html") == 3 * ROUNDS);
	CHECK(calls_of(s, "partials/nav.html") == 6 * ROUNDS);
	CHECK_CONTAINS(s, "3 worker threads\n");
	static const char *const phases[] = {"load ", "history ", "Markdown ", "render ", "search index ",
	                                     "feeds ", "images ", "write ", "packs ", "links ", "swap ",
	                                     "other ", "total "};
	for (size_t i = 0; i < sizeof phases / sizeof *phases; i++) {
		char *row = xasprintf("\n%s", phases[i]);
		CHECK_CONTAINS(s, row);
		free(row);
	}
	free(s);
	/* Reported: collecting stops, and the next run starts afresh. */
	CHECK(timing_collect == 0);
	CHECK(timing_tmpl_enter("x.html") == 0);
	timing_start(1);
	size_t k = timing_tmpl_enter("only.html");
	timing_tmpl_leave(k);
	s = report();
	CHECK(calls_of(s, "only.html") == 1);
	CHECK(calls_of(s, "base.html") == -1);
	free(s);
}

/* A render stopped by an error leaves its templates without a leave: unwind drops them, and they
 * are not counted; a leave past frames an error skipped closes them too. */
TEST(test_error_frames_are_dropped)
{
	timing_start(1);
	size_t depth = timing_tmpl_depth();
	timing_tmpl_enter("broken.html");
	timing_tmpl_enter("partials/half.html");
	timing_tmpl_unwind(depth);
	CHECK(timing_tmpl_depth() == depth);
	size_t a = timing_tmpl_enter("page.html");
	timing_tmpl_enter("partials/caught.html"); /* an error a template's pcall caught */
	timing_tmpl_leave(a);
	CHECK(timing_tmpl_depth() == depth);
	char *s = report();
	CHECK(calls_of(s, "page.html") == 1);
	CHECK(calls_of(s, "broken.html") == -1);
	CHECK(calls_of(s, "partials/caught.html") == -1);
	free(s);
}

/* Every timing_mark of a build names a phase (else its time would count as other); the marks
 * of engine_run (serve's runs, which print no table) and the engine's end may not. */
TEST(test_every_mark_has_a_phase)
{
	static const char *const not_a_phase[] = {
	    "engine's end", "(between runs)", "quick path", "source", "engine_build done",
	    "  sync: new files", "  sync: old files", "  sync: outputs", "record", "done",
	};
	static const char *const dirs[] = {"generator", "generator/util"};
	size_t marks = 0;
	for (size_t d = 0; d < 2; d++) {
		char *dir = xasprintf("%s/%s", SATCHEL_SOURCE_DIR, dirs[d]);
		DIR *dh = opendir(dir);
		struct dirent *e;
		while (dh != NULL && (e = readdir(dh)) != NULL) {
			size_t n = strlen(e->d_name);
			if (n < 3 || strcmp(e->d_name + n - 2, ".c") != 0 || strcmp(e->d_name, "timing.c") == 0)
				continue;
			char *path = xasprintf("%s/%s", dir, e->d_name);
			struct buf b = BUF_INIT;
			if (fs_read_file(path, &b) == 0)
				for (const char *p = buf_str(&b); (p = strstr(p, "timing_mark(\"")) != NULL;) {
					p += strlen("timing_mark(\"");
					const char *q = strchr(p, '"');
					char *name = xstrndup(p, (size_t)(q - p));
					int allowed = 0;
					for (size_t i = 0; i < sizeof not_a_phase / sizeof *not_a_phase; i++)
						allowed |= strcmp(name, not_a_phase[i]) == 0;
					if (!allowed && strcmp(timing_phase_of(name), "other") == 0) {
						fprintf(stderr, "  %s: mark \"%s\" has no phase\n", e->d_name, name);
						test_failed_now = 1;
					}
					marks++;
					free(name);
					p = q;
				}
			buf_free(&b);
			free(path);
		}
		if (dh != NULL)
			closedir(dh);
		free(dir);
	}
	CHECK(marks > 30);
	CHECK_STR(timing_phase_of("  pages"), "render");
	CHECK_STR(timing_phase_of("history"), "history");
	CHECK_STR(timing_phase_of("    search indexes"), "search index");
	CHECK_STR(timing_phase_of("no such mark"), "other");
}

int
main(void)
{
	RUN(test_threads_are_merged);
	RUN(test_error_frames_are_dropped);
	RUN(test_every_mark_has_a_phase);
	return TEST_END();
}
