/* markdown: the cmark-gfm adapter. Owns the parser set-up (GFM extensions, footnotes, UTF-8
 * repair, safe mode), one iterative walk of the tree that rewrites link destinations and counts
 * words, heading ids and the table of contents. What a link points to is the caller's callback's
 * business; how a heading becomes a slug is i18n's. */
#include "markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "sanitize.h"
#include "util/buf.h"
#include "util/xalloc.h"

static const char *const ext_names[] = {"table", "strikethrough", "autolink", "tasklist",
                                        "tagfilter"};

static pthread_once_t ext_once = PTHREAD_ONCE_INIT;

/* cmark-gfm 0.29 turns the extensions' inline trigger characters (~, :, w) on in a global table
 * when an inline parse starts and off when it ends, so a page parsed on another thread at the
 * same time silently loses its strikethrough and autolinks. Inline parsing (all in
 * cmark_parser_finish) is therefore one thread at a time; block parsing, the tree walk and HTML
 * rendering are not. */
static pthread_mutex_t inline_lock = PTHREAD_MUTEX_INITIALIZER;

/* Registration fills a global list without a lock; pages render on several threads. */
static void
ext_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* The parser's memory: cmark allocates and frees a node, a buffer or a chunk of text for every
 * piece of a document, which malloc makes a fifth of a page's cost. A document's parse takes its
 * memory from a bump arena of the thread's instead, freeing nothing until md_render has written
 * the document out (cmark's renderer uses malloc's). The nodes markdown.c makes come from it too:
 * cmark moves a node only under one of the same allocator. cmark_mem carries no context: the
 * arena is the thread's. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t cap, used; /* bytes of data */
	max_align_t data[];
};

/* Each block is preceded by its size, so that realloc knows what to copy. */
#define ARENA_HEAD 16
#define ARENA_CHUNK (60 * 1024) /* under malloc's mmap threshold: a chunk is reused, not mapped */

static _Thread_local struct arena_chunk *arena_head;

static void *
arena_alloc(size_t n)
{
	if (n > SIZE_MAX / 2)
		abort();
	n = (n + ARENA_HEAD - 1) & ~(size_t)(ARENA_HEAD - 1);
	struct arena_chunk *c = arena_head;
	if (c == NULL || c->cap - c->used < n + ARENA_HEAD) {
		size_t cap = n + ARENA_HEAD > ARENA_CHUNK ? n + ARENA_HEAD : ARENA_CHUNK;
		c = xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->used = 0;
		c->next = arena_head;
		arena_head = c;
	}
	unsigned char *p = (unsigned char *)c->data + c->used;
	memcpy(p, &n, sizeof n);
	c->used += n + ARENA_HEAD;
	return p + ARENA_HEAD;
}

static void *
arena_calloc(size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / 2 / size)
		abort();
	void *p = arena_alloc(nmemb * size);
	memset(p, 0, nmemb * size);
	return p;
}

static void *
arena_realloc(void *ptr, size_t size)
{
	if (ptr == NULL)
		return arena_alloc(size);
	size_t old;
	memcpy(&old, (unsigned char *)ptr - ARENA_HEAD, sizeof old);
	if (size <= old)
		return ptr;
	/* The last block of the chunk grows where it is. */
	struct arena_chunk *c = arena_head;
	size_t grown = (size + ARENA_HEAD - 1) & ~(size_t)(ARENA_HEAD - 1);
	if ((unsigned char *)ptr + old == (unsigned char *)c->data + c->used &&
	    grown - old <= c->cap - c->used) {
		c->used += grown - old;
		memcpy((unsigned char *)ptr - ARENA_HEAD, &grown, sizeof grown);
		return ptr;
	}
	void *p = arena_alloc(size);
	memcpy(p, ptr, old);
	return p;
}

static void
arena_free(void *ptr)
{
	(void)ptr; /* all of it goes in arena_reset */
}

static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

static void
arena_reset(void)
{
	while (arena_head != NULL) {
		struct arena_chunk *next = arena_head->next;
		free(arena_head);
		arena_head = next;
	}
}

/* The ids already given in one document, each with the next suffix to try when it comes up again
 * as a base, so that n equal headings cost n probes, not n squared. Open addressing, power-of-two
 * size, at most half full. */
struct idset {
	struct idslot {
		char *key;
		unsigned long next;
	} *slot;
	size_t cap, n;
};

static size_t
idset_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static struct idslot *
idset_find(struct idset *set, const char *key)
{
	if (set->cap == 0)
		return NULL;
	size_t i = idset_hash(key) & (set->cap - 1);
	while (set->slot[i].key) {
		if (strcmp(set->slot[i].key, key) == 0)
			return &set->slot[i];
		i = (i + 1) & (set->cap - 1);
	}
	return NULL;
}

/* key must not be in the set yet; the set takes a copy. */
static void
idset_add(struct idset *set, const char *key)
{
	if (2 * (set->n + 1) > set->cap) {
		struct idset big = {xcalloc(set->cap ? 2 * set->cap : 16, sizeof(struct idslot)),
		                    set->cap ? 2 * set->cap : 16, 0};
		for (size_t j = 0; j < set->cap; j++) {
			if (!set->slot[j].key)
				continue;
			size_t i = idset_hash(set->slot[j].key) & (big.cap - 1);
			while (big.slot[i].key)
				i = (i + 1) & (big.cap - 1);
			big.slot[i] = set->slot[j];
			big.n++;
		}
		free(set->slot);
		*set = big;
	}
	size_t i = idset_hash(key) & (set->cap - 1);
	while (set->slot[i].key)
		i = (i + 1) & (set->cap - 1);
	set->slot[i].key = xstrdup(key);
	set->slot[i].next = 1;
	set->n++;
}

static void
idset_free(struct idset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slot[i].key);
	free(set->slot);
}

/* Returns base, or base-1, base-2… whichever is free first, and marks it taken. Caller frees. */
static char *
idset_unique(struct idset *set, const char *base)
{
	struct idslot *s = idset_find(set, base);
	if (s == NULL) {
		idset_add(set, base);
		return xstrdup(base);
	}
	unsigned long n = s->next;
	char *id = NULL;
	for (;; n++) {
		id = xasprintf("%s-%lu", base, n);
		if (idset_find(set, id) == NULL)
			break;
		free(id);
	}
	s->next = n + 1; /* before idset_add, which may move s */
	idset_add(set, id);
	return id;
}

