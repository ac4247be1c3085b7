/* The change map: what changed hands between two dates on the bundled map, asked of the
 * pieces the page paints (change.c) at the places themselves, checked against the page's
 * pixels, and the legend's areas against an area measured here another way (GEOS on a
 * Lambert azimuthal equal-area projection through OSR, not PROJ's geodesic polygon area). */
#include "conflictmap/conflictmap.h"
#include "change.h"
#include "map_impl.h"
#include "page.h"
#include "render_stats.h"
#include "testutil.h"

#include <cairo.h>
#include <gdal.h>
#include <geos_c.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdlib.h>
#include <string.h>

static cm_map *load_diff(const char *from, const char *to)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, to, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_diff_from(map, from, ctx), ==, CM_OK);
    cm_ctx_destroy(ctx);
    return map;
}

static const cm_change *change_of(const cm_map *map)
{
    return cm_change_get(map, &map->diff_from, &map->date);
}

/* The index of place "town:KEY" or "site:KEY". */
static int place_index(const cm_map *map, const char *key)
{
    for (int i = 0; i < map->places.layer->n; i++)
        if (map->town_keys[i] && !strcmp(map->town_keys[i], key))
            return i;
    g_error("no place %s", key);
    return -1;
}

/* The piece of ground the change map paints under a place (its symbol aside). */
static const cm_change_piece *piece_at(const cm_map *map, const char *key)
{
    int i = place_index(map, key);
    const cm_shape *sh = &map->places.page[i];
    const cm_change *ch = change_of(map);
    const cm_change_piece *p = cm_change_at(ch, sh->rings[0].xy[0], sh->rings[0].xy[1]);
    /* a terminal just off the coast the districts draw: its cell, in the nearest district */
    for (int c = 0; !p && c < ch->npieces; c++)
        if (ch->pieces[c].point == i)
            p = &ch->pieces[c];
    if (!p)
        g_error("%s: on no piece of the change map", key);
    for (int c = 0; c < ch->npieces; c++) /* its whole cell alike */
        if (ch->pieces[c].point == i)
            g_assert_cmpint(ch->pieces[c].kind, ==, p->kind);
    g_test_message("%s: kind %d, %s -> %s", key, p->kind, p->from.holder, p->to.holder);
    return p;
}

static gboolean has_item(const cm_render_stats *st, const char *text)
{
    return g_strv_contains((const char *const *)st->item_texts, text);
}

/* The legend's summary line, "GNA gained 10,300 km², LNA gained no ground". */
static const char *summary(const cm_render_stats *st)
{
    for (int i = 0; i < st->nitems; i++)
        if (strstr(st->item_texts[i], " gained "))
            return st->item_texts[i];
    g_error("no summary line in the legend");
    return NULL;
}

/* The km² the summary gives `side`, -1 for none: "GNA gained 10,300 km²" -> 10300. */
static double summary_km2(const char *line, const char *side)
{
    char *pre = g_strdup_printf("%s gained ", side);
    const char *at = strstr(line, pre);
    g_free(pre);
    if (!at)
        return -1;
    at += strlen(side) + strlen(" gained ");
    if (g_str_has_prefix(at, "no ground"))
        return 0;
    GString *digits = g_string_new(NULL);
    for (; *at && *at != ' '; at++)
        if (g_ascii_isdigit(*at))
            g_string_append_c(digits, *at);
    double v = g_ascii_strtod(digits->str, NULL);
    g_string_free(digits, TRUE);
    return v;
}

/* April to July 2020, the GNA's counter-offensive: Sabratha and Surman (13 April), al-Watiya
 * (18 May) and Tarhuna (5 June) gained by the GNA; the LNA gained nothing. */
