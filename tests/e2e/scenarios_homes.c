/* scenarios_homes.c: where a session's sett lives and what it is told. Its HOME is inside one
 * private 0700 directory settd made for itself (gone when settd stops); its environment names the
 * customer's own address, which the embedded billing server believes from loopback; and a
 * billing API whose refusal carries terminal escapes cannot get them onto the customer's
 * terminal. */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "tempdir.h"

/* The entries of `dir` whose name starts with `prefix`; the last one's name in `name`. */
static int count_named(const char *dir, const char *prefix, char *name, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int count = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strcmp(e->d_name, ".") != 0 &&
            strcmp(e->d_name, "..") != 0) {
            count++;
            if (name)
                snprintf(name, n, "%s", e->d_name);
        }
    closedir(d);
    return count;
}

/* settd's private directories in `dir`: "settd-XXXXXX" (the test's own directories there have
 * longer names); the last one's name in `name`. */
static int count_private(const char *dir, char *name, size_t n)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int count = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, "settd-", 6) == 0 && strlen(e->d_name) == 12) {
            count++;
            if (name)
                snprintf(name, n, "%s", e->d_name);
        }
    closedir(d);
    return count;
}

/* Whether /proc/PID/environ holds the NUL-terminated entry `want`. */
static bool environ_has(pid_t pid, const char *want)
{
    char path[64];
    size_t len = 0;
    char *env;
    bool found = false;

    snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
    if (!(env = tempdir_read_file(path, &len)))
        return false;
    for (size_t i = 0; i < len; i += strlen(env + i) + 1)
        if (strcmp(env + i, want) == 0)
            found = true;
    free(env);
    return found;
}

int scenario_homes(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    const char *from[] = {"-b", "127.0.0.2", NULL};
    char tmp[PATH_MAX] = "", priv[256] = "", path[PATH_MAX + 300], planted[PATH_MAX + 64],
         home[256] = "";
    char want[PATH_MAX + 400];
    struct stat st;
    pid_t sett = -1;
    int rc = -1;

    H_CHECK(tempdir_make("settd-tmpdir", tmp, sizeof tmp) == 0);
    H_CHECK(e2e_key_make(&k, "homes@e2e") == 0);
    /* a directory by the old, guessable pattern, planted by someone else in the shared TMPDIR */
    snprintf(planted, sizeof planted, "%s/settd-session-1-AAAAAA", tmp);
    H_CHECK(mkdir(planted, 0755) == 0);
    H_CHECK(setenv("TMPDIR", tmp, 1) == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);

    /* settd's own directory: one, private, made at start (just after it starts listening) */
    for (int i = 0; i < 500 && count_private(tmp, NULL, 0) < 1; i++)
        usleep(10 * 1000);
    E_CHECK(&s, count_private(tmp, priv, sizeof priv) == 1);
    E_CHECK(&s, count_named(tmp, "settd-session-", NULL, 0) == 1);
    snprintf(path, sizeof path, "%s/%s", tmp, priv);
    E_CHECK(&s, lstat(path, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);

    /* a customer from 127.0.0.2: the session's home is inside it, and sett is told the address */
    h = e2e_session(&s, &k, from, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, count_named(path, "", home, sizeof home) == 1);
    sett = e2e_find_descendant(&s, "sett");
    E_CHECK(&s, sett > 0);
    E_CHECK(&s, environ_has(sett, "SETT_CLIENT_ADDR=127.0.0.2"));
    snprintf(want, sizeof want, "HOME=%s/%s", path, home);
    E_CHECK(&s, environ_has(sett, want));
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    /* the session's home went with it; the planted directory is not settd's business */
    E_CHECK(&s, count_named(path, "", NULL, 0) == 0);
    E_CHECK(&s, lstat(planted, &st) == 0);
    rc = 0;
fail:
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    /* and settd's directory went when settd stopped */
    if (tmp[0] && rc == 0 && (count_private(tmp, NULL, 0) != 0 || lstat(planted, &st))) {
        fprintf(stderr, "FAIL: settd's private directory outlived it, or the planted one went\n");
        rc = -1;
    }
    unsetenv("TMPDIR");
    e2e_key_remove(&k);
    if (tmp[0])
        tempdir_remove(tmp);
    return rc;
}

/* ---- a billing API that refuses with terminal escapes in its message ---- */

struct hostile_api {
    int fd;
    int port;
    pthread_t thread;
};

static const char hostile_body[] =
    "{\"error\":{\"code\":\"forbidden\",\"message\":\"This account is disabled"
    "\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\\u001bPq\\u001b\\\\ by the shop\\r\\n"
    "settd: fake line\",\"details\":{}}}";

static void *hostile_api_run(void *arg)
{
    struct hostile_api *a = arg;
    char buf[8192], reply[1024];
    int c;

    while ((c = accept(a->fd, NULL, NULL)) >= 0) {
        /* the whole request is small; one read after a moment holds it */
        ssize_t n = recv(c, buf, sizeof buf, 0);
        (void)n;
        int len = snprintf(reply, sizeof reply,
                           "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\n"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                           sizeof hostile_body - 1, hostile_body);
        if (send(c, reply, (size_t)len, MSG_NOSIGNAL) < 0) {
            /* the client went away: nothing to answer */
        }
        close(c);
    }
    return NULL;
}

int scenario_hostile_signin(void)
{
    struct hostile_api api = {.fd = -1};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_argv a;
    struct e2e_out out = {0};
    char url[64];
    const char *args[] = {"--api", url, NULL};
    bool started = false;
    int rc = -1;

    H_CHECK(e2e_key_make(&k, "hostile-signin@e2e") == 0);
    api.fd = net_listen_loopback(&api.port);
    H_CHECK(api.fd >= 0);
    H_CHECK(pthread_create(&api.thread, NULL, hostile_api_run, &api) == 0);
    started = true;
    snprintf(url, sizeof url, "http://127.0.0.1:%d", api.port);
    H_CHECK(e2e_shop_start(&s, args) == 0); /* the later --api wins */
    e2e_ssh_argv(&a, e2e_shop_port(&s), &k);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, e2e_run(a.v, NULL, k.dir, NULL, harness_ms(20000), &out) == 0);
    fprintf(stderr, "---- ssh (exit %d) ----\n%s---- end ----\n", e2e_exit_code(&out), out.text);
    E_CHECK(&s, !out.timed_out && e2e_exit_code(&out) == 1);
    /* the words arrive, the controls do not: no ESC, no C1, no BEL, no CR of the API's own */
    E_CHECK(&s, strstr(out.text, "This account is disabled") != NULL);
    E_CHECK(&s, strstr(out.text, "by the shop") != NULL);
    E_CHECK(&s, memchr(out.text, 0x1b, out.len) == NULL);
    E_CHECK(&s, memchr(out.text, 0x07, out.len) == NULL);
    E_CHECK(&s, strstr(out.text, "\xc2\x9b") == NULL);
    E_CHECK(&s, strstr(out.text, "shop\r\nsettd: fake") == NULL);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=account-disabled", 1, harness_ms(5000)) == 0);
    rc = 0;
fail:
    e2e_out_free(&out);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (started) {
        shutdown(api.fd, SHUT_RDWR);
        pthread_join(api.thread, NULL);
    }
    if (api.fd >= 0)
        close(api.fd);
    e2e_key_remove(&k);
    return rc;
}

