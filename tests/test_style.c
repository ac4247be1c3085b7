/* Map file and style cascade: later keys win, values are checked where they are written. */
#include "conflictmap/status.h"
#include "mapfile.h"
#include "style.h"
#include "testutil.h"

#include <string.h>

static const char base_style[] =
    "# house style\n"
    "[sea]\n"
    "fill = #dbe8f1\n"
    "\n"
    "[controller GNA]\n"
    "label = Government of National Accord (GNA)\n"
    "fill = #2f6fb5\n"
    "\n"
    "[controller LNA]\n"
    "label = Libyan National Army (LNA)\n"
    "fill = #c8553d\n";

static void assert_color(cm_rgba c, double r, double g, double b, double a)
{
    g_assert_cmpfloat_with_epsilon(c.r, r, 1e-3);
    g_assert_cmpfloat_with_epsilon(c.g, g, 1e-3);
    g_assert_cmpfloat_with_epsilon(c.b, b, 1e-3);
    g_assert_cmpfloat_with_epsilon(c.a, a, 1e-3);
}

static void test_cascade(void)
{
    char *dir = scratch_dir();
    char *a = write_file(dir, "a.ini", base_style);
    char *b = write_file(dir, "b.ini", "[controller GNA]\nfill = #00ff0080\n[sea]\nfill = navy\n"
                                       "[controller TEBU]\nfill = #808000\nlabel = Tebu forces\n");
    const char *files[] = {a, b, NULL};
    cm_ctx *ctx = cm_ctx_new();
    cm_style *s = NULL;
    g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_OK);
    const cm_controller *gna = cm_style_controller(s, "GNA");
    /* the later file replaced the fill, the label survives from the earlier one */
    assert_color(gna->fill, 0, 1, 0, 128 / 255.0);
    g_assert_cmpstr(gna->label, ==, "Government of National Accord (GNA)");
    assert_color(cm_style_controller(s, "LNA")->fill, 0xc8 / 255.0, 0x55 / 255.0, 0x3d / 255.0, 1);
    assert_color(s->sea_fill, 0, 0, 128 / 255.0, 1);
    g_assert_cmpstr(cm_style_controller(s, "TEBU")->label, ==, "Tebu forces");
    g_assert_cmpuint(s->controllers->len, ==, 3);
    /* a key no file sets keeps its built-in default */
    g_assert_cmpfloat(s->border_width, ==, 1.2);
    cm_style_destroy(s);

    /* the order is what matters: reversed, the first file wins */
    const char *reversed[] = {b, a, NULL};
    g_assert_cmpint(cm_style_load(&s, reversed, ctx), ==, CM_OK);
    assert_color(cm_style_controller(s, "GNA")->fill, 0x2f / 255.0, 0x6f / 255.0, 0xb5 / 255.0, 1);
    cm_style_destroy(s);
    cm_ctx_destroy(ctx);
    g_free(a);
    g_free(b);
    rm_rf(dir);
    g_free(dir);
}

typedef struct {
    const char *text, *message;
} bad_case;

static void test_bad_styles(void)
{
    static const bad_case cases[] = {
        {"[controller GNA]\nfill = #2f6fb\n", "b.ini:2: [controller GNA] fill = \"#2f6fb\" is not a colour"},
        {"[sea]\nfill = sea-green-ish\n", "b.ini:2: [sea] fill = \"sea-green-ish\" is not a colour"},
        {"[border]\n\nwidth = -3\n", "b.ini:3: [border] width = -3 is out of range (0 to 20)"},
        {"[border]\nwidth = thick\n", "b.ini:2: [border] width = \"thick\" is not a number"},
        {"[places]\nlang = de\n", "b.ini:2: [places] lang = \"de\" must be en, ar, fr or en+ar"},
        /* syntax errors are GKeyFile's own words, with the line found for it */
        {"[sea\nfill = blue\n", "b.ini:1: Key file contains line"},
        {"[sea]\nfill blue\n", "b.ini:2: Key file contains line"},
        {"fill = blue\n", "b.ini:1: Key file does not start with a group"},
        {"[sea]\nfill = blue\n; not a comment to GKeyFile\n", "b.ini:3: Key file contains line"},
        {"[sea]\nfill = blue\n[border]\nwidth = 1\n[sea]\nfill = red\n", "b.ini:5: group [sea] appears twice"},
        {"[controller Bad Id]\nfill = red\n", "b.ini:1: controller id \"Bad Id\" must be one word"},
        {"[controller X]\nlabel = X\n", "b.ini:1: [controller X] needs a fill colour"},
        {"[sea]\nfill = red\nfill = blue\n", "b.ini:3: key \"fill\" repeated in [sea]"},
        {"[title]\nlogo = no-such-logo.png\n", "b.ini:2: [title] logo: no such file"},
        {"[inset]\nshow = maybe\n", "b.ini:2: [inset] show = \"maybe\" must be true or false"},
        {"[controller GNA]\npattern = stars\n", "b.ini:2: [controller GNA] pattern = \"stars\" must be solid, dots or lines"},
    };
    char *dir = scratch_dir();
    char *a = write_file(dir, "a.ini", base_style);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *b = write_file(dir, "b.ini", cases[i].text);
        const char *files[] = {a, b, NULL};
        cm_ctx *ctx = cm_ctx_new();
        cm_style *s = NULL;
        g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_ESTYLE);
        g_assert_null(s);
        if (!strstr(cm_ctx_message(ctx), cases[i].message))
            g_error("case %zu: \"%s\" lacks \"%s\"", i, cm_ctx_message(ctx), cases[i].message);
        cm_ctx_destroy(ctx);
        g_free(b);
    }
    g_free(a);
    rm_rf(dir);
    g_free(dir);
}

