/* fuzz_proxy.c: settd's PROXY v1/v2 parser, on the whole input and read the way proxy_read does. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssh/proxy.h"

static void check_result(const struct proxy_result *r)
{
    if (!r->has_addr)
        return;
    if (r->src.ss_family == AF_INET && r->src_len == sizeof(struct sockaddr_in))
        return;
    if (r->src.ss_family == AF_INET6 && r->src_len == sizeof(struct sockaddr_in6))
        return;
    abort();
}

/* As proxy_read: only the bytes asked for, so the header's end must be exactly what was read. */
static enum proxy_status parse_growing(const unsigned char *buf, size_t size, size_t *header)
{
    struct proxy_result r;
    size_t have = 0, need = 0;
    enum proxy_status st;

    while ((st = proxy_parse(buf, have, &r, &need)) == PROXY_NEED_MORE) {
        if (need <= have || need > PROXY_V2_MAX)
            abort();
        if (need > size)
            return PROXY_NEED_MORE;
        have = need;
    }
    if (st == PROXY_OK) {
        if (need != have)
            abort(); /* the reader would have eaten the SSH stream, or stopped short */
        check_result(&r);
    }
    *header = need;
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct proxy_result r;
    size_t need = 0, header = 0;
    unsigned char *buf = malloc(size ? size : 1);
    enum proxy_status whole, growing;

    if (!buf)
        return 0;
    memcpy(buf, data, size);
    whole = proxy_parse(buf, size, &r, &need);
    if (whole == PROXY_OK) {
        if (need == 0 || need > size)
            abort();
        check_result(&r);
    } else if (whole == PROXY_NEED_MORE && (need <= size || need > PROXY_V2_MAX)) {
        abort();
    }
    growing = parse_growing(buf, size, &header);
    /* A header found in the whole buffer is found by the careful reader too, at the same end. */
    if (whole == PROXY_OK && (growing != PROXY_OK || header != need))
        abort();
    free(buf);
    return 0;
}
