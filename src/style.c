/* Style cascade.  The vocabulary is one table: group, key, type, where the value goes, its
 * default and its range.  Resolution walks the table once and asks, for each key, which file
 * defined it last; errors name that file and line. */
#include "style.h"

#include "conflictmap/style.h"

#include "ctx.h"
#include "keyfile.h"
#include "words.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* T_PNG: the path of a PNG image within the bounds below, relative to its style file */
typedef enum { T_COLOR, T_NUMBER, T_STRING, T_LANG, T_BOOL, T_PNG, T_CORNER } value_type;

typedef struct {
    const char *group, *key;
    value_type type;
    size_t offset;
    const char *def;
    double min, max;
} style_key;

#define F(field) offsetof(cm_style, field)
static const style_key style_keys[] = {
    {"page", "background", T_COLOR, F(page_bg), "white", 0, 0},
    {"page", "margin", T_NUMBER, F(margin_mm), "10", 0, 100},
    {"page", "font", T_STRING, F(font), "Noto Sans, Noto Sans Arabic", 0, 0},
    {"sea", "fill", T_COLOR, F(sea_fill), "#dbe8f1", 0, 0},
    {"sea", "label-color", T_COLOR, F(sea_label), "#4f7896", 0, 0},
    {"neighbours", "fill", T_COLOR, F(nb_fill), "#eeebe4", 0, 0},
    {"neighbours", "stroke", T_COLOR, F(nb_stroke), "#b9b3a8", 0, 0},
    {"neighbours", "width", T_NUMBER, F(nb_width), "0.5", 0, 20},
    {"neighbours", "label-color", T_COLOR, F(nb_label), "#8c8579", 0, 0},
    {"neighbours", "label-size", T_NUMBER, F(nb_label_size), "9", 0, 72},
    {"regions", "stroke", T_COLOR, F(rg_stroke), "white", 0, 0},
    {"regions", "width", T_NUMBER, F(rg_width), "0.6", 0, 20},
    {"regions", "label-color", T_COLOR, F(rg_label), "#3c3c3c", 0, 0},
    {"regions", "label-size", T_NUMBER, F(rg_label_size), "6.5", 0, 72},
    {"regions", "label-halo", T_COLOR, F(rg_label_halo), "#ffffff8c", 0, 0},
    {"border", "stroke", T_COLOR, F(border_stroke), "#3a3a3a", 0, 0},
    {"border", "width", T_NUMBER, F(border_width), "1.2", 0, 20},
    {"unknown", "fill", T_COLOR, F(unknown_fill), "#d9d9d9", 0, 0},
    {"unknown", "label", T_STRING, F(unknown_label), "No data", 0, 0},
    {"contested", "label", T_STRING, F(contested_label), "Contested", 0, 0},
    {"contested", "hatch-width", T_NUMBER, F(hatch_width), "2.2", 0.2, 50},
    {"contested", "hatch-angle", T_NUMBER, F(hatch_angle), "45", -180, 180},
    {"places", "color", T_COLOR, F(place_color), "#1a1a1a", 0, 0},
    {"places", "halo", T_COLOR, F(place_halo), "white", 0, 0},
    {"places", "halo-width", T_NUMBER, F(halo_width), "2.2", 0, 20},
    {"places", "capital-size", T_NUMBER, F(capital_size), "10.5", 1, 72},
    {"places", "city-size", T_NUMBER, F(city_size), "8.5", 1, 72},
    {"places", "town-size", T_NUMBER, F(town_size), "7", 1, 72},
    {"places", "minor-size", T_NUMBER, F(minor_size), "6.5", 1, 72},
    {"places", "dot", T_NUMBER, F(dot), "2.2", 0, 50},
    {"places", "star", T_NUMBER, F(star), "6", 0, 50},
    {"places", "lang", T_LANG, F(lang), "en+ar", 0, 0},
    {"sites", "size", T_NUMBER, F(site_size), "7", 2, 50},
    {"title", "size", T_NUMBER, F(title_size), "18", 1, 144},
    {"title", "subtitle-size", T_NUMBER, F(subtitle_size), "11", 1, 144},
    {"title", "color", T_COLOR, F(title_color), "#1a1a1a", 0, 0},
    {"legend", "size", T_NUMBER, F(legend_size), "8", 1, 72},
    {"legend", "title", T_STRING, F(legend_title), "Control", 0, 0},
    {"legend", "position", T_CORNER, F(legend_corner), "auto", 0, 0},
    {"inset", "position", T_CORNER, F(inset_corner), "auto", 0, 0},
    {"scale-bar", "position", T_CORNER, F(scale_corner), "auto", 0, 0},
    {"legend", "background", T_COLOR, F(legend_bg), "#ffffffeb", 0, 0},
    {"legend", "border", T_COLOR, F(legend_border), "#8c8c8c", 0, 0},
    {"page", "frame", T_COLOR, F(frame_color), "#4d4d4d", 0, 0},
    {"events", "color", T_COLOR, F(event_color), "#6b1d5e", 0, 0},
    {"north-arrow", "show", T_BOOL, F(north_arrow), "true", 0, 0},
    {"graticule", "show", T_BOOL, F(graticule), "false", 0, 0},
    {"graticule", "step", T_NUMBER, F(graticule_step), "5", 0.1, 90},
    {"graticule", "color", T_COLOR, F(graticule_color), "#6e7f8c80", 0, 0},
    {"graticule", "width", T_NUMBER, F(graticule_width), "0.35", 0, 5},
    {"inset", "show", T_BOOL, F(inset), "true", 0, 0},
    {"inset", "width", T_NUMBER, F(inset_width), "0.17", 0.05, 0.5},
    {"inset", "sea", T_COLOR, F(inset_sea), "#dbe8f1", 0, 0},
    {"inset", "land", T_COLOR, F(inset_land), "#d6d2c8", 0, 0},
    {"inset", "highlight", T_COLOR, F(inset_highlight), "#4d4d4d", 0, 0},
    {"inset", "extent", T_COLOR, F(inset_extent), "#c0392b", 0, 0},
    {"title", "logo", T_PNG, F(logo), "", 0, 0},
    {"title", "logo-height", T_NUMBER, F(logo_height), "12", 1, 100},
};
#undef F

