/* commerce_gateway.c: the gateway's part of a request that moves money, shared by checkout and
 * paying an invoice: the call with no database held, then the page stored or the attempt undone. */
#include "billing/handlers_commerce.h"

#include "billing/app.h"
#include "billing/db.h"
#include "billing/gateway.h"
#include "billing/idempotency.h"

void commerce_gateway_finish(struct request *req, struct reply *rep, sqlite3 *conn,
                             struct gateway_call *call, const struct commerce_finish *f)
{
    char msg[256] = "";
    enum api_error err;

    db_release(req->app->db);
    err = gateway_call(req->app, call, msg, sizeof msg);
    db_acquire(req->app->db);
    if (db_begin(conn) != 0) {
        /* The attempt stays waiting under a key in progress until its payment expires. */
        reply_error(rep, API_ERR_INTERNAL, NULL);
        return;
    }
    if (err == API_OK && (err = gateway_store(conn, call)) == API_OK) {
        reply_data(rep, 201, f->body(f, conn));
        if (rep->status != 201)
            goto internal;
    } else if (err != API_ERR_INTERNAL) {
        /* Nothing was charged: the attempt is undone, as if never made. */
        if (f->undo(f, conn) != API_OK)
            goto internal;
        if (msg[0])
            reply_error(rep, err, "%s", msg);
        else
            reply_error(rep, err, NULL);
    } else {
        goto internal;
    }
    if (idempotency_complete(conn, req, rep) == 0 && db_commit(conn) == 0)
        return;
internal:
    reply_error(rep, API_ERR_INTERNAL, NULL);
    db_rollback(conn);
}
