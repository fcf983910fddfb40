/* Tests for markdown.c: GFM output, safe mode, link rewriting, heading ids, the table of
 * contents, word counts and summaries, and hostile input (bad UTF-8, deep nesting). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"
#include "test.h"
#include "util/buf.h"
#include "util/xalloc.h"

static struct md_result
render(const char *md, int unsafe)
{
	struct md_opts o = {0};
	struct md_result r;
	o.unsafe = unsafe;
	md_render(md, strlen(md), &o, &r);
	return r;
}

/* Is s valid UTF-8 (no overlongs, surrogates or values past U+10FFFF)? */
static int
utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned c = *p, n, cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3, cp = c & 0x07;
		} else {
			return 0;
		}
		for (unsigned i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

TEST(test_gfm_table)
{
	struct md_result r = render("| a | b |\n|---|:-:|\n| 1 | 2 |\n", 0);
	CHECK_CONTAINS(r.html, "<table>");
	CHECK_CONTAINS(r.html, "<th>a</th>");
	CHECK_CONTAINS(r.html, "<td>1</td>");
	CHECK_CONTAINS(r.html, "<td align=\"center\">2</td>");
	md_result_free(&r);
}

TEST(test_gfm_strikethrough)
{
	struct md_result r = render("This is ~~gone~~ now.\n", 0);
	CHECK_STR(r.html, "<p>This is <del>gone</del> now.</p>\n");
	md_result_free(&r);
}

TEST(test_gfm_autolink)
{
	struct md_result r = render("See www.example.org and https://example.com/a?b=1.\n", 0);
	CHECK_CONTAINS(r.html, "<a href=\"http://www.example.org\">www.example.org</a>");
	CHECK_CONTAINS(r.html, "<a href=\"https://example.com/a?b=1\">https://example.com/a?b=1</a>.");
	md_result_free(&r);
}

TEST(test_gfm_task_list)
{
	struct md_result r = render("- [ ] todo\n- [x] done\n", 0);
	/* The checkbox is labelled by its text (an input without a name fails WCAG). */
	CHECK_CONTAINS(r.html, "<li><label><input type=\"checkbox\" disabled=\"\" /> todo</label></li>");
	CHECK_CONTAINS(r.html,
	               "<li><label><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</label></li>");
	md_result_free(&r);
}

TEST(test_gfm_footnote)
{
	struct md_result r = render("Claim.[^src]\n\n[^src]: The source.\n", 0);
	CHECK_CONTAINS(r.html, "<a href=\"#fn-src\" id=\"fnref-src\"");
	CHECK_CONTAINS(r.html, "<section class=\"footnotes\"");
	CHECK_CONTAINS(r.html, "<li id=\"fn-src\">");
	CHECK_CONTAINS(r.html, "The source.");
	md_result_free(&r);
}

TEST(test_fenced_code_language_class)
{
	struct md_result r = render("```c\nint x;\n```\n", 0);
	CHECK_STR(r.html, "<pre tabindex=\"0\"><code class=\"language-c\">int x;\n</code></pre>\n");
	md_result_free(&r);
}

/* Every <pre> scrolls sideways and so can be focused (axe: scrollable-region-focusable): fenced
 * and indented code, in lists, quotes, tables' neighbours and footnotes, with its text escaped as
 * cmark escapes it; raw <pre> kept by the sanitiser too. */
TEST(test_pre_is_focusable)
{
	struct md_result r = render("Text.\n\n    indented <b> & \"q\" 'a'\n\n"
	                            "- item\n\n  ```py extra words\n  x = 1\n  ```\n\n"
	                            "> ~~~\n> quoted\n> ~~~\n\n"
	                            "Note[^1].\n\n[^1]: See:\n\n        in a footnote\n\n"
	                            "```\n```\n\n``` a&b\n<\n```\n",
	                            0);
	CHECK_CONTAINS(r.html, "<p>Text.</p>\n<pre tabindex=\"0\"><code>indented &lt;b&gt; &amp; "
	                       "&quot;q&quot; 'a'\n</code></pre>\n");
	CHECK_CONTAINS(r.html, "<pre tabindex=\"0\"><code class=\"language-py\">x = 1\n</code></pre>\n");
	CHECK_CONTAINS(r.html, "<blockquote>\n<pre tabindex=\"0\"><code>quoted\n</code></pre>\n</blockquote>");
	CHECK_CONTAINS(r.html, "<pre tabindex=\"0\"><code>in a footnote\n</code></pre>");
	CHECK_CONTAINS(r.html, "<pre tabindex=\"0\"><code></code></pre>\n");
	CHECK_CONTAINS(r.html, "<pre tabindex=\"0\"><code class=\"language-a&amp;b\">&lt;\n</code></pre>\n");
	size_t pres = 0, focusable = 0;
	for (const char *p = r.html; (p = strstr(p, "<pre")) != NULL; p++, pres++)
		focusable += strncmp(p, "<pre tabindex=\"0\">", 18) == 0;
	CHECK(pres == 6 && focusable == pres);
	md_result_free(&r);
	/* Raw HTML a site allows: the sanitiser writes <pre> focusable too. */
	r = render("<pre class=\"x\" tabindex=\"-1\">raw</pre>\n\ntext\n", 1);
	CHECK_CONTAINS(r.html, "<pre class=\"x\" tabindex=\"0\">raw</pre>");
	md_result_free(&r);
	/* Safe mode drops raw HTML: no <pre> without tabindex there either. */
	r = render("<pre>raw</pre>\n", 0);
	CHECK_NOT_CONTAINS(r.html, "<pre>");
	md_result_free(&r);
}

TEST(test_raw_html_dropped_when_safe)
{
	const char *md = "<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> here.\n";
	struct md_result r = render(md, 0);
	CHECK_NOT_CONTAINS(r.html, "<script");
	CHECK_NOT_CONTAINS(r.html, "alert(1)</script>");
	CHECK_NOT_CONTAINS(r.html, "<img");
	CHECK_NOT_CONTAINS(r.html, "onerror");
	CHECK_CONTAINS(r.html, "<!-- raw HTML omitted -->");
	CHECK_CONTAINS(r.html, "Text ");
	md_result_free(&r);
}

TEST(test_raw_html_kept_when_unsafe)
{
	const char *md = "<div class=\"box\">\n\nText <img src=x onerror=alert(1)> here.\n\n</div>\n";
	struct md_result r = render(md, 1);
	CHECK_CONTAINS(r.html, "<div class=\"box\">");
	/* Kept through the sanitiser (sanitize.c), which drops the handler. */
	CHECK_CONTAINS(r.html, "Text <img loading=\"lazy\" decoding=\"async\" src=\"x\"> here.");
	CHECK_NOT_CONTAINS(r.html, "onerror");
	CHECK_NOT_CONTAINS(r.html, "raw HTML omitted");
	md_result_free(&r);
}

/* With raw HTML on, a script block goes with its content, and Markdown links lose the
 * javascript: that safe mode would have refused. */
TEST(test_unsafe_script_is_sanitised)
{
	struct md_result r = render("<script>alert(1)</script>\n\n"
	                            "[x](javascript:alert(2)) ![y](vbscript:z) [ok](https://a.org)\n"
	                            "<a href=\"javascript:alert(3)\" onclick=alert(4)>a</a>\n", 1);
	CHECK_NOT_CONTAINS(r.html, "alert(1)");
	CHECK_NOT_CONTAINS(r.html, "<script");
	CHECK_NOT_CONTAINS(r.html, "javascript:");
	CHECK_NOT_CONTAINS(r.html, "vbscript:");
	CHECK_NOT_CONTAINS(r.html, "onclick");
	CHECK_CONTAINS(r.html, "<a href=\"\">x</a>");
	CHECK_CONTAINS(r.html, "<a href=\"https://a.org\">ok</a>");
	CHECK_CONTAINS(r.html, "<a>a</a>");
	CHECK_NOT_CONTAINS(r.html, "raw HTML omitted");
	md_result_free(&r);
}

TEST(test_javascript_url_dropped_when_safe)
{
	struct md_result r = render("[x](javascript:alert(1)) [y](JavaScript:alert(2))\n", 0);
	CHECK_NOT_CONTAINS(r.html, "javascript:");
	CHECK_NOT_CONTAINS(r.html, "JavaScript:");
	CHECK_CONTAINS(r.html, "<a href=\"\">x</a>");
	md_result_free(&r);
	r = render("[x](javascript:alert(1))\n", 1); /* raw HTML on does not let it through */
	CHECK_CONTAINS(r.html, "<a href=\"\">x</a>");
	md_result_free(&r);
}

struct call {
	char url[64];
	int is_image, line;
};

struct calls {
	struct call c[8];
	int n;
	const char *force; /* when set, every URL becomes this */
};

static char *
rewrite(void *payload, const char *url, int is_image, int line)
{
	struct calls *cs = payload;
	if (cs->n < 8) {
		snprintf(cs->c[cs->n].url, sizeof(cs->c[0].url), "%s", url);
		cs->c[cs->n].is_image = is_image;
		cs->c[cs->n].line = line;
		cs->n++;
	}
	if (cs->force)
		return xstrdup(cs->force);
	if (strcmp(url, "../tools/checklist/index.md") == 0)
		return xstrdup("/en/tools/checklist/");
	return NULL;
}

TEST(test_rewrite_link_and_image)
{
	const char *md = "# Title\n"
	                 "\n"
	                 "See the\n"
	                 "[checklist](../tools/checklist/index.md) first.\n"
	                 "\n"
	                 "| a |\n"
	                 "|---|\n"
	                 "| ![logo](img/logo.png) |\n";
	struct calls cs = {0};
	struct md_opts o = {0};
	struct md_result r;
	o.rewrite = rewrite;
	o.payload = &cs;
	md_render(md, strlen(md), &o, &r);
	CHECK(cs.n == 2);
	CHECK_STR(cs.c[0].url, "../tools/checklist/index.md");
	CHECK(cs.c[0].is_image == 0);
	CHECK(cs.c[0].line == 4);
	CHECK_STR(cs.c[1].url, "img/logo.png");
	CHECK(cs.c[1].is_image == 1);
	CHECK(cs.c[1].line == 8);
	CHECK_CONTAINS(r.html, "<a href=\"/en/tools/checklist/\">checklist</a>");
	/* Images load lazily; no size callback, no size. */
	CHECK_CONTAINS(r.html, "<img loading=\"lazy\" decoding=\"async\" src=\"img/logo.png\" alt=\"logo\" />");
	md_result_free(&r);
}

static int
size_of(void *payload, const char *url, int *w, int *h)
{
	(void)payload;
	if (strcmp(url, "/a&b.png") != 0)
		return -1;
	*w = 640;
	*h = 480;
	return 0;
}

static void
srcset_of(void *payload, const char *url, const char **srcset, const char **webp)
{
	(void)payload;
	*srcset = *webp = NULL;
	if (strcmp(url, "/a&b.png") == 0) {
		*srcset = "/a-480.png 480w, /a.png 640w";
		*webp = "/a-480.webp 480w, /a.webp 640w";
	} else if (strcmp(url, "/only.png") == 0) {
		*srcset = "/only.png 300w";
	}
}

/* Published widths become srcset and sizes, in a <picture> whose WebP source comes first. */
TEST(test_image_srcset_and_webp)
{
	struct md_opts o = {.image_size = size_of, .image_srcset = srcset_of};
	struct md_result r;
	const char *md = "![one](/a&b.png \"a > b\") ![two](/only.png) ![three](/other.png)\n";
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(r.html, "<picture><source type=\"image/webp\" srcset=\"/a-480.webp 480w, "
	                       "/a.webp 640w\" sizes=\"(max-width: 40rem) 100vw, 40rem\">"
	                       "<img loading=\"lazy\" decoding=\"async\" width=\"640\" height=\"480\" "
	                       "srcset=\"/a-480.png 480w, /a.png 640w\" sizes=\"(max-width: 40rem) 100vw, "
	                       "40rem\" src=\"/a&amp;b.png\" alt=\"one\" title=\"a &gt; b\" /></picture>");
	CHECK_CONTAINS(r.html, "<img loading=\"lazy\" decoding=\"async\" srcset=\"/only.png 300w\" "
	                       "sizes=\"(max-width: 40rem) 100vw, 40rem\" src=\"/only.png\" alt=\"two\" />");
	CHECK_CONTAINS(r.html, "<img loading=\"lazy\" decoding=\"async\" src=\"/other.png\" alt=\"three\" />");
	const char *end = strstr(r.html, "</picture>"); /* one, for the WebP */
	CHECK(end != NULL && strstr(end + strlen("</picture>"), "picture>") == NULL);
	md_result_free(&r);
}

/* A raw <img> the sanitiser let through ends in '>' alone: its <picture> closes right after it,
 * not after the next image's "/>". */
TEST(test_raw_image_picture_closes_at_its_own_tag)
{
	struct md_opts o = {.unsafe = 1, .image_size = size_of, .image_srcset = srcset_of};
	struct md_result r;
	const char *md = "<img src=\"/a&amp;b.png\" alt=\"raw\">\n\n![md](/other.png)\n";
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(r.html, "alt=\"raw\"></picture>");
	CHECK_CONTAINS(r.html, "alt=\"md\" />");
	CHECK(strstr(r.html, "alt=\"md\" /></picture>") == NULL);
	md_result_free(&r);
}

/* The caller's sizes become width and height, so the page does not jump as images load. */
TEST(test_image_sizes)
{
	struct md_opts o = {.image_size = size_of};
	struct md_result r;
	const char *md = "![one](/a&b.png) ![two](/other.png)\n";
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(r.html, "<img loading=\"lazy\" decoding=\"async\" width=\"640\" height=\"480\" "
	                       "src=\"/a&amp;b.png\" alt=\"one\" />");
	CHECK_CONTAINS(r.html, "<img loading=\"lazy\" decoding=\"async\" src=\"/other.png\" alt=\"two\" />");
	md_result_free(&r);
}

/* A rewritten URL is still judged by safe mode: the callback cannot smuggle javascript: in. */
TEST(test_rewrite_result_still_checked_when_safe)
{
	struct calls cs = {0};
	struct md_opts o = {0};
	struct md_result r;
	const char *md = "[a](page.md)\n";
	cs.force = "javascript:alert(1)";
	o.rewrite = rewrite;
	o.payload = &cs;
	md_render(md, strlen(md), &o, &r);
	CHECK(cs.n == 1);
	CHECK_NOT_CONTAINS(r.html, "javascript:");
	md_result_free(&r);
}

TEST(test_heading_ids_unique_and_custom)
{
	const char *md = "## Overview\n\ntext\n\n## Overview\n\n## Overview\n\n"
	                 "## Custom *title* {#my_id}\n\n"
	                 "## Quote {#a\"b}\n\n"
	                 "##\n\n"
	                 "## Overview {#overview-1}\n";
	struct md_result r = render(md, 0);
	CHECK_CONTAINS(r.html, "<h2 id=\"overview\">Overview</h2>\n<p>text</p>\n");
	CHECK_CONTAINS(r.html, "<h2 id=\"overview-1\">Overview</h2>");
	CHECK_CONTAINS(r.html, "<h2 id=\"overview-2\">Overview</h2>");
	CHECK_CONTAINS(r.html, "<h2 id=\"my_id\">Custom <em>title</em></h2>");
	CHECK_CONTAINS(r.html, "<h2 id=\"a&quot;b\">Quote</h2>");
	CHECK_CONTAINS(r.html, "<h2 id=\"section\"></h2>");
	CHECK_NOT_CONTAINS(r.html, "{#");
	CHECK(r.ntoc == 7);
	if (r.ntoc == 7) {
		CHECK_STR(r.toc[3].text, "Custom title");
		CHECK_STR(r.toc[3].id, "my_id");
		CHECK(r.toc[3].level == 2);
		/* taken already, so the custom id is made unique like any other */
		CHECK_STR(r.toc[6].id, "overview-1-1");
	}
	md_result_free(&r);
}

TEST(test_heading_ids_stable_across_levels_and_setext)
{
	struct md_result r =
	    render("# Why it matters\n\nIntro\n=====\n\n### Step 1: Plan!\n\n> ## In quote\n", 0);
	CHECK_CONTAINS(r.html, "<h1 id=\"why-it-matters\">Why it matters</h1>");
	CHECK_CONTAINS(r.html, "<h1 id=\"intro\">Intro</h1>");
	CHECK_CONTAINS(r.html, "<h3 id=\"step-1-plan\">Step 1: Plan!</h3>");
	CHECK_CONTAINS(r.html, "<blockquote>\n<h2 id=\"in-quote\">In quote</h2>\n</blockquote>");
	md_result_free(&r);
}

/* UNICODE CASE: needs the real i18n_slug (generator/i18n.c); an ASCII stub fails it. */
TEST(test_heading_id_unicode)
{
	struct md_result r = render("## Оценка на детето\n", 0);
	CHECK_CONTAINS(r.html, "<h2 id=\"оценка-на-детето\">Оценка на детето</h2>");
	md_result_free(&r);
}

TEST(test_toc_nesting)
{
	struct md_result r = render("# Page\n\n## A\n\n### B\n\n## C & D\n\n#### E\n\n### F\n\n"
	                            "## G\n\n#### Deep\n",
	                            0);
	CHECK_STR(r.toc_html, "<ul>\n"
	                      "<li><a href=\"#a\">A</a>\n"
	                      "<ul>\n"
	                      "<li><a href=\"#b\">B</a></li>\n"
	                      "</ul>\n"
	                      "</li>\n"
	                      "<li><a href=\"#c--d\">C &amp; D</a>\n"
	                      "<ul>\n"
	                      "<li><a href=\"#f\">F</a></li>\n"
	                      "</ul>\n"
	                      "</li>\n"
	                      "<li><a href=\"#g\">G</a></li>\n"
	                      "</ul>\n");
	CHECK(r.ntoc == 8);
	md_result_free(&r);

	/* Levels that jump (2 -> 4 -> 3 -> 4 -> 2) and a first heading deeper than later ones. */
	struct md_opts o = {0};
	const char *md = "### First\n\n## A\n\n#### B\n\n### C\n\n#### C2\n\n## D\n";
	o.toc_min = 2;
	o.toc_max = 4;
	md_render(md, strlen(md), &o, &r);
	CHECK_STR(r.toc_html, "<ul>\n"
	                      "<li><a href=\"#first\">First</a></li>\n"
	                      "<li><a href=\"#a\">A</a>\n"
	                      "<ul>\n"
	                      "<li><a href=\"#b\">B</a></li>\n"
	                      "<li><a href=\"#c\">C</a>\n"
	                      "<ul>\n"
	                      "<li><a href=\"#c2\">C2</a></li>\n"
	                      "</ul>\n"
	                      "</li>\n"
	                      "</ul>\n"
	                      "</li>\n"
	                      "<li><a href=\"#d\">D</a></li>\n"
	                      "</ul>\n");
	md_result_free(&r);
}

TEST(test_toc_empty_below_two_headings)
{
	struct md_result r = render("# Title\n\n## Only one\n\n#### Too deep\n", 0);
	CHECK_STR(r.toc_html, "");
	CHECK(r.ntoc == 3);
	md_result_free(&r);
}

TEST(test_words_and_summary)
{
	struct md_result r = render("# Title\n\n"
	                            "Hello **big**ger world -\nsecond  `line`.\n\n"
	                            "- one two\n\n"
	                            "```\nnot counted at all\n```\n\n"
	                            "![alt text](x.png) 日本語\n",
	                            0);
	/* Title 1, paragraph 5 (not the lone "-"), item 2, image alt 0, 日本語 one word of three
	 * characters */
	CHECK(r.words == 9 && r.ideo_words == 1 && r.ideo_chars == 3);
	CHECK_STR(r.summary, "Hello bigger world - second line.");
	md_result_free(&r);

	r = render("# Only a heading\n\n- item\n", 0);
	CHECK_STR(r.summary, "item");
	md_result_free(&r);
	r = render("> quoted\n\n- item\n\nThe real *intro*.\n", 0);
	CHECK_STR(r.summary, "The real intro.");
	md_result_free(&r);
	r = render("", 0);
	CHECK_STR(r.summary, "");
	CHECK_STR(r.html, "");
	CHECK_STR(r.toc_html, "");
	CHECK(r.words == 0 && r.ntoc == 0);
	md_result_free(&r);
}

/* Scripts without spaces: Chinese and Japanese are split into words by ICU's dictionaries and
 * their characters counted (they are read by the character); Thai, Lao, Khmer and Burmese into
 * words; Korean, which spaces its words, and the scripts with spaces by their spaces. */
static struct md_result
count(const char *md)
{
	return render(md, 0);
}

TEST(test_words_of_scripts_without_spaces)
{
	struct md_result r = count("子どもの司法手続きにおける個別評価について説明します。");
	/* 26 characters, the full stop (U+3002) not one; each was a "word" before. */
	CHECK(r.ideo_chars == 26);
	CHECK(r.ideo_words == r.words && r.words >= 8 && r.words <= 14);
	md_result_free(&r);
	r = count("儿童司法程序中的个别评估。");
	CHECK(r.ideo_chars == 12 && r.ideo_words == r.words && r.words >= 4 && r.words <= 8);
	md_result_free(&r);
	/* Thai: a sentence without spaces is eight words, not one; none read by the character. */
	r = count("ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ");
	CHECK(r.words == 8 && r.ideo_words == 0 && r.ideo_chars == 0);
	md_result_free(&r);
	r = count("ພາສາລາວ");
	CHECK(r.words == 2 && r.ideo_chars == 0);
	md_result_free(&r);
	/* Korean spaces its words. */
	r = count("한국어는 띄어쓰기를 합니다");
	CHECK(r.words == 3 && r.ideo_words == 0 && r.ideo_chars == 0);
	md_result_free(&r);
	/* Mixed: English words, and Japanese cut by emphasis, beside Latin letters and digits. */
	r = count("Hello **big**ger world 日本語の**強調**テキスト Excel表 2025年");
	CHECK(r.words == 11 && r.ideo_words == 6 && r.ideo_chars == 12);
	md_result_free(&r);
	/* In a heading and a table too; punctuation of either kind is no word. */
	r = count("## 評価の手順\n\n| 項目 | 説明 |\n|---|---|\n| 年齢、 | 「十二」 |\n");
	CHECK(r.ideo_chars == 5 + 2 + 2 + 2 + 2);
	md_result_free(&r);
}

TEST(test_invalid_utf8)
{
	const char md[] = "abc\xff\xfe def \xc3(\n\n## Bad \xe2\x82 head\n\n[l\xc0\xaf](u\xed\xa0\x80)\n"
	                  "nul\0byte\n";
	struct md_result r;
	md_render(md, sizeof(md) - 1, NULL, &r);
	CHECK(r.html != NULL && utf8_ok(r.html));
	CHECK(utf8_ok(r.toc_html));
	CHECK(utf8_ok(r.summary));
	CHECK(r.ntoc == 1 && utf8_ok(r.toc[0].id) && utf8_ok(r.toc[0].text));
	CHECK_CONTAINS(r.html, "\xef\xbf\xbd"); /* U+FFFD */
	CHECK_CONTAINS(r.html, "byte");
	md_result_free(&r);
	md_result_free(NULL);
}

static char *
repeat(const char *unit, int n, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail);
	char *s = xmalloc(u * (size_t)n + t + 1), *p = s;
	for (int i = 0; i < n; i++, p += u)
		memcpy(p, unit, u);
	memcpy(p, tail, t + 1);
	return s;
}

