#define _GNU_SOURCE /* dladdr: where the library is, to find its data */
/* The loaded map's public accessors: its date, language, page and projection, its inputs,
 * and where the bundled map is. */
#include "conflictmap/map.h"

#include "ctx.h"
#include "keyfile.h"
#include "map_impl.h"
#include "words.h"

#include <dlfcn.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

cm_status cm_map_set_date(cm_map *map, const char *date, cm_ctx *ctx)
{
    GDate d;
    cm_ctx_begin(ctx);
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    map->date = d;
    return CM_OK;
}

void cm_map_get_date(char buf[11], const cm_map *map)
{
    cm_format_date(&map->date, buf);
}

void cm_map_page_size(double *width, double *height, const cm_map *map)
{
    *width = map->page_w;
    *height = map->page_h;
}

cm_status cm_map_lonlat_to_page(double *x, double *y, const cm_map *map, double lon, double lat,
                                cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) ||
        !cm_projection_lonlat_to_page(map->proj, lon, lat, x, y))
        return cm_fail(ctx, CM_EUSAGE, "lon %g, lat %g does not project onto the map", lon, lat);
    return CM_OK;
}

const char *const *cm_map_input_files(const cm_map *map)
{
    return (const char *const *)map->inputs->pdata;
}

cm_status cm_map_page_to_lonlat(double *lon, double *lat, const cm_map *map, double x, double y,
                                cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (!isfinite(x) || !isfinite(y) || !cm_projection_page_to_lonlat(map->proj, x, y, lon, lat))
        return cm_fail(ctx, CM_EUSAGE, "page point %g, %g does not project back to lon/lat", x, y);
    return CM_OK;
}

/* The bundled map: $CONFLICTMAP_DATA; else beside this library as installed
 * (LIBDIR/../share/conflictmap, wherever the prefix was moved); else the configured data
 * directory; else, for a library still in its build tree, the source tree. */
const char *cm_default_map_path(void)
{
    static gsize once = 0;
    static char *path = NULL;
    if (g_once_init_enter(&once)) {
        GPtrArray *c = g_ptr_array_new_with_free_func(g_free);
        const char *env = g_getenv("CONFLICTMAP_DATA");
        if (env && *env)
            g_ptr_array_add(c, g_build_filename(env, "geodata", "libya.map", NULL));
        Dl_info info;
        if (dladdr((void *)cm_default_map_path, &info) && info.dli_fname) {
            char *real = realpath(info.dli_fname, NULL);
            char *dir = g_path_get_dirname(real ? real : info.dli_fname);
            gboolean in_build = g_str_has_prefix(dir, CM_BUILD_DIR);
            g_ptr_array_add(c, g_build_filename(dir, CM_LIB_TO_DATA, "geodata", "libya.map", NULL));
            g_ptr_array_add(c, g_strdup(CM_DATADIR "/geodata/libya.map"));
            if (in_build)
                g_ptr_array_add(c, g_strdup(CM_SOURCE_DIR "/geodata/libya.map"));
            g_free(dir);
            free(real);
        } else {
            g_ptr_array_add(c, g_strdup(CM_DATADIR "/geodata/libya.map"));
        }
        for (guint i = 0; i < c->len && !path; i++)
            if (g_file_test(c->pdata[i], G_FILE_TEST_IS_REGULAR))
                path = g_strdup(c->pdata[i]);
        if (!path) /* named in the error that follows */
            path = g_strdup(c->len ? c->pdata[0] : CM_DATADIR "/geodata/libya.map");
        g_ptr_array_unref(c);
        g_once_init_leave(&once, 1);
    }
    return path;
}


cm_status cm_map_set_diff_from(cm_map *map, const char *date, cm_ctx *ctx)
{
    GDate d;
    cm_ctx_begin(ctx);
    if (!date) {
        map->has_diff_from = FALSE;
        return CM_OK;
    }
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    if (g_date_compare(&d, &map->date) >= 0)
        return cm_fail(ctx, CM_EUSAGE, "the earlier date %s must be before the map's date", date);
    map->diff_from = d;
    map->has_diff_from = TRUE;
    return CM_OK;
}

/* Arabic asked for, and a named layer has no Arabic name at all: its labels stay English,
 * said once per layer. */
static void warn_no_arabic(const cm_map *map, cm_ctx *ctx)
{
    const placed_layer *layers[] = {&map->regions, &map->places, &map->neighbours};
    for (size_t k = 0; k < G_N_ELEMENTS(layers); k++) {
        const cm_layer *l = layers[k]->layer;
        gboolean any = FALSE, named = FALSE;
        for (int i = 0; l && i < l->n && !any; i++) {
            any = l->features[i].name_ar != NULL;
            named |= l->features[i].name != NULL;
        }
        if (l && named && !any)
            cm_warn(ctx, "%s: no Arabic names (the map file's name-ar): its labels stay in English",
                    l->path);
    }
}

cm_status cm_map_set_lang(cm_map *map, const char *lang, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (strcmp(lang, "en") && strcmp(lang, "ar") && strcmp(lang, "fr") && strcmp(lang, "en+ar"))
        return cm_fail(ctx, CM_EUSAGE, "language \"%s\" must be en, ar, fr or en+ar", lang);
    g_free(map->style->lang);
    map->style->lang = g_strdup(lang);
    cm_words_localise(map->style);
    cm_mapfile_localise(map->mf, cm_words_lang(map->style)); /* a detail's: its heading */
    if (strstr(lang, "ar") && !map->part)
        warn_no_arabic(map, ctx);
    for (int i = 0; i < map->ndetails; i++) /* the details speak the map's language */
        cm_map_set_lang(map->details[i], lang, ctx);
    return CM_OK;
}
