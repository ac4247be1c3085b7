/* The label engine: Pango layouts with halos, and what was placed where.  Placement itself is
 * label_place.c; halos as a font, halos.c. */
#include "labels.h"
#include "labels_impl.h"

#include "draw.h"
#include "fonts.h"
#include "text.h"

#include <math.h>
#include <string.h>

/* The height of a line with Arabic in it, in ems: the Arabic fonts' own (over twice the
 * size, for stacked marks that names do not have) would make every label that may be
 * Arabic a box twice as tall as its English, and cost each edition names. */
#define ARABIC_LINE 1.6

static gboolean has_arabic(const char *text)
{
    for (const char *c = text; *c; c = g_utf8_next_char(c))
        if (g_unichar_get_script(g_utf8_get_char(c)) == G_UNICODE_SCRIPT_ARABIC)
            return TRUE;
    return FALSE;
}

gboolean cm_box_overlaps(const cm_box *a, const cm_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void label_free(gpointer p)
{
    label *l = p;
    g_free(l->text);
    g_free(l->font);
    for (int e = 0; e < l->n_eds; e++) {
        g_free((char *)l->eds[e].text);
        g_free((char *)l->eds[e].font);
    }
    g_free(l->eds);
    if (l->layout)
        g_object_unref(l->layout);
    g_free(l);
}

static void unref_context(gpointer pc)
{
    if (pc)
        g_object_unref(pc);
}

/* Metrics must not depend on the output's resolution, or PNG and PDF would differ. */
static void setup_context(PangoContext *pc, cairo_t *cr)
{
    pango_cairo_update_context(cr, pc);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pc, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(pc, FALSE);
}

cm_labeler *cm_labeler_new(cairo_t *cr, cm_box frame)
{
    cm_labeler *lab = g_new0(cm_labeler, 1);
    lab->pango = pango_cairo_create_context(cr);
    setup_context(lab->pango, cr);
    lab->fast = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unref_context);
    lab->cr = cairo_reference(cr);
    lab->frame = frame;
    lab->blocked = g_array_new(FALSE, FALSE, sizeof(cm_box));
    lab->texts = g_array_new(FALSE, FALSE, sizeof(cm_box));
    lab->blocked_at = cm_grid_new(frame);
    lab->texts_at = cm_grid_new(frame);
    lab->labels = g_ptr_array_new_with_free_func(label_free);
    return lab;
}

void cm_labeler_destroy(cm_labeler *lab)
{
    if (!lab)
        return;
    g_ptr_array_unref(lab->labels);
    g_array_unref(lab->blocked);
    g_array_unref(lab->texts);
    cm_grid_free(lab->blocked_at);
    cm_grid_free(lab->texts_at);
    cm_grid_free(lab->points_at);
    if (lab->placed_by_id)
        g_hash_table_unref(lab->placed_by_id);
    g_hash_table_unref(lab->fast);
    g_object_unref(lab->pango);
    cairo_destroy(lab->cr);
    g_free(lab->scope);
    g_free(lab);
}

/* The context on the map of just the font's families, or NULL when they are not installed. */
static PangoContext *fast_context(cm_labeler *lab, const char *families)
{
    gpointer pc = NULL;
    if (!g_hash_table_lookup_extended(lab->fast, families, NULL, &pc)) {
        PangoFontMap *fm = cm_font_map(families);
        if (fm) {
            pc = pango_font_map_create_context(fm);
            setup_context(pc, lab->cr);
        }
        g_hash_table_insert(lab->fast, g_strdup(families), pc);
    }
    return pc;
}

void cm_labeler_block(cm_labeler *lab, cm_box box)
{
    cm_grid_add(lab->blocked_at, box, lab->blocked->len);
    g_array_append_val(lab->blocked, box);
}

static PangoLayout *make_layout(PangoContext *pc, const char *text, const PangoFontDescription *fd)
{
    PangoLayout *layout = pango_layout_new(pc);
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, text, -1);
    return layout;
}

/* Laid out with the style's own fonts; text they cannot show is laid out again with every
 * installed font, as Pango alone would. */
