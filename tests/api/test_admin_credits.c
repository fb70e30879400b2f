/* test_admin_credits.c: operators add and remove credit with a reason: one ledger row each, never
 * below zero, audited, and safe to retry with the same Idempotency-Key. */
#include "admin_fixture.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>

static struct api_server server;
static char demo[128], admin[128];
static int64_t start_entries; /* the demo seed may give the customer credit to begin with */

#define ADD_500 "{\"amount\":{\"amount\":500,\"currency\":\"USD\"},\"reason\":\"Goodwill\"}"

static int64_t balance(void)
{
    struct api_resp r;
    int64_t b;

    adm_call(&server, "GET", "/admin/users/1/credits", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    b = adm_money(api_data(&r), "balance");
    api_resp_clear(&r);
    return b;
}

static int64_t ledger_entries(void)
{
    struct api_resp r;
    int64_t n;

    adm_call(&server, "GET", "/admin/users/1/credits/transactions", admin, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    n = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    api_resp_clear(&r);
    return n;
}

static void test_add_and_remove(void **state)
{
    struct api_resp r;
    int64_t start = balance();
    cJSON *d;

    start_entries = ledger_entries();
    adm_call(&server, "POST", "/admin/users/1/credits", admin, ADD_500, "add-1", &r);
    adm_expect(&r, 201, NULL);
    d = api_data(&r);
    assert_string_equal(api_str(d, "type"), "adjustment");
    assert_int_equal(adm_money(d, "amount"), 500);
    assert_int_equal(adm_money(d, "balance_after"), start + 500);
    assert_string_equal(api_str(d, "description"), "Goodwill");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(d, "invoice_id")));
    api_resp_clear(&r);

    adm_call(&server, "POST", "/admin/users/1/credits", admin,
             "{\"amount\":{\"amount\":-200,\"currency\":\"USD\"},\"reason\":\"Charged back\"}",
             "remove-1", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(api_data(&r), "amount"), -200);
    assert_int_equal(adm_money(api_data(&r), "balance_after"), start + 300);
    api_resp_clear(&r);
    assert_int_equal(balance(), start + 300);

    /* The account overview agrees. */
    adm_call(&server, "GET", "/admin/users/1", admin, NULL, NULL, &r);
    assert_int_equal(adm_money(api_data(&r), "credit_balance"), start + 300);
    api_resp_clear(&r);
}

static void test_never_below_zero(void **state)
{
    struct api_resp r;
    int64_t before = balance();
    char body[128];

    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%lld,\"currency\":\"USD\"},\"reason\":\"Too much\"}",
             (long long)-(before + 1));
    adm_call(&server, "POST", "/admin/users/1/credits", admin, body, "too-much", &r);
    adm_expect(&r, 422, "validation_failed");
    assert_non_null(strstr(adm_field(&r, "amount"), "below zero"));
    api_resp_clear(&r);
    assert_int_equal(balance(), before);
    /* Exactly to zero is fine. */
    snprintf(body, sizeof body,
             "{\"amount\":{\"amount\":%lld,\"currency\":\"USD\"},\"reason\":\"All of it\"}",
             (long long)-before);
    adm_call(&server, "POST", "/admin/users/1/credits", admin, body, "to-zero", &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(adm_money(api_data(&r), "balance_after"), 0);
    api_resp_clear(&r);
    adm_call(&server, "POST", "/admin/users/1/credits", admin,
             "{\"amount\":{\"amount\":-1,\"currency\":\"USD\"},\"reason\":\"More\"}", "more", &r);
    adm_expect(&r, 422, "validation_failed");
    api_resp_clear(&r);
    assert_int_equal(balance(), 0);
}

