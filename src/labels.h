/* Labels: candidate positions, priorities, a collision index, Pango layouts with halos.
 * One placement pass for the whole page: callers add obstacles and labels, then place. */
#ifndef CM_LABELS_H
#define CM_LABELS_H

#include "layer.h"
#include "style.h"

#include <cairo.h>
#include <pango/pangocairo.h>

typedef struct cm_box {
    double x0, y0, x1, y1;
} cm_box;

typedef enum {
    CM_LABEL_POINT, /* beside a symbol: right, left, above, below, diagonals */
    CM_LABEL_AREA   /* centred on an interior point */
} cm_label_kind;

typedef struct cm_label_spec {
    const char *text;     /* may contain a newline: one line per language */
    const char *font;     /* Pango font family */
    double size;          /* points */
    gboolean bold, italic;
    double letter_spacing; /* points */
    cm_rgba color, halo;
    double halo_width;
    cm_label_kind kind;
    double x, y;          /* anchor in page points */
    double gap;           /* distance from the anchor for point labels */
    int priority;         /* higher is placed first */
    int id;               /* the caller's, for cm_labeler_is_placed; 0 if unused */
    gboolean callout;     /* point labels: with no room beside the point, placed up to 12 mm
                           * out and joined to it by a leader (cm_labeler_is_callout), once
                           * the labels of priority above callout_priority have been placed */
    int callout_priority;
    gboolean marker;      /* a number for a point (an event's), not a place's name: a name may
                           * stand nearer its point than its own, as it may not near a place's */
    gboolean has_symbol;  /* the symbol box is placed with the label, or neither is */
    cm_box symbol;
    int styled_bytes;     /* italic and letter spacing cover only the first this many bytes
                           * (the Latin line of a two-language label); 0: the whole text */
    const struct cm_label_spec *editions; /* the same label in every edition (language), or
                           * NULL: the label is placed as a box that holds the largest of
                           * them, so that every edition names the same places in the same
                           * spots, and drawn in its own text within that box.  Read only by
                           * cm_labeler_add. */
    int n_editions;
} cm_label_spec;

typedef struct cm_labeler cm_labeler;

/* A labeler for a page whose labels must stay within `frame` (x0, y0, x1, y1).  The Pango
 * context is made once from `cr`'s font map and reused for every label. */
cm_labeler *cm_labeler_new(cairo_t *cr, cm_box frame);
void cm_labeler_destroy(cm_labeler *lab);

/* Something labels must not cover: a symbol, the legend, the title. */
void cm_labeler_block(cm_labeler *lab, cm_box box);

/* Queues a label; the spec's strings are copied.  Its box for placement is the largest of its
 * own layout's and its editions' (width and height each). */
void cm_labeler_add(cm_labeler *lab, const cm_label_spec *spec);

/* Places queued labels by priority, each at the candidate beside its point (or, for a
 * callout, further out) that collides with nothing placed or blocked, stays in the frame and
 * covers the fewest places still waiting; labels with no such candidate are dropped.  With a
 * memory, a label first tries where it was placed on the page before.  Returns the number
 * placed. */
int cm_labeler_place(cm_labeler *lab);

/* Where labels went on the pages before, for a series: a label (known by its id and text)
 * keeps its position from one page to the next while that position fits, instead of moving
 * to a position that scores as well or better.  Placement holds the memory's lock, so bands
 * of one page drawn on several threads place in turn, each as the first did: a remembered
 * position a band took still fits the next.  Sheets of small multiples must not share one
 * (a band would see the later cells' positions). */
typedef struct cm_label_memory cm_label_memory;
cm_label_memory *cm_label_memory_new(void);
void cm_label_memory_free(cm_label_memory *m);
/* A series drawn on several threads, frames 0 to nframes - 1: each frame places through a
 * handle of its own, cm_label_memory_frame (freed by cm_label_memory_frame_done when the frame
 * is drawn, or skipped), and its labels of a scope wait for the earlier frames' of that scope,
 * so the frames are as the series drawn in order leaves them.  Frames must be started in
 * order (a frame waits only for earlier ones, so the earliest unfinished never waits). */
