/* Control finer than districts: ground follows the towns and sites the ledger records.  A
 * place's cell is the part of its region that is nearer to it than to any other place of that
 * region (a Voronoi cell, through GEOS, on the page) and within its reach (the map file's
 * [places] or [sites] `reach`, 25 and 8 km by default): control claimed for a town is not
 * stretched over the desert around it, which keeps its region's row.  Built once at load,
 * after projection; what paints a cell on a date is control.c's business. */
#include "cells.h"

#include "ctx.h"
#include "map_impl.h"

#include <geos_c.h>
#include <math.h>
#include <string.h>

/* A point just outside every region (a terminal on a coast the boundaries draw coarsely)
 * belongs to the nearest region within this distance on the ground. */
#define CELL_SNAP_M 12000.0

static double segment_distance(double px, double py, const double *a, const double *b)
{
    double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? CLAMP(((px - a[0]) * dx + (py - a[1]) * dy) / l2, 0, 1) : 0;
    return hypot(px - a[0] - t * dx, py - a[1] - t * dy);
}

static double shape_distance(const cm_shape *s, double x, double y)
{
    double best = INFINITY;
    for (int r = 0; r < s->nrings; r++)
        for (int k = 0; k + 1 < s->rings[r].n; k++)
            best = fmin(best, segment_distance(x, y, &s->rings[r].xy[2 * k],
                                               &s->rings[r].xy[2 * k + 2]));
    return best;
}

/* The region a point's cell belongs to: the one holding it (the last, as drawn on top), else
 * the nearest within CELL_SNAP_M; -1 for none. */
static int region_of(const cm_map *map, double x, double y)
{
    const placed_layer *rg = &map->regions;
    for (int i = rg->layer->n - 1; i >= 0; i--)
        if (cm_shape_contains(&rg->page[i], x, y))
            return i;
    double snap = isfinite(map->metres_per_pt) ? CELL_SNAP_M / map->metres_per_pt : 0;
    int best = -1;
    for (int i = 0; i < rg->layer->n; i++) {
        double d = shape_distance(&rg->page[i], x, y);
        if (d <= snap)
            snap = d, best = i;
    }
    return best;
}

static void bounds(const cm_shape *s, double b[4])
{
    b[0] = b[1] = INFINITY, b[2] = b[3] = -INFINITY;
    for (int r = 0; r < s->nrings; r++)
        for (int k = 0; k < s->rings[r].n; k++) {
            b[0] = fmin(b[0], s->rings[r].xy[2 * k]), b[2] = fmax(b[2], s->rings[r].xy[2 * k]);
            b[1] = fmin(b[1], s->rings[r].xy[2 * k + 1]);
            b[3] = fmax(b[3], s->rings[r].xy[2 * k + 1]);
        }
}

/* A GEOS polygon's outer ring as a cm_ring (a Voronoi cell has no holes). */
static cm_ring ring_of(GEOSContextHandle_t g, const GEOSGeometry *poly)
{
    cm_ring ring = {0};
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g, GEOSGetExteriorRing_r(g, poly));
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(g, seq, &n) || n == 0)
        return ring;
    ring.xy = g_new(double, 2 * (size_t)n);
    for (unsigned k = 0; k < n; k++)
        GEOSCoordSeq_getXY_r(g, seq, k, &ring.xy[2 * k], &ring.xy[2 * k + 1]);
    ring.n = (int)n;
    return ring;
}

/* Voronoi cells of the region's seeds, each matched to the seed inside it (GEOS 3.11 does not
 * keep the input's order).  Two seeds at one point share a cell: the first gets it. */
