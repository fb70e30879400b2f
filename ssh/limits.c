/* limits.c: limits bookkeeping; the slots also carry the child's pid and control socket. */
#include "ssh/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct limits *limits_new(const struct limits_config *cfg)
{
    struct limits *l = calloc(1, sizeof *l);

    if (!l)
        return NULL;
    l->cfg = *cfg;
    /* a slot for every connection that may be alive at once */
    l->cap = cfg->max_startups + cfg->max_sessions;
    l->slots = calloc((size_t)l->cap, sizeof *l->slots);
    if (!l->slots) {
        free(l);
        return NULL;
    }
    for (int i = 0; i < l->cap; i++)
        l->slots[i].ctl = -1;
    return l;
}

void limits_free(struct limits **pl)
{
    if (!pl || !*pl)
        return;
    free((*pl)->slots);
    free(*pl);
    *pl = NULL;
}

int limits_count(const struct limits *l, enum limits_phase phase, const char *addr)
{
    int n = 0;

    for (int i = 0; i < l->cap; i++)
        if (l->slots[i].phase == phase && (!addr || strcmp(l->slots[i].addr, addr) == 0))
            n++;
    return n;
}

int limits_admit(struct limits *l, const char *addr)
{
    int free_slot = -1;

    if (limits_count(l, LIMITS_STARTUP, NULL) >= l->cfg.max_startups)
        return -1;
    if (addr && *addr && limits_count(l, LIMITS_STARTUP, addr) >= l->cfg.max_startups_per_addr)
        return -1;
    for (int i = 0; i < l->cap && free_slot < 0; i++)
        if (l->slots[i].phase == LIMITS_FREE)
            free_slot = i;
    if (free_slot < 0)
        return -1;
    l->slots[free_slot] = (struct limits_slot){.phase = LIMITS_STARTUP, .pid = 0, .ctl = -1};
    snprintf(l->slots[free_slot].addr, LIMITS_ADDR_MAX, "%s", addr ? addr : "");
    return free_slot;
}

bool limits_set_addr(struct limits *l, int slot, const char *addr)
{
    struct limits_slot *s;

    if (slot < 0 || slot >= l->cap || l->slots[slot].phase != LIMITS_STARTUP || !addr || !*addr)
        return false;
    s = &l->slots[slot];
    /* counted before this slot takes the address, so the limit admits exactly N */
    if (limits_count(l, LIMITS_STARTUP, addr) >= l->cfg.max_startups_per_addr)
        return false;
    snprintf(s->addr, LIMITS_ADDR_MAX, "%s", addr);
    return true;
}

bool limits_promote(struct limits *l, int slot)
{
    struct limits_slot *s;

    if (slot < 0 || slot >= l->cap || l->slots[slot].phase != LIMITS_STARTUP)
        return false;
    s = &l->slots[slot];
    if (limits_count(l, LIMITS_SESSION, NULL) >= l->cfg.max_sessions ||
        limits_count(l, LIMITS_SESSION, s->addr) >= l->cfg.max_sessions_per_addr)
        return false;
    s->phase = LIMITS_SESSION;
    return true;
}

void limits_release(struct limits *l, int slot)
{
    if (slot < 0 || slot >= l->cap)
        return;
    l->slots[slot] = (struct limits_slot){.phase = LIMITS_FREE, .ctl = -1};
}

int limits_find_pid(const struct limits *l, pid_t pid)
{
    for (int i = 0; i < l->cap; i++)
        if (l->slots[i].phase != LIMITS_FREE && l->slots[i].pid == pid)
            return i;
    return -1;
}