TEST(test_deep_nesting_does_not_overflow)
{
	const char *units[] = {"- ", "> ", "* ", "1. "};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char *md = repeat(units[i], 10000, "## deep [x](y.md)\n");
		struct calls cs = {0};
		struct md_opts o = {0};
		struct md_result r;
		o.rewrite = rewrite;
		o.payload = &cs;
		md_render(md, strlen(md), &o, &r);
		/* not CHECK_CONTAINS: it would print a 100 kB document */
		CHECK(r.html && strstr(r.html, "<h2 id=\"deep-x\">deep <a href=\"y.md\">x</a></h2>"));
		CHECK(cs.n == 1);
		md_result_free(&r);
		free(md);
	}
	char *md = repeat("*a ", 5000, "b\n");
	struct md_result r = render(md, 0);
	CHECK(r.html != NULL);
	md_result_free(&r);
	free(md);
}

/* Worker threads render pages at the same time. cmark-gfm 0.29 switches the extensions' inline
 * trigger characters (~ for strikethrough, : and w for autolinks) on and off in a global table at
 * the start and end of every inline parse, so unguarded parallel renders lose them at random. */
static void *
render_many(void *arg)
{
	int *bad = arg;
	const char *md = "~~old~~ see www.example.org or https://example.com/x.\n\n"
	                 "| a |\n|---|\n| ~~b~~ |\n";
	for (int i = 0; i < 400; i++) {
		struct md_result r;
		md_render(md, strlen(md), NULL, &r);
		if (!strstr(r.html, "<del>old</del>") || !strstr(r.html, "<del>b</del>") ||
		    !strstr(r.html, "<a href=\"http://www.example.org\">") ||
		    !strstr(r.html, "<a href=\"https://example.com/x\">"))
			(*bad)++;
		md_result_free(&r);
	}
	return NULL;
}

