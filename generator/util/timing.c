/* timing: phase times on stderr when SATCHEL_TIMES is set. */
#include "timing.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int state; /* 0 unknown, 1 off, 2 on */
static double last, last_cpu;

static double
mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the whole process, every thread, user and system: a figure the other programs on a
 * busy machine change less than the wall clock. */
static double
cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
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
		double t = mono(), c = cpu();
		if (last > 0)
			fprintf(stderr, "satchel: time %-24s %8.3f s %8.3f s cpu\n", what, t - last, c - last_cpu);
		last = t;
		last_cpu = c;
	}
	pthread_mutex_unlock(&lock);
}
