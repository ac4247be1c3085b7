/* What the drawing stages share: what a page shows, control on its date, and the recordings
 * a series keeps.  control.c resolves control; areas.c, symbols.c and places.c draw and queue
 * labels; page.c puts a page together; render.c writes it. */
#ifndef CM_PAGE_H
#define CM_PAGE_H

#include "draw.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"

#include <cairo.h>
#include <glib.h>

/* What one page shows: a date, or the changes between two dates. */
typedef struct {
    GDate date;
    gboolean diff;
    GDate from; /* with diff: the earlier date */
} cm_page_spec;

/* Control on the page's date: each region's and town's row in force, and in a change map the
 * rows on the earlier date too. */
typedef struct {
    const cm_page_spec *spec;
    const cm_ledger_row **rows, **towns;           /* parallel to regions and places; NULL = none */
    const cm_ledger_row **rows_from, **towns_from; /* diff only */
    const struct cm_change *change; /* diff only: the ground cut by change (change.h), the
                                     * map's: borrowed */
} cm_control;

/* ---- control.c ---- */
/* The events the legend lists, at the most. */
#define CM_LEGEND_EVENTS 6
/* The number of each event on the page's date, in date order from 1, as the legend, the map
 * and the timeline show it; 0 for one not shown, or beyond what the legend lists.  *shown
 * receives how many are shown.  g_free() it. */
int *cm_event_numbers(const cm_map *map, const cm_control *cs, int *shown);
/* The rows in force on spec's date(s).  Free with cm_control_clear. */
cm_control cm_control_on(const cm_map *map, const cm_page_spec *spec);
void cm_control_clear(cm_control *cs);
cm_rgba cm_lighten(cm_rgba c, double k);
cm_paint cm_control_paint(const cm_style *s, const char *holder, cm_control_status status,
                          char **parties);
cm_paint cm_row_paint(const cm_style *s, const cm_ledger_row *r);
/* A change map's piece of ground (change.h): gains and new contests in full colour, the
 * unchanged muted (its holder's colour, or stripes, lightened and greyed). */
cm_paint cm_change_paint(const cm_style *s, int kind, const char *holder,
                         cm_control_status status, char **parties);
/* The legend's items (cm_legend_item, texts owned): only what the page shows.  Free with
 * cm_legend_items_free. */
GArray *cm_legend_items(const cm_map *map, const cm_control *cs);
void cm_legend_items_free(GArray *items);
/* The items of a series: those of every date's page merged (legend.c's merge), its events
 * left out (numbered afresh on each page).  Free with cm_legend_items_free. */
GArray *cm_legend_items_series(const cm_map *map, const cm_page_spec *specs, int n);
/* A page's items when a series fixes them: `fixed` (copied), then the page's own events. */
GArray *cm_legend_items_fixed(const cm_map *map, const cm_control *cs, const GArray *fixed);
/* A part of the map's page drawn scaled (a sheet's panel): `box` (page points) at `scale`,
 * drawing the symbols of only the places flagged in `places` (NULL: all). */
typedef struct {
    double box[4];
    double scale;
    const gboolean *places;
} cm_legend_view;
/* Smallest a district, cell or zone is seen (points across, scaled), and a line (its box's
 * diagonal): a contested suburb under the capital's star is not. */
#define CM_LEGEND_MIN_AREA 2.5
#define CM_LEGEND_MIN_LINE 8.0
/* The items of what the view shows, at its scale: no events, no detail frames. */
GArray *cm_legend_items_seen(const cm_map *map, const cm_control *cs, const cm_legend_view *v);
/* Adds to `items` those of `more` whose text it lacks, each after the last of its kind (a
 * detail frame's, a sheet's panels'); the texts moved are `more`'s no longer. */
void cm_legend_items_merge(GArray *items, GArray *more);
/* Legend helpers (legend.c): an item, its text owned by the items; "GNA / LNA"; the parties
 * as a set, "GNA;LNA" for LNA;GNA too (g_free both). */
