/* Output: surfaces, and the one atomic writer.  Every byte goes through cm_file_write, so a
 * short write (full disk) is seen wherever it happens.  The PNG encoder is png.c; what goes
 * into each format's metadata is provenance.c. */
#include "output.h"

#include "conflictmap/render.h"

#include "ctx.h"
#include "png_writer.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <limits.h>
#include <math.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- temporary files, for a signal handler ----------------------------------------- */

/* The temporary files being written, by absolute path, so that cm_output_remove_temp_files
 * can unlink them from a signal handler, where it may not allocate, lock or walk a list that
 * another thread is changing.  A slot is claimed with a compare-and-swap and published by
 * setting it READY after the path is in place; the handler only reads READY slots.  A
 * process writing more files at once than there are slots leaves the rest unlisted (a
 * signal then leaves them behind, as before). */
#define TEMP_SLOTS 64
enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };
static struct {
    atomic_int state;
    char path[PATH_MAX];
} temp_slots[TEMP_SLOTS];

/* Lists `tmp`; returns its slot, or -1 if none is free or the path is too long. */
static int list_temp(const char *tmp)
{
    char *abs = g_canonicalize_filename(tmp, NULL);
    int slot = -1;
    for (int i = 0; i < TEMP_SLOTS && slot < 0 && strlen(abs) < PATH_MAX; i++) {
        int expected = SLOT_FREE;
        if (atomic_compare_exchange_strong(&temp_slots[i].state, &expected, SLOT_BUSY)) {
            memcpy(temp_slots[i].path, abs, strlen(abs) + 1);
            atomic_store(&temp_slots[i].state, SLOT_READY);
            slot = i;
        }
    }
    g_free(abs);
    return slot;
}

static void unlist_temp(int slot)
{
    if (slot >= 0)
        atomic_store(&temp_slots[slot].state, SLOT_FREE);
}

void cm_output_remove_temp_files(void)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (atomic_load(&temp_slots[i].state) == SLOT_READY)
            unlink(temp_slots[i].path);
}

/* ---- the atomic writer -------------------------------------------------------------- */

struct cm_file {
    char *path, *tmp;
    int fd;
    int slot; /* in temp_slots, or -1 */
    int write_errno; /* first failed write's errno, 0 if none */
    size_t used;
    unsigned char buf[1 << 16]; /* cairo's PDF stream writes a few bytes at a time */
};

/* Creates f->tmp, a template ending in XXXXXX, as mkstemp would, but lists the name before
 * the file exists: a signal between creating and listing would leave the file behind.
 * Returns the descriptor, or -1 with errno set. */
static int create_listed(cm_file *f, mode_t mode)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    char *x = f->tmp + strlen(f->tmp) - 6;
    for (int attempt = 0; attempt < 100; attempt++) {
        for (int i = 0; i < 6; i++)
            x[i] = chars[g_random_int_range(0, (gint32)sizeof chars - 1)];
        f->slot = list_temp(f->tmp);
        int fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
        if (fd >= 0)
            return fd;
        int e = errno;
        unlist_temp(f->slot);
        f->slot = -1;
        if (e != EEXIST)
            return errno = e, -1;
    }
    return errno = EEXIST, -1;
}

cm_status cm_file_open(cm_file **out, const char *path, cm_ctx *ctx)
{
    *out = NULL;
    cm_file *f = g_new0(cm_file, 1);
    f->path = g_strdup(path);
    f->slot = -1;
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    /* ".NAME.XXXXXX" is 8 bytes longer than NAME: a legal long name would not be */
    long name_max = pathconf(dir, _PC_NAME_MAX);
    gboolean fits = strlen(base) + 8 <= (size_t)(name_max > 0 ? name_max : NAME_MAX);
    char *name = fits ? g_strdup_printf(".%s.XXXXXX", base) : g_strdup(".cm.XXXXXX");
    f->tmp = g_build_filename(dir, name, NULL);
    g_free(name);
    g_free(base);
    /* the mode the target has, so a private map stays private; a new file gets what open()
     * gives 0666 under the umask.  Over an existing file the temporary starts private and
     * takes the target's bits before anything is written. */
    struct stat old;
    gboolean exists = g_stat(path, &old) == 0 && S_ISREG(old.st_mode);
    f->fd = create_listed(f, exists ? 0600 : 0666);
    if (f->fd >= 0 && exists && fchmod(f->fd, old.st_mode & 0777) != 0) {
        int e = errno;
        close(f->fd);
        g_unlink(f->tmp);
        unlist_temp(f->slot);
        f->fd = f->slot = -1;
        errno = e;
    }
    if (f->fd < 0) {
        int e = errno;
        cm_status st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot write in %s: %s", path, dir,
                               g_strerror(e));
        g_free(dir);
        g_clear_pointer(&f->tmp, g_free);
        cm_file_abort(f);
        return st;
    }
    g_free(dir);
    *out = f;
    return CM_OK;
}

