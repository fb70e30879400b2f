/* child.c: waiting for a test's child process with a deadline. */
#include "child.h"

#include <errno.h>
#include <poll.h>
#include <sys/wait.h>

#include "netutil.h"

#define POLL_STEP_MS 10

int child_reap(pid_t pid, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (net_now_ms() >= deadline)
            return CHILD_RUNNING;
        poll(NULL, 0, POLL_STEP_MS);
    }
}
