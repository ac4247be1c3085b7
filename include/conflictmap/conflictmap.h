/* conflictmap — territorial-control maps.  The umbrella header. */
#ifndef CONFLICTMAP_H
#define CONFLICTMAP_H

#include "conflictmap/dates.h"
#include "conflictmap/init.h"
#include "conflictmap/ledger.h"
#include "conflictmap/map.h"
#include "conflictmap/render.h"
#include "conflictmap/status.h"
#include "conflictmap/style.h"

#include "conflictmap/version.h"

#endif
