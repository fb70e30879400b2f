/* scenarios_scaleout.c: two settd behind HAProxy (TCP mode, PROXY protocol v2), configured as
 * docs/deploy.md shows: sessions spread over both, each settd logs and limits the customer's own
 * address (HAProxy connects from 127.0.0.1; the customers from other loopback addresses), and a
 * rolling upgrade drains one settd at a time without dropping anyone who finishes in time. */
#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "haproxy_proc.h"
#include "netutil.h"
#include "sett_run.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define FARM_N 2

struct farm {
    struct e2e_shop shop;         /* the billing server (its settd is taken over as d[0]) */
    struct settd_proc *d[FARM_N]; /* the settd behind HAProxy, HAProxy's servers s0 and s1 */
    int port[FARM_N];
    struct haproxy_proc *hap;
};

static void farm_dump(const struct farm *f)
{
    for (int i = 0; i < FARM_N; i++)
        if (f->d[i]) {
            fprintf(stderr, "---- settd s%d ----\n", i);
            settd_proc_dump_log(f->d[i]);
        }
    if (f->hap)
        haproxy_proc_dump_log(f->hap);
}

/* A check in a function with a `fail:` label; prints every settd's log and HAProxy's. */
#define F_CHECK(f, cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            harness_fail_at(__FILE__, __LINE__, #cond);                                            \
            farm_dump(f);                                                                          \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

/* A settd on the shop's billing server with `args`, on `port` (0: any free one). */
static struct settd_proc *farm_settd(const struct farm *f, const char *const args[], int port)
{
    const char *argv[24];
    char portstr[16];
    int n = 0;

    argv[n++] = "--api";
    argv[n++] = e2e_shop_api(&f->shop);
    argv[n++] = "--service-key-file";
    argv[n++] = f->shop.key_file;
    if (port) {
        snprintf(portstr, sizeof portstr, "%d", port);
        argv[n++] = "--port"; /* after settd_proc's --port 0: the last one counts */
        argv[n++] = portstr;
    }
    for (int i = 0; args && args[i] && n < 23; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    return settd_proc_start(SETTD_BIN, argv, harness_ms(HARNESS_TIMEOUT_MS));
}

static int farm_start(struct farm *f, const char *const args[])
{
    memset(f, 0, sizeof *f);
    if (e2e_shop_start(&f->shop, args) != 0)
        return -1;
    f->d[0] = f->shop.settd;
    f->shop.settd = NULL;
    if (!(f->d[1] = farm_settd(f, args, 0)))
        return -1;
    for (int i = 0; i < FARM_N; i++)
        f->port[i] = settd_proc_port(f->d[i]);
    f->hap = haproxy_proc_start(f->port, FARM_N, harness_ms(HARNESS_TIMEOUT_MS));
    if (!f->hap)
        return -1;
    for (int i = 0; i < FARM_N; i++)
        if (haproxy_proc_wait_server(f->hap, i, "UP", harness_ms(HARNESS_TIMEOUT_MS)) != 0)
            return -1;
    return 0;
}

/* Stops what is still running: -1 if a settd did not exit 0 or left a sanitizer report. */
static int farm_stop(struct farm *f)
{
    int rc = 0;

    haproxy_proc_stop(&f->hap);
    for (int i = 0; i < FARM_N; i++)
        if (e2e_settd_stop(&f->d[i]) != 0)
            rc = -1;
    if (e2e_shop_stop(&f->shop) != 0)
        rc = -1;
    return rc;
}

/* A customer at a terminal, through HAProxy, connecting from the loopback address `from`. */
static struct harness *farm_session(const struct farm *f, const struct e2e_key *k, const char *from)
{
    const char *extra[] = {"-b", from, NULL};
    return e2e_session_at(haproxy_proc_port(f->hap), k, extra, NULL, 24, 80);
}

/* The same in plain mode (`ssh -tt plain@HOST`): lines of text, with no escape byte. */
static struct harness *farm_plain_session(const struct farm *f, const struct e2e_key *k,
                                          const char *from)
{
    struct e2e_argv a;

    e2e_ssh_argv(&a, haproxy_proc_port(f->hap), k);
    e2e_argv_add(&a, "-b");
    e2e_argv_add(&a, from);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, "plain@127.0.0.1");
    return harness_start(a.v, NULL, 24, 80);
}

