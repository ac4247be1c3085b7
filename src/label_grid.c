/* The label engine's spatial index: see label_grid.h. */
#include "label_grid.h"

#include <math.h>

#define GRID_CELLS 64 /* along the frame's longer side */

struct cm_grid {
    double x0, y0, cell;
    int nx, ny;
    GArray **cells; /* of guint, created when first used */
};

cm_grid *cm_grid_new(cm_box frame)
{
    cm_grid *g = g_new0(cm_grid, 1);
    double w = fabs(frame.x1 - frame.x0), h = fabs(frame.y1 - frame.y0);
    g->x0 = fmin(frame.x0, frame.x1), g->y0 = fmin(frame.y0, frame.y1);
    g->cell = fmax(fmax(w, h) / GRID_CELLS, 1);
    if (!isfinite(g->x0) || !isfinite(g->y0) || !isfinite(g->cell))
        g->x0 = g->y0 = 0, g->cell = 1e9; /* one cell: a scan, as before */
    g->nx = (int)fmin(ceil(w / g->cell), GRID_CELLS) + 1;
    g->ny = (int)fmin(ceil(h / g->cell), GRID_CELLS) + 1;
    g->cells = g_new0(GArray *, (size_t)g->nx * (size_t)g->ny);
    return g;
}

void cm_grid_free(cm_grid *g)
{
    if (!g)
        return;
    for (int i = 0; i < g->nx * g->ny; i++)
        if (g->cells[i])
            g_array_unref(g->cells[i]);
    g_free(g->cells);
    g_free(g);
}

/* The cell holding coordinate v along an axis from `origin` with n cells, clamped. */
static int cell_of(const cm_grid *g, double v, double origin, int n)
{
    double c = floor((v - origin) / g->cell);
    return c < 0 ? 0 : c > n - 1 ? n - 1 : (int)c;
}

gboolean cm_grid_span(const cm_grid *g, cm_box b, int span[4])
{
    if (isnan(b.x0) || isnan(b.x1) || isnan(b.y0) || isnan(b.y1))
        return FALSE;
    span[0] = cell_of(g, fmin(b.x0, b.x1), g->x0, g->nx);
    span[1] = cell_of(g, fmax(b.x0, b.x1), g->x0, g->nx);
    span[2] = cell_of(g, fmin(b.y0, b.y1), g->y0, g->ny);
    span[3] = cell_of(g, fmax(b.y0, b.y1), g->y0, g->ny);
    return TRUE;
}

void cm_grid_add(cm_grid *g, cm_box box, guint id)
{
    int s[4];
    if (!cm_grid_span(g, box, s))
        return;
    for (int r = s[2]; r <= s[3]; r++)
        for (int c = s[0]; c <= s[1]; c++) {
            GArray **cell = &g->cells[r * g->nx + c];
            if (!*cell)
                *cell = g_array_new(FALSE, FALSE, sizeof(guint));
            g_array_append_val(*cell, id);
        }
}

const GArray *cm_grid_cell(const cm_grid *g, int c, int r)
{
    return g->cells[r * g->nx + c];
}
