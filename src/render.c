#define _GNU_SOURCE /* dladdr: where the library is, to find its data */
/* The map and its rendering: the pipeline's driver.  Loading does every stage that does not
 * depend on the date or the output (parse, load, project); rendering resolves control on the
 * date, draws, places labels and writes. */
#include "conflictmap/conflictmap.h"
#include "conflictmap/render.h"

#include "cache.h"
#include "ctx.h"
#include "draw.h"
#include "fonts.h"
#include "io.h"
#include "keyfile.h"
#include "labels.h"
#include "layout.h"
#include "ledger.h"
#include "map_impl.h"
#include "mapfile.h"
#include "output.h"
#include "render_stats.h"
#include "style.h"
#include "timeline.h"

#include <dlfcn.h>
#include <math.h>
#include <openssl/evp.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
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
    if (map->inset_border)
        cm_shapes_free(map->inset_border, map->border.layer->n);
    if (map->zones)
        cm_shapes_free(map->zones_page, map->zones->layer->n);
    if (map->lines)
        cm_shapes_free(map->lines_page, map->lines->layer->n);
    cm_timeline_destroy(map->zones);
    cm_timeline_destroy(map->lines);
    for (int i = 0; map->town_keys && i < map->places.layer->n; i++)
        g_free(map->town_keys[i]);
    g_free(map->town_keys);
    placed_clear(&map->regions);
    placed_clear(&map->neighbours);
    placed_clear(&map->border);
    placed_clear(&map->places);
    placed_clear(&map->inset);
    if (map->proj || map->inset_proj) { /* made by the data module, loaded by then */
        const cm_io_api *io = cm_io(NULL);
        io->projection_destroy(map->inset_proj);
        io->projection_destroy(map->proj);
    }
    g_free(map->inset_trace.xy);
    cm_shape_clear(&map->graticule);
    g_strfreev(map->geo_warnings);
    g_strfreev(map->time_warnings);
    cm_ledger_destroy(map->ledger);
    cm_style_destroy(map->style);
    cm_mapfile_destroy(map->mf);
    if (map->inputs)
        g_ptr_array_unref(map->inputs);
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
                double x = CLAMP(ring->xy[2 * k], fr[0] + 10, fr[0] + fr[2] - 10);
                double y = CLAMP(ring->xy[2 * k + 1], fr[1] + 10, fr[1] + fr[3] - 10);
                if (t->n > 0 && k < ring->n - 1 &&
                    hypot(x - t->xy[2 * t->n - 2], y - t->xy[2 * t->n - 1]) < 4.0)
                    continue;
                t->xy[2 * t->n] = x, t->xy[2 * t->n + 1] = y;
                t->n++;
            }
        }
        pl->has_anchor[i] = cm_interior_point(&thin, &pl->anchor[2 * i], &pl->anchor[2 * i + 1]);
        for (int r = 0; r < thin.nrings; r++)
            g_free(thin.rings[r].xy);
        g_free(thin.rings);
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

/* The fingerprint written into every figure (SHA-256 over each input's SHA-256, in order:
 * the same inputs, the same fingerprint) and the load cache's two keys: the geography's
 * (map file, styles, layers) and the time data's (that key, ledger, zones, lines), each over
 * the files' names, sizes and digests and the versions of this library, GDAL and PROJ.
 * `time` flags the inputs of the second kind.  On a failure the keys are all zeros: never
 * stored nor looked up. */
static char *hash_inputs(const char *const *files, const gboolean *time, guint8 geo_key[32],
                         guint8 time_key[32])
{
    static const char salt[] = "conflictmap load cache\n" CM_VERSION "\n" CM_IO_VERSIONS "\n";
    EVP_MD_CTX *all = EVP_MD_CTX_new(), *geo = EVP_MD_CTX_new(), *tm = EVP_MD_CTX_new();
    unsigned char digest[32];
    unsigned int len = 0;
    gboolean ok = all && geo && tm && EVP_DigestInit_ex(all, EVP_sha256(), NULL) &&
                  EVP_DigestInit_ex(geo, EVP_sha256(), NULL) &&
                  EVP_DigestInit_ex(tm, EVP_sha256(), NULL);
    if (ok) {
        EVP_DigestUpdate(geo, "geography\n", 10);
        EVP_DigestUpdate(geo, salt, sizeof salt);
        EVP_DigestUpdate(tm, "time\n", 5);
        EVP_DigestUpdate(tm, salt, sizeof salt);
    }
    for (size_t i = 0; ok && files[i]; i++) {
        gint64 size = 0;
        guint8 d[32];
        ok = hash_file(files[i], d, &size);
        EVP_MD_CTX *key = time[i] ? tm : geo;
        EVP_DigestUpdate(key, files[i], strlen(files[i]) + 1);
        EVP_DigestUpdate(key, &size, sizeof size);
        EVP_DigestUpdate(key, d, sizeof d);
        EVP_DigestUpdate(all, d, sizeof d);
    }
    if (ok && EVP_DigestFinal_ex(geo, geo_key, &len) && len == 32) {
        EVP_DigestUpdate(tm, geo_key, 32);
        ok = EVP_DigestFinal_ex(tm, time_key, &len) && len == 32 &&
             EVP_DigestFinal_ex(all, digest, &len) && len == 32;
    } else {
        ok = FALSE;
    }
    EVP_MD_CTX_free(all);
    EVP_MD_CTX_free(geo);
    EVP_MD_CTX_free(tm);
    if (!ok) {
        memset(geo_key, 0, 32);
        memset(time_key, 0, 32);
        return g_strdup("unavailable");
    }
    GString *hex = g_string_sized_new(64);
    for (unsigned int i = 0; i < 32; i++)
        g_string_append_printf(hex, "%02x", digest[i]);
    return g_string_free(hex, FALSE);
}

/* Gives again warnings that loading gave when it stored what it read. */
static void say_again(cm_ctx *ctx, char **warnings)
{
    for (char **w = warnings; w && *w; w++)
        cm_warn(ctx, "%s", *w);
}

/* Copies the warnings ctx received since `before` of them. */
static char **warnings_since(cm_ctx *ctx, size_t before)
{
    size_t after = 0;
    const char *const *w = cm_ctx_warnings(ctx, &after);
    char **out = g_new0(char *, after - before + 1);
    for (size_t i = before; i < after; i++)
        out[i - before] = g_strdup(w[i]);
    return out;
}

cm_status cm_map_load(cm_map **out, const char *path, const cm_map_options *opts, cm_ctx *ctx)
{
    return cm_map_load_checked(out, path, opts, NULL, ctx);
}

void cm_map_options_init(cm_map_options *opts)
{
    *opts = (cm_map_options){.size = sizeof *opts};
}

cm_status cm_map_load_checked(cm_map **out, const char *path, const cm_map_options *opts_in,
                              GPtrArray *problems, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_map *map = NULL;
    GPtrArray *styles = NULL;
    GHashTable *keys = NULL;
    char *cache_dir = NULL;
    cm_map_options o;

    *out = NULL;
    cm_map_options_init(&o);
    if (cm_options_read(&o, sizeof o, opts_in, "cm_map_options", ctx) != CM_OK)
        return CM_EUSAGE;
    const cm_map_options *opts = &o;
    map = g_new0(cm_map, 1);
    styles = g_ptr_array_new();
    if ((st = cm_mapfile_load(&map->mf, path, ctx)) != CM_OK)
        goto cleanup;
    for (char **s = map->mf->styles; *s; s++)
        g_ptr_array_add(styles, *s);
    for (size_t i = 0; opts && opts->styles && opts->styles[i]; i++)
        g_ptr_array_add(styles, (gpointer)opts->styles[i]);
    g_ptr_array_add(styles, NULL);
    if ((st = cm_style_load(&map->style, (const char *const *)styles->pdata, ctx)) != CM_OK)
        goto cleanup;
    check_font(map->style, ctx);

    map->page_w = map->mf->page_w_mm * MM;
    map->page_h = map->mf->page_h_mm * MM;
    cm_layout_frame(map->style, map->page_w, map->page_h, map->frame);
    if (map->frame[2] < 20 || map->frame[3] < 20) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: the page leaves no room for the map once margins, title "
                     "and sources are placed", path);
        goto cleanup;
    }

    /* every input, hashed: the figure's fingerprint and the load cache's keys */
    const char *ledger = opts && opts->control ? opts->control : map->mf->control;
    map->inputs = g_ptr_array_new_with_free_func(g_free);
    GArray *time = g_array_new(FALSE, TRUE, sizeof(gboolean));
    gboolean no = FALSE;
    g_ptr_array_add(map->inputs, g_strdup(path));
    g_array_append_val(time, no);
    for (guint i = 0; i + 1 < styles->len; i++) {
        g_ptr_array_add(map->inputs, g_strdup(styles->pdata[i]));
        g_array_append_val(time, no);
    }
    const char *files[] = {ledger, map->mf->zones, map->mf->lines, map->mf->regions.file,
                           map->mf->neighbours.file, map->mf->border.file, map->mf->places.file,
                           map->style->inset ? map->mf->inset.file : NULL};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        if (files[i]) {
            gboolean is_time = i < 3; /* ledger, zones, lines */
            g_ptr_array_add(map->inputs, g_strdup(files[i]));
            g_array_append_val(time, is_time);
        }
    g_ptr_array_add(map->inputs, NULL);
    guint8 geo_key[32], time_key[32];
    map->data_sha256 = hash_inputs((const char *const *)map->inputs->pdata,
                                   (const gboolean *)time->data, geo_key, time_key);
    g_array_free(time, TRUE);

    /* the data: each part from the cache, or read and projected through the data module */
    cache_dir = problems ? NULL : cm_cache_dir();
    gboolean geo_hit = cache_dir && cm_cache_restore(map, cache_dir, CM_CACHE_GEO, geo_key);
    gboolean time_hit = geo_hit && cm_cache_restore(map, cache_dir, CM_CACHE_TIME, time_key);
    const cm_io_api *io = geo_hit && time_hit ? NULL : cm_io(ctx);
    if (!(geo_hit && time_hit) && !io) {
        st = CM_EINTERNAL;
        goto cleanup;
    }
    size_t before = 0;
    if (geo_hit) {
        say_again(ctx, map->geo_warnings);
    } else {
        cm_ctx_warnings(ctx, &before);
        if ((st = io->load_geo(map, ctx)) != CM_OK)
            goto cleanup;
        map->geo_warnings = warnings_since(ctx, before);
        find_anchors(map, &map->regions);
        find_anchors(map, &map->neighbours);
    }
    if (time_hit) {
        say_again(ctx, map->time_warnings);
    } else {
        cm_ctx_warnings(ctx, &before);
        if ((st = io->load_time(map, ledger, problems, ctx)) != CM_OK)
            goto cleanup;
        map->time_warnings = warnings_since(ctx, before);
    }

    keys = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = 0; i < map->regions.layer->n; i++) {
        const cm_feature *f = &map->regions.layer->features[i];
        if (!f->key) {
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld has an empty key", map->mf->regions.file,
                         f->fid);
            goto cleanup;
        }
        if (g_hash_table_contains(keys, f->key)) {
            st = cm_fail(ctx, CM_EINPUT, "%s: feature %ld repeats the key \"%s\"",
                         map->mf->regions.file, f->fid, f->key);
            goto cleanup;
        }
        g_hash_table_add(keys, f->key);
    }
    if (map->places.layer) {
        map->town_keys = g_new0(char *, (size_t)map->places.layer->n + 1);
        for (int i = 0; i < map->places.layer->n; i++) {
            const cm_feature *f = &map->places.layer->features[i];
            if (!f->key)
                continue;
            map->town_keys[i] = g_strconcat("town:", f->key, NULL);
            g_hash_table_add(keys, map->town_keys[i]);
        }
    }
    if ((st = cm_ledger_check(map->ledger, keys, map->style, problems, ctx)) != CM_OK ||
        (map->zones && (st = cm_timeline_check(map->zones, map->style, problems, ctx)) != CM_OK) ||
        (map->lines && (st = cm_timeline_check(map->lines, map->style, problems, ctx)) != CM_OK))
        goto cleanup;
    if (map->ledger->rows->len == 0) {
        st = cm_fail(ctx, CM_EINPUT, "%s: the ledger has no valid rows", ledger);
        goto cleanup;
    }

    if (g_date_valid(&map->mf->date)) {
        map->date = map->mf->date;
    } else {
        /* no date in the map: the latest date in the ledger */
        map->date = ((cm_ledger_row *)map->ledger->rows->pdata[0])->date;
        for (guint i = 1; i < map->ledger->rows->len; i++) {
            const GDate *d = &((cm_ledger_row *)map->ledger->rows->pdata[i])->date;
            if (g_date_compare(d, &map->date) > 0)
                map->date = *d;
        }
    }
    if (cache_dir && !geo_hit)
        cm_cache_store(map, cache_dir, CM_CACHE_GEO, geo_key);
    if (cache_dir && !time_hit)
        cm_cache_store(map, cache_dir, CM_CACHE_TIME, time_key);
    *out = map;
    map = NULL;
