/* Cartography: the label engine's promises, the scale bar and north arrow against geodesy,
 * the themes in greyscale, custom page sizes, arrows that read on their own side's ground,
 * site icons apart. */
#include "conflictmap/conflictmap.h"
#include "draw.h"
#include "fonts.h"
#include "labels.h"
#include "render_stats.h"
#include "testutil.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GEO CM_SOURCE_DIR "/geodata/"

/* A map file like the bundled one, with absolute paths, other places and page. */
static char *write_map(const char *dir, const char *places, const char *page, const char *control)
{
    char *text = g_strdup_printf(
        "[map]\ntitle = Test\ndate = 2019-12-19\n"
        "crs = +proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84 +units=m\n"
        "extent = 8.8, 19.2, 25.9, 34.4\npage = %s\nstyles = " CM_SOURCE_DIR "/styles/default.ini\n"
        "sea-label = Mediterranean Sea\nsea-label-at = 17.6, 33.55\n"
        "[regions]\nfile = " GEO "districts.shp\nkey = key\nname = name_en\nname-ar = name_ar\n"
        "[neighbours]\nfile = " GEO "neighbours.shp\nname = name_en\n"
        "[border]\nfile = " GEO "libya.shp\n"
        "[places]\nfile = %s\nkey = key\nname = name_en\nname-ar = name_ar\nkind = kind\nrank = rank\n"
        "[sites]\nfile = " GEO "sites.csv\nkey = key\nname = name_en\nkind = kind\n"
        "[inset]\nfile = " GEO "inset.shp\nextent = -12, 5, 42, 47\n"
        "[control]\nfile = %s\n",
        page, places, control);
    char *path = write_file(dir, "test.map", text);
    g_free(text);
    return path;
}

static gboolean inside(const cm_box *b, const cm_box *frame)
{
    return b->x0 >= frame->x0 - 1e-6 && b->y0 >= frame->y0 - 1e-6 && b->x1 <= frame->x1 + 1e-6 &&
           b->y1 <= frame->y1 + 1e-6;
}

/* No two placed labels overlap; none leaves the frame or covers furniture or a place symbol; every glyph
 * was found in some font. */
static void check_labels(const cm_render_stats *st)
{
    for (int i = 0; i < st->nlabels; i++) {
        if (!inside(&st->labels[i], &st->frame))
            g_error("label %d leaves the frame", i);
        for (int j = i + 1; j < st->nlabels; j++)
            if (cm_box_overlaps(&st->labels[i], &st->labels[j]))
                g_error("labels %d and %d overlap", i, j);
        for (int k = 0; k < st->nfurniture; k++)
            if (cm_box_overlaps(&st->labels[i], &st->furniture[k]))
                g_error("label %d covers furniture %d", i, k);
        for (int k = 0; k < st->nsymbols; k++)
            if (cm_box_overlaps(&st->labels[i], &st->symbols[k]))
                g_error("label %d covers place symbol %d", i, k);
    }
    g_assert_cmpint(st->unknown_glyphs, ==, 0);
}

/* No place's symbol covers another's on the national map: a site beside a city (Benina by
 * Benghazi, Ghardabiya by Sirte) is left to a detail frame (rank 5), not drawn over it. */
