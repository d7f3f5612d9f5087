/* bl_store.c: publishing snapshots to the threads that serve requests.
 *
 * The store holds one pointer, the current snapshot, under a mutex held only to read
 * or swap it and to count a reference: a request takes its snapshot and keeps it,
 * whole and unchanged, until it is done, however many reloads happen meanwhile. A
 * reload builds the next snapshot entirely outside the lock, then swaps. Loads run at
 * wall-clock multiples of the interval and are dated by them, or by the visibility
 * change that came due (bl_store_instant), so every process looks at the folder at the
 * same instants and computes the same visibility.
 * The watcher thread sleeps on a condition variable, so stopping it (pool cleanup at
 * child exit or graceful restart) wakes it at once. A store may live in the process
 * pool across graceful restarts: it registers no cleanup and keeps no pointer into the
 * module's code; its reporting targets are set anew for each generation.
 */
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_proc.h>

#include "bl_store.h"

/* The shortest nap of the watcher. */
#define MIN_NAP apr_time_from_msec(50)

struct bl_store_t {
    const char *dir;
    apr_thread_mutex_t *lock; /* guards current and the watcher's flags */
    bl_site_t *current;
    apr_thread_cond_t *wake;
    apr_thread_t *thread;
    apr_interval_time_t interval;
    bl_sink_t *sink;
    bl_published_cb *published;
    void *baton;
    int stop;
    int failed; /* the last reload could not read the folder */
};

/* Allocates the store, its lock and its condition in P. */
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
        *pstore = store;
    }
    return rv;
}

/* Returns the folder. */
const char *bl_store_dir(const bl_store_t *store)
{
    return store->dir;
}

/* Sets the reporting targets. */
void bl_store_report_to(bl_store_t *store, bl_sink_t *sink, bl_published_cb *cb, void *baton)
{
    store->sink = sink;
    store->published = cb;
    store->baton = baton;
}

/* Rounds down to the interval. */
static apr_time_t tick(apr_interval_time_t interval, apr_time_t now)
{
    return interval > 0 ? now - now % interval : now;
}

/* Takes the tick, or a visibility change that came due since. */
apr_time_t bl_store_instant(bl_store_t *store, apr_interval_time_t interval, apr_time_t now)
{
    apr_time_t t = tick(interval, now);
    bl_site_t *site = bl_store_acquire(store);

    if (site != NULL && site->next_change <= now && site->next_change > t) {
        t = site->next_change;
    }
    bl_site_unref(site);
    return t;
}

/* Publishes NEXT (taking over the caller's reference), tells the callback, and drops
 * the old snapshot. */
static void publish(bl_store_t *store, bl_site_t *next)
{
    bl_site_t *old;

    apr_thread_mutex_lock(store->lock);
    old = store->current;
    store->current = next;
    apr_thread_mutex_unlock(store->lock);
    if (store->published != NULL) {
        store->published(store->baton, next);
    }
    bl_site_unref(old);
}

/* Re-derives visibility of PREV at NOW without reading any file. */
static void rederive(bl_store_t *store, bl_site_t *prev, apr_time_t now)
{
    bl_site_t *next = bl_site_rederive(prev, now);

    if (next != NULL) {
        publish(store, next);
    }
}

/* Loads against the current snapshot and swaps in the result when it is new; when the
 * folder cannot be read, visibility still moves on. */
apr_status_t bl_store_reload(bl_store_t *store, apr_time_t now)
{
    bl_site_t *prev = bl_store_acquire(store);
    bl_site_t *next = NULL;
    int changed = 0;
    apr_status_t rv;

    rv = bl_site_load(&next, &changed, store->dir, prev, now, store->sink);
    if (rv == APR_SUCCESS && changed) {
        publish(store, next);
    }
    else if (next != NULL) {
        bl_site_unref(next);
    }
    else if (prev != NULL && now >= prev->next_change) {
        rederive(store, prev, now);
    }
    apr_thread_mutex_lock(store->lock);
    store->failed = rv != APR_SUCCESS;
    apr_thread_mutex_unlock(store->lock);
    bl_site_unref(prev);
    return rv;
}

/* Re-derives at the instant the change came due, so every process gets the same. */
void bl_store_catch_up(bl_store_t *store, apr_time_t now)
{
    bl_site_t *site = bl_store_acquire(store);

    if (site != NULL && now >= site->next_change) {
        rederive(store, site, site->next_change);
    }
    bl_site_unref(site);
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
 * multiple of the interval, shortened to wake up when visibility changes (unless the
 * last reload failed: then the next multiple, so a missing folder costs one stat an
 * interval, not a spin); at most a minute with interval 0, to re-read the clock. */
static apr_interval_time_t nap_locked(bl_store_t *store)
{
    apr_time_t now = apr_time_now();
    apr_interval_time_t t = store->interval > 0
                                ? tick(store->interval, now) + store->interval - now
                                : apr_time_from_sec(60);
    bl_site_t *site = store->current;

    if (!store->failed && site != NULL && site->next_change != APR_INT64_MAX
        && site->next_change - now < t) {
        t = site->next_change - now;
    }
    return t < MIN_NAP ? MIN_NAP : t;
}

/* The watcher: sleep, then reload, until told to stop. With interval 0 it reads no
 * file (unless nothing ever loaded): when a visibility change is due it re-derives. */
static void *APR_THREAD_FUNC watch(apr_thread_t *thread, void *data)
{
    bl_store_t *store = data;
    apr_time_t now;
    int loaded;

    apr_thread_mutex_lock(store->lock);
    while (!store->stop) {
        apr_thread_cond_timedwait(store->wake, store->lock, nap_locked(store));
        if (store->stop) {
            break;
        }
        loaded = store->current != NULL;
        apr_thread_mutex_unlock(store->lock);
        now = apr_time_now();
        if (store->interval > 0 || !loaded) {
            bl_store_reload(store, bl_store_instant(store, store->interval, now));
        }
        else {
            bl_store_catch_up(store, now);
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
apr_status_t bl_store_watch(bl_store_t *store, apr_interval_time_t interval, apr_pool_t *p)
{
    apr_status_t rv;

    store->interval = interval;
    store->stop = 0;
    rv = apr_thread_create(&store->thread, NULL, watch, store, p);
    if (rv == APR_SUCCESS) {
        /* a pre-cleanup: it must join the thread before P destroys its subpools, one of
         * which is the thread's own pool */
        apr_pool_pre_cleanup_register(p, store, watch_cleanup);
    }
    return rv;
}
