/* Label placement: greedy, in priority order, against the occupied boxes (found through a
 * grid, label_grid.h: a gazetteer may offer 20,000 places, and a scan of every box and point
 * for every candidate grew with their square); callouts on rings further out; a series'
 * memory of where each label went. */
#include "labels.h"
#include "labels_impl.h"

#include <math.h>
#include <string.h>

static gint by_priority(gconstpointer a, gconstpointer b)
{
    const label *x = *(label *const *)a, *y = *(label *const *)b;
    if (x->spec.priority != y->spec.priority)
        return y->spec.priority - x->spec.priority;
    return x->order - y->order;
}

/* A box grown by r on every side (a reach that is not a number: the whole plane). */
static cm_box grown(const cm_box *b, double r)
{
    if (isnan(r))
        r = INFINITY;
    return (cm_box){fmin(b->x0, b->x1) - r, fmin(b->y0, b->y1) - r, fmax(b->x0, b->x1) + r,
                    fmax(b->y0, b->y1) + r};
}

/* For each id filed in `g` under the cells `query` touches (an id may come more than once,
 * when filed under several of them). */
#define GRID_EACH(g, query, id)                                                                \
    for (int s_[4], ok_ = cm_grid_span((g), (query), s_), r_ = s_[2]; ok_ && r_ <= s_[3];       \
         r_++)                                                                                 \
        for (int c_ = s_[0]; c_ <= s_[1]; c_++)                                                \
            for (const GArray *a_ = cm_grid_cell((g), c_, r_); a_; a_ = NULL)                  \
                for (guint k_ = 0, id = 0; k_ < a_->len && ((id = g_array_index(a_, guint, k_)), 1); \
                     k_++)

static gboolean fits(cm_labeler *lab, const cm_box *b)
{
    if (b->x0 < lab->frame.x0 || b->y0 < lab->frame.y0 || b->x1 > lab->frame.x1 ||
        b->y1 > lab->frame.y1)
        return FALSE;
    GRID_EACH(lab->blocked_at, *b, i)
        if (cm_box_overlaps(b, &g_array_index(lab->blocked, cm_box, i)))
            return FALSE;
    return TRUE;
}

/* Where a label's own text goes, up and down, in a box made for its largest edition: at the
 * top, in the middle, at the bottom, or with its first line centred on the box's first line
 * (beside a point, whose first line faces the symbol). */
typedef enum { AT_TOP, AT_MIDDLE, AT_BOTTOM, AT_FIRST_LINE } vertical;

/* A candidate position: the box's top-left corner, the text's alignment in it (sideways) and
 * where it goes up and down.  A point label has
 * BESIDE candidates around its symbol and, when it may be called out, rings of them further
 * out, joined to the symbol by a leader; a candidate is known by its index in that list. */
typedef struct {
    double x, y;
    PangoAlignment align;
    vertical v;
} candidate;

#define RING_STEP 3.0            /* points between rings */
#define CALLOUT_REACH (12 * 72.0 / 25.4) /* 12 mm from the point: the farthest ring */
#define RING_ANGLES 24
#define MAX_CANDIDATES (BESIDE + RING_ANGLES * 12)
#define AREA_STEPS 12
#define AREA_SIDES 7
#define AREA_CANDIDATES (BESIDE + 2 * AREA_SIDES * AREA_STEPS)

/* Whether candidate k of label l is a callout's, away from its point. */
static gboolean called_out(const label *l, int k)
{
    return l->spec.kind == CM_LABEL_POINT && k >= BESIDE;
}

/* The candidates beside the point, best first: right, left, above, below, diagonals; or, for
 * an area label, centred and then nudged sideways and up or down by part of its size (the
 * finer steps last: a box made for two lines of two languages needs them more often). */
