/* plain.c: plain mode's loop: start, the screens' stack, one line of input, global commands. */
#include "screens/plain.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "billing/billingd.h"
#include "client/types_admin.h"
#include "screens/credentials.h"
#include "screens/format.h"
#include "screens/session_fd.h"

/* ---- screens ---- */

static const struct plain_screen_ops *top(const struct plain *p)
{
    return p->depth > 0 ? p->stack[p->depth - 1] : NULL;
}

static void show(struct plain *p)
{
    const struct plain_screen_ops *s = top(p);
    p->list = (struct plain_list){0};
    fputc('\n', stdout);
    if (s)
        s->print(p);
    plain_say(p, "Type a choice, or ? for help.");
}

enum plain_result plain_open(struct plain *p, const struct plain_screen_ops *ops)
{
    if (ops->load && ops->load(p) != 0)
        return PLAIN_STAY; /* the error is said; the current screen stays */
    if (p->depth == PLAIN_DEPTH) {
        memmove(p->stack, p->stack + 1, sizeof p->stack[0] * (PLAIN_DEPTH - 1));
        p->depth--;
    }
    p->stack[p->depth++] = ops;
    return PLAIN_SHOW;
}

enum plain_result plain_reload(struct plain *p)
{
    const struct plain_screen_ops *s = top(p);
    if (s && s->load && s->load(p) != 0)
        return PLAIN_STAY;
    return PLAIN_SHOW;
}

enum plain_result plain_go(struct plain *p, const struct plain_screen_ops *ops)
{
    if (ops->load && ops->load(p) != 0)
        return PLAIN_STAY;
    p->depth = 0;
    p->stack[p->depth++] = ops;
    return PLAIN_SHOW;
}

/* ---- signing in ---- */

static void on_tokens(void *ud, const char *access, const char *refresh)
{
    struct plain *p = ud;
    char why[300];
    if (!p->cli.opt.api_key[0] && !p->in_memory && !p->kiosk &&
        credentials_save(p->cli.session_key, access, refresh, why, sizeof why) != 0)
        plain_say(p, "Signed in, but the session could not be saved: %s", why);
    if (!access && !refresh)
        p->user[0] = '\0';
}

static bool login(struct plain *p, const char *email, const char *password)
{
    struct plain_reply r = {0};
    char name[256];
    if (plain_wait(p, client_login(p->client, email, password, plain_on_session, &r), &r) != 0) {
        plain_fail(p, "sign in", &r.err);
        return false;
    }
    struct auth_session *s = r.value;
    plain_clean(s->user.name[0] ? s->user.name : s->user.email, name, sizeof name);
    snprintf(p->user, sizeof p->user, "%s", name);
    auth_session_free(&s);
    plain_say(p, "Signed in as %s.", p->user);
    return true;
}

bool plain_need_signin(struct plain *p)
{
    char email[256], password[256];
    if (client_signed_in(p->client))
        return true;
    if (p->kiosk) {
        plain_say(p, "One moment: the kiosk is not signed in to its guest account yet.");
        return false;
    }
    if (p->key_identity) {
        plain_say(p, "This session is no longer signed in: reconnect with your SSH key.");
        return false;
    }
    plain_say(p, "Please sign in first.");
    if (!plain_ask(p, "E-mail (an empty line cancels):", email, sizeof email, false) || !email[0])
        return false;
    if (!plain_ask(p, "Password:", password, sizeof password, true)) {
        explicit_bzero(password, sizeof password);
        return false;
    }
    bool ok = login(p, email, password);
    explicit_bzero(password, sizeof password);
    return ok;
}

