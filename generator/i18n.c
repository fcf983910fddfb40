/* i18n: the adapter to ICU. It owns every ICU object satchel opens and turns ICU's UTF-16 into the
 * UTF-8 the rest of the program speaks. Locales open their formatters lazily; slugs,
 * transliteration and UTF-8 checks share no mutable state between threads, so any thread may
 * call them.
 * What to format, and in which language, is the caller's business. */
#include "i18n.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uclean.h>
#include <unicode/uchar.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/uloc.h>
#include <unicode/uregion.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/unum.h>
#include <unicode/upluralrules.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "util/map.h"
#include "util/xalloc.h"

/* ICU measures text in int32_t; inputs past this are treated as too large to process. */
#define TEXT_MAX (INT32_MAX / 4)
#define NSTYLES 4

struct i18n_locale {
	char id[ULOC_FULLNAME_CAPACITY]; /* ICU locale id; "" is the root locale */
	UDateFormat *date[NSTYLES];
	UNumberFormat *num;
	UPluralRules *plural;
	UCollator *coll;
	UBreakIterator *words; /* word boundaries, reused with ubrk_setText */
	unsigned failed; /* FAIL_* bits: opens that failed once are not retried */
	/* Dates formatted, by style and UTC day ("2:20102"): the formats show the day alone, and
	 * a site's pages share few days among many entries. */
	struct map dates;
};

enum {
	FAIL_DATE = 1 << 0, /* shifted by the style index */
	FAIL_NUM = 1 << NSTYLES,
	FAIL_PLURAL = 1 << (NSTYLES + 1),
	FAIL_COLL = 1 << (NSTYLES + 2),
};

/* A UTF-16 scratch buffer: on the stack for the common short string, on the heap past that. */
struct ubuf {
	UChar *p;
	int32_t cap;
	UChar stack[256];
};

static void
ubuf_init(struct ubuf *u)
{
	u->p = u->stack;
	u->cap = (int32_t)(sizeof(u->stack) / sizeof(u->stack[0]));
}

/* Makes room for n units; the old contents are not kept. */
static void
ubuf_reserve(struct ubuf *u, int32_t n)
{
	if (n <= u->cap)
		return;
	if (u->p != u->stack)
		free(u->p);
	u->p = xmalloc((size_t)n * sizeof(UChar));
	u->cap = n;
}

static void
ubuf_free(struct ubuf *u)
{
	if (u->p != u->stack)
		free(u->p);
	ubuf_init(u);
}

/* Converts n bytes of UTF-8 into u; ill-formed bytes become U+FFFD, as ICU's own UTF-8 entry
 * points treat them, so sort keys agree with ucol_strcollUTF8. Returns the length or -1. */
static int32_t
ubuf_from_utf8(struct ubuf *u, const char *s, size_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = 0;

	if (n > TEXT_MAX)
		return -1;
	ubuf_reserve(u, (int32_t)n + 1); /* UTF-16 never needs more units than UTF-8 has bytes */
	u_strFromUTF8WithSub(u->p, u->cap, &len, s, (int32_t)n, 0xFFFD, NULL, &err);
	return U_FAILURE(err) ? -1 : len;
}

/* Appends n units of UTF-16 as UTF-8; a lone surrogate becomes U+FFFD. */
static void
put_u16(struct buf *out, const UChar *u, int32_t n)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = 0;

	if (n <= 0 || n > TEXT_MAX)
		return;
	buf_grow(out, (size_t)n * 3); /* one unit is at most three bytes, a pair four */
	u_strToUTF8WithSub(out->data + out->len, n * 3, &len, u, n, 0xFFFD, NULL, &err);
	if (U_SUCCESS(err))
		out->len += (size_t)len;
	out->data[out->len] = '\0';
}

