/* Asking the map who held a point: the answer comes from the geometry the map draws, so it
 * agrees with the rendered page.  Expectations are on the bundled data as it is, each with
 * the ledger row or zone that makes it so. */
#include "conflictmap/conflictmap.h"
#include "map_impl.h"
#include "render_stats.h"
#include "style.h"
#include "testutil.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

/* The bundled map, or with `focus` one of its detail frames as the whole page. */
static cm_map *load_focus(cm_ctx *ctx, const char *date, const char *focus)
{
    cm_map *map = NULL;
    cm_map_options o;
    cm_map_options_init(&o);
    o.focus = focus;
    if (cm_map_load(&map, cm_default_map_path(), &o, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    g_assert_cmpint(cm_map_set_date(map, date, ctx), ==, CM_OK);
    return map;
}

static cm_map *load_default(cm_ctx *ctx, const char *date)
{
    return load_focus(ctx, date, NULL);
}

/* The answer as the command line prints it, but the source: "LNA held zone:3". */
static char *answer(const cm_map *map, double lon, double lat, cm_ctx *ctx)
{
    cm_query_result r;
    memset(&r, 0, sizeof r);
    cm_status st = cm_map_query(&r, map, lon, lat, ctx);
    if (st != CM_OK)
        g_error("query %g, %g: %s", lon, lat, cm_ctx_message(ctx));
    char *by = r.by == CM_QUERY_ZONE   ? g_strdup_printf("zone:%ld", r.zone)
               : r.by == CM_QUERY_TOWN ? g_strconcat("town:", r.key, NULL)
                   : r.by == CM_QUERY_SITE ? g_strconcat("site:", r.key, NULL)
                                       : g_strconcat("region:", r.key, NULL);
    char *text = g_strdup_printf("%s %s %s", r.holder ? r.holder : "none",
                                 r.status ? r.status : "none", by);
    g_free(by);
    return text;
}

static void expect_answer(const cm_map *map, double lon, double lat, const char *want,
                          cm_ctx *ctx)
{
    char *got = answer(map, lon, lat, ctx);
    char date[11];
    cm_map_get_date(date, map);
    if (strcmp(got, want) != 0)
        g_error("%s at %g, %g: \"%s\" (want \"%s\")", date, lon, lat, got, want);
    g_free(got);
}

/* Towns: the symbol decides, and the source is the row's, as stored. */
static void test_towns(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_default(ctx, "2019-12-19");
    /* town:tripoli's row of 2019-04-06: GNA, under attack by the LNA, not encircled; the
     * star decides, not the district under it */
    expect_answer(map, 13.19, 32.89, "GNA attacked town:tripoli", ctx);
    /* the oil crescent is the LNA's (since 2016), whatever the district: Ras Lanuf's
     * terminal, drawn over the town */
    g_assert_cmpint(cm_map_set_date(map, "2019-06-01", ctx), ==, CM_OK);
    expect_answer(map, 18.55, 30.45, "LNA held site:ras_lanuf", ctx);
    g_assert_cmpint(cm_map_set_date(map, "2019-12-19", ctx), ==, CM_OK);
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, map, 13.19, 32.89, ctx), ==, CM_OK);
    g_assert_cmpstr(r.source, ==, "reuters-2019-04-06-airport;anews-2019-04-09-ainzara");
    g_assert_cmpint(r.zone, ==, -1);
    /* town:benghazi: LNA held since the ledger's first row, 2019-03-01 */
    expect_answer(map, 20.07, 32.12, "LNA held town:benghazi", ctx);
    g_assert_cmpint(cm_map_query(&r, map, 20.07, 32.12, ctx), ==, CM_OK);
    g_assert_cmpstr(r.source, ==, "reuters-2017-07-05-benghazi");
    /* town:tarhuna, LNA held since 2019-04-04 */
    expect_answer(map, 13.6332, 32.4350, "LNA held town:tarhuna", ctx);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A region with no row yet answers "none"; a town with no row does not decide (its symbol,
 * if drawn, is a plain dot), so the district under it answers. */
static void test_no_row(void)
{
    cm_ctx *ctx = cm_ctx_new();
    /* every row of the bundled ledger is on or after 2019-03-01 */
    cm_map *map = load_default(ctx, "2019-02-28");
    expect_answer(map, 13.19, 32.89, "none none region:tripoli", ctx);
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, map, 13.19, 32.89, ctx), ==, CM_OK);
    g_assert_null(r.source);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A zone in force decides over the cells and districts under it, from its first day; the day
 * before, and the day after it ends, they do.  On the Tripoli detail (--focus tripoli): on
 * the national map the capital's star and attack mark cover the southern front. */
