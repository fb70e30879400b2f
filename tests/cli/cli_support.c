/* cli_support.c: `sett COMMAND` as a subprocess in a private home, and the billing data for it. */
#include "cli_support.h"

#include "tempdir.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SETT_BIN
#error "SETT_BIN must name the sett executable"
#endif

int cli_home_make(struct cli_home *h)
{
    memset(h, 0, sizeof *h);
    if (tempdir_make("sett-cli", h->dir, sizeof h->dir) != 0)
        return -1;
    snprintf(h->config, sizeof h->config, "%s/config", h->dir);
    snprintf(h->data, sizeof h->data, "%s/data", h->dir);
    return mkdir(h->config, 0700) == 0 && mkdir(h->data, 0700) == 0 ? 0 : -1;
}

void cli_home_remove(struct cli_home *h)
{
    if (h->dir[0])
        tempdir_remove(h->dir);
    h->dir[0] = '\0';
}

void cli_result_clear(struct cli_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

struct sink {
    char *p;
    size_t n;
};

static void sink_add(struct sink *s, const char *data, size_t len)
{
    char *grown = realloc(s->p, s->n + len + 1);
    if (!grown)
        abort();
    memcpy(grown + s->n, data, len);
    s->p = grown;
    s->n += len;
    s->p[s->n] = '\0';
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int timeout_ms(void)
{
    const char *s = getenv("SETT_TEST_TIMEOUT_SCALE");
    int scale = s && atoi(s) > 0 ? atoi(s) : 1;
    return 30000 * scale;
}

static void child(const struct cli_home *h, const char *const *args, const char *const *env,
                  int out_fd, int err_fd)
{
    char *argv[64], *envp[64], vars[6][700];
    int n = 0, e = 0;
    argv[n++] = (char *)SETT_BIN;
    for (const char *const *a = args; *a && n < 63; a++)
        argv[n++] = (char *)*a;
    argv[n] = NULL;
    snprintf(vars[0], sizeof vars[0], "HOME=%s", h->dir);
    snprintf(vars[1], sizeof vars[1], "XDG_CONFIG_HOME=%s", h->config);
    snprintf(vars[2], sizeof vars[2], "XDG_DATA_HOME=%s", h->data);
    snprintf(vars[3], sizeof vars[3], "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin");
    snprintf(vars[4], sizeof vars[4], "ASAN_OPTIONS=%s",
             getenv("ASAN_OPTIONS") ? getenv("ASAN_OPTIONS") : "");
    snprintf(vars[5], sizeof vars[5], "UBSAN_OPTIONS=%s",
             getenv("UBSAN_OPTIONS") ? getenv("UBSAN_OPTIONS") : "");
    for (int i = 0; i < 6; i++)
        envp[e++] = vars[i];
    /* a terminal type is set, so curses would have something to start if it were started */
    envp[e++] = "TERM=xterm-256color";
    envp[e++] = "LANG=C.UTF-8";
    envp[e++] = "TZ=UTC";
    for (const char *const *v = env; v && *v && e < 63; v++)
        envp[e++] = (char *)*v;
    envp[e] = NULL;
    int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        _exit(126);
    execve(SETT_BIN, argv, envp);
    _exit(127);
}

int cli_run(const struct cli_home *h, const char *const *args, const char *const *env, int pty_cols,
            struct cli_result *r)
{
    int out[2] = {-1, -1}, err[2] = {-1, -1};
    struct sink so = {0}, se = {0};
    memset(r, 0, sizeof *r);
    r->status = -1;
    if (pipe(err) != 0)
        return -1;
    if (pty_cols > 0) {
        struct winsize ws = {.ws_row = 24, .ws_col = (unsigned short)pty_cols};
        if (openpty(&out[0], &out[1], NULL, NULL, &ws) != 0)
            return -1;
    } else if (pipe(out) != 0) {
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(out[0]);
        close(err[0]);
        child(h, args, env, out[1], err[1]);
    }
    close(out[1]);
    close(err[1]);
    struct pollfd fds[2] = {{.fd = out[0], .events = POLLIN}, {.fd = err[0], .events = POLLIN}};
    long long deadline = now_ms() + timeout_ms();
    int open_fds = 2, status = 0;
    bool exited = false;
    while (open_fds > 0 && now_ms() < deadline) {
        int left = (int)(deadline - now_ms());
        if (poll(fds, 2, left > 0 ? left : 0) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                sink_add(i == 0 ? &so : &se, buf, (size_t)got);
                continue;
            }
            /* EOF; a pty master answers EIO once the child's side is closed */
            close(fds[i].fd);
            fds[i].fd = -1;
            open_fds--;
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    if (open_fds > 0)
        kill(pid, SIGKILL); /* the timeout: the test fails on the status */
    if (waitpid(pid, &status, 0) == pid)
        exited = WIFEXITED(status);
    r->status = exited ? WEXITSTATUS(status) : -1;
    if (!exited)
        fprintf(stderr, "cli_run: sett did not exit (status %d)\n", status);
    sink_add(&so, "", 0);
    sink_add(&se, "", 0);
    r->out = so.p;
    r->out_len = so.n;
    r->err = se.p;
    return 0;
}

/* ---- HTTP ---- */

static size_t collect(char *data, size_t size, size_t nmemb, void *ud)
{
    sink_add(ud, data, size * nmemb);
    return size * nmemb;
}

long cli_http(const char *server, const char *method, const char *path, const char *token,
              const char *body, const char *const *headers, cJSON **json)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hdr = NULL;
    struct sink s = {0};
    char url[1024], line[700];
    long status = 0;
    if (json)
        *json = NULL;
    if (!c)
        return 0;
    snprintf(url, sizeof url, "%s/api/v1%s", server, path);
    if (token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", token);
        hdr = curl_slist_append(hdr, line);
    }
    if (body)
        hdr = curl_slist_append(hdr, "Content-Type: application/json");
    for (const char *const *h = headers; h && *h; h++)
        hdr = curl_slist_append(hdr, *h);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (json && s.p)
        *json = cJSON_Parse(s.p);
    if (status >= 300)
        fprintf(stderr, "cli_http: %s %s: HTTP %ld %s\n", method, path, status, s.p ? s.p : "");
    free(s.p);
    curl_slist_free_all(hdr);
    curl_easy_cleanup(c);
    return status;
}

static const cJSON *member(const cJSON *o, const char *path)
{
    char name[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        snprintf(name, sizeof name, "%.*s", (int)n, path);
        o = cJSON_GetObjectItemCaseSensitive(o, name);
        path += n + (path[n] == '.');
    }
    return o;
}

int cli_login(const char *server, const char *email, const char *password, char *access,
              char *refresh)
{
    char body[300];
    cJSON *j = NULL;
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    long st = cli_http(server, "POST", "/auth/login", NULL, body, NULL, &j);
    const cJSON *at = member(j, "data.access_token"), *rt = member(j, "data.refresh_token");
    int rc = -1;
    if (st == 200 && cJSON_IsString(at) && cJSON_IsString(rt)) {
        snprintf(access, 512, "%s", at->valuestring);
        snprintf(refresh, 512, "%s", rt->valuestring);
        rc = 0;
    }
    cJSON_Delete(j);
    return rc;
}

int cli_buy_with_credits(const char *server, const char *token, const char *slug)
{
    char path[256], body[300];
    cJSON *j = NULL;
    snprintf(path, sizeof path, "/billing/products/%s", slug);
    long st = cli_http(server, "GET", path, NULL, NULL, NULL, &j);
    const cJSON *id = member(j, "data.id");
    if (st != 200 || !cJSON_IsNumber(id)) {
        cJSON_Delete(j);
        return -1;
    }
    snprintf(body, sizeof body, "{\"product_id\":%d,\"cycle\":\"monthly\",\"quantity\":1}",
             id->valueint);
    cJSON_Delete(j);
    st = cli_http(server, "POST", "/billing/cart/items", token, body, NULL, &j);
    const cJSON *total = member(j, "data.totals.total.amount");
    const cJSON *version = member(j, "data.version");
    if (st != 201 || !cJSON_IsNumber(total) || !cJSON_IsNumber(version)) {
        cJSON_Delete(j);
        return -1;
    }
    static int serial;
    char etag[64], key[80];
    snprintf(etag, sizeof etag, "If-Match: \"%d\"", version->valueint);
    snprintf(key, sizeof key, "Idempotency-Key: 00000000-0000-4000-8000-%012d",
             ++serial * 1000 + (int)getpid() % 1000);
    const char *headers[] = {etag, key, NULL};
    snprintf(body, sizeof body,
             "{\"payment_method\":\"credits\",\"use_credits\":true,"
             "\"expected_total\":{\"amount\":%d,\"currency\":\"USD\"}}",
             total->valueint);
    cJSON_Delete(j);
    st = cli_http(server, "POST", "/billing/checkout", token, body, headers, NULL);
    return st == 201 || st == 200 ? 0 : -1;
}

int cli_api_key(const char *server, const char *token, const char *scopes, char *key)
{
    char body[300];
    cJSON *j = NULL;
    snprintf(body, sizeof body, "{\"name\":\"cli test\",\"scopes\":%s}", scopes);
    long st = cli_http(server, "POST", "/auth/api-keys", token, body, NULL, &j);
    const cJSON *k = member(j, "data.key");
    int rc = -1;
    if (st == 201 && cJSON_IsString(k)) {
        snprintf(key, 64, "%s", k->valuestring);
        rc = 0;
    }
    cJSON_Delete(j);
    return rc;
}

int cli_store_session(const struct cli_home *h, const char *api, const char *access,
                      const char *refresh)
{
    char dir[700], path[760], text[2048];
    snprintf(dir, sizeof dir, "%s/sett", h->config);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    snprintf(path, sizeof path, "%s/credentials", dir);
    int n = snprintf(text, sizeof text, "api=%s\naccess_token=%s\nrefresh_token=%s\n", api, access,
                     refresh);
    unlink(path);
    return tempdir_write_file(path, text, (size_t)n);
}

/* ---- reading the output ---- */

void cli_money(const char *symbol, long long minor, char *buf, size_t n)
{
    char digits[32];
    const char *sign = minor < 0 ? "-" : "";
    long long v = minor < 0 ? -minor : minor, units = v / 100;
    int len = snprintf(digits, sizeof digits, "%lld", units);
    char grouped[48];
    int g = 0;
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            grouped[g++] = ',';
        grouped[g++] = digits[i];
    }
    grouped[g] = '\0';
    snprintf(buf, n, "%s%s%s.%02lld", sign, symbol, grouped, v % 100);
}

const char *cli_line_starting(const char *text, const char *prefix, char *buf, size_t n)
{
    size_t plen = strlen(prefix);
    for (const char *line = text; line && *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len >= plen && strncmp(line, prefix, plen) == 0) {
            snprintf(buf, n, "%.*s", (int)len, line);
            return buf;
        }
        line = end ? end + 1 : NULL;
    }
    return NULL;
}

int cli_count_lines(const char *text)
{
    int n = 0;
    for (; text && *text; text++)
        n += *text == '\n';
    return n;
}

bool cli_has_controls(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    while (p < end) {
        unsigned c = *p;
        if ((c < 0x20 && c != '\n') || c == 0x7F)
            return true;
        if (c < 0x80) {
            p++;
            continue;
        }
        size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (n == 0 || p + n > end)
            return true; /* a raw 0x80-0xC1 byte: invalid UTF-8, read as C1 by 8-bit terminals */
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return true;
        if (c == 0xC2 && p[1] < 0xA0)
            return true; /* U+0080-U+009F */
        p += n;
    }
    return false;
}
