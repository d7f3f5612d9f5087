/* bl_cache.c: a bounded, evicting render cache with single flight.
 *
 * One cache per content folder and process holds rendered responses under keys that
 * the respond layer builds from everything the bytes depend on; the number of keys is
 * bounded by the configuration and the content, never by what clients send. Entries
 * belong to one snapshot generation: the first request of a newer snapshot empties
 * the cache, so no entry is ever stale and none needs invalidation. Past the byte cap
 * the least recently used entries are evicted (a list, most recent first); an entry is
 * freed only when the cache has let go of it and the last request holding it has
 * released it, so bytes being sent never go away under a request. A miss inserts a
 * pending entry at once: concurrent requests for the same key wait on a condition
 * variable for the one rendering it, so a burst renders each key once. A failed
 * rendering stays as a 500 entry of its generation, so a broken URL costs one render.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_sha1.h>
#include <apr_strings.h>
#include <apr_thread_cond.h>
#include <apr_thread_mutex.h>

#include "bl_cache.h"

/* What one entry costs beyond its bytes and key: the record and its hash slot. */
#define NODE_OVERHEAD 160

/** Whether a coding of an entry was tried. */
typedef enum { VAR_UNTRIED, VAR_MADE, VAR_WORTHLESS } var_state_t;

/** An entry with its bookkeeping; the public part comes first. */
typedef struct node_t {
    bl_entry_t e;
    bl_variant_t var[BL_ENC_COUNT]; /* [BL_ENC_IDENTITY] is e itself */
    var_state_t state[BL_ENC_COUNT];
    int lent[BL_ENC_COUNT]; /* the coding's bytes are in the table of lent bytes */
    char *key;
    unsigned long gen;
    int ready;
    int in_cache;       /* in the hash and the list */
    unsigned long refs; /* holders, under the cache's lock (1 for a private entry) */
    apr_size_t cost;
    struct node_t *prev; /* toward the most recently used */
    struct node_t *next;
    struct bl_cache_t *owner; /* NULL for a private entry */
} node_t;

struct bl_cache_t {
    apr_thread_mutex_t *lock;
    apr_thread_cond_t *filled;
    apr_hash_t *index; /* key -> node_t* */
    node_t *head;      /* most recently used */
    node_t *tail;
    unsigned long gen;
    apr_size_t max;
    bl_cache_stats_t stats;
};

/* Bytes lent to buckets of their own (bl_cache_lend): their address -> their node, for
 * bl_cache_unlend, which is given nothing but the address (the key is the address's
 * own bytes, kept in the node's variant). One table per process, made with the first
 * cache; an address is in it from its first loan until its node is freed. Lock order:
 * a cache's lock, then this one. */
static apr_pool_t *lent_pool;
static apr_thread_mutex_t *lent_lock;
static apr_hash_t *lent;

/* Frees a node that no one holds. */
static void node_free(node_t *n)
{
    int i;

    for (i = BL_ENC_IDENTITY; i < BL_ENC_COUNT; i++) {
        if (n->lent[i]) {
            apr_thread_mutex_lock(lent_lock);
            apr_hash_set(lent, &n->var[i].data, sizeof(n->var[i].data), NULL);
            apr_thread_mutex_unlock(lent_lock);
        }
    }
    for (i = BL_ENC_IDENTITY + 1; i < BL_ENC_COUNT; i++) {
        if (n->state[i] == VAR_MADE) {
            free((char *)n->var[i].data);
        }
    }
    free((char *)n->e.data);
    free(n->key);
    free(n);
}

/* Unlinks N from the list. */
static void unlink_node(bl_cache_t *c, node_t *n)
{
    if (n->prev) {
        n->prev->next = n->next;
    }
    else {
        c->head = n->next;
    }
    if (n->next) {
        n->next->prev = n->prev;
    }
    else {
        c->tail = n->prev;
    }
    n->prev = n->next = NULL;
}

