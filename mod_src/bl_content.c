/* bl_content.c: loading a content folder into a snapshot, keeping last good versions.
 *
 * bl_site_load() stats every file of the folder; a file whose stamp (mtime, size,
 * inode) is unchanged since the previous snapshot is shared with it, any other is
 * parsed (bl_xml.c) and checked (bl_validate.c). A file that fails keeps its last good
 * version, if it ever had one, and its bad stamp is remembered so that it is neither
 * parsed nor reported again until it changes. Then the snapshot-wide facts are
 * derived: which items are visible at NOW, the sorted lists, when visibility changes
 * next, and Last-Modified. A snapshot is never modified after it is returned (but for
 * its render cache, which has its own lock), so any number of threads may read it.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_atomic.h>
#include <apr_file_info.h>
#include <apr_strings.h>

#include "bl_content.h"
#include "bl_validate.h"
#include "bl_xml.h"

/* State of one load. */
typedef struct loader_t {
    char *realdir; /* the folder's real path, for symbolic links */
    bl_site_t *site;
    bl_site_t *prev;
    bl_sink_t *sink;
    apr_hash_t *reported; /* diag keys reported in this load's lifetime */
    apr_pool_t *scratch;
    int changed;
    apr_int64_t version; /* mtime of the file being parsed, for diagnostics */
    int probe;           /* only compare stamps with PREV; build and parse nothing */
    unsigned int seen;   /* files stat'ed, in a probe */
} loader_t;

static const struct {
    const char *dir;
    bl_kind_t kind;
} subdirs[] = {
    { "fragments", BL_KIND_FRAGMENT },
    { "pages", BL_KIND_PAGE },
    { "events", BL_KIND_EVENT },
    { "press", BL_KIND_PRESS },
};

/* Checks NAME against [a-z0-9][a-z0-9-]* and the length cap. */
int bl_name_valid(const char *name, apr_size_t len)
{
    apr_size_t i;

    if (len == 0 || len > BL_MAX_NAME || name[0] == '-') {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            return 0;
        }
    }
    return 1;
}

/* Adds a reference to FILE. */
static void file_ref(bl_file_t *file)
{
    apr_atomic_inc32(&file->refs);
}

/* Drops a reference to FILE and frees it, its tree and its strings with the last. */
static void file_unref(bl_file_t *file)
{
    if (apr_atomic_dec32(&file->refs) != 0) {
        return;
    }
    if (file->doc != NULL) {
        xmlFreeDoc(file->doc);
    }
    free(file->name);
    free(file->path);
    free(file);
}

/* Reports DIAG unless this process reported the same one before (kept in REPORTED
 * from snapshot to snapshot), so an error is logged once, not once per reload. */
static void report(loader_t *ld, const bl_diag_t *in)
{
    const char *key;
    bl_diag_t copy = *in;
    const bl_diag_t *diag = &copy;

    if (diag->level == BL_LOG_ERR) {
        ld->sink->errors++;
    }
    if (diag->level != BL_LOG_ERR && !ld->sink->warnings) {
        return;
    }
    if (copy.version == 0) {
        copy.version = ld->version;
    }
    key = apr_psprintf(ld->site->pool, "%s:%d:%d:%s:%" APR_INT64_T_FMT, diag->path, diag->line,
                       diag->col, diag->msg, copy.version);
    if (ld->prev == NULL || apr_hash_get(ld->prev->reported, key, APR_HASH_KEY_STRING) == NULL) {
        if (ld->sink->cb != NULL) {
            ld->sink->cb(ld->sink->baton, diag);
        }
    }
    apr_hash_set(ld->reported, key, APR_HASH_KEY_STRING, "");
}

/* Relays diagnostics from the validator to report(). */
static void relay(void *baton, const bl_diag_t *diag)
{
    report(baton, diag);
}

