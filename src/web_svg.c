/* The web edition's map as SVG, written by us rather than by cairo's SVG surface: cairo 1.16
 * (Debian 12) cannot put an id or a class on an element, and the page's script must find
 * every district, town and site to colour it on each date and explain it on hover.  The
 * geometry is the renderer's own, projected and simplified at load (map->regions.page,
 * map->cells, ...), so the shapes are those of the PDF; the labels are those the renderer
 * placed. */
#include "draw.h"
#include "map_impl.h"
#include "page.h"
#include "project.h"
#include "style.h"
#include "web.h"

#include <math.h>
#include <string.h>

const char *cm_web_color(cm_rgba c, char *buf)
{
    int r = (int)lround(c.r * 255), g = (int)lround(c.g * 255), b = (int)lround(c.b * 255);
    if (c.a >= 1)
        g_snprintf(buf, 32, "#%02x%02x%02x", r, g, b);
    else
        g_snprintf(buf, 32, "rgba(%d,%d,%d,%.3g)", r, g, b, c.a);
    return buf;
}

int cm_web_nplaces(const cm_map *map)
{
    return map->places.layer ? map->places.layer->n : 0;
}

int cm_web_nfeatures(const cm_map *map)
{
    return map->regions.layer->n + cm_web_nplaces(map) + (map->zones ? map->zones->layer->n : 0);
}

char *cm_web_feature_id(const cm_map *map, int i)
{
    const int nr = map->regions.layer->n, np = cm_web_nplaces(map);
    if (i >= nr + np)
        return g_strdup_printf("zone-%ld", map->zones->items[i - nr - np].fid);
    const char *kind = i < nr ? "region" : i - nr >= map->first_site ? "site" : "town";
    const char *key = i < nr ? map->regions.layer->features[i].key
                             : map->places.layer->features[i - nr].key;
    if (!key)
        return NULL;
    char *id = g_strconcat(kind, "-", key, NULL);
    for (char *p = id + strlen(kind) + 1; *p; p++)
        if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
            *p = '_';
    return id;
}

/* A shape's rings as path data, in page points to 0.1 pt (a fifth of a pixel at 150 %). */
static void path_data(GString *out, const cm_shape *sh)
{
    for (int r = 0; r < sh->nrings; r++) {
        const cm_ring *ring = &sh->rings[r];
        for (int k = 0; k < ring->n; k++)
            g_string_append_printf(out, "%c%.1f %.1f", k ? 'L' : 'M', ring->xy[2 * k],
                                   ring->xy[2 * k + 1]);
        if (ring->n > 2)
            g_string_append_c(out, 'Z');
    }
}

static void shapes(GString *out, const placed_layer *pl, const char *cls, const char *fill,
                   const char *stroke, double width)
{
    if (!pl->layer)
        return;
    g_string_append_printf(out, "<g class=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.2f\""
                                " fill-rule=\"evenodd\">\n", cls, fill, stroke, width);
    for (int i = 0; i < pl->layer->n; i++) {
        if (pl->page[i].nrings == 0)
            continue;
        g_string_append(out, "<path d=\"");
        path_data(out, &pl->page[i]);
        g_string_append(out, "\"/>\n");
    }
    g_string_append(out, "</g>\n");
}

/* Stripes for a contested paint: its colours across, `width` points each, at `angle`. */
static void stripe_pattern(GString *out, int k, const cm_paint *p, double width, double angle)
{
    char c[32];
    g_string_append_printf(out, "<pattern id=\"cm-p%d\" patternUnits=\"userSpaceOnUse\" "
                           "width=\"%.2f\" height=\"10\" patternTransform=\"rotate(%.1f)\">\n",
                           k, width * p->n, angle);
    for (int i = 0; i < p->n; i++)
        g_string_append_printf(out, "<rect x=\"%.2f\" width=\"%.2f\" height=\"10\" fill=\"%s\"/>\n",
                               width * i, width, cm_web_color(p->colors[i], c));
    g_string_append(out, "</pattern>\n");
}

