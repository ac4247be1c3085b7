/* Drawing primitives.  Geometry arrives in page points; nothing here knows about layers. */
#include "draw.h"

#include <math.h>

void cm_draw_set_color(cairo_t *cr, cm_rgba c)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

void cm_draw_shape_path(cairo_t *cr, const cm_shape *shape, gboolean closed)
{
    for (int r = 0; r < shape->nrings; r++) {
        const cm_ring *ring = &shape->rings[r];
        if (ring->n < 2)
            continue;
        cairo_move_to(cr, ring->xy[0], ring->xy[1]);
        for (int i = 1; i < ring->n; i++)
            cairo_line_to(cr, ring->xy[2 * i], ring->xy[2 * i + 1]);
        if (closed)
            cairo_close_path(cr);
    }
}

void cm_draw_fill(cairo_t *cr, const cm_shape *shape, cm_rgba fill)
{
    cairo_new_path(cr);
    cm_draw_shape_path(cr, shape, TRUE);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cm_draw_set_color(cr, fill);
    cairo_fill(cr);
}

/* Saves the state and clips to the shape (even-odd); the shape's extents go to x0..y1.  Not
 * the clip's: those end at the surface's edge, so a page drawn in bands (PNG on several
 * threads) would place each band's stripes from another centre, a rounding apart. */
static void clip_to(cairo_t *cr, const cm_shape *shape, double *x0, double *y0, double *x1,
                    double *y1)
{
    cairo_save(cr);
    cairo_new_path(cr);
    cm_draw_shape_path(cr, shape, TRUE);
    cairo_path_extents(cr, x0, y0, x1, y1);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
}

void cm_draw_hatch(cairo_t *cr, const cm_shape *shape, const cm_rgba *colors, int n,
                   double width, double angle)
{
    g_assert(n >= 1 && width > 0);
    cm_draw_fill(cr, shape, colors[0]);
    if (n < 2)
        return;
    double x0, y0, x1, y1;
    clip_to(cr, shape, &x0, &y0, &x1, &y1);
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    double half = hypot(x1 - x0, y1 - y0) / 2 + width;
    cairo_translate(cr, cx, cy);
    cairo_rotate(cr, angle * G_PI / 180.0);
    /* stripes anchored to the page, not the shape, so neighbouring areas line up */
    double phase = fmod(cx * cos(angle * G_PI / 180.0) + cy * sin(angle * G_PI / 180.0),
                        width * n);
    long first = (long)floor((-half + phase) / width);
    /* one fill per colour: in a PDF each fill under a clip repeats the clip's path */
    for (int c = 1; c < n; c++) {
        cairo_new_path(cr);
        for (long k = first; k * width - phase < half; k++)
            if ((int)(((k % n) + n) % n) == c)
                cairo_rectangle(cr, k * width - phase, -half, width, 2 * half);
        cm_draw_set_color(cr, colors[c]);
        cairo_fill(cr);
    }
    cairo_restore(cr);
}

void cm_draw_stroke(cairo_t *cr, const cm_shape *shape, gboolean closed, cm_rgba color,
                    double width)
{
    if (width <= 0)
        return;
    cairo_new_path(cr);
    cm_draw_shape_path(cr, shape, closed);
    cm_draw_set_color(cr, color);
    cairo_set_line_width(cr, width);
    /* a round join costs an arc per vertex; under a point wide a bevel looks the same */
    cairo_set_line_join(cr, width < 1.0 ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
}

void cm_draw_star(cairo_t *cr, double x, double y, double r, cm_rgba fill, cm_rgba halo)
{
    cairo_new_path(cr);
    for (int i = 0; i < 10; i++) {
        double a = -G_PI / 2 + i * G_PI / 5;
        double rr = (i % 2) ? r * 0.42 : r;
        if (i == 0)
            cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
        else
            cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
    }
    cairo_close_path(cr);
    cm_draw_set_color(cr, halo);
    cairo_set_line_width(cr, 1.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve(cr);
    cm_draw_set_color(cr, fill);
    cairo_fill(cr);
}

void cm_draw_dot(cairo_t *cr, double x, double y, double d, cm_rgba fill, cm_rgba halo)
{
    cairo_new_path(cr);
    cairo_arc(cr, x, y, d / 2, 0, 2 * G_PI);
    cm_draw_set_color(cr, halo);
    cairo_set_line_width(cr, 1.2);
    cairo_stroke_preserve(cr);
    cm_draw_set_color(cr, fill);
    cairo_fill(cr);
}

/* Dots on a square grid, or thin lines, anchored to the page so neighbours line up. */
static void draw_pattern(cairo_t *cr, const cm_shape *shape, cm_pattern pattern, cm_rgba color)
{
    const double step = 4.0;
    double x0, y0, x1, y1;
    clip_to(cr, shape, &x0, &y0, &x1, &y1);
    cm_draw_set_color(cr, color);
    cairo_new_path(cr);
    if (pattern == CM_PATTERN_DOTS) {
        for (double y = floor(y0 / step) * step; y <= y1; y += step)
            for (double x = floor(x0 / step) * step + (fmod(fabs(y), 2 * step) < step ? 0 : step / 2);
                 x <= x1; x += step) {
                cairo_move_to(cr, x + 0.7, y);
                cairo_arc(cr, x, y, 0.7, 0, 2 * G_PI);
            }
        cairo_fill(cr);
    } else {
        for (double x = floor((x0 - (y1 - y0)) / step) * step; x <= x1; x += step) {
            cairo_move_to(cr, x, y1);
            cairo_line_to(cr, x + (y1 - y0), y0);
        }
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

void cm_draw_paint(cairo_t *cr, const cm_shape *shape, const cm_paint *paint, double hatch_width,
                   double hatch_angle)
{
    if (paint->n > 1)
        cm_draw_hatch(cr, shape, paint->colors, paint->n, hatch_width, hatch_angle);
    else
        cm_draw_fill(cr, shape, paint->colors[0]);
    if (paint->pattern != CM_PATTERN_SOLID)
        draw_pattern(cr, shape, paint->pattern, paint->pattern_color);
}

void cm_draw_attack_mark(cairo_t *cr, double x, double y, double r, cm_rgba color, cm_rgba halo)
{
    /* four wedges pointing in at the place, like a sight: under attack, not encircled (a
     * siege is a closed ring) */
    cairo_new_path(cr);
    for (int k = 0; k < 4; k++) {
        double a = G_PI / 4 + k * G_PI / 2, ca = cos(a), sa = sin(a), w = 1.6, len = 3.4;
        cairo_move_to(cr, x + ca * r, y + sa * r);
        cairo_line_to(cr, x + ca * (r + len) - sa * w, y + sa * (r + len) + ca * w);
        cairo_line_to(cr, x + ca * (r + len) + sa * w, y + sa * (r + len) - ca * w);
        cairo_close_path(cr);
    }
    cm_draw_set_color(cr, halo);
    cairo_set_line_width(cr, 1.2);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke_preserve(cr);
    cm_draw_set_color(cr, color);
    cairo_fill(cr);
}
