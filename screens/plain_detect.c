/* plain_detect.c: whether the terminal calls for plain mode (no cursor addressing) or the
 * customer asked for it (ACCESSIBLE). */
#include "screens/plain.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>

bool plain_wanted(void)
{
    const char *acc = getenv("ACCESSIBLE");
    const char *term = getenv("TERM");
    int err = 0;
    if (acc && *acc)
        return true;
    if (!term || !*term || strcmp(term, "dumb") == 0)
        return true;
    /* terminfo's own answer: a terminal without cursor addressing cannot hold a full screen */
    if (setupterm(term, STDOUT_FILENO, &err) != OK)
        return true;
    const char *cup = tigetstr("cup");
    bool addressable = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    return !addressable;
}
