/* options.h: settd's command line. */
#ifndef SETT_SSH_OPTIONS_H
#define SETT_SSH_OPTIONS_H

#include <stdbool.h>

#define OPTIONS_PATH_MAX 1024

struct settd_options {
    char listen[256];
    int port; /* 0: any free port */
    char port_file[OPTIONS_PATH_MAX];
    char host_key[OPTIONS_PATH_MAX]; /* "" until resolved: DATA_DIR/ssh_host_ed25519_key */
    bool print_fingerprint;
    char data_dir[OPTIONS_PATH_MAX]; /* "" until resolved */
    char api[512];                   /* "": the embedded billing server */
    char service_key_file[OPTIONS_PATH_MAX];
    char sett[OPTIONS_PATH_MAX]; /* "" until resolved: `sett` beside this program */
    int api_timeout;             /* seconds for POST /auth/ssh */
    int login_grace, max_auth_tries, max_startups, max_startups_per_addr;
    int max_sessions, max_sessions_per_addr;
    int idle_timeout, idle_warning, max_session;
    int drain_timeout; /* SIGTERM: seconds sessions may go on; 0: end them at once */
    char user[64];
    bool proxy_protocol, kiosk, quiet;
    bool sandbox;               /* the embedded billing server runs the sandbox gateway */
    bool allow_password_signin; /* sett offers password sign-in and sign-out (L) */
    char plain_user[64];        /* this SSH user name gets plain mode; "": none */
    bool fork_server;           /* sessions are forked from a warm sett (default), not exec'd */
};

/* Fills `o` from argv and resolves the defaults that depend on the environment (data dir, host
 * key, sett). Returns 0 to run, or -1 to exit with *exit_code (help, version, usage error). */
int options_parse(int argc, char **argv, struct settd_options *o, int *exit_code);

#endif
