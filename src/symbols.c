/* Drawing symbols: front lines and arrows as the map's layers decide them (their shapes are
 * draw.c's), town symbols in their controllers' colours, siege rings. */
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
#include <string.h>

/* The town symbols an arrow must not end under: capitals' stars, siege rings and attack
 * marks, each as its centre and radius on the page with the control in force.  A plain
 * town dot is not one: it is smaller than a head, which reads around it, and an arrow
 * that takes a town should reach it.  A GArray of double[3]. */
static GArray *town_marks(const cm_map *map, const cm_control *cs)
{
    GArray *marks = g_array_new(FALSE, FALSE, sizeof(double) * 3);
    const cm_layer *l = map->places.layer;
    for (int i = 0; l && i < l->n; i++) {
        const cm_feature *f = &l->features[i];
        const cm_shape *sh = &map->places.page[i];
        const cm_ledger_row *row = cs->towns[i];
        gboolean capital = f->kind && strcmp(f->kind, "capital") == 0;
        gboolean marked = row && (row->status == CM_BESIEGED || row->status == CM_ATTACKED);
        if (sh->nrings == 0 || !(capital || marked))
            continue;
        double m[3] = {sh->rings[0].xy[0], sh->rings[0].xy[1], cm_place_radius(map, i, row)};
        g_array_append_vals(marks, m, 1);
    }
    return marks;
}

/* The arrow's points with its tip drawn back to the edge of the marked town it ends in (plus
 * a hair of gap): the symbols are drawn over the lines, and an arrow that points at a
 * besieged town must stop at the ring, not vanish under it.  One town only: the target. */
static GArray *trim_tip(const cm_ring *ring, const GArray *marks)
{
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    g_array_append_vals(pts, ring->xy, (guint)ring->n);
    for (guint t = 0; t < marks->len && pts->len >= 2; t++) {
        const double *m = &g_array_index(marks, double, 3 * t);
        double *p = (double *)pts->data, r = m[2] + 0.8;
        int last = (int)pts->len - 1;
        if (hypot(p[2 * last] - m[0], p[2 * last + 1] - m[1]) >= r)
            continue;
        /* the last vertex outside the circle, then the crossing on the segment after it */
        int k = last - 1;
        while (k >= 0 && hypot(p[2 * k] - m[0], p[2 * k + 1] - m[1]) < r)
            k--;
        if (k < 0)
            continue; /* the whole arrow inside a symbol: leave it be */
        double lo = 0, hi = 1, *a = &p[2 * k], *b = &p[2 * k + 2];
        for (int it = 0; it < 40; it++) {
            double mid = (lo + hi) / 2;
            double x = a[0] + (b[0] - a[0]) * mid, y = a[1] + (b[1] - a[1]) * mid;
            *(hypot(x - m[0], y - m[1]) < r ? &hi : &lo) = mid;
        }
        double cut[2] = {a[0] + (b[0] - a[0]) * lo, a[1] + (b[1] - a[1]) * lo};
        g_array_set_size(pts, (guint)k + 1);
        g_array_append_vals(pts, cut, 1);
        break;
    }
    return pts;
}

void cm_draw_lines(cairo_t *page, const cm_map *map, const cm_control *cs,
                       const cm_page_cache *cache)
{
    const cm_style *s = map->style;
    if (!map->lines || cs->spec->diff)
        return;
    char *key = cm_active_key("lines", map->lines, &cs->spec->date);
    cairo_t *cr = cm_part_begin(page, cache, key);
    if (!cr) {
        g_free(key);
        return;
    }
    GArray *marks = town_marks(map, cs);
    for (int i = 0; i < map->lines->layer->n; i++) {
        const cm_timed *t = &map->lines->items[i];
        if (!cm_timed_active(t, &cs->spec->date))
            continue;
        cm_rgba c = cm_style_controller(s, t->actor)->fill;
        const cm_shape *sh = &map->lines_page[i];
        gboolean back = t->kind == CM_LINE_WITHDRAWAL;
        cm_arrow_style st = cm_arrow_style_for(back ? cm_lighten(c, 0.5) : c, back,
                                               s->place_halo, s->place_color);
        for (int r = 0; r < sh->nrings; r++) {
            if (t->kind == CM_LINE_FRONT) {
                cm_draw_front(cr, sh->rings[r].xy, sh->rings[r].n, 1.1, s->place_color,
                              s->place_halo);
                continue;
            }
            GArray *pts = trim_tip(&sh->rings[r], marks);
            cm_draw_arrow(cr, (const double *)pts->data, (int)pts->len, &st);
            g_array_free(pts, TRUE);
        }
    }
    g_array_free(marks, TRUE);
    cm_part_end(page, cr, cache, key);
    g_free(key);
}

