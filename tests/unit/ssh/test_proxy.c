/* test_proxy.c: the PROXY protocol header: v1 and v2 that parse, and everything that must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ssh/addr.h"
#include "ssh/proxy.h"

static const unsigned char sig2[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                       0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

static enum proxy_status parse_text(const char *s, struct proxy_result *r, size_t *need)
{
    return proxy_parse((const unsigned char *)s, strlen(s), r, need);
}

static void src_text(const struct proxy_result *r, char *out, size_t n)
{
    addr_format((const struct sockaddr *)&r->src, r->src_len, out, n, NULL, 0);
}

static void test_v1_tcp4(void **state)
{
    const char *h = "PROXY TCP4 203.0.113.7 10.0.0.1 40000 22\r\nSSH-2.0-client\r\n";
    struct proxy_result r;
    char text[80];
    size_t need;
    (void)state;
    assert_int_equal(parse_text(h, &r, &need), PROXY_OK);
    assert_int_equal(need, strlen("PROXY TCP4 203.0.113.7 10.0.0.1 40000 22\r\n"));
    assert_true(r.has_addr);
    src_text(&r, text, sizeof text);
    assert_string_equal(text, "203.0.113.7:40000");
}

static void test_v1_tcp6_and_unknown(void **state)
{
    struct proxy_result r;
    char text[80];
    size_t need;
    (void)state;
    assert_int_equal(parse_text("PROXY TCP6 2001:db8::5 2001:db8::1 5555 22\r\n", &r, &need),
                     PROXY_OK);
    src_text(&r, text, sizeof text);
    assert_string_equal(text, "[2001:db8::5]:5555");
    assert_int_equal(parse_text("PROXY UNKNOWN\r\n", &r, &need), PROXY_OK);
    assert_false(r.has_addr);
    assert_int_equal(parse_text("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n", &r, &need), PROXY_OK);
    assert_false(r.has_addr);
}

/* A reader asks for one byte more at a time and never reads past the CRLF. */
static void test_v1_truncated(void **state)
{
    const char *h = "PROXY TCP4 203.0.113.7 10.0.0.1 40000 22\r\n";
    struct proxy_result r;
    size_t need, len = strlen(h);
    (void)state;
    assert_int_equal(proxy_parse((const unsigned char *)h, 0, &r, &need), PROXY_NEED_MORE);
    for (size_t n = 1; n < len; n++) {
        assert_int_equal(proxy_parse((const unsigned char *)h, n, &r, &need), PROXY_NEED_MORE);
        assert_true(need > n && need <= len);
    }
    assert_int_equal(proxy_parse((const unsigned char *)h, len, &r, &need), PROXY_OK);
}

static void test_v1_garbage(void **state)
{
    static const char *bad[] = {
        "SSH-2.0-OpenSSH_9.2\r\n",
        "PROXY TCP4 nonsense\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 40000\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 40000 22 extra\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 70000 22\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 -1 22\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 040000 22\r\n",
        "PROXY TCP4 2001:db8::5 10.0.0.1 1 22\r\n",
        "PROXY TCP6 203.0.113.7 2001:db8::1 1 22\r\n",
        "PROXY UDP4 203.0.113.7 10.0.0.1 1 22\r\n",
        "PROXY TCP4  203.0.113.7 10.0.0.1 1 22\r\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 1 22\n",
        "PROXY TCP4 203.0.113.7 10.0.0.1 1 22\rX",
        "proxy TCP4 203.0.113.7 10.0.0.1 1 22\r\n",
        "PROXY TCP4 203.0.113.7\x01 10.0.0.1 1 22\r\n",
    };
    struct proxy_result r;
    size_t need;
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        print_message("case %zu\n", i);
        assert_int_equal(parse_text(bad[i], &r, &need), PROXY_INVALID);
    }
}

static void test_v1_oversized(void **state)
{
    char h[300];
    struct proxy_result r;
    size_t need;
    (void)state;
    memset(h, 'A', sizeof h);
    memcpy(h, "PROXY TCP4 ", 11);
    assert_int_equal(proxy_parse((const unsigned char *)h, PROXY_V1_MAX, &r, &need), PROXY_INVALID);
    assert_int_equal(proxy_parse((const unsigned char *)h, PROXY_V1_MAX - 1, &r, &need),
                     PROXY_NEED_MORE);
    /* A caller may hold more than the longest line: a CRLF past it ends no header (tests/fuzz
     * found the line copied into a buffer of the longest line's size). */
    memcpy(h, "PROXY UNKNOWN ", 14);
    memcpy(h + 200, "\r\n", 2);
    assert_int_equal(proxy_parse((const unsigned char *)h, sizeof h, &r, &need), PROXY_INVALID);
    memcpy(h + PROXY_V1_MAX - 1, "\r\n", 2); /* one byte too long */
    assert_int_equal(proxy_parse((const unsigned char *)h, sizeof h, &r, &need), PROXY_INVALID);
    memcpy(h + PROXY_V1_MAX - 2, "\r\n", 2); /* the longest there can be */
    assert_int_equal(proxy_parse((const unsigned char *)h, sizeof h, &r, &need), PROXY_OK);
    assert_int_equal(need, PROXY_V1_MAX);
}

