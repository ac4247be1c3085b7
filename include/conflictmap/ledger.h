/* conflictmap — a control ledger: who held what, from which date, on whose word. */
#ifndef CONFLICTMAP_LEDGER_H
#define CONFLICTMAP_LEDGER_H

#include "conflictmap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cm_ledger cm_ledger;

/* Reads a ledger (CSV, ODS, XLSX: columns date, region, controller, status, source, and
 * optionally parties, confidence, note).  Fails with CM_EINPUT and "file:line: message".
 * *out is owned by the caller: cm_ledger_close. */
CM_API cm_status cm_ledger_open(cm_ledger **out, const char *path, cm_ctx *ctx);
CM_API void cm_ledger_close(cm_ledger *ledger);

/* Control of `region` ("tripoli", "town:gharyan") on `date` (YYYY-MM-DD): its latest row on
 * or before the date.  Sets the borrowed strings (valid for the ledger's lifetime; status is
 * "held", "contested", "besieged" or "claimed"; source the row's; any out-parameter may be
 * NULL), all to NULL when the region has no row by then.  Fails with CM_EUSAGE for an
 * invalid date. */
CM_API cm_status cm_ledger_holder(const char **controller, const char **status,
                                  const char **source, const cm_ledger *ledger,
                                  const char *region, const char *date, cm_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
