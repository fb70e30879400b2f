/* handlers_lifecycle.h: the routes of services and invoices (handlers_services.c,
 * handlers_invoices.c) and what they share. */
#ifndef SETT_BILLING_HANDLERS_LIFECYCLE_H
#define SETT_BILLING_HANDLERS_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

#include "billing/request.h"

/* handlers_services.c */
void handle_services(struct request *req, struct reply *rep);
void handle_service(struct request *req, struct reply *rep);
void handle_service_cancel(struct request *req, struct reply *rep);
void handle_service_cancel_withdraw(struct request *req, struct reply *rep);
void handle_service_renew(struct request *req, struct reply *rep);

/* handlers_changes.c */
void handle_service_change_quote(struct request *req, struct reply *rep);
void handle_service_change_create(struct request *req, struct reply *rep);
void handle_service_changes(struct request *req, struct reply *rep);
void handle_service_change_cancel(struct request *req, struct reply *rep);

/* handlers_invoices.c */
void handle_invoices(struct request *req, struct reply *rep);
void handle_invoice(struct request *req, struct reply *rep);

/* A list's page, per_page and status filter (one of `statuses`, NULL-ended) from the query;
 * false after answering 422 with every problem. */
bool lifecycle_list_query(struct request *req, struct reply *rep, const char *const *statuses,
                          int64_t *page, int64_t *per_page, const char **status);
/* The path's id of a record; false after answering 404 with `what` ("service"). */
bool lifecycle_path_id(const struct request *req, struct reply *rep, const char *what, int64_t *id);

#endif
