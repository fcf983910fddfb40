/* safeguard: consent records, the withdrawal list, and front matter that could name a child. */
#include "safeguard.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "i18n.h"
#include "types.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/xalloc.h"
#include "yml.h"

struct entry {
	char *path; /* "content/by-children/x" or "content/by-children/x.md" */
	int line;
	int used;
};

struct safeguard {
	struct entry *v;
	size_t n;
};

/* "by-children/x/", "./content/by-children/x" -> "content/by-children/x"; NULL when it would
 * leave content/. */
static char *
entry_path(const char *s)
{
	while (s[0] == '.' && s[1] == '/')
		s += 2;
	while (*s == '/')
		s++;
	if (strncmp(s, "content/", 8) == 0)
		s += 8;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '/')
		n--;
	if (n == 0)
		return NULL;
	char *rel = xstrndup(s, n);
	/* A page is withdrawn whole: b.bg.md and a/index.md name b and the folder a. */
	if (n > 3 && strcmp(rel + n - 3, ".md") == 0) {
		rel[n - 3] = '\0';
		char *base = strrchr(rel, '/'), *dot;
		base = base ? base + 1 : rel;
		if ((dot = strrchr(base, '.')) != NULL && strlen(dot + 1) <= 8 &&
		    strspn(dot + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-") == strlen(dot + 1))
			*dot = '\0';
		if (strcmp(base, "index") == 0 && base > rel)
			base[-1] = '\0';
	}
	for (char *p = rel; p != NULL; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (strncmp(p, "..", 2) == 0 && (p[2] == '/' || p[2] == '\0')) {
			free(rel);
			return NULL;
		}
	}
	char *full = xasprintf("content/%s", rel);
	free(rel);
	return full;
}

int
safeguard_load(struct source *src, struct safeguard **out)
{
	struct safeguard *sg = xcalloc(1, sizeof *sg);
	struct buf b = BUF_INIT;
	struct value *root = NULL;
	int rc = 0;
	*out = sg;
	if (!source_exists(src, SAFEGUARD_WITHDRAWN))
		goto done;
	if (source_read(src, SAFEGUARD_WITHDRAWN, &b) < 0) {
		diag_error(SAFEGUARD_WITHDRAWN, 0, 0, "cannot read the file");
		rc = -1;
		goto done;
	}
	if (yml_parse(SAFEGUARD_WITHDRAWN, buf_str(&b), b.len, 0, &root) < 0) {
		rc = -1;
		goto done;
	}
	const struct value *list = root;
	if (list != NULL && list->type == VALUE_MAP)
		list = value_map_get(list, "withdrawn");
	if (list == NULL || list->type == VALUE_NULL)
		goto done; /* an empty list */
	if (list->type != VALUE_LIST) {
		diag_error(SAFEGUARD_WITHDRAWN, list->line, list->col,
		           "must be a list of withdrawn materials, each a content path such as "
		           "by-children/a-drawing or {path: …, date: …, note: …}");
		rc = -1;
		goto done;
	}
	sg->v = xcalloc(list->u.list.len + 1, sizeof *sg->v);
	for (size_t i = 0; i < list->u.list.len; i++) {
		const struct value *it = list->u.list.items[i];
		const struct value *pv = it->type == VALUE_MAP ? value_map_get(it, "path") : it;
		const char *ps = value_str(pv);
		char *path = ps ? entry_path(ps) : NULL;
		if (path == NULL) {
			diag_error(SAFEGUARD_WITHDRAWN, it->line, it->col,
			           "each withdrawn material needs a path inside content/, such as "
			           "by-children/a-drawing");
			rc = -1;
			continue;
		}
		sg->v[sg->n++] = (struct entry){path, it->line, 0};
	}
done:
	value_free(root);
	buf_free(&b);
	return rc;
}

int
safeguard_withdrawn(struct safeguard *sg, const char *path)
{
	if (sg == NULL)
		return 0;
	size_t n = strlen(path);
	/* A page named without its language and extension: content/x/y.bg.md is content/x/y. */
	char *stem = NULL;
	if (n > 3 && strcmp(path + n - 3, ".md") == 0) {
		stem = xstrndup(path, n - 3);
		char *dot = strrchr(stem, '.'), *slash = strrchr(stem, '/');
		if (dot != NULL && (slash == NULL || dot > slash))
			*dot = '\0';
	}
	int line = 0;
	for (size_t i = 0; i < sg->n && line == 0; i++) {
		const char *e = sg->v[i].path;
		size_t el = strlen(e);
		if ((strncmp(path, e, el) == 0 && (path[el] == '\0' || path[el] == '/')) ||
		    (stem != NULL && strcmp(stem, e) == 0)) {
			sg->v[i].used = 1;
			line = sg->v[i].line;
		}
	}
	free(stem);
	return line;
}

void
safeguard_report_unused(const struct safeguard *sg)
{
	for (size_t i = 0; sg != NULL && i < sg->n; i++)
		if (!sg->v[i].used)
			diag_problem(SAFEGUARD_WITHDRAWN, sg->v[i].line, 0,
			             "'%s' names no page or folder of the site: check the path, or the "
			             "material it means is still published",
			             sg->v[i].path + 8);
}

void
safeguard_free(struct safeguard *sg)
{
	if (sg == NULL)
		return;
	for (size_t i = 0; i < sg->n; i++)
		free(sg->v[i].path);
	free(sg->v);
	free(sg);
}

int64_t
safeguard_now(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end = NULL;
	if (e != NULL && *e) {
		long long v = strtoll(e, &end, 10);
		if (end != NULL && *end == '\0' && v >= 0)
			return (int64_t)v;
	}
	return (int64_t)time(NULL);
}

/* A date field of the record: its time (0 when absent); -1 after reporting a malformed one. */
static int64_t
record_date(const char *path, const struct value *rec, const char *key, char **ymd)
{
	const struct value *v = value_map_get(rec, key);
	int64_t ts = 0;
	if (v == NULL || v->type == VALUE_NULL)
		return 0;
	if (value_str(v) == NULL || parse_date(value_str(v), &ts, ymd) < 0) {
		diag_error(path, v->line, v->col, "'consent.%s' must be a date such as 2026-03-14", key);
		return -1;
	}
	return ts;
}

char *
safeguard_consent(const char *path, const struct value *rec, int64_t now, int *line,
                  int64_t *review_soon)
{
	static const char *const known[] = {"child", "guardian", "given", "review", "expires",
	                                    "recorded_by", "reference", "note", NULL};
	char *given_ymd = NULL, *review_ymd = NULL, *expires_ymd = NULL, *why = NULL;
	*line = 0;
	*review_soon = 0;
	if (rec == NULL || rec->type == VALUE_NULL)
		return xstrdup("no consent record: a child-made material needs `consent:` with child, "
		               "guardian, given, review and recorded_by");
	*line = rec->line;
	if (rec->type != VALUE_MAP)
		return xstrdup("`consent:` must be a record with child, guardian, given, review and "
		               "recorded_by");
	for (size_t i = 0; i < rec->u.map.len; i++) {
		size_t k = 0;
		while (known[k] != NULL && strcmp(known[k], rec->u.map.keys[i]) != 0)
			k++;
		if (known[k] == NULL)
			diag_warning(path, rec->u.map.key_lines ? rec->u.map.key_lines[i] : rec->line, 0,
			             "'consent.%s' is not a field of a consent record (child, guardian, "
			             "given, review or expires, recorded_by, reference, note)",
			             rec->u.map.keys[i]);
	}
	const struct value *child = value_map_get(rec, "child");
	const struct value *guardian = value_map_get(rec, "guardian");
	const char *by = value_str(value_map_get(rec, "recorded_by"));
	int64_t given = record_date(path, rec, "given", &given_ymd);
	int64_t review = record_date(path, rec, "review", &review_ymd);
	int64_t expires = record_date(path, rec, "expires", &expires_ymd);
	int64_t until = review > 0 && (expires <= 0 || review <= expires) ? review : expires;
	const char *until_ymd = until == review ? review_ymd : expires_ymd;
	if (child == NULL || child->type != VALUE_BOOL || !child->u.b)
		why = xstrdup("the record does not give the child's consent (`child: true`)");
	else if (guardian == NULL || guardian->type != VALUE_BOOL || !guardian->u.b)
		why = xstrdup("the record does not give a parent's or guardian's consent (`guardian: true`)");
	else if (given <= 0)
		why = xstrdup(given < 0 ? "the consent's date is not a date" :
		                          "the record does not say when consent was given (`given:`)");
	else if (until <= 0)
		why = xstrdup(until < 0 ? "the consent's review date is not a date" :
		                          "the record has no date to review consent by (`review:` or `expires:`)");
	else if (by == NULL || *by == '\0')
		why = xstrdup("the record does not say who recorded the consent (`recorded_by:`)");
	else if (given > now)
		why = xasprintf("consent is dated %s, after the build's date", given_ymd);
	else if (until < given)
		why = xasprintf("the consent's review date %s is before it was given (%s)", until_ymd,
		                given_ymd);
	else if (now >= until + 86400)
		why = xasprintf("consent ran out on %s: review it with the child and guardian, and record "
		                "the new date",
		                until_ymd);
	else if (until - now < 30 * 86400)
		*review_soon = until;
	free(given_ymd);
	free(review_ymd);
	free(expires_ymd);
	return why;
}

/* Keys that would hold what identifies a child. */
static const char *const identifying_keys[] = {
    "name",     "full_name", "fullname",     "first_name", "firstname",     "last_name",
    "lastname", "surname",   "family_name",  "real_name",  "school",        "class",
    "birth_date", "birthdate", "birthday",   "date_of_birth", "dob",        "born",
    "address",  "home_address", "email",     "phone",      "telephone",     NULL};

/* Fields that name or describe the creators, read for names, schools and dates. */
static const char *const creator_keys[] = {"pseudonym", "creator", "creators", "author", "authors",
                                           "credit", "group", "age_range", NULL};

/* Words for a school in the hub's languages, folded (no case, no accents). */
static const char *const school_words[] = {
    "school", "schule", "ecole", "escuela", "escola", "scuola", "scoala", "skola", "szkola",
    "iskola", "gimnazij", "gymnasium", "lyceum", "liceul", "lycee", "школа", "гимназ", "гимназиј",
    "училищ", "σχολει", "γυμνασιο", "λυκειο", "مدرسة", "okul", "basisschool", NULL};

static int
has_full_date(const char *s)
{
	/* 2014-03-07, 07.03.2014, 7/3/2014: a day, not a year or an age range. */
	for (const char *p = s; *p; p++) {
		int a = 0, b = 0, c = 0;
		const char *q = p;
		while (isdigit((unsigned char)*q) && a < 5)
			q++, a++;
		if (a == 0 || (*q != '-' && *q != '.' && *q != '/'))
			continue;
		char sep = *q++;
		while (isdigit((unsigned char)*q) && b < 3)
			q++, b++;
		if (b == 0 || *q != sep)
			continue;
		q++;
		while (isdigit((unsigned char)*q) && c < 5)
			q++, c++;
		if ((a == 4 && b <= 2 && c >= 1 && c <= 2) || (a <= 2 && b <= 2 && (c == 4 || c == 2)))
			return 1;
	}
	return 0;
}

/* Lower-case particles inside a full name: "Maria van der Berg", "Jan de Vries". */
static const char *const name_particles[] = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "das", "dos", "du", "des",
    "ten", "ter", "zu", "af", "bin", "ibn", "al", "el", "le", "la", "ван", "фон", "де", "дер",
    "ντε", NULL};

