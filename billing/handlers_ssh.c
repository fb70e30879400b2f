/* handlers_ssh.c: settd signs a customer in by the SSH key it has verified: the key's account, or a
 * new one while sign-up is on, and that account's tokens. */
#include "billing/handlers_admin.h"

#include <string.h>

#include "billing/app.h"
#include "billing/auth.h"
#include "billing/clock.h"
#include "billing/db.h"
#include "billing/handlers.h"
#include "billing/settings.h"
#include "billing/sshkey.h"

/* A required string member of at most max bytes; NULL after a field error. */
static const char *ssh_body_string(const struct request *req, struct reply *rep, const char *field,
                                   size_t max)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(req->json, field);

    if (!v || cJSON_IsNull(v) || (cJSON_IsString(v) && !*v->valuestring))
        reply_field(rep, field, "is required");
    else if (!cJSON_IsString(v))
        reply_field(rep, field, "must be a string");
    else if (strlen(v->valuestring) > max)
        reply_field(rep, field, "is too long");
    else
        return v->valuestring;
    return NULL;
}

void handle_ssh_login(struct request *req, struct reply *rep)
{
    const char *line = ssh_body_string(req, rep, "public_key", SSHKEY_LINE_MAX);
    const char *fingerprint = ssh_body_string(req, rep, "fingerprint", 64);
    struct auth_session session = {0};
    struct settings set;
    struct sshkey key;
    enum api_error err = API_ERR_INTERNAL;
    int64_t user_id = 0, now = clock_now(req->app);
    bool created = false;
    sqlite3 *conn;

    if (fingerprint && !sshkey_fingerprint_valid(fingerprint))
        reply_field(rep, "fingerprint", "must be SHA256: and 43 base64 characters");
    if (line && sshkey_parse(line, &key) != 0)
        reply_field(rep, "public_key", "is not an OpenSSH public key (type base64 [comment])");
    else if (line && fingerprint && !reply_has_fields(rep) &&
             strcmp(key.fingerprint, fingerprint) != 0)
        reply_field(rep, "fingerprint", "does not match the public key");
    if (reply_has_fields(rep)) {
        reply_validation(rep);
        return;
    }
    conn = db_acquire(req->app->db);
    if (settings_load(conn, &set) == 0 && db_begin(conn) == 0) {
        err = sshkey_account(conn, &key, line, set.signup_enabled, now, &user_id, &created);
        if (err == API_OK)
            err = auth_session_issue(conn, user_id, &session);
        if (err == API_OK && db_commit(conn) != 0)
            err = API_ERR_INTERNAL;
    }
    db_rollback(conn);
    db_release(req->app->db);
    rep->no_store = true;
    if (err == API_ERR_FORBIDDEN)
        reply_error(rep, err, "This account is disabled.");
    else if (err != API_OK)
        reply_error(rep, err, NULL);
    else
        reply_data(rep, created ? 201 : 200, session_json(&session));
    auth_session_clear(&session);
}
