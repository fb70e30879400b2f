/* plainmode.c: the user name, or a client without a terminal that can address the cursor, asks
 * for plain mode; the key stays the identity either way. */
#include "ssh/plainmode.h"

#include <string.h>

bool plainmode_wanted(const char *plain_user, const char *user, bool pty, const char *term)
{
    if (plain_user && *plain_user && user && strcmp(user, plain_user) == 0)
        return true;
    if (!pty)
        return true;
    return term && strcmp(term, "dumb") == 0;
}
