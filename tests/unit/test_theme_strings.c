/* Tests for the default theme's UI strings (themes/default/i18n/LANG.yaml): every language the
 * theme must ship is there; each file has every string of en.yaml and no other; a plural string
 * has exactly the CLDR categories ICU gives its language; placeholders are kept ({count} may go
 * only from a category that one number alone takes, as Arabic's "two"); values are non-empty
 * text in NFC, in the language's script, and not left in English; sr-Latn is sr.yaml through
 * ICU's Serbian-Latin/BGN transform, as a site's derived sr-Latn would get it. A second test
 * breaks a copy of the folder in each of these ways and checks that each is reported. */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/uenum.h>
#include <unicode/unorm2.h>
#include <unicode/upluralrules.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "i18n.h"
#include "test.h"
#include "util/buf.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "value.h"
#include "yml.h"

#define THEME_I18N SATCHEL_SOURCE_DIR "/themes/default/i18n"

/* What the issue asks for: the 24 official languages of the EU, Albanian, Bosnian, Macedonian,
 * Serbian in both scripts, Ukrainian, Russian, Turkish, Arabic, Persian and Japanese. */
static const char *const required[] = {
	"bg", "hr", "cs", "da", "nl", "en", "et", "fi", "fr", "de", "el", "hu",
	"ga", "it", "lv", "lt", "mt", "pl", "pt", "ro", "sk", "sl", "es", "sv",
	"sq", "bs", "mk", "sr", "sr-Latn", "uk", "ru", "tr", "ar", "fa", "ja", NULL};

/* Words a language writes as English does. Names stay as they are everywhere; the rest are
 * "LANG KEY" pairs, each the word that language uses. */
static const char *const same_everywhere[] = {"Barnahus", "Kosovo*", NULL};
static const char *const same_in[] = {
	"da menu_button", "fr menu_button", "it menu_button", "mt menu_button", "nl menu_button",
	"pl menu_button", "pt menu_button",
	"bs types.partner", "bs period",
	"cs types.partner", "cs medium.video", "cs medium.text", "cs online",
	"da downloads", "da medium.video", "da online",
	"de downloads", "de medium.video", "de medium.text", "de medium.audio", "de online",
	"et types.partner", "et medium.video",
	"fi medium.video",
	"fr pagination", "fr audiences.police",
	"hr types.partner",
	"hu online",
	"it in_language", "it medium.advocacy", "it online",
	"lv medium.video",
	"mt online",
	"nl downloads", "nl filters", "nl types.project", "nl kind.checklist", "nl medium.video",
	"nl medium.audio", "nl modules", "nl online", "nl website",
	"pl types.partner", "pl online",
	"pt online",
	"ro medium.video", "ro medium.text", "ro medium.advocacy", "ro medium.audio", "ro online",
	"sk types.partner", "sk medium.video", "sk medium.text", "sk online",
	"sl types.partner",
	"sq types.partner", "sq medium.video",
	"sr-Latn types.partner", "sr-Latn medium.video", "sr-Latn medium.audio", "sr-Latn period",
	"sv medium.video", "sv medium.text", "sv period",
	"tr medium.video",
	/* GitHub-style alert labels: "Tip" is the Czech, Slovak, Danish and Dutch word (as
	 * Microsoft Learn's localised alerts have it); "Important" the French and Romanian one. */
	"cs callout_tip", "sk callout_tip", "da callout_tip", "nl callout_tip",
	"fr callout_important", "ro callout_important",
	/* The editor's field labels (cms.*): the same words as medium.video and medium.text above,
	 * "Logo" where the language says so, and French "Date", "Image" and "Licence", Czech and
	 * Latvian "Licence", German "Medium", and "Pseudonym" in German, Danish and Swedish. */
	"cs cms.body", "de cms.body", "sk cms.body", "sv cms.body",
	"cs cms.video", "da cms.video", "de cms.video", "et cms.video", "fi cms.video",
	"lv cms.video", "nl cms.video", "ro cms.video", "sk cms.video", "sr-Latn cms.video",
	"sv cms.video", "tr cms.video",
	"cs cms.logo", "da cms.logo", "de cms.logo", "et cms.logo", "fi cms.logo", "fr cms.logo",
	"it cms.logo", "mt cms.logo", "nl cms.logo", "pl cms.logo", "ro cms.logo", "sk cms.logo",
	"tr cms.logo",
	"fr cms.date", "fr cms.image", "fr cms.license", "cs cms.license", "lv cms.license",
	"de cms.medium", "de cms.pseudonym", "da cms.pseudonym", "sv cms.pseudonym",
	NULL};

