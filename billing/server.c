/* server.c: the HTTP side: libmicrohttpd setup, body limits, dispatch to routes and replies. */
#include "billing/billingd.h"

#include <ctype.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "billing/app.h"
#include "billing/auth.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/guard.h"
#include "billing/json_util.h"
#include "billing/login_guard.h"
#include "billing/ratelimit.h"
#include "billing/request.h"
#include "billing/text.h"
#include "billing/router.h"
#include "billing/routes.h"
#include "billing/scheduler.h"
#include "billing/seed.h"
#include "billing/settings.h"
#include "billing/workpool.h"

#define BODY_LIMIT (64 * 1024)
/* An oversized body is read and dropped so the client can still read its 413; past this much the
 * sender is not a client, and the connection is closed instead. */
#define BODY_DISCARD_LIMIT (16 * 1024 * 1024)
/* Seconds of silence before a connection is dropped: long enough that a customer's keep-alive
 * connection outlives a pause between screens, short enough that abandoned ones go. An idle
 * connection costs a few kilobytes and no thread (docs/billingd.md). */
#define CONNECTION_TIMEOUT 120
/* Bytes libmicrohttpd keeps for each connection (request line and headers, the response's
 * headers), allocated whole and kept while the connection stays open: most of what an idle
 * keep-alive connection costs. 8 KiB holds a 5,000-character query and its headers; the
 * default, 32 KiB, would cost four times as much per idle connection. */
#define CONNECTION_MEMORY (8 * 1024)
/* Refused coupon codes allowed a minute: enough for typos, too few to guess codes. */
#define COUPON_TRIES_PER_USER 10
#define COUPON_TRIES_PER_ADDR 30

static const char fallback_500[] =
    "{\"error\":{\"code\":\"internal_error\",\"message\":\"Something went wrong on the "
    "server.\",\"details\":{}}}";

/* What one request has received so far, and its answer once a handler thread has made it. */
struct conn_state {
    struct workpool_job job; /* first: the pool hands this back */
    struct MHD_Connection *conn;
    const char *method, *url; /* libmicrohttpd's, valid until the request completes */
    struct timespec received; /* when the request was complete */
    struct MHD_Response *response;
    unsigned status;
    bool ready; /* response and status are set */
    char *body;
    size_t len;
    size_t seen; /* bytes received, kept or not */
    bool too_large;
    bool answered;
    bool memory_only; /* being tried on the I/O thread (ROUTE_MEMORY) */
};

