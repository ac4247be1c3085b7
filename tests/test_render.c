/* End to end: the CLI renders the default map; the files are checked as a reader would. */
#include "conflictmap/conflictmap.h"
#include "output.h"
#include "style.h"
#include "testutil.h"

#include <cairo.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char *workdir;

static rlim_t file_limit; /* 0: none */

/* In the child: files may grow to file_limit bytes, as on a nearly full disk.  SIGXFSZ is
 * left as a shell leaves it (it ends the process): the program must see to it itself. */
static void limit_files(gpointer data)
{
    (void)data;
    if (file_limit) {
        struct rlimit rl = {file_limit, file_limit};
        setrlimit(RLIMIT_FSIZE, &rl);
        signal(SIGXFSZ, SIG_DFL);
    }
}

/* Runs argv in `cwd`, returns the exit status; stdout and stderr are returned if asked. */
static int run(const char *cwd, const char *const *argv, char **out, char **err)
{
    GError *e = NULL;
    int status = 0;
    char *o = NULL, *r = NULL;
    if (!g_spawn_sync(cwd, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, limit_files, NULL, &o, &r,
                      &status, &e))
        g_error("cannot run %s: %s", argv[0], e->message);
    if (out)
        *out = o;
    else
        g_free(o);
    if (err)
        *err = r;
    else
        g_free(r);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* No temporary file (".name.XXXXXX") is left behind in dir. */
static void assert_no_temp_files(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d)))
        if (name[0] == '.')
            g_error("left behind: %s", name);
    g_dir_close(d);
}

static char *render(const char *name)
{
    char *path = g_build_filename(workdir, name, NULL);
    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        char *err = NULL;
        const char *argv[] = {CM_CLI, "render", "-q", "-o", path, NULL};
        int rc = run(workdir, argv, NULL, &err);
        if (rc != 0)
            g_error("render %s exited %d: %s", name, rc, err);
        g_free(err);
    }
    return path;
}

/* Samples points well inside a district and checks the PNG has the controller's colour
 * there.  Labels and symbols cover a few samples, so most, not all, must match. */
static gboolean same_colour(int r, int g, int b, cm_rgba c)
{
    return abs(r - (int)lround(c.r * 255)) <= 3 && abs(g - (int)lround(c.g * 255)) <= 3 &&
           abs(b - (int)lround(c.b * 255)) <= 3;
}

static void check_district(cairo_surface_t *png, cm_map *map, OGRLayerH districts,
                           const char *key, cm_rgba expect, cm_rgba other)
{
    char *filter = g_strdup_printf("key = '%s'", key);
    OGR_L_SetAttributeFilter(districts, filter);
    g_free(filter);
    OGR_L_ResetReading(districts);
    OGRFeatureH f = OGR_L_GetNextFeature(districts);
    g_assert_nonnull(f);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    OGREnvelope env;
    OGR_G_GetEnvelope(g, &env);
    OGRGeometryH boundary = OGR_G_Boundary(g);

    double pw, ph;
    cm_map_page_size(&pw, &ph, map);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int stride = cairo_image_surface_get_stride(png);
    const unsigned char *data = cairo_image_surface_get_data(png);
    int tried = 0, matched = 0, wrong = 0;
    for (int i = 1; i < 20; i++)
        for (int j = 1; j < 20; j++) {
            double lon = env.MinX + (env.MaxX - env.MinX) * i / 20.0;
            double lat = env.MinY + (env.MaxY - env.MinY) * j / 20.0;
            OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
            OGR_G_SetPoint_2D(pt, 0, lon, lat);
            gboolean deep = OGR_G_Contains(g, pt) && OGR_G_Distance(boundary, pt) > 0.04;
            OGR_G_DestroyGeometry(pt);
            if (!deep)
                continue;
            double x, y;
            g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, lon, lat, NULL), ==, 0);
            int px = (int)(x * w / pw), py = (int)(y * h / ph);
            g_assert_true(px >= 0 && px < w && py >= 0 && py < h);
            guint32 v = *(const guint32 *)(data + py * stride + px * 4);
            int r = (v >> 16) & 0xff, gg = (v >> 8) & 0xff, b = v & 0xff;
            tried++;
            matched += same_colour(r, gg, b, expect);
            wrong += same_colour(r, gg, b, other);
        }
    OGR_G_DestroyGeometry(boundary);
    OGR_F_Destroy(f);
    g_test_message("%s: %d of %d samples have the controller's colour, %d the other's", key,
                   matched, tried, wrong);
    g_assert_cmpint(tried, >=, 8);
    /* labels, town symbols and district names cover the rest (Sabha's district, crowded with
     * names, shows its fill in 69% of samples on the page of 2019-12-19); none the other's */
    g_assert_cmpint(matched, >=, (tried * 6) / 10);
    g_assert_cmpint(wrong, ==, 0);
}

