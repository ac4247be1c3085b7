/* init's writers: the files of a new project, each written whole or not at all. */
#include "init.h"

#include "ctx.h"
#include "geodata.h"

#include <errno.h>
#include <cpl_conv.h>
#include <math.h>
#include <string.h>

#define MAX_PLACES 60   /* the gazetteer's biggest towns inside the regions: a readable map */
#define NEAR_SPANS 1.0  /* the neighbours are clipped to the frame plus this many of its spans */

cm_status cm_init_write_text(const cm_init_project_data *p, const char *name, const char *text,
                             cm_ctx *ctx)
{
    char *path = g_build_filename(p->dir, name, NULL);
    GError *err = NULL;
    cm_status st = CM_OK;
    if (!g_file_set_contents(path, text, -1, &err)) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: %s", path, err->message);
        g_error_free(err);
    }
    g_free(path);
    return st;
}

void cm_init_csv_cell(GString *out, const char *text)
{
    if (!text)
        return;
    if (!strpbrk(text, ",\"\r\n")) {
        g_string_append(out, text);
        return;
    }
    g_string_append_c(out, '"');
    for (const char *c = text; *c; c++) {
        if (*c == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *c);
    }
    g_string_append_c(out, '"');
}

/* A GeoJSON string value. */
static void json_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *c = text ? text : ""; *c; c++) {
        if (*c == '"' || *c == '\\')
            g_string_append_printf(out, "\\%c", *c);
        else if ((unsigned char)*c < 0x20)
            g_string_append_printf(out, "\\u%04x", *c);
        else
            g_string_append_c(out, *c);
    }
    g_string_append_c(out, '"');
}

static void json_feature(GString *out, const char *key, const char *en, const char *ar,
                         OGRGeometryH g, gboolean first)
{
    char *opts[] = {"COORDINATE_PRECISION=6", NULL};
    char *geom = OGR_G_ExportToJsonEx(g, opts);
    g_string_append(out, first ? "\n" : ",\n");
    g_string_append(out, "{\"type\": \"Feature\", \"properties\": {\"key\": ");
    json_string(out, key);
    g_string_append(out, ", \"name_en\": ");
    json_string(out, en);
    g_string_append(out, ", \"name_ar\": ");
    json_string(out, ar);
    g_string_append_printf(out, "}, \"geometry\": %s}", geom ? geom : "null");
    CPLFree(geom);
}

/* regions.geojson (key, name_en, name_ar: what the map file names) and border.geojson (their
 * union), in WGS 84, so the project does not depend on where the boundaries came from. */
cm_status cm_init_write_regions(const cm_init_project_data *p, cm_ctx *ctx)
{
    GString *s = g_string_new("{\"type\": \"FeatureCollection\", \"features\": [");
    for (guint i = 0; i < p->regions->len; i++) {
        const cm_init_region *r = p->regions->pdata[i];
        json_feature(s, r->key, r->name_en, r->name_ar, r->geom, i == 0);
    }
    g_string_append(s, "\n]}\n");
    cm_status st = cm_init_write_text(p, "regions.geojson", s->str, ctx);
    g_string_assign(s, "{\"type\": \"FeatureCollection\", \"features\": [");
    json_feature(s, p->name, p->name, NULL, p->all, TRUE);
    g_string_append(s, "\n]}\n");
    if (st == CM_OK)
        st = cm_init_write_text(p, "border.geojson", s->str, ctx);
    g_string_free(s, TRUE);
    return st;
}

/* control.csv: one row a region, every one held by UNRECORDED (the style draws it as "no
 * data"), so the map renders at once and the spreadsheet lists every key to fill in; a
 * ledger may not be empty.  sources.csv: the one source those rows cite. */
cm_status cm_init_write_ledgers(const cm_init_project_data *p, const char *date, cm_ctx *ctx)
{
    GString *t = g_string_new("date,region,controller,status,source,parties,confidence,note\n");
    for (guint i = 0; i < p->regions->len; i++) {
        const cm_init_region *r = p->regions->pdata[i];
        g_string_append_printf(t, "%s,", date);
        cm_init_csv_cell(t, r->key);
        g_string_append(t, ",UNRECORDED,held,init,,,");
        cm_init_csv_cell(t, r->name_en);
        g_string_append_c(t, '\n');
    }
    cm_status st = cm_init_write_text(p, "control.csv", t->str, ctx);
    g_string_truncate(t, 0);
    g_string_append_printf(t, "id,outlet,title,published,url\ninit,conflictmap init,Not yet "
                              "recorded: replace these rows with sourced ones,%s,\n", date);
    if (st == CM_OK)
        st = cm_init_write_text(p, "sources.csv", t->str, ctx);
    g_string_free(t, TRUE);
    return st;
}

