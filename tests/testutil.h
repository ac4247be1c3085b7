/* Helpers shared by the test binaries: scratch folders and files. */
#ifndef CM_TESTUTIL_H
#define CM_TESTUTIL_H

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

/* A fresh folder under the build tree's tmp, removed by the caller with rm_rf. */
static inline char *scratch_dir(void)
{
    GError *err = NULL;
    char *dir = g_dir_make_tmp("cmtest-XXXXXX", &err);
    g_assert_no_error(err);
    return dir;
}

static inline char *write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    GError *err = NULL;
    g_file_set_contents(path, text, -1, &err);
    g_assert_no_error(err);
    return path;
}

static inline void copy_file(const char *from, const char *to)
{
    char *data = NULL;
    gsize len = 0;
    g_assert_true(g_file_get_contents(from, &data, &len, NULL));
    g_assert_true(g_file_set_contents(to, data, (gssize)len, NULL));
    g_free(data);
}

static inline void rm_rf(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
        char *p = g_build_filename(dir, name, NULL);
        if (g_file_test(p, G_FILE_TEST_IS_DIR))
            rm_rf(p);
        else
            g_unlink(p);
        g_free(p);
    }
    if (d)
        g_dir_close(d);
    g_rmdir(dir);
}

/* Runs argv (searched in PATH) in cwd (NULL: here); returns its exit code, 128 if it died.
 * stdout and stderr go to *out and *err when those are given. */
static inline int spawn(const char *cwd, const char *const *argv, char **out, char **err)
{
    int status = 0;
    GError *e = NULL;
    if (!g_spawn_sync(cwd, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &e))
        g_error("%s: %s", argv[0], e->message);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* The crowded test map's inputs in dir: 400 random places (a fixed seed) over Libya's
 * districts, and the bundled ledger without its town and site rows (the map has neither). */
static inline void write_crowded_inputs(const char *dir, char **places, char **control)
{
    GString *csv = g_string_new("key,name_en,name_ar,kind,rank,lon,lat\n");
    GRand *rand = g_rand_new_with_seed(2019);
    for (int i = 0; i < 400; i++)
        g_string_append_printf(csv, "p%d,Place %d,مكان %d,town,%d,%.4f,%.4f\n", i, i, i,
                               g_rand_int_range(rand, 1, 5), g_rand_double_range(rand, 10, 25),
                               g_rand_double_range(rand, 20, 33));
    g_rand_free(rand);
    *places = write_file(dir, "places.csv", csv->str);
    g_string_free(csv, TRUE);
    char *all = NULL;
    g_assert_true(g_file_get_contents(CM_SOURCE_DIR "/geodata/control.csv", &all, NULL, NULL));
    char **rows = g_strsplit(all, "\n", -1);
    GString *districts = g_string_new(NULL);
    for (char **r = rows; *r; r++)
        if (!strstr(*r, ",town:") && !strstr(*r, ",site:"))
            g_string_append_printf(districts, "%s\n", *r);
    *control = write_file(dir, "control.csv", districts->str);
    g_string_free(districts, TRUE);
    g_strfreev(rows);
    g_free(all);
}

/* A line of a map file with its paths made absolute against `dir`, the map's folder: the
 * path of "file = X" and each of "styles = A, B" (tests copy the bundled map elsewhere). */
static inline void append_absolute_line(GString *out, const char *line, const char *dir)
{
    if (g_str_has_prefix(line, "file = ")) {
        g_string_append_printf(out, "file = %s/%s\n", dir, line + 7);
    } else if (g_str_has_prefix(line, "styles = ")) {
        char **paths = g_strsplit(line + 9, ",", -1);
        g_string_append(out, "styles = ");
        for (char **p = paths; *p; p++)
            g_string_append_printf(out, "%s%s/%s", p == paths ? "" : ", ", dir, g_strstrip(*p));
        g_string_append_c(out, '\n');
        g_strfreev(paths);
    } else {
        g_string_append_printf(out, "%s\n", line);
    }
}

#endif
