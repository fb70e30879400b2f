/* settd_proc.c: runs `settd` as a child process on a free loopback port with a fresh data dir. */
#include "settd_proc.h"

#include "child.h"
#include "netutil.h"
#include "tempdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define POLL_STEP_MS 10
#define MAX_ARGS     48
#define MAX_PROCS    32768 /* processes scanned in /proc: Linux's default pid_max */

struct settd_proc {
    pid_t pid;
    int port;
    char dir[PATH_MAX];
    char data_dir[PATH_MAX + 16];
    char port_file[PATH_MAX + 16];
    char log[PATH_MAX + 16];
};

extern char **environ;

static int read_port(const struct settd_proc *s)
{
    char *text = tempdir_read_file(s->port_file, NULL);
    int port = 0;
    if (text) {
        char *end;
        long v = strtol(text, &end, 10);
        if (end != text && (*end == '\n' || *end == '\0') && v > 0 && v < 65536)
            port = (int)v;
        free(text);
    }
    return port;
}

static pid_t spawn(const struct settd_proc *s, const char *binary, const char *const args[])
{
    const char *argv[MAX_ARGS];
    int n = 0;
    argv[n++] = binary;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1";
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = s->port_file;
    argv[n++] = "--data-dir";
    argv[n++] = s->data_dir;
    for (int i = 0; args && args[i] && n < MAX_ARGS - 1; i++)
        argv[n++] = args[i];
    argv[n] = NULL;

    int logfd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (logfd < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        dup2(logfd, 1);
        dup2(logfd, 2);
        execve(binary, (char *const *)argv, environ);
        _exit(127);
    }
    close(logfd);
    return pid;
}

struct settd_proc *settd_proc_start(const char *binary, const char *const args[], int timeout_ms)
{
    struct settd_proc *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->pid = -1;
    if (tempdir_make("settd-e2e", s->dir, sizeof s->dir) != 0) {
        perror("settd_proc: temporary directory");
        free(s);
        return NULL;
    }
    snprintf(s->data_dir, sizeof s->data_dir, "%s/data", s->dir);
    snprintf(s->port_file, sizeof s->port_file, "%s/port", s->dir);
    snprintf(s->log, sizeof s->log, "%s/log", s->dir);
    if (access(binary, X_OK) != 0) {
        fprintf(stderr, "settd_proc: %s is not an executable: %s\n", binary, strerror(errno));
        goto fail;
    }
    s->pid = spawn(s, binary, args);
    if (s->pid < 0) {
        perror("settd_proc: fork");
        goto fail;
    }
    long long deadline = net_now_ms() + timeout_ms;
    for (;;) {
        int status;
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            fprintf(stderr, "settd_proc: %s exited before listening (status %d)\n", binary, status);
            s->pid = -1;
            settd_proc_dump_log(s);
            goto fail;
        }
        int port = read_port(s);
        if (port && net_port_accepts(port)) {
            s->port = port;
            break;
        }
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "settd_proc: no port in %s after %d ms\n", s->port_file, timeout_ms);
            settd_proc_dump_log(s);
            goto fail;
        }
        poll(NULL, 0, POLL_STEP_MS);
    }
    return s;
fail:
    settd_proc_stop(&s);
    return NULL;
}

int settd_proc_port(const struct settd_proc *s)
{
    return s->port;
}

pid_t settd_proc_pid(const struct settd_proc *s)
{
    return s->pid;
}

const char *settd_proc_data_dir(const struct settd_proc *s)
{
    return s->data_dir;
}

bool settd_proc_alive(const struct settd_proc *s)
{
    if (s->pid <= 0)
        return false;
    /* A zombie still answers kill(0): ask waitid without reaping it. */
    siginfo_t info = {0};
    if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0)
        return false;
    return info.si_pid == 0;
}

char *settd_proc_log(const struct settd_proc *s)
{
    return tempdir_read_file(s->log, NULL);
}

int settd_proc_log_count(const struct settd_proc *s, const char *text)
{
    char *log = settd_proc_log(s);
    int count = 0;
    if (!log)
        return 0;
    for (char *line = log; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strstr(line, text))
            count++;
        line = end ? end + 1 : NULL;
    }
    free(log);
    return count;
}

int settd_proc_wait_log(const struct settd_proc *s, const char *text, int count, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    while (settd_proc_log_count(s, text) < count) {
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "settd_proc: %d log line(s) with \"%s\" expected within %d ms\n", count,
                    text, timeout_ms);
            settd_proc_dump_log(s);
            return -1;
        }
        poll(NULL, 0, POLL_STEP_MS);
    }
    return 0;
}

int settd_proc_log_line(const struct settd_proc *s, const char *text, char *buf, size_t n)
{
    char *log = settd_proc_log(s);
    int rc = -1;
    if (!log)
        return -1;
    for (char *line = log; line && *line;) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        if (strstr(line, text)) {
            snprintf(buf, n, "%s", line);
            rc = 0;
        }
        line = end ? end + 1 : NULL;
    }
    free(log);
    return rc;
}

