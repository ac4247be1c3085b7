/* Drawing symbols: front lines with their teeth, offensive and withdrawal arrows, town
 * symbols in their controllers' colours, siege rings. */
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

/* A line smoothed by two rounds of corner cutting, so arrows bend smoothly. */
static GArray *smooth(const cm_ring *ring)
{
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    for (int i = 0; i < ring->n; i++)
        g_array_append_vals(pts, &ring->xy[2 * i], 1);
    for (int round = 0; round < 2 && pts->len > 2; round++) {
        GArray *next = g_array_new(FALSE, FALSE, sizeof(double) * 2);
        double *p = (double *)pts->data;
        g_array_append_vals(next, p, 1);
        for (guint i = 0; i + 1 < pts->len; i++) {
            double q[2] = {0.75 * p[2 * i] + 0.25 * p[2 * i + 2], 0.75 * p[2 * i + 1] + 0.25 * p[2 * i + 3]};
            double r[2] = {0.25 * p[2 * i] + 0.75 * p[2 * i + 2], 0.25 * p[2 * i + 1] + 0.75 * p[2 * i + 3]};
            if (i > 0)
                g_array_append_vals(next, q, 1);
            if (i + 2 < pts->len)
                g_array_append_vals(next, r, 1);
        }
        g_array_append_vals(next, &p[2 * (pts->len - 1)], 1);
        g_array_free(pts, TRUE);
        pts = next;
    }
    return pts;
}

/* A tapered arrow along the line: the shaft widens from w0 to w1, then an arrowhead. */
static void arrow_path(cairo_t *cr, const cm_ring *ring, double w0, double w1, double head)
{
    GArray *pts = smooth(ring);
    int n = (int)pts->len;
    double *p = (double *)pts->data;
    double *len = g_new0(double, (size_t)n);
    for (int i = 1; i < n; i++)
        len[i] = len[i - 1] + hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]);
    double total = len[n - 1];
    if (n < 2 || total <= head * 1.5) {
        g_free(len);
        g_array_free(pts, TRUE);
        return;
    }
    double shaft = total - head;
    /* the shaft's last point: where the head begins */
    int last = 1;
    while (last < n - 1 && len[last] < shaft)
        last++;
    double t = (shaft - len[last - 1]) / fmax(len[last] - len[last - 1], 1e-9);
    double ex = p[2 * (last - 1)] + t * (p[2 * last] - p[2 * (last - 1)]);
    double ey = p[2 * (last - 1) + 1] + t * (p[2 * last + 1] - p[2 * (last - 1) + 1]);
    double tipx = p[2 * (n - 1)], tipy = p[2 * (n - 1) + 1];
    GArray *left = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    GArray *right = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    for (int i = 0; i <= last; i++) {
        double x = i == last ? ex : p[2 * i], y = i == last ? ey : p[2 * i + 1];
        int a = i == 0 ? 0 : i - 1, b = i == 0 ? 1 : i;
        double dx = p[2 * b] - p[2 * a], dy = p[2 * b + 1] - p[2 * a + 1];
        if (i == last)
            dx = tipx - ex, dy = tipy - ey;
        double d = fmax(hypot(dx, dy), 1e-9);
        double nx = -dy / d, ny = dx / d;
        double w = w0 + (w1 - w0) * fmin((i == last ? shaft : len[i]) / shaft, 1.0);
        double l[2] = {x + nx * w / 2, y + ny * w / 2}, r[2] = {x - nx * w / 2, y - ny * w / 2};
        g_array_append_vals(left, l, 1);
        g_array_append_vals(right, r, 1);
    }
    double dx = tipx - ex, dy = tipy - ey, d = fmax(hypot(dx, dy), 1e-9);
    double nx = -dy / d, ny = dx / d, hw = w1 * 1.1 + head * 0.35;
    cairo_new_path(cr);
    double *L = (double *)left->data, *R = (double *)right->data;
    cairo_move_to(cr, L[0], L[1]);
    for (guint i = 1; i < left->len; i++)
        cairo_line_to(cr, L[2 * i], L[2 * i + 1]);
    cairo_line_to(cr, ex + nx * hw, ey + ny * hw);
    cairo_line_to(cr, tipx, tipy);
    cairo_line_to(cr, ex - nx * hw, ey - ny * hw);
    for (int i = (int)right->len - 1; i >= 0; i--)
        cairo_line_to(cr, R[2 * i], R[2 * i + 1]);
    cairo_close_path(cr);
    g_array_free(left, TRUE);
    g_array_free(right, TRUE);
    g_free(len);
    g_array_free(pts, TRUE);
}

/* A front line: a dark line with teeth on its right-hand side (in drawing order), which the
 * data points towards the attacker, coloured by the attacker. */
static void draw_front(cairo_t *cr, const cm_ring *ring, cm_rgba line, cm_rgba teeth)
{
    const double spacing = 7, size = 3.2;
    cairo_new_path(cr);
    double walked = spacing / 2;
    for (int i = 1; i < ring->n; i++) {
        double ax = ring->xy[2 * i - 2], ay = ring->xy[2 * i - 1];
        double bx = ring->xy[2 * i], by = ring->xy[2 * i + 1];
        double seg = hypot(bx - ax, by - ay);
        if (seg <= 0)
            continue;
        double ux = (bx - ax) / seg, uy = (by - ay) / seg, nx = -uy, ny = ux;
        while (walked + size <= seg) {
            double cx = ax + ux * walked, cy = ay + uy * walked;
            cairo_move_to(cr, cx - ux * size / 2, cy - uy * size / 2);
            cairo_line_to(cr, cx + nx * size, cy + ny * size);
            cairo_line_to(cr, cx + ux * size / 2, cy + uy * size / 2);
            cairo_close_path(cr);
            walked += spacing;
        }
        walked -= seg;
    }
    cm_draw_set_color(cr, teeth);
    cairo_fill(cr);
    cm_shape sh = {(cm_ring *)ring, 1};
    cm_draw_stroke(cr, &sh, FALSE, line, 1.6);
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
    for (int i = 0; i < map->lines->layer->n; i++) {
        const cm_timed *t = &map->lines->items[i];
        if (!cm_timed_active(t, &cs->spec->date))
            continue;
        cm_rgba c = cm_style_controller(s, t->actor)->fill;
        cm_rgba dark = {c.r * 0.45, c.g * 0.45, c.b * 0.45, 1};
        const cm_shape *sh = &map->lines_page[i];
        for (int r = 0; r < sh->nrings; r++) {
            if (t->kind == CM_LINE_FRONT) {
                draw_front(cr, &sh->rings[r], (cm_rgba){0.15, 0.15, 0.15, 1}, c);
                continue;
            }
            gboolean offensive = t->kind == CM_LINE_OFFENSIVE;
            arrow_path(cr, &sh->rings[r], offensive ? 2.0 : 1.2, offensive ? 6.5 : 3.0,
                       offensive ? 9 : 6);
            cm_draw_set_color(cr, offensive ? c : cm_lighten(c, 0.5));
            cairo_fill_preserve(cr);
            cm_draw_set_color(cr, dark);
            cairo_set_line_width(cr, 0.7);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
            if (!offensive)
                cairo_set_dash(cr, (double[]){2.5, 1.5}, 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
    }
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
