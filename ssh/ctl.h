/* ctl.h: the small line protocol between a connection's process and the parent, which alone
 * knows every connection and so enforces the limits. */
#ifndef SETT_SSH_CTL_H
#define SETT_SSH_CTL_H

#include <stddef.h>

/* Child to parent: "addr IP" (the PROXY header named it) and "session" (signed in). The parent
 * answers each with "ok" or "no". */
#define CTL_LINE_MAX 128

/* Sends `line` and waits for the answer: 1 ok, 0 refused, -1 the parent is gone. */
int ctl_ask(int fd, const char *line);
/* Reads what is available of one request; returns 1 with a complete line in `line`, 0 when
 * more is needed, -1 on EOF or error. `buf`/`*len` keep partial input between calls. */
int ctl_read_line(int fd, char *buf, size_t *len, char *line, size_t linesz);
void ctl_answer(int fd, int ok);

#endif
