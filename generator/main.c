/* main: satchel's command line. Parses arguments and hands off; nothing else. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "image.h"
#include "i18n.h"

#define SATCHEL_VERSION "0.1.0"

static void
usage(FILE *f)
{
	fputs("usage: satchel build [options]    build the site into public/\n"
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
	      "  -q, --quiet        no summary line\n",
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

static int
cmd_build(int argc, char **argv)
{
	struct build_opts o = BUILD_OPTS_INIT;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
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
		else {
			fprintf(stderr, "satchel: unknown option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	return build_run(&o);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "build") == 0) {
		int rc = cmd_build(argc - 2, argv + 2);
		i18n_shutdown();
		image_shutdown();
		return rc;
	}
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
