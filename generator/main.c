/* main: satchel's commands — their table, dispatch, `satchel help` and the reports of check and
 * history. Options are read through cli.h from each command's table; the work is elsewhere. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "cli.h"
#include "scaffold.h"
#include "history.h"
#include "site.h"
#include "translations.h"
#include "source.h"
#include "image.h"
#include "i18n.h"
#include "serve.h"
#include "pack.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "value.h"


/* Every command: its name, its options (cli.h) and what runs it. `satchel help`, `satchel CMD
 * --help` and "did you mean" all read this table. */
enum {
	OPT_SITE = 1, OPT_OUTPUT, OPT_REF, OPT_REPO, OPT_SUBDIR, OPT_CACHE, OPT_JOBS, OPT_QUIET,
	OPT_STRICT, OPT_INCREMENTAL, OPT_FORMAT, OPT_NO_CACHE, OPT_FAIL_ON, OPT_LANG, OPT_TITLE,
	OPT_PORT, OPT_BIND, OPT_FROM, OPT_TIMINGS,
};

#define SITE_OPT {OPT_SITE, 's', "site", "DIR", "the folder that holds site.yaml (default: .)"}
#define REF_OPT                                                                                    \
	{OPT_REF, 0, "ref", "REF", "a commit, branch or tag read from git, without checking it out"}
#define JOBS_OPT {OPT_JOBS, 'j', "jobs", "N", "worker threads (default: one per CPU)"}
/* What build and check share. */
#define BUILD_OPTS                                                                                 \
	SITE_OPT,                                                                                  \
	    {OPT_OUTPUT, 'o', "output", "DIR",                                                     \
	     "where the site goes (default: SITE/public, or ./public with --repo)"},               \
	    REF_OPT,                                                                               \
	    {OPT_REPO, 0, "repo", "URL|PATH",                                                      \
	     "clone (or fetch) a repository into the cache and build it"},                         \
	    {OPT_SUBDIR, 0, "subdir", "DIR", "with --repo: the site's folder inside the repository"}, \
	    {OPT_CACHE, 0, "cache", "DIR",                                                         \
	     "where satchel keeps clones and build records (default: ~/.cache/satchel)"},                       \
	    JOBS_OPT,                                                                              \
	    {OPT_STRICT, 0, "strict", NULL,                                                        \
	     "fail on what check calls an error (a material left out for safeguarding, a link "    \
	     "that leads nowhere)"},                                                               \
	    {OPT_INCREMENTAL, 0, "incremental", NULL,                                              \
	     "re-render only the pages whose inputs changed since the last --incremental build "   \
	     "into the same output"}

static const struct cli_opt build_opts[] = {
    BUILD_OPTS,
    {OPT_QUIET, 'q', "quiet", NULL, "no summary line"},
    {OPT_TIMINGS, 0, "timings", NULL,
     "after the build, where the time went on stderr: each phase's wall and CPU time, and each "
     "template's calls and time, most costly first"},
    {0},
};
static const struct cli_opt check_opts[] = {
    BUILD_OPTS,
    {OPT_FORMAT, 0, "format", "text|json", "the report as text (default) or JSON"},
    {OPT_QUIET, 'q', "quiet", NULL, NULL}, /* accepted, as check prints no summary line anyway */
    {0},
};
static const struct cli_opt history_opts[] = {
    SITE_OPT,
    REF_OPT,
    JOBS_OPT,
    {OPT_NO_CACHE, 0, "no-cache", NULL, "walk the history again instead of reading the cache"},
    {OPT_QUIET, 'q', "quiet", NULL, "only the closing line, not one line per file"},
    {0},
};
static const struct cli_opt translations_opts[] = {
    SITE_OPT,
    REF_OPT,
    {OPT_FORMAT, 0, "format", "table|json", "a table (default) or JSON for tools"},
    {OPT_FAIL_ON, 0, "fail-on", "outdated|missing",
     "exit 1 when a translation is in that state (repeatable)"},
    {0},
};
static const struct cli_opt serve_opts[] = {
    SITE_OPT,
    {OPT_PORT, 'p', "port", "PORT",
     "the port (default: 1414, or the next free one of the 9 after it; a port given here is "
     "used or the command fails; 0: any free port)"},
    {OPT_BIND, 0, "bind", "ADDR",
     "the address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 or :: makes "
     "the preview, drafts included, reachable by anyone on the network)"},
    JOBS_OPT,
    {OPT_QUIET, 'q', "quiet", NULL, "print the address and errors only, not a line per rebuild"},
    {0},
};
static const struct cli_opt pack_opts[] = {
    SITE_OPT,
    {OPT_LANG, 0, "lang", "LANG", "a language to pack (repeatable, or en,bg; default: every one)"},
    {OPT_OUTPUT, 'o', "output", "FILE.zip|DIR",
     "one zip of the languages named, or a folder for one zip per language and, with no "
     "--lang, offline-all.zip (default: .)"},
    {OPT_FROM, 0, "from", "DIR", "the built site to pack (default: SITE/public)"},
    {OPT_QUIET, 'q', "quiet", NULL, "no line per zip"},
    {0},
};
static const struct cli_opt no_opts[] = {{0}};
static const struct cli_opt new_opts[] = {
    {OPT_LANG, 0, "lang", "LANG",
     "new site: the languages, such as en,bg,ar (default: en); a page: write its translation "
     "into LANG beside it"},
    {OPT_TITLE, 0, "title", "TEXT", "the site's or the page's title"},
    SITE_OPT,
    {0},
};

