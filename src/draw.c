/* Drawing primitives.  Geometry arrives in page points; nothing here knows about layers. */
#include "draw.h"

#include "words.h"

#include <math.h>
#include <string.h>

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

/* ---- arrows and front lines ---- */

/* The points of xy[0..n) without repeats (a repeated point has no direction), as a GArray
 * of double[2]. */
static GArray *distinct_points(const double *xy, int n)
{
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    for (int i = 0; i < n; i++) {
        const double *last = pts->len ? &g_array_index(pts, double, 2 * (pts->len - 1)) : NULL;
        if (!last || hypot(xy[2 * i] - last[0], xy[2 * i + 1] - last[1]) > 1e-6)
            g_array_append_vals(pts, &xy[2 * i], 1);
    }
    return pts;
}

/* One point of the centripetal Catmull-Rom segment P1..P2 at parameter u in [t1, t2]
 * (Barry and Goldman's pyramid). */
static void catmull_rom(const double P[4][2], const double t[4], double u, double out[2])
{
    for (int c = 0; c < 2; c++) {
        double a1 = ((t[1] - u) * P[0][c] + (u - t[0]) * P[1][c]) / (t[1] - t[0]);
        double a2 = ((t[2] - u) * P[1][c] + (u - t[1]) * P[2][c]) / (t[2] - t[1]);
        double a3 = ((t[3] - u) * P[2][c] + (u - t[2]) * P[3][c]) / (t[3] - t[2]);
        double b1 = ((t[2] - u) * a1 + (u - t[0]) * a2) / (t[2] - t[0]);
        double b2 = ((t[3] - u) * a2 + (u - t[1]) * a3) / (t[3] - t[1]);
        out[c] = ((t[2] - u) * b1 + (u - t[1]) * b2) / (t[2] - t[1]);
    }
}

/* A smooth curve through every point of p[0..n) (n >= 2), sampled about every half point.
 * Centripetal, because the uniform kind loops and overshoots between unevenly spaced
 * points, and a digitised axis is nothing if not uneven. */
static GArray *spline(const double *p, int n)
{
    GArray *out = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    g_array_append_vals(out, p, 1);
    for (int i = 0; i + 1 < n; i++) {
        double P[4][2], t[4] = {0};
        for (int k = 0; k < 4; k++) {
            int j = i - 1 + k;
            /* beyond an end, the end's neighbour mirrored: the curve leaves straight */
            int a = j < 0 ? 0 : j >= n ? n - 1 : j, b = j < 0 ? 1 : j >= n ? n - 2 : j;
            for (int c = 0; c < 2; c++)
                P[k][c] = 2 * p[2 * a + c] - p[2 * b + c];
            if (k > 0)
                t[k] = t[k - 1] + sqrt(fmax(hypot(P[k][0] - P[k - 1][0], P[k][1] - P[k - 1][1]), 1e-9));
        }
        int steps = (int)fmax(1, ceil(hypot(P[2][0] - P[1][0], P[2][1] - P[1][1]) / 0.5));
        for (int s = 1; s <= steps; s++) {
            double q[2];
            catmull_rom(P, t, t[1] + (t[2] - t[1]) * s / steps, q);
            g_array_append_vals(out, q, 1);
        }
    }
    return out;
}

/* Cumulative lengths along p[0..n), len[0] = 0.  g_free() it. */
static double *lengths(const double *p, int n)
{
    double *len = g_new0(double, (size_t)n);
    for (int i = 1; i < n; i++)
        len[i] = len[i - 1] + hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]);
    return len;
}

/* The point at distance s along p[0..n), and the index of the segment it is on. */
static int point_at(const double *p, const double *len, int n, double s, double out[2])
{
    int k = 1;
    while (k < n - 1 && len[k] < s)
        k++;
    double t = fmin(fmax((s - len[k - 1]) / fmax(len[k] - len[k - 1], 1e-9), 0), 1);
    out[0] = p[2 * k - 2] + t * (p[2 * k] - p[2 * k - 2]);
    out[1] = p[2 * k - 1] + t * (p[2 * k + 1] - p[2 * k - 1]);
    return k;
}

/* The outline of an arrow along the curve p[0..n) of lengths len: a shaft widening from w0
 * to w1, then a head hw wide and hl long whose barbs sweep back a little, as a news arrow's
 * do.  The head is straight from its base to the tip, and the shaft's last normals turn to
 * the head's, so the two meet without a kink. */
