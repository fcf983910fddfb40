/* config: site.yaml into a checked struct config. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "util/diag.h"
#include "util/suggest.h"
#include "util/xalloc.h"
#include "urlbase.h"
#include "yml.h"

struct ctx {
	const char *path;
	int errors;
};

static void
type_error(struct ctx *cx, const struct value *v, const char *key, const char *want)
{
	char tmp[64];
	diag_error(cx->path, v->line, v->col, "'%s' must be %s, not %s", key, want,
	           value_describe(v, tmp, sizeof tmp));
	cx->errors++;
}

/* Each key of map that is not in known: `unknown key 'x' in WHERE; did you mean 'y'?` as an
 * error, or as a warning that it is ignored. Keys compared as written; the suggestion ignores
 * case, so `Title` finds `title`. */
static void
check_keys(struct ctx *cx, const struct value *map, const char *const *known, const char *where,
           int error)
{
	for (size_t i = 0; map != NULL && map->type == VALUE_MAP && i < map->u.map.len; i++) {
		const char *key = map->u.map.keys[i];
		size_t k = 0;
		while (known[k] != NULL && strcmp(key, known[k]) != 0)
			k++;
		if (known[k] != NULL)
			continue;
		const char *best = suggest_closest(key, known);
		struct buf all = BUF_INIT;
		if (best != NULL) {
			buf_printf(&all, "did you mean '%s'?", best);
		} else {
			buf_puts(&all, "it has ");
			for (k = 0; known[k] != NULL; k++)
				buf_printf(&all, "%s%s", k == 0 ? "" : known[k + 1] ? ", " : " and ", known[k]);
		}
		if (error) {
			diag_error(cx->path, map->u.map.key_lines[i], 0, "unknown key '%s' in %s; %s", key, where,
			           buf_str(&all));
			cx->errors++;
		} else {
			diag_warning(cx->path, map->u.map.key_lines[i], 0, "unknown %s '%s' ignored%s%s%s", where,
			             key, best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
		}
		buf_free(&all);
	}
}

/* A scalar as a string: strings as they are, numbers and booleans written out. */
static char *
get_string(struct ctx *cx, const struct value *map, const char *key, const char *dflt)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return dflt ? xstrdup(dflt) : NULL;
	if (v->type == VALUE_STRING)
		return xstrdup(v->u.str.s);
	if (v->type == VALUE_INT)
		return xasprintf("%lld", (long long)v->u.i);
	type_error(cx, v, key, "text");
	return dflt ? xstrdup(dflt) : NULL;
}

static int
get_bool(struct ctx *cx, const struct value *map, const char *key, int dflt)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return dflt;
	if (v->type == VALUE_BOOL)
		return v->u.b;
	type_error(cx, v, key, "true or false");
	return dflt;
}

static int
is_name(const struct value *v)
{
	return v != NULL && v->type == VALUE_STRING && v->u.str.len > 0 &&
	       strspn(v->u.str.s, "abcdefghijklmnopqrstuvwxyz0123456789-_") == v->u.str.len;
}

static char **
get_string_list(struct ctx *cx, const struct value *map, const char *key, size_t *n)
{
	const struct value *v = value_map_get(map, key);
	*n = 0;
	if (v == NULL || v->type == VALUE_NULL)
		return NULL;
	if (v->type != VALUE_LIST) {
		type_error(cx, v, key, "a list of names");
		return NULL;
	}
	char **out = xcalloc(v->u.list.len + 1, sizeof *out);
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct value *it = v->u.list.items[i];
		if (!is_name(it)) {
			diag_error(cx->path, it->line, it->col,
			           "each entry of '%s' must be a lowercase name (a-z, 0-9, '-', '_')", key);
			cx->errors++;
			continue;
		}
		out[(*n)++] = xstrdup(it->u.str.s);
	}
	return out;
}

/* The address the site is served at, for feeds and sitemaps: http(s) with a host, and nothing a
 * feed or an attribute would carry as markup. "/" (or nothing) is a site with no address yet. */
static int
base_url_ok(const char *u)
{
	size_t scheme = strncmp(u, "https://", 8) == 0 ? 8 : strncmp(u, "http://", 7) == 0 ? 7 : 0;
	if (strcmp(u, "/") == 0 || u[0] == '\0')
		return 1;
	if (scheme == 0 || u[scheme] == '\0' || strchr("/?#@:", u[scheme]) != NULL)
		return 0;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || strchr("\"'<>\\`{}|^", *p) != NULL)
			return 0;
	return 1;
}

/* What is wrong with base_url's path (after the host), or NULL: it becomes the base path every
 * URL of the site starts with (urlbase.h), so it is plain path segments — no query or fragment,
 * no empty, "." or ".." segment, and no %-escape of '/' or '\\' (which a server would decode into
 * another path). */
