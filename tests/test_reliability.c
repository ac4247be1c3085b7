/* Bad input never crashes or corrupts: one case per class of bad input, each asserting the
 * message, the exit code and that an existing output is byte for byte as it was; and the
 * same inputs give the same bytes. */
#include "conflictmap/conflictmap.h"
#include "geodata.h"
#include "testutil.h"

#include <gdal.h>
#include <gdal_utils.h>
#include <string.h>
#include <sys/wait.h>

#define GEO CM_SOURCE_DIR "/geodata/"

/* A copy of the districts shapefile in dir, under `name`.shp and its sidecars. */
static void copy_districts(const char *dir, const char *name)
{
    static const char *const ext[] = {"shp", "shx", "dbf", "prj", "cpg"};
    for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
        char *from = g_strdup_printf(GEO "districts.%s", ext[i]);
        char *to = g_strdup_printf("%s/%s.%s", dir, name, ext[i]);
        copy_file(from, to);
        g_free(from);
        g_free(to);
    }
}

/* A map file in dir whose regions, places and ledger are the given paths. */
static char *write_map(const char *dir, const char *regions, const char *places, const char *control,
                       const char *extra)
{
    char *text = g_strdup_printf(
        "[map]\ntitle = T\ndate = 2019-12-19\n"
        "crs = +proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84\n"
        "extent = 8.8, 19.2, 25.9, 34.4\nstyles = " CM_SOURCE_DIR "/styles/default.ini\n%s"
        "[regions]\nfile = %s\nkey = key\nname = name_en\n"
        "[places]\nfile = %s\nkey = key\nname = name_en\nname-ar = name_ar\nkind = kind\nrank = rank\n"
        "[sites]\nfile = " GEO "sites.csv\nkey = key\nname = name_en\nkind = kind\n"
        "[control]\nfile = %s\n",
        extra ? extra : "", regions, places, control);
    static int serial;
    char *name = g_strdup_printf("m%d.map", ++serial);
    char *path = write_file(dir, name, text);
    g_free(name);
    g_free(text);
    return path;
}

typedef struct {
    const char *name;
    int code;            /* expected exit code */
    const char *message; /* in stderr: the error, or a warning when code is 0 */
} expect;

/* Renders `map` over an existing output and checks the outcome. */
static void check(const char *dir, const char *map, const char *const *extra, const expect *x)
{
    static const char old[] = "an older map, which must survive";
    char *out = write_file(dir, "out.png", old);
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, CM_CLI);
    g_ptr_array_add(argv, "render");
    if (map)
        g_ptr_array_add(argv, (gpointer)map);
    for (int i = 0; extra && extra[i]; i++)
        g_ptr_array_add(argv, (gpointer)extra[i]);
    const char *target = out;
    for (int i = 0; extra && extra[i]; i++)
        if (!strcmp(extra[i], "-o"))
            target = NULL;
    if (target) {
        g_ptr_array_add(argv, "--dpi");
        g_ptr_array_add(argv, "20");
        g_ptr_array_add(argv, "-o");
        g_ptr_array_add(argv, (gpointer)target);
    }
    g_ptr_array_add(argv, NULL);
    char *err = NULL;
    int rc = spawn(NULL, (const char *const *)argv->pdata, NULL, &err);
    if (rc != x->code || !strstr(err, x->message))
        g_error("%s: exit %d (want %d), stderr \"%s\" (want \"%s\")", x->name, rc, x->code, err,
                x->message);
    char *now = NULL;
    gsize now_len = 0;
    g_assert_true(g_file_get_contents(out, &now, &now_len, NULL));
    if (x->code != 0) {
        if (strcmp(now, old) != 0)
            g_error("%s: the existing output changed", x->name);
        /* an output named elsewhere was not made either */
        for (int i = 0; extra && extra[i] && extra[i + 1]; i++)
            if (!strcmp(extra[i], "-o") && strcmp(extra[i + 1], out) != 0 &&
                g_file_test(extra[i + 1], G_FILE_TEST_EXISTS))
                g_error("%s: wrote %s", x->name, extra[i + 1]);
        /* one line, naming the file or the cause, after any warnings */
        char **lines = g_strsplit(err, "\n", -1);
        guint n = g_strv_length(lines);
        g_assert_cmpuint(n, >=, 2);
        g_assert_cmpstr(lines[n - 1], ==, ""); /* it ends the output, with its newline */
        for (guint i = 0; i + 2 < n; i++)
            if (!g_str_has_prefix(lines[i], "conflictmap: warning: "))
                g_error("%s: more than one line of error: \"%s\"", x->name, err);
        g_assert_true(g_str_has_prefix(lines[n - 2], "conflictmap: "));
        g_assert_false(g_str_has_prefix(lines[n - 2], "conflictmap: warning: "));
        g_assert_nonnull(strstr(lines[n - 2], x->message));
        g_strfreev(lines);
    } else if (target) {
        /* a warning is not a failure: the map was rendered over the old file */
        if (now_len < 8 || memcmp(now, "\x89PNG\r\n\x1a\n", 8) != 0)
            g_error("%s: exit 0 but the output is not a new PNG", x->name);
    }
    g_free(now);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (name[0] == '.')
            g_error("%s: left a temporary file behind: %s", x->name, name);
    g_dir_close(d);
    g_free(err);
    g_ptr_array_free(argv, TRUE);
    g_free(out);
}

