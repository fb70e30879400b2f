/* keymap.h: key bindings as data: one table of operations with name, help and default keys. */
#ifndef SETT_TUI_KEYMAP_H
#define SETT_TUI_KEYMAP_H

#include <stddef.h>

/* X(op, name, hint, help, key1, key2, key3) — keys are ncurses key codes or characters, 0 = none.
 * `hint` is the short footer word; `help` the help-overlay sentence. The footer and the help
 * overlay are generated from this table, so they can never lie about a key. */
#define TUI_KEY_ESC     27
#define TUI_KEY_CTRL(c) ((c)&0x1f)
#define TUI_OPS(X)                                                                                 \
    X(OP_UP, "up", "up", "Move the selection up", KEY_UP, 'k', 0)                                  \
    X(OP_DOWN, "down", "down", "Move the selection down", KEY_DOWN, 'j', 0)                        \
    X(OP_LEFT, "left", "left", "Move to the pane on the left", KEY_LEFT, 'h', 0)                   \
    X(OP_RIGHT, "right", "right", "Move to the pane on the right", KEY_RIGHT, 'l', 0)              \
    X(OP_PAGE_UP, "page-up", "pgup", "Scroll one page up", KEY_PPAGE, 0, 0)                        \
    X(OP_PAGE_DOWN, "page-down", "pgdn", "Scroll one page down", KEY_NPAGE, ' ', 0)                \
    X(OP_HOME, "home", "top", "Go to the first item", KEY_HOME, 'g', 0)                            \
    X(OP_END, "end", "end", "Go to the last item", KEY_END, 'G', 0)                                \
    X(OP_ENTER, "open", "open", "Open the selected item", '\n', '\r', KEY_ENTER)                   \
    X(OP_BACK, "back", "back", "Go back (cancels a request in flight)", TUI_KEY_ESC,               \
      KEY_BACKSPACE, 127)                                                                          \
    X(OP_SEARCH, "search", "search", "Search products by text", '/', 0, 0)                         \
    X(OP_RETRY, "retry", "retry", "Retry after an error", 'r', 0, 0)                               \
    X(OP_HELP, "help", "help", "Show the keys of this screen", '?', 0, 0)                          \
    X(OP_QUIT, "quit", "quit", "Quit sett", 'q', 0, 0)                                             \
    X(OP_LESS, "less", "less", "Choose a smaller value or the previous choice", '-', '<', 0)       \
    X(OP_MORE, "more", "more", "Choose a larger value or the next choice", '+', '>', '=')          \
    X(OP_ADD_TO_CART, "add-to-cart", "add", "Add this configuration to the cart", 'a', 0, 0)       \
    X(OP_SAVE, "save", "save", "Save the changes to this cart line", 'S', 0, 0)                    \
    X(OP_CART, "cart", "cart", "Open the cart", 'c', 0, 0)                                         \
    X(OP_CHECKOUT, "checkout", "checkout", "Check out: review the order and pay", 'o', 0, 0)       \
    X(OP_COUPON, "coupon", "coupon", "Apply a coupon code, or remove the one applied", 'C', 0, 0)  \
    X(OP_REMOVE, "remove", "remove", "Remove the selected line (asks first)", 'd', KEY_DC, 0)      \
    X(OP_EDIT, "edit", "edit", "Change the selected line, field, price or setting", 'e', 0, 0)     \
    X(OP_PAY, "pay", "pay", "Pay (shows the amount and asks first)", 'p', 0, 0)                    \
    X(OP_USE_CREDITS, "use-credits", "use credits", "Use the credit balance first, or not", 'u',   \
      0, 0)                                                                                        \
    X(OP_CANCEL_SERVICE, "cancel-service", "cancel",                                               \
      "Request cancellation, or withdraw a pending one", 'X', 0, 0)                                \
    X(OP_RENEW, "renew", "renew", "Renew early: issue the next invoice now", 'R', 0, 0)            \
    X(OP_CHANGE_PLAN, "change-plan", "change plan",                                                \
      "Change the plan: product, resources, cycle; or withdraw a waiting change", 'U', 0, 0)       \
    X(OP_FILTER, "filter", "filter", "Show the next status filter (all, paid, pending…)", 'f', 0,  \
      0)                                                                                           \
    X(OP_ADD_FUNDS, "add-funds", "add funds", "Add funds to the credit balance", 'F', 0, 0)        \
    X(OP_GO_HOME, "home-screen", "home", "Go to the home screen", 'H', 0, 0)                       \
    X(OP_STORE, "store", "store", "Open the store", 's', 0, 0)                                     \
    X(OP_SERVICES, "services", "services", "Open the account's services", 'v', 0, 0)               \
    X(OP_INVOICES, "invoices", "invoices", "Open the account's invoices", 'i', 0, 0)               \
    X(OP_CREDITS, "credits", "credits", "Open the credit balance and its history", '$', 0, 0)      \
    X(OP_ACCOUNT, "account", "account", "Sign in, or sign out of this account", 'L', 0, 0)         \
    X(OP_YES, "yes", "yes", "Yes: go ahead", 'y', 0, 0)                                            \
    X(OP_NO, "no", "no", "No: leave things as they are", 'n', 0, 0)                                \
    X(OP_FIND_CUSTOMER, "find-customer", "find",                                                   \
      "Search customers by e-mail, name, account id or SSH fingerprint", 'w', 0, 0)                \
    X(OP_ORDERS, "orders", "orders", "Open the customer's orders", 'O', 0, 0)                      \
    X(OP_ADJUST_CREDIT, "adjust-credit", "adjust",                                                 \
      "Add or remove credit: amount, reason, then confirm", 'A', 0, 0)                             \
    X(OP_REFUND, "refund", "refund",                                                               \
      "Refund the selected paid invoice: amount, where to, reason, then confirm", 'E', 0, 0)       \
    X(OP_RELEASE, "release", "release",                                                            \
      "Accept the invoice's held payment as paid with what arrived: reason, then confirm", 'K', 0, \
      0)                                                                                           \
    X(OP_SUSPEND, "suspend", "suspend",                                                            \
      "Suspend the selected service, or unsuspend it: reason, then confirm", 'Z', 0, 0)            \
    X(OP_APPROVE, "approve", "approve",                                                            \
      "Approve the selected order awaiting approval: reason, then confirm", 'P', 0, 0)             \
    X(OP_CATALOG, "catalog", "catalog",                                                            \
      "Open the catalog: categories, products, stock and prices", 'T', 0, 0)                       \
    X(OP_COUPONS, "coupons", "coupons", "Open the coupons and their uses", 'N', 0, 0)              \
    X(OP_SETTINGS, "settings", "settings", "Open the shop's billing settings", 'B', 0, 0)          \
    X(OP_RESTOCK, "restock", "restock",                                                            \
      "Restock the selected product: how many (Enter takes the default), then confirm", 't', 0, 0) \
    X(OP_CREATE, "new", "new", "Create a new one here: its fields, then confirm", 'I', 0, 0)       \
    X(OP_TOGGLE_VISIBLE, "hide", "hide/show",                                                      \
      "Hide the selected item from the store, or show it again: reason, then confirm", 'V', 0, 0)  \
    X(OP_DISABLE, "disable", "disable/enable",                                                     \
      "Disable the selected coupon, or enable it again: then confirm", 'D', 0, 0)                  \
    X(OP_APPLY_PRICES, "apply-prices", "apply prices",                                             \
      "Move the product's existing services to its current prices from their next renewal", 'M',   \
      0, 0)

enum tui_op {
    OP_NONE = 0,
#define X(op, name, hint, help, k1, k2, k3) op,
    TUI_OPS(X)
#undef X
        OP_COUNT
};

struct tui_keydef {
    enum tui_op op;
    const char *name;
    const char *hint;
    const char *help;
    int keys[3];
};

/* The constant table, indexed by op (entry 0 is OP_NONE). */
const struct tui_keydef *keymap_def(enum tui_op op);
/* Resolves a key code to an op among `allowed` (terminated by OP_NONE); NULL allows every op. */
enum tui_op keymap_lookup(int key, const enum tui_op *allowed);
/* Human name of a key: "Enter", "Esc", "Up", "k", "/", "PgDn", "Space" … */
const char *keymap_key_name(int key, char *buf, size_t bufsz);
/* The name of the first key bound to `op`, for a sentence that names it ("U withdraws …"). */
const char *keymap_op_key(enum tui_op op, char *buf, size_t bufsz);

#endif
