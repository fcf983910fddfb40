/* engine_bench: how fast the engine keeps a folder up to date — the first run, then saving one
 * page's body, then a title that listings show — on a copy of a site. A benchmark, not a test:
 * it prints figures (make engine-bench; SITE=… to choose the site, the bench corpus by default).
 * Usage: engine-bench SITE [RUNS [PAGE]] (PAGE: site-relative, the first index.md by default) */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int
sh(const char *cmd)
{
	int rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "engine-bench: failed: %s\n", cmd);
	return rc;
}

static double
timed_run(struct engine *e, const char *changed, size_t *nchanged)
{
	const char *c[1] = {changed};
	double t0 = now();
	int rc = engine_run(e, changed ? c : NULL, changed ? 1 : 0);
	double t = now() - t0;
	engine_tidy(e); /* as serve does, after it has told the pages */
	engine_changed(e, nchanged);
	if (rc != 0)
		fprintf(stderr, "engine-bench: the run failed\n");
	return t;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: engine-bench SITE [RUNS [PAGE]]\n");
		return 2;
	}
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	/* As satchel serve sets it (serve.c). */
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	/* Where satchel serve builds: $TMPDIR when set, else memory (/dev/shm), else /tmp. */
	const char *base = getenv("TMPDIR");
	if (base == NULL || *base != '/')
		base = fs_is_dir("/dev/shm") ? "/dev/shm" : "/tmp";
	char *tmp = xasprintf("%s/satchel-engine-bench-XXXXXX", base);
	if (mkdtemp(tmp) == NULL)
		return 1;
	printf("engine-bench: working in %s\n", tmp);
	char *cmd = xasprintf("cp -R '%s' '%s/site'", argv[1], tmp);
	if (sh(cmd) != 0)
		return 1;
	free(cmd);
	char *site = xasprintf("%s/site", tmp), *out = xasprintf("%s/out", tmp);
	/* The first page of the first section: its body, then its title. */
	char *find = argc > 3 ? xasprintf("echo '%s'", argv[3])
	                      : xasprintf("cd '%s' && find content -name index.md | sort | head -1", site);
	FILE *p = popen(find, "r");
	char page[4096] = "";
	if (p == NULL || fgets(page, sizeof page, p) == NULL)
		return 1;
	pclose(p);
	free(find);
	page[strcspn(page, "\n")] = '\0';

	struct engine_opts eo = {site, out, 0, 0, 1};
	struct engine *e = engine_new(&eo);
	size_t n;
	double first = timed_run(e, NULL, &n);
	printf("first run: %.2f s (%zu files written)\n", first, n);
	double again = timed_run(e, NULL, &n);
	printf("nothing changed: %.3f s (%zu files written)\n", again, n);

	double *body = xcalloc((size_t)runs, sizeof *body);
	for (int i = 0; i < runs; i++) {
		cmd = xasprintf("printf '\\nOne more sentence, number %d.\\n' >>'%s/%s'", i, site, page);
		sh(cmd);
		free(cmd);
		body[i] = timed_run(e, page, &n);
		printf("  body save %d: %.3f s (%zu files written)\n", i + 1, body[i], n);
	}
	qsort(body, (size_t)runs, sizeof *body, cmp_double);
	printf("one page's body saved: median %.3f s over %d saves\n", body[runs / 2], runs);

	double *title = xcalloc((size_t)runs, sizeof *title);
	for (int i = 0; i < runs; i++) {
		cmd = xasprintf("sed -i 's/^title: .*/title: \"Benchmark title %d\"/' '%s/%s'", i, site, page);
		sh(cmd);
		free(cmd);
		title[i] = timed_run(e, page, &n);
		printf("  title change %d: %.3f s (%zu files written)\n", i + 1, title[i], n);
	}
	qsort(title, (size_t)runs, sizeof *title, cmp_double);
	printf("a title listings show: median %.3f s over %d saves\n", title[runs / 2], runs);

	engine_free(e);
	fs_rm_rf(tmp);
	free(tmp);
	free(body);
	free(title);
	free(site);
	free(out);
	return 0;
}
