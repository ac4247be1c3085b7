/* conflictmap — a style: the cascade of style files, resolved. */
#ifndef CONFLICTMAP_STYLE_H
#define CONFLICTMAP_STYLE_H

#include "conflictmap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm_style cm_style;

/* Loads style files in cascade order (NULL-terminated): a key in a later file replaces the
 * same key in an earlier one.  Fails with CM_ESTYLE and "file:line: message".  *out is owned
 * by the caller: cm_style_close. */
CM_API cm_status cm_style_open(cm_style **out, const char *const *files, cm_ctx *ctx);
CM_API void cm_style_close(cm_style *style);

/* The controllers the style defines, in the order first defined. */
CM_API int cm_style_controller_count(const cm_style *style);

/* The i-th controller: its id, legend label and fill as red, green, blue, alpha in 0..1
 * (any out-parameter may be NULL).  Strings are borrowed for the style's lifetime.  Fails
 * with CM_EUSAGE when i is out of range. */
CM_API cm_status cm_style_controller_get(const char **id, const char **label, double rgba[4],
                                         const cm_style *style, int i, cm_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
