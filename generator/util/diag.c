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

struct diag {
	pthread_mutex_t lock;
	size_t nerrors, nwarnings;
	size_t nshown; /* errors printed (or kept): each distinct message once */
	int quiet, strict, collect;
	int keep, silent; /* keep every message shown, with its own severity; print none */
	struct diag_msg *msgs;
	size_t nmsgs, capmsgs;
	struct map seen; /* messages already printed: a broken template fails every page alike */
};
#define MAX_WARNINGS_PER_FILE 20

/* The process's own, current where no other was made so. */
static struct diag process = {.lock = PTHREAD_MUTEX_INITIALIZER, .seen = MAP_INIT};
static _Thread_local struct diag *current;

struct diag *
diag_new(void)
{
	struct diag *d = xcalloc(1, sizeof *d);
	pthread_mutex_init(&d->lock, NULL);
	return d;
}

static void
clear(struct diag *d)
{
	d->nerrors = d->nwarnings = d->nshown = 0;
	map_free(&d->seen);
	for (size_t i = 0; i < d->nmsgs; i++) {
		free(d->msgs[i].path);
		free(d->msgs[i].text);
	}
	free(d->msgs);
	d->msgs = NULL;
	d->nmsgs = d->capmsgs = 0;
}

void
diag_free(struct diag *d)
{
	if (d == NULL || d == &process)
		return;
	clear(d);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

struct diag *
diag_current(void)
{
	return current ? current : &process;
}

struct diag *
diag_use(struct diag *d)
{
	struct diag *was = diag_current();
	current = d;
	return was;
}

static void
report(const char *severity, int problem, const char *path, int line, int col, const char *fmt,
       va_list ap)
{
	struct diag *d = diag_current();
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
	pthread_mutex_lock(&d->lock);
	if (d->collect) {
		if (map_get(&d->seen, b.data) == NULL) {
			map_put(&d->seen, b.data, &d->seen);
			d->nshown += severity[0] == 'e';
			if (d->nmsgs == d->capmsgs)
				d->msgs = xrealloc(d->msgs, (d->capmsgs = d->capmsgs ? d->capmsgs * 2 : 16) * sizeof *d->msgs);
			d->msgs[d->nmsgs++] = (struct diag_msg){path ? xstrdup(path) : NULL, line, col,
			                                  severity[0] == 'e' || problem,
			                                  xstrndup(b.data + text, b.len - text - 1)};
		}
		pthread_mutex_unlock(&d->lock);
		buf_free(&b);
		return;
	}
	int show = map_get(&d->seen, b.data) == NULL;
	if (show && path != NULL && severity[0] == 'w' && !d->keep) {
		/* A file with the same slip on every line should not bury everything else. */
		char *key = xasprintf("\x02%s", path);
		uintptr_t count = (uintptr_t)map_get(&d->seen, key) + 1;
		map_put(&d->seen, key, (void *)count);
		free(key);
		if (count == MAX_WARNINGS_PER_FILE + 1 && !d->silent)
			fprintf(stderr, "%s: warning: more warnings about this file are not shown\n", path);
		show = count <= MAX_WARNINGS_PER_FILE;
	}
	if (show) {
		map_put(&d->seen, b.data, &d->seen);
		if (!d->silent)
			fputs(b.data, stderr);
		d->nshown += severity[0] == 'e';
		if (d->keep) {
			if (d->nmsgs == d->capmsgs)
				d->msgs = xrealloc(d->msgs, (d->capmsgs = d->capmsgs ? d->capmsgs * 2 : 16) * sizeof *d->msgs);
			d->msgs[d->nmsgs++] = (struct diag_msg){path ? xstrdup(path) : NULL, line, col,
			                                        severity[0] == 'e',
			                                        xstrndup(b.data + text, b.len - text - 1)};
		}
	}
	pthread_mutex_unlock(&d->lock);
	buf_free(&b);
}

void
diag_error(const char *path, int line, int col, const char *fmt, ...)
{
	struct diag *d = diag_current();
	va_list ap;
	va_start(ap, fmt);
	report("error", 0, path, line, col, fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&d->lock);
	d->nerrors++;
	pthread_mutex_unlock(&d->lock);
}

void
diag_warning(const char *path, int line, int col, const char *fmt, ...)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	d->nwarnings++;
	int q = d->quiet;
	pthread_mutex_unlock(&d->lock);
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
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	size_t n = d->nerrors;
	pthread_mutex_unlock(&d->lock);
	return n;
}

size_t
diag_error_lines(void)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	size_t n = d->nshown;
	pthread_mutex_unlock(&d->lock);
	return n;
}

size_t
diag_warning_count(void)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	size_t n = d->nwarnings;
	pthread_mutex_unlock(&d->lock);
	return n;
}

void
diag_reset(void)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	clear(d);
	pthread_mutex_unlock(&d->lock);
}

void
diag_problem(const char *path, int line, int col, const char *fmt, ...)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	int err = d->strict;
	if (err)
		d->nerrors++;
	else
		d->nwarnings++;
	int q = d->quiet && !err;
	pthread_mutex_unlock(&d->lock);
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
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	d->strict = s;
	pthread_mutex_unlock(&d->lock);
}

void
diag_collect(int c)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	d->collect = c;
	pthread_mutex_unlock(&d->lock);
}

const struct diag_msg *
diag_collected(size_t *n)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	*n = d->nmsgs;
	const struct diag_msg *m = d->msgs;
	pthread_mutex_unlock(&d->lock);
	return m;
}

void
diag_quiet(int q)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	d->quiet = q;
	pthread_mutex_unlock(&d->lock);
}

void
diag_keep(int keep, int print)
{
	struct diag *d = diag_current();
	pthread_mutex_lock(&d->lock);
	d->keep = keep;
	d->silent = !print;
	pthread_mutex_unlock(&d->lock);
}