PangoLayout *cm_labeler_layout(cm_labeler *lab, const char *text, const char *font, double size,
                               gboolean bold, gboolean italic)
{
    PangoFontDescription *fd = pango_font_description_from_string(font);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (italic)
        pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    const char *families = pango_font_description_get_family(fd);
    PangoContext *pc = families ? fast_context(lab, families) : NULL;
    PangoLayout *layout = pc ? make_layout(pc, text, fd) : NULL;
    if (layout && pango_layout_get_unknown_glyphs_count(layout) > 0)
        g_clear_object(&layout);
    if (!layout)
        layout = make_layout(lab->pango, text, fd);
    pango_font_description_free(fd);
    return layout;
}

/* The layout of a spec's text in its font, italic and letter spacing (over its first
 * styled_bytes only, when set); owned by the caller. */
static PangoLayout *spec_layout(cm_labeler *lab, const cm_label_spec *spec)
{
    gboolean part = spec->styled_bytes > 0 && (size_t)spec->styled_bytes < strlen(spec->text);
    PangoLayout *layout = cm_labeler_layout(lab, spec->text, spec->font, spec->size, spec->bold,
                                            spec->italic && !part);
    PangoAttrList *attrs = pango_attr_list_new();
    if (spec->letter_spacing > 0) {
        PangoAttribute *a = pango_attr_letter_spacing_new((int)(spec->letter_spacing * PANGO_SCALE));
        if (part)
            a->end_index = (guint)spec->styled_bytes;
        pango_attr_list_insert(attrs, a);
    }
    if (has_arabic(spec->text))
        pango_attr_list_insert(attrs, pango_attr_line_height_new_absolute(
                                          (int)(ARABIC_LINE * spec->size * PANGO_SCALE)));
    if (spec->italic && part) {
        PangoAttribute *a = pango_attr_style_new(PANGO_STYLE_ITALIC);
        a->end_index = (guint)spec->styled_bytes;
        pango_attr_list_insert(attrs, a);
    }
    if (spec->letter_spacing > 0 || (spec->italic && part) || has_arabic(spec->text))
        pango_layout_set_attributes(layout, attrs);

    pango_attr_list_unref(attrs);
    return layout;
}

/* A layout's logical width and height and its first line's height. */
static void measure(PangoLayout *layout, double *w, double *h, double *h1)
{
    PangoRectangle logical, first;
    pango_layout_get_extents(layout, NULL, &logical);
    pango_layout_line_get_extents(pango_layout_get_line_readonly(layout, 0), NULL, &first);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
    *h1 = (double)first.height / PANGO_SCALE;
}

void cm_labeler_add(cm_labeler *lab, const cm_label_spec *spec)
{
    label *l = g_new0(label, 1);
    l->spec = *spec;
    l->text = g_strdup(spec->text);
    l->font = g_strdup(spec->font);
    l->spec.text = l->text;
    l->spec.font = l->font;
    l->spec.editions = NULL;
    l->spec.n_editions = 0;
    /* measured when placement asks (cm_label_measure): with 20,000 places, most cannot be
     * placed whatever their size, and shaping them was most of the time */
    for (int e = 0; spec->editions && e < spec->n_editions; e++) {
        if (!spec->editions[e].text)
            continue;
        l->eds = g_renew(cm_label_spec, l->eds, l->n_eds + 1);
        cm_label_spec *ed = &l->eds[l->n_eds++];
        *ed = spec->editions[e];
        ed->text = g_strdup(ed->text);
        ed->font = g_strdup(ed->font);
        ed->editions = NULL;
        ed->n_editions = 0;
    }
    l->order = (int)lab->labels->len;
    g_ptr_array_add(lab->labels, l);
    cm_labeler_forget_placed(lab);
}

