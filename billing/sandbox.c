/* sandbox.c: the reference server's stand-in for a card gateway's hosted page: a small HTML page
 * with Pay and Decline that, when used, sends the server its own signed webhook. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/money.h"
#include "billing/payment.h"
#include "billing/settings.h"
#include "billing/timestamp.h"
#include "billing/webhook.h"

#define HTML_TYPE "text/html; charset=utf-8"

/* What the page shows of a payment. */
struct sandbox_payment {
    int64_t id, amount;
    char status[16], gateway[16], invoice[32], token[PAYMENT_TOKEN_CHARS + 8];
    char money[48], currency[8];
};

static void sandbox_page(struct reply *rep, unsigned status, const char *title, const char *body)
{
    char *html = NULL;
    int n = asprintf(&html,
                     "<!doctype html><html><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                     "<title>Sandbox payment</title>"
                     "<style>body{font-family:sans-serif;max-width:28em;margin:3em auto;"
                     "padding:0 1em}button{font-size:1.2em;padding:.5em 1.5em;margin:.5em .5em 0 0}"
                     "</style></head><body><h1>%s</h1>%s"
                     "<p><small>sett-billingd sandbox gateway: no real money moves.</small></p>"
                     "</body></html>",
                     title, body);

    if (n < 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_text(rep, status, HTML_TYPE, html);
    free(html);
}

/* The payment the token names: API_OK, API_ERR_NOT_FOUND when there is none, API_ERR_INTERNAL
 * when the database could not tell (not the customer's link's fault). Expires it first when its
 * time is up. */
static enum api_error sandbox_load(struct billingd *app, const char *token,
                                   struct sandbox_payment *p)
{
    struct settings set;
    sqlite3_stmt *st;
    int64_t now = clock_now(app);
    enum api_error found;
    sqlite3 *conn;

    if (strncmp(token, "ps_", 3) != 0 || strlen(token) >= sizeof p->token ||
        strspn(token + 3, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") !=
            strlen(token) - 3)
        return API_ERR_NOT_FOUND;
    conn = db_acquire(app->db);
    if ((found = payment_by_token(conn, token, &p->id)) == API_OK &&
        settings_load(conn, &set) == 0 &&
        (st = db_prepare(conn, "SELECT p.status, p.gateway, p.amount, i.number,"
                               " p.created_at <= ? AND p.status IN ('requires_action', 'pending')"
                               " FROM payments p JOIN invoices i ON i.id = p.invoice_id"
                               " WHERE p.id = ?"))) {
        sqlite3_bind_int64(st, 1, now - PAYMENT_TTL);
        sqlite3_bind_int64(st, 2, p->id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            bool stale = sqlite3_column_int(st, 4);

            snprintf(p->status, sizeof p->status, "%s", stale ? "expired" : db_text(st, 0));
            snprintf(p->gateway, sizeof p->gateway, "%s", db_text(st, 1));
            p->amount = sqlite3_column_int64(st, 2);
            snprintf(p->invoice, sizeof p->invoice, "%s", db_text(st, 3));
            snprintf(p->token, sizeof p->token, "%s", token);
            snprintf(p->currency, sizeof p->currency, "%s", set.currency_code);
            billing_money_text(&set, p->amount, p->money, sizeof p->money);
            if (stale && db_begin(conn) == 0 &&
                (payment_fail(conn, p->id, "expired", now) != API_OK || db_commit(conn) != 0))
                db_rollback(conn);
        } else {
            found = API_ERR_INTERNAL;
        }
        db_finalize(st);
    } else if (found == API_OK) {
        found = API_ERR_INTERNAL; /* the settings or the payment could not be read */
    }
    db_release(app->db);
    return found;
}

/* No payment to show: an unknown link, or a database that could not be read. */
static void sandbox_missing(struct reply *rep, enum api_error err)
{
    if (err == API_ERR_NOT_FOUND)
        sandbox_page(rep, 404, "Payment not found", "<p>This payment link is not valid.</p>");
    else
        reply_error(rep, API_ERR_INTERNAL, NULL);
}

/* The sentence for a payment that no longer waits. */
static const char *sandbox_outcome(const char *status)
{
    if (strcmp(status, "paid") == 0 || strcmp(status, "not_required") == 0)
        return "This payment was already completed.";
    if (strcmp(status, "failed") == 0)
        return "This payment was declined. Start a new payment from the terminal.";
    return "This payment has expired or was replaced by a newer one. Start a new payment from "
           "the terminal.";
}

void handle_sandbox_page(struct request *req, struct reply *rep)
{
    struct sandbox_payment p;
    char body[512];
    enum api_error err = sandbox_load(req->app, req->params[0], &p);

    if (err != API_OK) {
        sandbox_missing(rep, err);
        return;
    }
    if (strcmp(p.status, "requires_action") != 0) {
        snprintf(body, sizeof body, "<p>Invoice %s</p><p>%s</p>", p.invoice,
                 sandbox_outcome(p.status));
        sandbox_page(rep, 200, "Payment closed", body);
        return;
    }
    /* Money and invoice numbers are the server's own text: nothing here needs escaping. */
    snprintf(body, sizeof body,
             "<p>Invoice %s &middot; %s</p><form method=\"post\">"
             "<button name=\"action\" value=\"pay\">Pay</button>"
             "<button name=\"action\" value=\"decline\">Decline</button></form>",
             p.invoice, strcmp(p.gateway, "paypal") == 0 ? "PayPal" : "Card");
    {
        char title[96];

        snprintf(title, sizeof title, "Pay %s", p.money);
        sandbox_page(rep, 200, title, body);
    }
}

/* The value of `action` in a form body: "pay", "decline", or NULL. */
static const char *sandbox_action(const char *body, size_t len)
{
    const char *p = body, *end = body + len;

    while (p && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t n = (size_t)((amp ? amp : end) - p);

        if (n == strlen("action=pay") && memcmp(p, "action=pay", n) == 0)
            return "pay";
        if (n == strlen("action=decline") && memcmp(p, "action=decline", n) == 0)
            return "decline";
        p = amp ? amp + 1 : NULL;
    }
    return NULL;
}

/* The event the gateway would send, signed, and handed to the webhook receiver. */
static enum api_error sandbox_deliver(struct billingd *app, const struct sandbox_payment *p,
                                      bool pay)
{
    unsigned char raw[12];
    char id[32] = "evt_", sig[WEBHOOK_SIGNATURE_CHARS], *body = NULL;
    cJSON *event = cJSON_CreateObject(), *amount, *fields = cJSON_CreateObject();
    bool duplicate = false;
    enum api_error err = API_ERR_INTERNAL;

    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id + 4, sizeof id - 4, raw, sizeof raw);
    if (!event || !fields || !cJSON_AddStringToObject(event, "id", id) ||
        !cJSON_AddStringToObject(event, "type", pay ? "payment.succeeded" : "payment.failed") ||
        !cJSON_AddStringToObject(event, "payment_token", p->token) ||
        !(amount = cJSON_AddObjectToObject(event, "amount")) ||
        !json_add_int(amount, "amount", p->amount) ||
        !cJSON_AddStringToObject(amount, "currency", p->currency) ||
        (!pay &&
         !cJSON_AddStringToObject(event, "failure_reason", "Declined on the sandbox page")) ||
        !json_add_timestamp(event, "created_at", clock_now(app)) ||
        !(body = cJSON_PrintUnformatted(event)) || webhook_sign(app, body, strlen(body), sig) != 0)
        goto done;
    err = webhook_receive(app, p->gateway, body, strlen(body), sig, &duplicate, fields);
done:
    cJSON_free(body);
    cJSON_Delete(event);
    cJSON_Delete(fields);
    return err;
}

void handle_sandbox_action(struct request *req, struct reply *rep)
{
    struct sandbox_payment p;
    const char *action;
    char body[512];
    enum api_error err = sandbox_load(req->app, req->params[0], &p);

    if (err != API_OK) {
        sandbox_missing(rep, err);
        return;
    }
    if (!(action = sandbox_action(req->body, req->body_len))) {
        sandbox_page(rep, 400, "Choose Pay or Decline", "<p>Choose Pay or Decline.</p>");
        return;
    }
    if (strcmp(p.status, "requires_action") != 0) {
        snprintf(body, sizeof body, "<p>%s</p>", sandbox_outcome(p.status));
        sandbox_page(rep, 409, "Payment closed", body);
        return;
    }
    if (sandbox_deliver(req->app, &p, strcmp(action, "pay") == 0) != API_OK) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if (strcmp(action, "pay") == 0)
        snprintf(body, sizeof body,
                 "<p>%s paid for invoice %s. You can return to the terminal.</p>", p.money,
                 p.invoice);
    else
        snprintf(body, sizeof body,
                 "<p>The payment for invoice %s was declined. Nothing was charged; any credits "
                 "it held are back on your balance. You can return to the terminal.</p>",
                 p.invoice);
    sandbox_page(rep, 200, strcmp(action, "pay") == 0 ? "Payment complete" : "Payment declined",
                 body);
}
