/* diag: formatted, counted, thread-safe reports about input. */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#include "map.h"
#include "buf.h"
#include "xalloc.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static size_t nerrors, nwarnings;
static size_t nshown; /* errors printed (or kept): each distinct message once */
static int quiet, strict, collect;
static struct diag_msg *msgs;
static size_t nmsgs, capmsgs;
static struct map seen; /* messages already printed: a broken template fails every page alike */
#define MAX_WARNINGS_PER_FILE 20

static void
report(const char *severity, int problem, const char *path, int line, int col, const char *fmt,
       va_list ap)
{
	struct buf b = BUF_INIT;
	if (path != NULL) {
		buf_puts(&b, path);
		if (line > 0) {
			buf_printf(&b, ":%d", line);
			if (col > 0)
				buf_printf(&b, ":%d", col);
		}
		buf_puts(&b, ": ");
	} else {
		buf_puts(&b, "satchel: ");
	}
	buf_printf(&b, "%s: ", severity);
	size_t text = b.len; /* where the message itself starts */
	buf_vprintf(&b, fmt, ap);
	buf_putc(&b, '\n');
	pthread_mutex_lock(&lock);
	if (collect) {
		if (map_get(&seen, b.data) == NULL) {
			map_put(&seen, b.data, &seen);
			nshown += severity[0] == 'e';
			if (nmsgs == capmsgs)
				msgs = xrealloc(msgs, (capmsgs = capmsgs ? capmsgs * 2 : 16) * sizeof *msgs);
			msgs[nmsgs++] = (struct diag_msg){path ? xstrdup(path) : NULL, line, col,
			                                  severity[0] == 'e' || problem,
			                                  xstrndup(b.data + text, b.len - text - 1)};
		}
		pthread_mutex_unlock(&lock);
		buf_free(&b);
		return;
	}
	int show = map_get(&seen, b.data) == NULL;
	if (show && path != NULL && severity[0] == 'w') {
		/* A file with the same slip on every line should not bury everything else. */
		char *key = xasprintf("\x02%s", path);
		uintptr_t count = (uintptr_t)map_get(&seen, key) + 1;
		map_put(&seen, key, (void *)count);
		free(key);
		if (count == MAX_WARNINGS_PER_FILE + 1)
			fprintf(stderr, "%s: warning: more warnings about this file are not shown\n", path);
		show = count <= MAX_WARNINGS_PER_FILE;
	}
	if (show) {
		map_put(&seen, b.data, &seen);
		fputs(b.data, stderr);
		nshown += severity[0] == 'e';
	}
	pthread_mutex_unlock(&lock);
	buf_free(&b);
}

void
diag_error(const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("error", 0, path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&lock);
	nerrors++;
	pthread_mutex_unlock(&lock);
}

void
diag_warning(const char *path, int line, int col, const char *fmt, ...)
{
	pthread_mutex_lock(&lock);
	nwarnings++;
	int q = quiet;
	pthread_mutex_unlock(&lock);
	if (q)
		return;
	va_list ap;
	va_start(ap, fmt);
	report("warning", 0, path, line, col, fmt, ap);
	va_end(ap);
}

size_t
diag_error_count(void)
{
	pthread_mutex_lock(&lock);
	size_t n = nerrors;
	pthread_mutex_unlock(&lock);
	return n;
}

size_t
diag_error_lines(void)
{
	pthread_mutex_lock(&lock);
	size_t n = nshown;
	pthread_mutex_unlock(&lock);
	return n;
}

size_t
diag_warning_count(void)
{
	pthread_mutex_lock(&lock);
	size_t n = nwarnings;
	pthread_mutex_unlock(&lock);
	return n;
}

void
diag_reset(void)
{
	pthread_mutex_lock(&lock);
	nerrors = nwarnings = nshown = 0;
	map_free(&seen);
	for (size_t i = 0; i < nmsgs; i++) {
		free(msgs[i].path);
		free(msgs[i].text);
	}
	free(msgs);
	msgs = NULL;
	nmsgs = capmsgs = 0;
	pthread_mutex_unlock(&lock);
}

void
diag_problem(const char *path, int line, int col, const char *fmt, ...)
{
	pthread_mutex_lock(&lock);
	int err = strict;
	if (err)
		nerrors++;
	else
		nwarnings++;
	int q = quiet && !err;
	pthread_mutex_unlock(&lock);
	if (q)
		return;
	va_list ap;
	va_start(ap, fmt);
	report(err ? "error" : "warning", 1, path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_strict(int s)
{
	pthread_mutex_lock(&lock);
	strict = s;
	pthread_mutex_unlock(&lock);
}

void
diag_collect(int c)
{
	pthread_mutex_lock(&lock);
	collect = c;
	pthread_mutex_unlock(&lock);
}

const struct diag_msg *
diag_collected(size_t *n)
{
	pthread_mutex_lock(&lock);
	*n = nmsgs;
	const struct diag_msg *m = msgs;
	pthread_mutex_unlock(&lock);
	return m;
}

void
diag_quiet(int q)
{
	pthread_mutex_lock(&lock);
	quiet = q;
	pthread_mutex_unlock(&lock);
}