/* Writes out what is buffered, remembering the first error. */
static void flush_buf(cm_file *f)
{
    const unsigned char *data = f->buf;
    size_t length = f->used;
    while (length > 0 && !f->write_errno) {
        ssize_t n = write(f->fd, data, length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            f->write_errno = errno;
            break;
        }
        data += n;
        length -= (size_t)n;
    }
    f->used = 0;
}

cairo_status_t cm_file_write(void *file, const unsigned char *data, unsigned int length)
{
    cm_file *f = file;
    while (length > 0 && !f->write_errno) {
        size_t n = MIN((size_t)length, sizeof f->buf - f->used);
        memcpy(f->buf + f->used, data, n);
        f->used += n, data += n, length -= (unsigned int)n;
        if (f->used == sizeof f->buf)
            flush_buf(f);
    }
    return f->write_errno ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

const char *cm_file_path(const cm_file *f)
{
    return f->path;
}

gboolean cm_file_failed(const cm_file *f)
{
    return f->write_errno != 0;
}

cm_status cm_file_check(const cm_file *f, cm_ctx *ctx)
{
    if (!f->write_errno)
        return CM_OK;
    if (f->write_errno == EFBIG) /* over the file-size limit (ulimit -f) */
        return cm_fail(ctx, CM_EOUTPUT, "%s: file too large", f->path);
    return cm_fail(ctx, CM_EOUTPUT, "%s: write failed: %s", f->path, g_strerror(f->write_errno));
}

cm_status cm_file_commit(cm_file *f, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    flush_buf(f);
    if ((st = cm_file_check(f, ctx)) != CM_OK)
        goto cleanup;
    if (fsync(f->fd) != 0 && errno != EINVAL && errno != EROFS) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot flush to disk: %s", f->path, g_strerror(errno));
        goto cleanup;
    }
    int fd = f->fd;
    f->fd = -1;
    if (close(fd) != 0) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: write failed: %s", f->path, g_strerror(errno));
        goto cleanup;
    }
    if (g_rename(f->tmp, f->path) != 0) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot replace the file: %s", f->path,
                     g_strerror(errno));
        goto cleanup;
    }
    unlist_temp(f->slot);
    f->slot = -1;
    g_clear_pointer(&f->tmp, g_free);
cleanup:
    cm_file_abort(f);
    return st;
}

void cm_file_abort(cm_file *f)
{
    if (!f)
        return;
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp)
        g_unlink(f->tmp);
    unlist_temp(f->slot); /* after the unlink: a signal in between finds nothing to remove */
    g_free(f->tmp);
    g_free(f->path);
    g_free(f);
}

/* ---- outputs ------------------------------------------------------------------------ */

struct cm_output {
    cm_format format;
    char *path;
    cm_file *file;
    cm_png_params png;
    GPtrArray *png_keys, *png_texts; /* iTXt keywords and texts */
    gboolean png_drawn;
    GByteArray *svg; /* SVG is held until commit, to add its <metadata> */
    char *svg_metadata;
    char *svg_text;
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

static cairo_status_t write_svg(void *closure, const unsigned char *data, unsigned int length)
{
    cm_output *o = closure;
    g_byte_array_append(o->svg, data, length);
    return CAIRO_STATUS_SUCCESS;
}

cm_status cm_output_begin(cm_output **out, const char *path, cm_format format, double w_pt,
                          double h_pt, const cm_raster *raster, cm_ctx *ctx)
{
    *out = NULL;
    double dpi = raster->dpi;
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
    cm_status st = cm_file_open(&o->file, path, ctx);
    if (st != CM_OK) {
        cm_output_abort(o);
        return st;
    }
    switch (format) {
    case CM_FORMAT_PNG:
        /* no surface here: png.c draws (the size was checked against cairo's limit of
         * 32767 px a side above) */
        o->png = (cm_png_params){.width = (int)wpx, .height = (int)hpx, .scale = dpi / 72,
                                 .level = raster->level < 0 ? CM_PNG_DEFAULT_LEVEL
                                                            : MIN(raster->level, 9),
                                 .threads = raster->threads};
        o->png_keys = g_ptr_array_new_with_free_func(g_free);
        o->png_texts = g_ptr_array_new_with_free_func(g_free);
        break;
    case CM_FORMAT_PDF:
        o->surface = cairo_pdf_surface_create_for_stream(cm_file_write, o->file, w_pt, h_pt);
        break;
    case CM_FORMAT_SVG:
        o->svg = g_byte_array_new();
        o->surface = cairo_svg_surface_create_for_stream(write_svg, o, w_pt, h_pt);
        cairo_svg_surface_set_document_unit(o->surface, CAIRO_SVG_UNIT_PT);
        break;
    }
    if (o->surface && cairo_surface_status(o->surface) != CAIRO_STATUS_SUCCESS) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot create the surface: %s", path,
                     cairo_status_to_string(cairo_surface_status(o->surface)));
        cm_output_abort(o);
        return st;
    }
    *out = o;
    return CM_OK;
}

