/* toy_list.c: the rendering baseline: a plain ncurses list painted the idiomatic way. */
#include <locale.h>
#include <ncurses.h>
#include <stdio.h>
#include <string.h>

#include "bench_items.h"

#define PAIR_PRICE 1

struct toy {
    int selected;
    int top;
    bool color;
};

static int list_rows(void)
{
    return LINES - 2; /* a title row above, a key row below */
}

static void keep_visible(struct toy *t)
{
    int rows = list_rows();
    if (t->selected < t->top)
        t->top = t->selected;
    if (rows > 0 && t->selected >= t->top + rows)
        t->top = t->selected - rows + 1;
}

static void paint_row(const struct toy *t, int y, int i)
{
    char name[64], price[32];
    int64_t cents = bench_item_price(i);
    bool sel = i == t->selected;

    bench_item_name(i, name, sizeof name);
    snprintf(price, sizeof price, "from $%lld.%02lld/mo", (long long)(cents / 100),
             (long long)(cents % 100));
    int px = COLS - 2 - (int)strlen(price);
    if (sel) {
        attron(A_REVERSE);
        mvhline(y, 0, ' ', COLS);
    }
    mvaddnstr(y, 2, name, px - 4);
    if (t->color && !sel)
        attron(COLOR_PAIR(PAIR_PRICE));
    mvaddstr(y, px, price);
    attrset(A_NORMAL);
}

/* Erase, draw everything, refresh: ncurses sends only what differs from the last frame. */
static void paint(const struct toy *t)
{
    erase();
    attron(A_BOLD);
    mvprintw(0, 1, "Toy list · %d items", BENCH_ITEMS);
    attroff(A_BOLD);
    for (int y = 0; y < list_rows() && t->top + y < BENCH_ITEMS; y++)
        paint_row(t, 1 + y, t->top + y);
    mvaddstr(LINES - 1, 1, "j/k move  q quit");
    refresh();
}

int main(int argc, char **argv)
{
    struct toy t = {.selected = 0, .top = 0, .color = argc > 1 && !strcmp(argv[1], "--color")};

    if (argc > 1 && !strcmp(argv[1], "--version")) { /* the benchmark's cost of exec alone */
        puts("toy_list");
        return 0;
    }
    setlocale(LC_ALL, "");
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    if (t.color && has_colors()) {
        start_color();
        use_default_colors();
        init_pair(PAIR_PRICE, COLOR_GREEN, -1);
    }
    paint(&t);
    for (int ch; (ch = getch()) != 'q' && ch != ERR;) {
        if ((ch == 'j' || ch == KEY_DOWN) && t.selected + 1 < BENCH_ITEMS)
            t.selected++;
        else if ((ch == 'k' || ch == KEY_UP) && t.selected > 0)
            t.selected--;
        keep_visible(&t);
        paint(&t);
    }
    endwin();
    return 0;
}
