/* A change map's ground.  The page paints a date's control in layers: each district in its
 * row's paint, the cells of towns and sites that have rows over it (cells.c), the zones in
 * force over those, cut to the land.  Between two dates the ground is cut, through GEOS on
 * the page, into atoms that hold one state on each date: for each district, the cells of its
 * places with a row on either date and the rest; each atom split by every zone in force on
 * either date.  Each piece is then gained, newly contested or unchanged, and measured on the
 * ellipsoid: its page outline, densified, taken back to lon/lat through the map's projection
 * and summed by PROJ's geodesic polygon area (geod_polygonarea).  Nothing is drawn here. */
#include "change.h"

#include "map_impl.h"
#include "timeline.h"

#include <geodesic.h>
#include <geos_c.h>
#include <math.h>
#include <string.h>

/* Page edges longer than this (points) are cut before going back to lon/lat, so that the
 * area follows the straight page edge the map draws, not the geodesic between its ends. */
#define DENSIFY_PT 2.0

static void geos_quiet(const char *message, void *userdata)
{
    (void)message, (void)userdata;
}

/* One ring as a valid GEOS (multi)polygon; NULL for fewer than three points. */
static GEOSGeometry *ring_polygon(GEOSContextHandle_t g, const cm_ring *r)
{
    if (r->n < 3)
        return NULL;
    gboolean closed = r->xy[0] == r->xy[2 * r->n - 2] && r->xy[1] == r->xy[2 * r->n - 1];
    unsigned n = (unsigned)r->n + (closed ? 0 : 1);
    if (n < 4)
        return NULL;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(g, n, 2);
    for (int k = 0; k < r->n; k++)
        GEOSCoordSeq_setXY_r(g, seq, (unsigned)k, r->xy[2 * k], r->xy[2 * k + 1]);
    if (!closed)
        GEOSCoordSeq_setXY_r(g, seq, n - 1, r->xy[0], r->xy[1]);
    GEOSGeometry *lr = GEOSGeom_createLinearRing_r(g, seq);
    GEOSGeometry *poly = lr ? GEOSGeom_createPolygon_r(g, lr, NULL, 0) : NULL;
    if (!poly)
        return NULL;
    GEOSGeometry *valid = GEOSMakeValid_r(g, poly);
    GEOSGeom_destroy_r(g, poly);
    return valid;
}

/* A shape filled even-odd, as GEOS: the symmetric difference of its rings. */
static GEOSGeometry *shape_geom(GEOSContextHandle_t g, const cm_shape *s)
{
    GEOSGeometry *acc = NULL;
    for (int r = 0; r < s->nrings; r++) {
        GEOSGeometry *p = ring_polygon(g, &s->rings[r]);
        if (!p)
            continue;
        if (!acc) {
            acc = p;
            continue;
        }
        GEOSGeometry *x = GEOSSymDifference_r(g, acc, p);
        GEOSGeom_destroy_r(g, acc);
        GEOSGeom_destroy_r(g, p);
        acc = x;
    }
    return acc;
}

static double area_of(GEOSContextHandle_t g, const GEOSGeometry *a)
{
    double v = 0;
    return a && GEOSArea_r(g, a, &v) ? v : 0;
}

static gboolean empty(GEOSContextHandle_t g, const GEOSGeometry *a)
{
    return !a || GEOSisEmpty_r(g, a) == 1 || area_of(g, a) < 0.01;
}

/* a ∩ b, a - b: NULL when empty (or smaller than a hundredth of a square point, slivers of
 * shared edges). */
static GEOSGeometry *cut(GEOSContextHandle_t g, const GEOSGeometry *a, const GEOSGeometry *b,
                         gboolean inside)
{
    GEOSGeometry *r = inside ? GEOSIntersection_r(g, a, b) : GEOSDifference_r(g, a, b);
    if (r && area_of(g, r) < 0.01) {
        GEOSGeom_destroy_r(g, r);
        r = NULL;
    }
    return r;
}

