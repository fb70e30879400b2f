/* cli_out.h: what sett's commands print: aligned tables of sanitized text, and JSON. No curses. */
#ifndef SETT_SCREENS_CLI_OUT_H
#define SETT_SCREENS_CLI_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

/* A cell's tone: a colour on a terminal that takes colours, nothing otherwise. */
enum cli_tone {
    CLI_TONE_NONE,
    CLI_TONE_GOOD, /* paid, active */
    CLI_TONE_WARN, /* unpaid, pending, low stock */
    CLI_TONE_BAD,  /* overdue, suspended, sold out */
    CLI_TONE_DIM,  /* cancelled, ended */
};

#define CLI_COLS_MAX 8

struct cli_column {
    const char *title;
    bool right; /* numbers and money line up on the right */
    bool flex;  /* may be shortened to fit a terminal (names, descriptions) */
};

struct cli_table;

struct cli_table *cli_table_new(const struct cli_column *cols, int n_cols);
void cli_table_free(struct cli_table **t);
/* Adds a row of n_cols cells (NULL is ""). Each cell is sanitized (no control characters, no
 * escape sequences, no line breaks) before it is stored. 0, or -1 out of memory. */
int cli_table_add(struct cli_table *t, const char *const *cells, const enum cli_tone *tones);
/* Prints the header and the rows, columns two spaces apart, each as wide as its widest cell.
 * `max_width` > 0 (a terminal's width) shortens the flex columns with an ellipsis to fit it;
 * 0 prints every cell whole (a pipe or a file). `color` adds SGR bold and colours. */
void cli_table_print(const struct cli_table *t, FILE *out, int max_width, bool color);

/* Prints `json` compact (one line) and a newline. Strings stay JSON strings, but every
 * character a terminal could act on is written as a \u escape (C0 and C1 controls, DEL, bidi
 * overrides and isolates) and invalid UTF-8 as \ufffd, so the output is inert on a terminal and
 * still parses to the same data. 0, or -1 out of memory. */
int cli_json_print(const cJSON *json, FILE *out);

/* `s` without controls or escape sequences, for a message on stderr (at most n-1 bytes). */
void cli_sanitize(const char *s, char *buf, size_t n);

#endif
