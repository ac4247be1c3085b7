/* A sheet of output: one page, or small multiples (series --grid CxR).  Small multiples share
 * what is common: one title line for the sheet, one legend (what any panel shows), one scale
 * bar and one source block under the grid; each panel is only the map frame, scaled to its
 * box, with its date as a heading, and names only the places that matter at that size (the
 * capital, and the places that change hands between the sheet's dates). */
#include "ctx.h"
#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "text.h"

#include <cairo.h>
#include <pango/pangocairo.h>
#include <math.h>
#include <string.h>

#define GUTTER 8.0      /* between panels, points */
#define BAND_GAP 4.0    /* between the title line, the grid and the bands under it */
#define PANEL_NAMES 6.5 /* the size of a place's name in a panel */
#define FULL_NAMES_SCALE 0.45 /* panels drawn at this scale or larger: names at PANEL_NAMES */
#define MIN_NAMES 4.5   /* no names smaller than this */
#define SITE_SCALE 0.75 /* a site's icon in a panel, of its size on a page */
#define HEADING_PER_PT 20.0 /* a panel's side, in points, for each point of its date's size */
#define MIN_LEADER 5.0  /* a leader shorter than this reads as a dash before the name: none */

static gboolean rtl(const cm_style *s)
{
    return strcmp(s->lang, "ar") == 0;
}

static gboolean is_capital(const cm_feature *f)
{
    return f->kind && strcmp(f->kind, "capital") == 0;
}

/* Where place i is on the map's page; FALSE when the page does not draw it. */
static gboolean place_xy(const cm_map *map, int i, double *x, double *y)
{
    /* as on the page: those only a detail frame has room for are not drawn */
    if (!cm_place_in_frame(map, i))
        return FALSE;
    *x = map->places.page[i].rings[0].xy[0], *y = map->places.page[i].rings[0].xy[1];
    return TRUE;
}

/* Whether place i's holder changes at any time from the first date to the last (not only
 * between two of the dates: Gharyan, LNA from 4 April 2019, GNA again from 26 June, is named
 * on a sheet of 1 April and 1 July 2019). */
static gboolean changes_hands(const cm_map *map, int i, const GDate *first, const GDate *last)
{
    const char *key = map->town_keys ? map->town_keys[i] : NULL;
    if (!key || !map->ledger)
        return FALSE;
    for (const cm_ledger_row *r = cm_ledger_state(map->ledger, key, last);
         r && g_date_compare(&r->date, first) > 0;) {
        const cm_ledger_row *before = cm_ledger_before(map->ledger, key, r);
        if (before && strcmp(before->controller, r->controller) != 0)
            return TRUE;
        r = before;
    }
    return FALSE;
}

/* The places the panels name: the capital, and each place whose holder changes in the
 * sheet's span. */
static gboolean *shown_places(const cm_map *map, const cm_control *cs, int n)
{
    const cm_layer *l = map->places.layer;
    gboolean *shown = g_new0(gboolean, l ? (size_t)l->n + 1 : 1);
    for (int i = 0; l && i < l->n; i++) {
        double x, y;
        if (!place_xy(map, i, &x, &y))
            continue;
        shown[i] = changes_hands(map, i, &cs[0].spec->date, &cs[n - 1].spec->date) ||
                   (i < map->first_site && is_capital(&l->features[i]));
    }
    return shown;
}

/* The legend of the sheet: what each panel draws, seen at the panels' scale (legend.c), merged
 * in the order of the first panel that has them. */
static GArray *sheet_items(const cm_map *map, const cm_control *cs, int n,
                           const cm_sheet_layout *lo)
{
    cm_legend_view v = {.box = {lo->view[0], lo->view[1], lo->view[2], lo->view[3]},
                        .scale = lo->scale, .places = lo->shown};
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    for (int k = 0; k < n; k++) {
        GArray *more = cm_legend_items_seen(map, &cs[k], &v);
        cm_legend_items_merge(items, more);
        cm_legend_items_free(more);
    }
    return items;
}

