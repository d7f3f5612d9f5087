/* bl_store.h: the current snapshot of one content folder, and its reloading. */
#ifndef BL_STORE_H
#define BL_STORE_H

#include "bl_content.h"

typedef struct bl_store_t bl_store_t;

/** Receives each snapshot a store publishes (to log it); called from the loading
 *  thread. */
typedef void bl_published_cb(void *baton, const bl_site_t *site);

/** Creates a store for the folder DIR in P, which must outlive it (the process pool,
 *  so that a store, and its last good versions, survive graceful restarts: nothing of
 *  the module's code or static data is kept in it). No load yet. */
apr_status_t bl_store_create(bl_store_t **pstore, const char *dir, apr_pool_t *p);

/** Returns the store's folder. */
const char *bl_store_dir(const bl_store_t *store);

/** Sets where the store reports: diagnostics to SINK, published snapshots to CB with
 *  BATON (CB may be NULL). Called before any load of a configuration generation. */
void bl_store_report_to(bl_store_t *store, bl_sink_t *sink, bl_published_cb *cb, void *baton);

/** Returns the instant a load at wall-clock time NOW stands for, the same in every
 *  process: NOW rounded down to a multiple of INTERVAL (NOW itself for INTERVAL 0), or
 *  the instant a visibility change of the current snapshot came due (an embargo's end)
 *  when that is later and not after NOW. */
apr_time_t bl_store_instant(bl_store_t *store, apr_interval_time_t interval, apr_time_t now);

/** Loads the folder as it is at NOW and publishes the result when it differs from the
 *  current snapshot; visibility alone is re-derived when that is all that changed.
 *  Only one thread of a process may load a store at a time. Returns APR_SUCCESS, or the
 *  error that kept the folder from being read (the current snapshot stays). */
apr_status_t bl_store_reload(bl_store_t *store, apr_time_t now);

/** Re-derives the current snapshot's visibility, reading no file, when a change of it
 *  came due by NOW (an embargo's end, an event becoming past): what a store with
 *  interval 0 does between restarts. */
void bl_store_catch_up(bl_store_t *store, apr_time_t now);

/** Returns the current snapshot with a reference the caller drops with
 *  bl_site_unref(), or NULL before the first successful load. */
bl_site_t *bl_store_acquire(bl_store_t *store);

/** Starts a thread that reloads at every multiple of INTERVAL on the wall clock (0: only
 *  when visibility changes, at an embargo's end) until P is cleared, which stops and
 *  joins it. After a failed reload it waits for the next multiple, never less. */
apr_status_t bl_store_watch(bl_store_t *store, apr_interval_time_t interval, apr_pool_t *p);

#endif
