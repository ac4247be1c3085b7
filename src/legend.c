/* The legend's items on a page's date: whose colours, stripes and symbols the page shows
 * (districts, towns' and sites' cells, zones, lines, towns, sites, events), and what the
 * detail frames show besides.  Only what the frame holds is listed.  A change map's ground and
 * the places that changed hands are legend_change.c's. */
#include "change.h"
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "timeline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int g_strcmp0_p(const char *const *a, const char *const *b)
{
    return g_strcmp0(*a, *b);
}

/* Whether the shape's part inside the view's box is at least `min` points across (or, with
 * `along`, its box's diagonal is) once scaled: a district, a cell, a zone or a line that a
 * reader can see there.  No view: the page, where everything in the frame is seen. */
static gboolean shape_seen(const cm_legend_view *v, const cm_shape *sh, double min, gboolean along)
{
    if (!v)
        return TRUE;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int r = 0; sh && r < sh->nrings; r++)
        for (int p = 0; p < sh->rings[r].n; p++) {
            double x = CLAMP(sh->rings[r].xy[2 * p], v->box[0], v->box[0] + v->box[2]);
            double y = CLAMP(sh->rings[r].xy[2 * p + 1], v->box[1], v->box[1] + v->box[3]);
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    if (!(x1 >= x0))
        return FALSE;
    double w = (x1 - x0) * v->scale, h = (y1 - y0) * v->scale;
    return along ? hypot(w, h) >= min : fmin(w, h) >= min;
}

/* Whether place i's symbol is drawn: in the frame, and, in a view, one it names. */
static gboolean place_seen(const cm_legend_view *v, const cm_map *map, int i)
{
    return cm_place_in_frame(map, i) && (!v || !v->places || v->places[i]);
}

/* Appends cell c's ground to the path as drawn: its ring within its reach of the place (the
 * district's outline is the caller's clip). */
static void cell_path(cairo_t *cr, const cm_cell *c)
{
    cm_ring ring = c->ring;
    cm_shape one = {&ring, 1};
    cm_draw_shape_path(cr, &one, TRUE);
    cairo_clip(cr);
    cairo_arc(cr, c->x, c->y, c->reach, 0, 2 * G_PI);
}

/* Whether the paint of shape sh shows in the view: district i's (cell NULL), a cell's in it,
 * or a zone's (i < 0, drawn over the ground): what the cells drawn over a district in other
 * paints and the symbols of the places named leave of it, rasterised at the view's scale, is
 * at least CM_LEGEND_MIN_AREA squared (the contested southern suburbs of Tripoli under the
 * capital's star on a small panel are not seen). */
