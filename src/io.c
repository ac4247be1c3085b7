/* The data side of loading a map: everything that needs GDAL/OGR or PROJ.  Built into the
 * conflictmap-io module (and into the static library); see io.h. */
#include "io.h"

#include "ctx.h"
#include "geodata.h"
#include "map_impl.h"

#include <math.h>
#include <ogr_api.h>

static cm_status load_placed(cm_map *map, const cm_layer_spec *spec, placed_layer *pl, cm_ctx *ctx)
{
    if (!spec->file)
        return CM_OK;
    cm_status st = cm_layer_load(&pl->layer, spec, map->simplify_m, ctx);
    if (st == CM_OK)
        st = cm_project_layer(&pl->page, map->proj, pl->layer, TOLERANCE_PT, ctx);
    return st;
}

/* The inset gets its own projection onto a box in the frame's top-right corner, sized by
 * the style and the inset extent's shape. */
static cm_status load_inset(cm_map *map, cm_ctx *ctx)
{
    const cm_mapfile *mf = map->mf;
    if (!mf->inset.file || !map->style->inset)
        return CM_OK;
    double w = map->frame[2] * map->style->inset_width;
    double box[4] = {0, 0, w, w};
    cm_projection *probe = NULL;
    cm_status st = cm_projection_new(&probe, mf->inset_crs, mf->inset_extent, box, ctx);
    if (st != CM_OK)
        return st;
    /* height from the extent's projected shape: project its corners onto the square box */
    double x0, y0, x1, y1;
    cm_projection_lonlat_to_page(probe, mf->inset_extent[0], mf->inset_extent[3], &x0, &y0);
    cm_projection_lonlat_to_page(probe, mf->inset_extent[2], mf->inset_extent[1], &x1, &y1);
    double aspect = fabs(y1 - y0) / fmax(fabs(x1 - x0), 1e-9);
    cm_projection_destroy(probe);
    map->inset_size[0] = w;
    map->inset_size[1] = fmin(w * aspect, map->frame[3] * 0.5);
    double real[4] = {0, 0, map->inset_size[0], map->inset_size[1]};
    if ((st = cm_projection_new(&map->inset_proj, mf->inset_crs, mf->inset_extent, real, ctx)) != CM_OK)
        return st;
    /* a locator is a small picture: detail under half a point is noise, in PNG and PDF alike */
    double m_per_pt = cm_projection_ground_metres(map->inset_proj, real[2] / 2, real[3] / 2, 10) / 10;
    if ((st = cm_layer_load(&map->inset.layer, &mf->inset, isfinite(m_per_pt) ? 0.5 * m_per_pt : 0,
                            ctx)) != CM_OK ||
        (st = cm_project_layer(&map->inset.page, map->inset_proj, map->inset.layer, 0.5, ctx)) != CM_OK)
        return st;
    if (map->border.layer)
        st = cm_project_layer(&map->inset_border, map->inset_proj, map->border.layer, 0.2, ctx);
    return st;
}

/* Zones or lines: loaded and projected. */
static cm_status load_timeline(cm_map *map, const char *path, gboolean lines, cm_timeline **tl,
                               cm_shape **page, GPtrArray *problems, cm_ctx *ctx)
{
    if (!path)
        return CM_OK;
    cm_status st = cm_timeline_load(tl, path, lines, problems, ctx);
    if (st == CM_OK)
        st = cm_project_layer(page, map->proj, (*tl)->layer, TOLERANCE_PT, ctx);
    return st;
}

/* A shape's area as GEOS sees it: its rings combined even-odd (each ring toggles what it
 * encloses), as the renderer fills them.  NULL when no ring has an area. */
static OGRGeometryH shape_area(const cm_shape *sh)
{
    OGRGeometryH acc = NULL;
    for (int r = 0; r < sh->nrings; r++) {
        const cm_ring *ring = &sh->rings[r];
        if (ring->n < 3)
            continue;
        OGRGeometryH lr = OGR_G_CreateGeometry(wkbLinearRing);
        for (int k = 0; k < ring->n; k++)
            OGR_G_AddPoint_2D(lr, ring->xy[2 * k], ring->xy[2 * k + 1]);
        OGR_G_CloseRings(lr);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(poly, lr);
        if (!OGR_G_IsValid(poly)) {
            OGRGeometryH valid = OGR_G_MakeValid(poly);
            OGR_G_DestroyGeometry(poly);
            poly = valid;
        }
        if (!poly)
            continue;
        if (!acc) {
            acc = poly;
            continue;
        }
        OGRGeometryH x = OGR_G_SymDifference(acc, poly);
        OGR_G_DestroyGeometry(acc);
        OGR_G_DestroyGeometry(poly);
        acc = x;
        if (!acc)
            return NULL;
    }
    return acc;
}

