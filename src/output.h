/* Output surfaces, written to a temporary file beside the target and renamed into place, so a
 * failed run never leaves a half-written map or changes an existing one. */
#ifndef CM_OUTPUT_H
#define CM_OUTPUT_H

#include "conflictmap/status.h"

#include <cairo.h>
#include <glib.h>
#include <stdint.h>

typedef enum { CM_FORMAT_PNG, CM_FORMAT_PDF, CM_FORMAT_SVG } cm_format;

/* The format named by the file's extension (.png, .pdf, .svg, any case). */
cm_status cm_format_from_path(cm_format *out, const char *path, cm_ctx *ctx);

typedef struct cm_output cm_output;

/* The largest raster accepted, in pixels (width times height). */
#define CM_PIXEL_BUDGET (200.0 * 1000 * 1000)

/* The zlib level of a PNG when none is asked for: the fastest of the levels whose files
 * are within a few percent of the smallest (see scripts/bench.sh). */
#define CM_PNG_DEFAULT_LEVEL 3

/* Opens an output for a page of w x h points.  PNG is rasterised at `dpi` and compressed at
 * zlib level `png_level` (0 stores, 1 fastest to 9 smallest; negative for the default);
 * PDF and SVG are vector.  Fails with CM_EUSAGE when the raster exceeds CM_PIXEL_BUDGET,
 * CM_EOUTPUT when the target's folder is not writable. */
cm_status cm_output_begin(cm_output **out, const char *path, cm_format format, double w_pt,
                          double h_pt, double dpi, int png_level, cm_ctx *ctx);

/* PDF and SVG: the surface to draw on, borrowed until commit or abort. */
cairo_surface_t *cm_output_surface(cm_output *o);

/* PNG: draws the page with `draw`, which gets a cairo context in page points and draws the
 * whole page.  It is called once per horizontal band of the image, concurrently on several
 * threads, each clipped to its band: it must only read what it shares.  Returns the first
 * drawing error. */
typedef void (*cm_page_draw)(cairo_t *cr, void *data);

/* A PNG row after its filter byte: RGB, each byte less the one above (none: as is), from
 * xRGB pixels; the plain loop and, where the CPU has SSSE3, the vector one (FALSE when it
 * cannot run).  For tests; out holds 3 w bytes after out[0]. */
void cm_png_filter_plain(unsigned char *out, const uint32_t *px, const uint32_t *above, int w);
gboolean cm_png_filter_fast(unsigned char *out, const uint32_t *px, const uint32_t *above, int w);
cairo_status_t cm_output_draw_png(cm_output *o, cm_page_draw draw, void *data);

/* Where a figure comes from, written into every format: PDF document information, PNG text
 * chunks, an SVG <metadata> element.  Strings are copied; any may be NULL. */
typedef struct cm_provenance {
    const char *title, *subject, *keywords, *creator;
    const char *date;    /* the map's date, YYYY-MM-DD */
    const char *created; /* ISO 8601, pinned: the same inputs give the same bytes */
    const char *sources; /* the source line */
    const char *data_sha256;
} cm_provenance;

void cm_output_set_provenance(cm_output *o, const cm_provenance *p);

/* SVG only: <text> elements laid over the drawing, invisible, so that labels drawn as glyph
 * shapes are still text a reader can search and select. */
void cm_output_set_svg_text(cm_output *o, const char *elements);

/* Finishes the surface, writes it, flushes to disk and renames into place; frees `o` whether
 * or not it succeeds.  On failure the target is unchanged and the temporary file removed. */
cm_status cm_output_commit(cm_output *o, cm_ctx *ctx);

/* Discards the output: the temporary file is removed, the target unchanged.  Frees `o`. */
void cm_output_abort(cm_output *o);

#endif