cleanup:
    g_free(cache_dir);
    if (keys)
        g_hash_table_unref(keys);
    g_ptr_array_free(styles, TRUE);
    cm_map_destroy(map);
    return st;
}

cm_status cm_map_set_date(cm_map *map, const char *date, cm_ctx *ctx)
{
    GDate d;
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    map->date = d;
    return CM_OK;
}

static void iso_date(const GDate *d, char buf[11])
{
    g_snprintf(buf, 11, "%04d-%02d-%02d", g_date_get_year(d), g_date_get_month(d), g_date_get_day(d));
}

void cm_map_get_date(const cm_map *map, char buf[11])
{
    iso_date(&map->date, buf);
}

void cm_map_page_size(const cm_map *map, double *width, double *height)
{
    *width = map->page_w;
    *height = map->page_h;
}

/* The map's projection, made through the data module when the map came from the cache. */
static const cm_projection *map_projection(const cm_map *map)
{
    cm_map *m = (cm_map *)map; /* made once, on first use */
    const cm_io_api *io = cm_io(NULL);
    if (!m->proj && io) {
        cm_ctx *ctx = cm_ctx_new();
        if (io->projection_new(&m->proj, map->mf->crs, map->mf->extent, map->frame, ctx) != CM_OK)
            m->proj = NULL;
        cm_ctx_destroy(ctx);
    }
    return m->proj;
}

int cm_map_lonlat_to_page(const cm_map *map, double lon, double lat, double *x, double *y)
{
    const cm_projection *p = map_projection(map);
    return p && cm_io(NULL)->lonlat_to_page(p, lon, lat, x, y) ? 0 : -1;
}

const char *const *cm_map_input_files(const cm_map *map)
{
    return (const char *const *)map->inputs->pdata;
}

int cm_map_page_to_lonlat(const cm_map *map, double x, double y, double *lon, double *lat)
{
    const cm_projection *p = map_projection(map);
    return p && cm_io(NULL)->page_to_lonlat(p, x, y, lon, lat) ? 0 : -1;
}

/* The bundled map: $CONFLICTMAP_DATA; else beside this library as installed
 * (LIBDIR/../share/conflictmap, wherever the prefix was moved); else the configured data
 * directory; else, for a library still in its build tree, the source tree. */
const char *cm_default_map_path(void)
{
    static gsize once = 0;
    static char *path = NULL;
    if (g_once_init_enter(&once)) {
        GPtrArray *c = g_ptr_array_new_with_free_func(g_free);
        const char *env = g_getenv("CONFLICTMAP_DATA");
        if (env && *env)
            g_ptr_array_add(c, g_build_filename(env, "geodata", "libya.map", NULL));
        Dl_info info;
        if (dladdr((void *)cm_default_map_path, &info) && info.dli_fname) {
            char *real = realpath(info.dli_fname, NULL);
            char *dir = g_path_get_dirname(real ? real : info.dli_fname);
            gboolean in_build = g_str_has_prefix(dir, CM_BUILD_DIR);
            g_ptr_array_add(c, g_build_filename(dir, CM_LIB_TO_DATA, "geodata", "libya.map", NULL));
            g_ptr_array_add(c, g_strdup(CM_DATADIR "/geodata/libya.map"));
            if (in_build)
                g_ptr_array_add(c, g_strdup(CM_SOURCE_DIR "/geodata/libya.map"));
            g_free(dir);
            free(real);
        } else {
            g_ptr_array_add(c, g_strdup(CM_DATADIR "/geodata/libya.map"));
        }
        for (guint i = 0; i < c->len && !path; i++)
            if (g_file_test(c->pdata[i], G_FILE_TEST_IS_REGULAR))
                path = g_strdup(c->pdata[i]);
        if (!path) /* named in the error that follows */
            path = g_strdup(c->len ? c->pdata[0] : CM_DATADIR "/geodata/libya.map");
        g_ptr_array_unref(c);
        g_once_init_leave(&once, 1);
    }
    return path;
}

/* ---- rendering ---------------------------------------------------------------------- */

/* What one page shows: a date, or the changes between two dates. */
typedef struct {
    GDate date;
    gboolean diff;
    GDate from; /* with diff: the earlier date */
} page_spec;

/* Control on the page's date: each region's and town's row in force, and in a change map the
 * rows on the earlier date too. */
typedef struct {
    const page_spec *spec;
    const cm_ledger_row **rows, **towns;           /* parallel to regions and places; NULL = none */
    const cm_ledger_row **rows_from, **towns_from; /* diff only */
} control_state;

static const cm_ledger_row **rows_for(const cm_map *map, const cm_layer *layer, gboolean towns,
                                      const GDate *date)
{
    if (!layer)
        return NULL;
    const cm_ledger_row **rows = g_new0(const cm_ledger_row *, (size_t)layer->n);
    for (int i = 0; i < layer->n; i++) {
        const char *key = towns ? map->town_keys[i] : layer->features[i].key;
        rows[i] = key ? cm_ledger_state(map->ledger, key, date) : NULL;
    }
    return rows;
}

static control_state control_on(const cm_map *map, const page_spec *spec)
{
    control_state cs = {.spec = spec};
    cs.rows = rows_for(map, map->regions.layer, FALSE, &spec->date);
    cs.towns = rows_for(map, map->places.layer, TRUE, &spec->date);
    if (spec->diff) {
        cs.rows_from = rows_for(map, map->regions.layer, FALSE, &spec->from);
        cs.towns_from = rows_for(map, map->places.layer, TRUE, &spec->from);
    }
    return cs;
}

static void control_clear(control_state *cs)
{
    g_free(cs->rows);
    g_free(cs->towns);
    g_free(cs->rows_from);
    g_free(cs->towns_from);
}

/* Whether control changed between two rows: holder, status or parties. */
static gboolean changed(const cm_ledger_row *a, const cm_ledger_row *b)
{
    if (!a || !b)
        return a != b;
    if (strcmp(a->controller, b->controller) || a->status != b->status)
        return TRUE;
    char *pa = a->parties ? g_strjoinv(";", a->parties) : g_strdup("");
    char *pb = b->parties ? g_strjoinv(";", b->parties) : g_strdup("");
    gboolean d = strcmp(pa, pb) != 0;
    g_free(pa);
    g_free(pb);
    return d;
}

/* A colour halfway to white: claimed, unconfirmed ground. */
static cm_rgba lighten(cm_rgba c, double k)
{
    return (cm_rgba){c.r + (1 - c.r) * k, c.g + (1 - c.g) * k, c.b + (1 - c.b) * k, c.a};
}

/* How an area with this control is painted: its holder's colour and pattern; stripes of the
 * parties that contest it; lighter where only claimed; or the no-data fill. */
static cm_paint control_paint(const cm_style *s, const char *holder, cm_control_status status,
                              char **parties)
{
    cm_paint p = {.n = 1, .pattern = CM_PATTERN_SOLID};
    if (!holder) {
        p.colors[0] = s->unknown_fill;
    } else if (status == CM_CONTESTED && parties) {
        p.n = 0;
        for (char **id = parties; *id && p.n < 4; id++)
            p.colors[p.n++] = cm_style_controller(s, *id)->fill;
    } else {
        const cm_controller *c = cm_style_controller(s, holder);
        p.colors[0] = status == CM_CLAIMED ? lighten(c->fill, 0.55) : c->fill;
        p.pattern = c->pattern;
        p.pattern_color = c->pattern_color;
    }
    return p;
}

static cm_paint row_paint(const cm_style *s, const cm_ledger_row *r)
{
    return r ? control_paint(s, r->controller, r->status, r->parties)
             : control_paint(s, NULL, CM_HELD, NULL);
}

