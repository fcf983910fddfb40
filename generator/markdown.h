/* markdown: Markdown to HTML with cmark-gfm and its GFM extensions (tables, strikethrough,
 * autolinks, task lists, footnotes, tagfilter). Rewrites link and image destinations through a
 * callback, gives headings stable ids and builds a table of contents. Only this module includes
 * cmark-gfm. It knows nothing of pages or URLs: the caller's callback decides what a link becomes. */
#ifndef SATCHEL_MARKDOWN_H
#define SATCHEL_MARKDOWN_H

#include <stddef.h>

struct md_opts {
	/* Pass raw HTML through (the site opted in). Off: raw HTML is replaced by a comment and
	 * dangerous URLs (javascript:, vbscript:, data: except images) are dropped. */
	int unsafe;
	/* Called for every link and image destination. Returns a malloc'd replacement, or NULL to keep
	 * it; an empty replacement ("") takes the link out, leaving its text, or the image, alt text
	 * and all. line is one-based within the Markdown text. May be NULL. */
	char *(*rewrite)(void *payload, const char *url, int is_image, int line);
	void *payload;
	/* The size of the image at url (after rewrite) for its width and height attributes; 0, or
	 * -1 when unknown. May be NULL. Every image also gets loading="lazy". */
	int (*image_size)(void *payload, const char *url, int *width, int *height);
	/* The srcset of the image at url (after rewrite) in its own format and in WebP, each NULL when
	 * there is none (borrowed; URLs in them need no escaping). An image with a srcset gets it
	 * with `sizes` for the text's width, inside a <picture> with a WebP <source> when there is
	 * one. May be NULL. */
	void (*image_srcset)(void *payload, const char *url, const char **srcset, const char **webp);
	/* Told of a problem a build tolerates and check refuses (an image without alt text), with
	 * its one-based line within the Markdown text. May be NULL. */
	void (*problem)(void *payload, int line, const char *message);
	/* The page's UI string for key, in the page's language: callout_note, callout_tip,
	 * callout_important, callout_warning, callout_caution (an alert's label), video_notice
	 * ("… {name} ({host})…": what a video placeholder says it will load). Borrowed until
	 * md_render returns; NULL, or a NULL callback, gives the English string. */
	const char *(*label)(void *payload, const char *key);
	/* Headings of these levels go into the table of contents (default 2..3 when both are 0). */
	int toc_min, toc_max;
};

struct md_heading {
	int level;
	char *id;   /* unique within the document */
	char *text; /* plain text of the heading */
};

struct md_result {
	char *html;             /* the document */
	char *toc_html;         /* nested <ul> of links to headings; "" when fewer than two headings */
	struct md_heading *toc; /* every heading in document order */
	size_t ntoc;
	size_t words;   /* words of running text, for reading time */
	/* Of those, the Chinese and Japanese words (ICU's dictionary words of ideographs and kana),
	 * and their characters: such text is read by the character. */
	size_t ideo_words, ideo_chars;
	char *summary;  /* plain text of the first paragraph, "" when none */
};

/* Renders text. Heading ids: `## Title {#custom-id}` sets one; otherwise GitHub's id of the
 * heading's text (i18n_heading_id), made unique with -1, -2… as GitHub does, "section" when it
 * is empty. Beyond GFM, as GitHub and other sites render it: a top-level `> [!NOTE]` (TIP,
 * IMPORTANT, WARNING, CAUTION; any case) alone on a block quote's first line makes it a callout;
 * an image with a title alone in a paragraph a <figure> with that caption; a YouTube or Vimeo
 * link alone in a paragraph a placeholder that loads nothing from there until clicked (the
 * theme's script; without it a plain link). Raw HTML that is dropped (all of it in safe mode,
 * what the sanitiser refuses in unsafe mode) is told to opts->problem with its line. Always
 * returns 0 (cmark accepts any input); out's strings are malloc'd and freed with
 * md_result_free. */
int md_render(const char *text, size_t len, const struct md_opts *opts, struct md_result *out);
void md_result_free(struct md_result *r);

/* The plain text of one line of Markdown as a title: inline markup gone ("*Using* `git`" ->
 * "Using git"), entities decoded, a trailing `{#id}` taken off. The caller frees. */
char *md_plain_title(const char *text, size_t len);

#endif
