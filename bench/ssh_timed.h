/* ssh_timed.h: a libssh client that times each step of an SSH session up to the first screen,
 * rendering what the server sends with libvterm. */
#ifndef SETT_BENCH_SSH_TIMED_H
#define SETT_BENCH_SSH_TIMED_H

#include <libssh/libssh.h>
#include <stdbool.h>
#include <stddef.h>

/* Microseconds from just before the TCP connect() to the end of each step. */
struct ssh_marks {
    long long tcp;        /* connect() returned */
    long long kex;        /* banners exchanged, key exchange done (ssh_connect returned) */
    long long auth;       /* public-key authentication accepted */
    long long channel;    /* session channel open */
    long long pty;        /* pty-req answered */
    long long shell_sent; /* just before the shell request went out */
    long long shell_ok;   /* the shell request answered */
    long long first_byte; /* the first byte of terminal output */
};

struct ssh_timed;

/* Connects to 127.0.0.1:port (TCP_NODELAY on the client's socket too) as `user`, signs in with
 * `key`, opens a session channel with a pty of rows x cols (xterm-256color) and asks for a
 * shell. Fills `m` as it goes. NULL on failure (reason on stderr). */
struct ssh_timed *ssh_timed_open(int port, const char *user, ssh_key key, int rows, int cols,
                                 struct ssh_marks *m);
/* Reads and renders output until a screen row holds `text` and, if `also` is not NULL, that
 * row also holds `also`. 0 with *at_us (microseconds since the open began) set when the data
 * that completed it arrived; -1 on timeout or close. */
int ssh_timed_wait_row(struct ssh_timed *c, const char *text, const char *also, int timeout_ms,
                       long long *at_us);
/* Reads the answer to input just sent: 0 with *first_us and *last_us (bench_now_us()) set when
 * its first byte and its last byte before quiet_ms of silence arrived; -1 if nothing came within
 * timeout_ms or the channel closed. */
int ssh_timed_wait_answer(struct ssh_timed *c, int timeout_ms, int quiet_ms, long long *first_us,
                          long long *last_us);
/* Reads whatever has arrived without waiting. -1 once the channel is closed. */
int ssh_timed_drain(struct ssh_timed *c);
int ssh_timed_send(struct ssh_timed *c, const char *bytes);
/* 0 once the server closed the channel, within timeout_ms. */
int ssh_timed_wait_close(struct ssh_timed *c, int timeout_ms);
size_t ssh_timed_received(const struct ssh_timed *c);
/* Prints the rendered screen to stderr under `why`. */
void ssh_timed_print_screen(struct ssh_timed *c, const char *why);
/* A window-change request, and the rendered screen resized to match. 0 or -1. */
int ssh_timed_resize(struct ssh_timed *c, int rows, int cols);
/* The rendered screen's rows, each ended by a newline, into out (truncated to n). */
void ssh_timed_screen_text(struct ssh_timed *c, char *out, size_t n);
/* Ends the connection as a customer whose line drops: the TCP connection is reset, with no
 * channel close or SSH disconnect first; then frees. Takes NULL, clears the pointer. */
void ssh_timed_drop(struct ssh_timed **c);
/* Disconnects (if still connected) and frees; takes NULL, clears the pointer. */
void ssh_timed_free(struct ssh_timed **c);

#endif
