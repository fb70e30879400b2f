/* store_paging.c: the Store on a 10,000-product catalog against the demo shop: first paint,
 * key to repaint while scrolling, and a search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "big_catalog.h"
#include "bench_util.h"
#include "billingd_proc.h"
#include "harness.h"
#include "tempdir.h"

#define RUNS        15  /* first paints and searches per shop */
#define DOWN_STEPS  300 /* ↓ presses in the scroll walk (six page boundaries of the big shop) */
#define PGDN_STEPS  100 /* then PgDn presses (a hundred products a page boundary at 80x24: five) */
#define MAX_SAMPLES (DOWN_STEPS + PGDN_STEPS)

struct shop {
    const char *label;
    const char *url;
    const char *first; /* the first product's name */
    const char *query; /* a search, and its first result */
    const char *result;
    int total; /* products in "All products" */
    double paint[RUNS], search[RUNS];
    double repaint[MAX_SAMPLES], filled[MAX_SAMPLES];
    int steps;
};

static double ms_since(long long t0)
{
    return (double)(bench_now_us() - t0) / 1000.0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The value below which `pct` percent of the n values lie (nearest rank; sorts in place). */
static double percentile(double *v, int n, double pct)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int rank = (int)(pct / 100.0 * n + 0.999999);
    return v[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

static void grouped(int n, char *buf, size_t size)
{
    if (n >= 1000)
        snprintf(buf, size, "%d,%03d", n / 1000, n % 1000);
    else
        snprintf(buf, size, "%d", n);
}

static struct harness *start_sett(const char *sett, const struct shop *s)
{
    const char *argv[] = {sett, "--api", s->url, NULL};
    return harness_start(argv, NULL, 24, 80);
}

/* Spawn to the first product and the list's position on the screen. */
static int first_paint(const char *sett, struct shop *s, int run)
{
    char of[32], total[16];
    grouped(s->total, total, sizeof total);
    snprintf(of, sizeof of, "1 of %s", total);
    long long t0 = bench_now_us();
    struct harness *h = start_sett(sett, s);
    int rc = -1;
    if (!h || harness_wait_text(h, s->first, HARNESS_TIMEOUT_MS) != 0 ||
        harness_wait_text(h, of, HARNESS_TIMEOUT_MS) != 0)
        goto done;
    s->paint[run] = ms_since(t0);
    rc = 0;
done:
    if (h) {
        harness_send(h, "q");
        harness_wait_exit(h, harness_ms(2000), NULL);
    }
    harness_free(&h);
    return rc;
}

/* One key, then the new position on the screen (repaint) and no row still loading (filled). */
static int step(struct harness *h, struct shop *s, VTermKey key, int at)
{
    char pos[48], n[16], total[16];
    grouped(at, n, sizeof n);
    grouped(s->total, total, sizeof total);
    snprintf(pos, sizeof pos, " %s of %s", n, total);
    long long t0 = bench_now_us();
    if (harness_key(h, key, VTERM_MOD_NONE) != 0 ||
        harness_wait_text(h, pos, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    s->repaint[s->steps] = ms_since(t0);
    if (harness_wait_gone(h, "Loading", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    s->filled[s->steps++] = ms_since(t0);
    return 0;
}

/* ↓ and then PgDn through the list (the demo shop: down and back to the top, again). */
static int scroll_walk(const char *sett, struct shop *s)
{
    struct harness *h = start_sett(sett, s);
    int rc = -1, at = 1;
    if (!h || harness_wait_text(h, s->first, HARNESS_TIMEOUT_MS) != 0 ||
        harness_wait_quiet(h, 200, HARNESS_TIMEOUT_MS) != 0 || harness_send(h, "l") != 0 ||
        harness_wait_quiet(h, 200, HARNESS_TIMEOUT_MS) != 0)
        goto done;
    for (int i = 0; i < DOWN_STEPS; i++) {
        if (at == s->total) {
            if (step(h, s, VTERM_KEY_HOME, 1) != 0)
                goto done;
            at = 1;
            continue;
        }
        if (step(h, s, VTERM_KEY_DOWN, ++at) != 0)
            goto done;
    }
    for (int i = 0; i < PGDN_STEPS && s->total > 1000; i++) {
        at += 5;
        if (step(h, s, VTERM_KEY_PAGEDOWN, at) != 0)
            goto done;
    }
    rc = 0;
done:
    if (rc != 0 && h)
        harness_print_screen(h, stderr, "store_paging: the walk stopped here");
    if (h) {
        harness_send(h, "q");
        harness_wait_exit(h, harness_ms(2000), NULL);
    }
    harness_free(&h);
    return rc;
}

/* The query with the letters that bit i of `run` picks in capitals: the same search, but a
 * different request each run, so the server's response cache never answers it. */
static void query_variant(const char *q, int run, char *out, size_t size)
{
    size_t i = 0;
    for (; q[i] && i + 1 < size; i++)
        out[i] = (char)(i < 30 && (run >> i & 1) ? q[i] - 'a' + 'A' : q[i]);
    out[i] = '\0';
}

/* Enter on "/QUERY" to the first result on the screen; Esc back to the whole list between. */
static int searches(const char *sett, struct shop *s)
{
    struct harness *h = start_sett(sett, s);
    int rc = -1;
    if (!h || harness_wait_text(h, s->first, HARNESS_TIMEOUT_MS) != 0)
        goto done;
    for (int run = 0; run < RUNS; run++) {
        char q[64];
        query_variant(s->query, run + 1, q, sizeof q);
        if (harness_wait_quiet(h, 150, HARNESS_TIMEOUT_MS) != 0 || harness_send(h, "/") != 0 ||
            harness_wait_text(h, "Search:", HARNESS_TIMEOUT_MS) != 0 || harness_send(h, q) != 0 ||
            harness_wait_quiet(h, 150, HARNESS_TIMEOUT_MS) != 0)
            goto done;
        long long t0 = bench_now_us();
        if (harness_key(h, VTERM_KEY_ENTER, VTERM_MOD_NONE) != 0 ||
            harness_wait_text(h, s->result, HARNESS_TIMEOUT_MS) != 0 ||
            harness_wait_text(h, " 1 of ", HARNESS_TIMEOUT_MS) != 0)
            goto done;
        s->search[run] = ms_since(t0);
        if (harness_send(h, "\033") != 0 || harness_wait_text(h, s->first, HARNESS_TIMEOUT_MS))
            goto done;
    }
    rc = 0;
done:
    if (h) {
        harness_send(h, "q");
        harness_wait_exit(h, harness_ms(2000), NULL);
    }
    harness_free(&h);
    return rc;
}

static void print_row(const char *what, double demo, double big, const char *target)
{
    printf("| %s | %.1f | %.1f | %.1fx | %s |\n", what, demo, big, demo > 0 ? big / demo : 0,
           target);
}

int main(int argc, char **argv)
{
    const char *sett = argc > 1 ? argv[1] : BENCH_SETT;
    const char *billingd = argc > 2 ? argv[2] : BENCH_BILLINGD;
    struct billingd_proc *demo_srv = NULL, *big_srv = NULL;
    static struct shop shops[2];
    char dir[512] = "", catalog[600];
    int failed = 1;

    if (tempdir_make("sett-bench-paging", dir, sizeof dir) != 0) {
        perror("store_paging: temporary directory");
        return 1;
    }
    snprintf(catalog, sizeof catalog, "%s/catalog.json", dir);
    if (big_catalog_write(catalog, 10, 1000) != 0 ||
        !(demo_srv = billingd_proc_start(billingd, NULL, harness_ms(HARNESS_TIMEOUT_MS))) ||
        !(big_srv = billingd_proc_start(billingd, catalog, harness_ms(HARNESS_TIMEOUT_MS)))) {
        fprintf(stderr, "store_paging: could not start %s\n", billingd);
        goto done;
    }
    shops[0] = (struct shop){.label = "demo shop",
                             .url = billingd_proc_url(demo_srv),
                             .first = "Dirt",
                             .query = "teamspeak",
                             .result = "TeamSpeak 10 Slots",
                             .total = 23};
    shops[1] = (struct shop){.label = "10,000 products",
                             .url = billingd_proc_url(big_srv),
                             .first = "Server 00001",
                             .query = "kestrel",
                             .result = "Server 00100",
                             .total = 10000};
    for (int run = 0; run < RUNS; run++)
        for (int i = 0; i < 2; i++)
            if (first_paint(sett, &shops[i], run) != 0)
                goto done;
    for (int i = 0; i < 2; i++)
        if (scroll_walk(sett, &shops[i]) != 0 || searches(sett, &shops[i]) != 0)
            goto done;

    struct shop *d = &shops[0], *b = &shops[1];
    double cold_d = d->paint[0], cold_b = b->paint[0]; /* before anything was cached */
    printf("store_paging: 80x24, %d runs; demo shop (23 products) against 10 categories x 1,000\n",
           RUNS);
    printf("| ms | demo | 10,000 | ratio | target |\n");
    printf("|---|---:|---:|---:|---|\n");
    print_row("first paint, first run", cold_d, cold_b, "");
    print_row("first paint p50", percentile(d->paint, RUNS, 50), percentile(b->paint, RUNS, 50),
              "≤ 2x demo");
    print_row("first paint p90", percentile(d->paint, RUNS, 90), percentile(b->paint, RUNS, 90),
              "");
    print_row("key → repaint p50", percentile(d->repaint, d->steps, 50),
              percentile(b->repaint, b->steps, 50), "");
    print_row("key → repaint p99", percentile(d->repaint, d->steps, 99),
              percentile(b->repaint, b->steps, 99), "≤ 5 ms");
    print_row("key → rows filled p99", percentile(d->filled, d->steps, 99),
              percentile(b->filled, b->steps, 99), "");
    print_row("key → rows filled max", percentile(d->filled, d->steps, 100),
              percentile(b->filled, b->steps, 100), "");
    print_row("search: Enter → results p50", percentile(d->search, RUNS, 50),
              percentile(b->search, RUNS, 50), "≤ 5x demo");
    print_row("search: Enter → results p90", percentile(d->search, RUNS, 90),
              percentile(b->search, RUNS, 90), "");
    printf("(scroll walk: %d keys in the demo shop, %d in the big one: %d ↓ then %d PgDn)\n",
           d->steps, b->steps, DOWN_STEPS, PGDN_STEPS);
    failed = 0;
done:
    billingd_proc_stop(&demo_srv);
    billingd_proc_stop(&big_srv);
    tempdir_remove(dir);
    return failed;
}