static void
put_utf8_cp(struct buf *out, UChar32 c)
{
	char *p;

	buf_grow(out, 4);
	p = out->data + out->len;
	if (c < 0x80) {
		p[0] = (char)c;
		out->len += 1;
	} else if (c < 0x800) {
		p[0] = (char)(0xC0 | (c >> 6));
		p[1] = (char)(0x80 | (c & 0x3F));
		out->len += 2;
	} else if (c < 0x10000) {
		p[0] = (char)(0xE0 | (c >> 12));
		p[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[2] = (char)(0x80 | (c & 0x3F));
		out->len += 3;
	} else {
		p[0] = (char)(0xF0 | (c >> 18));
		p[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		p[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		p[3] = (char)(0x80 | (c & 0x3F));
		out->len += 4;
	}
	out->data[out->len] = '\0';
}

/* Turns a BCP 47 tag or an ICU id into a canonical ICU id in out ("" when it is neither).
 * Returns 1 if id was a complete, well-formed BCP 47 tag. */
static int
canonical_id(const char *id, char *out, int32_t cap)
{
	UErrorCode err = U_ZERO_ERROR;
	int32_t parsed = 0, n;

	out[0] = '\0';
	if (id == NULL || *id == '\0' || strlen(id) >= (size_t)cap)
		return 0;
	n = uloc_forLanguageTag(id, out, cap, &parsed, &err);
	if (U_SUCCESS(err) && err != U_STRING_NOT_TERMINATED_WARNING && n > 0 &&
	    (size_t)parsed == strlen(id))
		return 1;
	/* Not a whole BCP 47 tag: perhaps an ICU id such as "sr_Latn" or "en_US_POSIX". */
	err = U_ZERO_ERROR;
	uloc_canonicalize(id, out, cap, &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING)
		out[0] = '\0';
	return 0;
}

/* Does ICU know the language of an ICU locale id? ISO 639 codes it knows have a 3-letter form. */
static int
language_known(const char *icu_id)
{
	const char *iso3;

	if (*icu_id == '\0')
		return 0;
	iso3 = uloc_getISO3Language(icu_id);
	return iso3 != NULL && *iso3 != '\0';
}

/* Has ICU locale data for the language of icu_id? Without it ICU would fall back to the machine's
 * default locale, and a site's dates would depend on the LANG of whoever builds it. */
static int
language_has_data(const char *icu_id)
{
	char lang[ULOC_LANG_CAPACITY];
	UErrorCode err = U_ZERO_ERROR;
	int32_t i, n;

	uloc_getLanguage(icu_id, lang, (int32_t)sizeof(lang), &err);
	if (U_FAILURE(err) || err == U_STRING_NOT_TERMINATED_WARNING || lang[0] == '\0')
		return 0;
	n = uloc_countAvailable();
	for (i = 0; i < n; i++)
		if (strcmp(uloc_getAvailable(i), lang) == 0)
			return 1;
	return 0;
}

struct i18n_locale *
i18n_locale_new(const char *id)
{
	struct i18n_locale *l = xcalloc(1, sizeof(*l));

	canonical_id(id, l->id, (int32_t)sizeof(l->id));
	if (!language_has_data(l->id))
		l->id[0] = '\0';
	return l;
}

void
i18n_locale_free(struct i18n_locale *l)
{
	int i;

	if (l == NULL)
		return;
	for (size_t k = 0; k < l->dates.cap; k++)
		if (l->dates.keys[k] != NULL)
			free(l->dates.vals[k]);
	map_free(&l->dates);
	for (i = 0; i < NSTYLES; i++)
		if (l->date[i] != NULL)
			udat_close(l->date[i]);
	if (l->num != NULL)
		unum_close(l->num);
	if (l->plural != NULL)
		uplrules_close(l->plural);
	if (l->coll != NULL)
		ucol_close(l->coll);
	if (l->words != NULL)
		ubrk_close(l->words);
	free(l);
}

int
i18n_locale_valid(const char *id)
{
	char icu[ULOC_FULLNAME_CAPACITY];

	return canonical_id(id, icu, (int32_t)sizeof(icu)) && language_known(icu);
}

/* The language and script ICU's likely subtags give an ICU id ("pt_BR" -> pt, Latn). */
static int
likely_parts(const char *icu, char *lang, char *script)
{
	char max[ULOC_FULLNAME_CAPACITY];
	UErrorCode err = U_ZERO_ERROR;
	uloc_addLikelySubtags(icu, max, (int32_t)sizeof(max), &err);
	uloc_getLanguage(max, lang, ULOC_LANG_CAPACITY, &err);
	uloc_getScript(max, script, ULOC_SCRIPT_CAPACITY, &err);
	return U_SUCCESS(err) && err != U_STRING_NOT_TERMINATED_WARNING && *lang && *script ? 0 : -1;
}

size_t
i18n_language_parents(const char *code, char out[2][I18N_TAG_MAX])
{
	char icu[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY], script[ULOC_SCRIPT_CAPACITY];
	char lang2[ULOC_LANG_CAPACITY], script2[ULOC_SCRIPT_CAPACITY];
	size_t n = 0;
	if (code == NULL || !canonical_id(code, icu, (int32_t)sizeof(icu)) ||
	    likely_parts(icu, lang, script) < 0)
		return 0;
	/* Tags as a site writes them: "sr-Latn", "pt". */
	snprintf(out[n], I18N_TAG_MAX, "%s-%s", lang, script);
	if (strcmp(out[n], code) != 0)
		n++;
	if (likely_parts(lang, lang2, script2) == 0 && strcmp(script, script2) == 0 &&
	    strcmp(lang, code) != 0)
		snprintf(out[n++], I18N_TAG_MAX, "%s", lang);
	return n;
}

/* Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's civil_from_days),
 * exact for every int64_t second so no input can make it misbehave. */
static void
put_iso_date(struct buf *out, int64_t secs)
{
	int64_t days = secs / 86400 - (secs % 86400 < 0);
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	if (y < 0)
		buf_printf(out, "-%04lld-%02lld-%02lld", -(long long)y, (long long)m, (long long)d);
	else
		buf_printf(out, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
}

static UDateFormat *
date_format(struct i18n_locale *l, int style)
{
	static const UDateFormatStyle icu_style[NSTYLES] = {UDAT_FULL, UDAT_LONG, UDAT_MEDIUM,
	                                                     UDAT_SHORT};
	static const UChar utc[] = {'U', 'T', 'C', 0};
	UErrorCode err = U_ZERO_ERROR;

	if (l->date[style] == NULL && !(l->failed & (FAIL_DATE << style))) {
		l->date[style] = udat_open(UDAT_NONE, icu_style[style], l->id, utc, -1, NULL, 0, &err);
		if (U_FAILURE(err)) {
			if (l->date[style] != NULL)
				udat_close(l->date[style]);
			l->date[style] = NULL;
			l->failed |= FAIL_DATE << style;
		}
	}
	return l->date[style];
}

void
i18n_format_date(struct i18n_locale *l, int64_t unix_seconds, const char *style, struct buf *out)
{
	static const char *const names[NSTYLES] = {"full", "long", "medium", "short"};
	struct ubuf u;
	UDateFormat *f;
	UErrorCode err = U_ZERO_ERROR;
	UDate ms = (UDate)unix_seconds * 1000.0;
	int32_t n;
	int i, s = 2; /* an unknown style reads as "medium" */

	if (style != NULL && strcmp(style, "iso") == 0) {
		put_iso_date(out, unix_seconds);
		return;
	}
	for (i = 0; style != NULL && i < NSTYLES; i++)
		if (strcmp(style, names[i]) == 0)
			s = i;
	if (l == NULL || (f = date_format(l, s)) == NULL) {
		put_iso_date(out, unix_seconds);
		return;
	}
	int64_t day = unix_seconds / 86400 - (unix_seconds % 86400 < 0); /* floor */
	char key[32];
	snprintf(key, sizeof key, "%d:%lld", s, (long long)day);
	const char *known = map_get(&l->dates, key);
	if (known != NULL) {
		buf_puts(out, known);
		return;
	}
	size_t start = out->len;
	ubuf_init(&u);
	n = udat_format(f, ms, u.p, u.cap, NULL, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, n + 1);
		n = udat_format(f, ms, u.p, u.cap, NULL, &err);
	}
	if (U_SUCCESS(err) && n > 0)
		put_u16(out, u.p, n);
	else
		put_iso_date(out, unix_seconds);
	ubuf_free(&u);
	map_put(&l->dates, key, xstrndup(out->data + start, out->len - start));
}

void
i18n_format_datetime(struct i18n_locale *l, int64_t unix_seconds, long offset, struct buf *out)
{
	char tz[16];
	UChar utz[16];
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	long a = offset < 0 ? -offset : offset;
	snprintf(tz, sizeof tz, "GMT%c%02ld:%02ld", offset < 0 ? '-' : '+', a / 3600 % 100, a / 60 % 60);
	u_uastrcpy(utz, tz);
	UDateFormat *f = l ? udat_open(UDAT_SHORT, UDAT_LONG, l->id, utz, -1, NULL, 0, &err) : NULL;
	if (f == NULL || U_FAILURE(err)) {
		if (f != NULL)
			udat_close(f);
		put_iso_date(out, unix_seconds + offset);
		return;
	}
	ubuf_init(&u);
	int32_t n = udat_format(f, (UDate)unix_seconds * 1000.0, u.p, u.cap, NULL, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, n + 1);
		n = udat_format(f, (UDate)unix_seconds * 1000.0, u.p, u.cap, NULL, &err);
	}
	if (U_SUCCESS(err) && n > 0)
		put_u16(out, u.p, n);
	else
		put_iso_date(out, unix_seconds + offset);
	ubuf_free(&u);
	udat_close(f);
}

void
i18n_format_number(struct i18n_locale *l, double n, struct buf *out)
{
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	int32_t len;

	if (l != NULL && l->num == NULL && !(l->failed & FAIL_NUM)) {
		l->num = unum_open(UNUM_DECIMAL, NULL, 0, l->id, NULL, &err);
		if (U_FAILURE(err)) {
			if (l->num != NULL)
				unum_close(l->num);
			l->num = NULL;
			l->failed |= FAIL_NUM;
		}
	}
	if (l == NULL || l->num == NULL) {
		buf_printf(out, "%g", n);
		return;
	}
	ubuf_init(&u);
	err = U_ZERO_ERROR;
	len = unum_formatDouble(l->num, n, u.p, u.cap, NULL, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, len + 1);
		len = unum_formatDouble(l->num, n, u.p, u.cap, NULL, &err);
	}
	if (U_SUCCESS(err))
		put_u16(out, u.p, len);
	else
		buf_printf(out, "%g", n);
	ubuf_free(&u);
}

const char *
i18n_plural(struct i18n_locale *l, double n)
{
	static const char *const cats[] = {"zero", "one", "two", "few", "many"};
	UErrorCode err = U_ZERO_ERROR;
	UChar kw[32];
	char ascii[32];
	int32_t len;
	size_t i;

	if (l == NULL)
		return "other";
	if (l->plural == NULL && !(l->failed & FAIL_PLURAL)) {
		l->plural = uplrules_open(l->id, &err);
		if (U_FAILURE(err)) {
			if (l->plural != NULL)
				uplrules_close(l->plural);
			l->plural = NULL;
			l->failed |= FAIL_PLURAL;
		}
	}
	if (l->plural == NULL)
		return "other";
	err = U_ZERO_ERROR;
	len = uplrules_select(l->plural, n, kw, (int32_t)(sizeof(kw) / sizeof(kw[0])) - 1, &err);
	if (U_FAILURE(err) || len <= 0 || len >= (int32_t)sizeof(ascii))
		return "other";
	u_UCharsToChars(kw, ascii, len);
	ascii[len] = '\0';
	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		if (strcmp(ascii, cats[i]) == 0)
			return cats[i];
	return "other";
}

static UCollator *
collator(struct i18n_locale *l)
{
	UErrorCode err = U_ZERO_ERROR;

	if (l == NULL)
		return NULL;
	if (l->coll == NULL && !(l->failed & FAIL_COLL)) {
		l->coll = ucol_open(l->id, &err);
		if (U_FAILURE(err)) {
			if (l->coll != NULL)
				ucol_close(l->coll);
			l->coll = NULL;
			l->failed |= FAIL_COLL;
		}
	}
	return l->coll;
}

int
i18n_collate(struct i18n_locale *l, const char *a, const char *b)
{
	UCollator *c = collator(l);
	UErrorCode err = U_ZERO_ERROR;
	UCollationResult r;
	size_t na, nb;
	int cmp;

	a = a ? a : "";
	b = b ? b : "";
	na = strlen(a);
	nb = strlen(b);
	if (c != NULL && na <= TEXT_MAX && nb <= TEXT_MAX) {
		r = ucol_strcollUTF8(c, a, (int32_t)na, b, (int32_t)nb, &err);
		if (U_SUCCESS(err))
			return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
	}
	cmp = strcmp(a, b);
	return (cmp > 0) - (cmp < 0);
}

void
i18n_sort_key(struct i18n_locale *l, const char *s, struct buf *out)
{
	UCollator *c = collator(l);
	struct ubuf u;
	int32_t len, n = 0;
	size_t room;

	s = s ? s : "";
	ubuf_init(&u);
	if (c == NULL || (len = ubuf_from_utf8(&u, s, strlen(s))) < 0)
		goto fallback;
	/* The key includes ICU's terminating 0 byte, which sorts below every byte inside a key:
	 * comparing keys over the shorter length already decides, and keys can be concatenated. */
	room = (size_t)len * 4 + 16;
	if (room > INT32_MAX)
		room = INT32_MAX;
	for (;;) {
		buf_grow(out, room);
		n = ucol_getSortKey(c, u.p, len, (uint8_t *)out->data + out->len, (int32_t)room);
		if (n <= 0)
			goto fallback;
		if ((size_t)n <= room)
			break;
		room = (size_t)n;
	}
	out->len += (size_t)n;
	out->data[out->len] = '\0';
	ubuf_free(&u);
	return;
fallback:
	/* Byte order, terminated the same way, so strcmp-order fallbacks still compare right. */
	buf_add(out, s, strlen(s) + 1);
	ubuf_free(&u);
}

struct sort_item {
	struct buf key;
	void *item;
};

static int
cmp_sort_item(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	size_t n = x->key.len < y->key.len ? x->key.len : y->key.len;
	int c = memcmp(buf_str(&x->key), buf_str(&y->key), n);
	if (c != 0)
		return c;
	return x->key.len < y->key.len ? -1 : x->key.len > y->key.len;
}

void
i18n_sort_by(struct i18n_locale *l, void **items, size_t n,
             const char *(*title)(const void *item, void *payload), void *payload)
{
	struct sort_item *k = xcalloc(n + 1, sizeof *k);
	for (size_t i = 0; i < n; i++) {
		k[i].item = items[i];
		i18n_sort_key(l, title(items[i], payload), &k[i].key);
		buf_printf(&k[i].key, "%08zu", i); /* equal texts keep their order */
	}
	qsort(k, n, sizeof *k, cmp_sort_item);
	for (size_t i = 0; i < n; i++) {
		items[i] = k[i].item;
		buf_free(&k[i].key);
	}
	free(k);
}

/* Appends the display name of ICU id code in ICU locale in; 0 on success, -1 if ICU has no names
 * for in (it would then fall back to the machine's default locale, which must not leak into
 * output). */
static int
display_name(const char *code, const char *in, struct buf *out)
{
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n;
	int rc = -1;

	ubuf_init(&u);
	n = uloc_getDisplayName(code, in, u.p, u.cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, n + 1);
		n = uloc_getDisplayName(code, in, u.p, u.cap, &err);
	}
	if (U_SUCCESS(err) && err != U_USING_DEFAULT_WARNING && n > 0) {
		put_u16(out, u.p, n);
		rc = 0;
	}
	ubuf_free(&u);
	return rc;
}

