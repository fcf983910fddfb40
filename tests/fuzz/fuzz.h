/* fuzz.h: what the libFuzzer targets in tests/fuzz share. Each target defines
 * LLVMFuzzerTestOneInput (and may define LLVMFuzzerInitialize); libFuzzer drives it under
 * `make fuzz`, and replay.c runs the kept corpus and regressions through it in `make check`. */
#ifndef SATCHEL_FUZZ_H
#define SATCHEL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/diag.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnostics are the expected answer to most inputs; printing them would slow fuzzing and bury
 * libFuzzer's own lines. diag writes through the stdio stream stderr, which glibc lets a program
 * reassign, while libFuzzer keeps the stream it took at start-up and the sanitizers write to
 * file descriptor 2: only diag goes quiet. */
static inline void
fuzz_silence(void)
{
	FILE *null = fopen("/dev/null", "w");
	if (null != NULL)
		stderr = null;
	diag_quiet(1);
}

/* Called after each input: diag remembers every message it printed (to print it once), which
 * would grow without end over millions of inputs. */
static inline void
fuzz_done(void)
{
	diag_reset();
}

/* satchel's promise is that bad input is reported, never ignored: a failure with no error
 * reported through diag is a finding too. */
static inline void
fuzz_check_reported(int rc, size_t errors_before, const char *what)
{
	if (rc != 0 && diag_error_count() <= errors_before) {
		fprintf(stdout, "%s failed without reporting an error\n", what);
		abort();
	}
}

/* Makes a fresh folder "$TMPDIR/satchel-fuzz-NAME-XXXXXX" (/tmp without TMPDIR) into dir
 * (size at least 256). libFuzzer ends with _Exit, so atexit handlers do not run under it: run.sh
 * points TMPDIR at a folder of its own and removes it after each target. */
static inline void
fuzz_tmpdir(char *dir, size_t size, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, size, "%s/satchel-fuzz-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
	if (mkdtemp(dir) == NULL)
		abort();
}

/* A copy of the input of exactly size bytes and no terminator, so that reading past the end is
 * caught, not hidden by a NUL. libFuzzer's own buffer is like that, but replay's may not be. */
static inline char *
fuzz_copy(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);
	if (p == NULL)
		abort();
	for (size_t i = 0; i < size; i++)
		p[i] = (char)data[i];
	return p;
}

#endif
