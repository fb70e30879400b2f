/* test_plan.c: a customer in plain mode changes a service's plan. A Build Your Own is bought and
 * paid in the sandbox on a server living on a fixed day; two weeks on, its memory is raised: the
 * breakdown is said line by line and is the server's own quote to the cent, the amount is
 * confirmed, the invoice paid on the sandbox's page, and the service then says its new memory.
 * And an upgrade left unpaid is said as waiting, with the memory it would bring, and withdrawn.
 * The money is checked through the API; no escape byte is ever printed. */
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

#include "api_peek.h"
#include "plain_support.h"

#define MEMORY_NOW_MB 4096

static char token[1024]; /* the demo customer's access token, for the API's side of things */

static int api_sign_in(void)
{
    char refresh[1024];
    return plain_api_login(plain_server_url(), "demo@example.com", "demo", token, refresh);
}

static cJSON *api(const char *method, const char *path, const char *body)
{
    return plain_api(plain_server_url(), method, path, body, token);
}

/* A string member, or "". */
static const char *string_at(const cJSON *o, const char *name)
{
    const char *s = api_peek_str(o, name);
    return s ? s : "";
}

/* "$12.34" or "-$12.34", as plain mode says amounts below $1,000 in USD. */
static const char *dollars(long long minor, char *buf, size_t n)
{
    snprintf(buf, n, "%s$%lld.%02lld", minor < 0 ? "-" : "", llabs(minor) / 100,
             llabs(minor) % 100);
    return buf;
}

/* The change-quote for `memory_mb`, credits used as plain mode asks: the envelope or NULL. */
static cJSON *quote(long service_id, long memory_mb)
{
    char path[96], body[128];
    snprintf(path, sizeof path, "/billing/services/%ld/change-quote", service_id);
    snprintf(body, sizeof body, "{\"options\":{\"memory_mb\":%ld},\"use_credits\":true}",
             memory_mb);
    return api("POST", path, body);
}

/* The service's memory and status. */
static long long service_memory(long id, char *status, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/billing/services/%ld", id);
    cJSON *env = api("GET", path, NULL);
    long long mb = api_peek_number(api_peek_data(env), "resources", "memory_mb");
    snprintf(status, n, "%s", string_at(api_peek_data(env), "status"));
    cJSON_Delete(env);
    return mb;
}

/* The newest change of the service: its status and invoice. */
static void newest_change(long id, char *status, size_t n, long *invoice_id)
{
    char path[96];
    snprintf(path, sizeof path, "/billing/services/%ld/changes", id);
    cJSON *env = api("GET", path, NULL);
    const cJSON *c = cJSON_GetArrayItem(api_peek_data(env), 0);
    snprintf(status, n, "%s", string_at(c, "status"));
    *invoice_id = (long)api_peek_number(c, "invoice_id", NULL);
    cJSON_Delete(env);
}

/* An invoice's total and status. */
static long long invoice_total(long id, char *status, size_t n)
{
    char path[64];
    snprintf(path, sizeof path, "/billing/invoices/%ld", id);
    cJSON *env = api("GET", path, NULL);
    long long total = api_peek_number(
        cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "totals"), "total", "amount");
    snprintf(status, n, "%s", string_at(api_peek_data(env), "status"));
    cJSON_Delete(env);
    return total;
}

static long long balance(void)
{
    cJSON *env = api("GET", "/billing/credits", NULL);
    long long v = api_peek_number(api_peek_data(env), "balance", "amount");
    cJSON_Delete(env);
    return v;
}

/* Pays the link sett printed on the sandbox's page, once `waiting` (unless NULL) was said; then
 * waits for `paid`. */
static void pay_link(struct plain_run *r, const char *waiting, const char *paid)
{
    char url[600];
    assert_int_equal(plain_expect(r, "To pay, open this link in a browser:"), 0);
    size_t link = r->seen;
    assert_int_equal(plain_expect(r, "Waiting for the payment."), 0);
    r->seen = link;
    assert_non_null(plain_line_after(r, "http://", url, sizeof url));
    assert_non_null(strstr(url, "/sandbox/pay/"));
    assert_int_equal(plain_expect(r, "Waiting for the payment."), 0);
    if (waiting)
        assert_int_equal(plain_expect(r, waiting), 0);
    assert_int_equal(plain_sandbox_pay(url), 200);
    assert_int_equal(plain_expect(r, paid), 0);
}

