/* The control ledger.  Read through OGR so that the same columns work in CSV, ODS or XLSX;
 * indexed by region, each region's rows sorted by date, for "state as of a date" lookups. */
#include "ledger.h"

#include "conflictmap/ledger.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"

#include <cpl_conv.h>
#include <ogr_api.h>
#include <stdarg.h>
#include <string.h>

static void row_free(gpointer p)
{
    cm_ledger_row *r = p;
    g_free(r->region);
    g_free(r->controller);
    g_strfreev(r->parties);
    g_free(r->source);
    g_free(r->note);
    g_free(r->confidence);
    g_free(r);
}

static gint row_cmp(gconstpointer a, gconstpointer b)
{
    const cm_ledger_row *x = *(cm_ledger_row *const *)a, *y = *(cm_ledger_row *const *)b;
    int c = g_date_compare(&x->date, &y->date);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Reads one feature into a row, or fails naming the line. */
static cm_status read_row(OGRFeatureH f, const int *col, const char *path,
                          int line, cm_ledger_row *r, cm_ctx *ctx)
{
    char *text = NULL;
    cm_status st = CM_OK;
    r->line = line;
    if (!cm_ogr_field_date(f, col[0], &r->date, &text)) {
        st = text ? cm_fail(ctx, CM_EINPUT, "%s:%d: date \"%s\" is not a valid YYYY-MM-DD date",
                            path, line, text)
                  : cm_fail(ctx, CM_EINPUT, "%s:%d: the date is empty", path, line);
        g_free(text);
        return st;
    }
    g_free(text);
    if (!(r->region = cm_ogr_field_string(f, col[1])))
        return cm_fail(ctx, CM_EINPUT, "%s:%d: the region is empty", path, line);
    if (!(r->controller = cm_ogr_field_string(f, col[2])))
        return cm_fail(ctx, CM_EINPUT, "%s:%d: the controller is empty", path, line);
    char *status = cm_ogr_field_string(f, col[3]);
    if (!status || !cm_parse_status(status, &r->status))
        st = cm_fail(ctx, CM_EINPUT,
                     "%s:%d: status \"%s\" must be held, contested, besieged or claimed", path,
                     line, status ? status : "");
    g_free(status);
    if (st != CM_OK)
        return st;
    if (!(r->source = cm_ogr_field_string(f, col[4])))
        return cm_fail(ctx, CM_EINPUT, "%s:%d: every row needs a source", path, line);
    r->note = cm_ogr_field_string(f, col[6]);
    r->confidence = cm_ogr_field_string(f, col[7]);
    char *parties = cm_ogr_field_string(f, col[5]);
    if (r->status == CM_CONTESTED || r->status == CM_BESIEGED) {
        GPtrArray *ids = g_ptr_array_new();
        char **parts = g_strsplit_set(parties ? parties : "", ";/,", -1);
        for (char **p = parts; *p; p++) {
            char *id = g_strstrip(*p);
            if (*id && !g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL))
                g_ptr_array_add(ids, g_strdup(id));
        }
        g_strfreev(parts);
        if (r->status == CM_CONTESTED && ids->len < 2)
            st = cm_fail(ctx, CM_EINPUT,
                         "%s:%d: a contested row names at least two parties, e.g. \"GNA;LNA\"",
                         path, line);
        else if (r->status == CM_BESIEGED && ids->len < 1)
            st = cm_fail(ctx, CM_EINPUT, "%s:%d: a besieged row names the besiegers in parties",
                         path, line);
        g_ptr_array_add(ids, NULL);
        r->parties = (char **)g_ptr_array_free(ids, FALSE);
    }
    g_free(parties);
    return st;
}