/* Returns the hash of SITE holding files of KIND. */
static apr_hash_t *kind_hash(bl_site_t *site, bl_kind_t kind)
{
    switch (kind) {
    case BL_KIND_FRAGMENT: return site->fragments;
    case BL_KIND_PAGE: return site->pages;
    case BL_KIND_EVENT: return site->events;
    case BL_KIND_PRESS: return site->press;
    default: return NULL;
    }
}

/* Records FILE (already referenced) as the newest good version of REL. */
static void keep(loader_t *ld, const char *rel, bl_file_t *file)
{
    apr_hash_set(ld->site->files, rel, APR_HASH_KEY_STRING, file);
}

/* Makes FILE the served version of REL, its kind and its name. */
static void serve(bl_site_t *site, const char *rel, bl_file_t *file)
{
    apr_hash_set(site->served, rel, APR_HASH_KEY_STRING, file);
    if (file->kind == BL_KIND_SITE) {
        site->site = file;
    }
    else if (file->kind == BL_KIND_LAYOUT) {
        site->layout = file;
    }
    else {
        apr_hash_set(kind_hash(site, file->kind), file->name, APR_HASH_KEY_STRING, file);
    }
}

/* Serves every good file, except those in FAILED (cross-file errors), for which the
 * previous snapshot's served version stays, held by an extra reference. */
static void publish(loader_t *ld, apr_array_header_t *failed)
{
    apr_hash_t *bad = apr_hash_make(ld->scratch);
    apr_hash_index_t *hi;
    bl_file_t *file, *old;
    const void *rel;
    int i;

    for (i = 0; i < failed->nelts; i++) {
        apr_hash_set(bad, APR_ARRAY_IDX(failed, i, const char *), APR_HASH_KEY_STRING, "");
    }
    for (hi = apr_hash_first(ld->scratch, ld->site->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, (void **)&file);
        if (apr_hash_get(bad, rel, APR_HASH_KEY_STRING) == NULL) {
            serve(ld->site, rel, file);
            continue;
        }
        old = ld->prev ? apr_hash_get(ld->prev->served, rel, APR_HASH_KEY_STRING) : NULL;
        if (old == NULL) {
            continue;
        }
        if (old != file) {
            file_ref(old);
            APR_ARRAY_PUSH(ld->site->held, bl_file_t *) = old;
        }
        serve(ld->site, rel, old);
    }
}

/* Parses and validates PATH into a new file object; NULL when it fails. */
static bl_file_t *parse_one(loader_t *ld, bl_kind_t kind, const char *name, const char *path,
                            const bl_stamp_t *stamp)
{
    bl_file_t *file;
    bl_diag_t diag;
    xmlDocPtr doc = NULL;

    if (bl_xml_parse_file(path, &doc, &diag, ld->scratch) != APR_SUCCESS) {
        report(ld, &diag);
        return NULL;
    }
    file = calloc(1, sizeof(*file));
    if (file == NULL || (file->name = strdup(name)) == NULL
        || (file->path = strdup(path)) == NULL) {
        diag.msg = "out of memory";
        report(ld, &diag);
        if (file != NULL) {
            free(file->name);
            free(file);
        }
        xmlFreeDoc(doc);
        return NULL;
    }
    file->refs = 1;
    file->kind = kind;
    file->stamp = *stamp;
    file->doc = doc;
    file->root = xmlDocGetRootElement(doc);
    if (bl_validate_file(file, ld->sink->langs, relay, ld, ld->scratch) != APR_SUCCESS) {
        file_unref(file);
        return NULL;
    }
    return file;
}

/* Returns 1 when stamps A and B name the same version. */
static int same_stamp(const bl_stamp_t *a, const bl_stamp_t *b)
{
    return a->mtime == b->mtime && a->ctime == b->ctime && a->size == b->size
        && a->inode == b->inode;
}

/* Loads one file: shared when unchanged, else parsed; a failure keeps the last good
 * version and remembers the bad stamp. */
