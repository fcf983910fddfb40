/* template: compiles theme templates to Lua, caches the chunks per engine and runs them in a
 * sandbox with bounded memory and CPU time. It owns the Lua state and everything in it; it
 * leaves what the data means, and which helpers exist, to the caller. */
#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "util/diag.h"
#include "util/map.h"
#include "util/timing.h"
#include "util/xalloc.h"

#define DEFAULT_MEM    ((size_t)256 << 20)
#define DEFAULT_MS     2000UL
#define POLL_STEP      10000 /* instructions or calls between looks at the clock, without a timer */
#define STOP_MASK      (LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT)
#define HELPER_ARGS    8     /* helper arguments converted on the C stack */
#define KEY_SLOTS      256   /* map keys whose Lua strings an engine keeps */
#define KEY_MAX        24    /* longer keys are not kept */
#define MAX_NEST       200   /* data nesting for conversions (a reference cycle ends here) */
#define MAX_BLOCKS     32    /* nested {% block %} in one template */
#define BLOCK_NAME_MAX 64
#define SCRATCH_KEEP   ((size_t)1 << 20) /* bigger scratch buffers are freed after use */
#define NONE           ((size_t)-1)

struct key_slot {
	int ref; /* the Lua string, in the registry; 0 when the slot is free */
	unsigned char len;
	char s[KEY_MAX];
};

struct tmpl_engine {
	lua_State *L;
	const char *const *dirs;
	size_t ndirs;
	size_t mem, mem_limit;           /* bytes the Lua state holds, and may hold */
	unsigned long time_limit;        /* CPU milliseconds per render */
	struct buf *out;                 /* where _out and _put write; NULL between renders */
	void *payload;                   /* for helpers, during a render */
	struct buf **pbufs;              /* one output buffer per nesting level of partial() */
	size_t npbufs, pdepth;
	struct value **held;             /* what the running helper call made, see hold() */
	size_t nheld, cheld;
	char *herr;                      /* and its error message */
	struct value *hargv;             /* helper arguments past HELPER_ARGS */
	const struct value **hargp;
	size_t hcap;
	struct key_slot keys[KEY_SLOTS]; /* see push_key */
	struct buf scratch;              /* for C functions that build a string and call no Lua */
	struct buf top_path;             /* template of the running render, for errors without a line */
	struct buf err_path, err_msg;    /* the last error, copied out of Lua */
	int err_line;
	struct buf subject;              /* what the renders are for, see tmpl_engine_set_subject */
	int limit_hit;                   /* the running render was refused memory */
	size_t refs_floor;               /* bytes the state held after the refs cache was last
	                                  * dropped (see drop_refs) */
	struct buf used;                 /* "\nname\n…": templates used since tmpl_take_used */
	struct map exists;               /* tmpl_exists' answers, by name: the folders do not
	                                  * change under one engine (a run makes new ones) */
};

/* Registry keys: only their addresses matter. */
static char k_cache, k_refs, k_safe, k_list, k_locerr, k_envmt, k_base, k_box, k_frozen;

/* ---- Compiling template text to Lua source ---------------------------------------------- */

/* The generated source keeps every template line on the same Lua line: the prelude and the
 * epilogue add no newline, literal text keeps its newlines as backslash-newline inside quoted
 * strings, and whatever a tag drops is replaced by its newlines. _blk renders a block: the
 * override a child registered in _B, or the default body. */
static const char prelude[] =
	"local _out, _put, _inc = ... "
	"local function _blk(b, n, f) local o = b[n] if o then o() else f() end end "
	"return function(_ENV, _B) ";

struct comp {
	const char *s;
	size_t n;
	struct buf *out;
	size_t lpos;   /* line_at has counted the newlines before lpos */
	int lline;
	int child;     /* the template extends another: top-level output is dropped */
	int ntags;     /* tags other than comments seen so far */
	char *base;    /* the name given to extends */
	struct {
		char name[BLOCK_NAME_MAX];
		int line;
	} blocks[MAX_BLOCKS];
	int depth;
	char *err;
};

static int
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static int
is_ident(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* The one-based line of position pos; positions must not go backwards. */
static int
line_at(struct comp *c, size_t pos)
{
	for (; c->lpos < pos; c->lpos++)
		if (c->s[c->lpos] == '\n')
			c->lline++;
	return c->lline;
}

static int __attribute__((format(printf, 3, 4)))
fail(struct comp *c, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->err == NULL)
		c->err = xasprintf("line %d: %s", line, msg);
	return -1;
}

static void
emit_newlines(struct comp *c, size_t a, size_t b)
{
	for (; a < b; a++)
		if (c->s[a] == '\n')
			buf_putc(c->out, '\n');
}

/* A Lua quoted string in the style of %q: a newline stays a (backslash-escaped) newline. */
static void
emit_lstr(struct buf *out, const char *s, size_t n)
{
	buf_grow(out, n + 2);
	buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\\' || ch == '"') {
			buf_putc(out, '\\');
			buf_putc(out, (char)ch);
		} else if (ch == '\n') {
			buf_add(out, "\\\n", 2);
		} else if (ch == '\r') {
			buf_add(out, "\\r", 2);
		} else if (ch < 0x20 || ch == 0x7f) {
			buf_printf(out, "\\%03u", (unsigned)ch); /* three digits: a digit after it stays text */
		} else {
			buf_putc(out, (char)ch);
		}
	}
	buf_putc(out, '"');
}

/* Copies Lua code verbatim, except that a lone CR (a line break to Lua, not to us) becomes a
 * space so the line numbers still agree. */
static void
emit_code(struct comp *c, size_t a, size_t b)
{
	for (; a < b; a++) {
		char ch = c->s[a];
		if (ch == '\r' && !(a + 1 < c->n && c->s[a + 1] == '\n'))
			ch = ' ';
		buf_putc(c->out, ch);
	}
}

static int
discarding(const struct comp *c)
{
	return c->child && c->depth == 0;
}

static void
emit_text(struct comp *c, size_t a, size_t b, int ltrim, int rtrim)
{
	size_t a0 = a, b0 = b;
	if (ltrim)
		while (a < b && is_space(c->s[a]))
			a++;
	if (rtrim)
		while (b > a && is_space(c->s[b - 1]))
			b--;
	emit_newlines(c, a0, a);
	if (a < b) {
		if (discarding(c)) {
			emit_newlines(c, a, b);
		} else {
			buf_puts(c->out, "_out(");
			emit_lstr(c->out, c->s + a, b - a);
			buf_puts(c->out, ");");
		}
	}
	emit_newlines(c, b, b0);
}

static size_t
skip_quoted(const char *s, size_t i, size_t n)
{
	char q = s[i++];
	while (i < n && s[i] != q && s[i] != '\n') {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		i++;
	}
	return i < n && s[i] == q ? i + 1 : i;
}

/* The level of the long bracket [==[ at s[i], or -1. */
static int
long_open(const char *s, size_t i, size_t n)
{
	if (i >= n || s[i] != '[')
		return -1;
	size_t j = i + 1;
	int lv = 0;
	while (j < n && s[j] == '=')
		j++, lv++;
	return j < n && s[j] == '[' ? lv : -1;
}

/* Just past the ]==] of level lv that closes a long bracket whose body starts at i, or NONE. */
static size_t
long_close(const char *s, size_t i, size_t n, int lv)
{
	for (; i < n; i++) {
		if (s[i] != ']')
			continue;
		size_t j = i + 1;
		int k = 0;
		while (j < n && s[j] == '=')
			j++, k++;
		if (k == lv && j < n && s[j] == ']')
			return j + 1;
	}
	return NONE;
}

/* Finds the closing "}}" or "%}" (close is '}' or '%') of a tag whose code starts at i, skipping
 * Lua strings and comments, and "}}" that closes a table constructor. Returns its position or
 * NONE. *cut is where the code ends: a line comment that runs into the delimiter is dropped. */
static size_t
scan_code(const char *s, size_t i, size_t n, char close, size_t *cut)
{
	int depth = 0;
	while (i < n) {
		char ch = s[i];
		if (ch == '"' || ch == '\'') {
			i = skip_quoted(s, i, n);
			continue;
		}
		if (ch == '[') {
			int lv = long_open(s, i, n);
			if (lv >= 0) {
				if ((i = long_close(s, i + (size_t)lv + 2, n, lv)) == NONE)
					return NONE;
				continue;
			}
		} else if (ch == '-' && i + 1 < n && s[i + 1] == '-') {
			int lv = long_open(s, i + 2, n);
			if (lv >= 0) {
				if ((i = long_close(s, i + (size_t)lv + 4, n, lv)) == NONE)
					return NONE;
				continue;
			}
			size_t j;
			for (j = i + 2; j < n && s[j] != '\n'; j++) {
				if (s[j] == close && j + 1 < n && s[j + 1] == '}') {
					*cut = i;
					return j;
				}
			}
			i = j;
			continue;
		} else if (ch == close && depth == 0 && i + 1 < n && s[i + 1] == '}') {
			*cut = i;
			return i;
		} else if (close == '}' && ch == '{') {
			depth++;
		} else if (close == '}' && ch == '}' && depth > 0) {
			depth--;
		}
		i++;
	}
	return NONE;
}

static int
name_ok(const char *name)
{
	return name != NULL && name[0] != '\0' && name[0] != '/' && strstr(name, "..") == NULL;
}

/* Parses the quoted template name that fills [a, b) of a tag; returns it malloc'd, or NULL
 * after fail(). */
static char *
parse_name(struct comp *c, const char *tag, size_t a, size_t b, int line)
{
	const char *s = c->s;
	if (a >= b || (s[a] != '"' && s[a] != '\'')) {
		fail(c, line, "%s needs a quoted template name", tag);
		return NULL;
	}
	size_t e = a + 1;
	while (e < b && s[e] != s[a] && s[e] != '\\' && s[e] != '\n')
		e++;
	if (e >= b || s[e] != s[a]) {
		fail(c, line, "%s: bad template name", tag);
		return NULL;
	}
	for (size_t k = e + 1; k < b; k++) {
		if (!is_space(s[k])) {
			fail(c, line, "%s takes only a template name", tag);
			return NULL;
		}
	}
	char *name = xstrndup(s + a + 1, e - a - 1);
	if (!name_ok(name) || strlen(name) != e - a - 1) {
		fail(c, line, "%s: template name '%s' must be relative, without '..'", tag, name);
		free(name);
		return NULL;
	}
	return name;
}

