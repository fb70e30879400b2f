/* scenarios_operator_catalog.c: the operator's catalog on a real billing server: the list and a
 * product as golden screens, a price changed on screen and applied to the existing service, a
 * product hidden, a change refused because someone else changed the product first (412); and
 * the journey: an operator restocks a sold-out product and a customer in another sett session
 * finds it in stock and buys it. Each checked through the API afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "api_peek.h"
#include "operator_support.h"
#include "scenarios.h"

#define HK_CLEAR     "\x15" /* ^U empties a prompt */
#define PRICE_REASON "Summer prices"
#define HIDE_REASON  "Hardware swap"

/* The product `slug` as GET /admin/products lists it (cJSON_Delete the envelope in *env). */
static const cJSON *product_in(const struct acct *admin, const char *slug, cJSON **env)
{
    const cJSON *item;
    *env = op_admin_get(admin, "/admin/products?per_page=100");
    cJSON_ArrayForEach(item, api_peek_data(*env))
    {
        const char *s = api_peek_str(item, "slug");
        if (s && strcmp(s, slug) == 0)
            return item;
    }
    return NULL;
}

static long long number(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsNumber(v) ? (long long)v->valuedouble : -1;
}

/* The catalog screen's row of `slug`: the categories in their order, each followed by its
 * products in the API's order (as the screen lays them out); -1 when absent. */
static int catalog_row(const struct acct *admin, const char *slug)
{
    cJSON *cats = op_admin_get(admin, "/admin/categories");
    cJSON *products = op_admin_get(admin, "/admin/products?per_page=100");
    const cJSON *c, *p;
    int row = 0, found = -1;
    cJSON_ArrayForEach(c, api_peek_data(cats))
    {
        row++;
        cJSON_ArrayForEach(p, api_peek_data(products))
        {
            if (number(p, "category_id") != number(c, "id"))
                continue;
            if (strcmp(api_peek_str(p, "slug"), slug) == 0)
                found = row;
            row++;
        }
    }
    cJSON_Delete(cats);
    cJSON_Delete(products);
    return found;
}

/* From any operator screen: T, then the selection on `slug`'s row. */
static int catalog_select(struct harness *h, const struct acct *admin, const char *slug)
{
    char keys[128];
    int row = catalog_row(admin, slug);
    if (row < 0 || row >= (int)sizeof keys - 1 ||
        op_key_settled(h, "T", "Operator › Catalog ·") != 0)
        return -1;
    memset(keys, 'j', (size_t)row);
    keys[row] = '\0';
    if (row > 0 && harness_send(h, keys) != 0)
        return -1;
    return harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS);
}

/* The screen's row holding `text`, trimmed, into buf; -1 when it is not shown. */
static int row_of(struct harness *h, const char *text, char *buf, size_t n)
{
    int row, col;
    if (harness_find(h, text, &row, &col) != 0)
        return -1;
    return harness_row_text(h, row, buf, n) < 0 ? -1 : 0;
}

/* The newest audit entry on the product: its action and reason. */
static int audit_of(const struct acct *admin, long long product, char *action, char *reason,
                    size_t n)
{
    char path[160];
    int rc = -1;
    snprintf(path, sizeof path, "/admin/audit-log?target_type=product&target_id=%lld", product);
    cJSON *env = op_admin_get(admin, path);
    const cJSON *first = cJSON_GetArrayItem(api_peek_data(env), 0);
    if (first && api_peek_str(first, "action") && api_peek_str(first, "reason")) {
        snprintf(action, n, "%s", api_peek_str(first, "action"));
        snprintf(reason, n, "%s", api_peek_str(first, "reason"));
        rc = 0;
    }
    cJSON_Delete(env);
    return rc;
}

/* The demo customer's (account 1 on a fresh server) service of `slug`: its status and recurring
 * amount. */