/* Appends the rings of a polygonal geometry (polygons, multipolygons, collections). */
static void add_rings(GArray *rings, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbLinearRing || (t == wkbLineString && OGR_G_GetPointCount(g) >= 4)) {
        cm_ring r = {.n = OGR_G_GetPointCount(g)};
        r.xy = g_new(double, 2 * (size_t)r.n);
        OGR_G_GetPoints(g, r.xy, 2 * sizeof(double), r.xy + 1, 2 * sizeof(double), NULL, 0);
        g_array_append_val(rings, r);
        return;
    }
    if (t == wkbPolygon || t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            add_rings(rings, OGR_G_GetGeometryRef(g, i));
}

/* Zones are shown on land only.  Drawing them under a clip to the border made a PDF repeat
 * the border's outline for every zone and every hatched part of one; cut them to the border
 * here, once, instead.  FALSE (shapes untouched: the renderer clips) when GEOS cannot. */
static gboolean clip_zones(cm_map *map)
{
    if (!map->zones || !map->border.layer)
        return FALSE;
    OGRGeometryH border = NULL;
    for (int i = 0; i < map->border.layer->n; i++) {
        OGRGeometryH g = shape_area(&map->border.page[i]);
        if (!g)
            continue;
        OGRGeometryH u = border ? OGR_G_Union(border, g) : OGR_G_Clone(g);
        OGR_G_DestroyGeometry(g);
        if (border)
            OGR_G_DestroyGeometry(border);
        if (!(border = u))
            return FALSE;
    }
    if (!border)
        return FALSE;
    int n = map->zones->layer->n;
    cm_shape *cut = g_new0(cm_shape, (size_t)n);
    gboolean ok = TRUE;
    for (int i = 0; i < n && ok; i++) {
        OGRGeometryH z = shape_area(&map->zones_page[i]);
        OGRGeometryH in = z ? OGR_G_Intersection(z, border) : NULL;
        ok = !z || in;
        if (in) {
            GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
            add_rings(rings, in);
            cut[i].nrings = (int)rings->len;
            cut[i].rings = (cm_ring *)g_array_free(rings, FALSE);
        }
        OGR_G_DestroyGeometry(in);
        OGR_G_DestroyGeometry(z);
    }
    OGR_G_DestroyGeometry(border);
    if (!ok) {
        cm_shapes_free(cut, n);
        return FALSE;
    }
    cm_shapes_free(map->zones_page, n);
    map->zones_page = cut;
    return TRUE;
}

/* Lines of longitude and latitude every `step` degrees, densified so they curve: one open
 * ring per run of points that project. */
static void make_graticule(cm_map *map)
{
    const double *e = map->mf->extent;
    double step = map->style->graticule_step;
    GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
    for (int axis = 0; axis < 2 && step > 0; axis++) {
        double lo = axis ? e[1] - 10 : e[0] - 10, hi = axis ? e[3] + 10 : e[2] + 10;
        for (double v = ceil(lo / step) * step; v <= hi; v += step) {
            double a0 = axis ? e[0] - 10 : e[1] - 10, a1 = axis ? e[2] + 10 : e[3] + 10;
            GArray *run = g_array_new(FALSE, FALSE, sizeof(double));
            for (double t = a0; t <= a1 + 0.125; t += 0.25) {
                double lon = axis ? t : v, lat = axis ? v : t, x, y;
                gboolean ok = t <= a1 && lat >= -89.9 && lat <= 89.9 &&
                              cm_projection_lonlat_to_page(map->proj, lon, lat, &x, &y);
                if (ok) {
                    g_array_append_val(run, x);
                    g_array_append_val(run, y);
                } else if (run->len) {
                    cm_ring r = {.n = (int)run->len / 2};
                    r.xy = (double *)g_array_free(run, FALSE);
                    g_array_append_val(rings, r);
                    run = g_array_new(FALSE, FALSE, sizeof(double));
                }
            }
            g_array_free(run, TRUE);
        }
    }
    map->graticule.nrings = (int)rings->len;
    map->graticule.rings = (cm_ring *)g_array_free(rings, FALSE);
}

/* The main frame, traced along its edges through lon/lat into the inset's page. */
static void make_inset_trace(cm_map *map)
{
    const double *fr = map->frame;
    cm_ring *r = &map->inset_trace;
    r->xy = g_new(double, 2 * 400);
    r->n = 0;
    for (int k = 0; k < 400; k++) {
        double t = (k % 100) / 100.0, x, y, lon, lat, ix, iy;
        switch (k / 100) {
        case 0: x = fr[0] + t * fr[2], y = fr[1]; break;
        case 1: x = fr[0] + fr[2], y = fr[1] + t * fr[3]; break;
        case 2: x = fr[0] + (1 - t) * fr[2], y = fr[1] + fr[3]; break;
        default: x = fr[0], y = fr[1] + (1 - t) * fr[3]; break;
        }
        if (!cm_projection_page_to_lonlat(map->proj, x, y, &lon, &lat) ||
            !cm_projection_lonlat_to_page(map->inset_proj, lon, lat, &ix, &iy))
            continue;
        r->xy[2 * r->n] = ix, r->xy[2 * r->n + 1] = iy;
        r->n++;
    }
}

