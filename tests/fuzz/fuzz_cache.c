/* Fuzz target: the load cache's reader.  The input becomes an entry's payload behind a valid
 * header (magic, version, key, length, CRC), which random bytes would never get past, and
 * the bundled map is loaded from it.  A payload that does not parse is a miss (the map then
 * loads through GDAL); one that parses into nonsense may fail the map's checks, with a
 * message; neither may crash, and what loads must render. */
#include "conflictmap/conflictmap.h"
#include "fuzz_common.h"

#include <zlib.h>
#include <openssl/evp.h>
#include <string.h>

/* The key the bundled map loads under, found once by listing the folder after a first load. */
static char *entry_name(const char *cache)
{
    static char *name;
    if (!name) {
        cm_ctx *ctx = cm_ctx_new();
        cm_map *m = NULL;
        if (cm_map_load(&m, cm_default_map_path(), NULL, ctx) != CM_OK)
            __builtin_trap();
        cm_map_destroy(m);
        cm_ctx_destroy(ctx);
        GDir *d = g_dir_open(cache, 0, NULL);
        const char *n;
        while (d && (n = g_dir_read_name(d)))
            if (g_str_has_suffix(n, ".cmc"))
                name = g_strdup(n);
        if (d)
            g_dir_close(d);
        if (!name)
            __builtin_trap();
    }
    return name;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *cache = g_build_filename(fuzz_dir(), "cache", NULL);
    g_setenv("CONFLICTMAP_CACHE", cache, TRUE);
    char *path = g_build_filename(cache, entry_name(cache), NULL);
    /* the header as cache.c writes it, around the fuzzed payload */
    guint8 key[32];
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(entry_name(cache) + 2 * i, "%2x", &v);
        key[i] = (guint8)v;
    }
    guint32 version = 1, bom = 0x01020304u, crc = (guint32)crc32(0, data, (uInt)size);
    guint64 len = size;
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, (const guint8 *)"CMLOAD\r\n", 8);
    g_byte_array_append(b, (const guint8 *)&version, 4);
    g_byte_array_append(b, (const guint8 *)&bom, 4);
    g_byte_array_append(b, key, 32);
    g_byte_array_append(b, (const guint8 *)&len, 8);
    g_byte_array_append(b, (const guint8 *)&crc, 4);
    g_byte_array_append(b, data, (guint)size);
    g_file_set_contents(path, (const char *)b->data, b->len, NULL);
    g_byte_array_unref(b);

    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    if (cm_map_load(&m, cm_default_map_path(), NULL, ctx) == CM_OK) {
        char *png = g_build_filename(fuzz_dir(), "out.png", NULL);
        cm_render_options ro = {.dpi = 8};
        if (cm_map_render_file(m, png, &ro, ctx) != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        g_free(png);
    } else if (!*cm_ctx_message(ctx)) {
        __builtin_trap();
    }
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    g_free(path);
    g_free(cache);
    return 0;
}
