/* Internal side of the error context: how stages record errors and warnings. */
#ifndef CM_CTX_H
#define CM_CTX_H

#include "conflictmap/status.h"

#include <glib.h>

/* Every public function that can fail calls this first: the context reports the last call's
 * error, not an older one. */
void cm_ctx_begin(cm_ctx *ctx);

/* Records an error and returns `status`, so a stage can write `return cm_fail(...)`.
 * Within one public call the first error wins: a caller that fails because a callee failed
 * must not replace the callee's more precise message, so a later call while a message is
 * set is ignored (cm_ctx_begin clears it at the start of the next public call). */
cm_status cm_fail(cm_ctx *ctx, cm_status status, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Appends a warning (repaired geometry, unknown key, font fallback). */
void cm_warn(cm_ctx *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Appends a problem found by a check (one of many; the check fails once at the end). */
void cm_problem(cm_ctx *ctx, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Reads a caller's options struct (NULL: keep the defaults in `out`), whose first member is
 * its size as the caller was built: the fields it knows are copied over `out`, which holds
 * the defaults and is `out_size` bytes.  Fails with CM_EUSAGE when the size was never set
 * ("the `what` were not initialised"). */
cm_status cm_options_read(void *out, size_t out_size, const void *in, const char *what,
                          cm_ctx *ctx);

#endif