/* Clip paths: each region that has a town's ground, and each ground's disc (its reach). */
static void cell_clips(GString *out, const cm_map *map)
{
    gboolean *done = g_new0(gboolean, (size_t)map->regions.layer->n);
    for (int c = 0; c < map->ncells; c++) {
        const cm_cell *cell = &map->cells[c];
        if (!done[cell->region]) {
            done[cell->region] = TRUE;
            g_string_append_printf(out, "<clipPath id=\"cm-cr%d\"><path clip-rule=\"evenodd\" d=\"",
                                   cell->region);
            path_data(out, &map->regions.page[cell->region]);
            g_string_append(out, "\"/></clipPath>\n");
        }
        g_string_append_printf(out, "<clipPath id=\"cm-cc%d\"><circle cx=\"%.1f\" cy=\"%.1f\" "
                               "r=\"%.1f\"/></clipPath>\n", c, cell->x, cell->y, cell->reach);
    }
    g_free(done);
}

/* An element the script colours: focusable, named for assistive technology by the script
 * (aria-label set with the date), `data-f` its feature's index in the data. */
static void feature_open(GString *out, const char *tag, const char *id, const char *cls, int f)
{
    g_string_append_printf(out, "<%s id=\"%s\" class=\"%s\" data-f=\"%d\" tabindex=\"0\" "
                           "role=\"button\"", tag, id, cls, f);
}

/* The regions, in the fill of no data until the script colours them. */
static void regions(GString *out, const cm_map *map, const char *rg_stroke)
{
    char none[32];
    g_string_append_printf(out, "<g class=\"regions\" fill=\"%s\" stroke=\"%s\" "
                           "stroke-width=\"%.2f\" fill-rule=\"evenodd\">\n",
                           cm_web_color(map->style->unknown_fill, none), rg_stroke,
                           map->style->rg_width);
    for (int i = 0; i < map->regions.layer->n; i++) {
        char *id = cm_web_feature_id(map, i);
        if (!id || map->regions.page[i].nrings == 0) {
            g_free(id);
            continue;
        }
        feature_open(out, "path", id, "area region", i);
        g_string_append(out, " d=\"");
        path_data(out, &map->regions.page[i]);
        g_string_append(out, "\"/>\n");
        g_free(id);
    }
    g_string_append(out, "</g>\n");
}

/* Each town's and site's ground within its region, as the renderer draws it (areas.c): the
 * Voronoi cell clipped to the region and the place's reach.  Not focusable: the symbol is. */
static void grounds(GString *out, const cm_map *map)
{
    const int nr = map->regions.layer->n;
    g_string_append(out, "<g class=\"grounds\" fill=\"none\">\n");
    for (int c = 0; c < map->ncells; c++) {
        const cm_cell *cell = &map->cells[c];
        char *id = cm_web_feature_id(map, nr + cell->point);
        if (!id)
            continue;
        g_string_append_printf(out, "<g clip-path=\"url(#cm-cr%d)\"><path class=\"ground\" "
                               "data-f=\"%d\" data-ground=\"%s\" clip-path=\"url(#cm-cc%d)\" d=\"",
                               cell->region, nr + cell->point, id, c);
        cm_shape ring = {(cm_ring *)&cell->ring, 1};
        path_data(out, &ring);
        g_string_append(out, "\"/></g>\n");
        g_free(id);
    }
    g_string_append(out, "</g>\n");
}

/* The zones of control that do not follow district borders, over the regions as the renderer
 * draws them (areas.c), within the border; hidden until the script finds one in force. */
