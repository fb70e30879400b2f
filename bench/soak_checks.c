/* soak_checks.c: what the soak watches and checks: the servers' memory, descriptors and
 * zombies, their logs, and the billing API's record of every purchase. */
#include "soak.h"

#include "account_support.h"
#include "bench_util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOAK_MAX_PROCS    4096
#define SOAK_FLAT_KB      2048 /* growth allowed after the warm-up: 2 MB ... */
#define SOAK_FLAT_PERCENT 10   /* ... or this share of the size, whichever is larger */
#define SOAK_LINES_SHOWN  5

/* ---- samples ---- */

static char proc_state(pid_t pid)
{
    char buf[512];
    const char *st = proc_stat_read(pid, buf, sizeof buf);
    return st ? st[0] : '?';
}

/* Zombies below settd (connection processes, the programs they run) or sett-billingd that are
 * still zombies a second later: one seen once may be a process its parent reaps that moment. */
static int zombies(const struct soak *s)
{
    pid_t below[SOAK_MAX_PROCS], z[64];
    int n = settd_proc_descendants(s->b.sett.settd, below, SOAK_MAX_PROCS), nz = 0, left = 0;
    pid_t bill = billingd_proc_pid(s->b.billing);
    DIR *d = opendir("/proc");
    struct dirent *e;
    n = n < SOAK_MAX_PROCS ? n : SOAK_MAX_PROCS;
    while (d && (e = readdir(d)) && n < SOAK_MAX_PROCS) { /* the billing server's children */
        char buf[512];
        pid_t pid = (pid_t)atoi(e->d_name), ppid = 0;
        const char *st = pid > 0 ? proc_stat_read(pid, buf, sizeof buf) : NULL;
        if (st && sscanf(st, "%*c %d", &ppid) == 1 && ppid == bill)
            below[n++] = pid;
    }
    if (d)
        closedir(d);
    for (int i = 0; i < n && nz < 64; i++)
        if (proc_state(below[i]) == 'Z')
            z[nz++] = below[i];
    if (nz == 0)
        return 0;
    poll(NULL, 0, 1000);
    for (int i = 0; i < nz; i++)
        if (proc_state(z[i]) == 'Z')
            left++;
    return left;
}

int soak_sample_take(struct soak *s, struct soak_sample *out)
{
    pid_t settd = settd_proc_pid(s->b.sett.settd), bill = billingd_proc_pid(s->b.billing);
    static pid_t conns[SOAK_MAX_PROCS], progs[SOAK_MAX_PROCS]; /* the main thread's alone */
    struct proc_memory ms = {0}, mb = {0};
    if (proc_memory_kb(settd, &ms) != 0 || proc_memory_kb(bill, &mb) != 0)
        return -1;
    *out = (struct soak_sample){.settd_rss = ms.rss_kb,
                                .settd_pss = ms.pss_kb,
                                .bill_rss = mb.rss_kb,
                                .bill_pss = mb.pss_kb,
                                .settd_fds = sb_fd_count(settd),
                                .bill_fds = sb_fd_count(bill),
                                .bill_threads = proc_threads(bill)};
    pid_t fs = settd_proc_fork_server(s->b.sett.settd);
    struct proc_memory mf = {0};
    if (fs > 0 && proc_memory_kb(fs, &mf) == 0) {
        out->fs_rss = mf.rss_kb;
        out->fs_fds = sb_fd_count(fs);
    }
    out->conns = sb_server_procs(&s->b.sett, conns, progs, SOAK_MAX_PROCS, &out->progs);
    out->zombies = zombies(s);
    return 0;
}

/* ---- growth ---- */

/* The figures compared between samples: each a long of struct soak_sample. */
static const struct {
    const char *name, *unit;
    size_t at;   /* offsetof */
    bool memory; /* judged by growth; descriptors are judged once the load is gone */
} measures[] = {
    {"settd (listening) RSS", " kB", offsetof(struct soak_sample, settd_rss), true},
    {"settd (listening) PSS", " kB", offsetof(struct soak_sample, settd_pss), false},
    {"settd (listening) descriptors", "", offsetof(struct soak_sample, settd_fds), false},
    {"sett-billingd RSS", " kB", offsetof(struct soak_sample, bill_rss), true},
    {"sett-billingd PSS", " kB", offsetof(struct soak_sample, bill_pss), false},
    {"sett-billingd descriptors", "", offsetof(struct soak_sample, bill_fds), false},
    {"the fork server RSS", " kB", offsetof(struct soak_sample, fs_rss), true},
    {"the fork server descriptors", "", offsetof(struct soak_sample, fs_fds), false},
};

static long measure(const struct soak_sample *p, size_t m)
{
    long v;
    memcpy(&v, (const char *)p + measures[m].at, sizeof v);
    return v;
}

/* Least-squares slope of measure m over the samples from `from` on, per hour. */
static double slope_per_hour(const struct soak *s, int from, size_t m)
{
    double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = from; i < s->samples; i++) {
        double x = s->sample[i].minute / 60.0, y = (double)measure(&s->sample[i], m);
        n++, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
    double d = n * sxx - sx * sx;
    return n >= 2 && d > 0 ? (n * sxy - sx * sy) / d : 0.0;
}

