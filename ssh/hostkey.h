/* hostkey.h: the server's ed25519 host key: loaded, or created once, never replaced; and the
 * libssh bind that serves it. */
#ifndef SETT_SSH_HOSTKEY_H
#define SETT_SSH_HOSTKEY_H

#include <stddef.h>

#include <libssh/libssh.h>
#include <libssh/server.h>

#define HOSTKEY_FP_MAX 80

/* Loads the key at `path`; when no file is there, creates one (mode 0600, and path.pub beside
 * it) first. Returns 0 with *key set, or -1 with a message (an unreadable or invalid file is
 * an error: it is never overwritten). */
int hostkey_load(const char *path, ssh_key *key, char *err, size_t errsz);

/* "SHA256:<base64 without padding>", as `ssh-keygen -lf` prints it. 0 or -1. */
int hostkey_fingerprint(const ssh_key key, char *out, size_t outsz);

/* A bind with settd's algorithms (modern ones only) and `key`, which it then owns
 * (ssh_bind_free frees it); NULL on failure. The listener and the fuzz harness share it. */
ssh_bind hostkey_bind(ssh_key key);

#endif
