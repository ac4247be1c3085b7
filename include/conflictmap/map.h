/* conflictmap — a map: a map file with its styles, geodata and control ledger, loaded once
 * and rendered for any date. */
#ifndef CONFLICTMAP_MAP_H
#define CONFLICTMAP_MAP_H

#include "conflictmap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm_map cm_map;

/* How to load a map.  Fill it with cm_map_options_init() and then set fields: the struct can
 * grow in later versions, and `size` tells the library which fields the caller knows. */
typedef struct cm_map_options {
    unsigned size;             /* sizeof(cm_map_options) as the caller was built: set by _init */
    const char *const *styles; /* extra style files on top of the map's, NULL-terminated; may be NULL */
    const char *control;       /* a ledger replacing the map's; may be NULL */
    const char *focus;         /* a [detail NAME] of the map file drawn as the whole page: its
                                * extent and title replace the map's; NULL for the whole map */
} cm_map_options;

/* Sets every field to its default (no extra styles, the map's own ledger). */
CM_API void cm_map_options_init(cm_map_options *opts);

/* Loads the map file at `path` and everything it names: styles (the map's, then
 * opts->styles), geodata and the ledger, projected onto the page once and kept in memory for
 * every render of this map; nothing is written anywhere.  opts may be NULL.  Fails with
 * CM_ESTYLE (map or style file), CM_EINPUT (data) and a message naming file and line.
 * *out is owned by the caller: cm_map_destroy. */
CM_API cm_status cm_map_load(cm_map **out, const char *path, const cm_map_options *opts, cm_ctx *ctx);
CM_API void cm_map_destroy(cm_map *map);

/* Validates everything the map file names without stopping at the first problem: map and
 * style files, geodata, the ledger (unknown keys with the nearest known ones, unknown
 * controllers and statuses, bad dates, rows out of date order), zones and lines.  Returns
 * CM_OK when all is well; otherwise an error, with every problem, as "file:line: message",
 * in cm_ctx_problems() and repaired geometry in cm_ctx_warnings(). */
CM_API cm_status cm_map_check(const char *path, const cm_map_options *opts, cm_ctx *ctx);

/* The date the map shows, "YYYY-MM-DD".  Fails with CM_EUSAGE for an invalid date. */
CM_API cm_status cm_map_set_date(cm_map *map, const char *date, cm_ctx *ctx);

/* Makes the map a change map: what changed hands between `from` and the map's date,
 * coloured by who gained it.  NULL turns it back into a map of control.  Fails with
 * CM_EUSAGE for a bad date or one not before the map's date. */
CM_API cm_status cm_map_set_diff_from(cm_map *map, const char *from, cm_ctx *ctx);

/* Label language: "en", "ar" or "en+ar" (both, English above).  Fails with CM_EUSAGE. */
CM_API cm_status cm_map_set_lang(cm_map *map, const char *lang, cm_ctx *ctx);

/* Writes the current date into buf (at least 11 bytes). */
CM_API void cm_map_get_date(char buf[11], const cm_map *map);

/* The page size in points. */
CM_API void cm_map_page_size(double *width, double *height, const cm_map *map);

/* Page position in points of a lon/lat point.  Fails with CM_EUSAGE when the point does not
 * project (outside -180..180 / -90..90, not finite, or outside the projection's domain). */
CM_API cm_status cm_map_lonlat_to_page(double *x, double *y, const cm_map *map, double lon,
                                       double lat, cm_ctx *ctx);

/* Lon/lat of a page position in points.  Fails with CM_EUSAGE when it does not project back. */
CM_API cm_status cm_map_page_to_lonlat(double *lon, double *lat, const cm_map *map, double x,
                                       double y, cm_ctx *ctx);

