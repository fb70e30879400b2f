/* channel.c: libssh's server and channel callbacks: what a client may ask for, and the start of
 * sett once it has asked for a shell (the storefront) or one of the shop's commands. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <libssh/server.h>

#include "ssh/addr.h"
#include "ssh/conn.h"
#include "ssh/ctl.h"
#include "ssh/hostkey.h"
#include "ssh/plainmode.h"
#include "ssh/signin.h"
#include "ssh/text.h"

void conn_end(struct conn *c, const char *reason, const char *farewell, int exit_code)
{
    if (c->reason)
        return; /* the first reason is the one that counts */
    c->reason = reason;
    c->exit_code = exit_code;
    /* it may carry the billing API's own words: no control byte reaches the customer */
    if (farewell)
        text_sanitize(farewell, c->farewell, sizeof c->farewell);
}

/* ---- authentication ---- */

static void conn_auth_failed(struct conn *c)
{
    if (++c->auth_failures >= c->opt->max_auth_tries)
        conn_end(c, "auth-failed", NULL, 1);
}

static int conn_auth_pubkey(ssh_session ssh, const char *user, struct ssh_key_struct *key,
                            char state, void *ud)
{
    struct conn *c = ud;
    char *b64 = NULL;

    (void)ssh;
    if (c->reason || c->authed)
        return SSH_AUTH_DENIED;
    /* any key may sign in: its fingerprint is the account. An offer gets PK_OK, and only a
     * valid signature over it signs in. */
    if (state == SSH_PUBLICKEY_STATE_NONE)
        return SSH_AUTH_SUCCESS;
    if (state != SSH_PUBLICKEY_STATE_VALID ||
        hostkey_fingerprint(key, c->log.fp, sizeof c->log.fp) != 0 ||
        ssh_pki_export_pubkey_base64(key, &b64) != SSH_OK) {
        c->log.fp[0] = '\0';
        conn_auth_failed(c);
        return SSH_AUTH_DENIED;
    }
    if (asprintf(&c->pubkey_line, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), b64) < 0)
        c->pubkey_line = NULL;
    ssh_string_free_char(b64);
    if (!c->pubkey_line) {
        conn_end(c, "protocol-error", NULL, 1);
        return SSH_AUTH_DENIED;
    }
    c->authed = true;
    /* the account is the key's; the name only asks for plain mode (a longer one is no match) */
    if (user && strlen(user) < sizeof c->user)
        snprintf(c->user, sizeof c->user, "%s", user);
    switch (ctl_ask(c->ctl, "session")) {
    case 1:
        break;
    case 0:
        c->session_refused = true;
        break; /* said on the terminal once there is one */
    default:
        conn_end(c, "shutdown", NULL, 1);
        break;
    }
    return SSH_AUTH_SUCCESS;
}

static int conn_auth_password(ssh_session ssh, const char *user, const char *pw, void *ud)
{
    (void)ssh;
    (void)user;
    (void)pw;
    conn_auth_failed(ud);
    return SSH_AUTH_DENIED;
}

static int conn_auth_none(ssh_session ssh, const char *user, void *ud)
{
    (void)ssh;
    (void)user;
    (void)ud;
    return SSH_AUTH_DENIED; /* a client's first question, not a failed attempt */
}

/* Everything no callback handles (keyboard-interactive, port forwarding, other channel
 * types, global requests): libssh's default answer, which is a refusal. */
static int conn_message(ssh_session ssh, ssh_message msg, void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    if (ssh_message_type(msg) == SSH_REQUEST_AUTH &&
        ssh_message_subtype(msg) != SSH_AUTH_METHOD_NONE)
        conn_auth_failed(c);
    return 1;
}

/* ---- the channel ---- */

static int conn_data(ssh_session ssh, ssh_channel chan, void *data, uint32_t len, int is_stderr,
                     void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    (void)is_stderr;
    c->last_input = log_now_ns();
    c->warned = false;
    /* a command reads no input; on a pty, though, the client's ^C is its SIGINT */
    if (c->exec && !c->pty)
        return (int)len;
    if (c->running && !c->pump.reaped && pump_write(&c->pump, data, len) != 0)
        conn_end(c, "quit", NULL, -1);
    return (int)len;
}

static void conn_channel_close(ssh_session ssh, ssh_channel chan, void *ud)
{
    (void)ssh;
    (void)chan;
    conn_end(ud, "client-closed", NULL, 0);
    ((struct conn *)ud)->client_gone = true;
}

