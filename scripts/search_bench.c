/* search_bench: what the search index costs, phase by phase, on one core, next to the floor
 * that no index built from ICU word breaks and Snowball stems can go below. A benchmark, not a
 * test: it prints figures (make search-bench; SITE=… to choose the site, the bench corpus by
 * default). It reads the site's Markdown files directly (of the front matter only the title,
 * the text as written), so the figures leave out rendering, fragments and writing files. As in
 * a build, the title and the headings ("#" lines) are their own fields: their words are shown,
 * which gets them transliterated (search_write), a cost running text alone would not show.
 * Usage: search-bench CONTENT_DIR [DEFAULT_LANG] */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libstemmer.h>

#include "i18n.h"
#include "search.h"
#include "util/buf.h"
#include "util/xalloc.h"

struct file {
	char *lang, *title, *text;
	size_t len;
};

static struct file *files;
static size_t nfiles, capfiles;
static const char *deflang = "en";

static double
cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* NAME.LANG.md: LANG; NAME.md: the default. */
static char *
lang_of(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	const char *d1 = strchr(b, '.'), *d2 = strrchr(b, '.');
	if (d1 != NULL && d2 != NULL && d1 < d2 && d2 - d1 - 1 < 16)
		return xstrndup(d1 + 1, (size_t)(d2 - d1 - 1));
	return xstrdup(deflang);
}

static int
take(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t n = strlen(path);
	if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".md") != 0)
		return 0;
	struct buf b = BUF_INIT;
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return 0;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, k);
	fclose(f);
	const char *t = buf_str(&b), *body = t;
	char *title = NULL;
	if (strncmp(t, "---\n", 4) == 0) {
		const char *e = strstr(t + 4, "\n---\n");
		if (e != NULL) {
			body = e + 5;
			const char *ti = strstr(t + 3, "\ntitle:");
			if (ti != NULL && ti < e) {
				ti += 7;
				ti += strspn(ti, " \"'");
				size_t tn = strcspn(ti, "\n");
				while (tn > 0 && (ti[tn - 1] == '"' || ti[tn - 1] == '\'' || ti[tn - 1] == ' '))
					tn--;
				title = xstrndup(ti, tn);
			}
		}
	}
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 1024;
		files = xrealloc(files, capfiles * sizeof *files);
	}
	files[nfiles++] = (struct file){lang_of(path), title, xstrdup(body), strlen(body)};
	buf_free(&b);
	return 0;
}

static int
cmp_file(const void *a, const void *b)
{
	const struct file *x = a, *y = b;
	int c = strcmp(x->lang, y->lang);
	return c != 0 ? c : strcmp(x->text, y->text);
}

