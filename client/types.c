/* types.c: the API's enum names and the free functions of decoded values. */
#include "client/types.h"

#include <stdlib.h>
#include <string.h>

static const char *const pricing_model_names[] = {
    [PRICING_FIXED] = "fixed",
    [PRICING_PER_GB_MEMORY] = "per_gb_memory",
    [PRICING_PER_GB_DISK] = "per_gb_disk",
    [PRICING_CONFIGURABLE] = "configurable",
};

#define PRICING_MODEL_COUNT (sizeof(pricing_model_names) / sizeof(pricing_model_names[0]))

struct cycle_names {
    const char *api;
    const char *label;
    const char *suffix;
};

static const struct cycle_names cycle_names[CYCLE_COUNT] = {
    [CYCLE_ONE_TIME] = {"one_time", "One time", " once"},
    [CYCLE_MONTHLY] = {"monthly", "Monthly", "/mo"},
    [CYCLE_QUARTERLY] = {"quarterly", "Quarterly", "/qtr"},
    [CYCLE_SEMI_ANNUAL] = {"semi_annual", "Semi-annual", "/6mo"},
    [CYCLE_ANNUAL] = {"annual", "Annual", "/yr"},
    [CYCLE_BIENNIAL] = {"biennial", "Biennial", "/2yr"},
};

const char *pricing_model_str(enum pricing_model m)
{
    if ((unsigned)m >= PRICING_MODEL_COUNT)
        return "unknown";
    return pricing_model_names[m];
}

int pricing_model_parse(const char *s, enum pricing_model *out)
{
    size_t i;

    if (!s)
        return -1;
    for (i = 0; i < PRICING_MODEL_COUNT; i++) {
        if (strcmp(s, pricing_model_names[i]) == 0) {
            if (out)
                *out = (enum pricing_model)i;
            return 0;
        }
    }
    return -1;
}

const char *billing_cycle_str(enum billing_cycle c)
{
    return (unsigned)c < CYCLE_COUNT ? cycle_names[c].api : "unknown";
}

const char *billing_cycle_label(enum billing_cycle c)
{
    return (unsigned)c < CYCLE_COUNT ? cycle_names[c].label : "Unknown";
}

const char *billing_cycle_suffix(enum billing_cycle c)
{
    return (unsigned)c < CYCLE_COUNT ? cycle_names[c].suffix : "";
}

int billing_cycle_parse(const char *s, enum billing_cycle *out)
{
    int i;

    if (!s)
        return -1;
    for (i = 0; i < CYCLE_COUNT; i++) {
        if (strcmp(s, cycle_names[i].api) == 0) {
            if (out)
                *out = (enum billing_cycle)i;
            return 0;
        }
    }
    return -1;
}

void billing_status_free(struct billing_status **s)
{
    size_t i;

    if (!s || !*s)
        return;
    free((*s)->tax.name);
    for (i = 0; i < (*s)->n_gateways; i++)
        free((*s)->gateways[i]);
    free((*s)->gateways);
    free(*s);
    *s = NULL;
}

void category_list_free(struct category_list **l)
{
    size_t i;

    if (!l || !*l)
        return;
    for (i = 0; i < (*l)->n; i++) {
        free((*l)->items[i].slug);
        free((*l)->items[i].name);
        free((*l)->items[i].description);
    }
    free((*l)->items);
    free(*l);
    *l = NULL;
}

void product_clear(struct product *p)
{
    size_t i;

    if (!p)
        return;
    free(p->slug);
    free(p->name);
    free(p->category_slug);
    free(p->short_description);
    free(p->description);
    for (i = 0; i < p->n_options; i++) {
        free(p->options[i].resource);
        free(p->options[i].label);
        free(p->options[i].unit);
    }
    free(p->options);
    free(p->cycles);
    memset(p, 0, sizeof(*p));
}

void product_free(struct product **p)
{
    if (!p || !*p)
        return;
    product_clear(*p);
    free(*p);
    *p = NULL;
}

bool product_sold_out(const struct product *p)
{
    return p && p->stock.limited && p->stock.available <= 0;
}

void product_page_free(struct product_page **p)
{
    size_t i;

    if (!p || !*p)
        return;
    for (i = 0; i < (*p)->n; i++)
        product_clear(&(*p)->items[i]);
    free((*p)->items);
    free(*p);
    *p = NULL;
}

void auth_session_free(struct auth_session **s)
{
    if (!s || !*s)
        return;
    /* tokens are credentials: don't leave them in freed heap memory */
    if ((*s)->access_token)
        explicit_bzero((*s)->access_token, strlen((*s)->access_token));
    if ((*s)->refresh_token)
        explicit_bzero((*s)->refresh_token, strlen((*s)->refresh_token));
    free((*s)->access_token);
    free((*s)->refresh_token);
    free((*s)->token_type);
    free((*s)->user.email);
    free((*s)->user.name);
    free(*s);
    *s = NULL;
}
