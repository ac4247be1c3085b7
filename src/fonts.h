/* Font maps for a style's families.  Pango's default map sees every font on the system and,
 * for each font size on a page, has fontconfig sort all of them for fallback: with the 400
 * faces of fonts-noto-core, that sorting was a third of a small render.  Here a private
 * fontconfig configuration holds only the upright, italic and bold faces of the families a
 * style names, so sorting is over a handful. */
#ifndef CM_FONTS_H
#define CM_FONTS_H

#include <pango/pango.h>

/* The font map for a family list such as "Noto Sans, Noto Sans Arabic", made once per
 * thread and list; NULL when none of the families is installed (use Pango's default, which
 * falls back to whatever it finds).  Text whose glyphs these fonts lack must be laid out
 * again with the default map: see cm_labeler_layout. */
PangoFontMap *cm_font_map(const char *families);

/* Whether the first family of the list is installed: FALSE means the map will not look as
 * designed, and *used receives the family Pango falls back to (g_free it). */
gboolean cm_font_installed(const char *families, char **used);

#endif
