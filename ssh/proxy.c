/* proxy.c: PROXY protocol v1 and v2 (haproxy.org/download/2.8/doc/proxy-protocol.txt), strictly:
 * anything else closes the connection. */
#include "ssh/proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const unsigned char proxy_v2_sig[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                               0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
static const char proxy_v1_sig[] = "PROXY ";

static bool proxy_port(const char *s, uint16_t *out)
{
    char *end;
    long v;

    if (!*s || *s < '0' || *s > '9' || (s[0] == '0' && s[1]))
        return false; /* no sign, no space, no leading zero */
    v = strtol(s, &end, 10);
    if (*end || v < 0 || v > 65535)
        return false;
    *out = (uint16_t)v;
    return true;
}

/* "PROXY TCP4 src dst sport dport" (CRLF already removed). */
static enum proxy_status proxy_parse_v1_line(char *line, struct proxy_result *out)
{
    char *fields[6], *save = NULL, *tok;
    int n = 0;
    uint16_t sport, dport;
    unsigned char dst[16];

    /* single spaces only, as the specification writes them */
    if (strstr(line, "  ") || line[strlen(line) - 1] == ' ')
        return PROXY_INVALID;
    for (tok = strtok_r(line, " ", &save); tok && n < 6; tok = strtok_r(NULL, " ", &save))
        fields[n++] = tok;
    if (n >= 2 && strcmp(fields[1], "UNKNOWN") == 0) {
        out->has_addr = false;
        return PROXY_OK;
    }
    if (n != 6 || tok || strcmp(fields[0], "PROXY") != 0)
        return PROXY_INVALID;
    if (!proxy_port(fields[4], &sport) || !proxy_port(fields[5], &dport))
        return PROXY_INVALID;
    memset(&out->src, 0, sizeof out->src);
    if (strcmp(fields[1], "TCP4") == 0) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&out->src;
        if (inet_pton(AF_INET, fields[2], &sin->sin_addr) != 1 ||
            inet_pton(AF_INET, fields[3], dst) != 1)
            return PROXY_INVALID;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(sport);
        out->src_len = sizeof *sin;
    } else if (strcmp(fields[1], "TCP6") == 0) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->src;
        if (inet_pton(AF_INET6, fields[2], &sin6->sin6_addr) != 1 ||
            inet_pton(AF_INET6, fields[3], dst) != 1)
            return PROXY_INVALID;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(sport);
        out->src_len = sizeof *sin6;
    } else {
        return PROXY_INVALID;
    }
    out->has_addr = true;
    return PROXY_OK;
}

static enum proxy_status proxy_parse_v1(const unsigned char *buf, size_t n,
                                        struct proxy_result *out, size_t *need)
{
    char line[PROXY_V1_MAX + 1];

    for (size_t i = 0; i < n; i++) {
        if (i + 2 > PROXY_V1_MAX)
            return PROXY_INVALID; /* a CRLF from here on would end a line longer than any */
        if (buf[i] == '\n')
            return PROXY_INVALID; /* a bare LF */
        if (buf[i] == '\r') {
            if (i + 1 == n) {
                *need = n + 1;
                return PROXY_NEED_MORE;
            }
            if (buf[i + 1] != '\n')
                return PROXY_INVALID;
            memcpy(line, buf, i);
            line[i] = '\0';
            *need = i + 2;
            return proxy_parse_v1_line(line, out);
        }
        if (buf[i] < 0x20 || buf[i] > 0x7e)
            return PROXY_INVALID;
    }
    if (n + 1 > PROXY_V1_MAX)
        return PROXY_INVALID; /* no CRLF within the longest line there can be */
    *need = n + 1;
    return PROXY_NEED_MORE;
}

static enum proxy_status proxy_parse_v2(const unsigned char *buf, size_t n,
                                        struct proxy_result *out, size_t *need)
{
    size_t len, total;
    unsigned cmd, fam;

    if (n < 16) {
        *need = 16;
        return PROXY_NEED_MORE;
    }
    if ((buf[12] >> 4) != 2)
        return PROXY_INVALID;
    cmd = buf[12] & 0x0F;
    fam = buf[13];
    len = (size_t)buf[14] << 8 | buf[15];
    total = 16 + len;
    if (total > PROXY_V2_MAX || cmd > 1)
        return PROXY_INVALID;
    if (n < total) {
        *need = total;
        return PROXY_NEED_MORE;
    }
    *need = total;
    out->has_addr = false;
    if (cmd == 0) /* LOCAL: the balancer's own health check; the address block is ignored */
        return PROXY_OK;
    memset(&out->src, 0, sizeof out->src);
    if (fam == 0x11) { /* TCP over IPv4 */
        struct sockaddr_in *sin = (struct sockaddr_in *)&out->src;
        if (len < 12)
            return PROXY_INVALID;
        sin->sin_family = AF_INET;
        memcpy(&sin->sin_addr, buf + 16, 4);
        memcpy(&sin->sin_port, buf + 24, 2);
        out->src_len = sizeof *sin;
    } else if (fam == 0x21) { /* TCP over IPv6 */
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&out->src;
        if (len < 36)
            return PROXY_INVALID;
        sin6->sin6_family = AF_INET6;
        memcpy(&sin6->sin6_addr, buf + 16, 16);
        memcpy(&sin6->sin6_port, buf + 48, 2);
        out->src_len = sizeof *sin6;
    } else {
        return PROXY_INVALID; /* UDP, unix sockets and UNSPEC proxied: not an SSH customer */
    }
    out->has_addr = true;
    return PROXY_OK;
}

enum proxy_status proxy_parse(const unsigned char *buf, size_t n, struct proxy_result *out,
                              size_t *need)
{
    size_t cmp;

    *need = 0;
    if (n == 0) {
        *need = 6; /* both signatures are told apart by then */
        return PROXY_NEED_MORE;
    }
    if (buf[0] == 'P') {
        cmp = n < 6 ? n : 6;
        if (memcmp(buf, proxy_v1_sig, cmp) != 0)
            return PROXY_INVALID;
        if (n < 6) {
            *need = 6;
            return PROXY_NEED_MORE;
        }
        return proxy_parse_v1(buf, n, out, need);
    }
    if (buf[0] == 0x0D) {
        cmp = n < 12 ? n : 12;
        if (memcmp(buf, proxy_v2_sig, cmp) != 0)
            return PROXY_INVALID;
        return proxy_parse_v2(buf, n, out, need);
    }
    return PROXY_INVALID;
}

static int64_t proxy_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int proxy_read(int fd, int timeout_ms, struct proxy_result *out)
{
    unsigned char buf[PROXY_V2_MAX];
    size_t have = 0, need = 0;
    int64_t deadline = proxy_now_ms() + timeout_ms;
    enum proxy_status st;

    while ((st = proxy_parse(buf, have, out, &need)) == PROXY_NEED_MORE) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int64_t left = deadline - proxy_now_ms();
        ssize_t r;

        if (left <= 0 || need > sizeof buf)
            return -1;
        if (poll(&p, 1, (int)left) <= 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        /* never past the header: what follows belongs to the SSH stream */
        r = recv(fd, buf + have, need - have, MSG_DONTWAIT);
        if (r == 0)
            return -1;
        if (r < 0) {
            if (errno == EAGAIN || errno == EINTR)
                continue;
            return -1;
        }
        have += (size_t)r;
    }
    return st == PROXY_OK ? 0 : -1;
}
