/* phone.c: runs tests/browser/phone.js as a child and talks to it one JSON line at a time. */
#include "phone.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "child.h"

struct phone {
    pid_t pid;
    int to, from; /* its stdin, its stdout */
    char buf[1 << 20];
    size_t len;
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The next line the driver writes, parsed; NULL on timeout, EOF or bad JSON. */
static cJSON *read_reply(struct phone *p, int timeout_ms)
{
    long long deadline = now_ms() + timeout_ms;
    for (;;) {
        char *nl = memchr(p->buf, '\n', p->len);
        if (nl) {
            *nl = '\0';
            cJSON *j = cJSON_Parse(p->buf);
            if (!j)
                fprintf(stderr, "phone: not JSON from the driver: %.300s\n", p->buf);
            size_t used = (size_t)(nl + 1 - p->buf);
            memmove(p->buf, nl + 1, p->len - used);
            p->len -= used;
            return j;
        }
        long long left = deadline - now_ms();
        if (left <= 0) {
            fprintf(stderr, "phone: no answer from the browser within %d ms\n", timeout_ms);
            return NULL;
        }
        struct pollfd pfd = {.fd = p->from, .events = POLLIN};
        int n = poll(&pfd, 1, (int)left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            continue;
        if (p->len + 1 >= sizeof p->buf) {
            fprintf(stderr, "phone: answer too long\n");
            return NULL;
        }
        ssize_t got = read(p->from, p->buf + p->len, sizeof p->buf - p->len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            fprintf(stderr, "phone: the browser driver exited\n");
            return NULL;
        }
        p->len += (size_t)got;
    }
}

/* An answer with "ok": true, or NULL (its error on stderr). */
static cJSON *checked(cJSON *j, const char *what)
{
    if (j && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ok")))
        return j;
    if (j) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
        fprintf(stderr, "phone: %s: %s\n", what, cJSON_IsString(e) ? e->valuestring : "failed");
    }
    cJSON_Delete(j);
    return NULL;
}

struct phone *phone_start(const char *node, const char *script, const char *tools_dir,
                          const char *chromium, const char *profile_dir, int timeout_ms)
{
    int in[2], out[2];
    if (access(node, X_OK) != 0) {
        fprintf(stderr, "phone: %s is not an executable; install Node.js\n", node);
        return NULL;
    }
    if (access(chromium, X_OK) != 0) {
        fprintf(stderr,
                "phone: %s is not an executable; install Debian's chromium "
                "(scripts/install-deps --test)\n",
                chromium);
        return NULL;
    }
    struct phone *p = calloc(1, sizeof *p);
    if (!p || pipe(in) != 0) {
        free(p);
        return NULL;
    }
    if (pipe(out) != 0) {
        close(in[0]);
        close(in[1]);
        free(p);
        return NULL;
    }
    fflush(NULL);
    p->pid = fork();
    if (p->pid == 0) {
        /* Its own process group: Chromium's processes can then be ended with the driver. */
        setpgid(0, 0);
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        execl(node, node, script, tools_dir, chromium, profile_dir, (char *)NULL);
        fprintf(stderr, "phone: cannot run %s: %s\n", node, strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to = in[1];
    p->from = out[0];
    if (p->pid < 0) {
        phone_stop(&p);
        return NULL;
    }
    setpgid(p->pid, p->pid);
    cJSON *ready = checked(read_reply(p, timeout_ms), "starting Chromium");
    if (!ready) {
        phone_stop(&p);
        return NULL;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(ready, "browser");
    fprintf(stderr, "phone: %s, puppeteer-core from %s\n", cJSON_IsString(v) ? v->valuestring : "?",
            tools_dir);
    cJSON_Delete(ready);
    return p;
}

static cJSON *call(struct phone *p, cJSON *cmd, int timeout_ms)
{
    char *line = cJSON_PrintUnformatted(cmd);
    const char *op = cJSON_GetObjectItemCaseSensitive(cmd, "op")->valuestring;
    cJSON *reply = NULL;
    if (line) {
        size_t n = strlen(line);
        line[n] = '\n'; /* cJSON's buffer: the NUL becomes the line's end */
        if (write(p->to, line, n + 1) == (ssize_t)(n + 1))
            reply = checked(read_reply(p, timeout_ms), op);
        else
            fprintf(stderr, "phone: cannot write to the driver: %s\n", strerror(errno));
    }
    cJSON_free(line);
    cJSON_Delete(cmd);
    return reply;
}

cJSON *phone_open(struct phone *p, const char *url, const char *shot, int timeout_ms)
{
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", "open");
    cJSON_AddStringToObject(cmd, "url", url);
    cJSON_AddStringToObject(cmd, "shot", shot);
    return call(p, cmd, timeout_ms);
}

cJSON *phone_tap(struct phone *p, const char *button, const char *shot, int timeout_ms)
{
    cJSON *cmd = cJSON_CreateObject();
    cJSON_AddStringToObject(cmd, "op", "tap");
    cJSON_AddStringToObject(cmd, "button", button);
    cJSON_AddStringToObject(cmd, "shot", shot);
    return call(p, cmd, timeout_ms);
}

void phone_stop(struct phone **pp)
{
    struct phone *p = pp ? *pp : NULL;
    if (!p)
        return;
    if (p->pid > 0) {
        static const char quit[] = "{\"op\":\"quit\"}\n";
        if (write(p->to, quit, sizeof quit - 1) < 0) {
            /* gone already: reaped below */
        }
        close(p->to);
        p->to = -1;
        if (child_reap(p->pid, 10000) == CHILD_RUNNING) {
            kill(-p->pid, SIGKILL);
            child_reap(p->pid, 5000);
        }
        /* Whatever Chromium left in the group (its driver closed it; this is a backstop). */
        kill(-p->pid, SIGKILL);
    }
    if (p->to >= 0)
        close(p->to);
    close(p->from);
    free(p);
    *pp = NULL;
}