static void test_symbols_apart(void)
{
    static const char *const dates[] = {"2019-04-05", "2019-12-19", "2020-06-06"};
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    for (size_t d = 0; d < G_N_ELEMENTS(dates); d++) {
        g_assert_cmpint(cm_map_set_date(map, dates[d], ctx), ==, CM_OK);
        cm_render_stats st;
        g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
        for (int i = 0; i < st.nsymbols; i++)
            for (int j = i + 1; j < st.nsymbols; j++) {
                const cm_box *a = &st.symbols[i], *b = &st.symbols[j];
                double w = MIN(a->x1, b->x1) - MAX(a->x0, b->x0);
                double h = MIN(a->y1, b->y1) - MAX(a->y0, b->y0);
                double small = MIN((a->x1 - a->x0) * (a->y1 - a->y0),
                                   (b->x1 - b->x0) * (b->y1 - b->y0));
                if (w > 0 && h > 0 && w * h > 0.3 * small)
                    g_error("%s: symbols at %.1f,%.1f and %.1f,%.1f overlap by %.0f%%", dates[d],
                            (a->x0 + a->x1) / 2, (a->y0 + a->y1) / 2, (b->x0 + b->x1) / 2,
                            (b->y0 + b->y1) / 2, 100 * w * h / small);
            }
        cm_render_stats_clear(&st);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

static void test_default_labels(void)
{
    static const char *const langs[] = {"en", "ar", "en+ar"};
    for (size_t l = 0; l < G_N_ELEMENTS(langs); l++) {
        cm_ctx *ctx = cm_ctx_new();
        cm_map *map = NULL;
        g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
        g_assert_cmpint(cm_map_set_lang(map, langs[l], ctx), ==, CM_OK);
        cm_render_stats st;
        g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
        g_test_message("%s: %d labels placed", langs[l], st.nlabels);
        g_assert_cmpint(st.nlabels, >=, 35);
        /* inset, legend, the scale bar with the north arrow, the Tripoli detail */
        g_assert_cmpint(st.nfurniture, ==, 4);
        g_assert_cmpint(st.nsymbols, >=, 20);
        check_labels(&st);
        cm_render_stats_clear(&st);
        cm_map_destroy(map);
        cm_ctx_destroy(ctx);
    }
}

/* Four hundred places on a map that has room for far fewer: lower priorities give way. */
static void test_crowded(void)
{
    char *dir = scratch_dir();
    char *places = NULL, *control = NULL;
    write_crowded_inputs(dir, &places, &control);
    char *mapfile = write_map(dir, places, "A4-landscape", control);
    g_free(control);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, mapfile, NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    g_test_message("crowded: %d labels placed for 400 places and 22 districts", st.nlabels);
    g_assert_cmpint(st.nlabels, >, 60);
    g_assert_cmpint(st.nlabels, <, 400);
    check_labels(&st);
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(mapfile);
    g_free(places);
    rm_rf(dir);
    g_free(dir);
}

/* The scale bar's ground length per point, checked against the WGS 84 geodesic from
 * Tripoli to Benghazi (651 794.348 m, PROJ's geod) over their distance on the page. */
static void test_scale(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    double tx, ty, bx, by;
    g_assert_cmpint(cm_map_lonlat_to_page(&tx, &ty, map, 13.1913, 32.8872, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_lonlat_to_page(&bx, &by, map, 20.0686, 32.1167, ctx), ==, CM_OK);
    double expect = 651794.348 / hypot(bx - tx, by - ty);
    g_test_message("scale: %.1f m/pt at the centre, %.1f m/pt along Tripoli-Benghazi",
                   st.metres_per_pt, expect);
    /* LCC's scale varies by under 1% between 27 N (the frame's centre) and 32-33 N */
    g_assert_cmpfloat(fabs(st.metres_per_pt / expect - 1), <, 0.01);
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* True north at the frame's centre: for a Lambert conformal conic the meridians converge by
 * n (lon - lon0), n = ln(cos p1 / cos p2) / ln(tan(pi/4 + p2/2) / tan(pi/4 + p1/2)). */
static void test_north(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    double lon, lat;
    g_assert_cmpint(cm_map_page_to_lonlat(&lon, &lat, map, (st.frame.x0 + st.frame.x1) / 2,
                                          (st.frame.y0 + st.frame.y1) / 2, NULL), ==, CM_OK);
    double p1 = 22 * G_PI / 180, p2 = 32 * G_PI / 180;
    double n = log(cos(p1) / cos(p2)) / log(tan(G_PI / 4 + p2 / 2) / tan(G_PI / 4 + p1 / 2));
    double expect = -n * (lon - 18) * G_PI / 180;
    g_test_message("north: %.5f rad at lon %.3f, expected %.5f", st.north_angle, lon, expect);
    g_assert_cmpfloat(fabs(st.north_angle - expect), <, 2e-3);
    g_assert_cmpfloat(fabs(expect), >, 1e-3); /* the centre is off the central meridian */
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Mean luminance (Rec. 709 on sRGB values) of pixels at points well inside a district. */
static double district_luminance(cairo_surface_t *png, cm_map *map, const double (*pts)[2], int n)
{
    double pw, ph, sum = 0;
    cm_map_page_size(&pw, &ph, map);
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int stride = cairo_image_surface_get_stride(png);
    const unsigned char *data = cairo_image_surface_get_data(png);
    int count = 0;
    for (int i = 0; i < n; i++)
        for (int dx = -6; dx <= 6; dx++)
            for (int dy = -6; dy <= 6; dy++) {
                double x, y;
                g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, pts[i][0], pts[i][1], NULL), ==, CM_OK);
                int px = (int)(x * w / pw) + dx, py = (int)(y * h / ph) + dy;
                /* a point off the page would read outside the image */
                g_assert_cmpint(px, >=, 0);
                g_assert_cmpint(px, <, w);
                g_assert_cmpint(py, >=, 0);
                g_assert_cmpint(py, <, h);
                guint32 v = *(const guint32 *)(data + py * stride + px * 4);
                sum += (0.2126 * ((v >> 16) & 0xff) + 0.7152 * ((v >> 8) & 0xff) + 0.0722 * (v & 0xff)) / 255;
                count++;
            }
    return sum / count;
}

static void test_themes(void)
{
    static const char *const themes[] = {"default", "print", "colourblind", "dark"};
    /* points deep inside: Misrata district (GNA), Al Wahat and Kufra (LNA) */
    static const double gna[][2] = {{15.6, 30.6}, {14.9, 31.2}};
    static const double lna[][2] = {{21.0, 28.5}, {22.5, 22.5}};
    char *dir = scratch_dir();
    for (size_t t = 0; t < G_N_ELEMENTS(themes); t++) {
        char *out = g_strdup_printf("%s/%s.png", dir, themes[t]);
        char *style = g_strdup_printf(CM_SOURCE_DIR "/styles/%s.ini", themes[t]);
        const char *extra[] = {style, NULL};
        cm_map_options mo;
        cm_map_options_init(&mo);
        mo.styles = t ? extra : NULL;
        cm_ctx *ctx = cm_ctx_new();
        cm_map *map = NULL;
        if (cm_map_load(&map, cm_default_map_path(), &mo, ctx) != CM_OK)
            g_error("%s: %s", themes[t], cm_ctx_message(ctx));
        size_t nwarn = 0;
        cm_ctx_warnings(ctx, &nwarn);
        g_assert_cmpuint(nwarn, ==, 0);
        cm_render_options ro;
        cm_render_options_init(&ro);
        ro.dpi = 72;
        g_assert_cmpint(cm_map_render_file(map, out, &ro, ctx), ==, CM_OK);
        cairo_surface_t *png = cairo_image_surface_create_from_png(out);
        double lg = district_luminance(png, map, gna, 2), ll = district_luminance(png, map, lna, 2);
        g_test_message("%s: luminance GNA %.3f, LNA %.3f", themes[t], lg, ll);
        /* in greyscale the two sides must read apart: a clear margin for print */
        g_assert_cmpfloat(fabs(lg - ll), >, (t == 1 ? 0.3 : 0.12));
        cairo_surface_destroy(png);
        cm_map_destroy(map);
        cm_ctx_destroy(ctx);
        g_free(style);
        g_free(out);
    }
    rm_rf(dir);
    g_free(dir);
}

/* A page given in CSS pixels renders at exactly that size at 96 dpi. */
static void test_page_px(void)
{
    char *dir = scratch_dir();
    char *mapfile = write_map(dir, GEO "places.csv", "1200x800px", GEO "control.csv");
    char *out = g_build_filename(dir, "px.png", NULL);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, mapfile, NULL, ctx), ==, CM_OK);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = 96;
    g_assert_cmpint(cm_map_render_file(map, out, &ro, ctx), ==, CM_OK);
    cairo_surface_t *png = cairo_image_surface_create_from_png(out);
    g_assert_cmpint(cairo_image_surface_get_width(png), ==, 1200);
    g_assert_cmpint(cairo_image_surface_get_height(png), ==, 800);
    cairo_surface_destroy(png);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(out);
    g_free(mapfile);
    rm_rf(dir);
    g_free(dir);
}

/* Text is laid out with a font map of the style's families only, and text those fonts
 * cannot show falls back to every installed font, as Pango alone would: Devanagari is not
 * in Noto Sans or Noto Sans Arabic but is in fonts-noto-core. */
static void test_font_fallback(void)
{
    const char *families = "Noto Sans, Noto Sans Arabic";
    PangoFontMap *fast = cm_font_map(families);
    g_assert_nonnull(fast);
    g_assert_true(fast != pango_cairo_font_map_get_default());
    g_assert_null(cm_font_map("No Such Font, Nor This"));
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
    cairo_t *cr = cairo_create(s);
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, 0, 10, 10});
    static const char *const texts[] = {"Tripoli", "طرابلس", "Tripoli नमस्ते"};
    for (size_t i = 0; i < G_N_ELEMENTS(texts); i++) {
        PangoLayout *l = cm_labeler_layout(lab, texts[i], families, 10, FALSE, FALSE);
        PangoFontMap *used = pango_context_get_font_map(pango_layout_get_context(l));
        g_assert_cmpint(pango_layout_get_unknown_glyphs_count(l), ==, 0);
        g_assert_true((used == fast) == (i < 2));
        g_object_unref(l);
    }
    cm_labeler_destroy(lab);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    char *used = NULL;
    g_assert_true(cm_font_installed(families, &used));
    g_assert_null(used);
    g_assert_false(cm_font_installed("No Such Font, Noto Sans", &used));
    g_assert_nonnull(used);
    g_free(used);
}

