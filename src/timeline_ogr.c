/* Reading zones and lines: geometry through the geodata loader, attributes read here by
 * feature id. */
#include "timeline.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"

#include <ogr_api.h>
#include <string.h>

static int field(OGRFeatureDefnH defn, const char *name)
{
    for (int j = 0; j < OGR_FD_GetFieldCount(defn); j++)
        if (g_ascii_strcasecmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, j)), name) == 0)
            return j;
    return -1;
}

/* Reads one feature's attributes; a problem fails with "path: feature N: ...". */
static cm_status read_timed(OGRFeatureH f, OGRFeatureDefnH defn, const char *path, gboolean lines,
                            cm_timed *t, cm_ctx *ctx)
{
    long fid = (long)OGR_F_GetFID(f);
    cm_status st = CM_OK;
    char *from = NULL, *until = NULL, *word = NULL;
    t->fid = fid;
    g_date_clear(&t->from, 1);
    g_date_clear(&t->until, 1);
    t->actor = cm_ogr_field_string(f, field(defn, lines ? "actor" : "controller"));
    t->source = cm_ogr_field_string(f, field(defn, "source"));
    t->label = cm_ogr_field_string(f, field(defn, "label"));
    gboolean from_ok = cm_ogr_field_date(f, field(defn, "valid_from"), &t->from, &from);
    gboolean until_ok = cm_ogr_field_date(f, field(defn, "valid_until"), &t->until, &until);
    if (from_ok && !from)
        cm_format_date(&t->from, from = g_malloc(11));
    if (until_ok && !until)
        cm_format_date(&t->until, until = g_malloc(11));
    if (!t->actor) {
        st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: no %s", path, fid,
                     lines ? "actor" : "controller");
    } else if (!t->source) {
        st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: every feature needs a source", path, fid);
    } else if (!from_ok) {
        st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: valid_from \"%s\" is not a YYYY-MM-DD date",
                     path, fid, from ? from : "");
    } else if (until && !until_ok) {
        st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: valid_until \"%s\" is not a YYYY-MM-DD date",
                     path, fid, until);
    } else if (until && g_date_compare(&t->until, &t->from) < 0) {
        st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: valid_until %s is before valid_from %s", path,
                     fid, until, from);
    }
    if (st == CM_OK && lines) {
        word = cm_ogr_field_string(f, field(defn, "kind"));
        if (word && !g_ascii_strcasecmp(word, "front"))
            t->kind = CM_LINE_FRONT;
        else if (word && !g_ascii_strcasecmp(word, "offensive"))
            t->kind = CM_LINE_OFFENSIVE;
        else if (word && !g_ascii_strcasecmp(word, "withdrawal"))
            t->kind = CM_LINE_WITHDRAWAL;
        else
            st = cm_fail(ctx, CM_EINPUT,
                         "%s: feature %ld: kind \"%s\" must be front, offensive or withdrawal", path,
                         fid, word ? word : "");
    } else if (st == CM_OK) {
        word = cm_ogr_field_string(f, field(defn, "status"));
        t->status = CM_HELD;
        if (word && !cm_parse_status(word, &t->status))
            st = cm_fail(ctx, CM_EINPUT,
                         "%s: feature %ld: status \"%s\" must be held, contested, besieged, attacked or claimed",
                         path, fid, word);
        char *parties = cm_ogr_field_string(f, field(defn, "parties"));
        if (parties)
            t->parties = g_strsplit_set(parties, ";/", -1);
        for (char **p = t->parties; p && *p; p++)
            g_strstrip(*p);
        g_free(parties);
        int n = t->parties ? (int)g_strv_length(t->parties) : 0;
        if (st == CM_OK && t->status == CM_CONTESTED && n < 2)
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: a contested zone names two parties", path,
                         fid);
        else if (st == CM_OK && (t->status == CM_BESIEGED || t->status == CM_ATTACKED) && n < 1)
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: %s zone names its %s in parties", path,
                         fid, t->status == CM_BESIEGED ? "a besieged" : "an attacked",
                         t->status == CM_BESIEGED ? "besiegers" : "attackers");
    }
    g_free(word);
    g_free(from);
    g_free(until);
    return st;
}

/* Keeps the features that have both geometry and good attributes, in the layer's order.
 * A source may repeat a feature id (GeoJSON does not forbid it): attributes pair with
 * geometry by id, so the first feature of an id is kept whole, its attributes with its own
 * shape, and its repeats are dropped with a warning. */
