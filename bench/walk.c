/* walk.c: drives one program on a pty and measures its list walk, first paint and idle cost. */
#include "walk.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "bench_util.h"
#include "harness.h"
#include "tempdir.h"

#define RESPONSE_MS 2000 /* a key's first output byte must come within this */
#define SETTLE_MS   10000

static int remaining_ms(long long deadline_us)
{
    long long left = deadline_us - bench_now_us();
    return left <= 0 ? 0 : (int)((left + 999) / 1000);
}

/* Waits for the program to answer what was sent after raw offset `from`, then for it to go
 * quiet. No output at all is an answer too (0 bytes). Returns 0, or -1 if it never settled. */
static int await_response(struct harness *h, size_t from, const struct walk_settings *s)
{
    long long deadline = bench_now_us() + (long long)harness_ms(RESPONSE_MS) * 1000;
    while (harness_raw_len(h) == from && bench_now_us() < deadline)
        if (harness_pump(h, remaining_ms(deadline)) < 0)
            return -1;
    return harness_wait_quiet(h, s->quiet_ms, SETTLE_MS);
}

static int send_and_settle(struct harness *h, const char *keys, const struct walk_settings *s)
{
    size_t from = harness_raw_len(h);
    if (harness_send(h, keys) != 0)
        return -1;
    return await_response(h, from, s);
}

static int wait_first_screen(struct harness *h, const struct program *p,
                             const struct walk_settings *s)
{
    if (harness_wait_text(h, p->first_text, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (p->full_text && harness_wait_text(h, p->full_text, HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return harness_wait_quiet(h, s->quiet_ms, SETTLE_MS);
}

/* Keeps a step's output as the terminal received it, for reading with cat -v or a hex dump. */
static void dump_step(struct harness *h, const struct program *p, const struct walk_settings *s,
                      int step, size_t from)
{
    char path[1024], name[64];
    size_t len;
    const unsigned char *raw = harness_raw(h, &len);
    snprintf(name, sizeof name, "%s", p->label);
    for (char *c = name; *c; c++)
        if (!isalnum((unsigned char)*c))
            *c = '_';
    snprintf(path, sizeof path, "%s/%s-%02d.out", s->dump_dir, name, step);
    if (tempdir_write_file(path, raw + from, len - from) != 0)
        perror(path);
}

static int walk_steps(struct harness *h, const struct program *p, const struct walk_settings *s,
                      struct result *r)
{
    int rc = -1;
    struct cells before = {0}, after = {0};

    if (cells_take(&before, h) != 0)
        goto done;
    for (int i = 0; i < s->steps && i < WALK_MAX_STEPS; i++) {
        size_t from = harness_raw_len(h);
        if (send_and_settle(h, p->step_key, s) != 0 || cells_take(&after, h) != 0)
            goto done;
        struct step *st = &r->step[i];
        st->bytes = harness_raw_len(h) - from;
        bytes_classify(harness_raw(h, NULL) + from, st->bytes, &st->kinds);
        st->cells = cells_changed(&before, &after);
        st->scrolled = !cells_row_same_text(&before, &after, p->list_row);
        r->bytes += st->bytes;
        r->cells += st->cells > 0 ? st->cells : 0;
        r->steps = i + 1;
        if (s->dump_dir)
            dump_step(h, p, s, i + 1, from);
        if (s->verbose)
            printf("  %-16s step %2d: %5zu bytes, %5ld cells changed%s\n", p->label, i + 1,
                   st->bytes, st->cells, st->scrolled ? ", scrolled" : "");
        struct cells swap = before;
        before = after;
        after = swap;
    }
    rc = 0;
done:
    cells_free(&before);
    cells_free(&after);
    return rc;
}

/* CPU, wake-ups and output of a settled program over idle_ms, then its memory. */
static int measure_idle(struct harness *h, const struct walk_settings *s, struct result *r)
{
    pid_t pid = harness_pid(h);
    long t0 = proc_cpu_ticks(pid), c0 = proc_ctx_switches(pid);
    size_t b0 = harness_raw_len(h);
    long long end = bench_now_us() + (long long)s->idle_ms * 1000;

    while (bench_now_us() < end)
        if (harness_pump(h, remaining_ms(end)) < 0)
            return -1;
    long t1 = proc_cpu_ticks(pid), c1 = proc_ctx_switches(pid);
    if (t0 < 0 || t1 < 0 || c0 < 0 || c1 < 0) {
        fprintf(stderr, "render_walk: cannot read /proc/%d\n", (int)pid);
        return -1;
    }
    r->idle_ticks = t1 - t0;
    r->idle_switches = c1 - c0;
    r->idle_bytes = harness_raw_len(h) - b0;
    if (proc_memory_kb(pid, &r->mem) != 0) {
        fprintf(stderr, "render_walk: cannot read /proc/%d/smaps_rollup\n", (int)pid);
        return -1;
    }
    return 0;
}

int walk_measure(const struct program *p, const struct walk_settings *s, struct result *r)
{
    int rc = -1;
    struct harness *h = harness_start(p->argv, NULL, s->rows, s->cols);

    if (!h)
        goto done;
    if (wait_first_screen(h, p, s) != 0)
        goto done;
    r->first_screen_bytes = harness_raw_len(h);
    if (s->dump_dir)
        dump_step(h, p, s, 0, 0); /* the first screen */
    if (p->focus_keys && send_and_settle(h, p->focus_keys, s) != 0)
        goto done;
    if (s->verbose)
        harness_print_screen(h, stdout, p->label);
    if (walk_steps(h, p, s, r) != 0) {
        harness_print_screen(h, stderr, "the walk stopped here");
        goto done;
    }
    if (s->verbose)
        harness_print_screen(h, stdout, p->label);
    if (measure_idle(h, s, r) != 0)
        goto done;
    harness_send(h, "q");
    harness_wait_exit(h, harness_ms(2000), NULL);
    rc = 0;
done:
    if (rc != 0)
        fprintf(stderr, "render_walk: %s: the walk failed\n", p->label);
    harness_free(&h);
    return rc;
}

int walk_first_paint(const struct program *p, const struct walk_settings *s, struct result *r)
{
    int rc = -1;
    long long t0 = bench_now_us();
    long long deadline = t0 + (long long)harness_ms(HARNESS_TIMEOUT_MS) * 1000;
    double first_byte = -1;
    struct harness *h = harness_start(p->argv, NULL, s->rows, s->cols);

    if (!h || r->runs >= WALK_MAX_RUNS)
        goto done;
    for (;;) {
        if (first_byte < 0 && harness_raw_len(h) > 0)
            first_byte = (double)(bench_now_us() - t0) / 1000.0;
        if (harness_screen_contains(h, p->first_text))
            break;
        if (bench_now_us() >= deadline || harness_pump(h, remaining_ms(deadline)) < 0) {
            harness_print_screen(h, stderr, "first paint: the expected text never showed");
            goto done;
        }
    }
    r->first_paint_ms[r->runs] = (double)(bench_now_us() - t0) / 1000.0;
    r->first_byte_ms[r->runs] = first_byte;
    harness_send(h, "q");
    harness_wait_exit(h, harness_ms(2000), NULL);
    harness_free(&h);
    r->exec_ms[r->runs] = bench_exec_ms(p->version); /* with nothing else of ours running */
    if (r->exec_ms[r->runs] < 0) {
        fprintf(stderr, "render_walk: %s --version did not run\n", p->version[0]);
        goto done;
    }
    r->runs++;
    rc = 0;
done:
    if (rc != 0)
        fprintf(stderr, "render_walk: %s: first paint failed\n", p->label);
    harness_free(&h);
    return rc;
}
