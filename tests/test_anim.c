/* Animations: a series written as an animated WebP, decoded again with libwebp's
 * WebPAnimDecoder: its frames, size and timing, control changing in the frames, the date in
 * the caption band; the command line's options; and bad options. */
#include "conflictmap/conflictmap.h"

#include "map_impl.h"
#include "page.h"
#include "testutil.h"

#include <cairo.h>
#include <math.h>
#include <stdlib.h>
#include <webp/demux.h>

/* An animation decoded: every frame as RGBA and the time each ends, in ms. */
typedef struct {
    int width, height, count, loops;
    guint8 **frames;
    int *ends;
} decoded;

static decoded decode(const char *path)
{
    decoded d = {0};
    char *bytes = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
    WebPData data = {(const uint8_t *)bytes, len};
    WebPAnimDecoderOptions o;
    g_assert_true(WebPAnimDecoderOptionsInit(&o));
    o.color_mode = MODE_RGBA;
    WebPAnimDecoder *dec = WebPAnimDecoderNew(&data, &o);
    g_assert_nonnull(dec);
    WebPAnimInfo info;
    g_assert_true(WebPAnimDecoderGetInfo(dec, &info));
    d.width = (int)info.canvas_width;
    d.height = (int)info.canvas_height;
    d.loops = (int)info.loop_count;
    d.frames = g_new0(guint8 *, info.frame_count + 1);
    d.ends = g_new0(int, info.frame_count + 1);
    size_t size = (size_t)d.width * d.height * 4;
    while (WebPAnimDecoderHasMoreFrames(dec)) {
        uint8_t *buf = NULL;
        int ts = 0;
        g_assert_true(WebPAnimDecoderGetNext(dec, &buf, &ts));
        g_assert_cmpint(d.count, <, (int)info.frame_count);
        d.frames[d.count] = g_memdup2(buf, size);
        d.ends[d.count++] = ts;
    }
    g_assert_cmpint(d.count, ==, (int)info.frame_count);
    WebPAnimDecoderDelete(dec);
    g_free(bytes);
    return d;
}

static void decoded_free(decoded *d)
{
    for (int i = 0; i < d->count; i++)
        g_free(d->frames[i]);
    g_free(d->frames);
    g_free(d->ends);
}

static const guint8 *pixel(const decoded *d, int frame, int x, int y)
{
    g_assert_true(x >= 0 && x < d->width && y >= 0 && y < d->height);
    return d->frames[frame] + ((size_t)y * d->width + x) * 4;
}

/* Pixels that differ between two frames inside rows [y0, y1). */
static int differing(const decoded *d, int a, int b, int y0, int y1)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        n += memcmp(pixel(d, a, 0, y), pixel(d, b, 0, y), (size_t)d->width * 4) != 0 ? 1 : 0;
    return n;
}

/* A frame as a PNG beside the build, for a person to look at. */
static void save_png(const decoded *d, int frame, const char *name)
{
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, d->width, d->height);
    unsigned char *data = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < d->height; y++)
        for (int x = 0; x < d->width; x++) {
            const guint8 *p = pixel(d, frame, x, y);
            *(guint32 *)(data + y * stride + x * 4) = (guint32)p[0] << 16 | (guint32)p[1] << 8 | p[2];
        }
    cairo_surface_mark_dirty(s);
    char *path = g_build_filename(CM_ANIM_OUT, name, NULL);
    g_assert_cmpint(cairo_surface_write_to_png(s, path), ==, CAIRO_STATUS_SUCCESS);
    g_test_message("frame %d written to %s", frame, path);
    g_free(path);
    cairo_surface_destroy(s);
}

