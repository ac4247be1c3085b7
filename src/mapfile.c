/* Map file parsing: a GKeyFile with a fixed vocabulary, checked key by key. */
#include "mapfile.h"

#include "ctx.h"
#include "geodata.h"
#include "keyfile.h"
#include "words.h"

#include <math.h>
#include <stdio.h>
#include <ogr_srs_api.h>
#include <string.h>

static const char *const map_keys[] = {"title", "subtitle", "date", "crs", "extent",
                                       "page", "styles", "credit", "sea-label",
                                       "sea-label-at", "sea-label-ar", NULL};
static const char *const layer_keys[] = {"file", "layer", "key", "name", "name-ar", "name-fr", "kind",
                                         "rank", "reach", NULL};
static const char *const inset_keys[] = {"file", "layer", "extent", "crs", NULL};
static const char *const detail_keys[] = {"title", "extent", "position", "width", NULL};
static const char *const groups[] = {"map", "regions", "neighbours", "border", "places", "sites",
                                     "control", "inset", "zones", "lines", "sources", "events", NULL};
static const char *const corners[] = {"top-left", "top-right", "bottom-left", "bottom-right", NULL};
#define DETAIL_PREFIX "detail "
#define LABEL_PREFIX "label "

gboolean cm_parse_page(const char *text, double *w_mm, double *h_mm)
{
    static const struct { const char *name; double w, h; } sizes[] = {
        {"a5", 148, 210}, {"a4", 210, 297}, {"a3", 297, 420}, {"a2", 420, 594},
        {"letter", 215.9, 279.4}, {"legal", 215.9, 355.6}, {"tabloid", 279.4, 431.8},
    };
    char *lower = g_ascii_strdown(text, -1);
    gboolean ok = FALSE;
    double w = 0, h = 0;
    char unit[4] = "";
    if (sscanf(lower, "%lfx%lf%3s", &w, &h, unit) == 3 &&
        (strcmp(unit, "mm") == 0 || strcmp(unit, "px") == 0)) {
        if (strcmp(unit, "px") == 0) {
            /* CSS pixels, 96 to the inch: at --dpi 96 the PNG has exactly this size */
            w *= 25.4 / 96, h *= 25.4 / 96;
        }
        ok = isfinite(w) && isfinite(h) && w >= CM_PAGE_MIN_MM && h >= CM_PAGE_MIN_MM &&
             w <= CM_PAGE_MAX_MM && h <= CM_PAGE_MAX_MM;
    } else {
        char **parts = g_strsplit(lower, "-", 2);
        for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
            if (strcmp(parts[0], sizes[i].name) != 0)
                continue;
            const char *orient = parts[1] ? parts[1] : "portrait";
            if (strcmp(orient, "portrait") == 0) {
                w = sizes[i].w, h = sizes[i].h, ok = TRUE;
            } else if (strcmp(orient, "landscape") == 0) {
                w = sizes[i].h, h = sizes[i].w, ok = TRUE;
            }
        }
        g_strfreev(parts);
    }
    g_free(lower);
    if (ok) {
        *w_mm = w;
        *h_mm = h;
    }
    return ok;
}

/* A CRS PROJ does not know is the map file's error, at its line. */
static cm_status check_crs(const cm_keyfile *kf, const char *group, const char *crs, cm_ctx *ctx)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    cm_gdal_quiet_begin();
    OGRErr e = OSRSetFromUserInput(srs, crs);
    cm_gdal_quiet_end();
    OSRDestroySpatialReference(srs);
    if (e == OGRERR_NONE)
        return CM_OK;
    return cm_fail(ctx, CM_ESTYLE, "%s:%d: crs \"%s\" is not a coordinate reference system PROJ "
                   "knows", kf->path, cm_keyfile_line(kf, group, "crs"), crs);
}

static void layer_spec_clear(cm_layer_spec *s)
{
    g_free(s->file);
    g_free(s->layer);
    g_free(s->key);
    g_free(s->name);
    g_free(s->name_ar);
    g_free(s->name_fr);
    g_free(s->kind);
    g_free(s->rank);
}

/* A file relative to the map file's folder; a connection string ("PG:...") as given: a
 * folder in front of it would make it a file name that is not there. */
static char *resolve(const char *dir, const char *file)
{
    return g_path_is_absolute(file) || !cm_datasource_is_file(file)
               ? g_strdup(file)
               : g_build_filename(dir, file, NULL);
}

static char *get_string(const cm_keyfile *kf, const char *group, const char *key)
{
    char *v = g_key_file_get_string(kf->kf, group, key, NULL);
    if (v && !*g_strstrip(v))
        g_clear_pointer(&v, g_free);
    return v;
}

