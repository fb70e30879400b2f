/* catalog_cache.c: serialized catalog answers by request, LRU-bounded, checked against the
 * database's catalog generation on every request. */
#include "billing/catalog_cache.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "billing/app.h"
#include "billing/db.h"

#define ETAG_SIZE 36 /* '"' + 32 hex digits + '"' + NUL */
#define JSON_TYPE "application/json; charset=utf-8"

struct cache_entry {
    struct cache_entry *prev, *next; /* most recently used first */
    uint64_t hash;
    char *key;
    char *body;
    size_t len;
    char etag[ETAG_SIZE];
};

struct catalog_cache {
    pthread_mutex_t lock;
    int64_t generation; /* of every entry held */
    struct cache_entry *head, *tail;
    size_t n, bytes, max_entries, max_bytes;
    uint64_t hits, misses;
};

struct catalog_cache *catalog_cache_new(size_t max_entries, size_t max_bytes)
{
    struct catalog_cache *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    c->max_entries = max_entries;
    c->max_bytes = max_bytes;
    return c;
}

static size_t entry_bytes(const struct cache_entry *e)
{
    return sizeof *e + strlen(e->key) + 1 + e->len;
}

static void cache_unlink(struct catalog_cache *c, struct cache_entry *e)
{
    if (e->prev)
        e->prev->next = e->next;
    else
        c->head = e->next;
    if (e->next)
        e->next->prev = e->prev;
    else
        c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void cache_push_front(struct catalog_cache *c, struct cache_entry *e)
{
    e->next = c->head;
    e->prev = NULL;
    if (c->head)
        c->head->prev = e;
    c->head = e;
    if (!c->tail)
        c->tail = e;
}

static void cache_drop(struct catalog_cache *c, struct cache_entry *e)
{
    cache_unlink(c, e);
    c->n--;
    c->bytes -= entry_bytes(e);
    free(e->key);
    free(e->body);
    free(e);
}

static void cache_flush(struct catalog_cache *c)
{
    while (c->head)
        cache_drop(c, c->head);
}

void catalog_cache_free(struct catalog_cache **pc)
{
    if (!pc || !*pc)
        return;
    cache_flush(*pc);
    pthread_mutex_destroy(&(*pc)->lock);
    free(*pc);
    *pc = NULL;
}

void catalog_cache_stats(struct catalog_cache *c, uint64_t *hits, uint64_t *misses)
{
    pthread_mutex_lock(&c->lock);
    *hits = c->hits;
    *misses = c->misses;
    pthread_mutex_unlock(&c->lock);
}

/* FNV-1a: only to skip most key comparisons; equal keys are still compared in full. */
static uint64_t key_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;

    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return h;
}

/* Entries of older generations are gone once a newer one is seen; an answer built from an older
 * snapshot than the entries held is not kept. Returns whether `generation` is the current one. */
static bool cache_advance(struct catalog_cache *c, int64_t generation)
{
    if (generation > c->generation) {
        cache_flush(c);
        c->generation = generation;
    }
    return generation == c->generation;
}

static struct cache_entry *cache_find(struct catalog_cache *c, const char *key, uint64_t hash)
{
    for (struct cache_entry *e = c->head; e; e = e->next)
        if (e->hash == hash && strcmp(e->key, key) == 0)
            return e;
    return NULL;
}

static void cache_store(struct catalog_cache *c, int64_t generation, const char *key, uint64_t hash,
                        const char *body, size_t len, const char *etag)
{
    struct cache_entry *e, *old;
    size_t size;

    if (!cache_advance(c, generation))
        return;
    if ((old = cache_find(c, key, hash)))
        cache_drop(c, old);
    e = calloc(1, sizeof *e);
    if (!e || !(e->key = strdup(key)) || !(e->body = malloc(len))) {
        if (e)
            free(e->key);
        free(e);
        return;
    }
    memcpy(e->body, body, len);
    e->len = len;
    e->hash = hash;
    memcpy(e->etag, etag, ETAG_SIZE);
    size = entry_bytes(e);
    /* One answer may take at most a quarter of the budget, so a few huge ones cannot evict all. */
    if (size > c->max_bytes / 4) {
        free(e->key);
        free(e->body);
        free(e);
        return;
    }
    while (c->tail && (c->n + 1 > c->max_entries || c->bytes + size > c->max_bytes))
        cache_drop(c, c->tail);
    cache_push_front(c, e);
    c->n++;
    c->bytes += size;
}