void cm_legend_add(GArray *items, cm_swatch_kind kind, cm_paint paint, char *text);
char *cm_party_names(const cm_style *s, char **parties);
char *cm_party_set(char **parties);
/* ---- legend_change.c ---- */
/* A change map's ground items, then the summary of areas (main maps only). */
void cm_legend_change_items(GArray *items, const cm_map *map, const cm_control *cs);
/* A change map's towns and sites that changed hands, one ringed entry per taker. */
void cm_legend_changed_places(GArray *items, const cm_map *map, const cm_control *cs);
/* "Sources of control: A; B.", or NULL when nothing in force has a source: with a sources
 * table, numbered notes, oldest first, with titles or (brief) without.  g_free() it. */
char *cm_sources_line(const cm_map *map, const cm_control *cs, gboolean brief);
/* The source notes in force, numbered as on the map, each with its title and address: for a
 * notes page.  NULL-terminated, g_strfreev(); NULL without a sources table. */
char **cm_sources_notes(const cm_map *map, const cm_control *cs);
/* The same line for several pages at once (a sheet of small multiples): every source any of
 * the n controls cites, once, as on the last one's date.  g_free() it. */
char *cm_sources_line_of(const cm_map *map, const cm_control *cs, int n, gboolean brief);

/* Pages of the map's source notes in full (two columns a page, as many pages as they take),
 * for a PDF whose notes did not fit under the map (render.c adds them after the map's page). */
void cm_draw_notes_page(cairo_t *cr, const cm_map *map, const cm_page_spec *spec);

/* Parts of a page drawn once for a whole series: recordings that every page paints.  In a
 * PDF each becomes one form object that every page refers to, instead of the same paths
 * written, formatted and compressed again on every page. */
typedef struct cm_page_cache {
    cairo_surface_t *base, *inset;
    GHashTable *labels; /* see cm_labeler_draw */
    GHashTable *bodies; /* body key -> recording of a page body */
    GHashTable *halos;  /* label halos glyph by glyph (PDF): see cm_labeler_draw */
    GHashTable *parts;  /* pieces of page bodies, by what they show: see cm_part_begin */
    cm_label_memory *memory; /* labels' positions from page to page (labels.h); borrowed from
                              * the series, NULL for none */
    cm_label_plans *plans;   /* placements shared by a PNG's bands (labels.h); borrowed, NULL
                              * for none */
    struct cm_page_cache *details; /* each detail frame's own (its halos and memory are this
                                    * one's) */
    int ndetails;
    cairo_rectangle_t page;
    const GArray *legend; /* cm_legend_item: every page's legend but its events (an
                           * animation's, so that it holds still), borrowed; NULL: each
                           * page's own (a PDF series: each page as its date alone) */
} cm_page_cache;

/* ---- detail.c ---- */
/* On the main map: detail i's extent outlined. */
void cm_draw_detail_outline(cairo_t *cr, const cm_map *map, int i);
/* The outline's top-left corner on the main page, where its name goes. */
gboolean cm_detail_outline_corner(const cm_map *map, int i, double *x, double *y);

/* ---- page.c ---- */
/* Drawing a part of a page through the series' cache: NULL when the part (named by `key`,
 * which says everything it shows) was drawn before and has now been painted; else a context
 * to draw it on, which cm_part_end records and paints.  Without a cache, the part is drawn
 * directly. */
cairo_t *cm_part_begin(cairo_t *cr, const cm_page_cache *cache, const char *key);
void cm_part_end(cairo_t *cr, cairo_t *part, const cm_page_cache *cache, const char *key);
cm_page_cache cm_page_cache_new(const cm_map *map);
void cm_page_cache_clear(cm_page_cache *c);

/* A page body's layout, kept when asked for: the label pass and what it placed. */
typedef struct cm_page_body_s {
    cm_labeler *lab;
    GArray *furniture; /* cm_box: legend, scale bar, north arrow, inset inside the frame */
    GArray *symbols;   /* cm_box: drawn place symbols */
    GArray *items;     /* cm_legend_item */
    cm_box *details;   /* each detail frame's box on the page (heading included) */
    struct cm_page_body_s **detail_bodies; /* each detail frame's own layout */
    gboolean notes_complete; /* the source notes fitted in full under the map */
} cm_page_body;
void cm_page_body_free(cm_page_body *body);

