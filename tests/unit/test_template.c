/* Tests for template.c: compiling to Lua with the template's line numbers, escaping, values,
 * extends/block/include, helpers, error positions, the sandbox and its limits, and that an engine
 * keeps working after each kind of error. Templates live in a mkdtemp directory. */
#include <ctype.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "template.h"
#include "util/diag.h"
#include "test.h"
#include "util/buf.h"
#include "util/xalloc.h"
#include "value.h"

static char dir[] = "/tmp/satchel-tmpl-XXXXXX";
static const char *dirs[1];

static void
put_file(const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0700);
			*p = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static struct tmpl_engine *
engine(size_t mem, unsigned long ms, const struct value *globals)
{
	struct tmpl_opts o = TMPL_OPTS_INIT;
	o.dirs = dirs;
	o.ndirs = 1;
	o.mem_limit = mem;
	o.time_limit_ms = ms;
	o.globals = globals;
	return tmpl_engine_new(&o);
}

struct result {
	int rc;
	char *out; /* what was rendered */
	char *err; /* what went to stderr */
};

/* Renders into *into (or a buffer of its own), capturing what goes to stderr. */
static struct result
run_into(struct tmpl_engine *e, const char *name, const struct value *vars, void *payload,
         struct buf *into)
{
	struct result r;
	struct buf own = BUF_INIT, *out = into != NULL ? into : &own;
	test_capture_start();
	r.rc = tmpl_render(e, name, vars, payload, out);
	char *err = test_capture_end();
	r.out = into != NULL ? xstrdup(buf_str(into)) : buf_detach(&own);
	r.err = err;
	return r;
}

static struct result
run(struct tmpl_engine *e, const char *name, const struct value *vars, void *payload)
{
	return run_into(e, name, vars, payload, NULL);
}

static void
result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

/* Renders a template written on the spot, with no variables; returns the output or NULL. */
static char *
quick(struct tmpl_engine *e, const char *name, const char *text)
{
	put_file(name, text);
	struct result r = run(e, name, NULL, NULL);
	if (r.rc != 0) {
		fprintf(stderr, "render of %s failed: %s", name, r.err);
		result_free(&r);
		return NULL;
	}
	free(r.err);
	return r.out;
}

/* Does a normal template still render on this engine? */
static int
still_works(struct tmpl_engine *e)
{
	char *s = quick(e, "ok.html", "ok {{ 1 + 1 }}");
	int good = s != NULL && strcmp(s, "ok 2") == 0;
	free(s);
	return good;
}

/* The one-based line of needle in s, or 0. */
static int
line_of(const char *s, const char *needle)
{
	const char *p = strstr(s, needle);
	if (p == NULL)
		return 0;
	int line = 1;
	for (; s < p; s++)
		line += *s == '\n';
	return line;
}

static char *
full_path(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* ---- compile ---- */

TEST(test_compile_keeps_line_numbers)
{
	const char *t = "<p>{{ m1 }}</p>\n"
	                "{# a comment\n"
	                "   over two lines #}\n"
	                "  {%- if m4 then -%}\n"
	                "\n"
	                "  text with \"quotes\" and \\ and \r\n"
	                "{%- end %}{{ m7 }}\n"
	                "{% local m8 = 1\n"
	                "   local m9 = [[long\n"
	                "string]] -- comment %}\n"
	                "{{ m11 -}}\n"
	                "\n"
	                "{% block b13 %}{{ m13 }}\n"
	                "{% endblock %}{{ m14 }}";
	struct buf out = BUF_INIT;
	char *err = NULL;
	CHECK(tmpl_compile(t, strlen(t), &out, &err) == 0);
	CHECK(err == NULL);
	const char *src = buf_str(&out);
	int want[] = {1, 4, 7, 8, 9, 11, 13, 14};
	const char *names[] = {"m1", "m4", "m7", "m8", "m9", "m11", "m13", "m14"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (line_of(src, names[i]) != want[i]) {
			fprintf(stderr, "%s is on line %d of the Lua source, want %d\n", names[i],
			        line_of(src, names[i]), want[i]);
			CHECK(0);
		}
	}
	int nl = 0;
	for (const char *q = src; *q; q++)
		nl += *q == '\n';
	CHECK(nl == 13);
	CHECK(out.len > 4 && strcmp(src + out.len - 4, " end") == 0);
	CHECK_NOT_CONTAINS(src, "a comment");
	CHECK_NOT_CONTAINS(src, "-- comment");
	buf_free(&out);
}

TEST(test_compile_errors_name_the_line)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{"a\n\n{{ x", "line 3: unclosed {{"},
		{"a\n{% if x then", "line 2: unclosed {%"},
		{"{# never closed", "line 1: unclosed {#"},
		{"x\n{{ }}", "line 2: empty {{ }}"},
		{"a\n{% block x %}\nb", "line 2: block x is not closed"},
		{"{% endblock %}", "line 1: endblock without a block"},
		{"{{ x }}\n{% extends \"b.html\" %}", "line 2: extends must be the first tag"},
		{"{% include \"../etc/passwd\" %}", "line 1: include: template name"},
		{"{% extends \"/abs.html\" %}", "line 1: extends: template name"},
		{"{% block %}{% endblock %}", "line 1: block needs a name"},
		{"{% block a %}\n{% endblock b %}", "line 2: endblock b closes block a"},
		{"{{ \"}}\" ", "line 1: unclosed {{"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf out = BUF_INIT;
		char *err = NULL;
		buf_puts(&out, "keep");
		int rc = tmpl_compile(cases[i].text, strlen(cases[i].text), &out, &err);
		CHECK(rc == -1);
		CHECK_CONTAINS(err, cases[i].want);
		CHECK_STR(buf_str(&out), "keep");
		free(err);
		buf_free(&out);
	}
}

TEST(test_compile_tags_skip_lua_strings)
{
	/* "%}" inside a string and "}}" closing a table constructor do not end the tag. */
	struct tmpl_engine *e = engine(0, 0, NULL);
	char *s = quick(e, "strings.html",
	                "{% local s = \"a %} b\" %}[{{ s }}][{{ #{1, {2}} }}][{{ '}}' }}]");
	CHECK_STR(s, "[a %} b][2][}}]");
	free(s);
	tmpl_engine_free(e);
}

/* ---- output and escaping ---- */

