/* Asking the map who held a point: the town symbol, zone or district the page draws there,
 * decided from the loaded page geometry and the control the renderer paints, never from
 * geometry of its own. */
#include "conflictmap/map.h"

#include "ctx.h"
#include "layer.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "timeline.h"

#include <math.h>
#include <string.h>

static gboolean in_frame(const cm_map *map, double x, double y)
{
    const double *fr = map->frame;
    return x >= fr[0] && y >= fr[1] && x <= fr[0] + fr[2] && y <= fr[1] + fr[3];
}

static void answer_row(cm_query_result *out, const cm_ledger_row *row)
{
    out->holder = row ? row->controller : NULL;
    out->status = row ? cm_status_word(row->status) : NULL;
    out->source = row ? row->source : NULL;
}

static void answer_point(cm_query_result *out, const cm_map *map, int i,
                         const cm_ledger_row *row)
{
    const cm_feature *f = &map->places.layer->features[i];
    *out = (cm_query_result){.by = i < map->first_site ? CM_QUERY_TOWN : CM_QUERY_SITE,
                             .key = f->key, .zone = -1, .label = f->name};
    answer_row(out, row);
}

/* 1. The town symbol on top at (x, y).  Only towns with a row on the date: their symbol is
 * drawn in the holder's colour, always; one without a row is a plain dot, or not drawn at
 * all when its name finds no room, and says nothing of who holds the ground under it. */
static gboolean find_town(cm_query_result *out, const cm_map *map, const cm_control *cs,
                          double x, double y)
{
    const cm_layer *l = map->places.layer;
    for (int i = l ? l->n - 1 : -1; i >= 0; i--) {
        const cm_shape *sh = &map->places.page[i];
        const cm_ledger_row *row = cs->towns[i];
        if (!row || sh->nrings == 0 || !cm_place_on_map(map, i))
            continue;
        double tx = sh->rings[0].xy[0], ty = sh->rings[0].xy[1];
        if (!in_frame(map, tx, ty) ||
            hypot(x - tx, y - ty) > cm_place_radius(map, i, row))
            continue;
        answer_point(out, map, i, row);
        out->symbol = TRUE;
        return TRUE;
    }
    return FALSE;
}

/* 3. The cell of a town or site with a row on the date, the last drawn on top. */
static gboolean find_cell(cm_query_result *out, const cm_map *map, const cm_control *cs,
                          double x, double y)
{
    for (int c = map->ncells - 1; c >= 0; c--) {
        const cm_cell *cell = &map->cells[c];
        const cm_ledger_row *row = cs->towns[cell->point];
        if (!row || !cm_cell_contains(map, cell, x, y))
            continue;
        answer_point(out, map, cell->point, row);
        return TRUE;
    }
    return FALSE;
}

/* Inside the national border as cm_draw_zones clips to it: all its shapes in one even-odd
 * path. */
static gboolean on_land(const cm_map *map, double x, double y)
{
    if (!map->border.layer || map->zones_on_land)
        return TRUE;
    gboolean in = FALSE;
    for (int i = 0; i < map->border.layer->n; i++)
        in ^= cm_shape_contains(&map->border.page[i], x, y);
    return in;
}

/* 2. The zone in force drawn on top at (x, y). */
static gboolean find_zone(cm_query_result *out, const cm_map *map, const GDate *date, double x,
                          double y)
{
    if (!map->zones || !on_land(map, x, y))
        return FALSE;
    for (int i = map->zones->layer->n - 1; i >= 0; i--) {
        const cm_timed *z = &map->zones->items[i];
        if (!cm_timed_active(z, date) || !cm_shape_contains(&map->zones_page[i], x, y))
            continue;
        *out = (cm_query_result){.by = CM_QUERY_ZONE, .zone = z->fid, .label = z->label,
                                 .holder = z->actor, .status = cm_status_word(z->status),
                                 .source = z->source};
        return TRUE;
    }
    return FALSE;
}

/* 3. The region drawn on top at (x, y). */
static gboolean find_region(cm_query_result *out, const cm_map *map, const cm_control *cs,
                            double x, double y)
{
    const cm_layer *l = map->regions.layer;
    for (int i = l->n - 1; i >= 0; i--) {
        if (!cm_shape_contains(&map->regions.page[i], x, y))
            continue;
        *out = (cm_query_result){.by = CM_QUERY_REGION, .key = l->features[i].key, .zone = -1,
                                 .label = l->features[i].name};
        answer_row(out, cs->rows[i]);
        return TRUE;
    }
    return FALSE;
}

cm_status cm_map_query(cm_query_result *out, const cm_map *map, double lon, double lat,
                       cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    double x, y;
    cm_status st = cm_map_lonlat_to_page(&x, &y, map, lon, lat, ctx);
    if (st != CM_OK)
        return st;
    if (!in_frame(map, x, y))
        return cm_fail(ctx, CM_EINPUT, "lon %g, lat %g is outside the map's frame", lon, lat);
    /* the control a page of the map's date paints: never a change map's */
    cm_page_spec spec = {.date = map->date};
    cm_control cs = cm_control_on(map, &spec);
    cm_query_result r;
    gboolean found = find_town(&r, map, &cs, x, y) || find_zone(&r, map, &map->date, x, y) ||
                     find_cell(&r, map, &cs, x, y) || find_region(&r, map, &cs, x, y);
    cm_control_clear(&cs);
    if (!found)
        return cm_fail(ctx, CM_EINPUT, "lon %g, lat %g is outside every region of %s", lon, lat,
                       map->mf->regions.file);
    *out = r;
    return CM_OK;
}