/* ---- furniture.c ---- */
/* Where the furniture inside the frame goes, found before labels so that they avoid it. */
typedef struct {
    const char *legend_title;
    gboolean has_scale, has_inset, has_legend;
    cm_box legend, inset, scalebar, north;
    double lx, ly;        /* the legend's top-left corner */
    double sx, sy;        /* the scale bar's bottom-right corner */
    double nx, ny;        /* the north arrow's centre */
    double scale_target;  /* the scale bar's length aimed at, points */
    double legend_size;   /* the legend's text size: the style's, or less to fit the frame */
} cm_furniture_plan;

/* The raster of the regions inside the frame that `auto` placement measures (map->land). */
void cm_land_build(cm_map *map);
/* Places the inset, legend, scale bar and north arrow, and the detail frames (into
 * body->details), adds their boxes to body->furniture and blocks them for labels. */
void cm_plan_furniture(cm_furniture_plan *fp, cairo_t *cr, const cm_map *map,
                       const cm_page_spec *spec, cm_page_body *body);
/* The names of the regions the body's legend, inset and scale bar cover, "Kufra, Al Wahat"
 * (detail frames, placed by the map file, are not counted); NULL for none.  g_free() it. */
char *cm_furniture_covers(const cm_map *map, const cm_page_body *body);
/* The same for the page of `spec`, laid out but not drawn (page.c): for a warning. */
char *cm_page_furniture_covers(const cm_map *map, const cm_page_spec *spec);
/* The body's labels as SVG <text> elements, the detail frames' with them (each in a group
 * moved to its box): cairo draws SVG glyphs as shapes. */
void cm_page_body_svg_text(const cm_page_body *body, GString *svg);


/* The page's title (or a change map's, naming its two dates) and its subtitle with the date,
 * above the frame; with `ink`, where the two lines' letters are (see cm_layout_title). */
void cm_draw_title(cairo_t *cr, const cm_map *map, const cm_page_spec *spec, cm_box ink[2]);

/* Draws one page: the map as the spec says, its labels, furniture and title.  With `keep`,
 * the body is drawn afresh and its layout handed to the caller (*keep, cm_page_body_free);
 * without, a series' cache may paint a recording of the same body. */
void cm_draw_page(cairo_t *cr, const cm_map *map, const cm_page_spec *spec,
                  const cm_page_cache *cache, cm_page_body **keep);
/* The map inside the frame, under the labels: base, districts, zones, border, graticule,
 * lines (a page's, or a sheet's panel scaled into its box). */
void cm_draw_map_area(cairo_t *cr, const cm_map *map, const cm_control *cs,
                      const cm_page_cache *cache);

/* What one sheet of output shows: pages [first, first + count) of a run, one page or small
 * multiples. */
typedef struct {
    const cm_map *map;
    const cm_page_spec *specs;
    int first, count;
    const int *grid; /* columns, rows; NULL or grid[0] == 0 for one page a sheet */
    const cm_page_cache *cache;
    GString *svg_text; /* small multiples to SVG: the panels' names as <text>, or NULL */
    gboolean notes_page; /* the file ends with the source notes in full (a PDF) */
} cm_sheet;

/* ---- sheet.c ---- */
/* Where a sheet of small multiples puts things, on the sheet (the map's page size): the
 * panels, each the map frame's `view` scaled by `scale` under its date's heading, equal in
 * size and aligned in the grid; one title block, legend, scale bar and source block. */
typedef struct {
    int n;                 /* panels on this sheet */
    double (*panels)[4];   /* each panel's map frame: x, y, width, height */
    double heading_h;      /* the date's heading above each frame */
    double heading_size;   /* its type size, smaller on smaller panels */
    double view[4];        /* the part of the map's frame every panel shows, page points */
    double scale;          /* sheet points per page point */
    cm_box grid;           /* the panels with their headings and the gutters */
    cm_box inner;          /* the page inside the margins */
    double title_h;        /* the title line's height */
    cm_box legend, scalebar, sources;
    double legend_size, sources_size;
    GArray *items;         /* cm_legend_item: what any panel shows */
    gboolean *shown;       /* per place: named in the panels (capital, changed hands) */
} cm_sheet_layout;
/* Lays out the sheet `sh` (sh->grid set), measuring text on cr.  Free with
 * cm_sheet_layout_clear. */
