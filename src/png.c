/* PNG through libpng.  With one thread the page is drawn once on one surface and its rows
 * handed to libpng.  With more, the page is cut into horizontal bands, each drawn on its own
 * surface by whichever thread takes it (the page drawn again and clipped to the band, so no
 * cairo or Pango object is shared; but the labels' measures and placement are found once for
 * all bands, through the caller's cm_label_plans: render.c); the caller's thread hands the rows to
 * libpng in order as their band is done, and draws a band itself when none is done yet.
 * Bands are cut at whole pixel rows, so the pixels, and so the bytes, are those of the page
 * drawn at once, however many threads drew it. */
#include "png_writer.h"

#include "ctx.h"

#include <math.h>
#include <png.h>
#include <pthread.h>
#include <zlib.h>

/* bands a thread: enough that the rows of one can be compressed while the next is drawn */
#define BANDS_PER_THREAD 2
#define MIN_BAND_ROWS 64

typedef struct {
    int y0, y1;
    cairo_surface_t *surface;
    enum { TODO, BUSY, DONE } state;
    cairo_status_t status;
} band;

typedef struct {
    const cm_png_params *p;
    cm_page_draw draw;
    void *data;
    band *bands;
    int nbands;
    int next;      /* the first band no thread has taken */
    gboolean stop; /* encoding failed: draw nothing more */
    /* POSIX rather than GLib's futex-based locks, so that ThreadSanitizer sees them */
    pthread_mutex_t lock;
    pthread_cond_t changed;
} job;

typedef struct {
    png_structp png;
    png_infop info;
    char message[200]; /* libpng's, when it fails */
} encoder;

static void draw_band(job *j, band *b)
{
    const cm_png_params *p = j->p;
    b->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, p->width, b->y1 - b->y0);
    cairo_surface_set_device_scale(b->surface, p->scale, p->scale);
    cairo_surface_set_device_offset(b->surface, 0, -b->y0);
    cairo_t *cr = cairo_create(b->surface);
    j->draw(cr, j->data);
    b->status = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(b->surface);
    if (b->status == CAIRO_STATUS_SUCCESS)
        b->status = cairo_surface_status(b->surface);
}

/* With the lock held: takes the next band and draws it without the lock; FALSE if none is
 * left. */
static gboolean take_band(job *j)
{
    if (j->stop || j->next == j->nbands)
        return FALSE;
    band *b = &j->bands[j->next++];
    b->state = BUSY;
    pthread_mutex_unlock(&j->lock);
    draw_band(j, b);
    pthread_mutex_lock(&j->lock);
    b->state = DONE;
    pthread_cond_broadcast(&j->changed);
    return TRUE;
}

