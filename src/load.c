/* Loading a map: the map file and its styles, then every layer read through OGR and
 * projected onto the page through PROJ, the ledger, zones and lines, and their validation.
 * Everything that does not depend on the date or the output is done here, once. */
#include "conflictmap/map.h"

#include "change.h"
#include "ctx.h"
#include "fonts.h"
#include "geodata.h"
#include "keyfile.h"
#include "ledger.h"
#include "map_impl.h"
#include "words.h"
#include "page.h"
#include "mapfile.h"
#include "style.h"
#include "timeline.h"

#include <math.h>
#include <openssl/evp.h>
#include <string.h>

static void placed_clear(placed_layer *pl)
{
    g_free(pl->anchor);
    g_free(pl->has_anchor);
    pl->anchor = NULL;
    pl->has_anchor = NULL;
    if (pl->layer)
        cm_shapes_free(pl->page, pl->layer->n);
    cm_layer_destroy(pl->layer);
    pl->layer = NULL;
    pl->page = NULL;
}

void cm_map_destroy(cm_map *map)
{
    if (!map)
        return;
    cm_details_free(map); /* first: their zones and lines are this map's */
    if (map->inset_border)
        cm_shapes_free(map->inset_border, map->border.layer->n);
    if (map->zones)
        cm_shapes_free(map->zones_page, map->zones->layer->n);
    if (map->lines)
        cm_shapes_free(map->lines_page, map->lines->layer->n);
    if (!map->borrowed) {
        cm_timeline_destroy(map->zones);
        cm_timeline_destroy(map->lines);
    }
    for (int i = 0; map->town_keys && i < map->places.layer->n; i++)
        g_free(map->town_keys[i]);
    g_free(map->town_keys);
    cm_cells_free(map);
    cm_change_forget(map);
    cm_details_free(map);
    if (map->land)
        cairo_surface_destroy(map->land);
    g_free(map->region_in_frame);
    g_free(map->label_xy);
    placed_clear(&map->regions);
    placed_clear(&map->neighbours);
    placed_clear(&map->border);
    placed_clear(&map->places);
    placed_clear(&map->inset);
    cm_projection_destroy(map->inset_proj);
    cm_projection_destroy(map->proj);
    g_free(map->inset_trace.xy);
    cm_shape_clear(&map->graticule);
    if (!map->borrowed) {
        cm_ledger_destroy(map->ledger);
        cm_sources_destroy(map->sources);
    }
    cm_events_destroy(map->events);
    cm_style_destroy(map->style);
    cm_mapfile_destroy(map->mf);
    if (map->inputs)
        g_ptr_array_unref(map->inputs);
    if (map->read_sums)
        g_ptr_array_unref(map->read_sums);
    g_free(map->data_sha256);
    g_free(map);
}

/* Area names go at each feature's interior point within the frame.  The point does not
 * depend on the date, so it is found once, at load, on the shape clamped to the frame and
 * thinned to a couple of points (a label's precision), which keeps the search cheap. */
static void find_anchors(const cm_map *map, placed_layer *pl)
{
    if (!pl->layer)
        return;
    const double *fr = map->frame;
    pl->anchor = g_new0(double, 2 * (size_t)pl->layer->n);
    pl->has_anchor = g_new0(gboolean, (size_t)pl->layer->n);
    for (int i = 0; i < pl->layer->n; i++) {
        const cm_shape *src = &pl->page[i];
        if (!pl->layer->features[i].name || src->nrings == 0)
            continue;
        cm_shape thin = {g_new0(cm_ring, (size_t)src->nrings), src->nrings};
        for (int r = 0; r < src->nrings; r++) {
            const cm_ring *ring = &src->rings[r];
            cm_ring *t = &thin.rings[r];
            t->xy = g_new(double, 2 * (size_t)ring->n);
            for (int k = 0; k < ring->n; k++) {
                t->xy[2 * k] = CLAMP(ring->xy[2 * k], fr[0] + 10, fr[0] + fr[2] - 10);
                t->xy[2 * k + 1] = CLAMP(ring->xy[2 * k + 1], fr[1] + 10, fr[1] + fr[3] - 10);
            }
            t->n = cm_ring_simplify(t->xy, ring->n, 1.0);
        }
        pl->has_anchor[i] = cm_interior_point(&thin, &pl->anchor[2 * i], &pl->anchor[2 * i + 1]);
        for (int r = 0; r < thin.nrings; r++)
            g_free(thin.rings[r].xy);
        g_free(thin.rings);
    }
}

