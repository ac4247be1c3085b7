/* Events: dated annotations that are not control of ground (a memorandum signed, foreign
 * fighters reported, a blockade), shown as numbered notes in the legend and, where they have
 * a place, a number beside it on the map. */
#ifndef CM_EVENTS_H
#define CM_EVENTS_H

#include "conflictmap/status.h"

#include <glib.h>

/* An event with no `until` is shown for this many days from its date. */
#define CM_EVENT_DAYS 90

typedef struct cm_event {
    GDate date, until;    /* until invalid when none given */
    gboolean has_point;
    double lon, lat;      /* with has_point */
    double x, y;          /* its page position, set at load; has_point FALSE if off the page */
    char *text, *text_ar, *text_fr; /* text_ar, text_fr NULL when none */
    char *sources;        /* ids, ';'-separated */
    int line;
} cm_event;

typedef struct cm_events {
    char *path;           /* the source's name in messages: credentials masked */
    cm_event *items;
    int n;
    char read_sha256[65]; /* not a file: SHA-256 of what was read, hex; "" for a file */
} cm_events;

/* Reads an events table (CSV, ODS, XLSX: date, until, lon, lat, text, text_ar, text_fr,
 * sources; until, lon/lat, text_ar and text_fr may be empty or absent).  A bad date, an until before its date, a lon or
 * lat without the other or off the globe, or no text fails with CM_EINPUT "file:line: ...";
 * with `problems`, each is recorded there and the row skipped. */
cm_status cm_events_load(cm_events **out, const char *path, GPtrArray *problems, cm_ctx *ctx);
/* As cm_events_load, from `layer` of `path` (a file or an OGR connection string; NULL: its
 * first layer); messages name the source masked (cm_datasource_name). */
cm_status cm_events_load_layer(cm_events **out, const char *path, const char *layer,
                               GPtrArray *problems, cm_ctx *ctx);
void cm_events_destroy(cm_events *e);

/* Shown on `date`: on or after its date, and before its until or, with none, within
 * CM_EVENT_DAYS of its date. */
gboolean cm_event_shown(const cm_event *e, const GDate *date);

/* The event's text in `lang` ("ar", "fr"), else its English.  Borrowed from the event. */
const char *cm_event_text(const cm_event *e, const char *lang);
/* How many of the events have no text in `lang` (0 for "en" and for no events). */
int cm_events_untranslated(const cm_events *e, const char *lang);

#endif