static int
is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Decodes one UTF-8 sequence at s (n > 0 bytes left). Returns its length; a malformed byte
 * counts as one character of its own so that nothing is ever read past n. */
static size_t
utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2;
		c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		c &= 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (len > n) {
		*cp = 0xfffd;
		return 1;
	}
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = 0xfffd;
			return 1;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static int
is_word_space(uint32_t c)
{
	return (c < 0x80 && is_ascii_space((unsigned char)c)) || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200b) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || (c >= 0x3000 && c <= 0x303f) || c == 0xfeff;
}

/* What a text holds to read: words, and of them the Chinese and Japanese ones with their
 * characters (read by the character, not the word). */
struct wcount {
	size_t words, ideo_words, ideo_chars;
	int in_word; /* a word carries on from the previous text node ("**bold**face" is one) */
};

/* Counts the words that start in s. In scripts with spaces a word is a run of characters
 * without spaces that has more than ASCII punctuation in it. Chinese, Japanese, Thai, Lao,
 * Khmer and Burmese put no spaces between words: a run of them is split by ICU's dictionaries
 * (i18n_count_unspaced), which also says which words are ideographs and kana. Every script
 * below Thai (U+0E00) puts spaces between words: those characters are not asked about. */
/* How count_words reads a character below U+0080: 0 a letter of a word (controls too), 1 white
 * space, 2 ASCII punctuation (ispunct's, in the C locale the build runs in). */
static const unsigned char ascii_class[128] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
	['!'] = 2, ['"'] = 2, ['#'] = 2, ['$'] = 2, ['%'] = 2, ['&'] = 2, ['\''] = 2, ['('] = 2,
	[')'] = 2, ['*'] = 2, ['+'] = 2, [','] = 2, ['-'] = 2, ['.'] = 2, ['/'] = 2, [':'] = 2,
	[';'] = 2, ['<'] = 2, ['='] = 2, ['>'] = 2, ['?'] = 2, ['@'] = 2, ['['] = 2, ['\\'] = 2,
	[']'] = 2, ['^'] = 2, ['_'] = 2, ['`'] = 2, ['{'] = 2, ['|'] = 2, ['}'] = 2, ['~'] = 2,
};

static void
count_words(const char *s, size_t n, struct wcount *wc)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = NULL;
	size_t words = wc->words;
	int in_word = wc->in_word;
	while (p < end) {
		/* Inside a word, the rest of its letters (ASCII and two-byte ones) change nothing. */
		if (in_word && run == NULL) {
			while (p < end) {
				unsigned char b = p[0];
				if (b < 0x80 && ascii_class[b] == 0)
					p++;
				else if (b >= 0xc2 && b <= 0xdf && end - p >= 2 && (p[1] & 0xc0) == 0x80 &&
				         (b != 0xc2 || p[1] != 0xa0))
					p += 2;
				else
					break;
			}
			if (p == end)
				break;
		}
		const unsigned char *at = p;
		uint32_t c = p[0];
		/* Below U+0E00 a character is a space, punctuation or a letter, never unspaced: ASCII
		 * and well-formed two-byte sequences (of which only U+00A0 is a space) the quick way. */
		int cls;
		if (c < 0x80) {
			cls = ascii_class[c];
			p++;
		} else if (c >= 0xc2 && c <= 0xdf && end - p >= 2 && (p[1] & 0xc0) == 0x80) {
			cls = c == 0xc2 && p[1] == 0xa0;
			p += 2;
		} else {
			cls = -1;
		}
		if (cls >= 0 && run == NULL) {
			words += cls == 0 && !in_word;
			in_word = cls == 0 || (cls == 2 && in_word);
			continue;
		}
		if (cls >= 0) {
			wc->words = words;
			i18n_count_unspaced((const char *)run, (size_t)(at - run), &wc->words,
			                    &wc->ideo_words, &wc->ideo_chars);
			words = wc->words;
			run = NULL;
			words += cls == 0 && !in_word;
			in_word = cls == 0 || (cls == 2 && in_word);
			continue;
		}
		p += utf8_next(p, (size_t)(end - p), &c);
		int unspaced = c >= 0x0e00 && !is_word_space(c) && i18n_unspaced(c);
		if (run != NULL && !unspaced) {
			wc->words = words;
			i18n_count_unspaced((const char *)run, (size_t)(at - run), &wc->words,
			                    &wc->ideo_words, &wc->ideo_chars);
			words = wc->words;
			run = NULL;
		}
		if (unspaced) {
			if (run == NULL)
				run = at;
			in_word = 0;
		} else if (is_word_space(c)) {
			in_word = 0;
		} else if (c < 0x80 && ascii_class[c] == 2) {
			continue; /* "e.g." is one word, a lone "-" none */
		} else if (!in_word) {
			words++;
			in_word = 1;
		}
	}
	wc->words = words;
	wc->in_word = in_word;
	if (run != NULL)
		i18n_count_unspaced((const char *)run, (size_t)(p - run), &wc->words, &wc->ideo_words,
		                    &wc->ideo_chars);
}

/* Appends the plain text of n's inlines with runs of white space made one space and no space at
 * either end. Alt text of images counts; raw HTML and footnote markers do not. */
static void
plain_text(cmark_node *n, struct buf *out)
{
	size_t start = out->len;
	int space = 0;
	cmark_iter *it = cmark_iter_new(n);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		const char *s;
		if (ev != CMARK_EVENT_ENTER)
			continue;
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			s = cmark_node_get_literal(c);
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			s = " ";
			break;
		default:
			continue;
		}
		for (; s && *s; s++) {
			if (is_ascii_space((unsigned char)*s)) {
				space = 1;
				continue;
			}
			if (space && out->len > start)
				buf_putc(out, ' ');
			space = 0;
			buf_putc(out, *s);
		}
	}
	cmark_iter_free(it);
}

/* Appends the text GitHub makes a heading's id of: the heading's text content as written (runs
 * of spaces kept), code spans' text included, images' alt text and raw HTML tags not. */
