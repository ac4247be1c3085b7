/* Reading the ledger through OGR, so that the same columns work in CSV, ODS or XLSX. */
#include "ledger.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"

#include <cpl_conv.h>
#include <ogr_api.h>
#include <string.h>

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
                     "%s:%d: status \"%s\" must be held, contested, besieged, attacked or claimed", path,
                     line, status ? status : "");
    g_free(status);
    if (st != CM_OK)
        return st;
    if (!(r->source = cm_ogr_field_string(f, col[4])))
        return cm_fail(ctx, CM_EINPUT, "%s:%d: every row needs a source", path, line);
    r->note = cm_ogr_field_string(f, col[6]);
    r->confidence = cm_ogr_field_string(f, col[7]);
    if (r->confidence && g_ascii_strcasecmp(r->confidence, "assessed") &&
        g_ascii_strcasecmp(r->confidence, "reported") && g_ascii_strcasecmp(r->confidence, "claimed"))
        return cm_fail(ctx, CM_EINPUT, "%s:%d: confidence \"%s\" must be assessed, reported or "
                       "claimed", path, line, r->confidence);
    char *parties = cm_ogr_field_string(f, col[5]);
    if (r->status == CM_CONTESTED || r->status == CM_BESIEGED || r->status == CM_ATTACKED) {
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
        else if (r->status == CM_ATTACKED && ids->len < 1)
            st = cm_fail(ctx, CM_EINPUT, "%s:%d: an attacked row names the attackers in parties",
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

    lg = cm_ledger_new(path);
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    int line = 1;
    CPLErrorReset();
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
            cm_ledger_row_free(r);
            if (problems) {
                st = CM_OK;
                continue;
            }
            cm_gdal_quiet_end();
            goto cleanup;
        }
        cm_ledger_add(lg, r);
    }
    cm_gdal_quiet_end();
    if ((st = cm_ogr_read_stopped(path, line + 1, ctx)) != CM_OK)
        goto cleanup;
    if (lg->rows->len == 0 && !problems) {
        st = cm_fail(ctx, CM_EINPUT, "%s: the ledger has no rows", path);
        goto cleanup;
    }
    cm_ledger_sort(lg);
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
