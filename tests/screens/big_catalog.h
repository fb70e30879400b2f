/* big_catalog.h: a generated catalog of thousands of products, for paging tests and benchmarks. */
#ifndef SETT_SCREENS_BIG_CATALOG_H
#define SETT_SCREENS_BIG_CATALOG_H

/* Product n (1-based, in the API's order) is named "Server NNNNN" (five digits), with slug
 * "srv-NNNNN"; its short description holds the word "kestrel" when n is a multiple of 100. */
#define BIG_CATALOG_NAME_FMT "Server %05d"

/* Writes `categories` categories of `per_category` products each as a catalog file at `path`
 * (sett-billingd --catalog). 0, or -1 with the reason on stderr. */
int big_catalog_write(const char *path, int categories, int per_category);

#endif