/* In a change map: what changed hands is painted as it is now; the rest is neutral. */
static cm_paint diff_paint(const cm_style *s, const cm_ledger_row *from, const cm_ledger_row *to)
{
    if (changed(from, to) && to)
        return row_paint(s, to);
    cm_paint p = {.colors = {s->unknown_fill}, .n = 1};
    return p;
}

/* The besiegers' ring: a band inside the area's edge in the first besieger's colour. */
static void draw_siege_band(cairo_t *cr, const cm_shape *shape, const cm_style *s,
                            const cm_ledger_row *r, double width)
{
    cairo_save(cr);
    cairo_new_path(cr);
    cm_draw_shape_path(cr, shape, TRUE);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip_preserve(cr);
    cm_draw_set_color(cr, cm_style_controller(s, r->parties[0])->fill);
    cairo_set_line_width(cr, 2 * width);
    cairo_set_dash(cr, (double[]){3, 1.5}, 2, 0);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Parts of a page drawn once for a whole series: recordings that every page paints.  In a
 * PDF each becomes one form object that every page refers to, instead of the same paths
 * written, formatted and compressed again on every page. */
typedef struct {
    cairo_surface_t *base, *inset;
    GHashTable *labels; /* see cm_labeler_draw */
    GHashTable *bodies; /* body_key -> recording of draw_body */
    GHashTable *halos;  /* label halos glyph by glyph (PDF): see cm_labeler_draw */
    GHashTable *parts;  /* pieces of page bodies, by what they show: see part_begin */
    cairo_rectangle_t page;
} page_cache;

/* Drawing a part of a page through the series' cache: part_begin returns NULL when the part
 * (named by `key`, which says everything it shows) was drawn before, and has been painted;
 * else a context to draw it on, which part_end records and paints.  Without a cache, the
 * part is drawn directly.  A state of control that a series returns to, or a district that
 * keeps its colour from one week to the next, is then one form in the PDF. */
static cairo_t *part_begin(cairo_t *cr, const page_cache *cache, const char *key)
{
    if (!cache || !cache->parts)
        return cairo_reference(cr);
    cairo_surface_t *rec = g_hash_table_lookup(cache->parts, key);
    if (rec) {
        cairo_set_source_surface(cr, rec, 0, 0);
        cairo_paint(cr);
        return NULL;
    }
    /* bounded: nested in a page body, unbounded recordings lost whole districts in cairo
     * 1.16's PDF (test /timeline/series-pages-as-alone) */
    rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &cache->page);
    g_hash_table_insert(cache->parts, g_strdup(key), rec);
    return cairo_create(rec);
}

static void part_end(cairo_t *cr, cairo_t *part, const page_cache *cache, const char *key)
{
    cairo_destroy(part);
    if (!cache || !cache->parts)
        return;
    cairo_set_source_surface(cr, g_hash_table_lookup(cache->parts, key), 0, 0);
    cairo_paint(cr);
}

/* A paint as text, for part keys. */
static void paint_key(GString *k, const cm_paint *p)
{
    g_string_append_printf(k, "%d/%d/%.4f,%.4f,%.4f,%.4f", p->n, (int)p->pattern,
                           p->pattern_color.r, p->pattern_color.g, p->pattern_color.b,
                           p->pattern_color.a);
    for (int i = 0; i < p->n; i++)
        g_string_append_printf(k, "/%.4f,%.4f,%.4f,%.4f", p->colors[i].r, p->colors[i].g,
                               p->colors[i].b, p->colors[i].a);
}

static void draw_regions(cairo_t *cr, const cm_map *map, const control_state *cs,
                         const page_cache *cache)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->regions.layer;
    GString *key = g_string_new(NULL);
    for (int i = 0; i < l->n; i++) {
        cm_paint p = cs->spec->diff ? diff_paint(s, cs->rows_from[i], cs->rows[i])
                                    : row_paint(s, cs->rows[i]);
        gboolean siege = !cs->spec->diff && cs->rows[i] && cs->rows[i]->status == CM_BESIEGED;
        g_string_printf(key, "region %d ", i);
        paint_key(key, &p);
        if (siege)
            g_string_append_printf(key, " siege %s", cs->rows[i]->parties[0]);
        cairo_t *pc = part_begin(cr, cache, key->str);
        if (!pc)
            continue;
        cm_draw_paint(pc, &map->regions.page[i], &p, s->hatch_width, s->hatch_angle);
        if (siege)
            draw_siege_band(pc, &map->regions.page[i], s, cs->rows[i], 2.5);
        part_end(cr, pc, cache, key->str);
    }
    g_string_free(key, TRUE);
    cairo_t *pc = part_begin(cr, cache, "region strokes");
    if (pc) {
        for (int i = 0; i < l->n; i++)
            cm_draw_stroke(pc, &map->regions.page[i], TRUE, s->rg_stroke, s->rg_width);
        part_end(cr, pc, cache, "region strokes");
    }
}

/* Zones in force, over the districts, clipped to the land inside the national border. */
/* Which of a timeline's items are in force on the page's date, as text: a part's key. */
static char *active_key(const char *what, const cm_timeline *tl, const GDate *date)
{
    GString *k = g_string_new(what);
    g_string_append_c(k, ' ');
    for (int i = 0; i < tl->layer->n; i++)
        g_string_append_c(k, cm_timed_active(&tl->items[i], date) ? '1' : '0');
    return g_string_free(k, FALSE);
}

static void draw_zones(cairo_t *page, const cm_map *map, const control_state *cs,
                       const page_cache *cache)
{
    const cm_style *s = map->style;
    if (!map->zones || cs->spec->diff)
        return;
    char *key = active_key("zones", map->zones, &cs->spec->date);
    cairo_t *cr = part_begin(page, cache, key);
    if (!cr) {
        g_free(key);
        return;
    }
    cairo_save(cr);
    if (map->border.layer && !map->zones_on_land) {
        cairo_new_path(cr);
        for (int i = 0; i < map->border.layer->n; i++)
            cm_draw_shape_path(cr, &map->border.page[i], TRUE);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        cairo_clip(cr);
    }
    for (int i = 0; i < map->zones->layer->n; i++) {
        const cm_timed *z = &map->zones->items[i];
        if (!cm_timed_active(z, &cs->spec->date))
            continue;
        cm_paint p = control_paint(s, z->actor, z->status, z->parties);
        cm_draw_paint(cr, &map->zones_page[i], &p, s->hatch_width, s->hatch_angle);
        cm_rgba edge = cm_style_controller(s, z->actor)->fill;
        edge.r *= 0.6, edge.g *= 0.6, edge.b *= 0.6;
        cm_draw_stroke(cr, &map->zones_page[i], TRUE, edge, 0.5);
    }
    cairo_restore(cr);
    part_end(page, cr, cache, key);
    g_free(key);
}

/* A line smoothed by two rounds of corner cutting, so arrows bend smoothly. */
static GArray *smooth(const cm_ring *ring)
{
    GArray *pts = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    for (int i = 0; i < ring->n; i++)
        g_array_append_vals(pts, &ring->xy[2 * i], 1);
    for (int round = 0; round < 2 && pts->len > 2; round++) {
        GArray *next = g_array_new(FALSE, FALSE, sizeof(double) * 2);
        double *p = (double *)pts->data;
        g_array_append_vals(next, p, 1);
        for (guint i = 0; i + 1 < pts->len; i++) {
            double q[2] = {0.75 * p[2 * i] + 0.25 * p[2 * i + 2], 0.75 * p[2 * i + 1] + 0.25 * p[2 * i + 3]};
            double r[2] = {0.25 * p[2 * i] + 0.75 * p[2 * i + 2], 0.25 * p[2 * i + 1] + 0.75 * p[2 * i + 3]};
            if (i > 0)
                g_array_append_vals(next, q, 1);
            if (i + 2 < pts->len)
                g_array_append_vals(next, r, 1);
        }
        g_array_append_vals(next, &p[2 * (pts->len - 1)], 1);
        g_array_free(pts, TRUE);
        pts = next;
    }
    return pts;
}

/* A tapered arrow along the line: the shaft widens from w0 to w1, then an arrowhead. */
static void arrow_path(cairo_t *cr, const cm_ring *ring, double w0, double w1, double head)
{
    GArray *pts = smooth(ring);
    int n = (int)pts->len;
    double *p = (double *)pts->data;
    double *len = g_new0(double, (size_t)n);
    for (int i = 1; i < n; i++)
        len[i] = len[i - 1] + hypot(p[2 * i] - p[2 * i - 2], p[2 * i + 1] - p[2 * i - 1]);
    double total = len[n - 1];
    if (n < 2 || total <= head * 1.5) {
        g_free(len);
        g_array_free(pts, TRUE);
        return;
    }
    double shaft = total - head;
    /* the shaft's last point: where the head begins */
    int last = 1;
    while (last < n - 1 && len[last] < shaft)
        last++;
    double t = (shaft - len[last - 1]) / fmax(len[last] - len[last - 1], 1e-9);
    double ex = p[2 * (last - 1)] + t * (p[2 * last] - p[2 * (last - 1)]);
    double ey = p[2 * (last - 1) + 1] + t * (p[2 * last + 1] - p[2 * (last - 1) + 1]);
    double tipx = p[2 * (n - 1)], tipy = p[2 * (n - 1) + 1];
    GArray *left = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    GArray *right = g_array_new(FALSE, FALSE, sizeof(double) * 2);
    for (int i = 0; i <= last; i++) {
        double x = i == last ? ex : p[2 * i], y = i == last ? ey : p[2 * i + 1];
        int a = i == 0 ? 0 : i - 1, b = i == 0 ? 1 : i;
        double dx = p[2 * b] - p[2 * a], dy = p[2 * b + 1] - p[2 * a + 1];
        if (i == last)
            dx = tipx - ex, dy = tipy - ey;
        double d = fmax(hypot(dx, dy), 1e-9);
        double nx = -dy / d, ny = dx / d;
        double w = w0 + (w1 - w0) * fmin((i == last ? shaft : len[i]) / shaft, 1.0);
        double l[2] = {x + nx * w / 2, y + ny * w / 2}, r[2] = {x - nx * w / 2, y - ny * w / 2};
        g_array_append_vals(left, l, 1);
        g_array_append_vals(right, r, 1);
    }
    double dx = tipx - ex, dy = tipy - ey, d = fmax(hypot(dx, dy), 1e-9);
    double nx = -dy / d, ny = dx / d, hw = w1 * 1.1 + head * 0.35;
    cairo_new_path(cr);
    double *L = (double *)left->data, *R = (double *)right->data;
    cairo_move_to(cr, L[0], L[1]);
    for (guint i = 1; i < left->len; i++)
        cairo_line_to(cr, L[2 * i], L[2 * i + 1]);
    cairo_line_to(cr, ex + nx * hw, ey + ny * hw);
    cairo_line_to(cr, tipx, tipy);
    cairo_line_to(cr, ex - nx * hw, ey - ny * hw);
    for (int i = (int)right->len - 1; i >= 0; i--)
        cairo_line_to(cr, R[2 * i], R[2 * i + 1]);
    cairo_close_path(cr);
    g_array_free(left, TRUE);
    g_array_free(right, TRUE);
    g_free(len);
    g_array_free(pts, TRUE);
}

