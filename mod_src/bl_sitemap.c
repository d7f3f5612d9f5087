/* bl_sitemap.c: /sitemap.xml, every page and visible item in every language it is
 * written in.
 *
 * The sitemap protocol (sitemaps.org 0.9) with Google's hreflang extension: one <url>
 * per resource and language it is written in, with <loc> the prefixed absolute URL,
 * <lastmod> when it is known, and an <xhtml:link rel="alternate"> to the resource in
 * every language it is written in (its own included, as the extension asks) plus,
 * when that is every configured language, "x-default" to the language-neutral URL
 * that negotiates. An untranslated page or item is listed in its own language only:
 * its other addresses show it with a notice and point their canonical link there. Resources come in a fixed order: pages by name,
 * the list of each item kind, then the items of each kind by slug; each resource's
 * languages in configured order. Hash tables are read through sorted keys, so the same
 * content gives the same bytes and the same ETag. lastmod comes from the content only,
 * never from file times (which differ between servers): `updated` for an item, the
 * newest `updated` of its items for a list, none for a page or an empty list. A page
 * whose URL the router would not serve as that page (one named "events" is the events
 * list) is left out. Each resource is written from a scratch pool cleared after it.
 * The protocol's limit of 50,000 URLs is reached at 25,000 items with two languages.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_sitemap.h"

#define SM_NS "http://www.sitemaps.org/schemas/sitemap/0.9"
#define SM_XHTML_NS "http://www.w3.org/1999/xhtml"

/** One resource of the site, in all its languages. */
typedef struct sm_res_t {
    bl_route_t route;      /* the resource's route, language aside */
    const bl_file_t *item; /* an item, else NULL */
    const bl_file_t *file; /* the page or item, else NULL (a list) */
    const char *lastmod;   /* RFC 3339, or NULL */
} sm_res_t;

/* Orders two C strings bytewise, for qsort. */
static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the keys of HASH sorted bytewise, from P. */
static apr_array_header_t *sorted_keys(apr_hash_t *hash, apr_pool_t *p)
{
    apr_array_header_t *keys = apr_array_make(p, (int)apr_hash_count(hash), sizeof(const char *));
    apr_hash_index_t *hi;
    const void *key;

    for (hi = apr_hash_first(p, hash); hi != NULL; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, &key, NULL, NULL);
        APR_ARRAY_PUSH(keys, const char *) = key;
    }
    qsort(keys->elts, (size_t)keys->nelts, sizeof(const char *), cmp_str);
    return keys;
}

/* Returns the absolute URL of RES in language LANG (-1: the neutral URL). */
static const char *res_url(const bl_ctx_t *ctx, const sm_res_t *res, int lang)
{
    if (res->item != NULL && lang >= 0) {
        return bl_ctx_abs(ctx, bl_ctx_item_path(ctx, res->item, lang));
    }
    return bl_ctx_route_url(ctx, &res->route, lang);
}

/* Writes one alternate link to HREF for HREFLANG. */
static void write_alternate(bl_out_t *o, const char *hreflang, const char *href)
{
    bl_out_puts(o, "    <xhtml:link rel=\"alternate\" hreflang=\"");
    bl_out_attr(o, hreflang);
    bl_out_puts(o, "\" href=\"");
    bl_out_attr(o, href);
    bl_out_puts(o, "\"/>\n");
}

/* Writes a <url> for RES in each language it is written in, each with the alternates
 * of all of them. */
static void write_res(const bl_ctx_t *ctx, bl_out_t *o, const sm_res_t *res)
{
    const char *urls[BL_MAX_LANGS];
    const char *neutral = res_url(ctx, res, -1);
    int i, j, all = 1;

    for (i = 0; i < ctx->langs->n; i++) {
        urls[i] = res->file == NULL || bl_ctx_written_in(ctx, res->file, i) ? res_url(ctx, res, i)
                                                                              : NULL;
        all = all && urls[i] != NULL;
    }
    for (i = 0; i < ctx->langs->n; i++) {
        if (urls[i] == NULL) {
            continue;
        }
        bl_out_puts(o, "  <url>\n    <loc>");
        bl_out_attr(o, urls[i]);
        bl_out_puts(o, "</loc>\n");
        if (res->lastmod != NULL) {
            bl_out_puts(o, "    <lastmod>");
            bl_out_attr(o, res->lastmod);
            bl_out_puts(o, "</lastmod>\n");
        }
        for (j = 0; j < ctx->langs->n; j++) {
            if (urls[j] != NULL) {
                write_alternate(o, ctx->langs->tag[j], urls[j]);
            }
        }
        if (all) {
            write_alternate(o, "x-default", neutral);
        }
        bl_out_puts(o, "  </url>\n");
    }
}

