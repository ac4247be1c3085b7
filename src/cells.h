/* Control finer than districts: the cells of towns and sites within their regions (cells.c). */
#ifndef CM_CELLS_H
#define CM_CELLS_H

#include "layer.h"

#include <glib.h>

typedef struct cm_map cm_map;

/* One place's ground: inside region `region`, inside `ring` (its Voronoi cell among the
 * region's places, convex) and within `reach` points of (x, y). */
typedef struct cm_cell {
    int region;    /* index in the regions */
    int point;     /* index in the places (a town, or a site from map->first_site on) */
    cm_ring ring;  /* on the page */
    double x, y;   /* the place on the page */
    double reach;  /* in points */
} cm_cell;

/* Fills map->cells from the projected regions and places (after map->town_keys is set). */
void cm_cells_build(cm_map *map);
void cm_cells_free(cm_map *map);

/* Whether the page point (x, y) is in the cell's ground, as drawn. */
gboolean cm_cell_contains(const cm_map *map, const cm_cell *c, double x, double y);

#endif