/* Which regions reach into the frame (by their bounds): the legend lists only what the
 * frame shows, which on a detail (--focus) is a few districts of many. */
static void find_regions_in_frame(cm_map *map)
{
    const double *fr = map->frame;
    int n = map->regions.layer->n;
    map->region_in_frame = g_new0(gboolean, (size_t)n + 1);
    for (int i = 0; i < n; i++) {
        const cm_shape *sh = &map->regions.page[i];
        for (int r = 0; r < sh->nrings && !map->region_in_frame[i]; r++)
            for (int k = 0; k < sh->rings[r].n && !map->region_in_frame[i]; k++) {
                double x = sh->rings[r].xy[2 * k], y = sh->rings[r].xy[2 * k + 1];
                map->region_in_frame[i] = x >= fr[0] && y >= fr[1] && x <= fr[0] + fr[2] &&
                                          y <= fr[1] + fr[3];
            }
    }
}

/* Pango falls back silently to whatever font it finds; say so when the style's first family
 * is not installed, since the map will not look as designed. */
static void check_font(const cm_style *s, cm_ctx *ctx)
{
    char *used = NULL;
    if (!cm_font_installed(s->font, &used)) {
        char *first = g_strstrip(g_strdup(s->font));
        char *comma = strchr(first, ',');
        if (comma)
            *comma = '\0';
        cm_warn(ctx, "font \"%s\" is not installed; labels use \"%s\"", g_strstrip(first),
                used ? used : "a fallback");
        g_free(first);
    }
    g_free(used);
}

/* SHA-256 of one input and, for a shapefile, its .shx, .dbf, .prj and .cpg, each part with
 * its size (which fixes where one ends).  Files are mapped, not read, and hashed with
 * OpenSSL, which uses the CPU's SHA instructions: GLib's portable SHA-256 took a quarter of
 * the time of a million-vertex render.  *size receives the bytes hashed, -1 when none. */
static gboolean hash_file(const char *file, guint8 digest[32], gint64 *size)
{
    static const char *const sidecars[] = {"", ".shx", ".dbf", ".prj", ".cpg"};
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int len = 0;
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return FALSE;
    }
    gboolean shp = g_str_has_suffix(file, ".shp");
    *size = 0;
    for (size_t k = 0; k < (shp ? G_N_ELEMENTS(sidecars) : 1); k++) {
        char *path = g_strdup(file);
        if (k)
            strcpy(path + strlen(path) - 4, sidecars[k]);
        GMappedFile *mf = g_mapped_file_new(path, FALSE, NULL);
        gint64 n = mf ? (gint64)g_mapped_file_get_length(mf) : -1;
        EVP_DigestUpdate(md, &n, sizeof n);
        if (n > 0) {
            EVP_DigestUpdate(md, g_mapped_file_get_contents(mf), (size_t)n);
            *size += n;
        } else if (k == 0) {
            *size = -1;
        }
        if (mf)
            g_mapped_file_unref(mf);
        g_free(path);
    }
    EVP_DigestFinal_ex(md, digest, &len);
    EVP_MD_CTX_free(md);
    return len == 32;
}

/* Notes the digest of what was read from a source that is not a file ("" for a file, whose
 * bytes are hashed instead), for the fingerprint. */
static void note_read(cm_map *map, const char *read_sha256)
{
    if (!map->read_sums)
        map->read_sums = g_ptr_array_new_with_free_func(g_free);
    if (*read_sha256)
        g_ptr_array_add(map->read_sums, g_strdup(read_sha256));
}

/* The fingerprint written into every figure: SHA-256 over each input file's SHA-256, in
 * order, then over what was read from each source that is not a file (a database), in load
 * order, so that the same data give the same fingerprint and a changed row a different one.
 * "unavailable" when a file cannot be read. */