static int
word_is(const char *s, size_t a, size_t w, const char *kw)
{
	size_t n = strlen(kw);
	return w - a == n && memcmp(s + a, kw, n) == 0;
}

/* A {% %} tag: extends/include/block/endblock, or Lua statements. [in, cut) is the code and
 * [q, end) the whole tag. */
static int
stmt_tag(struct comp *c, size_t q, size_t in, size_t cut, size_t end, int line)
{
	const char *s = c->s;
	size_t a = in, b = cut;
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	size_t w = a;
	while (w < b && is_ident(s[w]))
		w++;
	size_t r = w;
	while (r < b && is_space(s[r]))
		r++;
	if (w < b && !is_space(s[w]) && s[w] != '"' && s[w] != '\'')
		w = a; /* "block.x = 1" or "include(...)" is Lua, not a keyword */

	if (word_is(s, a, w, "extends")) {
		if (c->ntags > 0)
			return fail(c, line, "extends must be the first tag of a template");
		if ((c->base = parse_name(c, "extends", r, b, line)) == NULL)
			return -1;
		c->child = 1;
		c->ntags++;
		emit_newlines(c, q, end);
		return 0;
	}
	c->ntags++;
	if (word_is(s, a, w, "include")) {
		char *name = parse_name(c, "include", r, b, line);
		if (name == NULL)
			return -1;
		if (!discarding(c)) {
			buf_puts(c->out, " _inc(");
			emit_lstr(c->out, name, strlen(name));
			buf_puts(c->out, ", _ENV);");
		}
		free(name);
	} else if (word_is(s, a, w, "block")) {
		size_t k = r;
		while (k < b && (is_ident(s[k]) || s[k] == '-'))
			k++;
		if (k == r || k != b)
			return fail(c, line, "block needs a name (letters, digits, '_', '-')");
		if (k - r >= BLOCK_NAME_MAX)
			return fail(c, line, "block name is too long");
		if (c->depth == MAX_BLOCKS)
			return fail(c, line, "blocks are nested too deeply");
		if (c->child && c->depth == 0) {
			/* A child registers its blocks; the most derived template registers first. */
			buf_puts(c->out, " if _B[");
			emit_lstr(c->out, s + r, k - r);
			buf_puts(c->out, "] == nil then _B[");
			emit_lstr(c->out, s + r, k - r);
			buf_puts(c->out, "] = function() ");
		} else {
			buf_puts(c->out, " _blk(_B, ");
			emit_lstr(c->out, s + r, k - r);
			buf_puts(c->out, ", function() ");
		}
		memcpy(c->blocks[c->depth].name, s + r, k - r);
		c->blocks[c->depth].name[k - r] = '\0';
		c->blocks[c->depth].line = line;
		c->depth++;
	} else if (word_is(s, a, w, "endblock")) {
		if (c->depth == 0)
			return fail(c, line, "endblock without a block");
		const char *open = c->blocks[c->depth - 1].name;
		if (r < b && (b - r != strlen(open) || memcmp(s + r, open, b - r) != 0))
			return fail(c, line, "endblock %.*s closes block %s", (int)(b - r), s + r, open);
		c->depth--;
		buf_puts(c->out, c->child && c->depth == 0 ? " end end;" : " end);");
	} else {
		/* The ';' keeps "(f)()" in the next tag from calling what this one ends with. */
		buf_putc(c->out, ' ');
		emit_code(c, in, cut);
		buf_puts(c->out, " ;");
		emit_newlines(c, cut, end);
		return 0;
	}
	emit_newlines(c, q, end);
	return 0;
}

/* Compiles the tag that opens at q; sets *pos past it and *trim when it ends with a dash. */
static int
tag(struct comp *c, size_t q, int otrim, size_t *pos, int *trim)
{
	const char *s = c->s;
	char kind = s[q + 1];
	int line = line_at(c, q);
	size_t in = q + 2 + (otrim ? 1 : 0), close, cut;

	if (kind == '#') {
		for (close = in; close + 1 < c->n; close++)
			if (s[close] == '#' && s[close + 1] == '}')
				break;
		if (close + 1 >= c->n)
			return fail(c, line, "unclosed {# comment");
		cut = close;
	} else {
		close = scan_code(s, in, c->n, kind == '{' ? '}' : '%', &cut);
		if (close == NONE)
			return fail(c, line, "unclosed %s tag", kind == '{' ? "{{" : "{%");
	}
	int ctrim = close > in && s[close - 1] == '-';
	if (ctrim && cut > close - 1)
		cut = close - 1;
	size_t end = close + 2;
	*pos = end;
	*trim = ctrim;

	if (kind == '#') {
		emit_newlines(c, q, end);
		return 0;
	}
	if (kind == '%')
		return stmt_tag(c, q, in, cut, end, line);
	size_t a = in;
	while (a < cut && is_space(s[a]))
		a++;
	if (a == cut)
		return fail(c, line, "empty {{ }}");
	c->ntags++;
	if (discarding(c)) {
		emit_newlines(c, q, end);
		return 0;
	}
	buf_puts(c->out, "_put(");
	emit_code(c, in, cut);
	buf_puts(c->out, ");");
	emit_newlines(c, cut, end);
	return 0;
}

static size_t
find_open(const char *s, size_t pos, size_t n)
{
	while (pos + 1 < n) {
		const char *p = memchr(s + pos, '{', n - pos - 1);
		if (p == NULL)
			break;
		pos = (size_t)(p - s);
		if (s[pos + 1] == '{' || s[pos + 1] == '%' || s[pos + 1] == '#')
			return pos;
		pos++;
	}
	return n;
}

int
tmpl_compile(const char *text, size_t len, struct buf *out, char **err)
{
	struct comp c;
	size_t mark = out->len, pos = 0;
	int trim = 0;

	memset(&c, 0, sizeof c);
	c.s = text;
	c.n = len;
	c.out = out;
	c.lline = 1;
	*err = NULL;
	buf_puts(out, prelude);
	for (;;) {
		size_t q = find_open(text, pos, len);
		int otrim = q + 2 < len && text[q + 2] == '-';
		emit_text(&c, pos, q, trim, otrim);
		if (q == len)
			break;
		if (tag(&c, q, otrim, &pos, &trim) != 0)
			goto bad;
	}
	if (c.depth > 0) {
		fail(&c, c.blocks[c.depth - 1].line, "block %s is not closed",
		     c.blocks[c.depth - 1].name);
		goto bad;
	}
	if (c.child) {
		/* Not "return _inc(...)": a tail call would lose this template's line in errors. */
		buf_puts(out, " _inc(");
		emit_lstr(out, c.base, strlen(c.base));
		buf_puts(out, ", _ENV, _B) end");
	} else {
		buf_puts(out, " end");
	}
	free(c.base);
	return 0;
bad:
	out->len = mark;
	if (out->data != NULL)
		out->data[mark] = '\0';
	free(c.base);
	*err = c.err;
	return -1;
}

/* ---- The Lua side: small helpers -------------------------------------------------------- */

static struct tmpl_engine *
engine(lua_State *L)
{
	struct tmpl_engine *e;
	memcpy(&e, lua_getextraspace(L), sizeof e);
	return e;
}

/* Counts what the state holds and refuses to grow past the limit; Lua turns the refusal into a
 * memory error after one emergency collection. */
static void *
l_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct tmpl_engine *e = ud;
	size_t old = ptr != NULL ? osize : 0;
	if (nsize == 0) {
		free(ptr);
		e->mem -= old;
		return NULL;
	}
	if (nsize > old && e->mem + (nsize - old) > e->mem_limit) {
		e->limit_hit = 1;
		return NULL;
	}
	void *p = ptr != NULL ? realloc(ptr, nsize) : malloc(nsize);
	if (p == NULL)
		return NULL;
	e->mem = e->mem - old + nsize;
	return p;
}

/* ---- The time limit ----------------------------------------------------------------------
 * A count hook would send every VM instruction through Lua's hook dispatch. Instead, as lua.c
 * does for Ctrl-C, a CPU-time timer of the rendering thread raises a signal when the render has
 * used up its time, and only then does the handler install stop_hook. Timers are per thread,
 * made on a thread's first render: an engine may be made on one thread and used on another.
 * Where no timer can be made, a count hook looks at the thread's CPU clock now and then. */

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid
#endif

struct cpu_timer {
	timer_t id;
	int state; /* 0 not tried yet, 1 made, -1 cannot be made on this thread */
};

/* The outermost render running on this thread sets these; the signal handler reads them. */
static _Thread_local lua_State *volatile run_L;  /* the state to stop; NULL between renders */
static _Thread_local volatile sig_atomic_t run_expired;
static _Thread_local int run_poll;              /* no timer: the count hook polls the clock */
static _Thread_local uint64_t run_deadline;     /* thread CPU nanoseconds, when polling */
static _Thread_local unsigned run_calls;        /* calls seen by poll_hook */
static _Thread_local struct cpu_timer cpu_timer;
static _Thread_local char stuck_msg[1024];      /* what on_cpu_timer prints when it gives up */
static _Thread_local size_t stuck_len;
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;
static pthread_key_t timer_key;                 /* deletes a thread's timer when it exits */
static int timer_sig;                           /* 0 when no signal could be claimed */

static int l_msgh(lua_State *L);
static int safe_tostring(lua_State *L);

/* Stops the render. The first event raises the error, a call or a return too: a C loop calling
 * C functions runs no instruction. From then on only instructions do, so that a pcall in the
 * template cannot swallow the error while the message handler and the __close methods on the
 * way out still run. The handler, and what it calls, may be running when the signal comes:
 * they are let through. */
static void
stop_hook(lua_State *L, lua_Debug *ar)
{
	if (ar->event != LUA_HOOKCOUNT) {
		if (lua_getinfo(L, "f", ar)) {
			lua_CFunction f = lua_tocfunction(L, -1);
			lua_pop(L, 1);
			if (f == l_msgh || f == safe_tostring)
				return;
		}
		lua_sethook(L, stop_hook, LUA_MASKCOUNT, 1);
	}
	lua_pushliteral(L, "template ran too long");
	lua_error(L);
}

/* CPU seconds a render has, after its limit, to reach a Lua instruction, call or return. */
#define STUCK_GRACE_S 2

