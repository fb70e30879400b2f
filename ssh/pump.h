/* pump.h: sett on a pseudo-terminal for one session: start it, size it, feed it, reap it. */
#ifndef SETT_SSH_PUMP_H
#define SETT_SSH_PUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "ssh/forkserver.h"
#include "ssh/homes.h"

struct pump {
    pid_t pid; /* 0: not running (never started, or reaped) */
    /* forked by the fork server, not by this process: signalled through its pidfd, and its exit
     * told on status_fd (or, if the fork server died, seen on the pidfd); -1: none */
    int pidfd, status_fd;
    int master; /* -1: closed */
    int err;    /* a command's stderr (exec without a pty); -1: none, or closed */
    int status; /* wait status once reaped */
    bool reaped;
    char home[300];            /* the session's private HOME, removed by pump_cleanup */
    const struct homes *homes; /* where it is */
};

struct pump_spec {
    const char *sett; /* program */
    const char *api;  /* --api URL for sett */
    bool kiosk;
    bool plain;                 /* sett --plain: lines of text, no escapes */
    bool no_tty;                /* the client has no terminal: sett gets a socket, not a pty */
    bool allow_password_signin; /* SETT_ALLOW_PASSWORD_SIGNIN=1: sett offers password sign-in */
    const char *term;
    int cols, rows, px_w, px_h;
    const char *session_json;  /* {"access_token":..,"refresh_token":..}, read by sett on an fd */
    int idle_warning;          /* seconds, for the warning's text; 0: none */
    const struct homes *homes; /* settd's private directory, where the HOME is made */
    const char *client_addr;   /* the customer's IP, for SETT_CLIENT_ADDR; NULL: none */
    /* `sett COMMAND …` instead of the storefront (NULL-terminated words; NULL: the storefront).
     * With no_tty, its stdin is /dev/null, stdout `master` and stderr `err`, both pipes. */
    const char *const *command;
    int fork_server; /* the warm storefront's request socket; -1: start sett by exec */
};

void pump_init(struct pump *p);
/* forkpty (or, with no_tty, a socket pair, or a command's pipes) + exec sett with a clean
 * environment. The tokens reach sett through a pipe inherited as fd 3 (SETT_SESSION_FD=3), never
 * through argv or the environment. 0, or -1 with a message. */
int pump_start(struct pump *p, const struct pump_spec *spec, char *err, size_t errsz);
void pump_resize(struct pump *p, int cols, int rows, int px_w, int px_h);
/* Writes all of buf to the terminal (waiting while sett catches up). 0, or -1 when it is gone. */
int pump_write(struct pump *p, const void *buf, size_t len);
/* The client sent EOF: on a socket (no_tty), sett reads the end of its input. */
void pump_end_input(struct pump *p);
/* Reaps sett if it has exited (or waits, with `block`): true once reaped. */
bool pump_reap(struct pump *p, bool block);
/* The descriptor that turns readable when sett ends (fork server's sett), or -1 (SIGCHLD tells). */
int pump_watch_fd(const struct pump *p);
/* Sends sett a signal (with `value` as sigqueue's, for SIGUSR2). */
void pump_signal(struct pump *p, int sig, int value);
/* The exit status the SSH client gets: sett's own, or 128 + signal. */
int pump_exit_code(const struct pump *p);
/* Closes the terminal and removes the private HOME. */
void pump_cleanup(struct pump *p);

#endif
