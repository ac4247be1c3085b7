#define _GNU_SOURCE /* dladdr */
/* Finding the data module: see io.h.  Compiled twice: for the shared library, it loads
 * conflictmap-io.so from beside the library ($CONFLICTMAP_IO names
 * another); with CM_IO_STATIC, for the static library, the table is linked in. */
#include "io.h"

#include "ctx.h"
#include "map_impl.h"

#ifdef CM_IO_STATIC

extern const cm_io_api cm_io_module;

const cm_io_api *cm_io(cm_ctx *ctx)
{
    (void)ctx;
    return &cm_io_module;
}

#else

#include <dlfcn.h>
#include <stdlib.h>

static const cm_io_api *api;
static char *failure; /* why the module could not be loaded */

static void load_module(void)
{
    char *path = NULL;
    const char *env = g_getenv("CONFLICTMAP_IO");
    Dl_info info;
    if (env && *env) {
        path = g_strdup(env);
    } else if (dladdr((void *)cm_io, &info) && info.dli_fname) {
        char *real = realpath(info.dli_fname, NULL);
        char *dir = g_path_get_dirname(real ? real : info.dli_fname);
        path = g_build_filename(dir, "conflictmap-io.so", NULL);
        g_free(dir);
        free(real);
    } else {
        path = g_strdup("conflictmap-io.so");
    }
    /* lazy: most of the 35 ms of loading GDAL is binding symbols it will never call */
    void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    const cm_io_api *t = h ? dlsym(h, "cm_io_module") : NULL;
    if (!h)
        failure = g_strdup_printf("cannot load the data reader: %s", dlerror());
    else if (!t)
        failure = g_strdup_printf("%s: not a conflictmap data reader", path);
    else if (t->abi != CM_IO_ABI || t->map_size != sizeof(struct cm_map) ||
             g_strcmp0(t->version, CM_VERSION) != 0)
        failure = g_strdup_printf("%s is from another version of conflictmap (%s, not %s)", path,
                                  t->version ? t->version : "?", CM_VERSION);
    else
        api = t;
    g_free(path);
}

const cm_io_api *cm_io(cm_ctx *ctx)
{
    static gsize once = 0;
    if (g_once_init_enter(&once)) {
        load_module();
        g_once_init_leave(&once, 1);
    }
    if (!api && ctx)
        cm_fail(ctx, CM_EINTERNAL, "%s", failure);
    return api;
}

#endif
