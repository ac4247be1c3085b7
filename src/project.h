/* Projection: from each layer's CRS into the map's CRS, then onto the page, simplified to a
 * fraction of the output's device resolution. */
#ifndef CM_PROJECT_H
#define CM_PROJECT_H

#include "conflictmap/status.h"
#include "layer.h"

typedef struct cm_projection cm_projection;

/* Fits the lon/lat `extent` (west, south, east, north) projected into `crs` inside the page
 * rectangle `frame` (x, y, width, height in points), centred, scale the same on both axes.
 * Fails with CM_ESTYLE when PROJ does not understand `crs` or the extent does not project. */
cm_status cm_projection_new(cm_projection **out, const char *crs, const double extent[4],
                            const double frame[4], cm_ctx *ctx);
void cm_projection_destroy(cm_projection *p);

/* Page position of a lon/lat point; FALSE when it does not project. */
gboolean cm_projection_lonlat_to_page(const cm_projection *p, double lon, double lat, double *x,
                                      double *y);
/* Lon/lat of a page position; FALSE when it does not project back. */
gboolean cm_projection_page_to_lonlat(const cm_projection *p, double x, double y, double *lon,
                                      double *lat);

/* Geodesic length in metres of a horizontal page segment of `len` points centred on (x, y). */
double cm_projection_ground_metres(const cm_projection *p, double x, double y, double len);

/* Projects every feature of `layer` to page points, dropping vertices closer than `tolerance`
 * points to the previous kept one.  Returns an array of layer->n shapes parallel to
 * layer->features (a shape with no rings did not project).  Owned by the caller:
 * cm_shapes_free(shapes, n). */
cm_status cm_project_layer(cm_shape **out, const cm_projection *p, const cm_layer *layer,
                           double tolerance, cm_ctx *ctx);

/* The angle, clockwise from the page's up, of true north at page point (x, y); 0 where it
 * cannot be found. */
double cm_projection_north(const cm_projection *p, double x, double y);

/* Lines of longitude and latitude every `step` degrees (at least 0.01) over the lon/lat
 * extent `e` widened by 10 degrees, densified so they curve: one open ring per run of points
 * that project.  *out is owned by the caller (cm_shape_clear). */
void cm_projection_graticule(cm_shape *out, const cm_projection *p, const double e[4], double step);

/* The page rectangle `frame` of projection `from`, traced along its edges through lon/lat
 * onto the page of `to` (an inset's): up to 400 points into *r, owned by the caller. */
void cm_projection_trace_frame(cm_ring *r, const cm_projection *from, const double frame[4],
                               const cm_projection *to);

#endif
