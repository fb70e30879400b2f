/* seed_commerce.c: the demo shop's commerce data (coupons to try, a credit balance for the demo
 * customer) and the numbered test accounts of --seed-users. */
#include "billing/seed.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "billing/billingd.h"
#include "billing/db.h"
#include "billing/ledger.h"

#define DEMO_CREDIT 1000 /* $10.00 */

/* One demo coupon; restrictions are JSON arrays, times Unix seconds (0: none). */
struct seed_coupon {
    const char *code, *description, *type;
    int percent_bps, amount_off;
    const char *duration;
    int duration_cycles;
    int64_t starts_at, ends_at;
    bool once_per_customer;
    const char *category; /* restricted to this category's products, or NULL */
    int64_t min_subtotal;
};

static const struct seed_coupon seed_coupons[] = {
    {"WELCOME10", "10% off your first invoice", "percent", 1000, 0, "once", 0, 0, 0, true, NULL, 0},
    {"FIVEOFF", "$5 off an order of $10 or more", "fixed", 0, 500, "once", 0, 0, 0, false, NULL,
     1000},
    {"MCONLY", "15% off Minecraft plans for your first three invoices", "percent", 1500, 0,
     "repeating", 3, 0, 0, false, "minecraft", 0},
    {"LOYAL5", "5% off every invoice, for as long as the server runs", "percent", 500, 0, "forever",
     0, 0, 0, false, NULL, 0},
    /* Two that always refuse, to show how refusals read. */
    {"EXPIRED", "Spring sale (ended 31 December 2024)", "percent", 2000, 0, "once", 0, 0,
     1735689599, false, NULL, 0},
    {"NOTYET", "Launch party (from 1 January 2099)", "percent", 2000, 0, "once", 0, 4070908800, 0,
     false, NULL, 0},
};

static int seed_coupon(sqlite3 *conn, const struct seed_coupon *c, int64_t now)
{
    sqlite3_stmt *st = db_prepare(
        conn, "INSERT INTO coupons(code, description, type, percent_bps, amount_off, duration,"
              " duration_cycles, starts_at, ends_at, once_per_customer, product_ids,"
              " min_subtotal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULLIF(?8, 0),"
              " NULLIF(?9, 0), ?10, COALESCE((SELECT json_group_array(p.id) FROM products p"
              " JOIN categories k ON k.id = p.category_id WHERE k.slug = ?11), '[]'), ?12, ?13)");
    int rc = -1;

    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, c->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, c->description, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, c->type, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, c->percent_bps);
    sqlite3_bind_int(st, 5, c->amount_off);
    sqlite3_bind_text(st, 6, c->duration, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, c->duration_cycles);
    sqlite3_bind_int64(st, 8, c->starts_at);
    sqlite3_bind_int64(st, 9, c->ends_at);
    sqlite3_bind_int(st, 10, c->once_per_customer);
    if (c->category)
        sqlite3_bind_text(st, 11, c->category, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 12, c->min_subtotal);
    sqlite3_bind_int64(st, 13, now);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
    db_finalize(st);
    return rc;
}

int seed_commerce_demo(sqlite3 *conn, int64_t now)
{
    sqlite3_stmt *st = db_prepare(conn, "SELECT id FROM users WHERE email = ?");
    int64_t demo = 0;

    for (size_t i = 0; i < sizeof seed_coupons / sizeof seed_coupons[0]; i++)
        if (seed_coupon(conn, &seed_coupons[i], now) != 0) {
            db_finalize(st);
            return -1;
        }
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, BILLINGD_DEMO_EMAIL, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        demo = sqlite3_column_int64(st, 0);
    db_finalize(st);
    if (!demo)
        return -1;
    return ledger_post(conn, demo, "adjustment", DEMO_CREDIT, "Welcome credit", 0, 0, now, NULL) ==
                   API_OK
               ? 0
               : -1;
}

int seed_users(sqlite3 *conn, int n, char *err, size_t errsz)
{
    char hash[crypto_pwhash_STRBYTES];
    sqlite3_stmt *st = NULL;
    int rc = -1;

    /* Test accounts with a public password: the cheapest hash libsodium allows, so hundreds of
     * them can sign in within seconds. Never for real accounts. */
    if (crypto_pwhash_str(hash, "password", strlen("password"), crypto_pwhash_OPSLIMIT_MIN,
                          crypto_pwhash_MEMLIMIT_MIN) != 0) {
        snprintf(err, errsz, "cannot hash the test accounts' password");
        return -1;
    }
    if (db_begin(conn) != 0 ||
        !(st = db_prepare(conn, "INSERT OR IGNORE INTO users(email, name, password_hash)"
                                " VALUES (printf('customer%d@example.com', ?1),"
                                " printf('Customer %d', ?1), ?2)")))
        goto done;
    for (int i = 1; i <= n; i++) {
        sqlite3_bind_int(st, 1, i);
        sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto done;
        sqlite3_reset(st);
    }
    if (db_commit(conn) == 0)
        rc = 0;
done:
    if (rc != 0)
        snprintf(err, errsz, "cannot create the test accounts: %s", sqlite3_errmsg(conn));
    db_finalize(st);
    db_rollback(conn);
    return rc;
}