static void zones(GString *out, const cm_map *map)
{
    const int first = map->regions.layer->n + cm_web_nplaces(map);
    if (!map->zones)
        return;
    if (map->border.layer && !map->zones_on_land) {
        g_string_append(out, "<clipPath id=\"cm-land\"><path clip-rule=\"evenodd\" d=\"");
        for (int i = 0; i < map->border.layer->n; i++)
            path_data(out, &map->border.page[i]);
        g_string_append(out, "\"/></clipPath>\n<g class=\"zones\" clip-path=\"url(#cm-land)\"");
    } else {
        g_string_append(out, "<g class=\"zones\"");
    }
    g_string_append(out, " stroke=\"rgba(0,0,0,0.45)\" stroke-width=\"0.5\" fill-rule=\"evenodd\">\n");
    for (int i = 0; i < map->zones->layer->n; i++) {
        if (map->zones_page[i].nrings == 0)
            continue;
        char *id = cm_web_feature_id(map, first + i);
        feature_open(out, "path", id, "area zone", first + i);
        g_string_append(out, " visibility=\"hidden\" d=\"");
        path_data(out, &map->zones_page[i]);
        g_string_append(out, "\"/>\n");
        g_free(id);
    }
    g_string_append(out, "</g>\n");
}

gboolean cm_web_detail_box(const cm_map *map, int i, double box[4])
{
    const cm_map *d = map->details[i];
    cm_ring r = {0};
    cm_projection_trace_frame(&r, d->proj, d->frame, map->proj);
    double x0 = G_MAXDOUBLE, y0 = G_MAXDOUBLE, x1 = -G_MAXDOUBLE, y1 = -G_MAXDOUBLE;
    for (int k = 0; k < r.n; k++) {
        x0 = MIN(x0, r.xy[2 * k]), x1 = MAX(x1, r.xy[2 * k]);
        y0 = MIN(y0, r.xy[2 * k + 1]), y1 = MAX(y1, r.xy[2 * k + 1]);
    }
    g_free(r.xy);
    if (r.n < 2 || !(x1 > x0 && y1 > y0))
        return FALSE;
    box[0] = x0, box[1] = y0, box[2] = x1 - x0, box[3] = y1 - y0;
    return TRUE;
}

/* The detail frames' extents outlined, as on the main map of the PDF (detail.c), so that the
 * name the renderer placed beside each names something; the web page has no detail frame of
 * its own: a click on the outline (or its button, web.c) zooms the map to it. */
static void detail_outlines(GString *out, const cm_map *map)
{
    char c[32];
    for (int i = 0; i < map->ndetails; i++) {
        const cm_map *d = map->details[i];
        double box[4];
        cm_ring r = {0};
        cm_projection_trace_frame(&r, d->proj, d->frame, map->proj);
        if (r.n >= 2 && cm_web_detail_box(map, i, box)) {
            cm_shape sh = {&r, 1};
            GString *path = g_string_new(NULL);
            path_data(path, &sh);
            g_string_append_printf(out, "<g class=\"detail\" data-zoom=\"%.1f %.1f %.1f %.1f\" "
                                   "fill=\"none\"><path stroke=\"rgba(255,255,255,0.9)\" "
                                   "stroke-width=\"2.2\" d=\"%s\"/><path stroke=\"%s\" "
                                   "stroke-width=\"0.9\" d=\"%s\"/></g>\n", box[0], box[1],
                                   box[2], box[3], path->str,
                                   cm_web_color(map->style->frame_color, c), path->str);
            g_string_free(path, TRUE);
        }
        g_free(r.xy);
    }
}

/* A capital's star or a site's icon at its place, in the sentinel black the script's colour
 * replaces (currentColor). */
typedef struct {
    const cm_style *s;
    const char *site_kind; /* NULL: the capital */
    double x, y;
} symbol_job;

static void draw_place(cairo_t *cr, const void *data)
{
    const symbol_job *j = data;
    if (j->site_kind)
        cm_draw_site(cr, j->site_kind, j->x, j->y, j->s->site_size, (cm_rgba){0, 0, 0, 1},
                     j->s->place_halo);
    else
        cm_draw_star(cr, j->x, j->y, j->s->star, (cm_rgba){0, 0, 0, 1}, j->s->place_halo);
}

