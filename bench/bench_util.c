/* bench_util.c: screen cell comparison, /proc readings and time for the benchmarks. */
#include "bench_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int cells_take(struct cells *c, struct harness *h)
{
    int rows, cols;
    harness_size(h, &rows, &cols);
    if (rows * cols != c->rows * c->cols || !c->cell) {
        VTermScreenCell *grown = realloc(c->cell, (size_t)rows * (size_t)cols * sizeof *grown);
        if (!grown)
            return -1;
        c->cell = grown;
    }
    c->rows = rows;
    c->cols = cols;
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++)
            if (harness_cell(h, y, x, &c->cell[y * cols + x]) != 0)
                memset(&c->cell[y * cols + x], 0, sizeof c->cell[0]);
    return 0;
}

/* A cell never written holds 0, a written blank ' ': the terminal shows both alike. */
static bool chars_equal(const VTermScreenCell *a, const VTermScreenCell *b)
{
    uint32_t a0 = a->chars[0] ? a->chars[0] : ' ', b0 = b->chars[0] ? b->chars[0] : ' ';
    if (a0 != b0)
        return false;
    for (int i = 1; i < VTERM_MAX_CHARS_PER_CELL && a->chars[i - 1]; i++)
        if (a->chars[i] != b->chars[i])
            return false;
    return a->width == b->width;
}

/* Field by field: the bit-field struct has padding that memcmp would compare. */
static bool attrs_equal(const VTermScreenCellAttrs *a, const VTermScreenCellAttrs *b)
{
    return a->bold == b->bold && a->underline == b->underline && a->italic == b->italic &&
           a->blink == b->blink && a->reverse == b->reverse && a->strike == b->strike &&
           a->font == b->font && a->dwl == b->dwl && a->dhl == b->dhl;
}

long cells_changed(const struct cells *a, const struct cells *b)
{
    if (a->rows != b->rows || a->cols != b->cols)
        return -1;
    long n = 0;
    for (int i = 0; i < a->rows * a->cols; i++) {
        const VTermScreenCell *x = &a->cell[i], *y = &b->cell[i];
        if (!chars_equal(x, y) || !attrs_equal(&x->attrs, &y->attrs) ||
            !vterm_color_is_equal(&x->fg, &y->fg) || !vterm_color_is_equal(&x->bg, &y->bg))
            n++;
    }
    return n;
}

bool cells_row_same_text(const struct cells *a, const struct cells *b, int row)
{
    if (a->rows != b->rows || a->cols != b->cols || row < 0 || row >= a->rows)
        return false;
    for (int x = 0; x < a->cols; x++)
        if (!chars_equal(&a->cell[row * a->cols + x], &b->cell[row * b->cols + x]))
            return false;
    return true;
}

void cells_free(struct cells *c)
{
    free(c->cell);
    c->cell = NULL;
    c->rows = c->cols = 0;
}

/* Length of the escape sequence at p (p[0] is ESC), and into which kind it falls. */
static size_t escape_len(const unsigned char *p, size_t n, size_t **kind, struct byte_kinds *k)
{
    size_t i = 1;
    *kind = &k->other;
    if (n < 2)
        return n;
    if (p[1] == '[') {
        for (i = 2; i < n && !(p[i] >= 0x40 && p[i] <= 0x7e); i++)
            ;
        if (i >= n)
            return n;
        if (p[i] == 'm')
            *kind = &k->attr;
        else if (strchr("ABCDEFGHdefJKXPLMrSTa`", p[i]))
            *kind = &k->motion;
        return i + 1;
    }
    if (p[1] == '(' || p[1] == ')') { /* charset designation: part of xterm's sgr0 */
        *kind = &k->attr;
        return n < 3 ? n : 3;
    }
    if (p[1] == ']') { /* OSC, ended by BEL or ST */
        for (i = 2; i < n && p[i] != 7 && !(p[i] == 0x1b && i + 1 < n && p[i + 1] == '\\'); i++)
            ;
        return i >= n ? n : i + (p[i] == 7 ? 1 : 2);
    }
    if (p[1] == 'M' || p[1] == 'D' || p[1] == 'E' || p[1] == '7' || p[1] == '8')
        *kind = &k->motion; /* reverse index, index, next line, save and restore cursor */
    return 2;
}

