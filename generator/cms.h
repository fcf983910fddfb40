/* cms: the browser editor at /admin/ — Decap CMS, shipped with the site and configured from
 * what satchel knows: site.yaml's cms: (its backend), its languages and sections, the content
 * types' fields and the taxonomies' terms. It owns /admin/index.html, /admin/admin.js (the
 * theme's script), /admin/config.yml and /admin/config.LANG.yml and the copy of Decap's files;
 * it leaves the local backend's protocol to serve and the hosting to the deployer (docs/cms.md). */
#ifndef SATCHEL_CMS_H
#define SATCHEL_CMS_H

#include <stddef.h>

#include "catalog.h"
#include "site.h"
#include "util/buf.h"

/* Where the theme keeps Decap CMS once scripts/install-deps.sh has installed it. */
#define CMS_DECAP_DIST "admin/node_modules/decap-cms/dist"

/* Decap's name for the UI language of a site language's BCP 47 tag ("el" -> "gr", "sr" ->
 * "sr_Cyrl", "nb" -> "nb_no"); "en" when Decap has no locale for it. Static. */
const char *cms_decap_locale(const char *tag);

/* Appends Decap's config.yml for site language lang (its labels, hints and messages in that
 * language, from cat) to out. s and cat are borrowed. */
void cms_config(const struct site *s, const struct catalog *cat, size_t lang, struct buf *out);

/* Writes /admin/ into outdir when site.yaml has cms:, from theme_dir's admin/ folder: index.html,
 * admin.js, config.yml (the default language), config.LANG.yml (every language of its own) and
 * Decap's files, from theme_dir's npm install or else the one in other_theme (the default theme,
 * for a site's copy of it that npm never ran in; NULL for none). Without Decap installed: a
 * warning at site.yaml's cms: line saying what to run, and no /admin/ at all. Returns how many
 * files it wrote; -1 after reporting an error. */
int cms_build(const struct site *s, const struct catalog *cat, const char *theme_dir,
              const char *other_theme, const char *outdir, size_t *files);

#endif