/* A controller's fill from the bundled style, as 0-255 channels. */
static void controller_fill(int rgb[3], const char *id)
{
    GKeyFile *kf = g_key_file_new();
    g_assert_true(g_key_file_load_from_file(kf, CM_SOURCE_DIR "/styles/libya.ini", 0, NULL));
    char *group = g_strdup_printf("controller %s", id);
    char *fill = g_key_file_get_string(kf, group, "fill", NULL);
    g_assert_nonnull(fill);
    g_assert_cmpint(sscanf(fill, "#%2x%2x%2x", (unsigned *)&rgb[0], (unsigned *)&rgb[1],
                           (unsigned *)&rgb[2]), ==, 3);
    g_free(fill);
    g_free(group);
    g_key_file_free(kf);
}

/* Tarhuna's place in the gazetteer. */
static void tarhuna(double *lon, double *lat)
{
    char *csv = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/places.csv", &csv, NULL, NULL));
    char *row = strstr(csv, "\ntarhuna,");
    g_assert_nonnull(row);
    char **f = g_strsplit(row + 1, ",", 8);
    *lon = g_ascii_strtod(f[5], NULL);
    *lat = g_ascii_strtod(f[6], NULL);
    g_strfreev(f);
    g_free(csv);
}

/* Who held Tarhuna's point on `date`, as the map answers. */
static char *holder_on(cm_map *map, const char *date, double lon, double lat, cm_ctx *ctx)
{
    g_assert_cmpint(cm_map_set_date(map, date, ctx), ==, CM_OK);
    cm_query_result q;
    g_assert_cmpint(cm_map_query(&q, map, lon, lat, ctx), ==, CM_OK);
    g_assert_nonnull(q.holder);
    return g_strdup(q.holder);
}

static int date_index(char **dates, const char *date)
{
    for (int i = 0; dates[i]; i++)
        if (!strcmp(dates[i], date))
            return i;
    g_assert_not_reached();
}

/* 16 monthly frames from the library: one decoded frame a date (the hold is the last frame's
 * longer duration, not extra frames), the canvas the width asked and the page's height plus
 * a caption band, 500 ms a frame at the default 2 a second and the default 3 s hold. */
