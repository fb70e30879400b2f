/* hostkey.c: host key file handling. The file is created with O_EXCL and mode 0600 from the
 * start, so there is no moment at which another user could read it. */
#include "ssh/hostkey.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libssh/server.h>

/* Modern algorithms only (ssh-audit reports no failure): ETM MACs serve the CTR ciphers. */
#define SETTD_KEX "curve25519-sha256,curve25519-sha256@libssh.org"
#define SETTD_CIPHERS                                                                              \
    "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,"      \
    "aes192-ctr,aes128-ctr"
#define SETTD_MACS "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com"

int hostkey_fingerprint(const ssh_key key, char *out, size_t outsz)
{
    unsigned char *hash = NULL;
    size_t len = 0;
    char *fp;
    int rc = -1;

    if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &len) != SSH_OK)
        return -1;
    fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, len);
    if (fp && strlen(fp) < outsz) {
        memcpy(out, fp, strlen(fp) + 1);
        rc = 0;
    }
    ssh_string_free_char(fp);
    ssh_clean_pubkey_hash(&hash);
    return rc;
}

static int hostkey_write_new(const char *path, const char *text, mode_t mode, char *err,
                             size_t errsz)
{
    size_t len = strlen(text), off = 0;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);

    if (fd < 0) {
        snprintf(err, errsz, "cannot create %s: %s", path, strerror(errno));
        return -1;
    }
    while (off < len) {
        ssize_t n = write(fd, text + off, len - off);
        if (n <= 0) {
            snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
            close(fd);
            unlink(path);
            return -1;
        }
        off += (size_t)n;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        return -1;
    }
    return 0;
}

static int hostkey_create(const char *path, char *err, size_t errsz)
{
    ssh_key key = NULL;
    char *priv = NULL, *pub = NULL, pubpath[4096], *line = NULL;
    int rc = -1;

    if (ssh_pki_generate(SSH_KEYTYPE_ED25519, 0, &key) != SSH_OK) {
        snprintf(err, errsz, "cannot generate an ed25519 key");
        goto done;
    }
    if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &priv) != SSH_OK ||
        ssh_pki_export_pubkey_base64(key, &pub) != SSH_OK) {
        snprintf(err, errsz, "cannot encode the new host key");
        goto done;
    }
    if (hostkey_write_new(path, priv, 0600, err, errsz) != 0)
        goto done;
    rc = 0;
    /* The public half is a convenience (ssh-keygen -r for SSHFP records): best effort. */
    if (snprintf(pubpath, sizeof pubpath, "%s.pub", path) < (int)sizeof pubpath &&
        asprintf(&line, "ssh-ed25519 %s settd\n", pub) > 0) {
        char ignored[256];
        unlink(pubpath);
        hostkey_write_new(pubpath, line, 0644, ignored, sizeof ignored);
    }
done:
    free(line);
    if (priv) {
        explicit_bzero(priv, strlen(priv));
        ssh_string_free_char(priv);
    }
    ssh_string_free_char(pub);
    ssh_key_free(key);
    return rc;
}

int hostkey_load(const char *path, ssh_key *key, char *err, size_t errsz)
{
    struct stat st;

    *key = NULL;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT) {
            snprintf(err, errsz, "host key %s: %s", path, strerror(errno));
            return -1;
        }
        if (hostkey_create(path, err, errsz) != 0)
            return -1;
    } else if (!S_ISREG(st.st_mode)) {
        snprintf(err, errsz, "host key %s is not a regular file", path);
        return -1;
    }
    if (access(path, R_OK) != 0) {
        snprintf(err, errsz, "host key %s: %s", path, strerror(errno));
        return -1;
    }
    if (ssh_pki_import_privkey_file(path, NULL, NULL, NULL, key) != SSH_OK) {
        snprintf(err, errsz, "host key %s is not a valid private key", path);
        return -1;
    }
    if (ssh_key_type(*key) != SSH_KEYTYPE_ED25519) {
        snprintf(err, errsz, "host key %s is a %s key; settd serves ed25519 only", path,
                 ssh_key_type_to_char(ssh_key_type(*key)));
        ssh_key_free(*key);
        *key = NULL;
        return -1;
    }
    return 0;
}

ssh_bind hostkey_bind(ssh_key key)
{
    ssh_bind b = ssh_bind_new();
    bool no = false;

    if (!b)
        return NULL;
    if (ssh_bind_options_set(b, SSH_BIND_OPTIONS_PROCESS_CONFIG, &no) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_IMPORT_KEY, key) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_HOSTKEY_ALGORITHMS, "ssh-ed25519") != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_KEY_EXCHANGE, SETTD_KEX) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_CIPHERS_C_S, SETTD_CIPHERS) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_CIPHERS_S_C, SETTD_CIPHERS) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_HMAC_C_S, SETTD_MACS) != SSH_OK ||
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_HMAC_S_C, SETTD_MACS) != SSH_OK ||
        /* the version string names no library version for scanners to match */
        ssh_bind_options_set(b, SSH_BIND_OPTIONS_BANNER, "settd") != SSH_OK) {
        ssh_bind_free(b);
        return NULL;
    }
    return b;
}