static void test_png_colours(void)
{
    char *path = render("map.png");
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    g_assert_cmpint(cairo_surface_status(png), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint(cairo_image_surface_get_width(png), ==, 3508);
    g_assert_cmpint(cairo_image_surface_get_height(png), ==, 2480);

    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    char date[11];
    cm_map_get_date(date, map);
    g_assert_cmpstr(date, ==, "2019-12-19");
    const char *styles[] = {CM_SOURCE_DIR "/styles/default.ini", NULL};
    cm_style *style = NULL;
    g_assert_cmpint(cm_style_load(&style, styles, ctx), ==, CM_OK);

    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(CM_SOURCE_DIR "/geodata/districts.shp", GDAL_OF_VECTOR, NULL, NULL,
                                 NULL);
    g_assert_nonnull(ds);
    OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
    /* 19 December 2019: the east and south with the LNA, Misrata with the GNA */
    cm_rgba gna = cm_style_controller(style, "GNA")->fill, lna = cm_style_controller(style, "LNA")->fill;
    check_district(png, map, lyr, "benghazi", lna, gna);
    check_district(png, map, lyr, "sabha", lna, gna);
    check_district(png, map, lyr, "misrata", gna, lna);
    GDALClose(ds);
    cm_style_destroy(style);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    cairo_surface_destroy(png);
    g_free(path);
}

/* The IDAT chunks of a PNG, joined: the image's zlib stream. */
static GByteArray *png_idat(const char *path)
{
    char *d = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &d, &len, NULL));
    GByteArray *z = g_byte_array_new();
    for (gsize i = 8; i + 12 <= len;) {
        guint32 n = (guint32)(guchar)d[i] << 24 | (guint32)(guchar)d[i + 1] << 16 |
                    (guint32)(guchar)d[i + 2] << 8 | (guchar)d[i + 3];
        if (!memcmp(d + i + 4, "IDAT", 4))
            g_byte_array_append(z, (const guint8 *)d + i + 8, n);
        i += 12 + n;
    }
    g_free(d);
    return z;
}