/* Surname endings in the hub's languages, folded. A word with one is read as a surname where a
 * capitalised word alone would not be: first before a comma ("Petrova, Maria", where "Sky, Lark"
 * are two pseudonyms) and in capitals among other words ("Maria PETROVA", where "CAB Sofia" is an
 * acronym). */
static const char *const surname_endings[] = {
    "ova", "ov", "eva", "ev", "ski", "ska", "sky", "ic", "ich", "vic", "enko", "escu", "eanu",
    "oulos", "oulou", "idis", "akis", "sson", "sen", "wicz", "ова", "ов", "ева", "ев", "ски",
    "ска", "ић", "ич", "енко", "πουλος", "πουλου", "ιδης", "ακης", NULL};

/* Words for a group of people: capitalised words with one are an organisation's name ("Child
 * Advisory Board"), not a person's. Matched at a word's start (a word of five letters or more)
 * or whole. */
static const char *const group_words[] = {
    "board", "council", "club", "group", "class", "team", "workshop", "network", "centre",
    "center", "panel", "forum", "parliament", "assembly", "committee", "association", "society",
    "circle", "youth", "choir", "project", "programme", "program", "initiative", "foundation",
    "children", "съвет", "клуб", "група", "клас", "отбор", "работилниц", "мрежа", "център",
    "парламент", "форум", "сдружение", "асоциация", "савет", "разред", "радиониц", "центар",
    "συμβουλιο", "ομαδα", "λεσχη", "εργαστηρι", "κεντρο", "consiliu", "grup", "clasa", "echipa",
    "atelier", "retea", "centru", "conseil", "groupe", "classe", "equipe", "consejo", "grupo",
    "clase", "taller", "equipo", "consiglio", "gruppo", "laboratorio", "gruppe", "klasse",
    "verein", "werkstatt", "raad", "groep", "klas", "grupa", "klasa", "zespol", NULL};

