/* scenarios_session.c: a customer's sessions over the real OpenSSH client: buying with a new key
 * and finding the service again with the same key (and not with another), no token left live
 * once the sessions ended, the layout following the client's window, a clean terminal after
 * quitting, and the idle timeout. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"

#define WIDE_ROWS 43
#define WIDE_COLS 132

static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* The disconnect line of the key's last session holds `want` (e.g. "size=80x24"). */
static bool disconnect_says(const struct e2e_shop *s, const struct e2e_key *k, const char *want)
{
    char fp[96], line[1024];
    snprintf(fp, sizeof fp, "fp=%s ", k->fingerprint);
    if (settd_proc_wait_log(s->settd, fp, 1, harness_ms(5000)) != 0 ||
        settd_proc_log_line(s->settd, fp, line, sizeof line) != 0)
        return false;
    if (!strstr(line, "settd: disconnect addr=127.0.0.1:") || !strstr(line, want)) {
        fprintf(stderr, "disconnect line without \"%s\": %s\n", want, line);
        return false;
    }
    return true;
}

/* Opens the Services screen and waits for it to settle. */
static int open_services(struct harness *h)
{
    if (harness_send(h, "v") != 0)
        return -1;
    if (harness_wait_text(h, "Services", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0 &&
                   harness_wait_gone(h, "Loading", HARNESS_TIMEOUT_MS) == 0
               ? 0
               : -1;
}

/* A new key buys Iron with the card on the sandbox page and sees it active. */
static int buy_iron(struct e2e_shop *s, struct harness *h)
{
    char url[512];
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    E_CHECK(s, harness_send(h, "/") == 0);
    E_CHECK(s, harness_wait_text(h, "Search", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_send(h, "mc-iron" HK_ENTER) == 0);
    E_CHECK(s, sett_wait_settled(h, "Iron") == 0);
    E_CHECK(s, key_settled(h, HK_ENTER, "Due today") == 0);
    /* signed in by the key: adding needs no e-mail or password */
    E_CHECK(s, harness_send(h, "a") == 0);
    E_CHECK(s, harness_wait_text(h, "Added Iron", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, !harness_screen_contains(h, "E-mail:"));
    E_CHECK(s, harness_wait_text(h, "Cart 1 ·", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, key_settled(h, "c", "Due now") == 0);
    E_CHECK(s, key_settled(h, "o", "You pay now") == 0);
    E_CHECK(s, harness_screen_contains(h, "Card (Stripe)"));
    E_CHECK(s, key_settled(h, "p", "You will be charged") == 0);
    E_CHECK(s, acct_screen_says(h, "with Card (Stripe)"));
    E_CHECK(s, harness_send(h, "y") == 0);
    E_CHECK(s, harness_wait_text(h, "Waiting for your payment", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_wait_text(h, "/sandbox/pay/", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, acct_screen_pay_url(h, url, sizeof url) == 0);
    E_CHECK(s, acct_sandbox(url, "pay") == 200);
    E_CHECK(s, harness_wait_text(h, "your order is paid", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_wait_gone(h, "Setting up", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_wait_text(h, "Active · ", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(s, harness_wait_text(h, "Cart empty", HARNESS_TIMEOUT_MS) == 0);
    return 0;
fail:
    return -1;
}

/* Reconnects with `k`: the home counts the active services, and Services shows Iron active (or,
 * for a key with no purchase, says there are none). */
static int services_seen(struct e2e_shop *s, const struct e2e_key *k, bool has_iron)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, WIDE_ROWS, WIDE_COLS);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    E_CHECK(s, e2e_wait_home(s, h) == 0);
    E_CHECK(s,
            harness_screen_contains(h, has_iron ? "Active services    1" : "Active services    0"));
    E_CHECK(s, open_services(h) == 0);
    if (has_iron) {
        E_CHECK(s, harness_wait_text(h, "Iron", HARNESS_TIMEOUT_MS) == 0);
        E_CHECK(s, harness_screen_contains(h, "Active"));
    } else {
        E_CHECK(s, harness_wait_text(h, "You have no services yet", HARNESS_TIMEOUT_MS) == 0);
        E_CHECK(s, !harness_screen_contains(h, "Iron"));
    }
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* Token pairs of the account still accepted, read from the billing server's database; -1 on
 * error. */
static long live_tokens(const struct e2e_shop *s, long user_id)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long n = -1;

    if (sqlite3_open_v2(billingd_proc_db(s->billing), &db, SQLITE_OPEN_READONLY, NULL) ==
            SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM refresh_tokens WHERE user_id = ? AND "
                           "revoked_at IS NULL AND expires_at > unixepoch()",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, user_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

int scenario_purchase(void)
{
    struct e2e_shop s = {0};
    struct e2e_key buyer = {0}, other = {0};
    struct harness *h = NULL;
    int rc = -1, active = -1;
    long buyer_id, other_id;
    H_CHECK(e2e_key_make(&buyer, "buyer@e2e") == 0);
    H_CHECK(e2e_key_make(&other, "other@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);

    h = e2e_session(&s, &buyer, NULL, NULL, WIDE_ROWS, WIDE_COLS);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, buy_iron(&s, h) == 0);
    E_CHECK(&s, open_services(h) == 0);
    E_CHECK(&s, harness_screen_contains(h, "Iron") && harness_screen_contains(h, "Active"));
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, disconnect_says(&s, &buyer, "term=xterm-256color size=132x43"));
    /* the server's side: one account for the key, the service active */
    buyer_id = e2e_account_of(&s, buyer.fingerprint, &active);
    E_CHECK(&s, buyer_id > 0 && active == 1);

    /* the same key again: the same account and its service */
    E_CHECK(&s, services_seen(&s, &buyer, true) == 0);
    E_CHECK(&s, e2e_account_of(&s, buyer.fingerprint, &active) == buyer_id && active == 1);
    /* another key is another account, with nothing */
    E_CHECK(&s, services_seen(&s, &other, false) == 0);
    other_id = e2e_account_of(&s, other.fingerprint, &active);
    E_CHECK(&s, other_id > 0 && other_id != buyer_id && active == 0);
    /* three sessions logged, each under its key (a port probe at start has fp=-) */
    char fp[96];
    snprintf(fp, sizeof fp, "fp=%s ", buyer.fingerprint);
    E_CHECK(&s, settd_proc_log_count(s.settd, fp) == 2);
    snprintf(fp, sizeof fp, "fp=%s ", other.fingerprint);
    E_CHECK(&s, settd_proc_log_count(s.settd, fp) == 1);
    E_CHECK(&s, settd_proc_log_count(s.settd, " fp=SHA256:") == 3);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    /* each session's sign-in ended with it: settd signed it out at the disconnect */
    E_CHECK(&s, live_tokens(&s, buyer_id) == 0);
    E_CHECK(&s, live_tokens(&s, other_id) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&buyer);
    e2e_key_remove(&other);
    return rc;
}

int scenario_resize(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1, row, col;
    H_CHECK(e2e_key_make(&k, "resize@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    /* 80x24 shows five products; the price ends at the right edge */
    E_CHECK(&s, !harness_screen_contains(h, "Netherite"));
    E_CHECK(&s, harness_find(h, "from $2.99/mo", &row, &col) == 0 && col < 80);
    /* the client's window grows: the window change reaches sett through settd */
    E_CHECK(&s, harness_resize(h, WIDE_ROWS, WIDE_COLS) == 0);
    E_CHECK(&s, harness_wait_text(h, "Netherite", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, harness_find(h, "from $2.99/mo", &row, &col) == 0 && col > 100);
    E_CHECK(&s, harness_screen_contains(h, "H home"));
    /* and shrinks back */
    E_CHECK(&s, harness_resize(h, 24, 80) == 0);
    E_CHECK(&s, harness_wait_gone(h, "Netherite", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, sett_wait_settled(h, "Dirt") == 0);
    E_CHECK(&s, harness_find(h, "from $2.99/mo", &row, &col) == 0 && col < 80);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    E_CHECK(&s, disconnect_says(&s, &k, "size=80x24"));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

#define IDLE_TIMEOUT_S 4

int scenario_idle(void)
{
    const char *args[] = {"--idle-timeout", "4", "--idle-warning", "2", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1, status;
    H_CHECK(e2e_key_make(&k, "idle@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    long long start = net_now_ms();
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    /* nothing typed: the warning inside sett; a key keeps the session */
    E_CHECK(&s, harness_wait_text(h, "inactivity", harness_ms(IDLE_TIMEOUT_S * 1000 + 5000)) == 0);
    E_CHECK(&s, harness_altscreen(h)); /* shown by sett, on its screen */
    E_CHECK(&s, net_now_ms() - start < IDLE_TIMEOUT_S * 1000 + harness_ms(2000));
    E_CHECK(&s, harness_send(h, "?") == 0);
    E_CHECK(&s, harness_wait_text(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, harness_send(h, "x") == 0);
    E_CHECK(&s, harness_wait_gone(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    long long last_key = net_now_ms();
    size_t after_key = harness_raw_len(h);
    /* then nothing again: warned once more, and the session ends a full timeout after the key */
    E_CHECK(&s, harness_wait_exit(h, harness_ms(IDLE_TIMEOUT_S * 1000 + 5000), &status) == 0);
    long long idle = net_now_ms() - last_key;
    fprintf(stderr, "closed %lld ms after the last key; ssh status 0x%x\n", idle, status);
    E_CHECK(&s, idle >= IDLE_TIMEOUT_S * 1000 - 500);
    E_CHECK(&s, harness_raw_find(h, after_key, "inactivity", 10) >= 0);
    E_CHECK(&s, harness_screen_contains(h, "without input"));
    /* the client's terminal is back as it was */
    E_CHECK(&s, harness_raw_find(h, 0, "\x1b[?1049l", 8) >= 0);
    E_CHECK(&s, e2e_terminal_clean(h));
    E_CHECK(&s, disconnect_says(&s, &k, "reason="));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_shop_serving(&s));
    rc = 0;
fail:
    if (rc != 0 && h)
        harness_print_screen(h, stderr, "idle session");
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

/* A client whose TERM has no terminfo entry here (or is not a name at all) still gets the store,
 * drawn for the fallback terminal, which the log names. */
int scenario_unknown_term(void)
{
    static const char *const terms[] = {"TERM=vt-nonexistent-9000", "TERM=../../etc/passwd"};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "term@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    for (size_t i = 0; i < sizeof terms / sizeof terms[0]; i++) {
        const char *env[] = {terms[i], NULL};
        h = e2e_session(&s, &k, NULL, env, 24, 80);
        E_CHECK(&s, h != NULL);
        E_CHECK(&s, e2e_wait_store(&s, h) == 0);
        E_CHECK(&s, e2e_quit(&s, h) == 0);
        harness_free(&h);
        E_CHECK(&s, settd_proc_wait_log(s.settd, "term=xterm-256color size=80x24", (int)i + 1,
                                        harness_ms(5000)) == 0);
    }
    E_CHECK(&s, settd_proc_log_count(s.settd, "nonexistent") == 0);
    E_CHECK(&s, settd_proc_log_count(s.settd, "passwd") == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