static void
on_cpu_timer(int sig)
{
	lua_State *L = run_L;
	if (L == NULL)
		return;
	if (run_expired) {
		/* Asked to stop STUCK_GRACE_S ago, and not one instruction, call or return since: the
		 * render is inside one C function that does not come back (a string pattern that
		 * backtracks without end, say). Nothing can unwind it from here; the build output is
		 * still in its temporary folder, so ending the process leaves the published one as it
		 * was. Only async-signal-safe calls. */
		ssize_t w = write(2, stuck_msg, stuck_len);
		(void)w;
		_exit(1);
	}
	run_expired = 1;
	lua_sethook(L, stop_hook, STOP_MASK, 1);
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = STUCK_GRACE_S;
	timer_settime(cpu_timer.id, 0, &its, NULL);
}

static uint64_t
cpu_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0 &&
	    clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return UINT64_MAX;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Without a timer: looks at the clock every POLL_STEP instructions, and every POLL_STEP calls
 * (for C loops calling C functions). */
static void
poll_hook(lua_State *L, lua_Debug *ar)
{
	if (ar->event != LUA_HOOKCOUNT && ++run_calls % POLL_STEP != 0)
		return;
	if (cpu_now() < run_deadline)
		return;
	run_expired = 1;
	lua_sethook(L, stop_hook, STOP_MASK, 1);
	stop_hook(L, ar);
}

static void
timer_destroy(void *p)
{
	struct cpu_timer *t = p;
	if (t->state == 1)
		timer_delete(t->id);
	t->state = 0;
}

/* Claims a real-time signal nobody handles yet, once per process. */
static void
timer_setup(void)
{
	if (pthread_key_create(&timer_key, timer_destroy) != 0)
		return;
	for (int sig = SIGRTMIN + 4; sig <= SIGRTMAX; sig++) {
		struct sigaction sa, old;
		if (sigaction(sig, NULL, &old) != 0 || old.sa_handler != SIG_DFL)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_cpu_timer;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		if (sigaction(sig, &sa, NULL) == 0) {
			timer_sig = sig;
			return;
		}
	}
}

/* This thread's CPU-time timer, made on first use; NULL when there is none. */
static struct cpu_timer *
thread_timer(void)
{
	struct cpu_timer *t = &cpu_timer;
	if (t->state != 0)
		return t->state == 1 ? t : NULL;
	t->state = -1;
	pthread_once(&timer_once, timer_setup);
	if (timer_sig == 0)
		return NULL;
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = timer_sig;
	sev.sigev_notify_thread_id = gettid();
	if (timer_create(CLOCK_THREAD_CPUTIME_ID, &sev, &t->id) != 0)
		return NULL;
	if (pthread_setspecific(timer_key, t) != 0) {
		timer_delete(t->id);
		return NULL;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, timer_sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	t->state = 1;
	return t;
}

static int
timer_set(struct cpu_timer *t, unsigned long ms)
{
	struct itimerspec its;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
	return timer_settime(t->id, 0, &its, NULL);
}

/* Starts the clock for a render of L on this thread. A render started from inside another
 * (a helper rendering with a second engine) shares the outer one's time. Returns the state of
 * the enclosing render, for limit_stop. */
static lua_State *
limit_start(lua_State *L, unsigned long ms)
{
	lua_State *outer = run_L;
	run_L = L; /* before the timer is armed: its signal must find the state */
	if (outer == NULL) {
		struct cpu_timer *t = thread_timer();
		run_expired = 0;
		run_poll = t == NULL || timer_set(t, ms) != 0;
		if (run_poll)
			run_deadline = cpu_now() + (uint64_t)ms * 1000000u;
	}
	if (run_expired)
		lua_sethook(L, stop_hook, STOP_MASK, 1);
	else if (run_poll)
		lua_sethook(L, poll_hook, LUA_MASKCOUNT | LUA_MASKCALL, POLL_STEP);
	return outer;
}

static void
limit_stop(lua_State *L, lua_State *outer)
{
	if (outer == NULL && !run_poll)
		timer_set(&cpu_timer, 0); /* a signal already on its way arrives before this returns */
	run_L = outer;
	lua_sethook(L, NULL, 0, 0);
	if (outer != NULL && run_expired)
		lua_sethook(outer, stop_hook, STOP_MASK, 1);
}

static int
has_mt(lua_State *L, int idx, const void *key)
{
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
	int same = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return same;
}

static void
set_mt(lua_State *L, const void *key)
{
	lua_rawgetp(L, LUA_REGISTRYINDEX, key);
	lua_setmetatable(L, -2);
}

/* A safe string is {text} with a private metatable: already HTML, printed as is. */
static void
push_safe(lua_State *L, const char *s, size_t n)
{
	lua_createtable(L, 1, 0);
	lua_pushlstring(L, s != NULL ? s : "", n);
	lua_rawseti(L, -2, 1);
	set_mt(L, &k_safe);
}

/* ---- Frozen tables ----------------------------------------------------------------------
 * What a render gets from a VALUE_REF (and the engine's globals) is converted once and reused by
 * later renders, so a render must not be able to change it: the next page would see the change,
 * and which page comes next depends on the threads. Each such table is an empty proxy whose
 * metatable reads through to the real table (kept as the metatable's k_frozen entry, never
 * given to templates) and refuses writes; tables inside it are proxies too. Functions of ours
 * that read tables raw (pairs, next, json, len, join, partial, helper arguments) read the real
 * table through frozen_target. */

static int
l_frozen_write(lua_State *L)
{
	return luaL_error(L, "shared data (site, lang, listing entries, params…) cannot be changed; "
	                     "copy what you need into a table of your own");
}

/* Pushes the real table of frozen proxy idx and returns 1; pushes nothing and returns 0 when idx
 * is not a frozen proxy. */
static int
frozen_target(lua_State *L, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
		return 0;
	if (lua_rawgetp(L, -1, &k_frozen) != LUA_TTABLE) {
		lua_pop(L, 2);
		return 0;
	}
	lua_remove(L, -2);
	return 1;
}

static int
l_frozen_len(lua_State *L)
{
	lua_Integer n = 0;
	if (frozen_target(L, 1)) {
		n = (lua_Integer)lua_rawlen(L, -1);
		lua_pop(L, 1);
	}
	lua_pushinteger(L, n);
	return 1;
}

/* Replaces the table on top with a frozen proxy of it. Needs 3 free stack slots. */
static void
freeze(lua_State *L)
{
	lua_createtable(L, 0, 0);                               /* t proxy */
	lua_createtable(L, 0, 4);                               /* t proxy mt */
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_frozen_write);
	lua_setfield(L, -2, "__newindex");
	lua_pushcfunction(L, l_frozen_len);
	lua_setfield(L, -2, "__len");
	lua_pushvalue(L, -3);
	lua_rawsetp(L, -2, &k_frozen);
	lua_setmetatable(L, -2);                                /* t proxy */
	lua_remove(L, -2);                                      /* proxy */
}

/* next(t [, k]) of the sandbox: Lua's, reading a frozen table's real one. */
static int
l_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 2);
	if (frozen_target(L, 1))
		lua_replace(L, 1);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

/* The text of safe string idx. The pointer stays valid while that table lives unchanged. */
static const char *
safe_str(lua_State *L, int idx, size_t *len)
{
	const char *s = "";
	*len = 0;
	if (lua_rawgeti(L, idx, 1) == LUA_TSTRING)
		s = lua_tolstring(L, -1, len);
	lua_pop(L, 1);
	return s;
}

/* The printed form of a string, number, boolean or safe string (NULL for anything else).
 * Integers print as integers and floats with %.14g, so 4.0 prints as 4. */
static const char *
text_of(lua_State *L, int idx, char *tmp, size_t tmplen, size_t *len, int *safe)
{
	*safe = 0;
	switch (lua_type(L, idx)) {
	case LUA_TSTRING:
		return lua_tolstring(L, idx, len);
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			snprintf(tmp, tmplen, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
		else
			snprintf(tmp, tmplen, "%.14g", (double)lua_tonumber(L, idx));
		*len = strlen(tmp);
		return tmp;
	case LUA_TBOOLEAN:
		*len = lua_toboolean(L, idx) ? 4 : 5;
		return lua_toboolean(L, idx) ? "true" : "false";
	case LUA_TTABLE:
		if (!has_mt(L, idx, &k_safe))
			return NULL;
		*safe = 1;
		return safe_str(L, idx, len);
	}
	return NULL;
}

static void
check_out(lua_State *L, struct tmpl_engine *e)
{
	if (e->out->len > e->mem_limit) {
		e->limit_hit = 1;
		luaL_error(L, "template output is larger than the memory limit");
	}
}

static void
scratch_done(struct tmpl_engine *e)
{
	if (e->scratch.cap > SCRATCH_KEEP)
		buf_free(&e->scratch);
}

static void
push_scratch_safe(lua_State *L, struct tmpl_engine *e)
{
	push_safe(L, e->scratch.data, e->scratch.len);
	scratch_done(e);
}

static void
new_env(lua_State *L)
{
	lua_createtable(L, 0, 8);
	set_mt(L, &k_envmt);
}

/* A C allocation that must not leak when Lua raises an error: the box frees what it holds
 * when it is collected, or at once with box_clear. */
struct box {
	char *s[3];
};

static void
box_clear(struct box *b)
{
	for (size_t i = 0; i < sizeof b->s / sizeof b->s[0]; i++)
		free(b->s[i]);
	memset(b, 0, sizeof *b);
}

static int
box_gc(lua_State *L)
{
	box_clear(lua_touserdata(L, 1));
	return 0;
}

static struct box *
box_new(lua_State *L)
{
	struct box *b = lua_newuserdatauv(L, sizeof *b, 0);
	memset(b, 0, sizeof *b);
	set_mt(L, &k_box);
	return b;
}

/* ---- Errors ------------------------------------------------------------------------------ */

/* A located error: {path=, line=, msg=}. Made once by the message handler (or for a compile
 * error) and passed through unchanged when partial() re-raises it. */
static void
push_locerr(lua_State *L, const char *path, int line, const char *msg)
{
	lua_createtable(L, 0, 3);
	if (path != NULL) {
		lua_pushstring(L, path);
		lua_setfield(L, -2, "path");
	}
	lua_pushinteger(L, line);
	lua_setfield(L, -2, "line");
	lua_pushstring(L, msg);
	lua_setfield(L, -2, "msg");
	set_mt(L, &k_locerr);
}

static int
locerr_tostring(lua_State *L)
{
	lua_getfield(L, 1, "path");
	lua_getfield(L, 1, "line");
	lua_getfield(L, 1, "msg");
	if (lua_isstring(L, 2))
		lua_pushfstring(L, "%s:%d: %s", lua_tostring(L, 2), (int)lua_tointeger(L, 3),
		                lua_tostring(L, 4));
	else
		lua_pushstring(L, lua_tostring(L, 4));
	return 1;
}

/* If msg starts with "P:N: " where P is path, or the "...tail" that Lua makes of a long path,
 * returns what follows and sets *line to N; else NULL. */
static const char *
match_pos(const char *msg, const char *path, int *line)
{
	size_t plen = strlen(path);
	for (const char *p = strchr(msg, ':'); p != NULL; p = strchr(p + 1, ':')) {
		size_t k = (size_t)(p - msg);
		if (k > plen + 3)
			break;
		int same = (k == plen && memcmp(msg, path, k) == 0) ||
		           (k > 3 && memcmp(msg, "...", 3) == 0 &&
		            memcmp(msg + 3, path + plen - (k - 3), k - 3) == 0);
		const char *d = p + 1;
		if (!same || !isdigit((unsigned char)*d))
			continue;
		long v = 0;
		while (isdigit((unsigned char)*d)) {
			if (v < 100000000)
				v = v * 10 + (*d - '0');
			d++;
		}
		if (*d != ':')
			continue;
		*line = (int)v;
		d++;
		return *d == ' ' ? d + 1 : d;
	}
	return NULL;
}

/* The message handler: turns any error into a located error, using the position in the message
 * when it names a template on the stack (by its full path, not Lua's shortened one), else the
 * innermost template frame. */
static int
l_msgh(lua_State *L)
{
	if (has_mt(L, 1, &k_locerr))
		return 1;
	const char *msg;
	if (lua_type(L, 1) == LUA_TSTRING)
		msg = lua_tostring(L, 1);
	else if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
		msg = lua_tostring(L, -1);
	else
		msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));

	const char *path = NULL, *rest = msg, *fpath = NULL;
	int line = 0, fline = 0;
	lua_Debug ar;
	for (int lv = 0; lv < 64 && lua_getstack(L, lv, &ar); lv++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.source == NULL || ar.source[0] != '@')
			continue;
		const char *r = match_pos(msg, ar.source + 1, &line);
		if (r != NULL) {
			path = ar.source + 1;
			rest = r;
			break;
		}
		if (fpath == NULL) {
			fpath = ar.source + 1;
			fline = ar.currentline;
		}
	}
	if (path == NULL) {
		path = fpath;
		line = fline > 0 ? fline : 0;
	}
	push_locerr(L, path, line, rest);
	return 1;
}