/* A stored session, an API key, or the embedded demo customer. */
void plain_sign_in_at_start(struct plain *p)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], why[300];
    if (p->cli.opt.api_key[0]) {
        client_use_api_key(p->client, p->cli.opt.api_key);
        snprintf(p->user, sizeof p->user, "the API key's account");
        return;
    }
    /* settd's session for this SSH connection comes first, and is kept in memory only */
    int rc = session_fd_read(access, refresh, why, sizeof why);
    if (rc == 0) {
        const char *allow = getenv("SETT_ALLOW_PASSWORD_SIGNIN");
        p->in_memory = true;
        p->key_identity = !(allow && strcmp(allow, "1") == 0);
    } else if (rc < 0)
        plain_say(p, "The session from the SSH server was refused: %s", why);
    if (rc != 0)
        rc = credentials_load(p->cli.session_key, access, refresh, why, sizeof why);
    if (rc < 0)
        plain_say(p, "The stored session was ignored: %s", why);
    if (rc == 0)
        client_set_tokens(p->client, access[0] ? access : NULL, refresh[0] ? refresh : NULL);
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    if (client_signed_in(p->client)) {
        struct plain_reply r = {0};
        if (plain_wait(p, client_get_me(p->client, plain_on_user, &r), &r) == 0) {
            struct auth_user *u = r.value;
            plain_clean(u->name[0] ? u->name : u->email, p->user, sizeof p->user);
            auth_user_free(&u);
            plain_say(p, "Signed in as %s.", p->user);
            return;
        }
        if (client_signed_in(p->client)) { /* the server is there but said something else */
            snprintf(p->user, sizeof p->user, "your stored session");
            return;
        }
        plain_say(p, "Your stored session has ended.");
    }
    if (p->cli.embedded) {
        login(p, BILLINGD_DEMO_EMAIL, BILLINGD_DEMO_PASSWORD);
    } else {
        plain_say(p, "You are not signed in: browse freely; the cart asks you to sign in (L).");
    }
}

/* ---- global commands ---- */

static enum plain_result go_store(struct plain *p, const char *arg)
{
    (void)arg;
    return plain_go(p, &plain_store_screen);
}

static enum plain_result go_account(struct plain *p, const struct plain_screen_ops *ops)
{
    if (!plain_need_signin(p))
        return PLAIN_STAY;
    if (plain_go(p, plain_root(p)) == PLAIN_STAY)
        return PLAIN_STAY;
    if (plain_open(p, ops) == PLAIN_STAY)
        return PLAIN_SHOW;
    return PLAIN_SHOW;
}

static enum plain_result go_home(struct plain *p, const char *arg)
{
    (void)arg;
    if (!plain_need_signin(p))
        return PLAIN_STAY;
    return plain_go(p, &plain_home_screen);
}

static enum plain_result go_cart(struct plain *p, const char *arg)
{
    (void)arg;
    return go_account(p, &plain_cart_screen);
}

static enum plain_result go_services(struct plain *p, const char *arg)
{
    (void)arg;
    return go_account(p, &plain_services_screen);
}

static enum plain_result go_invoices(struct plain *p, const char *arg)
{
    (void)arg;
    return go_account(p, &plain_invoices_screen);
}

static enum plain_result go_credits(struct plain *p, const char *arg)
{
    (void)arg;
    return go_account(p, &plain_credits_screen);
}

static enum plain_result sign(struct plain *p, const char *arg)
{
    (void)arg;
    if (!client_signed_in(p->client)) {
        plain_need_signin(p);
        return PLAIN_STAY;
    }
    struct plain_reply r = {0};
    if (plain_wait(p, client_logout(p->client, plain_on_done, &r), &r) != 0)
        client_set_tokens(p->client, NULL, NULL); /* forgotten here all the same */
    if (!p->in_memory)
        credentials_save(p->cli.session_key, NULL, NULL, (char[300]){0}, 300);
    p->user[0] = '\0';
    cart_free(&p->cart);
    plain_say(p, "Signed out. Type L to sign in again.");
    return plain_go(p, &plain_store_screen);
}

static enum plain_result back(struct plain *p, const char *arg)
{
    (void)arg;
    return plain_back(p);
}

enum plain_result plain_back(struct plain *p)
{
    if (p->depth <= 1) {
        plain_say(p, "This is the first screen; there is nothing to go back to.");
        return PLAIN_STAY;
    }
    p->depth--;
    const struct plain_screen_ops *s = top(p);
    if (s->load && s->load(p) != 0)
        return PLAIN_STAY;
    return PLAIN_SHOW;
}

