/* Latin in a right-to-left paragraph: see bidi.c. */
#ifndef CM_BIDI_H
#define CM_BIDI_H

#include <glib.h>

/* `text` (UTF-8, read right to left) with each run of Latin -- a name, "GeoNames (CC BY 4.0)",
 * "218 News" -- wrapped in a left-to-right isolate (U+2066 ... U+2069), and a short run's
 * spaces made no-break (U+00A0), so that each reads whole and in its own order wherever the
 * paragraph wraps.  Text with no Latin comes back as it was.  Newly allocated (g_free). */
char *cm_bidi_isolate_latin(const char *text);

#endif
