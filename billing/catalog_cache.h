/* catalog_cache.h: the public catalog's answers kept serialized in memory, each with an ETag, and
 * valid while the database's catalog generation (migration 6's triggers) stays the same. */
#ifndef SETT_BILLING_CATALOG_CACHE_H
#define SETT_BILLING_CATALOG_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "billing/request.h"

struct catalog_cache;

/* A cache of at most max_entries answers and max_bytes bytes (keys and bodies), least recently
 * used dropped first. NULL when out of memory. */
struct catalog_cache *catalog_cache_new(size_t max_entries, size_t max_bytes);
void catalog_cache_free(struct catalog_cache **cache);

/* Fills rep with a fresh answer read from conn (held by the caller, inside a read transaction). */
typedef void catalog_build_fn(sqlite3 *conn, struct request *req, struct reply *rep, void *ctx);

/* Answers the request from the cache when `key` (everything the answer depends on but the
 * database) has an answer of the current generation; otherwise builds it with `build` and keeps
 * it when it is a 200. Either way a 200 carries its ETag and If-None-Match is answered with 304. */
void catalog_cache_serve(struct request *req, struct reply *rep, const char *key,
                         catalog_build_fn *build, void *ctx);

/* Counters for tests and benchmarks: answers served from memory and built. */
void catalog_cache_stats(struct catalog_cache *cache, uint64_t *hits, uint64_t *misses);

#endif
