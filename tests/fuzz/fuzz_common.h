/* Shared by the fuzz targets: the input goes to files in a private scratch folder, since the
 * parsers under test read files, as users' tools do. */
#ifndef CM_FUZZ_COMMON_H
#define CM_FUZZ_COMMON_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

static char *fuzz_dir(void)
{
    static char *dir;
    if (!dir) {
        const char *base = g_file_test("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm" : g_get_tmp_dir();
        char *tmpl = g_build_filename(base, "cmfuzz-XXXXXX", NULL);
        dir = g_mkdtemp(tmpl);
    }
    return dir;
}

G_GNUC_UNUSED static char *fuzz_file(const char *name, const uint8_t *data, size_t size)
{
    char *path = g_build_filename(fuzz_dir(), name, NULL);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(data, 1, size, f);
        fclose(f);
    }
    return path;
}

#endif
