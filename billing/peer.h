/* peer.h: who the client is: the TCP peer, or the address a trusted proxy forwarded for it. */
#ifndef SETT_BILLING_PEER_H
#define SETT_BILLING_PEER_H

#include <stdbool.h>
#include <stddef.h>

#define PEER_ADDR_CHARS 46 /* INET6_ADDRSTRLEN */

/* An address or a network: "10.0.0.5", "10.0.0.0/8", "::1", "fd00::/8". */
struct peer_net {
    int family; /* AF_INET or AF_INET6 */
    unsigned char addr[16];
    int bits;
};

/* Parses ADDR or ADDR/BITS (the address bits past BITS must be zero). 0, or -1. */
int peer_net_parse(const char *text, struct peer_net *out);
/* Whether the address (text, as peer_normalize writes it) is in one of the networks. */
bool peer_net_match(const struct peer_net *nets, size_t n, const char *addr);
/* An address as a proxy header or the socket gives it ("1.2.3.4", "1.2.3.4:80", "[::1]:80",
 * "\"[::1]\"", "::ffff:1.2.3.4") in canonical text ("1.2.3.4", "::1"): IPv4-mapped IPv6 as
 * IPv4. False when it is not an address ("unknown", "_hidden", garbage). */
bool peer_normalize(const char *in, size_t len, char out[PEER_ADDR_CHARS]);

/* The client's address. `peer` is the TCP peer's (normalized); when it is in `trusted`, the
 * proxy headers are read: `forwarded` (RFC 7239 `for=` elements) when present, else
 * `x_forwarded_for` (a comma list; several headers joined by commas). The rightmost entry that
 * is not itself a trusted proxy is the client; an entry that is not an address stops the walk
 * at the hop that wrote it. Either header may be NULL. Writes out and returns it. */
const char *peer_client_addr(const struct peer_net *trusted, size_t n_trusted, const char *peer,
                             const char *forwarded, const char *x_forwarded_for,
                             char out[PEER_ADDR_CHARS]);

/* The key per-address limits count under: the address, an IPv6 one cut to its /64 (one
 * customer's network), in out (at least PEER_ADDR_CHARS + 3). */
void peer_limit_key(const char *addr, char *out, size_t size);

#endif