/* Signs in, buys a Build Your Own by the month with its default 4 GB, pays by card in the
 * sandbox; returns the service once the server has set it up. */
static long buy_build_your_own(struct plain_run *r)
{
    char status[32] = "";
    long id = 0;
    const char *args[] = {"--plain", "--api", plain_server_url(), NULL};
    const char *env[] = {"TERM=xterm-256color", NULL};
    assert_int_equal(plain_start(r, args, env, false), 0);
    assert_int_equal(plain_sign_in_from_cart(r), 0);
    PLAIN_STEP(r, "s", "Store. 5 categories.");
    PLAIN_STEP(r, "5", "Custom / Configurable: 3 products.");
    PLAIN_STEP(r, "1", "Product: Build Your Own.");
    assert_int_equal(plain_expect(r, "Chosen: Monthly, quantity 1, Memory 4 GB"), 0);
    PLAIN_STEP(r, "a", "Added Build Your Own, monthly, to the cart.");
    PLAIN_STEP(r, "c", "Cart: 1 item");
    PLAIN_STEP(r, "o", "How would you like to pay?");
    PLAIN_STEP(r, "1", "Use your credit balance of $10.00 first?");
    PLAIN_STEP(r, "n", "Place the order and pay $");
    assert_int_equal(plain_send(r, "y"), 0);
    pay_link(r, NULL, "Payment received: $");
    assert_int_equal(api_sign_in(), 0);
    cJSON *list = api("GET", "/billing/services", NULL);
    id = (long)api_peek_number(cJSON_GetArrayItem(api_peek_data(list), 0), "id", NULL);
    cJSON_Delete(list);
    assert_true(id > 0);
    for (int i = 0; i < 100 && strcmp(status, "active") != 0; i++) {
        if (i)
            usleep(50000);
        assert_int_equal(service_memory(id, status, sizeof status), MEMORY_NOW_MB);
    }
    assert_string_equal(status, "active");
    return id;
}

/* From anywhere: the services, the one bought opened, `U` the plan change, `o` with the memory
 * set to `gb` and the other choices kept; waits for the quote. */
static void choose_memory(struct plain_run *r, long id, int gb)
{
    char said[128], line[16];
    snprintf(said, sizeof said, "Service %ld: Build Your Own.", id);
    PLAIN_STEP(r, "v", "Your services: 1.");
    PLAIN_STEP(r, "1", said);
    assert_int_equal(plain_expect(r, "Resources: 4 GB memory, 30 GB disk"), 0);
    assert_int_equal(plain_expect(r, "R to renew early, U to change the plan."), 0);
    snprintf(said, sizeof said, "Change the plan of service %ld, Build Your Own.", id);
    PLAIN_STEP(r, "U", said);
    assert_int_equal(plain_expect(r, "Now: Monthly, $"), 0);
    assert_int_equal(plain_expect(r, "4 GB RAM, 30 GB disk, 2 vCPU, 1 database, 2 backups."), 0);
    assert_int_equal(plain_expect(r, "1. Build Your Own (now, chosen)."), 0);
    assert_int_equal(plain_expect(r, "This is the plan the service has."), 0);
    /* what can be typed here comes from the screen's own table */
    PLAIN_STEP(r, "?", "a number: change to that product");
    assert_int_equal(plain_expect(r, "o: choose the billing cycle and the resources"), 0);
    assert_int_equal(plain_expect(r, "p: confirm the change"), 0);
    PLAIN_STEP(r, "o", "Billing cycles:");
    PLAIN_STEP(r, "", "Now: Memory 4 GB. Choices 1 (Memory 1 GB) to 32 (Memory 32 GB).");
    snprintf(line, sizeof line, "%d", gb); /* steps of 1 GB from 1 GB */
    PLAIN_STEP(r, line, "Now: Disk 30 GB.");
    PLAIN_STEP(r, "", "Now: CPU");
    PLAIN_STEP(r, "", "Now: Databases");
    PLAIN_STEP(r, "", "Now: Backup slots");
    snprintf(said, sizeof said, "Chosen: Build Your Own, Monthly, Memory %d GB, Disk 30 GB", gb);
    PLAIN_STEP(r, "", said);
    assert_int_equal(plain_expect(r, "Upgrade to Build Your Own."), 0);
}

