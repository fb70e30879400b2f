/* scenarios_plan.c: changing a service's plan through the real sett against a sett-billingd on a
 * fixed day moved two weeks on, so the configurable server bought first is in the middle of its
 * month: an upgrade of its memory priced as the API prices it and paid with credits, a
 * downgrade scheduled for the next renewal, and an unpaid upgrade withdrawn. The screens are
 * checked by their text, the money by the API. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

#define PLAN_ROWS 43
#define PLAN_COLS 132
#define PLAN_SLUG "custom-build"
/* Build Your Own's memory: the default 4 GB, bought, and the steps of 1 GB the tests take. */
#define MEMORY_NOW_MB 4096

struct plan_run {
    struct acct_run a; /* sett and the customer's session */
    long service_id;
    long long credits_before; /* the balance when sett started */
};

/* ---- the API ---- */

/* A request with the session expecting `want`; the envelope (cJSON_Delete) or NULL. */
static cJSON *call(const struct acct *a, const char *method, const char *path, const char *body,
                   long want)
{
    long status = 0;
    char *resp = NULL;
    char key[64];
    static int serial;
    snprintf(key, sizeof key, "00000000-0000-4000-9000-%012d", ++serial);
    if (acct_call(a, method, path, body, NULL, strcmp(method, "POST") == 0 ? key : NULL, &status,
                  &resp) != 0 ||
        status != want) {
        fprintf(stderr, "scenarios_plan: %s %s: HTTP %ld %s\n", method, path, status,
                resp ? resp : "");
        free(resp);
        return NULL;
    }
    cJSON *env = cJSON_Parse(resp);
    free(resp);
    return env;
}

/* The change-quote for `memory_mb`; the envelope or NULL. */
static cJSON *quote(const struct acct *a, long service_id, long memory_mb, bool use_credits)
{
    char path[128], body[200];
    snprintf(path, sizeof path, "/billing/services/%ld/change-quote", service_id);
    snprintf(body, sizeof body, "{\"options\":{\"memory_mb\":%ld},\"use_credits\":%s}", memory_mb,
             use_credits ? "true" : "false");
    return call(a, "POST", path, body, 200);
}

static long long balance(const struct acct *a)
{
    cJSON *env = call(a, "GET", "/billing/credits", NULL, 200);
    long long v = api_peek_number(api_peek_data(env), "balance", "amount");
    cJSON_Delete(env);
    return v;
}

/* What the quote for `memory_mb` asks now when no credits are used, or -1. */
static long long due_without_credits(const struct acct *a, long service_id, long memory_mb)
{
    cJSON *env = quote(a, service_id, memory_mb, false);
    long long due = api_peek_number(api_peek_data(env), "due_now", "amount");
    cJSON_Delete(env);
    return due;
}

/* GET /billing/KIND/ID: the envelope (or NULL) and the record's status. */
static cJSON *record(const struct acct *a, const char *kind, long id, char *status, size_t n)
{
    char path[96];
    snprintf(path, sizeof path, "/billing/%s/%ld", kind, id);
    cJSON *env = call(a, "GET", path, NULL, 200);
    const char *st = api_peek_str(api_peek_data(env), "status");
    snprintf(status, n, "%s", st ? st : "");
    return env;
}

/* The service's memory and status ("active" …), or -1. */
static long long service_memory(const struct acct *a, long id, char *status, size_t n)
{
    cJSON *env = record(a, "services", id, status, n);
    long long mb = api_peek_number(api_peek_data(env), "resources", "memory_mb");
    cJSON_Delete(env);
    return mb;
}

/* The newest plan change of the service: its status and invoice (0 for none); 0 or -1. */
static int newest_change(const struct acct *a, long id, char *status, size_t n, long *invoice_id,
                         char *effective, size_t en)
{
    char path[96];
    snprintf(path, sizeof path, "/billing/services/%ld/changes", id);
    cJSON *env = call(a, "GET", path, NULL, 200);
    const cJSON *c = cJSON_GetArrayItem(api_peek_data(env), 0);
    int rc = c ? 0 : -1;
    snprintf(status, n, "%s", api_peek_str(c, "status") ? api_peek_str(c, "status") : "");
    if (effective)
        snprintf(effective, en, "%s",
                 api_peek_str(c, "effective_date") ? api_peek_str(c, "effective_date") : "");
    *invoice_id = (long)api_peek_number(c, "invoice_id", NULL);
    cJSON_Delete(env);
    return rc;
}

