/* fuzz_cmsapi: a request body to the editor's local backend (cmsapi_handle, what satchel serve
 * answers at POST /api/v1) against a small two-language site on disk, made once: site.yaml with
 * cms:, a page and its translation, a section's _index.md, images, links (symbolic) out of the
 * site to a folder beside it, and files the editor must never write. The site is not a git
 * repository (local_fs: no commits). After each request: the status is one the API may give and
 * matches the request, the answer is JSON and shows no file outside content/ and
 * static/uploads/, nothing outside them changed (outside the site neither, nor through a link),
 * no link was made or changed, a refused request changed nothing, and no temporary file is left; content/ and static/uploads/ are then put back as they were, so each input starts
 * from the same site. */
#include <dirent.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <jansson.h>

#include "cmsapi.h"
#include "fuzz.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"

static char root[256];  /* the temporary folder: site/, outside/ and a file beside them */
static char *site_dir;  /* root/site */
static struct cmsapi *api;

/* A 1x1 PNG. */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
	0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
	0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x60,
	0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f, 0x00, 0x00, 0x00, 0x00,
	0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* The files of the site the editor may change (under content/ and static/uploads/), put back
 * after each request that changed them; NULL text: the PNG. */
static const char *const editable[] = {
	"content/_index.md", "---\ntitle: Home\n---\nWelcome.\n",
	"content/guidance/_index.md", "---\ntitle: Guidance\n---\n",
	"content/guidance/a/index.md", "---\ntitle: A\nweight: 1\n---\nBody \"q\" <x>\n",
	"content/guidance/a/index.bg.md", "---\ntitle: Б\ntranslated_from: 0000000\n---\nТяло\n",
	"content/guidance/a/photo.png", NULL,
	"content/guidance/b.md", "---\ntitle: B\n---\n",
	"content/guidance/d/index.md", "---\ntitle: D\n---\n",
	"content/guidance/d/index.en.md", "---\ntitle: D (en)\n---\n",
	"static/uploads/logo.png", NULL,
	"static/uploads/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
	NULL,
};

/* Links out of the site (relative to site/): a folder and a file the editor must not reach. */
static const char *const links[] = {
	"content/guidance/out", "../../../outside",
	"content/guidance/a/leak.png", "../../../../outside/secret.png",
	"content/guidance/a/leak.md", "../../../../outside/secret.md",
	"static/uploads/out", "../../../outside",
	NULL,
};

/* Files the editor must never change nor read: the site's own (relative to site/) and, with
 * "../", outside it. Each holds the mark fixed-9b2e, which no answer may show (but one that
 * quotes the request). */
static const char *const fixed[] = {
	"site.yaml",
	"# fixed-9b2e\ntitle: Fuzz\nbase_url: https://fuzz.example/\ndefault_language: en\n"
	"languages:\n"
	"  - {code: en, name: English}\n  - {code: bg, name: Български}\n"
	"sections: [guidance]\ncms: {backend: local}\n",
	"static/style.css", "body{} /* fixed-9b2e */\n",
	"layouts/page.html", "{{ content }} fixed-9b2e\n",
	"public/index.html", "<p>fixed-9b2e</p>\n",
	"README.md", "---\ntitle: fixed-9b2e\n---\n",
	"../outside/secret.md", "---\ntitle: fixed-9b2e\n---\n",
	"../outside/secret.png", "fixed-9b2e",
	"../beside.txt", "fixed-9b2e beside the site\n",
	NULL,
};

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Says which invariant broke (stdout: libFuzzer keeps it) and aborts. */
static void
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("fuzz_cmsapi: ", stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	fflush(stdout);
	abort();
}

static void
put(const char *rel, const void *data, size_t len)
{
	char *p = fs_join(site_dir, rel);
	if (fs_write_file(p, data, len) < 0)
		abort();
	free(p);
}

static void
put_editable(void)
{
	for (size_t i = 0; editable[i] != NULL; i += 2) {
		if (editable[i + 1] == NULL)
			put(editable[i], png, sizeof png);
		else
			put(editable[i], editable[i + 1], strlen(editable[i + 1]));
	}
	for (size_t i = 0; links[i] != NULL; i += 2) {
		char *p = fs_join(site_dir, links[i]);
		if (symlink(links[i + 1], p) < 0)
			abort();
		free(p);
	}
}

/* ---- what is on disk ---- */

