/* inproc_plan_change_year.c: a year of random plan changes (products, memory, cycles; upgrades
 * paid or abandoned, downgrades scheduled or at once) on random services, the scheduler run
 * every day and every renewal paid on its due date. Every change invoice equals its quote to the
 * minor unit; what each service paid equals the second-by-second value of the plans it held;
 * no period is billed twice or at a stale price; the limited product is never oversold. */
#include "inproc_lifecycle.h"

#include <math.h>

#define N_SERVICES 8
#define DEMO_USER  1

static const char *const products[] = {"mc-dirt",    "mc-stone",     "mc-iron", "mc-gold",
                                       "mc-diamond", "mc-netherite", "mc-flex"};
static const char *const cycles[] = {"monthly", "quarterly", "annual"};

/* What the test knows of one service: the plan, the period it paid, and value held so far. */
struct model {
    int64_t id;
    int64_t price;       /* per cycle, the plan held now */
    int64_t start, end;  /* the period paid: [start, end), midnights */
    int64_t seg_from;    /* the plan held now was held from here */
    long double held;    /* value of what was held before seg_from */
    int64_t paid;        /* what was paid for it, minor units (credits returned taken off) */
    bool scheduled;      /* a downgrade waits for `end` */
    int64_t sched_price; /* its price */
    int changes;         /* applied changes: each may round by one minor unit */
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int64_t due_unix(struct lc *t, int64_t svc)
{
    char buf[32];
    struct date d;

    assert_true(date_parse(lc_due(t, svc, buf, sizeof buf), &d));
    return date_to_unix(d);
}

static void hold_until(struct model *m, int64_t until)
{
    m->held += (long double)m->price * (long double)(until - m->seg_from) /
               (long double)(m->end - m->start);
    m->seg_from = until;
}

/* Pays every renewal invoice whose period has begun, checking it bills the plan due then. */
static void pay_renewals(struct lc *t, struct model *m, int64_t now)
{
    char today[DATE_CHARS], start[DATE_CHARS];
    int64_t inv;

    date_format(date_from_unix(now), today);
    date_format(date_from_unix(m->end), start);
    if (strcmp(start, today) > 0)
        return;
    inv = lc_renewal(t, m->id, start);
    if (inv == INT64_MIN)
        return;
    hold_until(m, m->end);
    if (m->scheduled) {
        m->price = m->sched_price;
        m->scheduled = false;
    }
    /* Never a stale price: the renewal bills the plan the service holds from that day. */
    assert_int_equal(lc_int(t, "SELECT subtotal FROM invoices WHERE id = ?1", inv), m->price);
    lc_pay(t, inv, now);
    m->paid += m->price;
    m->start = m->end;
    m->seg_from = m->start;
    m->end = due_unix(t, m->id);
}

static void post(struct lc *t, const char *method, const char *path, const char *token,
                 const char *key, const char *body, struct lc_resp *r)
{
    char idem[96];
    const char *headers[] = {"Content-Type: application/json", idem, NULL};

    snprintf(idem, sizeof idem, "Idempotency-Key: %s", key ? key : "none");
    if (!key)
        headers[1] = NULL;
    lc_call(t, method, path, token, headers, body, r);
}

/* One random change of m at `now`: quoted, made, then paid or abandoned. */
static void try_change(struct lc *t, const char *token, struct model *m, int64_t now,
                       int64_t netherite, int *n_made)
{
    const char *slug = products[rnd(7)], *cycle = cycles[rnd(3)];
    char path[96], body[256], key[48], target[160];
    int64_t product = 0;
    struct lc_resp q, c, x;
    int64_t total, net, to_price, refund, balance;
    const char *timing;

    {
        sqlite3 *conn = lc_db(t);
        sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM products WHERE slug = ?");

        sqlite3_bind_text(st, 1, slug, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW)
            product = sqlite3_column_int64(st, 0);
        db_finalize(st);
        lc_db_done(t);
    }
    if (strcmp(slug, "mc-flex") == 0 && rnd(2))
        snprintf(target, sizeof target,
                 "\"product_id\":%lld,\"cycle\":\"%s\",\"options\":{\"memory_mb\":%u}",
                 (long long)product, cycle, 2048 + 1024 * rnd(31));
    else if (rnd(3) == 0)
        snprintf(target, sizeof target, "\"cycle\":\"%s\"", cycle);
    else
        snprintf(target, sizeof target, "\"product_id\":%lld", (long long)product);
    billingd_set_clock(t->d, now);
    snprintf(path, sizeof path, "/billing/services/%lld/change-quote", (long long)m->id);
    snprintf(body, sizeof body, "{%s}", target);
    post(t, "POST", path, token, NULL, body, &q);
    if (q.status != 200) {
        /* Refusals: the cycle not offered, the same plan, no stock left. */
        assert_true(q.status == 422 ||
                    (q.status == 409 && (strcmp(lc_error(&q), "out_of_stock") == 0) &&
                     product == netherite));
        lc_resp_clear(&q);
        return;
    }
    total = lc_num(cJSON_GetObjectItem(lc_data(&q), "total"), "amount");
    net = lc_num(cJSON_GetObjectItem(lc_data(&q), "net"), "amount");
    refund = lc_num(cJSON_GetObjectItem(lc_data(&q), "refund_to_balance"), "amount");
    to_price = lc_num(
        cJSON_GetObjectItem(cJSON_GetObjectItem(lc_data(&q), "to"), "recurring_price"), "amount");
    snprintf(key, sizeof key, "year-%lld-%lld", (long long)m->id, (long long)now);
    snprintf(path, sizeof path, "/billing/services/%lld/changes", (long long)m->id);
    snprintf(body, sizeof body, "{%s,\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
             target, (long long)total);
    balance = lc_int(t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER);
    post(t, "POST", path, token, key, body, &c);
    if (c.status == 409) {
        /* Only while a scheduled downgrade waits. */
        assert_string_equal(lc_error(&c), "change_pending");
        assert_true(m->scheduled);
        goto done;
    }
    assert_int_equal(c.status, 201);
    (*n_made)++;
    timing = lc_str(cJSON_GetObjectItem(lc_data(&c), "change"), "timing");
    if (strcmp(timing, "on_payment") == 0) {
        cJSON *inv = cJSON_GetObjectItem(lc_data(&c), "invoice");
        int64_t id = lc_num(inv, "id");

        if (id == INT64_MIN)
            fail_msg("no invoice: %s", c.body);

        /* The invoice is the quote, to the minor unit. */
        assert_int_equal(lc_int(t, "SELECT total FROM invoices WHERE id = ?1", id), total);
        assert_int_equal(lc_int(t, "SELECT subtotal FROM invoices WHERE id = ?1", id), net);
        assert_int_equal(
            lc_int(t, "SELECT sum(amount) FROM invoice_lines WHERE invoice_id = ?1", id), net);
        if (rnd(3) != 0) {
            char due[DATE_CHARS];

            date_format(date_from_unix(m->end), due);
            lc_pay(t, id, now);
            /* Held on the old plan until now (a new cycle: until today's midnight). */
            if (lc_int(t, "SELECT to_cycle <> from_cycle FROM plan_changes WHERE invoice_id = ?1",
                       id)) {
                hold_until(m, date_to_unix(date_from_unix(now)));
                m->start = m->seg_from;
                m->end = due_unix(t, m->id);
            } else {
                hold_until(m, now);
            }
            m->price = to_price;
            m->paid += net;
            m->changes++;
            assert_int_equal(
                lc_int(t, "SELECT recurring_amount FROM services WHERE id = ?1", m->id), to_price);
        } else {
            snprintf(path, sizeof path, "/billing/services/%lld/changes/%lld", (long long)m->id,
                     (long long)lc_num(cJSON_GetObjectItem(lc_data(&c), "change"), "id"));
            lc_call(t, "DELETE", path, token, NULL, NULL, &x);
            assert_int_equal(x.status, 200);
            assert_string_equal(lc_str(lc_data(&x), "status"), "cancelled");
            assert_int_equal(
                lc_int(t, "SELECT status = 'cancelled' FROM invoices WHERE id = ?1", id), 1);
            lc_resp_clear(&x);
        }
    } else if (strcmp(timing, "now") == 0) {
        assert_int_equal(total, 0);
        if (lc_int(t,
                   "SELECT to_cycle <> from_cycle FROM plan_changes WHERE id = (SELECT"
                   " max(id) FROM plan_changes WHERE service_id = ?1)",
                   m->id)) {
            hold_until(m, date_to_unix(date_from_unix(now)));
            m->start = m->seg_from;
            m->end = due_unix(t, m->id);
        } else {
            hold_until(m, now);
        }
        m->price = to_price;
        m->paid -= refund;
        m->changes++;
        assert_int_equal(refund, -net);
        assert_int_equal(lc_int(t, "SELECT credit_balance FROM users WHERE id = ?1", DEMO_USER),
                         balance + refund);
    } else {
        assert_string_equal(timing, "next_renewal");
        assert_int_equal(total, 0);
        m->scheduled = true;
        m->sched_price = to_price;
    }
done:
    lc_resp_clear(&q);
    lc_resp_clear(&c);
}

/* Stock of the limited product: what is left, what services hold, what waiting changes hold. */
static void check_stock(struct lc *t, int64_t netherite, int64_t initial)
{
    int64_t left = lc_int(t, "SELECT stock_available FROM products WHERE id = ?1", netherite);
    int64_t held = lc_int(t,
                          "SELECT (SELECT count(*) FROM services WHERE product_id = ?1) +"
                          " (SELECT count(*) FROM plan_changes WHERE to_product_id = ?1 AND"
                          " stock_held = 1)",
                          netherite);

    assert_true(left >= 0);
    assert_int_equal(left + held, initial);
}

static void run_year(bool immediate)
{
    int64_t start = lc_noon(2025, 1, 31), netherite, initial;
    struct model m[N_SERVICES];
    char token[128];
    int made = 0;
    struct lc t;

    lc_start(&t, start);
    /* Amounts before tax are what the value of a plan is measured in. */
    lc_exec(&t, "UPDATE settings SET value = '0' WHERE key = 'tax_enabled'");
    if (immediate)
        lc_exec(&t, "UPDATE settings SET value = '1' WHERE key = 'downgrades_immediate'");
    lc_login(&t, "demo@example.com", "demo", token);
    netherite = lc_int(&t, "SELECT id FROM products WHERE slug = 'mc-netherite' AND ?1 = ?1", 0);
    initial = lc_int(&t, "SELECT stock_available FROM products WHERE id = ?1", netherite);
    for (int i = 0; i < N_SERVICES; i++) {
        const char *slug = products[i % 5], *cycle = i % 3 == 2 ? "quarterly" : "monthly";

        memset(&m[i], 0, sizeof m[i]);
        m[i].id = lc_service(&t, DEMO_USER, slug, cycle, start);
        m[i].price = lc_int(&t, "SELECT recurring_amount FROM services WHERE id = ?1", m[i].id);
        m[i].start = date_to_unix(date_from_unix(start));
        m[i].seg_from = m[i].start;
        m[i].end = due_unix(&t, m[i].id);
        m[i].paid = m[i].price; /* the first period, paid at checkout */
    }
    for (int day = 1; day <= 365; day++) {
        int64_t noon = start + (int64_t)day * DAY;

        lc_run(&t, noon);
        for (int i = 0; i < N_SERVICES; i++) {
            if (m[i].scheduled && noon >= m[i].end)
                assert_int_equal(lc_int(&t,
                                        "SELECT count(*) FROM plan_changes WHERE service_id = ?1"
                                        " AND status = 'scheduled'",
                                        m[i].id),
                                 0);
            pay_renewals(&t, &m[i], noon);
        }
        for (int i = 0; i < N_SERVICES; i++)
            if (rnd(6) == 0)
                try_change(&t, token, &m[i], noon + (int64_t)rnd(40000), netherite, &made);
        check_stock(&t, netherite, initial);
    }
    print_message("%d changes made\n", made);
    assert_true(made > 60);
    for (int i = 0; i < N_SERVICES; i++) {
        long double diff;

        hold_until(&m[i], m[i].end);
        diff = (long double)m[i].paid - m[i].held;
        /* Each applied change rounds its credit and its charge by at most half a unit. */
        if (fabsl(diff) > m[i].changes + 0.5L)
            fail_msg("service %lld paid %lld for %.3Lf held (%d changes)", (long long)m[i].id,
                     (long long)m[i].paid, m[i].held, m[i].changes);
        /* No period is billed twice, and billed periods never overlap. */
        assert_int_equal(lc_int(&t,
                                "SELECT count(*) FROM invoices a JOIN invoices b ON"
                                " a.service_id = b.service_id AND a.id < b.id AND a.kind ="
                                " 'renewal' AND b.kind = 'renewal' AND a.status <> 'cancelled'"
                                " AND b.status <> 'cancelled' AND b.period_start <= a.period_end"
                                " AND a.period_start <= b.period_end WHERE a.service_id = ?1",
                                m[i].id),
                         0);
    }
    lc_stop(&t);
}

static void test_year_downgrades_at_renewal(void **state)
{
    (void)state;
    run_year(false);
}

static void test_year_downgrades_at_once(void **state)
{
    (void)state;
    run_year(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_downgrades_at_renewal),
        cmocka_unit_test(test_year_downgrades_at_once),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
