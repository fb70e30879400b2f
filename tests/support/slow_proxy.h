/* slow_proxy.h: a loopback TCP proxy that holds every byte of the server's replies for a while,
 * and on demand black-holes connections or cuts replies short. */
#ifndef SETT_TEST_SLOW_PROXY_H
#define SETT_TEST_SLOW_PROXY_H

#include <stddef.h>

struct slow_proxy;

/* What the proxy does with the connections from now on. */
enum proxy_fault {
    PROXY_FORWARD,   /* pass requests and replies (replies after the delay) */
    PROXY_BLACKHOLE, /* accept and read, pass nothing either way, close nothing */
    PROXY_CUT,       /* pass the first cut_after bytes of the replies, then close both sides */
};

/* Listens on 127.0.0.1 (kernel-chosen port) in a thread of its own and forwards each connection
 * to 127.0.0.1:target_port. Requests pass at once; every chunk of a reply is passed on `delay_ms`
 * after it arrived, so a server that answers at once looks like one that answers after delay_ms.
 * Returns NULL on error (message on stderr). */
struct slow_proxy *slow_proxy_start(int target_port, int delay_ms);
int slow_proxy_port(const struct slow_proxy *p);
/* Connections accepted so far (thread-safe). */
int slow_proxy_connections(const struct slow_proxy *p);
/* Sets the fault for new connections and for the open ones (a cut counts the bytes of the
 * replies from now on). A black hole loses what is sent through it, as a network that drops
 * packets; a connection that lost bytes, or was opened meanwhile, stays unanswered for good once
 * the path is back, while one that stayed idle carries on. Thread-safe. */
void slow_proxy_set_fault(struct slow_proxy *p, enum proxy_fault f, size_t cut_after);
/* Stops the thread and closes every connection; takes NULL, clears the pointer. */
void slow_proxy_stop(struct slow_proxy **p);

#endif
