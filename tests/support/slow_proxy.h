/* slow_proxy.h: a loopback TCP proxy that holds every byte of the server's replies for a while. */
#ifndef SETT_TEST_SLOW_PROXY_H
#define SETT_TEST_SLOW_PROXY_H

struct slow_proxy;

/* Listens on 127.0.0.1 (kernel-chosen port) in a thread of its own and forwards each connection
 * to 127.0.0.1:target_port. Requests pass at once; every chunk of a reply is passed on `delay_ms`
 * after it arrived, so a server that answers at once looks like one that answers after delay_ms.
 * Returns NULL on error (message on stderr). */
struct slow_proxy *slow_proxy_start(int target_port, int delay_ms);
int slow_proxy_port(const struct slow_proxy *p);
/* Connections accepted so far (thread-safe). */
int slow_proxy_connections(const struct slow_proxy *p);
/* Stops the thread and closes every connection; takes NULL, clears the pointer. */
void slow_proxy_stop(struct slow_proxy **p);

#endif
