/* conflictmap — init: a ready project for your own conflict from a boundaries layer. */
#ifndef CONFLICTMAP_INIT_H
#define CONFLICTMAP_INIT_H

#include "conflictmap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What cm_init_project() is asked for.  Set up with cm_init_options_init(), then fill in. */
typedef struct cm_init_options {
    unsigned size;          /* set by cm_init_options_init(): the fields this caller knows */
    const char *boundaries; /* the regions' layer: any OGR vector source (required) */
    const char *layer;      /* its layer by name; NULL: the first */
    const char *key;        /* the field that keys the ledger's regions (required) */
    const char *name;       /* the field of English names; NULL: the key */
    const char *name_ar;    /* the field of Arabic names; NULL: none (labels in English) */
    const char *dir;        /* the project folder; NULL: ./NAME (NAME: the boundaries' file name) */
    int force;              /* write into a folder that is not empty */
} cm_init_options;

CM_API void cm_init_options_init(cm_init_options *o);

/* Writes a project into o->dir: NAME.map, style.ini (placeholder sides), control.csv (one
 * row per region key, each "UNRECORDED", drawn as no data), sources.csv, regions.geojson,
 * border.geojson, places.csv (the bundled gazetteer's towns inside the regions),
 * neighbours.vrt and inset.vrt (the bundled world near the map, read where installed).
 * The map renders at once.  Fails with CM_EUSAGE for a folder that is not empty (unless
 * force), CM_EINPUT for a missing file, an unknown layer or field, no features or a key
 * that is empty or repeated, CM_EOUTPUT when a file cannot be written.  *map_path (when not
 * NULL) receives the map file's path, to g_free(). */
CM_API cm_status cm_init_project(char **map_path, const cm_init_options *o, cm_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
