/* test_idle.c: idle_give_back. The stack pages a deep call wrote go back to the kernel once the
 * process waits higher up, the pages near the waiting frame stay, a `keep` deeper than the stack
 * gives nothing back, and the heap's freed pages go back too. Residency is read with mincore. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <sys/mman.h>
#include <unistd.h>

#include "base/idle.h"

#define DEEP_BYTES (64 * 1024)

static uintptr_t deep_lo, deep_hi; /* the deep call's buffer */

/* A call that writes 64 KiB of stack, as terminfo's reader or a key exchange does. */
static __attribute__((noinline)) void deep_call(void)
{
    volatile char buf[DEEP_BYTES];

    for (size_t i = 0; i < sizeof buf; i += 512)
        buf[i] = (char)i;
    deep_lo = (uintptr_t)buf;
    deep_hi = (uintptr_t)buf + sizeof buf;
}

/* How many of the whole pages in [lo, hi) are resident (an unmapped page counts as not). */
static size_t resident_pages(uintptr_t lo, uintptr_t hi)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    size_t n = 0;

    lo = (lo + page - 1) & ~(page - 1);
    for (uintptr_t a = lo; a + page <= hi; a += page) {
        unsigned char v = 0;

        if (mincore((void *)a, page, &v) == 0 && (v & 1))
            n++;
    }
    return n;
}

static void test_deep_stack_given_back(void **state)
{
    size_t before, after;

    (void)state;
    deep_call();
    before = resident_pages(deep_lo, deep_hi);
    /* the deep call's pages were written: they are there (so the check below can fail) */
    assert_true(before >= DEEP_BYTES / 4096 - 2);
    idle_give_back(4096);
    after = resident_pages(deep_lo, deep_hi);
    print_message("deep call's stack pages resident: %zu before, %zu after\n", before, after);
    /* all but the pages within `keep` of this frame are gone */
    assert_true(after <= 2);
    /* and the stack works on: a deep call again gets zeroed pages and writes them */
    deep_call();
    assert_true(resident_pages(deep_lo, deep_hi) >= DEEP_BYTES / 4096 - 2);
}

static void test_keep_deeper_than_the_stack(void **state)
{
    (void)state;
    deep_call();
    /* keep reaches below the stack's mapping: nothing to give back, nothing breaks */
    idle_give_back((size_t)1 << 40);
    assert_true(resident_pages(deep_lo, deep_hi) >= DEEP_BYTES / 4096 - 2);
}

static void test_heap_given_back(void **state)
{
    enum { N = 1024, SIZE = 1000 }; /* 1 MB in small blocks: on the heap, not mmap'd */
    char **blocks;
    uintptr_t lo = UINTPTR_MAX, hi = 0;
    size_t before, after;

    (void)state;
#if defined(__SANITIZE_ADDRESS__)
    skip(); /* the sanitizer's allocator keeps freed blocks in quarantine, beyond malloc_trim */
    return;
#endif
    blocks = calloc(N, sizeof *blocks);
    assert_non_null(blocks);
    for (int i = 0; i < N; i++) {
        blocks[i] = malloc(SIZE);
        assert_non_null(blocks[i]);
        memset(blocks[i], 1, SIZE);
        if ((uintptr_t)blocks[i] < lo)
            lo = (uintptr_t)blocks[i];
        if ((uintptr_t)blocks[i] + SIZE > hi)
            hi = (uintptr_t)blocks[i] + SIZE;
    }
    before = resident_pages(lo, hi);
    assert_true(before >= 200);
    for (int i = 0; i < N; i++)
        free(blocks[i]);
    free(blocks);
    idle_give_back(4096);
    after = resident_pages(lo, hi);
    print_message("freed heap pages resident: %zu before, %zu after\n", before, after);
    assert_true(after * 10 <= before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deep_stack_given_back),
        cmocka_unit_test(test_keep_deeper_than_the_stack),
        cmocka_unit_test(test_heap_given_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