static int conn_pty_request(ssh_session ssh, ssh_channel chan, const char *term, int w, int h,
                            int pxw, int pxh, void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    if (c->pty || c->running)
        return -1;
    term_choose(term, NULL, c->term, sizeof c->term);
    snprintf(c->term_asked, sizeof c->term_asked, "%s", term ? term : "");
    c->cols = term_clamp_side(w);
    c->rows = term_clamp_side(h);
    c->px_w = term_clamp_pixels(pxw);
    c->px_h = term_clamp_pixels(pxh);
    c->pty = true;
    snprintf(c->log.term, sizeof c->log.term, "%s", c->term);
    c->log.cols = c->cols;
    c->log.rows = c->rows;
    return 0;
}

/* Without a terminal, the client's EOF (its input ended) is the end of sett's input too. */
static void conn_channel_eof(ssh_session ssh, ssh_channel chan, void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    if (!c->pty && c->running && !c->exec)
        pump_end_input(&c->pump);
}

static int conn_window_change(ssh_session ssh, ssh_channel chan, int w, int h, int pxw, int pxh,
                              void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    if (!c->pty)
        return -1;
    c->cols = c->log.cols = term_clamp_side(w);
    c->rows = c->log.rows = term_clamp_side(h);
    c->px_w = term_clamp_pixels(pxw);
    c->px_h = term_clamp_pixels(pxh);
    if (c->running)
        pump_resize(&c->pump, c->cols, c->rows, c->px_w, c->px_h);
    return 0;
}

static char *conn_session_json(const struct signin_tokens *t)
{
    cJSON *j = cJSON_CreateObject();
    char *text = NULL;

    if (j && cJSON_AddStringToObject(j, "access_token", t->access) &&
        cJSON_AddStringToObject(j, "refresh_token", t->refresh))
        text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return text;
}

/* A command's exit status when the sign-in fails, as sett's own for the same trouble
 * (docs/cli.md): 3 the API is unreachable, 4 the account is refused. */
static int conn_signin_status(const struct conn *c, const char *why)
{
    if (!c->exec)
        return 1;
    if (why && (strcmp(why, "api-error") == 0 || strcmp(why, "api-timeout") == 0))
        return 3;
    return 4;
}

static void conn_start_sett(struct conn *c)
{
    struct signin_tokens tokens;
    char msg[400], err[300], client_ip[64], *json = NULL;
    const char *why = NULL;
    int warn = c->opt->idle_timeout > 0 && c->opt->idle_warning < c->opt->idle_timeout
                   ? c->opt->idle_warning
                   : 0;

    if (signin_ssh(c->ctx->api, c->ctx->service_key, c->pubkey_line, c->log.fp, c->opt->api_timeout,
                   &tokens, msg, sizeof msg, &why) != 0) {
        char line[450];
        snprintf(line, sizeof line, "settd: %s", msg);
        conn_end(c, why, line, conn_signin_status(c, why));
        return;
    }
    json = conn_session_json(&tokens);
    snprintf(c->refresh, sizeof c->refresh, "%s", tokens.refresh);
    explicit_bzero(&tokens, sizeof tokens);
    addr_ip_of(c->log.addr, client_ip, sizeof client_ip);
    bool plain = !c->exec && plainmode_wanted(c->opt->plain_user, c->user, c->pty, c->term_asked);
    if (!c->pty) /* no terminal at all: what sett reads of TERM says so */
        snprintf(c->term, sizeof c->term, "dumb");
    struct pump_spec spec = {
        .sett = c->opt->sett,
        .api = c->ctx->api,
        .kiosk = c->opt->kiosk,
        .plain = plain,
        .no_tty = !c->pty,
        .allow_password_signin = c->opt->allow_password_signin,
        .term = c->term,
        .cols = c->cols,
        .rows = c->rows,
        .px_w = c->px_w,
        .px_h = c->px_h,
        .session_json = json ? json : "",
        .idle_warning = c->exec ? 0 : warn, /* a command is not warned: it just ends */
        .homes = c->ctx->homes,
        .client_addr = client_ip,
        .command = c->exec ? c->command.argv : NULL,
        .fork_server = forkserver_fd(c->ctx->forkserver),
    };
    if (!json || pump_start(&c->pump, &spec, err, sizeof err) != 0) {
        log_msg("cannot start %s: %s", c->opt->sett, json ? err : "out of memory");
        conn_end(c, "internal-error",
                 "settd: the shop cannot start right now. Please try again "
                 "later.",
                 1);
    } else {
        c->running = true;
        c->plain = plain;
        c->started = c->last_input = log_now_ns();
        if (c->exec)
            snprintf(c->mode, sizeof c->mode, "exec:%s", c->command.argv[0]);
        c->log.mode = c->exec ? c->mode : plain ? "plain" : "full";
    }
    if (json) {
        explicit_bzero(json, strlen(json));
        cJSON_free(json);
    }
}

