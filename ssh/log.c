/* log.c: log lines go out with one write(2) each, so lines of many processes never interleave. */
#include "ssh/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int64_t log_now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void log_write(const char *line)
{
    size_t len = strlen(line), off = 0;
    ssize_t n;

    while (off < len && (n = write(STDERR_FILENO, line + off, len - off)) > 0)
        off += (size_t)n;
}

void log_connect(const struct conn_log *l)
{
    char line[160];

    if (l->quiet)
        return;
    snprintf(line, sizeof line, "settd: connect addr=%s\n", l->addr);
    log_write(line);
}

void log_format_disconnect(const struct conn_log *l, const char *reason, int64_t now_ns, char *out,
                           size_t outsz)
{
    char size[32] = "-";
    int64_t tenths = (now_ns - l->start_ns) / 100000000;

    if (tenths < 0)
        tenths = 0;
    if (l->cols > 0 && l->rows > 0)
        snprintf(size, sizeof size, "%dx%d", l->cols, l->rows);
    snprintf(
        out, outsz,
        "settd: disconnect addr=%s fp=%s term=%s size=%s mode=%s duration=%lld.%llds reason=%s",
        l->addr, l->fp[0] ? l->fp : "-", l->term[0] ? l->term : "-", size, l->mode ? l->mode : "-",
        (long long)(tenths / 10), (long long)(tenths % 10), reason);
}

void log_disconnect(const struct conn_log *l, const char *reason)
{
    char line[400];

    if (l->quiet)
        return;
    log_format_disconnect(l, reason, log_now_ns(), line, sizeof line - 1);
    strcat(line, "\n");
    log_write(line);
}

void log_msg(const char *fmt, ...)
{
    char line[600] = "settd: ";
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line + 7, sizeof line - 8, fmt, ap);
    va_end(ap);
    strcat(line, "\n");
    log_write(line);
}
