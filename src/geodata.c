/* OGR loading of layers into plain arrays.  GDAL's own messages are captured and folded
 * into ours with the source's name (datasource.c); nothing reaches stderr behind the
 * caller's back. */
#include "geodata.h"

#include "ctx.h"
#include "keyfile.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <ogr_api.h>
#include <math.h>
#include <string.h>

static gboolean has_suffix_ci(const char *path, const char *suffix)
{
    size_t lp = strlen(path), ls = strlen(suffix);
    return lp >= ls && g_ascii_strcasecmp(path + lp - ls, suffix) == 0;
}

static void free_srs(void *srs)
{
    OSRDestroySpatialReference(srs);
}

static void add_ring(GArray *rings, OGRGeometryH g)
{
    int n = OGR_G_GetPointCount(g);
    if (n <= 0)
        return;
    cm_ring r = {g_new(double, 2 * (size_t)n), n};
    OGR_G_GetPoints(g, r.xy, 2 * sizeof(double), r.xy + 1, 2 * sizeof(double), NULL, 0);
    g_array_append_val(rings, r);
}

/* Flattens any geometry into rings/parts/points. */
static void collect(GArray *rings, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    switch (t) {
    case wkbPoint:
    case wkbLineString:
    case wkbLinearRing:
        add_ring(rings, g);
        break;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbMultiLineString:
    case wkbMultiPoint:
    case wkbGeometryCollection:
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            collect(rings, OGR_G_GetGeometryRef(g, i));
        break;
    default:
        break; /* curves etc. are linearised by the caller */
    }
}

char *cm_ogr_field_text(OGRFeatureH f, int idx, gboolean *not_utf8)
{
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return NULL;
    const char *raw = OGR_F_GetFieldAsString(f, idx);
    char *s;
    /* a DBF in a code page GDAL was not told about arrives as raw bytes: keep what is text,
     * mark the rest, and let the caller say what to do about it */
    if (!g_utf8_validate(raw, -1, NULL)) {
        s = g_utf8_make_valid(raw, -1);
        if (not_utf8)
            *not_utf8 = TRUE;
    } else {
        s = g_strdup(raw);
    }
    g_strstrip(s);
    if (!*s)
        g_clear_pointer(&s, g_free);
    return s;
}

char *cm_ogr_field_string(OGRFeatureH f, int idx)
{
    return cm_ogr_field_text(f, idx, NULL);
}

static cm_status field_index(OGRFeatureDefnH defn, const char *path, const char *name,
                             int *idx, cm_ctx *ctx)
{
    *idx = -1;
    if (!name)
        return CM_OK;
    *idx = OGR_FD_GetFieldIndex(defn, name);
    if (*idx < 0)
        return cm_fail(ctx, CM_EINPUT, "%s: no field \"%s\" (named in the map file)", path, name);
    return CM_OK;
}

/* A copy of a polygon or multipolygon with every ring thinned (Douglas-Peucker) to `tol`.
 * Plain arrays, no GEOS: GEOS's simplifier spent most of a million-vertex render converting
 * geometry to and from its own form.  Rings that would fall under four points keep theirs. */
static OGRGeometryH thin_polygons(OGRGeometryH g, double tol)
{
    OGRGeometryH copy = OGR_G_Clone(g);
    gboolean single = wkbFlatten(OGR_G_GetGeometryType(copy)) == wkbPolygon;
    int npolys = single ? 1 : OGR_G_GetGeometryCount(copy);
    for (int p = 0; p < npolys; p++) {
        OGRGeometryH poly = single ? copy : OGR_G_GetGeometryRef(copy, p);
        for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
            int n = OGR_G_GetPointCount(ring);
            if (n < 5)
                continue;
            double *xy = g_new(double, 2 * (size_t)n);
            OGR_G_GetPoints(ring, xy, 2 * sizeof(double), xy + 1, 2 * sizeof(double), NULL, 0);
            int m = cm_ring_simplify(xy, n, tol);
            if (m >= 4 && m < n)
                OGR_G_SetPoints(ring, m, xy, 2 * sizeof(double), xy + 1, 2 * sizeof(double), NULL, 0);
            g_free(xy);
        }
    }
    return copy;
}

/* A shapefile's parts must agree: GDAL reads the shorter of .shx and .dbf without a word, so
 * a district would vanish from the map.  Counts come from the files' headers. */