static void test_idempotent(void **state)
{
    struct api_resp first, again;
    char replayed[16];
    int64_t before = balance();

    adm_call(&server, "POST", "/admin/users/1/credits", admin, ADD_500, "retry-me", &first);
    adm_expect(&first, 201, NULL);
    assert_int_not_equal(api_header(&first, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    adm_call(&server, "POST", "/admin/users/1/credits", admin, ADD_500, "retry-me", &again);
    adm_expect(&again, 201, NULL);
    assert_string_equal(first.body, again.body);
    assert_int_equal(api_header(&again, "Idempotent-Replayed", replayed, sizeof replayed), 0);
    assert_string_equal(replayed, "true");
    api_resp_clear(&first);
    api_resp_clear(&again);
    assert_int_equal(balance(), before + 500); /* once */

    adm_call(&server, "POST", "/admin/users/1/credits", admin,
             "{\"amount\":{\"amount\":700,\"currency\":\"USD\"},\"reason\":\"Goodwill\"}",
             "retry-me", &first);
    adm_expect(&first, 409, "idempotency_key_reused");
    api_resp_clear(&first);
    adm_check(&server, "POST", "/admin/users/1/credits", admin, ADD_500, 400,
              "idempotency_key_required");
    assert_int_equal(balance(), before + 500);
}

static void test_validation(void **state)
{
    static const struct {
        const char *body, *field;
    } bad[] = {
        {"{\"reason\":\"x\"}", "amount"},
        {"{\"amount\":{\"amount\":0,\"currency\":\"USD\"},\"reason\":\"x\"}", "amount.amount"},
        {"{\"amount\":{\"amount\":1.5,\"currency\":\"USD\"},\"reason\":\"x\"}", "amount.amount"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"EUR\"},\"reason\":\"x\"}", "amount.currency"},
        {"{\"amount\":{\"amount\":5},\"reason\":\"x\"}", "amount.currency"},
        {"{\"amount\":500,\"reason\":\"x\"}", "amount"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"USD\"}}", "reason"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"USD\"},\"reason\":\"\"}", "reason"},
        {"{\"amount\":{\"amount\":5,\"currency\":\"USD\"},\"reason\":7}", "reason"},
    };
    struct api_resp r;
    char key[32];

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(key, sizeof key, "bad-%zu", i);
        adm_call(&server, "POST", "/admin/users/1/credits", admin, bad[i].body, key, &r);
        adm_expect(&r, 422, "validation_failed");
        assert_true(adm_field(&r, bad[i].field)[0] != '\0');
        api_resp_clear(&r);
    }
    adm_call(&server, "POST", "/admin/users/999/credits", admin, ADD_500, "nobody", &r);
    adm_expect(&r, 404, "not_found");
    api_resp_clear(&r);
}

/* The ledger holds every change, newest first, and the audit log who made it and why. */
static void test_ledger_and_audit(void **state)
{
    struct api_resp r;
    cJSON *list, *e;
    int64_t total;

    adm_call(&server, "GET", "/admin/users/1/credits/transactions?per_page=100", admin, NULL, NULL,
             &r);
    adm_expect(&r, 200, NULL);
    list = api_data(&r);
    total = api_int(cJSON_GetObjectItem(r.json, "meta"), "total");
    assert_int_equal(cJSON_GetArraySize(list), total);
    /* +500, -200, -all, +500: the replay added nothing. */
    assert_int_equal(total, start_entries + 4);
    assert_int_equal(adm_money(cJSON_GetArrayItem(list, 0), "balance_after"), 500);
    assert_int_equal(adm_money(cJSON_GetArrayItem(list, 1), "balance_after"), 0);
    assert_int_equal(adm_money(cJSON_GetArrayItem(list, 3), "amount"), 500);
    api_resp_clear(&r);

    adm_call(&server, "GET", "/admin/audit-log?target_type=user&target_id=1", admin, NULL, NULL,
             &r);
    adm_expect(&r, 200, NULL);
    assert_int_equal(api_int(cJSON_GetObjectItem(r.json, "meta"), "total"), 4);
    e = cJSON_GetArrayItem(api_data(&r), 0);
    assert_string_equal(api_str(e, "action"), "credits.adjust");
    assert_string_equal(api_str(e, "reason"), "Goodwill");
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "actor"), "id"), 2);
    assert_int_equal(api_int(cJSON_GetObjectItem(e, "details"), "amount"), 500);
    api_resp_clear(&r);
}

