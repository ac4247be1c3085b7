/* init's choice of frame: the extent with a margin, a projection fitted to it, the inset. */
#ifndef CM_INIT_CRS_H
#define CM_INIT_CRS_H

#include <glib.h>

/* A lon/lat box: west, south, east, north.  East may exceed 180 when the box crosses the
 * antimeridian (west then lies in the eastern hemisphere). */
typedef struct {
    double box[4];
    char *crs;       /* a PROJ string, to g_free */
    const char *why; /* a static phrase naming the projection and the rule that chose it */
} cm_init_frame;

/* The map's frame for data spanning `data` (east > 180 when it crosses the antimeridian):
 * the box plus a margin, and
 *   polar stereographic when the box touches a pole or its middle is poleward of 66°;
 *   transverse Mercator on the middle meridian (UTM's scale) when the box is over twice as
 *     tall as it is wide on the ground;
 *   Mercator when the 1/6 and 5/6 parallels would straddle the equator;
 *   else Lambert conformal conic with standard parallels at 1/6 and 5/6 of the latitudes.
 * Clear with cm_init_frame_clear. */
void cm_init_frame_for(cm_init_frame *out, const double data[4]);

/* The locator inset's frame: a box around the map's several times its size (at least a
 * region of a continent), inside -180..180, projected by the same rules. */
void cm_init_inset_for(cm_init_frame *out, const double map_box[4]);

void cm_init_frame_clear(cm_init_frame *f);

/* The longitude `lon` brought into -180..180. */
double cm_init_wrap_lon(double lon);

#endif
