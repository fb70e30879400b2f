/* scenarios_embedded.c: `settd` alone is a shop over SSH: with no API it serves every session
 * from its embedded billing server, whose accounts (and the host key) outlive a restart; that
 * server seeds no account and runs the sandbox gateway only with `settd --sandbox`. */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "tempdir.h"

/* settd with nothing but a data directory. */
static int start_alone(struct e2e_shop *s, const char *data)
{
    const char *args[] = {"--data-dir", data, NULL};
    memset(s, 0, sizeof *s);
    s->settd = settd_proc_start(SETTD_BIN, args, harness_ms(HARNESS_TIMEOUT_MS));
    return s->settd ? 0 : -1;
}

/* The host key's fingerprint from settd's first log line. */
static int host_key_of(const struct e2e_shop *s, char *fp, size_t n)
{
    char line[256];
    const char *at;
    if (settd_proc_log_line(s->settd, "settd: host key SHA256:", line, sizeof line) != 0 ||
        !(at = strstr(line, "SHA256:")))
        return -1;
    snprintf(fp, n, "%s", at);
    return 0;
}

/* A session with `k` that waits for the store and for the header's cart to say `cart`; with
 * `add`, puts the second product in the cart first. */
static int visit(struct e2e_shop *s, const struct e2e_key *k, bool add, const char *cart)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    if (add) {
        E_CHECK(s, harness_key(h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
        E_CHECK(s, harness_send(h, HK_ENTER) == 0);
        E_CHECK(s, harness_wait_text(h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
        E_CHECK(s, harness_send(h, "a") == 0);
    }
    E_CHECK(s, harness_wait_text(h, cart, HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

int scenario_embedded(void)
{
    char dir[512] = "", data[600], first[96] = "", again[96] = "";
    struct e2e_shop s = {0};
    struct e2e_key k = {0}, other = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "alone@e2e") == 0);
    H_CHECK(e2e_key_make(&other, "other@e2e") == 0);
    H_CHECK(tempdir_make("settd-alone", dir, sizeof dir) == 0);
    snprintf(data, sizeof data, "%s/data", dir);

    /* a new key signs up on the embedded server and fills its cart */
    H_CHECK(start_alone(&s, data) == 0);
    E_CHECK(&s, host_key_of(&s, first, sizeof first) == 0);
    E_CHECK(&s, visit(&s, &k, true, "Cart 1 ·") == 0);
    E_CHECK(&s, e2e_shop_stop(&s) == 0);

    /* restarted on the same data: the same host key, the same account with its cart */
    H_CHECK(start_alone(&s, data) == 0);
    E_CHECK(&s, host_key_of(&s, again, sizeof again) == 0);
    E_CHECK(&s, strcmp(first, again) == 0);
    E_CHECK(&s, visit(&s, &k, false, "Cart 1 ·") == 0);
    /* another key is another account */
    E_CHECK(&s, visit(&s, &other, false, "Cart empty") == 0);
    rc = 0;
fail:
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    e2e_key_remove(&k);
    e2e_key_remove(&other);
    return rc;
}

/* How many accounts settd's database holds, leaving out its internal service operator (the
 * owner of its `ssh` service key, which has no password); `ssh_only` counts those made by an
 * SSH key. -1 on error. */
static int count_accounts(const char *data, bool ssh_only)
{
    char path[700];
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    snprintf(path, sizeof path, "%s/billing.db", data);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        goto done;
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db,
                           ssh_only ? "SELECT count(*) FROM users WHERE email LIKE 'ssh:%'"
                                    : "SELECT count(*) FROM users WHERE email <> ?1 OR"
                                      " password_hash IS NOT NULL",
                           -1, &st, NULL) != SQLITE_OK)
        goto done;
    sqlite3_bind_text(st, 1, "settd@service.invalid", -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
done:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* settd listens before its embedded server is up: waits (bounded) until that server has minted
 * its service key, whose owner is then in the database. 0 or -1. */
static int wait_service_account(const char *data)
{
    char path[700];
    for (int i = 0; i < 300; i++) {
        sqlite3 *db = NULL;
        sqlite3_stmt *st = NULL;
        int n = 0;
        snprintf(path, sizeof path, "%s/billing.db", data);
        if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
            sqlite3_prepare_v2(db,
                               "SELECT count(*) FROM users u JOIN api_keys k ON k.user_id = u.id"
                               " WHERE u.email = 'settd@service.invalid' AND u.password_hash IS"
                               " NULL AND u.role = 'admin' AND k.revoked_at IS NULL",
                               -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        sqlite3_close(db);
        if (n == 1)
            return 0;
        poll(NULL, 0, 50);
    }
    fprintf(stderr, "no service account in %s/billing.db\n", data);
    return -1;
}

/* A session that waits for the store, checks the header for the sandbox mark (or its absence)
 * and the help for the sign-in key (absent: the key is the identity), then quits. */
static int visit_doors(struct e2e_shop *s, const struct e2e_key *k, bool sandbox)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    char row[512];
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    if (sandbox)
        E_CHECK(s, harness_wait_text(h, "SANDBOX — no real money", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_row_text(h, 0, row, sizeof row) >= 0);
    E_CHECK(s, (strstr(row, "SANDBOX") != NULL) == sandbox);
    E_CHECK(s, harness_send(h, "?") == 0);
    E_CHECK(s, harness_wait_text(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, !harness_screen_contains(h, "sign out of this account"));
    E_CHECK(s, harness_send(h, "x") == 0);
    E_CHECK(s, harness_wait_gone(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* No default doors in settd alone: its embedded server seeds no account and runs no sandbox;
 * the first account is the first key's. `settd --sandbox` runs the sandbox, and sett marks it. */
int scenario_embedded_doors(void)
{
    char dir[512] = "", data[600];
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "doors@e2e") == 0);
    H_CHECK(tempdir_make("settd-doors", dir, sizeof dir) == 0);
    snprintf(data, sizeof data, "%s/data", dir);

    H_CHECK(start_alone(&s, data) == 0);
    E_CHECK(&s, wait_service_account(data) == 0);
    E_CHECK(&s, count_accounts(data, false) == 0);
    E_CHECK(&s, visit_doors(&s, &k, false) == 0);
    E_CHECK(&s, count_accounts(data, false) == 1);
    E_CHECK(&s, count_accounts(data, true) == 1);
    E_CHECK(&s, e2e_shop_stop(&s) == 0);

    {
        const char *args[] = {"--data-dir", data, "--sandbox", NULL};
        s.settd = settd_proc_start(SETTD_BIN, args, harness_ms(HARNESS_TIMEOUT_MS));
        H_CHECK(s.settd != NULL);
    }
    E_CHECK(&s, visit_doors(&s, &k, true) == 0);
    E_CHECK(&s, count_accounts(data, false) == 1); /* the same key, the same account */
    rc = 0;
fail:
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    e2e_key_remove(&k);
    return rc;
}