/* A front line: a dark line with teeth on its right-hand side (in drawing order), which the
 * data points towards the attacker, coloured by the attacker. */
static void draw_front(cairo_t *cr, const cm_ring *ring, cm_rgba line, cm_rgba teeth)
{
    const double spacing = 7, size = 3.2;
    cairo_new_path(cr);
    double walked = spacing / 2;
    for (int i = 1; i < ring->n; i++) {
        double ax = ring->xy[2 * i - 2], ay = ring->xy[2 * i - 1];
        double bx = ring->xy[2 * i], by = ring->xy[2 * i + 1];
        double seg = hypot(bx - ax, by - ay);
        if (seg <= 0)
            continue;
        double ux = (bx - ax) / seg, uy = (by - ay) / seg, nx = -uy, ny = ux;
        while (walked + size <= seg) {
            double cx = ax + ux * walked, cy = ay + uy * walked;
            cairo_move_to(cr, cx - ux * size / 2, cy - uy * size / 2);
            cairo_line_to(cr, cx + nx * size, cy + ny * size);
            cairo_line_to(cr, cx + ux * size / 2, cy + uy * size / 2);
            cairo_close_path(cr);
            walked += spacing;
        }
        walked -= seg;
    }
    cm_draw_set_color(cr, teeth);
    cairo_fill(cr);
    cm_shape sh = {(cm_ring *)ring, 1};
    cm_draw_stroke(cr, &sh, FALSE, line, 1.6);
}

static void draw_lines(cairo_t *page, const cm_map *map, const control_state *cs,
                       const page_cache *cache)
{
    const cm_style *s = map->style;
    if (!map->lines || cs->spec->diff)
        return;
    char *key = active_key("lines", map->lines, &cs->spec->date);
    cairo_t *cr = part_begin(page, cache, key);
    if (!cr) {
        g_free(key);
        return;
    }
    for (int i = 0; i < map->lines->layer->n; i++) {
        const cm_timed *t = &map->lines->items[i];
        if (!cm_timed_active(t, &cs->spec->date))
            continue;
        cm_rgba c = cm_style_controller(s, t->actor)->fill;
        cm_rgba dark = {c.r * 0.45, c.g * 0.45, c.b * 0.45, 1};
        const cm_shape *sh = &map->lines_page[i];
        for (int r = 0; r < sh->nrings; r++) {
            if (t->kind == CM_LINE_FRONT) {
                draw_front(cr, &sh->rings[r], (cm_rgba){0.15, 0.15, 0.15, 1}, c);
                continue;
            }
            gboolean offensive = t->kind == CM_LINE_OFFENSIVE;
            arrow_path(cr, &sh->rings[r], offensive ? 2.0 : 1.2, offensive ? 6.5 : 3.0,
                       offensive ? 9 : 6);
            cm_draw_set_color(cr, offensive ? c : lighten(c, 0.5));
            cairo_fill_preserve(cr);
            cm_draw_set_color(cr, dark);
            cairo_set_line_width(cr, 0.7);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
            if (!offensive)
                cairo_set_dash(cr, (double[]){2.5, 1.5}, 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, NULL, 0, 0);
        }
    }
    part_end(page, cr, cache, key);
    g_free(key);
}

/* Labels keep off lines: small boxes every few points along each line in force. */
static void block_lines(cm_labeler *lab, const cm_map *map, const control_state *cs)
{
    if (!map->lines || cs->spec->diff)
        return;
    for (int i = 0; i < map->lines->layer->n; i++) {
        if (!cm_timed_active(&map->lines->items[i], &cs->spec->date))
            continue;
        const cm_shape *sh = &map->lines_page[i];
        for (int r = 0; r < sh->nrings; r++)
            for (int k = 1; k < sh->rings[r].n; k++) {
                const double *a = &sh->rings[r].xy[2 * k - 2], *b = &sh->rings[r].xy[2 * k];
                int steps = (int)ceil(hypot(b[0] - a[0], b[1] - a[1]) / 4) + 1;
                for (int j = 0; j <= steps; j++) {
                    double x = a[0] + (b[0] - a[0]) * j / steps, y = a[1] + (b[1] - a[1]) * j / steps;
                    cm_labeler_block(lab, (cm_box){x - 4, y - 4, x + 4, y + 4});
                }
            }
    }
}

static int place_priority(const cm_feature *f)
{
    int rank = f->rank > 0 ? f->rank : 3;
    return 100 - 10 * rank;
}

/* Capitals and cities keep their symbol even when their name finds no room; so do towns
 * whose control the ledger records. */
static gboolean always_shown(const cm_feature *f)
{
    return (f->kind && strcmp(f->kind, "capital") == 0) || (f->rank > 0 && f->rank <= 2);
}

static double place_size(const cm_style *s, const cm_feature *f)
{
    if (f->kind && strcmp(f->kind, "capital") == 0)
        return s->capital_size;
    switch (f->rank) {
    case 1:
    case 2: return s->city_size;
    case 3: return s->town_size;
    default: return s->minor_size;
    }
}

static char *label_text(const cm_style *s, const char *en, const char *ar)
{
    if (strcmp(s->lang, "ar") == 0 && ar)
        return g_strdup(ar);
    if (strcmp(s->lang, "en+ar") == 0 && ar && en)
        return g_strdup_printf("%s\n%s", en, ar);
    return g_strdup(en ? en : ar);
}

/* A town's symbol in its controller's colour: a star for the capital, a dot otherwise; half
 * and half when contested; a dashed ring in the besiegers' colour under siege; hollow when
 * only claimed. */