/* An invoice's total and status, or -1. */
static long long invoice_total(const struct acct *a, long id, char *status, size_t n)
{
    cJSON *env = record(a, "invoices", id, status, n);
    const cJSON *totals = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "totals");
    long long total = api_peek_number(totals, "total", "amount");
    cJSON_Delete(env);
    return total;
}

/* "$12.34" (or "-$12.34") for minor units in USD, as the screens write amounts below $1,000. */
static void dollars(long long minor, char *buf, size_t n)
{
    snprintf(buf, n, "%s$%lld.%02lld", minor < 0 ? "-" : "", llabs(minor) / 100,
             llabs(minor) % 100);
}

/* ---- the customer before sett starts: a Build Your Own bought, two weeks ago ---- */

static long first_service(const struct acct *a)
{
    cJSON *env = call(a, "GET", "/billing/services?per_page=10", NULL, 200);
    long id = (long)api_peek_number(cJSON_GetArrayItem(api_peek_data(env), 0), "id", NULL);
    cJSON_Delete(env);
    return id;
}

/* The proration's start of a quote, to see the server's clock move. */
static int proration_from(const struct acct *a, long id, char *buf, size_t n)
{
    cJSON *env = quote(a, id, MEMORY_NOW_MB + 1024, true);
    const cJSON *pr = cJSON_GetObjectItemCaseSensitive(api_peek_data(env), "proration");
    snprintf(buf, n, "%s", api_peek_str(pr, "from") ? api_peek_str(pr, "from") : "");
    cJSON_Delete(env);
    return buf[0] ? 0 : -1;
}

static int setup_owner(const struct acct *a, void *ud)
{
    struct plan_run *pr = ud;
    char url[512], status[32], before[64], after[64];
    if (acct_cart_add(a, PLAN_SLUG, "monthly", 1) != 0 ||
        acct_checkout(a, "stripe", false, url, sizeof url) != 0 || !url[0] ||
        acct_sandbox(url, "pay") != 200)
        return -1;
    if ((pr->service_id = first_service(a)) <= 0)
        return -1;
    for (int i = 0; i < 100; i++) { /* set up by the server's provisioning */
        if (service_memory(a, pr->service_id, status, sizeof status) == MEMORY_NOW_MB &&
            strcmp(status, "active") == 0)
            break;
        usleep(50000);
    }
    if (strcmp(status, "active") != 0 || proration_from(a, pr->service_id, before, sizeof before))
        return -1;
    /* two weeks on: the middle of the month */
    if (kill(billingd_proc_pid(pr->a.r.server), SIGUSR1) != 0)
        return -1;
    for (int i = 0; i < 100; i++) {
        /* the session of two weeks ago has expired: a new one, which sett is then given */
        if (acct_login(&pr->a.p.session, sett_run_server_url(&pr->a.r), ACCT_DEMO_EMAIL,
                       ACCT_DEMO_PASSWORD) == 0 &&
            proration_from(a, pr->service_id, after, sizeof after) == 0 &&
            strcmp(before, after) != 0)
            return 0;
        usleep(50000);
    }
    fprintf(stderr, "scenarios_plan: the server's clock did not move from %s\n", before);
    return -1;
}

/* ---- the screens ---- */

static int key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* True if the row holding `label` also shows `value`. */
static bool row_shows(struct harness *h, const char *label, const char *value)
{
    char row[400];
    int y, x;
    if (harness_find(h, label, &y, &x) != 0 || harness_row_text(h, y, row, sizeof row) < 0)
        return false;
    if (!strstr(row, value)) {
        fprintf(stderr, "row '%s' does not show '%s'\n", row, value);
        return false;
    }
    return true;
}

