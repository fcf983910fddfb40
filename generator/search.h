/* search: the per-language search index the library page's search box reads. Words come from ICU
 * word boundaries, are stemmed with libstemmer (Snowball) in their language where it has a stemmer
 * whose stems are prefixes of the words, and are folded (case, accents) so that a query typed
 * without them matches. The browser matches a query word to an indexed stem when either is a
 * prefix of the other, which is what lets the same index serve stems and half-typed words
 * without a stemmer in the browser. Only this module includes libstemmer. */
#ifndef SATCHEL_SEARCH_H
#define SATCHEL_SEARCH_H

#include <stddef.h>

#include "util/buf.h"

struct i18n_locale;
struct search_index;

struct search_index *search_new(void);
void search_free(struct search_index *ix);
/* Adds the words of text (UTF-8, n bytes) to document doc, each occurrence scoring weight (a
 * title word more than a body word), stemmed for language `lang` (a BCP 47 tag; no stemming when
 * libstemmer has none) and split in loc's rules. Documents are added in ascending order. Not
 * thread-safe for one index. */
void search_add(struct search_index *ix, size_t doc, const char *text, size_t n, unsigned weight,
                const char *lang, struct i18n_locale *loc);
/* Writes the index in shards, one per first letter of the stems, so a query fetches only the
 * shards of its words' first letters: emit gets the shard's name (that letter's code point in
 * lower-case hex: "61" for a, "43e" for о) and its JSON,
 * {"terms":{"stem":[doc,score,doc,score,...],...}}, stems in byte order and documents in
 * ascending order, so equal input gives equal bytes. A query word matches a stem that begins
 * with it or that it begins with: both start with the same letter. */
void search_write(const struct search_index *ix,
                  void (*emit)(void *payload, const char *shard, const struct buf *json),
                  void *payload);

#endif