TEST(test_parallel_renders_agree)
{
	pthread_t t[4];
	int bad[4] = {0};
	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, render_many, &bad[i]) == 0);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(bad[0] + bad[1] + bad[2] + bad[3] == 0);
}

/* Heading ids as GitHub renders them. The expected ids are GitHub's own: github-slugger's fixtures
 * (generated by rendering each heading on github.com) where they exist, and its rule applied by
 * hand to the others (lowercase, drop punctuation and symbols, keep letters, marks and digits of
 * every script, ' ' -> '-', runs not collapsed). The old rule (i18n_slug: runs of anything else
 * made one '-', ends trimmed) fails most of them. */
TEST(test_heading_ids_as_github)
{
	static const struct {
		const char *md, *id;
	} cases[] = {
	    {"What's new?", "whats-new"},
	    {"C & D", "c--d"},
	    {"Step 1: Plan!", "step-1-plan"},
	    {"Café crème brûlée", "café-crème-brûlée"},
	    {"Tiếng Việt", "tiếng-việt"},
	    {"İstanbul", "i\xcc\x87stanbul"}, /* full lowercase: i + combining dot above */
	    {"Привет non-latin 你好", "привет-non-latin-你好"},
	    {"Профили пользователей", "профили-пользователей"},
	    {"Ελληνικά: Οδηγός", "ελληνικά-οδηγός"},
	    {"ΟΔΗΓΟΣ ΧΡΗΣΗΣ", "οδηγος-χρησης"}, /* final sigma in context */
	    {"مرحبا بالعالم", "مرحبا-بالعالم"},
	    {"ما الجديد؟", "ما-الجديد"},
	    {"你好，世界", "你好世界"},
	    {"日本語の見出し", "日本語の見出し"},
	    {"हिन्दी भाषा", "हिन्दी-भाषा"}, /* virama and vowel signs are marks: kept */
	    {"😄 unicode emoji", "-unicode-emoji"},
	    {"😄_😄 unicode emoji", "_-unicode-emoji"},
	    {"I ♥ unicode", "i--unicode"},
	    {"en–dash", "endash"},
	    {"heading with a - dash", "heading-with-a---dash"},
	    {"apostrophe’s should be trimmed", "apostrophes-should-be-trimmed"},
	    {"exchange.bind_headers(exchange, routing [, bindCallback])",
	     "exchangebind_headersexchange-routing--bindcallback"},
	    {":ok_hand: Single", "ok_hand-single"},
	    {"Use `git log --oneline`", "use-git-log---oneline"},
	    {"See [the *docs*](https://example.org/x)", "see-the-docs"},
	    {"![logo](logo.png) Install", "-install"},
	    {"Ⓐ circled", "ⓐ-circled"}, /* a symbol, but alphabetic: kept */
	    {"x² and ½", "x-and-"},          /* other numbers go */
	};
	struct buf md = BUF_INIT;
	size_t n = sizeof cases / sizeof cases[0];
	for (size_t i = 0; i < n; i++)
		buf_printf(&md, "## %s\n\n", cases[i].md);
	struct md_result r = render(buf_str(&md), 0);
	CHECK(r.ntoc == n);
	for (size_t i = 0; i < n && i < r.ntoc; i++)
		CHECK_STR(r.toc[i].id, cases[i].id);
	md_result_free(&r);
	buf_free(&md);
}

