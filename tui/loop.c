/* loop.c: curses setup and teardown, and the event loop: wait, read input, dispatch, repaint. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "tui/internal.h"

#define TUI_ESCDELAY_MS 25
#define TUI_MAX_SIDE    1000 /* a terminal larger than this is a lie or an attack on our memory */

/* The write end of the signal self-pipe: the one thing a signal handler can reach. One byte
 * per signal says which: 'w' SIGWINCH, 't' SIGTERM (quit, restoring the terminal), 'u' SIGUSR1
 * (the application's notice, e.g. settd's idle warning), 'r' SIGUSR2 (settd is restarting). */
static volatile int winch_fd = -1;
/* SIGUSR2's value when sent with sigqueue: the seconds left; -1 when not given */
static volatile sig_atomic_t restart_seconds = -1;

static void on_winch(int sig)
{
    int saved = errno;
    char b = sig == SIGTERM ? 't' : sig == SIGUSR1 ? 'u' : 'w';

    if (winch_fd >= 0 && write(winch_fd, &b, 1) < 0) {
        /* pipe full: a wake-up is already pending, which is all this is for */
    }
    errno = saved;
}

static void on_restart(int sig, siginfo_t *si, void *uc)
{
    int saved = errno;
    char b = 'r';

    (void)sig;
    (void)uc;
    restart_seconds = si && si->si_code == SI_QUEUE ? si->si_value.sival_int : -1;
    if (winch_fd >= 0 && write(winch_fd, &b, 1) < 0) {
        /* pipe full: a wake-up is already pending */
    }
    errno = saved;
}

int64_t loop_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static bool color_wanted(const struct tui_config *cfg)
{
    const char *nc = getenv("NO_COLOR");

    return !cfg->no_color && !(nc && nc[0]);
}

static void theme_setup(struct tui *t)
{
    char why[256];
    const char *name = t->cfg.theme ? t->cfg.theme : "default";

    if (theme_load(&t->theme, name, why, sizeof why) == 0)
        return;
    /* a broken user theme should not lock anyone out of the shop: say so and carry on */
    tui_status(t, "Theme: %s", why);
    if (theme_load(&t->theme, "default", why, sizeof why) < 0)
        theme_parse(&t->theme, "", why, sizeof why);
}

/* Terminals (and multiplexers between them and us) do not all honour the keypad mode terminfo
 * asks for; a cursor key in the other mode must not arrive as Esc followed by letters. */
static void keys_define_both_modes(void)
{
    static const struct {
        const char *seq;
        int key;
    } alt[] = {
        {"\033[A", KEY_UP},    {"\033[B", KEY_DOWN}, {"\033[C", KEY_RIGHT}, {"\033[D", KEY_LEFT},
        {"\033[H", KEY_HOME},  {"\033[F", KEY_END},  {"\033OA", KEY_UP},    {"\033OB", KEY_DOWN},
        {"\033OC", KEY_RIGHT}, {"\033OD", KEY_LEFT}, {"\033OH", KEY_HOME},  {"\033OF", KEY_END},
    };

    for (size_t i = 0; i < sizeof alt / sizeof alt[0]; i++)
        if (key_defined(alt[i].seq) == 0)
            define_key(alt[i].seq, alt[i].key);
}

static const int stop_signals[3] = {SIGINT, SIGQUIT, SIGTSTP};

/* Raw mode keeps the terminal from sending these; ignoring them also stops a `kill` from outside
 * (and keeps ncurses from installing its own handlers, which it does only over SIG_DFL). */
static int stop_signals_ignore(struct tui *t)
{
    struct sigaction ign;

    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    for (int i = 0; i < 3; i++)
        if (sigaction(stop_signals[i], &ign, &t->old_stop[i]) < 0)
            return -1;
    t->stop_ignored = true;
    return 0;
}

/* ncurses asks the GPM daemon for the mouse whenever TERM names "linux". GPM is the mouse of
 * this machine's own text console: on a pseudo-terminal (an SSH session from a Linux console,
 * a terminal emulator saying TERM=linux) it is someone else's mouse, or no daemon at all. Unless
 * the user chose otherwise, GPM is left to sessions on a virtual console (/dev/ttyN). */
