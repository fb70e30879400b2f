/* guard.h: what a signed-in caller may reach: operator routes, settd's SSH route, API key scopes.
 */
#ifndef SETT_BILLING_GUARD_H
#define SETT_BILLING_GUARD_H

#include <stdbool.h>

#include "billing/auth.h"
#include "billing/request.h"
#include "billing/router.h"

/* Checks a route's ROUTE_ADMIN / ROUTE_SSH / ROUTE_NO_KEY flags and, for an API key on a billing
 * route, its `billing` scope; copies the caller into req. False with 403 forbidden in rep. */
bool guard_check(const struct route *route, const struct auth_caller *who, struct request *req,
                 struct reply *rep);

#endif