static char *fingerprint(const char *const *files, const GPtrArray *read_sums)
{
    EVP_MD_CTX *all = EVP_MD_CTX_new();
    unsigned char digest[32];
    unsigned int len = 0;
    gboolean ok = all && EVP_DigestInit_ex(all, EVP_sha256(), NULL);
    for (size_t i = 0; ok && files[i]; i++) {
        gint64 size = 0;
        guint8 d[32];
        ok = hash_file(files[i], d, &size) && size >= 0;
        EVP_DigestUpdate(all, d, sizeof d);
    }
    for (guint i = 0; ok && read_sums && i < read_sums->len; i++)
        EVP_DigestUpdate(all, read_sums->pdata[i], strlen(read_sums->pdata[i]));
    ok = ok && EVP_DigestFinal_ex(all, digest, &len) && len == 32;
    EVP_MD_CTX_free(all);
    if (!ok)
        return g_strdup("unavailable");
    GString *hex = g_string_sized_new(64);
    for (unsigned int i = 0; i < 32; i++)
        g_string_append_printf(hex, "%02x", digest[i]);
    return g_string_free(hex, FALSE);
}

static cm_status load_placed(cm_map *map, const cm_layer_spec *spec, placed_layer *pl,
                             GPtrArray *problems, cm_ctx *ctx)
{
    if (!spec->file)
        return CM_OK;
    /* a detail frame reads the regions and neighbours about its extent, not the country's:
     * half the extent again on every side, for the frame's corners (the projection bends
     * the extent's edges) and the cells of towns near them */
    const double *e = map->mf->extent;
    double dx = (e[2] - e[0]) / 2, dy = (e[3] - e[1]) / 2;
    double about[4] = {e[0] - dx, e[1] - dy, e[2] + dx, e[3] + dy};
    gboolean filter = map->part && (spec == &map->mf->regions || spec == &map->mf->neighbours);
    cm_status st = cm_layer_load_within(&pl->layer, spec, map->simplify_m, filter ? about : NULL,
                                        problems, ctx);
    if (st == CM_OK)
        note_read(map, pl->layer->read_sha256);
    if (st == CM_OK)
        st = cm_project_layer(&pl->page, map->proj, pl->layer, TOLERANCE_PT, ctx);
    return st;
}

/* Sites (oil fields, terminals, air bases) join the places after the towns: one layer of
 * points for the ledger ("site:KEY"), the symbols, the labels and queries;
 * map->first_site tells them apart. */
static cm_status load_points(cm_map *map, GPtrArray *problems, cm_ctx *ctx)
{
    placed_layer sites = {0};
    cm_status st = load_placed(map, &map->mf->places, &map->places, problems, ctx);
    if (st == CM_OK)
        st = load_placed(map, &map->mf->sites, &sites, problems, ctx);
    map->first_site = map->places.layer ? map->places.layer->n : 0;
    if (st != CM_OK || !sites.layer) {
        placed_clear(&sites);
        return st;
    }
    if (!map->places.layer) {
        map->places = sites;
        return CM_OK;
    }
    cm_layer *l = map->places.layer;
    size_t n = (size_t)l->n + (size_t)sites.layer->n;
    l->features = g_renew(cm_feature, l->features, n);
    map->places.page = g_renew(cm_shape, map->places.page, n);
    memcpy(l->features + l->n, sites.layer->features, sites.layer->n * sizeof *l->features);
    memcpy(map->places.page + l->n, sites.page, sites.layer->n * sizeof *sites.page);
    l->n = (int)n;
    /* the features and shapes now belong to the places */
    sites.layer->n = 0;
    g_clear_pointer(&sites.page, g_free);
    placed_clear(&sites);
    return CM_OK;
}

/* The inset gets its own projection onto a box in the frame's top-right corner, sized by
 * the style and the inset extent's shape. */
