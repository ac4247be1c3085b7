/* Fuzz target: the control ledger through OGR's CSV driver, failing fast and collecting
 * problems as `check` does, then the as-of query on whatever loaded. */
#include "conflictmap/status.h"
#include "fuzz_common.h"
#include "keyfile.h"
#include "ledger.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_file("control.csv", data, size);
    for (int collect = 0; collect < 2; collect++) {
        cm_ctx *ctx = cm_ctx_new();
        GPtrArray *problems = collect ? g_ptr_array_new_with_free_func(g_free) : NULL;
        cm_ledger *lg = NULL;
        cm_status st = cm_ledger_load(&lg, path, problems, ctx);
        if (st != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        if (lg) {
            GDate d;
            cm_parse_date("2019-12-19", &d);
            for (guint i = 0; i < lg->rows->len; i++)
                cm_ledger_state(lg, ((cm_ledger_row *)lg->rows->pdata[i])->region, &d);
        }
        cm_ledger_destroy(lg);
        if (problems)
            g_ptr_array_unref(problems);
        cm_ctx_destroy(ctx);
    }
    g_free(path);
    return 0;
}
