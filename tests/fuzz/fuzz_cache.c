/* Fuzz target: the load cache's reader.  The input becomes the payload of one of the bundled
 * map's two entries (its first byte picks which) behind a valid header (magic, version,
 * kind, key, length, CRC), which random bytes would never get past, and the map is loaded
 * from it.  A payload that does not parse is a miss (that part is read through GDAL); one
 * that parses into nonsense may fail the map's checks, with a message; neither may crash,
 * and what loads must render. */
#include "conflictmap/conflictmap.h"
#include "fuzz_common.h"

#include <string.h>
#include <zlib.h>

#define HEADER (8 + 4 + 4 + 4 + 32 + 8 + 4)

typedef struct {
    char *path;
    guint8 head[HEADER]; /* as written, for its kind and key */
} entry;

/* The bundled map's entries, found once by listing the folder after a first load. */
static entry *entries(const char *cache, int *n)
{
    static entry found[2];
    static int count = -1;
    if (count < 0) {
        cm_ctx *ctx = cm_ctx_new();
        cm_map *m = NULL;
        if (cm_map_load(&m, cm_default_map_path(), NULL, ctx) != CM_OK)
            __builtin_trap();
        cm_map_destroy(m);
        cm_ctx_destroy(ctx);
        count = 0;
        GDir *d = g_dir_open(cache, 0, NULL);
        const char *name;
        while (d && (name = g_dir_read_name(d)) && count < 2) {
            if (!g_str_has_suffix(name, ".cmc"))
                continue;
            found[count].path = g_build_filename(cache, name, NULL);
            char *data = NULL;
            gsize len = 0;
            if (!g_file_get_contents(found[count].path, &data, &len, NULL) || len < HEADER)
                __builtin_trap();
            memcpy(found[count].head, data, HEADER);
            g_free(data);
            count++;
        }
        if (d)
            g_dir_close(d);
        if (count != 2)
            __builtin_trap();
    }
    *n = count;
    return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char *cache = g_build_filename(fuzz_dir(), "cache", NULL);
    g_setenv("CONFLICTMAP_CACHE", cache, TRUE);
    int n = 0;
    entry *e = &entries(cache, &n)[data[0] % 2];
    data++, size--;
    /* the header as cache.c writes it, around the fuzzed payload */
    guint8 head[HEADER];
    memcpy(head, e->head, HEADER);
    guint64 len = size;
    guint32 crc = (guint32)crc32(0, data, (uInt)size);
    memcpy(head + 52, &len, 8);
    memcpy(head + 60, &crc, 4);
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, head, HEADER);
    g_byte_array_append(b, data, (guint)size);
    g_file_set_contents(e->path, (const char *)b->data, b->len, NULL);
    g_byte_array_unref(b);

    cm_ctx *ctx = cm_ctx_new();
    cm_map *m = NULL;
    if (cm_map_load(&m, cm_default_map_path(), NULL, ctx) == CM_OK) {
        char *png = g_build_filename(fuzz_dir(), "out.png", NULL);
        cm_render_options ro;
        cm_render_options_init(&ro);
        ro.dpi = 8;
        if (cm_map_render_file(m, png, &ro, ctx) != CM_OK && !*cm_ctx_message(ctx))
            __builtin_trap();
        g_free(png);
    } else if (!*cm_ctx_message(ctx)) {
        __builtin_trap();
    }
    cm_map_destroy(m);
    cm_ctx_destroy(ctx);
    g_free(cache);
    return 0;
}