static void draw_town(cairo_t *cr, const cm_style *s, gboolean capital, double x, double y,
                      const cm_ledger_row *r, gboolean neutral)
{
    cm_rgba fill = s->place_color;
    if (r && !neutral && r->status != CM_CONTESTED)
        fill = cm_style_controller(s, r->controller)->fill;
    double size = capital ? s->star : s->dot * (r && !neutral ? 1.6 : 1);
    if (r && !neutral && r->status == CM_BESIEGED) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, (capital ? s->star : size / 2) + 3.2, 0, 2 * G_PI);
        cm_draw_set_color(cr, cm_style_controller(s, r->parties[0])->fill);
        cairo_set_line_width(cr, 2.2);
        cairo_set_dash(cr, (double[]){2.2, 1.2}, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    if (capital) {
        cm_draw_star(cr, x, y, s->star, fill, s->place_halo);
    } else if (r && !neutral && r->status == CM_CONTESTED) {
        for (int k = 0; k < 2 && r->parties[k]; k++) {
            cairo_new_path(cr);
            cairo_move_to(cr, x, y);
            cairo_arc(cr, x, y, size / 2, G_PI / 2 + k * G_PI, G_PI / 2 + (k + 1) * G_PI);
            cairo_close_path(cr);
            cm_draw_set_color(cr, cm_style_controller(s, r->parties[k])->fill);
            cairo_fill(cr);
        }
        cairo_new_path(cr);
        cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
        cm_draw_set_color(cr, s->place_color);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    } else if (r && !neutral && r->status == CM_CLAIMED) {
        cairo_new_path(cr);
        cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
        cm_draw_set_color(cr, s->place_halo);
        cairo_fill_preserve(cr);
        cm_draw_set_color(cr, fill);
        cairo_set_line_width(cr, 1.2);
        cairo_stroke(cr);
    } else {
        cm_draw_dot(cr, x, y, size, fill, s->place_halo);
        if (r && !neutral) {
            cairo_new_path(cr);
            cairo_arc(cr, x, y, size / 2, 0, 2 * G_PI);
            cm_draw_set_color(cr, s->place_color);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
    }
}

/* First pass (draw FALSE): queue labels and block always-shown symbols.  Second pass, after
 * placement: draw the symbols of places that are shown, recording their boxes in `drawn`. */
static void add_places(cairo_t *cr, const cm_map *map, const control_state *cs, cm_labeler *lab,
                       gboolean draw, GArray *drawn)
{
    const cm_style *s = map->style;
    const cm_layer *l = map->places.layer;
    if (!l)
        return;
    for (int i = 0; i < l->n; i++) {
        const cm_feature *f = &l->features[i];
        const cm_shape *sh = &map->places.page[i];
        if (sh->nrings == 0)
            continue;
        double x = sh->rings[0].xy[0], y = sh->rings[0].xy[1];
        if (x < map->frame[0] || y < map->frame[1] || x > map->frame[0] + map->frame[2] ||
            y > map->frame[1] + map->frame[3])
            continue;
        gboolean capital = f->kind && strcmp(f->kind, "capital") == 0;
        const cm_ledger_row *row = cs->towns[i];
        gboolean neutral = cs->spec->diff && !changed(cs->towns_from[i], row);
        gboolean shown = always_shown(f) || (row && !neutral);
        double r = capital ? s->star : s->dot / 2 + 0.8;
        if (row && !neutral && !capital)
            r = s->dot * 0.8 + 0.8;
        if (row && !neutral && row->status == CM_BESIEGED)
            r += 4.5;
        if (draw) {
            /* a town is shown only with its name: an unnamed dot says nothing */
            if (!shown && !cm_labeler_is_placed(lab, i + 1))
                continue;
            if (drawn) {
                cm_box b = {x - r, y - r, x + r, y + r};
                g_array_append_val(drawn, b);
            }
            draw_town(cr, s, capital, x, y, row, neutral);
            continue;
        }
        cm_box symbol = {x - r, y - r, x + r, y + r};
        if (shown)
            cm_labeler_block(lab, symbol);
        char *text = label_text(s, f->name, f->name_ar);
        if (!text)
            continue;
        double size = place_size(s, f);
        cm_label_spec spec = {
            .text = text, .font = s->font, .size = size, .bold = capital || f->rank <= 2,
            .color = s->place_color, .halo = s->place_halo, .halo_width = s->halo_width,
            .kind = CM_LABEL_POINT, .x = x, .y = y, .gap = r + 1.5,
            .priority = place_priority(f) + (capital ? 20 : 0) + (row ? 5 : 0), .id = i + 1,
            .has_symbol = !shown, .symbol = symbol};
        cm_labeler_add(lab, &spec);
        g_free(text);
    }
}

static void add_area_labels(const cm_map *map, cm_labeler *lab, const placed_layer *pl,
                            gboolean countries)
{
    const cm_style *s = map->style;
    if (!pl->layer)
        return;
    for (int i = 0; i < pl->layer->n; i++) {
        const cm_feature *f = &pl->layer->features[i];
        if (!f->name || !pl->has_anchor[i])
            continue;
        /* in Arabic the area names are Arabic too (no capitals to set them apart: the
         * style's size and colour do); with both languages they stay English, for room */
        gboolean ar = !strcmp(s->lang, "ar") && f->name_ar;
        char *upper = ar ? g_strdup(f->name_ar)
                         : countries ? g_utf8_strup(f->name, -1) : g_strdup(f->name);
        cm_label_spec spec = {
            .text = upper, .font = s->font,
            .size = countries ? s->nb_label_size : s->rg_label_size,
            .italic = !countries && !ar, .letter_spacing = ar ? 0 : countries ? 2.0 : 0.4,
            .color = countries ? s->nb_label : s->rg_label,
            .halo = countries ? s->nb_fill : s->rg_label_halo,
            .halo_width = countries ? 0 : 1.2, .kind = CM_LABEL_AREA,
            .x = pl->anchor[2 * i], .y = pl->anchor[2 * i + 1], .priority = countries ? 8 : 5};
        cm_labeler_add(lab, &spec);
        g_free(upper);
    }
}

static void add_item(GArray *items, cm_swatch_kind kind, cm_paint paint, char *text)
{
    cm_legend_item it = {.kind = kind, .paint = paint, .text = text};
    g_array_append_val(items, it);
}

/* Compound names: "GNA / LNA". */
static char *party_names(const cm_style *s, char **parties)
{
    GString *names = g_string_new(NULL);
    for (char **p = parties; p && *p; p++)
        g_string_append_printf(names, "%s%s", p == parties ? "" : " / ",
                               cm_style_controller(s, *p)->short_label);
    return g_string_free(names, FALSE);
}

/* The legend's items: only what the page shows. */
static GArray *legend_items(const cm_map *map, const control_state *cs)
{
    const cm_style *s = map->style;
    GArray *items = g_array_new(FALSE, TRUE, sizeof(cm_legend_item));
    int nreg = map->regions.layer->n;
    gboolean diff = cs->spec->diff;
    /* whose colour shows: held regions (or gains), held zones */
    for (guint c = 0; c < s->controllers->len; c++) {
        const cm_controller *ctl = s->controllers->pdata[c];
        gboolean shows = FALSE;
        for (int i = 0; i < nreg && !shows; i++) {
            const cm_ledger_row *r = cs->rows[i];
            shows = r && r->status != CM_CONTESTED && strcmp(r->controller, ctl->id) == 0 &&
                    (!diff || changed(cs->rows_from[i], r));
        }
        for (int i = 0; !diff && map->zones && i < map->zones->layer->n && !shows; i++) {
            const cm_timed *z = &map->zones->items[i];
            shows = cm_timed_active(z, &cs->spec->date) && z->status != CM_CONTESTED &&
                    strcmp(z->actor, ctl->id) == 0;
        }
        if (shows)
            add_item(items, CM_SWATCH_AREA, control_paint(s, ctl->id, CM_HELD, NULL),
                     diff ? g_strdup_printf("Gained by %s", ctl->short_label) : g_strdup(ctl->label));
    }
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (int i = 0; i < nreg + (map->zones && !diff ? map->zones->layer->n : 0); i++) {
        char **parties;
        cm_control_status st;
        if (i < nreg) {
            const cm_ledger_row *r = cs->rows[i];
            if (!r || (diff && !changed(cs->rows_from[i], r)))
                continue;
            parties = r->parties, st = r->status;
        } else {
            const cm_timed *z = &map->zones->items[i - nreg];
            if (!cm_timed_active(z, &cs->spec->date))
                continue;
            parties = z->parties, st = z->status;
        }
        if (st != CM_CONTESTED || !parties)
            continue;
        char *ids = g_strjoinv(";", parties);
        if (g_hash_table_contains(seen, ids)) {
            g_free(ids);
            continue;
        }
        g_hash_table_add(seen, ids);
        char *names = party_names(s, parties);
        add_item(items, CM_SWATCH_AREA, control_paint(s, parties[0], CM_CONTESTED, parties),
                 g_strdup_printf("%s: %s", s->contested_label, names));
        g_free(names);
    }
    g_hash_table_unref(seen);
    gboolean none = FALSE, unchanged = FALSE;
    for (int i = 0; i < nreg; i++) {
        none |= !cs->rows[i];
        unchanged |= diff && !changed(cs->rows_from[i], cs->rows[i]);
    }
    if (diff && unchanged)
        add_item(items, CM_SWATCH_AREA, control_paint(s, NULL, CM_HELD, NULL), g_strdup("No change"));
    else if (none)
        add_item(items, CM_SWATCH_AREA, control_paint(s, NULL, CM_HELD, NULL),
                 g_strdup(s->unknown_label));
    /* lines */
    if (map->lines && !diff) {
        gboolean front = FALSE, withdrawal = FALSE;
        for (guint c = 0; c < s->controllers->len; c++) {
            const cm_controller *ctl = s->controllers->pdata[c];
            for (int i = 0; i < map->lines->layer->n; i++) {
                const cm_timed *t = &map->lines->items[i];
                if (!cm_timed_active(t, &cs->spec->date))
                    continue;
                front |= t->kind == CM_LINE_FRONT;
                withdrawal |= t->kind == CM_LINE_WITHDRAWAL;
                if (t->kind == CM_LINE_OFFENSIVE && strcmp(t->actor, ctl->id) == 0) {
                    cm_paint p = {.colors = {ctl->fill}, .n = 1};
                    add_item(items, CM_SWATCH_ARROW, p,
                             g_strdup_printf("%s offensive", ctl->short_label));
                    break;
                }
            }
        }
        cm_paint grey = {.colors = {{0.45, 0.45, 0.45, 1}}, .n = 1};
        if (withdrawal)
            add_item(items, CM_SWATCH_WITHDRAWAL, grey, g_strdup("Withdrawal"));
        if (front)
            add_item(items, CM_SWATCH_FRONT, grey, g_strdup("Front line (teeth face the attacker)"));
    }
    /* places */
    if (map->places.layer) {
        gboolean capital = FALSE, town = FALSE, siege = FALSE, controlled = FALSE;
        for (int i = 0; i < map->places.layer->n; i++) {
            const char *k = map->places.layer->features[i].kind;
            const cm_ledger_row *r = cs->towns[i];
            if (k && strcmp(k, "capital") == 0)
                capital = TRUE;
            else
                town = TRUE;
            if (r && (!diff || changed(cs->towns_from[i], r))) {
                controlled = TRUE;
                siege |= !diff && r->status == CM_BESIEGED;
            }
        }
        cm_paint symbol = {.colors = {s->place_color}, .n = 1};
        if (capital)
            add_item(items, CM_SWATCH_STAR, symbol, g_strdup("Capital"));
        if (town)
            add_item(items, CM_SWATCH_DOT, symbol,
                     g_strdup(controlled ? "Town (coloured: who holds it)" : "Town"));
        if (siege) {
            cm_paint ring = {.colors = {s->place_color}, .n = 1};
            for (int i = 0; i < map->places.layer->n; i++)
                if (cs->towns[i] && cs->towns[i]->status == CM_BESIEGED)
                    ring.colors[0] = cm_style_controller(s, cs->towns[i]->parties[0])->fill;
            add_item(items, CM_SWATCH_SIEGE, ring, g_strdup("Besieged"));
        }
    }
    return items;
}

static gint str_ptr_cmp(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_source(GPtrArray *list, const char *source)
{
    /* a cell may hold several sources separated by ';' */
    char **parts = g_strsplit(source, ";", -1);
    for (char **p = parts; *p; p++) {
        char *one = g_strstrip(*p);
        if (*one && !g_ptr_array_find_with_equal_func(list, one, g_str_equal, NULL))
            g_ptr_array_add(list, g_strdup(one));
    }
    g_strfreev(parts);
}

/* "Sources of control: A; B." — the distinct sources of the rows, zones and lines in force,
 * sorted. */
static char *sources_line(const cm_map *map, const control_state *cs)
{
    GPtrArray *list = g_ptr_array_new_with_free_func(g_free);
    for (int i = 0; i < map->regions.layer->n; i++)
        if (cs->rows[i])
            add_source(list, cs->rows[i]->source);
    for (int i = 0; map->places.layer && i < map->places.layer->n; i++)
        if (cs->towns[i])
            add_source(list, cs->towns[i]->source);
    const cm_timeline *tls[] = {map->zones, map->lines};
    for (int k = 0; k < 2; k++)
        for (int i = 0; tls[k] && !cs->spec->diff && i < tls[k]->layer->n; i++)
            if (cm_timed_active(&tls[k]->items[i], &cs->spec->date))
                add_source(list, tls[k]->items[i].source);
    if (list->len == 0) {
        g_ptr_array_free(list, TRUE);
        return NULL;
    }
    g_ptr_array_sort(list, str_ptr_cmp);
    g_ptr_array_add(list, NULL);
    char *joined = g_strjoinv("; ", (char **)list->pdata);
    char *line = g_strdup_printf("Sources of control: %s.", joined);
    g_free(joined);
    g_ptr_array_free(list, TRUE);
    return line;
}

/* Area, in square points, of a shape's rings (even-odd: holes subtract). */
static double shape_area(const cm_shape *sh)
{
    double total = 0;
    for (int r = 0; r < sh->nrings; r++) {
        double a = 0;
        const cm_ring *ring = &sh->rings[r];
        for (int i = 0, j = ring->n - 1; i < ring->n; j = i++)
            a += ring->xy[2 * j] * ring->xy[2 * i + 1] - ring->xy[2 * i] * ring->xy[2 * j + 1];
        total += a / 2; /* rings of one source share an orientation: holes subtract */
    }
    return fabs(total);
}

/* Lines of longitude and latitude, projected at load. */
static void draw_graticule(cairo_t *cr, const cm_map *map)
{
    for (int r = 0; r < map->graticule.nrings; r++) {
        const cm_ring *ring = &map->graticule.rings[r];
        for (int k = 0; k < ring->n; k++)
            (k ? cairo_line_to : cairo_move_to)(cr, ring->xy[2 * k], ring->xy[2 * k + 1]);
    }
    cm_draw_set_color(cr, map->style->graticule_color);
    cairo_set_line_width(cr, map->style->graticule_width);
    cairo_stroke(cr);
}

/* The locator inset: the inset's countries, the map's border highlighted, the main frame's
 * extent outlined.  Its box on the page is `box`. */
static void draw_inset(cairo_t *cr, const cm_map *map, cm_box box)
{
    const cm_style *s = map->style;
    cairo_save(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cairo_clip(cr);
    cm_draw_set_color(cr, s->inset_sea);
    cairo_paint(cr);
    cairo_translate(cr, box.x0, box.y0);
    for (int i = 0; i < map->inset.layer->n; i++)
        cm_draw_fill(cr, &map->inset.page[i], s->inset_land);
    for (int i = 0; i < map->inset.layer->n; i++)
        cm_draw_stroke(cr, &map->inset.page[i], TRUE, s->inset_sea, 0.3);
    for (int i = 0; map->inset_border && i < map->border.layer->n; i++)
        cm_draw_fill(cr, &map->inset_border[i], s->inset_highlight);
    /* the main frame, traced into the inset at load */
    cairo_new_path(cr);
    for (int k = 0; k < map->inset_trace.n; k++)
        (k ? cairo_line_to : cairo_move_to)(cr, map->inset_trace.xy[2 * k],
                                            map->inset_trace.xy[2 * k + 1]);
    cairo_close_path(cr);
    cm_draw_set_color(cr, s->inset_extent);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);
}

/* Draws the logo (a PNG) at the top right of the page, `height` points high. */
static void draw_logo(cairo_t *cr, const cm_map *map)
{
    const cm_style *s = map->style;
    cairo_surface_t *img = cairo_image_surface_create_from_png(s->logo);
    if (cairo_surface_status(img) == CAIRO_STATUS_SUCCESS && cairo_image_surface_get_height(img) > 0) {
        double h = s->logo_height * MM;
        double k = h / cairo_image_surface_get_height(img);
        double w = cairo_image_surface_get_width(img) * k;
        cairo_save(cr);
        cairo_translate(cr, map->frame[0] + map->frame[2] - w, s->margin_mm * MM);
        cairo_scale(cr, k, k);
        cairo_set_source_surface(cr, img, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
    }
    cairo_surface_destroy(img);
}

/* Draws one page: the map as the spec says, its labels and furniture.  With `stats`, records
 * what was placed where. */
/* What does not change from date to date: the sea and the neighbours under the map. */
static void draw_base(cairo_t *cr, const cm_map *map)
{
    const cm_style *s = map->style;
    cm_draw_set_color(cr, s->sea_fill);
    cairo_paint(cr);
    if (map->neighbours.layer) {
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_fill(cr, &map->neighbours.page[i], s->nb_fill);
        for (int i = 0; i < map->neighbours.layer->n; i++)
            cm_draw_stroke(cr, &map->neighbours.page[i], TRUE, s->nb_stroke, s->nb_width);
    }
}

static page_cache cache_new(const cm_map *map)
{
    page_cache c = {0};
    c.labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify)cairo_surface_destroy);
    c.bodies = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                     (GDestroyNotify)cairo_surface_destroy);
    c.parts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify)cairo_surface_destroy);
    cairo_rectangle_t page = {0, 0, map->page_w, map->page_h};
    c.page = page;
    c.base = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
    cairo_t *cr = cairo_create(c.base);
    cairo_rectangle(cr, map->frame[0], map->frame[1], map->frame[2], map->frame[3]);
    cairo_clip(cr);
    draw_base(cr, map);
    cairo_destroy(cr);
    if (map->style->inset && map->inset.layer) {
        const double *fr = map->frame;
        cm_box box = {fr[0] + fr[2] - map->inset_size[0] - 1, fr[1] + 1, fr[0] + fr[2] - 1,
                      fr[1] + 1 + map->inset_size[1]};
        c.inset = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
        cr = cairo_create(c.inset);
        draw_inset(cr, map, box);
        cairo_destroy(cr);
    }
    return c;
}

