/* addr.h: socket addresses as settd's logs and limits write them. */
#ifndef SETT_SSH_ADDR_H
#define SETT_SSH_ADDR_H

#include <stddef.h>
#include <sys/socket.h>

/* "1.2.3.4:5678" or "[::1]:5678" into hostport, and the IP alone into ip (either may be NULL).
 * IPv4-mapped IPv6 addresses are written as IPv4, so one customer counts once. */
void addr_format(const struct sockaddr *sa, socklen_t len, char *hostport, size_t hpsz, char *ip,
                 size_t ipsz);

/* The IP of an "IP:PORT" or "[IPv6]:PORT" as addr_format writes it. */
void addr_ip_of(const char *hostport, char *ip, size_t ipsz);

#endif