const char *request_query(const struct request *req, const char *key)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *request_header(const struct request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

static void server_log(void *cls, const char *fmt, va_list ap)
{
    const struct billingd *app = cls;

    if (app->quiet)
        return;
    fputs("sett-billingd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* The response for a reply (built on a handler thread; only queueing it needs the connection), and
 * its status; NULL when out of memory. */
static struct MHD_Response *server_response(struct reply *rep, unsigned *status)
{
    char *text = rep->body ? cJSON_PrintUnformatted(rep->body) : NULL;
    struct MHD_Response *res;

    *status = text || rep->raw || rep->no_content ? rep->status : 500;
    if (rep->no_content)
        res = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    else if (rep->raw)
        res = MHD_create_response_from_buffer(rep->raw_len, rep->raw, MHD_RESPMEM_MUST_COPY);
    else if (text)
        res = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    else
        res = MHD_create_response_from_buffer(sizeof fallback_500 - 1, (void *)fallback_500,
                                              MHD_RESPMEM_PERSISTENT);
    if (!res) {
        free(text);
        return NULL;
    }
    if (!rep->no_content)
        MHD_add_response_header(res, MHD_HTTP_HEADER_CONTENT_TYPE,
                                rep->raw ? rep->raw_type : "application/json; charset=utf-8");
    for (size_t i = 0; i < rep->n_headers; i++)
        MHD_add_response_header(res, rep->headers[i].name, rep->headers[i].value);
    if (rep->no_store)
        MHD_add_response_header(res, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (rep->allow[0])
        MHD_add_response_header(res, MHD_HTTP_HEADER_ALLOW, rep->allow);
    if (rep->challenge)
        MHD_add_response_header(res, MHD_HTTP_HEADER_WWW_AUTHENTICATE, rep->challenge);
    return res;
}

/* "application/json", optionally with parameters ("; charset=utf-8"). */
static bool server_is_json(const char *content_type)
{
    size_t n = strlen("application/json");

    return content_type && strncasecmp(content_type, "application/json", n) == 0 &&
           (content_type[n] == '\0' || content_type[n] == ';' || content_type[n] == ' ');
}

/* Checks and parses a JSON object body; false with the error already in rep. */
static bool server_json_body(struct request *req, struct reply *rep)
{
    const char *type = request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);

    if ((type || req->body_len) && !server_is_json(type)) {
        reply_error(rep, API_ERR_UNSUPPORTED_MEDIA_TYPE, NULL);
        return false;
    }
    req->json = json_parse_exact(req->body, req->body_len);
    if (!cJSON_IsObject(req->json)) {
        reply_error(rep, API_ERR_INVALID_JSON, NULL);
        return false;
    }
    return true;
}

bool request_json_body(struct request *req, struct reply *rep)
{
    return req->json || server_json_body(req, rep);
}

/* A form body, as the sandbox page posts it; the handler reads its fields. */
static bool server_form_body(struct request *req, struct reply *rep)
{
    const char *type = request_header(req, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t n = strlen("application/x-www-form-urlencoded");

    if ((type || req->body_len) &&
        !(type && strncasecmp(type, "application/x-www-form-urlencoded", n) == 0 &&
          (type[n] == '\0' || type[n] == ';' || type[n] == ' '))) {
        reply_error(rep, API_ERR_UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be sent as application/x-www-form-urlencoded.");
        return false;
    }
    return true;
}

/* Whether the billing module is open: licensed first, then switched on. */
static enum api_error server_billing_gate(struct billingd *app)
{
    struct settings s;

    /* The settings kept in memory until the catalog generation moves: no database lock here. */
    if (db_settings(app->db, &s) != 0)
        return API_ERR_INTERNAL;
    if (!s.billing_licensed)
        return API_ERR_BILLING_NOT_LICENSED;
    return s.billing_enabled ? API_OK : API_ERR_BILLING_DISABLED;
}

/* "/sandbox" or anything under "/sandbox/". */
static bool server_under_sandbox(const char *url)
{
    return strncmp(url, "/sandbox", 8) == 0 && (url[8] == '\0' || url[8] == '/');
}

static void server_dispatch(struct billingd *app, struct MHD_Connection *conn, const char *method,
                            const char *url, struct conn_state *cs, struct reply *rep)
{
    struct route_match m;
    struct request req = {.app = app,
                          .method = method,
                          .path = url,
                          .conn = conn,
                          .received = cs->received,
                          .memory_only = cs->memory_only};
    char echo[120];
    enum api_error err;

    if (cs->too_large) {
        reply_error(rep, API_ERR_PAYLOAD_TOO_LARGE, NULL);
        return;
    }
    /* Without the sandbox gateway its pages do not exist: the same answer as any unknown path. */
    if (!app->sandbox && server_under_sandbox(url)) {
        reply_error(rep, API_ERR_NOT_FOUND, "No route for %s.", text_echo(url, echo, sizeof echo));
        return;
    }
    switch (router_find(routes_table(), routes_count(), method, url, &m)) {
    case ROUTER_NO_PATH:
        reply_error(rep, API_ERR_NOT_FOUND, "No route for %s.", text_echo(url, echo, sizeof echo));
        return;
    case ROUTER_NO_METHOD:
        reply_error(rep, API_ERR_METHOD_NOT_ALLOWED, "%s is not allowed here; use %s.",
                    text_echo(method, echo, sizeof echo), m.allow);
        snprintf(rep->allow, sizeof rep->allow, "%s", m.allow);
        return;
    case ROUTER_FOUND:
        break;
    }
    memcpy(req.params, m.params, sizeof req.params);
    req.n_params = m.n_params;
    req.body = cs->len ? cs->body : NULL;
    req.body_len = cs->len;
    if ((m.route->flags & ROUTE_AUTH) || ((m.route->flags & ROUTE_AUTH_IF_SENT) &&
                                          request_header(&req, MHD_HTTP_HEADER_AUTHORIZATION))) {
        struct auth_caller who;

        err = auth_bearer(app, request_header(&req, MHD_HTTP_HEADER_AUTHORIZATION), &who);
        if (err != API_OK) {
            reply_error(rep, err, NULL);
            goto done;
        }
        if (!guard_check(m.route, &who, &req, rep))
            goto done;
    }
    /* After authentication: a caller learns the module is closed only once signed in. */
    if ((m.route->flags & ROUTE_BILLING) && (err = server_billing_gate(app)) != API_OK) {
        reply_error(rep, err, NULL);
        goto done;
    }
    if ((m.route->flags & ROUTE_JSON) && !server_json_body(&req, rep))
        goto done;
    if ((m.route->flags & ROUTE_FORM) && !server_form_body(&req, rep))
        goto done;
    m.route->handler(&req, rep);
    if (!rep->body && !rep->raw && !rep->no_content)
        reply_error(rep, API_ERR_INTERNAL, NULL);
done:
    cJSON_Delete(req.json);
    route_match_clear(&m);
}

/* Runs the request's handler and builds its response into cs; on a handler thread, or on the
 * I/O thread for the cheap early refusal, answers from memory and while the server stops. false:
 * nothing answered, for a memory_only request whose answer must be built. */
static bool server_work(struct billingd *app, struct conn_state *cs)
{
    struct reply rep = {0};
    char echo[120];

    server_dispatch(app, cs->conn, cs->method, cs->url, cs, &rep);
    if (rep.deferred) {
        reply_clear(&rep);
        return false;
    }
    cs->response = server_response(&rep, &cs->status);
    reply_clear(&rep);
    if (!app->quiet)
        fprintf(stderr, "sett-billingd: %s %s %u\n", cs->method,
                text_echo(cs->url, echo, sizeof echo), cs->status);
    cs->ready = true;
    return true;
}

static void server_run_job(struct workpool_job *job, void *ud)
{
    struct conn_state *cs = (struct conn_state *)job;

    server_work(ud, cs);
    /* the connection's I/O thread calls server_access again, which queues the response */
    MHD_resume_connection(cs->conn);
}

static enum MHD_Result server_send(struct MHD_Connection *conn, struct conn_state *cs)
{
    enum MHD_Result ok = cs->response ? MHD_queue_response(conn, cs->status, cs->response) : MHD_NO;

    if (cs->response)
        MHD_destroy_response(cs->response);
    cs->response = NULL;
    cs->answered = true;
    return ok;
}

/* The request threads for a request: sign-ins have their own (ROUTE_SIGNIN). *memory: the route
 * may be answered from memory (ROUTE_MEMORY). */
static struct workpool *server_pool_for(struct billingd *app, const char *method, const char *url,
                                        bool *memory)
{
    struct route_match m;
    unsigned flags = router_find(routes_table(), routes_count(), method, url, &m) == ROUTER_FOUND
                         ? m.route->flags
                         : 0;

    route_match_clear(&m);
    *memory = flags & ROUTE_MEMORY;
    return (flags & ROUTE_SIGNIN) && app->signin_workers ? app->signin_workers : app->workers;
}

/* A complete request: handed to a handler thread while the connection sleeps (suspended: its I/O
 * thread goes on with the others), and answered when it wakes. */
static enum MHD_Result server_answer(struct billingd *app, struct MHD_Connection *conn,
                                     const char *method, const char *url, struct conn_state *cs)
{
    struct workpool *pool;
    bool memory;

    if (cs->ready)
        return server_send(conn, cs);
    pool = server_pool_for(app, method, url, &memory);
    cs->conn = conn;
    cs->method = method;
    cs->url = url;
    clock_gettime(CLOCK_MONOTONIC, &cs->received);
    /* A catalog answer already in memory costs less than waking a request thread for it. */
    if (memory && pool) {
        bool answered;

        cs->memory_only = true;
        answered = server_work(app, cs);
        cs->memory_only = false;
        if (answered)
            return server_send(conn, cs);
    }
    if (pool) {
        MHD_suspend_connection(conn);
        if (workpool_submit(pool, &cs->job))
            return MHD_YES;
        MHD_resume_connection(conn);
    }
    server_work(app, cs);
    return server_send(conn, cs);
}

/* A client that announces an oversized body and waits for "100 Continue" is refused before it
 * sends a byte of it. */
static bool server_refuse_early(struct MHD_Connection *conn)
{
    const char *expect = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
    const char *length =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

    return expect && strcasecmp(expect, "100-continue") == 0 && length &&
           strtoull(length, NULL, 10) > BODY_LIMIT;
}

static enum MHD_Result server_access(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_data_size,
                                     void **con_cls)
{
    struct billingd *app = cls;
    struct conn_state *cs = *con_cls;

    if (!cs) {
        if (!(cs = calloc(1, sizeof *cs)))
            return MHD_NO;
        *con_cls = cs;
        if (server_refuse_early(conn)) {
            cs->too_large = true;
            clock_gettime(CLOCK_MONOTONIC, &cs->received);
            cs->conn = conn;
            cs->method = method;
            cs->url = url;
            server_work(app, cs);
            return server_send(conn, cs);
        }
        return MHD_YES;
    }
    if (cs->answered) {
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;

        *upload_data_size = 0;
        cs->seen += n;
        if (!cs->too_large && cs->len + n > BODY_LIMIT) {
            cs->too_large = true;
            free(cs->body);
            cs->body = NULL;
            cs->len = 0;
        }
        if (cs->too_large)
            return cs->seen > BODY_DISCARD_LIMIT ? MHD_NO : MHD_YES;
        if (!cs->body && !(cs->body = malloc(BODY_LIMIT)))
            return MHD_NO;
        memcpy(cs->body + cs->len, upload_data, n);
        cs->len += n;
        return MHD_YES;
    }
    return server_answer(app, conn, method, url, cs);
}

static void server_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                             enum MHD_RequestTerminationCode toe)
{
    struct conn_state *cs = *con_cls;

    if (cs) {
        if (cs->response)
            MHD_destroy_response(cs->response);
        free(cs->body);
        free(cs);
        *con_cls = NULL;
    }
}

/* Resolves a numeric or named address for listening; fills ss and tells whether it is IPv6. */
static int server_address(const char *host, uint16_t port, struct sockaddr_storage *ss, bool *ipv6,
                          char *err, size_t errsz)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, NULL, &hints, &ai);

    if (rc != 0 || !ai) {
        snprintf(err, errsz, "cannot use listen address %s: %s", host, gai_strerror(rc));
        return -1;
    }
    memset(ss, 0, sizeof *ss);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *ipv6 = ai->ai_family == AF_INET6;
    if (*ipv6)
        ((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
    else
        ((struct sockaddr_in *)ss)->sin_port = htons(port);
    freeaddrinfo(ai);
    return 0;
}

static int server_open_db(struct billingd *app, const struct billingd_config *cfg, char *err,
                          size_t errsz)
{
    sqlite3 *conn;
    bool seeded = false;
    int rc;

    if (!(app->db = db_new(cfg->db_path, err, errsz)))
        return -1;
    conn = db_acquire(app->db);
    rc = seed_if_empty(conn, cfg->catalog_path, cfg->demo, &seeded, err, errsz);
    if (rc == 0 && seeded && cfg->seed_users > 0)
        rc = seed_users(conn, cfg->seed_users, err, errsz);
    /* Said even with --quiet: a door with a public password is the operator's business. */
    if (rc == 0 && !cfg->demo && seed_has_demo_accounts(conn))
        fprintf(stderr,
                "sett-billingd: warning: %s holds the demo accounts %s and %s, whose passwords "
                "are public; start a real shop on a new database\n",
                cfg->db_path, BILLINGD_DEMO_EMAIL, BILLINGD_ADMIN_EMAIL);
    db_release(app->db);
    if (rc == 0 && cfg->catalog_path && !seeded && !app->quiet)
        fprintf(stderr, "sett-billingd: %s already holds a catalog; --catalog %s ignored\n",
                cfg->db_path, cfg->catalog_path);
    return rc;
}

/* libmicrohttpd's unescaping, except that "%00" stays as written: a NUL would cut the path
 * short as a C string ("/products/%00" would become "/products/", the list), so it is kept as
 * three ordinary characters that match no record. */
static size_t server_unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *out = s;
    for (const char *in = s; *in; in++) {
        unsigned v;
        if (in[0] == '%' && isxdigit((unsigned char)in[1]) && isxdigit((unsigned char)in[2]) &&
            sscanf(in + 1, "%2x", &v) == 1 && v != 0) {
            *out++ = (char)v;
            in += 2;
        } else {
            *out++ = *in;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

/* The I/O threads when not configured: one per CPU, at least 2. */
static unsigned server_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    return n < 2 ? 2 : n > BILLINGD_THREADS_MAX ? BILLINGD_THREADS_MAX : (unsigned)n;
}

int billingd_start(const struct billingd_config *cfg, struct billingd **out, char *err,
                   size_t errsz)
{
    struct sockaddr_storage ss;
    struct billingd *app = NULL;
    const union MHD_DaemonInfo *info;
    /* epoll threads, each serving its share of the connections: no thread per connection */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    bool ipv6 = false;

    *out = NULL;
    if (!cfg || !cfg->db_path || !*cfg->db_path) {
        snprintf(err, errsz, "no database path");
        return -1;
    }
    if (auth_init() != 0) {
        snprintf(err, errsz, "cannot initialise libsodium");
        return -1;
    }
    if (server_address(cfg->bind_addr ? cfg->bind_addr : "127.0.0.1", cfg->port, &ss, &ipv6, err,
                       errsz) != 0)
        return -1;
    if (!(app = calloc(1, sizeof *app))) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    app->quiet = cfg->quiet;
    app->sandbox = cfg->sandbox || cfg->demo;
    if (sem_init(&app->pwhash_slots, 0, AUTH_PWHASH_SLOTS) != 0) {
        snprintf(err, errsz, "cannot create the password-check limit");
        goto fail;
    }
    app->pwhash_slots_ready = true;
    app->coupon_by_user = rate_limit_new(COUPON_TRIES_PER_USER, 60);
    app->coupon_by_addr = rate_limit_new(COUPON_TRIES_PER_ADDR, 60);
    if (!app->coupon_by_user || !app->coupon_by_addr) {
        snprintf(err, errsz, "out of memory");
        goto fail;
    }
    if (gateway_setup(app, cfg, err, errsz) != 0)
        goto fail;
    if (login_guard_init(app, cfg, err, errsz) != 0)
        goto fail;
    if (server_open_db(app, cfg, err, errsz) != 0)
        goto fail;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    app->io_threads = cfg->io_threads ? cfg->io_threads : server_default_threads();
    app->n_workers = cfg->workers ? cfg->workers : BILLINGD_WORKERS;
    app->connection_limit = BILLINGD_CONNECTION_LIMIT;
    if (!(app->workers = workpool_new(app->n_workers, server_run_job, app)) ||
        !(app->signin_workers = workpool_new(BILLINGD_SIGNIN_WORKERS, server_run_job, app))) {
        snprintf(err, errsz, "cannot start the handler threads");
        goto fail;
    }
    /* The logger comes first so that MHD's own start-up messages go through it too. */
    app->mhd = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, server_access, app, MHD_OPTION_EXTERNAL_LOGGER, server_log,
        app, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED,
        server_completed, app, MHD_OPTION_THREAD_POOL_SIZE, app->io_threads,
        MHD_OPTION_CONNECTION_LIMIT, app->connection_limit, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
        MHD_OPTION_UNESCAPE_CALLBACK, server_unescape, NULL, MHD_OPTION_END);
    if (!app->mhd) {
        snprintf(err, errsz, "cannot listen on %s port %u (in use?)",
                 cfg->bind_addr ? cfg->bind_addr : "127.0.0.1", (unsigned)cfg->port);
        goto fail;
    }
    info = MHD_get_daemon_info(app->mhd, MHD_DAEMON_INFO_BIND_PORT);
    app->port = info ? info->port : cfg->port;
    if (cfg->scheduler_interval >= 0 &&
        !(app->scheduler = scheduler_new(app, cfg->scheduler_interval))) {
        snprintf(err, errsz, "cannot start the scheduler");
        goto fail;
    }
    *out = app;
    return 0;
fail:
    billingd_stop(&app);
    return -1;
}

bool billingd_sandbox(const struct billingd *d)
{
    return d && d->sandbox;
}

void billingd_threads(const struct billingd *d, unsigned *io_threads, unsigned *workers,
                      unsigned *connection_limit)
{
    *io_threads = d ? d->io_threads : 0;
    *workers = d ? d->n_workers : 0;
    *connection_limit = d ? d->connection_limit : 0;
}

uint16_t billingd_port(const struct billingd *d)
{
    return d ? d->port : 0;
}

void billingd_stop(struct billingd **pd)
{
    struct billingd *app;

    if (!pd || !*pd)
        return;
    app = *pd;
    /* The scheduler first: it uses the database until its pass is over. */
    scheduler_free(&app->scheduler);
    /* The handler threads next: what is queued is answered (the daemon still sends it), and what
     * comes meanwhile runs on the I/O threads, which may still look at the pool until the daemon
     * has stopped. */
    if (app->workers)
        workpool_stop(app->workers);
    if (app->signin_workers)
        workpool_stop(app->signin_workers);
    /* Stops accepting and joins the I/O threads, so nothing uses the database after. */
    if (app->mhd)
        MHD_stop_daemon(app->mhd);
    workpool_free(&app->workers);
    workpool_free(&app->signin_workers);
    db_free(&app->db);
    rate_limit_free(&app->coupon_by_user);
    rate_limit_free(&app->coupon_by_addr);
    login_guard_free(app);
    gateway_teardown(app);
    if (app->pwhash_slots_ready)
        sem_destroy(&app->pwhash_slots);
    free(app);
    *pd = NULL;
}