/* What no answer may show: the mark, and each fixed file in base64. */
static char *marks[16];

static char tmpname[64]; /* the name cmsapi writes a file under before renaming it */

/* Everything below root, walked without following a link and in name order, as text: one
 * record per entry ("path", a kind, the bytes of a file or the target of a link). Entries below
 * site/content and site/static/uploads go to *mine (the editor's), links to *lnk as well, the
 * rest to *rest. Files named as cmsapi's temporary ones are counted in *tmps. */
static void
walk(const char *rel, struct buf *mine, struct buf *lnk, struct buf *rest, int *tmps)
{
	char *dir = rel[0] ? fs_join(root, rel) : xstrdup(root);
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		abort();
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			free(ents[i]);
			continue;
		}
		char *r = rel[0] ? xasprintf("%s/%s", rel, name) : xstrdup(name);
		char *p = fs_join(root, r);
		int editors = strncmp(r, "site/content/", 13) == 0 ||
		              strncmp(r, "site/static/uploads/", 20) == 0;
		struct buf *to = editors ? mine : rest;
		struct stat st;
		if (lstat(p, &st) < 0)
			abort();
		if (S_ISREG(st.st_mode) && strcmp(name, tmpname) == 0)
			(*tmps)++;
		buf_printf(to, "%s\n", r);
		if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t len = readlink(p, target, sizeof target);
			if (len < 0)
				abort();
			buf_puts(to, "L ");
			buf_add(to, target, (size_t)len);
			buf_printf(lnk, "%s -> %.*s\n", r, (int)len, target);
		} else if (S_ISDIR(st.st_mode)) {
			buf_printf(to, "D %o\n", (unsigned)(st.st_mode & 07777));
			walk(r, mine, lnk, rest, tmps);
		} else if (S_ISREG(st.st_mode)) {
			struct buf data = BUF_INIT;
			if (fs_read_file(p, &data) < 0)
				abort();
			buf_printf(to, "F %o %zu ", (unsigned)(st.st_mode & 07777), data.len);
			buf_add(to, data.data, data.len);
			buf_free(&data);
		} else {
			buf_printf(to, "? %o", (unsigned)st.st_mode);
		}
		buf_putc(to, '\n');
		free(p);
		free(r);
		free(ents[i]);
	}
	free(ents);
	free(dir);
}

struct snap {
	struct buf mine, lnk, rest;
	int tmps;
};

static struct snap before; /* the site as made */

static void
snap_take(struct snap *s)
{
	s->mine = (struct buf)BUF_INIT;
	s->lnk = (struct buf)BUF_INIT;
	s->rest = (struct buf)BUF_INIT;
	s->tmps = 0;
	walk("", &s->mine, &s->lnk, &s->rest, &s->tmps);
}

static void
snap_free(struct snap *s)
{
	buf_free(&s->mine);
	buf_free(&s->lnk);
	buf_free(&s->rest);
}

static int
same(const struct buf *x, const struct buf *y)
{
	return x->len == y->len && (x->len == 0 || memcmp(x->data, y->data, x->len) == 0);
}

/* Says what changed from the first line where two listings part, and aborts. */
static void show_diff(const char *what, const struct buf *x, const struct buf *y)
	__attribute__((noreturn));

static void
show_diff(const char *what, const struct buf *x, const struct buf *y)
{
	size_t i = 0, line = 0;
	while (i < x->len && i < y->len && x->data[i] == y->data[i]) {
		if (x->data[i] == '\n')
			line = i + 1;
		i++;
	}
	die("%s changed; before: %.200s\nafter: %.200s", what, x->data ? x->data + line : "",
	    y->data ? y->data + line : "");
}

