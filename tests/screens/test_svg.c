/* test_svg.c: the screen pictures: the SVG renderer on a known screen, the committed pictures
 * against their cell dumps and against a new run, the recorded purchase's asciicast, and sett's
 * store with names made of markup.
 * Usage: screens_svg_test render XMLLINT
 *        screens_svg_test golden XMLLINT CELLS_DIR SVG_DIR
 *        screens_svg_test cast FILE
 *        screens_svg_test again SCREENSHOTS_BIN SVG_DIR
 *        screens_svg_test markup SCREENSHOTS_BIN XMLLINT */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "harness_svg.h"
#include "tempdir.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* xmllint accepts the file as well-formed XML. */
static bool xmllint_ok(const char *xmllint, const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' --noout '%s'", xmllint, path);
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "xmllint refused %s\n", path);
        return false;
    }
    return true;
}

/* The structure by hand as well: every tag closed in order, no raw '<' or '&' in text but
 * markup and entities. */
static bool balanced(const char *xml)
{
    char stack[32][32];
    int depth = 0;
    for (const char *p = xml; *p; p++) {
        if (*p == '&') {
            size_t n = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz#0123456789");
            if (n == 0 || p[1 + n] != ';')
                return false;
            continue;
        }
        if (*p != '<')
            continue;
        const char *end = strchr(p, '>');
        if (!end)
            return false;
        if (p[1] == '?' || p[1] == '!') {
            p = end;
            continue;
        }
        bool closing = p[1] == '/', empty = end[-1] == '/';
        const char *name = p + 1 + closing;
        size_t len = strcspn(name, " />");
        if (len == 0 || len >= sizeof stack[0])
            return false;
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != len ||
                strncmp(stack[depth - 1], name, len) != 0)
                return false;
            depth--;
        } else if (!empty) {
            if (depth == 32)
                return false;
            memcpy(stack[depth], name, len);
            stack[depth++][len] = '\0';
        }
        p = end;
    }
    return depth == 0;
}

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

/* A known screen: bold, reverse red, dim, a hostile name, 256-colour and RGB colours, the
 * cursor after the last character. */
