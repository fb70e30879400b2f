/* store_pages.h: a long product list held as the pages fetched so far, asked for as they come
 * into view. */
#ifndef SETT_SCREENS_STORE_PAGES_H
#define SETT_SCREENS_STORE_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "client/types.h"

struct store_pages {
    int total;    /* products in the list; -1 until the first page says */
    int per_page; /* what the server counted with */
    int n_pages;
    struct product_page **pages; /* n_pages slots, NULL while not fetched */
    int cached;                  /* pages held */
    int max_cached;              /* beyond this the page farthest from `near` is dropped */
};

void store_pages_init(struct store_pages *p, int per_page, int max_cached);
/* Drops every page; the total is unknown again. */
void store_pages_clear(struct store_pages *p);
/* Takes `page` (and clears the caller's pointer). A total that changed since the first page
 * drops the pages held before. `near` is the index the customer is at. 0, or -1 when out of
 * memory (the page is freed). */
int store_pages_put(struct store_pages *p, struct product_page **page, int near);
/* The product at `index`, or NULL while its page is not here. */
const struct product *store_pages_get(const struct store_pages *p, int index);
/* The 1-based page holding `index`. */
int store_pages_page_of(const struct store_pages *p, int index);
bool store_pages_has(const struct store_pages *p, int page);
/* The page to fetch for the products first..last (inclusive): the missing one nearest to
 * `near`, or 0 when they are all here. */
int store_pages_wanted(const struct store_pages *p, int first, int last, int near);

#endif
