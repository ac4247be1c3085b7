/* Vector data as plain arrays: rings, shapes, features, layers.  What the loader (geodata.c,
 * through OGR) produces and the renderer draws; nothing here needs GDAL. */
#ifndef CM_LAYER_H
#define CM_LAYER_H

#include <glib.h>

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
    char *name_fr;                     /* likewise */
    int rank;                          /* 0 where absent */
    cm_shape shape;
    long fid;
} cm_feature;

typedef struct cm_layer {
    char *path;               /* the source's name in messages: credentials masked */
    cm_feature *features;
    int n;
    void *srs;                /* the loader's source CRS (an OGRSpatialReferenceH, lon/lat order) */
    void (*srs_free)(void *); /* how to free srs */
    char read_sha256[65];     /* a source that is not a file: SHA-256 of what was read, hex;
                               * "" for a file (its bytes are hashed instead) */
} cm_layer;

/* Frees a shape's rings (not the shape itself), leaving it empty. */
void cm_shape_clear(cm_shape *s);
/* Frees what a feature owns (not the feature itself). */
void cm_feature_clear(cm_feature *f);
void cm_layer_destroy(cm_layer *layer);
/* Frees an array of n shapes and their rings. */
void cm_shapes_free(cm_shape *shapes, int n);

/* The one simplifier (Douglas-Peucker): thins a line or ring of n points (x, y interleaved)
 * in place so that no dropped point lies further than `tol` from the line kept; returns the
 * number of points kept.  The first and last points stay, so a closed ring stays closed.
 * Used on source coordinates at load (geodata.c), on page points after projection
 * (project.c) and for label anchors (load.c). */
int cm_ring_simplify(double *xy, int n, double tol);

/* Whether (x, y) is inside a polygon shape by the even-odd rule over all its rings, as cairo
 * fills it (CAIRO_FILL_RULE_EVEN_ODD): a hole is outside, and so is the overlap of two outer
 * rings.  FALSE for an empty shape.  Used by cm_interior_point and by queries (query.c). */
gboolean cm_shape_contains(const cm_shape *shape, double x, double y);

/* The interior point of a polygon shape farthest from its edges (pole of inaccessibility),
 * found by a grid search refined around the best cell.  FALSE for an empty shape. */
gboolean cm_interior_point(const cm_shape *shape, double *x, double *y);

#endif
