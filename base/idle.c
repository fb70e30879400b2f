/* idle.c: giving memory back when idle. A process that has drawn its screen or finished its
 * handshake keeps, without this, every heap page its start freed and every stack page its deepest
 * call wrote (terminfo is read into a 32 KiB buffer on the stack, a key exchange goes deep into
 * OpenSSL); thousands of such processes may sit idle at once. */
#include "base/idle.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The stack mapping's lowest address in /proc/self/maps, read once (the mapping only grows, so
 * the first reading stays inside it); 0 if unknown. */
static uintptr_t idle_stack_floor(void)
{
    static uintptr_t floor_addr = 1;
    char line[256];
    FILE *f;

    if (floor_addr != 1)
        return floor_addr;
    floor_addr = 0;
    if (!(f = fopen("/proc/self/maps", "re")))
        return 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "[stack]")) {
            floor_addr = (uintptr_t)strtoull(line, NULL, 16);
            break;
        }
    fclose(f);
    return floor_addr;
}

void idle_give_back(size_t keep)
{
    char here;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), floor_addr = idle_stack_floor();
    uintptr_t top = ((uintptr_t)&here - keep) & ~(page - 1);

    malloc_trim(0);
    if (floor_addr && top > floor_addr)
        madvise((void *)floor_addr, top - floor_addr, MADV_DONTNEED);
}
