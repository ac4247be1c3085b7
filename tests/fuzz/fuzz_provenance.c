/* Fuzz target: the provenance reader behind `conflictmap info`, which takes any file a user
 * hands it.  The input's first byte picks a prefix (a PNG signature, "%PDF-", "<svg") so that
 * each format's parser is reached, not only the sniffing; the rest follows it.  Any input
 * must give CM_OK with NULL-terminated, valid UTF-8 arrays of equal length, or an error with
 * a message; never a crash. */
#include "conflictmap/conflictmap.h"
#include "fuzz_common.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const prefixes[] = {"", "\x89PNG\r\n\x1a\n", "%PDF-1.5\n", "<svg>"};
    size_t pick = size ? data[0] % G_N_ELEMENTS(prefixes) : 0;
    GByteArray *file = g_byte_array_new();
    g_byte_array_append(file, (const guint8 *)prefixes[pick], (guint)strlen(prefixes[pick]));
    if (size > 1)
        g_byte_array_append(file, data + 1, (guint)(size - 1));
    char *path = fuzz_file("in", file->data, file->len);
    g_byte_array_unref(file);
    cm_ctx *ctx = cm_ctx_new();
    char **names = NULL, **values = NULL;
    if (cm_read_provenance(&names, &values, path, ctx) == CM_OK) {
        if (!names || !values)
            __builtin_trap();
        size_t i = 0;
        for (; names[i]; i++)
            if (!values[i] || !g_utf8_validate(values[i], -1, NULL))
                __builtin_trap();
        if (values[i] || i == 0)
            __builtin_trap();
    } else if (!*cm_ctx_message(ctx) || names || values) {
        __builtin_trap();
    }
    cm_strv_free(names);
    cm_strv_free(values);
    cm_ctx_destroy(ctx);
    g_free(path);
    return 0;
}
