/* harness_svg.c: a screen's runs drawn as SVG: a monospace grid in a dark terminal's colours. */
#include "harness_svg.h"

#include <stdlib.h>
#include <string.h>

/* Geometry in tenths of a pixel (the viewBox), so every number written is an integer. */
#define CELL_W   84  /* 0.6 em of a 14 px monospace font */
#define CELL_H   180 /* line height */
#define BASELINE 132
#define FONT     140
#define PAD      120
#define SCALE    10

/* The dark scheme's own foreground and background, for cells with default colours. */
#define DEFAULT_FG 0xd0d0d0u
#define DEFAULT_BG 0x1c1c1cu

/* xterm's 16 colours; 16-231 are its 6x6x6 cube and 232-255 its grey ramp. */
static const uint32_t xterm16[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

uint32_t svg_color_rgb(struct svg_color c, bool fg)
{
    static const uint8_t cube[6] = {0, 95, 135, 175, 215, 255};
    if (c.kind == SVG_COLOR_RGB)
        return (uint32_t)c.r << 16 | (uint32_t)c.g << 8 | c.b;
    if (c.kind == SVG_COLOR_DEFAULT)
        return fg ? DEFAULT_FG : DEFAULT_BG;
    if (c.index < 16)
        return xterm16[c.index];
    if (c.index < 232) {
        int i = c.index - 16;
        return (uint32_t)cube[i / 36] << 16 | (uint32_t)cube[i / 6 % 6] << 8 | cube[i % 6];
    }
    uint32_t g = 8 + 10u * (c.index - 232u);
    return g << 16 | g << 8 | g;
}

static uint32_t blend(uint32_t a, uint32_t b, int a_percent)
{
    uint32_t out = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        uint32_t x = (a >> shift) & 0xff, y = (b >> shift) & 0xff;
        out |= ((x * (uint32_t)a_percent + y * (100u - (uint32_t)a_percent) + 50) / 100) << shift;
    }
    return out;
}

/* What a run looks like: reverse swaps the colours, dim fades the foreground. */
static void run_colors(const struct svg_run *r, uint32_t *fg, uint32_t *bg)
{
    *fg = svg_color_rgb(r->fg, true);
    *bg = svg_color_rgb(r->bg, false);
    if (r->attrs & SVG_REVERSE) {
        uint32_t t = *fg;
        *fg = *bg;
        *bg = t;
    }
    if (r->attrs & SVG_DIM)
        *fg = blend(*fg, *bg, 55);
}

/* Next code point of UTF-8 text; malformed bytes give U+FFFD and advance by one. */
static uint32_t next_cp(const unsigned char **pp)
{
    const unsigned char *p = *pp;
    uint32_t c = p[0];
    int n = c < 0x80             ? 0
            : (c & 0xE0) == 0xC0 ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    if (n < 0) {
        *pp = p + 1;
        return 0xFFFD;
    }
    c &= n == 0 ? 0x7F : (0x3F >> n);
    for (int i = 1; i <= n; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *pp = p + 1;
            return 0xFFFD;
        }
        c = c << 6 | (p[i] & 0x3F);
    }
    *pp = p + n + 1;
    if ((n == 1 && c < 0x80) || (n == 2 && c < 0x800) || (n == 3 && c < 0x10000))
        return 0xFFFD; /* overlong */
    return c;
}

static bool xml_char(uint32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c < 0x7F) ||
           (c >= 0xA0 && c < 0xD800) || (c >= 0xE000 && c < 0xFFFE) ||
           (c >= 0x10000 && c <= 0x10FFFF);
}

/* Text for XML content or an attribute value: markup characters as entities, anything XML
 * cannot hold as U+FFFD. */
static void put_escaped(const char *text, FILE *out)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        const unsigned char *start = p;
        uint32_t c = next_cp(&p);
        switch (c) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&apos;", out);
            break;
        default:
            if (!xml_char(c) || c == 0xFFFD)
                fputs("\xEF\xBF\xBD", out);
            else
                fwrite(start, 1, (size_t)(p - start), out);
        }
    }
}

static bool combining(uint32_t c)
{
    return (c >= 0x300 && c < 0x370) || (c >= 0x200B && c < 0x2010) ||
           (c >= 0x20D0 && c < 0x2100) || (c >= 0xFE00 && c < 0xFE10);
}

/* Block elements: the part of the cell they fill, in eighths (x0 x1 y0 y1). */
static bool block_of(uint32_t c, int box[4])
{
    static const struct {
        uint32_t c;
        int box[4];
    } blocks[] = {
        {0x2588, {0, 8, 0, 8}}, {0x2580, {0, 8, 0, 4}}, {0x2584, {0, 8, 4, 8}},
        {0x258C, {0, 4, 0, 8}}, {0x2590, {4, 8, 0, 8}},
    };
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
        if (blocks[i].c == c) {
            memcpy(box, blocks[i].box, sizeof blocks[i].box);
            return true;
        }
    return false;
}