/* The symbols of the places the main map shows, as the renderer draws them (cm_draw_town,
 * cm_draw_site): a dot for a town, the star for the capital, each site kind's icon; coloured
 * by the script with the holder's colour (a dot's fill, a symbol's currentColor). */
static void places(GString *out, const cm_map *map, const cm_map *detail)
{
    const cm_style *s = map->style;
    const int nr = map->regions.layer->n;
    char halo[32], color[32];
    if (!map->places.layer)
        return;
    g_string_append_printf(out, "<g class=\"places%s\" fill=\"%s\" color=\"%s\" stroke=\"%s\" "
                           "stroke-width=\"0.8\"%s>\n", detail ? " cm-deep-only" : "",
                           cm_web_color(s->place_color, color), color,
                           cm_web_color(s->place_halo, halo), detail ? " visibility=\"hidden\"" : "");
    for (int i = 0; i < map->places.layer->n; i++) {
        /* the main map's places; or those only a detail frame shows, for a reader zoomed in */
        if (detail ? cm_place_in_frame(map, i) || i >= detail->places.layer->n ||
                         !cm_place_in_frame(detail, i) || map->places.page[i].nrings == 0 ||
                         g_strcmp0(map->places.layer->features[i].key,
                                   detail->places.layer->features[i].key)
                   : !cm_place_in_frame(map, i))
            continue;
        char *id = cm_web_feature_id(map, nr + i);
        if (!id)
            continue;
        const cm_feature *f = &map->places.layer->features[i];
        gboolean capital = f->kind && strcmp(f->kind, "capital") == 0, site = i >= map->first_site;
        const double *xy = map->places.page[i].rings[0].xy;
        const char *cls = site ? "place site" : capital ? "place town capital" : "place town";
        if (capital || site) {
            symbol_job job = {s, site ? (f->kind ? f->kind : "") : NULL, xy[0], xy[1]};
            feature_open(out, "g", id, cls, nr + i);
            g_string_append(out, ">\n");
            cm_web_cairo(out, draw_place, &job, map->page_w, map->page_h, TRUE);
            g_string_append(out, "</g>\n");
        } else {
            feature_open(out, "circle", id, cls, nr + i);
            g_string_append_printf(out, " cx=\"%.1f\" cy=\"%.1f\" r=\"%.2f\"/>\n", xy[0], xy[1],
                                   s->dot * 0.8);
        }
        g_free(id);
    }
    g_string_append(out, "</g>\n");
}

/* A detail frame's labels where its places are on the main map: the detail's page mapped
 * onto the main one by the places both show (the same points in two projections of nearly
 * the same scale: a uniform scale and a shift, fitted); hidden until the reader zooms in. */
static void detail_labels(GString *out, const cm_map *map, int k, const cm_page_body *body)
{
    const cm_map *d = map->details[k];
    const int np = MIN(d->places.layer->n, map->places.layer->n);
    double sd[2] = {0}, sm[2] = {0}, vd = 0, vm = 0;
    int n = 0;
    for (int i = 0; i < np; i++)
        if (cm_place_in_frame(d, i) && map->places.page[i].nrings) {
            const double *a = d->places.page[i].rings[0].xy, *b = map->places.page[i].rings[0].xy;
            sd[0] += a[0], sd[1] += a[1], sm[0] += b[0], sm[1] += b[1], n++;
        }
    if (n < 2 || !body->detail_bodies || !body->detail_bodies[k])
        return;
    sd[0] /= n, sd[1] /= n, sm[0] /= n, sm[1] /= n;
    for (int i = 0; i < np; i++)
        if (cm_place_in_frame(d, i) && map->places.page[i].nrings) {
            const double *a = d->places.page[i].rings[0].xy, *b = map->places.page[i].rings[0].xy;
            vd += (a[0] - sd[0]) * (a[0] - sd[0]) + (a[1] - sd[1]) * (a[1] - sd[1]);
            vm += (b[0] - sm[0]) * (b[0] - sm[0]) + (b[1] - sm[1]) * (b[1] - sm[1]);
        }
    if (!(vd > 0))
        return;
    double scale = sqrt(vm / vd);
    char c1[32], c2[32];
    g_string_append_printf(out, "<g class=\"labels cm-deep-only\" visibility=\"hidden\" "
                           "aria-hidden=\"true\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.2f\" "
                           "transform=\"translate(%.3f %.3f) scale(%.5f) translate(%.3f %.3f)\">\n",
                           cm_web_color(d->style->place_color, c1),
                           cm_web_color(d->style->place_halo, c2), d->style->halo_width, sm[0],
                           sm[1], scale, -sd[0], -sd[1]);
    cm_labeler_svg_text(body->detail_bodies[k]->lab, out);
    g_string_append(out, "</g>\n");
}

