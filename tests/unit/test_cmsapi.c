/* test_cmsapi: the editor's local backend without HTTP — each action, the default language's
 * file name, the translated_from rule, one commit per save of exactly its files, the path
 * refusals (links included, one made after start), and JSON in and out. */
#include "test.h"

#include <sys/stat.h>

#include "cmsapi.h"
#include "util/fs.h"
#include "util/xalloc.h"

static char tmp[] = "/tmp/satchel-test-cmsapi-XXXXXX";
static int nsite;

static char *
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command; its stdout (the caller frees). */
static char *
sh(const char *fmt, ...)
{
	struct buf cmd = BUF_INIT, out = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&cmd, fmt, ap);
	va_end(ap);
	FILE *p = popen(buf_str(&cmd), "r");
	char chunk[4096];
	size_t n;
	while (p != NULL && (n = fread(chunk, 1, sizeof chunk, p)) > 0)
		buf_add(&out, chunk, n);
	if (p != NULL)
		pclose(p);
	buf_free(&cmd);
	return buf_detach(&out);
}

static void
put(const char *dir, const char *rel, const char *text)
{
	char *p = fs_join(dir, rel);
	fs_write_file(p, text, strlen(text));
	free(p);
}

static char *
get(const char *dir, const char *rel)
{
	char *p = fs_join(dir, rel);
	struct buf b = BUF_INIT;
	if (fs_read_file(p, &b) < 0)
		buf_puts(&b, "(none)");
	free(p);
	buf_puts(&b, "");
	return buf_detach(&b);
}

/* A two-language site (en default, bg) with a guidance page and its translation; in git with
 * one commit unless plain. */
static char *
new_site(int git)
{
	char *dir = xasprintf("%s/site%d", tmp, ++nsite);
	put(dir, "site.yaml", "title: T\nbase_url: https://x.example.org/\ndefault_language: en\n"
	                      "languages:\n  - code: en\n    name: English\n  - code: bg\n    name: B\n"
	                      "cms: {backend: local}\n");
	put(dir, "content/guidance/a/index.md", "---\ntitle: A\n---\nBody \"q\" \001 <x>\n");
	put(dir, "content/guidance/a/index.bg.md", "---\ntitle: Б\n---\nТяло\n");
	put(dir, "content/guidance/_index.md", "---\ntitle: Guidance\n---\n");
	put(dir, "content/guidance/a/photo.png", "PNGDATA");
	if (git)
		free(sh("cd %s && git init -q && git add -A && git commit -qm first", dir));
	return dir;
}

/* One request: status, answer in *out (the caller frees). */
static int
call(const char *dir, const char *json, char **out)
{
	struct cmsapi *a = cmsapi_new(dir);
	struct buf b = BUF_INIT;
	int st = cmsapi_handle(a, json, strlen(json), &b);
	cmsapi_free(a);
	buf_puts(&b, "");
	*out = buf_detach(&b);
	return st;
}

