/* api_fixture.c: runs a fresh sett-billingd for a test program and talks HTTP to it. */
#include "api_fixture.h"

#include "validate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define START_TIMEOUT_MS 30000 /* seeding hashes a password; sanitizer builds are slow */
#define STOP_TIMEOUT_MS  15000

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pause_briefly(void)
{
    struct timespec ts = {0, 10 * 1000 * 1000};

    nanosleep(&ts, NULL);
}

static int read_port(const char *path, uint16_t *port)
{
    FILE *f = fopen(path, "r");
    unsigned p = 0;
    int ok;

    if (!f)
        return -1;
    ok = fscanf(f, "%u", &p) == 1 && p > 0 && p < 65536;
    fclose(f);
    if (!ok)
        return -1;
    *port = (uint16_t)p;
    return 0;
}

static int api_server_spawn(struct api_server *s, const char *dir, const char *mode,
                            const char *const *extra_args)
{
    char db[300], port_file[300];
    const char *argv[32];
    size_t n = 0;
    int64_t deadline;

    snprintf(s->dir, sizeof s->dir, "%s", dir);
    snprintf(db, sizeof db, "%s/billing.db", s->dir);
    snprintf(port_file, sizeof port_file, "%s/port", s->dir);
    unlink(port_file);
    validate_warm_up(); /* Node.js loads the contract while the server seeds its database */
    argv[n++] = BILLINGD_PATH;
    argv[n++] = "--db";
    argv[n++] = db;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--port-file";
    argv[n++] = port_file;
    argv[n++] = "--quiet";
    if (mode)
        argv[n++] = mode;
    for (size_t i = 0; extra_args && extra_args[i] && n < 31; i++)
        argv[n++] = extra_args[i];
    argv[n] = NULL;

    s->pid = fork();
    if (s->pid < 0)
        return -1;
    if (s->pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0)
            dup2(devnull, STDOUT_FILENO);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    /* Poll for the port file; fail fast if the server dies instead. */
    deadline = now_ms() + START_TIMEOUT_MS;
    while (now_ms() < deadline) {
        int status;

        if (read_port(port_file, &s->port) == 0) {
            snprintf(s->base, sizeof s->base, "http://127.0.0.1:%u/api/v1", (unsigned)s->port);
            return 0;
        }
        if (waitpid(s->pid, &status, WNOHANG) == s->pid) {
            fprintf(stderr, "sett-billingd exited during start (status %d)\n", status);
            s->pid = 0;
            return -1;
        }
        pause_briefly();
    }
    fprintf(stderr, "sett-billingd did not write its port file in time\n");
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return -1;
}

int api_server_start_in(struct api_server *s, const char *dir, const char *const *extra_args)
{
    return api_server_spawn(s, dir, "--demo", extra_args);
}

int api_server_start_mode(struct api_server *s, const char *mode, const char *const *extra_args)
{
    char tmpl[] = "/tmp/sett-api-XXXXXX";

    memset(s, 0, sizeof *s);
    if (!mkdtemp(tmpl))
        return -1;
    return api_server_spawn(s, tmpl, mode, extra_args);
}

int api_server_start(struct api_server *s, const char *const *extra_args)
{
    return api_server_start_mode(s, "--demo", extra_args);
}

int api_server_stop(struct api_server *s)
{
    int64_t deadline = now_ms() + STOP_TIMEOUT_MS;
    int status;

    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGTERM);
    while (now_ms() < deadline) {
        pid_t r = waitpid(s->pid, &status, WNOHANG);

        if (r == s->pid) {
            s->pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        if (r < 0 && errno != EINTR)
            break;
        pause_briefly();
    }
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return -1;
}

int api_server_kill(struct api_server *s)
{
    if (s->pid <= 0)
        return -1;
    kill(s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    s->pid = 0;
    return 0;
}

void api_server_cleanup(struct api_server *s)
{
    const char *files[] = {"billing.db", "billing.db-wal", "billing.db-shm", "port"};
    char path[320];

    if (s->pid > 0)
        api_server_stop(s);
    if (!s->dir[0])
        return;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", s->dir, files[i]);
        unlink(path);
    }
    rmdir(s->dir);
    s->dir[0] = '\0';
}

void api_resp_clear(struct api_resp *r)
{
    free(r->body);
    free(r->headers);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    struct api_resp *r = user;
    size_t add = size * n;
    char *grown = realloc(r->body, r->len + add + 1);

    if (!grown)
        return 0;
    r->body = grown;
    memcpy(r->body + r->len, data, add);
    r->len += add;
    r->body[r->len] = '\0';
    return add;
}

/* Keeps every header line of the last header block (a 100 Continue has its own block). */
static void keep_header_line(struct api_resp *r, const char *line, size_t len)
{
    char *grown;

    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        r->headers_len = 0;
        if (r->headers)
            r->headers[0] = '\0';
        return;
    }
    if (len == 0 || line[0] == '\r' || line[0] == '\n')
        return;
    grown = realloc(r->headers, r->headers_len + len + 1);
    if (!grown)
        return;
    r->headers = grown;
    memcpy(r->headers + r->headers_len, line, len);
    r->headers_len += len;
    r->headers[r->headers_len] = '\0';
}