void settd_proc_dump_log(const struct settd_proc *s)
{
    char *text = settd_proc_log(s);
    fprintf(stderr, "---- settd log ----\n%s---- end of settd log ----\n",
            text ? text : "(none)\n");
    free(text);
}

bool settd_proc_log_has_sanitizer_report(const struct settd_proc *s)
{
    char *log = settd_proc_log(s);
    bool found = log && (strstr(log, "ERROR: AddressSanitizer") ||
                         strstr(log, "ERROR: LeakSanitizer") || strstr(log, "runtime error:"));
    free(log);
    return found;
}

pid_t settd_proc_parent_of(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t len = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (len <= 0)
        return -1;
    buf[len] = '\0';
    char *close_paren = strrchr(buf, ')');
    int ppid;
    char state;
    if (!close_paren || sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

bool settd_proc_is_fork_server(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t len = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (len <= 0)
        return false;
    buf[len] = '\0';
    size_t first = strlen(buf) + 1;
    return first < (size_t)len && strcmp(buf + first, "--fork-server") == 0;
}

int settd_proc_descendants(const struct settd_proc *s, pid_t *pids, int max)
{
    pid_t *all = calloc(3 * MAX_PROCS, sizeof *all);
    pid_t *parents = all + MAX_PROCS, *found = all + 2 * MAX_PROCS;
    int n_all = 0, n_found = 0;
    DIR *d = all && s->pid > 0 ? opendir("/proc") : NULL;
    struct dirent *e;
    if (!d) {
        free(all);
        return 0;
    }
    while ((e = readdir(d)) && n_all < MAX_PROCS) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        pid_t ppid = settd_proc_parent_of(pid);
        if (ppid > 0) {
            all[n_all] = pid;
            parents[n_all++] = ppid;
        }
    }
    closedir(d);
    /* Breadth first from settd: each found process adds its own children. */
    for (int head = -1; head < n_found; head++) {
        pid_t parent = head < 0 ? s->pid : found[head];
        for (int i = 0; i < n_all && n_found < MAX_PROCS; i++)
            if (parents[i] == parent)
                found[n_found++] = all[i];
    }
    int n = 0;
    for (int i = 0; i < n_found; i++) {
        if (settd_proc_is_fork_server(found[i]) && settd_proc_parent_of(found[i]) == s->pid)
            continue; /* its children, forked copies with its command line, are counted */
        if (n < max)
            pids[n] = found[i];
        n++;
    }
    free(all);
    return n;
}

pid_t settd_proc_fork_server_of(pid_t settd)
{
    DIR *d = settd > 0 ? opendir("/proc") : NULL;
    struct dirent *e;
    pid_t found = -1;
    if (!d)
        return -1;
    while ((e = readdir(d)) && found < 0) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = (pid_t)atoi(e->d_name);
        if (settd_proc_parent_of(pid) == settd && settd_proc_is_fork_server(pid))
            found = pid;
    }
    closedir(d);
    return found;
}

pid_t settd_proc_fork_server(const struct settd_proc *s)
{
    return settd_proc_fork_server_of(s->pid);
}

int settd_proc_fd_count(pid_t pid)
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

int settd_proc_wait_no_descendants(const struct settd_proc *s, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    pid_t left[16];
    int n;
    while ((n = settd_proc_descendants(s, left, 16)) > 0) {
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "settd_proc: %d process(es) still below settd after %d ms:", n,
                    timeout_ms);
            for (int i = 0; i < n && i < 16; i++) {
                char path[64], cmd[256] = "";
                snprintf(path, sizeof path, "/proc/%d/cmdline", (int)left[i]);
                char *text = tempdir_read_file(path, NULL);
                if (text)
                    snprintf(cmd, sizeof cmd, "%s", text);
                free(text);
                fprintf(stderr, " %d (%s)", (int)left[i], cmd);
            }
            fputc('\n', stderr);
            return -1;
        }
        poll(NULL, 0, POLL_STEP_MS * 5);
    }
    return 0;
}

int settd_proc_stop(struct settd_proc **sp)
{
    struct settd_proc *s = sp ? *sp : NULL;
    if (!s)
        return -1;
    int status = -1;
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        status = child_reap(s->pid, 5000);
        if (status == CHILD_RUNNING) {
            fprintf(stderr, "settd_proc: no exit 5 s after SIGTERM; killing it\n");
            settd_proc_dump_log(s);
            kill(s->pid, SIGKILL);
            status = child_reap(s->pid, 5000);
        }
    }
    if (status != -1 && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        fprintf(stderr, "settd_proc: settd ended with status 0x%x\n", (unsigned)status);
        settd_proc_dump_log(s); /* what it said on the way out (a leak report …) */
    }
    tempdir_remove(s->dir);
    free(s);
    *sp = NULL;
    return status;
}
