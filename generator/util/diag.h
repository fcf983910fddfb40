/* diag: the one place satchel reports problems in input, as `path:line:column: severity: message`.
 * Thread-safe. Errors are counted so a stage can keep going and report them all. */
#ifndef SATCHEL_DIAG_H
#define SATCHEL_DIAG_H

#include <stddef.h>

/* line and col are one-based; 0 leaves them out. path may be NULL for a message about no file. */
void diag_error(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warning(const char *path, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Errors reported since start (or since diag_reset). */
size_t diag_error_count(void);
size_t diag_warning_count(void);
void diag_reset(void);
/* Silences warnings (errors are always printed). */
void diag_quiet(int quiet);

#endif