static void arrow_outline(cairo_t *cr, const double *p, const double *len, int n, double w0,
                          double w1, double hw, double hl)
{
    double total = len[n - 1], base = total - hl, B[2];
    int k = point_at(p, len, n, base, B);
    const double *tip = &p[2 * (n - 1)];
    double d = fmax(hypot(tip[0] - B[0], tip[1] - B[1]), 1e-9);
    double ux = (tip[0] - B[0]) / d, uy = (tip[1] - B[1]) / d, hx = -uy, hy = ux;
    double *side = g_new(double, 4 * (size_t)k); /* left x, y, right x, y per shaft point */
    for (int i = 0; i < k; i++) {
        int a = i > 0 ? i - 1 : 0, b = i + 1 < n ? i + 1 : i;
        double tx = p[2 * b] - p[2 * a], ty = p[2 * b + 1] - p[2 * a + 1];
        double tl = fmax(hypot(tx, ty), 1e-9), nx = -ty / tl, ny = tx / tl;
        double blend = fmin(fmax((len[i] - (base - hl)) / fmax(hl, 1e-9), 0), 1);
        nx = nx * (1 - blend) + hx * blend, ny = ny * (1 - blend) + hy * blend;
        double nl = fmax(hypot(nx, ny), 1e-9), w = (w0 + (w1 - w0) * len[i] / fmax(base, 1e-9)) / 2;
        side[4 * i] = p[2 * i] + nx / nl * w, side[4 * i + 1] = p[2 * i + 1] + ny / nl * w;
        side[4 * i + 2] = p[2 * i] - nx / nl * w, side[4 * i + 3] = p[2 * i + 1] - ny / nl * w;
    }
    double back = 0.18 * hl, bx = B[0] - ux * back, by = B[1] - uy * back;
    cairo_new_path(cr);
    cairo_move_to(cr, side[0], side[1]);
    for (int i = 1; i < k; i++)
        cairo_line_to(cr, side[4 * i], side[4 * i + 1]);
    cairo_line_to(cr, B[0] + hx * w1 / 2, B[1] + hy * w1 / 2);
    cairo_line_to(cr, bx + hx * hw / 2, by + hy * hw / 2);
    cairo_line_to(cr, tip[0], tip[1]);
    cairo_line_to(cr, bx - hx * hw / 2, by - hy * hw / 2);
    cairo_line_to(cr, B[0] - hx * w1 / 2, B[1] - hy * w1 / 2);
    for (int i = k - 1; i >= 0; i--)
        cairo_line_to(cr, side[4 * i + 2], side[4 * i + 3]);
    cairo_close_path(cr);
    g_free(side);
}

cm_arrow_style cm_arrow_style_for(cm_rgba c, gboolean withdrawal, cm_rgba halo, cm_rgba edge)
{
    /* the head 2.4 times the shaft's end, a little shorter than it is wide: it reads as a
     * head at 3 mm and does not swallow a short shaft */
    double w1 = withdrawal ? 3.0 : 4.2;
    cm_arrow_style st = {.w0 = withdrawal ? 1.2 : 1.6, .w1 = w1, .head_w = 2.4 * w1,
                         .head_len = 2.0 * w1, .halo = 1.0, .edge = withdrawal ? 0.5 : 0.35, .fill = c,
                         .halo_color = halo, .edge_color = edge, .dashed = withdrawal};
    return st;
}