static void cache_clear(page_cache *c)
{
    if (c->base)
        cairo_surface_destroy(c->base);
    if (c->inset)
        cairo_surface_destroy(c->inset);
    if (c->labels)
        g_hash_table_unref(c->labels);
    if (c->bodies)
        g_hash_table_unref(c->bodies);
    if (c->halos)
        g_hash_table_unref(c->halos);
    if (c->parts)
        g_hash_table_unref(c->parts);
}

/* Everything on a page but its title: what control on the page's date decides. */
static void draw_body(cairo_t *cr, const cm_map *map, const page_spec *spec,
                      const control_state *csp, const page_cache *cache, cm_render_stats *stats)
{
    const cm_style *s = map->style;
    const double *fr = map->frame;
    cm_box frame_box = {fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]};
    control_state cs = *csp;

    cm_draw_set_color(cr, s->page_bg);
    cairo_paint(cr);

    /* the map, clipped to its frame */
    cairo_save(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cairo_clip(cr);
    if (cache && cache->base) {
        cairo_set_source_surface(cr, cache->base, 0, 0);
        cairo_paint(cr);
    } else {
        draw_base(cr, map);
    }
    draw_regions(cr, map, &cs, cache);
    draw_zones(cr, map, &cs, cache);
    cairo_t *pc = map->border.layer ? part_begin(cr, cache, "border") : NULL;
    if (pc) {
        for (int i = 0; i < map->border.layer->n; i++)
            cm_draw_stroke(pc, &map->border.page[i], TRUE, s->border_stroke, s->border_width);
        part_end(cr, pc, cache, "border");
    }
    if (s->graticule)
        draw_graticule(cr, map);
    draw_lines(cr, map, &cs, cache);

    /* furniture inside the frame is placed first, so that labels avoid it */
    cm_labeler *lab = cm_labeler_new(cr, frame_box);
    GArray *furniture = g_array_new(FALSE, FALSE, sizeof(cm_box));
    GArray *items = legend_items(map, &cs);
    const char *legend_title = spec->diff ? "Changes of control" : s->legend_title;
    double lw, lh;
    cm_layout_legend_size(lab, s, legend_title, (cm_legend_item *)items->data, (int)items->len,
                          &lw, &lh);
    double lx = fr[0] + 8, ly = fr[1] + fr[3] - 8 - lh;
    cm_box legend_box = {lx - 2, ly - 2, lx + lw + 2, ly + lh + 2};
    g_array_append_val(furniture, legend_box);
    double metres_per_pt = map->metres_per_pt;
    cm_box sb = {fr[0] + fr[2], fr[1] + fr[3], fr[0] + fr[2], fr[1] + fr[3]}, na;
    gboolean has_scale = isfinite(metres_per_pt) && metres_per_pt > 0;
    if (has_scale) {
        cm_layout_scalebar(cr, lab, s, metres_per_pt, fr[2] / 6, fr[0] + fr[2] - 4,
                           fr[1] + fr[3] - 4, &sb, FALSE);
        g_array_append_val(furniture, sb);
    }
    double nx = fr[0] + fr[2] - 20, ny = sb.y0 - 20;
    double nangle = map->north;
    if (s->north_arrow) {
        cm_layout_north_arrow(cr, lab, s, nx, ny, nangle, &na, FALSE);
        g_array_append_val(furniture, na);
    }
    cm_box inset_box = {0};
    gboolean has_inset = s->inset && map->inset.layer;
    if (has_inset) {
        inset_box = (cm_box){fr[0] + fr[2] - map->inset_size[0] - 1, fr[1] + 1,
                             fr[0] + fr[2] - 1, fr[1] + 1 + map->inset_size[1]};
        g_array_append_val(furniture, inset_box);
    }
    for (guint i = 0; i < furniture->len; i++)
        cm_labeler_block(lab, g_array_index(furniture, cm_box, i));
    block_lines(lab, map, &cs);

    add_places(cr, map, &cs, lab, FALSE, NULL);
    add_area_labels(map, lab, &map->neighbours, TRUE);
    add_area_labels(map, lab, &map->regions, FALSE);
    if (map->mf->sea_label) {
        double x = map->sea_xy[0], y = map->sea_xy[1];
        if (map->has_sea_label) {
            gboolean ar = !strcmp(s->lang, "ar") && map->mf->sea_label_ar;
            cm_label_spec lspec = {.text = ar ? map->mf->sea_label_ar : map->mf->sea_label,
                                   .font = s->font,
                                   .size = s->nb_label_size * 1.1, .italic = !ar,
                                   .letter_spacing = ar ? 0 : 1.5, .color = s->sea_label,
                                   .kind = CM_LABEL_AREA, .x = x, .y = y, .priority = 9};
            cm_labeler_add(lab, &lspec);
        }
    }
    cm_labeler_place(lab);
    GArray *symbols = g_array_new(FALSE, FALSE, sizeof(cm_box));
    add_places(cr, map, &cs, lab, TRUE, symbols);
    cm_labeler_draw(lab, cr, cache ? cache->labels : NULL, cache ? cache->halos : NULL);
    cairo_restore(cr);

    /* furniture */
    cm_layout_legend_draw(cr, lab, s, legend_title, (cm_legend_item *)items->data,
                          (int)items->len, lx, ly);
    if (has_scale)
        cm_layout_scalebar(cr, lab, s, metres_per_pt, fr[2] / 6, fr[0] + fr[2] - 4,
                           fr[1] + fr[3] - 4, &sb, TRUE);
    if (s->north_arrow)
        cm_layout_north_arrow(cr, lab, s, nx, ny, nangle, &na, TRUE);
    if (has_inset && cache && cache->inset) {
        cairo_set_source_surface(cr, cache->inset, 0, 0);
        cairo_paint(cr);
    } else if (has_inset) {
        draw_inset(cr, map, inset_box);
    }
    cairo_new_path(cr);
    cairo_rectangle(cr, fr[0], fr[1], fr[2], fr[3]);
    cm_draw_set_color(cr, s->frame_color);
    cairo_set_line_width(cr, 0.6);
    cairo_stroke(cr);

    if (s->logo)
        draw_logo(cr, map);
    char *sources = sources_line(map, &cs);
    cm_layout_footer(cr, lab, s, fr, sources, map->mf->credit);

    if (stats) {
        stats->frame = frame_box;
        stats->nlabels = cm_labeler_placed(lab, NULL, 0);
        stats->labels = g_new(cm_box, (size_t)stats->nlabels + 1);
        cm_labeler_placed(lab, stats->labels, stats->nlabels);
        stats->unknown_glyphs = cm_labeler_unknown_glyphs(lab);
        stats->nfurniture = (int)furniture->len;
        stats->furniture = (cm_box *)g_array_free(furniture, FALSE);
        furniture = NULL;
        stats->metres_per_pt = metres_per_pt;
        stats->north_angle = nangle;
        stats->nsymbols = (int)symbols->len;
        stats->symbols = (cm_box *)g_array_free(symbols, FALSE);
        symbols = NULL;
        stats->gains = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
        for (int i = 0; spec->diff && i < map->regions.layer->n; i++) {
            const cm_ledger_row *r = cs.rows[i];
            if (!r || !changed(cs.rows_from[i], r))
                continue;
            const char *who = r->status == CM_CONTESTED ? "contested" : r->controller;
            double *area = g_hash_table_lookup(stats->gains, who);
            if (!area) {
                area = g_new0(double, 1);
                g_hash_table_insert(stats->gains, g_strdup(who), area);
            }
            *area += shape_area(&map->regions.page[i]);
        }
        GString *svg = g_string_new(NULL);
        cm_labeler_svg_text(lab, svg);
        stats->svg_text = g_string_free(svg, FALSE);
        stats->nitems = (int)items->len;
        stats->item_texts = g_new0(char *, items->len + 1);
        for (guint i = 0; i < items->len; i++)
            stats->item_texts[i] = g_strdup(g_array_index(items, cm_legend_item, i).text);
    }
    if (symbols)
        g_array_free(symbols, TRUE);
    g_free(sources);
    for (guint i = 0; i < items->len; i++)
        g_free(g_array_index(items, cm_legend_item, i).text);
    g_array_free(items, TRUE);
    if (furniture)
        g_array_free(furniture, TRUE);
    cm_labeler_destroy(lab);
}