/* Copies the error object at 1 into the engine (protected: reading it may allocate). */
static int
l_extract(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	size_t n;
	const char *s;
	if (has_mt(L, 1, &k_locerr)) {
		lua_getfield(L, 1, "path");
		if ((s = lua_tolstring(L, -1, &n)) != NULL)
			buf_add(&e->err_path, s, n);
		lua_getfield(L, 1, "line");
		e->err_line = (int)lua_tointeger(L, -1);
		lua_getfield(L, 1, "msg");
	} else {
		lua_pushvalue(L, 1);
	}
	if ((s = lua_tolstring(L, -1, &n)) != NULL)
		buf_add(&e->err_msg, s, n);
	else
		buf_puts(&e->err_msg, "unknown error");
	return 0;
}

/* " while rendering SUBJECT" after an error that the data being rendered may cause (a limit of
 * time or memory), where a template error alone does not say which page to look at. */
static const char *
subject(const struct tmpl_engine *e, int status, struct buf *tmp)
{
	if (e->subject.len == 0 || !(status == LUA_ERRMEM || run_expired || e->limit_hit))
		return "";
	buf_printf(tmp, " while rendering %s", buf_str(&e->subject));
	return buf_str(tmp);
}

static void
report(struct tmpl_engine *e, int status)
{
	lua_State *L = e->L;
	const char *top = buf_str(&e->top_path);
	struct buf tmp = BUF_INIT;

	if (status == LUA_ERRMEM) {
		lua_gc(L, LUA_GCCOLLECT);
		diag_error(top, 0, 0, "out of memory (the template memory limit is %zu bytes)%s",
		           e->mem_limit, subject(e, status, &tmp));
		buf_free(&tmp);
		return;
	}
	buf_reset(&e->err_path);
	buf_reset(&e->err_msg);
	e->err_line = 0;
	lua_pushcfunction(L, l_extract);
	lua_insert(L, -2);
	if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
		lua_gc(L, LUA_GCCOLLECT);
		diag_error(top, 0, 0, "template failed, and so did reporting why%s",
		           subject(e, status, &tmp));
		buf_free(&tmp);
		return;
	}
	diag_error(e->err_path.len > 0 ? buf_str(&e->err_path) : top, e->err_line, 0, "%s%s",
	           buf_str(&e->err_msg), subject(e, status, &tmp));
	buf_free(&tmp);
}

/* ---- Values to Lua and back --------------------------------------------------------------- */

static void push_value_in(lua_State *L, const struct value *v, int depth, int frozen);
#define push_value(L, v, depth) push_value_in((L), (v), (depth), 0)

/* Pushes map key k. The same keys come back on every render (title, url, ...): a small cache
 * keeps their Lua strings so that Lua need not hash and look them up again. */
static void
push_key(lua_State *L, struct tmpl_engine *e, const char *k)
{
	uint32_t h = 2166136261u;
	size_t n;
	for (n = 0; k[n] != '\0'; n++)
		h = (h ^ (unsigned char)k[n]) * 16777619u;
	if (n >= KEY_MAX) {
		lua_pushlstring(L, k, n);
		return;
	}
	struct key_slot *ks = &e->keys[h % KEY_SLOTS];
	if (ks->ref != 0 && ks->len == n && memcmp(ks->s, k, n) == 0) {
		lua_rawgeti(L, LUA_REGISTRYINDEX, ks->ref);
		return;
	}
	lua_pushlstring(L, k, n);
	lua_pushvalue(L, -1);
	if (ks->ref == 0)
		ks->ref = luaL_ref(L, LUA_REGISTRYINDEX);
	else
		lua_rawseti(L, LUA_REGISTRYINDEX, ks->ref);
	memcpy(ks->s, k, n);
	ks->len = (unsigned char)n;
}

/* Fills the table on top with list or map v. Lists get a marker metatable so json() still
 * knows an empty list from an empty map. */
static void
fill_table(lua_State *L, const struct value *v, int depth, int frozen)
{
	if (depth >= MAX_NEST && value_len(v) > 0)
		luaL_error(L, "data nested too deeply (a reference cycle?)");
	luaL_checkstack(L, 6, "data nested too deeply");
	if (v->type == VALUE_LIST) {
		for (size_t i = 0; i < v->u.list.len; i++) {
			push_value_in(L, v->u.list.items[i], depth + 1, frozen);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		set_mt(L, &k_list);
		if (frozen)
			freeze(L);
		return;
	}
	struct tmpl_engine *e = engine(L);
	for (size_t i = 0; i < v->u.map.len; i++) {
		push_key(L, e, v->u.map.keys[i]);
		push_value_in(L, v->u.map.vals[i], depth + 1, frozen);
		lua_rawset(L, -3);
	}
	if (frozen)
		freeze(L);
}

/* A reference's target outlives the engine, so it is converted once and kept in the registry.
 * It is cached only when complete: a memory error half way must not leave half a table. */
static void
push_ref(lua_State *L, const struct value *t, int depth)
{
	if (depth >= MAX_NEST)
		luaL_error(L, "data nested too deeply (a reference cycle?)");
	if (t == NULL) {
		lua_pushnil(L);
		return;
	}
	luaL_checkstack(L, 4, "data nested too deeply");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_refs);            /* refs */
	if (lua_rawgetp(L, -1, t) != LUA_TNIL) {               /* refs v */
		lua_remove(L, -2);
		return;
	}
	lua_pop(L, 1);                                         /* refs */
	push_value_in(L, t, depth + 1, 1);                     /* refs v */
	lua_pushvalue(L, -1);
	lua_rawsetp(L, -3, t);
	lua_remove(L, -2);                                     /* v */
}

/* Pushes v. It needs one free stack slot; a list, map or reference checks for what it needs. */
static void
push_value_in(lua_State *L, const struct value *v, int depth, int frozen)
{
	if (v == NULL) {
		lua_pushnil(L);
		return;
	}
	switch (v->type) {
	case VALUE_NULL:
		lua_pushnil(L);
		break;
	case VALUE_BOOL:
		lua_pushboolean(L, v->u.b);
		break;
	case VALUE_INT:
		lua_pushinteger(L, (lua_Integer)v->u.i);
		break;
	case VALUE_FLOAT:
		lua_pushnumber(L, (lua_Number)v->u.f);
		break;
	case VALUE_STRING:
		if (v->html)
			push_safe(L, v->u.str.s, v->u.str.len);
		else
			lua_pushlstring(L, v->u.str.s != NULL ? v->u.str.s : "", v->u.str.len);
		break;
	case VALUE_LIST:
		lua_createtable(L, (int)(v->u.list.len < 1000000 ? v->u.list.len : 0), 0);
		fill_table(L, v, depth, frozen);
		break;
	case VALUE_MAP:
		lua_createtable(L, 0, (int)(v->u.map.len < 1000000 ? v->u.map.len : 0));
		fill_table(L, v, depth, frozen);
		break;
	case VALUE_REF:
		if (v->once) {
			/* Converted for this render only, like data of its own. */
			if (depth >= MAX_NEST)
				luaL_error(L, "data nested too deeply (a reference cycle?)");
			push_value_in(L, v->u.ref, depth + 1, frozen);
		} else {
			push_ref(L, v->u.ref, depth);
		}
		break;
	}
}

/* Is the table at idx (absolute) exactly the sequence 1..n? Returns n (0 when empty), or -1. */
static lua_Integer
seq_len(lua_State *L, int idx)
{
	lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		lua_Integer k = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
		if (k < 1 || k > n) {
			lua_pop(L, 1);
			return -1;
		}
		count++;
	}
	return count == n ? n : -1;
}

/* Converts the Lua value at idx for a helper. It calls nothing that can raise a Lua error (no
 * allocation inside Lua), so the partial tree can be freed on failure: returns NULL and sets
 * *why then. */
