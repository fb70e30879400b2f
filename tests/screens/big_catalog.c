/* big_catalog.c: a generated catalog of thousands of products, for paging tests and benchmarks. */
#include "big_catalog.h"

#include <stdio.h>

static const char *const words[] = {"survival", "modded",   "creative",  "hardcore", "vanilla",
                                    "skyblock", "factions", "minigames", "roleplay", "pvp"};

static void write_product(FILE *f, int n, int first)
{
    char name[32];
    snprintf(name, sizeof name, BIG_CATALOG_NAME_FMT, n);
    fprintf(f,
            "%s\n        {\"slug\": \"srv-%05d\", \"name\": \"%s\","
            " \"short_description\": \"A %s server%s, plan %d.\","
            " \"description\": \"Room for %d players on %d GB of memory.\","
            " \"pricing_model\": \"fixed\", \"resources\": {\"memory_mb\": %d, \"disk_mb\": %d,"
            " \"cpu_percent\": %d}, \"cycles\": [{\"cycle\": \"monthly\", \"price\": %d}]}",
            first ? "" : ",", n, name, words[n % 10], n % 100 == 0 ? " for kestrel fans" : "", n,
            10 + n % 90, 1 + n % 16, 1024 * (1 + n % 16), 10240 * (1 + n % 8), 100 * (1 + n % 6),
            199 + n % 5000);
}

int big_catalog_write(const char *path, int categories, int per_category)
{
    FILE *f = fopen(path, "w");
    int n = 0;
    if (!f) {
        perror(path);
        return -1;
    }
    fprintf(f, "{\n  \"categories\": [");
    for (int c = 0; c < categories; c++) {
        fprintf(f, "%s\n    {\"slug\": \"cat-%02d\", \"name\": \"Range %02d\", \"products\": [",
                c ? "," : "", c + 1, c + 1);
        for (int i = 0; i < per_category; i++)
            write_product(f, ++n, i == 0);
        fprintf(f, "\n    ]}");
    }
    fprintf(f, "\n  ]\n}\n");
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}