static void test_counteroffensive(void)
{
    cm_map *map = load_diff("2020-04-01", "2020-07-01");
    const char *gained[] = {"town:sabratha", "town:surman", "site:watiya", "town:tarhuna"};
    for (size_t k = 0; k < G_N_ELEMENTS(gained); k++) {
        const cm_change_piece *p = piece_at(map, gained[k]);
        g_assert_cmpint(p->kind, ==, CM_CHANGE_GAINED);
        g_assert_cmpstr(p->to.holder, ==, "GNA");
        g_assert_cmpstr(p->from.holder, ==, "LNA");
        /* and the place itself is ringed as taken */
        int i = place_index(map, gained[k]);
        cm_page_spec spec = {.date = map->date, .diff = TRUE, .from = map->diff_from};
        cm_control cs = cm_control_on(map, &spec);
        g_assert_true(cm_place_changed_hands(map, cs.towns_from, cs.rows_from, cs.towns, i, NULL,
                                             NULL));
        cm_control_clear(&cs);
    }
    /* Tripoli was the GNA's on both dates: not gained, though its attack ended */
    g_assert_cmpint(piece_at(map, "town:misrata")->kind, ==, CM_CHANGE_SAME);
    const cm_change *ch = change_of(map);
    for (int i = 0; i < ch->npieces; i++)
        if (ch->pieces[i].kind == CM_CHANGE_GAINED)
            g_assert_cmpstr(ch->pieces[i].to.holder, ==, "GNA");
    g_assert_cmpfloat(cm_change_km2(ch, CM_CHANGE_GAINED, "LNA"), ==, 0);
    cm_ctx *ctx = cm_ctx_new();
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    g_assert_true(has_item(&st, "Gained by GNA"));
    g_assert_false(has_item(&st, "Gained by LNA"));
    g_assert_true(has_item(&st, "Town or site taken by GNA (ringed, with the date)"));
    g_assert_false(has_item(&st, "Town or site taken by LNA (ringed, with the date)"));
    g_test_message("summary: %s", summary(&st));
    g_assert_cmpfloat(summary_km2(summary(&st), "LNA"), ==, 0);
    g_assert_cmpfloat(summary_km2(summary(&st), "GNA"), >, 0);
    /* the labels of what changed carry the date it did */
    g_assert_nonnull(strstr(st.svg_text, "13 Apr 2020"));
    cm_render_stats_clear(&st);
    cm_ctx_destroy(ctx);
    cm_map_destroy(map);
}

/* December 2019 to January 2020: Sirte city gained by the LNA; the oil crescent around it,
 * the LNA's since 2016, unchanged, and so is the rest of Sirte district. */
static void test_sirte(void)
{
    cm_map *map = load_diff("2019-12-19", "2020-01-10");
    const cm_change_piece *city = piece_at(map, "town:sirte");
    g_assert_cmpint(city->kind, ==, CM_CHANGE_GAINED);
    g_assert_cmpstr(city->to.holder, ==, "LNA");
    g_assert_cmpstr(city->from.holder, ==, "GNA");
    const char *crescent[] = {"site:es_sider", "site:ras_lanuf", "site:brega", "town:ras_lanuf",
                              "town:bin_jawad", "town:brega"};
    for (size_t k = 0; k < G_N_ELEMENTS(crescent); k++) {
        const cm_change_piece *p = piece_at(map, crescent[k]);
        g_assert_cmpint(p->kind, ==, CM_CHANGE_SAME);
        g_assert_cmpstr(p->to.holder, ==, "LNA");
    }
    /* the desert of Sirte district, far from the city: unchanged */
    double x, y;
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, 17.4, 29.6, ctx), ==, CM_OK);
    const cm_change_piece *desert = cm_change_at(change_of(map), x, y);
    g_assert_nonnull(desert);
    g_assert_cmpstr(map->regions.layer->features[desert->region].key, ==, "sirte");
    g_assert_cmpint(desert->kind, ==, CM_CHANGE_SAME);
    /* what the LNA gained is the city's ground, a small part of the district */
    const cm_change *ch = change_of(map);
    double district = 0, lna = cm_change_km2(ch, CM_CHANGE_GAINED, "LNA");
    for (int i = 0; i < ch->npieces; i++)
        if (!strcmp(map->regions.layer->features[ch->pieces[i].region].key, "sirte"))
            district += ch->pieces[i].km2;
    g_test_message("LNA gained %.0f km² of Sirte district's %.0f", lna, district);
    g_assert_cmpfloat(lna, >, 0);
    g_assert_cmpfloat(lna, <, district / 20);
    g_assert_cmpfloat(cm_change_km2(ch, CM_CHANGE_GAINED, "GNA"), ==, 0);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    g_assert_true(has_item(&st, "Gained by LNA"));
    g_assert_false(has_item(&st, "Gained by GNA"));
    g_assert_cmpfloat(summary_km2(summary(&st), "GNA"), ==, 0);
    cm_render_stats_clear(&st);
    cm_ctx_destroy(ctx);
    cm_map_destroy(map);
}

