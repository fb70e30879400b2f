/* warm.h: settd's cryptography made ready once, before any connection process is forked. */
#ifndef SETT_SSH_WARM_H
#define SETT_SSH_WARM_H

/* Fetches every OpenSSL algorithm a connection's key exchange, host key, ciphers, MACs and
 * customers' keys use (with both of the property queries libssh asks with), so that OpenSSL
 * builds its method store and caches here, in pages every connection process shares, instead of
 * in each one's own copy. Returns how many algorithms were found; one that is missing only costs
 * memory later. */
int warm_crypto(void);

#endif
