/* store_pages.c: a long product list held as the pages fetched so far. */
#include "screens/store_pages.h"

#include <stdlib.h>

void store_pages_init(struct store_pages *p, int per_page, int max_cached)
{
    *p = (struct store_pages){.total = -1, .per_page = per_page, .max_cached = max_cached};
}

void store_pages_clear(struct store_pages *p)
{
    for (int i = 0; i < p->n_pages; i++)
        product_page_free(&p->pages[i]);
    free(p->pages);
    store_pages_init(p, p->per_page, p->max_cached);
}

int store_pages_page_of(const struct store_pages *p, int index)
{
    return index / p->per_page + 1;
}

bool store_pages_has(const struct store_pages *p, int page)
{
    return page >= 1 && page <= p->n_pages && p->pages[page - 1];
}

/* Keeps the cache bounded: drops the held page farthest from `near`'s. */
static void store_pages_evict(struct store_pages *p, int near)
{
    int at = store_pages_page_of(p, near), far = -1, dist = -1;
    for (int i = 0; i < p->n_pages; i++) {
        int d = abs(i + 1 - at);
        if (p->pages[i] && d > dist) {
            far = i;
            dist = d;
        }
    }
    if (far >= 0) {
        product_page_free(&p->pages[far]);
        p->cached--;
    }
}

static int store_pages_shape(struct store_pages *p, const struct page_meta *m)
{
    int per_page = m->per_page > 0 ? m->per_page : p->per_page;
    int n = m->total > 0 ? (m->total + per_page - 1) / per_page : 0;
    struct product_page **pages = n ? calloc((size_t)n, sizeof *pages) : NULL;
    if (n && !pages)
        return -1;
    store_pages_clear(p);
    p->pages = pages;
    p->n_pages = n;
    p->per_page = per_page;
    p->total = m->total > 0 ? m->total : 0;
    return 0;
}

int store_pages_put(struct store_pages *p, struct product_page **page, int near)
{
    struct product_page *pg = *page;
    int i = pg->meta.current_page - 1;
    *page = NULL;
    if (p->total != pg->meta.total || (pg->meta.per_page > 0 && pg->meta.per_page != p->per_page))
        if (store_pages_shape(p, &pg->meta) != 0) {
            product_page_free(&pg);
            return -1;
        }
    if (i < 0 || i >= p->n_pages) {
        product_page_free(&pg);
        return 0;
    }
    if (p->pages[i]) {
        product_page_free(&p->pages[i]);
        p->cached--;
    }
    p->pages[i] = pg;
    p->cached++;
    while (p->max_cached > 0 && p->cached > p->max_cached)
        store_pages_evict(p, near);
    return 0;
}

const struct product *store_pages_get(const struct store_pages *p, int index)
{
    if (index < 0 || index >= p->total)
        return NULL;
    const struct product_page *pg = p->pages[index / p->per_page];
    size_t at = (size_t)(index % p->per_page);
    return pg && at < pg->n ? &pg->items[at] : NULL;
}

int store_pages_wanted(const struct store_pages *p, int first, int last, int near)
{
    if (p->total < 0)
        return 1;
    if (first < 0)
        first = 0;
    if (last >= p->total)
        last = p->total - 1;
    if (first > last)
        return 0;
    int lo = store_pages_page_of(p, first), hi = store_pages_page_of(p, last);
    int at = store_pages_page_of(p, near < first ? first : near > last ? last : near);
    /* Outward from the customer's page: what is under the cursor first. */
    for (int d = 0; at - d >= lo || at + d <= hi; d++) {
        if (at + d <= hi && !store_pages_has(p, at + d))
            return at + d;
        if (d > 0 && at - d >= lo && !store_pages_has(p, at - d))
            return at - d;
    }
    return 0;
}
