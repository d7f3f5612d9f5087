/* bl_sitemap.c: /sitemap.xml, every page and visible item in every language.
 *
 * The sitemap protocol (sitemaps.org 0.9) with Google's hreflang extension: one <url>
 * per resource and language, with <loc> the prefixed absolute URL, <lastmod> when it
 * is known, and an <xhtml:link rel="alternate"> to the resource in every configured
 * language (its own included, as the extension asks) plus "x-default" to the
 * language-neutral URL that negotiates. Resources come in a fixed order: pages by
 * name, the events list, the press list, events by slug, press releases by slug; each
 * resource's languages in configured order. Hash tables are read through sorted keys,
 * so the same content gives the same bytes and the same ETag. lastmod comes from the
 * content only, never from file times (which differ between servers): `updated` for
 * an item, the newest `updated` of its items for a list, none for a page or an empty
 * list. A page whose URL the router would not serve as that
 * page (one named "events" is the events list's redirect) is left out. The protocol's
 * limit of 50,000 URLs is reached at 25,000 items with two languages.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_out.h"
#include "bl_render.h"

#define SM_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define SM_XHTML_NS "http://www.w3.org/1999/xhtml"

/** A brigade and the first error writing to it; writes after an error do nothing. */
typedef struct sm_out_t {
    apr_bucket_brigade *bb;
    apr_status_t rv;
} sm_out_t;

/** One resource of the site, in all its languages. */
typedef struct sm_res_t {
    bl_route_t route;      /* the resource's route, language aside */
    const bl_file_t *item; /* an event or press release, else NULL */
    const char *lastmod;   /* RFC 3339, or NULL */
} sm_res_t;

/* Appends S unescaped (markup of our own only). */
static void out_put(sm_out_t *o, const char *s)
{
    if (o->rv == APR_SUCCESS) {
        o->rv = bl_out_puts(o->bb, s);
    }
}

/* Appends S escaped for text or a double-quoted attribute value. */
static void out_esc(sm_out_t *o, const char *s)
{
    if (o->rv == APR_SUCCESS) {
        o->rv = bl_out_attr(o->bb, s);
    }
}

/* Orders two C strings bytewise, for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the keys of HASH (may be NULL) sorted bytewise, from P. */
static apr_array_header_t *sorted_keys(apr_hash_t *hash, apr_pool_t *p)
{
    apr_array_header_t *keys;
    apr_hash_index_t *hi;
    const void *key;

    keys = apr_array_make(p, hash ? (int)apr_hash_count(hash) : 0, sizeof(const char *));
    for (hi = hash ? apr_hash_first(p, hash) : NULL; hi != NULL; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &key, NULL, NULL);
        APR_ARRAY_PUSH(keys, const char *) = key;
    }
    if (keys->nelts > 1) {
        qsort(keys->elts, (size_t)keys->nelts, sizeof(const char *), cmp_str);
    }
    return keys;
}

/* Returns the absolute URL of RES in language LANG (-1: the neutral URL). */
static const char *res_url(const bl_ctx_t *ctx, const sm_res_t *res, int lang)
{
    if (res->item != NULL && lang >= 0) {
        return bl_ctx_abs(ctx, bl_item_path(ctx, res->item, lang));
    }
    return bl_ctx_abs(ctx, bl_route_path(&res->route, ctx->langs, lang, ctx->pool));
}

/* Writes one alternate link to HREF for HREFLANG. */
static void write_alternate(sm_out_t *o, const char *hreflang, const char *href)
{
    out_put(o, "    <xhtml:link rel=\"alternate\" hreflang=\"");
    out_esc(o, hreflang);
    out_put(o, "\" href=\"");
    out_esc(o, href);
    out_put(o, "\"/>\n");
}

/* Writes a <url> for RES in each language, each with the alternates of all. */
static void write_res(const bl_ctx_t *ctx, const sm_res_t *res, sm_out_t *o)
{
    const char *urls[BL_MAX_LANGS];
    const char *neutral = res_url(ctx, res, -1);
    int i, j;

    for (i = 0; i < ctx->langs->n; i++) {
        urls[i] = res_url(ctx, res, i);
    }
    for (i = 0; i < ctx->langs->n && o->rv == APR_SUCCESS; i++) {
        out_put(o, "  <url>\n    <loc>");
        out_esc(o, urls[i]);
        out_put(o, "</loc>\n");
        if (res->lastmod != NULL) {
            out_put(o, "    <lastmod>");
            out_esc(o, res->lastmod);
            out_put(o, "</lastmod>\n");
        }
        for (j = 0; j < ctx->langs->n; j++) {
            write_alternate(o, ctx->langs->tag[j], urls[j]);
        }
        write_alternate(o, "x-default", neutral);
        out_put(o, "  </url>\n");
    }
}