static int test_render(const char *xmllint)
{
    const char *script = "printf '\\033[1mBold\\033[0m \\033[7;31mRev\\033[0m \\033[2mDim\\033[22m "
                         "Normal\\r\\n<script>&\"'\"'\"'\\r\\n"
                         "\\033[38;5;208mX\\033[48;2;1;2;3mY\\033[0m ██▀│'; sleep 30";
    const char *argv[] = {"/bin/sh", "-c", script, NULL};
    char dir[512], path[600];
    struct harness *h = harness_start(argv, NULL, 6, 40);
    char *svg = NULL;
    int rc = 1;
    dir[0] = '\0';
    CHECK(h != NULL);
    CHECK(harness_wait_text(h, "XY", HARNESS_TIMEOUT_MS) == 0);
    CHECK(tempdir_make("sett-svg", dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/known.svg", dir);
    CHECK(harness_svg(h, path) == 0);
    CHECK((svg = slurp(path)) != NULL);
    CHECK(xmllint_ok(xmllint, path));
    CHECK(balanced(svg));
    /* the characters where their cells are: x = 120 + 84 * col, y = 120 + 180 * row + 132 */
    CHECK(strstr(svg, "<text x=\"120\" y=\"252\" textLength=\"336\" lengthAdjust=\"spacing\" "
                      "fill=\"#d0d0d0\" font-weight=\"bold\">Bold</text>"));
    /* reverse video: the red is the background, the default background the text */
    CHECK(strstr(svg, "<rect x=\"540\" y=\"120\" width=\"252\" height=\"180\" fill=\"#cd0000\"/>"));
    CHECK(strstr(svg, "<text x=\"540\" y=\"252\" textLength=\"252\" lengthAdjust=\"spacing\" "
                      "fill=\"#1c1c1c\">Rev</text>"));
    /* dim: the foreground faded towards the background; SGR 22 ends it */
    CHECK(strstr(svg, "<text x=\"876\" y=\"252\" textLength=\"252\" lengthAdjust=\"spacing\" "
                      "fill=\"#7f7f7f\">Dim</text>"));
    CHECK(strstr(svg, "fill=\"#d0d0d0\">Normal</text>"));
    /* the hostile text, escaped */
    CHECK(strstr(svg, "<text x=\"120\" y=\"432\" textLength=\"924\" lengthAdjust=\"spacing\" "
                      "fill=\"#d0d0d0\">&lt;script&gt;&amp;&quot;&apos;</text>"));
    CHECK(!strstr(svg, "<script"));
    /* 256 colours through the xterm cube, RGB as given */
    CHECK(strstr(svg, "fill=\"#ff8700\">X</text>"));
    CHECK(strstr(svg, "<rect x=\"204\" y=\"480\" width=\"84\" height=\"180\" fill=\"#010203\"/>"));
    /* blocks as rectangles (two full ones as one), a line as a stroke */
    CHECK(strstr(svg, "d=\"M372 480h168v180h-168zM540 480h84v90h-84z\" fill=\"#d0d0d0\"/>"));
    CHECK(strstr(svg, "d=\"M666 480V570M666 570V660\" stroke=\"#d0d0d0\"/>"));
    /* the cursor: an outlined cell after the last character */
    CHECK(strstr(svg, "<rect class=\"cursor\" x=\"718\" y=\"490\""));
    /* the dump reads back into the same picture */
    {
        struct svg_screen s, back;
        char err[200], dump[600];
        FILE *f;
        snprintf(dump, sizeof dump, "%s/known.cells", dir);
        CHECK(svg_screen_from_harness(h, &s) == 0);
        f = fopen(dump, "w");
        CHECK(f && svg_screen_dump(&s, f) == 0 && fclose(f) == 0);
        svg_screen_clear(&s);
        f = fopen(dump, "r");
        CHECK(f != NULL);
        int loaded = svg_screen_load(&back, f, err, sizeof err);
        fclose(f);
        if (loaded != 0)
            fprintf(stderr, "%s\n", err);
        CHECK(loaded == 0);
        snprintf(path, sizeof path, "%s/again.svg", dir);
        f = fopen(path, "w");
        CHECK(f && svg_screen_write(&back, f) == 0 && fclose(f) == 0);
        svg_screen_clear(&back);
        char *again = slurp(path);
        bool same = again && strcmp(again, svg) == 0;
        free(again);
        CHECK(same);
    }
    rc = 0;
fail:
    if (rc != 0 && svg)
        fprintf(stderr, "---- the picture ----\n%s", svg);
    free(svg);
    harness_free(&h);
    if (dir[0])
        tempdir_remove(dir);
    return rc;
}

/* Every committed picture is what the renderer makes of its cell dump, and well-formed. */
static int test_golden(const char *xmllint, const char *cells_dir, const char *svg_dir)
{
    DIR *d = opendir(svg_dir);
    struct dirent *e;
    int pictures = 0, failed = 0;
    if (!d) {
        perror(svg_dir);
        return 1;
    }
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char cells[1024], svg[1024], err[200];
        struct svg_screen s;
        if (len < 5 || strcmp(e->d_name + len - 4, ".svg") != 0)
            continue;
        pictures++;
        snprintf(svg, sizeof svg, "%s/%s", svg_dir, e->d_name);
        snprintf(cells, sizeof cells, "%s/%.*s.cells", cells_dir, (int)(len - 4), e->d_name);
        FILE *f = fopen(cells, "r");
        char *want = slurp(svg), *got = NULL;
        size_t got_len = 0;
        if (!f) {
            fprintf(stderr, "%s has no cell dump %s\n", svg, cells);
            failed++;
        } else if (svg_screen_load(&s, f, err, sizeof err) != 0) {
            fprintf(stderr, "%s: %s\n", cells, err);
            failed++;
        } else {
            FILE *m = open_memstream(&got, &got_len);
            if (!m || svg_screen_write(&s, m) != 0 || fclose(m) != 0 || !want ||
                strcmp(got, want) != 0) {
                fprintf(stderr, "%s is not what %s renders to; run scripts/screenshots\n", svg,
                        cells);
                failed++;
            } else if (!balanced(want) || !xmllint_ok(xmllint, svg)) {
                fprintf(stderr, "%s is not well-formed\n", svg);
                failed++;
            }
            svg_screen_clear(&s);
        }
        if (f)
            fclose(f);
        free(want);
        free(got);
    }
    closedir(d);
    printf("%d pictures, %d wrong\n", pictures, failed);
    return pictures > 0 && failed == 0 ? 0 : 1;
}

/* asciicast v2: a header object, then [time, "o", text] events in time order. */
static int test_cast(const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lineno = 0, rc = 1;
    double last = 0;
    size_t outlen = 0;
    char *all = NULL;
    FILE *out = open_memstream(&all, &outlen);
    CHECK(f != NULL && out != NULL);
    while ((n = getline(&line, &cap, f)) > 0) {
        cJSON *j = cJSON_Parse(line);
        lineno++;
        if (!j)
            fprintf(stderr, "%s:%d: not JSON\n", path, lineno);
        CHECK(j != NULL);
        if (lineno == 1) {
            const cJSON *env = cJSON_GetObjectItemCaseSensitive(j, "env");
            bool ok = cJSON_IsObject(j) &&
                      cJSON_GetObjectItemCaseSensitive(j, "version")->valuedouble == 2 &&
                      cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "width")) &&
                      cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "height")) &&
                      cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(j, "timestamp")) &&
                      cJSON_IsString(cJSON_GetObjectItemCaseSensitive(env, "TERM")) &&
                      cJSON_IsString(cJSON_GetObjectItemCaseSensitive(env, "SHELL"));
            cJSON_Delete(j);
            CHECK(ok);
            continue;
        }
        const cJSON *t = cJSON_GetArrayItem(j, 0), *kind = cJSON_GetArrayItem(j, 1),
                    *data = cJSON_GetArrayItem(j, 2);
        bool ok = cJSON_IsArray(j) && cJSON_GetArraySize(j) == 3 && cJSON_IsNumber(t) &&
                  t->valuedouble >= last && cJSON_IsString(kind) &&
                  strcmp(kind->valuestring, "o") == 0 && cJSON_IsString(data);
        if (ok) {
            last = t->valuedouble;
            fputs(data->valuestring, out);
        } else {
            fprintf(stderr, "%s:%d: not an output event after %.3f\n", path, lineno, last);
        }
        cJSON_Delete(j);
        CHECK(ok);
    }
    FILE *done = out;
    out = NULL;
    CHECK(fclose(done) == 0);
    /* a whole purchase, watchable: under three minutes */
    CHECK(lineno > 10 && last > 5 && last < 180);
    CHECK(strstr(all, "Cart 1") && strstr(all, "WELCOME10") && strstr(all, "your order is paid") &&
          strstr(all, "Active"));
    rc = 0;