/* The PNG at `path` decodes to the pixels cm_map_render_cairo draws on one surface. */
static void compare_with_cairo(cm_map *map, const char *path, double dpi, int level)
{
    cm_ctx *ctx = cm_ctx_new();
    double pw, ph;
    cm_map_page_size(&pw, &ph, map);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    g_assert_cmpint(cairo_surface_status(png), ==, CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    GByteArray *z = png_idat(path);
    uLongf raw = (uLongf)h * (1 + 3 * (uLongf)w);
    guint8 *rows = g_malloc(raw);
    g_assert_cmpint(uncompress(rows, &raw, z->data, z->len), ==, Z_OK);
    g_assert_cmpuint(raw, ==, (uLongf)h * (1 + 3 * (uLongf)w));

    cairo_surface_t *one = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_set_device_scale(one, dpi / 72, dpi / 72);
    cairo_t *cr = cairo_create(one);
    g_assert_cmpint(cm_map_render_cairo(map, cr, 0, 0, pw, ph, ctx), ==, CM_OK);
    cairo_destroy(cr);
    cairo_surface_flush(one);
    cairo_surface_flush(png);
    int s1 = cairo_image_surface_get_stride(one), s2 = cairo_image_surface_get_stride(png);
    const guint8 *a = cairo_image_surface_get_data(one), *b = cairo_image_surface_get_data(png);
    /* cm_map_render_cairo clips to the page, whose edge need not fall on a pixel's: the
     * last column or row is compared only where it is whole */
    int differ = 0, wc = (int)floor(pw * dpi / 72), hc = (int)floor(ph * dpi / 72);
    for (int y = 0; y < MIN(h, hc); y++)
        for (int x = 0; x < MIN(w, wc); x++)
            differ += (*(const guint32 *)(a + y * s1 + 4 * x) & 0xffffff) !=
                      (*(const guint32 *)(b + y * s2 + 4 * x) & 0xffffff);
    g_test_message("%g dpi, level %d: %d x %d px, %u bytes of deflate, %d pixels differ", dpi,
                   level, w, h, z->len, differ);
    g_assert_cmpint(differ, ==, 0);
    cairo_surface_destroy(one);
    cairo_surface_destroy(png);
    g_byte_array_unref(z);
    g_free(rows);
    cm_ctx_destroy(ctx);
}

/* A PNG drawn at once (one thread) or in bands (two, three threads) decodes (zlib's checksum
 * included) to exactly the pixels of the page drawn on one surface by cm_map_render_cairo,
 * at every compression level and for an image too small to split, and the files are the
 * same bytes whatever the number of threads. */
static void test_png_bands(void)
{
    static const struct { double dpi; int level; } cases[] = {{150, -1}, {150, 0}, {150, 9}, {8.55, -1}};
    static const int threads[] = {1, 2, 3};
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    double pw, ph;
    cm_map_page_size(&pw, &ph, map);
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        char *first = NULL;
        gsize first_len = 0;
        for (size_t t = 0; t < G_N_ELEMENTS(threads); t++) {
            char *path = g_strdup_printf("%s/bands-%zu-%d.png", workdir, c, threads[t]);
            cm_render_options ro;
            cm_render_options_init(&ro);
            ro.dpi = cases[c].dpi;
            ro.png_compression = cases[c].level;
            ro.threads = threads[t];
            g_assert_cmpint(cm_map_render_file(map, path, &ro, ctx), ==, CM_OK);
            char *bytes = NULL;
            gsize len = 0;
            g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
            if (!first) {
                compare_with_cairo(map, path, cases[c].dpi, cases[c].level);
                first = bytes, first_len = len;
            } else {
                if (len != first_len || memcmp(bytes, first, len) != 0)
                    g_error("case %zu: %d threads give other bytes than one", c, threads[t]);
                g_free(bytes);
            }
            g_free(path);
        }
        g_free(first);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

static void test_pdf(void)
{
    char *path = render("map.pdf");
    char *out = NULL;
    const char *fonts[] = {"pdffonts", path, NULL};
    g_assert_cmpint(run(workdir, fonts, &out, NULL), ==, 0);
    char **lines = g_strsplit(out, "\n", -1);
    int nfonts = 0;
    for (int i = 2; lines[i] && *lines[i]; i++) {
        /* columns: name type encoding emb sub uni object ID; emb must be "yes" */
        char **cols = g_strsplit_set(g_strstrip(lines[i]), " ", -1);
        GPtrArray *words = g_ptr_array_new();
        for (char **c = cols; *c; c++)
            if (**c)
                g_ptr_array_add(words, *c);
        g_assert_cmpuint(words->len, >=, 7);
        if (strcmp(words->pdata[words->len - 5], "yes") != 0)
            g_error("font not embedded: %s", lines[i]);
        nfonts++;
        g_ptr_array_free(words, TRUE);
        g_strfreev(cols);
    }
    g_assert_cmpint(nfonts, >=, 2);
    g_assert_nonnull(strstr(out, "NotoSans"));
    g_assert_nonnull(strstr(out, "NotoSansArabic"));
    g_strfreev(lines);
    g_free(out);

    const char *text[] = {"pdftotext", path, "-", NULL};
    g_assert_cmpint(run(workdir, text, &out, NULL), ==, 0);
    static const char *const want[] = {
        "Tripoli", "Benghazi", "Misrata", "Sabha", "Sirte", "Tobruk", "Gharyan",
        "Government of National Accord (GNA)", "Libyan National Army (LNA)", "Capital",
        "19 December 2019", "Sources of control:", "طرابلس"};
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        if (!strstr(out, want[i]))
            g_error("the PDF's text lacks \"%s\"", want[i]);
    /* halos are drawn as text too, but carry none: each name is there once */
    static const char *const once[] = {"Al Bayda", "Sarir oil field", "Ghadames", "Al Marj"};
    for (size_t i = 0; i < G_N_ELEMENTS(once); i++) {
        const char *at = strstr(out, once[i]);
        g_assert_nonnull(at);
        g_assert_null(strstr(at + 1, once[i]));
    }
    g_assert_null(strstr(out, "\xef\xbf\xbd"));
    g_free(out);
    g_free(path);
}

static void test_svg(void)
{
    char *path = render("map.svg");
    const char *argv[] = {"xmllint", "--noout", path, NULL};
    char *err = NULL;
    int rc = run(workdir, argv, NULL, &err);
    if (rc != 0)
        g_error("xmllint: %s", err);
    g_free(err);
    /* cairo draws glyphs as shapes: the labels must also be there as text */
    char *svg = NULL;
    g_assert_true(g_file_get_contents(path, &svg, NULL, NULL));
    g_assert_nonnull(strstr(svg, ">Tripoli</text>"));
    g_assert_nonnull(strstr(svg, ">طرابلس</text>"));
    g_assert_nonnull(strstr(svg, "<metadata>"));
    g_free(svg);
    g_free(path);
}

/* With no map file the bundled map renders, from any folder. */
static void test_default_from_elsewhere(void)
{
    char *dir = scratch_dir();
    const char *argv[] = {CM_CLI, "render", "-q", "--dpi", "30", NULL};
    g_assert_cmpint(run(dir, argv, NULL, NULL), ==, 0);
    char *png = g_build_filename(dir, "libya.png", NULL);
    g_assert_true(g_file_test(png, G_FILE_TEST_IS_REGULAR));
    g_free(png);
    rm_rf(dir);
    g_free(dir);
}

typedef struct {
    const char *map_text; /* NULL: use the default map */
    const char *extra[4];
    const char *output;
    int code;
    const char *message;
} failing_case;

/* A failed run exits with its class's code, says why naming the file, and leaves an existing
 * output byte for byte as it was. */
static void test_failures_leave_output(void)
{
    char *dir = scratch_dir();
    static const char old[] = "an older map, which must survive";
    char *target = write_file(dir, "out.png", old);
    char *broken = write_file(dir, "broken.map", "[map]\ntitle = Broken\ncrs EPSG:4326\n");
    char *badstyle = write_file(dir, "bad.ini", "[controller GNA]\nfill = #12345\n");
    failing_case cases[] = {
        {broken, {NULL}, target, 4, "broken.map:3: Key file contains line"},
        {NULL, {"--style", badstyle, NULL}, target, 4, "bad.ini:2: [controller GNA] fill"},
        {NULL, {"--date", "2019-02-31", NULL}, target, 2, "date \"2019-02-31\""},
        {NULL, {"--dpi", "5000", NULL}, target, 2, "over the budget of 200 million pixels"},
        {NULL, {"--dpi", "30000", NULL}, target, 2, "dpi 30000 is out of range"},
        {NULL, {"--control", "/nonexistent/c.csv", NULL}, target, 3, "/nonexistent/c.csv: no such file"},
        {NULL, {NULL}, "out.tiff", 2, "unknown output format"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        GPtrArray *argv = g_ptr_array_new();
        g_ptr_array_add(argv, CM_CLI);
        g_ptr_array_add(argv, "render");
        if (cases[i].map_text)
            g_ptr_array_add(argv, (gpointer)cases[i].map_text);
        for (int k = 0; cases[i].extra[k]; k++)
            g_ptr_array_add(argv, (gpointer)cases[i].extra[k]);
        g_ptr_array_add(argv, "-o");
        g_ptr_array_add(argv, (gpointer)cases[i].output);
        g_ptr_array_add(argv, NULL);
        char *err = NULL;
        int rc = run(dir, (const char *const *)argv->pdata, NULL, &err);
        if (rc != cases[i].code || !strstr(err, cases[i].message))
            g_error("case %zu: exit %d (want %d), stderr \"%s\" (want \"%s\")", i, rc,
                    cases[i].code, err, cases[i].message);
        g_assert_true(g_str_has_prefix(err, "conflictmap: "));
        g_free(err);
        g_ptr_array_free(argv, TRUE);
        char *now = NULL;
        g_assert_true(g_file_get_contents(target, &now, NULL, NULL));
        g_assert_cmpstr(now, ==, old);
        g_free(now);
        /* and nothing else was written: not the case's own output (out.tiff), nor a file
         * beside it */
        GDir *d = g_dir_open(dir, 0, NULL);
        for (const char *name; (name = g_dir_read_name(d));)
            if (strcmp(name, "out.png") && strcmp(name, "broken.map") && strcmp(name, "bad.ini"))
                g_error("case %zu (-o %s): %s was written", i, cases[i].output, name);
        g_dir_close(d);
    }
    assert_no_temp_files(dir);
    g_free(target);
    g_free(broken);
    g_free(badstyle);
    rm_rf(dir);
    g_free(dir);
}

/* Copies the named files (NULL: every file) of folder `from` into `to`, keeping their modes. */
static void copy_files(const char *from, const char *to, const char *const *names)
{
    g_assert_cmpint(g_mkdir_with_parents(to, 0755), ==, 0);
    GDir *d = g_dir_open(from, 0, NULL);
    g_assert_nonnull(d);
    for (const char *name; (name = g_dir_read_name(d));) {
        if (names && !g_strv_contains(names, name))
            continue;
        char *a = g_build_filename(from, name, NULL), *b = g_build_filename(to, name, NULL);
        GStatBuf sb;
        if (g_stat(a, &sb) == 0 && S_ISREG(sb.st_mode)) {
            copy_file(a, b);
            g_assert_cmpint(g_chmod(b, (int)(sb.st_mode & 0755)), ==, 0);
        }
        g_free(a);
        g_free(b);
    }
    g_dir_close(d);
}

/* A folder the user may read and enter but not write: exit 5, the folder named with the
 * cause, and nothing written in it.  Root writes anywhere (as CI runs), so as root the
 * command runs as nobody (setpriv, util-linux), in a folder under /tmp, where nobody can
 * get to it.  If nobody cannot run the command on the bundled data where they are (a build
 * tree under a private home), they are copied beside that folder first. */
static void test_readonly_folder(void)
{
    gboolean root = geteuid() == 0;
    char *base = root ? g_strdup("/tmp/cmtest-ro-XXXXXX") : scratch_dir();
    if (root)
        g_assert_nonnull(g_mkdtemp_full(base, 0755));
    char *ro = g_build_filename(base, "readonly", NULL);
    g_assert_cmpint(g_mkdir(ro, 0555), ==, 0);
    char *target = g_build_filename(ro, "x.png", NULL);
    char **env = g_get_environ();
    const char *cli = CM_CLI;
    char *copied_cli = NULL;
    GPtrArray *argv = g_ptr_array_new();
    if (root) {
        static const char *const nobody[] = {"setpriv", "--reuid=65534", "--regid=65534",
                                             "--clear-groups"};
        for (size_t i = 0; i < G_N_ELEMENTS(nobody); i++)
            g_ptr_array_add(argv, (gpointer)nobody[i]);
    }
    guint prefix = argv->len;
    /* can the user run the command on the bundled map from here? */
    g_ptr_array_add(argv, (gpointer)cli);
    g_ptr_array_add(argv, "check");
    g_ptr_array_add(argv, NULL);
    int status = 0;
    char *out = NULL, *err = NULL;
    GError *e = NULL;
    g_assert_true(g_spawn_sync(base, (char **)argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &e));
    if (root && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        g_test_message("nobody cannot run %s (%s): copying it and the data to %s", cli, err, base);
        char *bin = g_build_filename(base, "bin", NULL), *data = g_build_filename(base, "data", NULL);
        char *from = g_path_get_dirname(CM_CLI), *name = g_path_get_basename(CM_CLI);
        /* the command and the library */
        const char *built[] = {name, "libconflictmap.so.0", NULL};
        copy_files(from, bin, built);
        char *geo = g_build_filename(data, "geodata", NULL), *styles = g_build_filename(data, "styles", NULL);
        copy_files(CM_SOURCE_DIR "/geodata", geo, NULL);
        copy_files(CM_SOURCE_DIR "/styles", styles, NULL);
        copied_cli = g_build_filename(bin, name, NULL);
        g_free(name);
        cli = copied_cli;
        env = g_environ_setenv(env, "LD_LIBRARY_PATH", bin, TRUE);
        env = g_environ_setenv(env, "CONFLICTMAP_DATA", data, TRUE);
        argv->pdata[prefix] = (gpointer)cli;
        g_free(out);
        g_free(err);
        g_assert_true(g_spawn_sync(base, (char **)argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL,
                                   NULL, &out, &err, &status, &e));
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
            g_error("nobody cannot run the copy %s either: %s", cli, err);
        g_free(styles);
        g_free(geo);
        g_free(from);
        g_free(data);
        g_free(bin);
    }
    g_free(out);
    g_free(err);
    /* the folder is there for the user to read and enter, so only writing can fail */
    argv->len = prefix;
    const char *probe[] = {"test", "-r", ro, "-a", "-x", ro, "-a", "!", "-w", ro, NULL};
    for (size_t i = 0; i < G_N_ELEMENTS(probe); i++)
        g_ptr_array_add(argv, (gpointer)probe[i]);
    g_assert_true(g_spawn_sync(base, (char **)argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &e));
    g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    argv->len = prefix;
    const char *render[] = {cli, "render", "-o", target, NULL};
    for (size_t i = 0; i < G_N_ELEMENTS(render); i++)
        g_ptr_array_add(argv, (gpointer)render[i]);
    g_assert_true(g_spawn_sync(base, (char **)argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, &err, &status, &e));
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    char *want = g_strdup_printf("conflictmap: %s: cannot write in %s: Permission denied\n", target, ro);
    if (rc != 5 || strcmp(err, want) != 0)
        g_error("exit %d (want 5), stderr \"%s\" (want \"%s\")", rc, err, want);
    GDir *d = g_dir_open(ro, 0, NULL);
    g_assert_nonnull(d);
    const char *left = g_dir_read_name(d);
    if (left)
        g_error("written in the read-only folder: %s", left);
    g_dir_close(d);
    g_free(want);
    g_free(err);
    g_ptr_array_free(argv, TRUE);
    g_free(copied_cli);
    g_strfreev(env);
    g_free(target);
    g_free(ro);
    rm_rf(base);
    g_free(base);
}

/* A full disk, simulated with a file-size limit (ulimit -f): writes fail part-way (EFBIG)
 * rather than the process dying of SIGXFSZ, the run says so and exits with the output
 * code, and the existing map and the folder are as they were. */
static void test_full_disk(void)
{
    char *dir = scratch_dir();
    static const char old[] = "an older map, which must survive";
    for (int f = 0; f < 3; f++) {
        static const char *const names[] = {"full.png", "full.pdf", "full.svg"};
        char *target = write_file(dir, names[f], old);
        char *err = NULL;
        const char *argv[] = {CM_CLI, "render", "-q", "--dpi", "100", "-o", target, NULL};
        file_limit = 16 * 1024;
        int rc = run(dir, argv, NULL, &err);
        file_limit = 0;
        char *want = g_strdup_printf("%s: file too large", target);
        if (rc != 5 || !strstr(err, want))
            g_error("%s: exit %d, stderr \"%s\"", names[f], rc, err);
        char *now = NULL;
        g_assert_true(g_file_get_contents(target, &now, NULL, NULL));
        g_assert_cmpstr(now, ==, old);
        g_free(now);
        g_free(want);
        g_free(err);
        g_free(target);
    }
    assert_no_temp_files(dir);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    workdir = scratch_dir();
    g_test_add_func("/render/png-colours", test_png_colours);
    g_test_add_func("/render/png-bands", test_png_bands);
    g_test_add_func("/render/pdf-fonts-text", test_pdf);
    g_test_add_func("/render/svg-xml", test_svg);
    g_test_add_func("/render/default-from-elsewhere", test_default_from_elsewhere);
    g_test_add_func("/render/failures-leave-output", test_failures_leave_output);
    g_test_add_func("/render/read-only-folder", test_readonly_folder);
    g_test_add_func("/render/full-disk", test_full_disk);
    int rc = g_test_run();
    rm_rf(workdir);
    g_free(workdir);
    return rc;
}
