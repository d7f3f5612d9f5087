/* bl_content.c: loading a content folder into a snapshot, keeping last good versions.
 *
 * bl_site_load() stats every file of the folder (the kinds table names the files and
 * subfolders). A file whose stamp (mtime, ctime, size, inode, device) is what the
 * previous snapshot last saw is shared with it; any other is read (without following
 * a link the stat did not follow, and checked by fstat to be the version stat'ed, so a
 * file swapped in between is never parsed) and hashed: the same bytes as the last good
 * version (a touch, a chmod) keep that version and its `changed` time; new bytes are
 * parsed (bl_xml.c), indexed for language selection (bl_select.c) and checked
 * (bl_validate.c). A file that fails keeps its last good version, if it ever had one,
 * and its bad stamp is remembered so that it is neither parsed nor reported again
 * until it changes. Then what spans files is checked on the versions that would be
 * served: a file that fails there (an include of a fragment that is not served, a
 * cycle, an expansion over the budget) falls back to the version served before, and
 * the check runs again until nothing fails, so no combination of old and new versions
 * that breaks a rule is ever published. Finally the snapshot-wide facts are derived
 * (bl_items.c) and a version id is computed from what is served. A snapshot is never
 * modified after it is returned, so any number of threads may read it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <apr_sha1.h>
#include <apr_strings.h>

#include "bl_content.h"
#include "bl_items.h"
#include "bl_name.h"
#include "bl_route.h"
#include "bl_validate.h"
#include "bl_xml.h"

/* State of one load. */
typedef struct loader_t {
    char *realdir; /* the folder's real path, for symbolic links (malloc'ed) */
    bl_site_t *site;
    bl_site_t *prev;
    bl_sink_t *sink;
    apr_pool_t *scratch; /* cleared for each file */
    apr_time_t now;
    int changed;
    apr_int64_t version; /* mtime of the file being parsed, for diagnostics */
    int probe;           /* only compare stamps with PREV; build and parse nothing */
    unsigned int count;  /* files found */
    apr_hash_t *cross;   /* rel -> bl_diag_t*: the first cross-file error of each */
} loader_t;

/* Reports DIAG unless this process reported the same one before (kept in REPORTED
 * from snapshot to snapshot), so an error is logged once, not once per reload;
 * editors' warnings go out only when the sink asks for them, unless ALWAYS. */
static void report_as(loader_t *ld, const bl_diag_t *in, int always)
{
    bl_diag_t d = *in;
    const char *key;

    d.version = d.version ? d.version : ld->version;
    key = apr_psprintf(ld->site->pool, "%s:%d:%d:%s:%" APR_INT64_T_FMT, d.path, d.line, d.col,
                       d.msg, d.version);
    if (apr_hash_get(ld->site->reported, key, APR_HASH_KEY_STRING) != NULL) {
        return; /* already said in this load */
    }
    apr_hash_set(ld->site->reported, key, APR_HASH_KEY_STRING, "");
    if (d.level == BL_LOG_ERR) {
        ld->sink->errors++;
    }
    else {
        ld->sink->warned++;
    }
    if ((d.level == BL_LOG_ERR || ld->sink->warnings || always) && ld->sink->cb != NULL
        && (ld->prev == NULL || apr_hash_get(ld->prev->reported, key, APR_HASH_KEY_STRING) == NULL)) {
        ld->sink->cb(ld->sink->baton, &d);
    }
}

/* Reports a diagnostic of the validator or the parser. */
static void report(void *baton, const bl_diag_t *diag)
{
    report_as(baton, diag, 0);
}

/* Reports a cross-file diagnostic and keeps the first error of each file for the
 * admin's view. */
static void report_cross(void *baton, const bl_diag_t *diag)
{
    loader_t *ld = baton;
    const char *rel = diag->path + strlen(ld->site->dir) + 1;

    if (diag->level == BL_LOG_ERR && apr_hash_get(ld->cross, rel, APR_HASH_KEY_STRING) == NULL) {
        bl_diag_t *copy = apr_pmemdup(ld->site->pool, diag, sizeof(*diag));
        copy->msg = apr_pstrdup(ld->site->pool, diag->msg);
        apr_hash_set(ld->cross, apr_pstrdup(ld->site->pool, rel), APR_HASH_KEY_STRING, copy);
    }
    report_as(ld, diag, 0);
}

