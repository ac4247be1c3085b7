/* Bad input, one fixture per class under tests/data/bad/: each run of the command line is
 * checked for its exit code, its one-line message and an output left untouched (absent, or
 * an earlier file unchanged). */
#include "testutil.h"

#include <cairo.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#define BAD CM_SOURCE_DIR "/tests/data/bad/"

typedef struct {
    const char *name;     /* what is bad */
    const char *argv[12]; /* after the program; "OUT" is replaced by the output path */
    int exit_code;
    const char *messages[6]; /* parts of stdout + stderr that must be there */
    gboolean writes;      /* the output must exist afterwards (a bad input that renders) */
    gboolean many_lines;  /* a check lists every problem; else one line says what failed */
} bad_case;

/* A case whose input is too big or too odd for git: `make` writes it into the case's scratch
 * folder, and an argument "DIR/x" is x in that folder. */
typedef struct {
    bad_case c;
    void (*make)(const char *dir);
} made_case;

/* A style that names `logo` as its logo, in `dir`/logo.ini; the logo is on line 3. */
static void logo_style(const char *dir, const char *logo)
{
    char *text = g_strdup_printf("# a logo that cannot be one\n[title]\nlogo = %s\n", logo);
    g_free(write_file(dir, "logo.ini", text));
    g_free(text);
}

static void make_logo_folder(const char *dir)
{
    char *sub = g_build_filename(dir, "logo.png", NULL);
    g_assert_cmpint(g_mkdir(sub, 0755), ==, 0);
    g_free(sub);
    logo_style(dir, "logo.png");
}

/* A PNG signature and an IHDR chunk (CRC and all) claiming 30000 x 30000 px, 8-bit RGBA, and
 * nothing after it: decoded, it would be 3.6 GB. */
static void make_logo_huge(const char *dir)
{
    guint8 png[33] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    guint32 side = 30000;
    for (int i = 0; i < 4; i++)
        png[16 + i] = png[20 + i] = (guint8)(side >> (24 - 8 * i));
    png[24] = 8, png[25] = 6; /* bit depth, colour type; compression, filter, interlace 0 */
    uLong crc = crc32(0, png + 12, 17);
    for (int i = 0; i < 4; i++)
        png[29 + i] = (guint8)(crc >> (24 - 8 * i));
    char *path = g_build_filename(dir, "huge.png", NULL);
    g_assert_true(g_file_set_contents(path, (const char *)png, sizeof png, NULL));
    g_free(path);
    logo_style(dir, "huge.png");
}

/* 2 GiB of nothing: sparse, so it costs no disk. */
static void make_logo_sparse(const char *dir)
{
    char *path = g_build_filename(dir, "sparse.png", NULL);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    g_assert_cmpint(fd, >=, 0);
    g_assert_cmpint(ftruncate(fd, (off_t)2 << 30), ==, 0);
    close(fd);
    g_free(path);
    logo_style(dir, "sparse.png");
}

/* A logo that is one, 64 x 32 px: the style loads and the map renders. */
static void make_logo_good(const char *dir)
{
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 64, 32);
    cairo_t *cr = cairo_create(img);
    cairo_set_source_rgb(cr, 0.8, 0.1, 0.1);
    cairo_paint(cr);
    cairo_destroy(cr);
    char *path = g_build_filename(dir, "good.png", NULL);
    g_assert_cmpint(cairo_surface_write_to_png(img, path), ==, CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(img);
    g_free(path);
    logo_style(dir, "good.png");
}