/* The lines of the breakdown in the order said, and the quote's member each one is. */
static const struct {
    const char *said, *member;
    int sign; /* a credit is said as a minus */
} breakdown[] = {
    {"Unused time", "credit", -1},
    {"Rest of period", "charge", 1},
    {"Tax", "tax", 1},
    {"Total", "total", 1},
    {"Credits applied", "credits_to_apply", -1},
    {"Due now", "due_now", 1},
};

static void test_upgrade_memory(void **state)
{
    struct plain_run r;
    char a[64], said[300], status[32], before[64];
    long invoice_id = 0;
    (void)state;
    long id = buy_build_your_own(&r);
    /* two weeks on, the middle of the month: the unused half is credited */
    cJSON *env = quote(id, MEMORY_NOW_MB + 2048);
    snprintf(before, sizeof before, "%s",
             string_at(cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "proration"), "from"));
    cJSON_Delete(env);
    assert_int_equal(plain_server_move_on(), 0);
    for (int i = 0;; i++) {
        assert_true(i < 100);
        if (api_sign_in() == 0 && (env = quote(id, MEMORY_NOW_MB + 2048))) {
            const cJSON *pr = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "proration");
            bool moved = strcmp(string_at(pr, "from"), before) != 0;
            cJSON_Delete(env);
            if (moved)
                break;
        }
        usleep(50000);
    }
    long long credits_before = balance();
    assert_true(credits_before > 0);

    choose_memory(&r, id, 6);
    /* the breakdown, line by line, is the server's quote */
    env = quote(id, MEMORY_NOW_MB + 2048);
    const cJSON *q = api_peek_data(env);
    assert_non_null(q);
    assert_string_equal(string_at(q, "direction"), "upgrade");
    const cJSON *prorated = cJSON_GetObjectItemCaseSensitive(q, "proration");
    long long left = api_peek_number(prorated, "seconds_left", NULL);
    assert_true(left > 0 &&
                left < api_peek_number(prorated, "period_seconds", NULL)); /* mid-cycle */
    long long total = api_peek_number(q, "total", "amount");
    assert_true(api_peek_number(q, "credit", "amount") > 0);
    assert_true(total > 0);
    for (size_t i = 0; i < sizeof breakdown / sizeof breakdown[0]; i++) {
        long long amount = api_peek_number(q, breakdown[i].member, "amount");
        if (strcmp(breakdown[i].member, "credits_to_apply") == 0 && amount == 0)
            continue; /* said only when the balance pays a part */
        snprintf(said, sizeof said, "%s: %s.", breakdown[i].said,
                 dollars(breakdown[i].sign * amount, a, sizeof a));
        assert_int_equal(plain_expect(&r, said), 0);
    }
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(q, "next_renewal");
    snprintf(said, sizeof said, "Then: %s a month from %s.",
             dollars(api_peek_number(next, "amount", "amount"), a, sizeof a),
             string_at(next, "date"));
    assert_int_equal(plain_expect(&r, said), 0);
    cJSON_Delete(env);
    assert_int_equal(plain_expect(&r, "If you confirm (p), the difference is invoiced now and the "
                                      "plan changes once it is paid."),
                     0);
    /* the amount is confirmed before anything is made; then the invoice is paid as any other */
    snprintf(said, sizeof said,
             "Change to Build Your Own? %s is invoiced now; the plan changes once it is paid. "
             "Type y to confirm",
             dollars(total, a, sizeof a));
    PLAIN_STEP(&r, "p", said);
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, ""); /* nothing yet */
    PLAIN_STEP(&r, "y", "Plan change invoiced: the plan changes once it is paid.");
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, "pending_payment");
    assert_int_equal(invoice_total(invoice_id, status, sizeof status), total);
    assert_int_equal(plain_expect(&r, "How would you like to pay?"), 0);
    PLAIN_STEP(&r, "1", "Use your credit balance of");
    snprintf(said, sizeof said, "Pay %s for invoice INV-", dollars(total, a, sizeof a));
    PLAIN_STEP(&r, "n", said);
    assert_int_equal(plain_expect(&r, "with Card (Stripe)? Type y to confirm"), 0);
    assert_int_equal(plain_send(&r, "y"), 0);
    snprintf(said, sizeof said, "Payment received: %s. The invoice is paid.",
             dollars(total, a, sizeof a));
    pay_link(&r, "Still waiting for the payment\xe2\x80\xa6", said);
    /* back on the service: the new memory, nothing waiting */
    snprintf(said, sizeof said, "Service %ld: Build Your Own.", id);
    assert_int_equal(plain_expect(&r, said), 0);
    assert_int_equal(plain_expect(&r, "Resources: 6 GB memory, 30 GB disk"), 0);
    assert_int_equal(plain_expect(&r, "R to renew early, U to change the plan."), 0);
    assert_null(strstr(r.text, "Plan change waiting"));
    /* the server agrees: the change applied, its invoice paid by card, the credits untouched */
    assert_int_equal(service_memory(id, status, sizeof status), MEMORY_NOW_MB + 2048);
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, "applied");
    assert_int_equal(invoice_total(invoice_id, status, sizeof status), total);
    assert_string_equal(status, "paid");
    assert_int_equal(balance(), credits_before);
    PLAIN_STEP(&r, "q", "Goodbye.");
    assert_int_equal(plain_end_clean(&r), 0);
    plain_free(&r);
}

