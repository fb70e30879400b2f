/* billingd_proc.h: runs `sett-billingd` as a child process on a free loopback port for a test. */
#ifndef SETT_TEST_BILLINGD_PROC_H
#define SETT_TEST_BILLINGD_PROC_H

#include <sys/types.h>

struct billingd_proc;

/* Starts `binary` (the sett-billingd executable) with a fresh database in a private temporary
 * directory, `--port 0 --port-file`, `--quiet`, `--demo` (the demo accounts and coupons, and the
 * sandbox gateway), and `--catalog catalog` when catalog is not NULL.
 * Waits (bounded by timeout_ms) until the port is known and accepts connections. Returns NULL on
 * failure, with the reason and the server's output on stderr. */
struct billingd_proc *billingd_proc_start(const char *binary, const char *catalog, int timeout_ms);
/* The same with another mode flag instead of `--demo`: "--sandbox", or NULL for a production
 * server (no account, no sandbox gateway). */
struct billingd_proc *billingd_proc_start_mode(const char *binary, const char *catalog,
                                               const char *mode, int timeout_ms);
/* The server's database file. */
const char *billingd_proc_db(const struct billingd_proc *b);
/* "http://127.0.0.1:PORT" */
const char *billingd_proc_url(const struct billingd_proc *b);
int billingd_proc_port(const struct billingd_proc *b);
pid_t billingd_proc_pid(const struct billingd_proc *b);
/* What the server has written to stdout and stderr so far (heap, NUL-terminated; free with
 * free()), or NULL. */
char *billingd_proc_log(const struct billingd_proc *b);
/* Prints what the server wrote to stdout and stderr (for a failing test's diagnosis). */
void billingd_proc_dump_log(const struct billingd_proc *b);
/* Kills the server with SIGKILL (a crash) and reaps it; its database stays. The wait status, or -1
 * when it was not running. */
int billingd_proc_kill(struct billingd_proc *b);
/* Starts a killed server again as it was started, on the same port with the same database, and
 * waits (bounded by timeout_ms) until it accepts connections there. 0, or -1 (reason on stderr). */
int billingd_proc_restart(struct billingd_proc *b, int timeout_ms);
/* SIGTERM, then SIGKILL if it has not exited after 5 s; reaps it and removes its files.
 * Returns the exit status as waitpid gives it (or -1); takes NULL, clears the pointer. */
int billingd_proc_stop(struct billingd_proc **b);

#endif