/* ---- an independent area: OSR to Lambert azimuthal equal-area, GEOS's planar area ---- */

typedef struct {
    GEOSContextHandle_t g;
    OGRCoordinateTransformationH ct;
    const cm_map *map;
} measurer;

/* One page ring in the equal-area plane, page edges cut to a point at most. */
static GEOSGeometry *laea_ring(const measurer *m, const cm_ring *r)
{
    GArray *xs = g_array_new(FALSE, FALSE, sizeof(double));
    GArray *ys = g_array_new(FALSE, FALSE, sizeof(double));
    cm_ctx *ctx = cm_ctx_new();
    for (int k = 0; k < r->n; k++) {
        int j = (k + 1) % r->n;
        double x0 = r->xy[2 * k], y0 = r->xy[2 * k + 1], x1 = r->xy[2 * j], y1 = r->xy[2 * j + 1];
        int steps = MAX(1, (int)ceil(hypot(x1 - x0, y1 - y0)));
        for (int s = 0; s < steps; s++) {
            double lon, lat, t = (double)s / steps;
            g_assert_cmpint(cm_map_page_to_lonlat(&lon, &lat, m->map, x0 + t * (x1 - x0),
                                                  y0 + t * (y1 - y0), ctx), ==, CM_OK);
            g_array_append_val(xs, lon);
            g_array_append_val(ys, lat);
        }
    }
    cm_ctx_destroy(ctx);
    g_assert_true(OCTTransform(m->ct, (int)xs->len, (double *)xs->data, (double *)ys->data, NULL));
    unsigned n = xs->len;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(m->g, n + 1, 2);
    for (unsigned k = 0; k <= n; k++)
        GEOSCoordSeq_setXY_r(m->g, seq, k, g_array_index(xs, double, k % n),
                             g_array_index(ys, double, k % n));
    g_array_free(xs, TRUE);
    g_array_free(ys, TRUE);
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(m->g, GEOSGeom_createLinearRing_r(m->g, seq),
                                                  NULL, 0);
    GEOSGeometry *valid = GEOSMakeValid_r(m->g, poly);
    GEOSGeom_destroy_r(m->g, poly);
    return valid;
}

/* A shape's area in km² on the equal-area plane, its rings taken even-odd (as drawn). */
static double laea_km2(const measurer *m, const cm_shape *s)
{
    GEOSGeometry *acc = NULL;
    for (int r = 0; r < s->nrings; r++) {
        if (s->rings[r].n < 3)
            continue;
        GEOSGeometry *p = laea_ring(m, &s->rings[r]);
        GEOSGeometry *x = acc ? GEOSSymDifference_r(m->g, acc, p) : p;
        if (acc) {
            GEOSGeom_destroy_r(m->g, acc);
            GEOSGeom_destroy_r(m->g, p);
        }
        acc = x;
    }
    double a = 0;
    if (acc)
        GEOSArea_r(m->g, acc, &a);
    GEOSGeom_destroy_r(m->g, acc);
    return a / 1e6;
}

