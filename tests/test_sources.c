/* Sources cited by id: the notes a map carries, numbered, oldest first, and honest about what
 * was reported after the map's date; the attacked status, which is not a siege. */
#include "conflictmap/conflictmap.h"

#include "map_impl.h"
#include "render_stats.h"
#include "testutil.h"

#include <stdlib.h>
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

/* Confidence is assessed, reported or claimed; held ground only claimed is drawn and listed
 * as a claim, apart from assessed control. */
static void test_confidence(void)
{
    char *dir = scratch_dir();
    char *ledger = write_file(dir, "l.csv", "date,region,controller,status,parties,source,confidence\n"
                                            "2019-01-01,tripoli,GNA,held,,test-early,assessed\n"
                                            "2019-01-01,misrata,LNA,held,,test-early,claimed\n");
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    cm_map_options mo;
    cm_map_options_init(&mo);
    mo.control = ledger;
    g_assert_cmpint(cm_map_load(&map, DATA "ids.map", &mo, ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    gboolean claim = FALSE, lna = FALSE;
    for (int i = 0; i < st.nitems; i++) {
        claim |= !strcmp(st.item_texts[i], "Claimed by LNA, not confirmed");
        lna |= !strcmp(st.item_texts[i], "Libyan National Army (LNA)");
    }
    g_assert_true(claim);
    g_assert_false(lna); /* the LNA's only ground here is a claim */
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    char *bad = write_file(dir, "b.csv", "date,region,controller,status,parties,source,confidence\n"
                                         "2019-01-01,tripoli,GNA,held,,test-early,rumoured\n");
    mo.control = bad;
    g_assert_cmpint(cm_map_load(&map, DATA "ids.map", &mo, ctx), ==, CM_EINPUT);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "b.csv:2: confidence \"rumoured\" must be "
                                                 "assessed, reported or claimed"));
    cm_ctx_destroy(ctx);
    g_free(bad), g_free(ledger);
    rm_rf(dir);
    g_free(dir);
}

/* The PDF's text on `date`, its lines joined. */
static char *pdf_text_on(const char *date)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "m.pdf", NULL), *text = NULL;
    const char *r[] = {CM_CLI, "render", "-q", "--date", date, "-o", pdf, NULL};
    g_assert_cmpint(spawn(NULL, r, NULL, NULL), ==, 0);
    const char *t[] = {"pdftotext", pdf, "-", NULL};
    g_assert_cmpint(spawn(NULL, t, &text, NULL), ==, 0);
    char **lines = g_strsplit(text, "\n", -1);
    char *joined = g_strjoinv(" ", lines);
    g_strfreev(lines);
    g_free(text);
    rm_rf(dir);
    g_free(pdf), g_free(dir);
    return joined;
}

/* Backers that hold no ground are events: the 19 December 2019 map tells of Turkey's
 * memoranda and the Russian mercenaries the GNA reported; the 1 November map of neither. */
static void test_events(void)
{
    char *dec = pdf_text_on("2019-12-19"), *nov = pdf_text_on("2019-11-01");
    g_assert_nonnull(strstr(dec, "Turkey"));
    g_assert_nonnull(strstr(dec, "Turkish security memorandum"));
    g_assert_nonnull(strstr(dec, "Russian Wagner"));
    g_assert_null(strstr(nov, "Turkey"));
    g_assert_null(strstr(nov, "Turkish"));
    g_assert_null(strstr(nov, "Wagner"));
    g_free(dec), g_free(nov);
}

/* Every source the bundled data cites is in its table, with a date; and the 5 April 2019 map
 * cites nothing published later unless it says so ("reported ..."). */
static void test_bundled_sources(void)
{
    cm_ctx *ctx = cm_ctx_new();
    g_assert_cmpint(cm_map_check(cm_default_map_path(), NULL, ctx), ==, CM_OK);
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, cm_default_map_path(), NULL, ctx), ==, CM_OK);
    g_assert_nonnull(map->sources);
    g_assert_cmpuint(map->sources->list->len, >, 30);
    for (guint i = 0; i < map->sources->list->len; i++)
        g_assert_true(g_date_valid(&((cm_source *)map->sources->list->pdata[i])->published));
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char *notes = sources_on(cm_default_map_path(), "2019-04-05");
    GDate map_date;
    g_date_clear(&map_date, 1);
    g_date_set_dmy(&map_date, 5, G_DATE_APRIL, 2019);
    int checked = 0;
    char **items = g_strsplit(notes, "; [", -1);
    for (char **it = items; *it; it++) {
        /* each note ends with its date: "d Mon yyyy", after "reported " when later */
        char *end = *it + strlen(*it);
        while (end > *it && (end[-1] == '.' || end[-1] == ' '))
            end--;
        char *tail = g_strndup(*it, (gsize)(end - *it));
        char **words = g_strsplit(tail, " ", -1);
        guint n = g_strv_length(words);
        g_assert_cmpuint(n, >=, 3);
        int day = atoi(words[n - 3]), year = atoi(words[n - 1]), month = 0;
        for (int m = 0; m < 12; m++)
            if (!strcmp(words[n - 2], months[m]))
                month = m + 1;
        g_assert_cmpint(month, >, 0);
        GDate d;
        g_date_clear(&d, 1);
        g_date_set_dmy(&d, (GDateDay)day, (GDateMonth)month, (GDateYear)year);
        gboolean later = n >= 4 && !strcmp(words[n - 4], "reported");
        if (g_date_compare(&d, &map_date) > 0 && !later)
            g_error("the 2019-04-05 map cites \"%s\", published later, unmarked", tail);
        if (later)
            g_assert_cmpint(g_date_compare(&d, &map_date), >, 0);
        checked++;
        g_strfreev(words);
        g_free(tail);
    }
    g_test_message("%d notes checked", checked);
    g_assert_cmpint(checked, >, 5);
    g_strfreev(items);
    g_free(notes);
}