static gboolean paint_seen(const cm_legend_view *v, const cm_map *map, const cm_control *cs,
                           const cm_shape *sh, int i, const cm_cell *cell)
{
    if (!v)
        return TRUE;
    if (!shape_seen(v, sh, CM_LEGEND_MIN_AREA, FALSE))
        return FALSE;
    const double px = 2; /* pixels a scaled point */
    int w = (int)ceil(v->box[2] * v->scale * px), h = (int)ceil(v->box[3] * v->scale * px);
    cairo_surface_t *a = cairo_image_surface_create(CAIRO_FORMAT_A8, MAX(w, 1), MAX(h, 1));
    cairo_t *cr = cairo_create(a);
    cairo_scale(cr, px * v->scale, px * v->scale);
    cairo_translate(cr, -v->box[0], -v->box[1]);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cm_draw_shape_path(cr, sh, TRUE);
    if (cell) {
        cairo_clip(cr);
        cell_path(cr, cell);
    }
    cairo_fill(cr);
    cairo_reset_clip(cr);
    cairo_set_operator(cr, CAIRO_OPERATOR_CLEAR);
    cm_paint under = cm_row_paint(map->style, i >= 0 ? cs->rows[i] : NULL);
    for (int c = 0; !cell && i >= 0 && c < map->ncells; c++) {
        const cm_cell *o = &map->cells[c];
        const cm_ledger_row *row = cs->towns[o->point];
        cm_paint own = cm_row_paint(map->style, row);
        if (o->region != i || !row || !memcmp(&own, &under, sizeof own))
            continue;
        cairo_save(cr);
        cell_path(cr, o);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    for (int p = 0; v->places && map->places.layer && p < map->places.layer->n; p++) {
        if (!place_seen(v, map, p))
            continue;
        const double *xy = map->places.page[p].rings[0].xy;
        cairo_new_path(cr);
        cairo_arc(cr, xy[0], xy[1], cm_place_radius(map, p, cs->towns[p]) / v->scale, 0,
                  2 * G_PI);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(a);
    const unsigned char *data = cairo_image_surface_get_data(a);
    int stride = cairo_image_surface_get_stride(a), count = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            count += data[(size_t)y * stride + x] > 127;
    cairo_surface_destroy(a);
    return count / (px * px) >= CM_LEGEND_MIN_AREA * CM_LEGEND_MIN_AREA;
}

static gboolean ground_seen(const cm_legend_view *v, const cm_map *map, const cm_control *cs,
                            int i, const cm_cell *cell)
{
    return paint_seen(v, map, cs, &map->regions.page[i], i, cell);
}

static gboolean zone_seen(const cm_legend_view *v, const cm_map *map, const cm_control *cs, int z)
{
    return paint_seen(v, map, cs, &map->zones_page[z], -1, NULL);
}

void cm_legend_add(GArray *items, cm_swatch_kind kind, cm_paint paint, char *text)
{
    cm_legend_item it = {.kind = kind, .paint = paint, .text = text};
    g_array_append_val(items, it);
}

/* Compound names: "GNA / LNA". */
char *cm_party_names(const cm_style *s, char **parties)
{
    GString *names = g_string_new(NULL);
    for (char **p = parties; p && *p; p++)
        g_string_append_printf(names, "%s%s", p == parties ? "" : " / ",
                               cm_style_controller(s, *p)->short_label);
    return g_string_free(names, FALSE);
}

/* The rows that paint ground on the page: each region's, then each cell's whose town or site
 * has a row (cells.c).  A change map's ground is change.c's instead. */
typedef struct {
    const cm_ledger_row **to;
    int n;
} ground;

static ground ground_rows(const cm_map *map, const cm_control *cs, const cm_legend_view *v)
{
    int nreg = map->regions.layer->n;
    ground g = {g_new0(const cm_ledger_row *, (size_t)(nreg + map->ncells)), 0};
    for (int i = 0; i < nreg; i++)
        if (map->region_in_frame[i] && ground_seen(v, map, cs, i, NULL))
            g.to[g.n++] = cs->rows[i];
    for (int c = 0; c < map->ncells; c++) {
        const cm_cell *cell = &map->cells[c];
        if (cs->towns[cell->point] && map->region_in_frame[cell->region] &&
            ground_seen(v, map, cs, cell->region, cell))
            g.to[g.n++] = cs->towns[cell->point];
    }
    return g;
}

static void ground_clear(ground *g)
{
    g_free(g->to);
}

/* Whose colour shows: held ground and held zones. */
static void add_holders(GArray *items, const cm_map *map, const cm_control *cs, const ground *g,
                        const cm_legend_view *v)
{
    const cm_style *s = map->style;
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean shows = FALSE;
        for (int i = 0; i < g->n && !shows; i++) {
            const cm_ledger_row *r = g->to[i];
            shows = r && r->status != CM_CONTESTED && cm_row_drawn_status(r) != CM_CLAIMED &&
                    strcmp(r->controller, ctl->id) == 0;
        }
        for (int i = 0; map->zones && i < map->zones->layer->n && !shows; i++) {
            const cm_timed *z = &map->zones->items[i];
            shows = cm_timed_active(z, &cs->spec->date) && z->status != CM_CONTESTED &&
                    strcmp(z->actor, ctl->id) == 0 &&
                    zone_seen(v, map, cs, i);
        }
        if (shows)
            cm_legend_add(items, CM_SWATCH_AREA, cm_control_paint(s, ctl->id, CM_HELD, NULL),
                     g_strdup(ctl->label));
    }
}

/* Ground around a town or site drawn in another paint than its district's (cells.c): what the
 * discs are, once, in the colours of the first such cell. */
static void add_cells(GArray *items, const cm_map *map, const cm_control *cs,
                      const cm_legend_view *v)
{
    const cm_style *s = map->style;
    for (int c = 0; c < map->ncells && !cs->spec->diff; c++) {
        const cm_cell *cell = &map->cells[c];
        const cm_ledger_row *row = cs->towns[cell->point];
        cm_paint own = cm_row_paint(s, row), under = cm_row_paint(s, cs->rows[cell->region]);
        if (!row || own.n != 1 || !memcmp(&own, &under, sizeof own) ||
            !map->region_in_frame[cell->region] || !ground_seen(v, map, cs, cell->region, cell))
            continue;
        cm_paint p = {.colors = {own.colors[0], under.n ? under.colors[0] : s->unknown_fill}, .n = 2};
        cm_legend_add(items, CM_SWATCH_CELL, p,
                 g_strdup(cm_word(s, "town-ground")));
        return;
    }
}

/* Ground only claimed (by its status or its confidence), lighter: one entry per claimant. */
static void add_claimed(GArray *items, const cm_map *map, const cm_control *cs, const ground *g,
                        const cm_legend_view *v)
{
    const cm_style *s = map->style;
    for (guint c = 0; !cs->spec->diff && c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean shows = FALSE;
        for (int i = 0; i < g->n && !shows; i++)
            shows = g->to[i] && cm_row_drawn_status(g->to[i]) == CM_CLAIMED &&
                    !strcmp(g->to[i]->controller, ctl->id);
        for (int i = 0; map->places.layer && i < map->places.layer->n && !shows; i++)
            shows = cs->towns[i] && place_seen(v, map, i) &&
                    cm_row_drawn_status(cs->towns[i]) == CM_CLAIMED &&
                    !strcmp(cs->towns[i]->controller, ctl->id);
        if (shows)
            cm_legend_add(items, CM_SWATCH_AREA, cm_control_paint(s, ctl->id, CM_CLAIMED, NULL),
                     cm_wordf(s, "claimed-by", ctl->by_label, NULL));
    }
}

/* The parties as a set, "GNA;LNA" for LNA;GNA too: one legend entry for both orders. */
char *cm_party_set(char **parties)
{
    guint n = g_strv_length(parties);
    char **sorted = g_new0(char *, n + 1);
    memcpy(sorted, parties, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, (int (*)(const void *, const void *))g_strcmp0_p);
    char *ids = g_strjoinv(";", sorted);
    g_free(sorted);
    return ids;
}

/* Each distinct set of parties contesting ground or a zone, once. */
static void add_contested(GArray *items, const cm_map *map, const cm_control *cs,
                          const ground *g, const cm_legend_view *v)
{
    const cm_style *s = map->style;
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < g->n + (map->zones ? map->zones->layer->n : 0); i++) {
        char **parties;
        cm_control_status st;
        if (i < g->n) {
            const cm_ledger_row *r = g->to[i];
            if (!r)
                continue;
            parties = r->parties, st = r->status;
        } else {
            const cm_timed *z = &map->zones->items[i - g->n];
            if (!cm_timed_active(z, &cs->spec->date) ||
                !zone_seen(v, map, cs, i - g->n))
                continue;
            parties = z->parties, st = z->status;
        }
        if (st != CM_CONTESTED || !parties)
            continue;
        char *ids = cm_party_set(parties);
        if (g_hash_table_contains(seen, ids)) {
            g_free(ids);
            continue;
        }
        g_hash_table_add(seen, ids);
        char *names = cm_party_names(s, parties);
        cm_legend_add(items, CM_SWATCH_AREA, cm_control_paint(s, parties[0], CM_CONTESTED, parties),
                 cm_wordf(s, "contested-by", s->contested_label, names, NULL));
        g_free(names);
    }
    g_hash_table_unref(seen);
}