typedef struct {
    char *key, *name_en, *name_ar, *kind, *geonameid;
    double lon, lat;
    gint64 population;
} town;

static void town_free(gpointer data)
{
    town *t = data;
    g_free(t->key), g_free(t->name_en), g_free(t->name_ar), g_free(t->kind), g_free(t->geonameid);
    g_free(t);
}

static gint by_population(gconstpointer a, gconstpointer b)
{
    const town *x = *(town *const *)a, *y = *(town *const *)b;
    return x->population < y->population ? 1 : x->population > y->population ? -1 : 0;
}

static char *field(OGRFeatureH f, OGRFeatureDefnH d, const char *name)
{
    int i = OGR_FD_GetFieldIndex(d, name);
    return i >= 0 ? cm_ogr_field_text(f, i, NULL) : NULL;
}

/* The gazetteer's places inside the regions' union, biggest first. */
static cm_status towns_inside(GPtrArray *out, const cm_init_project_data *p, const char *csv,
                              cm_ctx *ctx)
{
    GDALDatasetH ds = NULL;
    cm_status st = cm_ogr_open_table(&ds, csv, ctx);
    if (st != CM_OK)
        return st;
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(lyr);
    OGREnvelope e;
    OGR_G_GetEnvelope(p->all, &e);
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(lyr))) {
        double lon = OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "lon"));
        double lat = OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "lat"));
        OGR_G_SetPoint_2D(pt, 0, lon, lat);
        if (lon >= e.MinX && lon <= e.MaxX && lat >= e.MinY && lat <= e.MaxY &&
            OGR_G_Intersects(p->all, pt)) {
            town *t = g_new0(town, 1);
            t->key = field(f, d, "key"), t->name_en = field(f, d, "name_en");
            t->name_ar = field(f, d, "name_ar"), t->kind = field(f, d, "kind");
            t->geonameid = field(f, d, "geonameid");
            t->population = OGR_F_GetFieldAsInteger64(f, OGR_FD_GetFieldIndex(d, "population"));
            t->lon = lon, t->lat = lat;
            g_ptr_array_add(out, t);
        }
        OGR_F_Destroy(f);
    }
    OGR_G_DestroyGeometry(pt);
    st = cm_ogr_read_stopped(csv, 0, ctx);
    GDALClose(ds);
    g_ptr_array_sort(out, by_population);
    return st;
}

/* A town's rank: the capital and the biggest 1, then 2, 3, 4 by size (rank 1-2 always show
 * their symbol; 3 and 4 only with their name). */
static int town_rank(const town *t, guint i)
{
    if (t->kind && strcmp(t->kind, "capital") == 0)
        return 1;
    return i == 0 ? 1 : i < 6 ? 2 : i < 20 ? 3 : 4;
}

/* places.csv: the bundled gazetteer's biggest places inside the regions. */
cm_status cm_init_write_places(const cm_init_project_data *p, int *n, cm_ctx *ctx)
{
    char *csv = g_build_filename(p->data_dir, "world", "places.csv", NULL);
    GPtrArray *towns = g_ptr_array_new_with_free_func(town_free);
    *n = 0;
    cm_status st = towns_inside(towns, p, csv, ctx);
    GString *s = g_string_new("key,name_en,name_ar,kind,rank,population,lon,lat,geonameid\n");
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; st == CM_OK && i < towns->len && i < MAX_PLACES; i++) {
        town *t = towns->pdata[i];
        /* two countries' towns of one name, inside one set of regions */
        if (g_hash_table_contains(seen, t->key)) {
            char *k = g_strconcat(t->key, "_", t->geonameid, NULL);
            g_free(t->key), t->key = k;
        }
        g_hash_table_add(seen, t->key);
        cm_init_csv_cell(s, t->key), g_string_append_c(s, ',');
        cm_init_csv_cell(s, t->name_en), g_string_append_c(s, ',');
        cm_init_csv_cell(s, t->name_ar);
        g_string_append_printf(s, ",%s,%d,%" G_GINT64_FORMAT ",%.5f,%.5f,%s\n",
                               t->kind ? t->kind : "town", town_rank(t, i), t->population, t->lon,
                               t->lat, t->geonameid ? t->geonameid : "");
        *n = (int)i + 1;
    }
    if (st == CM_OK)
        st = cm_init_write_text(p, "places.csv", s->str, ctx);
    g_hash_table_unref(seen);
    g_string_free(s, TRUE);
    g_ptr_array_unref(towns);
    g_free(csv);
    return st;
}

