/* settd_bench.c: benchmarks of settd, the SSH server: first paint against the same program on a
 * local pty, memory and CPU per session, idle cost, growth over many sessions, sessions/s. */
#include "settd_bench.h"

#include "account_support.h"
#include "bench_items.h"
#include "bench_util.h"
#include "ssh_timed.h"
#include "tempdir.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if !defined(BENCH_SETT) || !defined(BENCH_SETTD) || !defined(BENCH_BILLINGD) || !defined(BENCH_TOY)
#error "BENCH_SETT, BENCH_SETTD, BENCH_BILLINGD and BENCH_TOY must be defined"
#endif

#define PAINT_TIMEOUT_MS 15000

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: bench_settd [OPTION]...\n"
            "Measures settd: sett, and a plain ncurses list, over SSH against the same program\n"
            "started directly on a local pty; memory, CPU, idle cost, growth, sessions/s.\n"
            "\n"
            "  --runs N              sequential sessions timed to first paint (50)\n"
            "  --open N              sessions held open for the memory figures (20)\n"
            "  --idle N              sessions held open for the idle figures (50)\n"
            "  --idle-seconds N      how long the idle sessions are left alone (5)\n"
            "  --churn N             short sessions for growth and the sequential rate (1000)\n"
            "  --parallel N          clients connecting at once (8)\n"
            "  --parallel-seconds N  how long they keep connecting (10)\n"
            "  --settd PATH          measure another build of settd (default: this build's)\n"
            "  --sett PATH           and have it run another build of sett\n"
            "  --verbose             every session's times\n"
            "  --help                show this help\n");
}

static int parse(int argc, char **argv, struct sb_settings *s)
{
    /* the numeric options in the order of `numbers` below; their val is that index */
    static const struct option opts[] = {
        {"runs", required_argument, NULL, 0},
        {"open", required_argument, NULL, 1},
        {"idle", required_argument, NULL, 2},
        {"idle-seconds", required_argument, NULL, 3},
        {"churn", required_argument, NULL, 4},
        {"parallel", required_argument, NULL, 5},
        {"parallel-seconds", required_argument, NULL, 6},
        {"settd", required_argument, NULL, 'd'},
        {"sett", required_argument, NULL, 's'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *s = (struct sb_settings){.runs = 50,
                              .open = 20,
                              .idle = 50,
                              .idle_seconds = 5,
                              .churn = 1000,
                              .parallel = 8,
                              .parallel_seconds = 10,
                              .settd = BENCH_SETTD,
                              .sett = BENCH_SETT};
    int *numbers[] = {&s->runs,
                      &s->open,
                      &s->idle,
                      &s->idle_seconds,
                      &s->churn,
                      &s->parallel,
                      &s->parallel_seconds};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'v') {
            s->verbose = true;
        } else if (c == 'd' || c == 's') {
            if (access(optarg, X_OK) != 0) {
                fprintf(stderr, "bench_settd: --%s %s: not an executable\n",
                        c == 'd' ? "settd" : "sett", optarg);
                return -1;
            }
            *(c == 'd' ? &s->settd : &s->sett) = optarg;
        } else if (c == 'h') {
            usage(stdout);
            exit(0);
        } else if (c >= 0 && c < (int)(sizeof numbers / sizeof numbers[0])) {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < 0 || v > 100000) {
                fprintf(stderr, "bench_settd: --%s wants a number from 0 to 100000, not %s\n",
                        opts[c].name, optarg);
                return -1;
            }
            *numbers[c] = (int)v;
        } else {
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "bench_settd: unexpected argument %s\n", argv[optind]);
        return -1;
    }
    return 0;
}

/* POST PATH with a bearer token (an access token or a service key); the response's data. */
static cJSON *api_post(const char *url, const char *bearer, const char *path, const char *body)
{
    struct acct a = {0};
    long status = 0;
    char *resp = NULL;
    snprintf(a.url, sizeof a.url, "%s", url);
    snprintf(a.access, sizeof a.access, "%s", bearer);
    if (acct_call(&a, "POST", path, body, NULL, NULL, &status, &resp) != 0 || status < 200 ||
        status > 201) {
        fprintf(stderr, "bench_settd: POST %s: HTTP %ld %s\n", path, status, resp ? resp : "");
        free(resp);
        return NULL;
    }
    cJSON *env = cJSON_Parse(resp);
    free(resp);
    return env;
}

double sb_signin_ms(const struct sb *b)
{
    long long t0 = bench_now_us();
    cJSON *env =
        api_post(billingd_proc_url(b->billing), b->service_key, "/auth/ssh", b->signin_body);
    double ms = (double)(bench_now_us() - t0) / 1000.0;
    cJSON_Delete(env);
    return env ? ms : -1;
}