TEST(test_escaping_and_raw)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct value *vars = value_new_map();
	value_map_set_string(vars, "s", "<a href=\"x\">&'");
	value_map_set(vars, "body", value_new_html("<p>Hi &amp; bye</p>"));
	value_map_set(vars, "n", value_new_int(42));
	value_map_set(vars, "f", value_new_float(2.5));
	value_map_set(vars, "whole", value_new_float(4.0));
	value_map_set(vars, "yes", value_new_bool(1));
	value_map_set(vars, "nothing", value_new_null());
	put_file("esc.html", "{{ s }}|{{ raw(s) }}|{{ escape(s) }}|{{ escape(escape(s)) }}|{{ body }}|"
	                     "{{ n }} {{ f }} {{ whole }} {{ 3 / 2 }} {{ 10 // 2 }} {{ yes }}|"
	                     "{{ nothing }}{{ missing }}{{ nil }}|{{ raw(\"<b>\") .. \"<i>\" }}|"
	                     "{{ \"<\" .. raw(\"<b>\") }}");
	struct result r = run(e, "esc.html", vars, NULL);
	CHECK(r.rc == 0);
	CHECK_STR(r.out, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;|<a href=\"x\">&'|"
	                 "&lt;a href=&quot;x&quot;&gt;&amp;&#39;|"
	                 "&lt;a href=&quot;x&quot;&gt;&amp;&#39;|<p>Hi &amp; bye</p>|"
	                 "42 2.5 4 1.5 5 true||<b>&lt;i&gt;|&lt;<b>");
	result_free(&r);
	value_free(vars);
	tmpl_engine_free(e);
}

TEST(test_escaping_matches_buf)
{
	/* The template's escaper agrees with buf_add_html_escaped on every byte (NUL included), on
	 * runs of special characters and at both ends. */
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct buf in = BUF_INIT, want = BUF_INIT, got = BUF_INIT;
	buf_puts(&in, "'&");
	for (int c = 255; c >= 0; c--)
		buf_putc(&in, (char)c);
	buf_puts(&in, "&&<<>>\"\"''x&");
	struct value *vars = value_new_map();
	value_map_set(vars, "t", value_new_stringn(in.data, in.len));
	for (int i = 0; i < 3; i++) {
		if (i > 0)
			buf_putc(&want, '|');
		buf_add_html_escaped(&want, in.data, in.len);
	}
	put_file("esc-all.html", "{{ t }}|{{ escape(t) }}|{{ t .. raw('') }}");
	struct result r = run_into(e, "esc-all.html", vars, NULL, &got);
	CHECK(r.rc == 0);
	CHECK(got.len == want.len && memcmp(got.data, want.data, want.len) == 0);
	result_free(&r);
	buf_free(&in);
	buf_free(&want);
	buf_free(&got);
	value_free(vars);
	tmpl_engine_free(e);
}

TEST(test_whitespace_trim)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	char *s = quick(e, "trim.html", "<ul>\n  {%- for i = 1, 2 do -%}\n  <li>{{ i }}</li>\n"
	                                "  {%- end -%}\n</ul>\n{#- gone -#}\n!");
	CHECK_STR(s, "<ul><li>1</li><li>2</li></ul>!");
	free(s);
	tmpl_engine_free(e);
}

TEST(test_printing_a_table_is_an_error)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	put_file("tbl.html", "x\n{{ {} }}");
	struct result r = run(e, "tbl.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "tbl.html:2: error: cannot print a table value");
	result_free(&r);
	tmpl_engine_free(e);
}

/* ---- values ---- */

TEST(test_loops_over_lists_and_maps)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct value *vars = value_new_map();
	struct value *pages = value_map_set(vars, "pages", value_new_list());
	for (int i = 0; i < 3; i++) {
		struct value *p = value_list_push(pages, value_new_map());
		char t[16];
		snprintf(t, sizeof t, "P<%d>", i);
		value_map_set_string(p, "title", t);
	}
	struct value *m = value_map_set(vars, "m", value_new_map());
	value_map_set_int(m, "zeta", 26);
	value_map_set_int(m, "alpha", 1);
	value_map_set_int(m, "mid", 13);
	put_file("loop.html", "{% for i, p in ipairs(pages) do %}{{ i }}={{ p.title }};{% end %}|"
	                      "{% for k, v in pairs(m) do %}{{ k }}={{ v }};{% end %}|"
	                      "{{ #pages }} {{ len(pages) }} {{ len(m) }} {{ len(\"abc\") }}");
	struct result r = run(e, "loop.html", vars, NULL);
	CHECK(r.rc == 0);
	CHECK_STR(r.out, "1=P&lt;0&gt;;2=P&lt;1&gt;;3=P&lt;2&gt;;|alpha=1;mid=13;zeta=26;|3 3 3 3");
	result_free(&r);
	value_free(vars);
	tmpl_engine_free(e);
}

TEST(test_builtins)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct value *vars = value_new_map();
	struct value *d = value_map_set(vars, "d", value_new_map());
	value_map_set_string(d, "b", "</script>&");
	struct value *l = value_map_set(d, "a", value_new_list());
	value_list_push(l, value_new_int(1));
	value_list_push(l, value_new_float(0.5));
	value_list_push(l, value_new_bool(0));
	value_map_set(d, "empty", value_new_list());
	value_map_set(d, "none", value_new_map());
	put_file("parts/card.html", "<b>{{ title }}</b>");
	put_file("builtins.html",
	         "{{ json(d) }}|{{ join({\"a<\", raw(\"<i>\"), 3}, \", \") }}|"
	         "{{ default(nil, \"d\") }}{{ default(\"\", \"e\") }}{{ default(\"v\", \"x\") }}|"
	         "{{ urlencode(\"a b/é?\") }}|{{ partial(\"parts/card.html\", {title = \"<T>\"}) }}|"
	         "{{ len(raw(\"<b>\")) }}|{{ tostring(raw(\"x\")) }}");
	struct result r = run(e, "builtins.html", vars, NULL);
	CHECK(r.rc == 0);
	CHECK_STR(r.out, "{\"a\":[1,0.5,false],\"b\":\"\\u003c/script\\u003e\\u0026\","
	                 "\"empty\":[],\"none\":{}}|a&lt;, <i>, 3|dev|a%20b%2F%C3%A9%3F|"
	                 "<b>&lt;T&gt;</b>|3|x");
	result_free(&r);
	value_free(vars);
	tmpl_engine_free(e);
}

