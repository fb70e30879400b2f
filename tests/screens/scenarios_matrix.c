/* scenarios_matrix.c: the terminal matrix: one journey through the main screens (home, store,
 * product, cart, checkout, the sandbox payment, services, an invoice) per cell of terminal type,
 * colour, locale and size, each screen checked for what a customer needs to read, for stand-in
 * glyphs and for the cursor on the selection. The cells cover the axes without their product;
 * the rule is in README.md. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account_support.h"
#include "api_peek.h"
#include "scenarios.h"

#define ROW_MAX 4096

enum colour {
    COLOUR_NATURAL, /* what the terminal type offers: 256, 8 or none */
    COLOUR_NONE,    /* NO_COLOR=1 */
    COLOUR_MONO,    /* --theme mono */
};

struct cell {
    const char *term;
    enum colour colour;
    bool c_locale;
    int rows, cols;
    const char *store_golden, *cart_golden; /* NULL: properties only */
};

struct ctx {
    const struct cell *c;
    struct harness *h;
    char name[128]; /* the cell, for messages */
};

static const char *const colour_names[] = {"natural", "NO_COLOR", "mono"};

/* Every check failure says which cell and screen, and shows the screen. */
static int bad(struct ctx *x, const char *screen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(struct ctx *x, const char *screen, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    snprintf(why, sizeof why, "%s %s", x->name, screen);
    harness_print_screen(x->h, stderr, why);
    fprintf(stderr, "%s: %s: ", x->name, screen);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static bool is_box(const unsigned char *c)
{
    /* U+2500..U+257F: what the terminal's line-drawing set renders as */
    return c[0] == 0xE2 && (c[1] == 0x94 || c[1] == 0x95);
}

/* No U+FFFD, no '?' but the help key's, and in the C locale nothing outside ASCII but lines. */
static int no_stand_ins(struct ctx *x, const char *screen)
{
    char line[ROW_MAX];
    for (int y = 0; y < x->c->rows; y++) {
        if (harness_row_text(x->h, y, line, sizeof line) < 0)
            return bad(x, screen, "row %d unreadable", y);
        if (strstr(line, "\xEF\xBF\xBD"))
            return bad(x, screen, "U+FFFD on the row: %s", line);
        for (const char *q = strchr(line, '?'); q; q = strchr(q + 1, '?'))
            if (strncmp(q, "? help", 6) != 0)
                return bad(x, screen, "a '?' that the catalog did not hold: %s", line);
        if (!x->c->c_locale)
            continue;
        for (const unsigned char *c = (const unsigned char *)line; *c; c++) {
            if (*c < 0x80)
                continue;
            if (!is_box(c))
                return bad(x, screen, "a character outside ASCII in the C locale: %s", line);
            c += 2;
        }
    }
    return 0;
}

/* The first row holding `text`, or -1. */
static int row_of(struct harness *h, const char *text)
{
    int row, col;
    return harness_find(h, text, &row, &col) == 0 ? row : -1;
}

/* `text` on the screen and, when `also` is given, on one row with it (a label and its amount). */
static int shows(struct ctx *x, const char *screen, const char *text, const char *also)
{
    char line[ROW_MAX];
    if (row_of(x->h, text) < 0)
        return bad(x, screen, "\"%s\" is not on the screen", text);
    for (int y = 0; also && y < x->c->rows; y++)
        if (harness_row_text(x->h, y, line, sizeof line) >= 0 && strstr(line, text) &&
            strstr(line, also))
            return 0;
    if (also)
        return bad(x, screen, "no row holds \"%s\" with \"%s\"", text, also);
    return 0;
}

/* The cursor shown; with a `selected` label, on a highlighted cell of the row holding it. */
static int cursor_on(struct ctx *x, const char *screen, const char *selected)
{
    VTermScreenCell cell;
    char line[ROW_MAX], where[64];
    int row, col;
    bool visible;
    harness_cursor(x->h, &row, &col, &visible);
    snprintf(where, sizeof where, "row %d, column %d", row, col);
    if (!visible)
        return bad(x, screen, "the cursor is hidden (%s)", where);
    if (row < 0 || row >= x->c->rows || col < 0 || col >= x->c->cols)
        return bad(x, screen, "the cursor is off the screen (%s)", where);
    if (!selected)
        return 0;
    if (harness_row_text(x->h, row, line, sizeof line) < 0 || !strstr(line, selected))
        return bad(x, screen, "the cursor is not on the selected row (%s)", where);
    if (harness_cell(x->h, row, col, &cell) != 0 ||
        !(cell.attrs.reverse || !VTERM_COLOR_IS_DEFAULT_BG(&cell.bg)))
        return bad(x, screen, "the cursor is not on the highlight (%s)", where);
    return 0;
}

/* A screen with nothing selected (or its selection scrolled away) rests the cursor on its
 * title, the first thing a screen reader should say. */
static int at_title(struct ctx *x, const char *screen)
{
    int row, col;
    harness_cursor(x->h, &row, &col, NULL);
    if (row != 0)
        return bad(x, screen, "the cursor is on row %d, column %d, not on the title", row, col);
    return 0;
}

/* The screen after `key`, settled with `text` on it, and the checks every screen gets. */
static int step(struct ctx *x, const char *screen, const char *key, const char *text,
                const char *selected)
{
    if (key && harness_send(x->h, key) != 0)
        return -1;
    if (sett_wait_settled(x->h, text) != 0)
        return bad(x, screen, "\"%s\" never settled on the screen", text);
    if (getenv("MATRIX_DUMP")) {
        int row, col;
        harness_cursor(x->h, &row, &col, NULL);
        fprintf(stderr, "%s %s: cursor %d,%d\n", x->name, screen, row, col);
        harness_print_screen(x->h, stderr, screen);
    }
    if (no_stand_ins(x, screen) != 0)
        return -1;
    return cursor_on(x, screen, selected);
}

/* The payment link, joined when the screen wrapped it across rows. */
static int pay_url(struct ctx *x, char *url, size_t n)
{
    char line[ROW_MAX], next[ROW_MAX];
    int row = row_of(x->h, "/sandbox/pay/");
    if (row < 0 || harness_row_text(x->h, row, line, sizeof line) < 0)
        return bad(x, "payment", "no payment link");
    char *start = strstr(line, "http");
    if (!start)
        return bad(x, "payment", "the link has no start: %s", line);
    snprintf(url, n, "%s", start);
    url[strcspn(url, " ")] = '\0';
    /* a link that reached the right edge goes on at the start of the next row */
    while ((int)strlen(line) >= x->c->cols - 1 && ++row < x->c->rows &&
           harness_row_text(x->h, row, next, sizeof next) > 0) {
        const char *more = next + strspn(next, " ");
        if (strchr(more, ' ') || strlen(url) + strlen(more) >= n)
            break;
        strcat(url, more);
        memcpy(line, next, sizeof line);
    }
    return 0;
}

static int snapshot(struct ctx *x, const char *golden)
{
    return golden ? acct_snapshot(x->h, golden) : 0;
}

/* Two lines in the cart: enough to need the card after the welcome credit. */
static int setup_matrix(const struct acct *a, void *ud)
{
    (void)ud;
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_cart_add(a, "custom-build", "quarterly", 1) != 0)
        return -1;
    return 0;
}

static int journey(struct ctx *x, const char *first)
{
    struct harness *h = x->h;
    char url[1024];
    /* home, signed in: the menu with the cursor on its first entry */
    if (step(x, "home", NULL, "Sign out", "Services") != 0 ||
        shows(x, "home", "Store", NULL) != 0 || shows(x, "home", "Invoices", NULL) != 0)
        return -1;
    /* the store: categories selected first where both panes fit, else the first product; then
     * the first product with its price */
    if (harness_send(h, "s") != 0 || sett_wait_settled(h, first) != 0)
        return bad(x, "store", "\"%s\" never settled on the screen", first);
    bool one_pane = row_of(h, "All products >") >= 0 || row_of(h, "All products \u203a") >= 0;
    if (step(x, "store", NULL, first, one_pane ? first : "All products") != 0 ||
        shows(x, "store", first, "$") != 0 || snapshot(x, x->c->store_golden) != 0)
        return -1;
    if (!one_pane) {
        if (harness_key(h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) != 0)
            return -1;
        for (int i = 0; i < 20; i++) { /* the cursor moves once the frame is drawn */
            int row, col;
            char line[ROW_MAX];
            harness_cursor(h, &row, &col, NULL);
            if (harness_row_text(h, row, line, sizeof line) >= 0 && strstr(line, first))
                break;
            harness_pump(h, 50);
        }
        if (step(x, "store products", NULL, first, first) != 0)
            return -1;
    }
    /* the product: its name and price, the key that adds it */
    if (step(x, "product", HK_ENTER, "Billing cycle", "Billing cycle") != 0 ||
        shows(x, "product", first, "$") != 0 || shows(x, "product", "a add", NULL) != 0)
        return -1;
    /* the cart: its lines, the total and the checkout key */
    if (harness_send(h, HK_ESC) != 0 || step(x, "cart", "c", "Build Your Own", "Iron") != 0 ||
        shows(x, "cart", "Iron", "$") != 0 || shows(x, "cart", "Total", "$") != 0 ||
        shows(x, "cart", "o checkout", NULL) != 0 || snapshot(x, x->c->cart_golden) != 0)
        return -1;
    /* the review before paying: the total and the pay key */
    if (step(x, "checkout", "o", "p pay", NULL) != 0 || shows(x, "checkout", "Total", "$") != 0)
        return -1;
    if (row_of(h, "Card (Stripe)") >= 0 ? cursor_on(x, "checkout", "Card (Stripe)") != 0
                                        : at_title(x, "checkout") != 0)
        return -1; /* the choice of payment is below the fold on a small terminal */
    /* the sandbox payment: the amount and a whole link, which is then paid */
    if (harness_send(h, "p") != 0 || sett_wait_settled(h, "You will be charged") != 0 ||
        harness_send(h, "y") != 0)
        return bad(x, "confirm", "no confirmation");
    if (harness_wait_text(h, "/sandbox/pay/", HARNESS_TIMEOUT_MS) != 0 ||
        harness_wait_text(h, "Waiting for your payment of $", HARNESS_TIMEOUT_MS) != 0)
        return bad(x, "payment", "no payment screen");
    /* the spinner draws a frame every 100 ms: look between two */
    if (harness_wait_quiet(h, 40, HARNESS_TIMEOUT_MS) != 0)
        return bad(x, "payment", "no pause between the spinner's frames");
    if (no_stand_ins(x, "payment") != 0 || at_title(x, "payment") != 0 ||
        pay_url(x, url, sizeof url) != 0)
        return -1;
    if (acct_sandbox(url, "pay") != 200)
        return bad(x, "payment", "the link on the screen does not pay: %s", url);
    if (step(x, "paid", NULL, "your order is paid", NULL) != 0 || at_title(x, "paid") != 0)
        return -1;
    /* services: both bought, active */
    if (step(x, "services", "v", "Active", "Build Your Own") != 0 ||
        shows(x, "services", "Iron", "$") != 0 || shows(x, "services", "Build Your Own", "$") != 0)
        return -1;
    /* the invoice of the order, paid; its total at the end of the page */
    if (step(x, "invoices", "i", "INV-", "INV-") != 0 ||
        step(x, "invoice", HK_ENTER, "Paid on", NULL) != 0 || at_title(x, "invoice") != 0 ||
        shows(x, "invoice", "INV-2025-", "Paid") != 0 ||
        harness_key(h, VTERM_KEY_END, VTERM_MOD_NONE) != 0 ||
        step(x, "invoice end", NULL, "Amount due", NULL) != 0 ||
        shows(x, "invoice end", "Total", "$") != 0)
        return -1;
    return step(x, "home again", "H", "Sign out", NULL);
}

/* The compiled terminfo entry of `term` where Debian's ncurses looks for it. */
static bool terminfo_installed(const char *term)
{
    static const char *const dirs[] = {"/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"};
    char path[512];
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(path, sizeof path, "%s/%c/%s", dirs[i], term[0], term);
        if (access(path, R_OK) == 0)
            return true;
    }
    fprintf(stderr, "no terminfo entry for %s (Debian's ncurses-base has it)\n", term);
    return false;
}