/* Halos shown as text in a font of stroked glyphs (for PDF) look as halos stroked from the
 * whole outline: the same pixels, through poppler at 300 dpi, but for antialiasing where
 * glyphs' halos meet, for Latin, Arabic (right to left, joined), two lines, letter spacing
 * and a translucent halo.  And the halo adds no text: each label is extracted once. */
static void test_halo_font(void)
{
    static const struct {
        const char *text;
        double alpha, spacing;
    } cases[] = {{"Bani Walid", 1, 0}, {"طرابلس", 1, 0}, {"Misrata\nمصراتة", 1, 0},
                 {"Mediterranean Sea", 0.45, 1.5}};
    char *dir = scratch_dir();
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        cairo_surface_t *img[2];
        for (int font = 0; font < 2; font++) {
            char *pdf = g_strdup_printf("%s/halo%d.pdf", dir, font);
            cairo_surface_t *surface = cairo_pdf_surface_create(pdf, 200, 75);
            cairo_t *cr = cairo_create(surface);
            cairo_set_source_rgb(cr, 0.2, 0.4, 0.7);
            cairo_paint(cr);
            cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, 0, 200, 75});
            cm_label_spec spec = {.text = cases[c].text, .font = "Noto Sans, Noto Sans Arabic",
                                  .size = 14, .bold = TRUE, .letter_spacing = cases[c].spacing,
                                  .color = {0.1, 0.1, 0.1, 1},
                                  .halo = {1, 1, 1, cases[c].alpha}, .halo_width = 2.2,
                                  .kind = CM_LABEL_AREA, .x = 100, .y = 37, .priority = 1};
            cm_labeler_add(lab, &spec);
            g_assert_cmpint(cm_labeler_place(lab), ==, 1);
            GHashTable *halos = font ? cm_halo_cache_new() : NULL;
            cm_labeler_draw(lab, cr, NULL, halos);
            cm_labeler_destroy(lab);
            cairo_destroy(cr);
            if (halos)
                g_hash_table_unref(halos);
            cairo_surface_finish(surface);
            g_assert_cmpint(cairo_surface_status(surface), ==, CAIRO_STATUS_SUCCESS);
            cairo_surface_destroy(surface);
            char *prefix = g_strdup_printf("%s/halo%d", dir, font), *png = g_strconcat(prefix, ".png", NULL);
            const char *argv[] = {"pdftoppm", "-png", "-r", "300", "-singlefile", pdf, prefix, NULL};
            g_assert_cmpint(spawn(NULL, argv, NULL, NULL), ==, 0);
            img[font] = cairo_image_surface_create_from_png(png);
            g_assert_cmpint(cairo_surface_status(img[font]), ==, CAIRO_STATUS_SUCCESS);
            if (font) {
                /* the label's text, once */
                char *out = NULL;
                const char *text[] = {"pdftotext", pdf, "-", NULL};
                g_assert_cmpint(spawn(NULL, text, &out, NULL), ==, 0);
                /* letter spacing comes out as spaces: compare without them */
                char *first_line = g_strndup(cases[c].text, strcspn(cases[c].text, "\n"));
                for (char *src = out, *dst = out;; src++)
                    if (*src != ' ' && !(*dst++ = *src))
                        break;
                for (char *src = first_line, *dst = first_line;; src++)
                    if (*src != ' ' && !(*dst++ = *src))
                        break;
                const char *at = strstr(out, first_line);
                g_assert_nonnull(at);
                g_assert_null(strstr(at + 1, first_line));
                g_assert_null(strstr(out, "\xef\xbf\xbd")); /* no U+FFFD either */
                g_free(first_line);
                g_free(out);
            }
            g_free(png);
            g_free(prefix);
            g_free(pdf);
        }
        int w = cairo_image_surface_get_width(img[0]), h = cairo_image_surface_get_height(img[0]);
        g_assert_cmpint(w, ==, cairo_image_surface_get_width(img[1]));
        /* halo pixels (lighter than the blue by half the halo) of each with none of the
         * other's within 3 px: poppler draws
         * the glyphs of a Type 3 font a little softer and up to a pixel or so off their
         * exact place (ghostscript does not); a glyph's halo out of place is hundreds */
        int stray = 0, halo = 0, light = (int)(102 + 0.5 * cases[c].alpha * 153);
        for (int k = 0; k < 2; k++) {
            const unsigned char *a = cairo_image_surface_get_data(img[k]);
            const unsigned char *b = cairo_image_surface_get_data(img[1 - k]);
            int stride = cairo_image_surface_get_stride(img[k]);
            for (int y = 3; y < h - 3; y++)
                for (int x = 3; x < w - 3; x++) {
                    if (a[y * stride + 4 * x + 1] <= light)
                        continue;
                    halo += k == 0;
                    gboolean near = FALSE;
                    for (int dy = -3; dy <= 3 && !near; dy++)
                        for (int dx = -3; dx <= 3 && !near; dx++)
                            near = b[(y + dy) * stride + 4 * (x + dx) + 1] > light;
                    stray += !near;
                }
        }
        g_test_message("%s: %d halo pixels, %d with no counterpart within 3 px", cases[c].text,
                       halo, stray);
        g_assert_cmpint(halo, >, 1000);
        g_assert_cmpint(stray, <, halo / 100);
        cairo_surface_destroy(img[0]);
        cairo_surface_destroy(img[1]);
    }
    rm_rf(dir);
    g_free(dir);
}