static void test_zone(void)
{
    cm_ctx *ctx = cm_ctx_new();
    /* (13.15, 32.75): the southern front, zone 1 from 2019-04-06 to 2020-06-03, 7 km south of
     * Tripoli's centre, in Tripoli district nearest Qasr bin Ghashir of its places */
    cm_map *map = load_focus(ctx, "2019-04-06", "tripoli");
    expect_answer(map, 13.15, 32.75, "LNA contested zone:1", ctx);
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, map, 13.15, 32.75, ctx), ==, CM_OK);
    g_assert_cmpstr(r.label, ==, "Southern Tripoli front");
    g_assert_cmpstr(r.source, ==, "reuters-2019-04-06-airport;anews-2019-04-09-ainzara;"
                                  "minbar-2019-06-27-tripoli");
    /* 2019-04-05: no zone yet, and Qasr bin Ghashir has no row: the district decides */
    g_assert_cmpint(cm_map_set_date(map, "2019-04-05", ctx), ==, CM_OK);
    expect_answer(map, 13.15, 32.75, "GNA held region:tripoli", ctx);
    /* 2020-06-04: the zone has ended; Qasr bin Ghashir's row (GNA from 2020-06-04) decides
     * its cell */
    g_assert_cmpint(cm_map_set_date(map, "2020-06-04", ctx), ==, CM_OK);
    expect_answer(map, 13.15, 32.75, "GNA held town:qasr_bin_ghashir", ctx);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Towns and sites decide the ground around them (their cells), not only their symbols; the
 * district decides beyond their reach.  The points the battle issue asks about. */
static void test_cells(void)
{
    static const struct {
        const char *date;
        double lon, lat;
        const char *want;
    } cases[] = {
        /* the oil crescent LNA from the ledger's start, inside Sirte district */
        {"2019-12-19", 18.55, 30.45, "LNA held site:ras_lanuf"},
        /* Sirte city GNA until 6 January 2020 */
        {"2019-12-19", 16.59, 31.20, "GNA held town:sirte"},
        {"2020-01-10", 16.59, 31.20, "LNA held town:sirte"},
        /* Zintan fought the LNA */
        {"2019-04-05", 12.25, 31.93, "GNA held town:zintan"},
        /* Tarhuna, the LNA's western base, until 5 June 2020 */
        {"2020-06-01", 13.63, 32.43, "LNA held town:tarhuna"},
        {"2020-06-06", 13.63, 32.43, "GNA held town:tarhuna"},
        /* al-Watiya air base, taken by the GNA on 18 May 2020 */
        {"2020-05-17", 11.90, 32.47, "LNA held site:watiya"},
        {"2020-05-19", 11.90, 32.47, "GNA held site:watiya"},
        /* 18 km from Tarhuna, off its symbol but within its reach (25 km): its cell */
        {"2019-04-05", 13.80, 32.35, "LNA held town:tarhuna"},
        /* Murqub beyond every place's reach: the district's row (GNA) */
        {"2019-04-05", 13.95, 32.20, "GNA held region:murqub"},
    };
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_default(ctx, "2019-12-19");
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_assert_cmpint(cm_map_set_date(map, cases[i].date, ctx), ==, CM_OK);
        expect_answer(map, cases[i].lon, cases[i].lat, cases[i].want, ctx);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The detail frame answers as it draws, from the same data: the same holders at the points
 * of test_cells that it shows. */
static void test_focus_agrees(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_focus(ctx, "2020-06-01", "tripoli");
    expect_answer(map, 13.63, 32.43, "LNA held town:tarhuna", ctx);
    g_assert_cmpint(cm_map_set_date(map, "2020-05-19", ctx), ==, CM_OK);
    expect_answer(map, 11.90, 32.47, "GNA held site:watiya", ctx);
    cm_map_destroy(map);
    /* a detail the map file does not define: the names it does */
    cm_map_options o;
    cm_map_options_init(&o);
    o.focus = "benghazi";
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), &o, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "has no [detail benghazi] (it has: tripoli)"));
    cm_ctx_destroy(ctx);
}