static struct value *
to_value(lua_State *L, int idx, int depth, const char **why)
{
	char tmp[64];
	size_t n;
	int safe;
	const char *s;

	idx = lua_absindex(L, idx);
	switch (lua_type(L, idx)) {
	case LUA_TNONE:
	case LUA_TNIL:
		return value_new_null();
	case LUA_TBOOLEAN:
		return value_new_bool(lua_toboolean(L, idx));
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			return value_new_int((int64_t)lua_tointeger(L, idx));
		return value_new_float((double)lua_tonumber(L, idx));
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &n);
		return value_new_stringn(s, n);
	case LUA_TTABLE:
		break;
	default:
		*why = "functions and other Lua objects cannot be passed";
		return NULL;
	}
	if (has_mt(L, idx, &k_safe)) {
		s = safe_str(L, idx, &n);
		struct value *v = value_new_stringn(s, n);
		v->html = 1;
		return v;
	}
	if (depth > MAX_NEST || !lua_checkstack(L, 4)) {
		*why = "table nested too deeply (a cycle?)";
		return NULL;
	}
	if (frozen_target(L, idx)) {
		struct value *real = to_value(L, -1, depth, why);
		lua_pop(L, 1);
		return real;
	}
	lua_Integer len = seq_len(L, idx);
	struct value *out;
	if (len > 0 || (len == 0 && has_mt(L, idx, &k_list))) {
		out = value_new_list();
		for (lua_Integer i = 1; i <= len; i++) {
			lua_rawgeti(L, idx, i);
			struct value *item = to_value(L, -1, depth + 1, why);
			lua_pop(L, 1);
			if (item == NULL)
				goto fail;
			value_list_push(out, item);
		}
		return out;
	}
	out = value_new_map();
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		/* Format number keys ourselves: lua_tolstring would change the key under lua_next. */
		if (lua_type(L, -2) == LUA_TSTRING)
			s = lua_tostring(L, -2);
		else if (lua_type(L, -2) == LUA_TNUMBER)
			s = text_of(L, -2, tmp, sizeof tmp, &n, &safe);
		else
			s = NULL;
		if (s == NULL) {
			lua_pop(L, 2);
			*why = "table keys must be strings or numbers";
			goto fail;
		}
		struct value *item = to_value(L, -1, depth + 1, why);
		lua_pop(L, 1);
		if (item == NULL) {
			lua_pop(L, 1);
			goto fail;
		}
		value_map_set(out, s, item);
	}
	value_map_sort(out); /* not in the order Lua's hash seed gives */
	return out;
fail:
	value_free(out);
	return NULL;
}

/* ---- Sorted iteration: pairs() and json() must not depend on Lua's per-state hash seed ---- */

struct skey {
	int rank; /* numbers, strings, booleans, the rest */
	int isint;
	lua_Integer i;
	lua_Number f;
	const char *s;
	size_t len;
	lua_Integer pos;
};

static int
skey_cmp(const void *a, const void *b)
{
	const struct skey *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	switch (x->rank) {
	case 0:
		if (x->isint && y->isint)
			return x->i < y->i ? -1 : x->i > y->i;
		return x->f < y->f ? -1 : x->f > y->f;
	case 1: {
		int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
		if (c != 0)
			return c;
		return x->len < y->len ? -1 : x->len > y->len;
	}
	case 2:
		return x->i < y->i ? -1 : x->i > y->i;
	}
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Pushes an array of the keys of table idx in a fixed order. */
static void
sorted_keys(lua_State *L, int idx)
{
	idx = lua_absindex(L, idx);
	lua_Integer n = 0;
	lua_newtable(L);                                        /* keys */
	int kt = lua_gettop(L);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		lua_pushvalue(L, -1);
		lua_rawseti(L, kt, ++n);
	}
	struct skey *k = lua_newuserdatauv(L, (size_t)n * sizeof *k + 1, 0); /* keys ud */
	for (lua_Integer j = 0; j < n; j++) {
		struct skey *p = &k[j];
		memset(p, 0, sizeof *p);
		p->pos = j + 1;
		switch (lua_rawgeti(L, kt, j + 1)) {
		case LUA_TNUMBER:
			p->rank = 0;
			p->isint = lua_isinteger(L, -1);
			p->i = lua_tointeger(L, -1);
			p->f = lua_tonumber(L, -1);
			break;
		case LUA_TSTRING:
			p->rank = 1;
			p->s = lua_tolstring(L, -1, &p->len); /* kept alive by the keys table */
			break;
		case LUA_TBOOLEAN:
			p->rank = 2;
			p->i = lua_toboolean(L, -1);
			break;
		default:
			p->rank = 3;
		}
		lua_pop(L, 1);
	}
	qsort(k, (size_t)n, sizeof *k, skey_cmp);
	lua_createtable(L, (int)(n < 1000000 ? n : 0), 0);      /* keys ud sorted */
	for (lua_Integer j = 0; j < n; j++) {
		lua_rawgeti(L, kt, k[j].pos);
		lua_rawseti(L, -2, j + 1);
	}
	lua_replace(L, kt);                                     /* sorted ud */
	lua_pop(L, 1);                                          /* sorted */
}

static int
pairs_next(lua_State *L)
{
	lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
	for (;;) {
		if (lua_rawgeti(L, lua_upvalueindex(1), ++i) == LUA_TNIL)
			return 1;
		lua_pushvalue(L, -1);
		if (lua_rawget(L, lua_upvalueindex(3)) != LUA_TNIL)
			break;
		lua_pop(L, 2); /* removed during the loop */
	}
	lua_pushinteger(L, i);
	lua_replace(L, lua_upvalueindex(2));
	return 2;
}

static int
l_pairs(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (!frozen_target(L, 1))
		lua_pushvalue(L, 1);                            /* t real */
	sorted_keys(L, 2);                                      /* t real keys */
	lua_insert(L, 2);                                       /* t keys real */
	lua_pushinteger(L, 0);
	lua_insert(L, 3);                                       /* t keys 0 real */
	lua_pushcclosure(L, pairs_next, 3);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* ---- Built-in functions ------------------------------------------------------------------- */

static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1, ['\''] = 1,
};

/* buf_add_html_escaped, copying each run of plain bytes at once: most printed text has none
 * of the five to escape. */
static void
add_escaped(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;
	buf_grow(b, n);
	for (;;) {
		size_t j = i;
		while (j + 4 <= n && !(html_special[(unsigned char)s[j]] |
		                       html_special[(unsigned char)s[j + 1]] |
		                       html_special[(unsigned char)s[j + 2]] |
		                       html_special[(unsigned char)s[j + 3]]))
			j += 4;
		while (j < n && !html_special[(unsigned char)s[j]])
			j++;
		memcpy(b->data + b->len, s + i, j - i);
		b->len += j - i;
		if (j == n)
			break;
		const char *rep;
		switch (s[j]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		default: rep = "&#39;"; break;
		}
		size_t rl = strlen(rep);
		buf_grow(b, rl + (n - j - 1)); /* the replacement and, at most, the rest */
		memcpy(b->data + b->len, rep, rl);
		b->len += rl;
		i = j + 1;
	}
	b->data[b->len] = '\0';
}

static int
l_out(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	size_t n;
	const char *s = luaL_checklstring(L, 1, &n);
	buf_add(e->out, s, n);
	check_out(L, e);
	return 0;
}

static int
l_put(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	char tmp[64];
	size_t n;
	int safe;
	if (lua_isnoneornil(L, 1))
		return 0;
	const char *s = text_of(L, 1, tmp, sizeof tmp, &n, &safe);
	if (s == NULL) {
		if (luaL_getmetafield(L, 1, "__tostring") == LUA_TNIL)
			return luaL_error(L, "cannot print a %s value (print one of its fields, "
			                     "or use json())", luaL_typename(L, 1));
		lua_pop(L, 1);
		s = luaL_tolstring(L, 1, &n);
	}
	if (safe)
		buf_add(e->out, s, n);
	else
		add_escaped(e->out, s, n);
	check_out(L, e);
	return 0;
}

static int
l_raw(lua_State *L)
{
	char tmp[64];
	size_t n;
	int safe;
	if (lua_isnoneornil(L, 1)) {
		push_safe(L, "", 0);
		return 1;
	}
	const char *s = text_of(L, 1, tmp, sizeof tmp, &n, &safe);
	if (s == NULL)
		return luaL_typeerror(L, 1, "string");
	if (safe) {
		lua_settop(L, 1);
		return 1;
	}
	push_safe(L, s, n);
	return 1;
}

static int
l_escape(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	char tmp[64];
	size_t n;
	int safe;
	if (lua_isnoneornil(L, 1)) {
		push_safe(L, "", 0);
		return 1;
	}
	const char *s = text_of(L, 1, tmp, sizeof tmp, &n, &safe);
	if (s == NULL)
		return luaL_typeerror(L, 1, "string");
	if (safe) {
		lua_settop(L, 1);
		return 1;
	}
	buf_reset(&e->scratch);
	add_escaped(&e->scratch, s, n);
	push_scratch_safe(L, e);
	return 1;
}

static int
l_urlencode(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	char tmp[64];
	size_t n;
	int safe;
	const char *s = text_of(L, 1, tmp, sizeof tmp, &n, &safe);
	if (s == NULL)
		return luaL_typeerror(L, 1, "string");
	buf_reset(&e->scratch);
	buf_grow(&e->scratch, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~')
			buf_putc(&e->scratch, (char)ch);
		else
			buf_printf(&e->scratch, "%%%02X", ch);
	}
	lua_pushlstring(L, buf_str(&e->scratch), e->scratch.len);
	scratch_done(e);
	return 1;
}

