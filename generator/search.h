/* search: the per-language search index under /LANG/search/ (docs/search-format.md, format v1).
 * Words come from ICU word boundaries, are stemmed with libstemmer (Snowball) in their document's
 * language where it has a stemmer, and folded (case, accents; i18n_fold) so that a query typed
 * without them matches. The index maps every surface form it saw (and, made with ICU transforms,
 * its Latin or Serbian Cyrillic transliteration) to its term, so the browser needs no stemmer.
 * Work comes in two steps: an extractor (one per thread) turns a document's texts into a compact
 * search_doc once; an index (one per site language) takes the docs in id order and writes the
 * manifest and the pieces. Fragments (per-document texts) are the caller's. Only this module
 * includes libstemmer. */
#ifndef SATCHEL_SEARCH_H
#define SATCHEL_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct i18n_locale;

/* A text's field, for BM25F: its words count title 6, heading 3, meta (summary, terms, file
 * names, captions, transcripts) 2, body 1. */
enum search_field { SEARCH_TITLE, SEARCH_HEADING, SEARCH_META, SEARCH_BODY };

/* A piece's JSON is split (by a longer prefix) past this many bytes. */
enum { SEARCH_PIECE_MAX = 12 * 1024 };

struct search_extractor;
struct search_doc;
struct search_index;

/* An extractor keeps stemmers and caches: one per thread (not thread-safe). */
struct search_extractor *search_extractor_new(void);
void search_extractor_free(struct search_extractor *x);
/* Starts a document; what an earlier one left unfinished is dropped. */
void search_doc_begin(struct search_extractor *x);
/* Adds the words of text (UTF-8, n bytes) in field f, in language lang (a BCP 47 tag; stemmed
 * when libstemmer has that language) split and lower-cased in loc's rules. */
void search_doc_add(struct search_extractor *x, const char *text, size_t n, enum search_field f,
                    const char *lang, struct i18n_locale *loc);
/* The document begun: its terms with weighted counts and its distinct words. The caller frees. */
struct search_doc *search_doc_end(struct search_extractor *x);
void search_doc_free(struct search_doc *d);
/* How many words the document has (all fields). */
size_t search_doc_words(const struct search_doc *d);

/* As i18n_fold(word, n, out), the same bytes, mostly without ICU: a character at a time from a
 * table made once (the first call takes some milliseconds). Thread-safe. Appends. */
void search_fold(const char *word, size_t n, struct buf *out);

/* An index of site language lang (copied). */
struct search_index *search_new(const char *lang);
void search_free(struct search_index *ix);
/* Adds doc d as document id; ids ascending. d is borrowed until search_write returns (the
 * index keeps pointers to its strings). Not thread-safe for one index. */
void search_put(struct search_index *ix, uint32_t id, const struct search_doc *d);
/* Writes the index of ndocs documents: words of Cyrillic, Greek and Arabic script get their
 * Latin forms (and Serbian Latin words their Cyrillic ones) here, once per distinct word
 * (search_transforms says which); the first nitems documents are facets items. Writes every
 * piece as "t/N.json" then the manifest "index.json", through emit (name relative to /LANG/search/).
 * extra_hash goes into the manifest's id with the pieces' bytes (the caller's fragments). Equal
 * input gives equal bytes; piece_max 0 means SEARCH_PIECE_MAX. */
void search_write(struct search_index *ix, size_t ndocs, size_t nitems, uint64_t extra_hash,
                  size_t piece_max,
                  void (*emit)(void *payload, const char *name, const struct buf *json),
                  void *payload);
/* The ICU transform ids through which word (lower case) of language lang gets extra forms,
 * NULL-terminated (static strings), chosen by the script of its first letter past ASCII: a
 * Cyrillic word of bg "Bulgarian-Latin/BGN; Latin-ASCII" and "Any-Latin; Latin-ASCII"; Greek
 * "Greek-Latin/UNGEGN; Latin-ASCII" and "Any-Latin; Latin-ASCII"; a Latin word with accents
 * "Latin-ASCII" (đ -> d, ß -> ss); a Latin word of sr (any script subtag) also
 * I18N_SR_LATN_CYRL. */
const char *const *search_transforms(const char *lang, const char *word);

#endif