/* Returns 1 when stamps A and B name the same version. */
static int same_stamp(const bl_stamp_t *a, const bl_stamp_t *b)
{
    return a->mtime == b->mtime && a->ctime == b->ctime && a->size == b->size
           && a->inode == b->inode && a->device == b->device;
}

/* Returns a copy of SEEN whose strings live in P, for a snapshot that must not point
 * into an older one's pool. */
static bl_seen_t *copy_seen(const bl_seen_t *seen, apr_pool_t *p)
{
    bl_seen_t *s = apr_pmemdup(p, seen, sizeof(*seen));

    if (s->bad) {
        s->diag.path = apr_pstrdup(p, seen->diag.path);
        s->diag.msg = apr_pstrdup(p, seen->diag.msg);
    }
    return s;
}

/* Records what was found on disk for REL: its stamp, and its first error when BAD. */
static void see(loader_t *ld, const char *rel, const bl_stamp_t *stamp, const bl_diag_t *bad)
{
    bl_seen_t *s = apr_pcalloc(ld->site->pool, sizeof(*s));
    bl_seen_t *old = ld->prev ? apr_hash_get(ld->prev->seen, rel, APR_HASH_KEY_STRING) : NULL;

    s->stamp = *stamp;
    /* the time this version was written: the same in every process that finds it */
    s->since = old && same_stamp(&old->stamp, stamp) ? old->since : stamp->mtime;
    s->bad = bad != NULL;
    if (bad != NULL) {
        s->diag = *bad;
        s->diag.path = apr_pstrdup(ld->site->pool, bad->path);
        s->diag.msg = apr_pstrdup(ld->site->pool, bad->msg ? bad->msg : "");
    }
    apr_hash_set(ld->site->seen, rel, APR_HASH_KEY_STRING, s);
}

/* Keeps FILE (with a new reference) as the newest good version of REL. */
static void keep(loader_t *ld, const char *rel, bl_file_t *file)
{
    if (file != NULL) {
        bl_file_ref(file);
        apr_hash_set(ld->site->files, rel, APR_HASH_KEY_STRING, file);
    }
}

/* Returns the text of every <location> of FILE, in order, from P: what a calendar
 * subscriber sees of where an event is. */
static const char *locations(const bl_file_t *file, apr_pool_t *p)
{
    const char *s = "";
    xmlNodePtr c;

    for (c = file->root->children; c != NULL; c = c->next) {
        if (bl_xml_is(c, "location")) {
            s = apr_pstrcat(p, s, bl_xml_lang(c) ? bl_xml_lang(c) : "", ":", bl_xml_text(c, p),
                            "\n", NULL);
        }
    }
    return s;
}

/* Warns when an event changed what a calendar shows (start, end, place, status) while
 * its `updated` stayed: subscribers' calendars and feed readers will not notice. */
static void warn_silent_change(loader_t *ld, const bl_file_t *old, const bl_file_t *nu,
                               const char *buf, apr_size_t len)
{
    const bl_item_t *a = &old->item, *b = &nu->item;
    bl_diag_t d;

    if (!bl_kind(nu->kind)->ranged || a->updated.t != b->updated.t
        || (a->start.t == b->start.t && a->has_end == b->has_end
            && (!a->has_end || a->end.t == b->end.t) && a->cancelled == b->cancelled
            && strcmp(locations(old, ld->scratch), locations(nu, ld->scratch)) == 0)) {
        return;
    }
    memset(&d, 0, sizeof(d));
    d.path = nu->path;
    bl_xml_attr_pos(buf, len, nu->root, "updated", &d.line, &d.col);
    d.level = BL_LOG_WARNING;
    d.msg = "its start, end, place or status changed but 'updated' did not: calendars and feed "
            "readers will not notice; set 'updated' to the time of this change";
    report_as(ld, &d, 1);
}

