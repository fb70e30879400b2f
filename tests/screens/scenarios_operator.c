/* scenarios_operator.c: operator mode (sett --operator) on a real billing server: the customer
 * search and a customer's account as golden screens, a refund done on screen and then checked
 * through the API (invoice, credit ledger, audit log), the other actions and an approval. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_peek.h"
#include "operator_support.h"
#include "scenarios.h"

#define REFUND_REASON "Server never came up in Frankfurt."

/* ---- the search and a customer ---- */

int scenario_operator_screens(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(harness_wait_text(h, "Operator", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(h, "operator_search_80x24") == 0);
    /* a fingerprint that no key has finds no one */
    H_CHECK(op_key_settled(h, "w", "Find customer") == 0);
    H_CHECK(harness_send(h, "SHA256:nobodyhasthis" HK_ENTER) == 0);
    H_CHECK(sett_wait_settled(h, "No customer matches") == 0);
    H_CHECK(op_open_demo(h) == 0);
    H_CHECK(harness_wait_text(h, "Operator — viewing demo@example.com", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_snapshot(h, "operator_customer_80x24") == 0);
    H_CHECK(op_key_settled(h, "i", "Invoices — viewing demo@example.com") == 0);
    H_CHECK(acct_snapshot(h, "operator_invoices_80x24") == 0);
    H_CHECK(op_key_settled(h, "O", "Orders — viewing demo@example.com") == 0);
    H_CHECK(acct_snapshot(h, "operator_orders_80x24") == 0);
    H_CHECK(op_key_settled(h, "$", "Credits — viewing demo@example.com") == 0);
    H_CHECK(acct_snapshot(h, "operator_credits_80x24") == 0);
    /* Esc goes back to the customer's overview, then to the search */
    H_CHECK(op_key_settled(h, HK_ESC, "Operator — viewing demo@example.com") == 0);
    H_CHECK(op_key_settled(h, HK_ESC, "Operator › Customers") == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* ---- a refund, on screen, then through the API ---- */

/* The audit log's newest entry on the invoice: its action, reason and actor. */
static int audit_of(const struct acct *admin, long invoice, char *action, char *reason,
                    char *actor_type, size_t n, long *actor_user)
{
    char path[160], *resp = NULL;
    long status = 0;
    int rc = -1;
    snprintf(path, sizeof path, "/admin/audit-log?target_type=invoice&target_id=%ld", invoice);
    if (acct_call(admin, "GET", path, NULL, NULL, NULL, &status, &resp) != 0 || status != 200) {
        free(resp);
        return -1;
    }
    cJSON *env = cJSON_Parse(resp);
    const cJSON *first = cJSON_GetArrayItem(api_peek_data(env), 0);
    const cJSON *actor = cJSON_GetObjectItemCaseSensitive(first, "actor");
    if (first && api_peek_str(first, "action") && api_peek_str(first, "reason") &&
        api_peek_str(actor, "type")) {
        snprintf(action, n, "%s", api_peek_str(first, "action"));
        snprintf(reason, n, "%s", api_peek_str(first, "reason"));
        snprintf(actor_type, n, "%s", api_peek_str(actor, "type"));
        const cJSON *uid = cJSON_GetObjectItemCaseSensitive(actor, "user_id");
        *actor_user = cJSON_IsNumber(uid) ? (long)uid->valuedouble : 0;
        rc = 0;
    }
    cJSON_Delete(env);
    free(resp);
    return rc;
}

int scenario_operator_refund(void)
{
    struct op_run o;
    struct acct admin;
    struct harness *h;
    char path[160], action[200], reason[200], actor[200];
    long actor_user = 0;
    cJSON *inv = NULL, *ledger = NULL;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_open_demo(h) == 0);
    H_CHECK(op_key_settled(h, "i", "Invoices — viewing") == 0);
    H_CHECK(op_key_settled(h, "f", "Invoices · Paid") == 0);
    /* the paid invoices, newest first: the one paid with credits is the last */
    H_CHECK(harness_send(h, "G") == 0);
    H_CHECK(op_key_settled(h, "E", "Refund amount") == 0);
    H_CHECK(harness_send(h, HK_ENTER) == 0); /* empty: everything */
    H_CHECK(sett_wait_settled(h, "Where does the refund go?") == 0);
    H_CHECK(harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(op_key_settled(h, HK_ENTER, "Reason (required):") == 0);
    /* an empty reason is refused and asked again */
    H_CHECK(harness_send(h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "A reason is required", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(op_key_settled(h, REFUND_REASON HK_ENTER, "in full") == 0);
    H_CHECK(acct_screen_says(h, "to demo@example.com, as credit?"));
    H_CHECK(acct_screen_says(h, "Reason: " REFUND_REASON));
    H_CHECK(acct_snapshot(h, "operator_refund_confirm_80x24") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "the invoice is now Refunded", HARNESS_TIMEOUT_MS) == 0);
    /* the invoice shows the refund and its reason; it cannot be refunded twice */
    H_CHECK(op_key_settled(h, "f", "Invoices · Pending") == 0);
    H_CHECK(op_key_settled(h, "f", "Invoices · Overdue") == 0);
    H_CHECK(op_key_settled(h, "f", "Invoices · Cancelled") == 0);
    H_CHECK(op_key_settled(h, "f", "Invoices · Refunded") == 0);
    H_CHECK(op_key_settled(h, HK_ENTER, "Amount due") == 0);
    H_CHECK(op_key_settled(h, "G", "Refunds") == 0);
    H_CHECK(acct_screen_says(h, REFUND_REASON));
    H_CHECK(harness_send(h, "E") == 0);
    H_CHECK(harness_wait_text(h, "Only a paid invoice can be refunded", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);

    /* what the API holds now */
    H_CHECK(acct_login(&admin, sett_run_server_url(&o.r), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) == 0);
    snprintf(path, sizeof path, "/admin/invoices/%ld", o.invoice_id);
    H_CHECK((inv = op_admin_get(&admin, path)) != NULL);
    H_CHECK(api_peek_str(api_peek_data(inv), "status") &&
            strcmp(api_peek_str(api_peek_data(inv), "status"), "refunded") == 0);
    long long total =
        op_money_of(cJSON_GetObjectItemCaseSensitive(api_peek_data(inv), "totals"), "total");
    H_CHECK(total > 0 && op_money_of(api_peek_data(inv), "amount_refunded") == total);
    /* the demo customer is account 1 on a fresh server; the ledger's newest entry is the refund */
    H_CHECK((ledger = op_admin_get(&admin, "/admin/users/1/credits/transactions")) != NULL);
    const cJSON *tx = cJSON_GetArrayItem(api_peek_data(ledger), 0);
    H_CHECK(tx && api_peek_str(tx, "type") && strcmp(api_peek_str(tx, "type"), "refund") == 0);
    H_CHECK(op_money_of(tx, "amount") == total);
    const cJSON *tx_inv = cJSON_GetObjectItemCaseSensitive(tx, "invoice_id");
    H_CHECK(cJSON_IsNumber(tx_inv) && (long)tx_inv->valuedouble == o.invoice_id);
    H_CHECK(audit_of(&admin, o.invoice_id, action, reason, actor, sizeof action, &actor_user) == 0);
    H_CHECK(strcmp(action, "invoice.refund") == 0);
    H_CHECK(strcmp(reason, REFUND_REASON) == 0);
    H_CHECK(strcmp(actor, "api_key") == 0); /* the operator's key did it... */
    H_CHECK(actor_user == 2);               /* ...the key of admin@example.com (account 2) */
    rc = 0;
fail:
    cJSON_Delete(inv);
    cJSON_Delete(ledger);
    op_stop(&o);
    return rc;
}

/* ---- the other actions ---- */

int scenario_operator_actions(void)
{
    struct op_run o;
    struct harness *h;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_open_demo(h) == 0);
    /* credit: removing more than the balance is the server's refusal, shown with its message */
    H_CHECK(op_key_settled(h, "$", "Credits — viewing") == 0);
    H_CHECK(op_key_settled(h, "A", "Credit to add") == 0);
    H_CHECK(harness_send(h, "-5000" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Reason (required):", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(op_key_settled(h, "Chargeback." HK_ENTER, "Remove $5,000.00 from") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Credit adjustment refused:", HARNESS_TIMEOUT_MS) == 0);
    /* adding works and shows in the ledger */
    H_CHECK(op_key_settled(h, "A", "Credit to add") == 0);
    H_CHECK(harness_send(h, "12.50" HK_ENTER) == 0);
    H_CHECK(harness_wait_text(h, "Reason (required):", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(op_key_settled(h, "Goodwill for the outage." HK_ENTER, "Add $12.50 to") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Added $12.50", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Goodwill for the outage.") == 0);
    /* a service being set up cannot be suspended; Iron (active) is suspended, then unsuspended */
    H_CHECK(op_key_settled(h, "v", "Services · 3 — viewing") == 0);
    H_CHECK(harness_send(h, "Z") == 0);
    H_CHECK(harness_wait_text(h, "Only an active service can be suspended", HARNESS_TIMEOUT_MS) ==
            0);
    H_CHECK(harness_send(h, "j") == 0);
    H_CHECK(op_key_settled(h, "Z", "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, "Abuse report." HK_ENTER, "Suspend Iron of demo@example.com?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Iron is now Suspended", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Suspended ") == 0);
    H_CHECK(acct_snapshot(h, "operator_suspended_80x24") == 0);
    H_CHECK(op_key_settled(h, "Z", "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, "Report was wrong." HK_ENTER, "Unsuspend Iron of") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Iron is now Active", HARNESS_TIMEOUT_MS) == 0);
    /* no order awaits approval here (auto-activation is on): the screen says so */
    H_CHECK(op_key_settled(h, "O", "Orders — viewing") == 0);
    H_CHECK(harness_send(h, "P") == 0);
    H_CHECK(harness_wait_text(h, "Only an order awaiting approval", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    op_stop(&o);
    return rc;
}

/* ---- approval ---- */

/* With auto-activation off a paid order waits; the operator approves it on screen, and the API
 * then has it completed, with the approval and its reason in the audit log. */
int scenario_operator_approve(void)
{
    struct op_run o;
    struct acct admin;
    struct harness *h;
    cJSON *orders = NULL, *audit = NULL;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", true) == 0);
    h = o.r.h;
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    H_CHECK(op_open_demo(h) == 0);
    H_CHECK(op_key_settled(h, "O", "Awaiting approval") == 0);
    H_CHECK(op_key_settled(h, "P", "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, "Paid and checked." HK_ENTER, "Approve ORD-2025-000004 of") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "ORD-2025-000004 is now Completed", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "ORD-2025-000004  Completed") == 0);
    H_CHECK(sett_run_quit(&o.r) == 0);

    H_CHECK(acct_login(&admin, sett_run_server_url(&o.r), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) == 0);
    H_CHECK((orders = op_admin_get(&admin, "/admin/orders?status=pending_approval")) != NULL);
    H_CHECK(cJSON_GetArraySize(api_peek_data(orders)) == 0);
    H_CHECK((audit = op_admin_get(&admin, "/admin/audit-log?target_type=order")) != NULL);
    const cJSON *first = cJSON_GetArrayItem(api_peek_data(audit), 0);
    H_CHECK(first && api_peek_str(first, "action") &&
            strcmp(api_peek_str(first, "action"), "order.approve") == 0);
    H_CHECK(api_peek_str(first, "reason") &&
            strcmp(api_peek_str(first, "reason"), "Paid and checked.") == 0);
    rc = 0;
fail:
    cJSON_Delete(orders);
    cJSON_Delete(audit);
    op_stop(&o);
    return rc;
}