static void expect_outside(const cm_map *map, double lon, double lat, const char *want)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_query_result r = {.key = "untouched"};
    g_assert_cmpint(cm_map_query(&r, map, lon, lat, ctx), ==, CM_EINPUT);
    g_assert_cmpstr(r.key, ==, "untouched");
    if (!strstr(cm_ctx_message(ctx), want))
        g_error("%g, %g: \"%s\" (want \"%s\")", lon, lat, cm_ctx_message(ctx), want);
    cm_ctx_destroy(ctx);
}

/* Where the map shows no region, it answers nothing. */
static void test_outside(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_default(ctx, "2019-12-19");
    /* the Gulf of Sidra north of Misrata; southern Tunisia, inside the frame */
    expect_outside(map, 15.5, 33.5, "lon 15.5, lat 33.5 is outside every region of ");
    expect_outside(map, 10.0, 33.0, "lon 10, lat 33 is outside every region of ");
    /* Rome: on the globe, off the frame (Cairo, 31.2 E, is still inside it) */
    expect_outside(map, 12.5, 41.9, "lon 12.5, lat 41.9 is outside the map's frame");
    /* off the globe */
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, map, 200, 30, ctx), ==, CM_EUSAGE);
    g_assert_cmpint(cm_map_query(&r, map, NAN, 30, ctx), ==, CM_EUSAGE);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The symbol's radius is the renderer's: just inside the box a render records for a town's
 * symbol (cm_render_stats: its centre plus and minus the radius) the symbol decides, just
 * outside it the town's cell (the same row: the ground around it). */
static void test_town_radius(void)
{
    static const struct {
        double lon, lat;
        const char *town, *around; /* on the symbol; just off it */
        double dx, dy; /* a way out of the symbol that stays on land */
    } towns[] = {
        /* the capital's star with the attack mark (under attack since 2019-04-06); south,
         * since the coast runs east and west */
        {13.18733, 32.88743, "GNA attacked town:tripoli", "GNA held region:tripoli", 0, 1},
        /* a city's dot, LNA held; south and south-east, away from the sea to its west and
         * from Benina air base's cell to its east; just off the dot, Benghazi's cell */
        {20.06859, 32.11486, "LNA held town:benghazi", "LNA held town:benghazi", 0.6, 0.8},
        {20.06859, 32.11486, "LNA held town:benghazi", "LNA held town:benghazi", 0, 1},
    };
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_default(ctx, "2019-12-19");
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    for (size_t t = 0; t < G_N_ELEMENTS(towns); t++) {
        double x, y, lon, lat;
        g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, towns[t].lon, towns[t].lat, ctx), ==, CM_OK);
        const cm_box *box = NULL;
        for (int i = 0; i < st.nsymbols && !box; i++)
            if (fabs((st.symbols[i].x0 + st.symbols[i].x1) / 2 - x) < 1e-6 &&
                fabs((st.symbols[i].y0 + st.symbols[i].y1) / 2 - y) < 1e-6)
                box = &st.symbols[i];
        g_assert_nonnull(box);
        double r = (box->x1 - box->x0) / 2, dx = towns[t].dx, dy = towns[t].dy;
        g_assert_cmpint(cm_map_page_to_lonlat(&lon, &lat, map, x + dx * (r - 0.05),
                                              y + dy * (r - 0.05), ctx), ==, CM_OK);
        expect_answer(map, lon, lat, towns[t].town, ctx);
        cm_query_result q;
        g_assert_cmpint(cm_map_query(&q, map, lon, lat, ctx), ==, CM_OK);
        g_assert_true(q.symbol);
        g_assert_cmpint(cm_map_page_to_lonlat(&lon, &lat, map, x + dx * (r + 0.05),
                                              y + dy * (r + 0.05), ctx), ==, CM_OK);
        expect_answer(map, lon, lat, towns[t].around, ctx);
        g_assert_cmpint(cm_map_query(&q, map, lon, lat, ctx), ==, CM_OK);
        g_assert_false(q.symbol);
    }
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A rendered page at 72 dpi: one pixel a point. */
static cairo_surface_t *render_72dpi(cm_map *map, cm_ctx *ctx)
{
    char *dir = scratch_dir(), *out = g_build_filename(dir, "query.png", NULL);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = 72;
    g_assert_cmpint(cm_map_render_file(map, out, &ro, ctx), ==, CM_OK);
    cairo_surface_t *png = cairo_image_surface_create_from_png(out);
    g_assert_cmpint(cairo_surface_status(png), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_flush(png);
    g_free(out);
    rm_rf(dir);
    g_free(dir);
    return png;
}

/* The pixel under lon/lat shows the fill of the holder the query names. */
static void expect_pixel(cairo_surface_t *png, const cm_map *map, double lon, double lat,
                         const char *why, cm_ctx *ctx)
{
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int stride = cairo_image_surface_get_stride(png);
    const unsigned char *data = cairo_image_surface_get_data(png);
    double x, y;
    cm_query_result r;
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, lon, lat, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_query(&r, map, lon, lat, ctx), ==, CM_OK);
    g_assert_nonnull(r.holder);
    int px = (int)floor(x), py = (int)floor(y);
    g_assert_true(px >= 0 && px < w && py >= 0 && py < h);
    guint32 v = *(const guint32 *)(data + py * stride + px * 4);
    cm_rgba want = cm_style_controller(map->style, r.holder)->fill;
    int got[3] = {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff};
    double exp[3] = {want.r * 255, want.g * 255, want.b * 255};
    /* a solid fill, clear of any edge: within rounding of the style's colour */
    for (int c = 0; c < 3; c++)
        if (fabs(got[c] - exp[c]) > 2)
            g_error("%s (%g, %g; pixel %d, %d): the page shows #%02x%02x%02x, the query says "
                    "%s (#%02x%02x%02x)", why, lon, lat, px, py, got[0], got[1], got[2],
                    r.holder, (int)lround(exp[0]), (int)lround(exp[1]), (int)lround(exp[2]));
}

