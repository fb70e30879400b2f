/* app.c: starts the embedded server, the API client and the terminal, and joins their loops. */
#include "screens/app.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "billing/billingd.h"
#include "screens/format.h"
#include "screens/screens.h"

static int mkdir_p(const char *path, mode_t mode)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, mode) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

static int resolve_data_dir(struct app_options *o, char *err, size_t errsz)
{
    if (!o->data_dir[0]) {
        const char *xdg = getenv("XDG_DATA_HOME");
        const char *home = getenv("HOME");
        if (xdg && *xdg)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/sett", xdg);
        else if (home && *home)
            snprintf(o->data_dir, sizeof o->data_dir, "%s/.local/share/sett", home);
        else {
            snprintf(err, errsz, "no data directory: set HOME, XDG_DATA_HOME or --data-dir");
            return -1;
        }
    }
    if (mkdir_p(o->data_dir, 0700) != 0) {
        snprintf(err, errsz, "cannot create %s: %s", o->data_dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int start_embedded(struct app *a, char *err, size_t errsz)
{
    char db[1100];
    if (resolve_data_dir(&a->opt, err, errsz) != 0)
        return -1;
    snprintf(db, sizeof db, "%s/billing.db", a->opt.data_dir);
    struct billingd_config cfg = {
        .db_path = db, .bind_addr = "127.0.0.1", .port = 0, .quiet = true};
    char why[256] = "";
    if (billingd_start(&cfg, &a->embedded, why, sizeof why) != 0) {
        snprintf(err, errsz, "embedded billing server: %s", why);
        return -1;
    }
    snprintf(a->opt.api_url, sizeof a->opt.api_url, "http://127.0.0.1:%u",
             (unsigned)billingd_port(a->embedded));
    return 0;
}

static void on_status(void *ud, struct billing_status *st, const struct client_error *err)
{
    struct app *a = ud;
    a->status_req = 0;
    if (st) {
        billing_status_free(&a->status);
        a->status = st;
        client_error_clear(&a->status_err);
    } else {
        a->status_err = *err;
    }
}

void app_load_status(struct app *a)
{
    if (a->status_req)
        return;
    a->status_req = client_get_status(a->client, on_status, a);
}

const struct currency *app_currency(const struct app *a)
{
    return a->status ? &a->status->currency : NULL;
}

static void on_login(void *ud, struct auth_session *s, const struct client_error *err)
{
    struct app *a = ud;
    a->login_req = 0;
    if (!s) {
        char msg[300];
        fmt_error(err, msg, sizeof msg);
        tui_status(a->tui, "Demo sign-in failed: %s", msg);
        return;
    }
    client_set_tokens(a->client, s->access_token, s->refresh_token);
    snprintf(a->user_name, sizeof a->user_name, "%s", s->user.name);
    tui_set_badge(a->tui, a->user_name);
    auth_session_free(&s);
}

static int backend_wait(void *ud, struct pollfd *fds, unsigned n, int timeout_ms)
{
    return client_wait(ud, fds, n, timeout_ms);
}

static void backend_dispatch(void *ud)
{
    client_dispatch(ud);
}

int app_start(struct app *a, char *err, size_t errsz)
{
    struct client_error cerr;
    client_error_clear(&cerr);
    if (!a->opt.api_url[0] && start_embedded(a, err, errsz) != 0)
        return -1;

    struct client_config ccfg = {.base_url = a->opt.api_url};
    a->client = client_new(&ccfg, &cerr);
    if (!a->client) {
        client_error_describe(&cerr, err, errsz);
        return -1;
    }
    struct tui_config tcfg = {
        .theme = a->opt.theme,
        .no_color = a->opt.no_color,
        .mouse = a->opt.mouse,
        .app = a,
        .backend = {.wait = backend_wait, .dispatch = backend_dispatch, .ud = a->client},
    };
    a->tui = tui_new(&tcfg, err, errsz);
    if (!a->tui)
        return -1;
    app_load_status(a);
    if (a->embedded)
        a->login_req =
            client_login(a->client, BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD, on_login, a);
    if (tui_push(a->tui, &store_screen, NULL) != 0) {
        snprintf(err, errsz, "cannot open the store screen");
        return -1;
    }
    return 0;
}

int app_run(struct app *a)
{
    return tui_run(a->tui) == 0 ? 0 : 1;
}

void app_stop(struct app *a)
{
    tui_free(&a->tui); /* closes screens, which cancel their requests */
    client_free(&a->client);
    billing_status_free(&a->status);
    billingd_stop(&a->embedded);
}
