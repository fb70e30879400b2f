/* cast.c: a harness's pty output recorded as an asciicast v2 file, time compressed. */
#include "cast.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cast_open(struct cast *c, const char *path, struct harness *h, long long timestamp,
              const char *title)
{
    int rows, cols;
    memset(c, 0, sizeof *c);
    c->h = h;
    c->last_ms = now_ms();
    c->f = fopen(path, "w");
    if (!c->f) {
        perror(path);
        return -1;
    }
    harness_size(h, &rows, &cols);
    cJSON *head = cJSON_CreateObject();
    cJSON *env = cJSON_CreateObject();
    cJSON_AddNumberToObject(head, "version", 2);
    cJSON_AddNumberToObject(head, "width", cols);
    cJSON_AddNumberToObject(head, "height", rows);
    cJSON_AddNumberToObject(head, "timestamp", (double)timestamp);
    cJSON_AddNumberToObject(head, "idle_time_limit", CAST_IDLE_MAX);
    if (title)
        cJSON_AddStringToObject(head, "title", title);
    cJSON_AddStringToObject(env, "TERM", "xterm-256color");
    cJSON_AddStringToObject(env, "SHELL", "/bin/sh");
    cJSON_AddItemToObject(head, "env", env);
    char *text = cJSON_PrintUnformatted(head);
    cJSON_Delete(head);
    if (!text)
        return -1;
    fprintf(c->f, "%s\n", text);
    cJSON_free(text);
    return 0;
}

/* How many bytes of `p` end on a character boundary: a UTF-8 sequence cut at the end of the
 * chunk is left for the next one. */
static size_t complete_utf8(const unsigned char *p, size_t n)
{
    for (size_t back = 1; back <= 3 && back <= n; back++) {
        unsigned char b = p[n - back];
        if ((b & 0xC0) == 0x80)
            continue; /* a continuation byte: look further back for the lead */
        size_t need = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
        return need > back ? n - back : n;
    }
    return n;
}

void cast_take(struct cast *c)
{
    size_t len;
    const unsigned char *raw = harness_raw(c->h, &len);
    long long now = now_ms();
    if (len <= c->done)
        return;
    size_t n = complete_utf8(raw + c->done, len - c->done);
    if (n == 0)
        return;
    double gap = (double)(now - c->last_ms) / 1000.0;
    c->t += gap < CAST_IDLE_MAX ? gap : CAST_IDLE_MAX;
    c->last_ms = now;
    char *data = malloc(n + 1);
    if (!data)
        return;
    memcpy(data, raw + c->done, n);
    data[n] = '\0';
    /* a NUL in the output would end the string early: it has no place on a terminal anyway */
    for (size_t i = 0; i < n; i++)
        if (data[i] == '\0')
            data[i] = ' ';
    cJSON *s = cJSON_CreateString(data);
    char *json = s ? cJSON_PrintUnformatted(s) : NULL;
    if (json)
        fprintf(c->f, "[%.3f, \"o\", %s]\n", c->t, json);
    cJSON_free(json);
    cJSON_Delete(s);
    free(data);
    c->done += n;
}

void cast_pause(struct cast *c, double seconds)
{
    cast_take(c);
    c->t += seconds;
    c->last_ms = now_ms();
}

static int wait_for(struct cast *c, const char *text, int gone, int quiet_ms)
{
    long long deadline = now_ms() + harness_ms(HARNESS_TIMEOUT_MS);
    long long quiet_since = now_ms();
    for (;;) {
        cast_take(c);
        if (quiet_ms > 0 ? now_ms() - quiet_since >= quiet_ms
                         : (harness_screen_contains(c->h, text) ? !gone : gone))
            return 0;
        if (now_ms() >= deadline || harness_exited(c->h))
            break;
        if (harness_pump(c->h, 20) > 0)
            quiet_since = now_ms();
    }
    harness_print_screen(c->h, stderr, quiet_ms > 0 ? "never quiet" : text);
    return -1;
}

int cast_wait(struct cast *c, const char *text, int gone)
{
    return wait_for(c, text, gone, 0);
}

int cast_quiet(struct cast *c, int quiet_ms)
{
    return wait_for(c, NULL, 0, quiet_ms);
}

int cast_type(struct cast *c, const char *keys, double each)
{
    for (const char *p = keys; *p; p++) {
        char one[2] = {*p, '\0'};
        if (p != keys)
            cast_pause(c, each);
        cast_take(c);
        if (harness_send(c->h, one) != 0)
            return -1;
        cast_take(c);
    }
    return 0;
}

int cast_close(struct cast *c)
{
    if (!c->f)
        return 0;
    cast_take(c);
    int rc = fclose(c->f) == 0 ? 0 : -1;
    c->f = NULL;
    return rc;
}
