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
	/* FNV's low bits, which pick the slot, mix poorly for keys that differ only at the end
	 * ("en\x01word", "/en/x/1/"); a finaliser spreads every bit over them. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static size_t
slot(char *const *keys, const uint64_t *hashes, size_t cap, const char *key, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (keys[i] != NULL && (hashes[i] != h || strcmp(keys[i], key) != 0))
		i = (i + 1) & (cap - 1);
	return i;
}

static void
grow(struct map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **keys = xcalloc(cap, sizeof *keys);
	void **vals = xcalloc(cap, sizeof *vals);
	uint64_t *hashes = xcalloc(cap, sizeof *hashes);
	for (size_t i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		size_t j = (size_t)m->hashes[i] & (cap - 1);
		while (keys[j] != NULL) /* keys are distinct: the first free slot */
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
		hashes[j] = m->hashes[i];
	}
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	m->keys = keys;
	m->vals = vals;
	m->hashes = hashes;
	m->cap = cap;
}

void *
map_put(struct map *m, const char *key, void *val)
{
	if ((m->len + 1) * 2 > m->cap) /* at most half full: linear probes stay short */
		grow(m);
	uint64_t h = hash(key);
	size_t i = slot(m->keys, m->hashes, m->cap, key, h);
	if (m->keys[i] != NULL) {
		void *old = m->vals[i];
		m->vals[i] = val;
		return old;
	}
	m->keys[i] = xstrdup(key);
	m->vals[i] = val;
	m->hashes[i] = h;
	m->len++;
	return NULL;
}

void *
map_get(const struct map *m, const char *key)
{
	if (m->cap == 0)
		return NULL;
	size_t i = slot(m->keys, m->hashes, m->cap, key, hash(key));
	return m->keys[i] ? m->vals[i] : NULL;
}

void
map_free(struct map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	free(m->hashes);
	m->keys = NULL;
	m->vals = NULL;
	m->hashes = NULL;
	m->len = m->cap = 0;
}
