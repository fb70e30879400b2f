/* scenarios_cursor.c: the terminal cursor follows the selection (screen readers read where it
 * is), and --no-animation keeps a loading screen still. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "account_support.h"
#include "scenarios.h"

/* Long enough to watch a spinner turn many times (it turns every 100 ms). */
#define STILL_MS    1500
#define SLOW_MS     5000
#define MARKER      "›"
#define SPIN_FRAMES "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"

/* Two invoices (one paid with credits, one waiting for PayPal) and two lines in the cart. */
static int setup_cursor(const struct acct *a, void *ud)
{
    char url[512];
    (void)ud;
    if (acct_cart_add(a, "mc-dirt", "monthly", 1) != 0 ||
        acct_checkout(a, "credits", false, url, sizeof url) != 0)
        return -1;
    if (acct_cart_add(a, "mc-gold", "monthly", 1) != 0 ||
        acct_checkout(a, "paypal", false, url, sizeof url) != 0)
        return -1;
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_cart_add(a, "custom-build", "quarterly", 1) != 0)
        return -1;
    return 0;
}

static int cursor_fail(struct harness *h, const char *where, const char *why)
{
    int row, col;
    bool visible;
    harness_cursor(h, &row, &col, &visible);
    fprintf(stderr, "%s: %s (cursor at row %d, column %d, %s)\n", where, why, row, col,
            visible ? "visible" : "hidden");
    harness_print_screen(h, stderr, where);
    return -1;
}

/* Once the screen is settled with `text` on it: the cursor is shown, on a highlighted cell
 * (the selection, drawn in reverse video without colour), its row holds `label` and, when
 * `marker`, the selection marker. The cursor's row goes to *row_out. */
static int on_selection(struct harness *h, const char *where, const char *text, const char *label,
                        bool marker, int *row_out)
{
    VTermScreenCell cell;
    char line[1024];
    int row, col;
    bool visible;
    if (sett_wait_settled(h, text) != 0)
        return cursor_fail(h, where, "the screen did not settle");
    harness_cursor(h, &row, &col, &visible);
    if (!visible)
        return cursor_fail(h, where, "the cursor is hidden");
    if (harness_cell(h, row, col, &cell) != 0 || !cell.attrs.reverse)
        return cursor_fail(h, where, "the cursor is not on the highlighted selection");
    if (harness_row_text(h, row, line, sizeof line) < 0 || !strstr(line, label))
        return cursor_fail(h, where, "the cursor's row is not the selected one");
    if (marker && !strstr(line, MARKER))
        return cursor_fail(h, where, "the cursor's row has no selection marker");
    if (row_out)
        *row_out = row;
    return 0;
}