static void test_unknown_key_warns(void)
{
    char *dir = scratch_dir();
    char *a = write_file(dir, "a.ini", base_style);
    char *b = write_file(dir, "b.ini", "[sea]\nfil = blue\n[borders]\nwidth = 2\n");
    const char *files[] = {a, b, NULL};
    cm_ctx *ctx = cm_ctx_new();
    cm_style *s = NULL;
    g_assert_cmpint(cm_style_load(&s, files, ctx), ==, CM_OK);
    size_t n = 0;
    const char *const *w = cm_ctx_warnings(ctx, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_nonnull(strstr(w[0], "b.ini:2: unknown key \"fil\" in [sea] (did you mean \"fill\"?)"));
    g_assert_nonnull(strstr(w[1], "b.ini:3: unknown group [borders] (did you mean [border]?)"));
    cm_style_destroy(s);
    cm_ctx_destroy(ctx);
    g_free(a);
    g_free(b);
    rm_rf(dir);
    g_free(dir);
}

static void test_mapfile(void)
{
    char *dir = scratch_dir();
    char *path = write_file(dir, "m.map",
                            "[map]\ntitle = T\ndate = 2019-12-19\ncrs = EPSG:3857\n"
                            "extent = 9, 19, 26, 34\npage = A3-portrait\nstyles = s1.ini, /abs/s2.ini\n"
                            "[regions]\nfile = d.shp\nkey = key\n[control]\nfile = c.csv\n");
    cm_ctx *ctx = cm_ctx_new();
    cm_mapfile *mf = NULL;
    g_assert_cmpint(cm_mapfile_load(&mf, path, ctx), ==, CM_OK);
    g_assert_cmpfloat(mf->page_w_mm, ==, 297);
    g_assert_cmpfloat(mf->page_h_mm, ==, 420);
    g_assert_cmpfloat(mf->extent[2], ==, 26);
    g_assert_cmpint(g_date_get_day(&mf->date), ==, 19);
    char *s1 = g_build_filename(dir, "s1.ini", NULL);
    g_assert_cmpstr(mf->styles[0], ==, s1);
    g_assert_cmpstr(mf->styles[1], ==, "/abs/s2.ini");
    g_assert_null(mf->styles[2]);
    g_free(s1);
    cm_mapfile_destroy(mf);

    static const bad_case cases[] = {
        {"[map]\ncrs = EPSG:4326\nextent = 1,2,3\n", "m.map:3: extent must be four numbers"},
        {"[map]\ncrs = EPSG:4326\nextent = 30,2,3,4\n", "m.map:3: extent must be west < east"},
        {"[map]\nextent = 1,2,3,4\n", "m.map:1: [map] needs a \"crs\" key"},
        {"[map]\ncrs = EPSG:4326\nextent = 1,2,3,4\ndate = 2019-13-01\n", "m.map:4: date \"2019-13-01\""},
        {"[map]\ncrs = EPSG:4326\nextent = 1,2,3,4\npage = B9\n", "m.map:4: page \"B9\" is not a size"},
        {"[map]\ncrs = EPSG:4326\nextent = 1,2,3,4\n[regions]\nkey = k\n", "m.map:4: [regions] needs a \"file\" key"},
        {"[map]\ncrs = EPSG:4326\nextent = 1,2,3,4\n[regions]\nfile = x.shp\n[control]\nfile = c.csv\n",
         "m.map:4: [regions] needs a \"key\" field name"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_free(write_file(dir, "m.map", cases[i].text));
        cm_ctx_clear(ctx);
        g_assert_cmpint(cm_mapfile_load(&mf, path, ctx), ==, CM_ESTYLE);
        if (!strstr(cm_ctx_message(ctx), cases[i].message))
            g_error("case %zu: \"%s\" lacks \"%s\"", i, cm_ctx_message(ctx), cases[i].message);
    }
    cm_ctx_destroy(ctx);
    g_free(path);
    rm_rf(dir);
    g_free(dir);
}

static void test_page_names(void)
{
    double w, h;
    g_assert_true(cm_parse_page("A4-landscape", &w, &h));
    g_assert_cmpfloat(w, ==, 297);
    g_assert_cmpfloat(h, ==, 210);
    g_assert_true(cm_parse_page("letter", &w, &h));
    g_assert_cmpfloat(w, ==, 215.9);
    g_assert_true(cm_parse_page("300x200mm", &w, &h));
    g_assert_cmpfloat(h, ==, 200);
    g_assert_false(cm_parse_page("A4-sideways", &w, &h));
    g_assert_false(cm_parse_page("5x5mm", &w, &h));
    g_assert_false(cm_parse_page("1e9x200mm", &w, &h));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/style/cascade", test_cascade);
    g_test_add_func("/style/bad", test_bad_styles);
    g_test_add_func("/style/unknown-key", test_unknown_key_warns);
    g_test_add_func("/mapfile/parse", test_mapfile);
    g_test_add_func("/mapfile/page-names", test_page_names);
    return g_test_run();
}
