/* screenshots.c: the README's pictures from real runs of sett against the demo billing server on
 * a fixed day: the main screens as SVG in the default and the mono theme (with their cell dumps,
 * which the tests render again), and a purchase recorded as an asciicast.
 * Usage: sett_screenshots OUT_DIR CELLS_DIR
 *        sett_screenshots --markup FILE.svg   (a catalog of markup names, for the tests) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account_support.h"
#include "cast.h"
#include "harness_svg.h"

#define ROWS 30
#define COLS 100
/* The fixed server's day (fixed_billingd.c), as the recording's start. */
#define CAST_TIMESTAMP 1748856600LL

struct shots {
    const char *out_dir, *cells_dir;
    const char *theme; /* NULL for the default theme */
};

static int shot(const struct shots *s, struct harness *h, const char *name, const char *what)
{
    char svg[1024], cells[1024], title[160], file[128];
    snprintf(file, sizeof file, "%s%s%s", name, s->theme ? "-" : "", s->theme ? s->theme : "");
    snprintf(svg, sizeof svg, "%s/%s.svg", s->out_dir, file);
    snprintf(cells, sizeof cells, "%s/%s.cells", s->cells_dir, file);
    snprintf(title, sizeof title, "sett: %s (%s theme)", what, s->theme ? s->theme : "default");
    if (harness_svg_titled(h, svg, title, cells) != 0)
        return -1;
    printf("  %s\n", svg);
    return 0;
}

static int settled_key(struct harness *h, const char *key, const char *text)
{
    if (harness_send(h, key) != 0)
        return -1;
    return sett_wait_settled(h, text);
}

/* The demo customer's history: a server paid with credits, two paid by card, one cancelled at
 * the end of its period; then a cart of two products with a coupon, to check out on screen. */
static int setup_history(const struct acct *a, void *ud)
{
    char url[512];
    (void)ud;
    if (acct_cart_add(a, "mc-dirt", "monthly", 1) != 0 ||
        acct_checkout(a, "credits", false, url, sizeof url) != 0)
        return -1;
    if (acct_cart_add(a, "mc-gold", "quarterly", 1) != 0 ||
        acct_checkout(a, "stripe", false, url, sizeof url) != 0 || !url[0] ||
        acct_sandbox(url, "pay") != 200)
        return -1;
    if (acct_cart_add(a, "mc-iron", "monthly", 1) != 0 ||
        acct_cart_add(a, "custom-build", "quarterly", 1) != 0)
        return -1;
    return acct_cart_coupon(a, "WELCOME10");
}

/* Every screen of one theme, in the order a customer meets them. */
static int theme_run(const struct shots *s)
{
    struct sett_run r;
    struct acct_prepare p = {.setup = setup_history};
    char env_config[600], url[512];
    const char *env[] = {env_config, NULL};
    const char *args[] = {"--no-animation", s->theme ? "--theme" : NULL, s->theme, NULL};
    struct harness *h;
    int rc = -1;
    if (acct_prepare_init(&p) != 0)
        return -1;
    snprintf(env_config, sizeof env_config, "XDG_CONFIG_HOME=%s", p.config_dir);
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .env = env,
                              .extra_args = args,
                              .rows = ROWS,
                              .cols = COLS,
                              .fixed_clock = true,
                              .prepare = acct_prepare,
                              .prepare_ud = &p};
    if (sett_run_start(&r, &o) != 0)
        goto done;
    h = r.h;
    if (sett_wait_settled(h, "Cart 2") != 0 || shot(s, h, "home", "Home") != 0)
        goto stop;
    if (settled_key(h, "s", "Dirt") != 0 || shot(s, h, "store", "Store") != 0)
        goto stop;
    if (harness_key(h, VTERM_KEY_RIGHT, VTERM_MOD_NONE) != 0 ||
        harness_key(h, VTERM_KEY_DOWN, VTERM_MOD_NONE) != 0 ||
        settled_key(h, HK_ENTER, "Due today") != 0 || shot(s, h, "product", "Product") != 0)
        goto stop;
    if (settled_key(h, "c", "Due now") != 0 || shot(s, h, "cart", "Cart") != 0)
        goto stop;
    if (settled_key(h, "o", "You pay now") != 0 || shot(s, h, "checkout", "Checkout") != 0)
        goto stop;
    if (settled_key(h, "p", "You will be charged") != 0 || harness_send(h, "y") != 0 ||
        harness_wait_text(h, "Scan the code", HARNESS_TIMEOUT_MS) != 0 ||
        harness_wait_quiet(h, SETT_QUIET_MS, HARNESS_TIMEOUT_MS) != 0 ||
        shot(s, h, "payment", "Paying on the gateway") != 0)
        goto stop;
    if (acct_screen_pay_url(h, url, sizeof url) != 0 || acct_sandbox(url, "pay") != 200 ||
        harness_wait_text(h, "your order is paid", HARNESS_TIMEOUT_MS) != 0 ||
        sett_wait_settled(h, "Active") != 0)
        goto stop;
    if (settled_key(h, "v", "Next due") != 0 || shot(s, h, "services", "Services") != 0)
        goto stop;
    if (settled_key(h, "i", "Status") != 0 || settled_key(h, HK_ENTER, "Payments") != 0 ||
        shot(s, h, "invoice", "Invoice") != 0)
        goto stop;
    rc = sett_run_quit(&r);
stop:
    sett_run_stop(&r);
done:
    acct_prepare_cleanup(&p);
    return rc;
}

/* Think time before a key, and between typed characters. */
#define READ_S 1.2
#define TYPE_S 0.08

