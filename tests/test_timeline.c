/* Control over time: the bundled history, series, change maps, the check command. */
#include "conflictmap/conflictmap.h"
#include "keyfile.h"
#include "ledger.h"
#include "map_impl.h"
#include "render_stats.h"
#include "testutil.h"
#include "timeline.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static GDate day(const char *s)
{
    GDate d;
    g_assert_true(cm_parse_date(s, &d));
    return d;
}

static const cm_ledger_row *at(const cm_ledger *lg, const char *key, const char *date)
{
    GDate d = day(date);
    const cm_ledger_row *r = cm_ledger_state(lg, key, &d);
    if (!r)
        g_error("%s has no row on %s", key, date);
    return r;
}

static void expect(const cm_ledger *lg, const char *key, const char *date, const char *holder,
                   cm_control_status status)
{
    const cm_ledger_row *r = at(lg, key, date);
    if (strcmp(r->controller, holder) || r->status != status)
        g_error("%s on %s: %s %s, expected %s %s (line %d)", key, date, r->controller,
                cm_status_word(r->status), holder, cm_status_word(status), r->line);
}

/* The bundled ledger tells the story the brief gives, district and town alike. */
static void test_history(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_ledger *lg = NULL;
    g_assert_cmpint(cm_ledger_load(&lg, CM_SOURCE_DIR "/geodata/control.csv", NULL, ctx), ==, CM_OK);
    /* the LNA takes Gharyan on 4 April 2019; the GNA retakes it on 26 June; Zintan's district
     * is the GNA's outside the towns with rows of their own (Gharyan, al-Asabaa, Mizda) */
    expect(lg, "jabal_gharbi", "2019-05-01", "GNA", CM_HELD);
    expect(lg, "town:zintan", "2019-05-01", "GNA", CM_HELD);
    expect(lg, "town:gharyan", "2019-05-01", "LNA", CM_HELD);
    expect(lg, "town:gharyan", "2019-07-01", "GNA", CM_HELD);
    expect(lg, "jabal_gharbi", "2020-06-13", "GNA", CM_HELD);
    /* Tripoli under attack from April 2019, not encircled: the coast road, the western towns
     * and Mitiga stayed open; the memoranda are events, not rows of control */
    expect(lg, "town:tripoli", "2019-04-01", "GNA", CM_HELD);
    expect(lg, "town:tripoli", "2019-12-19", "GNA", CM_ATTACKED);
    g_assert_cmpstr(at(lg, "town:tripoli", "2019-12-19")->parties[0], ==, "LNA");
    expect(lg, "town:tripoli", "2020-06-04", "GNA", CM_HELD);
    /* the oil crescent is the LNA's from 2016; Sirte city the GNA's until 6 January 2020,
     * the rest of its district the LNA's */
    expect(lg, "town:ras_lanuf", "2019-06-01", "LNA", CM_HELD);
    expect(lg, "site:es_sider", "2019-06-01", "LNA", CM_HELD);
    expect(lg, "town:sirte", "2020-01-05", "GNA", CM_HELD);
    expect(lg, "sirte", "2020-01-05", "LNA", CM_HELD);
    expect(lg, "sirte", "2020-01-06", "LNA", CM_HELD);
    expect(lg, "town:sirte", "2020-01-06", "LNA", CM_HELD);
    /* the GNA counter-offensive of 2020 */
    expect(lg, "town:sabratha", "2020-04-12", "LNA", CM_HELD);
    expect(lg, "town:sabratha", "2020-04-13", "GNA", CM_HELD);
    expect(lg, "site:watiya", "2020-05-17", "LNA", CM_HELD);
    expect(lg, "site:watiya", "2020-05-18", "GNA", CM_HELD);
    /* the airport falls on 3 June 2020, Qasr bin Ghashir on the 4th */
    expect(lg, "jafara", "2020-06-03", "LNA", CM_CONTESTED);
    expect(lg, "jafara", "2020-06-04", "GNA", CM_HELD);
    expect(lg, "murqub", "2020-06-04", "GNA", CM_HELD);
    expect(lg, "town:tarhuna", "2020-06-04", "LNA", CM_HELD);
    expect(lg, "town:tarhuna", "2020-06-05", "GNA", CM_HELD);
    for (guint i = 0; i < lg->rows->len; i++)
        g_assert_nonnull(((cm_ledger_row *)lg->rows->pdata[i])->source);
    cm_ledger_destroy(lg);

    /* zones and lines: the southern Tripoli front ends as the GNA takes the airport (3 June
     * 2020); the Sirte-Jufra line holds */
    cm_timeline *zones = NULL, *lines = NULL;
    g_assert_cmpint(cm_timeline_load(&zones, CM_SOURCE_DIR "/geodata/zones.geojson", FALSE, NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_timeline_load(&lines, CM_SOURCE_DIR "/geodata/lines.geojson", TRUE, NULL, ctx), ==, CM_OK);
    GDate before = day("2020-06-03"), after = day("2020-06-04"), summer = day("2020-08-01");
    gboolean front = FALSE;
    for (int i = 0; i < zones->layer->n; i++)
        if (zones->items[i].label && strcmp(zones->items[i].label, "Southern Tripoli front") == 0) {
            front = TRUE;
            g_assert_true(cm_timed_active(&zones->items[i], &before));
            g_assert_false(cm_timed_active(&zones->items[i], &after));
        }
    g_assert_true(front);
    int fronts = 0;
    for (int i = 0; i < lines->layer->n; i++)
        fronts += lines->items[i].kind == CM_LINE_FRONT && cm_timed_active(&lines->items[i], &summer);
    g_assert_cmpint(fronts, ==, 1);
    cm_timeline_destroy(zones);
    cm_timeline_destroy(lines);
    cm_ctx_destroy(ctx);
}

static int pdf_pages(const char *path)
{
    char *out = NULL;
    const char *argv[] = {"pdfinfo", path, NULL};
    g_assert_cmpint(spawn(NULL, argv, &out, NULL), ==, 0);
    const char *p = strstr(out, "Pages:");
    g_assert_nonnull(p);
    int pages = atoi(p + 6);
    g_free(out);
    return pages;
}

/* A monthly series from April 2019 to July 2020 is 16 pages; as frames, 16 files; as 3x2 small
 * multiples, 3 pages and the source notes'. */
static void test_series(void)
{
    char *dir = scratch_dir();
    char *pdf = g_build_filename(dir, "s.pdf", NULL);
    char *grid = g_build_filename(dir, "g.pdf", NULL);
    char *frames = g_build_filename(dir, "%Y-%m-%d.png", NULL);
    const char *a1[] = {CM_CLI, "series", "-q", "--from", "2019-04-01", "--to", "2020-07-01",
                        "--step", "1m", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a1, NULL, NULL), ==, 0);
    g_assert_cmpint(pdf_pages(pdf), ==, 16);
    const char *a2[] = {CM_CLI, "series", "-q", "--from", "2019-04-01", "--to", "2020-07-01",
                        "--grid", "3x2", "-o", grid, NULL};
    g_assert_cmpint(spawn(dir, a2, NULL, NULL), ==, 0);
    /* three sheets, then the source notes in full on pages of their own (one or two) */
    g_assert_cmpint(pdf_pages(grid), >=, 4);
    g_assert_cmpint(pdf_pages(grid), <=, 5);
    const char *notes[] = {"pdftotext", "-f", "4", "-l", "4", grid, "-", NULL};
    char *text = NULL;
    g_assert_cmpint(spawn(dir, notes, &text, NULL), ==, 0);
    g_assert_true(g_str_has_prefix(text, "Sources of control"));
    g_free(text);
    const char *a3[] = {CM_CLI, "series", "-q", "--from", "2019-04-01", "--to", "2020-07-01",
                        "--dpi", "20", "-o", frames, NULL};
    g_assert_cmpint(spawn(dir, a3, NULL, NULL), ==, 0);
    char *first = g_build_filename(dir, "2019-04-01.png", NULL);
    char *last = g_build_filename(dir, "2020-07-01.png", NULL);
    g_assert_true(g_file_test(first, G_FILE_TEST_IS_REGULAR));
    g_assert_true(g_file_test(last, G_FILE_TEST_IS_REGULAR));
    /* the first and the last alone would pass with the months between missing */
    GDir *d = g_dir_open(dir, 0, NULL);
    int nframes = 0;
    for (const char *name; (name = g_dir_read_name(d));)
        nframes += g_str_has_suffix(name, ".png");
    g_dir_close(d);
    g_assert_cmpint(nframes, ==, 16);
    /* weekly steps land on the same weekday */
    const char *a4[] = {CM_CLI, "series", "-q", "--from", "2019-12-19", "--to", "2020-01-09",
                        "--step", "1w", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a4, NULL, NULL), ==, 0);
    g_assert_cmpint(pdf_pages(pdf), ==, 4);
    /* many pages in one PNG: refused */
    char *png = g_build_filename(dir, "x.png", NULL), *err = NULL;
    const char *a5[] = {CM_CLI, "series", "--from", "2019-04-01", "--to", "2019-06-01", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, a5, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "need a PDF, or a file name pattern"));
    g_free(err);
    g_free(png);
    g_free(first);
    g_free(last);
    g_free(frames);
    g_free(grid);
    g_free(pdf);
    rm_rf(dir);
    g_free(dir);
}