/* Reads `extent` of `group` (west, south, east, north in degrees) into ext. */
static cm_status read_extent(const cm_keyfile *kf, const char *group, double ext[4], cm_ctx *ctx)
{
    gsize n = 0;
    double *v = g_key_file_get_double_list(kf->kf, group, "extent", &n, NULL);
    int line = cm_keyfile_line(kf, group, "extent");
    if (!line)
        line = cm_keyfile_line(kf, group, NULL);
    if (!v || n != 4) {
        g_free(v);
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: extent must be four numbers: west, south, east, north",
                       kf->path, line);
    }
    memcpy(ext, v, 4 * sizeof *ext);
    g_free(v);
    if (!(ext[0] < ext[2] && ext[1] < ext[3] && ext[0] >= -180 && ext[2] <= 180 && ext[1] >= -90 &&
          ext[3] <= 90))
        return cm_fail(ctx, CM_ESTYLE,
                       "%s:%d: extent must be west < east within -180..180 and south < north within -90..90",
                       kf->path, line);
    return CM_OK;
}

static cm_status load_layer(const cm_keyfile *kf, const char *dir, const char *group,
                            gboolean required, cm_layer_spec *spec, cm_ctx *ctx)
{
    spec->line = cm_keyfile_line(kf, group, NULL);
    if (!g_key_file_has_group(kf->kf, group)) {
        if (required)
            return cm_fail(ctx, CM_ESTYLE, "%s: missing group [%s]", kf->path, group);
        return CM_OK;
    }
    cm_keyfile_warn_unknown(kf, group, strcmp(group, "inset") ? layer_keys : inset_keys, ctx);
    char *file = get_string(kf, group, "file");
    if (!file)
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: [%s] needs a \"file\" key", kf->path, spec->line,
                       group);
    spec->file = resolve(dir, file);
    g_free(file);
    spec->layer = get_string(kf, group, "layer");
    spec->key = get_string(kf, group, "key");
    spec->name = get_string(kf, group, "name");
    spec->name_ar = get_string(kf, group, "name-ar");
    spec->name_fr = get_string(kf, group, "name-fr");
    spec->kind = get_string(kf, group, "kind");
    spec->rank = get_string(kf, group, "rank");
    /* a town's control reaches 25 km around it by default, a site's 8 km */
    spec->reach_km = strcmp(group, "sites") == 0 ? 8 : 25;
    if (g_key_file_has_key(kf->kf, group, "reach", NULL)) {
        GError *err = NULL;
        spec->reach_km = g_key_file_get_double(kf->kf, group, "reach", &err);
        if (err || !(spec->reach_km >= 0 && spec->reach_km <= 1000)) {
            g_clear_error(&err);
            return cm_fail(ctx, CM_ESTYLE, "%s:%d: reach must be a distance in kilometres, "
                           "0 to 1000", kf->path, cm_keyfile_line(kf, group, "reach"));
        }
    }
    return CM_OK;
}

/* Unknown groups are warnings, with the nearest known name. */
static void warn_unknown_groups(const cm_keyfile *kf, cm_ctx *ctx)
{
    gsize ngroups = 0;
    char **names = g_key_file_get_groups(kf->kf, &ngroups);
    for (gsize i = 0; i < ngroups; i++) {
        if (g_strv_contains(groups, names[i]) || g_str_has_prefix(names[i], DETAIL_PREFIX) ||
            g_str_has_prefix(names[i], LABEL_PREFIX))
            continue;
        const char *near = cm_nearest_word(names[i], groups);
        cm_warn(ctx, "%s:%d: unknown group [%s]%s%s%s", kf->path,
                cm_keyfile_line(kf, names[i], NULL), names[i],
                near ? " (did you mean [" : ", ignored", near ? near : "", near ? "]?)" : "");
    }
    g_strfreev(names);
}

/* The title block, credit and sea label of [map]. */
/* A label's text and place from `group`'s keys (text, text-ar, at: [map]'s sea-label keys
 * or a [label NAME]'s; text[ar] and text[fr] translate too); FALSE with nothing read when
 * there is no text. */
