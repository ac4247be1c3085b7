/* init: a project for a country of the bundled world renders at once, with neighbours
 * around it and an inset locating it; its ledger lists exactly the layer's keys; the
 * projection rules; one-line errors; the house style's split. */
#include "conflictmap/conflictmap.h"
#include "init_crs.h"
#include "testutil.h"

#include <cairo.h>
#include <string.h>

#define WORLD CM_SOURCE_DIR "/geodata/world/countries.shp"

/* Yemen cut at 46°E into two regions, "west" and "east", as a user's boundaries layer. */
static char *yemen_layer(const char *dir)
{
    char *path = g_build_filename(dir, "yemen.geojson", NULL);
    const char *sql =
        "SELECT 'west' AS id, 'West' AS name, ST_Intersection(geometry, BuildMbr(40,10,46,20)) "
        "AS geometry FROM countries WHERE key='YEM' UNION ALL SELECT 'east' AS id, 'East' AS name, "
        "ST_Intersection(geometry, BuildMbr(46,10,56,20)) AS geometry FROM countries WHERE key='YEM'";
    const char *argv[] = {"ogr2ogr", "-f", "GeoJSON", path, WORLD, "-dialect", "sqlite", "-sql", sql, NULL};
    g_assert_cmpint(spawn(NULL, argv, NULL, NULL), ==, 0);
    return path;
}

static int run_cli(const char *const *args, char **err)
{
    const char *argv[16] = {CM_CLI};
    for (int i = 0; args[i]; i++)
        argv[i + 1] = args[i];
    return spawn(NULL, argv, NULL, err);
}

/* The pixel at lon/lat, as 0xRRGGBB. */
static guint32 pixel_at(cairo_surface_t *png, cm_map *map, double lon, double lat)
{
    double pw, ph, x, y;
    cm_map_page_size(&pw, &ph, map);
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, lon, lat, NULL), ==, CM_OK);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int px = (int)(x * w / pw), py = (int)(y * h / ph);
    g_assert_true(px >= 0 && px < w && py >= 0 && py < h);
    const unsigned char *data = cairo_image_surface_get_data(png);
    return *(const guint32 *)(data + py * cairo_image_surface_get_stride(png) + px * 4) & 0xffffff;
}

static gboolean near_colour(guint32 v, guint32 want)
{
    for (int s = 0; s < 24; s += 8)
        if (ABS((int)((v >> s) & 0xff) - (int)((want >> s) & 0xff)) > 6)
            return FALSE;
    return TRUE;
}

/* Pixels of colour `want` on the page (the inset goes to whichever corner covers the least
 * of the country: furniture.c). */
static int count_colour(cairo_surface_t *png, guint32 want)
{
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png), n = 0;
    const unsigned char *data = cairo_image_surface_get_data(png);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            n += near_colour(*(const guint32 *)(data + y * cairo_image_surface_get_stride(png) + x * 4) & 0xffffff, want);
    return n;
}

/* Pixels clearly red (the inset's outline of the frame, #c0392b, however antialiased). */
static int count_reddish(cairo_surface_t *png)
{
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png), n = 0;
    const unsigned char *data = cairo_image_surface_get_data(png);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            guint32 v = *(const guint32 *)(data + y * cairo_image_surface_get_stride(png) + x * 4);
            int r = (v >> 16) & 0xff, g = (v >> 8) & 0xff, b = v & 0xff;
            n += r > g + 60 && r > b + 60;
        }
    return n;
}

static gint by_text(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The region column of a ledger, sorted, joined by commas. */
static char *ledger_keys(const char *path)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    char **lines = g_strsplit(text, "\n", -1);
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    for (int i = 1; lines[i]; i++) {
        char **cells = g_strsplit(lines[i], ",", -1);
        if (cells[0] && cells[1])
            g_ptr_array_add(keys, g_strdup(cells[1]));
        g_strfreev(cells);
    }
    g_ptr_array_sort(keys, by_text);
    g_ptr_array_add(keys, NULL);
    char *joined = g_strjoinv(",", (char **)keys->pdata);
    g_ptr_array_unref(keys);
    g_strfreev(lines);
    g_free(text);
    return joined;
}

