/* The style cascade: several key files, later keys win, resolved once into typed values. */
#ifndef CM_STYLE_H
#define CM_STYLE_H

#include "conflictmap/status.h"

#include <glib.h>

typedef struct cm_rgba {
    double r, g, b, a;
} cm_rgba;

/* An overlay drawn on a controller's fill, so areas differ in print without colour. */
typedef enum { CM_PATTERN_SOLID, CM_PATTERN_DOTS, CM_PATTERN_LINES } cm_pattern;

typedef struct cm_controller {
    char *id;    /* as in the ledger, e.g. "GNA" */
    char *label; /* legend text */
    cm_pattern pattern;
    cm_rgba pattern_color;
    char *short_label; /* in compound legend entries ("Contested: GNA / LNA"); the id by default */
    char *by_en;       /* the style's English `by`, or NULL */
    char *by_label;    /* after "by" ("Town held by local forces", "tenue par des forces
                        * locales"): the key `by` in the edition's language, else short */
    cm_rgba fill;
} cm_controller;

/* Every value the renderer reads from a style, already parsed and range-checked. */
typedef struct cm_style {
    cm_rgba page_bg;
    double margin_mm;
    char *font;
    cm_rgba sea_fill, sea_label;
    cm_rgba nb_fill, nb_stroke, nb_label;
    double nb_width, nb_label_size;
    cm_rgba rg_stroke, rg_label, rg_label_halo;
    double rg_width, rg_label_size;
    cm_rgba border_stroke;
    double border_width;
    cm_rgba unknown_fill;
    char *unknown_label;
    char *contested_label;
    double hatch_width, hatch_angle;
    cm_rgba place_color, place_halo;
    double halo_width, capital_size, city_size, town_size, minor_size, dot, star;
    char *lang; /* "en", "ar", "fr" or "en+ar" (names in both, other words in English) */
    double title_size, subtitle_size;
    cm_rgba title_color;
    double legend_size;
    double site_size; /* a site's icon, points across */
    char *legend_title;
    /* cm_corners (mapfile.h), or -1: auto, the corner covering the least of the regions */
    int legend_corner, inset_corner, scale_corner;
    cm_rgba legend_bg, legend_border, frame_color;
    cm_rgba event_color; /* events' numbers on the map and in the legend */
    gboolean north_arrow;
    gboolean graticule;
    double graticule_step, graticule_width;
    cm_rgba graticule_color;
    gboolean inset;
    double inset_width; /* fraction of the frame's width */
    cm_rgba inset_sea, inset_land, inset_highlight, inset_extent;
    char *logo;         /* a PNG, resolved against its style file; NULL for none */
    double logo_height; /* mm */
    GPtrArray *controllers; /* of cm_controller*, in the order first defined */
    GHashTable *words;         /* [words] and the key[lang] translations: words.c */
    GHashTable *words_missing; /* words used without a translation since the last report */
} cm_style;

/* Loads `files` (NULL-terminated) in order; a key in a later file replaces the same key in an
 * earlier one.  Values are validated where they are defined: errors are CM_ESTYLE with
 * "file:line: ...".  Unknown groups and keys are warnings.  *out is owned by the caller. */
cm_status cm_style_load(cm_style **out, const char *const *files, cm_ctx *ctx);
void cm_style_destroy(cm_style *style);

/* The controller with this id, or NULL.  Borrowed for the style's lifetime. */
const cm_controller *cm_style_controller(const cm_style *style, const char *id);

/* The footer's type: its size in points and the lines the sources may take. */
#define CM_FOOTER_SIZE 6.5
#define CM_FOOTER_LINES 5

/* The map frame (x, y, width, height in points) on a page of page_w x page_h points, as the
 * style's margins leave it with room for the title block above, a strip of `strip` points
 * (the events' timeline; 0 for none) and the sources below.  The projection fits the extent
 * into it at load; the furniture is placed around it. */
void cm_style_frame(const cm_style *s, double page_w, double page_h, double strip,
                    double frame[4]);

/* The height of the events' timeline strip under the frame. */
#define CM_TIMELINE_STRIP 18.0

#endif
