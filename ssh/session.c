/* session.c: one connection's process from the first byte to the last: PROXY header, key
 * exchange, the event loop with its deadlines, and an orderly teardown. */
#include "ssh/session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/idle.h"
#include "ssh/addr.h"
#include "ssh/conn.h"
#include "ssh/ctl.h"
#include "ssh/proxy.h"

#define NS_PER_S     1000000000LL
#define STOP_GRACE_S 3 /* sett's time to restore the terminal after SIGTERM */
/* how long sett's output must have been still before the memory its relay used goes back */
#define TRIM_AFTER_NS 300000000LL
/* what stays below the loop when the stack is given back: the red zone and the wait's own calls */
#define SESSION_STACK_KEEP (4 * 1024)
/* how long the teardown waits on a client that does not read: a blocking libssh call waits at
 * most this long too */
#define TEARDOWN_WAIT_S 2

/* The write end of the signal self-pipe: the one thing the handler can reach. */
static volatile int session_sig_fd = -1;

static void session_on_signal(int sig)
{
    char b = sig == SIGCHLD ? 'c' : sig == SIGUSR1 ? 'd' : 't';
    int saved = errno;

    if (session_sig_fd >= 0 && write(session_sig_fd, &b, 1) < 0) {
        /* full: a wake-up is pending already */
    }
    errno = saved;
}

static int session_signals(int pipefd[2])
{
    static const int sigs[] = {SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGUSR1};
    struct sigaction sa;
    sigset_t usr1;

    if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) != 0)
        return -1;
    session_sig_fd = pipefd[1];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = session_on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* the parent's drain (SIGUSR1) was held back until now */
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    return 0;
}

/* True while the client cannot take more output: its channel window is shut, or libssh still
 * holds unsent bytes because the TCP connection is full. The pty is then left unread, so sett
 * blocks on its own writes and no buffer grows here. */
static bool session_output_blocked(const struct conn *c)
{
    if (c->client_gone || !c->chan)
        return false; /* output is read and dropped */
    return ssh_channel_window_size(c->chan) == 0 ||
           (ssh_get_poll_flags(c->ssh) & SSH_WRITE_PENDING) != 0;
}

/* ncurses flushes after every cursor movement, so one frame reaches the pty as dozens of small
 * writes. Sent as they come, each would be an SSH packet (and, with TCP_NODELAY, a TCP segment)
 * of its own. Once output arrives, what follows within this long joins it, up to
 * OUTPUT_GATHER_MAX_US after the first byte: a frame leaves as one packet. */
#define OUTPUT_GATHER_US     500
#define OUTPUT_GATHER_MAX_US 2000

/* Waits up to `us` microseconds for the pty to have more output. */
static bool session_more_output(int fd, long us)
{
    struct pollfd pf = {.fd = fd, .events = POLLIN};
    struct timespec ts = {.tv_sec = 0, .tv_nsec = us * 1000};
    return us > 0 && ppoll(&pf, 1, &ts, NULL) == 1 && (pf.revents & POLLIN);
}

static void session_send(struct conn *c, const char *buf, size_t n, bool to_stderr)
{
    int sent;

    if (n == 0 || c->client_gone || !c->chan)
        return;
    sent = to_stderr ? ssh_channel_write_stderr(c->chan, buf, (uint32_t)n)
                     : ssh_channel_write(c->chan, buf, (uint32_t)n);
    if (sent != (int)n)
        c->client_gone = true;
}

/* Forwards what `fd` (the pty master, or a command's stdout or stderr pipe) has, as far as the
 * client takes it; sets *eof at its end. */
