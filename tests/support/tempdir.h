/* tempdir.h: private temporary directories for tests, removed with everything inside. */
#ifndef SETT_TEST_TEMPDIR_H
#define SETT_TEST_TEMPDIR_H

#include <stddef.h>

/* Creates $TMPDIR/PREFIX-XXXXXX (TMPDIR defaults to /tmp) and writes its path to `out`.
 * Returns 0, or -1 with errno set. */
int tempdir_make(const char *prefix, char *out, size_t outsz);
/* Removes `path` and everything below it; quiet about what is already gone. Returns 0 or -1. */
int tempdir_remove(const char *path);
/* Writes `len` bytes of `data` to a new file at `path` (mode 0600). Returns 0 or -1. */
int tempdir_write_file(const char *path, const void *data, size_t len);
/* Reads a whole file into a NUL-terminated heap buffer (free with free()); NULL on error. */
char *tempdir_read_file(const char *path, size_t *len);

#endif
