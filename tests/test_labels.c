/* The label engine's newer promises: places of the day named first, callouts with leaders
 * where there is no room beside a point, and positions kept from page to page in a series. */
#include "conflictmap/conflictmap.h"
#include "keyfile.h"
#include "label_grid.h"
#include "labels.h"
#include "map_impl.h"
#include "page.h"
#include "testutil.h"

#include <math.h>
#include <string.h>

/* A labeler on a 200 x 100 point recording, for rules tested without a map. */
static cm_labeler *small_labeler(cairo_t **cr)
{
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    *cr = cairo_create(rec);
    cairo_surface_destroy(rec);
    return cm_labeler_new(*cr, (cm_box){0, 0, 200, 100});
}

static cm_label_spec point_spec(const char *text, double x, double y, int id)
{
    cm_label_spec s = {.text = text, .font = "Noto Sans", .size = 9, .color = {0, 0, 0, 1},
                       .halo = {1, 1, 1, 1}, .halo_width = 1.5, .kind = CM_LABEL_POINT, .x = x,
                       .y = y, .gap = 3, .priority = 50, .id = id};
    return s;
}

/* Where "Alpha" at (100, 50) goes on a page, with `blocked` to its right or not. */
static cm_box place_alpha(cm_label_memory *memory, gboolean blocked)
{
    cairo_t *cr = NULL;
    cm_labeler *lab = small_labeler(&cr);
    cm_labeler_set_memory(lab, memory, NULL);
    if (blocked)
        cm_labeler_block(lab, (cm_box){101, 40, 160, 60});
    cm_label_spec s = point_spec("Alpha", 100, 50, 1);
    cm_labeler_add(lab, &s);
    g_assert_cmpint(cm_labeler_place(lab), ==, 1);
    cm_box b;
    g_assert_true(cm_labeler_box(&b, lab, 1));
    cm_labeler_destroy(lab);
    cairo_destroy(cr);
    return b;
}

/* Whether id is filed under a cell that `query` touches. */
static gboolean grid_finds(const cm_grid *g, cm_box query, guint id)
{
    int s[4];
    if (!cm_grid_span(g, query, s))
        return FALSE;
    for (int r = s[2]; r <= s[3]; r++)
        for (int c = s[0]; c <= s[1]; c++) {
            const GArray *a = cm_grid_cell(g, c, r);
            for (guint k = 0; a && k < a->len; k++)
                if (g_array_index(a, guint, k) == id)
                    return TRUE;
        }
    return FALSE;
}

/* The label engine's index (label_grid.c) finds every box that overlaps a query, wherever
 * they are (outside the frame too, corners in any order), and nothing far away: random boxes
 * against random queries, the exact overlap test against what the grid offers. */
static void test_grid(void)
{
    cm_grid *g = cm_grid_new((cm_box){28, 73, 813, 502});
    GRand *rand = g_rand_new_with_seed(18);
    cm_box boxes[500];
    for (guint i = 0; i < G_N_ELEMENTS(boxes); i++) {
        double x = g_rand_double_range(rand, -100, 950), y = g_rand_double_range(rand, -50, 600);
        double w = g_rand_double_range(rand, 0, i % 50 ? 40 : 400), h = g_rand_double_range(rand, 0, 30);
        /* some with their corners swapped, some points */
        boxes[i] = i % 7 ? (cm_box){x, y, x + w, y + h} : (cm_box){x + w, y + h, x, y};
        if (i % 11 == 0)
            boxes[i] = (cm_box){x, y, x, y};
        cm_grid_add(g, boxes[i], i);
    }
    int near = 0, far = 0;
    for (int q = 0; q < 2000; q++) {
        double x = g_rand_double_range(rand, -120, 970), y = g_rand_double_range(rand, -60, 620);
        cm_box query = {x, y, x + g_rand_double_range(rand, 0, 60), y + g_rand_double_range(rand, 0, 20)};
        for (guint i = 0; i < G_N_ELEMENTS(boxes); i++) {
            cm_box b = boxes[i];
            cm_box n = {fmin(b.x0, b.x1), fmin(b.y0, b.y1), fmax(b.x0, b.x1), fmax(b.y0, b.y1)};
            gboolean overlaps = n.x0 <= query.x1 && query.x0 <= n.x1 && n.y0 <= query.y1 &&
                                query.y0 <= n.y1;
            gboolean found = grid_finds(g, query, i);
            if (overlaps && !found)
                g_error("box %u (%g %g %g %g) overlaps query %d but the grid misses it", i, b.x0,
                        b.y0, b.x1, b.y1, q);
            near += overlaps, far += !found;
        }
    }
    g_assert_cmpint(near, >, 100);
    g_assert_cmpint(far, >, 2000 * 400); /* the grid offers a few cells, not every box */
    /* a box with a NaN overlaps nothing and is filed nowhere */
    cm_grid_add(g, (cm_box){NAN, 100, 120, 110}, 9999);
    g_assert_false(grid_finds(g, (cm_box){0, 0, 900, 600}, 9999));
    int s[4];
    g_assert_false(cm_grid_span(g, (cm_box){0, NAN, 1, 1}, s));
    g_rand_free(rand);
    cm_grid_free(g);
}