cm_status cm_ledger_load(cm_ledger **out, const char *path, GPtrArray *problems, cm_ctx *ctx)
{
    static const char *const columns[] = {"date",   "region",  "controller", "status",
                                          "source", "parties", "note",       "confidence"};
    static const gboolean required[] = {TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE};
    cm_status st = CM_OK;
    GDALDatasetH ds = NULL;
    cm_ledger *lg = NULL;
    int col[G_N_ELEMENTS(columns)];

    /* A spreadsheet whose rows are all text has no header GDAL can detect: say there is one
     * (GDAL 3.6 takes this as a configuration option, for this thread only here). */
    char *old_xlsx = g_strdup(CPLGetThreadLocalConfigOption("OGR_XLSX_HEADERS", NULL));
    char *old_ods = g_strdup(CPLGetThreadLocalConfigOption("OGR_ODS_HEADERS", NULL));
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", "FORCE");
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", "FORCE");

    *out = NULL;
    if ((st = cm_ogr_open(&ds, path, NULL, CM_EINPUT, ctx)) != CM_OK)
        goto cleanup;
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (size_t i = 0; i < G_N_ELEMENTS(columns); i++) {
        col[i] = -1;
        for (int j = 0; j < OGR_FD_GetFieldCount(defn); j++) {
            const char *name = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, j));
            if (g_ascii_strcasecmp(name, columns[i]) == 0)
                col[i] = j;
        }
        if (col[i] < 0 && required[i]) {
            st = cm_fail(ctx, CM_EINPUT, "%s:1: no \"%s\" column (needs date, region, controller, "
                         "status, source; may have parties, note)", path, columns[i]);
            goto cleanup;
        }
    }

    lg = g_new0(cm_ledger, 1);
    lg->path = g_strdup(path);
    lg->rows = g_ptr_array_new_with_free_func(row_free);
    lg->by_region = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
                                          (GDestroyNotify)g_ptr_array_unref);
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    int line = 1;
    cm_gdal_quiet_begin();
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        line++;
        cm_ledger_row *r = g_new0(cm_ledger_row, 1);
        cm_ctx *row_ctx = problems ? cm_ctx_new() : ctx;
        st = read_row(f, col, path, line, r, row_ctx);
        OGR_F_Destroy(f);
        if (problems) {
            if (st != CM_OK)
                g_ptr_array_add(problems, g_strdup(cm_ctx_message(row_ctx)));
            cm_ctx_destroy(row_ctx);
        }
        if (st != CM_OK) {
            row_free(r);
            if (problems) {
                st = CM_OK;
                continue;
            }
            cm_gdal_quiet_end();
            goto cleanup;
        }
        g_ptr_array_add(lg->rows, r);
        GPtrArray *list = g_hash_table_lookup(lg->by_region, r->region);
        if (!list) {
            list = g_ptr_array_new();
            g_hash_table_insert(lg->by_region, r->region, list);
        }
        g_ptr_array_add(list, r);
    }
    cm_gdal_quiet_end();
    if (lg->rows->len == 0 && !problems) {
        st = cm_fail(ctx, CM_EINPUT, "%s: the ledger has no rows", path);
        goto cleanup;
    }
    GHashTableIter it;
    gpointer value;
    g_hash_table_iter_init(&it, lg->by_region);
    while (g_hash_table_iter_next(&it, NULL, &value))
        g_ptr_array_sort(value, row_cmp);
    *out = lg;
    lg = NULL;
cleanup:
    CPLSetThreadLocalConfigOption("OGR_XLSX_HEADERS", old_xlsx);
    CPLSetThreadLocalConfigOption("OGR_ODS_HEADERS", old_ods);
    g_free(old_xlsx);
    g_free(old_ods);
    cm_ledger_destroy(lg);
    if (ds)
        GDALClose(ds);
    return st;
}

void cm_ledger_destroy(cm_ledger *lg)
{
    if (!lg)
        return;
    g_hash_table_unref(lg->by_region);
    g_ptr_array_unref(lg->rows);
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
                                  const cm_style *style, GPtrArray *problems, cm_ctx *ctx)
{
    if (cm_style_controller(style, id))
        return CM_OK;
    GPtrArray *ids = g_ptr_array_new();
    for (guint i = 0; i < style->controllers->len; i++)
        g_ptr_array_add(ids, ((cm_controller *)style->controllers->pdata[i])->id);
    g_ptr_array_add(ids, NULL);
    const char *near = cm_nearest_word(id, (const char *const *)ids->pdata);
    char *all = g_strjoinv(", ", (char **)ids->pdata);
    cm_status st = near ? problem(problems, ctx,
                                  "%s:%d: unknown controller \"%s\" (did you mean \"%s\"?)",
                                  lg->path, r->line, id, near)
                        : problem(problems, ctx,
                                  "%s:%d: unknown controller \"%s\"; the style defines %s",
                                  lg->path, r->line, id, all);
    g_free(all);
    g_ptr_array_free(ids, TRUE);
    return st;
}

cm_status cm_ledger_check(const cm_ledger *lg, GHashTable *regions, const cm_style *style,
                          GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    GHashTable *last = g_hash_table_new(g_str_hash, g_str_equal); /* region -> last row seen */
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
        if (problems && prev && g_date_compare(&r->date, &prev->date) < 0) {
            char a[16], b[16];
            g_date_strftime(a, sizeof a, "%Y-%m-%d", &r->date);
            g_date_strftime(b, sizeof b, "%Y-%m-%d", &prev->date);
            problem(problems, ctx, "%s:%d: rows for \"%s\" out of date order: %s after %s on line %d",
                    lg->path, r->line, r->region, a, b, prev->line);
        }
        g_hash_table_insert(last, r->region, (gpointer)r);
        st = check_controller(lg, r, r->controller, style, problems, ctx);
        for (char **p = r->parties; st == CM_OK && p && *p; p++)
            st = check_controller(lg, r, *p, style, problems, ctx);
    }
    g_hash_table_unref(last);
    return st;
}

gboolean cm_parse_status(const char *text, cm_control_status *out)
{
    static const char *const words[] = {"held", "contested", "besieged", "claimed"};
    for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
        if (g_ascii_strcasecmp(text, words[i]) == 0) {
            *out = (cm_control_status)i;
            return TRUE;
        }
    return FALSE;
}

const char *cm_status_word(cm_control_status st)
{
    static const char *const words[] = {"held", "contested", "besieged", "claimed"};
    return words[st];
}

/* ---- the public handle ---------------------------------------------------------------- */

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
