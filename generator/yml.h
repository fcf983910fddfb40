/* yml: YAML text into a value tree, with libyaml. Only this module includes libyaml.
 * Plain scalars resolve as YAML 1.2's core schema (null, true/false, integers, floats);
 * quoted scalars are always strings. Aliases are refused (no billion laughs). */
#ifndef SATCHEL_YML_H
#define SATCHEL_YML_H

#include <stddef.h>

#include "util/buf.h"
#include "value.h"

/* Parses the first document of text. path names the text in messages; line_offset is added to
 * every line (front matter starts below its opening ---). On a syntax error, an alias, a duplicate
 * key or a non-scalar key, reports `path:line:column: message` through diag and returns -1 with
 * *out NULL. An empty document gives a VALUE_NULL. The caller frees *out with value_free. */
int yml_parse(const char *path, const char *text, size_t len, int line_offset, struct value **out);

/* Appends v as a YAML document to out, with libyaml's emitter: every string is written so that it
 * reads back as that same string (quoted where it would read as something else: a number, true,
 * null, or text with a ':' or '#'), maps in their order, block style. Floats, HTML and references
 * are written as what they hold. 0, or -1 when the emitter refuses (invalid UTF-8). */
int yml_emit(const struct value *v, struct buf *out);

#endif
