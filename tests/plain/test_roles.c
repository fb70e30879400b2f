/* test_roles.c: plain mode's other roles: an operator (--operator) finds the demo customer,
 * adjusts their credit with a reason, restocks a sold-out product and switches a coupon, each
 * checked against the API; a kiosk (--kiosk) guest fills the cart and is reset after idling; and
 * settd's key session (SETT_SESSION_FD), where L is not offered unless settd allows it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plain_support.h"

/* The number of the list line that holds `text` (after what was last matched), or 0. */
static int number_of(struct plain_run *r, const char *text)
{
    if (plain_expect(r, text) != 0)
        return 0;
    const char *at = r->text + r->seen - strlen(text);
    while (at > r->text && at[-1] != '\n')
        at--;
    return atoi(at);
}

static cJSON *admin_get(const char *token, const char *path)
{
    cJSON *env = plain_api(plain_server_url(), "GET", path, NULL, token);
    assert_non_null(env);
    return env;
}

static const cJSON *data_of(const cJSON *env)
{
    return cJSON_GetObjectItem(env, "data");
}

static int64_t balance_of(const char *token, int64_t user)
{
    char path[128];
    snprintf(path, sizeof path, "/admin/users/%lld/credits", (long long)user);
    cJSON *env = admin_get(token, path);
    const cJSON *bal = cJSON_GetObjectItem(data_of(env), "balance");
    int64_t amount = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(bal, "amount"));
    cJSON_Delete(env);
    return amount;
}

static bool coupon_disabled(const char *token, const char *code)
{
    bool disabled = false;
    cJSON *env = admin_get(token, "/admin/coupons?per_page=100");
    const cJSON *c;
    cJSON_ArrayForEach(c, data_of(env))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "code")), code) == 0)
            disabled = cJSON_IsTrue(cJSON_GetObjectItem(c, "disabled"));
    }
    cJSON_Delete(env);
    return disabled;
}

