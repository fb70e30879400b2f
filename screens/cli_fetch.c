/* cli_fetch.c: a command's list: every page fetched, decoded, and printed as a table or JSON. */
#include "screens/cli_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "client/raw.h"

#define PER_PAGE  "100" /* the API's largest page */
#define PAGES_MAX 10000 /* a server whose list never ends is broken, not big */

void cli_query_add(char *path, size_t n, const char *name, const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(path);
    int w = snprintf(path + len, n - len, "%c%s=", strchr(path, '?') ? '&' : '?', name);
    if (w < 0 || (size_t)w >= n - len)
        return;
    len += (size_t)w;
    for (const unsigned char *p = (const unsigned char *)value; *p && len + 4 < n; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            path[len++] = (char)*p;
        } else {
            path[len++] = '%';
            path[len++] = hex[*p >> 4];
            path[len++] = hex[*p & 15];
        }
    }
    path[len] = '\0';
}

struct reply {
    char *body;
    size_t len;
    struct client_error err;
};

static void on_body(void *ud, const char *body, size_t len, const struct client_error *err)
{
    struct reply *r = ud;
    r->err = *err;
    if (body && (r->body = malloc(len + 1))) {
        memcpy(r->body, body, len);
        r->body[len] = '\0';
        r->len = len;
    } else if (body) {
        client_error_set(&r->err, CLIENT_ERR_NOMEM, NULL);
    }
}

/* One GET, waited for. 0 with the body in `r`, or -1 with r->err set. */
static int get(struct cli *c, const char *path, struct reply *r)
{
    memset(r, 0, sizeof *r);
    if (!client_get_body(c->client, path, on_body, r)) {
        client_error_set(&r->err, CLIENT_ERR_NOMEM, NULL);
        return -1;
    }
    client_run_until_idle(c->client, -1); /* the client's own timeouts bound the wait */
    return r->body ? 0 : -1;
}

int cli_get(struct cli *c, const char *path, char **body, size_t *len, struct client_error *err)
{
    struct reply r;
    if (get(c, path, &r) != 0) {
        *err = r.err;
        return -1;
    }
    *body = r.body;
    *len = r.len;
    return 0;
}

static void on_status(void *ud, struct billing_status *st, const struct client_error *err)
{
    struct cli *c = ud;
    if (st)
        c->status = st;
    else
        c->status_err = *err;
}

int cli_need_status(struct cli *c)
{
    if (c->status)
        return CLI_EXIT_OK;
    if (!client_get_status(c->client, on_status, c))
        client_error_set(&c->status_err, CLIENT_ERR_NOMEM, NULL);
    client_run_until_idle(c->client, -1);
    return c->status ? CLI_EXIT_OK : cli_fail(&c->status_err);
}

static int malformed(struct client_error *err, const char *what)
{
    client_error_set(err, CLIENT_ERR_JSON, "%s", what);
    return -1;
}

/* The answer's `data` (checked to be an array for a list, else an object) and, for a list, the
 * number of pages. Returns the parsed envelope, or NULL with `err` set. */
static cJSON *envelope(const struct reply *r, bool paged, cJSON **data, int *pages,
                       struct client_error *err)
{
    cJSON *root = cJSON_ParseWithLength(r->body, r->len);
    *data = root ? cJSON_GetObjectItemCaseSensitive(root, "data") : NULL;
    if (!*data || (paged ? !cJSON_IsArray(*data) : !cJSON_IsObject(*data))) {
        malformed(err, paged ? "the answer has no data array" : "the answer has no data object");
        cJSON_Delete(root);
        return NULL;
    }
    *pages = 1;
    if (paged) {
        const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "meta");
        const cJSON *tp = cJSON_GetObjectItemCaseSensitive(meta, "total_pages");
        if (!cJSON_IsNumber(tp) || tp->valuedouble < 1 || tp->valuedouble > PAGES_MAX) {
            malformed(err, "the answer has no meta.total_pages");
            cJSON_Delete(root);
            return NULL;
        }
        *pages = (int)tp->valuedouble;
    }
    return root;
}

int cli_list_print(struct cli *c, const struct cli_list *l)
{
    struct cli_table *t = NULL;
    cJSON *joined = NULL;
    struct reply r = {0};
    struct client_error err;
    char path[2048];
    int code = CLI_EXIT_OK, pages = 1;

    client_error_clear(&err);
    if (!c->json) {
        /* money is shown in the shop's currency, named by /billing/status */
        if (!client_get_status(c->client, on_status, c))
            client_error_set(&c->status_err, CLIENT_ERR_NOMEM, NULL);
        client_run_until_idle(c->client, -1);
        if (!c->status)
            return cli_fail(&c->status_err);
        t = cli_table_new(l->cols, l->n_cols);
    } else {
        joined = l->paged ? cJSON_CreateArray() : NULL;
    }
    if (c->json ? l->paged && !joined : !t) {
        client_error_set(&err, CLIENT_ERR_NOMEM, NULL);
        code = cli_fail(&err);
        goto done;
    }
    for (int page = 1; page <= pages; page++) {
        snprintf(path, sizeof path, "%s", l->path);
        if (l->paged) {
            char num[16];
            snprintf(num, sizeof num, "%d", page);
            cli_query_add(path, sizeof path, "page", num);
            cli_query_add(path, sizeof path, "per_page", PER_PAGE);
        }
        if (get(c, path, &r) != 0) {
            code = cli_fail(&r.err);
            goto done;
        }
        cJSON *data;
        cJSON *root = envelope(&r, l->paged, &data, &pages, &err);
        /* decoded whatever the output, so a malformed answer fails the same way in both */
        if (!root || l->rows(c, r.body, r.len, t, &err) != 0) {
            cJSON_Delete(root);
            code = cli_fail(&err);
            goto done;
        }
        if (c->json && l->paged) {
            cJSON *item;
            while ((item = cJSON_DetachItemFromArray(data, 0)))
                cJSON_AddItemToArray(joined, item);
        } else if (c->json) {
            joined = cJSON_DetachItemFromObjectCaseSensitive(root, "data");
        }
        cJSON_Delete(root);
        free(r.body);
        r.body = NULL;
    }
    if (c->json)
        code = cli_json_print(joined, stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_REFUSED;
    else
        cli_table_print(t, stdout, c->width, c->color);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE) /* a reader that stopped early (| head) is not worth a message */
            fprintf(stderr, "sett: cannot write the output: %s\n", strerror(errno));
        code = CLI_EXIT_REFUSED;
    }
done:
    free(r.body);
    cJSON_Delete(joined);
    cli_table_free(&t);
    return code;
}
