/* plain_support.c: sett in plain mode as a subprocess, on a pipe or a pty, for tests. */
#include "plain_support.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "billingd_proc.h"
#include "child.h"
#include "netutil.h"
#include "tempdir.h"

static int timeout_ms(void)
{
    const char *s = getenv("SETT_TEST_TIMEOUT_SCALE");
    int scale = s && atoi(s) > 0 ? atoi(s) : 1;
    return 30000 * scale;
}

static void exec_sett(const struct plain_run *r, const char *const *args, const char *const *env)
{
    char *argv[32], *envp[48], home[600], cfg[700], data[700];
    int n = 0, e = 0;
    argv[n++] = SETT_BIN;
    for (int i = 0; args && args[i] && n < 31; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    snprintf(home, sizeof home, "HOME=%s", r->dir);
    snprintf(cfg, sizeof cfg, "XDG_CONFIG_HOME=%s/config", r->dir);
    snprintf(data, sizeof data, "XDG_DATA_HOME=%s/data", r->dir);
    envp[e++] = "PATH=/usr/bin:/bin";
    envp[e++] = home;
    envp[e++] = cfg;
    envp[e++] = data;
    envp[e++] = "LANG=C.UTF-8";
    envp[e++] = "TZ=UTC";
    for (int i = 0; env && env[i] && e < 47; i++)
        envp[e++] = (char *)env[i];
    envp[e] = NULL;
    execve(SETT_BIN, argv, envp);
    _exit(127);
}

int plain_start(struct plain_run *r, const char *const *args, const char *const *env, bool pty)
{
    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
    memset(r, 0, sizeof *r);
    r->pty = pty;
    r->status = -1;
    if (tempdir_make("sett-plain", r->dir, sizeof r->dir) != 0 || pipe(err) != 0)
        return -1;
    if (pty) {
        struct winsize ws = {.ws_row = 24, .ws_col = 80};
        int master;
        r->pid = forkpty(&master, NULL, NULL, &ws);
        if (r->pid == 0) {
            dup2(err[1], STDERR_FILENO);
            close(err[0]);
            close(err[1]);
            exec_sett(r, args, env);
        }
        r->in = r->out = master;
    } else {
        if (pipe(in) != 0 || pipe(out) != 0)
            return -1;
        r->pid = fork();
        if (r->pid == 0) {
            dup2(in[0], STDIN_FILENO);
            dup2(out[1], STDOUT_FILENO);
            dup2(err[1], STDERR_FILENO);
            close(in[0]), close(in[1]), close(out[0]), close(out[1]);
            close(err[0]), close(err[1]);
            exec_sett(r, args, env);
        }
        close(in[0]);
        close(out[1]);
        r->in = in[1];
        r->out = out[0];
    }
    close(err[1]);
    r->err = err[0];
    if (r->pid < 0)
        return -1;
    fcntl(r->out, F_SETFL, fcntl(r->out, F_GETFL) | O_NONBLOCK);
    fcntl(r->err, F_SETFL, fcntl(r->err, F_GETFL) | O_NONBLOCK);
    return 0;
}

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* Reads what is there within `ms`: 1 read something, 0 nothing, -1 closed. */
static int pump(struct plain_run *r, int ms)
{
    struct pollfd fds[2] = {{.fd = r->out, .events = POLLIN}, {.fd = r->err, .events = POLLIN}};
    char buf[4096];
    int got = 0;
    if (poll(fds, 2, ms) <= 0)
        return 0;
    if (fds[1].revents) {
        size_t elen = r->errtext ? strlen(r->errtext) : 0, ecap = elen + 1;
        ssize_t n = read(r->err, buf, sizeof buf);
        if (n > 0)
            append(&r->errtext, &elen, &ecap, buf, (size_t)n);
    }
    if (fds[0].revents) {
        ssize_t n = read(r->out, buf, sizeof buf);
        if (n > 0) {
            append(&r->text, &r->len, &r->cap, buf, (size_t)n);
            got = 1;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            return -1; /* EOF, or EIO: the pty's slave side is closed */
        }
    }
    return got;
}

int plain_expect(struct plain_run *r, const char *text)
{
    long long end = net_now_ms() + timeout_ms();
    for (;;) {
        const char *at = r->text ? strstr(r->text + r->seen, text) : NULL;
        if (at) {
            r->seen = (size_t)(at - r->text) + strlen(text);
            return 0;
        }
        long long left = end - net_now_ms();
        if (left <= 0 || pump(r, (int)(left < 200 ? left : 200)) < 0) {
            if (r->text && strstr(r->text + r->seen, text))
                continue;
            fprintf(stderr,
                    "plain_expect: \"%s\" not seen; the output after the last match:\n%s\n"
                    "stderr: %s\n",
                    text, r->text ? r->text + r->seen : "", r->errtext ? r->errtext : "");
            return -1;
        }
    }
}

int plain_send(struct plain_run *r, const char *line)
{
    size_t n = strlen(line);
    if (write(r->in, line, n) != (ssize_t)n || write(r->in, "\n", 1) != 1)
        return -1;
    return 0;
}

int plain_finish(struct plain_run *r)
{
    if (r->pty) {
        struct termios t;
        char eof = 4;
        if (tcgetattr(r->in, &t) == 0)
            eof = (char)t.c_cc[VEOF];
        if (write(r->in, &eof, 1) != 1)
            return -1;
    } else {
        close(r->in);
        r->in = -1;
    }
    long long end = net_now_ms() + timeout_ms();
    while (net_now_ms() < end && pump(r, 100) >= 0)
        ;
    int st = child_reap(r->pid, 5000);
    if (st == CHILD_RUNNING || st == -1)
        return -1; /* plain_free kills it */
    r->pid = -1;
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r->status;
}

void plain_free(struct plain_run *r)
{
    if (r->pid > 0) {
        kill(r->pid, SIGKILL);
        child_reap(r->pid, 5000);
    }
    if (r->in >= 0 && r->in != r->out)
        close(r->in);
    if (r->out >= 0)
        close(r->out);
    if (r->err >= 0)
        close(r->err);
    free(r->text);
    free(r->errtext);
    if (r->dir[0])
        tempdir_remove(r->dir);
    memset(r, 0, sizeof *r);
}

const char *plain_line_after(struct plain_run *r, const char *prefix, char *buf, size_t n)
{
    const char *at = r->text ? strstr(r->text + r->seen, prefix) : NULL;
    if (!at)
        return NULL;
    size_t len = strcspn(at, "\r\n");
    snprintf(buf, n, "%.*s", (int)len, at);
    return buf;
}

bool plain_has_escape(const struct plain_run *r)
{
    for (size_t i = 0; i < r->len; i++) {
        unsigned char c = (unsigned char)r->text[i];
        if (c == 0x1b || c == 0x7f || (c < 0x20 && c != '\n' && c != '\r'))
            return true;
        /* a C1 control, as UTF-8 (U+0080-U+009F), or raw after ASCII */
        if (c == 0xc2 && i + 1 < r->len && (unsigned char)r->text[i + 1] >= 0x80 &&
            (unsigned char)r->text[i + 1] <= 0x9f)
            return true;
        if (c >= 0x80 && c <= 0x9f && (i == 0 || (unsigned char)r->text[i - 1] < 0x80))
            return true;
    }
    return false;
}

long plain_sandbox_pay(const char *url)
{
    CURL *h = curl_easy_init();
    long status = -1;
    if (!h)
        return -1;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, "action=pay");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fwrite);
    FILE *devnull = fopen("/dev/null", "w");
    curl_easy_setopt(h, CURLOPT_WRITEDATA, devnull);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (devnull)
        fclose(devnull);
    curl_easy_cleanup(h);
    return status;
}

