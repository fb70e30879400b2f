/* test_forkserver.c: the warm storefront's wire, both ends: settd's request and the fork server's
 * child with the session's descriptors, arguments, environment and directory; its exit status
 * and signals; and requests that are not what they should be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "screens/forkserver.h"
#include "ssh/forkserver.h"

extern char **environ;
static char **test_argv;
static int test_argc;

/* What a session's program does here: tells what it was given, then exits with 3 (or waits for
 * a signal when its first argument says so). */
static int fake_sett(int argc, char **argv)
{
    char cwd[256], tokens[64] = "";
    ssize_t n = read(3, tokens, sizeof tokens - 1);

    tokens[n > 0 ? n : 0] = '\0';
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        printf("waiting\n");
        fflush(stdout);
        pause();
    }
    printf("argc=%d argv1=%s home=%s term=%s cwd=%s tokens=%s fd4=%s\n", argc,
           argc > 1 ? argv[1] : "", getenv("HOME") ? getenv("HOME") : "-",
           getenv("TERM") ? getenv("TERM") : "-", getcwd(cwd, sizeof cwd) ? cwd : "-", tokens,
           fcntl(4, F_GETFD) < 0 ? "closed" : "open");
    return 3;
}

struct server {
    pid_t pid;
    int fd; /* settd's end */
};

static void server_start(struct server *s)
{
    int sv[2];
    char word[16] = "";
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv), 0);
    s->pid = fork();
    assert_true(s->pid >= 0);
    if (s->pid == 0) {
        close(sv[0]);
        _exit(forkserver_main(sv[1], test_argc, test_argv, environ, fake_sett));
    }
    close(sv[1]);
    s->fd = sv[0];
    struct pollfd pf = {.fd = s->fd, .events = POLLIN};
    assert_int_equal(poll(&pf, 1, 5000), 1);
    assert_true(recv(s->fd, word, sizeof word - 1, 0) > 0);
    assert_string_equal(word, "ready");
}

static void server_stop(struct server *s)
{
    int status;
    close(s->fd); /* settd gone: the server ends */
    assert_int_equal(waitpid(s->pid, &status, 0), s->pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

struct session {
    pid_t pid;
    int pidfd, status_fd, out; /* out: the read end of the child's stdout */
};

static int spawn(struct server *s, const char *arg, struct session *out)
{
    const char *argv[] = {"sett", arg, NULL};
    const char *envp[] = {"HOME=/tmp", "TERM=xterm-256color", NULL};
    int o[2], tok[2], null = open("/dev/null", O_RDONLY | O_CLOEXEC), rc;
    char err[200];
    assert_int_equal(pipe2(o, O_CLOEXEC), 0);
    assert_int_equal(pipe2(tok, O_CLOEXEC), 0);
    assert_int_equal(write(tok[1], "at_1", 4), 4);
    close(tok[1]);
    struct forkserver_spawn sp = {.tty = false,
                                  .cwd = "/tmp",
                                  .argv = argv,
                                  .envp = envp,
                                  .in = null,
                                  .out = o[1],
                                  .err = o[1],
                                  .session_fd = tok[0]};
    rc = forkserver_spawn(s->fd, &sp, &out->pid, &out->pidfd, &out->status_fd, err, sizeof err);
    close(o[1]);
    close(tok[0]);
    close(null);
    out->out = o[0];
    return rc;
}

static int wait_status(struct session *x)
{
    int status = -1;
    struct pollfd pf = {.fd = x->status_fd, .events = POLLIN};
    assert_int_equal(poll(&pf, 1, 5000), 1);
    assert_int_equal(forkserver_status(x->status_fd, &status), 1);
    /* the socket closes after the exit is told */
    assert_int_equal(poll(&pf, 1, 5000), 1);
    assert_int_equal(forkserver_status(x->status_fd, &status), -1);
    close(x->status_fd);
    close(x->pidfd);
    return status;
}

static void test_session_gets_its_own_everything(void **state)
{
    struct server s;
    struct session x;
    char buf[512] = "";
    (void)state;
    server_start(&s);
    assert_int_equal(spawn(&s, "first", &x), 0);
    assert_true(x.pid > 0 && x.pid != s.pid);
    ssize_t n = read(x.out, buf, sizeof buf - 1);
    assert_true(n > 0);
    assert_non_null(strstr(buf, "argc=2 argv1=first home=/tmp term=xterm-256color cwd=/tmp "
                                "tokens=at_1 fd4=closed"));
    int status = wait_status(&x);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    close(x.out);
    server_stop(&s);
}

static void test_signals_reach_the_session(void **state)
{
    struct server s;
    struct session x;
    char buf[64] = "";
    (void)state;
    server_start(&s);
    assert_int_equal(spawn(&s, "wait", &x), 0);
    assert_true(read(x.out, buf, sizeof buf - 1) > 0);
    assert_non_null(strstr(buf, "waiting"));
    assert_int_equal(syscall(SYS_pidfd_send_signal, x.pidfd, SIGTERM, NULL, 0), 0);
    int status = wait_status(&x);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    close(x.out);
    server_stop(&s);
}

/* A message that is not a request gets a refusal, or nothing; the server keeps serving. */
static void test_garbage_is_refused(void **state)
{
    struct server s;
    struct session x;
    int st[2], fds[5];
    char word[64] = "";
    (void)state;
    server_start(&s);
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st), 0);
    for (int i = 0; i < 5; i++)
        fds[i] = i == 0 ? st[1] : STDERR_FILENO;
    const char garbage[] = "sett-fork 1\0t\0relative\0001\0sett\0000";
    char cbuf[CMSG_SPACE(sizeof fds)];
    struct iovec iov = {.iov_base = (void *)garbage, .iov_len = sizeof garbage};
    struct msghdr mh = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
    memset(cbuf, 0, sizeof cbuf);
    struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(cm), fds, sizeof fds);
    assert_int_equal(sendmsg(s.fd, &mh, 0), (ssize_t)sizeof garbage);
    close(st[1]);
    struct pollfd pf = {.fd = st[0], .events = POLLIN};
    assert_int_equal(poll(&pf, 1, 5000), 1);
    assert_true(recv(st[0], word, sizeof word - 1, 0) > 0);
    assert_string_equal(word, "refused malformed request");
    close(st[0]);
    /* no descriptors at all, and an empty message */
    assert_int_equal(send(s.fd, "x", 1, 0), 1);
    assert_int_equal(send(s.fd, "", 0, 0), 0);
    /* still serving */
    assert_int_equal(spawn(&s, "after", &x), 0);
    int status = wait_status(&x);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    close(x.out);
    server_stop(&s);
}

