/* scenarios_browse.c: browsing the demo catalog: store, product, configurable product, search,
 * help and quit, each checked against a golden screen. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenarios.h"
#include "sett_run.h"

/* A word that the demo catalog matches in some products but not in the first one. */
#define SEARCH_WORD "teamspeak"

/* Starts sett on the demo catalog and waits for the store with its first product. */
static int start_store(struct sett_run *r, int rows, int cols, char *first, size_t firstsz)
{
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER, .rows = rows, .cols = cols};
    char *names[1];
    if (sett_run_start(r, &o) != 0)
        return -1;
    int n = sett_peek_product_names(r, "", names, 1);
    if (n < 1) {
        fprintf(stderr, "the demo catalog lists no products\n");
        return -1;
    }
    snprintf(first, firstsz, "%s", names[0]);
    sett_names_free(names, n);
    return sett_wait_settled(r->h, first);
}

static int store_at(int rows, int cols)
{
    struct sett_run r;
    char first[256], golden[64];
    int rc = -1;
    H_CHECK(start_store(&r, rows, cols, first, sizeof first) == 0);
    snprintf(golden, sizeof golden, "store_%dx%d", cols, rows);
    H_CHECK(harness_snapshot(r.h, golden) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

int scenario_store_80x24(void)
{
    return store_at(24, 80);
}

int scenario_store_132x43(void)
{
    return store_at(43, 132);
}

/* Into the product list (→), down one, Enter: the second product of "All products". */
static int product_at(int rows, int cols)
{
    struct sett_run r;
    char first[256], golden[64], *names[2];
    int rc = -1, n = 0;
    H_CHECK(start_store(&r, rows, cols, first, sizeof first) == 0);
    n = sett_peek_product_names(&r, "", names, 2);
    H_CHECK(n == 2);
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_DOWN, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_ENTER, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, names[1]) == 0);
    snprintf(golden, sizeof golden, "product_%dx%d", cols, rows);
    H_CHECK(harness_snapshot(r.h, golden) == 0);
    /* Esc goes back to the store, the list as it was */
    H_CHECK(harness_send(r.h, HK_ESC) == 0);
    H_CHECK(harness_wait_gone(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_screen_contains(r.h, names[1]));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(names, n);
    sett_run_stop(&r);
    return rc;
}

int scenario_product_80x24(void)
{
    return product_at(24, 80);
}

int scenario_product_132x43(void)
{
    return product_at(43, 132);
}

/* "/", the text, Enter: the store lists what the server found. */
static int search_for(struct harness *h, const char *text)
{
    if (harness_send(h, "/") != 0 || harness_wait_text(h, "Search", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (harness_send(h, text) != 0 || harness_wait_text(h, text, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return harness_key(h, VTERM_KEY_ENTER, VTERM_MOD_NONE);
}

static void query_escape(const char *in, char *out, size_t outsz)
{
    size_t n = 0;
    for (; *in && n + 4 < outsz; in++) {
        unsigned char c = (unsigned char)*in;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, outsz - n, "%%%02X", c);
    }
    out[n] = '\0';
}

/* True if `name` is among the `n` names. */
static int listed(char **names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

/* The configurable product, reached by searching for its name: ranges and unit prices. */
int scenario_configurable_80x24(void)
{
    struct sett_run r;
    char first[256], name[256], label[128], query[600], *found[100];
    int rc = -1, n = 0;
    H_CHECK(start_store(&r, 24, 80, first, sizeof first) == 0);
    H_CHECK(sett_peek_model(&r, "configurable", name, sizeof name, label, sizeof label) == 0);
    query_escape(name, query + 2, sizeof query - 2);
    memcpy(query, "q=", 2);
    n = sett_peek_product_names(&r, query, found, 100);
    H_CHECK(n >= 1 && strcmp(found[0], name) == 0); /* the search puts it first */
    H_CHECK(search_for(r.h, name) == 0);
    if (!listed(found, n, first))
        H_CHECK(harness_wait_gone(r.h, first, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, name) == 0);
    H_CHECK(harness_key(r.h, VTERM_KEY_ENTER, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, name) == 0);
    H_CHECK(harness_snapshot(r.h, "configurable_80x24") == 0);
    /* the ranges and unit prices are at the end of the page */
    H_CHECK(harness_key(r.h, VTERM_KEY_END, VTERM_MOD_NONE) == 0);
    H_CHECK(sett_wait_settled(r.h, label) == 0);
    H_CHECK(harness_snapshot(r.h, "configurable_80x24_end") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(found, n);
    sett_run_stop(&r);
    return rc;
}

int scenario_search(void)
{
    struct sett_run r;
    char first[256], *found[100];
    int rc = -1, n = 0;
    H_CHECK(start_store(&r, 24, 80, first, sizeof first) == 0);
    n = sett_peek_product_names(&r, "q=" SEARCH_WORD, found, 100);
    H_CHECK(n >= 1);
    H_CHECK(!listed(found, n, first)); /* else pick another SEARCH_WORD */
    H_CHECK(search_for(r.h, SEARCH_WORD) == 0);
    H_CHECK(harness_wait_gone(r.h, first, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, found[0]) == 0);
    H_CHECK(harness_snapshot(r.h, "search_80x24") == 0);
    /* Esc clears the search: the whole catalog again */
    H_CHECK(harness_send(r.h, HK_ESC) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_names_free(found, n);
    sett_run_stop(&r);
    return rc;
}

/* "?" lists the keys (from the keymap's help texts); any key closes it, leaving no trace. */
int scenario_help(void)
{
    struct sett_run r;
    char first[256];
    int rc = -1;
    H_CHECK(start_store(&r, 24, 80, first, sizeof first) == 0);
    H_CHECK(harness_send(r.h, "?") == 0);
    H_CHECK(harness_wait_text(r.h, "Search products by text", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_text(r.h, "Quit sett", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_snapshot(r.h, "help_80x24") == 0);
    H_CHECK(harness_send(r.h, "x") == 0);
    H_CHECK(harness_wait_gone(r.h, "Search products by text", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(sett_wait_settled(r.h, first) == 0);
    H_CHECK(harness_snapshot(r.h, "store_80x24") == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* "q" exits 0 and gives the terminal back: normal screen, cursor shown, mouse released. */
int scenario_quit(void)
{
    struct sett_run r;
    char first[256];
    int rc = -1, status;
    H_CHECK(start_store(&r, 24, 80, first, sizeof first) == 0);
    H_CHECK(harness_altscreen(r.h));
    H_CHECK(harness_mouse_mode(r.h) != VTERM_PROP_MOUSE_NONE); /* the mouse is on by default */
    size_t mark = harness_raw_len(r.h);
    H_CHECK(harness_send(r.h, "q") == 0);
    H_CHECK(harness_wait_exit(r.h, harness_ms(5000), &status) == 0);
    H_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    H_CHECK(harness_raw_find(r.h, mark, "\x1b[?1049l", 8) >= 0);
    H_CHECK(!harness_altscreen(r.h));
    H_CHECK(harness_cursor_visible(r.h));
    H_CHECK(harness_mouse_mode(r.h) == VTERM_PROP_MOUSE_NONE);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}

/* The README's demo: no --api, so sett starts its embedded server with a demo database under the
 * (fresh) data directory, signs in as the demo customer, and starts on the home screen; s opens
 * the demo catalog. */
int scenario_embedded(void)
{
    struct sett_run r;
    struct sett_run_opts o = {.backend = SETT_BACKEND_EMBEDDED, .rows = 24, .cols = 80};
    char path[1024];
    int rc = -1;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(harness_wait_text(r.h, "Demo Customer", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_wait_text(r.h, "Active services", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    snprintf(path, sizeof path, "%s/.local/share/sett/billing.db", harness_home(r.h));
    H_CHECK(access(path, R_OK) == 0);
    H_CHECK(harness_send(r.h, "s") == 0);
    H_CHECK(sett_wait_settled(r.h, "Dirt") == 0);
    H_CHECK(harness_screen_contains(r.h, "Minecraft"));
    H_CHECK(harness_key(r.h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) == 0);
    H_CHECK(harness_send(r.h, HK_ENTER) == 0);
    H_CHECK(harness_wait_text(r.h, "Setup fee", harness_ms(HARNESS_TIMEOUT_MS)) == 0);
    H_CHECK(harness_screen_contains(r.h, "Store › Dirt"));
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    return rc;
}
