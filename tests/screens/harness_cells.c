/* harness_cells.c: the rendered screen as runs of same-styled cells, and their text dump. */
#include "harness_svg.h"

#include "harness_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Characters XML cannot carry (controls, surrogates, non-characters) become U+FFFD. */
static uint32_t printable(uint32_t c)
{
    if ((c < 0x20) || (c >= 0x7F && c < 0xA0) || (c >= 0xD800 && c < 0xE000) || c == 0xFFFE ||
        c == 0xFFFF || c > 0x10FFFF)
        return 0xFFFD;
    return c;
}

static struct svg_color color_of(VTermColor c, bool fg)
{
    struct svg_color out = {.kind = SVG_COLOR_DEFAULT};
    if (fg ? VTERM_COLOR_IS_DEFAULT_FG(&c) : VTERM_COLOR_IS_DEFAULT_BG(&c))
        return out;
    if (VTERM_COLOR_IS_INDEXED(&c)) {
        out.kind = SVG_COLOR_INDEXED;
        out.index = c.indexed.idx;
    } else {
        out.kind = SVG_COLOR_RGB;
        out.r = c.rgb.red;
        out.g = c.rgb.green;
        out.b = c.rgb.blue;
    }
    return out;
}

static unsigned attrs_of(const VTermScreenCell *c)
{
    return (c->attrs.bold ? SVG_BOLD : 0) | (c->attrs.underline ? SVG_UNDERLINE : 0) |
           (c->attrs.italic ? SVG_ITALIC : 0) | (c->attrs.reverse ? SVG_REVERSE : 0) |
           (c->attrs.font == HARNESS_FONT_DIM ? SVG_DIM : 0) | (c->attrs.strike ? SVG_STRIKE : 0);
}

static bool same_color(struct svg_color a, struct svg_color b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind == SVG_COLOR_INDEXED)
        return a.index == b.index;
    return a.kind == SVG_COLOR_DEFAULT || (a.r == b.r && a.g == b.g && a.b == b.b);
}

int svg_screen_add(struct svg_screen *s, const struct svg_run *run)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct svg_run *bigger = realloc(s->runs, cap * sizeof *bigger);
        if (!bigger)
            return -1;
        s->runs = bigger;
        s->cap = cap;
    }
    s->runs[s->n] = *run;
    s->runs[s->n].text = strdup(run->text);
    if (!s->runs[s->n].text)
        return -1;
    s->n++;
    return 0;
}

void svg_screen_clear(struct svg_screen *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->runs[i].text);
    free(s->runs);
    memset(s, 0, sizeof *s);
}

int svg_screen_from_harness(struct harness *h, struct svg_screen *s)
{
    size_t textsz = 0;
    char *text = NULL;
    int rc = -1;
    memset(s, 0, sizeof *s);
    harness_size(h, &s->rows, &s->cols);
    harness_cursor(h, &s->cursor_row, &s->cursor_col, &s->cursor_visible);
    textsz = (size_t)s->cols * 4 * VTERM_MAX_CHARS_PER_CELL + 1;
    text = malloc(textsz);
    if (!text)
        goto done;
    for (int row = 0; row < s->rows; row++) {
        struct svg_run run = {.row = row, .text = text};
        size_t len = 0;
        for (int col = 0; col < s->cols;) {
            VTermScreenCell cell;
            struct svg_run here = {.row = row, .col = col};
            int width = 1;
            if (harness_cell(h, row, col, &cell) == 0) {
                here.fg = color_of(cell.fg, true);
                here.bg = color_of(cell.bg, false);
                here.attrs = attrs_of(&cell);
                width = cell.width > 1 ? cell.width : 1;
            } else {
                memset(&cell, 0, sizeof cell);
            }
            if (col > 0 && (run.attrs != here.attrs || !same_color(run.fg, here.fg) ||
                            !same_color(run.bg, here.bg))) {
                text[len] = '\0';
                if (svg_screen_add(s, &run) != 0)
                    goto done;
                len = 0;
            }
            if (len == 0) {
                run = here;
                run.cells = 0;
                run.text = text;
            }
            if (cell.chars[0] == 0 || cell.chars[0] == (uint32_t)-1)
                text[len++] = ' ';
            for (int i = 0;
                 i < VTERM_MAX_CHARS_PER_CELL && cell.chars[i] && cell.chars[i] != (uint32_t)-1;
                 i++)
                len += harness_put_utf8(text + len, printable(cell.chars[i]));
            run.cells += width;
            col += width;
        }
        text[len] = '\0';
        if (len > 0 && svg_screen_add(s, &run) != 0)
            goto done;
    }
    rc = 0;
done:
    free(text);
    if (rc != 0)
        svg_screen_clear(s);
    return rc;
}

/* ---- the dump ---- */

static void dump_quoted(const char *text, FILE *out)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else
            fputc(*p, out);
    }
    fputs("\"\n", out);
}

static void dump_color(struct svg_color c, FILE *out)
{
    if (c.kind == SVG_COLOR_INDEXED)
        fprintf(out, " i%u", c.index);
    else if (c.kind == SVG_COLOR_RGB)
        fprintf(out, " #%02x%02x%02x", c.r, c.g, c.b);
    else
        fputs(" -", out);
}

static const char attr_letters[] = "buirds"; /* in the order of the SVG_* bits */

