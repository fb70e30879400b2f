/* test_session_fd.c: the tokens settd hands sett on a descriptor, and what sett refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <unistd.h>

#include "screens/session_fd.h"

/* A pipe holding `text`, its read end named in SETT_SESSION_FD. Returns the read end. */
static int session_pipe(const char *text)
{
    char num[16];
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], text, strlen(text)), (ssize_t)strlen(text));
    close(fds[1]);
    snprintf(num, sizeof num, "%d", fds[0]);
    setenv("SETT_SESSION_FD", num, 1);
    return fds[0];
}

static void test_tokens_read_once(void **state)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], err[200];
    int fd = session_pipe("{\"access_token\":\"at_abc\",\"refresh_token\":\"rt_def\"}");
    (void)state;
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), 0);
    assert_string_equal(access, "at_abc");
    assert_string_equal(refresh, "rt_def");
    assert_null(getenv("SETT_SESSION_FD"));   /* not passed on to anything sett starts */
    assert_int_equal(fcntl(fd, F_GETFD), -1); /* closed */
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), 1);
}

static void test_refused(void **state)
{
    char access[CREDENTIALS_TOKEN_MAX], refresh[CREDENTIALS_TOKEN_MAX], err[200];
    (void)state;
    session_pipe("{\"access_token\":\"at_abc\"}");
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), -1);
    assert_string_equal(access, "");
    assert_non_null(strstr(err, "access_token, refresh_token"));
    session_pipe("not json");
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), -1);
    setenv("SETT_SESSION_FD", "0", 1); /* never stdin */
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), -1);
    assert_non_null(strstr(err, "SETT_SESSION_FD"));
    setenv("SETT_SESSION_FD", "7x", 1);
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), -1);
    setenv("SETT_SESSION_FD", "999", 1); /* not open */
    assert_int_equal(session_fd_read(access, refresh, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens_read_once),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