static const char *const plural_forms[] = {"zero", "one", "two", "few", "many", "other", NULL};

struct entry {
	char *key;
	const struct value *v; /* a string or a plural map, in doc */
};

struct strings {
	struct value *doc;
	struct entry *e;
	size_t n;
};

static void __attribute__((format(printf, 4, 5)))
problem(struct buf *out, const char *lang, const char *key, const char *fmt, ...)
{
	va_list ap;
	buf_printf(out, "%s.yaml: %s: ", lang, key);
	va_start(ap, fmt);
	char *msg;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort();
	va_end(ap);
	buf_puts(out, msg);
	buf_puts(out, "\n");
	free(msg);
}

/* As catalog.c reads them: a map of plural categories to text is one plural string. */
static int
is_plural_map(const struct value *v)
{
	if (v->type != VALUE_MAP || v->u.map.len == 0)
		return 0;
	for (size_t i = 0; i < v->u.map.len; i++) {
		size_t k = 0;
		while (plural_forms[k] && strcmp(v->u.map.keys[i], plural_forms[k]) != 0)
			k++;
		if (plural_forms[k] == NULL || v->u.map.vals[i]->type != VALUE_STRING)
			return 0;
	}
	return 1;
}

static void
flatten(struct strings *s, const char *lang, const char *prefix, const struct value *m,
        struct buf *out)
{
	for (size_t i = 0; i < m->u.map.len; i++) {
		const struct value *v = m->u.map.vals[i];
		char *key = *prefix ? xasprintf("%s.%s", prefix, m->u.map.keys[i])
		                    : xstrdup(m->u.map.keys[i]);
		if (v->type == VALUE_MAP && !is_plural_map(v)) {
			flatten(s, lang, key, v, out);
			free(key);
		} else if (v->type == VALUE_STRING || v->type == VALUE_MAP) {
			s->e = xrealloc(s->e, (s->n + 1) * sizeof *s->e);
			s->e[s->n++] = (struct entry){key, v};
		} else {
			problem(out, lang, key, "line %d: not text nor a map of plural forms", v->line);
			free(key);
		}
	}
}

static int
load(const char *dir, const char *lang, struct strings *s, struct buf *out)
{
	struct buf text = BUF_INIT;
	char *name = xasprintf("%s.yaml", lang);
	char *path = fs_join(dir, name);
	memset(s, 0, sizeof *s);
	int rc = fs_read_file(path, &text);
	if (rc == 0 && (rc = yml_parse(path, buf_str(&text), text.len, 0, &s->doc)) == 0) {
		if (s->doc->type == VALUE_MAP)
			flatten(s, lang, "", s->doc, out);
		else
			problem(out, lang, "(file)", "not a mapping of key: text");
	}
	if (rc != 0)
		problem(out, lang, "(file)", "missing or not YAML");
	buf_free(&text);
	free(path);
	free(name);
	return rc;
}

static void
strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].key);
	free(s->e);
	value_free(s->doc);
}

static const struct value *
lookup(const struct strings *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0)
			return s->e[i].v;
	return NULL;
}

/* The language code as an ICU locale id ("sr-Latn" -> "sr_Latn"). */
static void
icu_id(const char *lang, char *out, size_t n)
{
	snprintf(out, n, "%s", lang);
	for (char *p = out; *p; p++)
		if (*p == '-')
			*p = '_';
}

/* Whether one integer alone (of 0…1000) falls in category cat: then a string may say it in
 * words ("دقيقة واحدة") instead of {count}. */
static int
one_number_only(UPluralRules *r, const char *cat)
{
	int hits = 0;
	for (int i = 0; i <= 1000 && hits < 2; i++) {
		UChar kw[16];
		char k[16];
		UErrorCode err = U_ZERO_ERROR;
		int32_t n = uplrules_select(r, i, kw, 16, &err);
		u_UCharsToChars(kw, k, n);
		k[n < 15 ? n : 15] = '\0';
		hits += U_SUCCESS(err) && strcmp(k, cat) == 0;
	}
	return hits == 1;
}