/* How a pixel of an RGB24/ARGB32 image reads beside colour c: 'C' (c, within 40 a channel),
 * 'L' (a light casing: luminance over 0.8 and far from c) or '.'. */
static char classify(cairo_surface_t *img, int x, int y, cm_rgba c)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    if (x < 0 || y < 0 || x >= w || y >= h)
        return '.';
    guint32 v = *(const guint32 *)(cairo_image_surface_get_data(img) +
                                   y * cairo_image_surface_get_stride(img) + 4 * x);
    double r = ((v >> 16) & 0xff) / 255.0, g = ((v >> 8) & 0xff) / 255.0, b = (v & 0xff) / 255.0;
    double far = fmax(fabs(r - c.r), fmax(fabs(g - c.g), fabs(b - c.b)));
    if (far <= 40 / 255.0)
        return 'C';
    return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.8 && far > 0.4 ? 'L' : '.';
}

/* Whether the profile through (x, y) (page points, `ppt` pixels a point) along (nx, ny),
 * `half` points either way, crosses casing, then colour c, then casing: an arrow's shaft
 * seen across, whatever the ground. */
static gboolean crosses_cased(cairo_surface_t *img, double ppt, double x, double y, double nx,
                              double ny, double half, cm_rgba c)
{
    int stage = 0, other = 0; /* 0: looking for L, 1: L seen, 2: C after L, 3: L after C */
    for (double t = -half; t <= half && stage < 3; t += 0.5 / ppt) {
        char k = classify(img, (int)((x + nx * t) * ppt), (int)((y + ny * t) * ppt), c);
        other = k == '.' ? other + 1 : 0;
        if ((stage == 0 && k == 'L') || (stage == 1 && k == 'C') || (stage == 2 && k == 'L'))
            stage++;
        else if (stage == 2 && other > 4)
            stage = 0; /* more than antialiasing between fill and casing: not an arrow */
    }
    return stage == 3;
}

