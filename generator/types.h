/* types: content types. Each section's pages follow a type: the front-matter fields it has, their
 * kinds, which are required and which a translation inherits from its source, plus the layout
 * that shows it. The theme declares its types in types.yaml; site.yaml `types:` adds to them or
 * replaces one. This module reads and checks the declarations and checks one page's front matter
 * against its type; site applies it to every page. */
#ifndef SATCHEL_TYPES_H
#define SATCHEL_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

enum field_kind {
	FIELD_TEXT,      /* one line or paragraph of text */
	FIELD_TEXTS,     /* a list of texts */
	FIELD_DATE,      /* 2025-03-14 or 2025-03-14T09:30:00+02:00 */
	FIELD_NUMBER,    /* a whole number */
	FIELD_BOOL,      /* true or false */
	FIELD_URL,       /* an absolute http(s) address */
	FIELD_PAGE,      /* another page of the site: its path (../x/index.md), key (partners/x) or name */
	FIELD_PAGES,     /* a list of such */
	FIELD_FILE,      /* a file of the page's bundle, by name */
	FIELD_CHOICE,    /* one of `values` */
	FIELD_COUNTRY,   /* an ISO 3166-1 alpha-2 code (XK for Kosovo) */
	FIELD_COUNTRIES, /* a list of such */
	FIELD_AGES,      /* an age range: "12-15", "14" or "16+" */
	FIELD_CONSENT,   /* a consent record {child, guardian, given, review, recorded_by}: a page of
	                  * a type with one is published only while it is valid (see safeguard.h) */
};

struct field {
	char *name;
	enum field_kind kind;
	int required;
	int shared;     /* a translation that does not set it takes the source's value */
	char **values;  /* FIELD_CHOICE: the allowed values */
	size_t nvalues;
	char *to;       /* FIELD_PAGE(S): the type of the page named, or NULL for any page */
};

struct ctype {
	char *name;
	char *schema;   /* schema.org type for its JSON-LD: "LearningResource", "Event"… */
	int resource;   /* a resource: in the library, the `types` taxonomy and the latest lists */
	char *parts;    /* the type of the pages in its folder (a course's modules), or NULL */
	struct field *fields;
	size_t nfields;
};

struct types {
	struct ctype *v;
	size_t n;
};

/* Adds the type declarations in decl (a map of type name -> {schema, resource, parts, fields}) to
 * t, replacing a type of the same name. path names decl's file in messages. Returns 0, or -1 after
 * reporting every problem as `path:line:col: message`. */
int types_add(struct types *t, const char *path, const struct value *decl);
/* Checks that every `to:` and `parts:` names a declared type. -1 after reporting. */
int types_check(const struct types *t, const char *path);
/* The type with this name, or NULL. */
const struct ctype *types_get(const struct types *t, const char *name);
const struct field *type_field(const struct ctype *ct, const char *name);
void types_free(struct types *t);

/* Front-matter keys every page may have, whatever its type. */
int types_common_key(const char *key);
/* Checks one value against its field's kind (not FIELD_PAGE(S) targets or FIELD_FILE presence:
 * those need the site). Reports `src:line:col: 'name' must be …` and returns -1 when it is wrong. */
int field_check(const struct field *f, const char *src, const struct value *v);
/* Parses an age range "12-15", "12–15", "16+" or "14" into [lo, hi] (hi -1 for open). 0 or -1. */
int parse_ages(const char *s, int *lo, int *hi);
/* Parses YYYY-MM-DD with an optional THH:MM[:SS][.frac][Z|±HH:MM] into Unix seconds and a
 * malloc'd "YYYY-MM-DD". 0, or -1 when it is not such a date. */
int parse_date(const char *s, int64_t *ts, char **ymd);
/* The same, also saying whether a time of day was given and its UTC offset in seconds. */
int parse_date_full(const char *s, int64_t *ts, char **ymd, int *has_time, long *offset);

#endif
