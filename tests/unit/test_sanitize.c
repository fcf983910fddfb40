/* Tests for sanitize.c: what raw HTML keeps and loses when a site turns unsafe_html on, the
 * classic OWASP and html5sec vectors, the URL rule, and that hostile input neither loops nor
 * makes the output grow past its bound. */
#include <stdlib.h>
#include <string.h>

#include "sanitize.h"
#include "util/buf.h"
#include "test.h"

static const struct {
	const char *in, *want;
} cases[] = {
	/* Kept: the elements and attributes a guidance page needs, written in one form. */
	{"<p>Plain <em>text</em> &amp; <strong>more</strong></p>",
	 "<p>Plain <em>text</em> &amp; <strong>more</strong></p>"},
	{"<a href=\"https://example.org/a?b=1&amp;c=2\" title=x>l</a>",
	 "<a href=\"https://example.org/a?b=1&amp;c=2\" title=\"x\">l</a>"},
	{"<a href='../x/index.md#top'>rel</a>", "<a href=\"../x/index.md#top\">rel</a>"},
	{"<a href=\"mailto:a@b.org\">m</a> <a href=\"tel:+359\">t</a>",
	 "<a href=\"mailto:a@b.org\">m</a> <a href=\"tel:+359\">t</a>"},
	{"<img src=a.png alt=\"A &quot;b&quot;\" width=10 height=20 />",
	 "<img src=\"a.png\" alt=\"A &quot;b&quot;\" width=\"10\" height=\"20\">"},
	{"<details open><summary>More</summary>x</details>",
	 "<details open><summary>More</summary>x</details>"},
	{"<table><tr><th scope=col colspan=2>h</th></tr></table>",
	 "<table><tr><th scope=\"col\" colspan=\"2\">h</th></tr></table>"},
	{"<video controls poster=p.jpg><track kind=captions src=c.vtt srclang=en label=English></video>",
	 "<video controls poster=\"p.jpg\"><track kind=\"captions\" src=\"c.vtt\" srclang=\"en\" "
	 "label=\"English\"></video>"},
	{"<DIV CLASS=\"box\" ID=a LANG=bg DIR=rtl>x</DIV>",
	 "<div class=\"box\" id=\"a\" lang=\"bg\" dir=\"rtl\">x</div>"},
	{"<br/><hr /><br></br>", "<br><hr><br>"},
	{"<abbr title=\"&eacute;t&#xE9;\">x</abbr>", "<abbr title=\"été\">x</abbr>"},
	{"a < b > c", "a &lt; b &gt; c"},
	{"&lt;script&gt; stays text", "&lt;script&gt; stays text"},
	/* Script elements and their content. */
	{"<script>alert(1)</script>after", "after"},
	{"<SCRIPT SRC=//xss.example/x.js></SCRIPT>", ""},
	{"<script>var a = '</scr' + 'ipt>'; alert(1)</script >x", "x"},
	{"<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"},
	{"<script>never closed <b>bold</b>", ""},
	{"<style>body{background:url(javascript:alert(1))}</style>s", "s"},
	{"<svg><script>alert(1)</script></svg>s", "s"},
	{"<svg onload=alert(1)><svg><g/></svg></svg>after", "after"},
	{"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", ""},
	{"<iframe src=\"javascript:alert(1)\"></iframe>i", "i"},
	{"<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\">f</iframe>", ""},
	{"<object data=\"javascript:alert(1)\"><param name=x></object>o", "o"},
	{"<embed src=\"data:text/html,<script>alert(1)</script>\">e", "e"},
	{"<form action=\"javascript:alert(1)\"><input type=submit></form>f", "f"},
	{"<button formaction=javascript:alert(1)>b</button>", "b"},
	{"<base href=\"javascript:alert(1)//\">", ""},
	{"<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">", ""},
	{"<link rel=stylesheet href=\"javascript:alert(1)\">", ""},
	{"<textarea><img src=x onerror=alert(1)></textarea>t", "t"},
	{"<title><img src=x onerror=alert(1)></title>t", "t"},
	/* Read as a browser with script on reads it: the title's "</noscript>" ends the element. */
	{"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>n",
	 "<img src=\"x\">\"&gt;n"},
	{"<template><img src=x onerror=alert(1)></template>t", "t"},
	/* Handlers and style attributes. */
	{"<img src=x onerror=alert(1)>", "<img src=\"x\">"},
	{"<img/src=x/onerror=alert(1)>", "<img src=\"x/onerror=alert(1)\">"},
	{"<img src=\"x\"onerror=\"alert(1)\">", "<img src=\"x\">"},
	{"<div\n onmouseover\n=\nalert(1)>d</div>", "<div>d</div>"},
	{"<p ONCLICK=alert(1) style=\"x:expression(alert(1))\">p</p>", "<p>p</p>"},
	{"<details open ontoggle=alert(1)>d</details>", "<details open>d</details>"},
	{"<body onload=alert(1)>b", "b"},
	{"<x onclick=alert(1)>click</x>", "click"},
	{"<a href=x `onmouseover=alert(1)`>a</a>", "<a href=\"x\">a</a>"},
	/* URLs: schemes, entities, controls. */
	{"<a href=\"javascript:alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"JaVaScRiPt:alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"java&#x09;script:alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"jav&#x0A;ascript:alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"&#x01; javascript:alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">a</a>",
	 "<a>a</a>"},
	{"<a href=\"&#0000106&#0000097vascript:alert(1)\">a</a>",
	 "<a href=\"&amp;#0000106&amp;#0000097vascript:alert(1)\">a</a>"},
	{"<a href=\"javascript&colon;alert(1)\">a</a>", "<a>a</a>"},
	{"<a href=javascript&#58alert(1)>a</a>", "<a href=\"javascript&amp;#58alert(1)\">a</a>"},
	{"<a href=\"vbscript:msgbox(1)\">a</a>", "<a>a</a>"},
	{"<a href=\"data:text/html;base64,PHNjcmlwdD4=\">a</a>", "<a>a</a>"},
	{"<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">", "<img>"},
	{"<IMG SRC=`javascript:alert(\"XSS\")`>", "<img>"},
	{"<video poster=javascript:alert(1)><source src=\"javascript:alert(1)\"></video>",
	 "<video><source></video>"},
	{"<blockquote cite=\"javascript:alert(1)\">q</blockquote>", "<blockquote>q</blockquote>"},
	{"<a href=\"//example.org/x\">p</a>", "<a href=\"//example.org/x\">p</a>"},
	/* Comments, CDATA, processing instructions, broken tags. */
	{"<!-- <script>alert(1)</script> -->c", "c"},
	{"<!--><script>alert(1)</script>-->", "--&gt;"},
	{"<!--->x", "x"},
	{"<!-- a --!><img src=x onerror=alert(1)>", "<img src=\"x\">"},
	{"<!--<img src=\"--><img src=x onerror=alert(1)//\">", "<img src=\"x\">"},
	{"<![CDATA[<script>alert(1)</script>]]>", "alert(1)]]&gt;"},
	{"<?xml version=\"1.0\"?><p>x</p>", "<p>x</p>"},
	{"<!DOCTYPE html><p>x</p>", "<p>x</p>"},
	{"</ p><p>x</p>", "<p>x</p>"},
	{"</>x", "x"},
	{"<p title=\"never closed>x", ""},
	{"<a href=\"x\">ok</a><img src=\"y", "<a href=\"x\">ok</a>"},
	{"<p title=\"</p><script>alert(1)</script>\">t</p>",
	 "<p title=\"&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">t</p>"},
	{"<<script>script>alert(1)<</script>/script>", "&lt;/script&gt;"},
	{"<", "&lt;"},
	{"<a", ""},
	{"", ""},
};

TEST(test_cases)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = san_html(cases[i].in, strlen(cases[i].in));
		if (strcmp(got, cases[i].want) != 0) {
			fprintf(stderr, "case %zu: %s\n  got:  %s\n  want: %s\n", i, cases[i].in, got,
			        cases[i].want);
			test_failed_now = 1;
		}
		free(got);
	}
}

TEST(test_url_rule)
{
	CHECK(san_url_ok("", 0));
	CHECK(san_url_ok("#x", 2));
	CHECK(san_url_ok("a/b:c", 5));
	CHECK(san_url_ok("HTTPS://x", 9));
	CHECK(!san_url_ok(" \x01javascript:x", 14));
	CHECK(!san_url_ok("java\tscript:x", 13));
	CHECK(!san_url_ok("java\nscript:x", 13));
	CHECK(!san_url_ok("file:///etc/passwd", 18));
	CHECK(!san_url_ok("data:text/html,x", 16));
	CHECK(!san_url_ok("mailtox:x", 9));
	CHECK(!san_url_ok("http\x00s:x", 8));
}

/* Every '<' in s opens or closes a kept element whose attributes are all kept ones, written
 * name="value" with the value escaped. */
static int
tags_ok(const char *s)
{
	static const char *const kept[] = {"a", "img", "p", "br", "div", NULL};
	static const char *const attrs[] = {"href", "src", "alt", "title", "class", "id", NULL};
	for (const char *p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<')) {
		const char *q = p + 1 + (p[1] == '/');
		size_t n = strspn(q, "abcdefghijklmnopqrstuvwxyz0123456789");
		int found = 0;
		for (int i = 0; kept[i]; i++)
			found |= strlen(kept[i]) == n && strncmp(q, kept[i], n) == 0;
		if (!found)
			return fprintf(stderr, "bad tag at: %s\n", p), 0;
		for (q += n; *q == ' ';) {
			size_t an = strcspn(q + 1, "= >");
			int ok = 0;
			for (int i = 0; attrs[i]; i++)
				ok |= strlen(attrs[i]) == an && strncmp(q + 1, attrs[i], an) == 0;
			if (!ok || q[1 + an] != '=' || q[2 + an] != '"')
				return fprintf(stderr, "bad attribute at: %s\n", q), 0;
			const char *end = strchr(q + 3 + an, '"');
			if (end == NULL || memchr(q + 3 + an, '<', (size_t)(end - q - 3 - an)))
				return fprintf(stderr, "bad value at: %s\n", q), 0;
			q = end + 1;
		}
		if (*q != '>')
			return fprintf(stderr, "tag not closed at: %s\n", p), 0;
	}
	return 1;
}

/* Every byte sequence: no crash (ASan), bounded output, and nothing left that starts a tag
 * other than a kept element. A fixed-seed generator over the characters that matter. */
TEST(test_random_input_is_bounded)
{
	static const char *const bits[] = {"<", ">", "/", "\"", "'", "=", " ", "\n", "&", "#", ";",
	                                   "!--", "-->", "script", "img", "a", "href", "src",
	                                   "onerror", "javascript:", "&#x09;", "<![CDATA[", "]]>",
	                                   "svg", "style", "x", "`", "\x01", "\xe2\x80\xa8", "p",
	                                   "title", "alt", "div", "https:", "&quot;", "on"};
	unsigned long seed = 12345;
	struct buf in = BUF_INIT;
	for (int round = 0; round < 3000; round++) {
		buf_reset(&in);
		int parts = 1 + (int)(seed % 60);
		for (int k = 0; k < parts; k++) {
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			buf_puts(&in, bits[(seed >> 33) % (sizeof bits / sizeof bits[0])]);
		}
		char *out = san_html(in.data, in.len);
		size_t n = strlen(out);
		if (n > 6 * in.len + 16) {
			fprintf(stderr, "output grew: %zu from %zu\n", n, in.len);
			test_failed_now = 1;
		}
		/* Run it again: sanitised output is a fixed point (nothing more to remove). */
		char *again = san_html(out, n);
		CHECK(tags_ok(out));
		if (strcmp(again, out) != 0) {
			fprintf(stderr, "not a fixed point:\n  in:   %s\n  once: %s\n  twice: %s\n",
			        in.data, out, again);
			test_failed_now = 1;
		}
		free(again);
		free(out);
		if (test_failed_now)
			break;
	}
	buf_free(&in);
}

/* A megabyte of unfinished comments, tags and references ends in linear time. */
TEST(test_big_hostile_input_ends)
{
	struct buf in = BUF_INIT;
	for (int i = 0; i < 100000; i++)
		buf_puts(&in, "<!-<a &#x<");
	char *out = san_html(in.data, in.len);
	CHECK(strlen(out) <= 6 * in.len + 16);
	free(out);
	buf_reset(&in);
	for (int i = 0; i < 100000; i++)
		buf_puts(&in, "<svg><p>");
	out = san_html(in.data, in.len);
	CHECK_STR(out, "");
	free(out);
	buf_free(&in);
}

static void
collect_attr(void *payload, const char *tag, const char *attr, const char *value, size_t n)
{
	struct buf *b = payload;
	buf_printf(b, "%s.%s=%.*s|", tag, attr, (int)n, value);
}

/* satchel check's reading of a page: every attribute with a value of every start tag, names
 * lower case, references decoded; nothing from comments, script text or end tags. */
TEST(test_each_attr)
{
	static const char html[] =
	    "<!doctype html><A HREF=\"/a/?x=1&amp;y=2\" class=c>a</A><!-- <a href=/no/> -->"
	    "<img src=p.png srcset='p.png 1x, p-2.png 2x' alt><script>var s = '<a href=/no2/>';</script>"
	    "<form action=/f/ data-search=\"/en/search/\"></form></a href=/no3/>"
	    "<link rel=stylesheet href=/css/s.css><a href=/last/";
	struct buf b = BUF_INIT;
	san_each_attr(html, sizeof html - 1, collect_attr, &b);
	CHECK_STR(buf_str(&b), "a.href=/a/?x=1&y=2|a.class=c|img.src=p.png|img.srcset=p.png 1x, p-2.png 2x|"
	                       "form.action=/f/|form.data-search=/en/search/|link.rel=stylesheet|"
	                       "link.href=/css/s.css|");
	buf_free(&b);
}

/* Each attribute with where it stands: rewriting the value spans gives the page back with only
 * those values changed, whatever the quoting; end tags, comments and raw text give none. */
static void
mark_spans(void *payload, const struct san_attr *a)
{
	struct buf *b = payload;
	buf_printf(b, "%s.%s@%zu-%zu[%zu+%zu]%c%s|", a->tag, a->name, a->at, a->end, a->value_at,
	           a->value_len, a->quoted ? 'q' : a->has_value ? 'u' : '-', a->value);
}

TEST(test_each_attr_at)
{
	static const char html[] = "<a href='/x/' hidden data-x=y>t</a><!-- <b c=d> -->"
	                           "<script>var s = '<i j=k>';</script><p title=\"&amp;\">";
	struct buf b = BUF_INIT;
	san_each_attr_at(html, sizeof html - 1, mark_spans, &b);
	CHECK_STR(buf_str(&b), "a.href@3-13[9+3]q/x/|a.hidden@14-20[20+0]-|a.data-x@21-29[28+1]uy|"
	                       "p.title@89-102[96+5]q&|");
	buf_free(&b);
}

int
main(void)
{
	RUN(test_cases);
	RUN(test_url_rule);
	RUN(test_random_input_is_bounded);
	RUN(test_big_hostile_input_ends);
	RUN(test_each_attr);
	RUN(test_each_attr_at);
	return TEST_END();
}
