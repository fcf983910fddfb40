/* i18n: what ICU does for satchel — locale-aware dates, numbers, plural categories, collation,
 * slugs and transliteration, and language display names. Only this module includes ICU.
 * UI string catalogs are not here (see catalog.h). */
#ifndef SATCHEL_I18N_H
#define SATCHEL_I18N_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* One ICU locale with its formatters. Not thread-safe: give each thread its own. */
struct i18n_locale;

/* id is a BCP 47 tag or ICU locale id ("en", "sr-Cyrl", "sr-Latn", "ar", "el"). Never NULL:
 * an unknown id falls back to ICU's root locale. */
struct i18n_locale *i18n_locale_new(const char *id);
void i18n_locale_free(struct i18n_locale *l);

/* Is id a well-formed BCP 47 language tag that ICU knows the language of? */
int i18n_locale_valid(const char *id);

/* The tags whose UI strings may stand in for code's, best first, into out; returns how many
 * (0 to 2): its language with its likely script, then its language alone when that is written
 * in the same script. "pt-BR": pt-Latn, pt; "sr-ME": sr-Latn (not sr: Cyrillic); "sr-Latn": sr-Latn
 * is the code itself, so none; "zh-TW": zh-Hant (not zh: Simplified). */
#define I18N_TAG_MAX 32
size_t i18n_language_parents(const char *code, char out[2][I18N_TAG_MAX]);

/* style: "full", "long", "medium", "short" (date only), or "iso" (YYYY-MM-DD). Time zone UTC so
 * output does not depend on the machine. Appends to out. */
void i18n_format_date(struct i18n_locale *l, int64_t unix_seconds, const char *style,
                      struct buf *out);
/* A date with its time of day as the locale writes them ("18 March 2027 at 10:00"), at the
 * UTC offset (seconds east) it was written with, so a time reads as its organisers wrote it. */
void i18n_format_datetime(struct i18n_locale *l, int64_t unix_seconds, long offset, struct buf *out);
/* Appends n in the locale's digits and grouping. */
void i18n_format_number(struct i18n_locale *l, double n, struct buf *out);
/* The CLDR plural category of n: "zero", "one", "two", "few", "many" or "other". Static string. */
const char *i18n_plural(struct i18n_locale *l, double n);
/* Compares UTF-8 strings by the locale's collation: <0, 0, >0. */
int i18n_collate(struct i18n_locale *l, const char *a, const char *b);
/* Appends a binary sort key for s (memcmp order equals i18n_collate order). */
void i18n_sort_key(struct i18n_locale *l, const char *s, struct buf *out);
/* Orders items by the text title(item, payload) gives, in l's collation; items with equal
 * texts keep their order. */
void i18n_sort_by(struct i18n_locale *l, void **items, size_t n,
                  const char *(*title)(const void *item, void *payload), void *payload);
/* The name of language `code` in the language of `in` ("bg" in "en" is "Bulgarian"); appends. */
void i18n_language_name(const char *code, const char *in, struct buf *out);
/* The name of language `code` in itself, capitalised as a menu shows it ("bg": "Български",
 * "ar": "العربية"); in English, or the code, when ICU has none. Appends. */
void i18n_language_autonym(const char *code, struct buf *out);
/* Is the language of code written right to left (ar, he, fa, ur…)? */
int i18n_is_rtl(const char *code);
/* The BCP 47 tag that pages of a site language declare (lang, hreflang, feeds): code itself
 * when it is a tag of the same language as locale ("sr" with locale sr-Cyrl), else locale as a
 * BCP 47 tag (a Hugo site's key "gr" with locale el: "el"; "se" with locale sv: "sv", not Sami).
 * "" when neither is a language ICU knows. */
void i18n_document_tag(const char *code, const char *locale, char out[I18N_TAG_MAX]);
/* Open Graph's ll_CC for a locale: its language and its likely country by ICU's likely subtags
 * ("el": el_GR, "ar": ar_EG, "sr-Latn": sr_RS, "pt-BR": pt_BR); "" when ICU gives no country. */
void i18n_og_locale(const char *locale, char out[I18N_TAG_MAX]);
/* Is code an ISO 3166-1 alpha-2 country or territory ICU knows ("BG", "XK"; either case)? */
int i18n_country_valid(const char *code);
/* The case of a word: capitalised ("Maria"), all capitals ("CAB", "МАРИЯ"), lower case
 * (first letter small: "van", "sky"), or none (a script without case, as Arabic). */
enum i18n_case { I18N_CASE_NONE, I18N_CASE_TITLE, I18N_CASE_UPPER, I18N_CASE_LOWER };
/* Calls fn for every word of s, for name checks: s is NFKC-normalised (full-width and styled
 * letters become plain ones) and its invisible format characters (zero-width space and joiners,
 * word joiner, BOM, soft hyphen) are taken out, so that "Ma\u200Bria" is "Maria"; one between a
 * lower- and an upper-case letter parts two words. A word is letters with apostrophes and
 * hyphens inside; fn gets it in UTF-8, folded (i18n_fold), its case, and what came before it
 * since the last word: ' ' white space only, ',' a comma (and white space), '.' anything else
 * or the start. The strings are valid during the call. Thread-safe. */