struct body {
    char *data;
    size_t len, cap;
};

static size_t on_body(char *ptr, size_t size, size_t n, void *ud)
{
    struct body *b = ud;
    append(&b->data, &b->len, &b->cap, ptr, size * n);
    return size * n;
}

cJSON *plain_api(const char *base_url, const char *method, const char *path, const char *json,
                 const char *token)
{
    CURL *h = curl_easy_init();
    struct curl_slist *hdr = NULL;
    struct body b = {0};
    char url[1024], auth[1200];
    long status = 0;
    cJSON *env = NULL;
    if (!h)
        return NULL;
    snprintf(url, sizeof url, "%s/api/v1%s", base_url, path);
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hdr = curl_slist_append(hdr, auth);
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    if (json)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300 && b.data)
        env = cJSON_Parse(b.data);
    else
        fprintf(stderr, "plain_api: %s %s: HTTP %ld %s\n", method, path, status,
                b.data ? b.data : "");
    free(b.data);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return env;
}

int plain_end_clean(struct plain_run *r)
{
    int status = plain_finish(r);
    if (status != 0 || !strstr(r->text, "Goodbye.") || plain_has_escape(r)) {
        fprintf(stderr, "plain_end_clean: exit status %d, %s, %s; transcript:\n%s\n", status,
                strstr(r->text, "Goodbye.") ? "Goodbye said" : "no Goodbye",
                plain_has_escape(r) ? "an escape or control byte printed" : "no escape byte",
                r->text);
        return -1;
    }
    return 0;
}

int plain_sign_in_from_cart(struct plain_run *r)
{
    if (plain_expect(r, "You are not signed in") != 0 || plain_expect(r, "> ") != 0 ||
        plain_send(r, "c") != 0 || plain_expect(r, "E-mail (an empty line cancels):") != 0 ||
        plain_send(r, "demo@example.com") != 0 || plain_expect(r, "Password:") != 0 ||
        plain_send(r, "demo") != 0 || plain_expect(r, "Signed in as Demo Customer.") != 0)
        return -1;
    return plain_expect(r, "Cart: empty.");
}

int plain_api_login(const char *base_url, const char *email, const char *password,
                    char access[1024], char refresh[1024])
{
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    cJSON *env = plain_api(base_url, "POST", "/auth/login", body, NULL);
    const cJSON *data = cJSON_GetObjectItem(env, "data");
    const char *a = cJSON_GetStringValue(cJSON_GetObjectItem(data, "access_token"));
    const char *r = cJSON_GetStringValue(cJSON_GetObjectItem(data, "refresh_token"));
    int rc = a && r ? 0 : -1;
    if (rc == 0) {
        snprintf(access, 1024, "%s", a);
        snprintf(refresh, 1024, "%s", r);
    }
    cJSON_Delete(env);
    return rc;
}

static struct billingd_proc *server;

int plain_server_setup(void **state)
{
    (void)state;
    server = billingd_proc_start(BILLINGD_BIN, NULL, 20000);
    return server ? 0 : -1;
}

int plain_server_teardown(void **state)
{
    (void)state;
    billingd_proc_stop(&server);
    return 0;
}

int plain_fixed_server_setup(void **state)
{
    (void)state;
    server = billingd_proc_start(FIXED_BILLINGD_BIN, NULL, 20000);
    return server ? 0 : -1;
}

int plain_server_move_on(void)
{
    return server ? kill(billingd_proc_pid(server), SIGUSR1) : -1;
}

const char *plain_server_url(void)
{
    return billingd_proc_url(server);
}
