/* Any OGR source for a layer: connection strings left as written, passwords masked in
 * messages, a GeoPackage holding both the boundaries and the ledger, its rows named by
 * feature id.  (A real PostgreSQL is scripts/pg-test.sh's.) */
#include "conflictmap/conflictmap.h"

#include "ctx.h"
#include "datasource.h"
#include "ledger.h"
#include "map_impl.h"
#include "mapfile.h"
#include "testutil.h"

#include <gdal_utils.h>
#include <string.h>

#define GEO CM_SOURCE_DIR "/geodata/"
#define SECRET "hunter2"

static void assert_masked(const char *in, const char *want)
{
    char *got = cm_datasource_mask(in), *again = cm_datasource_mask(got);
    g_assert_cmpstr(got, ==, want);
    g_assert_cmpstr(again, ==, want); /* a masked name inside a message stays as it was */
    g_free(got);
    g_free(again);
}

static void test_mask(void)
{
    assert_masked("PG:host=db dbname=conflict user=cm password=" SECRET,
                  "PG:host=db dbname=conflict user=cm password=***");
    assert_masked("PG:password='a b\\' c' host=db", "PG:password=*** host=db");
    assert_masked("PG:dbname=x PASSWORD = " SECRET " port=5", "PG:dbname=x PASSWORD = *** port=5");
    assert_masked("PG:password=***: no layer \"x\"", "PG:password=***: no layer \"x\"");
    assert_masked("postgresql://cm:" SECRET "@db:5432/conflict?sslmode=require&password=p&a=b",
                  "postgresql://cm:***@db:5432/conflict?sslmode=require&password=***&a=b");
    assert_masked("https://cm@example.org/x.geojson", "https://cm@example.org/x.geojson");
    assert_masked("ODBC:cm/x@dsn;PWD=" SECRET, "ODBC:cm/***@dsn;PWD=***");
    /* the red team's: GDAL's MySQL message drops the scheme; ODBC's and Oracle's
     * user/password@dsn */
    assert_masked("MySQL connect failed for: //u:" SECRET "@nowhere/x",
                  "MySQL connect failed for: //u:***@nowhere/x");
    assert_masked("ODBC:u/" SECRET "@dsn: no connection for u/" SECRET "@dsn",
                  "ODBC:u/***@dsn: no connection for u/***@dsn");
    assert_masked("OCI:u/" SECRET "@inst", "OCI:u/***@inst");
    assert_masked("/data/2020/control.csv: line 3", "/data/2020/control.csv: line 3");
    assert_masked("districts.shp: no such file", "districts.shp: no such file");
}

static void test_is_file(void)
{
    g_assert_true(cm_datasource_is_file("districts.shp"));
    g_assert_true(cm_datasource_is_file("/data/control.csv"));
    g_assert_true(cm_datasource_is_file("C:\\data\\control.csv"));
    g_assert_true(cm_datasource_is_file("./PG:odd name.csv"));
    g_assert_false(cm_datasource_is_file("PG:dbname=conflict"));
    g_assert_false(cm_datasource_is_file("/vsizip/data.zip/districts.shp"));
    g_assert_false(cm_datasource_is_file("https://example.org/zones.geojson"));
}

/* The bundled map with every file by absolute path, [regions] and [control] replaced. */
static char *write_map(const char *dir, const char *regions, const char *control)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(GEO "libya.map", &text, NULL, NULL));
    GString *out = g_string_new(NULL);
    char **lines = g_strsplit(text, "\n", -1);
    const char *group = "";
    for (char **l = lines; *l; l++) {
        if (**l == '[')
            group = *l;
        if (g_str_has_prefix(*l, "file = ") && !strcmp(group, "[regions]"))
            g_string_append_printf(out, "%s\n", regions);
        else if (g_str_has_prefix(*l, "file = ") && !strcmp(group, "[control]"))
            g_string_append_printf(out, "%s\n", control);
        else
            append_absolute_line(out, *l, CM_SOURCE_DIR "/geodata");
    }
    char *path = write_file(dir, "m.map", out->str);
    g_strfreev(lines);
    g_string_free(out, TRUE);
    g_free(text);
    return path;
}

