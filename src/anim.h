/* Animations: a series drawn frame by frame into one animated file (anim.c). */
#ifndef CM_ANIM_H
#define CM_ANIM_H

#include "conflictmap/render.h"
#include "labels.h"
#include "page.h"
#include "provenance.h"

/* Whether `path` names an animation (.webp, any case): a series then goes to anim.c. */
gboolean cm_anim_path(const char *path);

/* Draws `specs[0..n)` one frame a date, each the page with a caption band under it that
 * shows the date large, and writes them as an animated WebP to `path` (atomically: see
 * cm_file_open).  Frames last 1/opts->fps seconds; the last is held opts->hold seconds
 * longer (a longer last frame, not extra frames).  The frame is opts->width pixels wide, or
 * the page at opts->dpi.  Labels keep their places from frame to frame through `memory`
 * (borrowed; may be NULL).  Fails with CM_EUSAGE for out-of-range options or a frame too
 * large for WebP, CM_EOUTPUT when encoding or writing fails. */
cm_status cm_anim_write(const cm_map *map, const char *path, const cm_page_spec *specs, int n,
                        const cm_render_options *opts, cm_label_memory *memory, cm_ctx *ctx);

/* The provenance of a file showing specs[0..n), handed to `use` (its strings live for the
 * call): render.c's, shared with the outputs it writes. */
void cm_series_provenance(const cm_map *map, const cm_page_spec *specs, int n,
                          void (*use)(const cm_provenance *p, void *data), void *data);

#endif
