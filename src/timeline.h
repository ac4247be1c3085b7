/* Time-stamped features: zones of control that do not follow district borders, and front
 * lines and offensive axes.  Each has dates of validity and a source. */
#ifndef CM_TIMELINE_H
#define CM_TIMELINE_H

#include "conflictmap/status.h"
#include "layer.h"
#include "ledger.h"

typedef enum { CM_LINE_FRONT, CM_LINE_OFFENSIVE, CM_LINE_WITHDRAWAL } cm_line_kind;

typedef struct cm_timed {
    char *actor;              /* zones: the controller; lines: who moves */
    cm_control_status status; /* zones */
    char **parties;           /* zones: contesting or besieging ids; NULL otherwise */
    cm_line_kind kind;        /* lines */
    GDate from, until;        /* until is invalid (g_date_valid false) when open-ended */
    char *source, *label;     /* label may be NULL */
    long fid;
} cm_timed;

typedef struct cm_timeline {
    char *path;
    gboolean lines;  /* a lines file (kind, actor) or a zones file (controller, status) */
    cm_layer *layer; /* geometry, in the source CRS */
    cm_timed *items; /* parallel to layer->features */
} cm_timeline;

/* Loads zones (lines FALSE: fields controller, status, parties, valid_from, valid_until,
 * source, label) or lines (lines TRUE: kind, actor, valid_from, valid_until, source, label)
 * from any OGR source.  Errors name "file: feature N".  With `problems` non-NULL, bad
 * features are recorded there and skipped.  *out is owned by the caller. */
cm_status cm_timeline_load(cm_timeline **out, const char *path, gboolean lines,
                           GPtrArray *problems, cm_ctx *ctx);
/* As cm_timeline_load, from `layer` of `path` (a file or an OGR connection string; NULL:
 * its first layer); messages name the source masked (cm_datasource_name). */
cm_status cm_timeline_load_layer(cm_timeline **out, const char *path, const char *layer,
                                 gboolean lines, GPtrArray *problems, cm_ctx *ctx);
void cm_timeline_destroy(cm_timeline *tl);
/* Frees what an item owns. */
void cm_timed_clear(cm_timed *t);

/* Valid on `date`: from <= date and (no until, or date <= until). */
gboolean cm_timed_active(const cm_timed *t, const GDate *date);

/* Every actor and party must be one of the controllers' ids (NULL-terminated). */
cm_status cm_timeline_check(const cm_timeline *tl, const char *const *controllers,
                            GPtrArray *problems, cm_ctx *ctx);

#endif
