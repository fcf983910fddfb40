/* suggest: the closest name by Damerau–Levenshtein distance (see suggest.h). */
#include "suggest.h"

#include <string.h>

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;
	return m < c ? m : c;
}

size_t
suggest_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	/* Three rows: the swap of two neighbours looks two rows back. */
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SUGGEST_MAX_LEN;
	size_t *back = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ca = fold((unsigned char)a[i - 1]), cb = fold((unsigned char)b[j - 1]);
			size_t d = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb));
			if (i > 1 && j > 1 && ca == fold((unsigned char)b[j - 2]) &&
			    fold((unsigned char)a[i - 2]) == cb && back[j - 2] + 1 < d)
				d = back[j - 2] + 1;
			cur[j] = d;
		}
		size_t *t = back;
		back = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

static int
starts_with_folded(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (*s == '\0' || fold((unsigned char)*s) != fold((unsigned char)*prefix))
			return 0;
	return 1;
}

void
suggest_add(struct suggest *sg, const char *candidate)
{
	if (sg->word == NULL || candidate == NULL || strcmp(sg->word, candidate) == 0)
		return;
	size_t len = strlen(sg->word);
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	size_t d = suggest_distance(sg->word, candidate);
	/* A word that starts a candidate counts as close as the limit allows, so a real typo nearer
	 * to another name still wins. */
	if (d > limit && len >= 3 && starts_with_folded(candidate, sg->word))
		d = limit;
	if (d <= limit && d < sg->best_distance) {
		sg->best = candidate;
		sg->best_distance = d;
	}
}

const char *
suggest_best(const struct suggest *sg)
{
	return sg->best;
}

const char *
suggest_closest(const char *word, const char *const *names)
{
	struct suggest sg = SUGGEST_INIT(word);
	for (size_t i = 0; names != NULL && names[i] != NULL; i++)
		suggest_add(&sg, names[i]);
	return suggest_best(&sg);
}
