/* The events table, read through OGR like the ledger; see events.h. */
#include "events.h"

#include "ctx.h"
#include "geodata.h"

#include <math.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>

void cm_events_destroy(cm_events *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->n; i++)
        g_free(e->items[i].text), g_free(e->items[i].text_ar), g_free(e->items[i].text_fr),
            g_free(e->items[i].sources);
    g_free(e->items);
    g_free(e->path);
    g_free(e);
}

/* A number cell, or NAN when empty. */
static double number(OGRFeatureH f, int idx, gboolean *bad)
{
    char *text = idx >= 0 ? cm_ogr_field_string(f, idx) : NULL, *end = NULL;
    double v = NAN;
    if (text) {
        v = g_ascii_strtod(text, &end);
        *bad |= !end || *end || !isfinite(v);
    }
    g_free(text);
    return v;
}

/* One row into an event; the problem as text (g_free) when it cannot be one. */
static char *read_event(cm_event *ev, OGRFeatureH f, const int col[8], const char *path, int line)
{
    char *text = NULL, *why = NULL;
    ev->line = line;
    g_date_clear(&ev->until, 1);
    if (!cm_ogr_field_date(f, col[0], &ev->date, &text))
        why = g_strdup_printf("%s:%d: date \"%s\" is not a valid YYYY-MM-DD date", path, line,
                              text ? text : "");
    g_clear_pointer(&text, g_free);
    char *until = col[1] >= 0 ? cm_ogr_field_string(f, col[1]) : NULL;
    if (!why && until && (!cm_ogr_field_date(f, col[1], &ev->until, &text) ||
                          g_date_compare(&ev->until, &ev->date) < 0))
        why = g_strdup_printf("%s:%d: until \"%s\" is not a date on or after the event's", path,
                              line, until);
    g_free(until), g_free(text);
    gboolean bad = FALSE;
    ev->lon = number(f, col[2], &bad), ev->lat = number(f, col[3], &bad);
    ev->has_point = !isnan(ev->lon) && !isnan(ev->lat);
    if (!why && (bad || isnan(ev->lon) != isnan(ev->lat) ||
                 (ev->has_point && !(fabs(ev->lon) <= 180 && fabs(ev->lat) <= 90))))
        why = g_strdup_printf("%s:%d: lon and lat must both be given, in -180..180 and -90..90, "
                              "or both be empty", path, line);
    ev->text = cm_ogr_field_text(f, col[4], NULL);
    ev->text_ar = col[5] >= 0 ? cm_ogr_field_text(f, col[5], NULL) : NULL;
    ev->text_fr = col[7] >= 0 ? cm_ogr_field_text(f, col[7], NULL) : NULL;
    ev->sources = cm_ogr_field_string(f, col[6]);
    if (!why && !ev->text)
        why = g_strdup_printf("%s:%d: the event has no text", path, line);
    if (!why && !ev->sources)
        why = g_strdup_printf("%s:%d: every event needs a source", path, line);
    return why;
}

static gint by_date(gconstpointer a, gconstpointer b)
{
    const cm_event *x = a, *y = b;
    int c = g_date_compare(&x->date, &y->date);
    return c ? c : x->line - y->line; /* g_array_sort is not stable: the table's order */
}

/* The table's layer and its columns' indexes; the dataset is closed on failure. */
static cm_status open_events(GDALDatasetH *ds, OGRLayerH *lyr, int col[8], const char *path,
                             const char *layer, const char *name, cm_ctx *ctx)
{
    static const char *const columns[] = {"date", "until", "lon", "lat", "text", "text_ar",
                                          "sources", "text_fr"};
    static const gboolean required[] = {TRUE, FALSE, FALSE, FALSE, TRUE, FALSE, TRUE, FALSE};
    cm_status st;
    if ((st = cm_ogr_open_table(ds, path, ctx)) != CM_OK)
        return st;
    if ((st = cm_datasource_layer(lyr, *ds, path, layer, CM_EINPUT, ctx)) != CM_OK)
        goto fail;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(*lyr);
    for (int i = 0; i < 8; i++)
        if ((col[i] = OGR_FD_GetFieldIndex(defn, columns[i])) < 0 && required[i]) {
            st = cm_fail(ctx, CM_EINPUT, "%s:1: no \"%s\" column (needs date, text, sources; "
                         "may have until, lon, lat, text_ar, text_fr)", name, columns[i]);
            goto fail;
        }
    return CM_OK;
fail:
    GDALClose(*ds);
    *ds = NULL;
    return st;
}

cm_status cm_events_load_layer(cm_events **out, const char *path, const char *layer,
                               GPtrArray *problems, cm_ctx *ctx)
{
    GDALDatasetH ds = NULL;
    OGRLayerH lyr = NULL;
    int col[8];
    cm_status st = CM_OK;
    *out = NULL;
    char *name = cm_datasource_name(path, layer);
    if ((st = open_events(&ds, &lyr, col, path, layer, name, ctx)) != CM_OK) {
        g_free(name);
        return st;
    }
    GChecksum *sum = cm_datasource_digest_new(path, lyr);
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_event));
    OGRFeatureH f;
    int line = 1;
    cm_gdal_quiet_begin();
    while (st == CM_OK && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
        cm_event ev = {0};
        cm_datasource_digest_feature(sum, f);
        char *why = read_event(&ev, f, col, name, ++line);
        OGR_F_Destroy(f);
        if (!why) {
            g_array_append_val(items, ev);
            continue;
        }
        g_free(ev.text), g_free(ev.text_ar), g_free(ev.text_fr), g_free(ev.sources);
        if (problems)
            g_ptr_array_add(problems, why);
        else
            st = cm_fail(ctx, CM_EINPUT, "%s", why), g_free(why);
    }
    cm_gdal_quiet_end();
    GDALClose(ds);
    if (st == CM_OK)
        st = cm_ogr_read_stopped(name, line + 1, ctx);
    /* numbered in date order on the map, whatever the table's order */
    g_array_sort(items, by_date);
    cm_events *e = g_new0(cm_events, 1);
    e->path = name;
    cm_datasource_digest_end(sum, e->read_sha256);
    e->n = (int)items->len;
    e->items = (cm_event *)g_array_free(items, FALSE);
    if (st != CM_OK) {
        cm_events_destroy(e);
        return st;
    }
    *out = e;
    return CM_OK;
}

cm_status cm_events_load(cm_events **out, const char *path, GPtrArray *problems, cm_ctx *ctx)
{
    return cm_events_load_layer(out, path, NULL, problems, ctx);
}

gboolean cm_event_shown(const cm_event *e, const GDate *date)
{
    if (g_date_compare(&e->date, date) > 0)
        return FALSE;
    if (g_date_valid(&e->until))
        return g_date_compare(date, &e->until) <= 0;
    return g_date_days_between(&e->date, date) <= CM_EVENT_DAYS;
}

const char *cm_event_text(const cm_event *e, const char *lang)
{
    const char *t = !strcmp(lang, "ar") ? e->text_ar : !strcmp(lang, "fr") ? e->text_fr : NULL;
    return t ? t : e->text;
}

int cm_events_untranslated(const cm_events *e, const char *lang)
{
    int n = 0;
    for (int i = 0; e && strcmp(lang, "en") != 0 && i < e->n; i++)
        n += cm_event_text(&e->items[i], lang) == e->items[i].text;
    return n;
}
