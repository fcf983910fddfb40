/* value: a small position-carrying data tree. */
#include "value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/map.h"
#include "util/xalloc.h"

/* A map with fewer keys than this is searched in order (cheaper than hashing, and no index to
 * keep); from this size on it keeps a hash index of its keys. */
#define INDEX_FROM 16

static struct value *
alloc(enum value_type t)
{
	struct value *v = xcalloc(1, sizeof *v);
	v->type = t;
	return v;
}

struct value *
value_new_null(void)
{
	return alloc(VALUE_NULL);
}

struct value *
value_new_bool(int b)
{
	struct value *v = alloc(VALUE_BOOL);
	v->u.b = b != 0;
	return v;
}

struct value *
value_new_int(int64_t i)
{
	struct value *v = alloc(VALUE_INT);
	v->u.i = i;
	return v;
}

struct value *
value_new_float(double f)
{
	struct value *v = alloc(VALUE_FLOAT);
	v->u.f = f;
	return v;
}

struct value *
value_new_stringn(const char *s, size_t n)
{
	struct value *v = alloc(VALUE_STRING);
	v->u.str.s = xstrndup(s, n);
	v->u.str.len = n;
	return v;
}

struct value *
value_new_string(const char *s)
{
	return value_new_stringn(s, strlen(s));
}

struct value *
value_new_string_own(char *s)
{
	struct value *v = alloc(VALUE_STRING);
	v->u.str.s = s;
	v->u.str.len = strlen(s);
	return v;
}

struct value *
value_new_html(const char *s)
{
	struct value *v = value_new_string(s);
	v->html = 1;
	return v;
}

struct value *
value_new_html_own(char *s)
{
	struct value *v = value_new_string_own(s);
	v->html = 1;
	return v;
}

struct value *
value_new_html_borrowed(const char *s, size_t n)
{
	struct value *v = alloc(VALUE_STRING);
	v->u.str.s = (char *)s;
	v->u.str.len = n;
	v->html = 1;
	v->borrowed = 1;
	return v;
}

struct value *
value_new_ref_once(const struct value *target)
{
	struct value *v = value_new_ref(target);
	v->once = 1;
	return v;
}

struct value *
value_new_list(void)
{
	return alloc(VALUE_LIST);
}

struct value *
value_new_map(void)
{
	return alloc(VALUE_MAP);
}

struct value *
value_new_ref(const struct value *target)
{
	struct value *v = alloc(VALUE_REF);
	v->u.ref = target;
	return v;
}

struct value *
value_list_push(struct value *list, struct value *item)
{
	if (list->u.list.len == list->u.list.cap) {
		list->u.list.cap = list->u.list.cap ? list->u.list.cap * 2 : 4;
		list->u.list.items =
		    xrealloc(list->u.list.items, list->u.list.cap * sizeof *list->u.list.items);
	}
	list->u.list.items[list->u.list.len++] = item;
	return item;
}

/* The position of key in map, or -1. */
static ptrdiff_t
find(const struct value *map, const char *key)
{
	if (map->u.map.index != NULL) {
		uintptr_t at = (uintptr_t)map_get(map->u.map.index, key);
		return at ? (ptrdiff_t)(at - 1) : -1;
	}
	for (size_t i = 0; i < map->u.map.len; i++)
		if (strcmp(map->u.map.keys[i], key) == 0)
			return (ptrdiff_t)i;
	return -1;
}

/* Makes the index match keys[] again, from scratch, once the map is big enough to have one. */
static void
reindex(struct value *map)
{
	if (map->u.map.index != NULL)
		map_free(map->u.map.index);
	if (map->u.map.len < INDEX_FROM) {
		free(map->u.map.index);
		map->u.map.index = NULL;
		return;
	}
	if (map->u.map.index == NULL)
		map->u.map.index = xcalloc(1, sizeof *map->u.map.index);
	for (size_t i = 0; i < map->u.map.len; i++)
		map_put(map->u.map.index, map->u.map.keys[i], (void *)(uintptr_t)(i + 1));
}