static const char *const controller_keys[] = {"label", "fill", "short", "by", "pattern",
                                              "pattern-color", NULL};
#define CONTROLLER_PREFIX "controller "

/* Index of the last file that defines group/key, or -1. */
static int last_definer(cm_keyfile *const *kfs, int n, const char *group, const char *key)
{
    for (int i = n - 1; i >= 0; i--)
        if (g_key_file_has_key(kfs[i]->kf, group, key, NULL))
            return i;
    return -1;
}

/* What a logo may be.  The file is bounded before it is read and the image before it is
 * decoded: a 30000 x 30000 px PNG of a few bytes decodes to 3.6 GB. */
#define LOGO_MAX_BYTES (20 * 1024 * 1024)
#define LOGO_MAX_PX 4096

/* Checks that `path` is a PNG image a logo may be: a regular file of at most LOGO_MAX_BYTES,
 * a PNG signature and header of at most LOGO_MAX_PX a side, that decodes.  Fails with
 * CM_ESTYLE and "where: [group] key: path is ..." saying what is wrong. */
static cm_status check_png(const style_key *k, const char *path, const char *where, cm_ctx *ctx)
{
    static const guint8 signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    cm_status st = CM_OK;
    FILE *f = NULL;
    cairo_surface_t *img = NULL;
    struct stat sb;
    guint8 head[24];
    if (stat(path, &sb) != 0) {
        st = errno == ENOENT || errno == ENOTDIR
                 ? cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: no such file %s", where, k->group, k->key, path)
                 : cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s: %s", where, k->group, k->key, path,
                           g_strerror(errno));
        goto cleanup;
    }
    if (S_ISDIR(sb.st_mode)) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is a folder, not a PNG image", where,
                     k->group, k->key, path);
        goto cleanup;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is not a regular file", where, k->group,
                     k->key, path);
        goto cleanup;
    }
    if (sb.st_size > LOGO_MAX_BYTES) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is %lld bytes, more than the %d bytes a "
                     "logo may be", where, k->group, k->key, path, (long long)sb.st_size,
                     LOGO_MAX_BYTES);
        goto cleanup;
    }
    if (!(f = fopen(path, "rb"))) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s: %s", where, k->group, k->key, path,
                     g_strerror(errno));
        goto cleanup;
    }
    /* the signature, then the IHDR chunk: length 13, "IHDR", width and height big-endian */
    if (fread(head, 1, sizeof head, f) != sizeof head || memcmp(head, signature, 8) ||
        memcmp(head + 8, "\0\0\0\rIHDR", 8)) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is not a PNG image", where, k->group, k->key,
                     path);
        goto cleanup;
    }
    guint32 w = (guint32)head[16] << 24 | (guint32)head[17] << 16 | (guint32)head[18] << 8 | head[19];
    guint32 h = (guint32)head[20] << 24 | (guint32)head[21] << 16 | (guint32)head[22] << 8 | head[23];
    if (w > LOGO_MAX_PX || h > LOGO_MAX_PX) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is %u x %u px, more than the %d x %d px a "
                     "logo may be", where, k->group, k->key, path, w, h, LOGO_MAX_PX, LOGO_MAX_PX);
        goto cleanup;
    }
    /* bounded now: decoded once here, so that a PNG cut short or corrupt is an error of the
     * style and not a logo missing from the page */
    img = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS || w == 0 || h == 0)
        st = cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s: %s is not a PNG image cairo can read (%s)",
                     where, k->group, k->key, path,
                     w && h ? cairo_status_to_string(cairo_surface_status(img)) : "it is 0 px");
