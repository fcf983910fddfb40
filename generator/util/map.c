/* map: a string-keyed hash map with open addressing. */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
slot(char **keys, size_t cap, const char *key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (keys[i] != NULL && strcmp(keys[i], key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

static void
grow(struct map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = xcalloc(cap, sizeof *keys);
	void **vals = xcalloc(cap, sizeof *vals);
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		size_t j = slot(keys, cap, m->keys[i]);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	free(m->keys);
	free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
}

void *
map_put(struct map *m, const char *key, void *val)
{
	if ((m->len + 1) * 4 > m->cap * 3)
		grow(m);
	size_t i = slot(m->keys, m->cap, key);
	if (m->keys[i] != NULL) {
		void *old = m->vals[i];
		m->vals[i] = val;
		return old;
	}
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->len++;
	return NULL;
}

void *
map_get(const struct map *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	size_t i = slot(m->keys, m->cap, key);
	return m->keys[i] ? m->vals[i] : NULL;
}

void
map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	m->keys = NULL;
	m->vals = NULL;
	m->len = m->cap = 0;
}
