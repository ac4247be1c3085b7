/* Output: surfaces, and the atomic write.  Every byte goes through one write function, so a
 * short write (full disk) is seen wherever it happens. */
#include "output.h"

#include "ctx.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

struct cm_output {
    cm_format format;
    char *path, *tmp;
    int fd;
    int write_errno; /* first failed write's errno, 0 if none */
    cairo_surface_t *surface;
};

cm_status cm_format_from_path(cm_format *out, const char *path, cm_ctx *ctx)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (dot && (!slash || dot > slash)) {
        if (g_ascii_strcasecmp(dot, ".png") == 0)
            return *out = CM_FORMAT_PNG, CM_OK;
        if (g_ascii_strcasecmp(dot, ".pdf") == 0)
            return *out = CM_FORMAT_PDF, CM_OK;
        if (g_ascii_strcasecmp(dot, ".svg") == 0)
            return *out = CM_FORMAT_SVG, CM_OK;
    }
    return cm_fail(ctx, CM_EUSAGE, "%s: unknown output format; use .png, .pdf or .svg", path);
}

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length)
{
    cm_output *o = closure;
    while (length > 0 && !o->write_errno) {
        ssize_t n = write(o->fd, data, length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            o->write_errno = errno;
            break;
        }
        data += n;
        length -= (unsigned int)n;
    }
    return o->write_errno ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

cm_status cm_output_begin(cm_output **out, const char *path, cm_format format, double w_pt,
                          double h_pt, double dpi, cm_ctx *ctx)
{
    *out = NULL;
    double wpx = fmax(1, round(w_pt * dpi / 72)), hpx = fmax(1, round(h_pt * dpi / 72));
    if (format == CM_FORMAT_PNG && (wpx * hpx > CM_PIXEL_BUDGET || wpx > 32767 || hpx > 32767))
        return cm_fail(ctx, CM_EUSAGE,
                       "%s: %.0f x %.0f px at %g dpi is over the budget of %.0f million pixels "
                       "(and 32767 px a side); lower --dpi or the page size",
                       path, wpx, hpx, dpi, CM_PIXEL_BUDGET / 1e6);
    if (g_file_test(path, G_FILE_TEST_IS_DIR))
        return cm_fail(ctx, CM_EOUTPUT, "%s: is a directory", path);

    cm_output *o = g_new0(cm_output, 1);
    o->format = format;
    o->path = g_strdup(path);
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    char *name = g_strdup_printf(".%s.XXXXXX", base);
    o->tmp = g_build_filename(dir, name, NULL);
    g_free(name);
    g_free(base);
    o->fd = g_mkstemp_full(o->tmp, O_WRONLY, 0644);
    if (o->fd < 0) {
        int e = errno;
        cm_status st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot write in %s: %s", path, dir,
                               g_strerror(e));
        g_free(dir);
        g_clear_pointer(&o->tmp, g_free);
        cm_output_abort(o);
        return st;
    }
    g_free(dir);
    switch (format) {
    case CM_FORMAT_PNG:
        o->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
        cairo_surface_set_device_scale(o->surface, dpi / 72, dpi / 72);
        break;
    case CM_FORMAT_PDF:
        o->surface = cairo_pdf_surface_create_for_stream(write_fd, o, w_pt, h_pt);
        break;
    case CM_FORMAT_SVG:
        o->surface = cairo_svg_surface_create_for_stream(write_fd, o, w_pt, h_pt);
        cairo_svg_surface_set_document_unit(o->surface, CAIRO_SVG_UNIT_PT);
        break;
    }
    if (cairo_surface_status(o->surface) != CAIRO_STATUS_SUCCESS) {
        cm_status st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot create the surface: %s", path,
                               cairo_status_to_string(cairo_surface_status(o->surface)));
        cm_output_abort(o);
        return st;
    }
    *out = o;
    return CM_OK;
}

cairo_surface_t *cm_output_surface(cm_output *o)
{
    return o->surface;
}

void cm_output_abort(cm_output *o)
{
    if (!o)
        return;
    if (o->surface) {
        /* finishing a stream surface writes; let it, then throw the file away */
        cairo_surface_finish(o->surface);
        cairo_surface_destroy(o->surface);
    }
    if (o->fd >= 0)
        close(o->fd);
    if (o->tmp)
        g_unlink(o->tmp);
    g_free(o->tmp);
    g_free(o->path);
    g_free(o);
}

cm_status cm_output_commit(cm_output *o, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cairo_status_t cs;
    if (o->format == CM_FORMAT_PNG) {
        cairo_surface_flush(o->surface);
        cs = cairo_surface_write_to_png_stream(o->surface, write_fd, o);
    } else {
        cairo_surface_finish(o->surface);
        cs = cairo_surface_status(o->surface);
    }
    if (o->write_errno) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: write failed: %s", o->path, g_strerror(o->write_errno));
        goto fail;
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: %s", o->path, cairo_status_to_string(cs));
        goto fail;
    }
    if (fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot flush to disk: %s", o->path, g_strerror(errno));
        goto fail;
    }
    int fd = o->fd;
    o->fd = -1;
    if (close(fd) != 0) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: write failed: %s", o->path, g_strerror(errno));
        goto fail;
    }
    if (g_rename(o->tmp, o->path) != 0) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot replace the file: %s", o->path,
                     g_strerror(errno));
        goto fail;
    }
    g_clear_pointer(&o->tmp, g_free);
fail:
    cairo_surface_destroy(o->surface);
    o->surface = NULL;
    cm_output_abort(o);
    return st;
}
