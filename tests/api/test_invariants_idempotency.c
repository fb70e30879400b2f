/* test_invariants_idempotency.c: a checkout retried 100 times is one order, one invoice, one
 * charge. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invariants.h"

#define RETRIES 100
#define FUNDS   100000

static struct inv_world world;

/* Everyone sends the same checkout: same key, same body, same If-Match. */
struct storm {
    int user;
    char key[48], etag[32];
    int64_t total;
    long status[RETRIES];
    char code[RETRIES][40];
    int64_t order[RETRIES];
    bool replayed[RETRIES];
    char *body[RETRIES];
};

static void storm_one(int i, void *arg)
{
    struct storm *s = arg;
    struct api_resp r;
    char replay[16] = "";

    if (inv_checkout(&world, s->user, s->key, s->etag, "credits", true, s->total, &r, NULL) == 0) {
        s->status[i] = r.status;
        snprintf(s->code[i], sizeof s->code[i], "%s", api_error_code(&r));
        s->order[i] = api_int(cJSON_GetObjectItemCaseSensitive(api_data(&r), "order"), "id");
        api_header(&r, "Idempotent-Replayed", replay, sizeof replay);
        s->replayed[i] = strcmp(replay, "true") == 0;
        s->body[i] = r.body;
        r.body = NULL;
    }
    api_resp_clear(&r);
}

/* Sends the checkout RETRIES times, all at once or one after another. Every answer is the order
 * (the first one placed it, the others replay it byte for byte) or, while the first is still
 * being placed, idempotency_key_in_progress. Returns how many placed an order. */
static int storm_run(struct storm *s, bool concurrent, const char *first_body)
{
    int placed = 0, answered = 0;
    int64_t order = 0;

    memset(s->status, 0, sizeof s->status);
    if (concurrent)
        assert_int_equal(inv_parallel(RETRIES, storm_one, s), 0);
    else
        for (int i = 0; i < RETRIES; i++)
            storm_one(i, s);
    for (int i = 0; i < RETRIES; i++) {
        if (s->status[i] == 409 && strcmp(s->code[i], "idempotency_key_in_progress") == 0)
            continue;
        if (s->status[i] != 201)
            fail_msg("retry %d answered %ld %s", i, s->status[i], s->code[i]);
        answered++;
        assert_true(s->order[i] > 0);
        if (!order)
            order = s->order[i];
        assert_int_equal(s->order[i], order);
        if (!s->replayed[i])
            placed++;
        else if (first_body)
            assert_string_equal(s->body[i], first_body);
    }
    assert_true(answered > 0);
    return placed;
}

static void storm_free(struct storm *s)
{
    for (int i = 0; i < RETRIES; i++) {
        free(s->body[i]);
        s->body[i] = NULL;
    }
}

/* One order, one invoice, one charge: what the customer's lists and ledger show. */
static void expect_one_charge(int user, int64_t total)
{
    struct api_resp r;
    cJSON *entries, *e;
    int spends = 0;

    assert_int_equal(inv_list_total(&world, user, "/billing/orders"), 1);
    assert_int_equal(inv_list_total(&world, user, "/billing/invoices"), 1);
    assert_int_equal(inv_list_total(&world, user, "/billing/invoices?status=paid"), 1);
    assert_int_equal(inv_call(&world, "GET", "/billing/credits/transactions?per_page=100",
                              world.token[user], NULL, NULL, NULL, &r),
                     0);
    entries = api_data(&r);
    cJSON_ArrayForEach(e, entries)
    {
        if (strcmp(api_str(e, "type"), "spend") == 0) {
            spends++;
            assert_int_equal(inv_money(e, "amount"), -total);
        }
    }
    assert_int_equal(spends, 1);
    api_resp_clear(&r);
    assert_int_equal(
        inv_call(&world, "GET", "/billing/credits", world.token[user], NULL, NULL, NULL, &r), 0);
    assert_int_equal(inv_money(api_data(&r), "balance"), FUNDS - total);
    api_resp_clear(&r);
}

static void prepare(struct storm *s, int user, const char *key)
{
    int64_t dirt = inv_product_id(&world, "mc-dirt");

    memset(s, 0, sizeof *s);
    s->user = user;
    snprintf(s->key, sizeof s->key, "%s", key);
    assert_int_equal(inv_grant_credit(&world, user, FUNDS), 0);
    assert_int_equal(
        inv_cart_add(&world, user, dirt, "monthly", NULL, 1, s->etag, sizeof s->etag, &s->total),
        201);
}

/* Another body under the same key is refused, and a new key finds the cart already ordered. */
static void expect_key_bound_to_its_body(struct storm *s)
{
    struct api_resp r;

    assert_int_equal(
        inv_checkout(&world, s->user, s->key, s->etag, "credits", true, s->total + 1, &r, NULL), 0);
    assert_int_equal(r.status, 409);
    assert_string_equal(api_error_code(&r), "idempotency_key_reused");
    api_resp_clear(&r);
    assert_int_equal(
        inv_checkout(&world, s->user, "another-key", s->etag, "credits", true, s->total, &r, NULL),
        0);
    assert_true(r.status == 409 || r.status == 412);
    api_resp_clear(&r);
}

static void test_concurrent_then_sequential_retries(void **state)
{
    static struct storm s;
    char *first = NULL;

    assert_int_equal(inv_world_start(&world, 2, NULL), 0);
    prepare(&s, 0, "checkout-concurrent");
    assert_int_equal(storm_run(&s, true, NULL), 1);
    for (int i = 0; i < RETRIES && !first; i++)
        if (s.status[i] == 201 && !s.replayed[i])
            first = strdup(s.body[i]);
    assert_non_null(first);
    storm_free(&s);
    assert_int_equal(storm_run(&s, false, first), 0);
    storm_free(&s);
    expect_key_bound_to_its_body(&s);
    expect_one_charge(0, s.total);
    free(first);
    assert_int_equal(inv_world_finish(&world), 0);
}

static void test_sequential_then_concurrent_retries(void **state)
{
    static struct storm s;
    char *first = NULL;

    assert_int_equal(inv_world_start(&world, 2, NULL), 0);
    prepare(&s, 1, "checkout-sequential");
    assert_int_equal(storm_run(&s, false, NULL), 1);
    assert_false(s.replayed[0]);
    first = strdup(s.body[0]);
    storm_free(&s);
    assert_int_equal(storm_run(&s, true, first), 0);
    storm_free(&s);
    expect_key_bound_to_its_body(&s);
    expect_one_charge(1, s.total);
    free(first);
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
        cmocka_unit_test_teardown(test_concurrent_then_sequential_retries, teardown),
        cmocka_unit_test_teardown(test_sequential_then_concurrent_retries, teardown),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}
