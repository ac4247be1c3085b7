/* Zones and lines: what is in force on a date, and whether the style knows every actor.
 * Reading them is timeline_ogr.c. */
#include "timeline.h"

#include "ctx.h"
#include "keyfile.h"

#include <stdarg.h>
#include <string.h>

void cm_timed_clear(cm_timed *t)
{
    g_free(t->actor);
    g_strfreev(t->parties);
    g_free(t->source);
    g_free(t->label);
}

void cm_timeline_destroy(cm_timeline *tl)
{
    if (!tl)
        return;
    for (int i = 0; tl->items && tl->layer && i < tl->layer->n; i++)
        cm_timed_clear(&tl->items[i]);
    g_free(tl->items);
    cm_layer_destroy(tl->layer);
    g_free(tl->path);
    g_free(tl);
}

gboolean cm_timed_active(const cm_timed *t, const GDate *date)
{
    if (g_date_compare(&t->from, date) > 0)
        return FALSE;
    return !g_date_valid(&t->until) || g_date_compare(date, &t->until) <= 0;
}

cm_status cm_timeline_check(const cm_timeline *tl, const char *const *controllers,
                            GPtrArray *problems, cm_ctx *ctx)
{
    for (int i = 0; i < tl->layer->n; i++) {
        const cm_timed *t = &tl->items[i];
        const char *bad = !g_strv_contains(controllers, t->actor) ? t->actor : NULL;
        for (char **p = t->parties; !bad && p && *p; p++)
            if (!g_strv_contains(controllers, *p))
                bad = *p;
        if (!bad)
            continue;
        char *msg = g_strdup_printf("%s: feature %ld: unknown controller \"%s\"", tl->path, t->fid,
                                    bad);
        if (!problems) {
            cm_status st = cm_fail(ctx, CM_EINPUT, "%s", msg);
            g_free(msg);
            return st;
        }
        g_ptr_array_add(problems, msg);
    }
    return CM_OK;
}