static void load_one(loader_t *ld, bl_kind_t kind, const char *name, const char *rel,
                     const bl_stamp_t *stamp)
{
    bl_site_t *site = ld->site;
    bl_file_t *old = NULL;
    bl_stamp_t *bad = NULL;
    bl_file_t *file;

    if (ld->prev != NULL) {
        old = apr_hash_get(ld->prev->files, rel, APR_HASH_KEY_STRING);
        bad = apr_hash_get(ld->prev->bad, rel, APR_HASH_KEY_STRING);
    }
    if (ld->probe) {
        ld->seen++;
        ld->changed |= bad != NULL ? !same_stamp(bad, stamp)
                                   : (old == NULL || !same_stamp(&old->stamp, stamp));
        return;
    }
    if (old != NULL && bad == NULL && same_stamp(&old->stamp, stamp)) {
        file_ref(old);
        keep(ld, rel, old);
        return;
    }
    if (bad != NULL && same_stamp(bad, stamp)) {
        /* copied: PREV's pool may go before this snapshot does */
        apr_hash_set(site->bad, rel, APR_HASH_KEY_STRING,
                     apr_pmemdup(site->pool, bad, sizeof(*bad)));
        if (old != NULL) {
            file_ref(old);
            keep(ld, rel, old);
        }
        return;
    }
    ld->changed = 1;
    ld->version = stamp->mtime;
    apr_pool_clear(ld->scratch);
    file = parse_one(ld, kind, name, apr_pstrcat(ld->scratch, site->dir, "/", rel, NULL), stamp);
    ld->version = 0;
    if (file == NULL) {
        bad = apr_pmemdup(site->pool, stamp, sizeof(*stamp));
        apr_hash_set(site->bad, rel, APR_HASH_KEY_STRING, bad);
        file = old;
        if (file != NULL) {
            file_ref(file);
        }
    }
    if (file != NULL) {
        keep(ld, rel, file);
    }
}

/* Returns 1 when PATH, a symbolic link or under one, resolves inside the folder;
 * a link that leads outside is refused (SPEC 7: no file outside the folder). */
static int inside(loader_t *ld, const char *path)
{
    char *real = realpath(path, NULL);
    apr_size_t n = ld->realdir ? strlen(ld->realdir) : 0;
    int ok = real != NULL && n > 0 && strncmp(real, ld->realdir, n) == 0 && real[n] == '/';

    free(real);
    return ok;
}

/* Stats REL under the folder; returns 0 when it is not a regular file, or is a link
 * that leads out of the folder. */
static int stat_rel(loader_t *ld, const char *rel, bl_stamp_t *stamp, apr_time_t *newest)
{
    apr_finfo_t fi;
    const char *path = apr_pstrcat(ld->scratch, ld->site->dir, "/", rel, NULL);

    apr_int32_t wanted = APR_FINFO_TYPE | APR_FINFO_MTIME | APR_FINFO_CTIME | APR_FINFO_SIZE
                         | APR_FINFO_INODE;

    if (apr_stat(&fi, path, wanted | APR_FINFO_LINK, ld->scratch) != APR_SUCCESS) {
        return 0;
    }
    if (fi.filetype == APR_LNK
        && (!inside(ld, path) || apr_stat(&fi, path, wanted, ld->scratch) != APR_SUCCESS)) {
        return 0;
    }
    if (fi.filetype != APR_REG) {
        return 0;
    }
    stamp->mtime = fi.mtime;
    stamp->ctime = fi.ctime;
    stamp->size = fi.size;
    stamp->inode = fi.inode;
    if (fi.mtime > *newest) {
        *newest = fi.mtime;
    }
    return 1;
}

/* Warns about a file name that is not NAME.xml and so is ignored. */
static void warn_ignored(loader_t *ld, const char *dir, const char *fname)
{
    bl_diag_t d;

    if (fname[0] == '.' || strchr(fname, '~') != NULL) {
        return; /* editor backups and hidden files: silently ignored */
    }
    memset(&d, 0, sizeof(d));
    d.path = apr_pstrcat(ld->scratch, ld->site->dir, "/", dir, "/", fname, NULL);
    d.level = BL_LOG_WARNING;
    d.msg = "ignored: a content file is named [a-z0-9][a-z0-9-]*.xml";
    report(ld, &d);
}

