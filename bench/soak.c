/* soak.c: settd, sett and sett-billingd under a mixed load of SSH customers for a set time
 * (browse, buy in the sandbox, sit idle, drop the line, resize storms), the servers sampled every
 * minute; at the end their memory and descriptors, zombies, the logs and every purchase checked. */
#include "soak.h"

#include "account_support.h"
#include "bench_util.h"
#include "ssh_timed.h"
#include "tempdir.h"

#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#if !defined(BENCH_SETT) || !defined(BENCH_SETTD) || !defined(BENCH_BILLINGD)
#error "BENCH_SETT, BENCH_SETTD and BENCH_BILLINGD must be defined"
#endif

#define SOAK_ROWS       43 /* wide enough for the payment link on one row */
#define SOAK_COLS       132
#define SOAK_WAIT_MS    20000 /* longest wait for a screen under load */
#define SOAK_SHOW_FAILS 5     /* failed sessions whose screen is printed */

static const char *const action_names[ACT_N] = {"browse", "buy", "idle", "drop", "resize storm"};
/* how often each is picked, in percent */
static const int action_weight[ACT_N] = {35, 20, 15, 15, 15};
/* products a browsing customer opens: the search word and the name the store shows */
static const char *const browse_products[][2] = {
    {"mc-dirt", "Dirt"}, {"mc-stone", "Stone"},     {"mc-iron", "Iron"},
    {"mc-gold", "Gold"}, {"mc-diamond", "Diamond"}, {"mc-netherite", "Netherite"}};

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bench_soak [OPTION]...\n"
            "Runs settd, sett and sett-billingd under a mixed load of SSH customers (browse, buy\n"
            "in the sandbox, idle, drop the connection, resize storms) and checks at the end:\n"
            "memory and descriptors flat, no zombie, no error in the logs, every purchase\n"
            "accounted for. Exits 1 when a check fails.\n"
            "\n"
            "  --minutes N         how long the customers shop (30; or SETT_SOAK_MINUTES)\n"
            "  --short             a 2-minute run that checks the soak itself works\n"
            "  --customers N       customers at once (8)\n"
            "  --sample-seconds N  between samples of the servers (60)\n"
            "  --warmup-seconds N  samples before this are not compared (300)\n"
            "  --settd PATH        another build of settd (default: this build's)\n"
            "  --sett PATH         and have it run another build of sett\n"
            "  --verbose           a line per session\n"
            "  --help              show this help\n");
}

