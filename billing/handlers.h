/* handlers.h: the route handlers, one group per file (catalog, auth, account). */
#ifndef SETT_BILLING_HANDLERS_H
#define SETT_BILLING_HANDLERS_H

#include "billing/request.h"

/* handlers_catalog.c: public store front. */
void handle_status(struct request *req, struct reply *rep);
void handle_categories(struct request *req, struct reply *rep);
void handle_products(struct request *req, struct reply *rep);
void handle_product(struct request *req, struct reply *rep);

/* handlers_auth.c: sign-in and the signed-in user. */
void handle_login(struct request *req, struct reply *rep);
void handle_refresh(struct request *req, struct reply *rep);
void handle_me(struct request *req, struct reply *rep);
void handle_logout(struct request *req, struct reply *rep);
struct auth_user;
struct auth_session;
/* The contract's User and Session objects (SSH sign-in answers the same shape). */
cJSON *user_json(const struct auth_user *u);
cJSON *session_json(const struct auth_session *s);

/* handlers_account.c: routes of the contract that are routed and guarded but not built yet. */
void handle_not_implemented(struct request *req, struct reply *rep);

#endif