/* The query and the page agree: at each point the rendered PNG shows the fill of the holder
 * the query names. */
static void test_same_as_drawn(void)
{
    static const struct {
        double lon, lat;
        const char *why;
    } points[] = {
        {13.1913, 32.8872, "Tripoli's star: town:tripoli GNA"},
        {20.0686, 32.1167, "Benghazi's dot: town:benghazi LNA"},
        {13.8, 32.35, "Tarhuna's cell, clear of its dot: LNA over Murqub's GNA"},
        {16.42, 31.17, "Sirte city's cell, clear of its dot: GNA over Sirte district's LNA"},
        {17.3, 30.3, "Sirte district beyond the city's reach: LNA"},
        {15.6, 30.6, "deep in Misrata district: GNA"},
        {11.0, 30.8, "deep in Nalut district: GNA"},
        {21.0, 28.5, "deep in al-Wahat: LNA"},
        {22.5, 22.5, "deep in Kufra: LNA"},
    };
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load_default(ctx, "2019-12-19");
    cairo_surface_t *png = render_72dpi(map, ctx);
    for (size_t i = 0; i < G_N_ELEMENTS(points); i++)
        expect_pixel(png, map, points[i].lon, points[i].lat, points[i].why, ctx);
    cairo_surface_destroy(png);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Of two zones in force over one point, the one drawn last (later in the file) decides, as
 * it shows on top.  The bundled map with a zones file of its own: two squares in the Jufra
 * desert (LNA held), overlapping in 16.5-17 E, 27.5-28 N. */
static void test_zones_on_top(void)
{
    static const char zones[] =
        "{\"type\": \"FeatureCollection\", \"features\": [\n"
        "{\"type\": \"Feature\", \"id\": 7, \"properties\": {\"controller\": \"GNA\", "
        "\"status\": \"held\", \"valid_from\": \"2019-01-01\", \"source\": \"aj-2016-09-11-oilports\", "
        "\"label\": \"under\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
        "[[[16, 27], [17, 27], [17, 28], [16, 28], [16, 27]]]}},\n"
        "{\"type\": \"Feature\", \"id\": 8, \"properties\": {\"controller\": \"LOCAL\", "
        "\"status\": \"held\", \"valid_from\": \"2019-01-01\", \"source\": \"aj-2019-12-19-turkey\", "
        "\"label\": \"over\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": "
        "[[[16.5, 27.5], [17.5, 27.5], [17.5, 28.5], [16.5, 28.5], [16.5, 27.5]]]}}]}\n";
    char *dir = scratch_dir(), *text = NULL;
    g_assert_true(g_file_get_contents(cm_default_map_path(), &text, NULL, NULL));
    char *zpath = write_file(dir, "zones.geojson", zones);
    char *geo = g_path_get_dirname(cm_default_map_path());
    /* every relative path made absolute, the zones file swapped */
    GString *map_text = g_string_new(NULL);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "file = zones.geojson"))
            g_string_append_printf(map_text, "file = %s\n", zpath);
        else if (g_str_has_prefix(*l, "file = "))
            g_string_append_printf(map_text, "file = %s/%s\n", geo, *l + 7);
        else if (g_str_has_prefix(*l, "styles = ")) {
            /* styles is a list: each of its paths */
            char **paths = g_strsplit(*l + 9, ", ", -1);
            g_string_append(map_text, "styles = ");
            for (char **p = paths; *p; p++)
                g_string_append_printf(map_text, "%s%s/%s", p == paths ? "" : ", ", geo, *p);
            g_string_append_c(map_text, '\n');
            g_strfreev(paths);
        }
        else
            g_string_append_printf(map_text, "%s\n", *l);
    }
    char *mapfile = write_file(dir, "zones.map", map_text->str);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, mapfile, NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    g_assert_cmpint(cm_map_set_date(map, "2019-12-19", ctx), ==, CM_OK);
    expect_answer(map, 16.75, 27.75, "LOCAL held zone:8", ctx);
    expect_answer(map, 16.12, 27.1, "GNA held zone:7", ctx);
    expect_answer(map, 17.25, 28.25, "LOCAL held zone:8", ctx);
    cm_query_result r;
    g_assert_cmpint(cm_map_query(&r, map, 16.75, 27.75, ctx), ==, CM_OK);
    g_assert_cmpstr(r.source, ==, "aj-2019-12-19-turkey");
    g_assert_cmpstr(r.label, ==, "over");
    cairo_surface_t *png = render_72dpi(map, ctx);
    expect_pixel(png, map, 16.75, 27.75, "where the zones overlap", ctx);
    expect_pixel(png, map, 16.12, 27.1, "the first zone alone", ctx);
    cairo_surface_destroy(png);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_strfreev(lines);
    g_string_free(map_text, TRUE);
    g_free(mapfile);
    g_free(geo);
    g_free(zpath);
    g_free(text);
    rm_rf(dir);
    g_free(dir);
}