static const char *data_str(const cJSON *env, const char *name)
{
    const cJSON *v =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(env, "data"), name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The operator mints settd's service key; the customer's key gets a stored session for sett on
 * a local pty, the same account settd signs the key in to. */
static int shop_prepare(struct sb *b)
{
    struct acct admin;
    char *b64 = NULL, *fp = NULL, body[1024];
    unsigned char *hash = NULL;
    size_t hlen = 0;
    cJSON *env = NULL;
    int rc = -1;
    const char *url = billingd_proc_url(b->billing);
    if (acct_login(&admin, url, ACCT_ADMIN_EMAIL, ACCT_ADMIN_PASS) != 0 ||
        !(env = api_post(url, admin.access, "/auth/api-keys",
                         "{\"name\":\"settd bench\",\"scopes\":[\"ssh\"]}")))
        goto done;
    const char *secret = data_str(env, "key");
    char line[300];
    snprintf(line, sizeof line, "%s\n", secret ? secret : "");
    if (!secret || tempdir_write_file(b->key_file, line, strlen(line)) != 0)
        goto done;
    cJSON_Delete(env);
    env = NULL;
    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &b->key) != SSH_OK ||
        ssh_pki_export_pubkey_base64(b->key, &b64) != SSH_OK ||
        ssh_get_publickey_hash(b->key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != SSH_OK ||
        !(fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen))) {
        fprintf(stderr, "bench_settd: cannot make an ed25519 key\n");
        goto done;
    }
    snprintf(body, sizeof body, "{\"public_key\":\"ssh-ed25519 %s\",\"fingerprint\":\"%s\"}", b64,
             fp);
    line[strcspn(line, "\n")] = '\0';
    snprintf(b->service_key, sizeof b->service_key, "%s", line);
    snprintf(b->signin_body, sizeof b->signin_body, "%s", body);
    if (!(env = api_post(url, b->service_key, "/auth/ssh", body)))
        goto done;
    const char *at = data_str(env, "access_token"), *rt = data_str(env, "refresh_token");
    if (!at || !rt || mkdir(b->config_dir, 0700) != 0 ||
        acct_store_session(b->config_dir, url, at, rt) != 0)
        goto done;
    snprintf(b->session_json, sizeof b->session_json,
             "{\"access_token\":\"%s\",\"refresh_token\":\"%s\"}", at, rt);
    rc = 0;
done:
    cJSON_Delete(env);
    ssh_string_free_char(b64);
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    return rc;
}

static struct settd_proc *settd_start(const struct sb *b, const char *program)
{
    const char *args[] = {"--api", billingd_proc_url(b->billing), "--service-key-file", b->key_file,
                          "--sett", program, "--quiet",
                          /* every session comes from 127.0.0.1: the per-address limits go */
                          "--max-sessions", "1000", "--max-sessions-per-addr", "1000",
                          "--max-startups", "100", "--max-startups-per-addr", "100", NULL};
    return settd_proc_start(b->set.settd, args, 10000);
}

struct ssh_timed *sb_session_open(const struct sb *b, const struct sb_target *t,
                                  struct sb_session_times *st)
{
    struct ssh_marks m;
    struct ssh_timed *c = ssh_timed_open(settd_proc_port(t->settd), b->key, SB_ROWS, SB_COLS, &m);
    if (!c)
        return NULL;
    *st = (struct sb_session_times){.tcp = m.tcp,
                                    .kex = m.kex,
                                    .auth = m.auth,
                                    .channel = m.channel,
                                    .pty = m.pty,
                                    .shell_sent = m.shell_sent,
                                    .shell_ok = m.shell_ok};
    if (ssh_timed_wait_row(c, t->frame, NULL, PAINT_TIMEOUT_MS, &st->frame) != 0 ||
        (t->complete &&
         ssh_timed_wait_row(c, t->frame, t->complete, PAINT_TIMEOUT_MS, &st->complete) != 0)) {
        ssh_timed_print_screen(c, "no first screen");
        settd_proc_dump_log(t->settd);
        ssh_timed_free(&c);
        return NULL;
    }
    st->first_byte = m.first_byte; /* set while waiting */
    if (!t->complete)
        st->complete = st->frame;
    return c;
}

int sb_session_quit(struct ssh_timed **c)
{
    int rc =
        ssh_timed_send(*c, "q") == 0 && ssh_timed_wait_close(*c, PAINT_TIMEOUT_MS) == 0 ? 0 : -1;
    if (rc != 0)
        ssh_timed_print_screen(*c, "no close after q");
    ssh_timed_free(c);
    return rc;
}

/* The parent pid and start time (clock ticks since boot) from /proc/PID/stat. 0 or -1. */
static int proc_stat_fields(pid_t pid, pid_t *ppid, unsigned long long *start)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')'); /* the command name before it may hold anything */
    int pp;
    unsigned long long st;
    if (!p || sscanf(p + 2,
                     "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d "
                     "%llu",
                     &pp, &st) != 2)
        return -1;
    *ppid = (pid_t)pp;
    *start = st;
    return 0;
}

static pid_t proc_ppid(pid_t pid)
{
    pid_t ppid;
    unsigned long long start;
    return proc_stat_fields(pid, &ppid, &start) == 0 ? ppid : -1;
}

