/* timing: where a run's time goes, phase by phase, on stderr when SATCHEL_TIMES is set (a tool
 * for whoever makes satchel faster; nothing else reads it). timing_mark("plan") prints the time
 * since the previous mark (or since the first). Thread-safe; costs a getenv once when unset. */
#ifndef SATCHEL_TIMING_H
#define SATCHEL_TIMING_H

void timing_mark(const char *what);

#endif
