/* The web edition's stages: the map as SVG with an id on every feature the page's script
 * colours (web_svg.c), the control on each date as changes (web_data.c), and the HTML page
 * around them (web.c). */
#ifndef CM_WEB_H
#define CM_WEB_H

#include "labels.h"
#include "layout.h"
#include "map_impl.h"
#include "page.h"

#include <cairo.h>

#include <glib.h>

/* The features the script colours and explains, in this order: the regions, the places
 * (towns, then sites), the zones; feature i of the data is element id cm_web_feature_id(i). */
int cm_web_nfeatures(const cm_map *map);
int cm_web_nplaces(const cm_map *map);
/* "region-KEY", "town-KEY", "site-KEY" (characters outside [A-Za-z0-9_-] as '_') or
 * "zone-FID"; g_free() it.  NULL for a place without a key. */
char *cm_web_feature_id(const cm_map *map, int i);

/* A colour as CSS, "#rrggbb" or "rgba(r,g,b,a)", into buf (at least 32 bytes). */
const char *cm_web_color(cm_rgba c, char *buf);

/* The SVG of the map's page: the base (page, sea, neighbours), each region, each town's or
 * site's ground (cell) and symbol with its id and class, the border, and the labels `lab`
 * placed (the renderer's, from the same layout), and each detail frame's places and labels on
 * the main map, hidden until the reader zooms in (class cm-deep-only).  Fills of controlled
 * features are left to the script; `paints` (NULL-terminated CSS paints, "url(#cm-pN)" for striped ones, with
 * `stripes` their colours) become the <defs> the script refers to. */
void cm_web_svg(GString *out, const cm_map *map, const cm_page_body *body, GPtrArray *stripes);

/* The box (x, y, w, h, page points) the outline of detail frame i encloses on the main map;
 * FALSE when it does not show. */
gboolean cm_web_detail_box(const cm_map *map, int i, double box[4]);

/* The lines, and the events, each an element ("line-FID", "event-N", class "mark") hidden
 * until the script shows those in force (web_marks.c): lines under the places, events over. */
void cm_web_lines_svg(GString *out, const cm_map *map);
void cm_web_events_svg(GString *out, const cm_map *map);

/* The control on each of `dates` (n of them) as a JSON object: the dates, their titles, each
 * feature's name, the paints, the legend and the sources in force, and for each date only the
 * features whose row changed since the date before.  Fills `stripes` (cm_paint*, owned by
 * the array) with the contested paints the SVG must define. */
void cm_web_data(GString *json, const cm_map *map, const GDate *dates, int n, GPtrArray *stripes);

/* @font-face rules embedding each family of `families` ("Noto Sans, Noto Sans Arabic"),
 * regular and bold, as data: URLs, cut down to the characters of `text` (web_fonts.c).  A
 * family the system lacks is left out: the page then falls back to the reader's fonts. */
void cm_web_fonts_css(GString *css, const char *families, const char *text);

/* Appends `s` as a JSON string literal, with "</" written "<\/" so that it can sit inside a
 * <script> element. */
void cm_web_json_string(GString *out, const char *s);

/* Draws with `draw` (one of draw.c's functions, given `data`) on cairo's SVG surface of w by
 * h points and appends the <path> elements it wrote, coordinates to 0.1 pt; `current`: the
 * sentinel fill black (0, 0, 0) becomes currentColor, for the script to colour (web_symbols.c). */
typedef void (*cm_web_draw_fn)(cairo_t *cr, const void *data);
void cm_web_cairo(GString *out, cm_web_draw_fn draw, const void *data, double w, double h,
                  gboolean current);

/* A legend item's swatch as a small inline <svg>, drawn as the map draws that kind; `area` the
 * SVG paint of an area's swatch (a colour or "url(#cm-pN)"). */
void cm_web_swatch(GString *out, const cm_style *s, const cm_legend_item *it, const char *area);

#endif