/* Links N at the head of the list. */
static void push_front(bl_cache_t *c, node_t *n)
{
    n->prev = NULL;
    n->next = c->head;
    if (c->head) {
        c->head->prev = n;
    }
    c->head = n;
    if (c->tail == NULL) {
        c->tail = n;
    }
}

/* Lets go of N: out of the hash and the list, freed now when no one holds it. */
static void drop(bl_cache_t *c, node_t *n)
{
    assert(n->in_cache);
    apr_hash_set(c->index, n->key, APR_HASH_KEY_STRING, NULL);
    unlink_node(c, n);
    n->in_cache = 0;
    c->stats.entries--;
    c->stats.bytes -= n->cost;
    if (n->refs == 0) {
        node_free(n);
    }
}

/* Drops every entry (those of an older generation). */
static void purge(bl_cache_t *c)
{
    while (c->head != NULL) {
        drop(c, c->head);
    }
}

/* Frees the entries with the cache's pool (no request holds one any more then). */
static apr_status_t cache_cleanup(void *data)
{
    purge(data);
    return APR_SUCCESS;
}

/* Creates the cache, its lock and its condition in P. */
bl_cache_t *bl_cache_create(apr_size_t max_bytes, apr_pool_t *p)
{
    bl_cache_t *c = apr_pcalloc(p, sizeof(*c));

    if (apr_thread_mutex_create(&c->lock, APR_THREAD_MUTEX_DEFAULT, p) != APR_SUCCESS
        || apr_thread_cond_create(&c->filled, p) != APR_SUCCESS) {
        return NULL;
    }
    c->index = apr_hash_make(p);
    c->max = max_bytes;
    if (lent == NULL) {
        /* a pool of its own: caches come and go with theirs, loans may outlive them */
        if (apr_pool_create(&lent_pool, NULL) != APR_SUCCESS
            || apr_thread_mutex_create(&lent_lock, APR_THREAD_MUTEX_DEFAULT, lent_pool)
                   != APR_SUCCESS) {
            return NULL;
        }
        lent = apr_hash_make(lent_pool);
    }
    apr_pool_cleanup_register(p, c, cache_cleanup, apr_pool_cleanup_null);
    return c;
}

/* Inserts a pending node for KEY with one reference; NULL when memory runs out. */
static node_t *insert_pending(bl_cache_t *c, const char *key)
{
    node_t *n = calloc(1, sizeof(*n));

    if (n == NULL || (n->key = strdup(key)) == NULL) {
        free(n);
        return NULL;
    }
    n->gen = c->gen;
    n->refs = 1;
    n->owner = c;
    n->in_cache = 1;
    n->cost = strlen(key) + NODE_OVERHEAD;
    apr_hash_set(c->index, n->key, APR_HASH_KEY_STRING, n);
    push_front(c, n);
    c->stats.entries++;
    c->stats.bytes += n->cost;
    return n;
}

/* Finds, waits for, or starts the entry of KEY. */
bl_entry_t *bl_cache_get(bl_cache_t *c, const char *key, unsigned long gen, int *fill)
{
    node_t *n;

    *fill = 0;
    apr_thread_mutex_lock(c->lock);
    if (gen > c->gen) {
        purge(c);
        c->gen = gen;
    }
    n = gen == c->gen ? apr_hash_get(c->index, key, APR_HASH_KEY_STRING) : NULL;
    if (n != NULL) {
        n->refs++;
        c->stats.hits++;
        if (!n->ready) {
            c->stats.waits++;
        }
        while (!n->ready) {
            apr_thread_cond_wait(c->filled, c->lock);
        }
        if (n->in_cache) {
            unlink_node(c, n);
            push_front(c, n);
        }
    }
    else if (gen == c->gen) {
        c->stats.misses++;
        n = insert_pending(c, key);
        *fill = n != NULL;
    }
    apr_thread_mutex_unlock(c->lock);
    return n ? &n->e : NULL;
}