/* The {name} placeholders of s, each once, as "{a}{b}". */
static void
placeholders(const char *s, struct buf *out)
{
	const char *o;
	while ((o = strchr(s, '{')) != NULL) {
		const char *c = strchr(o, '}');
		if (c == NULL)
			return;
		char *p = xstrndup(o, (size_t)(c - o + 1));
		if (strstr(buf_str(out), p) == NULL)
			buf_puts(out, p);
		free(p);
		s = c + 1;
	}
}

static int
is_nfc(const char *s)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t n = 0;
	u_strFromUTF8(NULL, 0, &n, s, -1, &err);
	err = U_ZERO_ERROR;
	UChar *u = xcalloc((size_t)n + 1, sizeof *u);
	u_strFromUTF8(u, n + 1, NULL, s, -1, &err);
	UBool ok = U_SUCCESS(err) && unorm2_isNormalized(nfc, u, n, &err);
	free(u);
	return ok && U_SUCCESS(err);
}

/* s in NFC, into out. */
static void
to_nfc(const char *s, struct buf *out)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t n = 0;
	u_strFromUTF8(NULL, 0, &n, s, -1, &err);
	err = U_ZERO_ERROR;
	UChar *u = xcalloc((size_t)n + 1, sizeof *u);
	UChar *v = xcalloc(2 * (size_t)n + 16, sizeof *v);
	u_strFromUTF8(u, n + 1, NULL, s, -1, &err);
	int32_t m = unorm2_normalize(nfc, u, n, v, 2 * n + 16, &err);
	char *r = xcalloc(4 * (size_t)m + 1, 1);
	u_strToUTF8(r, 4 * m + 1, NULL, v, m, &err);
	buf_puts(out, U_SUCCESS(err) ? r : "(normalization failed)");
	free(r);
	free(v);
	free(u);
}

static int
has_letter(const char *s)
{
	int32_t i = 0, len = (int32_t)strlen(s);
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c >= 0 && u_isalpha(c))
			return 1;
	}
	return 0;
}

/* The language's script: a letter of another script than its own and Latin (RSS, Atom, git…)
 * is a mistake, and a language not written in Latin has a letter of its own in every string. */
static void
check_script(const char *lang, const char *key, const char *s, struct buf *out)
{
	char id[32];
	UScriptCode own[8];
	UErrorCode err = U_ZERO_ERROR;
	icu_id(lang, id, sizeof id);
	int32_t nown = uscript_getCode(id, own, 8, &err);
	if (U_FAILURE(err) || nown <= 0) {
		problem(out, lang, key, "ICU knows no script for this language");
		return;
	}
	int latin = 0, has_own = 0;
	for (int32_t k = 0; k < nown; k++)
		latin |= own[k] == USCRIPT_LATIN;
	int32_t i = 0, len = (int32_t)strlen(s);
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0 || !u_isalpha(c))
			continue;
		UScriptCode sc = uscript_getScript(c, &err);
		int mine = 0;
		for (int32_t k = 0; k < nown; k++)
			mine |= sc == own[k];
		has_own |= mine;
		if (!mine && sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED && sc != USCRIPT_LATIN) {
			problem(out, lang, key, "a letter of another script (U+%04X) in \"%s\"", (unsigned)c,
			        s);
			return;
		}
	}
	if (!latin && !has_own && has_letter(s))
		problem(out, lang, key, "no letter of the language's script in \"%s\"", s);
}

static int
same_allowed(const char *lang, const char *key, const char *value)
{
	for (size_t i = 0; same_everywhere[i]; i++)
		if (strcmp(value, same_everywhere[i]) == 0)
			return 1;
	char *pair = xasprintf("%s %s", lang, key);
	int ok = 0;
	for (size_t i = 0; same_in[i] && !ok; i++)
		ok = strcmp(same_in[i], pair) == 0;
	free(pair);
	return ok;
}

/* One string of lang (form is its plural category, or NULL) against English's. */
static void
check_text(const char *lang, const char *key, const char *form, const char *s, const char *en,
           struct buf *out)
{
	char *where = form ? xasprintf("%s.%s", key, form) : xstrdup(key);
	if (*s == '\0' || strspn(s, " ") == strlen(s))
		problem(out, lang, where, "empty");
	else if (strcmp(s, en) == 0 && has_letter(s) && !same_allowed(lang, key, s))
		problem(out, lang, where, "left in English: \"%s\"", s);
	if (!is_nfc(s))
		problem(out, lang, where, "not in NFC: \"%s\"", s);
	check_script(lang, where, s, out);
	free(where);
}

