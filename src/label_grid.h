/* A uniform grid over the labeler's frame: the label engine's spatial index.  Boxes (or
 * points) are filed under every cell they touch; a query visits the ids filed under the
 * cells a box touches, so a caller that tests each id exactly finds what a scan of every id
 * finds, in far less time when there are thousands (a gazetteer of 20,000 places).  Coordinates
 * outside the frame fall into its edge cells. */
#ifndef CM_LABEL_GRID_H
#define CM_LABEL_GRID_H

#include "labels.h"

#include <glib.h>

typedef struct cm_grid cm_grid;

cm_grid *cm_grid_new(cm_box frame);
void cm_grid_free(cm_grid *g);
/* Files `id` under the cells that the box (or point, x0 = x1, y0 = y1) touches, its corners
 * in any order; a box with a NaN coordinate, which overlaps nothing, is not filed. */
void cm_grid_add(cm_grid *g, cm_box box, guint id);
/* The cells a query box touches: [c0, c1] x [r0, r1]; FALSE for a box with a NaN. */
gboolean cm_grid_span(const cm_grid *g, cm_box box, int span[4]);
/* The ids filed under cell (c, r). */
const GArray *cm_grid_cell(const cm_grid *g, int c, int r);

#endif