static void session_forward(struct conn *c, int fd, bool to_stderr, bool *eof)
{
    char buf[16384];
    size_t have = 0;
    long long first = 0;
    ssize_t n;

    while (fd >= 0 && !*eof) {
        size_t room = sizeof buf;

        if (session_output_blocked(c)) {
            c->output_blocked = true;
            break;
        }
        if (!c->client_gone && c->chan && ssh_channel_window_size(c->chan) < room)
            room = ssh_channel_window_size(c->chan);
        if (have >= room) { /* full: send, then go on reading */
            session_send(c, buf, have, to_stderr);
            have = 0;
            continue;
        }
        n = read(fd, buf + have, room - have);
        if (n > 0) {
            int64_t now = log_now_ns();

            if (fd == c->pump.master) {
                c->sett_spoke = true;
                c->trim_at = now + TRIM_AFTER_NS;
            }
            if (have == 0)
                first = now / 1000;
            have += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            long left = OUTPUT_GATHER_MAX_US - (long)(log_now_ns() / 1000 - first);
            if (have > 0 &&
                session_more_output(fd, left < OUTPUT_GATHER_US ? left : OUTPUT_GATHER_US))
                continue;
            break;
        }
        *eof = true; /* EIO: every holder of the terminal's other side is gone; or a pipe's EOF */
    }
    session_send(c, buf, have, to_stderr);
}

static void session_forward_output(struct conn *c)
{
    session_forward(c, c->pump.master, false, &c->master_eof);
    session_forward(c, c->pump.err, true, &c->err_eof);
}

/* Everything sett wrote has been read: a command's session ends only then, so that the tail of
 * a long answer still in a pipe is not lost when the client reads slowly. */
static bool session_output_done(const struct conn *c)
{
    return c->master_eof && (c->pump.err < 0 || c->err_eof);
}

static int session_on_master(socket_t fd, int revents, void *ud)
{
    (void)fd;
    (void)revents;
    session_forward_output(ud);
    return 0;
}

/* sett may have ended (SIGCHLD, or the fork server's word): then the session ends with it. */
static void session_child_ended(struct conn *c)
{
    if (c->running && pump_reap(&c->pump, false)) {
        session_forward_output(c); /* what sett wrote last: the terminal restored */
        if (!c->exec || session_output_done(c))
            conn_end(c, "quit", NULL, -1);
    }
}

static int session_on_child(socket_t fd, int revents, void *ud)
{
    (void)fd;
    (void)revents;
    session_child_ended(ud);
    return 0;
}

/* A sett from the fork server is not this process's child: the descriptor that tells of its end
 * is watched instead (it changes if the fork server dies before sett does). */
static void session_watch_child(struct conn *c)
{
    int fd = c->running ? pump_watch_fd(&c->pump) : -1;

    if (fd == c->child_watch)
        return;
    if (c->child_watch >= 0)
        ssh_event_remove_fd(c->ev, c->child_watch);
    if (fd >= 0)
        ssh_event_add_fd(c->ev, fd, POLLIN, session_on_child, c);
    c->child_watch = fd;
}

static void session_handle_signals(struct conn *c, int fd)
{
    char buf[64];
    bool chld = false, term = false;
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == 'd') {
                if (!c->drain_deadline)
                    c->drain_deadline = log_now_ns() + (int64_t)c->opt->drain_timeout * NS_PER_S;
                continue;
            }
            *(buf[i] == 'c' ? &chld : &term) = true;
        }
    if (term)
        conn_end(c, "shutdown",
                 "settd: the server is shutting down. Please reconnect in a "
                 "moment.",
                 1);
    if (chld)
        session_child_ended(c);
}

static int session_on_sigpipe(socket_t fd, int revents, void *ud)
{
    (void)revents;
    session_handle_signals(ud, fd);
    return 0;
}

/* Milliseconds to the next deadline, -1 for none: between events nothing wakes us. */
static int session_timeout(const struct conn *c, int64_t now)
{
    const struct settd_options *o = c->opt;
    int64_t next = INT64_MAX, ms;

    if (!c->running && !c->reason)
        next = c->grace_deadline;
    if (c->running && !c->reason) {
        if (o->idle_timeout > 0) {
            int64_t idle_at = c->last_input + o->idle_timeout * NS_PER_S;
            int64_t warn_at = idle_at - (int64_t)o->idle_warning * NS_PER_S;
            if (!c->warned && !c->exec && o->idle_warning > 0 &&
                o->idle_warning < o->idle_timeout && warn_at < next)
                next = warn_at;
            if (idle_at < next)
                next = idle_at;
        }
        if (o->max_session > 0 && c->started + o->max_session * NS_PER_S < next)
            next = c->started + o->max_session * NS_PER_S;
    }
    if (c->drain_deadline && !c->reason && c->drain_deadline < next)
        next = c->drain_deadline;
    if (c->stop_sent && !c->kill_sent && c->stop_deadline < next)
        next = c->stop_deadline;
    if (c->trim_at && c->trim_at < next)
        next = c->trim_at;
    if (next == INT64_MAX)
        return -1;
    ms = (next - now + 999999) / 1000000;
    return ms < 0 ? 0 : ms > 3600000 ? 3600000 : (int)ms;
}