/* Offensives by side, withdrawals and front lines in force. */
static void add_lines(GArray *items, const cm_map *map, const cm_control *cs,
                      const cm_legend_view *v)
{
    const cm_style *s = map->style;
    if (!map->lines || cs->spec->diff)
        return;
    gboolean front = FALSE;
    const cm_controller *withdrawal = NULL; /* the first withdrawing side: its colour */
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        for (int i = 0; i < map->lines->layer->n; i++) {
            const cm_timed *t = &map->lines->items[i];
            if (!cm_timed_active(t, &cs->spec->date) ||
                !shape_seen(v, &map->lines_page[i], CM_LEGEND_MIN_LINE, TRUE))
                continue;
            front |= t->kind == CM_LINE_FRONT;
            if (t->kind == CM_LINE_WITHDRAWAL && !withdrawal)
                withdrawal = cm_style_controller(s, t->actor);
            if (t->kind == CM_LINE_OFFENSIVE && strcmp(t->actor, ctl->id) == 0) {
                cm_paint p = {.colors = {ctl->fill}, .n = 1};
                cm_legend_add(items, CM_SWATCH_ARROW, p, cm_wordf(s, "offensive", ctl->short_label, NULL));
                break;
            }
        }
    }
    cm_paint grey = {.colors = {{0.45, 0.45, 0.45, 1}}, .n = 1};
    if (withdrawal)
        cm_legend_add(items, CM_SWATCH_WITHDRAWAL, (cm_paint){.colors = {withdrawal->fill}, .n = 1},
                 cm_wordf(s, "withdrawal", withdrawal->short_label, NULL));
    if (front)
        cm_legend_add(items, CM_SWATCH_FRONT, grey, g_strdup(cm_word(s, "front-line")));
}