/* An arrow over ground of its own colour reads by its casing: every profile across its
 * shaft crosses casing, fill, casing.  Offensive and withdrawal, straight and bent. */
static void test_arrow_casing(void)
{
    const cm_rgba gna = {0x24 / 255.0, 0x58 / 255.0, 0x9e / 255.0, 1}, white = {1, 1, 1, 1};
    const cm_rgba dark = {0.1, 0.1, 0.1, 1};
    const double ppt = 300 / 72.0;
    static const double lines[][6] = {{10, 30, 60, 30, 110, 30}, {10, 40, 60, 20, 110, 40}};
    for (int withdrawal = 0; withdrawal < 2; withdrawal++)
        for (size_t l = 0; l < G_N_ELEMENTS(lines); l++) {
            cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(120 * ppt),
                                                              (int)(60 * ppt));
            cairo_t *cr = cairo_create(img);
            cairo_scale(cr, ppt, ppt);
            cm_draw_set_color(cr, gna);
            cairo_paint(cr);
            cm_arrow_style st = cm_arrow_style_for(gna, withdrawal, white, dark);
            cm_draw_arrow(cr, lines[l], 3, &st);
            cairo_destroy(cr);
            cairo_surface_flush(img);
            /* across the shaft, from the tail to where the head begins; the dashes of a
             * withdrawal's edge fall inside the casing, so it too is crossed */
            for (double x = 14; x < 110 - st.head_len - 2; x += 3) {
                double y = l == 0 ? 30 : x < 60 ? 40 - (x - 10) * 0.4 : 20 + (x - 60) * 0.4;
                if (!crosses_cased(img, ppt, x, y, 0, 1, 8, gna))
                    g_error("arrow %zu (withdrawal %d): no casing across the shaft at x = %.0f",
                            l, withdrawal, x);
            }
            cairo_surface_destroy(img);
        }
}