static cm_status read_label(cm_mapfile *mf, const cm_keyfile *kf, const char *group,
                            const char *const keys[3], cm_ctx *ctx)
{
    gsize n = 0;
    char *text = get_string(kf, group, keys[0]);
    if (!text) {
        if (strcmp(group, "map") == 0)
            return CM_OK;
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: [%s] needs a \"text\"", kf->path,
                       cm_keyfile_line(kf, group, NULL), group);
    }
    double *at = g_key_file_get_double_list(kf->kf, group, keys[2], &n, NULL);
    gboolean ok = at && n == 2 && fabs(at[0]) <= 180 && fabs(at[1]) <= 90;
    cm_map_label *l = &mf->labels[mf->nlabels++];
    l->text = text;
    /* Arabic as text-ar (sea-label-ar) or as the locale key text[ar] (sea-label[ar]) */
    char *ar = g_strdup_printf("%s[ar]", keys[0]), *fr = g_strdup_printf("%s[fr]", keys[0]);
    l->text_ar = get_string(kf, group, keys[1]);
    if (!l->text_ar)
        l->text_ar = get_string(kf, group, ar);
    l->text_fr = get_string(kf, group, fr);
    g_free(ar);
    g_free(fr);
    if (ok)
        memcpy(l->at, at, sizeof l->at);
    g_free(at);
    if (ok)
        return CM_OK;
    const char *key = g_key_file_has_key(kf->kf, group, keys[2], NULL) ? keys[2] : keys[0];
    return cm_fail(ctx, CM_ESTYLE, "%s:%d: %s must be a longitude and a latitude", kf->path,
                   cm_keyfile_line(kf, group, key), keys[2]);
}

static cm_status read_texts(cm_mapfile *mf, const cm_keyfile *kf, cm_ctx *ctx)
{
    /* NULL-terminated: the label's keys are also the list of keys it knows */
    static const char *const sea_keys[] = {"sea-label", "sea-label-ar", "sea-label-at", NULL};
    static const char *const label_keys[] = {"text", "text-ar", "at", NULL};
    mf->title = get_string(kf, "map", "title");
    mf->subtitle = get_string(kf, "map", "subtitle");
    mf->credit = get_string(kf, "map", "credit");
    gsize ngroups = 0;
    char **groups_in = g_key_file_get_groups(kf->kf, &ngroups);
    mf->labels = g_new0(cm_map_label, ngroups + 2);
    cm_status st = read_label(mf, kf, "map", sea_keys, ctx);
    for (gsize i = 0; i < ngroups && st == CM_OK; i++)
        if (g_str_has_prefix(groups_in[i], LABEL_PREFIX)) {
            cm_keyfile_warn_unknown(kf, groups_in[i], label_keys, ctx);
            st = read_label(mf, kf, groups_in[i], label_keys, ctx);
        }
    g_strfreev(groups_in);
    return st;
}

/* [map]'s date, crs, extent, page and styles. */
static cm_status read_frame(cm_mapfile *mf, const cm_keyfile *kf, const char *dir, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    const char *path = kf->path;
    char *v = NULL;
    if ((v = get_string(kf, "map", "date")) && !cm_parse_date(v, &mf->date))
        st = cm_fail(ctx, CM_ESTYLE, "%s:%d: date \"%s\" is not a valid YYYY-MM-DD date", path,
                     cm_keyfile_line(kf, "map", "date"), v);
    g_clear_pointer(&v, g_free);
    if (st == CM_OK && !(mf->crs = get_string(kf, "map", "crs")))
        st = cm_fail(ctx, CM_ESTYLE, "%s:%d: [map] needs a \"crs\" key", path,
                     cm_keyfile_line(kf, "map", NULL));
    if (st != CM_OK || (st = check_crs(kf, "map", mf->crs, ctx)) != CM_OK ||
        (st = read_extent(kf, "map", mf->extent, ctx)) != CM_OK)
        return st;
    mf->page_w_mm = 297, mf->page_h_mm = 210;
    if ((v = get_string(kf, "map", "page")) && !cm_parse_page(v, &mf->page_w_mm, &mf->page_h_mm))
        st = cm_fail(ctx, CM_ESTYLE,
                     "%s:%d: page \"%s\" is not a size: A5, A4, A3, A2, letter, legal or tabloid "
                     "(-portrait or -landscape), or WxHmm or WxHpx with sides of %g to %g mm "
                     "(%d to %d px)", path, cm_keyfile_line(kf, "map", "page"), v,
                     CM_PAGE_MIN_MM, CM_PAGE_MAX_MM, (int)ceil(CM_PAGE_MIN_MM * 96 / 25.4),
                     (int)(CM_PAGE_MAX_MM * 96 / 25.4));
    g_free(v);
    gsize n = 0;
    char **list = g_key_file_get_string_list(kf->kf, "map", "styles", &n, NULL);
    GPtrArray *styles = g_ptr_array_new();
    for (gsize i = 0; list && i < n; i++) {
        char *s = g_strstrip(list[i]);
        if (*s)
            g_ptr_array_add(styles, resolve(dir, s));
    }
    g_ptr_array_add(styles, NULL);
    mf->styles = (char **)g_ptr_array_free(styles, FALSE);
    g_strfreev(list);
    return st;
}