static char *pdf_page_text(const char *path, int page)
{
    char *out = NULL, *num = g_strdup_printf("%d", page);
    const char *argv[] = {"pdftotext", "-f", num, "-l", num, path, "-", NULL};
    g_assert_cmpint(spawn(NULL, argv, &out, NULL), ==, 0);
    g_free(num);
    return out;
}

static gsize file_size(const char *path)
{
    GStatBuf sb;
    g_assert_cmpint(g_stat(path, &sb), ==, 0);
    return (gsize)sb.st_size;
}

/* Pages of a series with the same control share one recording of their body.  Each page
 * still carries its own date, and a page after a change shows the change: its sources name
 * the rows in force.  Weeks that repeat add little to the file. */
static void test_series_shared_pages(void)
{
    char *dir = scratch_dir();
    char *pdf = g_build_filename(dir, "s.pdf", NULL);
    /* 25 May, 1, 8 and 15 June 2020: Jafara changes hands on the 4th, Murqub on the 5th */
    const char *a1[] = {CM_CLI, "series", "-q", "--from", "2020-05-25", "--to", "2020-06-15",
                        "--step", "1w", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a1, NULL, NULL), ==, 0);
    g_assert_cmpint(pdf_pages(pdf), ==, 4);
    const char *dates[] = {"25 May 2020", "1 June 2020", "8 June 2020", "15 June 2020"};
    for (int p = 1; p <= 4; p++) {
        char *text = pdf_page_text(pdf, p);
        g_assert_nonnull(strstr(text, dates[p - 1]));
        for (int q = 1; q <= 4; q++)
            if (q != p)
                g_assert_null(strstr(text, dates[q - 1]));
        /* the source of the 4 June row (Jafara), published on the 3rd: on the pages after it
         * only (the footer wraps: its lines joined) */
        char **lines = g_strsplit(text, "\n", -1);
        char *joined = g_strjoinv(" ", lines);
        g_assert_true((strstr(joined, "Libyan Express, 3 Jun 2020") != NULL) == (p >= 3));
        g_free(joined);
        g_strfreev(lines);
        g_free(text);
    }
    /* from 22 June (the last arrows end on the 9th) control holds still into August */
    const char *a2[] = {CM_CLI, "series", "-q", "--from", "2020-06-22", "--to", "2020-07-13",
                        "--step", "1w", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a2, NULL, NULL), ==, 0);
    gsize four = file_size(pdf);
    const char *a3[] = {CM_CLI, "series", "-q", "--from", "2020-06-22", "--to", "2020-08-10",
                        "--step", "1w", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a3, NULL, NULL), ==, 0);
    g_assert_cmpint(pdf_pages(pdf), ==, 8);
    gsize eight = file_size(pdf);
    /* a page drawn in full is over 100 kB; a repeated one is its title and a reference */
    g_test_message("4 quiet weeks: %zu bytes, 8: %zu bytes", four, eight);
    g_assert_cmpuint(eight - four, <, 4 * 8000);
    rm_rf(dir);
    g_free(pdf);
    g_free(dir);
}

