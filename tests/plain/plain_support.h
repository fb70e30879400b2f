/* plain_support.h: a demo shop to test against, and the real `sett` in plain mode run as a
 * customer would use it: its input a pipe or a pseudo-terminal, lines typed one at a time, its
 * output read and waited on. */
#ifndef SETT_TESTS_PLAIN_SUPPORT_H
#define SETT_TESTS_PLAIN_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct plain_run {
    pid_t pid;
    int in;  /* what the customer types (the pty's master on a pty) */
    int out; /* what sett prints (the same master on a pty) */
    int err; /* stderr, a pipe */
    bool pty;
    char dir[512]; /* a private HOME */
    char *text;    /* everything sett printed so far */
    size_t len, cap;
    size_t seen; /* where plain_expect looks from */
    char *errtext;
    int status; /* exit status after plain_finish, -1 when killed */
};

/* Starts SETT_BIN with `args` (NULL-ended, without argv[0]) and an environment made from scratch
 * (PATH, HOME, XDG_*, LANG=C.UTF-8, TZ=UTC, then `env`, NULL-ended "NAME=value"). On a pty when
 * `pty`. 0, or -1. */
int plain_start(struct plain_run *r, const char *const *args, const char *const *env, bool pty);
/* Waits (up to 30 s, times SETT_TEST_TIMEOUT_SCALE) for `text` in the output after what an
 * earlier expect matched; 0, or -1 with the transcript on stderr. */
int plain_expect(struct plain_run *r, const char *text);
/* Types a line (Enter added). */
int plain_send(struct plain_run *r, const char *line);
/* Ends the input (closes the pipe; Ctrl-D on a pty), reads the rest and reaps the program: its
 * exit status, or -1. */
int plain_finish(struct plain_run *r);
void plain_free(struct plain_run *r);
/* plain_finish, then the session ended well: exit status 0, "Goodbye." said, and not one escape
 * or control byte in all it printed. 0, or -1 with the reason (and the transcript) on stderr. */
int plain_end_clean(struct plain_run *r);
/* The line of the output that starts with `prefix`, from the last match on (copied), or NULL. */
const char *plain_line_after(struct plain_run *r, const char *prefix, char *buf, size_t n);
/* True if the transcript holds ESC (0x1b), another C0 control but '\n' and '\r', DEL, or a C1
 * control (in UTF-8, or a raw byte after ASCII). */
bool plain_has_escape(const struct plain_run *r);
/* POSTs action=pay to the sandbox page at `url`: the HTTP status, or -1. */
long plain_sandbox_pay(const char *url);

/* A fresh sett-billingd with the demo shop, as cmocka's setup (for a test or a group), stopped
 * by the teardown; its address while it runs. */
int plain_server_setup(void **state);
int plain_server_teardown(void **state);
const char *plain_server_url(void);
/* The same with the billing server of the screen tests, which lives on a fixed day (2025-06-02
 * 09:30 UTC), so what it prices and dates is the same on every run. */
int plain_fixed_server_setup(void **state);
/* Moves the fixed server's day two weeks on (a service bought is then mid-period): 0, or -1. */
int plain_server_move_on(void);

/* From the start of a signed-out sett: `c` asks to sign in, the demo customer does, and the empty
 * cart shows. 0, or -1 with the transcript on stderr. */
int plain_sign_in_from_cart(struct plain_run *r);

/* Types `line`, then waits for `text` (cmocka's asserts: include cmocka.h first). */
#define PLAIN_STEP(r, line, text)                                                                  \
    do {                                                                                           \
        assert_int_equal(plain_send(r, line), 0);                                                  \
        assert_int_equal(plain_expect(r, text), 0);                                                \
    } while (0)

/* Sends `method` base_url + "/api/v1" + path with `json` (NULL: none) and `token` as the bearer
 * (NULL: none): the parsed envelope (cJSON_Delete), or NULL unless HTTP 2xx. */
struct cJSON *plain_api(const char *base_url, const char *method, const char *path,
                        const char *json, const char *token);
/* Signs in over the API: 0 with the tokens, or -1. */
int plain_api_login(const char *base_url, const char *email, const char *password,
                    char access[1024], char refresh[1024]);

#endif
