/* The web edition's fonts: the style's families (regular and bold, as the PDF embeds them),
 * cut down by HarfBuzz's subsetter to the characters the page uses, and embedded as data:
 * URLs in @font-face rules, so that the page looks the same on a reader's machine without
 * Noto and still asks for nothing over the network.  The subset keeps the layout tables
 * (Arabic joining forms, ligatures, kerning) for those characters. */
#include "web.h"

#include <fontconfig/fontconfig.h>
#include <hb-subset.h>
#include <hb.h>
#include <string.h>

/* The file of `family` at `weight` (FC_WEIGHT_*), as fontconfig lists it; NULL when the
 * system has no face of that family at that weight (no substitute: another family's glyphs
 * under this name would mislead).  g_free() it. */
static char *face_file(const char *family, int weight)
{
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, weight);
    FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
    FcPatternAddInteger(pat, FC_SLANT, FC_SLANT_ROMAN);
    FcObjectSet *os = FcObjectSetBuild(FC_FILE, NULL);
    FcFontSet *fs = FcFontList(NULL, pat, os);
    char *file = NULL;
    FcChar8 *f = NULL;
    if (fs && fs->nfont > 0 && FcPatternGetString(fs->fonts[0], FC_FILE, 0, &f) == FcResultMatch)
        file = g_strdup((const char *)f);
    if (fs)
        FcFontSetDestroy(fs);
    FcObjectSetDestroy(os);
    FcPatternDestroy(pat);
    return file;
}

/* The face in `file` reduced to `chars`, as TrueType bytes; NULL when it cannot be. */
static GBytes *subset(const char *file, hb_set_t *chars)
{
    GBytes *out = NULL;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    if (!blob)
        return NULL;
    hb_face_t *face = hb_face_create(blob, 0);
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (in) {
        hb_set_union(hb_subset_input_unicode_set(in), chars);
        hb_face_t *cut = hb_subset_or_fail(face, in);
        if (cut) {
            hb_blob_t *bytes = hb_face_reference_blob(cut);
            unsigned len = 0;
            const char *data = hb_blob_get_data(bytes, &len);
            if (len > 0)
                out = g_bytes_new(data, len);
            hb_blob_destroy(bytes);
            hb_face_destroy(cut);
        }
        hb_subset_input_destroy(in);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return out;
}

void cm_web_fonts_css(GString *css, const char *families, const char *text)
{
    static const int weights[] = {FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD};
    static const int css_weights[] = {400, 700};
    hb_set_t *chars = hb_set_create();
    for (const char *p = text; *p; p = g_utf8_next_char(p))
        hb_set_add(chars, g_utf8_get_char(p));
    char **list = g_strsplit(families, ",", -1);
    for (char **f = list; *f; f++) {
        const char *family = g_strstrip(*f);
        for (size_t w = 0; *family && w < G_N_ELEMENTS(weights); w++) {
            char *file = face_file(family, weights[w]);
            GBytes *bytes = file ? subset(file, chars) : NULL;
            if (bytes) {
                gsize len = 0;
                const guchar *data = g_bytes_get_data(bytes, &len);
                char *b64 = g_base64_encode(data, len);
                g_string_append_printf(css, "@font-face { font-family: \"%s\"; font-weight: %d; "
                                       "src: url(data:font/ttf;base64,%s) format(\"truetype\"); }\n",
                                       family, css_weights[w], b64);
                g_free(b64);
                g_bytes_unref(bytes);
            }
            g_free(file);
        }
    }
    g_strfreev(list);
    hb_set_destroy(chars);
}
