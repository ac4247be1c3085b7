/* The web edition's marks: front lines, offensives and withdrawals (the zones' and lines'
 * timeline), and events, as SVG elements with ids; the script shows those in force on the
 * date shown (the data's "marks", web_data.c).  Lines are drawn as the PDF draws them
 * (symbols.c), through cairo's SVG surface (web_symbols.c); an event is a mark, explained on
 * hover, not numbered. */
#include "draw.h"
#include "map_impl.h"
#include "page.h"
#include "style.h"
#include "web.h"

#include <string.h>

/* One line in force, drawn by the renderer's own functions as on the PDF (symbols.c): a front
 * with its teeth, an offensive or withdrawal as an arrow with its head and casing. */
typedef struct {
    const cm_style *s;
    const cm_timed *t;
    const cm_shape *sh;
} line_job;

static void draw_line(cairo_t *cr, const void *data)
{
    const line_job *j = data;
    const cm_style *s = j->s;
    cm_rgba c = cm_style_controller(s, j->t->actor)->fill;
    gboolean back = j->t->kind == CM_LINE_WITHDRAWAL;
    cm_arrow_style st = cm_arrow_style_for(back ? cm_lighten(c, 0.5) : c, back, s->place_halo,
                                           s->place_color);
    for (int r = 0; r < j->sh->nrings; r++) {
        if (j->t->kind == CM_LINE_FRONT)
            cm_draw_front(cr, j->sh->rings[r].xy, j->sh->rings[r].n, 1.1, s->place_color,
                          s->place_halo);
        else
            cm_draw_arrow(cr, j->sh->rings[r].xy, j->sh->rings[r].n, &st);
    }
}

static void lines(GString *out, const cm_map *map)
{
    g_string_append(out, "<g class=\"lines\">\n");
    for (int i = 0; i < map->lines->layer->n; i++) {
        line_job job = {map->style, &map->lines->items[i], &map->lines_page[i]};
        if (job.sh->nrings == 0)
            continue;
        g_string_append_printf(out, "<g id=\"line-%ld\" class=\"mark\" visibility=\"hidden\">\n",
                               job.t->fid);
        cm_web_cairo(out, draw_line, &job, map->page_w, map->page_h, FALSE);
        g_string_append(out, "</g>\n");
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
