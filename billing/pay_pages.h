/* pay_pages.h: the pages a real gateway sends the customer back to after its hosted page. */
#ifndef SETT_BILLING_PAY_PAGES_H
#define SETT_BILLING_PAY_PAGES_H

#include "billing/request.h"

/* GET /pay/done and GET /pay/cancelled: small HTML pages that send the customer back to the
 * terminal; they change nothing (the webhook or a look-up settles the payment). */
void handle_pay_done(struct request *req, struct reply *rep);
void handle_pay_cancelled(struct request *req, struct reply *rep);

#endif