static void
id_text(cmark_node *h, struct buf *out)
{
	cmark_iter *it = cmark_iter_new(h);
	cmark_event_type ev;
	int in_image = 0;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *c = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_IMAGE)
			in_image += ev == CMARK_EVENT_ENTER ? 1 : -1;
		if (ev != CMARK_EVENT_ENTER || in_image)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(c);
			if (lit != NULL)
				buf_puts(out, lit);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			buf_putc(out, '\n'); /* a control character: GitHub's id drops it */
		}
	}
	cmark_iter_free(it);
}

/* `## Title {#id}`: takes the id off the end of the heading's last text and returns it (caller
 * frees), or NULL when there is none. */
static char *
take_custom_id(cmark_node *h)
{
	cmark_node *last = cmark_node_last_child(h);
	if (last == NULL || cmark_node_get_type(last) != CMARK_NODE_TEXT)
		return NULL;
	const char *s = cmark_node_get_literal(last);
	if (s == NULL)
		return NULL;
	size_t len = strlen(s);
	while (len > 0 && is_ascii_space((unsigned char)s[len - 1]))
		len--;
	if (len < 4 || s[len - 1] != '}')
		return NULL;
	size_t open = len - 1;
	while (open > 0 && s[open - 1] != '{' && s[open - 1] != '}' &&
	       !is_ascii_space((unsigned char)s[open - 1]))
		open--;
	/* s[open - 1] should be '{', s[open] '#', and at least one character of id after it. */
	if (open == 0 || s[open - 1] != '{' || s[open] != '#' || open + 1 >= len - 1)
		return NULL;
	char *id = xstrndup(s + open + 1, len - 1 - (open + 1));
	size_t keep = open - 1;
	while (keep > 0 && is_ascii_space((unsigned char)s[keep - 1]))
		keep--;
	if (keep == 0) {
		cmark_node_free(last); /* unlinks it too */
	} else {
		char *rest = xstrndup(s, keep);
		cmark_node_set_literal(last, rest);
		free(rest);
	}
	return id;
}

/* Replaces heading h by a custom block that prints <hN id="…"> around h's own inlines. cmark's
 * HTML renderer has no attribute hook, and raw HTML nodes would be blanked in safe mode; custom
 * nodes are printed as they are, and the inlines still go through the normal renderer. The tags
 * sit on an inline inside an empty block, because a block puts line breaks after its tags. */
static void
heading_replace(cmark_node *h, int level, const char *id)
{
	struct buf b = BUF_INIT;
	cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &arena_mem);
	cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &arena_mem), *c;

	buf_printf(&b, "<h%d id=\"", level);
	buf_add_html_escaped(&b, id, strlen(id));
	buf_puts(&b, "\">");
	cmark_node_set_on_enter(tag, b.data);
	buf_reset(&b);
	buf_printf(&b, "</h%d>", level);
	cmark_node_set_on_exit(tag, b.data);
	buf_free(&b);
	while ((c = cmark_node_first_child(h)) != NULL)
		cmark_node_append_child(tag, c); /* moves c */
	cmark_node_append_child(blk, tag);
	cmark_node_replace(h, blk); /* h is freed by the caller after rendering: see md_render */
}

/* Replaces code block n by a custom block printing what cmark prints for it, with tabindex="0"
 * on the <pre>: a <pre> scrolls sideways (the theme's overflow-x: auto), and a region that
 * scrolls must be reachable by keyboard (WCAG 2.1.1; axe's scrollable-region-focusable). cmark's
 * renderer has no attribute hook. Frees n. */
static void
code_block_replace(cmark_node *n)
{
	struct buf b = BUF_INIT;
	const char *info = cmark_node_get_fence_info(n), *lit = cmark_node_get_literal(n);
	size_t word = 0;
	while (info != NULL && info[word] != '\0' && info[word] != ' ' && info[word] != '\t' &&
	       info[word] != '\n' && info[word] != '\r' && info[word] != '\f' && info[word] != '\v')
		word++;
	buf_puts(&b, "<pre tabindex=\"0\"><code");
	if (word > 0) {
		buf_puts(&b, " class=\"language-");
		buf_add_code_escaped(&b, info, word);
		buf_putc(&b, '"');
	}
	buf_putc(&b, '>');
	if (lit != NULL)
		buf_add_code_escaped(&b, lit, strlen(lit));
	buf_puts(&b, "</code></pre>");
	cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &arena_mem);
	cmark_node_set_on_enter(blk, buf_str(&b));
	cmark_node_set_on_exit(blk, "");
	buf_free(&b);
	cmark_node_replace(n, blk);
	cmark_node_free(n);
}

/* Gives a task-list item's checkbox a label: cmark-gfm prints a bare <input> before the text,
 * which has no accessible name. The item becomes a plain <li> whose first paragraph's inlines sit
 * in a custom inline printing <label><input …> … </label> (custom nodes survive safe mode). */
static void
task_label(cmark_node *item)
{
	int checked = cmark_gfm_extensions_get_tasklist_item_checked(item);
	cmark_node *para = cmark_node_first_child(item), *c;
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return; /* nothing to label: keep cmark's own rendering */
	cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &arena_mem);
	cmark_node_set_on_enter(tag, checked ? "<label><input type=\"checkbox\" checked=\"\" "
	                                       "disabled=\"\" /> "
	                                     : "<label><input type=\"checkbox\" disabled=\"\" /> ");
	cmark_node_set_on_exit(tag, "</label>");
	while ((c = cmark_node_first_child(para)) != NULL)
		cmark_node_append_child(tag, c); /* moves c */
	cmark_node_append_child(para, tag);
	cmark_node_set_syntax_extension(item, NULL);
}

/* Nested lists that stay well-formed when levels jump: a deeper heading opens one list inside the
 * current item however many levels it skips, and a shallower one closes lists only down to the
 * nearest level that is not deeper than itself. */
