/* mod_bilingual.c: the httpd glue of mod_bilingual.
 *
 * Usage (see docs/directives.md):
 *
 *     BilingualContent   /srv/campaign/htdocs/content
 *     BilingualLanguages es en
 *     <Location />
 *         SetHandler bilingual
 *     </Location>
 *
 * post_config loads every content folder named by BilingualContent once, in the parent,
 * so children start with parsed content; child_init starts one watcher thread per
 * folder that reloads changed files every BilingualReloadInterval seconds and
 * publishes a new snapshot. The handler only reads: it parses the path into a route
 * (bl_route.c), answers language-neutral paths with a 302 chosen by ?lang=, the
 * cookie, Accept-Language or the default (bl_lang.c), and serves prefixed ones from
 * the snapshot's render cache, rendering on a miss (bl_render.c). Content errors are
 * logged once per version across all children through a small shared table.
 */
#include <apr_atomic.h>
#include <apr_shm.h>
#include <apr_strings.h>
#include <ap_mpm.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <libxml/parser.h>

#include "bl_cache.h"
#include "bl_out.h"
#include "bl_render.h"
#include "bl_route.h"
#include "bl_store.h"
#include "mod_bilingual_private.h"

#define COOKIE_NAME "lang"
#define LOGONCE_SLOTS 4096

/* A route parsed in translate_name, kept for the handler of the same request. */
typedef struct parsed_t {
    const char *uri;
    const bl_langs_t *langs;
    bl_route_t route;
} parsed_t;

/* One loaded folder, found by its path. */
typedef struct store_ent_t {
    bl_store_t *store;
    int interval; /* the smallest interval of the servers naming it */
    server_rec *s;
    bl_sink_t sink;
} store_ent_t;

static apr_hash_t *stores; /* dir -> store_ent_t*, read-only after post_config */
static apr_shm_t *logonce_shm;
static apr_uint64_t *logonce; /* hashes of logged diagnostics, in shared memory */

/* Returns a 64-bit FNV-1a hash of S, never 0. */
static apr_uint64_t hash64(const char *s)
{
    apr_uint64_t h = 14695981039346656037ULL;

    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return h ? h : 1;
}

/* Returns 1 when no process logged KEY before, claiming it in the shared table. */
static int log_first_time(const char *key)
{
    apr_uint64_t h = hash64(key);
    apr_uint64_t seen;
    int i, slot;

    if (logonce == NULL) {
        return 1;
    }
    for (i = 0; i < 16; i++) {
        slot = (int)((h + (apr_uint64_t)i) % LOGONCE_SLOTS);
        seen = apr_atomic_cas64(&logonce[slot], h, 0);
        if (seen == 0) {
            return 1;
        }
        if (seen == h) {
            return 0;
        }
    }
    return 1;
}

/* Logs a content diagnostic as path:line:col, once per version across children. */
static void log_diag(void *baton, const bl_diag_t *d)
{
    store_ent_t *ent = baton;
    char key[1200];

    apr_snprintf(key, sizeof(key), "%s:%d:%d:%s:%" APR_INT64_T_FMT, d->path, d->line, d->col,
                 d->msg, d->version);
    if (!log_first_time(key)) {
        return;
    }
    ap_log_error(APLOG_MARK, d->level == BL_LOG_ERR ? APLOG_ERR : APLOG_WARNING, 0, ent->s,
                 "%s:%d:%d: %s", d->path, d->line, d->col, d->msg);
}

/* Bridges the core's plain log lines to the main server's error log. */
static void log_line(void *baton, bl_log_level_t level, const char *msg)
{
    ap_log_error(APLOG_MARK, (int)level, 0, (server_rec *)baton, "%s", msg);
}

/* Clears the registry before each reading of the configuration. */
static int bl_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)pconf;
    (void)plog;
    (void)ptemp;
    bl_registry = NULL;
    stores = NULL;
    logonce = NULL;
    return OK;
}

