/* init's choice of frame and projection: plain arithmetic on lon/lat boxes, no I/O. */
#include "init_crs.h"

#include <math.h>

#define POLAR_LAT 66.0  /* the middle poleward of this (about the polar circles): stereographic */
#define POLE_LAT 84.0   /* a box reaching this touches a pole */
#define TALL 2.0        /* height over ground width above which a country is "narrow" */
#define MARGIN 0.08     /* of each span, on each side */
#define MIN_MARGIN 0.3  /* degrees */

double cm_init_wrap_lon(double lon)
{
    while (lon > 180)
        lon -= 360;
    while (lon <= -180)
        lon += 360;
    return lon;
}

void cm_init_frame_clear(cm_init_frame *f)
{
    g_clear_pointer(&f->crs, g_free);
}

/* The projection for box b (already with its margin), by the rules in the header. */
static void choose(cm_init_frame *f, const double b[4])
{
    double lon0 = cm_init_wrap_lon((b[0] + b[2]) / 2), lat_mid = (b[1] + b[3]) / 2;
    double dlat = b[3] - b[1];
    double ground_w = (b[2] - b[0]) * cos(lat_mid * G_PI / 180);
    double lat1 = b[1] + dlat / 6, lat2 = b[3] - dlat / 6;
    char buf[G_ASCII_DTOSTR_BUF_SIZE * 4];
    if (b[3] >= POLE_LAT || b[1] <= -POLE_LAT || fabs(lat_mid) >= POLAR_LAT) {
        /* the pole on the side of the box's middle; true scale at its middle latitude */
        double ts = fabs(lat_mid) < 45 ? (lat_mid < 0 ? -71 : 71) : lat_mid;
        g_snprintf(buf, sizeof buf, "+proj=stere +lat_0=%d +lat_ts=%.2f +lon_0=%.2f",
                   lat_mid < 0 ? -90 : 90, ts, lon0);
        f->why = "polar stereographic: the frame reaches a pole or lies poleward of 66 degrees";
    } else if (dlat > TALL * ground_w) {
        g_snprintf(buf, sizeof buf, "+proj=tmerc +lat_0=0 +lon_0=%.2f +k=0.9996 +x_0=500000", lon0);
        f->why = "transverse Mercator on the frame's middle meridian, UTM's scale factor: the "
                 "frame is over twice as tall as it is wide";
    } else if (lat1 < 0 && lat2 > 0) {
        g_snprintf(buf, sizeof buf, "+proj=merc +lat_ts=0 +lon_0=%.2f", lon0);
        f->why = "Mercator: the frame straddles the equator, where a conic has no good cone";
    } else {
        g_snprintf(buf, sizeof buf, "+proj=lcc +lat_0=%.2f +lon_0=%.2f +lat_1=%.2f +lat_2=%.2f",
                   lat_mid, lon0, lat1, lat2);
        f->why = "Lambert conformal conic, standard parallels at 1/6 and 5/6 of the frame's "
                 "latitudes";
    }
    f->crs = g_strconcat(buf, " +datum=WGS84 +units=m +no_defs", NULL);
}

void cm_init_frame_for(cm_init_frame *out, const double data[4])
{
    double mx = fmax((data[2] - data[0]) * MARGIN, MIN_MARGIN);
    double my = fmax((data[3] - data[1]) * MARGIN, MIN_MARGIN);
    out->box[0] = data[0] - mx;
    out->box[2] = data[2] + mx;
    out->box[1] = fmax(data[1] - my, -90);
    out->box[3] = fmin(data[3] + my, 90);
    if (out->box[2] - out->box[0] > 360)
        out->box[0] = -180, out->box[2] = 180;
    else if (out->box[2] <= 180 && out->box[0] < -180)
        out->box[0] = -180; /* a margin does not make a box cross the antimeridian */
    else if (out->box[0] >= -180 && out->box[2] > 180 && data[2] <= 180)
        out->box[2] = 180;
    choose(out, out->box);
}

void cm_init_inset_for(cm_init_frame *out, const double map_box[4])
{
    double cx = (map_box[0] + map_box[2]) / 2, cy = (map_box[1] + map_box[3]) / 2;
    double hw = fmax(1.5 * (map_box[2] - map_box[0]), 18) , hh = fmax(1.5 * (map_box[3] - map_box[1]), 13);
    hw = fmin(hw, 180), hh = fmin(hh, 90);
    double b[4] = {cx - hw, fmax(cy - hh, -90), cx + hw, fmin(cy + hh, 90)};
    /* the inset's extent cannot cross the antimeridian: slide it back inside */
    if (b[0] < -180)
        b[2] = fmin(b[2] + (-180 - b[0]), 180), b[0] = -180;
    if (b[2] > 180)
        b[0] = fmax(b[0] - (b[2] - 180), -180), b[2] = 180;
    for (int i = 0; i < 4; i++)
        out->box[i] = b[i];
    choose(out, b);
}
