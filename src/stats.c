/* What a render placed where, for tests of the label engine and the page furniture: taken
 * from the page body's layout after drawing, never computed on the production path. */
#include "conflictmap/render.h"

#include "change.h"
#include "ctx.h"
#include "map_impl.h"
#include "page.h"
#include "render_stats.h"

#include <math.h>
#include <string.h>

/* Ground gained by each side in a change map, in km² on the ellipsoid ("contested" for
 * ground newly contested): the pieces the page paints (change.c). */
static GHashTable *gains(const cm_map *map, const cm_page_spec *spec)
{
    GHashTable *g = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    if (!spec->diff)
        return g;
    const cm_change *ch = cm_change_get(map, &spec->from, &spec->date);
    for (int i = 0; i < ch->npieces; i++) {
        const cm_change_piece *p = &ch->pieces[i];
        if (p->kind == CM_CHANGE_SAME)
            continue;
        const char *who = p->kind == CM_CHANGE_CONTESTED ? "contested" : p->to.holder;
        double *area = g_hash_table_lookup(g, who);
        if (!area) {
            area = g_new0(double, 1);
            g_hash_table_insert(g, g_strdup(who), area);
        }
        *area += p->km2;
    }
    return g;
}

cm_status cm_map_render_stats(cm_map *map, cm_render_stats *stats, cm_ctx *ctx)
{
    cm_page_spec spec = {.date = map->date, .diff = map->has_diff_from, .from = map->diff_from};
    cm_page_body *body = NULL;
    memset(stats, 0, sizeof *stats);
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_draw_page(cr, map, &spec, NULL, &body);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    const double *fr = map->frame;
    stats->frame = (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]};
    stats->nlabels = cm_labeler_placed(body->lab, NULL, 0);
    stats->labels = g_new(cm_box, (size_t)stats->nlabels + 1);
    cm_labeler_placed(body->lab, stats->labels, stats->nlabels);
    stats->unknown_glyphs = cm_labeler_unknown_glyphs(body->lab);
    stats->nfurniture = (int)body->furniture->len;
    stats->furniture = g_memdup2(body->furniture->data, sizeof(cm_box) * body->furniture->len);
    stats->nsymbols = (int)body->symbols->len;
    stats->symbols = g_memdup2(body->symbols->data, sizeof(cm_box) * body->symbols->len);
    stats->metres_per_pt = map->metres_per_pt;
    stats->north_angle = map->north;
    stats->gains = gains(map, &spec);
    GString *svg = g_string_new(NULL);
    cm_labeler_svg_text(body->lab, svg);
    stats->svg_text = g_string_free(svg, FALSE);
    stats->nitems = (int)body->items->len;
    stats->item_texts = g_new0(char *, body->items->len + 1);
    for (guint i = 0; i < body->items->len; i++)
        stats->item_texts[i] = g_strdup(g_array_index(body->items, cm_legend_item, i).text);
    cm_page_body_free(body);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cm_fail(ctx, CM_EINTERNAL, "drawing failed: %s", cairo_status_to_string(cs));
    return CM_OK;
}

void cm_render_stats_clear(cm_render_stats *stats)
{
    g_free(stats->labels);
    g_free(stats->furniture);
    g_free(stats->symbols);
    if (stats->gains)
        g_hash_table_unref(stats->gains);
    g_strfreev(stats->item_texts);
    g_free(stats->svg_text);
    memset(stats, 0, sizeof *stats);
}
