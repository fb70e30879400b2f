/* settd_common.c: what the settd benchmarks share: the shop (settd's service key, the customer's
 * key and its sign-in), one timed session, settd's processes and the figures. */
#include "settd_bench.h"

#include "account_support.h"
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
int sb_shop_prepare(struct sb *b)
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

struct ssh_timed *sb_session_open(const struct sb *b, const struct sb_target *t,
                                  struct sb_session_times *st)
{
    struct ssh_marks m;
    int port = t->port ? t->port : settd_proc_port(t->settd);
    struct ssh_timed *c =
        ssh_timed_open(port, t->user ? t->user : "guest", b->key, SB_ROWS, SB_COLS, &m);
    if (!c)
        return NULL;
    *st = (struct sb_session_times){.tcp = m.tcp,
                                    .kex = m.kex,
                                    .auth = m.auth,
                                    .channel = m.channel,
                                    .pty = m.pty,
                                    .shell_sent = m.shell_sent,
                                    .shell_ok = m.shell_ok};
    if (ssh_timed_wait_row(c, t->frame, NULL, SB_PAINT_TIMEOUT_MS, &st->frame) != 0 ||
        (t->complete &&
         ssh_timed_wait_row(c, t->frame, t->complete, SB_PAINT_TIMEOUT_MS, &st->complete) != 0)) {
        ssh_timed_print_screen(c, "no first screen");
        if (t->settd)
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
        ssh_timed_send(*c, "q") == 0 && ssh_timed_wait_close(*c, SB_PAINT_TIMEOUT_MS) == 0 ? 0 : -1;
    if (rc != 0)
        ssh_timed_print_screen(*c, "no close after q");
    ssh_timed_free(c);
    return rc;
}

/* The parent pid and start time (clock ticks since boot) from /proc/PID/stat. 0 or -1. */
static int proc_stat_fields(pid_t pid, pid_t *ppid, unsigned long long *start)
{
    char buf[1024];
    const char *p = proc_stat_read(pid, buf, sizeof buf);
    int pp;
    unsigned long long st;
    if (!p || sscanf(p,
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
    int cap = 2 * max + 64, nc = 0, np = 0;
    pid_t *all = malloc((size_t)cap * sizeof *all);
    int n = all ? settd_proc_descendants(t->settd, all, cap) : 0;
    pid_t settd = settd_proc_pid(t->settd);
    for (int i = 0; i < n && i < cap; i++) {
        if (proc_ppid(all[i]) == settd) {
            if (nc < max)
                conns[nc++] = all[i];
        } else if (np < max) {
            programs[np++] = all[i];
        }
    }
    free(all);
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
    /* the connection process's own child, or (forked by the fork server) the newest sett */
    newest = 0;
    for (int i = 0; i<np && * conn> 0; i++)
        if (proc_ppid(progs[i]) == *conn) {
            *program = progs[i];
            break;
        } else if (proc_stat_fields(progs[i], &ppid, &start) == 0 && start >= newest) {
            newest = start;
            *program = progs[i];
        }
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

static long stat_ticks(pid_t pid, bool own)
{
    char buf[1024];
    const char *p = proc_stat_read(pid, buf, sizeof buf);
    long u, st, cu, cs;
    if (!p || sscanf(p, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld %ld %ld", &u, &st, &cu,
                     &cs) != 4)
        return -1;
    return own ? u + st + cu + cs : cu + cs;
}

long sb_children_ticks(pid_t pid)
{
    long reaped = stat_ticks(pid, false);
    /* the sessions' sett forked by the fork server are its children: their time is in its
     * counters once reaped, and its own work in its own */
    pid_t fs = settd_proc_fork_server_of(pid);
    long standing = fs > 0 ? stat_ticks(fs, true) : 0;
    return reaped < 0 || standing < 0 ? -1 : reaped + standing;
}

int sb_fd_count(pid_t pid)
{
    return settd_proc_fd_count(pid);
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

int sb_parse_options(const struct sb_options *o, int argc, char **argv)
{
    int c;
    while ((c = getopt_long(argc, argv, "", o->opts, NULL)) != -1) {
        if (c == 'v' && o->verbose) {
            *o->verbose = true;
        } else if (c == 'S' && o->stacks) {
            *o->stacks = optarg;
        } else if (c == 'O' && o->stacks_only) {
            *o->stacks_only = true;
        } else if (c == 'Q' && o->flag) {
            *o->flag = true;
        } else if (c == 'd' || c == 's') {
            if (access(optarg, X_OK) != 0) {
                fprintf(stderr, "%s: --%s %s: not an executable\n", o->prog,
                        c == 'd' ? "settd" : "sett", optarg);
                return -1;
            }
            *(c == 'd' ? o->settd : o->sett) = optarg;
        } else if (c == 'h') {
            o->usage(stdout);
            exit(0);
        } else if (c >= 0 && c < o->n_numbers) {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || v < o->lo || v > o->hi) {
                fprintf(stderr, "%s: --%s wants a number from %ld to %ld, not %s\n", o->prog,
                        o->opts[c].name, o->lo, o->hi, optarg);
                return -1;
            }
            *o->numbers[c] = (int)v;
        } else {
            o->usage(stderr);
            return -1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "%s: unexpected argument %s\n", o->prog, argv[optind]);
        return -1;
    }
    return 0;
}