static const char *
base_path_problem(const char *u)
{
	const char *host = strstr(u, "://");
	if (host == NULL)
		return NULL;
	if (strpbrk(host + 3, "?#") != NULL)
		return "no query (?) or fragment (#)";
	const char *p = strchr(host + 3, '/');
	while (p != NULL && p[1] != '\0') {
		const char *seg = p + 1, *end = strchr(seg, '/');
		size_t n = end ? (size_t)(end - seg) : strlen(seg);
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return "no empty, . or .. part in its path";
		for (size_t i = 0; i < n; i++) {
			if (seg[i] != '%')
				continue;
			if (i + 2 >= n || !isxdigit((unsigned char)seg[i + 1]) || !isxdigit((unsigned char)seg[i + 2]))
				return "a % only as %XX";
			int c = (int)strtol((char[]){seg[i + 1], seg[i + 2], '\0'}, NULL, 16);
			if (c == '/' || c == '\\' || c == '.' || c < 0x20)
				return "no %-escaped /, \\, . or control character in its path";
		}
		p = end;
	}
	return NULL;
}

/* "200MB", "5 MB", "1.5 GB", "64KiB" or a number of bytes, into bytes; 0 when not a size. */
static uint64_t
parse_size(const struct value *v)
{
	static const struct {
		const char *unit;
		double mult;
	} units[] = {{"", 1},           {"B", 1},           {"KB", 1e3},       {"kB", 1e3},
	             {"MB", 1e6},       {"GB", 1e9},        {"KiB", 1024.0},   {"MiB", 1048576.0},
	             {"GiB", 1073741824.0}};
	if (v->type == VALUE_INT)
		return v->u.i > 0 ? (uint64_t)v->u.i : 0;
	if (v->type != VALUE_STRING)
		return 0;
	char *end = NULL;
	double d = strtod(v->u.str.s, &end);
	if (end == v->u.str.s || !(d > 0))
		return 0;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].unit) == 0 && d * units[i].mult >= 1 &&
		    d * units[i].mult <= 1e12)
			return (uint64_t)(d * units[i].mult);
	return 0;
}

/* limits: {file_size: 200MB, text_size: 128MB} — what one file may weigh. */
static void
load_limits(struct ctx *cx, struct config *c, const struct value *root)
{
	const struct value *lv = value_map_get(root, "limits");
	if (lv == NULL || lv->type == VALUE_NULL)
		return;
	if (lv->type != VALUE_MAP) {
		type_error(cx, lv, "limits", "a mapping such as {file_size: 200MB, text_size: 128MB}");
		return;
	}
	for (size_t i = 0; i < lv->u.map.len; i++) {
		const char *key = lv->u.map.keys[i];
		const struct value *v = lv->u.map.vals[i];
		uint64_t *slot = strcmp(key, "file_size") == 0   ? &c->file_size_limit
		                 : strcmp(key, "text_size") == 0 ? &c->text_size_limit
		                                                 : NULL;
		if (slot == NULL) {
			static const char *const limits[] = {"file_size", "text_size", NULL};
			const char *best = suggest_closest(key, limits);
			diag_error(cx->path, lv->u.map.key_lines[i], 0,
			           "limits: unknown limit '%s' (file_size, text_size)%s%s%s", key,
			           best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
			cx->errors++;
		} else if ((*slot = parse_size(v)) == 0) {
			type_error(cx, v, key, "a size such as 200MB, 5MB or 64KiB (up to 1000 GB)");
		}
	}
}

static const char *const known_keys[] = {
    "title", "base_url", "baseURL", "default_language", "languages", "taxonomies", "sections",
    "theme", "options", "params", "types", "edit_url", "required_languages", "history",
    "limits", "logo", "brand_color", "image", "image_alt", "offline", "cms", NULL,
};

/* One of a setting's words (its index), or -1 after an error at the value. */
static int
get_choice(struct ctx *cx, const struct value *map, const char *key, const char *const *words,
           int dflt)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return dflt;
	/* YAML reads a bare off as false. */
	const char *s = v->type == VALUE_BOOL && !v->u.b ? "off" : value_str(v);
	for (int i = 0; s != NULL && words[i] != NULL; i++)
		if (strcmp(s, words[i]) == 0)
			return i;
	char tmp[64];
	struct buf all = BUF_INIT;
	for (int i = 0; words[i] != NULL; i++)
		buf_printf(&all, "%s%s", i ? ", " : "", words[i]);
	diag_error(cx->path, v->line, v->col, "history.%s must be one of %s, not %s", key,
	           buf_str(&all), s ? s : value_describe(v, tmp, sizeof tmp));
	buf_free(&all);
	cx->errors++;
	return -1;
}

