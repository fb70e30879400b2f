/* account_support.c: the customer's side of the billing API for screen tests, stored sessions,
 * and snapshots with the run-to-run differences masked. */
#include "account_support.h"

#include "api_peek.h"
#include "tempdir.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SCREENS_GOLDEN_DIR
#error "SCREENS_GOLDEN_DIR must name the golden files' directory"
#endif

struct buf {
    char *p;
    size_t n;
};

static size_t collect(char *data, size_t size, size_t nmemb, void *ud)
{
    struct buf *b = ud;
    size_t len = size * nmemb;
    char *grown = realloc(b->p, b->n + len + 1);
    if (!grown)
        return 0;
    memcpy(grown + b->n, data, len);
    b->p = grown;
    b->n += len;
    b->p[b->n] = '\0';
    return len;
}

/* The request to an absolute URL; the session's token when `token` is not NULL. */
static int call_url(const char *url, const char *token, const char *method, const char *body,
                    const char *content_type, const char *if_match, const char *idem, long *status,
                    char **resp)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = NULL;
    struct buf b = {NULL, 0};
    char line[700];
    int rc = -1;
    if (!c)
        return -1;
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hdr = curl_slist_append(hdr, line);
    }
    if (body) {
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        hdr = curl_slist_append(hdr, line);
    }
    if (if_match) {
        snprintf(line, sizeof line, "If-Match: %s", if_match);
        hdr = curl_slist_append(hdr, line);
    }
    if (idem) {
        snprintf(line, sizeof line, "Idempotency-Key: %s", idem);
        hdr = curl_slist_append(hdr, line);
    }
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    CURLcode cc = curl_easy_perform(c);
    if (cc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
        rc = 0;
    } else {
        fprintf(stderr, "account_support: %s %s: %s\n", method, url, curl_easy_strerror(cc));
    }
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    if (resp)
        *resp = b.p;
    else
        free(b.p);
    return rc;
}

int acct_call(const struct acct *a, const char *method, const char *path, const char *body,
              const char *if_match, const char *idem_key, long *status, char **resp)
{
    char url[1024];
    snprintf(url, sizeof url, "%s/api/v1%s", a->url, path);
    return call_url(url, a->access[0] ? a->access : NULL, method, body, "application/json",
                    if_match, idem_key, status, resp);
}

cJSON *acct_get(const struct acct *a, const char *path)
{
    long status = 0;
    char *resp = NULL;
    cJSON *env = NULL;
    if (acct_call(a, "GET", path, NULL, NULL, NULL, &status, &resp) == 0 && status == 200)
        env = cJSON_Parse(resp);
    else
        fprintf(stderr, "acct: GET %s: HTTP %ld %s\n", path, status, resp ? resp : "");
    free(resp);
    return env;
}

static const cJSON *data_of(const cJSON *env)
{
    return env ? cJSON_GetObjectItemCaseSensitive(env, "data") : NULL;
}

