/* cli_support.h: runs the real `sett COMMAND` as a subprocess (stdout a pipe, or a pty) in a
 * private home, and prepares a billing server's data over HTTP for it. */
#ifndef SETT_TESTS_CLI_SUPPORT_H
#define SETT_TESTS_CLI_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* A private HOME with XDG_CONFIG_HOME and XDG_DATA_HOME below it. */
struct cli_home {
    char dir[512];
    char config[600];
    char data[600];
};
int cli_home_make(struct cli_home *h);
void cli_home_remove(struct cli_home *h);

struct cli_result {
    int status; /* exit status, or -1 when it did not exit (killed by a signal or the timeout) */
    char *out;  /* stdout, NUL-terminated (may hold other NULs: out_len counts them) */
    size_t out_len;
    char *err;
};
void cli_result_clear(struct cli_result *r);

/* Runs SETT_BIN with `args` (NULL-ended, without argv[0]) in the home `h`, with an environment
 * made from scratch: PATH, HOME, XDG_*, TERM=xterm-256color, LANG=C.UTF-8, TZ=UTC, then `env`
 * (NULL-ended "NAME=value" entries, may be NULL). stdin is /dev/null, stdout and stderr pipes.
 * With `pty_cols` > 0 stdout is instead a pseudo-terminal that wide (stderr stays a pipe).
 * Bounded by 30 s times SETT_TEST_TIMEOUT_SCALE. 0 when it ran, -1 on a setup failure. */
int cli_run(const struct cli_home *h, const char *const *args, const char *const *env, int pty_cols,
            struct cli_result *r);

/* The HTTP side, blocking (libcurl): `server` is "http://127.0.0.1:PORT". */
/* POST /auth/login: the access and refresh tokens (buffers of 512). 0 or -1. */
int cli_login(const char *server, const char *email, const char *password, char *access,
              char *refresh);
/* One request with a bearer token (NULL: none), a JSON body (NULL: none) and extra header lines
 * (NULL-ended, may be NULL). The HTTP status (0 when no answer) and the parsed body (NULL when
 * not JSON; free with cJSON_Delete). */
long cli_http(const char *server, const char *method, const char *path, const char *token,
              const char *body, const char *const *headers, cJSON **json);
/* Adds a product (by slug, default configuration, monthly) to the cart and checks out paying with
 * the credit balance. 0 or -1. */
int cli_buy_with_credits(const char *server, const char *token, const char *slug);
/* Creates an API key with `scopes` (a JSON array text, e.g. "[\"admin\"]") into `key` (64). */
int cli_api_key(const char *server, const char *token, const char *scopes, char *key);
/* Writes the credentials file sett reads for `api` (the URL or "embedded:DIR"), mode 0600. */
int cli_store_session(const struct cli_home *h, const char *api, const char *access,
                      const char *refresh);

/* "$1,234.56" for minor units of a 2-digit currency with `symbol`. */
void cli_money(const char *symbol, long long minor, char *buf, size_t n);
/* The line of `text` that starts with `prefix` (copied into buf), or NULL. */
const char *cli_line_starting(const char *text, const char *prefix, char *buf, size_t n);
/* Lines in `text`. */
int cli_count_lines(const char *text);
/* True if `text` (len bytes) holds a byte a terminal acts on: C0 controls but '\n', DEL, or a
 * C1 control in UTF-8 (0xC2 0x80-0x9F) or raw (an invalid 0x80-0x9F after ASCII). */
bool cli_has_controls(const char *text, size_t len);

#endif
