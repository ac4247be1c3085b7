/* Small multiples (series --grid): one title, one legend and one source block for the sheet,
 * a date heading for each panel, the panels equal, aligned and evenly spaced, filling the
 * page; the same sheet as PNG, and mirrored in Arabic. */
#include "conflictmap/conflictmap.h"
#include "keyfile.h"
#include "map_impl.h"
#include "mapfile.h"
#include "page.h"
#include "style.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

#define MAPFILE CM_SOURCE_DIR "/geodata/libya.map"

/* Six dates two months apart, the GNA's counter-offensive of spring 2020 among them. */
static const char *const dates[] = {"2019-09-01", "2019-11-01", "2020-01-01",
                                    "2020-03-01", "2020-05-01", "2020-07-01"};
#define NDATES 6

/* How often `word` stands in `text` with no digit just before it ("1 May 2020", not the
 * end of "21 May 2020" in a source note). */
static int count(const char *text, const char *word)
{
    int n = 0;
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
        n += p == text || !g_ascii_isdigit(p[-1]);
    return n;
}

/* The CLI's sheet (`grid`, "3x2") of the first n dates into `path`. */
static void render_sheet(const char *dir, const char *path, const char *grid, int n,
                         const char *lang)
{
    const char *argv[] = {CM_CLI, "series", "-q", "--from", dates[0], "--to", dates[n - 1],
                          "--step", "2m", "--grid", grid, "--dpi", "100", "--lang", lang,
                          "-o", path, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
}

static cm_map *load_map(const char *lang)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, MAPFILE, NULL, ctx) != CM_OK ||
        cm_map_set_lang(map, lang, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    cm_ctx_destroy(ctx);
    return map;
}

/* The sheet's layout for the six dates on `map`, as cm_draw_sheet lays it out. */
static void plan(cm_sheet_layout *lo, const cm_map *map, const int grid[2])
{
    cm_page_spec specs[NDATES] = {0};
    for (int i = 0; i < NDATES; i++)
        g_assert_true(cm_parse_date(dates[i], &specs[i].date));
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_sheet sh = {map, specs, 0, MIN(NDATES, grid[0] * grid[1]), grid, NULL, NULL, FALSE};
    cm_sheet_plan(lo, cr, &sh);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
}

static gboolean boxes_overlap(cm_box a, cm_box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

/* Every panel shows the whole country, whatever the grid's shape: the view holds the box of
 * the border's outline on the page (within the frame), also where the panels are far wider
 * or taller than the frame. */
static void test_grid_whole_land(void)
{
    cm_map *map = load_map("en");
    const placed_layer *pl = &map->border;
    const double *fr = map->frame;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int f = 0; f < pl->layer->n; f++)
        for (int r = 0; r < pl->page[f].nrings; r++)
            for (int p = 0; p < pl->page[f].rings[r].n; p++) {
                double x = CLAMP(pl->page[f].rings[r].xy[2 * p], fr[0], fr[0] + fr[2]);
                double y = CLAMP(pl->page[f].rings[r].xy[2 * p + 1], fr[1], fr[1] + fr[3]);
                x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
            }
    static const int grids[][2] = {{3, 2}, {2, 8}, {6, 1}, {1, 6}, {8, 8}};
    for (size_t g = 0; g < G_N_ELEMENTS(grids); g++) {
        cm_sheet_layout lo;
        plan(&lo, map, grids[g]);
        g_test_message("%dx%d: view %.1f %.1f %.1f x %.1f, land %.1f %.1f to %.1f %.1f",
                       grids[g][0], grids[g][1], lo.view[0], lo.view[1], lo.view[2], lo.view[3],
                       x0, y0, x1, y1);
        g_assert_cmpfloat(lo.view[0], <=, x0 + 0.01);
        g_assert_cmpfloat(lo.view[1], <=, y0 + 0.01);
        g_assert_cmpfloat(lo.view[0] + lo.view[2], >=, x1 - 0.01);
        g_assert_cmpfloat(lo.view[1] + lo.view[3], >=, y1 - 0.01);
        cm_sheet_layout_clear(&lo);
    }
    cm_map_destroy(map);
}

