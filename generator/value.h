/* value: a small tree of data (null, bool, number, string, list, map) that carries source positions.
 * YAML config and front matter parse into it, and the site model hands it to templates.
 * It does not know about YAML, Lua or pages. */
#ifndef SATCHEL_VALUE_H
#define SATCHEL_VALUE_H

#include <stddef.h>
#include <stdint.h>

struct map;

enum value_type {
	VALUE_NULL,
	VALUE_BOOL,
	VALUE_INT,
	VALUE_FLOAT,
	VALUE_STRING,
	VALUE_LIST,
	VALUE_MAP,
	VALUE_REF, /* a borrowed pointer to another value that outlives this one; never freed through here */
};

struct value {
	enum value_type type;
	int line, col;       /* one-based position in its source; 0 when made in code */
	unsigned html : 1;   /* VALUE_STRING that is already safe HTML: templates do not escape it */
	unsigned quoted : 1; /* VALUE_STRING that was a quoted YAML scalar */
	unsigned borrowed : 1; /* VALUE_STRING whose text belongs to someone else: not freed here */
	unsigned once : 1;     /* VALUE_REF to data only one render uses: templates do not keep it */
	union {
		int b;
		int64_t i;
		double f;
		struct {
			char *s;
			size_t len;
		} str;
		struct {
			struct value **items;
			size_t len, cap;
		} list;
		struct {
			char **keys;
			struct value **vals;
			int *key_lines; /* one-based line of each key; 0 when made in code */
			size_t len, cap;
			/* key -> position + 1, once the map has more than a few keys, so that lookups
			 * and inserts stay O(1) (front matter may hold 100,000 keys). Built on insert, never
			 * on lookup: concurrent readers only read. Keep keys/vals in step through the
			 * functions below, not by writing them directly. */
			struct map *index;
		} map;
		const struct value *ref;
	} u;
};

struct value *value_new_null(void);
struct value *value_new_bool(int b);
struct value *value_new_int(int64_t i);
struct value *value_new_float(double f);
struct value *value_new_string(const char *s);
struct value *value_new_stringn(const char *s, size_t n);
/* Takes ownership of s (allocated with malloc). */
struct value *value_new_string_own(char *s);
/* A string that is already safe HTML (rendered Markdown, for example). */
struct value *value_new_html(const char *s);
struct value *value_new_html_own(char *s);
/* A safe HTML string that borrows s (not copied, not freed): s must outlive the value. A copy
 * (value_copy) owns its text. */
struct value *value_new_html_borrowed(const char *s, size_t n);
struct value *value_new_list(void);
struct value *value_new_map(void);
struct value *value_new_ref(const struct value *target);
/* A reference whose target one render alone uses (a page's own front matter): a template
 * engine converts it for that render, as if it were copied, rather than keeping it. */
struct value *value_new_ref_once(const struct value *target);

/* Both take ownership of item/v. value_map_set replaces an existing key. Return the added value.
 * Lookups and inserts take constant time on average, whatever the size of the map. */
struct value *value_list_push(struct value *list, struct value *item);
struct value *value_map_set(struct value *map, const char *key, struct value *v);
/* Shortcuts for map building; s is copied. */
void value_map_set_string(struct value *map, const char *key, const char *s);
void value_map_set_int(struct value *map, const char *key, int64_t i);
void value_map_set_bool(struct value *map, const char *key, int b);

/* Follows VALUE_REF links. Borrowed. */
const struct value *value_deref(const struct value *v);
/* NULL when map is not a map or has no such key. Borrowed. */
const struct value *value_map_get(const struct value *map, const char *key);
/* Removes key from map and returns its value, now owned by the caller (NULL if absent). Linear
 * in the size of the map. */
struct value *value_map_take(struct value *map, const char *key);
/* The line of key in map (0 when unknown or absent). */
int value_map_key_line(const struct value *map, const char *key);
/* Orders a map's entries by key (strcmp), for maps whose order nothing else decides. */
void value_map_sort(struct value *map);
/* Describes v for messages: "a list", "a mapping", "text", "the number 3", "true"… Static or
 * written into tmp (size at least 64). */
const char *value_describe(const struct value *v, char *tmp, size_t size);
/* The string of a VALUE_STRING, else NULL. Borrowed. */
const char *value_str(const struct value *v);
/* Number of items of a list or map; 0 for anything else. */
size_t value_len(const struct value *v);
const char *value_type_name(enum value_type t);
/* Appends v as compact JSON (map keys in their order; html strings as strings; refs followed),
 * safe inside HTML: <, > and & are escaped. */
struct buf;
void value_write_json(const struct value *v, struct buf *out);
/* A deep copy (refs stay refs). */
struct value *value_copy(const struct value *v);

void value_free(struct value *v);

#endif