/* True if, below the heading `box`, the first row holding `label` also shows `value`. */
static bool box_shows(struct harness *h, const char *box, const char *label, const char *value)
{
    char row[400];
    int y, x;
    if (harness_find(h, box, &y, &x) != 0)
        return false;
    do { /* the box ends at an empty row */
        if (harness_row_text(h, ++y, row, sizeof row) <= 0)
            row[0] = '\0';
    } while (row[0] && !strstr(row, label));
    if (!strstr(row, label) || !strstr(row, value)) {
        fprintf(stderr, "under '%s', row '%s' does not show '%s'\n", box, row, value);
        return false;
    }
    return true;
}

/* From the start: the services, the bought one opened. */
static int open_service(struct harness *h)
{
    if (key_settled(h, "v", "Next due") != 0)
        return -1;
    return key_settled(h, HK_ENTER, "Chosen");
}

/* From the service: `U`, the memory row focused. */
static int open_plan(struct harness *h)
{
    if (key_settled(h, "U", "This is the plan the service has") != 0)
        return -1;
    if (harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) != 0 ||
        harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) != 0)
        return -1;
    return harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS);
}

static int plan_start(struct plan_run *pr)
{
    memset(pr, 0, sizeof *pr);
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .rows = PLAN_ROWS, .cols = PLAN_COLS, .fixed_clock = true};
    if (acct_run_start(&pr->a, o, true, setup_owner, pr) != 0 || open_service(pr->a.r.h) != 0)
        return -1;
    pr->credits_before = balance(&pr->a.p.session);
    if (pr->credits_before <= 0 || !row_shows(pr->a.r.h, "Chosen", "4 GB"))
        return -1;
    return open_plan(pr->a.r.h);
}

static void plan_stop(struct plan_run *pr)
{
    acct_run_stop(&pr->a);
}