static int
l_len(lua_State *L)
{
	size_t n = 0;
	switch (lua_type(L, 1)) {
	case LUA_TNIL:
		break;
	case LUA_TSTRING:
		n = lua_rawlen(L, 1);
		break;
	case LUA_TTABLE:
		if (has_mt(L, 1, &k_safe)) {
			safe_str(L, 1, &n);
			break;
		}
		lua_settop(L, 1);
		if (frozen_target(L, 1))
			lua_replace(L, 1);
		if ((n = lua_rawlen(L, 1)) > 0)
			break;
		lua_pushnil(L);
		while (lua_next(L, 1)) {
			lua_pop(L, 1);
			n++;
		}
		break;
	default:
		return luaL_typeerror(L, 1, "string or table");
	}
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

static int
l_default(lua_State *L)
{
	size_t n = 1;
	if (lua_type(L, 1) == LUA_TSTRING)
		n = lua_rawlen(L, 1);
	else if (has_mt(L, 1, &k_safe))
		safe_str(L, 1, &n);
	if (lua_isnoneornil(L, 1) || n == 0) {
		lua_settop(L, 2);
		return 1;
	}
	lua_settop(L, 1);
	return 1;
}

static int
l_join(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	char stmp[64], tmp[64];
	size_t sn = 0, n;
	int ssafe = 1, safe;
	const char *sep = "";

	if (lua_isnoneornil(L, 1)) {
		push_safe(L, "", 0);
		return 1;
	}
	luaL_checktype(L, 1, LUA_TTABLE);
	if (frozen_target(L, 1))
		lua_replace(L, 1);
	if (!lua_isnoneornil(L, 2) &&
	    (sep = text_of(L, 2, stmp, sizeof stmp, &sn, &ssafe)) == NULL)
		return luaL_typeerror(L, 2, "string");
	lua_Integer len = (lua_Integer)lua_rawlen(L, 1);
	buf_reset(&e->scratch);
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, 1, i);
		const char *s = text_of(L, -1, tmp, sizeof tmp, &n, &safe);
		if (s == NULL)
			return luaL_error(L, "join: item %d is a %s", (int)i, luaL_typename(L, -1));
		if (i > 1) {
			if (ssafe)
				buf_add(&e->scratch, sep, sn);
			else
				add_escaped(&e->scratch, sep, sn);
		}
		if (safe)
			buf_add(&e->scratch, s, n);
		else
			add_escaped(&e->scratch, s, n);
		lua_pop(L, 1);
	}
	push_scratch_safe(L, e);
	return 1;
}

static void
json_num(struct buf *b, double d)
{
	char tmp[40];
	if (!isfinite(d)) {
		buf_puts(b, "null");
		return;
	}
	/* The shortest form that reads back the same. */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	buf_puts(b, tmp);
}

static void json_value(lua_State *L, struct buf *b, int idx, int depth);

#define JSON_SMALL 64 /* maps up to this many keys are sorted on the C stack */

/* json_value of map idx with at most JSON_SMALL keys: its keys and values are copied onto the
 * Lua stack and their order sorted in C, without the tables sorted_keys makes (the same order:
 * skey_cmp). Returns 0, having written nothing, for a bigger map. */
static int
json_small_map(lua_State *L, struct buf *b, int idx, int depth)
{
	struct skey k[JSON_SMALL];
	char tmp[64];
	size_t n = 0, len;
	int safe;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (++n > JSON_SMALL) {
			lua_pop(L, 1);
			return 0;
		}
	}
	luaL_checkstack(L, (int)(2 * n + 8), "json: data nested too deeply");
	int base = lua_gettop(L);
	n = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {                              /* … k v */
		lua_pushvalue(L, -2);                           /* … k v k */
		struct skey *p = &k[n];
		memset(p, 0, sizeof *p);
		p->pos = (lua_Integer)n;
		switch (lua_type(L, -3)) {
		case LUA_TNUMBER:
			p->rank = 0;
			p->isint = lua_isinteger(L, -3);
			p->i = lua_tointeger(L, -3);
			p->f = lua_tonumber(L, -3);
			break;
		case LUA_TSTRING:
			p->rank = 1;
			p->s = lua_tolstring(L, -3, &p->len); /* a key of the table: stays alive */
			break;
		case LUA_TBOOLEAN:
			p->rank = 2;
			p->i = lua_toboolean(L, -3);
			break;
		default:
			p->rank = 3;
		}
		n++;
	}                                                       /* base: k1 v1 k2 v2 … */
	qsort(k, n, sizeof *k, skey_cmp);
	buf_putc(b, '{');
	for (size_t i = 0; i < n; i++) {
		int at = base + 1 + 2 * (int)k[i].pos;
		int kt = lua_type(L, at);
		if (kt != LUA_TSTRING && kt != LUA_TNUMBER)
			luaL_error(L, "json: cannot encode a %s key", luaL_typename(L, at));
		const char *s = text_of(L, at, tmp, sizeof tmp, &len, &safe);
		if (i > 0)
			buf_putc(b, ',');
		buf_putc(b, '"');
		buf_add_json_escaped(b, s, len);
		buf_puts(b, "\":");
		json_value(L, b, at + 1, depth + 1);
	}
	buf_putc(b, '}');
	lua_settop(L, base);
	return 1;
}

static void
json_value(lua_State *L, struct buf *b, int idx, int depth)
{
	char tmp[64];
	size_t n;
	int safe;
	const char *s;

	idx = lua_absindex(L, idx);
	if (depth > MAX_NEST)
		luaL_error(L, "json: data nested too deeply (a cycle?)");
	luaL_checkstack(L, 8, "json: data nested too deeply");
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		buf_puts(b, "null");
		return;
	case LUA_TBOOLEAN:
		buf_puts(b, lua_toboolean(L, idx) ? "true" : "false");
		return;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx))
			buf_printf(b, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, idx));
		else
			json_num(b, (double)lua_tonumber(L, idx));
		return;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &n);
		goto string;
	case LUA_TTABLE:
		break;
	default:
		luaL_error(L, "json: cannot encode a %s", luaL_typename(L, idx));
		return;
	}
	if (has_mt(L, idx, &k_safe)) {
		s = safe_str(L, idx, &n);
		goto string;
	}
	if (frozen_target(L, idx)) {
		json_value(L, b, -1, depth);
		lua_pop(L, 1);
		return;
	}
	lua_Integer len = seq_len(L, idx);
	if (len > 0 || (len == 0 && has_mt(L, idx, &k_list))) {
		buf_putc(b, '[');
		for (lua_Integer i = 1; i <= len; i++) {
			if (i > 1)
				buf_putc(b, ',');
			lua_rawgeti(L, idx, i);
			json_value(L, b, -1, depth + 1);
			lua_pop(L, 1);
		}
		buf_putc(b, ']');
		return;
	}
	if (json_small_map(L, b, idx, depth))
		return;
	sorted_keys(L, idx);                                    /* keys */
	len = (lua_Integer)lua_rawlen(L, -1);
	buf_putc(b, '{');
	for (lua_Integer i = 1; i <= len; i++) {
		lua_rawgeti(L, -1, i);                          /* keys k */
		int kt = lua_type(L, -1);
		if (kt != LUA_TSTRING && kt != LUA_TNUMBER)
			luaL_error(L, "json: cannot encode a %s key", luaL_typename(L, -1));
		s = text_of(L, -1, tmp, sizeof tmp, &n, &safe);
		if (i > 1)
			buf_putc(b, ',');
		buf_putc(b, '"');
		buf_add_json_escaped(b, s, n);
		buf_puts(b, "\":");
		lua_rawget(L, idx);                             /* keys v */
		json_value(L, b, -1, depth + 1);
		lua_pop(L, 1);
	}
	buf_putc(b, '}');
	lua_pop(L, 1);
	return;
string:
	buf_putc(b, '"');
	buf_add_json_escaped(b, s, n);
	buf_putc(b, '"');
}

/* JSON with sorted keys and <, >, & escaped: safe inside <script>, so it is not escaped again. */
static int
l_json(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	buf_reset(&e->scratch);
	json_value(L, &e->scratch, 1, 0);
	push_scratch_safe(L, e);
	return 1;
}

static int
safe_tostring(lua_State *L)
{
	size_t n;
	const char *s = safe_str(L, 1, &n);
	lua_pushlstring(L, s, n);
	return 1;
}

static int
safe_len(lua_State *L)
{
	size_t n;
	safe_str(L, 1, &n);
	lua_pushinteger(L, (lua_Integer)n);
	return 1;
}

static int
safe_eq(lua_State *L)
{
	size_t an, bn;
	const char *a, *b;
	if (!has_mt(L, 1, &k_safe) || !has_mt(L, 2, &k_safe)) {
		lua_pushboolean(L, 0);
		return 1;
	}
	a = safe_str(L, 1, &an);
	b = safe_str(L, 2, &bn);
	lua_pushboolean(L, an == bn && memcmp(a, b, an) == 0);
	return 1;
}

/* safe .. x escapes x and stays safe, as MarkupSafe does. */
static int
safe_concat(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	buf_reset(&e->scratch);
	for (int i = 1; i <= 2; i++) {
		char tmp[64];
		size_t n;
		int safe;
		const char *s = text_of(L, i, tmp, sizeof tmp, &n, &safe);
		if (s == NULL)
			return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, i));
		if (safe)
			buf_add(&e->scratch, s, n);
		else
			add_escaped(&e->scratch, s, n);
	}
	push_scratch_safe(L, e);
	return 1;
}

static int
l_readonly(lua_State *L)
{
	return luaL_error(L, "the standard library cannot be changed");
}

/* ---- Loading templates -------------------------------------------------------------------- */

