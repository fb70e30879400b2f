/* log.h: settd's one line per connection and per disconnection, on stderr. */
#ifndef SETT_SSH_LOG_H
#define SETT_SSH_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn_log {
    bool quiet;
    char addr[80];    /* "IP:PORT", "[IPv6]:PORT" */
    char fp[64];      /* "SHA256:..." once authenticated, else "" */
    char term[64];    /* from the pty request, else "" */
    int cols, rows;   /* 0 without a pty */
    const char *mode; /* "full" or "plain" once sett is started, else NULL */
    int64_t start_ns;
};

int64_t log_now_ns(void); /* CLOCK_MONOTONIC */
void log_connect(const struct conn_log *l);
/* `reason` is one word: quit, client-closed, idle-timeout, max-session, grace-timeout, ... */
void log_disconnect(const struct conn_log *l, const char *reason);
/* Formats the disconnect line (without the newline) into out; for tests and log_disconnect. */
void log_format_disconnect(const struct conn_log *l, const char *reason, int64_t now_ns, char *out,
                           size_t outsz);
/* A message for the operator (always shown, also with --quiet): "settd: " + text. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