int soak_report_growth(const struct soak *s)
{
    int from = 0, rc = 0, z = 0;
    printf("### The long-lived processes, sampled every %d s\n\n", s->set.sample_seconds);
    printf(
        "| min | settd RSS kB | PSS kB | fds | billing RSS kB | PSS kB | fds | threads | "
        "sessions | sett | zombies |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    const struct soak_sample *q[2] = {&s->quiet_before, &s->quiet_after};
    for (int i = -1; i <= s->samples; i++) {
        const struct soak_sample *p = i < 0 ? q[0] : i == s->samples ? q[1] : &s->sample[i];
        printf("| %s%.1f | %ld | %ld | %ld | %ld | %ld | %ld | %d | %d | %d | %d |\n",
               i < 0             ? "before "
               : i == s->samples ? "after "
                                 : "",
               p->minute, p->settd_rss, p->settd_pss, p->settd_fds, p->bill_rss, p->bill_pss,
               p->bill_fds, p->bill_threads, p->conns, p->progs, p->zombies);
        z += p->zombies;
    }
    while (from < s->samples - 1 && s->sample[from].minute * 60 < s->set.warmup_seconds)
        from++;
    if (s->samples < 2) {
        printf("\nToo few samples to compare.\n\n");
        return -1;
    }
    const struct soak_sample *a = &s->sample[from], *b = &s->sample[s->samples - 1];
    printf("\nFrom the first sample after the warm-up (%.1f min) to the last (%.1f min), and the "
           "least-squares slope over those %d samples:\n\n| | first | last | growth | slope per "
           "hour |\n|---|---:|---:|---:|---:|\n",
           a->minute, b->minute, s->samples - from);
    for (size_t m = 0; m < sizeof measures / sizeof measures[0]; m++) {
        long va = measure(a, m), vb = measure(b, m), grow = vb - va;
        printf("| %s | %ld%s | %ld%s | %+ld | %+.0f |\n", measures[m].name, va, measures[m].unit,
               vb, measures[m].unit, grow, slope_per_hour(s, from, m));
        long allowed = va * SOAK_FLAT_PERCENT / 100 > SOAK_FLAT_KB ? va * SOAK_FLAT_PERCENT / 100
                                                                   : SOAK_FLAT_KB;
        if (measures[m].memory && grow > allowed) {
            printf("| ↑ GROWS more than %ld kB | | | | |\n", allowed);
            rc = -1;
        }
    }
    bool fds_back = s->quiet_after.settd_fds == s->quiet_before.settd_fds &&
                    s->quiet_after.bill_fds == s->quiet_before.bill_fds &&
                    s->quiet_after.fs_fds == s->quiet_before.fs_fds;
    printf("\nWith no customer connected, before and after the load: settd %ld → %ld descriptors, "
           "sett-billingd %ld → %ld, the fork server %ld → %ld (%s); zombies seen in all "
           "samples: %d.\n\n",
           s->quiet_before.settd_fds, s->quiet_after.settd_fds, s->quiet_before.bill_fds,
           s->quiet_after.bill_fds, s->quiet_before.fs_fds, s->quiet_after.fs_fds,
           fds_back ? "the same" : "NOT THE SAME", z);
    return rc == 0 && fds_back && z == 0 ? 0 : -1;
}

/* ---- logs ---- */

/* Each line of text from `from` on: fn(line, length, ud). */
static void each_line(const char *text, size_t from, void (*fn)(const char *, size_t, void *),
                      void *ud)
{
    const char *p = text && strlen(text) >= from ? text + from : NULL;
    while (p && *p) {
        size_t len = strcspn(p, "\n");
        if (len)
            fn(p, len, ud);
        p += len + (p[len] == '\n');
    }
}

struct log_tally {
    const char *who;
    int connects, other;
    char reasons[16][32];
    int counts[16], nr;
};

static void note_other(struct log_tally *t, const char *line, size_t len)
{
    if (t->other++ < SOAK_LINES_SHOWN)
        printf("%s said: %.*s\n", t->who, (int)len, line);
}

static void settd_line(const char *line, size_t len, void *ud)
{
    struct log_tally *t = ud;
    const char *r = strstr(line, " reason=");
    if (strncmp(line, "settd: connect ", 15) == 0) {
        t->connects++;
        return;
    }
    if (strncmp(line, "settd: disconnect ", 18) != 0 || !r || r > line + len) {
        note_other(t, line, len);
        return;
    }
    r += strlen(" reason=");
    size_t rl = strcspn(r, " \n");
    int k = 0;
    while (k < t->nr && (strlen(t->reasons[k]) != rl || strncmp(t->reasons[k], r, rl) != 0))
        k++;
    if (k == t->nr && t->nr < 16)
        snprintf(t->reasons[t->nr++], sizeof t->reasons[0], "%.*s", (int)rl, r);
    if (k < t->nr)
        t->counts[k]++;
    if (rl == 14 && strncmp(r, "internal-error", rl) == 0)
        note_other(t, line, len);
}

static void billing_line(const char *line, size_t len, void *ud)
{
    note_other(ud, line, len); /* it runs --quiet: whatever it says is out of the ordinary */
}

int soak_report_logs(const struct soak *s, size_t settd_from, size_t bill_from)
{
    struct log_tally st = {.who = "settd"}, bt = {.who = "sett-billingd"};
    char *sl = settd_proc_log(s->b.sett.settd), *bl = billingd_proc_log(s->b.billing);
    printf("### Logs during the load\n\n");
    each_line(sl, settd_from, settd_line, &st);
    each_line(bl, bill_from, billing_line, &bt);
    printf("settd: %d connect lines; disconnects by reason:", st.connects);
    for (int k = 0; k < st.nr; k++)
        printf(" %d %s", st.counts[k], st.reasons[k]);
    printf("%s. Other lines (errors): settd %d, sett-billingd %d.\n\n", st.nr ? "" : " none",
           st.other, bt.other);
    free(sl);
    free(bl);
    return sl && bl ? st.other + bt.other : -1;
}

/* ---- purchases ---- */

static long money_of(const cJSON *o, const char *name)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, name);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(m, "amount");
    return cJSON_IsNumber(a) ? (long)a->valuedouble : 0;
}

