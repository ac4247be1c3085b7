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
#include <libdeflate.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

struct cm_output {
    cm_format format;
    int png_level;   /* deflate level 0-12 (libdeflate's scale; 0 stores) */
    GList *png_text; /* GBytes "keyword\0text" for tEXt chunks */
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
                          double h_pt, double dpi, int png_level, cm_ctx *ctx)
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
    o->png_level = png_level < 0 ? 6 : MIN(png_level, 12);
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

void cm_output_add_text(cm_output *o, const char *keyword, const char *text)
{
    /* tEXt is Latin-1; keep to printable ASCII so every reader shows it right */
    GString *t = g_string_new(keyword);
    g_string_append_c(t, '\0');
    for (const char *p = text; *p; p++)
        g_string_append_c(t, (*p >= 32 && *p < 127) || *p == '\n' ? *p : '?');
    gsize len = t->len;
    o->png_text = g_list_append(o->png_text, g_bytes_new_take(g_string_free(t, FALSE), len));
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
    g_list_free_full(o->png_text, (GDestroyNotify)g_bytes_unref);
    g_free(o);
}

/* Appends a PNG chunk: length, type, data, CRC over type and data. */
static void put_chunk(cm_output *o, const char type[4], const unsigned char *data, size_t len)
{
    unsigned char head[8] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                             (unsigned char)(len >> 8), (unsigned char)len,
                             (unsigned char)type[0], (unsigned char)type[1],
                             (unsigned char)type[2], (unsigned char)type[3]};
    uint32_t crc = libdeflate_crc32(0, head + 4, 4);
    if (len > 0) /* libdeflate_crc32(crc, NULL, 0) returns 0, the initial value */
        crc = libdeflate_crc32(crc, data, len);
    unsigned char tail[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                             (unsigned char)(crc >> 8), (unsigned char)crc};
    write_fd(o, head, 8);
    while (len > 0) {
        unsigned int n = len > (1u << 30) ? 1u << 30 : (unsigned int)len;
        write_fd(o, data, n);
        data += n, len -= n;
    }
    write_fd(o, tail, 4);
}

/* Writes the image surface as an 8-bit RGB PNG.  cairo's own writer goes through libpng at
 * its slowest settings (every row filter tried, zlib level 6) and takes longer than drawing
 * the whole map.  Here each row becomes RGB with the "up" filter (flat map colours leave
 * mostly zeros), in place in the surface's own memory so no second image is held, and the
 * whole stream is compressed at once with libdeflate, several times faster than zlib. */
static cairo_status_t write_png(cm_output *o)
{
    cairo_surface_t *s = o->surface;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    size_t stride = (size_t)cairo_image_surface_get_stride(s), row = 1 + 3 * (size_t)w;
    unsigned char *data = cairo_image_surface_get_data(s);
    unsigned char *prev = g_malloc0(3 * (size_t)w), *cur = g_malloc(3 * (size_t)w);
    /* rows shrink from 4w to 1 + 3w bytes, so writing behind the reader is safe */
    for (int y = 0; y < h; y++) {
        const uint32_t *px = (const uint32_t *)(data + (size_t)y * stride);
        for (int x = 0; x < w; x++) {
            cur[3 * x] = (unsigned char)(px[x] >> 16);
            cur[3 * x + 1] = (unsigned char)(px[x] >> 8);
            cur[3 * x + 2] = (unsigned char)px[x];
        }
        unsigned char *out = data + (size_t)y * row;
        out[0] = o->png_level == 0 ? 0 : 2; /* filter type: none or up */
        for (size_t i = 0; i < 3 * (size_t)w; i++)
            out[1 + i] = o->png_level == 0 ? cur[i] : (unsigned char)(cur[i] - prev[i]);
        unsigned char *t = prev;
        prev = cur, cur = t;
    }
    g_free(prev);
    g_free(cur);
    cairo_surface_mark_dirty(s);

    size_t raw = row * (size_t)h;
    struct libdeflate_compressor *z = libdeflate_alloc_compressor(MAX(o->png_level, 0));
    if (!z)
        return CAIRO_STATUS_NO_MEMORY;
    size_t bound = libdeflate_zlib_compress_bound(z, raw);
    unsigned char *zbuf = g_try_malloc(bound);
    if (!zbuf) {
        libdeflate_free_compressor(z);
        return CAIRO_STATUS_NO_MEMORY;
    }
    size_t zlen = libdeflate_zlib_compress(z, data, raw, zbuf, bound);
    libdeflate_free_compressor(z);

    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char ihdr[13] = {(unsigned char)(w >> 24), (unsigned char)(w >> 16),
                              (unsigned char)(w >> 8),  (unsigned char)w,
                              (unsigned char)(h >> 24), (unsigned char)(h >> 16),
                              (unsigned char)(h >> 8),  (unsigned char)h,
                              8, 2, 0, 0, 0}; /* 8 bits, RGB, deflate, adaptive filters, no interlace */
    write_fd(o, sig, 8);
    put_chunk(o, "IHDR", ihdr, sizeof ihdr);
    for (GList *t = o->png_text; t; t = t->next) {
        gsize len = 0;
        const unsigned char *text = g_bytes_get_data(t->data, &len);
        put_chunk(o, "tEXt", text, len);
    }
    /* IDAT chunks of at most 1 MiB, as most writers do */
    for (size_t off = 0; off < zlen; off += 1 << 20)
        put_chunk(o, "IDAT", zbuf + off, MIN((size_t)1 << 20, zlen - off));
    put_chunk(o, "IEND", NULL, 0);
    g_free(zbuf);
    return zlen ? (o->write_errno ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS)
                : CAIRO_STATUS_NO_MEMORY;
}

cm_status cm_output_commit(cm_output *o, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cairo_status_t cs;
    if (o->format == CM_FORMAT_PNG) {
        cairo_surface_flush(o->surface);
        cs = write_png(o);
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