/* A GEOS ring's points appended to a shape. */
static void add_ring(GEOSContextHandle_t g, GArray *rings, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(g, seq, &n) || n < 4)
        return;
    cm_ring r = {g_new(double, 2 * (size_t)n), (int)n};
    for (unsigned k = 0; k < n; k++)
        GEOSCoordSeq_getXY_r(g, seq, k, &r.xy[2 * k], &r.xy[2 * k + 1]);
    g_array_append_val(rings, r);
}

static void add_polygons(GEOSContextHandle_t g, GArray *rings, const GEOSGeometry *a)
{
    int type = GEOSGeomTypeId_r(g, a);
    if (type == GEOS_POLYGON) {
        add_ring(g, rings, GEOSGetExteriorRing_r(g, a));
        for (int i = 0; i < GEOSGetNumInteriorRings_r(g, a); i++)
            add_ring(g, rings, GEOSGetInteriorRingN_r(g, a, i));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(g, a); i++)
            add_polygons(g, rings, GEOSGetGeometryN_r(g, a, i));
    }
}

static cm_shape shape_of(GEOSContextHandle_t g, const GEOSGeometry *a)
{
    GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
    add_polygons(g, rings, a);
    cm_shape s = {.nrings = (int)rings->len};
    s.rings = (cm_ring *)g_array_free(rings, FALSE);
    return s;
}

/* A page ring's area in km² on the WGS 84 ellipsoid, its page edges densified; *ok FALSE
 * when a point does not go back to lon/lat. */
static double ring_km2(const cm_projection *proj, const struct geod_geodesic *geod,
                       const GEOSContextHandle_t g, const GEOSGeometry *ring, gboolean *ok)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(g, ring);
    unsigned n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(g, seq, &n) || n < 4)
        return 0;
    struct geod_polygon poly;
    geod_polygon_init(&poly, FALSE);
    double x0, y0, x1, y1;
    GEOSCoordSeq_getXY_r(g, seq, 0, &x0, &y0);
    for (unsigned k = 1; k < n && *ok; k++, x0 = x1, y0 = y1) {
        GEOSCoordSeq_getXY_r(g, seq, k, &x1, &y1);
        int steps = MAX(1, (int)ceil(hypot(x1 - x0, y1 - y0) / DENSIFY_PT));
        for (int s = 0; s < steps && *ok; s++) {
            double lon, lat, t = (double)s / steps;
            *ok = cm_projection_page_to_lonlat(proj, x0 + t * (x1 - x0), y0 + t * (y1 - y0), &lon,
                                               &lat);
            geod_polygon_addpoint(geod, &poly, lat, lon);
        }
    }
    double area = 0;
    geod_polygon_compute(geod, &poly, FALSE, TRUE, &area, NULL);
    return fabs(area) / 1e6;
}

/* A piece's area: each polygon's outer ring less its holes. */
static double geom_km2(GEOSContextHandle_t g, const cm_map *map,
                       const struct geod_geodesic *geod, const GEOSGeometry *a, gboolean *ok)
{
    int type = GEOSGeomTypeId_r(g, a);
    double sum = 0;
    if (type == GEOS_POLYGON) {
        sum = ring_km2(map->proj, geod, g, GEOSGetExteriorRing_r(g, a), ok);
        for (int i = 0; i < GEOSGetNumInteriorRings_r(g, a); i++)
            sum -= ring_km2(map->proj, geod, g, GEOSGetInteriorRingN_r(g, a, i), ok);
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(g, a); i++)
            sum += geom_km2(g, map, geod, GEOSGetGeometryN_r(g, a, i), ok);
    }
    return sum;
}

