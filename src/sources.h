/* The sources table: the documents that rows of the ledger, zones and lines cite by id, with
 * their outlet, title, publication date and address. */
#ifndef CM_SOURCES_H
#define CM_SOURCES_H

#include "conflictmap/status.h"
#include "style.h"

#include <glib.h>

typedef struct cm_source {
    char *id, *outlet, *title, *url; /* title and url NULL when unknown */
    GDate published;
    int line; /* in the table, for messages */
} cm_source;

typedef struct cm_sources {
    char *path;      /* the source's name in messages: credentials masked */
    GPtrArray *list; /* cm_source, in the table's order */
    GHashTable *by_id;
    char read_sha256[65]; /* not a file: SHA-256 of what was read, hex; "" for a file */
} cm_sources;

/* Reads a sources table (CSV, ODS, XLSX: columns id, outlet, title, published, url; title
 * and url may be empty).  A row without an id, an outlet or a valid published date, or an
 * id given twice, fails with CM_EINPUT and "file:line: ..."; with `problems`, each is
 * recorded there and the row skipped.  *out is owned by the caller: cm_sources_destroy. */
cm_status cm_sources_load(cm_sources **out, const char *path, GPtrArray *problems, cm_ctx *ctx);
/* As cm_sources_load, from `layer` of `path` (a file or an OGR connection string; NULL: its
 * first layer); messages name the source masked (cm_datasource_name). */
cm_status cm_sources_load_layer(cm_sources **out, const char *path, const char *layer,
                                GPtrArray *problems, cm_ctx *ctx);
void cm_sources_destroy(cm_sources *s);

/* The source with this id, or NULL. */
const cm_source *cm_sources_get(const cm_sources *s, const char *id);

/* The ids a `source` cell cites: ';'-separated, blanks trimmed, empty parts dropped.
 * g_strfreev() it. */
char **cm_source_ids(const char *cell);

/* Checks that every id in `cell` is in the table: the first unknown one fails with
 * CM_EINPUT and "`where`: unknown source \"id\"" (with the nearest id when one is close), or
 * with `problems`, every one is recorded there. */
cm_status cm_sources_check_cell(const cm_sources *s, const char *cell, const char *where,
                                GPtrArray *problems, cm_ctx *ctx);

/* A note for a map dated `date`: outlet, title in quotes when known and asked for (without,
 * the outlet loses what it says in parentheses), and the publication date in the style's
 * words (date-short, month-short-N; "reported DATE" when published after the map's date:
 * later reporting).  g_free() it. */
char *cm_source_note(const cm_style *s, const cm_source *src, const GDate *date, gboolean title);

#endif