/* GitHub's suffixes (github-slugger's "Repetition" fixtures): a heading that is literally foo-1
 * after foo, foo takes the next free one, and a later foo skips it. */
TEST(test_heading_ids_duplicates_as_github)
{
	struct md_result r = render("## echo\n\n## echo\n\n## echo 1\n\n## echo-1\n\n## echo\n\n"
	                            "## foxtrot-1\n\n## foxtrot\n\n## foxtrot\n\n## -a-\n\n# -a-\n",
	                            0);
	static const char *const want[] = {"echo",      "echo-1",  "echo-1-1", "echo-1-2",
	                                   "echo-2",    "foxtrot-1", "foxtrot", "foxtrot-2",
	                                   "-a-",       "-a--1"};
	CHECK(r.ntoc == 10);
	for (size_t i = 0; i < 10 && i < r.ntoc; i++)
		CHECK_STR(r.toc[i].id, want[i]);
	/* The table of contents links the same ids. */
	CHECK_CONTAINS(r.toc_html, "href=\"#echo-1-2\"");
	CHECK_CONTAINS(r.html, "<h2 id=\"echo-1-2\">echo-1</h2>");
	md_result_free(&r);
}

static const char *
fr_label(void *payload, const char *key)
{
	(void)payload;
	if (strcmp(key, "callout_warning") == 0)
		return "Avertissement";
	if (strcmp(key, "video_notice") == 0)
		return "Ceci chargera du contenu de {name} ({host}).";
	return NULL;
}

