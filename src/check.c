/* Checking a loaded map's data against itself: the ledger's keys against the regions' and
 * places', controllers against the style's, cited sources against the sources table; and
 * cm_map_check, which reports every problem instead of the first. */
#include "ctx.h"
#include "ledger.h"
#include "map_impl.h"
#include "sources.h"
#include "timeline.h"

#include <string.h>

/* The keys the ledger may name: each region's (present and unique) and "town:" each place's.
 * Fills map->town_keys; *out borrows the keys. */
static cm_status known_keys(GHashTable **out, cm_map *map, cm_ctx *ctx)
{
    GHashTable *keys = g_hash_table_new(g_str_hash, g_str_equal);
    *out = keys;
    for (int i = 0; i < map->regions.layer->n; i++) {
        const cm_feature *f = &map->regions.layer->features[i];
        if (!f->key)
            return cm_fail(ctx, CM_EINPUT, "%s: feature %ld has an empty key",
                           map->mf->regions.file, f->fid);
        if (g_hash_table_contains(keys, f->key))
            return cm_fail(ctx, CM_EINPUT, "%s: feature %ld repeats the key \"%s\"",
                           map->mf->regions.file, f->fid, f->key);
        g_hash_table_add(keys, f->key);
    }
    if (map->places.layer) {
        map->town_keys = g_new0(char *, (size_t)map->places.layer->n + 1);
        for (int i = 0; i < map->places.layer->n; i++) {
            const cm_feature *f = &map->places.layer->features[i];
            if (!f->key)
                continue;
            map->town_keys[i] = g_strconcat(i < map->first_site ? "town:" : "site:", f->key, NULL);
            if (g_hash_table_contains(keys, map->town_keys[i]))
                /* two points under one key would both take its rows */
                return cm_fail(ctx, CM_EINPUT, "%s: feature %ld repeats the key \"%s\"",
                               i < map->first_site ? map->mf->places.file : map->mf->sites.file,
                               f->fid, f->key);
            g_hash_table_add(keys, map->town_keys[i]);
        }
    }
    return CM_OK;
}

/* With a sources table, every source a row, zone or line cites must be in it. */
static cm_status check_sources(const cm_map *map, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    /* a row's source is interned (ledger.h): a cell found good once is good on every row that
     * cites it, so a million rows citing a hundred cells are checked a hundred times */
    GHashTable *good = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; st == CM_OK && i < map->ledger->rows->len; i++) {
        const cm_ledger_row *r = map->ledger->rows->pdata[i];
        if (g_hash_table_contains(good, r->source))
            continue;
        guint had = problems ? problems->len : 0;
        char *where = g_strdup_printf("%s:%d", map->ledger->path, r->line);
        st = cm_sources_check_cell(map->sources, r->source, where, problems, ctx);
        g_free(where);
        if (st == CM_OK && (problems ? problems->len : 0) == had)
            g_hash_table_add(good, r->source);
    }
    g_hash_table_unref(good);
    for (int i = 0; st == CM_OK && map->events && i < map->events->n; i++) {
        char *where = g_strdup_printf("%s:%d", map->events->path, map->events->items[i].line);
        st = cm_sources_check_cell(map->sources, map->events->items[i].sources, where, problems,
                                   ctx);
        g_free(where);
    }
    const cm_timeline *tls[] = {map->zones, map->lines};
    for (size_t k = 0; k < G_N_ELEMENTS(tls); k++)
        for (int i = 0; st == CM_OK && tls[k] && i < tls[k]->layer->n; i++) {
            char *where = g_strdup_printf("%s: feature %ld", tls[k]->path, tls[k]->items[i].fid);
            st = cm_sources_check_cell(map->sources, tls[k]->items[i].source, where, problems,
                                       ctx);
            g_free(where);
        }
    return st;
}

/* The ledger, zones and lines against the map's keys and the controllers' ids (all the
 * checks need of the style). */
