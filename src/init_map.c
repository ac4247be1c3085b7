/* init's map file and style: the words a new project starts with, all of them data the
 * user edits. */
#include "init.h"

#include "ctx.h"

#include <math.h>
#include <ogr_srs_api.h>
#include <string.h>

/* Placeholder sides: the Okabe-Ito palette's blue, orange and green, told apart under every
 * common colour-vision deficiency and in lightness (as styles/colourblind.ini). */
static const char style_text[] =
    "# The sides of this conflict, on top of the house style (styles/base.ini).  Rename the\n"
    "# ids (what control.csv's controller and parties columns say), the labels and colours.\n"
    "# The colours are colour-blind safe (Okabe-Ito); keep them apart in lightness too.\n\n"
    "[controller SIDE_A]\nlabel = Side A\nfill = #0072b2\nshort = A\n\n"
    "[controller SIDE_B]\nlabel = Side B\nfill = #e69f00\nshort = B\n\n"
    "[controller LOCAL]\nlabel = Local forces\nfill = #009e73\nshort = local forces\n\n"
    "# What control.csv starts with: every region, drawn as no data.  Delete this group once\n"
    "# no row names it.\n"
    "[controller UNRECORDED]\nlabel = Not yet recorded\nfill = #d9d9d9\nshort = not recorded\n";

cm_status cm_init_write_style(const cm_init_project_data *p, cm_ctx *ctx)
{
    /* the house style labels in English and Arabic; without Arabic names, English only */
    char *text = g_strconcat(style_text, p->o->name_ar ? "" : "\n[places]\nlang = en\n", NULL);
    cm_status st = cm_init_write_text(p, "style.ini", text, ctx);
    g_free(text);
    return st;
}

/* Whether the box, projected, is taller than wide: the page's orientation. */
static gboolean is_tall(const cm_init_frame *f)
{
    OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL), dst = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(ll, 4326);
    OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
    OSRSetFromUserInput(dst, f->crs);
    OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
    OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(ll, dst);
    enum { N = 16 };
    double xs[4 * N], ys[4 * N], x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int ok[4 * N];
    const double *b = f->box;
    for (int i = 0; i < N; i++) {
        double t = (double)i / N, lon = b[0] + t * (b[2] - b[0]), lat = b[1] + t * (b[3] - b[1]);
        xs[i] = lon, ys[i] = b[1], xs[N + i] = lon, ys[N + i] = b[3];
        xs[2 * N + i] = b[0], ys[2 * N + i] = lat, xs[3 * N + i] = b[2], ys[3 * N + i] = lat;
    }
    if (ct && OCTTransformEx(ct, 4 * N, xs, ys, NULL, ok))
        for (int i = 0; i < 4 * N; i++)
            if (ok[i] && isfinite(xs[i]) && isfinite(ys[i]))
                x0 = fmin(x0, xs[i]), x1 = fmax(x1, xs[i]), y0 = fmin(y0, ys[i]), y1 = fmax(y1, ys[i]);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(ll), OSRDestroySpatialReference(dst);
    return y1 - y0 > x1 - x0;
}

static void append_box(GString *s, const double b[4])
{
    char v[4][G_ASCII_DTOSTR_BUF_SIZE];
    for (int i = 0; i < 4; i++)
        g_ascii_formatd(v[i], sizeof v[i], "%.2f", round(b[i] * 100) / 100);
    g_string_append_printf(s, "extent = %s, %s, %s, %s\n", v[0], v[1], v[2], v[3]);
}

/* The map's extent line.  A map file's extent stops at 180 degrees: a frame across the
 * antimeridian keeps its larger side, and the comment says so. */
static void append_extent(GString *s, const cm_init_project_data *p)
{
    double b[4];
    memcpy(b, p->map.box, sizeof b);
    if (b[2] > 180) {
        g_string_append_printf(s, "# The regions cross the antimeridian (%.2f to %.2f east); an "
                                  "extent stops at 180,\n# so the frame shows the larger side.\n",
                               b[0], b[2]);
        if (180 - b[0] >= b[2] - 180)
            b[2] = 180;
        else
            b[0] = -180, b[2] -= 360;
    }
    if (p->outlying)
        g_string_append_printf(s, "# %d small outlying part(s) of the regions lie outside the "
                                  "frame: widen it to show them.\n", p->outlying);
    g_string_append(s, "# lon/lat box the frame must show (west, south, east, north): the "
                       "regions plus a margin\n");
    append_box(s, b);
}

