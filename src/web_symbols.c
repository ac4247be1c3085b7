/* The web edition's symbols and legend swatches, drawn by the renderer's own functions
 * (draw.c: cm_draw_star, cm_draw_site, cm_draw_front, cm_draw_arrow, ...) onto cairo's SVG
 * surface, whose <path> elements are copied into the page.  So the capital's star, each
 * site kind's icon, a front's teeth and an offensive's head are on the web page what they
 * are on the PDF, and the HTML legend shows each kind as the map draws it: there is one
 * drawing of each symbol, not a second one written in SVG by hand. */
#include "draw.h"
#include "layout.h"
#include "style.h"
#include "web.h"

#include <cairo-svg.h>
#include <string.h>

static cairo_status_t to_gstring(void *closure, const unsigned char *data, unsigned int len)
{
    g_string_append_len(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Copies one <path .../> line of cairo's output, the numbers of its d="" to 0.1 pt (cairo
 * writes six decimals: a page of fronts' teeth would weigh four times as much). */
static void copy_path(GString *out, const char *line, const char *end, gboolean current)
{
    const char *d = g_strstr_len(line, end - line, " d=\"");
    const char *dend = d ? strchr(d + 4, '"') : NULL;
    GString *head = g_string_new_len(line, (d ? d : end) - line);
    if (current) /* the sentinel black: the colour the script gives the element */
        g_string_replace(head, "rgb(0%,0%,0%)", "currentColor", 0);
    g_string_append(out, head->str);
    g_string_free(head, TRUE);
    if (!d || !dend || dend > end) {
        g_string_append_len(out, d ? d : end, end - (d ? d : end));
        return;
    }
    for (const char *p = d; p <= dend; p++) {
        g_string_append_c(out, *p);
        if (*p == '.' && g_ascii_isdigit(p[1])) {
            g_string_append_c(out, *++p);
            while (g_ascii_isdigit(p[1]))
                p++;
        }
    }
    g_string_append_len(out, dend + 1, end - dend - 1);
}

void cm_web_cairo(GString *out, cm_web_draw_fn draw, const void *data, double w, double h,
                  gboolean current)
{
    GString *svg = g_string_new(NULL);
    cairo_surface_t *surface = cairo_svg_surface_create_for_stream(to_gstring, svg, w, h);
    cairo_t *cr = cairo_create(surface);
    draw(cr, data);
    cairo_destroy(cr);
    cairo_surface_finish(surface);
    cairo_surface_destroy(surface);
    /* one element a line; only the paths are wanted (no ids, no <defs> of glyphs) */
    for (const char *p = svg->str; (p = strstr(p, "<path ")) != NULL;) {
        const char *end = strstr(p, "/>");
        if (!end)
            break;
        copy_path(out, p, end + 2, current); /* no newline: no text node in a swatch */
        p = end + 2;
    }
    g_string_free(svg, TRUE);
}

/* A swatch's drawing: one legend item in a box SW_W by SW_H points. */
#define SW_W 24.0
#define SW_H 14.0

typedef struct {
    const cm_style *s;
    const cm_legend_item *it;
} swatch_job;

static void draw_symbol(cairo_t *cr, const void *data)
{
    const swatch_job *j = data;
    const cm_style *s = j->s;
    const cm_legend_item *it = j->it;
    const double cx = SW_W / 2, cy = SW_H / 2;
    cm_rgba c = it->paint.colors[0];
    switch (it->kind) {
    case CM_SWATCH_STAR:
        cm_draw_star(cr, cx, cy, s->star, c, s->place_halo);
        break;
    case CM_SWATCH_SITE:
        cm_draw_site(cr, it->site_kind, cx, cy, s->site_size, c, s->place_halo);
        break;
    case CM_SWATCH_CELL:
    case CM_SWATCH_DOT:
    case CM_SWATCH_RING:
        cm_draw_dot(cr, cx, cy, s->dot * (it->kind == CM_SWATCH_DOT ? 1.6 : 1),
                    it->kind == CM_SWATCH_DOT ? c : s->place_color, s->place_halo);
        break;
    case CM_SWATCH_ATTACK:
        cm_draw_attack_mark(cr, cx, cy, s->dot * 0.8 + 1.2, c, s->place_halo);
        cm_draw_dot(cr, cx, cy, s->dot * 1.6, s->place_color, s->place_halo);
        break;
    case CM_SWATCH_FRONT:
        cm_draw_front(cr, (double[]){2, cy - 1.5, SW_W - 2, cy - 1.5}, 2, 1.1, s->place_color,
                      s->place_halo);
        break;
    case CM_SWATCH_ARROW:
    case CM_SWATCH_WITHDRAWAL: {
        cm_arrow_style st = cm_arrow_style_for(c, it->kind == CM_SWATCH_WITHDRAWAL, s->place_halo,
                                               s->place_color);
        cm_draw_arrow(cr, (double[]){1, cy, SW_W - 1, cy}, 2, &st);
        break;
    }
    default:
        break;
    }
}

void cm_web_swatch(GString *out, const cm_style *s, const cm_legend_item *it, const char *area)
{
    char c0[32], c1[32], border[32];
    swatch_job job = {s, it};
    g_string_append_printf(out, "<svg class=\"cm-sw\" xmlns=\"http://www.w3.org/2000/svg\" "
                           "viewBox=\"0 0 %g %g\" aria-hidden=\"true\" focusable=\"false\" "
                           "data-kind=\"%d\">", SW_W, SW_H, (int)it->kind);
    cm_web_color(s->legend_border, border);
    switch (it->kind) {
    case CM_SWATCH_AREA:
        g_string_append_printf(out, "<rect x=\"2\" y=\"2\" width=\"%g\" height=\"%g\" fill=\"%s\" "
                               "stroke=\"%s\" stroke-width=\"0.6\"/>", SW_W - 4, SW_H - 4, area,
                               border);
        break;
    case CM_SWATCH_CELL: /* a town's ground: a disc of one holder's on another's */
        g_string_append_printf(out, "<rect x=\"2\" y=\"1\" width=\"%g\" height=\"%g\" fill=\"%s\" "
                               "stroke=\"%s\" stroke-width=\"0.6\"/><circle cx=\"%g\" cy=\"%g\" "
                               "r=\"%g\" fill=\"%s\"/>", SW_W - 4, SW_H - 2,
                               cm_web_color(it->paint.colors[1], c1), border, SW_W / 2, SW_H / 2,
                               SW_H * 0.42, cm_web_color(it->paint.colors[0], c0));
        cm_web_cairo(out, draw_symbol, &job, SW_W, SW_H, FALSE);
        break;
    case CM_SWATCH_SIEGE:
        g_string_append_printf(out, "<circle cx=\"%g\" cy=\"%g\" r=\"%g\" fill=\"none\" "
                               "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"2.2 1.2\"/>",
                               SW_W / 2, SW_H / 2, SW_H / 2 - 1.5,
                               cm_web_color(it->paint.colors[0], c0));
        break;
    case CM_SWATCH_EVENT: /* as the web map marks an event (web_marks.c) */
        g_string_append_printf(out, "<rect x=\"%g\" y=\"%g\" width=\"5\" height=\"5\" fill=\"%s\" "
                               "stroke=\"%s\" transform=\"rotate(45 %g %g)\"/>", SW_W / 2 - 2.5,
                               SW_H / 2 - 2.5, cm_web_color(s->event_color, c0),
                               cm_web_color(s->place_halo, c1), SW_W / 2, SW_H / 2);
        break;
    case CM_SWATCH_NOTE:
        break;
    default:
        cm_web_cairo(out, draw_symbol, &job, SW_W, SW_H, FALSE);
    }
    g_string_append(out, "</svg>");
}
