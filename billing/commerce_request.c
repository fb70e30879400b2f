/* commerce_request.c: request helpers the money path's handlers share: ids, lines, field
 * problems, links back to the server, pages, the cart's ETag and the coupon rate limit. */
#include "billing/handlers_commerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/app.h"
#include "billing/clock.h"
#include "billing/peer.h"
#include "billing/json_util.h"
#include "billing/pricing.h"
#include "billing/ratelimit.h"

#define PER_PAGE_DEFAULT 20
#define PER_PAGE_MAX     100
#define PAGE_MAX         2147483647

static const char *const commerce_resources[] = {"memory_mb", "disk_mb", "cpu_percent",
                                                 "databases", "backups", "allocations"};

bool commerce_id(const char *s, int64_t *id)
{
    size_t n = s ? strspn(s, "0123456789") : 0;

    if (n == 0 || s[n] != '\0' || n > 18)
        return false;
    *id = strtoll(s, NULL, 10);
    return *id > 0;
}

static void commerce_field(struct reply *rep, const char *prefix, const char *name,
                           const char *message)
{
    char field[96];

    snprintf(field, sizeof field, "%s%s", prefix, name);
    reply_field(rep, field, message);
}

static void commerce_options_parse(const cJSON *options, const char *prefix, struct reply *rep,
                                   struct basket_line_in *in)
{
    const cJSON *v;

    in->n_options = 0;
    if (!cJSON_IsObject(options)) {
        commerce_field(rep, prefix, "options", "must be an object of resource values");
        return;
    }
    cJSON_ArrayForEach(v, options)
    {
        char name[64];
        int64_t value;
        size_t r = 0;

        while (r < 6 && strcmp(commerce_resources[r], v->string) != 0)
            r++;
        snprintf(name, sizeof name, "options.%.40s", v->string);
        if (r == 6)
            commerce_field(rep, prefix, name, "is not a resource");
        else if (!json_get_int(v, &value) || value < 0)
            commerce_field(rep, prefix, name, "must be a non-negative integer");
        else if (in->n_options < BASKET_MAX_OPTIONS) {
            snprintf(in->option_resource[in->n_options], sizeof in->option_resource[0], "%s",
                     commerce_resources[r]);
            in->option_value[in->n_options++] = value;
        }
    }
}

void commerce_line_parse(const cJSON *obj, const char *prefix, bool patch, struct reply *rep,
                         struct basket_line_in *in)
{
    const cJSON *product = cJSON_GetObjectItemCaseSensitive(obj, "product_id");
    const cJSON *cycle = cJSON_GetObjectItemCaseSensitive(obj, "cycle");
    const cJSON *options = cJSON_GetObjectItemCaseSensitive(obj, "options");
    const cJSON *quantity = cJSON_GetObjectItemCaseSensitive(obj, "quantity");
    int64_t n;

    if (!cJSON_IsObject(obj)) {
        reply_field(rep, prefix[0] ? prefix : "body", "must be an object");
        return;
    }
    if (!patch) {
        memset(in, 0, sizeof *in);
        in->quantity = 1;
        in->include_setup_fee = true;
        if (!product)
            commerce_field(rep, prefix, "product_id", "is required");
        else if (!json_get_int(product, &n) || n < 1)
            commerce_field(rep, prefix, "product_id", "must be a positive integer");
        else
            in->product_id = n;
        if (!cycle)
            commerce_field(rep, prefix, "cycle", "is required");
    } else if (!cycle && !options && !quantity) {
        reply_field(rep, "body", "must change at least one of cycle, options, quantity");
    }
    if (cycle && (!cJSON_IsString(cycle) || pricing_cycle_rank(cycle->valuestring) < 0))
        commerce_field(rep, prefix, "cycle",
                       "must be one of one_time, monthly, quarterly, semi_annual, annual, "
                       "biennial");
    else if (cycle)
        snprintf(in->cycle, sizeof in->cycle, "%s", cycle->valuestring);
    if (options)
        commerce_options_parse(options, prefix, rep, in);
    if (quantity && (!json_get_int(quantity, &n) || n < 1 || n > 10))
        commerce_field(rep, prefix, "quantity", "must be an integer from 1 to 10");
    else if (quantity)
        in->quantity = n;
}

