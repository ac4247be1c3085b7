/* conflictmap — rendering a map to a file. */
#ifndef CONFLICTMAP_RENDER_H
#define CONFLICTMAP_RENDER_H

#include "conflictmap/map.h"

#include <cairo.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How to render.  Fill it with cm_render_options_init() and then set fields: the struct can
 * grow in later versions, and `size` tells the library which fields the caller knows. */
typedef struct cm_render_options {
    unsigned size; /* sizeof(cm_render_options) as the caller was built: set by _init */
    double dpi;    /* raster resolution for PNG; default 300 */
    int png_compression; /* PNG zlib level, 0 (stored) to 9 (smallest); -1: the default, 3 */
    /* Threads to draw and compress a PNG on.  1 (the default): everything runs on the
     * caller's thread; N > 1: up to N threads, started and joined within the call; 0: one
     * per core.  A series to one file a date draws its frames on them, a frame a thread, each
     * file the same as drawn in order (the callbacks still come on the caller's thread). */
    int threads;
    /* called after each page of a series with the pages done and the total; may be NULL */
    void (*progress)(int done, int total, void *data);
    void *progress_data;
    /* A series' labels keep their positions from one date to the next while they fit
     * (TRUE, the default); FALSE: each page is labelled as if alone. */
    int keep_labels;
    /* An animation (a series written to NAME.webp): frames a second, 0.1 to 50 (default 2);
     * seconds the last frame is held beyond its own time, 0 to 3600 (default 3); the frame's
     * width in pixels, 16 to 16383 (0, the default: the page at `dpi`); and the WebP
     * quality, 0 to 100 for lossy frames (-1, the default: lossless, which for a map's flat
     * colours is both exact and smaller). */
    double fps;
    double hold;
    int width;
    int quality;
    /* A series to one file a date: only the frames shard_index, shard_index + shard_count,
     * shard_index + 2 shard_count, ... (0 <= shard_index < shard_count) are written, each
     * byte-identical to the same frame of the whole series (with keep_labels, the frames
     * between are laid out, not drawn, so that labels go where they would have gone).
     * shard_count 0 or 1 (the default): every frame. */
    int shard_index, shard_count;
} cm_render_options;

/* Sets every field to its default: 300 dpi, the default PNG level, one thread; an
 * animation's 2 frames a second, a 3-second hold, lossless. */
CM_API void cm_render_options_init(cm_render_options *opts);

/* Renders the map on its current date to `path` (opts may be NULL: the defaults); the format follows the extension (.png,
 * .pdf, .svg).  The file is written beside the target and renamed into place: on failure an
 * existing file is untouched.  Fails with CM_EUSAGE (format, dpi, pixel budget, options not
 * initialised) or CM_EOUTPUT. */
CM_API cm_status cm_map_render_file(cm_map *map, const char *path, const cm_render_options *opts,
                             cm_ctx *ctx);

/* Draws the whole page — map, legend, title, sources — on the map's date into a caller's
 * cairo context, scaled to fit the rectangle (x, y, width, height, in the context's user
 * units) and centred in it, so another program can place the map in its own document.  The
 * context's state is saved and restored.  Runs on the caller's thread and starts none.  Fails with CM_EUSAGE for an empty rectangle and
 * CM_EOUTPUT when the context is in an error state afterwards. */
CM_API cm_status cm_map_render_cairo(cm_map *map, cairo_t *cr, double x, double y, double width,
                                     double height, cm_ctx *ctx);

/* Renders the map on each of `dates` ("YYYY-MM-DD"), loading and projecting nothing again:
 * into one PDF, one page a date; or, when `path` holds a strftime pattern such as
 * "frames/%Y-%m-%d.png", one file a date; or, with grid = {columns, rows}, as small multiples
 * of that many dates a page (grid may be NULL); or, when `path` ends in .webp, as an animated
 * WebP, one frame a date with the date in a caption band under the page (opts' fps, hold,
 * width, quality; grid must be NULL).  Fails like cm_map_render_file. */
CM_API cm_status cm_map_render_series(cm_map *map, const char *path, const char *const *dates, int n,
                               const int grid[2], const cm_render_options *opts, cm_ctx *ctx);

/* Writes one self-contained HTML page to `path` (.html): the map as SVG with a date slider
 * over `dates` ("YYYY-MM-DD", n of them, at most CM_SERIES_MAX_DATES), each district, town
 * and site coloured by its holder on the date shown and explained on hover, focus or tap
 * (holder, since, status, confidence, numbered sources with links), the legend, title and
 * notes following the date; each date stored as the changes since the one before.  The page
 * makes no network request.  Written atomically like cm_map_render_file; fails with
 * CM_EUSAGE (a bad date, no dates) or CM_EOUTPUT. */
CM_API cm_status cm_map_render_web(cm_map *map, const char *path, const char *const *dates, int n,
                                   const cm_render_options *opts, cm_ctx *ctx);

/* Reads back the provenance conflictmap wrote into a PNG, PDF or SVG: NULL-terminated
 * parallel arrays of names ("title", "date", "sources", "data-sha256", ...) and values, owned
 * by the caller (cm_strv_free).  Fails with
 * CM_EINPUT when the file cannot be read or carries none. */
CM_API cm_status cm_read_provenance(char ***names, char ***values, const char *path, cm_ctx *ctx);

/* Removes the temporary files of the outputs being written in this process (".NAME.XXXXXX"
 * beside each target), for the handler of a signal that is about to end the process:
 * async-signal-safe, it only unlinks.  Should the process go on instead, those renders fail
 * when they rename their file into place; existing outputs are never touched. */
CM_API void cm_output_remove_temp_files(void);

/* Frees a NULL-terminated string array returned by the library. */
CM_API void cm_strv_free(char **strv);

#ifdef __cplusplus
}
#endif
#endif