void cm_web_svg(GString *out, const cm_map *map, const cm_page_body *body, GPtrArray *stripes)
{
    const cm_style *s = map->style;
    const double *fr = map->frame;
    char c1[32], c2[32], c3[32];
    /* the page's frame, as the PDF's map frame: the title, legend and notes are the HTML's */
    g_string_append_printf(out, "<svg id=\"cm-map\" xmlns=\"http://www.w3.org/2000/svg\" "
                           "viewBox=\"%.1f %.1f %.1f %.1f\" role=\"group\" tabindex=\"-1\" "
                           "aria-labelledby=\"cm-title\" font-family=\"%s, sans-serif\">\n",
                           fr[0], fr[1], fr[2], fr[3], s->font);
    g_string_append(out, "<defs>\n");
    for (guint k = 0; k < stripes->len; k++)
        stripe_pattern(out, (int)k, stripes->pdata[k], s->hatch_width, s->hatch_angle);
    cell_clips(out, map);
    g_string_append_printf(out, "<clipPath id=\"cm-frame\"><rect x=\"%.1f\" y=\"%.1f\" "
                           "width=\"%.1f\" height=\"%.1f\"/></clipPath>\n</defs>\n",
                           fr[0], fr[1], fr[2], fr[3]);
    g_string_append_printf(out, "<g clip-path=\"url(#cm-frame)\">\n<rect class=\"sea\" x=\"%.1f\" "
                           "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                           fr[0], fr[1], fr[2], fr[3], cm_web_color(s->sea_fill, c1));
    shapes(out, &map->neighbours, "neighbours", cm_web_color(s->nb_fill, c1),
           cm_web_color(s->nb_stroke, c2), s->nb_width);
    regions(out, map, cm_web_color(s->rg_stroke, c3));
    grounds(out, map);
    zones(out, map);
    shapes(out, &map->border, "border", "none", cm_web_color(s->border_stroke, c1),
           s->border_width);
    cm_web_lines_svg(out, map);
    detail_outlines(out, map);
    places(out, map, NULL);
    for (int k = 0; k < map->ndetails; k++)
        places(out, map, map->details[k]);
    cm_web_events_svg(out, map);
    g_string_append_printf(out, "<g class=\"labels\" aria-hidden=\"true\" fill=\"%s\" "
                           "stroke=\"%s\" stroke-width=\"%.2f\">\n",
                           cm_web_color(s->place_color, c1), cm_web_color(s->place_halo, c2),
                           s->halo_width);
    cm_labeler_svg_text(body->lab, out);
    g_string_append(out, "</g>\n");
    for (int k = 0; k < map->ndetails; k++)
        detail_labels(out, map, k, body);
    g_string_append(out, "</g>\n");
    g_string_append_printf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                           "fill=\"none\" stroke=\"%s\" stroke-width=\"0.8\"/>\n</svg>\n",
                           fr[0], fr[1], fr[2], fr[3], cm_web_color(s->frame_color, c1));
}