/* Creates the shared table of logged diagnostics. */
static apr_status_t create_logonce(apr_pool_t *pconf, server_rec *s)
{
    apr_size_t size = LOGONCE_SLOTS * sizeof(apr_uint64_t);
    apr_status_t rv = apr_shm_create(&logonce_shm, size, NULL, pconf);

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                     "mod_bilingual: no shared memory for "
                     "log de-duplication; each child logs content errors itself");
        return rv;
    }
    logonce = apr_shm_baseaddr_get(logonce_shm);
    memset(logonce, 0, size);
    return APR_SUCCESS;
}

/* Creates and loads the store of one registered folder. */
static void load_registered(apr_pool_t *pconf, const bl_reg_t *reg)
{
    store_ent_t *ent = apr_hash_get(stores, reg->dir, APR_HASH_KEY_STRING);
    int interval = bl_conf_reload(reg->s);
    apr_status_t rv;

    if (ent != NULL) {
        /* the most frequent checks win; 0 (restart only) only when all say so */
        if (ent->interval == 0 || (interval > 0 && interval < ent->interval)) {
            ent->interval = interval;
        }
        return;
    }
    ent = apr_pcalloc(pconf, sizeof(*ent));
    ent->interval = interval;
    ent->s = reg->s;
    ent->sink.cb = log_diag;
    ent->sink.baton = ent;
    rv = bl_store_create(&ent->store, reg->dir, pconf);
    if (rv == APR_SUCCESS) {
        rv = bl_store_reload(ent->store, apr_time_now(), &ent->sink);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, reg->s, "mod_bilingual: cannot load %s", reg->dir);
    }
    apr_hash_set(stores, reg->dir, APR_HASH_KEY_STRING, ent);
}

/* Loads every registered folder once, in the parent, before children fork. */
static int bl_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    int i;

    (void)plog;
    (void)ptemp;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG) {
        return OK; /* the first, dry pass: do not load (nor log) twice */
    }
    xmlInitParser();
    bl_log_set(log_line, s);
    stores = apr_hash_make(pconf);
    create_logonce(pconf, s);
    for (i = 0; bl_registry != NULL && i < bl_registry->nelts; i++) {
        load_registered(pconf, &APR_ARRAY_IDX(bl_registry, i, bl_reg_t));
    }
    return OK;
}

/* Starts one watcher thread per folder in each child. */
static void bl_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_hash_index_t *hi;
    store_ent_t *ent;
    apr_status_t rv;

    for (hi = stores ? apr_hash_first(pchild, stores) : NULL; hi; hi = apr_hash_next(hi)) {
        apr_hash_this(hi, NULL, NULL, (void **)&ent);
        rv = bl_store_watch(ent->store, apr_time_from_sec(ent->interval), &ent->sink, pchild);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         "mod_bilingual: cannot start the "
                         "reload thread for %s",
                         bl_store_dir(ent->store));
        }
    }
}

/* Keeps mod_dir away from our URLs: "/" maps to a real folder, but we answer it. */
static int bl_fixups(request_rec *r)
{
    if (r->handler != NULL && strcmp(r->handler, "bilingual") == 0) {
        r->finfo.filetype = APR_NOFILE;
    }
    return DECLINED;
}

/* Refuses TRACE on a server that runs the site, before httpd's core would echo it
 * (TraceEnable defaults to on): SPEC 5 allows GET and HEAD only. */
static int bl_map_to_storage(request_rec *r)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);

    if (r->method_number == M_TRACE && sconf->active) {
        return HTTP_METHOD_NOT_ALLOWED;
    }
    return DECLINED;
}

/* Returns 1 when URI is one of the module's prefixed URLs or the sitemap: it names no
 * file, so the file-system lookup that follows translation can be spared. */