/* Pixels of page `page` of a PDF at 150 dpi, through pdftoppm.  As PPM, not PNG: the same
 * pixels, without compressing them in poppler and decompressing them here (half the time). */
static cairo_surface_t *pdf_page_pixels(const char *pdf, int page, const char *dir, const char *name)
{
    char *num = g_strdup_printf("%d", page), *prefix = g_build_filename(dir, name, NULL);
    const char *argv[] = {"pdftoppm", "-r", "150", "-singlefile", "-f", num, "-l", num, pdf, prefix,
                          NULL};
    g_assert_cmpint(spawn(NULL, argv, NULL, NULL), ==, 0);
    char *ppm = g_strconcat(prefix, ".ppm", NULL), *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(ppm, &data, &len, NULL));
    /* "P6" width height maxval, each after white space, then one white space and the pixels */
    int w = 0, h = 0, maxval = 0, used = 0;
    g_assert_cmpint(sscanf(data, "P6 %d %d %d%n", &w, &h, &maxval, &used), ==, 3);
    g_assert_cmpint(maxval, ==, 255);
    g_assert_cmpuint(len, ==, (gsize)used + 1 + 3 * (gsize)w * (gsize)h);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    g_assert_cmpint(cairo_surface_status(s), ==, CAIRO_STATUS_SUCCESS);
    guint8 *px = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    const guint8 *in = (const guint8 *)data + used + 1;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++, in += 3)
            *(guint32 *)(px + y * stride + 4 * x) = (guint32)in[0] << 16 | (guint32)in[1] << 8 | in[2];
    cairo_surface_mark_dirty(s);
    g_free(data);
    g_free(ppm);
    g_free(prefix);
    g_free(num);
    return s;
}

