/* bl_store.h: the current snapshot of one content folder, and its reloading. */
#ifndef BL_STORE_H
#define BL_STORE_H

#include "bl_content.h"

typedef struct bl_store_t bl_store_t;

/** Creates a store for the folder DIR in P (which must outlive it); no load yet. */
apr_status_t bl_store_create(bl_store_t **pstore, const char *dir, apr_pool_t *p);

/** Returns the store's folder. */
const char *bl_store_dir(const bl_store_t *store);

/** Loads the folder as it is at NOW and publishes the result when it differs from
 *  the current snapshot; reports to SINK. Only one thread may load at a time. */
apr_status_t bl_store_reload(bl_store_t *store, apr_time_t now, bl_sink_t *sink);

/** Returns the current snapshot with a reference the caller drops with
 *  bl_site_unref(), or NULL before the first successful load. */
bl_site_t *bl_store_acquire(bl_store_t *store);

/** Starts a thread that reloads every INTERVAL (0: only when visibility changes,
 *  e.g. at an embargo's end) until P is cleared, which stops and joins it. */
apr_status_t bl_store_watch(bl_store_t *store, apr_interval_time_t interval, bl_sink_t *sink,
                            apr_pool_t *p);

#endif