/* The angle, clockwise from the page's up, of true north at a page point. */
static double north_angle(const cm_projection *p, double x, double y)
{
    double lon, lat, x1, y1;
    if (!cm_projection_page_to_lonlat(p, x, y, &lon, &lat) ||
        !cm_projection_lonlat_to_page(p, lon, lat + 0.1, &x1, &y1))
        return 0;
    return atan2(x1 - x, -(y1 - y));
}

/* Lon/lat geometry is only needed to project: drop it, and the source CRS, once done. */
static void drop_lonlat(cm_layer *layer)
{
    if (!layer)
        return;
    for (int i = 0; i < layer->n; i++)
        cm_shape_clear(&layer->features[i].shape);
    if (layer->srs && layer->srs_free)
        layer->srs_free(layer->srs);
    layer->srs = NULL;
}

/* The geography: projection, layers, inset, and what drawing needs from PROJ. */
static cm_status load_geo(cm_map *map, cm_ctx *ctx)
{
    cm_status st;
    const double *fr = map->frame;
    if ((st = cm_projection_new(&map->proj, map->mf->crs, map->mf->extent, map->frame, ctx)) != CM_OK)
        return st;
    /* a fifth of the drawing tolerance, in metres on the ground at the frame's centre (the
     * scale varies across the frame by a few percent at most) */
    map->metres_per_pt = cm_projection_ground_metres(map->proj, fr[0] + fr[2] / 2,
                                                     fr[1] + fr[3] / 2, 100) / 100;
    map->simplify_m = isfinite(map->metres_per_pt) ? TOLERANCE_PT * map->metres_per_pt / 5 : 0;
    map->north = north_angle(map->proj, fr[0] + fr[2] / 2, fr[1] + fr[3] / 2);
    if (map->mf->sea_label)
        map->has_sea_label = cm_projection_lonlat_to_page(map->proj, map->mf->sea_label_at[0],
                                                          map->mf->sea_label_at[1],
                                                          &map->sea_xy[0], &map->sea_xy[1]);
    if ((st = load_placed(map, &map->mf->regions, &map->regions, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->neighbours, &map->neighbours, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->border, &map->border, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->places, &map->places, ctx)) != CM_OK ||
        (st = load_inset(map, ctx)) != CM_OK)
        return st;
    if (map->inset_proj)
        make_inset_trace(map);
    if (map->style->graticule)
        make_graticule(map);
    cm_layer *layers[] = {map->regions.layer, map->neighbours.layer, map->border.layer,
                          map->places.layer, map->inset.layer};
    for (size_t i = 0; i < G_N_ELEMENTS(layers); i++)
        drop_lonlat(layers[i]);
    return CM_OK;
}

/* What changes as the conflict does: the ledger, zones and lines, projected and (zones) cut
 * to the border, whose page shapes are loaded by then. */
static cm_status load_time(cm_map *map, const char *ledger, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st;
    if (!map->proj && (st = cm_projection_new(&map->proj, map->mf->crs, map->mf->extent,
                                               map->frame, ctx)) != CM_OK)
        return st;
    if ((st = cm_ledger_load(&map->ledger, ledger, problems, ctx)) != CM_OK ||
        (st = load_timeline(map, map->mf->zones, FALSE, &map->zones, &map->zones_page, problems,
                            ctx)) != CM_OK ||
        (st = load_timeline(map, map->mf->lines, TRUE, &map->lines, &map->lines_page, problems,
                            ctx)) != CM_OK)
        return st;
    cm_gdal_quiet_begin();
    map->zones_on_land = clip_zones(map);
    cm_gdal_quiet_end();
    drop_lonlat(map->zones ? map->zones->layer : NULL);
    drop_lonlat(map->lines ? map->lines->layer : NULL);
    return CM_OK;
}

CM_IO_EXPORT const cm_io_api cm_io_module = {
    .abi = CM_IO_ABI,
    .map_size = sizeof(struct cm_map),
    .version = CM_VERSION,
    .load_geo = load_geo,
    .load_time = load_time,
    .ledger_load = cm_ledger_load,
    .projection_new = cm_projection_new,
    .projection_destroy = cm_projection_destroy,
    .lonlat_to_page = cm_projection_lonlat_to_page,
    .page_to_lonlat = cm_projection_page_to_lonlat,
};