/** A file's check: where it reports, and its first error (for the admin's view). */
typedef struct check_t {
    loader_t *ld;
    bl_diag_t first;
    int have;
} check_t;

/* Reports a validator's diagnostic and keeps the first error, copied to scratch. */
static void report_checked(void *baton, const bl_diag_t *diag)
{
    check_t *ck = baton;

    if (diag->level == BL_LOG_ERR && !ck->have) {
        ck->first = *diag;
        ck->first.path = apr_pstrdup(ck->ld->scratch, diag->path);
        ck->first.msg = apr_pstrdup(ck->ld->scratch, diag->msg);
        ck->have = 1;
    }
    report(ck->ld, diag);
}

/* Parses, indexes and validates the bytes of REL into a new file record; NULL when it
 * fails (reported, and the first error copied to *BAD). */
static bl_file_t *parse_one(loader_t *ld, bl_kind_t kind, const char *name, const char *rel,
                            const char *buf, apr_size_t len, bl_diag_t *bad)
{
    bl_file_t *file = bl_file_create(kind, name, ld->site->dir, rel);
    check_t ck;
    apr_status_t rv;

    memset(&ck, 0, sizeof(ck));
    ck.ld = ld;
    ck.first.path = apr_pstrcat(ld->scratch, ld->site->dir, "/", rel, NULL);
    ck.first.level = BL_LOG_ERR;
    ck.first.msg = "out of memory";
    /* diagnostics name the path in the scratch pool: FILE goes if the parse fails */
    rv = file ? bl_xml_parse(ck.first.path, buf, len, file->arena, &file->doc, &ck.first,
                             ld->scratch)
              : APR_ENOMEM;
    if (rv == APR_SUCCESS) {
        file->root = xmlDocGetRootElement(file->doc);
        rv = bl_validate_file(file, buf, len, ld->sink->langs, report_checked, &ck, ld->scratch);
    }
    else {
        report(ld, &ck.first);
    }
    if (rv != APR_SUCCESS) {
        *bad = ck.first;
        bl_file_unref(file);
        return NULL;
    }
    return file;
}

/* Reads REL and checks by fstat that it is the version STAMP names; returns
 * APR_EAGAIN when it changed in between (it is looked at again next time). */
static apr_status_t read_version(loader_t *ld, const char *rel, const bl_stamp_t *stamp,
                                 int is_link, char **buf, apr_size_t *len, bl_diag_t *diag)
{
    const char *path = apr_pstrcat(ld->scratch, ld->site->dir, "/", rel, NULL);
    apr_finfo_t fi;
    bl_stamp_t now;
    apr_status_t rv;

    rv = bl_xml_read(path, !is_link, buf, len, &fi, diag, ld->scratch);
    if (rv != APR_SUCCESS) {
        return rv;
    }
    now.mtime = fi.mtime;
    now.ctime = fi.ctime;
    now.size = fi.size;
    now.inode = fi.inode;
    now.device = fi.device;
    return same_stamp(&now, stamp) ? APR_SUCCESS : APR_EAGAIN;
}

/* Returns the time FILE's bytes first appeared: its mtime for new bytes, never before
 * the time of the version it replaces (an edit saved with an old mtime, by cp -p). */
static apr_time_t first_seen(const bl_file_t *old, const bl_stamp_t *stamp)
{
    if (old != NULL && stamp->mtime <= old->changed) {
        return old->changed + APR_USEC_PER_SEC;
    }
    return stamp->mtime;
}

/* Loads the changed file REL: same bytes keep the old version; new bytes are parsed;
 * a failure keeps the old version and remembers the bad stamp. */