/* What decided a query's answer (see cm_map_query). */
typedef enum cm_query_by {
    CM_QUERY_TOWN,   /* a town: its symbol, or the ground its row decides (its cell) */
    CM_QUERY_ZONE,   /* a zone in force */
    CM_QUERY_REGION, /* a region (district) */
    CM_QUERY_SITE    /* a site (oil field, terminal, air base...): its symbol or its cell */
} cm_query_by;

/* Who held a point on the map's date.  Strings are borrowed from the map and valid until
 * cm_map_destroy(). */
typedef struct cm_query_result {
    cm_query_by by;
    const char *key;    /* the region's, town's or site's key ("tripoli"); NULL for a zone */
    long zone;          /* the zone's feature id; -1 for a town or a region */
    const char *label;  /* the zone's label, the region's or town's name; may be NULL */
    const char *holder; /* a controller id; NULL when the region has no ledger row yet */
    const char *status; /* "held", "contested", "besieged" or "claimed"; NULL with holder */
    const char *source; /* the row's or zone's source as stored; NULL with holder */
    int symbol;         /* a town's or site's symbol covers the point (step 1 below) */
} cm_query_result;

/* Who held the point lon/lat on the map's date, decided from the geometry the map draws
 * (page shapes after projection, clipping and simplification) and the ledger row or zone
 * the renderer paints there, in this order:
 *   1. a town or site with a ledger row on the date whose symbol covers the point: within
 *      the radius the renderer gives the symbol on the page (the star's, or the dot's and
 *      its halo, plus the siege ring when besieged); of several, the one drawn last (on top);
 *   2. a zone in force on the date whose shape, cut to the national border, holds the
 *      point; of several, the one drawn last (on top);
 *   3. the cell of a town or site with a row on the date that holds the point: the part of
 *      its region nearer to it than to the region's other places, within its reach (the
 *      map file's [places] or [sites] `reach`);
 *   4. the region whose shape holds the point (even-odd, as filled).
 * The map's control on its date is answered even when it is set to a change map.  Labels,
 * lines and the legend, scale bar and inset drawn over the map are not considered.
 * Fails with CM_EUSAGE when the point does not project (see cm_map_lonlat_to_page) and with
 * CM_EINPUT when it lies outside the frame or outside every region: the map says nothing
 * there.  *out is untouched on failure. */
CM_API cm_status cm_map_query(cm_query_result *out, const cm_map *map, double lon, double lat,
                              cm_ctx *ctx);

/* What a change map shows at a point (see cm_map_query_change).  Strings are borrowed from
 * the map and valid until cm_map_destroy(). */
typedef struct cm_change_result {
    const char *change; /* "gained", "contested" (newly) or "unchanged" */
    const char *holder; /* on the map's date: a controller id; NULL for no data */
    const char *before; /* on the earlier date (cm_map_set_diff_from); NULL for no data */
    cm_query_by by;     /* what decided the later date's state there */
    const char *key;    /* the region's, town's or site's key; NULL for a zone */
    long zone;          /* the zone's feature id; -1 for a town, site or region */
    int symbol;         /* the ringed symbol of a town or site that changed hands covers it */
} cm_change_result;

/* What the change map from the earlier date to the map's date paints at lon/lat, from the
 * same pieces of ground the page draws: first a town or site that changed hands whose
 * symbol and ring cover the point, then the piece of district, cell or zone holding it.
 * Fails with CM_EUSAGE when no earlier date is set or the point does not project, and with
 * CM_EINPUT outside the frame or every region.  *out is untouched on failure. */
CM_API cm_status cm_map_query_change(cm_change_result *out, const cm_map *map, double lon,
                                     double lat, cm_ctx *ctx);

/* Every file the map reads (map file, styles, ledger, layers), NULL-terminated.  Borrowed
 * for the map's lifetime. */
CM_API const char *const *cm_map_input_files(const cm_map *map);

/* The bundled default map file (a path inside the installed data or the source tree). */
CM_API const char *cm_default_map_path(void);

#ifdef __cplusplus
}
#endif
#endif