static const bad_case cases[] = {
    /* a front with a vertex a hair from the pole: teeth were made all the way there, and the
     * render grew to gigabytes; bounded, it renders in well under the timeout */
    {"front towards the pole", {"render", BAD "front-at-pole.map", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE},
    {"extent 1e-7 degrees wide", {"render", BAD "tiny-extent.map", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE},
    {"unknown crs", {"render", BAD "bad-crs.map", "-o", "OUT"}, 4,
     {"bad-crs.map:7: crs \"+proj=nosuchproj\" is not a coordinate reference system PROJ knows"}, FALSE, FALSE},
    {"page too small", {"render", BAD "page-too-small.map", "-o", "OUT"}, 4,
     {"page-too-small.map:9: page \"5x5mm\" is not a size", "10 to 5000 mm"}, FALSE, FALSE},
    {"logo that is a CSV", {"render", "--style", BAD "logo-csv.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo-csv.ini:3: [title] logo: " BAD "logo-csv.csv is not a PNG image"}, FALSE, FALSE},
    /* geometry that cannot be drawn as given: check lists each, naming file and feature */
    {"geometry off the globe, open, one point (check)", {"check", BAD "bad-geometry.map"}, 3,
     {"bad-zones.geojson: feature 1 has a coordinate outside -180..180 / -90..90: lon 13.5, lat 95",
      "bad-zones.geojson: feature 2 has a coordinate outside -180..180 / -90..90: lon 200",
      "bad-zones.geojson: feature 3 has a polygon ring that is not closed",
      "bad-lines.geojson: feature 1 is a line of one point"}, FALSE, TRUE},
    /* ... and render warns about each, skips it and draws the rest */
    {"geometry off the globe, open, one point (render)",
     {"render", BAD "bad-geometry.map", "--dpi", "30", "-o", "OUT"}, 0,
     {"warning: " BAD "bad-zones.geojson: feature 1 has a coordinate outside", "lat 95; skipped",
      "feature 3 has a polygon ring that is not closed (its last point is not its first); skipped",
      "bad-lines.geojson: feature 1 is a line of one point; skipped"}, TRUE, TRUE},
};

/* The good logo cut after its header: the size is fine, the image does not decode. */
static void make_logo_cut(const char *dir)
{
    make_logo_good(dir);
    char *path = g_build_filename(dir, "good.png", NULL);
    g_assert_cmpint(truncate(path, 40), ==, 0);
    g_free(path);
}

static const made_case made_cases[] = {
    /* a logo is checked when the style is loaded, its size before it is decoded */
    {{"logo that is a folder", {"render", "--style", "DIR/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "logo.png is a folder"}, FALSE, FALSE}, make_logo_folder},
    {{"logo of 30000 x 30000 px", {"render", "--style", "DIR/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "huge.png is 30000 x 30000 px, more than the 4096 x 4096 px a logo may be"},
     FALSE, FALSE}, make_logo_huge},
    {{"logo of 2 GiB", {"render", "--style", "DIR/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "sparse.png is 2147483648 bytes, more than the 20971520 bytes a logo may be"},
     FALSE, FALSE}, make_logo_sparse},
    {{"logo cut short", {"render", "--style", "DIR/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "good.png is not a PNG image cairo can read"}, FALSE, FALSE},
     make_logo_cut},
    {{"logo that is one", {"render", "--style", "DIR/logo.ini", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE}, make_logo_good},
};

static void run(const bad_case *c, void (*make)(const char *dir))
{
    char *dir = scratch_dir();
    char *out = g_build_filename(dir, "out.png", NULL);
    const char *argv[16] = {"timeout", "60", CM_CLI};
    char *made[12] = {NULL};
    int n = 3;
    if (make)
        make(dir);
    for (int i = 0; c->argv[i]; i++) {
        if (g_str_has_prefix(c->argv[i], "DIR/"))
            argv[n++] = made[i] = g_build_filename(dir, c->argv[i] + 4, NULL);
        else
            argv[n++] = strcmp(c->argv[i], "OUT") ? c->argv[i] : out;
    }
    argv[n] = NULL;
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
    g_free(err), g_free(outtext), g_free(errtext);
    for (size_t i = 0; i < G_N_ELEMENTS(made); i++)
        g_free(made[i]);
    g_free(out);
    rm_rf(dir);
    g_free(dir);
}

static void run_case(gconstpointer data)
{
    run(data, NULL);
}

static void run_made_case(gconstpointer data)
{
    const made_case *m = data;
    run(&m->c, m->make);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        char *path = g_strdup_printf("/bad-input/%s", cases[i].name);
        g_test_add_data_func(path, &cases[i], run_case);
        g_free(path);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(made_cases); i++) {
        char *path = g_strdup_printf("/bad-input/%s", made_cases[i].c.name);
        g_test_add_data_func(path, &made_cases[i], run_made_case);
        g_free(path);
    }
    return g_test_run();
}
