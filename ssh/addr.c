/* addr.c: address formatting. */
#include "ssh/addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

void addr_format(const struct sockaddr *sa, socklen_t len, char *hostport, size_t hpsz, char *ip,
                 size_t ipsz)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    int v6 = 0;

    if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
        port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        port = ntohs(in6->sin6_port);
        if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
            inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], host, sizeof host);
        } else {
            inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
            v6 = 1;
        }
    }
    if (hostport)
        snprintf(hostport, hpsz, v6 ? "[%s]:%u" : "%s:%u", host, port);
    if (ip)
        snprintf(ip, ipsz, "%s", host);
}

void addr_ip_of(const char *hostport, char *ip, size_t ipsz)
{
    const char *end;
    size_t n;

    if (hostport[0] == '[') {
        hostport++;
        end = strchr(hostport, ']');
    } else {
        end = strrchr(hostport, ':');
    }
    n = end ? (size_t)(end - hostport) : strlen(hostport);
    snprintf(ip, ipsz, "%.*s", (int)n, hostport);
}
