/* fuzz_filetype: any bytes through filetype_scan, the parser of EXIF, XMP, ISO media boxes,
 * ID3, Vorbis comments and ZIP containers that every file published as it is goes through. */
#include <string.h>

#include "filetype.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *found = filetype_scan(data, size);
	if (found != NULL && *found == '\0')
		abort();
	free(found);
	fuzz_done();
	return 0;
}
