/* progress: the in-place progress line of a long build (see progress.h). */
#include "progress.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "xalloc.h"

#define SECOND 1000000000LL
#define QUIET_FOR SECOND    /* a build shorter than this shows nothing */
#define EVERY (SECOND / 10) /* at most ten lines a second */

struct progress {
	const char *what;
	size_t total;
	atomic_size_t done;
	atomic_llong next; /* the monotonic time (ns) before which no line is written */
	atomic_int shown;  /* a line is on the terminal */
};

static long long
now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * SECOND + t.tv_nsec;
}

struct progress *
progress_new(int quiet)
{
	if (quiet || !isatty(STDERR_FILENO))
		return NULL;
	struct progress *p = xcalloc(1, sizeof *p);
	p->what = "";
	atomic_init(&p->done, 0);
	atomic_init(&p->next, now_ns() + QUIET_FOR);
	atomic_init(&p->shown, 0);
	return p;
}

void
progress_begin(struct progress *p, const char *what, size_t total)
{
	if (p == NULL)
		return;
	p->what = what;
	p->total = total;
	atomic_store(&p->done, 0);
}

void
progress_step(struct progress *p)
{
	if (p == NULL)
		return;
	size_t done = atomic_fetch_add(&p->done, 1) + 1;
	long long t = now_ns(), next = atomic_load(&p->next);
	/* One thread wins the right to write this tenth of a second's line. */
	if (t < next || !atomic_compare_exchange_strong(&p->next, &next, t + EVERY))
		return;
	char line[160];
	/* Erase to the end of the line, then back to its start: a message printed meanwhile
	 * writes over it rather than after it. */
	int n =
	    snprintf(line, sizeof line, "\rsatchel: %s %zu/%zu\033[K\r", p->what, done, p->total);
	if (n > 0 && (size_t)n < sizeof line && write(STDERR_FILENO, line, (size_t)n) == n)
		atomic_store(&p->shown, 1);
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	static const char clear[] = "\r\033[K";
	if (atomic_load(&p->shown) && write(STDERR_FILENO, clear, sizeof clear - 1) < 0) {
		/* nothing to do: the terminal is gone */
	}
	free(p);
}
