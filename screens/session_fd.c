/* session_fd.c: tokens passed on a pipe, so they never show in argv, the environment or a file. */
#include "screens/session_fd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "screens/app.h"

#define SESSION_FD_MAX_BYTES 4096

static int session_fd_number(const char *text)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < 3 || v > 65535)
        return -1; /* never stdin, stdout or stderr */
    return (int)v;
}

static int session_fd_token(const cJSON *json, const char *name, char out[CREDENTIALS_TOKEN_MAX])
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);

    if (!cJSON_IsString(v) || !*v->valuestring || strlen(v->valuestring) >= CREDENTIALS_TOKEN_MAX)
        return -1;
    memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
    return 0;
}

int session_fd_read(char access[CREDENTIALS_TOKEN_MAX], char refresh[CREDENTIALS_TOKEN_MAX],
                    char *err, size_t errsz)
{
    const char *var = getenv("SETT_SESSION_FD");
    char buf[SESSION_FD_MAX_BYTES + 1];
    size_t have = 0;
    cJSON *json = NULL;
    int fd, rc = -1;

    access[0] = refresh[0] = '\0';
    if (!var)
        return 1;
    fd = session_fd_number(var);
    unsetenv("SETT_SESSION_FD");
    if (fd < 0) {
        snprintf(err, errsz, "SETT_SESSION_FD must be a descriptor number from 3, not '%s'", var);
        return -1;
    }
    while (have < SESSION_FD_MAX_BYTES) {
        ssize_t n = read(fd, buf + have, SESSION_FD_MAX_BYTES - have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errsz, "cannot read the session (fd %d): %s", fd, strerror(errno));
            close(fd);
            goto done;
        }
        if (n == 0)
            break;
        have += (size_t)n;
    }
    close(fd);
    buf[have] = '\0';
    json = cJSON_Parse(buf);
    if (!json || session_fd_token(json, "access_token", access) != 0 ||
        session_fd_token(json, "refresh_token", refresh) != 0) {
        snprintf(err, errsz, "the session on fd %d is not {access_token, refresh_token}", fd);
        access[0] = refresh[0] = '\0';
        goto done;
    }
    rc = 0;
done:
    explicit_bzero(buf, sizeof buf);
    if (json) {
        /* the parsed copies hold the tokens too */
        const cJSON *it;
        cJSON_ArrayForEach(it, json) if (cJSON_IsString(it))
            explicit_bzero(it->valuestring, strlen(it->valuestring));
        cJSON_Delete(json);
    }
    return rc;
}

int session_fd_take(struct app *a, char *err, size_t errsz)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX];
    int rc = session_fd_read(access, refresh, err, errsz);

    if (rc == 0) {
        client_set_tokens(a->client, access, refresh);
        a->session_in_memory = true;
    }
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    return rc < 0 ? -1 : 0;
}
