/* scenarios_paging.c: the store on a catalog of 10,000 products: the last one reached with End,
 * scrolling past where a fixed number of pages would stop, search results paged alike, and the
 * rows of a page still on its way. */
#include <stdio.h>
#include <unistd.h>

#include "big_catalog.h"
#include "scenarios.h"
#include "sett_run.h"

#define PAGING_CATEGORIES   10
#define PAGING_PER_CATEGORY 1000
/* PgDn moves by the whole products visible: five at 80x24. */
#define PAGING_PGDN_STEP 5
#define PAGING_PGDN      405 /* to product 2,026: past the 2,000 a 40-page limit would show */

static int press(struct harness *h, VTermKey key, int times)
{
    for (int i = 0; i < times; i++)
        if (harness_key(h, key, VTERM_MOD_NONE) != 0)
            return -1;
    return 0;
}

int scenario_store_paging(void)
{
    struct sett_run r;
    char path[64], name[32], at[32];
    int rc = -1;
    snprintf(path, sizeof path, "/tmp/sett-paging-%ld.json", (long)getpid());
    if (big_catalog_write(path, PAGING_CATEGORIES, PAGING_PER_CATEGORY) != 0)
        return -1;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SERVER, .catalog = path, .rows = 24, .cols = 80};
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(harness_wait_text(r.h, "Server 00001", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(r.h, "1 of 10,000", HARNESS_TIMEOUT_MS) == 0);

    /* End: the very last product, fetched directly */
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "10,000 of 10,000", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 10000") == 0);
    H_CHECK(harness_snapshot(r.h, "paging_end_80x24") == 0);

    /* Home, then down page by page well past product 2,000 */
    H_CHECK(harness_key(r.h, VTERM_KEY_HOME, VTERM_MOD_NONE) == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 00001") == 0);
    H_CHECK(press(r.h, VTERM_KEY_PAGEDOWN, PAGING_PGDN) == 0);
    H_CHECK(press(r.h, VTERM_KEY_DOWN, 1) == 0);
    snprintf(name, sizeof name, BIG_CATALOG_NAME_FMT, PAGING_PGDN * PAGING_PGDN_STEP + 2);
    snprintf(at, sizeof at, "2,%03d of 10,000", PAGING_PGDN * PAGING_PGDN_STEP + 2 - 2000);
    H_CHECK(harness_wait_text(r.h, at, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, name) == 0);
    H_CHECK(!harness_screen_contains(r.h, "Loading"));

    /* Search results page the same way: one product in a hundred, End to the last */
    H_CHECK(harness_send(r.h, "/") == 0);
    H_CHECK(harness_wait_text(r.h, "Search", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "KESTREL") == 0);
    H_CHECK(harness_wait_text(r.h, "KESTREL", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_ENTER, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "1 of 100", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 00100") == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "100 of 100", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 10000") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    unlink(path);
    return rc;
}

/* Every reply a second late: End moves at once, its rows read "Loading…" until the last page
 * comes, and nothing else is fetched on the way. */
int scenario_store_paging_loading(void)
{
    struct sett_run r;
    char path[64];
    int rc = -1;
    snprintf(path, sizeof path, "/tmp/sett-paging-slow-%ld.json", (long)getpid());
    if (big_catalog_write(path, PAGING_CATEGORIES, PAGING_PER_CATEGORY) != 0)
        return -1;
    struct sett_run_opts o = {
        .backend = SETT_BACKEND_SLOW, .delay_ms = 1000, .catalog = path, .rows = 24, .cols = 80};
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(harness_wait_text(r.h, "1 of 10,000", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 00001") == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "10,000 of 10,000", harness_ms(500)) == 0);
    H_CHECK(harness_wait_text(r.h, "Loading…", harness_ms(500)) == 0);
    H_CHECK(!harness_screen_contains(r.h, "Server"));
    H_CHECK(harness_snapshot(r.h, "paging_loading_80x24") == 0);
    H_CHECK(sett_wait_settled(r.h, "Server 10000") == 0);
    H_CHECK(!harness_screen_contains(r.h, "Loading"));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    unlink(path);
    return rc;
}