static void test_monthly(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    char **dates = NULL;
    int n = 0;
    g_assert_cmpint(cm_series_dates(&dates, &n, "2019-04-01", "2020-07-01", "1m", ctx), ==, CM_OK);
    g_assert_cmpint(n, ==, 16);
    char *dir = scratch_dir(), *path = g_build_filename(dir, "libya.webp", NULL);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.width = 900;
    g_assert_cmpint(cm_map_render_series(map, path, (const char *const *)dates, n, NULL, &ro, ctx),
                    ==, CM_OK);
    decoded d = decode(path);
    g_assert_cmpint(d.count, ==, n);
    g_assert_cmpint(d.loops, ==, 0); /* for ever */
    double pw, ph;
    cm_map_page_size(&pw, &ph, map);
    int page_px = (int)lround(ph * 900 / pw);
    g_assert_cmpint(d.width, ==, 900);
    /* a band under the page, of 4% to 12% of the frame */
    int band = d.height - page_px;
    g_test_message("canvas %d x %d, the page %d px tall, the band %d", d.width, d.height, page_px,
                   band);
    g_assert_cmpint(band, >=, d.height * 4 / 100);
    g_assert_cmpint(band, <=, d.height * 12 / 100);
    for (int i = 0; i < n; i++)
        g_assert_cmpint(d.ends[i], ==, 500 * (i + 1) + (i == n - 1 ? 3000 : 0));
    g_assert_cmpint(d.ends[n - 1], ==, n * 1000 / 2 + 3000);

    /* the caption shows the date: the band differs between any two frames, and dark text
     * is in it; the page above it differs too (its subtitle names the date) */
    for (int i = 0; i + 1 < n; i++) {
        g_assert_cmpint(differing(&d, i, i + 1, page_px + 1, d.height), >, band / 4);
        int dark = 0;
        for (int y = page_px + 1; y < d.height; y++)
            for (int x = 0; x < d.width; x++)
                dark += pixel(&d, i, x, y)[0] < 96;
        g_assert_cmpint(dark, >, 200);
    }

    /* Tarhuna on 1 May 2019 and 1 July 2020: the frame has the colour of the side the map
     * says held it at that point */
    double lon, lat, x, y;
    tarhuna(&lon, &lat);
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, lon, lat, ctx), ==, CM_OK);
    int px = (int)(x * 900 / pw), py = (int)(y * 900 / pw);
    const char *when[] = {"2019-05-01", "2020-07-01"};
    char *held[2];
    for (int k = 0; k < 2; k++) {
        held[k] = holder_on(map, when[k], lon, lat, ctx);
        int want[3];
        controller_fill(want, held[k]);
        const guint8 *p = pixel(&d, date_index(dates, when[k]), px, py);
        g_test_message("Tarhuna (%d, %d) on %s: held by %s, pixel %d %d %d, fill %d %d %d", px,
                       py, when[k], held[k], p[0], p[1], p[2], want[0], want[1], want[2]);
        for (int c = 0; c < 3; c++)
            g_assert_cmpint(abs(p[c] - want[c]), <=, 3);
    }
    g_assert_cmpstr(held[0], !=, held[1]);
    g_free(held[0]), g_free(held[1]);

    /* the provenance, read back as `conflictmap info` does; a cut file says so */
    char **names = NULL, **values = NULL;
    g_assert_cmpint(cm_read_provenance(&names, &values, path, ctx), ==, CM_OK);
    GHashTable *prov = g_hash_table_new(g_str_hash, g_str_equal);
    for (int k = 0; names[k]; k++)
        g_hash_table_insert(prov, names[k], values[k]);
    g_assert_nonnull(strstr(g_hash_table_lookup(prov, "title"), "2019-04-01 to 2020-07-01"));
    g_assert_cmpstr(g_hash_table_lookup(prov, "date"), ==, "2019-04-01");
    g_assert_cmpuint(strlen(g_hash_table_lookup(prov, "data-sha256")), ==, 64);
    g_assert_true(g_str_has_prefix(g_hash_table_lookup(prov, "sources"), "Sources of control"));
    g_hash_table_unref(prov);
    cm_strv_free(names), cm_strv_free(values);
    char *bytes = NULL, *cut = g_build_filename(dir, "cut.webp", NULL);
    gsize len = 0;
    g_assert_true(g_file_get_contents(path, &bytes, &len, NULL));
    g_assert_true(g_file_set_contents(cut, bytes, (gssize)(len / 2), NULL));
    g_assert_cmpint(cm_read_provenance(&names, &values, cut, ctx), ==, CM_EINPUT);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "truncated"));
    g_free(bytes), g_free(cut);

    save_png(&d, 0, "anim-frame-2019-04-01.png");
    save_png(&d, date_index(dates, "2020-01-01"), "anim-frame-2020-01-01.png");
    save_png(&d, n - 1, "anim-frame-2020-07-01.png");
    decoded_free(&d);
    rm_rf(dir);
    g_free(path), g_free(dir);
    cm_strv_free(dates);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The command line: --fps, --hold and --dpi reach the animation, one frame a date; without
 * --dpi the frame is 1600 pixels wide. */
