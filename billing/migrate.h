/* migrate.h: brings a database's schema up to date, one numbered migration at a time. */
#ifndef SETT_BILLING_MIGRATE_H
#define SETT_BILLING_MIGRATE_H

#include <stddef.h>

#include <sqlite3.h>

/* The schema version this build writes (PRAGMA user_version after migrating). */
int migrate_latest(void);
/* Applies every pending migration in one transaction. 0, or -1 with a message in err. */
int migrate_run(sqlite3 *conn, char *err, size_t errsz);

#endif
