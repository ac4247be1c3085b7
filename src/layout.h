/* Page furniture: the map frame's place on the page, title block, legend, scale bar, sources. */
#ifndef CM_LAYOUT_H
#define CM_LAYOUT_H

#include "draw.h"
#include "labels.h"
#include "style.h"
#include "words.h"

#include <cairo.h>

typedef enum {
    CM_SWATCH_AREA,
    CM_SWATCH_STAR,
    CM_SWATCH_DOT,
    CM_SWATCH_SIEGE,      /* a dashed ring in paint.colors[0] */
    CM_SWATCH_ARROW,      /* an offensive arrow in paint.colors[0] */
    CM_SWATCH_WITHDRAWAL, /* a dashed, lighter arrow */
    CM_SWATCH_FRONT,      /* a front line with teeth */
    CM_SWATCH_ATTACK,     /* the under-attack mark in paint.colors[0] */
    CM_SWATCH_EVENT,      /* an event's number, "(n)", in paint.colors[0] */
    CM_SWATCH_SITE,       /* a site's icon (site_kind) in paint.colors[0] */
    CM_SWATCH_CELL,       /* a town's ground: a dot in a disc of paint.colors[0] on paint.colors[1] */
    CM_SWATCH_RING,       /* a change map's town that changed hands: a dot of paint.colors[0], ringed */
    CM_SWATCH_NOTE        /* no swatch: a line of text (a change map's areas) */
} cm_swatch_kind;

typedef struct cm_legend_item {
    cm_swatch_kind kind;
    cm_paint paint; /* areas: as on the map; symbols: paint.colors[0] */
    char *text;
    int number;     /* events: the number beside their place */
    const char *site_kind; /* sites: the kind, borrowed from the layer */
} cm_legend_item;

/* The legend's size for these items. */
void cm_layout_legend_size(cm_labeler *lab, const cm_style *style, const char *title,
                           const cm_legend_item *items, int n, double *w, double *h);

/* Draws the legend with its top-left corner at (x, y). */
void cm_layout_legend_draw(cairo_t *cr, cm_labeler *lab, const cm_style *style, const char *title,
                           const cm_legend_item *items, int n, double x, double y);

/* The legend in rows across the width w from (x, y), as under a sheet of small multiples:
 * the title, then each item's swatch and text, one after the other, wrapping into new rows
 * (mirrored on an Arabic page).  Returns its height; draws only when `draw`. */
double cm_layout_legend_flow(cairo_t *cr, cm_labeler *lab, const cm_style *style,
                             const char *title, const cm_legend_item *items, int n, double x,
                             double y, double w, gboolean draw);

/* A scale bar whose length in km is a round number near `target` points, for a map where one
 * point is `metres_per_pt` on the ground at the frame's centre.  `x, y` is the bottom-right
 * corner; the bar's box is returned in *box before drawing, so labels can avoid it. */
void cm_layout_scalebar(cairo_t *cr, cm_labeler *lab, const cm_style *style, double metres_per_pt,
                        double target, double x, double y, cm_box *box, gboolean draw);

/* A north arrow pointing `angle` radians clockwise from the page's up; (x, y) is its centre.
 * Its box is returned before drawing. */
void cm_layout_north_arrow(cairo_t *cr, cm_labeler *lab, const cm_style *style, double x, double y,
                           double angle, cm_box *box, gboolean draw);

/* Title and subtitle above the frame. */
/* A detail frame's heading: `text` in bold on the page's background in the w x h strip. */
void cm_layout_heading(cairo_t *cr, cm_labeler *lab, const cm_style *style, double x, double y,
                       double w, double h, const char *text);

/* The title above the frame and the subtitle under it, their ink kept apart (an Arabic
 * line's logical box is far taller than its letters: the lines are stacked by their ink, set
 * smaller if they must be).  With `ink`, the two lines' ink boxes on the page (the
 * subtitle's all zero without one). */
void cm_layout_title(cairo_t *cr, cm_labeler *lab, const cm_style *style, const double frame[4],
                     const char *title, const char *subtitle, cm_box ink[2]);

/* What the footer says: the sources in full (outlet, title, date) and briefly (outlet, date),
 * where the full list is when only the brief one fits, and the credit.  Any may be NULL. */
typedef struct {
    const char *sources, *brief, *elsewhere, *credit;
    double below; /* points between the frame and the footer (the timeline strip) */
} cm_footer;

/* The footer below the frame: the sources wrapped over the frame's width in the lines the
 * frame left (in full when they fit, else briefly, else cut with an ellipsis), then a line
 * with `elsewhere` (when the full list did not fit) and the credit.  Returns whether the full
 * list fitted. */
gboolean cm_layout_footer(cairo_t *cr, cm_labeler *lab, const cm_style *style,
                          const double frame[4], const cm_footer *footer);

/* An event on the timeline strip: its date, and its number on the page (0: not shown on the
 * map's date, so a tick without a number). */
typedef struct {
    GDate date;
    int number;
} cm_timeline_mark;

/* The timeline strip under the frame, `strip` points high: the span from `first` to `last`
 * with its years, the events up to the map's `date` (numbered as on the map), and the date
 * itself marked; what lies after it is drawn faint. */
void cm_layout_timeline(cairo_t *cr, cm_labeler *lab, const cm_style *s, const double frame[4],
                        double strip, const GDate *first, const GDate *last, const GDate *date,
                        const cm_timeline_mark *marks, int n);


#endif