/* A connection string is kept as written: no folder in front, its layer beside it. */
static void test_mapfile_keeps_connection(void)
{
    char *dir = scratch_dir();
    const char *conn = "PG:host=/nowhere dbname=conflict user=cm password=" SECRET;
    char *control = g_strdup_printf("file = %s\nlayer = control", conn);
    char *map = write_map(dir, "file = districts.shp", control);
    cm_ctx *ctx = cm_ctx_new();
    cm_mapfile *mf = NULL;
    g_assert_cmpint(cm_mapfile_load(&mf, map, ctx), ==, CM_OK);
    g_assert_cmpstr(mf->control, ==, conn);
    g_assert_cmpstr(mf->control_layer, ==, "control");
    char *resolved = g_build_filename(dir, "districts.shp", NULL);
    g_assert_cmpstr(mf->regions.file, ==, resolved);
    g_assert_null(mf->regions.layer);
    cm_mapfile_destroy(mf);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(resolved), g_free(map), g_free(control), g_free(dir);
}

/* A database that cannot be reached: GDAL's message, the password masked, no "no such
 * file"; likewise the whole map. */
static void test_unreachable(void)
{
    const char *conn = "PG:host=/nonexistent-cm-socket port=1 dbname=x user=cm password=" SECRET;
    cm_ctx *ctx = cm_ctx_new();
    cm_ledger *lg = NULL;
    g_assert_cmpint(cm_ledger_load_layer(&lg, conn, "control", NULL, ctx), ==, CM_EINPUT);
    const char *msg = cm_ctx_message(ctx);
    g_test_message("%s", msg);
    g_assert_nonnull(strstr(msg, "password=***"));
    g_assert_null(strstr(msg, SECRET));
    g_assert_null(strstr(msg, "no such file"));
    cm_ctx_destroy(ctx);
}

/* data.gpkg in dir: layer districts from districts.shp, layer control from control.csv,
 * made by ogr2ogr's library form (GDALVectorTranslate). */
static char *make_gpkg(const char *dir)
{
    char *gpkg = g_build_filename(dir, "data.gpkg", NULL);
    const char *what[][3] = {{GEO "districts.shp", "districts", NULL},
                             {GEO "control.csv", "control", "-update"}};
    for (size_t i = 0; i < G_N_ELEMENTS(what); i++) {
        char *argv[] = {"-f", "GPKG", "-nln", (char *)what[i][1], "-nlt", "PROMOTE_TO_MULTI",
                        (char *)what[i][2], NULL};
        GDALAllRegister();
        GDALDatasetH src = GDALOpenEx(what[i][0], GDAL_OF_VECTOR, NULL, NULL, NULL);
        g_assert_nonnull(src);
        GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
        GDALDatasetH dst = i ? GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL)
                             : NULL;
        int usage = 0;
        GDALDatasetH out = GDALVectorTranslate(i ? NULL : gpkg, dst, 1, &src, o, &usage);
        g_assert_nonnull(out);
        GDALClose(out);
        GDALVectorTranslateOptionsFree(o);
        GDALClose(src);
    }
    return gpkg;
}

/* Boundaries and ledger as two layers of one GeoPackage: drawn and asked as from their
 * files; the GeoPackage is an input file (watched, hashed by its bytes). */
static void test_gpkg_two_layers(void)
{
    char *dir = scratch_dir(), *gpkg = make_gpkg(dir);
    char *map = write_map(dir, "file = data.gpkg\nlayer = districts",
                          "file = data.gpkg\nlayer = control");
    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    cm_status st = cm_map_load(&m, map, NULL, ctx);
    if (st != CM_OK)
        g_test_message("%s", cm_ctx_message(ctx));
    g_assert_cmpint(st, ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(m, "2019-03-01", ctx), ==, CM_OK);
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, m, 17.3, 30.3, ctx), ==, CM_OK);
    g_assert_cmpstr(r.key, ==, "sirte");
    g_assert_cmpstr(r.holder, ==, "LNA");
    gboolean listed = FALSE;
    for (const char *const *p = cm_map_input_files(m); *p; p++)
        listed |= g_str_has_suffix(*p, "/data.gpkg");
    g_assert_true(listed);
    g_assert_cmpuint(strlen(m->data_sha256), ==, 64);
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(map), g_free(gpkg), g_free(dir);
}

