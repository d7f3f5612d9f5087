/* bl_respond.h: from a route to response bytes: resolution, writers, the cache. */
#ifndef BL_RESPOND_H
#define BL_RESPOND_H

#include "bl_cache.h"
#include "bl_ctx.h"
#include "bl_out.h"

/** What a response depends on besides the snapshot: everything in its cache key. */
typedef struct bl_req_t {
    const bl_langs_t *langs;
    const char *langs_key; /* the languages as configured, "es en" */
    const char *base;      /* the absolute base URL of links */
    int feed_size;
    int list_size;    /* entries per page of a list or an archive */
    bl_route_t route; /* a prefixed route, or BL_R_SITEMAP */
    int page;         /* 1-based page of a feed, a list or an archive; 0 for others */
    const char *self; /* the request's path, percent-encoded, and its query: the 404
                         page's same-page links ("#main") point there; NULL: they
                         resolve against the language's home page */
} bl_req_t;

/** Returns 1 when what a language-neutral ROUTE names is served by SITE: its page,
 *  item, or item's calendar, a year with items for an archive (every other neutral
 *  route exists), so the caller redirects instead of 404. */
int bl_respond_exists(const bl_site_t *site, const bl_route_t *route);

/** Returns the page ?page=N of a feed, a list or an archive in the query string ARGS:
 *  1 when absent, 0 when it is not a number from 1 to BL_MAX_PAGE_NUMBER. */
int bl_respond_page(const char *args);

/** Returns 1 when ROUTE takes a ?page=N: feeds, lists and archives. */
int bl_respond_paged(const bl_route_t *route);

/** Folds REQ's route into BL_R_NOTFOUND (no name, page 0) when it names a page (the
 *  home page included), an item, an item's calendar, a year or a page of a feed, list
 *  or archive SITE does not serve; the 404 page is then rendered for each request and
 *  never cached (its skip link names REQ->self). Sets REQ's list size to the default
 *  when it is unset. */
void bl_respond_resolve(const bl_site_t *site, bl_req_t *req);

/** Returns the real language of the page or item the resolved REQ shows when it is not
 *  written in the route's language (its Content-Language names both), else NULL. */
const char *bl_respond_untranslated(const bl_site_t *site, const bl_req_t *req);

/** Writes the response for the resolved REQ from SITE into OUT with CTX's pool; sets
 *  *STATUS, *CTYPE and *LM (the newest instant of what it shows, 0 for a 404). Returns
 *  the buffer's status. */
apr_status_t bl_respond_render(const bl_site_t *site, const bl_req_t *req, bl_out_t *out,
                               int *status, const char **ctype, apr_time_t *lm, apr_pool_t *p);

/** Returns the response for REQ from SITE, with a reference the caller releases with
 *  bl_cache_release: resolved, then taken from CACHE (may be NULL) or rendered once
 *  into it. Returns NULL with APR_EAGAIN in *RV for a feed or calendar while site.xml
 *  has never loaded (their ids come from it), or with the error when memory ran out. */
bl_entry_t *bl_respond(bl_cache_t *cache, const bl_site_t *site, bl_req_t *req, apr_status_t *rv,
                       apr_pool_t *p);

#endif