/* The PDF: the title once, the legend's title once, each date once as a heading (the first
 * and last once more in the subtitle), six panels equal within 1 pt, aligned, evenly spaced,
 * using at least 85% of the page inside the margins, with the legend, scale bar and sources
 * outside the grid. */
static void test_grid_pdf(void)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "g.pdf", NULL), *text = NULL;
    render_sheet(dir, pdf, "3x2", NDATES, "en");
    /* the sheet is the first page; the source notes in full follow, as after a single
     * render's page, and the sheet's cut source block says so */
    const char *t[] = {"pdftotext", "-l", "1", pdf, "-", NULL};
    g_assert_cmpint(spawn(dir, t, &text, NULL), ==, 0);
    cm_map *map = load_map("en");
    const cm_style *s = map->style;
    g_test_message("%s", text);
    char *rest = NULL;
    const char *r[] = {"pdftotext", "-f", "2", pdf, "-", NULL};
    g_assert_cmpint(spawn(dir, r, &rest, NULL), ==, 0);
    g_assert_true(g_str_has_prefix(rest, "Sources of control"));
    g_assert_nonnull(strstr(rest, "https://"));
    g_assert_nonnull(strstr(text, cm_word(s, "sources-in-full-pages")));
    g_free(rest);
    g_assert_cmpint(count(text, map->mf->title), ==, 1);
    g_assert_cmpint(count(text, s->legend_title), ==, 1);
    /* one source block: its words once */
    g_assert_cmpint(count(text, "Sources of control"), ==, 1);
    for (int i = 0; i < NDATES; i++) {
        GDate d;
        g_assert_true(cm_parse_date(dates[i], &d));
        char *heading = cm_format_date_long(s, &d);
        int in_subtitle = i == 0 || i == NDATES - 1;
        g_assert_cmpint(count(text, heading), ==, 1 + in_subtitle);
        g_free(heading);
    }

    cm_sheet_layout lo;
    plan(&lo, map, (int[]){3, 2});
    g_assert_cmpint(lo.n, ==, 6);
    for (int k = 0; k < lo.n; k++) {
        const double *p = lo.panels[k], *q = lo.panels[0];
        g_test_message("panel %d: %.2f %.2f %.2f x %.2f", k, p[0], p[1], p[2], p[3]);
        g_assert_cmpfloat(fabs(p[2] - q[2]), <=, 1);
        g_assert_cmpfloat(fabs(p[3] - q[3]), <=, 1);
        /* aligned: the same column's x, the same row's y */
        g_assert_cmpfloat(fabs(p[0] - lo.panels[k % 3][0]), <=, 0.01);
        g_assert_cmpfloat(fabs(p[1] - lo.panels[(k / 3) * 3][1]), <=, 0.01);
        cm_box b = {p[0], p[1] - lo.heading_h, p[0] + p[2], p[1] + p[3]};
        g_assert_cmpfloat(b.x0, >=, lo.grid.x0 - 0.01);
        g_assert_cmpfloat(b.x1, <=, lo.grid.x1 + 0.01);
        g_assert_cmpfloat(b.y0, >=, lo.grid.y0 - 0.01);
        g_assert_cmpfloat(b.y1, <=, lo.grid.y1 + 0.01);
        for (int j = 0; j < k; j++) {
            const double *o = lo.panels[j];
            cm_box c = {o[0], o[1] - lo.heading_h, o[0] + o[2], o[1] + o[3]};
            g_assert_false(boxes_overlap(b, c));
        }
    }
    /* even gutters, across and down */
    double across0 = lo.panels[1][0] - (lo.panels[0][0] + lo.panels[0][2]);
    double across1 = lo.panels[2][0] - (lo.panels[1][0] + lo.panels[1][2]);
    double down = lo.panels[3][1] - lo.heading_h - (lo.panels[0][1] + lo.panels[0][3]);
    g_assert_cmpfloat(across0, >, 2);
    g_assert_cmpfloat(fabs(across0 - across1), <=, 0.01);
    g_assert_cmpfloat(fabs(across0 - down), <=, 0.01);
    /* the grid fills the page */
    double inner = (lo.inner.x1 - lo.inner.x0) * (lo.inner.y1 - lo.inner.y0);
    double used = (lo.grid.x1 - lo.grid.x0) * (lo.grid.y1 - lo.grid.y0) / inner;
    g_test_message("the grid uses %.1f%% of the page inside the margins", 100 * used);
    g_assert_cmpfloat(used, >=, 0.85);
    g_assert_cmpfloat(lo.inner.x1 - lo.inner.x0, <=, map->page_w);
    /* the furniture stays off the grid, inside the margins */
    cm_box furniture[] = {lo.legend, lo.scalebar, lo.sources};
    for (size_t i = 0; i < G_N_ELEMENTS(furniture); i++) {
        g_assert_false(boxes_overlap(furniture[i], lo.grid));
        g_assert_cmpfloat(furniture[i].y1, <=, lo.inner.y1 + 0.01);
        for (size_t j = 0; j < i; j++)
            g_assert_false(boxes_overlap(furniture[i], furniture[j]));
    }
    g_assert_cmpuint(lo.items->len, >, 3);
    cm_sheet_layout_clear(&lo);
    cm_map_destroy(map);
    g_free(text);
    g_free(pdf);
    rm_rf(dir);
    g_free(dir);
}