/* A label pushed left by something on its right stays left on the next page, where the right
 * is free again; without the memory it goes back right.  That is the memory, measured. */
static void test_memory_keeps_position(void)
{
    cm_label_memory *m = cm_label_memory_new();
    cm_box first = place_alpha(m, TRUE), second = place_alpha(m, FALSE);
    g_assert_cmpfloat(first.x1, <, 100);
    g_assert_cmpfloat(fabs(second.x0 - first.x0) + fabs(second.y0 - first.y0), <, 1e-9);
    cm_label_memory_free(m);
    cm_box alone = place_alpha(NULL, FALSE);
    g_assert_cmpfloat(alone.x0, >, 100);
    /* a remembered position that is blocked now gives way */
    m = cm_label_memory_new();
    place_alpha(m, FALSE);
    cm_box moved = place_alpha(m, TRUE);
    g_assert_cmpfloat(moved.x1, <, 100);
    cm_label_memory_free(m);
}

/* With its eight positions beside the point blocked, a callout goes further out (no more than
 * 12 mm and clear of the blocks) and says so; a label that may not be called out is dropped. */
static void test_callout(void)
{
    for (int callout = 0; callout < 2; callout++) {
        cairo_t *cr = NULL;
        cm_labeler *lab = small_labeler(&cr);
        cm_box ring = {85, 40, 115, 60};
        cm_labeler_block(lab, ring);
        cm_label_spec s = point_spec("Beta", 100, 50, 7);
        s.callout = callout; /* its symbol is under the block, as a town always shown */
        cm_labeler_add(lab, &s);
        g_assert_cmpint(cm_labeler_place(lab), ==, callout);
        cm_box b;
        g_assert_cmpint(cm_labeler_box(&b, lab, 7), ==, callout);
        g_assert_cmpint(cm_labeler_is_callout(lab, 7), ==, callout);
        if (callout) {
            g_assert_false(cm_box_overlaps(&b, &ring));
            double dx = fmax(fmax(b.x0 - 100, 0), 100 - b.x1), dy = fmax(fmax(b.y0 - 50, 0), 50 - b.y1);
            g_assert_cmpfloat(hypot(dx, dy), <=, 12 * 72.0 / 25.4 + 1);
            double e[4];
            cm_leader_ends(e, 100, 50, 1, &b);
            g_assert_cmpfloat(hypot(e[2] - e[0], e[3] - e[1]), >, 5);
        }
        cm_labeler_destroy(lab);
        cairo_destroy(cr);
    }
}

/* A name is not set nearer another place's point than its own: "Gamma" may not go right of
 * its point, where it would touch Delta's dot. */
