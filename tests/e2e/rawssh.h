/* rawssh.h: a small libssh client that asks for what OpenSSH's client cannot: pty and window sizes
 * no terminal has (100000 columns, negative, zero), to see settd clamp them. */
#ifndef SETT_E2E_RAWSSH_H
#define SETT_E2E_RAWSSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rawssh;

/* Connects to 127.0.0.1:port as "guest" with the private key at key_path, opens a session
 * channel, requests a pty of cols x rows (sent as the 32-bit values the protocol carries) and a
 * shell. NULL on failure (reason on stderr). */
struct rawssh *rawssh_open(int port, const char *key_path, uint32_t cols, uint32_t rows);
/* A window-change request with these values. 0 or -1. */
int rawssh_resize(struct rawssh *c, uint32_t cols, uint32_t rows);
int rawssh_send(struct rawssh *c, const char *bytes);
/* Reads output for up to timeout_ms; returns the bytes read (0 if none) or -1 once the channel is
 * closed. Output is kept (the last 1 MiB) for rawssh_wait_output. */
long rawssh_pump(struct rawssh *c, int timeout_ms);
/* 0 once output received since byte `from` holds `text`; -1 on timeout or close. */
int rawssh_wait_output(struct rawssh *c, size_t from, const char *text, int timeout_ms);
/* Total bytes of output received so far. */
size_t rawssh_received(const struct rawssh *c);
/* 0 once the channel is closed, with the exit status the server sent (-1 if none); -1 on
 * timeout. */
int rawssh_wait_close(struct rawssh *c, int timeout_ms, int *exit_status);
void rawssh_free(struct rawssh **c);

/* An exec request of `command` on a connection of its own, run to its end. */
struct rawssh_exec_result {
    bool refused;    /* the request itself was refused (or the server hung up) */
    int exit_status; /* the exit-status request's, or -1 */
    char out[65536], err[4096];
    size_t out_len, err_len;
};
/* 0 once the channel has ended (or the request was refused), -1 on failure or timeout. */
int rawssh_exec(int port, const char *key_path, const char *command, struct rawssh_exec_result *r,
                int timeout_ms);

#endif