static void load_changed(loader_t *ld, bl_kind_t kind, const char *name, const char *rel,
                         const bl_stamp_t *stamp, int is_link, bl_file_t *old)
{
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    apr_sha1_ctx_t sha;
    bl_diag_t bad;
    bl_file_t *file;
    apr_size_t len = 0;
    char *buf = NULL;
    apr_status_t rv;

    apr_pool_clear(ld->scratch);
    rv = read_version(ld, rel, stamp, is_link, &buf, &len, &bad);
    if (rv == APR_EAGAIN) {
        keep(ld, rel, old); /* not seen: the next load looks again */
        return;
    }
    ld->changed = 1;
    ld->version = stamp->mtime;
    if (rv != APR_SUCCESS) {
        report(ld, &bad);
        see(ld, rel, stamp, &bad);
        keep(ld, rel, old);
        return;
    }
    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, (const unsigned char *)buf, (unsigned int)len);
    apr_sha1_final(digest, &sha);
    if (old != NULL && memcmp(digest, old->digest, sizeof(digest)) == 0) {
        see(ld, rel, stamp, NULL); /* touched, not changed: the same version stays */
        keep(ld, rel, old);
        return;
    }
    file = parse_one(ld, kind, name, rel, buf, len, &bad);
    see(ld, rel, stamp, file ? NULL : &bad);
    if (file == NULL) {
        keep(ld, rel, old);
        return;
    }
    memcpy(file->digest, digest, sizeof(digest));
    file->stamp = *stamp;
    file->changed = first_seen(old, stamp);
    if (old != NULL) {
        warn_silent_change(ld, old, file, buf, len);
    }
    keep(ld, rel, file);
    bl_file_unref(file); /* keep took the snapshot's reference */
    ld->version = 0;
}

/* Loads one file: shared when it is the version last seen, else looked at anew. */
static void load_one(loader_t *ld, bl_kind_t kind, const char *name, const char *rel,
                     const bl_stamp_t *stamp, int is_link)
{
    bl_file_t *old = NULL;
    bl_seen_t *seen = NULL;

    ld->count++;
    if (ld->prev != NULL) {
        old = apr_hash_get(ld->prev->files, rel, APR_HASH_KEY_STRING);
        seen = apr_hash_get(ld->prev->seen, rel, APR_HASH_KEY_STRING);
    }
    if (seen != NULL && same_stamp(&seen->stamp, stamp)) {
        if (!ld->probe) {
            apr_hash_set(ld->site->seen, rel, APR_HASH_KEY_STRING,
                         copy_seen(seen, ld->site->pool));
            keep(ld, rel, old);
        }
        return;
    }
    ld->changed = 1;
    if (!ld->probe) {
        load_changed(ld, kind, name, rel, stamp, is_link, old);
    }
}

/* Returns 1 when PATH resolves inside the folder; a link that leads outside is
 * refused (SPEC 7: no file outside the folder). */
static int inside(loader_t *ld, const char *path)
{
    char *real = realpath(path, NULL);
    apr_size_t n = ld->realdir ? strlen(ld->realdir) : 0;
    int ok = real != NULL && n > 0 && strncmp(real, ld->realdir, n) == 0 && real[n] == '/';

    free(real);
    return ok;
}

/* Reports, once per version, a content file the loader refuses to read. */
static void refuse(loader_t *ld, const char *path, apr_time_t version, const char *why)
{
    bl_diag_t d;

    if (ld->probe) {
        return;
    }
    memset(&d, 0, sizeof(d));
    d.path = path;
    d.level = BL_LOG_ERR;
    d.msg = why;
    d.version = version;
    report(ld, &d);
}

/* Stats REL under the folder into STAMP; returns 0 when it is not a regular file, or
 * is a link that leads out of the folder (both reported). *IS_LINK says whether it is
 * a link. */
static int stat_rel(loader_t *ld, const char *rel, bl_stamp_t *stamp, int *is_link)
{
    const char *path = apr_pstrcat(ld->scratch, ld->site->dir, "/", rel, NULL);
    apr_int32_t wanted = APR_FINFO_TYPE | APR_FINFO_MTIME | APR_FINFO_CTIME | APR_FINFO_SIZE
                         | APR_FINFO_INODE | APR_FINFO_DEV;
    apr_finfo_t fi;

    if (apr_stat(&fi, path, wanted | APR_FINFO_LINK, ld->scratch) != APR_SUCCESS) {
        return 0;
    }
    *is_link = fi.filetype == APR_LNK;
    if (*is_link && !inside(ld, path)) {
        refuse(ld, path, fi.mtime, "a symbolic link that leads out of the content folder: refused");
        return 0;
    }
    if (*is_link && apr_stat(&fi, path, wanted, ld->scratch) != APR_SUCCESS) {
        return 0;
    }
    if (fi.filetype != APR_REG) {
        refuse(ld, path, fi.mtime, "not a regular file: refused");
        return 0;
    }
    stamp->mtime = fi.mtime;
    stamp->ctime = fi.ctime;
    stamp->size = fi.size;
    stamp->inode = fi.inode;
    stamp->device = fi.device;
    return 1;
}