static char *
toc_render(const struct md_heading *hs, size_t n, int min, int max)
{
	struct buf b = BUF_INIT;
	int stack[8]; /* levels of the open lists: at most one per heading level */
	int depth = 0;
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		if (hs[i].level >= min && hs[i].level <= max)
			count++;
	if (count < 2)
		return xstrdup("");
	for (size_t i = 0; i < n; i++) {
		int lv = hs[i].level;
		if (lv < min || lv > max)
			continue;
		if (depth == 0) {
			buf_puts(&b, "<ul>\n");
			stack[depth++] = lv;
		} else if (lv > stack[depth - 1] && depth < 8) {
			buf_puts(&b, "\n<ul>\n");
			stack[depth++] = lv;
		} else {
			while (depth > 1 && lv < stack[depth - 1]) {
				if (lv > stack[depth - 2]) {
					stack[depth - 1] = lv; /* h2, h4, h3: h3 is h4's sibling */
					break;
				}
				buf_puts(&b, "</li>\n</ul>\n");
				depth--;
			}
			if (lv < stack[0])
				stack[0] = lv; /* h3 first, then h2: both at the top */
			buf_puts(&b, "</li>\n");
		}
		buf_puts(&b, "<li><a href=\"#");
		buf_add_html_escaped(&b, hs[i].id, strlen(hs[i].id));
		buf_puts(&b, "\">");
		buf_add_html_escaped(&b, hs[i].text, strlen(hs[i].text));
		buf_puts(&b, "</a>");
	}
	for (; depth > 0; depth--)
		buf_puts(&b, "</li>\n</ul>\n");
	return buf_detach(&b);
}

/* ---- content written for GitHub and elsewhere: alerts, figures, videos, dropped HTML ---- */

/* node's UI string, or the English one. */
static const char *
label_of(const struct md_opts *o, const char *key, const char *english)
{
	const char *s = o->label != NULL ? o->label(o->payload, key) : NULL;
	return s != NULL && *s != '\0' ? s : english;
}

static const struct alert_kind {
	const char *marker; /* as written between "[!" and "]", in upper case */
	const char *key, *english;
} alert_kinds[] = {
	{"NOTE", "callout_note", "Note"},
	{"TIP", "callout_tip", "Tip"},
	{"IMPORTANT", "callout_important", "Important"},
	{"WARNING", "callout_warning", "Warning"},
	{"CAUTION", "callout_caution", "Caution"},
};

/* The kind of alert whose marker s is ("[!note]", any case, then nothing but spaces), or NULL. */
static const struct alert_kind *
alert_marker(const char *s)
{
	if (s == NULL || s[0] != '[' || s[1] != '!')
		return NULL;
	for (size_t k = 0; k < sizeof alert_kinds / sizeof alert_kinds[0]; k++) {
		size_t n = strlen(alert_kinds[k].marker);
		if (strncasecmp(s + 2, alert_kinds[k].marker, n) != 0 || s[2 + n] != ']')
			continue;
		for (const char *p = s + 3 + n; *p; p++)
			if (*p != ' ' && *p != '\t')
				return NULL;
		return &alert_kinds[k];
	}
	return NULL;
}

/* A top-level block quote opening with `[!NOTE]` alone on its first line, with something after
 * it, becomes <div class="callout callout-note" role="note"> with the label in the page's
 * language, as GitHub renders alerts (marker any case; text after it on the same line, a nested
 * quote or an empty alert stay block quotes). Returns the replaced quote, to free after rendering
 * (its inlines' text may point into it), or NULL when q is no alert. */
static cmark_node *
alert_replace(cmark_node *q, const struct md_opts *o)
{
	cmark_node *para = cmark_node_first_child(q);
	if (para == NULL || cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH)
		return NULL;
	cmark_consolidate_text_nodes(para);
	cmark_node *mark = cmark_node_first_child(para);
	if (mark == NULL || cmark_node_get_type(mark) != CMARK_NODE_TEXT)
		return NULL;
	const struct alert_kind *kind = alert_marker(cmark_node_get_literal(mark));
	cmark_node *brk = cmark_node_next(mark);
	if (kind == NULL)
		return NULL;
	if (brk != NULL && cmark_node_get_type(brk) != CMARK_NODE_SOFTBREAK &&
	    cmark_node_get_type(brk) != CMARK_NODE_LINEBREAK)
		return NULL;
	if ((brk == NULL || cmark_node_next(brk) == NULL) && cmark_node_next(para) == NULL)
		return NULL; /* nothing in it */
	struct buf b = BUF_INIT;
	char cls[16];
	size_t i;
	for (i = 0; kind->marker[i] && i + 1 < sizeof cls; i++)
		cls[i] = (char)(kind->marker[i] - 'A' + 'a');
	cls[i] = '\0';
	const char *label = label_of(o, kind->key, kind->english);
	buf_printf(&b, "<div class=\"callout callout-%s\" role=\"note\">\n<p class=\"callout-title\">",
	           cls);
	buf_add_html_escaped(&b, label, strlen(label));
	buf_puts(&b, "</p>");
	cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &arena_mem), *c;
	cmark_node_set_on_enter(blk, buf_str(&b));
	cmark_node_set_on_exit(blk, "</div>");
	buf_free(&b);
	cmark_node_free(mark);
	if (brk != NULL)
		cmark_node_free(brk);
	while ((c = cmark_node_first_child(q)) != NULL)
		cmark_node_append_child(blk, c); /* moves c */
	if (cmark_node_first_child(para) == NULL)
		cmark_node_append_child(q, para); /* the marker alone: out, freed with q */
	cmark_node_replace(q, blk);
	return q;
}

/* An image with a title alone in paragraph p: <figure><img …><figcaption>title</figcaption>
 * </figure>, the title no longer on the <img> too. Returns the replaced paragraph (to free after
 * rendering) or NULL. */
static cmark_node *
figure_replace(cmark_node *p)
{
	cmark_node *img = cmark_node_first_child(p);
	const char *title = img != NULL ? cmark_node_get_title(img) : NULL;
	if (img == NULL || cmark_node_next(img) != NULL ||
	    cmark_node_get_type(img) != CMARK_NODE_IMAGE || title == NULL || *title == '\0')
		return NULL;
	struct buf b = BUF_INIT;
	buf_puts(&b, "<figcaption>");
	buf_add_html_escaped(&b, title, strlen(title));
	buf_puts(&b, "</figcaption></figure>");
	/* The tags on an inline in an empty block, as a heading's (see heading_replace). */
	cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &arena_mem);
	cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &arena_mem);
	cmark_node_set_on_enter(tag, "<figure>");
	cmark_node_set_on_exit(tag, buf_str(&b));
	buf_free(&b);
	cmark_node_set_title(img, "");
	cmark_node_append_child(tag, img); /* moves it */
	cmark_node_append_child(blk, tag);
	cmark_node_replace(p, blk);
	return p;
}

