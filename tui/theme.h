/* theme.h: named theme elements, theme files (INI), mono fallback and NO_COLOR. */
#ifndef SETT_TUI_THEME_H
#define SETT_TUI_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* X(elem, name, mono) — `mono` is the attribute used without colour: one of the TM_* below. */
#define TM_NORMAL    0
#define TM_BOLD      1
#define TM_REVERSE   2
#define TM_UNDERLINE 4
#define TM_DIM       8
#define TM_ITALIC    16 /* where the terminal has it */
#define TM_STANDOUT  32
#define THEME_ELEMENTS(X)                                                                          \
    X(EL_NORMAL, "normal", TM_NORMAL)                                                              \
    X(EL_TITLE, "title", TM_BOLD)                                                                  \
    X(EL_HEADER, "header", TM_REVERSE)                                                             \
    X(EL_BADGE, "badge", TM_REVERSE | TM_BOLD)                                                     \
    X(EL_DIM, "dim", TM_DIM)                                                                       \
    X(EL_SELECTED, "selected", TM_REVERSE)                                                         \
    X(EL_SELECTED_DIM, "selected.inactive", TM_UNDERLINE)                                          \
    X(EL_CATEGORY, "category", TM_NORMAL)                                                          \
    X(EL_PRODUCT_NAME, "product.name", TM_BOLD)                                                    \
    X(EL_PRICE, "price", TM_BOLD)                                                                  \
    X(EL_PRICE_FROM, "price.from", TM_DIM)                                                         \
    X(EL_RESOURCE, "resource", TM_NORMAL)                                                          \
    X(EL_STOCK_OK, "stock.ok", TM_NORMAL)                                                          \
    X(EL_STOCK_LOW, "stock.low", TM_BOLD)                                                          \
    X(EL_STOCK_SOLDOUT, "stock.soldout", TM_REVERSE)                                               \
    X(EL_LABEL, "label", TM_DIM)                                                                   \
    X(EL_TABLE_HEADER, "table.header", TM_UNDERLINE | TM_BOLD)                                     \
    X(EL_STATUS, "status", TM_NORMAL)                                                              \
    X(EL_FOOTER_KEY, "footer.key", TM_BOLD)                                                        \
    X(EL_FOOTER_TEXT, "footer.text", TM_NORMAL)                                                    \
    X(EL_HELP, "help", TM_NORMAL)                                                                  \
    X(EL_HELP_KEY, "help.key", TM_BOLD)                                                            \
    X(EL_BORDER, "border", TM_NORMAL)                                                              \
    X(EL_SPINNER, "spinner", TM_BOLD)                                                              \
    X(EL_ERROR, "error", TM_BOLD | TM_REVERSE)                                                     \
    X(EL_PROMPT, "prompt", TM_BOLD)                                                                \
    X(EL_STATUS_ACTIVE, "status.active", TM_BOLD)                                                  \
    X(EL_STATUS_PENDING, "status.pending", TM_NORMAL)                                              \
    X(EL_STATUS_SUSPENDED, "status.suspended", TM_REVERSE)                                         \
    X(EL_STATUS_OVERDUE, "status.overdue", TM_BOLD | TM_UNDERLINE)                                 \
    X(EL_STATUS_CANCELLED, "status.cancelled", TM_DIM)                                             \
    X(EL_SANDBOX, "sandbox", TM_BOLD | TM_REVERSE)

enum theme_elem {
#define X(el, name, mono) el,
    THEME_ELEMENTS(X)
#undef X
        EL_COUNT
};

/* Colour names: default, black, red, green, yellow, blue, magenta, cyan, white, and
 * bright-<name>, or a number 0-255. */
struct theme_style {
    short fg, bg;   /* -1 = terminal default */
    unsigned attrs; /* TM_* bits */
    bool set;       /* false: inherit from "normal" */
};

struct theme {
    char name[32];
    struct theme_style styles[EL_COUNT];
};

const char *theme_elem_name(enum theme_elem e);
int theme_elem_lookup(const char *name); /* -1 if unknown */
unsigned theme_elem_mono(enum theme_elem e);

/* Theme file format (INI):
 *   [theme]
 *   name = default
 *   [elements]
 *   title = bold cyan           ; <attrs...> <fg> [on <bg>]
 *   price = green on default
 * Unknown elements, colours or attributes are errors naming the line. Returns 0 or -1 with `err`.
 */
int theme_parse(struct theme *t, const char *text, char *err, size_t errsz);
/* Built-in themes embedded at build time from themes/ (NULL if no such name). */
const char *theme_builtin(const char *name);
const char *const *theme_builtin_names(void);
/* Loads NAME: $XDG_CONFIG_HOME/sett/themes/NAME.ini if present, else the built-in one. */
int theme_load(struct theme *t, const char *name, char *err, size_t errsz);

#endif
