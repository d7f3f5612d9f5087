/* mod_bilingual_load.c: the glue of loading: stores across restarts, reloads in the
 * parent and in each child, and the bridges from the core's logging to httpd's.
 *
 * Every folder named by BilingualContent has a store kept in the process pool (httpd's
 * retained data), so a graceful restart, Debian's nightly one included, starts from
 * the snapshot being served: a file broken after it was good keeps its last good
 * version. libxml2 is pinned in memory (RTLD_NODELETE) so the trees of that snapshot
 * stay valid while httpd unloads and reloads the module. post_config loads each folder
 * in the parent before children fork; the parent reloads again from its monitor hook
 * (the MPM's maintenance tick), so a child forked later starts from recent content; and
 * each child reloads once, synchronously, in child_init before it accepts a request,
 * then every BilingualReloadInterval in a watcher thread. Loads are dated by the
 * wall-clock multiple of the interval they stand for, so all processes agree. When
 * httpd runs as root, the parent loads with the identity of the children (User,
 * Group, their supplementary groups), so it never serves what a child could not read.
 * Content errors and published versions are logged once across all processes through
 * a small table of hashes in shared memory.
 */
#include <dlfcn.h>
#include <grp.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include <apr_atomic.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <ap_mpm.h>
#include <http_core.h>
#include <libxml/parser.h>
#include <mpm_common.h>
#include <unixd.h>

#include "bl_cache.h"
#include "bl_limits.h"
#include "mod_bilingual_private.h"

#define LOGONCE_SLOTS 4096
#define RETAINED_KEY "mod_bilingual-stores"

/** What survives a restart in the process pool: the stores, by folder, and the table
 *  of lines logged once. */
typedef struct retained_t {
    apr_hash_t *stores; /* dir -> bl_store_t* */
    int pinned;         /* libxml2 is pinned: trees outlive the module's unloading */
    apr_uint64_t *logonce; /* in shared memory made once, for every generation */
} retained_t;

apr_hash_t *bl_folders;
static apr_uint64_t *logonce; /* hashes of logged lines, in shared memory */

/* Returns a 64-bit FNV-1a hash of S, never 0. */
static apr_uint64_t hash64(const char *s)
{
    apr_uint64_t h = 14695981039346656037ULL;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h ? h : 1;
}

/* Returns 1 when no process logged KEY before, claiming it in the shared table; when
 * the 16 slots KEY may take are all others', it takes the first of them (the table
 * forgets its oldest lines instead of filling up over months of edits). */
static int log_first_time(const char *key)
{
    apr_uint64_t h = hash64(key);
    apr_uint64_t seen;
    int i, slot;

    if (logonce == NULL) {
        return 1;
    }
    for (i = 0; i < 16; i++) {
        slot = (int)((h + (apr_uint64_t)i) % LOGONCE_SLOTS);
        seen = apr_atomic_cas64(&logonce[slot], h, 0);
        if (seen == 0) {
            return 1;
        }
        if (seen == h) {
            return 0;
        }
    }
    slot = (int)(h % LOGONCE_SLOTS);
    apr_atomic_set64(&logonce[slot], h);
    return 1;
}

/* Logs a content diagnostic as path:line:col, once per file version across processes;
 * a new configuration generation logs it again (the errors of what it serves). */
static void log_diag(void *baton, const bl_diag_t *d)
{
    bl_folder_t *f = baton;
    char key[1200];

    apr_snprintf(key, sizeof(key), "%d:%s:%d:%d:%s:%" APR_INT64_T_FMT,
                 ap_state_query(AP_SQ_CONFIG_GEN), d->path, d->line, d->col, d->msg,
                 d->version);
    if (log_first_time(key)) {
        ap_log_error(APLOG_MARK, d->level == BL_LOG_ERR ? APLOG_ERR : APLOG_WARNING, 0, f->s,
                     "%s:%d:%d: %s", d->path, d->line, d->col, d->msg);
    }
}

/* Logs one line per published content version, once across processes and
 * generations, and notes in a child's status slot the version it now serves. */
static void log_published(void *baton, const bl_site_t *site)
{
    bl_folder_t *f = baton;
    char key[600];

    bl_status_child_serves(site, site->dir);
    apr_snprintf(key, sizeof(key), "published:%s:%s", site->dir, site->version);
    if (log_first_time(key)) {
        ap_log_error(APLOG_MARK, APLOG_INFO, 0, f->s,
                     "mod_bilingual: %s: published version %s: %u files, %d in error, "
                     "%d warnings, loaded in %" APR_TIME_T_FMT " ms",
                     site->dir, site->version, apr_hash_count(site->served), site->errors,
                     site->warnings, apr_time_as_msec(site->loaded_in));
    }
}

/* Bridges the core's plain log lines to the main server's error log. */
static void log_line(void *baton, bl_log_level_t level, const char *msg)
{
    ap_log_error(APLOG_MARK, (int)level, 0, (server_rec *)baton, "%s", msg);
}

/* Creates the shared table of logged lines on the first start, in the process pool:
 * every later generation's children inherit it. */
