/* money.c: formatting of integer minor-unit amounts and the built-in currency table. */
#include "client/money.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* ISO 4217 allows up to 4 minor digits; anything beyond this is clamped rather than trusted. */
#define MONEY_EXPONENT_MAX 18

struct currency_entry {
    const char *code;
    const char *symbol;
    int exponent;
};

/* Symbols are only listed where they are unambiguous to an English reader; the rest print the
 * code after the number, which is never wrong. */
static const struct currency_entry currencies[] = {
    {"USD", "$", 2},  {"EUR", "€", 2},   {"GBP", "£", 2},   {"JPY", "¥", 0},  {"CAD", "CA$", 2},
    {"AUD", "A$", 2}, {"NZD", "NZ$", 2}, {"HKD", "HK$", 2}, {"SGD", "S$", 2}, {"MXN", "MX$", 2},
    {"BRL", "R$", 2}, {"CNY", "CN¥", 2}, {"INR", "₹", 2},   {"KRW", "₩", 0},  {"ILS", "₪", 2},
    {"TRY", "₺", 2},  {"UAH", "₴", 2},   {"PHP", "₱", 2},   {"VND", "₫", 0},  {"SEK", "kr", 2},
    {"NOK", "kr", 2}, {"DKK", "kr", 2},  {"ISK", "", 0},    {"CHF", "", 2},   {"PLN", "", 2},
    {"CZK", "", 2},   {"HUF", "", 2},    {"RON", "", 2},    {"ZAR", "", 2},   {"CLP", "", 0},
    {"KWD", "", 3},   {"BHD", "", 3},    {"JOD", "", 3},    {"OMR", "", 3},   {"TND", "", 3},
};

int currency_lookup(const char *code, struct currency *out)
{
    size_t i;

    if (!code)
        return -1;
    for (i = 0; i < sizeof(currencies) / sizeof(currencies[0]); i++) {
        if (strcasecmp(code, currencies[i].code) != 0)
            continue;
        if (out) {
            memset(out, 0, sizeof(*out));
            strcpy(out->code, currencies[i].code);
            strcpy(out->symbol, currencies[i].symbol);
            out->exponent = currencies[i].exponent;
        }
        return 0;
    }
    return -1;
}

/* A word-like symbol ("kr") reads after the number with a space; "$", "€", "CA$" read before it. */
static bool symbol_is_word(const char *sym)
{
    if (!*sym)
        return false;
    for (; *sym; sym++)
        if (!isascii((unsigned char)*sym) || !isalpha((unsigned char)*sym))
            return false;
    return true;
}

/* Copies at most bufsz-1 bytes without cutting a UTF-8 sequence in half. */
static void copy_truncated(char *buf, size_t bufsz, const char *src, size_t len)
{
    size_t n;

    if (!buf || bufsz == 0)
        return;
    n = len < bufsz - 1 ? len : bufsz - 1;
    if (n < len)
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    memcpy(buf, src, n);
    buf[n] = '\0';
}

static void resolve_currency(const char *code, const struct currency *cur, struct currency *out)
{
    memset(out, 0, sizeof(*out));
    if (cur && strncmp(cur->code, code, sizeof(cur->code)) == 0 && code[0]) {
        memcpy(out->code, cur->code, sizeof(out->code) - 1);
        memcpy(out->symbol, cur->symbol, sizeof(out->symbol) - 1);
        out->exponent = cur->exponent;
    } else if (currency_lookup(code, out) != 0) {
        memcpy(out->code, code, sizeof(out->code) - 1);
        out->exponent = 2;
    }
    if (out->exponent < 0)
        out->exponent = 0;
    if (out->exponent > MONEY_EXPONENT_MAX)
        out->exponent = MONEY_EXPONENT_MAX;
}

/* Writes |amount| as "1,234.56" into out (which must hold 64 bytes); returns the length. */
static size_t format_magnitude(uint64_t mag, int exponent, char *out)
{
    char digits[MONEY_EXPONENT_MAX + 24];
    size_t nd = 0, nint, i, n = 0;

    do {
        digits[nd++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    while (nd < (size_t)exponent + 1)
        digits[nd++] = '0';
    /* digits[] is least significant first */
    nint = nd - (size_t)exponent;
    for (i = 0; i < nint; i++) {
        if (i > 0 && (nint - i) % 3 == 0)
            out[n++] = ',';
        out[n++] = digits[nd - 1 - i];
    }
    if (exponent > 0) {
        out[n++] = '.';
        for (i = nint; i < nd; i++)
            out[n++] = digits[nd - 1 - i];
    }
    out[n] = '\0';
    return n;
}

int money_format(const struct money *m, const struct currency *cur, char *buf, size_t bufsz)
{
    struct currency c;
    char code[sizeof(m->currency)] = "";
    char number[64];
    char out[128];
    size_t n = 0, len;
    uint64_t mag;
    bool neg;

    if (!m) {
        copy_truncated(buf, bufsz, "", 0);
        return 0;
    }
    memcpy(code, m->currency, sizeof(code) - 1);
    resolve_currency(code, cur, &c);

    neg = m->amount < 0;
    /* unsigned negation keeps INT64_MIN representable */
    mag = neg ? (uint64_t)0 - (uint64_t)m->amount : (uint64_t)m->amount;
    len = format_magnitude(mag, c.exponent, number);

    if (neg)
        out[n++] = '-';
    if (c.symbol[0] && !symbol_is_word(c.symbol)) {
        memcpy(out + n, c.symbol, strlen(c.symbol));
        n += strlen(c.symbol);
        memcpy(out + n, number, len);
        n += len;
    } else {
        const char *suffix = c.symbol[0] ? c.symbol : c.code;

        memcpy(out + n, number, len);
        n += len;
        if (suffix[0]) {
            out[n++] = ' ';
            memcpy(out + n, suffix, strlen(suffix));
            n += strlen(suffix);
        }
    }
    out[n] = '\0';
    copy_truncated(buf, bufsz, out, n);
    return (int)n;
}
