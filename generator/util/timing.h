/* timing: where a build's time goes.
 *
 * timing_mark("  pages") ends an interval: the time since the previous mark (or since
 * timing_start) was spent in what the mark names. Its name chooses the phase it counts in
 * (timing.c's table: "  markdown" is Markdown, "    search indexes" the search index; a name the
 * table lacks counts as other). With SATCHEL_TIMES set every mark is printed as it comes (a
 * developer's tool). With `satchel build --timings` (timing_start, then timing_report) the
 * intervals are summed per phase and printed as a table after the build, with the theme's
 * templates, each timed per call.
 *
 * Work that runs on many threads inside a phase is measured per call on a monotonic clock and
 * summed per thread, without locks; the sums are read at the next mark, after the threads
 * joined: the templates (timing_tmpl_enter/leave, with their own time apart from what they
 * include) and the writing of output files (timing_write_begin/end), whose share of each
 * interval is counted as the write phase rather than the phase it happened in.
 *
 * Off (neither set), a mark costs a test and the per-call hooks an inline test of a flag. */
#ifndef SATCHEL_TIMING_H
#define SATCHEL_TIMING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Set while per-call times are collected; read through the inline hooks. */
extern int timing_collect;

/* Collects from now on (build_run's start): phases, templates, writes. nthreads: the worker
 * threads, for the table's heading. */
void timing_start(int nthreads);
void timing_mark(const char *what);
/* Prints the table (phases, then templates, most costly first) to f and stops collecting. The
 * total is the wall time since timing_start. */
void timing_report(FILE *f);

/* The phase a mark's name counts in, by name: "load", "history", "Markdown", "render", "search
 * index", "feeds", "images", "write", "packs", "links", "swap", or "other" (for tests). */
const char *timing_phase_of(const char *what);

uint64_t timing_now_ns_(void);
size_t timing_tmpl_enter_(const char *name);
void timing_tmpl_leave_(size_t token);
void timing_tmpl_unwind_(size_t depth);
size_t timing_tmpl_depth_(void);
void timing_write_end_(uint64_t t0);

/* Around each run of a template (a layout, what it extends or includes, a partial): enter
 * returns a token for leave. A render that stops on an error skips the leaves of the templates
 * it was in: unwind(depth), with the depth taken before the render, drops them. */
static inline size_t
timing_tmpl_enter(const char *name)
{
	return timing_collect ? timing_tmpl_enter_(name) : 0;
}
static inline void
timing_tmpl_leave(size_t token)
{
	if (timing_collect)
		timing_tmpl_leave_(token);
}
static inline size_t
timing_tmpl_depth(void)
{
	return timing_collect ? timing_tmpl_depth_() : 0;
}
static inline void
timing_tmpl_unwind(size_t depth)
{
	if (timing_collect)
		timing_tmpl_unwind_(depth);
}

/* Around the writing of one output file. */
static inline uint64_t
timing_write_begin(void)
{
	return timing_collect ? timing_now_ns_() : 0;
}
static inline void
timing_write_end(uint64_t t0)
{
	if (timing_collect && t0 != 0)
		timing_write_end_(t0);
}

#endif