static int is_own_url(request_rec *r, const char *uri)
{
    bl_dir_conf_t *conf = ap_get_module_config(r->server->lookup_defaults, &bilingual_module);
    parsed_t *parsed;

    if (conf->content == NULL) {
        return 0; /* configured in <Location> or <Directory> only: let httpd look */
    }
    parsed = apr_palloc(r->pool, sizeof(*parsed));
    parsed->uri = uri;
    parsed->langs = bl_conf_langs(conf);
    bl_route_parse(uri, parsed->langs, &parsed->route, r->pool);
    ap_set_module_config(r->request_config, &bilingual_module, parsed);
    return parsed->route.kind != BL_R_NOTFOUND && parsed->route.kind != BL_R_REDIRECT
           && (parsed->route.lang >= 0 || parsed->route.kind == BL_R_SITEMAP);
}

/* Returns the route of R's URI in LANGS: the one translate_name parsed when it was for
 * the same URI and languages, else a fresh parse. */
static void route_of(request_rec *r, const bl_langs_t *langs, bl_route_t *route)
{
    parsed_t *parsed = ap_get_module_config(r->request_config, &bilingual_module);

    if (parsed != NULL && parsed->langs == langs && strcmp(parsed->uri, r->uri) == 0) {
        *route = parsed->route;
        return;
    }
    bl_route_parse(r->uri, langs, route, r->pool);
}

/* Maps the module's own URLs, and paths no file system could hold (a segment over
 * 255 bytes), to the document root itself. Neither names a file: the first spares
 * httpd's directory walk the stats of /es/about on disk (SPEC 8), the second keeps
 * the walk from logging ENAMETOOLONG as an error for each such hostile request. The
 * handler then answers, with its own 404 page in the URL's language where needed. */
static int bl_translate_name(request_rec *r)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);
    const char *s = r->uri, *slash;

    if (!sconf->active || s == NULL) {
        return DECLINED;
    }
    if (is_own_url(r, s)) {
        /* "/es/about" is no file: map it to the document root (which the <Directory>
         * sections of the site still govern) instead of walking es/about on disk */
        r->filename = apr_pstrdup(r->pool, ap_document_root(r));
        return OK;
    }
    for (; *s; s = slash + 1) {
        slash = strchr(s, '/');
        if (slash == NULL) {
            slash = s + strlen(s);
        }
        if (slash - s > 255) {
            r->filename = apr_pstrdup(r->pool, ap_document_root(r));
            return OK;
        }
        if (*slash == '\0') {
            break;
        }
    }
    return DECLINED;
}

/* Rewrites the Allow header of httpd's own 405 responses (TRACE, or another
 * handler's) to the methods the site allows, then steps aside. */
static apr_status_t allow_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    apr_table_setn(f->r->headers_out, "Allow", "GET, HEAD");
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

/* Adds allow_filter to a 405 error response on a server that runs the site. */
static void bl_insert_error_filter(request_rec *r)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);

    if (r->status == HTTP_METHOD_NOT_ALLOWED && sconf->active) {
        ap_add_output_filter("BILINGUAL_ALLOW", NULL, r, r->connection);
    }
}

/* Drops the request's reference to its snapshot when the request is done. */
static apr_status_t unref_site(void *data)
{
    bl_site_unref(data);
    return APR_SUCCESS;
}

/* Answers a method other than GET and HEAD: 405 with exactly "Allow: GET, HEAD". */
static int method_not_allowed(request_rec *r)
{
    static const char body[] =
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>405 Method Not Allowed</title></head><body><h1>Method Not Allowed</h1>"
        "<p>Only GET and HEAD are allowed here.</p></body></html>\n";
    int rc = ap_discard_request_body(r);

    if (rc != OK) {
        return rc;
    }
    r->status = HTTP_METHOD_NOT_ALLOWED;
    apr_table_setn(r->headers_out, "Allow", "GET, HEAD");
    ap_set_content_type(r, "text/html; charset=utf-8");
    ap_set_content_length(r, sizeof(body) - 1);
    if (!r->header_only) {
        ap_rwrite(body, sizeof(body) - 1, r);
    }
    return OK;
}

