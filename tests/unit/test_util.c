/* Tests for util/fs (safe paths, joins, sorted walks, removing trees) and value (maps, copies,
 * refs). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/text.h"
#include "util/xalloc.h"
#include "value.h"

static char tmp[] = "/tmp/satchel-test-util-XXXXXX";

TEST(test_path_is_safe)
{
	static const char *const safe[] = {
	    "a", "a/b", "content/guidance/x/index.md", "a..b", "..a", "a..", "...", ".hidden",
	    "a/.hidden/b", "a b/c", "ü/ß.md", "a/b.", NULL,
	};
	static const char *const unsafe[] = {
	    "", "/", "/etc/passwd", "..", "../a", "a/..", "a/../b", ".", "./a", "a/.", "a/./b",
	    "a//b", "a/", "//a", "a\\b", "..\\a", "a/b\\..", NULL,
	};
	for (size_t i = 0; safe[i] != NULL; i++)
		if (!fs_path_is_safe(safe[i])) {
			fprintf(stderr, "  should be safe: \"%s\"\n", safe[i]);
			test_failed_now = 1;
		}
	for (size_t i = 0; unsafe[i] != NULL; i++)
		if (fs_path_is_safe(unsafe[i])) {
			fprintf(stderr, "  should be unsafe: \"%s\"\n", unsafe[i]);
			test_failed_now = 1;
		}
	CHECK(!fs_path_is_safe(NULL));
}

TEST(test_join)
{
	char *s;
#define JOIN(a, b, want)                                                                  \
	do {                                                                               \
		s = fs_join(a, b);                                                         \
		CHECK_STR(s, want);                                                        \
		free(s);                                                                   \
	} while (0)
	JOIN("a", "b", "a/b");
	JOIN("a/", "b", "a/b");
	JOIN("/", "b", "/b");
	JOIN("", "b", "b");
	JOIN("a", "", "a");
	JOIN("", "", "");
	JOIN("a/b", "c/d.md", "a/b/c/d.md");
#undef JOIN
}

struct seen {
	char *v[32];
	size_t n;
	size_t stop_at; /* return 1 from the callback at this call (0: never) */
};

static int
record(const char *rel, void *payload)
{
	struct seen *s = payload;
	if (s->n < 32)
		s->v[s->n] = xstrdup(rel);
	s->n++;
	return s->stop_at != 0 && s->n == s->stop_at ? 7 : 0;
}

static void
seen_free(struct seen *s)
{
	for (size_t i = 0; i < s->n && i < 32; i++)
		free(s->v[i]);
}

static void
put(const char *rel, const char *text)
{
	char *p = fs_join(tmp, rel);
	if (fs_write_file(p, text, strlen(text)) < 0) {
		fprintf(stderr, "cannot write %s\n", p);
		test_failed_now = 1;
	}
	free(p);
}

TEST(test_walk_sorted)
{
	char *root = fs_join(tmp, "walk");
	put("walk/b.md", "b");
	put("walk/a/z.md", "z");
	put("walk/a.md", "a");
	put("walk/a/b/c.txt", "c");
	put("walk/A.md", "A");
	put("walk/a-b.md", "ab");
	char *empty = fs_join(root, "emptydir");
	CHECK(fs_mkdir_p(empty) == 0);
	char *link = fs_join(root, "link.md");
	CHECK(symlink("a.md", link) == 0);

	struct seen s = {0};
	CHECK(fs_walk(root, record, &s) == 0);
	/* Byte order of the whole relative path ('-' < '.' < '/'), folders descended, empty folders
	 * and symlinks give nothing. */
	static const char *const want[] = {"A.md", "a-b.md", "a.md", "a/b/c.txt", "a/z.md", "b.md"};
	CHECK(s.n == 6);
	for (size_t i = 0; i < 6 && i < s.n; i++)
		CHECK_STR(s.v[i], want[i]);
	seen_free(&s);

	/* A non-zero return stops the walk and is returned. */
	struct seen st = {.stop_at = 2};
	CHECK(fs_walk(root, record, &st) == 7);
	CHECK(st.n == 2);
	seen_free(&st);

	free(link);
	free(empty);
	free(root);
}

