/* Loading a map: everything is read and projected within the process and nothing is written
 * anywhere but the output. */
#include "conflictmap/conflictmap.h"

#include "map_impl.h"
#include "testutil.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

/* Runs argv with the environment's variables changed as `env` says (name, value pairs). */
static int spawn_env(const char *const *argv, const char *const *env, char **err)
{
    char **envp = g_get_environ();
    for (size_t i = 0; env[i]; i += 2)
        envp = g_environ_setenv(envp, env[i], env[i + 1], TRUE);
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(NULL, (char **)argv, envp, 0, NULL, NULL, NULL, err, &status, &e))
        g_error("%s: %s", argv[0], e->message);
    g_strfreev(envp);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Counts the entries under a folder, recursively. */
static int count_tree(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    int n = 0;
    for (const char *e; d && (e = g_dir_read_name(d));) {
        char *p = g_build_filename(dir, e, NULL);
        n += 1 + (g_file_test(p, G_FILE_TEST_IS_DIR) ? count_tree(p) : 0);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    return n;
}

/* A render writes its output and nothing else: no cache under $XDG_CACHE_HOME or $HOME,
 * however often the same map is loaded, and the map always has its projection. */
static void test_nothing_outside_output(void)
{
    char *home = g_dir_make_tmp("cm-home-XXXXXX", NULL);
    char *out = g_dir_make_tmp("cm-out-XXXXXX", NULL);
    char *xdg = g_build_filename(home, "cache", NULL);
    g_mkdir(xdg, 0700);
    char *png = g_build_filename(out, "m.png", NULL);
    const char *env[] = {"HOME", home, "XDG_CACHE_HOME", xdg, NULL};
    for (int run = 0; run < 2; run++) {
        const char *argv[] = {CM_CLI, "render", "-q", "--dpi", "20", "-o", png, NULL};
        int status = spawn_env(argv, env, NULL);
        g_assert_cmpint(status, ==, 0);
    }
    g_assert_cmpint(count_tree(home), ==, 1); /* the empty cache folder we made */
    g_assert_cmpint(count_tree(out), ==, 1);  /* m.png */
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_nonnull(map->proj);
    double x, y;
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, 13.19, 32.89, NULL), ==, CM_OK);
    g_assert_true(x > map->frame[0] && x < map->frame[0] + map->frame[2]);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_free(png), g_free(xdg), g_free(out), g_free(home);
}

/* An options struct that was never initialised is refused, not read as garbage. */
static void test_options_uninitialised(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo = {0};
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), &mo, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "cm_map_options_init"));
    g_assert_null(map);
    cm_ctx_destroy(ctx);
}

/* The context reports the last call's error: a failed call, then one that fails otherwise,
 * shows the second message; a call that succeeds clears it.  Points off the map fail with a
 * message instead of -1. */
static void test_last_error(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, "2019-13-01", ctx), ==, CM_EUSAGE);
    char *missing = g_build_filename(g_get_tmp_dir(), "no-such-folder", "m.png", NULL);
    g_assert_cmpint(cm_map_render_file(map, missing, NULL, ctx), ==, CM_EOUTPUT);
    g_assert_null(strstr(cm_ctx_message(ctx), "2019-13-01"));
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "no-such-folder"));
    g_assert_cmpint(cm_map_set_date(map, "2019-12-01", ctx), ==, CM_OK);
    g_assert_cmpstr(cm_ctx_message(ctx), ==, "");
    double x = 0, y = 0, lon = 0, lat = 0;
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, 13.19, 95, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "does not project"));
    g_assert_cmpint(cm_map_lonlat_to_page(&x, &y, map, NAN, 30, ctx), ==, CM_EUSAGE);
    g_assert_cmpint(cm_map_page_to_lonlat(&lon, &lat, map, INFINITY, 0, ctx), ==, CM_EUSAGE);
    g_assert_cmpstr(cm_version(), ==, CONFLICTMAP_VERSION);
    g_free(missing);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* check warns of regions the ledger never names (drawn as no data on every date), and only
 * of those. */
