/* Where the furniture goes inside the frame: the locator inset, the legend, the scale bar with
 * the north arrow, and the detail frames.  Each takes a corner, stacked after what the corner
 * holds already; a corner the style leaves to `auto` is the one where the box covers the least
 * of the mapped regions, measured on a coarse raster of them made once at load.  What the
 * furniture still covers is said as a warning. */
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"

#include <math.h>
#include <string.h>

#define LAND_PX_PER_PT 0.5 /* the raster of the regions: 2 pt a pixel */
#define MARGIN 8.0         /* between the frame and furniture, and between furniture */

void cm_land_build(cm_map *map)
{
    const double *fr = map->frame;
    int w = (int)ceil(fr[2] * LAND_PX_PER_PT), h = (int)ceil(fr[3] * LAND_PX_PER_PT);
    if (!map->regions.layer || map->part || w < 1 || h < 1)
        return;
    map->land = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(map->land);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_scale(cr, LAND_PX_PER_PT, LAND_PX_PER_PT);
    cairo_translate(cr, -fr[0], -fr[1]);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    /* each region in its own shade of red: index + 1, so that a covered pixel names it */
    for (int i = 0; i < map->regions.layer->n && i < 255; i++) {
        cairo_new_path(cr);
        cm_draw_shape_path(cr, &map->regions.page[i], TRUE);
        cairo_set_source_rgb(cr, (i + 1) / 255.0, 0, 0);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
    cairo_surface_flush(map->land);
}

/* How many raster pixels of regions the box covers; with `seen` (256 flags), which. */
static int land_under(const cm_map *map, const cm_box *b, gboolean *seen)
{
    if (!map->land)
        return 0;
    const double *fr = map->frame;
    int w = cairo_image_surface_get_width(map->land), h = cairo_image_surface_get_height(map->land);
    int stride = cairo_image_surface_get_stride(map->land);
    const guint8 *px = cairo_image_surface_get_data(map->land);
    int x0 = MAX(0, (int)floor((b->x0 - fr[0]) * LAND_PX_PER_PT));
    int x1 = MIN(w, (int)ceil((b->x1 - fr[0]) * LAND_PX_PER_PT));
    int y0 = MAX(0, (int)floor((b->y0 - fr[1]) * LAND_PX_PER_PT));
    int y1 = MIN(h, (int)ceil((b->y1 - fr[1]) * LAND_PX_PER_PT));
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            guint32 v = *(const guint32 *)(px + y * stride + 4 * x);
            int region = (int)((v >> 16) & 0xff);
            if (region) {
                n++;
                if (seen)
                    seen[region] = TRUE;
            }
        }
    return n;
}

/* A w x h box in `corner`, `m` in from the frame, moved away from the corner past whatever
 * is placed there already: along the frame's side first (up or down), then along its top or
 * bottom edge (left or right).  FALSE when neither way leaves it inside the frame. */
static gboolean in_corner(const double fr[4], const GArray *placed, int corner, double w,
                          double h, double m, cm_box *out)
{
    gboolean right = corner == CM_CORNER_TOP_RIGHT || corner == CM_CORNER_BOTTOM_RIGHT;
    gboolean low = corner == CM_CORNER_BOTTOM_LEFT || corner == CM_CORNER_BOTTOM_RIGHT;
    for (int along = 0; along < 2; along++) {
        double x = right ? fr[0] + fr[2] - m - w : fr[0] + m;
        double y = low ? fr[1] + fr[3] - m - h : fr[1] + m;
        for (guint tries = 0; tries <= placed->len; tries++) {
            cm_box b = {x, y, x + w, y + h};
            if (b.y0 < fr[1] || b.y1 > fr[1] + fr[3] || b.x0 < fr[0] || b.x1 > fr[0] + fr[2])
                break;
            const cm_box *hit = NULL;
            for (guint i = 0; i < placed->len && !hit; i++)
                if (cm_box_overlaps(&g_array_index(placed, cm_box, i), &b))
                    hit = &g_array_index(placed, cm_box, i);
            if (!hit) {
                *out = b;
                return TRUE;
            }
            if (along == 0)
                y = low ? hit->y0 - MARGIN - h : hit->y1 + MARGIN;
            else
                x = right ? hit->x0 - MARGIN - w : hit->x1 + MARGIN;
        }
    }
    return FALSE;
}

/* The box for a w x h piece, `m` in from the frame: in `corner` (0-3), or with -1 (auto) the
 * corner, in the order of `prefer`, covering the least land.  Appended to `placed`. */
