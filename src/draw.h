/* Drawing primitives on a cairo_t: fills, strokes, hatches, symbols. */
#ifndef CM_DRAW_H
#define CM_DRAW_H

#include "layer.h"
#include "style.h"

#include <cairo.h>

void cm_draw_set_color(cairo_t *cr, cm_rgba c);

/* How an area is painted: one colour, or stripes of several (contested), with an optional
 * pattern on top. */
typedef struct cm_paint {
    cm_rgba colors[4];
    int n;
    cm_pattern pattern;
    cm_rgba pattern_color;
} cm_paint;

/* Paints the shape: a fill, or stripes `hatch_width` wide at `hatch_angle` degrees, then the
 * pattern. */
void cm_draw_paint(cairo_t *cr, const cm_shape *shape, const cm_paint *paint, double hatch_width,
                   double hatch_angle);

/* Appends the shape's rings to the current path, each closed when `closed`. */
void cm_draw_shape_path(cairo_t *cr, const cm_shape *shape, gboolean closed);

/* Fills the shape (even-odd) with a colour. */
void cm_draw_fill(cairo_t *cr, const cm_shape *shape, cm_rgba fill);

/* Fills the shape with diagonal stripes cycling through `colors` (n >= 1), each stripe
 * `width` points wide, at `angle` degrees. */
void cm_draw_hatch(cairo_t *cr, const cm_shape *shape, const cm_rgba *colors, int n,
                   double width, double angle);

/* Strokes the shape's rings with a round join. */
void cm_draw_stroke(cairo_t *cr, const cm_shape *shape, gboolean closed, cm_rgba color,
                    double width);

/* A five-pointed star of outer radius r centred on (x, y): fill, outlined with `halo`. */
void cm_draw_star(cairo_t *cr, double x, double y, double r, cm_rgba fill, cm_rgba halo);

/* A dot of diameter d, outlined with `halo`. */
void cm_draw_dot(cairo_t *cr, double x, double y, double d, cm_rgba fill, cm_rgba halo);
/* A change map's ring around a place that changed hands, outside radius `r`, in `ring` over
 * `halo` (symbols.c). */
void cm_draw_changed_ring(cairo_t *cr, double x, double y, double r, cm_rgba ring, cm_rgba halo);

/* The mark of a place under attack: four wedges pointing in at (x, y) from radius r, in the
 * attacker's colour on a halo (a siege is a closed ring; this is not). */
void cm_draw_attack_mark(cairo_t *cr, double x, double y, double r, cm_rgba color, cm_rgba halo);

/* How an arrow looks.  Widths in points: the shaft from w0 at the tail to w1 where the head
 * begins, the head head_w across and head_len long.  Outside the fill a casing `halo` wide
 * in halo_color, and outside that an edge `edge` wide in edge_color: the casing is what
 * lets an arrow read over ground of its own colour. */
typedef struct cm_arrow_style {
    double w0, w1, head_w, head_len, halo, edge;
    cm_rgba fill, halo_color, edge_color;
    gboolean dashed; /* a withdrawal: the edge dashed */
} cm_arrow_style;

/* The style of an offensive (or, `withdrawal`, a retreat: thinner, dashed) filled with c,
 * cased in `halo` and edged in `edge`: what the map and its legend both draw. */
cm_arrow_style cm_arrow_style_for(cm_rgba c, gboolean withdrawal, cm_rgba halo, cm_rgba edge);

/* An arrow along the polyline xy[0..n) (page points), tip at the last point, curved through
 * the points.  A short arrow's symbol shrinks (to half size, then as the length demands) so
 * its head keeps to about half its length.  Nothing drawn for fewer than two distinct
 * points. */
void cm_draw_arrow(cairo_t *cr, const double *xy, int n, const cm_arrow_style *st);

/* A front line along xy[0..n): a line `width` wide with triangular teeth on its right-hand
 * side in drawing order, both in `color` over a casing in `casing`. */
void cm_draw_front(cairo_t *cr, const double *xy, int n, double width, cm_rgba color,
                   cm_rgba casing);

/* Site icons: a small vector symbol `size` points wide centred on (x, y) in the holder's
 * `fill`, outlined with CM_SITE_CASING points of `casing` (so nothing is inked farther than
 * size / 2 + CM_SITE_CASING from the centre on either axis).  Kinds: "oil_terminal",
 * "oil_field", "refinery", "airbase", "airport", "port"; anything else, NULL included, a
 * diamond.  Shape, not colour, tells the kinds apart, so they read in greyscale. */
#define CM_SITE_CASING 0.8
void cm_draw_site(cairo_t *cr, const char *kind, double x, double y, double size, cm_rgba fill,
                  cm_rgba casing);

/* The legend's name of a site kind: the word site-oil-terminal, ... (site for any other) of
 * the style's catalogue, borrowed for the style's lifetime. */
const char *cm_site_kind_name(const cm_style *s, const char *kind);

#endif