static void test_bad_inputs(void)
{
    char *dir = scratch_dir();
    char *good_map = write_map(dir, GEO "districts.shp", GEO "places.csv", GEO "control.csv", NULL);

    /* missing files and folders where files should be */
    expect missing = {"missing map file", 4, "nope.map"};
    char *nope = g_build_filename(dir, "nope.map", NULL);
    check(dir, nope, NULL, &missing);
    expect folder_map = {"folder as map file", 4, "is a directory"};
    check(dir, dir, NULL, &folder_map);
    char *sub = g_build_filename(dir, "sub", NULL);
    g_mkdir(sub, 0755);
    char *m = write_map(dir, GEO "districts.shp", GEO "places.csv", sub, NULL);
    expect folder_ledger = {"folder as ledger", 3, "is a directory, not a data file"};
    check(dir, m, NULL, &folder_ledger);
    g_free(m);

    /* shapefiles: truncated, .shx missing, .dbf disagreeing, no features, no .prj */
    copy_districts(dir, "trunc");
    char *trunc = g_build_filename(dir, "trunc.shp", NULL);
    g_assert_true(truncate(trunc, 20000) == 0);
    m = write_map(dir, trunc, GEO "places.csv", GEO "control.csv", NULL);
    expect truncated = {"truncated .shp", 3, "trunc.shp: "};
    check(dir, m, NULL, &truncated);
    g_free(m);

    copy_districts(dir, "noshx");
    char *noshx = g_build_filename(dir, "noshx.shp", NULL), *shx = g_build_filename(dir, "noshx.shx", NULL);
    g_unlink(shx);
    m = write_map(dir, noshx, GEO "places.csv", GEO "control.csv", NULL);
    expect no_shx = {"missing .shx", 3, "noshx.shp: "};
    check(dir, m, NULL, &no_shx);
    g_free(m);

    copy_districts(dir, "short");
    char *shortdbf = g_build_filename(dir, "short.dbf", NULL), *shortshp = g_build_filename(dir, "short.shp", NULL);
    {
        /* a .dbf with one record fewer: rewrite its record count */
        char *data = NULL;
        gsize len = 0;
        g_assert_true(g_file_get_contents(shortdbf, &data, &len, NULL));
        data[4] = (char)(data[4] - 1);
        g_assert_true(g_file_set_contents(shortdbf, data, (gssize)len, NULL));
        g_free(data);
    }
    m = write_map(dir, shortshp, GEO "places.csv", GEO "control.csv", NULL);
    expect mismatch = {".dbf disagreeing", 3, "the .shx lists 22 shapes but the .dbf has 21 records"};
    check(dir, m, NULL, &mismatch);
    g_free(m);

    char *empty = write_file(dir, "empty.csv", "key,name_en,name_ar,kind,rank,lon,lat\n");
    m = write_map(dir, GEO "districts.shp", empty, GEO "control.csv", NULL);
    expect no_features = {"layer with no features", 3, "empty.csv: no features with geometry"};
    check(dir, m, NULL, &no_features);
    g_free(m);

    copy_districts(dir, "noprj");
    char *noprj = g_build_filename(dir, "noprj.shp", NULL), *prj = g_build_filename(dir, "noprj.prj", NULL);
    g_unlink(prj);
    m = write_map(dir, noprj, GEO "places.csv", GEO "control.csv", NULL);
    expect no_prj = {"shapefile without .prj", 0, "noprj.shp: no coordinate reference system (.prj); taken as WGS 84"};
    check(dir, m, NULL, &no_prj);
    g_free(m);

    /* geometry: null and empty, outside the projection's domain */
    char *places = NULL;
    g_assert_true(g_file_get_contents(GEO "places.csv", &places, NULL, NULL));
    char *odd = g_strconcat(places, "nowhere,Nowhere,,town,3,,\n", "pole,Beyond,,town,3,13.0,95.0\n", NULL);
    char *odd_path = write_file(dir, "odd.csv", odd);
    m = write_map(dir, GEO "districts.shp", odd_path, GEO "control.csv", NULL);
    expect null_geom = {"null geometry", 0, "has no geometry, skipped"};
    check(dir, m, NULL, &null_geom);
    g_free(m);

    /* style: bad colour, range, unknown key warning, missing font warning */
    char *bad_style = write_file(dir, "bad.ini", "[border]\nwidth = 99\n");
    const char *with_bad[] = {"--style", bad_style, NULL};
    expect range = {"out-of-range number", 4, "bad.ini:2: [border] width = 99 is out of range"};
    check(dir, good_map, with_bad, &range);
    char *font = write_file(dir, "font.ini", "[page]\nfont = No Such Font\n");
    const char *with_font[] = {"--style", font, NULL};
    expect no_font = {"missing font", 0, "font \"No Such Font\" is not installed"};
    check(dir, good_map, with_font, &no_font);

    /* output: absurd page size, a folder that does not exist */
    m = write_map(dir, GEO "districts.shp", GEO "places.csv", GEO "control.csv", "page = 4000x4000mm\n");
    const char *big[] = {"--dpi", "300", "-o", NULL, NULL};
    char *big_out = g_build_filename(dir, "out.png", NULL);
    big[3] = big_out;
    expect budget = {"absurd page size", 2, "over the budget of 200 million pixels"};
    check(dir, m, big, &budget);
    g_free(m);
    const char *nodir[] = {"-o", "/nonexistent-folder/map.png", NULL};
    expect no_dir = {"output folder missing", 5, "cannot write in /nonexistent-folder"};
    check(dir, good_map, nodir, &no_dir);

    g_free(big_out);
    g_free(font);
    g_free(bad_style);
    g_free(odd_path);
    g_free(odd);
    g_free(places);
    g_free(prj);
    g_free(noprj);
    g_free(empty);
    g_free(shortdbf);
    g_free(shortshp);
    g_free(shx);
    g_free(noshx);
    g_free(trunc);
    g_free(sub);
    g_free(nope);
    g_free(good_map);
    rm_rf(dir);
    g_free(dir);
}

