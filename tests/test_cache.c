/* The load cache: a map from the cache draws exactly as one read through GDAL; any change to
 * any input is a miss; a damaged entry is a miss, not a failure; warnings are said again;
 * "off" stores nothing; old entries are pruned; a hit needs no data module. */
#include "conflictmap/conflictmap.h"
#include "map_impl.h"
#include "render_stats.h"
#include "testutil.h"

#include <string.h>
#include <utime.h>

#define GEO CM_SOURCE_DIR "/geodata/"

static int count_entries(const char *dir)
{
    int n = 0;
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d)))
        n += g_str_has_suffix(name, ".cmc");
    if (d)
        g_dir_close(d);
    return n;
}

/* Entry name -> inode: an entry written again is a new file. */
static GHashTable *entry_inodes(const char *dir)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        GStatBuf sb;
        if (g_str_has_suffix(name, ".cmc") && g_stat(p, &sb) == 0)
            g_hash_table_insert(t, g_strdup(name), GSIZE_TO_POINTER((gsize)sb.st_ino));
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    return t;
}

static cm_map *load(const char *path, gboolean no_cache, cm_ctx *ctx)
{
    cm_map_options mo;
    cm_map_options_init(&mo);
    (void)no_cache;
    cm_map *map = NULL;
    if (cm_map_load(&map, path, &mo, ctx) != CM_OK)
        g_error("%s: %s", path, cm_ctx_message(ctx));
    return map;
}

static GBytes *render(cm_map *map, const char *dir, const char *name)
{
    char *out = g_build_filename(dir, name, NULL);
    cm_ctx *ctx = cm_ctx_new();
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = 60;
    g_assert_cmpint(cm_map_render_file(map, out, &ro, ctx), ==, CM_OK);
    char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(out, &data, &len, NULL));
    cm_ctx_destroy(ctx);
    g_free(out);
    return g_bytes_new_take(data, len);
}

/* The bundled map, read afresh and from the cache: the same PNG and PDF bytes, the same
 * labels in the same places, scale and north. */
static void test_same_map(void)
{
    char *dir = scratch_dir(), *cache = g_build_filename(dir, "cache", NULL);
    g_setenv("CONFLICTMAP_CACHE", cache, TRUE);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *fresh = load(cm_default_map_path(), TRUE, ctx);
    g_assert_cmpint(count_entries(cache), ==, 0); /* no_cache stores nothing */
    cm_map *miss = load(cm_default_map_path(), FALSE, ctx);
    g_assert_cmpint(count_entries(cache), ==, 2); /* the geography and the time data */
    cm_map *hit = load(cm_default_map_path(), FALSE, ctx);
    g_assert_cmpint(count_entries(cache), ==, 2);
    /* a miss projects through PROJ; a hit has no projection until a caller asks */
    g_assert_nonnull(miss->proj);
    g_assert_null(hit->proj);
    cm_map *maps[] = {fresh, miss, hit};
    GBytes *png[3], *pdf[3];
    cm_render_stats st[3];
    for (int i = 0; i < 3; i++) {
        png[i] = render(maps[i], dir, "m.png");
        pdf[i] = render(maps[i], dir, "m.pdf");
        g_assert_cmpint(cm_map_render_stats(maps[i], &st[i], ctx), ==, CM_OK);
    }
    for (int i = 1; i < 3; i++) {
        g_assert_true(g_bytes_equal(png[0], png[i]));
        g_assert_true(g_bytes_equal(pdf[0], pdf[i]));
        g_assert_cmpint(st[i].nlabels, ==, st[0].nlabels);
        g_assert_cmpmem(st[i].labels, sizeof(cm_box) * (size_t)st[i].nlabels, st[0].labels,
                        sizeof(cm_box) * (size_t)st[0].nlabels);
        g_assert_cmpfloat(st[i].metres_per_pt, ==, st[0].metres_per_pt);
        g_assert_cmpfloat(st[i].north_angle, ==, st[0].north_angle);
    }
    /* the projection, for callers, is made on demand for a map from the cache */
    double x0, y0, x1, y1;
    g_assert_cmpint(cm_map_lonlat_to_page(fresh, 13.19, 32.89, &x0, &y0), ==, 0);
    g_assert_cmpint(cm_map_lonlat_to_page(hit, 13.19, 32.89, &x1, &y1), ==, 0);
    g_assert_cmpfloat(x0, ==, x1);
    g_assert_cmpfloat(y0, ==, y1);
    for (int i = 0; i < 3; i++) {
        g_bytes_unref(png[i]);
        g_bytes_unref(pdf[i]);
        cm_render_stats_clear(&st[i]);
        cm_map_destroy(maps[i]);
    }
    cm_ctx_destroy(ctx);
    g_unsetenv("CONFLICTMAP_CACHE");
    rm_rf(dir);
    g_free(cache);
    g_free(dir);
}

/* A small map in dir: the districts without their .prj (a warning on every load), the
 * bundled places and a copy of the ledger. */
