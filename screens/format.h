/* format.h: display formatting shared by screens: resources, prices per cycle, stock. */
#ifndef SETT_SCREENS_FORMAT_H
#define SETT_SCREENS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/types.h"
#include "tui/theme.h"

/* "512 MB", "4 GB", "1.5 GB" (MB given). */
void fmt_size_mb(int64_t mb, char *buf, size_t n);
/* "2 vCPU", "150% CPU". */
void fmt_cpu(int64_t percent, char *buf, size_t n);
/* "4 GB RAM · 20 GB disk · 2 vCPU", or compact "4 GB/20 GB/2 vCPU" for narrow rows. */
void fmt_resources_line(const struct resources *r, bool compact, char *buf, size_t n);
/* "$8.99/mo" */
void fmt_price_cycle(const struct money *m, enum billing_cycle c, const struct currency *cur,
                     char *buf, size_t n);
/* "Sold out" / "Only 3 left" / "12 in stock" / "In stock"; sets the theme element. */
const char *fmt_stock(const struct stock *s, char *buf, size_t n, enum theme_elem *el);
/* Value of a configurable option: "4 GB", "2 vCPU", or a bare count "3". */
void fmt_option_value(const struct product_option *o, int64_t value, char *buf, size_t n);

/* client_error_describe() as a sentence for a banner or the status line. */
void fmt_error(const struct client_error *e, char *buf, size_t n);

#endif
