/* faults.c: one money operation, every write and sync of it failed in turn, each followed by a
 * restart, the invariants and a retry with the same Idempotency-Key.
 *
 * The operation's state before it runs is prepared once and kept (the stopped database copied
 * aside). A clean run from that copy gives the operation's counts of writes, syncs and locks and
 * the database's money fingerprint after it (fault_fingerprint: orders, invoices, payments,
 * services, refunds, ledgers, balances, stock, coupon uses, plan changes, audit entries). Then, for
 * each call to fail, from the copy: start, arm, send; the answer must be an error (4xx/5xx with an
 * error envelope) unless the operation happened in full. Stop, start again: the invariants hold
 * (inv_db_breaches) and the fingerprint is either the one before (nothing happened) or the one
 * after (all of it: a failed sync after the commit's frames were written is committed by the
 * restart's recovery, the answer notwithstanding). A retry of the same request then completes,
 * and the fingerprint is exactly the clean run's: the operation happened once. */
#include "faults.h"
#include "preload.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "validate.h"

#define FINGERPRINT_CHARS 8192

static struct fault_ctl *ctl;
static char ctl_path[64];
/* No scheduler: nothing but the request writes while a fault is armed. */
static const char *const server_args[] = {"--scheduler-interval", "0", NULL};
static const char setup_sql[] =
    "UPDATE products SET stock_limited = 1, stock_available = 10 WHERE slug = '" FAULT_PRODUCT "'";

static void fault_cleanup(void)
{
    fault_ctl_unmap(ctl);
    if (ctl_path[0])
        unlink(ctl_path);
}

int fault_setup(void)
{
    int fd;

    /* The contract checker starts now, before the preload is in the environment. */
    validate_warm_up();
    snprintf(ctl_path, sizeof ctl_path, "/tmp/sett-fault-XXXXXX");
    if ((fd = mkstemp(ctl_path)) < 0)
        return -1;
    close(fd);
    if (!(ctl = fault_ctl_create(ctl_path)))
        return -1;
    atexit(fault_cleanup);
    if (setenv(FAULT_VFS_ENV, ctl_path, 1) != 0 || preload_set(FAULT_VFS_LIB) != 0 ||
        /* One sync per commit (what a shop that must not lose a payment runs): the commit's
         * sync is a call to fail, not only the checkpoint's. */
        setenv("SETT_BILLING_SYNCHRONOUS", "FULL", 1) != 0)
        return -1;
    return 0;
}

/* Each part is one text; `optional` parts are left out when their table does not exist. */
static const struct {
    const char *name;
    bool optional;
    const char *sql;
} fingerprint_parts[] = {
    {"orders", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT status AS x FROM orders ORDER BY id)"},
    {"invoices", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT kind || '/' || status || '/' || total || '/' || amount_paid || '/' ||"
     " amount_refunded AS x FROM invoices ORDER BY id)"},
    {"payments", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT gateway || '/' || status || '/' || amount AS x FROM payments ORDER BY id)"},
    {"services", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT product_id || '/' || status || '/' || COALESCE(next_due_date, '-') || '/' ||"
     " recurring_amount AS x FROM services ORDER BY id)"},
    {"refunds", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT amount || '/' || to_credits AS x FROM refunds ORDER BY id)"},
    {"ledger", false,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT user_id || '/' || type || '/' || amount || '/' || balance_after AS x"
     " FROM credit_ledger ORDER BY id)"},
    {"balances", false,
     "SELECT COALESCE(group_concat(credit_balance, ','), '') FROM"
     " (SELECT credit_balance FROM users ORDER BY id)"},
    {"stock", false,
     "SELECT COALESCE(group_concat(stock_available, ','), '') FROM"
     " (SELECT stock_available FROM products WHERE stock_limited = 1 ORDER BY id)"},
    {"coupon uses", false, "SELECT COALESCE(SUM(uses), 0) FROM coupons"},
    {"plan changes", true,
     "SELECT COUNT(*) || ':' || COALESCE(group_concat(x, ','), '') FROM"
     " (SELECT status || '/' || to_product_id AS x FROM plan_changes ORDER BY id)"},
    {"audit", false, "SELECT COUNT(*) FROM audit_log"},
};