static void test_yemen(void)
{
    char *dir = scratch_dir(), *layer = yemen_layer(dir), *proj = g_build_filename(dir, "proj", NULL);
    char *map = g_build_filename(proj, "yemen.map", NULL), *png = g_build_filename(dir, "y.png", NULL);
    char *ledger = g_build_filename(proj, "control.csv", NULL), *err = NULL;
    const char *init[] = {"init", layer, "--key", "id", "--name", "name", "-o", proj, "-q", NULL};
    g_assert_cmpint(run_cli(init, NULL), ==, 0);
    const char *check[] = {"check", map, NULL};
    g_assert_cmpint(run_cli(check, NULL), ==, 0);
    const char *render[] = {"render", map, "-o", png, "--dpi", "100", "-q", NULL};
    g_assert_cmpint(run_cli(render, &err), ==, 0);
    char *keys = ledger_keys(ledger);
    g_assert_cmpstr(keys, ==, "east,west");

    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    g_assert_cmpint(cm_map_load(&m, map, NULL, ctx), ==, CM_OK);
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    g_assert_cmpint(cairo_surface_status(img), ==, CAIRO_STATUS_SUCCESS);
    /* just outside the border: Saudi Arabia to the north, Oman to the east; the sea south */
    static const double land[][2] = {{44.5, 18.3}, {47.5, 18.4}, {53.6, 17.6}};
    for (size_t i = 0; i < G_N_ELEMENTS(land); i++)
        g_assert_true(near_colour(pixel_at(img, m, land[i][0], land[i][1]), 0xeeebe4));
    g_assert_true(near_colour(pixel_at(img, m, 49.0, 13.2), 0xdbe8f1));
    /* inside: no data yet */
    g_assert_true(near_colour(pixel_at(img, m, 44.0, 15.0), 0xd9d9d9) ||
                  near_colour(pixel_at(img, m, 44.3, 15.1), 0xd9d9d9));
    /* the inset: the country in the highlight, the frame's outline in red */
    g_assert_cmpint(count_colour(img, 0x4d4d4d), >, 20);
    g_assert_cmpint(count_reddish(img), >, 20); /* a thin line: antialiased off the pixel grid */
    cairo_surface_destroy(img);
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    g_free(keys), g_free(err), g_free(ledger), g_free(png), g_free(map), g_free(proj), g_free(layer);
    rm_rf(dir);
    g_free(dir);
}

/* One failing init: its exit code, and a one-line message holding `want`. */
static void expect_error(const char *const *args, int code, const char *want)
{
    char *err = NULL;
    g_assert_cmpint(run_cli(args, &err), ==, code);
    g_assert_nonnull(strstr(err, want));
    g_assert_true(strchr(err, '\n') == err + strlen(err) - 1); /* one line */
    g_free(err);
}

static void test_errors(void)
{
    char *dir = scratch_dir(), *layer = yemen_layer(dir), *proj = g_build_filename(dir, "p", NULL);
    char *missing = g_build_filename(dir, "nowhere.shp", NULL);
    char *empty = write_file(dir, "empty.geojson", "{\"type\": \"FeatureCollection\", \"features\": []}");
    const char *a[] = {"init", missing, "--key", "id", "-o", proj, NULL};
    expect_error(a, 3, "nowhere.shp: no such file");
    const char *b[] = {"init", layer, "--key", "ID_X", "-o", proj, NULL};
    expect_error(b, 3, "no field \"ID_X\" (fields: id, name)");
    const char *c[] = {"init", empty, "--key", "id", "-o", proj, NULL};
    expect_error(c, 3, "empty.geojson");
    const char *d[] = {"init", layer, "-o", proj, NULL};
    expect_error(d, 2, "--key FIELD");
    /* a key with a line break: query's one line and the ledger's cells could not hold it */
    char *broken = write_file(dir, "broken.geojson",
                              "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": "
                              "\"Feature\", \"properties\": {\"id\": \"a\\nb\"}, \"geometry\": "
                              "{\"type\": \"Polygon\", \"coordinates\": [[[0,0],[1,0],[1,1],"
                              "[0,0]]]}}]}");
    const char *e[] = {"init", broken, "--key", "id", "-o", proj, NULL};
    expect_error(e, 3, "the key holds a tab or a line break");
    g_free(broken);
    g_assert_false(g_file_test(proj, G_FILE_TEST_EXISTS)); /* nothing written on failure */
    const char *ok[] = {"init", layer, "--key", "id", "-o", proj, "-q", NULL};
    g_assert_cmpint(run_cli(ok, NULL), ==, 0);
    expect_error(ok, 2, "the folder is not empty");
    const char *force[] = {"init", layer, "--key", "id", "-o", proj, "-q", "--force", NULL};
    g_assert_cmpint(run_cli(force, NULL), ==, 0);
    g_free(missing), g_free(empty), g_free(proj), g_free(layer);
    rm_rf(dir);
    g_free(dir);
}