/* Walks root in a child process, so a sanitizer abort fails this test instead of ending the run.
 * Returns what fs_walk returned plus 100 times the number of calls, or -1 when the child died;
 * *err gets what it printed. */
static int
child_walk(void *arg)
{
	struct seen s = {0};
	int r = fs_walk(arg, record, &s);
	seen_free(&s);
	return r == 0 && s.n < 2 ? 10 + (int)s.n : 99;
}

static int
walk_in_child(const char *root, char **err)
{
	int code = test_in_child(child_walk, (void *)root, err);
	return code >= 10 && code <= 11 ? 100 * (code - 10) : -1;
}

TEST(test_walk_of_nothing)
{
	/* Regression (fixed): fs_walk calls qsort(NULL, 0, ...) when it finds no file, which UBSan stops as
	 * "generator/util/fs.c:238:2: runtime error: null pointer passed as argument 1, which is
	 * declared to never be null". Both a missing root (documented as "no calls") and an empty
	 * folder crash the sanitized build; build.c walks the theme's static/ folder with it, so a
	 * theme without static files would crash build/asan/satchel. Both should return 0 with no
	 * calls. */
	char *missing = fs_join(tmp, "no-such-folder");
	char *empty = fs_join(tmp, "empty-folder");
	char *err;
	CHECK(fs_mkdir_p(empty) == 0);
	CHECK(walk_in_child(missing, &err) == 0);
	CHECK_NOT_CONTAINS(err, "runtime error");
	free(err);
	CHECK(walk_in_child(empty, &err) == 0);
	CHECK_NOT_CONTAINS(err, "runtime error");
	free(err);
	/* One file is walked fine. */
	put("one/f", "x");
	char *one = fs_join(tmp, "one");
	CHECK(walk_in_child(one, &err) == 100);
	CHECK_STR(err, "");
	free(err);
	free(one);
	free(empty);
	free(missing);
}

TEST(test_read_write_copy)
{
	char *p = fs_join(tmp, "rw/deep/er/file.txt");
	/* Parents are created. */
	CHECK(fs_write_file(p, "hello\0world", 11) == 0);
	CHECK(fs_exists(p));
	CHECK(!fs_is_dir(p));
	struct buf b = BUF_INIT;
	buf_puts(&b, ">");
	/* Reading appends, binary-safe. */
	CHECK(fs_read_file(p, &b) == 0);
	CHECK(b.len == 12 && memcmp(b.data, ">hello\0world", 12) == 0);
	buf_free(&b);

	char *q = fs_join(tmp, "rw/copy/of/file.txt");
	CHECK(fs_copy_file(p, q) == 0);
	CHECK(fs_read_file(q, &b) == 0);
	CHECK(b.len == 11 && memcmp(b.data, "hello\0world", 11) == 0);
	buf_free(&b);

	/* An empty file copies as an empty file. */
	CHECK(fs_write_file(p, "", 0) == 0);
	CHECK(fs_copy_file(p, q) == 0);
	CHECK(fs_read_file(q, &b) == 0);
	CHECK(b.len == 0);
	buf_free(&b);

	char *missing = fs_join(tmp, "rw/missing");
	CHECK(fs_read_file(missing, &b) == -1);
	CHECK(fs_copy_file(missing, q) == -1);
	buf_free(&b);
	free(missing);
	free(q);
	free(p);
}

/* A file is read into a buffer the size of the file, not one 64 KB larger: the model keeps every
 * page's text, and 10,000 pages of 10 KB each held 128 KB. Neighbours: a file exactly at the
 * read limit, one over it, one that is empty, and a file larger than the first step. */
