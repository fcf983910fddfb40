/* config: site.yaml — title, base URL, languages, taxonomies, sections, theme and options —
 * read into a checked struct. Every problem is reported as `site.yaml:line:column: message`. */
#ifndef SATCHEL_CONFIG_H
#define SATCHEL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "value.h"

struct config_lang {
	char *code;   /* the key in URLs, as written: a BCP 47 tag ("en", "sr-Latn"), or any other
	               * short name when locale says the language (a Hugo site's "gr" with locale el) */
	char *tag;    /* the BCP 47 tag pages declare (lang, hreflang, feeds): i18n_document_tag */
	char *name;   /* its name in itself: "Български" */
	char *dir;    /* "ltr" or "rtl" */
	char *locale; /* ICU locale id; the code when not given */
	char *title;  /* the site title in this language */
	size_t index; /* position in site.yaml */
	/* A language derived from another by ICU transliteration (sr-Latn from sr): the source's
	 * index and the transform id; from is SIZE_MAX for a language of its own. */
	size_t from;
	char *transliterate;
};

/* site.yaml `cms:` — which of Decap CMS's backends the editor at /admin/ saves through. */
struct config_cms {
	char *backend;   /* "local" (satchel serve), "github", "gitlab", "gitea", "git-gateway" */
	char *repo;      /* owner/name, or NULL (required by github, gitlab and gitea) */
	char *branch;    /* "main" when not given */
	char *base_url;  /* OAuth / forge address, or NULL */
	char *api_root;  /* the forge's API address, or NULL */
	char *app_id;    /* OAuth application id, or NULL */
	char *auth_type; /* "pkce" or "implicit", or NULL */
	int editorial;   /* workflow: editorial (drafts as pull requests) */
	int line, col;   /* where cms: is, for messages about the editor */
};

struct config {
	char *path; /* as given to config_load, for messages */
	char *title;
	char *base_url; /* always ends in '/' */
	/* base_url's path without its trailing '/': "/hub" for https://org.example.io/hub/, "" for a
	 * site at a host's root (or "/"). Every URL the output carries starts with it: give a path of
	 * the site to urlbase_add(cfg->base_path, "/en/x/") (urlbase.h). */
	char *base_path;
	char *default_lang;
	struct config_lang *langs;
	size_t nlangs;
	char **taxonomies; /* as written; when site.yaml names none: topics, types, countries,
	                    * audiences, ages, languages, years, tags, categories */
	size_t ntaxonomies;
	char **sections; /* navigation order; may be empty */
	char **section_types; /* per section: its content type as written, or NULL (the type with the
	                       * section's name, if there is one) */
	size_t nsections;
	char *theme;           /* theme name, "default" when not given */
	int unsafe_html;       /* options.unsafe_html */
	int list_untranslated; /* options.list_untranslated (default on) */
	int page_size;         /* options.page_size (default 20) */
	struct value *params;  /* params: as written (a map, possibly empty); owned */
	struct value *types;   /* types: as written (a map) or NULL; content types add to the theme's */
	char *edit_url;        /* a pattern with {path} and {branch} for "edit this page", or NULL */
	/* The brand the header shows. logo: a file under static/ as written ("images/logo.svg"),
	 * or NULL, with where it was written (site_config checks the file is there); brand_color:
	 * "#rrggbb" (lower case) or NULL, and brand_fg, the text colour on it, black or white,
	 * whichever has more contrast (at least 4.58:1, WCAG AA for any size). */
	char *logo;
	int logo_line, logo_col;
	/* image: the picture a shared link shows (og:image) for a page without its own, a file
	 * under static/ as logo is, or NULL; checked the same way. */
	char *image;
	int image_line, image_col;
	char *image_alt; /* image_alt: what the picture shows, or NULL */
	char *brand_color;
	const char *brand_fg;
	size_t *required_langs; /* required_languages: indexes into langs of the languages every
	                         * page must be in (check reports a page without one) */
	size_t nrequired_langs;
	/* history: what git's record may publish. Names: none (the default), only those .mailmap
	 * gives (people who chose how to be named), or all; never an address. */
	enum { CONFIG_NAMES_OFF, CONFIG_NAMES_MAILMAP, CONFIG_NAMES_ALL } contributors;
	/* The recent changes: dates and page titles on /LANG/changes/ (the default), the commits'
	 * subjects too on one unlisted, unindexed editors' page, nothing, or subjects on the public
	 * page and feed. Authors, where shown, as contributors allows. */
	enum { CONFIG_CHANGES_TITLES, CONFIG_CHANGES_EDITORS, CONFIG_CHANGES_OFF,
	       CONFIG_CHANGES_PUBLIC } changes;
	/* limits: what one file may weigh, in bytes; 0 when site.yaml does not say (the source's
	 * defaults hold). file_size for any file, text_size for Markdown and YAML. */
	uint64_t file_size_limit;
	uint64_t text_size_limit;
	/* offline: true — a build also writes offline packs (pack.h) into offline/ of the output
	 * and a "Use offline" page per language that offers them. */
	int offline;
	/* cms: the browser editor (cms.h), or NULL when site.yaml has no cms: (no /admin/). */
	struct config_cms *cms;
	/* Not from site.yaml: set by the caller. Pages marked `draft: true` are published (the
	 * preview shows them with a banner); a build leaves them out. */
	int drafts;
};

/* Parses and checks site.yaml text. Returns 0, or -1 after reporting every problem. */
int config_load(const char *path, const char *text, size_t len, struct config **out);
void config_free(struct config *c);
/* The language with this code, or NULL. Borrowed. */
const struct config_lang *config_lang(const struct config *c, const char *code);

#endif