/* Pixels whose colour differs by more than antialiasing does: a district in the wrong colour
 * is tens of thousands at 150 dpi.  (At 30 or 72 dpi poppler draws the page's thin frame
 * lines darker on the page than inside a form, a thousand pixels apart.) */
static int pixels_apart(cairo_surface_t *a, cairo_surface_t *b)
{
    int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
    g_assert_cmpint(w, ==, cairo_image_surface_get_width(b));
    g_assert_cmpint(h, ==, cairo_image_surface_get_height(b));
    int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b), n = 0;
    const guint8 *pa = cairo_image_surface_get_data(a), *pb = cairo_image_surface_get_data(b);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int d = 0;
            for (int c = 0; c < 3; c++)
                d = MAX(d, abs(pa[y * sa + 4 * x + c] - pb[y * sb + 4 * x + c]));
            n += d > 96;
        }
    return n;
}

/* Every page of a series, with its shared bodies, districts, zones, lines and labels, looks
 * as the map rendered alone on that date, when labels are placed page by page
 * (keep_labels FALSE: kept, they stay where the month before had them).  The pages compared
 * are each a way a page is made: 1 August 2019 draws its body afresh though no row changed
 * since 1 July (Gharyan, retaken on 26 June, is a place of the day on 1 July, named first,
 * and no longer on 1 August: a body painted from July's recording fails here); 1 September
 * draws a new body, Murzuq contested (a hatch), from the districts' parts recorded before;
 * 1 February 2020 likewise with Sirte the LNA's (a fill); 1 June with towns, zones and an
 * arrow changed.  Measured: pages match their lone renders but for 80-432 pixels (poppler's
 * frame lines); each compared with the month before, 10 000 to 16 000 apart. */
static void test_series_pages_as_alone(void)
{
    char *dir = scratch_dir();
    char *series = g_build_filename(dir, "s.pdf", NULL);
    /* monthly over the 2019-20 changes: Murzuq contested, Sirte lost, Tripoli's front, Watiya */
    char **dates_all = NULL;
    int n = 0;
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_series_dates(&dates_all, &n, "2019-07-01", "2020-06-01", "1m", ctx), ==,
                    CM_OK);
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_render_options o;
    cm_render_options_init(&o);
    o.keep_labels = FALSE;
    g_assert_cmpint(cm_map_render_series(map, series, (const char *const *)dates_all, n, NULL,
                                         &o, ctx), ==, CM_OK);
    cm_map_destroy(map);
    g_strfreev(dates_all);
    cm_ctx_destroy(ctx);
    g_assert_cmpint(pdf_pages(series), ==, 12);
    static const char *const dates[] = {"2019-08-01", "2019-09-01", "2020-02-01", "2020-06-01"};
    static const int pages[] = {2, 3, 8, 12};
    for (size_t i = 0; i < G_N_ELEMENTS(dates); i++) {
        char *alone = g_strdup_printf("%s/alone-%s.pdf", dir, dates[i]);
        const char *r[] = {CM_CLI, "render", "-q", "--date", dates[i], "-o", alone, NULL};
        g_assert_cmpint(spawn(dir, r, NULL, NULL), ==, 0);
        cairo_surface_t *x = pdf_page_pixels(series, pages[i], dir, "page");
        cairo_surface_t *y = pdf_page_pixels(alone, 1, dir, "alone");
        int apart = pixels_apart(x, y);
        g_test_message("%s (page %d): %d pixels apart", dates[i], pages[i], apart);
        g_assert_cmpint(apart, <, 1000);
        cairo_surface_destroy(x);
        cairo_surface_destroy(y);
        g_free(alone);
    }
    rm_rf(dir);
    g_free(series);
    g_free(dir);
}

/* Small multiples make a PDF that qpdf finds nothing wrong with.  Two cells of a sheet with
 * the same control share one recorded body; cairo (1.16 to 1.18 at least) lists a form
 * painted twice on a page twice in the page's /XObject dictionary, a duplicated key that
 * qpdf warns of and stricter readers (pdftopdf) drop the page for.  The 3x2 sheet of April
 * to September 2019 repeats two bodies; each of its cells is also checked against the same
 * sheet as a PNG, drawn without recordings. */
