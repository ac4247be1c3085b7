/* Dates: the dates of a series, from the one strict date parser (cm_parse_date). */
#include "conflictmap/dates.h"

#include "ctx.h"
#include "keyfile.h"

#include <string.h>

/* A step: a whole number above zero, then d, w or m.  Returns FALSE for anything else, so
 * that "-1d", "0d", "1.5m" and "1m2" are refused rather than read as something else. */
static gboolean parse_step(const char *text, guint64 *count, char *unit)
{
    size_t len = strlen(text);
    char digits[16];
    if (len < 2 || len > sizeof digits || !strchr("dwm", text[len - 1]))
        return FALSE;
    for (size_t i = 0; i + 1 < len; i++)
        if (!g_ascii_isdigit(text[i]))
            return FALSE;
    memcpy(digits, text, len - 1);
    digits[len - 1] = '\0';
    *unit = text[len - 1];
    return g_ascii_string_to_unsigned(digits, 10, 1, G_MAXUINT32, count, NULL);
}

/* Every date is computed from `from` (the i-th is from + i steps), and the bounds are checked
 * in 64 bits before GDate is asked to move, so a step of any size stays in GDate's range and
 * 31 January every 1m keeps the 31st where the month has one. */
cm_status cm_series_dates(char ***out, int *n, const char *from, const char *to,
                          const char *step, cm_ctx *ctx)
{
    g_assert(from && to && step);
    cm_ctx_begin(ctx);
    cm_status st = CM_OK;
    GPtrArray *dates = g_ptr_array_new_with_free_func(g_free);
    GDate a, b;
    guint64 count = 0;
    char unit = 0;
    *out = NULL;
    *n = 0;
    const char *bad = !cm_parse_date(from, &a) ? from : !cm_parse_date(to, &b) ? to : NULL;
    if (bad) {
        st = cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", bad);
        goto cleanup;
    }
    if (g_date_compare(&a, &b) > 0) {
        st = cm_fail(ctx, CM_EUSAGE, "the series starts on %s, after it ends on %s", from, to);
        goto cleanup;
    }
    if (!parse_step(step, &count, &unit)) {
        st = cm_fail(ctx, CM_EUSAGE,
                     "step \"%s\" is not a whole number above zero and d, w or m (days, weeks, "
                     "months), such as 10d, 2w or 1m", step);
        goto cleanup;
    }
    const guint64 days = unit == 'w' ? 7 * count : count;
    const guint64 ja = g_date_get_julian(&a), jb = g_date_get_julian(&b);
    const guint64 ma = 12 * (guint64)g_date_get_year(&a) + g_date_get_month(&a);
    const guint64 mb = 12 * (guint64)g_date_get_year(&b) + g_date_get_month(&b);
    for (guint64 i = 0;; i++) {
        GDate d = a;
        if (unit == 'm') {
            if (ma + i * count > mb)
                break;
            g_date_add_months(&d, (guint)(i * count));
            if (g_date_compare(&d, &b) > 0)
                break;
        } else {
            if (ja + i * days > jb)
                break;
            g_date_add_days(&d, (guint)(i * days));
        }
        if (dates->len == CM_SERIES_MAX_DATES) {
            st = cm_fail(ctx, CM_EUSAGE,
                         "a series from %s to %s every %s has more than %d dates, the limit",
                         from, to, step, CM_SERIES_MAX_DATES);
            goto cleanup;
        }
        g_ptr_array_add(dates, g_strdup_printf("%04d-%02d-%02d", g_date_get_year(&d),
                                               g_date_get_month(&d), g_date_get_day(&d)));
    }
    *n = (int)dates->len;
    g_ptr_array_add(dates, NULL);
    *out = (char **)g_ptr_array_free(dates, FALSE);
    dates = NULL;
cleanup:
    if (dates)
        g_ptr_array_free(dates, TRUE);
    return st;
}