static void test_not_beside_another(void)
{
    cairo_t *cr = NULL;
    cm_labeler *lab = small_labeler(&cr);
    cm_label_spec g = point_spec("Gamma", 60, 50, 1), d = point_spec("Delta", 100, 50, 2);
    g.priority = 60;
    cm_labeler_add(lab, &g);
    cm_labeler_add(lab, &d);
    cm_labeler_place(lab);
    cm_box b;
    g_assert_true(cm_labeler_box(&b, lab, 1));
    double to_delta = hypot(fmax(fmax(b.x0 - 100, 0), 100 - b.x1), fmax(fmax(b.y0 - 50, 0), 50 - b.y1));
    double to_own = hypot(fmax(fmax(b.x0 - 60, 0), 60 - b.x1), fmax(fmax(b.y0 - 50, 0), 50 - b.y1));
    g_assert_cmpfloat(to_own, <=, to_delta);
    cm_labeler_destroy(lab);
    cairo_destroy(cr);
}

static cm_map *bundled(const char *lang, cm_ctx *ctx)
{
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_lang(map, lang, ctx), ==, CM_OK);
    return map;
}

static int place_id(const cm_map *map, const char *key)
{
    for (int i = 0; i < map->places.layer->n; i++)
        if (g_strcmp0(map->places.layer->features[i].key, key) == 0)
            return i + 1; /* places.c: a place's label id */
    g_error("no place %s", key);
}

/* The page on `date` laid out through `cache` (NULL: alone); its body for the caller. */
static cm_page_body *page_on(const cm_map *map, const char *date, const cm_page_cache *cache)
{
    cm_page_spec spec = {0};
    g_assert_true(cm_parse_date(date, &spec.date));
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_page_body *body = NULL;
    cm_draw_page(cr, map, &spec, cache, &body);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    return body;
}

/* Places of the day are named in the English map however crowded: Tarhuna and Gharyan as
 * the LNA takes them, Tarhuna and Bani Walid as the GNA does, Tripoli under attack (on
 * 19 December 2019 Tarhuna is no place of the day: the Tripoli detail names it, test_render's
 * PDF text). */
static void test_places_of_the_day(void)
{
    static const struct {
        const char *date, *keys[3];
    } cases[] = {{"2019-04-05", {"tarhuna", "gharyan", "tripoli"}},
                 {"2019-12-19", {"tripoli", "tripoli", "tripoli"}},
                 {"2020-06-06", {"tarhuna", "bani_walid", "tripoli"}}};
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = bundled("en", ctx);
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        cm_page_body *body = page_on(map, cases[c].date, NULL);
        for (size_t k = 0; k < G_N_ELEMENTS(cases[c].keys); k++)
            if (!cm_labeler_is_placed(body->lab, place_id(map, cases[c].keys[k])))
                g_error("%s: %s is not named", cases[c].date, cases[c].keys[k]);
        cm_page_body_free(body);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Ten weekly pages from 1 July 2019, through a series' cache: Misrata's name has one position
 * (nothing changes near it), and laying the series out again gives the same boxes. */
static void test_series_keeps_misrata(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = bundled("en+ar", ctx);
    int misrata = place_id(map, "misrata");
    cm_box first[10];
    for (int run = 0; run < 2; run++) {
        cm_page_cache cache = {.memory = cm_label_memory_new()};
        GDate d;
        g_date_set_dmy(&d, 1, G_DATE_JULY, 2019);
        for (int f = 0; f < 10; f++, g_date_add_days(&d, 7)) {
            char date[11];
            cm_format_date(&d, date);
            cm_page_body *body = page_on(map, date, &cache);
            cm_box b;
            g_assert_true(cm_labeler_box(&b, body->lab, misrata));
            if (run == 0 && f > 0 && memcmp(&b, &first[0], sizeof b) != 0)
                g_error("%s: Misrata's name moved from %.2f,%.2f to %.2f,%.2f", date, first[0].x0,
                        first[0].y0, b.x0, b.y0);
            if (run == 1)
                g_assert_true(memcmp(&b, &first[f], sizeof b) == 0);
            first[f] = b;
            cm_page_body_free(body);
        }
        cm_label_memory_free(cache.memory);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A crowd of labels (fixed seed), some called out, placed on a fresh labeler through `plans`
 * (NULL for none), with a block over the first one's point when `moved`.  Fills boxes (the
 * placed, in order) and returns how many. */
static int place_crowd(cm_label_plans *plans, gboolean moved, cm_box *boxes, int max,
                       int *unknown)
{
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cairo_surface_destroy(rec);
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, 0, 800, 500});
    cm_labeler_set_plans(lab, plans);
    GRand *r = g_rand_new_with_seed(18);
    cm_labeler_block(lab, (cm_box){60, 30, 90, 45});
    if (moved)
        cm_labeler_block(lab, (cm_box){0, 0, 800, 120});
    for (int i = 0; i < 120; i++) {
        char text[32];
        g_snprintf(text, sizeof text, "Place %d", g_rand_int_range(r, 0, 60)); /* some twice */
        cm_label_spec s = point_spec(text, g_rand_double_range(r, 5, 795),
                                     g_rand_double_range(r, 5, 495), i + 1);
        s.priority = g_rand_int_range(r, 10, 60);
        s.callout = i % 7 == 0;
        s.callout_priority = 30;
        cm_labeler_add(lab, &s);
    }
    g_rand_free(r);
    int n = cm_labeler_place(lab);
    g_assert_cmpint(cm_labeler_placed(lab, boxes, max), ==, n);
    *unknown = cm_labeler_unknown_glyphs(lab);
    cm_labeler_destroy(lab);
    cairo_destroy(cr);
    return n;
}