/* A DBF in Windows-1256 (Arabic): with a .cpg the names arrive as UTF-8; without one GDAL
 * passes the raw bytes on: they are made valid UTF-8 and a warning says how to fix it. */
static void test_cp1256(void)
{
    char *dir = scratch_dir();
    char *shp = g_build_filename(dir, "arabic.shp", NULL);
    GDALAllRegister();
    char *argv[] = {"-lco", "ENCODING=CP1256", NULL};
    GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
    char *oo[] = {"X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat", NULL};
    GDALDatasetH in = GDALOpenEx(GEO "places.csv", GDAL_OF_VECTOR, NULL, (const char *const *)oo, NULL);
    GDALDatasetH out = GDALVectorTranslate(shp, NULL, 1, &in, o, NULL);
    g_assert_nonnull(out);
    GDALClose(out);
    GDALClose(in);
    GDALVectorTranslateOptionsFree(o);
    char *cpg = g_build_filename(dir, "arabic.cpg", NULL);
    char *cpg_text = NULL;
    g_assert_true(g_file_get_contents(cpg, &cpg_text, NULL, NULL));
    g_assert_nonnull(strstr(cpg_text, "1256"));
    for (int with_cpg = 1; with_cpg >= 0; with_cpg--) {
        if (!with_cpg)
            g_unlink(cpg);
        cm_layer_spec spec = {.file = shp, .name = "name_en", .name_ar = "name_ar"};
        cm_layer *layer = NULL;
        cm_ctx *ctx = cm_ctx_new();
        g_assert_cmpint(cm_layer_load(&layer, &spec, 0, NULL, ctx), ==, CM_OK);
        gboolean found = FALSE;
        for (int i = 0; i < layer->n; i++) {
            const cm_feature *f = &layer->features[i];
            if (f->name_ar && !g_utf8_validate(f->name_ar, -1, NULL))
                g_error("%s .cpg: feature %d: name_ar is not UTF-8", with_cpg ? "with" : "without", i);
            if (f->name && !strcmp(f->name, "Tripoli"))
                found = f->name_ar && !strcmp(f->name_ar, "طرابلس");
        }
        g_assert_true(found == with_cpg);
        size_t nw = 0, encoding = 0;
        const char *const *w = cm_ctx_warnings(ctx, &nw);
        for (size_t k = 0; k < nw; k++)
            encoding += strstr(w[k], "add a .cpg file") != NULL;
        g_assert_cmpuint(encoding, ==, (with_cpg ? 0u : 1u));
        cm_layer_destroy(layer);
        cm_ctx_destroy(ctx);
    }
    g_free(cpg_text);
    g_free(cpg);
    g_free(shp);
    rm_rf(dir);
    g_free(dir);
}

