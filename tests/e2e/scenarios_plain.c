/* scenarios_plain.c: plain mode over SSH: the user name `plain`, a terminal of type dumb and a
 * client without a terminal get `sett --plain` (numbered lines, not one escape byte from the
 * server), a purchase with credits announced in sentences, and an xterm still full-screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e_scenarios.h"
#include "account_support.h"
#include "e2e_support.h"
#include "netutil.h"

#define ROWS 24
#define COLS 80
/* plain mode's first screen, as its numbered lines */
#define STORE_TITLE "Store. 5 categories."
#define STORE_FIRST "1. Minecraft: 7 products."

/* `ssh … -tt USER@127.0.0.1` on the harness's terminal. */
static struct harness *session_as(const struct e2e_shop *s, const struct e2e_key *k,
                                  const char *user, const char *const env_add[])
{
    struct e2e_argv a;
    e2e_ssh_argv(&a, e2e_shop_port(s), k);
    e2e_argv_add(&a, "-tt");
    e2e_argv_addf(&a, "%s@127.0.0.1", user);
    struct harness *h = harness_start(a.v, env_add, ROWS, COLS);
    if (!h)
        e2e_shop_dump(s);
    return h;
}

/* Waits for `text` in the byte stream after `from` (plain mode's lines scroll). */
static int wait_said(const struct e2e_shop *s, struct harness *h, size_t from, const char *text)
{
    if (harness_wait_raw(h, from, text, harness_ms(HARNESS_TIMEOUT_MS)) == 0)
        return 0;
    size_t len;
    const unsigned char *raw = harness_raw(h, &len);
    fprintf(stderr, "not said: \"%s\"; the transcript:\n%.*s\n", text, (int)len, raw);
    e2e_shop_dump(s);
    return -1;
}

/* Types a line and waits for `text` in what follows. */
static int say(const struct e2e_shop *s, struct harness *h, const char *line, const char *text)
{
    size_t from = harness_raw_len(h);
    if (harness_send(h, line) != 0 || harness_send(h, HK_ENTER) != 0)
        return -1;
    return wait_said(s, h, from, text);
}

/* Every byte so far came from the server: ssh -tt writes only the channel's data to the
 * terminal until it exits. Plain mode's share of it holds no escape (0x1b). */
static bool no_escape_yet(struct harness *h)
{
    size_t len;
    const unsigned char *raw = harness_raw(h, &len);
    const unsigned char *esc = memchr(raw, 0x1b, len);
    if (esc)
        fprintf(stderr, "an escape byte at offset %zu of %zu from the server\n",
                (size_t)(esc - raw), len);
    return esc == NULL && len > 0;
}

/* The session is plain mode: its first screen, numbered, and no escape byte; never the
 * alternate screen. */
