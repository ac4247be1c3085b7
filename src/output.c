/* Output: surfaces, and the atomic write.  Every byte goes through one write function, so a
 * short write (full disk) is seen wherever it happens. */
#include "output.h"

#include "conflictmap/render.h"

#include "ctx.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zlib.h>

struct cm_output {
    cm_format format;
    int png_level;   /* zlib level 0-9 (0 stores) */
    int png_w, png_h;
    double png_scale; /* pixels per point */
    GByteArray *png_z; /* the image's deflate stream, without zlib's header and checksum */
    uLong png_adler;  /* Adler-32 of the filtered rows */
    cairo_status_t png_status;
    GList *png_text; /* GBytes "keyword\0text" for tEXt chunks */
    char *path, *tmp;
    int fd;
    int write_errno; /* first failed write's errno, 0 if none */
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

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length);

static cairo_status_t write_svg(void *closure, const unsigned char *data, unsigned int length)
{
    cm_output *o = closure;
    g_byte_array_append(o->svg, data, length);
    return CAIRO_STATUS_SUCCESS;
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
    o->png_level = png_level < 0 ? CM_PNG_DEFAULT_LEVEL : MIN(png_level, 9);
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
        /* no surface here: drawn band by band in cm_output_draw_png (the size was checked
         * against cairo's limit of 32767 px a side above) */
        o->png_w = (int)wpx, o->png_h = (int)hpx, o->png_scale = dpi / 72;
        break;
    case CM_FORMAT_PDF:
        o->surface = cairo_pdf_surface_create_for_stream(write_fd, o, w_pt, h_pt);
        break;
    case CM_FORMAT_SVG:
        o->svg = g_byte_array_new();
        o->surface = cairo_svg_surface_create_for_stream(write_svg, o, w_pt, h_pt);
        cairo_svg_surface_set_document_unit(o->surface, CAIRO_SVG_UNIT_PT);
        break;
    }
    if (o->surface && cairo_surface_status(o->surface) != CAIRO_STATUS_SUCCESS) {
        cm_status st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot create the surface: %s", path,
                               cairo_status_to_string(cairo_surface_status(o->surface)));
        cm_output_abort(o);
        return st;
    }
    *out = o;
    return CM_OK;
}

static void add_text(cm_output *o, const char *keyword, const char *text)
{
    /* tEXt is Latin-1; keep to printable ASCII so every reader shows it right */
    GString *t = g_string_new(keyword);
    g_string_append_c(t, '\0');
    for (const char *p = text; *p; p++)
        g_string_append_c(t, (*p >= 32 && *p < 127) || *p == '\n' ? *p : '?');
    gsize len = t->len;
    o->png_text = g_list_append(o->png_text, g_bytes_new_take(g_string_free(t, FALSE), len));
}

