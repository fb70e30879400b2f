/* session_fd.h: the session settd hands to sett: tokens on an inherited file descriptor. */
#ifndef SETT_SCREENS_SESSION_FD_H
#define SETT_SCREENS_SESSION_FD_H

#include <stddef.h>

#include "screens/credentials.h"

/* When SETT_SESSION_FD=N is set, reads {"access_token", "refresh_token"} (JSON) from fd N,
 * closes it and removes the variable: 0 with the tokens, -1 with the reason in err. Returns 1
 * when the variable is not set. Such a session lives in memory only: it is never stored. */
int session_fd_read(char access[CREDENTIALS_TOKEN_MAX], char refresh[CREDENTIALS_TOKEN_MAX],
                    char *err, size_t errsz);

struct app;
/* Gives the client a session from SETT_SESSION_FD, if there is one, and marks it in-memory only
 * (a->session_in_memory). 0 (also when there is none), or -1 with the reason in err. */
int session_fd_take(struct app *a, char *err, size_t errsz);

#endif
