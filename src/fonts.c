/* Font maps with a private fontconfig configuration (fonts.h). */
#include "fonts.h"

#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <string.h>

/* The faces a map needs: normal width, regular or bold, upright or italic. */
static gboolean wanted(FcPattern *p)
{
    int weight = FC_WEIGHT_REGULAR, width = FC_WIDTH_NORMAL, slant = FC_SLANT_ROMAN;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(p, FC_WIDTH, 0, &width);
    FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    return width == FC_WIDTH_NORMAL && (weight == FC_WEIGHT_REGULAR || weight == FC_WEIGHT_BOLD) &&
           (slant == FC_SLANT_ROMAN || slant == FC_SLANT_ITALIC);
}

/* Adds the family's wanted faces, as the system configuration lists them, to `config`;
 * returns how many. */
static int add_family(FcConfig *config, const char *family)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, FC_WEIGHT, FC_WIDTH, FC_SLANT, NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    int added = 0;
    for (int i = 0; fs && i < fs->nfont; i++) {
        FcChar8 *file = NULL;
        if (wanted(fs->fonts[i]) && FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) == FcResultMatch &&
            FcConfigAppFontAddFile(config, file))
            added++;
    }
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return added;
}

/* "Noto Sans, Noto Sans Arabic" and "Noto Sans,Noto Sans Arabic" are one list */
static char **family_list(const char *families)
{
    char **list = g_strsplit(families, ",", -1);
    int n = 0;
    for (char **f = list; *f; f++) {
        char *family = g_strstrip(*f);
        if (*family)
            list[n++] = family;
        else
            g_free(family);
    }
    list[n] = NULL;
    return list;
}

static PangoFontMap *make_map(char **list)
{
    FcConfig *config = FcConfigCreate();
    int faces = 0;
    for (char **f = list; *f; f++)
        faces += add_family(config, *f);
    if (faces == 0) {
        FcConfigDestroy(config);
        return NULL;
    }
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    if (!fm) {
        FcConfigDestroy(config);
        return NULL;
    }
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), config);
    FcConfigDestroy(config); /* the map holds its own reference */
    return fm;
}

static void unref_map(gpointer fm)
{
    if (fm)
        g_object_unref(fm);
}

static void maps_free(gpointer p)
{
    g_hash_table_unref(p);
}

PangoFontMap *cm_font_map(const char *families)
{
    static GPrivate maps = G_PRIVATE_INIT(maps_free);
    GHashTable *t = g_private_get(&maps);
    if (!t) {
        t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, unref_map);
        g_private_set(&maps, t);
    }
    char **list = family_list(families);
    char *key = g_strjoinv(",", list);
    gpointer fm = NULL;
    if (!g_hash_table_lookup_extended(t, key, NULL, &fm)) {
        fm = make_map(list);
        /* NULL is remembered too: the families are not installed */
        g_hash_table_insert(t, key, fm);
        key = NULL;
    }
    g_free(key);
    g_strfreev(list);
    return fm;
}

gboolean cm_font_installed(const char *families, char **used)
{
    char *first = g_strdup(families);
    char *comma = strchr(first, ',');
    if (comma)
        *comma = '\0';
    g_strstrip(first);
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)first);
    FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    gboolean ok = fs && fs->nfont > 0;
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    *used = NULL;
    if (!ok) {
        /* what the default configuration substitutes */
        FcPattern *want = FcNameParse((const FcChar8 *)first);
        FcConfigSubstitute(NULL, want, FcMatchPattern);
        FcDefaultSubstitute(want);
        FcResult res;
        FcPattern *got = FcFontMatch(NULL, want, &res);
        FcChar8 *family = NULL;
        if (got && FcPatternGetString(got, FC_FAMILY, 0, &family) == FcResultMatch)
            *used = g_strdup((const char *)family);
        if (got)
            FcPatternDestroy(got);
        FcPatternDestroy(want);
    }
    g_free(first);
    return ok;
}