/* Where a video link leads: the provider's name, the host the player is loaded from, and the
 * video's id (YouTube's 11 characters of [A-Za-z0-9_-]; Vimeo's digits). */
struct video {
	const char *provider, *host;
	char id[24];
};

/* Copies the id at s (up to a character not in the id's set) into v->id: 1 when it has the
 * provider's form. */
static int
video_id(const char *s, struct video *v, int digits)
{
	size_t n = 0;
	while (n + 1 < sizeof v->id &&
	       (digits ? (s[n] >= '0' && s[n] <= '9')
	               : (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-')))
		n++;
	if (s[n] != '\0' && s[n] != '?' && s[n] != '&' && s[n] != '#' && s[n] != '/')
		return 0;
	if (digits ? (n == 0 || n > 12) : n != 11)
		return 0;
	memcpy(v->id, s, n);
	v->id[n] = '\0';
	return 1;
}

/* Is url a YouTube (youtube.com/watch?v=, youtu.be/, youtube.com/embed/, youtube-nocookie.com)
 * or Vimeo (vimeo.com/ID, player.vimeo.com/video/ID) video? Fills v. */
static int
video_of(const char *url, struct video *v)
{
	const char *h;
	if (strncmp(url, "https://", 8) == 0)
		h = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		h = url + 7;
	else
		return 0;
	static const char *const yt[] = {"www.youtube.com/", "youtube.com/", "m.youtube.com/",
	                                 "www.youtube-nocookie.com/", "youtube-nocookie.com/"};
	v->provider = "YouTube";
	v->host = "youtube-nocookie.com";
	if (strncmp(h, "youtu.be/", 9) == 0)
		return video_id(h + 9, v, 0);
	for (size_t k = 0; k < sizeof yt / sizeof yt[0]; k++) {
		size_t n = strlen(yt[k]);
		if (strncmp(h, yt[k], n) != 0)
			continue;
		const char *path = h + n;
		if (strncmp(path, "embed/", 6) == 0)
			return video_id(path + 6, v, 0);
		if (strncmp(path, "watch?", 6) != 0)
			return 0;
		for (const char *q = path + 5; q != NULL && *q; q = strchr(q + 1, '&'))
			if (strncmp(q + 1, "v=", 2) == 0)
				return video_id(q + 3, v, 0);
		return 0;
	}
	v->provider = "Vimeo";
	v->host = "player.vimeo.com";
	if (strncmp(h, "vimeo.com/", 10) == 0 || strncmp(h, "www.vimeo.com/", 14) == 0)
		return video_id(strchr(h, '/') + 1, v, 1);
	if (strncmp(h, "player.vimeo.com/video/", 23) == 0)
		return video_id(h + 23, v, 1);
	return 0;
}

/* Appends template with {name} and {host} filled in, escaped for HTML. */
static void
add_notice(struct buf *b, const char *tmpl, const struct video *v)
{
	for (const char *p = tmpl; *p;) {
		const char *val = NULL;
		size_t skip = 0;
		if (strncmp(p, "{name}", 6) == 0)
			val = v->provider, skip = 6;
		else if (strncmp(p, "{host}", 6) == 0)
			val = v->host, skip = 6;
		if (val != NULL) {
			buf_add_html_escaped(b, val, strlen(val));
			p += skip;
		} else {
			buf_add_html_escaped(b, p, 1);
			p++;
		}
	}
}

/* A YouTube or Vimeo link alone in paragraph p becomes a placeholder that asks nothing of the
 * video's host: a link to the video (what a reader without scripts gets) holding a poster (an
 * image inside the link that is on this site; else the theme's own drawing) and the link's
 * title or text, and a note of what clicking will load. The theme's script turns a click into
 * the player, from youtube-nocookie.com or player.vimeo.com with dnt=1, built from
 * data-provider and data-id alone (the sanitiser lets no data- attribute through raw HTML).
 * Returns the replaced paragraph, to free after rendering, or NULL. */
static cmark_node *
video_replace(cmark_node *p, const struct md_opts *o)
{
	cmark_node *a = cmark_node_first_child(p), *c, *next;
	struct video v;
	if (a == NULL || cmark_node_next(a) != NULL || cmark_node_get_type(a) != CMARK_NODE_LINK ||
	    cmark_node_get_url(a) == NULL || !video_of(cmark_node_get_url(a), &v))
		return NULL;
	struct buf b = BUF_INIT, title = BUF_INIT;
	const char *t = cmark_node_get_title(a);
	if (t != NULL && *t != '\0')
		buf_puts(&title, t);
	else
		plain_text(a, &title);
	const char *url = cmark_node_get_url(a);
	buf_printf(&b, "<figure class=\"video-embed\" data-provider=\"%s\" data-id=\"%s\">\n",
	           v.provider[0] == 'Y' ? "youtube" : "vimeo", v.id);
	buf_puts(&b, "<a class=\"video-embed-link\" href=\"");
	buf_add_html_escaped(&b, url, strlen(url));
	buf_puts(&b, "\"><span class=\"video-embed-poster\">");
	cmark_node *blk = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_BLOCK, &arena_mem);
	cmark_node *tag = cmark_node_new_with_mem(CMARK_NODE_CUSTOM_INLINE, &arena_mem);
	cmark_node_set_on_enter(tag, buf_str(&b));
	buf_reset(&b);
	buf_puts(&b, "</span><span class=\"video-embed-title\">");
	buf_add_html_escaped(&b, buf_str(&title), title.len);
	buf_puts(&b, "</span></a>\n<figcaption class=\"video-embed-notice\">");
	add_notice(&b, label_of(o, "video_notice", "This will load content from {name} ({host})."),
	           &v);
	buf_puts(&b, "</figcaption>\n</figure>");
	cmark_node_set_on_exit(tag, buf_str(&b));
	buf_free(&b);
	buf_free(&title);
	/* The poster: the first image of this site's in the link; one from elsewhere would be a
	 * request to its host before the reader asked for anything. Alt text: the title says it. */
	for (c = cmark_node_first_child(a); c != NULL; c = next) {
		next = cmark_node_next(c);
		const char *src = cmark_node_get_url(c);
		if (cmark_node_get_type(c) != CMARK_NODE_IMAGE || src == NULL || *src == '\0' ||
		    strncmp(src, "http:", 5) == 0 || strncmp(src, "https:", 6) == 0 ||
		    strncmp(src, "//", 2) == 0)
			continue;
		cmark_node *alt;
		while ((alt = cmark_node_first_child(c)) != NULL)
			cmark_node_free(alt);
		cmark_node_set_title(c, "");
		cmark_node_append_child(tag, c); /* moves it */
		break;
	}
	cmark_node_append_child(blk, tag);
	cmark_node_replace(p, blk);
	return p;
}

/* Who is told of raw HTML that is dropped, and where the node holding it starts. */
struct drop_ctx {
	const struct md_opts *o;
	const char *text; /* the node's literal */
	int line;         /* the line text[at] is on: offsets come in order, lines are counted once */
	size_t at;
};

static void
html_dropped(void *payload, size_t off, const char *tag, const char *attr)
{
	struct drop_ctx *d = payload;
	for (; d->at < off && d->text[d->at]; d->at++)
		d->line += d->text[d->at] == '\n';
	int line = d->line;
	char *msg = attr != NULL
	                ? xasprintf("raw HTML attribute %s of <%s> dropped", attr, tag)
	                : xasprintf("raw HTML <%s> dropped", tag);
	d->o->problem(d->o->payload, line, msg);
	free(msg);
}

/* Raw HTML node n, which safe mode leaves out: tells of its first start tag (a comment, a
 * doctype or an end tag alone is no loss worth a word). */
static void
html_omitted(cmark_node *n, const struct md_opts *o)
{
	const char *s = cmark_node_get_literal(n);
	if (s == NULL || o->problem == NULL)
		return;
	for (const char *p = s; (p = strchr(p, '<')) != NULL; p++) {
		if (!isalpha((unsigned char)p[1]))
			continue;
		size_t k = 1;
		char name[16];
		while (k < sizeof name && (isalnum((unsigned char)p[k]) || p[k] == '-'))
			k++;
		for (size_t j = 1; j < k; j++)
			name[j - 1] = (char)tolower((unsigned char)p[j]);
		name[k - 1] = '\0';
		char *msg;
		int line = cmark_node_get_start_line(n);
		for (const char *q = s; q < p; q++)
			line += *q == '\n';
		msg = xasprintf("raw HTML <%s> dropped: this site leaves raw HTML out (options: "
		                "unsafe_html: true keeps what is safe)",
		                name);
		o->problem(o->payload, line, msg);
		free(msg);
		return;
	}
}

static char *img_attrs(char *html, const struct md_opts *o);

int
md_render(const char *text, size_t len, const struct md_opts *opts, struct md_result *out)
{
	static const struct md_opts no_opts;
	cmark_parser *parser = NULL;
	cmark_node *doc = NULL, *first_top = NULL, *first_any = NULL;
	cmark_node **hnodes = NULL, **tasks = NULL, **drop = NULL, **codes = NULL;
	size_t ntask = 0, captask = 0, ndrop = 0, capdrop = 0, ncode = 0, capcode = 0;
	/* Top-level block quotes and every paragraph (alerts, figures, videos), and the nodes they
	 * replaced, freed after rendering as the headings are. */
	cmark_node **quotes = NULL, **paras = NULL, **later = NULL;
	size_t nquote = 0, capquote = 0, npara = 0, cappara = 0, nlater = 0;
	cmark_iter *it = NULL;
	cmark_event_type ev;
	struct idset ids = {NULL, 0, 0};
	struct buf b = BUF_INIT;
	size_t nh = 0, caph = 0;
	struct wcount wc = {0, 0, 0, 0};
	int in_heading = 0, in_image = 0;

	memset(out, 0, sizeof(*out));
	if (opts == NULL)
		opts = &no_opts;
	if (text == NULL)
		len = 0;
	/* cmark repairs bad UTF-8 line by line (CMARK_OPT_VALIDATE_UTF8: its only use), copying a
	 * valid line as it is: text that is valid throughout (as most is) skips its slower check. */
	int options = CMARK_OPT_FOOTNOTES;
	if (len > 0 && !i18n_utf8_valid(text, len, NULL))
		options |= CMARK_OPT_VALIDATE_UTF8;
	if (opts->unsafe)
		options |= CMARK_OPT_UNSAFE;

	pthread_once(&ext_once, ext_register);
	if (arena_head != NULL)
		abort(); /* the thread's arena is a document's: no callback renders Markdown */
	parser = cmark_parser_new_with_mem(options, &arena_mem);
	for (size_t i = 0; i < sizeof(ext_names) / sizeof(ext_names[0]); i++) {
		cmark_syntax_extension *ext = cmark_find_syntax_extension(ext_names[i]);
		if (ext)
			cmark_parser_attach_syntax_extension(parser, ext);
	}
	if (len > 0)
		cmark_parser_feed(parser, text, len);
	pthread_mutex_lock(&inline_lock);
	doc = cmark_parser_finish(parser);
	pthread_mutex_unlock(&inline_lock);

	/* One walk: rewrite destinations, count words, note headings and the first paragraph. The
	 * tree is only changed after it, so the iterator never sees a moved node. */
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		int enter = ev == CMARK_EVENT_ENTER;

		switch (t) {
		case CMARK_NODE_LINK:
		case CMARK_NODE_IMAGE:
			if (t == CMARK_NODE_IMAGE)
				in_image += enter ? 1 : -1; /* alt text is not read */
			if (t == CMARK_NODE_IMAGE && enter && opts->problem != NULL &&
			    cmark_node_first_child(n) == NULL)
				opts->problem(opts->payload, cmark_node_get_start_line(n),
				              "image without alt text: say in words what it shows, as "
				              "![a drawing of a room](drawing.png)");
			if (enter && opts->rewrite) {
				const char *url = cmark_node_get_url(n);
				/* The autolink extension's links have no position: their paragraph's. */
				cmark_node *at = n;
				while (cmark_node_get_start_line(at) == 0 && cmark_node_parent(at) != NULL)
					at = cmark_node_parent(at);
				char *nu = opts->rewrite(opts->payload, url ? url : "",
				                         t == CMARK_NODE_IMAGE, cmark_node_get_start_line(at));
				if (nu != NULL && *nu == '\0') {
					/* Taken out after the walk: nothing of where it led is left. */
					if (ndrop == capdrop) {
						capdrop = capdrop ? 2 * capdrop : 8;
						drop = xrealloc(drop, capdrop * sizeof(*drop));
					}
					drop[ndrop++] = n;
				} else if (nu) {
					/* Safe mode still judges the new URL when rendering. */
					cmark_node_set_url(n, nu);
				}
				free(nu);
			}
			if (enter && opts->unsafe) {
				/* Unsafe mode lets javascript: through; the sanitiser's rule stands in. */
				const char *url = cmark_node_get_url(n);
				if (url && !san_url_ok(url, strlen(url)))
					cmark_node_set_url(n, "");
			}
			break;
		case CMARK_NODE_HTML_BLOCK:
		case CMARK_NODE_HTML_INLINE:
			if (enter && opts->unsafe) {
				const char *raw = cmark_node_get_literal(n);
				struct drop_ctx d = {opts, raw ? raw : "", cmark_node_get_start_line(n), 0};
				char *clean = san_html_report(raw ? raw : "", raw ? strlen(raw) : 0,
				                              opts->problem != NULL ? html_dropped : NULL, &d);
				cmark_node_set_literal(n, clean);
				free(clean);
			} else if (enter) {
				html_omitted(n, opts);
			}
			break;
		case CMARK_NODE_BLOCK_QUOTE:
			if (enter && cmark_node_parent(n) == doc) {
				if (nquote == capquote) {
					capquote = capquote ? 2 * capquote : 8;
					quotes = xrealloc(quotes, capquote * sizeof(*quotes));
				}
				quotes[nquote++] = n;
			}
			break;
		case CMARK_NODE_TEXT:
		case CMARK_NODE_CODE:
			if (!in_heading && !in_image) {
				const char *s = cmark_node_get_literal(n);
				if (s)
					count_words(s, strlen(s), &wc);
			}
			break;
		case CMARK_NODE_SOFTBREAK:
		case CMARK_NODE_LINEBREAK:
			wc.in_word = 0;
			break;
		case CMARK_NODE_HEADING:
			in_heading = enter;
			if (enter) {
				if (nh == caph) {
					caph = caph ? 2 * caph : 8;
					hnodes = xrealloc(hnodes, caph * sizeof(*hnodes));
				}
				hnodes[nh++] = n;
			}
			break;
		case CMARK_NODE_ITEM:
			if (enter && strcmp(cmark_node_get_type_string(n), "tasklist") == 0) {
				if (ntask == captask) {
					captask = captask ? 2 * captask : 8;
					tasks = xrealloc(tasks, captask * sizeof(*tasks));
				}
				tasks[ntask++] = n;
			}
			break;
		case CMARK_NODE_CODE_BLOCK:
			if (ncode == capcode) {
				capcode = capcode ? 2 * capcode : 8;
				codes = xrealloc(codes, capcode * sizeof(*codes));
			}
			codes[ncode++] = n; /* a leaf: entered only */
			break;
		case CMARK_NODE_PARAGRAPH:
			if (enter) {
				if (npara == cappara) {
					cappara = cappara ? 2 * cappara : 8;
					paras = xrealloc(paras, cappara * sizeof(*paras));
				}
				paras[npara++] = n;
			}
			if (enter && first_any == NULL)
				first_any = n;
			if (enter && first_top == NULL && cmark_node_parent(n) == doc)
				first_top = n;
			break;
		default:
			break;
		}
		if (((unsigned)t & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK)
			wc.in_word = 0; /* a block boundary ends a word (table cells are blocks) */
	}
	cmark_iter_free(it);
	/* A link the caller took out leaves its text in its place; an image goes whole. In document
	 * order, so an image inside a dropped link has been moved out of it before its turn. */
	for (size_t i = 0; i < ndrop; i++) {
		cmark_node *n = drop[i], *c = cmark_node_first_child(n);
		/* An autolink's text is its address (<https://…>, a bare https://… or www.…): the
		 * address would stay; "…" stands for it. */
		const char *url = cmark_node_get_url(n), *lit = cmark_node_get_literal(c);
		if (cmark_node_get_type(n) == CMARK_NODE_LINK && c != NULL && cmark_node_next(c) == NULL &&
		    cmark_node_get_type(c) == CMARK_NODE_TEXT && url != NULL && lit != NULL &&
		    (strcmp(url, lit) == 0 ||
		     (strncmp(url, "http://", 7) == 0 && strcmp(url + 7, lit) == 0)))
			cmark_node_set_literal(c, "\xe2\x80\xa6");
		while (cmark_node_get_type(n) == CMARK_NODE_LINK && (c = cmark_node_first_child(n)) != NULL)
			cmark_node_insert_before(n, c);
		cmark_node_free(n); /* unlinks it first */
	}
	free(drop);
	for (size_t i = 0; i < ntask; i++)
		task_label(tasks[i]);
	free(tasks);
	for (size_t i = 0; i < ncode; i++)
		code_block_replace(codes[i]);
	free(codes);

	later = xcalloc(nquote + npara + 1, sizeof(*later));
	for (size_t i = 0; i < nquote; i++)
		if ((later[nlater] = alert_replace(quotes[i], opts)) != NULL)
			nlater++;
	free(quotes);

	/* A top-level paragraph says what the page is about better than a list item does. */
	if (first_top || first_any)
		plain_text(first_top ? first_top : first_any, &b);
	out->summary = buf_detach(&b);

	for (size_t i = 0; i < npara; i++)
		if ((later[nlater] = figure_replace(paras[i])) != NULL ||
		    (later[nlater] = video_replace(paras[i], opts)) != NULL)
			nlater++;
	free(paras);

	out->toc = nh ? xcalloc(nh, sizeof(*out->toc)) : NULL;
	out->ntoc = nh;
	for (size_t i = 0; i < nh; i++) {
		cmark_node *h = hnodes[i];
		struct md_heading *mh = &out->toc[i];
		char *custom;

		cmark_consolidate_text_nodes(h); /* `{#my_id}` may sit in several text nodes */
		custom = take_custom_id(h);
		mh->level = cmark_node_get_heading_level(h);
		plain_text(h, &b);
		mh->text = buf_detach(&b);
		wc.in_word = 0;
		count_words(mh->text, strlen(mh->text), &wc);
		if (custom == NULL) {
			struct buf raw = BUF_INIT;
			id_text(h, &raw);
			i18n_heading_id(buf_str(&raw), raw.len, &b);
			buf_free(&raw);
			if (b.len == 0)
				buf_puts(&b, "section");
		} else {
			buf_puts(&b, custom);
			free(custom);
		}
		mh->id = idset_unique(&ids, buf_str(&b));
		buf_reset(&b);
		heading_replace(h, mh->level, mh->id);
	}
	out->words = wc.words;
	out->ideo_words = wc.ideo_words;
	out->ideo_chars = wc.ideo_chars;

	int min = opts->toc_min, max = opts->toc_max;
	if (min == 0 && max == 0) {
		min = 2;
		max = 3;
	}
	if (min < 1)
		min = 1;
	if (max < 1 || max > 6)
		max = 6;
	out->toc_html = toc_render(out->toc, out->ntoc, min, max);

	/* cmark_render_html would take the document's allocator, the arena, for the text. */
	out->html = img_attrs(cmark_render_html_with_mem(doc, options,
	                                                 cmark_parser_get_syntax_extensions(parser),
	                                                 cmark_get_default_mem_allocator()),
	                      opts);

	buf_free(&b);
	idset_free(&ids);
	/* Only now: cmark leaves the literal of an inline it never copied (raw HTML, unless read)
	 * pointing into its heading's buffer, so the replaced headings live until rendered. */
	for (size_t i = 0; i < nh; i++)
		cmark_node_free(hnodes[i]);
	free(hnodes);
	for (size_t i = 0; i < nlater; i++)
		cmark_node_free(later[i]);
	free(later);
	cmark_node_free(doc);
	cmark_parser_free(parser);
	arena_reset();
	return 0;
}

/* The width the theme's text column gives an image (.content is 70ch, about 40rem). */
#define TEXT_SIZES "(max-width: 40rem) 100vw, 40rem"

/* Every <img> loads lazily and, when the caller knows its size, says it (no layout shift); with
 * the smaller widths it is published at, the browser picks one (srcset), WebP first. */
static char *
img_attrs(char *html, const struct md_opts *o)
{
	/* cmark writes exactly `<img src="` and ends the tag with ` />`; raw HTML a site lets
	 * through is left as written. */
	if (html == NULL || strstr(html, "<img src=\"") == NULL)
		return html;
	struct buf b = BUF_INIT, url = BUF_INIT;
	const char *p = html, *q;
	while ((q = strstr(p, "<img src=\"")) != NULL) {
		const char *e = strchr(q + 10, '"');
		buf_reset(&url);
		for (const char *c = q + 10; e != NULL && c < e; c++) {
			if (strncmp(c, "&amp;", 5) == 0) {
				buf_putc(&url, '&');
				c += 4;
			} else {
				buf_putc(&url, *c);
			}
		}
		const char *srcset = NULL, *webp = NULL;
		if (o->image_srcset != NULL && e != NULL)
			o->image_srcset(o->payload, buf_str(&url), &srcset, &webp);
		/* The tag ends at the first '>' after src: cmark and the sanitiser both escape it in
		 * attribute values. (Not the next "/>": a sanitised raw <img> ends with '>' alone.) */
		const char *end = webp != NULL ? strchr(e, '>') : NULL;
		buf_add(&b, p, (size_t)(q - p));
		if (end != NULL)
			buf_printf(&b, "<picture><source type=\"image/webp\" srcset=\"%s\" sizes=\"%s\">",
			           webp, TEXT_SIZES);
		buf_puts(&b, "<img loading=\"lazy\" decoding=\"async\" ");
		int w, h;
		if (o->image_size != NULL && e != NULL &&
		    o->image_size(o->payload, buf_str(&url), &w, &h) == 0)
			buf_printf(&b, "width=\"%d\" height=\"%d\" ", w, h);
		if (srcset != NULL)
			buf_printf(&b, "srcset=\"%s\" sizes=\"%s\" ", srcset, TEXT_SIZES);
		p = q + 5;
		if (end != NULL) {
			buf_add(&b, p, (size_t)(end + 1 - p));
			buf_puts(&b, "</picture>");
			p = end + 1;
		}
	}
	buf_puts(&b, p);
	buf_free(&url);
	free(html);
	return buf_detach(&b);
}

char *
md_plain_title(const char *text, size_t len)
{
	struct buf src = BUF_INIT, out = BUF_INIT;
	buf_puts(&src, "# "); /* read as the heading it is: "1. Intro" is no list */
	for (size_t i = 0; i < len; i++)
		buf_putc(&src, text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
	pthread_mutex_lock(&inline_lock);
	cmark_node *doc = cmark_parse_document(buf_str(&src), src.len, CMARK_OPT_VALIDATE_UTF8);
	pthread_mutex_unlock(&inline_lock);
	cmark_node *h = cmark_node_first_child(doc);
	if (h != NULL && cmark_node_get_type(h) == CMARK_NODE_HEADING) {
		cmark_consolidate_text_nodes(h);
		free(take_custom_id(h));
		plain_text(h, &out);
	}
	cmark_node_free(doc);
	buf_free(&src);
	return buf_detach(&out);
}

void
md_result_free(struct md_result *r)
{
	if (r == NULL)
		return;
	free(r->html);
	free(r->toc_html);
	for (size_t i = 0; i < r->ntoc; i++) {
		free(r->toc[i].id);
		free(r->toc[i].text);
	}
	free(r->toc);
	free(r->summary);
	memset(r, 0, sizeof(*r));
}
