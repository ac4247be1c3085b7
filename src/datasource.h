/* Where data comes from: a file, or an OGR connection string (a database, an archive), and
 * one layer of it.  How such a source is named in messages (credentials masked), opened with
 * GDAL's messages captured, and summed as read for the fingerprint. */
#ifndef CM_DATASOURCE_H
#define CM_DATASOURCE_H

#include "conflictmap/status.h"

#include <cpl_error.h>
#include <gdal.h>
#include <glib.h>
#include <ogr_api.h>

/* GDAL's messages between begin and end, caught rather than printed: the last one and the
 * worst class seen, for a message of ours that names the source. */
typedef struct cm_gdal_capture {
    GString *last;
    CPLErr worst;
} cm_gdal_capture;
void cm_gdal_capture_begin(cm_gdal_capture *c);
void cm_gdal_capture_end(cm_gdal_capture *c);

/* TRUE when `file` names a file: resolved against the map file's folder, watched, hashed
 * by its bytes.  FALSE for an OGR connection string, passed to GDAL untouched: "/vsi..."
 * or a driver prefix of two or more letters, digits or '_' and a colon ("PG:...", "MySQL:",
 * "https://...").  A file whose name starts so is written "./name". */
gboolean cm_datasource_is_file(const char *file);

/* A copy of `text` with credentials replaced by "***": the value of every password= or
 * pwd= key (quoted or not; unquoted, up to a blank, and in a URL also '&'), and the
 * password of "scheme://user:password@".  The caller g_free()s it. */
char *cm_datasource_mask(const char *text);

/* How a source is named in messages: the masked file, and " (layer NAME)" when a layer is
 * named.  The caller g_free()s it. */
char *cm_datasource_name(const char *file, const char *layer);

/* Whether messages about the source's rows name a line (CSV: the file's line) or a row
 * (spreadsheets: the sheet's row, the header being 1); else they name the feature id
 * (databases, GeoPackage, GeoJSON...). */
gboolean cm_datasource_has_lines(GDALDatasetH ds);

/* The layer named `layer` of an open dataset, or its first when `layer` is NULL.  Fails
 * with `code` "NAME: no layer "X" (it has: a, b)"; a connection string with several
 * layers and none named fails too (a database's order of tables means nothing).  The
 * layer is borrowed from `ds`. */
cm_status cm_datasource_layer(OGRLayerH *out, GDALDatasetH ds, const char *file,
                              const char *layer, cm_status code, cm_ctx *ctx);

/* The running SHA-256 of what is read from a source that is not a file (NULL for a file,
 * whose bytes are hashed instead): seeded with the layer's name and field names. */
GChecksum *cm_datasource_digest_new(const char *file, OGRLayerH lyr);
/* Adds one feature as read: its id, every field (unset, null or its text) and every
 * geometry (ISO WKB).  `sum` may be NULL. */
void cm_datasource_digest_feature(GChecksum *sum, OGRFeatureH f);
/* Writes the digest in hex into out (64 digits; "" when `sum` is NULL) and frees `sum`. */
void cm_datasource_digest_end(GChecksum *sum, char out[65]);

/* Opens a vector dataset (a file or a connection string) with GDAL's messages captured: a
 * failure becomes `code` with "NAME: GDAL's message", both masked (a file not there is "no
 * such file", said before GDAL guesses).  Close with GDALClose. */
cm_status cm_ogr_open(GDALDatasetH *out, const char *path, const char *const *open_options,
                      cm_status code, cm_ctx *ctx);

/* Opens a table (the ledger, sources, events): as cm_ogr_open, with a spreadsheet's first
 * row taken as its header even when every cell is text.  Resets GDAL's last error, for
 * cm_ogr_read_stopped. */
cm_status cm_ogr_open_table(GDALDatasetH *out, const char *path, cm_ctx *ctx);

/* After reading a table's features: when GDAL gave up with an error (a cell over its line
 * limit, a broken file), fails with CM_EINPUT "path:line: reading stopped here, ..." rather
 * than take it for the end of the table. */
cm_status cm_ogr_read_stopped(const char *path, int line, cm_ctx *ctx);

/* GDAL messages between these calls are dropped, not printed: for reading loops whose
 * problems are found and reported by the caller's own checks. */
void cm_gdal_quiet_begin(void);
void cm_gdal_quiet_end(void);

#endif