/* A group that names only a file and maybe a layer ([control], [zones], [lines], [sources],
 * [events]): the file, or NULL, and the layer, or NULL. */
static cm_status read_file_group(char **out, char **layer, const cm_keyfile *kf,
                                 const char *dir, const char *group, gboolean required,
                                 cm_ctx *ctx)
{
    cm_layer_spec spec = {0};
    cm_status st = load_layer(kf, dir, group, required, &spec, ctx);
    *out = g_steal_pointer(&spec.file);
    *layer = g_steal_pointer(&spec.layer);
    layer_spec_clear(&spec);
    return st;
}

/* One [detail NAME] group: a name of letters, digits, '-' and '_', an extent inside the map's
 * (a detail of what the map does not show is an error), a corner and a width. */
static cm_status read_detail(cm_detail *d, const cm_mapfile *mf, const cm_keyfile *kf,
                             const char *group, cm_ctx *ctx)
{
    cm_status st;
    d->line = cm_keyfile_line(kf, group, NULL);
    d->name = g_strdup(group + strlen(DETAIL_PREFIX));
    g_strstrip(d->name);
    gboolean ok_name = *d->name != 0;
    for (const char *c = d->name; *c; c++)
        ok_name = ok_name && (g_ascii_isalnum(*c) || *c == '-' || *c == '_');
    if (!ok_name)
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: a detail's name is letters, digits, '-' and '_': "
                       "[detail tripoli]", kf->path, d->line);
    cm_keyfile_warn_unknown(kf, group, detail_keys, ctx);
    if ((st = read_extent(kf, group, d->extent, ctx)) != CM_OK)
        return st;
    const double *m = mf->extent, *e = d->extent;
    if (e[0] < m[0] || e[1] < m[1] || e[2] > m[2] || e[3] > m[3])
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: the extent of [detail %s] must lie inside the "
                       "map's (%g, %g, %g, %g)", kf->path, cm_keyfile_line(kf, group, "extent"),
                       d->name, m[0], m[1], m[2], m[3]);
    if (!(d->title = get_string(kf, group, "title")))
        d->title = g_strdup(d->name);
    char *pos = get_string(kf, group, "position");
    int corner = pos ? -1 : CM_CORNER_BOTTOM_LEFT;
    for (int i = 0; pos && corners[i]; i++)
        if (strcmp(pos, corners[i]) == 0)
            corner = i;
    g_free(pos);
    d->corner = (cm_corner)MAX(corner, 0);
    if (corner < 0) {
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: position must be top-left, top-right, "
                       "bottom-left or bottom-right", kf->path,
                       cm_keyfile_line(kf, group, "position"));
    }
    d->width_mm = 90;
    GError *err = NULL;
    if (g_key_file_has_key(kf->kf, group, "width", NULL)) {
        d->width_mm = g_key_file_get_double(kf->kf, group, "width", &err);
        if (err || !(d->width_mm >= 20 && d->width_mm <= CM_PAGE_MAX_MM)) {
            g_clear_error(&err);
            return cm_fail(ctx, CM_ESTYLE, "%s:%d: width must be a number of millimetres, "
                           "at least 20", kf->path, cm_keyfile_line(kf, group, "width"));
        }
    }
    return CM_OK;
}

static cm_status read_details(cm_mapfile *mf, const cm_keyfile *kf, cm_ctx *ctx)
{
    gsize n = 0;
    char **names = g_key_file_get_groups(kf->kf, &n);
    cm_status st = CM_OK;
    mf->details = g_new0(cm_detail, n + 1);
    for (gsize i = 0; i < n && st == CM_OK; i++) {
        if (!g_str_has_prefix(names[i], DETAIL_PREFIX))
            continue;
        cm_detail *d = &mf->details[mf->ndetails++];
        st = read_detail(d, mf, kf, names[i], ctx);
        for (int j = 0; st == CM_OK && j + 1 < mf->ndetails; j++)
            if (strcmp(mf->details[j].name, d->name) == 0)
                st = cm_fail(ctx, CM_ESTYLE, "%s:%d: [detail %s] is defined twice", kf->path,
                             d->line, d->name);
    }
    g_strfreev(names);
    return st;
}

