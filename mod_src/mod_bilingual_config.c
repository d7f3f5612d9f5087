/* mod_bilingual_config.c: mod_bilingual's directives.
 *
 *   BilingualContent DIR              server, vhost, directory; the content folder
 *   BilingualLanguages TAG...         server, vhost, directory; default "es en"
 *   BilingualBaseURL URL              server, vhost; default from the request
 *   BilingualFeedSize N               server, vhost, directory; 1-1000, default 20
 *   BilingualListSize N               server, vhost, directory; 1-200, default 20
 *   BilingualReloadInterval SECONDS   server, vhost; 0-86400, default 2
 *   BilingualCacheMaxAge SECONDS      server, vhost, directory; 0-31536000, default 60
 *
 * Every value is checked when the configuration is read, so `apachectl configtest`
 * fails with one line naming the directive and the value. Content folders are also
 * registered here, so post_config can load each of them once, before any request.
 */
#include <limits.h>
#include <stdlib.h>

#include <apr_strings.h>
#include <apr_uri.h>
#include <http_core.h>

#include "mod_bilingual_private.h"

apr_array_header_t *bl_registry;

/* Creates a per-directory config with every field unset. */
void *bl_create_dir_conf(apr_pool_t *p, char *dir)
{
    bl_dir_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    (void)dir;
    conf->feed_size = -1;
    conf->list_size = -1;
    conf->max_age = -1;
    return conf;
}

/* Takes each field from ADD when set there, else from BASE. */
void *bl_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    bl_dir_conf_t *base = basev, *add = addv;
    bl_dir_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    conf->content = add->content ? add->content : base->content;
    conf->content_real = add->content ? add->content_real : base->content_real;
    conf->langs = add->langs ? add->langs : base->langs;
    conf->langs_key = add->langs ? add->langs_key : base->langs_key;
    conf->feed_size = add->feed_size >= 0 ? add->feed_size : base->feed_size;
    conf->list_size = add->list_size >= 0 ? add->list_size : base->list_size;
    conf->max_age = add->max_age >= 0 ? add->max_age : base->max_age;
    conf->cache_control = add->max_age >= 0 ? add->cache_control : base->cache_control;
    return conf;
}

/* Creates a per-server config with every field unset. */
void *bl_create_srv_conf(apr_pool_t *p, server_rec *s)
{
    bl_srv_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    (void)s;
    conf->reload = -1;
    return conf;
}

/* Takes each field from ADD when set there, else from BASE. */
void *bl_merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    bl_srv_conf_t *base = basev, *add = addv;
    bl_srv_conf_t *conf = apr_pcalloc(p, sizeof(*conf));

    conf->base_url = add->base_url ? add->base_url : base->base_url;
    conf->reload = add->reload >= 0 ? add->reload : base->reload;
    conf->active = add->active || base->active;
    return conf;
}

/* Returns the configured or the default languages. */
const bl_langs_t *bl_conf_langs(const bl_dir_conf_t *conf)
{
    return conf->langs ? conf->langs : &bl_lang_defaults;
}

/* Returns the key made when the languages were set, or the defaults'. */
const char *bl_conf_langs_key(const bl_dir_conf_t *conf)
{
    return conf->langs_key ? conf->langs_key : bl_lang_defaults_key;
}

/* Builds the header: shared caches may keep a response N seconds, serve it stale N
 * seconds more while they revalidate, and a day when the server fails; 0 makes every
 * use revalidate. */
const char *bl_conf_cache_control(const bl_dir_conf_t *conf)
{
    return conf->cache_control ? conf->cache_control
                               : "public, max-age=" APR_STRINGIFY(BL_DEFAULT_MAX_AGE)
                                 ", stale-while-revalidate=" APR_STRINGIFY(BL_DEFAULT_MAX_AGE)
                                 ", stale-if-error=86400";
}

/* Returns the feed size, 20 when unset. */
int bl_conf_feed_size(const bl_dir_conf_t *conf)
{
    return conf->feed_size > 0 ? conf->feed_size : 20;
}

/* Returns the list size, 20 when unset. */
int bl_conf_list_size(const bl_dir_conf_t *conf)
{
    return conf->list_size > 0 ? conf->list_size : BL_DEFAULT_LIST_SIZE;
}

