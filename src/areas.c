/* Drawing areas: the sea and neighbours, districts in their controllers' paint, zones over
 * them, the border, the graticule, the locator inset and the logo. */
#include "change.h"
#include "ctx.h"
#include "keyfile.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "timeline.h"

#include <math.h>
#include <string.h>

/* The besiegers' ring: a band inside the area's edge in the first besieger's colour. */
static void draw_siege_band(cairo_t *cr, const cm_shape *shape, const cm_style *s,
                            const cm_ledger_row *r, double width)
{
    cairo_save(cr);
    cairo_new_path(cr);
    cm_draw_shape_path(cr, shape, TRUE);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip_preserve(cr);
    cm_draw_set_color(cr, cm_style_controller(s, r->parties[0])->fill);
    cairo_set_line_width(cr, 2 * width);
    cairo_set_dash(cr, (double[]){3, 1.5}, 2, 0);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* A paint as text, for part keys. */
static void paint_key(GString *k, const cm_paint *p)
{
    g_string_append_printf(k, "%d/%d/%.4f,%.4f,%.4f,%.4f", p->n, (int)p->pattern,
                           p->pattern_color.r, p->pattern_color.g, p->pattern_color.b,
                           p->pattern_color.a);
    for (int i = 0; i < p->n; i++)
        g_string_append_printf(k, "/%.4f,%.4f,%.4f,%.4f", p->colors[i].r, p->colors[i].g,
                               p->colors[i].b, p->colors[i].a);
}

/* A change map's ground: the pieces of change.c in the paint of what became of them, the
 * pieces of one paint filled as one path, even-odd (they do not overlap), so that no seam of
 * antialiasing shows where two meet. */
static void draw_change(cairo_t *cr, const cm_map *map, const cm_control *cs,
                        const cm_page_cache *cache)
{
    const cm_style *s = map->style;
    char from[11], to[11];
    cm_format_date(&cs->change->from, from);
    cm_format_date(&cs->change->to, to);
    char *key = g_strdup_printf("change %s %s", from, to);
    cairo_t *pc = cm_part_begin(cr, cache, key);
    int n = cs->change->npieces;
    cm_paint *paints = g_new(cm_paint, (size_t)n + 1);
    gboolean *done = g_new0(gboolean, (size_t)n + 1);
    for (int i = 0; i < n; i++) {
        const cm_change_piece *piece = &cs->change->pieces[i];
        paints[i] = cm_change_paint(s, piece->kind, piece->to.holder, piece->to.status,
                                    piece->to.parties);
    }
    GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
    for (int i = 0; pc && i < n; i++) {
        if (done[i])
            continue;
        g_array_set_size(rings, 0);
        for (int j = i; j < n; j++) {
            const cm_shape *sh = &cs->change->pieces[j].shape;
            if (done[j] || memcmp(&paints[i], &paints[j], sizeof paints[i]))
                continue;
            done[j] = TRUE;
            g_array_append_vals(rings, sh->rings, (guint)sh->nrings);
        }
        cm_shape all = {(cm_ring *)rings->data, (int)rings->len};
        cm_draw_paint(pc, &all, &paints[i], s->hatch_width, s->hatch_angle);
    }
    g_array_free(rings, TRUE);
    g_free(done);
    g_free(paints);
    if (pc)
        cm_part_end(cr, pc, cache, key);
    g_free(key);
}

/* The cells of region i whose town or site has a row on the date, over the region's paint:
 * clipped to the region, the Voronoi cell and the place's reach (cells.c). */
static void draw_cells(cairo_t *cr, const cm_map *map, const cm_control *cs, int i,
                       const cm_paint *under, GString *key)
{
    const cm_style *s = map->style;
    for (int c = 0; c < map->ncells; c++) {
        const cm_cell *cell = &map->cells[c];
        const cm_ledger_row *row = cs->towns[cell->point];
        if (cell->region != i || !row)
            continue;
        cm_paint p = cm_row_paint(s, row);
        if (!memcmp(&p, under, sizeof p))
            continue;
        if (!cr) {
            g_string_append_printf(key, " cell %d ", c);
            paint_key(key, &p);
            continue;
        }
        cairo_save(cr);
        cairo_new_path(cr);
        cm_draw_shape_path(cr, &map->regions.page[i], TRUE);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
        cm_shape ring = {(cm_ring *)&cell->ring, 1};
        cm_draw_shape_path(cr, &ring, TRUE);
        cairo_clip(cr);
        cm_shape disc = {0};
        cairo_arc(cr, cell->x, cell->y, cell->reach, 0, 2 * G_PI);
        cairo_path_t *path = cairo_copy_path_flat(cr);
        cairo_new_path(cr);
        cm_ring dr = {g_new(double, 2 * (size_t)path->num_data), 0};
        for (int k = 0; k < path->num_data; k += path->data[k].header.length)
            if (path->data[k].header.type != CAIRO_PATH_CLOSE_PATH) {
                dr.xy[2 * dr.n] = path->data[k + 1].point.x;
                dr.xy[2 * dr.n + 1] = path->data[k + 1].point.y;
                dr.n++;
            }
        cairo_path_destroy(path);
        disc = (cm_shape){&dr, 1};
        cm_draw_paint(cr, &disc, &p, s->hatch_width, s->hatch_angle);
        g_free(dr.xy);
        cairo_restore(cr);
    }
}

void cm_draw_regions(cairo_t *cr, const cm_map *map, const cm_control *cs,
                         const cm_page_cache *cache)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->regions.layer;
    GString *key = g_string_new(NULL);
    if (cs->spec->diff)
        draw_change(cr, map, cs, cache);
    for (int i = 0; i < l->n && !cs->spec->diff; i++) {
        cm_paint p = cm_row_paint(s, cs->rows[i]);
        gboolean siege = cs->rows[i] && cs->rows[i]->status == CM_BESIEGED;
        g_string_printf(key, "region %d ", i);
        paint_key(key, &p);
        draw_cells(NULL, map, cs, i, &p, key);
        if (siege)
            g_string_append_printf(key, " siege %s", cs->rows[i]->parties[0]);
        cairo_t *pc = cm_part_begin(cr, cache, key->str);
        if (!pc)
            continue;
        cm_draw_paint(pc, &map->regions.page[i], &p, s->hatch_width, s->hatch_angle);
        draw_cells(pc, map, cs, i, &p, key);
        if (siege)
            draw_siege_band(pc, &map->regions.page[i], s, cs->rows[i], 2.5);
        cm_part_end(cr, pc, cache, key->str);
    }
    g_string_free(key, TRUE);
    cairo_t *pc = cm_part_begin(cr, cache, "region strokes");
    if (pc) {
        for (int i = 0; i < l->n; i++)
            cm_draw_stroke(pc, &map->regions.page[i], TRUE, s->rg_stroke, s->rg_width);
        cm_part_end(cr, pc, cache, "region strokes");
    }
}