/* Reads one subfolder and loads each NAME.xml in it; collects its mtime too. */
static void scan_dir(loader_t *ld, const char *dir, bl_kind_t kind)
{
    apr_pool_t *dp = NULL;
    apr_dir_t *d = NULL;
    apr_finfo_t fi;
    apr_size_t len;
    bl_stamp_t stamp;
    const char *rel, *path;
    apr_status_t rv;

    apr_pool_create(&dp, ld->site->pool);
    path = apr_pstrcat(dp, ld->site->dir, "/", dir, NULL);
    if (apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_LINK, dp) != APR_SUCCESS
        || (fi.filetype == APR_LNK && !inside(ld, path))
        || apr_dir_open(&d, path, dp) != APR_SUCCESS) {
        goto leave;
    }
    while ((rv = apr_dir_read(&fi, APR_FINFO_NAME, d)) == APR_SUCCESS || rv == APR_INCOMPLETE) {
        if (fi.name == NULL) {
            continue;
        }
        len = strlen(fi.name);
        if (len < 5 || strcmp(fi.name + len - 4, ".xml") != 0 || !bl_name_valid(fi.name, len - 4)) {
            if (fi.name[0] != '.' || len > 2) {
                warn_ignored(ld, dir, fi.name);
            }
            continue;
        }
        rel = apr_pstrcat(ld->site->pool, dir, "/", fi.name, NULL);
        if (stat_rel(ld, rel, &stamp, &ld->site->last_modified)) {
            load_one(ld, kind, apr_pstrndup(ld->site->pool, fi.name, len - 4), rel, &stamp);
        }
    }
    apr_dir_close(d);
leave:
    apr_pool_destroy(dp);
}

/* Stats the folder and its subfolders, whose mtimes change when files come or go. */
static void stat_dirs(loader_t *ld)
{
    apr_finfo_t fi;
    apr_size_t i;

    if (apr_stat(&fi, ld->site->dir, APR_FINFO_MTIME, ld->scratch) == APR_SUCCESS
        && fi.mtime > ld->site->last_modified) {
        ld->site->last_modified = fi.mtime;
    }
    for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        const char *p = apr_pstrcat(ld->scratch, ld->site->dir, "/", subdirs[i].dir, NULL);
        if (apr_stat(&fi, p, APR_FINFO_MTIME, ld->scratch) == APR_SUCCESS
            && fi.mtime > ld->site->last_modified) {
            ld->site->last_modified = fi.mtime;
        }
    }
}

/* Loads site.xml, layout.xml and every subfolder. */
static void scan_all(loader_t *ld)
{
    bl_stamp_t stamp;
    apr_size_t i;

    stat_dirs(ld);
    if (stat_rel(ld, "site.xml", &stamp, &ld->site->last_modified)) {
        load_one(ld, BL_KIND_SITE, "site", "site.xml", &stamp);
    }
    if (stat_rel(ld, "layout.xml", &stamp, &ld->site->last_modified)) {
        load_one(ld, BL_KIND_LAYOUT, "layout", "layout.xml", &stamp);
    }
    for (i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        scan_dir(ld, subdirs[i].dir, subdirs[i].kind);
    }
}

/* Returns the number of distinct relative paths SITE knows, good or bad. */
static unsigned int known_paths(const bl_site_t *site)
{
    apr_hash_index_t *hi;
    unsigned int n = apr_hash_count(site->files);

    for (hi = apr_hash_first(NULL, site->bad); hi; hi = apr_hash_next(hi)) {
        const void *key;
        apr_hash_this(hi, &key, NULL, NULL);
        if (apr_hash_get(site->files, key, APR_HASH_KEY_STRING) == NULL) {
            n++;
        }
    }
    return n;
}