/* A line of settd's own to a plain-mode session, on a line of its own (CR LF on a pty). Plain
 * mode has no status line, and no handler for the signals the storefront is told things by. */
static void session_say_plain(struct conn *c, const char *text)
{
    char line[240];
    int n = snprintf(line, sizeof line, c->pty ? "\r\nsettd: %s\r\n" : "\nsettd: %s\n", text);

    if (n > 0)
        session_send(c, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, false);
}

/* The server is draining: the storefront shows the notice on its own screen (SIGUSR2 with the
 * seconds left, once sett has set up its handlers, which it does before its first output); a
 * plain-mode session gets it as a line of text. A command is not told: it just finishes. */
static void session_drain_tell(struct conn *c, int64_t now)
{
    int secs = (int)((c->drain_deadline - now + NS_PER_S - 1) / NS_PER_S);
    char text[200], when[40];

    if (c->drain_told || c->exec)
        return;
    if (c->plain) {
        if (secs >= 120)
            snprintf(when, sizeof when, "%d minutes", secs / 60);
        else
            snprintf(when, sizeof when, "%d s", secs);
        snprintf(text, sizeof text,
                 "the shop is restarting; please finish within %s, then reconnect.", when);
        session_say_plain(c, text);
    } else if (c->sett_spoke) {
        pump_signal(&c->pump, SIGUSR2, secs);
    } else {
        return; /* told once sett has drawn its first frame */
    }
    c->drain_told = true;
}

static void session_deadlines(struct conn *c, int64_t now)
{
    const struct settd_options *o = c->opt;
    char line[200];

    if (c->trim_at && now >= c->trim_at) {
        /* sett's screen is still: what the key exchange, the sign-in and the relay used and freed
         * goes back to the kernel (heap and stack), as this process now only waits */
        c->trim_at = 0;
        idle_give_back(SESSION_STACK_KEEP);
    }
    if (c->drain_deadline && !c->reason && now >= c->drain_deadline) {
        conn_end(c, "drain",
                 "settd: the shop is restarting and this session has ended. Please reconnect to "
                 "continue.",
                 c->exec ? 1 : 0);
        return;
    }
    if (!c->running && !c->reason && now >= c->grace_deadline) {
        conn_end(c, "grace-timeout", NULL, 1);
        return;
    }
    if (!c->running || c->reason)
        return;
    if (c->drain_deadline)
        session_drain_tell(c, now);
    if (o->max_session > 0 && now >= c->started + o->max_session * NS_PER_S) {
        snprintf(line, sizeof line, "settd: closed after %d s, the longest session allowed",
                 o->max_session);
        conn_end(c, "max-session", line, 0);
    } else if (o->idle_timeout > 0 && now >= c->last_input + o->idle_timeout * NS_PER_S) {
        snprintf(line, sizeof line, "settd: closed after %d s without input", o->idle_timeout);
        conn_end(c, "idle-timeout", line, 0);
    } else if (o->idle_timeout > 0 && !c->warned && !c->exec && o->idle_warning > 0 &&
               o->idle_warning < o->idle_timeout &&
               now >= c->last_input + (int64_t)(o->idle_timeout - o->idle_warning) * NS_PER_S) {
        c->warned = true;
        if (c->plain) {
            snprintf(line, sizeof line,
                     "this session closes in %d s for inactivity; type anything to stay.",
                     o->idle_warning);
            session_say_plain(c, line);
        } else {
            pump_signal(&c->pump, SIGUSR1, 0); /* sett shows the warning; any key clears it */
        }
    }
}

