/* site: the model of a site — its pages in every language, translation groups, sections,
 * taxonomies and URLs — built from the files a source gives. It checks front matter, resolves
 * links between content files, and orders listings. It renders nothing (render does), and
 * nothing changes it once loaded: what is made from it lives beside it (plan, view, render). */
#ifndef SATCHEL_SITE_H
#define SATCHEL_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "source.h"
#include "types.h"
#include "history.h"
#include "util/map.h"
#include "value.h"

enum page_kind { PAGE_REGULAR, PAGE_SECTION, PAGE_HOME };

struct group;

/* A page-link field of one resource naming another: `publisher: partners/x`. */
struct relation {
	const char *field; /* the field's name, borrowed from its type */
	struct group *group;
};

struct page {
	enum page_kind kind;
	char *src;     /* site-relative source path: "content/guidance/x/index.bg.md" */
	char *key;     /* translation key: "guidance/x"; a section's is its folder; the home's is "" */
	size_t lang;   /* index into cfg->langs */
	char *section; /* first folder of a page inside a section, else NULL */
	char *path;    /* where the file says the page lives: "guidance/x" (its URL before `slug`) */
	char *url;     /* "/bg/guidance/x/" */
	char *bundle;  /* "content/guidance/x" when the page is a bundle's index.md, else NULL */
	struct value *meta; /* front matter (a map) */
	const char *title;  /* from meta; borrowed */
	char *date;         /* "YYYY-MM-DD" or NULL */
	int64_t ts;         /* date as Unix seconds (0 when none) */
	/* The date is one written in front matter (`date:`, or its source's for a translation), not
	 * its file's first commit's: the page is news-like, and the feeds carry it. */
	int dated;
	int64_t weight;
	char *summary; /* front matter summary, or NULL (view_summary falls back to the text's) */
	char *text;    /* the whole file */
	size_t text_len, body_off;
	int body_line;
	int draft;
	int derived; /* transliterated from another language's file, not written by hand */
	int text_checked; /* text is one an earlier load took (valid UTF-8): not checked again */
	const struct history_file *hist; /* what git knows of its file (a derived page: of its
	                                  * source's), or NULL */
	struct group *group;
	struct term ***terms; /* per taxonomy: this version's NULL-terminated terms */
	size_t idx; /* position in site->pages: what results beside the model are keyed by */
};

struct site_file {
	char *path;          /* site-relative: "content/tools/x/checklist.bg.pdf" */
	char *url;           /* where it is published */
	struct group *group; /* the page bundle it belongs to, or NULL */
	size_t lang;         /* the language its name carries (checklist.bg.pdf), or SIZE_MAX */
	size_t size;         /* bytes; set by build when it copies the file, before rendering */
	int width, height;   /* an image's pixels, set with size; 0 when not an image or unreadable */
	/* The media type of what is published (filetype_published_type of its URL and bytes), set
	 * with size; NULL before: read it with site_file_type. Static. */
	const char *type;
	/* An image's published widths for srcset, in its own format and in WebP (URLs, "480w"
	 * descriptors); set by build with size, NULL when none. */
	char *srcset, *webp_srcset;
};

struct group {
	char *key;
	enum page_kind kind;
	struct page **pages; /* by language index; NULL where there is no version */
	struct page *primary; /* the default language's version, else the first that exists */
	struct site_file **files; /* the bundle's files, in path order */
	size_t nfiles;
	/* Versions of the same resource for other readers, named in front matter (`easy_read:`,
	 * `child_friendly:`) by a path like a Markdown link, and the reverse. NULL when none. */
	struct group *easy_read, *child_friendly, *full_version;
	size_t idx;           /* position in site->groups */
	const struct ctype *type; /* its content type, or NULL */
	/* A page in the folder of another page is one of its parts (a course's modules): parts are
	 * in weight, then key, order and are listed by their parent, not by the section. */
	struct group *parent;
	struct group **parts;
	size_t nparts;
	struct relation *links;    /* its page-link fields, in field then value order */
	size_t nlinks;
	struct relation *linked_by; /* the other way: who names this group, and in which field */
	size_t nlinked_by;
	int left_out; /* without valid consent: dropped from the site before anything is derived */
};

struct term {
	char *name;  /* as first written in front matter (in group order) */
	char *slug;  /* its URL part; names with the same slug are one term */
	struct group **groups; /* every group with a version that names the term */
	size_t ngroups;
};

struct taxonomy {
	char *name;
	struct term **terms; /* sorted by name */
	size_t nterms;
	struct map by_slug;
};

struct section {
	char *name;
	const struct ctype *type; /* the content type of its pages, or NULL */
	struct group *index; /* the _index.md group, or NULL */
	struct group **groups; /* regular pages, in listing order */
	size_t ngroups;
};

struct site {
	struct config *cfg;
	const struct types *types; /* borrowed; may be NULL (no content types) */
	const struct history *history; /* borrowed; may be NULL (no git) */
	struct source *src;
	struct page **pages; /* every page of every language, in source path order */
	size_t npages;
	struct group **groups; /* in key order */
	size_t ngroups;
	struct map groups_by_key;
	struct map pages_by_src;
	struct map *pages_by_url; /* per language: url -> page */
	struct section **sections; /* in navigation order */
	size_t nsections;
	struct taxonomy *taxonomies; /* cfg->ntaxonomies of them */
	struct site_file *files; /* content files that are not Markdown, in path order */
	size_t nfiles;
	struct map file_urls; /* content file path -> its struct site_file */
	struct map bundles;   /* bundle folder ("content/tools/x") -> the page whose URL holds its files */
	struct group **regular; /* every regular group, newest first */
	size_t nregular;
	struct safeguard *safeguard; /* the withdrawal list */
	struct map left_out; /* materials left out for safeguarding, by file path, "\x02" key and
	                      * "\x03" folder name: links to them are dropped, not errors */
	char **listing; /* every file source_list gave under content/, as it gave them */
	size_t nlisting;
	int listing_quiet; /* listing it reported nothing (so a later load may take it as it is) */
};