static void test_series_grid_pdf(void)
{
    char *dir = scratch_dir();
    char *pdf = g_build_filename(dir, "g.pdf", NULL), *png = g_build_filename(dir, "g.png", NULL);
    const char *a[] = {CM_CLI, "series", "-q", "--from", "2019-04-01", "--to", "2019-09-01",
                       "--step", "1m", "--grid", "3x2", "-o", pdf, NULL};
    g_assert_cmpint(spawn(dir, a, NULL, NULL), ==, 0);
    /* the sheet, then the source notes in full */
    g_assert_cmpint(pdf_pages(pdf), >=, 2);
    char *out = NULL, *err = NULL;
    const char *check[] = {"qpdf", "--check", pdf, NULL};
    int code = spawn(NULL, check, &out, &err);
    g_test_message("qpdf --check: exit %d\n%s%s", code, out, err);
    g_assert_null(strstr(out, "duplicated key"));
    g_assert_null(strstr(err, "duplicated key"));
    /* 0: no errors and no warnings (2 is errors, 3 warnings) */
    g_assert_cmpint(code, ==, 0);
    g_free(out);
    g_free(err);
    const char *b[] = {CM_CLI, "series", "-q", "--from", "2019-04-01", "--to", "2019-09-01",
                       "--step", "1m", "--grid", "3x2", "--dpi", "150", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, b, NULL, NULL), ==, 0);
    cairo_surface_t *x = pdf_page_pixels(pdf, 1, dir, "sheet");
    cairo_surface_t *y = cairo_image_surface_create_from_png(png);
    g_assert_cmpint(cairo_surface_status(y), ==, CAIRO_STATUS_SUCCESS);
    /* cell by cell, as RGB24: poppler and cairo round 841.9 x 595.3 pt to pixels apart */
    int w = cairo_image_surface_get_width(y), h = cairo_image_surface_get_height(y);
    g_assert_cmpint(abs(w - cairo_image_surface_get_width(x)), <=, 1);
    g_assert_cmpint(abs(h - cairo_image_surface_get_height(x)), <=, 1);
    for (int cell = 0; cell < 6; cell++) {
        /* the bottom row without the source block and the margin under it (the lowest
         * 100 px, 48 pt): cut short, it says where the list is in full, the PDF's last
         * pages, the PNG's metadata */
        int cw = w / 3, ch = h / 2 - (cell / 3 == 1 ? 100 : 0);
        cairo_surface_t *from[] = {x, y}, *to[2];
        for (int i = 0; i < 2; i++) {
            to[i] = cairo_image_surface_create(CAIRO_FORMAT_RGB24, cw, ch);
            cairo_t *cr = cairo_create(to[i]);
            cairo_set_source_surface(cr, from[i], -(cell % 3) * cw, -(cell / 3) * ch);
            cairo_paint(cr);
            cairo_destroy(cr);
            cairo_surface_flush(to[i]);
        }
        /* measured: 863 to 1007 (thin lines, a third of their width), 2183 with the Tripoli
         * detail's labels; a cell left out or painted from another date's body is tens of
         * thousands */
        int apart = pixels_apart(to[0], to[1]);
        g_test_message("cell %d as PDF and as PNG: %d pixels apart", cell + 1, apart);
        g_assert_cmpint(apart, <, 3500);
        cairo_surface_destroy(to[0]);
        cairo_surface_destroy(to[1]);
    }
    cairo_surface_destroy(y);
    cairo_surface_destroy(x);
    g_free(png);
    g_free(pdf);
    rm_rf(dir);
    g_free(dir);
}

static cairo_surface_t *draw_at(cm_map *map, const char *date, double dpi)
{
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_map_set_date(map, date, ctx), ==, CM_OK);
    double w, h;
    cm_map_page_size(&w, &h, map);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * dpi / 72),
                                                    (int)(h * dpi / 72));
    cairo_surface_set_device_scale(s, dpi / 72, dpi / 72);
    cairo_t *cr = cairo_create(s);
    g_assert_cmpint(cm_map_render_cairo(map, cr, 0, 0, w, h, ctx), ==, CM_OK);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    cm_ctx_destroy(ctx);
    return s;
}

/* Zones are cut to the border once, at load, instead of drawn under a clip to it: the page
 * is the same, pixel for pixel, as the zones as drawn, clipped, from their whole shapes. */
static void test_zones_cut_to_land(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    cm_map_options_init(&mo);
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), &mo, ctx), ==, CM_OK);
    g_assert_true(map->zones_on_land);
    /* the zones' whole shapes, projected again */
    cm_timeline *tl = NULL;
    cm_shape *whole = NULL;
    g_assert_cmpint(cm_timeline_load(&tl, map->mf->zones, FALSE, NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_project_layer(&whole, map->proj, tl->layer, TOLERANCE_PT, ctx), ==, CM_OK);
    g_assert_cmpint(tl->layer->n, ==, map->zones->layer->n);
    static const char *const dates[] = {"2019-04-10", "2019-12-19", "2020-06-04"};
    for (size_t d = 0; d < G_N_ELEMENTS(dates); d++) {
        cairo_surface_t *cut = draw_at(map, dates[d], 60);
        cm_shape *mine = map->zones_page;
        map->zones_page = whole, map->zones_on_land = FALSE;
        cairo_surface_t *clipped = draw_at(map, dates[d], 60);
        map->zones_page = mine, map->zones_on_land = TRUE;
        int w = cairo_image_surface_get_width(cut), h = cairo_image_surface_get_height(cut);
        int stride = cairo_image_surface_get_stride(cut), differ = 0;
        const guint8 *a = cairo_image_surface_get_data(cut), *b = cairo_image_surface_get_data(clipped);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < 4 * w; x++)
                differ += abs(a[y * stride + x] - b[y * stride + x]) > 32;
        g_test_message("%s: %d bytes differ", dates[d], differ);
        g_assert_cmpint(differ, <, 50);
        cairo_surface_destroy(cut);
        cairo_surface_destroy(clipped);
    }
    cm_shapes_free(whole, tl->layer->n);
    cm_timeline_destroy(tl);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* From April to July 2020 the GNA gained ground and the LNA none. */