/* Returns 1 when the router parses the path of ROUTE (a page) back to the same page. */
static int page_reachable(const bl_ctx_t *ctx, const bl_route_t *route)
{
    bl_route_t back;

    bl_route_parse(bl_route_path(route, ctx->langs, 0, ctx->pool), ctx->langs, &back, ctx->pool);
    return back.kind == route->kind
           && (route->name == NULL || (back.name != NULL && strcmp(back.name, route->name) == 0));
}

/* Writes the pages in name order ("index" is the home page). */
static void write_pages(const bl_ctx_t *ctx, bl_out_t *o, apr_pool_t *scratch)
{
    apr_array_header_t *names = sorted_keys(ctx->site->named[BL_KIND_PAGE], ctx->pool);
    bl_ctx_t rc = *ctx;
    const char *name;
    sm_res_t res;
    int i;

    rc.pool = scratch;
    bl_ctx_note(ctx, ctx->site->pages_changed); /* pages show here by name only */
    for (i = 0; i < names->nelts && bl_out_status(o) == APR_SUCCESS; i++) {
        name = APR_ARRAY_IDX(names, i, const char *);
        memset(&res, 0, sizeof(res));
        bl_route_set(&res.route, strcmp(name, "index") ? BL_R_PAGE : BL_R_HOME, -1, -1,
                     strcmp(name, "index") ? name : NULL);
        res.file = bl_site_get(ctx->site, BL_KIND_PAGE, name);
        if (page_reachable(&rc, &res.route)) {
            write_res(&rc, o, &res);
        }
        apr_pool_clear(scratch);
    }
}

/* Writes the list page of KIND, dated by the newest `updated` among its items. */
static void write_list(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind)
{
    const bl_list_t *l = bl_site_list(ctx->site, kind);
    const bl_time_t *newest = NULL;
    const bl_file_t *item;
    sm_res_t res;
    int i;

    for (i = 0; i < l->order->nelts; i++) {
        item = APR_ARRAY_IDX(l->order, i, const bl_file_t *);
        if (newest == NULL || item->item.updated.t > newest->t) {
            newest = &item->item.updated;
        }
    }
    memset(&res, 0, sizeof(res));
    bl_route_set(&res.route, BL_R_LIST, -1, kind, NULL);
    res.lastmod = newest ? bl_time_rfc3339(newest, ctx->pool) : NULL;
    bl_ctx_note_list(ctx, kind);
    write_res(ctx, o, &res);
}

/* Writes the items of KIND in slug order, noting each. */
static void write_item_urls(const bl_ctx_t *ctx, bl_out_t *o, bl_kind_t kind, apr_pool_t *scratch)
{
    apr_array_header_t *slugs = sorted_keys(ctx->site->named[kind], ctx->pool);
    bl_ctx_t rc = *ctx;
    const char *slug;
    sm_res_t res;
    int i;

    rc.pool = scratch;
    for (i = 0; i < slugs->nelts && bl_out_status(o) == APR_SUCCESS; i++) {
        slug = APR_ARRAY_IDX(slugs, i, const char *);
        memset(&res, 0, sizeof(res));
        bl_route_set(&res.route, BL_R_ITEM, -1, kind, slug);
        res.item = res.file = bl_site_get(ctx->site, kind, slug);
        res.lastmod = bl_time_rfc3339(&res.item->item.updated, scratch);
        bl_ctx_note_item(ctx, res.item);
        write_res(&rc, o, &res);
        apr_pool_clear(scratch);
    }
}

/* Writes the whole sitemap. */
apr_status_t bl_sitemap_write(const bl_ctx_t *ctx, bl_out_t *out)
{
    apr_pool_t *scratch = NULL;
    int k;

    apr_pool_create(&scratch, ctx->pool);
    bl_out_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<urlset xmlns=\"" SM_NS "\" xmlns:xhtml=\"" SM_XHTML_NS "\">\n");
    write_pages(ctx, out, scratch);
    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        write_list(ctx, out, k);
    }
    for (k = BL_KIND_FIRST_ITEM; k < BL_KIND_COUNT; k++) {
        write_item_urls(ctx, out, k, scratch);
    }
    bl_out_puts(out, "</urlset>\n");
    apr_pool_destroy(scratch);
    return bl_out_status(out);
}