/* sett is told to stop (it restores the terminal), then killed if it does not. */
static void session_stop_sett(struct conn *c, int64_t now)
{
    if (!c->running || c->pump.reaped)
        return;
    if (!c->stop_sent) {
        pump_signal(&c->pump, SIGTERM, 0);
        c->stop_sent = true;
        c->stop_deadline = now + (c->client_gone ? 1 : STOP_GRACE_S) * NS_PER_S;
    } else if (!c->kill_sent && now >= c->stop_deadline) {
        pump_signal(&c->pump, SIGKILL, 0);
        c->kill_sent = true;
        pump_reap(&c->pump, true);
    }
}

static void session_loop(struct conn *c, int sigfd)
{
    for (;;) {
        int64_t now = log_now_ns();
        int rc;

        if (c->reason && (!c->running || c->pump.reaped))
            break;
        if (c->reason)
            session_stop_sett(c, now);
        session_watch_child(c);
        if (c->output_blocked && !session_output_blocked(c))
            c->output_blocked = false; /* a window adjust came, or the socket drained */
        if (c->running && !c->master_in_ev && !c->master_eof && !c->output_blocked) {
            ssh_event_add_fd(c->ev, c->pump.master, POLLIN, session_on_master, c);
            c->master_in_ev = true;
        }
        if (c->running && c->pump.err >= 0 && !c->err_in_ev && !c->err_eof && !c->output_blocked) {
            ssh_event_add_fd(c->ev, c->pump.err, POLLIN, session_on_master, c);
            c->err_in_ev = true;
        }
        if (c->client_gone) {
            /* sett's last output is read and dropped, so its exit never blocks on a full pty */
            struct pollfd pf[4] = {{.fd = sigfd, .events = POLLIN},
                                   {.fd = c->master_eof ? -1 : c->pump.master, .events = POLLIN},
                                   {.fd = c->err_eof ? -1 : c->pump.err, .events = POLLIN},
                                   {.fd = c->child_watch, .events = POLLIN}};
            if (poll(pf, 4, session_timeout(c, now)) > 0) {
                if (pf[1].revents || pf[2].revents)
                    session_forward_output(c);
                session_handle_signals(c, sigfd);
                if (pf[3].revents)
                    session_child_ended(c);
            }
            continue;
        }
        rc = ssh_event_dopoll(c->ev, session_timeout(c, now));
        if (rc == SSH_ERROR || !ssh_is_connected(c->ssh)) {
            c->client_gone = true;
            conn_end(c, "client-closed", NULL, 0);
        } else if (ssh_get_status(c->ssh) & SSH_CLOSED_ERROR) {
            /* e.g. a packet longer than SSH allows: libssh stops reading but leaves the
             * connection open, and the client waits on it */
            c->client_gone = true;
            conn_end(c, "protocol-error", NULL, 1);
        }
        if ((c->master_eof || c->output_blocked) && c->master_in_ev) {
            ssh_event_remove_fd(c->ev, c->pump.master);
            c->master_in_ev = false;
        }
        if ((c->err_eof || c->output_blocked) && c->err_in_ev) {
            ssh_event_remove_fd(c->ev, c->pump.err);
            c->err_in_ev = false;
        }
        if (session_output_done(c) && c->running && !c->reason && pump_reap(&c->pump, false))
            conn_end(c, "quit", NULL, -1); /* SIGCHLD may have come before the last output */
        session_deadlines(c, log_now_ns());
    }
}

/* The last words on the channel: a message, sett's exit status, EOF, close; then wait a moment
 * for the client to close its side, so it does not report a connection error. */
