/* format.h: display formatting shared by screens: resources, prices per cycle, stock. */
#ifndef SETT_SCREENS_FORMAT_H
#define SETT_SCREENS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types.h"
#include "client/types_account.h"
#include "client/types_cart.h"
#include "tui/theme.h"

/* "512 MB", "4 GB", "1.5 GB" (MB given). */
void fmt_size_mb(int64_t mb, char *buf, size_t n);
/* "2 vCPU", "150% CPU". */
void fmt_cpu(int64_t percent, char *buf, size_t n);
/* "4 GB RAM · 20 GB disk · 2 vCPU", or compact "4 GB/20 GB/2 vCPU" for narrow rows. */
void fmt_resources_line(const struct resources *r, bool compact, char *buf, size_t n);
/* `in` as the terminal shows it: with `ascii_only`, a symbol outside ASCII ("€", "CN¥") becomes
 * the code before the number ("EUR 8.99"); "$" and words ("kr") stay. */
void fmt_currency_shown(const struct currency *in, bool ascii_only, struct currency *out);
/* "$8.99/mo" */
void fmt_price_cycle(const struct money *m, enum billing_cycle c, const struct currency *cur,
                     char *buf, size_t n);
/* "Sold out" / "Only 3 left" / "12 in stock" / "In stock"; sets the theme element. */
const char *fmt_stock(const struct stock *s, char *buf, size_t n, enum theme_elem *el);
/* Value of a configurable option: "4 GB", "2 vCPU", or a bare count "3". */
void fmt_option_value(const struct product_option *o, int64_t value, char *buf, size_t n);

/* client_error_describe() as a sentence for a banner or the status line. */
void fmt_error(const struct client_error *e, char *buf, size_t n);

/* A chosen resource value: "6 GB RAM", "30 GB disk", "2 vCPU", "2 databases", "1 port". */
void fmt_resource_value(const char *resource, int64_t value, char *buf, size_t n);
/* A line's whole configuration, joined by `sep`: "6 GB RAM · 30 GB disk · 2 vCPU" with " · ",
 * "6 GB RAM, 30 GB disk" with ", " (plain mode's sentences); "" when none. */
void fmt_option_values(const struct option_value *v, size_t count, const char *sep, char *buf,
                       size_t n);
/* "2025-06-01T12:00:02Z" as "2025-06-01 12:00"; a date or anything else as it came. */
void fmt_moment(const char *rfc3339, char *buf, size_t n);
/* "Card (Stripe)", "PayPal", "Account credits"; another name as it is. */
const char *fmt_gateway(const char *gateway);
/* "20%", "7.5%", "8.25%". */
void fmt_rate(int rate_bps, char *buf, size_t n);
/* "VAT 20%" or "VAT 20% (included)". */
void fmt_tax_label(const struct tax_line *t, char *buf, size_t n);
/* Theme elements for statuses (status.* in the theme). */
enum theme_elem fmt_service_elem(enum service_status s);
enum theme_elem fmt_invoice_elem(enum invoice_status s);
enum theme_elem fmt_payment_elem(enum payment_status s);
/* Parses an amount typed by the customer ("25", "25.5", "$25.50") into minor units of `cur`
 * (exponent 2 when NULL). No floating point. 0, or -1 when it is not an amount. */
int fmt_parse_amount(const char *text, const struct currency *cur, int64_t *minor);

#endif
