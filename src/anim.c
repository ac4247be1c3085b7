/* Animations: a series drawn frame by frame, each frame the whole page with a caption band
 * under it that gives the date in large type, encoded with libwebp's WebPAnimEncoder into
 * one animated WebP, which browsers play in an <img> (tests/anim_chromium.py plays it in
 * Chromium). */
#include "anim.h"

#include "ctx.h"
#include "draw.h"
#include "map_impl.h"
#include "output.h"
#include "text.h"
#include "words.h"

#include <math.h>
#include <string.h>
#include <webp/encode.h>
#include <webp/mux.h>

/* WebP's largest canvas side, in pixels. */
#define ANIM_MAX_SIDE 16383

gboolean cm_anim_path(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    return dot && (!slash || dot > slash) && g_ascii_strcasecmp(dot, ".webp") == 0;
}

/* The caption band's height, in page points: about a fifteenth of the page's shorter side,
 * so that the date stays readable when the frame is shown small (on A4 landscape a 40 pt
 * band, the date in 20 pt: at 96 dpi a line of 27 pixels). */
static double band_height(const cm_map *map)
{
    return round(fmax(24, fmin(map->page_w, map->page_h) / 15));
}

/* What every frame shares: its size and the drawing it is made on. */
typedef struct {
    int width, height; /* pixels */
    double scale;      /* pixels per point */
    double band;       /* the caption band's height, points */
    cairo_surface_t *surface;
    uint8_t *rgb; /* the frame as packed RGB, for WebPPictureImportRGB */
} anim_frame;

/* The caption band under the page: the date, large and bold, and a thin bar showing how far
 * into the series the frame is (frame i of n). */
static void draw_caption(cairo_t *cr, const cm_map *map, const anim_frame *fr,
                         const GDate *date, int i, int n)
{
    const cm_style *s = map->style;
    double y0 = map->page_h, w = map->page_w, h = fr->band;
    cairo_save(cr);
    cairo_rectangle(cr, 0, y0, w, h);
    cm_draw_set_color(cr, s->page_bg);
    cairo_fill(cr);
    /* a hairline that parts the band from the page's footer */
    cm_rgba rule = s->title_color;
    rule.a *= 0.25;
    cm_draw_set_color(cr, rule);
    cairo_set_line_width(cr, 0.5);
    cairo_move_to(cr, map->frame[0], y0 + 0.25);
    cairo_line_to(cr, map->frame[0] + map->frame[2], y0 + 0.25);
    cairo_stroke(cr);
    /* how far along: the bar's track, and the part done */
    double bx = map->frame[0], bw = map->frame[2], by = y0 + h - 5, bh = 2;
    cairo_rectangle(cr, bx, by, bw, bh);
    cairo_fill(cr);
    double done = n > 1 ? (double)i / (n - 1) : 1;
    cm_draw_set_color(cr, s->title_color);
    cairo_rectangle(cr, bx, by, bw * done, bh);
    cairo_fill(cr);
    /* the date, as the page's words write it (month names, digits of the edition) */
    char *text = cm_format_date_long(s, date);
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){0, y0, w, y0 + h});
    PangoLayout *t = cm_labeler_layout(lab, text, s->font, h * 0.5, TRUE, FALSE);
    PangoRectangle ink, logical;
    pango_layout_get_extents(t, &ink, &logical);
    double tw = (double)logical.width / PANGO_SCALE, th = (double)logical.height / PANGO_SCALE;
    cairo_move_to(cr, (w - tw) / 2, y0 + (h - 7 - th) / 2 + 1);
    cm_draw_set_color(cr, s->title_color);
    cm_text_show(cr, t);
    g_object_unref(t);
    cm_labeler_destroy(lab);
    g_free(text);
    cairo_restore(cr);
}

/* Draws frame i (the page on specs[i], its caption under it) and packs it as RGB. */
static cairo_status_t draw_frame(anim_frame *fr, const cm_map *map, const cm_page_spec *specs,
                                 int i, int n, const cm_page_cache *cache)
{
    cairo_t *cr = cairo_create(fr->surface);
    cm_draw_set_color(cr, map->style->page_bg);
    cairo_paint(cr);
    cairo_scale(cr, fr->scale, fr->scale);
    cairo_save(cr);
    cairo_rectangle(cr, 0, 0, map->page_w, map->page_h);
    cairo_clip(cr);
    cm_draw_page(cr, map, &specs[i], cache, NULL);
    cairo_restore(cr);
    draw_caption(cr, map, fr, &specs[i].date, i, n);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(fr->surface);
    /* cairo's RGB24 is a native-endian 0x00RRGGBB word a pixel */
    const unsigned char *data = cairo_image_surface_get_data(fr->surface);
    int stride = cairo_image_surface_get_stride(fr->surface);
    for (int y = 0; y < fr->height; y++) {
        const guint32 *row = (const guint32 *)(data + (size_t)y * stride);
        uint8_t *out = fr->rgb + (size_t)y * fr->width * 3;
        for (int x = 0; x < fr->width; x++) {
            guint32 v = row[x];
            out[3 * x] = (uint8_t)(v >> 16);
            out[3 * x + 1] = (uint8_t)(v >> 8);
            out[3 * x + 2] = (uint8_t)v;
        }
    }
    return cs;
}