static const char *str_of(const cJSON *o, const char *name)
{
    const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int acct_login(struct acct *a, const char *server_url, const char *email, const char *password)
{
    char body[300];
    long status = 0;
    char *resp = NULL;
    memset(a, 0, sizeof *a);
    snprintf(a->url, sizeof a->url, "%s", server_url);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    if (acct_call(a, "POST", "/auth/login", body, NULL, NULL, &status, &resp) != 0)
        return -1;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    const char *at = str_of(data_of(env), "access_token");
    const char *rt = str_of(data_of(env), "refresh_token");
    int rc = -1;
    if (status == 200 && at && rt) {
        snprintf(a->access, sizeof a->access, "%s", at);
        snprintf(a->refresh, sizeof a->refresh, "%s", rt);
        rc = 0;
    } else {
        fprintf(stderr, "account_support: login %s: HTTP %ld %s\n", email, status,
                resp ? resp : "");
    }
    cJSON_Delete(env);
    free(resp);
    return rc;
}

static int expect(int rc, long status, long want, const char *what, char *resp)
{
    if (rc == 0 && status == want) {
        free(resp);
        return 0;
    }
    fprintf(stderr, "account_support: %s: HTTP %ld %s\n", what, status, resp ? resp : "");
    free(resp);
    return -1;
}

int acct_cart_add(const struct acct *a, const char *slug, const char *cycle, int quantity)
{
    char path[256], body[300];
    snprintf(path, sizeof path, "/billing/products/%s", slug);
    cJSON *env = api_peek_get(a->url, path);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(data_of(env), "id");
    if (!cJSON_IsNumber(id)) {
        cJSON_Delete(env);
        return -1;
    }
    snprintf(body, sizeof body, "{\"product_id\":%d,\"cycle\":\"%s\",\"quantity\":%d}",
             (int)id->valuedouble, cycle, quantity);
    cJSON_Delete(env);
    long status = 0;
    char *resp = NULL;
    int rc = acct_call(a, "POST", "/billing/cart/items", body, NULL, NULL, &status, &resp);
    return expect(rc, status, 201, "add to cart", resp);
}

int acct_cart_coupon(const struct acct *a, const char *code)
{
    char body[200];
    long status = 0;
    char *resp = NULL;
    snprintf(body, sizeof body, "{\"code\":\"%s\"}", code);
    int rc = acct_call(a, "PUT", "/billing/cart/coupon", body, NULL, NULL, &status, &resp);
    return expect(rc, status, 200, "coupon", resp);
}

int acct_checkout(const struct acct *a, const char *method, bool use_credits, char *pay_url,
                  size_t n)
{
    long status = 0;
    char *resp = NULL, etag[64], body[300], key[64];
    static int serial;
    if (acct_call(a, "GET", "/billing/cart", NULL, NULL, NULL, &status, &resp) != 0)
        return -1;
    cJSON *env = resp ? cJSON_Parse(resp) : NULL;
    free(resp);
    const cJSON *d = data_of(env);
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(d, "version");
    const cJSON *totals = cJSON_GetObjectItemCaseSensitive(d, "totals");
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(totals, "total");
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(total, "amount");
    if (!cJSON_IsNumber(version) || !cJSON_IsNumber(amount)) {
        cJSON_Delete(env);
        return -1;
    }
    snprintf(etag, sizeof etag, "\"%d\"", (int)version->valuedouble);
    snprintf(body, sizeof body,
             "{\"payment_method\":\"%s\",\"use_credits\":%s,"
             "\"expected_total\":{\"amount\":%lld,\"currency\":\"%s\"}}",
             method, use_credits ? "true" : "false", (long long)amount->valuedouble,
             str_of(total, "currency") ? str_of(total, "currency") : "USD");
    cJSON_Delete(env);
    snprintf(key, sizeof key, "00000000-0000-4000-8000-%012d", ++serial + (int)getpid() % 1000);
    resp = NULL;
    if (acct_call(a, "POST", "/billing/checkout", body, etag, key, &status, &resp) != 0)
        return -1;
    env = resp ? cJSON_Parse(resp) : NULL;
    const cJSON *payment = cJSON_GetObjectItemCaseSensitive(data_of(env), "payment");
    const cJSON *next = cJSON_GetObjectItemCaseSensitive(payment, "next_action");
    int rc = status == 201 ? 0 : -1;
    if (rc != 0)
        fprintf(stderr, "account_support: checkout: HTTP %ld %s\n", status, resp ? resp : "");
    snprintf(pay_url, n, "%s", str_of(next, "url") ? str_of(next, "url") : "");
    cJSON_Delete(env);
    free(resp);
    return rc;
}

long acct_sandbox(const char *pay_url, const char *action)
{
    char body[64];
    long status = 0;
    snprintf(body, sizeof body, "action=%s", action);
    if (call_url(pay_url, NULL, "POST", body, "application/x-www-form-urlencoded", NULL, NULL,
                 &status, NULL) != 0)
        return -1;
    return status;
}

int acct_admin_settings(const char *server_url, const char *json)
{
    struct acct admin;
    long status = 0;
    char *resp = NULL;
    if (acct_login(&admin, server_url, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0)
        return -1;
    int rc = acct_call(&admin, "PATCH", "/admin/settings", json, NULL, NULL, &status, &resp);
    return expect(rc, status, 200, "admin settings", resp);
}

int acct_admin(const char *server_url, const char *method, const char *path, const char *json)
{
    struct acct admin;
    long status = 0;
    char *resp = NULL;
    if (acct_login(&admin, server_url, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0)
        return -1;
    int rc = acct_call(&admin, method, path, json, NULL, NULL, &status, &resp);
    if (rc == 0 && status >= 200 && status < 300) {
        free(resp);
        return 0;
    }
    fprintf(stderr, "account_support: %s %s: HTTP %ld %s\n", method, path, status,
            resp ? resp : "");
    free(resp);
    return -1;
}

int acct_store_session(const char *config_dir, const char *api, const char *access,
                       const char *refresh)
{
    char dir[700], path[800], text[2000];
    snprintf(dir, sizeof dir, "%s/sett", config_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof path, "%s/credentials", dir);
    snprintf(text, sizeof text, "api=%s\naccess_token=%s\nrefresh_token=%s\n", api, access,
             refresh);
    return tempdir_write_file(path, text, strlen(text));
}

int acct_prepare_init(struct acct_prepare *p)
{
    return tempdir_make("sett-config", p->config_dir, sizeof p->config_dir);
}

void acct_prepare_cleanup(struct acct_prepare *p)
{
    if (p->config_dir[0])
        tempdir_remove(p->config_dir);
    p->config_dir[0] = '\0';
}

int acct_prepare(struct sett_run *r, void *ud)
{
    struct acct_prepare *p = ud;
    if (!r->server) /* nothing answers: a session sett can only fail with */
        return acct_store_session(p->config_dir, r->api, "at_unreachable", "rt_unreachable");
    if (acct_login(&p->session, sett_run_server_url(r), ACCT_DEMO_EMAIL, ACCT_DEMO_PASSWORD) != 0)
        return -1;
    if (p->setup && p->setup(&p->session, p->ud) != 0)
        return -1;
    return acct_store_session(p->config_dir, r->api, p->session.access, p->session.refresh);
}

int acct_run_start(struct acct_run *ar, struct sett_run_opts o, bool session,
                   int (*setup)(const struct acct *, void *), void *ud)
{
    memset(ar, 0, sizeof *ar);
    if (acct_prepare_init(&ar->p) != 0)
        return -1;
    ar->p.setup = setup;
    ar->p.ud = ud;
    snprintf(ar->env_config, sizeof ar->env_config, "XDG_CONFIG_HOME=%s", ar->p.config_dir);
    ar->env[0] = ar->env_config;
    o.env = ar->env;
    o.prepare = session ? acct_prepare : NULL;
    o.prepare_ud = &ar->p;
    return sett_run_start(&ar->r, &o);
}

void acct_run_stop(struct acct_run *ar)
{
    sett_run_stop(&ar->r);
    acct_prepare_cleanup(&ar->p);
}

/* Runs of spaces, line ends and block elements (U+2580 to U+259F: a QR code beside the words)
 * become one space. */
static void squeeze(char *s)
{
    char *o = s;
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || *s == '\n') {
            space = true;
            continue;
        }
        if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x96 &&
            (unsigned char)s[2] >= 0x80 && (unsigned char)s[2] <= 0x9f) {
            space = true;
            s += 2;
            continue;
        }
        if (space && o != s)
            *o++ = ' ';
        space = false;
        *o++ = *s;
    }
    *o = '\0';
}

