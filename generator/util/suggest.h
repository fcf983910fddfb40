/* suggest: "did you mean" — the closest of a set of names to one that is not among them, by
 * Damerau–Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two
 * neighbours), ASCII letters compared case-insensitively. Used for commands, options, site.yaml
 * keys, content types and front-matter fields, so every suggestion follows the same rule. */
#ifndef SATCHEL_SUGGEST_H
#define SATCHEL_SUGGEST_H

#include <stddef.h>

/* The edit distance between a and b; names longer than SUGGEST_MAX_LEN bytes are as far from
 * everything as SUGGEST_MAX_LEN. */
#define SUGGEST_MAX_LEN 64
size_t suggest_distance(const char *a, const char *b);

/* Collects candidates one by one (any set: a table, a list of types, a map's keys):
 *     struct suggest sg = SUGGEST_INIT(word);
 *     for (...) suggest_add(&sg, name);
 *     const char *best = suggest_best(&sg);      // NULL when nothing is close enough
 * A candidate is close enough when its distance is at most 1 for a word of up to 3 bytes, 2 up
 * to 6 and 3 beyond, or when the word is the start of it (3 bytes or more: "--incr" for
 * "--incremental"). Among several, the smallest distance wins, then the first added. The best
 * is borrowed from the caller's candidates. */
struct suggest {
	const char *word;
	const char *best;
	size_t best_distance;
};
#define SUGGEST_INIT(w) {(w), NULL, (size_t)-1}
void suggest_add(struct suggest *sg, const char *candidate);
const char *suggest_best(const struct suggest *sg);

/* The closest of a NULL-terminated list, by the same rule, or NULL. */
const char *suggest_closest(const char *word, const char *const *names);

#endif