void cm_output_set_provenance(cm_output *o, const cm_provenance *p)
{
    switch (o->format) {
    case CM_FORMAT_PNG:
        g_ptr_array_set_size(o->png_keys, 0);
        g_ptr_array_set_size(o->png_texts, 0);
        cm_provenance_png_text(o->png_keys, o->png_texts, p);
        break;
    case CM_FORMAT_PDF:
        cm_provenance_pdf(o->surface, p);
        break;
    case CM_FORMAT_SVG:
        g_free(o->svg_metadata);
        o->svg_metadata = cm_provenance_svg(p);
        break;
    }
}

void cm_output_set_svg_text(cm_output *o, const char *elements)
{
    g_free(o->svg_text);
    o->svg_text = elements ? g_strdup(elements) : NULL;
}

cm_status cm_output_draw_png(cm_output *o, cm_page_draw draw, void *data, cm_ctx *ctx)
{
    g_assert(o->format == CM_FORMAT_PNG && !o->png_drawn);
    o->png_drawn = TRUE;
    g_ptr_array_add(o->png_keys, NULL);
    g_ptr_array_add(o->png_texts, NULL);
    o->png.keys = (const char *const *)o->png_keys->pdata;
    o->png.texts = (const char *const *)o->png_texts->pdata;
    return cm_png_write(o->file, &o->png, draw, data, ctx);
}

const char *cm_find_last(const char *hay, gsize len, const char *needle)
{
    gsize n = strlen(needle);
    for (gsize i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

static void put(cm_output *o, const void *data, gsize len)
{
    const unsigned char *d = data;
    for (gsize off = 0; off < len; off += 1u << 30)
        cm_file_write(o->file, d + off, (unsigned int)MIN(len - off, (gsize)1 << 30));
}

/* Writes the held SVG with its <metadata> after the root element's start tag and the label
 * text layer before its end tag. */
static void flush_svg(cm_output *o)
{
    const char *data = (const char *)o->svg->data;
    gsize len = o->svg->len, at = 0;
    const char *root = g_strstr_len(data, (gssize)len, "<svg");
    const char *end = root ? memchr(root, '>', len - (gsize)(root - data)) : NULL;
    if (end && o->svg_metadata)
        at = (gsize)(end - data) + 1;
    put(o, data, at);
    if (at) {
        put(o, "\n", 1);
        put(o, o->svg_metadata, strlen(o->svg_metadata));
    }
    const char *close = cm_find_last(data, len, "</svg>");
    gsize end_at = close && o->svg_text ? (gsize)(close - data) : len;
    put(o, data + at, end_at - at);
    if (end_at < len) {
        static const char open[] = "<g id=\"label-text\" fill-opacity=\"0\" "
                                   "font-family=\"Noto Sans, Noto Sans Arabic, sans-serif\">\n";
        put(o, open, sizeof open - 1);
        put(o, o->svg_text, strlen(o->svg_text));
        put(o, "</g>\n", 5);
        put(o, data + end_at, len - end_at);
    }
}

cairo_surface_t *cm_output_surface(cm_output *o)
{
    return o->surface;
}

cm_status cm_output_fail(cm_output *o, cairo_status_t cs, cm_ctx *ctx)
{
    cm_status st = cm_file_failed(o->file)
                       ? cm_file_check(o->file, ctx)
                       : cm_fail(ctx, CM_EOUTPUT, "%s: drawing failed: %s", o->path,
                                 cairo_status_to_string(cs));
    cm_output_abort(o);
    return st;
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
    cm_file_abort(o->file);
    g_free(o->path);
    if (o->png_keys)
        g_ptr_array_unref(o->png_keys);
    if (o->png_texts)
        g_ptr_array_unref(o->png_texts);
    if (o->svg)
        g_byte_array_unref(o->svg);
    g_free(o->svg_metadata);
    g_free(o->svg_text);
    g_free(o);
}

cm_status cm_output_commit(cm_output *o, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    if (o->format == CM_FORMAT_PNG) {
        g_assert(o->png_drawn);
    } else {
        cairo_surface_finish(o->surface);
        cairo_status_t cs = cairo_surface_status(o->surface);
        if (o->svg && cs == CAIRO_STATUS_SUCCESS)
            flush_svg(o);
        /* a write error first: cairo's status for it says only "error while writing" */
        if ((st = cm_file_check(o->file, ctx)) != CM_OK)
            goto cleanup;
        if (cs != CAIRO_STATUS_SUCCESS) {
            st = cm_fail(ctx, CM_EOUTPUT, "%s: %s", o->path, cairo_status_to_string(cs));
            goto cleanup;
        }
    }
    cm_file *f = o->file;
    o->file = NULL;
    st = cm_file_commit(f, ctx);
cleanup:
    cm_output_abort(o);
    return st;
}
