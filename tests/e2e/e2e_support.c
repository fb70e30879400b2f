/* e2e_support.c: keys, OpenSSH client runs, and raw TCP connections for the end-to-end tests. */
#include "e2e_support.h"

#include "netutil.h"
#include "tempdir.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#if !defined(SSH_BIN) || !defined(SFTP_BIN) || !defined(SSH_KEYGEN_BIN)
#error "SSH_BIN, SFTP_BIN and SSH_KEYGEN_BIN must be defined"
#endif

#define ENV_MAX 24

int e2e_key_make(struct e2e_key *k, const char *comment)
{
    struct e2e_out out = {0};
    memset(k, 0, sizeof *k);
    if (tempdir_make("sett-e2e-key", k->dir, sizeof k->dir) != 0) {
        perror("e2e_key_make: temporary directory");
        return -1;
    }
    snprintf(k->path, sizeof k->path, "%s/key", k->dir);
    const char *gen[] = {SSH_KEYGEN_BIN, "-q",    "-t", "ed25519", "-N", "",
                         "-C",           comment, "-f", k->path,   NULL};
    if (e2e_run(gen, NULL, k->dir, NULL, harness_ms(10000), &out) != 0 ||
        e2e_exit_code(&out) != 0) {
        fprintf(stderr, "e2e_key_make: %s failed:\n%s\n", SSH_KEYGEN_BIN, out.text);
        goto fail;
    }
    e2e_out_free(&out);
    /* "256 SHA256:… comment (ED25519)": the identity settd and the server know the key by. */
    const char *print[] = {SSH_KEYGEN_BIN, "-l", "-E", "sha256", "-f", k->path, NULL};
    if (e2e_run(print, NULL, k->dir, NULL, harness_ms(10000), &out) != 0 ||
        e2e_exit_code(&out) != 0 || sscanf(out.text, "%*d %63s", k->fingerprint) != 1 ||
        strncmp(k->fingerprint, "SHA256:", 7) != 0) {
        fprintf(stderr, "e2e_key_make: no fingerprint from ssh-keygen -lf:\n%s\n", out.text);
        goto fail;
    }
    e2e_out_free(&out);
    return 0;
fail:
    e2e_out_free(&out);
    e2e_key_remove(k);
    return -1;
}

void e2e_key_remove(struct e2e_key *k)
{
    if (k->dir[0])
        tempdir_remove(k->dir);
    k->dir[0] = '\0';
}

/* ---- programs run to completion ---- */

static void child_exec(const char *const argv[], char *const env[], int in_fd, int out_fd,
                       int err_fd)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &dfl, NULL);
    setpgid(0, 0); /* its own group, so a timeout ends whatever it started */
    dup2(in_fd, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    execve(argv[0], (char *const *)argv, env);
    dprintf(2, "e2e_run: cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

static int build_env(char **env, char *storage, size_t size, const char *home,
                     const char *const env_add[])
{
    static const char *const passed[] = {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", NULL};
    int n = 0;
    size_t used = 0;
#define PUT(...)                                                                                   \
    do {                                                                                           \
        int len_ = snprintf(storage + used, size - used, __VA_ARGS__);                             \
        if (len_ < 0 || (size_t)len_ >= size - used || n >= ENV_MAX - 1)                           \
            return -1;                                                                             \
        env[n++] = storage + used;                                                                 \
        used += (size_t)len_ + 1;                                                                  \
    } while (0)
    PUT("PATH=/usr/local/bin:/usr/bin:/bin");
    PUT("HOME=%s", home);
    PUT("LANG=C.UTF-8");
    PUT("TERM=xterm-256color");
    for (int i = 0; passed[i]; i++)
        if (getenv(passed[i]))
            PUT("%s=%s", passed[i], getenv(passed[i]));
    for (int i = 0; env_add && env_add[i]; i++)
        PUT("%s", env_add[i]);
#undef PUT
    env[n] = NULL;
    return 0;
}

static int append_to(char **text, size_t *tlen, const char *buf, size_t len)
{
    char *bigger = realloc(*text, *tlen + len + 1);
    if (!bigger)
        return -1;
    *text = bigger;
    memcpy(*text + *tlen, buf, len);
    *tlen += len;
    (*text)[*tlen] = '\0';
    return 0;
}

static int append(struct e2e_out *o, const char *buf, size_t len)
{
    return append_to(&o->text, &o->len, buf, len);
}

/* Reads what `fd` has into *text; false once it is closed. */
static bool read_some(int fd, char **text, size_t *tlen)
{
    char buf[4096];
    ssize_t got = read(fd, buf, sizeof buf);
    if (got > 0) {
        append_to(text, tlen, buf, (size_t)got);
        return true;
    }
    return got < 0 && errno == EINTR;
}

static int run(const char *const argv[], const char *const env_add[], const char *home,
               const char *input, int timeout_ms, struct e2e_out *out, bool split)
{
    char *env[ENV_MAX], storage[8192];
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    int rc = -1;
    memset(out, 0, sizeof *out);
    out->status = -1;
    if (append(out, "", 0) != 0 || append_to(&out->err, &out->err_len, "", 0) != 0 ||
        build_env(env, storage, sizeof storage, home, env_add) != 0)
        return -1;
    if (access(argv[0], X_OK) != 0) {
        fprintf(stderr, "e2e_run: %s is not an executable (%s); install it\n", argv[0],
                strerror(errno));
        return -1;
    }
    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
        (split && pipe2(err_pipe, O_CLOEXEC) != 0))
        goto done;
    long long start = net_now_ms();
    pid_t pid = fork();
    if (pid < 0)
        goto done;
    if (pid == 0)
        child_exec(argv, env, in_pipe[0], out_pipe[1], split ? err_pipe[1] : out_pipe[1]);
    close(in_pipe[0]);
    close(out_pipe[1]);
    in_pipe[0] = out_pipe[1] = -1;
    if (split) {
        close(err_pipe[1]);
        err_pipe[1] = -1;
    }
    if (input && *input) {
        /* Small inputs only: they fit in the pipe, so this never blocks. */
        if (write(in_pipe[1], input, strlen(input)) < 0)
            perror("e2e_run: input");
    }
    close(in_pipe[1]);
    in_pipe[1] = -1;
    long long deadline = start + timeout_ms;
    bool open_out = true, open_err = split;
    for (;;) {
        int status;
        if (!open_out && !open_err && waitpid(pid, &status, WNOHANG) == pid) {
            out->status = status;
            break;
        }
        long long left = deadline - net_now_ms();
        if (left <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            out->timed_out = true;
            break;
        }
        if (open_out || open_err) {
            struct pollfd p[2] = {{.fd = open_out ? out_pipe[0] : -1, .events = POLLIN},
                                  {.fd = open_err ? err_pipe[0] : -1, .events = POLLIN}};
            if (poll(p, 2, (int)(left < 50 ? left : 50)) > 0) {
                /* once every writer closed a pipe, it and its children are gone */
                if (p[0].revents)
                    open_out = read_some(out_pipe[0], &out->text, &out->len);
                if (p[1].revents)
                    open_err = read_some(err_pipe[0], &out->err, &out->err_len);
            }
        } else {
            poll(NULL, 0, 10);
        }
    }
    out->ms = net_now_ms() - start;
    rc = 0;
done:
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0)
            close(in_pipe[i]);
        if (out_pipe[i] >= 0)
            close(out_pipe[i]);
        if (err_pipe[i] >= 0)
            close(err_pipe[i]);
    }
    return rc;
}