static void check_areas(const char *from, const char *to)
{
    cm_map *map = load_diff(from, to);
    measurer m = {GEOS_init_r(), NULL, map};
    OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL), ea = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(ll, "WGS84");
    OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    g_assert_cmpint(OSRImportFromProj4(ea, "+proj=laea +lat_0=27 +lon_0=17 +datum=WGS84 +units=m"),
                    ==, OGRERR_NONE);
    OSRSetAxisMappingStrategy(ea, OAMS_TRADITIONAL_GIS_ORDER);
    m.ct = OCTNewCoordinateTransformation(ll, ea);
    g_assert_nonnull(m.ct);
    const cm_change *ch = change_of(map);
    cm_ctx *ctx = cm_ctx_new();
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    const char *line = summary(&st);
    g_test_message("%s to %s: %s", from, to, line);
    const char *sides[] = {"GNA", "LNA"};
    for (size_t k = 0; k < G_N_ELEMENTS(sides); k++) {
        double mine = 0;
        for (int i = 0; i < ch->npieces; i++)
            if (ch->pieces[i].kind == CM_CHANGE_GAINED &&
                !g_strcmp0(ch->pieces[i].to.holder, sides[k]))
                mine += laea_km2(&m, &ch->pieces[i].shape);
        double legend = summary_km2(line, sides[k]);
        double *lib = g_hash_table_lookup(st.gains, sides[k]);
        g_test_message("%s: legend %.0f km², library %.1f, equal-area here %.1f", sides[k],
                       legend, lib ? *lib : 0, mine);
        g_assert_cmpfloat(legend, >=, 0);
        if (mine == 0) {
            g_assert_cmpfloat(legend, ==, 0);
            continue;
        }
        g_assert_cmpfloat(fabs(legend - mine), <=, 0.01 * mine);
        g_assert_cmpfloat(fabs(*lib - mine), <=, 0.01 * mine);
    }
    /* the pieces cut the districts without gap or overlap: together they are the districts'
     * area, measured here on each district's own shape */
    double pieces = 0, districts = 0;
    for (int i = 0; i < ch->npieces; i++)
        pieces += ch->pieces[i].km2;
    for (int i = 0; i < map->regions.layer->n; i++)
        districts += laea_km2(&m, &map->regions.page[i]);
    g_test_message("pieces %.0f km², districts %.0f km²", pieces, districts);
    g_assert_cmpfloat(fabs(pieces - districts), <=, 0.01 * districts);
    cm_render_stats_clear(&st);
    cm_ctx_destroy(ctx);
    OCTDestroyCoordinateTransformation(m.ct);
    OSRDestroySpatialReference(ll);
    OSRDestroySpatialReference(ea);
    GEOS_finish_r(m.g);
    cm_map_destroy(map);
}

/* The districts' area as GDAL's SQLite dialect (SpatiaLite's ST_Area on the ellipsoid)
 * measures it from the shapefile's own lon/lat geometry, before projection and
 * simplification. */
static double source_districts_km2(void)
{
    char *shp = g_build_filename(CM_SOURCE_DIR, "geodata", "districts.shp", NULL);
    GDALDatasetH ds = GDALOpenEx(shp, GDAL_OF_VECTOR, NULL, NULL, NULL);
    g_assert_nonnull(ds);
    OGRLayerH l = GDALDatasetExecuteSQL(ds, "SELECT SUM(ST_Area(geometry, 1)) FROM districts",
                                        NULL, "SQLite");
    g_assert_nonnull(l);
    OGRFeatureH f = OGR_L_GetNextFeature(l);
    g_assert_nonnull(f);
    double km2 = OGR_F_GetFieldAsDouble(f, 0) / 1e6;
    OGR_F_Destroy(f);
    GDALDatasetReleaseResultSet(ds, l);
    GDALClose(ds);
    g_free(shp);
    return km2;
}

static void test_areas(void)
{
    /* all the pieces of a change map, on the ellipsoid, are the districts' ground as the
     * source draws it: projection, clipping and simplification lose almost nothing */
    cm_map *map = load_diff("2020-04-01", "2020-07-01");
    const cm_change *ch = change_of(map);
    double pieces = 0, source = source_districts_km2();
    for (int i = 0; i < ch->npieces; i++)
        pieces += ch->pieces[i].km2;
    g_test_message("pieces %.0f km², the source's districts %.0f km² (SpatiaLite)", pieces, source);
    g_assert_cmpfloat(fabs(pieces - source), <=, 0.001 * source);
    cm_map_destroy(map);

    check_areas("2020-04-01", "2020-07-01");
    check_areas("2019-12-19", "2020-01-10");
    check_areas("2019-03-01", "2020-07-01");
}

