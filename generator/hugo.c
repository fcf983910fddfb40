/* hugo: Hugo's front-matter spellings and shortcodes, for sites that move to satchel. */
#include "hugo.h"

#include <ctype.h>
#include <string.h>

#include "util/diag.h"

void
hugo_meta(const char *path, struct value *meta)
{
	static const char *const names[][2] = {
	    {"translationKey", "translation_key"},
	    {"description", "summary"},
	    {"lastmod", "updated"},
	};
	if (meta == NULL || meta->type != VALUE_MAP)
		return;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (value_map_get(meta, names[i][0]) == NULL)
			continue;
		if (value_map_get(meta, names[i][1]) != NULL) {
			diag_warning(path, value_map_key_line(meta, names[i][0]), 0,
			             "both '%s' (Hugo's) and '%s': '%s' is used", names[i][0], names[i][1],
			             names[i][1]);
			continue;
		}
		value_map_set(meta, names[i][1], value_map_take(meta, names[i][0]));
	}
}

/* A line scanner that knows fenced code blocks and code spans, the places where `{{<` is an
 * example rather than a shortcode (Hugo's own docs write them so). */
struct scan {
	const char *p, *end;
	char fence;       /* '`' or '~' inside a fenced block, else 0 */
	size_t fence_len;
};

/* Is the line [l, le) a fence (3+ of ` or ~ after at most 3 spaces)? Sets *c and *n. */
static int
fence_line(const char *l, const char *le, char *c, size_t *n)
{
	size_t ind = 0;
	while (l < le && *l == ' ' && ind < 4)
		l++, ind++;
	if (ind > 3 || l == le || (*l != '`' && *l != '~'))
		return 0;
	const char *q = l;
	while (q < le && *q == *l)
		q++;
	if (q - l < 3)
		return 0;
	*c = *l;
	*n = (size_t)(q - l);
	return 1;
}

/* The first shortcode opening (`{{<` or `{{%`) in [l, le) outside code spans, or NULL. */
static const char *
shortcode_in(const char *l, const char *le)
{
	for (const char *q = l; q + 3 <= le; q++) {
		if (*q == '\\') {
			q++;
			continue;
		}
		if (*q == '`') {
			size_t n = 0;
			while (q + n < le && q[n] == '`')
				n++;
			/* The closing run of the same length, else the backticks are text. */
			const char *c = q + n;
			for (; c < le; c++) {
				if (*c != '`')
					continue;
				size_t m = 0;
				while (c + m < le && c[m] == '`')
					m++;
				if (m == n)
					break;
				c += m - 1;
			}
			q = c < le ? c + n - 1 : q + n - 1;
			continue;
		}
		if (q[0] == '{' && q[1] == '{' && (q[2] == '<' || q[2] == '%'))
			return q;
	}
	return NULL;
}

/* Calls fn for each line outside fenced code that holds a shortcode. */
static void
each_shortcode_line(const char *text, size_t len,
                    void (*fn)(void *payload, size_t lineno, const char *l, const char *le),
                    void *payload)
{
	struct scan s = {text, text + len, 0, 0};
	for (size_t lineno = 0; s.p < s.end; lineno++) {
		const char *nl = memchr(s.p, '\n', (size_t)(s.end - s.p));
		const char *l = s.p, *le = nl ? nl : s.end;
		s.p = nl ? nl + 1 : s.end;
		char c;
		size_t n;
		if (fence_line(l, le, &c, &n)) {
			if (s.fence == 0) {
				s.fence = c;
				s.fence_len = n;
			} else if (c == s.fence && n >= s.fence_len) {
				s.fence = 0;
			}
			continue;
		}
		if (s.fence == 0 && shortcode_in(l, le) != NULL)
			fn(payload, lineno, l, le);
	}
}