static void voronoi(GEOSContextHandle_t g, GArray *cells, int region, const double b[4],
                    const GArray *seeds, const double *xy)
{
    guint n = seeds->len;
    GEOSGeometry **pts = g_new(GEOSGeometry *, n);
    for (guint k = 0; k < n; k++) {
        int p = g_array_index(seeds, int, k);
        pts[k] = GEOSGeom_createPointFromXY_r(g, xy[2 * p], xy[2 * p + 1]);
    }
    GEOSGeometry *mp = GEOSGeom_createCollection_r(g, GEOS_MULTIPOINT, pts, n);
    double pad = fmax(b[2] - b[0], b[3] - b[1]) + 10;
    GEOSGeometry *env = GEOSGeom_createRectangle_r(g, b[0] - pad, b[1] - pad, b[2] + pad,
                                                   b[3] + pad);
    GEOSGeometry *vd = mp && env ? GEOSVoronoiDiagram_r(g, mp, env, 0, 0) : NULL;
    gboolean *taken = g_new0(gboolean, n);
    for (int c = 0; vd && c < GEOSGetNumGeometries_r(g, vd); c++) {
        cm_ring ring = ring_of(g, GEOSGetGeometryN_r(g, vd, c));
        cm_shape sh = {&ring, 1};
        guint k = 0;
        while (k < n && (taken[k] || !cm_shape_contains(&sh, xy[2 * g_array_index(seeds, int, k)],
                                                         xy[2 * g_array_index(seeds, int, k) + 1])))
            k++;
        if (k == n) {
            g_free(ring.xy);
            continue;
        }
        taken[k] = TRUE;
        cm_cell cell = {.region = region, .point = g_array_index(seeds, int, k), .ring = ring,
                        .x = xy[2 * g_array_index(seeds, int, k)],
                        .y = xy[2 * g_array_index(seeds, int, k) + 1]};
        g_array_append_val(cells, cell);
    }
    g_free(taken);
    GEOSGeom_destroy_r(g, vd);
    GEOSGeom_destroy_r(g, env);
    GEOSGeom_destroy_r(g, mp);
    g_free(pts);
}

static void geos_quiet(const char *message, void *userdata)
{
    (void)message, (void)userdata;
}

void cm_cells_build(cm_map *map)
{
    const cm_layer *pl = map->places.layer;
    if (!pl || !map->regions.layer)
        return;
    int nreg = map->regions.layer->n;
    double *xy = g_new0(double, 2 * (size_t)pl->n);
    GArray **seeds = g_new0(GArray *, (size_t)nreg);
    for (int p = 0; p < pl->n; p++) {
        const cm_shape *sh = &map->places.page[p];
        if (sh->nrings == 0 || !map->town_keys || !map->town_keys[p])
            continue;
        xy[2 * p] = sh->rings[0].xy[0], xy[2 * p + 1] = sh->rings[0].xy[1];
        int r = region_of(map, xy[2 * p], xy[2 * p + 1]);
        if (r < 0)
            continue;
        if (!seeds[r])
            seeds[r] = g_array_new(FALSE, FALSE, sizeof(int));
        g_array_append_val(seeds[r], p);
    }
    GArray *cells = g_array_new(FALSE, FALSE, sizeof(cm_cell));
    GEOSContextHandle_t g = GEOS_init_r();
    GEOSContext_setErrorMessageHandler_r(g, geos_quiet, NULL);
    for (int r = 0; r < nreg; r++) {
        if (!seeds[r])
            continue;
        double b[4];
        bounds(&map->regions.page[r], b);
        if (seeds[r]->len == 1) {
            /* the one place's cell is the whole region */
            double box[] = {b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]};
            int p = g_array_index(seeds[r], int, 0);
            cm_cell cell = {.region = r, .point = p, .ring = {g_memdup2(box, sizeof box), 5},
                            .x = xy[2 * p], .y = xy[2 * p + 1]};
            g_array_append_val(cells, cell);
        } else {
            voronoi(g, cells, r, b, seeds[r], xy);
        }
        g_array_free(seeds[r], TRUE);
    }
    GEOS_finish_r(g);
    g_free(seeds);
    g_free(xy);
    for (guint c = 0; c < cells->len; c++) {
        cm_cell *cell = &g_array_index(cells, cm_cell, c);
        double km = cell->point < map->first_site ? map->mf->places.reach_km
                                                  : map->mf->sites.reach_km;
        cell->reach = isfinite(map->metres_per_pt) ? km * 1000 / map->metres_per_pt : 0;
    }
    map->ncells = (int)cells->len;
    map->cells = (cm_cell *)g_array_free(cells, FALSE);
}

void cm_cells_free(cm_map *map)
{
    for (int i = 0; i < map->ncells; i++)
        g_free(map->cells[i].ring.xy);
    g_clear_pointer(&map->cells, g_free);
    map->ncells = 0;
}

gboolean cm_cell_contains(const cm_map *map, const cm_cell *c, double x, double y)
{
    cm_shape sh = {(cm_ring *)&c->ring, 1};
    return hypot(x - c->x, y - c->y) <= c->reach && cm_shape_contains(&sh, x, y) &&
           cm_shape_contains(&map->regions.page[c->region], x, y);
}