/* Runs the command line's query; returns the exit code, stdout in *out, stderr in *err. */
static int run_query(const char *const *args, char **out, char **err)
{
    GPtrArray *argv = g_ptr_array_new();
    const char *head[] = {"timeout", "-k", "5", "120", CM_CLI, "query"};
    for (size_t i = 0; i < G_N_ELEMENTS(head); i++)
        g_ptr_array_add(argv, (gpointer)head[i]);
    for (int i = 0; args[i]; i++)
        g_ptr_array_add(argv, (gpointer)args[i]);
    g_ptr_array_add(argv, NULL);
    int rc = spawn(NULL, (const char *const *)argv->pdata, out, err);
    g_ptr_array_free(argv, TRUE);
    return rc;
}

/* `conflictmap query` (on the detail frame `focus`, or the whole map for NULL) prints
 * `line` (exactly) and exits 0, saying nothing on stderr. */
static void expect_query_line(const char *focus, const char *date, const char *at,
                              const char *line)
{
    char *out = NULL, *err = NULL;
    const char *args[] = {"--date", date, "--at", at, "-q", focus ? "--focus" : NULL, focus,
                          NULL};
    int rc = run_query(args, &out, &err);
    if (rc != 0 || strcmp(out, line) != 0 || *err)
        g_error("query --date %s --at %s: exit %d, \"%s\" (want \"%s\"), stderr \"%s\"", date, at,
                rc, out, line, err);
    g_free(out);
    g_free(err);
}

static void expect_line(const char *date, const char *at, const char *line)
{
    expect_query_line(NULL, date, at, line);
}

static void expect_line_focus(const char *date, const char *at, const char *line)
{
    expect_query_line("tripoli", date, at, line);
}

