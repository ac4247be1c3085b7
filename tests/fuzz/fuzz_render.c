/* Fuzz target: the whole load-and-render path on a small data set.  The input is split at
 * lines "----" into a ledger (CSV), zones (GeoJSON) and places (CSV); the districts are the
 * bundled shapefile.  The map loads through GDAL and renders to a small PNG and a PDF; a
 * failure must leave a message. */
#include "conflictmap/conflictmap.h"
#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"control.csv", "zones.geojson", "places.csv"};
    char *text = g_strndup((const char *)data, size);
    char **parts = g_strsplit(text, "\n----\n", 3);
    char *paths[3] = {0};
    for (int i = 0; i < 3; i++) {
        const char *p = parts[0] && i < (int)g_strv_length(parts) ? parts[i] : "";
        paths[i] = fuzz_file(names[i], (const uint8_t *)p, strlen(p));
    }
    char *map = g_strdup_printf(
        "[map]\ncrs = +proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84\n"
        "extent = 8.8, 19.2, 25.9, 34.4\ndate = 2019-12-19\n"
        "styles = " CM_SOURCE_DIR "/styles/default.ini\n"
        "[regions]\nfile = " CM_SOURCE_DIR "/geodata/districts.shp\nkey = key\nname = name_en\n"
        "[places]\nfile = %s\nkey = key\nname = name_en\nname-ar = name_ar\nkind = kind\nrank = rank\n"
        "[control]\nfile = %s\n[zones]\nfile = %s\n",
        paths[2], paths[0], paths[1]);
    char *mapfile = fuzz_file("fuzz.map", (const uint8_t *)map, strlen(map));
    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    if (cm_map_load(&m, mapfile, NULL, ctx) == CM_OK) {
        char *png = g_build_filename(fuzz_dir(), "out.png", NULL);
        char *pdf = g_build_filename(fuzz_dir(), "out.pdf", NULL);
        cm_render_options ro;
        cm_render_options_init(&ro);
        ro.dpi = 12;
        if (cm_map_render_file(m, png, &ro, ctx) != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        cm_map_render_file(m, pdf, &ro, ctx);
        g_free(png);
        g_free(pdf);
    } else if (!*cm_ctx_message(ctx)) {
        __builtin_trap();
    }
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    g_free(mapfile);
    g_free(map);
    for (int i = 0; i < 3; i++)
        g_free(paths[i]);
    g_strfreev(parts);
    g_free(text);
    return 0;
}
