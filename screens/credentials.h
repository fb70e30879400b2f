/* credentials.h: the stored sign-in sessions: one private file (0600), one entry per API. */
#ifndef SETT_SCREENS_CREDENTIALS_H
#define SETT_SCREENS_CREDENTIALS_H

#include <stddef.h>

#define CREDENTIALS_TOKEN_MAX 512

/* $XDG_CONFIG_HOME/sett/credentials, else ~/.config/sett/credentials; -1 without either. */
int credentials_path(char *buf, size_t n);
/* The tokens stored for the API named `key`: 0, 1 when there are none, -1 when the file cannot
 * be trusted or read (the reason in `err`: e.g. readable by others). */
int credentials_load(const char *key, char access[CREDENTIALS_TOKEN_MAX],
                     char refresh[CREDENTIALS_TOKEN_MAX], char *err, size_t errsz);
/* Stores the tokens for `key` (NULL tokens forget it), keeping the other APIs' entries. The file
 * is written whole with mode 0600 and renamed into place; its directory is created 0700.
 * 0 or -1 (reason in `err`). */
int credentials_save(const char *key, const char *access, const char *refresh, char *err,
                     size_t errsz);

#endif
