/* The control ledger: one row per change of control, read through OGR (CSV, ODS, XLSX...). */
#ifndef CM_LEDGER_H
#define CM_LEDGER_H

#include "conflictmap/status.h"
#include "style.h"

#include <glib.h>

typedef enum { CM_HELD, CM_CONTESTED } cm_control_status;

typedef struct cm_ledger_row {
    GDate date;
    char *region;
    char *controller;       /* who holds it (for contested rows: the main holder) */
    cm_control_status status;
    char **parties;         /* contested: NULL-terminated ids, at least two; held: NULL */
    char *source;
    char *note;             /* may be NULL */
    int line;               /* spreadsheet line (header is line 1) */
} cm_ledger_row;

typedef struct cm_ledger {
    char *path;
    GPtrArray *rows;        /* of cm_ledger_row*, file order */
    GHashTable *by_region;  /* region -> GPtrArray of rows, sorted by date, ties in file order */
} cm_ledger;

/* Reads a ledger.  Required columns: date, region, controller, status, source; optional:
 * parties (contested rows: ids separated by ';'), note.  Errors are CM_EINPUT naming
 * "file:line".  *out is owned by the caller. */
cm_status cm_ledger_load(cm_ledger **out, const char *path, cm_ctx *ctx);
void cm_ledger_destroy(cm_ledger *ledger);

/* The row in force for `region` on `date`: its latest row on or before the date; of rows on
 * the same date, the one further down the file.  NULL when the region has none yet.
 * Borrowed for the ledger's lifetime. */
const cm_ledger_row *cm_ledger_state(const cm_ledger *ledger, const char *region,
                                     const GDate *date);

/* Checks every row against the known region keys (a set of strings) and the style's
 * controllers.  The first problem fails with CM_EINPUT "file:line: ..." and, for an unknown
 * region, the nearest known key. */
cm_status cm_ledger_check(const cm_ledger *ledger, GHashTable *regions, const cm_style *style,
                          cm_ctx *ctx);

#endif
