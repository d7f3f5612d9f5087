/* bl_cache.h: rendered responses, bounded, evicting, rendered once per key. */
#ifndef BL_CACHE_H
#define BL_CACHE_H

#include <apr_pools.h>

#include "bl_encode.h"

/** One representation of a response: its bytes in one content coding, and its strong
 *  ETag (the identity's with "-gzip" or "-br" before the closing quote, the form
 *  mod_deflate gives, so caches that hold such tags revalidate). */
typedef struct bl_variant_t {
    const char *data;
    apr_size_t len;
    char etag[42];
    bl_enc_t enc;
} bl_variant_t;

/** One rendered response: read-only once it is ready, freed when the cache has let
 *  go of it and the last holder has released it. */
typedef struct bl_entry_t {
    const char *data; /* malloc'ed, owned by the entry */
    apr_size_t len;
    char etag[35];     /* strong, quoted: "\"3f2a...\"" */
    const char *ctype; /* a constant string */
    int status;        /* 200, 404; 500 when rendering failed */
    apr_time_t lm;     /* Last-Modified; 0 for none */
} bl_entry_t;

typedef struct bl_cache_t bl_cache_t;

/** What a cache has done, for the admin. */
typedef struct bl_cache_stats_t {
    unsigned long entries;
    apr_size_t bytes;
    unsigned long hits;
    unsigned long misses;
    unsigned long evictions;
    unsigned long waits; /* requests that waited for another's rendering of their key */
} bl_cache_stats_t;

/** Creates a cache of at most MAX_BYTES (responses, keys and bookkeeping) in P; the
 *  first call (before any thread uses a cache) also makes the process's table of lent
 *  bytes (bl_cache_lend). */
bl_cache_t *bl_cache_create(apr_size_t max_bytes, apr_pool_t *p);

/** Looks KEY up among the entries of snapshot generation GEN. A newer GEN than any seen
 *  before empties the cache (entries of older snapshots are never served again); an
 *  older one is not cached: returns NULL with *FILL 0 (the caller renders for itself).
 *  Returns a ready entry with a reference the caller releases, waiting while another
 *  thread renders the same key (single flight); on a miss returns a new pending entry
 *  with *FILL set: the caller renders it and calls bl_cache_fill. Thread-safe. */
bl_entry_t *bl_cache_get(bl_cache_t *cache, const char *key, unsigned long gen, int *fill);

/** Completes the pending entry E with the LEN bytes at DATA (malloc'ed; the entry takes
 *  them; NULL when rendering failed, which makes E a 500) and wakes the threads waiting
 *  for it. Least recently used entries are evicted until the cache fits its cap; an
 *  entry bigger than the cap is handed out but not kept. */
void bl_cache_fill(bl_cache_t *cache, bl_entry_t *e, char *data, apr_size_t len, int status,
                   const char *ctype, apr_time_t lm);

/** Returns E in content coding ENC, compressing it the first time it is asked for
 *  (outside the cache's lock; the bytes count in the cache's cap and go with E), or E
 *  as it is when ENC is identity or unavailable, E is shorter than BL_ENC_MIN_BYTES, is
 *  no 200 or 404, is private (made for one request: compressing it each time would be
 *  work a client could multiply), or does not shrink. The caller holds a reference
 *  to E. */
const bl_variant_t *bl_cache_variant(bl_entry_t *e, bl_enc_t enc);

/** Drops the caller's reference to E (from bl_cache_get or bl_cache_private). */
void bl_cache_release(bl_entry_t *e);

/** Lends the bytes of V, a representation of E the caller holds, to a holder that has
 *  nothing but their address to give back (an APR heap bucket's free function): takes
 *  a reference to E that bl_cache_unlend(V->data) releases. Returns 0, taking nothing,
 *  for a private entry (the caller copies the bytes instead). */
int bl_cache_lend(bl_entry_t *e, const bl_variant_t *v);

/** Releases a reference taken by bl_cache_lend for the bytes at DATA; its signature is
 *  an APR heap bucket's free function. */
void bl_cache_unlend(void *data);

/** Returns an entry of its own for a response that is not cached, with the same
 *  contract as a filled one (the caller releases it). */
bl_entry_t *bl_cache_private(char *data, apr_size_t len, int status, const char *ctype,
                             apr_time_t lm);

/** Copies the cache's counters into *STATS. */
void bl_cache_stats(bl_cache_t *cache, bl_cache_stats_t *stats);

/** Writes the strong ETag of the LEN bytes at DATA, SHA-1 cut to 128 bits in hex and
 *  quoted, into OUT (35 bytes with the NUL). */
void bl_etag(const char *data, apr_size_t len, char out[35]);

#endif