/* The same through the public API: the GNA's arrow at Sabratha on 14 April 2020, on the
 * bundled map at 300 dpi, over ground the GNA holds. */
static void test_sabratha_arrow(void)
{
    char *dir = scratch_dir(), *out = g_build_filename(dir, "sabratha.png", NULL);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, "2020-04-14", ctx), ==, CM_OK);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = 300;
    g_assert_cmpint(cm_map_render_file(map, out, &ro, ctx), ==, CM_OK);
    cairo_surface_t *png = cairo_image_surface_create_from_png(out);
    double pw, ph, tx, ty, hx, hy;
    cm_map_page_size(&pw, &ph, map);
    double ppt = cairo_image_surface_get_width(png) / pw;
    /* the line's tail and tip in lines.geojson */
    g_assert_cmpint(cm_map_lonlat_to_page(&tx, &ty, map, 12.78, 32.70, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_lonlat_to_page(&hx, &hy, map, 12.45, 32.77, ctx), ==, CM_OK);
    double d = hypot(hx - tx, hy - ty), ux = (hx - tx) / d, uy = (hy - ty) / d;
    int cased = 0;
    for (double s = 0.5; s < d / 2; s += 0.25)
        cased += crosses_cased(png, ppt, tx + ux * s, ty + uy * s, -uy, ux, 5,
                               (cm_rgba){0x24 / 255.0, 0x58 / 255.0, 0x9e / 255.0, 1});
    g_test_message("Sabratha arrow: %d of %d profiles across the shaft cased", cased,
                   (int)((d / 2 - 0.5) / 0.25) + 1);
    g_assert_cmpint(cased, >=, 3);
    cairo_surface_destroy(png);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(out);
    rm_rf(dir);
    g_free(dir);
}

