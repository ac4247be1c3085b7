/* The web edition's page as written, without a browser (web/test/ drives Chromium): its
 * features and their ids, each date stored as the changes since the date before, nothing
 * that would make a request, and no page at all for bad input. */
#include "conflictmap/conflictmap.h"
#include "layout.h"
#include "map_impl.h"
#include "testutil.h"
#include "words.h"

#include <glib/gstdio.h>
#include <string.h>

static cm_map *load(cm_ctx *ctx)
{
    cm_map *map = NULL;
    if (cm_map_load(&map, cm_default_map_path(), NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    return map;
}

static char *page(cm_map *map, const char *const *dates, int n, cm_ctx *ctx)
{
    char *dir = scratch_dir(), *path = g_build_filename(dir, "map.html", NULL), *text = NULL;
    if (cm_map_render_web(map, path, dates, n, NULL, ctx) != CM_OK)
        g_error("%s", cm_ctx_message(ctx));
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    rm_rf(dir);
    g_free(dir);
    g_free(path);
    return text;
}

/* The data's "changes" of date k, as written: the object between its braces. */
static char *changes_of(const char *html, int k)
{
    const char *p = strstr(html, "\"changes\":[");
    g_assert_nonnull(p);
    p = strchr(p, '{');
    for (int i = 0; i < k; i++) {
        int depth = 0;
        for (; *p; p++) {
            depth += *p == '{' ? 1 : *p == '}' ? -1 : 0;
            if (depth == 0)
                break;
        }
        p = strchr(p, '{');
    }
    const char *end = p;
    for (int depth = 0; *end; end++) {
        depth += *end == '{' ? 1 : *end == '}' ? -1 : 0;
        if (depth == 0)
            break;
    }
    return g_strndup(p, (gsize)(end - p + 1));
}

/* Every district of the map and every town it shows has its element, by key. */
static void test_ids(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(ctx);
    const char *dates[] = {"2020-01-10"};
    char *html = page(map, dates, 1, ctx);
    for (int i = 0; i < map->regions.layer->n; i++) {
        char *id = g_strdup_printf("id=\"region-%s\"", map->regions.layer->features[i].key);
        if (map->regions.page[i].nrings && !strstr(html, id))
            g_error("no element %s", id);
        g_free(id);
    }
    for (int i = 0; i < map->places.layer->n; i++) {
        char *id = g_strdup_printf("id=\"%s-%s\"", i >= map->first_site ? "site" : "town",
                                   map->places.layer->features[i].key);
        if (cm_place_in_frame(map, i) && !strstr(html, id))
            g_error("no element %s", id);
        g_free(id);
    }
    g_free(html);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A date stores only what changed: Sirte town (index after the regions) changes hands on
 * 2020-01-06, so the second date holds it and the third, a day later, holds nothing. */
static void test_changes(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(ctx);
    const char *dates[] = {"2020-01-01", "2020-01-06", "2020-01-07"};
    char *html = page(map, dates, 3, ctx);
    int sirte = -1;
    for (int i = 0; i < map->places.layer->n; i++)
        if (i < map->first_site && !strcmp(map->places.layer->features[i].key, "sirte"))
            sirte = map->regions.layer->n + i;
    g_assert_cmpint(sirte, >=, 0);
    char *key = g_strdup_printf("\"%d\":", sirte);
    char *first = changes_of(html, 0), *second = changes_of(html, 1), *third = changes_of(html, 2);
    g_assert_nonnull(strstr(first, key));
    g_assert_nonnull(strstr(second, key));
    /* "since" in the page's language, as the catalogue writes a date */
    GDate day;
    g_date_set_dmy(&day, 6, G_DATE_JANUARY, 2020);
    char *since = cm_format_date_long(map->style, &day);
    g_assert_nonnull(strstr(second, since));
    g_free(since);
    g_assert_cmpstr(third, ==, "{}");
    /* the first date holds every district */
    char *region0 = g_strdup_printf("{\"0\":");
    g_assert_true(g_str_has_prefix(first, region0));
    g_free(region0);
    g_free(key), g_free(first), g_free(second), g_free(third);
    g_free(html);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* The element with id `id`, from its tag's start to the end of its first child or itself. */
static char *element(const char *html, const char *id)
{
    char *attr = g_strdup_printf("id=\"%s\"", id);
    const char *p = strstr(html, attr);
    g_free(attr);
    if (!p)
        return NULL;
    while (p > html && *p != '<')
        p--;
    const char *end = strstr(p, "\n</g>");
    const char *line = strchr(p, '\n');
    if (g_str_has_prefix(p, "<circle") || !end)
        end = line;
    return g_strndup(p, (gsize)(end - p));
}

/* The legend's swatches are drawn as the map draws each kind: a front line with its teeth
 * (paths, not a dot), every site kind its own icon, the capital a star, as on the map, where
 * the capital is a star too (not a round dot) and a site its kind's icon. */
static void test_symbols(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(ctx);
    const char *dates[] = {"2020-01-10"};
    char *html = page(map, dates, 1, ctx);
    const char *sw = strstr(html, "\"swatches\":[");
    g_assert_nonnull(sw);
    const char *sw_end = strstr(sw, "\"sources\":[");
    g_assert_nonnull(sw_end);
    char *swatches = g_strndup(sw, (gsize)(sw_end - sw));
    char **items = g_strsplit(swatches, "\n", -1);
    /* one swatch per kind drawn: find those of a front, a star, a town's dot and the sites */
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    int front = 0, star = 0, sites = 0;
    for (char **it = items; *it; it++) {
        if (!strstr(*it, "cm-sw"))
            continue;
        /* every swatch unique: an item's drawing is written once */
        g_assert_false(g_hash_table_contains(seen, *it));
        g_hash_table_add(seen, g_strdup(*it));
        char *kind = g_strdup_printf("data-kind=\\\"%d\\\"", CM_SWATCH_FRONT);
        if (strstr(*it, kind)) {
            front++;
            /* in the data, '<' is written \u003c */
            g_assert_nonnull(strstr(*it, "\\u003cpath"));
            g_assert_null(strstr(*it, "\\u003ccircle"));
        }
        g_free(kind);
        kind = g_strdup_printf("data-kind=\\\"%d\\\"", CM_SWATCH_STAR);
        star += strstr(*it, kind) != NULL;
        g_free(kind);
        kind = g_strdup_printf("data-kind=\\\"%d\\\"", CM_SWATCH_SITE);
        sites += strstr(*it, kind) != NULL;
        g_free(kind);
    }
    g_assert_cmpint(front, ==, 1);
    g_assert_cmpint(star, ==, 1);
    g_assert_cmpint(sites, >=, 3); /* the bundled map's oil terminals, fields, air bases, ... */
    /* the map's capital is a star (paths the script colours), a town a dot */
    char *tripoli = element(html, "town-tripoli"), *sirte = element(html, "town-sirte");
    g_assert_nonnull(tripoli);
    g_assert_true(g_str_has_prefix(tripoli, "<g "));
    g_assert_nonnull(strstr(tripoli, "currentColor"));
    g_assert_nonnull(sirte);
    g_assert_true(g_str_has_prefix(sirte, "<circle "));
    /* a site is its kind's icon, coloured by the script: not a dot */
    int site = -1;
    for (int i = map->first_site; i < map->places.layer->n && site < 0; i++)
        if (cm_place_in_frame(map, i))
            site = i;
    g_assert_cmpint(site, >=, 0);
    char *id = g_strconcat("site-", map->places.layer->features[site].key, NULL);
    char *icon = element(html, id);
    g_assert_nonnull(icon);
    g_assert_true(g_str_has_prefix(icon, "<g "));
    g_assert_nonnull(strstr(icon, "currentColor"));
    g_free(id), g_free(icon);
    g_free(tripoli), g_free(sirte);
    g_hash_table_unref(seen);
    g_strfreev(items);
    g_free(swatches);
    g_free(html);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* Nothing on the page loads from elsewhere: no src, stylesheet or font but data:, a policy
 * that forbids the rest, and the script inline; the style's fonts are embedded, subset. */
static void test_self_contained(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(ctx);
    const char *dates[] = {"2019-06-01", "2020-06-06"};
    char *html = page(map, dates, 2, ctx);
    g_assert_nonnull(strstr(html, "default-src 'none'"));
    for (const char *p = html; (p = strstr(p, " src=\"")); p++)
        g_assert_true(g_str_has_prefix(p + 6, "data:"));
    g_assert_null(strstr(html, "<link"));
    g_assert_null(strstr(html, "@import"));
    for (const char *p = html; (p = strstr(p, "url(")); p++)
        g_assert_true(g_str_has_prefix(p + 4, "data:") || g_str_has_prefix(p + 4, "#"));
    /* Noto Sans regular and bold, Noto Sans Arabic regular and bold (fonts-noto-core) */
    int faces = 0;
    for (const char *p = html; (p = strstr(p, "@font-face")); p++)
        faces++;
    g_assert_cmpint(faces, ==, 4);
    g_assert_nonnull(strstr(html, "font-family: \"Noto Sans Arabic\"; font-weight: 700"));
    g_assert_nonnull(strstr(html, "<noscript>"));
    g_free(html);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

/* A bad date, no date or a name that is not .html is a usage error and writes nothing. */
static void test_bad_date(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_map *map = load(ctx);
    char *dir = scratch_dir(), *path = g_build_filename(dir, "map.html", NULL);
    const char *dates[] = {"2020-01-01", "2020-02-30"};
    g_assert_cmpint(cm_map_render_web(map, path, dates, 2, NULL, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), "2020-02-30"));
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    g_assert_cmpint(cm_map_render_web(map, path, dates, 0, NULL, ctx), ==, CM_EUSAGE);
    g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));
    /* a page is .html: not a PNG's name that would hold HTML */
    char *png = g_build_filename(dir, "map.png", NULL);
    g_assert_cmpint(cm_map_render_web(map, png, dates, 1, NULL, ctx), ==, CM_EUSAGE);
    g_assert_nonnull(strstr(cm_ctx_message(ctx), ".html"));
    g_assert_false(g_file_test(png, G_FILE_TEST_EXISTS));
    g_free(png);
    rm_rf(dir);
    g_free(dir);
    g_free(path);
    cm_map_destroy(map);
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/web/ids", test_ids);
    g_test_add_func("/web/changes", test_changes);
    g_test_add_func("/web/self-contained", test_self_contained);
    g_test_add_func("/web/symbols", test_symbols);
    g_test_add_func("/web/bad-date", test_bad_date);
    return g_test_run();
}
