/* checkout_rate.c: checkouts per second paid with credits, from N concurrent customers, against a
 * sett-billingd on a database on disk: each checkout is a cart add and a checkout. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#define LINE "{\"product_id\":16,\"cycle\":\"monthly\"}" /* TeamSpeak 10: unlimited stock */

struct http {
    CURL *curl;
    char *body;
    size_t len;
    char etag[64];
    long status;
};

struct client {
    pthread_t thread;
    int index;
    const char *base;
    char token[256];
    long done, failed;
    double *lat_ms;
    size_t n_lat, cap_lat;
    double deadline;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct http *h = ud;
    char *grown = realloc(h->body, h->len + size * n + 1);

    if (!grown)
        return 0;
    h->body = grown;
    memcpy(h->body + h->len, p, size * n);
    h->len += size * n;
    h->body[h->len] = '\0';
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct http *h = ud;

    if (size * n > 6 && strncasecmp(p, "ETag: ", 6) == 0)
        snprintf(h->etag, sizeof h->etag, "%.*s", (int)strcspn(p + 6, "\r\n"), p + 6);
    return size * n;
}

/* One request on the handle's kept-alive connection; the JSON answer or NULL. */
static cJSON *call(struct http *h, const char *base, const char *method, const char *path,
                   const char *token, const char *body, const char *if_match, const char *idem)
{
    struct curl_slist *hd = NULL;
    char url[512], line[512];

    free(h->body);
    h->body = NULL;
    h->len = 0;
    h->etag[0] = '\0';
    h->status = 0;
    snprintf(url, sizeof url, "%s/api/v1%s", base, path);
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h->curl, CURLOPT_HTTPGET, body ? 0L : 1L);
    if (body)
        curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
    hd = curl_slist_append(hd, "Content-Type: application/json");
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hd = curl_slist_append(hd, line);
    }
    if (if_match) {
        snprintf(line, sizeof line, "If-Match: %s", if_match);
        hd = curl_slist_append(hd, line);
    }
    if (idem) {
        snprintf(line, sizeof line, "Idempotency-Key: %s", idem);
        hd = curl_slist_append(hd, line);
    }
    curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, hd);
    if (curl_easy_perform(h->curl) == CURLE_OK)
        curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &h->status);
    curl_slist_free_all(hd);
    return h->body ? cJSON_Parse(h->body) : NULL;
}

static void http_init(struct http *h)
{
    memset(h, 0, sizeof *h);
    h->curl = curl_easy_init();
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h->curl, CURLOPT_HEADERDATA, h);
    curl_easy_setopt(h->curl, CURLOPT_TCP_NODELAY, 1L);
}

static void http_free(struct http *h)
{
    curl_easy_cleanup(h->curl);
    free(h->body);
}

static int64_t num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *v = cJSON_GetObjectItem(o, a);

    if (b)
        v = cJSON_GetObjectItem(v, b);
    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : -1;
}

static int login(struct http *h, const char *base, const char *email, const char *password,
                 char token[256])
{
    char body[256];
    cJSON *j;
    const char *t;

    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    j = call(h, base, "POST", "/auth/login", NULL, body, NULL, NULL);
    t = cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "data"), "access_token"));
    if (t)
        snprintf(token, 256, "%s", t);
    cJSON_Delete(j);
    return t ? 0 : -1;
}