int sb_server_procs(const struct sb_target *t, pid_t *conns, pid_t *programs, int max,
                    int *n_programs)
{
    pid_t all[4096];
    int n = settd_proc_descendants(t->settd, all, 4096), nc = 0, np = 0;
    pid_t settd = settd_proc_pid(t->settd);
    for (int i = 0; i < n && i < 4096; i++) {
        if (proc_ppid(all[i]) == settd) {
            if (nc < max)
                conns[nc++] = all[i];
        } else if (np < max) {
            programs[np++] = all[i];
        }
    }
    if (n_programs)
        *n_programs = np;
    return nc;
}

int sb_newest_session(const struct sb_target *t, pid_t *conn, pid_t *program)
{
    pid_t conns[16], progs[16], ppid;
    unsigned long long start, newest = 0;
    int np = 0, nc = sb_server_procs(t, conns, progs, 16, &np);
    *conn = *program = -1;
    for (int i = 0; i < nc; i++)
        if (proc_stat_fields(conns[i], &ppid, &start) == 0 && (*conn < 0 || start >= newest)) {
            newest = start;
            *conn = conns[i];
        }
    for (int i = 0; i<np && * conn> 0; i++)
        if (proc_ppid(progs[i]) == *conn)
            *program = progs[i];
    if (*conn > 0 && *program > 0)
        return 0;
    fprintf(stderr, "bench_settd: below settd %d: %d connection process(es), %d other(s):",
            (int)settd_proc_pid(t->settd), nc, np);
    for (int i = 0; i < nc + np && i < 32; i++) {
        pid_t pid = i < nc ? conns[i] : progs[i - nc];
        fprintf(stderr, " %d(parent %d)", (int)pid, (int)proc_ppid(pid));
    }
    fputc('\n', stderr);
    return -1;
}

long long sb_run_us(pid_t pid)
{
    char path[64];
    unsigned long long ns;
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fscanf(f, "%llu", &ns) == 1;
    fclose(f);
    return ok ? (long long)(ns / 1000) : -1;
}

long sb_children_ticks(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    long cu, cs;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %ld %ld", &cu, &cs) != 2)
        return -1;
    return cu + cs;
}

int sb_fd_count(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double sb_percentile(double *v, int n, int p)
{
    if (n <= 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    int rank = (p * n + 99) / 100; /* nearest rank, 1-based */
    return v[rank < 1 ? 0 : rank > n ? n - 1 : rank - 1];
}

int main(int argc, char **argv)
{
    struct sb b = {0};
    char toy_first[64];
    int rc = 1;
    if (parse(argc, argv, &b.set) != 0)
        return 2;
    b.sett = (struct sb_target){
        .name = "sett", .program = b.set.sett, .frame = "Dirt", .complete = "$2.99"};
    b.toy = (struct sb_target){.name = "toy_list", .program = BENCH_TOY, .frame = toy_first};
    bench_item_name(0, toy_first, sizeof toy_first);
    if (tempdir_make("settd-bench", b.dir, sizeof b.dir) != 0) {
        perror("bench_settd: temporary directory");
        return 1;
    }
    snprintf(b.key_file, sizeof b.key_file, "%s/service-key", b.dir);
    snprintf(b.config_dir, sizeof b.config_dir, "%s/config", b.dir);
    if (!(b.billing = billingd_proc_start(BENCH_BILLINGD, NULL, 10000)) || shop_prepare(&b) != 0 ||
        !(b.sett.settd = settd_start(&b, b.set.sett)) ||
        !(b.toy.settd = settd_start(&b, BENCH_TOY)))
        goto done;
    printf("settd benchmark: %s running %s; %dx%d pty, xterm-256color, ed25519 client key, "
           "libssh %s client\n\n",
           b.set.settd, b.set.sett, SB_COLS, SB_ROWS, ssh_version(0));
    /* the shell request's answer waits for this request; it also gives both settd processes
     * time to reach their accept loop before their memory is read */
    double signin[20];
    for (int i = 0; i < 20; i++)
        if ((signin[i] = sb_signin_ms(&b)) < 0)
            goto done;
    printf("settd's sign-in request, POST /auth/ssh, made from this process on a new connection "
           "each time: p50 %.1f ms, p90 %.1f ms (20 requests).\n\n",
           sb_percentile(signin, 20, 50), sb_percentile(signin, 20, 90));
    proc_memory_kb(settd_proc_pid(b.sett.settd), &b.sett.at_start);
    proc_memory_kb(settd_proc_pid(b.toy.settd), &b.toy.at_start);
    fflush(stdout);
    if (b.set.runs && (sb_first_paint(&b, &b.sett) != 0 || sb_first_paint(&b, &b.toy) != 0))
        goto done;
    if (b.set.open && (sb_memory(&b, &b.sett) != 0 || sb_memory(&b, &b.toy) != 0))
        goto done;
    if (b.set.idle && sb_idle(&b) != 0)
        goto done;
    if (b.set.churn && sb_churn(&b) != 0)
        goto done;
    if (b.set.parallel && sb_parallel(&b) != 0)
        goto done;
    rc = 0;
done:
    settd_proc_stop(&b.toy.settd);
    settd_proc_stop(&b.sett.settd);
    billingd_proc_stop(&b.billing);
    ssh_key_free(b.key);
    tempdir_remove(b.dir);
    return rc;
}