/* The darkest of the pixels at (x, y) pt on an image at `dpi` and its neighbours left and
 * right (a 0.6 pt line is under a pixel wide at 100 dpi), as the mean of its channels. */
static int darkest(cairo_surface_t *img, double dpi, double x, double y)
{
    int px = (int)lround(x * dpi / 72), py = (int)lround(y * dpi / 72), best = 255;
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    g_assert_true(px >= 1 && py >= 0 && px < w - 1 && py < h);
    const unsigned char *row = cairo_image_surface_get_data(img) +
                               (size_t)py * (size_t)cairo_image_surface_get_stride(img);
    for (int dx = -1; dx <= 1; dx++) {
        guint32 v = ((const guint32 *)row)[px + dx];
        best = MIN(best, (int)(((v >> 16) & 0xff) + ((v >> 8) & 0xff) + (v & 0xff)) / 3);
    }
    return best;
}

/* A 2x2 sheet as PNG: the page's size at the dpi, and each panel's frame drawn where the
 * layout puts it, the gutter beside it blank. */
static void test_grid_png(void)
{
    char *dir = scratch_dir(), *png = g_build_filename(dir, "g.png", NULL);
    render_sheet(dir, png, "2x2", 4, "en");
    cairo_surface_t *img = cairo_image_surface_create_from_png(png);
    g_assert_cmpint(cairo_surface_status(img), ==, CAIRO_STATUS_SUCCESS);
    cm_map *map = load_map("en");
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    g_assert_cmpint(abs(w - (int)lround(map->page_w * 100 / 72)), <=, 1);
    g_assert_cmpint(abs(h - (int)lround(map->page_h * 100 / 72)), <=, 1);
    cm_sheet_layout lo;
    plan(&lo, map, (int[]){2, 2});
    g_assert_cmpint(lo.n, ==, 4);
    for (int k = 0; k < lo.n; k++) {
        const double *p = lo.panels[k];
        /* the frame's left and right edges halfway down, and the page beside them */
        g_assert_cmpint(darkest(img, 100, p[0], p[1] + p[3] / 2), <, 200);
        g_assert_cmpint(darkest(img, 100, p[0] + p[2], p[1] + p[3] / 2), <, 200);
        double left = p[0] - 3;
        if (left > lo.inner.x0)
            g_assert_cmpint(darkest(img, 100, left, p[1] + p[3] / 2), >, 245);
    }
    cm_sheet_layout_clear(&lo);
    cm_map_destroy(map);
    cairo_surface_destroy(img);
    g_free(png);
    rm_rf(dir);
    g_free(dir);
}

