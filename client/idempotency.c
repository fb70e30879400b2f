/* idempotency.c: Idempotency-Key values: random UUIDs (version 4) from the kernel. */
#include "client/client.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* Fills buf with n random bytes: getrandom(2), or /dev/urandom where it is missing (ENOSYS). */
static int random_bytes(unsigned char *buf, size_t n)
{
    size_t got = 0;
    int fd;

    while (got < n) {
        ssize_t r = getrandom(buf + got, n - got, 0);

        if (r > 0)
            got += (size_t)r;
        else if (r < 0 && errno == ENOSYS)
            break;
        else if (r < 0 && errno != EINTR)
            return -1;
    }
    if (got == n)
        return 0;
    fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);

        if (r > 0)
            got += (size_t)r;
        else if (r == 0 || errno != EINTR)
            break;
    }
    close(fd);
    return got == n ? 0 : -1;
}

int client_idempotency_key_new(char buf[CLIENT_IDEMPOTENCY_KEY_SIZE])
{
    unsigned char b[16];

    if (!buf)
        return -1;
    buf[0] = '\0';
    if (random_bytes(b, sizeof(b)) < 0)
        return -1;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40); /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80); /* RFC 4122 variant */
    snprintf(buf, CLIENT_IDEMPOTENCY_KEY_SIZE,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
    explicit_bzero(b, sizeof(b));
    return 0;
}
