/* timing: phase times (SATCHEL_TIMES as they come, `build --timings` as a table at the end), and
 * per-call times of templates and of output writes, summed per thread. */
#include "timing.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

int timing_collect;

enum {
	P_LOAD, P_HISTORY, P_MARKDOWN, P_RENDER, P_SEARCH, P_FEEDS, P_IMAGES, P_WRITE, P_PACKS,
	P_LINKS, P_SWAP, P_OTHER, NPHASES
};

static const char *const phase_names[NPHASES] = {
    "load", "history", "Markdown", "render", "search index", "feeds", "images", "write",
    "packs", "links", "swap", "other",
};

static const char *const phase_about[NPHASES] = {
    "source, site.yaml, theme, content read and parsed, UI strings",
    "git history of the content (or its cache)",
    "Markdown to HTML, anchors checked",
    "pages planned and run through the templates",
    "search documents, fragments and indexes",
    "feeds, facets, sitemap, redirects",
    "content files and images published (made or reused)",
    "output files written (static files; the writing inside other phases)",
    "offline packs: zips of the output (offline: true)",
    "every link of the output checked",
    "the new output put in place of the old, the old removed",
    "in no phase above",
};

/* Each mark's name and the phase its interval counts in. */
static const struct {
	const char *mark;
	int phase;
} mark_phases[] = {
    {"build start", P_LOAD},
    {"open", P_LOAD},
    {"config, types", P_LOAD},
    {"history", P_HISTORY},
    {"    list", P_LOAD},
    {"    read", P_LOAD},
    {"    derived", P_LOAD},
    {"    parse", P_LOAD},
    {"    urls, groups", P_LOAD},
    {"    parents, types", P_LOAD},
    {"    sections", P_LOAD},
    {"    sorts, bundles", P_LOAD},
    {"    versions, files", P_LOAD},
    {"    link_groups", P_LOAD},
    {"model", P_LOAD},
    {"strings", P_LOAD},
    {"content files", P_IMAGES},
    {"  markdown", P_MARKDOWN},
    {"  anchors", P_MARKDOWN},
    {"  plan", P_RENDER},
    {"  view", P_RENDER},
    {"render_new", P_RENDER},
    {"  pages", P_RENDER},
    {"  feeds, facets", P_FEEDS},
    {"    search plan", P_SEARCH},
    {"    search fingerprints", P_SEARCH},
    {"    search documents, fragments", P_SEARCH},
    {"    search indexes", P_SEARCH},
    {"  search", P_SEARCH},
    {"  record, sitemap", P_FEEDS},
    {"  redirects", P_FEEDS},
    {"render_run", P_RENDER},
    {"static", P_WRITE},
    {"cms", P_WRITE},
    {"packs", P_PACKS},
    {"links", P_LINKS},
    {"records", P_WRITE},
    {"swap", P_SWAP},
};

static int
phase_index(const char *what)
{
	for (size_t i = 0; i < sizeof mark_phases / sizeof *mark_phases; i++)
		if (strcmp(mark_phases[i].mark, what) == 0)
			return mark_phases[i].phase;
	return P_OTHER;
}

const char *
timing_phase_of(const char *what)
{
	return phase_names[phase_index(what)];
}

/* ---- per thread: templates and writes ---- */

struct tstat {
	char *name; /* NULL: a free slot */
	uint64_t calls, self_ns, incl_ns;
};

struct frame {
	const char *name; /* the caller's, alive until the template is left */
	uint64_t start, child_ns;
};

