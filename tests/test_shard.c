/* series --shard K/N: frames K, K+N, ... of a series, each file byte-identical to the whole
 * series' (labels kept from frame to frame included: the frames between are laid out). */
#include "conflictmap/conflictmap.h"
#include "testutil.h"

#include <string.h>

#define GEO CM_SOURCE_DIR "/geodata/"

/* The bundled map: over 2019-20 its labels move as control changes (places of the day), so
 * that a frame's labels depend on the frames before it (test_timeline). */
static cm_map *bundled_map(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    if (cm_map_load(&map, GEO "libya.map", NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    cm_ctx_destroy(ctx);
    return map;
}

static char **month_dates(int *n)
{
    cm_ctx *ctx = cm_ctx_new();
    char **dates = NULL;
    g_assert_cmpint(cm_series_dates(&dates, n, "2019-06-01", "2020-06-01", "1m", ctx), ==, CM_OK);
    cm_ctx_destroy(ctx);
    return dates;
}

static cm_status series_on(cm_map *map, const char *dir, char **dates, int n, int k, int shards,
                           gboolean keep, int threads)
{
    cm_render_options o;
    cm_render_options_init(&o);
    o.dpi = 30;
    o.keep_labels = keep;
    o.shard_index = k;
    o.shard_count = shards;
    o.threads = threads;
    char *pattern = g_build_filename(dir, "%Y-%m-%d.png", NULL);
    cm_ctx *ctx = cm_ctx_new();
    cm_status st = cm_map_render_series(map, pattern, (const char *const *)dates, n, NULL, &o, ctx);
    cm_ctx_destroy(ctx);
    g_free(pattern);
    return st;
}

static cm_status series(cm_map *map, const char *dir, char **dates, int n, int k, int shards,
                        gboolean keep)
{
    return series_on(map, dir, dates, n, k, shards, keep, 1);
}

/* A frame's bytes as base64 (so that strcmp compares them whole), or NULL when not written. */
static char *frame(const char *dir, const char *date)
{
    char *name = g_strdup_printf("%s.png", date), *path = g_build_filename(dir, name, NULL);
    char *bytes = NULL, *text = NULL;
    gsize len = 0;
    if (g_file_get_contents(path, &bytes, &len, NULL))
        text = g_base64_encode((const guchar *)bytes, len);
    g_free(bytes);
    g_free(name);
    g_free(path);
    return text;
}

static void test_union_is_whole(void)
{
    char *dir = scratch_dir();
    cm_map *map = bundled_map();
    int n = 0;
    char **dates = month_dates(&n);
    char *whole = g_build_filename(dir, "whole", NULL), *parts = g_build_filename(dir, "parts", NULL),
         *alone = g_build_filename(dir, "alone", NULL);
    g_mkdir(whole, 0755), g_mkdir(parts, 0755), g_mkdir(alone, 0755);
    g_assert_cmpint(series(map, whole, dates, n, 0, 1, TRUE), ==, CM_OK);
    g_assert_cmpint(series(map, alone, dates, n, 0, 1, FALSE), ==, CM_OK);
    for (int k = 0; k < 3; k++) {
        /* each shard writes its own frames and no other */
        char *own = g_build_filename(dir, "own", NULL);
        g_mkdir(own, 0755);
        g_assert_cmpint(series(map, own, dates, n, k, 3, TRUE), ==, CM_OK);
        g_assert_cmpint(series(map, parts, dates, n, k, 3, TRUE), ==, CM_OK);
        for (int i = 0; i < n; i++) {
            char *f = frame(own, dates[i]);
            g_assert_true((f != NULL) == (i % 3 == k));
            g_free(f);
        }
        rm_rf(own);
        g_free(own);
    }
    int moved = 0;
    for (int i = 0; i < n; i++) {
        char *a = frame(whole, dates[i]), *b = frame(parts, dates[i]), *c = frame(alone, dates[i]);
        g_assert_nonnull(a);
        g_assert_nonnull(b);
        if (strcmp(a, b) != 0) /* not g_assert_cmpstr: the frames' base64 is long */
            g_error("%s: the shard's frame is not the whole series' frame", dates[i]);
        moved += strcmp(a, c) != 0;
        g_free(a), g_free(b), g_free(c);
    }
    /* the memory matters on this map: some frame's labels are where earlier frames put them,
     * not where a frame alone would (else the shards' layout of the frames between would go
     * untested) */
    g_assert_cmpint(moved, >, 0);
    cm_strv_free(dates);
    cm_map_destroy(map);
    rm_rf(dir);
    g_free(whole), g_free(parts), g_free(alone), g_free(dir);
}

/* Frames drawn on several threads, a frame a thread, are the frames drawn one after another:
 * labels kept from frame to frame included (placed in frame order), whole and by shard. */
static void test_threads_are_sequential(void)
{
    char *dir = scratch_dir();
    cm_map *map = bundled_map();
    int n = 0;
    char **dates = month_dates(&n);
    const char *runs[] = {"one", "three", "shards", "alone"};
    char *d[4];
    for (int r = 0; r < 4; r++)
        d[r] = g_build_filename(dir, runs[r], NULL), g_mkdir(d[r], 0755);
    g_assert_cmpint(series_on(map, d[0], dates, n, 0, 1, TRUE, 1), ==, CM_OK);
    g_assert_cmpint(series_on(map, d[1], dates, n, 0, 1, TRUE, 3), ==, CM_OK);
    for (int k = 0; k < 2; k++)
        g_assert_cmpint(series_on(map, d[2], dates, n, k, 2, TRUE, 2), ==, CM_OK);
    g_assert_cmpint(series_on(map, d[3], dates, n, 0, 1, FALSE, 2), ==, CM_OK);
    int moved = 0;
    for (int i = 0; i < n; i++) {
        char *f[4];
        for (int r = 0; r < 4; r++)
        {
            f[r] = frame(d[r], dates[i]);
            g_assert_nonnull(f[r]);
        }
        for (int r = 1; r < 3; r++)
            if (strcmp(f[0], f[r]) != 0)
                g_error("%s: the frame drawn on threads (%s) is not the one drawn in order", dates[i],
                        runs[r]);
        moved += strcmp(f[0], f[3]) != 0;
        for (int r = 0; r < 4; r++)
            g_free(f[r]);
    }
    g_assert_cmpint(moved, >, 0); /* the memory mattered (see test_union_is_whole) */
    for (int r = 0; r < 4; r++)
        g_free(d[r]);
    cm_strv_free(dates);
    cm_map_destroy(map);
    rm_rf(dir);
    g_free(dir);
}

static void test_bad_shards(void)
{
    char *dir = scratch_dir();
    cm_map *map = bundled_map();
    int n = 0;
    char **dates = month_dates(&n);
    g_assert_cmpint(series(map, dir, dates, n, 3, 3, TRUE), ==, CM_EUSAGE);
    g_assert_cmpint(series(map, dir, dates, n, -1, 3, TRUE), ==, CM_EUSAGE);
    cm_render_options o;
    cm_render_options_init(&o);
    o.shard_count = 2;
    cm_ctx *ctx = cm_ctx_new();
    char *pdf = g_build_filename(dir, "all.pdf", NULL);
    g_assert_cmpint(cm_map_render_series(map, pdf, (const char *const *)dates, n, NULL, &o, ctx),
                    ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "pattern"));
    g_assert_false(g_file_test(pdf, G_FILE_TEST_EXISTS));
    cm_ctx_destroy(ctx);
    g_free(pdf);
    cm_strv_free(dates);
    cm_map_destroy(map);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/shard/union-is-whole", test_union_is_whole);
    g_test_add_func("/shard/threads", test_threads_are_sequential);
    g_test_add_func("/shard/bad", test_bad_shards);
    return g_test_run();
}