bool acct_screen_says(struct harness *h, const char *text)
{
    char *screen = harness_screen_dup(h), *want = strdup(text);
    bool found = false;
    if (screen && want) {
        squeeze(screen);
        squeeze(want);
        found = strstr(screen, want) != NULL;
    }
    free(screen);
    free(want);
    return found;
}

int acct_text_pay_url(const char *text, char *url, size_t n)
{
    const char *at = strstr(text, "/sandbox/pay/"), *start = at;
    if (!at)
        return -1;
    while (start > text && start[-1] != ' ' && start[-1] != '\n')
        start--;
    size_t len = strcspn(at, " \n") + (size_t)(at - start);
    if (len >= n)
        return -1;
    memcpy(url, start, len);
    url[len] = '\0';
    return 0;
}

int acct_screen_pay_url(struct harness *h, char *url, size_t n)
{
    char *text = harness_screen_dup(h);
    int rc = text ? acct_text_pay_url(text, url, n) : -1;
    free(text);
    return rc;
}

/* ---- masked snapshots ---- */

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_spinner(const char *s)
{
    static const char *const frames[] = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++)
        if (starts(s, frames[i]))
            return true;
    return false;
}

static bool is_block(const char *s)
{
    return starts(s, "█") || starts(s, "▀") || starts(s, "▄");
}

