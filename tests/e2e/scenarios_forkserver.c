/* scenarios_forkserver.c: sessions forked from the warm sett. Each session's sett is a child of
 * the fork server, not of its connection process, and still its own process with its own
 * environment; thousands of sessions leave the fork server as they found it; killed, it is
 * restarted, and the sessions it had started go on to their normal end. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <string.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "tempdir.h"

#define CHURN 40

/* /proc/PID/environ holds `want` (NAME=VALUE). */
static bool environ_has(pid_t pid, const char *want)
{
    char path[64];
    size_t len = 0;
    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    char *env = tempdir_read_file(path, &len);
    bool found = false;
    for (size_t i = 0; env && i < len; i += strlen(env + i) + 1)
        found |= strcmp(env + i, want) == 0;
    free(env);
    return found;
}

/* The session's sett: forked by the fork server, showing its own command line and environment. */
static pid_t forked_sett(struct e2e_shop *s, pid_t fork_server)
{
    pid_t sett = e2e_find_descendant(s, "sett");
    E_CHECK(s, sett > 0);
    E_CHECK(s, settd_proc_parent_of(sett) == fork_server);
    E_CHECK(s, environ_has(sett, "TERM=xterm-256color"));
    E_CHECK(s, environ_has(sett, "SETT_SESSION_FD=3"));
    E_CHECK(s, !environ_has(sett, "ROOM="));
    return sett;
fail:
    return -1;
}

int scenario_fork_server(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL, *h2 = NULL;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "forked@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "sessions are forked from a warm sett", 1,
                                    harness_ms(10000)) == 0);
    pid_t fs = settd_proc_fork_server(s.settd);
    E_CHECK(&s, fs > 0);

    /* a session: its sett is the fork server's child, the session's own process */
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    pid_t first = forked_sett(&s, fs);
    E_CHECK(&s, first > 0 && first != fs);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);

    /* many sessions leave the fork server with the descriptors it had */
    int fds0 = settd_proc_fd_count(fs);
    E_CHECK(&s, fds0 > 0);
    for (int i = 0; i < CHURN; i++) {
        h = e2e_session(&s, &k, NULL, NULL, 24, 80);
        E_CHECK(&s, h != NULL);
        E_CHECK(&s, e2e_wait_store(&s, h) == 0);
        E_CHECK(&s, e2e_quit(&s, h) == 0);
        harness_free(&h);
    }
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, settd_proc_fd_count(fs) == fds0);
    E_CHECK(&s, settd_proc_fork_server(s.settd) == fs);

    /* the fork server dies with a session open: the session goes on, a new fork server serves
     * the next customer, and the first session still ends as a session ends */
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, kill(fs, SIGKILL) == 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "the fork server stopped", 1, harness_ms(5000)) == 0);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "sessions are forked from a warm sett", 2,
                                    harness_ms(10000)) == 0);
    pid_t fs2 = settd_proc_fork_server(s.settd);
    E_CHECK(&s, fs2 > 0 && fs2 != fs);
    E_CHECK(&s, harness_send(h, "?") == 0);
    E_CHECK(&s, harness_wait_text(h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    E_CHECK(&s, harness_send(h, "x") == 0);
    h2 = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h2 != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h2) == 0);
    E_CHECK(&s, e2e_quit(&s, h2) == 0);
    /* the orphaned session ends when its customer quits, its terminal restored; its exit status
     * died with the fork server, so the client gets 1 */
    int status;
    E_CHECK(&s, harness_send(h, "q") == 0);
    E_CHECK(&s, harness_wait_exit(h, harness_ms(10000), &status) == 0);
    E_CHECK(&s, WIFEXITED(status) && WEXITSTATUS(status) == 1);
    E_CHECK(&s, harness_raw_find(h, 0, "\x1b[?1049l", 8) >= 0 && e2e_terminal_clean(h));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=quit", CHURN + 3, harness_ms(5000)) == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    harness_free(&h);
    harness_free(&h2);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
