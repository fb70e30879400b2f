/* paging.c: lists that arrive a page at a time, moved onto the screen's own array. */
#include "screens/paging.h"

#include <stdlib.h>
#include <string.h>

int paging_append(void **items, size_t *n, const void *src, size_t count, size_t elem)
{
    if (count == 0)
        return 0;
    char *grown = realloc(*items, (*n + count) * elem);
    if (!grown)
        return -1;
    memcpy(grown + *n * elem, src, count * elem);
    *items = grown;
    *n += count;
    return 0;
}

int paging_next(const struct page_meta *m, size_t got, int max_pages)
{
    int next = m->current_page + 1;
    return got > 0 && next <= m->total_pages && next <= max_pages ? next : 0;
}
