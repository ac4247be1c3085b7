/* Asking a change map what it shows at a point: the pieces of ground change.c cut and the
 * page paints, and the rings of the towns and sites that changed hands. */
#include "conflictmap/map.h"

#include "change.h"
#include "ctx.h"
#include "map_impl.h"
#include "page.h"

#include <math.h>

static const char *change_word(cm_change_kind kind)
{
    return kind == CM_CHANGE_GAINED ? "gained" : kind == CM_CHANGE_CONTESTED ? "contested"
                                                                             : "unchanged";
}

/* A town or site that changed hands whose ringed symbol, as drawn, covers (x, y). */
static gboolean find_ringed(cm_change_result *out, const cm_map *map, const cm_control *cs,
                            double x, double y)
{
    const cm_layer *l = map->places.layer;
    const double *fr = map->frame;
    for (int i = l ? l->n - 1 : -1; i >= 0; i--) {
        const cm_shape *sh = &map->places.page[i];
        const cm_ledger_row *from = NULL, *to = NULL;
        if (sh->nrings == 0 || !cm_place_on_map(map, i))
            continue;
        double tx = sh->rings[0].xy[0], ty = sh->rings[0].xy[1];
        if (tx < fr[0] || ty < fr[1] || tx > fr[0] + fr[2] || ty > fr[1] + fr[3] ||
            !cm_place_changed_hands(map, cs->towns_from, cs->rows_from, cs->towns, i, &from, &to) ||
            hypot(x - tx, y - ty) > cm_place_radius(map, i, to) + CM_RING_PT)
            continue;
        *out = (cm_change_result){.change = "gained", .holder = to->controller,
                                  .before = from ? from->controller : NULL,
                                  .by = i < map->first_site ? CM_QUERY_TOWN : CM_QUERY_SITE,
                                  .key = l->features[i].key, .zone = -1, .symbol = TRUE};
        if (to->status == CM_CONTESTED)
            out->change = "contested";
        return TRUE;
    }
    return FALSE;
}

cm_status cm_map_query_change(cm_change_result *out, const cm_map *map, double lon, double lat,
                              cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (!map->has_diff_from)
        return cm_fail(ctx, CM_EUSAGE, "a change map needs an earlier date (--from)");
    double x, y;
    cm_status st = cm_map_lonlat_to_page(&x, &y, map, lon, lat, ctx);
    if (st != CM_OK)
        return st;
    const double *fr = map->frame;
    if (x < fr[0] || y < fr[1] || x > fr[0] + fr[2] || y > fr[1] + fr[3])
        return cm_fail(ctx, CM_EINPUT, "lon %g, lat %g is outside the map's frame", lon, lat);
    cm_page_spec spec = {.date = map->date, .diff = TRUE, .from = map->diff_from};
    cm_control cs = cm_control_on(map, &spec);
    cm_change_result r;
    gboolean found = find_ringed(&r, map, &cs, x, y);
    const cm_change_piece *p = found ? NULL : cm_change_at(cs.change, x, y);
    if (p) {
        const cm_layer *pl = map->places.layer;
        r = (cm_change_result){.change = change_word(p->kind), .holder = p->to.holder,
                               .before = p->from.holder, .by = CM_QUERY_REGION,
                               .key = map->regions.layer->features[p->region].key, .zone = -1};
        if (p->zone >= 0)
            r.by = CM_QUERY_ZONE, r.key = NULL, r.zone = map->zones->items[p->zone].fid;
        else if (p->point >= 0)
            r.by = p->point < map->first_site ? CM_QUERY_TOWN : CM_QUERY_SITE,
            r.key = pl->features[p->point].key;
        found = TRUE;
    }
    cm_control_clear(&cs);
    if (!found)
        return cm_fail(ctx, CM_EINPUT, "lon %g, lat %g is outside every region of %s", lon, lat,
                       map->mf->regions.file);
    *out = r;
    return CM_OK;
}
