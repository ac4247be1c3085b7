/* Showing laid-out text so that a PDF's text reads back as it was written: see text.c. */
#ifndef CM_TEXT_H
#define CM_TEXT_H

#include <cairo.h>
#include <pango/pangocairo.h>

/* Shows `layout` at the current point, as pango_cairo_show_layout does.  On a surface that
 * keeps text (PDF, and the recordings a PDF is drawn from), a ligature -- one glyph for
 * several characters, as Arabic's obligatory lam-alef or Latin's "fi" -- is drawn as a path
 * with its characters as invisible text over it, one glyph each, so that every extractor
 * reads the letters in their order and not the glyph's presentation form.  Nothing can fail that
 * cairo does not remember on `cr`. */
void cm_text_show(cairo_t *cr, PangoLayout *layout);

#endif