static void test_diff(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, "2020-07-01", ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_diff_from(map, "2020-04-01", ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    double *gna = g_hash_table_lookup(st.gains, "GNA");
    g_assert_nonnull(gna);
    g_assert_cmpfloat(*gna, >, 1000); /* km²: Jafara, Tarhuna's cell, the front zone... */
    g_assert_null(g_hash_table_lookup(st.gains, "LNA"));
    g_assert_true(g_strv_contains((const char *const *)st.item_texts, "Gained by GNA"));
    g_assert_false(g_strv_contains((const char *const *)st.item_texts, "Gained by LNA"));
    cm_render_stats_clear(&st);
    /* and the other way round in January 2020: the LNA gains Sirte city (its cell: the rest
     * of the district was the LNA's already) */
    g_assert_cmpint(cm_map_set_date(map, "2020-01-31", ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_diff_from(map, "2019-12-01", ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    g_assert_true(g_strv_contains((const char *const *)st.item_texts, "Gained by LNA"));
    g_assert_false(g_strv_contains((const char *const *)st.item_texts, "Gained by GNA"));
    g_assert_true(g_strv_contains((const char *const *)st.item_texts,
                                  "Town or site taken by LNA (ringed, with the date)"));
    g_assert_null(g_hash_table_lookup(st.gains, "GNA"));
    cm_render_stats_clear(&st);
    g_assert_cmpint(cm_map_set_diff_from(map, "2020-02-01", ctx), ==, CM_EUSAGE);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The source line lists the sources of what is in force on the date, and only those. */
static void test_sources(void)
{
    char *dir = scratch_dir();
    char *pdf = g_build_filename(dir, "m.pdf", NULL);
    /* brief notes on the map: outlet and date; Gharyan's fall, not Sirte's, in May 2019;
     * Tarhuna's, not the first day at the airport, in June 2020 */
    const char *dates[][3] = {{"2019-05-01", "Euronews, 4 Apr 2019", "UrduPoint, 6 Jan 2020"},
                              {"2020-06-10", "Middle East Monitor, 5 Jun 2020", "Reuters, 6 Apr 2019"}};
    for (int i = 0; i < 2; i++) {
        const char *argv[] = {CM_CLI, "render", "-q", "--date", dates[i][0], "-o", pdf, NULL};
        g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
        char *text = NULL;
        const char *t[] = {"pdftotext", pdf, "-", NULL};
        g_assert_cmpint(spawn(dir, t, &text, NULL), ==, 0);
        /* the footer wraps: join its lines */
        char **lines = g_strsplit(text, "\n", -1);
        char *joined = g_strjoinv(" ", lines);
        if (!strstr(joined, dates[i][1]))
            g_error("%s: the sources lack %s", dates[i][0], dates[i][1]);
        if (strstr(joined, dates[i][2]))
            g_error("%s: the sources list %s, not in force", dates[i][0], dates[i][2]);
        g_free(joined);
        g_strfreev(lines);
        g_free(text);
    }
    g_free(pdf);
    rm_rf(dir);
    g_free(dir);
}

/* check lists every problem as file:line: message, and exits with the data code. */
static void test_check(void)
{
    char *dir = scratch_dir();
    char *ledger = write_file(dir, "control.csv",
                              "date,region,controller,status,parties,source,note\n"
                              "2019-03-01,benghazi,LNA,held,,s,\n"               /* 2: fine */
                              "2019-03-01,bengazi,LNA,held,,s,\n"                /* 3: unknown region */
                              "2019-03-01,misrata,GAN,held,,s,\n"                /* 4: unknown controller */
                              "2019-03-01,sirte,GNA,liberated,,s,\n"             /* 5: unknown status */
                              "2019-3-1,sabha,LNA,held,,s,\n"                    /* 6: malformed date */
                              "2019-02-30,kufra,LNA,held,,s,\n"                  /* 7: impossible date */
                              "2020-01-06,derna,LNA,held,,s,\n"
                              "2019-06-01,derna,LNA,held,,s,\n"                  /* 9: out of order */
                              "2019-03-01,town:tripoly,GNA,held,,s,\n");         /* 10: unknown town */
    char *zones = write_file(dir, "zones.geojson",
                             "{\"type\":\"FeatureCollection\",\"features\":["
                             "{\"type\":\"Feature\",\"id\":1,\"properties\":{\"controller\":\"LNA\","
                             "\"status\":\"held\",\"valid_from\":\"2020-06-05\",\"valid_until\":\"2019-04-04\","
                             "\"source\":\"s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                             "[[[13,32],[14,32],[14,33],[13,33],[13,32]]]}},"
                             "{\"type\":\"Feature\",\"id\":2,\"properties\":{\"controller\":\"GNA\","
                             "\"status\":\"held\",\"valid_from\":\"2019-04-04\",\"source\":\"s\"},"
                             "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                             "[[[13,32],[14,33],[14,32],[13,33],[13,32]]]}}]}");
    char *text = g_strdup_printf(
        "[map]\ncrs = EPSG:4326\nextent = 9, 19, 26, 34\n"
        "styles = " CM_SOURCE_DIR "/styles/default.ini\n"
        "[regions]\nfile = " CM_SOURCE_DIR "/geodata/districts.shp\nkey = key\n"
        "[places]\nfile = " CM_SOURCE_DIR "/geodata/places.csv\nkey = key\n"
        "[control]\nfile = %s\n[zones]\nfile = %s\n",
        ledger, zones);
    char *mapfile = write_file(dir, "m.map", text);
    char *out = NULL;
    const char *argv[] = {CM_CLI, "check", mapfile, NULL};
    int rc = spawn(dir, argv, &out, NULL);
    g_test_message("check said:\n%s", out);
    g_assert_cmpint(rc, ==, 3);
    static const char *const want[] = {
        "control.csv:3: unknown region \"bengazi\" (did you mean \"benghazi\"?)",
        "control.csv:4: unknown controller \"GAN\" (did you mean \"GNA\"?)",
        "control.csv:5: status \"liberated\" must be held, contested, besieged, attacked or claimed",
        "control.csv:6: date \"2019-3-1\" is not a valid YYYY-MM-DD date",
        "control.csv:7: date \"2019-02-30\" is not a valid YYYY-MM-DD date",
        "control.csv:9: rows for \"derna\" out of date order: 2019-06-01 after 2020-01-06 on line 8",
        "control.csv:10: unknown region \"town:tripoly\" (did you mean \"town:tripoli\"?)",
        "zones.geojson: feature 1: valid_until 2019-04-04 is before valid_from 2020-06-05",
        "zones.geojson: feature 2 has an invalid polygon, repaired",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++)
        if (!strstr(out, want[i]))
            g_error("check did not say \"%s\"", want[i]);
    g_free(out);

    const char *ok[] = {CM_CLI, "check", NULL};
    g_assert_cmpint(spawn(dir, ok, &out, NULL), ==, 0);
    g_assert_nonnull(strstr(out, ": ok"));
    g_free(out);
    g_free(mapfile);
    g_free(text);
    g_free(zones);
    g_free(ledger);
    rm_rf(dir);
    g_free(dir);
}