TEST(test_read_fits_the_file)
{
	char *p = fs_join(tmp, "fit/page.md");
	char text[10000], *big = xmalloc(200000);
	memset(text, 'a', sizeof text);
	memset(big, 'b', 200000);
	CHECK(fs_write_file(p, text, sizeof text) == 0);
	struct buf b = BUF_INIT;
	CHECK(fs_read_file(p, &b) == 0);
	CHECK(b.len == sizeof text && memcmp(b.data, text, sizeof text) == 0);
	CHECK(b.cap <= 2 * (sizeof text + 2));
	buf_free(&b);
	int fd = open(p, O_RDONLY);
	CHECK(fd >= 0 && fs_read_fd_max(fd, &b, sizeof text) == 0 && b.len == sizeof text);
	buf_free(&b);
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && fs_read_fd_max(fd, &b, sizeof text - 1) == -1 &&
	      errno == EFBIG && b.len == 0);
	buf_free(&b);
	close(fd);
	CHECK(fs_write_file(p, "", 0) == 0);
	CHECK(fs_read_file(p, &b) == 0 && b.len == 0 && b.data != NULL && b.data[0] == '\0');
	buf_free(&b);
	CHECK(fs_write_file(p, big, 200000) == 0);
	CHECK(fs_read_file(p, &b) == 0 && b.len == 200000 && memcmp(b.data, big, 200000) == 0);
	buf_free(&b);
	free(big);
	free(p);
}

TEST(test_mkdir_p)
{
	char *p = fs_join(tmp, "mk/a/b/c");
	CHECK(fs_mkdir_p(p) == 0);
	CHECK(fs_is_dir(p));
	/* Again is fine. */
	CHECK(fs_mkdir_p(p) == 0);
	/* Through a file is not. */
	put("mk/file", "x");
	char *q = fs_join(tmp, "mk/file/sub");
	CHECK(fs_mkdir_p(q) == -1);
	free(q);
	free(p);
}

TEST(test_rm_rf)
{
	put("rm/a/b/c.txt", "c");
	put("rm/a/d.txt", "d");
	put("rm/keep.txt", "k");
	char *a = fs_join(tmp, "rm/a");
	char *keep = fs_join(tmp, "rm/keep.txt");
	/* A symlink inside is removed, not followed. */
	char *link = fs_join(tmp, "rm/a/to-keep");
	CHECK(symlink(keep, link) == 0);

	CHECK(fs_rm_rf(a) == 0);
	CHECK(!fs_exists(a));
	CHECK(fs_exists(keep));
	/* A missing path is not an error. */
	CHECK(fs_rm_rf(a) == 0);
	/* A single file. */
	CHECK(fs_rm_rf(keep) == 0);
	CHECK(!fs_exists(keep));

	/* A symlink to a folder: the link goes, the folder stays. */
	put("rm/target/x.txt", "x");
	char *target = fs_join(tmp, "rm/target");
	char *dirlink = fs_join(tmp, "rm/dirlink");
	CHECK(symlink(target, dirlink) == 0);
	CHECK(fs_rm_rf(dirlink) == 0);
	struct stat st;
	CHECK(lstat(dirlink, &st) != 0);
	CHECK(fs_is_dir(target));
	free(dirlink);
	free(target);
	free(link);
	free(keep);
	free(a);
}