/* Sets RES to the route KIND named NAME (may be NULL), with no item and no lastmod. */
static void res_init(sm_res_t *res, bl_route_kind_t kind, const char *name)
{
    res->route.kind = kind;
    res->route.lang = -1;
    res->route.name = name;
    res->route.target = NULL;
    res->item = NULL;
    res->lastmod = NULL;
}

/* Returns 1 when the router parses the path of RES (a page) back to the same page. */
static int page_reachable(const bl_ctx_t *ctx, const sm_res_t *res)
{
    bl_route_t back;
    const char *path = bl_route_path(&res->route, ctx->langs, 0, ctx->pool);

    bl_route_parse(path, ctx->langs, &back, ctx->pool);
    if (back.kind != res->route.kind) {
        return 0;
    }
    return res->route.name == NULL
           || (back.name != NULL && strcmp(back.name, res->route.name) == 0);
}

/* Writes the pages in name order; "index" is the home page. */
static void write_pages(const bl_ctx_t *ctx, sm_out_t *o)
{
    apr_array_header_t *names = sorted_keys(ctx->site->pages, ctx->pool);
    const char *name;
    sm_res_t res;
    int i;

    for (i = 0; i < names->nelts && o->rv == APR_SUCCESS; i++) {
        name = APR_ARRAY_IDX(names, i, const char *);
        if (strcmp(name, "index") == 0) {
            res_init(&res, BL_R_HOME, NULL);
        }
        else {
            res_init(&res, BL_R_PAGE, name);
        }
        if (page_reachable(ctx, &res)) {
            write_res(ctx, &res, o);
        }
    }
}

/* Writes the list page KIND, dated by the newest `updated` among ITEMS (a hash of
 * the list's visible items; may be NULL). */
static void write_list(const bl_ctx_t *ctx, bl_route_kind_t kind, apr_hash_t *items, sm_out_t *o)
{
    const bl_time_t *newest = NULL;
    const bl_file_t *item;
    apr_hash_index_t *hi;
    void *val;
    sm_res_t res;

    for (hi = items ? apr_hash_first(ctx->pool, items) : NULL; hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, &val);
        item = val;
        if (newest == NULL || item->item.updated.t > newest->t) {
            newest = &item->item.updated;
        }
    }
    res_init(&res, kind, NULL);
    if (newest != NULL) {
        res.lastmod = bl_time_rfc3339(newest, ctx->pool);
    }
    write_res(ctx, &res, o);
}

/* Writes the items of ITEMS (SLUG -> bl_file_t *; may be NULL) in slug order, each
 * under the route KIND. */
static void write_items(const bl_ctx_t *ctx, bl_route_kind_t kind, apr_hash_t *items, sm_out_t *o)
{
    apr_array_header_t *slugs = sorted_keys(items, ctx->pool);
    const char *slug;
    sm_res_t res;
    int i;

    for (i = 0; i < slugs->nelts && o->rv == APR_SUCCESS; i++) {
        slug = APR_ARRAY_IDX(slugs, i, const char *);
        res_init(&res, kind, slug);
        res.item = apr_hash_get(items, slug, APR_HASH_KEY_STRING);
        res.lastmod = bl_time_rfc3339(&res.item->item.updated, ctx->pool);
        write_res(ctx, &res, o);
    }
}

/* Writes the whole sitemap. */
apr_status_t bl_sitemap_write(const bl_ctx_t *ctx, apr_bucket_brigade *bb)
{
    sm_out_t o;

    o.bb = bb;
    o.rv = APR_SUCCESS;
    out_put(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<urlset xmlns=\"" SM_NS "\" xmlns:xhtml=\"" SM_XHTML_NS "\">\n");
    write_pages(ctx, &o);
    write_list(ctx, BL_R_EVENTS, ctx->site->events, &o);
    write_list(ctx, BL_R_PRESS, ctx->site->press, &o);
    write_items(ctx, BL_R_EVENT, ctx->site->events, &o);
    write_items(ctx, BL_R_RELEASE, ctx->site->press, &o);
    out_put(&o, "</urlset>\n");
    return o.rv;
}