/* Evicts from the tail, skipping entries still being rendered, until the cache fits. */
static void evict(bl_cache_t *c)
{
    node_t *n = c->tail, *prev;

    while (c->stats.bytes > c->max && n != NULL) {
        prev = n->prev;
        if (n->ready) {
            drop(c, n);
            c->stats.evictions++;
        }
        n = prev;
    }
}

/* Makes the entry itself its identity representation. */
static void set_identity(node_t *n)
{
    n->var[BL_ENC_IDENTITY].data = n->e.data;
    n->var[BL_ENC_IDENTITY].len = n->e.len;
    n->var[BL_ENC_IDENTITY].enc = BL_ENC_IDENTITY;
    memcpy(n->var[BL_ENC_IDENTITY].etag, n->e.etag, sizeof(n->e.etag));
    n->state[BL_ENC_IDENTITY] = VAR_MADE;
}

/* Fills the node in place, makes room, and wakes the waiters. */
void bl_cache_fill(bl_cache_t *c, bl_entry_t *e, char *data, apr_size_t len, int status,
                   const char *ctype, apr_time_t lm)
{
    node_t *n = (node_t *)e;

    if (data != NULL) {
        bl_etag(data, len, n->e.etag);
    }
    n->e.data = data;
    n->e.len = data ? len : 0;
    n->e.status = data ? status : 500;
    n->e.ctype = ctype;
    n->e.lm = data ? lm : 0;
    set_identity(n);
    apr_thread_mutex_lock(c->lock);
    n->ready = 1;
    if (n->in_cache) {
        c->stats.bytes += n->e.len;
        n->cost += n->e.len;
        if (n->cost > c->max) {
            drop(c, n); /* handed out, never kept */
        }
        evict(c);
    }
    apr_thread_cond_broadcast(c->filled);
    apr_thread_mutex_unlock(c->lock);
}

/* Makes a ready node that belongs to no cache. */
bl_entry_t *bl_cache_private(char *data, apr_size_t len, int status, const char *ctype,
                             apr_time_t lm)
{
    node_t *n = calloc(1, sizeof(*n));

    if (n == NULL) {
        free(data);
        return NULL;
    }
    n->refs = 1;
    n->ready = 1;
    n->e.data = data;
    n->e.len = data ? len : 0;
    n->e.status = data ? status : 500;
    n->e.ctype = ctype;
    n->e.lm = data ? lm : 0;
    if (data != NULL) {
        bl_etag(data, len, n->e.etag);
    }
    set_identity(n);
    return &n->e;
}

/* Returns the state of N's coding ENC, read under the cache's lock when N is cached. */
static var_state_t var_state(node_t *n, bl_enc_t enc)
{
    var_state_t st;

    if (n->owner == NULL) {
        return n->state[enc];
    }
    apr_thread_mutex_lock(n->owner->lock);
    st = n->state[enc];
    apr_thread_mutex_unlock(n->owner->lock);
    return st;
}

/* Installs the coding ENC of N made of the LEN bytes at DATA (NULL: not worth it),
 * unless another thread did first; its bytes count in the cache. */
static void var_install(node_t *n, bl_enc_t enc, char *data, apr_size_t len)
{
    bl_cache_t *c = n->owner;

    if (c != NULL) {
        apr_thread_mutex_lock(c->lock);
    }
    if (n->state[enc] != VAR_UNTRIED) {
        free(data); /* a twin was faster */
    }
    else if (data == NULL) {
        n->state[enc] = VAR_WORTHLESS;
    }
    else {
        n->var[enc].data = data;
        n->var[enc].len = len;
        n->var[enc].enc = enc;
        apr_snprintf(n->var[enc].etag, sizeof(n->var[enc].etag), "%.33s-%s\"", n->e.etag,
                     bl_encode_name(enc));
        n->state[enc] = VAR_MADE;
        if (c != NULL && n->in_cache) {
            n->cost += len;
            c->stats.bytes += len;
            evict(c);
        }
    }
    if (c != NULL) {
        apr_thread_mutex_unlock(c->lock);
    }
}

