/* Page furniture.  Sizes come from the style; positions from the frame. */
#include "layout.h"

#include "draw.h"
#include "text.h"

#include <math.h>

#define MM (72.0 / 25.4)
#define FOOTER_SIZE CM_FOOTER_SIZE
#define FOOTER_LINES CM_FOOTER_LINES

static void show(cairo_t *cr, PangoLayout *layout, double x, double y, cm_rgba color)
{
    cairo_move_to(cr, x, y);
    cm_draw_set_color(cr, color);
    cm_text_show(cr, layout);
}

static void layout_size(PangoLayout *l, double *w, double *h)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    *w = (double)r.width / PANGO_SCALE;
    *h = (double)r.height / PANGO_SCALE;
}

#define LEGEND_PAD 6.0
#define SWATCH_W 16.0

/* An Arabic page reads from the right: the title block, the legend's swatches and texts
 * mirror. */
static gboolean rtl(const cm_style *s)
{
    return strcmp(s->lang, "ar") == 0;
}

/* Where a layout of width w starts so that it ends at `right` (Pango's extents may not start
 * at the layout's origin: a right-aligned, wrapped layout's do not). */
static double start_for_right(PangoLayout *l, double right)
{
    PangoRectangle r;
    pango_layout_get_extents(l, NULL, &r);
    return right - (double)(r.x + r.width) / PANGO_SCALE;
}