/* An operator's admin key acts for the operator; the log names the key. */
static void test_by_api_key(void **state)
{
    char key[64];
    int64_t key_id = adm_key(&server, admin, "[\"admin\"]", key);
    struct api_resp r;
    cJSON *actor;

    adm_call(&server, "POST", "/admin/users/1/credits", key, ADD_500, "by-key", &r);
    adm_expect(&r, 201, NULL);
    api_resp_clear(&r);
    adm_call(&server, "GET", "/admin/audit-log?per_page=1", admin, NULL, NULL, &r);
    actor = cJSON_GetObjectItem(cJSON_GetArrayItem(api_data(&r), 0), "actor");
    assert_string_equal(api_str(actor, "type"), "api_key");
    assert_int_equal(api_int(actor, "id"), key_id);
    assert_string_equal(api_str(actor, "name"), "test key");
    api_resp_clear(&r);
    /* A customer's token never reaches this. */
    adm_call(&server, "POST", "/admin/users/1/credits", demo, ADD_500, "sneaky", &r);
    adm_expect(&r, 403, "forbidden");
    api_resp_clear(&r);
}

#define RACERS 8

struct racer {
    pthread_t thread;
    const char *body;
    char key[32];
    long status;
    char *answer;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    char header[64];
    const char *headers[] = {"Content-Type: application/json", header, NULL};
    struct api_resp r;

    snprintf(header, sizeof header, "Idempotency-Key: %s", x->key);
    if (api_call(&server, "POST", "/admin/users/1/credits", admin, headers, x->body,
                 strlen(x->body), &r) == 0) {
        x->status = r.status;
        x->answer = r.body ? strdup(r.body) : NULL;
    }
    api_resp_clear(&r);
    return NULL;
}

static void run_racers(struct racer *racers)
{
    for (int i = 0; i < RACERS; i++)
        assert_int_equal(pthread_create(&racers[i].thread, NULL, race, &racers[i]), 0);
    for (int i = 0; i < RACERS; i++)
        pthread_join(racers[i].thread, NULL);
}

/* Retries racing each other with one key move the balance once; removals racing each other never
 * take it below zero. */
static void test_races(void **state)
{
    struct racer racers[RACERS];
    int ok = 0, refused = 0;

    adm_set_balance(&server, admin, 1, 0);
    memset(racers, 0, sizeof racers);
    for (int i = 0; i < RACERS; i++) {
        racers[i].body = ADD_500;
        snprintf(racers[i].key, sizeof racers[i].key, "race-same");
    }
    run_racers(racers);
    for (int i = 0; i < RACERS; i++) {
        assert_int_equal(racers[i].status, 201);
        assert_non_null(racers[i].answer);
        assert_string_equal(racers[i].answer, racers[0].answer);
    }
    for (int i = 0; i < RACERS; i++)
        free(racers[i].answer);
    assert_int_equal(balance(), 500);

    memset(racers, 0, sizeof racers);
    for (int i = 0; i < RACERS; i++) {
        racers[i].body = "{\"amount\":{\"amount\":-100,\"currency\":\"USD\"},\"reason\":\"Race\"}";
        snprintf(racers[i].key, sizeof racers[i].key, "race-%d", i);
    }
    run_racers(racers);
    for (int i = 0; i < RACERS; i++) {
        ok += racers[i].status == 201;
        refused += racers[i].status == 422;
        free(racers[i].answer);
    }
    assert_int_equal(ok, 5);
    assert_int_equal(refused, RACERS - 5);
    assert_int_equal(balance(), 0);
}

static int setup(void **state)
{
    char refresh[128];

    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (api_server_start(&server, NULL) != 0)
        return -1;
    return api_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo, refresh) ||
           api_login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, admin, refresh);
}

static int teardown(void **state)
{
    /* A clean stop: no crash, and under the sanitizers no leak reported at exit. */
    int rc = api_server_stop(&server);

    api_server_cleanup(&server);
    curl_global_cleanup();
    return rc;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_remove),
        cmocka_unit_test(test_never_below_zero),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_ledger_and_audit),
        cmocka_unit_test(test_by_api_key),
        cmocka_unit_test(test_races),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