TEST(test_value_map_set_replace_take)
{
	struct value *m = value_new_map();
	value_map_set_string(m, "a", "one");
	value_map_set_int(m, "b", 2);
	value_map_set_bool(m, "c", 1);
	CHECK(value_len(m) == 3);
	CHECK_STR(value_str(value_map_get(m, "a")), "one");
	CHECK(value_map_get(m, "b")->type == VALUE_INT && value_map_get(m, "b")->u.i == 2);
	CHECK(value_map_get(m, "c")->type == VALUE_BOOL && value_map_get(m, "c")->u.b == 1);
	CHECK(value_map_get(m, "zz") == NULL);

	/* set replaces in place: same length, same position, new value. */
	struct value *v = value_new_string("uno");
	CHECK(value_map_set(m, "a", v) == v);
	CHECK(value_len(m) == 3);
	CHECK_STR(m->u.map.keys[0], "a");
	CHECK_STR(value_str(value_map_get(m, "a")), "uno");

	/* Keys keep insertion order, past the first growth. */
	for (int i = 0; i < 20; i++) {
		char k[16];
		snprintf(k, sizeof k, "k%02d", i);
		value_map_set_int(m, k, i);
	}
	CHECK(value_len(m) == 23);
	CHECK_STR(m->u.map.keys[3], "k00");
	CHECK_STR(m->u.map.keys[22], "k19");

	/* take removes and hands over; the rest close ranks. */
	struct value *b = value_map_take(m, "b");
	CHECK(b != NULL && b->type == VALUE_INT && b->u.i == 2);
	value_free(b);
	CHECK(value_len(m) == 22);
	CHECK(value_map_get(m, "b") == NULL);
	CHECK_STR(m->u.map.keys[0], "a");
	CHECK_STR(m->u.map.keys[1], "c");
	CHECK_STR(m->u.map.keys[21], "k19");
	CHECK(value_map_take(m, "b") == NULL);
	/* take of the last key */
	value_free(value_map_take(m, "k19"));
	CHECK(value_len(m) == 21);
	CHECK(value_map_take(NULL, "a") == NULL);
	struct value *l = value_new_list();
	CHECK(value_map_take(l, "a") == NULL);
	value_free(l);
	value_free(m);
}

TEST(test_value_strings)
{
	struct value *s = value_new_stringn("ab\0cd", 5);
	CHECK(s->u.str.len == 5 && memcmp(s->u.str.s, "ab\0cd", 5) == 0);
	CHECK(!s->html && !s->quoted);
	value_free(s);
	s = value_new_html("<b>x</b>");
	CHECK(s->type == VALUE_STRING && s->html);
	CHECK_STR(value_str(s), "<b>x</b>");
	value_free(s);
	s = value_new_html_own(xstrdup("<i>"));
	CHECK(s->html && s->u.str.len == 3);
	value_free(s);
	s = value_new_string_own(xstrdup("owned"));
	CHECK_STR(value_str(s), "owned");
	CHECK(s->u.str.len == 5 && !s->html);
	value_free(s);
	/* value_str is for strings only. */
	struct value *i = value_new_int(5);
	CHECK(value_str(i) == NULL);
	CHECK(value_str(NULL) == NULL);
	CHECK(value_len(i) == 0);
	CHECK(value_len(NULL) == 0);
	value_free(i);
	value_free(NULL);
}