/* The money state of the stopped server's database as one text. 0 or -1. */
static int fault_fingerprint(const struct inv_world *w, char *out, size_t outsz)
{
    char path[320];
    sqlite3 *db = NULL;
    size_t len = 0;
    int rc = -1;

    snprintf(path, sizeof path, "%s/billing.db", w->server.dir);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto done;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof fingerprint_parts / sizeof fingerprint_parts[0]; i++) {
        sqlite3_stmt *st = NULL;

        if (sqlite3_prepare_v2(db, fingerprint_parts[i].sql, -1, &st, NULL) != SQLITE_OK) {
            if (fingerprint_parts[i].optional)
                continue;
            fprintf(stderr, "faults: fingerprint %s: %s\n", fingerprint_parts[i].name,
                    sqlite3_errmsg(db));
            goto done;
        }
        if (sqlite3_step(st) == SQLITE_ROW)
            len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s %s",
                                    i ? " | " : "", fingerprint_parts[i].name,
                                    (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    rc = len < outsz ? 0 : -1;
done:
    sqlite3_close(db);
    return rc;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = NULL;
    char buf[65536];
    size_t n;
    int rc = -1;

    if (!in)
        return -1;
    if (!(out = fopen(to, "wb")))
        goto done;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            goto done;
    rc = ferror(in) ? -1 : 0;
done:
    if (out && fclose(out) != 0)
        rc = -1;
    fclose(in);
    return rc;
}

/* Copies the stopped database (and its WAL, if one was left) from one dir to another. */
static int db_copy(const char *from_dir, const char *to_dir)
{
    static const char *const files[] = {"billing.db", "billing.db-wal"};
    char from[320], to[320];
    struct stat sb;

    for (size_t i = 0; i < 2; i++) {
        snprintf(from, sizeof from, "%s/%s", from_dir, files[i]);
        snprintf(to, sizeof to, "%s/%s", to_dir, files[i]);
        if (stat(from, &sb) != 0) {
            if (i == 0)
                return -1;
            unlink(to);
        } else if (copy_file(from, to) != 0) {
            return -1;
        }
    }
    snprintf(to, sizeof to, "%s/billing.db-shm", to_dir);
    unlink(to);
    return 0;
}

static int fault_start(struct fault_run *fr)
{
    char dir[sizeof fr->w.server.dir];

    snprintf(dir, sizeof dir, "%s", fr->w.server.dir);
    return api_server_start_in(&fr->w.server, dir, server_args);
}

/* Ends the server, with SIGTERM (a clean stop, which checkpoints the WAL into the database) or
 * SIGKILL (a crash: the next start recovers the WAL as the disk has it), and reads its database:
 * 0 when it stopped cleanly (or was killed) and no invariant is broken, with the fingerprint in
 * fp. */
static int fault_end_check(struct fault_run *fr, bool crash, char *fp, size_t fpsz,
                           const char *when)
{
    int status = crash ? api_server_kill(&fr->w.server) : api_server_stop(&fr->w.server);
    int breaches = inv_db_breaches(&fr->w);

    if (status != 0 || breaches != 0) {
        fprintf(stderr, "faults: %s: the server stopped with %d, %d invariants broken\n", when,
                status, breaches);
        return -1;
    }
    return fault_fingerprint(&fr->w, fp, fpsz);
}

/* Stops the server and reads its database: 0 when it stopped cleanly and no invariant is broken,
 * with the fingerprint in fp. */
static int fault_stop_check(struct fault_run *fr, char *fp, size_t fpsz, const char *when)
{
    return fault_end_check(fr, false, fp, fpsz, when);
}

static bool answered_done(const struct fault_op *op, const struct api_resp *r)
{
    return op->done ? op->done(r) : r->status >= 200 && r->status <= 299;
}

/* An answer that says the request failed: 4xx/5xx, an error envelope when it is JSON. */
static bool answered_error(const struct api_resp *r)
{
    if (r->status < 400 || r->status > 599)
        return false;
    return strncmp(r->content_type, "application/json", 16) != 0 || api_error_code(r) != NULL;
}

struct fault_state {
    char before[FINGERPRINT_CHARS], after[FINGERPRINT_CHARS], now[FINGERPRINT_CHARS];
    char template_dir[64];
};

/* One attempt with the call'th call of kind failed with code, then the restart and the retry.
 * 0 when every check held. */
static int fault_trial(const struct fault_op *op, struct fault_run *fr, struct fault_state *fs,
                       enum fault_kind kind, uint64_t call, int code, bool crash,
                       struct fault_tally *t)
{
    static const char *const kinds[] = {"write", "sync", "lock"};
    struct api_resp r = {0};
    uint32_t fired;
    bool done;
    char when[128];
    int rc = -1;

    snprintf(when, sizeof when, "%s, %s %" PRIu64 " failed with %d, then %s", op->name, kinds[kind],
             call, code, crash ? "killed" : "stopped");
    t->trials++;
    if (db_copy(fs->template_dir, fr->w.server.dir) != 0 || fault_start(fr) != 0) {
        fprintf(stderr, "faults: %s: cannot start from the template\n", when);
        return -1;
    }
    fired = fault_ctl_fired(ctl);
    fault_ctl_arm(ctl, kind, call, code);
    if (op->send(fr, &r) != 0 && r.status == 0) {
        fprintf(stderr, "faults: %s: no answer\n", when);
        goto done;
    }
    fault_ctl_disarm(ctl);
    if (fault_ctl_fired(ctl) != fired + 1) {
        fprintf(stderr, "faults: %s: the operation made fewer calls than counted\n", when);
        goto done;
    }
    done = answered_done(op, &r);
    if (getenv("SETT_FAULT_VERBOSE"))
        printf("faults: %s: answered %ld %s\n", when, r.status,
               api_error_code(&r) ? api_error_code(&r) : "");
    if (r.status == 404) {
        fprintf(stderr, "faults: %s: answered 404 for what exists: %.300s\n", when,
                r.body ? r.body : "");
        goto done;
    }
    if (!done && !answered_error(&r)) {
        fprintf(stderr, "faults: %s: answered %ld, neither done nor an error: %.300s\n", when,
                r.status, r.body ? r.body : "");
        goto done;
    }
    api_resp_clear(&r);
    /* The server goes on: it still reads the account. */
    if (inv_call(&fr->w, "GET", "/billing/credits", fr->w.token[0], NULL, NULL, NULL, &r) != 0 ||
        r.status != 200) {
        fprintf(stderr, "faults: %s: then reading the balance answered %ld %.300s\n", when,
                r.status, r.body ? r.body : "");
        goto done;
    }
    api_resp_clear(&r);
    if (fault_end_check(fr, crash, fs->now, sizeof fs->now, when) != 0)
        goto done;
    if (strcmp(fs->now, fs->after) == 0) {
        done ? t->successes++ : t->ghosts++;
    } else if (done || strcmp(fs->now, fs->before) != 0) {
        fprintf(stderr,
                "faults: %s: answered %s, left half done:\n  before %s\n  after  %s\n"
                "  now    %s\n",
                when, done ? "done" : "an error", fs->before, fs->after, fs->now);
        goto done;
    } else {
        t->errors++;
    }
    /* The retry, on a server that starts from what the failed one left. */
    if (fault_start(fr) != 0 || op->send(fr, &r) != 0 || !answered_done(op, &r)) {
        fprintf(stderr, "faults: %s: the retry answered %ld %.300s\n", when, r.status,
                r.body ? r.body : "");
        goto done;
    }
    api_resp_clear(&r);
    if (fault_stop_check(fr, fs->now, sizeof fs->now, when) != 0)
        goto done;
    if (strcmp(fs->now, fs->after) != 0) {
        fprintf(stderr, "faults: %s: after the retry:\n  once %s\n  now  %s\n", when, fs->after,
                fs->now);
        goto done;
    }
    rc = 0;
done:
    fault_ctl_disarm(ctl);
    api_resp_clear(&r);
    if (fr->w.server.pid > 0)
        api_server_kill(&fr->w.server);
    return rc;
}

/* Prepares the template and measures a clean run. 0 or -1. */
static int fault_measure(const struct fault_op *op, struct fault_run *fr, struct fault_state *fs,
                         struct fault_tally *t)
{
    uint64_t at[FAULT_KINDS];
    struct api_resp r = {0};
    int rc = -1;

    if (inv_world_start_with(&fr->w, 1, setup_sql, server_args) != 0 || op->prepare(fr) != 0 ||
        fault_stop_check(fr, fs->before, sizeof fs->before, op->name) != 0)
        return -1;
    snprintf(fs->template_dir, sizeof fs->template_dir, "/tmp/sett-fault-db-XXXXXX");
    if (!mkdtemp(fs->template_dir) || db_copy(fr->w.server.dir, fs->template_dir) != 0 ||
        fault_start(fr) != 0)
        return -1;
    for (int k = 0; k < FAULT_KINDS; k++)
        at[k] = fault_ctl_seen(ctl, k);
    if (op->send(fr, &r) != 0 || !answered_done(op, &r)) {
        fprintf(stderr, "faults: %s: the clean run answered %ld %.300s\n", op->name, r.status,
                r.body ? r.body : "");
        goto done;
    }
    for (int k = 0; k < FAULT_KINDS; k++)
        t->seen[k] = fault_ctl_seen(ctl, k) - at[k];
    if (fault_stop_check(fr, fs->after, sizeof fs->after, op->name) != 0)
        goto done;
    if (strcmp(fs->before, fs->after) == 0) {
        fprintf(stderr, "faults: %s: the clean run changed nothing: %s\n", op->name, fs->after);
        goto done;
    }
    rc = 0;
done:
    api_resp_clear(&r);
    return rc;
}

static void template_remove(struct fault_state *fs)
{
    static const char *const files[] = {"billing.db", "billing.db-wal"};
    char path[128];

    if (!fs->template_dir[0])
        return;
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", fs->template_dir, files[i]);
        unlink(path);
    }
    rmdir(fs->template_dir);
}