void i18n_name_words(const char *s,
                     void (*fn)(void *payload, const char *word, const char *folded,
                                enum i18n_case c, char sep),
                     void *payload);
/* The name of country `code` (ISO 3166-1 alpha-2, either case) in the language of `in`
 * ("GR" in "bg" is "Гърция"); appends the code itself when ICU has no name. */
void i18n_country_name(const char *code, const char *in, struct buf *out);
/* Every country or territory i18n_country_valid accepts, as upper-case codes in code order,
 * NULL-terminated; their number in *n. The caller frees each and the array. */
char **i18n_countries(size_t *n);

/* Calls fn for every word of UTF-8 text s (ICU word boundaries in locale l's rules; letters or
 * digits, not punctuation or spaces), lower-cased in l's rules, as a NUL-terminated UTF-8 string
 * valid during the call. Thread-safe for distinct l. */
void i18n_words(struct i18n_locale *l, const char *s, size_t n,
                void (*fn)(void *payload, const char *word, size_t len), void *payload);
/* Is c a character of a script written without spaces between words (Han, Hiragana, Katakana,
 * Thai, Lao, Khmer, Myanmar…, as ICU's uscript_breaksBetweenLetters says; not Hangul, which
 * Korean spaces)? Thread-safe. */
int i18n_unspaced(uint32_t c);
/* Splits UTF-8 text s, written without spaces, into words by ICU's word boundaries (its
 * dictionaries for Chinese, Japanese, Thai, Lao, Khmer, Burmese) and adds to *words how many
 * there are, to *ideo_words how many of them are Chinese or Japanese (ideographs, kana), and to
 * *ideo_chars the characters of those. Thread-safe; each thread keeps its iterator. */
void i18n_count_unspaced(const char *s, size_t n, size_t *words, size_t *ideo_words,
                         size_t *ideo_chars);
/* Appends word with case folded and accents and other combining marks removed ("Ελληνικά" ->
 * "ελληνικα", "dečja" -> "decja"): what search compares, so a query typed without them still
 * matches. Thread-safe. */
void i18n_fold(const char *word, size_t n, struct buf *out);

/* A slug for URLs and heading ids: Unicode-lowercased and NFC-normalised, letters and digits of any
 * script kept, every run of other characters turned into one '-', no leading or trailing '-'.
 * "Individual Assessment: Why?" -> "individual-assessment-why"; "Оценка на детето" -> "оценка-на-детето".
 * Thread-safe. Appends. */
void i18n_slug(const char *s, struct buf *out);

/* A heading id as GitHub gives it (github-slugger's rule, checked against GitHub's own
 * rendering): the text lowercased (full Unicode case mapping, no normalisation), each ASCII
 * space made '-', and every character removed that is punctuation other than '-' and
 * connectors such as '_', a symbol (emoji), a separator, a control, format or private-use
 * character, an unassigned one or a number that is neither a digit nor a letter-number, unless
 * it is alphabetic. Letters, marks and digits of every script stay. Runs are not collapsed:
 * "C & D" -> "c--d", "What's new?" -> "whats-new". n bytes of s; appends. Thread-safe. */
void i18n_heading_id(const char *s, size_t n, struct buf *out);

/* Transliterates UTF-8 text with an ICU transform id ("Serbian-Latin/BGN", "Any-Latin").
 * For Serbian Cyrillic to Serbian Latin use "Serbian-Latin/BGN" (alias "sr-sr_Latn/BGN"):
 * "Дечја заштита" -> "Dečja zaštita", "Љ" -> "Lj". Plain "sr-sr_Latn", "Cyrillic-Latin" and
 * "Any-Latin" give ISO 9 letters instead ("Dečǰa", "L̂"). Each thread keeps its last eight
 * transforms open, so repeating a few ids is cheap. The text appended is in NFC, whatever the
 * transform leaves ("ћ" -> "ć", U+0107, not "c" and U+0301). Returns 0, or -1 if the id is
 * unknown. Thread-safe. Appends. */
int i18n_transliterate(const char *transform_id, const char *s, struct buf *out);
/* The transform id of satchel's own Serbian Latin -> Cyrillic rules (lower and upper case,
 * the digraphs lj, nj, dž first): ICU's Latin-Cyrillic makes "ljubav" "лйубав". */
#define I18N_SR_LATN_CYRL "satchel/sr_Latn-sr_Cyrl"

/* Is s valid UTF-8? On failure *bad (when not NULL) gets the offset of the first bad byte. */
int i18n_utf8_valid(const char *s, size_t n, size_t *bad);

/* Releases ICU's process-wide caches. Call once at exit, after every locale is freed and no
 * thread uses ICU any more (it keeps leak checkers quiet). */
void i18n_shutdown(void);

#endif
