/* harness.c: runs a program on a pseudo-terminal and feeds its output to libvterm; input, waits. */
#include "harness_internal.h"

#include "tempdir.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RAW_MAX (64u << 20)

long long harness_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int harness_ms(int ms)
{
    const char *s = getenv("SETT_TEST_TIMEOUT_SCALE");
    double scale = s ? strtod(s, NULL) : 1.0;
    if (scale < 1.0)
        scale = 1.0;
    return (int)(ms * scale);
}

void harness_fail_at(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

/* ---- vterm callbacks ---- */

static void on_output(const char *s, size_t len, void *user)
{
    struct harness *h = user;
    if (h->out_len + len > h->out_cap) {
        size_t cap = h->out_cap ? h->out_cap : 256;
        while (cap < h->out_len + len)
            cap *= 2;
        char *bigger = realloc(h->out, cap);
        if (!bigger)
            return;
        h->out = bigger;
        h->out_cap = cap;
    }
    memcpy(h->out + h->out_len, s, len);
    h->out_len += len;
}

static int on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
    struct harness *h = user;
    switch (prop) {
    case VTERM_PROP_TITLE:
    case VTERM_PROP_ICONNAME:
        h->title_set = true;
        snprintf(h->title, sizeof h->title, "%s", val->string ? val->string : "");
        break;
    case VTERM_PROP_ALTSCREEN:
        h->altscreen = val->boolean;
        break;
    case VTERM_PROP_CURSORVISIBLE:
        h->cursor_visible = val->boolean;
        break;
    default:
        break;
    }
    return 1;
}

static int on_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
    struct harness *h = user;
    (void)oldpos;
    (void)visible; /* libvterm's own idea; the program's DECTCEM arrives via settermprop */
    h->cursor_row = pos.row;
    h->cursor_col = pos.col;
    return 1;
}

static int on_bell(void *user)
{
    ((struct harness *)user)->bells++;
    return 1;
}

static const VTermScreenCallbacks screen_callbacks = {
    .settermprop = on_settermprop,
    .movecursor = on_movecursor,
    .bell = on_bell,
};

struct harness *harness_start(const char *const argv[], const char *const env_add[], int rows,
                              int cols)
{
    struct harness *h = calloc(1, sizeof *h);
    struct env_list env = {.n = 0};
    if (!h)
        return NULL;
    h->master = -1;
    h->pid = -1;
    h->rows = rows;
    h->cols = cols;
    h->cursor_visible = true;
    if (access(argv[0], X_OK) != 0) {
        fprintf(stderr, "harness: %s is not an executable: %s\n", argv[0], strerror(errno));
        goto fail;
    }
    if (tempdir_make("sett-screens-home", h->home, sizeof h->home) != 0) {
        perror("harness: temporary HOME");
        goto fail;
    }
    harness_make_home(h->home);
    if (harness_env_build(&env, h->home, env_add) != 0) {
        fprintf(stderr, "harness: environment too large\n");
        goto fail;
    }

    h->vt = vterm_new(rows, cols);
    if (!h->vt)
        goto fail;
    vterm_set_utf8(h->vt, 1);
    vterm_output_set_callback(h->vt, on_output, h);
    h->screen = vterm_obtain_screen(h->vt);
    vterm_screen_set_callbacks(h->screen, &screen_callbacks, h);
    vterm_screen_enable_altscreen(h->screen, 1);
    vterm_screen_reset(h->screen, 1);

    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    h->pid = forkpty(&h->master, NULL, NULL, &ws);
    if (h->pid < 0) {
        perror("harness: forkpty");
        goto fail;
    }
    if (h->pid == 0)
        harness_child_exec(argv, env.vars, h->home);
    fcntl(h->master, F_SETFD, FD_CLOEXEC);
    fcntl(h->master, F_SETFL, fcntl(h->master, F_GETFL) | O_NONBLOCK);
    harness_env_clear(&env);
    return h;
fail:
    harness_env_clear(&env);
    harness_free(&h);
    return NULL;
}

static void reap_nohang(struct harness *h)
{
    if (h->pid <= 0 || h->reaped)
        return;
    int status;
    pid_t r = waitpid(h->pid, &status, WNOHANG);
    if (r == h->pid) {
        h->reaped = true;
        h->status = status;
    }
}