void cm_label_measure(cm_labeler *lab, label *l)
{
    if (l->measured)
        return;
    l->measured = TRUE;
    lab->measured++;
    cm_label_spec whole = l->spec;
    whole.editions = l->eds;
    whole.n_editions = l->n_eds;
    char *key = lab->plans ? cm_label_size_key(&whole) : NULL;
    cm_label_size z;
    if (key && cm_label_size_find(lab->plans, key, &z)) {
        l->w = z.w, l->h = z.h, l->h1 = z.h1, l->tw = z.tw, l->th = z.th, l->th1 = z.th1;
        lab->unknown_glyphs += z.unknown_glyphs;
        g_free(key);
        return;
    }
    l->layout = spec_layout(lab, &l->spec);
    measure(l->layout, &l->tw, &l->th, &l->th1);
    PangoRectangle ink;
    pango_layout_get_extents(l->layout, &ink, NULL);
    l->ink = (cm_box){(double)ink.x / PANGO_SCALE, (double)ink.y / PANGO_SCALE,
                      (double)(ink.x + ink.width) / PANGO_SCALE,
                      (double)(ink.y + ink.height) / PANGO_SCALE};
    l->w = l->tw, l->h = l->th, l->h1 = l->th1;
    /* the box holds every edition's text: the same box in each, so the same places */
    for (int e = 0; e < l->n_eds; e++) {
        PangoLayout *other = spec_layout(lab, &l->eds[e]);
        double w, h, h1;
        measure(other, &w, &h, &h1);
        g_object_unref(other);
        l->w = fmax(l->w, w), l->h = fmax(l->h, h), l->h1 = fmax(l->h1, h1);
    }
    int unknown = pango_layout_get_unknown_glyphs_count(l->layout);
    lab->unknown_glyphs += unknown;
    if (key) {
        z = (cm_label_size){l->w, l->h, l->h1, l->tw, l->th, l->th1, unknown, FALSE};
        cm_label_size_file(lab->plans, key, &z);
        g_free(key);
    }
}

PangoLayout *cm_label_layout(cm_labeler *lab, label *l)
{
    if (!l->layout)
        l->layout = spec_layout(lab, &l->spec);
    return l->layout;
}

/* Draws one label: a halo stroked from the glyph outlines, then the text.  With `halos`
 * (see cm_labeler_draw), the halo is shown in a halo font. */
static void draw_label(cairo_t *cr, const label *l, GHashTable *halos)
{
    double x = l->x + l->dx, y = l->y + l->dy;
    if (l->spec.halo_width > 0 && l->spec.halo.a > 0 && halos) {
        cm_halo_show(cr, l->layout, x, y, l->spec.halo, l->spec.halo_width, halos);
    } else if (l->spec.halo_width > 0 && l->spec.halo.a > 0) {
        cairo_new_path(cr);
        cairo_move_to(cr, x, y);
        pango_cairo_layout_path(cr, l->layout);
        cm_draw_set_color(cr, l->spec.halo);
        cairo_set_line_width(cr, l->spec.halo_width);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, x, y);
    cm_draw_set_color(cr, l->spec.color);
    cm_text_show(cr, l->layout);
}

/* Everything that makes a label look as it does, where it is. */
static char *label_key(const label *l)
{
    const cm_label_spec *s = &l->spec;
    return g_strdup_printf("%s|%s|%.3f|%d%d|%.3f|%.4f,%.4f,%.4f,%.4f|%.4f,%.4f,%.4f,%.4f|%.3f|%.3f,%.3f|%d",
                           l->text, l->font, s->size, s->bold, s->italic, s->letter_spacing,
                           s->color.r, s->color.g, s->color.b, s->color.a, s->halo.r, s->halo.g,
                           s->halo.b, s->halo.a, s->halo_width, l->x + l->dx, l->y + l->dy,
                           (int)pango_layout_get_alignment(l->layout));
}

void cm_labeler_draw(cm_labeler *lab, cairo_t *cr, GHashTable *cache, GHashTable *halos)
{
    for (guint i = 0; i < lab->labels->len; i++) {
        label *l = lab->labels->pdata[i];
        if (!l->placed)
            continue;
        cm_label_layout(lab, l);
        if (!cache) {
            draw_label(cr, l, halos);
            continue;
        }
        char *key = label_key(l);
        cairo_surface_t *rec = g_hash_table_lookup(cache, key);
        if (!rec) {
            /* bounded: cairo measures an unbounded recording by replaying it at each use */
            double pad = l->spec.halo_width + 2;
            cairo_rectangle_t ext = {floor(l->x - pad), floor(l->y - pad), ceil(l->w + 2 * pad + 1),
                                     ceil(l->h + 2 * pad + 1)};
            rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
            cairo_t *rc = cairo_create(rec);
            draw_label(rc, l, halos);
            cairo_destroy(rc);
            g_hash_table_insert(cache, key, rec);
        } else {
            g_free(key);
        }
        cairo_set_source_surface(cr, rec, 0, 0);
        cairo_paint(cr);
    }
}