/* Stats and loads REL as a file of KIND named NAME, when it is one. */
static void load_rel(loader_t *ld, bl_kind_t kind, const char *name, const char *rel)
{
    bl_stamp_t stamp;
    int is_link = 0;

    if (stat_rel(ld, rel, &stamp, &is_link)) {
        load_one(ld, kind, name, rel, &stamp, is_link);
    }
}

/* Warns about a file the module will never serve because of its name, in the error
 * log too (once, while it stays): an editor who saved one wonders where it went. */
static void warn_ignored(loader_t *ld, const char *dir, const char *fname, const char *why)
{
    bl_diag_t d;

    if (fname[0] == '.' || strchr(fname, '~') != NULL || ld->probe) {
        return; /* editor backups and hidden files: silently ignored */
    }
    memset(&d, 0, sizeof(d));
    d.path = apr_pstrcat(ld->scratch, ld->site->dir, "/", dir, "/", fname, NULL);
    d.level = BL_LOG_WARNING;
    d.msg = why;
    ld->version = 0; /* no file version: the same warning while the name stays */
    report_as(ld, &d, 1);
}

/* Reads the subfolder of KIND and loads each NAME.xml in it. */
static void scan_dir(loader_t *ld, const bl_kind_info_t *k)
{
    apr_pool_t *dp = NULL;
    apr_dir_t *d = NULL;
    apr_finfo_t fi;
    apr_size_t len;
    const char *path;

    apr_pool_create(&dp, ld->site->pool);
    path = apr_pstrcat(dp, ld->site->dir, "/", k->folder, NULL);
    if (apr_stat(&fi, path, APR_FINFO_TYPE | APR_FINFO_LINK, dp) != APR_SUCCESS
        || (fi.filetype == APR_LNK && !inside(ld, path))
        || apr_dir_open(&d, path, dp) != APR_SUCCESS) {
        apr_pool_destroy(dp);
        return;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        len = strlen(fi.name);
        if (len < 5 || strcmp(fi.name + len - 4, ".xml") != 0 || !bl_name_valid(fi.name, len - 4)) {
            warn_ignored(ld, k->folder, fi.name,
                         "ignored: a content file is named [a-z0-9][a-z0-9-]*.xml");
            continue;
        }
        if (k->segment != NULL && bl_route_is_year(fi.name, len - 4)) {
            warn_ignored(ld, k->folder, fi.name,
                         "ignored: an item named like a year (four digits) would hide that "
                         "year's archive; rename it");
            continue;
        }
        load_rel(ld, k->kind, apr_pstrndup(ld->site->pool, fi.name, len - 4),
                 apr_pstrcat(ld->site->pool, k->folder, "/", fi.name, NULL));
    }
    apr_dir_close(d);
    apr_pool_destroy(dp);
}

/* Loads every file the kinds table names: single files, then each subfolder. */
static void scan_all(loader_t *ld)
{
    int k;

    for (k = 0; k < BL_KIND_COUNT; k++) {
        if (bl_kind(k)->file != NULL) {
            load_rel(ld, k,
                     apr_pstrndup(ld->site->pool, bl_kind(k)->file, strlen(bl_kind(k)->file) - 4),
                     bl_kind(k)->file);
        }
    }
    for (k = 0; k < BL_KIND_COUNT; k++) {
        if (bl_kind(k)->folder != NULL) {
            scan_dir(ld, bl_kind(k));
        }
    }
}