/* Each site icon inks its box and nothing beyond its casing, and no two kinds look alike:
 * their masks (alpha over a half) differ by more than a twentieth of the inked pixels. */
static void test_site_icons(void)
{
    static const char *const kinds[] = {"oil_terminal", "oil_field", "refinery", "airbase",
                                        "airport", "port", NULL};
    const int n = G_N_ELEMENTS(kinds), side = 96;
    const double ppx = 4, size = 12, reach = (size / 2 + CM_SITE_CASING) * ppx + 1;
    guint8 *masks = g_new0(guint8, (size_t)(n * side * side));
    int inked[G_N_ELEMENTS(kinds)];
    for (int k = 0; k < n; k++) {
        cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, side, side);
        cairo_t *cr = cairo_create(img);
        cairo_scale(cr, ppx, ppx);
        cm_draw_site(cr, kinds[k], side / 2.0 / ppx, side / 2.0 / ppx, size,
                     (cm_rgba){0.14, 0.35, 0.62, 1}, (cm_rgba){1, 1, 1, 1});
        cairo_destroy(cr);
        cairo_surface_flush(img);
        const guint8 *data = cairo_image_surface_get_data(img);
        int stride = cairo_image_surface_get_stride(img), beyond = 0;
        inked[k] = 0;
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++) {
                /* colour matters inside: a knockout is the casing's colour, not a hole */
                guint32 v = *(const guint32 *)(data + y * stride + 4 * x);
                guint8 alpha = v >> 24, blue = v & 0xff;
                gboolean out = fabs(x + 0.5 - side / 2.0) > reach || fabs(y + 0.5 - side / 2.0) > reach;
                beyond += out && alpha > 0;
                inked[k] += alpha > 0;
                masks[k * side * side + y * side + x] = alpha > 127 && blue < 200;
            }
        g_assert_cmpint(beyond, ==, 0);
        g_assert_cmpint(inked[k], >, (int)(size * ppx * size * ppx / 4));
        cairo_surface_destroy(img);
    }
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            int differ = 0;
            for (int i = 0; i < side * side; i++)
                differ += masks[a * side * side + i] != masks[b * side * side + i];
            if (differ <= MIN(inked[a], inked[b]) / 20)
                g_error("%s and %s: masks differ by %d pixels", kinds[a] ? kinds[a] : "NULL",
                        kinds[b] ? kinds[b] : "NULL", differ);
        }
    g_free(masks);
    /* the names are the style's words */
    const char *files[] = {CM_SOURCE_DIR "/styles/default.ini", NULL};
    cm_style *style = NULL;
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_style_load(&style, files, ctx), ==, CM_OK);
    g_assert_cmpstr(cm_site_kind_name(style, "oil_terminal"), ==, "Oil terminal");
    g_assert_cmpstr(cm_site_kind_name(style, "airbase"), ==, "Air base");
    g_assert_cmpstr(cm_site_kind_name(style, "hospital"), ==, "Site");
    g_assert_cmpstr(cm_site_kind_name(style, NULL), ==, "Site");
    cm_style_destroy(style);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/labels/default-map", test_default_labels);
    g_test_add_func("/cartography/symbols-apart", test_symbols_apart);
    g_test_add_func("/labels/crowded", test_crowded);
    g_test_add_func("/furniture/scale-bar", test_scale);
    g_test_add_func("/furniture/north-arrow", test_north);
    g_test_add_func("/themes/greyscale", test_themes);
    g_test_add_func("/page/px", test_page_px);
    g_test_add_func("/fonts/fallback", test_font_fallback);
    g_test_add_func("/labels/halo-font", test_halo_font);
    g_test_add_func("/arrows/casing", test_arrow_casing);
    g_test_add_func("/arrows/sabratha", test_sabratha_arrow);
    g_test_add_func("/sites/icons", test_site_icons);
    return g_test_run();
}