/* The layers, the inset, the ledger, zones and lines. */
static cm_status read_layers(cm_mapfile *mf, const cm_keyfile *kf, const char *dir, cm_ctx *ctx)
{
    cm_status st;
    if ((st = load_layer(kf, dir, "regions", TRUE, &mf->regions, ctx)) != CM_OK ||
        (st = load_layer(kf, dir, "neighbours", FALSE, &mf->neighbours, ctx)) != CM_OK ||
        (st = load_layer(kf, dir, "border", FALSE, &mf->border, ctx)) != CM_OK ||
        (st = load_layer(kf, dir, "places", FALSE, &mf->places, ctx)) != CM_OK ||
        (st = load_layer(kf, dir, "sites", FALSE, &mf->sites, ctx)) != CM_OK)
        return st;
    if (!mf->regions.key)
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: [regions] needs a \"key\" field name", kf->path,
                       mf->regions.line);
    if ((st = load_layer(kf, dir, "inset", FALSE, &mf->inset, ctx)) != CM_OK)
        return st;
    if (mf->inset.file) {
        if ((st = read_extent(kf, "inset", mf->inset_extent, ctx)) != CM_OK)
            return st;
        mf->inset_crs = get_string(kf, "inset", "crs");
        if (mf->inset_crs && (st = check_crs(kf, "inset", mf->inset_crs, ctx)) != CM_OK)
            return st;
    }
    if (!mf->inset_crs)
        mf->inset_crs = g_strdup(mf->crs);
    struct { char **file, **layer; const char *group; gboolean required; } files[] = {
        {&mf->control, &mf->control_layer, "control", TRUE},
        {&mf->zones, &mf->zones_layer, "zones", FALSE},
        {&mf->lines, &mf->lines_layer, "lines", FALSE},
        {&mf->sources, &mf->sources_layer, "sources", FALSE},
        {&mf->events, &mf->events_layer, "events", FALSE}};
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
        if ((st = read_file_group(files[i].file, files[i].layer, kf, dir, files[i].group,
                                  files[i].required, ctx)) != CM_OK)
            return st;
    return CM_OK;
}

cm_status cm_mapfile_load(cm_mapfile **out, const char *path, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    cm_keyfile *kf = NULL;
    cm_mapfile *mf = NULL;
    char *dir = NULL;

    *out = NULL;
    if ((st = cm_keyfile_read(&kf, path, ctx)) != CM_OK)
        goto cleanup;
    mf = g_new0(cm_mapfile, 1);
    mf->path = g_strdup(path);
    g_date_clear(&mf->date, 1);
    dir = g_path_get_dirname(path);
    warn_unknown_groups(kf, ctx);
    if (!g_key_file_has_group(kf->kf, "map")) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: missing group [map]", path);
        goto cleanup;
    }
    cm_keyfile_warn_unknown(kf, "map", map_keys, ctx);
    if ((st = read_texts(mf, kf, ctx)) != CM_OK || (st = read_frame(mf, kf, dir, ctx)) != CM_OK ||
        (st = read_layers(mf, kf, dir, ctx)) != CM_OK || (st = read_details(mf, kf, ctx)) != CM_OK)
        goto cleanup;
    cm_mapfile_words_load(mf, kf);
    *out = mf;
    mf = NULL;
cleanup:
    g_free(dir);
    cm_keyfile_destroy(kf);
    cm_mapfile_destroy(mf);
    return st;
}

void cm_mapfile_destroy(cm_mapfile *mf)
{
    if (!mf)
        return;
    g_free(mf->path);
    g_free(mf->title);
    g_free(mf->subtitle);
    g_free(mf->credit);
    for (int i = 0; i < mf->nlabels; i++) {
        g_free(mf->labels[i].text);
        g_free(mf->labels[i].text_ar);
        g_free(mf->labels[i].text_fr);
    }
    g_free(mf->labels);
    g_free(mf->crs);
    g_strfreev(mf->styles);
    layer_spec_clear(&mf->regions);
    layer_spec_clear(&mf->neighbours);
    layer_spec_clear(&mf->border);
    layer_spec_clear(&mf->places);
    layer_spec_clear(&mf->sites);
    for (int i = 0; i < mf->ndetails; i++) {
        g_free(mf->details[i].name);
        g_free(mf->details[i].title);
    }
    g_free(mf->details);
    if (mf->words)
        g_hash_table_unref(mf->words);
    layer_spec_clear(&mf->inset);
    g_free(mf->inset_crs);
    g_free(mf->control);
    g_free(mf->zones);
    g_free(mf->sources);
    g_free(mf->events);
    g_free(mf->lines);
    g_free(mf->control_layer);
    g_free(mf->zones_layer);
    g_free(mf->lines_layer);
    g_free(mf->sources_layer);
    g_free(mf->events_layer);
    g_free(mf);
}
