/* The map file: which data, which styles, what extent, projection, page and title. */
#ifndef CM_MAPFILE_H
#define CM_MAPFILE_H

#include "conflictmap/status.h"

#include <glib.h>

/* One vector source and the names of the fields the renderer reads from it.
 * A field name is NULL when the map file does not give one. */
typedef struct cm_layer_spec {
    char *file;  /* a path, resolved against the map file's folder, or an OGR connection
                  * string, untouched (cm_datasource_is_file); NULL if the layer is absent */
    char *layer; /* the layer's name; NULL: the source's first (its only) layer */
    char *key, *name, *name_ar, *kind, *rank;
    char *name_fr; /* the field of French names (Natural Earth's NAME_FR, iso-codes') */
    double reach_km; /* places and sites: how far a point's control reaches (see cells.c) */
    int line;   /* line of the group header, for messages */
} cm_layer_spec;

/* The page sizes accepted, each side, in millimetres. */
#define CM_PAGE_MIN_MM 10.0
#define CM_PAGE_MAX_MM 5000.0

/* A detail frame, [detail NAME]: a part of the map drawn larger in a box on the page (or,
 * with --focus NAME, as the whole page). */
typedef enum { CM_CORNER_TOP_LEFT, CM_CORNER_TOP_RIGHT, CM_CORNER_BOTTOM_LEFT,
               CM_CORNER_BOTTOM_RIGHT } cm_corner;

typedef struct cm_detail {
    char *name;        /* NAME of the group */
    char *title;       /* its heading; the name when the group gives none */
    double extent[4];  /* lon/lat box: west, south, east, north */
    cm_corner corner;  /* the corner of the main frame it sits in */
    double width_mm;   /* its box's width on the main page; the height follows the extent */
    int line;          /* the group header's line, for messages */
} cm_detail;

/* A name set on the map where the file says: a sea, a gulf, a desert ([map] sea-label, or a
 * [label NAME] group). */
typedef struct cm_map_label {
    char *text, *text_ar, *text_fr; /* text_ar, text_fr NULL when none */
    double at[2];         /* lon, lat */
} cm_map_label;

typedef struct cm_mapfile {
    char *path;
    char *title, *subtitle, *credit;
    cm_map_label *labels;  /* [map]'s sea-label first, then the [label NAME] groups */
    int nlabels;
    GDate date;            /* invalid (g_date_valid false) when the map names none */
    char *crs;
    double extent[4];      /* west, south, east, north in degrees */
    double page_w_mm, page_h_mm;
    char **styles;         /* resolved paths, NULL-terminated, in cascade order */
    cm_layer_spec regions, neighbours, border, places;
    cm_layer_spec sites;     /* oil fields, terminals, air bases...: file NULL when none */
    cm_detail *details;      /* in the file's order */
    int ndetails;
    cm_layer_spec inset;     /* countries for the locator inset; file NULL when none */
    double inset_extent[4];  /* lon/lat box the inset shows */
    char *inset_crs;         /* the inset's CRS; the map's when the map file names none */
    char *control;         /* the ledger: a resolved path or a connection string */
    char *zones, *lines;   /* zones and lines, likewise; NULL when none */
    char *sources;         /* the sources table rows cite by id; NULL: sources are free text */
    char *events;          /* the events table; NULL when none */
    /* the `layer` of [control], [zones], [lines], [sources], [events]; NULL: the first */
    char *control_layer, *zones_layer, *lines_layer, *sources_layer, *events_layer;
    GHashTable *words; /* title, subtitle, credit, details' titles and their [lang]: words.c */
} cm_mapfile;

/* Reads and validates a map file.  Errors are CM_ESTYLE with "file:line: ...".  Unknown
 * keys are warnings.  *out is owned by the caller (cm_mapfile_destroy). */
cm_status cm_mapfile_load(cm_mapfile **out, const char *path, cm_ctx *ctx);
void cm_mapfile_destroy(cm_mapfile *mf);

/* Parses a page name ("A4-landscape", "letter-portrait", "420x297mm") into millimetres. */
gboolean cm_parse_page(const char *text, double *w_mm, double *h_mm);

#endif
