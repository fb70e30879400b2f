/* fuzz_files.c: the files sett reads, picked by the input's first byte: a theme, config.ini, the
 * credentials file, the session settd hands over on a descriptor, and an API key file. */
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screens/app.h"
#include "screens/credentials.h"
#include "screens/session_fd.h"
#include "tui/theme.h"

/* The command words of screens/cli.c: config.ini does not reach them, and linking the commands
 * would bring in every screen. */
bool cli_is_command(const char *word)
{
    return false;
}

bool cli_has_option(const char *name)
{
    return false;
}

#define CREDENTIALS_KEY "http://127.0.0.1:8080"

static char home[40];
static char config_dir[64]; /* $XDG_CONFIG_HOME/sett */

static void write_file(const char *name, const char *text, size_t len)
{
    char path[128];
    int fd;

    snprintf(path, sizeof path, "%s/%s", config_dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len)
        abort();
    close(fd);
}

static void fuzz_theme(const char *text, size_t len)
{
    struct theme t;
    char err[256];

    memset(&t, 0, sizeof t);
    if (theme_parse(&t, text, err, sizeof err) != 0 && err[0] == '\0')
        abort(); /* a refusal always says why */
    if (memchr(t.name, '\0', sizeof t.name) == NULL)
        abort();
}

static void fuzz_config(const char *text, size_t len)
{
    struct app_options o;
    char *argv[] = {"sett", NULL};
    int exit_code = -1;

    write_file("config.ini", text, len);
    app_parse_options(1, argv, &o, &exit_code);
    if (!memchr(o.api_url, '\0', sizeof o.api_url) || !memchr(o.theme, '\0', sizeof o.theme) ||
        !memchr(o.data_dir, '\0', sizeof o.data_dir))
        abort();
}

/* Loads the tokens, stores them again, and must read back the same. */
static void fuzz_credentials(const char *text, size_t len)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX];
    char access2[CREDENTIALS_TOKEN_MAX], refresh2[CREDENTIALS_TOKEN_MAX];
    char err[512];

    write_file("credentials", text, len);
    if (credentials_load(CREDENTIALS_KEY, access, refresh, err, sizeof err) != 0)
        return;
    if (strlen(access) >= CREDENTIALS_TOKEN_MAX || strlen(refresh) >= CREDENTIALS_TOKEN_MAX)
        abort();
    if (!access[0] || credentials_save(CREDENTIALS_KEY, access, refresh, err, sizeof err) != 0)
        return;
    if (credentials_load(CREDENTIALS_KEY, access2, refresh2, err, sizeof err) != 0 ||
        strcmp(access, access2) != 0 || strcmp(refresh, refresh2) != 0)
        abort();
}

static void fuzz_session_fd(const char *text, size_t len)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], err[256], num[16];
    int p[2];

    if (len > 8192 || pipe(p) != 0)
        return; /* a pipe holds 64 kB: the writer must not block */
    if (write(p[1], text, len) != (ssize_t)len)
        abort();
    close(p[1]);
    snprintf(num, sizeof num, "%d", p[0]);
    setenv("SETT_SESSION_FD", num, 1);
    if (session_fd_read(access, refresh, err, sizeof err) == 0 && (!access[0] || !refresh[0]))
        abort();
    /* read or refused, the descriptor is gone and the variable with it */
    if (fcntl(p[0], F_GETFD) != -1 || getenv("SETT_SESSION_FD"))
        abort();
}

static void fuzz_api_key(const char *text, size_t len)
{
    struct app_options o;
    char path[128], err[512];

    memset(&o, 0, sizeof o);
    write_file("api-key", text, len);
    snprintf(path, sizeof path, "%s/api-key", config_dir);
    if (app_load_api_key(&o, path, err, sizeof err) == 0 && o.api_key[0] &&
        strncmp(o.api_key, "bp_", 3) != 0)
        abort();
}

static void (*const parsers[])(const char *text, size_t len) = {
    fuzz_theme, fuzz_config, fuzz_credentials, fuzz_session_fd, fuzz_api_key,
};

static void remove_home(void)
{
    static const char *const names[] = {"config.ini", "credentials", "api-key"};
    char path[128];

    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", config_dir, names[i]);
        unlink(path);
    }
    rmdir(config_dir);
    rmdir(home);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    /* in memory where there is /dev/shm: saving credentials syncs the file each time */
    snprintf(home, sizeof home, "%s/sett-fuzz-files-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(home))
        abort();
    setenv("XDG_CONFIG_HOME", home, 1);
    setenv("HOME", home, 1);
    unsetenv("SETT_API");
    unsetenv("SETT_THEME");
    unsetenv("SETT_API_KEY");
    snprintf(config_dir, sizeof config_dir, "%s/sett", home);
    mkdir(config_dir, 0700);
    atexit(remove_home);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size < 1)
        return 0;
    /* a NUL-terminated copy of exactly the input: the parsers take C strings or files */
    text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    parsers[data[0] % (sizeof parsers / sizeof parsers[0])](text, size - 1);
    free(text);
    return 0;
}
