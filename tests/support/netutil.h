/* netutil.h: loopback socket helpers for tests: a port that refuses connections, a probe. */
#ifndef SETT_TEST_NETUTIL_H
#define SETT_TEST_NETUTIL_H

#include <stdbool.h>

/* A loopback TCP port that is reserved (bound) but never listened on, so every connection to it
 * is refused at once, and no other process can take the port while it is held. */
struct dead_port {
    int fd;
    int port;
};
int dead_port_open(struct dead_port *d); /* 0, or -1 with errno */
void dead_port_close(struct dead_port *d);

/* Monotonic clock in milliseconds. */
long long net_now_ms(void);
/* True if a TCP connection to 127.0.0.1:port is accepted. */
bool net_port_accepts(int port);
/* A listening loopback socket on a kernel-chosen port (SOCK_CLOEXEC); fills `port`. -1 on error. */
int net_listen_loopback(int *port);

#endif