static cm_status load_inset(cm_map *map, GPtrArray *problems, cm_ctx *ctx)
{
    const cm_mapfile *mf = map->mf;
    if (!mf->inset.file || !map->style->inset || map->part)
        return CM_OK;
    double w = map->frame[2] * map->style->inset_width;
    double box[4] = {0, 0, w, w};
    cm_projection *probe = NULL;
    cm_status st = cm_projection_new(&probe, mf->inset_crs, mf->inset_extent, box, ctx);
    if (st != CM_OK)
        return st;
    /* height from the extent's projected shape: project its corners onto the square box */
    double x0, y0, x1, y1;
    cm_projection_lonlat_to_page(probe, mf->inset_extent[0], mf->inset_extent[3], &x0, &y0);
    cm_projection_lonlat_to_page(probe, mf->inset_extent[2], mf->inset_extent[1], &x1, &y1);
    double aspect = fabs(y1 - y0) / fmax(fabs(x1 - x0), 1e-9);
    cm_projection_destroy(probe);
    map->inset_size[0] = w;
    map->inset_size[1] = fmin(w * aspect, map->frame[3] * 0.5);
    double real[4] = {0, 0, map->inset_size[0], map->inset_size[1]};
    if ((st = cm_projection_new(&map->inset_proj, mf->inset_crs, mf->inset_extent, real, ctx)) != CM_OK)
        return st;
    /* a locator is a small picture: detail under half a point is noise, in PNG and PDF alike */
    double m_per_pt = cm_projection_ground_metres(map->inset_proj, real[2] / 2, real[3] / 2, 10) / 10;
    if ((st = cm_layer_load(&map->inset.layer, &mf->inset, isfinite(m_per_pt) ? 0.5 * m_per_pt : 0,
                            problems, ctx)) != CM_OK)
        return st;
    note_read(map, map->inset.layer->read_sha256);
    if ((st = cm_project_layer(&map->inset.page, map->inset_proj, map->inset.layer, 0.5, ctx)) != CM_OK)
        return st;
    if (map->border.layer)
        st = cm_project_layer(&map->inset_border, map->inset_proj, map->border.layer, 0.2, ctx);
    return st;
}

/* Zones or lines: loaded and projected. */
static cm_status load_timeline(cm_map *map, gboolean lines, cm_timeline **tl, cm_shape **page,
                               const cm_map *parent, GPtrArray *problems, cm_ctx *ctx)
{
    const char *path = lines ? map->mf->lines : map->mf->zones;
    if (!path)
        return CM_OK;
    cm_timeline *theirs = !parent ? NULL : lines ? parent->lines : parent->zones;
    if (theirs && g_strcmp0(path, lines ? parent->mf->lines : parent->mf->zones) == 0 &&
        g_strcmp0(lines ? map->mf->lines_layer : map->mf->zones_layer,
                  lines ? parent->mf->lines_layer : parent->mf->zones_layer) == 0) {
        /* a detail frame's are its map's, read once (a million-vertex zone was parsed twice)
         * and projected onto the detail's page from the lon/lat its map keeps till then */
        *tl = theirs;
        note_read(map, theirs->layer->read_sha256);
        return cm_project_layer(page, map->proj, theirs->layer, TOLERANCE_PT, ctx);
    }
    cm_status st = cm_timeline_load_layer(tl, path, lines ? map->mf->lines_layer
                                                          : map->mf->zones_layer,
                                          lines, problems, ctx);
    if (st != CM_OK)
        return st;
    note_read(map, (*tl)->layer->read_sha256);
    return cm_project_layer(page, map->proj, (*tl)->layer, TOLERANCE_PT, ctx);
}

/* Lon/lat geometry is only needed to project: drop it, and the source CRS, once done. */
static void drop_lonlat(cm_layer *layer)
{
    if (!layer)
        return;
    for (int i = 0; i < layer->n; i++)
        cm_shape_clear(&layer->features[i].shape);
    if (layer->srs && layer->srs_free)
        layer->srs_free(layer->srs);
    layer->srs = NULL;
}

/* An extent that shows none of the regions, or a projection that stretches the frame's scale
 * more than `limit`-fold from one part to another (the whole world in a conic projection),
 * renders an empty or absurd frame: said as a warning, by check and by render alike. */
static void warn_extent(const cm_map *map, cm_ctx *ctx)
{
    const double *fr = map->frame, *e = map->mf->extent, limit = 4;
    gboolean shown = FALSE;
    for (int i = 0; i < map->regions.layer->n && !shown; i++)
        shown = map->regions.page[i].nrings > 0;
    if (!shown)
        cm_warn(ctx, "%s: [map] extent %g, %g, %g, %g shows none of the regions of %s",
                map->mf->path, e[0], e[1], e[2], e[3], map->regions.layer->path);
    double lo = INFINITY, hi = 0;
    for (int i = 0; i < 9; i++) {
        double x = fr[0] + fr[2] * (0.1 + 0.4 * (i % 3)), y = fr[1] + fr[3] * (0.1 + 0.4 * (i / 3));
        double m = cm_projection_ground_metres(map->proj, x, y, 10);
        if (isfinite(m) && m > 0)
            lo = fmin(lo, m), hi = fmax(hi, m);
    }
    if (hi > limit * lo)
        cm_warn(ctx, "%s: the scale of crs \"%s\" varies %.0f-fold across the extent %g, %g, %g, "
                "%g: choose a projection for the region, or a smaller extent", map->mf->path,
                map->mf->crs, hi / lo, e[0], e[1], e[2], e[3]);
}

