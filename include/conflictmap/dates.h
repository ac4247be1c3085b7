/* conflictmap — dates: the dates of a series. */
#ifndef CONFLICTMAP_DATES_H
#define CONFLICTMAP_DATES_H

#include "conflictmap/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most dates cm_series_dates() gives: a longer series is refused, not cut short.  A
 * plain number, so that it can be put in a string with G_STRINGIFY. */
#define CM_SERIES_MAX_DATES 10000

/* The dates from `from` to `to` inclusive ("YYYY-MM-DD", parsed as strictly as
 * cm_map_set_date), every `step`: a whole number above zero and d, w or m, such as 10d, 2w or
 * 1m.  Months count from `from`, so 31 January every 1m gives 28 (or 29) February, then
 * 31 March.  On success *out is a NULL-terminated array of *n "YYYY-MM-DD" strings, owned by
 * the caller (cm_strv_free).  Fails with CM_EUSAGE, *out NULL and *n 0 for a bad date or step,
 * `from` after `to`, or more than CM_SERIES_MAX_DATES dates. */
CM_API cm_status cm_series_dates(char ***out, int *n, const char *from, const char *to,
                                 const char *step, cm_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
