/* bl_respond.c: from a route to response bytes.
 *
 * Everything here is decided without a request: whether a neutral route names
 * something that exists, which routes fold into the 404 response of a language
 * (unknown names and item calendars, years without items, pages of feeds, lists and
 * archives past the last), which writer answers a route, and the cache key, which
 * names every input of the bytes (base URL, languages, feed and list sizes, language,
 * route, page) and nothing a client can vary freely. The 404 page is the exception:
 * it names the address asked for (bl_req_t.self), so it is rendered for each request
 * and never cached. A miss renders into a
 * chunked buffer (bl_out.c) from a pool of its own, destroyed at once, and the bytes
 * are handed to the cache whole, so a render costs about twice its output.
 */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_atom.h"
#include "bl_html.h"
#include "bl_ics.h"
#include "bl_limits.h"
#include "bl_log.h"
#include "bl_respond.h"
#include "bl_sitemap.h"

#define CT_HTML "text/html; charset=utf-8"
#define CT_ATOM "application/atom+xml; charset=utf-8"
#define CT_ICS "text/calendar; charset=utf-8"
#define CT_XML "application/xml; charset=utf-8"
#define CT_TEXT "text/plain; charset=utf-8"

/* Looks the named page or item up; other routes exist. */
int bl_respond_exists(const bl_site_t *site, const bl_route_t *route)
{
    switch (route->kind) {
    case BL_R_PAGE: return bl_site_get(site, BL_KIND_PAGE, route->name) != NULL;
    case BL_R_ITEM:
    case BL_R_ITEM_CALENDAR: return bl_site_get(site, route->item, route->name) != NULL;
    case BL_R_ARCHIVE: return bl_site_year(site, route->item, atoi(route->name)) != NULL;
    case BL_R_NOTFOUND: return 0;
    default: return 1;
    }
}

/* Reads page=N, digit by digit, refusing anything but 1..BL_MAX_PAGE_NUMBER. */
int bl_respond_page(const char *args)
{
    const char *s = args;
    long n = 0;

    while (s != NULL && *s) {
        if (strncmp(s, "page=", 5) == 0) {
            for (s += 5; *s >= '0' && *s <= '9' && n <= BL_MAX_PAGE_NUMBER; s++) {
                n = n * 10 + (*s - '0');
            }
            return (*s != '\0' && *s != '&') || n < 1 || n > BL_MAX_PAGE_NUMBER ? 0 : (int)n;
        }
        s = strchr(s, '&');
        s = s ? s + 1 : NULL;
    }
    return 1;
}

/* Returns the number of pages of N entries at SIZE a page (at least 1). */
static int pages_of(int n, int size)
{
    size = size < 1 ? 1 : size;
    return n == 0 ? 1 : (n - 1) / size + 1;
}

/* Returns the number of pages of the paged route R in SITE, 0 when it names nothing. */
static int route_pages(const bl_site_t *site, const bl_req_t *req)
{
    const bl_route_t *r = &req->route;
    const bl_year_t *y;
    int n;

    switch (r->kind) {
    case BL_R_FEED:
        n = r->item >= 0 ? bl_site_list(site, r->item)->order->nelts : site->items->nelts;
        return pages_of(n, req->feed_size);
    case BL_R_LIST:
        return pages_of(bl_site_list(site, r->item)->order->nelts, req->list_size);
    case BL_R_ARCHIVE:
        y = bl_site_year(site, r->item, atoi(r->name));
        return y ? pages_of(y->items->nelts, req->list_size) : 0;
    default: return 1;
    }
}

/* Feeds, lists and archives are paged. */
int bl_respond_paged(const bl_route_t *route)
{
    return route->kind == BL_R_FEED || route->kind == BL_R_LIST || route->kind == BL_R_ARCHIVE;
}

/* Folds what will answer 404 into one route per language. */
void bl_respond_resolve(const bl_site_t *site, bl_req_t *req)
{
    bl_route_t *r = &req->route;
    int missing;

    if (!bl_respond_paged(r)) {
        req->page = 0;
    }
    if (req->list_size < 1) {
        req->list_size = BL_DEFAULT_LIST_SIZE; /* the one default; writers take it as set */
    }
    missing = (bl_respond_paged(r) && (req->page < 1 || req->page > route_pages(site, req)))
              || ((r->kind == BL_R_PAGE || r->kind == BL_R_ITEM || r->kind == BL_R_ITEM_CALENDAR)
                  && bl_site_get(site, r->kind == BL_R_PAGE ? BL_KIND_PAGE : r->item, r->name)
                         == NULL)
              || (r->kind == BL_R_HOME && bl_site_get(site, BL_KIND_PAGE, "index") == NULL);
    if (missing || r->kind == BL_R_NOTFOUND) {
        /* the neutral 404 is the default language's */
        bl_route_set(r, BL_R_NOTFOUND, r->lang < 0 ? 0 : r->lang, -1, NULL);
        req->page = 0;
    }
}

/* Asks the model about the page or item the route shows. */
const char *bl_respond_untranslated(const bl_site_t *site, const bl_req_t *req)
{
    const bl_file_t *f = req->route.lang >= 0 ? bl_ctx_route_file(site, &req->route) : NULL;

    return f ? bl_site_untranslated(f, req->langs->tag[req->route.lang], req->langs->tag[0])
             : NULL;
}

