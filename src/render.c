/* The map and its rendering: the pipeline's driver.  Loading does every stage that does not
 * depend on the date or the output (parse, load, project); rendering resolves control on the
 * date, draws, places labels and writes. */
#include "conflictmap/render.h"

#include "ctx.h"
#include "draw.h"
#include "geodata.h"
#include "keyfile.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "mapfile.h"
#include "output.h"
#include "project.h"
#include "render_stats.h"
#include "style.h"

#include <math.h>
#include <string.h>

#define MM (72.0 / 25.4)
#define TOLERANCE_PT 0.05 /* vertices closer than this on the page are dropped: 0.2 px at 300 dpi */

/* A loaded layer and its shapes on the page. */
typedef struct {
    cm_layer *layer;
    cm_shape *page;
} placed_layer;

struct cm_map {
    cm_mapfile *mf;
    cm_style *style;
    cm_ledger *ledger;
    placed_layer regions, neighbours, border, places, inset;
    cm_projection *proj;
    cm_projection *inset_proj; /* the inset's own page: origin at its top-left corner */
    cm_shape *inset_border;    /* the border layer in the inset's projection */
    double inset_size[2];      /* width, height in points */
    double page_w, page_h, frame[4];
    GDate date;
};

static void placed_clear(placed_layer *pl)
{
    if (pl->layer)
        cm_shapes_free(pl->page, pl->layer->n);
    cm_layer_destroy(pl->layer);
    pl->layer = NULL;
    pl->page = NULL;
}

void cm_map_destroy(cm_map *map)
{
    if (!map)
        return;
    if (map->inset_border)
        cm_shapes_free(map->inset_border, map->border.layer->n);
    placed_clear(&map->regions);
    placed_clear(&map->neighbours);
    placed_clear(&map->border);
    placed_clear(&map->places);
    placed_clear(&map->inset);
    cm_projection_destroy(map->inset_proj);
    cm_projection_destroy(map->proj);
    cm_ledger_destroy(map->ledger);
    cm_style_destroy(map->style);
    cm_mapfile_destroy(map->mf);
    g_free(map);
}

static cm_status load_placed(cm_map *map, const cm_layer_spec *spec, placed_layer *pl, cm_ctx *ctx)
{
    if (!spec->file)
        return CM_OK;
    cm_status st = cm_layer_load(&pl->layer, spec, ctx);
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
    if ((st = cm_layer_load(&map->inset.layer, &mf->inset, ctx)) != CM_OK ||
        (st = cm_project_layer(&map->inset.page, map->inset_proj, map->inset.layer, 0.2, ctx)) != CM_OK)
        return st;
    if (map->border.layer)
        st = cm_project_layer(&map->inset_border, map->inset_proj, map->border.layer, 0.2, ctx);
    return st;
}