/* One thread's sums: written by that thread alone, read after it joined (or by itself). */
struct slot {
	struct slot *next;
	uint64_t write_ns;
	uint64_t events, seen; /* calls timed; how many the last mark had seen */
	struct tstat *t; /* open addressing by name */
	size_t nt, cap;
	struct frame *stack;
	size_t depth, stack_cap;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local struct slot *mine;
static struct slot *slots;

uint64_t
timing_now_ns_(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct slot *
my_slot(void)
{
	if (mine == NULL) {
		mine = xcalloc(1, sizeof *mine);
		pthread_mutex_lock(&lock);
		mine->next = slots;
		slots = mine;
		pthread_mutex_unlock(&lock);
	}
	return mine;
}

static uint64_t
hash_name(const char *s)
{
	uint64_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static size_t
tstat_find(struct slot *s, const char *name)
{
	if (2 * (s->nt + 1) > s->cap) {
		struct tstat *old = s->t;
		size_t oldcap = s->cap;
		s->cap = s->cap ? s->cap * 2 : 32;
		s->t = xcalloc(s->cap, sizeof *s->t);
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].name != NULL) {
				size_t k = hash_name(old[i].name) & (s->cap - 1);
				while (s->t[k].name != NULL)
					k = (k + 1) & (s->cap - 1);
				s->t[k] = old[i];
			}
		free(old);
	}
	size_t k = hash_name(name) & (s->cap - 1);
	while (s->t[k].name != NULL && strcmp(s->t[k].name, name) != 0)
		k = (k + 1) & (s->cap - 1);
	if (s->t[k].name == NULL) {
		s->t[k].name = xstrdup(name);
		s->nt++;
	}
	return k;
}

size_t
timing_tmpl_enter_(const char *name)
{
	struct slot *s = my_slot();
	if (s->depth == s->stack_cap) {
		s->stack_cap = s->stack_cap ? s->stack_cap * 2 : 16;
		s->stack = xrealloc(s->stack, s->stack_cap * sizeof *s->stack);
	}
	/* The name's entry is found when the template is left, after what it includes. */
	struct frame *f = &s->stack[s->depth++];
	f->name = name;
	f->child_ns = 0;
	f->start = timing_now_ns_();
	return s->depth;
}

void
timing_tmpl_leave_(size_t token)
{
	uint64_t now = timing_now_ns_();
	struct slot *s = my_slot();
	if (token == 0 || token > s->depth)
		return;
	s->depth = token - 1; /* frames above it were left by an error */
	struct frame *f = &s->stack[s->depth];
	uint64_t incl = now - f->start;
	size_t k = tstat_find(s, f->name); /* may move s->t */
	struct tstat *t = &s->t[k];
	t->calls++;
	s->events++;
	t->incl_ns += incl;
	t->self_ns += incl > f->child_ns ? incl - f->child_ns : 0;
	if (s->depth > 0)
		s->stack[s->depth - 1].child_ns += incl;
}

size_t
timing_tmpl_depth_(void)
{
	return my_slot()->depth;
}

void
timing_tmpl_unwind_(size_t depth)
{
	struct slot *s = my_slot();
	if (depth < s->depth)
		s->depth = depth;
}

void
timing_write_end_(uint64_t t0)
{
	struct slot *s = my_slot();
	s->write_ns += timing_now_ns_() - t0;
	s->events++;
}

/* ---- phases ---- */

static int state; /* SATCHEL_TIMES: 0 unknown, 1 off, 2 on */
static int nthreads_used;
static double start, start_cpu, last, last_cpu;
static uint64_t last_write_ns;
static double phase_wall[NPHASES], phase_cpu[NPHASES];

static double
mono(void)
{
	return (double)timing_now_ns_() / 1e9;
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

/* The threads' time writing files so far, and how many threads timed something since the last
 * call. */
static uint64_t
write_ns(int *active)
{
	uint64_t n = 0;
	*active = 0;
	for (struct slot *s = slots; s != NULL; s = s->next) {
		n += s->write_ns;
		*active += s->events != s->seen;
		s->seen = s->events;
	}
	return n;
}

void
timing_start(int nthreads)
{
	pthread_mutex_lock(&lock);
	memset(phase_wall, 0, sizeof phase_wall);
	memset(phase_cpu, 0, sizeof phase_cpu);
	nthreads_used = nthreads;
	start = last = mono();
	start_cpu = last_cpu = cpu();
	int active;
	last_write_ns = write_ns(&active);
	timing_collect = 1;
	pthread_mutex_unlock(&lock);
}

void
timing_mark(const char *what)
{
	pthread_mutex_lock(&lock);
	if (state == 0) {
		const char *e = getenv("SATCHEL_TIMES");
		state = e != NULL && *e ? 2 : 1;
	}
	if (state == 2 || timing_collect) {
		double t = mono(), c = cpu();
		if (state == 2 && last > 0)
			fprintf(stderr, "satchel: time %-24s %8.3f s %8.3f s cpu\n", what, t - last, c - last_cpu);
		if (timing_collect) {
			/* The threads' time writing files in this interval: its share of the threads'
			 * time counts as writing (one thread: exactly the time it took; k threads at
			 * work: of k times the interval, or of the CPU time if more). */
			int p = phase_index(what), active;
			double wall = t - last, used = c - last_cpu;
			uint64_t w = write_ns(&active);
			double wrote = (double)(w - last_write_ns) / 1e9;
			double span = (active > 1 ? active : 1) * wall;
			if (used > span)
				span = used;
			double share = span > 0 && p != P_WRITE ? wrote / span : 0;
			if (share > 1)
				share = 1;
			phase_wall[p] += wall * (1 - share);
			phase_cpu[p] += used * (1 - share);
			phase_wall[P_WRITE] += wall * share;
			phase_cpu[P_WRITE] += used * share;
			last_write_ns = w;
		}
		last = t;
		last_cpu = c;
	}
	pthread_mutex_unlock(&lock);
}

/* ---- the table ---- */

struct trow {
	const char *name;
	uint64_t calls, self_ns, incl_ns;
};

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct trow *)a)->name, ((const struct trow *)b)->name);
}

