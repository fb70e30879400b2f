/* e2e_support.h: what the end-to-end tests share: a shop (sett-billingd plus settd using it),
 * client keys, the OpenSSH client run to completion or on a pty, raw TCP connections. */
#ifndef SETT_E2E_SUPPORT_H
#define SETT_E2E_SUPPORT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "account_support.h"
#include "billingd_proc.h"
#include "harness.h"
#include "settd_proc.h"

/* A check in a function with a `fail:` label; prints settd's log when it fails. */
#define E_CHECK(shop, cond)                                                                        \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            harness_fail_at(__FILE__, __LINE__, #cond);                                            \
            e2e_shop_dump(shop);                                                                   \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

/* ---- client keys ---- */
struct e2e_key {
    char dir[PATH_MAX];
    char path[PATH_MAX + 8];
    char fingerprint[64]; /* "SHA256:…" as ssh-keygen -lf prints it */
};
/* A new ed25519 key without passphrase (ssh-keygen) in its own temporary directory. 0 or -1. */
int e2e_key_make(struct e2e_key *k, const char *comment);
void e2e_key_remove(struct e2e_key *k);

/* ---- programs run to completion ---- */
struct e2e_out {
    int status;     /* as waitpid gives it; -1 if it had to be killed */
    bool timed_out; /* killed after the time limit */
    long long ms;   /* how long it ran */
    char *text;     /* stdout and stderr together, NUL-terminated (never NULL after run) */
    size_t len;
    char *err; /* e2e_run_split: stderr alone (text is then stdout alone); else "" */
    size_t err_len;
};
/* Runs argv (argv[0] a path) with stdin from `input` (NULL: /dev/null), in a clean environment
 * (PATH, HOME=home, LANG, TERM, sanitizer options, then env_add), for at most timeout_ms.
 * 0 when it ran (whatever its status), -1 if it could not be started. */
int e2e_run(const char *const argv[], const char *const env_add[], const char *home,
            const char *input, int timeout_ms, struct e2e_out *out);
/* The same with stdout in `text` and stderr in `err`, apart. */
int e2e_run_split(const char *const argv[], const char *const env_add[], const char *home,
                  const char *input, int timeout_ms, struct e2e_out *out);
void e2e_out_free(struct e2e_out *o);
/* The exit code, or -1 when it did not exit normally. */
int e2e_exit_code(const struct e2e_out *o);

/* ---- argument vectors for ssh, sftp ---- */
#define E2E_ARGV_MAX 64
struct e2e_argv {
    const char *v[E2E_ARGV_MAX];
    int n;
    char port[16];
    char strings[8][PATH_MAX + 32]; /* storage for built arguments */
    int n_strings;
};
/* `ssh -F /dev/null -p PORT -i KEY` and the options that make a test client (no known hosts,
 * only this key, no prompts, errors only). */
void e2e_ssh_argv(struct e2e_argv *a, int port, const struct e2e_key *k);
/* `sftp -F /dev/null -P PORT -i KEY` and the same options. */
void e2e_sftp_argv(struct e2e_argv *a, int port, const struct e2e_key *k);
void e2e_argv_add(struct e2e_argv *a, const char *arg);
/* Adds a formatted argument (kept in the vector's own storage). */
void e2e_argv_addf(struct e2e_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define E2E_USER_HOST "guest@127.0.0.1"

/* ---- the shop: sett-billingd and settd signing customers in through it ---- */
struct e2e_shop {
    struct billingd_proc *billing;
    struct settd_proc *settd;
    char dir[PATH_MAX];
    char key_file[PATH_MAX + 16];
};
/* Starts a fresh sett-billingd, mints an `ssh` service key as the demo operator, and starts
 * settd with `--api URL --service-key-file F` and `args` (NULL-terminated, may be NULL).
 * 0 or -1 (reason on stderr). */
int e2e_shop_start(struct e2e_shop *s, const char *const args[]);
/* The same with the billing server's catalog from a file (billingd_proc_start's). */
int e2e_shop_start_catalog(struct e2e_shop *s, const char *const args[], const char *catalog);
/* Stops settd and the billing server. Returns -1 if settd did not exit cleanly on SIGTERM or its
 * log holds a sanitizer report (printed), else 0. */
int e2e_shop_stop(struct e2e_shop *s);
/* Stops one settd (SIGTERM; at once if it has exited already): -1 if it did not exit 0 or its
 * log holds a sanitizer report (printed), else 0. Takes NULL, clears the pointer. */
int e2e_settd_stop(struct settd_proc **p);
int e2e_shop_port(const struct e2e_shop *s);
const char *e2e_shop_api(const struct e2e_shop *s);
/* Prints settd's log (for a failing check). Takes NULL. */
void e2e_shop_dump(const struct e2e_shop *s);
/* settd is alive and a new connection gets an SSH banner. */
bool e2e_shop_serving(const struct e2e_shop *s);

/* The account the billing server keeps for a key's fingerprint: its id (0 if none, -1 on error)
 * and the number of its services with status `active` (may be NULL). Asked as the operator. */
long e2e_account_of(const struct e2e_shop *s, const char *fingerprint, int *active_services);

/* ---- a customer at a terminal: `ssh -tt` on a pty ---- */
/* Starts `ssh … [extra…] -tt guest@127.0.0.1` in the harness at rows x cols. env_add as for
 * harness_start. NULL on failure. */
struct harness *e2e_session(const struct e2e_shop *s, const struct e2e_key *k,
                            const char *const extra[], const char *const env_add[], int rows,
                            int cols);
/* The same on any port (a load balancer's, say). */
struct harness *e2e_session_at(int port, const struct e2e_key *k, const char *const extra[],
                               const char *const env_add[], int rows, int cols);
/* `H`: waits for the account's home to be settled. 0 or -1 (screen and log shown). */
int e2e_wait_home(const struct e2e_shop *s, struct harness *h);
/* Waits for the first screen of a customer signed in by their key, the store, to be settled
 * (its first product shown). 0 or -1 (screen and log shown). */
int e2e_wait_store(const struct e2e_shop *s, struct harness *h);
/* `q`, then: ssh exits 0, the alternate screen was left and the cursor is visible. 0 or -1. */
int e2e_quit(const struct e2e_shop *s, struct harness *h);
/* The same with the keys that quit (a kiosk's chord). */
int e2e_quit_keys(const struct e2e_shop *s, struct harness *h, const char *keys);
/* After the session ended: the terminal is as it was (normal screen, cursor visible). */
bool e2e_terminal_clean(struct harness *h);

/* ---- raw TCP ---- */
/* A blocking loopback connection to `port` (fd), or -1. */
int e2e_tcp_connect(int port);
/* Reads one line ending in '\n' (the SSH banner) within timeout_ms; its length, or -1. */
int e2e_read_line(int fd, char *buf, size_t n, int timeout_ms);
/* Reads and keeps (up to n-1 bytes, NUL-terminated, `got` set) until the peer closes; 0 once
 * closed (EOF or reset), -1 on timeout. */
int e2e_wait_closed(int fd, char *buf, size_t n, size_t *got, int timeout_ms);

/* The first descendant of settd whose command line starts with the path's last component
 * (e.g. "sett"), or -1. */
int e2e_find_descendant(const struct e2e_shop *s, const char *name);

#endif
