/* kiosk_options.h: the settings of kiosk mode ([kiosk] in config.ini, --kiosk* flags,
 * SETT_KIOSK_* environment) and the quit chord's notation ("C-x C-q"). */
#ifndef SETT_SCREENS_KIOSK_OPTIONS_H
#define SETT_SCREENS_KIOSK_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define KIOSK_IDLE_DEFAULT_S  120
#define KIOSK_IDLE_MAX_S      86400
#define KIOSK_QUIT_DEFAULT    "C-x C-q"
#define KIOSK_CHORD_MAX       3
#define KIOSK_CHORD_WINDOW_MS 2000 /* between one key of the chord and the next */

enum kiosk_checkout {
    KIOSK_CHECKOUT_OFF,     /* browse and fill the cart; no checkout */
    KIOSK_CHECKOUT_SANDBOX, /* checkout through the gateway's sandbox only, never with credits */
};

struct kiosk_options {
    bool enabled;
    /* As given (file, then flag, then environment where there is one); checked by finish. */
    char checkout_text[32];
    char idle_text[32];
    char quit[64];
    char email[256];
    char password[256];
    char name[96]; /* the shop's name on the attract screen */
    /* Parsed by kiosk_options_finish. */
    enum kiosk_checkout checkout;
    int idle_s;
    int quit_keys[KIOSK_CHORD_MAX];
    int n_quit_keys;
};

void kiosk_options_defaults(struct kiosk_options *k);
/* One `name = value` of the [kiosk] section; unknown names are ignored (newer files load). */
void kiosk_options_ini(struct kiosk_options *k, const char *name, const char *value);
/* After the flags: SETT_KIOSK_EMAIL and SETT_KIOSK_PASSWORD, then every value checked. Returns
 * -1 with a sentence naming the setting in `err`. */
int kiosk_options_finish(struct kiosk_options *k, char *err, size_t errsz);
/* "C-x C-q", "F10", "C-x k": up to KIOSK_CHORD_MAX keys separated by spaces, each C-<letter>,
 * F1-F12 or one printable ASCII character. Ctrl-C, Ctrl-Z and Ctrl-\ are refused: a kiosk
 * swallows them. Returns the number of keys, or -1 with the reason in `err`. */
int kiosk_chord_parse(const char *text, int *keys, int max, char *err, size_t errsz);

#endif
