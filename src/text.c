/* Text that reads back as written.  cairo 1.16 names each glyph in a PDF font's ToUnicode
 * map by the font's own character map first, and the Noto fonts map their ligatures to
 * Unicode's presentation forms: Arabic's lam-alef (the obligatory ligature of "الأبيض")
 * becomes U+FEF7, "fi" U+FB01.  cairo wraps such a glyph in an ActualText span with the
 * right letters, but mutool 1.21 and pdfminer read the ToUnicode map and give the
 * presentation form, and poppler, which reads the span, puts a span's several letters in
 * the wrong order in right-to-left text.  So a ligature's shape is drawn as a path, and its
 * characters are shown as glyphs of a font of our own (a Type 3 font in the PDF) that draw
 * nothing, one a character, each on its share of the ligature's width in reading order:
 * every extractor reads the letters, in order, where they are. */
#include "text.h"

#include <math.h>
#include <string.h>

/* The ligature font: glyphs that draw nothing and carry one character each, as wide as
 * their share of a ligature.  Their extents reach down to the real font's descent and no
 * further: cairo's Type 3 font takes its box from them, in a flipped font matrix, and
 * pdfminer sets a character's box from that box's lower edge read unflipped -- from ink
 * (had they drawn the ligature) or from the baseline (had they no extents) the letters'
 * boxes would sit above the line's, and be a line of their own. */
typedef struct {
    double advance, descent; /* ems */
} share;

typedef struct {
    GArray *shares;  /* glyph id - 1 -> share */
    GHashTable *ids; /* share and character, as a string -> glyph id */
} ligature_font;

static const cairo_user_data_key_t ligature_font_key;

static void ligature_font_free(void *p)
{
    ligature_font *f = p;
    g_array_unref(f->shares);
    g_hash_table_unref(f->ids);
    g_free(f);
}

static cairo_status_t share_glyph(cairo_scaled_font_t *sf, unsigned long glyph, cairo_t *cr,
                                  cairo_text_extents_t *extents)
{
    (void)cr;
    const ligature_font *f = cairo_font_face_get_user_data(cairo_scaled_font_get_font_face(sf),
                                                           &ligature_font_key);
    if (glyph > 0 && glyph <= f->shares->len) {
        const share *s = &g_array_index(f->shares, share, glyph - 1);
        *extents = (cairo_text_extents_t){0, s->descent, s->advance, 1e-3, s->advance, 0};
    }
    return CAIRO_STATUS_SUCCESS;
}

/* The ligature font, made once per font map (the table goes with it): one for all the
 * real fonts, since its glyphs draw nothing. */
static ligature_font *ligature_face(PangoFontMap *fm, cairo_font_face_t **face)
{
    static const char key[] = "cm-ligature-font";
    *face = g_object_get_data(G_OBJECT(fm), key);
    if (!*face) {
        ligature_font *f = g_new0(ligature_font, 1);
        f->shares = g_array_new(FALSE, FALSE, sizeof(share));
        f->ids = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        *face = cairo_user_font_face_create();
        cairo_user_font_face_set_render_glyph_func(*face, share_glyph);
        cairo_font_face_set_user_data(*face, &ligature_font_key, f, ligature_font_free);
        g_object_set_data_full(G_OBJECT(fm), key, *face, (GDestroyNotify)cairo_font_face_destroy);
    }
    return cairo_font_face_get_user_data(*face, &ligature_font_key);
}

/* The glyph id of a share carrying the character of `len` bytes at `ch`: one glyph id, and
 * so one ToUnicode entry, for each share and character. */
static unsigned long share_id(ligature_font *f, share s, const char *ch, int len)
{
    char *key = g_strdup_printf("%.5f/%.5f/%.*s", s.advance, s.descent, len, ch);
    gpointer id = g_hash_table_lookup(f->ids, key);
    if (id) {
        g_free(key);
        return GPOINTER_TO_UINT(id);
    }
    g_array_append_val(f->shares, s);
    g_hash_table_insert(f->ids, key, GUINT_TO_POINTER(f->shares->len));
    return f->shares->len;
}

