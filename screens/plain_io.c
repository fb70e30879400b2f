/* plain_io.c: plain mode's input and output: sanitized sentences, lines read with the client
 * running, questions, waiting for a request, and lists printed a page at a time. */
#include "screens/plain.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "screens/format.h"

/* ---- output ---- */

const char *plain_clean(const char *s, char *buf, size_t n)
{
    tui_sanitize(s ? s : "", buf, n, false);
    return buf;
}

void plain_say(struct plain *p, const char *fmt, ...)
{
    char raw[4096], clean[4096];
    va_list ap;
    (void)p;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    tui_sanitize(raw, clean, sizeof clean, true); /* whatever went in, no control leaves */
    fputs(clean, stdout);
    fputc('\n', stdout);
    fflush(stdout);
}

void plain_money(struct plain *p, const struct money *m, char *buf, size_t n)
{
    money_format(m, p->status ? &p->currency : NULL, buf, n);
}

const char *plain_cycle_words(enum billing_cycle c)
{
    static const char *const words[CYCLE_COUNT] = {
        [CYCLE_ONE_TIME] = "once",       [CYCLE_MONTHLY] = "a month",
        [CYCLE_QUARTERLY] = "a quarter", [CYCLE_SEMI_ANNUAL] = "every 6 months",
        [CYCLE_ANNUAL] = "a year",       [CYCLE_BIENNIAL] = "every 2 years",
    };
    return c >= 0 && c < CYCLE_COUNT ? words[c] : "";
}

void plain_resources(const struct resources *r, char *buf, size_t n)
{
    char a[32], b[32], c[32];
    fmt_size_mb(r->memory_mb, a, sizeof a);
    fmt_size_mb(r->disk_mb, b, sizeof b);
    fmt_cpu(r->cpu_percent, c, sizeof c);
    int w = snprintf(buf, n, "%s memory, %s disk, %s", a, b, c);
    if (w < 0 || (size_t)w >= n)
        return;
    if (r->databases > 0)
        w += snprintf(buf + w, n - (size_t)w, ", %lld database%s", (long long)r->databases,
                      r->databases == 1 ? "" : "s");
    if (r->backups > 0 && (size_t)w < n)
        snprintf(buf + w, n - (size_t)w, ", %lld backup%s", (long long)r->backups,
                 r->backups == 1 ? "" : "s");
}

void plain_fail(struct plain *p, const char *what, const struct client_error *err)
{
    char msg[400], clean[400];
    fmt_error(err, msg, sizeof msg);
    plain_clean(msg, clean, sizeof clean);
    if (err->status == CLIENT_ERR_TRANSPORT || err->status == CLIENT_ERR_TIMEOUT)
        plain_say(p,
                  "Could not %s: the shop's server did not answer (%s). Nothing was changed; "
                  "try again, or type q to quit.",
                  what, clean);
    else
        plain_say(p, "Could not %s: %s", what, clean);
}

/* ---- input ---- */

/* Moves one whole line from the buffer into buf. */
static bool take_line(struct plain *p, char *buf, size_t n)
{
    char *nl = memchr(p->inbuf, '\n', p->inlen);
    size_t len;
    if (!nl && !(p->eof && p->inlen > 0) && p->inlen < sizeof p->inbuf)
        return false;
    len = nl ? (size_t)(nl - p->inbuf) : p->inlen;
    size_t copy = len < n - 1 ? len : n - 1;
    memcpy(buf, p->inbuf, copy);
    buf[copy] = '\0';
    while (copy > 0 && (buf[copy - 1] == '\r' || buf[copy - 1] == ' '))
        buf[--copy] = '\0';
    size_t used = nl ? len + 1 : len;
    memmove(p->inbuf, p->inbuf + used, p->inlen - used);
    p->inlen -= used;
    return true;
}

int plain_input(struct plain *p, char *buf, size_t n, int timeout_ms)
{
    for (;;) {
        if (take_line(p, buf, n))
            return 1;
        if (p->eof)
            return -1;
        struct pollfd in = {.fd = STDIN_FILENO, .events = POLLIN};
        int ready = client_wait(p->client, &in, 1, timeout_ms);
        client_dispatch(p->client);
        if (ready > 0 && (in.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) {
            ssize_t got = read(STDIN_FILENO, p->inbuf + p->inlen, sizeof p->inbuf - p->inlen);
            if (got > 0)
                p->inlen += (size_t)got;
            else if (got == 0 || (errno != EINTR && errno != EAGAIN))
                p->eof = true;
        } else if (ready == 0 && timeout_ms >= 0) {
            return 0;
        } else if (ready < 0 && errno != EINTR) {
            p->eof = true;
        }
    }
}

int plain_ask(struct plain *p, const char *prompt, char *buf, size_t n, bool secret)
{
    struct termios old, quiet;
    bool hide = secret && p->tty_in && tcgetattr(STDIN_FILENO, &old) == 0;
    char clean[512];
    if (hide) { /* before the prompt, so an answer typed at once is not echoed either */
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    fputs(plain_clean(prompt, clean, sizeof clean), stdout);
    fputc(' ', stdout);
    fflush(stdout);
    /* at a kiosk a question left unanswered counts as the guest gone: the loop starts over */
    int rc = plain_input(p, buf, n, p->kiosk && p->idle_armed ? p->idle_ms : -1);
    if (rc == 0)
        p->idle_fired = true;
    else if (rc == 1)
        p->idle_armed = true;
    if (hide) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fputc('\n', stdout); /* the Enter the terminal did not echo */
    }
    if (!p->tty_in) /* a script's answer is not echoed by a terminal: keep lines apart */
        fputc('\n', stdout);
    fflush(stdout);
    return rc == 1;
}

bool plain_confirm(struct plain *p, const char *question)
{
    char line[64], q[2600];
    snprintf(q, sizeof q, "%s Type y to confirm, anything else cancels:", question);
    if (!plain_ask(p, q, line, sizeof line, false))
        return false;
    return strcmp(line, "y") == 0 || strcmp(line, "Y") == 0 || strcmp(line, "yes") == 0;
}

int plain_wait(struct plain *p, uint64_t id, struct plain_reply *r)
{
    if (!id) {
        client_error_set(&r->err, CLIENT_ERR_USAGE, "the request could not be made");
        return -1;
    }
    client_run_until_idle(p->client, -1); /* the client's own timeouts bound the wait */
    return r->err.status == CLIENT_OK ? 0 : -1;
}

/* ---- lists ---- */

void plain_list_more(struct plain *p)
{
    struct plain_list *l = &p->list;
    int to = l->from + PLAIN_PAGE < l->n ? l->from + PLAIN_PAGE : l->n;
    for (int i = l->from; i < to; i++)
        l->item(p, i);
    l->from = to;
    if (to < l->n)
        plain_say(p, "Shown %d of %d. Type m for more.", to, l->n);
}

void plain_list_start(struct plain *p, int n, void (*item)(struct plain *p, int i))
{
    p->list = (struct plain_list){.n = n, .from = 0, .item = item};
    plain_list_more(p);
}

void plain_no_such(struct plain *p, const char *what, int n, size_t count)
{
    if (count == 0)
        plain_say(p, "There is no %s %d: the list is empty.", what, n);
    else if (count == 1)
        plain_say(p, "There is no %s %d: type 1, the only one.", what, n);
    else
        plain_say(p, "There is no %s %d: type a number from 1 to %zu.", what, n, count);
}
