/* render_walk.c: sett's rendering, first paint and idle cost against a plain ncurses list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench_items.h"
#include "bench_util.h"
#include "billingd_proc.h"
#include "harness.h"
#include "tempdir.h"
#include "walk.h"

#define N_PROGRAMS 3

struct paths {
    const char *sett, *billingd, *toy;
};

static const char usage_text[] =
    "Usage: render_walk [OPTIONS]\n"
    "Walks a %d-item list down on an 80x24 pseudo-terminal in a plain ncurses list (the\n"
    "baseline) and in sett's Store, and prints bytes sent per changed cell, first paint,\n"
    "idle CPU and memory.\n"
    "\n"
    "  --steps N      keys in the walk (default 30)\n"
    "  --runs N       first-paint runs per program (default 9)\n"
    "  --quiet-ms N   silence that ends a key's output (default 100)\n"
    "  --idle-ms N    idle measurement window (default 2000)\n"
    "  --sett PATH, --billingd PATH, --toy PATH   the programs\n"
    "  --verbose      every step, and the screens before and after the walk\n"
    "  --dump DIR     write the first screen and each step to DIR/PROGRAM-NN.out (00: first)\n";

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_options(int argc, char **argv, struct walk_settings *s, struct paths *p)
{
    static const struct option opts[] = {
        {"steps", required_argument, NULL, 's'},
        {"runs", required_argument, NULL, 'r'},
        {"quiet-ms", required_argument, NULL, 'q'},
        {"idle-ms", required_argument, NULL, 'i'},
        {"sett", required_argument, NULL, 'S'},
        {"billingd", required_argument, NULL, 'B'},
        {"toy", required_argument, NULL, 'T'},
        {"verbose", no_argument, NULL, 'v'},
        {"dump", required_argument, NULL, 'D'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    for (int c; (c = getopt_long(argc, argv, "v", opts, NULL)) != -1;) {
        int bad = 0;
        switch (c) {
        case 's':
            bad = parse_int(optarg, 1, WALK_MAX_STEPS, &s->steps);
            break;
        case 'r':
            bad = parse_int(optarg, 1, WALK_MAX_RUNS, &s->runs);
            break;
        case 'q':
            bad = parse_int(optarg, 10, 5000, &s->quiet_ms);
            break;
        case 'i':
            bad = parse_int(optarg, 100, 60000, &s->idle_ms);
            break;
        case 'S':
            p->sett = optarg;
            break;
        case 'B':
            p->billingd = optarg;
            break;
        case 'T':
            p->toy = optarg;
            break;
        case 'D':
            s->dump_dir = optarg;
            break;
        case 'v':
            s->verbose = true;
            break;
        case 'h':
            printf(usage_text, BENCH_ITEMS);
            exit(0);
        default:
            bad = -1;
        }
        if (bad) {
            fprintf(stderr, usage_text, BENCH_ITEMS);
            return -1;
        }
    }
    return 0;
}

static cJSON *catalog_product(int i)
{
    char name[64], slug[32];
    int size = bench_item_size(i);
    cJSON *p = cJSON_CreateObject(), *res = cJSON_CreateObject();
    cJSON *cycles = cJSON_CreateArray(), *monthly = cJSON_CreateObject();

    bench_item_name(i, name, sizeof name);
    bench_item_slug(i, slug, sizeof slug);
    cJSON_AddStringToObject(p, "slug", slug);
    cJSON_AddStringToObject(p, "name", name);
    cJSON_AddStringToObject(p, "short_description", bench_item_blurb(i));
    cJSON_AddStringToObject(p, "description", bench_item_blurb(i));
    cJSON_AddStringToObject(p, "pricing_model", "fixed");
    cJSON_AddNumberToObject(res, "memory_mb", 1024 * size);
    cJSON_AddNumberToObject(res, "disk_mb", 10240 * size);
    cJSON_AddNumberToObject(res, "cpu_percent", 50 * (size + 1));
    cJSON_AddItemToObject(p, "resources", res);
    cJSON_AddStringToObject(monthly, "cycle", "monthly");
    cJSON_AddNumberToObject(monthly, "price", (double)bench_item_price(i));
    cJSON_AddItemToArray(cycles, monthly);
    cJSON_AddItemToObject(p, "cycles", cycles);
    return p;
}

/* One category holding the same BENCH_ITEMS products as the toy list. */
static int write_catalog(const char *path)
{
    cJSON *doc = cJSON_CreateObject(), *cats = cJSON_AddArrayToObject(doc, "categories");
    cJSON *cat = cJSON_CreateObject(), *products;
    cJSON_AddStringToObject(cat, "slug", "game-servers");
    cJSON_AddStringToObject(cat, "name", "Game servers");
    cJSON_AddStringToObject(cat, "description", "Every game we host.");
    products = cJSON_AddArrayToObject(cat, "products");
    for (int i = 0; i < BENCH_ITEMS; i++)
        cJSON_AddItemToArray(products, catalog_product(i));
    cJSON_AddItemToArray(cats, cat);
    char *text = cJSON_Print(doc);
    int rc = text ? tempdir_write_file(path, text, strlen(text)) : -1;
    free(text);
    cJSON_Delete(doc);
    return rc;
}

