/* The error context: one message, many warnings, no globals. */
#include "ctx.h"

#include "datasource.h"

#include <stdarg.h>
#include <string.h>

struct cm_ctx {
    char *message;      /* g_malloc'd; NULL when no error */
    GPtrArray *warnings; /* of g_malloc'd strings, kept NULL-terminated */
    GPtrArray *problems; /* likewise */
};

cm_ctx *cm_ctx_new(void)
{
    cm_ctx *ctx = g_new0(cm_ctx, 1);
    ctx->warnings = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(ctx->warnings, NULL);
    ctx->problems = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(ctx->problems, NULL);
    return ctx;
}

void cm_ctx_destroy(cm_ctx *ctx)
{
    if (!ctx)
        return;
    g_free(ctx->message);
    g_ptr_array_unref(ctx->warnings);
    g_ptr_array_unref(ctx->problems);
    g_free(ctx);
}

void cm_ctx_begin(cm_ctx *ctx)
{
    if (ctx)
        g_clear_pointer(&ctx->message, g_free);
}

const char *cm_version(void)
{
    return CM_VERSION;
}

void cm_ctx_clear(cm_ctx *ctx)
{
    g_clear_pointer(&ctx->message, g_free);
    g_ptr_array_set_size(ctx->warnings, 0);
    g_ptr_array_add(ctx->warnings, NULL);
    g_ptr_array_set_size(ctx->problems, 0);
    g_ptr_array_add(ctx->problems, NULL);
}

const char *cm_ctx_message(const cm_ctx *ctx)
{
    return ctx->message ? ctx->message : "";
}

const char *const *cm_ctx_warnings(const cm_ctx *ctx, size_t *n)
{
    *n = ctx->warnings->len - 1;
    return (const char *const *)ctx->warnings->pdata;
}

/* A message as formatted, with any password in it masked: every message names its source,
 * and a source may be a connection string with a password (datasource.h).  The stages name
 * sources masked already; this is the one gate no message passes without. */
static char *masked_vprintf(const char *fmt, va_list ap)
{
    char *raw = g_strdup_vprintf(fmt, ap), *masked = cm_datasource_mask(raw);
    g_free(raw);
    /* a message is one line, whatever the data quoted in it holds: a newline or a terminal's
     * escape sequence in a value is written as \n or \x1b, not obeyed */
    GString *one = g_string_sized_new(strlen(masked));
    for (const unsigned char *p = (const unsigned char *)masked; *p; p++) {
        if (*p == '\n')
            g_string_append(one, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf(one, "\\x%02x", *p);
        else
            g_string_append_c(one, (char)*p);
    }
    g_free(masked);
    return g_string_free(one, FALSE);
}

cm_status cm_fail(cm_ctx *ctx, cm_status status, const char *fmt, ...)
{
    g_assert(status < 0);
    if (ctx && !ctx->message) {
        va_list ap;
        va_start(ap, fmt);
        ctx->message = masked_vprintf(fmt, ap);
        va_end(ap);
    }
    return status;
}

/* Appends to a NULL-terminated list, keeping the NULL last. */
static void append(GPtrArray *list, char *s)
{
    list->pdata[list->len - 1] = s;
    g_ptr_array_add(list, NULL);
}

void cm_warn(cm_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(ctx->warnings, masked_vprintf(fmt, ap));
    va_end(ap);
}

void cm_problem(cm_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    append(ctx->problems, masked_vprintf(fmt, ap));
    va_end(ap);
}

const char *const *cm_ctx_problems(const cm_ctx *ctx, size_t *n)
{
    *n = ctx->problems->len - 1;
    return (const char *const *)ctx->problems->pdata;
}

const char *cm_status_name(cm_status status)
{
    switch (status) {
    case CM_OK: return "ok";
    case CM_EUSAGE: return "usage error";
    case CM_EINPUT: return "input data error";
    case CM_ESTYLE: return "map or style file error";
    case CM_EOUTPUT: return "output error";
    case CM_ENOMEM: return "out of memory";
    case CM_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

cm_status cm_options_read(void *out, size_t out_size, const void *in, const char *what,
                          cm_ctx *ctx)
{
    if (!in)
        return CM_OK;
    unsigned size = *(const unsigned *)in;
    if (size < sizeof(unsigned))
        return cm_fail(ctx, CM_EUSAGE, "the %s were not initialised: call %s_init() first", what,
                       what);
    /* fields the caller's build knows replace the defaults; newer ones keep them */
    memcpy(out, in, MIN((size_t)size, out_size));
    *(unsigned *)out = (unsigned)out_size;
    return CM_OK;
}
