/* diag: formatted, counted, thread-safe reports about input. */
#include "diag.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static size_t nerrors, nwarnings;
static int quiet;

static void
report(const char *severity, const char *path, int line, int col, const char *fmt, va_list ap)
{
	pthread_mutex_lock(&lock);
	if (path != NULL) {
		fputs(path, stderr);
		if (line > 0) {
			fprintf(stderr, ":%d", line);
			if (col > 0)
				fprintf(stderr, ":%d", col);
		}
		fputs(": ", stderr);
	} else {
		fputs("satchel: ", stderr);
	}
	fprintf(stderr, "%s: ", severity);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&lock);
}

void
diag_error(const char *path, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report("error", path, line, col, fmt, ap);
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
	report("warning", path, line, col, fmt, ap);
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
	nerrors = nwarnings = 0;
	pthread_mutex_unlock(&lock);
}

void
diag_quiet(int q)
{
	pthread_mutex_lock(&lock);
	quiet = q;
	pthread_mutex_unlock(&lock);
}
