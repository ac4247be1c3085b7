/* Editions: every language (en, ar, en+ar) names the same places in the same spots, each in
 * its own words.  The label pass lays each label out as a box that holds its largest
 * edition, so switching language changes the words and never which places are named. */
#include "conflictmap/conflictmap.h"
#include "labels.h"
#include "map_impl.h"
#include "page.h"
#include "testutil.h"

#include <cairo.h>
#include <math.h>
#include <string.h>

#define GEO CM_SOURCE_DIR "/geodata/"

static const char *const langs[] = {"en", "ar", "en+ar", "fr"};

/* What one edition's label pass placed: ids, boxes and texts, in placement order. */
typedef struct {
    int n;
    int *ids;
    cm_box *boxes;
    char **texts;
} placed;

static void placed_clear(placed *p)
{
    g_free(p->ids);
    g_free(p->boxes);
    g_strfreev(p->texts);
    memset(p, 0, sizeof *p);
}

/* Draws the map's page in `lang` on its date and takes what its labeler placed. */
static placed place(cm_map *map, const char *lang)
{
    cm_ctx *ctx = cm_ctx_new();
    if (cm_map_set_lang(map, lang, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    cm_ctx_destroy(ctx);
    cm_page_spec spec = {.date = map->date};
    cm_page_body *body = NULL;
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_draw_page(cr, map, &spec, NULL, &body);
    g_assert_cmpint(cairo_status(cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    placed p = {0};
    p.n = cm_labeler_placed_labels(body->lab, NULL, NULL, NULL, 0);
    p.ids = g_new0(int, (size_t)p.n + 1);
    p.boxes = g_new0(cm_box, (size_t)p.n + 1);
    const char **texts = g_new0(const char *, (size_t)p.n + 1);
    cm_labeler_placed_labels(body->lab, p.ids, p.boxes, texts, p.n);
    p.texts = g_new0(char *, (size_t)p.n + 1);
    for (int i = 0; i < p.n; i++)
        p.texts[i] = g_strdup(texts[i]);
    g_free(texts);
    cm_page_body_free(body);
    return p;
}

static gboolean same_box(const cm_box *a, const cm_box *b)
{
    return fabs(a->x0 - b->x0) < 1e-6 && fabs(a->y0 - b->y0) < 1e-6 && fabs(a->x1 - b->x1) < 1e-6 &&
           fabs(a->y1 - b->y1) < 1e-6;
}

static gint int_cmp(const int *a, const int *b)
{
    return (*a > *b) - (*a < *b);
}

/* The place ids (towns, sites, events) a placement names, sorted, as text. */
static char *place_set(const placed *p)
{
    GArray *ids = g_array_new(FALSE, FALSE, sizeof(int));
    for (int i = 0; i < p->n; i++)
        if (p->ids[i] > 0)
            g_array_append_val(ids, p->ids[i]);
    g_array_sort(ids, (GCompareFunc)int_cmp);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < ids->len; i++)
        g_string_append_printf(s, "%d ", g_array_index(ids, int, i));
    g_array_free(ids, TRUE);
    return g_string_free(s, FALSE);
}

/* en and en+ar placed the same labels (ids: places and events; 0: districts, countries and
 * seas) in the same boxes; the Arabic edition, whose furniture mirrors (the legend and the
 * detail frame change sides), and the French one, whose furniture's words are longer, name
 * the same places, though a district's or country's name beside the moved furniture, or the
 * detail's own name, may move.  On a crowded map the Arabic legend's taller box, which
 * labels keep clear of on both sides, can still take a place beside it (`ar_places` FALSE:
 * the Arabic edition's places are not compared).  Returns how many place labels. */
static int check_same(cm_map *map, const char *what, gboolean ar_places)
{
    placed p[G_N_ELEMENTS(langs)];
    for (size_t l = 0; l < G_N_ELEMENTS(langs); l++)
        p[l] = place(map, langs[l]);
    int towns = 0;
    for (int i = 0; i < p[0].n; i++)
        towns += p[0].ids[i] > 0;
    g_test_message("%s: %d labels placed, %d of them places, in every edition", what, p[0].n,
                   towns);
    for (size_t l = 1; l < G_N_ELEMENTS(langs); l++) {
        if (strcmp(langs[l], "en+ar") != 0) {
            if (!ar_places && strcmp(langs[l], "ar") == 0)
                continue;
            char *a = place_set(&p[l]), *e = place_set(&p[0]);
            if (strcmp(a, e) != 0)
                g_error("%s: places named in %s {%s} and in en {%s} differ", what, langs[l], a,
                        e);
            g_free(a), g_free(e);
            continue;
        }
        if (p[l].n != p[0].n)
            g_error("%s: %d labels in %s, %d in en", what, p[l].n, langs[l], p[0].n);
        for (int i = 0; i < p[0].n; i++)
            if (p[l].ids[i] != p[0].ids[i] || !same_box(&p[l].boxes[i], &p[0].boxes[i]))
                g_error("%s: label %d is \"%s\" (id %d) at %.2f,%.2f in %s, \"%s\" (id %d) at "
                        "%.2f,%.2f in en", what, i, p[l].texts[i], p[l].ids[i], p[l].boxes[i].x0,
                        p[l].boxes[i].y0, langs[l], p[0].texts[i], p[0].ids[i],
                        p[0].boxes[i].x0, p[0].boxes[i].y0);
    }
    for (size_t l = 0; l < G_N_ELEMENTS(langs); l++)
        placed_clear(&p[l]);
    return towns;
}

static void test_default(void)
{
    static const char *const dates[] = {"2019-12-19", "2020-06-06"};
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    for (size_t d = 0; d < G_N_ELEMENTS(dates); d++) {
        g_assert_cmpint(cm_map_set_date(map, dates[d], ctx), ==, CM_OK);
        g_assert_cmpint(check_same(map, dates[d], TRUE), >, 10);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The crowded map of test_cartography: 400 random places over the districts. */
static void test_crowded(void)
{
    char *dir = scratch_dir();
    char *places = NULL, *control = NULL;
    write_crowded_inputs(dir, &places, &control);
    char *text = g_strdup_printf(
        "[map]\ntitle = Test\ndate = 2019-12-19\n"
        "crs = +proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84 +units=m\n"
        "extent = 8.8, 19.2, 25.9, 34.4\npage = A4-landscape\n"
        "styles = " CM_SOURCE_DIR "/styles/default.ini\n"
        "sea-label = Mediterranean Sea\nsea-label-at = 17.6, 33.55\n"
        "sea-label-ar = البحر الأبيض المتوسط\n"
        "[regions]\nfile = " GEO "districts.shp\nkey = key\nname = name_en\nname-ar = name_ar\n"
        "[neighbours]\nfile = " GEO "neighbours.shp\nname = name_en\nname-ar = name_ar\n"
        "[border]\nfile = " GEO "libya.shp\n"
        "[places]\nfile = %s\nkey = key\nname = name_en\nname-ar = name_ar\nkind = kind\n"
        "rank = rank\n[control]\nfile = %s\n",
        places, control);
    g_free(control);
    char *mapfile = write_file(dir, "test.map", text);
    g_free(text);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, mapfile, NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    g_assert_cmpint(check_same(map, "crowded", FALSE), >, 40);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(mapfile);
    g_free(places);
    rm_rf(dir);
    g_free(dir);
}

static gboolean has_script(const char *text, GUnicodeScript script)
{
    for (const char *c = text; *c; c = g_utf8_next_char(c))
        if (g_unichar_get_script(g_utf8_get_char(c)) == script)
            return TRUE;
    return FALSE;
}

/* The text of the placed label that contains `needle`, or NULL. */
static const char *find(const placed *p, const char *needle)
{
    for (int i = 0; i < p->n; i++)
        if (strstr(p->texts[i], needle))
            return p->texts[i];
    return NULL;
}

/* A district's and a town's names are in both scripts with both languages, in Arabic alone
 * with Arabic; so are most area names. */
static void test_both_scripts(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    placed both = place(map, "en+ar"), ar = place(map, "ar");
    static const char *const pairs[][2] = {
        {"Jabal al Gharbi", "الجبل الغربي"}, {"Misrata", "مصراتة"}};
    for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++) {
        const char *t = find(&both, pairs[i][0]);
        if (!t || !strstr(t, pairs[i][1]))
            g_error("en+ar: no label with \"%s\" and \"%s\" (%s)", pairs[i][0], pairs[i][1],
                    t ? t : "none");
        g_assert_true(find(&ar, pairs[i][1]) != NULL);
        g_assert_null(find(&ar, pairs[i][0]));
    }
    /* the seas and the map file's names (the gulf) too: Arabic in Arabic, English over
     * Arabic with both, French in French */
    static const char *const seas[][3] = {{"Mediterranean Sea", "البحر الأبيض المتوسط", "Mer Méditerranée"},
                                          {"Gulf of Sidra", "خليج سرت", "Golfe de Syrte"}};
    placed fr = place(map, "fr");
    for (size_t i = 0; i < G_N_ELEMENTS(seas); i++) {
        const char *t = find(&both, seas[i][0]);
        if (!t || !strstr(t, seas[i][1]))
            g_error("en+ar: no label with \"%s\" and \"%s\" (%s)", seas[i][0], seas[i][1],
                    t ? t : "none");
        g_assert_nonnull(find(&ar, seas[i][1]));
        g_assert_null(find(&ar, seas[i][0]));
        g_assert_nonnull(find(&fr, seas[i][2]));
    }
    placed_clear(&fr);
    /* every area label (id 0) of en+ar has both scripts when its Arabic is known: at least
     * the districts' and the neighbours' */
    int mixed = 0, latin_only = 0;
    for (int i = 0; i < both.n; i++) {
        gboolean latin = has_script(both.texts[i], G_UNICODE_SCRIPT_LATIN);
        gboolean arabic = has_script(both.texts[i], G_UNICODE_SCRIPT_ARABIC);
        mixed += latin && arabic;
        latin_only += both.ids[i] == 0 && latin && !arabic;
    }
    g_test_message("en+ar: %d labels in both scripts, %d area labels in Latin only", mixed,
                   latin_only);
    g_assert_cmpint(mixed, >, 20);
    int arabic = 0;
    for (int i = 0; i < ar.n; i++)
        arabic += ar.ids[i] == 0 && has_script(ar.texts[i], G_UNICODE_SCRIPT_ARABIC) &&
                  !has_script(ar.texts[i], G_UNICODE_SCRIPT_LATIN);
    g_assert_cmpint(arabic, >, 10);
    placed_clear(&both);
    placed_clear(&ar);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The names a detail frame's label pass placed in `lang`, as "id:text" lines, and that each
 * box stays inside the detail's frame. */
static char *detail_names(cm_map *map, const char *lang, int i)
{
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_map_set_lang(map, lang, ctx), ==, CM_OK);
    cm_ctx_destroy(ctx);
    cm_page_spec spec = {.date = map->date};
    cm_page_body *body = NULL;
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_draw_page(cr, map, &spec, NULL, &body);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    const cm_page_body *d = body->detail_bodies[i];
    const double *fr = map->details[i]->frame;
    int n = cm_labeler_placed_labels(d->lab, NULL, NULL, NULL, 0);
    int *ids = g_new0(int, (size_t)n + 1);
    cm_box *boxes = g_new0(cm_box, (size_t)n + 1);
    cm_labeler_placed_labels(d->lab, ids, boxes, NULL, n);
    GString *out = g_string_new(NULL);
    for (int k = 0; k < n; k++) {
        g_assert_cmpfloat(boxes[k].x0, >=, fr[0] - 1e-6);
        g_assert_cmpfloat(boxes[k].x1, <=, fr[0] + fr[2] + 1e-6);
        g_assert_cmpfloat(boxes[k].y0, >=, fr[1] - 1e-6);
        g_assert_cmpfloat(boxes[k].y1, <=, fr[1] + fr[3] + 1e-6);
        if (ids[k] > 0)
            g_string_append_printf(out, "%d ", ids[k]);
    }
    g_free(ids);
    g_free(boxes);
    cm_page_body_free(body);
    return g_string_free(out, FALSE);
}

/* A detail frame names the same places in every edition (its scale bar stands in the same
 * corner in each: mirrored, the Tripoli detail's covered Zuwara in Arabic), every name
 * inside the frame. */
static void test_detail_same_places(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(map->ndetails, >, 0);
    for (int i = 0; i < map->ndetails; i++) {
        char *en = detail_names(map, "en", i);
        g_test_message("detail %d, en: %s", i, en);
        g_assert_cmpint(strlen(en), >, 10);
        for (size_t l = 1; l < G_N_ELEMENTS(langs); l++) {
            char *other = detail_names(map, langs[l], i);
            if (strcmp(en, other) != 0)
                g_error("detail %d: places named in %s {%s} and in en {%s} differ", i, langs[l],
                        other, en);
            g_free(other);
        }
        g_free(en);
    }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Whether pixel row y of the image has ink (a channel darker than the page) from x0 to x1. */
static gboolean row_inked(cairo_surface_t *img, int y, int x0, int x1)
{
    const guint8 *px = cairo_image_surface_get_data(img) + y * cairo_image_surface_get_stride(img);
    for (int x = MAX(0, x0); x < MIN(x1, cairo_image_surface_get_width(img)); x++) {
        guint32 v = ((const guint32 *)px)[x];
        if (((v >> 16) & 0xff) < 160 || ((v >> 8) & 0xff) < 160 || (v & 0xff) < 160)
            return TRUE;
    }
    return FALSE;
}

/* In every edition, of a map and of a change map, the title's letters keep clear of the
 * subtitle's and both stand above the frame: by the lines' ink boxes, and on the pixels of
 * the title drawn alone (a blank pixel row between the lines). */
static void test_title_block(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    const double scale = 4; /* pixels a point */
    for (size_t l = 0; l < G_N_ELEMENTS(langs); l++)
        for (int diff = 0; diff < 2; diff++) {
            g_assert_cmpint(cm_map_set_lang(map, langs[l], ctx), ==, CM_OK);
            cm_page_spec spec = {.date = map->date, .diff = diff};
            g_date_clear(&spec.from, 1);
            g_date_set_dmy(&spec.from, 1, G_DATE_APRIL, 2019);
            int w = (int)(map->page_w * scale), h = (int)(map->frame[1] * scale) + 1;
            cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
            cairo_t *cr = cairo_create(img);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_paint(cr);
            cairo_scale(cr, scale, scale);
            cm_box ink[2];
            cm_draw_title(cr, map, &spec, ink);
            g_assert_cmpint(cairo_status(cr), ==, CAIRO_STATUS_SUCCESS);
            cairo_destroy(cr);
            cairo_surface_flush(img);
            g_test_message("%s%s: title ink %.1f-%.1f, subtitle %.1f-%.1f, frame at %.1f",
                           langs[l], diff ? " (changes)" : "", ink[0].y0, ink[0].y1, ink[1].y0,
                           ink[1].y1, map->frame[1]);
            g_assert_cmpfloat(ink[0].y1, >, ink[0].y0);
            g_assert_cmpfloat(ink[1].y1, >, ink[1].y0);
            g_assert_cmpfloat(ink[0].y0, >=, 0);
            g_assert_cmpfloat(ink[0].y1, <, ink[1].y0);
            g_assert_cmpfloat(ink[1].y1, <=, map->frame[1]);
            /* the pixels: from the title's top to the subtitle's bottom, one row at least
             * without ink where the two lines overlap across the page */
            int x0 = (int)(MAX(ink[0].x0, ink[1].x0) * scale), x1 = (int)(MIN(ink[0].x1, ink[1].x1) * scale);
            int first = -1, last = -1, gap = 0;
            for (int y = 0; y < h; y++)
                if (row_inked(img, y, x0, x1)) {
                    if (first >= 0 && y > last + 1)
                        gap++;
                    if (first < 0)
                        first = y;
                    last = y;
                }
            g_assert_cmpint(first, >=, 0);
            g_assert_cmpint(gap, >=, 1);
            cairo_surface_destroy(img);
        }
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/editions/same-places/default", test_default);
    g_test_add_func("/editions/same-places/crowded", test_crowded);
    g_test_add_func("/editions/both-scripts", test_both_scripts);
    g_test_add_func("/editions/title-block", test_title_block);
    g_test_add_func("/editions/same-places/detail", test_detail_same_places);
    return g_test_run();
}