int e2e_run(const char *const argv[], const char *const env_add[], const char *home,
            const char *input, int timeout_ms, struct e2e_out *out)
{
    return run(argv, env_add, home, input, timeout_ms, out, false);
}

int e2e_run_split(const char *const argv[], const char *const env_add[], const char *home,
                  const char *input, int timeout_ms, struct e2e_out *out)
{
    return run(argv, env_add, home, input, timeout_ms, out, true);
}

void e2e_out_free(struct e2e_out *o)
{
    free(o->text);
    free(o->err);
    o->text = o->err = NULL;
    o->len = o->err_len = 0;
}

int e2e_exit_code(const struct e2e_out *o)
{
    return !o->timed_out && o->status >= 0 && WIFEXITED(o->status) ? WEXITSTATUS(o->status) : -1;
}

/* ---- argument vectors ---- */

void e2e_argv_add(struct e2e_argv *a, const char *arg)
{
    if (a->n < E2E_ARGV_MAX - 1)
        a->v[a->n++] = arg;
    a->v[a->n] = NULL;
}

void e2e_argv_addf(struct e2e_argv *a, const char *fmt, ...)
{
    if (a->n_strings >= (int)(sizeof a->strings / sizeof a->strings[0]))
        return;
    char *s = a->strings[a->n_strings++];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof a->strings[0], fmt, ap);
    va_end(ap);
    e2e_argv_add(a, s);
}

static void client_options(struct e2e_argv *a, const struct e2e_key *k)
{
    static const char *const opts[] = {"StrictHostKeyChecking=no",
                                       "UserKnownHostsFile=/dev/null",
                                       "IdentitiesOnly=yes",
                                       "BatchMode=yes",
                                       "LogLevel=ERROR",
                                       "ConnectTimeout=10",
                                       NULL};
    e2e_argv_add(a, "-i");
    e2e_argv_add(a, k->path);
    for (int i = 0; opts[i]; i++) {
        e2e_argv_add(a, "-o");
        e2e_argv_add(a, opts[i]);
    }
}

void e2e_ssh_argv(struct e2e_argv *a, int port, const struct e2e_key *k)
{
    memset(a, 0, sizeof *a);
    snprintf(a->port, sizeof a->port, "%d", port);
    e2e_argv_add(a, SSH_BIN);
    e2e_argv_add(a, "-F");
    e2e_argv_add(a, "/dev/null");
    e2e_argv_add(a, "-p");
    e2e_argv_add(a, a->port);
    client_options(a, k);
}