/* The box around the land (the border, else the regions) on the map's page, inside the
 * frame: what every panel must show. */
static void land_box(const cm_map *map, double box[4])
{
    const placed_layer *pl = map->border.layer ? &map->border : &map->regions;
    const double *fr = map->frame;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int f = 0; pl->layer && f < pl->layer->n; f++)
        for (int r = 0; r < pl->page[f].nrings; r++) {
            const cm_ring *ring = &pl->page[f].rings[r];
            for (int p = 0; p < ring->n; p++) {
                double x = CLAMP(ring->xy[2 * p], fr[0], fr[0] + fr[2]);
                double y = CLAMP(ring->xy[2 * p + 1], fr[1], fr[1] + fr[3]);
                x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
            }
        }
    if (!(x1 > x0 && y1 > y0)) /* nothing drawn: the whole frame */
        x0 = fr[0], y0 = fr[1], x1 = fr[0] + fr[2], y1 = fr[1] + fr[3];
    box[0] = x0, box[1] = y0, box[2] = x1 - x0, box[3] = y1 - y0;
}

/* The view every panel of pw x ph shows: the land with a little room, widened to the panel's
 * shape, kept inside the frame (whose edges the geometry is cut to). */
static void plan_view(cm_sheet_layout *lo, const cm_map *map, double pw, double ph)
{
    const double *fr = map->frame;
    double land[4];
    land_box(map, land);
    double pad = 0.04 * fmax(land[2], land[3]);
    double bw = fmin(land[2] + 2 * pad, fr[2]), bh = fmin(land[3] + 2 * pad, fr[3]);
    /* the whole land fits, whatever the panel's shape: a panel much wider or taller than the
     * frame shows the frame's edge and blank beyond it rather than cut the country off (a
     * 2x8 grid once showed a strip of Libya without Tripoli) */
    double k = fmin(pw / bw, ph / bh);
    double vw = pw / k, vh = ph / k;
    double cx = land[0] + land[2] / 2, cy = land[1] + land[3] / 2;
    double vx = vw <= fr[2] ? CLAMP(cx - vw / 2, fr[0], fr[0] + fr[2] - vw) : cx - vw / 2;
    double vy = vh <= fr[3] ? CLAMP(cy - vh / 2, fr[1], fr[1] + fr[3] - vh) : cy - vh / 2;
    lo->scale = k;
    lo->view[0] = vx, lo->view[1] = vy, lo->view[2] = vw, lo->view[3] = vh;
}

/* The sheet's subtitle: the map's, from the first date to the last. */
static char *sheet_subtitle(const cm_map *map, const cm_page_spec *specs, int n)
{
    const cm_style *s = map->style;
    char *first = cm_format_date_long(s, &specs[0].date);
    char *last = cm_format_date_long(s, &specs[n - 1].date);
    char *sub = map->mf->subtitle ? cm_wordf(s, "sheet-subtitle", map->mf->subtitle, first, last, NULL)
                                  : cm_wordf(s, "sheet-from-to", first, last, NULL);
    g_free(first);
    g_free(last);
    return sub;
}

/* The title line's height: down to the lowest ink of the title, set from the top margin, and
 * of the subtitle on the title's baseline (an Arabic line's logical height is far taller
 * than its letters). */
static double title_line_h(cm_labeler *lab, const cm_style *s, const char *title,
                           const char *sub)
{
    PangoLayout *t = cm_labeler_layout(lab, title, s->font, s->title_size, TRUE, FALSE);
    PangoLayout *st = cm_labeler_layout(lab, sub, s->font, s->subtitle_size, FALSE, FALSE);
    PangoRectangle ti, si;
    pango_layout_get_extents(t, &ti, NULL);
    pango_layout_get_extents(st, &si, NULL);
    double sub_top = (double)(pango_layout_get_baseline(t) - pango_layout_get_baseline(st)) / PANGO_SCALE;
    double h = fmax((double)(ti.y + ti.height) / PANGO_SCALE,
                    sub_top + (double)(si.y + si.height) / PANGO_SCALE);
    g_object_unref(t);
    g_object_unref(st);
    return h + 1;
}

