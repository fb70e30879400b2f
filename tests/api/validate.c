/* validate.c: sends each exchange to the Prism-based checker (a Node.js child) and reads its
 * verdict. */
#include "validate.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#define READY_TIMEOUT_MS  60000 /* Node.js loads Prism and the contract: ~3 s, more when busy */
#define ANSWER_TIMEOUT_MS 30000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t child;
static int sock = -1;     /* our end of the socket pair; the child's stdin and stdout */
static bool ready_seen;   /* it has loaded the contract */
static bool broken;       /* the checker could not start or died: every check fails */
static unsigned failures; /* responses that broke the contract (or could not be checked) */
static char pending[1 << 16];
static size_t pending_len;

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads one line of the checker's output into a malloc'd string, or NULL on timeout or EOF. */
static char *read_line(int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;

    for (;;) {
        char *nl = memchr(pending, '\n', pending_len);
        struct pollfd p = {sock, POLLIN, 0};
        int64_t left = deadline - now_ms();
        ssize_t got;

        if (nl) {
            size_t n = (size_t)(nl - pending);
            char *line = malloc(n + 1);
            if (!line)
                return NULL;
            memcpy(line, pending, n);
            line[n] = '\0';
            pending_len -= n + 1;
            memmove(pending, nl + 1, pending_len);
            return line;
        }
        if (pending_len == sizeof pending || left <= 0 || poll(&p, 1, (int)left) <= 0)
            return NULL;
        got = recv(sock, pending + pending_len, sizeof pending - pending_len, 0);
        if (got <= 0)
            return NULL;
        pending_len += (size_t)got;
    }
}

static int send_all(const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(sock, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Status 1 for a process that received a response breaking the contract. */
static void exit_on_failures(void)
{
    if (failures == 0)
        return;
    fprintf(stderr, "validate: %u response(s) broke docs/openapi.yaml (see above)\n", failures);
    fflush(stderr);
    _exit(1);
}

static int spawn_checker(void)
{
    const char *argv[] = {VALIDATOR_NODE, VALIDATOR_SCRIPT, OPENAPI_SPEC, NULL};
    int sv[2];

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    child = fork();
    if (child < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (child == 0) {
        dup2(sv[1], STDIN_FILENO);
        dup2(sv[1], STDOUT_FILENO);
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "validate: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(sv[1]);
    sock = sv[0];
    atexit(exit_on_failures);
    return 0;
}

/* Starts the checker if needed and waits until it has loaded the contract. */
static int ready_checker(void)
{
    char *ready;

    if (ready_seen)
        return 0;
    if (sock < 0 && spawn_checker() != 0)
        return -1;
    ready = read_line(READY_TIMEOUT_MS);
    if (!ready || !strstr(ready, "\"ready\":true")) {
        fprintf(stderr,
                "validate: the contract checker did not start (%s %s); run "
                "`npm ci --prefix tools` (scripts/install-deps --test)\n",
                VALIDATOR_NODE, VALIDATOR_SCRIPT);
        free(ready);
        return -1;
    }
    free(ready);
    ready_seen = true;
    return 0;
}

void validate_warm_up(void)
{
    pthread_mutex_lock(&lock);
    if (!broken && sock < 0 && spawn_checker() != 0)
        broken = true;
    pthread_mutex_unlock(&lock);
}

static char *base64(const char *data, size_t len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *in = (const unsigned char *)data;
    char *out = malloc(4 * ((len + 2) / 3) + 1);
    size_t o = 0;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = alphabet[(v >> 18) & 63];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

/* "Name: value" lines into {"name": "value"}; repeated names are joined with ", ". */
static cJSON *header_object(const char *lines)
{
    cJSON *h = cJSON_CreateObject();

    for (const char *p = lines; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *colon = memchr(p, ':', len);

        if (colon && colon > p) {
            char name[128], value[4096];
            const char *v = colon + 1;
            size_t vl = len - (size_t)(v - p);
            cJSON *old;

            while (vl && (*v == ' ' || *v == '\t'))
                v++, vl--;
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                vl--;
            snprintf(name, sizeof name, "%.*s", (int)(colon - p), p);
            for (char *c = name; *c; c++)
                *c = (char)(*c >= 'A' && *c <= 'Z' ? *c + 32 : *c);
            old = cJSON_GetObjectItemCaseSensitive(h, name);
            if (old && cJSON_IsString(old)) {
                snprintf(value, sizeof value, "%s, %.*s", old->valuestring, (int)vl, v);
                cJSON_ReplaceItemInObjectCaseSensitive(h, name, cJSON_CreateString(value));
            } else {
                snprintf(value, sizeof value, "%.*s", (int)vl, v);
                cJSON_AddStringToObject(h, name, value);
            }
        }
        p = end ? end + 1 : p + len;
    }
    return h;
}

static char *exchange_line(const struct validate_exchange *ex)
{
    cJSON *o = cJSON_CreateObject();
    char *b64 = base64(ex->body ? ex->body : "", ex->body ? ex->body_len : 0);
    char *line = NULL, *text;

    cJSON_AddStringToObject(o, "method", ex->method);
    cJSON_AddStringToObject(o, "path", ex->path);
    cJSON_AddNumberToObject(o, "status", (double)ex->status);
    cJSON_AddItemToObject(o, "headers", header_object(ex->headers));
    cJSON_AddStringToObject(o, "body_base64", b64 ? b64 : "");
    text = cJSON_PrintUnformatted(o);
    if (text && (line = malloc(strlen(text) + 2)))
        sprintf(line, "%s\n", text);
    free(text);
    free(b64);
    cJSON_Delete(o);
    return line;
}

static void report(const struct validate_exchange *ex, const char *answer)
{
    cJSON *a = cJSON_Parse(answer ? answer : "");
    cJSON *v = cJSON_GetObjectItemCaseSensitive(a, "violations"), *item;

    fprintf(stderr, "CONTRACT: %s %s answered %ld, which docs/openapi.yaml does not allow:\n",
            ex->method, ex->path, ex->status);
    if (!cJSON_IsArray(v))
        fprintf(stderr, "  (no verdict from the checker: %s)\n", answer ? answer : "it died");
    cJSON_ArrayForEach(item, v)
    {
        if (cJSON_IsString(item))
            fprintf(stderr, "  - %s\n", item->valuestring);
    }
    fprintf(stderr, "  body: %.*s%s\n", ex->body_len > 600 ? 600 : (int)ex->body_len,
            ex->body ? ex->body : "", ex->body_len > 600 ? "…" : "");
    cJSON_Delete(a);
}

int validate_response(const struct validate_exchange *ex)
{
    char *line = exchange_line(ex), *answer = NULL;
    int rc = -1;

    pthread_mutex_lock(&lock);
    if (!broken && ready_checker() != 0)
        broken = true;
    if (!broken && line && send_all(line, strlen(line)) == 0)
        answer = read_line(ANSWER_TIMEOUT_MS);
    if (!broken && !answer) {
        fprintf(stderr, "validate: the contract checker stopped answering\n");
        broken = true;
    }
    if (answer && strcmp(answer, "{\"ok\":true}") == 0) {
        rc = 0;
    } else {
        report(ex, answer);
        failures++;
    }
    pthread_mutex_unlock(&lock);
    free(answer);
    free(line);
    return rc;
}

unsigned validate_failures(void)
{
    unsigned n;

    pthread_mutex_lock(&lock);
    n = failures;
    pthread_mutex_unlock(&lock);
    return n;
}

void validate_forget_failures(void)
{
    pthread_mutex_lock(&lock);
    failures = 0;
    pthread_mutex_unlock(&lock);
}
