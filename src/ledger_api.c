/* The ledger's public handle. */
#include "conflictmap/ledger.h"

#include "ctx.h"
#include "keyfile.h"
#include "ledger.h"

cm_status cm_ledger_open(cm_ledger **out, const char *path, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    return cm_ledger_load(out, path, NULL, ctx);
}

void cm_ledger_close(cm_ledger *ledger)
{
    cm_ledger_destroy(ledger);
}

const cm_ledger_row *cm_ledger_before(const cm_ledger *ledger, const char *region,
                                      const cm_ledger_row *row)
{
    GDate day = row->date;
    if (g_date_get_julian(&day) <= 1)
        return NULL; /* nothing is before the first day GLib knows */
    g_date_subtract_days(&day, 1);
    return cm_ledger_state(ledger, region, &day);
}

cm_status cm_ledger_holder(const char **controller, const char **status, const char **source,
                           const cm_ledger *ledger, const char *region, const char *date,
                           cm_ctx *ctx)
{
    GDate d;
    cm_ctx_begin(ctx);
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    const cm_ledger_row *r = cm_ledger_state(ledger, region, &d);
    if (controller)
        *controller = r ? r->controller : NULL;
    if (status)
        *status = r ? cm_status_word(r->status) : NULL;
    if (source)
        *source = r ? r->source : NULL;
    return CM_OK;
}