/* The geography: projection, layers, inset, and what drawing needs from PROJ. */
static cm_status load_geo(cm_map *map, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st;
    const double *fr = map->frame;
    if ((st = cm_projection_new(&map->proj, map->mf->crs, map->mf->extent, map->frame, ctx)) != CM_OK)
        return st;
    /* a fifth of the drawing tolerance, in metres on the ground at the frame's centre (the
     * scale varies across the frame by a few percent at most) */
    map->metres_per_pt = cm_projection_ground_metres(map->proj, fr[0] + fr[2] / 2,
                                                     fr[1] + fr[3] / 2, 100) / 100;
    map->simplify_m = isfinite(map->metres_per_pt) ? TOLERANCE_PT * map->metres_per_pt / 5 : 0;
    map->north = cm_projection_north(map->proj, fr[0] + fr[2] / 2, fr[1] + fr[3] / 2);
    map->label_xy = g_new0(double, 2 * (size_t)map->mf->nlabels + 2);
    for (int i = 0; i < map->mf->nlabels; i++)
        if (!cm_projection_lonlat_to_page(map->proj, map->mf->labels[i].at[0],
                                          map->mf->labels[i].at[1], &map->label_xy[2 * i],
                                          &map->label_xy[2 * i + 1]))
            map->label_xy[2 * i] = NAN;
    if ((st = load_placed(map, &map->mf->regions, &map->regions, problems, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->neighbours, &map->neighbours, problems, ctx)) != CM_OK ||
        (st = load_placed(map, &map->mf->border, &map->border, problems, ctx)) != CM_OK ||
        (st = load_points(map, problems, ctx)) != CM_OK ||
        (st = load_inset(map, problems, ctx)) != CM_OK)
        return st;
    warn_extent(map, ctx);
    if (map->inset_proj)
        cm_projection_trace_frame(&map->inset_trace, map->proj, map->frame, map->inset_proj);
    if (map->style->graticule)
        cm_projection_graticule(&map->graticule, map->proj, map->mf->extent,
                                map->style->graticule_step);
    cm_layer *layers[] = {map->regions.layer, map->neighbours.layer, map->border.layer,
                          map->places.layer, map->inset.layer};
    for (size_t i = 0; i < G_N_ELEMENTS(layers); i++)
        drop_lonlat(layers[i]);
    return CM_OK;
}

/* The events, their places projected onto the page (off the frame: no place shown). */
static cm_status load_events(cm_map *map, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = cm_events_load_layer(&map->events, map->mf->events, map->mf->events_layer,
                                        problems, ctx);
    const double *fr = map->frame;
    if (st == CM_OK)
        note_read(map, map->events->read_sha256);
    for (int i = 0; st == CM_OK && i < map->events->n; i++) {
        cm_event *e = &map->events->items[i];
        if (e->has_point)
            e->has_point = cm_projection_lonlat_to_page(map->proj, e->lon, e->lat, &e->x, &e->y) &&
                           e->x >= fr[0] && e->x <= fr[0] + fr[2] && e->y >= fr[1] &&
                           e->y <= fr[1] + fr[3];
    }
    return st;
}

/* What changes as the conflict does: the ledger (`layer` of `ledger`), zones and lines,
 * projected and (zones) cut to the border, whose page shapes are loaded by then. */
static cm_status load_time(cm_map *map, const char *ledger, const char *layer,
                           const cm_map *parent, GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st;
    if (parent) {
        /* a detail frame's ledger and sources are its map's, read and checked once: a
         * million-row ledger is not read twice */
        map->ledger = parent->ledger;
        map->sources = parent->sources;
        map->borrowed = TRUE;
    }
    if (!parent && map->mf->sources &&
        (st = cm_sources_load_layer(&map->sources, map->mf->sources, map->mf->sources_layer,
                                    problems, ctx)) != CM_OK)
        return st;
    if (map->sources)
        note_read(map, map->sources->read_sha256);
    if (map->mf->events && (st = load_events(map, problems, ctx)) != CM_OK)
        return st;
    if (!parent && (st = cm_ledger_load_layer(&map->ledger, ledger, layer, problems, ctx)) != CM_OK)
        return st;
    note_read(map, map->ledger->read_sha256);
    if ((st = load_timeline(map, FALSE, &map->zones, &map->zones_page, parent, problems, ctx)) != CM_OK ||
        (st = load_timeline(map, TRUE, &map->lines, &map->lines_page, parent, problems, ctx)) != CM_OK)
        return st;
    cm_gdal_quiet_begin();
    map->zones_on_land = map->zones && map->border.layer &&
                         cm_shapes_cut_to(&map->zones_page, map->zones->layer->n,
                                          map->border.page, map->border.layer->n);
    cm_gdal_quiet_end();
    return CM_OK;
}

