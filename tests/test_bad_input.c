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
    /* after the program: "OUT" is replaced by the output path, "OUT/x" by x in its folder */
    const char *argv[14];
    int exit_code;
    const char *messages[6]; /* parts of stdout + stderr that must be there */
    gboolean writes;      /* the output must exist afterwards (a bad input that renders) */
    gboolean many_lines;  /* a check lists every problem; else one line says what failed */
    const char *folder;   /* a folder made in the output's folder first; NULL: none */
} bad_case;

/* A case whose input is too big or too odd for git: `make` writes it into the case's scratch
 * folder (an argument "OUT/x" is x there). */
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
     {NULL}, TRUE, FALSE, NULL},
    {"extent 1e-7 degrees wide", {"render", BAD "tiny-extent.map", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE, NULL},
    {"unknown crs", {"render", BAD "bad-crs.map", "-o", "OUT"}, 4,
     {"bad-crs.map:7: crs \"+proj=nosuchproj\" is not a coordinate reference system PROJ knows"}, FALSE, FALSE, NULL},
    {"page too small", {"render", BAD "page-too-small.map", "-o", "OUT"}, 4,
     {"page-too-small.map:9: page \"5x5mm\" is not a size", "10 to 5000 mm"}, FALSE, FALSE, NULL},
    {"logo that is a CSV", {"render", "--style", BAD "logo-csv.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo-csv.ini:3: [title] logo: " BAD "logo-csv.csv is not a PNG image"}, FALSE, FALSE, NULL},
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
    /* rows cite sources by id: an unknown id, or a source of no date, is an error */
    {"source id not in the table (check)", {"check", BAD "source-unknown.map"}, 3,
     {"ledger-unknown-source.csv:3: source \"test-erly\" is not in ",
      "(did you mean \"test-early\"?)"}, FALSE, TRUE, NULL},
    {"source id not in the table (render)", {"render", BAD "source-unknown.map", "-o", "OUT"}, 3,
     {"ledger-unknown-source.csv:3: source \"test-erly\" is not in "}, FALSE, FALSE, NULL},
    {"source whose address is not a web page's", {"check", BAD "source-script-url.map"}, 3,
     {"sources-script-url.csv:3: source \"test-script\": the url must be an http:// or "
      "https:// address"}, FALSE, TRUE, NULL},
    {"source of no published date", {"check", BAD "source-undated.map"}, 3,
     {"sources-undated.csv:3: source \"test-undated\" has no published date (YYYY-MM-DD)"},
     FALSE, TRUE, NULL},
    /* events: dates in order, a place given whole */
    {"events (check)", {"check", BAD "events-bad.map"}, 3,
     {"events-bad.csv:3: until \"2019-12-01\" is not a date on or after the event's",
      "events-bad.csv:4: lon and lat must both be given"}, FALSE, TRUE, NULL},
    {"events (render)", {"render", BAD "events-bad.map", "-o", "OUT"}, 3,
     {"events-bad.csv:3: until \"2019-12-01\" is not a date on or after the event's"}, FALSE,
     FALSE, NULL},
    /* a zone under attack names its attackers, as a ledger row does */
    {"zone attacked by no one", {"check", BAD "zone-attacked.map"}, 3,
     {"zone-attacked.geojson: feature 1: an attacked zone names its attackers in parties"}, FALSE,
     TRUE, NULL},
    /* what check rejects never renders silently: the first problem, and how many more */
    {"ledger rows out of date order (render)",
     {"render", "--control", BAD "ledger-out-of-order.csv", "--dpi", "10", "-o", "OUT"}, 0,
     {"warning: " BAD "ledger-out-of-order.csv:3: rows for \"tripoli\" out of date order: "
      "2019-02-01 after 2019-03-01 on line 2 (and 1 more: check lists every problem)"},
     TRUE, FALSE, NULL},
    {"ledger rows out of date order (check)", {"check", "--control", BAD "ledger-out-of-order.csv"},
     3, {"ledger-out-of-order.csv:3: rows for \"tripoli\" out of date order",
         "ledger-out-of-order.csv:5: rows for \"sirte\" out of date order"}, FALSE, TRUE, NULL},
    /* a message stays one line whatever a value holds: a newline, a terminal's escape */
    {"controller holding a newline and an escape sequence",
     {"check", "--control", BAD "ledger-control-chars.csv"}, 3,
     {"ledger-control-chars.csv:3: unknown controller \"GN\\nA\\x1b[31mRED\""}, FALSE, FALSE,
     NULL},
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

/* The bundled ledger with a note over GDAL's line limit on line 3: its CSV reader gives up
 * there, and the rows after it were once dropped without a word.  The limit is 10,000,000
 * characters unless OGR_CSV_MAX_LINE_SIZE says otherwise; main() sets 5,000 for this test
 * binary (no fixture line is a tenth of that), so the case costs no 10 MB read, which takes
 * a minute under AddressSanitizer. */
static void make_huge_cell(const char *dir)
{
    char *text = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/control.csv", &text, NULL, NULL));
    char **lines = g_strsplit(text, "\n", -1);
    GString *out = g_string_new(NULL);
    for (int i = 0; lines[i]; i++) {
        g_string_append(out, lines[i]);
        if (i == 2) { /* the last field, note, made huge (quoted) */
            g_string_append(out, ",\"");
            for (int k = 0; k < 6000; k++)
                g_string_append_c(out, 'N');
            g_string_append_c(out, '"');
        }
        if (lines[i + 1])
            g_string_append_c(out, '\n');
    }
    char *path = g_build_filename(dir, "big.csv", NULL);
    g_assert_true(g_file_set_contents(path, out->str, (gssize)out->len, NULL));
    g_free(path);
    g_string_free(out, TRUE);
    g_strfreev(lines);
    g_free(text);
}

/* The good logo cut after its header: the size is fine, the image does not decode. */
static void make_logo_cut(const char *dir)
{
    make_logo_good(dir);
    char *path = g_build_filename(dir, "good.png", NULL);
    g_assert_cmpint(truncate(path, 40), ==, 0);
    g_free(path);
}

static const made_case made_cases[] = {
    {{"a ledger cell over GDAL's line limit",
      {"check", "--control", "OUT/big.csv"}, 3,
      {"big.csv:3: reading stopped here, the rest unread"}, FALSE, FALSE, NULL}, make_huge_cell},
    /* a logo is checked when the style is loaded, its size before it is decoded */
    {{"logo that is a folder", {"render", "--style", "OUT/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "logo.png is a folder"}, FALSE, FALSE, NULL}, make_logo_folder},
    {{"logo of 30000 x 30000 px", {"render", "--style", "OUT/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "huge.png is 30000 x 30000 px, more than the 4096 x 4096 px a logo may be"},
     FALSE, FALSE, NULL}, make_logo_huge},
    {{"logo of 2 GiB", {"render", "--style", "OUT/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "sparse.png is 2147483648 bytes, more than the 20971520 bytes a logo may be"},
     FALSE, FALSE, NULL}, make_logo_sparse},
    {{"logo cut short", {"render", "--style", "OUT/logo.ini", "--dpi", "30", "-o", "OUT"}, 4,
     {"logo.ini:3: [title] logo: ", "good.png is not a PNG image cairo can read"}, FALSE, FALSE, NULL},
     make_logo_cut},
    {{"logo that is one", {"render", "--style", "OUT/logo.ini", "--dpi", "30", "-o", "OUT"}, 0,
     {NULL}, TRUE, FALSE, NULL}, make_logo_good},
};

/* The names in a folder, as a set. */
static GHashTable *listing(const char *dir)
{
    GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GDir *d = g_dir_open(dir, 0, NULL);
    for (const char *e; d && (e = g_dir_read_name(d));)
        g_hash_table_add(names, g_strdup(e));
    if (d)
        g_dir_close(d);
    return names;
}

static void run(const bad_case *c, void (*make)(const char *dir))
{
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
    if (make)
        make(dir);
    GHashTable *before = listing(dir);
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
        GHashTable *after = listing(dir);
        GHashTableIter it;
        gpointer name;
        g_hash_table_iter_init(&it, after);
        while (g_hash_table_iter_next(&it, &name, NULL))
            if (!g_hash_table_contains(before, name))
                g_error("%s: %s was written", c->name, (char *)name);
        g_hash_table_unref(after);
    }
    g_hash_table_unref(before);
    g_ptr_array_unref(owned);
    g_free(err), g_free(outtext), g_free(errtext);
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
    g_setenv("OGR_CSV_MAX_LINE_SIZE", "5000", TRUE); /* see make_huge_cell */
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