/* Light line-drawing characters: the arms from the cell's centre (left, right, up, down). */
enum { ARM_L = 1, ARM_R = 2, ARM_U = 4, ARM_D = 8 };
static int arms_of(uint32_t c)
{
    switch (c) {
    case 0x2500:
        return ARM_L | ARM_R;
    case 0x2502:
        return ARM_U | ARM_D;
    case 0x250C:
    case 0x256D:
        return ARM_R | ARM_D;
    case 0x2510:
    case 0x256E:
        return ARM_L | ARM_D;
    case 0x2514:
    case 0x2570:
        return ARM_U | ARM_R;
    case 0x2518:
    case 0x256F:
        return ARM_U | ARM_L;
    case 0x251C:
        return ARM_U | ARM_D | ARM_R;
    case 0x2524:
        return ARM_U | ARM_D | ARM_L;
    case 0x252C:
        return ARM_L | ARM_R | ARM_D;
    case 0x2534:
        return ARM_L | ARM_R | ARM_U;
    case 0x253C:
        return ARM_L | ARM_R | ARM_U | ARM_D;
    default:
        return 0;
    }
}

/* The run's characters with the ones drawn as shapes blanked, in `text`; the shapes as path
 * data: filled blocks in `fill`, strokes in `lines`. False when the cells cannot be told apart
 * (wide characters): then everything stays text. */
static bool split_shapes(const struct svg_run *r, char *text, char *fill, size_t fillsz,
                         char *lines, size_t linesz)
{
    const unsigned char *p = (const unsigned char *)r->text;
    size_t tlen = 0, flen = 0, llen = 0;
    int col = r->col, cells = 0;
    int open_x0 = 0, open_x1 = -1, open_y0 = 0, open_y1 = 0; /* a block growing rightwards */
    size_t open_at = 0;
    fill[0] = lines[0] = '\0';
    for (const unsigned char *q = p; *q;)
        cells += combining(next_cp(&q)) ? 0 : 1;
    if (cells != r->cells)
        return false;
    int top = PAD + r->row * CELL_H;
    col--;
    while (*p) {
        const unsigned char *start = p;
        uint32_t c = next_cp(&p);
        int box[4], arms;
        if (!combining(c))
            col++;
        int x = PAD + col * CELL_W, cx = x + CELL_W / 2, cy = top + CELL_H / 2;
        if (block_of(c, box)) {
            int x0 = x + box[0] * CELL_W / 8, x1 = x + box[1] * CELL_W / 8;
            int y0 = top + box[2] * CELL_H / 8, y1 = top + box[3] * CELL_H / 8;
            if (open_x1 == x0 && open_y0 == y0 && open_y1 == y1) {
                x0 = open_x0; /* widen the rectangle before: write it again, longer */
                flen = open_at;
            }
            open_at = flen;
            flen += (size_t)snprintf(fill + flen, fillsz - flen, "M%d %dh%dv%dh%dz", x0, y0,
                                     x1 - x0, y1 - y0, -(x1 - x0));
            open_x0 = x0;
            open_x1 = x1;
            open_y0 = y0;
            open_y1 = y1;
            text[tlen++] = ' ';
        } else if ((arms = arms_of(c)) != 0) {
            if (arms & ARM_L)
                llen += (size_t)snprintf(lines + llen, linesz - llen, "M%d %dH%d", x, cy, cx);
            if (arms & ARM_R)
                llen +=
                    (size_t)snprintf(lines + llen, linesz - llen, "M%d %dH%d", cx, cy, x + CELL_W);
            if (arms & ARM_U)
                llen += (size_t)snprintf(lines + llen, linesz - llen, "M%d %dV%d", cx, top, cy);
            if (arms & ARM_D)
                llen += (size_t)snprintf(lines + llen, linesz - llen, "M%d %dV%d", cx, cy,
                                         top + CELL_H);
            open_x1 = -1;
            text[tlen++] = ' ';
        } else {
            open_x1 = -1;
            memcpy(text + tlen, start, (size_t)(p - start));
            tlen += (size_t)(p - start);
        }
        if (flen >= fillsz || llen >= linesz)
            return false;
    }
    text[tlen] = '\0';
    return true;
}

static void put_color(const char *attr, uint32_t rgb, FILE *out)
{
    fprintf(out, " %s=\"#%06x\"", attr, rgb);
}

static void write_backgrounds(const struct svg_screen *s, FILE *out)
{
    fputs("<g shape-rendering=\"crispEdges\">\n", out);
    for (size_t i = 0; i < s->n;) {
        uint32_t fg, bg, bg2;
        run_colors(&s->runs[i], &fg, &bg);
        size_t j = i + 1;
        int cells = s->runs[i].cells;
        /* neighbours on the row with the same background: one rectangle */
        while (j < s->n && s->runs[j].row == s->runs[i].row &&
               s->runs[j].col == s->runs[i].col + cells) {
            run_colors(&s->runs[j], &fg, &bg2);
            if (bg2 != bg)
                break;
            cells += s->runs[j++].cells;
        }
        if (bg != DEFAULT_BG) {
            fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"",
                    PAD + s->runs[i].col * CELL_W, PAD + s->runs[i].row * CELL_H, cells * CELL_W,
                    CELL_H);
            put_color("fill", bg, out);
            fputs("/>\n", out);
        }
        i = j;
    }
    fputs("</g>\n", out);
}