static void create_logonce(retained_t *r, server_rec *s)
{
    apr_size_t size = LOGONCE_SLOTS * sizeof(apr_uint64_t);
    apr_shm_t *shm = NULL;
    apr_status_t rv;

    if (r->logonce == NULL) {
        rv = apr_shm_create(&shm, size, NULL, s->process->pool);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                         "mod_bilingual: no shared memory for log de-duplication; each child "
                         "logs content errors itself");
            return;
        }
        r->logonce = apr_shm_baseaddr_get(shm);
        memset(r->logonce, 0, size);
    }
    logonce = r->logonce;
}

/* Keeps libxml2 loaded for the life of the process, so trees kept across a restart
 * stay valid when httpd unloads the module (and with it, otherwise, libxml2). */
static int pin_libxml2(server_rec *s)
{
    Dl_info info;

    if (dladdr((void *)xmlInitParser, &info) == 0 || info.dli_fname == NULL
        || dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) == NULL) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "mod_bilingual: cannot pin libxml2 in memory; content is loaded anew "
                     "at each restart (last good versions of broken files are lost)");
        return 0;
    }
    return 1;
}

/* Returns the retained stores, made on the first start. */
static retained_t *retained_stores(server_rec *s)
{
    retained_t *r = ap_retained_data_get(RETAINED_KEY);

    if (r == NULL) {
        r = ap_retained_data_create(RETAINED_KEY, sizeof(*r));
        r->stores = apr_hash_make(s->process->pool);
        r->pinned = 0;
        r->logonce = NULL;
    }
    if (!r->pinned) {
        r->pinned = pin_libxml2(s);
        if (!r->pinned) {
            r->stores = apr_hash_make(s->process->pool); /* the old ones are leaked */
        }
    }
    return r;
}

/** The identity of the parent while it loads as the children's user. */
typedef struct identity_t {
    int switched;
    uid_t uid;
    gid_t gid;
    int ngroups;
    gid_t groups[256];
} identity_t;

/* Takes the children's identity (User, Group and the user's supplementary groups)
 * when the process runs as root; *SAVED keeps the parent's. */
static void become_children(identity_t *saved)
{
    gid_t groups[256];
    int n = 256;
    struct passwd *pw;

    saved->switched = 0;
    if (geteuid() != 0 || ap_unixd_config.user_id == 0) {
        return;
    }
    saved->uid = geteuid();
    saved->gid = getegid();
    saved->ngroups = getgroups(256, saved->groups);
    pw = getpwuid(ap_unixd_config.user_id);
    if (saved->ngroups < 0 || pw == NULL
        || getgrouplist(pw->pw_name, ap_unixd_config.group_id, groups, &n) < 0
        || setgroups((size_t)n, groups) != 0 || setegid(ap_unixd_config.group_id) != 0
        || seteuid(ap_unixd_config.user_id) != 0) {
        if (seteuid(saved->uid) != 0 || setegid(saved->gid) != 0
            || (saved->ngroups >= 0
                && setgroups((size_t)saved->ngroups, saved->groups) != 0)) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, errno, NULL,
                         "mod_bilingual: cannot take back the parent's identity after a "
                         "failed switch");
        }
        ap_log_error(APLOG_MARK, APLOG_WARNING, errno, NULL,
                     "mod_bilingual: cannot take the children's identity (User %s) to load "
                     "content; the parent loads as root, and may hold files the children "
                     "cannot read",
                     ap_unixd_config.user_name);
        return;
    }
    saved->switched = 1;
}

/* Gives the parent its own identity back. */
static void become_parent(const identity_t *saved)
{
    if (!saved->switched) {
        return;
    }
    if (seteuid(saved->uid) != 0 || setegid(saved->gid) != 0
        || setgroups((size_t)saved->ngroups, saved->groups) != 0) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, errno, NULL,
                     "mod_bilingual: cannot take back the parent's identity after a load");
    }
}

/* Loads the folder F in the parent at NOW as the children's user. */
static void parent_reload(bl_folder_t *f, apr_time_t now)
{
    identity_t id;
    apr_status_t rv;

    become_children(&id);
    rv = bl_store_reload(f->store, now);
    become_parent(&id);
    f->last_tick = now;
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, f->s, "mod_bilingual: cannot load %s",
                     bl_store_dir(f->store));
    }
}

/* Logs every file in error of the snapshot F serves, once in this generation: after a
 * restart the admin sees again what is broken, also when nothing changed since. */
static void log_faults(bl_folder_t *f)
{
    bl_site_t *site = bl_store_acquire(f->store);
    const bl_fault_t *fault;
    bl_diag_t d;
    int i;

    for (i = 0; site != NULL && i < site->faults->nelts; i++) {
        fault = &APR_ARRAY_IDX(site->faults, i, bl_fault_t);
        memset(&d, 0, sizeof(d));
        d.path = apr_pstrcat(site->pool, site->dir, "/", fault->rel, NULL);
        d.line = fault->line;
        d.col = fault->col;
        d.level = BL_LOG_ERR;
        d.msg = apr_pstrcat(site->pool, fault->msg,
                            fault->serving_old ? " (its last good version is served)"
                                               : " (not served)",
                            NULL);
        d.version = fault->since;
        log_diag(f, &d);
    }
    bl_site_unref(site);
}

