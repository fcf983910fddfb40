/* fuzz_links: a page's Markdown through md_render with the link rewriting the build does
 * (site_resolve_link against a tiny two-language site loaded once), image sizes, heading ids and
 * the table of contents. The first byte also picks the options (safe or unsafe HTML, which
 * heading levels go into the TOC), so one corpus covers them all. */
#include <string.h>

#include "fuzz.h"
#include "markdown.h"
#include "sanitize.h"
#include "site.h"
#include "source.h"
#include "util/fs.h"
#include "util/map.h"

static struct source *src;
static struct site *site;
static const struct page *pages[2]; /* the English and Bulgarian version of one page */

static void
cleanup(void)
{
	site_free(site);
	source_free(src);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const files[] = {
		"site.yaml",
		"title: Fuzz\nbase_url: https://fuzz.example/hub/\nlanguages:\n"
		"  - {code: en, name: English}\n  - {code: bg, name: Български}\n"
		"sections: [guides, tools]\n",
		"content/_index.md", "---\ntitle: Home\n---\n",
		"content/guides/_index.md", "---\ntitle: Guides\n---\n",
		"content/guides/a/index.md", "---\ntitle: A\n---\n[b](../../tools/b.md)\n",
		"content/guides/a/index.bg.md", "---\ntitle: А\n---\n",
		"content/guides/a/pic.png", "not really a PNG",
		"content/guides/a/sheet.bg.pdf", "%PDF",
		"content/tools/b.md", "---\ntitle: B\n---\n",
		"content/tools/b.bg.md", "---\ntitle: Б\n---\n",
		NULL,
	};
	char dir[256];
	fuzz_silence();
	fuzz_tmpdir(dir, sizeof dir, "site");
	for (size_t i = 0; files[i] != NULL; i += 2) {
		char *path = fs_join(dir, files[i]);
		if (fs_write_file(path, files[i + 1], strlen(files[i + 1])) < 0)
			abort();
		free(path);
	}
	struct source_opts o = SOURCE_OPTS_INIT;
	o.site_dir = dir;
	if (source_open(&src, &o) != 0 || site_load(src, NULL, 1, &site) != 0)
		abort();
	fs_rm_rf(dir); /* the site is in memory now: links resolve without the files */
	pages[0] = map_get(&site->pages_by_src, "content/guides/a/index.md");
	pages[1] = map_get(&site->pages_by_src, "content/guides/a/index.bg.md");
	if (pages[0] == NULL || pages[1] == NULL)
		abort();
	atexit(cleanup);
	return 0;
}

static char *
rewrite(void *payload, const char *url, int is_image, int line)
{
	return site_resolve_link(site, payload, url, line);
}

/* As render's: the size of a content file the site publishes at that URL. */
static int
image_size(void *payload, const char *url, int *width, int *height)
{
	for (size_t i = 0; i < site->nfiles; i++) {
		if (strcmp(site->files[i].url, url) == 0) {
			*width = 640;
			*height = 480;
			return 0;
		}
	}
	return -1;
}

/* satchel check reads every attribute of the output's pages: the value is whole and ends. */
static void
each_attr(void *payload, const char *tag, const char *attr, const char *value, size_t n)
{
	if (value[n] != '\0' || *tag == '\0' || *attr == '\0')
		abort();
	*(size_t *)payload += n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned flags = size > 0 ? data[0] : 0;
	struct md_opts o = {0};
	o.unsafe = flags & 1;
	o.rewrite = rewrite;
	o.payload = (void *)pages[(flags >> 1) & 1];
	o.image_size = image_size;
	o.toc_min = (int)(flags >> 2) % 7;
	o.toc_max = o.toc_min + (int)(flags >> 5) % 7;
	char *text = fuzz_copy(data, size);
	struct md_result r;
	if (md_render(text, size, &o, &r) != 0 || r.html == NULL || r.toc_html == NULL ||
	    r.summary == NULL)
		abort();
	struct map ids = MAP_INIT;
	for (size_t i = 0; i < r.ntoc; i++) {
		if (r.toc[i].id == NULL || r.toc[i].text == NULL || map_put(&ids, r.toc[i].id, &ids))
			abort(); /* heading ids must be unique: the TOC and #links rely on them */
	}
	map_free(&ids);
	size_t seen = 0;
	san_each_attr(text, size, each_attr, &seen); /* the input as a page, and what it made */
	san_each_attr(r.html, strlen(r.html), each_attr, &seen);
	md_result_free(&r);
	free(text);
	fuzz_done();
	return 0;
}
