/* list_screen.h: what the list screens share: a list fetched a page at a time, its loading,
 * empty and error states, the selection, the table, and the keys that move, open and retry. */
#ifndef SETT_SCREENS_LIST_SCREEN_H
#define SETT_SCREENS_LIST_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "screens/app.h"

/* Pages of 50 are fetched one after another up to this many (a longer list is cut). */
#define LIST_SCREEN_MAX_PAGES 20

struct list_screen;

/* What one kind of list does its own way; the shared part calls these. */
struct list_screen_ops {
    size_t item_size;
    int max_pages; /* 0: LIST_SCREEN_MAX_PAGES */
    /* Starts fetching the page `q` names (a screen may add a filter) with `ls` as the callback's
     * data; the callback hands the page to list_screen_take or list_screen_fail. 0 when it
     * could not start. */
    uint64_t (*fetch)(struct list_screen *ls, struct list_query *q);
    /* The error when fetch could not start; NULL: out of memory, "could not start the request". */
    enum client_status start_status;
    const char *start_error;
    void (*clear_item)(void *item);
    const char *loading;    /* "Loading your services…" */
    const char *empty_text; /* what an empty list says, unless `empty` is set */
    /* What an empty list says when that depends (into buf, or a constant). */
    const char *(*empty)(struct list_screen *ls, char *buf, size_t n);
    enum theme_elem empty_el; /* 0: EL_NORMAL */
    /* The table's columns in order, each shown from the table width `min_width` (0: always). */
    const struct tui_column *columns;
    const int *min_width;
    int ncolumns;
    /* One cell of `item` in column `column` (an index into columns); *el is preset to the
     * normal or selected colour. */
    const char *(*cell)(struct list_screen *ls, const void *item, int column, bool sel,
                        enum theme_elem *el, char *buf, size_t n);
    /* Enter, or a click on the selected row; NULL when a row opens nothing. */
    void (*open)(struct list_screen *ls, void *item);
    /* The screen's own keys, tried after navigation and before the shared ones; TUI_IGNORED
     * for the others. NULL for none. */
    enum tui_action (*key)(struct list_screen *ls, enum tui_op op);
    bool loading_more; /* a spinner on the last row while more pages arrive */
    bool back_cancels; /* Esc stops a load under way (else it goes back) */
    bool no_nav;       /* the section keys are not this screen's (its own keys come first) */
};

struct list_screen {
    const struct list_screen_ops *ops;
    struct app *app;
    void *owner; /* the screen's view, for its callbacks */
    void *items; /* n elements of ops->item_size */
    size_t n;
    uint64_t req, reload_timer;
    unsigned gen;          /* app->account_gen when loaded */
    bool loaded;           /* the last page arrived */
    bool replacing;        /* a refresh: the items shown give way to the first page that arrives */
    struct page_meta meta; /* the last page's */
    struct client_error err;
    struct tui_list list;
    struct tui_rect rows; /* the table's rows, below its header */
    int ids[16];          /* the columns shown, as indexes into ops->columns */
};

/* Sets the list up for a screen being opened (loads nothing yet). */
void list_screen_init(struct list_screen *ls, const struct list_screen_ops *ops, struct app *app,
                      void *owner);
/* Cancels what is under way and frees the items. */
void list_screen_close(struct list_screen *ls);
/* Drops the items and fetches the list again from its first page. */
void list_screen_load(struct list_screen *ls);
/* Fetches the first page again, showing the items there are until it arrives. */
void list_screen_refresh(struct list_screen *ls);
/* A page arrived: its `*count` items move onto the list (*count becomes 0, so freeing the page
 * frees only its shell) and the next page is asked for. */
void list_screen_take(struct list_screen *ls, void *items, size_t *count,
                      const struct page_meta *meta);
/* A page failed. */
void list_screen_fail(struct list_screen *ls, const struct client_error *err);
/* The selected item, or NULL. */
void *list_screen_selected(const struct list_screen *ls);

/* The licence gate (true: it painted and nothing else shows) and, when money moved elsewhere
 * since the load, a reload. */
bool list_screen_paint_begin(struct list_screen *ls, struct tui_rect body);
/* The error, loading or empty state in `area`; true when it painted one (no table). */
bool list_screen_paint_state(struct list_screen *ls, struct tui_rect area);
/* Keeps the selection within `rows` (the table's rows below its header) and returns them. */
struct tui_rect list_screen_rows(struct list_screen *ls, struct tui_rect table);
/* The table with its header in `table`, and the spinner while more pages arrive. */
void list_screen_paint_table(struct list_screen *ls, struct tui_rect table);

/* Mouse, navigation, the screen's own keys, retry, Enter, Esc while loading, and moving. */
enum tui_action list_screen_handle(struct list_screen *ls, const struct tui_event *ev);

/* Screen operations for a screen whose private part starts with its struct list_screen. */
void list_screen_reload_op(struct screen *s);
void list_screen_close_op(struct screen *s);
/* The list alone in the body: gate, states, and the table with a margin either side. */
void list_screen_paint_op(struct screen *s, struct tui_rect body);
enum tui_action list_screen_handle_op(struct screen *s, const struct tui_event *ev);

/* Defines `name`, the client callback of a list whose pages are `struct page_type` (items, n,
 * meta) freed by `page_free`: it hands each page to the list_screen given as the request's
 * data. */
#define LIST_SCREEN_ON_PAGE(name, page_type, page_free)                                            \
    static void name(void *ud, struct page_type *pg, const struct client_error *err)               \
    {                                                                                              \
        if (pg)                                                                                    \
            list_screen_take(ud, pg->items, &pg->n, &pg->meta);                                    \
        else                                                                                       \
            list_screen_fail(ud, err);                                                             \
        page_free(&pg);                                                                            \
    }

#endif