void cm_sheet_plan(cm_sheet_layout *lo, cairo_t *cr, const cm_sheet *sh);
void cm_sheet_layout_clear(cm_sheet_layout *lo);
/* Draws one sheet: one page (no grid), or small multiples (a cairo draw callback). */
void cm_draw_sheet(cairo_t *cr, void *data);

/* ---- areas.c ---- */
void cm_draw_base(cairo_t *cr, const cm_map *map);
void cm_draw_regions(cairo_t *cr, const cm_map *map, const cm_control *cs,
                     const cm_page_cache *cache);
void cm_draw_zones(cairo_t *cr, const cm_map *map, const cm_control *cs,
                   const cm_page_cache *cache);
void cm_draw_border(cairo_t *cr, const cm_map *map, const cm_page_cache *cache);
void cm_draw_graticule(cairo_t *cr, const cm_map *map);
void cm_draw_inset(cairo_t *cr, const cm_map *map, cm_box box);
void cm_draw_logo(cairo_t *cr, const cm_map *map);
/* Which of a timeline's items are in force on `date`, as text: a part's key.  g_free() it. */
char *cm_active_key(const char *what, const cm_timeline *tl, const GDate *date);

/* ---- symbols.c ---- */
void cm_draw_lines(cairo_t *cr, const cm_map *map, const cm_control *cs,
                   const cm_page_cache *cache);
/* Labels keep off lines: small boxes along each line in force. */
void cm_block_lines(cm_labeler *lab, const cm_map *map, const cm_control *cs);
void cm_draw_town(cairo_t *cr, const cm_style *s, gboolean capital, double x, double y,
                  const cm_ledger_row *r, gboolean neutral);

/* ---- places.c ---- */
/* The radius of a place's symbol on the page, with the control shown (row, NULL for none):
 * the star, the dot (larger when coloured by a holder), the siege ring or attack mark.  What
 * labels keep clear of, and what a query counts as the town. */
double cm_place_radius(const cm_map *map, int i, const cm_ledger_row *row);
/* Whether place i is a place of the day on cs's date (changed hands in the last 30 days,
 * contested, besieged or attacked, or named by the title or an arrow): its name first. */
gboolean cm_place_of_the_day(const cm_map *map, const cm_control *cs, int i);
/* First pass (draw FALSE): queue the towns' labels and block always-shown symbols.  Second
 * pass, after placement: draw the symbols of places that are shown, their boxes in `drawn`. */
void cm_add_places(cairo_t *cr, const cm_map *map, const cm_control *cs, cm_labeler *lab,
                   gboolean draw, GArray *drawn);
void cm_add_area_labels(const cm_map *map, cm_labeler *lab, const placed_layer *pl,
                        gboolean countries);
/* The named layers (districts, towns and sites, countries) of which some name has no French
 * (no name-fr, or an empty one) on a French page, as "districts, towns": NULL when none
 * (g_free). */
char *cm_places_without_french(const cm_map *map);
/* The districts' names; in a change map each in colours that read on the fill under it
 * (light text on a dark halo over a gain's full colour). */
void cm_add_region_labels(const cm_map *map, cm_labeler *lab, const cm_control *cs);
void cm_add_sea_label(const cm_map *map, cm_labeler *lab);
/* The numbers of the events shown, beside their places (as in the legend), and, once
 * placed, a leader from each place to its number. */
#define CM_EVENT_LABEL_ID 1000000
void cm_add_event_labels(const cm_map *map, cm_labeler *lab, const cm_control *cs);
void cm_draw_event_leaders(cairo_t *cr, const cm_map *map, const cm_labeler *lab,
                           const cm_control *cs);

#endif
