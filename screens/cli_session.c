/* cli_session.c: a command's connection: embedded server, client, sign-in, and fetching lists. */
#include "screens/cli_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "billing/billingd.h"
#include "client/types_admin.h"
#include "screens/credentials.h"
#include "screens/session_fd.h"

int cli_fail(const struct client_error *e)
{
    char msg[600], clean[600];
    int code;
    client_error_describe(e, msg, sizeof msg);
    cli_sanitize(msg, clean, sizeof clean); /* the server's words are data, too */
    fprintf(stderr, "sett: %s\n", clean);
    switch (e->status) {
    case CLIENT_OK:
        return CLI_EXIT_OK;
    case CLIENT_ERR_AUTH:
        code = CLI_EXIT_AUTH;
        break;
    case CLIENT_ERR_API:
    case CLIENT_ERR_HTTP:
        if (e->http_status == 401)
            code = CLI_EXIT_AUTH;
        else if (e->http_status == 403)
            code = CLI_EXIT_FORBIDDEN;
        else /* an answer that is not an error envelope is a broken server */
            code = e->status == CLIENT_ERR_API ? CLI_EXIT_REFUSED : CLI_EXIT_NETWORK;
        break;
    case CLIENT_ERR_TRANSPORT:
    case CLIENT_ERR_TIMEOUT:
    case CLIENT_ERR_TLS:
    case CLIENT_ERR_JSON:
        code = CLI_EXIT_NETWORK;
        break;
    default:
        code = CLI_EXIT_REFUSED;
        break;
    }
    if (code == CLI_EXIT_AUTH)
        fprintf(stderr, "sett: sign in with `sett` (the session is kept for the commands), or "
                        "give an API key with --api-key-file or SETT_API_KEY\n");
    return code;
}

/* ---- the embedded server ---- */

static int mkdir_p(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The same database as the storefront's: --data-dir, SETT_DATA_DIR, else XDG_DATA_HOME/sett. */
static int start_embedded(struct cli *c)
{
    struct app_options *o = &c->opt;
    char db[1100], why[256] = "";
    if (!o->data_dir[0]) {
        const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/sett", xdg);
        else if (home && *home)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/.local/share/sett", home);
        else {
            fprintf(stderr, "sett: no data directory: set HOME, XDG_DATA_HOME or --data-dir\n");
            return CLI_EXIT_USAGE;
        }
    }
    if (mkdir_p(o->data_dir) != 0) {
        fprintf(stderr, "sett: cannot create %s: %s\n", o->data_dir, strerror(errno));
        return CLI_EXIT_REFUSED;
    }
    snprintf(db, sizeof db, "%s/billing.db", o->data_dir);
    struct billingd_config cfg = {
        .db_path = db, .bind_addr = "127.0.0.1", .port = 0, .quiet = true, .demo = true};
    if (billingd_start(&cfg, &c->embedded, why, sizeof why) != 0) {
        fprintf(stderr, "sett: embedded billing server: %s\n", why);
        return CLI_EXIT_NETWORK;
    }
    snprintf(o->api_url, sizeof o->api_url, "http://127.0.0.1:%u",
             (unsigned)billingd_port(c->embedded));
    snprintf(c->session_key, sizeof c->session_key, "embedded:%s", o->data_dir);
    return CLI_EXIT_OK;
}

/* ---- signing in ---- */

/* A refreshed pair replaces the stored one, as the storefront does, so the session stays valid
 * for both; a session the server ended is forgotten. */
static void on_tokens(void *ud, const char *access, const char *refresh)
{
    struct cli *c = ud;
    char why[300];
    if (c->keep_tokens && credentials_save(c->session_key, access, refresh, why, sizeof why) != 0)
        fprintf(stderr, "sett: the refreshed session could not be saved: %s\n", why);
}

struct login_wait {
    struct client_error err;
};

static void on_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct login_wait *w = ud;
    w->err = *err;
    auth_session_free(&s);
}

static int login(struct cli *c, const char *email, const char *password)
{
    struct login_wait w;
    client_error_clear(&w.err);
    if (!client_login(c->client, email, password, on_login, &w)) {
        client_error_set(&w.err, CLIENT_ERR_NOMEM, NULL);
        return cli_fail(&w.err);
    }
    client_run_until_idle(c->client, -1);
    return w.err.status == CLIENT_OK ? CLI_EXIT_OK : cli_fail(&w.err);
}

static int sign_in(struct cli *c, enum cli_auth auth)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], why[300] = "";
    if (auth == CLI_AUTH_NONE)
        return CLI_EXIT_OK; /* browsing is public: nothing to refuse */
    if (c->opt.api_key[0]) {
        if (client_use_api_key(c->client, c->opt.api_key) != 0) {
            fprintf(stderr, "sett: the API key is not one (bp_ and 40 letters and digits)\n");
            return CLI_EXIT_USAGE;
        }
        return CLI_EXIT_OK;
    }
    /* the embedded demo: operators' commands run as the demo operator, whatever is stored */
    if (c->embedded && auth == CLI_AUTH_OPERATOR)
        return login(c, BILLINGD_ADMIN_EMAIL, BILLINGD_ADMIN_PASSWORD);
    /* settd's session for the key's account (`ssh HOST services`): in memory only, never stored */
    int rc = session_fd_read(access, refresh, why, sizeof why);
    if (rc == 0)
        client_set_tokens(c->client, access, refresh);
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (rc < 0) {
        fprintf(stderr, "sett: %s\n", why);
        return CLI_EXIT_AUTH;
    }
    if (rc == 0)
        return CLI_EXIT_OK;
    rc = credentials_load(c->session_key, access, refresh, why, sizeof why);
    if (rc < 0)
        fprintf(stderr, "sett: stored session ignored: %s\n", why);
    if (rc == 0) {
        client_set_tokens(c->client, access[0] ? access : NULL, refresh[0] ? refresh : NULL);
        c->keep_tokens = true;
    }
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (client_signed_in(c->client))
        return CLI_EXIT_OK;
    if (c->embedded)
        return login(c, BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD);
    fprintf(stderr,
            "sett: not signed in to %s: sign in once with `sett --api %s` (the session is kept), "
            "or give an API key with --api-key-file or SETT_API_KEY\n",
            c->opt.api_url, c->opt.api_url);
    return CLI_EXIT_AUTH;
}

int cli_session_open(struct cli *c, enum cli_auth auth)
{
    struct client_error err;
    int rc;
    client_error_clear(&err);
    if (!c->opt.api_url[0] && (rc = start_embedded(c)) != CLI_EXIT_OK)
        return rc;
    if (!c->session_key[0])
        snprintf(c->session_key, sizeof c->session_key, "%s", c->opt.api_url);
    struct client_config cfg = app_client_config(&c->opt);
    c->client = client_new(&cfg, &err);
    if (!c->client) {
        int code = cli_fail(&err);
        return err.status == CLIENT_ERR_USAGE ? CLI_EXIT_USAGE : code; /* e.g. not a URL */
    }
    client_on_tokens(c->client, on_tokens, c);
    return sign_in(c, auth);
}

void cli_session_close(struct cli *c)
{
    client_free(&c->client);
    billing_status_free(&c->status);
    billingd_stop(&c->embedded);
}