static void test_parse(void **state)
{
    struct forkserver_req r;
    const char *why;
    (void)state;
    char m[256]; /* r points into it */
#define PARSE(lit)                                                                                 \
    do {                                                                                           \
        memcpy(m, lit, sizeof lit);                                                                \
        rc = forkserver_parse(m, sizeof lit, &r, &why);                                            \
    } while (0)
    int rc;
    PARSE("sett-fork 1\0t\0/home/x\0003\0sett\0--api\0http://a\0002\0TERM=vt100\0HOME=/home/x");
    assert_int_equal(rc, 0);
    assert_true(r.tty);
    assert_string_equal(r.cwd, "/home/x");
    assert_int_equal(r.argc, 3);
    assert_string_equal(r.argv[2], "http://a");
    assert_null(r.argv[3]);
    assert_int_equal(r.envc, 2);
    assert_string_equal(r.envp[1], "HOME=/home/x");
    PARSE("sett-fork 1\0\0/\0001\0sett\0000");
    assert_int_equal(rc, 0);
    assert_false(r.tty);
    /* each refused */
    PARSE("sett-fork 2\0\0/\0001\0sett\0000");
    assert_int_equal(rc, -1);
    assert_string_equal(why, "unknown protocol");
    PARSE("sett-fork 1\0x\0/\0001\0sett\0000"); /* unknown flag */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0home\0001\0sett\0000"); /* relative directory */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\0000\0000"); /* no program name */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\00099\0sett\0000"); /* more words than sent */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\0001\0sett\0001\0NOEQUALS"); /* not NAME=VALUE */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\0001\0sett\0001\0=x");
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\0001\0sett\0000\0extra"); /* bytes after the end */
    assert_int_equal(rc, -1);
    PARSE("sett-fork 1\0\0/\0-1\0sett\0000");
    assert_int_equal(rc, -1);
    char unterminated[] = {'s', 'e', 't', 't'};
    assert_int_equal(forkserver_parse(unterminated, sizeof unterminated, &r, &why), -1);
    assert_int_equal(forkserver_parse(unterminated, 0, &r, &why), -1);
#undef PARSE
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_session_gets_its_own_everything),
        cmocka_unit_test(test_signals_reach_the_session),
        cmocka_unit_test(test_garbage_is_refused),
    };
    test_argc = argc;
    test_argv = argv;
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
