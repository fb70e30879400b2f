/* cli_out.c: aligned tables of sanitized text and terminal-inert JSON for sett's commands. */
#include "screens/cli_out.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui/tui.h" /* tui_sanitize: pure text filtering, no curses calls */
#include "tui/utf8.h"

#define CELL_MAX  4096 /* bytes of one sanitized cell; longer text is cut there */
#define FLEX_MIN  12   /* a flex column is never shortened below this */
#define COL_GAP   2
#define SGR_RESET "\033[0m"

struct cli_row {
    char *cells[CLI_COLS_MAX];
    enum cli_tone tones[CLI_COLS_MAX];
};

struct cli_table {
    struct cli_column cols[CLI_COLS_MAX];
    int n_cols;
    struct cli_row *rows;
    size_t n_rows, cap;
};

/* Sanitized text is valid UTF-8: one code point and its length. */
static size_t utf8_next(const unsigned char *p, int *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] < 0xE0) {
        *cp = ((p[0] & 0x1F) << 6) | (p[1] & 0x3F);
        return 2;
    }
    if (p[0] < 0xF0) {
        *cp = ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
        return 3;
    }
    *cp = ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
}

static int cp_width(int cp)
{
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w; /* drawn as one replacement character */
}

static int text_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0, cp;
    while (*p) {
        p += utf8_next(p, &cp);
        w += cp_width(cp);
    }
    return w;
}

void cli_sanitize(const char *s, char *buf, size_t n)
{
    tui_sanitize(s, buf, n, false);
}

struct cli_table *cli_table_new(const struct cli_column *cols, int n_cols)
{
    if (n_cols < 1 || n_cols > CLI_COLS_MAX)
        return NULL;
    struct cli_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    memcpy(t->cols, cols, (size_t)n_cols * sizeof *cols);
    t->n_cols = n_cols;
    return t;
}

void cli_table_free(struct cli_table **t)
{
    if (!t || !*t)
        return;
    for (size_t r = 0; r < (*t)->n_rows; r++)
        for (int c = 0; c < (*t)->n_cols; c++)
            free((*t)->rows[r].cells[c]);
    free((*t)->rows);
    free(*t);
    *t = NULL;
}

int cli_table_add(struct cli_table *t, const char *const *cells, const enum cli_tone *tones)
{
    char clean[CELL_MAX];
    if (t->n_rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        struct cli_row *grown = realloc(t->rows, cap * sizeof *grown);
        if (!grown)
            return -1;
        t->rows = grown;
        t->cap = cap;
    }
    struct cli_row *row = &t->rows[t->n_rows];
    memset(row, 0, sizeof *row);
    for (int c = 0; c < t->n_cols; c++) {
        tui_sanitize(cells[c] ? cells[c] : "", clean, sizeof clean, false);
        row->cells[c] = strdup(clean);
        row->tones[c] = tones ? tones[c] : CLI_TONE_NONE;
        if (!row->cells[c]) {
            for (int k = 0; k < c; k++)
                free(row->cells[k]);
            return -1;
        }
    }
    t->n_rows++;
    return 0;
}

/* Shortens the widest flex columns, one column at a time, until the table fits `max_width`. */
static void fit_widths(const struct cli_table *t, int *w, int max_width)
{
    int total = COL_GAP * (t->n_cols - 1);
    for (int c = 0; c < t->n_cols; c++)
        total += w[c];
    while (total > max_width) {
        int widest = -1;
        for (int c = 0; c < t->n_cols; c++)
            if (t->cols[c].flex && w[c] > FLEX_MIN && (widest < 0 || w[c] > w[widest]))
                widest = c;
        if (widest < 0)
            return; /* as narrow as it goes: the terminal wraps the rest */
        w[widest]--;
        total--;
    }
}

static const char *ellipsis(int *width)
{
    bool utf8 = MB_CUR_MAX > 1;
    *width = 1;
    return utf8 ? "\xe2\x80\xa6" : "~";
}

/* Prints `s` in `width` columns: cut with an ellipsis when wider, padded unless it is last. */
static void print_cell(FILE *out, const char *s, int width, bool right, bool last, const char *sgr)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = text_width(s), used = 0, cp, ew;
    size_t len = strlen(s);
    const char *tail = "";

    if (w > width) {
        const char *e = ellipsis(&ew);
        len = 0;
        for (;;) {
            size_t n = utf8_next(p + len, &cp);
            if (!p[len] || used + cp_width(cp) > width - ew)
                break;
            used += cp_width(cp);
            len += n;
        }
        tail = e;
        w = used + ew;
    }
    if (right)
        fprintf(out, "%*s", width - w, "");
    fprintf(out, "%s%.*s%s%s", sgr ? sgr : "", (int)len, s, tail, sgr ? SGR_RESET : "");
    if (!right && !last)
        fprintf(out, "%*s", width - w, "");
}

static const char *tone_sgr(enum cli_tone tone)
{
    switch (tone) {
    case CLI_TONE_GOOD:
        return "\033[32m";
    case CLI_TONE_WARN:
        return "\033[33m";
    case CLI_TONE_BAD:
        return "\033[31m";
    case CLI_TONE_DIM:
        return "\033[2m";
    default:
        return NULL;
    }
}

void cli_table_print(const struct cli_table *t, FILE *out, int max_width, bool color)
{
    int w[CLI_COLS_MAX];
    for (int c = 0; c < t->n_cols; c++) {
        w[c] = text_width(t->cols[c].title);
        for (size_t r = 0; r < t->n_rows; r++) {
            int cw = text_width(t->rows[r].cells[c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    if (max_width > 0)
        fit_widths(t, w, max_width);
    for (int c = 0; c < t->n_cols; c++) {
        print_cell(out, t->cols[c].title, w[c], t->cols[c].right, c == t->n_cols - 1,
                   color ? "\033[1m" : NULL);
        fputs(c == t->n_cols - 1 ? "\n" : "  ", out);
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (int c = 0; c < t->n_cols; c++) {
            const char *sgr = color ? tone_sgr(t->rows[r].tones[c]) : NULL;
            print_cell(out, t->rows[r].cells[c], w[c], t->cols[c].right, c == t->n_cols - 1, sgr);
            fputs(c == t->n_cols - 1 ? "\n" : "  ", out);
        }
    }
}

/* ---- JSON ---- */

static bool terminal_active(int cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069);
}

int cli_json_print(const cJSON *json, FILE *out)
{
    char *text = cJSON_PrintUnformatted(json);
    if (!text)
        return -1;
    const unsigned char *p = (const unsigned char *)text, *end = p + strlen(text);
    bool in_string = false;
    while (*p) {
        if (!in_string || *p < 0x80) {
            if (in_string && *p == '\\' && p[1]) {
                fputc(*p++, out); /* an escape cJSON wrote: copied as it is */
            } else if (*p == '"') {
                in_string = !in_string;
            } else if (in_string && terminal_active(*p)) {
                fprintf(out, "\\u%04x", *p++); /* DEL: cJSON leaves it raw */
                continue;
            }
            fputc(*p++, out);
            continue;
        }
        int cp;
        size_t n = tui_utf8_decode(p, end, &cp);
        if (cp < 0) {
            fputs("\\ufffd", out); /* one for each byte of an invalid sequence */
            p++;
        } else if (terminal_active(cp)) {
            fprintf(out, "\\u%04x", (unsigned)cp);
            p += n;
        } else {
            fwrite(p, 1, n, out);
            p += n;
        }
    }
    fputc('\n', out);
    free(text);
    return 0;
}
