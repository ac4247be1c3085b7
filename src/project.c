/* Projection through OSR/PROJ and page fitting. */
#include "project.h"

#include "ctx.h"
#include "geodata.h"

#include <geodesic.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <string.h>

#define CLIP_MARGIN 6.0 /* points beyond the frame: wider than any stroke */

struct cm_projection {
    OGRSpatialReferenceH wgs84, dst;
    OGRCoordinateTransformationH fwd, inv; /* lon/lat <-> map CRS */
    double frame[4];
    double scale;  /* points per map unit */
    double ox, oy; /* map coordinates at the frame's centre */
};

static OGRSpatialReferenceH lonlat_srs(void)
{
    OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
    OSRSetWellKnownGeogCS(s, "WGS84");
    OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
    return s;
}

cm_status cm_projection_new(cm_projection **out, const char *crs, const double extent[4],
                            const double frame[4], cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_projection *p = g_new0(cm_projection, 1);
    *out = NULL;
    p->wgs84 = lonlat_srs();
    p->dst = OSRNewSpatialReference(NULL);
    cm_gdal_quiet_begin();
    OGRErr e = OSRSetFromUserInput(p->dst, crs);
    cm_gdal_quiet_end();
    if (e != OGRERR_NONE) {
        st = cm_fail(ctx, CM_ESTYLE, "crs \"%s\" is not a coordinate reference system PROJ knows",
                     crs);
        goto cleanup;
    }
    OSRSetAxisMappingStrategy(p->dst, OAMS_TRADITIONAL_GIS_ORDER);
    cm_gdal_quiet_begin();
    p->fwd = OCTNewCoordinateTransformation(p->wgs84, p->dst);
    p->inv = OCTNewCoordinateTransformation(p->dst, p->wgs84);
    cm_gdal_quiet_end();
    if (!p->fwd || !p->inv) {
        st = cm_fail(ctx, CM_ESTYLE, "crs \"%s\": no transformation from WGS 84", crs);
        goto cleanup;
    }
    /* The extent's edges, densified: a box in lon/lat is curved in most projections. */
    enum { STEPS = 32 };
    double xs[4 * STEPS], ys[4 * STEPS];
    int ok[4 * STEPS];
    for (int i = 0; i < STEPS; i++) {
        double t = (double)i / STEPS;
        double lon = extent[0] + t * (extent[2] - extent[0]);
        double lat = extent[1] + t * (extent[3] - extent[1]);
        xs[i] = lon, ys[i] = extent[1];
        xs[STEPS + i] = extent[2], ys[STEPS + i] = lat;
        xs[2 * STEPS + i] = extent[2] - (lon - extent[0]), ys[2 * STEPS + i] = extent[3];
        xs[3 * STEPS + i] = extent[0], ys[3 * STEPS + i] = extent[3] - (lat - extent[1]);
    }
    cm_gdal_quiet_begin();
    OCTTransformEx(p->fwd, 4 * STEPS, xs, ys, NULL, ok);
    cm_gdal_quiet_end();
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < 4 * STEPS; i++) {
        if (!ok[i] || !isfinite(xs[i]) || !isfinite(ys[i]))
            continue;
        x0 = fmin(x0, xs[i]), x1 = fmax(x1, xs[i]);
        y0 = fmin(y0, ys[i]), y1 = fmax(y1, ys[i]);
    }
    if (!(x1 > x0 && y1 > y0)) {
        st = cm_fail(ctx, CM_ESTYLE, "the extent does not project into crs \"%s\"", crs);
        goto cleanup;
    }
    for (int i = 0; i < 4; i++)
        p->frame[i] = frame[i];
    p->scale = fmin(frame[2] / (x1 - x0), frame[3] / (y1 - y0));
    p->ox = (x0 + x1) / 2;
    p->oy = (y0 + y1) / 2;
    *out = p;
    p = NULL;
cleanup:
    cm_projection_destroy(p);
    return st;
}

void cm_projection_destroy(cm_projection *p)
{
    if (!p)
        return;
    if (p->fwd)
        OCTDestroyCoordinateTransformation(p->fwd);
    if (p->inv)
        OCTDestroyCoordinateTransformation(p->inv);
    OSRDestroySpatialReference(p->wgs84);
    OSRDestroySpatialReference(p->dst);
    g_free(p);
}

static inline void map_to_page(const cm_projection *p, double mx, double my, double *x, double *y)
{
    *x = p->frame[0] + p->frame[2] / 2 + (mx - p->ox) * p->scale;
    *y = p->frame[1] + p->frame[3] / 2 - (my - p->oy) * p->scale;
}

