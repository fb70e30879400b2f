/* embedded.h: the billing server settd runs for its sessions when no --api is given. */
#ifndef SETT_SSH_EMBEDDED_H
#define SETT_SSH_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct embedded {
    pid_t pid;
    char url[64];
    char service_key[64];
};

/* Starts sett-billingd's server in a process of its own (the parent stays single-threaded, so
 * forking a process per connection stays safe), with its database at db_path, and mints a
 * service key of scope ssh. It seeds no account (customers come with their keys) and runs the
 * sandbox gateway only with `sandbox`. `close_fd` (settd's listening socket, or -1) is closed in
 * the new process. 0, or -1 with a message. */
int embedded_start(const char *db_path, bool sandbox, int close_fd, struct embedded *e, char *err,
                   size_t errsz);
/* Stops it and waits for it. */
void embedded_stop(struct embedded *e);

#endif
