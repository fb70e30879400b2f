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

#define BODY_LIMIT (64 * 1024)
/* An oversized body is read and dropped so the client can still read its 413; past this much the
 * sender is not a client, and the connection is closed instead. */
#define BODY_DISCARD_LIMIT (16 * 1024 * 1024)
/* Past this many open connections libmicrohttpd drops new ones unanswered; a sale that draws a
 * few hundred customers at once must still answer each of them (a queue on the database lock
 * costs a moment, a dropped checkout costs a customer). */
#define CONNECTION_LIMIT   1024
#define CONNECTION_TIMEOUT 30 /* seconds of silence before a connection is dropped */
/* Refused coupon codes allowed a minute: enough for typos, too few to guess codes. */
#define COUPON_TRIES_PER_USER 10
#define COUPON_TRIES_PER_ADDR 30

static const char fallback_500[] =
    "{\"error\":{\"code\":\"internal_error\",\"message\":\"Something went wrong on the "
    "server.\",\"details\":{}}}";

/* What one request has received so far. */
struct conn_state {
    char *body;
    size_t len;
    size_t seen; /* bytes received, kept or not */
    bool too_large;
    bool answered;
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

static enum MHD_Result server_queue(struct billingd *app, struct MHD_Connection *conn,
                                    const char *method, const char *url, struct reply *rep)
{
    char *text = rep->body ? cJSON_PrintUnformatted(rep->body) : NULL;
    unsigned status = text || rep->raw || rep->no_content ? rep->status : 500;
    struct MHD_Response *res;
    enum MHD_Result ok;

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
        return MHD_NO;
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
    ok = MHD_queue_response(conn, status, res);
    MHD_destroy_response(res);
    if (!app->quiet) {
        char echo[120];
        fprintf(stderr, "sett-billingd: %s %s %u\n", method, text_echo(url, echo, sizeof echo),
                status);
    }
    return ok;
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
    sqlite3 *conn = db_acquire(app->db);
    int rc = settings_load(conn, &s);

    db_release(app->db);
    if (rc != 0)
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
    struct request req = {.app = app, .method = method, .path = url, .conn = conn};
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
    if (m.route->flags & ROUTE_AUTH) {
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

static enum MHD_Result server_answer(struct billingd *app, struct MHD_Connection *conn,
                                     const char *method, const char *url, struct conn_state *cs)
{
    struct reply rep = {0};
    enum MHD_Result ok;

    server_dispatch(app, conn, method, url, cs, &rep);
    ok = server_queue(app, conn, method, url, &rep);
    reply_clear(&rep);
    cs->answered = true;
    return ok;
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
            return server_answer(app, conn, method, url, cs);
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

int billingd_start(const struct billingd_config *cfg, struct billingd **out, char *err,
                   size_t errsz)
{
    struct sockaddr_storage ss;
    struct billingd *app = NULL;
    const union MHD_DaemonInfo *info;
    unsigned flags =
        MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
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
    /* The logger comes first so that MHD's own start-up messages go through it too. */
    app->mhd = MHD_start_daemon(
        flags, cfg->port, NULL, NULL, server_access, app, MHD_OPTION_EXTERNAL_LOGGER, server_log,
        app, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED,
        server_completed, app, MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT, MHD_OPTION_UNESCAPE_CALLBACK,
        server_unescape, NULL, MHD_OPTION_END);
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
    /* Stops accepting and joins every connection thread, so nothing uses the database after. */
    if (app->mhd)
        MHD_stop_daemon(app->mhd);
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