struct value *
value_map_set(struct value *map, const char *key, struct value *v)
{
	ptrdiff_t at = find(map, key);
	if (at >= 0) {
		value_free(map->u.map.vals[at]);
		map->u.map.vals[at] = v;
		return v;
	}
	if (map->u.map.len == map->u.map.cap) {
		map->u.map.cap = map->u.map.cap ? map->u.map.cap * 2 : 8;
		map->u.map.keys = xrealloc(map->u.map.keys, map->u.map.cap * sizeof *map->u.map.keys);
		map->u.map.vals = xrealloc(map->u.map.vals, map->u.map.cap * sizeof *map->u.map.vals);
		map->u.map.key_lines =
		    xrealloc(map->u.map.key_lines, map->u.map.cap * sizeof *map->u.map.key_lines);
	}
	size_t i = map->u.map.len++;
	map->u.map.key_lines[i] = 0;
	map->u.map.keys[i] = xstrdup(key);
	map->u.map.vals[i] = v;
	if (map->u.map.index != NULL)
		map_put(map->u.map.index, key, (void *)(uintptr_t)(i + 1));
	else if (map->u.map.len == INDEX_FROM)
		reindex(map);
	return v;
}

void
value_map_set_string(struct value *map, const char *key, const char *s)
{
	value_map_set(map, key, value_new_string(s));
}

void
value_map_set_int(struct value *map, const char *key, int64_t i)
{
	value_map_set(map, key, value_new_int(i));
}

void
value_map_set_bool(struct value *map, const char *key, int b)
{
	value_map_set(map, key, value_new_bool(b));
}

const struct value *
value_deref(const struct value *v)
{
	while (v != NULL && v->type == VALUE_REF)
		v = v->u.ref;
	return v;
}

const struct value *
value_map_get(const struct value *map, const char *key)
{
	map = value_deref(map);
	if (map == NULL || map->type != VALUE_MAP)
		return NULL;
	ptrdiff_t at = find(map, key);
	return at >= 0 ? map->u.map.vals[at] : NULL;
}

struct value *
value_map_take(struct value *map, const char *key)
{
	if (map == NULL || map->type != VALUE_MAP)
		return NULL;
	ptrdiff_t at = find(map, key);
	if (at < 0)
		return NULL;
	size_t i = (size_t)at, after = map->u.map.len - i - 1;
	struct value *v = map->u.map.vals[i];
	free(map->u.map.keys[i]);
	memmove(map->u.map.keys + i, map->u.map.keys + i + 1, after * sizeof *map->u.map.keys);
	memmove(map->u.map.vals + i, map->u.map.vals + i + 1, after * sizeof *map->u.map.vals);
	memmove(map->u.map.key_lines + i, map->u.map.key_lines + i + 1,
	        after * sizeof *map->u.map.key_lines);
	map->u.map.len--;
	if (map->u.map.index != NULL) /* the keys after it moved down one place */
		reindex(map);
	return v;
}

int
value_map_key_line(const struct value *map, const char *key)
{
	map = value_deref(map);
	if (map == NULL || map->type != VALUE_MAP)
		return 0;
	ptrdiff_t at = find(map, key);
	return at >= 0 ? map->u.map.key_lines[at] : 0;
}

struct map_ent {
	char *key;
	struct value *val;
	int line;
};

static int
cmp_map_ent(const void *a, const void *b)
{
	const struct map_ent *x = a, *y = b;
	return strcmp(x->key, y->key);
}

void
value_map_sort(struct value *map)
{
	size_t n = map->u.map.len;
	if (n < 2)
		return;
	struct map_ent *ents = xmalloc(n * sizeof *ents);
	for (size_t i = 0; i < n; i++)
		ents[i] = (struct map_ent){map->u.map.keys[i], map->u.map.vals[i], map->u.map.key_lines[i]};
	qsort(ents, n, sizeof *ents, cmp_map_ent);
	for (size_t i = 0; i < n; i++) {
		map->u.map.keys[i] = ents[i].key;
		map->u.map.vals[i] = ents[i].val;
		map->u.map.key_lines[i] = ents[i].line;
	}
	free(ents);
	if (map->u.map.index != NULL)
		reindex(map);
}

const char *
value_describe(const struct value *v, char *tmp, size_t size)
{
	v = value_deref(v);
	if (v == NULL)
		return "nothing";
	switch (v->type) {
	case VALUE_NULL: return "empty";
	case VALUE_BOOL: return v->u.b ? "true" : "false";
	case VALUE_INT: snprintf(tmp, size, "the number %lld", (long long)v->u.i); return tmp;
	case VALUE_FLOAT: snprintf(tmp, size, "the number %g", v->u.f); return tmp;
	case VALUE_STRING: return "text";
	case VALUE_LIST: return "a list";
	case VALUE_MAP: return "a mapping";
	case VALUE_REF: return "a reference";
	}
	return "?";
}

