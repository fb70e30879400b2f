/* limits.h: the parent's count of connections, by phase and by address, that keeps one address
 * (or everyone together) from taking all the server's processes. */
#ifndef SETT_SSH_LIMITS_H
#define SETT_SSH_LIMITS_H

#include <stdbool.h>
#include <sys/types.h>

#define LIMITS_ADDR_MAX 64

struct limits_config {
    int max_startups, max_startups_per_addr; /* connections not yet signed in */
    int max_sessions, max_sessions_per_addr; /* signed-in connections */
};

enum limits_phase {
    LIMITS_FREE = 0,
    LIMITS_STARTUP, /* connected, not yet authenticated */
    LIMITS_SESSION, /* authenticated */
};

struct limits_slot {
    enum limits_phase phase;
    pid_t pid;
    int ctl;                    /* the parent's end of the child's control socket; -1: none */
    char addr[LIMITS_ADDR_MAX]; /* the IP (no port); "" until known (behind a PROXY header) */
};

struct limits {
    struct limits_config cfg;
    struct limits_slot *slots;
    int cap;
};

struct limits *limits_new(const struct limits_config *cfg);
void limits_free(struct limits **l);

/* A new connection from `addr` ("" when the address comes later in a PROXY header): its slot
 * index in the STARTUP phase, or -1 when a startup limit is reached. */
int limits_admit(struct limits *l, const char *addr);
/* The PROXY header named the address: false (refused) when that address is at its limit. */
bool limits_set_addr(struct limits *l, int slot, const char *addr);
/* The connection signed in: false (refused, left in STARTUP) when a session limit is reached. */
bool limits_promote(struct limits *l, int slot);
void limits_release(struct limits *l, int slot);

int limits_count(const struct limits *l, enum limits_phase phase, const char *addr);
int limits_find_pid(const struct limits *l, pid_t pid); /* -1: none */

#endif