static void keep_xmp(const cm_provenance *p, void *xmp)
{
    *(char **)xmp = cm_provenance_xmp(p);
}

/* The animation with its provenance in an XMP chunk (after the frames, where WebP keeps
 * metadata), for `conflictmap info`; *out is libwebp's (WebPDataClear). */
static gboolean add_provenance(WebPData *out, const WebPData *anim, const cm_map *map,
                               const cm_page_spec *specs, int n)
{
    char *xmp = NULL;
    cm_series_provenance(map, specs, n, keep_xmp, &xmp);
    WebPMux *mux = WebPMuxCreate(anim, 0);
    WebPData chunk = {(const uint8_t *)xmp, strlen(xmp)};
    gboolean ok = mux && WebPMuxSetChunk(mux, "XMP ", &chunk, 0) == WEBP_MUX_OK &&
                  WebPMuxAssemble(mux, out) == WEBP_MUX_OK;
    WebPMuxDelete(mux);
    g_free(xmp);
    return ok;
}

static const char *webp_error(const WebPAnimEncoder *enc)
{
    const char *e = enc ? WebPAnimEncoderGetError((WebPAnimEncoder *)enc) : NULL;
    return e && *e ? e : "out of memory";
}

/* The options an animation takes, checked before anything is drawn. */
static cm_status check_options(const cm_render_options *o, cm_ctx *ctx)
{
    if (!(o->fps >= 0.1 && o->fps <= 50))
        /* browsers play a frame shorter than 20 ms as 100 ms */
        return cm_fail(ctx, CM_EUSAGE, "%g frames a second is out of range (0.1 to 50)", o->fps);
    if (!(o->hold >= 0 && o->hold <= 3600))
        return cm_fail(ctx, CM_EUSAGE, "a hold of %g seconds is out of range (0 to 3600)",
                       o->hold);
    if (o->width != 0 && (o->width < 16 || o->width > ANIM_MAX_SIDE))
        return cm_fail(ctx, CM_EUSAGE, "a frame width of %d pixels is out of range (16 to %d)",
                       o->width, ANIM_MAX_SIDE);
    if (o->quality < -1 || o->quality > 100)
        return cm_fail(ctx, CM_EUSAGE, "WebP quality %d is out of range (0 to 100, or -1 for "
                       "lossless)", o->quality);
    if (o->width == 0 && !(o->dpi >= 1 && o->dpi <= 10000))
        return cm_fail(ctx, CM_EUSAGE, "dpi %g is out of range (1 to 10000)", o->dpi);
    if (o->threads < 0)
        return cm_fail(ctx, CM_EUSAGE, "%d threads: use 1 or more, or 0 for one per core",
                       o->threads);
    return CM_OK;
}

/* The frame's size: the page, and the band under it, at the width or resolution asked. */
static cm_status frame_size(anim_frame *fr, const cm_map *map, const cm_render_options *o,
                            const char *path, cm_ctx *ctx)
{
    fr->band = band_height(map);
    fr->scale = o->width ? o->width / map->page_w : o->dpi / 72.0;
    double w = round(map->page_w * fr->scale), h = round((map->page_h + fr->band) * fr->scale);
    if (w > ANIM_MAX_SIDE || h > ANIM_MAX_SIDE)
        return cm_fail(ctx, CM_EUSAGE, "%s: a frame of %.0f x %.0f pixels is larger than WebP's "
                       "%d a side; use a lower dpi or width", path, w, h, ANIM_MAX_SIDE);
    if (w * h > CM_PIXEL_BUDGET)
        return cm_fail(ctx, CM_EUSAGE, "%s: a frame of %.0f x %.0f pixels is more than %.0f "
                       "million; use a lower dpi or width", path, w, h, CM_PIXEL_BUDGET / 1e6);
    if (w < 1 || h < 1)
        return cm_fail(ctx, CM_EUSAGE, "%s: a frame of %.0f x %.0f pixels is empty", path, w, h);
    fr->width = (int)w;
    fr->height = (int)h;
    return CM_OK;
}