#define SAVE(path, raw)                                                                            \
	"{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":[{\"slug\":\"s\"," \
	"\"path\":\"" path "\",\"raw\":\"" raw "\"}],\"assets\":[],\"options\":{\"commitMessage\":"    \
	"\"Save s\",\"useWorkflow\":false,\"status\":\"\"}}}"

/* A site without cms: has no editor: the backend answers nothing but that it is off. */
TEST(test_off_without_cms)
{
	char *d = new_site(1), *out;
	free(sh("cd %s && sed -i '/^cms:/d' site.yaml", d));
	CHECK(call(d, "{\"action\":\"info\"}", &out) == 404);
	CHECK_CONTAINS(out, "site.yaml has no cms:");
	free(out);
	CHECK(call(d, SAVE("content/guidance/b/index.md", "---\\ntitle: B\\n---\\n"), &out) == 404);
	free(out);
	out = sh("cd %s && test -e content/guidance/b && echo written || echo absent", d);
	CHECK_CONTAINS(out, "absent");
	free(out);
	free(d);
}

TEST(test_info_says_git_or_folder)
{
	char *g = new_site(1), *f = new_site(0), *out;
	CHECK(call(g, "{\"action\":\"info\"}", &out) == 200);
	CHECK_CONTAINS(out, "\"publish_modes\":[\"simple\"],\"type\":\"local_git\"}");
	free(out);
	CHECK(call(f, "{\"action\":\"info\",\"params\":{}}", &out) == 200);
	CHECK_CONTAINS(out, "\"type\":\"local_fs\"");
	free(out);
	CHECK(call(g, "{\"action\":\"unpublishedEntries\",\"params\":{}}", &out) == 422);
	CHECK_STR(out, "{\"error\":\"Unknown action unpublishedEntries\"}");
	free(out);
	CHECK(call(g, "{\"action\":\"getDeployPreview\",\"params\":{}}", &out) == 200);
	CHECK_STR(out, "null");
	free(out);
	free(g);
	free(f);
}

TEST(test_default_language_file_is_index_md)
{
	char *d = new_site(1), *out;
	CHECK(call(d, "{\"action\":\"entriesByFolder\",\"params\":{\"branch\":\"main\",\"folder\":"
	              "\"content/guidance\",\"extension\":\"md\",\"depth\":2}}", &out) == 200);
	CHECK_CONTAINS(out, "\"path\":\"content/guidance/a/index.en.md\"");
	CHECK_CONTAINS(out, "\"path\":\"content/guidance/a/index.bg.md\"");
	CHECK_NOT_CONTAINS(out, "_index");
	CHECK_NOT_CONTAINS(out, "a/index.md\"");
	CHECK_NOT_CONTAINS(out, "photo");
	/* the data, JSON-escaped: quotes, a control character, <> */
	CHECK_CONTAINS(out, "Body \\\"q\\\" \\u0001 \\u003cx\\u003e\\n");
	free(out);
	CHECK(call(d, SAVE("content/guidance/a/index.en.md", "---\\ntitle: A2\\n---\\n"), &out) == 200);
	CHECK_STR(out, "{\"message\":\"entry persisted\"}");
	free(out);
	out = get(d, "content/guidance/a/index.md");
	CHECK_STR(out, "---\ntitle: A2\n---\n");
	free(out);
	out = get(d, "content/guidance/a/index.en.md");
	CHECK_STR(out, "(none)");
	free(out);
	/* a page written as index.en.md by hand stays so */
	put(d, "content/guidance/b/index.en.md", "---\ntitle: B\n---\n");
	CHECK(call(d, SAVE("content/guidance/b/index.en.md", "---\\ntitle: B2\\n---\\n"), &out) == 200);
	free(out);
	out = get(d, "content/guidance/b/index.en.md");
	CHECK_STR(out, "---\ntitle: B2\n---\n");
	free(out);
	out = get(d, "content/guidance/b/index.md");
	CHECK_STR(out, "(none)");
	free(out);
	CHECK(call(d, "{\"action\":\"getEntry\",\"params\":{\"branch\":\"main\",\"path\":"
	              "\"content/guidance/a/index.en.md\"}}", &out) == 200);
	CHECK_CONTAINS(out, "{\"data\":\"---\\ntitle: A2\\n---\\n\",\"file\":{\"path\":\"content/guidance/a/index.en.md\",\"id\":\"");
	free(out);
	CHECK(call(d, "{\"action\":\"deleteFile\",\"params\":{\"branch\":\"main\",\"path\":"
	              "\"content/guidance/a/index.en.md\",\"options\":{\"commitMessage\":\"Del\"}}}", &out) == 200);
	free(out);
	out = get(d, "content/guidance/a/index.md");
	CHECK_STR(out, "(none)");
	free(out);
	free(d);
}

TEST(test_translated_from_when_the_source_is_not_saved)
{
	char *d = new_site(1), *out;
	char *head = sh("cd %s && git rev-parse HEAD", d);
	head[strcspn(head, "\n")] = '\0';
	CHECK(call(d, SAVE("content/guidance/a/index.bg.md", "---\\ntitle: Б2\\ntranslated_from: 0000000\\n---\\nТяло\\n"), &out) == 200);
	free(out);
	out = get(d, "content/guidance/a/index.bg.md");
	struct buf want = BUF_INIT;
	buf_printf(&want, "---\ntitle: Б2\ntranslated_from: %s\n---\nТяло\n", head);
	CHECK_STR(out, buf_str(&want));
	free(out);
	buf_free(&want);
	/* the source and its translation in one save: the commit itself is what it follows */
	const char *both =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.en.md\",\"raw\":\"---\\ntitle: A3\\n---\\n\"},"
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.bg.md\",\"raw\":\"---\\ntitle: Б3\\ntranslated_from: abc\\n---\\n\"}],"
	    "\"assets\":[],\"options\":{\"commitMessage\":\"Both\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, both, &out) == 200);
	free(out);
	out = get(d, "content/guidance/a/index.bg.md");
	CHECK_STR(out, "---\ntitle: Б3\n---\n");
	free(out);
	/* the default language's own file never gets one */
	out = get(d, "content/guidance/a/index.md");
	CHECK_STR(out, "---\ntitle: A3\n---\n");
	free(out);
	free(head);
	free(d);
}

/* Decap sends every language's file on each save, written anew in its own YAML style. A
 * translation nobody touched is left as it is, so a change of the source alone leaves it behind
 * (satchel translations then says it is outdated) instead of a commit that makes it look new. */
TEST(test_an_untouched_translation_is_not_rewritten)
{
	char *d = new_site(1), *out;
	free(sh("cd %s && printf -- '---\\ntitle: \"Б\"   # hand-written\\ntranslated_from: abc1234\\n---\\n"
	        "Тяло\\n' > content/guidance/a/index.bg.md && git commit -qam bg", d));
	const char *save =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.en.md\",\"raw\":\"---\\ntitle: A changed\\n---\\nBody\\n\"},"
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.bg.md\",\"raw\":\"---\\ntranslated_from: abc1234\\ntitle: Б\\n---\\n\\nТяло\\n\\n\"}],"
	    "\"assets\":[],\"options\":{\"commitMessage\":\"Source only\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, save, &out) == 200);
	free(out);
	out = get(d, "content/guidance/a/index.bg.md");
	CHECK_STR(out, "---\ntitle: \"Б\"   # hand-written\ntranslated_from: abc1234\n---\nТяло\n");
	free(out);
	out = sh("cd %s && git show --name-only --format=%%s HEAD", d);
	CHECK_STR(out, "Source only\n\ncontent/guidance/a/index.md\n");
	free(out);
	/* a changed value is a change, wherever Decap puts it */
	const char *bg =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.en.md\",\"raw\":\"---\\ntitle: A changed\\n---\\nBody\\n\"},"
	    "{\"slug\":\"a\",\"path\":\"content/guidance/a/index.bg.md\",\"raw\":\"---\\ntranslated_from: abc1234\\ntitle: Б нов\\n---\\nТяло\\n\"}],"
	    "\"assets\":[],\"options\":{\"commitMessage\":\"Bulgarian\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, bg, &out) == 200);
	free(out);
	out = sh("cd %s && git show --name-only --format=%%s HEAD", d);
	CHECK_STR(out, "Bulgarian\n\ncontent/guidance/a/index.bg.md\n");
	free(out);
	out = get(d, "content/guidance/a/index.bg.md");
	CHECK_CONTAINS(out, "title: Б нов");
	CHECK(strstr(out, "abc1234") == NULL); /* it now follows the source as it is */
	free(out);
	free(d);
}

/* Decap sends an empty file for each language left empty; none is written. */
TEST(test_an_empty_language_is_not_written)
{
	char *d = new_site(1), *out;
	const char *save =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"n\",\"path\":\"content/guidance/n/index.en.md\",\"raw\":\"---\\ntitle: New\\n---\\nText\\n\"},"
	    "{\"slug\":\"n\",\"path\":\"content/guidance/n/index.bg.md\",\"raw\":\"\\n\"},"
	    "{\"slug\":\"n\",\"path\":\"content/guidance/n/index.el.md\",\"raw\":\"---\\ntranslated_from: abc\\n---\\n\\n\"}],"
	    "\"assets\":[],\"options\":{\"commitMessage\":\"New\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, save, &out) == 200);
	free(out);
	out = sh("cd %s && ls content/guidance/n && git show --name-only --format=%%s HEAD", d);
	CHECK_STR(out, "index.md\nNew\n\ncontent/guidance/n/index.md\n");
	free(out);
	free(d);
}

TEST(test_a_save_is_one_commit_of_its_files_only)
{
	char *d = new_site(1), *out;
	put(d, "content/guidance/a/staged.txt", "staged\n");
	put(d, "static/wip.txt", "wip\n");
	free(sh("cd %s && git add content/guidance/a/staged.txt", d));
	const char *save =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"n\",\"path\":\"content/guidance/n/index.en.md\",\"raw\":\"---\\ntitle: N\\n---\\n\"}],"
	    "\"assets\":[{\"path\":\"content/guidance/n/p.png\",\"content\":\"UE5H\",\"encoding\":\"base64\"}],"
	    "\"options\":{\"commitMessage\":\"  Create \\u201cn\\u201d\\u0007\\nmore\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, save, &out) == 200);
	free(out);
	out = sh("cd %s && git log --format='%%s|%%an' && git show --name-only --format= HEAD && git status --porcelain -uall", d);
	CHECK_STR(out, "Create “n”|Test Author\nfirst|Test Author\n"
	               "content/guidance/n/index.md\ncontent/guidance/n/p.png\n"
	               "A  content/guidance/a/staged.txt\n?? static/wip.txt\n");
	free(out);
	out = get(d, "content/guidance/n/p.png");
	CHECK_STR(out, "PNG");
	free(out);
	/* the same bytes again: no empty commit */
	CHECK(call(d, save, &out) == 200);
	free(out);
	out = sh("cd %s && git rev-list --count HEAD", d);
	CHECK_STR(out, "2\n");
	free(out);
	/* media */
	CHECK(call(d, "{\"action\":\"persistMedia\",\"params\":{\"branch\":\"main\",\"asset\":{\"path\":"
	              "\"static/uploads/x.pdf\",\"content\":\"JVBERg==\",\"encoding\":\"base64\"},"
	              "\"options\":{\"commitMessage\":\"Up\"}}}", &out) == 200);
	CHECK_CONTAINS(out, "\"content\":\"JVBERg==\",\"encoding\":\"base64\",\"path\":\"static/uploads/x.pdf\",\"name\":\"x.pdf\"}");
	free(out);
	CHECK(call(d, "{\"action\":\"getMedia\",\"params\":{\"branch\":\"main\",\"mediaFolder\":\"static/uploads\"}}", &out) == 200);
	CHECK_CONTAINS(out, "[{\"id\":\"");
	CHECK_CONTAINS(out, "\"name\":\"x.pdf\"}]");
	free(out);
	CHECK(call(d, "{\"action\":\"deleteFiles\",\"params\":{\"branch\":\"main\",\"paths\":[\"static/uploads/x.pdf\","
	              "\"content/guidance/n/p.png\"],\"options\":{\"commitMessage\":\"Del\"}}}", &out) == 200);
	CHECK_STR(out, "{\"message\":\"deleted files static/uploads/x.pdf, content/guidance/n/p.png\"}");
	free(out);
	out = sh("cd %s && git show --name-status --format=%%s HEAD", d);
	CHECK_STR(out, "Del\n\nD\tcontent/guidance/n/p.png\nD\tstatic/uploads/x.pdf\n");
	free(out);
	free(d);
}

TEST(test_no_identity_refuses_the_save)
{
	char *d = new_site(1), *out;
	char *cfg = fs_join(tmp, ".gitconfig"), *moved = fs_join(tmp, "gitconfig.moved");
	rename(cfg, moved);
	CHECK(call(d, SAVE("content/guidance/z/index.en.md", "---\\ntitle: Z\\n---\\n"), &out) == 409);
	CHECK_CONTAINS(out, "git config --global user.name");
	free(out);
	out = get(d, "content/guidance/z/index.md");
	CHECK_STR(out, "(none)");
	free(out);
	rename(moved, cfg);
	free(moved);
	free(cfg);
	free(d);
}

TEST(test_paths_the_build_refuses_are_refused)
{
	char *d = new_site(1), *out;
	static const char *const bad[] = {
	    "../x.md", "content/../site.yaml", "content/a/../../x.md", "/etc/x.md",
	    "content\\\\..\\\\x.md", "content/.git/x.md", "content/a/.Git/x.md", "site.yaml",
	    "themes/default/x.md", "layouts/x.md", "content//x.md", "content/./x.md", "content/",
	    "content", "content/a/x.html", "content/a\\u0001.md", "content/a\\u007f.md",
	    "content/a\\u0085.md", "public/x.md", "static/uploads/x.md", "content/x.satchel-manifest",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct buf req = BUF_INIT;
		buf_printf(&req, SAVE("%s", "x"), bad[i]);
		int st = call(d, buf_str(&req), &out);
		if (st != 422)
			fprintf(stderr, "  %s: %d %s\n", bad[i], st, out);
		CHECK(st == 422);
		CHECK_CONTAINS(out, "{\"error\":\"");
		free(out);
		buf_free(&req);
	}
	/* long paths */
	struct buf req = BUF_INIT, name = BUF_INIT;
	for (int i = 0; i < 256; i++)
		buf_putc(&name, 'a');
	buf_printf(&req, SAVE("content/%s.md", "x"), buf_str(&name));
	CHECK(call(d, buf_str(&req), &out) == 422);
	CHECK_CONTAINS(out, "longer than 255");
	free(out);
	buf_reset(&req);
	buf_puts(&req, "{\"action\":\"getEntry\",\"params\":{\"path\":\"content");
	for (int i = 0; i < 120; i++)
		buf_puts(&req, "/abcdefghi");
	buf_puts(&req, ".md\"}}");
	CHECK(call(d, buf_str(&req), &out) == 422);
	CHECK_CONTAINS(out, "longer than 1024");
	free(out);
	buf_free(&req);
	buf_free(&name);
	/* a name that is not UTF-8 is not JSON */
	CHECK(call(d, "{\"action\":\"getEntry\",\"params\":{\"path\":\"content/\xff.md\"}}", &out) == 400);
	free(out);
	/* links: a folder made a link after the API started, and a file */
	struct cmsapi *a = cmsapi_new(d);
	char *outside = xasprintf("%s/outside%d", tmp, nsite);
	mkdir(outside, 0755);
	char *link = fs_join(d, "content/guidance/l");
	CHECK(symlink(outside, link) == 0);
	const char *through = SAVE("content/guidance/l/index.md", "x");
	struct buf b = BUF_INIT;
	CHECK(cmsapi_handle(a, through, strlen(through), &b) == 422);
	CHECK_CONTAINS(buf_str(&b), "content/guidance/l is a symbolic link");
	buf_reset(&b);
	char *in = fs_join(outside, "index.md");
	CHECK(!fs_exists(in));
	free(in);
	char *flink = fs_join(d, "content/guidance/a/index.ro.md"), *target = fs_join(d, "site.yaml");
	CHECK(symlink(target, flink) == 0);
	const char *onto = SAVE("content/guidance/a/index.ro.md", "x");
	CHECK(cmsapi_handle(a, onto, strlen(onto), &b) == 422);
	CHECK_CONTAINS(buf_str(&b), "symbolic link");
	buf_reset(&b);
	/* a refusal changes nothing: deleting a file and then the link deletes neither */
	const char *del = "{\"action\":\"deleteFiles\",\"params\":{\"paths\":["
	                  "\"content/guidance/a/photo.png\",\"content/guidance/a/index.ro.md\"]}}";
	CHECK(cmsapi_handle(a, del, strlen(del), &b) == 422);
	CHECK_CONTAINS(buf_str(&b), "symbolic link");
	buf_reset(&b);
	out = get(d, "content/guidance/a/photo.png");
	CHECK(strcmp(out, "PNGDATA") == 0);
	free(out);
	out = get(d, "site.yaml");
	CHECK_CONTAINS(out, "title: T");
	free(out);
	const char *read = "{\"action\":\"getMediaFile\",\"params\":{\"path\":\"content/guidance/l/x.png\"}}";
	CHECK(cmsapi_handle(a, read, strlen(read), &b) == 422);
	CHECK_CONTAINS(buf_str(&b), "symbolic link");
	buf_reset(&b);
	const char *list = "{\"action\":\"entriesByFolder\",\"params\":{\"folder\":\"content/guidance\",\"extension\":\"md\",\"depth\":3}}";
	CHECK(cmsapi_handle(a, list, strlen(list), &b) == 200);
	CHECK_NOT_CONTAINS(buf_str(&b), "guidance/l/");
	CHECK_NOT_CONTAINS(buf_str(&b), "index.ro.md");
	buf_free(&b);
	cmsapi_free(a);
	out = sh("cd %s && git rev-list --count HEAD", d);
	CHECK_STR(out, "1\n");
	free(out);
	free(flink);
	free(target);
	free(link);
	free(outside);
	free(d);
}

TEST(test_json_in)
{
	char *d = new_site(0), *out;
	/* \/ , \u00e9, a surrogate pair, all escapes */
	CHECK(call(d, SAVE("content\\/guidance\\/caf\\u00e9\\/index.en.md",
	                   "\\ud83d\\ude00 \\\" \\\\ \\/ \\b\\f\\n\\r\\t"), &out) == 200);
	free(out);
	out = get(d, "content/guidance/café/index.md");
	CHECK_STR(out, "\xf0\x9f\x98\x80 \" \\ / \b\f\n\r\t");
	free(out);
	static const char *const bad[] = {
	    "{\"action\":\"info\",\"x\":\"\\ud800\"}",         /* lone high surrogate */
	    "{\"action\":\"info\",\"x\":\"\\udc00\"}",         /* lone low surrogate */
	    "{\"action\":\"info\",\"x\":\"\\ud800\\u0041\"}",  /* high then not low */
	    "{\"action\":\"info\",\"x\":\"\\u0000\"}",         /* NUL */
	    "{\"action\":\"info\",\"x\":\"a\nb\"}",            /* raw control */
	    "{\"action\":\"info\",\"x\":\"\\x\"}",             /* bad escape */
	    "{\"action\":\"info\"} x",                         /* trailing */
	    "{\"action\":\"info\",}",                          /* trailing comma */
	    "[\"info\"]",                                      /* not an object */
	    "{\"action\":\"info\",\"x\":01}",                  /* leading zero */
	    "{\"action\":\"info\",\"x\":\"\xc0\xaf\"}",        /* overlong UTF-8 */
	    "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK(call(d, bad[i], &out) == 400);
		CHECK_CONTAINS(out, "{\"error\":\"the request is not JSON");
		free(out);
	}
	CHECK(call(d, "{\"action\":\"info\",\"x\":[1,-2.5e3,true,false,null,{\"y\":[]}]}", &out) == 200);
	free(out);
	/* nesting beyond the bound is refused, not a stack overflow */
	struct buf deep = BUF_INIT;
	buf_puts(&deep, "{\"action\":\"info\",\"x\":");
	for (int i = 0; i < 100000; i++)
		buf_putc(&deep, '[');
	buf_putc(&deep, '}');
	CHECK(call(d, buf_str(&deep), &out) == 400);
	free(out);
	buf_free(&deep);
	/* a big body: 4 MiB of base64 */
	struct buf big = BUF_INIT;
	buf_puts(&big, "{\"action\":\"persistMedia\",\"params\":{\"asset\":{\"path\":\"static/uploads/big.pdf\",\"content\":\"");
	for (int i = 0; i < (1 << 20); i++)
		buf_puts(&big, "QUJD");
	buf_puts(&big, "\",\"encoding\":\"base64\"},\"options\":{\"commitMessage\":\"big\"}}}");
	CHECK(call(d, buf_str(&big), &out) == 200);
	free(out);
	buf_free(&big);
	char *p = fs_join(d, "static/uploads/big.pdf");
	struct stat st;
	CHECK(stat(p, &st) == 0 && st.st_size == 3 << 20);
	free(p);
	CHECK(call(d, "{\"action\":\"persistMedia\",\"params\":{\"asset\":{\"path\":\"static/uploads/b.pdf\",\"content\":\"Q*==\",\"encoding\":\"base64\"},\"options\":{\"commitMessage\":\"x\"}}}", &out) == 422);
	CHECK_CONTAINS(out, "not base64");
	free(out);
	free(d);
}

TEST(test_rename_moves_the_folder_in_one_commit)
{
	char *d = new_site(1), *out;
	const char *ren =
	    "{\"action\":\"persistEntry\",\"params\":{\"branch\":\"main\",\"dataFiles\":["
	    "{\"slug\":\"b\",\"path\":\"content/guidance/a/index.en.md\",\"newPath\":\"content/guidance/b/index.en.md\",\"raw\":\"---\\ntitle: B\\n---\\n\"}],"
	    "\"assets\":[],\"options\":{\"commitMessage\":\"Rename\",\"useWorkflow\":false,\"status\":\"\"}}}";
	CHECK(call(d, ren, &out) == 200);
	free(out);
	out = get(d, "content/guidance/b/index.md");
	CHECK_STR(out, "---\ntitle: B\n---\n");
	free(out);
	out = get(d, "content/guidance/b/photo.png");
	CHECK_STR(out, "PNGDATA");
	free(out);
	char *old = fs_join(d, "content/guidance/a");
	CHECK(!fs_exists(old)); /* the emptied folder is gone */
	free(old);
	out = get(d, "content/guidance/b/index.bg.md");
	CHECK_STR(out, "---\ntitle: Б\n---\nТяло\n");
	free(out);
	out = sh("cd %s && git show --no-renames --name-status --format=%%s HEAD && git status --porcelain -uall", d);
	CHECK_STR(out, "Rename\n\nD\tcontent/guidance/a/index.bg.md\nD\tcontent/guidance/a/index.md\n"
	               "D\tcontent/guidance/a/photo.png\nA\tcontent/guidance/b/index.bg.md\n"
	               "A\tcontent/guidance/b/index.md\nA\tcontent/guidance/b/photo.png\n");
	free(out);
	free(d);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_DATE", "2024-01-02T03:04:05Z", 1);
	setenv("GIT_COMMITTER_DATE", "2024-01-02T03:04:05Z", 1);
	put(tmp, ".gitconfig", "[user]\n\tname = Test Author\n\temail = author@example.org\n"
	                       "[init]\n\tdefaultBranch = main\n");
	diag_quiet(1);
	RUN(test_off_without_cms);
	RUN(test_info_says_git_or_folder);
	RUN(test_default_language_file_is_index_md);
	RUN(test_translated_from_when_the_source_is_not_saved);
	RUN(test_an_untouched_translation_is_not_rewritten);
	RUN(test_an_empty_language_is_not_written);
	RUN(test_a_save_is_one_commit_of_its_files_only);
	RUN(test_no_identity_refuses_the_save);
	RUN(test_rename_moves_the_folder_in_one_commit);
	RUN(test_paths_the_build_refuses_are_refused);
	RUN(test_json_in);
	fs_rm_rf(tmp);
	return TEST_END();
}
