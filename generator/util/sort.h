/* sort: qsort that accepts an empty (possibly NULL) array, which qsort itself does not. */
#ifndef SATCHEL_SORT_H
#define SATCHEL_SORT_H

#include <stdlib.h>

static inline void
sort_array(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

#endif
