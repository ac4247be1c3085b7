/* The sources table, read through OGR like the ledger; see sources.h. */
#include "sources.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"
#include "words.h"

#include <ogr_api.h>
#include <string.h>

static void source_free(gpointer p)
{
    cm_source *s = p;
    g_free(s->id), g_free(s->outlet), g_free(s->title), g_free(s->url);
    g_free(s);
}

void cm_sources_destroy(cm_sources *s)
{
    if (!s)
        return;
    g_free(s->path);
    g_ptr_array_unref(s->list);
    g_hash_table_unref(s->by_id);
    g_free(s);
}

/* A row's problem: recorded in `problems` (and the row skipped) or the load's failure. */
static cm_status problem(GPtrArray *problems, cm_ctx *ctx, char *msg)
{
    if (problems) {
        g_ptr_array_add(problems, msg);
        return CM_OK;
    }
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s", msg);
    g_free(msg);
    return st;
}

/* An address a reader may follow: http or https, and nothing else (a javascript: or data:
 * address in a link of the web edition would run or open what the data says). */
static gboolean web_address(const char *url)
{
    return (g_ascii_strncasecmp(url, "http://", 7) == 0 && url[7]) ||
           (g_ascii_strncasecmp(url, "https://", 8) == 0 && url[8]);
}

/* One row into a source; NULL, with the problem said, when it cannot be one. */
static cm_source *read_source(OGRFeatureH f, const int col[5], const cm_sources *s, int line,
                              GPtrArray *problems, cm_ctx *ctx, cm_status *st)
{
    cm_source *src = g_new0(cm_source, 1);
    char *text = NULL;
    src->line = line;
    src->id = cm_ogr_field_string(f, col[0]);
    src->outlet = cm_ogr_field_string(f, col[1]);
    src->title = cm_ogr_field_string(f, col[2]);
    src->url = col[4] >= 0 ? cm_ogr_field_string(f, col[4]) : NULL;
    char *msg = NULL;
    if (!src->id)
        msg = g_strdup_printf("%s:%d: the source has no id", s->path, line);
    else if (strpbrk(src->id, "; \t\n"))
        msg = g_strdup_printf("%s:%d: source id \"%s\" may hold neither ';' nor blanks (rows "
                              "cite ids separated by ';')", s->path, line, src->id);
    else if (g_hash_table_contains(s->by_id, src->id))
        msg = g_strdup_printf("%s:%d: source id \"%s\" given twice", s->path, line, src->id);
    else if (!src->outlet)
        msg = g_strdup_printf("%s:%d: source \"%s\" has no outlet", s->path, line, src->id);
    else if (!cm_ogr_field_date(f, col[3], &src->published, &text))
        msg = g_strdup_printf("%s:%d: source \"%s\" has no published date (YYYY-MM-DD)%s%s%s",
                              s->path, line, src->id, text ? ", not \"" : "", text ? text : "",
                              text ? "\"" : "");
    else if (src->url && !web_address(src->url))
        msg = g_strdup_printf("%s:%d: source \"%s\": the url must be an http:// or https:// "
                              "address (a web page links it)", s->path, line, src->id);
    g_free(text);
    if (!msg)
        return src;
    *st = problem(problems, ctx, msg);
    source_free(src);
    return NULL;
}