int fault_run_op(const struct fault_op *op, unsigned lock_step, struct fault_tally *t)
{
    static struct fault_run fr;
    static struct fault_state fs;
    int64_t start = inv_now_ms();
    int failed = 0;

    memset(&fr, 0, sizeof fr);
    memset(&fs, 0, sizeof fs);
    memset(t, 0, sizeof *t);
    if (!ctl || fault_measure(op, &fr, &fs, t) != 0) {
        failed = 1;
        goto done;
    }
    /* Each write once, stopped and killed in turn; each sync twice: stopped, and killed (a
     * failed sync after the commit's frames were written is committed by the recovery). */
    for (uint64_t n = 1; n <= t->seen[FAULT_WRITE]; n++)
        failed += fault_trial(op, &fr, &fs, FAULT_WRITE, n,
                              n % 2 ? SQLITE_IOERR_WRITE : SQLITE_FULL, n % 2 == 0, t) != 0;
    for (uint64_t n = 1; n <= t->seen[FAULT_SYNC]; n++)
        for (int crash = 0; crash < 2; crash++)
            failed += fault_trial(op, &fr, &fs, FAULT_SYNC, n, SQLITE_IOERR_FSYNC, crash, t) != 0;
    for (uint64_t n = 1; lock_step && n <= t->seen[FAULT_LOCK]; n += lock_step)
        failed += fault_trial(op, &fr, &fs, FAULT_LOCK, n,
                              (n / lock_step) % 2 ? SQLITE_IOERR_LOCK : SQLITE_BUSY, false, t) != 0;
done:
    printf("faults: %s: %" PRIu64 " writes, %" PRIu64 " syncs, %" PRIu64
           " locks; %u trials (%u errors, %u ghost commits, %u successes), %d failed, %" PRId64
           " ms\n",
           op->name, t->seen[FAULT_WRITE], t->seen[FAULT_SYNC], t->seen[FAULT_LOCK], t->trials,
           t->errors, t->ghosts, t->successes, failed, inv_now_ms() - start);
    fflush(stdout);
    template_remove(&fs);
    inv_world_abandon(&fr.w);
    return failed;
}