/* A crowd of 3,000 places (some with an Arabic edition, some markers, some without halos,
 * gaps from 0 to 5) in 300 x 200 points of a page with blocks, placed measuring every label and
 * measuring only those placement may place; ids, boxes and glyphs counted. */
static int place_lazy_crowd(gboolean all, int *ids, cm_box *boxes, int max, int *measured)
{
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cairo_surface_destroy(rec);
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, 0, 800, 500});
    cm_labeler_set_measure_all(lab, all);
    GRand *r = g_rand_new_with_seed(2020);
    for (int b = 0; b < 12; b++) {
        double x = g_rand_double_range(r, 0, 280), y = g_rand_double_range(r, 0, 180);
        cm_labeler_block(lab, (cm_box){x, y, x + g_rand_double_range(r, 5, 40),
                                        y + g_rand_double_range(r, 5, 30)});
    }
    for (int i = 0; i < 3000; i++) {
        char text[32];
        g_snprintf(text, sizeof text, "%s %d", i % 3 ? "Bir" : "Qasr", g_rand_int_range(r, 0, 900));
        cm_label_spec s = point_spec(text, g_rand_double_range(r, -5, 305),
                                     g_rand_double_range(r, -5, 205), i + 1);
        s.priority = g_rand_int_range(r, 30, 70);
        s.gap = g_rand_int_range(r, 0, 6);
        s.halo_width = i % 4 ? 1.5 : 0;
        s.marker = i % 11 == 0;
        s.callout = i % 13 == 0;
        s.callout_priority = 40;
        cm_label_spec ar = s;
        ar.text = "\u0628\u0626\u0631 \u0627\u0644\u063a\u0646\u0645";
        if (i % 5 == 0)
            s.editions = &ar, s.n_editions = 1;
        cm_labeler_add(lab, &s);
    }
    g_rand_free(r);
    int n = cm_labeler_place(lab);
    g_assert_cmpint(cm_labeler_placed_labels(lab, ids, boxes, NULL, max), ==, n);
    *measured = cm_labeler_measured(lab);
    cm_labeler_destroy(lab);
    cairo_destroy(cr);
    return n;
}

/* Labels that placement rules out unmeasured (label_place.c: unplaceable) are those that
 * measured could not be placed either: the same places, in the same boxes, and a third of a
 * crowd never shaped. */