/* A 3x2 sheet as SVG: the capital named in each panel's searchable text. */
static void test_grid_svg(void)
{
    char *dir = scratch_dir(), *svg = g_build_filename(dir, "g.svg", NULL), *text = NULL;
    render_sheet(dir, svg, "3x2", NDATES, "en");
    g_assert_true(g_file_get_contents(svg, &text, NULL, NULL));
    cm_map *map = load_map("en");
    const char *capital = NULL;
    for (int i = 0; i < map->first_site && !capital; i++)
        if (!g_strcmp0(map->places.layer->features[i].kind, "capital"))
            capital = map->places.layer->features[i].name;
    g_assert_nonnull(capital);
    char *element = g_strdup_printf(">%s</text>", capital);
    g_assert_cmpint(count(text, element), ==, NDATES);
    g_free(element);
    cm_map_destroy(map);
    g_free(text);
    g_free(svg);
    rm_rf(dir);
    g_free(dir);
}

/* An Arabic sheet reads from the right: the first date's panel at the top right. */
static void test_grid_arabic(void)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "ar.pdf", NULL);
    render_sheet(dir, pdf, "3x2", NDATES, "ar");
    g_assert_true(g_file_test(pdf, G_FILE_TEST_IS_REGULAR));
    cm_map *map = load_map("ar");
    cm_sheet_layout lo;
    plan(&lo, map, (int[]){3, 2});
    g_assert_cmpfloat(lo.panels[0][0], >, lo.panels[2][0]);
    double inner = (lo.inner.x1 - lo.inner.x0) * (lo.inner.y1 - lo.inner.y0);
    double used = (lo.grid.x1 - lo.grid.x0) * (lo.grid.y1 - lo.grid.y0) / inner;
    g_test_message("the Arabic grid uses %.1f%% of the page inside the margins", 100 * used);
    g_assert_cmpfloat(used, >=, 0.85);
    g_assert_cmpfloat(lo.legend.x1, >, lo.scalebar.x1);
    cm_sheet_layout_clear(&lo);
    cm_map_destroy(map);
    g_free(pdf);
    rm_rf(dir);
    g_free(dir);
}

/* Whether the legend of a 3x2 sheet of `n` dates (at most six) lists `text`. */
static gboolean sheet_lists(const cm_map *map, const char *const *on, int n, const char *text)
{
    cm_page_spec specs[6] = {0};
    g_assert_cmpint(n, <=, 6);
    for (int i = 0; i < n; i++)
        g_assert_true(cm_parse_date(on[i], &specs[i].date));
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_sheet sh = {map, specs, 0, n, (int[]){3, 2}, NULL, NULL, FALSE};
    cm_sheet_layout lo;
    cm_sheet_plan(&lo, cr, &sh);
    gboolean found = FALSE;
    for (guint i = 0; i < lo.items->len; i++) {
        const char *t = g_array_index(lo.items, cm_legend_item, i).text;
        g_test_message("  %s", t);
        found |= strcmp(t, text) == 0;
    }
    cm_sheet_layout_clear(&lo);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    return found;
}

/* The sheet's legend explains what its panels draw, and only that: the front line when one is
 * in force and long enough to see (the Sirte-Jufra line from June 2020), not the southern
 * Tripoli front nor the contested zone around it, which on a panel lie under the capital's
 * star; nothing only the Tripoli detail frame shows (its airport); a claimed cell a panel
 * draws (Murzuq's, 1 April 2019) listed. */
