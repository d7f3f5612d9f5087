/* bl_render.h: turning a snapshot and a route into response bytes. */
#ifndef BL_RENDER_H
#define BL_RENDER_H

#include <apr_buckets.h>
#include <libxml/tree.h>

#include "bl_content.h"
#include "bl_lang.h"
#include "bl_route.h"

/** Everything a writer needs to know about one response; read-only while writing. */
typedef struct bl_ctx_t {
    apr_pool_t *pool; /* for temporary strings of this response */
    const bl_site_t *site;
    const bl_langs_t *langs;
    int lang;         /* index of the response's language in langs */
    const char *base; /* absolute base URL without trailing slash */
    int feed_size;    /* entries per feed page */
} bl_ctx_t;

/** What a writer produced besides the bytes. */
typedef struct bl_result_t {
    int status;        /* 200 or 404 */
    const char *ctype; /* Content-Type with charset */
} bl_result_t;

/** Writes the response for ROUTE (a prefixed route, or BL_R_SITEMAP) with PAGE
 *  (1-based feed page; 0 when there is none) into BB. Unknown names and feed pages
 *  yield the 404 page in ctx->lang. Returns APR_SUCCESS or the brigade's error. */
apr_status_t bl_render(bl_ctx_t *ctx, const bl_route_t *route, int page, apr_bucket_brigade *bb,
                       bl_result_t *res);

/* ---- language selection (bl_select.c) ---- */

/** Returns 1 when CHILD (an element child of its parent) is kept in language LANG
 *  (default DEFLANG) by the rule of SPEC 3; *FALLBACK then receives the element's
 *  real language when it is kept in place of a missing translation, else NULL. */
int bl_select_keep(xmlNodePtr child, const char *lang, const char *deflang, const char **fallback);

/** Returns the first child element of PARENT named NAME kept in LANG, or NULL;
 *  *FALLBACK as for bl_select_keep. */
xmlNodePtr bl_select_child(xmlNodePtr parent, const char *name, const char *lang,
                           const char *deflang, const char **fallback);

/** Same as bl_select_child, in the context's language. */
xmlNodePtr bl_ctx_child(const bl_ctx_t *ctx, xmlNodePtr parent, const char *name,
                        const char **fallback);

/* ---- shared helpers (bl_render.c) ---- */

/** Returns the language tag of the context ("es"). */
const char *bl_ctx_lang(const bl_ctx_t *ctx);

/** Returns the UI string KEY in the context's language: site.xml's, else built in. */
const char *bl_ctx_string(const bl_ctx_t *ctx, const char *key);

/** Returns the site name in the context's language ("" when site.xml is missing). */
const char *bl_ctx_site_name(const bl_ctx_t *ctx);

/** Returns BASE + PATH. */
const char *bl_ctx_abs(const bl_ctx_t *ctx, const char *path);

/** Returns the path of ITEM's page in language LANG ("/es/events/march"). */
const char *bl_item_path(const bl_ctx_t *ctx, const bl_file_t *item, int lang);

/** Returns the title text of FILE (page or item) in the context's language;
 *  *FALLBACK as for bl_select_keep (may be NULL to ignore). */
const char *bl_item_title(const bl_ctx_t *ctx, const bl_file_t *file, const char **fallback);

/** Returns the summary text of ITEM (or the start of its body when it has none). */
const char *bl_item_summary(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback);

/** Returns the location text of an event, or NULL. */
const char *bl_item_location(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback);

/** Returns the language an item's title is written in for the context: its real
 *  language when untranslated, else the context's. */
const char *bl_item_lang(const bl_ctx_t *ctx, const bl_file_t *item);

/** Returns the tag: URI of ITEM in the context's language (permanent, from the
 *  authority and the slug, never from its content). */
const char *bl_item_tag(const bl_ctx_t *ctx, const bl_file_t *item);

/** Writes the language-selected children of NODE as HTML5 into BB. Relative links
 *  are resolved against the path BASE_PATH and written as absolute paths, or as
 *  absolute URLs when ABSOLUTE is set (feeds). */
apr_status_t bl_html_children(const bl_ctx_t *ctx, xmlNodePtr node, const char *base_path,
                              int absolute, apr_bucket_brigade *bb);

/** Returns the body of ITEM rendered to an HTML string with absolute URLs (for feeds);
 *  *FALLBACK names the body's real language when untranslated. */
const char *bl_item_body_html(const bl_ctx_t *ctx, const bl_file_t *item, const char **fallback);

/* ---- the other writers ---- */

/** Atom feed (bl_atom.c): KIND is BL_R_FEED, BL_R_EVENTS_FEED or BL_R_PRESS_FEED;
 *  PAGE is 1-based. Returns APR_NOTFOUND when PAGE is past the last page. */
apr_status_t bl_atom_write(const bl_ctx_t *ctx, bl_route_kind_t kind, int page,
                           apr_bucket_brigade *bb);

/** iCalendar of the visible events (bl_ics.c). */
apr_status_t bl_ics_write(const bl_ctx_t *ctx, apr_bucket_brigade *bb);

/** Sitemap of every page and visible item in every language (bl_sitemap.c). */
apr_status_t bl_sitemap_write(const bl_ctx_t *ctx, apr_bucket_brigade *bb);

#endif