static int
word_in(const char *const *list, const char *folded, int prefix)
{
	for (size_t i = 0; list[i] != NULL; i++) {
		size_t n = strlen(list[i]);
		if (strncmp(folded, list[i], n) == 0 && (folded[n] == '\0' || (prefix && n >= 5)))
			return 1;
	}
	return 0;
}

static int
has_ending(const char *folded)
{
	size_t n = strlen(folded);
	for (size_t i = 0; surname_endings[i] != NULL; i++) {
		size_t e = strlen(surname_endings[i]);
		/* "ов" is an ending of "Петров", not the whole of a short word */
		if (n > e + 2 && strcmp(folded + n - e, surname_endings[i]) == 0)
			return 1;
	}
	return 0;
}

struct namescan {
	int shouting; /* first pass: no lower-case word, two or more words in capitals */
	int upper, lowerish;
	int run, group, last_single_surname, name;
};

static void
count_case(void *payload, const char *word, const char *folded, enum i18n_case c, char sep)
{
	struct namescan *ns = payload;
	(void)folded;
	(void)sep;
	if (c == I18N_CASE_UPPER && strlen(word) > 1)
		ns->upper++;
	else if (c == I18N_CASE_TITLE || c == I18N_CASE_LOWER)
		ns->lowerish++;
}

