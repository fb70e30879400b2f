/* admin_cli.h: `sett-billingd admin create`, the command that makes an operator account. */
#ifndef SETT_BILLING_ADMIN_CLI_H
#define SETT_BILLING_ADMIN_CLI_H

#include <stddef.h>

/* argv[0] is "admin". default_db fills the default database path (0 or -1, message printed).
 * Returns the exit status: 0 created, 1 failure, 2 usage, 3 e-mail taken, 4 refused. */
int admin_cli_main(int argc, char **argv, int (*default_db)(char *buf, size_t size));

#endif