static int beside(const label *l, candidate *cand)
{
    const cm_label_spec *s = &l->spec;
    double g = s->gap, w = l->w, h = l->h, d = g * 0.75, h1 = l->h1;
    if (s->kind == CM_LABEL_AREA) {
        static const double nudge[BESIDE][2] = {{0, 0},   {-0.35, 0}, {0.35, 0}, {0, -0.8},
                                                {0, 0.8}, {-0.7, 0},  {0.7, 0},  {0, -1.6}};
        for (int k = 0; k < BESIDE; k++)
            cand[k] = (candidate){s->x - w / 2 + nudge[k][0] * w, s->y - h / 2 + nudge[k][1] * h,
                                  PANGO_ALIGN_CENTER, AT_MIDDLE};
        /* then tenths of its height up and down, straight and a little to either side */
        G_STATIC_ASSERT(AREA_CANDIDATES <= MAX_CANDIDATES);
        static const double side[] = {0, -0.1, 0.1, -0.2, 0.2, -0.35, 0.35};
        int n = BESIDE;
        for (int step = 1; step <= AREA_STEPS; step++)
            for (int k = 0; k < 2 * AREA_SIDES; k++)
                cand[n++] = (candidate){s->x - w / 2 + side[k / 2] * w,
                                        s->y - h / 2 + (k % 2 ? 1 : -1) * h * step / 10.0,
                                        PANGO_ALIGN_CENTER, AT_MIDDLE};
        return AREA_CANDIDATES;
    }
    const candidate pt[BESIDE] = {
        {s->x + g, s->y - h1 / 2, PANGO_ALIGN_LEFT, AT_FIRST_LINE},
        {s->x - g - w, s->y - h1 / 2, PANGO_ALIGN_RIGHT, AT_FIRST_LINE},
        {s->x - w / 2, s->y - g - h, PANGO_ALIGN_CENTER, AT_BOTTOM},
        {s->x - w / 2, s->y + g, PANGO_ALIGN_CENTER, AT_TOP},
        {s->x + d, s->y - d - h, PANGO_ALIGN_LEFT, AT_BOTTOM},
        {s->x + d, s->y + d, PANGO_ALIGN_LEFT, AT_TOP},
        {s->x - d - w, s->y - d - h, PANGO_ALIGN_RIGHT, AT_BOTTOM},
        {s->x - d - w, s->y + d, PANGO_ALIGN_RIGHT, AT_TOP}};
    memcpy(cand, pt, sizeof pt);
    return BESIDE;
}

/* Rings of candidates around a point, nearest first, each from the right round by the
 * preferred sides: the label's side nearest the point faces it at the ring's distance. */
static int rings(const label *l, candidate *cand, int max)
{
    static const double deg[RING_ANGLES] = {0,   180, 270, 90,  330, 30,  210, 150,
                                            300, 60,  240, 120, 345, 15,  195, 165,
                                            315, 45,  225, 135, 285, 75,  255, 105};
    const cm_label_spec *s = &l->spec;
    int n = 0;
    for (double r = s->gap + RING_STEP; r <= CALLOUT_REACH && n + RING_ANGLES <= max; r += RING_STEP)
        for (int a = 0; a < RING_ANGLES; a++) {
            double c = cos(deg[a] * G_PI / 180), sn = sin(deg[a] * G_PI / 180);
            double px = s->x + r * c, py = s->y + r * sn;
            candidate k = {px - l->w / 2, py - l->h1 / 2, PANGO_ALIGN_CENTER, AT_FIRST_LINE};
            if (c > 0.3)
                k.x = px, k.align = PANGO_ALIGN_LEFT;
            else if (c < -0.3)
                k.x = px - l->w, k.align = PANGO_ALIGN_RIGHT;
            if (sn > 0.3)
                k.y = py, k.v = AT_TOP;
            else if (sn < -0.3)
                k.y = py - l->h, k.v = AT_BOTTOM;
            cand[n++] = k;
        }
    return n;
}

/* Every candidate of a label, in index order; returns how many. */
static int candidates(const label *l, candidate *cand)
{
    int n = beside(l, cand);
    if (l->spec.callout && l->spec.kind == CM_LABEL_POINT)
        n += rings(l, cand + n, MAX_CANDIDATES - n);
    return n;
}

static cm_box candidate_box(const label *l, const candidate *c)
{
    double pad = l->spec.halo_width / 2;
    return (cm_box){c->x - pad, c->y - pad, c->x + l->w + pad, c->y + l->h + pad};
}

