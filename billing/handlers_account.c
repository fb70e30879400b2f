/* handlers_account.c: routes of the contract that are routed and guarded but not built yet. */
#include "billing/handlers.h"

void handle_not_implemented(struct request *req, struct reply *rep)
{
    /* The route's guards have passed (signed in where needed): only the feature is missing. */
    reply_error(rep, API_ERR_NOT_IMPLEMENTED, NULL);
}