static double piece_km2(GEOSContextHandle_t g, const cm_map *map, const GEOSGeometry *a)
{
    if (!map->proj)
        return NAN;
    struct geod_geodesic geod;
    geod_init(&geod, 6378137, 1 / 298.257223563);
    gboolean ok = TRUE;
    double km2 = geom_km2(g, map, &geod, a, &ok);
    return ok ? km2 : NAN;
}

static cm_hold hold_of_row(const cm_ledger_row *r)
{
    cm_hold h = {0};
    if (r)
        h = (cm_hold){r->controller, cm_row_drawn_status(r), r->parties};
    return h;
}

static cm_hold hold_of_zone(const cm_timed *z)
{
    return (cm_hold){z->actor, z->status, z->parties};
}

/* The same parties, in any order. */
static gboolean same_parties(char **a, char **b)
{
    guint na = a ? g_strv_length(a) : 0, nb = b ? g_strv_length(b) : 0;
    if (na != nb)
        return FALSE;
    for (guint i = 0; i < na; i++)
        if (!g_strv_contains((const char *const *)b, a[i]))
            return FALSE;
    return TRUE;
}

/* Gained: held by another on the later date than on the earlier (a contest ended counts as
 * a gain for who holds it now).  Newly contested: a contest that was not there, or not
 * between the same parties.  Ground first recorded on the later date is not a gain: it has
 * no earlier holder to have been taken from. */
static cm_change_kind classify(const cm_hold *from, const cm_hold *to)
{
    if (!to->holder || !from->holder)
        return CM_CHANGE_SAME;
    gboolean was = from->status == CM_CONTESTED, is = to->status == CM_CONTESTED;
    if (is)
        return was && same_parties(from->parties, to->parties) ? CM_CHANGE_SAME
                                                               : CM_CHANGE_CONTESTED;
    return !was && !strcmp(from->holder, to->holder) ? CM_CHANGE_SAME : CM_CHANGE_GAINED;
}

/* An atom of ground: one region's rest or one cell, with its rows on the two dates, and the
 * zones (indices, drawing order) it lies in. */
typedef struct {
    GEOSGeometry *geom;
    int region, point;
    cm_hold from, to;
    GArray *zones;
} atom;

/* The top zone in force on `date` among the atom's, else the atom's own hold. */
static int top_zone(const cm_map *map, const atom *a, const GDate *date)
{
    for (int k = (int)a->zones->len - 1; k >= 0; k--) {
        int z = g_array_index(a->zones, int, k);
        if (cm_timed_active(&map->zones->items[z], date))
            return z;
    }
    return -1;
}

/* The land zones are cut to: the border's shapes even-odd together, as cm_draw_zones clips;
 * NULL for no clip. */
static GEOSGeometry *land_geom(GEOSContextHandle_t g, const cm_map *map)
{
    if (!map->border.layer || map->zones_on_land)
        return NULL;
    GEOSGeometry *acc = NULL;
    for (int i = 0; i < map->border.layer->n; i++) {
        GEOSGeometry *p = shape_geom(g, &map->border.page[i]);
        if (!p)
            continue;
        GEOSGeometry *x = acc ? GEOSSymDifference_r(g, acc, p) : p;
        if (acc) {
            GEOSGeom_destroy_r(g, acc);
            GEOSGeom_destroy_r(g, p);
        }
        acc = x;
    }
    return acc;
}

/* The cell's ground as drawn: region ∩ Voronoi cell ∩ the disc of its reach. */
static GEOSGeometry *cell_geom(GEOSContextHandle_t g, const cm_cell *cell,
                               const GEOSGeometry *region)
{
    cm_shape ring = {(cm_ring *)&cell->ring, 1};
    GEOSGeometry *vor = shape_geom(g, &ring);
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(g, cell->x, cell->y);
    GEOSGeometry *disc = GEOSBuffer_r(g, pt, cell->reach, 24);
    GEOSGeometry *a = vor && disc ? GEOSIntersection_r(g, vor, disc) : NULL;
    GEOSGeometry *b = a ? cut(g, region, a, TRUE) : NULL;
    GEOSGeom_destroy_r(g, a);
    GEOSGeom_destroy_r(g, disc);
    GEOSGeom_destroy_r(g, pt);
    GEOSGeom_destroy_r(g, vor);
    return b;
}