/* Whether the segment from (x0, y0) to (x1, y1) crosses the box (Liang-Barsky clipping). */
static gboolean segment_hits(double x0, double y0, double x1, double y1, const cm_box *b)
{
    double t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    const double p[4] = {-dx, dx, -dy, dy}, q[4] = {x0 - b->x0, b->x1 - x0, y0 - b->y0, b->y1 - y0};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0 && q[i] < 0)
            return FALSE;
        if (p[i] == 0)
            continue;
        double t = q[i] / p[i];
        if (p[i] < 0 && t > t0)
            t0 = t;
        else if (p[i] > 0 && t < t1)
            t1 = t;
        if (t0 > t1)
            return FALSE;
    }
    return TRUE;
}

void cm_leader_ends(double out[4], double x, double y, double r, const cm_box *b)
{
    double tx = CLAMP(x, b->x0, b->x1), ty = CLAMP(y, b->y0, b->y1);
    double dx = tx - x, dy = ty - y, d = hypot(dx, dy);
    if (d <= 0)
        d = 1;
    out[0] = x + dx / d * r, out[1] = y + dy / d * r;
    out[2] = tx - dx / d * 0.8, out[3] = ty - dy / d * 0.8;
}

/* A called-out label's leader, from its symbol's edge to the box, must cross no label placed
 * and no other place's point. */
static gboolean leader_clear(const cm_labeler *lab, const label *l, const cm_box *b)
{
    double e[4];
    cm_leader_ends(e, l->spec.x, l->spec.y, l->spec.gap - 1.5, b);
    cm_box span = {e[0], e[1], e[2], e[3]};
    GRID_EACH(lab->texts_at, span, i)
        if (segment_hits(e[0], e[1], e[2], e[3], &g_array_index(lab->texts, cm_box, i)))
            return FALSE;
    GRID_EACH(lab->points_at, grown(&span, lab->reach_dot), i) {
        const label *o = lab->labels->pdata[i];
        double r = o->spec.gap - 1.5;
        cm_box dot = {o->spec.x - r, o->spec.y - r, o->spec.x + r, o->spec.y + r};
        if (o != l && o->spec.kind == CM_LABEL_POINT && segment_hits(e[0], e[1], e[2], e[3], &dot))
            return FALSE;
    }
    return TRUE;
}

static double point_to_box(double x, double y, const cm_box *b)
{
    return hypot(fmax(fmax(b->x0 - x, 0), x - b->x1), fmax(fmax(b->y0 - y, 0), y - b->y1));
}

/* Whether a point label's box would be read as another place's: another place's point is
 * nearer it than its own and near enough to be that place's name beside it (for a callout,
 * within three of that place's gaps: a leader does not undo a dot beside the name).  A
 * place far less important (AMBIGUOUS_RANKS below) does not count: the capital's name goes
 * beside the capital, whatever suburb's dot is near. */
#define AMBIGUOUS_RANKS 50
static gboolean ambiguous(const cm_labeler *lab, const label *l, const cm_box *b, gboolean out)
{
    if (l->spec.kind != CM_LABEL_POINT || l->spec.marker)
        return FALSE;
    double own = point_to_box(l->spec.x, l->spec.y, b);
    GRID_EACH(lab->points_at, grown(b, out ? lab->reach_ambiguous : lab->reach_near), i) {
        const label *o = lab->labels->pdata[i];
        if (o->spec.kind != CM_LABEL_POINT || o->spec.marker ||
            (o->spec.x == l->spec.x && o->spec.y == l->spec.y) ||
            o->spec.priority + AMBIGUOUS_RANKS <= l->spec.priority)
            continue;
        double reach = out ? 3 * o->spec.gap : o->spec.gap + 1;
        /* the distance is at least the larger of its sides: most points are ruled out
         * before hypot */
        if (fmax(b->x0 - o->spec.x, o->spec.x - b->x1) >= reach ||
            fmax(b->y0 - o->spec.y, o->spec.y - b->y1) >= reach)
            continue;
        double d = point_to_box(o->spec.x, o->spec.y, b);
        if (d + 0.5 < own && d < reach)
            return TRUE;
    }
    return FALSE;
}

