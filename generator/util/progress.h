/* progress: one line on stderr that says how far a long build has come ("satchel: pages
 * 1200/3500"), for an editor watching a terminal. Workers count their steps; whichever step
 * finds a tenth of a second gone since the last line writes the next one, so there is no timer
 * thread. Nothing is shown in the first second, nor when stderr is not a terminal. */
#ifndef SATCHEL_PROGRESS_H
#define SATCHEL_PROGRESS_H

#include <stddef.h>

struct progress;

/* A progress line for this run, starting its clock; NULL (which every function takes, and
 * ignores) when quiet is set or stderr is not a terminal. progress_free clears the line. */
struct progress *progress_new(int quiet);
void progress_free(struct progress *p);
/* A new stage of total steps, named what ("pages"); called between stages, not during one. */
void progress_begin(struct progress *p, const char *what, size_t total);
/* One step done. Thread-safe. */
void progress_step(struct progress *p);

#endif
