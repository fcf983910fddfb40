/* safeguard: what keeps the children whose work a hub publishes safe. A child-made material is
 * published only with a valid consent record; a withdrawal list in the site takes materials out of
 * every build; a child-made material's front matter names no child, school or birth date. This
 * module reads the list and judges one record or one front matter; site applies it to the pages
 * (leaving materials out of everything derived from them), and check reports it. */
#ifndef SATCHEL_SAFEGUARD_H
#define SATCHEL_SAFEGUARD_H

#include <stdint.h>

#include "source.h"
#include "value.h"

/* The site's list of withdrawn materials. */
#define SAFEGUARD_WITHDRAWN "safeguarding/withdrawn.yaml"

struct safeguard;

/* Reads SAFEGUARD_WITHDRAWN from src when it is there. 0 (with an empty list when it is not), or
 * -1 after reporting `path:line:col: error:` for every entry that is not understood. */
int safeguard_load(struct source *src, struct safeguard **out);
/* The line of the withdrawal entry that covers a content path (site-relative: a file
 * "content/by-children/x/index.bg.md", or a folder "content/by-children/x"), or 0. An entry names
 * a folder or a file, with or without the leading content/; a folder covers all under it. */
int safeguard_withdrawn(struct safeguard *sg, const char *path);
/* Reports, as problems, the entries that covered nothing (a misspelt path would leave the
 * material published). */
void safeguard_report_unused(const struct safeguard *sg);
void safeguard_free(struct safeguard *sg);

/* The time consent is judged at: SOURCE_DATE_EPOCH when set, else now. Not the commit's time: an
 * old commit built today must not publish a consent that ran out since. */
int64_t safeguard_now(void);

/* Judges a consent record (the front-matter map `consent:`, or NULL when there is none) at time
 * now. NULL when it is valid; else a malloc'd reason ("no consent record", "consent expired on
 * 2026-01-31") and *line the line it concerns (0: the file's first). *review_soon is set to
 * the review date's Unix time when it falls within 30 days of now, else 0. Problems of form
 * (a `given` that is not a date) are errors reported at their position under path. */
char *safeguard_consent(const char *path, const struct value *consent, int64_t now, int *line,
                        int64_t *review_soon);

/* Does s look like a person's full name? Two capitalised words in a row, with particles between
 * ("Maria Petrova", "Maria van der Berg", "Мария Петрова", "Μαρία Παπαδοπούλου"); a surname and a
 * name after it ("Petrova, Maria"); a name in capitals ("MARIA PETROVA", "Maria PETROVA", when
 * the word in capitals ends like a surname). Read after NFKC and without invisible characters
 * (see i18n_name_words). Not: one word, lower-case words ("Blue sky", "maria petrova": nothing
 * to go by), an acronym ("CAB Sofia"), two pseudonyms ("Sky, Lark"), an organisation's name
 * ("Child Advisory Board": a word for a group or a school among them), a script without
 * capitals (Arabic). */
int safeguard_name_like(const char *s);

/* Reports, as errors at their lines, what in a child-made material's front matter could identify
 * a child: a full name (safeguard_name_like) as its pseudonym, creator, author, credit or group, a
 * school, an exact birth date, or keys for such things (name, surname, school, birth_date,
 * address…). Returns the number reported. */
int safeguard_identifying(const char *path, const struct value *meta);

#endif
