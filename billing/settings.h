/* settings.h: the shop's settings (currency, tax, switches, gateways), a key/value table. */
#ifndef SETT_BILLING_SETTINGS_H
#define SETT_BILLING_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

struct settings {
    char currency_code[8];   /* ISO 4217, "USD" */
    char currency_symbol[8]; /* "$" */
    int currency_exponent;   /* minor units per major: 10^exponent */
    bool tax_enabled;
    char tax_name[33]; /* at most 32 bytes */
    int tax_rate_bps;  /* basis points: 2000 = 20 % */
    bool tax_inclusive;
    bool credits_enabled;
    bool auto_activate;
    bool signup_enabled;
    bool billing_enabled;
    bool billing_licensed;
    char gateways[128];          /* comma-separated, in display order: "stripe,paypal,credits" */
    int64_t credits_min_deposit; /* minor units */
    int64_t credits_max_deposit;
    int auto_suspend_days;     /* days overdue before suspension; 0 never */
    int auto_terminate_days;   /* days overdue before termination; 0 never */
    int renewal_invoice_days;  /* renewal invoices are issued this many days before the due date */
    bool downgrades_immediate; /* plan downgrades apply at once, the difference to credits */
};

/* Reads every setting; missing keys keep the defaults. 0, or -1 on a database error. */
int settings_load(sqlite3 *conn, struct settings *s);
/* Writes the defaults of a new shop (inside the caller's transaction). 0 or -1. */
int settings_seed(sqlite3 *conn);
/* Overrides settings from a JSON object ({"billing_licensed": false, "gateways": ["stripe"]}),
 * each value checked against its setting's type. NULL is nothing to do. 0, or -1 with err. */
int settings_import(sqlite3 *conn, const cJSON *obj, char *err, size_t errsz);
/* Every setting as settings_import takes it (booleans, integers, strings, the gateway list), so
 * that importing the object changes nothing. NULL on a database error. */
cJSON *settings_export(sqlite3 *conn);

#endif
