/* fuzz_settd_preauth.c: what a stranger sends settd before signing in, fed to a connection's own
 * code (session_run) in-process: the PROXY header, the version exchange, the key exchange.
 *
 * The input's first byte chooses the set-up (bit 0: --proxy-protocol; bit 1: the parent refuses
 * the address the header names); the rest is the client's byte stream, written into one end of a
 * socket pair which is then shut, so every read ends and the connection must end with it. The
 * server's answers collect unread in that end. Past the key exchange nothing is reachable without
 * the server's ephemeral key, so the input stops mattering there. */
#include <dirent.h>
#include <libssh/libssh.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh/hostkey.h"
#include "ssh/options.h"
#include "ssh/session.h"

#define PREAUTH_PROXY  0x01
#define PREAUTH_REFUSE 0x02
/* Less than a socket pair's buffer, so the whole input is written before the run. */
#define PREAUTH_MAX_INPUT (64 * 1024)

static struct settd_options preauth_opt;
static struct session_ctx preauth_ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ssh_key key = NULL;
    char err[600];

    (void)argc;
    (void)argv;
    if (ssh_init() != SSH_OK || hostkey_load(FUZZ_HOST_KEY, &key, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_settd_preauth: %s\n", key ? "" : err);
        abort();
    }
    preauth_ctx.bind = hostkey_bind(key);
    if (!preauth_ctx.bind)
        abort();
    /* the deadlines a connection has before signing in, bounded: an input that makes the
     * server wait is a timeout (a finding), not a slow run */
    preauth_opt.login_grace = 2;
    preauth_opt.api_timeout = 1;
    preauth_opt.max_auth_tries = 3;
    preauth_opt.quiet = true;
    preauth_ctx.opt = &preauth_opt;
    preauth_ctx.api = "http://127.0.0.1:9"; /* never reached before a signature */
    preauth_ctx.service_key = "";
    snprintf(preauth_ctx.peer, sizeof preauth_ctx.peer, "127.0.0.1:40000");
    return 0;
}

/* Open descriptors of this process: a connection's process leaves none behind (a server's
 * helper would run out of them as settd's listener would, connection after connection). */
static int preauth_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    if (!d)
        abort();
    while (readdir(d))
        n++;
    closedir(d);
    return n;
}

/* Writes all of buf to a socket whose buffer takes it; 0 or -1. */
static int preauth_write(int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int conn[2] = {-1, -1}, ctl[2] = {-1, -1};
    int buf = 2 * PREAUTH_MAX_INPUT;
    uint8_t flags;
    int fds_before = preauth_fd_count();

    if (size < 1 || size > PREAUTH_MAX_INPUT)
        return 0;
    flags = data[0];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, conn) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl) != 0)
        abort();
    setsockopt(conn[1], SOL_SOCKET, SO_SNDBUF, &buf, sizeof buf);
    setsockopt(conn[0], SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    if (preauth_write(conn[1], data + 1, size - 1) != 0 || shutdown(conn[1], SHUT_WR) != 0)
        abort();
    /* the parent's answer to "addr IP", waiting before it is asked (the child asks once) */
    if (preauth_write(ctl[1], (const uint8_t *)(flags & PREAUTH_REFUSE ? "no\n" : "ok\n"), 3) != 0)
        abort();
    preauth_opt.proxy_protocol = (flags & PREAUTH_PROXY) != 0;
    /* the connection's fd is session_run's: it closes it */
    if (session_run(&preauth_ctx, conn[0], ctl[0]) != 0)
        abort();
    close(conn[1]);
    close(ctl[0]);
    close(ctl[1]);
    if (preauth_fd_count() != fds_before) {
        fprintf(stderr, "fuzz_settd_preauth: %d descriptors left open\n",
                preauth_fd_count() - fds_before);
        abort();
    }
    return 0;
}
