/* test_doors.c: no default doors: a server without --sandbox has no sandbox gateway (every
 * /sandbox/... path is an unknown path, checkout with a card gateway is refused, the status says
 * sandbox: false); a database without --demo holds no account until `sett-billingd admin create`
 * makes an operator; --sandbox alone runs the gateway without the demo accounts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "admin_fixture.h"
#include "api_fixture.h"

#define OPERATOR_EMAIL    "first.operator@shop.test"
#define OPERATOR_PASSWORD "a long enough passphrase"

struct raw_resp {
    long status;
    char body[2048];
    size_t len;
};

static size_t raw_keep(char *data, size_t size, size_t n, void *user)
{
    struct raw_resp *r = user;
    size_t take = size * n;

    if (take > sizeof r->body - 1 - r->len)
        take = sizeof r->body - 1 - r->len;
    memcpy(r->body + r->len, data, take);
    r->len += take;
    r->body[r->len] = '\0';
    return size * n;
}

/* A request to a path outside /api/v1 (the sandbox page lives at the server's root). */
static void raw_call(const struct api_server *s, const char *method, const char *path,
                     const char *form, struct raw_resp *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[256];

    memset(r, 0, sizeof *r);
    assert_non_null(c);
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", (unsigned)s->port, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (form) {
        h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded");
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, raw_keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
}

