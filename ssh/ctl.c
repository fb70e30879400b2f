/* ctl.c: requests are tiny and always answered at once, so the child simply blocks on them. */
#include "ssh/ctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int ctl_ask(int fd, const char *line)
{
    char msg[CTL_LINE_MAX + 1], answer[8];
    size_t have = 0;
    int n = snprintf(msg, sizeof msg, "%s\n", line);

    if (n <= 0 || n >= (int)sizeof msg || send(fd, msg, (size_t)n, MSG_NOSIGNAL) != n)
        return -1;
    while (have < 3) {
        ssize_t r = read(fd, answer + have, 3 - have);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        have += (size_t)r;
    }
    return memcmp(answer, "ok\n", 3) == 0 ? 1 : 0;
}

int ctl_read_line(int fd, char *buf, size_t *len, char *line, size_t linesz)
{
    ssize_t r = read(fd, buf + *len, CTL_LINE_MAX - *len);
    char *nl;

    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return 0;
    if (r <= 0)
        return -1;
    *len += (size_t)r;
    nl = memchr(buf, '\n', *len);
    if (!nl)
        return *len >= CTL_LINE_MAX ? -1 : 0;
    *nl = '\0';
    snprintf(line, linesz, "%s", buf);
    /* a child asks one thing at a time: nothing follows the newline */
    *len = 0;
    return 1;
}

void ctl_answer(int fd, int ok)
{
    if (send(fd, ok ? "ok\n" : "no\n", 3, MSG_NOSIGNAL | MSG_DONTWAIT) != 3) {
        /* the child is gone; its exit is noticed by SIGCHLD */
    }
}
