/* Reference images: the bundled map at 72 dpi on a few dates, and in Arabic once, against
 * PNGs under tests/ref/ that a human has looked at.  The other render tests check what can
 * be checked by rule (colours in districts, labels apart, fonts embedded); these catch what
 * no rule names: a legend drawn off the page, a layer gone, a hatch at the wrong angle.
 *
 * Tolerance: a pixel differs when any channel is more than DIFF_THRESHOLD apart, and an
 * image fails when more than DIFF_FRACTION of its pixels differ.  Antialiasing and another
 * build of cairo or FreeType move edges by a level or two; a district in another colour is
 * thousands of pixels (measured: 10 April drawn as 19 December, 15 431; the Arabic map's
 * labels in English, 6 693).  Small changes pass: the title's date a day off is 35 pixels,
 * and one label moved would be of that order; the PDF tests check the text.  On failure the
 * actual image and a diff (differing pixels red over a faded reference) are written under
 * the build's tests/ref-failures/ and their paths printed.
 *
 * CM_UPDATE_REFERENCES=1 writes the references instead of comparing: run
 * scripts/update-references.sh, look at the images, commit them. */
#include "conflictmap/conflictmap.h"
#include "testutil.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#define DIFF_THRESHOLD 48  /* of 255, in any of R, G, B */
#define DIFF_FRACTION 0.005 /* of the image's pixels */
#define REF_DPI 72

typedef struct {
    const char *name; /* tests/ref/NAME.png */
    const char *date;
    const char *lang; /* NULL: the style's (English above Arabic) */
} ref_case;

static const ref_case cases[] = {
    {"2019-04-10", "2019-04-10", NULL}, /* the LNA's offensive on Tripoli, a week in */
    {"2019-12-19", "2019-12-19", NULL}, /* the map's own date: Tripoli besieged */
    {"2020-06-10", "2020-06-10", NULL}, /* after the GNA's counter-offensive */
    {"2019-12-19-ar", "2019-12-19", "ar"},
};

static gboolean updating(void)
{
    const char *v = g_getenv("CM_UPDATE_REFERENCES");
    return v && *v && strcmp(v, "0") != 0;
}

/* Renders a case to `path` as the library's callers would: load, date, language, file. */
static void render_case(const ref_case *c, const char *path)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, cm_default_map_path(), NULL, ctx) != CM_OK)
        g_error("%s: %s", cm_default_map_path(), cm_ctx_message(ctx));
    g_assert_cmpint(cm_map_set_date(map, c->date, ctx), ==, CM_OK);
    if (c->lang)
        g_assert_cmpint(cm_map_set_lang(map, c->lang, ctx), ==, CM_OK);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = REF_DPI;
    ro.png_compression = 9; /* the references live in git: small; pixels are the same */
    if (cm_map_render_file(map, path, &ro, ctx) != CM_OK)
        g_error("%s: %s", path, cm_ctx_message(ctx));
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

static cairo_surface_t *load_png(const char *path)
{
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        g_error("%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_flush(s);
    return s;
}

/* Pixel (x, y) of an RGB24 or ARGB32 image, as 0xRRGGBB. */
static guint32 pixel(cairo_surface_t *s, int x, int y)
{
    const guint8 *d = cairo_image_surface_get_data(s);
    return *(const guint32 *)(d + y * cairo_image_surface_get_stride(s) + 4 * x) & 0xffffff;
}

static int channel_delta(guint32 a, guint32 b)
{
    int d = 0;
    for (int shift = 0; shift <= 16; shift += 8)
        d = MAX(d, abs((int)((a >> shift) & 0xff) - (int)((b >> shift) & 0xff)));
    return d;
}

/* Counts differing pixels of two images of one size; with `diff`, paints them red on it and
 * the others as the reference faded three quarters of the way to white. */
static long count_differing(cairo_surface_t *want, cairo_surface_t *got, cairo_surface_t *diff)
{
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    guint8 *out = diff ? cairo_image_surface_get_data(diff) : NULL;
    int stride = diff ? cairo_image_surface_get_stride(diff) : 0;
    long n = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            guint32 a = pixel(want, x, y), b = pixel(got, x, y);
            gboolean differs = channel_delta(a, b) > DIFF_THRESHOLD;
            n += differs;
            if (!out)
                continue;
            guint32 v = 0xff0000;
            if (!differs) {
                v = 0;
                for (int shift = 0; shift <= 16; shift += 8)
                    v |= (guint32)(191 + ((a >> shift) & 0xff) / 4) << shift;
            }
            *(guint32 *)(out + y * stride + 4 * x) = v;
        }
    if (diff)
        cairo_surface_mark_dirty(diff);
    return n;
}