/* Found by fuzzing: a GeoJSON may repeat a feature id; that must not crash. */
static void test_duplicate_ids(void)
{
    char *dir = scratch_dir();
    char *zones = write_file(dir, "z.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":["
        "{\"type\":\"Feature\",\"id\":3,\"properties\":{\"controller\":\"LNA\",\"valid_from\":\"2019-04-04\","
        "\"source\":\"s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[13,32],[14,32],[14,33],[13,32]]]}},"
        "{\"type\":\"Feature\",\"id\":3,\"properties\":{\"controller\":\"GNA\",\"valid_from\":\"2019-04-04\","
        "\"source\":\"s\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[15,32],[16,32],[16,33],[15,32]]]}}]}");
    cm_ctx *ctx = cm_ctx_new();
    cm_timeline *tl = NULL;
    g_assert_cmpint(cm_timeline_load(&tl, zones, FALSE, NULL, ctx), ==, CM_OK);
    /* attributes pair with geometry by id, so the repeat cannot be told apart: it is dropped,
     * with a warning naming the id, and one feature is left (a loop over the features alone
     * would pass with none) */
    g_assert_cmpint(tl->layer->n, ==, 1);
    g_assert_nonnull(tl->items[0].actor);
    g_test_message("kept: %s, its ring from lon %g", tl->items[0].actor,
                   tl->layer->features[0].shape.rings[0].xy[0]);
    /* the first feature is kept whole: its own attributes with its own shape (the repeat's
     * attributes were once paired with the first's shape) */
    g_assert_cmpstr(tl->items[0].actor, ==, "LNA");
    g_assert_cmpfloat(tl->layer->features[0].shape.rings[0].xy[0], ==, 13);
    size_t nw = 0;
    const char *const *warnings = cm_ctx_warnings(ctx, &nw);
    gboolean warned = FALSE;
    for (size_t i = 0; i < nw; i++)
        warned |= strstr(warnings[i], "feature id 3 appears more than once") != NULL;
    g_assert_true(warned);
    cm_timeline_destroy(tl);
    cm_ctx_destroy(ctx);
    g_free(zones);
    rm_rf(dir);
    g_free(dir);
}

static char *read_or_null(const char *path)
{
    char *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return NULL;
    char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
    g_free(text);
    return sum;
}

/* Reads the child's stderr (fd) into buf until a line after buf's first *seen bytes holds
 * `needle`, or `seconds` pass; *seen moves past that line.  TRUE if the line came. */
static gboolean wait_for_line(int fd, GString *buf, gsize *seen, const char *needle, int seconds)
{
    gint64 deadline = g_get_monotonic_time() + (gint64)seconds * G_USEC_PER_SEC;
    for (;;) {
        char *nl;
        while ((nl = memchr(buf->str + *seen, '\n', buf->len - *seen))) {
            char *line = g_strndup(buf->str + *seen, (gsize)(nl - (buf->str + *seen)));
            *seen = (gsize)(nl - buf->str) + 1;
            gboolean found = strstr(line, needle) != NULL;
            g_free(line);
            if (found)
                return TRUE;
        }
        gint64 left = (deadline - g_get_monotonic_time()) / 1000;
        if (left <= 0)
            return FALSE;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, (int)MIN(left, 1000)) <= 0)
            continue;
        char chunk[4096];
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0)
            return FALSE; /* the child exited */
        g_string_append_len(buf, chunk, n);
    }
}

