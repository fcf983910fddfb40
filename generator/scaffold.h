/* scaffold: `satchel new` — a new site (a working hub with its first commit) and a new page of a
 * content type, or its translation. It writes files only where nothing is: an existing file or
 * a non-empty folder is refused, never written over. */
#ifndef SATCHEL_SCAFFOLD_H
#define SATCHEL_SCAFFOLD_H

#include "util/buf.h"

struct scaffold_opts {
	const char *lang;     /* site: "en,bg,ar" (the first is the default); page: a translation's */
	const char *title;    /* the site's or the page's title, or NULL for a default */
	const char *site_dir; /* page: the folder holding site.yaml; "." when NULL */
};
#define SCAFFOLD_OPTS_INIT {NULL, NULL, NULL}

/* Writes a hub into dir (made when missing; refused when not empty): site.yaml with the
 * languages (names and directions from ICU), .gitignore for what builds write, a home page,
 * one page per section of the default theme, then git init and a first commit. Exit status:
 * 0, 1 after reporting a failure, 2 for a usage error (a language ICU does not know). */
int scaffold_site(const char *dir, const struct scaffold_opts *o);

/* Writes content/PATH (PATH/index.md, or PATH itself when it ends in .md) as a page of type:
 * a title, `draft: true`, each required field with a placeholder its kind accepts, the other
 * fields as comments. A PATH with no folder goes into the section whose pages are of type.
 * With o->lang, writes the translation beside the existing page instead (index.LANG.md or
 * NAME.LANG.md): the source's shared fields copied, its title and body to translate, and
 * translated_from: the commit HEAD names. Exit status as scaffold_site's; an unknown type and a
 * path that leaves content/ are usage errors. */
int scaffold_page(const char *type, const char *path, const struct scaffold_opts *o);

/* The commit a translation of the site-relative page src_rel (whose bytes on disk are text)
 * follows, for its translated_from: HEAD, into out. 0 when HEAD holds text as it is, 1 when the
 * source has changes HEAD does not hold (out is HEAD all the same), -1 when the site is not in
 * git or has no commit yet (out is ""). */
int scaffold_translated_from(const char *site_dir, const char *src_rel, const struct buf *text,
                             char out[41]);

#endif