static void test_cli(void)
{
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, NULL), ==, CM_OK);
    double pw, ph;
    cm_map_page_size(&pw, &ph, map);
    cm_map_destroy(map);
    char *dir = scratch_dir(), *path = g_build_filename(dir, "war.webp", NULL);
    const char *argv[] = {CM_CLI, "series", "-q", "--from", "2019-06-01", "--to", "2019-09-01",
                          "--step", "1m", "--fps", "4", "--hold", "1.5", "--dpi", "40", "-o",
                          path, NULL};
    char *err = NULL;
    g_assert_cmpint(spawn(NULL, argv, NULL, &err), ==, 0);
    g_assert_cmpstr(err, ==, "");
    decoded d = decode(path);
    g_assert_cmpint(d.count, ==, 4);
    g_assert_cmpint(d.width, ==, (int)lround(pw * 40 / 72));
    for (int i = 0; i < 4; i++)
        g_assert_cmpint(d.ends[i], ==, 250 * (i + 1) + (i == 3 ? 1500 : 0));
    decoded_free(&d);
    g_free(err);
    /* the same inputs give the same bytes, as every output does */
    char *again = g_build_filename(dir, "again.webp", NULL), *a = NULL, *b = NULL;
    argv[16] = again;
    g_assert_cmpint(spawn(NULL, argv, NULL, NULL), ==, 0);
    gsize alen = 0, blen = 0;
    g_assert_true(g_file_get_contents(path, &a, &alen, NULL));
    g_assert_true(g_file_get_contents(again, &b, &blen, NULL));
    g_assert_cmpmem(a, alen, b, blen);
    g_free(a), g_free(b), g_free(again);

    /* without --dpi, an animation is 1600 pixels wide */
    const char *plain[] = {CM_CLI, "series", "-q", "--from", "2019-06-01", "--to", "2019-07-01",
                           "-o", path, NULL};
    g_assert_cmpint(spawn(NULL, plain, NULL, NULL), ==, 0);
    d = decode(path);
    g_assert_cmpint(d.count, ==, 2);
    g_assert_cmpint(d.width, ==, 1600);
    decoded_free(&d);
    rm_rf(dir);
    g_free(path), g_free(dir);
}

/* Bad options: a one-line message, exit 2, and no file written. */
static void test_bad_options(void)
{
    char *dir = scratch_dir(), *path = g_build_filename(dir, "x.webp", NULL);
    static const struct {
        const char *option, *value, *message;
    } cases[] = {
        {"--fps", "0", "0 frames a second is out of range (0.1 to 50)"},
        {"--fps", "nan", "nan frames a second is out of range"},
        {"--hold", "-1", "a hold of -1 seconds is out of range"},
        {"--dpi", "2000", "is larger than WebP's 16383 a side"},
        {"--grid", "2x2", "an animation cannot hold small multiples"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        const char *argv[] = {CM_CLI, "series", "-q", "--from", "2019-06-01", "--to",
                              "2019-07-01", cases[i].option, cases[i].value, "-o", path, NULL};
        char *err = NULL;
        g_assert_cmpint(spawn(NULL, argv, NULL, &err), ==, 2);
        g_assert_nonnull(strstr(err, cases[i].message));
        g_assert_cmpint(strchr(err, '\n') - err, ==, (int)strlen(err) - 1);
        g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
        g_free(err);
    }
    /* the library's frame width, which the command line sets through --dpi */
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.width = 8;
    const char *dates[] = {"2019-06-01", "2019-07-01"};
    g_assert_cmpint(cm_map_render_series(map, path, dates, 2, NULL, &ro, ctx), ==, CM_EUSAGE);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, "a frame width of 8 pixels is out of range (16 to 16383)");
    ro.width = 0;
    ro.quality = 101;
    g_assert_cmpint(cm_map_render_series(map, path, dates, 2, NULL, &ro, ctx), ==, CM_EUSAGE);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, "WebP quality 101 is out of range (0 to 100, or -1 for lossless)");
    /* a name pattern is for one file a date */
    char *pattern = g_build_filename(dir, "%Y-%m.webp", NULL);
    g_assert_cmpint(cm_map_render_series(map, pattern, dates, 2, NULL, NULL, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "an animation is one file"));
    g_free(pattern);
    GDir *listing = g_dir_open(dir, 0, NULL);
    g_assert_null(g_dir_read_name(listing)); /* nothing written */
    g_dir_close(listing);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    /* render takes none of them, and a .webp needs a series */
    const char *render[] = {CM_CLI, "render", "-q", "-o", path, NULL};
    char *err = NULL;
    g_assert_cmpint(spawn(NULL, render, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "an animation shows a series of dates: use series"));
    g_free(err);
    const char *fps[] = {CM_CLI, "render", "-q", "--fps", "3", "-o", path, NULL};
    g_assert_cmpint(spawn(NULL, fps, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "render does not take --fps"));
    g_free(err);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    rm_rf(dir);
    g_free(path), g_free(dir);
}

