/* scenarios_network.c: a server that answers late or not at all never freezes the screen. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios.h"
#include "sett_run.h"

/* A reply takes this long: far longer than any of the time limits below. */
#define SLOW_MS 3000
/* Keys and quitting must take effect within this, whatever the network does. */
#define PROMPT_MS 1000
/* The error banner's hint (the footer says "r retry" on every store screen, so not just that). */
#define RETRY_HINT "r retry · Esc back"
/* What the banner says when nothing answers at the API's address. */
#define UNREACHABLE "Could not reach the server"

static long long elapsed_since(long long t0)
{
    return net_now_ms() - t0;
}

static int start_slow(struct sett_run *r)
{
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SLOW, .delay_ms = SLOW_MS, .rows = 24, .cols = 80};
    if (sett_run_start(r, &o) != 0)
        return -1;
    return harness_wait_text(r->h, "Loading", HARNESS_TIMEOUT_MS);
}

/* sett really talks through the proxy (it connects soon after it starts). */
static bool proxy_used(struct sett_run *r)
{
    long long t0 = net_now_ms();
    while (slow_proxy_connections(r->proxy) < 1 &&
           elapsed_since(t0) < harness_ms(HARNESS_TIMEOUT_MS))
        harness_pump(r->h, 20);
    return slow_proxy_connections(r->proxy) >= 1;
}

/* True if the program writes something within ms (the spinner turns). */
static bool output_within(struct harness *h, int ms)
{
    size_t mark = harness_raw_len(h);
    long long t0 = net_now_ms();
    while (elapsed_since(t0) < ms && harness_raw_len(h) == mark)
        if (harness_pump(h, ms - (int)elapsed_since(t0)) < 0)
            break;
    return harness_raw_len(h) > mark;
}

/* Exits within PROMPT_MS of "q", with status 0; the time is reported either way. */
static int quit_promptly(struct harness *h)
{
    int status;
    long long t0 = net_now_ms();
    if (harness_send(h, "q") != 0)
        return -1;
    int rc = harness_wait_exit(h, harness_ms(PROMPT_MS), &status);
    long long took = elapsed_since(t0);
    fprintf(stderr, "q: %s after %lld ms\n", rc == 0 ? "exited" : "still running", took);
    if (rc != 0) {
        harness_print_screen(h, stderr, "no exit after q");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "exit status %d (signal %d)\n",
                WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        return -1;
    }
    if (harness_altscreen(h)) {
        fprintf(stderr, "the terminal was left on the alternate screen\n");
        return -1;
    }
    return 0;
}

/* While every reply is 3 s away: a moving spinner, and q quits at once. */
int scenario_slow_server(void)
{
    struct sett_run r;
    int rc = -1;
    H_CHECK(start_slow(&r) == 0);
    H_CHECK(proxy_used(&r));
    H_CHECK(output_within(r.h, harness_ms(PROMPT_MS)));
    H_CHECK(harness_screen_contains(r.h, "Loading"));
    H_CHECK(quit_promptly(r.h) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* While loading: Esc cancels the request, and keys keep working (help opens and closes). */
int scenario_slow_cancel(void)
{
    struct sett_run r;
    int rc = -1;
    H_CHECK(start_slow(&r) == 0);
    H_CHECK(harness_send(r.h, "?") == 0);
    H_CHECK(harness_wait_text(r.h, "Search products by text", PROMPT_MS) == 0);
    H_CHECK(harness_send(r.h, "x") == 0);
    H_CHECK(harness_wait_gone(r.h, "Search products by text", PROMPT_MS) == 0);
    H_CHECK(harness_screen_contains(r.h, "Loading"));
    H_CHECK(harness_send(r.h, HK_ESC) == 0);
    H_CHECK(harness_wait_gone(r.h, "Loading", PROMPT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(quit_promptly(r.h) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* Connection refused: an error with the retry hint; r retries (and fails again); q quits. */
int scenario_dead_server(void)
{
    struct sett_run r;
    struct sett_run_opts o = {.backend = SETT_BACKEND_DEAD, .rows = 24, .cols = 80};
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(harness_wait_text(r.h, RETRY_HINT, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_screen_contains(r.h, UNREACHABLE));
    for (int attempt = 0; attempt < 2; attempt++) {
        size_t mark = harness_raw_len(r.h);
        H_CHECK(harness_send(r.h, "r") == 0);
        /* the retry repaints (the spinner, then the error again) */
        H_CHECK(output_within(r.h, harness_ms(PROMPT_MS)) || harness_raw_len(r.h) > mark);
        H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
        H_CHECK(harness_wait_text(r.h, RETRY_HINT, HARNESS_TIMEOUT_MS) == 0);
        H_CHECK(harness_screen_contains(r.h, UNREACHABLE));
        H_CHECK(!harness_exited(r.h));
    }
    H_CHECK(quit_promptly(r.h) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}
