/* mod_bilingual.c: the httpd glue of mod_bilingual: hooks, headers and brigades.
 *
 * Usage (see docs/directives.md):
 *
 *     BilingualContent   /srv/campaign/htdocs/content
 *     BilingualLanguages es en
 *     <Location />
 *         SetHandler bilingual
 *     </Location>
 *
 * Loading lives in mod_bilingual_load.c, the directives in mod_bilingual_config.c,
 * the admin's view in mod_bilingual_status.c. This file answers requests: translate_name
 * maps the module's own URLs to the document root where the handler is bilingual (so
 * httpd stats nothing on disk for them); the handler, in mod_negotiation's order,
 * answers a trailing-slash variant with a 301, a language-neutral path with a 302
 * chosen by ?lang=, the cookie, Accept-Language or the default (bl_lang.c), and a
 * prefixed path (or the sitemap) with the bytes bl_respond() finds in the cache or
 * renders once. Every decision that needs no request is the core's; this file only
 * turns httpd's request into the core's terms and the core's answer into headers.
 */
#include <limits.h>
#include <stdlib.h>

#include <apr_strings.h>
#include <ap_expr.h>
#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <mpm_common.h>

#include "bl_respond.h"
#include "bl_route.h"
#include "mod_bilingual_private.h"

#define COOKIE_NAME "lang"

/* Hooks of mod_bilingual_load.c. */
int bl_load_pre_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp);
int bl_load_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
int bl_load_monitor(apr_pool_t *p, server_rec *s);
void bl_load_child_init(apr_pool_t *pchild, server_rec *s);

/* A route parsed in translate_name, kept for the handler of the same request. */
typedef struct parsed_t {
    const char *uri;
    const bl_langs_t *langs;
    bl_route_t route;
} parsed_t;

/* Returns 1 when the handler SetHandler names for R's URL (as merged from <Location>
 * so far) is NAME: what the core's own fixup will set as r->handler. */
static int handler_is(request_rec *r, const char *name)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *val = NULL;

    if (d->expr_handler != NULL) {
        val = ap_expr_str_exec(r, d->expr_handler, &err);
    }
    if (val == NULL || err != NULL) {
        val = d->handler;
    }
    return val != NULL && strcasecmp(val, name) == 0;
}

