/* routes.c: the API's route table: every path the server answers, its method and guard. */
#include "billing/routes.h"

#include "billing/handlers.h"

#define V1 "/api/v1"
#define B  V1 "/billing"
#define A  V1 "/admin"

#define ACCOUNT (ROUTE_AUTH | ROUTE_BILLING)
#define NOT_YET handle_not_implemented

/* Every operation of the contract is listed with its real method, so a wrong method is a 405 and
 * a missing token a 401 even before the operation exists; until then it answers 501. Everything
 * under /billing but the status is closed (403) while billing is unlicensed or switched off;
 * operator routes stay open so settings can still be managed. */
static const struct route routes[] = {
    {"POST", V1 "/auth/login", handle_login, ROUTE_JSON},
    {"POST", V1 "/auth/refresh", handle_refresh, ROUTE_JSON},
    {"POST", V1 "/auth/logout", handle_logout, ROUTE_AUTH},
    {"GET", V1 "/auth/me", handle_me, ROUTE_AUTH},
    {"POST", V1 "/auth/ssh", NOT_YET, ROUTE_AUTH},
    {"GET", V1 "/auth/api-keys", NOT_YET, ROUTE_AUTH},
    {"POST", V1 "/auth/api-keys", NOT_YET, ROUTE_AUTH},
    {"DELETE", V1 "/auth/api-keys/{}", NOT_YET, ROUTE_AUTH},

    {"GET", B "/status", handle_status, 0},
    {"GET", B "/categories", handle_categories, ROUTE_BILLING},
    {"GET", B "/products", handle_products, ROUTE_BILLING},
    {"GET", B "/products/{}", handle_product, ROUTE_BILLING},
    {"POST", B "/quotes", NOT_YET, ROUTE_BILLING},

    {"GET", B "/cart", NOT_YET, ACCOUNT},
    {"POST", B "/cart/items", NOT_YET, ACCOUNT},
    {"PATCH", B "/cart/items/{}", NOT_YET, ACCOUNT},
    {"DELETE", B "/cart/items/{}", NOT_YET, ACCOUNT},
    {"PUT", B "/cart/coupon", NOT_YET, ACCOUNT},
    {"DELETE", B "/cart/coupon", NOT_YET, ACCOUNT},
    {"POST", B "/checkout", NOT_YET, ACCOUNT},
    {"GET", B "/payments/{}", NOT_YET, ACCOUNT},
    {"GET", B "/orders", NOT_YET, ACCOUNT},
    {"GET", B "/orders/{}", NOT_YET, ACCOUNT},
    {"GET", B "/services", NOT_YET, ACCOUNT},
    {"GET", B "/services/{}", NOT_YET, ACCOUNT},
    {"POST", B "/services/{}/cancellation", NOT_YET, ACCOUNT},
    {"DELETE", B "/services/{}/cancellation", NOT_YET, ACCOUNT},
    {"POST", B "/services/{}/renewals", NOT_YET, ACCOUNT},
    {"GET", B "/invoices", NOT_YET, ACCOUNT},
    {"GET", B "/invoices/{}", NOT_YET, ACCOUNT},
    {"POST", B "/invoices/{}/payments", NOT_YET, ACCOUNT},
    {"GET", B "/credits", NOT_YET, ACCOUNT},
    {"GET", B "/credits/transactions", NOT_YET, ACCOUNT},
    {"POST", B "/credits/deposits", NOT_YET, ACCOUNT},

    {"GET", A "/users", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}/services", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}/invoices", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}/orders", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}/credits", NOT_YET, ROUTE_AUTH},
    {"POST", A "/users/{}/credits", NOT_YET, ROUTE_AUTH},
    {"GET", A "/users/{}/credits/transactions", NOT_YET, ROUTE_AUTH},
    {"GET", A "/orders", NOT_YET, ROUTE_AUTH},
    {"POST", A "/orders/{}/approve", NOT_YET, ROUTE_AUTH},
    {"GET", A "/invoices/{}", NOT_YET, ROUTE_AUTH},
    {"POST", A "/invoices/{}/refunds", NOT_YET, ROUTE_AUTH},
    {"POST", A "/services/{}/suspend", NOT_YET, ROUTE_AUTH},
    {"POST", A "/services/{}/unsuspend", NOT_YET, ROUTE_AUTH},
    {"GET", A "/audit-log", NOT_YET, ROUTE_AUTH},
    {"GET", A "/settings", NOT_YET, ROUTE_AUTH},
    {"PATCH", A "/settings", NOT_YET, ROUTE_AUTH},
    {"GET", A "/coupons", NOT_YET, ROUTE_AUTH},
    {"POST", A "/coupons", NOT_YET, ROUTE_AUTH},
    {"PATCH", A "/coupons/{}", NOT_YET, ROUTE_AUTH},
    {"DELETE", A "/coupons/{}", NOT_YET, ROUTE_AUTH},
};

const struct route *routes_table(void)
{
    return routes;
}

size_t routes_count(void)
{
    return sizeof routes / sizeof routes[0];
}