cm_status cm_anim_write(const cm_map *map, const char *path, const cm_page_spec *specs, int n,
                        const cm_render_options *opts, cm_label_memory *memory, cm_ctx *ctx)
{
    cm_status st;
    anim_frame fr = {0};
    cm_file *f = NULL;
    WebPAnimEncoder *enc = NULL;
    WebPData webp, file;
    WebPDataInit(&webp);
    WebPDataInit(&file);
    cm_page_cache cache = {0};
    GArray *legend = NULL;
    if (strchr(path, '%'))
        /* frames/%Y-%m-%d.webp reads as one file a date: say what we write instead */
        return cm_fail(ctx, CM_EUSAGE, "%s: an animation is one file; a name pattern with %% "
                       "writes one file a date only as .png, .pdf or .svg", path);
    if ((st = check_options(opts, ctx)) != CM_OK ||
        (st = frame_size(&fr, map, opts, path, ctx)) != CM_OK)
        return st;
    WebPConfig config;
    WebPAnimEncoderOptions eo;
    if (!WebPConfigInit(&config) || !WebPAnimEncoderOptionsInit(&eo))
        return cm_fail(ctx, CM_EINTERNAL, "libwebp %d.%d.%d does not match the headers",
                       WebPGetEncoderVersion() >> 16, (WebPGetEncoderVersion() >> 8) & 0xff,
                       WebPGetEncoderVersion() & 0xff);
    if (opts->quality < 0) {
        /* lossless: on a map's flat colours about as small as lossy (the bundled 16 monthly
         * frames at 96 dpi: 496 KB, lossy quality 75 454 KB, 90 632 KB) and exact, text and
         * hatching included.  Level 5 is method 4, effort 50; level 7 was 3% smaller, level 9
         * 9% smaller but several times slower */
        WebPConfigLosslessPreset(&config, 5);
    } else {
        config.quality = (float)opts->quality;
        config.method = 4;
    }
    config.thread_level = opts->threads != 1; /* the caller's choice */
    eo.anim_params.loop_count = 0;            /* play for ever */
    cm_rgba bg = map->style->page_bg;
    eo.anim_params.bgcolor = 0xffu << 24 | (uint32_t)lround(bg.r * 255) << 16 |
                             (uint32_t)lround(bg.g * 255) << 8 | (uint32_t)lround(bg.b * 255);
    eo.allow_mixed = 0;
    if ((st = cm_file_open(&f, path, ctx)) != CM_OK)
        return st;
    fr.surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, fr.width, fr.height);
    if (cairo_surface_status(fr.surface) != CAIRO_STATUS_SUCCESS) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: a frame of %d x %d pixels: %s", path, fr.width,
                     fr.height, cairo_status_to_string(cairo_surface_status(fr.surface)));
        goto cleanup;
    }
    fr.rgb = g_malloc((size_t)fr.width * fr.height * 3);
    if (!(enc = WebPAnimEncoderNew(fr.width, fr.height, &eo))) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: cannot start a WebP animation of %d x %d pixels", path,
                     fr.width, fr.height);
        goto cleanup;
    }
    /* a page body is recorded once for each state of control and painted from there; the
     * labels remember their places from frame to frame */
    cache = cm_page_cache_new(map);
    cache.memory = memory;
    /* one legend for every frame, the union of theirs (but the events each frame numbers):
     * it holds still instead of growing at its corner as entries come */
    legend = cm_legend_items_series(map, specs, n);
    cache.legend = legend;
    const double frame_ms = 1000.0 / opts->fps;
    for (int i = 0; i < n; i++) {
        cairo_status_t cs = draw_frame(&fr, map, specs, i, n, &cache);
        if (cs != CAIRO_STATUS_SUCCESS) {
            st = cm_fail(ctx, CM_EOUTPUT, "%s: drawing frame %d failed: %s", path, i + 1,
                         cairo_status_to_string(cs));
            goto cleanup;
        }
        WebPPicture pic;
        if (!WebPPictureInit(&pic)) {
            st = cm_fail(ctx, CM_EINTERNAL, "libwebp's picture does not match the headers");
            goto cleanup;
        }
        pic.width = fr.width;
        pic.height = fr.height;
        pic.use_argb = 1;
        int ok = WebPPictureImportRGB(&pic, fr.rgb, fr.width * 3) &&
                 WebPAnimEncoderAdd(enc, &pic, (int)lround(i * frame_ms), &config);
        WebPPictureFree(&pic);
        if (!ok) {
            st = cm_fail(ctx, CM_EOUTPUT, "%s: encoding frame %d failed: %s", path, i + 1,
                         webp_error(enc));
            goto cleanup;
        }
        if (opts->progress)
            opts->progress(i + 1, n, opts->progress_data);
    }
    /* the end of the last frame: its own time and the hold */
    int end_ms = (int)lround(n * frame_ms + opts->hold * 1000);
    if (!WebPAnimEncoderAdd(enc, NULL, end_ms, NULL) || !WebPAnimEncoderAssemble(enc, &webp)) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: assembling the animation failed: %s", path,
                     webp_error(enc));
        goto cleanup;
    }
    if (!add_provenance(&file, &webp, map, specs, n)) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: adding the provenance failed (out of memory)", path);
        goto cleanup;
    }
    if (file.size > G_MAXUINT) {
        st = cm_fail(ctx, CM_EOUTPUT, "%s: file too large", path);
        goto cleanup;
    }
    cm_file_write(f, file.bytes, (unsigned)file.size);
    st = cm_file_commit(f, ctx);
    f = NULL;
cleanup:
    cm_file_abort(f);
    WebPDataClear(&webp);
    WebPDataClear(&file);
    WebPAnimEncoderDelete(enc);
    cm_page_cache_clear(&cache);
    cm_legend_items_free(legend);
    g_free(fr.rgb);
    if (fr.surface)
        cairo_surface_destroy(fr.surface);
    return st;
}
