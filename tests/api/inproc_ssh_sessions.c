/* inproc_ssh_sessions.c: the tokens of SSH sessions do not pile up. Sign-ins by one key through
 * settd's own calls (POST /auth/ssh with its service key, POST /auth/logout with the refresh token
 * at disconnect) leave no live token behind, even when sett rotated the pair meanwhile; the
 * scheduler's pass deletes revoked and expired rows, but keeps a rotated token while its sign-in
 * lives, so that its reuse is still caught, and never a token still accepted: tokens live by the
 * real clock, not the server's test clock. */
#include "inproc_commerce.h"

#include "billing/auth.h"
#include "ssh/signin.h"

#define KEY_A                                                                                      \
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEm/ussHSg9rHA2FfyjUGey/K4mpYLVN/Tgx9/xVtw5z "            \
    "player@laptop"
#define FP_A     "SHA256:LAazDM1vqNWl/imCM8ECEGTpz8LN0Tm4kTZanR99x2s"
#define SESSIONS 1000
#define HANDFUL  3
#define LIVE_ROWS                                                                                  \
    "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL AND expires_at > unixepoch()"
#define ALL_ROWS                                                                                   \
    "SELECT (SELECT count(*) FROM refresh_tokens) + (SELECT count(*) FROM access_tokens)"

static void start(struct cx *t, char *service_key, size_t size)
{
    char err[256];

    cx_start(t, 0, 0);
    if (billingd_service_key(t->d, "settd", service_key, size, err, sizeof err) != 0)
        fail_msg("billingd_service_key: %s", err);
}

/* A refresh of the pair, as sett does when its access token runs out; the new refresh token. */
static void rotate(struct cx *t, const char *refresh, char *out, size_t size)
{
    char body[640];
    struct cx_resp r;

    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", refresh);
    assert_int_equal(cx_call(t, "POST", "/api/v1/auth/refresh", NULL, NULL, body, &r), 200);
    snprintf(out, size, "%s",
             cJSON_GetObjectItemCaseSensitive(cx_data(&r), "refresh_token")->valuestring);
    cx_resp_clear(&r);
}

/* Makes every token row `seconds` older, as if issued that long ago. */
static void age_tokens(struct cx *t, int64_t seconds)
{
    char sql[160];

    for (const char *const *table = (const char *const[]){"access_tokens", "refresh_tokens", NULL};
         *table; table++) {
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET created_at = created_at - %lld, expires_at = expires_at - %lld",
                 *table, (long long)seconds, (long long)seconds);
        cx_exec(t, sql);
    }
}

static long logout_status(struct cx *t, const char *body)
{
    struct cx_resp r;
    long status = cx_call(t, "POST", "/api/v1/auth/logout", NULL, NULL, body, &r);

    cx_resp_clear(&r);
    return status;
}

static void test_a_thousand_sessions_leave_a_handful(void **state)
{
    struct cx t;
    struct signin_tokens tok;
    char key[64], msg[256], newer[SIGNIN_TOKEN_MAX];
    const char *why;

    (void)state;
    start(&t, key, sizeof key);
    for (int i = 0; i < SESSIONS; i++) {
        assert_int_equal(signin_ssh(t.base, key, KEY_A, FP_A, 10, &tok, msg, sizeof msg, &why), 0);
        /* every tenth customer stays long enough for sett to rotate the pair; settd still holds
         * the first refresh token */
        if (i % 10 == 0)
            rotate(&t, tok.refresh, newer, sizeof newer);
        assert_int_equal(signin_logout(t.base, tok.refresh, 10), 0);
    }
    /* one session still open: its pair is the only live one */
    assert_int_equal(signin_ssh(t.base, key, KEY_A, FP_A, 10, &tok, msg, sizeof msg, &why), 0);
    assert_true(cx_int(&t, LIVE_ROWS) <= HANDFUL);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM access_tokens WHERE revoked_at IS NULL AND "
                                "expires_at > unixepoch()"),
                     1);
    /* the scheduler's pass deletes the revoked rows: what stays is the open session's pair */
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(cx_int(&t, ALL_ROWS), 2);
    /* and the open session's tokens still work */
    rotate(&t, tok.refresh, newer, sizeof newer);
    assert_int_equal(signin_logout(t.base, newer, 10), 0);
    cx_stop(&t);
}