static void gpm_only_on_console(void)
{
    const char *tty = ttyname(STDIN_FILENO);
    bool console = tty && strncmp(tty, "/dev/tty", 8) == 0 && tty[8] >= '0' && tty[8] <= '9';

    if (!console)
        setenv("NCURSES_GPM_TERMS", "", 0);
}

struct tui *tui_new(const struct tui_config *cfg, char *err, size_t errsz)
{
    static const struct tui_config none;
    struct tui *t = calloc(1, sizeof *t);
    struct sigaction sa;

    if (!t) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    t->cfg = cfg ? *cfg : none;
    t->sigpipe[0] = t->sigpipe[1] = -1;
    if (winch_fd >= 0) {
        snprintf(err, errsz, "the terminal interface is already running");
        goto fail;
    }
    if (pipe2(t->sigpipe, O_NONBLOCK | O_CLOEXEC) < 0) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        goto fail;
    }
    winch_fd = t->sigpipe[1];
    /* installed before newterm so ncurses leaves SIGWINCH to us */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_winch;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGWINCH, &sa, &t->old_winch) < 0 || sigaction(SIGTERM, &sa, &t->old_term) < 0 ||
        sigaction(SIGUSR1, &sa, &t->old_usr1) < 0) {
        snprintf(err, errsz, "sigaction: %s", strerror(errno));
        goto fail;
    }
    sa.sa_flags = SA_RESTART | SA_SIGINFO;
    sa.sa_sigaction = on_restart;
    if (sigaction(SIGUSR2, &sa, &t->old_usr2) < 0) {
        sigaction(SIGWINCH, &t->old_winch, NULL);
        sigaction(SIGTERM, &t->old_term, NULL);
        sigaction(SIGUSR1, &t->old_usr1, NULL);
        snprintf(err, errsz, "sigaction: %s", strerror(errno));
        goto fail;
    }
    t->winch_installed = true;
    if (t->cfg.raw && stop_signals_ignore(t) < 0) {
        snprintf(err, errsz, "sigaction: %s", strerror(errno));
        goto fail;
    }
    t->scr = newterm(NULL, stdout, stdin);
    if (!t->scr) {
        const char *term = getenv("TERM");
        snprintf(err, errsz, "cannot use the terminal (TERM=%s)", term ? term : "unset");
        goto fail;
    }
    set_term(t->scr);
    if (t->cfg.raw)
        raw();
    else
        cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    idlok(stdscr, TRUE); /* let doupdate scroll regions instead of repainting moved rows */
    keys_define_both_modes();
    set_escdelay(TUI_ESCDELAY_MS);
    wtimeout(stdscr, 0);
    t->cursor_on = curs_set(1) != ERR; /* shown on the selection (chrome_paint parks it) */
    t->utf8 = tui_codeset_utf8(nl_langinfo(CODESET));
    t->repl = wcwidth(0xFFFD) == 1 ? 0xFFFD : L'?';
    t->color = color_wanted(&t->cfg) && has_colors() && start_color() == OK && COLORS >= 8;
    t->rows = LINES;
    t->cols = COLS;
    t->clip = (struct tui_rect){0, 0, t->rows, t->cols};
    theme_setup(t);
    palette_setup(t);
    if (t->cfg.mouse) {
        gpm_only_on_console();
        mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
        mouseinterval(0); /* report presses at once instead of waiting to see a click */
    }
    return t;
fail:
    tui_free(&t);
    return NULL;
}

void tui_free(struct tui **tp)
{
    struct tui *t;

    if (!tp || !*tp)
        return;
    t = *tp;
    stack_free_all(t);
    if (t->scr) {
        endwin();
        delscreen(t->scr);
    }
    if (t->winch_installed) {
        sigaction(SIGWINCH, &t->old_winch, NULL);
        sigaction(SIGTERM, &t->old_term, NULL);
        sigaction(SIGUSR1, &t->old_usr1, NULL);
        sigaction(SIGUSR2, &t->old_usr2, NULL);
    }
    for (int i = 0; t->stop_ignored && i < 3; i++)
        sigaction(stop_signals[i], &t->old_stop[i], NULL);
    if (t->sigpipe[1] >= 0 && winch_fd == t->sigpipe[1])
        winch_fd = -1;
    for (int i = 0; i < 2; i++)
        if (t->sigpipe[i] >= 0)
            close(t->sigpipe[i]);
    free(t);
    *tp = NULL;
}

