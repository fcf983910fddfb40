/* diag: the one place satchel reports problems in input, as `path:line:column: severity: message`.
 * Thread-safe. Errors are counted so a stage can keep going and report them all. The counts,
 * modes and kept messages live in a struct diag: the process has one, and an engine makes its
 * own current for its runs (pool threads take their starter's), so each run's messages are its
 * own. Every function below works on the calling thread's current one. */
#ifndef SATCHEL_DIAG_H
#define SATCHEL_DIAG_H

#include <stddef.h>

struct diag;
/* A diag of its own (printing, not collecting, until told). diag_free accepts NULL. */
struct diag *diag_new(void);
void diag_free(struct diag *d);
/* The calling thread's current diag: the last diag_use'd on it, else the process's. */
struct diag *diag_current(void);
/* Makes d current on the calling thread (NULL: the process's again); returns the one that was.
 * pool_run's threads use their caller's. */
struct diag *diag_use(struct diag *d);

/* line and col are one-based; 0 leaves them out. path may be NULL for a message about no file. */
void diag_error(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warning(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A problem `satchel check` refuses but a build only warns about (a link that leads nowhere, a
 * material left out for safeguarding): a warning, or an error in strict mode. */
void diag_problem(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Strict mode (check, build --strict): problems are errors. */
void diag_strict(int strict);
/* Collect mode: messages are kept, not printed, for diag_collected; a problem is kept as an
 * error (check's verdict) while the build goes on as if it were a warning. */
void diag_collect(int collect);
struct diag_msg {
	char *path; /* NULL for a message about no file */
	int line, col;
	int error;  /* 1 error (or a problem), 0 warning */
	char *text; /* the message alone */
};
/* Keep mode (an engine's runs): every message is kept with its own severity, as diag_collected
 * returns them, and printed too when print is set. */
void diag_keep(int keep, int print);
/* The messages kept since diag_collect(1) or diag_keep(1, …), in the order they came; freed by diag_reset. */
const struct diag_msg *diag_collected(size_t *n);
/* Errors reported since start (or since diag_reset), a repeated one each time: a stage compares
 * it before and after to know whether it failed. */
size_t diag_error_count(void);
/* The `error:` lines printed (or kept, in collect mode) since start: a message repeated word for
 * word (a broken template fails every page alike) is printed, and counted here, once. What a
 * summary line ("failed with N errors") reports. */
size_t diag_error_lines(void);
size_t diag_warning_count(void);
void diag_reset(void);
/* Silences warnings (errors are always printed). */
void diag_quiet(int quiet);

#endif
