/* warm.c: OpenSSL's method store filled before settd forks. OpenSSL builds an algorithm's
 * implementation, its name entries and its query cache the first time it is fetched; done in a
 * connection process, that writes over a hundred kilobytes of pages inherited from settd, which
 * then stop being shared. Fetched here once, a connection process only takes references. */
#include "ssh/warm.h"

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

enum warm_kind {
    WARM_MD,
    WARM_CIPHER,
    WARM_MAC,
    WARM_KDF,
    WARM_KEYMGMT,
    WARM_KEYEXCH,
    WARM_SIGNATURE,
};

/* What hostkey.c offers (curve25519 key exchange, an ed25519 host key, the ciphers and ETM MACs)
 * and what a customer's key may be (ed25519, ECDSA, RSA with SHA-2). */
static const struct warm_alg {
    enum warm_kind kind;
    const char *name;
} WARM_ALGS[] = {
    {WARM_MD, "SHA256"},          {WARM_MD, "SHA384"},
    {WARM_MD, "SHA512"},          {WARM_MD, "SHA1"},
    {WARM_CIPHER, "ChaCha20"},    {WARM_CIPHER, "AES-128-GCM"},
    {WARM_CIPHER, "AES-256-GCM"}, {WARM_CIPHER, "AES-128-CTR"},
    {WARM_CIPHER, "AES-192-CTR"}, {WARM_CIPHER, "AES-256-CTR"},
    {WARM_MAC, "HMAC"},           {WARM_MAC, "POLY1305"},
    {WARM_KDF, "SSHKDF"},         {WARM_KEYMGMT, "X25519"},
    {WARM_KEYMGMT, "ED25519"},    {WARM_KEYMGMT, "EC"},
    {WARM_KEYMGMT, "RSA"},        {WARM_KEYEXCH, "X25519"},
    {WARM_SIGNATURE, "ED25519"},  {WARM_SIGNATURE, "ECDSA"},
    {WARM_SIGNATURE, "RSA"},
};

/* Fetched and released: the store and its cache keep the implementation. */
static int warm_one(const struct warm_alg *a, const char *query)
{
    switch (a->kind) {
    case WARM_MD: {
        EVP_MD *m = EVP_MD_fetch(NULL, a->name, query);
        EVP_MD_free(m);
        return m != NULL;
    }
    case WARM_CIPHER: {
        EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, a->name, query);
        EVP_CIPHER_free(c);
        return c != NULL;
    }
    case WARM_MAC: {
        EVP_MAC *m = EVP_MAC_fetch(NULL, a->name, query);
        EVP_MAC_free(m);
        return m != NULL;
    }
    case WARM_KDF: {
        EVP_KDF *k = EVP_KDF_fetch(NULL, a->name, query);
        EVP_KDF_free(k);
        return k != NULL;
    }
    case WARM_KEYMGMT: {
        EVP_KEYMGMT *k = EVP_KEYMGMT_fetch(NULL, a->name, query);
        EVP_KEYMGMT_free(k);
        return k != NULL;
    }
    case WARM_KEYEXCH: {
        EVP_KEYEXCH *k = EVP_KEYEXCH_fetch(NULL, a->name, query);
        EVP_KEYEXCH_free(k);
        return k != NULL;
    }
    case WARM_SIGNATURE: {
        EVP_SIGNATURE *s = EVP_SIGNATURE_fetch(NULL, a->name, query);
        EVP_SIGNATURE_free(s);
        return s != NULL;
    }
    }
    return 0;
}

int warm_crypto(void)
{
    unsigned char byte;
    int found = 0;

    /* libssh fetches some by name (no query) and reaches others through EVP_sha256() and the
     * like, which OpenSSL fetches with the empty query: each is a cache entry of its own */
    for (size_t i = 0; i < sizeof WARM_ALGS / sizeof WARM_ALGS[0]; i++)
        found += warm_one(&WARM_ALGS[i], NULL) & warm_one(&WARM_ALGS[i], "");
    /* the random generators exist before the fork (each process still reseeds its own) */
    RAND_bytes(&byte, 1);
    return found;
}
