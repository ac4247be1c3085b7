/* Detail frames ([detail NAME] in the map file): a part of the map drawn larger in a box on
 * the page, with its own label pass and scale bar, from the same data on the same date.  Each
 * detail is a map of its own, loaded with the detail's extent onto a page the size of its box
 * (map->part), so that projection, simplification, cells and labels follow its scale; the
 * main map outlines its extent and names it.  --focus NAME renders one detail as the whole
 * page instead (load.c applies it). */
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "map_impl.h"
#include "page.h"
#include "project.h"

#include <math.h>
#include <string.h>

/* The detail's page: its box's width, the height its extent's projected shape needs, and a
 * heading strip above the map. */
static cm_status detail_size(const cm_map *map, const cm_detail *d, double size[2], cm_ctx *ctx)
{
    /* no wider than the main frame leaves room for (a width of 5000 mm is allowed) */
    double w = MIN(d->width_mm * MM, map->frame[2] - 16), box[4] = {0, 0, w, w};
    cm_projection *probe = NULL;
    cm_status st = cm_projection_new(&probe, map->mf->crs, d->extent, box, ctx);
    if (st != CM_OK)
        return st;
    double x[4], y[4], lon[] = {d->extent[0], d->extent[2]}, lat[] = {d->extent[1], d->extent[3]};
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        if (!cm_projection_lonlat_to_page(probe, lon[k & 1], lat[k >> 1], &x[k], &y[k]))
            continue;
        x0 = fmin(x0, x[k]), x1 = fmax(x1, x[k]), y0 = fmin(y0, y[k]), y1 = fmax(y1, y[k]);
    }
    cm_projection_destroy(probe);
    double aspect = x1 > x0 ? (y1 - y0) / (x1 - x0) : 1;
    size[0] = w;
    size[1] = CLAMP(w * aspect, 20 * MM, map->frame[3] - 16);
    return CM_OK;
}

cm_status cm_details_load(cm_map *map, const char *path, const cm_map_options *opts,
                          GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    if (problems && problems->len > 0)
        return CM_OK; /* check has found the data wanting: the details would repeat it */
    map->ndetails = map->mf->ndetails;
    map->details = g_new0(cm_map *, (size_t)map->ndetails + 1);
    for (int i = 0; i < map->ndetails && st == CM_OK; i++) {
        const cm_detail *d = &map->mf->details[i];
        double size[2];
        if ((st = detail_size(map, d, size, ctx)) != CM_OK)
            break;
        cm_map_options o = *opts;
        o.focus = d->name;
        /* the data are the main map's, its warnings already said: the detail's own context
         * keeps them from being said twice, and hands on an error */
        cm_ctx *quiet = cm_ctx_new();
        st = cm_map_load_part(&map->details[i], map, path, &o, size, NULL, quiet);
        if (st != CM_OK)
            cm_fail(ctx, st, "%s", cm_ctx_message(quiet));
        cm_ctx_destroy(quiet);
        if (st == CM_OK && map->details[i]->frame[2] < 20)
            st = cm_fail(ctx, CM_ESTYLE, "%s:%d: [detail %s] is too small to draw", path,
                         d->line, d->name);
    }
    return st;
}

void cm_details_free(cm_map *map)
{
    for (int i = 0; i < map->ndetails; i++)
        cm_map_destroy(map->details[i]);
    g_clear_pointer(&map->details, g_free);
    map->ndetails = 0;
}

/* On the main map: the detail's extent outlined; its title goes beside it (a label the label
 * pass places), as over the detail's box.  No line joins the two: across the page it would
 * cut through the map. */
void cm_draw_detail_outline(cairo_t *cr, const cm_map *map, int i)
{
    const cm_map *d = map->details[i];
    cm_ring r = {0};
    cm_projection_trace_frame(&r, d->proj, d->frame, map->proj);
    if (r.n < 2) {
        g_free(r.xy);
        return;
    }
    cm_shape sh = {&r, 1};
    cm_draw_stroke(cr, &sh, TRUE, (cm_rgba){1, 1, 1, 0.9}, 2.2);
    cm_draw_stroke(cr, &sh, TRUE, map->style->frame_color, 0.9);
    g_free(r.xy);
}

/* The outline's top-left corner on the main page, for its name's label. */
gboolean cm_detail_outline_corner(const cm_map *map, int i, double *x, double *y)
{
    const cm_map *d = map->details[i];
    double lon, lat;
    return cm_projection_page_to_lonlat(d->proj, d->frame[0], d->frame[1], &lon, &lat) &&
           cm_projection_lonlat_to_page(map->proj, lon, lat, x, y);
}
