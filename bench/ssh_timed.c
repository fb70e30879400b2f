/* ssh_timed.c: a libssh client that times each step of a session up to the first screen. */
#include "ssh_timed.h"

#include "bench_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vterm.h>

struct ssh_timed {
    ssh_session session;
    ssh_channel channel;
    int fd; /* the TCP socket: libssh (0.10 on) leaves a socket it was given open */
    VTerm *vt;
    VTermScreen *screen;
    int rows, cols;
    long long t0; /* bench_now_us() just before connect() */
    struct ssh_marks *marks;
    size_t received;
};

static long long since(const struct ssh_timed *c)
{
    return bench_now_us() - c->t0;
}

static int tcp_connect(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0)
        return -1;
    /* the server sets it on its side; the client's small writes must not wait either */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("ssh_timed: connect");
        close(fd);
        return -1;
    }
    return fd;
}

struct ssh_timed *ssh_timed_open(int port, const char *user, ssh_key key, int rows, int cols,
                                 struct ssh_marks *m)
{
    struct ssh_timed *c = calloc(1, sizeof *c);
    int verbosity = SSH_LOG_NOLOG, fd = -1;
    bool no = false;
    if (!c)
        return NULL;
    c->fd = -1;
    memset(m, 0, sizeof *m);
    c->marks = m;
    c->rows = rows;
    c->cols = cols;
    if (!(c->vt = vterm_new(rows, cols)))
        goto fail;
    vterm_set_utf8(c->vt, 1);
    c->screen = vterm_obtain_screen(c->vt);
    vterm_screen_reset(c->screen, 1);
    if (!(c->session = ssh_new()))
        goto fail;
    c->t0 = bench_now_us();
    if ((fd = tcp_connect(port)) < 0)
        goto fail;
    m->tcp = since(c);
    c->fd = fd;
    ssh_options_set(c->session, SSH_OPTIONS_FD, &fd);
    ssh_options_set(c->session, SSH_OPTIONS_HOST, "127.0.0.1");
    ssh_options_set(c->session, SSH_OPTIONS_USER, user);
    ssh_options_set(c->session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(c->session, SSH_OPTIONS_PROCESS_CONFIG, &no);
    if (ssh_connect(c->session) != SSH_OK) {
        fprintf(stderr, "ssh_timed: key exchange: %s\n", ssh_get_error(c->session));
        if (fcntl(c->fd, F_GETFD) < 0)
            c->fd = -1; /* closed by libssh on this error path */
        goto fail;
    }
    m->kex = since(c);
    /* the host key is not checked: the benchmark talks to its own settd on loopback */
    if (ssh_userauth_publickey(c->session, NULL, key) != SSH_AUTH_SUCCESS) {
        fprintf(stderr, "ssh_timed: public key authentication: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    m->auth = since(c);
    if (!(c->channel = ssh_channel_new(c->session)) ||
        ssh_channel_open_session(c->channel) != SSH_OK) {
        fprintf(stderr, "ssh_timed: session channel: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    m->channel = since(c);
    if (ssh_channel_request_pty_size(c->channel, "xterm-256color", cols, rows) != SSH_OK) {
        fprintf(stderr, "ssh_timed: pty refused: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    m->pty = since(c);
    m->shell_sent = since(c);
    if (ssh_channel_request_shell(c->channel) != SSH_OK) {
        fprintf(stderr, "ssh_timed: shell refused: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    m->shell_ok = since(c);
    return c;
fail:
    ssh_timed_free(&c);
    return NULL;
}

/* Reads for up to timeout_ms (returns as soon as something arrived): bytes read, 0, or -1. */
static int ssh_timed_read(struct ssh_timed *c, int timeout_ms)
{
    char buf[16384];
    int total = 0;
    for (;;) {
        if (ssh_channel_is_closed(c->channel) || ssh_channel_is_eof(c->channel))
            return total ? total : -1;
        int n = ssh_channel_read_timeout(c->channel, buf, sizeof buf, 0, total ? 0 : timeout_ms);
        if (n == SSH_ERROR)
            return total ? total : -1;
        if (n <= 0)
            return total;
        if (!c->received)
            c->marks->first_byte = since(c);
        c->received += (size_t)n;
        vterm_input_write(c->vt, buf, (size_t)n);
        total += n;
    }
}

/* Row r of the rendered screen into line (NUL-terminated). */
static void row_text(struct ssh_timed *c, int r, char *line, size_t n)
{
    VTermRect rect = {.start_row = r, .end_row = r + 1, .start_col = 0, .end_col = c->cols};
    line[vterm_screen_get_text(c->screen, line, n - 1, rect)] = '\0';
}

static bool row_holds(struct ssh_timed *c, const char *text, const char *also)
{
    char line[1024];
    for (int r = 0; r < c->rows; r++) {
        row_text(c, r, line, sizeof line);
        if (strstr(line, text) && (!also || strstr(line, also)))
            return true;
    }
    return false;
}

int ssh_timed_wait_row(struct ssh_timed *c, const char *text, const char *also, int timeout_ms,
                       long long *at_us)
{
    long long deadline = bench_now_us() + (long long)timeout_ms * 1000;
    for (;;) {
        if (row_holds(c, text, also)) {
            *at_us = since(c);
            return 0;
        }
        long long left = (deadline - bench_now_us()) / 1000;
        if (left <= 0 || ssh_timed_read(c, left > 100 ? 100 : (int)left + 1) < 0)
            break;
    }
    fprintf(stderr, "ssh_timed: no row with \"%s\"%s%s%s within %d ms (%zu bytes received)\n", text,
            also ? " and \"" : "", also ? also : "", also ? "\"" : "", timeout_ms, c->received);
    return -1;
}

int ssh_timed_wait_answer(struct ssh_timed *c, int timeout_ms, int quiet_ms, long long *first_us,
                          long long *last_us)
{
    long long deadline = bench_now_us() + (long long)timeout_ms * 1000;
    *first_us = *last_us = 0;
    for (;;) {
        long long now = bench_now_us();
        long long until = *first_us ? *last_us + (long long)quiet_ms * 1000 : deadline;
        if (now >= until)
            break;
        int n = ssh_timed_read(c, (int)((until - now + 999) / 1000));
        if (n < 0)
            return -1;
        if (n > 0) {
            *last_us = bench_now_us();
            if (!*first_us)
                *first_us = *last_us;
        }
    }
    return *first_us ? 0 : -1;
}

int ssh_timed_drain(struct ssh_timed *c)
{
    return ssh_timed_read(c, 0) < 0 ? -1 : 0;
}

int ssh_timed_send(struct ssh_timed *c, const char *bytes)
{
    size_t len = strlen(bytes);
    return ssh_channel_write(c->channel, bytes, (uint32_t)len) == (int)len ? 0 : -1;
}

int ssh_timed_wait_close(struct ssh_timed *c, int timeout_ms)
{
    long long deadline = bench_now_us() + (long long)timeout_ms * 1000;
    while (bench_now_us() < deadline)
        if (ssh_timed_read(c, 100) < 0)
            return 0;
    return -1;
}

size_t ssh_timed_received(const struct ssh_timed *c)
{
    return c->received;
}

void ssh_timed_print_screen(struct ssh_timed *c, const char *why)
{
    char line[1024];
    fprintf(stderr, "---- %s ----\n", why);
    for (int r = 0; r < c->rows; r++) {
        row_text(c, r, line, sizeof line);
        fprintf(stderr, "%2d|%s\n", r, line);
    }
}

void ssh_timed_screen_text(struct ssh_timed *c, char *out, size_t n)
{
    char line[1024];
    size_t used = 0;
    if (n == 0)
        return;
    out[0] = '\0';
    for (int r = 0; r < c->rows && used + 1 < n; r++) {
        row_text(c, r, line, sizeof line);
        int w = snprintf(out + used, n - used, "%s\n", line);
        used = w < 0 ? n - 1 : used + (size_t)w < n ? used + (size_t)w : n - 1;
    }
}

int ssh_timed_resize(struct ssh_timed *c, int rows, int cols)
{
    if (ssh_channel_change_pty_size(c->channel, cols, rows) != SSH_OK)
        return -1;
    vterm_set_size(c->vt, rows, cols);
    c->rows = rows;
    c->cols = cols;
    return 0;
}

void ssh_timed_drop(struct ssh_timed **cp)
{
    struct ssh_timed *c = cp ? *cp : NULL;
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    int null_fd;
    if (!c)
        return;
    /* the socket's last reference goes with a reset; libssh's goodbyes that follow go to
     * /dev/null, which takes the socket's place under the same number */
    null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (c->fd >= 0 && null_fd >= 0) {
        setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        dup3(null_fd, c->fd, O_CLOEXEC);
    }
    if (null_fd >= 0)
        close(null_fd);
    ssh_timed_free(cp);
}

void ssh_timed_free(struct ssh_timed **cp)
{
    struct ssh_timed *c = cp ? *cp : NULL;
    if (!c)
        return;
    if (c->channel) {
        if (ssh_channel_is_open(c->channel))
            ssh_channel_close(c->channel);
        ssh_channel_free(c->channel);
    }
    if (c->session) {
        ssh_disconnect(c->session);
        ssh_free(c->session);
    }
    if (c->fd >= 0) /* the server sees the connection end only now */
        close(c->fd);
    if (c->vt)
        vterm_free(c->vt);
    free(c);
    *cp = NULL;
}
