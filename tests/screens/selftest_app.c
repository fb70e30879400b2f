/* selftest_app.c: a small ncurses program that the harness self-test drives in place of sett. */
#include <locale.h>
#include <ncurses.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MIN_COLS 20
#define MIN_ROWS 6

static int downs;
static char typed[64];

static void paint(void)
{
    erase();
    if (COLS < MIN_COLS || LINES < MIN_ROWS) {
        mvaddnstr(0, 0, "Terminal too small", COLS);
        refresh();
        return;
    }
    mvprintw(0, 0, "selftest %dx%d", COLS, LINES);
    attron(COLOR_PAIR(1) | A_BOLD);
    mvaddstr(2, 0, "red text");
    attroff(COLOR_PAIR(1) | A_BOLD);
    mvaddwstr(3, 0, L"wide: \u65e5\u672c\u8a9e end");
    mvaddstr(5, 10, "moved here");
    mvprintw(LINES - 2, 0, "down: %d typed: %s", downs, typed);
    mvaddstr(LINES - 1, 0, "q quit");
    mvaddstr(LINES - 1, COLS - 5, "right");
    refresh();
}

int main(void)
{
    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    if (has_colors()) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_RED, -1);
    }
    paint();
    for (;;) {
        int ch = getch();
        if (ch == 'q')
            break;
        if (ch == 'e') { /* exit without restoring the terminal, with status 3 */
            fflush(stdout);
            _exit(3);
        }
        if (ch == 'm') { /* mouse reporting on, as sett does */
            mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED, NULL);
            continue;
        }
        if (ch == 't') { /* sets the window title behind curses' back */
            fputs("\033]2;selftest-title\007", stdout);
            fflush(stdout);
            continue;
        }
        if (ch == KEY_DOWN)
            downs++;
        else if (ch == KEY_UP)
            downs--;
        else if (ch >= ' ' && ch < 127 && strlen(typed) + 1 < sizeof typed)
            typed[strlen(typed)] = (char)ch;
        paint();
    }
    endwin();
    return 0;
}