void bytes_classify(const unsigned char *p, size_t n, struct byte_kinds *k)
{
    size_t i = 0;
    while (i < n) {
        if (p[i] == 0x1b) {
            size_t *kind;
            size_t len = escape_len(p + i, n - i, &kind, k);
            *kind += len;
            i += len;
        } else if (p[i] == '\r' || p[i] == '\n' || p[i] == '\b') {
            k->motion++;
            i++;
        } else if (p[i] < 0x20 || p[i] == 0x7f) {
            k->other++;
            i++;
        } else {
            k->text++;
            i++;
        }
    }
}

const char *proc_stat_read(pid_t pid, char *buf, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command name before it may hold anything */
    return p && p[1] == ' ' ? p + 2 : NULL;
}

/* Fields 14 and 15 of /proc/PID/stat. */
long proc_cpu_ticks(pid_t pid)
{
    char buf[1024];
    const char *p = proc_stat_read(pid, buf, sizeof buf);
    unsigned long utime, stime;
    if (!p || sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &utime, &stime) != 2)
        return -1;
    return (long)(utime + stime);
}

static long long task_ctx_switches(pid_t pid, const char *tid)
{
    char path[320], line[256];
    long long total = 0, v;
    snprintf(path, sizeof path, "/proc/%d/task/%s/status", (int)pid, tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "voluntary_ctxt_switches: %lld", &v) == 1 ||
            sscanf(line, "nonvoluntary_ctxt_switches: %lld", &v) == 1)
            total += v;
    fclose(f);
    return total;
}

/* The first field of /proc/PID/task/TID/schedstat: nanoseconds on a CPU. */
static long long task_run_ns(pid_t pid, const char *tid)
{
    char path[320];
    long long ns = -1;
    snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", (int)pid, tid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    if (fscanf(f, "%lld", &ns) != 1)
        ns = -1;
    fclose(f);
    return ns;
}

/* per_task summed over every thread of pid (values below 0 skipped); -1 if unreadable. */
static long long proc_tasks_sum(pid_t pid, long long (*per_task)(pid_t, const char *))
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long long total = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        long long n = per_task(pid, e->d_name);
        if (n > 0)
            total += n;
    }
    closedir(d);
    return total;
}

long proc_ctx_switches(pid_t pid)
{
    return (long)proc_tasks_sum(pid, task_ctx_switches);
}

long long proc_run_ns(pid_t pid)
{
    return proc_tasks_sum(pid, task_run_ns);
}

int proc_threads(pid_t pid)
{
    char path[64], line[256];
    int n = -1;
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &n) == 1)
            break;
    if (f)
        fclose(f);
    return n;
}

void bench_loadavg(char *out, size_t n)
{
    FILE *f = fopen("/proc/loadavg", "r");
    double a = -1, b = -1, c = -1;
    if (!f || fscanf(f, "%lf %lf %lf", &a, &b, &c) != 3)
        a = b = c = -1;
    if (f)
        fclose(f);
    snprintf(out, n, "%.2f %.2f %.2f", a, b, c);
}

int proc_memory_kb(pid_t pid, struct proc_memory *m)
{
    char path[64], line[256];
    long clean = -1, dirty = -1;
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    m->rss_kb = m->pss_kb = -1;
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "Rss: %ld kB", &m->rss_kb);
        sscanf(line, "Pss: %ld kB", &m->pss_kb);
        sscanf(line, "Private_Clean: %ld kB", &clean);
        sscanf(line, "Private_Dirty: %ld kB", &dirty);
    }
    fclose(f);
    m->private_kb = clean >= 0 && dirty >= 0 ? clean + dirty : -1;
    return m->rss_kb >= 0 && m->pss_kb >= 0 && m->private_kb >= 0 ? 0 : -1;
}

double bench_exec_ms(const char *const argv[])
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status;
    posix_spawn_file_actions_init(&fa);
    for (int fd = 0; fd < 3; fd++)
        posix_spawn_file_actions_addopen(&fa, fd, "/dev/null", fd ? O_WRONLY : O_RDONLY, 0);
    long long t0 = bench_now_us();
    int err = posix_spawn(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (err != 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0)
        return -1;
    return (double)(bench_now_us() - t0) / 1000.0;
}

long long bench_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *v, int n)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}
