/* scenarios_pressure.c: settd under pressure that is not a crowd: out of file descriptors while a
 * connection waits (no busy loop, service resumes), no process to be had for a connection
 * (refused at once, service resumes), a client that stops reading while sett
 * floods its terminal (the session's memory stays bounded and its deadlines still hold), a paste
 * flood into sett, and a
 * billing API that is down or never answers at sign-in (a clear message, soon). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "preload.h"
#include "rawssh.h"
#include "tempdir.h"

/* A paste of this many bytes to sett */
#define FLOOD_BYTES (64 * 1024)
/* --api-timeout for the API that never answers */
#define API_TIMEOUT_S 2

/* A customer reading nothing is closed at --max-session, stalled or not. */
#define MAX_SESSION_S 3
/* What the stalled session may grow by while sett floods it: a few packets, not the flood. */
#define RSS_GROWTH_MAX_KB (16 * 1024)
/* settd's parent while it cannot accept: asleep, not spinning (clock ticks in a second). */
#define IDLE_TICKS_MAX 20

/* utime + stime of a process in clock ticks, or -1. */
static long cpu_ticks(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *text = tempdir_read_file(path, NULL);
    char *p = text ? strrchr(text, ')') : NULL;
    unsigned long ut, st;
    long ticks = -1;
    /* after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime */
    if (p && sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
        ticks = (long)(ut + st);
    free(text);
    return ticks;
}

/* VmRSS of a process in KiB, or -1. */
static long rss_kb(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    char *text = tempdir_read_file(path, NULL);
    char *p = text ? strstr(text, "VmRSS:") : NULL;
    long kb = -1;
    if (p && sscanf(p + 6, "%ld", &kb) != 1)
        kb = -1;
    free(text);
    return kb;
}

/* No descriptor left for accept: the waiting connection is served once there is one again
 * (and then held to the login grace when it stalls in the key exchange). */
static int out_of_fds(void)
{
    const char *args[] = {"--login-grace", "2", NULL};
    struct e2e_shop s = {0};
    struct rlimit low = {0}, old;
    char banner[256];
    int fd = -1, rc = -1;
    bool lowered = false;
    H_CHECK(e2e_shop_start(&s, args) == 0);
    /* settd's loop is running once its fork server is ready: the limit is lowered only then,
     * not while settd still makes what it needs at start */
    E_CHECK(&s, settd_proc_wait_log(s.settd, "sessions are forked from a warm sett", 1,
                                    harness_ms(10000)) == 0);
    pid_t pid = settd_proc_pid(s.settd);
    E_CHECK(&s, prlimit(pid, RLIMIT_NOFILE, NULL, &old) == 0);
    low.rlim_max = old.rlim_max;
    low.rlim_cur = 3; /* fewer than settd holds: every new descriptor fails with EMFILE */
    E_CHECK(&s, prlimit(pid, RLIMIT_NOFILE, &low, NULL) == 0);
    lowered = true;
    fd = e2e_tcp_connect(e2e_shop_port(&s)); /* queued by the kernel */
    E_CHECK(&s, fd >= 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "accept: ", 1, harness_ms(3000)) == 0);
    long before = cpu_ticks(pid);
    poll(NULL, 0, 1000); /* a measured second of settd's time, not a wait for an event */
    long spent = cpu_ticks(pid) - before;
    fprintf(stderr, "settd used %ld clock ticks in 1 s without descriptors\n", spent);
    E_CHECK(&s, before >= 0 && spent <= IDLE_TICKS_MAX);
    E_CHECK(&s, settd_proc_log_count(s.settd, "accept: ") == 1);
    E_CHECK(&s, prlimit(pid, RLIMIT_NOFILE, &old, NULL) == 0);
    lowered = false;
    E_CHECK(&s, e2e_read_line(fd, banner, sizeof banner, harness_ms(5000)) > 0);
    E_CHECK(&s, strncmp(banner, "SSH-2.0-", 8) == 0);
    /* then it stalls in the middle of the key exchange: closed at the login grace */
    long long stalled = net_now_ms();
    E_CHECK(&s, write(fd, "SSH-2.0-stall\r\n", 15) == 15);
    E_CHECK(&s, e2e_wait_closed(fd, NULL, 0, NULL, harness_ms(6000)) == 0);
    E_CHECK(&s, net_now_ms() - stalled <= harness_ms(4000));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=grace-timeout", 1, harness_ms(2000)) == 0);
    E_CHECK(&s, e2e_shop_serving(&s));
    rc = 0;
fail:
    if (lowered)
        prlimit(pid, RLIMIT_NOFILE, &old, NULL);
    if (fd >= 0)
        close(fd);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    return rc;
}