/* A file's texts as a build gives them: the title, each heading, the body between. */
static void
add_file(struct search_extractor *x, const struct file *f, struct i18n_locale *loc)
{
	if (f->title != NULL)
		search_doc_add(x, f->title, strlen(f->title), SEARCH_TITLE, f->lang, loc);
	const char *s = f->text, *end = s + f->len, *body = s;
	while (s < end) {
		const char *e = memchr(s, '\n', (size_t)(end - s));
		e = e ? e : end;
		if (*s == '#') {
			if (s > body)
				search_doc_add(x, body, (size_t)(s - body), SEARCH_BODY, f->lang, loc);
			const char *h = s + strspn(s, "#");
			if (h < e)
				search_doc_add(x, h, (size_t)(e - h), SEARCH_HEADING, f->lang, loc);
			body = e < end ? e + 1 : end;
		}
		s = e < end ? e + 1 : end;
	}
	if (end > body)
		search_doc_add(x, body, (size_t)(end - body), SEARCH_BODY, f->lang, loc);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A set of (language, word) for counting distinct words and stemming each once. */
static char **set;
static size_t setcap = 1u << 24, nset;
static size_t ntokens;
static const char *cur_lang;

static void
no_word(void *payload, const char *w, size_t n)
{
	(void)payload;
	(void)w;
	(void)n;
	ntokens++;
}

static void
set_word(void *payload, const char *w, size_t n)
{
	(void)payload;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	for (const char *l = cur_lang; *l; l++)
		h = (h ^ (unsigned char)*l) * 16777619u;
	size_t j = h & (setcap - 1);
	size_t ll = strlen(cur_lang);
	for (; set[j] != NULL; j = (j + 1) & (setcap - 1))
		if (strncmp(set[j], cur_lang, ll) == 0 && set[j][ll] == '\t' &&
		    strncmp(set[j] + ll + 1, w, n) == 0 && set[j][ll + 1 + n] == '\0')
			return;
	if ((nset + 1) * 2 > setcap)
		return; /* full: counted no more */
	set[j] = xasprintf("%s\t%.*s", cur_lang, (int)n, w);
	nset++;
}

static size_t out_bytes, out_files;

static void
count_out(void *payload, const char *name, const struct buf *json)
{
	(void)payload;
	(void)name;
	out_bytes += json->len;
	out_files++;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: search-bench CONTENT_DIR [DEFAULT_LANG]\n");
		return 2;
	}
	if (argc > 2)
		deflang = argv[2];
	if (nftw(argv[1], take, 32, FTW_PHYS) != 0) {
		perror(argv[1]);
		return 1;
	}
	qsort(files, nfiles, sizeof *files, cmp_file);
	size_t bytes = 0;
	for (size_t i = 0; i < nfiles; i++)
		bytes += files[i].len;
	struct i18n_locale *loc = NULL;
	const char *loc_lang = "";
	/* 1. ICU word breaks alone. */
	double t0 = cpu();
	for (size_t i = 0; i < nfiles; i++) {
		if (strcmp(files[i].lang, loc_lang) != 0) {
			i18n_locale_free(loc);
			loc = i18n_locale_new(files[i].lang);
			loc_lang = files[i].lang;
		}
		i18n_words(loc, files[i].text, files[i].len, no_word, NULL);
	}
	double t_break = cpu() - t0;
	/* 2. Snowball over each distinct word once (the set is made outside the timing). */
	set = xcalloc(setcap, sizeof *set);
	for (size_t i = 0; i < nfiles; i++) {
		if (strcmp(files[i].lang, loc_lang) != 0) {
			i18n_locale_free(loc);
			loc = i18n_locale_new(files[i].lang);
			loc_lang = files[i].lang;
		}
		cur_lang = files[i].lang;
		i18n_words(loc, files[i].text, files[i].len, set_word, NULL);
	}
	/* Grouped by language outside the timing; each group stemmed with its stemmer. */
	char **words = xcalloc(nset + 1, sizeof *words);
	size_t nw = 0;
	for (size_t j = 0; j < setcap; j++)
		if (set[j] != NULL)
			words[nw++] = set[j];
	qsort(words, nw, sizeof *words, cmp_str);
	double t_stem = 0;
	for (size_t i = 0, j; i < nw; i = j) {
		size_t k = strcspn(words[i], "\t");
		for (j = i + 1; j < nw && strncmp(words[j], words[i], k + 1) == 0; j++)
			;
		char code[16];
		snprintf(code, sizeof code, "%.*s", (int)strcspn(words[i], "-_\t"), words[i]);
		struct sb_stemmer *sb = sb_stemmer_new(code, "UTF_8");
		if (sb == NULL)
			continue;
		double a = cpu();
		for (size_t w = i; w < j; w++) {
			const char *word = words[w] + k + 1;
			sb_stemmer_stem(sb, (const sb_symbol *)word, (int)strlen(word));
		}
		t_stem += cpu() - a;
		sb_stemmer_delete(sb);
	}
	free(words);
	/* 3. The extractor: words, stems, folding, each document's terms. 4. The indexes. */
	double t_extract = 0, t_index = 0;
	struct search_extractor *x = search_extractor_new();
	for (size_t i = 0; i < nfiles;) {
		size_t j = i;
		while (j < nfiles && strcmp(files[j].lang, files[i].lang) == 0)
			j++;
		i18n_locale_free(loc);
		loc = i18n_locale_new(files[i].lang);
		struct search_doc **docs = xcalloc(j - i + 1, sizeof *docs);
		double a = cpu();
		for (size_t k = i; k < j; k++) {
			search_doc_begin(x);
			add_file(x, &files[k], loc);
			docs[k - i] = search_doc_end(x);
		}
		double b = cpu();
		struct search_index *ix = search_new(files[i].lang);
		for (size_t k = i; k < j; k++)
			search_put(ix, (uint32_t)(k - i), docs[k - i]);
		search_write(ix, j - i, 0, 0, 0, count_out, NULL);
		search_free(ix);
		double c = cpu();
		t_extract += b - a;
		t_index += c - b;
		for (size_t k = i; k < j; k++)
			search_doc_free(docs[k - i]);
		free(docs);
		i = j;
	}
	search_extractor_free(x);
	i18n_locale_free(loc);
	printf("search-bench: %zu files, %.1f MB of text, %zu words, %zu distinct (language, word)\n",
	       nfiles, (double)bytes / 1e6, ntokens, nset);
	printf("  floor:   ICU word breaks          %7.2f s cpu\n", t_break);
	printf("  floor:   Snowball, once per word  %7.2f s cpu\n", t_stem);
	printf("  extract: breaks, stems, folding   %7.2f s cpu\n", t_extract);
	printf("  index:   sort, forms, JSON        %7.2f s cpu  (%zu pieces, %.1f MB)\n", t_index,
	       out_files, (double)out_bytes / 1e6);
	for (size_t j = 0; j < setcap; j++)
		free(set[j]);
	free(set);
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].lang);
		free(files[i].title);
		free(files[i].text);
	}
	free(files);
	return 0;
}
