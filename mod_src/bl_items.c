/* bl_items.c: what a snapshot shows at one instant: visible items, sorted lists.
 *
 * An item is visible when it is not a draft and its `published` is not in the future;
 * an item of a ranged kind (events) is upcoming until its end (its start when it has
 * none). Both facts depend on the clock, so the snapshot records the earliest future
 * instant at which any of them flips (next_change); the store re-derives then, which
 * is how an embargoed press release appears at 10:00 without a restart. Each list
 * keeps the instant its membership last changed, which dates lists and feeds (their
 * Last-Modified) when an item leaves them, and its items filed by year (the year of
 * bl_site_year_of), in list order, for the archives; a hash keeps that linear.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_items.h"
#include "bl_select.h"
#include "bl_xml.h"

/* Orders items by start, soonest first; slugs break ties. */
static int by_start(const void *a, const void *b)
{
    const bl_file_t *x = *(bl_file_t *const *)a;
    const bl_file_t *y = *(bl_file_t *const *)b;

    if (x->item.start.t != y->item.start.t) {
        return x->item.start.t < y->item.start.t ? -1 : 1;
    }
    return strcmp(x->name, y->name);
}

/* Orders items by start, latest first. */
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

/* Returns the instant an item of a ranged kind stops being upcoming. */
static apr_time_t over_at(const bl_file_t *f)
{
    return f->item.has_end ? f->item.end.t : f->item.start.t;
}

/* Notes a future instant T as a candidate for next_change. */
static void note_future(bl_site_t *site, apr_time_t t, apr_time_t now)
{
    if (t > now && t < site->next_change) {
        site->next_change = t;
    }
}

/* Returns 1 when item F is visible at NOW, noting when that may change. */
static int visible(bl_site_t *site, const bl_file_t *f, apr_time_t now)
{
    if (f->item.draft) {
        return 0;
    }
    note_future(site, f->item.published.t, now);
    if (bl_kind(f->kind)->ranged) {
        note_future(site, over_at(f), now);
    }
    return f->item.published.t <= now;
}

/* Returns a 64-bit hash of S mixed with SECTION, never 0. */
static apr_uint64_t mix(const char *s, int section)
{
    apr_uint64_t h = 14695981039346656037ULL ^ (apr_uint64_t)section;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h ? h : 1;
}

/* Splits and sorts list L of a ranged kind: upcoming soonest first, then past latest
 * first; returns the order-free signature of (slug, section) pairs. */
static apr_uint64_t sort_ranged(bl_list_t *l, apr_time_t now, apr_time_t *appeared)
{
    apr_array_header_t *all = l->order;
    bl_file_t **v = (bl_file_t **)all->elts;
    apr_uint64_t sig = 0;
    int i, up = 0;
    bl_file_t *t;

    for (i = 0; i < all->nelts; i++) {
        if (over_at(v[i]) > now) {
            t = v[up];
            v[up++] = v[i];
            v[i] = t;
        }
        else if (over_at(v[i]) > *appeared) {
            *appeared = over_at(v[i]);
        }
    }
    qsort(v, (size_t)up, sizeof(bl_file_t *), by_start);
    qsort(v + up, (size_t)(all->nelts - up), sizeof(bl_file_t *), by_start_desc);
    l->upcoming = up;
    for (i = 0; i < all->nelts; i++) {
        sig += mix(v[i]->name, i < up);
    }
    return sig;
}

/* Sorts list L of a plain kind, newest published first; returns its signature. */
static apr_uint64_t sort_plain(bl_list_t *l)
{
    apr_uint64_t sig = 0;
    int i;

    qsort(l->order->elts, (size_t)l->order->nelts, sizeof(bl_file_t *), by_published_desc);
    for (i = 0; i < l->order->nelts; i++) {
        sig += mix(APR_ARRAY_IDX(l->order, i, bl_file_t *)->name, 0);
    }
    return sig;
}

/* Orders years, newest first. */
static int by_year_desc(const void *a, const void *b)
{
    return ((const bl_year_t *)b)->year - ((const bl_year_t *)a)->year;
}

/* Files list L's items by year (a hash keeps it linear), in list order within a year;
 * the years newest first. */
static void list_years(bl_list_t *l, apr_pool_t *p)
{
    apr_hash_t *seen = apr_hash_make(p);
    apr_hash_index_t *hi;
    bl_year_t *y;
    bl_file_t *f;
    int i, year;

    for (i = 0; i < l->order->nelts; i++) {
        f = APR_ARRAY_IDX(l->order, i, bl_file_t *);
        year = bl_site_year_of(f);
        y = apr_hash_get(seen, &year, sizeof(int));
        if (y == NULL) {
            y = apr_pcalloc(p, sizeof(*y));
            y->year = year;
            y->items = apr_array_make(p, 4, sizeof(bl_file_t *));
            apr_hash_set(seen, &y->year, sizeof(int), y);
        }
        APR_ARRAY_PUSH(y->items, bl_file_t *) = f;
        y->upcoming += i < l->upcoming; /* the upcoming come first in the list */
    }
    l->years = apr_array_make(p, (int)apr_hash_count(seen), sizeof(bl_year_t));
    for (hi = apr_hash_first(p, seen); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&y);
        APR_ARRAY_PUSH(l->years, bl_year_t) = *y;
    }
    qsort(l->years->elts, (size_t)l->years->nelts, sizeof(bl_year_t), by_year_desc);
}