/* Whether the label's own letters, set at candidate c as take() sets them, stay inside the
 * frame: a letter's ink may reach past its logical box (an Arabic letter's tail, an italic's
 * lean), and at a detail frame's edge what is past it is cut off. */
static gboolean ink_inside(const cm_labeler *lab, const label *l, const candidate *c)
{
    double dx = c->align == PANGO_ALIGN_LEFT    ? 0
                : c->align == PANGO_ALIGN_RIGHT ? l->w - l->tw
                                                : (l->w - l->tw) / 2;
    double dy = c->v == AT_TOP      ? 0
                : c->v == AT_BOTTOM ? l->h - l->th
                : c->v == AT_MIDDLE ? (l->h - l->th) / 2
                                    : (l->h1 - l->th1) / 2;
    double x = c->x + dx, y = c->y + dy;
    return x + l->ink.x0 >= lab->frame.x0 && x + l->ink.x1 <= lab->frame.x1 &&
           y + l->ink.y0 >= lab->frame.y0 && y + l->ink.y1 <= lab->frame.y1;
}

/* Whether candidate k of label i can take its place: in the frame, on nothing blocked, not
 * nearer another point than its own, and, beyond the ring beside the point, with a clear
 * leader. */
static gboolean usable(cm_labeler *lab, const label *l, const candidate *c, int k)
{
    cm_box b = candidate_box(l, c);
    return fits(lab, &b) && ink_inside(lab, l, c) && !ambiguous(lab, l, &b, called_out(l, k)) &&
           (!called_out(l, k) || leader_clear(lab, l, &b));
}

/* How many places still waiting for their own label (after label i) a box covers: a name
 * that sits on a neighbour's dot costs the neighbour its name. */
static int cost(const cm_labeler *lab, guint i, const cm_box *b)
{
    int n = 0;
    GRID_EACH(lab->points_at, grown(b, lab->reach_cost), j) {
        const label *o = lab->labels->pdata[j];
        if (j <= i || o->spec.kind != CM_LABEL_POINT || o->placed)
            continue;
        cm_box near = {o->spec.x - o->spec.gap - 2, o->spec.y - o->spec.gap - 2,
                       o->spec.x + o->spec.gap + 2, o->spec.y + o->spec.gap + 2};
        n += cm_box_overlaps(b, &near);
    }
    return n;
}

/* Of candidates [from, to) that can be used, the one that covers the fewest waiting places;
 * the preferred order breaks ties.  -1 when none can. */
static int cheapest(cm_labeler *lab, guint i, const candidate *cand, int from, int to)
{
    const label *l = lab->labels->pdata[i];
    int best = -1, best_cost = G_MAXINT;
    for (int k = from; k < to && best_cost > 0; k++) {
        if (!usable(lab, l, &cand[k], k))
            continue;
        cm_box b = candidate_box(l, &cand[k]);
        int c = cost(lab, i, &b);
        if (c < best_cost)
            best = k, best_cost = c;
    }
    return best;
}

/* The key a label is remembered by from page to page: its labeler's scope (a detail frame's
 * labels are not the main map's), its id and its text. */
static char *memory_key(const cm_labeler *lab, const label *l)
{
    return g_strdup_printf("%s|%d|%s", lab->scope ? lab->scope : "", l->spec.id, l->text);
}

/* The candidate label i had on the page before, or -1. */
static int remembered(const cm_labeler *lab, const label *l)
{
    if (!lab->memory)
        return -1;
    char *key = memory_key(lab, l);
    int chosen = -1;
    gboolean known = cm_label_memory_lookup(lab->memory, key, &chosen);
    g_free(key);
    return known ? chosen : -1;
}

/* Where label i goes, of its n candidates (only those beside its point unless `out`): where
 * it was on the page before if that still fits, else the cheapest beside its point, else,
 * with `out`, the cheapest of the rings further out; -1 for nowhere. */
