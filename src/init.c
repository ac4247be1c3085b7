/* init: a ready project for your own conflict.  This file reads the user's boundaries and
 * decides the frame; init_write.c writes the project's files. */
#include "init.h"

#include "ctx.h"
#include "geodata.h"

#include "conflictmap/map.h"

#include <errno.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <string.h>

#define CORE_SHARE 0.98 /* the frame shows the largest parts holding this share of the area */

void cm_init_options_init(cm_init_options *o)
{
    *o = (cm_init_options){.size = sizeof *o};
}

static void region_free(gpointer data)
{
    cm_init_region *r = data;
    g_free(r->key), g_free(r->name_en), g_free(r->name_ar);
    if (r->geom)
        OGR_G_DestroyGeometry(r->geom);
    g_free(r);
}

static void project_clear(cm_init_project_data *p)
{
    g_free(p->name), g_free(p->dir), g_free(p->data_dir), g_free(p->title);
    if (p->regions)
        g_ptr_array_unref(p->regions);
    if (p->all)
        OGR_G_DestroyGeometry(p->all);
    g_strfreev(p->exclude);
    cm_init_frame_clear(&p->map);
    cm_init_frame_clear(&p->inset);
}

/* The layer asked for, or the first; an unknown name fails listing the layers there are. */
static cm_status pick_layer(OGRLayerH *out, GDALDatasetH ds, const char *path, const char *name,
                            cm_ctx *ctx)
{
    *out = name ? GDALDatasetGetLayerByName(ds, name) : GDALDatasetGetLayer(ds, 0);
    if (*out)
        return CM_OK;
    if (!name)
        return cm_fail(ctx, CM_EINPUT, "%s: no layers", path);
    GString *names = g_string_new(NULL);
    for (int i = 0; i < GDALDatasetGetLayerCount(ds); i++)
        g_string_append_printf(names, "%s%s", i ? ", " : "",
                               OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s: no layer \"%s\" (layers: %s)", path, name, names->str);
    g_string_free(names, TRUE);
    return st;
}

/* The index of field `name` (NULL: -1, fine); an unknown one fails listing the fields. */
static cm_status field_index(int *idx, OGRLayerH lyr, const char *path, const char *option,
                             const char *name, cm_ctx *ctx)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    *idx = name ? OGR_FD_GetFieldIndex(defn, name) : -1;
    if (!name || *idx >= 0)
        return CM_OK;
    GString *names = g_string_new(NULL);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        g_string_append_printf(names, "%s%s", i ? ", " : "",
                               OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
    cm_status st = cm_fail(ctx, CM_EINPUT, "%s: --%s: layer %s has no field \"%s\" (fields: %s)",
                           path, option, OGR_L_GetName(lyr), name, names->str);
    g_string_free(names, TRUE);
    return st;
}

static OGRSpatialReferenceH wgs84(void)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(srs, 4326);
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

/* One feature as a region: its key checked (not empty, not seen before), its geometry a
 * valid polygon in lon/lat. */
static cm_status read_region(cm_init_project_data *p, OGRFeatureH f, const int idx[3],
                             OGRCoordinateTransformationH ct, GHashTable *seen, cm_ctx *ctx)
{
    const char *path = p->o->boundaries;
    long fid = (long)OGR_F_GetFID(f);
    char *key = cm_ogr_field_text(f, idx[0], NULL);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!key) {
        return cm_fail(ctx, CM_EINPUT, "%s: feature %ld has an empty --key field %s", path, fid,
                       p->o->key);
    }
    if (strpbrk(key, "\t\n\r")) {
        /* query's one tab-separated line, and the ledger's cells, could not hold it */
        cm_status st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld: the key holds a tab or a line "
                               "break; use another --key field", path, fid);
        g_free(key);
        return st;
    }
    if (g_hash_table_contains(seen, key)) {
        cm_status st = cm_fail(ctx, CM_EINPUT, "%s: key \"%s\" appears twice (again at feature "
                               "%ld): the ledger needs one region per key", path, key, fid);
        g_free(key);
        return st;
    }
    int type = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
    if (!g || OGR_G_IsEmpty(g) || (type != wkbPolygon && type != wkbMultiPolygon)) {
        cm_warn(ctx, "%s: feature %ld (%s) has no polygon, left out", path, fid, key);
        g_free(key);
        return CM_OK;
    }
    cm_init_region *r = g_new0(cm_init_region, 1);
    r->key = key;
    r->name_en = idx[1] >= 0 ? cm_ogr_field_text(f, idx[1], NULL) : NULL;
    if (!r->name_en)
        r->name_en = g_strdup(key);
    r->name_ar = idx[2] >= 0 ? cm_ogr_field_text(f, idx[2], NULL) : NULL;
    r->geom = OGR_G_Clone(g);
    if (ct)
        OGR_G_Transform(r->geom, ct);
    if (!OGR_G_IsValid(r->geom)) {
        OGRGeometryH fixed = OGR_G_MakeValid(r->geom);
        if (fixed)
            OGR_G_DestroyGeometry(r->geom), r->geom = fixed;
    }
    g_hash_table_add(seen, r->key);
    g_ptr_array_add(p->regions, r);
    return CM_OK;
}