/* Which of a timeline's items are in force on the page's date, as text: a part's key. */
char *cm_active_key(const char *what, const cm_timeline *tl, const GDate *date)
{
    GString *k = g_string_new(what);
    g_string_append_c(k, ' ');
    for (int i = 0; i < tl->layer->n; i++)
        g_string_append_c(k, cm_timed_active(&tl->items[i], date) ? '1' : '0');
    return g_string_free(k, FALSE);
}

/* Zones in force, over the districts, on the land inside the national border. */
void cm_draw_zones(cairo_t *page, const cm_map *map, const cm_control *cs,
                       const cm_page_cache *cache)
{
    const cm_style *s = map->style;
    if (!map->zones || cs->spec->diff)
        return;
    char *key = cm_active_key("zones", map->zones, &cs->spec->date);
    cairo_t *cr = cm_part_begin(page, cache, key);
    if (!cr) {
        g_free(key);
        return;
    }
    cairo_save(cr);
    if (map->border.layer && !map->zones_on_land) {
        cairo_new_path(cr);
        for (int i = 0; i < map->border.layer->n; i++)
            cm_draw_shape_path(cr, &map->border.page[i], TRUE);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
    }
    for (int i = 0; i < map->zones->layer->n; i++) {
        const cm_timed *z = &map->zones->items[i];
        if (!cm_timed_active(z, &cs->spec->date))
            continue;
        cm_paint p = cm_control_paint(s, z->actor, z->status, z->parties);
        cm_draw_paint(cr, &map->zones_page[i], &p, s->hatch_width, s->hatch_angle);
        cm_rgba edge = cm_style_controller(s, z->actor)->fill;
        edge.r *= 0.6, edge.g *= 0.6, edge.b *= 0.6;
        cm_draw_stroke(cr, &map->zones_page[i], TRUE, edge, 0.5);
    }
    cairo_restore(cr);
    cm_part_end(page, cr, cache, key);
    g_free(key);
}