gboolean cm_projection_lonlat_to_page(const cm_projection *p, double lon, double lat, double *x,
                                      double *y)
{
    int ok = 0;
    cm_gdal_quiet_begin();
    OCTTransformEx(p->fwd, 1, &lon, &lat, NULL, &ok);
    cm_gdal_quiet_end();
    if (!ok)
        return FALSE;
    map_to_page(p, lon, lat, x, y);
    return TRUE;
}

gboolean cm_projection_page_to_lonlat(const cm_projection *p, double x, double y, double *lon,
                                      double *lat)
{
    double mx = p->ox + (x - p->frame[0] - p->frame[2] / 2) / p->scale;
    double my = p->oy - (y - p->frame[1] - p->frame[3] / 2) / p->scale;
    int ok = 0;
    cm_gdal_quiet_begin();
    OCTTransformEx(p->inv, 1, &mx, &my, NULL, &ok);
    cm_gdal_quiet_end();
    *lon = mx, *lat = my;
    return ok != 0;
}

double cm_projection_ground_metres(const cm_projection *p, double x, double y, double len)
{
    double lon0, lat0, lon1, lat1, s12 = NAN;
    if (!cm_projection_page_to_lonlat(p, x - len / 2, y, &lon0, &lat0) ||
        !cm_projection_page_to_lonlat(p, x + len / 2, y, &lon1, &lat1))
        return NAN;
    struct geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    geod_inverse(&g, lat0, lon0, lat1, lon1, &s12, NULL, NULL);
    return s12;
}

/* Projects one ring into `out` (page points), keeping a vertex only when it lies more than
 * `tol` from the last kept one; the last vertex is always kept so rings stay closed. */
static gboolean project_ring(OGRCoordinateTransformationH ct, const cm_projection *p,
                             const cm_ring *in, double tol, cm_ring *out)
{
    int n = in->n;
    double *xs = g_new(double, (size_t)n), *ys = g_new(double, (size_t)n);
    int *ok = g_new(int, (size_t)n);
    for (int i = 0; i < n; i++)
        xs[i] = in->xy[2 * i], ys[i] = in->xy[2 * i + 1];
    OCTTransformEx(ct, n, xs, ys, NULL, ok);
    out->xy = g_new(double, 2 * (size_t)n);
    out->n = 0;
    for (int i = 0; i < n; i++) {
        if (!ok[i] || !isfinite(xs[i]) || !isfinite(ys[i]))
            continue;
        map_to_page(p, xs[i], ys[i], &out->xy[2 * out->n], &out->xy[2 * out->n + 1]);
        out->n++;
    }
    g_free(xs), g_free(ys), g_free(ok);
    if (tol > 0)
        out->n = cm_ring_simplify(out->xy, out->n, tol);
    int min = in->n == 1 ? 1 : (in->n >= 4 && in->xy[0] == in->xy[2 * (n - 1)] &&
                                        in->xy[1] == in->xy[2 * n - 1]) ? 4 : 2;
    if (out->n < min) {
        g_clear_pointer(&out->xy, g_free);
        return FALSE;
    }
    return TRUE;
}

/* Clips a closed ring to the rectangle x0..x1, y0..y1 (Sutherland-Hodgman, one edge at a
 * time).  The ring's own orientation and the even-odd fill are kept; edges the clip adds run
 * along the rectangle, which callers place outside what is shown. */
static void clip_ring(cm_ring *ring, const double box[4])
{
    if (ring->n < 4)
        return;
    double *in = ring->xy, *out = g_new(double, 4 * (size_t)ring->n + 16);
    int n = ring->n;
    /* drop the closing point: the loop below treats the ring as closed */
    if (in[0] == in[2 * (n - 1)] && in[1] == in[2 * (n - 1) + 1])
        n--;
    double *buf = g_new(double, 4 * (size_t)ring->n + 16);
    memcpy(buf, in, sizeof(double) * 2 * (size_t)n);
    for (int edge = 0; edge < 4 && n > 0; edge++) {
        int axis = edge % 2, keep_max = edge >= 2;
        double lim = box[edge];
        int m = 0;
        for (int i = 0; i < n; i++) {
            const double *a = &buf[2 * ((i + n - 1) % n)], *b = &buf[2 * i];
            gboolean ain = keep_max ? a[axis] <= lim : a[axis] >= lim;
            gboolean bin = keep_max ? b[axis] <= lim : b[axis] >= lim;
            if (ain != bin) {
                double t = (lim - a[axis]) / (b[axis] - a[axis]);
                out[2 * m] = a[0] + t * (b[0] - a[0]);
                out[2 * m + 1] = a[1] + t * (b[1] - a[1]);
                out[2 * m + axis] = lim;
                m++;
            }
            if (bin) {
                out[2 * m] = b[0], out[2 * m + 1] = b[1];
                m++;
            }
        }
        double *t = buf;
        buf = out, out = t;
        n = m;
    }
    g_free(out);
    g_free(ring->xy);
    if (n < 3) {
        g_free(buf);
        ring->xy = NULL;
        ring->n = 0;
        return;
    }
    buf[2 * n] = buf[0], buf[2 * n + 1] = buf[1]; /* closed again */
    ring->xy = buf;
    ring->n = n + 1;
}

