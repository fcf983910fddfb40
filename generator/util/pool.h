/* pool: runs njobs independent jobs on nthreads threads. Jobs are taken in index order from a
 * shared counter, so a thread that finishes early takes more. */
#ifndef SATCHEL_POOL_H
#define SATCHEL_POOL_H

#include <stddef.h>

/* Calls fn(i, worker, payload) for i in [0, njobs); worker is in [0, nthreads) and no two
 * concurrent calls share a worker index, so per-worker state can be indexed by it. Returns when
 * every job is done. */
void pool_run(size_t njobs, int nthreads, void (*fn)(size_t i, int worker, void *payload),
              void *payload);
/* The number of threads to use: $SATCHEL_JOBS when set, else the online CPUs. */
int pool_default_threads(void);

#endif