static void print_walk(const struct program *p, const struct result *r, int n,
                       const struct walk_settings *s)
{
    printf("\nList walk: %dx%d, %d steps of '%s' after the first screen settled; a step ends\n"
           "after %d ms without output. Cells compare characters, attributes and colours.\n\n",
           s->cols, s->rows, s->steps, p[0].step_key, s->quiet_ms);
    printf("%-18s %8s %9s %10s %8s %10s %10s\n", "program", "bytes", "changed", "bytes/cell",
           "vs toy", "bytes/step", "1st screen");
    double base = r[0].cells ? (double)r[0].bytes / (double)r[0].cells : 0;
    for (int i = 0; i < n; i++) {
        double per = r[i].cells ? (double)r[i].bytes / (double)r[i].cells : 0;
        printf("%-18s %8zu %9ld %10.2f %7.2fx %10.0f %10zu\n", p[i].label, r[i].bytes, r[i].cells,
               per, base > 0 ? per / base : 0, r[i].steps ? (double)r[i].bytes / r[i].steps : 0,
               r[i].first_screen_bytes);
    }
}

/* The same walk split into steps that only move the selection and steps that scroll the list. */
static void print_split(const struct program *p, const struct result *r, int n)
{
    printf("\n%-18s | %-30s | %-30s\n", "", "steps in view (selection moves)",
           "steps that scroll the list");
    printf("%-18s | %3s %8s %8s %8s | %3s %8s %8s %8s\n", "program", "n", "bytes", "changed",
           "b/cell", "n", "bytes", "changed", "b/cell");
    for (int i = 0; i < n; i++) {
        size_t bytes[2] = {0, 0};
        long cells[2] = {0, 0};
        int steps[2] = {0, 0};
        for (int k = 0; k < r[i].steps; k++) {
            int j = r[i].step[k].scrolled;
            bytes[j] += r[i].step[k].bytes;
            cells[j] += r[i].step[k].cells;
            steps[j]++;
        }
        printf("%-18s", p[i].label);
        for (int j = 0; j < 2; j++)
            printf(" | %3d %8zu %8ld %8.2f", steps[j], bytes[j], cells[j],
                   cells[j] ? (double)bytes[j] / (double)cells[j] : 0);
        printf("\n");
    }
}

/* Where the walk's bytes go: characters, attribute changes, cursor motion. */
static void print_kinds(const struct program *p, const struct result *r, int n)
{
    printf("\nBytes of the walk by kind (%% of the program's bytes):\n");
    printf("%-18s %14s %14s %14s %10s\n", "program", "text", "attributes", "motion/erase", "other");
    for (int i = 0; i < n; i++) {
        struct byte_kinds k = {0};
        for (int j = 0; j < r[i].steps; j++) {
            k.text += r[i].step[j].kinds.text;
            k.attr += r[i].step[j].kinds.attr;
            k.motion += r[i].step[j].kinds.motion;
            k.other += r[i].step[j].kinds.other;
        }
        double all = r[i].bytes ? (double)r[i].bytes : 1;
        printf("%-18s %7zu (%3.0f%%) %7zu (%3.0f%%) %7zu (%3.0f%%) %10zu\n", p[i].label, k.text,
               100.0 * (double)k.text / all, k.attr, 100.0 * (double)k.attr / all, k.motion,
               100.0 * (double)k.motion / all, k.other);
    }
}