static void session_close_channel(struct conn *c)
{
    int code = c->exit_code >= 0 ? c->exit_code : pump_exit_code(&c->pump);
    int64_t until;

    if (c->client_gone || !c->chan || !ssh_is_connected(c->ssh))
        return;
    /* a client that has not taken what was sent within the stop time is not waited for */
    until = log_now_ns() + TEARDOWN_WAIT_S * NS_PER_S;
    while (ssh_is_connected(c->ssh) && (ssh_get_poll_flags(c->ssh) & SSH_WRITE_PENDING) &&
           log_now_ns() < until && ssh_event_dopoll(c->ev, 100) != SSH_ERROR)
        ;
    if (ssh_get_poll_flags(c->ssh) & SSH_WRITE_PENDING) {
        c->client_gone = true;
        return;
    }
    ssh_set_blocking(c->ssh, 1);
    if (c->farewell[0]) {
        char text[sizeof c->farewell + 8];
        /* without a terminal, a refused command's line is just a line of its stderr */
        int n = snprintf(text, sizeof text, c->farewell_stderr && !c->pty ? "%s\n" : "\r\n%s\r\n",
                         c->farewell);
        /* only what the window takes now: a full window would wait for the client */
        if ((uint32_t)n > ssh_channel_window_size(c->chan))
            n = (int)ssh_channel_window_size(c->chan);
        if (c->farewell_stderr)
            ssh_channel_write_stderr(c->chan, text, (uint32_t)n);
        else
            ssh_channel_write(c->chan, text, (uint32_t)n);
    }
    ssh_channel_request_send_exit_status(c->chan, code);
    ssh_channel_send_eof(c->chan);
    ssh_channel_close(c->chan);
    until = log_now_ns() + NS_PER_S;
    while (ssh_is_connected(c->ssh) && log_now_ns() < until &&
           ssh_event_dopoll(c->ev, 100) != SSH_ERROR)
        ;
}

/* What the client prints on the SSH disconnect ("Received disconnect ...: settd: ..."), which
 * is all a client without a terminal (ssh -N, a port forward) ever sees of the reason. */
static void session_disconnect_message(struct conn *c)
{
    char text[sizeof c->farewell + 64];

    if (c->reason && strcmp(c->reason, "grace-timeout") == 0)
        snprintf(text, sizeof text,
                 "settd: closed: no shop session was started within %d s (connect with "
                 "ssh -t, without -N)",
                 c->opt->login_grace);
    else if (c->reason && strcmp(c->reason, "auth-failed") == 0)
        snprintf(text, sizeof text, "settd: closed: too many failed sign-in attempts");
    else if (c->farewell[0])
        snprintf(text, sizeof text, "%s", c->farewell);
    else
        snprintf(text, sizeof text, "settd: session closed");
    ssh_session_set_disconnect_message(c->ssh, text);
}

/* The PROXY header, and the parent's word on the address it names. 0 to go on. */
static int session_proxy(struct conn *c, int fd)
{
    struct proxy_result pr;
    char ip[64], line[CTL_LINE_MAX];
    int ms = (int)((c->grace_deadline - log_now_ns()) / 1000000);

    if (proxy_read(fd, ms > 0 ? ms : 0, &pr) != 0) {
        log_connect(&c->log);
        log_disconnect(&c->log, "proxy-invalid");
        return -1;
    }
    if (!pr.has_addr) {
        /* the balancer's own health check (PROXY v2 LOCAL, v1 UNKNOWN): its address stands, and
         * one every few seconds per balancer is not worth two log lines each */
        c->log.quiet = true;
        return 0;
    }
    addr_format((struct sockaddr *)&pr.src, pr.src_len, c->log.addr, sizeof c->log.addr, ip,
                sizeof ip);
    snprintf(line, sizeof line, "addr %s", ip);
    if (ctl_ask(c->ctl, line) != 1) {
        log_connect(&c->log);
        log_disconnect(&c->log, "limit");
        return -1;
    }
    return 0;
}