/* "Besieged by LNA": the mark of towns in `status`, in the colour and with the names of the
 * first such town's parties. */
static void add_by_whom(GArray *items, const cm_map *map, const cm_control *cs,
                        const cm_legend_view *v, cm_control_status status, cm_swatch_kind kind,
                        const char *what)
{
    const cm_style *s = map->style;
    for (int i = 0; i < map->places.layer->n; i++) {
        const cm_ledger_row *r = cs->towns[i];
        if (!r || r->status != status || !place_seen(v, map, i))
            continue;
        cm_paint mark = {.colors = {cm_style_controller(s, r->parties[0])->fill}, .n = 1};
        char *names = cm_party_names(s, r->parties);
        cm_legend_add(items, kind, mark, cm_wordf(s, "by-whom", cm_word(s, what), names, NULL));
        g_free(names);
        return;
    }
}

/* One icon for each kind of site the map shows on the date, in the order the layer first has
 * them. */
static void add_site_items(GArray *items, const cm_map *map, const cm_control *cs,
                           const cm_legend_view *v)
{
    const cm_layer *l = map->places.layer;
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    cm_paint grey = {.colors = {{0.45, 0.45, 0.45, 1}}, .n = 1};
    for (int i = map->first_site; l && i < l->n; i++) {
        const char *kind = l->features[i].kind ? l->features[i].kind : "";
        if (!place_seen(v, map, i) || !cs->towns[i] || g_hash_table_contains(seen, kind))
            continue;
        g_hash_table_add(seen, (gpointer)kind);
        cm_legend_add(items, CM_SWATCH_SITE, grey, g_strdup(cm_site_kind_name(map->style, kind)));
        g_array_index(items, cm_legend_item, items->len - 1).site_kind = l->features[i].kind;
    }
    g_hash_table_unref(seen);
}

/* A town symbol for each holder of a town shown on the date. */
static void add_town_holders(GArray *items, const cm_map *map, const cm_control *cs,
                             const cm_legend_view *v)
{
    const cm_style *s = map->style;
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean shows = FALSE;
        for (int i = 0; i < map->first_site && !shows; i++) {
            const cm_ledger_row *r = cs->towns[i];
            shows = r && place_seen(v, map, i) && !strcmp(r->controller, ctl->id);
        }
        if (!shows)
            continue;
        cm_paint p = {.colors = {ctl->fill}, .n = 1};
        cm_legend_add(items, CM_SWATCH_DOT, p, cm_wordf(s, "town-held-by", ctl->by_label, NULL));
    }
}

