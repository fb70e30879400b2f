/* scenarios_refusals.c: what settd serves is the shop and nothing else. Commands other than the
 * shop's own (scenarios_commands.c), subsystems (sftp), port forwarding both ways, agent
 * forwarding and a second channel over a multiplexed connection are refused, and each time the
 * server goes on serving. (A session without a pty gets plain mode: scenarios_plain.c.) */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "e2e_scenarios.h"
#include "e2e_support.h"
#include "netutil.h"
#include "tempdir.h"

#if !defined(SSH_AGENT_BIN)
#error "SSH_AGENT_BIN must be defined"
#endif

#define LOGIN_GRACE_S 3
#define ALT_SCREEN_ON "\x1b[?1049h"

/* Runs `ssh …OPTIONS… guest@127.0.0.1 [command]` (or sftp) to completion and shows its output. */
static int run_client(const struct e2e_shop *s, struct e2e_argv *a, const char *home,
                      const char *input, struct e2e_out *out)
{
    int rc = e2e_run(a->v, NULL, home, input, harness_ms(20000), out);
    fprintf(stderr, "---- %s … (exit %d, %lld ms) ----\n%s---- end ----\n", a->v[0],
            e2e_exit_code(out), out->ms, out->text ? out->text : "");
    (void)s;
    return rc;
}

/* A refused request: the client ended by itself with a failure, sett never drew a screen. */
static bool refused(const struct e2e_out *o)
{
    return !o->timed_out && e2e_exit_code(o) != 0 && !strstr(o->text, ALT_SCREEN_ON);
}

/* The sett process serving a session gets no agent socket. */
static bool sett_without_agent(const struct e2e_shop *s)
{
    int pid = e2e_find_descendant(s, "sett");
    char path[64];
    size_t len = 0;
    if (pid < 0) {
        fprintf(stderr, "no sett process below settd\n");
        return false;
    }
    snprintf(path, sizeof path, "/proc/%d/environ", pid);
    char *env = tempdir_read_file(path, &len);
    bool clean = env != NULL;
    for (size_t i = 0; env && i < len; i += strlen(env + i) + 1) {
        if (strncmp(env + i, "SSH_AUTH_SOCK=", 14) == 0) {
            fprintf(stderr, "sett's environment holds %s\n", env + i);
            clean = false;
        }
    }
    free(env);
    return clean;
}

