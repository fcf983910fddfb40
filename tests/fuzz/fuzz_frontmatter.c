/* fuzz_frontmatter: a content file's bytes through fm_parse (UTF-8 check, BOM, CRLF, the ---
 * fences, the YAML of the front matter into a value tree), then the tree written as JSON the way
 * templates' json() and the search index see it, and copied. */
#include <string.h>

#include "frontmatter.h"
#include "fuzz.h"
#include "util/buf.h"
#include "value.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_silence();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_copy(data, size);
	struct fm_doc d;
	size_t before = diag_error_count();
	int rc = fm_parse("content/fuzz.md", text, size, &d);
	fuzz_check_reported(rc, before, "fm_parse");
	if (rc == 0) {
		if (d.meta == NULL || d.meta->type != VALUE_MAP || d.body_off > size || d.body_line < 1)
			abort();
		struct buf b = BUF_INIT;
		value_write_json(d.meta, &b);
		struct value *copy = value_copy(d.meta);
		value_free(copy);
		buf_free(&b);
		fm_doc_free(&d);
	}
	free(text);
	fuzz_done();
	return 0;
}
