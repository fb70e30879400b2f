/* catalog_cli.c: `sett-billingd catalog export [--db PATH]` and `sett-billingd catalog apply FILE
 * [--dry-run] [--db PATH]`: the live catalog written out as a --catalog file, and made to match
 * one in a single transaction. */
#include "billing/catalog_cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "billing/catalog_apply.h"
#include "billing/catalog_store.h"
#include "billing/db.h"
#include "billing/json_util.h"
#include "billing/text.h"

#define CATALOG_FILE_MAX (16u << 20) /* as --catalog */

static void catalog_usage(FILE *out)
{
    fputs("Usage: sett-billingd catalog export [--db PATH]\n"
          "       sett-billingd catalog apply FILE [--dry-run] [--db PATH]\n"
          "Write the live catalog as a --catalog file, or make it match one.\n"
          "\n"
          "  export          print the catalog (settings, categories and products, hidden and\n"
          "                  retired ones included) as JSON on standard output\n"
          "  apply FILE      in one transaction: add the file's new categories and products,\n"
          "                  change the changed ones (matched by slug), hide those the file\n"
          "                  no longer has (nothing is deleted), order them as the file does\n"
          "                  and set its stock; print each difference first\n"
          "  --dry-run       with apply: print the differences, change nothing\n"
          "  --db PATH       the database (default $XDG_DATA_HOME/sett/billing.db)\n"
          "  --help          show this help and exit\n"
          "\n"
          "Each difference is one line, \"category/product.cycles[monthly].price: 299 -> 349\",\n"
          "\"category/product: added\"; \"no changes\" when there are none. Every changed row\n"
          "gets an audit log entry (actor \"catalog apply\", reason \"catalog apply FILE\").\n"
          "A file that does not validate changes nothing and the error names the place.\n"
          "\n"
          "Exit status: 0 done; 1 failure (unreadable or invalid file, database error),\n"
          "nothing changed; 2 bad command line.\n",
          out);
}

static int catalog_usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "sett-billingd catalog: %s%s%s%s\nTry 'sett-billingd catalog --help'.\n", what,
            arg ? " '" : "", arg ? arg : "", arg ? "'" : "");
    return 2;
}

