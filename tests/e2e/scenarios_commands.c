/* scenarios_commands.c: the shop's commands over SSH with the real OpenSSH client: `ssh HOST
 * products --json` is the catalog, `services` and `invoices` are the key's own, anything else is
 * refused with one line and a status, a failing command's status reaches the client, the limits
 * and log lines of sessions hold, and hostile requests (huge, empty, control bytes) are refused. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "api_peek.h"
#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "rawssh.h"
#include "tempdir.h"

#if !defined(SETT_BIN)
#error "SETT_BIN must be defined"
#endif

#define RUN_MS 20000

/* `ssh … guest@127.0.0.1 COMMAND` (one argument: OpenSSH sends it as it is), stdout and stderr
 * apart; `tty` adds -tt. Shows what it got. 0 when it ran. */
static int ssh_cmd(const struct e2e_shop *s, const struct e2e_key *k, bool tty, const char *cmd,
                   struct e2e_out *out)
{
    struct e2e_argv a;
    e2e_out_free(out);
    e2e_ssh_argv(&a, e2e_shop_port(s), k);
    if (tty)
        e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    e2e_argv_add(&a, cmd);
    int rc = e2e_run_split(a.v, NULL, k->dir, NULL, harness_ms(RUN_MS), out);
    char shown[64];
    size_t i = 0;
    for (; cmd[i] && i < sizeof shown - 1; i++) /* the test's own log stays plain text */
        shown[i] = (unsigned char)cmd[i] < 0x20 || (unsigned char)cmd[i] >= 0x7f ? '.' : cmd[i];
    shown[i] = '\0';
    fprintf(stderr, "---- ssh %s%s (exit %d, %lld ms) ----\n%.2000s---- stderr ----\n%s----\n",
            shown, cmd[i] ? "..." : "", e2e_exit_code(out), out->ms, out->text ? out->text : "",
            out->err ? out->err : "");
    return rc;
}

/* The same words given to a local `sett --api URL` (a fresh HOME, no session): its exit code. */
static int local_sett(const struct e2e_shop *s, const struct e2e_key *k, const char *const words[],
                      struct e2e_out *out)
{
    struct e2e_argv a = {0};
    e2e_out_free(out);
    e2e_argv_add(&a, SETT_BIN);
    e2e_argv_add(&a, "--api");
    e2e_argv_add(&a, e2e_shop_api(s));
    for (int i = 0; words[i]; i++)
        e2e_argv_add(&a, words[i]);
    if (e2e_run_split(a.v, NULL, k->dir, NULL, harness_ms(RUN_MS), out) != 0)
        return -1;
    fprintf(stderr, "---- local sett %s (exit %d) ----\n%s----\n", words[0], e2e_exit_code(out),
            out->err);
    return e2e_exit_code(out);
}

/* One line of stderr, and nothing on stdout: a refusal as the customer sees it. */
static bool one_line_refusal(const struct e2e_out *o, const char *says)
{
    const char *nl = strchr(o->err, '\n');
    return o->len == 0 && strstr(o->err, says) && strncmp(o->err, "settd: ", 7) == 0 && nl &&
           nl[1] == '\0' && !strchr(o->err, '\r') && !strchr(o->err, '\x1b');
}

/* The JSON array on stdout: its length, or -1 when it is not one. */
static int json_array_size(const struct e2e_out *o)
{
    cJSON *j = cJSON_Parse(o->text);
    int n = cJSON_IsArray(j) ? cJSON_GetArraySize(j) : -1;
    cJSON_Delete(j);
    return n;
}

/* True when the array on stdout has an object whose `field` is `value`. */
static bool json_has(const struct e2e_out *o, const char *field, const char *value)
{
    cJSON *j = cJSON_Parse(o->text), *it;
    bool found = false;
    cJSON_ArrayForEach(it, j)
    {
        const char *v = api_peek_str(it, field);
        found = found || (v && strcmp(v, value) == 0);
    }
    cJSON_Delete(j);
    return found;
}

