/* scenarios_isolation.c: what a session's sett inherits from settd (descriptors, environment,
 * secrets), its private HOME from first byte to removal, and what the embedded billing process
 * keeps of settd's. Read through /proc, as an attacker on the host would. */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "tempdir.h"

#define CANARY "settd-environment-canary-7f3a"
/* in settd's environment next to --service-key-file: unused, but a secret all the same */
#define ENV_KEY "sett_sk_environment_canary_51c2"

/* What settd gives sett, and nothing else. */
static const char *const sett_env_names[] = {"TERM",
                                             "HOME",
                                             "XDG_CONFIG_HOME",
                                             "XDG_DATA_HOME",
                                             "XDG_CACHE_HOME",
                                             "XDG_STATE_HOME",
                                             "PATH",
                                             "LANG",
                                             "SETT_SESSION_FD",
                                             "SETT_IDLE_WARNING",
                                             "SETT_CLIENT_ADDR",
                                             "SETT_ALLOW_PASSWORD_SIGNIN",
                                             NULL};

/* /proc/PID/FILE as a heap string with its NULs (environ, cmdline) turned into '\n'. */
static char *proc_text(pid_t pid, const char *file)
{
    char path[64];
    size_t len = 0;
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, file);
    char *t = tempdir_read_file(path, &len);
    for (size_t i = 0; t && i < len; i++)
        if (t[i] == '\0')
            t[i] = '\n';
    return t;
}

/* Every variable of the process is one settd means sett to have; no canary. */
static bool env_is_minimal(pid_t pid)
{
    char *env = proc_text(pid, "environ");
    bool ok = env != NULL;
    for (char *line = env, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!*line)
            continue; /* the NULs after a forked sett's environment, where its fork server's was */
        size_t name_len = strcspn(line, "=");
        bool known = false;
        for (int i = 0; sett_env_names[i]; i++)
            known |= strlen(sett_env_names[i]) == name_len &&
                     strncmp(line, sett_env_names[i], name_len) == 0;
        if (!known || strstr(line, CANARY)) {
            fprintf(stderr, "sett's environment holds %s\n", line);
            ok = false;
        }
    }
    free(env);
    return ok;
}

/* No process on the machine shows `secret` in its command line. */
static bool no_cmdline_holds(const char *secret)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    bool ok = d != NULL;
    while (d && (e = readdir(d))) {
        pid_t pid = (pid_t)atoi(e->d_name);
        char *cmd = pid > 0 ? proc_text(pid, "cmdline") : NULL;
        if (cmd && strstr(cmd, secret)) {
            fprintf(stderr, "process %d shows the service key in its command line\n", (int)pid);
            ok = false;
        }
        free(cmd);
    }
    if (d)
        closedir(d);
    return ok;
}

/* The environment of `pid` cannot be read, or does not hold `secret`. */
static bool environ_lacks(pid_t pid, const char *secret)
{
    char *env = proc_text(pid, "environ");
    bool ok = !env || !strstr(env, secret);
    if (!ok)
        fprintf(stderr, "process %d has the secret in its environment\n", (int)pid);
    free(env);
    return ok;
}

/* The inodes of the TCP sockets whose local port is `port` (listening or connected), from
 * /proc/net/tcp and tcp6. Returns how many (up to max). */
