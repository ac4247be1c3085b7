/* What labels.c (layouts, drawing) and label_place.c (placement) share: a queued label and
 * the labeler.  Nothing else includes this. */
#ifndef CM_LABELS_IMPL_H
#define CM_LABELS_IMPL_H

#include "label_grid.h"
#include "labels.h"

#include <pthread.h>

/* Candidates beside a point; a label placed at candidate BESIDE or beyond is called out. */
#define BESIDE 8

typedef struct {
    cm_label_spec spec;
    char *text, *font;
    cm_label_spec *eds; /* copies of its editions (their strings its own), measured with it */
    int n_eds;
    gboolean measured; /* w to ink are known: see cm_label_measure */
    PangoLayout *layout;
    double w, h;      /* the box placed: the largest logical size of its editions' layouts */
    double h1;        /* the largest height of a first line: a point label's first line faces
                       * its symbol */
    double tw, th, th1; /* its own layout's logical size and first line's height */
    cm_box ink;         /* its own layout's ink, from the layout's origin */
    double dx, dy;    /* where its own layout goes in the box placed, from the box's corner */
    gboolean placed;
    int chosen;       /* the candidate placed at: see candidates(); BESIDE and up: a callout */
    double x, y;      /* top-left of the layout when placed */
    int order;        /* insertion order, to keep the sort stable */
} label;

/* A handle on a store of remembered positions (label_memory.c): the series' own, or one
 * frame's of a series drawn on several threads (cm_label_memory_frame). */
struct cm_label_memory {
    struct cm_label_store *store;
    int frame; /* -1: no turns (one frame at a time) */
};

/* While a labeler places with a memory: the store locked and, for a frame's handle, every
 * earlier frame done with this scope (placed it, or finished).  Between the two, look up and
 * record positions. */
void cm_label_memory_enter(cm_label_memory *m, const char *scope);
void cm_label_memory_leave(cm_label_memory *m, const char *scope);
gboolean cm_label_memory_lookup(const cm_label_memory *m, const char *key, int *candidate);
void cm_label_memory_record(cm_label_memory *m, char *key, int candidate); /* takes key */

struct cm_labeler {
    PangoContext *pango; /* on Pango's default font map: every installed font */
    GHashTable *fast;    /* family list -> context on cm_font_map's map, or NULL */
    cairo_t *cr;
    cm_box frame;
    GArray *blocked; /* cm_box */
    GArray *texts;   /* cm_box: the labels placed, which leaders must not cross */
    /* the spatial index (label_grid.h): blocked and texts by index, and the point labels by
     * their index in `labels` once sorted (cm_labeler_place), with how far beyond a box a
     * point may matter to it (ambiguous, cost, a leader's dots: label_place.c) */
    cm_grid *blocked_at, *texts_at, *points_at;
    double reach_ambiguous, reach_near, reach_cost, reach_dot;
    GHashTable *placed_by_id; /* id -> its first label placed, made when first asked after
                               * cm_labeler_place (labels.c: placed_with) */
    GPtrArray *labels;
    cm_label_memory *memory; /* borrowed; NULL for none */
    cm_label_plans *plans;   /* borrowed; NULL for none */
    struct cm_label_plan *recording; /* while placing for a plan: what is taken goes in it */
    char *scope;             /* what its labels are remembered under: see memory_key() */
    int unknown_glyphs;
    int measured;        /* how many labels were measured */
    gboolean measure_all; /* measure even those placement can rule out unmeasured (tests) */
};

/* One recorded placement (label_plan.c): the labels taken, in order, as pairs of their
 * index once sorted and the candidate taken; done once the first band has placed. */
typedef struct cm_label_plan {
    pthread_mutex_t lock;
    gboolean done;
    int placed;
    GArray *takes;
} cm_label_plan;

/* The placement filed under what `lab` is about to place, locked (made, not done, when none
 * was); NULL without plans.  The caller places or replays, then unlocks it. */
cm_label_plan *cm_label_plan_lock(cm_labeler *lab);

/* A label's measure (label_plan.c), shared by a PNG's bands: the sizes of its own layout
 * and of the box that holds every edition, and how many glyphs no font had. */
typedef struct {
    double w, h, h1, tw, th, th1;
    int unknown_glyphs;
    gboolean busy; /* being measured */
} cm_label_size;
/* What a spec's measure depends on; g_free() it. */
char *cm_label_size_key(const cm_label_spec *spec);
/* TRUE with `out` filled when another band measured it (waiting while it does); FALSE when
 * the caller must measure it and file it with cm_label_size_file, which it then must. */
gboolean cm_label_size_find(cm_label_plans *ps, const char *key, cm_label_size *out);
void cm_label_size_file(cm_label_plans *ps, const char *key, const cm_label_size *size);

/* Measures a label (its box, its own layout's size and ink, its glyphs no font had) unless
 * it was: placement asks only for the labels it may place (label_place.c: unplaceable). */
void cm_label_measure(cm_labeler *lab, label *l);

/* A label's layout, made when first needed: a band that took its measure from another
 * lays out only the labels it draws. */
PangoLayout *cm_label_layout(cm_labeler *lab, label *l);

/* Drops the table of placed labels by id: placing changes it. */
void cm_labeler_forget_placed(cm_labeler *lab);

#endif
