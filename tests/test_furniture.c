/* Furniture placed, not fixed: with `auto` (the default) the legend goes where it covers the
 * least of the mapped regions; a fixed corner over them is said as a warning. */
#include "conflictmap/conflictmap.h"
#include "render_stats.h"
#include "testutil.h"

#include <cairo.h>
#include <string.h>

/* A map of one square country filling the bottom-left quarter of its extent, the rest sea. */
static char *corner_map(const char *dir, const char *extra_style)
{
    char *regions = write_file(dir, "a.geojson",
                               "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                               "\"properties\":{\"key\":\"a\",\"name\":\"Aland\"},\"geometry\":{"
                               "\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],"
                               "[0,0]]]}}]}");
    char *ledger = write_file(dir, "c.csv", "date,region,controller,status,source\n"
                                            "2020-01-01,a,GNA,held,a test\n");
    char *style = write_file(dir, "extra.ini", extra_style ? extra_style : "");
    char *text = g_strdup_printf("[map]\ntitle = Corner\ndate = 2020-02-01\ncrs = EPSG:4326\n"
                                 "extent = 0, 0, 20, 20\npage = 200x200mm\n"
                                 "styles = " CM_SOURCE_DIR "/styles/default.ini, %s\n"
                                 "[regions]\nfile = %s\nkey = key\nname = name\n"
                                 "[control]\nfile = %s\n",
                                 style, regions, ledger);
    char *map = write_file(dir, "m.map", text);
    g_free(text);
    g_free(regions);
    g_free(ledger);
    g_free(style);
    return map;
}

static void test_legend_avoids_land(void)
{
    char *dir = scratch_dir(), *path = corner_map(dir, NULL);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, path, NULL, ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    /* no inset layer, no details: the legend, then the scale bar */
    g_assert_cmpint(st.nfurniture, ==, 2);
    double x, y; /* the country's north-east corner on the page */
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, 10, 10, ctx), ==, CM_OK);
    for (int i = 0; i < st.nfurniture; i++) {
        const cm_box *b = &st.furniture[i];
        gboolean over = b->x0 < x && b->y1 > y; /* left of its east edge, below its north */
        if (over)
            g_error("furniture %d (%.0f,%.0f-%.0f,%.0f) is over the country (east %.0f, north "
                    "%.0f)", i, b->x0, b->y0, b->x1, b->y1, x, y);
    }
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(path);
    g_free(dir);
}

/* Fixed in the bottom-left corner, over the country: drawn there, and said. */
static void test_fixed_corner_warned(void)
{
    char *dir = scratch_dir(), *path = corner_map(dir, "[legend]\nposition = bottom-left\n");
    char *png = g_build_filename(dir, "m.png", NULL), *err = NULL;
    const char *argv[] = {CM_CLI, "render", path, "--dpi", "30", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, &err), ==, 0);
    g_assert_nonnull(strstr(err, "m.map: the legend, inset or scale bar covers part of Aland"));
    g_free(err);
    char *auto_path = corner_map(dir, NULL);
    const char *again[] = {CM_CLI, "render", auto_path, "--dpi", "30", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, again, NULL, &err), ==, 0);
    g_assert_null(strstr(err, "covers part of"));
    g_free(err);
    g_free(auto_path);
    g_free(png);
    rm_rf(dir);
    g_free(path);
    g_free(dir);
}

/* Dark pixels (text) in the band above the frame, left half and right half of the page. */
static void title_ink(const char *png, int *left, int *right)
{
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    g_assert_cmpint(cairo_surface_status(img), ==, CAIRO_STATUS_SUCCESS);
    int w = cairo_image_surface_get_width(img), stride = cairo_image_surface_get_stride(img);
    const guint8 *px = cairo_image_surface_get_data(img);
    *left = *right = 0;
    /* the bundled A4 page at 50 dpi: the title block lies in the top 12% */
    for (int y = 0; y < cairo_image_surface_get_height(img) * 12 / 100; y++)
        for (int x = 0; x < w; x++) {
            guint32 v = *(const guint32 *)(px + y * stride + 4 * x);
            gboolean dark = ((v >> 16) & 0xff) < 90 && ((v >> 8) & 0xff) < 90 && (v & 0xff) < 90;
            if (dark)
                (x < w / 2 ? left : right)[0]++;
        }
    cairo_surface_destroy(img);
}

/* An Arabic page mirrors: the title block stands at the right, the legend on the right-hand
 * side, the inset on the left; the English page the other way round. */
static void test_arabic_mirrors(void)
{
    static const char *const langs[] = {"en", "ar"};
    char *dir = scratch_dir(), *png = g_build_filename(dir, "t.png", NULL);
    for (int k = 0; k < 2; k++) {
        const char *argv[] = {CM_CLI, "render", "-q", "--lang", langs[k], "--dpi", "50", "-o",
                              png, NULL};
        g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
        int left, right;
        title_ink(png, &left, &right);
        g_test_message("%s: title ink %d left, %d right", langs[k], left, right);
        g_assert_cmpint(k ? right : left, >, 4 * (k ? left : right) + 50);
        cm_ctx *ctx = cm_ctx_new();
        cm_map *map = NULL;
        g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
        g_assert_cmpint(cm_map_set_lang(map, langs[k], ctx), ==, CM_OK);
        cm_render_stats st;
        g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
        /* furniture: the Tripoli detail, the inset, the legend, the scale bar */
        double mid = (st.frame.x0 + st.frame.x1) / 2;
        const cm_box *inset = &st.furniture[1], *legend = &st.furniture[2];
        if (k) {
            g_assert_cmpfloat(legend->x0, >, mid);
            g_assert_cmpfloat(inset->x1, <, mid);
        } else {
            g_assert_cmpfloat(legend->x1, <, mid);
            g_assert_cmpfloat(inset->x0, >, mid);
        }
        cm_render_stats_clear(&st);
        cm_map_destroy(map);
        cm_ctx_destroy(ctx);
    }
    rm_rf(dir);
    g_free(png);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/furniture/legend-avoids-land", test_legend_avoids_land);
    g_test_add_func("/furniture/fixed-corner-warned", test_fixed_corner_warned);
    g_test_add_func("/furniture/arabic-mirrors", test_arabic_mirrors);
    return g_test_run();
}