TEST(test_github_alerts)
{
	struct md_opts o = {0};
	struct md_result r;
	o.label = fr_label;
	const char *md = "> [!NOTE]\n> Read *this*.\n\n"
	                 "> [!warning]\n> Lower case works.\n\n"
	                 "> [!TIP]  \n> After a hard break.\n\n"
	                 "> [!IMPORTANT]\n>\n> In its own paragraph.\n\n"
	                 "> [!CAUTION]\n> Two\n>\n> paragraphs.\n\n"
	                 "> [!NOTE] Text on the marker's line\n> stays a quote.\n\n"
	                 "> Plain quote\n> [!NOTE]\n\n"
	                 "> [!NOTE]\n\n"
	                 "> [!HINT]\n> not a kind\n\n"
	                 "- > [!NOTE]\n  > in a list\n\n"
	                 "> > [!NOTE]\n> > nested\n";
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(r.html, "<div class=\"callout callout-note\" role=\"note\">\n"
	                       "<p class=\"callout-title\">Note</p>\n<p>Read <em>this</em>.</p>\n"
	                       "</div>");
	CHECK_CONTAINS(r.html, "<div class=\"callout callout-warning\" role=\"note\">\n"
	                       "<p class=\"callout-title\">Avertissement</p>\n<p>Lower case works.</p>");
	CHECK_CONTAINS(r.html, "<p class=\"callout-title\">Tip</p>\n<p>After a hard break.</p>");
	CHECK_CONTAINS(r.html, "<p class=\"callout-title\">Important</p>\n<p>In its own paragraph.</p>");
	CHECK_CONTAINS(r.html, "<p class=\"callout-title\">Caution</p>\n<p>Two</p>\n<p>paragraphs.</p>");
	CHECK_CONTAINS(r.html, "<blockquote>\n<p>[!NOTE] Text on the marker's line");
	CHECK_CONTAINS(r.html, "<blockquote>\n<p>Plain quote\n[!NOTE]</p>");
	CHECK_CONTAINS(r.html, "<blockquote>\n<p>[!NOTE]</p>\n</blockquote>");
	CHECK_CONTAINS(r.html, "<p>[!HINT]");
	CHECK_CONTAINS(r.html, "<li>\n<blockquote>\n<p>[!NOTE]");
	CHECK_CONTAINS(r.html, "<blockquote>\n<blockquote>\n<p>[!NOTE]");
	CHECK(strstr(r.html, "callout") != NULL);
	const char *p = r.html;
	int n = 0;
	while ((p = strstr(p, "class=\"callout ")) != NULL)
		n++, p++;
	CHECK(n == 5);
	md_result_free(&r);
}

