/* hugo: what a site written for Hugo brings that satchel reads its own way. Front-matter keys in
 * Hugo's spelling become satchel's (translationKey, description, lastmod); shortcodes
 * (`{{< name >}}`, `{{% name %}}`), which only Hugo runs, are reported at their line and shown
 * as the text they are. Languages keyed by a name that is not BCP 47 are config's (locale:),
 * TOML and JSON front matter frontmatter's. */
#ifndef SATCHEL_HUGO_H
#define SATCHEL_HUGO_H

#include <stddef.h>

#include "util/buf.h"
#include "value.h"

/* Renames in meta (a page's front matter, a map) Hugo's keys to satchel's when satchel's own is
 * absent: translationKey -> translation_key, description -> summary, lastmod -> updated. Both
 * spellings at once is a warning at path (the satchel one wins). */
void hugo_meta(const char *path, struct value *meta);

/* Warns at path:line for each line of a Markdown body (its first line is first_line) holding a
 * shortcode outside code, naming it and what to write instead. Returns how many lines. */
size_t hugo_shortcodes_warn(const char *path, const char *text, size_t len, int first_line);

/* When text holds a shortcode outside code whose `{{<` cmark would read as the start of an HTML
 * tag (`{{<figure src=x>}}`), appends text to out with that `<` escaped, so the shortcode shows
 * as text rather than vanishing as dropped HTML, and returns 1; else 0, out untouched. */
int hugo_shortcodes_escape(const char *text, size_t len, struct buf *out);

#endif