/* Returns the server's interval, 2 when unset. */
int bl_conf_reload(server_rec *s)
{
    bl_srv_conf_t *conf = ap_get_module_config(s->module_config, &bilingual_module);

    return conf->reload >= 0 ? conf->reload : 2;
}

/* Parses a decimal integer in [MIN, MAX]; returns 0 when ARG is not one. */
static int parse_int(const char *arg, int min, int max, int *out)
{
    char *end = NULL;
    apr_int64_t v;

    if (arg[0] == '\0' || arg[0] == '+' || arg[0] == ' ') {
        return 0;
    }
    v = apr_strtoi64(arg, &end, 10);
    if (*end != '\0' || v < min || v > max) {
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* BilingualContent DIR: must be an existing folder; registered for loading. */
static const char *set_content(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_dir_conf_t *conf = dconf;
    bl_srv_conf_t *sconf = ap_get_module_config(cmd->server->module_config, &bilingual_module);
    const char *dir = ap_server_root_relative(cmd->pool, arg);
    apr_finfo_t fi;
    bl_reg_t *reg;
    apr_size_t n;
    char real[PATH_MAX];

    if (dir == NULL || apr_stat(&fi, dir, APR_FINFO_TYPE, cmd->temp_pool) != APR_SUCCESS
        || fi.filetype != APR_DIR) {
        return apr_psprintf(cmd->pool, "BilingualContent: '%s' is not a directory", arg);
    }
    n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') {
        n--;
    }
    conf->content = apr_pstrndup(cmd->pool, dir, n);
    /* the folder as the kernel sees it: a DocumentRoot may reach it through a symlink */
    conf->content_real = realpath(conf->content, real) ? apr_pstrdup(cmd->pool, real) : NULL;
    if (bl_registry == NULL) {
        bl_registry = apr_array_make(cmd->pool, 4, sizeof(bl_reg_t));
    }
    reg = apr_array_push(bl_registry);
    reg->dir = conf->content;
    reg->s = cmd->server;
    sconf->active = 1;
    return NULL;
}

/* BilingualLanguages TAG...: BCP 47 tags, no duplicates, at most BL_MAX_LANGS. */
static const char *set_languages(cmd_parms *cmd, void *dconf, int argc, char *const argv[])
{
    bl_dir_conf_t *conf = dconf;
    bl_langs_t *langs = apr_pcalloc(cmd->pool, sizeof(*langs));
    int i;

    for (i = 0; i < argc; i++) {
        if (argv[i][0] == '#') {
            argc = i; /* a trailing comment, as in SPEC 1's example: never a tag */
        }
    }
    if (argc < 1 || argc > BL_MAX_LANGS) {
        return apr_psprintf(cmd->pool, "BilingualLanguages: give 1 to %d language tags",
                            BL_MAX_LANGS);
    }
    for (i = 0; i < argc; i++) {
        if (!bl_lang_tag_valid(argv[i])) {
            return apr_psprintf(cmd->pool,
                                "BilingualLanguages: '%s' is not a BCP 47 "
                                "language tag",
                                argv[i]);
        }
        if (bl_lang_find(langs, argv[i]) >= 0) {
            return apr_psprintf(cmd->pool, "BilingualLanguages: '%s' is listed twice", argv[i]);
        }
        langs->tag[langs->n++] = apr_pstrdup(cmd->pool, argv[i]);
    }
    conf->langs = langs;
    conf->langs_key = bl_lang_join(langs, cmd->pool);
    return NULL;
}

/* BilingualBaseURL URL: absolute http(s), a host, no path, query or fragment. */
static const char *set_base_url(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_srv_conf_t *conf = ap_get_module_config(cmd->server->module_config, &bilingual_module);
    apr_uri_t uri;
    apr_size_t n = strlen(arg);

    (void)dconf;
    if (apr_uri_parse(cmd->temp_pool, arg, &uri) != APR_SUCCESS || uri.scheme == NULL
        || (strcasecmp(uri.scheme, "http") && strcasecmp(uri.scheme, "https"))
        || uri.hostname == NULL || *uri.hostname == '\0' || uri.query || uri.fragment || uri.user
        || (uri.path && strcmp(uri.path, "/") && *uri.path) || strpbrk(arg, " \t\"<>\\") != NULL) {
        return apr_psprintf(cmd->pool,
                            "BilingualBaseURL: '%s' is not an absolute http or "
                            "https URL without a path, query or fragment",
                            arg);
    }
    while (n > 0 && arg[n - 1] == '/') {
        n--;
    }
    conf->base_url = apr_pstrndup(cmd->pool, arg, n);
    return NULL;
}

/* BilingualFeedSize N: 1 to 1000. */
static const char *set_feed_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_dir_conf_t *conf = dconf;

    if (!parse_int(arg, 1, BL_MAX_FEED_SIZE, &conf->feed_size)) {
        return apr_psprintf(cmd->pool, "BilingualFeedSize: '%s' is not a number from 1 to %d", arg,
                            BL_MAX_FEED_SIZE);
    }
    return NULL;
}

