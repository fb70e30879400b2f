/* test_credentials.c: the stored sessions: one private file, an entry per API, kept private. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "screens/credentials.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/sett-cred-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    setenv("XDG_CONFIG_HOME", dir, 1);
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_round_trip(void **state)
{
    char a[CREDENTIALS_TOKEN_MAX], r[CREDENTIALS_TOKEN_MAX], err[300], path[512];
    struct stat sb;
    (void)state;
    assert_int_equal(credentials_load("http://a", a, r, err, sizeof err), 1); /* none yet */
    assert_int_equal(credentials_save("http://a", "at_1", "rt_1", err, sizeof err), 0);
    assert_int_equal(credentials_save("http://b", "at_2", "rt_2", err, sizeof err), 0);
    assert_int_equal(credentials_load("http://a", a, r, err, sizeof err), 0);
    assert_string_equal(a, "at_1");
    assert_string_equal(r, "rt_1");
    assert_int_equal(credentials_load("http://b", a, r, err, sizeof err), 0);
    assert_string_equal(a, "at_2");
    /* a refresh replaces the pair of that API only */
    assert_int_equal(credentials_save("http://a", "at_3", "rt_3", err, sizeof err), 0);
    assert_int_equal(credentials_load("http://a", a, r, err, sizeof err), 0);
    assert_string_equal(a, "at_3");
    assert_int_equal(credentials_load("http://b", a, r, err, sizeof err), 0);
    assert_string_equal(r, "rt_2");
    /* private: the file 0600, its directory 0700 */
    assert_int_equal(credentials_path(path, sizeof path), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    *strrchr(path, '/') = '\0';
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    /* signing out forgets one */
    assert_int_equal(credentials_save("http://a", NULL, NULL, err, sizeof err), 0);
    assert_int_equal(credentials_load("http://a", a, r, err, sizeof err), 1);
    assert_int_equal(credentials_load("http://b", a, r, err, sizeof err), 0);
}

static void test_refuses_what_it_should(void **state)
{
    char a[CREDENTIALS_TOKEN_MAX], r[CREDENTIALS_TOKEN_MAX], err[300], path[512];
    (void)state;
    /* a token that could break out of its line or a header is never written */
    assert_int_equal(credentials_save("http://c", "at\nnext=1", "rt", err, sizeof err), -1);
    assert_int_equal(credentials_save("http://c", "at", "rt x", err, sizeof err), -1);
    /* a file others can read is not trusted */
    assert_int_equal(credentials_save("http://c", "at_c", "rt_c", err, sizeof err), 0);
    assert_int_equal(credentials_path(path, sizeof path), 0);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(credentials_load("http://c", a, r, err, sizeof err), -1);
    assert_non_null(strstr(err, "readable by others"));
    assert_string_equal(a, "");
    /* saving again replaces it, private */
    assert_int_equal(credentials_save("http://c", "at_d", "rt_d", err, sizeof err), 0);
    assert_int_equal(credentials_load("http://c", a, r, err, sizeof err), 0);
    assert_string_equal(a, "at_d");
}

/* A full disk (here a file-size limit: the write fails as with ENOSPC, without root or a small
 * file system): the save fails and says why, the old session is kept, no temporary file is left. */
static void test_full_disk_keeps_the_old_session(void **state)
{
    char a[CREDENTIALS_TOKEN_MAX], r[CREDENTIALS_TOKEN_MAX], err[300] = "", path[512];
    char big[400];
    struct rlimit old, tiny;
    struct dirent *de;
    DIR *d;
    int files = 0;
    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(credentials_save("http://e", "at_old", "rt_old", err, sizeof err), 0);
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    tiny = old;
    tiny.rlim_cur = 256;
    signal(SIGXFSZ, SIG_IGN); /* EFBIG from write(2) rather than the signal */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    assert_int_equal(credentials_save("http://e", big, big, err, sizeof err), -1);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, SIG_DFL);
    assert_non_null(strstr(err, "cannot write"));
    assert_non_null(strstr(err, "File too large"));
    assert_int_equal(credentials_load("http://e", a, r, err, sizeof err), 0);
    assert_string_equal(a, "at_old");
    assert_string_equal(r, "rt_old");
    assert_int_equal(credentials_path(path, sizeof path), 0);
    *strrchr(path, '/') = '\0';
    assert_non_null(d = opendir(path));
    while ((de = readdir(d)))
        files += de->d_name[0] != '.';
    closedir(d);
    assert_int_equal(files, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_refuses_what_it_should),
        cmocka_unit_test(test_full_disk_keeps_the_old_session),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
