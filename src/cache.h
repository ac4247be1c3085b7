/* The load cache: what the data module read and projected for a map, stored under a hash of
 * every input, so that loading the same inputs again needs neither GDAL nor PROJ. */
#ifndef CM_CACHE_H
#define CM_CACHE_H

#include <glib.h>

typedef struct cm_map cm_map;

/* A map's data is two entries: its geography (layers on the page, anchors, inset, scale,
 * north, sea label, inset trace, graticule) and what changes over time (ledger, zones,
 * lines), so that editing the ledger leaves the geography to the cache. */
typedef enum { CM_CACHE_GEO = 1, CM_CACHE_TIME = 2 } cm_cache_kind;

/* The cache folder: $CONFLICTMAP_CACHE, else $XDG_CACHE_HOME/conflictmap (~/.cache/...).
 * NULL when CONFLICTMAP_CACHE is "off" or "0".  g_free() it. */
char *cm_cache_dir(void);

/* Fills that part of the map's data, with the warnings its loading gave, from the entry for
 * `key`.  FALSE, with the map untouched, when there is none or it is damaged or from another
 * version. */
gboolean cm_cache_restore(cm_map *map, const char *dir, cm_cache_kind kind, const guint8 key[32]);

/* Stores the map's data under `key`: written to a temporary file and renamed into place, so
 * a reader never sees half an entry.  Old entries beyond a few dozen are removed.  Failing
 * to write is not an error: the cache only saves time. */
void cm_cache_store(const cm_map *map, const char *dir, cm_cache_kind kind, const guint8 key[32]);

#endif
