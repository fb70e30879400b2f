/* plainmode.h: whether a session runs sett's plain mode (lines of text, no escapes) rather than
 * the full-screen storefront. */
#ifndef SETT_SSH_PLAINMODE_H
#define SETT_SSH_PLAINMODE_H

#include <stdbool.h>

#define PLAINMODE_USER_DEFAULT "plain"

/* True when the client signed in as `plain_user` (NULL or "": no such name), asked for no
 * terminal (`pty` false), or asked for one of type "dumb" (`term` as the client sent it). */
bool plainmode_wanted(const char *plain_user, const char *user, bool pty, const char *term);

#endif