/* BilingualListSize N: 1 to BL_MAX_LIST_SIZE. */
static const char *set_list_size(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_dir_conf_t *conf = dconf;

    if (!parse_int(arg, 1, BL_MAX_LIST_SIZE, &conf->list_size)) {
        return apr_psprintf(cmd->pool, "BilingualListSize: '%s' is not a number from 1 to %d", arg,
                            BL_MAX_LIST_SIZE);
    }
    return NULL;
}

/* BilingualReloadInterval SECONDS: 0 to 86400. */
static const char *set_reload(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_srv_conf_t *conf = ap_get_module_config(cmd->server->module_config, &bilingual_module);

    (void)dconf;
    if (!parse_int(arg, 0, 86400, &conf->reload)) {
        return apr_psprintf(cmd->pool,
                            "BilingualReloadInterval: '%s' is not a number of "
                            "seconds from 0 to 86400",
                            arg);
    }
    return NULL;
}

/* BilingualCacheMaxAge SECONDS: 0 to a year; the header is made once, here. */
static const char *set_max_age(cmd_parms *cmd, void *dconf, const char *arg)
{
    bl_dir_conf_t *conf = dconf;

    if (!parse_int(arg, 0, 31536000, &conf->max_age)) {
        return apr_psprintf(cmd->pool,
                            "BilingualCacheMaxAge: '%s' is not a number of seconds from 0 to "
                            "31536000",
                            arg);
    }
    conf->cache_control =
        conf->max_age == 0
            ? "no-cache"
            : apr_psprintf(cmd->pool,
                           "public, max-age=%d, stale-while-revalidate=%d, stale-if-error=86400",
                           conf->max_age, conf->max_age);
    return NULL;
}

const command_rec bl_cmds[] = {
    AP_INIT_TAKE1("BilingualContent", set_content, NULL, RSRC_CONF | ACCESS_CONF,
                  "the content folder: site.xml, layout.xml, fragments/, pages/, events/, press/"),
    AP_INIT_TAKE_ARGV("BilingualLanguages", set_languages, NULL, RSRC_CONF | ACCESS_CONF,
                      "the languages served, as BCP 47 tags; the first is the default"),
    AP_INIT_TAKE1("BilingualBaseURL", set_base_url, NULL, RSRC_CONF,
                  "absolute base URL for feeds, canonical links, sitemap and calendar"),
    AP_INIT_TAKE1("BilingualFeedSize", set_feed_size, NULL, RSRC_CONF | ACCESS_CONF,
                  "entries per Atom feed page, 1 to " APR_STRINGIFY(BL_MAX_FEED_SIZE)),
    AP_INIT_TAKE1("BilingualListSize", set_list_size, NULL, RSRC_CONF | ACCESS_CONF,
                  "entries per page of the events and press lists and their year archives, 1 "
                  "to " APR_STRINGIFY(BL_MAX_LIST_SIZE)),
    AP_INIT_TAKE1("BilingualReloadInterval", set_reload, NULL, RSRC_CONF,
                  "seconds between checks for changed content; 0: only at restart"),
    AP_INIT_TAKE1("BilingualCacheMaxAge", set_max_age, NULL, RSRC_CONF | ACCESS_CONF,
                  "seconds caches and CDNs in front may keep a response; 0: revalidate always"),
    { NULL }
};