/* A ledger read through a VRT: the fingerprint follows the data the VRT points at, not only
 * its own bytes (an edit behind it must change the figure's provenance). */
static char *fingerprint_with(const char *dir, const char *csv_text)
{
    char *csv = write_file(dir, "rows.csv", csv_text);
    g_free(csv);
    char *vrt = write_file(dir, "rows.vrt",
                           "<OGRVRTDataSource><OGRVRTLayer name=\"rows\">"
                           "<SrcDataSource relativeToVRT=\"1\">rows.csv</SrcDataSource>"
                           "<SrcLayer>rows</SrcLayer></OGRVRTLayer></OGRVRTDataSource>\n");
    char *control = g_strdup_printf("file = %s", vrt);
    char *map = write_map(dir, "file = " CM_SOURCE_DIR "/geodata/districts.shp", control);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    if (cm_map_load(&m, map, NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    char *sum = g_strdup(m->data_sha256);
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    g_free(map), g_free(control), g_free(vrt);
    return sum;
}

static void test_vrt_fingerprint(void)
{
    char *dir = scratch_dir(), *all = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/control.csv", &all, NULL, NULL));
    char *before = fingerprint_with(dir, all);
    char **rows = g_strsplit(all, "\n", 3);
    /* the first data row's controller swapped: only the CSV behind the VRT changes */
    char *edited_row = g_strdup(rows[1]);
    char *lna = strstr(edited_row, ",LNA,");
    g_assert_nonnull(lna);
    memcpy(lna, ",GNA,", 5);
    char *edited = g_strconcat(rows[0], "\n", edited_row, "\n", rows[2], NULL);
    char *after = fingerprint_with(dir, edited);
    g_assert_cmpstr(before, !=, after);
    g_free(before), g_free(after), g_free(edited), g_free(edited_row), g_free(all);
    g_strfreev(rows);
    rm_rf(dir);
    g_free(dir);
}

/* A GeoPackage has no lines: a bad row is named by its feature id; a layer not there says
 * which there are. */
static void test_gpkg_messages(void)
{
    char *dir = scratch_dir(), *gpkg = make_gpkg(dir);
    GDALDatasetH ds = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
    OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "control");
    OGRFeatureH f = OGR_L_GetFeature(lyr, 3);
    OGR_F_SetFieldNull(f, OGR_F_GetFieldIndex(f, "region"));
    g_assert_cmpint(OGR_L_SetFeature(lyr, f), ==, OGRERR_NONE);
    OGR_F_Destroy(f);
    GDALClose(ds);

    cm_ctx *ctx = cm_ctx_new();
    cm_ledger *lg = NULL;
    g_assert_cmpint(cm_ledger_load_layer(&lg, gpkg, "control", NULL, ctx), ==, CM_EINPUT);
    char *want = g_strdup_printf("%s (layer control): feature 3: the region is empty", gpkg);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, want);
    cm_ctx_begin(ctx);
    g_assert_cmpint(cm_ledger_load_layer(&lg, gpkg, "nope", NULL, ctx), ==, CM_EINPUT);
    g_free(want);
    want = g_strdup_printf("%s: no layer \"nope\" (it has: districts, control)", gpkg);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, want);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(want), g_free(gpkg), g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sources-ogr/vrt-fingerprint", test_vrt_fingerprint);
    g_test_add_func("/ogr/mask", test_mask);
    g_test_add_func("/ogr/is-file", test_is_file);
    g_test_add_func("/ogr/mapfile-keeps-connection", test_mapfile_keeps_connection);
    g_test_add_func("/ogr/unreachable", test_unreachable);
    g_test_add_func("/ogr/gpkg-two-layers", test_gpkg_two_layers);
    g_test_add_func("/ogr/gpkg-messages", test_gpkg_messages);
    return g_test_run();
}
