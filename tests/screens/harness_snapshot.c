/* harness_snapshot.c: compares the screen with golden files, or rewrites them. */
#include "harness_internal.h"

#include "tempdir.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCREENS_GOLDEN_DIR
#error "SCREENS_GOLDEN_DIR must name the golden files' directory"
#endif

static const char *next_line(const char *s, const char **end)
{
    const char *nl = strchr(s, '\n');
    *end = nl ? nl : s + strlen(s);
    return nl ? nl + 1 : *end;
}

int harness_diff_text(const char *name, const char *expected, const char *actual, FILE *out)
{
    int differ = 0, row = 0;
    const char *e = expected, *a = actual;
    while (*e || *a) {
        const char *e_end, *a_end;
        const char *e_next = next_line(e, &e_end), *a_next = next_line(a, &a_end);
        size_t el = (size_t)(e_end - e), al = (size_t)(a_end - a);
        if (el != al || memcmp(e, a, el) != 0) {
            if (out) {
                if (differ == 0)
                    fprintf(out, "---- snapshot %s differs (- golden, + screen) ----\n", name);
                fprintf(out, "row %d:\n-%.*s\n+%.*s\n", row, (int)el, e, (int)al, a);
            }
            differ++;
        }
        e = e_next;
        a = a_next;
        row++;
    }
    return differ;
}

int harness_snapshot(struct harness *h, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s.txt", SCREENS_GOLDEN_DIR, name);
    char *screen = harness_screen_dup(h);
    int rc = -1;
    if (!screen)
        return -1;
    const char *update = getenv("UPDATE_SNAPSHOTS");
    if (update && *update && strcmp(update, "0") != 0) {
        if (tempdir_write_file(path, screen, strlen(screen)) != 0) {
            fprintf(stderr, "harness: cannot write %s: %s\n", path, strerror(errno));
            goto done;
        }
        fprintf(stderr, "harness: updated %s\n", path);
        rc = 0;
        goto done;
    }
    char *golden = tempdir_read_file(path, NULL);
    if (!golden) {
        fprintf(stderr, "harness: no golden file %s (UPDATE_SNAPSHOTS=1 writes it)\n", path);
        harness_print_screen(h, stderr, name);
    } else if (harness_diff_text(name, golden, screen, stderr) == 0) {
        rc = 0;
    } else {
        harness_print_screen(h, stderr, name);
    }
    if (rc != 0) {
        char actual[PATH_MAX];
        snprintf(actual, sizeof actual, "%s.actual.txt", name);
        if (tempdir_write_file(actual, screen, strlen(screen)) == 0)
            fprintf(stderr, "harness: this screen is in %s (in the test's working directory)\n",
                    actual);
    }
    free(golden);
done:
    free(screen);
    return rc;
}