static int session_kex(struct conn *c, int fd)
{
    long timeout = (long)((c->grace_deadline - log_now_ns()) / NS_PER_S) + 1;

    c->ssh = ssh_new();
    if (!c->ssh || ssh_bind_accept_fd(c->ctx->bind, c->ssh, fd) != SSH_OK) {
        conn_end(c, "protocol-error", NULL, 1);
        return -1;
    }
    /* "none", not "no": libssh reads "no" as "none first, zlib too" */
    ssh_options_set(c->ssh, SSH_OPTIONS_COMPRESSION_C_S, "none");
    ssh_options_set(c->ssh, SSH_OPTIONS_COMPRESSION_S_C, "none");
    ssh_options_set(c->ssh, SSH_OPTIONS_TIMEOUT, &timeout);
    conn_callbacks_init(c);
    if (ssh_handle_key_exchange(c->ssh) != SSH_OK) {
        const char *why = ssh_get_error(c->ssh);
        if (log_now_ns() >= c->grace_deadline)
            conn_end(c, "grace-timeout", NULL, 1);
        else if (why && strstr(why, "disconnected")) /* e.g. a port scanner hanging up */
            conn_end(c, "client-closed", NULL, 1);
        else
            conn_end(c, "protocol-error", NULL, 1);
        c->client_gone = true;
        return -1;
    }
    /* from here on nothing waits on the client: the event loop sends what the socket takes
     * and the pty is read only as fast as the client reads (session_output_blocked); the
     * teardown's blocking calls wait at most this long */
    timeout = TEARDOWN_WAIT_S;
    ssh_options_set(c->ssh, SSH_OPTIONS_TIMEOUT, &timeout);
    ssh_set_blocking(c->ssh, 0);
    ssh_set_auth_methods(c->ssh, SSH_AUTH_METHOD_PUBLICKEY);
    return 0;
}

int session_run(const struct session_ctx *ctx, int fd, int ctl)
{
    struct conn c;
    int sigpipe[2] = {-1, -1};

    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.opt = ctx->opt;
    c.ctl = ctl;
    c.exit_code = -1;
    c.child_watch = -1;
    pump_init(&c.pump);
    c.log.quiet = ctx->opt->quiet;
    c.log.start_ns = log_now_ns();
    snprintf(c.log.addr, sizeof c.log.addr, "%s", ctx->peer);
    c.grace_deadline = c.log.start_ns + (int64_t)ctx->opt->login_grace * NS_PER_S;
    if (session_signals(sigpipe) != 0) {
        close(fd);
        return 1;
    }
    if (ctx->opt->proxy_protocol && session_proxy(&c, fd) != 0) {
        close(fd);
        goto done;
    }
    log_connect(&c.log);
    if (session_kex(&c, fd) == 0) {
        c.ev = ssh_event_new();
        if (!c.ev || ssh_event_add_session(c.ev, c.ssh) != SSH_OK ||
            ssh_event_add_fd(c.ev, sigpipe[0], POLLIN, session_on_sigpipe, &c) != SSH_OK)
            conn_end(&c, "internal-error", NULL, 1);
        else
            session_loop(&c, sigpipe[0]);
        if (c.running)
            session_forward_output(&c);
        session_close_channel(&c);
    }
    log_disconnect(&c.log, c.reason ? c.reason : "client-closed");
    if (c.ssh && ssh_is_connected(c.ssh))
        session_disconnect_message(&c);
    if (c.master_in_ev)
        ssh_event_remove_fd(c.ev, c.pump.master);
    if (c.err_in_ev)
        ssh_event_remove_fd(c.ev, c.pump.err);
    if (c.child_watch >= 0)
        ssh_event_remove_fd(c.ev, c.child_watch);
    pump_cleanup(&c.pump);
    if (c.ssh) {
        if (ssh_is_connected(c.ssh)) {
            ssh_set_blocking(c.ssh, 1); /* the DISCONNECT goes out before the close */
            ssh_disconnect(c.ssh);
        }
        if (c.ev)
            ssh_event_remove_session(c.ev, c.ssh);
        ssh_free(c.ssh);
    }
    if (c.ev) {
        /* libssh frees an fd's callback record only on removal, not with the event */
        ssh_event_remove_fd(c.ev, sigpipe[0]);
        ssh_event_free(c.ev);
    }
    /* The customer is gone: the sign-in ends too, so no token outlives its session (sett's
     * rotations of it included). */
    if (c.refresh[0] && signin_logout(ctx->api, c.refresh, ctx->opt->api_timeout) != 0)
        log_msg("could not revoke the session's tokens at %s", ctx->api);
done:
    explicit_bzero(c.refresh, sizeof c.refresh);
    free(c.pubkey_line);
    close(sigpipe[0]);
    close(sigpipe[1]);
    return 0;
}