static int choose(cm_labeler *lab, guint i, const candidate *cand, int n, gboolean out)
{
    const label *l = lab->labels->pdata[i];
    int was = remembered(lab, l);
    int near = l->spec.kind == CM_LABEL_AREA ? n : MIN(n, BESIDE);
    if (was >= 0 && was < (out ? n : near) && usable(lab, l, &cand[was], was))
        return was;
    int best = cheapest(lab, i, cand, 0, near);
    if (best < 0 && out && n > near)
        best = cheapest(lab, i, cand, near, n);
    return best;
}

/* Places label i at candidate k and blocks what it covers: its box, its symbol, and for a
 * callout small boxes along the leader, which later labels and leaders keep off. */
static void take(cm_labeler *lab, label *l, const candidate *c, int k)
{
    cm_box b = candidate_box(l, c);
    l->placed = TRUE;
    l->chosen = k;
    l->x = c->x, l->y = c->y;
    pango_layout_set_alignment(cm_label_layout(lab, l), c->align);
    /* its own text, in a box that may be bigger (another edition's), keeps to the side and
     * the line that face the point */
    l->dx = c->align == PANGO_ALIGN_LEFT    ? 0
            : c->align == PANGO_ALIGN_RIGHT ? l->w - l->tw
                                            : (l->w - l->tw) / 2;
    l->dy = c->v == AT_TOP      ? 0
            : c->v == AT_BOTTOM ? l->h - l->th
            : c->v == AT_MIDDLE ? (l->h - l->th) / 2
                                : (l->h1 - l->th1) / 2;
    cm_labeler_block(lab, b);
    cm_grid_add(lab->texts_at, b, lab->texts->len);
    g_array_append_val(lab->texts, b);
    if (l->spec.has_symbol)
        cm_labeler_block(lab, l->spec.symbol);
    double e[4];
    cm_leader_ends(e, l->spec.x, l->spec.y, l->spec.gap - 1.5, &b);
    int steps = !called_out(l, k) ? -1 : (int)ceil(hypot(e[2] - e[0], e[3] - e[1]) / 2);
    for (int j = 0; j <= steps; j++) {
        double t = steps ? (double)j / steps : 0, x = e[0] + (e[2] - e[0]) * t,
               y = e[1] + (e[3] - e[1]) * t;
        cm_box dot = {x - 0.8, y - 0.8, x + 0.8, y + 0.8};
        cm_labeler_block(lab, dot);
        cm_grid_add(lab->texts_at, dot, lab->texts->len);
        g_array_append_val(lab->texts, dot);
    }
}

/* Whether box t (possibly inside out: a hair smaller than `whole`) is blocked. */
static gboolean thin_blocked(const cm_labeler *lab, const cm_box *whole, const cm_box *t)
{
    GRID_EACH(lab->blocked_at, *whole, i)
        if (cm_box_overlaps(t, &g_array_index(lab->blocked, cm_box, i)))
            return TRUE;
    return FALSE;
}

/* As ambiguous() beside the point, for the box `whole`, by a hair `e` against rounding. */
static gboolean thin_ambiguous(const cm_labeler *lab, const label *l, const cm_box *whole, double e)
{
    const cm_label_spec *s = &l->spec;
    double own = point_to_box(s->x, s->y, whole);
    if (own - e <= 0.5)
        return FALSE;
    GRID_EACH(lab->points_at, grown(whole, lab->reach_near), i) {
        const label *o = lab->labels->pdata[i];
        double reach = o->spec.gap + 1 - e;
        if (fmax(whole->x0 - o->spec.x, o->spec.x - whole->x1) >= reach ||
            fmax(whole->y0 - o->spec.y, o->spec.y - whole->y1) >= reach ||
            o->spec.kind != CM_LABEL_POINT || o->spec.marker ||
            (o->spec.x == s->x && o->spec.y == s->y) ||
            o->spec.priority + AMBIGUOUS_RANKS <= s->priority)
            continue;
        double d = point_to_box(o->spec.x, o->spec.y, whole);
        if (d + 0.5 < own - e && d < reach)
            return TRUE;
    }
    return FALSE;
}

