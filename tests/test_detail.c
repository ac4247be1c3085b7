/* Detail frames: the Tripoli detail on the bundled map's page, the same detail as a page of
 * its own (--focus), and the map file's [detail] groups refused with their file and line. */
#include "conflictmap/conflictmap.h"
#include "testutil.h"

#include <string.h>

/* pdftotext of a PDF rendered by the command line with `args` (NULL-terminated). */
static char *pdf_text(const char *dir, const char *const *args)
{
    char *pdf = g_build_filename(dir, "m.pdf", NULL), *out = NULL;
    GPtrArray *argv = g_ptr_array_new();
    g_ptr_array_add(argv, (gpointer)CM_CLI);
    g_ptr_array_add(argv, (gpointer) "render");
    g_ptr_array_add(argv, (gpointer) "-q");
    for (const char *const *a = args; *a; a++)
        g_ptr_array_add(argv, (gpointer)*a);
    g_ptr_array_add(argv, (gpointer) "-o");
    g_ptr_array_add(argv, pdf);
    g_ptr_array_add(argv, NULL);
    g_assert_cmpint(spawn(dir, (const char *const *)argv->pdata, NULL, NULL), ==, 0);
    const char *t[] = {"pdftotext", "-f", "1", "-l", "1", pdf, "-", NULL};
    g_assert_cmpint(spawn(dir, t, &out, NULL), ==, 0);
    g_ptr_array_free(argv, TRUE);
    g_free(pdf);
    return out;
}

static int count(const char *text, const char *word)
{
    int n = 0;
    for (const char *p = strstr(text, word); p; p = strstr(p + 1, word))
        n++;
    return n;
}

/* The default page holds the Tripoli detail: its heading, the name beside its outline on the
 * main map, and places only the detail has room for (rank 5: Zaltan; al-Ajaylat too while
 * the detail was 80 mm wide, when it covered Libya's border with Egypt and Sudan). */
static void test_default_page(void)
{
    char *dir = scratch_dir();
    char *text = pdf_text(dir, (const char *[]){"--date", "2019-12-19", NULL});
    g_assert_cmpint(count(text, "The battle for Tripoli"), ==, 2);
    /* a [label NAME] of the map file, with the [map] sea-label */
    g_assert_cmpint(count(text, "Gulf of Sidra"), ==, 1);
    g_assert_cmpint(count(text, "Mediterranean Sea"), ==, 1);
    static const char *const names[] = {"Zaltan", "Tarhuna", "Gharyan",
                                        "Zintan", "al-Watiya air base", "Bani Walid"};
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (!strstr(text, names[i]))
            g_error("the default page's text lacks \"%s\"", names[i]);
    g_free(text);
    /* the SVG's text layer (its glyphs are shapes) names the detail's places too */
    char *svg = g_build_filename(dir, "m.svg", NULL), *body = NULL;
    const char *argv[] = {CM_CLI, "render", "-q", "--date", "2019-12-19", "-o", svg, NULL};
    g_assert_cmpint(spawn(dir, argv, NULL, NULL), ==, 0);
    g_assert_true(g_file_get_contents(svg, &body, NULL, NULL));
    g_assert_nonnull(strstr(body, ">Zaltan<"));
    g_free(body);
    g_free(svg);
    rm_rf(dir);
    g_free(dir);
}

/* --focus tripoli: the detail as the whole page, under its own title, with the legend and the
 * sources; the main map's other towns are not on it. */
