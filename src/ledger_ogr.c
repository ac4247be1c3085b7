/* Reading the ledger through OGR, so that the same columns work in CSV, ODS, XLSX, a
 * GeoPackage's table or a database's. */
#include "ledger.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"

#include <cpl_conv.h>
#include <stdarg.h>
#include <ogr_api.h>
#include <string.h>

/* Where a row is, for its messages: "file:line", or "source: feature N" for a database or
 * GeoPackage, which has no lines.  Made only when there is something to say. */
static char *row_where(const cm_ledger *lg, int line, gboolean lines)
{
    return lines ? g_strdup_printf("%s:%d", lg->path, line)
                 : g_strdup_printf("%s: feature %d", lg->path, line);
}

/* Fails with "WHERE: " and the message. */
static cm_status row_fail(const cm_ledger *lg, const cm_ledger_row *r, gboolean lines, cm_ctx *ctx,
                          const char *fmt, ...) G_GNUC_PRINTF(5, 6);
static cm_status row_fail(const cm_ledger *lg, const cm_ledger_row *r, gboolean lines, cm_ctx *ctx,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *where = row_where(lg, r->line, lines);
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s: %s", where, msg);
    g_free(where);
    g_free(msg);
    return st;
}

/* Reads one feature into a row of `lg` (its strings interned there), or fails naming where
 * the row is. */
static cm_status read_row(OGRFeatureH f, const int *col, cm_ledger *lg, gboolean lines,
                          cm_ledger_row *r, cm_ctx *ctx)
{
    char *text = NULL;
    cm_status st = CM_OK;
    if (!cm_ogr_field_date(f, col[0], &r->date, &text)) {
        st = text ? row_fail(lg, r, lines, ctx, "date \"%s\" is not a valid YYYY-MM-DD date", text)
                  : row_fail(lg, r, lines, ctx, "the date is empty");
        g_free(text);
        return st;
    }
    g_free(text);
    if (!(r->region = cm_ledger_intern(lg, cm_ogr_field_string(f, col[1]))))
        return row_fail(lg, r, lines, ctx, "the region is empty");
    if (!(r->controller = cm_ledger_intern(lg, cm_ogr_field_string(f, col[2]))))
        return row_fail(lg, r, lines, ctx, "the controller is empty");
    char *status = cm_ogr_field_string(f, col[3]);
    if (!status || !cm_parse_status(status, &r->status))
        st = row_fail(lg, r, lines, ctx,
                      "status \"%s\" must be held, contested, besieged, attacked or claimed",
                      status ? status : "");
    g_free(status);
    if (st != CM_OK)
        return st;
    if (!(r->source = cm_ledger_intern(lg, cm_ogr_field_string(f, col[4]))))
        return row_fail(lg, r, lines, ctx, "every row needs a source");
    r->note = cm_ogr_field_string(f, col[6]);
    r->confidence = cm_ledger_intern(lg, cm_ogr_field_string(f, col[7]));
    if (r->confidence && g_ascii_strcasecmp(r->confidence, "assessed") &&
        g_ascii_strcasecmp(r->confidence, "reported") && g_ascii_strcasecmp(r->confidence, "claimed"))
        return row_fail(lg, r, lines, ctx, "confidence \"%s\" must be assessed, reported or "
                        "claimed", r->confidence);
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
            st = row_fail(lg, r, lines, ctx,
                          "a contested row names at least two parties, e.g. \"GNA;LNA\"");
        else if (r->status == CM_BESIEGED && ids->len < 1)
            st = row_fail(lg, r, lines, ctx, "a besieged row names the besiegers in parties");
        else if (r->status == CM_ATTACKED && ids->len < 1)
            st = row_fail(lg, r, lines, ctx, "an attacked row names the attackers in parties");
        g_ptr_array_add(ids, NULL);
        r->parties = (char **)g_ptr_array_free(ids, FALSE);
    }
    g_free(parties);
    return st;
}

/* The columns' indexes in col (-1 when absent); fails naming the first required one
 * missing. */