static cm_status read_features(cm_init_project_data *p, OGRLayerH lyr, const int idx[3],
                               cm_ctx *ctx)
{
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(lyr), dst = wgs84();
    OGRCoordinateTransformationH ct = NULL;
    if (src) {
        OGRSpatialReferenceH s = OSRClone(src);
        OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(s, dst);
        OSRDestroySpatialReference(s);
    }
    cm_status st = CM_OK;
    if (src && !ct)
        st = cm_fail(ctx, CM_EINPUT, "%s: no transformation from its CRS to WGS 84", p->o->boundaries);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    OGRFeatureH f;
    OGR_L_ResetReading(lyr);
    while (st == CM_OK && (f = OGR_L_GetNextFeature(lyr))) {
        st = read_region(p, f, idx, ct, seen, ctx);
        OGR_F_Destroy(f);
    }
    g_hash_table_unref(seen);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(dst);
    if (st == CM_OK && p->regions->len == 0)
        st = cm_fail(ctx, CM_EINPUT, "%s: layer %s has no polygon features", p->o->boundaries,
                     OGR_L_GetName(lyr));
    return st;
}

/* Opens the boundaries and reads every region. */
static cm_status read_regions(cm_init_project_data *p, cm_ctx *ctx)
{
    const cm_init_options *o = p->o;
    GDALDatasetH ds = NULL;
    OGRLayerH lyr = NULL;
    int idx[3];
    cm_status st = cm_ogr_open(&ds, o->boundaries, NULL, CM_EINPUT, ctx);
    if (st == CM_OK)
        st = pick_layer(&lyr, ds, o->boundaries, o->layer, ctx);
    if (st == CM_OK && (st = field_index(&idx[0], lyr, o->boundaries, "key", o->key, ctx)) == CM_OK &&
        (st = field_index(&idx[1], lyr, o->boundaries, "name", o->name, ctx)) == CM_OK &&
        (st = field_index(&idx[2], lyr, o->boundaries, "name-ar", o->name_ar, ctx)) == CM_OK)
        st = read_features(p, lyr, idx, ctx);
    if (ds)
        GDALClose(ds);
    return st;
}

typedef struct {
    double area, env[4]; /* minx, maxx, miny, maxy as OGR gives them */
} part;

static gint by_area_desc(gconstpointer a, gconstpointer b)
{
    double x = ((const part *)a)->area, y = ((const part *)b)->area;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The union of the regions, and the parts it is made of, largest first. */
static GArray *union_parts(cm_init_project_data *p)
{
    OGRGeometryH coll = OGR_G_CreateGeometry(wkbMultiPolygon);
    for (guint i = 0; i < p->regions->len; i++) {
        OGRGeometryH g = ((cm_init_region *)p->regions->pdata[i])->geom;
        if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon)
            OGR_G_AddGeometry(coll, g);
        else
            for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
                if (wkbFlatten(OGR_G_GetGeometryType(OGR_G_GetGeometryRef(g, k))) == wkbPolygon)
                    OGR_G_AddGeometry(coll, OGR_G_GetGeometryRef(g, k));
    }
    p->all = OGR_G_UnionCascaded(coll);
    if (!p->all) /* GEOS failed on a bad union: the bare collection still has the extent */
        p->all = OGR_G_Clone(coll);
    OGR_G_DestroyGeometry(coll);
    GArray *parts = g_array_new(FALSE, FALSE, sizeof(part));
    int n = wkbFlatten(OGR_G_GetGeometryType(p->all)) == wkbPolygon ? 1 : OGR_G_GetGeometryCount(p->all);
    for (int i = 0; i < n; i++) {
        OGRGeometryH g = n == 1 && wkbFlatten(OGR_G_GetGeometryType(p->all)) == wkbPolygon
                             ? p->all : OGR_G_GetGeometryRef(p->all, i);
        OGREnvelope e;
        OGR_G_GetEnvelope(g, &e);
        part pt = {OGR_G_Area(g), {e.MinX, e.MaxX, e.MinY, e.MaxY}};
        g_array_append_val(parts, pt);
    }
    g_array_sort(parts, by_area_desc);
    return parts;
}