static cm_status check_shapefile(const char *path, cm_ctx *ctx)
{
    if (!has_suffix_ci(path, ".shp"))
        return CM_OK;
    cm_status st = CM_OK;
    char *base = g_strndup(path, strlen(path) - 4);
    gboolean upper = path[strlen(path) - 1] == 'P';
    char *shx = g_strconcat(base, upper ? ".SHX" : ".shx", NULL);
    char *dbf = g_strconcat(base, upper ? ".DBF" : ".dbf", NULL);
    unsigned char h[100];
    long shapes = -1, records = -1;
    FILE *f = fopen(shx, "rb");
    if (f) {
        if (fread(h, 1, 100, f) == 100) {
            unsigned long words = (unsigned long)h[24] << 24 | h[25] << 16 | h[26] << 8 | h[27];
            shapes = ((long)words * 2 - 100) / 8;
        }
        fclose(f);
    }
    f = fopen(dbf, "rb");
    if (f) {
        if (fread(h, 1, 32, f) == 32)
            records = (long)((unsigned long)h[4] | (unsigned long)h[5] << 8 |
                             (unsigned long)h[6] << 16 | (unsigned long)h[7] << 24);
        fclose(f);
    } else if (g_file_test(shx, G_FILE_TEST_EXISTS)) {
        cm_warn(ctx, "%s: no .dbf beside it: the features have no attributes", path);
    }
    if (shapes >= 0 && records >= 0 && shapes != records)
        st = cm_fail(ctx, CM_EINPUT,
                     "%s: the .shx lists %ld shapes but the .dbf has %ld records; the files "
                     "do not belong together", path, shapes, records);
    g_free(base);
    g_free(shx);
    g_free(dbf);
    return st;
}

/* Why a geometry cannot be drawn as given, or NULL: a coordinate that is not a number or,
 * in lon/lat, lies outside -180..180 / -90..90; a polygon ring that is not closed or has
 * fewer than four points; a line of one point.  Checked before GEOS sees the geometry, whose
 * own messages name no feature. */
static char *bad_geometry(OGRGeometryH g, gboolean geographic)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int parts = OGR_G_GetGeometryCount(g);
    if (parts > 0) {
        for (int i = 0; i < parts; i++) {
            OGRGeometryH part = OGR_G_GetGeometryRef(g, i);
            char *why = bad_geometry(part, geographic);
            if (why)
                return why;
            OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
            if ((t == wkbPolygon || pt == wkbLinearRing) && OGR_G_GetPointCount(part) > 0) {
                int n = OGR_G_GetPointCount(part);
                if (n < 4)
                    return g_strdup_printf("has a polygon ring of %d point(s); a ring needs four", n);
                if (OGR_G_GetX(part, 0) != OGR_G_GetX(part, n - 1) ||
                    OGR_G_GetY(part, 0) != OGR_G_GetY(part, n - 1))
                    return g_strdup("has a polygon ring that is not closed (its last point is not "
                                    "its first)");
            }
        }
        return NULL;
    }
    int n = OGR_G_GetPointCount(g);
    if (t == wkbLineString && n == 1)
        return g_strdup("is a line of one point");
    for (int i = 0; i < n; i++) {
        double x = OGR_G_GetX(g, i), y = OGR_G_GetY(g, i);
        if (!isfinite(x) || !isfinite(y))
            return g_strdup_printf("has a coordinate that is not a number (%g, %g)", x, y);
        if (geographic && !(x >= -180 && x <= 180 && y >= -90 && y <= 90))
            return g_strdup_printf("has a coordinate outside -180..180 / -90..90: lon %g, lat %g",
                                   x, y);
    }
    return NULL;
}

/* The layer's CRS (a clone, lon/lat order), or WGS 84 with a warning when it has none. */
static OGRSpatialReferenceH layer_srs(OGRLayerH lyr, const char *path, cm_ctx *ctx)
{
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr), out;
    if (srs) {
        out = OSRClone(srs);
    } else {
        if (!has_suffix_ci(path, ".csv"))
            cm_warn(ctx, "%s: no coordinate reference system (.prj); taken as WGS 84 lon/lat", path);
        out = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(out, "WGS84");
    }
    OSRSetAxisMappingStrategy(out, OAMS_TRADITIONAL_GIS_ORDER);
    return out;
}

/* A feature's geometry as it will be drawn: curves made linear, polygons thinned to `tol`
 * and repaired when invalid.  *gp is replaced by the result; returns the geometry the caller
 * must destroy (NULL when *gp is still the feature's own). */