static int cast_key(struct cast *c, const char *key, const char *then)
{
    cast_pause(c, READ_S);
    if (cast_type(c, key, TYPE_S) != 0 || cast_wait(c, then, 0) != 0 ||
        cast_wait(c, "Loading", 1) != 0)
        return -1;
    return cast_quiet(c, SETT_QUIET_MS);
}

static int cast_vkey(struct cast *c, VTermKey key)
{
    cast_pause(c, READ_S / 2);
    if (harness_key(c->h, key, VTERM_MOD_NONE) != 0)
        return -1;
    return cast_quiet(c, SETT_QUIET_MS);
}

/* A purchase from the store to the new server: browse, sign in when adding, a coupon, checkout
 * with credits first, the rest paid on the sandbox page (as a phone would, from the QR code),
 * the service active. */
static int purchase(const char *path)
{
    struct sett_run r;
    struct cast c = {.f = NULL};
    char url[512];
    const char *args[] = {"--no-animation", NULL};
    int rc = -1;
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .extra_args = args,
                              .rows = ROWS,
                              .cols = COLS,
                              .fixed_clock = true};
    if (sett_run_start(&r, &o) != 0)
        return -1;
    if (cast_open(&c, path, r.h, CAST_TIMESTAMP, "sett: a purchase") != 0)
        goto stop;
    if (cast_wait(&c, "Dirt", 0) != 0 || cast_wait(&c, "Loading", 1) != 0 ||
        cast_quiet(&c, SETT_QUIET_MS) != 0)
        goto stop;
    if (cast_vkey(&c, VTERM_KEY_RIGHT) != 0 || cast_vkey(&c, VTERM_KEY_DOWN) != 0 ||
        cast_vkey(&c, VTERM_KEY_DOWN) != 0 || cast_key(&c, HK_ENTER, "Due today") != 0)
        goto stop;
    if (cast_key(&c, "+", "Quarterly") != 0)
        goto stop;
    if (cast_key(&c, "a", "E-mail:") != 0 || cast_key(&c, ACCT_DEMO_EMAIL, "demo@") != 0 ||
        cast_key(&c, HK_ENTER, "Password:") != 0 || cast_key(&c, ACCT_DEMO_PASSWORD, "•") != 0 ||
        cast_key(&c, HK_ENTER, "Cart 1") != 0)
        goto stop;
    if (cast_key(&c, "c", "Due now") != 0 || cast_key(&c, "C", "Coupon code:") != 0 ||
        cast_key(&c, "WELCOME10", "WELCOME10") != 0 ||
        cast_key(&c, HK_ENTER, "Coupon WELCOME10 applied") != 0)
        goto stop;
    if (cast_key(&c, "o", "You pay now") != 0 || cast_key(&c, "p", "You will be charged") != 0 ||
        cast_key(&c, "y", "Scan the code") != 0)
        goto stop;
    cast_pause(&c, 2.5); /* the customer scans the code and pays on the phone */
    if (acct_screen_pay_url(r.h, url, sizeof url) != 0 || acct_sandbox(url, "pay") != 200 ||
        cast_wait(&c, "your order is paid", 0) != 0 || cast_wait(&c, "Active", 0) != 0 ||
        cast_quiet(&c, SETT_QUIET_MS) != 0)
        goto stop;
    if (cast_key(&c, "v", "Next due") != 0 || cast_key(&c, HK_ENTER, "Server") != 0)
        goto stop;
    cast_pause(&c, 2 * READ_S);
    rc = sett_run_quit(&r);
stop:
    if (cast_close(&c) != 0)
        rc = -1;
    sett_run_stop(&r);
    if (rc == 0)
        printf("  %s\n", path);
    return rc;
}

/* The store of a catalog whose names are markup, for the test that the picture escapes them. */
static int markup(const char *path)
{
    struct sett_run r;
    struct sett_run_opts o = {.backend = SETT_BACKEND_SERVER,
                              .catalog = "markup-catalog.json",
                              .rows = ROWS,
                              .cols = COLS};
    int rc = -1;
    if (sett_run_start(&r, &o) != 0)
        return -1;
    if (sett_wait_settled(r.h, "<script>&\"'") == 0 &&
        harness_svg_titled(r.h, path, "<script>&\"' in the store", NULL) == 0)
        rc = sett_run_quit(&r);
    sett_run_stop(&r);
    return rc;
}

int main(int argc, char **argv)
{
    char cast_path[1024];
    if (argc == 3 && strcmp(argv[1], "--markup") == 0)
        return markup(argv[2]) == 0 ? 0 : 1;
    if (argc != 3) {
        fprintf(stderr, "usage: %s OUT_DIR CELLS_DIR | --markup FILE.svg\n", argv[0]);
        return 2;
    }
    struct shots themes[] = {{argv[1], argv[2], NULL}, {argv[1], argv[2], "mono"}};
    for (size_t i = 0; i < sizeof themes / sizeof themes[0]; i++) {
        printf("%s theme:\n", themes[i].theme ? themes[i].theme : "default");
        if (theme_run(&themes[i]) != 0) {
            fprintf(stderr, "sett_screenshots: the %s theme's run failed\n",
                    themes[i].theme ? themes[i].theme : "default");
            return 1;
        }
    }
    snprintf(cast_path, sizeof cast_path, "%s/purchase.cast", argv[1]);
    printf("a purchase:\n");
    if (purchase(cast_path) != 0) {
        fprintf(stderr, "sett_screenshots: the purchase's recording failed\n");
        return 1;
    }
    return 0;
}