/* Idempotent: a SIGWINCH and a KEY_RESIZE for the same change resize once. A SIGWINCH always
 * repaints (`signalled`): the terminal may have been resized and back before this looked, and
 * whatever it cropped or reflowed meanwhile is only put right by a whole new frame. */
static void loop_resize(struct tui *t, bool signalled)
{
    struct winsize ws;
    int rows = LINES, cols = COLS;

    if ((ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) &&
        ws.ws_row > 0 && ws.ws_col > 0) {
        rows = ws.ws_row < TUI_MAX_SIDE ? ws.ws_row : TUI_MAX_SIDE;
        cols = ws.ws_col < TUI_MAX_SIDE ? ws.ws_col : TUI_MAX_SIDE;
    }
    if (rows != LINES || cols != COLS)
        resize_term(rows, cols);
    if (signalled || LINES != t->rows || COLS != t->cols) {
        t->rows = LINES;
        t->cols = COLS;
        /* the terminal reflowed its contents as it liked: repaint everything, once */
        clearok(curscr, TRUE);
        t->dirty = true;
    }
}

static bool mouse_event(struct tui_event *ev)
{
    MEVENT me;

    if (getmouse(&me) != OK)
        return false;
    ev->kind = TUI_EV_MOUSE;
    ev->key = KEY_MOUSE;
    ev->y = me.y;
    ev->x = me.x;
    if (me.bstate & BUTTON4_PRESSED)
        ev->mouse = TUI_MOUSE_WHEEL_UP;
    else if (me.bstate & BUTTON5_PRESSED)
        ev->mouse = TUI_MOUSE_WHEEL_DOWN;
    else if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
        ev->mouse = TUI_MOUSE_CLICK;
    else
        return false;
    return true;
}

/* The screen's own ops first, then the global ones. */
static enum tui_op event_op(const struct screen *s, const struct tui_event *ev)
{
    static const enum tui_op globals[] = {OP_HELP, OP_QUIT, OP_BACK, OP_NONE};
    enum tui_op op = OP_NONE;

    if (ev->is_char && ev->key >= KEY_MIN)
        return OP_NONE; /* a character whose code point collides with a KEY_* code */
    if (s->ops->keys)
        op = keymap_lookup(ev->key, s->ops->keys);
    if (op == OP_NONE)
        op = keymap_lookup(ev->key, globals);
    return tui_op_enabled(s->tui, op) ? op : OP_NONE;
}

void tui_disable_ops(struct tui *t, const enum tui_op *ops)
{
    if (!t)
        return;
    memset(t->op_off, 0, sizeof t->op_off);
    for (; ops && *ops != OP_NONE; ops++)
        if ((unsigned)*ops < OP_COUNT)
            t->op_off[*ops] = true;
    t->dirty = true;
}

bool tui_op_enabled(const struct tui *t, enum tui_op op)
{
    return !t || (unsigned)op >= OP_COUNT || !t->op_off[op];
}

void tui_set_input_hook(struct tui *t, tui_input_hook fn, void *ud)
{
    if (!t)
        return;
    t->input_hook = fn;
    t->input_hook_ud = ud;
}

static void event_global(struct tui *t, struct screen *s, enum tui_op op)
{
    switch (op) {
    case OP_HELP:
        t->help_open = true;
        break;
    case OP_QUIT:
        t->quit = true;
        break;
    case OP_BACK:
        if (t->depth > 1) /* the first screen has nowhere to go back to */
            stack_remove(t, s);
        break;
    default:
        break;
    }
}

static void event_dispatch(struct tui *t, struct tui_event *ev)
{
    struct screen *s = tui_top(t);
    enum tui_action act;

    if (t->input_hook) {
        bool swallowed;
        t->busy++; /* the hook may reset the stack */
        swallowed = t->input_hook(t->input_hook_ud, ev);
        t->busy--;
        stack_reap(t);
        t->dirty = true;
        if (swallowed)
            return;
        s = tui_top(t);
    }
    t->dirty = true;
    if (ev->kind == TUI_EV_KEY)
        t->status[0] = '\0'; /* a message stays until the next key */
    if (t->help_open) {
        if (ev->kind == TUI_EV_KEY || ev->mouse == TUI_MOUSE_CLICK)
            t->help_open = false;
        return;
    }
    if (t->prompt.open) {
        prompt_handle(t, ev);
        return;
    }
    if (!s)
        return;
    if (ev->kind == TUI_EV_KEY)
        ev->op = event_op(s, ev);
    t->busy++;
    act = s->ops->handle(s, ev);
    t->busy--;
    switch (act) {
    case TUI_IGNORED:
        event_global(t, s, ev->op);
        break;
    case TUI_CLOSE:
        stack_remove(t, s); /* s itself, even if it pushed another screen meanwhile */
        break;
    case TUI_QUIT:
        t->quit = true;
        break;
    case TUI_HANDLED:
        break;
    }
    stack_reap(t);
}