/* fork(2) fails for a new connection, with `error` (EAGAIN or ENOMEM, written to the shim's
 * file): that connection is closed at once without a banner and the reason logged; settd stays
 * up and serves the next connection once processes can be had again. */
static int fork_refused(struct e2e_shop *s, const char *flag, const char *error, const char *says)
{
    char buf[64];
    int fd = -1, rc = -1;
    H_CHECK(tempdir_write_file(flag, error, strlen(error)) == 0);
    fd = e2e_tcp_connect(e2e_shop_port(s));
    H_CHECK(fd >= 0);
    size_t got = 0;
    H_CHECK(e2e_wait_closed(fd, buf, sizeof buf, &got, harness_ms(3000)) == 0);
    H_CHECK(got == 0); /* not even the banner: no process took the connection */
    H_CHECK(settd_proc_wait_log(s->settd, says, 1, harness_ms(3000)) == 0);
    H_CHECK(settd_proc_alive(s->settd));
    H_CHECK(unlink(flag) == 0);
    H_CHECK(e2e_shop_serving(s));
    rc = 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(flag);
    return rc;
}

int scenario_no_fork(void)
{
    char dir[512] = "", flag[600];
    struct e2e_shop s = {0};
    int rc = -1, started;
    H_CHECK(tempdir_make("settd-fork", dir, sizeof dir) == 0);
    snprintf(flag, sizeof flag, "%s/fail", dir);
    H_CHECK(setenv("SETT_FORK_FAULT", flag, 1) == 0 && preload_set(FORK_FAULT_LIB) == 0);
    started = e2e_shop_start(&s, NULL);
    preload_clear();
    H_CHECK(started == 0);
    E_CHECK(&s, fork_refused(&s, flag, "EAGAIN", "fork: Resource temporarily unavailable") == 0);
    E_CHECK(&s, fork_refused(&s, flag, "ENOMEM", "fork: Cannot allocate memory") == 0);
    rc = 0;
fail:
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    unsetenv("SETT_FORK_FAULT");
    if (dir[0])
        tempdir_remove(dir);
    return rc;
}

/* sett writes without end to a client that reads nothing at all (its TCP window fills). */
static int stalled_reader(const struct e2e_key *k)
{
    char dir[512] = "", script[600], max_session[16];
    const char *args[] = {"--sett", script, "--no-fork-server", "--max-session", max_session, NULL};
    static const char body[] = "#!/bin/sh\nexec yes 'flood flood flood flood flood flood'\n";
    struct e2e_shop s = {0};
    struct rawssh *c = NULL;
    int rc = -1;
    snprintf(max_session, sizeof max_session, "%d", MAX_SESSION_S);
    H_CHECK(tempdir_make("settd-flood", dir, sizeof dir) == 0);
    snprintf(script, sizeof script, "%s/sett", dir);
    H_CHECK(tempdir_write_file(script, body, sizeof body - 1) == 0);
    H_CHECK(chmod(script, 0755) == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    long long opened = net_now_ms();
    c = rawssh_open(e2e_shop_port(&s), k->path, 80, 24);
    E_CHECK(&s, c != NULL);
    pid_t conn = -1;
    while ((conn = e2e_find_descendant(&s, "settd")) < 0 && net_now_ms() - opened < 5000)
        poll(NULL, 0, 50);
    E_CHECK(&s, conn > 0);
    /* the client never reads again: its socket and settd's fill up, then sett must wait */
    long first = -1, most = 0;
    while (settd_proc_log_count(s.settd, "reason=max-session") == 0 &&
           net_now_ms() - opened < harness_ms((MAX_SESSION_S + 6) * 1000)) {
        long kb = rss_kb(conn);
        if (kb > 0 && net_now_ms() - opened > 1000 && first < 0)
            first = kb;
        if (kb > most)
            most = kb;
        poll(NULL, 0, 100);
    }
    fprintf(stderr,
            "stalled session: RSS %ld KiB after 1 s, at most %ld KiB; closed after %lld ms\n",
            first, most, net_now_ms() - opened);
    E_CHECK(&s, settd_proc_log_count(s.settd, "reason=max-session") == 1);
    E_CHECK(&s, first > 0 && most - first <= RSS_GROWTH_MAX_KB);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_shop_serving(&s));
    rc = 0;
fail:
    rawssh_free(&c);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    return rc;
}