static size_t v2_build(unsigned char *b, unsigned cmd, unsigned fam, const void *addr,
                       size_t addrlen, size_t extra)
{
    size_t len = addrlen + extra;
    memcpy(b, sig2, 12);
    b[12] = (unsigned char)(0x20 | cmd);
    b[13] = (unsigned char)fam;
    b[14] = (unsigned char)(len >> 8);
    b[15] = (unsigned char)len;
    memcpy(b + 16, addr, addrlen);
    memset(b + 16 + addrlen, 0, extra);
    return 16 + len;
}

static void test_v2_tcp4_tcp6_local(void **state)
{
    unsigned char b[2048], a4[12], a6[36];
    struct proxy_result r;
    char text[80];
    size_t need, n;
    uint16_t port = htons(40001);
    (void)state;
    inet_pton(AF_INET, "198.51.100.9", a4);
    inet_pton(AF_INET, "10.0.0.1", a4 + 4);
    memcpy(a4 + 8, &port, 2);
    memset(a4 + 10, 0, 2);
    n = v2_build(b, 1, 0x11, a4, sizeof a4, 5); /* with 5 bytes of TLVs after the addresses */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_OK);
    assert_int_equal(need, n);
    src_text(&r, text, sizeof text);
    assert_string_equal(text, "198.51.100.9:40001");

    inet_pton(AF_INET6, "2001:db8::9", a6);
    memset(a6 + 16, 0, 16);
    memcpy(a6 + 32, &port, 2);
    n = v2_build(b, 1, 0x21, a6, sizeof a6, 0);
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_OK);
    src_text(&r, text, sizeof text);
    assert_string_equal(text, "[2001:db8::9]:40001");

    n = v2_build(b, 0, 0x00, a4, 0, 0); /* LOCAL: the balancer's health check */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_OK);
    assert_false(r.has_addr);
}

static void test_v2_truncated(void **state)
{
    unsigned char b[64], a4[12] = {0};
    struct proxy_result r;
    size_t need, n;
    (void)state;
    n = v2_build(b, 1, 0x11, a4, sizeof a4, 0);
    for (size_t k = 1; k < 16; k++) {
        assert_int_equal(proxy_parse(b, k, &r, &need), PROXY_NEED_MORE);
        assert_true(need <= n);
    }
    assert_int_equal(proxy_parse(b, 16, &r, &need), PROXY_NEED_MORE);
    assert_int_equal(need, n); /* now it knows the whole length */
    assert_int_equal(proxy_parse(b, n - 1, &r, &need), PROXY_NEED_MORE);
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_OK);
}

static void test_v2_garbage_and_oversized(void **state)
{
    unsigned char b[PROXY_V2_MAX + 64], a4[12] = {0};
    struct proxy_result r;
    size_t need, n;
    (void)state;
    n = v2_build(b, 1, 0x11, a4, sizeof a4, 0);
    b[12] = 0x11; /* version 1 in a v2 header */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_INVALID);
    n = v2_build(b, 2, 0x11, a4, sizeof a4, 0); /* no such command */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_INVALID);
    n = v2_build(b, 1, 0x12, a4, sizeof a4, 0); /* UDP */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_INVALID);
    n = v2_build(b, 1, 0x11, a4, 8, 0); /* too short for two IPv4 addresses and ports */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_INVALID);
    n = v2_build(b, 1, 0x11, a4, sizeof a4, 0);
    b[5] = 'X'; /* a broken signature */
    assert_int_equal(proxy_parse(b, n, &r, &need), PROXY_INVALID);
    v2_build(b, 1, 0x11, a4, sizeof a4, PROXY_V2_MAX); /* longer than accepted */
    assert_int_equal(proxy_parse(b, 16, &r, &need), PROXY_INVALID);
}

/* proxy_read leaves the bytes after the header in the socket for the SSH library. */
static void test_read_stops_at_header(void **state)
{
    const char *h = "PROXY TCP4 203.0.113.7 10.0.0.1 40000 22\r\nSSH-2.0-x\r\n";
    struct proxy_result r;
    char rest[32] = "";
    int sv[2];
    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], h, strlen(h)), (ssize_t)strlen(h));
    assert_int_equal(proxy_read(sv[0], 1000, &r), 0);
    assert_true(r.has_addr);
    assert_int_equal(read(sv[0], rest, sizeof rest - 1), 11);
    assert_string_equal(rest, "SSH-2.0-x\r\n");
    close(sv[1]);
    close(sv[0]);

    /* a client that sends half a header and stalls is given up on at the timeout */
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], "PROXY TCP4 1.2", 14), 14);
    assert_int_equal(proxy_read(sv[0], 100, &r), -1);
    close(sv[1]);
    close(sv[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_v1_tcp4),
        cmocka_unit_test(test_v1_tcp6_and_unknown),
        cmocka_unit_test(test_v1_truncated),
        cmocka_unit_test(test_v1_garbage),
        cmocka_unit_test(test_v1_oversized),
        cmocka_unit_test(test_v2_tcp4_tcp6_local),
        cmocka_unit_test(test_v2_truncated),
        cmocka_unit_test(test_v2_garbage_and_oversized),
        cmocka_unit_test(test_read_stops_at_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