void e2e_sftp_argv(struct e2e_argv *a, int port, const struct e2e_key *k)
{
    memset(a, 0, sizeof *a);
    snprintf(a->port, sizeof a->port, "%d", port);
    e2e_argv_add(a, SFTP_BIN);
    e2e_argv_add(a, "-F");
    e2e_argv_add(a, "/dev/null");
    e2e_argv_add(a, "-P");
    e2e_argv_add(a, a->port);
    client_options(a, k);
}

/* ---- a customer at a terminal ---- */

struct harness *e2e_session_at(int port, const struct e2e_key *k, const char *const extra[],
                               const char *const env_add[], int rows, int cols)
{
    struct e2e_argv a;
    e2e_ssh_argv(&a, port, k);
    for (int i = 0; extra && extra[i]; i++)
        e2e_argv_add(&a, extra[i]);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    return harness_start(a.v, env_add, rows, cols);
}

struct harness *e2e_session(const struct e2e_shop *s, const struct e2e_key *k,
                            const char *const extra[], const char *const env_add[], int rows,
                            int cols)
{
    struct harness *h = e2e_session_at(e2e_shop_port(s), k, extra, env_add, rows, cols);
    if (!h)
        e2e_shop_dump(s);
    return h;
}

int e2e_wait_home(const struct e2e_shop *s, struct harness *h)
{
    /* The account's home (H): its figures, then settled. */
    if (harness_send(h, "H") == 0 && sett_wait_settled(h, "Credit balance") == 0 &&
        harness_screen_contains(h, "Active services"))
        return 0;
    e2e_shop_dump(s);
    return -1;
}

int e2e_wait_store(const struct e2e_shop *s, struct harness *h)
{
    /* Signed in by the key, sett opens on the store, with the customer in the header. The demo
     * catalog's first product; the store is settled when nothing loads any more. */
    if (sett_wait_settled(h, "Dirt") == 0)
        return 0;
    e2e_shop_dump(s);
    return -1;
}

bool e2e_terminal_clean(struct harness *h)
{
    return !harness_altscreen(h) && harness_cursor_visible(h);
}

int e2e_quit(const struct e2e_shop *s, struct harness *h)
{
    return e2e_quit_keys(s, h, "q");
}

int e2e_quit_keys(const struct e2e_shop *s, struct harness *h, const char *keys)
{
    int status;
    if (harness_send(h, keys) != 0)
        return -1;
    if (harness_wait_exit(h, harness_ms(10000), &status) != 0) {
        harness_print_screen(h, stderr, "ssh did not exit after q");
        e2e_shop_dump(s);
        return -1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "e2e_quit: ssh ended with status 0x%x, not exit 0\n", status);
        harness_print_screen(h, stderr, "after q");
        e2e_shop_dump(s);
        return -1;
    }
    if (harness_raw_find(h, 0, "\x1b[?1049l", 8) < 0 || !e2e_terminal_clean(h)) {
        fprintf(stderr,
                "e2e_quit: the terminal was not restored (alternate screen %s, cursor %s)\n",
                harness_altscreen(h) ? "still on" : "left",
                harness_cursor_visible(h) ? "visible" : "hidden");
        harness_print_screen(h, stderr, "after q");
        return -1;
    }
    return 0;
}

/* ---- raw TCP ---- */

int e2e_tcp_connect(int port)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

int e2e_read_line(int fd, char *buf, size_t n, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    size_t len = 0;
    while (len + 1 < n) {
        long long left = deadline - net_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, (int)left) <= 0)
            return -1;
        ssize_t got = read(fd, buf + len, 1); /* byte by byte: nothing after the line is taken */
        if (got <= 0)
            return -1;
        len++;
        if (buf[len - 1] == '\n')
            break;
    }
    buf[len] = '\0';
    return (int)len;
}

int e2e_wait_closed(int fd, char *buf, size_t n, size_t *got, int timeout_ms)
{
    long long deadline = net_now_ms() + timeout_ms;
    size_t len = 0;
    for (;;) {
        long long left = deadline - net_now_ms();
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (left <= 0)
            break;
        if (poll(&p, 1, (int)left) <= 0)
            continue;
        char chunk[4096];
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN)) {
            if (buf && n)
                buf[len] = '\0';
            if (got)
                *got = len;
            return 0;
        }
        if (r > 0 && buf && n) {
            size_t take = (size_t)r < n - 1 - len ? (size_t)r : n - 1 - len;
            memcpy(buf + len, chunk, take);
            len += take;
        }
    }
    if (buf && n)
        buf[len] = '\0';
    if (got)
        *got = len;
    return -1;
}

int e2e_find_descendant(const struct e2e_shop *s, const char *name)
{
    pid_t pids[256];
    int n = settd_proc_descendants(s->settd, pids, 256);
    for (int i = 0; i < n && i < 256; i++) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pids[i]);
        char *cmd = tempdir_read_file(path, NULL);
        if (!cmd)
            continue;
        const char *base = strrchr(cmd, '/');
        base = base ? base + 1 : cmd;
        bool match = strcmp(base, name) == 0;
        free(cmd);
        if (match)
            return pids[i];
    }
    return -1;
}