/* The capital, towns by holder, and the siege or attack mark when a town is besieged or
 * attacked. */
static void add_place_items(GArray *items, const cm_map *map, const cm_control *cs,
                            const cm_legend_view *v)
{
    const cm_style *s = map->style;
    gboolean diff = cs->spec->diff;
    if (!map->places.layer)
        return;
    gboolean capital = FALSE, plain = FALSE, siege = FALSE, attack = FALSE;
    for (int i = 0; i < map->first_site; i++) {
        const char *k = map->places.layer->features[i].kind;
        const cm_ledger_row *r = cs->towns[i];
        if (!place_seen(v, map, i))
            continue;
        gboolean shown = r && (!diff || cm_place_changed_hands(map, cs->towns_from, cs->rows_from,
                                                                cs->towns, i, NULL, NULL));
        if (k && strcmp(k, "capital") == 0)
            capital = TRUE;
        else if (!shown)
            plain = TRUE;
        siege |= shown && !diff && r->status == CM_BESIEGED;
        attack |= shown && !diff && r->status == CM_ATTACKED;
    }
    cm_paint symbol = {.colors = {s->place_color}, .n = 1};
    if (capital)
        cm_legend_add(items, CM_SWATCH_STAR, symbol, g_strdup(cm_word(s, "capital")));
    if (diff)
        cm_legend_changed_places(items, map, cs);
    else
        add_town_holders(items, map, cs, v);
    if (plain)
        cm_legend_add(items, CM_SWATCH_DOT, symbol, g_strdup(cm_word(s, "town")));
    if (siege)
        add_by_whom(items, map, cs, v, CM_BESIEGED, CM_SWATCH_SIEGE, "besieged");
    if (attack)
        add_by_whom(items, map, cs, v, CM_ATTACKED, CM_SWATCH_ATTACK, "under-attack");
    add_site_items(items, map, cs, v);
}

int *cm_event_numbers(const cm_map *map, const cm_control *cs, int *shown)
{
    int n = map->events ? map->events->n : 0, number = 0;
    int *numbers = g_new0(int, (size_t)n + 1);
    for (int i = 0; i < n && !cs->spec->diff; i++)
        if (cm_event_shown(&map->events->items[i], &cs->spec->date) && ++number <= CM_LEGEND_EVENTS)
            numbers[i] = number;
    *shown = number;
    return numbers;
}

/* "and 3 more events in the file's metadata" (the word more-events, its %d the count). */
static char *more_events(const cm_style *s, int count)
{
    char number[16];
    g_snprintf(number, sizeof number, "%d", count);
    return cm_wordf(s, "more-events", number, NULL);
}

/* The events shown on the page's date and numbered (see cm_event_numbers), then a count of
 * those the legend has no room for. */
static void add_events(GArray *items, const cm_map *map, const cm_control *cs)
{
    const cm_style *s = map->style;
    int shown = 0, *numbers = cm_event_numbers(map, cs, &shown);
    cm_paint p = {.colors = {s->event_color}, .n = 1};
    for (int i = 0; map->events && i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        if (!numbers[i])
            continue;
        char *when = cm_format_date_long(s, &e->date);
        const char *text = cm_event_text(e, cm_words_lang(s));
        char *cut = g_utf8_strlen(text, -1) > 100 ? g_utf8_substring(text, 0, 99) : NULL;
        cm_legend_add(items, CM_SWATCH_EVENT, p,
                 cm_wordf(s, "event", when, cut ? cut : text, cut ? "\u2026" : "", NULL));
        g_array_index(items, cm_legend_item, items->len - 1).number = numbers[i];
        g_free(cut);
        g_free(when);
    }
    if (shown > CM_LEGEND_EVENTS) /* the legend stays a legend: the rest counted */
        cm_legend_add(items, CM_SWATCH_EVENT, p,
                 more_events(s, shown - CM_LEGEND_EVENTS));
    g_free(numbers);
}

/* Where an item of `kind` goes among the items: after the last of its kind, else before the
 * events, else at the end. */