/* Lines of longitude and latitude, projected at load. */
void cm_draw_graticule(cairo_t *cr, const cm_map *map)
{
    for (int r = 0; r < map->graticule.nrings; r++) {
        const cm_ring *ring = &map->graticule.rings[r];
        for (int k = 0; k < ring->n; k++)
            (k ? cairo_line_to : cairo_move_to)(cr, ring->xy[2 * k], ring->xy[2 * k + 1]);
    }
    cm_draw_set_color(cr, map->style->graticule_color);
    cairo_set_line_width(cr, map->style->graticule_width);
    cairo_stroke(cr);
}

/* The locator inset: the inset's countries, the map's border highlighted, the main frame's
 * extent outlined.  Its box on the page is `box`. */
void cm_draw_inset(cairo_t *cr, const cm_map *map, cm_box box)
{
    const cm_style *s = map->style;
    cairo_save(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cairo_clip(cr);
    cm_draw_set_color(cr, s->inset_sea);
    cairo_paint(cr);
    cairo_translate(cr, box.x0, box.y0);
    for (int i = 0; i < map->inset.layer->n; i++)
        cm_draw_fill(cr, &map->inset.page[i], s->inset_land);
    for (int i = 0; i < map->inset.layer->n; i++)
        cm_draw_stroke(cr, &map->inset.page[i], TRUE, s->inset_sea, 0.3);
    for (int i = 0; map->inset_border && i < map->border.layer->n; i++)
        cm_draw_fill(cr, &map->inset_border[i], s->inset_highlight);
    /* the main frame, traced into the inset at load */
    cairo_new_path(cr);
    for (int k = 0; k < map->inset_trace.n; k++)
        (k ? cairo_line_to : cairo_move_to)(cr, map->inset_trace.xy[2 * k],
                                            map->inset_trace.xy[2 * k + 1]);
    cairo_close_path(cr);
    cm_draw_set_color(cr, s->inset_extent);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

/* Draws the logo (a PNG) at the top right of the page, `height` points high. */
void cm_draw_logo(cairo_t *cr, const cm_map *map)
{
    const cm_style *s = map->style;
    cairo_surface_t *img = cairo_image_surface_create_from_png(s->logo);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_height(img) > 0) {
        double h = s->logo_height * MM;
        double k = h / cairo_image_surface_get_height(img);
        double w = cairo_image_surface_get_width(img) * k;
        cairo_save(cr);
        cairo_translate(cr, map->frame[0] + map->frame[2] - w, s->margin_mm * MM);
        cairo_scale(cr, k, k);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    cairo_surface_destroy(img);
}

/* What does not change from date to date: the sea and the neighbours under the map. */
void cm_draw_base(cairo_t *cr, const cm_map *map)
{
    const cm_style *s = map->style;
    cm_draw_set_color(cr, s->sea_fill);
    cairo_paint(cr);
    if (map->neighbours.layer) {
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_fill(cr, &map->neighbours.page[i], s->nb_fill);
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_stroke(cr, &map->neighbours.page[i], TRUE, s->nb_stroke, s->nb_width);
    }
}

/* The national border over the districts and zones. */
void cm_draw_border(cairo_t *cr, const cm_map *map, const cm_page_cache *cache)
{
    const cm_style *s = map->style;
    cairo_t *pc = map->border.layer ? cm_part_begin(cr, cache, "border") : NULL;
    if (!pc)
        return;
    for (int i = 0; i < map->border.layer->n; i++)
        cm_draw_stroke(pc, &map->border.page[i], TRUE, s->border_stroke, s->border_width);
    cm_part_end(cr, pc, cache, "border");
}