static cm_status find_columns(int *col, OGRLayerH lyr, const char *name, cm_ctx *ctx)
{
    static const char *const columns[] = {"date",   "region",  "controller", "status",
                                          "source", "parties", "note",       "confidence"};
    static const gboolean required[] = {TRUE, TRUE, TRUE, TRUE, TRUE, FALSE, FALSE, FALSE};
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (size_t i = 0; i < G_N_ELEMENTS(columns); i++) {
        col[i] = -1;
        for (int j = 0; j < OGR_FD_GetFieldCount(defn); j++) {
            const char *field = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, j));
            if (g_ascii_strcasecmp(field, columns[i]) == 0)
                col[i] = j;
        }
        if (col[i] < 0 && required[i])
            return cm_fail(ctx, CM_EINPUT, "%s:1: no \"%s\" column (needs date, region, "
                           "controller, status, source; may have parties, note)", name,
                           columns[i]);
    }
    return CM_OK;
}

/* Reads every feature into lg's rows.  A row's `line` is its line (CSV) or row (a sheet)
 * when the source has them, else its feature id; *last receives the last line read. */
static cm_status read_rows(cm_ledger *lg, OGRLayerH lyr, const int *col, gboolean lines,
                           GChecksum *sum, GPtrArray *problems, int *last, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    OGRFeatureH f;
    int line = 1;
    OGR_L_ResetReading(lyr);
    CPLErrorReset();
    cm_gdal_quiet_begin();
    while (st == CM_OK && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        line++;
        cm_datasource_digest_feature(sum, f);
        cm_ledger_row *r = g_new0(cm_ledger_row, 1);
        r->line = lines ? line : (int)OGR_F_GetFID(f);
        cm_ctx *row_ctx = problems ? cm_ctx_new() : ctx;
        st = read_row(f, col, lg, lines, r, row_ctx);
        OGR_F_Destroy(f);
        if (problems) {
            if (st != CM_OK)
                g_ptr_array_add(problems, g_strdup(cm_ctx_message(row_ctx)));
            cm_ctx_destroy(row_ctx);
        }
        if (st == CM_OK)
            cm_ledger_add(lg, r);
        else
            cm_ledger_row_free(r);
        if (problems)
            st = CM_OK;
    }
    cm_gdal_quiet_end();
    *last = line;
    return st;
}

cm_status cm_ledger_load_layer(cm_ledger **out, const char *path, const char *layer,
                               GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    GDALDatasetH ds = NULL;
    OGRLayerH lyr = NULL;
    cm_ledger *lg = NULL;
    int col[8], last = 0;

    *out = NULL;
    if ((st = cm_ogr_open_table(&ds, path, ctx)) != CM_OK ||
        (st = cm_datasource_layer(&lyr, ds, path, layer, CM_EINPUT, ctx)) != CM_OK)
        goto cleanup;
    char *name = cm_datasource_name(path, layer);
    lg = cm_ledger_new(name);
    g_free(name);
    if ((st = find_columns(col, lyr, lg->path, ctx)) != CM_OK)
        goto cleanup;
    GChecksum *sum = cm_datasource_digest_new(path, lyr);
    st = read_rows(lg, lyr, col, cm_datasource_has_lines(ds), sum, problems, &last, ctx);
    cm_datasource_digest_end(sum, lg->read_sha256);
    if (st != CM_OK || (st = cm_ogr_read_stopped(lg->path, last + 1, ctx)) != CM_OK)
        goto cleanup;
    if (lg->rows->len == 0 && !problems) {
        st = cm_fail(ctx, CM_EINPUT, "%s: the ledger has no rows", lg->path);
        goto cleanup;
    }
    cm_ledger_sort(lg);
    *out = lg;
    lg = NULL;
cleanup:
    cm_ledger_destroy(lg);
    if (ds)
        GDALClose(ds);
    return st;
}

cm_status cm_ledger_load(cm_ledger **out, const char *path, GPtrArray *problems, cm_ctx *ctx)
{
    return cm_ledger_load_layer(out, path, NULL, problems, ctx);
}
