/* routes.c: the API's route table: every path the server answers, its method and guard. */
#include "billing/routes.h"

#include "billing/handlers.h"
#include "billing/handlers_commerce.h"
#include "billing/handlers_lifecycle.h"
#include "billing/handlers_admin.h"
#include "billing/pay_pages.h"

#define V1 "/api/v1"
#define B  V1 "/billing"
#define A  V1 "/admin"

#define ACCOUNT (ROUTE_AUTH | ROUTE_BILLING)
#define ADMIN   (ROUTE_AUTH | ROUTE_ADMIN)
#define KEYS    (ROUTE_AUTH | ROUTE_NO_KEY)
#define NOT_YET handle_not_implemented

/* Every operation of the contract is listed with its real method, so a wrong method is a 405 and
 * a missing token a 401 even before the operation exists; until then it answers 501. Everything
 * under /billing but the status is closed (403) while billing is unlicensed or switched off;
 * operator routes stay open so settings can still be managed. */
static const struct route routes[] = {
    {"POST", V1 "/auth/login", handle_login, ROUTE_JSON | ROUTE_SIGNIN},
    {"POST", V1 "/auth/refresh", handle_refresh, ROUTE_JSON},
    {"POST", V1 "/auth/logout", handle_logout, ROUTE_AUTH_IF_SENT | ROUTE_NO_KEY},
    {"GET", V1 "/auth/me", handle_me, ROUTE_AUTH},
    {"POST", V1 "/auth/ssh", handle_ssh_login, ROUTE_AUTH | ROUTE_SSH | ROUTE_JSON},
    {"GET", V1 "/auth/api-keys", handle_api_keys_list, KEYS},
    {"POST", V1 "/auth/api-keys", handle_api_key_create, KEYS | ROUTE_JSON},
    {"DELETE", V1 "/auth/api-keys/{}", handle_api_key_delete, KEYS},

    {"GET", B "/status", handle_status, 0},
    {"GET", B "/categories", handle_categories, ROUTE_BILLING | ROUTE_MEMORY},
    {"GET", B "/products", handle_products, ROUTE_BILLING | ROUTE_MEMORY},
    {"GET", B "/products/{}", handle_product, ROUTE_BILLING | ROUTE_MEMORY},
    {"POST", B "/quotes", handle_quote, ROUTE_BILLING | ROUTE_JSON},

    {"GET", B "/cart", handle_cart_get, ACCOUNT},
    {"POST", B "/cart/items", handle_cart_item_add, ACCOUNT | ROUTE_JSON},
    {"PATCH", B "/cart/items/{}", handle_cart_item_update, ACCOUNT | ROUTE_JSON},
    {"DELETE", B "/cart/items/{}", handle_cart_item_remove, ACCOUNT},
    {"PUT", B "/cart/coupon", handle_cart_coupon_put, ACCOUNT | ROUTE_JSON},
    {"DELETE", B "/cart/coupon", handle_cart_coupon_delete, ACCOUNT},
    {"POST", B "/checkout", handle_checkout, ACCOUNT | ROUTE_JSON},
    {"GET", B "/payments/{}", handle_payment_get, ACCOUNT},
    {"GET", B "/orders", handle_orders, ACCOUNT},
    {"GET", B "/orders/{}", handle_order, ACCOUNT},
    {"GET", B "/services", handle_services, ACCOUNT},
    {"GET", B "/services/{}", handle_service, ACCOUNT},
    {"POST", B "/services/{}/cancellation", handle_service_cancel, ACCOUNT | ROUTE_JSON},
    {"DELETE", B "/services/{}/cancellation", handle_service_cancel_withdraw, ACCOUNT},
    {"POST", B "/services/{}/renewals", handle_service_renew, ACCOUNT},
    {"POST", B "/services/{}/change-quote", handle_service_change_quote, ACCOUNT | ROUTE_JSON},
    {"GET", B "/services/{}/changes", handle_service_changes, ACCOUNT},
    {"POST", B "/services/{}/changes", handle_service_change_create, ACCOUNT | ROUTE_JSON},
    {"DELETE", B "/services/{}/changes/{}", handle_service_change_cancel, ACCOUNT},
    {"GET", B "/invoices", handle_invoices, ACCOUNT},
    {"GET", B "/invoices/{}", handle_invoice, ACCOUNT},
    {"POST", B "/invoices/{}/payments", handle_invoice_pay, ACCOUNT | ROUTE_JSON},
    {"GET", B "/credits", handle_credits, ACCOUNT},
    {"GET", B "/credits/transactions", handle_credit_transactions, ACCOUNT},
    {"POST", B "/credits/deposits", handle_credit_deposit, ACCOUNT | ROUTE_JSON},

    {"GET", A "/users", handle_admin_users, ADMIN},
    {"GET", A "/users/{}", handle_admin_user, ADMIN},
    {"GET", A "/users/{}/services", handle_admin_user_services, ADMIN},
    {"GET", A "/users/{}/invoices", handle_admin_user_invoices, ADMIN},
    {"GET", A "/users/{}/orders", handle_admin_user_orders, ADMIN},
    {"GET", A "/users/{}/credits", handle_admin_user_credits, ADMIN},
    {"POST", A "/users/{}/credits", handle_admin_user_credits_adjust, ADMIN | ROUTE_JSON},
    {"GET", A "/users/{}/credits/transactions", handle_admin_user_credit_transactions, ADMIN},
    {"GET", A "/orders", handle_admin_orders, ADMIN},
    {"POST", A "/orders/{}/approve", handle_admin_order_approve, ADMIN | ROUTE_JSON},
    {"GET", A "/invoices/{}", handle_admin_invoice, ADMIN},
    {"POST", A "/invoices/{}/refunds", handle_admin_invoice_refund, ADMIN | ROUTE_JSON},
    {"POST", A "/payments/{}/release", handle_admin_payment_release, ADMIN | ROUTE_JSON},
    {"POST", A "/payments/{}/refund", handle_admin_payment_refund, ADMIN | ROUTE_JSON},
    {"POST", A "/services/{}/suspend", handle_admin_service_suspend, ADMIN | ROUTE_JSON},
    {"POST", A "/services/{}/unsuspend", handle_admin_service_unsuspend, ADMIN | ROUTE_JSON},
    {"GET", A "/services/{}/changes", handle_admin_service_changes, ADMIN},
    {"POST", A "/services/{}/changes/{}/reversal", handle_admin_service_change_reverse,
     ADMIN | ROUTE_JSON},
    {"GET", A "/audit-log", handle_admin_audit_log, ADMIN},
    {"GET", A "/settings", handle_admin_settings, ADMIN},
    {"PATCH", A "/settings", handle_admin_settings_patch, ADMIN | ROUTE_JSON},
    {"GET", A "/coupons", handle_admin_coupons, ADMIN},
    {"POST", A "/coupons", handle_admin_coupon_create, ADMIN | ROUTE_JSON},
    {"PATCH", A "/coupons/{}", handle_admin_coupon_update, ADMIN | ROUTE_JSON},
    {"DELETE", A "/coupons/{}", handle_admin_coupon_delete, ADMIN},
    {"GET", A "/categories", handle_admin_categories, ADMIN},
    {"POST", A "/categories", handle_admin_category_create, ADMIN | ROUTE_JSON},
    {"PATCH", A "/categories/{}", handle_admin_category_update, ADMIN | ROUTE_JSON},
    {"GET", A "/products", handle_admin_products, ADMIN},
    {"POST", A "/products", handle_admin_product_create, ADMIN | ROUTE_JSON},
    {"GET", A "/products/{}", handle_admin_product, ADMIN},
    {"PATCH", A "/products/{}", handle_admin_product_update, ADMIN | ROUTE_JSON},
    {"POST", A "/products/{}/stock", handle_admin_product_stock, ADMIN | ROUTE_JSON},
    {"POST", A "/products/{}/apply-prices", handle_admin_product_apply_prices, ADMIN | ROUTE_JSON},

    /* The reference server's sandbox gateway, outside /api/v1. */
    {"GET", "/sandbox/pay/{}", handle_sandbox_page, 0},
    {"POST", "/sandbox/pay/{}", handle_sandbox_action, ROUTE_FORM},
    {"POST", "/api/billing/webhooks/{}", handle_webhook, ROUTE_JSON},
    /* Where a real gateway's hosted page sends the customer back. */
    {"GET", "/pay/done", handle_pay_done, 0},
    {"GET", "/pay/cancelled", handle_pay_cancelled, 0},
};

const struct route *routes_table(void)
{
    return routes;
}

size_t routes_count(void)
{
    return sizeof routes / sizeof routes[0];
}
