/* scenarios_hostile.c: clients that are not customers: garbage after the banner, an HTTP request,
 * a connection that says nothing, pty and window sizes no terminal has, a crowd, and one address
 * taking more than its share. Each time settd closes what it must, keeps serving, and leaves no
 * process behind. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "rawssh.h"

#define LOGIN_GRACE_S 3
#define CROWD         50
/* settd's default --max-startups-per-addr */
#define STARTUPS_PER_ADDR 5
/* Any sane clamp keeps a side well below this; the client asked for 100000. */
#define SIDE_LIMIT 1000

/* A customer still gets the store and leaves cleanly; then nothing is left below settd. */
static int customer_gets_in(struct e2e_shop *s, const struct e2e_key *k)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    E_CHECK(s, e2e_quit(s, h) == 0);
    E_CHECK(s, settd_proc_wait_no_descendants(s->settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

static int random_bytes(char *buf, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, n) : -1;
    if (fd >= 0)
        close(fd);
    return got == (ssize_t)n ? 0 : -1;
}

int scenario_hostile_bytes(void)
{
    const char *args[] = {"--login-grace", "3", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    char banner[256], reply[4096], noise[65536];
    int rc = -1, silent = -1, fd = -1;
    H_CHECK(e2e_key_make(&k, "hostile@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    int port = e2e_shop_port(&s);

    /* half-open: connects and says nothing (timed while the others run) */
    long long silent_since = net_now_ms();
    silent = e2e_tcp_connect(port);
    E_CHECK(&s, silent >= 0);

    /* random bytes after the server's banner */
    fd = e2e_tcp_connect(port);
    E_CHECK(&s, fd >= 0);
    E_CHECK(&s, e2e_read_line(fd, banner, sizeof banner, harness_ms(5000)) > 0);
    E_CHECK(&s, strncmp(banner, "SSH-2.0-", 8) == 0);
    E_CHECK(&s, random_bytes(noise, sizeof noise) == 0);
    noise[0] = 'X'; /* never a valid banner line by chance */
    if (write(fd, noise, sizeof noise) < 0)
        perror("random bytes (the server may close first)");
    E_CHECK(&s, e2e_wait_closed(fd, NULL, 0, NULL, harness_ms(10000)) == 0);
    close(fd);
    fd = -1;
    E_CHECK(&s, e2e_shop_serving(&s));

    /* an HTTP request: no HTTP answer, closed */
    fd = e2e_tcp_connect(port);
    E_CHECK(&s, fd >= 0);
    static const char http[] = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    E_CHECK(&s, write(fd, http, sizeof http - 1) == (ssize_t)(sizeof http - 1));
    E_CHECK(&s, e2e_wait_closed(fd, reply, sizeof reply, NULL, harness_ms(10000)) == 0);
    E_CHECK(&s, !strstr(reply, "HTTP/1."));
    close(fd);
    fd = -1;
    E_CHECK(&s, e2e_shop_serving(&s));

    /* the silent one is closed at the login grace time, not before */
    E_CHECK(&s,
            e2e_wait_closed(silent, NULL, 0, NULL, LOGIN_GRACE_S * 1000 + harness_ms(5000)) == 0);
    long long held = net_now_ms() - silent_since;
    fprintf(stderr, "the silent connection was closed after %lld ms\n", held);
    E_CHECK(&s, held >= LOGIN_GRACE_S * 1000 - 500);
    E_CHECK(&s, held <= LOGIN_GRACE_S * 1000 + harness_ms(3000));

    E_CHECK(&s, settd_proc_alive(s.settd));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, customer_gets_in(&s, &k) == 0);
    rc = 0;
fail:
    if (fd >= 0)
        close(fd);
    if (silent >= 0)
        close(silent);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

/* "size=COLSxROWS" of the last disconnect line of `fp`: 0 or -1. */
static int logged_size(const struct e2e_shop *s, const char *fp, int *cols, int *rows)
{
    char needle[96], line[1024];
    snprintf(needle, sizeof needle, "fp=%s ", fp);
    if (settd_proc_log_line(s->settd, needle, line, sizeof line) != 0)
        return -1;
    const char *size = strstr(line, " size=");
    if (!size || sscanf(size, " size=%dx%d", cols, rows) != 2) {
        fprintf(stderr, "no size in: %s\n", line);
        return -1;
    }
    return 0;
}

int scenario_hostile_sizes(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct rawssh *c = NULL;
    int rc = -1, status = -2, cols = 0, rows = 0;
    char fp[96];
    H_CHECK(e2e_key_make(&k, "sizes@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    snprintf(fp, sizeof fp, "fp=%s ", k.fingerprint);

    /* a pty of 100000 x 100000: granted at a clamped size, sett draws */
    c = rawssh_open(e2e_shop_port(&s), k.path, 100000, 100000);
    E_CHECK(&s, c != NULL);
    E_CHECK(&s, rawssh_wait_output(c, 0, "\x1b[?1049h", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    rawssh_pump(c, 500);
    /* window changes to -1 x -1 (0xffffffff on the wire) and 0 x 0 */
    E_CHECK(&s, rawssh_resize(c, (uint32_t)-1, (uint32_t)-1) == 0);
    rawssh_pump(c, 300);
    E_CHECK(&s, rawssh_resize(c, 0, 0) == 0);
    rawssh_pump(c, 300);
    E_CHECK(&s, settd_proc_alive(s.settd));
    /* back to 80 x 24: the session still answers keys and quits cleanly */
    E_CHECK(&s, rawssh_resize(c, 80, 24) == 0);
    rawssh_pump(c, 500);
    size_t from = rawssh_received(c);
    E_CHECK(&s, rawssh_send(c, "?") == 0);
    E_CHECK(&s, rawssh_wait_output(c, from, "Quit sett", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    E_CHECK(&s, rawssh_send(c, "x") == 0);
    rawssh_pump(c, 300);
    E_CHECK(&s, rawssh_send(c, "q") == 0);
    E_CHECK(&s, rawssh_wait_close(c, harness_ms(10000), &status) == 0);
    E_CHECK(&s, status == 0);
    rawssh_free(&c);
    E_CHECK(&s, settd_proc_wait_log(s.settd, fp, 1, harness_ms(5000)) == 0);
    E_CHECK(&s, logged_size(&s, k.fingerprint, &cols, &rows) == 0 && cols == 80 && rows == 24);

    /* huge again, and the client vanishes: the size logged is the clamped one */
    c = rawssh_open(e2e_shop_port(&s), k.path, 100000, 100000);
    E_CHECK(&s, c != NULL);
    E_CHECK(&s, rawssh_wait_output(c, 0, "\x1b[?1049h", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    rawssh_free(&c);
    E_CHECK(&s, settd_proc_wait_log(s.settd, fp, 2, harness_ms(5000)) == 0);
    E_CHECK(&s, logged_size(&s, k.fingerprint, &cols, &rows) == 0);
    fprintf(stderr, "a 100000x100000 pty was served as %dx%d\n", cols, rows);
    E_CHECK(&s, cols >= 1 && cols <= SIDE_LIMIT && rows >= 1 && rows <= SIDE_LIMIT);

    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, customer_gets_in(&s, &k) == 0);
    rc = 0;
fail:
    rawssh_free(&c);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

int scenario_crowd(void)
{
    const char *args[] = {"--max-startups", "64", "--max-startups-per-addr", "64", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    int fds[CROWD];
    int rc = -1, served = 0;
    char banner[256];
    for (int i = 0; i < CROWD; i++)
        fds[i] = -1;
    H_CHECK(e2e_key_make(&k, "crowd@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    int port = e2e_shop_port(&s);

    /* 50 connections at once, each through the banner exchange */
    for (int i = 0; i < CROWD; i++) {
        fds[i] = e2e_tcp_connect(port);
        E_CHECK(&s, fds[i] >= 0);
    }
    for (int i = 0; i < CROWD; i++) {
        if (e2e_read_line(fds[i], banner, sizeof banner, harness_ms(10000)) > 0 &&
            strncmp(banner, "SSH-2.0-", 8) == 0 && write(fds[i], "SSH-2.0-e2e\r\n", 13) == 13)
            served++;
    }
    fprintf(stderr, "%d of %d parallel connections got the banner\n", served, CROWD);
    E_CHECK(&s, served == CROWD);
    /* while they are open, a customer gets in */
    E_CHECK(&s, settd_proc_descendants(s.settd, NULL, 0) >= CROWD);
    {
        struct harness *h = e2e_session(&s, &k, NULL, NULL, 24, 80);
        E_CHECK(&s, h != NULL);
        int ok = e2e_wait_store(&s, h) == 0 && e2e_quit(&s, h) == 0;
        harness_free(&h);
        E_CHECK(&s, ok);
    }
    for (int i = 0; i < CROWD; i++) {
        close(fds[i]);
        fds[i] = -1;
    }
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(10000)) == 0);
    E_CHECK(&s, settd_proc_alive(s.settd));
    E_CHECK(&s, customer_gets_in(&s, &k) == 0);
    rc = 0;
fail:
    for (int i = 0; i < CROWD; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

int scenario_limits(void)
{
    /* the defaults hold: 5 connections per address before sign-in */
    const char *args[] = {"--max-sessions-per-addr", "1", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_argv a;
    struct e2e_out out = {0};
    struct harness *h = NULL;
    int fds[STARTUPS_PER_ADDR + 1];
    int rc = -1, extra = -1;
    char banner[256];
    size_t got = 1;
    for (int i = 0; i <= STARTUPS_PER_ADDR; i++)
        fds[i] = -1;
    H_CHECK(e2e_key_make(&k, "limits@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    int port = e2e_shop_port(&s);

    /* five connections that never sign in hold this address's slots (once the start's port
     * probe has let go of its own) */
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    for (int i = 0; i < STARTUPS_PER_ADDR; i++) {
        fds[i] = e2e_tcp_connect(port);
        E_CHECK(&s, fds[i] >= 0);
        E_CHECK(&s, e2e_read_line(fds[i], banner, sizeof banner, harness_ms(5000)) > 0);
    }
    /* the sixth is closed at once, without a banner */
    extra = e2e_tcp_connect(port);
    E_CHECK(&s, extra >= 0);
    E_CHECK(&s, e2e_wait_closed(extra, banner, sizeof banner, &got, harness_ms(5000)) == 0);
    E_CHECK(&s, got == 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=limit", 1, harness_ms(5000)) == 0);
    /* their slots come back when they go */
    for (int i = 0; i < STARTUPS_PER_ADDR; i++) {
        close(fds[i]);
        fds[i] = -1;
    }
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);

    /* one session per address: a second one is told why and ends, the first goes on */
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    e2e_ssh_argv(&a, port, &k);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, e2e_run(a.v, NULL, k.dir, NULL, harness_ms(20000), &out) == 0);
    fprintf(stderr, "second session (exit %d):\n%s\n", e2e_exit_code(&out), out.text);
    E_CHECK(&s, !out.timed_out && e2e_exit_code(&out) != 0);
    E_CHECK(&s, strstr(out.text, "too many sessions") != NULL);
    E_CHECK(&s, !strstr(out.text, "\x1b[?1049h"));
    E_CHECK(&s, e2e_wait_home(&s, h) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, customer_gets_in(&s, &k) == 0);
    rc = 0;
fail:
    e2e_out_free(&out);
    harness_free(&h);
    if (extra >= 0)
        close(extra);
    for (int i = 0; i < STARTUPS_PER_ADDR; i++)
        if (fds[i] >= 0)
            close(fds[i]);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
