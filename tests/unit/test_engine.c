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

/* A one-shot build of site_dir as it is now into tmp/NAME, quietly. */
static char *
full_build_of(const char *site_dir, const char *name)
{
	struct build_opts o = BUILD_OPTS_INIT;
	char *dir = xasprintf("%s/%s", tmp, name);
	o.site_dir = site_dir;
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

/* The same of the test's site. */
static char *
full_build(const char *name)
{
	return full_build_of(site, name);
}

static int
same_tree(const char *a, const char *b)
{
	/* The marker is build's (an output folder it may replace); the engine keeps its own. */
	return test_sh("diff -r -x .satchel-output '%s' '%s' >/dev/null", a, b) == 0;
}

/* same_tree but for the search indexes' pieces and manifests (t/, index.json): the quick path
 * writes a page's search fragments, and its postings wait for the next full run. */
static int
same_but_postings(const char *a, const char *b)
{
	return test_sh("diff -r -x .satchel-output -x t -x index.json '%s' '%s' >/dev/null", a, b) == 0;
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
#define LONG_PAGE "content/news/long-read/index.md"
#define EN_RESOURCE "content/guidance/individual-assessment/index.md"
#define SR_PAGE "content/guidance/individual-assessment/index.sr.md"

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
	CHECK(same_but_postings(out, full));
	CHECK(test_sh("grep -lq 'One more sentence from the engine test' '%s'/en/search/f/*.json", out) == 0);

	/* A broken front matter: -1, the message names the file and line, the folder is as it was. */
	test_sh("cp '%s/" PAGE "' '%s/page.bak' && sed -i 's/^title: .*/title: \"unclosed/' '%s/" PAGE "'",
	        site, tmp, site);
	CHECK(engine_run(e, changed, 1) == -1);
	const struct diag_msg *m = message_about(e, PAGE);
	CHECK(m != NULL && m->line > 0);
	engine_changed(e, &n);
	CHECK(n == 0);
	CHECK(same_but_postings(out, full));
	free(full);

	/* Fixed: the messages of the failed run are gone with it. */
	test_sh("cp '%s/page.bak' '%s/" PAGE "'", tmp, site);
	CHECK(engine_run(e, changed, 1) == 0);
	CHECK(message_about(e, PAGE) == NULL);

	/* A Serbian page's body: its Latin twin is made again from it. */
	test_sh("printf '\\nЈош једна реченица.\\n' >>'%s/" SR_PAGE "'", site);
	const char *sr[] = {SR_PAGE};
	CHECK(engine_run(e, sr, 1) == 0);
	CHECK(changed_has(e, "sr-Latn/guidance/individual-assessment/index.html") ||
	      changed_has(e, "sr-Latn/guidance/individualna-procena/index.html"));
	full = full_build("full-sr");
	CHECK(same_but_postings(out, full));
	free(full);

	/* The opening of a resource's text (its summary is its front matter's): the quick path,
	 * which writes its search fragments in every language that has it as a document; the
	 * postings wait for the next full run (the title below). */
	test_sh("sed -i 's/^When a child is suspected/Changed first words. When a child is suspected/' "
	        "'%s/" EN_RESOURCE "' && grep -q '^Changed first words' '%s/" EN_RESOURCE "'", site, site);
	const char *res[] = {EN_RESOURCE};
	CHECK(engine_run(e, res, 1) == 0);
	engine_changed(e, &n);
	CHECK(n > 1); /* the page, its search fragments */
	CHECK(changed_has(e, "en/guidance/individual-assessment/index.html"));
	full = full_build("full-summary");
	CHECK(same_but_postings(out, full));
	free(full);

	/* Saved as it was: nothing written. */
	CHECK(engine_run(e, changed, 1) == 0);
	engine_changed(e, &n);
	CHECK(n == 0);

	/* The quick path: a long page's body past what listings take of it, its front matter as it
	 * was: that page alone is written, with its search fragment (the postings wait). */
	test_sh("printf '\\nA closing sentence.\\n' >>'%s/" LONG_PAGE "'", site);
	const char *lp[] = {LONG_PAGE};
	CHECK(engine_run(e, lp, 1) == 0);
	const char *const *ch = engine_changed(e, &n);
	CHECK(n == 2 && changed_has(e, "en/news/long-read/index.html"));
	for (size_t k = 0; k < n; k++)
		CHECK(strcmp(ch[k], "en/news/long-read/index.html") == 0 || strncmp(ch[k], "en/search/f/", 12) == 0);
	full = full_build("full-long");
	CHECK(same_but_postings(out, full));
	free(full);

	/* A shortcode saved into that body: the quick path tells of it as a full run does, and
	 * shows it as the same text. */
	test_sh("printf '\\n{{<figure src=x>}}\\n' >>'%s/" LONG_PAGE "'", site);
	CHECK(engine_run(e, lp, 1) == 0);
	size_t nm, told = 0;
	const struct diag_msg *ms = engine_messages(e, &nm);
	for (size_t k = 0; k < nm; k++)
		told += ms[k].path != NULL && strcmp(ms[k].path, LONG_PAGE) == 0 && !ms[k].error &&
		        strstr(ms[k].text, "Hugo shortcode {{< figure >}} is not run") != NULL;
	CHECK(told == 1);
	full = full_build("full-shortcode");
	CHECK(same_but_postings(out, full));
	free(full);
	CHECK(test_sh("grep -qF '{{&lt;figure src=x&gt;}}' '%s/en/news/long-read/index.html'", out) == 0);

	/* A body and, in the same save, another page's front matter: the quick path does not
	 * apply to the second, and the first's new text must not be taken for the one its kept
	 * Markdown was made from (a section's own page, whose body its listing shows). */
	test_sh("printf '\nA sentence for the section page.\n' >>'%s/content/guidance/_index.bg.md' && "
	        "sed -i 's/^title: .*/title: \"A title changed with a body\"/' '%s/" PAGE "'", site, site);
	const char *mixed[] = {"content/guidance/_index.bg.md", PAGE};
	CHECK(engine_run(e, mixed, 2) == 0);
	full = full_build("full-mixed");
	CHECK(same_tree(out, full)); /* a full run: the postings the quick runs left are made again */
	free(full);
	CHECK(test_sh("grep -q 'A sentence for the section page' '%s/bg/guidance/index.html'", out) == 0);

	/* A title that listings show, given as the one change: the files not named are taken from
	 * the last run's model, the one named is read. */
	test_sh("sed -i 's/^title: .*/title: \"Title seen in listings\"/' '%s/" PAGE "'", site);
	CHECK(engine_run(e, changed, 1) == 0);
	CHECK(changed_has(e, "en/news/index.html"));
	full = full_build("full-title");
	CHECK(same_tree(out, full));
	free(full);

	/* A body saved with a byte that is not UTF-8 fails as it fails a one-shot build, though
	 * its front matter is as it was; fixed, the page is built again. */
	test_sh("cp '%s/" LONG_PAGE "' '%s/long.bak' && printf '\nBad \377 byte.\n' >>'%s/" LONG_PAGE "'",
	        site, tmp, site);
	CHECK(engine_run(e, lp, 1) == -1);
	m = message_about(e, LONG_PAGE);
	CHECK(m != NULL && strstr(m->text, "UTF-8") != NULL);
	test_sh("cp '%s/long.bak' '%s/" LONG_PAGE "'", tmp, site);
	CHECK(engine_run(e, lp, 1) == 0);
	full = full_build("full-utf8");
	CHECK(same_tree(out, full));
	free(full);

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

static size_t
changed_count_prefix(struct engine *e, const char *prefix)
{
	size_t n, k = 0;
	const char *const *c = engine_changed(e, &n);
	for (size_t i = 0; i < n; i++)
		k += strncmp(c[i], prefix, strlen(prefix)) == 0;
	return k;
}

/* A listing several pages long: a changed title makes again the one page of it that shows the
 * entry, not the others, and every page is as a one-shot build makes it. */
TEST(test_engine_listing_pages)
{
	char *p = xasprintf("%s/paged-site", tmp), *pout = xasprintf("%s/paged-out", tmp);
	test_sh("cp -R '%s' '%s' && sed -i 's/^options:$/options:\\n  page_size: 5/' '%s/site.yaml' && "
	        "grep -q '^  page_size: 5$' '%s/site.yaml'", site, p, p, p);
	struct engine_opts eo = {p, pout, 2, 0, 1};
	struct engine *e = engine_new(&eo);
	CHECK(engine_run(e, NULL, 0) == 0);
	CHECK(test_sh("test -f '%s/en/languages/en/page/3/index.html'", pout) == 0);
	test_sh("sed -i 's/^title: .*/title: \"Sofia centre, retitled\"/' "
	        "'%s/content/partners/sofia-child-rights-centre/index.md'", p);
	const char *sofia[] = {"content/partners/sofia-child-rights-centre/index.md"};
	CHECK(engine_run(e, sofia, 1) == 0);
	CHECK(changed_count_prefix(e, "en/languages/en/") == 1);
	/* 67 pages here (the page in 8 languages, the pages of listings that show it); 123 when
	 * each page of a term's listing took the facts of the whole list. */
	CHECK(engine_rendered(e) > 0 && engine_rendered(e) < 100);
	CHECK(test_sh("grep -rq 'Sofia centre, retitled' '%s/en/languages/en/'", pout) == 0);
	/* A static file where satchel writes one of its own (satchel's wait in memory while a
	 * folder is kept up to date): the same error as a one-shot build's, the folder as it was. */
	test_sh("mkdir -p '%s/static/en' && echo clash >'%s/static/robots.txt' && "
	        "echo clash >'%s/static/en/feed.json'", p, p, p);
	const char *st[] = {"static/robots.txt", "static/en/feed.json"};
	CHECK(engine_run(e, st, 2) == -1);
	CHECK(message_about(e, "static/robots.txt") != NULL);
	CHECK(message_about(e, "static/en/feed.json") != NULL);
	CHECK(test_sh("! grep -q clash '%s/robots.txt' '%s/en/feed.json'", pout, pout) == 0);
	test_sh("rm -r '%s/static/robots.txt' '%s/static/en'", p, p);
	CHECK(engine_run(e, st, 2) == 0);
	char *full = full_build_of(p, "paged-full");
	CHECK(same_tree(pout, full));
	engine_free(e);
	free(full);
	free(p);
	free(pout);
}

/* A commit changes what git says of a page (its last change) though its file is as saved: the
 * quick path for a saved body must not serve the old record. */
TEST(test_engine_sees_a_commit)
{
	char *g = xasprintf("%s/git-site", tmp), *gout = xasprintf("%s/git-out", tmp);
	const char *git = "git -c user.name=Editor -c user.email=editor@example.org";
	test_sh("cp -R '%s' '%s' && cd '%s' && git init -q && git add -A && "
	        "GIT_AUTHOR_DATE='2025-01-01T10:00:00Z' GIT_COMMITTER_DATE='2025-01-01T10:00:00Z' "
	        "%s commit -qm first", site, g, g, git);
	struct engine_opts eo = {g, gout, 2, 0, 1};
	struct engine *e = engine_new(&eo);
	CHECK(engine_run(e, NULL, 0) == 0);
	/* Saved, run, then committed on a later day: the page shows the new day. */
	test_sh("printf '\\nA later sentence.\\n' >>'%s/" LONG_PAGE "'", g);
	const char *lp[] = {LONG_PAGE};
	CHECK(engine_run(e, lp, 1) == 0);
	test_sh("cd '%s' && git add -A && GIT_AUTHOR_DATE='2025-06-01T10:00:00Z' "
	        "GIT_COMMITTER_DATE='2025-06-01T10:00:00Z' %s commit -qm second", g, git);
	CHECK(engine_run(e, lp, 1) == 0);
	char *full = full_build_of(g, "git-full");
	CHECK(same_tree(gout, full));
	free(full);
	/* A new page nobody committed, then a .gitignore that ignores it: the listing of content/
	 * the engine keeps is not taken then, and the page goes. */
	test_sh("mkdir -p '%s/content/news/fresh' && printf -- '---\ntitle: \"Fresh\"\n---\nNew.\n' "
	        ">'%s/content/news/fresh/index.md'", g, g);
	const char *fresh[] = {"content/news/fresh/index.md"};
	CHECK(engine_run(e, fresh, 1) == 0);
	CHECK(changed_has(e, "en/news/fresh/index.html"));
	test_sh("printf 'content/news/fresh/\n' >'%s/.gitignore'", g);
	const char *ign[] = {".gitignore"};
	CHECK(engine_run(e, ign, 1) == 0);
	CHECK(changed_has(e, "en/news/fresh/index.html"));
	full = full_build_of(g, "git-full2");
	CHECK(same_tree(gout, full));
	CHECK(test_sh("test ! -e '%s/en/news/fresh/index.html'", gout) == 0);
	engine_free(e);
	free(full);
	free(g);
	free(gout);
}

static int
changed_has_prefix(struct engine *e, const char *prefix)
{
	size_t n;
	const char *const *c = engine_changed(e, &n);
	for (size_t i = 0; i < n; i++)
		if (strncmp(c[i], prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

static int
message_has(struct engine *e, const char *path, const char *text)
{
	size_t n;
	const struct diag_msg *m = engine_messages(e, &n);
	for (size_t i = 0; i < n; i++)
		if (m[i].path != NULL && strcmp(m[i].path, path) == 0 && strstr(m[i].text, text) != NULL)
			return 1;
	return 0;
}

#define LINKER "content/news/linker/index.md"
#define PNG_40X30 "\\211\\120\\116\\107\\015\\012\\032\\012\\000\\000\\000\\015\\111\\110\\104\\122\\000\\000\\000\\050\\000\\000\\000\\036\\010\\000\\000\\000\\000\\173\\266\\003\\001\\000\\000\\000\\030\\111\\104\\101\\124\\170\\332\\143\\150\\040\\022\\060\\214\\052\\034\\125\\070\\252\\160\\124\\341\\140\\126\\010\\000\\301\\075\\130\\037\\036\\334\\365\\073\\000\\000\\000\\000\\111\\105\\116\\104\\256\\102\\140\\202"
#define TARGET "content/news/link-target/index.md"

/* A page's Markdown is taken from the previous run only when its text is the same and what it
 * asked of the site (a link's target, an image's size) is answered the same: the page that
 * links to a moved page, or shows a resized image, is made again though its file is as it was,
 * and the messages its links give are given again. */
TEST(test_engine_markdown_reused_only_when_asked_the_same)
{
	char *ms = xasprintf("%s/md-site", tmp), *mo = xasprintf("%s/md-out", tmp);
	char *was_site = site;
	test_sh("cp -R '%s' '%s' && mkdir -p '%s/content/news/linker' '%s/content/news/link-target' && "
	        "cp '%s/content/by-children/a-safe-room-to-talk/drawing.png' '%s/content/news/linker/pic.png' && "
	        "printf -- '---\ntitle: \"Linker\"\ndate: 2026-01-03\n---\n\nSee [the steps](../link-target/index.md#steps) "
	        "and [the news](../_index.md).\n\n![A drawing](pic.png)\n' >'%s/" LINKER "' && "
	        "printf -- '---\ntitle: \"Target\"\ndate: 2026-01-04\n---\n\nIntro.\n\n## Steps\n\nText.\n' >'%s/" TARGET "'",
	        site, ms, ms, ms, site, ms, ms, ms);
	site = ms;
	struct engine_opts eo = {ms, mo, 2, 0, 1};
	struct engine *e = engine_new(&eo);
	CHECK(engine_run(e, NULL, 0) == 0);
	char *full = full_build("md-full1");
	CHECK(same_tree(mo, full));
	free(full);

	/* Another page's title: everything runs again, the linker's Markdown is as it was. */
	test_sh("sed -i 's/^title: .*/title: \"Barnahus, retitled\"/' '%s/" PAGE "'", ms);
	const char *pg[] = {PAGE};
	CHECK(engine_run(e, pg, 1) == 0);
	full = full_build("md-full2");
	CHECK(same_tree(mo, full));
	free(full);

	/* The target moves: the linker's text is the same, its link is not. */
	test_sh("mv '%s/content/news/link-target' '%s/content/news/link-moved'", ms, ms);
	const char *mv[] = {TARGET, "content/news/link-moved/index.md"};
	CHECK(engine_run(e, mv, 2) == 0);
	CHECK(changed_has(e, "en/news/linker/index.html"));
	CHECK(message_has(e, LINKER, "missing page '../link-target"));
	full = full_build("md-full3");
	CHECK(same_tree(mo, full));
	free(full);

	/* Nothing changed: the message about the link is given again. */
	CHECK(engine_run(e, NULL, 0) == 0);
	CHECK(message_has(e, LINKER, "missing page '../link-target"));

	/* Back again: so is the link. */
	test_sh("mv '%s/content/news/link-moved' '%s/content/news/link-target'", ms, ms);
	CHECK(engine_run(e, mv, 2) == 0);
	CHECK(changed_has(e, "en/news/linker/index.html"));
	CHECK(!message_has(e, LINKER, "missing page '../link-target"));
	full = full_build("md-full4");
	CHECK(same_tree(mo, full));
	free(full);

	/* The image, resized: its width and height in the linker's page follow. */
	/* A 40x30 PNG over the 800x600 drawing. */
	test_sh("printf '%s' >'%s/content/news/linker/pic.png'", PNG_40X30, ms);
	const char *pic[] = {"content/news/linker/pic.png"};
	CHECK(engine_run(e, pic, 1) == 0);
	CHECK(changed_has(e, "en/news/linker/index.html"));
	full = full_build("md-full5");
	CHECK(same_tree(mo, full));
	free(full);

	/* A resource's title: its language's search index takes it, so its shards are made again
	 * (the other languages' are kept when what they take is the same). */
	test_sh("sed -i 's/^title: .*/title: \"Individual assessment, retitled\"/' '%s/" EN_RESOURCE "'", ms);
	const char *er[] = {EN_RESOURCE};
	CHECK(engine_run(e, er, 1) == 0);
	CHECK(changed_has_prefix(e, "en/search/"));
	full = full_build("md-full-search");
	CHECK(same_tree(mo, full));
	free(full);

	/* The target's heading renamed: the linker's #steps names none now. */
	test_sh("sed -i 's/^## Steps/## Other steps/' '%s/" TARGET "'", ms);
	const char *tg[] = {TARGET};
	CHECK(engine_run(e, tg, 1) == 0);
	CHECK(message_has(e, LINKER, "no heading with that id"));
	full = full_build("md-full6");
	CHECK(same_tree(mo, full));
	free(full);

	/* An alert's label of the site's own: the linker's text is as it was, its label is not (the
	 * Markdown kept asks for its labels again). */
	test_sh("printf -- '\\n> [!NOTE]\\n> Read this.\\n' >>'%s/" LINKER "'", ms);
	const char *ln[] = {LINKER};
	CHECK(engine_run(e, ln, 1) == 0);
	test_sh("mkdir -p '%s/i18n' && printf 'callout_note: \"Nota bene\"\\n' >'%s/i18n/en.yaml'", ms, ms);
	const char *st[] = {"i18n/en.yaml"};
	CHECK(engine_run(e, st, 1) == 0);
	CHECK(test_sh("grep -q 'callout-title\">Nota bene<' '%s/en/news/linker/index.html'", mo) == 0);
	full = full_build("md-full7");
	CHECK(same_tree(mo, full));
	free(full);

	engine_free(e);
	site = was_site;
	free(ms);
	free(mo);
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
	/* Without the demo's offline packs: the engine of `satchel serve` makes none (a zip of the
	 * whole site on every save), so a build with them is not what it should match. */
	test_sh("mkdir -p '%s' && cp -R '%s/site.yaml' '%s/content' '%s/static' '%s/' && "
	        "sed -i '/^offline:/d' '%s/site.yaml'", site,
	        SATCHEL_SOURCE_DIR, SATCHEL_SOURCE_DIR, SATCHEL_SOURCE_DIR, site, site);
	/* A page longer than the opening the search index takes (300 words). */
	test_sh("mkdir -p '%s/content/news/long-read' && { printf -- '---\\ntitle: \"A long read\"\\n"
	        "date: 2026-01-02\\nsummary: \"Long.\"\\n---\\n\\n'; for i in $(seq 1 80); do "
	        "printf 'Word after word after word %%s. ' $i; done; echo; } >'%s/" LONG_PAGE "'", site, site);
	RUN(test_engine_runs_match_one_shot_builds);
	RUN(test_engine_listing_pages);
	RUN(test_engine_messages_are_its_own);
	RUN(test_engine_sees_a_commit);
	RUN(test_engine_markdown_reused_only_when_asked_the_same);
	fs_rm_rf(tmp);
	free(site);
	free(out);
	return TEST_END();
}
