/* pack: an offline copy of a built site, as a zip that works opened from disk (file://), with
 * no server and no network. It reads a finished output folder (never the site's sources) and
 * rewrites, on the way into the zip, every URL that leads to a file of the pack — in HTML
 * attributes (href, src, srcset, poster, action, data-facets, data-search, a meta refresh), in
 * CSS url() and in the library's data (facets.json, search/) — into a relative URL that names
 * the file (…/index.html, never a folder). Links to the site's files left out of the pack (other
 * languages, feeds) go to the site online when base_url has a host. The library's data files
 * become small scripts (.js) that give their data to the page, since a page opened from disk
 * may not fetch(); search.js and library.js load them so when location.protocol is file:. A
 * video's captions are written into its <track> as data: URLs (Chromium loads no track from
 * another file://). The zip is deterministic: entries in byte order, one fixed date
 * (1980-01-01), mode 0644; the same output gives the same bytes. It holds only regular files
 * of the output (fs_walk follows no link), under their own relative paths. */
#ifndef SATCHEL_PACK_H
#define SATCHEL_PACK_H

#include <stddef.h>
#include <stdint.h>

struct pack_opts {
	const char *dir;      /* the built output folder */
	const char *base_url; /* config's base_url (ends in '/'; "/" for none) */
	const char *const *site_langs; /* every language code of the site */
	size_t nsite_langs;
	const char *const *langs; /* the languages the pack holds */
	size_t nlangs;
	const char *zip_path; /* written whole (a temporary file renamed) */
};

/* Writes the pack. Returns 0 and its size in bytes in *size (may be NULL), or -1 after
 * reporting the problem (the zip is then not there). */
int pack_write(const struct pack_opts *o, uint64_t *size);

/* The file name a pack of these languages gets: "offline-en.zip", "offline-all.zip" when lang
 * is NULL. The caller frees. */
char *pack_file_name(const char *lang);

/* A size as a reader reads it: "840 KB", "12.4 MB" (1000-based, one decimal below 100). The
 * caller frees. */
char *pack_size_text(uint64_t size);

struct config;
/* For a build with offline: true: writes dir/offline/offline-LANG.zip for every language and
 * offline-all.zip (more than one language) from the finished output dir, then fills each
 * "Use offline" page's <span data-pack-size="LANG"> with that pack's size. The packs hold the
 * page before the sizes are known; in a pack, elements marked data-pack="online" are hidden and
 * those marked data-pack="offline" shown (the page says it is the offline copy). Returns 0, or
 * -1 after reporting an error. check (satchel check, which publishes nothing): empty files
 * in the packs' place, for the link check, and no zip made. */
int pack_build(const char *dir, const struct config *cfg, int check);

/* satchel pack: the site at site_dir ("." when NULL), built in from (SITE/public when NULL).
 * out ending in ".zip": one pack of langs (every language when nlangs is 0). Otherwise out is a
 * folder ("." when NULL) that gets offline-LANG.zip for each language asked for, and, when none
 * was named, offline-all.zip too. Returns the exit status: 0, 1 after an error, 2 for a
 * language the site does not have. */
struct pack_run_opts {
	const char *site_dir, *from, *out;
	const char **langs;
	size_t nlangs;
	int quiet;
};
int pack_run(const struct pack_run_opts *o);

#endif
