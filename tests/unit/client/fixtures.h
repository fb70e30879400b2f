/* fixtures.h: reading the decoders' JSON fixtures under tests/fixtures/client. */
#ifndef SETT_TEST_CLIENT_FIXTURES_H
#define SETT_TEST_CLIENT_FIXTURES_H

#include <stddef.h>

/* Returns the whole file, NUL-terminated (free it); fails the test when it is missing. */
char *fixture_load(const char *name, size_t *len);

/* Decodes a fixture with `decode`, expecting status `want` and `needle` in its message. */
#define EXPECT_FAIL(decode, type, free_fn, fixture, want, needle)                                  \
    do {                                                                                           \
        size_t len_;                                                                               \
        char *body_ = fixture_load(fixture, &len_);                                                \
        type *v_ = (type *)0x1;                                                                    \
        struct client_error e_;                                                                    \
                                                                                                   \
        assert_int_equal(decode(body_, len_, &v_, &e_), -1);                                       \
        assert_null(v_);                                                                           \
        assert_int_equal(e_.status, want);                                                         \
        if (!strstr(e_.message, needle))                                                           \
            fail_msg("%s: message '%s' lacks '%s'", fixture, e_.message, needle);                  \
        free_fn(&v_);                                                                              \
        free(body_);                                                                               \
    } while (0)

#endif
