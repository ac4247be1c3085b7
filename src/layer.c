/* Plain vector data: freeing it, and the one simplifier every stage uses. */
#include "layer.h"

#include <math.h>

void cm_shape_clear(cm_shape *s)
{
    for (int r = 0; r < s->nrings; r++)
        g_free(s->rings[r].xy);
    g_free(s->rings);
    s->rings = NULL;
    s->nrings = 0;
}

void cm_feature_clear(cm_feature *f)
{
    cm_shape_clear(&f->shape);
    g_free(f->key);
    g_free(f->name);
    g_free(f->name_ar);
    g_free(f->name_fr);
    g_free(f->kind);
}

void cm_layer_destroy(cm_layer *layer)
{
    if (!layer)
        return;
    for (int i = 0; i < layer->n; i++)
        cm_feature_clear(&layer->features[i]);
    g_free(layer->features);
    if (layer->srs && layer->srs_free)
        layer->srs_free(layer->srs);
    g_free(layer->path);
    g_free(layer);
}

void cm_shapes_free(cm_shape *shapes, int n)
{
    if (!shapes)
        return;
    for (int i = 0; i < n; i++)
        cm_shape_clear(&shapes[i]);
    g_free(shapes);
}

int cm_ring_simplify(double *xy, int n, double tol)
{
    if (n < 3)
        return n;
    unsigned char *keep = g_malloc0((size_t)n);
    int *stack = g_new(int, 2 * (size_t)n);
    int top = 0;
    keep[0] = keep[n - 1] = 1;
    stack[top++] = 0, stack[top++] = n - 1;
    double tol2 = tol * tol;
    while (top > 0) {
        int b = stack[--top], a = stack[--top];
        double ax = xy[2 * a], ay = xy[2 * a + 1], dx = xy[2 * b] - ax, dy = xy[2 * b + 1] - ay;
        double l2 = dx * dx + dy * dy, worst = -1;
        int at = -1;
        for (int i = a + 1; i < b; i++) {
            double px = xy[2 * i] - ax, py = xy[2 * i + 1] - ay, d2;
            if (l2 > 0) {
                double t = (px * dx + py * dy) / l2;
                t = t < 0 ? 0 : t > 1 ? 1 : t;
                double ex = px - t * dx, ey = py - t * dy;
                d2 = ex * ex + ey * ey;
            } else {
                d2 = px * px + py * py;
            }
            if (d2 > worst)
                worst = d2, at = i;
        }
        if (at >= 0 && worst > tol2) {
            keep[at] = 1;
            stack[top++] = a, stack[top++] = at;
            stack[top++] = at, stack[top++] = b;
        }
    }
    int m = 0;
    for (int i = 0; i < n; i++)
        if (keep[i]) {
            xy[2 * m] = xy[2 * i], xy[2 * m + 1] = xy[2 * i + 1];
            m++;
        }
    g_free(keep);
    g_free(stack);
    return m;
}

gboolean cm_shape_contains(const cm_shape *shape, double x, double y)
{
    gboolean in = FALSE;
    for (int r = 0; r < shape->nrings; r++) {
        const cm_ring *ring = &shape->rings[r];
        for (int i = 0, j = ring->n - 1; i < ring->n; j = i++) {
            double xi = ring->xy[2 * i], yi = ring->xy[2 * i + 1];
            double xj = ring->xy[2 * j], yj = ring->xy[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
                in = !in;
        }
    }
    return in;
}

static double edge_distance(const cm_shape *shape, double x, double y)
{
    double best = INFINITY;
    for (int r = 0; r < shape->nrings; r++) {
        const cm_ring *ring = &shape->rings[r];
        for (int i = 0, j = ring->n - 1; i < ring->n; j = i++) {
            double ax = ring->xy[2 * j], ay = ring->xy[2 * j + 1];
            double bx = ring->xy[2 * i], by = ring->xy[2 * i + 1];
            double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
            double t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
            t = t < 0 ? 0 : t > 1 ? 1 : t;
            double px = ax + t * dx - x, py = ay + t * dy - y;
            best = fmin(best, px * px + py * py);
        }
    }
    return sqrt(best);
}

gboolean cm_interior_point(const cm_shape *shape, double *x, double *y)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int r = 0; r < shape->nrings; r++)
        for (int i = 0; i < shape->rings[r].n; i++) {
            x0 = fmin(x0, shape->rings[r].xy[2 * i]), x1 = fmax(x1, shape->rings[r].xy[2 * i]);
            y0 = fmin(y0, shape->rings[r].xy[2 * i + 1]), y1 = fmax(y1, shape->rings[r].xy[2 * i + 1]);
        }
    if (!(x1 >= x0))
        return FALSE;
    enum { N = 16 };
    double bx = (x0 + x1) / 2, by = (y0 + y1) / 2, best = -1;
    double cw = (x1 - x0) / N, ch = (y1 - y0) / N;
    double cx0 = x0, cy0 = y0;
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; i <= N; i++)
            for (int j = 0; j <= N; j++) {
                double px = cx0 + i * cw, py = cy0 + j * ch;
                if (!cm_shape_contains(shape, px, py))
                    continue;
                double d = edge_distance(shape, px, py);
                if (d > best)
                    best = d, bx = px, by = py;
            }
        /* refine around the best point found so far */
        cx0 = bx - cw, cy0 = by - ch;
        cw = 2 * cw / N, ch = 2 * ch / N;
    }
    *x = bx, *y = by;
    return best >= 0;
}