cm_status cm_map_load(cm_map **out, const char *path, const cm_map_options *opts, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    return cm_map_load_checked(out, path, opts, NULL, ctx);
}

void cm_map_options_init(cm_map_options *opts)
{
    *opts = (cm_map_options){.size = sizeof *opts};
}

/* --focus NAME: the detail's extent and title replace the map's; a detail has no details of
 * its own. */
static cm_status apply_focus(cm_mapfile *mf, const char *focus, cm_ctx *ctx)
{
    const cm_detail *d = NULL;
    for (int i = 0; focus && i < mf->ndetails && !d; i++)
        if (strcmp(mf->details[i].name, focus) == 0)
            d = &mf->details[i];
    if (focus && !d) {
        GString *names = g_string_new(NULL);
        for (int i = 0; i < mf->ndetails; i++)
            g_string_append_printf(names, "%s%s", i ? ", " : "", mf->details[i].name);
        cm_status st = cm_fail(ctx, CM_EUSAGE, "%s has no [detail %s]%s%s%s", mf->path, focus,
                               names->len ? " (it has: " : "", names->str,
                               names->len ? ")" : "");
        g_string_free(names, TRUE);
        return st;
    }
    if (d) {
        memcpy(mf->extent, d->extent, sizeof mf->extent);
        g_free(mf->title);
        mf->title = g_strdup(d->title);
        cm_mapfile_words_focus(mf, d->name);
        for (int i = 0; i < mf->ndetails; i++) {
            g_free(mf->details[i].name);
            g_free(mf->details[i].title);
        }
        mf->ndetails = 0;
    }
    return CM_OK;
}

/* The map file and the style cascade (the map's styles, then the caller's), and the page
 * and frame they make: a detail's (part_size) fills its page under a heading. */
static cm_status load_map_and_style(cm_map *map, const char *path, const cm_map_options *opts,
                                    const double *part_size, GPtrArray *styles, cm_ctx *ctx)
{
    cm_status st;
    if ((st = cm_mapfile_load(&map->mf, path, ctx)) != CM_OK ||
        (st = apply_focus(map->mf, opts->focus, ctx)) != CM_OK)
        return st;
    for (char **s = map->mf->styles; *s; s++)
        g_ptr_array_add(styles, *s);
    for (size_t i = 0; opts->styles && opts->styles[i]; i++)
        g_ptr_array_add(styles, (gpointer)opts->styles[i]);
    g_ptr_array_add(styles, NULL);
    if ((st = cm_style_load(&map->style, (const char *const *)styles->pdata, ctx)) != CM_OK)
        return st;
    check_font(map->style, ctx);
    cm_mapfile_localise(map->mf, cm_words_lang(map->style)); /* a detail's: its heading */
    map->page_w = map->mf->page_w_mm * MM;
    map->page_h = map->mf->page_h_mm * MM;
    map->strip_h = map->mf->events ? CM_TIMELINE_STRIP : 0;
    cm_style_frame(map->style, map->page_w, map->page_h, map->strip_h, map->frame);
    if (part_size) {
        map->part = TRUE;
        map->strip_h = 0;
        map->page_w = part_size[0], map->page_h = part_size[1] + CM_DETAIL_HEADING;
        memcpy(map->frame, (double[]){0, CM_DETAIL_HEADING, part_size[0], part_size[1]},
               sizeof map->frame);
    }
    if (map->frame[2] < 20 || map->frame[3] < 20)
        return cm_fail(ctx, CM_ESTYLE, "%s: the page leaves no room for the map once margins, "
                       "title and sources are placed", path);
    return CM_OK;
}

