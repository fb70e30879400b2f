/* session.h: one customer's connection, in its own process: PROXY header, key exchange,
 * public-key sign-in, one pty+shell channel running sett (or one of the shop's commands), and the
 * teardown. */
#ifndef SETT_SSH_SESSION_H
#define SETT_SSH_SESSION_H

#include <stdbool.h>

#include <libssh/server.h>

#include "ssh/forkserver.h"
#include "ssh/homes.h"
#include "ssh/options.h"

struct session_ctx {
    const struct settd_options *opt;
    ssh_bind bind;                 /* options and host key set; accepted connections come by fd */
    const char *api;               /* billing API for POST /auth/ssh and for sett */
    const char *service_key;       /* scope ssh */
    const struct homes *homes;     /* settd's private directory of session homes (homes.h) */
    struct forkserver *forkserver; /* the warm storefront sessions are forked from; NULL: none */
    char peer[80];                 /* "IP:PORT" of the TCP peer */
};

/* Runs the connection on `fd` (accepted, TCP_NODELAY set); `ctl` is this process's end of the
 * control socket to the parent. Returns the process's exit code. */
int session_run(const struct session_ctx *ctx, int fd, int ctl);

#endif
