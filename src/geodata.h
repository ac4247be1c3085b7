/* Loading vector data through OGR into plain arrays, in the source's CRS. */
#ifndef CM_GEODATA_H
#define CM_GEODATA_H

#include "conflictmap/status.h"
#include "datasource.h"
#include "layer.h"
#include "mapfile.h"

#include <gdal.h>
#include <ogr_api.h>
#include <glib.h>
#include <ogr_srs_api.h>

/* Loads spec->layer of spec->file (a path or a connection string; its first layer when
 * spec->layer is NULL).  Polygons and lines keep their rings; points keep one
 * coordinate.  Polygons are thinned, topology kept, to `simplify_m` metres (0: not at all).
 * Null or empty geometries are skipped with a warning; invalid polygons are repaired with a
 * warning.  Geometry that cannot be drawn (coordinates not numbers or off the globe, open
 * rings, one-point lines) is skipped: a problem "path: feature N ..." in `problems` when
 * given (a check), else a warning.  A source without a CRS is taken as WGS 84, with a warning.
 * The layer's path is the source's name in messages (cm_datasource_name); for a source that
 * is not a file, its read_sha256 sums the features as read. */
cm_status cm_layer_load(cm_layer **out, const cm_layer_spec *spec, double simplify_m,
                        GPtrArray *problems, cm_ctx *ctx);
/* The same, reading only the features whose bounding box meets `within` (lon/lat: west,
 * south, east, north; NULL: all), for a detail frame; none meeting it is not an error. */
cm_status cm_layer_load_within(cm_layer **out, const cm_layer_spec *spec, double simplify_m,
                               const double within[4], GPtrArray *problems, cm_ctx *ctx);

/* A date field: a date-typed field (spreadsheets, GeoJSON), or text in YYYY-MM-DD.  FALSE
 * when empty or invalid; *text then receives the cell's text (or NULL), for the message. */
gboolean cm_ogr_field_date(OGRFeatureH f, int idx, GDate *out, char **text);

/* A field's text with surrounding blanks removed, or NULL when unset, null or blank.  The
 * caller g_free()s it. */
char *cm_ogr_field_string(OGRFeatureH f, int idx);

/* As cm_ogr_field_string; text that is not valid UTF-8 is made valid (U+FFFD for bad bytes)
 * and *not_utf8 set, when given. */
char *cm_ogr_field_text(OGRFeatureH f, int idx, gboolean *not_utf8);

/* Cuts each of the n page shapes to the area of the `nmask` mask shapes (rings combined
 * even-odd, as drawn), through GEOS, replacing *shapes.  FALSE, shapes untouched, when GEOS
 * cannot (the caller then clips when drawing). */
gboolean cm_shapes_cut_to(cm_shape **shapes, int n, const cm_shape *mask, int nmask);

#endif