cm_status cm_map_load(cm_map **out, const char *path, const cm_map_options *opts, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_map *map = g_new0(cm_map, 1);
    GPtrArray *styles = g_ptr_array_new();
    GHashTable *keys = NULL;

    *out = NULL;
    if ((st = cm_mapfile_load(&map->mf, path, ctx)) != CM_OK)
        goto cleanup;
    for (char **s = map->mf->styles; *s; s++)
        g_ptr_array_add(styles, *s);
    for (size_t i = 0; opts && opts->styles && opts->styles[i]; i++)
        g_ptr_array_add(styles, (gpointer)opts->styles[i]);
    g_ptr_array_add(styles, NULL);
    if ((st = cm_style_load(&map->style, (const char *const *)styles->pdata, ctx)) != CM_OK)
        goto cleanup;

    map->page_w = map->mf->page_w_mm * MM;
    map->page_h = map->mf->page_h_mm * MM;
    cm_layout_frame(map->style, map->page_w, map->page_h, map->frame);
    if (map->frame[2] < 20 || map->frame[3] < 20) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: the page leaves no room for the map once margins, title "
                     "and sources are placed", path);
        goto cleanup;
    }
    if ((st = cm_projection_new(&map->proj, map->mf->crs, map->mf->extent, map->frame, ctx)) != CM_OK)
        goto cleanup;
    if ((st = load_placed(map, &map->mf->regions, &map->regions, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->neighbours, &map->neighbours, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->border, &map->border, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->places, &map->places, ctx)) != CM_OK ||
        (st = load_inset(map, ctx)) != CM_OK)
        goto cleanup;

    keys = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = 0; i < map->regions.layer->n; i++) {
        const cm_feature *f = &map->regions.layer->features[i];
        if (!f->key) {
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld has an empty key", map->mf->regions.file,
                         f->fid);
            goto cleanup;
        }
        if (g_hash_table_contains(keys, f->key)) {
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld repeats the key \"%s\"",
                         map->mf->regions.file, f->fid, f->key);
            goto cleanup;
        }
        g_hash_table_add(keys, f->key);
    }
    const char *ledger = opts && opts->control ? opts->control : map->mf->control;
    if ((st = cm_ledger_load(&map->ledger, ledger, ctx)) != CM_OK ||
        (st = cm_ledger_check(map->ledger, keys, map->style, ctx)) != CM_OK)
        goto cleanup;

    if (g_date_valid(&map->mf->date)) {
        map->date = map->mf->date;
    } else {
        /* no date in the map: the latest date in the ledger */
        map->date = ((cm_ledger_row *)map->ledger->rows->pdata[0])->date;
        for (guint i = 1; i < map->ledger->rows->len; i++) {
            const GDate *d = &((cm_ledger_row *)map->ledger->rows->pdata[i])->date;
            if (g_date_compare(d, &map->date) > 0)
                map->date = *d;
        }
    }
    *out = map;
    map = NULL;
cleanup:
    if (keys)
        g_hash_table_unref(keys);
    g_ptr_array_free(styles, TRUE);
    cm_map_destroy(map);
    return st;
}

cm_status cm_map_set_date(cm_map *map, const char *date, cm_ctx *ctx)
{
    GDate d;
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    map->date = d;
    return CM_OK;
}

void cm_map_get_date(const cm_map *map, char buf[11])
{
    g_snprintf(buf, 11, "%04d-%02d-%02d", g_date_get_year(&map->date),
               g_date_get_month(&map->date), g_date_get_day(&map->date));
}

void cm_map_page_size(const cm_map *map, double *width, double *height)
{
    *width = map->page_w;
    *height = map->page_h;
}

int cm_map_lonlat_to_page(const cm_map *map, double lon, double lat, double *x, double *y)
{
    return cm_projection_lonlat_to_page(map->proj, lon, lat, x, y) ? 0 : -1;
}

int cm_map_page_to_lonlat(const cm_map *map, double x, double y, double *lon, double *lat)
{
    return cm_projection_page_to_lonlat(map->proj, x, y, lon, lat) ? 0 : -1;
}

const char *cm_default_map_path(void)
{
    static const char *const candidates[] = {CM_DATADIR "/geodata/libya.map",
                                             CM_SOURCE_DIR "/geodata/libya.map"};
    for (size_t i = 0; i < G_N_ELEMENTS(candidates); i++)
        if (g_file_test(candidates[i], G_FILE_TEST_IS_REGULAR))
            return candidates[i];
    return candidates[G_N_ELEMENTS(candidates) - 1];
}

/* ---- rendering ---------------------------------------------------------------------- */

/* What one render needs to know about the date: each region's row in force. */
typedef struct {
    const cm_ledger_row **rows; /* parallel to the regions layer; NULL = no data */
} control_state;

/* How a region with this row is painted: its holder's colour and pattern, or stripes of the
 * parties that contest it, or the no-data fill. */
static cm_paint row_paint(const cm_style *s, const cm_ledger_row *r)
{
    cm_paint p = {.n = 1, .pattern = CM_PATTERN_SOLID};
    if (!r) {
        p.colors[0] = s->unknown_fill;
    } else if (r->status == CM_CONTESTED) {
        p.n = 0;
        for (char **id = r->parties; *id && p.n < 4; id++)
            p.colors[p.n++] = cm_style_controller(s, *id)->fill;
    } else {
        const cm_controller *c = cm_style_controller(s, r->controller);
        p.colors[0] = c->fill;
        p.pattern = c->pattern;
        p.pattern_color = c->pattern_color;
    }
    return p;
}