static void write_text(const struct svg_run *r, char *text, uint32_t fg, FILE *out)
{
    /* blanks at the ends are only position, unless a line is drawn through them; each blank is
     * one cell */
    char *first = text, *last = text + strlen(text);
    if (!(r->attrs & (SVG_UNDERLINE | SVG_STRIKE))) {
        while (*first == ' ')
            first++;
        while (last > first && last[-1] == ' ')
            last--;
    }
    if (first == last)
        return;
    int lead = (int)(first - text), trail = (int)(text + strlen(text) - last);
    *last = '\0';
    fprintf(out, "<text x=\"%d\" y=\"%d\" textLength=\"%d\" lengthAdjust=\"spacing\"",
            PAD + (r->col + lead) * CELL_W, PAD + r->row * CELL_H + BASELINE,
            (r->cells - lead - trail) * CELL_W);
    put_color("fill", fg, out);
    if (r->attrs & SVG_BOLD)
        fputs(" font-weight=\"bold\"", out);
    if (r->attrs & SVG_ITALIC)
        fputs(" font-style=\"italic\"", out);
    if (r->attrs & (SVG_UNDERLINE | SVG_STRIKE))
        fprintf(out, " text-decoration=\"%s%s%s\"", r->attrs & SVG_UNDERLINE ? "underline" : "",
                (r->attrs & SVG_UNDERLINE) && (r->attrs & SVG_STRIKE) ? " " : "",
                r->attrs & SVG_STRIKE ? "line-through" : "");
    fputc('>', out);
    put_escaped(first, out);
    fputs("</text>\n", out);
}

/* One run's shapes and text. */
static int write_run(const struct svg_run *r, FILE *out)
{
    size_t len = strlen(r->text), shapesz = 64 * (size_t)r->cells + 1;
    char *text = malloc(len + 1), *fill = malloc(shapesz), *lines = malloc(shapesz);
    uint32_t fg, bg;
    int rc = -1;
    if (!text || !fill || !lines)
        goto done;
    run_colors(r, &fg, &bg);
    if (!split_shapes(r, text, fill, shapesz, lines, shapesz)) {
        memcpy(text, r->text, len + 1);
        fill[0] = lines[0] = '\0';
    }
    if (fill[0]) {
        fprintf(out, "<path shape-rendering=\"crispEdges\" d=\"%s\"", fill);
        put_color("fill", fg, out);
        fputs("/>\n", out);
    }
    if (lines[0]) {
        fprintf(out, "<path fill=\"none\" stroke-width=\"%d\" d=\"%s\"", SCALE, lines);
        put_color("stroke", fg, out);
        fputs("/>\n", out);
    }
    write_text(r, text, fg, out);
    rc = 0;
done:
    free(text);
    free(fill);
    free(lines);
    return rc;
}

static void write_cursor(const struct svg_screen *s, FILE *out)
{
    uint32_t fg = DEFAULT_FG, bg;
    if (!s->cursor_visible || s->cursor_row < 0 || s->cursor_row >= s->rows || s->cursor_col < 0 ||
        s->cursor_col >= s->cols)
        return;
    for (size_t i = 0; i < s->n; i++) {
        const struct svg_run *r = &s->runs[i];
        if (r->row == s->cursor_row && s->cursor_col >= r->col && s->cursor_col < r->col + r->cells)
            run_colors(r, &fg, &bg);
    }
    fprintf(out,
            "<rect class=\"cursor\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
            "stroke-width=\"%d\"",
            PAD + s->cursor_col * CELL_W + SCALE, PAD + s->cursor_row * CELL_H + SCALE,
            CELL_W - 2 * SCALE, CELL_H - 2 * SCALE, SCALE * 3 / 2);
    put_color("stroke", fg, out);
    fputs("/>\n", out);
}

int svg_screen_write(const struct svg_screen *s, FILE *out)
{
    int w = 2 * PAD + s->cols * CELL_W, h = 2 * PAD + s->rows * CELL_H;
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
            "viewBox=\"0 0 %d %d\" role=\"img\">\n",
            w / SCALE, h / SCALE, w, h);
    if (s->title[0]) {
        fputs("<title>", out);
        put_escaped(s->title, out);
        fputs("</title>\n", out);
    }
    fprintf(out,
            "<style>text{font-family:'DejaVu Sans Mono','Liberation Mono',Menlo,Consolas,"
            "monospace;font-size:%dpx;white-space:pre}</style>\n",
            FONT);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" rx=\"%d\"", w, h, PAD / 2);
    put_color("fill", DEFAULT_BG, out);
    fputs("/>\n", out);
    write_backgrounds(s, out);
    fputs("<g xml:space=\"preserve\">\n", out);
    for (size_t i = 0; i < s->n; i++)
        if (write_run(&s->runs[i], out) != 0)
            return -1;
    fputs("</g>\n", out);
    write_cursor(s, out);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}