fail:
    if (out)
        fclose(out);
    if (f)
        fclose(f);
    free(line);
    free(all);
    return rc;
}

/* The pictures made again now are the committed ones, but for the payment page, whose link
 * holds the server's port and a new token (its picture is checked against its dump above). */
static int test_again(const char *shots_bin, const char *svg_dir)
{
    char dir[512], out[600], cells[600], cmd[2048];
    DIR *d = NULL;
    struct dirent *e;
    int compared = 0, failed = 0, rc = 1;
    dir[0] = '\0';
    CHECK(tempdir_make("sett-shots", dir, sizeof dir) == 0);
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(cells, sizeof cells, "%s/cells", dir);
    CHECK(mkdir(out, 0700) == 0 && mkdir(cells, 0700) == 0);
    snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' >/dev/null", shots_bin, out, cells);
    int st = system(cmd);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK((d = opendir(out)) != NULL);
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        char fresh[1200], committed[1200];
        if (len < 5 || strcmp(e->d_name + len - 4, ".svg") != 0 ||
            strncmp(e->d_name, "payment", 7) == 0)
            continue;
        snprintf(fresh, sizeof fresh, "%s/%s", out, e->d_name);
        snprintf(committed, sizeof committed, "%s/%s", svg_dir, e->d_name);
        char *a = slurp(fresh), *b = slurp(committed);
        compared++;
        if (!a || !b || strcmp(a, b) != 0) {
            fprintf(stderr, "%s differs from a new run (%s); run scripts/screenshots\n", committed,
                    fresh);
            failed++;
        }
        free(a);
        free(b);
    }
    printf("%d pictures made again, %d differ\n", compared, failed);
    char cast[700];
    snprintf(cast, sizeof cast, "%s/purchase.cast", out);
    CHECK(test_cast(cast) == 0);
    rc = compared >= 14 && failed == 0 ? 0 : 1;