static void draw_regions(cairo_t *cr, const cm_map *map, const control_state *cs)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->regions.layer;
    for (int i = 0; i < l->n; i++) {
        cm_paint p = row_paint(s, cs->rows[i]);
        cm_draw_paint(cr, &map->regions.page[i], &p, s->hatch_width, s->hatch_angle);
    }
    for (int i = 0; i < l->n; i++)
        cm_draw_stroke(cr, &map->regions.page[i], TRUE, s->rg_stroke, s->rg_width);
}

static int place_priority(const cm_feature *f)
{
    int rank = f->rank > 0 ? f->rank : 3;
    return 100 - 10 * rank;
}

/* Capitals and cities keep their symbol even when their name finds no room. */
static gboolean always_shown(const cm_feature *f)
{
    return (f->kind && strcmp(f->kind, "capital") == 0) || (f->rank > 0 && f->rank <= 2);
}

static double place_size(const cm_style *s, const cm_feature *f)
{
    if (f->kind && strcmp(f->kind, "capital") == 0)
        return s->capital_size;
    switch (f->rank) {
    case 1:
    case 2: return s->city_size;
    case 3: return s->town_size;
    default: return s->minor_size;
    }
}

static char *label_text(const cm_style *s, const char *en, const char *ar)
{
    if (strcmp(s->lang, "ar") == 0 && ar)
        return g_strdup(ar);
    if (strcmp(s->lang, "en+ar") == 0 && ar && en)
        return g_strdup_printf("%s\n%s", en, ar);
    return g_strdup(en ? en : ar);
}

/* First pass (draw FALSE): queue labels and block always-shown symbols.  Second pass, after
 * placement: draw the symbols of places that are shown, recording their boxes in `drawn`. */
static void add_places(cairo_t *cr, const cm_map *map, cm_labeler *lab, gboolean draw,
                       GArray *drawn)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->places.layer;
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        const cm_feature *f = &l->features[i];
        const cm_shape *sh = &map->places.page[i];
        if (sh->nrings == 0)
            continue;
        double x = sh->rings[0].xy[0], y = sh->rings[0].xy[1];
        if (x < map->frame[0] || y < map->frame[1] || x > map->frame[0] + map->frame[2] ||
            y > map->frame[1] + map->frame[3])
            continue;
        gboolean capital = f->kind && strcmp(f->kind, "capital") == 0;
        double r = capital ? s->star : s->dot / 2 + 0.8;
        if (draw) {
            /* a town is shown only with its name: an unnamed dot says nothing */
            if (!always_shown(f) && !cm_labeler_is_placed(lab, i + 1))
                continue;
            if (drawn) {
                cm_box b = {x - r, y - r, x + r, y + r};
                g_array_append_val(drawn, b);
            }
            if (capital)
                cm_draw_star(cr, x, y, s->star, s->place_color, s->place_halo);
            else
                cm_draw_dot(cr, x, y, s->dot, s->place_color, s->place_halo);
            continue;
        }
        cm_box symbol = {x - r, y - r, x + r, y + r};
        if (always_shown(f))
            cm_labeler_block(lab, symbol);
        char *text = label_text(s, f->name, f->name_ar);
        if (!text)
            continue;
        double size = place_size(s, f);
        cm_label_spec spec = {
            .text = text, .font = s->font, .size = size, .bold = capital || f->rank <= 2,
            .color = s->place_color, .halo = s->place_halo, .halo_width = s->halo_width,
            .kind = CM_LABEL_POINT, .x = x, .y = y, .gap = r + 1.5,
            .priority = place_priority(f) + (capital ? 20 : 0), .id = i + 1,
            .has_symbol = !always_shown(f), .symbol = symbol};
        cm_labeler_add(lab, &spec);
        g_free(text);
    }
}

