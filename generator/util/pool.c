/* pool: a fixed set of threads draining a job counter. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

struct pool {
	atomic_size_t next;
	size_t njobs;
	void (*fn)(size_t, int, void *);
	void *payload;
	struct diag *diag; /* the caller's: workers report into the same run */
};

struct worker {
	struct pool *p;
	int id;
};

static void *
drain(void *arg)
{
	struct worker *w = arg;
	diag_use(w->p->diag);
	for (;;) {
		size_t i = atomic_fetch_add(&w->p->next, 1);
		if (i >= w->p->njobs)
			break;
		w->p->fn(i, w->id, w->p->payload);
	}
	return NULL;
}

void
pool_run(size_t njobs, int nthreads, void (*fn)(size_t, int, void *), void *payload)
{
	struct pool p = {.njobs = njobs, .fn = fn, .payload = payload, .diag = diag_current()};
	atomic_init(&p.next, 0);
	if (nthreads < 1)
		nthreads = 1;
	if ((size_t)nthreads > njobs)
		nthreads = njobs ? (int)njobs : 1;
	struct worker *ws = xcalloc((size_t)nthreads, sizeof *ws);
	pthread_t *ts = xcalloc((size_t)nthreads, sizeof *ts);
	for (int i = 0; i < nthreads; i++) {
		ws[i].p = &p;
		ws[i].id = i;
	}
	/* The calling thread is worker 0. */
	int started = 1;
	for (int i = 1; i < nthreads; i++) {
		if (pthread_create(&ts[i], NULL, drain, &ws[i]) != 0)
			break;
		started++;
	}
	drain(&ws[0]);
	for (int i = 1; i < started; i++)
		pthread_join(ts[i], NULL);
	free(ts);
	free(ws);
}

int
pool_default_threads(void)
{
	const char *env = getenv("SATCHEL_JOBS");
	if (env != NULL && atoi(env) > 0)
		return atoi(env);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}
