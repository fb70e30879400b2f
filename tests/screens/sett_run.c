/* sett_run.c: one `sett` on a pseudo-terminal against a test server, for the screen scenarios. */
#include "sett_run.h"

#include "api_peek.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#if !defined(SETT_BIN) || !defined(BILLINGD_BIN) || !defined(FIXED_BILLINGD_BIN) ||                \
    !defined(FIXTURES_DIR)
#error "SETT_BIN, BILLINGD_BIN, FIXED_BILLINGD_BIN and FIXTURES_DIR must be defined"
#endif

#define MAX_ARGS 32

int sett_run_start(struct sett_run *r, const struct sett_run_opts *o)
{
    memset(r, 0, sizeof *r);
    r->dead.fd = -1;
    if (o->backend == SETT_BACKEND_DEAD) {
        if (dead_port_open(&r->dead) != 0) {
            perror("sett_run: dead port");
            return -1;
        }
        snprintf(r->api, sizeof r->api, "http://127.0.0.1:%d", r->dead.port);
    } else if (o->backend != SETT_BACKEND_EMBEDDED) {
        char catalog[1024];
        if (o->catalog)
            snprintf(catalog, sizeof catalog, "%s%s%s", o->catalog[0] == '/' ? "" : FIXTURES_DIR,
                     o->catalog[0] == '/' ? "" : "/", o->catalog);
        r->server = billingd_proc_start_mode(
            o->fixed_clock ? FIXED_BILLINGD_BIN : BILLINGD_BIN, o->catalog ? catalog : NULL,
            o->real_money ? NULL : "--demo", harness_ms(HARNESS_TIMEOUT_MS));
        if (!r->server)
            return -1;
        snprintf(r->api, sizeof r->api, "%s", billingd_proc_url(r->server));
        if (o->backend == SETT_BACKEND_SLOW) {
            r->proxy = slow_proxy_start(billingd_proc_port(r->server), o->delay_ms);
            if (!r->proxy) {
                sett_run_stop(r);
                return -1;
            }
            snprintf(r->api, sizeof r->api, "http://127.0.0.1:%d", slow_proxy_port(r->proxy));
        }
    }

    if (o->prepare && o->prepare(r, o->prepare_ud) != 0) {
        sett_run_stop(r);
        return -1;
    }
    const char *argv[MAX_ARGS];
    int n = 0;
    argv[n++] = SETT_BIN;
    if (o->backend != SETT_BACKEND_EMBEDDED) {
        argv[n++] = "--api";
        argv[n++] = r->api;
    }
    for (int i = 0; o->extra_args && o->extra_args[i] && n < MAX_ARGS - 1; i++)
        argv[n++] = o->extra_args[i];
    argv[n] = NULL;
    r->h = harness_start(argv, o->env, o->rows, o->cols);
    if (!r->h) {
        sett_run_stop(r);
        return -1;
    }
    return 0;
}

int sett_run_quit(struct sett_run *r)
{
    int status;
    if (!harness_exited(r->h) && harness_send(r->h, "q") != 0)
        return -1;
    if (harness_wait_exit(r->h, harness_ms(5000), &status) != 0) {
        harness_print_screen(r->h, stderr, "sett did not exit after q");
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            fprintf(stderr, "sett was killed by signal %d\n", WTERMSIG(status));
        else
            fprintf(stderr, "sett exited with status %d\n", WEXITSTATUS(status));
        harness_print_screen(r->h, stderr, "sett's last screen");
        return -1;
    }
    return 0;
}

void sett_run_stop(struct sett_run *r)
{
    harness_free(&r->h);
    slow_proxy_stop(&r->proxy);
    if (r->server && billingd_proc_stop(&r->server) != 0)
        fprintf(stderr, "sett_run: sett-billingd did not exit cleanly\n");
    dead_port_close(&r->dead);
}

const char *sett_run_server_url(const struct sett_run *r)
{
    return r->server ? billingd_proc_url(r->server) : r->api;
}

int sett_peek_product_names(const struct sett_run *r, const char *query, char **names, int max)
{
    char path[512];
    snprintf(path, sizeof path, "/billing/products?per_page=100%s%s", query && *query ? "&" : "",
             query ? query : "");
    cJSON *env = api_peek_get(sett_run_server_url(r), path);
    const cJSON *item;
    int n = 0;
    if (!env)
        return -1;
    cJSON_ArrayForEach(item, api_peek_data(env))
    {
        const char *name = api_peek_str(item, "name");
        if (n < max && name)
            names[n++] = strdup(name);
    }
    cJSON_Delete(env);
    return n;
}

void sett_names_free(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
}

int sett_peek_model(const struct sett_run *r, const char *model, char *name, size_t namesz,
                    char *last_label, size_t labelsz)
{
    cJSON *env = api_peek_get(sett_run_server_url(r), "/billing/products?per_page=100");
    const cJSON *item;
    int rc = -1;
    if (!env)
        return -1;
    cJSON_ArrayForEach(item, api_peek_data(env))
    {
        const char *m = api_peek_str(item, "pricing_model");
        const cJSON *opts = cJSON_GetObjectItemCaseSensitive(item, "options");
        int nopts = cJSON_GetArraySize(opts);
        if (!m || strcmp(m, model) != 0 || nopts == 0)
            continue;
        const char *label = api_peek_str(cJSON_GetArrayItem(opts, nopts - 1), "label");
        snprintf(name, namesz, "%s", api_peek_str(item, "name"));
        snprintf(last_label, labelsz, "%s", label ? label : "");
        rc = 0;
        break;
    }
    cJSON_Delete(env);
    if (rc != 0)
        fprintf(stderr, "sett_run: the catalog has no %s product with options\n", model);
    return rc;
}

int sett_wait_settled(struct harness *h, const char *text)
{
    if (harness_wait_text(h, text, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (harness_wait_gone(h, "Loading", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS);
}

int sett_key_settled(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}
