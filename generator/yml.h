/* yml: YAML text into a value tree, with libyaml. Only this module includes libyaml.
 * Plain scalars resolve as YAML 1.2's core schema (null, true/false, integers, floats);
 * quoted scalars are always strings. Aliases are refused (no billion laughs). */
#ifndef SATCHEL_YML_H
#define SATCHEL_YML_H

#include <stddef.h>

#include "value.h"

/* Parses the first document of text. path names the text in messages; line_offset is added to
 * every line (front matter starts below its opening ---). On a syntax error, an alias, a duplicate
 * key or a non-scalar key, reports `path:line:column: message` through diag and returns -1 with
 * *out NULL. An empty document gives a VALUE_NULL. The caller frees *out with value_free. */
int yml_parse(const char *path, const char *text, size_t len, int line_offset, struct value **out);

#endif
