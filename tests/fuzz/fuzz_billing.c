/* fuzz_billing.c: sett-billingd in-process on a demo database, fed fuzzed HTTP requests through
 * its router; after each input the money invariants of the test suite must still hold.
 *
 * An input is up to 8 requests separated by a line "%%". Each request is:
 *   <who><METHOD> <target>\n  who: 'c' the demo customer, 'a' the demo operator, 'x' a bad token,
 *                            anything else no Authorization; a target without a leading "/api",
 *                            "/sandbox" or "/pay" is under /api/v1
 *   Name: value\n            headers (Idempotency-Key, If-Match, Content-Type, ...)
 *   \n
 *   body                     sent as application/json unless a Content-Type says otherwise
 * "$E", "$I", "$T" and "$P" stand for the last ETag, "id", total's amount and sandbox payment token
 * answered, so one input can fill a cart, check it out and pay on the sandbox page. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "billing/billingd.h"
#include "invariants.h"
#include "invariants_auth.h"

#define MAX_REQUESTS 8
#define REQUEST_MAX  (64 * 1024)
#define ANSWER_MAX   (1024 * 1024)

static struct billingd *server;
static struct inv_world world; /* the suite's view: database dir, stock baseline, coupon floor */
static uint16_t port;
static int64_t customer_id, operator_id;
static char customer_token[INV_TOKEN_CHARS], operator_token[INV_TOKEN_CHARS];
static char last_etag[64], last_id[32], last_total[32], last_pay[64];