static char *
find_template(struct tmpl_engine *e, const char *name)
{
	for (size_t i = 0; i < e->ndirs; i++) {
		const char *d = e->dirs[i];
		size_t dl = strlen(d);
		char *path = xasprintf("%s%s%s", d, dl > 0 && d[dl - 1] == '/' ? "" : "/", name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return path;
		free(path);
	}
	return NULL;
}

static char *
read_file(const char *path, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[16384];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f)) {
		int saved = errno;
		fclose(f);
		buf_free(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

static int l_inc(lua_State *L);

/* Keeps name among the templates used, once: what an output was made from. */
static void
note_used(struct tmpl_engine *e, const char *name)
{
	if (e->used.len == 0)
		buf_putc(&e->used, '\n');
	size_t n = strlen(name);
	for (const char *at = e->used.data; (at = strstr(at, name)) != NULL; at++)
		if (at[-1] == '\n' && at[n] == '\n')
			return;
	buf_printf(&e->used, "%s\n", name);
}

void
tmpl_take_used(struct tmpl_engine *e, struct buf *out)
{
	if (e->used.len > 1)
		buf_add(out, e->used.data + 1, e->used.len - 1);
	buf_reset(&e->used);
}

/* Pushes the render function of template name, compiling it on first use. A compile error is
 * cached too and raised again on each use. */
static void
get_template(lua_State *L, struct tmpl_engine *e, const char *name)
{
	if (!name_ok(name))
		luaL_error(L, "bad template name '%s' (it must be relative, without '..')", name);
	note_used(e, name);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_cache);            /* cache */
	int cache = lua_gettop(L);
	int t = lua_getfield(L, cache, name);                   /* cache fn|err|nil */
	if (t == LUA_TFUNCTION) {
		lua_remove(L, cache);
		return;
	}
	if (t != LUA_TNIL)
		lua_error(L);
	lua_pop(L, 1);

	struct box *b = box_new(L);                             /* cache box */
	if ((b->s[0] = find_template(e, name)) == NULL)
		luaL_error(L, "template '%s' not found", name);
	size_t len = 0;
	if ((b->s[1] = read_file(b->s[0], &len)) == NULL) {
		push_locerr(L, b->s[0], 0, strerror(errno));
		lua_error(L);
	}
	struct buf src = BUF_INIT;
	char *err;
	int rc = tmpl_compile(b->s[1], len, &src, &err);
	free(b->s[1]);
	b->s[1] = NULL;
	if (rc != 0) {
		buf_free(&src); /* the prelude it had already written */
		b->s[1] = err;
		int line = 0;
		const char *msg = err;
		if (sscanf(err, "line %d:", &line) == 1 && (msg = strchr(err, ':')) != NULL)
			msg += msg[1] == ' ' ? 2 : 1;
		else
			msg = err;
		push_locerr(L, b->s[0], line, msg);             /* cache box err */
		goto cache_error;
	}
	len = src.len;
	b->s[1] = buf_detach(&src);
	b->s[2] = xasprintf("@%s", b->s[0]);
	int st = luaL_loadbufferx(L, b->s[1], len, b->s[2], "t"); /* cache box chunk|msg */
	if (st == LUA_ERRMEM)
		lua_error(L);
	if (st != LUA_OK) {
		const char *msg = lua_tostring(L, -1), *rest;
		int line = 0;
		if (msg == NULL)
			msg = "cannot load the compiled template";
		rest = match_pos(msg, b->s[0], &line);
		push_locerr(L, b->s[0], line, rest != NULL ? rest : msg);
		lua_remove(L, -2);                              /* cache box err */
		goto cache_error;
	}
	free(b->s[1]);
	free(b->s[2]);
	b->s[1] = b->s[2] = NULL;
	/* Code that closes the render function early with {% end %} runs at chunk level: give
	 * it the sandbox too, not the real globals. */
	new_env(L);
	if (lua_setupvalue(L, -2, 1) == NULL)
		lua_pop(L, 1);
	lua_pushcfunction(L, l_out);
	lua_pushcfunction(L, l_put);
	lua_pushcfunction(L, l_inc);
	lua_call(L, 3, 1);                                      /* cache box fn */
	if (!lua_isfunction(L, -1)) {
		lua_pop(L, 1);
		push_locerr(L, b->s[0], 0, "template does not compile to a function "
		                           "(an 'end' too many?)");
		goto cache_error;
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, cache, name);
	box_clear(b);
	lua_replace(L, cache);                                  /* fn box */
	lua_pop(L, 1);                                          /* fn */
	return;
cache_error:
	lua_pushvalue(L, -1);
	lua_setfield(L, cache, name);
	lua_error(L);
}

static void
set_top_path(lua_State *L, struct tmpl_engine *e)
{
	lua_Debug ar;
	lua_pushvalue(L, -1);
	if (lua_getinfo(L, ">S", &ar) && ar.source != NULL && ar.source[0] == '@') {
		buf_reset(&e->top_path);
		buf_puts(&e->top_path, ar.source + 1);
	}
}

/* _inc(name, env [, blocks]): include (fresh blocks) or extend (the child's blocks). */
static int
l_inc(lua_State *L)
{
	const char *name = luaL_checkstring(L, 1);
	luaL_checktype(L, 2, LUA_TTABLE);
	if (lua_isnoneornil(L, 3)) {
		lua_settop(L, 2);
		lua_newtable(L);
	}
	lua_settop(L, 3);
	get_template(L, engine(L), name);                       /* name env B fn */
	lua_pushvalue(L, 2);
	lua_pushvalue(L, 3);
	size_t tk = timing_tmpl_enter(name);
	lua_call(L, 2, 0);
	timing_tmpl_leave(tk);
	return 0;
}

static int
l_partial_main(lua_State *L)
{
	get_template(L, engine(L), lua_tostring(L, 1));         /* name vars fn */
	if (frozen_target(L, 2))
		lua_replace(L, 2);
	new_env(L);                                             /* name vars fn env */
	if (lua_istable(L, 2)) {
		lua_pushnil(L);
		while (lua_next(L, 2)) {
			lua_pushvalue(L, -2);
			lua_insert(L, -2);
			lua_rawset(L, -4);
		}
	}
	lua_newtable(L);
	size_t tk = timing_tmpl_enter(lua_tostring(L, 1));
	lua_call(L, 2, 0);
	timing_tmpl_leave(tk);
	return 0;
}

/* partial(name, vars): renders into a buffer of its own. It runs under its own pcall so the
 * output buffer is restored even when the error is caught by a pcall in the template. */
static int
l_partial(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	luaL_checkstring(L, 1);
	if (!lua_isnoneornil(L, 2))
		luaL_checktype(L, 2, LUA_TTABLE);
	lua_settop(L, 2);
	if (e->pdepth == e->npbufs) {
		e->pbufs = xrealloc(e->pbufs, (e->npbufs + 1) * sizeof *e->pbufs);
		e->pbufs[e->npbufs++] = xcalloc(1, sizeof **e->pbufs);
	}
	struct buf *saved = e->out, *tmp = e->pbufs[e->pdepth++];
	buf_reset(tmp);
	e->out = tmp;
	lua_pushcfunction(L, l_msgh);
	lua_pushcfunction(L, l_partial_main);
	lua_pushvalue(L, 1);
	lua_pushvalue(L, 2);
	int status = lua_pcall(L, 2, 0, 3);
	e->out = saved;
	e->pdepth--;
	if (status == LUA_ERRMEM) {
		/* lua_error would raise Lua's memory message as a memory error again, without a
		 * position; give it the line of this call instead. */
		lua_pushcfunction(L, l_msgh);
		lua_insert(L, -2);
		lua_call(L, 1, 1);
	}
	if (status != LUA_OK)
		return lua_error(L);
	push_safe(L, tmp->data, tmp->len);
	if (tmp->cap > SCRATCH_KEEP)
		buf_free(tmp);
	return 1;
}

/* Keeps v (owned) until release: what a helper call makes must be freed even when Lua raises
 * an error half way, without a userdata per call to carry it. */
static void
hold(struct tmpl_engine *e, struct value *v)
{
	if (e->nheld == e->cheld) {
		e->cheld = e->cheld != 0 ? e->cheld * 2 : 8;
		e->held = xrealloc(e->held, e->cheld * sizeof *e->held);
	}
	e->held[e->nheld++] = v;
}

static void
release(struct tmpl_engine *e)
{
	while (e->nheld > 0)
		value_free(e->held[--e->nheld]);
	free(e->herr);
	e->herr = NULL;
}

/* The Lua value at idx as a helper argument. Scalars and safe strings are filled into *slot,
 * their text borrowed from Lua (the arguments stay on the stack during the call); tables are
 * converted to a tree that the engine holds. NULL (and *why) when it cannot be converted. */
static const struct value *
arg_value(lua_State *L, struct tmpl_engine *e, int idx, struct value *slot, const char **why)
{
	memset(slot, 0, sizeof *slot);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		slot->type = VALUE_NULL;
		return slot;
	case LUA_TBOOLEAN:
		slot->type = VALUE_BOOL;
		slot->u.b = lua_toboolean(L, idx);
		return slot;
	case LUA_TNUMBER:
		if (lua_isinteger(L, idx)) {
			slot->type = VALUE_INT;
			slot->u.i = (int64_t)lua_tointeger(L, idx);
		} else {
			slot->type = VALUE_FLOAT;
			slot->u.f = (double)lua_tonumber(L, idx);
		}
		return slot;
	case LUA_TSTRING:
		slot->type = VALUE_STRING;
		slot->u.str.s = (char *)lua_tolstring(L, idx, &slot->u.str.len);
		return slot;
	case LUA_TTABLE:
		if (has_mt(L, idx, &k_safe)) {
			slot->type = VALUE_STRING;
			slot->html = 1;
			slot->u.str.s = (char *)safe_str(L, idx, &slot->u.str.len);
			return slot;
		}
		break;
	}
	struct value *v = to_value(L, idx, 0, why);
	if (v != NULL)
		hold(e, v);
	return v;
}

/* A registered helper: upvalue 1 holds the C function, upvalue 2 its name. */
static int
l_helper(lua_State *L)
{
	struct tmpl_engine *e = engine(L);
	tmpl_helper_fn fn = *(tmpl_helper_fn *)lua_touserdata(L, lua_upvalueindex(1));
	int n = lua_gettop(L);
	struct value sv[HELPER_ARGS], *av = sv;
	const struct value *sp[HELPER_ARGS], **ap = sp;
	char *err = NULL;

	release(e); /* what a call that Lua interrupted left */
	if (n > HELPER_ARGS) {
		if (e->hcap < (size_t)n) {
			e->hargv = xrealloc(e->hargv, (size_t)n * sizeof *e->hargv);
			e->hargp = xrealloc(e->hargp, (size_t)n * sizeof *e->hargp);
			e->hcap = (size_t)n;
		}
		av = e->hargv;
		ap = e->hargp;
	}
	for (int i = 0; i < n; i++) {
		const char *why = "bad value";
		if ((ap[i] = arg_value(L, e, i + 1, &av[i], &why)) == NULL)
			return luaL_error(L, "%s: argument %d: %s",
			                  lua_tostring(L, lua_upvalueindex(2)), i + 1, why);
	}
	struct value *ret = fn(e->payload, ap, (size_t)n, &err);
	if (ret != NULL)
		hold(e, ret);
	if (err != NULL) {
		e->herr = err;
		return luaL_error(L, "%s: %s", lua_tostring(L, lua_upvalueindex(2)), err);
	}
	push_value(L, ret, 0);
	release(e);
	return 1;
}

/* ---- The engine --------------------------------------------------------------------------- */

static void
readonly_lib(lua_State *L, const char *name)
{
	/* lib is on top; it is replaced by an empty proxy that reads through to it. */
	lua_newtable(L);                                        /* base lib proxy */
	lua_createtable(L, 0, 2);                               /* base lib proxy mt */
	lua_pushvalue(L, -3);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_readonly);
	lua_setfield(L, -2, "__newindex");
	lua_setmetatable(L, -2);                                /* base lib proxy */
	lua_setfield(L, -3, name);                              /* base lib */
	lua_pop(L, 1);
}