/* The page paints what the pieces say: at the interior point of each larger piece away from
 * labels and symbols, the pixel has the piece's colour. */
static void test_painted(void)
{
    cm_map *map = load_diff("2020-04-01", "2020-07-01");
    double w, h;
    cm_map_page_size(&w, &h, map);
    const double k = 2; /* pixels a point */
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * k), (int)(h * k));
    cairo_t *cr = cairo_create(img);
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_map_render_cairo(map, cr, 0, 0, w * k, h * k, ctx), ==, CM_OK);
    cairo_destroy(cr);
    cairo_surface_flush(img);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    const guint8 *px = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img), tried = 0, matched = 0;
    const cm_change *ch = change_of(map);
    for (int i = 0; i < ch->npieces; i++) {
        const cm_change_piece *p = &ch->pieces[i];
        double x, y;
        cm_paint paint = cm_change_paint(map->style, p->kind, p->to.holder, p->to.status,
                                         p->to.parties);
        if (p->km2 < 500 || paint.n != 1 || paint.pattern != CM_PATTERN_SOLID ||
            !cm_interior_point(&p->shape, &x, &y))
            continue;
        gboolean covered = FALSE;
        for (int b = 0; b < st.nlabels && !covered; b++)
            covered = x > st.labels[b].x0 - 2 && x < st.labels[b].x1 + 2 &&
                      y > st.labels[b].y0 - 2 && y < st.labels[b].y1 + 2;
        for (int b = 0; b < st.nsymbols && !covered; b++)
            covered = x > st.symbols[b].x0 - 4 && x < st.symbols[b].x1 + 4 &&
                      y > st.symbols[b].y0 - 4 && y < st.symbols[b].y1 + 4;
        for (int b = 0; b < st.nfurniture && !covered; b++)
            covered = x > st.furniture[b].x0 && x < st.furniture[b].x1 &&
                      y > st.furniture[b].y0 && y < st.furniture[b].y1;
        if (covered)
            continue;
        /* five pixels, the corners of a 4 pt square and its centre: a stroke across one (a frame's outline, a district's
         * edge) leaves the others */
        cm_rgba c = paint.colors[0];
        int good = 0, r = 0, gr = 0, b = 0;
        const double off[5][2] = {{0, 0}, {2, 2}, {-2, 2}, {2, -2}, {-2, -2}};
        for (int o = 0; o < 5; o++) {
            int px_x = (int)((x + off[o][0]) * k), px_y = (int)((y + off[o][1]) * k);
            guint32 v = *(const guint32 *)(px + px_y * stride + 4 * px_x);
            r = (v >> 16) & 255, gr = (v >> 8) & 255, b = v & 255;
            good += abs(r - (int)lround(c.r * 255)) <= 3 && abs(gr - (int)lround(c.g * 255)) <= 3 &&
                    abs(b - (int)lround(c.b * 255)) <= 3;
        }
        gboolean ok = good >= 3;
        g_test_message("piece %d (%s, kind %d, %.0f km²) at %.0f,%.0f: %02x%02x%02x %s", i,
                       map->regions.layer->features[p->region].key, p->kind, p->km2, x, y, r, gr,
                       b, ok ? "ok" : "WRONG");
        tried++;
        matched += ok;
    }
    g_assert_cmpint(tried, >=, 8);
    g_assert_cmpint(matched, ==, tried);
    cm_render_stats_clear(&st);
    cm_ctx_destroy(ctx);
    cairo_surface_destroy(img);
    cm_map_destroy(map);
}

/* March to May 2019: the LNA's offensive made Tripoli's southern front and Jafara contested
 * ground, which the change map stripes as contested since the earlier date. */