static cm_box place(const cm_map *map, GArray *placed, int corner, const int prefer[4], double w,
                    double h, double m)
{
    const double *fr = map->frame;
    cm_box best = {0}, b;
    int best_land = -1;
    /* a fixed corner first; when it has no room left, the others as for auto */
    for (int k = corner >= 0 ? -1 : 0; k < 4; k++) {
        int c = k < 0 ? corner : prefer[k];
        if (!in_corner(fr, placed, c, w, h, m, &b))
            continue;
        int land = land_under(map, &b, NULL);
        if (best_land < 0 || land < best_land)
            best = b, best_land = land;
        if (k < 0 || land == 0)
            break;
    }
    if (best_land < 0) { /* nowhere free: its own corner, over whatever is there */
        int c = corner >= 0 ? corner : prefer[0];
        gboolean right = c == CM_CORNER_TOP_RIGHT || c == CM_CORNER_BOTTOM_RIGHT;
        gboolean low = c >= CM_CORNER_BOTTOM_LEFT;
        double x = right ? fr[0] + fr[2] - m - w : fr[0] + m;
        double y = low ? fr[1] + fr[3] - m - h : fr[1] + m;
        best = (cm_box){x, y, x + w, y + h};
    }
    g_array_append_val(placed, best);
    return best;
}

/* A corner seen in a mirror (left for right) when `m`; auto (-1) stays auto. */
static int mirror(int corner, gboolean m)
{
    static const int swap[4] = {CM_CORNER_TOP_RIGHT, CM_CORNER_TOP_LEFT, CM_CORNER_BOTTOM_RIGHT,
                                CM_CORNER_BOTTOM_LEFT};
    return m && corner >= 0 ? swap[corner] : corner;
}

/* The scale bar and the north arrow above its right end, as one piece: its size, and where
 * the scale bar's bottom-right corner sits in it. */
static void scale_unit(cairo_t *cr, const cm_map *map, cm_page_body *body, double target,
                       double *w, double *h, double *ax, double *ay)
{
    const cm_style *s = map->style;
    cm_box sb = {0, 0, 0, 0}, nb = {0, 0, 0, 0};
    cm_layout_scalebar(cr, body->lab, s, map->metres_per_pt, target, 0, 0, &sb, FALSE);
    if (s->north_arrow && !map->part)
        cm_layout_north_arrow(cr, body->lab, s, -16, sb.y0 - 20, map->north, &nb, FALSE);
    double x0 = MIN(sb.x0, nb.x0), y0 = MIN(sb.y0, nb.y0);
    *w = -x0, *h = -y0, *ax = -x0, *ay = -y0;
}

/* The furniture's places for a page read left to right, or mirrored (`m`): into fp, the
 * detail frames' into details; every box into the array returned. */
static GArray *plan_oriented(cm_furniture_plan *fp, cm_box *details, cairo_t *cr,
                             const cm_map *map, const cm_page_spec *spec, cm_page_body *body,
                             gboolean m)
{
    static const int inset_pref[4] = {CM_CORNER_TOP_RIGHT, CM_CORNER_TOP_LEFT,
                                      CM_CORNER_BOTTOM_RIGHT, CM_CORNER_BOTTOM_LEFT};
    static const int legend_pref[4] = {CM_CORNER_BOTTOM_LEFT, CM_CORNER_BOTTOM_RIGHT,
                                       CM_CORNER_TOP_LEFT, CM_CORNER_TOP_RIGHT};
    static const int scale_pref[4] = {CM_CORNER_BOTTOM_RIGHT, CM_CORNER_BOTTOM_LEFT,
                                      CM_CORNER_TOP_RIGHT, CM_CORNER_TOP_LEFT};
    const cm_style *s = map->style;
    GArray *placed = g_array_new(FALSE, FALSE, sizeof(cm_box));
    int inset_p[4], legend_p[4], scale_p[4];
    for (int k = 0; k < 4; k++)
        inset_p[k] = mirror(inset_pref[k], m), legend_p[k] = mirror(legend_pref[k], m),
        scale_p[k] = mirror(scale_pref[k], m);
    /* the detail frames first, where the map file puts them: the rest make way for them */
    for (int i = 0; i < map->ndetails; i++) {
        const cm_map *d = map->details[i];
        details[i] = place(map, placed, mirror(map->mf->details[i].corner, m), legend_p,
                                 d->page_w, d->page_h + CM_DETAIL_HEADING, MARGIN);
    }
    fp->has_inset = s->inset && map->inset.layer && !map->part;
    if (fp->has_inset)
        fp->inset = place(map, placed, mirror(s->inset_corner, m), inset_p, map->inset_size[0],
                          map->inset_size[1], 1); /* the locator sits in the frame's corner */
    fp->legend_title = spec->diff ? cm_word(s, "changes-title") : s->legend_title;
    fp->has_legend = !map->part;
    if (fp->has_legend) {
        double lw, lh;
        /* a legend taller than the frame (Arabic lines are taller) is set smaller until it
         * fits, down to 5.5 pt, rather than run over the title */
        fp->legend_size = s->legend_size;
        for (;;) {
            cm_style small = *s;
            small.legend_size = fp->legend_size;
            cm_layout_legend_size(body->lab, &small, fp->legend_title,
                                  (cm_legend_item *)body->items->data, (int)body->items->len,
                                  &lw, &lh);
            if (lh + 4 <= map->frame[3] - 2 * MARGIN || fp->legend_size <= 5.5)
                break;
            fp->legend_size = fmax(5.5, fp->legend_size * 0.92);
        }
        fp->legend = place(map, placed, mirror(s->legend_corner, m), legend_p, lw + 4, lh + 4,
                           MARGIN);
        fp->lx = fp->legend.x0 + 2, fp->ly = fp->legend.y0 + 2;
    }
    fp->has_scale = isfinite(map->metres_per_pt) && map->metres_per_pt > 0;
    fp->scale_target = map->frame[2] / 6;
    if (fp->has_scale) {
        double w, h, ax, ay;
        scale_unit(cr, map, body, fp->scale_target, &w, &h, &ax, &ay);
        /* a detail's sits at its top right in every edition: the main map's corners are
         * busy, and the top right is its own sea (mirrored to the top left, the Tripoli
         * detail's bar covered Zuwara's coast and its name); the same spot in every
         * edition keeps the same names */
        int corner = map->part ? CM_CORNER_TOP_RIGHT : mirror(s->scale_corner, m);
        cm_box unit = place(map, placed, corner, scale_p, w, h, 4);
        fp->sx = unit.x0 + ax, fp->sy = unit.y0 + ay;
        cm_layout_scalebar(cr, body->lab, s, map->metres_per_pt, fp->scale_target, fp->sx, fp->sy,
                           &fp->scalebar, FALSE);
        fp->nx = fp->sx - 16, fp->ny = fp->scalebar.y0 - 20;
        if (s->north_arrow && !map->part)
            cm_layout_north_arrow(cr, body->lab, s, fp->nx, fp->ny, map->north, &fp->north, FALSE);
    }
    return placed;
}

