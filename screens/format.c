/* format.c: display formatting shared by screens. */
#include "screens/format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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

void fmt_currency_shown(const struct currency *in, bool ascii_only, struct currency *out)
{
    *out = *in;
    if (!ascii_only)
        return;
    for (const char *p = in->symbol; *p; p++) {
        if ((unsigned char)*p >= 0x80) {
            /* money_format puts a symbol that is not a word before the number: "EUR 8.99" */
            if (in->code[0])
                snprintf(out->symbol, sizeof out->symbol, "%.3s ", in->code);
            else
                out->symbol[0] = '\0';
            return;
        }
    }
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

void fmt_resource_value(const char *resource, int64_t value, char *buf, size_t n)
{
    static const struct {
        const char *resource, *one, *many;
    } counts[] = {
        {"databases", "database", "databases"},
        {"backups", "backup", "backups"},
        {"allocations", "port", "ports"},
    };
    char v[48];
    if (strcmp(resource, "memory_mb") == 0) {
        fmt_size_mb(value, v, sizeof v);
        snprintf(buf, n, "%s RAM", v);
        return;
    }
    if (strcmp(resource, "disk_mb") == 0) {
        fmt_size_mb(value, v, sizeof v);
        snprintf(buf, n, "%s disk", v);
        return;
    }
    if (strcmp(resource, "cpu_percent") == 0) {
        fmt_cpu(value, buf, n);
        return;
    }
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        if (strcmp(resource, counts[i].resource) == 0) {
            snprintf(buf, n, "%" PRId64 " %s", value, value == 1 ? counts[i].one : counts[i].many);
            return;
        }
    }
    snprintf(buf, n, "%s %" PRId64, resource, value); /* a resource this build does not know */
}

void fmt_option_values(const struct option_value *v, size_t count, const char *sep, char *buf,
                       size_t n)
{
    size_t len = 0;
    if (n == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < count && len < n; i++) {
        char one[96];
        fmt_resource_value(v[i].resource, v[i].value, one, sizeof one);
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? sep : "", one);
    }
}

void fmt_moment(const char *s, char *buf, size_t n)
{
    if (!s)
        s = "";
    /* YYYY-MM-DDTHH:MM… */
    if (strlen(s) >= 16 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':')
        snprintf(buf, n, "%.10s %.5s", s, s + 11);
    else
        snprintf(buf, n, "%s", s);
}

const char *fmt_gateway(const char *g)
{
    if (!g || !g[0])
        return "None";
    if (strcmp(g, "stripe") == 0)
        return "Card (Stripe)";
    if (strcmp(g, "paypal") == 0)
        return "PayPal";
    if (strcmp(g, "credits") == 0)
        return "Account credits";
    return g;
}

void fmt_rate(int bps, char *buf, size_t n)
{
    if (bps % 100 == 0)
        snprintf(buf, n, "%d%%", bps / 100);
    else if (bps % 10 == 0)
        snprintf(buf, n, "%d.%d%%", bps / 100, bps % 100 / 10);
    else
        snprintf(buf, n, "%d.%02d%%", bps / 100, bps % 100);
}

void fmt_tax_label(const struct tax_line *t, char *buf, size_t n)
{
    char rate[16];
    fmt_rate(t->rate_bps, rate, sizeof rate);
    snprintf(buf, n, "%s %s%s", t->name[0] ? t->name : "Tax", rate,
             t->inclusive ? " (included)" : "");
}

enum theme_elem fmt_service_elem(enum service_status s)
{
    switch (s) {
    case SERVICE_ACTIVE:
        return EL_STATUS_ACTIVE;
    case SERVICE_PENDING:
        return EL_STATUS_PENDING;
    case SERVICE_SUSPENDED:
        return EL_STATUS_SUSPENDED;
    default:
        return EL_STATUS_CANCELLED;
    }
}

enum theme_elem fmt_invoice_elem(enum invoice_status s)
{
    switch (s) {
    case INVOICE_PAID:
        return EL_STATUS_ACTIVE;
    case INVOICE_PENDING:
        return EL_STATUS_PENDING;
    case INVOICE_OVERDUE:
        return EL_STATUS_OVERDUE;
    case INVOICE_DRAFT:
        return EL_DIM;
    default:
        return EL_STATUS_CANCELLED;
    }
}

enum theme_elem fmt_payment_elem(enum payment_status s)
{
    switch (s) {
    case PAYMENT_PAID:
    case PAYMENT_NOT_REQUIRED:
        return EL_STATUS_ACTIVE;
    case PAYMENT_FAILED:
        return EL_STATUS_OVERDUE;
    case PAYMENT_EXPIRED:
        return EL_STATUS_CANCELLED;
    case PAYMENT_HELD: /* needs someone to look at it */
        return EL_STATUS_SUSPENDED;
    default:
        return EL_STATUS_PENDING;
    }
}

int fmt_parse_amount(const char *text, const struct currency *cur, int64_t *minor)
{
    int exp = cur ? cur->exponent : 2;
    const char *p = text ? text : "";
    int64_t whole = 0, frac = 0;
    int frac_digits = 0, digits = 0;
    bool dot = false;

    while (*p == ' ')
        p++;
    if (cur && cur->symbol[0] && strncmp(p, cur->symbol, strlen(cur->symbol)) == 0)
        p += strlen(cur->symbol);
    for (; *p && *p != ' '; p++) {
        if (*p >= '0' && *p <= '9') {
            if (dot) {
                if (++frac_digits > exp)
                    return -1; /* finer than the currency's smallest unit */
                frac = frac * 10 + (*p - '0');
            } else {
                if (whole > (INT64_MAX / 10 - 9) / 1000)
                    return -1;
                whole = whole * 10 + (*p - '0');
            }
            digits++;
        } else if ((*p == '.' || *p == ',') && !dot && exp > 0) {
            dot = true;
        } else {
            return -1;
        }
    }
    while (*p == ' ')
        p++;
    if (cur && cur->code[0] && strncasecmp(p, cur->code, strlen(cur->code)) == 0)
        p += strlen(cur->code);
    if (*p || digits == 0)
        return -1;
    for (int i = frac_digits; i < exp; i++)
        frac *= 10;
    int64_t scale = 1;
    for (int i = 0; i < exp; i++)
        scale *= 10;
    *minor = whole * scale + frac;
    return 0;
}