/* Makes the coding on first demand; falls back on the identity. */
const bl_variant_t *bl_cache_variant(bl_entry_t *e, bl_enc_t enc)
{
    node_t *n = (node_t *)e;
    apr_size_t len = 0;
    char *data = NULL;

    if (enc <= BL_ENC_IDENTITY || enc >= BL_ENC_COUNT || !bl_encode_available(enc)
        || e->len < BL_ENC_MIN_BYTES || (e->status != 200 && e->status != 404)
        || n->owner == NULL /* compressed once per request would cost more than it saves */) {
        return &n->var[BL_ENC_IDENTITY];
    }
    if (var_state(n, enc) == VAR_UNTRIED) {
        if (bl_encode(enc, e->data, e->len, &data, &len) != APR_SUCCESS || len >= e->len) {
            free(data);
            data = NULL;
        }
        var_install(n, enc, data, len);
    }
    return var_state(n, enc) == VAR_MADE ? &n->var[enc] : &n->var[BL_ENC_IDENTITY];
}

/* Counts the holder out; the last one frees a node the cache let go of. */
void bl_cache_release(bl_entry_t *e)
{
    node_t *n = (node_t *)e;
    bl_cache_t *c = n->owner;

    if (c == NULL) {
        node_free(n);
        return;
    }
    apr_thread_mutex_lock(c->lock);
    assert(n->refs > 0);
    n->refs--;
    if (n->refs == 0 && !n->in_cache) {
        node_free(n);
    }
    apr_thread_mutex_unlock(c->lock);
}

/* Takes a reference for the loan and puts the bytes' address in the table. */
int bl_cache_lend(bl_entry_t *e, const bl_variant_t *v)
{
    node_t *n = (node_t *)e;
    bl_cache_t *c = n->owner;
    int enc = (int)v->enc;

    if (c == NULL || v != &n->var[enc] || v->data == NULL) {
        return 0;
    }
    apr_thread_mutex_lock(c->lock);
    n->refs++;
    if (!n->lent[enc]) {
        apr_thread_mutex_lock(lent_lock);
        apr_hash_set(lent, &n->var[enc].data, sizeof(n->var[enc].data), n);
        apr_thread_mutex_unlock(lent_lock);
        n->lent[enc] = 1;
    }
    apr_thread_mutex_unlock(c->lock);
    return 1;
}

/* Finds the node of the lent bytes at DATA and releases the loan's reference. */
void bl_cache_unlend(void *data)
{
    node_t *n;

    apr_thread_mutex_lock(lent_lock);
    n = apr_hash_get(lent, &data, sizeof(data));
    apr_thread_mutex_unlock(lent_lock);
    assert(n != NULL);
    if (n != NULL) {
        bl_cache_release(&n->e);
    }
}

/* Copies the counters under the lock. */
void bl_cache_stats(bl_cache_t *c, bl_cache_stats_t *stats)
{
    apr_thread_mutex_lock(c->lock);
    *stats = c->stats;
    apr_thread_mutex_unlock(c->lock);
}

/* Hashes with SHA-1 and writes the first 128 bits in hex, quoted. */
void bl_etag(const char *data, apr_size_t len, char out[35])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[APR_SHA1_DIGESTSIZE];
    apr_sha1_ctx_t sha;
    int i;

    apr_sha1_init(&sha);
    apr_sha1_update_binary(&sha, (const unsigned char *)data, (unsigned int)len);
    apr_sha1_final(digest, &sha);
    out[0] = '"';
    for (i = 0; i < 16; i++) {
        out[1 + 2 * i] = hex[digest[i] >> 4];
        out[2 + 2 * i] = hex[digest[i] & 15];
    }
    out[33] = '"';
    out[34] = '\0';
}