TEST(test_value_copy)
{
	struct value *target = value_new_string("shared");
	struct value *m = value_new_map();
	m->line = 3;
	m->col = 4;
	struct value *s = value_new_string("text");
	s->quoted = 1;
	s->line = 5;
	value_map_set(m, "s", s);
	value_map_set(m, "h", value_new_html("<p>"));
	struct value *l = value_map_set(m, "l", value_new_list());
	value_list_push(l, value_new_int(-7));
	value_list_push(l, value_new_float(2.5));
	value_list_push(l, value_new_null());
	value_list_push(l, value_new_bool(0));
	value_map_set(m, "r", value_new_ref(target));

	struct value *c = value_copy(m);
	CHECK(c != m && c->type == VALUE_MAP && value_len(c) == 4);
	CHECK(c->line == 3 && c->col == 4);
	const struct value *cs = value_map_get(c, "s");
	CHECK(cs != s && cs->quoted && cs->line == 5);
	CHECK(cs->u.str.s != s->u.str.s);
	CHECK_STR(value_str(cs), "text");
	CHECK(value_map_get(c, "h")->html);
	const struct value *cl = value_map_get(c, "l");
	CHECK(cl != l && value_len(cl) == 4);
	CHECK(cl->u.list.items[0]->type == VALUE_INT && cl->u.list.items[0]->u.i == -7);
	CHECK(cl->u.list.items[1]->type == VALUE_FLOAT && cl->u.list.items[1]->u.f == 2.5);
	CHECK(cl->u.list.items[2]->type == VALUE_NULL);
	CHECK(cl->u.list.items[3]->type == VALUE_BOOL && cl->u.list.items[3]->u.b == 0);
	/* A ref stays a ref to the same target. */
	const struct value *cr = value_map_get(c, "r");
	CHECK(cr->type == VALUE_REF && cr->u.ref == target);

	/* The copy is independent: changing the original leaves it alone. */
	value_map_set_string(m, "s", "changed");
	value_list_push(l, value_new_int(1));
	CHECK_STR(value_str(value_map_get(c, "s")), "text");
	CHECK(value_len(value_map_get(c, "l")) == 4);
	value_free(m);
	CHECK_STR(value_str(value_map_get(c, "r")), "shared");
	value_free(c);
	value_free(target);
	CHECK(value_copy(NULL) == NULL);
}

TEST(test_value_deref)
{
	struct value *m = value_new_map();
	value_map_set_string(m, "name", "Ana");
	struct value *r1 = value_new_ref(m);
	struct value *r2 = value_new_ref(r1);
	CHECK(value_deref(r2) == m);
	CHECK(value_deref(m) == m);
	CHECK(value_deref(NULL) == NULL);
	/* Lookups, lengths and strings see through refs. */
	CHECK_STR(value_str(value_map_get(r2, "name")), "Ana");
	CHECK(value_len(r2) == 1);
	struct value *rs = value_new_ref(value_map_get(m, "name"));
	CHECK_STR(value_str(rs), "Ana");
	/* A ref to NULL is harmless. */
	struct value *rn = value_new_ref(NULL);
	CHECK(value_deref(rn) == NULL);
	CHECK(value_map_get(rn, "x") == NULL);
	CHECK(value_len(rn) == 0);
	/* Freeing a ref leaves its target alone. */
	value_free(r2);
	value_free(r1);
	value_free(rs);
	value_free(rn);
	CHECK_STR(value_str(value_map_get(m, "name")), "Ana");
	value_free(m);
}

TEST(test_value_list_growth)
{
	struct value *l = value_new_list();
	for (int i = 0; i < 100; i++)
		CHECK(value_list_push(l, value_new_int(i))->u.i == i);
	CHECK(value_len(l) == 100);
	CHECK(l->u.list.items[99]->u.i == 99);
	value_free(l);
}

TEST(test_value_type_names)
{
	CHECK_STR(value_type_name(VALUE_NULL), "null");
	CHECK_STR(value_type_name(VALUE_BOOL), "boolean");
	CHECK_STR(value_type_name(VALUE_INT), "integer");
	CHECK_STR(value_type_name(VALUE_FLOAT), "number");
	CHECK_STR(value_type_name(VALUE_STRING), "string");
	CHECK_STR(value_type_name(VALUE_LIST), "list");
	CHECK_STR(value_type_name(VALUE_MAP), "mapping");
	CHECK_STR(value_type_name(VALUE_REF), "reference");
}