void cm_output_set_provenance(cm_output *o, const cm_provenance *p)
{
    switch (o->format) {
    case CM_FORMAT_PNG: {
        /* the registered keywords first, then ours */
        const char *pairs[][2] = {{"Title", p->title},         {"Description", p->subject},
                                  {"Software", p->creator},    {"Creation Time", p->created},
                                  {"Source", p->sources},      {"conflictmap:date", p->date},
                                  {"conflictmap:keywords", p->keywords},
                                  {"conflictmap:data-sha256", p->data_sha256}};
        for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++)
            if (pairs[i][1])
                add_text(o, pairs[i][0], pairs[i][1]);
        break;
    }
    case CM_FORMAT_PDF: {
        /* cairo 1.16 writes only the standard keys: the sources go with the subject, the
         * fingerprint with the keywords */
        char *subject = g_strdup_printf("%s%s%s", p->subject ? p->subject : "",
                                        p->subject && p->sources ? ". " : "",
                                        p->sources ? p->sources : "");
        char *keywords = g_strdup_printf("%s%sdata-sha256 %s", p->keywords ? p->keywords : "",
                                         p->keywords ? "; " : "",
                                         p->data_sha256 ? p->data_sha256 : "none");
        const struct { cairo_pdf_metadata_t key; const char *value; } md[] = {
            {CAIRO_PDF_METADATA_TITLE, p->title},       {CAIRO_PDF_METADATA_SUBJECT, subject},
            {CAIRO_PDF_METADATA_KEYWORDS, keywords},    {CAIRO_PDF_METADATA_CREATOR, p->creator},
            {CAIRO_PDF_METADATA_CREATE_DATE, p->created}, {CAIRO_PDF_METADATA_MOD_DATE, p->created}};
        for (size_t i = 0; i < G_N_ELEMENTS(md); i++)
            if (md[i].value)
                cairo_pdf_surface_set_metadata(o->surface, md[i].key, md[i].value);
        g_free(subject);
        g_free(keywords);
        break;
    }
    case CM_FORMAT_SVG: {
        GString *m = g_string_new("<metadata>\n<conflictmap xmlns=\"https://conflictmap.invalid/ns/1\">\n");
        const char *pairs[][2] = {{"title", p->title},     {"subject", p->subject},
                                  {"keywords", p->keywords}, {"creator", p->creator},
                                  {"created", p->created}, {"date", p->date},
                                  {"sources", p->sources}, {"data-sha256", p->data_sha256}};
        for (size_t i = 0; i < G_N_ELEMENTS(pairs); i++)
            if (pairs[i][1]) {
                char *esc = g_markup_escape_text(pairs[i][1], -1);
                g_string_append_printf(m, "<%s>%s</%s>\n", pairs[i][0], esc, pairs[i][0]);
                g_free(esc);
            }
        g_string_append(m, "</conflictmap>\n</metadata>\n");
        g_free(o->svg_metadata);
        o->svg_metadata = g_string_free(m, FALSE);
        break;
    }
    }
}

/* The last occurrence of `needle` in binary data (NULs and all), or NULL. */
static const char *find_last(const char *hay, gsize len, const char *needle)
{
    gsize n = strlen(needle);
    for (gsize i = len >= n ? len - n + 1 : 0; i-- > 0;)
        if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
            return hay + i;
    return NULL;
}

void cm_output_set_svg_text(cm_output *o, const char *elements)
{
    g_free(o->svg_text);
    o->svg_text = elements ? g_strdup(elements) : NULL;
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
    write_fd(o, (const unsigned char *)data, (unsigned int)at);
    if (at) {
        write_fd(o, (const unsigned char *)"\n", 1);
        write_fd(o, (const unsigned char *)o->svg_metadata, (unsigned int)strlen(o->svg_metadata));
    }
    const char *close = find_last(data, len, "</svg>");
    gsize end_at = close && o->svg_text ? (gsize)(close - data) : len;
    write_fd(o, (const unsigned char *)data + at, (unsigned int)(end_at - at));
    if (end_at < len) {
        static const char open[] = "<g id=\"label-text\" fill-opacity=\"0\" "
                                   "font-family=\"Noto Sans, Noto Sans Arabic, sans-serif\">\n";
        write_fd(o, (const unsigned char *)open, sizeof open - 1);
        write_fd(o, (const unsigned char *)o->svg_text, (unsigned int)strlen(o->svg_text));
        write_fd(o, (const unsigned char *)"</g>\n", 5);
        write_fd(o, (const unsigned char *)data + end_at, (unsigned int)(len - end_at));
    }
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
    if (o->png_z)
        g_byte_array_unref(o->png_z);
    if (o->svg)
        g_byte_array_unref(o->svg);
    g_free(o->svg_metadata);
    g_free(o->svg_text);
    g_free(o);
}