void
i18n_language_name(const char *code, const char *in, struct buf *out)
{
	char icu_code[ULOC_FULLNAME_CAPACITY], icu_in[ULOC_FULLNAME_CAPACITY];

	if (code == NULL)
		return;
	canonical_id(code, icu_code, (int32_t)sizeof(icu_code));
	canonical_id(in, icu_in, (int32_t)sizeof(icu_in));
	/* Names in English when ICU has none in `in`, as ICU would on a machine set to English. */
	if (!language_known(icu_code) ||
	    (display_name(icu_code, icu_in, out) != 0 && display_name(icu_code, "en", out) != 0))
		buf_puts(out, code);
}

void
i18n_language_autonym(const char *code, struct buf *out)
{
	char icu_code[ULOC_FULLNAME_CAPACITY];
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	int32_t n;

	if (code == NULL)
		return;
	canonical_id(code, icu_code, (int32_t)sizeof(icu_code));
	if (!language_known(icu_code)) {
		buf_puts(out, code);
		return;
	}
	ubuf_init(&u);
	n = uloc_getDisplayName(icu_code, icu_code, u.p, u.cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, n + 1);
		n = uloc_getDisplayName(icu_code, icu_code, u.p, u.cap, &err);
	}
	if (U_FAILURE(err) || err == U_USING_DEFAULT_WARNING || n <= 0) {
		ubuf_free(&u);
		i18n_language_name(code, "en", out);
		return;
	}
	/* CLDR writes many names in lower case ("български", "español"), as they stand inside a
	 * sentence; a language menu shows them as titles. */
	int32_t i = 0;
	UChar32 c;
	U16_NEXT(u.p, i, n, c);
	UChar32 t = u_totitle(c);
	if (U16_LENGTH(t) == i) {
		int32_t j = 0;
		UBool bad = 0;
		U16_APPEND(u.p, j, n, t, bad);
		(void)bad;
	}
	put_u16(out, u.p, n);
	ubuf_free(&u);
}