static void *client_run(void *arg)
{
    struct client *c = arg;
    struct http h;
    char body[256], idem[64], etag[64];
    long n = 0;

    http_init(&h);
    while (now_s() < c->deadline) {
        double t0 = now_s();
        cJSON *cart = call(&h, c->base, "POST", "/billing/cart/items", c->token, LINE, NULL, NULL);
        int64_t total = num(cJSON_GetObjectItem(cJSON_GetObjectItem(cart, "data"), "totals"),
                            "total", "amount");
        cJSON *res;

        snprintf(etag, sizeof etag, "%s", h.etag);
        cJSON_Delete(cart);
        if (h.status != 201 || total < 0) {
            c->failed++;
            continue;
        }
        snprintf(body, sizeof body,
                 "{\"payment_method\":\"credits\",\"use_credits\":true,"
                 "\"expected_total\":{\"amount\":%lld,\"currency\":\"USD\"}}",
                 (long long)total);
        snprintf(idem, sizeof idem, "bench-%d-%ld", c->index, n++);
        res = call(&h, c->base, "POST", "/billing/checkout", c->token, body, etag, idem);
        cJSON_Delete(res);
        if (h.status != 201) {
            if (c->failed++ < 3)
                fprintf(stderr, "checkout answered %ld: %.200s\n", h.status, h.body ? h.body : "");
            continue;
        }
        c->done++;
        if (c->n_lat == c->cap_lat) {
            c->cap_lat = c->cap_lat ? 2 * c->cap_lat : 1024;
            c->lat_ms = realloc(c->lat_ms, c->cap_lat * sizeof *c->lat_ms);
        }
        c->lat_ms[c->n_lat++] = (now_s() - t0) * 1000;
    }
    http_free(&h);
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

/* Starts the server on a fresh database in dir with `clients` seeded customers. */
static pid_t server_start(const char *billingd, const char *dir, int clients, const char *sync,
                          char *base, size_t size)
{
    char db[512], portfile[512], users[16];
    pid_t pid;

    snprintf(db, sizeof db, "%s/billing.db", dir);
    snprintf(portfile, sizeof portfile, "%s/port", dir);
    snprintf(users, sizeof users, "%d", clients);
    if ((pid = fork()) == 0) {
        setenv("SETT_BILLING_SYNCHRONOUS", sync, 1);
        execl(billingd, billingd, "--demo", "--quiet", "--db", db, "--port", "0", "--port-file",
              portfile, "--seed-users", users, "--scheduler-interval", "0", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 500 && pid > 0; i++) {
        FILE *f = fopen(portfile, "r");
        int port = 0;

        if (f && fscanf(f, "%d", &port) == 1 && port > 0) {
            fclose(f);
            snprintf(base, size, "http://127.0.0.1:%d", port);
            return pid;
        }
        if (f)
            fclose(f);
        usleep(20000);
    }
    return -1;
}

/* One run against a new server with `sync` (NORMAL or FULL); 0, or 1 when something failed. */
static int run_once(const char *billingd, int clients, double seconds, const char *sync)
{
    char dir[] = "/var/tmp/sett-checkout-XXXXXX", base[64], admin[256];
    struct client *cl = NULL;
    struct http h;
    double *all, t0, elapsed;
    size_t n_all = 0;
    long done = 0, failed = 0;
    pid_t pid;
    int rc = 1;

    if (!mkdtemp(dir) ||
        (pid = server_start(billingd, dir, clients, sync, base, sizeof base)) <= 0) {
        fprintf(stderr, "checkout_rate: cannot start %s\n", billingd);
        return 1;
    }
    http_init(&h);
    cl = calloc(clients, sizeof *cl);
    if (login(&h, base, "admin@example.com", "admin", admin) != 0)
        goto done;
    for (int i = 0; i < clients; i++) {
        char email[64], path[64], key[64];
        const char *credit = "{\"amount\":{\"amount\":100000000,\"currency\":\"USD\"},"
                             "\"reason\":\"benchmark\"}";
        cJSON *me;

        snprintf(email, sizeof email, "customer%d@example.com", i + 1);
        if (login(&h, base, email, "password", cl[i].token) != 0)
            goto done;
        me = call(&h, base, "GET", "/auth/me", cl[i].token, NULL, NULL, NULL);
        snprintf(path, sizeof path, "/admin/users/%lld/credits", (long long)num(me, "data", "id"));
        cJSON_Delete(me);
        snprintf(key, sizeof key, "bench-credit-%d", i);
        cJSON_Delete(call(&h, base, "POST", path, admin, credit, NULL, key));
        if (h.status != 201) {
            fprintf(stderr, "checkout_rate: crediting %s answered %ld\n", email, h.status);
            goto done;
        }
        cl[i].index = i;
        cl[i].base = base;
    }
    t0 = now_s();
    for (int i = 0; i < clients; i++) {
        cl[i].deadline = t0 + seconds;
        pthread_create(&cl[i].thread, NULL, client_run, &cl[i]);
    }
    for (int i = 0; i < clients; i++)
        pthread_join(cl[i].thread, NULL);
    elapsed = now_s() - t0;
    for (int i = 0; i < clients; i++) {
        done += cl[i].done;
        failed += cl[i].failed;
        n_all += cl[i].n_lat;
    }
    all = malloc((n_all + 1) * sizeof *all);
    n_all = 0;
    for (int i = 0; i < clients; i++) {
        memcpy(all + n_all, cl[i].lat_ms, cl[i].n_lat * sizeof *all);
        n_all += cl[i].n_lat;
        free(cl[i].lat_ms);
    }
    qsort(all, n_all, sizeof *all, cmp_double);
    printf("synchronous=%-6s %3d clients %5.1f s %6ld done %3ld refused %6.0f checkouts/s "
           "p50 %6.2f ms p99 %6.2f ms\n",
           sync, clients, elapsed, done, failed, done / elapsed, n_all ? all[n_all / 2] : 0,
           n_all ? all[n_all * 99 / 100] : 0);
    free(all);
    rc = failed ? 1 : 0;
done:
    http_free(&h);
    free(cl);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    {
        char cmd[600];

        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "checkout_rate: could not remove %s\n", dir);
    }
    return rc;
}

int main(int argc, char **argv)
{
    const char *billingd = BENCH_BILLINGD, *sync = "both";
    int clients = 8, rc = 0;
    double seconds = 5;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--clients") == 0 && i + 1 < argc)
            clients = atoi(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--billingd") == 0 && i + 1 < argc)
            billingd = argv[++i];
        else if (strcmp(argv[i], "--synchronous") == 0 && i + 1 < argc)
            sync = argv[++i];
        else {
            printf("usage: %s [--clients N] [--seconds S] [--synchronous normal|full|both]\n"
                   "          [--billingd PATH]\n"
                   "Checkouts paid with credits (a cart add and a checkout each) from N customers "
                   "at once,\non a database in /var/tmp, with SQLite's synchronous NORMAL and "
                   "FULL.\n",
                   argv[0]);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    if (clients < 1)
        return 2;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (strcasecmp(sync, "full") != 0)
        rc |= run_once(billingd, clients, seconds, "NORMAL");
    if (strcasecmp(sync, "normal") != 0)
        rc |= run_once(billingd, clients, seconds, "FULL");
    curl_global_cleanup();
    return rc;
}