static void test_operator(void **state)
{
    struct plain_run r;
    char admin[1024], refresh[1024], cmd[32];
    (void)state;
    assert_int_equal(
        plain_api_login(plain_server_url(), "admin@example.com", "admin", admin, refresh), 0);
    cJSON *env = admin_get(admin, "/admin/users?q=demo@example.com");
    const cJSON *demo = cJSON_GetArrayItem(data_of(env), 0);
    int64_t demo_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(demo, "id"));
    cJSON_Delete(env);
    assert_true(demo_id > 0);
    int64_t before = balance_of(admin, demo_id);

    const char *args[] = {"--plain", "--operator", "--api", plain_server_url(), NULL};
    assert_int_equal(plain_start(&r, args, NULL, false), 0);
    assert_int_equal(plain_expect(&r, "E-mail (an empty line cancels):"), 0);
    assert_int_equal(plain_send(&r, "admin@example.com"), 0);
    PLAIN_STEP(&r, "admin", "Operator. Customers: ");
    /* the demo customer, found and opened */
    PLAIN_STEP(&r, "w demo@example.com", "Customers matching \"demo@example.com\": 1.");
    assert_int_equal(plain_expect(&r, "1. demo@example.com, Demo Customer (#"), 0);
    PLAIN_STEP(&r, "1", "Customer, viewing demo@example.com (#");
    assert_int_equal(plain_expect(&r, "Credit balance: $"), 0);
    /* credit: no reason, nothing changed; with one, added */
    PLAIN_STEP(&r, "$", "Credits, viewing demo@example.com (#");
    PLAIN_STEP(&r, "A", "Credit to add (-amount removes; an empty line cancels):");
    PLAIN_STEP(&r, "5", "Reason (required; it goes to the audit log):");
    PLAIN_STEP(&r, "", "A reason is required; nothing was changed.");
    assert_int_equal(balance_of(admin, demo_id), before);
    PLAIN_STEP(&r, "A", "Credit to add");
    PLAIN_STEP(&r, "5", "Reason (required");
    PLAIN_STEP(
        &r, "Goodwill for the outage",
        "Add $5.00 to the credit balance of demo@example.com? Reason: Goodwill for the outage. "
        "Type y to confirm");
    PLAIN_STEP(&r, "y", "Added $5.00; the balance is now $");
    PLAIN_STEP(&r, "", "Credits, viewing demo@example.com (#");
    assert_int_equal(plain_expect(&r, "Goodwill for the outage"), 0);
    assert_int_equal(balance_of(admin, demo_id), before + 500);
    env = admin_get(admin, "/admin/audit-log");
    const cJSON *row = cJSON_GetArrayItem(data_of(env), 0);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(row, "action")), "credits.adjust");
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(row, "reason")),
                        "Goodwill for the outage");
    cJSON_Delete(env);
    /* the catalog: Launch Site is sold out; restocked with the default 10 */
    PLAIN_STEP(&r, "T", "Catalog: ");
    int launch = number_of(&r, "Launch Site (rust-launch-site), rust: sold out, shown");
    assert_true(launch > 0);
    snprintf(cmd, sizeof cmd, "t %d", launch);
    PLAIN_STEP(&r, cmd, "Restock Launch Site: how many to add (an empty line takes 10)?");
    PLAIN_STEP(&r, "",
               "Add 10 to the stock of Launch Site (sold out now, 10 left after)? Reason: "
               "Restock.");
    PLAIN_STEP(&r, "y", "Launch Site: 10 left, shown.");
    PLAIN_STEP(&r, "", "Launch Site (rust-launch-site), rust: 10 left, shown");
    /* the coupons: WELCOME10 switched off, then on again */
    PLAIN_STEP(&r, "N", "Coupons: ");
    int welcome = number_of(&r, "WELCOME10: 10% off, once. Active");
    assert_true(welcome > 0);
    snprintf(cmd, sizeof cmd, "D %d", welcome);
    PLAIN_STEP(&r, cmd, "Switch off WELCOME10?");
    PLAIN_STEP(&r, "y", "Coupon WELCOME10 is switched off: the code no longer works.");
    assert_true(coupon_disabled(admin, "WELCOME10"));
    PLAIN_STEP(&r, cmd, "Switch WELCOME10 on again?");
    PLAIN_STEP(&r, "y", "Coupon WELCOME10 is switched on again.");
    assert_false(coupon_disabled(admin, "WELCOME10"));
    PLAIN_STEP(&r, "?", "D: switch a coupon off, or on again");
    assert_int_equal(plain_expect(&r, "w: find a customer"), 0);
    PLAIN_STEP(&r, "q", "Goodbye.");
    assert_int_equal(plain_finish(&r), 0);
    if (plain_has_escape(&r))
        fprintf(stderr, "transcript:\n%s\n", r.text);
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