int
i18n_is_rtl(const char *code)
{
	char icu_code[ULOC_FULLNAME_CAPACITY];
	canonical_id(code, icu_code, (int32_t)sizeof(icu_code));
	return icu_code[0] != '\0' && uloc_isRightToLeft(icu_code);
}

void
i18n_document_tag(const char *code, const char *locale, char out[I18N_TAG_MAX])
{
	char a[ULOC_FULLNAME_CAPACITY], b[ULOC_FULLNAME_CAPACITY];
	char la[ULOC_LANG_CAPACITY] = "", lb[ULOC_LANG_CAPACITY] = "";
	UErrorCode err = U_ZERO_ERROR;
	out[0] = '\0';
	int code_tag = canonical_id(code, a, (int32_t)sizeof(a)) && language_known(a);
	canonical_id(locale ? locale : code, b, (int32_t)sizeof(b));
	if (!language_known(b)) {
		if (code_tag)
			snprintf(out, I18N_TAG_MAX, "%s", code);
		return;
	}
	if (code_tag) {
		uloc_getLanguage(a, la, (int32_t)sizeof(la), &err);
		uloc_getLanguage(b, lb, (int32_t)sizeof(lb), &err);
		if (U_SUCCESS(err) && strcmp(la, lb) == 0) {
			snprintf(out, I18N_TAG_MAX, "%s", code);
			return;
		}
	}
	err = U_ZERO_ERROR;
	char tag[ULOC_FULLNAME_CAPACITY];
	int32_t n = uloc_toLanguageTag(b, tag, (int32_t)sizeof(tag), 1, &err);
	if (U_SUCCESS(err) && err != U_STRING_NOT_TERMINATED_WARNING && n > 0 && n < I18N_TAG_MAX)
		memcpy(out, tag, (size_t)n + 1);
}

void
i18n_og_locale(const char *locale, char out[I18N_TAG_MAX])
{
	char icu[ULOC_FULLNAME_CAPACITY], max[ULOC_FULLNAME_CAPACITY];
	char lang[ULOC_LANG_CAPACITY], country[ULOC_COUNTRY_CAPACITY];
	UErrorCode err = U_ZERO_ERROR;
	out[0] = '\0';
	canonical_id(locale, icu, (int32_t)sizeof(icu));
	if (!language_known(icu))
		return;
	uloc_addLikelySubtags(icu, max, (int32_t)sizeof(max), &err);
	uloc_getLanguage(max, lang, (int32_t)sizeof(lang), &err);
	uloc_getCountry(max, country, (int32_t)sizeof(country), &err);
	if (U_SUCCESS(err) && err != U_STRING_NOT_TERMINATED_WARNING && lang[0] && country[0])
		snprintf(out, I18N_TAG_MAX, "%s_%s", lang, country);
}

void
i18n_words(struct i18n_locale *l, const char *s, size_t n,
           void (*fn)(void *payload, const char *word, size_t len), void *payload)
{
	struct ubuf u, w;
	struct buf out = BUF_INIT;
	UErrorCode err = U_ZERO_ERROR;
	const char *loc = l ? l->id : "";
	if (n == 0 || n > TEXT_MAX)
		return;
	ubuf_init(&u);
	ubuf_init(&w);
	int32_t len = ubuf_from_utf8(&u, s, n);
	if (len < 0)
		goto out;
	/* Lower-case the whole text once, then split what that gives. */
	int32_t m = u_strToLower(w.p, w.cap, u.p, len, loc, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&w, m + 1);
		m = u_strToLower(w.p, w.cap, u.p, len, loc, &err);
	}
	if (U_FAILURE(err))
		goto out;
	/* A locale keeps its iterator: opening one costs more than splitting a paragraph. */
	UBreakIterator *bi = l ? l->words : NULL;
	if (bi == NULL) {
		bi = ubrk_open(UBRK_WORD, loc, NULL, 0, &err);
		if (U_FAILURE(err))
			goto out;
		if (l != NULL)
			l->words = bi;
	}
	ubrk_setText(bi, w.p, m, &err);
	if (U_FAILURE(err)) {
		if (l == NULL)
			ubrk_close(bi);
		goto out;
	}
	for (int32_t a = ubrk_first(bi), b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
		int32_t st = ubrk_getRuleStatus(bi);
		if (st < UBRK_WORD_NUMBER || st >= UBRK_WORD_KANA_LIMIT + 100)
			continue; /* spaces and punctuation */
		buf_reset(&out);
		put_u16(&out, w.p + a, b - a);
		fn(payload, buf_str(&out), out.len);
	}
	/* The iterator must not keep pointing at w's memory. */
	static const UChar none[1] = {0};
	UErrorCode e2 = U_ZERO_ERROR;
	ubrk_setText(bi, none, 0, &e2);
	if (l == NULL)
		ubrk_close(bi);
out:
	buf_free(&out);
	ubuf_free(&u);
	ubuf_free(&w);
}

