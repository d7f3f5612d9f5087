/* bl_items.c: what a snapshot shows at one instant: visible items, sorted lists.
 *
 * An item is visible when it is not a draft and its `published` is not in the future;
 * an event is upcoming until its end (its start when it has none). Both facts depend
 * on the clock, so the snapshot records the earliest future instant at which any of
 * them flips (next_change); the store reloads then, which is how an embargoed press
 * release appears at 10:00 without a restart. Last-Modified is the newest of the
 * files' and folders' mtimes and of the instants that already flipped, so that a
 * conditional request never gets a 304 for bytes that changed.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_content.h"
#include "bl_render.h"
#include "bl_xml.h"

/* Orders events by start, soonest first; slugs break ties. */
static int by_start(const void *a, const void *b)
{
    const bl_file_t *x = *(bl_file_t *const *)a;
    const bl_file_t *y = *(bl_file_t *const *)b;

    if (x->item.start.t != y->item.start.t) {
        return x->item.start.t < y->item.start.t ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

/* Orders events by start, latest first. */
static int by_start_desc(const void *a, const void *b)
{
    return by_start(b, a);
}

/* Orders items by published, newest first; kind then slug break ties. */
static int by_published_desc(const void *a, const void *b)
{
    const bl_file_t *x = *(bl_file_t *const *)a;
    const bl_file_t *y = *(bl_file_t *const *)b;

    if (x->item.published.t != y->item.published.t) {
        return x->item.published.t > y->item.published.t ? -1 : 1;
    }
    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

/* Sorts the bl_file_t* array ARR with CMP. */
static void sort(apr_array_header_t *arr, int (*cmp)(const void *, const void *))
{
    qsort(arr->elts, (size_t)arr->nelts, sizeof(bl_file_t *), cmp);
}

/* Notes the instant T: a future one may become next_change, a past one may raise
 * last_modified. */
static void note(bl_site_t *site, apr_time_t t, apr_time_t now)
{
    if (t > now && t < site->next_change) {
        site->next_change = t;
    }
    if (t <= now && t > site->last_modified) {
        site->last_modified = t;
    }
}

/* Sorts the items of hash H into the lists, dropping the invisible ones from H. */
static void classify(bl_site_t *site, apr_hash_t *h, apr_time_t now)
{
    apr_hash_index_t *hi;
    bl_file_t *f;
    apr_time_t over;

    for (hi = apr_hash_first(site->pool, h); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        if (f->item.draft) {
            apr_hash_set(h, f->name, APR_HASH_KEY_STRING, NULL);
            continue;
        }
        note(site, f->item.published.t, now);
        if (f->item.published.t > now) {
            apr_hash_set(h, f->name, APR_HASH_KEY_STRING, NULL);
            continue;
        }
        APR_ARRAY_PUSH(site->items, bl_file_t *) = f;
        if (f->kind == BL_KIND_PRESS) {
            APR_ARRAY_PUSH(site->releases, bl_file_t *) = f;
            continue;
        }
        over = f->item.has_end ? f->item.end.t : f->item.start.t;
        note(site, over, now);
        if (over > now) {
            APR_ARRAY_PUSH(site->upcoming, bl_file_t *) = f;
        }
        else {
            APR_ARRAY_PUSH(site->past, bl_file_t *) = f;
        }
    }
}

/* Reads the site-wide settings from the served site.xml. */
static void read_info(bl_site_t *site)
{
    xmlNodePtr root, author, n;

    if (site->site == NULL) {
        site->info.authority = "invalid.example,2000";
        site->info.author_name = "";
        return;
    }
    root = site->info.root = site->site->root;
    n = bl_select_child(root, "tag-authority", "", "", NULL);
    site->info.authority = n ? bl_xml_text(n, site->pool) : "invalid.example,2000";
    author = bl_select_child(root, "author", "", "", NULL);
    n = author ? bl_select_child(author, "name", "", "", NULL) : NULL;
    site->info.author_name = n ? bl_xml_text(n, site->pool) : "";
    n = author ? bl_select_child(author, "email", "", "", NULL) : NULL;
    site->info.author_email = n ? bl_xml_text(n, site->pool) : NULL;
    n = author ? bl_select_child(author, "uri", "", "", NULL) : NULL;
    site->info.author_uri = n ? bl_xml_text(n, site->pool) : NULL;
}

/* Fills the derived fields of a freshly loaded snapshot. */
void bl_site_derive(bl_site_t *site, apr_time_t now)
{
    site->now = now;
    site->next_change = APR_INT64_MAX;
    site->upcoming = apr_array_make(site->pool, 16, sizeof(bl_file_t *));
    site->past = apr_array_make(site->pool, 16, sizeof(bl_file_t *));
    site->releases = apr_array_make(site->pool, 16, sizeof(bl_file_t *));
    site->items = apr_array_make(site->pool, 32, sizeof(bl_file_t *));
    classify(site, site->events, now);
    classify(site, site->press, now);
    sort(site->upcoming, by_start);
    sort(site->past, by_start_desc);
    sort(site->releases, by_published_desc);
    sort(site->items, by_published_desc);
    read_info(site);
}