static void print_paint_idle(const struct program *p, struct result *r, int n,
                             const struct walk_settings *s)
{
    printf("\nFirst paint: spawn on the pty to the first frame showing the first item, in ms\n"
           "(%d runs each, interleaved); exec: spawn to exit of `--version`, no terminal.\n"
           "Idle: the settled program over %d ms after the walk; memory at its end.\n\n",
           s->runs, s->idle_ms);
    printf("%-17s %5s %6s %5s %5s %5s | %5s %7s %5s %6s %6s %7s\n", "program", "byte1", "paint",
           "min", "max", "exec", "ticks", "wakeups", "bytes", "RSS kB", "PSS kB", "priv kB");
    for (int i = 0; i < n; i++) {
        double fb = bench_median(r[i].first_byte_ms, r[i].runs);
        double ex = bench_median(r[i].exec_ms, r[i].runs);
        double *v = r[i].first_paint_ms;
        double p50 = bench_median(v, r[i].runs); /* sorts v */
        printf("%-17s %5.1f %6.1f %5.1f %5.1f %5.1f | %5ld %7ld %5zu %6ld %6ld %7ld\n", p[i].label,
               fb, p50, r[i].runs ? v[0] : 0, r[i].runs ? v[r[i].runs - 1] : 0, ex, r[i].idle_ticks,
               r[i].idle_switches, r[i].idle_bytes, r[i].mem.rss_kb, r[i].mem.pss_kb,
               r[i].mem.private_kb);
    }
}

int main(int argc, char **argv)
{
    struct walk_settings s = {
        .rows = 24, .cols = 80, .steps = 30, .runs = 9, .quiet_ms = 100, .idle_ms = 2000};
    struct paths paths = {BENCH_SETT, BENCH_BILLINGD, BENCH_TOY};
    static struct result res[N_PROGRAMS];
    struct billingd_proc *server = NULL;
    char dir[512] = "", catalog[600];
    int failed = 0;

    if (parse_options(argc, argv, &s, &paths) != 0)
        return 2;
    if (tempdir_make("sett-bench", dir, sizeof dir) != 0) {
        perror("render_walk: temporary directory");
        return 1;
    }
    snprintf(catalog, sizeof catalog, "%s/catalog.json", dir);
    if (write_catalog(catalog) != 0 ||
        !(server = billingd_proc_start(paths.billingd, catalog, harness_ms(HARNESS_TIMEOUT_MS)))) {
        fprintf(stderr, "render_walk: could not start %s\n", paths.billingd);
        failed = 1;
        goto done;
    }
    const char *url = billingd_proc_url(server);
    const struct program programs[N_PROGRAMS] = {
        {.label = "toy_list",
         .argv = {paths.toy, NULL},
         .version = {paths.toy, "--version", NULL},
         .first_text = "Minecraft Dirt",
         .full_text = "j/k move",
         .step_key = "j",
         .list_row = 1},
        {.label = "toy_list --color",
         .argv = {paths.toy, "--color", NULL},
         .version = {paths.toy, "--version", NULL},
         .first_text = "Minecraft Dirt",
         .full_text = "j/k move",
         .step_key = "j",
         .list_row = 1},
        {.label = "sett",
         .argv = {paths.sett, "--api", url, NULL},
         .version = {paths.sett, "--version", NULL},
         .first_text = "Minecraft Dirt",
         .full_text = "from $",
         .focus_keys = "l", /* the walk moves in the products pane */
         .step_key = "j",
         .list_row = 1},
    };
    printf("render_walk: %d items; sett against %s\n", BENCH_ITEMS, url);
    for (int i = 0; i < N_PROGRAMS; i++)
        failed |= walk_measure(&programs[i], &s, &res[i]) != 0;
    for (int run = 0; run < s.runs; run++)
        for (int i = 0; i < N_PROGRAMS; i++)
            failed |= walk_first_paint(&programs[i], &s, &res[i]) != 0;
    print_walk(programs, res, N_PROGRAMS, &s);
    print_split(programs, res, N_PROGRAMS);
    print_kinds(programs, res, N_PROGRAMS);
    print_paint_idle(programs, res, N_PROGRAMS, &s);
done:
    billingd_proc_stop(&server);
    tempdir_remove(dir);
    if (failed)
        fprintf(stderr, "render_walk: some measurements failed (see above)\n");
    return failed;
}
