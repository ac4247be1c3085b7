/* conflictmap — rendering a map to a file. */
#ifndef CONFLICTMAP_RENDER_H
#define CONFLICTMAP_RENDER_H

#include "conflictmap/map.h"

#include <cairo.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm_render_options {
    double dpi; /* raster resolution for PNG; 0 means 300 */
    /* PNG zlib level plus one: 1 (level 0, stored) to 10 (level 9, smallest); 0 means the
     * default (level 3; larger values are taken as 10) */
    int png_compression;
    /* called after each page of a series with the pages done and the total; may be NULL */
    void (*progress)(int done, int total, void *data);
    void *progress_data;
} cm_render_options;

/* Renders the map on its current date to `path`; the format follows the extension (.png,
 * .pdf, .svg).  The file is written beside the target and renamed into place: on failure an
 * existing file is untouched.  Fails with CM_EUSAGE (format, dpi, pixel budget) or
 * CM_EOUTPUT. */
CM_API cm_status cm_map_render_file(cm_map *map, const char *path, const cm_render_options *opts,
                             cm_ctx *ctx);

/* Draws the whole page — map, legend, title, sources — on the map's date into a caller's
 * cairo context, scaled to fit the rectangle (x, y, width, height, in the context's user
 * units) and centred in it, so another program can place the map in its own document.  The
 * context's state is saved and restored.  Fails with CM_EUSAGE for an empty rectangle and
 * CM_EOUTPUT when the context is in an error state afterwards. */
CM_API cm_status cm_map_render_cairo(cm_map *map, cairo_t *cr, double x, double y, double width,
                                     double height, cm_ctx *ctx);

/* Renders the map on each of `dates` ("YYYY-MM-DD"), loading and projecting nothing again:
 * into one PDF, one page a date; or, when `path` holds a strftime pattern such as
 * "frames/%Y-%m-%d.png", one file a date; or, with grid = {columns, rows}, as small multiples
 * of that many dates a page (grid may be NULL).  Fails like cm_map_render_file. */
CM_API cm_status cm_map_render_series(cm_map *map, const char *path, const char *const *dates, int n,
                               const int grid[2], const cm_render_options *opts, cm_ctx *ctx);

/* Reads back the provenance conflictmap wrote into a PNG, PDF or SVG: NULL-terminated
 * parallel arrays of names ("title", "date", "sources", "data-sha256", ...) and values, owned
 * by the caller (cm_strv_free).  Fails with
 * CM_EINPUT when the file cannot be read or carries none. */
CM_API cm_status cm_read_provenance(const char *path, char ***names, char ***values, cm_ctx *ctx);

/* Frees a NULL-terminated string array returned by the library. */
CM_API void cm_strv_free(char **strv);

#ifdef __cplusplus
}
#endif
#endif