cleanup:
    if (img)
        cairo_surface_destroy(img);
    if (f)
        fclose(f);
    return st;
}

static cm_status parse_value(const style_key *k, const char *text, const char *where,
                             const char *dir, cm_style *s, cm_ctx *ctx)
{
    void *dst = (char *)s + k->offset;
    switch (k->type) {
    case T_COLOR: {
        double c[4];
        if (!cm_parse_color(text, c))
            return cm_fail(ctx, CM_ESTYLE,
                           "%s: [%s] %s = \"%s\" is not a colour (#rrggbb, #rrggbbaa or a name)",
                           where, k->group, k->key, text);
        *(cm_rgba *)dst = (cm_rgba){c[0], c[1], c[2], c[3]};
        return CM_OK;
    }
    case T_NUMBER: {
        char *end = NULL;
        double v = g_ascii_strtod(text, &end);
        if (end == text || *end || !isfinite(v))
            return cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s = \"%s\" is not a number", where, k->group,
                           k->key, text);
        if (v < k->min || v > k->max)
            return cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s = %g is out of range (%g to %g)", where,
                           k->group, k->key, v, k->min, k->max);
        *(double *)dst = v;
        return CM_OK;
    }
    case T_BOOL:
        if (!g_ascii_strcasecmp(text, "true") || !g_ascii_strcasecmp(text, "yes") || !strcmp(text, "1"))
            *(gboolean *)dst = TRUE;
        else if (!g_ascii_strcasecmp(text, "false") || !g_ascii_strcasecmp(text, "no") ||
                 !strcmp(text, "0"))
            *(gboolean *)dst = FALSE;
        else
            return cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s = \"%s\" must be true or false", where,
                           k->group, k->key, text);
        return CM_OK;
    case T_PNG:
        g_free(*(char **)dst);
        *(char **)dst = !*text ? NULL
                        : g_path_is_absolute(text) || !dir ? g_strdup(text)
                                                           : g_build_filename(dir, text, NULL);
        return *(char **)dst ? check_png(k, *(char **)dst, where, ctx) : CM_OK;
    case T_CORNER: {
        static const char *const corners[] = {"top-left", "top-right", "bottom-left",
                                              "bottom-right"};
        if (strcmp(text, "auto") == 0) {
            *(int *)dst = -1; /* where it covers the least of the regions: furniture.c */
            return CM_OK;
        }
        for (size_t i = 0; i < G_N_ELEMENTS(corners); i++)
            if (strcmp(text, corners[i]) == 0) {
                *(int *)dst = (int)i; /* cm_corner's order */
                return CM_OK;
            }
        return cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s = \"%s\" must be auto, top-left, top-right, "
                       "bottom-left or bottom-right", where, k->group, k->key, text);
    }
    case T_LANG:
        if (strcmp(text, "en") && strcmp(text, "ar") && strcmp(text, "fr") && strcmp(text, "en+ar"))
            return cm_fail(ctx, CM_ESTYLE, "%s: [%s] %s = \"%s\" must be en, ar, fr or en+ar", where,
                           k->group, k->key, text);
        /* fall through */
    case T_STRING:
        g_free(*(char **)dst);
        *(char **)dst = g_strdup(text);
        return CM_OK;
    }
    g_assert_not_reached();
}