/* What to write instead of a shortcode Hugo ships, by its name. */
static const char *
instead(const char *name, size_t n)
{
	static const char *const hints[][2] = {
	    {"youtube", "a link to the video alone in its paragraph"},
	    {"vimeo", "a link to the video alone in its paragraph"},
	    {"figure", "an image with a title, ![alt](file.jpg \"Caption\")"},
	    {"ref", "a relative link to the .md file, [text](../page/index.md)"},
	    {"relref", "a relative link to the .md file, [text](../page/index.md)"},
	    {"highlight", "a fenced code block"},
	    {"notice", "an alert, > [!NOTE]"},
	    {"hint", "an alert, > [!TIP]"},
	    {"alert", "an alert, > [!WARNING]"},
	    {"callout", "an alert, > [!NOTE]"},
	    {"admonition", "an alert, > [!NOTE]"},
	};
	for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
		if (strlen(hints[i][0]) == n && strncmp(hints[i][0], name, n) == 0)
			return hints[i][1];
	return "Markdown";
}

struct warn_ctx {
	const char *path;
	int first_line;
	size_t count;
};

static void
warn_line(void *payload, size_t lineno, const char *l, const char *le)
{
	struct warn_ctx *w = payload;
	const char *q = shortcode_in(l, le);
	const char *name = q + 3;
	while (name < le && *name == ' ')
		name++;
	/* A closing shortcode keeps its '/'; a name may have more (blocks/section). */
	size_t n = 0;
	while (name + n < le && (isalnum((unsigned char)name[n]) || strchr("-_/", name[n]) != NULL) &&
	       name[n] != '\0')
		n++;
	size_t skip = n > 0 && name[0] == '/';
	int col = (int)(q - l) + 1;
	w->count++;
	diag_warning(w->path, w->first_line + (int)lineno, col,
	             "Hugo shortcode {{%c %.*s %c}} is not run: it is shown as text (write %s "
	             "instead)", q[2], (int)n, name, q[2] == '<' ? '>' : '%', instead(name + skip, n - skip));
}

/* Does text hold "{{" (followed by c, when c is not '\0')? At memchr's speed: glibc's memmem
 * for a needle this short reads a page several times slower, and most pages have no '{'. */
static int
has_braces(const char *text, size_t len, char c)
{
	for (const char *p = text, *end = text + len; (p = memchr(p, '{', (size_t)(end - p))) != NULL;
	     p++)
		if (end - p >= (c ? 3 : 2) && p[1] == '{' && (c == '\0' || p[2] == c))
			return 1;
	return 0;
}

size_t
hugo_shortcodes_warn(const char *path, const char *text, size_t len, int first_line)
{
	struct warn_ctx w = {path, first_line, 0};
	if (!has_braces(text, len, '\0'))
		return 0;
	each_shortcode_line(text, len, warn_line, &w);
	return w.count;
}

struct esc_ctx {
	const char *text, *done; /* copied up to done */
	struct buf *out;
	int changed;
};

static void
escape_line(void *payload, size_t lineno, const char *l, const char *le)
{
	struct esc_ctx *e = payload;
	(void)lineno;
	for (const char *q = shortcode_in(l, le); q != NULL; q = shortcode_in(q + 3, le)) {
		/* Only `{{<` before a letter or `/`+letter starts what cmark reads as a tag. */
		if (q[2] != '<' || q + 3 >= le || !(isalpha((unsigned char)q[3]) || q[3] == '/'))
			continue;
		buf_add(e->out, e->done, (size_t)(q + 2 - e->done));
		buf_putc(e->out, '\\');
		e->done = q + 2;
		e->changed = 1;
	}
}

int
hugo_shortcodes_escape(const char *text, size_t len, struct buf *out)
{
	if (!has_braces(text, len, '<'))
		return 0;
	struct esc_ctx e = {text, text, out, 0};
	each_shortcode_line(text, len, escape_line, &e); /* appends only once it escapes */
	if (!e.changed)
		return 0;
	buf_add(out, e.done, (size_t)(text + len - e.done));
	return 1;
}
