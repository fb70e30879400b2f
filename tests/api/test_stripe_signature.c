/* test_stripe_signature.c: the server's check of Stripe-Signature agrees with Stripe's own code:
 * events signed by Stripe's Node library (tools/stripe-sign.js, generateTestHeaderString) are
 * accepted, and the same events with one byte changed, another secret or an old timestamp are
 * refused, as Stripe's own constructEvent refuses them. */
#include "commerce_fixture.h"

#include "fake_stripe.h"

#include <time.h>
#include <unistd.h>

static struct api_server server;
static struct fake_stripe *stripe;
static char demo[128], key_file[300], hook_file[300];

static int setup(void **state)
{
    char dir[] = "/tmp/sett-stripesig-XXXXXX";
    const char *args[12];
    FILE *f;

    (void)state;
    if (!(stripe = fake_stripe_start()) || !mkdtemp(dir))
        return -1;
    snprintf(key_file, sizeof key_file, "%s/sk", dir);
    snprintf(hook_file, sizeof hook_file, "%s/whsec", dir);
    if (!(f = fopen(key_file, "w")) || fputs(FAKE_STRIPE_API_KEY "\n", f) < 0 || fclose(f) != 0 ||
        !(f = fopen(hook_file, "w")) || fputs(FAKE_STRIPE_WEBHOOK_SECRET, f) < 0 || fclose(f) != 0)
        return -1;
    args[0] = "--stripe-secret-key-file";
    args[1] = key_file;
    args[2] = "--stripe-webhook-secret-file";
    args[3] = hook_file;
    args[4] = "--stripe-api-base";
    args[5] = fake_stripe_url(stripe);
    args[6] = "--public-url";
    args[7] = "https://shop.example.com";
    args[8] = NULL;
    if (api_server_start(&server, args) != 0)
        return -1;
    adm_login(&server, DEMO_EMAIL, DEMO_PASSWORD, demo);
    return 0;
}

static int teardown(void **state)
{
    int rc = api_server_stop(&server);

    (void)state;
    api_server_cleanup(&server);
    fake_stripe_stop(&stripe);
    unlink(key_file);
    unlink(hook_file);
    return rc == 0 ? 0 : -1;
}

/* Stripe's Node library signs `body` with `secret` at `t`; the header, and whether Stripe's own
 * constructEvent accepts it now. */
static bool stripe_signs(const char *secret, int64_t t, const char *body, char *header, size_t size)
{
    char stamp[32], out[1024], err[1024];
    const char *argv[] = {VALIDATOR_NODE, STRIPE_SIGN_SCRIPT, secret, stamp, body, NULL};
    char *nl;

    snprintf(stamp, sizeof stamp, "%lld", (long long)t);
    if (api_run(argv, out, sizeof out, err, sizeof err) != 0) {
        fprintf(stderr, "stripe-sign.js failed (run `npm ci --prefix tools`): %s\n", err);
        fail();
    }
    nl = strchr(out, '\n');
    assert_non_null(nl);
    *nl = '\0';
    assert_true(strlen(out) < size);
    memcpy(header, out, strlen(out) + 1);
    return strcmp(nl + 1, "verified\n") == 0;
}

static long post(const char *body, const char *header)
{
    struct api_server root = cm_root(&server);
    char sig[512];
    const char *headers[] = {"Content-Type: application/json", sig, NULL};
    struct api_resp r;
    long status;

    snprintf(sig, sizeof sig, "Stripe-Signature: %s", header);
    assert_int_equal(api_call(&root, "POST", "/api/billing/webhooks/stripe", NULL, headers, body,
                              strlen(body), &r),
                     0);
    status = r.status;
    if (status == 400)
        assert_string_equal(api_error_code(&r), "invalid_signature");
    api_resp_clear(&r);
    return status;
}

static void test_events_signed_by_stripes_library(void **state)
{
    struct api_resp r;
    char header[512], session[96], id[64], path[64];
    const char *url;
    char *body;
    int64_t payment, now = (int64_t)time(NULL);

    (void)state;
    cm_add(&server, demo, "{\"product_id\":16,\"cycle\":\"monthly\"}");
    cm_checkout(&server, demo, "stripe", false, "sig-buy-1", &r);
    adm_expect(&r, 201, NULL);
    payment = api_int(cJSON_GetObjectItem(api_data(&r), "payment"), "id");
    url = api_str(cJSON_GetObjectItem(cJSON_GetObjectItem(api_data(&r), "payment"), "next_action"),
                  "url");
    snprintf(session, sizeof session, "%s", strstr(url, "/c/pay/") + 7);
    api_resp_clear(&r);
    assert_int_equal(fake_stripe_complete(stripe, session, "paid", -1), 0);
    body = fake_stripe_event(stripe, session, "checkout.session.completed", id);
    assert_non_null(body);

    /* Refused by both: another secret, an old timestamp, a changed byte. */
    /* (Stripe's library accepts that one back only with the other secret.) */
    assert_true(stripe_signs("whsec_another_secret", now, body, header, sizeof header));
    assert_int_equal(post(body, header), 400);
    assert_false(stripe_signs(FAKE_STRIPE_WEBHOOK_SECRET, now - 400, body, header, sizeof header));
    assert_int_equal(post(body, header), 400);
    assert_true(stripe_signs(FAKE_STRIPE_WEBHOOK_SECRET, now, body, header, sizeof header));
    {
        char *changed = strdup(body), *digit = strstr(changed, "\"amount_total\":") + 15;

        *digit = *digit == '9' ? '8' : (char)(*digit + 1);
        assert_int_equal(post(changed, header), 400);
        free(changed);
    }
    /* Nothing happened so far; the operator's view does not ask Stripe. */
    snprintf(path, sizeof path, "/billing/payments/%lld", (long long)payment);

    /* Accepted: exactly what Stripe's library signed. */
    assert_int_equal(post(body, header), 200);
    cm_call(&server, "GET", path, demo, NULL, -1, NULL, &r);
    adm_expect(&r, 200, NULL);
    assert_string_equal(api_str(api_data(&r), "status"), "paid");
    api_resp_clear(&r);
    free(body);

    /* Another event type, signed by Stripe's library: accepted and ignored. */
    body = strdup("{\"id\":\"evt_other_1\",\"object\":\"event\",\"type\":\"customer.created\","
                  "\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\"}}}");
    assert_true(stripe_signs(FAKE_STRIPE_WEBHOOK_SECRET, now, body, header, sizeof header));
    assert_int_equal(post(body, header), 200);
    free(body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_signed_by_stripes_library),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