/* The scale bar's target length on the sheet and where it stands (bottom-right corner). */
#define SCALE_TARGET 60.0
#define SOURCE_LINES 2

/* The grid, the legend's, scale bar's and sources' boxes for lo->items (whose legend's
 * height sets how tall the grid can be), and the view and scale of the panels. */
static void place_grid(cm_sheet_layout *lo, cairo_t *cr, cm_labeler *lab, const cm_sheet *sh)
{
    const cm_map *map = sh->map;
    const cm_style *s = map->style;
    const int cols = sh->grid[0], rows = sh->grid[1];
    /* one line of title and subtitle; under the grid the legend in rows, the scale bar
     * beside it, the sources under both */
    char *sub = sheet_subtitle(map, &sh->specs[sh->first], sh->count);
    const char *title = map->mf->title ? map->mf->title : cm_word(s, "untitled");
    lo->title_h = title_line_h(lab, s, title, sub);
    g_free(sub);
    const double width = lo->inner.x1 - lo->inner.x0;
    lo->legend_size = fmin(s->legend_size, 6.5);
    lo->sources_size = 5.5;
    cm_style ls = *s;
    ls.legend_size = lo->legend_size;
    cm_box bar;
    double mpp = map->metres_per_pt; /* the bar's size only: its length follows the scale */
    gboolean has_scale = isfinite(mpp) && mpp > 0;
    double bar_w = 0;
    if (has_scale) {
        cm_layout_scalebar(cr, lab, &ls, mpp, SCALE_TARGET, 0, 0, &bar, FALSE);
        bar_w = bar.x1 - bar.x0;
    }
    double legend_w = width - (has_scale ? bar_w + 12 : 0);
    double legend_h = cm_layout_legend_flow(cr, lab, &ls, s->legend_title,
                                            (cm_legend_item *)lo->items->data, (int)lo->items->len,
                                            0, 0, legend_w, FALSE);
    /* the scale bar in a column of its own beside the legend and the sources, down to the
     * bottom margin */
    double sources_h = SOURCE_LINES * lo->sources_size * 1.3;
    double bar_h = has_scale ? bar.y1 - bar.y0 : 0;
    double band_h = fmax(legend_h, bar_h - BAND_GAP - sources_h);
    double bottom = lo->inner.y1 - sources_h - BAND_GAP - band_h - BAND_GAP;

    /* the grid between the title line and the bands */
    lo->grid = (cm_box){lo->inner.x0, lo->inner.y0 + lo->title_h + BAND_GAP, lo->inner.x1, bottom};
    double cw = (lo->grid.x1 - lo->grid.x0 - (cols - 1) * GUTTER) / cols;
    double ch = (lo->grid.y1 - lo->grid.y0 - (rows - 1) * GUTTER) / rows;
    /* the date as large as the legend's words and a point, smaller on small panels (a 3x2
     * sheet's 250 pt panels: 7.5 pt; an 8x8 sheet's 95 pt ones: 4.5 pt, the smallest) */
    lo->heading_size = CLAMP(fmin(cw, ch) / HEADING_PER_PT, MIN_NAMES, lo->legend_size + 1);
    lo->heading_h = (lo->heading_size - 0.5) * 1.7;
    double pw = cw, ph = ch - lo->heading_h;
    plan_view(lo, map, pw, ph);
    lo->panels = g_malloc0(sizeof *lo->panels * ((size_t)sh->count + 1));
    for (int k = 0; k < sh->count; k++) {
        int col = k % cols, row = k / cols;
        if (rtl(s)) /* an Arabic sheet reads from the right: the first date at the top right */
            col = cols - 1 - col;
        lo->panels[k][0] = lo->grid.x0 + col * (cw + GUTTER);
        lo->panels[k][1] = lo->grid.y0 + row * (ch + GUTTER) + lo->heading_h;
        lo->panels[k][2] = pw;
        lo->panels[k][3] = ph;
    }
    double band_y = bottom + BAND_GAP;
    gboolean m_ = rtl(s);
    lo->legend = m_ ? (cm_box){lo->inner.x1 - legend_w, band_y, lo->inner.x1, band_y + legend_h}
                    : (cm_box){lo->inner.x0, band_y, lo->inner.x0 + legend_w, band_y + legend_h};
    if (has_scale) {
        double bh = bar.y1 - bar.y0;
        double y1 = lo->inner.y1;
        lo->scalebar = m_ ? (cm_box){lo->inner.x0, y1 - bh, lo->inner.x0 + bar_w, y1}
                          : (cm_box){lo->inner.x1 - bar_w, y1 - bh, lo->inner.x1, y1};
    }
    lo->sources = m_ ? (cm_box){lo->inner.x1 - legend_w, lo->inner.y1 - sources_h, lo->inner.x1,
                                lo->inner.y1}
                     : (cm_box){lo->inner.x0, lo->inner.y1 - sources_h, lo->inner.x0 + legend_w,
                                lo->inner.y1};
}

