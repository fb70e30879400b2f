/* conn.h: the state of one connection's process, shared by session.c (the run and teardown)
 * and channel.c (the libssh callbacks). Internal to settd. */
#ifndef SETT_SSH_CONN_H
#define SETT_SSH_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "ssh/command.h"
#include "ssh/log.h"
#include "ssh/pump.h"
#include "ssh/session.h"
#include "ssh/signin.h"
#include "ssh/term.h"

struct conn {
    const struct session_ctx *ctx;
    const struct settd_options *opt;
    int ctl;
    ssh_session ssh;
    ssh_event ev;
    ssh_channel chan;
    struct ssh_server_callbacks_struct scb;
    struct ssh_channel_callbacks_struct ccb;
    struct conn_log log;

    char *pubkey_line;              /* "ssh-ed25519 AAAA..." of the signed-in key */
    char refresh[SIGNIN_TOKEN_MAX]; /* the sign-in's refresh token: revoked at the end */
    bool authed;
    bool session_refused; /* the parent said a session limit is reached */
    int auth_failures;

    char user[64]; /* the user name the key signed in with: only ever chooses plain mode */
    bool pty;
    char term[TERM_NAME_MAX];
    char term_asked[TERM_NAME_MAX]; /* the client's own words, before term_choose */
    int cols, rows, px_w, px_h;

    bool exec;              /* the client asked for one of the shop's commands, not the shop */
    struct command command; /* its words */
    char mode[24];          /* the log's mode= for it: "exec:WORD" */

    struct pump pump;
    bool running;        /* sett was started */
    bool master_in_ev;   /* the pty master is watched by the event */
    bool master_eof;     /* read EOF/EIO: remove from the event */
    bool err_in_ev;      /* the same for a command's stderr pipe */
    bool err_eof;        /* its EOF */
    int child_watch;     /* the descriptor that tells of sett's end, watched by the event; -1 */
    bool output_blocked; /* the client takes no more output for now: the pty is left unread */
    bool client_gone;

    const char *reason; /* set once the connection is ending */
    char farewell[480]; /* the last line(s) the customer sees, written before the close */
    bool farewell_stderr;
    int exit_code; /* -1: sett's */

    int64_t grace_deadline, last_input, started, stop_deadline;
    bool warned, stop_sent, kill_sent;

    bool plain;             /* sett --plain: lines of text, so settd may add one of its own */
    bool sett_spoke;        /* sett has written to its terminal: its signal handlers are set */
    int64_t trim_at;        /* when to give memory back (sett's output still since); 0: done */
    int64_t drain_deadline; /* the server is draining: the session ends then; 0: not draining */
    bool drain_told;        /* the customer has been told */
};

/* channel.c */
void conn_callbacks_init(struct conn *c);
/* Ends the connection with `reason` and a message for the customer (NULL: none). */
void conn_end(struct conn *c, const char *reason, const char *farewell, int exit_code);

#endif