/* The title and the date it names, above the frame. */
static void draw_title(cairo_t *cr, const cm_map *map, const page_spec *spec)
{
    const double *fr = map->frame;
    cm_labeler *lab = cm_labeler_new(cr, (cm_box){fr[0], fr[1], fr[0] + fr[2], fr[1] + fr[3]});
    char *date_long = cm_format_date_long(&spec->date);
    char *subtitle;
    if (spec->diff) {
        char *from_long = cm_format_date_long(&spec->from);
        subtitle = g_strdup_printf("Changes of control, %s to %s", from_long, date_long);
        g_free(from_long);
    } else {
        subtitle = map->mf->subtitle ? g_strdup_printf("%s, as of %s", map->mf->subtitle, date_long)
                                     : g_strdup_printf("As of %s", date_long);
    }
    cm_layout_title(cr, lab, map->style, fr, map->mf->title ? map->mf->title : "Territorial control",
                    subtitle);
    g_free(subtitle);
    g_free(date_long);
    cm_labeler_destroy(lab);
}

/* What a page's body depends on: the row in force for every region and town (and on the
 * earlier date of a change map) and which zones and lines are in force.  Rows are compared
 * by identity: they belong to the ledger, which outlives the series. */
static GBytes *body_key(const cm_map *map, const control_state *cs)
{
    GByteArray *k = g_byte_array_new();
    int nr = map->regions.layer ? map->regions.layer->n : 0;
    int np = map->places.layer ? map->places.layer->n : 0;
    const cm_ledger_row **lists[] = {cs->rows, cs->towns, cs->rows_from, cs->towns_from};
    int lens[] = {nr, np, nr, np};
    guint8 diff = (guint8)cs->spec->diff;
    g_byte_array_append(k, &diff, 1);
    for (size_t i = 0; i < G_N_ELEMENTS(lists); i++)
        if (lists[i])
            g_byte_array_append(k, (const guint8 *)lists[i], (guint)(sizeof(void *) * (size_t)lens[i]));
    cm_timeline *tls[] = {map->zones, map->lines};
    for (size_t t = 0; t < G_N_ELEMENTS(tls); t++)
        for (int i = 0; tls[t] && i < tls[t]->layer->n; i++) {
            guint8 on = (guint8)(cm_timed_active(&tls[t]->items[i], &cs->spec->date) |
                                 (cs->spec->diff && cm_timed_active(&tls[t]->items[i], &cs->spec->from)) << 1);
            g_byte_array_append(k, &on, 1);
        }
    return g_byte_array_free_to_bytes(k);
}

/* Draws one page: the map as the spec says, its labels and furniture.  With `stats`, records
 * what was placed where.  In a series, pages whose control is the same share one recording
 * of their body: a weekly series mostly repeats itself between changes, and in a PDF the
 * repeat is one form object painted again, not the page drawn, formatted and compressed anew. */
static void draw_page(cairo_t *cr, const cm_map *map, const page_spec *spec,
                      const page_cache *cache, cm_render_stats *stats)
{
    control_state cs = control_on(map, spec);
    if (cache && cache->bodies && !stats) {
        GBytes *key = body_key(map, &cs);
        cairo_surface_t *body = g_hash_table_lookup(cache->bodies, key);
        if (!body) {
            cairo_rectangle_t page = {0, 0, map->page_w, map->page_h};
            body = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
            cairo_t *rc = cairo_create(body);
            draw_body(rc, map, spec, &cs, cache, NULL);
            cairo_destroy(rc);
            g_hash_table_insert(cache->bodies, g_bytes_ref(key), body);
        }
        g_bytes_unref(key);
        cairo_set_source_surface(cr, body, 0, 0);
        cairo_paint(cr);
    } else {
        draw_body(cr, map, spec, &cs, cache, stats);
    }
    draw_title(cr, map, spec);
    control_clear(&cs);
}

static page_spec spec_on(const cm_map *map)
{
    page_spec spec = {.date = map->date};
    return spec;
}

cm_status cm_map_render_stats(cm_map *map, cm_render_stats *stats, cm_ctx *ctx)
{
    page_spec spec = spec_on(map);
    if (map->has_diff_from) {
        spec.diff = TRUE;
        spec.from = map->diff_from;
    }
    memset(stats, 0, sizeof *stats);
    cairo_surface_t *rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR, NULL);
    cairo_t *cr = cairo_create(rec);
    draw_page(cr, map, &spec, NULL, stats);
    cairo_status_t cs = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(rec);
    if (cs != CAIRO_STATUS_SUCCESS)
        return cm_fail(ctx, CM_EINTERNAL, "drawing failed: %s", cairo_status_to_string(cs));
    return CM_OK;
}

void cm_render_stats_clear(cm_render_stats *stats)
{
    g_free(stats->labels);
    g_free(stats->furniture);
    g_free(stats->symbols);
    if (stats->gains)
        g_hash_table_unref(stats->gains);
    g_strfreev(stats->item_texts);
    g_free(stats->svg_text);
    memset(stats, 0, sizeof *stats);
}

/* Orders "file:line: message" by file, then line number; others after, as found. */
static gint problem_cmp(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    const char *cx = strstr(x, ": "), *cy = strstr(y, ": ");
    if (!cx || !cy)
        return (cx == NULL) - (cy == NULL);
    /* the file is up to the last ':' before ": " when a line number stands there */
    const char *lx = cx, *ly = cy;
    while (lx > x && g_ascii_isdigit(lx[-1]))
        lx--;
    while (ly > y && g_ascii_isdigit(ly[-1]))
        ly--;
    size_t fx = (size_t)(lx - x), fy = (size_t)(ly - y);
    int c = strncmp(x, y, MIN(fx, fy));
    if (c || fx != fy)
        return c ? c : (fx < fy ? -1 : 1);
    long nx = strtol(lx, NULL, 10), ny = strtol(ly, NULL, 10);
    return (nx > ny) - (nx < ny);
}

cm_status cm_map_check(const char *path, const cm_map_options *opts, cm_ctx *ctx)
{
    GPtrArray *problems = g_ptr_array_new_with_free_func(g_free);
    cm_map *map = NULL;
    cm_status st = cm_map_load_checked(&map, path, opts, problems, ctx);
    if (st != CM_OK) {
        g_ptr_array_add(problems, g_strdup(cm_ctx_message(ctx)));
    } else if (problems->len > 0) {
        st = cm_fail(ctx, CM_EINPUT, "%s: %u problem(s) in the data", path, problems->len);
    }
    g_ptr_array_sort(problems, problem_cmp);
    for (guint i = 0; i < problems->len; i++)
        cm_problem(ctx, "%s", (char *)problems->pdata[i]);
    g_ptr_array_unref(problems);
    cm_map_destroy(map);
    return st;
}

cm_status cm_map_set_diff_from(cm_map *map, const char *date, cm_ctx *ctx)
{
    GDate d;
    if (!date) {
        map->has_diff_from = FALSE;
        return CM_OK;
    }
    if (!cm_parse_date(date, &d))
        return cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", date);
    if (g_date_compare(&d, &map->date) >= 0)
        return cm_fail(ctx, CM_EUSAGE, "--from %s must be before --to", date);
    map->diff_from = d;
    map->has_diff_from = TRUE;
    return CM_OK;
}

cm_status cm_map_set_lang(cm_map *map, const char *lang, cm_ctx *ctx)
{
    if (strcmp(lang, "en") && strcmp(lang, "ar") && strcmp(lang, "en+ar"))
        return cm_fail(ctx, CM_EUSAGE, "language \"%s\" must be en, ar or en+ar", lang);
    g_free(map->style->lang);
    map->style->lang = g_strdup(lang);
    return CM_OK;
}

static cm_status check_dpi(double dpi, cm_ctx *ctx)
{
    if (!(dpi >= 1 && dpi <= 10000))
        return cm_fail(ctx, CM_EUSAGE, "dpi %g is out of range (1 to 10000)", dpi);
    return CM_OK;
}