static int service_of(const struct acct *admin, const char *slug, char *status, size_t n,
                      long long *amount)
{
    const cJSON *s;
    int rc = -1;
    cJSON *env = op_admin_get(admin, "/admin/users/1/services?per_page=100");
    cJSON_ArrayForEach(s, api_peek_data(env))
    {
        const cJSON *product = cJSON_GetObjectItemCaseSensitive(s, "product");
        const char *ps = api_peek_str(product, "slug");
        if (!ps || strcmp(ps, slug) != 0)
            continue;
        snprintf(status, n, "%s", api_peek_str(s, "status") ? api_peek_str(s, "status") : "");
        *amount = op_money_of(s, "recurring_price");
        rc = 0;
    }
    cJSON_Delete(env);
    return rc;
}

/* ---- the list, a product, a price, apply, hide, and a stale change ---- */

int scenario_operator_catalog(void)
{
    struct op_run o;
    struct acct admin;
    struct harness *h;
    char row[300], action[200], reason[200], path[160], body[200], status[40];
    cJSON *env = NULL;
    long long amount = 0;
    int rc = -1;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(acct_login(&admin, sett_run_server_url(&o.r), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) == 0);
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    /* the catalog: categories with their products under them */
    H_CHECK(op_key_settled(h, "T", "Operator › Catalog · 5 categories, 23 products") == 0);
    H_CHECK(row_of(h, "Netherite", row, sizeof row) == 0 && strstr(row, "2 left") &&
            strstr(row, "shown") && strstr(row, "$32.99/mo"));
    H_CHECK(row_of(h, "Minecraft", row, sizeof row) == 0 && strstr(row, "7 products"));
    H_CHECK(acct_snapshot(h, "operator_catalog_80x24") == 0);
    H_CHECK(op_key_settled(h, "?", "Restock the selected product") == 0);
    H_CHECK(op_key_settled(h, "x", "Operator › Catalog ·") == 0);
    H_CHECK(!harness_screen_contains(h, "Restock the selected product"));

    /* Iron: every field, price and setup fee, stock and version */
    H_CHECK(catalog_select(h, &admin, "mc-iron") == 0);
    H_CHECK(op_key_settled(h, HK_ENTER, "Operator › Catalog › Iron · version") == 0);
    H_CHECK(row_of(h, "Monthly price", row, sizeof row) == 0 && strstr(row, "$8.99"));
    H_CHECK(row_of(h, "Quarterly price", row, sizeof row) == 0 && strstr(row, "$25.49"));
    H_CHECK(acct_screen_says(h, "unlimited"));
    H_CHECK(acct_snapshot(h, "operator_product_80x24") == 0);

    /* the monthly price, changed: new value, reason, confirmation */
    H_CHECK(harness_send(h, "jjjjjjjjj") == 0); /* Name … Pricing, then the monthly price */
    H_CHECK(op_key_settled(h, "e", "Monthly price of Iron:") == 0);
    H_CHECK(op_key_settled(h, HK_CLEAR "9.99" HK_ENTER, "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, PRICE_REASON HK_ENTER, "from $8.99 to $9.99?") == 0);
    H_CHECK(acct_screen_says(h, "Reason: " PRICE_REASON));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Changed the monthly price of Iron", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "$9.99") == 0);
    const cJSON *iron = product_in(&admin, "mc-iron", &env);
    H_CHECK(iron != NULL);
    const cJSON *monthly = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(iron, "cycles"), 0);
    H_CHECK(number(monthly, "price") == 999);
    long long iron_id = number(iron, "id");
    cJSON_Delete(env);
    env = NULL;
    H_CHECK(audit_of(&admin, iron_id, action, reason, sizeof action) == 0);
    H_CHECK(strcmp(action, "product.update") == 0 && strcmp(reason, PRICE_REASON) == 0);
    /* the customer's Iron keeps its price until the operator applies the new one */
    H_CHECK(service_of(&admin, "mc-iron", status, sizeof status, &amount) == 0 && amount == 899);
    H_CHECK(op_key_settled(h, "M", "Move the services of Iron") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "1 service of Iron moved to today's prices", HARNESS_TIMEOUT_MS) ==
            0);
    H_CHECK(service_of(&admin, "mc-iron", status, sizeof status, &amount) == 0 && amount == 999);

    /* someone else changes Iron first: the stale change is refused and the product reloaded */
    iron = product_in(&admin, "mc-iron", &env);
    H_CHECK(iron != NULL);
    snprintf(path, sizeof path, "/admin/products/%lld", iron_id);
    snprintf(body, sizeof body, "\"%lld\"", number(iron, "version"));
    cJSON_Delete(env);
    env = NULL;
    long code = 0;
    char *resp = NULL;
    H_CHECK(acct_call(&admin, "PATCH", path,
                      "{\"short_description\":\"Now with NVMe.\",\"reason\":\"Copy edit\"}", body,
                      NULL, &code, &resp) == 0);
    free(resp);
    H_CHECK(code == 200);
    H_CHECK(harness_send(h, "g") == 0); /* Name */
    H_CHECK(op_key_settled(h, "e", "New name of Iron:") == 0);
    H_CHECK(op_key_settled(h, HK_CLEAR "Iron Plus" HK_ENTER, "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, "Rename" HK_ENTER, "to \"Iron Plus\"?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Someone else changed this product; reloaded, try again.",
                              HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "Now with NVMe.") == 0);
    H_CHECK(acct_snapshot(h, "operator_product_conflict_80x24") == 0);
    iron = product_in(&admin, "mc-iron", &env);
    H_CHECK(iron && strcmp(api_peek_str(iron, "name"), "Iron") == 0);
    cJSON_Delete(env);
    env = NULL;

    /* hidden from the store, with a reason */
    H_CHECK(op_key_settled(h, "V", "Reason (required):") == 0);
    H_CHECK(op_key_settled(h, HIDE_REASON HK_ENTER, "Hide Iron from the store?") == 0);
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Iron is now hidden.", HARNESS_TIMEOUT_MS) == 0);
    iron = product_in(&admin, "mc-iron", &env);
    H_CHECK(iron && cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(iron, "visible")));
    cJSON_Delete(env);
    env = NULL;
    H_CHECK(audit_of(&admin, iron_id, action, reason, sizeof action) == 0);
    H_CHECK(strcmp(reason, HIDE_REASON) == 0);
    /* back on the list: hidden, at its new price */
    H_CHECK(op_key_settled(h, HK_ESC, "Operator › Catalog ·") == 0);
    H_CHECK(sett_wait_settled(h, "hidden") == 0);
    H_CHECK(row_of(h, "  Iron", row, sizeof row) == 0 && strstr(row, "hidden") &&
            strstr(row, "$9.99/mo"));
    H_CHECK(sett_run_quit(&o.r) == 0);
    rc = 0;