/* Appends a PNG chunk: length, type, data, CRC over type and data. */
static void put_chunk(cm_output *o, const char type[4], const unsigned char *data, size_t len)
{
    unsigned char head[8] = {(unsigned char)(len >> 24), (unsigned char)(len >> 16),
                             (unsigned char)(len >> 8), (unsigned char)len,
                             (unsigned char)type[0], (unsigned char)type[1],
                             (unsigned char)type[2], (unsigned char)type[3]};
    uLong crc = crc32(crc32(0, NULL, 0), head + 4, 4);
    for (size_t off = 0; off < len;) {
        uInt n = len - off > (1u << 30) ? 1u << 30 : (uInt)(len - off);
        crc = crc32(crc, data + off, n);
        off += n;
    }
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

/* ---- PNG ---------------------------------------------------------------------------- */

/* The page is drawn in horizontal bands, each on its own surface, and the rows are then
 * encoded in pieces; any thread takes any task that is ready, drawing first.  Each band
 * repeats the layout of the whole page and draws it clipped to its rows, so no cairo or
 * Pango object is shared between threads.  Rows become RGB with the "up" filter (flat map
 * colours leave mostly zeros) and each piece is raw deflate, ended with a sync flush so that
 * the pieces join into one stream; each piece starts with the 32 KiB of filtered rows before
 * it as its dictionary, as one stream would have them, so splitting costs little in size.
 * A piece whose rows before lie in the band above waits for that band too.
 * Bands and pieces are fixed in number, not the machine's cores, so the same page gives
 * the same bytes everywhere; the threads are as many as the cores, up to the tasks. */
#define BANDS 2
#define PIECES 8  /* a multiple of BANDS: pieces do not straddle bands */
#define BEFORE 5 /* rows before a piece it reads: the up filter's and the dictionary's */

typedef struct {
    int y0, y1;
    cairo_surface_t *surface;
    enum { TODO, BUSY, DONE } state;
} png_band;

typedef struct {
    int band, y0, y1;
    gboolean last;
    GByteArray *z; /* raw deflate */
    uLong adler;   /* of its filtered rows */
    size_t raw;    /* their length */
    gboolean taken, ok;
} png_piece;

typedef struct {
    cm_output *o;
    cm_page_draw draw;
    void *data;
    png_band bands[BANDS];
    png_piece pieces[PIECES];
    int nbands, npieces;
    /* POSIX, not GLib's futex-based GMutex: ThreadSanitizer sees these */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    cairo_status_t status; /* the first drawing error */
} png_job;

/* One row, filtered "up" against the row above it (none for the image's first row, or
 * when storing). */
void cm_png_filter_plain(unsigned char *out, const uint32_t *px, const uint32_t *above, int w)
{
    unsigned char *o = out + 1;
    for (int x = 0; x < w; x++, o += 3) {
        uint32_t a = px[x], b = above ? above[x] : 0;
        o[0] = (unsigned char)((a >> 16) - (b >> 16));
        o[1] = (unsigned char)((a >> 8) - (b >> 8));
        o[2] = (unsigned char)(a - b);
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
/* Four pixels at a time: subtract bytewise, then one shuffle turns xRGB words (B G R x in
 * memory) into R G B bytes.  Each store writes 16 bytes for 12; the next store or the
 * scalar tail (two pixels at least) overwrites the 4 extra. */
__attribute__((target("ssse3"))) static void filter_row_ssse3(unsigned char *out, const uint32_t *px,
                                                              const uint32_t *above, int w)
{
    const __m128i shuffle = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    unsigned char *o = out + 1;
    int x = 0;
    for (; x + 6 <= w; x += 4, o += 12) {
        __m128i a = _mm_loadu_si128((const __m128i *)(px + x));
        __m128i b = above ? _mm_loadu_si128((const __m128i *)(above + x)) : _mm_setzero_si128();
        _mm_storeu_si128((__m128i *)o, _mm_shuffle_epi8(_mm_sub_epi8(a, b), shuffle));
    }
    for (; x < w; x++, o += 3) {
        uint32_t a = px[x], b = above ? above[x] : 0;
        o[0] = (unsigned char)((a >> 16) - (b >> 16));
        o[1] = (unsigned char)((a >> 8) - (b >> 8));
        o[2] = (unsigned char)(a - b);
    }
}
#endif

gboolean cm_png_filter_fast(unsigned char *out, const uint32_t *px, const uint32_t *above, int w)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    if (__builtin_cpu_supports("ssse3")) {
        filter_row_ssse3(out, px, above, w);
        return TRUE;
    }
#endif
    (void)out, (void)px, (void)above, (void)w;
    return FALSE;
}

static void filter_row(unsigned char *out, const uint32_t *px, const uint32_t *above, int w,
                       gboolean store)
{
    out[0] = store ? 0 : 2;
    if (store)
        above = NULL;
    if (!cm_png_filter_fast(out, px, above, w))
        cm_png_filter_plain(out, px, above, w);
}

/* Deflates `in` into z with Z_NO_FLUSH, Z_SYNC_FLUSH or Z_FINISH. */
static gboolean deflate_into(z_stream *zs, GByteArray *z, unsigned char *in, size_t len, int flush)
{
    unsigned char buf[1 << 16];
    zs->next_in = in;
    zs->avail_in = (uInt)len;
    int r;
    do {
        zs->next_out = buf;
        zs->avail_out = sizeof buf;
        r = deflate(zs, flush);
        if (r == Z_STREAM_ERROR)
            return FALSE;
        g_byte_array_append(z, buf, (guint)(sizeof buf - zs->avail_out));
    } while (zs->avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
    return zs->avail_in == 0;
}

static cairo_status_t draw_band(png_job *job, png_band *b)
{
    cm_output *o = job->o;
    b->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, o->png_w, b->y1 - b->y0);
    cairo_surface_set_device_scale(b->surface, o->png_scale, o->png_scale);
    cairo_surface_set_device_offset(b->surface, 0, -b->y0);
    cairo_t *cr = cairo_create(b->surface);
    job->draw(cr, job->data);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(b->surface);
    return st != CAIRO_STATUS_SUCCESS ? st : cairo_surface_status(b->surface);
}

/* The band that holds row y. */
static const png_band *band_of(const png_job *job, int y)
{
    int i = 0;
    while (i + 1 < job->nbands && y >= job->bands[i].y1)
        i++;
    return &job->bands[i];
}

static const uint32_t *row_px(const png_job *job, int y)
{
    const png_band *b = band_of(job, y);
    return (const uint32_t *)(cairo_image_surface_get_data(b->surface) +
                              (size_t)(y - b->y0) * (size_t)cairo_image_surface_get_stride(b->surface));
}

/* Whether the bands a piece reads (its rows and BEFORE rows above) are drawn. */
static gboolean piece_ready(const png_job *job, const png_piece *p)
{
    return band_of(job, MAX(0, p->y0 - BEFORE))->state == DONE &&
           band_of(job, p->y1 - 1)->state == DONE;
}

static gboolean encode_piece(png_job *job, png_piece *p)
{
    const cm_output *o = job->o;
    int w = o->png_w, top = MAX(0, p->y0 - BEFORE);
    size_t row = 1 + 3 * (size_t)w;
#define ROW(y) row_px(job, y)
    gboolean store = o->png_level == 0;
    z_stream zs = {0};
    if (deflateInit2(&zs, o->png_level, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return FALSE;
    enum { CHUNK = 32 };
    unsigned char *buf = g_malloc(row * CHUNK);
    if (top < p->y0) {
        /* the rows before, filtered as their piece filtered them */
        int n = 0;
        for (int y = top + 1; y < p->y0; y++, n++)
            filter_row(buf + (size_t)n * row, ROW(y), ROW(y - 1), w, store);
        size_t len = (size_t)n * row, dict = MIN(len, (size_t)32768);
        if (dict > 0)
            deflateSetDictionary(&zs, buf + len - dict, (uInt)dict);
    }
    p->z = g_byte_array_new();
    p->adler = adler32(0, NULL, 0);
    gboolean ok = TRUE;
    for (int y = p->y0; y < p->y1 && ok;) {
        int n = MIN(CHUNK, p->y1 - y);
        for (int k = 0; k < n; k++)
            filter_row(buf + (size_t)k * row, ROW(y + k), y + k > 0 ? ROW(y + k - 1) : NULL, w,
                       store);
        size_t len = (size_t)n * row;
        /* libdeflate's Adler-32 is several times zlib's */
        p->adler = libdeflate_adler32((uint32_t)p->adler, buf, len);
        p->raw += len;
        y += n;
        ok = deflate_into(&zs, p->z, buf, len,
                          y < p->y1 ? Z_NO_FLUSH : p->last ? Z_FINISH : Z_SYNC_FLUSH);
    }
#undef ROW
    deflateEnd(&zs);
    g_free(buf);
    return ok;
}

/* Takes tasks until none is left: a band to draw, else a piece whose band is drawn. */
static gpointer png_worker(gpointer data)
{
    png_job *job = data;
    pthread_mutex_lock(&job->lock);
    for (;;) {
        png_band *band = NULL;
        png_piece *piece = NULL;
        gboolean left = FALSE;
        for (int i = 0; i < job->nbands && !band; i++)
            if (job->bands[i].state == TODO)
                band = &job->bands[i];
        for (int i = 0; i < job->npieces && !band && !piece; i++) {
            png_piece *p = &job->pieces[i];
            left = left || !p->taken;
            if (!p->taken && piece_ready(job, p))
                piece = p;
        }
        if (band) {
            band->state = BUSY;
            pthread_mutex_unlock(&job->lock);
            cairo_status_t st = draw_band(job, band);
            pthread_mutex_lock(&job->lock);
            if (st != CAIRO_STATUS_SUCCESS && job->status == CAIRO_STATUS_SUCCESS)
                job->status = st;
            band->state = DONE;
            pthread_cond_broadcast(&job->changed);
        } else if (piece) {
            piece->taken = TRUE;
            pthread_mutex_unlock(&job->lock);
            gboolean ok = job->status == CAIRO_STATUS_SUCCESS && encode_piece(job, piece);
            pthread_mutex_lock(&job->lock);
            piece->ok = ok;
        } else if (left) {
            pthread_cond_wait(&job->changed, &job->lock);
        } else {
            break;
        }
    }
    pthread_mutex_unlock(&job->lock);
    return NULL;
}

cairo_status_t cm_output_draw_png(cm_output *o, cm_page_draw draw, void *data)
{
    png_job *job = g_new0(png_job, 1);
    job->o = o, job->draw = draw, job->data = data;
    pthread_mutex_init(&job->lock, NULL);
    pthread_cond_init(&job->changed, NULL);
    int h = o->png_h;
    job->nbands = h >= 16 * PIECES ? BANDS : 1;
    job->npieces = h >= 16 * PIECES ? PIECES : 1;
    for (int i = 0; i < job->nbands; i++) {
        png_band *b = &job->bands[i];
        b->y0 = h * i / job->nbands, b->y1 = h * (i + 1) / job->nbands;
    }
    for (int i = 0; i < job->npieces; i++) {
        png_piece *p = &job->pieces[i];
        p->band = i * job->nbands / job->npieces;
        const png_band *b = &job->bands[p->band];
        int per = job->npieces / job->nbands, k = i % per;
        p->y0 = b->y0 + (b->y1 - b->y0) * k / per;
        p->y1 = b->y0 + (b->y1 - b->y0) * (k + 1) / per;
        p->last = i == job->npieces - 1;
    }
    int nthreads = MIN((int)g_get_num_processors(), job->npieces);
    GThread *threads[PIECES] = {0};
    for (int i = 1; i < nthreads; i++)
        threads[i] = g_thread_new("cm-png", png_worker, job);
    png_worker(job);
    for (int i = 1; i < nthreads; i++)
        g_thread_join(threads[i]);

    cairo_status_t st = job->status;
    o->png_z = g_byte_array_new();
    o->png_adler = adler32(0, NULL, 0);
    for (int i = 0; i < job->npieces; i++) {
        png_piece *p = &job->pieces[i];
        if (st == CAIRO_STATUS_SUCCESS && !p->ok)
            st = CAIRO_STATUS_NO_MEMORY;
        if (p->z) {
            g_byte_array_append(o->png_z, p->z->data, p->z->len);
            o->png_adler = adler32_combine(o->png_adler, p->adler, (z_off_t)p->raw);
            g_byte_array_unref(p->z);
        }
    }
    for (int i = 0; i < job->nbands; i++)
        if (job->bands[i].surface)
            cairo_surface_destroy(job->bands[i].surface);
    pthread_mutex_destroy(&job->lock);
    pthread_cond_destroy(&job->changed);
    g_free(job);
    o->png_status = st;
    return st;
}

/* Writes the PNG: signature, header, text, the deflate stream in zlib's wrapping, end. */
static cairo_status_t write_png(cm_output *o)
{
    if (!o->png_z)
        return CAIRO_STATUS_NULL_POINTER; /* nothing was drawn */
    if (o->png_status != CAIRO_STATUS_SUCCESS)
        return o->png_status;
    int w = o->png_w, h = o->png_h;
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
    /* zlib: a header (deflate, 32 KiB window; check bits make it a multiple of 31), the
     * stream, then the Adler-32 of what was compressed, big-endian */
    GByteArray *z = g_byte_array_sized_new(o->png_z->len + 6);
    static const unsigned char head[2] = {0x78, 0x01};
    unsigned char tail[4] = {(unsigned char)(o->png_adler >> 24), (unsigned char)(o->png_adler >> 16),
                             (unsigned char)(o->png_adler >> 8), (unsigned char)o->png_adler};
    g_byte_array_append(z, head, 2);
    g_byte_array_append(z, o->png_z->data, o->png_z->len);
    g_byte_array_append(z, tail, 4);
    /* IDAT chunks of at most 1 MiB, as most writers do */
    for (size_t off = 0; off < z->len; off += 1 << 20)
        put_chunk(o, "IDAT", z->data + off, MIN((size_t)1 << 20, z->len - off));
    put_chunk(o, "IEND", NULL, 0);
    g_byte_array_unref(z);
    return o->write_errno ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

cm_status cm_output_commit(cm_output *o, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cairo_status_t cs;
    if (o->format == CM_FORMAT_PNG) {
        cs = write_png(o);
    } else {
        cairo_surface_finish(o->surface);
        cs = cairo_surface_status(o->surface);
        if (o->svg && cs == CAIRO_STATUS_SUCCESS)
            flush_svg(o);
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

void cm_strv_free(char **strv)
{
    g_strfreev(strv);
}

/* PNG: tEXt chunks, keyword and text. */
static void read_png_text(const unsigned char *d, gsize len, GPtrArray *names, GPtrArray *values)
{
    static const char *const ours[][2] = {
        {"Title", "title"},           {"Description", "subject"},       {"Software", "creator"},
        {"Creation Time", "created"}, {"Source", "sources"},            {"conflictmap:date", "date"},
        {"conflictmap:keywords", "keywords"}, {"conflictmap:data-sha256", "data-sha256"}};
    for (gsize i = 8; i + 12 <= len;) {
        guint32 n = (guint32)d[i] << 24 | (guint32)d[i + 1] << 16 | (guint32)d[i + 2] << 8 | d[i + 3];
        if (n > len - i - 12)
            break;
        if (memcmp(d + i + 4, "tEXt", 4) == 0) {
            const char *key = (const char *)d + i + 8;
            gsize klen = strnlen(key, n);
            if (klen < n) {
                for (size_t k = 0; k < G_N_ELEMENTS(ours); k++)
                    if (strlen(ours[k][0]) == klen && memcmp(key, ours[k][0], klen) == 0) {
                        g_ptr_array_add(names, g_strdup(ours[k][1]));
                        g_ptr_array_add(values, g_strndup(key + klen + 1, n - klen - 1));
                    }
            }
        }
        if (memcmp(d + i + 4, "IEND", 4) == 0)
            break;
        i += 12 + n;
    }
}

/* PDF: cairo writes the document information dictionary uncompressed, strings in
 * parentheses (ASCII) or as <FEFF...> UTF-16BE hex. */
static void read_pdf_info(const char *d, gsize len, GPtrArray *names, GPtrArray *values)
{
    static const char *const keys[][2] = {{"/Title", "title"},       {"/Subject", "subject"},
                                          {"/Keywords", "keywords"}, {"/Creator", "creator"},
                                          {"/CreationDate", "created"}};
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        const char *p = find_last(d, len, keys[k][0]);
        if (!p)
            continue;
        p += strlen(keys[k][0]);
        while (p < d + len && *p == ' ')
            p++;
        GString *v = g_string_new(NULL);
        if (p < d + len && *p == '(') {
            for (p++; p < d + len && *p != ')'; p++) {
                if (*p == '\\' && p + 1 < d + len)
                    p++;
                g_string_append_c(v, *p);
            }
        } else if (p + 5 < d + len && *p == '<') {
            /* UTF-16BE after a byte-order mark: keep the code units below 0x80 as they are,
             * others as '?' (the information is ASCII in practice) */
            p += 5;
            while (p + 4 <= d + len && g_ascii_isxdigit(p[0])) {
                unsigned u = 0;
                sscanf(p, "%4x", &u);
                g_string_append_c(v, u < 0x80 ? (char)u : '?');
                p += 4;
            }
        }
        g_ptr_array_add(names, g_strdup(keys[k][1]));
        const char *hash = k == 2 ? strstr(v->str, "data-sha256 ") : NULL;
        if (hash) {
            g_ptr_array_add(values, g_strndup(v->str, (gsize)(hash - v->str)));
            g_ptr_array_add(names, g_strdup("data-sha256"));
            g_ptr_array_add(values, g_strdup(hash + strlen("data-sha256 ")));
            g_string_free(v, TRUE);
        } else {
            g_ptr_array_add(values, g_string_free(v, FALSE));
        }
    }
}

/* SVG: the children of our element in <metadata>. */
static void read_svg_metadata(const char *d, gsize len, GPtrArray *names, GPtrArray *values)
{
    static const char *const keys[] = {"title", "subject", "keywords", "creator",
                                       "created", "date", "sources", "data-sha256"};
    const char *start = find_last(d, len, "<metadata>");
    const char *end = start ? find_last(start, len - (gsize)(start - d), "</metadata>") : NULL;
    if (!end)
        return;
    for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
        char *open = g_strdup_printf("<%s>", keys[k]), *close = g_strdup_printf("</%s>", keys[k]);
        const char *a = g_strstr_len(start, end - start, open);
        const char *b = a ? g_strstr_len(a, end - a, close) : NULL;
        if (a && b) {
            a += strlen(open);
            char *raw = g_strndup(a, (gsize)(b - a));
            /* undo g_markup_escape_text's five entities */
            GString *v = g_string_new(NULL);
            for (const char *p = raw; *p; p++) {
                static const char *const ent[][2] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"},
                                                     {"&quot;", "\""}, {"&apos;", "'"}, {"&#39;", "'"}};
                gboolean done = FALSE;
                for (size_t e = 0; e < G_N_ELEMENTS(ent) && !done; e++)
                    if (g_str_has_prefix(p, ent[e][0])) {
                        g_string_append(v, ent[e][1]);
                        p += strlen(ent[e][0]) - 1;
                        done = TRUE;
                    }
                if (!done)
                    g_string_append_c(v, *p);
            }
            g_free(raw);
            g_ptr_array_add(names, g_strdup(keys[k]));
            g_ptr_array_add(values, g_string_free(v, FALSE));
        }
        g_free(open);
        g_free(close);
    }
}

cm_status cm_read_provenance(char ***names_out, char ***values_out, const char *path, cm_ctx *ctx)
{
    char *data = NULL;
    gsize len = 0;
    GError *err = NULL;
    *names_out = *values_out = NULL;
    if (!g_file_get_contents(path, &data, &len, &err)) {
        cm_status st = cm_fail(ctx, CM_EINPUT, "%s: %s", path, err->message);
        g_error_free(err);
        return st;
    }
    GPtrArray *names = g_ptr_array_new(), *values = g_ptr_array_new();
    if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
        read_png_text((const unsigned char *)data, len, names, values);
    else if (len >= 5 && memcmp(data, "%PDF-", 5) == 0)
        read_pdf_info(data, len, names, values);
    else if (g_strstr_len(data, (gssize)MIN(len, 4096), "<svg"))
        read_svg_metadata(data, len, names, values);
    g_free(data);
    cm_status st = CM_OK;
    if (names->len == 0)
        st = cm_fail(ctx, CM_EINPUT, "%s: no conflictmap provenance (not a PNG, PDF or SVG it wrote)",
                     path);
    g_ptr_array_add(names, NULL);
    g_ptr_array_add(values, NULL);
    char **n = (char **)g_ptr_array_free(names, FALSE), **v = (char **)g_ptr_array_free(values, FALSE);
    if (st != CM_OK) {
        g_strfreev(n);
        g_strfreev(v);
        return st;
    }
    *names_out = n;
    *values_out = v;
    return CM_OK;
}
