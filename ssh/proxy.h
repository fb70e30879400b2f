/* proxy.h: the HAProxy PROXY protocol header (v1 text, v2 binary) that a load balancer sends
 * before the SSH stream, carrying the customer's real address. */
#ifndef SETT_SSH_PROXY_H
#define SETT_SSH_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#define PROXY_V1_MAX 107  /* the specification's longest v1 line, CRLF included */
#define PROXY_V2_MAX 1024 /* 16-byte header, addresses and TLVs; more is refused */

enum proxy_status {
    PROXY_OK = 0,
    PROXY_NEED_MORE = 1, /* a valid prefix: read up to *need bytes in total, then parse again */
    PROXY_INVALID = -1,
};

struct proxy_result {
    /* false for LOCAL (v2) and UNKNOWN (v1): a health check from the balancer itself; the
     * connection's own peer address stands. */
    bool has_addr;
    struct sockaddr_storage src;
    socklen_t src_len;
};

/* Parses the header at the start of buf[0..n). PROXY_OK: *need is the header's length (the
 * bytes after it are the SSH stream). PROXY_NEED_MORE: *need is the total to read before
 * calling again (never more than PROXY_V2_MAX, and for v1 one more byte, so a reader never
 * consumes past the header). PROXY_INVALID: not a PROXY header, or a malformed or oversized one. */
enum proxy_status proxy_parse(const unsigned char *buf, size_t n, struct proxy_result *out,
                              size_t *need);

/* Reads exactly one header from the socket within timeout_ms. 0, or -1 (invalid, timed out or
 * closed). */
int proxy_read(int fd, int timeout_ms, struct proxy_result *out);

#endif