static OGRGeometryH drawable(OGRGeometryH *gp, double tol, const char *path, long fid, cm_ctx *ctx)
{
    OGRGeometryH g = *gp, owned = NULL;
    if (OGR_G_HasCurveGeometry(g, TRUE))
        g = owned = OGR_G_GetLinearGeometry(g, 0, NULL);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    gboolean polygon = t == wkbPolygon || t == wkbMultiPolygon;
    /* Thin polygons to the output's resolution first (Douglas-Peucker): checking and
     * repairing a million vertices nobody can see costs seconds, and the thinned shape is
     * what is drawn.  Thinning can itself break a valid polygon (a topology-keeping
     * simplifier avoids that but costs more than the rest of the render), so when the thin
     * shape is invalid the original is checked, and only when both are invalid is the
     * input reported as repaired. */
    if (polygon) {
        OGRGeometryH thin = tol > 0 ? thin_polygons(g, tol) : NULL;
        gboolean thin_ok = thin && !OGR_G_IsEmpty(thin) && OGR_G_IsValid(thin);
        if (!thin_ok && !OGR_G_IsValid(g)) {
            OGRGeometryH fixed = OGR_G_MakeValid(thin && !OGR_G_IsEmpty(thin) ? thin : g);
            if (fixed) {
                cm_warn(ctx, "%s: feature %ld has an invalid polygon, repaired", path, fid);
                if (owned)
                    OGR_G_DestroyGeometry(owned);
                g = owned = fixed;
            }
        } else if (thin && !OGR_G_IsEmpty(thin)) {
            /* valid input: the thin shape is drawn even where thinning crossed a ring over
             * itself, which the even-odd fill draws as the eye expects at this scale */
            if (owned)
                OGR_G_DestroyGeometry(owned);
            g = owned = thin;
            thin = NULL;
        }
        if (thin)
            OGR_G_DestroyGeometry(thin);
    }
    *gp = g;
    return owned;
}

/* One feature: its geometry checked and made drawable, its fields read (idx: key, name,
 * name_ar, kind, rank, name_fr).  FALSE, with a warning or a problem, when it is skipped. */
static gboolean read_feature(cm_feature *feat, OGRFeatureH f, const int idx[6], double tol,
                             gboolean geographic, const char *path, gboolean *not_utf8,
                             GPtrArray *problems, cm_ctx *ctx)
{
    long fid = (long)OGR_F_GetFID(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (!g || OGR_G_IsEmpty(g)) {
        cm_warn(ctx, "%s: feature %ld has no geometry, skipped", path, fid);
        return FALSE;
    }
    char *why = bad_geometry(g, geographic);
    if (why) {
        if (problems)
            g_ptr_array_add(problems, g_strdup_printf("%s: feature %ld %s", path, fid, why));
        else
            cm_warn(ctx, "%s: feature %ld %s; skipped", path, fid, why);
        g_free(why);
        return FALSE;
    }
    OGRGeometryH owned = drawable(&g, tol, path, fid, ctx);
    GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
    collect(rings, g);
    feat->fid = fid;
    feat->shape.nrings = (int)rings->len;
    feat->shape.rings = (cm_ring *)g_array_free(rings, FALSE);
    feat->key = cm_ogr_field_text(f, idx[0], not_utf8);
    feat->name = cm_ogr_field_text(f, idx[1], not_utf8);
    feat->name_ar = cm_ogr_field_text(f, idx[2], not_utf8);
    feat->kind = cm_ogr_field_text(f, idx[3], not_utf8);
    feat->name_fr = cm_ogr_field_text(f, idx[5], not_utf8);
    feat->rank = idx[4] >= 0 ? OGR_F_GetFieldAsInteger(f, idx[4]) : 0;
    if (owned)
        OGR_G_DestroyGeometry(owned);
    return TRUE;
}

/* Reads every feature of `lyr` into layer->features, summing them as read for a source that
 * is not a file.  Fails when GDAL gave up part-way or no feature has geometry. */
static cm_status read_features(cm_layer *layer, OGRLayerH lyr, const char *file,
                               const int idx[6], double tol, gboolean filtered,
                               GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_gdal_capture c;
    const char *name = layer->path;
    GArray *features = g_array_new(FALSE, TRUE, sizeof(cm_feature));
    GChecksum *sum = cm_datasource_digest_new(file, lyr);
    gboolean not_utf8 = FALSE;
    cm_gdal_capture_begin(&c);
    OGR_L_ResetReading(lyr);
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
        cm_feature feat = {0};
        cm_datasource_digest_feature(sum, f);
        if (read_feature(&feat, f, idx, tol, OSRIsGeographic(layer->srs), name, &not_utf8,
                         problems, ctx))
            g_array_append_val(features, feat);
        OGR_F_Destroy(f);
    }
    cm_datasource_digest_end(sum, layer->read_sha256);
    if (c.worst >= CE_Failure) {
        char *why = cm_datasource_mask(c.last->str);
        st = cm_fail(ctx, CM_EINPUT, "%s: %s", name, why);
        g_free(why);
    } else if (features->len == 0 && !filtered) {
        st = cm_fail(ctx, CM_EINPUT, "%s: no features with geometry", name);
    } else if (not_utf8) {
        cm_warn(ctx, "%s: some text is not UTF-8 and will show as replacement characters; for a "
                "shapefile, add a .cpg file beside it naming its code page (for Arabic, often CP1256)",
                name);
    }
    cm_gdal_capture_end(&c);
    layer->n = (int)features->len;
    layer->features = (cm_feature *)g_array_free(features, FALSE);
    return st;
}

