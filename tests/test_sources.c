/* Sources cited by id: the notes a map carries, numbered, oldest first, and honest about what
 * was reported after the map's date; the attacked status, which is not a siege. */
#include "conflictmap/conflictmap.h"

#include "map_impl.h"
#include "render_stats.h"
#include "testutil.h"

#include <string.h>

#define DATA CM_SOURCE_DIR "/tests/data/sources/"

/* The "sources" provenance of a PNG of `mapfile` on `date`. */
static char *sources_on(const char *mapfile, const char *date)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, mapfile, NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, date, ctx), ==, CM_OK);
    char *dir = scratch_dir(), *png = g_build_filename(dir, "m.png", NULL);
    cm_render_options ro;
    cm_render_options_init(&ro);
    ro.dpi = 20;
    g_assert_cmpint(cm_map_render_file(map, png, &ro, ctx), ==, CM_OK);
    char **names = NULL, **values = NULL, *found = NULL;
    g_assert_cmpint(cm_read_provenance(&names, &values, png, ctx), ==, CM_OK);
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], "sources"))
            found = g_strdup(values[i]);
    cm_strv_free(names);
    cm_strv_free(values);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    rm_rf(dir);
    g_free(png), g_free(dir);
    g_assert_nonnull(found);
    return found;
}

/* Numbered, oldest first, outlet and title and date; a source published after the map's
 * date is marked as later reporting, one published before is not. */
static void test_notes(void)
{
    char *s = sources_on(DATA "ids.map", "2019-12-19");
    g_test_message("%s", s);
    g_assert_nonnull(strstr(s, "[1] Test Wire, \u201cAn early report\u201d, 10 Jan 2019; "
                               "[2] Al Jazeera, \u201cLibya's GNA accepts Turkish offer of "
                               "military support\u201d, 19 Dec 2019; [3] Test Wire, reported 1 "
                               "May 2020."));
    g_free(s);
    /* before the Al Jazeera row begins: it is not cited; the later report still is (its row
     * began in January), marked as such */
    s = sources_on(DATA "ids.map", "2019-06-01");
    g_assert_null(strstr(s, "Al Jazeera"));
    g_assert_nonnull(strstr(s, "[2] Test Wire, reported 1 May 2020"));
    g_assert_null(strstr(s, "reported 10 Jan"));
    g_free(s);
}

/* Tripoli under attack, not encircled: the legend says so, by whom, and says nothing of a
 * siege; a row of this status names its attackers. */
static void test_attacked(void)
{
    char *dir = scratch_dir();
    char *ledger = write_file(dir, "l.csv", "date,region,controller,status,parties,source\n"
                                            "2019-01-01,tripoli,GNA,held,,test-early\n"
                                            "2019-04-06,town:tripoli,GNA,attacked,LNA,test-early\n");
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    cm_map_options_init(&mo);
    mo.control = ledger;
    g_assert_cmpint(cm_map_load(&map, DATA "ids.map", &mo, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, "2019-05-01", ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    gboolean attack = FALSE, siege = FALSE;
    for (int i = 0; i < st.nitems; i++) {
        attack |= !strcmp(st.item_texts[i], "Under attack (by LNA)");
        siege |= strstr(st.item_texts[i], "Besieged") != NULL;
    }
    g_assert_true(attack);
    g_assert_false(siege);
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    char *bad = write_file(dir, "b.csv", "date,region,controller,status,parties,source\n"
                                         "2019-04-06,town:tripoli,GNA,attacked,,test-early\n");
    mo.control = bad;
    g_assert_cmpint(cm_map_load(&map, DATA "ids.map", &mo, ctx), ==, CM_EINPUT);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "b.csv:2: an attacked row names the attackers"));
    cm_ctx_destroy(ctx);
    g_free(bad), g_free(ledger);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sources/notes", test_notes);
    g_test_add_func("/sources/attacked", test_attacked);
    return g_test_run();
}