fail:
    cJSON_Delete(env);
    op_stop(&o);
    return rc;
}

/* ---- the journey: restocked by the operator, bought by a customer ---- */

/* A second sett, the demo customer's, on the operator's server (its session stored first). */
static struct harness *customer_start(const char *api, char *config_dir, size_t n)
{
    struct acct me;
    char env_config[600];
    snprintf(config_dir, n, "/tmp/sett-cust-XXXXXX");
    if (!mkdtemp(config_dir) || acct_login(&me, api, ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0 ||
        acct_store_session(config_dir, api, me.access, me.refresh) != 0)
        return NULL;
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", config_dir);
    const char *env[] = {env_config, NULL};
    return harness_start((const char *const[]){SETT_BIN, "--api", api, NULL}, env, 24, 80);
}

static void customer_stop(struct harness **h, const char *config_dir)
{
    char cmd[600];
    harness_free(h);
    if (strncmp(config_dir, "/tmp/sett-cust-", 15) == 0) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", config_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", config_dir);
    }
}

int scenario_operator_catalog_journey(void)
{
    struct op_run o;
    struct acct admin;
    struct harness *h, *c = NULL;
    char row[300], url[512], config_dir[128] = "", action[200], reason[200], status[40];
    cJSON *env = NULL;
    long long amount = 0;
    int rc = -1, exit_status = 0;
    H_CHECK(op_start(&o, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS, "admin", false) == 0);
    h = o.r.h;
    H_CHECK(acct_login(&admin, sett_run_server_url(&o.r), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) == 0);
    H_CHECK(sett_wait_settled(h, "demo@example.com") == 0);
    /* Launch Site is sold out */
    const cJSON *site = product_in(&admin, "rust-launch-site", &env);
    H_CHECK(site != NULL);
    long long site_id = number(site, "id");
    H_CHECK(number(cJSON_GetObjectItemCaseSensitive(site, "stock"), "available") == 0);
    cJSON_Delete(env);
    env = NULL;
    H_CHECK(catalog_select(h, &admin, "rust-launch-site") == 0);
    H_CHECK(row_of(h, "Launch Site", row, sizeof row) == 0 && strstr(row, "sold out"));

    /* the restock in three keys: t, Enter takes the amount offered, y */
    H_CHECK(op_key_settled(h, "t", "Restock Launch Site: how many to add?") == 0);
    H_CHECK(row_of(h, "Restock Launch Site", row, sizeof row) == 0 && strstr(row, "? 10"));
    H_CHECK(op_key_settled(h, HK_ENTER, "Add 10 to the stock of Launch Site") == 0);
    H_CHECK(acct_screen_says(h, "(sold out now, 10 left after)?"));
    H_CHECK(acct_screen_says(h, "Reason: Restock"));
    H_CHECK(harness_send(h, "y") == 0);
    H_CHECK(harness_wait_text(h, "Launch Site: 10 left.", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(h, "10 left") == 0);
    H_CHECK(row_of(h, "Launch Site", row, sizeof row) == 0 && strstr(row, "10 left"));
    H_CHECK(audit_of(&admin, site_id, action, reason, sizeof action) == 0);
    H_CHECK(strcmp(action, "product.stock") == 0 && strcmp(reason, "Restock") == 0);

    /* a customer, in a sett of their own, finds it in stock and buys it */
    H_CHECK((c = customer_start(o.r.api, config_dir, sizeof config_dir)) != NULL);
    H_CHECK(sett_wait_settled(c, "Credit balance") == 0);
    H_CHECK(op_key_settled(c, "s", "Dirt") == 0);
    H_CHECK(harness_send(c, "/Launch Site" HK_ENTER) == 0);
    H_CHECK(sett_wait_settled(c, "Launch Site") == 0);
    H_CHECK(!harness_screen_contains(c, "Sold out"));
    H_CHECK(op_key_settled(c, HK_ENTER, "Due today") == 0);
    H_CHECK(!harness_screen_contains(c, "Sold out"));
    H_CHECK(harness_send(c, "a") == 0);
    H_CHECK(harness_wait_text(c, "Added Launch Site", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(op_key_settled(c, "c", "Due now") == 0);
    H_CHECK(op_key_settled(c, "o", "You pay now") == 0);
    H_CHECK(op_key_settled(c, "p", "You will be charged") == 0);
    H_CHECK(harness_send(c, "y") == 0);
    H_CHECK(harness_wait_text(c, "/sandbox/pay/", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(acct_screen_pay_url(c, url, sizeof url) == 0);
    H_CHECK(acct_sandbox(url, "pay") == 200);
    H_CHECK(harness_wait_text(c, "your order is paid", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(c, "q") == 0);
    H_CHECK(harness_wait_exit(c, harness_ms(5000), &exit_status) == 0);
    H_CHECK(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0);

    /* the operator's list, loaded again, has one fewer */
    H_CHECK(op_key_settled(h, "r", "9 left") == 0);
    H_CHECK(row_of(h, "Launch Site", row, sizeof row) == 0 && strstr(row, "9 left"));
    H_CHECK(sett_run_quit(&o.r) == 0);
    /* the server agrees: 9 in stock, the customer's service set up */
    site = product_in(&admin, "rust-launch-site", &env);
    H_CHECK(site && number(cJSON_GetObjectItemCaseSensitive(site, "stock"), "available") == 9);
    H_CHECK(service_of(&admin, "rust-launch-site", status, sizeof status, &amount) == 0);
    H_CHECK(strcmp(status, "active") == 0 && amount == 2999);
    rc = 0;
fail:
    cJSON_Delete(env);
    if (config_dir[0])
        customer_stop(&c, config_dir);
    op_stop(&o);
    return rc;
}
