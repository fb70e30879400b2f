/* e2e_shop.c: the shop under test: a fresh sett-billingd, an `ssh` service key minted on it by the
 * demo operator, and settd signing customers in through it; the operator's view of accounts. */
#include "e2e_support.h"

#include "api_peek.h"
#include "tempdir.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(SETTD_BIN) || !defined(BILLINGD_BIN)
#error "SETTD_BIN and BILLINGD_BIN must be defined"
#endif

#define SETTD_ARGS_MAX 40

/* POST /auth/api-keys as the operator; the secret into `key`. 0 or -1. */
static int mint_ssh_key(const char *url, char *key, size_t n)
{
    struct acct admin;
    long status = 0;
    char *resp = NULL;
    int rc = -1;
    if (acct_login(&admin, url, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0)
        return -1;
    if (acct_call(&admin, "POST", "/auth/api-keys", "{\"name\":\"settd e2e\",\"scopes\":[\"ssh\"]}",
                  NULL, NULL, &status, &resp) != 0 ||
        status != 201) {
        fprintf(stderr, "e2e_shop: POST /auth/api-keys: HTTP %ld %s\n", status, resp ? resp : "");
        goto done;
    }
    cJSON *env = cJSON_Parse(resp);
    const char *secret = api_peek_str(api_peek_data(env), "key");
    if (secret && strlen(secret) < n) {
        snprintf(key, n, "%s", secret);
        rc = 0;
    }
    cJSON_Delete(env);
done:
    free(resp);
    return rc;
}

int e2e_shop_start(struct e2e_shop *s, const char *const args[])
{
    return e2e_shop_start_catalog(s, args, NULL);
}

int e2e_shop_start_catalog(struct e2e_shop *s, const char *const args[], const char *catalog)
{
    const char *argv[SETTD_ARGS_MAX];
    char key[128], line[160];
    int n = 0;
    memset(s, 0, sizeof *s);
    if (tempdir_make("sett-e2e-shop", s->dir, sizeof s->dir) != 0) {
        perror("e2e_shop: temporary directory");
        return -1;
    }
    s->billing = billingd_proc_start(BILLINGD_BIN, catalog, harness_ms(HARNESS_TIMEOUT_MS));
    if (!s->billing)
        goto fail;
    if (mint_ssh_key(billingd_proc_url(s->billing), key, sizeof key) != 0)
        goto fail;
    snprintf(s->key_file, sizeof s->key_file, "%s/service-key", s->dir);
    snprintf(line, sizeof line, "%s\n", key);
    if (tempdir_write_file(s->key_file, line, strlen(line)) != 0)
        goto fail;
    argv[n++] = "--api";
    argv[n++] = billingd_proc_url(s->billing);
    argv[n++] = "--service-key-file";
    argv[n++] = s->key_file;
    for (int i = 0; args && args[i] && n < SETTD_ARGS_MAX - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    s->settd = settd_proc_start(SETTD_BIN, argv, harness_ms(HARNESS_TIMEOUT_MS));
    if (!s->settd)
        goto fail;
    return 0;
fail:
    e2e_shop_stop(s);
    return -1;
}

int e2e_settd_stop(struct settd_proc **p)
{
    int rc = 0;
    if (!*p)
        return 0;
    if (settd_proc_log_has_sanitizer_report(*p)) {
        fprintf(stderr, "e2e_shop: a sanitizer report in settd's log\n");
        settd_proc_dump_log(*p);
        rc = -1;
    }
    int status = settd_proc_stop(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "e2e_shop: settd ended with status 0x%x on SIGTERM, not exit 0\n", status);
        rc = -1;
    }
    return rc;
}

int e2e_shop_stop(struct e2e_shop *s)
{
    int rc = e2e_settd_stop(&s->settd);
    billingd_proc_stop(&s->billing);
    if (s->dir[0])
        tempdir_remove(s->dir);
    s->dir[0] = '\0';
    return rc;
}

int e2e_shop_port(const struct e2e_shop *s)
{
    return settd_proc_port(s->settd);
}

const char *e2e_shop_api(const struct e2e_shop *s)
{
    return billingd_proc_url(s->billing);
}

void e2e_shop_dump(const struct e2e_shop *s)
{
    if (s && s->settd)
        settd_proc_dump_log(s->settd);
}

bool e2e_shop_serving(const struct e2e_shop *s)
{
    char banner[256];
    if (!settd_proc_alive(s->settd)) {
        fprintf(stderr, "e2e_shop: settd is not running\n");
        return false;
    }
    /* A connection the test has just closed may still hold its place among the address's
     * startups until its process has exited (slowly under a sanitizer): a refusal for that
     * limit is tried again for a while, a server that never answers is not. */
    long long deadline = net_now_ms() + harness_ms(5000);
    do {
        int fd = e2e_tcp_connect(e2e_shop_port(s));
        if (fd < 0) {
            perror("e2e_shop: connect");
            return false;
        }
        int len = e2e_read_line(fd, banner, sizeof banner, harness_ms(5000));
        close(fd);
        if (len > 0 && strncmp(banner, "SSH-2.0-", 8) == 0)
            return true;
        usleep(100 * 1000);
    } while (net_now_ms() < deadline && settd_proc_alive(s->settd));
    fprintf(stderr, "e2e_shop: no SSH banner from settd\n");
    return false;
}

long e2e_account_of(const struct e2e_shop *s, const char *fingerprint, int *active_services)
{
    struct acct admin;
    char path[256], q[128];
    size_t o = 0;
    long id = -1;
    if (acct_login(&admin, e2e_shop_api(s), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0)
        return -1;
    for (const char *c = fingerprint; *c && o + 4 < sizeof q; c++) {
        if (*c == '+' || *c == '/' || *c == ':' || *c == '=')
            o += (size_t)snprintf(q + o, sizeof q - o, "%%%02X", (unsigned char)*c);
        else
            q[o++] = *c;
    }
    q[o] = '\0';
    snprintf(path, sizeof path, "/admin/users?q=%s", q);
    cJSON *env = acct_get(&admin, path);
    const cJSON *users = api_peek_data(env);
    if (!cJSON_IsArray(users))
        goto done;
    /* The whole fingerprint as q matches one key's prefix: that account only. */
    if (cJSON_GetArraySize(users) == 0) {
        id = 0;
        goto done;
    }
    if (cJSON_GetArraySize(users) != 1) {
        fprintf(stderr, "e2e_shop: %d accounts for %s\n", cJSON_GetArraySize(users), fingerprint);
        goto done;
    }
    const cJSON *uid = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(users, 0), "id");
    if (!cJSON_IsNumber(uid))
        goto done;
    id = (long)uid->valuedouble;
    if (active_services) {
        snprintf(path, sizeof path, "/admin/users/%ld/services", id);
        cJSON *services = acct_get(&admin, path);
        const cJSON *item;
        *active_services = 0;
        if (!services)
            id = -1;
        cJSON_ArrayForEach(item, api_peek_data(services))
        {
            const char *status = api_peek_str(item, "status");
            if (status && strcmp(status, "active") == 0)
                (*active_services)++;
        }
        cJSON_Delete(services);
    }
done:
    cJSON_Delete(env);
    return id;
}