/* `key` on the memory row, then the breakdown of `mb` settled. */
static int memory_to(struct harness *h, const char *key, long mb, const char *heading)
{
    char shown[32];
    snprintf(shown, sizeof shown, "‹ %ld GB ›", mb / 1024);
    if (harness_send(h, key) != 0 || harness_wait_text(h, shown, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (harness_wait_gone(h, "Pricing the change", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return sett_wait_settled(h, heading);
}

/* The breakdown on the screen is the API's quote for `mb`: credit, charge, tax, total, credits,
 * due now and the next renewal. Returns the quote's total, or -1. */
static long long breakdown_is_quote(struct plan_run *pr, long mb)
{
    struct harness *h = pr->a.r.h;
    char a[64], then[128];
    long long total = -1;
    cJSON *env = quote(&pr->a.p.session, pr->service_id, mb, true);
    const cJSON *q = api_peek_data(env);
    H_CHECK(q != NULL);
    const cJSON *prorated = cJSON_GetObjectItemCaseSensitive(q, "proration");
    long long left = api_peek_number(prorated, "seconds_left", NULL);
    const char *direction = api_peek_str(q, "direction");
    if (direction && strcmp(direction, "upgrade") == 0) /* prorated, mid-cycle */
        H_CHECK(left > 0 && left < api_peek_number(prorated, "period_seconds", NULL));
    dollars(-api_peek_number(q, "credit", "amount"), a, sizeof a);
    H_CHECK(row_shows(h, "Unused time", a));
    dollars(api_peek_number(q, "charge", "amount"), a, sizeof a);
    H_CHECK(row_shows(h, "Rest of period", a));
    dollars(api_peek_number(q, "tax", "amount"), a, sizeof a);
    H_CHECK(row_shows(h, "Tax", a));
    dollars(api_peek_number(q, "due_now", "amount"), a, sizeof a);
    H_CHECK(row_shows(h, "Due now", a));
    if (api_peek_number(q, "credits_to_apply", "amount") > 0) {
        dollars(-api_peek_number(q, "credits_to_apply", "amount"), a, sizeof a);
        H_CHECK(row_shows(h, "Credits applied", a));
    }
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(q, "next_renewal");
    dollars(api_peek_number(next, "amount", "amount"), a, sizeof a);
    H_CHECK(api_peek_str(next, "date") != NULL);
    snprintf(then, sizeof then, "%s/mo from %s", a, api_peek_str(next, "date"));
    H_CHECK(row_shows(h, "Then", then));
    dollars(api_peek_number(q, "total", "amount"), a, sizeof a);
    H_CHECK(row_shows(h, "Total", a));
    total = api_peek_number(q, "total", "amount");
fail:
    cJSON_Delete(env);
    return total;
}

/* From the plan screen: `p`, the amount confirmed with `y`, the payment screen asking for it. */
static int invoice_upgrade(struct harness *h, long long total)
{
    char a[64], said[200];
    dollars(total, a, sizeof a);
    snprintf(said, sizeof said,
             "Change to Build Your Own? %s is invoiced now; the plan changes once "
             "it is paid.",
             a);
    if (key_settled(h, "p", "y yes") != 0 || !acct_screen_says(h, said)) {
        harness_print_screen(h, stderr, said);
        return -1;
    }
    if (key_settled(h, "y", "Amount due") != 0)
        return -1;
    return row_shows(h, "Amount due", a) ? 0 : -1;
}

/* ---- the scenarios ---- */

int scenario_plan_upgrade(void)
{
    struct plan_run pr;
    struct harness *h;
    char status[32];
    long invoice_id = 0;
    long long total;
    int rc = -1;
    H_CHECK(plan_start(&pr) == 0);
    h = pr.a.r.h;
    const struct acct *me = &pr.a.p.session;
    /* mid-cycle: part of the month is credited, the rest charged at the new price */
    H_CHECK(memory_to(h, "+", MEMORY_NOW_MB + 1024, "Upgrade") == 0);
    H_CHECK((total = breakdown_is_quote(&pr, MEMORY_NOW_MB + 1024)) > 0);
    H_CHECK(memory_to(h, "+", MEMORY_NOW_MB + 2048, "Upgrade") == 0); /* the breakdown follows */
    H_CHECK(breakdown_is_quote(&pr, MEMORY_NOW_MB + 2048) > total);
    total = breakdown_is_quote(&pr, MEMORY_NOW_MB + 2048);
    H_CHECK(due_without_credits(me, pr.service_id, MEMORY_NOW_MB + 2048) == total);
    H_CHECK(acct_screen_says(h, "the difference is invoiced now and the plan changes once it is "
                                "paid."));
    H_CHECK(acct_snapshot(h, "plan_upgrade_132x43") == 0);
    /* the amount confirmed, then the usual payment screen for the invoice */
    H_CHECK(invoice_upgrade(h, total) == 0);
    H_CHECK(newest_change(me, pr.service_id, status, sizeof status, &invoice_id, NULL, 0) == 0);
    H_CHECK(strcmp(status, "pending_payment") == 0 && invoice_id > 0);
    H_CHECK(invoice_total(me, invoice_id, status, sizeof status) == total);
    /* paid from the credits */
    H_CHECK(key_settled(h, "p", "from your credits") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "paid", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    /* the service has its new memory, and nothing waits */
    H_CHECK(key_settled(h, HK_ESC, "Chosen") == 0);
    H_CHECK(harness_wait_gone(h, "Plan change waiting", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "6 GB") == 0);
    H_CHECK(row_shows(h, "Chosen", "6 GB"));
    H_CHECK(invoice_total(me, invoice_id, status, sizeof status) == total);
    H_CHECK(strcmp(status, "paid") == 0);
    H_CHECK(balance(me) == pr.credits_before - total);
    H_CHECK(service_memory(me, pr.service_id, status, sizeof status) == MEMORY_NOW_MB + 2048);
    H_CHECK(sett_run_quit(&pr.a.r) == 0);
    rc = 0;
fail:
    plan_stop(&pr);
    return rc;
}

int scenario_plan_downgrade(void)
{
    struct plan_run pr;
    struct harness *h;
    char status[32], effective[32];
    long invoice_id = -1;
    int rc = -1;
    H_CHECK(plan_start(&pr) == 0);
    h = pr.a.r.h;
    const struct acct *me = &pr.a.p.session;
    H_CHECK(memory_to(h, "-", MEMORY_NOW_MB - 1024, "Downgrade") == 0);
    H_CHECK(breakdown_is_quote(&pr, MEMORY_NOW_MB - 1024) == 0); /* nothing prorated */
    H_CHECK(acct_screen_says(h, "nothing is charged now; the plan changes at the next renewal on "
                                "2025-07-02."));
    H_CHECK(key_settled(h, "p", "Nothing is charged now") == 0);
    H_CHECK(acct_screen_says(h, "Change to Build Your Own at the next renewal on 2025-07-02?"));
    H_CHECK(key_settled(h, "y", "Plan change waiting") == 0);
    H_CHECK(row_shows(h, "Applies", "at the next renewal, on 2025-07-02"));
    H_CHECK(row_shows(h, "Chosen", "4 GB RAM")); /* not yet */
    /* a resource-only change: the box says the values the service will have */
    H_CHECK(box_shows(h, "Plan change waiting", "Chosen", "3 GB RAM · 30 GB disk"));
    H_CHECK(acct_snapshot(h, "plan_downgrade_132x43") == 0);
    /* the server agrees: scheduled for the renewal, no invoice, nothing charged */
    H_CHECK(newest_change(me, pr.service_id, status, sizeof status, &invoice_id, effective,
                          sizeof effective) == 0);
    H_CHECK(strcmp(status, "scheduled") == 0 && strcmp(effective, "2025-07-02") == 0);
    H_CHECK(invoice_id <= 0);
    H_CHECK(balance(me) == pr.credits_before);
    H_CHECK(service_memory(me, pr.service_id, status, sizeof status) == MEMORY_NOW_MB);
    H_CHECK(sett_run_quit(&pr.a.r) == 0);
    rc = 0;
fail:
    plan_stop(&pr);
    return rc;
}

int scenario_plan_withdraw(void)
{
    struct plan_run pr;
    struct harness *h;
    char status[32];
    long invoice_id = 0;
    long long total;
    int rc = -1;
    H_CHECK(plan_start(&pr) == 0);
    h = pr.a.r.h;
    const struct acct *me = &pr.a.p.session;
    H_CHECK(memory_to(h, "+", MEMORY_NOW_MB + 1024, "Upgrade") == 0);
    H_CHECK((total = breakdown_is_quote(&pr, MEMORY_NOW_MB + 1024)) > 0);
    H_CHECK(invoice_upgrade(h, total) == 0);
    /* left without paying: the service shows the change waiting for its invoice */
    H_CHECK(key_settled(h, HK_ESC, "Plan change waiting") == 0);
    H_CHECK(row_shows(h, "Applies", "once its invoice is paid"));
    H_CHECK(box_shows(h, "Plan change waiting", "Chosen", "5 GB RAM"));
    H_CHECK(acct_screen_says(h, "U withdraws the change."));
    H_CHECK(newest_change(me, pr.service_id, status, sizeof status, &invoice_id, NULL, 0) == 0);
    H_CHECK(strcmp(status, "pending_payment") == 0 && invoice_id > 0);
    H_CHECK(invoice_total(me, invoice_id, status, sizeof status) == total);
    H_CHECK(strcmp(status, "pending") == 0);
    /* U withdraws it, after asking */
    H_CHECK(key_settled(h, "U", "Its unpaid invoice is") == 0);
    H_CHECK(acct_screen_says(h, "Withdraw the change to Build Your Own?"));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Plan change withdrawn", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_gone(h, "Plan change waiting", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Chosen") == 0);
    H_CHECK(row_shows(h, "Chosen", "4 GB"));
    H_CHECK(row_shows(h, "Change   due", "Cancelled"));
    /* the server agrees: the change and its invoice cancelled, nothing charged */
    H_CHECK(newest_change(me, pr.service_id, status, sizeof status, &invoice_id, NULL, 0) == 0);
    H_CHECK(strcmp(status, "cancelled") == 0);
    H_CHECK(invoice_total(me, invoice_id, status, sizeof status) == total);
    H_CHECK(strcmp(status, "cancelled") == 0);
    H_CHECK(balance(me) == pr.credits_before);
    H_CHECK(service_memory(me, pr.service_id, status, sizeof status) == MEMORY_NOW_MB);
    H_CHECK(sett_run_quit(&pr.a.r) == 0);
    rc = 0;
fail:
    plan_stop(&pr);
    return rc;
}
