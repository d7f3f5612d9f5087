/* bl_cache.c: a per-snapshot render cache.
 *
 * Entries are rendered outside the lock into a request's pool, then copied into the
 * snapshot's pool under cache_lock; a snapshot is replaced (not changed) when content
 * or visibility changes, so entries never go stale and never need invalidation: the
 * old cache is freed with the old snapshot. The cache stops growing at
 * BL_CACHE_MAX_BYTES per snapshot, which bounds a child's memory whatever the
 * number of URLs asked for.
 */
#include <string.h>

#include <apr_sha1.h>
#include <apr_strings.h>

#include "bl_cache.h"

/* Hashes with SHA-1 and writes the first 128 bits in hex, quoted. */
const char *bl_etag(const char *data, apr_size_t len, apr_pool_t *p)
{
    apr_sha1_ctx_t sha;
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    char *out = apr_palloc(p, 35);
    int i;

    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, (const unsigned char *)data, (unsigned int)len);
    apr_sha1_final(digest, &sha);
    out[0] = '"';
    for (i = 0; i < 16; i++) {
        apr_snprintf(out + 1 + 2 * i, 3, "%02x", digest[i]);
    }
    out[33] = '"';
    out[34] = '\0';
    return out;
}

/* Looks KEY up under the lock. */
const bl_entry_t *bl_cache_get(bl_site_t *site, const char *key)
{
    const bl_entry_t *e;

    apr_thread_mutex_lock(site->cache_lock);
    e = apr_hash_get(site->cache, key, APR_HASH_KEY_STRING);
    apr_thread_mutex_unlock(site->cache_lock);
    return e;
}

/* Builds the entry in P, then copies it into the snapshot when there is room. */
const bl_entry_t *bl_cache_put(bl_site_t *site, const char *key, const char *data, apr_size_t len,
                               int status, const char *ctype, apr_pool_t *p)
{
    bl_entry_t *e = apr_palloc(p, sizeof(*e));
    bl_entry_t *c;
    apr_size_t cost;

    e->data = data;
    e->len = len;
    e->etag = bl_etag(data, len, p);
    e->ctype = ctype;
    e->status = status;
    if (site == NULL) {
        return e;
    }
    apr_thread_mutex_lock(site->cache_lock);
    c = apr_hash_get(site->cache, key, APR_HASH_KEY_STRING);
    cost = len + strlen(key) + strlen(ctype) + 35 + sizeof(*c) + 64; /* 64: hash entry */
    if (c == NULL && site->cache_bytes + cost < BL_CACHE_MAX_BYTES) {
        c = apr_palloc(site->pool, sizeof(*c));
        c->data = apr_pmemdup(site->pool, data, len + 1);
        c->len = len;
        c->etag = apr_pstrdup(site->pool, e->etag);
        c->ctype = apr_pstrdup(site->pool, ctype);
        c->status = status;
        apr_hash_set(site->cache, apr_pstrdup(site->pool, key), APR_HASH_KEY_STRING, c);
        site->cache_bytes += cost;
    }
    apr_thread_mutex_unlock(site->cache_lock);
    return c ? c : e;
}
