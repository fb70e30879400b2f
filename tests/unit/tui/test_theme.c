/* test_theme.c: theme files: the built-ins, the format's errors, inheritance, user overrides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/theme.h"

static char err[256];

static void test_builtins_parse_and_name_every_element(void **state)
{
    const char *const *names = theme_builtin_names();
    struct theme th;
    int n = 0;

    assert_non_null(names);
    for (; names[n]; n++) {
        const char *text = theme_builtin(names[n]);
        assert_non_null(text);
        err[0] = '\0';
        assert_int_equal(theme_parse(&th, text, err, sizeof err), 0);
        assert_string_equal(th.name, names[n]);
        /* a built-in theme says what every element looks like: none is left to chance */
        for (int e = 0; e < EL_COUNT; e++) {
            if (!th.styles[e].set)
                fail_msg("theme %s does not set element %s", names[n],
                         theme_elem_name((enum theme_elem)e));
        }
    }
    assert_true(n >= 2);
    assert_non_null(theme_builtin("default"));
    assert_non_null(theme_builtin("mono"));
    assert_null(theme_builtin("no-such-theme"));
    assert_null(theme_builtin(NULL));
}

static void test_mono_has_no_colours(void **state)
{
    struct theme th;

    assert_int_equal(theme_parse(&th, theme_builtin("mono"), err, sizeof err), 0);
    for (int e = 0; e < EL_COUNT; e++) {
        assert_int_equal(th.styles[e].fg, -1);
        assert_int_equal(th.styles[e].bg, -1);
        /* the mono theme is the mono fallback, written down */
        assert_int_equal(th.styles[e].attrs, theme_elem_mono((enum theme_elem)e));
    }
}

static void test_element_names(void **state)
{
    for (int e = 0; e < EL_COUNT; e++) {
        const char *name = theme_elem_name((enum theme_elem)e);
        assert_non_null(name);
        assert_true(name[0] != '\0');
        assert_int_equal(theme_elem_lookup(name), e);
    }
    assert_int_equal(theme_elem_lookup("price"), EL_PRICE);
    assert_int_equal(theme_elem_lookup("status.overdue"), EL_STATUS_OVERDUE);
    assert_int_equal(theme_elem_lookup("nope"), -1);
    assert_int_equal(theme_elem_lookup(NULL), -1);
    assert_int_equal(theme_elem_mono(EL_SELECTED), TM_REVERSE);
    assert_string_equal(theme_elem_name(EL_COUNT), "");
}

static void expect_error(const char *text, const char *want)
{
    struct theme th;

    memset(&th, 0x5a, sizeof th);
    err[0] = '\0';
    assert_int_equal(theme_parse(&th, text, err, sizeof err), -1);
    if (!strstr(err, want))
        fail_msg("error '%s' does not say '%s'", err, want);
    assert_int_equal(((unsigned char *)&th)[0], 0x5a); /* untouched on failure */
}

static void test_errors_name_the_line(void **state)
{
    expect_error("[theme]\nname = x\n[elements]\nprize = green\n",
                 "line 4: unknown element 'prize'");
    expect_error("[elements]\ntitle = bold\nprice = purpel\n",
                 "line 3: unknown attribute or colour 'purpel'");
    expect_error("[elements]\ntitle = blinking cyan\n",
                 "line 2: unknown attribute or colour 'blinking'");
    expect_error("[elements]\n\n; comment\ntitle = cyan on mauve\n",
                 "line 4: unknown colour 'mauve'");
    expect_error("[elements]\ntitle = cyan on\n", "line 2: 'on' without a background colour");
    expect_error("[elements]\ntitle = 256\n", "line 2: unknown attribute or colour '256'");
    expect_error("[elements]\ntitle = bright-pink\n", "line 2: unknown attribute or colour");
    expect_error("[elements]\ntitle = red green\n", "line 2: unexpected colour 'green'");
    expect_error("[elements]\ntitle = red on blue on black\n", "line 2: two background colours");
    expect_error("[colours]\ntitle = red\n", "line 2: unknown section [colours]");
    expect_error("title = red\n", "line 1: 'title' is outside a section");
    expect_error("[theme]\nauthor = me\n", "line 2: unknown key 'author' in [theme]");
    expect_error("[elements]\ntitle = red\nthis line has no equals sign\n", "line 3: syntax error");
    /* the first error is reported, whatever kind it is */
    expect_error("[elements]\ntitle = nocolour\nbroken\n", "line 2:");
    expect_error("[elements]\nbroken\ntitle = nocolour\n", "line 2: syntax error");
}