static int conn_shell_request(ssh_session ssh, ssh_channel chan, void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    if (c->running || c->reason)
        return -1;
    if (c->session_refused)
        conn_end(c, "limit",
                 "settd: too many sessions are open right now. Please try again "
                 "later.",
                 1);
    else
        conn_start_sett(c);
    return 0;
}

/* `ssh HOST services --json`: the shop's commands run as `sett COMMAND …` for the key's account,
 * on the pty if the client asked for one, else with stdout and stderr apart. Anything else is
 * refused with one line on stderr and an exit status (command.h). The request is accepted either
 * way, so that the client hears why. */
static int conn_exec_request(ssh_session ssh, ssh_channel chan, const char *cmd, void *ud)
{
    struct conn *c = ud;
    char msg[300];
    int code;

    (void)ssh;
    (void)chan;
    if (c->running || c->reason)
        return -1;
    c->farewell_stderr = true;
    if (c->opt->kiosk) {
        conn_end(c, "refused-exec",
                 "settd: this server runs the shop only; connect without a command (ssh -t "
                 "HOST).",
                 COMMAND_NOT_FOUND);
        return 0;
    }
    /* libssh hands the request over as a C string: a NUL ends it there */
    code = command_parse(cmd ? cmd : "", cmd ? strlen(cmd) : 0, &c->command, msg, sizeof msg);
    if (code != COMMAND_OK) {
        conn_end(c, "refused-exec", msg, code);
        return 0;
    }
    c->exec = true;
    if (c->session_refused)
        conn_end(c, "limit",
                 "settd: too many sessions are open right now. Please try again "
                 "later.",
                 1);
    else
        conn_start_sett(c);
    return 0;
}

static int conn_subsystem_request(ssh_session ssh, ssh_channel chan, const char *name, void *ud)
{
    struct conn *c = ud;

    (void)ssh;
    (void)chan;
    (void)name;
    c->farewell_stderr = true;
    conn_end(c, "refused-subsystem", "settd: no file transfer or subsystems here.", 1);
    return -1;
}

static int conn_env_request(ssh_session ssh, ssh_channel chan, const char *name, const char *value,
                            void *ud)
{
    (void)ssh;
    (void)chan;
    (void)name;
    (void)value;
    (void)ud;
    return -1; /* sett's environment is settd's choice alone */
}

static ssh_channel conn_open_session(ssh_session ssh, void *ud)
{
    struct conn *c = ud;

    if (!c->authed || c->chan || c->reason)
        return NULL; /* one session channel per connection: no multiplexing */
    c->chan = ssh_channel_new(ssh);
    if (!c->chan)
        return NULL;
    ssh_set_channel_callbacks(c->chan, &c->ccb);
    return c->chan;
}

void conn_callbacks_init(struct conn *c)
{
    memset(&c->scb, 0, sizeof c->scb);
    c->scb.userdata = c;
    c->scb.auth_pubkey_function = conn_auth_pubkey;
    c->scb.auth_password_function = conn_auth_password;
    c->scb.auth_none_function = conn_auth_none;
    c->scb.channel_open_request_session_function = conn_open_session;
    ssh_callbacks_init(&c->scb);

    memset(&c->ccb, 0, sizeof c->ccb);
    c->ccb.userdata = c;
    c->ccb.channel_data_function = conn_data;
    c->ccb.channel_close_function = conn_channel_close;
    c->ccb.channel_eof_function = conn_channel_eof;
    c->ccb.channel_pty_request_function = conn_pty_request;
    c->ccb.channel_pty_window_change_function = conn_window_change;
    c->ccb.channel_shell_request_function = conn_shell_request;
    c->ccb.channel_exec_request_function = conn_exec_request;
    c->ccb.channel_subsystem_request_function = conn_subsystem_request;
    c->ccb.channel_env_request_function = conn_env_request;
    ssh_callbacks_init(&c->ccb);

    ssh_set_server_callbacks(c->ssh, &c->scb);
    ssh_set_message_callback(c->ssh, conn_message, c);
}
