/* format.c: display formatting shared by screens. */
#include "screens/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void fmt_size_mb(int64_t mb, char *buf, size_t n)
{
    if (mb < 1024) {
        snprintf(buf, n, "%" PRId64 " MB", mb);
    } else if (mb % 1024 == 0) {
        snprintf(buf, n, "%" PRId64 " GB", mb / 1024);
    } else {
        int64_t tenths = (mb * 10 + 512) / 1024;
        snprintf(buf, n, "%" PRId64 ".%" PRId64 " GB", tenths / 10, tenths % 10);
    }
}

void fmt_cpu(int64_t percent, char *buf, size_t n)
{
    if (percent > 0 && percent % 100 == 0)
        snprintf(buf, n, "%" PRId64 " vCPU", percent / 100);
    else if (percent > 0 && percent % 10 == 0)
        snprintf(buf, n, "%" PRId64 ".%" PRId64 " vCPU", percent / 100, percent % 100 / 10);
    else
        snprintf(buf, n, "%" PRId64 "%% CPU", percent);
}

void fmt_resources_line(const struct resources *r, bool compact, char *buf, size_t n)
{
    char mem[32], disk[32], cpu[32];
    fmt_size_mb(r->memory_mb, mem, sizeof mem);
    fmt_size_mb(r->disk_mb, disk, sizeof disk);
    fmt_cpu(r->cpu_percent, cpu, sizeof cpu);
    if (compact)
        snprintf(buf, n, "%s/%s/%s", mem, disk, cpu);
    else
        snprintf(buf, n, "%s RAM · %s disk · %s", mem, disk, cpu);
}

void fmt_price_cycle(const struct money *m, enum billing_cycle c, const struct currency *cur,
                     char *buf, size_t n)
{
    char amount[64];
    money_format(m, cur, amount, sizeof amount);
    snprintf(buf, n, "%s%s", amount, billing_cycle_suffix(c));
}

const char *fmt_stock(const struct stock *s, char *buf, size_t n, enum theme_elem *el)
{
    if (!s->limited) {
        *el = EL_STOCK_OK;
        snprintf(buf, n, "In stock");
    } else if (s->available <= 0) {
        *el = EL_STOCK_SOLDOUT;
        snprintf(buf, n, "Sold out");
    } else if (s->available <= 5) {
        *el = EL_STOCK_LOW;
        snprintf(buf, n, "Only %" PRId64 " left", s->available);
    } else {
        *el = EL_STOCK_OK;
        snprintf(buf, n, "%" PRId64 " in stock", s->available);
    }
    return buf;
}

void fmt_option_value(const struct product_option *o, int64_t value, char *buf, size_t n)
{
    if (strcmp(o->resource, "memory_mb") == 0 || strcmp(o->resource, "disk_mb") == 0)
        fmt_size_mb(value, buf, n);
    else if (strcmp(o->resource, "cpu_percent") == 0)
        fmt_cpu(value, buf, n);
    else /* a count: the unit is named once, beside its price */
        snprintf(buf, n, "%" PRId64, o->unit_size > 1 ? value / o->unit_size : value);
}

void fmt_error(const struct client_error *e, char *buf, size_t n)
{
    client_error_describe(e, buf, n);
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}
