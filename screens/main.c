/* main.c: the sett program: a command for scripts (`sett products`), or the storefront until the
 * customer quits. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "screens/app.h"
#include "screens/cli.h"

int main(int argc, char **argv)
{
    struct app app;
    int code = 0;
    char err[512] = "";

    setlocale(LC_ALL, "");
    signal(SIGPIPE, SIG_IGN); /* a closed socket is an error to report, not a reason to die */
    if (argc > 1 && cli_is_command(argv[1]))
        return cli_main(argc, argv); /* never starts curses */
    memset(&app, 0, sizeof app);
    if (app_parse_options(argc, argv, &app.opt, &code) != 0)
        return code;
    if (app_start(&app, err, sizeof err) != 0) {
        app_stop(&app);
        fprintf(stderr, "sett: %s\n", err);
        return 1;
    }
    code = app_run(&app);
    app_stop(&app);
    return code;
}