static sqlite3 *db_open(void)
{
    char path[320];
    sqlite3 *db = NULL;

    snprintf(path, sizeof path, "%s/billing.db", world.server.dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        abort();
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static int64_t db_int(sqlite3 *db, const char *sql, const char *text)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        abort();
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* Fresh access tokens for both accounts: at start, and after an input signed one out. */
static void mint_tokens(void)
{
    sqlite3 *db = db_open();

    if (inv_auth_sign_in(db, customer_id, customer_token, sizeof customer_token) != 0 ||
        inv_auth_sign_in(db, operator_id, operator_token, sizeof operator_token) != 0)
        abort();
    sqlite3_close(db);
}

/* Stock left plus units sold, per limited product: the baseline the invariant holds against. An
 * operator setting stock starts a new one. */
static void snapshot_stock(void)
{
    sqlite3 *db = db_open();
    sqlite3_stmt *st = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT p.id, p.stock_available + (SELECT COUNT(*) FROM services s JOIN"
                           " orders o ON o.id = s.order_id WHERE s.product_id = p.id AND o.status"
                           " <> 'cancelled') FROM products p WHERE p.stock_limited = 1",
                           -1, &st, NULL) != SQLITE_OK)
        abort();
    world.n_stock = 0;
    while (sqlite3_step(st) == SQLITE_ROW && world.n_stock < INV_MAX_PRODUCTS) {
        world.stock_product[world.n_stock] = sqlite3_column_int64(st, 0);
        world.stock_initial[world.n_stock++] = sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

/* The suite's invariants, and that no invoice took more money than it asked for. */
static void check_invariants(void)
{
    sqlite3 *db;
    int64_t overpaid;

    if (inv_db_breaches(&world) != 0)
        abort();
    db = db_open();
    overpaid = db_int(db,
                      "SELECT COUNT(*) FROM invoices i WHERE (SELECT COALESCE(SUM(amount), 0)"
                      " FROM payments p WHERE p.invoice_id = i.id AND p.status = 'paid') > i.total",
                      NULL);
    sqlite3_close(db);
    if (overpaid != 0) {
        fprintf(stderr, "BREACH: %" PRId64 " invoice(s) paid more than once\n", overpaid);
        abort();
    }
}

static void stop_server(void)
{
    char path[320];

    billingd_stop(&server);
    for (const char *const *f =
             (const char *const[]){"billing.db", "billing.db-wal", "billing.db-shm", NULL};
         *f; f++) {
        snprintf(path, sizeof path, "%s/%s", world.server.dir, *f);
        unlink(path);
    }
    rmdir(world.server.dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct billingd_config cfg = {0};
    char path[320], err[256];
    sqlite3 *db;

    snprintf(world.server.dir, sizeof world.server.dir, "/tmp/sett-fuzz-billing-XXXXXX");
    if (!mkdtemp(world.server.dir))
        abort();
    snprintf(path, sizeof path, "%s/billing.db", world.server.dir);
    cfg.db_path = path;
    cfg.quiet = true;
    cfg.demo = true; /* the demo accounts, coupons and the sandbox gateway */
    cfg.scheduler_interval = -1;
    cfg.io_threads = 1;
    cfg.workers = 2;
    if (billingd_start(&cfg, &server, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_billing: %s\n", err);
        abort();
    }
    port = billingd_port(server);
    atexit(stop_server);
    db = db_open();
    customer_id = db_int(db, "SELECT id FROM users WHERE email = ?", BILLINGD_DEMO_EMAIL);
    operator_id = db_int(db, "SELECT id FROM users WHERE email = ?", BILLINGD_ADMIN_EMAIL);
    world.coupon_floor = db_int(db, "SELECT COALESCE(MAX(id), 0) FROM coupons", NULL);
    sqlite3_close(db);
    if (customer_id <= 0 || operator_id <= 0)
        abort();
    mint_tokens();
    snapshot_stock();
    check_invariants();
    return 0;
}

struct buf {
    char *p;
    size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap)
        n = b->cap - b->len; /* a request too long is cut, still well-formed */
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_str(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

/* What "$E", "$I", "$T" or "$P" at s (n bytes left) stands for, or NULL. */
static const char *placeholder(const char *s, size_t n)
{
    if (n < 2 || s[0] != '$')
        return NULL;
    switch (s[1]) {
    case 'E':
        return last_etag;
    case 'I':
        return last_id[0] ? last_id : "0";
    case 'T':
        return last_total[0] ? last_total : "0";
    case 'P':
        return last_pay[0] ? last_pay : "ps_none";
    }
    return NULL;
}

/* Copies s with its placeholders filled in; `encode` percent-encodes what a request target
 * cannot carry, else NUL and CR are dropped (a header value or a body). */
static void add_filled(struct buf *b, const char *s, size_t n, bool encode)
{
    static const char hex[] = "0123456789ABCDEF";

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *v = placeholder(s + i, n - i);

        if (v) {
            buf_str(b, v);
            i++;
        } else if (encode && (c <= 0x20 || c >= 0x7F)) {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, esc, 3);
        } else if (encode || (c != '\0' && c != '\r')) {
            buf_add(b, (const char *)&c, 1);
        }
    }
}

/* The request target: under /api/v1 unless it names another root. */
static void add_target(struct buf *b, const char *s, size_t n)
{
    if (!(n >= 4 && memcmp(s, "/api", 4) == 0) && !(n >= 8 && memcmp(s, "/sandbox", 8) == 0) &&
        !(n >= 4 && memcmp(s, "/pay", 4) == 0))
        buf_str(b, "/api/v1");
    if (n == 0 || s[0] != '/')
        buf_str(b, "/");
    add_filled(b, s, n, true);
}

/* Headers the harness owns: framing and identity. */
static bool header_reserved(const char *name, size_t n)
{
    static const char *const reserved[] = {
        "host", "content-length", "connection", "transfer-encoding", "authorization", "expect"};

    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strlen(reserved[i]) == n && strncasecmp(name, reserved[i], n) == 0)
            return true;
    return false;
}

/* One header line "Name: value"; false when it is not one (it is then dropped). */
static bool add_header(struct buf *b, const char *line, size_t n, bool *has_type)
{
    const char *colon = memchr(line, ':', n);
    size_t name_len;

    if (!colon || colon == line)
        return false;
    name_len = (size_t)(colon - line);
    for (size_t i = 0; i < name_len; i++)
        if (!(line[i] == '-' || (line[i] >= '0' && line[i] <= '9') ||
              ((line[i] | 0x20) >= 'a' && (line[i] | 0x20) <= 'z')))
            return false;
    if (header_reserved(line, name_len))
        return false;
    if (name_len == 12 && strncasecmp(line, "content-type", 12) == 0)
        *has_type = true;
    buf_add(b, line, name_len + 1);
    add_filled(b, line + name_len + 1, n - name_len - 1, false);
    buf_str(b, "\r\n");
    return true;
}

/* With SETT_FUZZ_GDB set, every thread's stack when the server stops answering. */
static void dump_threads(void)
{
    char cmd[128];

    if (!getenv("SETT_FUZZ_GDB"))
        return;
    snprintf(cmd, sizeof cmd, "gdb -p %d -batch -ex 'thread apply all bt' >&2", (int)getpid());
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz_billing: gdb failed\n");
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits up to ms for fd to be ready for `events`: true when it is. A signal does not end the wait:
 * libFuzzer's -timeout ticks with SIGALRM (every timeout/2 + 1 s), and poll() fails with EINTR
 * when a tick lands while it waits; taken for a timeout, that would report a server which answers
 * in milliseconds as stalled for 30 s. */
static bool wait_ready(int fd, short events, int ms)
{
    long long deadline = now_ms() + ms;

    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = events};
        long long left = deadline - now_ms();
        int r = poll(&pfd, 1, left > 0 ? (int)left : 0);

        if (r > 0)
            return true;
        if (r == 0 || errno != EINTR) {
            if (r < 0)
                fprintf(stderr, "fuzz_billing: poll: %s\n", strerror(errno));
            return false;
        }
    }
}

/* A blocking connect that a signal cannot cut short (it goes on without the caller then). */
static bool connect_to(int fd, const struct sockaddr_in *sa)
{
    int err = 0;
    socklen_t len = sizeof err;

    if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) == 0)
        return true;
    if (errno != EINTR || !wait_ready(fd, POLLOUT, 30000))
        return false;
    return getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
}

