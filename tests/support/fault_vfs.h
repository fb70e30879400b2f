/* fault_vfs.h: the control block shared by the SQLite fault shim (fault_vfs.c, preloaded into a
 * server) and the test that arms it; a small file both map. */
#ifndef SETT_TESTS_SUPPORT_FAULT_VFS_H
#define SETT_TESTS_SUPPORT_FAULT_VFS_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The environment variable that names the control file; without it the shim does nothing. */
#define FAULT_VFS_ENV "SETT_FAULT_VFS"

enum fault_kind {
    FAULT_WRITE, /* xWrite on any file SQLite opens (database, WAL, journals, temp files) */
    FAULT_SYNC,  /* xSync */
    FAULT_LOCK,  /* xLock, and xShmLock when it takes a lock (releases are never failed) */
    FAULT_KINDS
};

struct fault_ctl {
    uint64_t seen[FAULT_KINDS]; /* calls of each kind since the server started */
    /* Armed: the call of kind arm_kind - 1 whose count reaches arm_at fails with arm_code;
     * arm_kind goes back to 0 when it fires (one shot). 0: nothing armed. */
    uint32_t arm_kind;
    int32_t arm_code;
    uint64_t arm_at;
    uint32_t fired; /* faults injected so far */
};

/* Creates (or truncates) the control file at path and maps it; NULL on error. */
static inline struct fault_ctl *fault_ctl_create(const char *path)
{
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    void *p = MAP_FAILED;

    if (fd < 0)
        return NULL;
    if (ftruncate(fd, sizeof(struct fault_ctl)) == 0)
        p = mmap(NULL, sizeof(struct fault_ctl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return p == MAP_FAILED ? NULL : p;
}

static inline void fault_ctl_unmap(struct fault_ctl *c)
{
    if (c)
        munmap(c, sizeof *c);
}

/* Forgets the counts (before an operation is measured or armed). */
static inline void fault_ctl_reset(struct fault_ctl *c)
{
    __atomic_store_n(&c->arm_kind, 0, __ATOMIC_SEQ_CST);
    for (int k = 0; k < FAULT_KINDS; k++)
        __atomic_store_n(&c->seen[k], 0, __ATOMIC_SEQ_CST);
}

/* Fails the nth call of kind from now (1: the next one) with code, once. */
static inline void fault_ctl_arm(struct fault_ctl *c, enum fault_kind kind, uint64_t nth, int code)
{
    __atomic_store_n(&c->arm_kind, 0, __ATOMIC_SEQ_CST);
    c->arm_code = code;
    c->arm_at = __atomic_load_n(&c->seen[kind], __ATOMIC_SEQ_CST) + nth;
    __atomic_store_n(&c->arm_kind, (uint32_t)kind + 1, __ATOMIC_SEQ_CST);
}

static inline void fault_ctl_disarm(struct fault_ctl *c)
{
    __atomic_store_n(&c->arm_kind, 0, __ATOMIC_SEQ_CST);
}

static inline uint64_t fault_ctl_seen(struct fault_ctl *c, enum fault_kind kind)
{
    return __atomic_load_n(&c->seen[kind], __ATOMIC_SEQ_CST);
}

static inline uint32_t fault_ctl_fired(struct fault_ctl *c)
{
    return __atomic_load_n(&c->fired, __ATOMIC_SEQ_CST);
}

#endif