static void
cleanup(void)
{
	cmsapi_free(api);
	snap_free(&before);
	for (size_t i = 0; marks[i] != NULL; i++)
		g_free(marks[i]);
	fs_rm_rf(root);
	free(site_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence();
	snprintf(tmpname, sizeof tmpname, ".satchel-cms-%ld.tmp", (long)getpid());
	fuzz_tmpdir(root, sizeof root, "cmsapi");
	site_dir = fs_join(root, "site");
	for (size_t i = 0; fixed[i] != NULL; i += 2)
		put(fixed[i], fixed[i + 1], strlen(fixed[i + 1]));
	put_editable();
	snap_take(&before);
	size_t m = 0;
	marks[m++] = g_strdup("fixed-9b2e");
	for (size_t i = 0; fixed[i] != NULL; i += 2)
		marks[m++] = g_base64_encode((const guchar *)fixed[i + 1], strlen(fixed[i + 1]));
	api = cmsapi_new(site_dir);
	atexit(cleanup);
	/* The site must be a plain folder (no commits): a git repository above /tmp would make every
	 * save a commit in it. */
	struct buf out = BUF_INIT;
	static const char req[] = "{\"action\":\"info\"}";
	if (cmsapi_handle(api, req, sizeof req - 1, &out) != 200 ||
	    strstr(buf_str(&out), "\"local_fs\"") == NULL) {
		die("the site is not a plain folder: %s", buf_str(&out));
	}
	buf_free(&out);
	return 0;
}

/* The answer is JSON: an object with an error string for a refusal, else any JSON (null from
 * getDeployPreview). */
static void
check_answer(int status, const struct buf *out)
{
	json_error_t err;
	json_t *j = json_loadb(out->data ? out->data : "", out->len, JSON_DECODE_ANY, &err);
	if (j == NULL)
		die("status %d, the answer is not JSON (%s): %.300s", status, err.text,
		    buf_str((struct buf *)out));
	if (status != 200 && !json_is_string(json_object_get(j, "error")))
		die("status %d without {\"error\": why}", status);
	json_decref(j);
}

/* The deepest level of a value inside j, j at level l (cmsapi refuses a value below level 64 as
 * not JSON). */
static int
deepest(const json_t *j, int l)
{
	int d = l;
	size_t n = json_is_array(j) ? json_array_size(j) : 0;
	for (size_t i = 0; i < n; i++) {
		int e = deepest(json_array_get(j, i), l + 1);
		d = e > d ? e : d;
	}
	const char *k;
	const json_t *v;
	if (json_is_object(j))
		json_object_foreach((json_t *)j, k, v) {
			int e = deepest(v, l + 1);
			d = e > d ? e : d;
		}
	return d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body = fuzz_copy(data, size);
	/* what the status must be for a body that is not a JSON object */
	json_error_t err;
	json_t *req = json_loadb(body, size, JSON_REJECT_DUPLICATES, &err);
	int not_object = !json_is_object(req) || deepest(req, 0) > 64;
	char *said = req ? json_dumps(req, JSON_ENCODE_ANY) : NULL; /* its strings unescaped */
	json_decref(req);

	struct buf out = BUF_INIT;
	int status = cmsapi_handle(api, body, size, &out);
	/* 200; 400 not JSON; 422 a bad request. 404 (no cms:), 409 (git), 413 (too big) cannot
	 * happen here, and 500 is a failure the API has no reason for on this site. */
	if (status != 200 && status != 400 && status != 422)
		die("status %d: %.300s", status, buf_str(&out));
	if ((status == 400) != not_object)
		die("status %d for a body that is %sa JSON object", status, not_object ? "not " : "");
	check_answer(status, &out);
	/* nothing read outside content/ and static/uploads/, as it is or in base64 (unless the
	 * request says it itself: libFuzzer learns the strings compared here) */
	for (size_t i = 0; marks[i] != NULL; i++)
		if (strstr(buf_str(&out), marks[i]) != NULL &&
		    memmem(data, size, marks[i], strlen(marks[i])) == NULL &&
		    (said == NULL || strstr(said, marks[i]) == NULL))
			die("the answer shows a file it may not read (%s): %.300s", marks[i],
			    buf_str(&out));
	free(said);
	buf_free(&out);
	free(body);

	struct snap now;
	snap_take(&now);
	if (!same(&before.rest, &now.rest))
		show_diff("a file the editor may not write", &before.rest, &now.rest);
	if (!same(&before.lnk, &now.lnk))
		show_diff("a link", &before.lnk, &now.lnk);
	if (now.tmps != 0)
		die("a temporary file is left");
	if (!same(&before.mine, &now.mine)) {
		if (status != 200) /* a refusal changes nothing */
			show_diff("the site, for a request refused,", &before.mine, &now.mine);
		char *content = fs_join(site_dir, "content"), *uploads = fs_join(site_dir, "static/uploads");
		if (fs_rm_rf(content) < 0 || fs_rm_rf(uploads) < 0)
			abort();
		free(content);
		free(uploads);
		put_editable();
	}
	snap_free(&now);
	fuzz_done();
	return 0;
}