static int port_inodes(int port, bool listening_only, unsigned long *inodes, int max)
{
    static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
    int n = 0;
    for (int t = 0; t < 2; t++) {
        char *text = tempdir_read_file(tables[t], NULL);
        char *line = text ? strchr(text, '\n') : NULL; /* past the header */
        while (line && *++line && n < max) {
            char local[64];
            unsigned lport, state;
            unsigned long inode;
            /* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
            if (sscanf(line, "%*s %63s %*s %x %*s %*s %*s %*s %*s %lu", local, &state, &inode) ==
                    3 &&
                sscanf(strrchr(local, ':') + 1, "%x", &lport) == 1 && (int)lport == port &&
                (!listening_only || state == 0x0A))
                inodes[n++] = inode;
            line = strchr(line, '\n');
        }
        free(text);
    }
    return n;
}

/* None of the process's descriptors is one of settd's sockets on `port` (or only its listening
 * socket). */
static bool holds_no_socket_of(pid_t pid, int port, bool listening_only)
{
    unsigned long inodes[256];
    int n = port_inodes(port, listening_only, inodes, 256);
    char dir[64], path[320], link[128];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(dir);
    struct dirent *e;
    bool ok = d != NULL && n > 0; /* settd's own listening socket is always there */
    if (!ok)
        fprintf(stderr, "cannot read %s, or no socket on port %d\n", dir, port);
    while (d && (e = readdir(d))) {
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ssize_t len = readlink(path, link, sizeof link - 1);
        unsigned long inode;
        if (len <= 0)
            continue;
        link[len] = '\0';
        if (sscanf(link, "socket:[%lu]", &inode) != 1)
            continue;
        for (int i = 0; i < n; i++)
            if (inodes[i] == inode) {
                fprintf(stderr, "process %d holds settd's socket on port %d (fd %s)\n", (int)pid,
                        port, e->d_name);
                ok = false;
            }
    }
    if (d)
        closedir(d);
    return ok;
}

/* The process's descriptors are exactly 0, 1, 2 (the terminal) and 3 (the session pipe). */
static bool fds_are_terminal_and_session(pid_t pid)
{
    char dir[64], path[320], link[128];
    snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(dir);
    struct dirent *e;
    int seen = 0;
    bool ok = d != NULL;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        int fd = atoi(e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        ssize_t len = readlink(path, link, sizeof link - 1);
        link[len > 0 ? len : 0] = '\0';
        bool expected = (fd <= 2 && strncmp(link, "/dev/pts/", 9) == 0) ||
                        (fd == 3 && strncmp(link, "pipe:", 5) == 0);
        if (!expected) {
            fprintf(stderr, "sett inherited fd %d -> %s\n", fd, link);
            ok = false;
        }
        seen++;
    }
    if (d)
        closedir(d);
    return ok && seen == 4;
}

/* The value of NAME in the process's environment (buf), or -1. */
static int env_value(pid_t pid, const char *name, char *buf, size_t n)
{
    char *env = proc_text(pid, "environ"), *p;
    size_t nl = strlen(name);
    int rc = -1;
    for (p = env; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p))
        if (strncmp(p, name, nl) == 0 && p[nl] == '=') {
            snprintf(buf, n, "%.*s", (int)strcspn(p + nl + 1, "\n"), p + nl + 1);
            rc = 0;
            break;
        }
    free(env);
    return rc;
}

static pid_t wait_descendant(const struct e2e_shop *s, const char *name, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    pid_t pid;
    while ((pid = e2e_find_descendant(s, name)) < 0 && net_now_ms() < deadline)
        poll(NULL, 0, 50);
    return pid;
}

/* The parent process id of `pid` (from /proc), or -1. */
static pid_t parent_of(pid_t pid)
{
    char path[64];
    long ppid = -1;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *st = tempdir_read_file(path, NULL);
    const char *p = st ? strrchr(st, ')') : NULL;
    if (!p || sscanf(p, ") %*c %ld", &ppid) != 1)
        ppid = -1;
    free(st);
    return (pid_t)ppid;
}

static bool gone(const char *path, int timeout_ms)
{
    struct stat st;
    long long deadline = net_now_ms() + timeout_ms;
    while (stat(path, &st) == 0 && net_now_ms() < deadline)
        poll(NULL, 0, 50);
    return stat(path, &st) != 0 && errno == ENOENT;
}

/* The real sett: minimal environment, no secret anywhere, none of settd's sockets. */
static int real_sett(struct e2e_shop *s, const struct e2e_key *k, const char *service_key)
{
    struct harness *h = e2e_session(s, k, NULL, NULL, 24, 80);
    int rc = -1;
    E_CHECK(s, h != NULL);
    E_CHECK(s, e2e_wait_store(s, h) == 0);
    pid_t sett = e2e_find_descendant(s, "sett");
    E_CHECK(s, sett > 0);
    E_CHECK(s, env_is_minimal(sett));
    E_CHECK(s, holds_no_socket_of(sett, e2e_shop_port(s), false));
    E_CHECK(s, no_cmdline_holds(service_key));
    E_CHECK(s, no_cmdline_holds(ENV_KEY));
    E_CHECK(s, environ_lacks(settd_proc_pid(s->settd), ENV_KEY));
    pid_t below[16];
    int n = settd_proc_descendants(s->settd, below, 16);
    for (int i = 0; i < n && i < 16; i++)
        E_CHECK(s, environ_lacks(below[i], ENV_KEY) && environ_lacks(below[i], service_key));
    E_CHECK(s, e2e_quit(s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* A stand-in program that only sleeps shows exactly what settd handed down, and where its HOME
 * goes when the session ends: sett killed, or the client gone. */
static int stand_in(struct e2e_shop *s, const struct e2e_key *k)
{
    struct harness *h = NULL;
    char home[512] = "";
    struct stat st;
    int rc = -1;

    /* sett killed with SIGKILL: the session ends and its HOME is removed */
    h = e2e_session(s, k, NULL, NULL, 24, 80);
    E_CHECK(s, h != NULL);
    pid_t pid = wait_descendant(s, "sleep", harness_ms(5000));
    E_CHECK(s, pid > 0);
    E_CHECK(s, fds_are_terminal_and_session(pid));
    E_CHECK(s, env_value(pid, "HOME", home, sizeof home) == 0);
    E_CHECK(s, stat(home, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
    E_CHECK(s, kill(pid, SIGKILL) == 0);
    int status;
    E_CHECK(s, harness_wait_exit(h, harness_ms(5000), &status) == 0);
    E_CHECK(s, gone(home, harness_ms(3000)));
    harness_free(&h);

    /* the client vanishes (killed): the stand-in is stopped and HOME removed */
    h = e2e_session(s, k, NULL, NULL, 24, 80);
    E_CHECK(s, h != NULL);
    pid = wait_descendant(s, "sleep", harness_ms(5000));
    E_CHECK(s, pid > 0);
    E_CHECK(s, env_value(pid, "HOME", home, sizeof home) == 0);
    E_CHECK(s, kill(harness_pid(h), SIGKILL) == 0);
    E_CHECK(s, settd_proc_wait_no_descendants(s->settd, harness_ms(8000)) == 0);
    E_CHECK(s, gone(home, harness_ms(1000)));
    harness_free(&h);

    /* the connection's own process killed before it can clean up: settd removes the HOME */
    h = e2e_session(s, k, NULL, NULL, 24, 80);
    E_CHECK(s, h != NULL);
    pid = wait_descendant(s, "sleep", harness_ms(5000));
    E_CHECK(s, pid > 0);
    E_CHECK(s, env_value(pid, "HOME", home, sizeof home) == 0);
    pid_t conn = parent_of(pid);
    E_CHECK(s, conn > 0 && conn != settd_proc_pid(s->settd));
    E_CHECK(s, kill(conn, SIGKILL) == 0);
    E_CHECK(s, settd_proc_wait_no_descendants(s->settd, harness_ms(8000)) == 0);
    E_CHECK(s, gone(home, harness_ms(3000)));
    rc = 0;
fail:
    harness_free(&h);
    return rc;
}

/* The process exists and is not a zombie. */
static bool proc_live(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *st = tempdir_read_file(path, NULL);
    char *p = st ? strrchr(st, ')') : NULL;
    bool live = p && p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
    free(st);
    return live;
}

/* settd with its embedded billing server: that process does not hold settd's listening
 * socket. */
static int embedded_billing(void)
{
    char dir[512] = "", data[600], db[640], banner[256];
    const char *args[] = {"--data-dir", data, NULL};
    struct settd_proc *p = NULL;
    struct stat st;
    pid_t below[16];
    int rc = -1, fd = -1;
    /* a data dir that already exists, open to everyone: settd makes it its own */
    H_CHECK(tempdir_make("settd-data", dir, sizeof dir) == 0);
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(db, sizeof db, "%s/billing.db", data);
    H_CHECK(mkdir(data, 0755) == 0 && chmod(data, 0755) == 0);
    p = settd_proc_start(SETTD_BIN, args, harness_ms(HARNESS_TIMEOUT_MS));
    H_CHECK(p != NULL);
    /* serving (the billing process is up) once a connection gets the banner */
    fd = e2e_tcp_connect(settd_proc_port(p));
    H_CHECK(fd >= 0 && e2e_read_line(fd, banner, sizeof banner, harness_ms(10000)) > 0);
    int n = settd_proc_descendants(p, below, 16), checked = 0;
    for (int i = 0; i < n && i < 16; i++) {
        if (!proc_live(below[i]))
            continue; /* e.g. the readiness probe's connection, ended and not yet reaped */
        H_CHECK(holds_no_socket_of(below[i], settd_proc_port(p), true));
        checked++;
    }
    H_CHECK(checked >= 1); /* the billing process at least */
    H_CHECK(stat(data, &st) == 0 && (st.st_mode & 0777) == 0700);
    H_CHECK(stat(db, &st) == 0 && (st.st_mode & 077) == 0);
    rc = 0;
fail:
    if (fd >= 0)
        close(fd);
    if (settd_proc_stop(&p) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    return rc;
}

/* "Uid:" / "Gid:" lines of /proc/PID/status name only `id` (real, effective, saved, fs), and the
 * process has no supplementary groups and no effective capabilities. */
static bool runs_as(pid_t pid, unsigned id)
{
    char path[64], want[64];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    char *st = tempdir_read_file(path, NULL);
    bool ok = st != NULL;
    snprintf(want, sizeof want, "\t%u\t%u\t%u\t%u\n", id, id, id, id);
    const char *uid = st ? strstr(st, "\nUid:") : NULL, *gid = st ? strstr(st, "\nGid:") : NULL;
    const char *groups = st ? strstr(st, "\nGroups:") : NULL;
    const char *cap = st ? strstr(st, "\nCapEff:") : NULL;
    ok = ok && uid && gid && groups && cap && strncmp(uid + 5, want, strlen(want)) == 0 &&
         strncmp(gid + 5, want, strlen(want)) == 0 &&
         strspn(groups + 8, " \t") == strcspn(groups + 8, "\n") &&
         strncmp(cap + 8, "\t0000000000000000\n", 18) == 0;
    if (!ok)
        fprintf(stderr, "process %d does not run as %u alone:\n%s\n", (int)pid, id,
                st ? st : "(no status)");
    free(st);
    return ok;
}

/* --user: started as root, settd and every process below it run as that user only. Started as
 * anyone else, it refuses to run rather than go on with the privileges it has. */
static int privilege_drop(const struct e2e_key *k)
{
    const char *args[] = {"--user", "nobody", NULL};
    const unsigned nobody = 65534;
    struct e2e_shop s = {0};
    struct harness *h = NULL;
    int rc = -1;
    if (geteuid() != 0) {
        struct e2e_out out = {0};
        char dir[512];
        H_CHECK(tempdir_make("settd-user", dir, sizeof dir) == 0);
        const char *argv[] = {SETTD_BIN, "--port", "0",      "--data-dir",
                              dir,       "--user", "nobody", NULL};
        int ran = e2e_run(argv, NULL, dir, NULL, harness_ms(10000), &out);
        bool told =
            ran == 0 && e2e_exit_code(&out) == 1 && strstr(out.text, "settd: cannot become nobody");
        if (!told)
            fprintf(stderr, "settd --user as a user: %s\n", out.text ? out.text : "");
        e2e_out_free(&out);
        tempdir_remove(dir);
        H_CHECK(told);
        return 0;
    }
    H_CHECK(e2e_shop_start(&s, args) == 0);
    h = e2e_session(&s, k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, runs_as(settd_proc_pid(s.settd), nobody));
    pid_t below[16];
    int n = settd_proc_descendants(s.settd, below, 16);
    E_CHECK(&s, n >= 2); /* the connection's process and sett */
    for (int i = 0; i < n && i < 16; i++)
        E_CHECK(&s, !proc_live(below[i]) || runs_as(below[i], nobody));
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    return rc;
}

int scenario_inherit(void)
{
    const char *real_args[] = {NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    char script_dir[512] = "", script[600], service_key[128] = "";
    /* the stand-in is started by exec for each session: it is no fork server */
    const char *stub_args[] = {"--sett", script, "--no-fork-server", NULL};
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "inherit@e2e") == 0);

    /* settd's own environment holds a canary and a service key */
    setenv("SETTD_TEST_CANARY", CANARY, 1);
    setenv("SETT_SERVICE_KEY", ENV_KEY, 1);
    int started = e2e_shop_start(&s, real_args);
    unsetenv("SETT_SERVICE_KEY");
    H_CHECK(started == 0);
    {
        char *text = tempdir_read_file(s.key_file, NULL);
        E_CHECK(&s, text != NULL);
        snprintf(service_key, sizeof service_key, "%.*s", (int)strcspn(text, "\r\n"), text);
        free(text);
    }
    E_CHECK(&s, real_sett(&s, &k, service_key) == 0);
    E_CHECK(&s, e2e_shop_stop(&s) == 0);

    H_CHECK(tempdir_make("settd-stand-in", script_dir, sizeof script_dir) == 0);
    snprintf(script, sizeof script, "%s/sett", script_dir);
    static const char body[] = "#!/bin/sh\nexec sleep 60\n";
    H_CHECK(tempdir_write_file(script, body, sizeof body - 1) == 0);
    H_CHECK(chmod(script, 0755) == 0);
    H_CHECK(e2e_shop_start(&s, stub_args) == 0);
    E_CHECK(&s, stand_in(&s, &k) == 0);
    E_CHECK(&s, e2e_shop_stop(&s) == 0);

    H_CHECK(embedded_billing() == 0);
    H_CHECK(privilege_drop(&k) == 0);
    rc = 0;
fail:
    unsetenv("SETTD_TEST_CANARY");
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (script_dir[0])
        tempdir_remove(script_dir);
    e2e_key_remove(&k);
    return rc;
}