static void controller_free(gpointer p)
{
    cm_controller *c = p;
    g_free(c->id);
    g_free(c->label);
    g_free(c->short_label);
    g_free(c->by_en);
    g_free(c->by_label);
    g_free(c);
}

/* Each file's groups are checked for unknown names; a group's keys against the table. */
static void warn_unknown(const cm_keyfile *kf, cm_ctx *ctx)
{
    GPtrArray *known_groups = g_ptr_array_new();
    for (size_t i = 0; i < G_N_ELEMENTS(style_keys); i++)
        if (!g_ptr_array_find_with_equal_func(known_groups, style_keys[i].group, g_str_equal, NULL))
            g_ptr_array_add(known_groups, (gpointer)style_keys[i].group);
    g_ptr_array_add(known_groups, "words");
    g_ptr_array_add(known_groups, NULL);

    gsize n = 0;
    char **groups = g_key_file_get_groups(kf->kf, &n);
    for (gsize g = 0; g < n; g++) {
        if (strcmp(groups[g], "words") == 0) /* the catalogue: free-form, words.c */
            continue;
        if (g_str_has_prefix(groups[g], CONTROLLER_PREFIX)) {
            cm_keyfile_warn_unknown(kf, groups[g], controller_keys, ctx);
            continue;
        }
        if (!g_strv_contains((const char *const *)known_groups->pdata, groups[g])) {
            const char *near = cm_nearest_word(groups[g], (const char *const *)known_groups->pdata);
            cm_warn(ctx, "%s:%d: unknown group [%s]%s%s%s", kf->path,
                    cm_keyfile_line(kf, groups[g], NULL), groups[g],
                    near ? " (did you mean [" : ", ignored", near ? near : "", near ? "]?)" : "");
            continue;
        }
        GPtrArray *keys = g_ptr_array_new();
        for (size_t i = 0; i < G_N_ELEMENTS(style_keys); i++)
            if (strcmp(style_keys[i].group, groups[g]) == 0)
                g_ptr_array_add(keys, (gpointer)style_keys[i].key);
        g_ptr_array_add(keys, NULL);
        cm_keyfile_warn_unknown(kf, groups[g], (const char *const *)keys->pdata, ctx);
        g_ptr_array_free(keys, TRUE);
    }
    g_strfreev(groups);
    g_ptr_array_free(known_groups, TRUE);
}

/* The controllers every file names, in the order first named; ids are one word. */
static cm_status collect_controllers(cm_keyfile *const *kfs, int n, cm_style *s, cm_ctx *ctx)
{
    for (int f = 0; f < n; f++) {
        char **groups = g_key_file_get_groups(kfs[f]->kf, NULL);
        for (char **g = groups; *g; g++) {
            if (!g_str_has_prefix(*g, CONTROLLER_PREFIX))
                continue;
            const char *id = *g + strlen(CONTROLLER_PREFIX);
            if (!*id || strchr(id, ' ') || strchr(id, ';')) {
                cm_status st = cm_fail(ctx, CM_ESTYLE,
                                       "%s:%d: controller id \"%s\" must be one word without ';'",
                                       kfs[f]->path, cm_keyfile_line(kfs[f], *g, NULL), id);
                g_strfreev(groups);
                return st;
            }
            if (!cm_style_controller(s, id)) {
                cm_controller *c = g_new0(cm_controller, 1);
                c->id = g_strdup(id);
                g_ptr_array_add(s->controllers, c);
            }
        }
        g_strfreev(groups);
    }
    return CM_OK;
}

/* The text of `key` in `group` from the last file that sets it, or `fallback`. */
static char *last_text(cm_keyfile *const *kfs, int n, const char *group, const char *key,
                       const char *fallback)
{
    int f = last_definer(kfs, n, group, key);
    char *v = f >= 0 ? g_key_file_get_string(kfs[f]->kf, group, key, NULL) : NULL;
    if (!v || !*g_strstrip(v)) {
        g_free(v);
        v = g_strdup(fallback);
    }
    return v;
}