int cm_labeler_placed(const cm_labeler *lab, cm_box *boxes, int max)
{
    int n = 0;
    for (guint i = 0; i < lab->labels->len; i++) {
        const label *l = lab->labels->pdata[i];
        if (!l->placed)
            continue;
        if (n < max)
            boxes[n] = (cm_box){l->x, l->y, l->x + l->w, l->y + l->h};
        n++;
    }
    return n;
}

int cm_labeler_placed_labels(const cm_labeler *lab, int *ids, cm_box *boxes, const char **texts,
                             int max)
{
    int n = 0;
    for (guint i = 0; i < lab->labels->len; i++) {
        const label *l = lab->labels->pdata[i];
        if (!l->placed)
            continue;
        if (n < max && ids)
            ids[n] = l->spec.id;
        if (n < max && boxes)
            boxes[n] = (cm_box){l->x, l->y, l->x + l->w, l->y + l->h};
        if (n < max && texts)
            texts[n] = l->text;
        n++;
    }
    return n;
}

/* The first label with this id that was placed, or NULL: a table made once a placement, as
 * each of 20,000 places asks after its own label. */
static const label *placed_with(const cm_labeler *lab, int id)
{
    cm_labeler *mut = (cm_labeler *)lab; /* the table is a cache of what is already there */
    if (!mut->placed_by_id) {
        mut->placed_by_id = g_hash_table_new(g_direct_hash, g_direct_equal);
        for (guint i = 0; i < lab->labels->len; i++) {
            const label *l = lab->labels->pdata[i];
            gpointer key = GINT_TO_POINTER(l->spec.id);
            if (l->placed && !g_hash_table_contains(mut->placed_by_id, key))
                g_hash_table_insert(mut->placed_by_id, key, (gpointer)l);
        }
    }
    return g_hash_table_lookup(lab->placed_by_id, GINT_TO_POINTER(id));
}

void cm_labeler_forget_placed(cm_labeler *lab)
{
    g_clear_pointer(&lab->placed_by_id, g_hash_table_unref);
}

gboolean cm_labeler_is_placed(const cm_labeler *lab, int id)
{
    return placed_with(lab, id) != NULL;
}

gboolean cm_labeler_is_callout(const cm_labeler *lab, int id)
{
    const label *l = placed_with(lab, id);
    return l && l->spec.kind == CM_LABEL_POINT && l->chosen >= BESIDE;
}

gboolean cm_labeler_box(cm_box *out, const cm_labeler *lab, int id)
{
    const label *l = placed_with(lab, id);
    if (l)
        *out = (cm_box){l->x, l->y, l->x + l->w, l->y + l->h};
    return l != NULL;
}

int cm_labeler_unknown_glyphs(const cm_labeler *lab)
{
    return lab->unknown_glyphs;
}

void cm_labeler_svg_text(const cm_labeler *lab, GString *svg)
{
    for (guint i = 0; i < lab->labels->len; i++) {
        const label *l = lab->labels->pdata[i];
        if (!l->placed)
            continue;
        PangoLayoutIter *it = pango_layout_get_iter(l->layout);
        do {
            PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
            PangoRectangle ext;
            pango_layout_iter_get_line_extents(it, NULL, &ext);
            double x = l->x + l->dx + (double)ext.x / PANGO_SCALE;
            double y = l->y + l->dy + (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            const char *text = pango_layout_get_text(l->layout) + line->start_index;
            char *one = g_strndup(text, (gsize)line->length);
            char *esc = g_markup_escape_text(one, -1);
            g_string_append_printf(svg,
                                   "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" "
                                   "textLength=\"%.2f\">%s</text>\n",
                                   x, y, l->spec.size, (double)ext.width / PANGO_SCALE, esc);
            g_free(esc);
            g_free(one);
        } while (pango_layout_iter_next_line(it));
        pango_layout_iter_free(it);
    }
}