/* Whether a point label not yet measured certainly has no room beside its point, whatever
 * its size: each candidate's box beside() holds a small box at its anchor, the point's side
 * it faces (grown by the halo's pad).  When that small box is blocked or out of the frame,
 * so is any box holding it; and when another place's point is nearer it than its own, it is
 * nearer the box too, while the box's distance from its own point is the small box's (a
 * gap of zero or more: the box's side faces the point).  A hair `e` keeps rounding in
 * candidate_box() from deciding.  Most of a gazetteer's 20,000 names are ruled out so,
 * unshaped. */
static gboolean unplaceable(cm_labeler *lab, const label *l, gboolean out)
{
    const cm_label_spec *s = &l->spec;
    if (l->measured || lab->measure_all || out || s->kind != CM_LABEL_POINT ||
        !(s->halo_width >= 0) || !(s->gap >= 0) || !isfinite(s->gap) || !isfinite(s->x) ||
        !isfinite(s->y))
        return FALSE;
    double g = s->gap, d = g * 0.75, pad = s->halo_width / 2;
    const double at[BESIDE][2] = {{g, 0}, {-g, 0}, {0, -g}, {0, g},
                                  {d, -d}, {d, d}, {-d, -d}, {-d, d}};
    const cm_box *f = &lab->frame;
    for (int k = 0; k < BESIDE; k++) {
        double x = s->x + at[k][0], y = s->y + at[k][1], e = 1e-9 * (1 + fabs(x) + fabs(y));
        cm_box whole = {x - pad, y - pad, x + pad, y + pad};
        cm_box t = {whole.x0 + e, whole.y0 + e, whole.x1 - e, whole.y1 - e}; /* may be inside out */
        if (t.x0 < f->x0 || t.y0 < f->y0 || t.x1 > f->x1 || t.y1 > f->y1 ||
            thin_blocked(lab, &whole, &t))
            continue;
        if (s->marker || !thin_ambiguous(lab, l, &whole, e)) /* ambiguous() passes over markers */
            return FALSE;
    }
    return TRUE;
}

/* Places label i, beside its point or, with `out`, further out too; TRUE if placed. */
static gboolean place_one(cm_labeler *lab, guint i, gboolean out)
{
    label *l = lab->labels->pdata[i];
    candidate cand[MAX_CANDIDATES];
    if (l->spec.has_symbol && !fits(lab, &l->spec.symbol))
        return FALSE;
    if (unplaceable(lab, l, out))
        return FALSE;
    cm_label_measure(lab, l);
    int n = candidates(l, cand), k = choose(lab, i, cand, n, out);
    if (k >= 0)
        take(lab, l, &cand[k], k);
    if (k >= 0 && lab->recording) {
        int t[2] = {(int)i, k};
        g_array_append_val(lab->recording->takes, t);
    }
    return k >= 0;
}

/* Queues label i for its rings, after those of the same or a higher callout_priority. */
static void wait(const cm_labeler *lab, GArray *waiting, guint i)
{
    int cp = ((const label *)lab->labels->pdata[i])->spec.callout_priority;
    guint at = 0;
    while (at < waiting->len &&
           ((const label *)lab->labels->pdata[g_array_index(waiting, guint, at)])->spec.callout_priority >= cp)
        at++;
    g_array_insert_val(waiting, at, i);
}

/* A callout that finds no room beside its point (or was called out on the page before) waits
 * for its rings until the labels of priority above its callout_priority have been placed
 * beside theirs: the news is named before anything of its rank, but its leader does not take
 * the room a capital's name needs beside the capital. */
static int place_waiting(cm_labeler *lab, GArray *waiting, int priority)
{
    int placed = 0;
    for (guint w = 0; w < waiting->len;) {
        guint i = g_array_index(waiting, guint, w);
        const label *l = lab->labels->pdata[i];
        if (l->spec.callout_priority < priority) {
            w++;
            continue;
        }
        placed += place_one(lab, i, TRUE);
        g_array_remove_index(waiting, w);
    }
    return placed;
}

/* Files the point labels, by their index once sorted, and how far from a box each test
 * looks for them. */