static int int_of(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsNumber(v) ? v->valueint : 0;
}

/* Walks every page of `path`: fn for each item. 0 or -1. */
static int each_item(const struct acct *admin, const char *path,
                     void (*fn)(const cJSON *item, void *ud), void *ud)
{
    for (int page = 1, pages = 1; page <= pages; page++) {
        char p[256];
        snprintf(p, sizeof p, "%s?per_page=100&page=%d", path, page);
        cJSON *env = acct_get(admin, p), *it;
        if (!env)
            return -1;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(env, "data")) fn(it, ud);
        pages = int_of(cJSON_GetObjectItemCaseSensitive(env, "meta"), "total_pages");
        cJSON_Delete(env);
    }
    return 0;
}

struct books {
    const struct acct *admin;
    int accounts, active_services, unpaid, paid_invoices, other_invoices;
    long paid_money, due_on_paid;
    bool failed;
};

static void invoice_seen(const cJSON *inv, void *ud)
{
    struct books *k = ud;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(inv, "status");
    if (cJSON_IsString(st) && strcmp(st->valuestring, "paid") == 0) {
        k->paid_invoices++;
        k->paid_money += money_of(inv, "total");
        k->due_on_paid += money_of(inv, "amount_due");
    } else {
        k->other_invoices++;
    }
}

static void user_seen(const cJSON *u, void *ud)
{
    struct books *k = ud;
    const cJSON *role = cJSON_GetObjectItemCaseSensitive(u, "role");
    char path[96];
    if (!cJSON_IsString(role) || strcmp(role->valuestring, "customer") != 0 ||
        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(u, "ssh_keys")) == 0)
        return; /* the demo accounts: the soak's customers are the accounts of SSH keys */
    k->accounts++;
    k->active_services += int_of(u, "active_services");
    k->unpaid += int_of(u, "unpaid_invoices");
    snprintf(path, sizeof path, "/admin/users/%d/invoices", int_of(u, "id"));
    if (each_item(k->admin, path, invoice_seen, k) != 0)
        k->failed = true;
}

int soak_report_purchases(const struct soak *s)
{
    struct acct admin;
    struct books k = {.admin = &admin};
    int paid = atomic_load(&s->paid), bought = atomic_load(&s->bought);
    long money = atomic_load(&s->money);
    printf("### Purchases\n\n");
    if (acct_login(&admin, billingd_proc_url(s->b.billing), ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) !=
            0 ||
        each_item(&admin, "/admin/users", user_seen, &k) != 0 || k.failed) {
        printf("The billing API could not be read.\n\n");
        return -1;
    }
    bool same = k.paid_invoices == paid && k.paid_money == money && k.due_on_paid == 0 &&
                k.active_services == bought && k.unpaid == 0;
    printf("| | the customers | the billing API |\n|---|---:|---:|\n");
    printf("| payments made / invoices paid | %d | %d |\n", paid, k.paid_invoices);
    printf("| money charged / paid invoices' totals | $%ld.%02ld | $%ld.%02ld |\n", money / 100,
           money % 100, k.paid_money / 100, k.paid_money % 100);
    printf("| services seen active / active services | %d | %d |\n", bought, k.active_services);
    printf("| unpaid invoices | | %d |\n", k.unpaid);
    printf("\nAccounts of the customers' keys: %d; other invoices (not paid): %d; still due on "
           "paid invoices: %ld. %s\n\n",
           k.accounts, k.other_invoices, k.due_on_paid,
           same ? "Every purchase is accounted for." : "THE BOOKS DO NOT MATCH.");
    return same ? 0 : -1;
}