static void test_styles(void **state)
{
    struct theme th;
    const char *text = "[theme]\n"
                       "name = test\n"
                       "[elements]\n"
                       "normal = white on blue\n"
                       "title = bold cyan\n"
                       "price = bright-green on default ; inline comment\n"
                       "badge = reverse underline 208 on 17\n"
                       "label = dim italic standout\n"
                       "header = bright-black on bright-white\n"
                       "error = 0 on 255\n";

    assert_int_equal(theme_parse(&th, text, err, sizeof err), 0);
    assert_string_equal(th.name, "test");
    assert_true(th.styles[EL_NORMAL].set);
    assert_int_equal(th.styles[EL_NORMAL].fg, 7);
    assert_int_equal(th.styles[EL_NORMAL].bg, 4);
    /* colours an element leaves out are normal's; its attributes are its own */
    assert_int_equal(th.styles[EL_TITLE].fg, 6);
    assert_int_equal(th.styles[EL_TITLE].bg, 4);
    assert_int_equal(th.styles[EL_TITLE].attrs, TM_BOLD);
    assert_int_equal(th.styles[EL_PRICE].fg, 10);
    assert_int_equal(th.styles[EL_PRICE].bg, -1);
    assert_int_equal(th.styles[EL_BADGE].fg, 208);
    assert_int_equal(th.styles[EL_BADGE].bg, 17);
    assert_int_equal(th.styles[EL_BADGE].attrs, TM_REVERSE | TM_UNDERLINE);
    assert_int_equal(th.styles[EL_LABEL].attrs, TM_DIM | TM_ITALIC | TM_STANDOUT);
    assert_int_equal(th.styles[EL_LABEL].fg, 7);
    assert_int_equal(th.styles[EL_HEADER].fg, 8);
    assert_int_equal(th.styles[EL_HEADER].bg, 15);
    assert_int_equal(th.styles[EL_ERROR].fg, 0);
    assert_int_equal(th.styles[EL_ERROR].bg, 255);
    /* an element the file does not name is normal */
    assert_false(th.styles[EL_STOCK_LOW].set);
    assert_int_equal(th.styles[EL_STOCK_LOW].fg, 7);
    assert_int_equal(th.styles[EL_STOCK_LOW].bg, 4);
    assert_int_equal(th.styles[EL_STOCK_LOW].attrs, TM_NORMAL);
}

static void test_empty_theme_is_all_default(void **state)
{
    struct theme th;

    assert_int_equal(theme_parse(&th, "", err, sizeof err), 0);
    for (int e = 0; e < EL_COUNT; e++) {
        assert_int_equal(th.styles[e].fg, -1);
        assert_int_equal(th.styles[e].bg, -1);
        assert_int_equal(th.styles[e].attrs, TM_NORMAL);
    }
    assert_int_equal(theme_parse(&th, NULL, err, sizeof err), -1);
}

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int user_dir_setup(void **state)
{
    char path[256];

    snprintf(tmpdir, sizeof tmpdir, "/tmp/sett-theme-XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    snprintf(path, sizeof path, "%s/sett", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/sett/themes", tmpdir);
    mkdir(path, 0700);
    return 0;
}

static int user_dir_teardown(void **state)
{
    char cmd[128];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_user_theme_overrides_builtin(void **state)
{
    struct theme th;
    char path[256];

    setenv("XDG_CONFIG_HOME", tmpdir, 1);
    /* nothing in the user's directory: the built-in one */
    assert_int_equal(theme_load(&th, "default", err, sizeof err), 0);
    assert_string_equal(th.name, "default");
    assert_int_equal(th.styles[EL_TITLE].fg, 6);

    snprintf(path, sizeof path, "%s/sett/themes/default.ini", tmpdir);
    write_file(path, "[elements]\ntitle = bold magenta\n");
    assert_int_equal(theme_load(&th, "default", err, sizeof err), 0);
    assert_string_equal(th.name, "default");
    assert_int_equal(th.styles[EL_TITLE].fg, 5);

    snprintf(path, sizeof path, "%s/sett/themes/mine.ini", tmpdir);
    write_file(path, "[theme]\nname = Mine\n[elements]\nprice = 33\n");
    assert_int_equal(theme_load(&th, "mine", err, sizeof err), 0);
    assert_string_equal(th.name, "Mine");
    assert_int_equal(th.styles[EL_PRICE].fg, 33);

    snprintf(path, sizeof path, "%s/sett/themes/broken.ini", tmpdir);
    write_file(path, "[elements]\n\nprice = chartreuse\n");
    assert_int_equal(theme_load(&th, "broken", err, sizeof err), -1);
    assert_non_null(strstr(err, "broken.ini: line 3: unknown attribute or colour 'chartreuse'"));

    assert_int_equal(theme_load(&th, "nowhere", err, sizeof err), -1);
    assert_non_null(strstr(err, "no theme named 'nowhere'"));
    assert_int_equal(theme_load(&th, "../../etc/passwd", err, sizeof err), -1);
    assert_non_null(strstr(err, "invalid theme name"));
    assert_int_equal(theme_load(&th, ".hidden", err, sizeof err), -1);
    assert_int_equal(theme_load(&th, "", err, sizeof err), -1);

    /* without XDG_CONFIG_HOME the themes live under ~/.config */
    unsetenv("XDG_CONFIG_HOME");
    snprintf(path, sizeof path, "%s/.config", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.config/sett", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.config/sett/themes", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.config/sett/themes/mono.ini", tmpdir);
    write_file(path, "[elements]\ntitle = underline\n");
    setenv("HOME", tmpdir, 1);
    assert_int_equal(theme_load(&th, "mono", err, sizeof err), 0);
    assert_int_equal(th.styles[EL_TITLE].attrs, TM_UNDERLINE);
    /* a relative XDG_CONFIG_HOME is ignored, as the spec says */
    setenv("XDG_CONFIG_HOME", "relative/dir", 1);
    assert_int_equal(theme_load(&th, "mono", err, sizeof err), 0);
    assert_int_equal(th.styles[EL_TITLE].attrs, TM_UNDERLINE);
    unsetenv("XDG_CONFIG_HOME");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtins_parse_and_name_every_element),
        cmocka_unit_test(test_mono_has_no_colours),
        cmocka_unit_test(test_element_names),
        cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_styles),
        cmocka_unit_test(test_empty_theme_is_all_default),
        cmocka_unit_test_setup_teardown(test_user_theme_overrides_builtin, user_dir_setup,
                                        user_dir_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
