/* table.c: column layout (fixed and shared widths, alignment) and a header row. */
#include <string.h>

#include "tui/internal.h"

/* Fixed columns first; what is left is shared by width-0 columns, the remainder going to the
 * first of them. Columns that no longer fit get width 0 and are not drawn. */
void table_layout(const struct tui_column *cols, int ncols, int total, int *xs, int *ws)
{
    int fixed = 0, shared = 0, x = 0, rest, extra;

    for (int i = 0; i < ncols; i++) {
        if (cols[i].width > 0)
            fixed += cols[i].width;
        else
            shared++;
    }
    rest = total - fixed - TABLE_GAP * (ncols - 1);
    if (rest < 0)
        rest = 0;
    extra = shared ? rest % shared : 0;
    for (int i = 0; i < ncols; i++) {
        int w = cols[i].width > 0 ? cols[i].width : (shared ? rest / shared : 0);
        if (cols[i].width <= 0 && extra) {
            w += extra;
            extra = 0;
        }
        if (x + w > total)
            w = total - x > 0 ? total - x : 0;
        xs[i] = x;
        ws[i] = w;
        x += w + TABLE_GAP;
    }
}

static bool elem_is_selection(enum theme_elem el)
{
    return el == EL_SELECTED || el == EL_SELECTED_DIM;
}

/* When the first column, which names the row, is shared and too narrow for what it shows (a
 * product name on a small terminal), fixed columns wider than their widest text on the rows
 * shown give it the difference. */
static void table_fit(struct tui_column *adj, int ncols, int total, int nrows, int first,
                      int shown_max, tui_cell_fn cell, void *ud)
{
    int need[TABLE_MAX_COLS], xs[TABLE_MAX_COLS], ws[TABLE_MAX_COLS];
    char buf[512];

    for (int c = 0; c < ncols; c++) {
        need[c] = tui_text_width(adj[c].title ? adj[c].title : "");
        for (int row = first; cell && row < nrows && row < first + shown_max; row++) {
            enum theme_elem el = EL_NORMAL;
            const char *s;
            buf[0] = '\0';
            s = cell(row, c, &el, buf, sizeof buf, ud);
            if (s && tui_text_width(s) > need[c])
                need[c] = tui_text_width(s);
        }
    }
    table_layout(adj, ncols, total, xs, ws);
    if (adj[0].width > 0 || ws[0] >= need[0])
        return;
    for (int c = 0; c < ncols; c++)
        if (adj[c].width > need[c] && need[c] > 0)
            adj[c].width = need[c];
}

/* A row whose first cell is drawn as selected is highlighted across its full width, gaps too. */
int tui_table_paint(struct tui *t, struct tui_rect r, const struct tui_column *cols, int ncols,
                    int nrows, int first, tui_cell_fn cell, void *ud)
{
    int xs[TABLE_MAX_COLS], ws[TABLE_MAX_COLS], shown = 0;
    struct tui_column adj[TABLE_MAX_COLS];
    char buf[512];

    if (!cols || ncols <= 0 || r.h <= 0 || r.w <= 0)
        return 0;
    if (ncols > TABLE_MAX_COLS)
        ncols = TABLE_MAX_COLS;
    if (first < 0)
        first = 0;
    memcpy(adj, cols, sizeof adj[0] * (size_t)ncols);
    table_fit(adj, ncols, r.w, nrows, first, r.h - 1, cell, ud);
    cols = adj;
    table_layout(cols, ncols, r.w, xs, ws);
    tui_fill(t, (struct tui_rect){r.y, r.x, 1, r.w}, EL_TABLE_HEADER);
    for (int c = 0; c < ncols; c++) {
        const char *title = cols[c].title ? cols[c].title : "";
        if (cols[c].right)
            tui_text_right(t, r.y, r.x + xs[c], ws[c], EL_TABLE_HEADER, title);
        else
            tui_text(t, r.y, r.x + xs[c], ws[c], EL_TABLE_HEADER, title);
    }
    for (int row = first; row < nrows && shown < r.h - 1; row++, shown++) {
        int y = r.y + 1 + shown;
        for (int c = 0; c < ncols; c++) {
            enum theme_elem el = EL_NORMAL;
            const char *s;
            buf[0] = '\0';
            s = cell ? cell(row, c, &el, buf, sizeof buf, ud) : NULL;
            if ((unsigned)el >= EL_COUNT)
                el = EL_NORMAL;
            if (c == 0 && elem_is_selection(el))
                tui_fill(t, (struct tui_rect){y, r.x, 1, r.w}, el);
            if (c == 0 && el == EL_SELECTED) /* the focused table's selected row */
                tui_set_cursor(t, y, r.x);
            if (!s || ws[c] <= 0)
                continue;
            if (cols[c].right)
                tui_text_right(t, y, r.x + xs[c], ws[c], el, s);
            else
                tui_text(t, y, r.x + xs[c], ws[c], el, s);
        }
    }
    return shown;
}