/* On 21 June 2020 the notes do not fit under the map in full: a lone PDF carries them on the
 * pages after the map's, each with its title and address. */
static void test_notes_page(void)
{
    char *dir = scratch_dir(), *pdf = g_build_filename(dir, "m.pdf", NULL), *text = NULL;
    const char *r[] = {CM_CLI, "render", "-q", "--date", "2020-06-21", "-o", pdf, NULL};
    g_assert_cmpint(spawn(NULL, r, NULL, NULL), ==, 0);
    const char *t[] = {"pdftotext", "-f", "2", pdf, "-", NULL};
    g_assert_cmpint(spawn(NULL, t, &text, NULL), ==, 0);
    char **lines = g_strsplit(text, "\n", -1);
    char *joined = g_strjoinv(" ", lines);
    g_assert_nonnull(strstr(joined, "Sources of control: Libya: who controls what, 21 June 2020"));
    g_assert_nonnull(strstr(joined, "Middle East Monitor, \u201cLibya\u2019s GNA capture Haftar\u2019s "
                                    "last stronghold Tarhuna\u201d, 5 Jun 2020."));
    g_assert_nonnull(strstr(joined, "www.middleeastmonitor.com/20200605-libyas-gna-capture-haftars-last-stronghold-tarhuna/"));
    g_strfreev(lines);
    g_free(joined), g_free(text);
    rm_rf(dir);
    g_free(pdf), g_free(dir);
}

/* Nine events at once: the legend lists six and counts the rest, and a text with no spaces
 * is cut, so the legend stays a legend (a red team's ten events once covered the title). */
static void test_many_events(void)
{
    char *dir = scratch_dir();
    GString *ev = g_string_new("date,until,lon,lat,text,text_ar,sources\n");
    for (int i = 1; i <= 9; i++)
        g_string_append_printf(ev, "2019-12-%02d,,,,event %d %s,,aj-2019-12-19-turkey\n", i, i,
                               i == 9 ? "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN"
                                        "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN" : "");
    char *events = write_file(dir, "events.csv", ev->str);
    char *text = NULL;
    g_assert_true(g_file_get_contents(DATA "ids.map", &text, NULL, NULL));
    char *dirq = g_path_get_dirname(DATA "ids.map");
    GString *mapt = g_string_new(NULL);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) { /* the fixture's relative paths, made absolute */
        if (g_str_has_prefix(*l, "file = ") || g_str_has_prefix(*l, "styles = "))
            g_string_append_printf(mapt, "%.*s%s/%s\n", (int)(strchr(*l, '=') - *l + 2), *l,
                                   dirq, strchr(*l, '=') + 2);
        else
            g_string_append_printf(mapt, "%s\n", *l);
    }
    g_string_append_printf(mapt, "[events]\nfile = %s\n", events);
    char *mapfile = write_file(dir, "m.map", mapt->str);
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = NULL;
    g_assert_cmpint(cm_map_load(&map, mapfile, NULL, ctx), ==, CM_OK);
    g_assert_cmpint(cm_map_set_date(map, "2019-12-20", ctx), ==, CM_OK);
    cm_render_stats st;
    g_assert_cmpint(cm_map_render_stats(map, &st, ctx), ==, CM_OK);
    int listed = 0;
    gboolean more = FALSE;
    for (int i = 0; i < st.nitems; i++) {
        listed += strstr(st.item_texts[i], ": event ") != NULL;
        more |= !strcmp(st.item_texts[i], "and 3 more events in the file's metadata");
    }
    g_assert_cmpint(listed, ==, 6);
    g_assert_true(more);
    cm_render_stats_clear(&st);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
    g_strfreev(lines);
    g_string_free(mapt, TRUE), g_string_free(ev, TRUE);
    g_free(text), g_free(dirq), g_free(mapfile), g_free(events);
    rm_rf(dir);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sources/notes", test_notes);
    g_test_add_func("/sources/attacked", test_attacked);
    g_test_add_func("/sources/events", test_events);
    g_test_add_func("/sources/confidence", test_confidence);
    g_test_add_func("/sources/bundled", test_bundled_sources);
    g_test_add_func("/sources/notes-page", test_notes_page);
    g_test_add_func("/sources/many-events", test_many_events);
    return g_test_run();
}
