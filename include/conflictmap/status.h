/* conflictmap — status codes and the error context.
 *
 * Every library call that can fail returns CM_OK (0) or a negative cm_status and leaves a
 * one-line message on the cm_ctx passed to it.  The library never prints and never exits;
 * warnings (things it repaired or ignored) are collected on the same context, oldest first,
 * until cm_ctx_clear().
 *
 * Threads: the library keeps no global state but caches set up once (fonts, GDAL's
 * drivers) under a lock.  Different maps, styles, ledgers and contexts may be used on
 * different threads at once; one object, or one context, must not be used by two threads at
 * a time.  No call starts a thread unless its options ask for more than one. */
#ifndef CONFLICTMAP_STATUS_H
#define CONFLICTMAP_STATUS_H

#include <stddef.h>

/* Marks the library's public functions; everything else in it is hidden. */
#if defined(__GNUC__) && !defined(CM_STATIC)
#define CM_API __attribute__((visibility("default")))
#else
#define CM_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cm_status {
    CM_OK = 0,
    CM_EUSAGE = -1,   /* the caller asked for something impossible (bad date, bad dpi) */
    CM_EINPUT = -2,   /* input data: geodata, ledger, places */
    CM_ESTYLE = -3,   /* a map file or a style file */
    CM_EOUTPUT = -4,  /* the output could not be written */
    CM_ENOMEM = -5,
    CM_EINTERNAL = -6 /* a dependency failed in a way no input explains */
} cm_status;

typedef struct cm_ctx cm_ctx;

/* A new, empty context.  Never returns NULL (GLib aborts on out-of-memory). */
CM_API cm_ctx *cm_ctx_new(void);
CM_API void cm_ctx_destroy(cm_ctx *ctx);

/* The message of the last call that failed, or "" if it succeeded: every fallible call
 * clears the message when it starts, and sets it once, where the failure was found.
 * Borrowed: valid until the next library call with this context. */
CM_API const char *cm_ctx_message(const cm_ctx *ctx);

/* Warnings collected so far, oldest first; *n receives the count.  Borrowed as above. */
CM_API const char *const *cm_ctx_warnings(const cm_ctx *ctx, size_t *n);

/* Problems found by cm_map_check(), in the order found; *n receives the count. */
CM_API const char *const *cm_ctx_problems(const cm_ctx *ctx, size_t *n);

CM_API void cm_ctx_clear(cm_ctx *ctx);

/* The library's version at run time, "MAJOR.MINOR.PATCH" (CONFLICTMAP_VERSION is the
 * headers'). */
CM_API const char *cm_version(void);

/* A short English name for a status, e.g. "input data error". */
CM_API const char *cm_status_name(cm_status status);

#ifdef __cplusplus
}
#endif
#endif
