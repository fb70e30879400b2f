/* child.h: waiting for a test's child process with a deadline. */
#ifndef SETT_TEST_CHILD_H
#define SETT_TEST_CHILD_H

#include <limits.h>
#include <sys/types.h>

/* child_reap's answer while the child is still running at the deadline. */
#define CHILD_RUNNING INT_MIN

/* Reaps `pid` within timeout_ms: its wait status, -1 on a waitpid error, or CHILD_RUNNING. */
int child_reap(pid_t pid, int timeout_ms);

#endif