static void test_contested_since(void)
{
    cm_map *map = load_diff("2019-03-01", "2019-05-01");
    const cm_change_piece *p = piece_at(map, "town:qasr_bin_ghashir");
    g_assert_cmpint(p->kind, ==, CM_CHANGE_CONTESTED);
    g_assert_true(g_strv_contains((const char *const *)p->to.parties, "GNA"));
    g_assert_true(g_strv_contains((const char *const *)p->to.parties, "LNA"));
    g_assert_cmpfloat(cm_change_km2(change_of(map), CM_CHANGE_CONTESTED, NULL), >, 100);
    cm_ctx *ctx = cm_ctx_new();
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    g_assert_true(has_item(&st, "Contested since 1 March 2019: GNA / LNA") ||
                  has_item(&st, "Contested since 1 March 2019: LNA / GNA"));
    g_assert_nonnull(strstr(summary(&st), "km² newly contested"));
    /* Gharyan, taken by the LNA on 4 April, is ringed and dated */
    g_assert_nonnull(strstr(st.svg_text, "4 Apr 2019"));
    cm_render_stats_clear(&st);
    /* what building the pieces costs, for the record */
    GTimer *t = g_timer_new();
    cm_change_free(cm_change_build(map, &map->diff_from, &map->date));
    g_test_message("cm_change_build: %.0f ms", 1000 * g_timer_elapsed(t, NULL));
    g_timer_destroy(t);
    cm_ctx_destroy(ctx);
    cm_map_destroy(map);
}

/* `query --from` asks the change map itself, as a reader would point at it. */
static void test_query(void)
{
    const struct {
        const char *from, *to, *at, *want;
    } cases[] = {
        {"2020-04-01", "2020-07-01", "12.48845,32.79335", "gained\tGNA\tLNA\ttown:sabratha\n"},
        {"2020-04-01", "2020-07-01", "11.8979,32.4734", "gained\tGNA\tLNA\tsite:watiya\n"},
        {"2020-04-01", "2020-07-01", "13.6332,32.43501", "gained\tGNA\tLNA\ttown:tarhuna\n"},
        {"2020-04-01", "2020-07-01", "15.09,32.37", "unchanged\tGNA\tGNA\ttown:misrata\n"},
        {"2019-12-19", "2020-01-10", "16.58866,31.20892", "gained\tLNA\tGNA\ttown:sirte\n"},
        {"2019-12-19", "2020-01-10", "18.5272,30.5", "unchanged\tLNA\tLNA\tsite:ras_lanuf\n"},
        {"2019-12-19", "2020-01-10", "17.4,29.6", "unchanged\tLNA\tLNA\tregion:sirte\n"},
    };
    char *dir = scratch_dir();
    for (size_t k = 0; k < G_N_ELEMENTS(cases); k++) {
        const char *argv[] = {CM_CLI, "query", "-q", "--from", cases[k].from, "--date", cases[k].to,
                              "--at", cases[k].at, NULL};
        char *out = NULL;
        g_assert_cmpint(spawn(dir, argv, &out, NULL), ==, 0);
        g_test_message("%s to %s at %s: %s", cases[k].from, cases[k].to, cases[k].at, out);
        g_assert_cmpstr(out, ==, cases[k].want);
        g_free(out);
    }
    /* the focus draws Surman, which the national page leaves under Sabratha's ring */
    const char *focus[] = {CM_CLI, "query", "-q", "--focus", "tripoli", "--from", "2020-04-01",
                           "--date", "2020-07-01", "--at", "12.5716,32.7567", NULL};
    char *out = NULL;
    g_assert_cmpint(spawn(dir, focus, &out, NULL), ==, 0);
    g_assert_cmpstr(out, ==, "gained\tGNA\tLNA\ttown:surman\n");
    g_free(out);
    /* without an earlier date there is no change map to ask */
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_change_result r;
    g_assert_cmpint(cm_map_query_change(&r, map, 13.0, 32.0, ctx), ==, CM_EUSAGE);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/change/counteroffensive", test_counteroffensive);
    g_test_add_func("/change/sirte", test_sirte);
    g_test_add_func("/change/contested-since", test_contested_since);
    g_test_add_func("/change/areas", test_areas);
    g_test_add_func("/change/painted", test_painted);
    g_test_add_func("/change/query", test_query);
    return g_test_run();
}