static void test_focus_page(void)
{
    char *dir = scratch_dir();
    char *text = pdf_text(dir, (const char *[]){"--date", "2020-06-06", "--focus", "tripoli", NULL});
    g_assert_true(g_str_has_prefix(text, "The battle for Tripoli"));
    g_assert_nonnull(strstr(text, "Sources of control:"));
    g_assert_nonnull(strstr(text, "Government of National Accord (GNA)"));
    g_assert_nonnull(strstr(text, "Tarhuna"));
    g_assert_null(strstr(text, "Benghazi"));
    g_assert_null(strstr(text, "Kufra"));
    g_free(text);
    /* a detail the map does not have: one line naming those it has, usage exit code */
    char *err = NULL;
    const char *bad[] = {CM_CLI, "render", "--focus", "misrata", "-o", "x.png", NULL};
    g_assert_cmpint(spawn(dir, bad, NULL, &err), ==, 2);
    g_assert_nonnull(strstr(err, "has no [detail misrata] (it has: tripoli)"));
    g_assert_cmpint(count(err, "\n"), ==, 1);
    g_assert_false(g_file_test(g_build_filename(dir, "x.png", NULL), G_FILE_TEST_EXISTS));
    g_free(err);
    rm_rf(dir);
    g_free(dir);
}

/* Each bad [detail] or [label] group is refused by `check` with the map file's line. */
static void test_bad_groups(void)
{
    static const struct {
        const char *group, *message;
    } cases[] = {
        {"[detail tripoli]\nextent = 12, 32, 14\n", "m.map:2: extent must be four numbers"},
        {"[detail tripoli]\nextent = 5, 31, 14, 33\n",
         "m.map:2: the extent of [detail tripoli] must lie inside the map's"},
        {"[detail tripoli]\nextent = 12, 32, 14, 33\nposition = middle\n",
         "m.map:3: position must be top-left, top-right, bottom-left or bottom-right"},
        {"[detail tripoli]\nextent = 12, 32, 14, 33\nwidth = 5\n",
         "m.map:3: width must be a number of millimetres, at least 20"},
        {"[detail a b]\nextent = 12, 32, 14, 33\n", "m.map:1: a detail's name is letters"},
        {"[detail t]\nextent = 12, 32, 14, 33\n[detail t]\nextent = 12, 32, 14, 33\n",
         "m.map:3: group [detail t] appears twice"},
        /* more names on the map: [label NAME] */
        {"[label gulf]\ntext = Gulf of Sidra\nat = 18.6\n",
         "m.map:3: at must be a longitude and a latitude"},
        {"[label gulf]\nat = 18.6, 31.5\n", "m.map:1: [label gulf] needs a \"text\""},
        /* a misspelt key is named, with the nearest known one (the known keys' list once
         * lacked its NULL: read past its end) */
        {"[label gulf]\ntxet = Gulf of Sidra\nat = 18.6, 31.5\n",
         "m.map:2: unknown key \"txet\" in [label gulf] (did you mean \"text\"?)"},
    };
    char *dir = scratch_dir();
    char *base = NULL;
    g_assert_true(g_file_get_contents(cm_default_map_path(), &base, NULL, NULL));
    char *geo = g_path_get_dirname(cm_default_map_path());
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        /* the group first, so that its lines are known; the bundled map after it, its paths
         * made absolute, without its own detail */
        GString *map = g_string_new(cases[i].group);
        char **lines = g_strsplit(base, "\n", -1);
        gboolean skip = FALSE;
        for (char **l = lines; *l; l++) {
            if (g_str_has_prefix(*l, "["))
                skip = g_str_has_prefix(*l, "[detail") || g_str_has_prefix(*l, "[label");
            if (skip)
                continue;
            append_absolute_line(map, *l, geo);
        }
        g_strfreev(lines);
        char *path = write_file(dir, "m.map", map->str);
        char *out = NULL, *err = NULL;
        const char *argv[] = {CM_CLI, "check", path, NULL};
        int rc = spawn(dir, argv, &out, &err);
        /* check lists problems on stdout */
        char *all = g_strconcat(out, err, NULL);
        g_free(err);
        err = all;
        g_free(out);
        if (rc == 0 || !strstr(err, cases[i].message))
            g_error("case %zu: exit %d, stderr \"%s\"", i, rc, err);
        g_free(err);
        g_free(path);
        g_string_free(map, TRUE);
    }
    g_free(geo);
    g_free(base);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/detail/default-page", test_default_page);
    g_test_add_func("/detail/focus-page", test_focus_page);
    g_test_add_func("/detail/bad-groups", test_bad_groups);
    return g_test_run();
}
