/* deps: the dependency record — for every output, what it was made from: a fingerprint of the
 * facts of the model it shows (its own source files, the UI strings of its language, the
 * configuration, the facts of the other pages it lists or links; view_job_facts computes it),
 * and the templates its render actually loaded (layout, extends, includes) with a fingerprint of
 * their text then. An output is fresh when both are as recorded: its facts fingerprint is the
 * same now, and the templates it loaded hash as they did. It knows nothing of the model: keys
 * are output paths, facts are numbers, templates are names. The record is text (one line per
 * output), kept by the driver (build: in its cache folder; an engine: in memory). */
#ifndef SATCHEL_DEPS_H
#define SATCHEL_DEPS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/map.h"

struct deps {
	struct map by_out; /* output path -> struct deps_entry */
};
#define DEPS_INIT {MAP_INIT}

struct deps_entry {
	uint64_t facts;
	uint64_t tmpl_fp;
	char *templates; /* the names, each followed by '\n', in first-use order */
};

/* What fingerprints are made of: XXH3 (libxxhash), 64 bits, each call seeded with the hash so
 * far. deps_hash_str includes the terminating NUL, so ("ab","c") and ("a","bc") differ. */
#define DEPS_SEED 1469598103934665603ULL
uint64_t deps_hash(uint64_t h, const void *data, size_t n);
uint64_t deps_hash_str(uint64_t h, const char *s);
uint64_t deps_hash_u64(uint64_t h, uint64_t v);

/* Reads a record written by deps_save into d (which it empties first). A damaged line is left
 * out (that output is then stale); a damaged record is an empty one. */
void deps_load(struct deps *d, const char *text, size_t len);
/* Appends d as text, in output order (so the same record gives the same bytes). */
void deps_save(const struct deps *d, struct buf *out);
/* Records out as made from facts and the templates named (each followed by '\n', copied) whose
 * text had fingerprint tmpl_fp; replaces what d had for out. */
void deps_set(struct deps *d, const char *out, uint64_t facts, const char *templates,
              uint64_t tmpl_fp);
const struct deps_entry *deps_get(const struct deps *d, const char *out);
/* Is out fresh: recorded with these facts, and do its recorded templates fingerprint now (by
 * tmpl_fp(payload, names)) as they did? */
int deps_fresh(const struct deps *d, const char *out, uint64_t facts,
               uint64_t (*tmpl_fp)(void *payload, const char *names), void *payload);
void deps_free(struct deps *d);

#endif
