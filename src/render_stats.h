/* What a render placed where: for tests of the label engine and the page furniture. */
#ifndef CM_RENDER_STATS_H
#define CM_RENDER_STATS_H

#include "conflictmap/map.h"
#include "labels.h"

#include <glib.h>

typedef struct cm_render_stats {
    cm_box frame;
    cm_box *labels;      /* placed label boxes */
    int nlabels;
    cm_box *furniture;   /* legend, scale bar, north arrow, inset inside the frame */
    int nfurniture;
    cm_box *symbols;     /* drawn place symbols (star, dots) */
    int nsymbols;
    int unknown_glyphs;  /* glyphs no font had, over every label */
    double metres_per_pt;
    double north_angle;  /* radians clockwise from the page's up */
    GHashTable *gains;   /* change maps: gainer id (or "contested") -> ground gained, km² on
                          * the ellipsoid (a double) */
    char **item_texts;   /* the legend's entries */
    char *svg_text;      /* <text> elements for the placed labels */
    int nitems;
} cm_render_stats;

/* Lays out and draws the page on the map's date to a recording surface, filling *stats.
 * Free with cm_render_stats_clear. */
cm_status cm_map_render_stats(cm_map *map, cm_render_stats *stats, cm_ctx *ctx);
void cm_render_stats_clear(cm_render_stats *stats);

#endif
