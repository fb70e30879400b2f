/* keymap.c: the table of operations and their default keys, and key names for hints. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "tui/keymap.h"

static const struct tui_keydef keydefs[OP_COUNT] = {
    [OP_NONE] = {OP_NONE, "none", "", "", {0, 0, 0}},
#define X(op, name, hint, help, k1, k2, k3) [op] = {op, name, hint, help, {k1, k2, k3}},
    TUI_OPS(X)
#undef X
};

const struct tui_keydef *keymap_def(enum tui_op op)
{
    if ((unsigned)op >= OP_COUNT)
        op = OP_NONE;
    return &keydefs[op];
}

static bool keydef_has(const struct tui_keydef *d, int key)
{
    for (size_t i = 0; i < sizeof d->keys / sizeof d->keys[0]; i++)
        if (d->keys[i] != 0 && d->keys[i] == key)
            return true;
    return false;
}

enum tui_op keymap_lookup(int key, const enum tui_op *allowed)
{
    if (key == 0)
        return OP_NONE;
    if (!allowed) {
        for (int op = OP_NONE + 1; op < OP_COUNT; op++)
            if (keydef_has(&keydefs[op], key))
                return (enum tui_op)op;
        return OP_NONE;
    }
    for (; *allowed != OP_NONE; allowed++)
        if ((unsigned)*allowed < OP_COUNT && keydef_has(&keydefs[*allowed], key))
            return *allowed;
    return OP_NONE;
}

static const struct {
    int key;
    const char *name;
} key_names[] = {
    {KEY_UP, "Up"},          {KEY_DOWN, "Down"},  {KEY_LEFT, "Left"},   {KEY_RIGHT, "Right"},
    {'\n', "Enter"},         {'\r', "Enter"},     {KEY_ENTER, "Enter"}, {TUI_KEY_ESC, "Esc"},
    {KEY_BACKSPACE, "Bksp"}, {127, "Bksp"},       {8, "Bksp"},          {KEY_PPAGE, "PgUp"},
    {KEY_NPAGE, "PgDn"},     {KEY_HOME, "Home"},  {KEY_END, "End"},     {' ', "Space"},
    {'\t', "Tab"},           {KEY_BTAB, "S-Tab"}, {KEY_DC, "Del"},      {KEY_IC, "Ins"},
};

const char *keymap_key_name(int key, char *buf, size_t bufsz)
{
    if (!buf || bufsz == 0)
        return "";
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (key_names[i].key == key) {
            snprintf(buf, bufsz, "%s", key_names[i].name);
            return buf;
        }
    }
    if (key > 0x20 && key < 0x7F)
        snprintf(buf, bufsz, "%c", key);
    else if (key > 0 && key < 0x20)
        snprintf(buf, bufsz, "^%c", key + '@');
    else if (key >= KEY_F(1) && key <= KEY_F(63))
        snprintf(buf, bufsz, "F%d", key - KEY_F(0));
    else
        snprintf(buf, bufsz, "#%d", key);
    return buf;
}

const char *keymap_op_key(enum tui_op op, char *buf, size_t bufsz)
{
    return keymap_key_name(keymap_def(op)->keys[0], buf, bufsz);
}