/* Reports a missing required file once. */
static void require_file(loader_t *ld, const bl_file_t *file, const char *rel)
{
    bl_diag_t d;

    if (file != NULL) {
        return;
    }
    memset(&d, 0, sizeof(d));
    d.path = apr_pstrcat(ld->scratch, ld->site->dir, "/", rel, NULL);
    d.level = BL_LOG_ERR;
    d.msg = apr_hash_get(ld->site->bad, rel, APR_HASH_KEY_STRING)
                ? "no good version of this file has loaded yet; pages cannot be served"
                : "missing; pages cannot be served without it";
    report(ld, &d);
}

/* Creates the empty snapshot in its own unmanaged pool, so that whichever thread
 * drops the last reference can destroy it without touching a shared parent. */
static bl_site_t *site_create(const char *dir)
{
    apr_pool_t *pool = NULL;
    bl_site_t *site;

    apr_pool_create_unmanaged_ex(&pool, NULL, NULL);
    site = apr_pcalloc(pool, sizeof(*site));
    site->pool = pool;
    site->refs = 1;
    site->dir = apr_pstrdup(pool, dir);
    site->files = apr_hash_make(pool);
    site->bad = apr_hash_make(pool);
    site->reported = apr_hash_make(pool);
    site->fragments = apr_hash_make(pool);
    site->pages = apr_hash_make(pool);
    site->events = apr_hash_make(pool);
    site->press = apr_hash_make(pool);
    site->cache = apr_hash_make(pool);
    site->held = apr_array_make(pool, 4, sizeof(bl_file_t *));
    site->served = apr_hash_make(pool);
    apr_thread_mutex_create(&site->cache_lock, APR_THREAD_MUTEX_DEFAULT, pool);
    return site;
}

/* Returns 1 when the folder still holds exactly PREV's file versions: every file
 * stat'ed, nothing built or parsed. This is the common case of a reload, and the cheap
 * way to answer it. */
static int unchanged(bl_site_t *prev, const char *realdir)
{
    loader_t ld;
    bl_sink_t quiet;

    memset(&ld, 0, sizeof(ld));
    memset(&quiet, 0, sizeof(quiet));
    ld.site = site_create(prev->dir);
    ld.prev = prev;
    ld.sink = &quiet;
    ld.reported = ld.site->reported;
    ld.realdir = (char *)realdir;
    ld.probe = 1;
    apr_pool_create(&ld.scratch, ld.site->pool);
    scan_all(&ld);
    bl_site_unref(ld.site);
    return !ld.changed && ld.seen == known_paths(prev);
}

/* Scans, then either keeps PREV (nothing changed) or finishes the new snapshot. */
apr_status_t bl_site_load(bl_site_t **psite, int *changed, const char *dir, bl_site_t *prev,
                          apr_time_t now, bl_sink_t *sink)
{
    loader_t ld;
    apr_finfo_t fi;
    apr_status_t rv;

    *psite = NULL;
    memset(&ld, 0, sizeof(ld));
    ld.site = site_create(dir);
    rv = apr_stat(&fi, dir, APR_FINFO_TYPE, ld.site->pool);
    ld.prev = prev;
    ld.sink = sink;
    ld.reported = ld.site->reported;
    apr_pool_create(&ld.scratch, ld.site->pool);
    if (rv != APR_SUCCESS || fi.filetype != APR_DIR) {
        bl_site_unref(ld.site);
        return rv != APR_SUCCESS ? rv : APR_ENOTDIR;
    }
    ld.realdir = realpath(dir, NULL);
    if (prev != NULL && now < prev->next_change && unchanged(prev, ld.realdir)) {
        free(ld.realdir);
        bl_site_unref(ld.site);
        bl_site_ref(prev);
        *psite = prev;
        *changed = 0;
        return APR_SUCCESS;
    }
    scan_all(&ld);
    free(ld.realdir);
    if (prev != NULL && !ld.changed && known_paths(prev) == known_paths(ld.site)
        && now < prev->next_change) {
        bl_site_unref(ld.site);
        bl_site_ref(prev);
        *psite = prev;
        *changed = 0;
        return APR_SUCCESS;
    }
    publish(&ld, bl_validate_site(ld.site, relay, &ld, ld.scratch));
    require_file(&ld, ld.site->site, "site.xml");
    require_file(&ld, ld.site->layout, "layout.xml");
    bl_site_derive(ld.site, now);
    if (prev != NULL) {
        /* never older than what clients were told, and a change published now is at
         * least as new as now: an edit written with an old mtime (cp -p, rsync -t)
         * must not earn a 304 from If-Modified-Since */
        ld.site->last_modified = now > ld.site->last_modified ? now : ld.site->last_modified;
    }
    ld.site->generation = prev ? prev->generation + 1 : 1;
    apr_pool_destroy(ld.scratch);
    *psite = ld.site;
    *changed = 1;
    return APR_SUCCESS;
}

