/* bl_site.c: content files and snapshots, and the references that share them.
 *
 * A file record (one parsed version of one content file) is shared by every snapshot
 * that serves or keeps it, counted by an atomic reference count; the last snapshot to
 * drop it frees its tree and its arena. A snapshot lives in an unmanaged pool of its
 * own, so the thread that drops its last reference (a request's, or the watcher's)
 * frees it without touching any other pool.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <apr_atomic.h>
#include <apr_strings.h>

#include "bl_select.h"
#include "bl_site.h"

/* Allocates the record and its arena, with copies of its names. */
bl_file_t *bl_file_create(bl_kind_t kind, const char *name, const char *dir, const char *rel)
{
    bl_arena_t *arena = bl_arena_create();
    bl_file_t *file = arena ? bl_arena_alloc(arena, sizeof(*file)) : NULL;
    char *path = file ? bl_arena_alloc(arena, strlen(dir) + strlen(rel) + 2) : NULL;

    if (path == NULL) {
        bl_arena_destroy(arena);
        return NULL;
    }
    strcpy(path, dir);
    strcat(path, "/");
    strcat(path, rel);
    file->refs = 1;
    file->arena = arena;
    file->kind = kind;
    file->path = path;
    file->rel = path + strlen(dir) + 1;
    file->name = bl_arena_strdup(arena, name);
    if (file->name == NULL) {
        bl_arena_destroy(arena);
        return NULL;
    }
    return file;
}

/* Counts a new holder. */
void bl_file_ref(bl_file_t *file)
{
    assert(apr_atomic_read32(&file->refs) > 0); /* no one revives a freed file */
    apr_atomic_inc32(&file->refs);
}

/* Frees the tree, then the arena that holds the record itself. */
void bl_file_unref(bl_file_t *file)
{
    assert(file == NULL || apr_atomic_read32(&file->refs) > 0);
    if (file == NULL || apr_atomic_dec32(&file->refs) != 0) {
        return;
    }
    if (file->doc != NULL) {
        xmlFreeDoc(file->doc);
    }
    bl_arena_destroy(file->arena);
}

/* Makes the pool, the record and its empty tables. */
bl_site_t *bl_site_create(const char *dir)
{
    apr_pool_t *pool = NULL;
    bl_site_t *site;
    int k;

    if (apr_pool_create_unmanaged_ex(&pool, NULL, NULL) != APR_SUCCESS) {
        return NULL;
    }
    site = apr_pcalloc(pool, sizeof(*site));
    site->pool = pool;
    site->refs = 1;
    site->dir = apr_pstrdup(pool, dir);
    site->files = apr_hash_make(pool);
    site->seen = apr_hash_make(pool);
    site->reported = apr_hash_make(pool);
    site->served = apr_hash_make(pool);
    site->held = apr_array_make(pool, 4, sizeof(bl_file_t *));
    site->items = apr_array_make(pool, 32, sizeof(bl_file_t *));
    site->faults = apr_array_make(pool, 0, sizeof(bl_fault_t));
    site->next_change = APR_INT64_MAX;
    for (k = 0; k < BL_KIND_COUNT; k++) {
        site->named[k] = apr_hash_make(pool);
        site->lists[k].order = apr_array_make(pool, 0, sizeof(bl_file_t *));
    }
    return site;
}

/* Counts a new reader. */
void bl_site_ref(bl_site_t *site)
{
    assert(apr_atomic_read32(&site->refs) > 0);
    apr_atomic_inc32(&site->refs);
}

/* Frees the snapshot with its last reader: its files' references first, then the
 * pool. */
void bl_site_unref(bl_site_t *site)
{
    apr_hash_index_t *hi;
    void *val;

    assert(site == NULL || apr_atomic_read32(&site->refs) > 0);
    if (site == NULL || apr_atomic_dec32(&site->refs) != 0) {
        return;
    }
    for (hi = apr_hash_first(NULL, site->files); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, &val);
        bl_file_unref(val);
    }
    while (site->held->nelts > 0) {
        bl_file_unref(*(bl_file_t **)apr_array_pop(site->held));
    }
    apr_pool_destroy(site->pool);
}

/* Looks a name up in the table of its kind. */
bl_file_t *bl_site_get(const bl_site_t *site, bl_kind_t kind, const char *name)
{
    assert(kind >= 0 && kind < BL_KIND_COUNT);
    return apr_hash_get(site->named[kind], name, APR_HASH_KEY_STRING);
}

/* Counts the table of KIND. */
unsigned int bl_site_count(const bl_site_t *site, bl_kind_t kind)
{
    assert(kind >= 0 && kind < BL_KIND_COUNT);
    return apr_hash_count(site->named[kind]);
}

/* Takes the local year of the item's start or publication. */
int bl_site_year_of(const bl_file_t *item)
{
    apr_time_exp_t xt;

    bl_time_local(bl_kind(item->kind)->ranged ? &item->item.start : &item->item.published, &xt);
    return xt.tm_year + 1900;
}

/* Halves the list's years, which are sorted newest first. */
const bl_year_t *bl_site_year(const bl_site_t *site, bl_kind_t kind, int year)
{
    const apr_array_header_t *years = bl_site_list(site, kind)->years;
    int lo = 0, hi = years ? years->nelts - 1 : -1, mid;
    const bl_year_t *y;

    while (lo <= hi) {
        mid = (lo + hi) / 2;
        y = &APR_ARRAY_IDX(years, mid, bl_year_t);
        if (y->year == year) {
            return y;
        }
        if (y->year > year) {
            lo = mid + 1;
        }
        else {
            hi = mid - 1;
        }
    }
    return NULL;
}

/* Asks the title's language selection, the rule every writer follows. */
const char *bl_site_untranslated(const bl_file_t *file, const char *tag, const char *deflang)
{
    const char *fb = NULL;

    if (file->root == NULL || bl_select_child(file->root, "title", tag, deflang, &fb) == NULL) {
        return NULL;
    }
    return fb;
}

/* Returns the list of an item kind. */
const bl_list_t *bl_site_list(const bl_site_t *site, bl_kind_t kind)
{
    assert(kind >= BL_KIND_FIRST_ITEM && kind < BL_KIND_COUNT);
    return &site->lists[kind];
}