void cm_sheet_plan(cm_sheet_layout *lo, cairo_t *cr, const cm_sheet *sh)
{
    const cm_map *map = sh->map;
    const double m = map->style->margin_mm * MM;
    memset(lo, 0, sizeof *lo);
    lo->n = sh->count;
    lo->inner = (cm_box){m, m, map->page_w - m, map->page_h - m};
    cm_labeler *lab = cm_labeler_new(cr, lo->inner);
    cm_control *cs = g_new0(cm_control, (size_t)sh->count);
    for (int k = 0; k < sh->count; k++)
        cs[k] = cm_control_on(map, &sh->specs[sh->first + k]);
    lo->shown = shown_places(map, cs, sh->count);
    /* what is seen depends on the panels' scale, which depends on the legend's height: first
     * the items of the whole frame at full size (the most there can be), then those seen at
     * the scale they leave, until the legend stops changing */
    lo->view[0] = map->frame[0], lo->view[1] = map->frame[1];
    lo->view[2] = map->frame[2], lo->view[3] = map->frame[3];
    lo->scale = 1;
    for (int pass = 0; pass < 3; pass++) {
        GArray *items = sheet_items(map, cs, sh->count, lo);
        gboolean same = lo->items && items->len == lo->items->len;
        cm_legend_items_free(lo->items);
        lo->items = items;
        if (same)
            break;
        g_free(lo->panels);
        place_grid(lo, cr, lab, sh);
    }
    for (int k = 0; k < sh->count; k++)
        cm_control_clear(&cs[k]);
    g_free(cs);
    cm_labeler_destroy(lab);
}

void cm_sheet_layout_clear(cm_sheet_layout *lo)
{
    g_free(lo->panels);
    g_free(lo->shown);
    cm_legend_items_free(lo->items);
    memset(lo, 0, sizeof *lo);
}

/* A name in the sheet's language, as places.c sets them: Arabic, English, or both. */
static char *place_name(const char *lang, const cm_feature *f)
{
    if (strcmp(lang, "ar") == 0 && f->name_ar)
        return g_strdup(f->name_ar);
    if (strcmp(lang, "en+ar") == 0 && f->name_ar && f->name)
        return g_strdup_printf("%s\n%s", f->name, f->name_ar);
    return g_strdup(f->name ? f->name : f->name_ar);
}