static void append_layer(GString *s, const char *group, const char *file, gboolean names,
                         gboolean ar)
{
    g_string_append_printf(s, "[%s]\nfile = %s\n", group, file);
    if (names)
        g_string_append_printf(s, "key = key\nname = name_en\n%s", ar ? "name-ar = name_ar\n" : "");
}

static void append_map_group(GString *s, const cm_init_project_data *p, const char *date)
{
    char *base = g_build_filename(p->data_dir, "..", "styles", "base.ini", NULL);
    char *styles = g_canonicalize_filename(base, NULL);
    char *file = g_path_get_basename(p->o->boundaries);
    g_string_append_printf(s, "# %s: a conflictmap project written by `conflictmap init` from %s "
                              "on %s.\n# Paths are relative to this file, but the house style's "
                              "and the bundled world's\n# (in neighbours.vrt, inset.vrt).\n\n",
                           p->name, file, date);
    g_string_append_printf(s, "[map]\ntitle = %s: who controls what\nsubtitle = Territorial "
                              "control by region\ndate = %s\n", p->title, date);
    g_string_append_printf(s, "# Projection: %s.\ncrs = %s\n", p->map.why, p->map.crs);
    append_extent(s, p);
    g_string_append_printf(s, "page = A4-%s\nstyles = %s, style.ini\n",
                           is_tall(&p->map) ? "portrait" : "landscape", styles);
    g_string_append_printf(s, "credit = Boundaries: %s. Countries: Natural Earth (public domain); "
                              "places: GeoNames (CC BY 4.0). Map: conflictmap.\n", file);
    g_free(base), g_free(styles), g_free(file);
}

cm_status cm_init_write_map(char **path, const cm_init_project_data *p, const char *date,
                            cm_ctx *ctx)
{
    GString *s = g_string_new(NULL);
    append_map_group(s, p, date);
    g_string_append(s, "\n");
    append_layer(s, "regions", "regions.geojson", TRUE, p->o->name_ar != NULL);
    g_string_append(s, "\n# The bundled world's countries near the map (the regions' own left out)\n");
    append_layer(s, "neighbours", "neighbours.vrt", FALSE, FALSE);
    g_string_append(s, "name = name_en\nname-ar = name_ar\n\n");
    append_layer(s, "border", "border.geojson", FALSE, FALSE);
    g_string_append(s, "\n# The bundled gazetteer's biggest towns inside the regions (GeoNames); "
                       "a ledger's\n# town:KEY rows name them\n");
    if (p->nplaces) {
        append_layer(s, "places", "places.csv", TRUE, TRUE);
        g_string_append(s, "kind = kind\nrank = rank\n");
    } else {
        /* a places layer with no rows is an error: the group waits for the user's towns */
        g_string_append(s, "# (none of its places lies inside the regions: add rows to "
                           "places.csv, then uncomment)\n# [places]\n# file = places.csv\n"
                           "# key = key\n# name = name_en\n# kind = kind\n# rank = rank\n");
    }
    g_string_append(s, "\n# One row per change of control; it starts "
                       "with every region not yet recorded\n");
    append_layer(s, "control", "control.csv", FALSE, FALSE);
    g_string_append(s, "\n");
    append_layer(s, "sources", "sources.csv", FALSE, FALSE);
    g_string_append(s, "\n");
    append_layer(s, "inset", "inset.vrt", FALSE, FALSE);
    append_box(s, p->inset.box);
    g_string_append_printf(s, "# %s\ncrs = %s\n", p->inset.why, p->inset.crs);
    char *name = g_strconcat(p->name, ".map", NULL);
    cm_status st = cm_init_write_text(p, name, s->str, ctx);
    if (st == CM_OK && path)
        *path = g_build_filename(p->dir, name, NULL);
    g_free(name);
    g_string_free(s, TRUE);
    return st;
}