int fault_cart(struct fault_run *fr, int64_t *total)
{
    int64_t product = inv_product_id(&fr->w, FAULT_PRODUCT);

    return product > 0 && inv_cart_add(&fr->w, 0, product, "monthly", NULL, 1, fr->text,
                                       sizeof fr->text, total) == 201
               ? 0
               : -1;
}

int fault_buy(struct fault_run *fr, const char *method, bool use_credits, const char *key,
              struct api_resp *r)
{
    int64_t total = 0;

    memset(r, 0, sizeof *r);
    if (fault_cart(fr, &total) != 0 ||
        inv_checkout(&fr->w, 0, key, fr->text, method, use_credits, total, r, NULL) != 0 ||
        r->status != 201) {
        fprintf(stderr, "faults: buying answered %ld %.300s\n", r->status, r->body ? r->body : "");
        return -1;
    }
    return 0;
}

int fault_bought(struct fault_run *fr, int64_t *invoice, int64_t *service)
{
    struct api_resp r;
    const cJSON *s;
    int64_t newest = 0;
    int rc = -1;

    if (inv_grant_credit(&fr->w, 0, FAULT_FUNDS) != 0 ||
        fault_buy(fr, "credits", true, "fault-buy", &r) != 0)
        return -1;
    if (invoice)
        *invoice = api_int(cJSON_GetObjectItemCaseSensitive(api_data(&r), "invoice"), "id");
    api_resp_clear(&r);
    if (inv_call(&fr->w, "GET", "/billing/services", fr->w.token[0], NULL, NULL, NULL, &r) == 0 &&
        r.status == 200) {
        cJSON_ArrayForEach(s, api_data(&r))
        {
            if (api_int(s, "id") > newest)
                newest = api_int(s, "id");
        }
        rc = newest > 0 && (!invoice || *invoice > 0) ? 0 : -1;
    }
    if (service)
        *service = newest;
    api_resp_clear(&r);
    return rc;
}

static void test_op(void **state)
{
    const struct fault_op *op = *state;
    struct fault_tally t;

    assert_int_equal(fault_run_op(op, 1, &t), 0);
    /* A run that failed nothing proves nothing. */
    assert_true(t.seen[FAULT_WRITE] > 0 && t.seen[FAULT_SYNC] > 0);
}

int fault_main(const struct fault_op *ops, size_t n)
{
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int failed;

    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){ops[i].name, test_op, NULL, NULL, (void *)&ops[i]};
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (fault_setup() != 0) {
        fprintf(stderr, "faults: cannot set up the shim\n");
        failed = 1;
    } else {
        failed = _cmocka_run_group_tests("faults", tests, n, NULL, NULL);
    }
    curl_global_cleanup();
    free(tests);
    return failed;
}