/* Dispatches on the route's kind to the right writer. */
apr_status_t bl_respond_render(const bl_site_t *site, const bl_req_t *req, bl_out_t *out,
                               int *status, const char **ctype, apr_time_t *lm, apr_pool_t *p)
{
    bl_ctx_t ctx;
    apr_status_t rv;

    memset(&ctx, 0, sizeof(ctx));
    ctx.pool = p;
    ctx.site = site;
    ctx.langs = req->langs;
    ctx.lang = req->route.lang >= 0 ? req->route.lang : 0;
    ctx.base = req->base;
    ctx.feed_size = req->feed_size;
    ctx.list_size = req->list_size;
    ctx.page = req->page;
    ctx.self = req->self;
    ctx.lm = lm;
    *lm = 0;
    *status = 200;
    switch (req->route.kind) {
    case BL_R_FEED:
        *ctype = CT_ATOM;
        rv = bl_atom_write(&ctx, req->route.item, req->page, out);
        break;
    case BL_R_CALENDAR: *ctype = CT_ICS; return bl_ics_write(&ctx, req->route.item, out);
    case BL_R_ITEM_CALENDAR:
        if (bl_site_get(site, req->route.item, req->route.name) == NULL) {
            rv = APR_NOTFOUND; /* unresolved: the HTML writer answers 404 */
            break;
        }
        *ctype = CT_ICS;
        return bl_ics_write_item(&ctx, bl_site_get(site, req->route.item, req->route.name), out);
    case BL_R_SITEMAP: *ctype = CT_XML; return bl_sitemap_write(&ctx, out);
    case BL_R_ROBOTS:
        /* DocumentRoot has no robots.txt (httpd serves it when there is one): allow all
         * and name the sitemap, so crawlers find every page in every language */
        *ctype = CT_TEXT;
        bl_out_putv(out, "User-agent: *\nAllow: /\n\nSitemap: ", req->base, "/sitemap.xml\n",
                    NULL);
        return bl_out_status(out);
    default:
        *ctype = CT_HTML;
        rv = bl_html_write(&ctx, &req->route, out, status);
        break;
    }
    if (rv == APR_NOTFOUND) { /* a feed page or an item calendar resolution let through */
        bl_out_reset(out);
        *ctype = CT_HTML;
        rv = bl_html_write(&ctx, &req->route, out, status);
    }
    if (*status != 200) {
        *lm = 0;
    }
    return rv;
}

/* Returns the cache key of the resolved REQ. */
static const char *cache_key(const bl_req_t *req, apr_pool_t *p)
{
    const bl_route_t *r = &req->route;

    return apr_psprintf(p, "%s|%s|%d|%d|%d|%d|%d|%s|%d", req->base, req->langs_key,
                        req->feed_size, req->list_size, r->lang, (int)r->kind, r->item,
                        r->name ? r->name : "", req->page);
}

/* Renders REQ from a pool of its own; returns the bytes (malloc'ed) or NULL. */
static char *render(const bl_site_t *site, const bl_req_t *req, apr_size_t *len, int *status,
                    const char **ctype, apr_time_t *lm, apr_pool_t *p)
{
    apr_pool_t *rp = NULL;
    bl_out_t *out;
    char *data = NULL;

    if (apr_pool_create(&rp, p) != APR_SUCCESS) {
        return NULL;
    }
    out = bl_out_create(BL_MAX_RESPONSE_BYTES, rp);
    if (bl_respond_render(site, req, out, status, ctype, lm, rp) == APR_SUCCESS) {
        data = bl_out_take(out, len);
    }
    apr_pool_destroy(rp);
    return data;
}

/* Resolves, then finds or renders the response. */
bl_entry_t *bl_respond(bl_cache_t *cache, const bl_site_t *site, bl_req_t *req, apr_status_t *rv,
                       apr_pool_t *p)
{
    bl_entry_t *e = NULL;
    const char *ctype = CT_HTML;
    apr_size_t len = 0;
    apr_time_t lm = 0;
    int fill = 0, status = 500;
    char *data;

    *rv = APR_SUCCESS;
    bl_respond_resolve(site, req);
    if (bl_route_needs_site(&req->route) && site->site == NULL) {
        *rv = APR_EAGAIN;
        return NULL;
    }
    /* the 404 page links to itself ("skip to content"), so its bytes depend on the
     * path a client made up: it is rendered for each request, never cached, so what
     * clients invent cannot fill or churn the cache */
    if (cache != NULL && !(req->route.kind == BL_R_NOTFOUND && req->self != NULL)) {
        e = bl_cache_get(cache, cache_key(req, p), site->generation, &fill);
    }
    if (e != NULL && !fill) {
        return e;
    }
    data = render(site, req, &len, &status, &ctype, &lm, p);
    if (data == NULL) {
        bl_log(BL_LOG_ERR,
               "mod_bilingual: %s: rendering %s failed (over %d bytes, or out of memory); it "
               "answers 500 until the content changes",
               site->dir, bl_route_path(&req->route, req->langs, req->route.lang, p),
               BL_MAX_RESPONSE_BYTES);
    }
    if (e != NULL) {
        bl_cache_fill(cache, e, data, len, status, ctype, lm);
        return e;
    }
    e = bl_cache_private(data, len, status, ctype, lm);
    *rv = e ? APR_SUCCESS : APR_ENOMEM;
    return e;
}