/* A customer pastes far more than anyone types (keys the home screen ignores): the session
 * takes it at sett's pace, stays bounded, and answers the next key. */
static int input_flood(const struct e2e_key *k)
{
    struct e2e_shop s = {0};
    struct harness *h = NULL;
    char *flood = malloc(FLOOD_BYTES);
    int rc = -1;
    H_CHECK(flood != NULL);
    memset(flood, 'x', FLOOD_BYTES);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    h = e2e_session(&s, k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    pid_t conn = e2e_find_descendant(&s, "settd");
    long before = conn > 0 ? rss_kb(conn) : -1;
    E_CHECK(&s, before > 0);
    long long since = net_now_ms();
    E_CHECK(&s, harness_send_len(h, flood, FLOOD_BYTES) == 0);
    E_CHECK(&s, e2e_wait_home(&s, h) == 0);
    long after = rss_kb(conn);
    fprintf(stderr, "%d bytes of input: %lld ms to the home screen, RSS %ld -> %ld KiB\n",
            FLOOD_BYTES, net_now_ms() - since, before, after);
    E_CHECK(&s, after > 0 && after - before <= RSS_GROWTH_MAX_KB);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    free(flood);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    return rc;
}

/* A customer signs in while the API at `url` is down or mute: ssh ends by itself with status 1
 * and the sentence `says`, in at most `within_ms`. */
static int signin_fails(const struct e2e_key *k, const char *url, const char *says, int within_ms)
{
    char timeout[16];
    const char *args[] = {"--api", url, "--api-timeout", timeout, NULL};
    struct e2e_shop s = {0};
    struct e2e_argv a;
    struct e2e_out out = {0};
    int rc = -1;
    snprintf(timeout, sizeof timeout, "%d", API_TIMEOUT_S);
    H_CHECK(e2e_shop_start(&s, args) == 0); /* the later --api wins */
    e2e_ssh_argv(&a, e2e_shop_port(&s), k);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, e2e_run(a.v, NULL, k->dir, NULL, harness_ms(20000), &out) == 0);
    fprintf(stderr, "---- ssh (exit %d, %lld ms) ----\n%s---- end ----\n", e2e_exit_code(&out),
            out.ms, out.text);
    E_CHECK(&s, !out.timed_out && e2e_exit_code(&out) == 1);
    E_CHECK(&s, strstr(out.text, says) != NULL);
    E_CHECK(&s, out.ms <= harness_ms(within_ms));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    e2e_out_free(&out);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    return rc;
}

static int api_down_or_mute(const struct e2e_key *k)
{
    struct dead_port dead = {.fd = -1};
    char url[64];
    int mute = -1, port = 0, rc = -1;
    H_CHECK(dead_port_open(&dead) == 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", dead.port);
    H_CHECK(signin_fails(k, url, "settd: The shop is unreachable right now", 5000) == 0);
    /* listening, never accepting: the request is sent into the backlog and never answered */
    mute = net_listen_loopback(&port);
    H_CHECK(mute >= 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    H_CHECK(signin_fails(k, url, "settd: The shop did not answer within 2 s",
                         API_TIMEOUT_S * 1000 + 3000) == 0);
    rc = 0;
fail:
    if (mute >= 0)
        close(mute);
    dead_port_close(&dead);
    return rc;
}

int scenario_pressure(void)
{
    struct e2e_key k = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "pressure@e2e") == 0);
    H_CHECK(out_of_fds() == 0);
    H_CHECK(stalled_reader(&k) == 0);
    H_CHECK(input_flood(&k) == 0);
    rc = 0;
fail:
    e2e_key_remove(&k);
    return rc;
}

int scenario_api_down(void)
{
    struct e2e_key k = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "api-down@e2e") == 0);
    H_CHECK(api_down_or_mute(&k) == 0);
    rc = 0;
fail:
    e2e_key_remove(&k);
    return rc;
}