static void add_area_labels(const cm_map *map, cm_labeler *lab, const placed_layer *pl,
                            gboolean countries)
{
    const cm_style *s = map->style;
    if (!pl->layer)
        return;
    cm_box fr = {map->frame[0], map->frame[1], map->frame[0] + map->frame[2],
                 map->frame[1] + map->frame[3]};
    for (int i = 0; i < pl->layer->n; i++) {
        const cm_feature *f = &pl->layer->features[i];
        if (!f->name || pl->page[i].nrings == 0)
            continue;
        /* look for the interior point within the frame: clamp the shape to it first */
        cm_shape clamped = {g_new0(cm_ring, (size_t)pl->page[i].nrings), pl->page[i].nrings};
        for (int r = 0; r < clamped.nrings; r++) {
            const cm_ring *src = &pl->page[i].rings[r];
            clamped.rings[r].n = src->n;
            clamped.rings[r].xy = g_memdup2(src->xy, sizeof(double) * 2 * (size_t)src->n);
            for (int k = 0; k < src->n; k++) {
                double *p = &clamped.rings[r].xy[2 * k];
                p[0] = CLAMP(p[0], fr.x0 + 10, fr.x1 - 10);
                p[1] = CLAMP(p[1], fr.y0 + 10, fr.y1 - 10);
            }
        }
        double x, y;
        gboolean ok = cm_interior_point(&clamped, &x, &y);
        for (int r = 0; r < clamped.nrings; r++)
            g_free(clamped.rings[r].xy);
        g_free(clamped.rings);
        if (!ok)
            continue;
        char *upper = countries ? g_utf8_strup(f->name, -1) : g_strdup(f->name);
        cm_label_spec spec = {
            .text = upper, .font = s->font,
            .size = countries ? s->nb_label_size : s->rg_label_size,
            .italic = !countries, .letter_spacing = countries ? 2.0 : 0.4,
            .color = countries ? s->nb_label : s->rg_label,
            .halo = countries ? s->nb_fill : s->rg_label_halo,
            .halo_width = countries ? 0 : 1.2, .kind = CM_LABEL_AREA, .x = x, .y = y,
            .priority = countries ? 8 : 5};
        cm_labeler_add(lab, &spec);
        g_free(upper);
    }
}

/* The legend's items for the date: only what the map shows. */
static GArray *legend_items(const cm_map *map, const control_state *cs)
{
    const cm_style *s = map->style;
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        for (int i = 0; i < map->regions.layer->n; i++) {
            const cm_ledger_row *r = cs->rows[i];
            if (r && r->status == CM_HELD && strcmp(r->controller, ctl->id) == 0) {
                cm_legend_item it = {.kind = CM_SWATCH_AREA, .paint = row_paint(s, r),
                                     .text = g_strdup(ctl->label)};
                g_array_append_val(items, it);
                break;
            }
        }
    }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < map->regions.layer->n; i++) {
        const cm_ledger_row *r = cs->rows[i];
        if (!r || r->status != CM_CONTESTED)
            continue;
        char *ids = g_strjoinv(";", r->parties);
        if (!g_hash_table_contains(seen, ids)) {
            GString *names = g_string_new(NULL);
            for (char **p = r->parties; *p; p++)
                g_string_append_printf(names, "%s%s", p == r->parties ? "" : " / ",
                                       cm_style_controller(s, *p)->short_label);
            cm_legend_item it = {.kind = CM_SWATCH_AREA, .paint = row_paint(s, r),
                                 .text = g_strdup_printf("%s: %s", s->contested_label, names->str)};
            g_string_free(names, TRUE);
            g_array_append_val(items, it);
            g_hash_table_add(seen, ids);
        } else {
            g_free(ids);
        }
    }
    g_hash_table_unref(seen);
    for (int i = 0; i < map->regions.layer->n; i++) {
        if (!cs->rows[i]) {
            cm_legend_item it = {.kind = CM_SWATCH_AREA, .paint = row_paint(s, NULL),
                                 .text = g_strdup(s->unknown_label)};
            g_array_append_val(items, it);
            break;
        }
    }
    if (map->places.layer) {
        gboolean capital = FALSE, town = FALSE;
        for (int i = 0; i < map->places.layer->n; i++) {
            const char *k = map->places.layer->features[i].kind;
            if (k && strcmp(k, "capital") == 0)
                capital = TRUE;
            else
                town = TRUE;
        }
        cm_paint symbol = {.colors = {s->place_color}, .n = 1};
        if (capital) {
            cm_legend_item it = {.kind = CM_SWATCH_STAR, .paint = symbol, .text = g_strdup("Capital")};
            g_array_append_val(items, it);
        }
        if (town) {
            cm_legend_item it = {.kind = CM_SWATCH_DOT, .paint = symbol, .text = g_strdup("Town")};
            g_array_append_val(items, it);
        }
    }
    return items;
}