TEST(test_image_with_title_is_a_figure)
{
	struct md_result r =
	    render("![A room](room.png \"The waiting room <b>\")\n\n"
	           "![No title](a.png)\n\n"
	           "Text ![inline](b.png \"Not alone\")\n\n"
	           "![One](c.png \"c\") ![Two](d.png \"d\")\n",
	           0);
	CHECK_CONTAINS(r.html, "<figure><img loading=\"lazy\" decoding=\"async\" src=\"room.png\" "
	                       "alt=\"A room\" /><figcaption>The waiting room &lt;b&gt;</figcaption>"
	                       "</figure>");
	CHECK_CONTAINS(r.html, "<p><img loading=\"lazy\" decoding=\"async\" src=\"a.png\" alt=\"No title\" /></p>");
	CHECK_CONTAINS(r.html, "<p>Text <img loading=\"lazy\" decoding=\"async\" src=\"b.png\" alt=\"inline\" title=\"Not alone\" /></p>");
	CHECK_NOT_CONTAINS(r.html, "<figcaption>c</figcaption>");
	md_result_free(&r);
}

TEST(test_video_link_is_a_placeholder)
{
	struct md_opts o = {0};
	struct md_result r;
	o.label = fr_label;
	const char *md = "[How to apply](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5)\n\n"
	                 "<https://youtu.be/dQw4w9WgXcQ>\n\n"
	                 "[Embed](https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ \"Titled\")\n\n"
	                 "[Vimeo](https://vimeo.com/76979871)\n\n"
	                 "[Player](https://player.vimeo.com/video/76979871?h=x)\n\n"
	                 "[![Poster](poster.jpg)](https://youtu.be/dQw4w9WgXcQ)\n\n"
	                 "[![Remote](https://img.youtube.com/vi/dQw4w9WgXcQ/0.jpg) Remote](https://youtu.be/dQw4w9WgXcQ)\n\n"
	                 "See [this](https://youtu.be/dQw4w9WgXcQ) in a sentence.\n\n"
	                 "[Bad id](https://youtu.be/short)\n\n"
	                 "[Channel](https://www.youtube.com/@someone)\n\n"
	                 "[Not vimeo](https://vimeo.com/channels/staff)\n";
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(r.html, "<figure class=\"video-embed\" data-provider=\"youtube\" "
	                       "data-id=\"dQw4w9WgXcQ\">\n<a class=\"video-embed-link\" "
	                       "href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=5\">"
	                       "<span class=\"video-embed-poster\"></span><span "
	                       "class=\"video-embed-title\">How to apply</span></a>\n"
	                       "<figcaption class=\"video-embed-notice\">Ceci chargera du contenu de "
	                       "YouTube (youtube-nocookie.com).</figcaption>\n</figure>");
	CHECK_CONTAINS(r.html, "class=\"video-embed-title\">https://youtu.be/dQw4w9WgXcQ</span>");
	CHECK_CONTAINS(r.html, "class=\"video-embed-title\">Titled</span>");
	CHECK_CONTAINS(r.html, "data-provider=\"vimeo\" data-id=\"76979871\">\n<a class=\"video-embed-link\" href=\"https://vimeo.com/76979871\">");
	CHECK_CONTAINS(r.html, "Vimeo (player.vimeo.com)");
	CHECK_CONTAINS(r.html, "href=\"https://player.vimeo.com/video/76979871?h=x\"");
	CHECK_CONTAINS(r.html, "<span class=\"video-embed-poster\"><img loading=\"lazy\" decoding=\"async\" src=\"poster.jpg\" alt=\"\" /></span><span class=\"video-embed-title\">Poster</span>");
	CHECK_NOT_CONTAINS(r.html, "img.youtube.com");
	CHECK_CONTAINS(r.html, "class=\"video-embed-title\">Remote Remote</span>");
	CHECK_CONTAINS(r.html, "<p>See <a href=\"https://youtu.be/dQw4w9WgXcQ\">this</a> in a sentence.</p>");
	CHECK_CONTAINS(r.html, "<p><a href=\"https://youtu.be/short\">Bad id</a></p>");
	CHECK_CONTAINS(r.html, "<p><a href=\"https://www.youtube.com/@someone\">Channel</a></p>");
	CHECK_CONTAINS(r.html, "<p><a href=\"https://vimeo.com/channels/staff\">Not vimeo</a></p>");
	md_result_free(&r);
}