/* BMP code points that folding leaves as they are (their own case fold, no decomposition, not a
 * mark), as ICU says, computed once: most words of most languages are made of them only, and
 * copying their bytes skips ICU altogether. */
static uint8_t fold_stable[65536 / 8];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void
fold_table(void)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err))
		return;
	for (UChar32 c = 0; c < 0x10000; c++) {
		UChar d[8], one[1] = {(UChar)c}, f[4];
		UErrorCode e = U_ZERO_ERROR;
		/* Full folding: ß folds to "ss". */
		int32_t fl = U_IS_SURROGATE(c) ? 0 : u_strFoldCase(f, 4, one, 1, U_FOLD_CASE_DEFAULT, &e);
		e = U_ZERO_ERROR;
		if (U_IS_SURROGATE(c) || fl != 1 || f[0] != one[0] ||
		    unorm2_getDecomposition(nfd, c, d, 8, &e) >= 0 || u_getCombiningClass(c) != 0 ||
		    u_charType(c) == U_NON_SPACING_MARK)
			continue;
		fold_stable[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
}

/* Whether every character of s[0..n) is fold-stable. */
static int
fold_is_identity(const char *s, size_t n)
{
	pthread_once(&fold_once, fold_table);
	for (int32_t i = 0; i < (int32_t)n;) {
		UChar32 c;
		U8_NEXT(s, i, (int32_t)n, c);
		if (c < 0 || c > 0xFFFF || !(fold_stable[c >> 3] & (1u << (c & 7))))
			return 0;
	}
	return 1;
}

void
i18n_fold(const char *word, size_t n, struct buf *out)
{
	if (n < 256 && fold_is_identity(word, n)) {
		buf_add(out, word, n);
		return;
	}
	struct ubuf u, f, d;
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	ubuf_init(&u);
	ubuf_init(&f);
	ubuf_init(&d);
	int32_t len = U_FAILURE(err) ? -1 : ubuf_from_utf8(&u, word, n);
	if (len < 0) {
		buf_add(out, word, n);
		goto out;
	}
	int32_t m = u_strFoldCase(f.p, f.cap, u.p, len, U_FOLD_CASE_DEFAULT, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&f, m + 1);
		m = u_strFoldCase(f.p, f.cap, u.p, len, U_FOLD_CASE_DEFAULT, &err);
	}
	int32_t k = U_SUCCESS(err) ? unorm2_normalize(nfd, f.p, m, d.p, d.cap, &err) : 0;
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&d, k + 1);
		k = unorm2_normalize(nfd, f.p, m, d.p, d.cap, &err);
	}
	if (U_FAILURE(err)) {
		buf_add(out, word, n);
		goto out;
	}
	/* Combining marks go; everything else stays. */
	int32_t j = 0;
	for (int32_t i = 0; i < k;) {
		UChar32 c;
		int32_t at = i;
		U16_NEXT(d.p, i, k, c);
		if (u_getCombiningClass(c) == 0 && u_charType(c) != U_NON_SPACING_MARK)
			while (at < i)
				d.p[j++] = d.p[at++];
	}
	put_u16(out, d.p, j);
out:
	ubuf_free(&u);
	ubuf_free(&f);
	ubuf_free(&d);
}

/* "bg" -> "BG"; 0 unless code is two ASCII letters. */
static int
region_code(const char *code, char out[3])
{
	if (code == NULL || strlen(code) != 2)
		return 0;
	for (int i = 0; i < 2; i++) {
		char c = code[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c < 'A' || c > 'Z')
			return 0;
		out[i] = c;
	}
	out[2] = '\0';
	return 1;
}

/* The word being read by i18n_name_words, in UTF-16. */
struct nword {
	struct ubuf u;
	int32_t n;
	int first_upper, upper, lower, any_case;
};

static void
nword_emit(struct nword *w, char sep,
           void (*fn)(void *payload, const char *word, const char *folded, enum i18n_case c, char sep),
           void *payload)
{
	if (w->n == 0)
		return;
	struct buf u8 = BUF_INIT, f = BUF_INIT;
	put_u16(&u8, w->u.p, w->n);
	i18n_fold(u8.data, u8.len, &f);
	enum i18n_case c = !w->any_case                      ? I18N_CASE_NONE
	                   : w->first_upper && w->lower      ? I18N_CASE_TITLE
	                   : w->upper && !w->lower           ? I18N_CASE_UPPER
	                                                     : I18N_CASE_LOWER;
	fn(payload, buf_str(&u8), buf_str(&f), c, sep);
	buf_free(&u8);
	buf_free(&f);
	w->n = 0;
	w->first_upper = w->upper = w->lower = w->any_case = 0;
}

void
i18n_name_words(const char *s,
                void (*fn)(void *payload, const char *word, const char *folded, enum i18n_case c,
                           char sep),
                void *payload)
{
	struct ubuf in, norm;
	struct nword w = {.n = 0};
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
	ubuf_init(&in);
	ubuf_init(&norm);
	ubuf_init(&w.u);
	int32_t len = s && U_SUCCESS(err) ? ubuf_from_utf8(&in, s, strlen(s)) : -1;
	int32_t n = len < 0 ? 0 : unorm2_normalize(nfkc, in.p, len, norm.p, norm.cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&norm, n + 1);
		n = unorm2_normalize(nfkc, in.p, len, norm.p, norm.cap, &err);
	}
	if (U_FAILURE(err))
		n = 0;
	ubuf_reserve(&w.u, n + 1);
	char sep = '.'; /* what came between the last word and the next: ' ', ',' or anything else */
	int gap = 0, last_lower = 0;
	for (int32_t i = 0; i < n;) {
		UChar32 c;
		U16_NEXT(norm.p, i, n, c);
		/* Invisible characters (zero-width space and joiners, word joiner, BOM, soft hyphen)
		 * do not part a word's letters; between a lower- and an upper-case letter they part
		 * two words, as a space would. */
		if (u_charType(c) == U_FORMAT_CHAR ||
		    u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
			gap = 1;
			continue;
		}
		int letter = u_isalpha(c);
		if (letter || (w.n > 0 && (c == '\'' || c == 0x2019 || c == '-'))) {
			if (w.n > 0 && gap && last_lower && u_isupper(c)) {
				nword_emit(&w, sep, fn, payload);
				sep = ' ';
			}
			int up = u_isupper(c) || u_istitle(c), low = u_islower(c);
			if (w.n == 0)
				w.first_upper = up;
			w.upper |= up;
			w.lower |= low;
			w.any_case |= up || low;
			last_lower = low;
			U16_APPEND_UNSAFE(w.u.p, w.n, c); /* room: a word is never longer than the text */
		} else {
			if (w.n > 0) {
				nword_emit(&w, sep, fn, payload);
				sep = ' ';
			}
			if (c == ',' && sep == ' ')
				sep = ',';
			else if (!u_isUWhiteSpace(c))
				sep = '.';
			last_lower = 0;
		}
		gap = 0;
	}
	nword_emit(&w, sep, fn, payload);
	ubuf_free(&in);
	ubuf_free(&norm);
	ubuf_free(&w.u);
}

