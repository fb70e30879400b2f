/* fault_vfs.c: a SQLite VFS that fails the Nth write, sync or lock, for the fault-injection tests.
 *
 * Built as a shared library (libsett_fault_vfs.so) and loaded into the real sett-billingd with
 * LD_PRELOAD, so the server under test is the shipped binary, unchanged. Its constructor wraps the
 * default VFS ("unix") in one that counts every xWrite, xSync, xLock and locking xShmLock of every
 * file SQLite opens, and registers it as the new default, which every later sqlite3_open_v2 of
 * the process uses. The counts and the one "armed" fault live in a small file named by
 * $SETT_FAULT_VFS (fault_vfs.h), which the test maps too: it arms a fault between requests
 * ("the 3rd sync from now fails with SQLITE_IOERR_FSYNC"), the shim fires it once and disarms.
 * The real call is not made when a fault fires: a failed write writes nothing, as with a full
 * disk. Without $SETT_FAULT_VFS the library does nothing.
 *
 * In a sanitizer build the server needs ASAN_OPTIONS=verify_asan_link_order=0, since this library
 * comes before the ASan runtime in its list of libraries. */
#include "fault_vfs.h"

#include <stdbool.h>
#include <stdlib.h>

#include <sqlite3.h>

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* the wrapped VFS's file, right after this struct */
};

static struct fault_ctl *ctl;
static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static sqlite3_io_methods fault_methods[3]; /* one per iVersion of the wrapped file's methods */

/* 0, or the code of the fault this call of kind must fail with. */
static int fault_hit(enum fault_kind kind)
{
    uint64_t n = __atomic_add_fetch(&ctl->seen[kind], 1, __ATOMIC_SEQ_CST);
    uint32_t armed = (uint32_t)kind + 1;

    if (__atomic_load_n(&ctl->arm_kind, __ATOMIC_SEQ_CST) != armed || n != ctl->arm_at)
        return 0;
    if (!__atomic_compare_exchange_n(&ctl->arm_kind, &armed, 0, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return 0;
    __atomic_add_fetch(&ctl->fired, 1, __ATOMIC_SEQ_CST);
    return ctl->arm_code;
}

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct fault_file *)f)->real;
}

static int f_close(sqlite3_file *f)
{
    return real_of(f)->pMethods->xClose(real_of(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int rc = fault_hit(FAULT_WRITE);

    return rc ? rc : real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    int rc = fault_hit(FAULT_SYNC);

    return rc ? rc : real_of(f)->pMethods->xSync(real_of(f), flags);
}

static int f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int f_lock(sqlite3_file *f, int level)
{
    int rc = fault_hit(FAULT_LOCK);

    return rc ? rc : real_of(f)->pMethods->xLock(real_of(f), level);
}

static int f_unlock(sqlite3_file *f, int level)
{
    return real_of(f)->pMethods->xUnlock(real_of(f), level);
}

static int f_check_reserved(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int f_file_control(sqlite3_file *f, int op, void *arg)
{
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int f_sector_size(sqlite3_file *f)
{
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}

static int f_device_characteristics(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int f_shm_map(sqlite3_file *f, int page, int size, int extend, void volatile **out)
{
    return real_of(f)->pMethods->xShmMap(real_of(f), page, size, extend, out);
}

static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    int rc = (flags & SQLITE_SHM_LOCK) ? fault_hit(FAULT_LOCK) : 0;

    return rc ? rc : real_of(f)->pMethods->xShmLock(real_of(f), offset, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}

static int f_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), delete_flag);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **out)
{
    return real_of(f)->pMethods->xFetch(real_of(f), off, n, out);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

static int f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    struct fault_file *ff = (struct fault_file *)file;
    int rc, version;

    ff->real = (sqlite3_file *)(ff + 1);
    ff->base.pMethods = NULL;
    rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
    if (ff->real->pMethods) {
        version = ff->real->pMethods->iVersion;
        ff->base.pMethods = &fault_methods[(version < 1 ? 1 : version > 3 ? 3 : version) - 1];
    }
    return rc;
}

__attribute__((constructor)) static void fault_vfs_install(void)
{
    const char *path = getenv(FAULT_VFS_ENV);
    int fd;
    void *p;

    if (!path || !*path || !(real_vfs = sqlite3_vfs_find(NULL)))
        return;
    if ((fd = open(path, O_RDWR)) < 0)
        return;
    p = mmap(NULL, sizeof(struct fault_ctl), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return;
    ctl = p;
    for (int v = 0; v < 3; v++) {
        sqlite3_io_methods *m = &fault_methods[v];

        memset(m, 0, sizeof *m);
        m->iVersion = v + 1;
        m->xClose = f_close;
        m->xRead = f_read;
        m->xWrite = f_write;
        m->xTruncate = f_truncate;
        m->xSync = f_sync;
        m->xFileSize = f_file_size;
        m->xLock = f_lock;
        m->xUnlock = f_unlock;
        m->xCheckReservedLock = f_check_reserved;
        m->xFileControl = f_file_control;
        m->xSectorSize = f_sector_size;
        m->xDeviceCharacteristics = f_device_characteristics;
        if (v >= 1) {
            m->xShmMap = f_shm_map;
            m->xShmLock = f_shm_lock;
            m->xShmBarrier = f_shm_barrier;
            m->xShmUnmap = f_shm_unmap;
        }
        if (v >= 2) {
            m->xFetch = f_fetch;
            m->xUnfetch = f_unfetch;
        }
    }
    /* Everything but xOpen is the wrapped VFS's own: they never look at the files. */
    fault_vfs = *real_vfs;
    fault_vfs.pNext = NULL;
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
    fault_vfs.zName = "sett-fault";
    fault_vfs.xOpen = f_open;
    sqlite3_vfs_register(&fault_vfs, 1);
}
