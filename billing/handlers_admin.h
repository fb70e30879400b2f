/* handlers_admin.h: identity and operators: API keys, SSH sign-in and the /admin endpoints. */
#ifndef SETT_BILLING_HANDLERS_ADMIN_H
#define SETT_BILLING_HANDLERS_ADMIN_H

#include "billing/request.h"

/* handlers_apikeys.c: an account's API keys (access tokens only). */
void handle_api_keys_list(struct request *req, struct reply *rep);
void handle_api_key_create(struct request *req, struct reply *rep);
void handle_api_key_delete(struct request *req, struct reply *rep);

/* handlers_ssh.c: settd signs customers in by their SSH key. */
void handle_ssh_login(struct request *req, struct reply *rep);

/* handlers_admin_users.c: customer accounts and their records. */
void handle_admin_users(struct request *req, struct reply *rep);
void handle_admin_user(struct request *req, struct reply *rep);
void handle_admin_user_services(struct request *req, struct reply *rep);
void handle_admin_user_invoices(struct request *req, struct reply *rep);
void handle_admin_user_orders(struct request *req, struct reply *rep);

/* handlers_admin_credits.c: a customer's credit balance, ledger and adjustments. */
void handle_admin_user_credits(struct request *req, struct reply *rep);
void handle_admin_user_credits_adjust(struct request *req, struct reply *rep);
void handle_admin_user_credit_transactions(struct request *req, struct reply *rep);

/* handlers_admin_billing.c: orders, invoices, refunds, suspension. */
void handle_admin_orders(struct request *req, struct reply *rep);
void handle_admin_order_approve(struct request *req, struct reply *rep);
void handle_admin_invoice(struct request *req, struct reply *rep);
void handle_admin_invoice_refund(struct request *req, struct reply *rep);
/* POST /admin/payments/{id}/release: a held payment's money accepted for its invoice. */
void handle_admin_payment_release(struct request *req, struct reply *rep);
/* POST /admin/payments/{id}/refund: a held payment's money sent back, the payment failed. */
void handle_admin_payment_refund(struct request *req, struct reply *rep);
void handle_admin_service_suspend(struct request *req, struct reply *rep);
void handle_admin_service_unsuspend(struct request *req, struct reply *rep);

/* handlers_changes.c: a service's plan changes, and their reversal (audited). */
void handle_admin_service_changes(struct request *req, struct reply *rep);
void handle_admin_service_change_reverse(struct request *req, struct reply *rep);

/* handlers_admin_audit.c */
void handle_admin_audit_log(struct request *req, struct reply *rep);

/* handlers_admin_settings.c */
void handle_admin_settings(struct request *req, struct reply *rep);
void handle_admin_settings_patch(struct request *req, struct reply *rep);

/* handlers_admin_coupons.c */
void handle_admin_coupons(struct request *req, struct reply *rep);
void handle_admin_coupon_create(struct request *req, struct reply *rep);
void handle_admin_coupon_update(struct request *req, struct reply *rep);
void handle_admin_coupon_delete(struct request *req, struct reply *rep);

/* handlers_admin_catalog.c: categories and products as the --catalog document writes them. */
void handle_admin_categories(struct request *req, struct reply *rep);
void handle_admin_category_create(struct request *req, struct reply *rep);
void handle_admin_category_update(struct request *req, struct reply *rep);
void handle_admin_products(struct request *req, struct reply *rep);
void handle_admin_product(struct request *req, struct reply *rep);
void handle_admin_product_create(struct request *req, struct reply *rep);
void handle_admin_product_update(struct request *req, struct reply *rep);
void handle_admin_product_stock(struct request *req, struct reply *rep);

/* handlers_admin_prices.c: POST /admin/products/{id}/apply-prices: the product's services move
 * to today's prices from their next renewal. */
void handle_admin_product_apply_prices(struct request *req, struct reply *rep);

#endif
