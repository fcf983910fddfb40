/* view: what each layout receives — the `site`, `lang`, `page` and `sections` values of one job
 * of the plan, and the values shared between jobs (listing entries, versions, alternates,
 * section titles, facets) made once. It reads the model, the plan, the UI strings and what the
 * Markdown pass made of each page (struct page_text); it changes none of them, renders nothing
 * and writes nothing (render does). */
#ifndef SATCHEL_VIEW_H
#define SATCHEL_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "i18n.h"
#include "plan.h"
#include "site.h"
#include "value.h"

/* What the Markdown pass made of one page; results live beside the model, by page->idx. */
struct page_text {
	char *html, *toc;
	char *anchors; /* its headings' ids, each followed by '\n', after a leading '\n' */
	char *summary; /* the first paragraph's text */
	size_t words;
	size_t ideo_words, ideo_chars; /* md_result's */
};

struct view_opts {
	/* "Now" for what depends on the date (upcoming and past events). */
	int64_t now;
	const char *prefix; /* the site's folder in its repository ("" or "a/b"), for edit links */
	const char *branch; /* the branch built, for edit links, or NULL ("main") */
	/* For view_job_facts (0 and NULL when no facts are wanted): fingerprints of the inputs
	 * every output shares — satchel, site.yaml, content types, safeguarding, the layouts' names
	 * (which layout a job gets), the commit whose history pages show — and per language the UI
	 * strings it is rendered with (its own, the default's, a derived one's source's). */
	int facts;
	uint64_t config_fp, layouts_fp, history_fp;
	const uint64_t *strings_fp;
	int nthreads; /* to make it with (0: one) */
};

struct view;

/* Borrows s, pl, texts (s->npages of them) and cat until view_free. */
struct view *view_new(const struct site *s, const struct plan *pl, const struct page_text *texts,
                      const struct catalog *cat, const struct view_opts *o);
void view_free(struct view *v);

/* Per-thread ICU locales, one slot per language, made on first use: the caller owns locs
 * (nlangs slots, zeroed) and frees each with i18n_locale_free. */
struct i18n_locale *view_locale(const struct view *v, struct i18n_locale **locs, size_t l);
/* A "YYYY-MM-DD" day as Unix seconds at its midnight UTC; INT64_MIN when s is not one. */
int64_t view_day_ts(const char *s);
/* The values job j's layout receives. The caller frees; it refers to the view's shared values,
 * so it must be freed before the view. */
struct value *view_vars(const struct view *v, struct i18n_locale **locs, const struct job *j);

/* A page's summary: front matter's, else its first paragraph's; never NULL. */
const char *view_summary(const struct view *v, const struct page *p);
/* A page's title, or its key when it has none. */
const char *view_title(const struct page *p);
/* Group g's listing entry in language l, or NULL when it is not listed there. Borrowed. */
const struct value *view_entry(const struct view *v, const struct group *g, size_t l);
/* A taxonomy term's title in language l. The caller frees. */
char *view_term_title(const struct view *v, size_t t, const struct term *term, size_t l);
/* Language l's /LANG/facets.json data. Borrowed. */
const struct value *view_facets(const struct view *v, size_t l);
/* The recent changes list of language l (as the changes page shows it). The caller frees. */
struct value *view_changes(const struct view *v, struct i18n_locale **locs, size_t l);
/* A fingerprint of every fact of the model that job j's values (with layout) are made from:
 * the shared inputs, its own pages (their files, the Markdown pass's results, git's record of
 * them), and the facts of every other page it shows — listing entries, translations, links,
 * linked_by, related, parts, the navigation. Equal fingerprints: equal values. Needs facts in
 * view_opts. */
uint64_t view_job_facts(const struct view *v, const struct job *j, const char *layout);
/* base_url + url. The caller frees. */
char *view_permalink(const struct view *v, const char *url);
/* Minutes to read a page's text, at least 1: 200 words a minute, but Chinese and Japanese at
 * 500 characters a minute (counted as words, a character each, those came out two to three
 * times too long; Medium and Japanese and Chinese reading studies give 400–600). */
#define VIEW_WORDS_PER_MINUTE 200
#define VIEW_IDEO_CHARS_PER_MINUTE 500
int64_t view_reading_minutes(const struct page_text *t);

#endif