static void test_unrecorded_regions(void)
{
    char *dir = scratch_dir(), *all = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/control.csv", &all, NULL, NULL));
    GString *kept = g_string_new(NULL);
    char **rows = g_strsplit(all, "\n", -1);
    for (char **r = rows; *r; r++)
        if (**r && !strstr(*r, ",derna,") && !strstr(*r, ",kufra,"))
            g_string_append_printf(kept, "%s\n", *r);
    char *ledger = write_file(dir, "c.csv", kept->str);
    char *out = NULL, *err = NULL;
    const char *argv[] = {CM_CLI, "check", "--control", ledger, NULL};
    g_assert_cmpint(spawn(dir, argv, &out, &err), ==, 0);
    /* check's report, problems and warnings alike, is its output */
    g_assert_nonnull(strstr(out, "c.csv: 2 regions with no row, drawn as no data on every date: "
                                 "\"derna\", \"kufra\""));
    g_free(out);
    g_free(err);
    const char *whole[] = {CM_CLI, "check", NULL};
    g_assert_cmpint(spawn(dir, whole, &out, &err), ==, 0);
    g_assert_null(strstr(out, "with no row"));
    g_assert_null(strstr(err, "with no row"));
    g_free(out);
    g_free(err);
    g_strfreev(rows);
    g_string_free(kept, TRUE);
    g_free(all);
    g_free(ledger);
    rm_rf(dir);
    g_free(dir);
}

/* --lang ar on a map whose layers have no Arabic names: one warning a layer (the detail frame
 * says nothing more), and none when they have them. */
static void test_no_arabic_warned(void)
{
    char *dir = scratch_dir(), *text = NULL;
    g_assert_true(g_file_get_contents(cm_default_map_path(), &text, NULL, NULL));
    GString *map = g_string_new(NULL);
    char **lines = g_strsplit(text, "\n", -1);
    /* the bundled map, its paths made absolute, without its name-ar keys */
    for (char **l = lines; *l; l++) {
        if (g_str_has_prefix(*l, "name-ar"))
            continue;
        append_absolute_line(map, *l, CM_SOURCE_DIR "/geodata");
    }
    char *path = write_file(dir, "noar.map", map->str);
    char *png = g_build_filename(dir, "m.png", NULL), *err = NULL;
    const char *argv[] = {CM_CLI, "render", path, "--lang", "ar", "--dpi", "20", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, &err), ==, 0);
    static const char *const layers[] = {"districts.shp: no Arabic names",
                                         "places.csv: no Arabic names",
                                         "neighbours.shp: no Arabic names"};
    for (size_t i = 0; i < G_N_ELEMENTS(layers); i++) {
        const char *at = strstr(err, layers[i]);
        g_assert_nonnull(at);
        g_assert_null(strstr(at + 1, layers[i]));
    }
    g_free(err);
    const char *bundled[] = {CM_CLI, "render", "--lang", "ar", "--dpi", "20", "-o", png, NULL};
    g_assert_cmpint(spawn(dir, bundled, NULL, &err), ==, 0);
    g_assert_null(strstr(err, "no Arabic names"));
    g_free(err);
    g_strfreev(lines);
    g_string_free(map, TRUE);
    g_free(text);
    g_free(path);
    g_free(png);
    rm_rf(dir);
    g_free(dir);
}

/* Two sites under one key would both take its rows: refused, naming the sites file. */
static void test_repeated_site_key(void)
{
    char *dir = scratch_dir(), *text = NULL, *sites = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/sites.csv", &sites, NULL, NULL));
    char *more = g_strconcat(sites, "watiya,Another,,airbase,3,16,30,a test\n", NULL);
    char *sites_path = write_file(dir, "sites.csv", more);
    g_assert_true(g_file_get_contents(cm_default_map_path(), &text, NULL, NULL));
    GString *map = g_string_new(NULL);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++)
        if (!strcmp(*l, "file = sites.csv"))
            g_string_append_printf(map, "file = %s\n", sites_path);
        else
            append_absolute_line(map, *l, CM_SOURCE_DIR "/geodata");
    char *path = write_file(dir, "m.map", map->str), *out = NULL, *err = NULL;
    const char *argv[] = {CM_CLI, "check", path, NULL};
    g_assert_cmpint(spawn(dir, argv, &out, &err), ==, 3);
    char *all = g_strconcat(out, err, NULL);
    g_assert_nonnull(strstr(all, "sites.csv: feature 18 repeats the key \"watiya\""));
    g_free(all), g_free(out), g_free(err), g_free(path), g_free(sites_path);
    g_strfreev(lines);
    g_string_free(map, TRUE);
    g_free(text), g_free(more), g_free(sites);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/load/nothing-outside-output", test_nothing_outside_output);
    g_test_add_func("/load/options-uninitialised", test_options_uninitialised);
    g_test_add_func("/load/last-error", test_last_error);
    g_test_add_func("/load/unrecorded-regions", test_unrecorded_regions);
    g_test_add_func("/load/no-arabic-warned", test_no_arabic_warned);
    g_test_add_func("/load/repeated-site-key", test_repeated_site_key);
    return g_test_run();
}