/* What a site loaded earlier from the same folder lends the next load (an engine's next run):
 * the text of every file not named in changed, and its listing of content/ when every file
 * changed under content/ was listed then and is still there (none came or went). changed: the
 * site-relative paths changed, created or deleted since that load; all of them, or the load
 * reads wrong texts. */
struct site_prev {
	const struct site *site;
	const char *const *changed;
	size_t nchanged;
	/* The repository as it was then (HEAD, the index): what git ignores is what it ignored,
	 * so the listing may be taken. */
	int same_git;
};

/* Reads and checks site.yaml from src. Returns 0, or -1 after reporting (and *out NULL). */
int site_config(struct source *src, struct config **out);
/* Reads content/ from src (borrowed; must outlive the site) and builds the model, checking every
 * page against its content type in types (borrowed; NULL for none). A page without a front
 * matter date takes its file's first commit's from history (borrowed; NULL without git). Takes
 * cfg. Reports every
 * problem through diag; returns -1 when any was an error. */
int site_load_config(struct source *src, struct config *cfg, const struct types *types,
                     const struct history *history, int nthreads, struct site **out);
/* site_load_config, taking what prev (NULL: nothing) lends. */
int site_load_prev(struct source *src, struct config *cfg, const struct types *types,
                   const struct history *history, const struct site_prev *prev, int nthreads,
                   struct site **out);
/* site_config, then site_load_config. */
int site_load(struct source *src, const struct types *types, int nthreads, struct site **out);
void site_free(struct site *s);
/* Frees every page's text (p->text NULL; text_len, body_off and body_line stay), for a build
 * that has made its Markdown and keeps neither a record nor the model for a next run: on the
 * bench corpus the texts are 140 MB that nothing reads after the Markdown pass. */
void site_drop_texts(struct site *s);

/* A change to page p's file that leaves its front matter byte for byte as it was: the model is
 * the same but for p's text and its transliterated twins'. Takes text (the whole new file,
 * malloc'd, NUL-terminated at len) and puts p and its twins in out (room for cfg->nlangs);
 * returns how many. 0 when it is no such change (text is then the caller's still): the caller
 * loads the site again. The one change made to a loaded model, for an engine's quick path. */
size_t site_replace_body(struct site *s, struct page *p, char *text, size_t len, struct page **out);
/* Whether site_replace_body would take text for p: 1, changing nothing. A caller replacing
 * several bodies asks first for all of them, so that it changes the model for all or none. */
int site_body_only(struct site *s, struct page *p, const char *text, size_t len);
/* The version of g in language lang, or NULL. */
struct page *site_page_in(const struct group *g, size_t lang);
/* Resolves a link written in page p's Markdown to the URL it should have in p's language:
 * a relative link to another content file (`../tools/x/index.md`, `index.bg.md#part`) becomes
 * that page's URL — in p's language when the target has such a version, unless the link names a
 * language file itself; a link to a file of a page bundle becomes its published URL. Returns a
 * malloc'd URL, or NULL to leave the link as written, or "" when it leads to a material left out
 * for safeguarding — a content file, a folder or a site URL of it or of one of its files — which
 * is then reported at p's line (the link is to be taken out, its text kept). A link to a missing
 * content file is reported as a warning at p's line. */
char *site_resolve_link(const struct site *s, const struct page *p, const char *url, int line);
/* Whether site_resolve_link judges url (a relative link, not a fragment, a query, a path from
 * the root or one with a scheme): one it keeps as written was reported if it leads nowhere. */
int site_link_judged(const char *url);
/* The file of g's bundle named `name` (as front matter names it: "film.mp4"), or NULL. */
const struct site_file *site_group_file(const struct group *g, const char *name);
/* The media type of f as published: the one its bytes gave when it was published, else its
 * URL's extension's (filetype.h). The one answer every page, feed and JSON-LD gives. Static. */
const char *site_file_type(const struct site_file *f);
/* How many changes of its source a translation is behind (0 for a source, an up-to-date or an
 * uncommitted one): the source's commits after the translation's last change, or after the
 * commit its `translated_from:` names, but those marked `Translations: unaffected`; the first's
 * time in *since. */
size_t site_behind(const struct site *s, const struct page *p, int64_t *since);
/* Does page p (one version) name term t of taxonomy tax? */
int site_page_has_term(const struct page *p, size_t tax, const struct term *t);
/* The URL a Markdown file at path (site-relative: "content/x/index.bg.md") whose front matter
 * has slug (NULL: none) has in this site, as the site's pages get theirs, and its language in
 * *lang; NULL when path names no page here (not content Markdown, a language the site does not
 * have). For the old names of a page (redirects). No diagnostics. The caller frees. */
char *site_url_of(const struct config *cfg, const char *path, const char *slug, size_t *lang);
/* The content type of section name's pages (site.yaml's, its name's or its singular's), whether
 * or not it has pages yet; NULL for none. Borrowed from the site's types. */
const struct ctype *site_section_type(const struct site *s, const char *name);
/* Slug for a taxonomy term. The caller frees. */
char *site_term_slug(const char *name);

#endif