/* The lon/lat box of the parts that hold CORE_SHARE of the area (a far islet does not
 * shrink the country to a dot).  Longitudes are tried as given and shifted into 0..360:
 * the narrower is kept, so a country across the antimeridian gets east > 180. */
static void data_box(cm_init_project_data *p)
{
    GArray *parts = union_parts(p);
    double total = 0, sum = 0;
    for (guint i = 0; i < parts->len; i++)
        total += g_array_index(parts, part, i).area;
    double plain[2] = {INFINITY, -INFINITY}, shifted[2] = {INFINITY, -INFINITY};
    double lat[2] = {INFINITY, -INFINITY};
    gboolean can_shift = TRUE;
    guint used = 0;
    for (; used < parts->len && (used == 0 || sum < CORE_SHARE * total); used++) {
        const part *pt = &g_array_index(parts, part, used);
        sum += pt->area;
        plain[0] = fmin(plain[0], pt->env[0]), plain[1] = fmax(plain[1], pt->env[1]);
        lat[0] = fmin(lat[0], pt->env[2]), lat[1] = fmax(lat[1], pt->env[3]);
        double s0 = pt->env[1] < 0 ? pt->env[0] + 360 : pt->env[0];
        double s1 = pt->env[1] < 0 ? pt->env[1] + 360 : pt->env[1];
        can_shift = can_shift && !(pt->env[0] < 0 && pt->env[1] > 0);
        shifted[0] = fmin(shifted[0], s0), shifted[1] = fmax(shifted[1], s1);
    }
    p->outlying = (int)(parts->len - used);
    gboolean cross = can_shift && shifted[1] - shifted[0] < plain[1] - plain[0] - 1e-9;
    const double *lon = cross ? shifted : plain;
    double b[4] = {lon[0], lat[0], lon[1], lat[1]};
    if (b[0] >= 180) /* all of it was west of the antimeridian after all */
        b[0] -= 360, b[2] -= 360;
    memcpy(p->data, b, sizeof b);
    g_array_unref(parts);
}

/* The world countries the regions stand for: more than half of such a country lies inside
 * them.  They are left out of the neighbours, whose fill and name would show through. */
static void find_excluded(cm_init_project_data *p, const char *countries, cm_ctx *ctx)
{
    GDALDatasetH ds = NULL;
    GPtrArray *keys = g_ptr_array_new();
    cm_gdal_quiet_begin();
    if (cm_ogr_open(&ds, countries, NULL, CM_EINPUT, ctx) == CM_OK) {
        OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
        OGREnvelope e;
        OGR_G_GetEnvelope(p->all, &e);
        OGR_L_SetSpatialFilterRect(lyr, e.MinX, e.MinY, e.MaxX, e.MaxY);
        OGRFeatureH f;
        int ki = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "key");
        int ni = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), "name_en");
        while ((f = OGR_L_GetNextFeature(lyr))) {
            OGRGeometryH g = OGR_F_GetGeometryRef(f);
            OGRGeometryH in = g ? OGR_G_Intersection(g, p->all) : NULL;
            if (in && OGR_G_Area(in) > 0.5 * OGR_G_Area(g)) {
                g_ptr_array_add(keys, g_strdup(OGR_F_GetFieldAsString(f, ki)));
                g_free(p->title);
                p->title = keys->len == 1 ? g_strdup(OGR_F_GetFieldAsString(f, ni)) : NULL;
            }
            if (in)
                OGR_G_DestroyGeometry(in);
            OGR_F_Destroy(f);
        }
        GDALClose(ds);
    }
    cm_gdal_quiet_end();
    g_ptr_array_add(keys, NULL);
    p->exclude = (char **)g_ptr_array_free(keys, FALSE);
}

