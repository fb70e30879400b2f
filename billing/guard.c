/* guard.c: what a signed-in caller may reach: operator routes, settd's SSH route, API key scopes.
 */
#include "billing/guard.h"

bool guard_check(const struct route *route, const struct auth_caller *who, struct request *req,
                 struct reply *rep)
{
    bool key = who->api_key_id != 0;

    req->user_id = who->user_id;
    req->api_key_id = who->api_key_id;
    req->key_scopes = who->scopes;
    req->admin = who->admin;
    if (route->flags & ROUTE_NO_KEY) {
        if (!key)
            return true;
        reply_error(rep, API_ERR_FORBIDDEN, "This needs an access token; an API key cannot do it.");
        return false;
    }
    if (route->flags & ROUTE_SSH) {
        /* Only operators may hold ssh keys; a key whose owner lost the role stops working. */
        if (key && (who->scopes & AUTH_SCOPE_SSH) && who->admin)
            return true;
        reply_error(rep, API_ERR_FORBIDDEN,
                    key ? "This API key lacks the scope 'ssh'."
                        : "This needs an API key with the scope 'ssh'.");
        return false;
    }
    if (route->flags & ROUTE_ADMIN) {
        if (who->admin && (!key || (who->scopes & AUTH_SCOPE_ADMIN)))
            return true;
        reply_error(rep, API_ERR_FORBIDDEN,
                    key && who->admin
                        ? "This API key lacks the scope 'admin'."
                        : "This needs an operator account or an API key with the scope 'admin'.");
        return false;
    }
    if ((route->flags & ROUTE_BILLING) && key && !(who->scopes & AUTH_SCOPE_BILLING)) {
        reply_error(rep, API_ERR_FORBIDDEN, "This API key lacks the scope 'billing'.");
        return false;
    }
    return true;
}