void cm_plan_furniture(cm_furniture_plan *fp, cairo_t *cr, const cm_map *map,
                       const cm_page_spec *spec, cm_page_body *body)
{
    /* an Arabic page is read from the right: every corner mirrors, left for right */
    gboolean m = strcmp(map->style->lang, "ar") == 0;
    GArray *placed = plan_oriented(fp, body->details, cr, map, spec, body, m);
    g_array_append_vals(body->furniture, placed->data, placed->len);
    /* labels keep clear of the mirrored edition's furniture too: switching language never
     * changes which places are named (test_editions) */
    cm_furniture_plan other = {0};
    cm_box *details = g_new0(cm_box, (size_t)map->ndetails + 1);
    GArray *mirrored = map->part ? NULL : plan_oriented(&other, details, cr, map, spec, body, !m);
    for (guint i = 0; i < placed->len; i++)
        cm_labeler_block(body->lab, g_array_index(placed, cm_box, i));
    for (guint i = 0; mirrored && i < mirrored->len; i++)
        cm_labeler_block(body->lab, g_array_index(mirrored, cm_box, i));
    if (mirrored)
        g_array_free(mirrored, TRUE);
    g_free(details);
    g_array_free(placed, TRUE);
}

char *cm_furniture_covers(const cm_map *map, const cm_page_body *body)
{
    gboolean seen[256] = {FALSE};
    int n = 0;
    /* the detail frames come first, placed where the map file says: the author's choice */
    for (guint i = (guint)map->ndetails; i < body->furniture->len; i++)
        n += land_under(map, &g_array_index(body->furniture, cm_box, i), seen);
    int overlaps = 0;
    for (guint i = 0; i < body->furniture->len; i++)
        for (guint j = i + 1; j < body->furniture->len; j++)
            overlaps += cm_box_overlaps(&g_array_index(body->furniture, cm_box, i),
                                        &g_array_index(body->furniture, cm_box, j));
    if (!n && !overlaps)
        return NULL;
    GString *names = g_string_new(NULL);
    if (overlaps) /* no room in any corner: more than the frame can hold */
        g_string_append_printf(names, "%d other piece%s of furniture%s", overlaps,
                               overlaps > 1 ? "s" : "", n ? ", " : "");
    for (int r = 1; r < 256 && r <= map->regions.layer->n; r++) {
        const cm_feature *f = &map->regions.layer->features[r - 1];
        if (seen[r])
            g_string_append_printf(names, "%s%s", names->len ? ", " : "",
                                   f->name ? f->name : f->key ? f->key : "?");
    }
    return g_string_free(names, FALSE);
}
