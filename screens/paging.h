/* paging.h: lists that arrive a page at a time, moved onto the screen's own array. */
#ifndef SETT_SCREENS_PAGING_H
#define SETT_SCREENS_PAGING_H

#include <stddef.h>

#include "client/types.h"

/* Appends `count` elements of `elem` bytes from `src` to the array *items of *n elements,
 * growing it. Afterwards they belong to *items: the caller sets the page's count to 0 before
 * freeing the page. 0, or -1 when out of memory (nothing moved). */
int paging_append(void **items, size_t *n, const void *src, size_t count, size_t elem);
/* The page to ask for after this one, or 0 when it was the last one or `max_pages` is reached. */
int paging_next(const struct page_meta *m, size_t got, int max_pages);

#endif
