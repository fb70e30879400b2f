/* test_invariants_credits.c: credit spent concurrently never goes below zero; ledgers add up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "invariants.h"

#define USERS    4
#define INVOICES 6 /* unpaid invoices per customer, all paid with credits at once */
#define REMOVALS 2 /* operator removals of REMOVED racing with them */
#define REMOVED  100
#define PER_USER (INVOICES + REMOVALS)

static struct inv_world world;

struct spree {
    int64_t invoice[USERS][INVOICES];
    int64_t total; /* every invoice is the same plan */
    long status[USERS * PER_USER];
    char code[USERS * PER_USER][40];
};

/* Places an order paid by card later: its invoice stays pending. */
static int64_t unpaid_invoice(int user, int n, int64_t *total)
{
    int64_t dirt = inv_product_id(&world, "mc-dirt"), id;
    char etag[32], key[48];
    struct api_resp r;

    assert_int_equal(inv_cart_add(&world, user, dirt, "monthly", NULL, 1, etag, sizeof etag, total),
                     201);
    snprintf(key, sizeof key, "order-%d-%d", user, n);
    assert_int_equal(inv_checkout(&world, user, key, etag, "stripe", false, *total, &r, NULL), 0);
    assert_int_equal(r.status, 201);
    id = api_int(cJSON_GetObjectItemCaseSensitive(api_data(&r), "invoice"), "id");
    api_resp_clear(&r);
    assert_true(id > 0);
    return id;
}

static void spree_one(int i, void *arg)
{
    struct spree *s = arg;
    int user = i / PER_USER, k = i % PER_USER;
    char path[96], key[48], body[160];
    struct api_resp r;
    int rc;

    snprintf(key, sizeof key, "spree-%d", i);
    if (k < INVOICES) {
        snprintf(path, sizeof path, "/billing/invoices/%" PRId64 "/payments", s->invoice[user][k]);
        rc = inv_call(&world, "POST", path, world.token[user], key, NULL,
                      "{\"payment_method\":\"credits\"}", &r);
    } else {
        snprintf(path, sizeof path, "/admin/users/%" PRId64 "/credits", world.user_id[user]);
        snprintf(body, sizeof body,
                 "{\"amount\":{\"amount\":%d,\"currency\":\"USD\"},\"reason\":\"Race\"}", -REMOVED);
        rc = inv_call(&world, "POST", path, world.admin, key, NULL, body, &r);
    }
    if (rc == 0) {
        s->status[i] = r.status;
        snprintf(s->code[i], sizeof s->code[i], "%s", api_error_code(&r));
    }
    api_resp_clear(&r);
}

/* The customer's ledger through the API: sums to the balance, each entry follows the last. */
static int64_t ledger_sum(int user, int *spends)
{
    struct api_resp r;
    cJSON *e;
    int64_t sum = 0, after = -1;

    *spends = 0;
    assert_int_equal(inv_call(&world, "GET", "/billing/credits/transactions?per_page=100",
                              world.token[user], NULL, NULL, NULL, &r),
                     0);
    /* Newest first: each entry's balance_after minus its amount is the next one's. */
    cJSON_ArrayForEach(e, api_data(&r))
    {
        int64_t amount = inv_money(e, "amount"), balance_after = inv_money(e, "balance_after");

        assert_true(balance_after >= 0);
        if (after >= 0)
            assert_int_equal(balance_after, after);
        after = balance_after - amount;
        sum += amount;
        *spends += strcmp(api_str(e, "type"), "spend") == 0;
    }
    assert_int_equal(after, 0); /* the oldest entry started from nothing */
    api_resp_clear(&r);
    return sum;
}

static void test_concurrent_spending_stays_covered(void **state)
{
    static struct spree s;
    int64_t funds;

    assert_int_equal(inv_world_start(&world, USERS, NULL), 0);
    for (int u = 0; u < USERS; u++)
        for (int k = 0; k < INVOICES; k++)
            s.invoice[u][k] = unpaid_invoice(u, k, &s.total);
    /* Enough for three and a half invoices: some payments must be refused. */
    funds = 3 * s.total + s.total / 2;
    for (int u = 0; u < USERS; u++)
        assert_int_equal(inv_grant_credit(&world, u, funds), 0);

    assert_int_equal(inv_parallel(USERS * PER_USER, spree_one, &s), 0);

    for (int u = 0; u < USERS; u++) {
        int paid = 0, removed = 0, spends;
        int64_t balance;
        struct api_resp r;

        for (int k = 0; k < PER_USER; k++) {
            int i = u * PER_USER + k;

            if (k < INVOICES && s.status[i] == 201)
                paid++;
            else if (k >= INVOICES && s.status[i] == 201)
                removed++;
            else if (!(k < INVOICES && s.status[i] == 402 &&
                       strcmp(s.code[i], "insufficient_credits") == 0) &&
                     !(k >= INVOICES && s.status[i] == 422))
                fail_msg("customer %d, request %d: %ld %s", u, k, s.status[i], s.code[i]);
        }
        assert_true(paid >= 2 && paid <= 3);
        assert_int_equal(
            inv_call(&world, "GET", "/billing/credits", world.token[u], NULL, NULL, NULL, &r), 0);
        balance = inv_money(api_data(&r), "balance");
        api_resp_clear(&r);
        assert_true(balance >= 0);
        assert_int_equal(balance, funds - paid * s.total - removed * REMOVED);
        assert_int_equal(ledger_sum(u, &spends), balance);
        assert_int_equal(spends, paid);
        assert_int_equal(inv_list_total(&world, u, "/billing/invoices?status=paid"), paid);
        assert_int_equal(inv_list_total(&world, u, "/billing/invoices?status=pending"),
                         INVOICES - paid);
    }
    assert_int_equal(inv_world_finish(&world), 0);
}

static int teardown(void **state)
{
    inv_world_abandon(&world);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_concurrent_spending_stays_covered, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