/* A disconnect line of the key's that holds `want`. */
static bool logged(const struct e2e_shop *s, const struct e2e_key *k, const char *want)
{
    char *log = settd_proc_log(s->settd);
    bool found = false;
    for (char *line = log ? strtok(log, "\n") : NULL; line && !found; line = strtok(NULL, "\n"))
        found = strstr(line, k->fingerprint) && strstr(line, want);
    free(log);
    if (!found)
        fprintf(stderr, "no log line of %s with \"%s\"\n", k->fingerprint, want);
    return found;
}

/* The key's own session, as settd gets it: POST /auth/ssh with the service key. 0 or -1. */
static int key_session(const struct e2e_shop *s, const struct e2e_key *k, struct acct *a)
{
    char path[PATH_MAX + 16], body[1200], type[64], b64[800];
    struct acct svc = {0};
    size_t len = 0;
    long status = 0;
    char *resp = NULL, *pub = NULL, *key = tempdir_read_file(s->key_file, &len);
    int rc = -1;
    snprintf(path, sizeof path, "%s.pub", k->path);
    pub = tempdir_read_file(path, &len);
    if (!key || !pub || sscanf(pub, "%63s %799s", type, b64) != 2)
        goto done;
    key[strcspn(key, "\r\n")] = '\0';
    snprintf(svc.url, sizeof svc.url, "%s", e2e_shop_api(s));
    snprintf(svc.access, sizeof svc.access, "%s", key);
    snprintf(body, sizeof body, "{\"public_key\":\"%s %s\",\"fingerprint\":\"%s\"}", type, b64,
             k->fingerprint);
    if (acct_call(&svc, "POST", "/auth/ssh", body, NULL, NULL, &status, &resp) != 0 ||
        (status != 200 && status != 201))
        goto done;
    cJSON *env = cJSON_Parse(resp);
    const char *access = api_peek_str(api_peek_data(env), "access_token");
    const char *refresh = api_peek_str(api_peek_data(env), "refresh_token");
    if (access && refresh) {
        memset(a, 0, sizeof *a);
        snprintf(a->url, sizeof a->url, "%s", e2e_shop_api(s));
        snprintf(a->access, sizeof a->access, "%s", access);
        snprintf(a->refresh, sizeof a->refresh, "%s", refresh);
        rc = 0;
    }
    cJSON_Delete(env);
done:
    if (rc != 0)
        fprintf(stderr, "key_session: HTTP %ld %s\n", status, resp ? resp : "");
    free(resp);
    free(pub);
    free(key);
    return rc;
}

/* The key's account buys a Dirt server on the sandbox page and it becomes active. 0 or -1. */
static int buy_dirt(const struct e2e_shop *s, const struct e2e_key *k)
{
    struct acct a;
    char pay[512];
    int active = 0;
    if (key_session(s, k, &a) != 0 || acct_cart_add(&a, "mc-dirt", "monthly", 1) != 0 ||
        acct_checkout(&a, "stripe", false, pay, sizeof pay) != 0 || !pay[0] ||
        acct_sandbox(pay, "pay") != 200)
        return -1;
    long long deadline = net_now_ms() + harness_ms(10000);
    while (e2e_account_of(s, k->fingerprint, &active) > 0 && active < 1 && net_now_ms() < deadline)
        poll(NULL, 0, 50);
    return active == 1 ? 0 : -1;
}