static void test_lazy_measure(void)
{
    enum { MAX = 3000 };
    int *ids[2] = {g_new0(int, MAX), g_new0(int, MAX)}, measured[2];
    cm_box *boxes[2] = {g_new0(cm_box, MAX), g_new0(cm_box, MAX)};
    int n = place_lazy_crowd(TRUE, ids[0], boxes[0], MAX, &measured[0]);
    g_assert_cmpint(place_lazy_crowd(FALSE, ids[1], boxes[1], MAX, &measured[1]), ==, n);
    g_assert_cmpint(n, >, 50);
    g_assert_true(memcmp(ids[0], ids[1], sizeof(int) * (size_t)n) == 0);
    g_assert_true(memcmp(boxes[0], boxes[1], sizeof(cm_box) * (size_t)n) == 0);
    g_assert_cmpint(measured[0], ==, 3000);
    g_test_message("measured %d of 3000", measured[1]);
    g_assert_cmpint(measured[1], <, 3000 * 2 / 3);
    for (int k = 0; k < 2; k++)
        g_free(ids[k]), g_free(boxes[k]);
}

/* The bands of a PNG share plans: the second labeler laying out the same labels takes the
 * first's measures and replays its placement, and must end where a search of its own would;
 * one that differs (a block more) is placed afresh, not given the first's positions. */
static void test_plans_replay(void)
{
    enum { MAX = 200 };
    cm_box alone[MAX], first[MAX], replayed[MAX], moved[MAX], moved_alone[MAX];
    int u0, u1, u2, u3, u4;
    cm_label_plans *plans = cm_label_plans_new();
    int n = place_crowd(NULL, FALSE, alone, MAX, &u0);
    g_assert_cmpint(n, >, 10);
    g_assert_cmpint(place_crowd(plans, FALSE, first, MAX, &u1), ==, n);
    g_assert_cmpint(place_crowd(plans, FALSE, replayed, MAX, &u2), ==, n);
    g_assert_true(memcmp(alone, first, sizeof(cm_box) * (size_t)n) == 0);
    g_assert_true(memcmp(alone, replayed, sizeof(cm_box) * (size_t)n) == 0);
    int m = place_crowd(plans, TRUE, moved, MAX, &u3);
    g_assert_cmpint(place_crowd(NULL, TRUE, moved_alone, MAX, &u4), ==, m);
    g_assert_true(memcmp(moved, moved_alone, sizeof(cm_box) * (size_t)m) == 0);
    g_assert_true(m != n || memcmp(moved, alone, sizeof(cm_box) * (size_t)n) != 0);
    g_assert_cmpint(u1, ==, u0);
    g_assert_cmpint(u2, ==, u0);
    g_assert_cmpint(u3, ==, u0);
    cm_label_plans_free(plans);
}

/* The bundled map (en+ar, its detail frame and callouts) drawn as a PNG in six bands on
 * three threads, which share one measure and placement of its labels, is the same file as
 * drawn at once on one. */
static void test_bands_place_once(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = bundled("en+ar", ctx);
    char *dir = scratch_dir(), *data[2];
    gsize len[2];
    for (int k = 0; k < 2; k++) {
        cm_render_options ro;
        cm_render_options_init(&ro);
        ro.dpi = 72;
        ro.threads = k == 0 ? 1 : 3;
        char *path = g_build_filename(dir, k == 0 ? "one.png" : "bands.png", NULL);
        if (cm_map_render_file(map, path, &ro, ctx) != CM_OK)
            g_error("%s: %s", path, cm_ctx_message(ctx));
        g_assert_true(g_file_get_contents(path, &data[k], &len[k], NULL));
        g_free(path);
    }
    g_assert_cmpuint(len[0], ==, len[1]);
    g_assert_true(memcmp(data[0], data[1], len[0]) == 0);
    g_free(data[0]);
    g_free(data[1]);
    rm_rf(dir);
    g_free(dir);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/labels/memory/keeps-position", test_memory_keeps_position);
    g_test_add_func("/labels/grid", test_grid);
    g_test_add_func("/labels/plans-replay", test_plans_replay);
    g_test_add_func("/labels/lazy-measure", test_lazy_measure);
    g_test_add_func("/labels/bands-place-once", test_bands_place_once);
    g_test_add_func("/labels/callout", test_callout);
    g_test_add_func("/labels/not-beside-another", test_not_beside_another);
    g_test_add_func("/labels/places-of-the-day", test_places_of_the_day);
    g_test_add_func("/labels/series-keeps-misrata", test_series_keeps_misrata);
    return g_test_run();
}