/* ---- the embedded billing server believes settd's sessions about their customers ---- */

static size_t discard_body(char *data, size_t size, size_t n, void *ud)
{
    (void)data;
    (void)ud;
    return size * n;
}

/* A sign-in at `api` for made-up e-mail number `n`, "from" `addr` (X-Forwarded-For); the HTTP
 * status. */
static long login_from(const char *api, int n, const char *addr)
{
    CURL *c = curl_easy_init();
    struct curl_slist *hl = NULL;
    char url[256], xff[96], body[128];
    long status = 0;

    if (!c)
        return 0;
    snprintf(url, sizeof url, "%s/api/v1/auth/login", api);
    snprintf(xff, sizeof xff, "X-Forwarded-For: %s", addr);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    hl = curl_slist_append(hl, xff);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    snprintf(body, sizeof body, "{\"email\":\"nobody%d@e2e.invalid\",\"password\":\"x\"}", n);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    return status;
}

/* settd alone: its embedded server trusts loopback, where every session's sett comes from, so
 * X-Forwarded-For names the customer and one customer's failures do not lock out another. */
int scenario_embedded_addresses(void)
{
    char dir[512] = "", data[600], api[128] = "", *cmd = NULL, path[64];
    const char *args[] = {"--data-dir", data, NULL};
    const char *from[] = {"-b", "127.0.0.2", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct harness *h = NULL;
    size_t len = 0;
    pid_t sett;
    int rc = -1;

    H_CHECK(e2e_key_make(&k, "addresses@e2e") == 0);
    H_CHECK(tempdir_make("settd-addresses", dir, sizeof dir) == 0);
    snprintf(data, sizeof data, "%s/data", dir);
    s.settd = settd_proc_start(SETTD_BIN, args, harness_ms(HARNESS_TIMEOUT_MS));
    H_CHECK(s.settd != NULL);
    h = e2e_session(&s, &k, from, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    sett = e2e_find_descendant(&s, "sett");
    E_CHECK(&s, sett > 0);
    E_CHECK(&s, environ_has(sett, "SETT_CLIENT_ADDR=127.0.0.2"));
    /* the embedded server's URL, from sett's command line ("sett --api URL") */
    snprintf(path, sizeof path, "/proc/%d/cmdline", (int)sett);
    cmd = tempdir_read_file(path, &len);
    E_CHECK(&s, cmd != NULL);
    for (size_t i = 0; i < len; i += strlen(cmd + i) + 1)
        if (strcmp(cmd + i, "--api") == 0 && i + 6 < len)
            snprintf(api, sizeof api, "%s", cmd + i + 6);
    E_CHECK(&s, strncmp(api, "http://127.0.0.1:", 17) == 0);
    /* 20 failures from one customer's address (at 21 accounts) are free, the 21st starts a
     * delay there */
    for (int i = 0; i < 21; i++) {
        long status = login_from(api, i, "198.51.100.1");
        if (status != 401)
            fprintf(stderr, "sign-in %d at %s: HTTP %ld\n", i + 1, api, status);
        E_CHECK(&s, status == 401);
    }
    E_CHECK(&s, login_from(api, 100, "198.51.100.1") == 429);
    /* another customer behind the same settd is not held up */
    E_CHECK(&s, login_from(api, 101, "198.51.100.2") == 401);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    rc = 0;
fail:
    free(cmd);
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    if (dir[0])
        tempdir_remove(dir);
    e2e_key_remove(&k);
    return rc;
}