/* render --watch renders again when the ledger changes.  The test waits on what the command
 * says, not on the clock: "watching" once the first map is written and every input is
 * watched, "wrote" once it has rendered again. */
static void test_watch(void)
{
    char *dir = scratch_dir();
    char *all = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/control.csv", &all, NULL, NULL));
    char *ledger = write_file(dir, "control.csv", all);
    char *out = g_build_filename(dir, "w.png", NULL);
    const char *argv[] = {CM_CLI, "render", "--watch", "--dpi", "30", "--control", ledger, "-o",
                          out, NULL};
    GPid pid;
    int err_fd = -1;
    GError *e = NULL;
    g_assert_true(g_spawn_async_with_pipes(dir, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, NULL, &err_fd, &e));
    GString *said = g_string_new(NULL);
    gsize seen = 0;
    char *first = NULL, *second = NULL, *edited = NULL;
    gboolean watching = wait_for_line(err_fd, said, &seen, "conflictmap: watching", 60);
    gboolean rewrote = FALSE;
    if (watching) {
        first = read_or_null(out);
        /* Misrata changes hands in the edited ledger */
        edited = g_strconcat(all, "2019-12-01,misrata,LNA,held,,aj-2019-12-19-turkey,,test edit\n", NULL);
        g_free(write_file(dir, "control.csv", edited));
        rewrote = wait_for_line(err_fd, said, &seen, "conflictmap: wrote", 60);
        second = read_or_null(out);
    }
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    g_spawn_close_pid(pid);
    close(err_fd);
    g_test_message("the command said:\n%s", said->str);
    g_assert_true(watching);
    g_assert_nonnull(first);
    g_assert_true(rewrote);
    g_assert_nonnull(second);
    g_assert_cmpstr(first, !=, second);
    g_string_free(said, TRUE);
    g_free(first);
    g_free(second);
    g_free(edited);
    g_free(all);
    g_free(out);
    g_free(ledger);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timeline/history", test_history);
    g_test_add_func("/timeline/series", test_series);
    g_test_add_func("/timeline/series-shared-pages", test_series_shared_pages);
    g_test_add_func("/timeline/series-pages-as-alone", test_series_pages_as_alone);
    g_test_add_func("/timeline/series-grid-pdf", test_series_grid_pdf);
    g_test_add_func("/timeline/zones-cut-to-land", test_zones_cut_to_land);
    g_test_add_func("/timeline/diff", test_diff);
    g_test_add_func("/timeline/sources", test_sources);
    g_test_add_func("/timeline/check", test_check);
    g_test_add_func("/timeline/watch", test_watch);
    g_test_add_func("/timeline/duplicate-ids", test_duplicate_ids);
    return g_test_run();
}
