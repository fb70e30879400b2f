/* types_admin.c: freeing the operator endpoints' values. */
#include "client/types_admin.h"

#include <stdlib.h>
#include <string.h>

static void refund_clear(struct refund *r)
{
    free(r->reason);
    free(r->gateway);
    free(r->status);
    free(r->created_at);
    memset(r, 0, sizeof(*r));
}

void refund_result_free(struct refund_result **r)
{
    if (!r || !*r)
        return;
    refund_clear(&(*r)->refund);
    invoice_clear(&(*r)->invoice);
    free(*r);
    *r = NULL;
}

void credit_tx_free(struct credit_tx **t)
{
    if (!t || !*t)
        return;
    free((*t)->description);
    free((*t)->created_at);
    free(*t);
    *t = NULL;
}
