/* warm.c: OpenSSL's method store filled before settd forks. OpenSSL builds an algorithm's
 * implementation, its name entries and its query cache the first time it is fetched; done in a
 * connection process, that writes over a hundred kilobytes of pages inherited from settd, which
 * then stop being shared. Fetched here once, a connection process only takes references. */
#include "ssh/warm.h"

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

/* One fetcher per kind of algorithm: fetched and released at once, the store and its cache keep
 * the implementation. */
#define WARM_FETCHER(name, type)                                                                   \
    static int name(const char *alg, const char *query)                                            \
    {                                                                                              \
        type *x = type##_fetch(NULL, alg, query);                                                  \
        type##_free(x);                                                                            \
        return x != NULL;                                                                          \
    }
WARM_FETCHER(warm_md, EVP_MD)
WARM_FETCHER(warm_cipher, EVP_CIPHER)
WARM_FETCHER(warm_mac, EVP_MAC)
WARM_FETCHER(warm_kdf, EVP_KDF)
WARM_FETCHER(warm_keymgmt, EVP_KEYMGMT)
WARM_FETCHER(warm_keyexch, EVP_KEYEXCH)
WARM_FETCHER(warm_signature, EVP_SIGNATURE)

/* What hostkey.c offers (curve25519 key exchange, an ed25519 host key, the ciphers and ETM MACs)
 * and what a customer's key may be (ed25519, ECDSA, RSA with SHA-2). */
static const struct warm_alg {
    int (*fetch)(const char *alg, const char *query);
    const char *name;
} WARM_ALGS[] = {
    {warm_md, "SHA256"},          {warm_md, "SHA384"},
    {warm_md, "SHA512"},          {warm_md, "SHA1"},
    {warm_cipher, "ChaCha20"},    {warm_cipher, "AES-128-GCM"},
    {warm_cipher, "AES-256-GCM"}, {warm_cipher, "AES-128-CTR"},
    {warm_cipher, "AES-192-CTR"}, {warm_cipher, "AES-256-CTR"},
    {warm_mac, "HMAC"},           {warm_mac, "POLY1305"},
    {warm_kdf, "SSHKDF"},         {warm_keymgmt, "X25519"},
    {warm_keymgmt, "ED25519"},    {warm_keymgmt, "EC"},
    {warm_keymgmt, "RSA"},        {warm_keyexch, "X25519"},
    {warm_signature, "ED25519"},  {warm_signature, "ECDSA"},
    {warm_signature, "RSA"},
};

int warm_crypto(void)
{
    unsigned char byte;
    int found = 0;

    /* libssh fetches some by name (no query) and reaches others through EVP_sha256() and the
     * like, which OpenSSL fetches with the empty query: each is a cache entry of its own */
    for (size_t i = 0; i < sizeof WARM_ALGS / sizeof WARM_ALGS[0]; i++)
        found +=
            WARM_ALGS[i].fetch(WARM_ALGS[i].name, NULL) & WARM_ALGS[i].fetch(WARM_ALGS[i].name, "");
    /* the random generators exist before the fork (each process still reseeds its own) */
    RAND_bytes(&byte, 1);
    return found;
}
