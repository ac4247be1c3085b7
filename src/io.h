/* Everything that reads data through GDAL/OGR or projects through PROJ sits behind this one
 * table.  The shared library loads it from a module (conflictmap-io.so, beside the library)
 * the first time it is needed: linking GDAL costs a process some 35 ms before main, and a
 * render from the load cache needs none of it.  The static library calls it directly. */
#ifndef CM_IO_H
#define CM_IO_H

#include "conflictmap/status.h"
#include "ledger.h"
#include "project.h"

#include <glib.h>

#define CM_IO_ABI 3

typedef struct cm_map cm_map;

typedef struct cm_io_api {
    unsigned abi;       /* CM_IO_ABI */
    size_t map_size;    /* sizeof(struct cm_map) where the module was built */
    const char *version;
    /* Fills the map's geography: projections, layers on the page, inset, and what drawing
     * needs from PROJ (scale, north, sea label, inset trace, graticule). */
    cm_status (*load_geo)(cm_map *map, cm_ctx *ctx);
    /* Fills what changes over time: the ledger, zones (cut to the border, whose page shapes
     * must be there) and lines.  With `problems`, as cm_ledger_load.  Lon/lat geometry is
     * dropped once projected. */
    cm_status (*load_time)(cm_map *map, const char *ledger, GPtrArray *problems, cm_ctx *ctx);
    cm_status (*ledger_load)(cm_ledger **out, const char *path, GPtrArray *problems, cm_ctx *ctx);
    cm_status (*projection_new)(cm_projection **out, const char *crs, const double extent[4],
                                const double frame[4], cm_ctx *ctx);
    void (*projection_destroy)(cm_projection *p);
    gboolean (*lonlat_to_page)(const cm_projection *p, double lon, double lat, double *x, double *y);
    gboolean (*page_to_lonlat)(const cm_projection *p, double x, double y, double *lon, double *lat);
} cm_io_api;

/* The table, loading the module on first use; NULL, with the reason in ctx, when it cannot
 * be loaded (ctx may be NULL). */
const cm_io_api *cm_io(cm_ctx *ctx);

#endif