static enum plain_result more(struct plain *p, const char *arg)
{
    (void)arg;
    if (p->list.from >= p->list.n)
        plain_say(p, "There is no more to show here.");
    else
        plain_list_more(p);
    return PLAIN_STAY;
}

static enum plain_result help(struct plain *p, const char *arg);

enum plain_result plain_quit(struct plain *p, const char *arg)
{
    (void)p;
    (void)arg;
    return PLAIN_QUIT;
}

static const struct plain_cmd customer_globals[] = {
    {"H", "home: your services, what is due and your credits", go_home, NULL},
    {"s", "the store", go_store, NULL},
    {"c", "your cart", go_cart, NULL},
    {"v", "your services", go_services, NULL},
    {"i", "your invoices", go_invoices, NULL},
    {"$", "your credits", go_credits, NULL},
    {"L", "sign in, or sign out", sign, plain_offers_account},
    {"q", "quit", plain_quit, NULL},
    {NULL, NULL, NULL, NULL},
};

const struct plain_cmd plain_kiosk_globals[] = {
    {"s", "the store", go_store, NULL},
    {"c", "the cart", go_cart, NULL},
    {NULL, NULL, NULL, NULL},
};

/* What every mode has. */
static const struct plain_cmd common_cmds[] = {
    {"b", "back to the screen before", back, NULL},
    {"m", "more of a long list", more, NULL},
    {"?", "this help", help, NULL},
    {NULL, NULL, NULL, NULL},
};

static const struct plain_cmd *mode_cmds(const struct plain *p)
{
    return p->globals ? p->globals : customer_globals;
}

/* What the full screen does not offer here is not offered either (L in settd's key session). */
static bool offered(const struct plain *p, const struct plain_cmd *c)
{
    return !c->offered || c->offered(p);
}

static bool numbered(const struct plain *p, const struct plain_screen_ops *s)
{
    return s && s->number && (!s->number_offered || s->number_offered(p));
}

static enum plain_result help(struct plain *p, const char *arg)
{
    const struct plain_screen_ops *s = top(p);
    (void)arg;
    plain_say(p, "What you can type here, then Enter:");
    if (numbered(p, s) && s->number_help)
        plain_say(p, "  a number: %s", s->number_help);
    for (const struct plain_cmd *c = s ? s->cmds : NULL; c && c->keys; c++)
        if (offered(p, c))
            plain_say(p, "  %s: %s", c->keys, c->help);
    for (const struct plain_cmd *c = mode_cmds(p); c->keys; c++)
        if (offered(p, c))
            plain_say(p, "  %s: %s", c->keys, c->help);
    for (const struct plain_cmd *c = common_cmds; c->keys; c++)
        plain_say(p, "  %s: %s", c->keys, c->help);
    plain_say(p, "  an empty line: read this screen again");
    return PLAIN_STAY;
}

static const struct plain_cmd *find_cmd(const struct plain *p, const struct plain_cmd *cmds,
                                        const char *key)
{
    for (const struct plain_cmd *c = cmds; c && c->keys; c++)
        if (strcmp(c->keys, key) == 0 && offered(p, c))
            return c;
    return NULL;
}

static enum plain_result handle(struct plain *p, char *line)
{
    const struct plain_screen_ops *s = top(p);
    char key[16];
    const char *arg;
    char *end;

    while (*line == ' ')
        line++;
    if (!*line)
        return plain_reload(p);
    long n = strtol(line, &end, 10);
    if (end != line && *end == '\0') {
        if (numbered(p, s))
            return s->number(p, (int)(n > 100000 || n < 0 ? 0 : n));
        plain_say(p, "There are no numbered choices here. Type ? for what you can type.");
        return PLAIN_STAY;
    }
    /* the key: one punctuation character ("/iron"), or the first word ("C WELCOME10") */
    size_t k = (*line == '/' || *line == '$' || *line == '?') ? 1 : strcspn(line, " ");
    if (k >= sizeof key)
        k = sizeof key - 1;
    memcpy(key, line, k);
    key[k] = '\0';
    arg = line + k;
    while (*arg == ' ')
        arg++;
    const struct plain_cmd *c = find_cmd(p, s ? s->cmds : NULL, key);
    if (!c)
        c = find_cmd(p, mode_cmds(p), key);
    if (!c)
        c = find_cmd(p, common_cmds, key);
    if (!c) {
        char clean[64];
        plain_say(p, "\"%s\" is not a choice here. Type ? for what you can type.",
                  plain_clean(key, clean, sizeof clean));
        return PLAIN_STAY;
    }
    return c->run(p, arg);
}

