/* mod_bilingual_private.h: what the glue files share; the only httpd-aware header. */
#ifndef MOD_BILINGUAL_PRIVATE_H
#define MOD_BILINGUAL_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_log.h>

#include "bl_lang.h"

APLOG_USE_MODULE(bilingual);

extern module AP_MODULE_DECLARE_DATA bilingual_module;

/** Per-directory settings (also set at server and virtual-host level). */
typedef struct bl_dir_conf_t {
    const char *content;   /* NULL: unset */
    bl_langs_t *langs;     /* NULL: unset (es en) */
    const char *langs_key; /* "es en", for cache keys */
    int feed_size;         /* -1: unset (20) */
} bl_dir_conf_t;

/** Per-server settings. */
typedef struct bl_srv_conf_t {
    const char *base_url; /* NULL: from the request */
    int reload;           /* seconds; -1: unset (2) */
    int active;           /* BilingualContent appears in this server's config */
} bl_srv_conf_t;

/** One content folder named by BilingualContent, with the server it was named in. */
typedef struct bl_reg_t {
    const char *dir;
    server_rec *s;
} bl_reg_t;

/** The folders registered while reading the configuration (in pconf). */
extern apr_array_header_t *bl_registry;

/** The directive table (bl_config.c). */
extern const command_rec bl_cmds[];

/** Config creators and mergers (bl_config.c). */
void *bl_create_dir_conf(apr_pool_t *p, char *dir);
void *bl_merge_dir_conf(apr_pool_t *p, void *base, void *add);
void *bl_create_srv_conf(apr_pool_t *p, server_rec *s);
void *bl_merge_srv_conf(apr_pool_t *p, void *base, void *add);

/** Returns the configured languages of CONF (the built-in "es en" when unset). */
const bl_langs_t *bl_conf_langs(const bl_dir_conf_t *conf);

/** Returns the effective reload interval of S in seconds. */
int bl_conf_reload(server_rec *s);

#endif
