/* map: a string-keyed hash map (open addressing, FNV-1a). Keys are copied; values are borrowed
 * pointers the caller manages. Not thread-safe for writes; concurrent reads are fine. */
#ifndef SATCHEL_MAP_H
#define SATCHEL_MAP_H

#include <stddef.h>
#include <stdint.h>

struct map {
	char **keys;
	void **vals;
	uint64_t *hashes; /* each key's hash: probes compare it before the string, growth reuses it */
	size_t len, cap;
};

#define MAP_INIT {NULL, NULL, NULL, 0, 0}

/* Sets key to val; returns the previous value or NULL. */
void *map_put(struct map *m, const char *key, void *val);
void *map_get(const struct map *m, const char *key);
void map_free(struct map *m);

#endif
