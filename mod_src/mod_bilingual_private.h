/* mod_bilingual_private.h: what the glue files share; the only httpd-aware header. */
#ifndef MOD_BILINGUAL_PRIVATE_H
#define MOD_BILINGUAL_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

#include "bl_cache.h"
#include "bl_content.h"
#include "bl_lang.h"
#include "bl_store.h"

APLOG_USE_MODULE(bilingual);

extern module AP_MODULE_DECLARE_DATA bilingual_module;

/** The handler name of the site, and of the admin's status page. */
#define BL_HANDLER "bilingual"
#define BL_STATUS_HANDLER "bilingual-status"

/** Per-directory settings (also set at server and virtual-host level). */
typedef struct bl_dir_conf_t {
    const char *content;   /* NULL: unset */
    const char *content_real; /* its real path (symlinks resolved), or NULL */
    bl_langs_t *langs;     /* NULL: unset (bl_lang_defaults) */
    const char *langs_key; /* "es en", for cache keys */
    int feed_size;         /* -1: unset (20) */
    int list_size;         /* -1: unset (20) */
    int max_age;           /* -1: unset (BL_DEFAULT_MAX_AGE) */
    const char *cache_control; /* the header max_age makes; NULL: unset */
} bl_dir_conf_t;

/** Seconds a shared cache may keep a response when BilingualCacheMaxAge is unset. */
#define BL_DEFAULT_MAX_AGE 60

/** Per-server settings. */
typedef struct bl_srv_conf_t {
    const char *base_url; /* NULL: from the server's names */
    int reload;           /* seconds; -1: unset (2) */
    int active;           /* BilingualContent appears in this server's config */
} bl_srv_conf_t;

/** One content folder named by BilingualContent, with the server it was named in. */
typedef struct bl_reg_t {
    const char *dir;
    server_rec *s;
} bl_reg_t;

/** One loaded folder of this configuration generation (in pconf); its store is kept
 *  across generations in the process pool. */
typedef struct bl_folder_t {
    bl_store_t *store;
    int interval; /* the smallest reload interval of the servers naming it */
    server_rec *s;
    bl_sink_t sink;
    bl_cache_t *cache;    /* a child's render cache; NULL in the parent */
    apr_time_t last_tick; /* the parent's last scheduled load */
} bl_folder_t;

/** The folders registered while reading the configuration (in pconf). */
extern apr_array_header_t *bl_registry;

/** The folders loaded in post_config: dir -> bl_folder_t*, read-only afterwards. */
extern apr_hash_t *bl_folders;

/** The directive table (mod_bilingual_config.c). */
extern const command_rec bl_cmds[];

/** Config creators and mergers (mod_bilingual_config.c). */
void *bl_create_dir_conf(apr_pool_t *p, char *dir);
void *bl_merge_dir_conf(apr_pool_t *p, void *base, void *add);
void *bl_create_srv_conf(apr_pool_t *p, server_rec *s);
void *bl_merge_srv_conf(apr_pool_t *p, void *base, void *add);

/** Returns the configured languages of CONF (bl_lang_defaults when unset). */
const bl_langs_t *bl_conf_langs(const bl_dir_conf_t *conf);

/** Returns the configured languages of CONF as written ("es en"). */
const char *bl_conf_langs_key(const bl_dir_conf_t *conf);

/** Returns the effective reload interval of S in seconds. */
int bl_conf_reload(server_rec *s);

/** Returns the effective feed size of CONF. */
int bl_conf_feed_size(const bl_dir_conf_t *conf);

/** Returns the entries per page of a list or an archive (BilingualListSize, default 20). */
int bl_conf_list_size(const bl_dir_conf_t *conf);

/** Returns the Cache-Control value of CONF's responses ("public, max-age=60, ..."). */
const char *bl_conf_cache_control(const bl_dir_conf_t *conf);

/** The admin's view (mod_bilingual_status.c): the handler of SetHandler
 *  bilingual-status, and the hooks that share each child's version. */
int bl_status_handler(request_rec *r);
void bl_status_register_hooks(apr_pool_t *p);
void bl_status_post_config(apr_pool_t *pconf, server_rec *s);
void bl_status_child_init(apr_pool_t *pchild);
void bl_status_child_serves(const bl_site_t *site, const char *dir);

#endif