/* Returns the version of REL served before this load, or NULL. */
static bl_file_t *served_before(loader_t *ld, const char *rel)
{
    return ld->prev ? apr_hash_get(ld->prev->served, rel, APR_HASH_KEY_STRING) : NULL;
}

/* Makes the failing files fall back: each whose candidate is a new version gets the
 * version served before (it did not break anything then); only when every failing
 * file already is at its old version (or never had one) are they dropped, so one
 * edit that closes a cycle through an unchanged file takes back the edit, not the
 * unchanged file. Returns the number of files changed in CAND. */
static int fall_back(loader_t *ld, apr_hash_t *cand, const apr_array_header_t *failed)
{
    const char *rel;
    bl_file_t *old, *cur;
    int i, n = 0;

    for (i = 0; i < failed->nelts; i++) {
        rel = APR_ARRAY_IDX(failed, i, const char *);
        cur = apr_hash_get(cand, rel, APR_HASH_KEY_STRING);
        old = served_before(ld, rel);
        if (cur != NULL && old != cur) {
            apr_hash_set(cand, apr_pstrdup(ld->site->pool, rel), APR_HASH_KEY_STRING, old);
            n++;
        }
    }
    for (i = 0; n == 0 && i < failed->nelts; i++) {
        rel = APR_ARRAY_IDX(failed, i, const char *);
        apr_hash_set(cand, apr_pstrdup(ld->site->pool, rel), APR_HASH_KEY_STRING, NULL);
    }
    return n ? n : failed->nelts;
}

/* Holds a reference to every served version that is not among the newest files. */
static void hold_old(loader_t *ld)
{
    apr_hash_index_t *hi;
    const void *rel;
    void *file;

    for (hi = apr_hash_first(ld->scratch, ld->site->served); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, &file);
        if (apr_hash_get(ld->site->files, rel, APR_HASH_KEY_STRING) != file) {
            bl_file_ref(file);
            APR_ARRAY_PUSH(ld->site->held, bl_file_t *) = file;
        }
    }
}

/* Chooses what is served: the newest good files, checked across files; a file that
 * fails falls back to its old version and the check runs again until none fails. Each
 * round takes a new version back or drops a file, so it ends. */
static void choose_served(loader_t *ld)
{
    apr_hash_t *cand = apr_hash_copy(ld->site->pool, ld->site->files);
    apr_array_header_t *failed;
    apr_pool_t *vp = NULL;

    apr_pool_create(&vp, ld->scratch);
    for (;;) {
        apr_pool_clear(vp);
        failed = bl_validate_site(cand, ld->site->seen, report_cross, ld, vp);
        if (failed->nelts == 0 || fall_back(ld, cand, failed) == 0) {
            break;
        }
    }
    apr_pool_destroy(vp);
    ld->site->served = cand;
    hold_old(ld);
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
    d.msg = apr_hash_get(ld->site->seen, rel, APR_HASH_KEY_STRING)
                ? "no good version of this file has loaded yet; pages cannot be served"
                : "missing; pages cannot be served without it";
    report(ld, &d);
}

/* Orders faults by path. */
static int by_rel(const void *a, const void *b)
{
    return strcmp(((const bl_fault_t *)a)->rel, ((const bl_fault_t *)b)->rel);
}

/* Lists, for the admin, every file in error: its own errors, then cross-file ones. */
static void list_faults(bl_site_t *site, apr_hash_t *cross)
{
    apr_hash_index_t *hi;
    const void *rel;
    void *val;
    const bl_seen_t *s;
    const bl_diag_t *d;
    bl_fault_t *f;

    for (hi = apr_hash_first(site->pool, site->seen); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, &val);
        s = val;
        d = s->bad ? &s->diag : cross ? apr_hash_get(cross, rel, APR_HASH_KEY_STRING) : NULL;
        if (d == NULL) {
            continue;
        }
        f = apr_array_push(site->faults);
        f->rel = rel;
        f->line = d->line;
        f->col = d->col;
        f->msg = d->msg;
        f->since = s->since;
        f->serving_old = apr_hash_get(site->served, rel, APR_HASH_KEY_STRING) != NULL;
    }
    qsort(site->faults->elts, (size_t)site->faults->nelts, sizeof(bl_fault_t), by_rel);
}