/* Keeps the headers the tests look at. */
static size_t on_header(char *line, size_t size, size_t n, void *user)
{
    struct api_resp *r = user;
    size_t len = size * n;

    keep_header_line(r, line, len);
    struct {
        const char *name;
        char *dst;
        size_t dstsz;
    } keep[] = {
        {"Content-Type:", r->content_type, sizeof r->content_type},
        {"Allow:", r->allow, sizeof r->allow},
        {"WWW-Authenticate:", r->www_authenticate, sizeof r->www_authenticate},
    };

    for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++) {
        size_t nl = strlen(keep[i].name);
        if (len > nl && strncasecmp(line, keep[i].name, nl) == 0) {
            const char *v = line + nl;
            size_t vl = len - nl;
            while (vl && (*v == ' '))
                v++, vl--;
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
                vl--;
            snprintf(keep[i].dst, keep[i].dstsz, "%.*s", (int)vl, v);
        }
    }
    return len;
}

/* The answer must keep docs/openapi.yaml; url's request target is what the contract routes. */
static int check_contract(const char *url, const char *method, const struct api_resp *r)
{
    const char *target = strstr(url, "://");
    struct validate_exchange ex = {
        .method = method,
        .status = r->status,
        .headers = r->headers,
        .body = r->body,
        .body_len = r->len,
    };

    target = target ? strchr(target + 3, '/') : NULL;
    ex.path = target ? target : "/";
    return validate_response(&ex);
}

int api_header(const struct api_resp *r, const char *name, char *out, size_t outsz)
{
    size_t nl = strlen(name);

    for (const char *p = r->headers; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);

        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            size_t vl = len - nl - 1;
            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            snprintf(out, outsz, "%.*s", (int)vl, v);
            return 0;
        }
        p = end ? end + 1 : p + len;
    }
    return -1;
}

int api_call(const struct api_server *s, const char *method, const char *path, const char *token,
             const char *const *headers, const char *body, size_t body_len, struct api_resp *r)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    char url[8192], auth[512];
    CURLcode rc;
    int valid = -1;

    memset(r, 0, sizeof *r);
    if (!c)
        return -1;
    snprintf(url, sizeof url, "%s%s", s->base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hl = curl_slist_append(hl, auth);
    }
    for (size_t i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    if (hl)
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    }
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
        if (r->body)
            r->json = cJSON_ParseWithLength(r->body, r->len);
        valid = check_contract(url, method, r);
    } else {
        fprintf(stderr, "%s %s: %s\n", method, path, curl_easy_strerror(rc));
    }
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return rc == CURLE_OK && valid == 0 ? 0 : -1;
}

int api_get(const struct api_server *s, const char *path, const char *token, struct api_resp *r)
{
    return api_call(s, "GET", path, token, NULL, NULL, 0, r);
}

int api_post_json(const struct api_server *s, const char *path, const char *json,
                  struct api_resp *r)
{
    static const char *const headers[] = {"Content-Type: application/json", NULL};

    return api_call(s, "POST", path, NULL, headers, json, strlen(json), r);
}

cJSON *api_data(const struct api_resp *r)
{
    return cJSON_GetObjectItemCaseSensitive(r->json, "data");
}

const char *api_error_code(const struct api_resp *r)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(r->json, "error");
    cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");

    return cJSON_IsString(code) ? code->valuestring : "";
}

cJSON *api_error_details(const struct api_resp *r)
{
    cJSON *e = cJSON_GetObjectItemCaseSensitive(r->json, "error");

    return cJSON_GetObjectItemCaseSensitive(e, "details");
}

int64_t api_int(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : INT64_MIN;
}

const char *api_str(const cJSON *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int api_login(const struct api_server *s, const char *email, const char *password, char *access,
              char *refresh)
{
    struct api_resp r;
    cJSON *body = cJSON_CreateObject();
    char *json;
    int rc = -1;

    cJSON_AddStringToObject(body, "email", email);
    cJSON_AddStringToObject(body, "password", password);
    json = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    if (json && api_post_json(s, "/auth/login", json, &r) == 0 && r.status == 200) {
        const char *a = api_str(api_data(&r), "access_token");
        const char *t = api_str(api_data(&r), "refresh_token");
        if (a && t) {
            snprintf(access, 128, "%s", a);
            snprintf(refresh, 128, "%s", t);
            rc = 0;
        }
    }
    api_resp_clear(&r);
    free(json);
    return rc;
}

/* Drains both pipes until the child closes them. */
static void drain(int out_fd, char *out, size_t outsz, int err_fd, char *err, size_t errsz)
{
    size_t on = 0, en = 0;
    struct pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    char scratch[4096];

    while (p[0].fd >= 0 || p[1].fd >= 0) {
        if (poll(p, 2, 10000) <= 0)
            break;
        for (int i = 0; i < 2; i++) {
            char *buf = i == 0 ? out : err;
            size_t *len = i == 0 ? &on : &en;
            size_t size = i == 0 ? outsz : errsz;
            ssize_t got;

            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(p[i].fd, scratch, sizeof scratch);
            if (got <= 0) {
                p[i].fd = -1;
                continue;
            }
            for (ssize_t k = 0; k < got && *len + 1 < size; k++)
                buf[(*len)++] = scratch[k];
        }
    }
    out[on] = '\0';
    err[en] = '\0';
}

int api_run(const char *const *argv, char *out, size_t outsz, char *err, size_t errsz)
{
    int po[2], pe[2], status;
    pid_t pid;

    if (pipe(po) != 0)
        return -1;
    if (pipe(pe) != 0) {
        close(po[0]);
        close(po[1]);
        return -1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(po[1], STDOUT_FILENO);
        dup2(pe[1], STDERR_FILENO);
        close(po[0]);
        close(pe[0]);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    if (pid > 0)
        drain(po[0], out, outsz, pe[0], err, errsz);
    close(po[0]);
    close(pe[0]);
    if (pid < 0 || waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