/* The atoms of region i: its cells with a row on either date, then the rest. */
static void region_atoms(GEOSContextHandle_t g, GArray *atoms, const cm_map *map, int i,
                         const GDate *from, const GDate *to)
{
    GEOSGeometry *rest = shape_geom(g, &map->regions.page[i]);
    if (!rest)
        return;
    const char *key = map->regions.layer->features[i].key;
    const cm_ledger_row *rf = key ? cm_ledger_state(map->ledger, key, from) : NULL;
    const cm_ledger_row *rt = key ? cm_ledger_state(map->ledger, key, to) : NULL;
    for (int c = 0; c < map->ncells && rest; c++) {
        const cm_cell *cell = &map->cells[c];
        const char *tk = map->town_keys ? map->town_keys[cell->point] : NULL;
        if (cell->region != i || !tk)
            continue;
        const cm_ledger_row *tf = cm_ledger_state(map->ledger, tk, from);
        const cm_ledger_row *tt = cm_ledger_state(map->ledger, tk, to);
        if (!tf && !tt)
            continue;
        GEOSGeometry *geom = cell_geom(g, cell, rest);
        if (!geom)
            continue;
        GEOSGeometry *left = cut(g, rest, geom, FALSE);
        GEOSGeom_destroy_r(g, rest);
        rest = left;
        atom a = {geom, i, cell->point, hold_of_row(tf ? tf : rf), hold_of_row(tt ? tt : rt),
                  g_array_new(FALSE, FALSE, sizeof(int))};
        g_array_append_val(atoms, a);
    }
    if (rest) {
        atom a = {rest, i, -1, hold_of_row(rf), hold_of_row(rt),
                  g_array_new(FALSE, FALSE, sizeof(int))};
        g_array_append_val(atoms, a);
    }
}

/* Splits every atom by zone z: the part inside gets z on its list. */
static void split_by_zone(GEOSContextHandle_t g, GArray *atoms, int z, const GEOSGeometry *zone)
{
    guint n = atoms->len;
    for (guint k = 0; k < n; k++) {
        atom *a = &g_array_index(atoms, atom, k);
        if (!a->geom || GEOSIntersects_r(g, a->geom, zone) != 1)
            continue;
        GEOSGeometry *in = cut(g, a->geom, zone, TRUE);
        if (!in)
            continue;
        GEOSGeometry *out = cut(g, a->geom, zone, FALSE);
        atom b = *a;
        b.geom = in;
        b.zones = g_array_copy(a->zones);
        g_array_append_val(b.zones, z);
        GEOSGeom_destroy_r(g, a->geom);
        a->geom = out;
        g_array_append_val(atoms, b); /* may move a: not used after */
    }
}