static char *small_map(const char *dir)
{
    static const char *const ext[] = {"shp", "shx", "dbf", "cpg"};
    for (size_t i = 0; i < G_N_ELEMENTS(ext); i++) {
        char *from = g_strdup_printf(GEO "districts.%s", ext[i]);
        char *to = g_strdup_printf("%s/d.%s", dir, ext[i]);
        copy_file(from, to);
        g_free(from);
        g_free(to);
    }
    char *ledger = g_build_filename(dir, "control.csv", NULL);
    copy_file(GEO "control.csv", ledger);
    g_free(ledger);
    return write_file(dir, "small.map",
                      "[map]\ndate = 2019-12-19\n"
                      "crs = +proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84\n"
                      "extent = 8.8, 19.2, 25.9, 34.4\nstyles = " CM_SOURCE_DIR "/styles/default.ini\n"
                      "[regions]\nfile = d.shp\nkey = key\nname = name_en\n"
                      "[places]\nfile = " GEO "places.csv\nkey = key\nname = name_en\n"
                      "name-ar = name_ar\nkind = kind\nrank = rank\n"
                      "[control]\nfile = control.csv\n");
}

/* Who holds `region` on the map's date. */
static const char *holder(const cm_map *map, const char *region)
{
    const cm_ledger_row *r = cm_ledger_state(map->ledger, region, &map->date);
    return r ? r->controller : "";
}

static int count_warnings(cm_ctx *ctx, const char *text)
{
    size_t n = 0;
    int found = 0;
    const char *const *w = cm_ctx_warnings(ctx, &n);
    for (size_t i = 0; i < n; i++)
        found += strstr(w[i], text) != NULL;
    return found;
}

/* Warnings from reading are said on a hit too; editing the ledger (same size, one word) is
 * a miss and the map shows the edit; a damaged entry is a miss and is written again. */
static void test_invalidation(void)
{
    char *dir = scratch_dir(), *cache = g_build_filename(dir, "cache", NULL);
    g_setenv("CONFLICTMAP_CACHE", cache, TRUE);
    char *path = small_map(dir);
    for (int round = 0; round < 2; round++) {
        cm_ctx *ctx = cm_ctx_new();
        cm_map *map = load(path, FALSE, ctx);
        g_assert_cmpint(count_warnings(ctx, "no coordinate reference system"), ==, 1);
        g_assert_cmpint(count_entries(cache), ==, 2);
        g_assert_true((map->proj == NULL) == (round == 1)); /* a miss, then a hit */
        g_assert_cmpstr(holder(map, "sirte"), ==, "GNA");
        cm_map_destroy(map);
        cm_ctx_destroy(ctx);
    }

    /* Sirte was the GNA's on 2019-12-19: make the ledger say LNA, in as many bytes */
    char *ledger = g_build_filename(dir, "control.csv", NULL), *text = NULL;
    g_assert_true(g_file_get_contents(ledger, &text, NULL, NULL));
    char *row = strstr(text, ",sirte,GNA,");
    g_assert_nonnull(row);
    memcpy(row + 7, "LNA", 3);
    g_assert_true(g_file_set_contents(ledger, text, -1, NULL));
    g_free(text);
    cm_ctx *ctx = cm_ctx_new();
    GHashTable *was = entry_inodes(cache);
    gint64 t0 = g_get_monotonic_time();
    cm_map *map = load(path, FALSE, ctx);
    /* the time data is read again; the geography, whose warning is said again, is not */
    g_assert_cmpint(count_entries(cache), ==, 3);
    g_assert_cmpint(count_warnings(ctx, "no coordinate reference system"), ==, 1);
    g_assert_nonnull(map->proj);
    g_assert_nonnull(map->regions.anchor);
    g_test_message("ledger edited: loaded in %.1f ms", (g_get_monotonic_time() - t0) / 1000.0);
    GHashTable *now = entry_inodes(cache);
    GHashTableIter it;
    gpointer entry, inode;
    g_hash_table_iter_init(&it, was);
    while (g_hash_table_iter_next(&it, &entry, &inode)) /* neither entry was written again */
        g_assert_true(g_hash_table_lookup(now, entry) == inode);
    g_hash_table_unref(was);
    g_hash_table_unref(now);
    g_assert_cmpstr(holder(map, "sirte"), ==, "LNA");
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);

    /* damage every entry: flip a byte in the middle of some, cut others short */
    GDir *d = g_dir_open(cache, 0, NULL);
    const char *name;
    int k = 0;
    while ((name = g_dir_read_name(d))) {
        char *p = g_build_filename(cache, name, NULL), *data = NULL;
        gsize len = 0;
        g_assert_true(g_file_get_contents(p, &data, &len, NULL));
        if (k++ % 2)
            data[len / 2] ^= 0x5a;
        else
            len = len / 3;
        g_assert_true(g_file_set_contents(p, data, (gssize)len, NULL));
        g_free(data);
        g_free(p);
    }
    g_dir_close(d);
    for (int round = 0; round < 2; round++) {
        ctx = cm_ctx_new();
        map = load(path, FALSE, ctx);
        g_assert_cmpint(count_warnings(ctx, "no coordinate reference system"), ==, 1);
        g_assert_true((map->proj == NULL) == (round == 1)); /* damaged: a miss, rewritten */
        g_assert_cmpstr(holder(map, "sirte"), ==, "LNA");
        cm_map_destroy(map);
        cm_ctx_destroy(ctx);
    }
    g_unsetenv("CONFLICTMAP_CACHE");
    rm_rf(dir);
    g_free(ledger);
    g_free(path);
    g_free(cache);
    g_free(dir);
}