cm_status cm_map_check_data(cm_map *map, const char *ledger, GPtrArray *problems, cm_ctx *ctx)
{
    GHashTable *keys = NULL;
    cm_status st = known_keys(&keys, map, ctx);
    GPtrArray *ids = g_ptr_array_new();
    for (guint i = 0; i < map->style->controllers->len; i++)
        g_ptr_array_add(ids, ((cm_controller *)map->style->controllers->pdata[i])->id);
    g_ptr_array_add(ids, NULL);
    const char *const *controllers = (const char *const *)ids->pdata;
    if (st == CM_OK && !map->borrowed) /* a detail's ledger is its map's, checked there */
        st = cm_ledger_check(map->ledger, keys, controllers, problems, ctx);
    if (st == CM_OK && map->zones)
        st = cm_timeline_check(map->zones, controllers, problems, ctx);
    if (st == CM_OK && map->lines)
        st = cm_timeline_check(map->lines, controllers, problems, ctx);
    if (st == CM_OK && map->sources && !map->borrowed)
        st = check_sources(map, problems, ctx);
    if (st == CM_OK && map->ledger->rows->len == 0)
        st = cm_fail(ctx, CM_EINPUT, "%s: the ledger has no valid rows", ledger);
    g_ptr_array_free(ids, TRUE);
    g_hash_table_unref(keys);
    return st;
}

/* Orders "file:line: message" by file, then line number; others after, as found. */
static gint problem_cmp(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    const char *cx = strstr(x, ": "), *cy = strstr(y, ": ");
    if (!cx || !cy)
        return (cx == NULL) - (cy == NULL);
    /* the file is up to the last ':' before ": " when a line number stands there */
    const char *lx = cx, *ly = cy;
    while (lx > x && g_ascii_isdigit(lx[-1]))
        lx--;
    while (ly > y && g_ascii_isdigit(ly[-1]))
        ly--;
    size_t fx = (size_t)(lx - x), fy = (size_t)(ly - y);
    int c = strncmp(x, y, MIN(fx, fy));
    if (c || fx != fy)
        return c ? c : (fx < fy ? -1 : 1);
    long nx = strtol(lx, NULL, 10), ny = strtol(ly, NULL, 10);
    return (nx > ny) - (nx < ny);
}

/* Regions the ledger never names are drawn as no data on every date: said, as a warning (a
 * new map's template starts so), the first ten by key and a count of the rest. */
static void warn_unrecorded(const cm_map *map, cm_ctx *ctx)
{
    GHashTable *named = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < map->ledger->rows->len; i++)
        g_hash_table_add(named, ((cm_ledger_row *)map->ledger->rows->pdata[i])->region);
    GString *keys = g_string_new(NULL);
    int missing = 0;
    for (int i = 0; i < map->regions.layer->n; i++) {
        const char *key = map->regions.layer->features[i].key;
        if (!key || g_hash_table_contains(named, key))
            continue;
        if (++missing <= 10)
            g_string_append_printf(keys, "%s\"%s\"", missing > 1 ? ", " : "", key);
    }
    if (missing > 10)
        g_string_append_printf(keys, " and %d more", missing - 10);
    if (missing)
        cm_warn(ctx, "%s: %d region%s with no row, drawn as no data on every date: %s",
                map->ledger->path, missing, missing > 1 ? "s" : "", keys->str);
    g_string_free(keys, TRUE);
    g_hash_table_unref(named);
}

cm_status cm_map_check(const char *path, const cm_map_options *opts, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
    cm_map *map = NULL;
    cm_status st = cm_map_load_checked(&map, path, opts, problems, ctx);
    if (st != CM_OK) {
        g_ptr_array_add(problems, g_strdup(cm_ctx_message(ctx)));
    } else if (problems->len > 0) {
        st = cm_fail(ctx, CM_EINPUT, "%s: %u problem(s) in the data", path, problems->len);
    } else {
        warn_unrecorded(map, ctx);
    }
    g_ptr_array_sort(problems, problem_cmp);
    for (guint i = 0; i < problems->len; i++)
        cm_problem(ctx, "%s", (char *)problems->pdata[i]);
    g_ptr_array_unref(problems);
    cm_map_destroy(map);
    return st;
}