/* ---- start and stop ---- */

static int start(struct plain *p)
{
    struct plain_reply r = {0};
    char why[400];
    int rc = cli_session_open(&p->cli, CLI_AUTH_NONE);
    if (rc != CLI_EXIT_OK)
        return rc;
    /* cli_session_open's client names the customer's address that settd gives (per-address
     * limits count each customer apart) and keeps --api-timeout */
    p->client = p->cli.client;
    client_on_tokens(p->client, on_tokens, p);
    if (plain_wait(p, client_get_status(p->client, plain_on_status, &r), &r) != 0) {
        char clean[400];
        fmt_error(&r.err, why, sizeof why);
        fprintf(stderr, "sett: cannot open the shop at %s: %s\n", p->cli.opt.api_url,
                plain_clean(why, clean, sizeof clean));
        return CLI_EXIT_NETWORK;
    }
    p->status = r.value;
    fmt_currency_shown(&p->status->currency, !p->utf8, &p->currency);
    return CLI_EXIT_OK;
}

int plain_main(const struct app_options *opt)
{
    struct plain *p = calloc(1, sizeof *p);
    char line[PLAIN_LINE];
    int code;
    const char *cs = nl_langinfo(CODESET);

    if (!p)
        return 1;
    p->cli.opt = *opt;
    p->utf8 = cs && strcmp(cs, "UTF-8") == 0;
    p->tty_in = isatty(STDIN_FILENO);
    code = start(p);
    if (code != CLI_EXIT_OK)
        goto done;
    plain_say(p, "sett, plain mode. Each screen is printed once; type a number or a letter, then "
                 "Enter. Type ? for help, q to quit.");
    if (p->status->sandbox)
        plain_say(p, "This shop runs in SANDBOX mode: no real money is taken.");
    if (!p->status->licensed || !p->status->enabled) {
        plain_say(p, "%s",
                  !p->status->licensed
                      ? "This panel's billing module is not licensed, so the store is "
                        "closed. Please contact the host."
                      : "The store is switched off right now. Please try again later.");
        goto done;
    }
    enum plain_result res = PLAIN_SHOW;
    if (p->cli.opt.operator_mode) {
        p->globals = plain_operator_globals;
        code = plain_operator_start(p);
    } else if (p->cli.opt.kiosk.enabled) {
        p->globals = plain_kiosk_globals;
        code = plain_kiosk_start(p);
    } else {
        plain_sign_in_at_start(p);
        res = plain_go(p, plain_root(p));
    }
    if (code != CLI_EXIT_OK)
        goto done;
    for (;;) {
        if (res == PLAIN_QUIT)
            break;
        if (res == PLAIN_SHOW)
            show(p);
        if (!plain_ask(p, ">", line, sizeof line, false)) {
            if (p->idle_fired) {
                res = plain_kiosk_reset(p);
                continue;
            }
            if (p->tty_in)
                fputc('\n', stdout);
            break;
        }
        res = handle(p, line);
        if (res == PLAIN_QUIT && p->idle_fired) /* a question timed out at the kiosk */
            res = plain_kiosk_reset(p);
    }
    plain_say(p, "Goodbye.");
done:
    plain_store_free(p);
    plain_account_free(p);
    plain_home_free(p);
    plain_operator_free(p);
    plain_plan_free(p);
    cart_free(&p->cart);
    billing_status_free(&p->status);
    cli_session_close(&p->cli);
    explicit_bzero(p->cli.opt.api_key, sizeof p->cli.opt.api_key);
    free(p);
    return code;
}