/* The part of segment a-b inside the box x0, y0, x1, y1, as parameters *t0 <= *t1 along it
 * (Liang-Barsky); FALSE when none of it is inside. */
static gboolean segment_in_box(const double *a, const double *b, const double box[4], double *t0,
                               double *t1)
{
    double dx = b[0] - a[0], dy = b[1] - a[1];
    double pq[4][2] = {{-dx, a[0] - box[0]}, {dx, box[2] - a[0]}, {-dy, a[1] - box[1]},
                       {dy, box[3] - a[1]}};
    *t0 = 0, *t1 = 1;
    for (int i = 0; i < 4; i++) {
        if (pq[i][0] == 0) {
            if (pq[i][1] < 0)
                return FALSE;
            continue;
        }
        double t = pq[i][1] / pq[i][0];
        if (pq[i][0] < 0)
            *t0 = fmax(*t0, t);
        else
            *t1 = fmin(*t1, t);
    }
    return *t0 <= *t1;
}

/* Cuts an open line to the box: the runs inside it, appended to `runs` (cm_ring), the line
 * itself freed.  A front or arrow that runs off towards a pole is then bounded on the page,
 * and so is the work of drawing its teeth and keeping labels off it. */
/* Ends a run of a clipped line: kept as a ring when it has two points or more. */
static void end_run(GArray *runs, GArray *run)
{
    cm_ring r = {.n = (int)run->len / 2};
    if (r.n < 2) {
        g_array_free(run, TRUE);
        return;
    }
    r.xy = (double *)g_array_free(run, FALSE);
    g_array_append_val(runs, r);
}

static void clip_line(cm_ring *line, const double box[4], GArray *runs)
{
    GArray *run = NULL;
    for (int i = 1; i < line->n; i++) {
        const double *a = &line->xy[2 * i - 2], *b = &line->xy[2 * i];
        double t0, t1;
        if (!segment_in_box(a, b, box, &t0, &t1))
            continue;
        double p0[2] = {a[0] + t0 * (b[0] - a[0]), a[1] + t0 * (b[1] - a[1])};
        double p1[2] = {a[0] + t1 * (b[0] - a[0]), a[1] + t1 * (b[1] - a[1])};
        if (!run || t0 > 0) { /* a new run where the line comes back in */
            if (run)
                end_run(runs, run);
            run = g_array_new(FALSE, FALSE, sizeof(double));
            g_array_append_vals(run, p0, 2);
        }
        g_array_append_vals(run, p1, 2);
        if (t1 < 1) { /* leaves the box here */
            end_run(runs, run);
            run = NULL;
        }
    }
    if (run)
        end_run(runs, run);
    g_clear_pointer(&line->xy, g_free);
    line->n = 0;
}

cm_status cm_project_layer(cm_shape **out, const cm_projection *p, const cm_layer *layer,
                           double tolerance, cm_ctx *ctx)
{
    *out = NULL;
    cm_gdal_quiet_begin();
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(layer->srs, p->dst);
    cm_gdal_quiet_end();
    if (!ct)
        return cm_fail(ctx, CM_EINPUT, "%s: no transformation from its CRS to the map's",
                       layer->path);
    cm_shape *shapes = g_new0(cm_shape, (size_t)layer->n);
    int dropped = 0;
    cm_gdal_quiet_begin();
    for (int i = 0; i < layer->n; i++) {
        const cm_shape *src = &layer->features[i].shape;
        shapes[i].rings = g_new0(cm_ring, (size_t)src->nrings);
        for (int r = 0; r < src->nrings; r++) {
            cm_ring *dst = &shapes[i].rings[shapes[i].nrings];
            if (!project_ring(ct, p, &src->rings[r], tolerance, dst))
                continue;
            /* closed rings are clipped to a little beyond the frame: what lies further out
             * is never seen, yet would be filled, stroked and written to every PDF page */
            gboolean closed = dst->n >= 4 && dst->xy[0] == dst->xy[2 * (dst->n - 1)] &&
                              dst->xy[1] == dst->xy[2 * dst->n - 1];
            if (closed) {
                double box[4] = {p->frame[0] - CLIP_MARGIN, p->frame[1] - CLIP_MARGIN,
                                 p->frame[0] + p->frame[2] + CLIP_MARGIN,
                                 p->frame[1] + p->frame[3] + CLIP_MARGIN};
                clip_ring(dst, box);
                if (dst->n == 0)
                    continue;
            } else if (dst->n >= 2) {
                /* lines keep room beyond the frame for arrowheads and teeth */
                double m = 4 * CLIP_MARGIN;
                double box[4] = {p->frame[0] - m, p->frame[1] - m, p->frame[0] + p->frame[2] + m,
                                 p->frame[1] + p->frame[3] + m};
                GArray *runs = g_array_new(FALSE, FALSE, sizeof(cm_ring));
                clip_line(dst, box, runs);
                int k = shapes[i].nrings;
                /* room for these runs and for the rings still to come */
                shapes[i].rings = g_renew(cm_ring, shapes[i].rings,
                                          (size_t)(k + (int)runs->len + src->nrings - r));
                for (guint j = 0; j < runs->len; j++)
                    shapes[i].rings[k + (int)j] = g_array_index(runs, cm_ring, j);
                shapes[i].nrings += (int)runs->len;
                g_array_free(runs, TRUE);
                continue;
            }
            shapes[i].nrings++;
        }
        if (shapes[i].nrings == 0 && src->nrings > 0 && src->rings[0].n == 1)
            dropped++;
    }
    cm_gdal_quiet_end();
    OCTDestroyCoordinateTransformation(ct);
    if (dropped)
        cm_warn(ctx, "%s: %d point(s) outside the projection's domain, not drawn", layer->path,
                dropped);
    *out = shapes;
    return CM_OK;
}