/* Sorts the list of KIND and dates its membership against PREV's. */
static void finish_list(bl_site_t *site, const bl_site_t *prev, bl_kind_t kind, apr_time_t now,
                        apr_time_t appeared)
{
    bl_list_t *l = &site->lists[kind];
    const bl_list_t *pl = prev ? &prev->lists[kind] : NULL;

    l->sig = bl_kind(kind)->ranged ? sort_ranged(l, now, &appeared) : sort_plain(l);
    list_years(l, site->pool);
    if (pl == NULL) {
        l->changed = appeared;
    }
    else if (pl->sig == l->sig && pl->order->nelts == l->order->nelts) {
        l->changed = pl->changed;
    }
    else {
        l->changed = now > pl->changed ? now : pl->changed;
    }
}

/* Files every served file by kind: items only when visible. */
static void file_by_kind(bl_site_t *site, apr_time_t now, apr_time_t *appeared)
{
    apr_hash_index_t *hi;
    bl_file_t *f;

    for (hi = apr_hash_first(site->pool, site->served); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&f);
        if (f->kind == BL_KIND_SITE || f->kind == BL_KIND_LAYOUT) {
            *(f->kind == BL_KIND_SITE ? &site->site : &site->layout) = f;
        }
        else if (f->kind < BL_KIND_FIRST_ITEM || visible(site, f, now)) {
            apr_hash_set(site->named[f->kind], f->name, APR_HASH_KEY_STRING, f);
        }
        if (f->kind >= BL_KIND_FIRST_ITEM
            && apr_hash_get(site->named[f->kind], f->name, APR_HASH_KEY_STRING) == f) {
            APR_ARRAY_PUSH(site->lists[f->kind].order, bl_file_t *) = f;
            APR_ARRAY_PUSH(site->items, bl_file_t *) = f;
            appeared[f->kind] =
                f->item.published.t > appeared[f->kind] ? f->item.published.t : appeared[f->kind];
        }
    }
}

/* Reads the site-wide settings from the served site.xml. */
static void read_info(bl_site_t *site)
{
    xmlNodePtr root, author, n;

    site->info.authority = BL_NO_AUTHORITY;
    site->info.author_name = "";
    if (site->site == NULL) {
        return;
    }
    root = site->info.root = site->site->root;
    n = bl_select_child(root, "tag-authority", "", "", NULL);
    site->info.authority = n ? bl_xml_text(n, site->pool) : site->info.authority;
    author = bl_select_child(root, "author", "", "", NULL);
    n = author ? bl_select_child(author, "name", "", "", NULL) : NULL;
    site->info.author_name = n ? bl_xml_text(n, site->pool) : "";
    n = author ? bl_select_child(author, "email", "", "", NULL) : NULL;
    site->info.author_email = n ? bl_xml_text(n, site->pool) : NULL;
    n = author ? bl_select_child(author, "uri", "", "", NULL) : NULL;
    site->info.author_uri = n ? bl_xml_text(n, site->pool) : NULL;
}

/* Dates the set of pages: carried from PREV while the names are the same. */
static void date_pages(bl_site_t *site, const bl_site_t *prev, apr_time_t now)
{
    apr_hash_index_t *hi;
    const void *name;
    void *val;
    apr_time_t newest = 0;

    site->pages_sig = 0;
    for (hi = apr_hash_first(site->pool, site->named[BL_KIND_PAGE]); hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &name, NULL, &val);
        site->pages_sig += mix(name, 0);
        newest = ((bl_file_t *)val)->changed > newest ? ((bl_file_t *)val)->changed : newest;
    }
    if (prev == NULL) {
        site->pages_changed = newest;
    }
    else if (prev->pages_sig == site->pages_sig) {
        site->pages_changed = prev->pages_changed;
    }
    else {
        site->pages_changed = now > prev->pages_changed ? now : prev->pages_changed;
    }
}

/* Classifies, sorts and dates every list. */
void bl_site_derive(bl_site_t *site, const bl_site_t *prev, apr_time_t now)
{
    apr_time_t appeared[BL_KIND_COUNT];
    int k;

    memset(appeared, 0, sizeof(appeared));
    site->now = now;
    site->next_change = APR_INT64_MAX;
    file_by_kind(site, now, appeared);
    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        finish_list(site, prev, (bl_kind_t)k, now, appeared[k]);
    }
    qsort(site->items->elts, (size_t)site->items->nelts, sizeof(bl_file_t *), by_published_desc);
    date_pages(site, prev, now);
    read_info(site);
}