/* An item's text, wrapped to a width that keeps the legend a column, not a banner. */
static PangoLayout *item_layout(cm_labeler *lab, const cm_style *s, const cm_legend_item *it)
{
    PangoLayout *l = cm_labeler_layout(lab, it->text, s->font, s->legend_size, FALSE, FALSE);
    pango_layout_set_width(l, (int)(s->legend_size * 19 * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR); /* a word longer than the column too */
    if (rtl(s))
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
    return l;
}

void cm_layout_legend_size(cm_labeler *lab, const cm_style *s, const char *title,
                           const cm_legend_item *items, int n, double *w, double *h)
{
    PangoLayout *t = cm_labeler_layout(lab, title, s->font, s->legend_size * 1.15, TRUE, FALSE);
    double tw, th;
    layout_size(t, &tw, &th);
    g_object_unref(t);
    double maxw = tw, total = th + 3;
    for (int i = 0; i < n; i++) {
        PangoLayout *l = item_layout(lab, s, &items[i]);
        double lw, lh;
        layout_size(l, &lw, &lh);
        g_object_unref(l);
        maxw = fmax(maxw, SWATCH_W + 5 + lw);
        total += fmax(lh, s->legend_size * 1.2) + 3;
    }
    *w = maxw + 2 * LEGEND_PAD;
    *h = total + 2 * LEGEND_PAD - 3;
}

/* An arrow swatch (dashed for a withdrawal) across the swatch's width at y0, as the map
 * draws arrows (cm_draw_arrow: casing and head). */
static void swatch_arrow(cairo_t *cr, const cm_style *s, const cm_legend_item *it, double cx,
                         double y0)
{
    cm_arrow_style st = cm_arrow_style_for(it->paint.colors[0], it->kind == CM_SWATCH_WITHDRAWAL,
                                           s->place_halo, s->place_color);
    double xy[4] = {cx, y0, cx + SWATCH_W, y0};
    cm_draw_arrow(cr, xy, 2, &st);
}

/* A front-line swatch: the line with its teeth, as cm_draw_front draws them on the map. */
static void swatch_front(cairo_t *cr, const cm_style *s, const cm_legend_item *it, double cx,
                         double y0)
{
    (void)it;
    double xy[4] = {cx, y0 - 1.5, cx + SWATCH_W, y0 - 1.5};
    cm_draw_front(cr, xy, 2, 1.1, s->place_color, s->place_halo);
}

/* One item's swatch in a row of height rowh whose top-left is (cx, cy). */
static void draw_swatch(cairo_t *cr, cm_labeler *lab, const cm_style *s,
                        const cm_legend_item *it, double cx, double cy, double rowh)
{
    double sh = s->legend_size * 1.05, sy = cy + (rowh - sh) / 2;
    cm_ring ring = {(double[]){cx, sy, cx + SWATCH_W, sy, cx + SWATCH_W, sy + sh, cx, sy + sh, cx,
                               sy},
                    5};
    cm_shape box = {&ring, 1};
    switch (it->kind) {
    case CM_SWATCH_AREA:
        cm_draw_paint(cr, &box, &it->paint, s->hatch_width, s->hatch_angle);
        cm_draw_stroke(cr, &box, TRUE, s->legend_border, 0.4);
        break;
    case CM_SWATCH_STAR:
        cm_draw_star(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->star, it->paint.colors[0],
                     s->place_halo);
        break;
    case CM_SWATCH_CELL: {
        /* the disc of one holder's colour around a town, on another's ground */
        cm_paint ground = {.colors = {it->paint.colors[1]}, .n = 1};
        cm_draw_paint(cr, &box, &ground, s->hatch_width, s->hatch_angle);
        cairo_save(cr);
        cairo_rectangle(cr, cx, cy, SWATCH_W, rowh);
        cairo_clip(cr);
        cairo_new_path(cr);
        cairo_arc(cr, cx + SWATCH_W / 2, cy + rowh / 2, rowh * 0.45, 0, 2 * G_PI);
        cm_draw_set_color(cr, it->paint.colors[0]);
        cairo_fill(cr);
        cairo_restore(cr);
        cm_draw_dot(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot, s->place_color, s->place_halo);
        cm_draw_stroke(cr, &box, TRUE, s->legend_border, 0.4);
        break;
    }
    case CM_SWATCH_SITE:
        cm_draw_site(cr, it->site_kind, cx + SWATCH_W / 2, cy + rowh / 2, s->site_size,
                     it->paint.colors[0], s->place_halo);
        break;
    case CM_SWATCH_DOT:
        cm_draw_dot(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot * 1.6, it->paint.colors[0],
                    s->place_halo);
        break;
    case CM_SWATCH_SIEGE:
        cairo_new_path(cr);
        cairo_arc(cr, cx + SWATCH_W / 2, cy + rowh / 2, sh / 2, 0, 2 * G_PI);
        cm_draw_set_color(cr, it->paint.colors[0]);
        cairo_set_line_width(cr, 2);
        cairo_set_dash(cr, (double[]){2.2, 1.2}, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
        break;
    case CM_SWATCH_ARROW:
    case CM_SWATCH_WITHDRAWAL:
        swatch_arrow(cr, s, it, cx, cy + rowh / 2);
        break;
    case CM_SWATCH_FRONT:
        swatch_front(cr, s, it, cx, cy + rowh / 2);
        break;
    case CM_SWATCH_EVENT: {
        /* the event's number, as it stands beside its place on the map */
        if (it->number <= 0)
            break;
        char num[16];
        g_snprintf(num, sizeof num, "(%d)", it->number);
        PangoLayout *n = cm_labeler_layout(lab, num, s->font, s->legend_size, TRUE, FALSE);
        double nw, nh;
        layout_size(n, &nw, &nh);
        show(cr, n, cx + SWATCH_W - nw, cy + (rowh - nh) / 2, it->paint.colors[0]);
        g_object_unref(n);
        break;
    }
    case CM_SWATCH_RING:
        cm_draw_changed_ring(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot * 0.8, s->place_color,
                             s->place_halo);
        cm_draw_dot(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot * 1.6, it->paint.colors[0],
                    s->place_halo);
        break;
    case CM_SWATCH_NOTE:
        break;
    case CM_SWATCH_ATTACK:
        cm_draw_dot(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot * 1.3, s->place_color,
                    s->place_halo);
        cm_draw_attack_mark(cr, cx + SWATCH_W / 2, cy + rowh / 2, s->dot * 0.65 + 1.2,
                            it->paint.colors[0], s->place_halo);
        break;
    }
}

void cm_layout_legend_draw(cairo_t *cr, cm_labeler *lab, const cm_style *s, const char *title,
                           const cm_legend_item *items, int n, double x, double y)
{
    double w, h;
    cm_layout_legend_size(lab, s, title, items, n, &w, &h);
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    cm_draw_set_color(cr, s->legend_bg);
    cairo_fill_preserve(cr);
    cm_draw_set_color(cr, s->legend_border);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);

    gboolean mirror = rtl(s);
    double cx = x + LEGEND_PAD, cy = y + LEGEND_PAD, right = x + w - LEGEND_PAD;
    PangoLayout *t = cm_labeler_layout(lab, title, s->font, s->legend_size * 1.15, TRUE, FALSE);
    double tw, th;
    layout_size(t, &tw, &th);
    show(cr, t, mirror ? start_for_right(t, right) : cx, cy, s->title_color);
    g_object_unref(t);
    cy += th + 3;
    for (int i = 0; i < n; i++) {
        PangoLayout *l = item_layout(lab, s, &items[i]);
        double lw, lh;
        layout_size(l, &lw, &lh);
        double rowh = fmax(lh, s->legend_size * 1.2);
        /* swatch first in reading order: on the left, or on the right of an Arabic page */
        double sx = mirror ? right - SWATCH_W : cx;
        draw_swatch(cr, lab, s, &items[i], sx, cy, fmin(rowh, s->legend_size * 1.2));
        double tx = mirror ? start_for_right(l, sx - 5) : cx + SWATCH_W + 5;
        show(cr, l, tx, cy + (rowh - lh) / 2, s->title_color);
        g_object_unref(l);
        cy += rowh + 3;
    }
}

/* The largest 1, 2 or 5 times a power of ten not above v. */
static double round_down_nice(double v)
{
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

void cm_layout_scalebar(cairo_t *cr, cm_labeler *lab, const cm_style *s, double metres_per_pt,
                        double target, double x, double y, cm_box *box, gboolean draw)
{
    double km = round_down_nice(target * metres_per_pt / 1000);
    double len = km * 1000 / metres_per_pt;
    double size = s->legend_size * 0.9;
    char number[32];
    g_snprintf(number, sizeof number, "%g", km);
    char *words = cm_wordf(s, "scale-km", number, NULL);
    char *end = cm_words_digits(s, words), *zero = cm_words_digits(s, "0");
    g_free(words);
    PangoLayout *le = cm_labeler_layout(lab, end, s->font, size, FALSE, FALSE);
    PangoLayout *l0 = cm_labeler_layout(lab, zero, s->font, size, FALSE, FALSE);
    double ew, eh, zw, zh;
    layout_size(le, &ew, &eh);
    layout_size(l0, &zw, &zh);
    double bar_h = 3.5, pad = 4;
    double x1 = x - pad - ew / 2, x0 = x1 - len;
    double by = y - pad - bar_h;
    double ty = by - eh - 1;
    *box = (cm_box){x0 - zw / 2 - pad, ty - pad, x, y};
    if (draw) {
        cairo_new_path(cr);
        cairo_rectangle(cr, box->x0, box->y0, box->x1 - box->x0, box->y1 - box->y0);
        cm_draw_set_color(cr, s->legend_bg);
        cairo_fill(cr);
        for (int i = 0; i < 4; i++) {
            cairo_rectangle(cr, x0 + i * len / 4, by, len / 4, bar_h);
            cm_draw_set_color(cr, i % 2 ? s->legend_bg : s->title_color);
            cairo_fill(cr);
        }
        cairo_rectangle(cr, x0, by, len, bar_h);
        cm_draw_set_color(cr, s->title_color);
        cairo_set_line_width(cr, 0.5);
        cairo_stroke(cr);
        show(cr, l0, x0 - zw / 2, ty, s->title_color);
        show(cr, le, x1 - ew / 2, ty, s->title_color);
    }
    g_object_unref(le);
    g_object_unref(l0);
    g_free(end);
    g_free(zero);
}

/* A layout's ink, in points from its origin. */
static cm_box ink_of(PangoLayout *l)
{
    PangoRectangle r;
    pango_layout_get_extents(l, &r, NULL);
    return (cm_box){(double)r.x / PANGO_SCALE, (double)r.y / PANGO_SCALE,
                    (double)(r.x + r.width) / PANGO_SCALE, (double)(r.y + r.height) / PANGO_SCALE};
}

static cm_box moved(cm_box b, double x, double y)
{
    return (cm_box){b.x0 + x, b.y0 + y, b.x1 + x, b.y1 + y};
}

#define TITLE_GAP 2.0 /* between the title's lowest ink and the subtitle's highest */

void cm_layout_title(cairo_t *cr, cm_labeler *lab, const cm_style *s, const double frame[4],
                     const char *title, const char *subtitle, cm_box ink[2])
{
    const double top = s->margin_mm * MM, right = frame[0] + frame[2];
    gboolean mirror = rtl(s); /* an Arabic title block stands at the right */
    double size = s->title_size, sub_size = s->subtitle_size;
    PangoLayout *t = NULL, *st = NULL;
    double ty = top, sy = 0;
    cm_box ti, si = {0};
    for (;;) {
        t = cm_labeler_layout(lab, title, s->font, size, TRUE, FALSE);
        st = subtitle ? cm_labeler_layout(lab, subtitle, s->font, sub_size, FALSE, FALSE) : NULL;
        double w, h, sw, sh;
        layout_size(t, &w, &h);
        ti = ink_of(t);
        ty = top;
        if (!st)
            break;
        layout_size(st, &sw, &sh);
        si = ink_of(st);
        /* the lines' logical boxes, stacked, keep the subtitle clear of the frame */
        sy = fmin(ty + h, frame[1] - sh - 1);
        if (ty + ti.y1 + TITLE_GAP <= sy + si.y0)
            break;
        /* Arabic lines' logical boxes are far taller than their letters (and than the
         * room the frame leaves): stack the ink instead, the title's from the margin down,
         * the subtitle's up from the frame; set both smaller until they clear each other */
        ty = top - ti.y0;
        sy = frame[1] - 1.5 - si.y1;
        if (ty + ti.y1 + TITLE_GAP <= sy + si.y0 || size <= s->title_size * 0.6)
            break;
        g_object_unref(t);
        g_object_unref(st);
        size *= 0.94, sub_size *= 0.94;
    }
    double tx = mirror ? start_for_right(t, right) : frame[0];
    show(cr, t, tx, ty, s->title_color);
    if (ink)
        ink[0] = moved(ti, tx, ty), ink[1] = (cm_box){0, 0, 0, 0};
    g_object_unref(t);
    if (st) {
        double sx = mirror ? start_for_right(st, right) : frame[0];
        show(cr, st, sx, sy, s->title_color);
        if (ink)
            ink[1] = moved(si, sx, sy);
        g_object_unref(st);
    }
}

void cm_layout_heading(cairo_t *cr, cm_labeler *lab, const cm_style *s, double x, double y,
                       double w, double h, const char *text)
{
    cairo_new_path(cr);
    cairo_rectangle(cr, x, y, w, h);
    cm_draw_set_color(cr, s->page_bg);
    cairo_fill(cr);
    PangoLayout *t = cm_labeler_layout(lab, text, s->font, s->legend_size + 0.5, TRUE, FALSE);
    pango_layout_set_width(t, (int)((w - 6) * PANGO_SCALE));
    pango_layout_set_ellipsize(t, PANGO_ELLIPSIZE_END);
    double tw, th;
    layout_size(t, &tw, &th);
    show(cr, t, x + 3, y + (h - th) / 2, s->title_color);
    g_object_unref(t);
}

static cm_rgba footer_color(const cm_style *s)
{
    cm_rgba c = s->title_color;
    c.a *= 0.75;
    return c;
}

void cm_layout_north_arrow(cairo_t *cr, cm_labeler *lab, const cm_style *s, double x, double y,
                           double angle, cm_box *box, gboolean draw)
{
    const double r = 9;
    PangoLayout *n = cm_labeler_layout(lab, cm_word(s, "north"), s->font, s->legend_size, TRUE, FALSE);
    double nw, nh;
    layout_size(n, &nw, &nh);
    *box = (cm_box){x - r - 2, y - r - nh - 2, x + r + 2, y + r + 2};
    if (draw) {
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, angle);
        /* two halves of an arrowhead: dark on the left, light on the right */
        cairo_move_to(cr, 0, -r);
        cairo_line_to(cr, -r * 0.45, r * 0.8);
        cairo_line_to(cr, 0, r * 0.4);
        cairo_close_path(cr);
        cm_draw_set_color(cr, s->title_color);
        cairo_fill(cr);
        cairo_move_to(cr, 0, -r);
        cairo_line_to(cr, r * 0.45, r * 0.8);
        cairo_line_to(cr, 0, r * 0.4);
        cairo_close_path(cr);
        cm_draw_set_color(cr, s->legend_bg);
        cairo_fill_preserve(cr);
        cm_draw_set_color(cr, s->title_color);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        cairo_restore(cr);
        show(cr, n, x + sin(angle) * (r + 1) - nw / 2, y - cos(angle) * (r + 1) - nh, s->title_color);
    }
    g_object_unref(n);
}

/* A footer text in the footer's lines.  On the Arabic page each line is the English
 * footer's pitch: the Arabic font's own line, a third taller, put four lines of sources
 * over the credit's line below them. */
static PangoLayout *footer_layout(cm_labeler *lab, const cm_style *s, const char *text,
                                  double size, gboolean italic)
{
    PangoLayout *l = cm_labeler_layout(lab, text, s->font, size, FALSE, italic);
    if (rtl(s)) {
        PangoAttrList *attrs = pango_attr_list_new();
        pango_attr_list_insert(attrs, pango_attr_line_height_new_absolute(
                                          (int)(FOOTER_SIZE * 1.3 * PANGO_SCALE)));
        pango_layout_set_attributes(l, attrs);
        pango_attr_list_unref(attrs);
    }
    return l;
}

/* The sources as a paragraph the frame's width, wrapped; NULL when it needs more than
 * `lines` lines. */
static PangoLayout *sources_block(cm_labeler *lab, const cm_style *s, const char *text,
                                  double width, int lines, double size)
{
    PangoLayout *l = footer_layout(lab, s, text, size, FALSE);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    double w, h;
    layout_size(l, &w, &h);
    if (h <= lines * FOOTER_SIZE * 1.3 + 0.01) /* the lines the frame left, as measured */
        return l;
    g_object_unref(l);
    return NULL;
}

gboolean cm_layout_footer(cairo_t *cr, cm_labeler *lab, const cm_style *s, const double frame[4],
                          const cm_footer *f)
{
    double y = frame[1] + frame[3] + f->below + 4, line_h = FOOTER_SIZE * 1.3;
    int lines = FOOTER_LINES - 1; /* the last line is the credit's */
    gboolean complete = TRUE;
    PangoLayout *l = NULL;
    /* in full; else briefly; else briefly in agate type, 5.5 pt, the smallest a newspaper
     * sets */
    if (f->sources && !(l = sources_block(lab, s, f->sources, frame[2], lines, FOOTER_SIZE))) {
        complete = FALSE;
        if (!f->brief ||
            (!(l = sources_block(lab, s, f->brief, frame[2], lines, FOOTER_SIZE)) &&
             !(l = sources_block(lab, s, f->brief, frame[2], lines, 5.5)))) {
            /* even the brief form is too long: cut, and say where the rest is */
            l = footer_layout(lab, s, f->brief ? f->brief : f->sources, FOOTER_SIZE, FALSE);
            pango_layout_set_width(l, (int)(frame[2] * PANGO_SCALE));
            pango_layout_set_wrap(l, PANGO_WRAP_WORD);
            pango_layout_set_height(l, -lines);
            pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
        }
    }
    if (l) {
        show(cr, l, frame[0], y, footer_color(s));
        g_object_unref(l);
    }
    /* under them, where the page starts reading the note on the rest and at its end the
     * credit: left and right on an English page, right and left on an Arabic one */
    double last = y + lines * line_h, right = frame[0] + frame[2];
    gboolean mirror = rtl(s);
    if (!complete && f->elsewhere) {
        PangoLayout *e = footer_layout(lab, s, f->elsewhere, FOOTER_SIZE, TRUE);
        pango_layout_set_width(e, (int)(frame[2] * 0.6 * PANGO_SCALE));
        show(cr, e, mirror ? start_for_right(e, right) : frame[0], last, footer_color(s));
        g_object_unref(e);
    }
    if (f->credit) {
        PangoLayout *c = footer_layout(lab, s, f->credit, FOOTER_SIZE, TRUE);
        pango_layout_set_width(c, (int)(frame[2] * 0.4 * PANGO_SCALE));
        /* flush with the frame's edge: Pango flips the alignment of a right-to-left text */
        pango_layout_set_alignment(c, PANGO_ALIGN_RIGHT);
        show(cr, c, mirror ? frame[0] : frame[0] + frame[2] * 0.6, last, footer_color(s));
        g_object_unref(c);
    }
    return complete;
}

/* A date's place on the strip's axis, from x0 (first) to x1 (last). */
static double axis_x(const GDate *d, const GDate *first, const GDate *last, double x0, double x1)
{
    double span = fmax(g_date_days_between(first, last), 1);
    return x0 + (x1 - x0) * CLAMP(g_date_days_between(first, d) / span, 0, 1);
}

void cm_layout_timeline(cairo_t *cr, cm_labeler *lab, const cm_style *s, const double frame[4],
                        double strip, const GDate *first, const GDate *last, const GDate *date,
                        const cm_timeline_mark *marks, int n)
{
    const double top = frame[1] + frame[3], ay = top + strip * 0.5, size = 5.5;
    const double x0 = frame[0] + 4, x1 = frame[0] + frame[2] - 4;
    double xd = axis_x(date, first, last, x0, x1);
    cm_rgba faint = footer_color(s), ink = s->title_color;
    faint.a *= 0.45;
    cairo_save(cr);
    cairo_set_line_width(cr, 0.8);
    cm_draw_set_color(cr, ink);
    cairo_move_to(cr, x0, ay), cairo_line_to(cr, xd, ay), cairo_stroke(cr);
    cm_draw_set_color(cr, faint);
    cairo_move_to(cr, xd, ay), cairo_line_to(cr, x1, ay), cairo_stroke(cr);
    /* a tick and a label at each 1 January in the span, and the first year at its start */
    char start[8];
    g_snprintf(start, sizeof start, "%d", g_date_get_year(first));
    PangoLayout *sl = cm_labeler_layout(lab, start, s->font, size, FALSE, FALSE);
    show(cr, sl, x0, ay + 1, footer_color(s));
    g_object_unref(sl);
    int years = g_date_get_year(last) - g_date_get_year(first), every = MAX(1, years / 10);
    for (int y = g_date_get_year(first) + 1; y <= g_date_get_year(last); y += every) {
        GDate jan;
        g_date_clear(&jan, 1);
        g_date_set_dmy(&jan, 1, G_DATE_JANUARY, (GDateYear)y);
        double x = axis_x(&jan, first, last, x0, x1);
        cm_draw_set_color(cr, footer_color(s));
        cairo_move_to(cr, x, ay - 2), cairo_line_to(cr, x, ay + 2), cairo_stroke(cr);
        char year[8];
        g_snprintf(year, sizeof year, "%d", y);
        PangoLayout *l = cm_labeler_layout(lab, year, s->font, size, FALSE, FALSE);
        show(cr, l, x + 1.5, ay + 1, footer_color(s));
        g_object_unref(l);
    }
    /* the events up to the date: a dot each, with its number when the map shows it and it
     * has room beside the last number set */
    double taken = -INFINITY;
    for (int i = 0; i < n; i++) {
        if (g_date_compare(&marks[i].date, date) > 0 || g_date_compare(&marks[i].date, first) < 0 ||
            g_date_compare(&marks[i].date, last) > 0)
            continue;
        double x = axis_x(&marks[i].date, first, last, x0, x1);
        cairo_new_path(cr);
        cairo_arc(cr, x, ay, 1.6, 0, 2 * G_PI);
        cm_draw_set_color(cr, s->event_color);
        cairo_fill(cr);
        if (!marks[i].number)
            continue;
        char num[16];
        g_snprintf(num, sizeof num, "(%d)", marks[i].number);
        PangoLayout *l = cm_labeler_layout(lab, num, s->font, size, TRUE, FALSE);
        double w, h;
        layout_size(l, &w, &h);
        if (x - w / 2 > taken + 1) {
            show(cr, l, x - w / 2, ay - 2 - h, s->event_color);
            taken = x + w / 2;
        }
        g_object_unref(l);
    }
    /* the map's date: a wedge pointing up at the axis, under the events' numbers */
    cairo_new_path(cr);
    cairo_move_to(cr, xd - 3, ay + 5.5), cairo_line_to(cr, xd + 3, ay + 5.5);
    cairo_line_to(cr, xd, ay), cairo_close_path(cr);
    cm_draw_set_color(cr, ink);
    cairo_fill(cr);
    cairo_restore(cr);
}

double cm_layout_legend_flow(cairo_t *cr, cm_labeler *lab, const cm_style *s, const char *title,
                             const cm_legend_item *items, int n, double x, double y, double w,
                             gboolean draw)
{
    const double rowh = s->legend_size * 1.2, gap = s->legend_size * 1.4, row_gap = 2;
    gboolean mirror = rtl(s);
    double cx = 0, cy = 0; /* from the start of the row, in reading order */
    for (int i = -1; i < n; i++) {
        PangoLayout *l = i < 0 ? cm_labeler_layout(lab, title, s->font, s->legend_size * 1.1,
                                                   TRUE, FALSE)
                               : cm_labeler_layout(lab, items[i].text, s->font, s->legend_size,
                                                   FALSE, FALSE);
        double lw, lh;
        layout_size(l, &lw, &lh);
        double iw = (i < 0 ? 0 : SWATCH_W + 4) + lw;
        if (cx > 0 && cx + iw > w) /* a new row */
            cx = 0, cy += rowh + row_gap;
        if (draw) {
            /* the swatch first in reading order: at the left, or the right of an Arabic row */
            double start = mirror ? x + w - cx - iw : x + cx;
            double sx = mirror ? start + iw - SWATCH_W : start;
            double tx = i < 0 ? start : mirror ? start : start + SWATCH_W + 4;
            if (i >= 0)
                draw_swatch(cr, lab, s, &items[i], sx, y + cy, rowh);
            show(cr, l, tx, y + cy + (rowh - lh) / 2, s->title_color);
        }
        g_object_unref(l);
        cx += iw + gap;
    }
    return cy + rowh;
}