void commerce_fields(struct reply *rep, cJSON *fields, const char *strip)
{
    const cJSON *f, *m;
    size_t n = strlen(strip);

    cJSON_ArrayForEach(f, fields)
    {
        const char *name =
            strncmp(f->string, strip, n) == 0 && f->string[n] ? f->string + n : f->string;

        cJSON_ArrayForEach(m, f)
        {
            if (cJSON_IsString(m))
                reply_field(rep, name, m->valuestring);
        }
    }
}

void commerce_base_url(const struct request *req, char *buf, size_t size)
{
    const char *host = request_header(req, "Host");
    size_t n = host ? strlen(host) : 0;

    /* Only a plausible host[:port] is echoed into a link; anything else gets the loopback. */
    if (n == 0 || n > 100 ||
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != n)
        snprintf(buf, size, "http://127.0.0.1:%u", (unsigned)req->app->port);
    else
        snprintf(buf, size, "http://%s", host);
}

static bool commerce_query_int(struct request *req, struct reply *rep, const char *key, int64_t max,
                               int64_t fallback, const char *problem, int64_t *out)
{
    const char *v = request_query(req, key);
    size_t digits = v ? strspn(v, "0123456789") : 0;

    *out = fallback;
    if (!v)
        return true;
    if (digits > 0 && v[digits] == '\0' && digits <= 10) {
        *out = strtoll(v, NULL, 10);
        if (*out >= 1 && *out <= max)
            return true;
    }
    *out = fallback;
    reply_field(rep, key, problem);
    return false;
}

bool commerce_page(struct request *req, struct reply *rep, int64_t *page, int64_t *per_page)
{
    bool ok = commerce_query_int(req, rep, "page", PAGE_MAX, 1,
                                 "must be a positive integer (at most 2147483647)", page);

    ok &= commerce_query_int(req, rep, "per_page", PER_PAGE_MAX, PER_PAGE_DEFAULT,
                             "must be an integer from 1 to 100", per_page);
    return ok;
}

void commerce_etag(struct reply *rep, int64_t version)
{
    reply_header(rep, "ETag", "\"%lld\"", (long long)version);
}

static void commerce_coupon_keys(struct request *req, char *user, char *addr, size_t size)
{
    char ip[64], net[64];

    snprintf(user, size, "user:%lld", (long long)req->user_id);
    /* the client behind a trusted proxy; an IPv6 client by its /64 */
    peer_limit_key(request_client_addr(req, ip, sizeof ip), net, sizeof net);
    snprintf(addr, size, "addr:%s", net);
}

bool commerce_coupon_allowed(struct request *req, struct reply *rep)
{
    char user[80], addr[80], secs[24];
    int64_t now = clock_now(req->app), wait = 0, w;

    commerce_coupon_keys(req, user, addr, sizeof user);
    if (req->user_id)
        wait = rate_limit_wait(req->app->coupon_by_user, user, now);
    w = rate_limit_wait(req->app->coupon_by_addr, addr, now);
    if (w > wait)
        wait = w;
    if (wait == 0)
        return true;
    snprintf(secs, sizeof secs, "%lld", (long long)wait);
    reply_field(rep, "retry_after", secs); /* before reply_error, which takes the details */
    reply_error(rep, API_ERR_RATE_LIMITED, "Too many coupon attempts. Try again in %lld seconds.",
                (long long)wait);
    reply_header(rep, "Retry-After", "%lld", (long long)wait);
    return false;
}

void commerce_coupon_refused(struct request *req)
{
    char user[80], addr[80];
    int64_t now = clock_now(req->app);

    commerce_coupon_keys(req, user, addr, sizeof user);
    if (req->user_id)
        rate_limit_hit(req->app->coupon_by_user, user, now);
    rate_limit_hit(req->app->coupon_by_addr, addr, now);
}