/* A called-out name's leader, from its place's symbol (radius r) to its box. */
static void draw_leader(cairo_t *cr, const cm_style *s, double x, double y, double r,
                        const cm_box *b)
{
    double e[4];
    cm_leader_ends(e, x, y, r, b);
    if (hypot(e[2] - e[0], e[3] - e[1]) < MIN_LEADER)
        return; /* the name beside its symbol: a leader would be a stray dash ("-Tripoli") */
    for (int pass = 0; pass < 2; pass++) {
        cairo_new_path(cr);
        cairo_move_to(cr, e[0], e[1]);
        cairo_line_to(cr, e[2], e[3]);
        cm_draw_set_color(cr, pass == 0 ? s->place_halo : s->place_color);
        cairo_set_line_width(cr, pass == 0 ? 1.6 : 0.5);
        cairo_stroke(cr);
    }
}

/* The panel's places: their symbols at the sheet's size over the scaled map, and their
 * names, placed in the panel's own label pass. */
static void draw_panel_places(cairo_t *cr, const cm_sheet_layout *lo, const cm_map *map,
                              const cm_control *cs, const double *p, GString *svg)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->places.layer;
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){p[0], p[1], p[0] + p[2], p[1] + p[3]});
    /* names smaller on smaller panels (a 3x2 sheet's are full size); none where they would
     * be too small to read */
    double size = PANEL_NAMES * fmin(1, lo->scale / FULL_NAMES_SCALE);
    /* names queued and placed; then the sites' icons; then the towns over them (Sirte's dot
     * over its air base's icon) */
    for (int pass = 0; pass < 3; pass++) {
        for (int i = 0; l && i < l->n; i++) {
            double x, y;
            if (!lo->shown[i] || !place_xy(map, i, &x, &y) ||
                (pass == 1 && i < map->first_site) || (pass == 2 && i >= map->first_site))
                continue;
            x = p[0] + (x - lo->view[0]) * lo->scale, y = p[1] + (y - lo->view[1]) * lo->scale;
            if (x < p[0] || y < p[1] || x > p[0] + p[2] || y > p[1] + p[3])
                continue;
            const cm_feature *f = &l->features[i];
            const cm_ledger_row *row = cs->towns[i];
            double r = i >= map->first_site ? SITE_SCALE * cm_place_radius(map, i, row)
                                            : cm_place_radius(map, i, row);
            if (pass > 0) {
                if (i >= map->first_site) {
                    cm_rgba fill = {0.55, 0.55, 0.55, 1};
                    if (row)
                        fill = cm_style_controller(s, row->status == CM_CONTESTED && row->parties
                                                          ? row->parties[0] : row->controller)->fill;
                    cm_draw_site(cr, f->kind, x, y, SITE_SCALE * s->site_size, fill,
                                 s->place_halo);
                } else {
                    cm_draw_town(cr, s, is_capital(f), x, y, row, FALSE);
                }
                cm_box b;
                if (cm_labeler_is_callout(lab, i + 1) && cm_labeler_box(&b, lab, i + 1))
                    draw_leader(cr, s, x, y, r + 0.5, &b);
                continue;
            }
            cm_labeler_block(lab, (cm_box){x - r, y - r, x + r, y + r});
            /* towns are named; a site's icon speaks for itself at this size */
            char *text = i < map->first_site && size >= MIN_NAMES ? place_name(s->lang, f) : NULL;
            if (!text)
                continue;
            cm_label_spec spec = {.text = text, .font = s->font, .size = size,
                                  .bold = is_capital(f), .color = s->place_color,
                                  .halo = s->place_halo, .halo_width = s->halo_width,
                                  .kind = CM_LABEL_POINT, .x = x, .y = y, .gap = r + 1,
                                  .priority = is_capital(f) ? 100 : 60 - 5 * MAX(f->rank, 1),
                                  .id = i + 1, .callout = TRUE,
                                  .callout_priority = is_capital(f) ? 100 : 50};
            cm_labeler_add(lab, &spec);
            g_free(text);
        }
        if (pass == 0)
            cm_labeler_place(lab);
    }
    cm_labeler_draw(lab, cr, NULL, NULL);
    if (svg) /* cairo draws SVG glyphs as shapes: the names stay searchable */
        cm_labeler_svg_text(lab, svg);
    cm_labeler_destroy(lab);
}

