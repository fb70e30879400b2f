/* test_homes.c: settd's session homes: one private 0700 directory of its own, homes inside it by
 * connection pid, removal by descriptor that follows no link and never touches what others
 * planted in the shared temporary directory, and the private directory gone at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssh/homes.h"

static char tmp[128]; /* stands for the shared $TMPDIR */

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/settd-homes-test-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static void touch(const char *dir, const char *name)
{
    char path[512];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    close(fd);
}

static bool exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void test_private_directory_and_homes(void **state)
{
    struct homes h;
    struct stat st;
    char err[256], home[300], planted[256], victim[256], path[512], priv[256];
    pid_t pid = 4242;

    (void)state;
    /* what a local user could plant, by the old glob-able pattern */
    snprintf(planted, sizeof planted, "%s/settd-session-%ld-AAAAAA", tmp, (long)pid);
    assert_int_equal(mkdir(planted, 0755), 0);
    touch(planted, "keep");
    /* and a directory a link inside a home will point at */
    snprintf(victim, sizeof victim, "%s/victim", tmp);
    assert_int_equal(mkdir(victim, 0700), 0);
    touch(victim, "precious");

    assert_int_equal(homes_open(&h, tmp, err, sizeof err), 0);
    assert_true(h.fd >= 0);
    snprintf(priv, sizeof priv, "%s", h.path);
    assert_int_equal(strncmp(priv, tmp, strlen(tmp)), 0);
    assert_int_equal(lstat(priv, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(st.st_uid, geteuid());

    assert_int_equal(homes_make(&h, pid, home, sizeof home, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/%ld", priv, (long)pid);
    assert_string_equal(home, path);
    assert_int_equal(lstat(home, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* what sett leaves: nested directories, files, and a link out of the home */
    snprintf(path, sizeof path, "%s/.config", home);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/.config/sett", home);
    assert_int_equal(mkdir(path, 0700), 0);
    touch(path, "credentials");
    snprintf(path, sizeof path, "%s/out", home);
    assert_int_equal(symlink(victim, path), 0);
    snprintf(path, sizeof path, "%s/.config/sett/up", home);
    assert_int_equal(symlink(tmp, path), 0);

    homes_remove(&h, pid);
    assert_false(exists(home));
    assert_true(exists(victim));
    snprintf(path, sizeof path, "%s/precious", victim);
    assert_true(exists(path));
    snprintf(path, sizeof path, "%s/keep", planted);
    assert_true(exists(path)); /* the planted look-alike is not settd's and stays */

    /* a home made again over a stale one starts empty */
    assert_int_equal(homes_make(&h, pid, home, sizeof home, err, sizeof err), 0);
    touch(home, "stale");
    assert_int_equal(homes_make(&h, pid, home, sizeof home, err, sizeof err), 0);
    assert_int_equal(entries(home), 0);

    /* at exit every home and the private directory go; nothing else does */
    assert_int_equal(homes_make(&h, pid + 1, home, sizeof home, err, sizeof err), 0);
    touch(home, "file");
    homes_close(&h);
    assert_int_equal(h.fd, -1);
    assert_false(exists(priv));
    assert_true(exists(planted));
    assert_true(exists(victim));
    assert_int_equal(entries(tmp), 2);

    /* nothing to clean up is fine */
    homes_remove(&h, pid);
    homes_close(&h);
}

static void test_two_servers_get_two_directories(void **state)
{
    struct homes a, b;
    char err[256];

    (void)state;
    assert_int_equal(homes_open(&a, tmp, err, sizeof err), 0);
    assert_int_equal(homes_open(&b, tmp, err, sizeof err), 0);
    assert_string_not_equal(a.path, b.path);
    homes_close(&a);
    homes_close(&b);
    assert_int_equal(homes_open(&a, "/nonexistent-dir", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir"));
}

static int teardown(void **state)
{
    char path[512];

    (void)state;
    snprintf(path, sizeof path, "rm -rf -- '%s'", tmp);
    return system(path) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_private_directory_and_homes),
        cmocka_unit_test(test_two_servers_get_two_directories),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
