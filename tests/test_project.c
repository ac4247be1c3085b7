/* Projection of known points.  Reference coordinates are from PROJ's cs2cs and geod:
 *   echo 13.1913 32.8872 | cs2cs +proj=longlat +datum=WGS84 +to <LCC below>
 *   -> -450523.5268 659866.9447 (Tripoli);  195247.3453 567358.5451 (Benghazi)
 *   geod +ellps=WGS84 -I: Tripoli to Benghazi 651794.348 m */
#include "conflictmap/status.h"
#include "project.h"

#include <math.h>

#define LCC "+proj=lcc +lat_0=27 +lon_0=18 +lat_1=22 +lat_2=32 +datum=WGS84 +units=m +no_defs"

static const double extent[4] = {8.8, 19.2, 25.9, 34.4};
static const double frame[4] = {28, 70, 786, 470};

static void test_known_points(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_projection *p = NULL;
    g_assert_cmpint(cm_projection_new(&p, LCC, extent, frame, ctx), ==, CM_OK);
    double tx, ty, bx, by, ox, oy;
    g_assert_true(cm_projection_lonlat_to_page(p, 13.1913, 32.8872, &tx, &ty));
    g_assert_true(cm_projection_lonlat_to_page(p, 20.0686, 32.1167, &bx, &by));
    g_assert_true(cm_projection_lonlat_to_page(p, 18, 27, &ox, &oy));
    /* one scale on both axes, y pointing down the page */
    double sx = (bx - tx) / (195247.3453 - -450523.5268);
    double sy = -(by - ty) / (567358.5451 - 659866.9447);
    g_assert_cmpfloat(sx, >, 0);
    g_assert_cmpfloat_with_epsilon(sx / sy, 1.0, 1e-6);
    /* the projection's origin sits where PROJ puts it relative to Tripoli */
    g_assert_cmpfloat_with_epsilon((ox - tx) / sx, 450523.5268, 1.0);
    g_assert_cmpfloat_with_epsilon(-(oy - ty) / sx, -659866.9447, 1.0);
    /* the extent fits the frame, centred, and fills it in one direction.  Its edges are
     * curves on the page (the parallels are arcs, the meridians converge), so they are traced,
     * not just the corners; 0.01 pt is more than the fit, which samples each edge at 32
     * points, can miss the curve's extreme by */
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i <= 256; i++) {
        double t = i / 256.0;
        double lon = extent[0] + t * (extent[2] - extent[0]);
        double lat = extent[1] + t * (extent[3] - extent[1]);
        const double edges[4][2] = {{lon, extent[1]}, {lon, extent[3]}, {extent[0], lat}, {extent[2], lat}};
        for (int e = 0; e < 4; e++) {
            double x, y;
            g_assert_true(cm_projection_lonlat_to_page(p, edges[e][0], edges[e][1], &x, &y));
            x0 = fmin(x0, x), x1 = fmax(x1, x), y0 = fmin(y0, y), y1 = fmax(y1, y);
        }
    }
    const double tol = 0.01;
    g_test_message("extent on the page: x %.4f to %.4f, y %.4f to %.4f", x0, x1, y0, y1);
    g_assert_cmpfloat(x0, >=, frame[0] - tol);
    g_assert_cmpfloat(y0, >=, frame[1] - tol);
    g_assert_cmpfloat(x1, <=, frame[0] + frame[2] + tol);
    g_assert_cmpfloat(y1, <=, frame[1] + frame[3] + tol);
    g_assert_cmpfloat_with_epsilon((x0 + x1) / 2, frame[0] + frame[2] / 2, tol);
    g_assert_cmpfloat_with_epsilon((y0 + y1) / 2, frame[1] + frame[3] / 2, tol);
    gboolean fills_width = fabs((x1 - x0) - frame[2]) < 2 * tol;
    gboolean fills_height = fabs((y1 - y0) - frame[3]) < 2 * tol;
    g_assert_true(fills_width || fills_height);
    /* and back */
    double lon, lat;
    g_assert_true(cm_projection_page_to_lonlat(p, tx, ty, &lon, &lat));
    g_assert_cmpfloat_with_epsilon(lon, 13.1913, 1e-7);
    g_assert_cmpfloat_with_epsilon(lat, 32.8872, 1e-7);
    cm_projection_destroy(p);
    cm_ctx_destroy(ctx);
}

/* Ground length of a page segment: Tripoli to Benghazi is not horizontal, so measure the
 * page distance between them and compare with the geodesic, within the projection's scale
 * error (LCC with standard parallels at 22 and 32 N: under 1% at 32-33 N). */
static void test_ground_distance(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_projection *p = NULL;
    g_assert_cmpint(cm_projection_new(&p, LCC, extent, frame, ctx), ==, CM_OK);
    double tx, ty, bx, by;
    g_assert_true(cm_projection_lonlat_to_page(p, 13.1913, 32.8872, &tx, &ty));
    g_assert_true(cm_projection_lonlat_to_page(p, 20.0686, 32.1167, &bx, &by));
    double page = hypot(bx - tx, by - ty);
    double m = cm_projection_ground_metres(p, (tx + bx) / 2, (ty + by) / 2, page);
    g_assert_cmpfloat(fabs(m - 651794.348) / 651794.348, <, 0.01);
    cm_projection_destroy(p);
    cm_ctx_destroy(ctx);
}

static void test_bad_crs(void)
{
    cm_ctx *ctx = cm_ctx_new();
    cm_projection *p = NULL;
    g_assert_cmpint(cm_projection_new(&p, "+proj=nonsense", extent, frame, ctx), ==, CM_ESTYLE);
    g_assert_null(p);
    g_assert_cmpstr(cm_ctx_message(ctx), ==,
                    "crs \"+proj=nonsense\" is not a coordinate reference system PROJ knows");
    cm_ctx_destroy(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/project/known-points", test_known_points);
    g_test_add_func("/project/ground-distance", test_ground_distance);
    g_test_add_func("/project/bad-crs", test_bad_crs);
    return g_test_run();
}