void cm_draw_arrow(cairo_t *cr, const double *xy, int n, const cm_arrow_style *st)
{
    GArray *pts = distinct_points(xy, n);
    if (pts->len < 2) {
        g_array_free(pts, TRUE);
        return;
    }
    GArray *curve = spline((const double *)pts->data, (int)pts->len);
    const double *p = (const double *)curve->data;
    int m = (int)curve->len;
    double *len = lengths(p, m);
    /* a short arrow shrinks whole, so its head stays in proportion to its shaft, but not
     * below half size, where a head is no longer a head (lengthening the arrow instead
     * would run it into the next town's symbols: at a national scale they crowd) */
    double k = fmin(1, fmax(0.55 * len[m - 1] / st->head_len, 0.5));
    if (k * st->head_len > 0.8 * len[m - 1])
        k = 0.8 * len[m - 1] / st->head_len; /* shorter still: at least a stub of shaft */
    arrow_outline(cr, p, len, m, st->w0 * k, st->w1 * k, st->head_w * k, st->head_len * k);
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND); /* a mitred casing would spike at the tip */
    if (st->edge > 0) {
        /* a withdrawal's edge is dashed, outside the casing, so its fill stays whole */
        if (st->dashed)
            cairo_set_dash(cr, (double[]){2.0, 1.2}, 2, 0);
        cm_draw_set_color(cr, st->edge_color);
        cairo_set_line_width(cr, 2 * (st->halo + st->edge));
        cairo_stroke_preserve(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cm_draw_set_color(cr, st->halo_color);
    cairo_set_line_width(cr, 2 * st->halo);
    cairo_stroke_preserve(cr);
    cm_draw_set_color(cr, st->fill);
    cairo_fill(cr);
    cairo_restore(cr);
    g_free(len);
    g_array_free(curve, TRUE);
    g_array_free(pts, TRUE);
}

/* Appends the front's teeth to the path: triangles whose bases lie on the line (a chord of
 * it, where a tooth straddles a bend) and whose apexes stand `height` off on the right. */
static void teeth_path(cairo_t *cr, const double *p, const double *len, int n, double base,
                       double height, double spacing)
{
    double total = len[n - 1];
    int count = (int)floor((total - base) / spacing) + 1;
    if (count < 1)
        return;
    /* centred on the line, so both ends keep the same margin */
    double first = (total - (count - 1) * spacing) / 2;
    for (int i = 0; i < count; i++) {
        double s = first + i * spacing, a[2], b[2];
        point_at(p, len, n, s - base / 2, a);
        point_at(p, len, n, s + base / 2, b);
        double d = fmax(hypot(b[0] - a[0], b[1] - a[1]), 1e-9);
        double nx = -(b[1] - a[1]) / d, ny = (b[0] - a[0]) / d;
        cairo_move_to(cr, a[0], a[1]);
        cairo_line_to(cr, (a[0] + b[0]) / 2 + nx * height, (a[1] + b[1]) / 2 + ny * height);
        cairo_line_to(cr, b[0], b[1]);
        cairo_close_path(cr);
    }
}

void cm_draw_front(cairo_t *cr, const double *xy, int n, double width, cm_rgba color,
                   cm_rgba casing)
{
    /* teeth 1.3 mm tall: visible in print at 100 %, and under the 4-point boxes labels keep
     * clear of (cm_block_lines) */
    const double base = 4.2, height = 3.7, spacing = 9.5, halo = 0.8;
    GArray *pts = distinct_points(xy, n);
    if (pts->len < 2) {
        g_array_free(pts, TRUE);
        return;
    }
    GArray *curve = spline((const double *)pts->data, (int)pts->len);
    const double *p = (const double *)curve->data;
    int m = (int)curve->len;
    double *len = lengths(p, m);
    cairo_save(cr);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (int pass = 0; pass < 2; pass++) {
        /* the casing of line and teeth first, whole, so no casing crosses a dark tooth */
        double grow = pass == 0 ? halo : 0;
        cm_draw_set_color(cr, pass == 0 ? casing : color);
        cairo_new_path(cr);
        teeth_path(cr, p, len, m, base, height, spacing);
        if (grow > 0) {
            cairo_set_line_width(cr, 2 * grow);
            cairo_stroke_preserve(cr);
        }
        cairo_fill(cr);
        cairo_move_to(cr, p[0], p[1]);
        for (int i = 1; i < m; i++)
            cairo_line_to(cr, p[2 * i], p[2 * i + 1]);
        cairo_set_line_width(cr, width + 2 * grow);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
    g_free(len);
    g_array_free(curve, TRUE);
    g_array_free(pts, TRUE);
}

/* ---- site icons, drawn in a 20-unit box centred on the origin ---- */

/* Each draws its shape in the current source, grown by `grow` units all round (the casing
 * pass) or not (the fill pass, which also cuts any knockout in `bg`). */
typedef void (*icon_fn)(cairo_t *cr, double grow, cm_rgba bg);

static void grown_fill(cairo_t *cr, double grow)
{
    if (grow > 0) {
        cairo_set_line_width(cr, 2 * grow);
        cairo_stroke_preserve(cr);
    }
    cairo_fill(cr);
}

static void grown_stroke(cairo_t *cr, double width, double grow)
{
    cairo_set_line_width(cr, width + 2 * grow);
    cairo_stroke(cr);
}

static void polygon(cairo_t *cr, const double *xy, int n, double scale)
{
    cairo_move_to(cr, xy[0] * scale, xy[1] * scale);
    for (int i = 1; i < n; i++)
        cairo_line_to(cr, xy[2 * i] * scale, xy[2 * i + 1] * scale);
    cairo_close_path(cr);
}

/* A drop: a point at (0, top) and a round bottom of radius r about (0, cy). */
static void drop_path(cairo_t *cr, double top, double cy, double r)
{
    double a = acos(r / (cy - top)); /* the tangents' touching points, from straight up */
    cairo_move_to(cr, 0, top);
    cairo_arc(cr, 0, cy, r, -G_PI / 2 + a, 3 * G_PI / 2 - a);
    cairo_close_path(cr);
}

/* An aeroplane from above, nose up, `scale` times the box: fuselage, wings, tailplane. */
static void plane_path(cairo_t *cr, double scale)
{
    static const double body[] = {0, -10, 1.7, -7.5, 1.7, 8.5, 0, 9.5, -1.7, 8.5, -1.7, -7.5};
    static const double wings[] = {-1.7, -3, 1.7, -3, 10, 1.5, 10, 4, 1.7, 2, -1.7, 2, -10, 4, -10, 1.5};
    static const double tail[] = {-1.7, 5.5, 1.7, 5.5, 5, 8.2, 5, 10, 1.7, 9, -1.7, 9, -5, 10, -5, 8.2};
    polygon(cr, body, 6, scale);
    polygon(cr, wings, 8, scale);
    polygon(cr, tail, 8, scale);
}

static void icon_diamond(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    static const double d[] = {0, -10, 10, 0, 0, 10, -10, 0};
    polygon(cr, d, 4, 1);
    grown_fill(cr, grow);
}

static void icon_oil_field(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    drop_path(cr, -10, 3, 7);
    grown_fill(cr, grow);
}

/* A drop on a quay: oil where it is shipped. */
static void icon_oil_terminal(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    drop_path(cr, -10, 0, 5.2);
    cairo_rectangle(cr, -10, 6.5, 20, 3.5);
    grown_fill(cr, grow);
}

/* A works with a saw-tooth roof and a tall chimney. */
static void icon_refinery(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    static const double f[] = {-10, 10, -10, -1, -5, -5, -5, -1, 0, -5, 0, -1, 3.5, -1,
                               3.5, -10, 7.5, -10, 7.5, -1, 10, -1, 10, 10};
    polygon(cr, f, 12, 1);
    grown_fill(cr, grow);
}

static void icon_airbase(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    plane_path(cr, 1);
    grown_fill(cr, grow);
}

/* A civil airport: the aeroplane cut out of a square, so it is not the air base's. */
static void icon_airport(cairo_t *cr, double grow, cm_rgba bg)
{
    cairo_rectangle(cr, -9.5, -9.5, 19, 19);
    grown_fill(cr, grow);
    if (grow > 0)
        return;
    cm_draw_set_color(cr, bg);
    plane_path(cr, 0.75);
    cairo_fill(cr);
}

/* An anchor: ring, shank, stock and arms, stroked. */
static void icon_port(cairo_t *cr, double grow, cm_rgba bg)
{
    (void)bg;
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, -7.2, 1.9, 0, 2 * G_PI);
    grown_stroke(cr, 1.8, grow);
    cairo_move_to(cr, 0, -5.2);
    cairo_line_to(cr, 0, 8.6);
    cairo_move_to(cr, -4.6, -2.6);
    cairo_line_to(cr, 4.6, -2.6);
    cairo_new_sub_path(cr);
    cairo_arc(cr, 0, 1.4, 7.2, G_PI * 0.08, G_PI * 0.92);
    grown_stroke(cr, 2.2, grow);
}

static const struct {
    const char *kind, *name;
    icon_fn draw;
} site_kinds[] = {
    {"oil_terminal", "site-oil-terminal", icon_oil_terminal},
    {"oil_field", "site-oil-field", icon_oil_field},
    {"refinery", "site-refinery", icon_refinery},
    {"airbase", "site-air-base", icon_airbase},
    {"airport", "site-airport", icon_airport},
    {"port", "site-port", icon_port},
};

static int site_kind_index(const char *kind)
{
    for (int i = 0; kind && i < (int)G_N_ELEMENTS(site_kinds); i++)
        if (strcmp(kind, site_kinds[i].kind) == 0)
            return i;
    return -1;
}

const char *cm_site_kind_name(const cm_style *s, const char *kind)
{
    int i = site_kind_index(kind);
    return cm_word(s, i < 0 ? "site" : site_kinds[i].name);
}

void cm_draw_site(cairo_t *cr, const char *kind, double x, double y, double size, cm_rgba fill,
                  cm_rgba casing)
{
    if (!(size > 0))
        return;
    int i = site_kind_index(kind);
    icon_fn draw = i < 0 ? icon_diamond : site_kinds[i].draw;
    double scale = size / 20;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_scale(cr, scale, scale);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND); /* a mitred casing spikes past the box */
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_new_path(cr);
    cm_draw_set_color(cr, casing);
    draw(cr, CM_SITE_CASING / scale, casing);
    cairo_new_path(cr);
    cm_draw_set_color(cr, fill);
    draw(cr, 0, casing);
    cairo_restore(cr);
}