/* `ssh -b FROM HOST products --json` through HAProxy: 0 when it ran and listed the catalog. */
static int farm_products(const struct farm *f, const struct e2e_key *k, const char *from)
{
    struct e2e_argv a;
    struct e2e_out out = {0};
    int rc = -1;

    e2e_ssh_argv(&a, haproxy_proc_port(f->hap), k);
    e2e_argv_add(&a, "-b");
    e2e_argv_add(&a, from);
    e2e_argv_add(&a, E2E_USER_HOST);
    e2e_argv_add(&a, "products");
    e2e_argv_add(&a, "--json");
    if (e2e_run(a.v, NULL, k->dir, NULL, harness_ms(20000), &out) == 0 &&
        e2e_exit_code(&out) == 0 && strstr(out.text, "\"mc-dirt\""))
        rc = 0;
    else
        fprintf(stderr, "products from %s (exit %d):\n%s\n", from, e2e_exit_code(&out), out.text);
    e2e_out_free(&out);
    return rc;
}

/* Which settd logged a connection from `from` (its index), or -1 if none or both did. */
static int farm_which(const struct farm *f, const char *from)
{
    char text[64];
    int found = -1;

    snprintf(text, sizeof text, "connect addr=%s:", from);
    for (int i = 0; i < FARM_N; i++)
        if (f->d[i] && settd_proc_log_count(f->d[i], text) > 0) {
            if (found >= 0)
                return -1;
            found = i;
        }
    return found;
}

/* No log line of a signed-in customer (fp=SHA256:) or of a refusal names HAProxy's address. */
static bool farm_balancer_never_named(const struct farm *f)
{
    for (int i = 0; i < FARM_N; i++) {
        char *log = f->d[i] ? settd_proc_log(f->d[i]) : NULL;
        for (char *line = log; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            if (strstr(line, "addr=127.0.0.1:") &&
                (strstr(line, "fp=SHA256:") || strstr(line, "reason=limit"))) {
                fprintf(stderr, "settd s%d names the balancer: %s\n", i, line);
                free(log);
                return false;
            }
            line = nl ? nl + 1 : NULL;
        }
        free(log);
    }
    return true;
}

/* 1: the store came up; 0: refused, as a session limit says; -1: neither. */
static int store_or_refused(struct harness *h)
{
    long long deadline = net_now_ms() + harness_ms(2 * HARNESS_TIMEOUT_MS);

    while (net_now_ms() < deadline) {
        if (harness_screen_contains(h, "too many sessions"))
            return 0;
        if (harness_screen_contains(h, "Dirt"))
            return sett_wait_settled(h, "Dirt") == 0 ? 1 : -1;
        if (harness_pump(h, 100) < 0)
            return harness_screen_contains(h, "too many sessions") ? 0 : -1;
    }
    harness_print_screen(h, stderr, "neither the store nor a refusal");
    return -1;
}

/* 0 once settd has exited by itself within timeout_ms. */
static int settd_gone(const struct settd_proc *p, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;

    while (settd_proc_alive(p)) {
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "settd is still running %d ms later\n", timeout_ms);
            return -1;
        }
        poll(NULL, 0, 20);
    }
    return 0;
}

