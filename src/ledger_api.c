/* The ledger's public handle. */
#include "conflictmap/ledger.h"

#include "keyfile.h"
#include "ledger.h"

cm_status cm_ledger_open(cm_ledger **out, const char *path, cm_ctx *ctx)
{
    return cm_ledger_load(out, path, NULL, ctx);
}

void cm_ledger_close(cm_ledger *ledger)
{
    cm_ledger_destroy(ledger);
}

int cm_ledger_holder(const cm_ledger *ledger, const char *region, const char *date,
                     const char **controller, const char **status, const char **source)
{
    GDate d;
    if (!cm_parse_date(date, &d))
        return -1;
    const cm_ledger_row *r = cm_ledger_state(ledger, region, &d);
    if (!r)
        return -1;
    if (controller)
        *controller = r->controller;
    if (status)
        *status = cm_status_word(r->status);
    if (source)
        *source = r->source;
    return 0;
}