int
i18n_country_valid(const char *code)
{
	char rc[3];
	UErrorCode err = U_ZERO_ERROR;
	if (!region_code(code, rc))
		return 0;
	const URegion *r = uregion_getRegionFromCode(rc, &err);
	/* ICU also knows deprecated codes (YU, CS) as URGN_DEPRECATED: those are refused. */
	return U_SUCCESS(err) && r != NULL && uregion_getType(r) == URGN_TERRITORY;
}

static int
cmp_codes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **
i18n_countries(size_t *n)
{
	UErrorCode err = U_ZERO_ERROR;
	UEnumeration *e = uregion_getAvailable(URGN_TERRITORY, &err);
	char **out = NULL;
	size_t len = 0;
	const char *id;
	int32_t idlen;
	while (U_SUCCESS(err) && e != NULL && (id = uenum_next(e, &idlen, &err)) != NULL) {
		/* Two letters: not the numeric UN M.49 codes; then as i18n_country_valid judges. */
		if (idlen != 2 || !i18n_country_valid(id))
			continue;
		out = xrealloc(out, (len + 2) * sizeof *out);
		out[len++] = xstrdup(id);
	}
	uenum_close(e);
	if (out == NULL)
		out = xcalloc(1, sizeof *out);
	out[len] = NULL;
	qsort(out, len, sizeof *out, cmp_codes);
	*n = len;
	return out;
}

void
i18n_country_name(const char *code, const char *in, struct buf *out)
{
	char rc[3], id[8], icu_in[ULOC_FULLNAME_CAPACITY];
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	if (!region_code(code, rc)) {
		buf_puts(out, code ? code : "");
		return;
	}
	snprintf(id, sizeof id, "und_%s", rc);
	canonical_id(in, icu_in, (int32_t)sizeof(icu_in));
	ubuf_init(&u);
	int32_t n = uloc_getDisplayCountry(id, icu_in, u.p, u.cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&u, n + 1);
		n = uloc_getDisplayCountry(id, icu_in, u.p, u.cap, &err);
	}
	/* ICU echoes the code when it has no name; then the English name, then the code. */
	if (U_SUCCESS(err) && err != U_USING_DEFAULT_WARNING && n > 0 &&
	    !(n == 2 && u.p[0] == (UChar)rc[0] && u.p[1] == (UChar)rc[1]))
		put_u16(out, u.p, n);
	else if (strcmp(icu_in, "en") != 0)
		i18n_country_name(rc, "en", out);
	else
		buf_puts(out, rc);
	ubuf_free(&u);
}

/* The same rules as slug_unicode, restricted to ASCII, where they need no tables. */
static void
slug_ascii(const char *s, size_t n, struct buf *out)
{
	size_t i, start = out->len;
	int gap = 0;
	char *p;

	buf_grow(out, n);
	p = out->data;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			gap = 1;
			continue;
		}
		if (gap && out->len > start)
			p[out->len++] = '-';
		gap = 0;
		p[out->len++] = c;
	}
	p[out->len] = '\0';
}

static void
slug_unicode(const char *s, size_t n, struct buf *out)
{
	const UNormalizer2 *nfc;
	struct ubuf a, b, *src = &a, *dst = &b, *t;
	UErrorCode err = U_ZERO_ERROR;
	int32_t len, m, i = 0;
	size_t start = out->len;
	int gap = 0, inword = 0;

	ubuf_init(&a);
	ubuf_init(&b);
	if ((len = ubuf_from_utf8(src, s, n)) < 0)
		goto out;
	nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		goto out;
	/* Most headings are already NFC; checking is cheaper than normalising. */
	if (unorm2_spanQuickCheckYes(nfc, src->p, len, &err) != len && U_SUCCESS(err)) {
		m = unorm2_normalize(nfc, src->p, len, dst->p, dst->cap, &err);
		if (err == U_BUFFER_OVERFLOW_ERROR) {
			err = U_ZERO_ERROR;
			ubuf_reserve(dst, m + 1);
			m = unorm2_normalize(nfc, src->p, len, dst->p, dst->cap, &err);
		}
		t = src;
		src = dst;
		dst = t;
		len = m;
	}
	if (U_FAILURE(err))
		goto out;
	/* The root locale: a slug must not depend on the page's language (no Turkish dotless i). */
	m = u_strToLower(dst->p, dst->cap, src->p, len, "", &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(dst, m + 1);
		m = u_strToLower(dst->p, dst->cap, src->p, len, "", &err);
	}
	if (U_FAILURE(err))
		goto out;
	while (i < m) {
		UChar32 c;
		U16_NEXT(dst->p, i, m, c);
		/* Combining marks belong to the letter before them: without them Devanagari or
		 * vocalised Arabic words would fall apart into pieces. */
		if (u_isalnum(c) || (inword && (U_GET_GC_MASK(c) & U_GC_M_MASK))) {
			if (gap && out->len > start)
				buf_putc(out, '-');
			gap = 0;
			inword = 1;
			put_utf8_cp(out, c);
		} else {
			gap = 1;
			inword = 0;
		}
	}
out:
	ubuf_free(&a);
	ubuf_free(&b);
}

void
i18n_slug(const char *s, struct buf *out)
{
	size_t i, n;

	if (s == NULL)
		return;
	n = strlen(s);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			break;
	if (i == n)
		slug_ascii(s, n, out);
	else
		slug_unicode(s, n, out);
}

/* Does GitHub's heading id keep c (already lowercased)? The categories github-slugger strips,
 * generated from Unicode's General_Category, less the Alphabetic property. */
static int
heading_id_keeps(UChar32 c)
{
	if (c == '-' || c == ' ')
		return 1;
	switch (u_charType(c)) {
	case U_OTHER_NUMBER:
	case U_END_PUNCTUATION:
	case U_FINAL_PUNCTUATION:
	case U_INITIAL_PUNCTUATION:
	case U_START_PUNCTUATION:
	case U_OTHER_PUNCTUATION:
	case U_DASH_PUNCTUATION:
	case U_MATH_SYMBOL:
	case U_CURRENCY_SYMBOL:
	case U_MODIFIER_SYMBOL:
	case U_OTHER_SYMBOL:
	case U_CONTROL_CHAR:
	case U_PRIVATE_USE_CHAR:
	case U_FORMAT_CHAR:
	case U_UNASSIGNED:
	case U_SPACE_SEPARATOR:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return u_hasBinaryProperty(c, UCHAR_ALPHABETIC);
	default:
		return 1; /* letters, marks, decimal and letter numbers, connectors (_), surrogates */
	}
}

