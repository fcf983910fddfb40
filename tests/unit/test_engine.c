/* Tests for engine: one process builds the demo site many times — after nothing changed, after
 * an edit, a broken page, its fix and a deletion — and each time the engine's folder holds the
 * same bytes as a one-shot build of the same files, the files it says it changed are those that
 * differ, and each run's messages are its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "engine.h"
#include "test.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/fs.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-engine-XXXXXX";
static char *site, *out;

/* A one-shot build of the site as it is now into tmp/NAME, quietly. */
static char *
full_build(const char *name)
{
	struct build_opts o = BUILD_OPTS_INIT;
	char *dir = xasprintf("%s/%s", tmp, name);
	o.site_dir = site;
	o.outdir = dir;
	o.quiet = 1;
	o.nthreads = 2;
	fs_rm_rf(dir);
	diag_quiet(1);
	CHECK(build_run(&o) == 0);
	diag_quiet(0);
	diag_reset();
	return dir;
}

static int
same_tree(const char *a, const char *b)
{
	/* The marker is build's (an output folder it may replace); the engine keeps its own. */
	return test_sh("diff -r -x .satchel-output '%s' '%s' >/dev/null", a, b) == 0;
}

static int
changed_has(struct engine *e, const char *rel)
{
	size_t n;
	const char *const *c = engine_changed(e, &n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i], rel) == 0)
			return 1;
	return 0;
}

static const struct diag_msg *
message_about(struct engine *e, const char *path)
{
	size_t n;
	const struct diag_msg *m = engine_messages(e, &n);
	for (size_t i = 0; i < n; i++)
		if (m[i].path != NULL && strcmp(m[i].path, path) == 0 && m[i].error)
			return &m[i];
	return NULL;
}

#define PAGE "content/news/barnahus-plovdiv/index.md"

TEST(test_engine_runs_match_one_shot_builds)
{
	struct engine_opts eo = {site, out, 2, 0, 1};
	struct engine *e = engine_new(&eo);
	size_t n;

	CHECK(engine_run(e, NULL, 0) == 0);
	char *full = full_build("full1");
	CHECK(same_tree(out, full));
	free(full);
	CHECK(changed_has(e, "en/news/barnahus-plovdiv/index.html"));

	/* Nothing changed: nothing written. */
	CHECK(engine_run(e, NULL, 0) == 0);
	engine_changed(e, &n);
	CHECK(n == 0);

	/* A page's body: its page changes, and what a one-shot build makes is what the folder holds. */
	test_sh("printf '\\nOne more sentence from the engine test.\\n' >>'%s/" PAGE "'", site);
	const char *changed[] = {PAGE};
	CHECK(engine_run(e, changed, 1) == 0);
	CHECK(changed_has(e, "en/news/barnahus-plovdiv/index.html"));
	full = full_build("full2");
	CHECK(same_tree(out, full));

	/* A broken front matter: -1, the message names the file and line, the folder is as it was. */
	test_sh("cp '%s/" PAGE "' '%s/page.bak' && sed -i 's/^title: .*/title: \"unclosed/' '%s/" PAGE "'",
	        site, tmp, site);
	CHECK(engine_run(e, changed, 1) == -1);
	const struct diag_msg *m = message_about(e, PAGE);
	CHECK(m != NULL && m->line > 0);
	engine_changed(e, &n);
	CHECK(n == 0);
	CHECK(same_tree(out, full));
	free(full);

	/* Fixed: the messages of the failed run are gone with it. */
	test_sh("cp '%s/page.bak' '%s/" PAGE "'", tmp, site);
	CHECK(engine_run(e, changed, 1) == 0);
	CHECK(message_about(e, PAGE) == NULL);

	/* A deleted page: its file is removed and said to be. */
	test_sh("rm -r '%s/content/news/regional-training-sofia'", site);
	const char *gone[] = {"content/news/regional-training-sofia/index.md"};
	CHECK(engine_run(e, gone, 1) == 0);
	CHECK(changed_has(e, "en/news/regional-training-sofia/index.html"));
	char *path = xasprintf("%s/en/news/regional-training-sofia/index.html", out);
	CHECK(!fs_exists(path));
	free(path);
	full = full_build("full3");
	CHECK(same_tree(out, full));
	free(full);
	engine_free(e);
}

/* Two engines in one process: each run's messages are its engine's, not the process's. */
TEST(test_engine_messages_are_its_own)
{
	char *other_site = xasprintf("%s/other", tmp), *other_out = xasprintf("%s/other-out", tmp);
	test_sh("mkdir -p '%s/content' && printf 'title: T\\nbase_url: /\\nlanguages: [{code: en, name: English}]\\n"
	        "default_language: en\\n' >'%s/site.yaml' && printf -- '---\\ntitle: [\\n---\\nx\\n' >'%s/content/_index.md'",
	        other_site, other_site, other_site);
	struct engine_opts eo = {other_site, other_out, 1, 0, 1};
	struct engine *bad = engine_new(&eo);
	struct engine_opts go = {site, out, 2, 0, 1};
	struct engine *good = engine_new(&go);
	size_t before = diag_error_count();
	CHECK(engine_run(bad, NULL, 0) == -1);
	CHECK(engine_run(good, NULL, 0) == 0);
	CHECK(message_about(bad, "content/_index.md") != NULL);
	CHECK(message_about(good, "content/_index.md") == NULL);
	CHECK(diag_error_count() == before); /* the process's own saw nothing */
	CHECK(!fs_exists(other_out));         /* never a good run: nothing written */
	engine_free(bad);
	engine_free(good);
	free(other_site);
	free(other_out);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL)
		return 1;
	setenv("SATCHEL_THEMES", SATCHEL_SOURCE_DIR "/themes", 1);
	setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
	site = xasprintf("%s/site", tmp);
	out = xasprintf("%s/out", tmp);
	test_sh("mkdir -p '%s' && cp -R '%s/site.yaml' '%s/content' '%s/'", site, SATCHEL_SOURCE_DIR,
	        SATCHEL_SOURCE_DIR, site);
	RUN(test_engine_runs_match_one_shot_builds);
	RUN(test_engine_messages_are_its_own);
	fs_rm_rf(tmp);
	free(site);
	free(out);
	return TEST_END();
}