static void *worker(void *data)
{
    job *j = data;
    pthread_mutex_lock(&j->lock);
    while (take_band(j))
        ;
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

/* The caller's thread: waits for band i, drawing it when no thread has taken it (bands are
 * taken in order, so it is then the next).  It draws no other: its time is better spent
 * compressing while the others draw. */
static void wait_band(job *j, int i)
{
    pthread_mutex_lock(&j->lock);
    while (j->bands[i].state != DONE)
        if (j->bands[i].state != TODO || !take_band(j))
            pthread_cond_wait(&j->changed, &j->lock);
    pthread_mutex_unlock(&j->lock);
}

/* libpng's error and warning handlers: the message is kept, never printed. */
static void on_error(png_structp png, png_const_charp msg)
{
    encoder *e = png_get_error_ptr(png);
    g_strlcpy(e->message, msg, sizeof e->message);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg;
}

static void on_write(png_structp png, png_bytep data, size_t len)
{
    cm_file *f = png_get_io_ptr(png);
    for (size_t off = 0; off < len; off += 1u << 30)
        cm_file_write(f, data + off, (unsigned int)MIN(len - off, (size_t)1 << 30));
}

static void on_flush(png_structp png)
{
    (void)png;
}

/* Writes the signature, the header and the text chunks, and sets libpng up for cairo's
 * rows.  Each of these steps returns FALSE when libpng failed (e->message says why). */
static gboolean encode_begin(encoder *e, cm_file *f, const cm_png_params *p, png_text *text,
                             int ntext)
{
    if (setjmp(png_jmpbuf(e->png)))
        return FALSE;
    png_set_write_fn(e->png, f, on_write, on_flush);
    png_set_IHDR(e->png, e->info, (png_uint_32)p->width, (png_uint_32)p->height, 8,
                 PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    /* the resolution it was drawn at, so it opens at its printed size (pixels a metre) */
    png_uint_32 ppm = (png_uint_32)lround(p->scale * 72.0 / 0.0254);
    png_set_pHYs(e->png, e->info, ppm, ppm, PNG_RESOLUTION_METER);
    png_set_compression_level(e->png, p->level);
    /* no filter: a flat map colour is already a long repeat of one pixel, which zlib's
     * matches take whole; "up" turned the rows under an edge into scattered small values
     * (measured on the A4 default map, level 3: 17% smaller and 180 M fewer instructions
     * than "up"; Z_RLE or "sub" were larger, level 1-2 barely faster) */
    png_set_filter(e->png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_strategy(e->png, Z_DEFAULT_STRATEGY);
    png_set_compression_buffer_size(e->png, 1 << 16);
    if (ntext)
        png_set_text(e->png, e->info, text, ntext);
    png_write_info(e->png, e->info);
    /* cairo's RGB24 is a native-endian 32-bit word, xRGB */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
    png_set_bgr(e->png);
    png_set_filler(e->png, 0, PNG_FILLER_AFTER);
#else
    png_set_filler(e->png, 0, PNG_FILLER_BEFORE);
#endif
    return TRUE;
}

/* The provenance as uncompressed UTF-8 iTXt chunks; the strings stay the caller's. */
static png_text *text_chunks(const cm_png_params *p, int *n)
{
    *n = 0;
    while (p->keys && p->keys[*n])
        (*n)++;
    png_text *text = g_new0(png_text, MAX(*n, 1));
    for (int i = 0; i < *n; i++)
        text[i] = (png_text){.compression = PNG_ITXT_COMPRESSION_NONE, .key = (char *)p->keys[i],
                             .text = (char *)p->texts[i], .itxt_length = strlen(p->texts[i])};
    return text;
}

static gboolean encode_rows(encoder *e, cairo_surface_t *s)
{
    if (setjmp(png_jmpbuf(e->png)))
        return FALSE;
    unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s), h = cairo_image_surface_get_height(s);
    for (int y = 0; y < h; y++)
        png_write_row(e->png, d + (size_t)y * (size_t)stride);
    return TRUE;
}

static gboolean encode_end(encoder *e)
{
    if (setjmp(png_jmpbuf(e->png)))
        return FALSE;
    png_write_end(e->png, NULL);
    return TRUE;
}

/* Cuts the page into bands and starts the threads that draw them; returns how many were
 * started into `threads`. */
static int start(job *j, pthread_t *threads, int nthreads)
{
    int h = j->p->height;
    j->nbands = nthreads == 1 ? 1 : MAX(1, MIN(nthreads * BANDS_PER_THREAD, h / MIN_BAND_ROWS));
    j->bands = g_new0(band, j->nbands);
    for (int i = 0; i < j->nbands; i++)
        j->bands[i].y0 = h * i / j->nbands, j->bands[i].y1 = h * (i + 1) / j->nbands;
    int started = 0;
    for (int i = 1; i < MIN(nthreads, j->nbands); i++)
        if (pthread_create(&threads[started], NULL, worker, j) == 0)
            started++; /* too few threads is slower, not wrong: the caller draws the rest */
    return started;
}

cm_status cm_png_write(cm_file *f, const cm_png_params *p, cm_page_draw draw, void *data,
                       cm_ctx *ctx)
{
    cm_status st = CM_OK;
    int nthreads = p->threads > 0 ? p->threads : (int)g_get_num_processors();
    job j = {.p = p, .draw = draw, .data = data};
    pthread_mutex_init(&j.lock, NULL);
    pthread_cond_init(&j.changed, NULL);
    encoder e = {0};
    e.png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &e, on_error, on_warning);
    e.info = e.png ? png_create_info_struct(e.png) : NULL;
    pthread_t *threads = g_new0(pthread_t, nthreads);
    int ntext = 0;
    png_text *text = text_chunks(p, &ntext);
    int started = start(&j, threads, nthreads);
    gboolean ok = e.info && encode_begin(&e, f, p, text, ntext);
    for (int i = 0; i < j.nbands && ok; i++) {
        band *b = &j.bands[i];
        wait_band(&j, i);
        if (b->status != CAIRO_STATUS_SUCCESS)
            st = cm_fail(ctx, CM_EOUTPUT, "%s: drawing failed: %s", cm_file_path(f),
                         cairo_status_to_string(b->status));
        ok = st == CM_OK && !cm_file_failed(f) && encode_rows(&e, b->surface);
        g_clear_pointer(&b->surface, cairo_surface_destroy);
    }
    ok = ok && encode_end(&e);
    /* after a failure the threads finish the band they hold and take no other */
    pthread_mutex_lock(&j.lock);
    j.stop = TRUE;
    pthread_mutex_unlock(&j.lock);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < j.nbands; i++)
        if (j.bands[i].surface)
            cairo_surface_destroy(j.bands[i].surface);
    if (st == CM_OK && (st = cm_file_check(f, ctx)) == CM_OK && !ok)
        st = cm_fail(ctx, CM_EOUTPUT, "%s: %s", cm_file_path(f),
                     e.png ? e.message : "out of memory");
    png_destroy_write_struct(&e.png, &e.info);
    g_free(text);
    g_free(threads);
    g_free(j.bands);
    pthread_mutex_destroy(&j.lock);
    pthread_cond_destroy(&j.changed);
    return st;
}