/* Panel k: the map frame's view scaled into its box, the places, the frame and its date. */
static void draw_panel(cairo_t *cr, const cm_sheet_layout *lo, const cm_sheet *sh, int k)
{
    const cm_map *map = sh->map;
    const cm_style *s = map->style;
    const double *p = lo->panels[k];
    const cm_page_spec *spec = &sh->specs[sh->first + k];
    cm_control cs = cm_control_on(map, spec);
    cairo_save(cr);
    cairo_rectangle(cr, p[0], p[1], p[2], p[3]);
    cairo_clip(cr);
    cairo_translate(cr, p[0], p[1]);
    cairo_scale(cr, lo->scale, lo->scale);
    cairo_translate(cr, -lo->view[0], -lo->view[1]);
    cm_draw_map_area(cr, map, &cs, sh->cache);
    cairo_restore(cr);
    cairo_save(cr);
    cairo_rectangle(cr, p[0], p[1], p[2], p[3]);
    cairo_clip(cr);
    draw_panel_places(cr, lo, map, &cs, p, sh->svg_text);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, p[0], p[1], p[2], p[3]);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){p[0], p[1] - lo->heading_h, p[0] + p[2], p[1]});
    cm_style hs = *s;
    hs.legend_size = lo->heading_size;
    char *date = cm_format_date_long(s, &spec->date);
    cm_layout_heading(cr, lab, &hs, p[0] - 3, p[1] - lo->heading_h, p[2] + 3, lo->heading_h, date);
    g_free(date);
    cm_labeler_destroy(lab);
    cm_control_clear(&cs);
}

