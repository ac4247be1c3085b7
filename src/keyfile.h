/* Key files with line numbers: GLib's GKeyFile parses, this remembers where each key
 * stood so that errors can say file:line, and suggests the nearest known key for typos.
 * Shared by the map file (mapfile.c) and the style cascade (style.c). */
#ifndef CM_KEYFILE_H
#define CM_KEYFILE_H

#include "conflictmap/status.h"

#include <glib.h>

typedef struct cm_keyfile {
    char *path;
    GKeyFile *kf;
    GHashTable *lines; /* "group\x1fkey" and "group" -> GINT_TO_POINTER(line) */
} cm_keyfile;

/* Reads and parses `path`.  Fails with CM_ESTYLE and "path:line: ..." on a syntax error,
 * or on a missing or unreadable file.  *out is owned by the caller. */
cm_status cm_keyfile_read(cm_keyfile **out, const char *path, cm_ctx *ctx);
void cm_keyfile_destroy(cm_keyfile *kf);

/* Line of a key (or of the group header when key is NULL); 0 if absent. */
int cm_keyfile_line(const cm_keyfile *kf, const char *group, const char *key);

/* Warns about each key of `group` not in the NULL-terminated `known`, naming the nearest
 * known key when one is close. */
void cm_keyfile_warn_unknown(const cm_keyfile *kf, const char *group, const char *const *known,
                             cm_ctx *ctx);

/* The element of the NULL-terminated `words` nearest to `word` by edit distance, or NULL
 * when none is within a third of the word's length. */
const char *cm_nearest_word(const char *word, const char *const *words);

/* Parses a colour: #rgb, #rrggbb, #rrggbbaa or a name.  Returns FALSE when invalid. */
gboolean cm_parse_color(const char *text, double rgba[4]);

/* Parses a strict YYYY-MM-DD date into *out.  Returns FALSE for anything else. */
gboolean cm_parse_date(const char *text, GDate *out);

/* Writes a valid date as YYYY-MM-DD into buf. */
void cm_format_date(const GDate *d, char buf[11]);

#endif