/* Returns 1 when PATH lies inside folder DIR (given without a trailing slash). */
static int is_under(const char *path, const char *dir)
{
    apr_size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* Returns 1 when R names a file of DocumentRoot the module does not own and httpd
 * should serve as it is (robots.txt, favicon.ico, /.well-known/...): a regular file
 * that is no module URL, outside the content folder, and with no hidden segment but
 * .well-known. */
static int is_static_file(request_rec *r, const bl_dir_conf_t *conf)
{
    const parsed_t *parsed = ap_get_module_config(r->request_config, &bilingual_module);
    const char *s = r->uri;
    char real[PATH_MAX];

    if (r->finfo.filetype != APR_REG || r->filename == NULL || conf->content == NULL
        || (r->path_info != NULL && *r->path_info != '\0') /* /favicon.ico/x: the 404 */
        || (parsed != NULL && parsed->route.kind != BL_R_NOTFOUND
            && parsed->route.kind != BL_R_ROBOTS)
        || is_under(r->filename, conf->content)) {
        return 0;
    }
    /* the same folder reached through a symlink, or a symlink into it: compare the
     * paths the kernel resolves; a file whose path cannot be resolved is not served */
    if (realpath(r->filename, real) == NULL
        || is_under(real, conf->content_real ? conf->content_real : conf->content)) {
        return 0;
    }
    for (s = strstr(s, "/."); s != NULL; s = strstr(s + 1, "/.")) {
        if (s != r->uri || strncmp(s, "/.well-known/", 13) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Hands the files of DocumentRoot the module does not own back to httpd's default
 * handler, and keeps mod_dir away from the module's URLs ("/" maps to a real folder,
 * but the module answers it). */
static int bl_fixups(request_rec *r)
{
    if (r->handler == NULL || strcmp(r->handler, BL_HANDLER) != 0) {
        return DECLINED;
    }
    if (is_static_file(r, ap_get_module_config(r->per_dir_config, &bilingual_module))) {
        r->handler = NULL; /* the content type's handler: httpd's own, for a file */
        return DECLINED;
    }
    r->finfo.filetype = APR_NOFILE;
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

/* Returns 1 when URI is one of the module's prefixed URLs or the sitemap where the
 * handler is bilingual: it names no file, so httpd's file-system lookup can be spared.
 * The route is kept for the handler. */
static int is_own_url(request_rec *r, const char *uri)
{
    bl_dir_conf_t *conf = ap_get_module_config(r->per_dir_config, &bilingual_module);
    parsed_t *parsed;

    if (conf->content == NULL || !handler_is(r, BL_HANDLER)) {
        return 0;
    }
    parsed = apr_palloc(r->pool, sizeof(*parsed));
    parsed->uri = uri;
    parsed->langs = bl_conf_langs(conf);
    bl_route_parse(uri, parsed->langs, &parsed->route, r->pool);
    ap_set_module_config(r->request_config, &bilingual_module, parsed);
    return parsed->route.kind != BL_R_NOTFOUND && parsed->route.kind != BL_R_REDIRECT
           && parsed->route.kind != BL_R_ROBOTS /* httpd looks for the file first */
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

/* Returns 1 when some segment of the path S is longer than a file name can be. */
static int has_long_segment(const char *s)
{
    const char *slash;

    for (; *s; s = slash + 1) {
        slash = strchr(s, '/');
        if (slash == NULL) {
            slash = s + strlen(s);
        }
        if (slash - s > 255) {
            return 1;
        }
        if (*slash == '\0') {
            break;
        }
    }
    return 0;
}

/* Maps the module's own URLs, and paths no file system could hold (a segment over
 * 255 bytes), to the document root itself. Neither names a file: the first spares
 * httpd's directory walk the stats of /es/about on disk (SPEC 8), the second keeps
 * the walk from logging ENAMETOOLONG as an error for each such hostile request. The
 * handler then answers, with its own 404 page in the URL's language where needed. */
static int bl_translate_name(request_rec *r)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);

    if (!sconf->active || r->uri == NULL) {
        return DECLINED;
    }
    if (is_own_url(r, r->uri) || has_long_segment(r->uri)) {
        r->filename = apr_pstrdup(r->pool, ap_document_root(r));
        return OK;
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

/* Releases the request's reference to its rendered response when the request is done
 * (after the bytes went out: the request pool outlives the brigade that sent them). */
static apr_status_t release_entry(void *data)
{
    bl_cache_release(data);
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
    args = bl_lang_query_without(r->args, r->pool);
    if (args != NULL) {
        loc = apr_pstrcat(r->pool, loc, "?", args, NULL);
    }
    apr_table_mergen(r->err_headers_out, "Vary", "Accept-Language, Cookie");
    /* the visitor's own choice: no shared cache keeps it (Vary alone would let one) */
    apr_table_setn(r->err_headers_out, "Cache-Control", "private");
    if (chosen) {
        apr_table_addn(r->err_headers_out, "Set-Cookie",
                       apr_pstrcat(r->pool, COOKIE_NAME "=", langs->tag[lang],
                                   "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", NULL));
    }
    apr_table_setn(r->headers_out, "Location", loc);
    return HTTP_MOVED_TEMPORARILY;
}

/* Returns NAME if it is one of S's exact names (ServerName, ServerAlias without
 * wildcards), spelled as configured, else NULL. */
static const char *server_name_of(server_rec *s, const char *name)
{
    int i;

    if (name == NULL) {
        return NULL;
    }
    if (s->server_hostname != NULL && strcasecmp(name, s->server_hostname) == 0) {
        return s->server_hostname;
    }
    for (i = 0; s->names != NULL && i < s->names->nelts; i++) {
        if (strcasecmp(name, APR_ARRAY_IDX(s->names, i, const char *)) == 0) {
            return APR_ARRAY_IDX(s->names, i, const char *);
        }
    }
    return NULL;
}

/* Returns the base URL of absolute links: BilingualBaseURL, else built from the
 * server's own names: the request's host when it is exactly the ServerName or a
 * ServerAlias, any other host (a wildcard alias's too) the ServerName; the port the
 * ServerName gives, else the one the connection came in on (a port we listen on). The
 * number of bases, and of cache keys, is bounded by the configuration. */
static const char *base_url(request_rec *r, const bl_srv_conf_t *sconf)
{
    const char *scheme = ap_http_scheme(r);
    const char *host = server_name_of(r->server, r->hostname);
    apr_port_t port = r->server->port;

    if (sconf->base_url != NULL) {
        return sconf->base_url;
    }
    host = host ? host : r->server->server_hostname ? r->server->server_hostname : "localhost";
    if (port == 0 && r->connection->local_addr != NULL) {
        port = r->connection->local_addr->port;
    }
    if (strchr(host, ':') != NULL && host[0] != '[') {
        host = apr_pstrcat(r->pool, "[", host, "]", NULL); /* an IPv6 address */
    }
    if (port == 0 || port == apr_uri_port_of_scheme(scheme)) {
        return apr_pstrcat(r->pool, scheme, "://", host, NULL);
    }
    return apr_psprintf(r->pool, "%s://%s:%u", scheme, host, (unsigned)port);
}

/* Sets ETag and Last-Modified of a 200 and evaluates the client's conditions, with
 * If-None-Match deciding alone when present (RFC 9110 13.2.2; httpd's own evaluation
 * would also require If-Modified-Since to match). Returns OK or the status to send. */
static int check_conditions(request_rec *r, const bl_entry_t *e, const bl_variant_t *v)
{
    apr_table_setn(r->headers_out, "ETag", v->etag);
    if (e->lm > 0) {
        ap_update_mtime(r, e->lm);
        ap_set_last_modified(r);
    }
    if (apr_table_get(r->headers_in, "If-None-Match") != NULL) {
        apr_table_unset(r->headers_in, "If-Modified-Since");
    }
    return ap_meets_conditions(r);
}

/* Sets the headers every representation of a response has: its type and language,
 * its caching, and that it varies with Accept-Encoding; mod_deflate and mod_brotli
 * are told to leave it alone (it comes compressed, once, from the cache). */
static void entry_headers(request_rec *r, const bl_entry_t *e, const bl_variant_t *v,
                          const char *const *langs, const char *cache_control)
{
    ap_set_content_type(r, e->ctype);
    if (strncmp(e->ctype, "text/html", 9) == 0) {
        r->content_languages = apr_array_make(r->pool, 2, sizeof(const char *));
        APR_ARRAY_PUSH(r->content_languages, const char *) = langs[0];
        if (langs[1] != NULL) {
            APR_ARRAY_PUSH(r->content_languages, const char *) = langs[1];
        }
    }
    apr_table_setn(r->subprocess_env, "no-gzip", "1");
    apr_table_setn(r->subprocess_env, "no-brotli", "1");
    apr_table_mergen(r->headers_out, "Vary", "Accept-Encoding");
    apr_table_setn(r->headers_out, "Cache-Control", cache_control);
    if (v->enc != BL_ENC_IDENTITY) {
        apr_table_setn(r->headers_out, "Content-Encoding", bl_encode_name(v->enc));
    }
}

/* The bucket that carries the bytes of V, a representation of E the request holds.
 * Over HTTP/1.1 an immortal bucket: the request's reference keeps the bytes until the
 * request pool goes, after they went out. A stream of HTTP/2 (a secondary connection)
 * hands its buckets to mod_http2's beam, which passes a heap bucket on as it is but
 * copies any other kind into a new heap bucket first (the one copy more that made
 * cached pages slower than static files over h2): there the bucket is a heap bucket
 * lent the cached bytes with a reference of its own, released by its free function
 * whenever the beam lets go of it. Not for a Range request: the byte-range filter
 * splits buckets and drops pieces, and a heap piece left alone with room after it
 * could be appended to (apr_brigade_write), which cached bytes must never be. */
static apr_bucket *body_bucket(request_rec *r, bl_entry_t *e, const bl_variant_t *v)
{
    apr_bucket_alloc_t *list = r->connection->bucket_alloc;

    if (r->connection->master != NULL && apr_table_get(r->headers_in, "Range") == NULL
        && bl_cache_lend(e, v)) {
        return apr_bucket_heap_create(v->data, v->len, bl_cache_unlend, list);
    }
    return apr_bucket_immortal_create(v->data, v->len, list);
}

/* Sends ENTRY in the coding the client prefers: 304 when its copy is current, else
 * the bytes, as one bucket pointing into the entry the request holds. LANGS names the
 * languages of an HTML page: the real language of what it shows, then the page's own
 * when the two differ. */
static int send_entry(request_rec *r, bl_entry_t *e, const char *const *langs,
                      const char *cache_control)
{
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    const bl_variant_t *v =
        bl_cache_variant(e, bl_encode_choose(apr_table_get(r->headers_in, "Accept-Encoding")));
    int rc;

    entry_headers(r, e, v, langs, cache_control);
    if (e->status == HTTP_OK) {
        rc = check_conditions(r, e, v);
        if (rc == HTTP_NOT_MODIFIED) {
            /* like httpd's own static handler: a 304 is a normal response, not an
             * error document; EOS lets the header filter send it */
            r->status = HTTP_NOT_MODIFIED;
            APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
            return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
        }
        if (rc != OK) {
            return rc;
        }
    }
    r->status = e->status;
    ap_set_content_length(r, (apr_off_t)v->len);
    if (!r->header_only) {
        APR_BRIGADE_INSERT_TAIL(bb, body_bucket(r, e, v));
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(bb->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

/* Serves a prefixed route (or the sitemap) from SITE. */
static int serve(request_rec *r, const bl_dir_conf_t *conf, const bl_folder_t *f,
                 const bl_site_t *site, const bl_route_t *route)
{
    bl_srv_conf_t *sconf = ap_get_module_config(r->server->module_config, &bilingual_module);
    bl_req_t req;
    const char *langs[2], *own, *self;
    bl_entry_t *e;
    apr_status_t rv;

    req.langs = bl_conf_langs(conf);
    req.langs_key = bl_conf_langs_key(conf);
    req.base = base_url(r, sconf);
    req.feed_size = bl_conf_feed_size(conf);
    req.list_size = bl_conf_list_size(conf);
    req.route = *route;
    req.page = bl_respond_paged(route) ? bl_respond_page(r->args) : 0;
    /* the address of the document, query included (a 404 for ?page=99), with one
     * leading slash: "//host/x" (MergeSlashes Off) would name another host */
    self = r->uri;
    while (self[0] == '/' && self[1] == '/') {
        self++;
    }
    req.self = r->args ? apr_pstrcat(r->pool, ap_escape_uri(r->pool, self), "?", r->args, NULL)
                       : ap_escape_uri(r->pool, self);
    e = bl_respond(f->cache, site, &req, &rv, r->pool);
    if (e == NULL) {
        ap_log_rerror(APLOG_MARK, rv == APR_EAGAIN ? APLOG_DEBUG : APLOG_ERR, rv, r,
                      rv == APR_EAGAIN ? "mod_bilingual: no good site.xml in %s: feeds and "
                                         "calendars wait for one"
                                       : "mod_bilingual: cannot answer for %s",
                      conf->content);
        return rv == APR_EAGAIN ? HTTP_SERVICE_UNAVAILABLE : HTTP_INTERNAL_SERVER_ERROR;
    }
    apr_pool_cleanup_register(r->pool, e, release_entry, apr_pool_cleanup_null);
    if (e->status == HTTP_INTERNAL_SERVER_ERROR) {
        return HTTP_INTERNAL_SERVER_ERROR; /* logged when it was rendered */
    }
    own = e->status == HTTP_OK ? bl_respond_untranslated(site, &req) : NULL;
    own = own && bl_lang_tag_valid(own) ? own : NULL; /* a header: a tag or nothing */
    langs[0] = own ? own : req.langs->tag[req.route.lang >= 0 ? req.route.lang : 0];
    langs[1] = own ? req.langs->tag[req.route.lang] : NULL; /* the page around it */
    return send_entry(r, e, langs, bl_conf_cache_control(conf));
}

/* Takes a reference to the snapshot of CONF's folder for the request's life. */
static const bl_site_t *acquire_site(request_rec *r, const bl_dir_conf_t *conf, bl_folder_t **pf)
{
    bl_folder_t *f =
        bl_folders ? apr_hash_get(bl_folders, conf->content, APR_HASH_KEY_STRING) : NULL;
    bl_site_t *site = f ? bl_store_acquire(f->store) : NULL;

    if (site != NULL) {
        apr_pool_cleanup_register(r->pool, site, unref_site, apr_pool_cleanup_null);
    }
    *pf = f;
    return site;
}

/* The handler, in mod_negotiation's order: handler, method, body, route, answer. */
static int bl_handler(request_rec *r)
{
    bl_dir_conf_t *conf;
    const bl_site_t *site;
    bl_folder_t *f;
    bl_route_t route;

    if (r->handler == NULL || strcmp(r->handler, BL_HANDLER) != 0) {
        return DECLINED;
    }
    conf = ap_get_module_config(r->per_dir_config, &bilingual_module);
    r->allowed |= (AP_METHOD_BIT << M_GET);
    if (r->method_number != M_GET) {
        return method_not_allowed(r);
    }
    if (conf->content == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "mod_bilingual: SetHandler bilingual without BilingualContent for %s",
                      r->uri);
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    site = acquire_site(r, conf, &f);
    if (site == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, "mod_bilingual: %s could not be loaded",
                      conf->content);
        return HTTP_SERVICE_UNAVAILABLE;
    }
    route_of(r, bl_conf_langs(conf), &route);
    if (route.kind == BL_R_REDIRECT) {
        apr_table_setn(r->headers_out, "Location",
                       r->args ? apr_pstrcat(r->pool, route.target, "?", r->args, NULL)
                               : route.target);
        apr_table_setn(r->err_headers_out, "Cache-Control", bl_conf_cache_control(conf));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (route.lang < 0 && route.kind != BL_R_SITEMAP && route.kind != BL_R_ROBOTS) {
        if (bl_respond_exists(site, &route)) {
            return redirect_neutral(r, bl_conf_langs(conf), &route);
        }
        bl_route_set(&route, BL_R_NOTFOUND, -1, -1, NULL); /* the default language's 404 */
    }
    return serve(r, conf, f, site, &route);
}

/* Registers the hooks. */
static void bl_register_hooks(apr_pool_t *p)
{
    ap_hook_pre_config(bl_load_pre_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(bl_load_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(bl_load_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_monitor(bl_load_monitor, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_fixups(bl_fixups, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(bl_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(bl_map_to_storage, NULL, NULL, APR_HOOK_REALLY_FIRST);
    /* after mod_alias, mod_rewrite and mod_proxy, before the core's own translation */
    ap_hook_translate_name(bl_translate_name, NULL, NULL, APR_HOOK_LAST);
    ap_hook_insert_error_filter(bl_insert_error_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_register_output_filter("BILINGUAL_ALLOW", allow_filter, NULL, AP_FTYPE_CONTENT_SET);
    bl_status_register_hooks(p);
}

module AP_MODULE_DECLARE_DATA bilingual_module = { STANDARD20_MODULE_STUFF, bl_create_dir_conf,
                                                   bl_merge_dir_conf,       bl_create_srv_conf,
                                                   bl_merge_srv_conf,       bl_cmds,
                                                   bl_register_hooks,
#ifdef AP_MODULE_FLAG_NONE
                                                   AP_MODULE_FLAG_NONE
#endif
};