void
i18n_heading_id(const char *s, size_t n, struct buf *out)
{
	size_t i;
	for (i = 0; i < n && (unsigned char)s[i] < 0x80; i++)
		;
	if (i == n) {
		for (i = 0; i < n; i++) {
			char c = s[i];
			if (c >= 'A' && c <= 'Z')
				buf_putc(out, (char)(c - 'A' + 'a'));
			else if (c == ' ')
				buf_putc(out, '-');
			else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
				buf_putc(out, c);
		}
		return;
	}
	struct ubuf a, b;
	UErrorCode err = U_ZERO_ERROR;
	int32_t len, m;
	ubuf_init(&a);
	ubuf_init(&b);
	if ((len = ubuf_from_utf8(&a, s, n)) < 0)
		goto out;
	/* The root locale, as JavaScript's toLowerCase: final sigma in context, no Turkish i. */
	m = u_strToLower(b.p, b.cap, a.p, len, "", &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&b, m + 1);
		m = u_strToLower(b.p, b.cap, a.p, len, "", &err);
	}
	if (U_FAILURE(err))
		goto out;
	for (int32_t k = 0; k < m;) {
		UChar32 c;
		U16_NEXT(b.p, k, m, c);
		if (c == ' ')
			buf_putc(out, '-');
		else if (heading_id_keeps(c))
			put_utf8_cp(out, c);
	}
out:
	ubuf_free(&a);
	ubuf_free(&b);
}

/* Opening a transform costs ~100 times running it on a heading, and sites use one or two ids, so
 * each thread keeps the last one it opened. A transliterator is not thread-safe, hence per thread;
 * the key's destructor closes it when the thread ends. */
enum { TRANS_SLOTS = 8 };
struct trans_cache {
	struct {
		char id[128];
		UTransliterator *t;
	} slot[TRANS_SLOTS];
	unsigned next; /* the slot replaced next, round robin */
	UBreakIterator *words; /* i18n_count_unspaced's, root rules */
};

static pthread_key_t trans_key;
static pthread_once_t trans_once = PTHREAD_ONCE_INIT;
static int trans_key_ok;

static void
trans_cache_free(void *p)
{
	struct trans_cache *c = p;

	for (int i = 0; i < TRANS_SLOTS; i++)
		if (c->slot[i].t != NULL)
			utrans_close(c->slot[i].t);
	if (c->words != NULL)
		ubrk_close(c->words);
	free(c);
}

static void
trans_key_init(void)
{
	trans_key_ok = pthread_key_create(&trans_key, trans_cache_free) == 0;
}

/* I18N_SR_LATN_CYRL: Serbian Latin to Cyrillic (Gaj's alphabet to Vuk's), digraphs first. */
static const char sr_latn_cyrl_rules[] =
    "::NFC; "
    "D\u017E > \u040F; D\u017D > \u040F; d\u017E > \u045F; "
    "Lj > \u0409; LJ > \u0409; lj > \u0459; Nj > \u040A; NJ > \u040A; nj > \u045A; "
    "a > \u0430; b > \u0431; c > \u0446; \u010D > \u0447; \u0107 > \u045B; d > \u0434; "
    "\u0111 > \u0452; e > \u0435; f > \u0444; g > \u0433; h > \u0445; i > \u0438; "
    "j > \u0458; k > \u043A; l > \u043B; m > \u043C; n > \u043D; o > \u043E; "
    "p > \u043F; r > \u0440; s > \u0441; \u0161 > \u0448; t > \u0442; u > \u0443; "
    "v > \u0432; z > \u0437; \u017E > \u0436; "
    "A > \u0410; B > \u0411; C > \u0426; \u010C > \u0427; \u0106 > \u040B; D > \u0414; "
    "\u0110 > \u0402; E > \u0415; F > \u0424; G > \u0413; H > \u0425; I > \u0418; "
    "J > \u0408; K > \u041A; L > \u041B; M > \u041C; N > \u041D; O > \u041E; "
    "P > \u041F; R > \u0420; S > \u0421; \u0160 > \u0428; T > \u0422; U > \u0423; "
    "V > \u0412; Z > \u0417; \u017D > \u0416;";

/* The calling thread's cache, or NULL. */
static struct trans_cache *
thread_cache(void)
{
	struct trans_cache *c;
	pthread_once(&trans_once, trans_key_init);
	if (!trans_key_ok)
		return NULL;
	if ((c = pthread_getspecific(trans_key)) == NULL) {
		c = xcalloc(1, sizeof(*c));
		if (pthread_setspecific(trans_key, c) != 0) {
			free(c);
			return NULL;
		}
	}
	return c;
}

/* Returns the thread's transliterator for id, or NULL if ICU does not know id. Borrowed. */
static UTransliterator *
trans_get(const char *transform_id)
{
	struct trans_cache *c;
	UTransliterator *t;
	UErrorCode err = U_ZERO_ERROR;
	UChar id[128];
	int32_t idlen = 0;

	if (transform_id == NULL || strlen(transform_id) >= sizeof(id) / sizeof(id[0]))
		return NULL;
	if ((c = thread_cache()) == NULL)
		return NULL;
	for (int i = 0; i < TRANS_SLOTS; i++)
		if (c->slot[i].t != NULL && strcmp(c->slot[i].id, transform_id) == 0)
			return c->slot[i].t;
	u_strFromUTF8(id, (int32_t)(sizeof(id) / sizeof(id[0])), &idlen, transform_id, -1, &err);
	if (U_FAILURE(err))
		return NULL;
	if (strcmp(transform_id, I18N_SR_LATN_CYRL) == 0) {
		UChar rules[sizeof sr_latn_cyrl_rules];
		int32_t rlen = 0;
		UParseError pe;
		u_strFromUTF8(rules, (int32_t)(sizeof rules / sizeof rules[0]), &rlen, sr_latn_cyrl_rules, -1, &err);
		t = U_FAILURE(err) ? NULL : utrans_openU(id, idlen, UTRANS_FORWARD, rules, rlen, &pe, &err);
	} else {
		t = utrans_openU(id, idlen, UTRANS_FORWARD, NULL, 0, NULL, &err);
	}
	if (U_FAILURE(err)) {
		if (t != NULL)
			utrans_close(t);
		return NULL;
	}
	unsigned k = c->next++ % TRANS_SLOTS;
	if (c->slot[k].t != NULL)
		utrans_close(c->slot[k].t);
	c->slot[k].t = t;
	memcpy(c->slot[k].id, transform_id, strlen(transform_id) + 1);
	return t;
}