/* Keeps the actual image and a diff beside the build for a human, and names them. */
static void keep_failure(const char *name, const char *actual, cairo_surface_t *want,
                         cairo_surface_t *got)
{
    char *dir = g_build_filename(CM_REF_OUT, "ref-failures", NULL);
    g_assert_cmpint(g_mkdir_with_parents(dir, 0755), ==, 0);
    char *kept = g_strdup_printf("%s/%s.actual.png", dir, name);
    copy_file(actual, kept);
    g_printerr("# actual image: %s\n", kept);
    if (want && got) {
        char *diff_path = g_strdup_printf("%s/%s.diff.png", dir, name);
        cairo_surface_t *diff = cairo_image_surface_create(
            CAIRO_FORMAT_RGB24, cairo_image_surface_get_width(want),
            cairo_image_surface_get_height(want));
        count_differing(want, got, diff);
        g_assert_cmpint(cairo_surface_write_to_png(diff, diff_path), ==, CAIRO_STATUS_SUCCESS);
        g_printerr("# diff (red: differs): %s\n", diff_path);
        cairo_surface_destroy(diff);
        g_free(diff_path);
    }
    g_free(kept);
    g_free(dir);
}

/* Compares the rendered `actual` with the reference `ref`; FALSE, with the reason in *why
 * and the images kept for a human, when it is not the same picture. */
static gboolean same_picture(const ref_case *c, const char *actual, const char *ref, char **why)
{
    if (!g_file_test(ref, G_FILE_TEST_IS_REGULAR)) {
        keep_failure(c->name, actual, NULL, NULL);
        *why = g_strdup_printf("no reference %s: run scripts/update-references.sh and look at it",
                               ref);
        return FALSE;
    }
    cairo_surface_t *want = load_png(ref), *got = load_png(actual);
    int w = cairo_image_surface_get_width(want), h = cairo_image_surface_get_height(want);
    int gw = cairo_image_surface_get_width(got), gh = cairo_image_surface_get_height(got);
    gboolean same = FALSE;
    if (w != gw || h != gh) {
        keep_failure(c->name, actual, NULL, NULL);
        *why = g_strdup_printf("%s: %d x %d px, the reference %d x %d", c->name, gw, gh, w, h);
        goto cleanup;
    }
    long differ = count_differing(want, got, NULL), allowed = (long)(DIFF_FRACTION * w * h);
    g_test_message("%s: %ld of %d x %d pixels differ by more than %d (at most %ld may)", c->name,
                   differ, w, h, DIFF_THRESHOLD, allowed);
    if (differ > allowed) {
        keep_failure(c->name, actual, want, got);
        *why = g_strdup_printf("%s: %ld pixels differ from %s, more than %ld", c->name, differ,
                               ref, allowed);
        goto cleanup;
    }
    same = TRUE;
cleanup:
    cairo_surface_destroy(want);
    cairo_surface_destroy(got);
    return same;
}

static void test_reference(gconstpointer data)
{
    const ref_case *c = data;
    char *ref = g_strdup_printf("%s/tests/ref/%s.png", CM_SOURCE_DIR, c->name);
    char *dir = scratch_dir();
    char *actual = g_strdup_printf("%s/%s.png", dir, c->name), *why = NULL;
    render_case(c, actual);
    if (updating()) {
        copy_file(actual, ref);
        g_test_message("wrote %s", ref);
    } else if (!same_picture(c, actual, ref, &why)) {
        /* not fatal: the other cases still run and keep their images */
        g_test_fail_printf("%s", why);
    }
    rm_rf(dir);
    g_free(dir);
    g_free(why);
    g_free(actual);
    g_free(ref);
}

int main(int argc, char **argv)
{
    /* every case runs and keeps its images, even after one has failed */
    char **args = g_new0(char *, argc + 2);
    memcpy(args, argv, sizeof *argv * (size_t)argc);
    args[argc++] = "--keep-going";
    argv = args;
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_strdup_printf("/reference/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], test_reference);
        g_free(path);
    }
    int rc = g_test_run();
    g_free(args);
    return rc;
}
