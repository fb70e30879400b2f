/* haproxy_proc.h: HAProxy in TCP mode in front of several settd, as docs/deploy.md configures it:
 * round robin, PROXY protocol v2 to every server, health checks that expect the SSH banner. */
#ifndef SETT_E2E_HAPROXY_PROC_H
#define SETT_E2E_HAPROXY_PROC_H

struct haproxy_proc;

/* Starts HAProxy (the haproxy program on PATH, or HAPROXY_BIN) listening on a free loopback
 * port, with servers s0 … s(n-1) at 127.0.0.1:ports[i]. Waits (bounded by timeout_ms) until its
 * stats socket answers. NULL on failure, with the reason and its log on stderr. */
struct haproxy_proc *haproxy_proc_start(const int ports[], int n, int timeout_ms);
int haproxy_proc_port(const struct haproxy_proc *h);
/* 0 once HAProxy's health checks report server `i` with `status` ("UP", "DOWN"); -1 on
 * timeout (what it reports is printed). */
int haproxy_proc_wait_server(const struct haproxy_proc *h, int i, const char *status,
                             int timeout_ms);
void haproxy_proc_dump_log(const struct haproxy_proc *h);
/* SIGTERM, reap, remove its files. Takes NULL, clears the pointer. */
void haproxy_proc_stop(struct haproxy_proc **h);

#endif
