/* Fuzz target: the sources and events tables through OGR's CSV driver, failing fast and
 * collecting problems as `check` does, then the source-id check of a cell, the notes and
 * the events shown on a date, on whatever loaded.  The input is split at a line "----":
 * the sources table, then the events table. */
#include "conflictmap/status.h"
#include "events.h"
#include "fuzz_common.h"
#include "keyfile.h"
#include "sources.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = g_strndup((const char *)data, size);
    char **parts = g_strsplit(text, "\n----\n", 2);
    const char *s = parts[0] ? parts[0] : "", *e = parts[0] && parts[1] ? parts[1] : "";
    char *sp = fuzz_file("sources.csv", (const uint8_t *)s, strlen(s));
    char *ep = fuzz_file("events.csv", (const uint8_t *)e, strlen(e));
    GDate d;
    cm_parse_date("2019-12-19", &d);
    for (int collect = 0; collect < 2; collect++) {
        cm_ctx *ctx = cm_ctx_new();
        GPtrArray *problems = collect ? g_ptr_array_new_with_free_func(g_free) : NULL;
        cm_sources *src = NULL;
        cm_events *ev = NULL;
        if (cm_sources_load(&src, sp, problems, ctx) != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        cm_ctx_clear(ctx);
        if (cm_events_load(&ev, ep, problems, ctx) != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        for (int i = 0; ev && i < ev->n; i++) {
            cm_event_shown(&ev->items[i], &d);
            if (src)
                cm_sources_check_cell(src, ev->items[i].sources, "fuzz", problems, ctx);
        }
        for (guint i = 0; src && i < src->list->len; i++)
            g_free(cm_source_note(NULL, src->list->pdata[i], &d, i % 2));
        cm_sources_destroy(src);
        cm_events_destroy(ev);
        if (problems)
            g_ptr_array_unref(problems);
        cm_ctx_destroy(ctx);
    }
    g_free(sp), g_free(ep);
    g_strfreev(parts);
    g_free(text);
    return 0;
}