int svg_screen_dump(const struct svg_screen *s, FILE *out)
{
    fprintf(out, "sett-cells 1\nsize %d %d\ncursor %d %d %d\n", s->rows, s->cols, s->cursor_row,
            s->cursor_col, s->cursor_visible ? 1 : 0);
    fputs("title ", out);
    dump_quoted(s->title, out);
    for (size_t i = 0; i < s->n; i++) {
        const struct svg_run *r = &s->runs[i];
        fprintf(out, "run %d %d %d", r->row, r->col, r->cells);
        dump_color(r->fg, out);
        dump_color(r->bg, out);
        fputc(' ', out);
        if (!r->attrs)
            fputc('-', out);
        for (int b = 0; attr_letters[b]; b++)
            if (r->attrs & (1u << b))
                fputc(attr_letters[b], out);
        fputc(' ', out);
        dump_quoted(r->text, out);
    }
    return ferror(out) ? -1 : 0;
}

static int parse_color(const char *tok, struct svg_color *c)
{
    char *end;
    memset(c, 0, sizeof *c);
    if (strcmp(tok, "-") == 0)
        return 0;
    if (tok[0] == 'i') {
        long v = strtol(tok + 1, &end, 10);
        if (end == tok + 1 || *end || v < 0 || v > 255)
            return -1;
        c->kind = SVG_COLOR_INDEXED;
        c->index = (uint8_t)v;
        return 0;
    }
    if (tok[0] == '#' && strlen(tok) == 7) {
        unsigned long v = strtoul(tok + 1, &end, 16);
        if (*end)
            return -1;
        c->kind = SVG_COLOR_RGB;
        c->r = (uint8_t)(v >> 16);
        c->g = (uint8_t)(v >> 8);
        c->b = (uint8_t)v;
        return 0;
    }
    return -1;
}

static int parse_attrs(const char *tok, unsigned *attrs)
{
    *attrs = 0;
    if (strcmp(tok, "-") == 0)
        return 0;
    for (const char *p = tok; *p; p++) {
        const char *at = strchr(attr_letters, *p);
        if (!at)
            return -1;
        *attrs |= 1u << (at - attr_letters);
    }
    return 0;
}

/* The quoted text at `p` into `out` (unescaped); -1 if malformed. */
static int parse_text(const char *p, char *out)
{
    size_t len = 0;
    if (*p++ != '"')
        return -1;
    while (*p && *p != '"') {
        if (*p != '\\') {
            out[len++] = *p++;
            continue;
        }
        p++;
        if (*p == '"' || *p == '\\') {
            out[len++] = *p++;
        } else if (*p == 'x' && p[1] && p[2]) {
            char hex[3] = {p[1], p[2], 0};
            out[len++] = (char)strtoul(hex, NULL, 16);
            p += 3;
        } else {
            return -1;
        }
    }
    if (*p != '"' || (p[1] != '\n' && p[1] != '\0'))
        return -1;
    out[len] = '\0';
    return 0;
}

int svg_screen_load(struct svg_screen *s, FILE *in, char *err, size_t errsz)
{
    char line[8192], text[8192], fg[16], bg[16], attrs[16];
    int lineno = 0, visible = 0, used = 0;
    memset(s, 0, sizeof *s);
    while (fgets(line, sizeof line, in)) {
        lineno++;
        struct svg_run run = {.text = text};
        if (lineno == 1) {
            if (strcmp(line, "sett-cells 1\n") != 0)
                goto bad;
        } else if (lineno == 2) {
            if (sscanf(line, "size %d %d", &s->rows, &s->cols) != 2 || s->rows <= 0 || s->cols <= 0)
                goto bad;
        } else if (lineno == 3) {
            if (sscanf(line, "cursor %d %d %d", &s->cursor_row, &s->cursor_col, &visible) != 3)
                goto bad;
            s->cursor_visible = visible != 0;
        } else if (lineno == 4) {
            if (strncmp(line, "title ", 6) != 0 || parse_text(line + 6, text) != 0 ||
                strlen(text) >= sizeof s->title)
                goto bad;
            memcpy(s->title, text, strlen(text) + 1);
        } else if (sscanf(line, "run %d %d %d %15s %15s %15s %n", &run.row, &run.col, &run.cells,
                          fg, bg, attrs, &used) == 6 &&
                   used > 0 && parse_color(fg, &run.fg) == 0 && parse_color(bg, &run.bg) == 0 &&
                   parse_attrs(attrs, &run.attrs) == 0 && parse_text(line + used, text) == 0 &&
                   run.row >= 0 && run.row < s->rows && run.col >= 0 && run.cells > 0 &&
                   run.col + run.cells <= s->cols) {
            if (svg_screen_add(s, &run) != 0) {
                snprintf(err, errsz, "out of memory");
                svg_screen_clear(s);
                return -1;
            }
        } else {
            goto bad;
        }
    }
    if (lineno >= 4)
        return 0;
bad:
    snprintf(err, errsz, "line %d: not a sett-cells 1 line", lineno);
    svg_screen_clear(s);
    return -1;
}

/* ---- files ---- */

static int write_file(const char *path, const struct svg_screen *s, bool svg)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "harness_svg: %s: %s\n", path, strerror(errno));
        return -1;
    }
    int rc = svg ? svg_screen_write(s, f) : svg_screen_dump(s, f);
    if (fclose(f) != 0 || rc != 0) {
        fprintf(stderr, "harness_svg: could not write %s\n", path);
        return -1;
    }
    return 0;
}

int harness_svg_titled(struct harness *h, const char *path, const char *title,
                       const char *cells_path)
{
    struct svg_screen s;
    int rc = -1;
    if (svg_screen_from_harness(h, &s) != 0) {
        fprintf(stderr, "harness_svg: out of memory\n");
        return -1;
    }
    snprintf(s.title, sizeof s.title, "%s", title ? title : "");
    if (write_file(path, &s, true) != 0)
        goto done;
    if (cells_path && write_file(cells_path, &s, false) != 0)
        goto done;
    rc = 0;
done:
    svg_screen_clear(&s);
    return rc;
}

int harness_svg(struct harness *h, const char *path)
{
    return harness_svg_titled(h, path, NULL, NULL);
}