/* The legend's box on the page of `date`, laid out for `items`. */
static cm_box legend_box(const cm_map *map, const char *date, GArray *items)
{
    const double *fr = map->frame;
    cm_page_spec spec = {0};
    g_assert_true(cm_parse_date(date, &spec.date));
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(rec);
    cm_page_body *body = g_new0(cm_page_body, 1);
    body->lab = cm_labeler_new(cr, (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]});
    body->furniture = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->symbols = g_array_new(FALSE, FALSE, sizeof(cm_box));
    body->items = items;
    body->details = g_new0(cm_box, (size_t)map->ndetails + 1);
    cm_furniture_plan fp = {0};
    cm_plan_furniture(&fp, cr, map, &spec, body);
    g_test_message("%s: %u items, legend %.1f %.1f %.1f %.1f", date, items->len, fp.legend.x0,
                   fp.legend.y0, fp.legend.x1, fp.legend.y1);
    cm_page_body_free(body);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    return fp.legend;
}

/* Every frame of an animation has the same legend, the union of the frames' (the events
 * each frame numbers after it): on 1 April 2019 (before the front line and the attack on
 * Tripoli) and 1 July 2019 (with them), no events on either, the own legends differ in size,
 * the animation's do not, and its frames' pixels in the legend's box are the same. */
static void test_still_legend(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    const char *dates[] = {"2019-04-01", "2019-07-01"};
    cm_page_spec specs[2] = {0};
    cm_box own[2], fixed[2];
    GArray *series;
    for (int k = 0; k < 2; k++)
        g_assert_true(cm_parse_date(dates[k], &specs[k].date));
    series = cm_legend_items_series(map, specs, 2);
    for (int k = 0; k < 2; k++) {
        cm_control cs = cm_control_on(map, &specs[k]);
        own[k] = legend_box(map, dates[k], cm_legend_items(map, &cs));
        fixed[k] = legend_box(map, dates[k], cm_legend_items_fixed(map, &cs, series));
        cm_control_clear(&cs);
    }
    cm_legend_items_free(series);
    g_assert_cmpfloat(fabs((own[0].y1 - own[0].y0) - (own[1].y1 - own[1].y0)) +
                          fabs((own[0].x1 - own[0].x0) - (own[1].x1 - own[1].x0)), >, 1);
    g_assert_cmpmem(&fixed[0], sizeof fixed[0], &fixed[1], sizeof fixed[1]);

    char *dir = scratch_dir(), *path = g_build_filename(dir, "still.webp", NULL);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.width = 900;
    g_assert_cmpint(cm_map_render_series(map, path, dates, 2, NULL, &ro, ctx), ==, CM_OK);
    decoded d = decode(path);
    double k = 900 / map->page_w;
    int x0 = (int)ceil(fixed[0].x0 * k), x1 = (int)floor(fixed[0].x1 * k);
    int y0 = (int)ceil(fixed[0].y0 * k), y1 = (int)floor(fixed[0].y1 * k), differ = 0;
    for (int y = y0; y < y1; y++)
        differ += memcmp(pixel(&d, 0, x0, y), pixel(&d, 1, x0, y), (size_t)(x1 - x0) * 4) != 0;
    g_test_message("legend rows that differ between the frames: %d of %d", differ, y1 - y0);
    g_assert_cmpint(differ, ==, 0);
    decoded_free(&d);
    rm_rf(dir);
    g_free(path), g_free(dir);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/anim/monthly", test_monthly);
    g_test_add_func("/anim/still-legend", test_still_legend);
    g_test_add_func("/anim/cli", test_cli);
    g_test_add_func("/anim/bad-options", test_bad_options);
    return g_test_run();
}
