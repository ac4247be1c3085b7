/* The control ledger: rows indexed by region, each region's rows sorted by date, for "state
 * as of a date" lookups.  Reading the file, through OGR, is ledger_ogr.c. */
#include "ledger.h"

#include "conflictmap/ledger.h"

#include "ctx.h"
#include "keyfile.h"

#include <stdarg.h>
#include <string.h>

void cm_ledger_row_free(gpointer p)
{
    cm_ledger_row *r = p;
    g_strfreev(r->parties);
    g_free(r->note);
    g_free(r);
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const cm_ledger_row *x = *(cm_ledger_row *const *)a, *y = *(cm_ledger_row *const *)b;
    int c = g_date_compare(&x->date, &y->date);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

cm_ledger *cm_ledger_new(const char *path)
{
    cm_ledger *lg = g_new0(cm_ledger, 1);
    lg->path = g_strdup(path);
    lg->rows = g_ptr_array_new_with_free_func(cm_ledger_row_free);
    lg->words = g_string_chunk_new(4096);
    lg->by_region = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify)g_ptr_array_unref);
    return lg;
}

char *cm_ledger_intern(cm_ledger *lg, char *text)
{
    if (!text)
        return NULL;
    char *word = g_string_chunk_insert_const(lg->words, text);
    g_free(text);
    return word;
}

void cm_ledger_add(cm_ledger *lg, cm_ledger_row *r)
{
    g_ptr_array_add(lg->rows, r);
    GPtrArray *list = g_hash_table_lookup(lg->by_region, r->region);
    if (!list) {
        list = g_ptr_array_new();
        g_hash_table_insert(lg->by_region, r->region, list);
    }
    g_ptr_array_add(list, r);
}

void cm_ledger_sort(cm_ledger *lg)
{
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, lg->by_region);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_sort(value, row_cmp);
}

void cm_ledger_destroy(cm_ledger *lg)
{
    if (!lg)
        return;
    g_hash_table_unref(lg->by_region);
    g_ptr_array_unref(lg->rows);
    g_string_chunk_free(lg->words);
    g_free(lg->path);
    g_free(lg);
}

const cm_ledger_row *cm_ledger_state(const cm_ledger *lg, const char *region, const GDate *date)
{
    GPtrArray *list = g_hash_table_lookup(lg->by_region, region);
    if (!list)
        return NULL;
    /* binary search for the last row with row.date <= date */
    guint lo = 0, hi = list->len;
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const cm_ledger_row *r = list->pdata[mid];
        if (g_date_compare(&r->date, date) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? list->pdata[lo - 1] : NULL;
}

static gint str_ptr_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Records a problem found by a check: into `problems` when collecting, else as the error. */
static cm_status problem(GPtrArray *problems, cm_ctx *ctx, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static cm_status problem(GPtrArray *problems, cm_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (problems) {
        g_ptr_array_add(problems, msg);
        return CM_OK;
    }
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s", msg);
    g_free(msg);
    return st;
}

static cm_status check_controller(const cm_ledger *lg, const cm_ledger_row *r, const char *id,
                                  const char *const *controllers, GPtrArray *problems, cm_ctx *ctx)
{
    if (g_strv_contains(controllers, id))
        return CM_OK;
    const char *near = cm_nearest_word(id, controllers);
    char *all = g_strjoinv(", ", (char **)controllers);
    cm_status st = near ? problem(problems, ctx,
                                  "%s:%d: unknown controller \"%s\" (did you mean \"%s\"?)",
                                  lg->path, r->line, id, near)
                        : problem(problems, ctx,
                                  "%s:%d: unknown controller \"%s\"; the style defines %s",
                                  lg->path, r->line, id, all);
    g_free(all);
    return st;
}

cm_status cm_ledger_check(const cm_ledger *lg, GHashTable *regions,
                          const char *const *controllers, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    GHashTable *last = g_hash_table_new(g_str_hash, g_str_equal); /* region -> last row seen */
    GPtrArray *soft = g_ptr_array_new_with_free_func(g_free); /* problems a render survives */
    for (guint i = 0; i < lg->rows->len && st == CM_OK; i++) {
        const cm_ledger_row *r = lg->rows->pdata[i];
        if (!g_hash_table_contains(regions, r->region)) {
            GPtrArray *keys = g_ptr_array_new();
            GHashTableIter it;
            gpointer key;
            g_hash_table_iter_init(&it, regions);
            while (g_hash_table_iter_next(&it, &key, NULL))
                g_ptr_array_add(keys, key);
            g_ptr_array_sort(keys, str_ptr_cmp);
            g_ptr_array_add(keys, NULL);
            const char *near = cm_nearest_word(r->region, (const char *const *)keys->pdata);
            st = problem(problems, ctx, "%s:%d: unknown region \"%s\"%s%s%s", lg->path, r->line,
                         r->region, near ? " (did you mean \"" : "", near ? near : "",
                         near ? "\"?)" : "");
            g_ptr_array_free(keys, TRUE);
            continue;
        }
        const cm_ledger_row *prev = g_hash_table_lookup(last, r->region);
        if (prev && g_date_compare(&r->date, &prev->date) < 0) {
            /* a problem for check; a render goes on, but says so (see below) */
            char a[11], b[11];
            cm_format_date(&r->date, a);
            cm_format_date(&prev->date, b);
            g_ptr_array_add(soft, g_strdup_printf("%s:%d: rows for \"%s\" out of date order: %s "
                                                  "after %s on line %d", lg->path, r->line,
                                                  r->region, a, b, prev->line));
        }
        g_hash_table_insert(last, r->region, (gpointer)r);
        st = check_controller(lg, r, r->controller, controllers, problems, ctx);
        for (char **p = r->parties; st == CM_OK && p && *p; p++)
            st = check_controller(lg, r, *p, controllers, problems, ctx);
    }
    g_hash_table_unref(last);
    /* check lists every problem; a render that goes on despite them warns with the first, so
     * that what check rejects never renders silently */
    for (guint i = 0; problems && i < soft->len; i++)
        g_ptr_array_add(problems, g_strdup(soft->pdata[i]));
    if (!problems && soft->len == 1)
        cm_warn(ctx, "%s", (char *)soft->pdata[0]);
    else if (!problems && soft->len > 1)
        cm_warn(ctx, "%s (and %u more: check lists every problem)",
                (char *)soft->pdata[0], soft->len - 1);
    g_ptr_array_unref(soft);
    return st;
}

cm_control_status cm_row_drawn_status(const cm_ledger_row *r)
{
    if (r->status == CM_HELD && r->confidence && !g_ascii_strcasecmp(r->confidence, "claimed"))
        return CM_CLAIMED;
    return r->status;
}

gboolean cm_parse_status(const char *text, cm_control_status *out)
{
    static const char *const words[] = {"held", "contested", "besieged", "claimed", "attacked"};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        if (g_ascii_strcasecmp(text, words[i]) == 0) {
            *out = (cm_control_status)i;
            return TRUE;
        }
    return FALSE;
}

const char *cm_status_word(cm_control_status st)
{
    static const char *const words[] = {"held", "contested", "besieged", "claimed", "attacked"};
    return words[st];
}