/* A controller's fill: required, a colour. */
static cm_status controller_fill(cm_controller *c, cm_keyfile *const *kfs, int n,
                                 const char *group, cm_ctx *ctx)
{
    int ff = last_definer(kfs, n, group, "fill");
    if (ff < 0) {
        /* name the last file that opened this group */
        int fg = n - 1;
        while (fg > 0 && !g_key_file_has_group(kfs[fg]->kf, group))
            fg--;
        return cm_fail(ctx, CM_ESTYLE, "%s:%d: [%s] needs a fill colour", kfs[fg]->path,
                       cm_keyfile_line(kfs[fg], group, NULL), group);
    }
    cm_status st = CM_OK;
    char *v = g_key_file_get_string(kfs[ff]->kf, group, "fill", NULL);
    double rgba[4];
    if (!cm_parse_color(g_strstrip(v), rgba))
        st = cm_fail(ctx, CM_ESTYLE,
                     "%s:%d: [%s] fill = \"%s\" is not a colour (#rrggbb, #rrggbbaa or a name)",
                     kfs[ff]->path, cm_keyfile_line(kfs[ff], group, "fill"), group, v);
    c->fill = (cm_rgba){rgba[0], rgba[1], rgba[2], rgba[3]};
    g_free(v);
    return st;
}

/* A controller's pattern and its colour, both optional. */
static cm_status controller_pattern(cm_controller *c, cm_keyfile *const *kfs, int n,
                                    const char *group, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    int fp = last_definer(kfs, n, group, "pattern");
    c->pattern = CM_PATTERN_SOLID;
    if (fp >= 0) {
        char *v = g_strstrip(g_key_file_get_string(kfs[fp]->kf, group, "pattern", NULL));
        if (!strcmp(v, "dots"))
            c->pattern = CM_PATTERN_DOTS;
        else if (!strcmp(v, "lines"))
            c->pattern = CM_PATTERN_LINES;
        else if (strcmp(v, "solid"))
            st = cm_fail(ctx, CM_ESTYLE, "%s:%d: [%s] pattern = \"%s\" must be solid, dots or lines",
                         kfs[fp]->path, cm_keyfile_line(kfs[fp], group, "pattern"), group, v);
        g_free(v);
    }
    int fc = last_definer(kfs, n, group, "pattern-color");
    c->pattern_color = (cm_rgba){0, 0, 0, 0.6};
    if (st == CM_OK && fc >= 0) {
        char *v = g_strstrip(g_key_file_get_string(kfs[fc]->kf, group, "pattern-color", NULL));
        double rgba[4];
        if (cm_parse_color(v, rgba))
            c->pattern_color = (cm_rgba){rgba[0], rgba[1], rgba[2], rgba[3]};
        else
            st = cm_fail(ctx, CM_ESTYLE, "%s:%d: [%s] pattern-color = \"%s\" is not a colour",
                         kfs[fc]->path, cm_keyfile_line(kfs[fc], group, "pattern-color"), group, v);
        g_free(v);
    }
    return st;
}

static cm_status load_controllers(cm_keyfile *const *kfs, int n, cm_style *s, cm_ctx *ctx)
{
    cm_status st = collect_controllers(kfs, n, s, ctx);
    for (guint i = 0; st == CM_OK && i < s->controllers->len; i++) {
        cm_controller *c = s->controllers->pdata[i];
        char *group = g_strconcat(CONTROLLER_PREFIX, c->id, NULL);
        st = controller_fill(c, kfs, n, group, ctx);
        c->label = last_text(kfs, n, group, "label", c->id);
        c->short_label = last_text(kfs, n, group, "short", c->id);
        c->by_en = last_text(kfs, n, group, "by", NULL);
        if (st == CM_OK)
            st = controller_pattern(c, kfs, n, group, ctx);
        g_free(group);
    }
    return st;
}