static void test_logout_by_refresh_token(void **state)
{
    struct cx t;
    struct signin_tokens tok;
    struct cx_resp r;
    char key[64], msg[256], body[640], newer[SIGNIN_TOKEN_MAX];
    const char *why;

    (void)state;
    start(&t, key, sizeof key);
    assert_int_equal(signin_ssh(t.base, key, KEY_A, FP_A, 10, &tok, msg, sizeof msg, &why), 0);
    rotate(&t, tok.refresh, newer, sizeof newer);
    /* the rotated token signs the whole sign-in out: the newer pair stops working */
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", tok.refresh);
    assert_int_equal(logout_status(&t, body), 204);
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", newer);
    assert_int_equal(cx_call(&t, "POST", "/api/v1/auth/refresh", NULL, NULL, body, &r), 401);
    assert_string_equal(cx_error(&r), "invalid_token");
    cx_resp_clear(&r);
    /* again: done already, said as for any token that no longer works */
    assert_int_equal(logout_status(&t, body), 401);
    /* unknown tokens, and bodies that are not a refresh token */
    assert_int_equal(logout_status(&t, "{\"refresh_token\":\"not-a-token\"}"), 401);
    assert_int_equal(cx_call(&t, "POST", "/api/v1/auth/logout", NULL, NULL, "{}", &r), 422);
    assert_string_equal(cx_error(&r), "validation_failed");
    cx_resp_clear(&r);
    assert_int_equal(cx_call(&t, "POST", "/api/v1/auth/logout", NULL, NULL, "[1]", &r), 400);
    assert_string_equal(cx_error(&r), "invalid_json");
    cx_resp_clear(&r);
    /* a service key is no session, even with a refresh token beside it */
    assert_int_equal(cx_call(&t, "POST", "/api/v1/auth/logout", key, NULL, body, &r), 403);
    cx_resp_clear(&r);
    cx_stop(&t);
}

static void test_expired_rows_are_purged(void **state)
{
    struct cx t;
    struct signin_tokens tok;
    char key[64], msg[256], old[SIGNIN_TOKEN_MAX], body[640];
    const char *why;

    (void)state;
    start(&t, key, sizeof key);
    /* sessions whose settd never said goodbye (killed): their tokens only expire */
    for (int i = 0; i < 20; i++)
        assert_int_equal(signin_ssh(t.base, key, KEY_A, FP_A, 10, &tok, msg, sizeof msg, &why), 0);
    snprintf(old, sizeof old, "%s", tok.refresh);
    rotate(&t, old, tok.refresh, sizeof tok.refresh);
    assert_int_equal(cx_int(&t, ALL_ROWS), 42);
    /* a pass now deletes nothing live, and keeps the rotated token of a live sign-in */
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM refresh_tokens"), 21);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM access_tokens"), 21);
    /* its reuse is still caught: the sign-in ends */
    snprintf(body, sizeof body, "{\"refresh_token\":\"%s\"}", old);
    assert_int_equal(logout_status(&t, body), 204);
    /* a pass with the server's clock a month ahead deletes that sign-in's rows and nothing
     * more: tokens are judged by the real clock, and a token still accepted is never purged */
    billingd_set_clock(t.d, (int64_t)time(NULL) + AUTH_REFRESH_TTL + 60);
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM access_tokens"), 19);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM refresh_tokens"), 19);
    billingd_set_clock(t.d, 0);
    /* issued an hour ago, the access tokens are past their 15 minutes and go; a month ago,
     * everything */
    age_tokens(&t, 3600);
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM access_tokens"), 0);
    assert_int_equal(cx_int(&t, "SELECT count(*) FROM refresh_tokens"), 19);
    age_tokens(&t, AUTH_REFRESH_TTL);
    assert_int_equal(billingd_run_scheduler(t.d), 0);
    assert_int_equal(cx_int(&t, ALL_ROWS), 0);
    cx_stop(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_thousand_sessions_leave_a_handful),
        cmocka_unit_test(test_logout_by_refresh_token),
        cmocka_unit_test(test_expired_rows_are_purged),
    };

    curl_global_init(CURL_GLOBAL_DEFAULT);
    validate_warm_up();
    return cmocka_run_group_tests(tests, NULL, NULL) || validate_failures() ? 1 : 0;
}