static void
end_run(struct namescan *ns)
{
	if (ns->run >= 2 && !ns->group)
		ns->name = 1;
	ns->run = ns->group = 0;
}

static void
name_word(void *payload, const char *word, const char *folded, enum i18n_case c, char sep)
{
	struct namescan *ns = payload;
	int upper_name = c == I18N_CASE_UPPER && strlen(word) > 1 && (ns->shouting || has_ending(folded));
	int single_surname = ns->last_single_surname;
	ns->last_single_surname = 0;
	if (c == I18N_CASE_TITLE || upper_name) {
		if (sep != ' ')
			end_run(ns);
		if (sep == ',' && single_surname &&
		    !word_in(group_words, folded, 1) && !word_in(school_words, folded, 1))
			ns->name = 1; /* "Petrova, Maria" */
		ns->run++;
		ns->group |= word_in(group_words, folded, 1) || word_in(school_words, folded, 1);
		ns->last_single_surname = ns->run == 1 && has_ending(folded) && !ns->group;
		return;
	}
	if (c == I18N_CASE_LOWER && sep == ' ' && ns->run > 0 && word_in(name_particles, folded, 0)) {
		ns->last_single_surname = 0;
		return; /* "van der" between two names */
	}
	end_run(ns);
}

int
safeguard_name_like(const char *s)
{
	struct namescan ns = {0};
	if (s == NULL)
		return 0;
	i18n_name_words(s, count_case, &ns);
	ns.shouting = ns.upper >= 2 && ns.lowerish == 0;
	i18n_name_words(s, name_word, &ns);
	end_run(&ns);
	return ns.name;
}

static int
check_text(const char *path, const char *key, const struct value *v)
{
	const char *s = value_str(v);
	int n = 0;
	if (s == NULL)
		return 0;
	int school = 0;
	struct buf f = BUF_INIT;
	i18n_fold(s, strlen(s), &f);
	for (size_t i = 0; school_words[i] != NULL && !school; i++)
		school = strstr(buf_str(&f), school_words[i]) != NULL;
	buf_free(&f);
	/* A school named after a person ("Hristo Botev") is told once, as a school. */
	if (!school && strcmp(key, "age_range") != 0 && safeguard_name_like(s)) {
		diag_error(path, v->line, v->col,
		           "'%s' looks like a full name (two capitalised words, or a surname and a "
		           "name): a child appears only by the name they chose and an age range",
		           key);
		n++;
	}
	if (school) {
		diag_error(path, v->line, v->col,
		           "'%s' names a school: a child-made material does not say where its creators "
		           "go to school",
		           key);
		n++;
	}
	if (has_full_date(s)) {
		diag_error(path, v->line, v->col,
		           "'%s' holds an exact date: a child-made material gives an age range, never a "
		           "birth date",
		           key);
		n++;
	}
	return n;
}

int
safeguard_identifying(const char *path, const struct value *meta)
{
	int n = 0;
	if (meta == NULL || meta->type != VALUE_MAP)
		return 0;
	for (size_t i = 0; i < meta->u.map.len; i++) {
		const char *key = meta->u.map.keys[i];
		const struct value *v = meta->u.map.vals[i];
		int kline = meta->u.map.key_lines ? meta->u.map.key_lines[i] : v->line;
		for (size_t k = 0; identifying_keys[k] != NULL; k++)
			if (strcasecmp(key, identifying_keys[k]) == 0 || strcasestr(key, "birth") != NULL) {
				diag_error(path, kline, 0,
				           "'%s' could identify a child: a child-made material names its creators "
				           "only by pseudonym and age range",
				           key);
				n++;
				break;
			}
		for (size_t k = 0; creator_keys[k] != NULL; k++) {
			if (strcmp(key, creator_keys[k]) != 0)
				continue;
			if (v->type == VALUE_LIST)
				for (size_t j = 0; j < v->u.list.len; j++)
					n += check_text(path, key, v->u.list.items[j]);
			else
				n += check_text(path, key, v);
		}
	}
	return n;
}