static void test_grid_legend(void)
{
    cm_map *map = load_map("en");
    const cm_style *s = map->style;
    const char *front = cm_word(s, "front-line");
    char *parties[] = {"GNA", "LNA", NULL};
    char *names = cm_party_names(s, parties);
    char *contested = cm_wordf(s, "contested-by", s->contested_label, names, NULL);
    char *claimed = NULL;
    for (guint c = 0; c < s->controllers->len && !claimed; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        if (!strcmp(ctl->id, "LOCAL"))
            claimed = cm_wordf(s, "claimed-by", ctl->short_label, NULL);
    }
    g_assert_nonnull(claimed);
    /* before any line: none */
    const char *before[] = {"2019-03-01", "2019-03-15", "2019-04-01"};
    g_assert_false(sheet_lists(map, before, 3, front));
    /* the editor's sheet: the Tripoli front in force on four panels, under the star */
    const char *editor[] = {"2019-04-01", "2019-07-01", "2019-10-01", "2020-01-01", "2020-04-01"};
    g_assert_false(sheet_lists(map, editor, 5, front));
    g_assert_false(sheet_lists(map, editor, 5, contested));
    g_assert_false(sheet_lists(map, editor, 5, cm_site_kind_name(s, "airport")));
    g_assert_true(sheet_lists(map, editor, 5, claimed));
    g_assert_true(sheet_lists(map, editor, 5, cm_word(s, "capital")));
    /* a page of the same date lists what the sheet leaves out: the test can tell */
    cm_page_spec spec = {0};
    g_assert_true(cm_parse_date("2019-07-01", &spec.date));
    cm_control cs = cm_control_on(map, &spec);
    GArray *page = cm_legend_items(map, &cs);
    gboolean page_front = FALSE;
    for (guint i = 0; i < page->len; i++)
        page_front |= !strcmp(g_array_index(page, cm_legend_item, i).text, front);
    g_assert_true(page_front);
    cm_legend_items_free(page);
    cm_control_clear(&cs);
    /* the Sirte-Jufra line, 2020-07-01 */
    const char *after[] = {"2020-03-01", "2020-05-01", "2020-07-01"};
    g_assert_true(sheet_lists(map, after, 3, front));
    g_free(claimed);
    g_free(contested);
    g_free(names);
    cm_map_destroy(map);
}

/* The panels name the towns whose holder changes at any time in the sheet's span: Gharyan
 * (LNA 4 April to 26 June 2019) on a sheet of 1 April and 1 July 2019, though it is the
 * GNA's on both; not on a sheet of 1 and 15 July.  Headings are smaller on smaller panels. */
static void test_grid_changed_hands(void)
{
    cm_map *map = load_map("en");
    int gharyan = -1;
    for (int i = 0; i < map->first_site; i++)
        if (!g_strcmp0(map->places.layer->features[i].key, "gharyan"))
            gharyan = i;
    g_assert_cmpint(gharyan, >=, 0);
    const char *spans[][2] = {{"2019-04-01", "2019-07-01"}, {"2019-07-01", "2019-07-15"}};
    double heading[2];
    for (int k = 0; k < 2; k++) {
        cm_page_spec specs[2] = {0};
        for (int i = 0; i < 2; i++)
            g_assert_true(cm_parse_date(spans[k][i], &specs[i].date));
        cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
        cairo_t *cr = cairo_create(rec);
        cm_sheet sh = {map, specs, 0, 2, k == 0 ? (int[]){2, 1} : (int[]){8, 8}, NULL, NULL, FALSE};
        cm_sheet_layout lo;
        cm_sheet_plan(&lo, cr, &sh);
        g_assert_cmpint(lo.shown[gharyan], ==, k == 0);
        heading[k] = lo.heading_size;
        cm_sheet_layout_clear(&lo);
        cairo_destroy(cr);
        cairo_surface_destroy(rec);
    }
    g_test_message("headings: 2x1 %.1f pt, 8x8 %.1f pt", heading[0], heading[1]);
    g_assert_cmpfloat(heading[1], <, heading[0] - 2);
    cm_map_destroy(map);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sheet/grid-pdf", test_grid_pdf);
    g_test_add_func("/sheet/grid-png", test_grid_png);
    g_test_add_func("/sheet/grid-svg", test_grid_svg);
    g_test_add_func("/sheet/grid-arabic", test_grid_arabic);
    g_test_add_func("/sheet/grid-legend", test_grid_legend);
    g_test_add_func("/sheet/grid-changed-hands", test_grid_changed_hands);
    g_test_add_func("/sheet/grid-whole-land", test_grid_whole_land);
    return g_test_run();
}