/* Computes the version id: an order-free sum of a hash of each served file's path
 * and bytes and whether it is shown, so the same content at the same instant gives the
 * same id in every process. */
static void version_id(bl_site_t *site)
{
    apr_uint64_t sum = 0, h;
    apr_hash_index_t *hi;
    const void *rel;
    void *val;
    const bl_file_t *f;
    const unsigned char *c;
    int i;

    for (hi = apr_hash_first(site->pool, site->served); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &rel, NULL, &val);
        f = val;
        h = 14695981039346656037ULL;
        for (c = rel; *c; c++) {
            h = (h ^ *c) * 1099511628211ULL;
        }
        for (i = 0; i < (int)sizeof(f->digest); i++) {
            h = (h ^ f->digest[i]) * 1099511628211ULL;
        }
        h = (h ^ (bl_site_get(site, f->kind, f->name) == f)) * 1099511628211ULL;
        sum += h;
    }
    apr_snprintf(site->version, sizeof(site->version), "%016" APR_UINT64_T_HEX_FMT, sum);
}

/* Finishes a snapshot whose served files are set: derived facts, faults, version. */
static void finish(bl_site_t *site, const bl_site_t *prev, apr_time_t now, apr_time_t started)
{
    bl_site_derive(site, prev, now);
    version_id(site);
    site->generation = prev ? prev->generation + 1 : 1;
    site->published = apr_time_now();
    site->loaded_in = site->published - started;
}

/* Starts a loader for DIR over PREV; returns APR_SUCCESS or why DIR cannot be read. */
static apr_status_t loader_init(loader_t *ld, const char *dir, bl_site_t *prev, apr_time_t now,
                                bl_sink_t *sink)
{
    apr_finfo_t fi;
    apr_status_t rv;

    memset(ld, 0, sizeof(*ld));
    ld->site = bl_site_create(dir);
    if (ld->site == NULL) {
        return APR_ENOMEM;
    }
    ld->prev = prev;
    ld->sink = sink;
    ld->now = now;
    ld->cross = apr_hash_make(ld->site->pool);
    apr_pool_create(&ld->scratch, ld->site->pool);
    rv = apr_stat(&fi, dir, APR_FINFO_TYPE, ld->scratch);
    if (rv == APR_SUCCESS && fi.filetype != APR_DIR) {
        rv = APR_ENOTDIR;
    }
    ld->realdir = rv == APR_SUCCESS ? realpath(dir, NULL) : NULL;
    if (rv == APR_SUCCESS && ld->realdir == NULL) {
        rv = APR_FROM_OS_ERROR(errno);
    }
    return rv;
}

/* Frees what the loader holds besides the snapshot. */
static void loader_done(loader_t *ld)
{
    free(ld->realdir);
    ld->realdir = NULL;
}

/* Returns 1 when the folder still holds exactly PREV's file versions: every file
 * stat'ed, nothing read, built or parsed. This is the common case of a reload, and the
 * cheap way to answer it. */
static int unchanged(bl_site_t *prev, loader_t *real)
{
    loader_t ld = *real;
    bl_site_t *probe_site = bl_site_create(prev->dir);

    if (probe_site == NULL) {
        return 0;
    }
    ld.site = probe_site;
    ld.probe = 1;
    ld.scratch = NULL;
    apr_pool_create(&ld.scratch, probe_site->pool);
    scan_all(&ld);
    bl_site_unref(probe_site);
    return !ld.changed && ld.count == apr_hash_count(prev->seen);
}

