/* kiosk_options.c: kiosk mode's settings from config.ini, flags and SETT_KIOSK_* environment. */
#include "screens/kiosk_options.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/keymap.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

void kiosk_options_defaults(struct kiosk_options *k)
{
    memset(k, 0, sizeof *k);
    copy(k->checkout_text, sizeof k->checkout_text, "off");
    snprintf(k->idle_text, sizeof k->idle_text, "%d", KIOSK_IDLE_DEFAULT_S);
    copy(k->quit, sizeof k->quit, KIOSK_QUIT_DEFAULT);
    copy(k->name, sizeof k->name, "Game server store");
}

void kiosk_options_ini(struct kiosk_options *k, const char *name, const char *value)
{
    if (strcmp(name, "checkout") == 0)
        copy(k->checkout_text, sizeof k->checkout_text, value);
    else if (strcmp(name, "idle") == 0)
        copy(k->idle_text, sizeof k->idle_text, value);
    else if (strcmp(name, "quit") == 0)
        copy(k->quit, sizeof k->quit, value);
    else if (strcmp(name, "email") == 0)
        copy(k->email, sizeof k->email, value);
    else if (strcmp(name, "password") == 0)
        copy(k->password, sizeof k->password, value);
    else if (strcmp(name, "name") == 0)
        copy(k->name, sizeof k->name, value);
}

static int chord_key(const char *tok, size_t len, int *key)
{
    char buf[16];
    if (len == 0 || len >= sizeof buf)
        return -1;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    if (len == 1 && buf[0] > 0x20 && buf[0] < 0x7f) {
        *key = buf[0];
        return 0;
    }
    if (len == 3 && (buf[0] == 'C' || buf[0] == 'c') && buf[1] == '-') {
        char c = buf[2];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            return -1;
        *key = TUI_KEY_CTRL(c);
        return 0;
    }
    if ((buf[0] == 'F' || buf[0] == 'f') && len <= 3) {
        char *end;
        long n = strtol(buf + 1, &end, 10);
        if (*end || n < 1 || n > 12)
            return -1;
        *key = KEY_F((int)n);
        return 0;
    }
    return -1;
}

int kiosk_chord_parse(const char *text, int *keys, int max, char *err, size_t errsz)
{
    int n = 0;
    const char *p = text ? text : "";
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        int key;
        if (n == max) {
            snprintf(err, errsz, "at most %d keys", max);
            return -1;
        }
        if (chord_key(p, len, &key) != 0) {
            snprintf(err, errsz, "'%.*s' is not a key (write C-x, F10 or one character)",
                     (int)(len > 16 ? 16 : len), p);
            return -1;
        }
        if (key == TUI_KEY_CTRL('c') || key == TUI_KEY_CTRL('z')) {
            snprintf(err, errsz, "C-c and C-z are swallowed in kiosk mode; choose other keys");
            return -1;
        }
        keys[n++] = key;
        p += len;
    }
    if (n == 0) {
        snprintf(err, errsz, "no keys given");
        return -1;
    }
    return n;
}

int kiosk_options_finish(struct kiosk_options *k, char *err, size_t errsz)
{
    const char *env;
    char why[128];
    if ((env = getenv("SETT_KIOSK_EMAIL")) && *env)
        copy(k->email, sizeof k->email, env);
    if ((env = getenv("SETT_KIOSK_PASSWORD")) && *env)
        copy(k->password, sizeof k->password, env);
    if (strcasecmp(k->checkout_text, "off") == 0) {
        k->checkout = KIOSK_CHECKOUT_OFF;
    } else if (strcasecmp(k->checkout_text, "sandbox") == 0) {
        k->checkout = KIOSK_CHECKOUT_SANDBOX;
    } else {
        snprintf(err, errsz, "kiosk checkout must be off or sandbox, not '%s'", k->checkout_text);
        return -1;
    }
    char *end;
    errno = 0;
    long idle = strtol(k->idle_text, &end, 10);
    if (errno || end == k->idle_text || *end || idle < 1 || idle > KIOSK_IDLE_MAX_S) {
        snprintf(err, errsz, "kiosk idle must be a number of seconds from 1 to %d, not '%s'",
                 KIOSK_IDLE_MAX_S, k->idle_text);
        return -1;
    }
    k->idle_s = (int)idle;
    k->n_quit_keys = kiosk_chord_parse(k->quit, k->quit_keys, KIOSK_CHORD_MAX, why, sizeof why);
    if (k->n_quit_keys < 0) {
        snprintf(err, errsz, "kiosk quit chord '%s': %s", k->quit, why);
        return -1;
    }
    if (!k->email[0] != !k->password[0]) {
        snprintf(err, errsz, "the kiosk's guest account needs both an e-mail and a password");
        return -1;
    }
    return 0;
}
