/* Provenance: where a figure comes from, written into each format's own metadata (PNG iTXt
 * chunks, PDF document information, an SVG <metadata> element, a WebP's XMP) and read back by
 * cm_read_provenance.  Writer and reader share the names, so they cannot drift apart. */
#ifndef CM_PROVENANCE_H
#define CM_PROVENANCE_H

#include <cairo.h>
#include <glib.h>

/* Strings are borrowed by the functions below and copied where kept; any may be NULL. */
typedef struct cm_provenance {
    const char *title, *subject, *keywords, *creator;
    const char *date;    /* the map's date, YYYY-MM-DD */
    const char *created; /* ISO 8601, pinned: the same inputs give the same bytes */
    const char *sources; /* the source line */
    const char *data_sha256;
} cm_provenance;

/* PNG: appends the set fields as keyword and UTF-8 text (new strings, g_free) to `keys` and
 * `texts`, the registered keywords ("Title", "Software", ...) first. */
void cm_provenance_png_text(GPtrArray *keys, GPtrArray *texts, const cm_provenance *p);

/* PDF: sets the document information of a cairo PDF surface. */
void cm_provenance_pdf(cairo_surface_t *pdf, const cm_provenance *p);

/* SVG: a <metadata> element holding the set fields, newly allocated (g_free). */
char *cm_provenance_svg(const cm_provenance *p);

/* WebP: an XMP packet holding the set fields as cm:NAME properties of one rdf:Description,
 * for the file's XMP chunk; newly allocated (g_free). */
char *cm_provenance_xmp(const cm_provenance *p);

#endif