struct problems {
	struct buf b;
};

static void
note_problem(void *payload, int line, const char *message)
{
	struct problems *p = payload;
	buf_printf(&p->b, "%d: %s\n", line, message);
}

TEST(test_dropped_raw_html_is_told_with_its_line)
{
	const char *md = "Intro\n\n"                           /* 1 */
	                 "<div class=\"box\">\n"                /* 3 */
	                 "<script>alert(1)</script>\n"          /* 4 */
	                 "<p onclick=\"x()\">hi</p>\n"          /* 5 */
	                 "</div>\n\n"                           /* 6 */
	                 "Some <span style=\"color:red\">red</span> and\n" /* 8 */
	                 "more <font>old</font> text.\n\n"      /* 9 */
	                 "<!-- a comment -->\n\n"               /* 11 */
	                 "<iframe src=\"https://evil.example\"></iframe>\n"; /* 13 */
	struct problems pr = {BUF_INIT};
	struct md_opts o = {0};
	struct md_result r;
	o.problem = note_problem;
	o.payload = &pr;
	o.unsafe = 1;
	md_render(md, strlen(md), &o, &r);
	CHECK_STR(buf_str(&pr.b), "4: raw HTML <script> dropped\n"
	                          "5: raw HTML attribute onclick of <p> dropped\n"
	                          "8: raw HTML attribute style of <span> dropped\n"
	                          "9: raw HTML <font> dropped\n"
	                          "13: raw HTML <iframe> dropped\n");
	md_result_free(&r);
	buf_reset(&pr.b);
	o.unsafe = 0;
	md_render(md, strlen(md), &o, &r);
	CHECK_CONTAINS(buf_str(&pr.b), "3: raw HTML <div> dropped: this site leaves raw HTML out");
	CHECK_CONTAINS(buf_str(&pr.b), "8: raw HTML <span> dropped");
	CHECK_CONTAINS(buf_str(&pr.b), "9: raw HTML <font> dropped");
	CHECK_CONTAINS(buf_str(&pr.b), "13: raw HTML <iframe> dropped");
	CHECK_NOT_CONTAINS(buf_str(&pr.b), "11:");
	md_result_free(&r);
	buf_free(&pr.b);
}