static gint str_ptr_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "Sources: A; B." — the distinct sources of the rows in force, sorted. */
static char *sources_line(const cm_map *map, const control_state *cs)
{
    GPtrArray *list = g_ptr_array_new();
    for (int i = 0; i < map->regions.layer->n; i++) {
        const cm_ledger_row *r = cs->rows[i];
        if (r && !g_ptr_array_find_with_equal_func(list, r->source, g_str_equal, NULL))
            g_ptr_array_add(list, r->source);
    }
    if (list->len == 0) {
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    g_ptr_array_sort(list, str_ptr_cmp);
    g_ptr_array_add(list, NULL);
    char *joined = g_strjoinv("; ", (char **)list->pdata);
    char *line = g_strdup_printf("Sources of control: %s.", joined);
    g_free(joined);
    g_ptr_array_free(list, TRUE);
    return line;
}

/* Lines of longitude and latitude every `step` degrees, densified so they curve. */
static void draw_graticule(cairo_t *cr, const cm_map *map)
{
    const cm_style *s = map->style;
    const double *e = map->mf->extent;
    double step = s->graticule_step;
    cairo_new_path(cr);
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? e[1] - 10 : e[0] - 10, hi = axis ? e[3] + 10 : e[2] + 10;
        for (double v = ceil(lo / step) * step; v <= hi; v += step) {
            gboolean pen = FALSE;
            double a0 = axis ? e[0] - 10 : e[1] - 10, a1 = axis ? e[2] + 10 : e[3] + 10;
            for (double t = a0; t <= a1; t += 0.25) {
                double lon = axis ? t : v, lat = axis ? v : t, x, y;
                if (lat < -89.9 || lat > 89.9 || !cm_projection_lonlat_to_page(map->proj, lon, lat, &x, &y)) {
                    pen = FALSE;
                    continue;
                }
                if (pen)
                    cairo_line_to(cr, x, y);
                else
                    cairo_move_to(cr, x, y);
                pen = TRUE;
            }
        }
    }
    cm_draw_set_color(cr, s->graticule_color);
    cairo_set_line_width(cr, s->graticule_width);
    cairo_stroke(cr);
}

/* The angle, clockwise from the page's up, of true north at a page point. */
static double north_angle(const cm_map *map, double x, double y)
{
    double lon, lat, x1, y1;
    if (!cm_projection_page_to_lonlat(map->proj, x, y, &lon, &lat) ||
        !cm_projection_lonlat_to_page(map->proj, lon, lat + 0.1, &x1, &y1))
        return 0;
    return atan2(x1 - x, -(y1 - y));
}

/* The locator inset: the inset's countries, the map's border highlighted, the main frame's
 * extent outlined.  Its box on the page is `box`. */
static void draw_inset(cairo_t *cr, const cm_map *map, cm_box box)
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
    /* the main frame, traced along its edges through lon/lat into the inset */
    const double *fr = map->frame;
    cairo_new_path(cr);
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
        if (k == 0)
            cairo_move_to(cr, ix, iy);
        else
            cairo_line_to(cr, ix, iy);
    }
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
static void draw_logo(cairo_t *cr, const cm_map *map)
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