TEST(test_ref_is_converted_once_per_engine)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct value *shared = value_new_map();
	value_map_set_string(shared, "name", "site");
	struct value *vars = value_new_map();
	value_map_set(vars, "r", value_new_ref(shared));
	value_map_set(vars, "c", value_copy(shared));
	value_map_set(vars, "o", value_new_ref_once(shared));
	/* Tables made from a reference are kept for later renders, so no render may change them:
	 * the next page would see it. A copy is a render's own. */
	put_file("ref.html", "{% c.n = (c.n or 0) + 1; o.n = (o.n or 0) + 1 %}{{ c.n }} {{ o.n }} "
	                     "{{ r.name }} {{ o == r and 'same' or 'own' }}");
	struct result r1 = run(e, "ref.html", vars, NULL);
	struct result r2 = run(e, "ref.html", vars, NULL);
	CHECK_STR(r1.out, "1 1 site own");
	CHECK_STR(r2.out, "1 1 site own");
	result_free(&r1);
	result_free(&r2);
	put_file("ref-write.html", "{% r.n = 1 %}");
	struct result r1w = run(e, "ref-write.html", vars, NULL);
	CHECK(r1w.rc == -1);
	CHECK_CONTAINS(r1w.err, "ref-write.html:1: error: shared data");
	CHECK_CONTAINS(r1w.err, "cannot be changed");
	result_free(&r1w);

	/* The same target reached twice is the same table. */
	struct value *two = value_new_map();
	value_map_set(two, "x", value_new_ref(shared));
	value_map_set(two, "y", value_new_ref(shared));
	put_file("same.html", "{{ x == y and 'same' or 'different' }}");
	struct result r3 = run(e, "same.html", two, NULL);
	CHECK_STR(r3.out, "same");
	result_free(&r3);
	value_free(two);

	/* A reference cycle, or data nested too deeply, is an error; deep enough data is not. */
	struct value *loop = value_new_map();
	value_map_set(loop, "self", value_new_ref(loop));
	struct value *lv = value_new_map();
	value_map_set(lv, "loop", value_new_ref(loop));
	put_file("cycle.html", "{{ loop.self.self.self and 'deep' }}");
	struct result r4 = run(e, "cycle.html", lv, NULL);
	CHECK(r4.rc == -1);
	CHECK_CONTAINS(r4.err, "data nested too deeply");
	result_free(&r4);
	CHECK(still_works(e));
	value_free(lv);
	value_free(loop);
	for (int depth = 100; depth <= 300; depth += 200) {
		struct value *deep = value_new_map(), *at = value_map_set(deep, "d", value_new_list());
		for (int i = 1; i < depth; i++)
			at = value_list_push(at, value_new_list());
		value_list_push(at, value_new_string("bottom"));
		put_file("deep-data.html",
		         "{% local x = d while type(x) == 'table' do x = x[1] end %}{{ x }}");
		struct result r5 = run(e, "deep-data.html", deep, NULL);
		if (depth == 100) {
			CHECK_STR(r5.out, "bottom");
		} else {
			CHECK(r5.rc == -1);
			CHECK_CONTAINS(r5.err, "data nested too deeply");
		}
		result_free(&r5);
		value_free(deep);
	}
	value_free(vars);
	value_free(shared);
	tmpl_engine_free(e);
}



TEST(test_engine_globals)
{
	struct value *g = value_new_map();
	struct value *site = value_map_set(g, "site", value_new_map());
	value_map_set_string(site, "title", "Hub & co");
	struct tmpl_engine *e = engine(0, 0, g);
	struct value *vars = value_new_map();
	value_map_set_string(vars, "title", "Page");
	char *s;
	put_file("glob.html", "{{ title }} - {{ site.title }}");
	struct result r = run(e, "glob.html", vars, NULL);
	CHECK_STR(r.out, "Page - Hub &amp; co");
	result_free(&r);
	/* A variable set at the top of one render is gone in the next. */
	s = quick(e, "set.html", "{{ leftover }}{% leftover = 1 %}");
	CHECK_STR(s, "");
	free(s);
	s = quick(e, "set.html", "{{ leftover }}{% leftover = 1 %}");
	CHECK_STR(s, "");
	free(s);
	value_free(vars);
	tmpl_engine_free(e);
	value_free(g);
}

/* ---- extends, blocks, include ---- */

TEST(test_extends_blocks_and_include)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct value *vars = value_new_map();
	value_map_set_string(vars, "name", "Ana");
	put_file("layouts/base.html",
	         "<title>{% block title %}Default{% endblock %}</title>\n"
	         "{% block body %}base body{% endblock %}\n"
	         "{% include \"partials/nav.html\" %}|{% block footer %}(c){% endblock %}");
	put_file("partials/nav.html", "<nav>{{ name }}</nav>");
	put_file("layouts/page.html", "{% extends \"layouts/base.html\" %}\n"
	                              "this text is dropped {{ error('not run') }}\n"
	                              "{% local who = name .. '!' %}\n"
	                              "{% block title %}Page of {{ who }}{% endblock %}\n"
	                              "{% block body %}[{% block inner %}in{% endblock %}]"
	                              "{% endblock %}");
	put_file("article.html", "{% extends \"layouts/page.html\" %}"
	                         "{% block inner %}article{% endblock %}"
	                         "{% block footer %}{% include \"partials/nav.html\" %}{% endblock %}");

	struct result r = run(e, "layouts/base.html", vars, NULL);
	CHECK_STR(r.out, "<title>Default</title>\nbase body\n<nav>Ana</nav>|(c)");
	result_free(&r);
	r = run(e, "layouts/page.html", vars, NULL);
	CHECK_STR(r.out, "<title>Page of Ana!</title>\n[in]\n<nav>Ana</nav>|(c)");
	result_free(&r);
	r = run(e, "article.html", vars, NULL);
	CHECK_STR(r.out, "<title>Page of Ana!</title>\n[article]\n<nav>Ana</nav>|<nav>Ana</nav>");
	result_free(&r);
	CHECK(tmpl_exists(e, "partials/nav.html"));
	CHECK(!tmpl_exists(e, "partials/none.html"));
	CHECK(!tmpl_exists(e, "../etc/passwd"));
	CHECK(!tmpl_exists(e, "/etc/passwd"));
	value_free(vars);
	tmpl_engine_free(e);
}