/* The bundled data's geodata folder, where the bundled map is (its world/ beside it). */
static cm_status find_data(cm_init_project_data *p, cm_ctx *ctx)
{
    p->data_dir = g_path_get_dirname(cm_default_map_path());
    char *countries = g_build_filename(p->data_dir, "world", "countries.shp", NULL);
    cm_status st = CM_OK;
    if (!g_file_test(countries, G_FILE_TEST_IS_REGULAR))
        st = cm_fail(ctx, CM_EINPUT, "%s: the bundled world is missing (set CONFLICTMAP_DATA to "
                     "the folder holding geodata/world)", countries);
    g_free(countries);
    return st;
}

/* The project's name and folder; a folder that exists and is not empty is refused unless
 * forced, so that init never overwrites someone's ledger. */
static cm_status prepare_dir(cm_init_project_data *p, cm_ctx *ctx)
{
    char *base = g_path_get_basename(p->o->boundaries);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = '\0';
    p->name = base;
    p->dir = g_strdup(p->o->dir ? p->o->dir : base);
    GDir *d = g_dir_open(p->dir, 0, NULL);
    gboolean empty = !d || !g_dir_read_name(d);
    if (d)
        g_dir_close(d);
    if (!empty && !p->o->force)
        return cm_fail(ctx, CM_EUSAGE, "%s: the folder is not empty (init writes a new project; "
                       "--force writes over it)", p->dir);
    if (g_file_test(p->dir, G_FILE_TEST_EXISTS) && !g_file_test(p->dir, G_FILE_TEST_IS_DIR))
        return cm_fail(ctx, CM_EOUTPUT, "%s: exists and is not a folder", p->dir);
    if (g_mkdir_with_parents(p->dir, 0777) != 0)
        return cm_fail(ctx, CM_EOUTPUT, "%s: cannot create the folder: %s", p->dir, g_strerror(errno));
    return CM_OK;
}

static cm_status check_options(const cm_init_options *o, cm_ctx *ctx)
{
    if (!o->boundaries)
        return cm_fail(ctx, CM_EUSAGE, "init needs a boundaries file");
    if (!o->key)
        return cm_fail(ctx, CM_EUSAGE, "init needs --key FIELD: the field that names each region");
    return CM_OK;
}

cm_status cm_init_project(char **map_path, const cm_init_options *o_in, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    cm_init_options o;
    cm_init_options_init(&o);
    if (map_path)
        *map_path = NULL;
    if (cm_options_read(&o, sizeof o, o_in, "cm_init_options", ctx) != CM_OK)
        return CM_EUSAGE;
    cm_init_project_data p = {.o = &o, .regions = g_ptr_array_new_with_free_func(region_free)};
    char *date = NULL, *countries = NULL;
    cm_status st;
    if ((st = check_options(&o, ctx)) != CM_OK || (st = find_data(&p, ctx)) != CM_OK ||
        (st = read_regions(&p, ctx)) != CM_OK)
        goto cleanup;
    data_box(&p);
    countries = g_build_filename(p.data_dir, "world", "countries.shp", NULL);
    find_excluded(&p, countries, ctx);
    cm_init_frame_for(&p.map, p.data);
    cm_init_inset_for(&p.inset, p.map.box);
    GDateTime *now = g_date_time_new_now_local();
    date = g_date_time_format(now, "%Y-%m-%d");
    g_date_time_unref(now);
    if ((st = prepare_dir(&p, ctx)) != CM_OK)
        goto cleanup;
    if (!p.title)
        p.title = g_strdup(p.name);
    if ((st = cm_init_write_regions(&p, ctx)) != CM_OK ||
        (st = cm_init_write_ledgers(&p, date, ctx)) != CM_OK ||
        (st = cm_init_write_places(&p, &p.nplaces, ctx)) != CM_OK || (st = cm_init_write_world(&p, ctx)) != CM_OK ||
        (st = cm_init_write_style(&p, ctx)) != CM_OK)
        goto cleanup;
    st = cm_init_write_map(map_path, &p, date, ctx);
cleanup:
    g_free(date);
    g_free(countries);
    project_clear(&p);
    return st;
}