TEST(test_plain_title)
{
	char *t = md_plain_title("Using *git* with `log` {#git}", 29);
	CHECK_STR(t, "Using git with log");
	free(t);
	t = md_plain_title("1. Intro &amp; [more](x.md)", 27);
	CHECK_STR(t, "1. Intro & more");
	free(t);
}

int
main(void)
{
	RUN(test_gfm_table);
	RUN(test_gfm_strikethrough);
	RUN(test_gfm_autolink);
	RUN(test_gfm_task_list);
	RUN(test_gfm_footnote);
	RUN(test_fenced_code_language_class);
	RUN(test_pre_is_focusable);
	RUN(test_raw_html_dropped_when_safe);
	RUN(test_raw_html_kept_when_unsafe);
	RUN(test_image_sizes);
	RUN(test_image_srcset_and_webp);
	RUN(test_raw_image_picture_closes_at_its_own_tag);
	RUN(test_unsafe_script_is_sanitised);
	RUN(test_javascript_url_dropped_when_safe);
	RUN(test_rewrite_link_and_image);
	RUN(test_rewrite_result_still_checked_when_safe);
	RUN(test_heading_ids_unique_and_custom);
	RUN(test_heading_ids_stable_across_levels_and_setext);
	RUN(test_heading_id_unicode);
	RUN(test_toc_nesting);
	RUN(test_toc_empty_below_two_headings);
	RUN(test_words_and_summary);
	RUN(test_words_of_scripts_without_spaces);
	RUN(test_invalid_utf8);
	RUN(test_deep_nesting_does_not_overflow);
	RUN(test_parallel_renders_agree);
	RUN(test_heading_ids_as_github);
	RUN(test_heading_ids_duplicates_as_github);
	RUN(test_github_alerts);
	RUN(test_image_with_title_is_a_figure);
	RUN(test_video_link_is_a_placeholder);
	RUN(test_dropped_raw_html_is_told_with_its_line);
	RUN(test_plain_title);
	return TEST_END();
}