static int parse(int argc, char **argv, struct soak_settings *s)
{
    static const struct option opts[] = {
        {"minutes", required_argument, NULL, 0},
        {"customers", required_argument, NULL, 1},
        {"sample-seconds", required_argument, NULL, 2},
        {"warmup-seconds", required_argument, NULL, 3},
        {"short", no_argument, NULL, 'Q'},
        {"settd", required_argument, NULL, 'd'},
        {"sett", required_argument, NULL, 's'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *env = getenv("SETT_SOAK_MINUTES");
    int minutes = env && atoi(env) > 0 ? atoi(env) : 30, warmup = -1;
    *s = (struct soak_settings){.customers = 8,
                                .sample_seconds = 60,
                                .idle_min = 30,
                                .idle_max = 90,
                                .storm = 200,
                                .settd = BENCH_SETTD,
                                .sett = BENCH_SETT};
    int *numbers[] = {&minutes, &s->customers, &s->sample_seconds, &warmup};
    const struct sb_options o = {.prog = "bench_soak",
                                 .opts = opts,
                                 .numbers = numbers,
                                 .n_numbers = (int)(sizeof numbers / sizeof numbers[0]),
                                 .lo = 0,
                                 .hi = 10000,
                                 .settd = &s->settd,
                                 .sett = &s->sett,
                                 .verbose = &s->verbose,
                                 .flag = &s->short_run,
                                 .usage = usage};
    if (sb_parse_options(&o, argc, argv) != 0)
        return -1;
    s->seconds = minutes * 60;
    if (s->short_run) { /* the same mix, in little */
        s->seconds = 120;
        s->sample_seconds = 15;
        s->idle_min = 5;
        s->idle_max = 15;
        s->storm = 50;
    }
    s->warmup_seconds = warmup >= 0 ? warmup : s->short_run ? 30 : 300;
    if (s->customers < 1 || s->sample_seconds < 1 || s->seconds < 1 ||
        s->seconds / s->sample_seconds >= SOAK_MAX_SAMPLES - 1) {
        fprintf(stderr,
                "bench_soak: at least 1 customer, 1 minute and 1 s between samples, and "
                "fewer than %d samples\n",
                SOAK_MAX_SAMPLES);
        return -1;
    }
    return 0;
}

/* ---- one customer ---- */

struct customer {
    struct soak *s;
    int id;
    unsigned int seed;
};

/* Waits for a row holding `text`, then for the screen to go quiet. 0 or -1. */
static int settled(struct ssh_timed *c, const char *text)
{
    long long at, a, z;
    if (ssh_timed_wait_row(c, text, NULL, SOAK_WAIT_MS, &at) != 0)
        return -1;
    ssh_timed_wait_answer(c, 300, 100, &a, &z); /* what follows the text, if anything */
    return 0;
}

static int key_settled(struct ssh_timed *c, const char *key, const char *text)
{
    return ssh_timed_send(c, key) == 0 ? settled(c, text) : -1;
}

/* A key, and its answer read (the screen settles). 0 or -1 when nothing came. */
static int key_answered(struct ssh_timed *c, const char *key)
{
    long long a, z;
    return ssh_timed_send(c, key) == 0 && ssh_timed_wait_answer(c, SOAK_WAIT_MS, 100, &a, &z) == 0
               ? 0
               : -1;
}

/* Sleeps up to `seconds`, reading what the session sends meanwhile; stops early on stop. */
static void sit(struct customer *u, struct ssh_timed *c, int seconds)
{
    long long until = bench_now_us() + (long long)seconds * 1000000;
    while (!atomic_load(&u->s->stop) && bench_now_us() < until) {
        if (c && ssh_timed_drain(c) != 0)
            return;
        poll(NULL, 0, 200);
    }
}

/* "$12.34" after `after` on the screen, in cents; -1 if not found. */
static long screen_amount(struct ssh_timed *c, const char *after)
{
    char text[16384];
    long whole = 0, cents = 0;
    ssh_timed_screen_text(c, text, sizeof text);
    const char *p = strstr(text, after);
    p = p ? strchr(p, '$') : NULL;
    if (!p || sscanf(p + 1, "%ld.%2ld", &whole, &cents) < 1)
        return -1;
    return whole * 100 + cents;
}

/* A key that may change nothing (up at the top, left in the leftmost pane): what comes is
 * read; 0 unless the session has ended. */
static int key_maybe(struct ssh_timed *c, const char *key)
{
    long long a, z;
    if (ssh_timed_send(c, key) != 0)
        return -1;
    ssh_timed_wait_answer(c, 500, 100, &a, &z);
    return ssh_timed_drain(c);
}

static int browse(struct customer *u, struct ssh_timed *c)
{
    const char *keys[] = {"j", "k", "l", "h", "j", "j"};
    for (int i = 0; i < 3; i++)
        if (key_maybe(c, keys[rand_r(&u->seed) % 6]) != 0)
            return -1;
    int p = (int)(rand_r(&u->seed) % (sizeof browse_products / sizeof browse_products[0]));
    char search[64];
    snprintf(search, sizeof search, "%s\r", browse_products[p][0]);
    if (key_settled(c, "/", "Search") != 0 || key_settled(c, search, browse_products[p][1]) != 0 ||
        key_settled(c, "\r", "Due today") != 0)
        return -1;
    return key_answered(c, "\x1b");
}

/* The purchase as a customer makes it: Iron into the cart, checkout, the card on the sandbox
 * page (the load client plays the customer's browser), then the service active. */
static int buy(struct customer *u, struct ssh_timed *c)
{
    char url[512], text[16384];
    long cents;
    if (key_settled(c, "/", "Search") != 0 || key_settled(c, "mc-iron\r", "Iron") != 0 ||
        key_settled(c, "\r", "Due today") != 0 || key_settled(c, "a", "Added Iron") != 0 ||
        settled(c, "Cart 1 ·") != 0 || key_settled(c, "c", "Due now") != 0 ||
        key_settled(c, "o", "You pay now") != 0 || key_settled(c, "p", "You will be charged") != 0)
        return -1;
    cents = screen_amount(c, "You will be charged");
    if (cents < 0 || key_settled(c, "y", "Waiting for your payment") != 0 ||
        settled(c, "/sandbox/pay/") != 0)
        return -1;
    ssh_timed_screen_text(c, text, sizeof text);
    if (acct_text_pay_url(text, url, sizeof url) != 0 || acct_sandbox(url, "pay") != 200)
        return -1;
    atomic_fetch_add(&u->s->paid, 1);
    atomic_fetch_add(&u->s->money, cents);
    if (settled(c, "your order is paid") != 0 || settled(c, "Active · ") != 0 ||
        settled(c, "Cart empty") != 0)
        return -1;
    atomic_fetch_add(&u->s->bought, 1);
    return 0;
}

static int resize_storm(struct customer *u, struct ssh_timed *c)
{
    for (int i = 0; i < u->s->set.storm; i++) {
        int rows = 10 + (int)(rand_r(&u->seed) % 60), cols = 20 + (int)(rand_r(&u->seed) % 200);
        if (ssh_timed_resize(c, rows, cols) != 0)
            return -1;
        atomic_fetch_add(&u->s->resizes, 1);
        if (i % 10 == 0 && ssh_timed_drain(c) != 0)
            return -1;
    }
    /* back to a size the store fits, and it still answers */
    if (ssh_timed_resize(c, SOAK_ROWS, SOAK_COLS) != 0)
        return -1;
    atomic_fetch_add(&u->s->resizes, 1);
    return settled(c, "Dirt") == 0 && key_answered(c, "j") == 0 ? 0 : -1;
}

static enum soak_action pick(struct customer *u)
{

    int r = (int)(rand_r(&u->seed) % 100), a = 0;
    while (a < ACT_N - 1 && r >= action_weight[a])
        r -= action_weight[a++];
    return (enum soak_action)a;
}

/* One session: open, reach the store, the action, then leave (`q`, or the line dropped). */
static int session(struct customer *u, enum soak_action act)
{
    struct soak *s = u->s;
    struct ssh_marks m;
    struct ssh_timed *c = ssh_timed_open(settd_proc_port(s->b.sett.settd), "guest", s->keys[u->id],
                                         SOAK_ROWS, SOAK_COLS, &m);
    int rc = -1;
    const char *where = "the store's first screen";
    if (!c || settled(c, "Dirt") != 0)
        goto done;
    where = action_names[act];
    switch (act) {
    case ACT_BROWSE:
        rc = browse(u, c);
        break;
    case ACT_BUY:
        rc = buy(u, c);
        break;
    case ACT_IDLE:
        sit(u, c,
            s->set.idle_min +
                (int)(rand_r(&u->seed) % (unsigned)(s->set.idle_max - s->set.idle_min + 1)));
        rc = ssh_timed_drain(c);
        break;
    case ACT_DROP:
        rc = key_answered(c, "j"); /* a key, then the line goes */
        ssh_timed_drop(&c);
        goto done;
    case ACT_RESIZE:
        rc = resize_storm(u, c);
        break;
    default:
        break;
    }
    if (rc == 0) {
        where = "the close after q";
        rc = sb_session_quit(&c);
    }
done:
    if (rc != 0 && !atomic_load(&s->stop) && atomic_fetch_add(&s->shown, 1) < SOAK_SHOW_FAILS) {
        pthread_mutex_lock(&s->print);
        fprintf(stderr, "bench_soak: customer %d, %s: failed at %s\n", u->id, action_names[act],
                where);
        if (c)
            ssh_timed_print_screen(c, "the failed session's screen");
        pthread_mutex_unlock(&s->print);
    }
    ssh_timed_free(&c);
    return rc;
}

static void *customer_run(void *arg)
{
    struct customer *u = arg;
    struct soak *s = u->s;
    while (!atomic_load(&s->stop)) {
        enum soak_action act = pick(u);
        long long t0 = bench_now_us();
        int rc = session(u, act);
        /* a session cut short by the end of the run is neither a success nor a failure */
        if (rc != 0 && atomic_load(&s->stop))
            break;
        atomic_fetch_add(rc == 0 ? &s->ok[act] : &s->failed[act], 1);
        if (s->set.verbose)
            fprintf(stderr, "bench_soak: customer %d %s %s in %.1f s\n", u->id, action_names[act],
                    rc == 0 ? "ok" : "FAILED", (double)(bench_now_us() - t0) / 1e6);
        sit(u, NULL, 1 + (int)(rand_r(&u->seed) % 3)); /* a breath between sessions */
    }
    return NULL;
}

/* ---- the run ---- */

static struct settd_proc *settd_start(struct soak *s)
{
    /* one client address for every customer: the per-address limits go up to the totals;
     * settd's own idle close stays at its default (longer than any idle customer here) */
    const char *args[] = {"--api",
                          billingd_proc_url(s->b.billing),
                          "--service-key-file",
                          s->b.key_file,
                          "--sett",
                          s->set.sett,
                          "--max-sessions-per-addr",
                          "200",
                          "--max-startups-per-addr",
                          "20",
                          NULL};
    return settd_proc_start(s->set.settd, args, 10000);
}

/* Samples every sample_seconds until the end of the run (the main thread's part). */
static void watch(struct soak *s, long long start)
{
    long long end = start + (long long)s->set.seconds * 1000000, next = start;
    while (bench_now_us() < end && s->samples < SOAK_MAX_SAMPLES) {
        if (bench_now_us() >= next) {
            struct soak_sample *p = &s->sample[s->samples];
            if (soak_sample_take(s, p) == 0) {
                p->minute = (double)(bench_now_us() - start) / 60e6;
                s->samples++;
                char load[64];
                bench_loadavg(load, sizeof load);
                fprintf(stderr,
                        "bench_soak: %.1f min: settd %ld kB %ld fds, billing %ld kB %ld fds, %d "
                        "sessions, %d zombies; %d bought; load %s\n",
                        p->minute, p->settd_rss, p->settd_fds, p->bill_rss, p->bill_fds, p->conns,
                        p->zombies, atomic_load(&s->bought), load);
            }
            next += (long long)s->set.sample_seconds * 1000000;
        }
        poll(NULL, 0, 250);
    }
}

static void print_actions(const struct soak *s)
{
    printf("| session | done | failed |\n|---|---:|---:|\n");
    for (int a = 0; a < ACT_N; a++)
        printf("| %s | %d | %d |\n", action_names[a], atomic_load(&s->ok[a]),
               atomic_load(&s->failed[a]));
    printf("\nWindow changes sent: %ld. Sandbox payments made: %d; purchases seen through to an "
           "active service: %d; charged in all: $%ld.%02ld.\n\n",
           atomic_load(&s->resizes), atomic_load(&s->paid), atomic_load(&s->bought),
           atomic_load(&s->money) / 100, atomic_load(&s->money) % 100);
}

static size_t log_size(char *text)
{
    size_t n = text ? strlen(text) : 0;
    free(text);
    return n;
}

static int soak_run(struct soak *s)
{
    int n = s->set.customers, rc = 0, failed = 0;
    struct customer *u = calloc((size_t)n, sizeof *u);
    pthread_t *t = calloc((size_t)n, sizeof *t);
    if (!u || !t)
        return -1;
    /* settd_proc_start's probe of the port has a connection process of its own: let it end */
    if (settd_proc_wait_log(s->b.sett.settd, " reason=", 1, 10000) != 0 ||
        settd_proc_wait_no_descendants(s->b.sett.settd, 10000) != 0 ||
        soak_sample_take(s, &s->quiet_before) != 0)
        return -1;
    size_t settd_from = log_size(settd_proc_log(s->b.sett.settd)),
           bill_from = log_size(billingd_proc_log(s->b.billing));
    long long start = bench_now_us();
    int started = 0;
    for (; started < n; started++) {
        u[started] =
            (struct customer){.s = s, .id = started, .seed = 7919u * (unsigned)started + 1};
        if (pthread_create(&t[started], NULL, customer_run, &u[started]) != 0)
            break;
    }
    watch(s, start);
    atomic_store(&s->stop, true);
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    double secs = (double)(bench_now_us() - start) / 1e6;
    /* every session ended: settd's processes go, then the quiet look */
    int left = settd_proc_wait_no_descendants(s->b.sett.settd, 60000);
    poll(NULL, 0, 2000); /* the billing server's connections from sett close */
    soak_sample_take(s, &s->quiet_after);
    s->quiet_after.minute = (double)(bench_now_us() - start) / 60e6;
    printf("### Load: %d customers for %.1f min\n\n", started, secs / 60);
    print_actions(s);
    printf("After the load: %s.\n\n",
           left == 0 ? "no process left below settd" : "PROCESSES LEFT BELOW SETTD");
    for (int a = 0; a < ACT_N; a++)
        failed += atomic_load(&s->failed[a]);
    rc |= soak_report_growth(s);
    rc |= soak_report_logs(s, settd_from, bill_from) != 0 ? -1 : 0;
    rc |= soak_report_purchases(s);
    rc |= left != 0 || started != n || failed > 0 ? -1 : 0;
    free(u);
    free(t);
    return rc;
}

int main(int argc, char **argv)
{
    static struct soak s = {.print = PTHREAD_MUTEX_INITIALIZER};
    char load[64], when[32];
    int rc = 1;
    time_t now = time(NULL);
    if (parse(argc, argv, &s.set) != 0)
        return 2;
    ssh_init();
    bench_loadavg(load, sizeof load);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
    printf("settd soak: %d customers for %d min (samples every %d s, compared after %d s of "
           "warm-up), %dx%d pty; %s, %ld cores, load average %s\n\n",
           s.set.customers, s.set.seconds / 60, s.set.sample_seconds, s.set.warmup_seconds,
           SOAK_COLS, SOAK_ROWS, when, sysconf(_SC_NPROCESSORS_ONLN), load);
    fflush(stdout);
    s.b.set.settd = s.set.settd;
    s.b.set.sett = s.set.sett;
    s.b.sett = (struct sb_target){.name = "sett", .program = s.set.sett, .frame = "Dirt"};
    s.keys = calloc((size_t)s.set.customers, sizeof *s.keys);
    if (!s.keys || tempdir_make("settd-soak", s.b.dir, sizeof s.b.dir) != 0) {
        perror("bench_soak: temporary directory");
        return 1;
    }
    for (int i = 0; i < s.set.customers; i++)
        if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &s.keys[i]) != SSH_OK)
            goto done;
    snprintf(s.b.key_file, sizeof s.b.key_file, "%s/service-key", s.b.dir);
    snprintf(s.b.config_dir, sizeof s.b.config_dir, "%s/config", s.b.dir);
    if (!(s.b.billing = billingd_proc_start(BENCH_BILLINGD, NULL, 10000)) ||
        sb_shop_prepare(&s.b) != 0 || !(s.b.sett.settd = settd_start(&s)))
        goto done;
    rc = soak_run(&s) == 0 ? 0 : 1;
    bench_loadavg(load, sizeof load);
    printf("Load average at the end: %s. %s\n", load,
           rc == 0 ? "Every check passed." : "SOME CHECK FAILED.");
done:
    settd_proc_stop(&s.b.sett.settd);
    billingd_proc_stop(&s.b.billing);
    for (int i = 0; s.keys && i < s.set.customers; i++)
        ssh_key_free(s.keys[i]);
    free(s.keys);
    ssh_key_free(s.b.key);
    tempdir_remove(s.b.dir);
    return rc;
}