/* Only the features meeting the lon/lat box `within`, through OGR's spatial filter (a
 * shapefile's records carry their boxes, so the others are not even parsed). */
static void filter_within(OGRLayerH lyr, OGRSpatialReferenceH srs, const double within[4])
{
    double b[4] = {within[0], within[1], within[2], within[3]};
    if (!OSRIsGeographic(srs)) {
        OGRSpatialReferenceH wgs = OSRNewSpatialReference(NULL);
        OSRSetWellKnownGeogCS(wgs, "WGS84");
        OSRSetAxisMappingStrategy(wgs, OAMS_TRADITIONAL_GIS_ORDER);
        OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(wgs, srs);
        gboolean ok = ct && OCTTransformBounds(ct, within[0], within[1], within[2], within[3],
                                               &b[0], &b[1], &b[2], &b[3], 21);
        if (ct)
            OCTDestroyCoordinateTransformation(ct);
        OSRDestroySpatialReference(wgs);
        if (!ok)
            return; /* read them all */
    }
    OGR_L_SetSpatialFilterRect(lyr, b[0], b[1], b[2], b[3]);
}

cm_status cm_layer_load(cm_layer **out, const cm_layer_spec *spec, double simplify_m,
                        GPtrArray *problems, cm_ctx *ctx)
{
    return cm_layer_load_within(out, spec, simplify_m, NULL, problems, ctx);
}

cm_status cm_layer_load_within(cm_layer **out, const cm_layer_spec *spec, double simplify_m,
                               const double within[4], GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    GDALDatasetH ds = NULL;
    cm_layer *layer = NULL;
    const char *csv_options[] = {"X_POSSIBLE_NAMES=lon,longitude,x",
                                 "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO", NULL};
    const char *path = spec->file;
    char *name = cm_datasource_name(path, spec->layer);
    OGRLayerH lyr = NULL;

    *out = NULL;
    if ((st = cm_ogr_open(&ds, path, has_suffix_ci(path, ".csv") ? csv_options : NULL, CM_EINPUT,
                          ctx)) != CM_OK ||
        (st = check_shapefile(path, ctx)) != CM_OK ||
        (st = cm_datasource_layer(&lyr, ds, path, spec->layer, CM_EINPUT, ctx)) != CM_OK)
        goto cleanup;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    int idx[6]; /* key, name, name_ar, kind, rank, name_fr */
    const char *fields[6] = {spec->key, spec->name, spec->name_ar, spec->kind, spec->rank,
                             spec->name_fr};
    for (int i = 0; i < 6; i++)
        if ((st = field_index(defn, name, fields[i], &idx[i], ctx)) != CM_OK)
            goto cleanup;

    layer = g_new0(cm_layer, 1);
    layer->path = g_steal_pointer(&name);
    layer->srs_free = free_srs;
    layer->srs = layer_srs(lyr, layer->path, ctx);
    /* the simplification tolerance in the source's units */
    double tol = 0;
    if (simplify_m > 0)
        tol = OSRIsGeographic(layer->srs) ? simplify_m / 111320.0
                                          : simplify_m / OSRGetLinearUnits(layer->srs, NULL);
    if (within)
        filter_within(lyr, layer->srs, within);
    if ((st = read_features(layer, lyr, path, idx, tol, within != NULL, problems, ctx)) != CM_OK)
        goto cleanup;
    *out = layer;
    layer = NULL;
cleanup:
    g_free(name);
    cm_layer_destroy(layer);
    if (ds)
        GDALClose(ds);
    return st;
}

