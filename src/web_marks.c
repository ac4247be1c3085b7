/* The web edition's marks: front lines, offensives and withdrawals (the zones' and lines'
 * timeline), and events, as SVG elements with ids; the script shows those in force on the
 * date shown (the data's "marks", web_data.c).  Drawn more simply than the PDF's (symbols.c):
 * a front as a dark line on a halo, an axis as a line in its actor's colour with a head. */
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "web.h"

#include <string.h>

static void line_path(GString *out, const cm_ring *r)
{
    for (int k = 0; k < r->n; k++)
        g_string_append_printf(out, "%c%.1f %.1f", k ? 'L' : 'M', r->xy[2 * k], r->xy[2 * k + 1]);
}

/* One marker per line: an arrowhead in the line's own colour (SVG 1.1 markers cannot take
 * it from the line). */
static void lines(GString *out, const cm_map *map)
{
    const cm_style *s = map->style;
    char c[32], halo[32], ink[32];
    cm_web_color(s->place_halo, halo);
    cm_web_color(s->place_color, ink);
    g_string_append(out, "<g class=\"lines\" fill=\"none\" stroke-linecap=\"round\" "
                         "stroke-linejoin=\"round\">\n");
    for (int i = 0; i < map->lines->layer->n; i++) {
        const cm_timed *t = &map->lines->items[i];
        const cm_shape *sh = &map->lines_page[i];
        if (sh->nrings == 0)
            continue;
        GString *d = g_string_new(NULL);
        for (int r = 0; r < sh->nrings; r++)
            line_path(d, &sh->rings[r]);
        g_string_append_printf(out, "<g id=\"line-%ld\" class=\"mark\" visibility=\"hidden\">", t->fid);
        if (t->kind == CM_LINE_FRONT) {
            g_string_append_printf(out, "<path stroke=\"%s\" stroke-width=\"3\" d=\"%s\"/>"
                                   "<path stroke=\"%s\" stroke-width=\"1.1\" stroke-dasharray=\"3 1.5\" "
                                   "d=\"%s\"/>", halo, d->str, ink, d->str);
        } else {
            cm_rgba col = cm_style_controller(s, t->actor)->fill;
            gboolean back = t->kind == CM_LINE_WITHDRAWAL;
            cm_web_color(back ? cm_lighten(col, 0.5) : col, c);
            g_string_append_printf(out, "<marker id=\"cm-head%d\" viewBox=\"0 0 10 10\" refX=\"5\" "
                                   "refY=\"5\" markerWidth=\"3\" markerHeight=\"3\" "
                                   "orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10Z\" "
                                   "fill=\"%s\"/></marker>", i, c);
            g_string_append_printf(out, "<path stroke=\"%s\" stroke-width=\"4.2\" d=\"%s\"/>"
                                   "<path stroke=\"%s\" stroke-width=\"2.4\"%s "
                                   "marker-end=\"url(#cm-head%d)\" d=\"%s\"/>", halo, d->str, c,
                                   back ? " stroke-dasharray=\"5 3\"" : "", i, d->str);
        }
        g_string_append(out, "</g>\n");
        g_string_free(d, TRUE);
    }
    g_string_append(out, "</g>\n");
}

/* Events at their places: a dot in the events' colour, focusable, `data-e` its index. */
static void events(GString *out, const cm_map *map)
{
    const cm_style *s = map->style;
    char c[32], halo[32];
    g_string_append_printf(out, "<g class=\"events\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1\">\n",
                           cm_web_color(s->event_color, c), cm_web_color(s->place_halo, halo));
    for (int i = 0; i < map->events->n; i++) {
        const cm_event *e = &map->events->items[i];
        if (!e->has_point)
            continue;
        g_string_append_printf(out, "<rect id=\"event-%d\" class=\"mark event\" data-e=\"%d\" "
                               "tabindex=\"0\" role=\"button\" visibility=\"hidden\" x=\"%.1f\" "
                               "y=\"%.1f\" width=\"5\" height=\"5\" transform=\"rotate(45 %.1f %.1f)\"/>\n",
                               i, i, e->x - 2.5, e->y - 2.5, e->x, e->y);
    }
    g_string_append(out, "</g>\n");
}

void cm_web_lines_svg(GString *out, const cm_map *map)
{
    if (map->lines)
        lines(out, map);
}

void cm_web_events_svg(GString *out, const cm_map *map)
{
    if (map->events)
        events(out, map);
}