/* Copies the string-keyed hash FROM into TO, keys and SIZE-byte values into P. */
static void copy_hash(apr_hash_t *to, apr_hash_t *from, apr_size_t size, apr_pool_t *p)
{
    apr_hash_index_t *hi;
    const void *key;
    void *val;

    for (hi = apr_hash_first(NULL, from); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &key, NULL, &val);
        apr_hash_set(to, apr_pstrdup(p, key), APR_HASH_KEY_STRING, apr_pmemdup(p, val, size));
    }
}

/* Copies PREV's files, held versions and served mapping with new references, then
 * derives visibility anew. */
bl_site_t *bl_site_rederive(bl_site_t *prev, apr_time_t now)
{
    bl_site_t *site = site_create(prev->dir);
    apr_hash_index_t *hi;
    const void *rel;
    void *val;
    int i;

    for (hi = apr_hash_first(NULL, prev->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, &val);
        file_ref(val);
        apr_hash_set(site->files, apr_pstrdup(site->pool, rel), APR_HASH_KEY_STRING, val);
    }
    for (i = 0; i < prev->held->nelts; i++) {
        file_ref(APR_ARRAY_IDX(prev->held, i, bl_file_t *));
        APR_ARRAY_PUSH(site->held, bl_file_t *) = APR_ARRAY_IDX(prev->held, i, bl_file_t *);
    }
    for (hi = apr_hash_first(NULL, prev->served); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, &val);
        serve(site, apr_pstrdup(site->pool, rel), val);
    }
    copy_hash(site->bad, prev->bad, sizeof(bl_stamp_t), site->pool);
    copy_hash(site->reported, prev->reported, 1, site->pool);
    site->last_modified = prev->last_modified;
    bl_site_derive(site, now);
    site->generation = prev->generation + 1;
    return site;
}

/* Counts a new reader. */
void bl_site_ref(bl_site_t *site)
{
    apr_atomic_inc32(&site->refs);
}

/* Frees the snapshot with its last reader: files first, then the pool. */
void bl_site_unref(bl_site_t *site)
{
    apr_hash_index_t *hi;
    void *val;

    if (site == NULL || apr_atomic_dec32(&site->refs) != 0) {
        return;
    }
    for (hi = apr_hash_first(NULL, site->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, &val);
        file_unref(val);
    }
    while (site->held->nelts > 0) {
        file_unref(*(bl_file_t **)apr_array_pop(site->held));
    }
    apr_pool_destroy(site->pool);
}

/* Looks a name up in the hash of its kind. */
bl_file_t *bl_site_get(const bl_site_t *site, bl_kind_t kind, const char *name)
{
    apr_hash_t *h = kind_hash((bl_site_t *)site, kind);

    return h ? apr_hash_get(h, name, APR_HASH_KEY_STRING) : NULL;
}