/* Scans, then either keeps PREV (nothing changed) or finishes the new snapshot. */
apr_status_t bl_site_load(bl_site_t **psite, int *changed, const char *dir, bl_site_t *prev,
                          apr_time_t now, bl_sink_t *sink)
{
    apr_time_t started = apr_time_now();
    int warned = sink->warned;
    loader_t ld;
    apr_status_t rv;

    *psite = NULL;
    *changed = 0;
    rv = loader_init(&ld, dir, prev, now, sink);
    if (rv != APR_SUCCESS || (prev != NULL && now < prev->next_change && unchanged(prev, &ld))) {
        loader_done(&ld);
        bl_site_unref(ld.site);
        if (rv == APR_SUCCESS) {
            bl_site_ref(prev);
            *psite = prev;
        }
        return rv;
    }
    scan_all(&ld);
    loader_done(&ld);
    if (prev != NULL && !ld.changed && ld.count == apr_hash_count(prev->seen)
        && now < prev->next_change) {
        bl_site_unref(ld.site);
        bl_site_ref(prev);
        *psite = prev;
        return APR_SUCCESS;
    }
    choose_served(&ld);
    require_file(&ld, apr_hash_get(ld.site->served, "site.xml", APR_HASH_KEY_STRING), "site.xml");
    require_file(&ld, apr_hash_get(ld.site->served, "layout.xml", APR_HASH_KEY_STRING),
                 "layout.xml");
    list_faults(ld.site, ld.cross);
    finish(ld.site, prev, now, started);
    ld.site->errors = ld.site->faults->nelts;
    ld.site->warnings = sink->warned - warned;
    apr_pool_destroy(ld.scratch);
#ifdef __GLIBC__
    /* a refused file's tree (up to BL_MAX_EXPANDED_NODES elements) was freed: give the
     * pages back to the system instead of keeping them in the loading thread's arena */
    malloc_trim(0);
#endif
    *psite = ld.site;
    *changed = 1;
    return APR_SUCCESS;
}

/* Copies the string-keyed hash FROM into TO, keys into P, values as they are. */
static void copy_hash(apr_hash_t *to, apr_hash_t *from, apr_pool_t *p)
{
    apr_hash_index_t *hi;
    const void *key;
    void *val;

    for (hi = apr_hash_first(p, from); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &key, NULL, &val);
        apr_hash_set(to, apr_pstrdup(p, key), APR_HASH_KEY_STRING, val);
    }
}

/* Copies PREV's seen records and faults into SITE, strings and all. */
static void copy_state(bl_site_t *site, const bl_site_t *prev)
{
    apr_hash_index_t *hi;
    const void *key;
    void *val;
    bl_fault_t *f;
    int i;

    for (hi = apr_hash_first(site->pool, prev->seen); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &key, NULL, &val);
        apr_hash_set(site->seen, apr_pstrdup(site->pool, key), APR_HASH_KEY_STRING,
                     copy_seen(val, site->pool));
    }
    for (i = 0; i < prev->faults->nelts; i++) {
        f = apr_array_push(site->faults);
        *f = APR_ARRAY_IDX(prev->faults, i, bl_fault_t);
        f->rel = apr_pstrdup(site->pool, f->rel);
        f->msg = apr_pstrdup(site->pool, f->msg);
    }
}

/* Copies PREV's files, held versions and served mapping with new references, then
 * derives visibility anew. */
bl_site_t *bl_site_rederive(bl_site_t *prev, apr_time_t now)
{
    apr_time_t started = apr_time_now();
    bl_site_t *site = bl_site_create(prev->dir);
    apr_hash_index_t *hi;
    void *val;
    int i;

    if (site == NULL) {
        return NULL;
    }
    copy_hash(site->files, prev->files, site->pool);
    for (hi = apr_hash_first(site->pool, site->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, &val);
        bl_file_ref(val);
    }
    for (i = 0; i < prev->held->nelts; i++) {
        bl_file_ref(APR_ARRAY_IDX(prev->held, i, bl_file_t *));
        APR_ARRAY_PUSH(site->held, bl_file_t *) = APR_ARRAY_IDX(prev->held, i, bl_file_t *);
    }
    copy_hash(site->served, prev->served, site->pool);
    copy_hash(site->reported, prev->reported, site->pool);
    copy_state(site, prev);
    finish(site, prev, now, started);
    site->errors = prev->errors;
    site->warnings = prev->warnings;
    return site;
}
