/* bl_cache.h: rendered responses kept with the snapshot they were rendered from. */
#ifndef BL_CACHE_H
#define BL_CACHE_H

#include "bl_content.h"

#define BL_CACHE_MAX_BYTES (64 * 1024 * 1024)

/** One rendered response. */
typedef struct bl_entry_t {
    const char *data;
    apr_size_t len;
    const char *etag; /* strong, quoted: "\"3f2a...\"" */
    const char *ctype;
    int status;
} bl_entry_t;

/** Returns the entry cached under KEY in SITE, or NULL. Thread-safe. */
const bl_entry_t *bl_cache_get(bl_site_t *site, const char *key);

/** Makes an entry of the LEN bytes at DATA with its ETag, caches it under KEY in
 *  SITE while the cache holds less than BL_CACHE_MAX_BYTES (else the entry lives in
 *  P only), and returns it. When another thread cached KEY first, returns that one.
 *  With SITE NULL nothing is cached. Thread-safe. */
const bl_entry_t *bl_cache_put(bl_site_t *site, const char *key, const char *data, apr_size_t len,
                               int status, const char *ctype, apr_pool_t *p);

/** Returns the strong ETag of the LEN bytes at DATA, from P. */
const char *bl_etag(const char *data, apr_size_t len, apr_pool_t *p);

#endif