static void test_withdraw_unpaid_upgrade(void **state)
{
    struct plain_run r;
    char a[64], said[400], status[32];
    long invoice_id = 0;
    (void)state;
    long id = buy_build_your_own(&r);
    choose_memory(&r, id, 5);
    PLAIN_STEP(&r, "p", "Change to Build Your Own? $");
    PLAIN_STEP(&r, "y", "Plan change invoiced: the plan changes once it is paid.");
    /* not paid now: an empty line cancels the payment */
    PLAIN_STEP(&r, "", "Nothing was paid.");
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, "pending_payment");
    long long total = invoice_total(invoice_id, status, sizeof status);
    assert_string_equal(status, "pending");
    /* the service says the change waiting, with the memory it would bring */
    snprintf(said, sizeof said, "Service %ld: Build Your Own.", id);
    assert_int_equal(plain_expect(&r, said), 0);
    assert_int_equal(plain_expect(&r, "Resources: 4 GB memory"), 0);
    char path[96];
    snprintf(path, sizeof path, "/billing/services/%ld/changes", id);
    cJSON *env = api("GET", path, NULL);
    const cJSON *to =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(api_peek_data(env), 0), "to");
    snprintf(said, sizeof said,
             "Plan change waiting: to Build Your Own, %s a month, 5 GB RAM, 30 GB disk, 2 vCPU, 1 "
             "database, 2 backups; it applies once its invoice is paid.",
             dollars(api_peek_number(to, "recurring_price", "amount"), a, sizeof a));
    cJSON_Delete(env);
    assert_int_equal(plain_expect(&r, said), 0);
    assert_int_equal(plain_expect(&r, "R to renew early, U to withdraw the waiting plan change."),
                     0);
    /* asked first: no, and it still waits */
    PLAIN_STEP(&r, "U", "Withdraw the change to Build Your Own? Its unpaid invoice is cancelled.");
    PLAIN_STEP(&r, "n", "Nothing was withdrawn: the change still waits.");
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, "pending_payment");
    /* yes: withdrawn, the service as it was */
    PLAIN_STEP(&r, "U", "Withdraw the change to Build Your Own?");
    PLAIN_STEP(&r, "y", "Plan change withdrawn: the plan stays as it is.");
    size_t after = r.seen;
    assert_int_equal(plain_expect(&r, "Resources: 4 GB memory"), 0);
    assert_int_equal(plain_expect(&r, "R to renew early, U to change the plan."), 0);
    assert_null(strstr(r.text + after, "Plan change waiting"));
    /* the server agrees: the change and its invoice cancelled, nothing charged */
    newest_change(id, status, sizeof status, &invoice_id);
    assert_string_equal(status, "cancelled");
    assert_int_equal(invoice_total(invoice_id, status, sizeof status), total);
    assert_string_equal(status, "cancelled");
    assert_int_equal(service_memory(id, status, sizeof status), MEMORY_NOW_MB);
    PLAIN_STEP(&r, "q", "Goodbye.");
    assert_int_equal(plain_end_clean(&r), 0);
    plain_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* each customer on a server of their own, living on a fixed day */
        cmocka_unit_test_setup_teardown(test_upgrade_memory, plain_fixed_server_setup,
                                        plain_server_teardown),
        cmocka_unit_test_setup_teardown(test_withdraw_unpaid_upgrade, plain_fixed_server_setup,
                                        plain_server_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