int scenario_commands(void)
{
    struct e2e_shop s = {0};
    struct e2e_key buyer = {0}, other = {0};
    struct e2e_out out = {0}, local = {0};
    int rc = -1;
    H_CHECK(e2e_key_make(&buyer, "buyer@e2e") == 0);
    H_CHECK(e2e_key_make(&other, "other@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);

    /* the catalog, as JSON a program parses, and as a table */
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "products --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && out.err_len == 0);
    E_CHECK(&s, json_array_size(&out) >= 20);
    E_CHECK(&s, json_has(&out, "slug", "mc-dirt") && json_has(&out, "name", "Dirt"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "products --category rust --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && json_has(&out, "slug", "rust-outpost"));
    E_CHECK(&s, !json_has(&out, "slug", "mc-dirt"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "products", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "SLUG") && strstr(out.text, "Dirt"));
    E_CHECK(&s, !strchr(out.text, '\x1b') && !strchr(out.text, '\r')); /* a pipe: no colour */

    /* each key's own services and invoices: the buyer's Dirt server, the other key's nothing */
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "PRODUCT"));
    E_CHECK(&s, !strstr(out.text, "Dirt")); /* the key's new account has none yet */
    E_CHECK(&s, buy_dirt(&s, &buyer) == 0);
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "Dirt") && strstr(out.text, "Active"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services --status active --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && json_array_size(&out) == 1);
    E_CHECK(&s, strstr(out.text, "\"Dirt\"") != NULL);
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "invoices --status=paid --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && json_array_size(&out) == 1);
    E_CHECK(&s, ssh_cmd(&s, &other, false, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "PRODUCT"));
    E_CHECK(&s, !strstr(out.text, "Dirt"));
    E_CHECK(&s, ssh_cmd(&s, &other, false, "services --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && json_array_size(&out) == 0);
    E_CHECK(&s, ssh_cmd(&s, &other, false, "invoices --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && json_array_size(&out) == 0);
    E_CHECK(&s, ssh_cmd(&s, &other, false, "credits --json", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "\"balance\""));
    E_CHECK(&s, ssh_cmd(&s, &other, false, "credits --transactions", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0);

    /* a shell line is refused with one line and 127; nothing ran */
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "sh -c id", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127);
    E_CHECK(&s, one_line_refusal(&out, "'sh' is not a shop command"));
    E_CHECK(&s, !strstr(out.err, "uid="));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "sett", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "not a shop command"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services; id", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "no shell"));
    /* an option that would reach past the session: refused as sett's usage (2) */
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services --api http://127.0.0.1:9", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 2 && one_line_refusal(&out, "'--api'"));

    /* a failing command's own status and words reach the client, as a local sett's */
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "invoices --status bogus", &out) == 0);
    const char *bogus[] = {"invoices", "--status", "bogus", NULL};
    E_CHECK(&s, local_sett(&s, &buyer, bogus, &local) == 2);
    E_CHECK(&s, e2e_exit_code(&out) == 2 && out.len == 0);
    E_CHECK(&s, strstr(out.err, "'bogus' is not a status") && strstr(local.err, "'bogus'"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "products --category nosuch", &out) == 0);
    const char *nosuch[] = {"products", "--category", "nosuch", NULL};
    E_CHECK(&s, local_sett(&s, &buyer, nosuch, &local) == 1);
    E_CHECK(&s, e2e_exit_code(&out) == 1 && strstr(out.err, "(not_found)"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, false, "services --bogus", &out) == 0);
    const char *unknown[] = {"services", "--bogus", NULL};
    E_CHECK(&s, local_sett(&s, &buyer, unknown, &local) == 2);
    E_CHECK(&s, e2e_exit_code(&out) == 2 && one_line_refusal(&out, "'--bogus'"));

    /* with -t, the command runs on a terminal: a coloured table, lines ending in CR LF */
    E_CHECK(&s, ssh_cmd(&s, &buyer, true, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "Dirt"));
    E_CHECK(&s, strstr(out.text, "\x1b[") && strstr(out.text, "\r\n"));
    E_CHECK(&s, ssh_cmd(&s, &buyer, true, "sh -c id", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && strstr(out.err, "not a shop command"));

    /* the log: one line per command with the key and the command word, never its options */
    E_CHECK(&s, logged(&s, &buyer, "mode=exec:products "));
    E_CHECK(&s, logged(&s, &buyer, "mode=exec:services "));
    E_CHECK(&s, logged(&s, &buyer, "mode=exec:invoices "));
    E_CHECK(&s, logged(&s, &other, "mode=exec:credits "));
    E_CHECK(&s, logged(&s, &buyer, "mode=- duration=") && logged(&s, &buyer, "refused-exec"));
    E_CHECK(&s, ssh_cmd(&s, &other, false, "products --search e2e-private-words", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0);
    E_CHECK(&s, ssh_cmd(&s, &other, false, "services --search e2e-private-words", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 2);
    E_CHECK(&s, settd_proc_log_count(s.settd, "e2e-private-words") == 0);
    E_CHECK(&s, settd_proc_log_count(s.settd, "--status") == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_shop_serving(&s));
    rc = 0;
fail:
    e2e_out_free(&out);
    e2e_out_free(&local);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&buyer);
    e2e_key_remove(&other);
    return rc;
}

/* A request through libssh, which sends what OpenSSH's client will not. Like hostile_cmd, it
 * returns once the connection's process is gone: with one session per address, the next
 * request must not find this one still signing out. */
static int raw_cmd(const struct e2e_shop *s, const struct e2e_key *k, const char *cmd,
                   struct rawssh_exec_result *r)
{
    int rc = rawssh_exec(e2e_shop_port(s), k->path, cmd, r, harness_ms(RUN_MS));
    if (settd_proc_wait_no_descendants(s->settd, harness_ms(5000)) != 0)
        rc = -1;
    fprintf(stderr,
            "---- rawssh exec of %zu bytes: rc %d, refused %d, exit %d ----\n%.300s%s----\n",
            strlen(cmd), rc, r->refused, r->exit_status, r->err, r->err_len > 300 ? "…" : "");
    return rc;
}

static int hostile_cmd(const struct e2e_shop *s, const struct e2e_key *k, const char *cmd,
                       struct e2e_out *out)
{
    int rc = ssh_cmd(s, k, false, cmd, out);
    return settd_proc_wait_no_descendants(s->settd, harness_ms(5000)) == 0 ? rc : -1;
}

int scenario_commands_hostile(void)
{
    const char *args[] = {"--max-sessions-per-addr", "1", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_out out = {0};
    struct harness *h = NULL;
    struct rawssh_exec_result *r = calloc(1, sizeof *r);
    char *huge = NULL;
    int rc = -1;
    H_CHECK(r != NULL);
    H_CHECK(e2e_key_make(&k, "hostile-commands@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);

    /* libssh's client too: stdout and stderr apart, the status */
    E_CHECK(&s, raw_cmd(&s, &k, "products --json", r) == 0);
    E_CHECK(&s, !r->refused && r->exit_status == 0 && r->err_len == 0);
    E_CHECK(&s, r->out[0] == '[' && strstr(r->out, "\"mc-dirt\""));
    E_CHECK(&s, raw_cmd(&s, &k, "invoices --status bogus", r) == 0);
    E_CHECK(&s, r->exit_status == 2 && r->out_len == 0 && strstr(r->err, "'bogus'"));

    /* empty, blank, oversized (as one argument, and past what an argument may be) */
    E_CHECK(&s, raw_cmd(&s, &k, "", r) == 0);
    E_CHECK(&s, r->exit_status == 127 && strstr(r->err, "settd: no command") && r->out_len == 0);
    E_CHECK(&s, raw_cmd(&s, &k, " \t ", r) == 0);
    E_CHECK(&s, r->exit_status == 127 && strstr(r->err, "no command"));
    huge = malloc(2u << 20);
    E_CHECK(&s, huge != NULL);
    memset(huge, 'a', (2u << 20) - 1);
    memcpy(huge, "products --search ", 18);
    huge[100000] = '\0';
    E_CHECK(&s, hostile_cmd(&s, &k, huge, &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "too long"));
    huge[100000] = 'a';
    huge[(2u << 20) - 1] = '\0';
    /* 2 MiB is more than an SSH packet may hold: the request is refused or the connection
     * dropped, and settd goes on */
    long long t0 = net_now_ms();
    raw_cmd(&s, &k, huge, r);
    E_CHECK(&s, net_now_ms() - t0 < harness_ms(10000)); /* not held until the login grace */
    E_CHECK(&s, r->exit_status != 0 && !strstr(r->out, "mc-dirt"));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=protocol-error", 1, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* control bytes: an escape sequence never reaches the client; a line break ends nothing */
    E_CHECK(&s, hostile_cmd(&s, &k, "services\x1b]0;owned\x07", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "control characters"));
    E_CHECK(&s, hostile_cmd(&s, &k, "services\nsh -c id", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "control characters"));
    E_CHECK(&s, hostile_cmd(&s, &k,
                            "services \xc2\x9b"
                            "2J",
                            &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "UTF-8"));
    E_CHECK(&s, hostile_cmd(&s, &k, "products --search $(id)", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 127 && one_line_refusal(&out, "no shell"));
    E_CHECK(&s, raw_cmd(&s, &k, "services\x01", r) == 0);
    E_CHECK(&s, r->exit_status == 127 && strstr(r->err, "control characters"));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);

    /* the session limit counts commands: with a session open, a command is refused, and runs
     * once it is closed */
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, ssh_cmd(&s, &k, false, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 1 && one_line_refusal(&out, "too many sessions"));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=limit", 1, harness_ms(5000)) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    E_CHECK(&s, hostile_cmd(&s, &k, "services", &out) == 0);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.text, "PRODUCT"));
    E_CHECK(&s, e2e_shop_serving(&s));
    rc = 0;
fail:
    e2e_out_free(&out);
    harness_free(&h);
    free(huge);
    free(r);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

#define LARGE_PRODUCTS 2400

/* A catalog whose JSON (some 2.5 MB) is more than the SSH window and the pipes hold together. */
static int large_catalog(const char *path)
{
    size_t cap = (size_t)LARGE_PRODUCTS * 1200 + 512, len = 0;
    char *cat = malloc(cap), desc[901];
    int rc;
    if (!cat)
        return -1;
    memset(desc, 'x', sizeof desc - 1);
    desc[sizeof desc - 1] = '\0';
    len += (size_t)snprintf(cat + len, cap - len,
                            "{\"categories\":[{\"slug\":\"bulk\",\"name\":\"Bulk\","
                            "\"products\":[");
    for (int i = 1; i <= LARGE_PRODUCTS; i++)
        len += (size_t)snprintf(cat + len, cap - len,
                                "%s{\"slug\":\"p%04d\",\"name\":\"Plan %d\",\"description\":"
                                "\"%s\",\"pricing_model\":\"fixed\",\"cycles\":[{\"cycle\":"
                                "\"monthly\",\"price\":%d}]}",
                                i > 1 ? "," : "", i, i, desc, 1000 + i);
    len += (size_t)snprintf(cat + len, cap - len, "]}]}");
    rc = tempdir_write_file(path, cat, len);
    free(cat);
    return rc;
}

/* A long answer to a client that reads late: all of it arrives, the status after it. */
int scenario_commands_large(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_out out = {0};
    struct e2e_argv a;
    char path[PATH_MAX + 32], line[8192];
    size_t used = 0;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "large@e2e") == 0);
    snprintf(path, sizeof path, "%s/catalog.json", k.dir);
    H_CHECK(large_catalog(path) == 0);
    H_CHECK(e2e_shop_start_catalog(&s, NULL, path) == 0);

    /* the client's output goes to a reader that starts 3 s late: the window fills, sett blocks
     * on its pipe, and ends while settd still holds the tail */
    e2e_ssh_argv(&a, e2e_shop_port(&s), &k);
    for (int i = 0; i < a.n; i++)
        used += (size_t)snprintf(line + used, sizeof line - used, "%s ", a.v[i]);
    snprintf(line + used, sizeof line - used,
             "%s 'products --json'; echo \"exit=$?\" >&2; } | { sleep 3; cat; }", E2E_USER_HOST);
    memmove(line + 2, line, strlen(line) + 1);
    memcpy(line, "{ ", 2);
    const char *sh[] = {"/bin/sh", "-c", line, NULL};
    E_CHECK(&s, e2e_run_split(sh, NULL, k.dir, NULL, harness_ms(60000), &out) == 0);
    fprintf(stderr, "---- %zu bytes, stderr: %s----\n", out.len, out.err);
    E_CHECK(&s, e2e_exit_code(&out) == 0 && strstr(out.err, "exit=0"));
    E_CHECK(&s, out.len > 2000000);
    E_CHECK(&s, json_array_size(&out) == LARGE_PRODUCTS);
    E_CHECK(&s, json_has(&out, "slug", "p0001") && json_has(&out, "slug", "p2400"));
    E_CHECK(&s, logged(&s, &k, "mode=exec:products ") && logged(&s, &k, "reason=quit"));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    e2e_out_free(&out);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