/* CONFLICTMAP_CACHE=off stores nothing; beyond 32 entries the least recently used go; a
 * cache folder that cannot be made is no error. */
static void test_off_and_prune(void)
{
    char *dir = scratch_dir(), *cache = g_build_filename(dir, "cache", NULL);
    g_setenv("CONFLICTMAP_CACHE", "off", TRUE);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(cm_default_map_path(), FALSE, ctx);
    cm_map_destroy(map);
    g_assert_false(g_file_test(cache, G_FILE_TEST_EXISTS));
    /* 40 stale entries, old and older */
    g_setenv("CONFLICTMAP_CACHE", cache, TRUE);
    g_assert_cmpint(g_mkdir_with_parents(cache, 0700), ==, 0);
    for (int i = 0; i < 40; i++) {
        char *name = g_strdup_printf("%064d.cmc", i);
        char *p = write_file(cache, name, "stale");
        struct utimbuf t = {1000000 + i, 1000000 + i};
        g_assert_cmpint(utime(p, &t), ==, 0);
        g_free(p);
        g_free(name);
    }
    map = load(cm_default_map_path(), FALSE, ctx);
    cm_map_destroy(map);
    g_assert_cmpint(count_entries(cache), ==, 32);
    /* a cache that cannot be written (a file where the folder would be) only costs time */
    char *file = write_file(dir, "not-a-folder", "x");
    g_setenv("CONFLICTMAP_CACHE", file, TRUE);
    map = load(cm_default_map_path(), FALSE, ctx);
    g_assert_null(cm_ctx_message(ctx)[0] ? cm_ctx_message(ctx) : NULL);
    cm_map_destroy(map);
    g_free(file);
    /* the newest survive: the two fresh entries and the 30 youngest stale ones */
    char *oldest = g_strdup_printf("%s/%064d.cmc", cache, 9), *kept = g_strdup_printf("%s/%064d.cmc", cache, 10);
    g_assert_false(g_file_test(oldest, G_FILE_TEST_EXISTS));
    g_assert_true(g_file_test(kept, G_FILE_TEST_EXISTS));
    g_free(oldest);
    g_free(kept);
    cm_ctx_destroy(ctx);
    g_unsetenv("CONFLICTMAP_CACHE");
    rm_rf(dir);
    g_free(cache);
    g_free(dir);
}

/* The command line: a hit needs no data module at all (CONFLICTMAP_IO names a missing one);
 * a miss without one fails, saying so, and writes nothing. */
static void test_cli_without_module(void)
{
    char *dir = scratch_dir(), *cache = g_build_filename(dir, "cache", NULL);
    char *out = g_build_filename(dir, "m.png", NULL), *err = NULL;
    const char *argv[] = {CM_CLI, "render", "--dpi", "20", "-o", out, NULL};
    char **env = g_environ_setenv(g_get_environ(), "CONFLICTMAP_CACHE", cache, TRUE);
    env = g_environ_setenv(env, "CONFLICTMAP_IO", "/nonexistent/conflictmap-io.so", TRUE);
    int status = 0;
    /* cold cache, no module: a clear failure and no output */
    g_assert_true(g_spawn_sync(NULL, (char **)argv, env, 0, NULL, NULL, NULL, &err, &status, NULL));
    g_assert_cmpint(WEXITSTATUS(status), ==, 1);
    g_assert_nonnull(strstr(err, "cannot load the data reader"));
    g_assert_false(g_file_test(out, G_FILE_TEST_EXISTS));
    g_free(err);
    /* fill the cache with the module, then render without it */
    char **with = g_environ_unsetenv(g_strdupv(env), "CONFLICTMAP_IO");
    g_assert_true(g_spawn_sync(NULL, (char **)argv, with, 0, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_unlink(out);
    g_assert_true(g_spawn_sync(NULL, (char **)argv, env, 0, NULL, NULL, NULL, &err, &status, NULL));
    g_assert_cmpint(WEXITSTATUS(status), ==, 0);
    g_assert_true(g_file_test(out, G_FILE_TEST_IS_REGULAR));
    g_free(err);
    g_strfreev(with);
    g_strfreev(env);
    rm_rf(dir);
    g_free(out);
    g_free(cache);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cache/same-map", test_same_map);
    g_test_add_func("/cache/invalidation", test_invalidation);
    g_test_add_func("/cache/off-and-prune", test_off_and_prune);
    g_test_add_func("/cache/cli-without-module", test_cli_without_module);
    return g_test_run();
}