static int
l_setup(lua_State *L)
{
	const struct tmpl_opts *o = lua_touserdata(L, 1);
	static const char *const safe_globals[] = {
		"ipairs", "select", "type", "tostring", "tonumber", "error", "assert", "pcall",
	};
	static const luaL_Reg builtins[] = {
		{"raw", l_raw},       {"escape", l_escape}, {"json", l_json},
		{"urlencode", l_urlencode}, {"partial", l_partial}, {"len", l_len},
		{"join", l_join},     {"default", l_default}, {"pairs", l_pairs},
		{"next", l_next},
		{NULL, NULL},
	};
	static const luaL_Reg safe_mt[] = {
		{"__tostring", safe_tostring}, {"__len", safe_len},
		{"__eq", safe_eq},             {"__concat", safe_concat},
		{NULL, NULL},
	};

	luaL_requiref(L, LUA_GNAME, luaopen_base, 1);           /* G */
	lua_newtable(L);                                        /* G base */
	for (size_t i = 0; i < sizeof safe_globals / sizeof safe_globals[0]; i++) {
		lua_getfield(L, -2, safe_globals[i]);
		lua_setfield(L, -2, safe_globals[i]);
	}
	luaL_setfuncs(L, builtins, 0);

	/* Strings index the real string table through their metatable, so dump goes from it. */
	luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);   /* G base string */
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	readonly_lib(L, "string");
	luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
	lua_pushnil(L);
	lua_setfield(L, -2, "random");
	lua_pushnil(L);
	lua_setfield(L, -2, "randomseed");
	readonly_lib(L, "math");
	luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
	readonly_lib(L, "table");
	luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
	readonly_lib(L, "utf8");

	lua_newtable(L);
	luaL_setfuncs(L, safe_mt, 0);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_safe);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_list);
	lua_newtable(L);
	lua_pushcfunction(L, locerr_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_locerr);
	lua_newtable(L);
	lua_pushcfunction(L, box_gc);
	lua_setfield(L, -2, "__gc");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_box);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_cache);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_refs);
	lua_newtable(L);                                        /* G base envmt */
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "__index");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_envmt);

	const struct value *g = value_deref(o->globals);
	if (g != NULL && g->type == VALUE_MAP) {
		for (size_t i = 0; i < g->u.map.len; i++) {
			lua_pushstring(L, g->u.map.keys[i]);
			push_value_in(L, g->u.map.vals[i], 0, 1);
			lua_rawset(L, -3);
		}
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_base);             /* G */
	return 0;
}

struct tmpl_engine *
tmpl_engine_new(const struct tmpl_opts *opts)
{
	static const struct tmpl_opts dflt = TMPL_OPTS_INIT;
	struct tmpl_engine *e = xcalloc(1, sizeof *e);

	if (opts == NULL)
		opts = &dflt;
	e->dirs = opts->dirs;
	e->ndirs = opts->dirs != NULL ? opts->ndirs : 0;
	e->mem_limit = opts->mem_limit != 0 ? opts->mem_limit : DEFAULT_MEM;
	e->time_limit = opts->time_limit_ms != 0 ? opts->time_limit_ms : DEFAULT_MS;
	if ((e->L = lua_newstate(l_alloc, e)) == NULL)
		goto fail;
	memcpy(lua_getextraspace(e->L), &e, sizeof e);
	lua_gc(e->L, LUA_GCGEN, 0, 0);
	lua_pushcfunction(e->L, l_setup);
	lua_pushlightuserdata(e->L, (void *)opts);
	if (lua_pcall(e->L, 1, 0, 0) != LUA_OK) {
		const char *msg = lua_tostring(e->L, -1);
		diag_error(NULL, 0, 0, "cannot start Lua for templates: %s",
		           msg != NULL ? msg : "unknown error");
		goto fail;
	}
	return e;
fail:
	tmpl_engine_free(e);
	return NULL;
}

void
tmpl_engine_free(struct tmpl_engine *e)
{
	if (e == NULL)
		return;
	if (e->L != NULL)
		lua_close(e->L);
	for (size_t i = 0; i < e->npbufs; i++) {
		buf_free(e->pbufs[i]);
		free(e->pbufs[i]);
	}
	free(e->pbufs);
	release(e);
	free(e->held);
	free(e->hargv);
	free(e->hargp);
	buf_free(&e->scratch);
	buf_free(&e->top_path);
	buf_free(&e->err_path);
	buf_free(&e->err_msg);
	buf_free(&e->subject);
	buf_free(&e->used);
	map_free(&e->exists);
	free(e);
}

void
tmpl_engine_set_subject(struct tmpl_engine *e, const char *subject)
{
	buf_reset(&e->subject);
	if (subject != NULL)
		buf_puts(&e->subject, subject);
}

struct helper_reg {
	const char *name;
	tmpl_helper_fn fn;
};

static int
l_add_helper(lua_State *L)
{
	const struct helper_reg *h = lua_touserdata(L, 1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &k_base);
	tmpl_helper_fn *p = lua_newuserdatauv(L, sizeof *p, 0);
	*p = h->fn;
	lua_pushstring(L, h->name);
	lua_pushcclosure(L, l_helper, 2);
	lua_setfield(L, -2, h->name);
	return 0;
}

void
tmpl_engine_add_helper(struct tmpl_engine *e, const char *name, tmpl_helper_fn fn)
{
	struct helper_reg h = {name, fn};
	if (e == NULL || name == NULL || fn == NULL || e->out != NULL)
		return;
	lua_settop(e->L, 0);
	lua_pushcfunction(e->L, l_add_helper);
	lua_pushlightuserdata(e->L, &h);
	if (lua_pcall(e->L, 1, 0, 0) != LUA_OK)
		diag_error(NULL, 0, 0, "cannot add template helper %s: out of memory", name);
	lua_settop(e->L, 0);
}

int
tmpl_exists(struct tmpl_engine *e, const char *name)
{
	static char yes, no;
	if (e == NULL || !name_ok(name))
		return 0;
	const char *known = map_get(&e->exists, name);
	if (known != NULL)
		return known == &yes;
	char *path = find_template(e, name);
	int found = path != NULL;
	free(path);
	map_put(&e->exists, name, found ? &yes : &no);
	return found;
}

struct render_args {
	const char *name;
	const struct value *vars;
};

static int
l_render_main(lua_State *L)
{
	const struct render_args *ra = lua_touserdata(L, 1);
	get_template(L, engine(L), ra->name);                   /* ra fn */
	set_top_path(L, engine(L));
	new_env(L);                                             /* ra fn env */
	const struct value *vars = value_deref(ra->vars);
	if (vars != NULL && vars->type == VALUE_MAP) {
		for (size_t i = 0; i < vars->u.map.len; i++) {
			push_key(L, engine(L), vars->u.map.keys[i]);
			push_value(L, vars->u.map.vals[i], 0);
			lua_rawset(L, -3);
		}
	}
	lua_newtable(L);                                        /* ra fn env B */
	size_t tk = timing_tmpl_enter(ra->name);
	lua_call(L, 2, 0);
	timing_tmpl_leave(tk);
	return 0;
}

/* The refs cache (push_ref) keeps every shared value any render converted: over a big site's
 * renders that is every listing entry in every language, more than the memory limit holds (at
 * 30,000 resources the topic listings, rendered late, ran out of memory and, collecting a heap
 * near the limit over and over, out of time). So between renders, once the state holds a quarter
 * of its limit and twice what it held after the last drop, the cache is dropped and refilled by
 * what the next renders use: the heap stays bounded, and a page costs what it shows. What a
 * template sees does not change: the values are read-only and converted the same way again. */
static int
l_drop_refs(lua_State *L)
{
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &k_refs);
	return 0;
}

static void
drop_refs(struct tmpl_engine *e)
{
	if (e->mem <= e->mem_limit / 4 || (e->mem <= e->mem_limit / 2 && e->mem <= 2 * e->refs_floor))
		return;
	lua_State *L = e->L;
	lua_settop(L, 0);
	lua_pushcfunction(L, l_drop_refs);
	lua_pcall(L, 0, 0, 0); /* on a memory error the cache stays, as before */
	lua_settop(L, 0);
	lua_gc(L, LUA_GCCOLLECT);
	e->refs_floor = e->mem;
}

int
tmpl_render(struct tmpl_engine *e, const char *name, const struct value *vars, void *payload,
            struct buf *out)
{
	if (e == NULL || name == NULL || out == NULL)
		return -1;
	if (e->out != NULL) {
		/* A helper calling back in would reset the Lua stack under the running render. */
		diag_error(name, 0, 0, "tmpl_render called during a render of the same engine");
		return -1;
	}
	drop_refs(e);
	lua_State *L = e->L;
	struct render_args ra = {name, vars};
	size_t mark = out->len;

	e->out = out;
	e->payload = payload;
	e->pdepth = 0;
	e->limit_hit = 0;
	buf_reset(&e->top_path);
	buf_puts(&e->top_path, name);
	if (run_L == NULL) { /* the outermost render on this thread: the one its timer stops */
		int n = snprintf(stuck_msg, sizeof stuck_msg,
		                 "satchel: error: a template ran too long inside one library call (a "
		                 "string pattern that backtracks without end?)%s%s and could not be "
		                 "stopped: satchel stopped; the output folder is left as it was\n",
		                 e->subject.len > 0 ? " while rendering " : "", buf_str(&e->subject));
		stuck_len = n < 0 ? 0 : (size_t)n < sizeof stuck_msg ? (size_t)n : sizeof stuck_msg - 1;
	}
	lua_settop(L, 0);
	lua_pushcfunction(L, l_msgh);
	lua_pushcfunction(L, l_render_main);
	lua_pushlightuserdata(L, &ra);
	lua_State *outer = limit_start(L, e->time_limit);
	size_t depth = timing_tmpl_depth();
	int status = lua_pcall(L, 1, 0, 1);
	timing_tmpl_unwind(depth); /* the templates an error left */
	limit_stop(L, outer);
	release(e);
	e->out = NULL;
	e->payload = NULL;
	if (status != LUA_OK) {
		report(e, status);
		out->len = mark;
		if (out->data != NULL)
			out->data[mark] = '\0';
	}
	lua_settop(L, 0);
	return status == LUA_OK ? 0 : -1;
}
