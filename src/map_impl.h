/* The loaded map: what cm_map_load (load.c) builds and the rendering stages read. */
#ifndef CM_MAP_IMPL_H
#define CM_MAP_IMPL_H

#include "conflictmap/map.h"
#include "cells.h"
#include "layer.h"
#include "ledger.h"
#include "mapfile.h"
#include "project.h"
#include "events.h"
#include "sources.h"
#include "style.h"
#include "timeline.h"

#include <cairo.h>
#include <glib.h>

#define MM (72.0 / 25.4)
#define TOLERANCE_PT 0.05 /* vertices closer than this on the page are dropped: 0.2 px at 300 dpi */

/* A loaded layer, its shapes on the page and, for named areas, where their names go. */
typedef struct {
    cm_layer *layer; /* features' attributes; their lon/lat geometry is dropped once projected */
    cm_shape *page;
    double *anchor;  /* x, y per feature: the interior point within the frame */
    gboolean *has_anchor;
} placed_layer;

struct cm_map {
    cm_mapfile *mf;
    cm_style *style;
    cm_ledger *ledger;
    cm_sources *sources;       /* NULL when the map file names no sources table */
    cm_events *events;         /* NULL when it names no events table; points on the page */
    placed_layer regions, neighbours, border, inset;
    placed_layer places;       /* the towns, then the sites: see first_site */
    cm_timeline *zones, *lines;
    cm_shape *zones_page, *lines_page;
    gboolean zones_on_land;    /* zones_page already cut to the border: no clip needed */
    char **town_keys;          /* "town:KEY" per place, "site:KEY" per site, NULL without a key */
    int first_site;            /* places.layer's features from here on are sites */
    cm_cell *cells;            /* the places' ground within their regions (cells.c) */
    int ncells;
    struct cm_change *change;  /* the last change map asked for (change.c), NULL for none */
    gboolean part;             /* a detail drawn inside another map's page (detail.c) */
    gboolean borrowed;         /* ledger, sources, zones and lines (not their page shapes) are the
                                * parent map's: not freed here */
    int max_rank;              /* places ranked above this are left to the detail frames */
    cairo_surface_t *land;     /* the regions rastered inside the frame (furniture.c) */
    gboolean *region_in_frame; /* per region: some of it inside the frame (the legend's) */
    cm_map **details;          /* the map file's detail frames, each a map of its own */
    int ndetails;
    cm_projection *proj;       /* lon/lat to the page */
    cm_projection *inset_proj; /* the inset's own page: origin at its top-left corner */
    cm_shape *inset_border;    /* the border layer in the inset's projection */
    double inset_size[2];      /* width, height in points */
    double page_w, page_h, frame[4];
    double strip_h;            /* the events' timeline strip under the frame; 0 for none */
    GDate date;
    gboolean has_diff_from; /* a change map from diff_from to date */
    GPtrArray *inputs;      /* every file read, NULL-terminated (not connection strings) */
    GPtrArray *read_sums;   /* of each source that is not a file, in load order: the SHA-256
                             * (hex) of what was read from it */
    double simplify_m;      /* ground metres below which polygon detail cannot show */
    char *data_sha256;      /* over each input file's SHA-256 and the read_sums, in order: a
                             * figure's fingerprint */
    GDate diff_from;
    /* what drawing needs from the projection, found at load so that drawing needs no PROJ */
    double metres_per_pt;  /* ground metres per point at the frame's centre; NAN if unknown */
    double north;          /* true north at the frame's centre, radians clockwise from up */
    double *label_xy;      /* x, y per map file label (mf->labels); NAN where it does not project */
    cm_ring inset_trace;   /* the main frame's outline in the inset's page */
    cm_shape graticule;    /* its lines on the page, when the style asks for one */
};

/* cm_map_load, collecting data problems into `problems` instead of failing on the first
 * (load.c). */
cm_status cm_map_load_checked(cm_map **out, const char *path, const cm_map_options *opts,
                              GPtrArray *problems, cm_ctx *ctx);

/* The largest rank of place a map with detail frames shows (its details show every place). */
#define CM_MAIN_MAX_RANK 4

/* Whether place i is drawn on this map (its rank is not left to a detail frame). */
static inline gboolean cm_place_on_map(const cm_map *map, int i)
{
    return map->places.layer->features[i].rank <= map->max_rank;
}

/* Whether place i is drawn on this map and inside its frame: what the legend counts. */
static inline gboolean cm_place_in_frame(const cm_map *map, int i)
{
    const cm_shape *sh = &map->places.page[i];
    const double *fr = map->frame;
    if (!cm_place_on_map(map, i) || sh->nrings == 0)
        return FALSE;
    double x = sh->rings[0].xy[0], y = sh->rings[0].xy[1];
    return x >= fr[0] && y >= fr[1] && x <= fr[0] + fr[2] && y <= fr[1] + fr[3];
}

/* A detail frame's heading strip above its map, in points. */
#define CM_DETAIL_HEADING 13.0

/* A map drawn inside another's page (a detail frame: opts->focus names it): a page of
 * size[0] x size[1] points under a heading strip, the frame filling it (load.c). */
cm_status cm_map_load_part(cm_map **out, const cm_map *parent, const char *path,
                           const cm_map_options *opts, const double size[2], GPtrArray *problems,
                           cm_ctx *ctx);

/* ---- detail.c ---- */
/* Loads map->details from the map file's [detail] groups. */
cm_status cm_details_load(cm_map *map, const char *path, const cm_map_options *opts,
                          GPtrArray *problems, cm_ctx *ctx);
void cm_details_free(cm_map *map);

/* The ledger, zones, lines and cited sources against the map's keys and the controllers' ids
 * (check.c); fills map->town_keys. */
cm_status cm_map_check_data(cm_map *map, const char *ledger, GPtrArray *problems, cm_ctx *ctx);

#endif