int scenario_refusals(void)
{
    const char *args[] = {"--login-grace", "3", NULL};
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_argv a;
    struct e2e_out out = {0};
    struct harness *h = NULL;
    int rc = -1;
    H_CHECK(e2e_key_make(&k, "refusals@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, args) == 0);
    int port = e2e_shop_port(&s);

    /* a command that is not one of the shop's */
    e2e_ssh_argv(&a, port, &k);
    e2e_argv_add(&a, E2E_USER_HOST);
    e2e_argv_add(&a, "echo");
    e2e_argv_add(&a, "e2e-command-ran");
    E_CHECK(&s, run_client(&s, &a, k.dir, NULL, &out) == 0);
    E_CHECK(&s, refused(&out) && !strstr(out.text, "e2e-command-ran"));
    E_CHECK(&s, e2e_exit_code(&out) == 127);
    E_CHECK(&s, strstr(out.text, "settd: 'echo' is not a shop command") != NULL);
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=refused-exec", 1, harness_ms(5000)) == 0);
    e2e_out_free(&out);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* a subsystem: sftp */
    e2e_sftp_argv(&a, port, &k);
    e2e_argv_add(&a, "-b");
    e2e_argv_add(&a, "-");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, run_client(&s, &a, k.dir, "ls /\n", &out) == 0);
    E_CHECK(&s, refused(&out) && strstr(out.text, "subsystem request failed"));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=refused-subsystem", 1, harness_ms(5000)) == 0);
    e2e_out_free(&out);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* remote forwarding: the client is told no and gives up */
    e2e_ssh_argv(&a, port, &k);
    e2e_argv_add(&a, "-N");
    e2e_argv_add(&a, "-o");
    e2e_argv_add(&a, "ExitOnForwardFailure=yes");
    e2e_argv_add(&a, "-R");
    e2e_argv_add(&a, "0:127.0.0.1:9");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, run_client(&s, &a, k.dir, NULL, &out) == 0);
    E_CHECK(&s, refused(&out) && strstr(out.text, "forwarding failed"));
    e2e_out_free(&out);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* stdio forwarding (-W, a direct-tcpip channel at once) to the billing server */
    e2e_ssh_argv(&a, port, &k);
    e2e_argv_addf(&a, "-W127.0.0.1:%d", billingd_proc_port(s.billing));
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s,
            run_client(&s, &a, k.dir, "GET /api/v1/billing/status HTTP/1.0\r\n\r\n", &out) == 0);
    E_CHECK(&s, refused(&out) && !strstr(out.text, "HTTP/1."));
    E_CHECK(&s, strstr(out.text, "stdio forwarding failed") != NULL);
    e2e_out_free(&out);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* no channel at all (-N): closed at the login grace time, and told why (-v: the client
     * prints the server's disconnect message at its default log level, which the test
     * options lower) */
    e2e_ssh_argv(&a, port, &k);
    e2e_argv_add(&a, "-N");
    e2e_argv_add(&a, "-v");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, run_client(&s, &a, k.dir, NULL, &out) == 0);
    E_CHECK(&s, !out.timed_out);
    E_CHECK(&s, out.ms >= LOGIN_GRACE_S * 1000 - 500);
    E_CHECK(&s, out.ms <= LOGIN_GRACE_S * 1000 + harness_ms(3000));
    E_CHECK(&s, settd_proc_wait_log(s.settd, "reason=grace-timeout", 1, harness_ms(5000)) == 0);
    E_CHECK(&s, strstr(out.text, "Received disconnect") &&
                    strstr(out.text, "settd: closed: no shop session was started within 3 s"));
    E_CHECK(&s, !strstr(out.text, "Bye Bye"));
    e2e_out_free(&out);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* and a customer still gets the store */
    h = e2e_session(&s, &k, NULL, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    e2e_out_free(&out);
    harness_free(&h);
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}

/* An ssh-agent of our own on a socket in `dir`; its pid, or -1. */
static pid_t agent_start(const char *dir, char *sock, size_t n)
{
    snprintf(sock, n, "%s/agent.sock", dir);
    pid_t pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, 0);
        dup2(devnull, 1);
        execl(SSH_AGENT_BIN, SSH_AGENT_BIN, "-D", "-a", sock, (char *)NULL);
        _exit(127);
    }
    long long deadline = net_now_ms() + harness_ms(5000);
    struct stat st;
    while (pid > 0 && stat(sock, &st) != 0) {
        if (net_now_ms() >= deadline) {
            fprintf(stderr, "ssh-agent made no socket at %s\n", sock);
            kill(pid, SIGTERM);
            waitpid(pid, NULL, 0);
            return -1;
        }
        poll(NULL, 0, 10);
    }
    return pid;
}

