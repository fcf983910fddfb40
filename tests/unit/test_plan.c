/* Tests for plan: the related candidates of each resource (plan_related, ranked once per distinct
 * set of topics) are those of the plain count over every group of every topic of each resource,
 * on random sites: random topics (some resources with many, some with none, a topic named twice),
 * dates with many ties, parts and non-resource types left out, several sizes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "test.h"
#include "types.h"
#include "util/xalloc.h"

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* The plain count, as plan did it before: one pass over every group of every topic of g. */
static int
better(const unsigned *shared, const struct group *o, const struct group *b)
{
	if (shared[o->idx] != shared[b->idx])
		return shared[o->idx] > shared[b->idx];
	if (o->primary->ts != b->primary->ts)
		return o->primary->ts > b->primary->ts;
	return o->idx < b->idx;
}

static struct group **test_groups;

static size_t
brute(const struct group *g, size_t topics, unsigned *shared, size_t ngroups,
      struct group **best)
{
	size_t nb = 0;
	for (struct term **tp = g->primary->terms ? g->primary->terms[topics] : NULL; tp && *tp; tp++)
		for (size_t k = 0; k < (*tp)->ngroups; k++)
			shared[(*tp)->groups[k]->idx]++;
	/* every group touched, in index order (the order does not change the best few) */
	for (size_t k = 0; k < ngroups; k++) {
		struct group *o = test_groups[k];
		if (shared[o->idx] == 0 || o == g || o->parent != NULL ||
		    (o->type != NULL && !o->type->resource))
			continue;
		if (nb == PLAN_RELATED_CANDIDATES && !better(shared, o, best[nb - 1]))
			continue;
		size_t at = nb < PLAN_RELATED_CANDIDATES ? nb++ : nb - 1;
		while (at > 0 && better(shared, o, best[at - 1])) {
			best[at] = best[at - 1];
			at--;
		}
		best[at] = o;
	}
	memset(shared, 0, ngroups * sizeof *shared);
	return nb;
}

static void
check_site(size_t ngroups, size_t nterms, unsigned maxtopics, unsigned nts, int nthreads)
{
	struct ctype res = {.name = "r", .resource = 1}, other = {.name = "o", .resource = 0};
	struct group *gs = xcalloc(ngroups, sizeof *gs);
	struct page *ps = xcalloc(ngroups, sizeof *ps);
	struct term *ts = xcalloc(nterms, sizeof *ts);
	test_groups = xcalloc(ngroups, sizeof *test_groups);
	struct group **resources = xcalloc(ngroups + 1, sizeof *resources);
	size_t nres = 0;
	/* a shared pool of topic sets, so that many resources have the same one */
	for (size_t i = 0; i < ngroups; i++) {
		struct group *g = &gs[i];
		struct page *p = &ps[i];
		test_groups[i] = g;
		g->idx = i;
		g->primary = p;
		p->ts = (int64_t)rnd(nts);
		unsigned r = rnd(10);
		if (r == 0 && i > 0)
			g->parent = &gs[rnd((unsigned)i)];
		else if (r == 1)
			g->type = &other;
		else if (r < 5)
			g->type = &res;
		unsigned n = rnd(10) == 0 ? rnd(maxtopics * 3 + 1) : rnd(maxtopics + 1);
		if (n > nterms * 2)
			n = (unsigned)nterms * 2;
		p->terms = xcalloc(2, sizeof *p->terms);
		p->terms[0] = xcalloc(1, sizeof **p->terms); /* another taxonomy: none */
		p->terms[1] = xcalloc(n + 1, sizeof **p->terms);
		for (unsigned k = 0; k < n; k++) {
			struct term *t = &ts[rnd((unsigned)nterms)];
			int dup = 0;
			for (unsigned j = 0; j < k; j++)
				dup |= p->terms[1][j] == t;
			if (dup && rnd(8) != 0)
				continue; /* now and then a topic named twice */
			p->terms[1][k] = t;
		}
		/* compact out the skipped slots */
		unsigned m = 0;
		for (unsigned k = 0; k < n; k++)
			if (p->terms[1][k] != NULL)
				p->terms[1][m++] = p->terms[1][k];
		p->terms[1][m] = NULL;
		if (g->parent == NULL && g->type != &other && rnd(6) != 0)
			resources[nres++] = g;
	}
	/* each term's groups: those whose primary names it, in group order, and some whose other
	 * versions do */
	for (size_t i = 0; i < ngroups; i++) {
		for (struct term **tp = ps[i].terms[1]; *tp; tp++) {
			int seen = 0;
			for (struct term **up = ps[i].terms[1]; up < tp; up++)
				seen |= *up == *tp;
			if (!seen) {
				struct term *t = *tp;
				t->groups = xrealloc(t->groups, (t->ngroups + 1) * sizeof *t->groups);
				t->groups[t->ngroups++] = &gs[i];
			}
		}
		if (rnd(20) == 0) {
			struct term *t = &ts[rnd((unsigned)nterms)];
			if (t->ngroups == 0 || t->groups[t->ngroups - 1] != &gs[i]) {
				t->groups = xrealloc(t->groups, (t->ngroups + 1) * sizeof *t->groups);
				t->groups[t->ngroups++] = &gs[i];
			}
		}
	}
	struct group ***rel = plan_related(resources, nres, 1, ngroups, nthreads);
	unsigned *shared = xcalloc(ngroups, sizeof *shared);
	int same = 1;
	size_t full = 0;
	for (size_t i = 0; i < nres; i++) {
		struct group *best[PLAN_RELATED_CANDIDATES] = {0};
		size_t nb = brute(resources[i], 1, shared, ngroups, best);
		struct group **got = rel[resources[i]->idx];
		size_t ng = 0;
		while (got != NULL && got[ng] != NULL)
			ng++;
		if (got == NULL || ng != nb || memcmp(got, best, nb * sizeof *best) != 0)
			same = 0;
		full += nb == PLAN_RELATED_CANDIDATES;
	}
	CHECK(same);
	CHECK(nres == 0 || full > 0 || ngroups < 20);
	for (size_t i = 0; i < ngroups; i++) {
		if (rel[i] != NULL) {
			int is_res = 0;
			for (size_t k = 0; k < nres; k++)
				is_res |= resources[k] == &gs[i];
			CHECK(is_res);
		}
		free(rel[i]);
		free(ps[i].terms[0]);
		free(ps[i].terms[1]);
		free(ps[i].terms);
	}
	free(rel);
	free(shared);
	for (size_t t = 0; t < nterms; t++)
		free(ts[t].groups);
	free(ts);
	free(ps);
	free(gs);
	free(test_groups);
	free(resources);
}

TEST(test_related_matches_plain_count)
{
	static const struct {
		size_t ngroups, nterms;
		unsigned maxtopics, nts;
		int nthreads;
	} cases[] = {
	    {0, 1, 2, 3, 1},     {1, 1, 2, 3, 1},      {5, 2, 2, 2, 2},     {40, 3, 2, 3, 1},
	    {200, 10, 3, 5, 2},  {500, 4, 4, 2, 3},    {800, 40, 6, 50, 2}, {1500, 10, 3, 1, 2},
	    {2000, 200, 12, 1000, 2}, {3000, 10, 3, 20, 1},
	};
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
		for (int rep = 0; rep < 3; rep++)
			check_site(cases[c].ngroups, cases[c].nterms, cases[c].maxtopics, cases[c].nts,
			           cases[c].nthreads);
}

int
main(void)
{
	RUN(test_related_matches_plain_count);
	return TEST_END();
}