static void test_kiosk(void **state)
{
    struct plain_run r;
    (void)state;
    const char *args[] = {"--plain",          "--kiosk", "--kiosk-idle", "3", "--api",
                          plain_server_url(), NULL};
    const char *env[] = {"SETT_KIOSK_EMAIL=demo@example.com", "SETT_KIOSK_PASSWORD=demo", NULL};
    assert_int_equal(plain_start(&r, args, env, false), 0);
    assert_int_equal(plain_expect(&r, "This is a kiosk"), 0);
    assert_int_equal(plain_expect(&r, "Store. 5 categories. Signed in as Guest."), 0);
    /* no account screens, no sign-in, no checkout (the default) */
    PLAIN_STEP(&r, "?", "c: the cart");
    PLAIN_STEP(&r, "v", "\"v\" is not a choice here.");
    PLAIN_STEP(&r, "L", "\"L\" is not a choice here.");
    PLAIN_STEP(&r, "/iron", "Search for \"iron\"");
    PLAIN_STEP(&r, "1", "Product: Iron.");
    PLAIN_STEP(&r, "a", "Added Iron, monthly, to the cart. Cart: 1 item, $");
    PLAIN_STEP(&r, "c", "Cart: 1 item");
    assert_int_equal(plain_expect(&r, "Checkout is not available at this kiosk."), 0);
    PLAIN_STEP(&r, "o", "\"o\" is not a choice here.");
    /* nobody types for 3 seconds: the next guest gets an empty cart */
    assert_int_equal(plain_expect(&r, "Starting over for the next guest."), 0);
    assert_int_equal(plain_expect(&r, "Store. 5 categories."), 0);
    PLAIN_STEP(&r, "c", "Cart: empty.");
    /* a guest leaves something in the cart; the next start empties it */
    PLAIN_STEP(&r, "s", "Store. 5 categories.");
    PLAIN_STEP(&r, "/iron", "Search for \"iron\"");
    PLAIN_STEP(&r, "1", "Product: Iron.");
    PLAIN_STEP(&r, "a", "Cart: 1 item");
    assert_int_equal(plain_finish(&r), 0);
    assert_null(strstr(r.text, "L: sign in"));
    assert_null(strstr(r.text, "your services"));
    /* said once per idle spell, not again until someone types */
    const char *first = strstr(r.text, "Starting over for the next guest.");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Starting over for the next guest."));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
    assert_int_equal(plain_start(&r, args, env, false), 0);
    assert_int_equal(plain_expect(&r, "Signed in as Guest."), 0);
    PLAIN_STEP(&r, "c", "Cart: empty.");
    assert_int_equal(plain_finish(&r), 0);
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

/* As settd does: the demo customer's tokens on an inherited pipe named by SETT_SESSION_FD. */
static int session_start(struct plain_run *r, bool allow)
{
    char access[1024], refresh[1024], json[2200], env_fd[32];
    int fds[2];
    if (plain_api_login(plain_server_url(), "demo@example.com", "demo", access, refresh) != 0 ||
        pipe(fds) != 0)
        return -1;
    int n = snprintf(json, sizeof json, "{\"access_token\":\"%s\",\"refresh_token\":\"%s\"}",
                     access, refresh);
    if (write(fds[1], json, (size_t)n) != n)
        return -1;
    close(fds[1]);
    snprintf(env_fd, sizeof env_fd, "SETT_SESSION_FD=%d", fds[0]);
    const char *args[] = {"--plain", "--api", plain_server_url(), NULL};
    const char *env[] = {env_fd, allow ? "SETT_ALLOW_PASSWORD_SIGNIN=1" : NULL, NULL};
    int rc = plain_start(r, args, env, false);
    close(fds[0]);
    return rc;
}

static void test_settd_session(void **state)
{
    struct plain_run r;
    (void)state;
    /* the SSH key is the identity: straight into the store, and no L */
    assert_int_equal(session_start(&r, false), 0);
    assert_int_equal(plain_expect(&r, "Signed in as Demo Customer."), 0);
    assert_int_equal(plain_expect(&r, "Store. 5 categories. Signed in as Demo Customer."), 0);
    PLAIN_STEP(&r, "?", "q: quit");
    PLAIN_STEP(&r, "L", "\"L\" is not a choice here.");
    PLAIN_STEP(&r, "H", "Home. Signed in as Demo Customer.");
    assert_int_equal(plain_expect(&r, "Active services: "), 0);
    assert_int_equal(plain_finish(&r), 0);
    assert_null(strstr(r.text, "L: sign in"));
    assert_false(plain_has_escape(&r));
    plain_free(&r);
    /* settd --allow-password-signin: L signs out as usual */
    assert_int_equal(session_start(&r, true), 0);
    assert_int_equal(plain_expect(&r, "Store. 5 categories. Signed in as Demo Customer."), 0);
    PLAIN_STEP(&r, "?", "L: sign in, or sign out");
    PLAIN_STEP(&r, "L", "Signed out. Type L to sign in again.");
    assert_int_equal(plain_finish(&r), 0);
    assert_false(plain_has_escape(&r));
    plain_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_operator, plain_server_setup, plain_server_teardown),
        cmocka_unit_test_setup_teardown(test_kiosk, plain_server_setup, plain_server_teardown),
        cmocka_unit_test_setup_teardown(test_settd_session, plain_server_setup,
                                        plain_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