fail:
    if (d)
        closedir(d);
    if (dir[0] && rc == 0)
        tempdir_remove(dir);
    return rc;
}

/* sett's store with product and category names made of markup, as a picture: well-formed,
 * every name escaped, nothing of them left as markup. */
static int test_markup(const char *shots_bin, const char *xmllint)
{
    char dir[512], path[600], cmd[2048];
    char *svg = NULL;
    int rc = 1;
    dir[0] = '\0';
    CHECK(tempdir_make("sett-markup", dir, sizeof dir) == 0);
    snprintf(path, sizeof path, "%s/markup.svg", dir);
    snprintf(cmd, sizeof cmd, "'%s' --markup '%s'", shots_bin, path);
    int st = system(cmd);
    CHECK(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK((svg = slurp(path)) != NULL);
    CHECK(xmllint_ok(xmllint, path));
    CHECK(balanced(svg));
    CHECK(strstr(svg, "<title>&lt;script&gt;&amp;&quot;&apos; in the store</title>"));
    CHECK(strstr(svg, ">&lt;script&gt;&amp;&quot;&apos;</text>"));
    CHECK(strstr(svg, "Tags &amp; &quot;quotes&quot;"));
    CHECK(strstr(svg, "&lt;/text&gt;&lt;svg onload=&apos;x&apos;&gt; &amp; &amp;amp; ]]&gt;"));
    CHECK(!strstr(svg, "<script") && !strstr(svg, "onload='") && !strstr(svg, "]]>"));
    rc = 0;
fail:
    if (rc != 0 && svg)
        fprintf(stderr, "---- the picture ----\n%s", svg);
    free(svg);
    if (dir[0])
        tempdir_remove(dir);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "render") == 0)
        return test_render(argv[2]);
    if (argc == 5 && strcmp(argv[1], "golden") == 0)
        return test_golden(argv[2], argv[3], argv[4]);
    if (argc == 3 && strcmp(argv[1], "cast") == 0)
        return test_cast(argv[2]);
    if (argc == 4 && strcmp(argv[1], "again") == 0)
        return test_again(argv[2], argv[3]);
    if (argc == 4 && strcmp(argv[1], "markup") == 0)
        return test_markup(argv[2], argv[3]);
    fprintf(stderr,
            "usage: %s render XMLLINT | golden XMLLINT CELLS_DIR SVG_DIR | cast FILE | "
            "again SCREENSHOTS_BIN SVG_DIR | markup SCREENSHOTS_BIN XMLLINT\n",
            argv[0]);
    return 2;
}
