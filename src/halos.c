/* Label halos as a font, for PDF: see cm_halo_show (labels.h).  Split from labels.c, which
 * places labels; this file only draws a placed label's halo. */
#include "labels.h"

#include "draw.h"

#include <math.h>
#include <string.h>

/* Halos as a font.  For PDF, each label's halo is shown as text in a cairo user font whose
 * glyphs are the real font's glyphs stroked: the PDF gets a Type 3 font that holds each
 * glyph's halo once, and a page shows it as a line of text.  cairo 1.16 works out the exact
 * extent of every stroke on every page it analyses (and analyses every form a page uses,
 * again on every page), which made stroked halos half of a PDF's time; a glyph's extent is
 * looked up.  The halo text carries spaces, one a glyph: copying from the PDF gives each
 * label once, and extractors that read the font's ToUnicode map (mutool, pdfminer) read
 * blanks, not U+FFFD, for a glyph that maps to nothing. */
typedef struct {
    cairo_scaled_font_t *unit; /* the real font at 1 unit to the em */
    double width;              /* the halo's width in ems */
} halo_font;

static const cairo_user_data_key_t halo_font_key;

static void halo_font_free(void *p)
{
    halo_font *h = p;
    cairo_scaled_font_destroy(h->unit);
    g_free(h);
}

static cairo_status_t halo_glyph(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                 cairo_text_extents_t *extents)
{
    const halo_font *h = cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf),
                                                       &halo_font_key);
    cairo_glyph_t g = {glyph, 0, 0};
    cairo_set_scaled_font(cr, h->unit);
    cairo_glyph_path(cr, &g, 1);
    cairo_set_line_width(cr, h->width);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_stroke(cr);
    cairo_text_extents_t te;
    cairo_scaled_font_glyph_extents(h->unit, &g, 1, &te);
    double pad = h->width / 2 + 0.01;
    *extents = (cairo_text_extents_t){te.x_bearing - pad, te.y_bearing - pad, te.width + 2 * pad,
                                      te.height + 2 * pad, te.x_advance, te.y_advance};
    return CAIRO_STATUS_SUCCESS;
}

GHashTable *cm_halo_cache_new(void)
{
    return g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                 (GDestroyNotify)cairo_font_face_destroy);
}

static cairo_font_options_t *unhinted(void)
{
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    return fo;
}

/* The halo font for a real font face and a halo width in ems, made once per table. */
static cairo_font_face_t *halo_face(GHashTable *faces, cairo_font_face_t *real, double width)
{
    struct {
        cairo_font_face_t *real;
        double width;
    } k;
    memset(&k, 0, sizeof k); /* no padding bytes of chance in the key */
    k.real = real, k.width = width;
    GBytes *key = g_bytes_new(&k, sizeof k);
    cairo_font_face_t *face = g_hash_table_lookup(faces, key);
    if (!face) {
        halo_font *h = g_new0(halo_font, 1);
        cairo_matrix_t unit;
        cairo_matrix_init_identity(&unit);
        cairo_font_options_t *fo = unhinted();
        h->unit = cairo_scaled_font_create(real, &unit, &unit, fo);
        cairo_font_options_destroy(fo);
        h->width = width;
        face = cairo_user_font_face_create();
        cairo_user_font_face_set_render_glyph_func(face, halo_glyph);
        cairo_font_face_set_user_data(face, &halo_font_key, h, halo_font_free);
        g_hash_table_insert(faces, g_bytes_ref(key), face);
    }
    g_bytes_unref(key);
    return face;
}

/* Shows the label's halo as a line of halo-font glyphs per run, at the run's glyph
 * positions.  Glyph by glyph, strokes overlap where glyphs meet, so a translucent halo is
 * drawn opaque in a group and the group painted with the halo's alpha, as one stroke would
 * look. */
void cm_halo_show(cairo_t *cr, PangoLayout *layout, double x0, double y0, cm_rgba halo,
                  double halo_width, GHashTable *faces)
{
    gboolean group = halo.a < 1;
    if (group)
        cairo_push_group(cr);
    cairo_save(cr);
    cairo_set_source_rgb(cr, halo.r, halo.g, halo.b);
    cairo_font_options_t *fo = unhinted();
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    GArray *glyphs = g_array_new(FALSE, FALSE, sizeof(cairo_glyph_t));
    GArray *clusters = g_array_new(FALSE, FALSE, sizeof(cairo_text_cluster_t));
    GString *spaces = g_string_new(NULL);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        cairo_scaled_font_t *font =
            pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
        if (!font)
            continue;
        cairo_matrix_t fm;
        cairo_scaled_font_get_font_matrix(font, &fm);
        double size = hypot(fm.xx, fm.yx);
        if (!(size > 0))
            continue;
        g_array_set_size(glyphs, 0);
        int x = logical.x;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            const PangoGlyphInfo *g = &run->glyphs->glyphs[i];
            if (g->glyph != PANGO_GLYPH_EMPTY && !(g->glyph & PANGO_GLYPH_UNKNOWN_FLAG)) {
                cairo_glyph_t cg = {g->glyph, x0 + (double)(x + g->geometry.x_offset) / PANGO_SCALE,
                                    y0 + (double)(baseline + g->geometry.y_offset) / PANGO_SCALE};
                g_array_append_val(glyphs, cg);
            }
            x += g->geometry.width;
        }
        if (glyphs->len == 0)
            continue;
        cairo_set_font_face(cr, halo_face(faces, cairo_scaled_font_get_font_face(font),
                                          halo_width / size));
        cairo_set_font_matrix(cr, &fm);
        /* a space a glyph */
        g_string_set_size(spaces, 0);
        g_array_set_size(clusters, 0);
        for (guint i = 0; i < glyphs->len; i++) {
            g_string_append_c(spaces, ' ');
            cairo_text_cluster_t one = {1, 1};
            g_array_append_val(clusters, one);
        }
        cairo_show_text_glyphs(cr, spaces->str, (int)spaces->len, (cairo_glyph_t *)glyphs->data,
                               (int)glyphs->len, (cairo_text_cluster_t *)clusters->data,
                               (int)clusters->len, 0);
    } while (pango_layout_iter_next_run(it));
    g_array_free(glyphs, TRUE);
    g_array_free(clusters, TRUE);
    g_string_free(spaces, TRUE);
    pango_layout_iter_free(it);
    cairo_restore(cr);
    if (group) {
        cairo_pop_group_to_source(cr);
        cairo_paint_with_alpha(cr, halo.a);
    }
}
