/* The control ledger: one row per change of control, read through OGR (CSV, ODS, XLSX...). */
#ifndef CM_LEDGER_H
#define CM_LEDGER_H

#include "conflictmap/status.h"

#include <glib.h>

/* held: the controller holds it.  contested: fighting inside; `parties` fight over it.
 * besieged: the controller holds it, encircled by `parties`.  claimed: the controller says it
 * took it, unconfirmed.  attacked: the controller holds it under attack by `parties`, not
 * encircled (Tripoli 2019-20: the coast road and Mitiga stayed open). */
typedef enum { CM_HELD, CM_CONTESTED, CM_BESIEGED, CM_CLAIMED, CM_ATTACKED } cm_control_status;

/* Parses a status word; FALSE if unknown. */
gboolean cm_parse_status(const char *text, cm_control_status *out);
const char *cm_status_word(cm_control_status st);

/* region, controller, source and confidence are the ledger's interned strings (its `words`:
 * a million rows name a few dozen regions and sources), equal text at one address; parties
 * and note are the row's own. */
typedef struct cm_ledger_row {
    GDate date;
    char *region;
    char *controller;       /* who holds it (for contested rows: the main holder) */
    cm_control_status status;
    char **parties;         /* contested: ids, at least two; besieged: the besiegers; else NULL */
    char *confidence;       /* assessed, reported or claimed; NULL when not given */
    char *source;
    char *note;             /* may be NULL */
    int line;               /* CSV line or sheet row (header is 1); else the feature id */
} cm_ledger_row;

/* How a row's control is drawn: as its status, but held ground whose confidence is only
 * "claimed" is drawn as claimed (lighter, hollow), as assessed control and claims are told
 * apart on the map. */
cm_control_status cm_row_drawn_status(const cm_ledger_row *r);


typedef struct cm_ledger {
    char *path;             /* the source's name in messages: credentials masked */
    GPtrArray *rows;        /* of cm_ledger_row*, file order */
    GHashTable *by_region;  /* region -> GPtrArray of rows, sorted by date, ties in file order */
    char read_sha256[65];   /* not a file: SHA-256 of what was read, hex; "" for a file */
    GStringChunk *words;    /* the rows' interned strings */
} cm_ledger;

/* Reads a ledger.  Required columns: date, region, controller, status, source; optional:
 * parties (ids separated by ';'), confidence, note.  A region is a key of the regions layer,
 * or "town:" and a key of the places layer.  Errors are CM_EINPUT naming "file:line".
 * With `problems` non-NULL, a bad row is recorded there ("file:line: message", g_free'd
 * strings) and skipped instead, and loading goes on.  *out is owned by the caller. */
cm_status cm_ledger_load(cm_ledger **out, const char *path, GPtrArray *problems, cm_ctx *ctx);
/* As cm_ledger_load, from `layer` of `path` (a file or an OGR connection string; NULL: its
 * first layer).  Messages name the source masked, "line" being the file's line for CSV,
 * the row for a spreadsheet, and "feature N", the feature id, for any other source; a
 * row's `line` holds that number. */
cm_status cm_ledger_load_layer(cm_ledger **out, const char *path, const char *layer,
                               GPtrArray *problems, cm_ctx *ctx);
void cm_ledger_destroy(cm_ledger *ledger);
/* Building a ledger row by row (the reader and the load cache): new, add each row (owned by
 * the ledger from then on, file order), then sort once. */
cm_ledger *cm_ledger_new(const char *path);
void cm_ledger_add(cm_ledger *ledger, cm_ledger_row *row);
void cm_ledger_sort(cm_ledger *ledger);
void cm_ledger_row_free(gpointer row);
/* `text` interned in the ledger's words (NULL stays NULL); `text` is freed. */
char *cm_ledger_intern(cm_ledger *ledger, char *text);

/* The row in force for `region` on `date`: its latest row on or before the date; of rows on
 * the same date, the one further down the file.  NULL when the region has none yet.
 * Borrowed for the ledger's lifetime. */
const cm_ledger_row *cm_ledger_state(const cm_ledger *ledger, const char *region,
                                     const GDate *date);

/* The row in force for `region` the day before `row` (one of its rows) took force: what it
 * replaced.  NULL when `row` is the region's first.  Borrowed for the ledger's lifetime. */
const cm_ledger_row *cm_ledger_before(const cm_ledger *ledger, const char *region,
                                      const cm_ledger_row *row);

/* Checks every row against the known keys (a set of strings: region keys and "town:" place
 * keys) and the controllers' ids (NULL-terminated).  The first problem fails with CM_EINPUT
 * "file:line: ..." and, for an unknown key, the nearest known one.  With `problems`
 * non-NULL, every problem is recorded there instead, with rows of one region out of date
 * order, and the call returns CM_OK; without, rows out of order are a warning. */
cm_status cm_ledger_check(const cm_ledger *ledger, GHashTable *regions,
                          const char *const *controllers, GPtrArray *problems, cm_ctx *ctx);

#endif
