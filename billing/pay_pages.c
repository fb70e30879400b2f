/* pay_pages.c: where Stripe's hosted page sends the customer back: a page that says to return to
 * the terminal. Nothing here touches a payment; only signed events and look-ups do. */
#include "billing/pay_pages.h"

#include <stdio.h>
#include <stdlib.h>

#define PAY_PAGE_TYPE "text/html; charset=utf-8"

static void pay_page(struct reply *rep, const char *title, const char *text)
{
    char *html = NULL;

    if (asprintf(&html,
                 "<!doctype html><html><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 "<title>%s</title><style>body{font-family:sans-serif;max-width:28em;"
                 "margin:3em auto;padding:0 1em}</style></head><body><h1>%s</h1><p>%s</p>"
                 "</body></html>",
                 title, title, text) < 0) {
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    reply_text(rep, 200, PAY_PAGE_TYPE, html);
    free(html);
}

void handle_pay_done(struct request *req, struct reply *rep)
{
    (void)req;
    pay_page(rep, "Thank you",
             "Your payment is being confirmed. You can close this page and return to the "
             "terminal: it shows the payment as soon as it is settled.");
}

void handle_pay_cancelled(struct request *req, struct reply *rep)
{
    (void)req;
    pay_page(rep, "Payment not completed",
             "Nothing was charged. Return to the terminal to pay another way or try again.");
}
