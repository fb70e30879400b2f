/* test_warm.c: what warm_crypto buys a connection process. A process forked from settd makes
 * OpenSSL fetches for its key exchange, host key signature, cipher and key derivation; before
 * warm_crypto they build OpenSSL's method store in the child's own pages, after it they are served
 * from what settd built, so the child writes to far fewer of the pages it shares with settd. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include "ssh/warm.h"

/* The fetches one connection makes, as libssh 0.10 makes them serving OpenSSH's client
 * (curve25519, ed25519, chacha20-poly1305): by name without a query, and through EVP_sha256()
 * and EVP_chacha20(), which OpenSSL fetches with the empty query. */
static int connection_fetches(void)
{
    int ok = 1;
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "SSHKDF", NULL);
    EVP_MD *sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    EVP_MD *sha256e = EVP_MD_fetch(NULL, "SHA256", "");
    EVP_MD *sha512 = EVP_MD_fetch(NULL, "SHA512", NULL);
    EVP_KEYMGMT *x25519 = EVP_KEYMGMT_fetch(NULL, "X25519", NULL);
    EVP_KEYEXCH *exch = EVP_KEYEXCH_fetch(NULL, "X25519", NULL);
    EVP_KEYMGMT *ed25519 = EVP_KEYMGMT_fetch(NULL, "ED25519", NULL);
    EVP_SIGNATURE *sig = EVP_SIGNATURE_fetch(NULL, "ED25519", NULL);
    EVP_CIPHER *chacha = EVP_CIPHER_fetch(NULL, "ChaCha20", "");
    EVP_MAC *poly = EVP_MAC_fetch(NULL, "poly1305", NULL);

    ok = kdf && sha256 && sha256e && sha512 && x25519 && exch && ed25519 && sig && chacha && poly;
    EVP_KDF_free(kdf);
    EVP_MD_free(sha256);
    EVP_MD_free(sha256e);
    EVP_MD_free(sha512);
    EVP_KEYMGMT_free(x25519);
    EVP_KEYEXCH_free(exch);
    EVP_KEYMGMT_free(ed25519);
    EVP_SIGNATURE_free(sig);
    EVP_CIPHER_free(chacha);
    EVP_MAC_free(poly);
    return ok;
}

/* Pages of this process's private writable mappings that are present and mapped by this process
 * alone: what it has written since the fork, or allocated. Huge reservations (a sanitizer's
 * shadow) are skipped. */
static long own_pages(void)
{
    FILE *maps = fopen("/proc/self/maps", "re");
    int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    char line[512];
    long n = 0;

    if (!maps || pm < 0) {
        if (maps)
            fclose(maps);
        if (pm >= 0)
            close(pm);
        return -1;
    }
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char perms[8];

        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || strcmp(perms, "rw-p") != 0 ||
            hi - lo > (256UL << 20))
            continue;
        for (unsigned long a = lo; a < hi; a += 4096) {
            uint64_t e = 0;

            if (pread(pm, &e, sizeof e, (off_t)(a / 4096 * sizeof e)) == (ssize_t)sizeof e &&
                (e >> 63 & 1) && (e >> 56 & 1))
                n++;
        }
    }
    fclose(maps);
    close(pm);
    return n;
}

/* The pages a forked child writes for one connection's fetches (reported through a pipe). */
static long child_pages(void)
{
    int p[2];
    long pages = -1;
    pid_t pid;
    int status;

    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        long before = own_pages(), after;

        after = connection_fetches() ? own_pages() : -1;
        pages = before < 0 || after < 0 ? -1 : after - before;
        if (write(p[1], &pages, sizeof pages) != (ssize_t)sizeof pages)
            _exit(1);
        _exit(0);
    }
    close(p[1]);
    assert_int_equal(read(p[0], &pages, sizeof pages), (ssize_t)sizeof pages);
    close(p[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return pages;
}

static void test_connection_shares_the_store(void **state)
{
    long cold, warm;

    (void)state;
    cold = child_pages();
    assert_true(cold >= 0);
    /* every algorithm of the table is found in Debian's OpenSSL */
    assert_int_equal(warm_crypto(), 21);
    warm = child_pages();
    assert_true(warm >= 0);
    print_message("pages written by a connection's fetches: %ld cold, %ld after warm_crypto\n",
                  cold, warm);
    /* cold, the child builds the method store (dozens of pages); warm, it takes references */
    assert_true(cold >= 16);
    assert_true(warm * 3 <= cold);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connection_shares_the_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
