/* routes.h: the API's route table: every path the server answers, its method and guard. */
#ifndef SETT_BILLING_ROUTES_H
#define SETT_BILLING_ROUTES_H

#include <stddef.h>

#include "billing/router.h"

const struct route *routes_table(void);
size_t routes_count(void);

#endif