static size_t char_len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* One row, masked, appended to out. `cont`: the row before ended in a link's token, which
 * wrapped: its rest starts this row. */
static void mask_row(const char *row, size_t len, bool cont, char *out, size_t *o)
{
    const char *first = NULL, *last = NULL;
    if (cont) {
        size_t i = 0;
        while (i < len && row[i] == ' ')
            out[(*o)++] = row[i++];
        while (i < len && ((row[i] >= '0' && row[i] <= '9') || (row[i] >= 'a' && row[i] <= 'z') ||
                           (row[i] >= 'A' && row[i] <= 'Z'))) {
            out[(*o)++] = 'X';
            i++;
        }
        row += i;
        len -= i;
    }
    for (const char *p = row; p < row + len; p += char_len(p))
        if (is_block(p)) {
            if (!first)
                first = p;
            last = p;
        }
    for (const char *p = row; p < row + len;) {
        size_t cl = char_len(p);
        if (first && p >= first && p <= last) {
            out[(*o)++] = '#';
        } else if (is_spinner(p)) {
            memcpy(out + *o, "⠋", 3);
            *o += 3;
        } else if (starts(p, "127.0.0.1:")) {
            memcpy(out + *o, p, 10);
            *o += 10;
            cl = 10;
            while (p + cl < row + len && p[cl] >= '0' && p[cl] <= '9') {
                out[(*o)++] = 'P';
                cl++;
            }
        } else if (starts(p, "port ") || starts(p, "after ")) {
            /* curl's words for a refused connection: "… port 41233 after 0 ms" */
            size_t w = starts(p, "port ") ? 5 : 6;
            memcpy(out + *o, p, w);
            *o += w;
            cl = w;
            while (p + cl < row + len && p[cl] >= '0' && p[cl] <= '9') {
                out[(*o)++] = 'N';
                cl++;
            }
        } else if (starts(p, "/pay/ps_")) {
            memcpy(out + *o, p, 8);
            *o += 8;
            cl = 8;
            while (p + cl < row + len && p[cl] != ' ') {
                out[(*o)++] = 'X';
                cl++;
            }
        } else {
            memcpy(out + *o, p, cl);
            *o += cl;
        }
        p += cl;
    }
}

static char *mask(const char *text)
{
    size_t n = strlen(text), o = 0;
    char *out = malloc(n * 3 + 1);
    if (!out)
        return NULL;
    bool cont = false;
    for (const char *row = text; *row;) {
        const char *nl = strchr(row, '\n');
        size_t len = nl ? (size_t)(nl - row) : strlen(row);
        mask_row(row, len, cont, out, &o);
        cont = len >= 8 && memcmp(row + len - 8, "/pay/ps_", 8) == 0;
        if (!nl)
            break;
        out[o++] = '\n';
        row = nl + 1;
    }
    out[o] = '\0';
    return out;
}

int acct_snapshot(struct harness *h, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.txt", SCREENS_GOLDEN_DIR, name);
    char *raw = harness_screen_dup(h);
    char *screen = raw ? mask(raw) : NULL;
    int rc = -1;
    free(raw);
    if (!screen)
        return -1;
    const char *update = getenv("UPDATE_SNAPSHOTS");
    if (update && *update && strcmp(update, "0") != 0) {
        rc = tempdir_write_file(path, screen, strlen(screen));
        fprintf(stderr, "account_support: %s %s\n", rc == 0 ? "updated" : "cannot write", path);
        free(screen);
        return rc;
    }
    char *golden = tempdir_read_file(path, NULL);
    if (!golden)
        fprintf(stderr, "account_support: no golden file %s (UPDATE_SNAPSHOTS=1 writes it)\n",
                path);
    else if (harness_diff_text(name, golden, screen, stderr) == 0)
        rc = 0;
    if (rc != 0) {
        char actual[300];
        fprintf(stderr, "---- %s, masked ----\n%s---- end ----\n", name, screen);
        snprintf(actual, sizeof actual, "%s.actual.txt", name);
        tempdir_write_file(actual, screen, strlen(screen));
    }
    free(golden);
    free(screen);
    return rc;
}