void cm_label_memory_in_turns(cm_label_memory *m, int nframes);
cm_label_memory *cm_label_memory_frame(cm_label_memory *m, int frame);
void cm_label_memory_frame_done(cm_label_memory *frame);
/* Makes `lab` remember into `m` (borrowed for the labeler's lifetime); NULL for none. */
void cm_labeler_set_memory(cm_labeler *lab, cm_label_memory *m, const char *scope);

/* Placements shared by the bands of one PNG (label_plan.c): a labeler given plans places
 * its labels once for all the bands that lay out the same ones, the others replaying what
 * the first took.  Only for bands of one page: a series' next page must search again. */
typedef struct cm_label_plans cm_label_plans;
cm_label_plans *cm_label_plans_new(void);
void cm_label_plans_free(cm_label_plans *ps);
/* Borrowed for the labeler's lifetime; NULL for none. */
void cm_labeler_set_plans(cm_labeler *lab, cm_label_plans *ps);

/* Whether the placed label of this id was called out, away from its point. */
gboolean cm_labeler_is_callout(const cm_labeler *lab, int id);

/* A leader from a point's symbol (radius r) to the nearest point of a label's box, stopping
 * short of the box: out = x0, y0, x1, y1. */
void cm_leader_ends(double out[4], double x, double y, double r, const cm_box *b);

/* Draws the placed labels: a halo stroked from the glyph outlines, then the text itself once,
 * so that in PDF and SVG each label is selectable text.  With a `cache` (label appearance
 * and position -> cairo recording surface; the table owns keys and surfaces), each label is
 * recorded once and painted from there: a series of PDF pages then holds each recurring
 * label once, as a shared form.  With `halos` (from cm_halo_cache_new; for PDF), halos are
 * shown as text in a font of stroked glyphs: see labels.c.  Both may be NULL. */
void cm_labeler_draw(cm_labeler *lab, cairo_t *cr, GHashTable *cache, GHashTable *halos);

/* A table for cm_labeler_draw's `halos`; unref it when done (the PDF keeps what it needs). */
GHashTable *cm_halo_cache_new(void);
/* Shows a layout's halo at (x, y), its top-left corner, as text in halo fonts made once per
 * `faces` table (from cm_halo_cache_new): see halos.c. */
void cm_halo_show(cairo_t *cr, PangoLayout *layout, double x, double y, cm_rgba halo,
                  double halo_width, GHashTable *faces);

/* Placed label boxes and how many glyphs no font had; for tests. */
int cm_labeler_placed(const cm_labeler *lab, cm_box *boxes, int max);
int cm_labeler_unknown_glyphs(const cm_labeler *lab);
/* Labels are measured (shaped) only when placement may place them, so the glyphs counted
 * are those of the labels measured; how many were, and (for tests) measuring every label,
 * which must place them all the same. */
int cm_labeler_measured(const cm_labeler *lab);
void cm_labeler_set_measure_all(cm_labeler *lab, gboolean all);

/* Appends an SVG <text> element for each line of each placed label, at its baseline: cairo's
 * SVG surface draws glyphs as shapes, so this invisible layer keeps the labels searchable and
 * selectable text. */
void cm_labeler_svg_text(const cm_labeler *lab, GString *svg);

/* The placed labels' ids, boxes and texts (borrowed until the labeler is destroyed), in
 * placement order; any array may be NULL.  Returns how many are placed; fills up to max. */
int cm_labeler_placed_labels(const cm_labeler *lab, int *ids, cm_box *boxes, const char **texts,
                             int max);

/* Whether a label added with this id (non-zero) was placed. */
gboolean cm_labeler_is_placed(const cm_labeler *lab, int id);

/* The box a placed label of this id took; FALSE when none is placed. */
gboolean cm_labeler_box(cm_box *out, const cm_labeler *lab, int id);

/* A Pango layout of `text` in the labeler's context; owned by the caller (g_object_unref). */
PangoLayout *cm_labeler_layout(cm_labeler *lab, const char *text, const char *font, double size,
                               gboolean bold, gboolean italic);

gboolean cm_box_overlaps(const cm_box *a, const cm_box *b);


#endif