/* history: {contributors: off|mailmap|all, changes: titles|editors|off|public} — what git's
 * record may publish; the defaults publish no name and no commit message. */
static void
load_history(struct ctx *cx, struct config *c, const struct value *root)
{
	static const char *const names[] = {"off", "mailmap", "all", NULL};
	static const char *const changes[] = {"titles", "editors", "off", "public", NULL};
	const struct value *h = value_map_get(root, "history");
	c->contributors = CONFIG_NAMES_OFF;
	c->changes = CONFIG_CHANGES_TITLES;
	if (h == NULL || h->type == VALUE_NULL)
		return;
	if (h->type != VALUE_MAP) {
		type_error(cx, h, "history", "a mapping (contributors, changes)");
		return;
	}
	static const char *const keys[] = {"contributors", "changes", NULL};
	check_keys(cx, h, keys, "history", 1);
	int n = get_choice(cx, h, "contributors", names, CONFIG_NAMES_OFF);
	int ch = get_choice(cx, h, "changes", changes, CONFIG_CHANGES_TITLES);
	c->contributors = n < 0 ? CONFIG_NAMES_OFF : n;
	c->changes = ch < 0 ? CONFIG_CHANGES_TITLES : ch;
}

/* sections: [guidance, {name: events, type: event}] — navigation order, and each section's
 * content type when it is not the type with the section's name. */
static void
load_sections(struct ctx *cx, struct config *c, const struct value *root)
{
	const struct value *v = value_map_get(root, "sections");
	if (v == NULL || v->type == VALUE_NULL)
		return;
	if (v->type != VALUE_LIST) {
		type_error(cx, v, "sections", "a list of section names");
		return;
	}
	c->sections = xcalloc(v->u.list.len + 1, sizeof *c->sections);
	c->section_types = xcalloc(v->u.list.len + 1, sizeof *c->section_types);
	for (size_t i = 0; i < v->u.list.len; i++) {
		const struct value *it = v->u.list.items[i];
		const struct value *name = it, *type = NULL;
		if (it->type == VALUE_MAP) {
			name = value_map_get(it, "name");
			type = value_map_get(it, "type");
			static const char *const keys[] = {"name", "type", NULL};
			check_keys(cx, it, keys, "a section", 1);
		}
		if (!is_name(name) || (type != NULL && !is_name(type))) {
			const struct value *bad = is_name(name) ? type : name ? name : it;
			diag_error(cx->path, bad->line, bad->col,
			           "each section must be a lowercase name (a-z, 0-9, '-', '_') or "
			           "{name: NAME, type: TYPE}");
			cx->errors++;
			continue;
		}
		c->sections[c->nsections] = xstrdup(name->u.str.s);
		c->section_types[c->nsections++] = type ? xstrdup(type->u.str.s) : NULL;
	}
}

/* A language key that is not a BCP 47 tag (Hugo sites have "gr", "cz", "jp") is the language's
 * part of URLs: letters, digits and inner '-', when `locale:` says what language it is. */
static int
url_key(const char *code, int has_locale)
{
	size_t n = strlen(code);
	if (!has_locale || n == 0 || n > 16 || code[0] == '-' || code[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)code[i]) && code[i] != '-')
			return 0;
	return 1;
}