void harness_free(struct harness **hp)
{
    struct harness *h = hp ? *hp : NULL;
    if (!h)
        return;
    if (h->pid > 0 && !h->reaped) {
        kill(h->pid, SIGTERM);
        int status;
        if (harness_wait_exit(h, 2000, &status) != 0) {
            kill(h->pid, SIGKILL);
            waitpid(h->pid, &status, 0);
        }
    }
    if (h->master >= 0)
        close(h->master);
    if (h->vt)
        vterm_free(h->vt);
    if (h->home[0])
        tempdir_remove(h->home);
    free(h->raw);
    free(h->out);
    free(h);
    *hp = NULL;
}

pid_t harness_pid(const struct harness *h)
{
    return h->pid;
}

const char *harness_home(const struct harness *h)
{
    return h->home;
}

void harness_size(const struct harness *h, int *rows, int *cols)
{
    *rows = h->rows;
    *cols = h->cols;
}

/* ---- the pty ---- */

static void flush_out(struct harness *h)
{
    while (h->out_len > 0 && !h->eof) {
        ssize_t w = write(h->master, h->out, h->out_len);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                h->out_len = 0; /* the child is gone: nobody to read it */
            return;
        }
        memmove(h->out, h->out + w, h->out_len - (size_t)w);
        h->out_len -= (size_t)w;
    }
}

static void keep_raw(struct harness *h, const char *buf, size_t n)
{
    if (h->raw_len + n > RAW_MAX)
        return;
    if (h->raw_len + n > h->raw_cap) {
        size_t cap = h->raw_cap ? h->raw_cap : 65536;
        while (cap < h->raw_len + n)
            cap *= 2;
        unsigned char *bigger = realloc(h->raw, cap);
        if (!bigger)
            return;
        h->raw = bigger;
        h->raw_cap = cap;
    }
    memcpy(h->raw + h->raw_len, buf, n);
    h->raw_len += n;
}

int harness_pump(struct harness *h, int timeout_ms)
{
    if (h->eof) {
        reap_nohang(h);
        return -1;
    }
    struct pollfd pfd = {.fd = h->master, .events = POLLIN | (h->out_len ? POLLOUT : 0)};
    int r = poll(&pfd, 1, timeout_ms < 0 ? 0 : timeout_ms);
    if (r <= 0)
        return 0;
    if (pfd.revents & POLLOUT)
        flush_out(h);
    int total = 0;
    if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[16384];
        for (;;) {
            ssize_t n = read(h->master, buf, sizeof buf);
            if (n > 0) {
                keep_raw(h, buf, (size_t)n);
                harness_feed(h, buf, (size_t)n);
                total += (int)n;
                continue;
            }
            if (n < 0 && errno == EINTR)
                continue;
            if (n == 0 || (n < 0 && errno != EAGAIN)) /* EIO: every slave fd is closed */
                h->eof = true;
            break;
        }
        vterm_screen_flush_damage(h->screen);
    }
    flush_out(h); /* answers to queries the program just made */
    if (h->eof && total == 0)
        return -1;
    return total;
}

int harness_send_len(struct harness *h, const void *bytes, size_t len)
{
    on_output(bytes, len, h);
    long long deadline = harness_now_ms() + harness_ms(5000);
    flush_out(h);
    while (h->out_len > 0 && !h->eof) {
        if (harness_now_ms() >= deadline) {
            fprintf(stderr, "harness: the program does not read its input\n");
            return -1;
        }
        harness_pump(h, 50);
    }
    return h->eof ? -1 : 0;
}

int harness_send(struct harness *h, const char *bytes)
{
    return harness_send_len(h, bytes, strlen(bytes));
}

int harness_key(struct harness *h, VTermKey key, VTermModifier mod)
{
    vterm_keyboard_key(h->vt, key, mod);
    return harness_send_len(h, "", 0);
}