/* Every input file, in order: what --watch watches, and the files of the fingerprint.  A
 * connection string is no file: it is neither listed (it may hold a password) nor watched;
 * what is read from it goes into the fingerprint instead (note_read). */
static void list_inputs(cm_map *map, const char *path, GPtrArray *styles, const char *ledger)
{
    const cm_mapfile *mf = map->mf;
    map->inputs = g_ptr_array_new_with_free_func(g_free);
    g_ptr_array_add(map->inputs, g_strdup(path));
    for (guint i = 0; i + 1 < styles->len; i++)
        g_ptr_array_add(map->inputs, g_strdup(styles->pdata[i]));
    const char *files[] = {ledger, mf->zones, mf->lines, mf->regions.file, mf->neighbours.file,
                           mf->border.file, mf->places.file, mf->sites.file,
                           map->style->inset ? mf->inset.file : NULL, mf->sources, mf->events};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        if (files[i] && cm_datasource_is_file(files[i]))
            g_ptr_array_add(map->inputs, g_strdup(files[i]));
    g_ptr_array_add(map->inputs, NULL);
}

/* The map file's date, or else the latest date in the ledger. */
static GDate default_date(const cm_map *map)
{
    if (g_date_valid(&map->mf->date))
        return map->mf->date;
    GDate date = ((cm_ledger_row *)map->ledger->rows->pdata[0])->date;
    for (guint i = 1; i < map->ledger->rows->len; i++) {
        const GDate *d = &((cm_ledger_row *)map->ledger->rows->pdata[i])->date;
        if (g_date_compare(d, &date) > 0)
            date = *d;
    }
    return date;
}

static cm_status load_any(cm_map **out, const char *path, const cm_map_options *opts_in,
                          const double *part_size, const cm_map *parent, GPtrArray *problems,
                          cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_map_options opts;

    *out = NULL;
    cm_map_options_init(&opts);
    if (cm_options_read(&opts, sizeof opts, opts_in, "cm_map_options", ctx) != CM_OK)
        return CM_EUSAGE;
    cm_map *map = g_new0(cm_map, 1);
    GPtrArray *styles = g_ptr_array_new();
    if ((st = load_map_and_style(map, path, &opts, part_size, styles, ctx)) != CM_OK)
        goto cleanup;
    const char *ledger = opts.control ? opts.control : map->mf->control;
    const char *ledger_layer = opts.control ? NULL : map->mf->control_layer;
    list_inputs(map, path, styles, ledger);
    /* the data, read through OGR and projected through PROJ, then checked */
    if ((st = load_geo(map, problems, ctx)) != CM_OK)
        goto cleanup;
    find_anchors(map, &map->regions);
    find_anchors(map, &map->neighbours);
    if ((st = load_time(map, ledger, ledger_layer, parent, problems, ctx)) != CM_OK ||
        (st = cm_map_check_data(map, ledger, problems, ctx)) != CM_OK)
        goto cleanup;
    /* a detail frame's data are its map's, hashed once */
    map->data_sha256 = parent ? g_strdup(parent->data_sha256)
                              : fingerprint((const char *const *)map->inputs->pdata, map->read_sums);
    map->max_rank = map->mf->ndetails > 0 ? CM_MAIN_MAX_RANK : G_MAXINT;
    cm_cells_build(map);
    cm_land_build(map);
    find_regions_in_frame(map);
    if (!part_size && (st = cm_details_load(map, path, &opts, problems, ctx)) != CM_OK)
        goto cleanup;
    if (!parent) { /* the details have projected them too */
        drop_lonlat(map->zones ? map->zones->layer : NULL);
        drop_lonlat(map->lines ? map->lines->layer : NULL);
    }
    map->date = default_date(map);
    *out = map;
    map = NULL;
cleanup:
    g_ptr_array_free(styles, TRUE);
    cm_map_destroy(map);
    return st;
}

cm_status cm_map_load_checked(cm_map **out, const char *path, const cm_map_options *opts,
                              GPtrArray *problems, cm_ctx *ctx)
{
    return load_any(out, path, opts, NULL, NULL, problems, ctx);
}

cm_status cm_map_load_part(cm_map **out, const cm_map *parent, const char *path,
                           const cm_map_options *opts, const double size[2], GPtrArray *problems,
                           cm_ctx *ctx)
{
    return load_any(out, path, opts, size, parent, problems, ctx);
}
