/* main: satchel's command line. Parses arguments and hands off; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "history.h"
#include "site.h"
#include "translations.h"
#include "source.h"
#include "image.h"
#include "i18n.h"
#include "serve.h"
#include "util/buf.h"
#include "util/diag.h"
#include "value.h"


static void
usage(FILE *f)
{
	fputs("usage: satchel build [options]    build the site into public/\n"
	      "       satchel check [options] [--format text|json]\n"
	      "                                   everything a build checks, nothing published;\n"
	      "                                   exit status 1 on errors\n"
	      "       satchel history [-s DIR] [--ref REF] [-j N] [--no-cache] [-q]\n"
	      "                                   what git knows of each content file\n"
	      "       satchel translations [-s DIR] [--ref REF] [--format table|json]\n"
	      "                        [--fail-on outdated|missing]\n"
	      "                                   every resource by every language\n"
	      "       satchel version\n"
	      "\n"
	      "options:\n"
	      "  -s, --site DIR     the folder that holds site.yaml (default: .)\n"
	      "  -o, --output DIR   where the site goes (default: SITE/public, or ./public with --repo)\n"
	      "  --ref REF          build a commit, branch or tag from git, without checking it out\n"
	      "  --repo URL|PATH    clone (or fetch) a repository into the cache and build it\n"
	      "  --subdir DIR       with --repo: the site's folder inside the repository\n"
	      "  --cache DIR        where --repo keeps clones (default: ~/.cache/satchel/repos)\n"
	      "  -j, --jobs N       worker threads (default: one per CPU)\n"
	      "  -q, --quiet        no summary line\n"
	      "  --strict           fail on what check calls an error (a material left out for\n"
	      "                     safeguarding, a link that leads nowhere) instead of warning\n"
	      "  --incremental      re-render only the pages whose inputs changed since the last\n"
	      "                     --incremental build into the same output\n",
	      f);
}

static const char *
need_arg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		fprintf(stderr, "satchel: %s needs a value\n", argv[*i]);
		exit(2);
	}
	return argv[++*i];
}

static int check_report(int json);

/* satchel build, and satchel check: the same build with every problem an error, nothing
 * published, and the messages grouped by file and counted (or as JSON). */
