/* list.c: scrolling selection list; the key and mouse handling is pure arithmetic. */
#include "tui/internal.h"

#define WHEEL_ROWS 3

static int list_visible(const struct tui_list *l, struct tui_rect r)
{
    int h = l->item_h > 0 ? l->item_h : 1;
    int n = r.h / h;
    return n > 0 ? n : 1;
}

/* Selection inside [0, count); top such that the selection is visible and no space is wasted
 * below the last item. */
static void list_clamp(struct tui_list *l, int visible)
{
    if (l->count <= 0) {
        l->selected = l->top = 0;
        return;
    }
    if (l->selected >= l->count)
        l->selected = l->count - 1;
    if (l->selected < 0)
        l->selected = 0;
    if (l->selected < l->top)
        l->top = l->selected;
    if (l->selected >= l->top + visible)
        l->top = l->selected - visible + 1;
    if (l->top > l->count - visible)
        l->top = l->count - visible;
    if (l->top < 0)
        l->top = 0;
}

int tui_list_hit(const struct tui_list *l, struct tui_rect r, int y)
{
    int h = l->item_h > 0 ? l->item_h : 1;
    int row = y - r.y, idx;

    if (row < 0 || row >= r.h || row / h >= list_visible(l, r) || r.h < h)
        return -1;
    idx = l->top + row / h;
    return idx < l->count ? idx : -1;
}

static bool list_wheel(struct tui_list *l, int visible, int dir)
{
    int h = l->item_h > 0 ? l->item_h : 1;
    int step = WHEEL_ROWS / h > 0 ? WHEEL_ROWS / h : 1;
    int max_top = l->count - visible > 0 ? l->count - visible : 0;
    int top = l->top + dir * step;

    if (top > max_top)
        top = max_top;
    if (top < 0)
        top = 0;
    l->top = top;
    /* the view moves; the selection follows only as far as it must to stay in view */
    if (l->selected < top)
        l->selected = top;
    if (l->selected >= top + visible)
        l->selected = top + visible - 1;
    return true;
}

bool tui_list_handle(struct tui_list *l, const struct tui_event *ev, struct tui_rect r)
{
    int visible = list_visible(l, r);
    int sel, top, hit;

    if (l->count <= 0)
        return false;
    list_clamp(l, visible);
    sel = l->selected;
    top = l->top;
    if (ev->kind == TUI_EV_MOUSE) {
        switch (ev->mouse) {
        case TUI_MOUSE_CLICK:
            if (ev->x < r.x || ev->x >= r.x + r.w || (hit = tui_list_hit(l, r, ev->y)) < 0)
                return false;
            l->selected = hit;
            break;
        case TUI_MOUSE_WHEEL_UP:
            list_wheel(l, visible, -1);
            break;
        case TUI_MOUSE_WHEEL_DOWN:
            list_wheel(l, visible, 1);
            break;
        }
        list_clamp(l, visible);
        return l->selected != sel || l->top != top;
    }
    switch (ev->op) {
    case OP_UP:
        l->selected--;
        break;
    case OP_DOWN:
        l->selected++;
        break;
    case OP_PAGE_UP:
        l->selected -= visible;
        break;
    case OP_PAGE_DOWN:
        l->selected += visible;
        break;
    case OP_HOME:
        l->selected = 0;
        break;
    case OP_END:
        l->selected = l->count - 1;
        break;
    default:
        return false;
    }
    list_clamp(l, visible);
    return l->selected != sel || l->top != top;
}

void tui_list_paint(struct tui *t, struct tui_list *l, struct tui_rect r, tui_list_item_fn item,
                    void *ud)
{
    int h = l->item_h > 0 ? l->item_h : 1;
    int visible = list_visible(l, r);

    if (r.h < h || r.w <= 0)
        return;
    list_clamp(l, visible);
    for (int i = 0; i < visible && l->top + i < l->count; i++) {
        struct tui_rect ir = {r.y + i * h, r.x, h, r.w};
        /* The item paints its own selection: only it knows which rows are text and whether
         * its pane has the focus. */
        item(t, ir, l->top + i, l->top + i == l->selected, ud);
    }
}