const char *
value_str(const struct value *v)
{
	v = value_deref(v);
	return v != NULL && v->type == VALUE_STRING ? v->u.str.s : NULL;
}

size_t
value_len(const struct value *v)
{
	v = value_deref(v);
	if (v == NULL)
		return 0;
	if (v->type == VALUE_LIST)
		return v->u.list.len;
	if (v->type == VALUE_MAP)
		return v->u.map.len;
	return 0;
}

const char *
value_type_name(enum value_type t)
{
	switch (t) {
	case VALUE_NULL: return "null";
	case VALUE_BOOL: return "boolean";
	case VALUE_INT: return "integer";
	case VALUE_FLOAT: return "number";
	case VALUE_STRING: return "string";
	case VALUE_LIST: return "list";
	case VALUE_MAP: return "mapping";
	case VALUE_REF: return "reference";
	}
	return "?";
}

struct value *
value_copy(const struct value *v)
{
	if (v == NULL)
		return NULL;
	struct value *c = alloc(v->type);
	c->line = v->line;
	c->col = v->col;
	c->html = v->html;
	c->quoted = v->quoted;
	c->once = v->once;
	switch (v->type) {
	case VALUE_STRING:
		c->u.str.s = xstrndup(v->u.str.s, v->u.str.len);
		c->u.str.len = v->u.str.len;
		break;
	case VALUE_LIST:
		for (size_t i = 0; i < v->u.list.len; i++)
			value_list_push(c, value_copy(v->u.list.items[i]));
		break;
	case VALUE_MAP:
		for (size_t i = 0; i < v->u.map.len; i++) {
			value_map_set(c, v->u.map.keys[i], value_copy(v->u.map.vals[i]));
			c->u.map.key_lines[i] = v->u.map.key_lines[i];
		}
		break;
	default:
		c->u = v->u;
	}
	return c;
}

void
value_free(struct value *v)
{
	if (v == NULL)
		return;
	switch (v->type) {
	case VALUE_STRING:
		if (!v->borrowed)
			free(v->u.str.s);
		break;
	case VALUE_LIST:
		for (size_t i = 0; i < v->u.list.len; i++)
			value_free(v->u.list.items[i]);
		free(v->u.list.items);
		break;
	case VALUE_MAP:
		for (size_t i = 0; i < v->u.map.len; i++) {
			free(v->u.map.keys[i]);
			value_free(v->u.map.vals[i]);
		}
		free(v->u.map.keys);
		free(v->u.map.vals);
		free(v->u.map.key_lines);
		if (v->u.map.index != NULL) {
			map_free(v->u.map.index);
			free(v->u.map.index);
		}
		break;
	default:
		break;
	}
	free(v);
}

void
value_write_json(const struct value *v, struct buf *out)
{
	v = value_deref(v);
	if (v == NULL) {
		buf_puts(out, "null");
		return;
	}
	switch (v->type) {
	case VALUE_NULL: buf_puts(out, "null"); break;
	case VALUE_BOOL: buf_puts(out, v->u.b ? "true" : "false"); break;
	case VALUE_INT: buf_printf(out, "%lld", (long long)v->u.i); break;
	case VALUE_FLOAT: buf_printf(out, "%.17g", v->u.f); break;
	case VALUE_STRING:
		buf_putc(out, '"');
		buf_add_json_escaped(out, v->u.str.s, v->u.str.len);
		buf_putc(out, '"');
		break;
	case VALUE_LIST:
		buf_putc(out, '[');
		for (size_t i = 0; i < v->u.list.len; i++) {
			if (i)
				buf_putc(out, ',');
			value_write_json(v->u.list.items[i], out);
		}
		buf_putc(out, ']');
		break;
	case VALUE_MAP:
		buf_putc(out, '{');
		for (size_t i = 0; i < v->u.map.len; i++) {
			if (i)
				buf_putc(out, ',');
			buf_putc(out, '"');
			buf_add_json_escaped(out, v->u.map.keys[i], strlen(v->u.map.keys[i]));
			buf_puts(out, "\":");
			value_write_json(v->u.map.vals[i], out);
		}
		buf_putc(out, '}');
		break;
	case VALUE_REF: break; /* followed above */
	}
}
