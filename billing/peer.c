/* peer.c: trusted proxies (address or CIDR) and the X-Forwarded-For / Forwarded walk. */
#include "billing/peer.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#define PEER_HOPS 32 /* entries of a proxy header looked at; more is not a real chain */

static int peer_parse_addr(const char *text, struct peer_net *out)
{
    if (inet_pton(AF_INET, text, out->addr) == 1) {
        out->family = AF_INET;
        out->bits = 32;
        return 0;
    }
    if (inet_pton(AF_INET6, text, out->addr) == 1) {
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

        if (memcmp(out->addr, mapped, sizeof mapped) == 0) {
            memmove(out->addr, out->addr + 12, 4);
            out->family = AF_INET;
            out->bits = 32;
            return 0;
        }
        out->family = AF_INET6;
        out->bits = 128;
        return 0;
    }
    return -1;
}

int peer_net_parse(const char *text, struct peer_net *out)
{
    char addr[PEER_ADDR_CHARS];
    const char *slash = strchr(text, '/');
    size_t len = slash ? (size_t)(slash - text) : strlen(text);
    char *end;
    long bits;

    memset(out, 0, sizeof *out);
    if (len == 0 || len >= sizeof addr)
        return -1;
    memcpy(addr, text, len);
    addr[len] = '\0';
    if (peer_parse_addr(addr, out) != 0)
        return -1;
    if (!slash)
        return 0;
    if (!isdigit((unsigned char)slash[1]))
        return -1;
    bits = strtol(slash + 1, &end, 10);
    if (*end || bits < 0 || bits > out->bits || strlen(slash + 1) > 3)
        return -1;
    out->bits = (int)bits;
    /* host bits must be zero: "10.0.0.5/8" is more likely a typo than a network */
    for (int i = (int)bits; i < (out->family == AF_INET ? 32 : 128); i++)
        if (out->addr[i / 8] & (0x80 >> (i % 8)))
            return -1;
    return 0;
}

static bool peer_in(const struct peer_net *net, const struct peer_net *a)
{
    int full = net->bits / 8, rest = net->bits % 8;

    if (net->family != a->family || memcmp(net->addr, a->addr, (size_t)full) != 0)
        return false;
    return rest == 0 || ((net->addr[full] ^ a->addr[full]) & (0xff00 >> rest) & 0xff) == 0;
}

bool peer_net_match(const struct peer_net *nets, size_t n, const char *addr)
{
    struct peer_net a;

    if (!addr || peer_parse_addr(addr, &a) != 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (peer_in(&nets[i], &a))
            return true;
    return false;
}

bool peer_normalize(const char *in, size_t len, char out[PEER_ADDR_CHARS])
{
    char buf[64];
    struct peer_net a;
    const char *colon;

    out[0] = '\0';
    while (len && (*in == ' ' || *in == '\t'))
        in++, len--;
    while (len && (in[len - 1] == ' ' || in[len - 1] == '\t'))
        len--;
    if (len >= 2 && in[0] == '"' && in[len - 1] == '"')
        in++, len -= 2;
    if (len == 0 || len >= sizeof buf)
        return false;
    if (in[0] == '[') { /* "[v6]" or "[v6]:port" */
        const char *close = memchr(in, ']', len);

        if (!close || (close + 1 != in + len && close[1] != ':'))
            return false;
        len = (size_t)(close - in - 1);
        in++;
    } else if ((colon = memchr(in, ':', len)) &&
               !memchr(colon + 1, ':', len - (size_t)(colon + 1 - in))) {
        len = (size_t)(colon - in); /* "v4:port" */
    }
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, in, len);
    buf[len] = '\0';
    if (peer_parse_addr(buf, &a) != 0)
        return false;
    return inet_ntop(a.family, a.addr, out, PEER_ADDR_CHARS) != NULL;
}

/* The `for=` values of a Forwarded header, or the entries of an X-Forwarded-For, left to right,
 * as pointers into `list` with lengths: the rightmost PEER_HOPS of them (the hops nearest to us
 * are the ones that count; a client can pad the left as it likes). */
static size_t peer_split(const char *list, bool forwarded, const char **at, size_t *len)
{
    size_t n = 0;
    const char *p = list;

    while (p && *p) {
        size_t elem = strcspn(p, ",");

        if (n == PEER_HOPS) {
            memmove(at, at + 1, (PEER_HOPS - 1) * sizeof *at);
            memmove(len, len + 1, (PEER_HOPS - 1) * sizeof *len);
            n--;
        }

        if (!forwarded) {
            at[n] = p;
            len[n++] = elem;
        } else {
            /* pairs separated by ';' inside the element; no quoted ',' or ';' in an address */
            for (const char *q = p; q < p + elem;) {
                size_t pair = strcspn(q, ";,");

                while (pair && (*q == ' ' || *q == '\t'))
                    q++, pair--;
                if (pair > 4 && strncasecmp(q, "for=", 4) == 0) {
                    at[n] = q + 4;
                    len[n++] = pair - 4;
                    break;
                }
                q += pair + (q[pair] == ';');
            }
        }
        p += elem + (p[elem] == ',');
    }
    return n;
}

const char *peer_client_addr(const struct peer_net *trusted, size_t n_trusted, const char *peer,
                             const char *forwarded, const char *x_forwarded_for,
                             char out[PEER_ADDR_CHARS])
{
    const char *at[PEER_HOPS];
    size_t len[PEER_HOPS], n;
    char hop[PEER_ADDR_CHARS];

    snprintf(out, PEER_ADDR_CHARS, "%s", peer ? peer : "");
    if (!n_trusted || !peer_net_match(trusted, n_trusted, out))
        return out;
    if (forwarded && *forwarded)
        n = peer_split(forwarded, true, at, len);
    else if (x_forwarded_for && *x_forwarded_for)
        n = peer_split(x_forwarded_for, false, at, len);
    else
        return out;
    while (n-- > 0) {
        if (!peer_normalize(at[n], len[n], hop))
            break; /* "unknown", obfuscated or forged garbage: the last hop we trust wrote it */
        snprintf(out, PEER_ADDR_CHARS, "%s", hop);
        if (!peer_net_match(trusted, n_trusted, hop))
            break;
    }
    return out;
}

void peer_limit_key(const char *addr, char *out, size_t size)
{
    struct peer_net a;
    char text[PEER_ADDR_CHARS];

    if (peer_parse_addr(addr, &a) != 0 || a.family != AF_INET6) {
        snprintf(out, size, "%s", addr);
        return;
    }
    memset(a.addr + 8, 0, 8);
    inet_ntop(AF_INET6, a.addr, text, sizeof text);
    snprintf(out, size, "%s/64", text);
}