static void input_drain(struct tui *t)
{
    wint_t wc;
    int r;

    while (!t->quit && t->depth > 0 && (r = wget_wch(stdscr, &wc)) != ERR) {
        struct tui_event ev = {.kind = TUI_EV_KEY, .key = (int)wc, .is_char = r == OK};
        if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
            loop_resize(t, false);
            continue;
        }
        if (r == KEY_CODE_YES && wc == KEY_MOUSE && !mouse_event(&ev))
            continue;
        event_dispatch(t, &ev);
    }
}

void tui_request_tick(struct tui *t, int ms)
{
    int64_t at;

    if (!t || t->cfg.no_animation)
        return;
    at = loop_now() + (int64_t)(ms > 0 ? ms : 0) * 1000000;
    if (!t->tick_pending || at < t->tick_deadline) {
        t->tick_deadline = at;
        t->tick_pending = true;
    }
}

unsigned tui_frame(const struct tui *t)
{
    return t ? t->frame : 0;
}

void tui_quit(struct tui *t)
{
    if (t)
        t->quit = true;
}

/* -1 (sleep until input) unless a tick is due; rounded up, since waking early would spin. */
static int tick_timeout(const struct tui *t)
{
    int64_t left;

    if (!t->tick_pending)
        return -1;
    left = t->tick_deadline - loop_now();
    if (left <= 0)
        return 0;
    left = (left + 999999) / 1000000;
    return left > 1000000 ? 1000000 : (int)left;
}

static void tick_fire(struct tui *t)
{
    if (t->tick_pending && loop_now() >= t->tick_deadline) {
        t->tick_pending = false;
        t->frame++;
        t->dirty = true;
    }
}

static void loop_signals(struct tui *t, const struct tui_backend *be)
{
    char drain[64];
    bool resize = false, notice = false, restart = false;
    ssize_t n;

    while ((n = read(t->sigpipe[0], drain, sizeof drain)) > 0)
        for (ssize_t i = 0; i < n; i++) {
            if (drain[i] == 't')
                t->quit = true; /* tui_free restores the terminal on the way out */
            else if (drain[i] == 'u')
                notice = true;
            else if (drain[i] == 'r')
                restart = true;
            else
                resize = true;
        }
    if (resize)
        loop_resize(t, true);
    if (notice && be->notice) {
        be->notice(be->ud, TUI_NOTICE_IDLE, -1);
        t->dirty = true;
    }
    if (restart && be->notice) {
        be->notice(be->ud, TUI_NOTICE_RESTART, (int)restart_seconds);
        t->dirty = true;
    }
}

int tui_run(struct tui *t)
{
    struct pollfd fds[2];
    const struct tui_backend *be;
    int n;

    if (!t || !t->scr)
        return -1;
    be = &t->cfg.backend;
    t->quit = false;
    t->dirty = true;
    while (!t->quit && t->depth > 0) {
        if (t->dirty) {
            t->dirty = false;
            chrome_paint(t);
        }
        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = t->sigpipe[0], .events = POLLIN};
        n = be->wait ? be->wait(be->ud, fds, 2, tick_timeout(t)) : poll(fds, 2, tick_timeout(t));
        if (n < 0 && errno != EINTR)
            return -1;
        if (be->dispatch) {
            t->busy++;
            be->dispatch(be->ud);
            t->busy--;
            stack_reap(t);
            t->dirty = true; /* completions changed what the screens show */
        }
        if (n > 0 && (fds[1].revents & POLLIN))
            loop_signals(t, be);
        if (n > 0 && (fds[0].revents & POLLIN))
            input_drain(t);
        if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)))
            return -1; /* the terminal is gone (e.g. the SSH session closed) */
        tick_fire(t);
    }
    return 0;
}
