/* deps: the record of what each output was made from, and the test of its freshness. */
#include "deps.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "util/sort.h"
#include "util/xalloc.h"

uint64_t
deps_hash(uint64_t h, const void *data, size_t n)
{
	/* The running hash seeds the next: a chain, in which order and boundaries count. */
	return XXH3_64bits_withSeed(data, n, h);
}

uint64_t
deps_hash_str(uint64_t h, const char *s)
{
	return s ? deps_hash(h, s, strlen(s) + 1) : deps_hash(h, "\xff", 1);
}

uint64_t
deps_hash_u64(uint64_t h, uint64_t v)
{
	return deps_hash(h, &v, sizeof v);
}

static void
entry_free(struct deps_entry *e)
{
	if (e != NULL)
		free(e->templates);
	free(e);
}

void
deps_free(struct deps *d)
{
	for (size_t i = 0; i < d->by_out.cap; i++)
		if (d->by_out.keys[i] != NULL)
			entry_free(d->by_out.vals[i]);
	map_free(&d->by_out);
}

void
deps_set(struct deps *d, const char *out, uint64_t facts, const char *templates, uint64_t tmpl_fp)
{
	struct deps_entry *e = xcalloc(1, sizeof *e);
	e->facts = facts;
	e->tmpl_fp = tmpl_fp;
	e->templates = xstrdup(templates ? templates : "");
	entry_free(map_put(&d->by_out, out, e));
}

const struct deps_entry *
deps_get(const struct deps *d, const char *out)
{
	return map_get(&d->by_out, out);
}

int
deps_fresh(const struct deps *d, const char *out, uint64_t facts,
           uint64_t (*tmpl_fp)(void *payload, const char *names), void *payload)
{
	const struct deps_entry *e = map_get(&d->by_out, out);
	return e != NULL && e->facts == facts && tmpl_fp(payload, e->templates) == e->tmpl_fp;
}

/* A line: OUT \t FACTS \t TMPL_FP \t NAME|NAME|… (hex fingerprints). A template name holding
 * '|' reads back as other names, which fingerprint otherwise: the output is then stale, never
 * wrongly fresh. */
void
deps_load(struct deps *d, const char *text, size_t len)
{
	deps_free(d);
	char *copy = xstrndup(text ? text : "", text ? len : 0), *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[4] = {0}, *s2 = NULL;
		size_t n = 0;
		for (char *t = strtok_r(line, "\t", &s2); t && n < 4; t = strtok_r(NULL, "\t", &s2))
			f[n++] = t;
		if (n < 3)
			continue;
		char *end1, *end2;
		uint64_t facts = strtoull(f[1], &end1, 16), fp = strtoull(f[2], &end2, 16);
		if (*end1 != '\0' || *end2 != '\0' || strlen(f[1]) != 16 || strlen(f[2]) != 16)
			continue;
		struct buf names = BUF_INIT;
		for (char *c = f[3]; c && *c; c++)
			buf_putc(&names, *c == '|' ? '\n' : *c);
		if (f[3] && *f[3])
			buf_putc(&names, '\n');
		deps_set(d, f[0], facts, buf_str(&names), fp);
		buf_free(&names);
	}
	free(copy);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
deps_save(const struct deps *d, struct buf *out)
{
	char **keys = xcalloc(d->by_out.len + 1, sizeof *keys);
	size_t n = 0;
	for (size_t i = 0; i < d->by_out.cap; i++)
		if (d->by_out.keys[i] != NULL)
			keys[n++] = d->by_out.keys[i];
	qsort(keys, n, sizeof *keys, cmp_str);
	for (size_t i = 0; i < n; i++) {
		const struct deps_entry *e = map_get(&d->by_out, keys[i]);
		buf_printf(out, "%s\t%016" PRIx64 "\t%016" PRIx64 "\t", keys[i], e->facts, e->tmpl_fp);
		size_t tl = strlen(e->templates);
		for (size_t k = 0; k < tl; k++)
			if (!(k + 1 == tl && e->templates[k] == '\n'))
				buf_putc(out, e->templates[k] == '\n' ? '|' : e->templates[k]);
		buf_putc(out, '\n');
	}
	free(keys);
}