static guint insertion_point(const GArray *items, cm_swatch_kind kind)
{
    guint at = items->len, events = items->len;
    gboolean found = FALSE;
    for (guint i = 0; i < items->len; i++) {
        cm_swatch_kind k = g_array_index(items, cm_legend_item, i).kind;
        if (k == kind)
            at = i + 1, found = TRUE;
        if (k == CM_SWATCH_EVENT && events == items->len)
            events = i;
    }
    return found ? at : events;
}

void cm_legend_items_merge(GArray *items, GArray *more)
{
    for (guint i = 0; i < more->len; i++) {
        cm_legend_item *it = &g_array_index(more, cm_legend_item, i);
        gboolean known = FALSE;
        for (guint j = 0; j < items->len && !known; j++)
            known = !strcmp(g_array_index(items, cm_legend_item, j).text, it->text);
        if (known)
            continue;
        g_array_insert_val(items, insertion_point(items, it->kind), *it);
        it->text = NULL; /* now the page's */
    }
}

/* What the detail frames show that the main map does not (an airport only the Tripoli
 * detail has room for): the legend explains the whole page. */
static void merge_details(GArray *items, const cm_map *map, const cm_control *cs)
{
    for (int d = 0; d < map->ndetails; d++) {
        cm_control dcs = cm_control_on(map->details[d], cs->spec);
        GArray *more = cm_legend_items(map->details[d], &dcs);
        cm_legend_items_merge(items, more);
        cm_legend_items_free(more);
        cm_control_clear(&dcs);
    }
}

GArray *cm_legend_items_seen(const cm_map *map, const cm_control *cs, const cm_legend_view *v)
{
    const cm_style *s = map->style;
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    if (cs->spec->diff) {
        cm_legend_change_items(items, map, cs);
    } else {
        ground g = ground_rows(map, cs, v);
        add_holders(items, map, cs, &g, v);
        add_claimed(items, map, cs, &g, v);
        add_contested(items, map, cs, &g, v);
        add_cells(items, map, cs, v);
        gboolean none = FALSE; /* on a page, any district with no row; in a view, one seen */
        for (int i = 0; v && i < g.n; i++)
            none |= !g.to[i];
        for (int i = 0; !v && i < map->regions.layer->n; i++)
            none |= !cs->rows[i];
        ground_clear(&g);
        if (none)
            cm_legend_add(items, CM_SWATCH_AREA, cm_control_paint(s, NULL, CM_HELD, NULL),
                     g_strdup(s->unknown_label));
    }
    add_lines(items, map, cs, v);
    add_place_items(items, map, cs, v);
    if (!v) { /* a view draws no events' notes and no detail frames */
        add_events(items, map, cs);
        merge_details(items, map, cs);
    }
    return items;
}

GArray *cm_legend_items(const cm_map *map, const cm_control *cs)
{
    return cm_legend_items_seen(map, cs, NULL);
}

void cm_legend_items_free(GArray *items)
{
    for (guint i = 0; items && i < items->len; i++)
        g_free(g_array_index(items, cm_legend_item, i).text);
    if (items)
        g_array_free(items, TRUE);
}


GArray *cm_legend_items_series(const cm_map *map, const cm_page_spec *specs, int n)
{
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    for (int k = 0; k < n; k++) {
        cm_control cs = cm_control_on(map, &specs[k]);
        GArray *more = cm_legend_items(map, &cs);
        for (guint i = more->len; i-- > 0;)
            if (g_array_index(more, cm_legend_item, i).kind == CM_SWATCH_EVENT) {
                g_free(g_array_index(more, cm_legend_item, i).text);
                g_array_remove_index(more, i);
            }
        cm_legend_items_merge(items, more);
        cm_legend_items_free(more);
        cm_control_clear(&cs);
    }
    return items;
}

GArray *cm_legend_items_fixed(const cm_map *map, const cm_control *cs, const GArray *fixed)
{
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    for (guint i = 0; i < fixed->len; i++) {
        cm_legend_item it = g_array_index(fixed, cm_legend_item, i);
        it.text = g_strdup(it.text);
        g_array_append_val(items, it);
    }
    add_events(items, map, cs);
    return items;
}
