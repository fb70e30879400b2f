/* settd_proc.h: runs `settd` as a child process on a free loopback port with a fresh data dir. */
#ifndef SETT_E2E_SETTD_PROC_H
#define SETT_E2E_SETTD_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct settd_proc;

/* Starts `binary --listen 127.0.0.1 --port 0 --port-file F --data-dir D ARGS…` (args
 * NULL-terminated, may be NULL) with its stderr and stdout in a log file. Waits (bounded by
 * timeout_ms) until the port file names a port that accepts connections. NULL on failure, with
 * the reason and the log on stderr. */
struct settd_proc *settd_proc_start(const char *binary, const char *const args[], int timeout_ms);
int settd_proc_port(const struct settd_proc *s);
pid_t settd_proc_pid(const struct settd_proc *s);
const char *settd_proc_data_dir(const struct settd_proc *s);
bool settd_proc_alive(const struct settd_proc *s);

/* The log so far (heap, NUL-terminated; free with free()), or NULL. */
char *settd_proc_log(const struct settd_proc *s);
/* How many lines of the log contain `text`. */
int settd_proc_log_count(const struct settd_proc *s, const char *text);
/* 0 once at least `count` log lines contain `text`; -1 on timeout (the log is printed). */
int settd_proc_wait_log(const struct settd_proc *s, const char *text, int count, int timeout_ms);
/* The last log line containing `text` (without its newline), or -1. */
int settd_proc_log_line(const struct settd_proc *s, const char *text, char *buf, size_t n);
void settd_proc_dump_log(const struct settd_proc *s);
/* True if the log holds a sanitizer report (ASan, LSan, UBSan) from settd or a child. */
bool settd_proc_log_has_sanitizer_report(const struct settd_proc *s);

/* Processes below settd (children, grandchildren …), found through /proc, except the fork
 * server that lives as long as settd (its children, the sessions' sett, are counted). Fills up to
 * `max` pids; returns how many there are (may exceed max). */
int settd_proc_descendants(const struct settd_proc *s, pid_t *pids, int max);
/* settd's fork server (`sett --fork-server`), or -1 when there is none. */
pid_t settd_proc_fork_server(const struct settd_proc *s);
/* The same for the settd process `settd`. */
pid_t settd_proc_fork_server_of(pid_t settd);
/* `pid` is a fork server (`sett --fork-server FD`), by its command line. */
bool settd_proc_is_fork_server(pid_t pid);
/* The parent pid of `pid` from /proc/PID/stat, or -1. */
pid_t settd_proc_parent_of(pid_t pid);
/* How many descriptors `pid` has open, or -1. */
int settd_proc_fd_count(pid_t pid);
/* 0 once settd has no descendant process left; -1 on timeout (the survivors are printed). */
int settd_proc_wait_no_descendants(const struct settd_proc *s, int timeout_ms);

/* SIGTERM, then SIGKILL if it has not exited after 5 s; reaps it, prints its log if it did not
 * exit with status 0, and removes its files. Returns the status as waitpid gives it (or -1);
 * takes NULL, clears the pointer. */
int settd_proc_stop(struct settd_proc **s);

#endif