/* `conflictmap query ARGS` exits with `code`, prints nothing on stdout and one line on
 * stderr holding `message`. */
static void expect_refused(int code, const char *message, const char *const *args)
{
    char *out = NULL, *err = NULL;
    int rc = run_query(args, &out, &err);
    char *cmd = g_strjoinv(" ", (char **)args);
    const char *nl = strchr(err, '\n');
    if (rc != code || *out || !g_str_has_prefix(err, "conflictmap: ") || !strstr(err, message) ||
        !nl || nl[1])
        g_error("query %s: exit %d (want %d), stdout \"%s\", stderr \"%s\" (want one line with "
                "\"%s\")", cmd, rc, code, out, err, message);
    g_free(cmd);
    g_free(out);
    g_free(err);
}

/* The command line: one tab-separated line, holder, status, what decided it, source as
 * stored; exit 3 where the map shows no region, 2 for a bad --at or --date. */
static void test_cli(void)
{
    /* the rows of test_towns, test_cells and test_no_row */
    expect_line("2019-12-19", "13.19,32.89", "GNA\tattacked\ttown:tripoli\treuters-2019-04-06-airport;anews-2019-04-09-ainzara\n");
    expect_line("2019-12-19", "20.07,32.12",
                "LNA\theld\ttown:benghazi\treuters-2017-07-05-benghazi\n");
    expect_line("2019-04-04", "13.8,32.35",
                "LNA\theld\ttown:tarhuna\tlacher-2019-09-01-tripoli\n");
    expect_line("2019-04-03", "13.8,32.35",
                "GNA\theld\ttown:tarhuna\t218tv-2019-01-20-tarhuna\n");
    expect_line("2019-04-05", "13.95,32.2",
                "GNA\theld\tregion:murqub\t218tv-2019-01-20-tarhuna\n");
    /* the Tripoli detail (--focus) answers for the southern front, under the capital's star
     * on the national map */
    expect_line_focus("2019-04-06", "13.15,32.75",
                      "LNA\tcontested\tzone:1\treuters-2019-04-06-airport;"
                      "anews-2019-04-09-ainzara;minbar-2019-06-27-tripoli\n");
    /* no row yet: no source either, the field left empty */
    expect_line("2019-02-28", "13.19,32.89", "none\tnone\tregion:tripoli\t\n");
    /* the sea north of Misrata; southern Tunisia */
    expect_refused(3, "lon 15.5, lat 33.5 is outside every region of ",
                   (const char *[]){"--at", "15.5,33.5", NULL});
    expect_refused(3, "lon 10, lat 33 is outside every region of ",
                   (const char *[]){"--date", "2019-12-19", "--at", "10,33", NULL});
    /* --at: not a pair, not numbers, off the globe, missing */
    expect_refused(2, "--at \"13.2\" must be LON,LAT", (const char *[]){"--at", "13.2", NULL});
    expect_refused(2, "--at \"x,y\" must be LON,LAT", (const char *[]){"--at", "x,y", NULL});
    expect_refused(2, "--at \"13.2,32.9,1\" must be LON,LAT",
                   (const char *[]){"--at", "13.2,32.9,1", NULL});
    expect_refused(2, "lon 200, lat 30 does not project", (const char *[]){"--at", "200,30", NULL});
    expect_refused(2, "query needs --at LON,LAT", (const char *[]){"--date", "2019-12-19", NULL});
    /* --date */
    expect_refused(2, "date \"2019-13-01\" is not a valid",
                   (const char *[]){"--date", "2019-13-01", "--at", "13.19,32.89", NULL});
    /* what query does not take */
    expect_refused(2, "query does not take --dpi",
                   (const char *[]){"--at", "13.19,32.89", "--dpi", "72", NULL});
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/query/towns", test_towns);
    g_test_add_func("/query/no-row", test_no_row);
    g_test_add_func("/query/zone", test_zone);
    g_test_add_func("/query/cells", test_cells);
    g_test_add_func("/query/focus", test_focus_agrees);
    g_test_add_func("/query/outside", test_outside);
    g_test_add_func("/query/town/radius", test_town_radius);
    g_test_add_func("/query/same-as-drawn", test_same_as_drawn);
    g_test_add_func("/query/zones-on-top", test_zones_on_top);
    g_test_add_func("/query/cli", test_cli);
    return g_test_run();
}
