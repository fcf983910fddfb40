/* translations: the state of every resource in every language — the source, up to date,
 * outdated (how many source changes behind, since when) or missing — from the site model and
 * git history, as a table for people or JSON for tools (`satchel translations`). */
#ifndef SATCHEL_TRANSLATIONS_H
#define SATCHEL_TRANSLATIONS_H

#include <stdio.h>

#include "site.h"
#include "value.h"

enum { FAIL_ON_OUTDATED = 1, FAIL_ON_MISSING = 2 };

/* Writes the report on the site (loaded with its history) to out, as a table or JSON. Returns
 * 1 when fail_on names a state some translation is in, else 0. */
int translations_report(const struct site *s, int json, int fail_on, FILE *out);

/* The same table as a value for templates: {languages = [{code, name}], rows = [{key, title,
 * url, source, cells = [{lang, state, behind, since, url, status}]}]} (status: the cell's
 * {state, behind, since} alone, as `--format json` prints it), languages derived from others left out. The
 * caller frees. */
struct value *translations_value(const struct site *s);

#endif