static void pair_with_geometry(cm_timeline *tl, GArray *read, GArray *fids, GHashTable *attrs,
                               cm_ctx *ctx)
{
    for (guint i = 0; i < fids->len; i++)
        if (!g_hash_table_contains(attrs, &g_array_index(fids, gint64, i)))
            g_hash_table_insert(attrs, &g_array_index(fids, gint64, i), GUINT_TO_POINTER(i + 1));
    tl->items = g_new0(cm_timed, (size_t)tl->layer->n);
    GHashTable *seen = g_hash_table_new(g_int64_hash, g_int64_equal);
    int kept = 0;
    for (int i = 0; i < tl->layer->n; i++) {
        gint64 fid = tl->layer->features[i].fid;
        guint idx = GPOINTER_TO_UINT(g_hash_table_lookup(attrs, &fid));
        if (idx && g_hash_table_contains(seen, &tl->layer->features[i].fid)) {
            cm_warn(ctx, "%s: feature id %ld appears more than once; its repeats are ignored",
                    tl->path, (long)fid);
            idx = 0;
        }
        if (!idx) {
            /* no attributes (skipped when read) or a repeat: its geometry goes too */
            cm_feature_clear(&tl->layer->features[i]);
            continue;
        }
        g_hash_table_add(seen, &g_array_index(fids, gint64, idx - 1));
        tl->layer->features[kept] = tl->layer->features[i];
        tl->items[kept] = g_array_index(read, cm_timed, idx - 1);
        memset(&g_array_index(read, cm_timed, idx - 1), 0, sizeof(cm_timed));
        kept++;
    }
    g_hash_table_unref(seen);
    tl->layer->n = kept;
}

cm_status cm_timeline_load_layer(cm_timeline **out, const char *path, const char *layer,
                                 gboolean lines, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_timeline *tl = g_new0(cm_timeline, 1);
    GDALDatasetH ds = NULL;
    GHashTable *attrs = g_hash_table_new(g_int64_hash, g_int64_equal);
    GArray *read = g_array_new(FALSE, TRUE, sizeof(cm_timed));
    GArray *fids = g_array_new(FALSE, FALSE, sizeof(gint64));

    *out = NULL;
    tl->path = cm_datasource_name(path, layer);
    tl->lines = lines;
    OGRLayerH lyr = NULL;
    cm_layer_spec spec = {.file = (char *)path, .layer = (char *)layer};
    if ((st = cm_layer_load(&tl->layer, &spec, 0, problems, ctx)) != CM_OK ||
        (st = cm_ogr_open(&ds, path, NULL, CM_EINPUT, ctx)) != CM_OK ||
        (st = cm_datasource_layer(&lyr, ds, path, layer, CM_EINPUT, ctx)) != CM_OK)
        goto cleanup;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    OGRFeatureH f;
    cm_gdal_quiet_begin();
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        cm_timed t = {0};
        cm_ctx *fctx = problems ? cm_ctx_new() : ctx;
        cm_status fst = read_timed(f, defn, tl->path, lines, &t, fctx);
        OGR_F_Destroy(f);
        if (fst != CM_OK) {
            cm_timed_clear(&t);
            if (problems) {
                g_ptr_array_add(problems, g_strdup(cm_ctx_message(fctx)));
                cm_ctx_destroy(fctx);
                continue;
            }
            st = fst;
            cm_gdal_quiet_end();
            goto cleanup;
        }
        if (problems)
            cm_ctx_destroy(fctx);
        gint64 fid = t.fid;
        g_array_append_val(read, t);
        g_array_append_val(fids, fid);
    }
    cm_gdal_quiet_end();
    pair_with_geometry(tl, read, fids, attrs, ctx);
    *out = tl;
    tl = NULL;
cleanup:
    for (guint i = 0; i < read->len; i++)
        cm_timed_clear(&g_array_index(read, cm_timed, i));
    g_array_free(read, TRUE);
    g_array_free(fids, TRUE);
    g_hash_table_unref(attrs);
    if (ds)
        GDALClose(ds);
    cm_timeline_destroy(tl);
    return st;
}

cm_status cm_timeline_load(cm_timeline **out, const char *path, gboolean lines,
                           GPtrArray *problems, cm_ctx *ctx)
{
    return cm_timeline_load_layer(out, path, NULL, lines, problems, ctx);
}