static int
cmd_build(int argc, char **argv, int check)
{
	struct build_opts o = BUILD_OPTS_INIT;
	int json = 0;
	o.check = check;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--strict") == 0) {
			o.strict = 1;
			continue;
		}
		if (check && strcmp(a, "--format") == 0) {
			const char *f = need_arg(argc, argv, &i);
			if (strcmp(f, "json") != 0 && strcmp(f, "text") != 0) {
				fprintf(stderr, "satchel: --format is text or json, not '%s'\n", f);
				return 2;
			}
			json = strcmp(f, "json") == 0;
			continue;
		}
		if (strcmp(a, "-s") == 0 || strcmp(a, "--site") == 0)
			o.site_dir = need_arg(argc, argv, &i);
		else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)
			o.outdir = need_arg(argc, argv, &i);
		else if (strcmp(a, "--ref") == 0)
			o.ref = need_arg(argc, argv, &i);
		else if (strcmp(a, "--repo") == 0)
			o.repo = need_arg(argc, argv, &i);
		else if (strcmp(a, "--subdir") == 0)
			o.subdir = need_arg(argc, argv, &i);
		else if (strcmp(a, "--cache") == 0)
			o.cache_dir = need_arg(argc, argv, &i);
		else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0)
			o.nthreads = atoi(need_arg(argc, argv, &i));
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			o.quiet = 1;
		else if (strcmp(a, "--incremental") == 0)
			o.incremental = 1;
		else {
			fprintf(stderr, "satchel: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	diag_strict(o.strict);
	if (!check)
		return build_run(&o);
	o.quiet = 1;
	diag_collect(1);
	build_run(&o);
	return check_report(json);
}

static int
cmp_msg(const void *a, const void *b)
{
	const struct diag_msg *x = *(const struct diag_msg *const *)a, *y = *(const struct diag_msg *const *)b;
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	if (c != 0)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Prints what check collected: per file, in line order, `path:line:col: severity: message`, a
 * blank line between files, then the counts; or the same as JSON. 1 when there was an error. */
static int
check_report(int json)
{
	size_t n = 0, errors = 0, warnings = 0, files = 0;
	const struct diag_msg *m = diag_collected(&n);
	const struct diag_msg **v = calloc(n + 1, sizeof *v);
	if (v == NULL)
		return 2;
	for (size_t i = 0; i < n; i++) {
		v[i] = &m[i];
		errors += m[i].error;
		warnings += !m[i].error;
	}
	qsort(v, n, sizeof *v, cmp_msg);
	struct value *root = value_new_map(), *list = NULL;
	if (json) {
		value_map_set_int(root, "errors", (int64_t)errors);
		value_map_set_int(root, "warnings", (int64_t)warnings);
		list = value_map_set(root, "files", value_new_list());
	}
	struct value *probs = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct diag_msg *d = v[i];
		int first = i == 0 || strcmp(d->path ? d->path : "", v[i - 1]->path ? v[i - 1]->path : "") != 0;
		files += first;
		if (json) {
			if (first) {
				struct value *f = value_list_push(list, value_new_map());
				if (d->path != NULL)
					value_map_set_string(f, "path", d->path);
				else
					value_map_set(f, "path", value_new_null());
				probs = value_map_set(f, "problems", value_new_list());
			}
			struct value *p = value_list_push(probs, value_new_map());
			value_map_set_int(p, "line", d->line);
			value_map_set_int(p, "column", d->col);
			value_map_set_string(p, "severity", d->error ? "error" : "warning");
			value_map_set_string(p, "message", d->text);
			continue;
		}
		if (first && i > 0)
			putchar('\n');
		if (d->path == NULL)
			printf("satchel");
		else if (d->line > 0 && d->col > 0)
			printf("%s:%d:%d", d->path, d->line, d->col);
		else if (d->line > 0)
			printf("%s:%d", d->path, d->line);
		else
			printf("%s", d->path);
		printf(": %s: %s\n", d->error ? "error" : "warning", d->text);
	}
	if (json) {
		struct buf b = BUF_INIT;
		value_write_json(root, &b);
		printf("%s\n", buf_str(&b));
		buf_free(&b);
	} else {
		printf("%s%zu error%s, %zu warning%s in %zu file%s\n", n ? "\n" : "", errors,
		       errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s", files, files == 1 ? "" : "s");
	}
	value_free(root);
	free(v);
	return errors > 0 ? 1 : 0;
}

static void
print_file(const struct history_file *f, void *payload)
{
	(void)payload;
	struct buf d = BUF_INIT;
	i18n_format_date(NULL, f->first.time, "iso", &d);
	buf_putc(&d, '\t');
	i18n_format_date(NULL, f->last.time, "iso", &d);
	printf("%s\t%zu\t%s\t", f->path, f->commits, buf_str(&d));
	buf_free(&d);
	for (size_t i = 0; i < f->ncontributors; i++)
		printf("%s%s", i ? ", " : "", f->contributors[i]);
	putchar('\n');
}

/* satchel history: what git knows of every content file, one line each (path, commits, first
 * and last commit's day, contributors), and how long the walk took. */
static int
cmd_history(int argc, char **argv)
{
	struct source_opts so = SOURCE_OPTS_INIT;
	int walk = 0, quiet = 0, jobs = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-s") == 0 || strcmp(a, "--site") == 0)
			so.site_dir = need_arg(argc, argv, &i);
		else if (strcmp(a, "--ref") == 0)
			so.ref = need_arg(argc, argv, &i);
		else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0)
			jobs = atoi(need_arg(argc, argv, &i));
		else if (strcmp(a, "--no-cache") == 0)
			walk = 1;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			quiet = 1;
		else {
			fprintf(stderr, "satchel: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	struct source *src = NULL;
	struct history *h = NULL;
	struct timespec t0, t1;
	if (source_open(&src, &so) < 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = walk ? history_walk(src, jobs, &h) : history_load(src, jobs, &h);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0 && h != NULL && !quiet)
		history_each(h, print_file, NULL);
	if (rc == 0)
		fprintf(stderr, "satchel: history of %zu files %s in %.3f s\n", history_count(h),
		        h == NULL ? "(no commits)" : history_from_cache(h) ? "read from the cache" : "walked",
		        (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	history_free(h);
	source_free(src);
	return rc == 0 ? 0 : 1;
}

/* satchel translations: every resource by every language; --format json for tools; --fail-on
 * outdated|missing (repeatable) exits 1 when a translation is in that state, for partners' CI. */
static int
cmd_translations(int argc, char **argv)
{
	struct source_opts so = SOURCE_OPTS_INIT;
	int json = 0, fail_on = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-s") == 0 || strcmp(a, "--site") == 0) {
			so.site_dir = need_arg(argc, argv, &i);
		} else if (strcmp(a, "--ref") == 0) {
			so.ref = need_arg(argc, argv, &i);
		} else if (strcmp(a, "--format") == 0) {
			const char *f = need_arg(argc, argv, &i);
			if (strcmp(f, "json") != 0 && strcmp(f, "table") != 0) {
				fprintf(stderr, "satchel: --format is table or json, not '%s'\n", f);
				return 2;
			}
			json = strcmp(f, "json") == 0;
		} else if (strcmp(a, "--fail-on") == 0) {
			const char *f = need_arg(argc, argv, &i);
			if (strcmp(f, "outdated") == 0)
				fail_on |= FAIL_ON_OUTDATED;
			else if (strcmp(f, "missing") == 0)
				fail_on |= FAIL_ON_MISSING;
			else {
				fprintf(stderr, "satchel: --fail-on is outdated or missing, not '%s'\n", f);
				return 2;
			}
		} else {
			fprintf(stderr, "satchel: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	struct source *src = NULL;
	struct config *cfg = NULL;
	struct history *h = NULL;
	struct site *site = NULL;
	int rc = 2;
	if (source_open(&src, &so) < 0 || site_config(src, &cfg) < 0 || history_load(src, 0, &h) < 0) {
		config_free(cfg);
		goto out;
	}
	if (site_load_config(src, cfg, NULL, h, 1, &site) < 0)
		goto out;
	rc = translations_report(site, json, fail_on, stdout);
out:
	site_free(site);
	history_free(h);
	source_free(src);
	i18n_shutdown();
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "build") == 0 || strcmp(cmd, "check") == 0) {
		int rc = cmd_build(argc - 2, argv + 2, strcmp(cmd, "check") == 0);
		diag_reset();
		i18n_shutdown();
		image_shutdown();
		return rc;
	}
	if (strcmp(cmd, "serve") == 0)
		return serve_main(argc - 2, argv + 2);
	if (strcmp(cmd, "history") == 0)
		return cmd_history(argc - 2, argv + 2);
	if (strcmp(cmd, "translations") == 0)
		return cmd_translations(argc - 2, argv + 2);
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("satchel %s\n", SATCHEL_VERSION);
		return 0;
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	fprintf(stderr, "satchel: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