/* GET /billing/status: its sandbox flag, and whether `gateway` is listed. */
static bool status_sandbox(const struct api_server *s, const char *gateway, bool *listed)
{
    struct api_resp r;
    const cJSON *gw, *g;
    bool sandbox;

    assert_int_equal(api_get(s, "/billing/status", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_true(cJSON_IsBool(cJSON_GetObjectItem(api_data(&r), "sandbox")));
    sandbox = cJSON_IsTrue(cJSON_GetObjectItem(api_data(&r), "sandbox"));
    gw = cJSON_GetObjectItem(api_data(&r), "gateways");
    *listed = false;
    cJSON_ArrayForEach(g, gw)
    {
        if (cJSON_IsString(g) && strcmp(g->valuestring, gateway) == 0)
            *listed = true;
    }
    api_resp_clear(&r);
    return sandbox;
}

/* `sett-billingd admin create` on the server's database with the password on stdin. */
static int admin_create(const struct api_server *s, const char *email, const char *password,
                        char *err, size_t errsz)
{
    char db[300], cmd[1024], out[512] = "";
    FILE *p;
    int status;

    snprintf(db, sizeof db, "%s/billing.db", s->dir);
    snprintf(cmd, sizeof cmd,
             "printf '%%s\\n' '%s' | '%s' admin create --email '%s' --name 'First Operator' "
             "--db '%s' 2>&1",
             password, BILLINGD_PATH, email, db);
    assert_non_null(p = popen(cmd, "r"));
    while (fgets(out + strlen(out), (int)(sizeof out - strlen(out)), p))
        ;
    status = pclose(p);
    snprintf(err, errsz, "%s", out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Without --sandbox: no sandbox page, no card gateway, sandbox: false. */
static void test_no_sandbox(void **state)
{
    struct api_server s;
    struct raw_resp r;
    static const char *const paths[] = {"/sandbox", "/sandbox/", "/sandbox/pay/ps_abcdefghijklmnop",
                                        "/sandbox/pay/x/y", "/sandbox/anything"};
    bool listed;

    (void)state;
    assert_int_equal(api_server_start_mode(&s, NULL, NULL), 0);
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        raw_call(&s, "GET", paths[i], NULL, &r);
        assert_int_equal(r.status, 404);
        assert_non_null(strstr(r.body, "\"code\":\"not_found\""));
        raw_call(&s, "POST", paths[i], "action=pay", &r);
        assert_int_equal(r.status, 404);
        assert_non_null(strstr(r.body, "\"code\":\"not_found\""));
        raw_call(&s, "PUT", paths[i], NULL, &r); /* not 405: there is no such path */
        assert_int_equal(r.status, 404);
    }
    assert_false(status_sandbox(&s, "stripe", &listed));
    assert_false(listed);
    assert_false(status_sandbox(&s, "paypal", &listed));
    assert_false(listed);
    assert_false(status_sandbox(&s, "credits", &listed));
    assert_true(listed);
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

/* A new database without --demo holds no account: the demo passwords sign no one in, and the
 * first operator comes from `admin create`, which refuses short passwords and taken e-mails. */
static void test_no_accounts_then_admin_create(void **state)
{
    struct api_server s;
    struct api_resp r;
    char access[128], refresh[128], token[128], err[512];
    cJSON *users, *u;

    (void)state;
    assert_int_equal(api_server_start_mode(&s, NULL, NULL), 0);
    adm_check(&s, "POST", "/auth/login", NULL,
              "{\"email\":\"" DEMO_EMAIL "\",\"password\":\"" DEMO_PASSWORD "\"}", 401, NULL);
    adm_check(&s, "POST", "/auth/login", NULL,
              "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" ADMIN_PASSWORD "\"}", 401, NULL);

    assert_int_equal(admin_create(&s, OPERATOR_EMAIL, "short", err, sizeof err), 4);
    assert_non_null(strstr(err, "at least 12 characters"));
    assert_int_equal(api_login(&s, OPERATOR_EMAIL, "short", access, refresh), -1);

    assert_int_equal(admin_create(&s, OPERATOR_EMAIL, OPERATOR_PASSWORD, err, sizeof err), 0);
    assert_int_equal(
        admin_create(&s, "FIRST.operator@shop.test", "another long password", err, sizeof err), 3);
    assert_non_null(strstr(err, "already exists"));
    assert_int_equal(admin_create(&s, "not-an-address", OPERATOR_PASSWORD, err, sizeof err), 4);

    adm_login(&s, OPERATOR_EMAIL, OPERATOR_PASSWORD, token);
    adm_call(&s, "GET", "/admin/users", token, NULL, NULL, &r);
    adm_expect(&r, 200, NULL);
    users = api_data(&r);
    assert_int_equal(cJSON_GetArraySize(users), 1);
    u = cJSON_GetArrayItem(users, 0);
    assert_string_equal(api_str(u, "email"), OPERATOR_EMAIL);
    assert_string_equal(api_str(u, "role"), "admin");
    api_resp_clear(&r);
    /* the duplicate with another password changed nothing */
    assert_int_equal(api_login(&s, OPERATOR_EMAIL, "another long password", access, refresh), -1);
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

/* Checkout with a card gateway on a server without the sandbox: payment_method_unavailable. */
static void test_checkout_stripe_refused(void **state)
{
    struct api_server s;
    struct api_resp r;
    char token[128], etag[32], if_match[64], err[512], body[256];
    const char *headers[4] = {"Content-Type: application/json", if_match,
                              "Idempotency-Key: doors-1", NULL};
    const char *methods[] = {"stripe", "paypal"};

    (void)state;
    assert_int_equal(api_server_start_mode(&s, NULL, NULL), 0);
    assert_int_equal(admin_create(&s, OPERATOR_EMAIL, OPERATOR_PASSWORD, err, sizeof err), 0);
    adm_login(&s, OPERATOR_EMAIL, OPERATOR_PASSWORD, token);
    adm_call(&s, "POST", "/billing/cart/items", token, "{\"product_id\":16,\"cycle\":\"monthly\"}",
             NULL, &r);
    adm_expect(&r, 201, NULL);
    assert_int_equal(api_header(&r, "ETag", etag, sizeof etag), 0);
    api_resp_clear(&r);
    snprintf(if_match, sizeof if_match, "If-Match: %s", etag);
    for (size_t i = 0; i < 2; i++) {
        snprintf(body, sizeof body,
                 "{\"payment_method\":\"%s\",\"use_credits\":false,"
                 "\"expected_total\":{\"amount\":239,\"currency\":\"USD\"}}",
                 methods[i]);
        headers[2] = i == 0 ? "Idempotency-Key: doors-1" : "Idempotency-Key: doors-2";
        assert_int_equal(
            api_call(&s, "POST", "/billing/checkout", token, headers, body, strlen(body), &r), 0);
        adm_expect(&r, 422, "payment_method_unavailable");
        assert_string_equal(adm_field(&r, "payment_method"), "is not enabled");
        api_resp_clear(&r);
    }
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

/* --sandbox alone: the gateway runs (status, page) but the database holds no account. */
static void test_sandbox_without_demo(void **state)
{
    struct api_server s;
    struct raw_resp r;
    bool listed;

    (void)state;
    assert_int_equal(api_server_start_mode(&s, "--sandbox", NULL), 0);
    assert_true(status_sandbox(&s, "stripe", &listed));
    assert_true(listed);
    assert_true(status_sandbox(&s, "paypal", &listed));
    assert_true(listed);
    /* the page exists: an unknown token is its own HTML 404, not the unknown-path JSON */
    raw_call(&s, "GET", "/sandbox/pay/ps_abcdefghijklmnop", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<!doctype html>"));
    adm_check(&s, "POST", "/auth/login", NULL,
              "{\"email\":\"" DEMO_EMAIL "\",\"password\":\"" DEMO_PASSWORD "\"}", 401, NULL);
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

/* --demo: the sandbox and the demo accounts. */
static void test_demo(void **state)
{
    struct api_server s;
    char token[128];
    bool listed;

    (void)state;
    assert_int_equal(api_server_start(&s, NULL), 0);
    assert_true(status_sandbox(&s, "stripe", &listed));
    assert_true(listed);
    adm_login(&s, DEMO_EMAIL, DEMO_PASSWORD, token);
    adm_login(&s, ADMIN_EMAIL, ADMIN_PASSWORD, token);
    assert_int_equal(api_server_stop(&s), 0);
    api_server_cleanup(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_sandbox),
        cmocka_unit_test(test_no_accounts_then_admin_create),
        cmocka_unit_test(test_checkout_stripe_refused),
        cmocka_unit_test(test_sandbox_without_demo),
        cmocka_unit_test(test_demo),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