/* The sheet's title line, legend, scale bar and sources. */
static void draw_sheet_furniture(cairo_t *cr, const cm_sheet_layout *lo, const cm_sheet *sh)
{
    const cm_map *map = sh->map;
    const cm_style *s = map->style;
    cm_labeler *lab = cm_labeler_new(cr, lo->inner);
    const char *title = map->mf->title ? map->mf->title : cm_word(s, "untitled");
    char *sub = sheet_subtitle(map, &sh->specs[sh->first], sh->count);
    PangoLayout *t = cm_labeler_layout(lab, title, s->font, s->title_size, TRUE, FALSE);
    PangoLayout *st = cm_labeler_layout(lab, sub, s->font, s->subtitle_size, FALSE, FALSE);
    PangoRectangle tr, sr;
    pango_layout_get_extents(t, NULL, &tr);
    pango_layout_get_extents(st, NULL, &sr);
    double tw = (double)tr.width / PANGO_SCALE, sw = (double)sr.width / PANGO_SCALE;
    double th = (double)tr.height / PANGO_SCALE, sth = (double)sr.height / PANGO_SCALE;
    /* the subtitle after the title on its line (before it, on an Arabic sheet), on the
     * title's baseline */
    double base = lo->inner.y0 + (double)pango_layout_get_baseline(t) / PANGO_SCALE;
    double sy = base - (double)pango_layout_get_baseline(st) / PANGO_SCALE;
    double gap = s->subtitle_size;
    gboolean m = rtl(s);
    double tx = m ? lo->inner.x1 - tw : lo->inner.x0, sx = m ? tx - gap - sw : tx + tw + gap;
    (void)th, (void)sth;
    cm_draw_set_color(cr, s->title_color);
    cairo_move_to(cr, tx - (double)tr.x / PANGO_SCALE, lo->inner.y0);
    cm_text_show(cr, t);
    cairo_move_to(cr, sx - (double)sr.x / PANGO_SCALE, sy);
    cm_text_show(cr, st);
    g_object_unref(t);
    g_object_unref(st);
    g_free(sub);

    cm_style ls = *s;
    ls.legend_size = lo->legend_size;
    cm_layout_legend_flow(cr, lab, &ls, s->legend_title, (cm_legend_item *)lo->items->data,
                          (int)lo->items->len, lo->legend.x0, lo->legend.y0,
                          lo->legend.x1 - lo->legend.x0, TRUE);
    if (lo->scalebar.x1 > lo->scalebar.x0) {
        cm_box bar;
        cm_layout_scalebar(cr, lab, &ls, sh->map->metres_per_pt / lo->scale, SCALE_TARGET,
                           lo->scalebar.x1, lo->scalebar.y1, &bar, TRUE);
    }

    /* the sources of every panel, once; briefly when in full they take more than the block */
    cm_control *cs = g_new0(cm_control, (size_t)sh->count);
    for (int k = 0; k < sh->count; k++)
        cs[k] = cm_control_on(map, &sh->specs[sh->first + k]);
    char *full = cm_sources_line_of(map, cs, sh->count, FALSE);
    char *brief = map->sources ? cm_sources_line_of(map, cs, sh->count, TRUE) : NULL;
    for (int k = 0; k < sh->count; k++)
        cm_control_clear(&cs[k]);
    g_free(cs);
    const char *credit = map->mf->credit;
    double w = lo->sources.x1 - lo->sources.x0;
    PangoLayout *l = NULL;
    for (int pass = 0; pass < 2 && (full || brief); pass++) {
        const char *text = pass == 0 || !brief ? full : brief;
        /* the credit first: the boundaries' and places' attribution must not be cut */
        char *all = credit ? g_strdup_printf("%s %s", credit, text) : g_strdup(text);
        if (l)
            g_object_unref(l);
        l = cm_labeler_layout(lab, all, s->font, lo->sources_size, FALSE, FALSE);
        g_free(all);
        pango_layout_set_width(l, (int)(w * PANGO_SCALE));
        pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
        if (pango_layout_get_line_count(l) <= SOURCE_LINES)
            break;
    }
    if (l) {
        pango_layout_set_height(l, -SOURCE_LINES);
        pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        if (pango_layout_is_ellipsized(l)) {
            /* cut short: first, where the list is in full */
            const char *where = cm_word(s, sh->notes_page ? "sources-in-full-pages"
                                                          : "sources-in-full-metadata");
            char *all = g_strdup_printf("%s %s", where, pango_layout_get_text(l));
            pango_layout_set_text(l, all, -1);
            g_free(all);
        }
        cm_rgba c = s->title_color;
        c.a *= 0.75;
        cm_draw_set_color(cr, c);
        cairo_move_to(cr, lo->sources.x0, lo->sources.y0);
        cm_text_show(cr, l);
        g_object_unref(l);
    }
    g_free(full);
    g_free(brief);
    cm_labeler_destroy(lab);
}

void cm_draw_sheet(cairo_t *cr, void *data)
{
    const cm_sheet *sh = data;
    const cm_map *map = sh->map;
    if (!sh->grid || sh->grid[0] <= 0) {
        cm_draw_page(cr, map, &sh->specs[sh->first], sh->cache, NULL);
        return;
    }
    cm_sheet_layout lo;
    cm_sheet_plan(&lo, cr, sh);
    cm_draw_set_color(cr, map->style->page_bg);
    cairo_paint(cr);
    for (int k = 0; k < sh->count; k++) {
        if (sh->cache && sh->cache->parts) {
            /* panels with the same control paint the same recorded parts, and cairo's PDF
             * lists a form once for every time it is painted in a page's /XObject
             * dictionary: the same key twice, which qpdf reports and strict readers drop the
             * page for.  Each panel is drawn into a recording of its own, painted once. */
            cairo_rectangle_t page = {0, 0, map->page_w, map->page_h};
            cairo_surface_t *cell = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
            cairo_t *cc = cairo_create(cell);
            draw_panel(cc, &lo, sh, k);
            cairo_destroy(cc);
            cairo_set_source_surface(cr, cell, 0, 0);
            cairo_paint(cr);
            cairo_surface_destroy(cell);
        } else {
            draw_panel(cr, &lo, sh, k);
        }
    }
    draw_sheet_furniture(cr, &lo, sh);
    cm_sheet_layout_clear(&lo);
}
