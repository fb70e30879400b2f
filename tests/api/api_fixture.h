/* api_fixture.h: runs a fresh sett-billingd for a test program and talks HTTP to it. */
#ifndef SETT_TESTS_API_FIXTURE_H
#define SETT_TESTS_API_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

struct api_server {
    pid_t pid;
    uint16_t port;
    char dir[256]; /* private temp dir: database, port file */
    char base[64]; /* "http://127.0.0.1:PORT/api/v1" */
};

/* Starts sett-billingd --demo (the demo accounts and coupons, the sandbox gateway) on a fresh
 * database in a new temp dir, with extra arguments (NULL-ended, may be NULL), and waits until its
 * port file appears. 0 or -1. */
int api_server_start(struct api_server *s, const char *const *extra_args);
/* The same with another mode flag instead of --demo: "--sandbox", or NULL for production. */
int api_server_start_mode(struct api_server *s, const char *mode, const char *const *extra_args);
/* Like api_server_start but on an existing dir (its database kept). */
int api_server_start_in(struct api_server *s, const char *dir, const char *const *extra_args);
/* SIGTERM, then waits; returns the exit status (0 for a clean stop), -1 if it had to be killed. */
int api_server_stop(struct api_server *s);
/* SIGKILL, as a crash or an out-of-memory kill would stop it, and reaps it. 0 or -1. */
int api_server_kill(struct api_server *s);
/* Removes the temp dir. */
void api_server_cleanup(struct api_server *s);

struct api_resp {
    long status;
    char *body;
    size_t len;
    cJSON *json; /* NULL when the body is not JSON */
    char content_type[128];
    char allow[128];
    char www_authenticate[128];
    char *headers; /* every header line of the final answer, "Name: value\r\n"… */
    size_t headers_len;
};
void api_resp_clear(struct api_resp *r);

/* One request. path is appended to base ("/billing/status"); token adds a Bearer header;
 * headers is a NULL-ended list of extra header lines. 0 when an HTTP answer came back and it
 * keeps the contract: every answer is checked against docs/openapi.yaml (validate.h), and one
 * that breaks it makes this -1 (r still holds it) and the test program fail. */
int api_call(const struct api_server *s, const char *method, const char *path, const char *token,
             const char *const *headers, const char *body, size_t body_len, struct api_resp *r);
int api_get(const struct api_server *s, const char *path, const char *token, struct api_resp *r);
int api_post_json(const struct api_server *s, const char *path, const char *json,
                  struct api_resp *r);

/* Copies the value of the response header `name` (any case) into out. 0, or -1 if absent. */
int api_header(const struct api_resp *r, const char *name, char *out, size_t outsz);

/* Shortcuts into a response. */
cJSON *api_data(const struct api_resp *r);
const char *api_error_code(const struct api_resp *r);
cJSON *api_error_details(const struct api_resp *r);
int64_t api_int(const cJSON *obj, const char *name);
const char *api_str(const cJSON *obj, const char *name);

/* Signs in; copies the tokens into the buffers (at least 128 bytes each). 0 or -1. */
int api_login(const struct api_server *s, const char *email, const char *password, char *access,
              char *refresh);

/* Runs a program to completion, capturing stdout and stderr (truncated to the buffers). Returns
 * the exit status, or -1 when it did not exit normally. */
int api_run(const char *const *argv, char *out, size_t outsz, char *err, size_t errsz);

#endif
