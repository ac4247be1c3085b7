/* Output surfaces, written to a temporary file beside the target and renamed into place, so a
 * failed run never leaves a half-written map or changes an existing one. */
#ifndef CM_OUTPUT_H
#define CM_OUTPUT_H

#include "conflictmap/status.h"
#include "provenance.h"

#include <cairo.h>
#include <glib.h>

typedef enum { CM_FORMAT_PNG, CM_FORMAT_PDF, CM_FORMAT_SVG } cm_format;

/* The format named by the file's extension (.png, .pdf, .svg, any case). */
cm_status cm_format_from_path(cm_format *out, const char *path, cm_ctx *ctx);

/* ---- the atomic writer -------------------------------------------------------------- */

/* A file being written: a temporary file beside the target (".NAME.XXXXXX", or ".cm.XXXXXX"
 * when NAME is too long to take the suffix) with the mode the target has (a new file: 0666
 * less the umask), listed for cm_output_remove_temp_files until committed or aborted.
 * Writes are buffered; the first failure is remembered and later writes dropped. */
typedef struct cm_file cm_file;

/* Creates the temporary file for `path`.  Fails with CM_EOUTPUT when it cannot be created. */
cm_status cm_file_open(cm_file **out, const char *path, cm_ctx *ctx);

/* Appends bytes (a cairo_write_func_t: `file` is the cm_file). */
cairo_status_t cm_file_write(void *file, const unsigned char *data, unsigned int length);

/* The target's path, borrowed for the file's life. */
const char *cm_file_path(const cm_file *f);

/* Whether a write has failed so far. */
gboolean cm_file_failed(const cm_file *f);

/* CM_OK if every write so far succeeded, else CM_EOUTPUT with "PATH: file too large" or
 * "PATH: write failed: REASON". */
cm_status cm_file_check(const cm_file *f, cm_ctx *ctx);

/* Flushes, fsyncs and renames the temporary file over the target; frees `f` whether or not
 * it succeeds.  On failure the target is unchanged and the temporary file removed. */
cm_status cm_file_commit(cm_file *f, cm_ctx *ctx);

/* Removes the temporary file; the target is unchanged.  Frees `f`; NULL does nothing. */
void cm_file_abort(cm_file *f);

/* ---- outputs ------------------------------------------------------------------------ */

typedef struct cm_output cm_output;

/* The largest raster accepted, in pixels (width times height). */
#define CM_PIXEL_BUDGET (200.0 * 1000 * 1000)

/* The zlib level of a PNG when none is asked for: the fastest of the levels whose files
 * are within a few percent of the smallest (see scripts/bench.sh). */
#define CM_PNG_DEFAULT_LEVEL 3

/* How a PNG is made: `dpi`; zlib `level` (0 stores, 1 fastest to 9 smallest; negative for
 * the default); `threads` to draw on (1: the caller's only; 0: one per core). */
typedef struct cm_raster {
    double dpi;
    int level;
    int threads;
} cm_raster;

/* Opens an output for a page of w x h points.  PNG is rasterised as `raster` says (ignored
 * for PDF and SVG, which are vector).  Fails with CM_EUSAGE when the raster exceeds
 * CM_PIXEL_BUDGET, CM_EOUTPUT when the target's folder is not writable. */
cm_status cm_output_begin(cm_output **out, const char *path, cm_format format, double w_pt,
                          double h_pt, const cm_raster *raster, cm_ctx *ctx);

/* PDF and SVG: the surface to draw on, borrowed until commit or abort. */
cairo_surface_t *cm_output_surface(cm_output *o);

/* Draws a whole page on `cr`, which is in page points. */
typedef void (*cm_page_draw)(cairo_t *cr, void *data);

/* PNG: draws the page with `draw` and encodes it into the file; call once, after
 * cm_output_set_provenance.  With more than one thread, `draw` is called once per
 * horizontal band, concurrently, each call clipped to its band: it must only read what it
 * shares.  Fails with CM_EOUTPUT (drawing, encoding or writing failed). */
cm_status cm_output_draw_png(cm_output *o, cm_page_draw draw, void *data, cm_ctx *ctx);

/* Where the figure comes from: PDF document information, PNG iTXt chunks, an SVG
 * <metadata> element. */
void cm_output_set_provenance(cm_output *o, const cm_provenance *p);

/* SVG only: <text> elements laid over the drawing, invisible, so that labels drawn as glyph
 * shapes are still text a reader can search and select. */
void cm_output_set_svg_text(cm_output *o, const char *elements);

/* Finishes the surface, writes it, flushes to disk and renames into place; frees `o` whether
 * or not it succeeds.  On failure the target is unchanged and the temporary file removed. */
cm_status cm_output_commit(cm_output *o, cm_ctx *ctx);

/* Discards the output: the temporary file is removed, the target unchanged.  Frees `o`;
 * NULL does nothing. */
void cm_output_abort(cm_output *o);

/* Drawing failed with `cs`: the output's own write error when a write failed first (a full
 * disk, ulimit -f: cairo then reports only "error while writing"), else the drawing's;
 * then discarded as by cm_output_abort. */
cm_status cm_output_fail(cm_output *o, cairo_status_t cs, cm_ctx *ctx);

/* The last occurrence of `needle` in binary data (NULs and all), or NULL: for the SVG writer
 * and the provenance reader. */
const char *cm_find_last(const char *hay, gsize len, const char *needle);

#endif