/* The strong ETag of a body: 128 bits of BLAKE2b, so equal bytes keep their tag across
 * generations and a client's copy revalidates as long as it is right. */
static void etag_of(const char *body, size_t len, char etag[ETAG_SIZE])
{
    unsigned char digest[16];

    crypto_generichash(digest, sizeof digest, (const unsigned char *)body, len, NULL, 0);
    etag[0] = '"';
    sodium_bin2hex(etag + 1, 33, digest, sizeof digest);
    etag[33] = '"';
    etag[34] = '\0';
}

/* If-None-Match (RFC 9110 13.1.2): "*" or a list of tags, compared weakly (W/ ignored). */
static bool etag_matches(const char *header, const char *etag)
{
    size_t n = strlen(etag);
    const char *p = header;

    while (p && *p) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || strchr(" \t,", p[n])))
            return true;
        p = strchr(p, ',');
    }
    return false;
}

/* The answer to send: the body (taken) or 304, with the tag. */
static void cache_reply(struct request *req, struct reply *rep, char *body, size_t len,
                        const char *etag)
{
    const char *inm = request_header(req, "If-None-Match");

    if (inm && etag_matches(inm, etag)) {
        free(body);
        reply_empty(rep, 304);
    } else {
        reply_raw(rep, 200, JSON_TYPE, body, len);
    }
    reply_header(rep, "ETag", "%s", etag);
    reply_header(rep, "Cache-Control", "no-cache");
}

/* Reads a fresh answer and its generation in one snapshot. */
static int cache_build(struct request *req, struct reply *rep, catalog_build_fn *build, void *ctx,
                       int64_t *generation)
{
    struct db *db = req->app->db;
    sqlite3 *conn = db_acquire(db);
    int rc = -1;

    if (db_exec(conn, "BEGIN") == 0 && db_generation_read(conn, NULL, generation) == 0) {
        build(conn, req, rep, ctx);
        rc = 0;
    }
    db_rollback(conn); /* read only: ending it either way */
    db_release(db);
    return rc;
}

void catalog_cache_serve(struct request *req, struct reply *rep, const char *key,
                         catalog_build_fn *build, void *ctx)
{
    struct db *db = req->app->db;
    struct catalog_cache *c = db_catalog_cache(db);
    uint64_t hash = key_hash(key);
    struct cache_entry *e;
    char etag[ETAG_SIZE], *body = NULL, *text;
    size_t len = 0;
    int64_t generation = 0;

    if (db_catalog_generation(db, &generation) != 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    pthread_mutex_lock(&c->lock);
    if (cache_advance(c, generation) && (e = cache_find(c, key, hash))) {
        cache_unlink(c, e);
        cache_push_front(c, e);
        memcpy(etag, e->etag, ETAG_SIZE);
        len = e->len;
        if ((body = malloc(len)))
            memcpy(body, e->body, len);
        c->hits++;
        pthread_mutex_unlock(&c->lock);
        if (!body)
            reply_error(rep, API_ERR_INTERNAL, NULL);
        else
            cache_reply(req, rep, body, len, etag);
        return;
    }
    if (req->memory_only) {
        pthread_mutex_unlock(&c->lock);
        rep->deferred = true;
        return;
    }
    c->misses++;
    pthread_mutex_unlock(&c->lock);

    if (cache_build(req, rep, build, ctx, &generation) != 0) {
        reply_clear(rep);
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if (rep->status != 200 || !rep->body)
        return; /* errors are answered as built and not kept */
    if (!(text = cJSON_PrintUnformatted(rep->body))) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    len = strlen(text);
    etag_of(text, len, etag);
    pthread_mutex_lock(&c->lock);
    cache_store(c, generation, key, hash, text, len, etag);
    pthread_mutex_unlock(&c->lock);
    cache_reply(req, rep, text, len, etag);
}