/* A date cell: a spreadsheet date, or text in YYYY-MM-DD. */
gboolean cm_ogr_field_date(OGRFeatureH f, int idx, GDate *out, char **text)
{
    OGRFieldType type = idx >= 0 ? OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, idx)) : OFTString;
    *text = NULL;
    if (idx < 0 || !OGR_F_IsFieldSetAndNotNull(f, idx))
        return FALSE;
    if (type == OFTDate || type == OFTDateTime) {
        int y, m, d, h, mi, tz;
        float s;
        if (OGR_F_GetFieldAsDateTimeEx(f, idx, &y, &m, &d, &h, &mi, &s, &tz) &&
            g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
            g_date_clear(out, 1);
            g_date_set_dmy(out, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
            return TRUE;
        }
    }
    *text = cm_ogr_field_string(f, idx);
    return *text && cm_parse_date(*text, out);
}

/* A shape's area as GEOS sees it: its rings combined even-odd (each ring toggles what it
 * encloses), as the renderer fills them.  NULL when no ring has an area. */
static OGRGeometryH shape_area(const cm_shape *sh)
{
    OGRGeometryH acc = NULL;
    for (int r = 0; r < sh->nrings; r++) {
        const cm_ring *ring = &sh->rings[r];
        if (ring->n < 3)
            continue;
        OGRGeometryH lr = OGR_G_CreateGeometry(wkbLinearRing);
        for (int k = 0; k < ring->n; k++)
            OGR_G_AddPoint_2D(lr, ring->xy[2 * k], ring->xy[2 * k + 1]);
        OGR_G_CloseRings(lr);
        OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
        OGR_G_AddGeometryDirectly(poly, lr);
        if (!OGR_G_IsValid(poly)) {
            OGRGeometryH valid = OGR_G_MakeValid(poly);
            OGR_G_DestroyGeometry(poly);
            poly = valid;
        }
        if (!poly)
            continue;
        if (!acc) {
            acc = poly;
            continue;
        }
        OGRGeometryH x = OGR_G_SymDifference(acc, poly);
        OGR_G_DestroyGeometry(acc);
        OGR_G_DestroyGeometry(poly);
        acc = x;
        if (!acc)
            return NULL;
    }
    return acc;
}

/* Appends the rings of a polygonal geometry (polygons, multipolygons, collections). */
static void add_rings(GArray *rings, OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbLinearRing || (t == wkbLineString && OGR_G_GetPointCount(g) >= 4)) {
        cm_ring r = {.n = OGR_G_GetPointCount(g)};
        r.xy = g_new(double, 2 * (size_t)r.n);
        OGR_G_GetPoints(g, r.xy, 2 * sizeof(double), r.xy + 1, 2 * sizeof(double), NULL, 0);
        g_array_append_val(rings, r);
        return;
    }
    if (t == wkbPolygon || t == wkbMultiPolygon || t == wkbGeometryCollection)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            add_rings(rings, OGR_G_GetGeometryRef(g, i));
}

gboolean cm_shapes_cut_to(cm_shape **shapes, int n, const cm_shape *mask, int nmask)
{
    OGRGeometryH border = NULL;
    for (int i = 0; i < nmask; i++) {
        OGRGeometryH g = shape_area(&mask[i]);
        if (!g)
            continue;
        OGRGeometryH u = border ? OGR_G_Union(border, g) : OGR_G_Clone(g);
        OGR_G_DestroyGeometry(g);
        if (border)
            OGR_G_DestroyGeometry(border);
        if (!(border = u))
            return FALSE;
    }
    if (!border)
        return FALSE;
    cm_shape *cut = g_new0(cm_shape, (size_t)n);
    gboolean ok = TRUE;
    for (int i = 0; i < n && ok; i++) {
        OGRGeometryH z = shape_area(&(*shapes)[i]);
        OGRGeometryH in = z ? OGR_G_Intersection(z, border) : NULL;
        ok = !z || in;
        if (in) {
            GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
            add_rings(rings, in);
            cut[i].nrings = (int)rings->len;
            cut[i].rings = (cm_ring *)g_array_free(rings, FALSE);
        }
        OGR_G_DestroyGeometry(in);
        OGR_G_DestroyGeometry(z);
    }
    OGR_G_DestroyGeometry(border);
    if (!ok) {
        cm_shapes_free(cut, n);
        return FALSE;
    }
    cm_shapes_free(*shapes, n);
    *shapes = cut;
    return TRUE;
}
