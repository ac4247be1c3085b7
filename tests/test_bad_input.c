/* Bad input, one fixture per class under tests/data/bad/: each run of the command line is
 * checked for its exit code, its one-line message and an output left untouched (absent, or
 * an earlier file unchanged). */
#include "testutil.h"

#include <string.h>

#define BAD CM_SOURCE_DIR "/tests/data/bad/"

typedef struct {
    const char *name;     /* what is bad */
    /* after the program: "OUT" is replaced by the output path, "OUT/x" by x in its folder */
    const char *argv[14];
    int exit_code;
    const char *messages[6]; /* parts of stdout + stderr that must be there */
    gboolean writes;      /* the output must exist afterwards (a bad input that renders) */
    gboolean many_lines;  /* a check lists every problem; else one line says what failed */
    const char *folder;   /* a folder made in the output's folder first; NULL: none */
} bad_case;

static const bad_case cases[] = {
    /* a front with a vertex a hair from the pole: teeth were made all the way there, and the
     * render grew to gigabytes; bounded, it renders in well under the timeout */
    {"front towards the pole", {"render", BAD "front-at-pole.map", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE, NULL},
    {"extent 1e-7 degrees wide", {"render", BAD "tiny-extent.map", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE, NULL},
    {"unknown crs", {"render", BAD "bad-crs.map", "-o", "OUT"}, 4,
     {"bad-crs.map:7: crs \"+proj=nosuchproj\" is not a coordinate reference system PROJ knows"}, FALSE, FALSE, NULL},
    {"page too small", {"render", BAD "page-too-small.map", "-o", "OUT"}, 4,
     {"page-too-small.map:9: page \"5x5mm\" is not a size", "10 to 5000 mm"}, FALSE, FALSE, NULL},
    /* geometry that cannot be drawn as given: check lists each, naming file and feature */
    {"geometry off the globe, open, one point (check)", {"check", BAD "bad-geometry.map"}, 3,
     {"bad-zones.geojson: feature 1 has a coordinate outside -180..180 / -90..90: lon 13.5, lat 95",
      "bad-zones.geojson: feature 2 has a coordinate outside -180..180 / -90..90: lon 200",
      "bad-zones.geojson: feature 3 has a polygon ring that is not closed",
      "bad-lines.geojson: feature 1 is a line of one point"}, FALSE, TRUE, NULL},
    /* ... and render warns about each, skips it and draws the rest */
    {"geometry off the globe, open, one point (render)",
     {"render", BAD "bad-geometry.map", "--dpi", "30", "-o", "OUT"}, 0,
     {"warning: " BAD "bad-zones.geojson: feature 1 has a coordinate outside", "lat 95; skipped",
      "feature 3 has a polygon ring that is not closed (its last point is not its first); skipped",
      "bad-lines.geojson: feature 1 is a line of one point; skipped"}, TRUE, TRUE, NULL},
    /* an extent that shows nothing, or the world in a conic projection: said, not drawn mute */
    {"extent off the data (check)", {"check", BAD "extent-off-data.map"}, 0,
     {"warning: " BAD "extent-off-data.map: [map] extent -40, 10, -30, 20 shows none of the "
      "regions"}, FALSE, TRUE, NULL},
    {"extent off the data (render)", {"render", BAD "extent-off-data.map", "--dpi", "20", "-o", "OUT"},
     0, {"warning: " BAD "extent-off-data.map: [map] extent -40, 10, -30, 20 shows none"}, TRUE,
     FALSE, NULL},
    {"the world in a conic projection (check)", {"check", BAD "extent-world-conic.map"}, 0,
     {"extent-world-conic.map: the scale of crs", "-fold across the extent -180, -85, 180, 85"},
     FALSE, TRUE, NULL},
    {"the world in a conic projection (render)",
     {"render", BAD "extent-world-conic.map", "--dpi", "20", "-o", "OUT"}, 0,
     {"warning: " BAD "extent-world-conic.map: the scale of crs"}, TRUE, FALSE, NULL},
    /* what check rejects never renders silently: the first problem, and how many more */
    {"ledger rows out of date order (render)",
     {"render", "--control", BAD "ledger-out-of-order.csv", "--dpi", "10", "-o", "OUT"}, 0,
     {"warning: " BAD "ledger-out-of-order.csv:3: rows for \"tripoli\" out of date order: "
      "2019-02-01 after 2019-03-01 on line 2 (and 1 more: check lists every problem)"},
     TRUE, FALSE, NULL},
    {"ledger rows out of date order (check)", {"check", "--control", BAD "ledger-out-of-order.csv"},
     3, {"ledger-out-of-order.csv:3: rows for \"tripoli\" out of date order",
         "ledger-out-of-order.csv:5: rows for \"sirte\" out of date order"}, FALSE, TRUE, NULL},
    /* a series' file names are all checked before the first is written */
    {"series names: a year for monthly frames",
     {"series", "--from", "2019-01-01", "--to", "2019-12-01", "--step", "1m", "--dpi", "10", "-o",
      "OUT/fr%Y.png"}, 2,
     {"the pattern gives two dates the same file name", "fr2019.png (2019-01-01 and 2019-02-01)",
      "nothing was written"}, FALSE, FALSE, NULL},
    {"series names: months over more than a year",
     {"series", "--from", "2019-01-01", "--to", "2020-02-01", "--step", "1m", "--dpi", "10", "-o",
      "OUT/%m.png"}, 2, {"01.png (2019-01-01 and 2020-01-01); nothing was written"}, FALSE, FALSE,
     NULL},
    {"series names: a frame's name is a folder",
     {"series", "--from", "2019-01-01", "--to", "2019-05-01", "--step", "1m", "--dpi", "10", "-o",
      "OUT/%m.png"}, 5, {"03.png: is a folder; nothing was written"}, FALSE, FALSE, "03.png"},
};

static void run_case(gconstpointer data)
{
    const bad_case *c = data;
    char *dir = scratch_dir();
    char *out = g_build_filename(dir, "out.png", NULL);
    const char *argv[20] = {"timeout", "60", CM_CLI};
    int n = 3;
    GPtrArray *owned = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; c->argv[i]; i++) {
        const char *a = c->argv[i];
        if (g_str_has_prefix(a, "OUT/"))
            g_ptr_array_add(owned, (gpointer)(a = g_build_filename(dir, a + 4, NULL)));
        argv[n++] = strcmp(a, "OUT") ? a : out;
    }
    argv[n] = NULL;
    if (c->folder) {
        char *f = g_build_filename(dir, c->folder, NULL);
        g_assert_cmpint(g_mkdir(f, 0755), ==, 0);
        g_free(f);
    }
    char *outtext = NULL, *errtext = NULL;
    int code = spawn(NULL, argv, &outtext, &errtext);
    char *err = g_strconcat(outtext, errtext, NULL);
    if (code == 124)
        g_error("%s: still running after 60 s", c->name);
    if (code != c->exit_code)
        g_error("%s: exit %d, want %d; stderr: %s", c->name, code, c->exit_code, err);
    for (int i = 0; c->messages[i]; i++)
        if (!strstr(err, c->messages[i]))
            g_error("%s: output \"%s\" lacks \"%s\"", c->name, err, c->messages[i]);
    if (!c->many_lines && strchr(err, '\n') != strrchr(err, '\n'))
        g_error("%s: more than one line of output: %s", c->name, err);
    g_assert_cmpint(g_file_test(out, G_FILE_TEST_EXISTS), ==, c->writes);
    if (!c->writes) { /* nothing at all was written: the folder holds what the test made */
        GDir *d = g_dir_open(dir, 0, NULL);
        for (const char *e; (e = g_dir_read_name(d));)
            if (!c->folder || strcmp(e, c->folder))
                g_error("%s: %s was written", c->name, e);
        g_dir_close(d);
    }
    g_ptr_array_unref(owned);
    g_free(err), g_free(outtext), g_free(errtext);
    g_free(out);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_strdup_printf("/bad-input/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], run_case);
        g_free(path);
    }
    return g_test_run();
}