TEST(test_diag_caps_warnings_per_file_and_prints_each_once)
{
	test_capture_start();
	for (int i = 1; i <= 25; i++)
		diag_warning("a.md", i, 0, "slip");
	diag_warning("b.md", 1, 0, "slip");
	diag_error("c.md", 2, 3, "broken");
	diag_error("c.md", 2, 3, "broken");
	char *err = test_capture_end();
	int lines = 0;
	for (const char *p = err; *p; p++)
		lines += *p == '\n';
	CHECK(lines == 20 + 1 + 1 + 1); /* 20 of a.md, the notice, b.md, c.md once */
	CHECK_CONTAINS(err, "a.md:20: warning: slip\n");
	CHECK_NOT_CONTAINS(err, "a.md:21:");
	CHECK_CONTAINS(err, "a.md: warning: more warnings about this file are not shown\n");
	CHECK_CONTAINS(err, "b.md:1: warning: slip\n");
	CHECK_CONTAINS(err, "c.md:2:3: error: broken\n");
	CHECK(diag_error_count() == 2); /* printed once, counted twice */
	CHECK(diag_error_lines() == 1);  /* what "failed with N errors" says */
	free(err);
}

TEST(test_diag_error_lines_count_what_is_printed_or_kept)
{
	test_capture_start();
	diag_error("a.md", 1, 0, "one");
	diag_error("a.md", 2, 0, "two");
	diag_error("a.md", 1, 0, "one");
	diag_warning("a.md", 3, 0, "not an error");
	diag_strict(1);
	diag_problem("a.md", 4, 0, "a problem, an error when strict");
	diag_strict(0);
	diag_problem("a.md", 5, 0, "a problem, a warning otherwise");
	char *err = test_capture_end();
	int lines = 0;
	for (const char *p = strstr(err, ": error: "); p != NULL; p = strstr(p + 1, ": error: "))
		lines++;
	CHECK(lines == 3);
	CHECK(diag_error_lines() == 3);
	CHECK(diag_error_count() == 4);
	free(err);
	/* Collected (satchel check), a repeated error is kept once and counted once too. */
	diag_reset();
	diag_collect(1);
	diag_error("b.md", 1, 0, "one");
	diag_error("b.md", 1, 0, "one");
	diag_error(NULL, 0, 0, "about no file");
	size_t n = 0;
	diag_collected(&n);
	CHECK(n == 2);
	CHECK(diag_error_lines() == 2);
	diag_collect(0);
	diag_reset();
}

/* util/text: control characters (C0 but tab, LF, CR; DEL; C1) become spaces; everything else,
 * invalid UTF-8 included, stays byte for byte. */
TEST(test_percent_encoded_and_suffix)
{
	struct buf b = BUF_INIT;
	buf_add_percent_encoded(&b, "/a b/\"x\"#?\x7f/\xd0\xb6", "\"#?\x7f", 0);
	CHECK_STR(buf_str(&b), "/a%20b/%22x%22%23%3F%7F/\xd0\xb6");
	buf_reset(&b);
	buf_add_percent_encoded(&b, "/\xd0\xb6;", ";", 1);
	CHECK_STR(buf_str(&b), "/%D0%B6%3B");
	struct buf d = BUF_INIT;
	buf_add_percent_decoded(&d, buf_str(&b), b.len);
	CHECK_STR(buf_str(&d), "/\xd0\xb6;");
	buf_free(&b);
	buf_free(&d);
	CHECK(text_has_suffix("index.html", ".html"));
	CHECK(text_has_suffix("x", ""));
	CHECK(!text_has_suffix("html", ".html"));
	CHECK(!text_has_suffix("a.htm", ".html"));
}

TEST(test_text_controls_to_spaces)
{
	char s[] = "a\x1c" "b\x01\x1f\x7f" "c\td\ne\rf\xc2\x80g\xc2\x9f" "h\xc2\xa0i\xc2\x85\x00j\xc3\x85\xff\xc2";
	size_t n = sizeof s - 1;
	struct text_controls c;
	n = text_controls_to_spaces(s, n, &c);
	CHECK(c.count == 8 && c.first_cp == 0x1c && c.first_off == 1);
	CHECK(n == sizeof s - 1 - 3);
	CHECK(memcmp(s, "a b   c\td\ne\rf g h\xc2\xa0i  j\xc3\x85\xff\xc2", n) == 0);
	CHECK(s[n] == '\0');
	char t[] = "clean \xd0\x96 text\t\n";
	CHECK(text_find_control(t, strlen(t)) == strlen(t));
	CHECK(text_controls_to_spaces(t, strlen(t), &c) == strlen(t) && c.count == 0);
	CHECK_STR(t, "clean \xd0\x96 text\t\n");
	CHECK(text_find_control("ab\xc2\x9b", 4) == 2);
	CHECK(text_find_control("ab\xc2", 3) == 3); /* a lead byte at the end is no C1 */
	CHECK(text_controls_to_spaces(NULL, 0, NULL) == 0);
}