/* The placeholders of lang's string s against those English uses anywhere in the key (its own,
 * all its forms): each kept, none added. */
static void
check_placeholders(const char *lang, const char *key, const char *form, const char *s,
                   const char *en_all, UPluralRules *rules, struct buf *out)
{
	struct buf mine = BUF_INIT, want = BUF_INIT;
	placeholders(s, &mine);
	placeholders(en_all, &want);
	char *where = form ? xasprintf("%s.%s", key, form) : xstrdup(key);
	const char *p = buf_str(&want);
	while (*p) {
		const char *c = strchr(p, '}');
		char *ph = xstrndup(p, (size_t)(c - p + 1));
		int may_go = form && strcmp(ph, "{count}") == 0 && one_number_only(rules, form);
		if (strstr(buf_str(&mine), ph) == NULL && !may_go)
			problem(out, lang, where, "lost the placeholder %s: \"%s\"", ph, s);
		free(ph);
		p = c + 1;
	}
	p = buf_str(&mine);
	while (*p) {
		const char *c = strchr(p, '}');
		char *ph = xstrndup(p, (size_t)(c - p + 1));
		if (strstr(buf_str(&want), ph) == NULL)
			problem(out, lang, where, "has the placeholder %s, which English has not", ph);
		free(ph);
		p = c + 1;
	}
	free(where);
	buf_free(&mine);
	buf_free(&want);
}

/* Every English form of a plural string, concatenated (for its placeholders). */
static char *
all_forms(const struct value *v)
{
	if (v->type == VALUE_STRING)
		return xstrdup(v->u.str.s);
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < v->u.map.len; i++)
		buf_puts(&b, v->u.map.vals[i]->u.str.s);
	buf_puts(&b, "");
	return buf_detach(&b);
}

static void
check_lang(const char *lang, const struct strings *en, const struct strings *s, struct buf *out)
{
	char id[32];
	UErrorCode err = U_ZERO_ERROR;
	icu_id(lang, id, sizeof id);
	UPluralRules *rules = uplrules_open(id, &err);
	if (U_FAILURE(err)) {
		problem(out, lang, "(file)", "ICU has no plural rules for it");
		return;
	}
	for (size_t i = 0; i < en->n; i++) {
		const char *key = en->e[i].key;
		const struct value *ev = en->e[i].v, *v = lookup(s, key);
		char *en_all = all_forms(ev);
		if (v == NULL) {
			problem(out, lang, key, "missing");
		} else if (ev->type == VALUE_STRING && v->type != VALUE_STRING) {
			problem(out, lang, key, "a plural map where English has one text");
		} else if (ev->type == VALUE_STRING) {
			check_text(lang, key, NULL, v->u.str.s, ev->u.str.s, out);
			check_placeholders(lang, key, NULL, v->u.str.s, en_all, rules, out);
		} else if (!is_plural_map(v)) {
			problem(out, lang, key, "one text where English has plural forms");
		} else {
			/* Exactly ICU's categories for the language. */
			UErrorCode e2 = U_ZERO_ERROR;
			UEnumeration *kw = uplrules_getKeywords(rules, &e2);
			const char *k;
			while (U_SUCCESS(e2) && (k = uenum_next(kw, NULL, &e2)) != NULL)
				if (value_map_get(v, k) == NULL)
					problem(out, lang, key, "lacks the plural category '%s'", k);
			for (size_t j = 0; j < v->u.map.len; j++) {
				const char *form = v->u.map.keys[j];
				int used = 0;
				e2 = U_ZERO_ERROR;
				uenum_reset(kw, &e2);
				while (U_SUCCESS(e2) && (k = uenum_next(kw, NULL, &e2)) != NULL)
					used |= strcmp(k, form) == 0;
				if (!used)
					problem(out, lang, key, "has the plural category '%s', which %s does not use",
					        form, lang);
				const struct value *ef = value_map_get(ev, form);
				if (ef == NULL)
					ef = value_map_get(ev, "other");
				const char *text = v->u.map.vals[j]->u.str.s;
				check_text(lang, key, form, text, ef ? ef->u.str.s : "", out);
				check_placeholders(lang, key, form, text, en_all, rules, out);
			}
			uenum_close(kw);
		}
		free(en_all);
	}
	for (size_t i = 0; i < s->n; i++)
		if (lookup(en, s->e[i].key) == NULL)
			problem(out, lang, s->e[i].key, "not in en.yaml (left over?)");
	uplrules_close(rules);
}

