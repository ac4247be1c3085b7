/* A change map's ground: the geometry the map draws (districts, the cells of towns and sites,
 * zones) cut into pieces of one state on each date, each piece said to be gained, newly
 * contested or unchanged, with its area on the ellipsoid (change.c). */
#ifndef CM_CHANGE_H
#define CM_CHANGE_H

#include "layer.h"
#include "ledger.h"

#include <glib.h>

typedef struct cm_map cm_map;

/* The room a change map's ring takes around a symbol that changed hands, points. */
#define CM_RING_PT 3.2

/* Who holds ground on a date: a ledger row's or a zone's holder, status and parties (all
 * borrowed from the ledger or the zones); holder NULL for no data. */
typedef struct {
    const char *holder;
    cm_control_status status;
    char **parties;
} cm_hold;

typedef enum {
    CM_CHANGE_SAME,      /* the same holder (or the same contest) on both dates */
    CM_CHANGE_GAINED,    /* held on the later date by another than on the earlier */
    CM_CHANGE_CONTESTED, /* contested on the later date, not (by the same parties) before */
} cm_change_kind;

typedef struct {
    cm_shape shape;      /* on the page, even-odd, as drawn */
    cm_change_kind kind;
    cm_hold from, to;
    double km2;          /* on the WGS 84 ellipsoid (geodesic polygon area); NAN if unknown */
    int region;          /* the district it lies in */
    int point;           /* the town or site whose cell it is (places index), -1 for none */
    int zone;            /* the zone deciding the later date's state, -1 for none */
} cm_change_piece;

typedef struct cm_change {
    GDate from, to;
    cm_change_piece *pieces;
    int npieces;
} cm_change;

/* The change map of `map` between two dates, from its page geometry: every region, the
 * cells of towns and sites with a row on either date, the zones in force on either date (cut
 * to the land).  Areas are measured through the map's projection back to lon/lat.  Owned by
 * the caller: cm_change_free.  Never NULL. */
cm_change *cm_change_build(const cm_map *map, const GDate *from, const GDate *to);
void cm_change_free(cm_change *c);

/* The map's change between the two dates, built on first use and kept with the map (under a
 * lock: pages drawn in bands on several threads share it) until it is asked for other
 * dates.  Borrowed: valid until the next call with other dates or cm_map_destroy. */
const cm_change *cm_change_get(const cm_map *map, const GDate *from, const GDate *to);
/* Frees what cm_change_get kept (load.c, when the map is destroyed). */
void cm_change_forget(cm_map *map);

/* The piece drawn at page point (x, y), NULL outside every one. */
const cm_change_piece *cm_change_at(const cm_change *c, double x, double y);

/* Square kilometres gained by `holder` (kind GAINED), or newly contested (holder NULL, kind
 * CONTESTED). */
double cm_change_km2(const cm_change *c, cm_change_kind kind, const char *holder);

/* Whether place i changed hands between the dates: its holder on the later date (its own row)
 * differs from its holder on the earlier (its own row then, else its district's).  *from and
 * *to receive the rows (from may be the district's, or NULL). */
gboolean cm_place_changed_hands(const cm_map *map, const cm_ledger_row *const *towns_from,
                                const cm_ledger_row *const *rows_from,
                                const cm_ledger_row *const *towns, int i,
                                const cm_ledger_row **from, const cm_ledger_row **to);

#endif
