/* catalog: the UI strings of a theme and a site, per language (themes/NAME/i18n/LANG.yaml, then
 * the site's i18n/LANG.yaml over it), with fallback to the default language and plural forms.
 * Read-only after loading, so threads may share it. */
#ifndef SATCHEL_CATALOG_H
#define SATCHEL_CATALOG_H

#include <stddef.h>

#include "i18n.h"
#include "util/buf.h"
#include "value.h"

struct catalog;

/* nlangs languages, by index; fallback is the default language's index. */
struct catalog *catalog_new(size_t nlangs, size_t fallback);
void catalog_free(struct catalog *c);
/* Merges a YAML file's mapping of key -> string (or plural map) into language lang; later loads
 * win. Nested mappings that are not plural forms are flattened with '.' ("topics": {"barnahus":
 * "Barnahus"} gives "topics.barnahus"). Errors are reported with path:line; returns -1. */
int catalog_load(struct catalog *c, size_t lang, const char *path, const char *text, size_t len);
/* Fills language lang with language from's strings, transliterated with an ICU transform
 * (Serbian Latin from Serbian Cyrillic). Strings lang already has are kept. */
void catalog_derive(struct catalog *c, size_t lang, size_t from, const char *transform);
/* The raw entry for key in lang, else in the fallback language, else NULL. Borrowed. */
const struct value *catalog_get(const struct catalog *c, size_t lang, const char *key);
/* Appends the string for key: a plural map picks the form for count (NAN when there is none) with
 * loc's plural rules; {count} becomes count in loc's digits and {NAME} vars.NAME (vars may be
 * NULL). An unknown key appends the key itself. */
void catalog_format(const struct catalog *c, size_t lang, struct i18n_locale *loc, const char *key,
                    double count, const struct value *vars, struct buf *out);
/* Like catalog_format without count and vars, but returns NULL when the key is nowhere. */
const char *catalog_string(const struct catalog *c, size_t lang, const char *key);

#endif