/* The whole file, NUL-terminated; NULL with a message printed. */
static char *catalog_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *grown;
    size_t cap = 0, got;

    *len = 0;
    if (!f) {
        fprintf(stderr, "sett-billingd catalog: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    do {
        if (*len == cap) {
            if (cap >= CATALOG_FILE_MAX) {
                fprintf(stderr, "sett-billingd catalog: %s is larger than 16 MiB\n", path);
                goto fail;
            }
            cap = cap ? cap * 2 : 65536;
            if (!(grown = realloc(buf, cap + 1)))
                goto fail;
            buf = grown;
        }
        got = fread(buf + *len, 1, cap - *len, f);
        *len += got;
    } while (got > 0);
    if (ferror(f)) {
        fprintf(stderr, "sett-billingd catalog: cannot read %s\n", path);
        goto fail;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
fail:
    fclose(f);
    free(buf);
    return NULL;
}

/* The database, which must exist: export and apply never make a new shop. */
static struct db *catalog_open(const char *path)
{
    char err[512];
    struct db *db;

    if (access(path, F_OK) != 0) {
        fprintf(stderr, "sett-billingd catalog: no database at %s\n", path);
        return NULL;
    }
    if (!(db = db_new(path, err, sizeof err)))
        fprintf(stderr, "sett-billingd catalog: %s\n", err);
    return db;
}

static int catalog_export_cmd(const char *db_path)
{
    struct db *db = catalog_open(db_path);
    cJSON *doc;
    char *text = NULL;
    int rc = 1;

    if (!db)
        return 1;
    doc = catalog_store_export(db_acquire(db));
    if (!doc || !(text = cJSON_Print(doc)))
        fprintf(stderr, "sett-billingd catalog: cannot read the catalog\n");
    else if (printf("%s\n", text) < 0 || fflush(stdout) != 0)
        fprintf(stderr, "sett-billingd catalog: cannot write: %s\n", strerror(errno));
    else
        rc = 0;
    db_release(db);
    db_free(&db);
    cJSON_Delete(doc);
    free(text);
    return rc;
}

static void catalog_print_lines(const cJSON *lines)
{
    const cJSON *line;

    if (cJSON_GetArraySize(lines) == 0)
        puts("no changes");
    cJSON_ArrayForEach(line, lines)
    {
        puts(line->valuestring);
    }
    fflush(stdout);
}

static int catalog_apply_cmd(const char *db_path, const char *file, bool dry_run)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    char err[512], reason[PATH_MAX + 32];
    struct db *db = NULL;
    cJSON *doc = NULL, *lines = cJSON_CreateArray();
    sqlite3 *conn = NULL;
    size_t len;
    char *text;
    int rc = 1;

    if (!(text = catalog_read_file(file, &len)) || !lines)
        goto done;
    if (!(doc = json_parse_exact(text, len))) {
        fprintf(stderr, "sett-billingd catalog: %s: %s\n", file,
                text_utf8_valid(text, len) ? "not valid JSON" : "not valid UTF-8");
        goto done;
    }
    if (!(db = catalog_open(db_path)))
        goto done;
    conn = db_acquire(db);
    if (db_begin(conn) != 0) {
        fprintf(stderr, "sett-billingd catalog: cannot start: %s\n", sqlite3_errmsg(conn));
        goto done;
    }
    snprintf(reason, sizeof reason, "catalog apply %s", base);
    if (catalog_apply(conn, doc, reason, (int64_t)time(NULL), lines, err, sizeof err) != 0) {
        fprintf(stderr, "sett-billingd catalog: %s: %s\n", file, err);
        goto done;
    }
    catalog_print_lines(lines);
    if (dry_run) {
        fputs("sett-billingd catalog: dry run, nothing changed\n", stderr);
        rc = 0;
    } else if (db_commit(conn) != 0)
        fprintf(stderr, "sett-billingd catalog: cannot save: %s\n", sqlite3_errmsg(conn));
    else
        rc = 0;
done:
    if (conn) {
        db_rollback(conn);
        db_release(db);
    }
    db_free(&db);
    cJSON_Delete(doc);
    cJSON_Delete(lines);
    free(text);
    return rc;
}

int catalog_cli_main(int argc, char **argv, int (*default_db)(char *buf, size_t size))
{
    enum { OPT_DB = 256, OPT_DRY_RUN, OPT_HELP };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, OPT_DB},
        {"dry-run", no_argument, NULL, OPT_DRY_RUN},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *cmd, *file = NULL;
    char db_default[PATH_MAX];
    bool dry_run = false, apply;
    int c;

    if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
        catalog_usage(stdout);
        return 0;
    }
    if (argc < 2)
        return catalog_usage_error("missing command: export or apply", NULL);
    cmd = argv[1];
    if (strcmp(cmd, "export") != 0 && strcmp(cmd, "apply") != 0)
        return catalog_usage_error("unknown command", cmd);
    apply = strcmp(cmd, "apply") == 0;
    argc--;
    argv++;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_DB:
            db = optarg;
            break;
        case OPT_DRY_RUN:
            if (!apply)
                return catalog_usage_error("--dry-run goes with apply", NULL);
            dry_run = true;
            break;
        case OPT_HELP:
            catalog_usage(stdout);
            return 0;
        case ':':
            return catalog_usage_error("missing value for option", argv[optind - 1]);
        default:
            return catalog_usage_error("unknown option", argv[optind - 1]);
        }
    }
    if (apply && optind < argc)
        file = argv[optind++];
    if (optind < argc)
        return catalog_usage_error("unexpected argument", argv[optind]);
    if (apply && !file)
        return catalog_usage_error("apply needs a FILE", NULL);
    if (!db) {
        if (default_db(db_default, sizeof db_default) != 0)
            return 1;
        db = db_default;
    }
    return apply ? catalog_apply_cmd(db, file, dry_run) : catalog_export_cmd(db);
}
