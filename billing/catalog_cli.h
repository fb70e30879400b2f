/* catalog_cli.h: `sett-billingd catalog export|apply`, the live catalog as a file and back. */
#ifndef SETT_BILLING_CATALOG_CLI_H
#define SETT_BILLING_CATALOG_CLI_H

#include <stddef.h>

/* argv[0] is "catalog". default_db fills the default database path (0 or -1, message printed).
 * Returns the exit status: 0 done, 1 failure (nothing changed), 2 usage. */
int catalog_cli_main(int argc, char **argv, int (*default_db)(char *buf, size_t size));

#endif