/* The same inputs give byte-identical PNG, PDF and SVG files, with their provenance. */
static void test_reproducible(void)
{
    char *dir = scratch_dir();
    static const char *const ext[] = {"png", "pdf", "svg"};
    char *hash = NULL;
    for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
        char *a = g_strdup_printf("%s/a.%s", dir, ext[i]), *b = g_strdup_printf("%s/b.%s", dir, ext[i]);
        const char *ra[] = {CM_CLI, "render", "-q", "--dpi", "40", "-o", a, NULL};
        const char *rb[] = {CM_CLI, "render", "-q", "--dpi", "40", "-o", b, NULL};
        g_assert_cmpint(spawn(NULL, ra, NULL, NULL), ==, 0);
        g_usleep(1100000); /* a clock that leaked into the file would now differ */
        g_assert_cmpint(spawn(NULL, rb, NULL, NULL), ==, 0);
        char *da = NULL, *db = NULL;
        gsize la = 0, lb = 0;
        g_assert_true(g_file_get_contents(a, &da, &la, NULL));
        g_assert_true(g_file_get_contents(b, &db, &lb, NULL));
        if (la != lb || memcmp(da, db, la) != 0)
            g_error("%s: two renders differ", ext[i]);
        g_free(da);
        g_free(db);
        cm_ctx *ctx = cm_ctx_new();
        char **names = NULL, **values = NULL;
        g_assert_cmpint(cm_read_provenance(&names, &values, a, ctx), ==, CM_OK);
        const char *h = NULL, *date = NULL;
        for (int k = 0; names[k]; k++) {
            if (!strcmp(names[k], "data-sha256"))
                h = values[k];
            if (!strcmp(names[k], "date") || !strcmp(names[k], "keywords"))
                date = strstr(values[k], "2019-12-19") ? values[k] : date;
        }
        g_assert_nonnull(h);
        g_assert_cmpuint(strlen(h), ==, 64);
        g_assert_nonnull(date);
        if (i == 0)
            hash = g_strdup(h);
        else /* one fingerprint for one set of inputs, whatever the format */
            g_assert_cmpstr(h, ==, hash);
        cm_strv_free(names);
        cm_strv_free(values);
        cm_ctx_destroy(ctx);
        g_free(a);
        g_free(b);
    }
    /* SOURCE_DATE_EPOCH pins the creation time */
    char *p = g_strdup_printf("%s/e.pdf", dir);
    const char *argv[] = {CM_CLI, "render", "-q", "-o", p, NULL};
    g_setenv("SOURCE_DATE_EPOCH", "1577836800", TRUE);
    g_assert_cmpint(spawn(NULL, argv, NULL, NULL), ==, 0);
    g_unsetenv("SOURCE_DATE_EPOCH");
    cm_ctx *ctx = cm_ctx_new();
    char **names = NULL, **values = NULL;
    g_assert_cmpint(cm_read_provenance(&names, &values, p, ctx), ==, CM_OK);
    gboolean pinned = FALSE;
    for (int k = 0; names[k]; k++)
        pinned |= !strcmp(names[k], "created") && strstr(values[k], "20200101000000");
    g_assert_true(pinned);
    cm_strv_free(names);
    cm_strv_free(values);
    cm_ctx_destroy(ctx);
    g_free(p);
    g_free(hash);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/reliability/bad-inputs", test_bad_inputs);
    g_test_add_func("/reliability/cp1256", test_cp1256);
    g_test_add_func("/reliability/reproducible", test_reproducible);
    return g_test_run();
}