static void draw_page(cairo_t *cr, const cm_map *map, cm_render_stats *stats)
{
    const cm_style *s = map->style;
    const double *fr = map->frame;
    cm_box frame_box = {fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]};
    control_state cs = {g_new0(const cm_ledger_row *, (size_t)map->regions.layer->n)};
    for (int i = 0; i < map->regions.layer->n; i++)
        cs.rows[i] = cm_ledger_state(map->ledger, map->regions.layer->features[i].key, &map->date);

    cm_draw_set_color(cr, s->page_bg);
    cairo_paint(cr);

    /* the map, clipped to its frame */
    cairo_save(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cairo_clip(cr);
    cm_draw_set_color(cr, s->sea_fill);
    cairo_paint(cr);
    if (map->neighbours.layer) {
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_fill(cr, &map->neighbours.page[i], s->nb_fill);
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_stroke(cr, &map->neighbours.page[i], TRUE, s->nb_stroke, s->nb_width);
    }
    draw_regions(cr, map, &cs);
    if (map->border.layer)
        for (int i = 0; i < map->border.layer->n; i++)
            cm_draw_stroke(cr, &map->border.page[i], TRUE, s->border_stroke, s->border_width);
    if (s->graticule)
        draw_graticule(cr, map);

    /* furniture inside the frame is placed first, so that labels avoid it */
    cm_labeler *lab = cm_labeler_new(cr, frame_box);
    GArray *furniture = g_array_new(FALSE, FALSE, sizeof(cm_box));
    GArray *items = legend_items(map, &cs);
    double lw, lh;
    cm_layout_legend_size(lab, s, s->legend_title, (cm_legend_item *)items->data, (int)items->len,
                          &lw, &lh);
    double lx = fr[0] + 8, ly = fr[1] + fr[3] - 8 - lh;
    cm_box legend_box = {lx - 2, ly - 2, lx + lw + 2, ly + lh + 2};
    g_array_append_val(furniture, legend_box);
    double metres_per_pt = cm_projection_ground_metres(map->proj, fr[0] + fr[2] / 2,
                                                       fr[1] + fr[3] / 2, 100) / 100;
    cm_box sb = {fr[0] + fr[2], fr[1] + fr[3], fr[0] + fr[2], fr[1] + fr[3]}, na;
    gboolean has_scale = isfinite(metres_per_pt) && metres_per_pt > 0;
    if (has_scale) {
        cm_layout_scalebar(cr, lab, s, metres_per_pt, fr[2] / 6, fr[0] + fr[2] - 4,
                           fr[1] + fr[3] - 4, &sb, FALSE);
        g_array_append_val(furniture, sb);
    }
    double nx = fr[0] + fr[2] - 20, ny = sb.y0 - 20;
    double nangle = north_angle(map, fr[0] + fr[2] / 2, fr[1] + fr[3] / 2);
    if (s->north_arrow) {
        cm_layout_north_arrow(cr, lab, s, nx, ny, nangle, &na, FALSE);
        g_array_append_val(furniture, na);
    }
    cm_box inset_box = {0};
    gboolean has_inset = s->inset && map->inset.layer;
    if (has_inset) {
        inset_box = (cm_box){fr[0] + fr[2] - map->inset_size[0] - 1, fr[1] + 1,
                             fr[0] + fr[2] - 1, fr[1] + 1 + map->inset_size[1]};
        g_array_append_val(furniture, inset_box);
    }
    for (guint i = 0; i < furniture->len; i++)
        cm_labeler_block(lab, g_array_index(furniture, cm_box, i));

    add_places(cr, map, lab, FALSE, NULL);
    add_area_labels(map, lab, &map->neighbours, TRUE);
    add_area_labels(map, lab, &map->regions, FALSE);
    if (map->mf->sea_label) {
        double x, y;
        if (cm_projection_lonlat_to_page(map->proj, map->mf->sea_label_at[0],
                                         map->mf->sea_label_at[1], &x, &y)) {
            cm_label_spec spec = {.text = map->mf->sea_label, .font = s->font,
                                  .size = s->nb_label_size * 1.1, .italic = TRUE,
                                  .letter_spacing = 1.5, .color = s->sea_label,
                                  .kind = CM_LABEL_AREA, .x = x, .y = y, .priority = 9};
            cm_labeler_add(lab, &spec);
        }
    }
    cm_labeler_place(lab);
    GArray *symbols = g_array_new(FALSE, FALSE, sizeof(cm_box));
    add_places(cr, map, lab, TRUE, symbols);
    cm_labeler_draw(lab, cr);
    cairo_restore(cr);

    /* furniture */
    cm_layout_legend_draw(cr, lab, s, s->legend_title, (cm_legend_item *)items->data,
                          (int)items->len, lx, ly);
    if (has_scale)
        cm_layout_scalebar(cr, lab, s, metres_per_pt, fr[2] / 6, fr[0] + fr[2] - 4,
                           fr[1] + fr[3] - 4, &sb, TRUE);
    if (s->north_arrow)
        cm_layout_north_arrow(cr, lab, s, nx, ny, nangle, &na, TRUE);
    if (has_inset)
        draw_inset(cr, map, inset_box);
    cairo_new_path(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);

    char *date_long = cm_format_date_long(&map->date);
    char *subtitle = map->mf->subtitle
                         ? g_strdup_printf("%s, as of %s", map->mf->subtitle, date_long)
                         : g_strdup_printf("As of %s", date_long);
    cm_layout_title(cr, lab, s, fr, map->mf->title ? map->mf->title : "Territorial control",
                    subtitle);
    if (s->logo)
        draw_logo(cr, map);
    char *sources = sources_line(map, &cs);
    cm_layout_footer(cr, lab, s, fr, sources, map->mf->credit);

    if (stats) {
        stats->frame = frame_box;
        stats->nlabels = cm_labeler_placed(lab, NULL, 0);
        stats->labels = g_new(cm_box, (size_t)stats->nlabels + 1);
        cm_labeler_placed(lab, stats->labels, stats->nlabels);
        stats->unknown_glyphs = cm_labeler_unknown_glyphs(lab);
        stats->nfurniture = (int)furniture->len;
        stats->furniture = (cm_box *)g_array_free(furniture, FALSE);
        furniture = NULL;
        stats->metres_per_pt = metres_per_pt;
        stats->north_angle = nangle;
        stats->nsymbols = (int)symbols->len;
        stats->symbols = (cm_box *)g_array_free(symbols, FALSE);
        symbols = NULL;
    }
    if (symbols)
        g_array_free(symbols, TRUE);
    g_free(sources);
    g_free(subtitle);
    g_free(date_long);
    for (guint i = 0; i < items->len; i++)
        g_free(g_array_index(items, cm_legend_item, i).text);
    g_array_free(items, TRUE);
    if (furniture)
        g_array_free(furniture, TRUE);
    cm_labeler_destroy(lab);
    g_free(cs.rows);
}