static void
load_languages(struct ctx *cx, struct config *c, const struct value *root)
{
	const struct value *langs = value_map_get(root, "languages");
	if (langs == NULL) {
		/* A one-language site needs no list. */
		c->langs = xcalloc(1, sizeof *c->langs);
		c->nlangs = 1;
		c->langs[0].code = xstrdup("en");
		c->langs[0].name = xstrdup("English");
		c->langs[0].dir = xstrdup("ltr");
		c->langs[0].locale = xstrdup("en");
		c->langs[0].tag = xstrdup("en");
		c->langs[0].title = xstrdup(c->title);
		c->langs[0].from = SIZE_MAX;
		return;
	}
	if (langs->type != VALUE_LIST || langs->u.list.len == 0) {
		diag_error(cx->path, langs->line, langs->col,
		           "'languages' must be a non-empty list of {code, name, direction, locale}");
		cx->errors++;
		return;
	}
	c->langs = xcalloc(langs->u.list.len, sizeof *c->langs);
	for (size_t i = 0; i < langs->u.list.len; i++) {
		const struct value *l = langs->u.list.items[i];
		if (l->type != VALUE_MAP) {
			type_error(cx, l, "languages entry", "a mapping");
			continue;
		}
		static const char *const keys[] = {"code", "name", "locale", "title", "direction",
		                                   "from", "transliterate", NULL};
		check_keys(cx, l, keys, "language setting", 0);
		char *code = get_string(cx, l, "code", NULL);
		if (code == NULL) {
			diag_error(cx->path, l->line, l->col, "language has no 'code'");
			cx->errors++;
			continue;
		}
		const struct value *cv = value_map_get(l, "code");
		if (!i18n_locale_valid(code) && !url_key(code, value_map_get(l, "locale") != NULL)) {
			if (value_map_get(l, "locale") != NULL)
				diag_error(cx->path, cv->line, cv->col,
				           "language code '%s' must be letters, digits and '-' (it is the "
				           "language's part of URLs)", code);
			else
				diag_error(cx->path, cv->line, cv->col,
				           "unknown language code '%s'; a key that is not a BCP 47 tag needs "
				           "'locale:' to say its language ({code: %s, locale: el})", code, code);
			cx->errors++;
			free(code);
			continue;
		}
		if (config_lang(c, code) != NULL) {
			diag_error(cx->path, cv->line, cv->col, "language '%s' is listed twice", code);
			cx->errors++;
			free(code);
			continue;
		}
		struct config_lang *cl = &c->langs[c->nlangs];
		cl->code = code;
		cl->index = c->nlangs;
		cl->locale = get_string(cx, l, "locale", code);
		/* Left out, a language is named in itself and given its direction by ICU (as
		 * `satchel new site --lang` writes them): fa and ar are rtl. */
		struct buf autonym = BUF_INIT;
		i18n_language_autonym(cl->locale, &autonym);
		cl->name = get_string(cx, l, "name", autonym.len ? buf_str(&autonym) : code);
		buf_free(&autonym);
		cl->title = get_string(cx, l, "title", c->title);
		cl->dir = get_string(cx, l, "direction", i18n_is_rtl(cl->locale) ? "rtl" : "ltr");
		if (strcmp(cl->dir, "ltr") != 0 && strcmp(cl->dir, "rtl") != 0) {
			const struct value *dv = value_map_get(l, "direction");
			diag_error(cx->path, dv->line, dv->col, "'direction' must be ltr or rtl, not '%s'",
			           cl->dir);
			cx->errors++;
		}
		if (!i18n_locale_valid(cl->locale)) {
			const struct value *lv = value_map_get(l, "locale");
			diag_error(cx->path, lv->line, lv->col, "unknown locale '%s'", cl->locale);
			cx->errors++;
		}
		char tag[I18N_TAG_MAX];
		i18n_document_tag(cl->code, cl->locale, tag);
		cl->tag = xstrdup(tag[0] ? tag : cl->code);
		for (size_t k = 0; k < c->nlangs; k++)
			if (strcasecmp(c->langs[k].tag, cl->tag) == 0) {
				diag_error(cx->path, cv->line, cv->col,
				           "languages '%s' and '%s' are both %s: give one another 'locale'",
				           c->langs[k].code, cl->code, cl->tag);
				cx->errors++;
			}
		cl->from = SIZE_MAX;
		cl->transliterate = get_string(cx, l, "transliterate", NULL);
		c->nlangs++;
	}
	/* Derived languages: `from: sr` names a language of its own in the list, and
	 * `transliterate:` an ICU transform that exists. */
	if (c->nlangs != langs->u.list.len)
		return; /* entries were refused; their languages cannot be matched up */
	for (size_t i = 0; i < c->nlangs; i++) {
		const struct value *l = langs->u.list.items[i];
		struct config_lang *cl = &c->langs[i];
		const struct value *fv = value_map_get(l, "from");
		const struct value *tv = value_map_get(l, "transliterate");
		if (fv == NULL && tv == NULL)
			continue;
		const struct value *at = fv ? fv : tv;
		const struct config_lang *src = fv ? config_lang(c, value_str(fv) ? value_str(fv) : "") : NULL;
		if (fv == NULL || tv == NULL) {
			diag_error(cx->path, at->line, at->col,
			           "a derived language needs both 'from' (a language code) and "
			           "'transliterate' (an ICU transform such as Serbian-Latin/BGN)");
			cx->errors++;
		} else if (src == NULL || src == cl || src->transliterate != NULL) {
			diag_error(cx->path, fv->line, fv->col,
			           "'from' must name another language of the site that is not derived itself");
			cx->errors++;
		} else {
			struct buf probe = BUF_INIT;
			if (cl->transliterate == NULL ||
			    i18n_transliterate(cl->transliterate, "", &probe) < 0) {
				diag_error(cx->path, tv->line, tv->col, "unknown ICU transform '%s'",
				           cl->transliterate ? cl->transliterate : "");
				cx->errors++;
			}
			buf_free(&probe);
			cl->from = src->index;
		}
	}
}