/* The help overlay opens and closes: the session answers keys. */
static int session_answers(struct harness *h)
{
    if (harness_send(h, "?") != 0 || harness_wait_text(h, "Quit sett", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    if (harness_send(h, "x") != 0 || harness_wait_gone(h, "Quit sett", HARNESS_TIMEOUT_MS) != 0)
        return -1;
    return 0;
}

int scenario_channels(void)
{
    struct e2e_shop s = {0};
    struct e2e_key k = {0};
    struct e2e_argv a;
    struct e2e_out out = {0};
    struct harness *h = NULL;
    pid_t agent = -1;
    struct dead_port dead = {.fd = -1};
    char sock[PATH_MAX + 32], env_sock[PATH_MAX + 64], fwd[64], ctl[PATH_MAX + 32];
    char reply[512];
    int rc = -1, local_port, fd = -1;
    H_CHECK(e2e_key_make(&k, "channels@e2e") == 0);
    H_CHECK(e2e_shop_start(&s, NULL) == 0);

    /* -L: the session works, a connection through the forward gets nothing and is closed */
    int probe = net_listen_loopback(&local_port);
    E_CHECK(&s, probe >= 0);
    close(probe); /* ssh binds it next */
    snprintf(fwd, sizeof fwd, "%d:127.0.0.1:%d", local_port, billingd_proc_port(s.billing));
    const char *forward[] = {"-o", "ExitOnForwardFailure=yes", "-L", fwd, NULL};
    h = e2e_session(&s, &k, forward, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    fd = e2e_tcp_connect(local_port);
    E_CHECK(&s, fd >= 0);
    E_CHECK(&s, write(fd, "GET /api/v1/billing/status HTTP/1.0\r\n\r\n", 39) == 39);
    E_CHECK(&s, e2e_wait_closed(fd, reply, sizeof reply, NULL, harness_ms(10000)) == 0);
    E_CHECK(&s, !strstr(reply, "HTTP/1."));
    close(fd);
    fd = -1;
    E_CHECK(&s, session_answers(h) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* -A with an agent: the session works, sett gets no agent socket */
    agent = agent_start(k.dir, sock, sizeof sock);
    E_CHECK(&s, agent > 0);
    snprintf(env_sock, sizeof env_sock, "SSH_AUTH_SOCK=%s", sock);
    const char *agent_env[] = {env_sock, NULL};
    const char *with_agent[] = {"-A", NULL};
    h = e2e_session(&s, &k, with_agent, agent_env, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    E_CHECK(&s, sett_without_agent(&s));
    E_CHECK(&s, session_answers(h) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);
    E_CHECK(&s, e2e_shop_serving(&s));

    /* a second session over one multiplexed connection, while the first is open */
    snprintf(ctl, sizeof ctl, "%s/mux", k.dir);
    char ctl_opt[PATH_MAX + 64];
    snprintf(ctl_opt, sizeof ctl_opt, "ControlPath=%s", ctl);
    const char *master[] = {"-o", "ControlMaster=yes", "-o", ctl_opt, NULL};
    h = e2e_session(&s, &k, master, NULL, 24, 80);
    E_CHECK(&s, h != NULL);
    E_CHECK(&s, e2e_wait_store(&s, h) == 0);
    struct stat st;
    E_CHECK(&s, stat(ctl, &st) == 0); /* the master listens for more sessions */
    /* A refused mux session makes ssh fall back to a connection of its own: the port it is
     * given for that refuses, so only the answer over the master's connection counts. */
    E_CHECK(&s, dead_port_open(&dead) == 0);
    e2e_ssh_argv(&a, dead.port, &k);
    e2e_argv_add(&a, "-o");
    e2e_argv_add(&a, "ControlMaster=no");
    e2e_argv_add(&a, "-S");
    e2e_argv_add(&a, ctl);
    e2e_argv_add(&a, "-tt");
    e2e_argv_add(&a, E2E_USER_HOST);
    E_CHECK(&s, run_client(&s, &a, k.dir, NULL, &out) == 0);
    E_CHECK(&s, refused(&out) && strstr(out.text, "Session open refused by peer"));
    e2e_out_free(&out);
    E_CHECK(&s, !harness_exited(h)); /* the first session is untouched */
    E_CHECK(&s, session_answers(h) == 0);
    E_CHECK(&s, e2e_quit(&s, h) == 0);
    harness_free(&h);

    E_CHECK(&s, e2e_shop_serving(&s));
    E_CHECK(&s, settd_proc_wait_no_descendants(s.settd, harness_ms(5000)) == 0);
    rc = 0;
fail:
    if (fd >= 0)
        close(fd);
    e2e_out_free(&out);
    harness_free(&h);
    dead_port_close(&dead);
    if (agent > 0) {
        kill(agent, SIGTERM);
        waitpid(agent, NULL, 0);
    }
    if (e2e_shop_stop(&s) != 0)
        rc = -1;
    e2e_key_remove(&k);
    return rc;
}