static void index_points(cm_labeler *lab)
{
    cm_grid_free(lab->points_at);
    lab->points_at = cm_grid_new(lab->frame);
    lab->reach_ambiguous = lab->reach_near = lab->reach_cost = lab->reach_dot = 0;
    gboolean odd = FALSE; /* a gap that is not a finite number: look everywhere */
    for (guint i = 0; i < lab->labels->len; i++) {
        const label *o = lab->labels->pdata[i];
        if (o->spec.kind != CM_LABEL_POINT)
            continue;
        double g = o->spec.gap;
        if (!o->spec.marker) /* ambiguous() passes over markers */
            lab->reach_ambiguous = fmax(lab->reach_ambiguous, fmax(3 * g, g + 1)),
            lab->reach_near = fmax(lab->reach_near, g + 1);
        lab->reach_cost = fmax(lab->reach_cost, fabs(g + 2));
        lab->reach_dot = fmax(lab->reach_dot, fabs(g - 1.5));
        odd = odd || !isfinite(g);
        cm_grid_add(lab->points_at, (cm_box){o->spec.x, o->spec.y, o->spec.x, o->spec.y}, i);
    }
    if (odd)
        lab->reach_ambiguous = lab->reach_near = lab->reach_cost = lab->reach_dot = INFINITY;
}

/* Takes what a plan recorded, in the order it was taken. */
static void replay(cm_labeler *lab, const cm_label_plan *plan)
{
    candidate cand[MAX_CANDIDATES];
    for (guint t = 0; t < plan->takes->len; t++) {
        const int *ik = (const int *)(void *)plan->takes->data + 2 * t;
        label *l = lab->labels->pdata[ik[0]];
        cm_label_measure(lab, l);
        candidates(l, cand);
        take(lab, l, &cand[ik[1]], ik[1]);
    }
}

static int place_all(cm_labeler *lab);

int cm_labeler_place(cm_labeler *lab)
{
    g_ptr_array_sort(lab->labels, by_priority);
    cm_labeler_forget_placed(lab);
    index_points(lab);
    cm_label_plan *plan = cm_label_plan_lock(lab);
    if (plan && plan->done) {
        replay(lab, plan);
        int placed = plan->placed;
        pthread_mutex_unlock(&plan->lock);
        return placed;
    }
    lab->recording = plan;
    int placed = place_all(lab);
    lab->recording = NULL;
    if (plan) {
        plan->placed = placed;
        plan->done = TRUE;
        pthread_mutex_unlock(&plan->lock);
    }
    return placed;
}

/* The search itself, recording into lab->recording when set. */
static int place_all(cm_labeler *lab)
{
    if (lab->memory) /* bands of one page, and frames of a series, place in turn: labels.h */
        cm_label_memory_enter(lab->memory, lab->scope);
    int placed = 0;
    GArray *waiting = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint i = 0; i < lab->labels->len; i++) {
        const label *l = lab->labels->pdata[i];
        placed += place_waiting(lab, waiting, l->spec.priority);
        gboolean callout = l->spec.callout && l->spec.kind == CM_LABEL_POINT;
        if (callout && remembered(lab, l) >= BESIDE)
            wait(lab, waiting, i); /* it stays out, where it was */
        else if (place_one(lab, i, FALSE))
            placed++;
        else if (callout)
            wait(lab, waiting, i);
    }
    placed += place_waiting(lab, waiting, G_MININT);
    g_array_free(waiting, TRUE);
    for (guint i = 0; lab->memory && i < lab->labels->len; i++) {
        const label *l = lab->labels->pdata[i];
        if (l->placed)
            cm_label_memory_record(lab->memory, memory_key(lab, l), l->chosen);
    }
    if (lab->memory)
        cm_label_memory_leave(lab->memory, lab->scope);
    return placed;
}

void cm_labeler_set_measure_all(cm_labeler *lab, gboolean all)
{
    lab->measure_all = all;
}

int cm_labeler_measured(const cm_labeler *lab)
{
    return lab->measured;
}

void cm_labeler_set_memory(cm_labeler *lab, cm_label_memory *m, const char *scope)
{
    lab->memory = m;
    g_free(lab->scope);
    lab->scope = g_strdup(scope);
}
