/* replay: runs kept fuzzing inputs through a target's LLVMFuzzerTestOneInput without libFuzzer,
 * so that `make check` replays the corpus and every past finding under ASan and UBSan with gcc.
 * Built once per target with FUZZ_NAME ("fuzz_config") and FUZZ_DIR (tests/fuzz) baked in; with
 * no arguments it runs every file of FUZZ_DIR/corpus/NAME and FUZZ_DIR/regressions/NAME, else
 * the files and folders given. A crash or leak ends the run through the sanitizer. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"

/* Targets need not define it; libFuzzer calls it only when they do. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int passed, failed;

static void
run_file(const char *path)
{
	struct buf b = BUF_INIT;
	if (fs_read_file(path, &b) != 0) {
		printf("FAIL %s: cannot read it\n", path);
		failed++;
		return;
	}
	/* An exact-size copy, as libFuzzer hands over: reads past the end are caught. */
	uint8_t *data = malloc(b.len ? b.len : 1);
	if (data == NULL)
		abort();
	memcpy(data, b.data, b.len);
	size_t len = b.len;
	buf_free(&b);
	fflush(stdout);
	LLVMFuzzerTestOneInput(data, len);
	free(data);
	printf("ok %s\n", path);
	passed++;
}

static void
run_path(const char *path)
{
	struct dirent **ents;
	int n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		run_file(path);
		return;
	}
	for (int i = 0; i < n; i++) {
		char *p = fs_join(path, ents[i]->d_name);
		struct stat st;
		if (ents[i]->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			run_file(p);
		free(p);
		free(ents[i]);
	}
	free(ents);
}

int
main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_path(argv[i]);
	} else {
		static const char *const kinds[] = {"corpus", "regressions"};
		for (size_t k = 0; k < 2; k++) {
			char *d = xasprintf("%s/%s/%s", FUZZ_DIR, kinds[k], FUZZ_NAME);
			run_path(d);
			free(d);
		}
	}
	printf("%s: %d passed, %d failed\n", FUZZ_NAME, passed, failed);
	return failed != 0;
}