static int run_cell(const struct cell *c)
{
    static const char *const mono[] = {"--theme", "mono", NULL};
    struct ctx x = {.c = c};
    struct acct_prepare p;
    struct sett_run r;
    char env_config[600], term[64], *names[1] = {0};
    const char *env[6] = {env_config, term, NULL};
    int rc = -1, n = 0, e = 2;
    memset(&r, 0, sizeof r);
    r.dead.fd = -1;
    memset(&p, 0, sizeof p);
    snprintf(x.name, sizeof x.name, "[%s %s %s %dx%d]", c->term, colour_names[c->colour],
             c->c_locale ? "C" : "UTF-8", c->cols, c->rows);
    snprintf(term, sizeof term, "TERM=%s", c->term);
    if (c->c_locale) {
        env[e++] = "LANG=C";
        env[e++] = "LC_ALL=C";
    }
    if (c->colour == COLOUR_NONE)
        env[e++] = "NO_COLOR=1";
    H_CHECK(terminfo_installed(c->term));
    H_CHECK(acct_prepare_init(&p) == 0);
    p.setup = setup_matrix;
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = env,
                              .extra_args = c->colour == COLOUR_MONO ? mono : NULL,
                              .rows = c->rows,
                              .cols = c->cols,
                              .fixed_clock = true,
                              .prepare = acct_prepare,
                              .prepare_ud = &p};
    H_CHECK(sett_run_start(&r, &o) == 0);
    x.h = r.h;
    n = sett_peek_product_names(&r, "", names, 1);
    H_CHECK(n == 1);
    H_CHECK(journey(&x, names[0]) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    if (rc != 0)
        fprintf(stderr, "FAIL cell %s\n", x.name);
    sett_names_free(names, n > 0 ? n : 0);
    sett_run_stop(&r);
    acct_prepare_cleanup(&p);
    return rc;
}