/* Writes the request, reads the whole answer (the connection closes after it). The status, or
 * -1 when the server did not answer in time. */
static int exchange(const struct buf *req, struct buf *answer)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), status = -1;
    /* Closed with a reset once read: a thousand connections a second would otherwise fill the
     * loopback's ports with TIME_WAIT, and new connections would meet old ones. */
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    size_t off = 0;

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset) != 0 ||
        !connect_to(fd, &sa))
        abort();
    while (off < req->len) {
        ssize_t w = send(fd, req->p + off, req->len - off, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break; /* the server may refuse early (too large) and close */
        off += (size_t)w;
    }
    answer->len = 0;
    for (;;) {
        long long asked = now_ms();
        ssize_t r;

        /* A stall fails the target: the server owes every request an answer in milliseconds. */
        if (!wait_ready(fd, POLLIN, 30000)) {
            fprintf(stderr, "fuzz_billing: no answer within 30 s\n");
            dump_threads();
            if (!wait_ready(fd, POLLIN, 60000))
                goto done; /* stuck, not slow */
            fprintf(stderr, "fuzz_billing: an answer came after %lld ms\n", now_ms() - asked);
            if (!getenv("SETT_FUZZ_STALL_OK")) /* to look past such stalls for other faults */
                goto done;
        }
        r = recv(fd, answer->p + answer->len, answer->cap - answer->len, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            fprintf(stderr, "fuzz_billing: %s\n", strerror(errno));
        if (r <= 0 || (answer->len += (size_t)r) == answer->cap)
            break;
    }
    if (answer->len > 12 && memcmp(answer->p, "HTTP/1.", 7) == 0)
        status = atoi(answer->p + 9);
done:
    close(fd);
    return status;
}

/* The digits after the first `key` of the answer into out, when there are some. */
static void remember_number(const struct buf *answer, const char *key, char *out, size_t size)
{
    const char *p = memmem(answer->p, answer->len, key, strlen(key)),
               *end = answer->p + answer->len;
    size_t n = 0;

    if (!p)
        return;
    p += strlen(key);
    while (p + n < end && n + 1 < size && p[n] >= '0' && p[n] <= '9')
        n++;
    if (n) {
        memcpy(out, p, n);
        out[n] = '\0';
    }
}

/* Remembers the answer's ETag, first "id" and total for the next request of the input. */
static void remember(const struct buf *answer)
{
    const char *end = answer->p + answer->len, *p;
    size_t n;

    for (p = answer->p; p < end; p++) {
        if (end - p > 8 && strncasecmp(p, "\r\nETag: ", 8) == 0) {
            const char *cr;

            p += 8;
            cr = memchr(p, '\r', (size_t)(end - p));
            n = cr ? (size_t)(cr - p) : (size_t)(end - p);
            if (n < sizeof last_etag) {
                memcpy(last_etag, p, n);
                last_etag[n] = '\0';
            }
            break;
        }
    }
    if ((p = memmem(answer->p, answer->len, "/sandbox/pay/", 13)) != NULL) {
        p += 13;
        for (n = 0; p + n < end && n + 1 < sizeof last_pay &&
                    (p[n] == '_' || isalnum((unsigned char)p[n]));
             n++)
            last_pay[n] = p[n];
        last_pay[n] = '\0';
    }
    remember_number(answer, "\"id\":", last_id, sizeof last_id);
    remember_number(answer, "\"total\":{\"amount\":", last_total, sizeof last_total);
}

/* Sends one request of the input; *signed_out when it may have revoked a token, *stock when an
 * operator may have set stock. */
static void run_request(const char *s, size_t n, struct buf *req, struct buf *answer,
                        bool *signed_out, bool *stock)
{
    const char *nl = memchr(s, '\n', n), *line_end = nl ? nl : s + n, *sp, *p, *body;
    static char body_mem[REQUEST_MAX];
    struct buf filled = {body_mem, 0, sizeof body_mem};
    char who = n ? s[0] : '-', method[17], len[32];
    size_t mlen = 0;
    bool has_type = false;
    int status;

    if (n == 0)
        return;
    /* the method: letters only, "GET" when none */
    for (p = s + 1; p < line_end && *p != ' ' && mlen + 1 < sizeof method; p++)
        if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z')
            method[mlen++] = *p;
    method[mlen] = '\0';
    if (!mlen)
        strcpy(method, "GET");
    sp = memchr(s, ' ', (size_t)(line_end - s));
    p = sp ? sp + 1 : line_end;
    /* password checks (argon2) take a tenth of a second each: the API tests cover sign-in */
    if (memmem(p, (size_t)(line_end - p), "auth/login", 10))
        return;
    req->len = 0;
    buf_str(req, method);
    buf_str(req, " ");
    add_target(req, p, (size_t)(line_end - p));
    buf_str(req, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if (who == 'c' || who == 'a' || who == 'x') {
        buf_str(req, "Authorization: Bearer ");
        buf_str(req, who == 'c' ? customer_token : who == 'a' ? operator_token : "bp_forged");
        buf_str(req, "\r\n");
    }
    body = s + n;
    for (p = nl ? nl + 1 : s + n; p < s + n;) {
        const char *e = memchr(p, '\n', (size_t)(s + n - p));
        size_t l = e ? (size_t)(e - p) : (size_t)(s + n - p);

        if (l == 0 || (l == 1 && *p == '\r')) {
            body = p + l + (e ? 1 : 0);
            break;
        }
        add_header(req, p, l, &has_type);
        p += l + (e ? 1 : 0);
    }
    filled.len = 0;
    add_filled(&filled, body, (size_t)(s + n - body), false);
    if (filled.len && !has_type)
        buf_str(req, "Content-Type: application/json\r\n");
    snprintf(len, sizeof len, "Content-Length: %zu\r\n\r\n", filled.len);
    buf_str(req, len);
    if (req->len + filled.len > req->cap)
        return; /* cut framing would be a broken request, not a fuzzed one */
    buf_add(req, filled.p, filled.len);
    status = exchange(req, answer);
    if (status < 0) {
        fprintf(stderr, "fuzz_billing: no answer to %.*s\n", (int)(line_end - s), s);
        abort();
    }
    if (status == 500) {
        fprintf(stderr, "fuzz_billing: 500 for %.*s\n%.*s\n", (int)(line_end - s), s,
                (int)(answer->len < 2000 ? answer->len : 2000), answer->p);
        abort(); /* an internal error is a fault of the server's, never of the caller's */
    }
    if (getenv("SETT_FUZZ_ECHO")) /* for writing seeds: what each request got */
        fprintf(stderr, "%.*s\n-> %.*s\n\n", (int)req->len, req->p,
                (int)(answer->len < 1500 ? answer->len : 1500), answer->p);
    if (memmem(req->p, req->len, "/auth/logout", 12))
        *signed_out = true;
    if (who == 'a' && strcmp(method, "GET") != 0 && status < 300 &&
        memmem(req->p, req->len, "/admin/products", 15))
        *stock = true;
    remember(answer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char req_mem[REQUEST_MAX], answer_mem[ANSWER_MAX];
    struct buf req = {req_mem, 0, sizeof req_mem}, answer = {answer_mem, 0, sizeof answer_mem};
    const char *s = (const char *)data, *end = s + size;
    bool signed_out = false, stock = false;

    last_etag[0] = last_id[0] = last_total[0] = last_pay[0] = '\0';
    for (int i = 0; i < MAX_REQUESTS && s < end; i++) {
        const char *sep = memmem(s, (size_t)(end - s), "\n%%\n", 4);
        size_t n = sep ? (size_t)(sep - s) : (size_t)(end - s);

        run_request(s, n, &req, &answer, &signed_out, &stock);
        s += n + (sep ? 4 : 0);
    }
    if (stock)
        snapshot_stock();
    check_invariants();
    if (signed_out)
        mint_tokens();
    return 0;
}