static void frame_for(cm_init_frame *f, double w, double s, double e, double n)
{
    double box[4] = {w, s, e, n};
    cm_init_frame_for(f, box);
}

static void test_projections(void)
{
    cm_init_frame f = {0};
    frame_for(&f, 42.5, 12.3, 54.5, 19.0); /* Yemen: mid latitudes */
    g_assert_true(g_str_has_prefix(f.crs, "+proj=lcc "));
    double dlat = f.box[3] - f.box[1];
    char *want = g_strdup_printf("+lat_1=%.2f +lat_2=%.2f", f.box[1] + dlat / 6, f.box[3] - dlat / 6);
    g_assert_nonnull(strstr(f.crs, want));
    g_free(want);
    cm_init_frame_clear(&f);
    frame_for(&f, -75.6, -55.9, -66.4, -17.5); /* Chile: narrow north-south */
    g_assert_true(g_str_has_prefix(f.crs, "+proj=tmerc "));
    cm_init_frame_clear(&f);
    frame_for(&f, -73.0, 59.8, -12.2, 83.6); /* Greenland: polar */
    g_assert_true(g_str_has_prefix(f.crs, "+proj=stere +lat_0=90 "));
    cm_init_frame_clear(&f);
    frame_for(&f, 12.2, -13.5, 31.3, 5.4); /* DR Congo: across the equator */
    g_assert_true(g_str_has_prefix(f.crs, "+proj=merc "));
    cm_init_frame_clear(&f);
    frame_for(&f, 177.2, -19.2, 181.8, -16.1); /* Fiji: across the antimeridian */
    g_assert_cmpfloat(f.box[2], >, 180);
    g_assert_nonnull(strstr(f.crs, "+lon_0=179.50"));
    cm_init_frame_clear(&f);
    double map_box[4] = {170, -20, 190, -10};
    cm_init_inset_for(&f, map_box); /* an inset's extent stays inside -180..180 */
    g_assert_cmpfloat(f.box[0], >=, -180);
    g_assert_cmpfloat(f.box[2], <=, 180);
    cm_init_frame_clear(&f);
}

/* styles/default.ini, kept for maps that name it, is base.ini then libya.ini, key by key. */
static void test_style_split(void)
{
    GKeyFile *d = g_key_file_new(), *parts[2] = {g_key_file_new(), g_key_file_new()};
    g_assert_true(g_key_file_load_from_file(d, CM_SOURCE_DIR "/styles/default.ini", G_KEY_FILE_KEEP_TRANSLATIONS, NULL));
    g_assert_true(g_key_file_load_from_file(parts[0], CM_SOURCE_DIR "/styles/base.ini", G_KEY_FILE_KEEP_TRANSLATIONS, NULL));
    g_assert_true(g_key_file_load_from_file(parts[1], CM_SOURCE_DIR "/styles/libya.ini", G_KEY_FILE_KEEP_TRANSLATIONS, NULL));
    int total = 0;
    for (int i = 0; i < 2; i++) {
        char **groups = g_key_file_get_groups(parts[i], NULL);
        for (char **g = groups; *g; g++) {
            g_assert_true(i == 1 || !g_str_has_prefix(*g, "controller "));
            char **keys = g_key_file_get_keys(parts[i], *g, NULL, NULL);
            for (char **k = keys; *k; k++, total++) {
                char *a = g_key_file_get_value(parts[i], *g, *k, NULL);
                char *b = g_key_file_get_value(d, *g, *k, NULL);
                g_assert_cmpstr(a, ==, b);
                g_free(a), g_free(b);
            }
            g_strfreev(keys);
        }
        g_strfreev(groups);
    }
    int in_default = 0;
    char **groups = g_key_file_get_groups(d, NULL);
    for (char **g = groups; *g; g++) {
        char **keys = g_key_file_get_keys(d, *g, NULL, NULL);
        in_default += (int)g_strv_length(keys);
        g_strfreev(keys);
    }
    g_strfreev(groups);
    g_assert_cmpint(total, ==, in_default);
    g_key_file_free(d), g_key_file_free(parts[0]), g_key_file_free(parts[1]);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/init/yemen/render", test_yemen);
    g_test_add_func("/init/errors", test_errors);
    g_test_add_func("/init/projections", test_projections);
    g_test_add_func("/init/style-split", test_style_split);
    return g_test_run();
}
