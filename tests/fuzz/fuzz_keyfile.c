/* Fuzz target: the map file and style parsers (GKeyFile with our line checker and the typed
 * vocabulary).  Any input must give CM_OK or an error with a message, never a crash. */
#include "conflictmap/status.h"
#include "fuzz_common.h"
#include "mapfile.h"
#include "style.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_file("in.map", data, size);
    cm_ctx *ctx = cm_ctx_new();
    cm_mapfile *mf = NULL;
    if (cm_mapfile_load(&mf, path, ctx) != CM_OK && !*cm_ctx_message(ctx))
        __builtin_trap();
    cm_mapfile_destroy(mf);
    cm_ctx_clear(ctx);
    const char *files[] = {path, NULL};
    cm_style *style = NULL;
    if (cm_style_load(&style, files, ctx) != CM_OK && !*cm_ctx_message(ctx))
        __builtin_trap();
    cm_style_destroy(style);
    cm_ctx_destroy(ctx);
    g_free(path);
    return 0;
}
