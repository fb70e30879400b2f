/* screens.h: the screen registry: every screen's operations, for pushing from anywhere. */
#ifndef SETT_SCREENS_H
#define SETT_SCREENS_H

#include "tui/tui.h"

extern const struct screen_ops store_screen;   /* arg: NULL */
extern const struct screen_ops product_screen; /* arg: const char *id_or_slug (copied) */

#endif