/* The escapers copy runs of plain bytes whole: each is checked against its definition, byte by
 * byte, on every byte value, on runs of special ones, at both ends, and on U+2028, U+2029 and
 * their neighbours, whole and cut short. */
static void
json_escaped_slowly(struct buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			buf_puts(b, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)c);
		} else if (c == '\n') {
			buf_puts(b, "\\n");
		} else if (c == '\r') {
			buf_puts(b, "\\r");
		} else if (c == '\t') {
			buf_puts(b, "\\t");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			buf_printf(b, "\\u%04x", c);
		} else {
			buf_putc(b, (char)c);
		}
	}
}

static void
html_escaped_slowly(struct buf *b, const char *s, size_t n, int apos)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, apos ? "&#39;" : "'"); break;
		default: buf_putc(b, s[i]);
		}
}

TEST(test_escapers_by_runs)
{
	struct buf in = BUF_INIT;
	buf_puts(&in, "\"&");
	for (int c = 255; c >= 0; c--)
		buf_putc(&in, (char)c);
	buf_puts(&in, "&&<<>>\"\"''\\\\x\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa\xe2\x81\xa8y\xe2\x80");
	buf_puts(&in, "plain text of some length, longer than a word, with no special byte in it <");
	buf_puts(&in, "\xe2\x80\xa8");
	/* Every prefix: a string ending in the middle of anything. */
	for (size_t n = 0; n <= in.len; n++) {
		struct buf want = BUF_INIT, got = BUF_INIT;
		buf_puts(&got, "^");
		buf_puts(&want, "^");
		json_escaped_slowly(&want, in.data, n);
		buf_add_json_escaped(&got, in.data, n);
		CHECK(got.len == want.len && memcmp(got.data, want.data, want.len) == 0 &&
		      got.data[got.len] == '\0');
		for (int apos = 0; apos < 2; apos++) {
			buf_reset(&want);
			buf_reset(&got);
			html_escaped_slowly(&want, in.data, n, apos);
			(apos ? buf_add_html_escaped : buf_add_code_escaped)(&got, in.data, n);
			CHECK(got.len == want.len && memcmp(got.data, want.data, want.len) == 0 &&
			      got.data[got.len] == '\0');
		}
		buf_free(&want);
		buf_free(&got);
	}
	buf_free(&in);
}

int
main(void)
{
	if (mkdtemp(tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_path_is_safe);
	RUN(test_join);
	RUN(test_walk_sorted);
	RUN(test_walk_of_nothing);
	RUN(test_read_write_copy);
	RUN(test_read_fits_the_file);
	RUN(test_mkdir_p);
	RUN(test_rm_rf);
	RUN(test_value_map_set_replace_take);
	RUN(test_value_strings);
	RUN(test_value_copy);
	RUN(test_value_deref);
	RUN(test_value_list_growth);
	RUN(test_value_type_names);
	if (fs_rm_rf(tmp) < 0 || fs_exists(tmp)) {
		fprintf(stderr, "could not remove %s\n", tmp);
		test_failed++;
	}
	RUN(test_diag_caps_warnings_per_file_and_prints_each_once);
	RUN(test_diag_error_lines_count_what_is_printed_or_kept);
	RUN(test_percent_encoded_and_suffix);
	RUN(test_text_controls_to_spaces);
	RUN(test_escapers_by_runs);
	return TEST_END();
}
