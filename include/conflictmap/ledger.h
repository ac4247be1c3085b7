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
 * or before the date.  Returns 0 and sets the borrowed strings (valid for the ledger's
 * lifetime; status is "held", "contested", "besieged" or "claimed"; source the row's), or -1
 * when the region has no row yet or the date is invalid. */
CM_API int cm_ledger_holder(const cm_ledger *ledger, const char *region, const char *date,
                            const char **controller, const char **status, const char **source);

#ifdef __cplusplus
}
#endif
#endif
