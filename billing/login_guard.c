/* login_guard.c: the throttles of POST /auth/login and the trusted proxy list. */
#include "billing/login_guard.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "billing/app.h"
#include "billing/billingd.h"
#include "billing/clock.h"
#include "billing/peer.h"
#include "billing/throttle.h"

#define LOGIN_KEY_MAX 300

int login_guard_init(struct billingd *app, const struct billingd_config *cfg, char *err,
                     size_t errsz)
{
    app->login_by_account =
        throttle_new(LOGIN_ACCOUNT_FREE, LOGIN_DELAY_FIRST, LOGIN_ACCOUNT_CAP, LOGIN_FORGET);
    app->login_by_addr =
        throttle_new(LOGIN_ADDR_FREE, LOGIN_DELAY_FIRST, LOGIN_ADDR_CAP, LOGIN_FORGET);
    if (!app->login_by_account || !app->login_by_addr) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    if (cfg->n_trusted_proxies &&
        !(app->trusted = calloc(cfg->n_trusted_proxies, sizeof *app->trusted))) {
        snprintf(err, errsz, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < cfg->n_trusted_proxies; i++) {
        if (!cfg->trusted_proxies[i] ||
            peer_net_parse(cfg->trusted_proxies[i], &app->trusted[i]) != 0) {
            snprintf(err, errsz, "trusted proxy '%s' is not an IP address or network (ADDR/BITS)",
                     cfg->trusted_proxies[i] ? cfg->trusted_proxies[i] : "");
            return -1;
        }
        app->n_trusted++;
    }
    return 0;
}

void login_guard_free(struct billingd *app)
{
    throttle_free(&app->login_by_account);
    throttle_free(&app->login_by_addr);
    free(app->trusted);
    app->trusted = NULL;
    app->n_trusted = 0;
}

/* "account:<e-mail, ASCII lower case>" and "addr:<address or its /64>". */
static void login_keys(struct request *req, const char *email, char *account, char *addr)
{
    char ip[PEER_ADDR_CHARS + 8], net[PEER_ADDR_CHARS + 8];
    size_t n = (size_t)snprintf(account, LOGIN_KEY_MAX, "account:");

    for (const char *p = email; *p && n + 1 < LOGIN_KEY_MAX; p++)
        account[n++] = (char)tolower((unsigned char)*p);
    account[n] = '\0';
    peer_limit_key(request_client_addr(req, ip, sizeof ip), net, sizeof net);
    snprintf(addr, LOGIN_KEY_MAX, "addr:%s", net);
}

long long login_guard_wait(const struct login_attempt *a)
{
    char account[LOGIN_KEY_MAX], addr[LOGIN_KEY_MAX];
    int64_t now = clock_now(a->req->app), wait, w;

    login_keys(a->req, a->email, account, addr);
    wait = throttle_wait(a->req->app->login_by_account, account, now);
    w = throttle_wait(a->req->app->login_by_addr, addr, now);
    return (long long)(w > wait ? w : wait);
}

bool login_guard_allowed(void *attempt)
{
    return login_guard_wait(attempt) == 0;
}

void login_guard_refuse(const struct login_attempt *a, struct reply *rep)
{
    long long wait = login_guard_wait(a);
    char secs[24];

    if (wait < 1)
        wait = 1; /* it ran out just now: a second is the least Retry-After says */
    snprintf(secs, sizeof secs, "%lld", wait);
    reply_field(rep, "retry_after", secs); /* before reply_error, which takes the details */
    reply_error(rep, API_ERR_RATE_LIMITED, "Too many sign-in attempts. Try again in %lld seconds.",
                wait);
    reply_header(rep, "Retry-After", "%lld", wait);
}

void login_guard_done(const struct login_attempt *a, enum api_error result)
{
    char account[LOGIN_KEY_MAX], addr[LOGIN_KEY_MAX];
    int64_t now = clock_now(a->req->app);

    login_keys(a->req, a->email, account, addr);
    if (result == API_ERR_INVALID_CREDENTIALS) {
        throttle_fail(a->req->app->login_by_account, account, now);
        throttle_fail(a->req->app->login_by_addr, addr, now);
    } else if (result == API_OK) {
        throttle_reset(a->req->app->login_by_account, account);
    }
}
