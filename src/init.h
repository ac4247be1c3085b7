/* init's parts: the regions read from the user's layer, and the writers of the project. */
#ifndef CM_INIT_IMPL_H
#define CM_INIT_IMPL_H

#include "conflictmap/init.h"
#include "init_crs.h"

#include <glib.h>
#include <ogr_api.h>

/* One region of the user's layer, in WGS 84 lon/lat. */
typedef struct {
    char *key, *name_en, *name_ar; /* name_ar NULL without --name-ar */
    OGRGeometryH geom;
} cm_init_region;

/* What init knows once the layer is read: everything the writers need. */
typedef struct {
    const cm_init_options *o;
    char *name;         /* the project's name: the boundaries' file name without its suffix */
    char *dir;          /* the project folder */
    char *data_dir;     /* the bundled data's geodata folder (holds world/) */
    GPtrArray *regions; /* of cm_init_region, in the layer's order */
    OGRGeometryH all;   /* the union of the regions */
    double data[4];     /* the regions' lon/lat box; east > 180 across the antimeridian */
    int outlying;       /* small far parts left out of data[] */
    char **exclude;     /* world country keys the regions stand for (not drawn as neighbours) */
    char *title;        /* the one such country's name, else the project's name */
    cm_init_frame map, inset;
    int nplaces;        /* towns written to places.csv */
} cm_init_project_data;

/* The writers (init_write.c): each writes one file into p->dir, atomically; CM_EOUTPUT with
 * "path: reason" when it cannot. */
cm_status cm_init_write_regions(const cm_init_project_data *p, cm_ctx *ctx);
cm_status cm_init_write_ledgers(const cm_init_project_data *p, const char *date, cm_ctx *ctx);
/* *n receives the number of places written (0: the map file names no places). */
cm_status cm_init_write_places(const cm_init_project_data *p, int *n, cm_ctx *ctx);
cm_status cm_init_write_world(const cm_init_project_data *p, cm_ctx *ctx);
cm_status cm_init_write_style(const cm_init_project_data *p, cm_ctx *ctx);
cm_status cm_init_write_map(char **path, const cm_init_project_data *p, const char *date,
                            cm_ctx *ctx);

/* Writes `text` to DIR/NAME atomically. */
cm_status cm_init_write_text(const cm_init_project_data *p, const char *name, const char *text,
                             cm_ctx *ctx);

/* `text` as one CSV cell: quoted when it holds a comma, a quote or a line break. */
void cm_init_csv_cell(GString *out, const char *text);

#endif
