/* timing: phase times on stderr when SATCHEL_TIMES is set. */
#include "timing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int state; /* 0 unknown, 1 off, 2 on */
static double last;

static double
mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
timing_mark(const char *what)
{
	pthread_mutex_lock(&lock);
	if (state == 0) {
		const char *e = getenv("SATCHEL_TIMES");
		state = e != NULL && *e ? 2 : 1;
	}
	if (state == 2) {
		double t = mono();
		if (last > 0)
			fprintf(stderr, "satchel: time %-24s %8.3f s\n", what, t - last);
		last = t;
	}
	pthread_mutex_unlock(&lock);
}
