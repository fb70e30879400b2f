/* main.c: the sett program: a command for scripts (`sett products`), or the storefront until the
 * customer quits; or, for settd, the warm storefront its sessions are forked from. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "screens/app.h"
#include "screens/cli.h"
#include "screens/forkserver.h"
#include "screens/plain.h"

static int sett_main(int argc, char **argv)
{
    struct app app;
    int code = 0, at;
    char err[512] = "";

    setlocale(LC_ALL, "");
    signal(SIGPIPE, SIG_IGN); /* a closed socket is an error to report, not a reason to die */
    if ((at = cli_command_at(argc, argv)) > 0)
        return cli_main(argc, argv, at); /* never starts curses */
    memset(&app, 0, sizeof app);
    if (app_parse_options(argc, argv, &app.opt, &code) != 0)
        return code;
    if (app.opt.plain || plain_wanted())
        return plain_main(&app.opt); /* never starts curses */
    if (!isatty(STDIN_FILENO)) {
        fprintf(stderr, "sett: the storefront needs a terminal on standard input; for scripts "
                        "use a command (`sett help`)\n");
        return 1;
    }
    if (app_start(&app, err, sizeof err) != 0) {
        app_stop(&app);
        fprintf(stderr, "sett: %s\n", err);
        return 1;
    }
    code = app_run(&app);
    app_stop(&app);
    return code;
}

extern char **environ;

int main(int argc, char **argv)
{
    /* settd's own use: `sett --fork-server FD` (see screens/forkserver.h) */
    if (argc >= 3 && strcmp(argv[1], "--fork-server") == 0) {
        char *end;
        long fd = strtol(argv[2], &end, 10);
        if (*end || end == argv[2] || fd < 3 || fd > 65535) {
            fprintf(stderr, "sett: --fork-server needs a descriptor number\n");
            return 2;
        }
        return forkserver_main((int)fd, argc, argv, environ, sett_main);
    }
    return sett_main(argc, argv);
}