cm_status cm_style_load(cm_style **out, const char *const *files, cm_ctx *ctx)
{
    cm_status st = CM_OK;
    GPtrArray *kfs = g_ptr_array_new_with_free_func((GDestroyNotify)cm_keyfile_destroy);
    cm_style *s = g_new0(cm_style, 1);
    s->controllers = g_ptr_array_new_with_free_func(controller_free);

    *out = NULL;
    for (size_t i = 0; files && files[i]; i++) {
        cm_keyfile *kf = NULL;
        if ((st = cm_keyfile_read(&kf, files[i], ctx)) != CM_OK)
            goto cleanup;
        g_ptr_array_add(kfs, kf);
        warn_unknown(kf, ctx);
    }
    cm_keyfile *const *k = (cm_keyfile *const *)kfs->pdata;
    int n = (int)kfs->len;

    for (size_t i = 0; i < G_N_ELEMENTS(style_keys); i++) {
        const style_key *sk = &style_keys[i];
        int f = last_definer(k, n, sk->group, sk->key);
        char *text = f >= 0 ? g_key_file_get_string(k[f]->kf, sk->group, sk->key, NULL)
                            : g_strdup(sk->def);
        char *where = f >= 0 ? g_strdup_printf("%s:%d", k[f]->path,
                                               cm_keyfile_line(k[f], sk->group, sk->key))
                             : g_strdup("built-in default");
        char *dir = f >= 0 ? g_path_get_dirname(k[f]->path) : NULL;
        st = parse_value(sk, g_strstrip(text), where, dir, s, ctx);
        g_free(dir);
        g_free(text);
        g_free(where);
        if (st != CM_OK)
            goto cleanup;
    }
    if ((st = load_controllers(k, n, s, ctx)) != CM_OK)
        goto cleanup;
    if (s->controllers->len == 0) {
        st = cm_fail(ctx, CM_ESTYLE, "%s: no [controller ID] group in any style file",
                     n ? k[n - 1]->path : "style");
        goto cleanup;
    }
    cm_words_load(s, k, n);
    *out = s;
    s = NULL;
cleanup:
    g_ptr_array_unref(kfs);
    cm_style_destroy(s);
    return st;
}

void cm_style_destroy(cm_style *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(style_keys); i++)
        if (style_keys[i].type == T_STRING || style_keys[i].type == T_LANG ||
            style_keys[i].type == T_PNG)
            g_free(*(char **)((char *)s + style_keys[i].offset));
    g_ptr_array_unref(s->controllers);
    if (s->words)
        g_hash_table_unref(s->words);
    if (s->words_missing)
        g_hash_table_unref(s->words_missing);
    g_free(s);
}

const cm_controller *cm_style_controller(const cm_style *s, const char *id)
{
    for (guint i = 0; i < s->controllers->len; i++) {
        const cm_controller *c = s->controllers->pdata[i];
        if (strcmp(c->id, id) == 0)
            return c;
    }
    return NULL;
}

/* ---- the public handle ---------------------------------------------------------------- */

cm_status cm_style_open(cm_style **out, const char *const *files, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    return cm_style_load(out, files, ctx);
}

void cm_style_close(cm_style *style)
{
    cm_style_destroy(style);
}

int cm_style_controller_count(const cm_style *style)
{
    return (int)style->controllers->len;
}

cm_status cm_style_controller_get(const char **id, const char **label, double rgba[4],
                                  const cm_style *style, int i, cm_ctx *ctx)
{
    cm_ctx_begin(ctx);
    if (i < 0 || i >= (int)style->controllers->len)
        return cm_fail(ctx, CM_EUSAGE, "controller %d is out of range (the style has %u)", i,
                       style->controllers->len);
    const cm_controller *c = style->controllers->pdata[i];
    if (id)
        *id = c->id;
    if (label)
        *label = c->label;
    if (rgba)
        rgba[0] = c->fill.r, rgba[1] = c->fill.g, rgba[2] = c->fill.b, rgba[3] = c->fill.a;
    return CM_OK;
}

void cm_style_frame(const cm_style *s, double page_w, double page_h, double strip,
                    double frame[4])
{
    double m = s->margin_mm * (72.0 / 25.4);
    double top = m + s->title_size * 1.35 + s->subtitle_size * 1.5 + 4;
    double bottom = CM_FOOTER_SIZE * 1.3 * CM_FOOTER_LINES + 4;
    frame[0] = m;
    frame[1] = top;
    frame[2] = page_w - 2 * m;
    frame[3] = page_h - top - m - bottom - strip;
}
