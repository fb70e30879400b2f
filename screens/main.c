/* main.c: the sett program: a command for scripts (`sett products`), or the storefront until the
 * customer quits. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "screens/app.h"
#include "screens/cli.h"
#include "screens/plain.h"

int main(int argc, char **argv)
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