/* A colour channel's relative luminance (WCAG 2: sRGB to linear). */
static double
channel_lum(int c)
{
	double v = c / 255.0;
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

/* brand_color: "#0b55a3" or "#15a": kept as "#rrggbb", with the text colour that reads on it. */
static void
load_brand_color(struct ctx *cx, struct config *c, const struct value *root)
{
	const struct value *v = value_map_get(root, "brand_color");
	if (v == NULL)
		return;
	const char *s = value_str(v);
	size_t n = s ? strlen(s) : 0;
	int ok = s != NULL && s[0] == '#' && (n == 4 || n == 7);
	for (size_t i = 1; ok && i < n; i++)
		ok = isxdigit((unsigned char)s[i]) != 0;
	if (!ok) {
		/* YAML reads an unquoted #0b55a3 as a comment: the value is then empty. */
		char tmp[64];
		diag_error(cx->path, v->line, v->col,
		           "'brand_color' must be a colour written \"#rrggbb\" or \"#rgb\", in quotes "
		           "(brand_color: \"#0b55a3\"; without them YAML reads # as a comment), not %s",
		           v->type == VALUE_NULL ? "an empty value" : value_describe(v, tmp, sizeof tmp));
		cx->errors++;
		return;
	}
	char hex[8] = "#";
	for (size_t i = 1; i < 7; i++)
		hex[i] = (char)tolower((unsigned char)s[n == 4 ? (i + 1) / 2 : i]);
	unsigned rgb = (unsigned)strtoul(hex + 1, NULL, 16);
	double l = 0.2126 * channel_lum((int)(rgb >> 16 & 0xff)) +
	           0.7152 * channel_lum((int)(rgb >> 8 & 0xff)) + 0.0722 * channel_lum((int)(rgb & 0xff));
	/* Contrast with white (1.05 / (l + .05)) against with black ((l + .05) / .05). */
	c->brand_fg = 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#000000";
	c->brand_color = xstrdup(hex);
}

/* logo: images/logo.svg — a file of the site's static/ folder, shown beside the title; image:
 * the picture shared links show for pages without their own (og:image). Never another host's:
 * pages fetch nothing from elsewhere. */
static void
load_static_image(struct ctx *cx, const struct value *root, const char *key, char **out,
                  int *line, int *col)
{
	static const char *const exts[] = {".svg", ".png", ".jpg", ".jpeg", ".webp", ".gif", NULL};
	const struct value *v = value_map_get(root, key);
	if (v == NULL || v->type == VALUE_NULL)
		return;
	const char *s = value_str(v);
	if (s == NULL || *s == '\0') {
		type_error(cx, v, key, "the path of an image in static/, such as images/logo.svg");
		return;
	}
	const char *ext = strrchr(s, '.');
	int known = 0;
	for (size_t i = 0; ext != NULL && exts[i] != NULL; i++)
		known |= strcasecmp(ext, exts[i]) == 0;
	const char *why = strstr(s, "://") != NULL || strncmp(s, "//", 2) == 0
	                      ? "a file of this site (in static/), not an address: pages load nothing "
	                        "from other hosts"
	                  : s[0] == '/' || strstr(s, "..") != NULL || strchr(s, '\\') != NULL
	                      ? "a path inside static/ without a leading / or .. (images/logo.svg)"
	                  : !known ? "an SVG, PNG, JPEG, WebP or GIF image (images/logo.svg)"
	                           : NULL;
	if (why != NULL) {
		diag_error(cx->path, v->line, v->col, "'%s' must be %s, not '%s'", key, why, s);
		cx->errors++;
		return;
	}
	*out = xstrdup(s);
	*line = v->line;
	*col = v->col;
}

/* ---- cmsconfig: cms: the browser editor at /admin/ ---- */

/* A cms: setting's text, checked character by character: NULL (after an error at the value)
 * when it is not text or has a character outside allowed (NULL: any but space and control). */
static char *
cms_string(struct ctx *cx, const struct value *map, const char *key, const char *allowed,
           const char *want)
{
	const struct value *v = value_map_get(map, key);
	if (v == NULL || v->type == VALUE_NULL)
		return NULL;
	const char *s = value_str(v);
	int ok = s != NULL && v->type == VALUE_STRING && s[0] != '\0';
	for (const char *p = s; ok && *p; p++)
		ok = allowed ? strchr(allowed, *p) != NULL : (unsigned char)*p > ' ' && *p != 0x7f;
	if (!ok) {
		char tmp[64];
		diag_error(cx->path, v->line, v->col, "cms.%s must be %s, not %s", key, want,
		           s ? s : value_describe(v, tmp, sizeof tmp));
		cx->errors++;
		return NULL;
	}
	return xstrdup(s);
}

#define CMS_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

/* cms: {backend, repo, branch, base_url, api_root, app_id, auth_type, workflow} (cms.h). */
static void
load_cms(struct ctx *cx, struct config *c, const struct value *root)
{
	static const char *const keys[] = {"backend", "repo",   "branch",    "base_url",
	                                   "api_root", "app_id", "auth_type", "workflow", NULL};
	static const char *const backends[] = {"local", "github", "gitlab", "gitea", "git-gateway",
	                                       NULL};
	const struct value *v = value_map_get(root, "cms");
	if (v == NULL)
		return;
	if (v->type != VALUE_MAP && v->type != VALUE_NULL) {
		type_error(cx, v, "cms", "a mapping such as {backend: local}");
		return;
	}
	struct config_cms *m = xcalloc(1, sizeof *m);
	c->cms = m;
	m->line = v->line ? v->line : value_map_key_line(root, "cms");
	m->col = v->col;
	check_keys(cx, v, keys, "cms", 1);
	const struct value *bv = value_map_get(v, "backend");
	const char *b = bv && bv->type != VALUE_NULL ? value_str(bv) : "local";
	size_t i = 0;
	while (b != NULL && backends[i] != NULL && strcmp(b, backends[i]) != 0)
		i++;
	if (b == NULL || backends[i] == NULL) {
		char tmp[64];
		diag_error(cx->path, bv->line, bv->col,
		           "cms.backend must be local, github, gitlab, gitea or git-gateway, not %s",
		           b ? b : value_describe(bv, tmp, sizeof tmp));
		cx->errors++;
		b = "local";
	}
	m->backend = xstrdup(b);
	m->repo = cms_string(cx, v, "repo", CMS_NAME_CHARS "/", "owner/name");
	if (m->repo != NULL && (strchr(m->repo, '/') == NULL || m->repo[0] == '/' ||
	                        m->repo[strlen(m->repo) - 1] == '/' || strstr(m->repo, "//") ||
	                        strstr(m->repo, "..") || m->repo[0] == '.')) {
		const struct value *rv = value_map_get(v, "repo");
		diag_error(cx->path, rv->line, rv->col, "cms.repo must be owner/name, not %s", m->repo);
		cx->errors++;
	}
	int hosted = strcmp(m->backend, "local") != 0 && strcmp(m->backend, "git-gateway") != 0;
	if (hosted && m->repo == NULL && value_map_get(v, "repo") == NULL) {
		diag_error(cx->path, bv->line, bv->col,
		           "cms.backend %s needs cms.repo: the repository's owner/name", m->backend);
		cx->errors++;
	}
	m->branch = cms_string(cx, v, "branch", CMS_NAME_CHARS "/", "a branch name such as main");
	if (m->branch != NULL && (m->branch[0] == '-' || m->branch[0] == '/' ||
	                          strstr(m->branch, "..") != NULL)) {
		const struct value *rv = value_map_get(v, "branch");
		diag_error(cx->path, rv->line, rv->col, "cms.branch must be a branch name, not %s",
		           m->branch);
		cx->errors++;
	}
	if (m->branch == NULL)
		m->branch = xstrdup("main");
	static const char *const urls[] = {"base_url", "api_root"};
	for (size_t k = 0; k < 2; k++) {
		char *u = cms_string(cx, v, urls[k], NULL, "a web address (https://…)");
		if (u != NULL && strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0) {
			const struct value *uv = value_map_get(v, urls[k]);
			diag_error(cx->path, uv->line, uv->col,
			           "cms.%s must be a web address that starts with https://, not %s",
			           urls[k], u);
			cx->errors++;
		}
		*(k ? &m->api_root : &m->base_url) = u;
	}
	m->app_id = cms_string(cx, v, "app_id", CMS_NAME_CHARS, "an OAuth application id");
	m->auth_type = cms_string(cx, v, "auth_type", "abcdefghijklmnopqrstuvwxyz", "pkce or implicit");
	if (m->auth_type != NULL && strcmp(m->auth_type, "pkce") != 0 &&
	    strcmp(m->auth_type, "implicit") != 0) {
		const struct value *av = value_map_get(v, "auth_type");
		diag_error(cx->path, av->line, av->col, "cms.auth_type must be pkce or implicit, not %s",
		           m->auth_type);
		cx->errors++;
	}
	const struct value *wv = value_map_get(v, "workflow");
	const char *w = wv && wv->type != VALUE_NULL ? value_str(wv) : "simple";
	if (w == NULL || (strcmp(w, "simple") != 0 && strcmp(w, "editorial") != 0)) {
		char tmp[64];
		diag_error(cx->path, wv->line, wv->col, "cms.workflow must be simple or editorial, not %s",
		           w ? w : value_describe(wv, tmp, sizeof tmp));
		cx->errors++;
	} else if ((m->editorial = strcmp(w, "editorial") == 0) && !hosted) {
		diag_error(cx->path, wv->line, wv->col,
		           "cms.workflow: editorial (drafts as pull requests) needs a hosted backend "
		           "(github, gitlab or gitea), not %s", m->backend);
		cx->errors++;
	}
}

static void
cms_free(struct config_cms *m)
{
	if (m == NULL)
		return;
	free(m->backend);
	free(m->repo);
	free(m->branch);
	free(m->base_url);
	free(m->api_root);
	free(m->app_id);
	free(m->auth_type);
	free(m);
}

int
config_load(const char *path, const char *text, size_t len, struct config **out)
{
	struct ctx cx = {.path = path};
	struct value *root = NULL;
	struct config *c = xcalloc(1, sizeof *c);
	c->path = xstrdup(path);
	*out = NULL;

	if (yml_parse(path, text, len, 0, &root) < 0)
		goto fail;
	if (root->type != VALUE_MAP) {
		diag_error(path, root->line ? root->line : 1, root->col, "site.yaml must be a mapping");
		goto fail;
	}
	check_keys(&cx, root, known_keys, "setting", 0);

	c->title = get_string(&cx, root, "title", "Untitled site");
	char *base = get_string(&cx, root, "base_url", NULL);
	if (base == NULL)
		base = get_string(&cx, root, "baseURL", "/");
	size_t bl = strlen(base);
	if (!base_url_ok(base)) {
		const struct value *bv = value_map_get(root, "base_url");
		if (bv == NULL || bv->type == VALUE_NULL)
			bv = value_map_get(root, "baseURL");
		diag_error(path, bv->line, bv->col,
		           "'base_url' must be a web address that starts with https:// or http://, "
		           "such as https://hub.example.org/");
		cx.errors++;
	} else if (base_path_problem(base) != NULL) {
		const struct value *bv = value_map_get(root, "base_url");
		if (bv == NULL || bv->type == VALUE_NULL)
			bv = value_map_get(root, "baseURL");
		diag_error(path, bv->line, bv->col, "'base_url' must have %s, such as https://org.example.io/hub/",
		           base_path_problem(base));
		cx.errors++;
	}
	c->base_url = bl && base[bl - 1] == '/' ? xstrdup(base) : xasprintf("%s/", base);
	c->base_path = urlbase_path(c->base_url); /* subpath: what every URL of the output starts with */
	free(base);
	c->theme = get_string(&cx, root, "theme", "default");
	if (strchr(c->theme, '/') != NULL || strcmp(c->theme, "..") == 0 || c->theme[0] == '.') {
		const struct value *tv = value_map_get(root, "theme");
		diag_error(path, tv->line, tv->col, "'theme' must be a theme name, not a path");
		cx.errors++;
	}

	load_languages(&cx, c, root);
	c->default_lang = get_string(&cx, root, "default_language", NULL);
	if (c->default_lang == NULL && c->nlangs > 0)
		c->default_lang = xstrdup(c->langs[0].code);
	if (c->default_lang != NULL && c->nlangs > 0 && config_lang(c, c->default_lang) == NULL) {
		const struct value *dv = value_map_get(root, "default_language");
		diag_error(path, dv ? dv->line : 0, dv ? dv->col : 0,
		           "default_language '%s' is not one of the languages", c->default_lang);
		cx.errors++;
	}

	if (value_map_get(root, "taxonomies") == NULL) {
		/* What a resource hub is browsed by, unless site.yaml says otherwise; and tags and
		 * categories, which sites written for Hugo, Jekyll and most blogs use. */
		static const char *const defaults[] = {"topics", "types",     "countries", "audiences", "ages",
		                                       "languages", "years", "tags",      "categories"};
		c->ntaxonomies = sizeof defaults / sizeof defaults[0];
		c->taxonomies = xcalloc(c->ntaxonomies + 1, sizeof *c->taxonomies);
		for (size_t i = 0; i < c->ntaxonomies; i++)
			c->taxonomies[i] = xstrdup(defaults[i]);
	} else {
		c->taxonomies = get_string_list(&cx, root, "taxonomies", &c->ntaxonomies);
	}
	load_sections(&cx, c, root);
	load_history(&cx, c, root);
	/* required_languages: [en, bg] — every page should have a version in each. */
	const struct value *rv = value_map_get(root, "required_languages");
	size_t nreq = rv && rv->type == VALUE_LIST ? rv->u.list.len : 0;
	c->required_langs = xcalloc(nreq + 1, sizeof *c->required_langs);
	if (rv != NULL && rv->type != VALUE_NULL && rv->type != VALUE_LIST)
		type_error(&cx, rv, "required_languages", "a list of language codes");
	for (size_t i = 0; i < nreq; i++) {
		const struct value *it = rv->u.list.items[i];
		const struct config_lang *rl = value_str(it) ? config_lang(c, value_str(it)) : NULL;
		if (rl == NULL) {
			diag_error(path, it->line, it->col,
			           "required_languages: each entry must be one of the languages' codes");
			cx.errors++;
		} else {
			c->required_langs[c->nrequired_langs++] = rl->index;
		}
	}
	/* edit_url: https://forge.example.org/hub/edit/{branch}/{path} */
	c->edit_url = get_string(&cx, root, "edit_url", NULL);
	if (c->edit_url != NULL && strncmp(c->edit_url, "https://", 8) != 0 &&
	    strncmp(c->edit_url, "http://", 7) != 0) {
		const struct value *ev = value_map_get(root, "edit_url");
		diag_error(path, ev->line, ev->col,
		           "'edit_url' must be a web address with {path} (and {branch}), such as "
		           "https://forge.example.org/hub/edit/{branch}/{path}");
		cx.errors++;
	}
	const struct value *tv = value_map_get(root, "types");
	if (tv != NULL && tv->type != VALUE_NULL) {
		if (tv->type != VALUE_MAP)
			type_error(&cx, tv, "types", "a mapping of type names to their fields");
		else
			c->types = value_copy(tv);
	}

	c->list_untranslated = 1;
	c->page_size = 20;
	const struct value *opts = value_map_get(root, "options");
	if (opts != NULL && opts->type != VALUE_NULL) {
		if (opts->type != VALUE_MAP) {
			type_error(&cx, opts, "options", "a mapping");
		} else {
			static const char *const keys[] = {"unsafe_html", "list_untranslated", "page_size", NULL};
			check_keys(&cx, opts, keys, "option", 0);
			c->unsafe_html = get_bool(&cx, opts, "unsafe_html", 0);
			c->list_untranslated = get_bool(&cx, opts, "list_untranslated", 1);
			const struct value *ps = value_map_get(opts, "page_size");
			if (ps != NULL) {
				if (ps->type != VALUE_INT || ps->u.i < 1 || ps->u.i > 10000)
					type_error(&cx, ps, "page_size", "a number from 1 to 10000");
				else
					c->page_size = (int)ps->u.i;
			}
		}
	}
	load_limits(&cx, c, root);
	/* ---- pack: offline packs written by the build ---- */
	c->offline = get_bool(&cx, root, "offline", 0);
	load_cms(&cx, c, root);
	load_static_image(&cx, root, "logo", &c->logo, &c->logo_line, &c->logo_col);
	load_static_image(&cx, root, "image", &c->image, &c->image_line, &c->image_col);
	c->image_alt = get_string(&cx, root, "image_alt", NULL);
	load_brand_color(&cx, c, root);
	struct value *params = value_map_take(root, "params");
	if (params != NULL && params->type != VALUE_MAP && params->type != VALUE_NULL) {
		type_error(&cx, params, "params", "a mapping");
		value_free(params);
		params = NULL;
	}
	if (params == NULL || params->type == VALUE_NULL) {
		value_free(params);
		params = value_new_map();
	}
	c->params = params;

	if (cx.errors > 0 || c->nlangs == 0)
		goto fail;
	value_free(root);
	*out = c;
	return 0;
fail:
	value_free(root);
	config_free(c);
	return -1;
}

const struct config_lang *
config_lang(const struct config *c, const char *code)
{
	for (size_t i = 0; i < c->nlangs; i++)
		if (c->langs[i].code != NULL && strcmp(c->langs[i].code, code) == 0)
			return &c->langs[i];
	return NULL;
}

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
config_free(struct config *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nlangs; i++) {
		free(c->langs[i].code);
		free(c->langs[i].name);
		free(c->langs[i].dir);
		free(c->langs[i].locale);
		free(c->langs[i].tag);
		free(c->langs[i].title);
		free(c->langs[i].transliterate);
	}
	free(c->langs);
	free_list(c->taxonomies, c->ntaxonomies);
	if (c->section_types != NULL)
		for (size_t i = 0; i < c->nsections; i++)
			free(c->section_types[i]);
	free(c->section_types);
	free_list(c->sections, c->nsections);
	value_free(c->types);
	free(c->edit_url);
	free(c->logo);
	free(c->image);
	free(c->image_alt);
	free(c->brand_color);
	free(c->required_langs);
	free(c->path);
	free(c->title);
	free(c->base_url);
	free(c->base_path);
	free(c->default_lang);
	free(c->theme);
	value_free(c->params);
	cms_free(c->cms);
	free(c);
}