static int
cmp_cost(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;
	if (x->self_ns != y->self_ns)
		return x->self_ns > y->self_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

static double
pct(double part, double whole)
{
	return whole > 0 ? 100.0 * part / whole : 0;
}

void
timing_report(FILE *f)
{
	pthread_mutex_lock(&lock);
	double wall = mono() - start, used = cpu() - start_cpu;
	double sum_wall = 0, sum_cpu = 0;
	for (int p = 0; p < P_OTHER; p++) {
		sum_wall += phase_wall[p];
		sum_cpu += phase_cpu[p];
	}
	phase_wall[P_OTHER] = wall > sum_wall ? wall - sum_wall : 0;
	phase_cpu[P_OTHER] = used > sum_cpu ? used - sum_cpu : 0;

	fprintf(f, "satchel: where the time went: %.3f s, %.3f s of CPU, %d worker thread%s\n", wall,
	        used, nthreads_used, nthreads_used == 1 ? "" : "s");
	fprintf(f, "%-14s %9s %7s %9s  %s\n", "phase", "wall s", "share", "cpu s", "what");
	for (int p = 0; p < NPHASES; p++)
		fprintf(f, "%-14s %9.3f %6.1f%% %9.3f  %s\n", phase_names[p], phase_wall[p],
		        pct(phase_wall[p], wall), phase_cpu[p], phase_about[p]);
	fprintf(f, "%-14s %9.3f %6.1f%% %9.3f\n", "total", wall, 100.0, used);

	/* The threads' tables, merged by name. */
	size_t n = 0;
	for (struct slot *s = slots; s != NULL; s = s->next)
		n += s->nt;
	struct trow *rows = xcalloc(n + 1, sizeof *rows);
	n = 0;
	for (struct slot *s = slots; s != NULL; s = s->next)
		for (size_t i = 0; i < s->cap; i++)
			if (s->t[i].name != NULL)
				rows[n++] = (struct trow){s->t[i].name, s->t[i].calls, s->t[i].self_ns, s->t[i].incl_ns};
	if (n > 1)
		qsort(rows, n, sizeof *rows, cmp_name);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && strcmp(rows[m - 1].name, rows[i].name) == 0) {
			rows[m - 1].calls += rows[i].calls;
			rows[m - 1].self_ns += rows[i].self_ns;
			rows[m - 1].incl_ns += rows[i].incl_ns;
		} else {
			rows[m++] = rows[i];
		}
	}
	if (m > 1)
		qsort(rows, m, sizeof *rows, cmp_cost);
	double self_total = 0;
	for (size_t i = 0; i < m; i++)
		self_total += (double)rows[i].self_ns / 1e9;
	fprintf(f, "\n%-32s %9s %9s %9s %7s %11s\n", "template", "calls", "self s", "mean ms", "share",
	        "with incl s");
	for (size_t i = 0; i < m; i++) {
		double self = (double)rows[i].self_ns / 1e9;
		fprintf(f, "%-32s %9llu %9.3f %9.3f %6.1f%% %11.3f\n", rows[i].name,
		        (unsigned long long)rows[i].calls, self,
		        rows[i].calls ? 1000.0 * self / (double)rows[i].calls : 0, pct(self, self_total),
		        (double)rows[i].incl_ns / 1e9);
	}
	fprintf(f, "%-32s %9s %9.3f\n", "templates", "", self_total);
	fprintf(f, "(template times are thread time, each call timed and summed over the threads, "
	           "so on %d threads they may add up to more than the render phase's wall time; "
	           "self: the template's own, without what it extends, includes or renders as a "
	           "partial; with incl: with those)\n", nthreads_used);
	free(rows);

	/* Stops collecting; what the threads kept goes (theirs ended with them; this one's slot
	 * stays, emptied). */
	timing_collect = 0;
	for (struct slot *s = slots, *next; s != NULL; s = next) {
		next = s->next;
		for (size_t i = 0; i < s->cap; i++)
			free(s->t[i].name);
		free(s->t);
		free(s->stack);
		if (s != mine)
			free(s);
	}
	slots = NULL;
	if (mine != NULL) {
		memset(mine, 0, sizeof *mine);
		slots = mine;
	}
	pthread_mutex_unlock(&lock);
}