/* Labels keep off lines: small boxes every few points along each line in force. */
void cm_block_lines(cm_labeler *lab, const cm_map *map, const cm_control *cs)
{
    if (!map->lines || cs->spec->diff)
        return;
    for (int i = 0; i < map->lines->layer->n; i++) {
        if (!cm_timed_active(&map->lines->items[i], &cs->spec->date))
            continue;
        const cm_shape *sh = &map->lines_page[i];
        for (int r = 0; r < sh->nrings; r++)
            for (int k = 1; k < sh->rings[r].n; k++) {
                const double *a = &sh->rings[r].xy[2 * k - 2], *b = &sh->rings[r].xy[2 * k];
                int steps = (int)ceil(hypot(b[0] - a[0], b[1] - a[1]) / 4) + 1;
                for (int j = 0; j <= steps; j++) {
                    double x = a[0] + (b[0] - a[0]) * j / steps, y = a[1] + (b[1] - a[1]) * j / steps;
                    cm_labeler_block(lab, (cm_box){x - 4, y - 4, x + 4, y + 4});
                }
            }
    }
}

/* A town's symbol in its controller's colour: a star for the capital, a dot otherwise; half
 * and half when contested; a dashed ring in the besiegers' colour under siege; hollow when
 * only claimed. */
void cm_draw_town(cairo_t *cr, const cm_style *s, gboolean capital, double x, double y,
                      const cm_ledger_row *r, gboolean neutral)
{
    cm_rgba fill = s->place_color;
    if (r && !neutral && r->status != CM_CONTESTED)
        fill = cm_style_controller(s, r->controller)->fill;
    double size = capital ? s->star : s->dot * (r && !neutral ? 1.6 : 1);
    if (r && !neutral && r->status == CM_BESIEGED) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, (capital ? s->star : size / 2) + 3.2, 0, 2 * G_PI);
        cm_draw_set_color(cr, cm_style_controller(s, r->parties[0])->fill);
        cairo_set_line_width(cr, 2.2);
        cairo_set_dash(cr, (double[]){2.2, 1.2}, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    } else if (r && !neutral && r->status == CM_ATTACKED) {
        cm_draw_attack_mark(cr, x, y, (capital ? s->star : size / 2) + 1.2,
                            cm_style_controller(s, r->parties[0])->fill, s->place_halo);
    }
    if (capital) {
        cm_draw_star(cr, x, y, s->star, fill, s->place_halo);
    } else if (r && !neutral && r->status == CM_CONTESTED) {
        for (int k = 0; k < 2 && r->parties[k]; k++) {
            cairo_new_path(cr);
            cairo_move_to(cr, x, y);
            cairo_arc(cr, x, y, size / 2, G_PI / 2 + k * G_PI, G_PI / 2 + (k + 1) * G_PI);
            cairo_close_path(cr);
            cm_draw_set_color(cr, cm_style_controller(s, r->parties[k])->fill);
            cairo_fill(cr);
        }
        cairo_new_path(cr);
        cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
        cm_draw_set_color(cr, s->place_color);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    } else if (r && !neutral && cm_row_drawn_status(r) == CM_CLAIMED) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
        cm_draw_set_color(cr, s->place_halo);
        cairo_fill_preserve(cr);
        cm_draw_set_color(cr, fill);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    } else {
        cm_draw_dot(cr, x, y, size, fill, s->place_halo);
        if (r && !neutral) {
            cairo_new_path(cr);
            cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
            cm_draw_set_color(cr, s->place_color);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
    }
}

void cm_draw_changed_ring(cairo_t *cr, double x, double y, double r, cm_rgba ring, cm_rgba halo)
{
    double rr = r + 2.6;
    for (int pass = 0; pass < 2; pass++) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, rr, 0, 2 * G_PI);
        cm_draw_set_color(cr, pass ? ring : halo);
        cairo_set_line_width(cr, pass ? 1.1 : 2.3);
        cairo_stroke(cr);
    }
}