static int plain_first_screen(const struct e2e_shop *s, struct harness *h)
{
    E_CHECK(s, wait_said(s, h, 0, "sett, plain mode.") == 0);
    E_CHECK(s, wait_said(s, h, 0, STORE_TITLE) == 0);
    E_CHECK(s, wait_said(s, h, 0, STORE_FIRST) == 0);
    E_CHECK(s, wait_said(s, h, 0, "Type a choice, or ? for help.") == 0);
    E_CHECK(s, harness_wait_quiet(h, SETT_QUIET_MS, harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    E_CHECK(s, !harness_altscreen(h));
    E_CHECK(s, no_escape_yet(h));
    return 0;
fail:
    return -1;
}

/* `q`: sett says goodbye and ssh exits 0, still without an escape byte. */
static int plain_quit(const struct e2e_shop *s, struct harness *h)
{
    int status;
    E_CHECK(s, say(s, h, "q", "Goodbye.") == 0);
    E_CHECK(s, no_escape_yet(h));
    E_CHECK(s, harness_wait_exit(h, harness_ms(10000), &status) == 0);
    E_CHECK(s, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
fail:
    return -1;
}

/* The disconnect line of the key's last session holds `want`. */
/* The key's `nth` session has ended (ssh can exit before settd logs it) and its line has `want`. */
static bool logged(const struct e2e_shop *s, const struct e2e_key *k, int nth, const char *want)
{
    char fp[96], line[1024];
    snprintf(fp, sizeof fp, "fp=%s ", k->fingerprint);
    if (settd_proc_wait_log(s->settd, fp, nth, harness_ms(5000)) != 0 ||
        settd_proc_log_line(s->settd, fp, line, sizeof line) != 0 || !strstr(line, want)) {
        fprintf(stderr, "no disconnect line with \"%s\" for %s\n", want, k->fingerprint);
        return false;
    }
    return true;
}

/* The operator gives the key's account $10.00 of credit (the demo customer's welcome credit). */
static int give_credit(const struct e2e_shop *s, const struct e2e_key *k)
{
    struct acct admin;
    char path[96];
    long status = 0;
    char *resp = NULL;
    long id = e2e_account_of(s, k->fingerprint, NULL);
    if (id <= 0 || acct_login(&admin, e2e_shop_api(s), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0)
        return -1;
    snprintf(path, sizeof path, "/admin/users/%ld/credits", id);
    int rc = acct_call(&admin, "POST", path,
                       "{\"amount\":{\"amount\":1000,\"currency\":\"USD\"},"
                       "\"reason\":\"Welcome credit\"}",
                       NULL, "e2e-plain-credit", &status, &resp);
    if (rc != 0 || status / 100 != 2) {
        fprintf(stderr, "credit: HTTP %ld %s\n", status, resp ? resp : "");
        rc = -1;
    }
    free(resp);
    return rc;
}

/* The pay link plain mode printed after `from`: "http…/sandbox/pay/…" up to the line's end. */
static int said_pay_url(struct harness *h, size_t from, char *url, size_t n)
{
    size_t len;
    const char *raw = (const char *)harness_raw(h, &len);
    const char *end = raw + len, *at = raw + from, *p;
    for (p = at; p + 13 <= end && memcmp(p, "/sandbox/pay/", 13) != 0; p++)
        ;
    if (p + 13 > end)
        return -1;
    while (p > at && p[-1] != ' ' && p[-1] != '\n' && p[-1] != '\r')
        p--;
    size_t k = 0;
    while (p + k < end && p[k] != '\r' && p[k] != '\n' && p[k] != ' ' && k + 1 < n)
        k++;
    if (k < 8 || memcmp(p, "http", 4) != 0)
        return -1;
    memcpy(url, p, k);
    url[k] = '\0';
    return 0;
}

/* Dirt, monthly, with the coupon WELCOME10, paid by card on the sandbox page; then the new
 * service and its paid invoice. Every step is one sentence. */
static int buy_in_sandbox(const struct e2e_shop *s, struct harness *h)
{
    char url[512];
    E_CHECK(s, say(s, h, "1", "Minecraft: 7 products.") == 0);
    E_CHECK(s, say(s, h, "1", "Product: Dirt.") == 0);
    E_CHECK(s, say(s, h, "a", "Added Dirt, monthly, to the cart. Cart: 1 item, $3.59.") == 0);
    E_CHECK(s, say(s, h, "c", "Your credits: $10.00.") == 0);
    E_CHECK(s, say(s, h, "C WELCOME10", "Coupon WELCOME10 applied. Cart: 1 item, $") == 0);
    E_CHECK(s, say(s, h, "o", "How would you like to pay?") == 0);
    E_CHECK(s, say(s, h, "1", "Use your credit balance of $10.00 first?") == 0);
    E_CHECK(s, say(s, h, "n", "with Card (Stripe)? Type y to confirm") == 0);
    size_t from = harness_raw_len(h);
    E_CHECK(s, say(s, h, "y", "Order ORD-") == 0);
    E_CHECK(s, wait_said(s, h, from, "To pay, open this link in a browser:") == 0);
    E_CHECK(s, wait_said(s, h, from, "Waiting for the payment.") == 0);
    E_CHECK(s, said_pay_url(h, from, url, sizeof url) == 0);
    E_CHECK(s, acct_sandbox(url, "pay") == 200);
    E_CHECK(s, wait_said(s, h, from, "Payment received: $") == 0);
    E_CHECK(s, wait_said(s, h, from, "The invoice is paid.") == 0);
    E_CHECK(s, say(s, h, "v", "Your services: 1.") == 0);
    E_CHECK(s, say(s, h, "1", "Status: ") == 0);
    E_CHECK(s, say(s, h, "i", "Your invoices: 1.") == 0);
    E_CHECK(s, say(s, h, "1", "Coupon: WELCOME10.") == 0);
    E_CHECK(s, wait_said(s, h, from, "Amount due: $0.00.") == 0);
    E_CHECK(s, say(s, h, "$", "$10.00") == 0);
    E_CHECK(s, no_escape_yet(h));
    return 0;
fail:
    return -1;
}

int scenario_plain_user(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1, active = -1;
    H_CHECK(e2e_key_make(&k, "plain@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);

    /* plain@: plain mode on an xterm, signed in by the key */
    h = session_as(&s, &k, "plain", NULL);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, plain_first_screen(&s, h) == 0);
    E_CHECK(&s, !harness_screen_contains(h, "E-mail:"));
    E_CHECK(&s, give_credit(&s, &k) == 0);
    E_CHECK(&s, buy_in_sandbox(&s, h) == 0);
    E_CHECK(&s, plain_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, logged(&s, &k, 1, "term=xterm-256color size=80x24 mode=plain "));
    E_CHECK(&s, logged(&s, &k, 1, "reason=quit"));
    /* the key is the account, whatever the user name: the same one, with its service */
    long id = e2e_account_of(&s, k.fingerprint, &active);
    E_CHECK(&s, id > 0 && active == 1);

    /* the same key as any other name: the full screen, the same account */
    h = e2e_session(&s, &k, NULL, NULL, ROWS, COLS);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, harness_altscreen(h));
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, logged(&s, &k, 2, "mode=full "));
    E_CHECK(&s, e2e_account_of(&s, k.fingerprint, &active) == id && active == 1);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

/* Without a terminal (ssh -T): sett's lines on the channel, answers read from the client's
 * input, the end of that input the end of the session; the key's `nth` session. */
static int no_pty_session(struct e2e_shop *s, const struct e2e_key *k, int nth)
{
    struct e2e_argv a;
    struct e2e_out out = {0};
    int rc = -1;
    e2e_ssh_argv(&a, e2e_shop_port(s), k);
    e2e_argv_add(&a, "-T");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(s, e2e_run(a.v, NULL, k->dir, "1\n", harness_ms(20000), &out) == 0);
    fprintf(stderr, "---- ssh -T (exit %d) ----\n%s---- end ----\n", e2e_exit_code(&out), out.text);
    E_CHECK(s, !out.timed_out && e2e_exit_code(&out) == 0);
    E_CHECK(s, strstr(out.text, STORE_TITLE) && strstr(out.text, STORE_FIRST));
    E_CHECK(s, strstr(out.text, "Minecraft: 7 products."));
    E_CHECK(s, memchr(out.text, 0x1b, out.len) == NULL);
    E_CHECK(s, logged(s, k, nth, "term=- size=- mode=plain "));
    E_CHECK(s, logged(s, k, nth, "reason=quit"));
    rc = 0;
fail:
    e2e_out_free(&out);
    return rc;
}

int scenario_plain_term(void)
{
    const char *const dumb[] = {"TERM=dumb", NULL};
    const char *const args[] = {"--plain-user", "reader", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "dumb@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);

    /* TERM=dumb with the usual user name */
    h = session_as(&s, &k, "guest", dumb);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, plain_first_screen(&s, h) == 0);
    E_CHECK(&s, say(&s, h, "2", "Rust: 5 products.") == 0);
    E_CHECK(&s, no_escape_yet(h));
    E_CHECK(&s, plain_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, logged(&s, &k, 1, "term=dumb size=80x24 mode=plain "));

    /* --plain-user reader: that name is plain mode, and `plain` is an ordinary name */
    h = session_as(&s, &k, "reader", NULL);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, plain_first_screen(&s, h) == 0);
    E_CHECK(&s, plain_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, logged(&s, &k, 2, "mode=plain "));
    h = session_as(&s, &k, "plain", NULL);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, harness_altscreen(h));
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, logged(&s, &k, 3, "term=xterm-256color size=80x24 mode=full "));

    E_CHECK(&s, no_pty_session(&s, &k, 4) == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

/* Idle in plain mode: the warning comes as a line of text (plain mode has no status line to show
 * it on, and must not be ended by the warning), a line typed keeps the session, and it ends a
 * full timeout after that with settd's own line. */
int scenario_plain_idle(void)
{
    const char *const args[] = {"--idle-timeout", "4", "--idle-warning", "2", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    int rc = -1, status;
    H_CHECK(e2e_key_make(&k, "plainidle@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);

    h = session_as(&s, &k, "plain", NULL);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, plain_first_screen(&s, h) == 0);
    E_CHECK(&s, wait_said(&s, h, 0, "closes in 2 s for inactivity") == 0);
    E_CHECK(&s, no_escape_yet(h));
    /* sett is still there and answers */
    E_CHECK(&s, say(&s, h, "2", "Rust: 5 products.") == 0);
    long long last_line = net_now_ms();
    E_CHECK(&s, harness_wait_exit(h, harness_ms(4000 + 5000), &status) == 0);
    long long idle = net_now_ms() - last_line;
    fprintf(stderr, "closed %lld ms after the last line\n", idle);
    E_CHECK(&s, idle >= 4000 - 500);
    E_CHECK(&s, harness_raw_find(h, 0, "without input", 13) >= 0);
    E_CHECK(&s, logged(&s, &k, 1, "reason=idle-timeout"));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
