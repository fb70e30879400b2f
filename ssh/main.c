/* main.c: the settd program: options, host key, socket, privileges, billing, then serve. */
#include <curl/curl.h>
#include <errno.h>
#include <grp.h>
#include <libssh/libssh.h>
#include <libssh/server.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ssh/embedded.h"
#include "ssh/forkserver.h"
#include "ssh/homes.h"
#include "ssh/hostkey.h"
#include "ssh/options.h"
#include "ssh/server.h"
#include "ssh/session.h"
#include "ssh/warm.h"

static int main_mkdir_p(const char *path)
{
    char buf[OPTIONS_PATH_MAX];

    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

/* The key leaves settd's environment (and the text /proc/PID/environ shows) once read, so no
 * process forked from here inherits it, whether or not it was the one used. */
static void main_scrub_env(const char *name)
{
    char *v = getenv(name);

    if (v)
        explicit_bzero(v, strlen(v));
    unsetenv(name);
}

static int main_service_key(const struct settd_options *o, char *out, size_t outsz)
{
    const char *env = getenv("SETT_SERVICE_KEY");
    FILE *f;

    if (o->service_key_file[0]) {
        if (!(f = fopen(o->service_key_file, "r"))) {
            fprintf(stderr, "settd: --service-key-file %s: %s\n", o->service_key_file,
                    strerror(errno));
            return -1;
        }
        if (!fgets(out, (int)outsz, f))
            out[0] = '\0';
        fclose(f);
        out[strcspn(out, " \t\r\n")] = '\0';
    } else if (env) {
        snprintf(out, outsz, "%s", env);
    }
    if (!out[0]) {
        fprintf(stderr, "settd: --api needs a service key of scope ssh: give "
                        "--service-key-file PATH or set SETT_SERVICE_KEY\n");
        return -1;
    }
    return 0;
}

static int main_drop_privileges(const char *user, const char *data_dir)
{
    struct passwd *pw = getpwnam(user);

    if (!pw) {
        fprintf(stderr, "settd: --user %s: no such user\n", user);
        return -1;
    }
    /* the billing database lives in the data dir and is written as that user */
    if (geteuid() == 0 && chown(data_dir, pw->pw_uid, pw->pw_gid) != 0) {
        fprintf(stderr, "settd: chown %s: %s\n", data_dir, strerror(errno));
        return -1;
    }
    if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
        fprintf(stderr, "settd: cannot become %s: %s\n", user, strerror(errno));
        return -1;
    }
    if (pw->pw_uid != 0 && setuid(0) == 0) {
        fprintf(stderr, "settd: dropping privileges did not stick\n");
        return -1;
    }
    return 0;
}

static int main_port_file(const char *path, int port)
{
    char tmp[OPTIONS_PATH_MAX + 8];
    FILE *f;

    /* written whole and renamed, so a reader never sees half a number */
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    if (!(f = fopen(tmp, "w")) || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 ||
        rename(tmp, path) != 0) {
        fprintf(stderr, "settd: --port-file %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct settd_options opt;
    struct embedded billing = {0};
    struct session_ctx ctx = {0};
    struct homes homes = {.fd = -1};
    struct forkserver forkserver = {.fd = -1};
    char err[600], fp[HOSTKEY_FP_MAX], service_key[256] = "", db[OPTIONS_PATH_MAX + 16];
    ssh_key key = NULL;
    ssh_bind bind = NULL;
    int code = 1, listen_fd = -1, port = 0;

    if (options_parse(argc, argv, &opt, &code) != 0)
        return code;
    code = 1;
    if (ssh_init() != SSH_OK || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "settd: cannot initialise libssh or libcurl\n");
        return 1;
    }
    /* the billing database, the host key and every session's HOME are private to this user,
     * whatever umask settd was started with */
    umask(077);
    if (main_mkdir_p(opt.data_dir) != 0 || chmod(opt.data_dir, 0700) != 0) {
        fprintf(stderr, "settd: cannot create %s: %s\n", opt.data_dir, strerror(errno));
        goto done;
    }
    if (hostkey_load(opt.host_key, &key, err, sizeof err) != 0 ||
        hostkey_fingerprint(key, fp, sizeof fp) != 0) {
        fprintf(stderr, "settd: %s\n", err);
        goto done;
    }
    if (opt.print_fingerprint) {
        printf("%s\n", fp);
        code = 0;
        goto done;
    }
    fprintf(stderr, "settd: host key %s\n", fp);
    if (opt.api[0] && main_service_key(&opt, service_key, sizeof service_key) != 0)
        goto done;
    main_scrub_env("SETT_SERVICE_KEY");
    bind = hostkey_bind(key);
    key = NULL; /* the bind owns it now (ssh_bind_free frees it) */
    if (!bind) {
        fprintf(stderr, "settd: cannot configure libssh\n");
        goto done;
    }
    /* before the first fork: each connection process then shares what OpenSSL builds */
    warm_crypto();
    if (server_listen(opt.listen, opt.port, &listen_fd, &port, err, sizeof err) != 0) {
        fprintf(stderr, "settd: %s\n", err);
        goto done;
    }
    /* written while still privileged (the file's directory may be root's); connections that
     * come before the billing server is up wait in the listen queue */
    fprintf(stderr, "settd: listening on %s port %d\n", opt.listen, port);
    if (opt.port_file[0] && main_port_file(opt.port_file, port) != 0)
        goto done;
    if (opt.user[0] && main_drop_privileges(opt.user, opt.data_dir) != 0)
        goto done;
    if (!opt.api[0]) {
        snprintf(db, sizeof db, "%s/billing.db", opt.data_dir);
        if (embedded_start(db, opt.sandbox, listen_fd, &billing, err, sizeof err) != 0) {
            fprintf(stderr, "settd: %s\n", err);
            goto done;
        }
    }
    /* sett runs as this same user: without this, a sett that misbehaved could read the host key
     * and the service key out of settd's memory (ptrace, /proc/PID/mem, /proc/PID/environ).
     * Connection processes inherit it; exec resets it for sett, whose memory is its own. */
    if (prctl(PR_SET_DUMPABLE, 0) != 0) {
        fprintf(stderr, "settd: prctl(PR_SET_DUMPABLE): %s\n", strerror(errno));
        goto done;
    }
    if (access(opt.sett, X_OK) != 0)
        fprintf(stderr, "settd: warning: %s: %s (give --sett PATH)\n", opt.sett, strerror(errno));
    /* every session's HOME lives in this directory, made now as the user sett runs as */
    if (homes_open(&homes, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "settd: %s\n", err);
        goto done;
    }
    /* the warm storefront each session's sett is forked from */
    forkserver.sett = opt.fork_server ? opt.sett : NULL;
    if (forkserver_start(&forkserver, err, sizeof err) != 0)
        fprintf(stderr, "settd: %s; sessions start sett by exec\n", err);
    ctx.forkserver = &forkserver;
    ctx.homes = &homes;
    ctx.opt = &opt;
    ctx.bind = bind;
    ctx.api = opt.api[0] ? opt.api : billing.url;
    ctx.service_key = opt.api[0] ? service_key : billing.service_key;
    code = server_run(&ctx, listen_fd, &billing.pid);
    listen_fd = -1; /* closed by server_run */
done:
    forkserver_stop(&forkserver);
    if (listen_fd >= 0)
        close(listen_fd);
    embedded_stop(&billing);
    homes_close(&homes);
    explicit_bzero(service_key, sizeof service_key);
    if (bind)
        ssh_bind_free(bind);
    ssh_key_free(key);
    curl_global_cleanup();
    ssh_finalize();
    return code;
}