/* Reads until the program has been silent for quiet_ms, or max_ms passed; no diagnosis. */
static void settle(struct harness *h, int quiet_ms, int max_ms)
{
    long long deadline = harness_now_ms() + max_ms, quiet_since = harness_now_ms();
    while (!h->eof && harness_now_ms() < deadline && harness_now_ms() - quiet_since < quiet_ms)
        if (harness_pump(h, quiet_ms) > 0)
            quiet_since = harness_now_ms();
}

int harness_resize(struct harness *h, int rows, int cols)
{
    /* Output still in flight was laid out for the old size and would land in the new one, as on
     * a real terminal resized mid-frame: resize a settled screen so the result is repeatable. */
    settle(h, 50, harness_ms(1000));
    h->rows = rows;
    h->cols = cols;
    vterm_set_size(h->vt, rows, cols);
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    if (ioctl(h->master, TIOCSWINSZ, &ws) != 0) {
        perror("harness: TIOCSWINSZ");
        return -1;
    }
    return 0;
}

/* ---- waiting ---- */

static int remaining(long long deadline)
{
    long long left = deadline - harness_now_ms();
    return left < 0 ? 0 : (int)left;
}

int harness_wait_text(struct harness *h, const char *text, int timeout_ms)
{
    long long deadline = harness_now_ms() + harness_ms(timeout_ms);
    for (;;) {
        if (harness_screen_contains(h, text))
            return 0;
        if (h->eof || harness_now_ms() >= deadline)
            break;
        harness_pump(h, remaining(deadline));
    }
    char why[512];
    snprintf(why, sizeof why, "\"%s\" did not show%s", text,
             h->eof ? " (the program closed the terminal)" : "");
    harness_print_screen(h, stderr, why);
    return -1;
}

int harness_wait_gone(struct harness *h, const char *text, int timeout_ms)
{
    long long deadline = harness_now_ms() + harness_ms(timeout_ms);
    for (;;) {
        if (!harness_screen_contains(h, text))
            return 0;
        if (h->eof || harness_now_ms() >= deadline)
            break;
        harness_pump(h, remaining(deadline));
    }
    char why[512];
    snprintf(why, sizeof why, "\"%s\" is still on the screen", text);
    harness_print_screen(h, stderr, why);
    return -1;
}

int harness_wait_quiet(struct harness *h, int quiet_ms, int timeout_ms)
{
    long long deadline = harness_now_ms() + harness_ms(timeout_ms);
    long long quiet_since = harness_now_ms();
    for (;;) {
        long long now = harness_now_ms();
        if (now - quiet_since >= quiet_ms || h->eof)
            return 0;
        if (now >= deadline)
            break;
        int wait = (int)(quiet_since + quiet_ms - now);
        if (wait > remaining(deadline))
            wait = remaining(deadline);
        if (harness_pump(h, wait) > 0)
            quiet_since = harness_now_ms();
    }
    char why[128];
    snprintf(why, sizeof why, "the screen never settled (%d ms without output)", quiet_ms);
    harness_print_screen(h, stderr, why);
    return -1;
}

int harness_wait_raw(struct harness *h, size_t from, const char *bytes, int timeout_ms)
{
    long long deadline = harness_now_ms() + harness_ms(timeout_ms);
    for (;;) {
        if (harness_raw_find(h, from, bytes, strlen(bytes)) >= 0)
            return 0;
        if (h->eof || harness_now_ms() >= deadline)
            break;
        harness_pump(h, remaining(deadline));
    }
    fprintf(stderr, "harness: the expected bytes were not written (%zu bytes since offset %zu)\n",
            h->raw_len - from, from);
    return -1;
}

bool harness_exited(struct harness *h)
{
    reap_nohang(h);
    return h->reaped;
}

int harness_wait_exit(struct harness *h, int timeout_ms, int *status)
{
    long long deadline = harness_now_ms() + timeout_ms;
    for (;;) {
        reap_nohang(h);
        if (h->reaped) {
            /* the rest of what it wrote is still in the pty: read it all */
            while (harness_pump(h, 0) > 0)
                ;
            if (status)
                *status = h->status;
            return 0;
        }
        int left = remaining(deadline);
        if (left == 0)
            return -1;
        if (h->eof)
            poll(NULL, 0, left < 5 ? left : 5); /* closed pty, not yet a zombie: brief */
        else
            harness_pump(h, left < 20 ? left : 20);
    }
}