/* Appends u[0..len) in NFC. Transforms leave marks apart: Serbian-Latin/BGN writes ћ as "c" and
 * a combining acute (U+0301), not "ć", and a page must not hold two spellings of one word (they
 * look the same but do not compare, search or join the same). Returns 0, or -1. */
static int
put_nfc(struct buf *out, const UChar *u, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	if (U_FAILURE(err))
		return -1;
	int32_t done = unorm2_spanQuickCheckYes(nfc, u, len, &err);
	if (U_FAILURE(err))
		return -1;
	if (done == len) {
		put_u16(out, u, len);
		return 0;
	}
	struct ubuf n;
	ubuf_init(&n);
	ubuf_reserve(&n, len + 16);
	int32_t m = unorm2_normalize(nfc, u, len, n.p, n.cap, &err);
	if (err == U_BUFFER_OVERFLOW_ERROR) {
		err = U_ZERO_ERROR;
		ubuf_reserve(&n, m + 1);
		m = unorm2_normalize(nfc, u, len, n.p, n.cap, &err);
	}
	if (U_SUCCESS(err))
		put_u16(out, n.p, m);
	ubuf_free(&n);
	return U_SUCCESS(err) ? 0 : -1;
}

int
i18n_transliterate(const char *transform_id, const char *s, struct buf *out)
{
	UTransliterator *t;
	struct ubuf text;
	UErrorCode err = U_ZERO_ERROR;
	size_t n, cap;
	int32_t len, limit;
	int rc = -1;

	if ((t = trans_get(transform_id)) == NULL)
		return -1;
	ubuf_init(&text);
	s = s ? s : "";
	n = strlen(s);
	if (n > TEXT_MAX / 16)
		goto out;
	/* The text grows in place (Љ -> Lj, 中 -> zhōng); when it outgrows the buffer ICU leaves it
	 * half-done, so start again from the source with more room. */
	for (cap = n * 2 + 16; cap <= (size_t)TEXT_MAX; cap *= 2) {
		ubuf_reserve(&text, (int32_t)cap);
		if ((len = ubuf_from_utf8(&text, s, n)) < 0)
			goto out;
		limit = len;
		err = U_ZERO_ERROR;
		utrans_transUChars(t, text.p, &len, text.cap, 0, &limit, &err);
		if (err == U_BUFFER_OVERFLOW_ERROR)
			continue;
		if (U_FAILURE(err))
			goto out;
		rc = put_nfc(out, text.p, len);
		break;
	}
out:
	ubuf_free(&text);
	return rc;
}

int
i18n_unspaced(uint32_t c)
{
	UErrorCode err = U_ZERO_ERROR;
	UScriptCode sc = uscript_getScript((UChar32)c, &err);
	return U_SUCCESS(err) && sc > USCRIPT_INHERITED && uscript_breaksBetweenLetters(sc);
}

void
i18n_count_unspaced(const char *s, size_t n, size_t *words, size_t *ideo_words, size_t *ideo_chars)
{
	struct trans_cache *c = thread_cache();
	struct ubuf u;
	UErrorCode err = U_ZERO_ERROR;
	if (c == NULL || n == 0 || n > TEXT_MAX)
		return;
	ubuf_init(&u);
	int32_t len = ubuf_from_utf8(&u, s, n);
	if (len < 0)
		goto out;
	/* Opening an iterator costs more than splitting a run: each thread keeps one. */
	if (c->words == NULL) {
		c->words = ubrk_open(UBRK_WORD, "", NULL, 0, &err);
		if (U_FAILURE(err)) {
			c->words = NULL;
			goto out;
		}
	}
	ubrk_setText(c->words, u.p, len, &err);
	if (U_FAILURE(err))
		goto out;
	for (int32_t a = ubrk_first(c->words), b = ubrk_next(c->words); b != UBRK_DONE;
	     a = b, b = ubrk_next(c->words)) {
		int32_t st = ubrk_getRuleStatus(c->words);
		if (st < UBRK_WORD_NUMBER)
			continue; /* spaces and punctuation */
		(*words)++;
		if (st >= UBRK_WORD_KANA && st < UBRK_WORD_IDEO_LIMIT) {
			(*ideo_words)++;
			*ideo_chars += (size_t)u_countChar32(u.p + a, b - a);
		}
	}
	static const UChar none[1] = {0};
	UErrorCode e2 = U_ZERO_ERROR;
	ubrk_setText(c->words, none, 0, &e2); /* not pointing at u's memory */
out:
	ubuf_free(&u);
}

int
i18n_utf8_valid(const char *str, size_t n, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, need;
	unsigned char lo, hi;

	while (i < n) {
		/* Eight ASCII bytes at a time: most content is ASCII markup. */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/* Two-byte sequences (Cyrillic, Greek, Arabic…) one after another, without going back
		 * to the ASCII test between them. */
		while (s[i] >= 0xC2 && s[i] <= 0xDF && n - i > 1 && (s[i + 1] & 0xC0) == 0x80) {
			i += 2;
			if (i >= n || s[i] < 0x80)
				break;
		}
		if (i >= n || s[i] < 0x80)
			continue;
		/* The second byte's range excludes overlongs, surrogates and code points past U+10FFFF
		 * (Unicode 15, table 3-7); later bytes are plain continuations. */
		lo = 0x80;
		hi = 0xBF;
		if (s[i] >= 0xC2 && s[i] <= 0xDF)
			need = 1;
		else if (s[i] >= 0xE0 && s[i] <= 0xEF) {
			need = 2;
			if (s[i] == 0xE0)
				lo = 0xA0;
			else if (s[i] == 0xED)
				hi = 0x9F;
		} else if (s[i] >= 0xF0 && s[i] <= 0xF4) {
			need = 3;
			if (s[i] == 0xF0)
				lo = 0x90;
			else if (s[i] == 0xF4)
				hi = 0x8F;
		} else
			goto fail;
		if (n - i <= need || s[i + 1] < lo || s[i + 1] > hi)
			goto fail;
		if (need >= 2 && (s[i + 2] & 0xC0) != 0x80)
			goto fail;
		if (need == 3 && (s[i + 3] & 0xC0) != 0x80)
			goto fail;
		i += need + 1;
	}
	return 1;
fail:
	if (bad != NULL)
		*bad = i;
	return 0;
}

void
i18n_shutdown(void)
{
	/* The calling thread's transforms: a thread's go when it ends, but the main thread (which
	 * works in the pool too) does not end before exit. */
	if (trans_key_ok) {
		struct trans_cache *c = pthread_getspecific(trans_key);
		if (c != NULL) {
			pthread_setspecific(trans_key, NULL);
			trans_cache_free(c);
		}
	}
	u_cleanup();
}