/* Returns ARGS without its lang= parameters, or NULL when nothing is left. */
static const char *args_without_lang(const char *args, apr_pool_t *p)
{
    char *copy, *tok, *state = NULL;
    const char *out = NULL;

    if (args == NULL) {
        return NULL;
    }
    copy = apr_pstrdup(p, args);
    for (tok = apr_strtok(copy, "&", &state); tok; tok = apr_strtok(NULL, "&", &state)) {
        if (strncmp(tok, "lang=", 5) == 0 || strcmp(tok, "lang") == 0) {
            continue;
        }
        out = out ? apr_pstrcat(p, out, "&", tok, NULL) : tok;
    }
    return out;
}

/* Returns 1 when the page or item a neutral ROUTE names exists in SITE. */
static int route_exists(const bl_site_t *site, const bl_route_t *route)
{
    switch (route->kind) {
    case BL_R_PAGE: return bl_site_get(site, BL_KIND_PAGE, route->name) != NULL;
    case BL_R_EVENT: return bl_site_get(site, BL_KIND_EVENT, route->name) != NULL;
    case BL_R_RELEASE: return bl_site_get(site, BL_KIND_PRESS, route->name) != NULL;
    case BL_R_NOTFOUND: return 0;
    default: return 1;
    }
}

/* Answers a language-neutral path: 302 to the negotiated prefix (SPEC 4). */
static int redirect_neutral(request_rec *r, const bl_langs_t *langs, const bl_route_t *route)
{
    int lang = bl_lang_from_query(langs, r->args);
    int chosen = lang >= 0;
    const char *loc, *args;

    if (lang < 0) {
        lang = bl_lang_from_cookie(langs, apr_table_get(r->headers_in, "Cookie"), COOKIE_NAME);
    }
    if (lang < 0) {
        lang = bl_lang_negotiate(langs, apr_table_get(r->headers_in, "Accept-Language"));
    }
    if (lang < 0) {
        lang = 0;
    }
    loc = bl_route_path(route, langs, lang, r->pool);
    args = args_without_lang(r->args, r->pool);
    if (args != NULL) {
        loc = apr_pstrcat(r->pool, loc, "?", args, NULL);
    }
    apr_table_mergen(r->err_headers_out, "Vary", "Accept-Language, Cookie");
    if (chosen) {
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_pstrcat(r->pool, COOKIE_NAME "=", langs->tag[lang],
                                   "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", NULL));
        apr_table_setn(r->err_headers_out, "Cache-Control", "private");
    }
    apr_table_setn(r->headers_out, "Location", loc);
    return HTTP_MOVED_TEMPORARILY;
}

/* Reads ?page=N for feeds; returns 0 for a bad value, 1 when absent. */
static int feed_page(const char *args)
{
    const char *s = args;
    char *end = NULL;
    long n;

    while (s != NULL && *s) {
        if (strncmp(s, "page=", 5) == 0) {
            n = strtol(s + 5, &end, 10);
            return (end == s + 5 || (*end != '\0' && *end != '&') || n < 1 || n > 1000000) ? 0
                                                                                           : (int)n;
        }
        s = strchr(s, '&');
        s = s ? s + 1 : NULL;
    }
    return 1;
}