static int cmd_build(int argc, char **argv);
static int cmd_check(int argc, char **argv);
static int cmd_history(int argc, char **argv);
static int cmd_translations(int argc, char **argv);
static int cmd_new(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_pack(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const struct command {
	struct cli_cmd cli;
	int (*run)(int argc, char **argv);
} commands[] = {
    {{"build", "[options]",
      "Builds the site into public/ (or -o DIR); the previous output stays as it was when the "
      "build fails.",
      build_opts, NULL},
     cmd_build},
    {{"check", "[options] [--format text|json]",
      "Everything a build checks, nothing published: the problems grouped by file. Exit status 1 "
      "on errors.",
      check_opts, NULL},
     cmd_check},
    {{"serve", "[options]",
      "Builds the site with its drafts into a private folder (removed on exit), serves it, and "
      "rebuilds after every save; open pages reload by themselves and show build errors over "
      "the page. Nothing is written inside the site's folder. The folder is in memory "
      "($XDG_RUNTIME_DIR or /dev/shm, when a tmpfs with room) unless TMPDIR is set: "
      "TMPDIR=DIR builds in DIR, on disk if DIR is. Ctrl-C stops.",
      serve_opts, NULL},
     cmd_serve},
    {{"new",
      "site DIR [--lang en,bg,...] [--title TEXT]\n"
      "       satchel new TYPE PATH [--title TEXT] [--lang LANG] [-s SITE]",
      "Writes a new site (a working hub in DIR with its first commit), or a new page of a content "
      "type at content/PATH (a translation of it with --lang).",
      new_opts,
      "examples:\n"
      "  satchel new site hub --lang en,bg,ar --title \"Justice hub\"\n"
      "  satchel new guidance guidance/interviewing-children\n"
      "  satchel new guidance guidance/interviewing-children --lang bg\n"
      "TYPE is one of the theme's content types (themes/NAME/types.yaml) or site.yaml's types:.\n"
      "PATH is under content/ (a leading content/ may be given): a/b becomes a/b/index.md (a\n"
      "bundle), a/b.md a page file, and a bare name goes into the section of TYPE's pages.\n"},
     cmd_new},
    {{"history", "[options]",
      "What git knows of each content file: commits, first and last change, contributors.",
      history_opts, NULL},
     cmd_history},
    {{"translations", "[options]",
      "Every resource by every language: source, ok, outdated or missing.", translations_opts,
      NULL},
     cmd_translations},
    {{"pack", "[--lang LANG]... [-o FILE.zip|DIR] [options]",
      "Writes offline copies of the built site: zips that work opened from disk (file://), "
      "with no server and no network, search and library filters included.",
      pack_opts, NULL},
     cmd_pack},
    {{"version", "", "Prints satchel's version.", no_opts, NULL}, cmd_version},
    {{"help", "[COMMAND]", "Lists the commands, or prints one command's help.", no_opts, NULL},
     cmd_help},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].cli.name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
usage(FILE *f)
{
	fputs("usage: satchel COMMAND [options]\n\ncommands:\n", f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fprintf(f, "  %-13s ", commands[i].cli.name);
		cli_wrap(f, commands[i].cli.summary, 16, 16);
	}
	fputs("\n'satchel COMMAND --help' (or 'satchel help COMMAND') shows a command's options.\n", f);
}

/* "unknown command 'biuld'; did you mean 'build'?" */
static int
unknown_command(const char *name)
{
	struct suggest sg = SUGGEST_INIT(name);
	for (size_t i = 0; i < NCOMMANDS; i++)
		suggest_add(&sg, commands[i].cli.name);
	if (suggest_best(&sg) != NULL)
		fprintf(stderr, "satchel: unknown command '%s'; did you mean '%s'?\n", name, suggest_best(&sg));
	else
		fprintf(stderr, "satchel: unknown command '%s'\n", name);
	fputs("(satchel help lists the commands)\n", stderr);
	return 2;
}

static int
cmd_help(int argc, char **argv)
{
	struct cli_parser p;
	const char *topic = NULL;
	cli_init(&p, &find_command("help")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		if (id == CLI_HELP)
			return 0;
		if (id != CLI_ARG)
			return 2;
		if (topic != NULL)
			return cli_error(&p, "one command at a time, not '%s' and '%s'", topic, p.value), 2;
		topic = p.value;
	}
	if (topic == NULL) {
		usage(stdout);
		return 0;
	}
	const struct command *c = find_command(topic);
	if (c == NULL)
		return unknown_command(topic);
	cli_usage(&c->cli, stdout);
	return 0;
}

static int
cmd_version(int argc, char **argv)
{
	struct cli_parser p;
	cli_init(&p, &find_command("version")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		if (id == CLI_HELP)
			return 0;
		if (id == CLI_ARG)
			return cli_error(&p, "takes no argument ('%s')", p.value), 2;
		return 2;
	}
	printf("satchel %s\n", SATCHEL_VERSION);
	return 0;
}

static int check_report(int json);

/* The options build and check share, into o; 0, 1 after --help, 2 after a usage error. */
static int
build_args(const struct cli_cmd *cmd, int argc, char **argv, struct build_opts *o, int *json)
{
	static const char *const formats[] = {"text", "json", NULL};
	struct cli_parser p;
	cli_init(&p, cmd, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_SITE: o->site_dir = p.value; break;
		case OPT_OUTPUT: o->outdir = p.value; break;
		case OPT_REF: o->ref = p.value; break;
		case OPT_REPO: o->repo = p.value; break;
		case OPT_SUBDIR: o->subdir = p.value; break;
		case OPT_CACHE: o->cache_dir = p.value; break;
		case OPT_JOBS:
			if (cli_int(&p, 0, 1024, &o->nthreads) < 0)
				return 2;
			break;
		case OPT_QUIET: o->quiet = 1; break;
		case OPT_STRICT: o->strict = 1; break;
		case OPT_INCREMENTAL: o->incremental = 1; break;
		case OPT_TIMINGS: o->timings = 1; break;
		case OPT_FORMAT: {
			int f = cli_choice(&p, formats);
			if (f < 0)
				return 2;
			*json = f == 1;
			break;
		}
		case CLI_HELP: return 1;
		case CLI_ARG:
			cli_error(&p, "takes no argument ('%s'); the site's folder is given with -s", p.value);
			return 2;
		default: return 2;
		}
	}
	return 0;
}

/* satchel build, and satchel check: the same build with every problem an error, nothing
 * published, and the messages grouped by file and counted (or as JSON). */
static int
run_build(int argc, char **argv, int check)
{
	struct build_opts o = BUILD_OPTS_INIT;
	int json = 0;
	o.check = check;
	int rc = build_args(&find_command(check ? "check" : "build")->cli, argc, argv, &o, &json);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	diag_strict(o.strict);
	if (!check)
		return build_run(&o);
	o.quiet = 1;
	diag_collect(1);
	build_run(&o);
	return check_report(json);
}

static int
finish_build(int rc)
{
	diag_reset();
	i18n_shutdown();
	image_shutdown();
	return rc;
}

static int
cmd_build(int argc, char **argv)
{
	return finish_build(run_build(argc, argv, 0));
}

static int
cmd_check(int argc, char **argv)
{
	return finish_build(run_build(argc, argv, 1));
}

/* satchel new site DIR | satchel new TYPE PATH: scaffold.h does the work. */
static int
cmd_new(int argc, char **argv)
{
	struct cli_parser p;
	struct scaffold_opts so = SCAFFOLD_OPTS_INIT;
	const char *args[2] = {NULL, NULL};
	int nargs = 0;
	cli_init(&p, &find_command("new")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_LANG: so.lang = p.value; break;
		case OPT_TITLE: so.title = p.value; break;
		case OPT_SITE: so.site_dir = p.value; break;
		case CLI_ARG:
			if (nargs == 2)
				return cli_error(&p, "one TYPE and one PATH (or site DIR), not also '%s'", p.value), 2;
			args[nargs++] = p.value;
			break;
		case CLI_HELP: return 0;
		default: return 2;
		}
	}
	if (nargs < 2)
		return cli_error(&p, nargs == 0 ? "what to write: site DIR, or TYPE PATH"
		                                : "'%s' needs a path after it", args[0]), 2;
	int rc;
	if (strcmp(args[0], "site") == 0) {
		if (so.site_dir != NULL)
			return cli_error(&p, "new site takes DIR, not -s"), 2;
		rc = scaffold_site(args[1], &so);
	} else {
		rc = scaffold_page(args[0], args[1], &so);
	}
	i18n_shutdown();
	return rc;
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
	struct cli_parser p;
	cli_init(&p, &find_command("history")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_SITE: so.site_dir = p.value; break;
		case OPT_REF: so.ref = p.value; break;
		case OPT_JOBS:
			if (cli_int(&p, 0, 1024, &jobs) < 0)
				return 2;
			break;
		case OPT_NO_CACHE: walk = 1; break;
		case OPT_QUIET: quiet = 1; break;
		case CLI_HELP: return 0;
		case CLI_ARG: return cli_error(&p, "takes no argument ('%s')", p.value), 2;
		default: return 2;
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

/* satchel pack: offline copies of a built site (pack.c). */
static int
cmd_pack(int argc, char **argv)
{
	struct pack_run_opts o = {0};
	struct cli_parser p;
	char *copies[64];
	size_t ncopies = 0;
	const char *langs[64];
	int rc = 2;
	cli_init(&p, &find_command("pack")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_SITE: o.site_dir = p.value; break;
		case OPT_OUTPUT: o.out = p.value; break;
		case OPT_FROM: o.from = p.value; break;
		case OPT_QUIET: o.quiet = 1; break;
		case OPT_LANG: {
			/* en,bg or --lang en --lang bg */
			if (ncopies == 64)
				goto out;
			char *v = copies[ncopies++] = xstrdup(p.value), *save = NULL;
			for (char *t = strtok_r(v, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
				if (o.nlangs == 64) {
					cli_error(&p, "at most 64 languages");
					goto out;
				}
				langs[o.nlangs++] = t;
			}
			break;
		}
		case CLI_HELP: rc = 0; goto out;
		case CLI_ARG: cli_error(&p, "takes no argument ('%s')", p.value); goto out;
		default: goto out;
		}
	}
	o.langs = langs;
	rc = pack_run(&o);
	diag_reset();
out:
	for (size_t i = 0; i < ncopies; i++)
		free(copies[i]);
	return rc;
}

/* satchel serve: the live preview (serve.c). */
static int
cmd_serve(int argc, char **argv)
{
	struct serve_opts o = {.port = -1};
	struct cli_parser p;
	cli_init(&p, &find_command("serve")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_SITE: o.site_dir = p.value; break;
		case OPT_BIND: o.bind = p.value; break;
		case OPT_PORT:
			if (cli_int(&p, 0, 65535, &o.port) < 0)
				return 2;
			break;
		case OPT_JOBS:
			if (cli_int(&p, 1, 1024, &o.nthreads) < 0)
				return 2;
			break;
		case OPT_QUIET: o.quiet = 1; break;
		case CLI_HELP: return 0;
		case CLI_ARG: return cli_error(&p, "takes no argument ('%s')", p.value), 2;
		default: return 2;
		}
	}
	return serve_run(&o);
}

/* satchel translations: every resource by every language; --format json for tools; --fail-on
 * outdated|missing (repeatable) exits 1 when a translation is in that state, for partners' CI. */
static int
cmd_translations(int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", NULL};
	static const char *const states[] = {"outdated", "missing", NULL};
	struct source_opts so = SOURCE_OPTS_INIT;
	int json = 0, fail_on = 0, k;
	struct cli_parser p;
	cli_init(&p, &find_command("translations")->cli, argc, argv);
	for (int id; (id = cli_next(&p)) != CLI_END;) {
		switch (id) {
		case OPT_SITE: so.site_dir = p.value; break;
		case OPT_REF: so.ref = p.value; break;
		case OPT_FORMAT:
			if ((k = cli_choice(&p, formats)) < 0)
				return 2;
			json = k == 1;
			break;
		case OPT_FAIL_ON:
			if ((k = cli_choice(&p, states)) < 0)
				return 2;
			fail_on |= k == 0 ? FAIL_ON_OUTDATED : FAIL_ON_MISSING;
			break;
		case CLI_HELP: return 0;
		case CLI_ARG: return cli_error(&p, "takes no argument ('%s')", p.value), 2;
		default: return 2;
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
	if (strcmp(cmd, "--version") == 0)
		cmd = "version";
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
		cmd = "help";
	const struct command *c = find_command(cmd);
	if (c == NULL)
		return unknown_command(cmd);
	return c->run(argc - 2, argv + 2);
}