/* One VRT layer of the bundled countries cut to a lon/lat box within -180..180. */
static void vrt_part(GString *s, const char *name, const char *countries, const char *where,
                     const double b[4])
{
    g_string_append_printf(s, "    <OGRVRTLayer name=\"%s\">\n"
                              "      <SrcDataSource relativeToVRT=\"0\">%s</SrcDataSource>\n",
                           name, countries);
    g_string_append_printf(s, "      <SrcSQL>SELECT * FROM countries%s</SrcSQL>\n", where);
    g_string_append_printf(s, "      <SrcRegion clip=\"true\">POLYGON((%.4f %.4f,%.4f %.4f,%.4f "
                              "%.4f,%.4f %.4f,%.4f %.4f))</SrcRegion>\n    </OGRVRTLayer>\n",
                           b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]);
}

/* A VRT of the bundled countries cut to box b (two pieces when it crosses the
 * antimeridian).  Why cut: a conic or a transverse Mercator sends the far side of the
 * globe to wild page coordinates that wrap across the frame, so only the ground near the
 * map goes to the renderer. */
static char *world_vrt(const cm_init_project_data *p, const double b[4], gboolean drop_self)
{
    char *countries = g_build_filename(p->data_dir, "world", "countries.shp", NULL);
    char *abs = g_canonicalize_filename(countries, NULL);
    char *text = g_markup_escape_text(abs, -1);
    GString *where = g_string_new("");
    for (char **k = p->exclude; drop_self && k && *k; k++)
        g_string_append_printf(where, "%s'%s'", where->len ? ", " : " WHERE key NOT IN (", *k);
    if (where->len)
        g_string_append_c(where, ')');
    GString *s = g_string_new("<OGRVRTDataSource>\n  <OGRVRTUnionLayer name=\"countries\">\n");
    double east[4] = {b[0], b[1], fmin(b[2], 180), b[3]};
    vrt_part(s, "main", text, where->str, east);
    if (b[2] > 180) {
        double west[4] = {-180, b[1], b[2] - 360, b[3]};
        vrt_part(s, "across", text, where->str, west);
    }
    g_string_append(s, "  </OGRVRTUnionLayer>\n</OGRVRTDataSource>\n");
    g_string_free(where, TRUE);
    g_free(text), g_free(abs), g_free(countries);
    return g_string_free(s, FALSE);
}

/* neighbours.vrt and inset.vrt: the bundled world, read where it lies (not copied), cut. */
cm_status cm_init_write_world(const cm_init_project_data *p, cm_ctx *ctx)
{
    const double *m = p->map.box;
    double w = (m[2] - m[0]) * NEAR_SPANS, h = (m[3] - m[1]) * NEAR_SPANS;
    double near[4] = {m[0] - w, fmax(m[1] - h, -90), m[2] + w, fmin(m[3] + h, 90)};
    if (near[2] - near[0] >= 360)
        near[0] = -180, near[2] = 180;
    else if (near[0] < -180) /* as the map's, a box crossing the antimeridian has east > 180 */
        near[0] += 360, near[2] += 360;
    char *vrt = world_vrt(p, near, TRUE);
    cm_status st = cm_init_write_text(p, "neighbours.vrt", vrt, ctx);
    g_free(vrt);
    vrt = world_vrt(p, p->inset.box, FALSE);
    if (st == CM_OK)
        st = cm_init_write_text(p, "inset.vrt", vrt, ctx);
    g_free(vrt);
    return st;
}