static int run_cells(const struct cell *cells, size_t n)
{
    int failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += run_cell(&cells[i]) != 0;
    return failed ? -1 : 0;
}

#define CELLS(a) run_cells(a, sizeof a / sizeof a[0])

/* Every terminal type at 80x24 in UTF-8, in its own colours (256, 8 or none). */
int scenario_matrix_terms(void)
{
    static const struct cell cells[] = {
        {"xterm-256color", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"xterm", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"screen", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"tmux-256color", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"linux", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"vt100", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
        {"vt220", COLOUR_NATURAL, false, 24, 80, NULL, NULL},
    };
    return CELLS(cells);
}

/* The C locale on the terminals that often come with it (serial lines, consoles). */
int scenario_matrix_c_locale(void)
{
    static const struct cell cells[] = {
        {"vt100", COLOUR_NATURAL, true, 24, 80, "matrix_vt100_c_store_80x24",
         "matrix_vt100_c_cart_80x24"},
        {"vt220", COLOUR_NATURAL, true, 24, 80, NULL, NULL},
        {"linux", COLOUR_NATURAL, true, 24, 80, NULL, NULL},
    };
    return CELLS(cells);
}

/* Every size for xterm-256color in both locales (80x24 in UTF-8 is in matrix_terms). */
int scenario_matrix_sizes(void)
{
    static const struct cell cells[] = {
        {"xterm-256color", COLOUR_NATURAL, false, 12, 40, "matrix_store_40x12", NULL},
        {"xterm-256color", COLOUR_NATURAL, false, 43, 132, NULL, NULL},
        {"xterm-256color", COLOUR_NATURAL, false, 100, 300, "matrix_store_300x100", NULL},
        {"xterm-256color", COLOUR_NATURAL, true, 12, 40, NULL, NULL},
        {"xterm-256color", COLOUR_NATURAL, true, 24, 80, NULL, NULL},
        {"xterm-256color", COLOUR_NATURAL, true, 43, 132, NULL, NULL},
        {"xterm-256color", COLOUR_NATURAL, true, 100, 300, NULL, NULL},
    };
    return CELLS(cells);
}

/* No colour (NO_COLOR and the mono theme) on a 256-colour and an 8-colour terminal type. */
int scenario_matrix_colour(void)
{
    static const struct cell cells[] = {
        {"xterm-256color", COLOUR_NONE, false, 24, 80, NULL, NULL},
        {"xterm-256color", COLOUR_MONO, false, 24, 80, NULL, NULL},
        {"screen", COLOUR_NONE, false, 24, 80, NULL, NULL},
        {"screen", COLOUR_MONO, false, 24, 80, NULL, NULL},
    };
    return CELLS(cells);
}

/* A terminal type terminfo does not know: sett cannot address the cursor there, so it starts
 * in plain mode: lines of text, no escape sequence, the store's first category legible. */
int scenario_matrix_unknown_term(void)
{
    struct acct_prepare p;
    struct sett_run r;
    char env_config[600], first[256] = "";
    const char *env[] = {env_config, "TERM=sett-unknown-term", NULL};
    int rc = -1;
    memset(&r, 0, sizeof r);
    r.dead.fd = -1;
    memset(&p, 0, sizeof p);
    H_CHECK(acct_prepare_init(&p) == 0);
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = env,
                              .rows = 24,
                              .cols = 80,
                              .fixed_clock = true,
                              .prepare = acct_prepare,
                              .prepare_ud = &p};
    H_CHECK(sett_run_start(&r, &o) == 0);
    cJSON *cats = api_peek_get(sett_run_server_url(&r), "/billing/categories");
    const char *name = api_peek_str(cJSON_GetArrayItem(api_peek_data(cats), 0), "name");
    snprintf(first, sizeof first, "%s", name ? name : "");
    cJSON_Delete(cats);
    H_CHECK(first[0] != '\0');
    H_CHECK(harness_wait_text(r.h, "plain mode", HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_send(r.h, "s" HK_ENTER) == 0); /* the store, wherever it starts */
    H_CHECK(harness_wait_text(r.h, first, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(harness_wait_quiet(r.h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) == 0);
    H_CHECK(!harness_screen_contains(r.h, "\xEF\xBF\xBD"));
    H_CHECK(harness_raw_find(r.h, 0, "\x1b", 1) < 0);
    H_CHECK(harness_send(r.h, "q" HK_ENTER) == 0);
    H_CHECK(sett_run_quit(&r) == 0);
    rc = 0;
fail:
    sett_run_stop(&r);
    acct_prepare_cleanup(&p);
    return rc;
}
