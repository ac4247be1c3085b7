/* Loading vector data through OGR into plain arrays, in the source's CRS. */
#ifndef CM_GEODATA_H
#define CM_GEODATA_H

#include "conflictmap/status.h"
#include "mapfile.h"

#include <gdal.h>
#include <ogr_api.h>
#include <glib.h>
#include <ogr_srs_api.h>

typedef struct cm_ring {
    double *xy; /* x0, y0, x1, y1, ... */
    int n;      /* points */
} cm_ring;

/* A polygon feature's rings (outer and inner together: drawn with the even-odd rule), a line
 * feature's parts, or a single point (n == 1). */
typedef struct cm_shape {
    cm_ring *rings;
    int nrings;
} cm_shape;

typedef struct cm_feature {
    char *key, *name, *name_ar, *kind; /* NULL where the layer has no such field */
    int rank;                          /* 0 where absent */
    cm_shape shape;
    long fid;
} cm_feature;

typedef struct cm_layer {
    char *path;
    cm_feature *features;
    int n;
    OGRSpatialReferenceH srs; /* the source CRS, lon/lat order; never NULL after loading */
} cm_layer;

/* Opens a vector dataset with GDAL's messages captured: a failure becomes `code` with
 * "path: GDAL's message".  Close with GDALClose. */
cm_status cm_ogr_open(GDALDatasetH *out, const char *path, const char *const *open_options,
                      cm_status code, cm_ctx *ctx);

/* Loads the first layer of spec->file.  Polygons and lines keep their rings; points keep one
 * coordinate.  Polygons are thinned, topology kept, to `simplify_m` metres (0: not at all).
 * Null or empty geometries are skipped with a warning; invalid polygons are repaired with a
 * warning.  A source without a CRS is taken as WGS 84, with a warning. */
cm_status cm_layer_load(cm_layer **out, const cm_layer_spec *spec, double simplify_m,
                        cm_ctx *ctx);
void cm_layer_destroy(cm_layer *layer);

/* GDAL messages between these calls are dropped, not printed: for reading loops whose
 * problems are found and reported by the caller's own checks. */
void cm_gdal_quiet_begin(void);
void cm_gdal_quiet_end(void);

/* Frees what a feature owns (not the feature itself). */
void cm_feature_clear(cm_feature *f);

/* A date field: a date-typed field (spreadsheets, GeoJSON), or text in YYYY-MM-DD.  FALSE
 * when empty or invalid; *text then receives the cell's text (or NULL), for the message. */
gboolean cm_ogr_field_date(OGRFeatureH f, int idx, GDate *out, char **text);

/* A field's text with surrounding blanks removed, or NULL when unset, null or blank.  The
 * caller g_free()s it. */
char *cm_ogr_field_string(OGRFeatureH f, int idx);

/* As cm_ogr_field_string; text that is not valid UTF-8 is made valid (U+FFFD for bad bytes)
 * and *not_utf8 set, when given. */
char *cm_ogr_field_text(OGRFeatureH f, int idx, gboolean *not_utf8);

#endif
