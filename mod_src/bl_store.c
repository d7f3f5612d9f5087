/* bl_store.c: publishing snapshots to the threads that serve requests.
 *
 * The store holds one pointer, the current snapshot, under a mutex held only to read
 * or swap it and to count a reference: a request takes its snapshot and keeps it,
 * whole and unchanged, until it is done, however many reloads happen meanwhile. A
 * reload builds the next snapshot entirely outside the lock, then swaps. The watcher
 * thread sleeps on a condition variable, so stopping it (pool cleanup at child exit or
 * graceful restart) wakes it at once.
 */
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_proc.h>

#include "bl_store.h"

struct bl_store_t {
    const char *dir;
    apr_thread_mutex_t *lock; /* guards current and the watcher's flags */
    bl_site_t *current;
    apr_thread_cond_t *wake;
    apr_thread_t *thread;
    apr_interval_time_t interval;
    bl_sink_t *sink;
    int stop;
};

/* Drops the store's snapshot when its pool goes. */
static apr_status_t store_cleanup(void *data)
{
    bl_store_t *store = data;

    bl_site_unref(store->current);
    store->current = NULL;
    return APR_SUCCESS;
}

/* Allocates the store and its lock in P. */
apr_status_t bl_store_create(bl_store_t **pstore, const char *dir, apr_pool_t *p)
{
    bl_store_t *store = apr_pcalloc(p, sizeof(*store));
    apr_status_t rv;

    store->dir = apr_pstrdup(p, dir);
    rv = apr_thread_mutex_create(&store->lock, APR_THREAD_MUTEX_DEFAULT, p);
    if (rv == APR_SUCCESS) {
        rv = apr_thread_cond_create(&store->wake, p);
    }
    if (rv == APR_SUCCESS) {
        apr_pool_cleanup_register(p, store, store_cleanup, apr_pool_cleanup_null);
        *pstore = store;
    }
    return rv;
}

/* Returns the folder. */
const char *bl_store_dir(const bl_store_t *store)
{
    return store->dir;
}

/* Publishes NEXT (taking over the caller's reference) and drops the old snapshot. */
static void publish(bl_store_t *store, bl_site_t *next)
{
    bl_site_t *old;

    apr_thread_mutex_lock(store->lock);
    old = store->current;
    store->current = next;
    apr_thread_mutex_unlock(store->lock);
    bl_site_unref(old);
}

/* Re-derives visibility of the current snapshot at NOW without reading any file. */
static void rederive(bl_store_t *store, apr_time_t now)
{
    bl_site_t *prev = bl_store_acquire(store);

    if (prev != NULL) {
        publish(store, bl_site_rederive(prev, now));
        bl_site_unref(prev);
    }
}

/* Loads against the current snapshot and swaps in the result when it is new. */
apr_status_t bl_store_reload(bl_store_t *store, apr_time_t now, bl_sink_t *sink)
{
    bl_site_t *prev = bl_store_acquire(store);
    bl_site_t *next = NULL;
    int changed = 0;
    apr_status_t rv;

    rv = bl_site_load(&next, &changed, store->dir, prev, now, sink);
    if (rv == APR_SUCCESS && changed) {
        publish(store, next);
    }
    else if (next != NULL) {
        bl_site_unref(next);
    }
    bl_site_unref(prev);
    return rv;
}

/* Takes a reference under the lock. */
bl_site_t *bl_store_acquire(bl_store_t *store)
{
    bl_site_t *site;

    apr_thread_mutex_lock(store->lock);
    site = store->current;
    if (site != NULL) {
        bl_site_ref(site);
    }
    apr_thread_mutex_unlock(store->lock);
    return site;
}

/* Returns how long the watcher sleeps, called with the lock held: until the next
 * multiple of the interval on the wall clock (so that every child reloads at the same
 * instant and they never disagree for long), shortened to wake up when visibility
 * changes; at most a minute with interval 0, to re-read the clock. */
static apr_interval_time_t nap_locked(bl_store_t *store)
{
    apr_time_t now = apr_time_now();
    apr_interval_time_t t = store->interval > 0 ? store->interval - now % store->interval + 1000
                                                : apr_time_from_sec(60);
    bl_site_t *site = store->current;

    if (site != NULL && site->next_change != APR_INT64_MAX && site->next_change - now < t) {
        t = site->next_change - now + 1000;
    }
    return t < 1000 ? 1000 : t;
}

/* The watcher: sleep, then reload, until told to stop. With interval 0 it reads no
 * file (unless nothing ever loaded): when a visibility change is due it re-derives. */
static void *APR_THREAD_FUNC watch(apr_thread_t *thread, void *data)
{
    bl_store_t *store = data;
    bl_site_t *site;
    int due, reload;

    apr_thread_mutex_lock(store->lock);
    while (!store->stop) {
        apr_thread_cond_timedwait(store->wake, store->lock, nap_locked(store));
        if (store->stop) {
            break;
        }
        site = store->current;
        reload = store->interval > 0 || site == NULL;
        due = site != NULL && apr_time_now() >= site->next_change;
        apr_thread_mutex_unlock(store->lock);
        if (reload) {
            bl_store_reload(store, apr_time_now(), store->sink);
        }
        else if (due) {
            rederive(store, apr_time_now());
        }
        apr_thread_mutex_lock(store->lock);
    }
    apr_thread_mutex_unlock(store->lock);
    /* a plain return, not apr_thread_exit(): the thread's pool is a subpool of the
     * child's, whose allocator has no mutex, so it is left for the joining thread to
     * destroy with the child's pool rather than freed from here */
    (void)thread;
    return NULL;
}

/* Stops the watcher and waits for it. */
static apr_status_t watch_cleanup(void *data)
{
    bl_store_t *store = data;
    apr_status_t trv;

    apr_thread_mutex_lock(store->lock);
    store->stop = 1;
    apr_thread_cond_signal(store->wake);
    apr_thread_mutex_unlock(store->lock);
    apr_thread_join(&trv, store->thread);
    return APR_SUCCESS;
}

/* Creates the watcher thread in P. */
apr_status_t bl_store_watch(bl_store_t *store, apr_interval_time_t interval, bl_sink_t *sink,
                            apr_pool_t *p)
{
    apr_status_t rv;

    store->interval = interval;
    store->sink = sink;
    store->stop = 0;
    rv = apr_thread_create(&store->thread, NULL, watch, store, p);
    if (rv == APR_SUCCESS) {
        /* a pre-cleanup: it must join the thread before P destroys its subpools, one of
         * which is the thread's own pool */
        apr_pool_pre_cleanup_register(p, store, watch_cleanup);
    }
    return rv;
}