/* A cluster's glyphs as [*g0, *g1) in the glyph string, and how many are drawn. */
static int cluster_glyphs(const PangoGlyphItemIter *it, gboolean rtl, int *g0, int *g1)
{
    *g0 = rtl ? it->end_glyph + 1 : it->start_glyph;
    *g1 = rtl ? it->start_glyph + 1 : it->end_glyph;
    int m = 0;
    for (int i = *g0; i < *g1; i++)
        m += it->glyph_item->glyphs->glyphs[i].glyph != PANGO_GLYPH_EMPTY;
    return m;
}

static gboolean is_ligature(const PangoGlyphItemIter *it, gboolean rtl)
{
    int g0, g1;
    return cluster_glyphs(it, rtl, &g0, &g1) == 1 &&
           g_utf8_strlen(it->text + it->start_index, it->end_index - it->start_index) > 1;
}

/* An ellipsis is one glyph for the text it hides: Pango's renderer gives it that text, which
 * cairo writes as the glyph's ActualText (copying the page gives what the ellipsis cut). */
static gboolean is_ellipsis(const PangoGlyphItem *run)
{
    return (run->item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS) != 0;
}

/* Whether the run has a ligature and no glyph that Pango draws as a box. */
static gboolean run_has_ligature(PangoGlyphItem *run, const char *text)
{
    if (is_ellipsis(run))
        return FALSE;
    for (int i = 0; i < run->glyphs->num_glyphs; i++)
        if (run->glyphs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG)
            return FALSE;
    gboolean rtl = run->item->analysis.level & 1;
    PangoGlyphItemIter it;
    for (gboolean ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
         ok = pango_glyph_item_iter_next_cluster(&it))
        if (is_ligature(&it, rtl))
            return TRUE;
    return FALSE;
}

typedef struct {
    GArray *glyphs, *clusters;
    int start, end; /* the text's bytes */
    int kind;       /* -1 nothing yet, 0 the real font, 1 ligature shares */
} segment;

static void flush(cairo_t *cr, segment *sg, const char *text, cairo_scaled_font_t *font,
                  cairo_font_face_t *lig, const cairo_matrix_t *fm)
{
    if (sg->kind >= 0 && sg->clusters->len) {
        if (sg->kind == 0) {
            cairo_set_scaled_font(cr, font);
        } else {
            cairo_set_font_face(cr, lig);
            cairo_set_font_matrix(cr, fm);
        }
        cairo_show_text_glyphs(cr, text + sg->start, sg->end - sg->start,
                               (cairo_glyph_t *)sg->glyphs->data, (int)sg->glyphs->len,
                               (cairo_text_cluster_t *)sg->clusters->data, (int)sg->clusters->len,
                               0);
    }
    g_array_set_size(sg->glyphs, 0);
    g_array_set_size(sg->clusters, 0);
    sg->kind = -1;
}

/* Shows a run with ligatures, its baseline's left end at (x, y): cluster by cluster in
 * reading order, runs of ordinary clusters in the real font, ligatures as shares. */