/* Returns the folder record of REG for this generation, its store taken from (or
 * added to) the retained ones. */
static bl_folder_t *folder_for(apr_pool_t *pconf, retained_t *r, const bl_reg_t *reg)
{
    bl_folder_t *f = apr_pcalloc(pconf, sizeof(*f));
    bl_store_t *store = apr_hash_get(r->stores, reg->dir, APR_HASH_KEY_STRING);

    if (store == NULL && bl_store_create(&store, reg->dir, reg->s->process->pool) == APR_SUCCESS) {
        apr_hash_set(r->stores, bl_store_dir(store), APR_HASH_KEY_STRING, store);
    }
    f->store = store;
    f->interval = bl_conf_reload(reg->s);
    f->s = reg->s;
    f->sink.cb = log_diag;
    f->sink.baton = f;
    return f;
}

/* Records the folder of one registration, loading it the first time it is named. */
static void load_registered(apr_pool_t *pconf, retained_t *r, const bl_reg_t *reg)
{
    bl_folder_t *f = apr_hash_get(bl_folders, reg->dir, APR_HASH_KEY_STRING);
    int interval = bl_conf_reload(reg->s);

    if (f != NULL) {
        /* the most frequent checks win; 0 (restart only) only when all say so */
        if (f->interval == 0 || (interval > 0 && interval < f->interval)) {
            f->interval = interval;
        }
        return;
    }
    f = folder_for(pconf, r, reg);
    if (f->store == NULL) {
        ap_log_error(APLOG_MARK, APLOG_ERR, 0, reg->s, "mod_bilingual: no memory for %s", reg->dir);
        return;
    }
    apr_hash_set(bl_folders, reg->dir, APR_HASH_KEY_STRING, f);
    bl_store_report_to(f->store, &f->sink, log_published, f);
    parent_reload(f, bl_store_instant(f->store, apr_time_from_sec(f->interval), apr_time_now()));
    log_faults(f);
}

/* Clears what one reading of the configuration builds. */
int bl_load_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    bl_registry = NULL;
    bl_folders = NULL;
    logonce = NULL;
    return OK;
}

/* Loads every registered folder in the parent, before children fork. */
int bl_load_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    retained_t *r;
    int i;

    (void)plog;
    (void)ptemp;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK; /* the first, dry pass: do not load (nor log) twice */
    }
    xmlInitParser();
    bl_log_set(log_line, s);
    bl_folders = apr_hash_make(pconf);
    r = retained_stores(s);
    create_logonce(r, s);
    for (i = 0; bl_registry != NULL && i < bl_registry->nelts; i++) {
        load_registered(pconf, r, &APR_ARRAY_IDX(bl_registry, i, bl_reg_t));
    }
    bl_status_post_config(pconf, s);
    return OK;
}

/* Reloads a folder in the parent on the MPM's maintenance tick (about every ten
 * seconds), so that a child forked later starts from recent content. */
int bl_load_monitor(apr_pool_t *p, server_rec *s)
{
    apr_hash_index_t *hi;
    bl_folder_t *f;
    apr_time_t when;

    (void)s;
    (void)p; /* pconf: nothing is allocated from it here, this runs every few seconds */
    for (hi = bl_folders ? apr_hash_first(NULL, bl_folders) : NULL; hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        if (f->interval == 0) {
            bl_store_catch_up(f->store, apr_time_now()); /* visibility only */
            continue;
        }
        when = bl_store_instant(f->store, apr_time_from_sec(f->interval), apr_time_now());
        if (when > f->last_tick) {
            parent_reload(f, when);
        }
    }
    return DECLINED;
}

/* Loads each folder once more, synchronously, before the child serves (so a child
 * started later never serves content older than its siblings do), then starts its
 * watcher and its render cache. */
void bl_load_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_hash_index_t *hi;
    bl_folder_t *f;
    apr_status_t rv;

#ifdef __GLIBC__
    /* one malloc arena per child (set before any thread starts): the trees a load
     * builds and frees in the watcher thread then go back to the system at the trim
     * that ends the load; glibc never gives back the top of a thread's own arena, so
     * a refused 4 MiB file would otherwise stay in every child's RSS */
    if (bl_folders != NULL) {
        mallopt(M_ARENA_MAX, 1);
    }
#endif
    for (hi = bl_folders ? apr_hash_first(pchild, bl_folders) : NULL; hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        bl_store_reload(f->store,
                        bl_store_instant(f->store, apr_time_from_sec(f->interval), apr_time_now()));
        f->cache = bl_cache_create(BL_CACHE_MAX_BYTES, pchild);
        rv = bl_store_watch(f->store, apr_time_from_sec(f->interval), pchild);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         "mod_bilingual: cannot start the reload thread for %s",
                         bl_store_dir(f->store));
        }
    }
    bl_status_child_init(pchild);
}