/* A key, then the cursor on the new selection, which is on another row than `before`. */
static int move_to(struct harness *h, const char *where, VTermKey key, const char *label,
                   bool marker, int *row)
{
    int before = *row;
    if (harness_key(h, key, VTERM_MOD_NONE) != 0)
        return -1;
    if (harness_wait_text(h, label, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    for (int i = 0; i < 20; i++) { /* the row changes once the frame is drawn */
        if (on_selection(h, where, label, label, marker, row) == 0 && *row != before)
            return 0;
        harness_pump(h, 50);
    }
    return cursor_fail(h, where, "the cursor did not move with the selection");
}

static int key_to(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* Home, the store's two panes, a product's options, the cart and the invoices: after each move
 * the cursor is visible and on the selected row. */
int scenario_cursor_selection(void)
{
    struct acct_prepare p;
    struct sett_run r;
    char env_config[600];
    const char *env[] = {env_config, "NO_COLOR=1", NULL};
    struct harness *h;
    int row = -1, rc = -1;
    memset(&r, 0, sizeof r);
    r.dead.fd = -1; /* nothing to close if the start never happens */
    memset(&p, 0, sizeof p);
    H_CHECK(acct_prepare_init(&p) == 0);
    p.setup = setup_cursor;
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = env,
                              .rows = 24,
                              .cols = 80,
                              .fixed_clock = true,
                              .prepare = acct_prepare,
                              .prepare_ud = &p};
    H_CHECK(sett_run_start(&r, &o) == 0);
    h = r.h;
    H_CHECK(on_selection(h, "home", "Credit balance", "Services", true, &row) == 0);
    H_CHECK(move_to(h, "home down", VTERM_KEY_DOWN, "Invoices", true, &row) == 0);

    /* the store: categories first, then the products pane */
    H_CHECK(key_to(h, "s", "Dirt") == 0);
    H_CHECK(on_selection(h, "categories", "Dirt", "All products", false, &row) == 0);
    H_CHECK(move_to(h, "categories down", VTERM_KEY_DOWN, "Minecraft", false, &row) == 0);
    H_CHECK(move_to(h, "products pane", VTERM_KEY_RIGHT, "Dirt", false, &row) == 0);
    H_CHECK(move_to(h, "products down", VTERM_KEY_DOWN, "Stone", false, &row) == 0);

    /* a product's options */
    H_CHECK(key_to(h, HK_ENTER, "Your order") == 0);
    H_CHECK(on_selection(h, "options", "Your order", "Billing cycle", true, &row) == 0);
    H_CHECK(move_to(h, "options down", VTERM_KEY_DOWN, "Quantity", true, &row) == 0);
    H_CHECK(move_to(h, "options up", VTERM_KEY_UP, "Billing cycle", true, &row) == 0);
    H_CHECK(harness_send(h, HK_ESC) == 0);

    /* the cart's lines */
    H_CHECK(key_to(h, "c", "Due now") == 0);
    H_CHECK(on_selection(h, "cart", "Due now", "Iron", true, &row) == 0);
    H_CHECK(move_to(h, "cart down", VTERM_KEY_DOWN, "Build Your Own", true, &row) == 0);

    /* the invoices table, newest first */
    H_CHECK(key_to(h, "H", "Credit balance") == 0);
    H_CHECK(key_to(h, "i", "Status") == 0);
    H_CHECK(on_selection(h, "invoices", "Status", "INV-2025-000002", false, &row) == 0);
    H_CHECK(move_to(h, "invoices down", VTERM_KEY_DOWN, "INV-2025-000001", false, &row) == 0);
    H_CHECK(move_to(h, "invoices up", VTERM_KEY_UP, "INV-2025-000002", false, &row) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    acct_prepare_cleanup(&p);
    return rc;
}

static bool has_spinner(const char *screen)
{
    for (const char *f = SPIN_FRAMES; *f; f += 3) /* each frame is 3 bytes of UTF-8 */
        if (strstr(screen, (char[4]){f[0], f[1], f[2], '\0'}))
            return true;
    return false;
}

/* While every reply is slow: the loading screen stays exactly as it is, in words. */
static int still_while_loading(struct sett_run *r, const char *how)
{
    char *first = NULL;
    int rc = -1;
    if (harness_wait_text(r->h, "Loading", HARNESS_TIMEOUT_MS) != 0 ||
        harness_wait_quiet(r->h, 200, HARNESS_TIMEOUT_MS) != 0)
        goto done;
    first = harness_screen_dup(r->h);
    if (!first || has_spinner(first)) {
        harness_print_screen(r->h, stderr, how);
        fprintf(stderr, "%s: a spinner frame is on the screen\n", how);
        goto done;
    }
    long long until = net_now_ms() + STILL_MS;
    while (net_now_ms() < until) {
        harness_pump(r->h, 50);
        char *now = harness_screen_dup(r->h);
        int diff = now ? harness_diff_text(how, first, now, stderr) : 1;
        free(now);
        if (diff != 0) {
            fprintf(stderr, "%s: the loading screen changed\n", how);
            goto done;
        }
    }
    if (!harness_screen_contains(r->h, "Loading")) /* still loading: the test saw the wait */
        goto done;
    rc = 0;
done:
    free(first);
    return rc;
}

/* --no-animation, and the same from config.ini's [ui] animation = false. */
int scenario_cursor_no_animation(void)
{
    static const char *const args[] = {"--no-animation", NULL};
    struct acct_prepare p;
    struct sett_run r;
    char env_config[600], path[700];
    const char *env[] = {env_config, NULL};
    int rc = -1;
    memset(&r, 0, sizeof r);
    r.dead.fd = -1; /* nothing to close if the start never happens */
    memset(&p, 0, sizeof p);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SLOW,
                              .delay_ms = SLOW_MS,
                              .extra_args = args,
                              .rows = 24,
                              .cols = 80};
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(still_while_loading(&r, "--no-animation") == 0);
    sett_run_stop(&r);

    H_CHECK(acct_prepare_init(&p) == 0);
    snprintf(path, sizeof path, "%s/sett", p.config_dir);
    H_CHECK(mkdir(path, 0700) == 0);
    snprintf(path, sizeof path, "%s/sett/config.ini", p.config_dir);
    FILE *f = fopen(path, "w");
    H_CHECK(f != NULL);
    fputs("[ui]\nanimation = false\n", f);
    H_CHECK(fclose(f) == 0);
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    o.extra_args = NULL;
    o.env = env;
    H_CHECK(sett_run_start(&r, &o) == 0);
    H_CHECK(still_while_loading(&r, "animation = false") == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    acct_prepare_cleanup(&p);
    return rc;
}