static void show_run(cairo_t *cr, PangoFontMap *map, PangoGlyphItem *run, const char *text,
                     double x, double y)
{
    cairo_scaled_font_t *font =
        pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(run->item->analysis.font));
    cairo_matrix_t fm;
    cairo_scaled_font_get_font_matrix(font, &fm);
    double size = hypot(fm.xx, fm.yx);
    cairo_font_extents_t fe;
    cairo_scaled_font_extents(font, &fe);
    cairo_font_face_t *lig = NULL;
    ligature_font *lf = ligature_face(map, &lig);
    const PangoGlyphString *gs = run->glyphs;
    double *gx = g_new(double, (size_t)gs->num_glyphs + 1);
    int pos = 0;
    for (int i = 0; i < gs->num_glyphs; i++) {
        gx[i] = x + (double)(pos + gs->glyphs[i].geometry.x_offset) / PANGO_SCALE;
        pos += gs->glyphs[i].geometry.width;
    }
    gboolean rtl = run->item->analysis.level & 1;
    segment sg = {g_array_new(FALSE, FALSE, sizeof(cairo_glyph_t)),
                  g_array_new(FALSE, FALSE, sizeof(cairo_text_cluster_t)), 0, 0, -1};
    PangoGlyphItemIter it;
    for (gboolean ok = pango_glyph_item_iter_init_start(&it, run, text); ok;
         ok = pango_glyph_item_iter_next_cluster(&it)) {
        int g0, g1, m = cluster_glyphs(&it, rtl, &g0, &g1);
        int kind = is_ligature(&it, rtl);
        if (kind != sg.kind) {
            flush(cr, &sg, text, font, lig, &fm);
            sg.kind = kind, sg.start = it.start_index;
        }
        sg.end = it.end_index;
        if (!kind) {
            for (int k = 0; k < g1 - g0; k++) {
                int i = rtl ? g1 - 1 - k : g0 + k;
                const PangoGlyphInfo *g = &gs->glyphs[i];
                if (g->glyph == PANGO_GLYPH_EMPTY)
                    continue;
                cairo_glyph_t cg = {g->glyph, gx[i], y + (double)g->geometry.y_offset / PANGO_SCALE};
                g_array_append_val(sg.glyphs, cg);
            }
            cairo_text_cluster_t c = {it.end_index - it.start_index, m};
            g_array_append_val(sg.clusters, c);
            continue;
        }
        int gi = g0;
        while (gs->glyphs[gi].glyph == PANGO_GLYPH_EMPTY)
            gi++;
        const PangoGlyphInfo *g = &gs->glyphs[gi];
        double adv = (double)g->geometry.width / PANGO_SCALE;
        double gy = y + (double)g->geometry.y_offset / PANGO_SCALE;
        /* the ligature's shape, as a path: no text of its own */
        cairo_set_scaled_font(cr, font);
        cairo_new_path(cr);
        cairo_glyph_path(cr, &(cairo_glyph_t){g->glyph, gx[gi], gy}, 1);
        cairo_fill(cr);
        const char *ch = text + it.start_index, *end = text + it.end_index;
        int n = (int)g_utf8_strlen(ch, end - ch);
        for (int k = 0; k < n; k++, ch = g_utf8_next_char(ch)) {
            int slot = rtl ? n - 1 - k : k;
            int len = (int)(g_utf8_next_char(ch) - ch);
            cairo_glyph_t cg = {share_id(lf, (share){adv / n / size, fe.descent / size}, ch, len), gx[gi] + adv * slot / n, gy};
            g_array_append_val(sg.glyphs, cg);
            cairo_text_cluster_t c = {len, 1};
            g_array_append_val(sg.clusters, c);
        }
    }
    flush(cr, &sg, text, font, lig, &fm);
    g_array_free(sg.glyphs, TRUE);
    g_array_free(sg.clusters, TRUE);
    g_free(gx);
}

void cm_text_show(cairo_t *cr, PangoLayout *layout)
{
    const char *text = pango_layout_get_text(layout);
    gboolean any = FALSE;
    if (cairo_surface_has_show_text_glyphs(cairo_get_group_target(cr))) {
        PangoLayoutIter *it = pango_layout_get_iter(layout);
        do {
            PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
            any = run && run_has_ligature(run, text);
        } while (!any && pango_layout_iter_next_run(it));
        pango_layout_iter_free(it);
    }
    if (!any) {
        pango_cairo_show_layout(cr, layout);
        return;
    }
    double x0, y0;
    cairo_get_current_point(cr, &x0, &y0);
    PangoFontMap *map = pango_context_get_font_map(pango_layout_get_context(layout));
    cairo_save(cr);
    PangoLayoutIter *it = pango_layout_get_iter(layout);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        PangoRectangle logical;
        pango_layout_iter_get_run_extents(it, NULL, &logical);
        double x = x0 + (double)logical.x / PANGO_SCALE;
        double y = y0 + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        if (run_has_ligature(run, text)) {
            show_run(cr, map, run, text, x, y);
        } else {
            cairo_move_to(cr, x, y);
            pango_cairo_show_glyph_item(cr, text, run);
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    cairo_restore(cr);
}