/* The file's provenance: title, dates, sources in force, the inputs' fingerprint.  The
 * creation time is SOURCE_DATE_EPOCH when set, else the map's date, so that the same inputs
 * give byte-identical files. */
static void set_provenance(cm_output *out, const cm_map *map, const page_spec *specs, int n)
{
    char first[11], last[11], created[32];
    iso_date(&specs[0].date, first);
    iso_date(&specs[n - 1].date, last);
    const char *epoch = g_getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    gint64 secs = epoch ? g_ascii_strtoll(epoch, &end, 10) : -1;
    if (epoch && end && !*end && secs >= 0) {
        GDateTime *t = g_date_time_new_from_unix_utc(secs);
        char *s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ");
        g_strlcpy(created, s, sizeof created);
        g_free(s);
        g_date_time_unref(t);
    } else {
        g_snprintf(created, sizeof created, "%sT00:00:00Z", last);
    }
    control_state cs = control_on(map, &specs[n - 1]);
    char *sources = sources_line(map, &cs);
    control_clear(&cs);
    char *date_long = cm_format_date_long(&specs[n - 1].date);
    const char *title = map->mf->title ? map->mf->title : "Territorial control";
    char *full_title = n > 1 ? g_strdup_printf("%s, %s to %s", title, first, last)
                             : g_strdup_printf("%s, %s", title, date_long);
    char *keywords = n > 1 ? g_strdup_printf("territorial control; %s; %s", first, last)
                           : g_strdup_printf("territorial control; %s", last);
    char *creator = g_strdup_printf("conflictmap %s", CONFLICTMAP_VERSION);
    cm_provenance p = {.title = full_title, .subject = map->mf->subtitle, .keywords = keywords,
                       .creator = creator, .date = n > 1 ? first : last, .created = created,
                       .sources = sources, .data_sha256 = map->data_sha256};
    cm_output_set_provenance(out, &p);
    g_free(creator);
    g_free(keywords);
    g_free(full_title);
    g_free(date_long);
    g_free(sources);
}

/* What one sheet of output shows: pages [first, first + count) of a run, one page or small
 * multiples. */
typedef struct {
    const cm_map *map;
    const page_spec *specs;
    int first, count;
    const int *grid; /* columns, rows; NULL or grid[0] == 0 for one page a sheet */
    const page_cache *cache;
} sheet;

static void draw_sheet(cairo_t *cr, void *data)
{
    const sheet *sh = data;
    const cm_map *map = sh->map;
    if (!sh->grid || sh->grid[0] <= 0) {
        draw_page(cr, map, &sh->specs[sh->first], sh->cache, NULL);
        return;
    }
    /* small multiples: each date's whole page, scaled into its cell */
    cm_draw_set_color(cr, map->style->page_bg);
    cairo_paint(cr);
    for (int k = 0; k < sh->count; k++) {
        int col = k % sh->grid[0], row = k / sh->grid[0];
        double cw = map->page_w / sh->grid[0], ch = map->page_h / sh->grid[1];
        double scale = fmin(cw / map->page_w, ch / map->page_h);
        cairo_save(cr);
        cairo_translate(cr, col * cw + (cw - map->page_w * scale) / 2,
                        row * ch + (ch - map->page_h * scale) / 2);
        cairo_scale(cr, scale, scale);
        cairo_rectangle(cr, 0, 0, map->page_w, map->page_h);
        cairo_clip(cr);
        draw_page(cr, map, &sh->specs[sh->first + k], sh->cache, NULL);
        cairo_restore(cr);
    }
}

/* Writes one file holding `n` pages (or sheets of small multiples when grid[0] > 0). */
static cm_status render_pages(cm_map *map, const char *path, const page_spec *specs, int n,
                              const int grid[2], const cm_render_options *opts, cm_ctx *ctx)
{
    cm_format fmt;
    cm_output *out = NULL;
    cm_status st;
    double dpi = opts->dpi;
    if ((st = check_dpi(dpi, ctx)) != CM_OK || (st = cm_format_from_path(&fmt, path, ctx)) != CM_OK)
        return st;
    int per_page = grid && grid[0] > 0 ? grid[0] * grid[1] : 1;
    int pages = (n + per_page - 1) / per_page;
    if (pages > 1 && fmt != CM_FORMAT_PDF)
        return cm_fail(ctx, CM_EUSAGE,
                       "%s: %d pages need a PDF, or a file name pattern such as frames/%%Y-%%m-%%d.png",
                       path, pages);
    int level = opts->png_compression;
    if (level < -1 || level > 9)
        return cm_fail(ctx, CM_EUSAGE, "PNG compression %d is out of range (0 to 9, or -1 for "
                       "the default)", level);
    if (opts->threads < 0)
        return cm_fail(ctx, CM_EUSAGE, "%d threads: use 1 or more, or 0 for one per core",
                       opts->threads);
    cm_raster raster = {.dpi = dpi, .level = level, .threads = opts->threads};
    if ((st = cm_output_begin(&out, path, fmt, map->page_w, map->page_h, &raster, ctx)) != CM_OK)
        return st;
    set_provenance(out, map, specs, n);
    cairo_status_t cs = CAIRO_STATUS_SUCCESS;
    if (fmt == CM_FORMAT_PNG) {
        sheet sh = {map, specs, 0, n, grid, NULL};
        if ((st = cm_output_draw_png(out, draw_sheet, &sh, ctx)) != CM_OK) {
            cm_output_abort(out);
            return st;
        }
        for (int k = 0; k < n && opts->progress; k++)
            opts->progress(k + 1, n, opts->progress_data);
    } else {
        cairo_t *cr = cairo_create(cm_output_surface(out));
        page_cache cache = {0};
        if (n > 1 && fmt == CM_FORMAT_PDF)
            cache = cache_new(map);
        if (fmt == CM_FORMAT_PDF)
            cache.halos = cm_halo_cache_new();
        for (int first = 0; first < n; first += per_page) {
            sheet sh = {map, specs, first, MIN(per_page, n - first), grid, &cache};
            if (per_page == 1 && fmt == CM_FORMAT_SVG) {
                cm_render_stats rs = {0};
                draw_page(cr, map, &specs[first], &cache, &rs);
                cm_output_set_svg_text(out, rs.svg_text);
                cm_render_stats_clear(&rs);
            } else {
                draw_sheet(cr, &sh);
            }
            for (int k = first; k < first + sh.count && opts->progress; k++)
                opts->progress(k + 1, n, opts->progress_data);
            if (first + per_page < n)
                cairo_show_page(cr);
        }
        cs = cairo_status(cr);
        cairo_destroy(cr);
        cache_clear(&cache);
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        cm_output_abort(out);
        return cm_fail(ctx, CM_EOUTPUT, "%s: drawing failed: %s", path, cairo_status_to_string(cs));
    }
    return cm_output_commit(out, ctx);
}

void cm_render_options_init(cm_render_options *opts)
{
    *opts = (cm_render_options){.size = sizeof *opts, .dpi = 300, .png_compression = -1,
                                .threads = 1};
}

cm_status cm_map_render_file(cm_map *map, const char *path, const cm_render_options *opts_in,
                             cm_ctx *ctx)
{
    cm_render_options opts;
    cm_render_options_init(&opts);
    if (cm_options_read(&opts, sizeof opts, opts_in, "cm_render_options", ctx) != CM_OK)
        return CM_EUSAGE;
    page_spec spec = spec_on(map);
    if (map->has_diff_from) {
        spec.diff = TRUE;
        spec.from = map->diff_from;
    }
    return render_pages(map, path, &spec, 1, NULL, &opts, ctx);
}

cm_status cm_map_render_cairo(cm_map *map, cairo_t *cr, double x, double y, double width,
                               double height, cm_ctx *ctx)
{
    if (!(width > 0 && height > 0))
        return cm_fail(ctx, CM_EUSAGE, "the rectangle %g x %g is empty", width, height);
    page_spec spec = spec_on(map);
    if (map->has_diff_from) {
        spec.diff = TRUE;
        spec.from = map->diff_from;
    }
    double scale = fmin(width / map->page_w, height / map->page_h);
    cairo_save(cr);
    cairo_translate(cr, x + (width - map->page_w * scale) / 2, y + (height - map->page_h * scale) / 2);
    cairo_scale(cr, scale, scale);
    cairo_rectangle(cr, 0, 0, map->page_w, map->page_h);
    cairo_clip(cr);
    draw_page(cr, map, &spec, NULL, NULL);
    cairo_restore(cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        return cm_fail(ctx, CM_EOUTPUT, "drawing failed: %s", cairo_status_to_string(cairo_status(cr)));
    return CM_OK;
}

cm_status cm_map_render_series(cm_map *map, const char *path, const char *const *dates, int n,
                               const int grid[2], const cm_render_options *opts_in, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_render_options o;
    cm_render_options_init(&o);
    if (cm_options_read(&o, sizeof o, opts_in, "cm_render_options", ctx) != CM_OK)
        return CM_EUSAGE;
    const cm_render_options *opts = &o;
    if (n < 1)
        return cm_fail(ctx, CM_EUSAGE, "a series needs at least one date");
    page_spec *specs = g_new0(page_spec, (size_t)n);
    for (int i = 0; i < n && st == CM_OK; i++) {
        if (!cm_parse_date(dates[i], &specs[i].date))
            st = cm_fail(ctx, CM_EUSAGE, "date \"%s\" is not a valid YYYY-MM-DD date", dates[i]);
    }
    if (st == CM_OK && strchr(path, '%')) {
        /* one file per date, named by strftime on the pattern */
        char prev[4096] = "";
        for (int i = 0; i < n && st == CM_OK; i++) {
            char name[4096];
            if (g_date_strftime(name, sizeof name, path, &specs[i].date) == 0) {
                st = cm_fail(ctx, CM_EUSAGE, "%s: the file name pattern gives an empty name", path);
                break;
            }
            if (!strcmp(name, prev)) {
                st = cm_fail(ctx, CM_EUSAGE, "%s: the pattern gives two dates the same file name %s",
                             path, name);
                break;
            }
            g_strlcpy(prev, name, sizeof prev);
            cm_render_options one = *opts;
            one.progress = NULL;
            st = render_pages(map, name, &specs[i], 1, NULL, &one, ctx);
            if (st == CM_OK && opts->progress)
                opts->progress(i + 1, n, opts->progress_data);
        }
    } else if (st == CM_OK) {
        st = render_pages(map, path, specs, n, grid, opts, ctx);
    }
    g_free(specs);
    return st;
}