/* Finds the rendered response in the cache or renders and caches it. */
static const bl_entry_t *rendered(request_rec *r, bl_site_t *site, bl_ctx_t *ctx,
                                  const bl_route_t *route, int page, const char *variant)
{
    const char *key = apr_psprintf(r->pool, "%s|%d|%d|%s|%d", variant ? variant : "", ctx->lang,
                                   (int)route->kind, route->name ? route->name : "", page);
    const bl_entry_t *e = variant ? bl_cache_get(site, key) : NULL;
    apr_bucket_brigade *bb;
    bl_result_t res;
    apr_size_t len;
    char *data;

    if (e != NULL) {
        return e;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    if (bl_render(ctx, route, page, bb, &res) != APR_SUCCESS) {
        return NULL;
    }
    data = bl_out_flatten(bb, &len, r->pool);
    apr_brigade_destroy(bb);
    if (variant == NULL) {
        return bl_cache_put(NULL, key, data, len, res.status, res.ctype, r->pool);
    }
    return bl_cache_put(site, key, data, len, res.status, res.ctype, r->pool);
}

/* Returns the number of pages of feed KIND in SITE at SIZE entries a page (at least 1). */
static int feed_pages(const bl_site_t *site, bl_route_kind_t kind, int size)
{
    int n = kind == BL_R_EVENTS_FEED  ? site->upcoming->nelts + site->past->nelts
            : kind == BL_R_PRESS_FEED ? site->releases->nelts
                                      : site->items->nelts;

    return n == 0 ? 1 : (n + size - 1) / size;
}

/* Folds every route that will answer 404 into one, so that requests for made-up
 * names or pages all share a single cache entry per language. */
static void fold_not_found(const bl_site_t *site, bl_route_t *route, int *page, int size)
{
    int feed = route->kind == BL_R_FEED || route->kind == BL_R_EVENTS_FEED
               || route->kind == BL_R_PRESS_FEED;

    if ((feed && (*page < 1 || *page > feed_pages(site, route->kind, size)))
        || ((route->kind == BL_R_PAGE || route->kind == BL_R_EVENT || route->kind == BL_R_RELEASE)
            && !route_exists(site, route))) {
        route->kind = BL_R_NOTFOUND;
        route->name = NULL;
        *page = 0;
    }
}

/* Returns 1 when the request's Host is one of the server's names (ServerName,
 * ServerAlias): only then are pages built from it cached, so that made-up Host
 * headers cannot fill the cache. */
static int host_is_known(request_rec *r)
{
    server_rec *s = r->server;
    apr_array_header_t *arrs[2] = { s->names, s->wild_names };
    int i, j;

    if (r->connection->local_addr != NULL
        && ap_get_server_port(r) != r->connection->local_addr->port) {
        return 0; /* a made-up port in Host would make a new page (and key) each time */
    }
    if (r->hostname == NULL
        || (s->server_hostname && !strcasecmp(r->hostname, s->server_hostname))) {
        return 1;
    }
    for (j = 0; j < 2; j++) {
        for (i = 0; arrs[j] != NULL && i < arrs[j]->nelts; i++) {
            const char *name = APR_ARRAY_IDX(arrs[j], i, const char *);
            if (j == 0 ? !strcasecmp(r->hostname, name) : !ap_strcasecmp_match(r->hostname, name)) {
                return 1;
            }
        }
    }
    return 0;
}

/* Sends ENTRY with its validators; 304 when the client's copy is current. */
static int send_entry(request_rec *r, const bl_site_t *site, const bl_entry_t *e, const char *lang)
{
    apr_bucket_brigade *bb;
    int rc;

    ap_set_content_type(r, e->ctype);
    if (strncmp(e->ctype, "text/html", 9) == 0) {
        r->content_languages = apr_array_make(r->pool, 1, sizeof(const char *));
        APR_ARRAY_PUSH(r->content_languages, const char *) = lang;
    }
    if (e->status == HTTP_OK) {
        apr_table_setn(r->headers_out, "ETag", e->etag);
        ap_update_mtime(r, site->last_modified);
        ap_set_last_modified(r);
        rc = ap_meets_conditions(r);
        if (rc == HTTP_NOT_MODIFIED) {
            /* like httpd's own static handler: a 304 is a normal response, not an
             * error document; EOS lets the header filter send it */
            r->status = HTTP_NOT_MODIFIED;
            bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
            APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
            return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
        }
        if (rc != OK) {
            return rc;
        }
    }
    r->status = e->status;
    ap_set_content_length(r, (apr_off_t)e->len);
    if (r->header_only) {
        return OK;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_immortal_create(e->data, e->len, bb->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

/* Serves a prefixed route (or the sitemap) from SITE in language LANG. */
static int serve(request_rec *r, const bl_dir_conf_t *conf, bl_site_t *site, bl_route_t *route)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);
    bl_ctx_t ctx;
    const bl_entry_t *e;
    int page = 0;

    memset(&ctx, 0, sizeof(ctx));
    ctx.pool = r->pool;
    ctx.site = site;
    ctx.langs = bl_conf_langs(conf);
    ctx.lang = route->lang >= 0 ? route->lang : 0;
    ctx.base = sconf->base_url ? sconf->base_url : ap_construct_url(r->pool, "", r);
    ctx.feed_size = conf->feed_size > 0 ? conf->feed_size : 20;
    if (route->kind == BL_R_FEED || route->kind == BL_R_EVENTS_FEED
        || route->kind == BL_R_PRESS_FEED) {
        page = feed_page(r->args);
    }
    fold_not_found(site, route, &page, ctx.feed_size);
    if ((route->kind == BL_R_FEED || route->kind == BL_R_EVENTS_FEED
         || route->kind == BL_R_PRESS_FEED || route->kind == BL_R_ICS)
        && site->site == NULL) {
        /* ids and UIDs come from site.xml's authority: never publish placeholders
         * that feed readers would keep */
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "mod_bilingual: no good site.xml in %s "
                      "(logged when it failed): feeds and calendars wait for one",
                      conf->content);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    e = rendered(r, site, &ctx, route, page,
                 sconf->base_url || host_is_known(r)
                     ? apr_psprintf(r->pool, "%s|%s|%d", ctx.base,
                                    conf->langs_key ? conf->langs_key : "es en", ctx.feed_size)
                     : NULL);
    if (e == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "mod_bilingual: rendering %s failed", r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    return send_entry(r, site, e, ctx.langs->tag[ctx.lang]);
}

/* The handler, in mod_negotiation's order: handler, method, body, route, answer. */
static int bl_handler(request_rec *r)
{
    bl_dir_conf_t *conf;
    store_ent_t *ent;
    bl_site_t *site;
    bl_route_t route;

    if (r->handler == NULL || strcmp(r->handler, "bilingual") != 0) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &bilingual_module);
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return method_not_allowed(r);
    }
    if (conf->content == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_bilingual: SetHandler bilingual "
                      "without BilingualContent for %s",
                      r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    ent = stores ? apr_hash_get(stores, conf->content, APR_HASH_KEY_STRING) : NULL;
    site = ent ? bl_store_acquire(ent->store) : NULL;
    if (site == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "mod_bilingual: %s could not be loaded",
                      conf->content);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    apr_pool_cleanup_register(r->pool, site, unref_site, apr_pool_cleanup_null);
    route_of(r, bl_conf_langs(conf), &route);
    if (route.kind == BL_R_REDIRECT) {
        apr_table_setn(r->headers_out, "Location",
                       r->args ? apr_pstrcat(r->pool, route.target, "?", r->args, NULL)
                               : route.target);
        return HTTP_MOVED_PERMANENTLY;
    }
    if (route.lang < 0 && route.kind != BL_R_SITEMAP) {
        if (route_exists(site, &route)) {
            return redirect_neutral(r, bl_conf_langs(conf), &route);
        }
        route.kind = BL_R_NOTFOUND;
        route.name = NULL; /* one cached 404 whatever name was made up */
    }
    return serve(r, conf, site, &route);
}

/* Registers the hooks. */
static void bl_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_pre_config(bl_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(bl_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(bl_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(bl_fixups, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(bl_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(bl_map_to_storage, NULL, NULL, APR_HOOK_REALLY_FIRST);
    /* after mod_alias, mod_rewrite and mod_proxy, before the core's own translation */
    ap_hook_translate_name(bl_translate_name, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_error_filter(bl_insert_error_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter("BILINGUAL_ALLOW", allow_filter, NULL, AP_FTYPE_CONTENT_SET);
}

module AP_MODULE_DECLARE_DATA bilingual_module = { STANDARD20_MODULE_STUFF, bl_create_dir_conf,
                                                   bl_merge_dir_conf,       bl_create_srv_conf,
                                                   bl_merge_srv_conf,       bl_cmds,
                                                   bl_register_hooks,
#ifdef AP_MODULE_FLAG_NONE
                                                   AP_MODULE_FLAG_NONE
#endif
};
