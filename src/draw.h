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

/* The mark of a place under attack: four wedges pointing in at (x, y) from radius r, in the
 * attacker's colour on a halo (a siege is a closed ring; this is not). */
void cm_draw_attack_mark(cairo_t *cr, double x, double y, double r, cm_rgba color, cm_rgba halo);

#endif