cm_change *cm_change_build(const cm_map *map, const GDate *from, const GDate *to)
{
    cm_change *c = g_new0(cm_change, 1);
    c->from = *from, c->to = *to;
    if (!map->regions.layer)
        return c;
    GEOSContextHandle_t g = GEOS_init_r();
    GEOSContext_setErrorMessageHandler_r(g, geos_quiet, NULL);
    GArray *atoms = g_array_new(FALSE, FALSE, sizeof(atom));
    for (int i = 0; i < map->regions.layer->n; i++)
        region_atoms(g, atoms, map, i, from, to);
    GEOSGeometry *land = map->zones ? land_geom(g, map) : NULL;
    for (int z = 0; map->zones && z < map->zones->layer->n; z++) {
        const cm_timed *t = &map->zones->items[z];
        if (!cm_timed_active(t, from) && !cm_timed_active(t, to))
            continue;
        GEOSGeometry *zg = shape_geom(g, &map->zones_page[z]);
        GEOSGeometry *on = zg && land ? GEOSIntersection_r(g, zg, land) : NULL;
        if (on || zg)
            split_by_zone(g, atoms, z, on ? on : zg);
        GEOSGeom_destroy_r(g, on);
        GEOSGeom_destroy_r(g, zg);
    }
    GEOSGeom_destroy_r(g, land);
    GArray *pieces = g_array_new(FALSE, FALSE, sizeof(cm_change_piece));
    for (guint k = 0; k < atoms->len; k++) {
        atom *a = &g_array_index(atoms, atom, k);
        if (!empty(g, a->geom)) {
            int zf = top_zone(map, a, from), zt = top_zone(map, a, to);
            cm_change_piece p = {.shape = shape_of(g, a->geom), .region = a->region,
                                 .point = a->point, .zone = zt,
                                 .from = zf >= 0 ? hold_of_zone(&map->zones->items[zf]) : a->from,
                                 .to = zt >= 0 ? hold_of_zone(&map->zones->items[zt]) : a->to};
            p.kind = classify(&p.from, &p.to);
            p.km2 = piece_km2(g, map, a->geom);
            g_array_append_val(pieces, p);
        }
        GEOSGeom_destroy_r(g, a->geom);
        g_array_free(a->zones, TRUE);
    }
    g_array_free(atoms, TRUE);
    GEOS_finish_r(g);
    c->npieces = (int)pieces->len;
    c->pieces = (cm_change_piece *)g_array_free(pieces, FALSE);
    return c;
}

void cm_change_free(cm_change *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->npieces; i++)
        cm_shape_clear(&c->pieces[i].shape);
    g_free(c->pieces);
    g_free(c);
}

static GMutex change_lock;

const cm_change *cm_change_get(const cm_map *map, const GDate *from, const GDate *to)
{
    cm_map *m = (cm_map *)map; /* what it keeps is derived from the map, keyed by the dates */
    g_mutex_lock(&change_lock);
    if (!m->change || g_date_compare(&m->change->from, from) ||
        g_date_compare(&m->change->to, to)) {
        cm_change_free(m->change);
        m->change = cm_change_build(map, from, to);
    }
    const cm_change *c = m->change;
    g_mutex_unlock(&change_lock);
    return c;
}

void cm_change_forget(cm_map *map)
{
    g_clear_pointer(&map->change, cm_change_free);
}

const cm_change_piece *cm_change_at(const cm_change *c, double x, double y)
{
    for (int i = 0; i < c->npieces; i++)
        if (cm_shape_contains(&c->pieces[i].shape, x, y))
            return &c->pieces[i];
    return NULL;
}

double cm_change_km2(const cm_change *c, cm_change_kind kind, const char *holder)
{
    double sum = 0;
    for (int i = 0; i < c->npieces; i++) {
        const cm_change_piece *p = &c->pieces[i];
        if (p->kind == kind && (!holder || !g_strcmp0(p->to.holder, holder)) && isfinite(p->km2))
            sum += p->km2;
    }
    return sum;
}

gboolean cm_place_changed_hands(const cm_map *map, const cm_ledger_row *const *towns_from,
                                const cm_ledger_row *const *rows_from,
                                const cm_ledger_row *const *towns, int i,
                                const cm_ledger_row **from, const cm_ledger_row **to)
{
    const cm_ledger_row *t = towns[i], *f = towns_from[i];
    for (int c = 0; !f && c < map->ncells; c++)
        if (map->cells[c].point == i)
            f = rows_from[map->cells[c].region];
    if (from)
        *from = f;
    if (to)
        *to = t;
    if (!t || !f)
        return FALSE;
    cm_hold hf = hold_of_row(f), ht = hold_of_row(t);
    return classify(&hf, &ht) != CM_CHANGE_SAME;
}