/* sr-Latn's strings are sr's through Serbian-Latin/BGN, in NFC. */
static void
check_derived(const struct strings *sr, const struct strings *latn, struct buf *out)
{
	for (size_t i = 0; i < sr->n; i++) {
		const struct value *v = sr->e[i].v, *l = lookup(latn, sr->e[i].key);
		if (l == NULL || l->type != v->type)
			continue; /* reported by check_lang */
		size_t n = v->type == VALUE_STRING ? 1 : v->u.map.len;
		for (size_t j = 0; j < n; j++) {
			const struct value *f = v->type == VALUE_STRING ? v : v->u.map.vals[j];
			const struct value *lf =
			    v->type == VALUE_STRING ? l : value_map_get(l, v->u.map.keys[j]);
			struct buf t = BUF_INIT, want = BUF_INIT;
			i18n_transliterate("Serbian-Latin/BGN", f->u.str.s, &t);
			to_nfc(buf_str(&t), &want);
			if (lf == NULL || strcmp(lf->u.str.s, buf_str(&want)) != 0)
				problem(out, "sr-Latn", sr->e[i].key,
				        "is not sr.yaml's \"%s\" transliterated (\"%s\")", f->u.str.s,
				        buf_str(&want));
			buf_free(&t);
			buf_free(&want);
		}
	}
}

static int
yaml_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 5 && strcmp(d->d_name + n - 5, ".yaml") == 0;
}

/* Everything wrong with the UI strings in dir, one line each, into out. */
static void
check_dir(const char *dir, struct buf *out)
{
	struct strings en, sr, latn;
	struct dirent **names;
	for (size_t i = 0; required[i]; i++) {
		char *name = xasprintf("%s/%s.yaml", dir, required[i]);
		if (access(name, R_OK) != 0)
			problem(out, required[i], "(file)", "missing: the theme must ship this language");
		free(name);
	}
	if (load(dir, "en", &en, out) != 0)
		return;
	int n = scandir(dir, &names, yaml_file, alphasort);
	for (int i = 0; i < n; i++) {
		char *lang = xstrndup(names[i]->d_name, strlen(names[i]->d_name) - 5);
		struct strings s;
		if (strcmp(lang, "en") != 0 && load(dir, lang, &s, out) == 0) {
			check_lang(lang, &en, &s, out);
			strings_free(&s);
		}
		free(lang);
		free(names[i]);
	}
	free(n >= 0 ? names : NULL);
	if (load(dir, "sr", &sr, out) == 0) {
		if (load(dir, "sr-Latn", &latn, out) == 0) {
			check_derived(&sr, &latn, out);
			strings_free(&latn);
		}
		strings_free(&sr);
	}
	strings_free(&en);
}

TEST(test_every_string_in_every_language)
{
	struct buf out = BUF_INIT;
	check_dir(THEME_I18N, &out);
	if (out.len) {
		fprintf(stderr, "%s", buf_str(&out));
		test_failed_now = 1;
	}
	buf_free(&out);
}

/* Replaces the first `from` in dir/file with `to`; the test fails when it is not there. */
static void
edit(const char *dir, const char *file, const char *from, const char *to)
{
	struct buf b = BUF_INIT, r = BUF_INIT;
	char *path = fs_join(dir, file);
	CHECK(fs_read_file(path, &b) == 0);
	const char *at = strstr(buf_str(&b), from);
	CHECK(at != NULL);
	if (at != NULL) {
		buf_add(&r, buf_str(&b), (size_t)(at - buf_str(&b)));
		buf_puts(&r, to);
		buf_puts(&r, at + strlen(from));
		CHECK(fs_write_file(path, r.data, r.len) == 0);
	}
	free(path);
	buf_free(&b);
	buf_free(&r);
}