cm_status cm_map_render_stats(cm_map *map, cm_render_stats *stats, cm_ctx *ctx)
{
    memset(stats, 0, sizeof *stats);
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    draw_page(cr, map, stats);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cm_fail(ctx, CM_EINTERNAL, "drawing failed: %s", cairo_status_to_string(cs));
    return CM_OK;
}

void cm_render_stats_clear(cm_render_stats *stats)
{
    g_free(stats->labels);
    g_free(stats->furniture);
    g_free(stats->symbols);
    memset(stats, 0, sizeof *stats);
}

cm_status cm_map_set_lang(cm_map *map, const char *lang, cm_ctx *ctx)
{
    if (strcmp(lang, "en") && strcmp(lang, "ar") && strcmp(lang, "en+ar"))
        return cm_fail(ctx, CM_EUSAGE, "language \"%s\" must be en, ar or en+ar", lang);
    g_free(map->style->lang);
    map->style->lang = g_strdup(lang);
    return CM_OK;
}

cm_status cm_map_render_file(cm_map *map, const char *path, const cm_render_options *opts,
                             cm_ctx *ctx)
{
    cm_format fmt;
    cm_output *out = NULL;
    cm_status st;
    double dpi = opts && opts->dpi > 0 ? opts->dpi : 300;
    if (!(dpi >= 1 && dpi <= 10000))
        return cm_fail(ctx, CM_EUSAGE, "dpi %g is out of range (1 to 10000)", dpi);
    if ((st = cm_format_from_path(&fmt, path, ctx)) != CM_OK)
        return st;
    if ((st = cm_output_begin(&out, path, fmt, map->page_w, map->page_h, dpi, ctx)) != CM_OK)
        return st;
    cairo_t *cr = cairo_create(cm_output_surface(out));
    draw_page(cr, map, NULL);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    if (cs != CAIRO_STATUS_SUCCESS) {
        cm_output_abort(out);
        return cm_fail(ctx, CM_EOUTPUT, "%s: drawing failed: %s", path, cairo_status_to_string(cs));
    }
    return cm_output_commit(out, ctx);
}
