/* bench_items.h: the product list both benchmarked programs show (toy list and sett's catalog). */
#ifndef SETT_BENCH_ITEMS_H
#define SETT_BENCH_ITEMS_H

#include <stdint.h>
#include <stdio.h>

#define BENCH_ITEMS 40

static const char *const bench_games[] = {"Minecraft", "Rust",     "Valheim",      "Terraria",
                                          "ARK",       "Palworld", "Satisfactory", "Factorio"};
static const char *const bench_blurbs[] = {
    "Vanilla or modded survival for a handful of friends.",
    "Raids, bases and monthly wipes on fast NVMe storage.",
    "Viking co-op with automatic world backups.",
    "Digging and building, tModLoader ready.",
    "Dinosaurs, tribes and cluster support.",
    "Catch pals and build bases together.",
    "Factory building with a save slot per world.",
    "Megabases with mod portal sync.",
};
static const char *const bench_tiers[] = {"Dirt", "Stone", "Iron", "Gold", "Diamond"};

#define BENCH_GAMES ((int)(sizeof bench_games / sizeof bench_games[0]))

/* Neighbours differ as in a real catalog: item i is game i % 8 at tier i / 8, so the list reads
 * "Minecraft Dirt", "Rust Dirt", "Valheim Dirt" … "Factorio Diamond". */
static inline void bench_item_name(int i, char *buf, size_t n)
{
    snprintf(buf, n, "%s %s", bench_games[i % BENCH_GAMES], bench_tiers[i / BENCH_GAMES]);
}

static inline const char *bench_item_blurb(int i)
{
    return bench_blurbs[i % BENCH_GAMES];
}

static inline void bench_item_slug(int i, char *buf, size_t n)
{
    snprintf(buf, n, "bench-%02d", i);
}

/* 1 to 8, varying between neighbours: sizes memory, disk and CPU. */
static inline int bench_item_size(int i)
{
    return (i * 3 + i / BENCH_GAMES) % 8 + 1;
}

/* Monthly price in cents. */
static inline int64_t bench_item_price(int i)
{
    return 199 + (int64_t)bench_item_size(i) * 250 + (int64_t)(i / BENCH_GAMES) * 100 +
           (int64_t)(i % 4) * 25;
}

#endif
