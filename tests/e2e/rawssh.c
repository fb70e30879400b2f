/* rawssh.c: a small libssh client that asks for pty and window sizes no terminal has, and sends
 * exec requests OpenSSH's client would not (empty, larger than an argument may be). */
#include "rawssh.h"

#include "netutil.h"

#include <libssh/libssh.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP_BYTES (1u << 20)

struct rawssh {
    ssh_session session;
    ssh_channel channel;
    char *out; /* the last KEEP_BYTES of output */
    size_t out_len;
    size_t received; /* all output, including what no longer fits in `out` */
};

static void keep(struct rawssh *c, const char *buf, size_t len)
{
    c->received += len;
    if (len >= KEEP_BYTES) {
        buf += len - KEEP_BYTES;
        len = KEEP_BYTES;
    }
    if (c->out_len + len > KEEP_BYTES) {
        size_t drop = c->out_len + len - KEEP_BYTES;
        memmove(c->out, c->out + drop, c->out_len - drop);
        c->out_len -= drop;
    }
    memcpy(c->out + c->out_len, buf, len);
    c->out_len += len;
    c->out[c->out_len] = '\0';
}

/* A signed-in connection with a session channel open. NULL on failure (reason on stderr). */
static struct rawssh *rawssh_connect(int port, const char *key_path)
{
    struct rawssh *c = calloc(1, sizeof *c);
    ssh_key key = NULL;
    int verbosity = SSH_LOG_NOLOG;
    bool no_config = false;
    if (!c || !(c->out = malloc(KEEP_BYTES + 1)) || !(c->session = ssh_new()))
        goto fail;
    ssh_options_set(c->session, SSH_OPTIONS_HOST, "127.0.0.1");
    ssh_options_set(c->session, SSH_OPTIONS_PORT, &port);
    ssh_options_set(c->session, SSH_OPTIONS_USER, "guest");
    ssh_options_set(c->session, SSH_OPTIONS_LOG_VERBOSITY, &verbosity);
    ssh_options_set(c->session, SSH_OPTIONS_PROCESS_CONFIG, &no_config);
    if (ssh_connect(c->session) != SSH_OK) {
        fprintf(stderr, "rawssh: connect: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    /* The host key is not checked: the test knows it talks to its own settd on loopback. */
    if (ssh_pki_import_privkey_file(key_path, NULL, NULL, NULL, &key) != SSH_OK ||
        ssh_userauth_publickey(c->session, NULL, key) != SSH_AUTH_SUCCESS) {
        fprintf(stderr, "rawssh: public key authentication: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    ssh_key_free(key);
    key = NULL;
    if (!(c->channel = ssh_channel_new(c->session)) ||
        ssh_channel_open_session(c->channel) != SSH_OK) {
        fprintf(stderr, "rawssh: session channel: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    return c;
fail:
    ssh_key_free(key);
    rawssh_free(&c);
    return NULL;
}

struct rawssh *rawssh_open(int port, const char *key_path, uint32_t cols, uint32_t rows)
{
    struct rawssh *c = rawssh_connect(port, key_path);
    if (!c)
        return NULL;
    if (ssh_channel_request_pty_size(c->channel, "xterm-256color", (int)cols, (int)rows) !=
        SSH_OK) {
        fprintf(stderr, "rawssh: pty of %ux%u refused: %s\n", cols, rows,
                ssh_get_error(c->session));
        goto fail;
    }
    if (ssh_channel_request_shell(c->channel) != SSH_OK) {
        fprintf(stderr, "rawssh: shell refused: %s\n", ssh_get_error(c->session));
        goto fail;
    }
    return c;
fail:
    rawssh_free(&c);
    return NULL;
}

int rawssh_exec(int port, const char *key_path, const char *command, struct rawssh_exec_result *r,
                int timeout_ms)
{
    struct rawssh *c = rawssh_connect(port, key_path);
    long long deadline = net_now_ms() + timeout_ms;
    int rc = -1;
    memset(r, 0, sizeof *r);
    r->exit_status = -1;
    if (!c)
        return -1;
    if (ssh_channel_request_exec(c->channel, command) != SSH_OK) {
        r->refused = true; /* the server said no to the request itself, or hung up */
        rc = 0;
        goto done;
    }
    while (net_now_ms() < deadline) {
        bool open = false;
        for (int is_err = 0; is_err < 2; is_err++) {
            char *buf = is_err ? r->err : r->out, scratch[4096];
            size_t *len = is_err ? &r->err_len : &r->out_len;
            size_t room = (is_err ? sizeof r->err : sizeof r->out) - 1 - *len;
            /* what does not fit is read and dropped: the channel must drain to its end */
            char *into = room ? buf + *len : scratch;
            int n = ssh_channel_read_timeout(c->channel, into,
                                             (uint32_t)(room ? room : sizeof scratch), is_err, 20);
            if (n > 0 && room)
                *len += (size_t)n;
            buf[*len] = '\0';
            if (n != SSH_ERROR && !ssh_channel_is_eof(c->channel))
                open = true;
        }
        if (!open || ssh_channel_is_closed(c->channel)) {
            r->exit_status = ssh_channel_get_exit_status(c->channel);
            rc = 0;
            goto done;
        }
    }
    fprintf(stderr, "rawssh: the command did not end within %d ms\n", timeout_ms);
done:
    rawssh_free(&c);
    return rc;
}

int rawssh_resize(struct rawssh *c, uint32_t cols, uint32_t rows)
{
    return ssh_channel_change_pty_size(c->channel, (int)cols, (int)rows) == SSH_OK ? 0 : -1;
}

int rawssh_send(struct rawssh *c, const char *bytes)
{
    size_t len = strlen(bytes);
    return ssh_channel_write(c->channel, bytes, (uint32_t)len) == (int)len ? 0 : -1;
}

long rawssh_pump(struct rawssh *c, int timeout_ms)
{
    char buf[16384];
    long total = 0;
    long long deadline = net_now_ms() + timeout_ms;
    for (;;) {
        if (ssh_channel_is_closed(c->channel) || ssh_channel_is_eof(c->channel))
            return total ? total : -1;
        long long left = deadline - net_now_ms();
        int n = ssh_channel_read_timeout(c->channel, buf, sizeof buf, 0,
                                         left > 0 ? (int)(left < 50 ? left : 50) : 0);
        if (n == SSH_ERROR)
            return total ? total : -1;
        if (n > 0) {
            keep(c, buf, (size_t)n);
            total += n;
            continue; /* drain what is there before the clock says stop */
        }
        if (left <= 0)
            return total;
    }
}

int rawssh_wait_output(struct rawssh *c, size_t from, const char *text, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    for (;;) {
        size_t kept_from = c->received - c->out_len; /* offset of out[0] in the whole stream */
        size_t start = from > kept_from ? from - kept_from : 0;
        if (start <= c->out_len && strstr(c->out + start, text))
            return 0;
        long long left = deadline - net_now_ms();
        if (left <= 0 || rawssh_pump(c, (int)(left < 100 ? left : 100)) < 0)
            break;
    }
    fprintf(stderr, "rawssh: \"%s\" not in the output within %d ms (%zu bytes received)\n", text,
            timeout_ms, c->received);
    return -1;
}

size_t rawssh_received(const struct rawssh *c)
{
    return c->received;
}

int rawssh_wait_close(struct rawssh *c, int timeout_ms, int *exit_status)
{
    long long deadline = net_now_ms() + timeout_ms;
    while (rawssh_pump(c, 100) >= 0) {
        if (net_now_ms() >= deadline)
            return -1;
    }
    if (exit_status)
        *exit_status = ssh_channel_get_exit_status(c->channel);
    return 0;
}

void rawssh_free(struct rawssh **cp)
{
    struct rawssh *c = cp ? *cp : NULL;
    if (!c)
        return;
    if (c->channel) {
        ssh_channel_close(c->channel);
        ssh_channel_free(c->channel);
    }
    if (c->session) {
        ssh_disconnect(c->session);
        ssh_free(c->session);
    }
    free(c->out);
    free(c);
    *cp = NULL;
}