/* The angle, clockwise from the page's up, of true north at a page point. */
double cm_projection_north(const cm_projection *p, double x, double y)
{
    double lon, lat, x1, y1;
    if (!cm_projection_page_to_lonlat(p, x, y, &lon, &lat) ||
        !cm_projection_lonlat_to_page(p, lon, lat + 0.1, &x1, &y1))
        return 0;
    return atan2(x1 - x, -(y1 - y));
}

/* Lines of longitude and latitude every `step` degrees, densified so they curve: one open
 * ring per run of points that project. */
void cm_projection_graticule(cm_shape *out, const cm_projection *p, const double e[4], double step)
{
    GArray *rings = g_array_new(FALSE, FALSE, sizeof(cm_ring));
    for (int axis = 0; axis < 2 && step >= 0.01; axis++) {
        double lo = axis ? e[1] - 10 : e[0] - 10, hi = axis ? e[3] + 10 : e[2] + 10;
        for (double v = ceil(lo / step) * step; v <= hi; v += step) {
            double a0 = axis ? e[0] - 10 : e[1] - 10, a1 = axis ? e[2] + 10 : e[3] + 10;
            GArray *run = g_array_new(FALSE, FALSE, sizeof(double));
            for (double t = a0; t <= a1 + 0.125; t += 0.25) {
                double lon = axis ? t : v, lat = axis ? v : t, x, y;
                gboolean ok = t <= a1 && lat >= -89.9 && lat <= 89.9 &&
                              cm_projection_lonlat_to_page(p, lon, lat, &x, &y);
                if (ok) {
                    g_array_append_val(run, x);
                    g_array_append_val(run, y);
                } else if (run->len) {
                    cm_ring r = {.n = (int)run->len / 2};
                    r.xy = (double *)g_array_free(run, FALSE);
                    g_array_append_val(rings, r);
                    run = g_array_new(FALSE, FALSE, sizeof(double));
                }
            }
            g_array_free(run, TRUE);
        }
    }
    out->nrings = (int)rings->len;
    out->rings = (cm_ring *)g_array_free(rings, FALSE);
}

/* The main frame, traced along its edges through lon/lat into the inset's page. */
void cm_projection_trace_frame(cm_ring *r, const cm_projection *from, const double fr[4],
                               const cm_projection *to)
{
    r->xy = g_new(double, 2 * 400);
    r->n = 0;
    for (int k = 0; k < 400; k++) {
        double t = (k % 100) / 100.0, x, y, lon, lat, ix, iy;
        switch (k / 100) {
        case 0: x = fr[0] + t * fr[2], y = fr[1]; break;
        case 1: x = fr[0] + fr[2], y = fr[1] + t * fr[3]; break;
        case 2: x = fr[0] + (1 - t) * fr[2], y = fr[1] + fr[3]; break;
        default: x = fr[0], y = fr[1] + (1 - t) * fr[3]; break;
        }
        if (!cm_projection_page_to_lonlat(from, x, y, &lon, &lat) ||
            !cm_projection_lonlat_to_page(to, lon, lat, &ix, &iy))
            continue;
        r->xy[2 * r->n] = ix, r->xy[2 * r->n + 1] = iy;
        r->n++;
    }
}
