/* The PNG writer, png.c (its header is not png.h, which would hide libpng's): draws a page
 * into rows and encodes them with libpng, on the caller's thread alone or, when asked for
 * more threads, drawing horizontal bands on them. */
#ifndef CM_PNG_WRITER_H
#define CM_PNG_WRITER_H

#include "output.h"

typedef struct cm_png_params {
    int width, height; /* pixels */
    double scale;      /* pixels per point */
    int level;         /* zlib level, 0 (stored) to 9 */
    int threads;       /* 1: the caller's only, none started; N > 1: up to N; 0: one per core */
    /* NULL-terminated iTXt keywords and their UTF-8 texts, borrowed; may be NULL */
    const char *const *keys, *const *texts;
} cm_png_params;

/* Draws the page with `draw` (see cm_output_draw_png) and writes it as an 8-bit RGB PNG into
 * `f`, its rows in order.  Every thread it starts is joined before it returns.  Fails with
 * CM_EOUTPUT when drawing, libpng or a write fails; `f` stays the caller's to commit or
 * abort. */
cm_status cm_png_write(cm_file *f, const cm_png_params *p, cm_page_draw draw, void *data,
                       cm_ctx *ctx);

#endif