int scenario_haproxy_spread(void)
{
    const char *args[] = {"--proxy-protocol", "--max-sessions-per-addr", "1", NULL};
    static const char *const apart[] = {"127.0.0.3", "127.0.0.4", "127.0.0.5"};
    struct farm f = {0};
    struct e2e_key k = {0};
    struct harness *held[8] = {0};
    int nheld = 0, refused = 0, rc = -1, on[FARM_N];

    H_CHECK(e2e_key_make(&k, "haproxy@e2e") == 0);
    F_CHECK(&f, farm_start(&f, args) == 0);

    /* round robin: both settd serve, and both log the customer's address */
    for (int i = 0; i < 6; i++) {
        F_CHECK(&f, farm_products(&f, &k, "127.0.0.2") == 0);
        for (int j = 0; j < FARM_N; j++)
            F_CHECK(&f, settd_proc_wait_no_descendants(f.d[j], harness_ms(5000)) == 0);
    }
    for (int j = 0; j < FARM_N; j++)
        on[j] = settd_proc_log_count(f.d[j], "disconnect addr=127.0.0.2:");
    fprintf(stderr, "sessions per settd: %d and %d\n", on[0], on[1]);
    F_CHECK(&f, on[0] + on[1] == 6 && on[0] >= 2 && on[1] >= 2);

    /* per-address limits count the customer's address: three sessions from three addresses on
     * two settd put two on one of them, which one session per address allows only because
     * HAProxy's own address is not the one counted */
    for (size_t i = 0; i < sizeof apart / sizeof apart[0]; i++) {
        held[nheld] = farm_session(&f, &k, apart[i]);
        F_CHECK(&f, held[nheld] != NULL);
        F_CHECK(&f, store_or_refused(held[nheld++]) == 1);
        F_CHECK(&f, farm_which(&f, apart[i]) >= 0);
    }
    /* while three from one address are one too many for two settd: it is refused, and the
     * refusal names the customer */
    for (int i = 0; i < 3; i++) {
        struct harness *h = farm_session(&f, &k, "127.0.0.6");
        F_CHECK(&f, h != NULL);
        int r = store_or_refused(h);
        if (r < 0)
            harness_free(&h);
        F_CHECK(&f, r >= 0);
        if (r == 1)
            held[nheld++] = h;
        else {
            refused++;
            harness_free(&h);
        }
    }
    F_CHECK(&f, refused >= 1);
    F_CHECK(&f, settd_proc_log_count(f.d[0], "reason=limit") +
                        settd_proc_log_count(f.d[1], "reason=limit") ==
                    refused);
    F_CHECK(&f, settd_proc_log_count(f.d[0], "disconnect addr=127.0.0.6:") +
                        settd_proc_log_count(f.d[1], "disconnect addr=127.0.0.6:") ==
                    refused);
    F_CHECK(&f, farm_balancer_never_named(&f));
    for (int i = 0; i < nheld; i++)
        F_CHECK(&f, e2e_quit(&f.shop, held[i]) == 0);
    rc = 0;
fail:
    for (int i = 0; i < nheld; i++)
        harness_free(&held[i]);
    if (farm_stop(&f) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

int scenario_haproxy_drain(void)
{
    const char *args[] = {"--proxy-protocol", "--drain-timeout", "60", NULL};
    const char *upgraded[] = {"--proxy-protocol", "--drain-timeout", "2", NULL};
    struct farm f = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL, *other = NULL;
    int rc = -1, status, x, y;

    H_CHECK(e2e_key_make(&k, "drain@e2e") == 0);
    F_CHECK(&f, farm_start(&f, args) == 0);

    /* a customer shopping on settd x, which is then drained */
    h = farm_session(&f, &k, "127.0.0.2");
    F_CHECK(&f, h != NULL && e2e_wait_store(&f.shop, h) == 0);
    F_CHECK(&f, (x = farm_which(&f, "127.0.0.2")) >= 0);
    y = 1 - x;
    F_CHECK(&f, kill(settd_proc_pid(f.d[x]), SIGTERM) == 0);
    F_CHECK(&f, settd_proc_wait_log(f.d[x], "draining", 1, harness_ms(5000)) == 0);
    /* it no longer listens: HAProxy's check fails and new customers go to y */
    F_CHECK(&f, !net_port_accepts(f.port[x]));
    F_CHECK(&f, haproxy_proc_wait_server(f.hap, x, "DOWN", harness_ms(5000)) == 0);
    other = farm_session(&f, &k, "127.0.0.3");
    F_CHECK(&f, other != NULL && e2e_wait_store(&f.shop, other) == 0);
    F_CHECK(&f, farm_which(&f, "127.0.0.3") == y);
    F_CHECK(&f, e2e_quit(&f.shop, other) == 0);
    harness_free(&other);

    /* the customer on x is told, on sett's own screen, and goes on working */
    F_CHECK(&f, harness_wait_text(h, "restarting", HARNESS_TIMEOUT_MS) == 0);
    F_CHECK(&f,
            harness_screen_contains(h, "within 60 s") || harness_screen_contains(h, "within 59 s"));
    F_CHECK(&f, harness_altscreen(h));
    F_CHECK(&f, harness_send(h, "?") == 0);
    F_CHECK(&f, harness_wait_text(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    F_CHECK(&f, harness_send(h, "x") == 0);
    F_CHECK(&f, harness_wait_gone(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    F_CHECK(&f, e2e_wait_home(&f.shop, h) == 0);
    /* and leaves as always; x then exits 0 by itself, long before its deadline */
    F_CHECK(&f, e2e_quit(&f.shop, h) == 0);
    harness_free(&h);
    F_CHECK(&f, settd_gone(f.d[x], harness_ms(5000)) == 0);
    F_CHECK(&f, settd_proc_log_count(f.d[x], "reason=quit") == 1);
    F_CHECK(&f, settd_proc_log_count(f.d[x], "drained") == 1);
    F_CHECK(&f, e2e_settd_stop(&f.d[x]) == 0);

    /* the upgraded x starts on the same port and HAProxy takes it back; then y is drained, with
     * no one on it: it exits at once */
    F_CHECK(&f, (f.d[x] = farm_settd(&f, upgraded, f.port[x])) != NULL);
    F_CHECK(&f, haproxy_proc_wait_server(f.hap, x, "UP", harness_ms(5000)) == 0);
    F_CHECK(&f, kill(settd_proc_pid(f.d[y]), SIGTERM) == 0);
    F_CHECK(&f, settd_gone(f.d[y], harness_ms(5000)) == 0);
    F_CHECK(&f, e2e_settd_stop(&f.d[y]) == 0);

    /* customers who stay past the deadline are told, then closed with a clear message; in
     * plain mode the notice is a line of its own */
    h = farm_session(&f, &k, "127.0.0.4");
    F_CHECK(&f, h != NULL && e2e_wait_store(&f.shop, h) == 0);
    F_CHECK(&f, farm_which(&f, "127.0.0.4") == x);
    other = farm_plain_session(&f, &k, "127.0.0.5");
    F_CHECK(&f, other != NULL);
    F_CHECK(&f, harness_wait_raw(other, 0, "Type a choice", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    long long start = net_now_ms();
    F_CHECK(&f, kill(settd_proc_pid(f.d[x]), SIGTERM) == 0);
    F_CHECK(&f, harness_wait_text(h, "within 2 s", HARNESS_TIMEOUT_MS) == 0);
    F_CHECK(&f,
            harness_wait_raw(other, 0, "settd: the shop is restarting; please finish within 2 s",
                             HARNESS_TIMEOUT_MS) == 0);
    F_CHECK(&f, harness_wait_exit(h, harness_ms(HARNESS_TIMEOUT_MS), &status) == 0);
    long long stayed = net_now_ms() - start;
    fprintf(stderr, "closed %lld ms after SIGTERM; ssh status 0x%x\n", stayed, status);
    F_CHECK(&f, stayed >= 1500);
    F_CHECK(&f, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    F_CHECK(&f, harness_screen_contains(h, "this session has ended"));
    F_CHECK(&f, e2e_terminal_clean(h));
    F_CHECK(&f, harness_wait_exit(other, harness_ms(HARNESS_TIMEOUT_MS), &status) == 0);
    F_CHECK(&f, WIFEXITED(status) && WEXITSTATUS(status) == 0);
    F_CHECK(&f, harness_raw_find(other, 0, "this session has ended", 22) >= 0);
    F_CHECK(&f, harness_raw_find(other, 0, "\x1b", 1) < 0);
    F_CHECK(&f, settd_proc_wait_log(f.d[x], "reason=drain", 2, harness_ms(5000)) == 0);
    F_CHECK(&f, settd_gone(f.d[x], harness_ms(5000)) == 0);
    F_CHECK(&f, farm_balancer_never_named(&f));
    harness_free(&h);
    harness_free(&other);

    /* a second SIGTERM does not wait for the deadline */
    F_CHECK(&f, (f.d[y] = farm_settd(&f, args, f.port[y])) != NULL);
    F_CHECK(&f, haproxy_proc_wait_server(f.hap, y, "UP", harness_ms(5000)) == 0);
    h = farm_session(&f, &k, "127.0.0.6");
    F_CHECK(&f, h != NULL && e2e_wait_store(&f.shop, h) == 0);
    start = net_now_ms();
    F_CHECK(&f, kill(settd_proc_pid(f.d[y]), SIGTERM) == 0);
    F_CHECK(&f, settd_proc_wait_log(f.d[y], "draining", 1, harness_ms(5000)) == 0);
    F_CHECK(&f, kill(settd_proc_pid(f.d[y]), SIGTERM) == 0);
    F_CHECK(&f, harness_wait_exit(h, harness_ms(HARNESS_TIMEOUT_MS), &status) == 0);
    F_CHECK(&f, net_now_ms() - start < 20000);
    F_CHECK(&f, harness_screen_contains(h, "shutting down"));
    F_CHECK(&f, settd_gone(f.d[y], harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    harness_free(&other);
    if (farm_stop(&f) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