TEST(test_each_kind_of_mistake_is_found)
{
	char tmpl[] = "/tmp/satchel-strings-XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (dir == NULL)
		return;
	test_sh("cp %s/*.yaml %s/", THEME_I18N, dir);
	char *el = fs_join(dir, "el.yaml");
	CHECK(unlink(el) == 0);
	free(el);
	edit(dir, "pl.yaml", "home: \"Strona główna\"\n", "");
	edit(dir, "ru.yaml", "  many: \"{count} материалов\"\n", "");
	edit(dir, "de.yaml", "  other: \"{count} Minuten Lesezeit\"\n",
	     "  other: \"{count} Minuten Lesezeit\"\n  few: \"{count} Minuten\"\n");
	edit(dir, "uk.yaml", "  one: \"{count} матеріал\"", "  one: \"один матеріал\"");
	edit(dir, "fr.yaml", "Page {count} sur {name}", "Page {count} sur {total}");
	edit(dir, "it.yaml", "Vai al contenuto", "Skip to content");
	edit(dir, "bg.yaml", "\nhome: \"", "\nhome: \"Home ");
	edit(dir, "cs.yaml", "home: \"Úvod\"", "home: \"U\xcc\x81vod\"");
	edit(dir, "sr-Latn.yaml", "home: \"Početna\"", "home: \"Pocetna\"");
	edit(dir, "ja.yaml", "no_changes:", "stale_key: \"古い\"\nno_changes:");
	edit(dir, "es.yaml", "search: \"Buscar\"", "search: \"\"");

	struct buf out = BUF_INIT;
	check_dir(dir, &out);
	const char *got = buf_str(&out);
	CHECK_CONTAINS(got, "el.yaml: (file): missing: the theme must ship this language\n");
	CHECK_CONTAINS(got, "pl.yaml: home: missing\n");
	CHECK_CONTAINS(got, "ru.yaml: resources_count: lacks the plural category 'many'\n");
	CHECK_CONTAINS(got, "de.yaml: reading_time: has the plural category 'few', which de does not use\n");
	/* Ukrainian "one" is 1, 21, 31…: the number must be there. */
	CHECK_CONTAINS(got, "uk.yaml: resources_count.one: lost the placeholder {count}");
	CHECK_CONTAINS(got, "fr.yaml: page_of: lost the placeholder {name}");
	CHECK_CONTAINS(got, "fr.yaml: page_of: has the placeholder {total}, which English has not\n");
	CHECK_CONTAINS(got, "it.yaml: skip_to_content: left in English: \"Skip to content\"\n");
	CHECK_CONTAINS(got, "cs.yaml: home: not in NFC");
	CHECK_CONTAINS(got, "sr-Latn.yaml: home: is not sr.yaml's \"Почетна\" transliterated");
	CHECK_CONTAINS(got, "ja.yaml: stale_key: not in en.yaml (left over?)\n");
	CHECK_CONTAINS(got, "es.yaml: search: empty\n");
	/* Latin letters are allowed in Bulgarian (RSS, git), so "Home …" passes the script check;
	 * a Greek letter in Polish does not. */
	CHECK_NOT_CONTAINS(got, "bg.yaml: home");
	edit(dir, "pl.yaml", "menu: \"Menu główne\"", "menu: \"Menu γłówne\"");
	edit(dir, "ru.yaml", "home: \"Главная\"", "home: \"Home\"");
	buf_reset(&out);
	check_dir(dir, &out);
	got = buf_str(&out);
	CHECK_CONTAINS(got, "pl.yaml: menu: a letter of another script (U+03B3)");
	CHECK_CONTAINS(got, "ru.yaml: home: left in English: \"Home\"\n");
	CHECK_CONTAINS(got, "ru.yaml: home: no letter of the language's script in \"Home\"\n");
	/* Arabic's "one" and "two" may say the number in words; the untouched files are clean. */
	CHECK_NOT_CONTAINS(got, "ar.yaml");
	CHECK_NOT_CONTAINS(got, "sv.yaml");
	CHECK_NOT_CONTAINS(got, "sr.yaml: ");
	buf_free(&out);
	fs_rm_rf(dir);
}

int
main(void)
{
	RUN(test_every_string_in_every_language);
	RUN(test_each_kind_of_mistake_is_found);
	i18n_shutdown();
	return TEST_END();
}