TEST(test_missing_and_bad_names)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct result r = run(e, "nope.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "nope.html: error: template 'nope.html' not found");
	result_free(&r);
	r = run(e, "../x.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "bad template name");
	result_free(&r);
	put_file("inc-missing.html", "a\n{% include \"gone.html\" %}");
	r = run(e, "inc-missing.html", NULL, NULL);
	CHECK(r.rc == -1);
	char *p = full_path("inc-missing.html");
	char *want = xasprintf("%s:2: error: template 'gone.html' not found", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);
	put_file("partial-bad.html", "{{ partial('../../x') }}");
	r = run(e, "partial-bad.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "partial-bad.html:1: error: bad template name");
	result_free(&r);
	CHECK(still_works(e));
	tmpl_engine_free(e);
}

/* ---- helpers ---- */

static struct value *
h_shout(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	const char *s = nargs > 0 ? value_str(args[0]) : NULL;
	if (s == NULL) {
		*err = xstrdup("needs a string");
		return NULL;
	}
	char *u = xstrdup(s);
	for (char *p = u; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	return value_new_string_own(u);
}

/* Describes its arguments, to check the Lua to value conversion. */
static void
describe(struct buf *b, const struct value *v)
{
	switch (v->type) {
	case VALUE_NULL: buf_puts(b, "null"); break;
	case VALUE_BOOL: buf_puts(b, v->u.b ? "true" : "false"); break;
	case VALUE_INT: buf_printf(b, "%lld", (long long)v->u.i); break;
	case VALUE_FLOAT: buf_printf(b, "%g", v->u.f); break;
	case VALUE_STRING: buf_printf(b, "%s'%s'", v->html ? "html" : "", v->u.str.s); break;
	case VALUE_LIST:
		buf_putc(b, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_putc(b, ',');
			describe(b, v->u.list.items[i]);
		}
		buf_putc(b, ']');
		break;
	case VALUE_MAP:
		buf_putc(b, '{');
		for (size_t i = 0; i < v->u.map.len; i++) {
			buf_printf(b, "%s%s=", i ? "," : "", v->u.map.keys[i]);
			describe(b, v->u.map.vals[i]);
		}
		buf_putc(b, '}');
		break;
	case VALUE_REF: buf_puts(b, "ref"); break;
	}
}

static struct value *
h_describe(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "%zu:", nargs);
	for (size_t i = 0; i < nargs; i++) {
		buf_putc(&b, ' ');
		describe(&b, args[i]);
	}
	return value_new_string_own(buf_detach(&b));
}

static struct value *
h_payload(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct value *m = value_new_map();
	value_map_set_string(m, "who", payload);
	value_map_set(m, "html", value_new_html("<em>ok</em>"));
	struct value *l = value_map_set(m, "list", value_new_list());
	value_list_push(l, value_new_int(7));
	return m;
}

static struct tmpl_engine *reentry_engine;

static struct value *
h_reenter(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct buf b = BUF_INIT;
	int rc = tmpl_render(reentry_engine, "ok.html", NULL, NULL, &b);
	buf_free(&b);
	return value_new_int(rc);
}

static struct value *
h_nil(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	return NULL;
}

/* json() orders keys the same way whatever the size of the map: numbers, then strings by
 * bytes; small maps are sorted on the C stack, big ones through tables. */
TEST(test_json_orders_keys_of_small_and_big_maps)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	char *s = quick(e, "json-small.html",
	                "{{ json({b = 1, a = {z = true, [2] = 'x', [1.5] = 'y'}, [10] = 0, [3] = 'c'}) }}");
	CHECK_STR(s, "{\"3\":\"c\",\"10\":0,\"a\":{\"1.5\":\"y\",\"2\":\"x\",\"z\":true},\"b\":1}");
	free(s);
	struct buf want = BUF_INIT;
	for (int round = 0; round < 2; round++) {
		int n = round == 0 ? 64 : 65;
		buf_reset(&want);
		buf_putc(&want, '{');
		char key[16];
		/* Keys k000 … in byte order. */
		for (int i = 0; i < n; i++) {
			snprintf(key, sizeof key, "k%03d", i);
			buf_printf(&want, "%s\"%s\":%d", i ? "," : "", key, i);
		}
		buf_putc(&want, '}');
		char tmpl[256];
		snprintf(tmpl, sizeof tmpl, "{%% local t = {} for i = %d, 0, -1 do "
		         "t[string.format('k%%03d', i)] = i end %%}{{ json(t) }}", n - 1);
		s = quick(e, round == 0 ? "json-64.html" : "json-65.html", tmpl);
		CHECK_STR(s, buf_str(&want));
		free(s);
	}
	buf_free(&want);
	put_file("json-bad.html", "{{ json({[true] = 1, a = 2}) }}");
	struct result r = run(e, "json-bad.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "json: cannot encode a boolean key");
	result_free(&r);
	tmpl_engine_free(e);
}

/* Shared data (references) reads like any table through every way a template has of reading,
 * and no way of writing, at any depth, reaches it: each render sees it as it was made. */

TEST(test_shared_data_cannot_be_changed)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	tmpl_engine_add_helper(e, "describe", h_describe);
	struct value *shared = value_new_map();
	value_map_set_string(shared, "title", "T");
	struct value *list = value_map_set(shared, "list", value_new_list());
	value_list_push(list, value_new_string("a"));
	struct value *inner = value_list_push(list, value_new_map());
	value_map_set_string(inner, "k", "v");
	value_map_set(shared, "empty", value_new_list());
	value_map_set(shared, "none", value_new_map());
	struct value *vars = value_new_map();
	value_map_set(vars, "s", value_new_ref(shared));
	value_map_set(vars, "l", value_new_ref(list));

	put_file("read.html",
	         "{{ s.title }}|{{ #s.list }}|{{ len(s) }}|{{ len(s.list) }}|"
	         "{% for i, x in ipairs(s.list) do %}{{ i }}{% end %}|"
	         "{% for k in pairs(s) do %}{{ k }},{% end %}|{{ next(s) ~= nil }}|"
	         "{{ next(s.none) == nil }}|{{ json(s) }}|{{ join({s.title, 'x'}, '-') }}|"
	         "{{ join(l[2] and {l[2].k} or {}) }}|{{ table.concat({table.unpack(l, 1, 1)}) }}|"
	         "{{ describe(s.list) }}|{{ partial('p.html', s) }}|{{ s.list[2] == s.list[2] }}|"
	         "{{ type(s) }}");
	put_file("p.html", "{{ title }}{{ #list }}");
	for (int round = 0; round < 2; round++) {
		struct result r = run(e, "read.html", vars, NULL);
		CHECK(r.rc == 0);
		CHECK_STR(r.out, "T|2|4|2|12|empty,list,none,title,|true|true|"
		                 "{\"empty\":[],\"list\":[\"a\",{\"k\":\"v\"}],\"none\":{},\"title\":\"T\"}"
		                 "|T-x|v|a|1: [&#39;a&#39;,{k=&#39;v&#39;}]|T2|true|table");
		result_free(&r);
	}

	static const char *const writes[] = {
		"{% s.title = 'changed' %}",
		"{% s.added = 1 %}",
		"{% s.list[1] = 'changed' %}",
		"{% s.list[3] = 'added' %}",
		"{% s.list[2].k = 'changed' %}",
		"{% l[2].k = 'changed' %}",
		"{% table.insert(s.list, 'added') %}",
		"{% table.remove(s.list) %}",
		"{% table.sort(s.list, function(a, b) return tostring(a) > tostring(b) end) %}",
		"{% local t = s.list t[1] = 'changed' %}",
		"{% for _, x in ipairs(s.list) do if type(x) == 'table' then x.k = 'changed' end end %}",
		"{% for k, v in pairs(s) do if type(v) == 'table' then v.added = 1 end end %}",
		"{% local k, v = next(s) while k do if type(v) == 'table' then v[1] = 1 end "
		"k, v = next(s, k) end %}",
		"{% s.none.added = 1 %}",
		"{% s.empty[1] = 1 %}",
	};
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		put_file("write.html", writes[i]);
		struct result r = run(e, "write.html", vars, NULL);
		if (r.rc != -1 || r.err == NULL || strstr(r.err, "cannot be changed") == NULL)
			fprintf(stderr, "write %zu: rc %d, err %s\n", i, r.rc, r.err ? r.err : "(none)");
		CHECK(r.rc == -1);
		CHECK_CONTAINS(r.err, "cannot be changed");
		result_free(&r);
	}
	/* A write caught by pcall changed nothing either. */
	put_file("caught.html", "{% pcall(function() s.title = 'x' end) %}{{ s.title }}");
	struct result rc = run(e, "caught.html", vars, NULL);
	CHECK_STR(rc.out, "T");
	result_free(&rc);
	struct result r = run(e, "read.html", vars, NULL);
	CHECK(r.rc == 0);
	CHECK_CONTAINS(r.out, "T|2|4|2|12|empty,list,none,title,|");
	result_free(&r);
	/* A render's own tables stay its own to change. */
	put_file("own.html", "{% local t = {} t.x = s.title table.insert(t, 1) %}{{ t.x }}{{ #t }}");
	struct result ro = run(e, "own.html", vars, NULL);
	CHECK_STR(ro.out, "T1");
	result_free(&ro);
	value_free(vars);
	value_free(shared);
	tmpl_engine_free(e);
}
TEST(test_helpers)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	tmpl_engine_add_helper(e, "shout", h_shout);
	tmpl_engine_add_helper(e, "describe", h_describe);
	tmpl_engine_add_helper(e, "who", h_payload);
	tmpl_engine_add_helper(e, "nothing", h_nil);
	put_file("helpers.html",
	         "{{ shout('hi <you>') }}|{{ describe() }}|"
	         "{{ describe(1, 2.5, 'x', nil, true, raw('<b>'), {3, 4}, {b = 1, a = {}, [2] = 'two'}) }}|"
	         "{{ who().who }} {{ who().html }} {{ who().list[1] }}|{{ nothing() }}.");
	struct result r = run(e, "helpers.html", NULL, "Maria");
	CHECK(r.rc == 0);
	CHECK_STR(r.out, "HI &lt;YOU&gt;|0:|8: 1 2.5 &#39;x&#39; null true html&#39;&lt;b&gt;&#39; "
	                 "[3,4] {2=&#39;two&#39;,a={},b=1}|Maria <em>ok</em> 7|.");
	result_free(&r);

	put_file("helper-err.html", "line one\n\n{{ shout(42) }}");
	r = run(e, "helper-err.html", NULL, NULL);
	CHECK(r.rc == -1);
	char *p = full_path("helper-err.html");
	char *want = xasprintf("%s:3: error: shout: needs a string", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);

	/* Past eight arguments, and what a failed call made is freed (ASan checks). */
	char *s = quick(e, "helper-many.html",
	                "{{ describe(1, 2, 3, 4, 5, 6, 7, 8, 'nine', {10}, raw('<11>')) }}|"
	                "{{ pcall(shout, {1}, {a = {2}}) }}{{ pcall(describe, {}, type) }}|"
	                "{{ describe({x = 'y'}) }}");
	CHECK_STR(s, "11: 1 2 3 4 5 6 7 8 &#39;nine&#39; [10] html&#39;&lt;11&gt;&#39;|"
	             "falsefalse|1: {x=&#39;y&#39;}");
	free(s);

	put_file("helper-fn.html", "\n{{ describe(print or function() end) }}");
	r = run(e, "helper-fn.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "helper-fn.html:2: error: describe: argument 1:");
	result_free(&r);
	reentry_engine = e;
	tmpl_engine_add_helper(e, "reenter", h_reenter);
	put_file("reenter.html", "[{{ reenter() }}]");
	r = run(e, "reenter.html", NULL, NULL);
	CHECK_STR(r.out, "[-1]");
	CHECK_CONTAINS(r.err, "during a render");
	result_free(&r);
	put_file("helper-cycle.html", "{% local t = {} t.t = t %}{{ describe(t) }}");
	r = run(e, "helper-cycle.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "nested too deeply");
	result_free(&r);
	CHECK(still_works(e));
	tmpl_engine_free(e);
}

/* ---- errors ---- */

TEST(test_runtime_error_names_path_and_line)
{
	struct tmpl_engine *e = engine(0, 0, NULL);
	struct buf out = BUF_INIT;
	put_file("err.html", "<p>\n{% for i = 1, 2 do %}\n  {{ i }}\n  {{ page.title }}\n{% end %}");
	put_file("outer.html", "a\nb\n{% include \"err.html\" %}");
	put_file("raise.html", "\n\n{% error('custom failure') %}");
	put_file("syntax.html", "1\n2\n{% if x %}\n{% end %}");

	buf_puts(&out, "kept");
	struct result r = run(e, "err.html", NULL, NULL);
	CHECK(r.rc == -1);
	char *p = full_path("err.html");
	char *want = xasprintf("%s:4: error: attempt to index a nil value (global 'page')", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	result_free(&r);

	/* An error inside an included template names that template. */
	r = run(e, "outer.html", NULL, NULL);
	want = xasprintf("%s:4: error:", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);

	r = run(e, "raise.html", NULL, NULL);
	p = full_path("raise.html");
	want = xasprintf("%s:3: error: custom failure", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);

	/* A Lua syntax error in the generated code is a compile error on the template's line. */
	r = run(e, "syntax.html", NULL, NULL);
	CHECK(r.rc == -1);
	p = full_path("syntax.html");
	want = xasprintf("%s:3: error: 'then' expected", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	result_free(&r);
	/* ...and cached: reported the same way the second time. */
	r = run(e, "syntax.html", NULL, NULL);
	want = xasprintf("%s:3: error: 'then' expected", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);

	/* The output buffer is left as it was. */
	put_file("half.html", "lots of output\n{{ nope.x }}");
	r = run_into(e, "half.html", NULL, NULL, &out);
	CHECK(r.rc == -1);
	CHECK_STR(buf_str(&out), "kept");
	result_free(&r);
	put_file("fine.html", "+more");
	r = run_into(e, "fine.html", NULL, NULL, &out);
	CHECK_STR(buf_str(&out), "kept+more");
	result_free(&r);
	buf_free(&out);
	CHECK(still_works(e));
	tmpl_engine_free(e);
}

TEST(test_long_paths_still_get_lines)
{
	/* Lua shortens chunk names past 60 bytes; the full path must still be reported. */
	struct tmpl_engine *e = engine(0, 0, NULL);
	const char *name = "a-rather-long-directory-name/and-another-long-one/err-long.html";
	put_file(name, "x\ny\n{{ nil .. 1 }}");
	struct result r = run(e, name, NULL, NULL);
	char *p = full_path(name);
	char *want = xasprintf("%s:3: error: attempt to concatenate", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);
	tmpl_engine_free(e);
}

/* ---- sandbox and limits ---- */

TEST(test_sandbox)
{
	static const char *const bad[] = {
		"{{ os.execute('true') }}",
		"{{ io.open('/etc/passwd') }}",
		"{{ require('os') }}",
		"{{ load('return 1') }}",
		"{{ loadstring('return 1') }}",
		"{{ dofile('/etc/passwd') }}",
		"{{ debug.getinfo(1) }}",
		"{{ getmetatable('').__index }}",
		"{{ setmetatable({}, {}) }}",
		"{{ string.dump(function() end) }}",
		"{{ ('').dump(function() end) }}",
		"{{ collectgarbage('count') }}",
		"{{ math.random() }}",
		"{{ package.path }}",
		"{{ rawset(_ENV, 'x', 1) }}",
		"{% string.upper = nil %}",
		/* Closing the render function early runs code at chunk level: still sandboxed. */
		"{% end, load('x = 1'), function() %}",
		"{% end, rawset(_ENV, 'x', 1), function() %}",
	};
	struct tmpl_engine *e = engine(0, 0, NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char name[32];
		snprintf(name, sizeof name, "bad%zu.html", i);
		put_file(name, bad[i]);
		struct result r = run(e, name, NULL, NULL);
		if (r.rc != -1 || strstr(r.err, "error:") == NULL) {
			fprintf(stderr, "sandbox let through: %s\n", bad[i]);
			CHECK(0);
		}
		result_free(&r);
		CHECK(still_works(e));
	}
	char *s = quick(e, "allowed.html",
	                "{{ string.upper('a') }}{{ ('b'):upper() }}{{ math.floor(2.5) }}"
	                "{{ table.concat({'c', 'd'}) }}{{ utf8.char(233) }}{{ type(string.dump) }}"
	                "{{ select('#', 1, 2) }}{{ tonumber('3') }}{{ pcall(error, 'x') }}");
	CHECK_STR(s, "AB2cd\xc3\xa9nil23false");
	free(s);
	tmpl_engine_free(e);
}

static double
cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

TEST(test_time_limit)
{
	struct tmpl_engine *e = engine(0, 100, NULL);
	put_file("loop.html", "a\n{% while true do end %}");
	double t0 = cpu_ms();
	struct result r = run(e, "loop.html", NULL, NULL);
	CHECK(cpu_ms() - t0 < 2000);
	CHECK(r.rc == -1);
	CHECK_STR(r.out, "");
	char *p = full_path("loop.html");
	char *want = xasprintf("%s:2: error: template ran too long", p);
	CHECK_CONTAINS(r.err, want);
	free(want);
	free(p);
	result_free(&r);
	CHECK(still_works(e));

	/* pcall in the template cannot swallow it, not even around partial(). */
	put_file("loop2.html", "{% while true do pcall(function() while true do end end) end %}");
	r = run(e, "loop2.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "loop2.html:1: error: template ran too long");
	result_free(&r);
	CHECK(still_works(e));
	put_file("loop3.html", "\n{% for i = 1, 1e9 do pcall(partial, 'loop.html') end %}");
	r = run(e, "loop3.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "error: template ran too long");
	result_free(&r);
	CHECK(still_works(e));

	/* Nor a loop that only calls C functions, or one that raises errors of its own. */
	put_file("loop4.html", "{% local s = ('x'):rep(1 << 12):rep(1 << 12) %}\n"
	                       "{{ #s:gsub('.', string.upper) }}");
	t0 = cpu_ms();
	r = run(e, "loop4.html", NULL, NULL);
	CHECK(cpu_ms() - t0 < 1000);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "loop4.html:");
	CHECK_CONTAINS(r.err, "error: template ran too long");
	result_free(&r);
	put_file("loop5.html", "{% while true do pcall(error, raw('x')) end %}");
	r = run(e, "loop5.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "loop5.html:1: error: template ran too long");
	result_free(&r);
	CHECK(still_works(e));
	tmpl_engine_free(e);

	/* The time is per render, not per engine: renders that each take half the limit run many
	 * times over. Measured first, so that a slow machine (or valgrind) is no different. */
	put_file("busy.html", "{% local n = 0 for i = 1, 1000000 do n = n + i end %}{{ n }}");
	e = engine(0, 0, NULL);
	t0 = cpu_ms();
	r = run(e, "busy.html", NULL, NULL);
	double took = cpu_ms() - t0;
	CHECK_STR(r.out, "500000500000");
	result_free(&r);
	tmpl_engine_free(e);
	e = engine(0, (unsigned long)(took * 2) + 10, NULL);
	for (int i = 0; i < 5; i++) {
		r = run(e, "busy.html", NULL, NULL);
		CHECK(r.rc == 0);
		result_free(&r);
	}
	tmpl_engine_free(e);
}

/* The attacks test_time_limit leaves out: one call into C that backtracks for ever (a Lua
 * pattern), a loop inside a coroutine (a thread of its own, with hooks of its own), and a
 * string.rep bomb with a separator. Each runs in a child with an alarm, so a hang fails the
 * test instead of stalling the run. */
static int
c_call_child(void *arg)
{
	const char *text = arg;
	alarm(20);
	struct tmpl_engine *e = engine(64u << 20, 200, NULL);
	put_file("c.html", text);
	struct result r = run(e, "c.html", NULL, NULL);
	fprintf(stderr, "%s", r.err ? r.err : "");
	/* Running out of memory has no line to give. */
	int rc = r.rc == -1 && r.err != NULL &&
	         (strstr(r.err, "c.html:1: error:") != NULL ||
	          strstr(r.err, "c.html: error: out of memory") != NULL) &&
	         still_works(e);
	result_free(&r);
	tmpl_engine_free(e);
	return rc ? 0 : 1;
}

TEST(test_limits_hold_inside_c_calls_and_coroutines)
{
	static const char *const bad[] = {
		"{{ coroutine.wrap(function() while true do end end)() }}", /* not in the sandbox */
		"{{ #string.rep('x', 1 << 28, 'yy') }}",
		"{{ string.format('%s', string.rep('x', 1 << 27)):rep(8) }}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = NULL;
		int rc = test_in_child(c_call_child, (void *)bad[i], &err);
		if (rc != 0) {
			fprintf(stderr, "not stopped cleanly (%d): %s\n%s\n", rc, bad[i], err);
			CHECK(0);
		}
		free(err);
	}
}

/* A string pattern that backtracks without end never returns to Lua, where the time limit's
 * hook runs: a few CPU seconds after the limit, satchel stops with a message and status 1 (the
 * build's output still in its temporary folder), instead of hanging. */
static void *
stuck_render(void *arg)
{
	struct tmpl_engine *e = engine(64u << 20, 200, NULL);
	struct buf b = BUF_INIT;
	put_file("p.html", arg);
	tmpl_render(e, "p.html", NULL, NULL, &b); /* stderr not captured: the message must show */
	buf_free(&b);
	tmpl_engine_free(e);
	return NULL;
}

static int
stuck_child(void *arg)
{
	/* On a thread of its own: a forked child has no CPU timers (they are not inherited), and
	 * the test process's main thread made one already. */
	pthread_t th;
	alarm(30);
	pthread_create(&th, NULL, stuck_render, arg);
	pthread_join(th, NULL);
	return 0; /* not reached when the render is stuck */
}

TEST(test_stuck_in_a_pattern_ends_the_process)
{
	static const char *const bad[] = {
	    "{{ string.find(string.rep('a', 40000), string.rep('a-', 40) .. 'b') }}",
	    "{{ string.match(string.rep('a', 40000), string.rep('.-', 40) .. 'b') }}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *err = NULL;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		int rc = test_in_child(stuck_child, (void *)bad[i], &err);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		CHECK(rc == 1);
		CHECK_CONTAINS(err, "satchel: error: a template ran too long inside one library call");
		CHECK(t1.tv_sec - t0.tv_sec < 25); /* stopped, not killed by the alarm */
		free(err);
	}
}

struct thread_run {
	struct tmpl_engine *e;
	const char *name;
	int rc;
};

static void *
render_thread(void *arg)
{
	struct thread_run *t = arg;
	struct buf b = BUF_INIT;
	t->rc = tmpl_render(t->e, t->name, NULL, NULL, &b);
	buf_free(&b);
	return NULL;
}

TEST(test_time_limit_on_other_threads)
{
	/* Engines made here and used on threads of their own, two at a time, then here again. */
	struct thread_run t[2];
	pthread_t th[2];
	put_file("loop.html", "a\n{% while true do end %}");
	put_file("ok.html", "ok {{ 1 + 1 }}");
	for (int i = 0; i < 2; i++)
		t[i].e = engine(0, 100, NULL);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 2; i++)
			t[i].name = (i + round) % 2 == 0 ? "loop.html" : "ok.html";
		test_capture_start();
		for (int i = 0; i < 2; i++)
			pthread_create(&th[i], NULL, render_thread, &t[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		char *err = test_capture_end();
		for (int i = 0; i < 2; i++)
			CHECK(t[i].rc == ((i + round) % 2 == 0 ? -1 : 0));
		CHECK_CONTAINS(err, "loop.html:2: error: template ran too long");
		free(err);
	}
	for (int i = 0; i < 2; i++) {
		struct result r = run(t[i].e, "loop.html", NULL, NULL);
		CHECK(r.rc == -1);
		CHECK_CONTAINS(r.err, "template ran too long");
		result_free(&r);
		CHECK(still_works(t[i].e));
		tmpl_engine_free(t[i].e);
	}
}

static struct tmpl_engine *inner_engine;

static struct value *
h_inner(void *payload, const struct value *const *args, size_t nargs, char **err)
{
	struct buf b = BUF_INIT;
	int rc = tmpl_render(inner_engine, value_str(args[0]), NULL, NULL, &b);
	buf_free(&b);
	return value_new_int(rc);
}

TEST(test_time_limit_of_a_render_inside_a_render)
{
	/* A helper rendering with a second engine shares the outer render's time: the inner
	 * runaway stops, and so does the outer render. */
	struct tmpl_engine *e = engine(0, 100, NULL);
	inner_engine = engine(0, 100, NULL);
	tmpl_engine_add_helper(e, "inner", h_inner);
	put_file("loop.html", "a\n{% while true do end %}");
	put_file("outer.html", "[{{ inner('ok.html') }}]\n[{{ inner('loop.html') }}]");
	struct result r = run(e, "outer.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "loop.html:2: error: template ran too long");
	CHECK_CONTAINS(r.err, "outer.html:2: error: template ran too long");
	result_free(&r);
	CHECK(still_works(e));
	CHECK(still_works(inner_engine));
	char *s = quick(e, "outer2.html", "[{{ inner('ok.html') }}][{{ inner('ok.html') }}]");
	CHECK_STR(s, "[0][0]");
	free(s);
	tmpl_engine_free(inner_engine);
	tmpl_engine_free(e);
}

TEST(test_memory_limit)
{
	/* Time enough for slow runs (valgrind): this is about memory. */
	struct tmpl_engine *e = engine(32u << 20, 60000, NULL);
	put_file("bomb.html", "{% local s = string.rep('x', 1 << 30) %}{{ #s }}");
	struct result r = run(e, "bomb.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "bomb.html: error: out of memory");
	result_free(&r);
	CHECK(still_works(e));

	put_file("grow.html", "{% local t = {} for i = 1, 1e9 do t[i] = ('y'):rep(100) .. i end %}");
	r = run(e, "grow.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "out of memory");
	result_free(&r);
	CHECK(still_works(e));

	/* Inside partial() the error gets the position of the call. */
	put_file("pbomb.html", "\n{{ partial('bomb.html') }}");
	r = run(e, "pbomb.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "pbomb.html:2: error: not enough memory");
	result_free(&r);
	CHECK(still_works(e));

	/* Output counts too. */
	put_file("flood.html", "{% for i = 1, 1e8 do %}0123456789012345678901234567890123456789{% end %}");
	r = run(e, "flood.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "larger than the memory limit");
	result_free(&r);
	CHECK(still_works(e));
	tmpl_engine_free(e);
}

/* Shared data (VALUE_REF) is converted once and kept for later renders, but not without
 * bound: a site whose renders together show more entries than the memory limit holds (each
 * listing page a few, all of them 30,000 resources in 8 languages) must still render every
 * page. Here 400 entries of about 30 KB each in Lua pass through an engine of 8 MB, a few per
 * render, like the pages of a long listing; each page must render, and right. */
TEST(test_shared_data_kept_within_the_memory_limit)
{
	enum { N = 400, ITEMS = 200, PER = 4 };
	struct value **shared = xcalloc(N, sizeof *shared);
	char s[160];
	for (size_t i = 0; i < N; i++) {
		shared[i] = value_new_map();
		snprintf(s, sizeof s, "entry %zu", i);
		value_map_set_string(shared[i], "title", s);
		struct value *l = value_map_set(shared[i], "items", value_new_list());
		for (size_t k = 0; k < ITEMS; k++) {
			snprintf(s, sizeof s, "%zu-%zu-%0100d", i, k, 0);
			value_list_push(l, value_new_string(s));
		}
	}
	struct tmpl_engine *e = engine(8u << 20, 60000, NULL);
	put_file("listing.html", "{% for _, p in ipairs(pages) do %}{{ p.title }};{% end %}");
	int ok = 1;
	for (size_t pass = 0; pass < 2 && ok; pass++)
		for (size_t i = 0; i < N && ok; i += PER) {
			struct value *vars = value_new_map();
			struct value *pages = value_map_set(vars, "pages", value_new_list());
			struct buf want = BUF_INIT;
			for (size_t k = i; k < i + PER; k++) {
				value_list_push(pages, value_new_ref(shared[k]));
				buf_printf(&want, "entry %zu;", k);
			}
			struct result r = run(e, "listing.html", vars, NULL);
			if (r.rc != 0 || strcmp(r.out, buf_str(&want)) != 0) {
				fprintf(stderr, "render of entries %zu..%zu: %s", i, i + PER - 1, r.err);
				ok = 0;
			}
			result_free(&r);
			buf_free(&want);
			value_free(vars);
		}
	CHECK(ok);
	/* Data still shared by the next renders is still read-only. */
	put_file("change.html", "{% pages[1].title = 'x' %}");
	struct value *vars = value_new_map();
	value_list_push(value_map_set(vars, "pages", value_new_list()), value_new_ref(shared[0]));
	struct result r = run(e, "change.html", vars, NULL);
	CHECK(r.rc == -1);
	result_free(&r);
	value_free(vars);
	tmpl_engine_free(e);
	for (size_t i = 0; i < N; i++)
		value_free(shared[i]);
	free(shared);
}

TEST(test_deep_recursion)
{
	struct tmpl_engine *e = engine(0, 60000, NULL); /* time enough for slow runs */
	put_file("deep.html", "{% local function f(n) return 1 + f(n + 1) end %}\n{{ f(1) }}");
	struct result r = run(e, "deep.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "deep.html:1: error: stack overflow");
	result_free(&r);
	CHECK(still_works(e));

	put_file("self.html", "{% include \"self.html\" %}");
	r = run(e, "self.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "self.html:1: error:");
	CHECK_CONTAINS(r.err, "stack overflow");
	result_free(&r);
	CHECK(still_works(e));

	put_file("pself.html", "{{ partial('pself.html') }}");
	r = run(e, "pself.html", NULL, NULL);
	CHECK(r.rc == -1);
	CHECK_CONTAINS(r.err, "stack overflow");
	result_free(&r);
	CHECK(still_works(e));
	tmpl_engine_free(e);
}

TEST(test_caught_partial_error_leaves_output_intact)
{
	/* partial() swaps the output buffer; an error it raises, even when the template catches
	 * it, must leave the outer output in place. */
	struct tmpl_engine *e = engine(0, 0, NULL);
	put_file("p-fail.html", "inner{{ x.y }}");
	put_file("p-ok.html", "[ok]");
	char *s = quick(e, "p-catch.html", "a{% local ok = pcall(partial, 'p-fail.html') %}"
	                             "b{{ ok }}{{ partial('p-ok.html') }}c");
	CHECK_STR(s, "abfalse[ok]c");
	free(s);
	tmpl_engine_free(e);
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	dirs[0] = dir;
	RUN(test_compile_keeps_line_numbers);
	RUN(test_compile_errors_name_the_line);
	RUN(test_compile_tags_skip_lua_strings);
	RUN(test_escaping_and_raw);
	RUN(test_escaping_matches_buf);
	RUN(test_whitespace_trim);
	RUN(test_printing_a_table_is_an_error);
	RUN(test_loops_over_lists_and_maps);
	RUN(test_builtins);
	RUN(test_ref_is_converted_once_per_engine);
	RUN(test_engine_globals);
	RUN(test_extends_blocks_and_include);
	RUN(test_missing_and_bad_names);
	RUN(test_helpers);
	RUN(test_shared_data_cannot_be_changed);
	RUN(test_json_orders_keys_of_small_and_big_maps);
	RUN(test_long_paths_still_get_lines);
	RUN(test_sandbox);
	RUN(test_time_limit);
	RUN(test_time_limit_on_other_threads);
	RUN(test_time_limit_of_a_render_inside_a_render);
	RUN(test_memory_limit);
	RUN(test_shared_data_kept_within_the_memory_limit);
	RUN(test_deep_recursion);
	RUN(test_limits_hold_inside_c_calls_and_coroutines);
	RUN(test_stuck_in_a_pattern_ends_the_process);
	RUN(test_caught_partial_error_leaves_output_intact);
	RUN(test_runtime_error_names_path_and_line);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	return TEST_END();
}