cm_status cm_sources_load_layer(cm_sources **out, const char *path, const char *layer,
                                GPtrArray *problems, cm_ctx *ctx)
{
    static const char *const columns[] = {"id", "outlet", "title", "published", "url"};
    cm_status st = CM_OK;
    GDALDatasetH ds = NULL;
    int col[5];
    OGRLayerH lyr = NULL;
    *out = NULL;
    if ((st = cm_ogr_open_table(&ds, path, ctx)) != CM_OK)
        return st;
    if ((st = cm_datasource_layer(&lyr, ds, path, layer, CM_EINPUT, ctx)) != CM_OK) {
        GDALClose(ds);
        return st;
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    for (int i = 0; i < 5; i++) {
        col[i] = OGR_FD_GetFieldIndex(defn, columns[i]);
        if (col[i] < 0 && i < 4) {
            GDALClose(ds);
            char *name = cm_datasource_name(path, layer);
            st = cm_fail(ctx, CM_EINPUT, "%s:1: no \"%s\" column (needs id, outlet, title, "
                         "published; may have url)", name, columns[i]);
            g_free(name);
            return st;
        }
    }
    cm_sources *s = g_new0(cm_sources, 1);
    s->path = cm_datasource_name(path, layer);
    GChecksum *sum = cm_datasource_digest_new(path, lyr);
    s->list = g_ptr_array_new_with_free_func(source_free);
    s->by_id = g_hash_table_new(g_str_hash, g_str_equal);
    OGRFeatureH f;
    int line = 1;
    cm_gdal_quiet_begin();
    while (st == CM_OK && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        cm_datasource_digest_feature(sum, f);
        cm_source *src = read_source(f, col, s, ++line, problems, ctx, &st);
        OGR_F_Destroy(f);
        if (src) {
            g_ptr_array_add(s->list, src);
            g_hash_table_insert(s->by_id, src->id, src);
        }
    }
    cm_gdal_quiet_end();
    GDALClose(ds);
    cm_datasource_digest_end(sum, s->read_sha256);
    if (st == CM_OK)
        st = cm_ogr_read_stopped(s->path, line + 1, ctx);
    if (st != CM_OK) {
        cm_sources_destroy(s);
        return st;
    }
    *out = s;
    return CM_OK;
}

cm_status cm_sources_load(cm_sources **out, const char *path, GPtrArray *problems, cm_ctx *ctx)
{
    return cm_sources_load_layer(out, path, NULL, problems, ctx);
}

const cm_source *cm_sources_get(const cm_sources *s, const char *id)
{
    return g_hash_table_lookup(s->by_id, id);
}

char **cm_source_ids(const char *cell)
{
    GPtrArray *ids = g_ptr_array_new();
    char **parts = g_strsplit(cell ? cell : "", ";", -1);
    for (char **p = parts; *p; p++) {
        char *id = g_strstrip(*p);
        if (*id)
            g_ptr_array_add(ids, g_strdup(id));
    }
    g_strfreev(parts);
    g_ptr_array_add(ids, NULL);
    return (char **)g_ptr_array_free(ids, FALSE);
}

cm_status cm_sources_check_cell(const cm_sources *s, const char *cell, const char *where,
                                GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    char **ids = cm_source_ids(cell);
    if (!ids[0])
        st = problem(problems, ctx, g_strdup_printf("%s: no source id", where));
    GPtrArray *known = NULL;
    for (char **id = ids; st == CM_OK && *id; id++) {
        if (cm_sources_get(s, *id))
            continue;
        if (!known) {
            known = g_ptr_array_new();
            for (guint i = 0; i < s->list->len; i++)
                g_ptr_array_add(known, ((cm_source *)s->list->pdata[i])->id);
            g_ptr_array_add(known, NULL);
        }
        /* the nearest id, in a table small enough to search for one in good time */
        const char *near = s->list->len <= 5000
                               ? cm_nearest_word(*id, (const char *const *)known->pdata)
                               : NULL;
        st = problem(problems, ctx,
                     g_strdup_printf("%s: source \"%s\" is not in %s%s%s%s", where, *id, s->path,
                                     near ? " (did you mean \"" : "", near ? near : "",
                                     near ? "\"?)" : ""));
    }
    if (known)
        g_ptr_array_free(known, TRUE);
    g_strfreev(ids);
    return st;
}

char *cm_source_note(const cm_style *s, const cm_source *src, const GDate *date, gboolean title)
{
    GString *n = g_string_new(src->outlet);
    char *paren = title ? NULL : strstr(n->str, " (");
    if (paren) /* briefly: "Reuters", not "Reuters (video script, via ...)" */
        g_string_truncate(n, (gsize)(paren - n->str));
    if (src->title && title)
        g_string_append_printf(n, ", \u201c%s\u201d", src->title);
    gboolean later = g_date_compare(&src->published, date) > 0;
    char *when = cm_format_date_short(s, &src->published);
    char *reported = later ? cm_wordf(s, "reported", when, NULL) : NULL;
    g_string_append_printf(n, ", %s", reported ? reported : when);
    g_free(reported);
    g_free(when);
    return g_string_free(n, FALSE);
}
