/* bl_out.c: a chunked output buffer with HTML/XML escaping.
 *
 * Bytes are copied into malloc'ed chunks that start at 1 KiB and double up to
 * BL_OUT_CHUNK_MAX, so a short string costs little and a long response wastes at
 * most one chunk; no write ever makes a bucket or a pool allocation of its own, so
 * memory is the output plus a constant whatever the number of writes. A cap refuses
 * to grow past a limit (APR_ENOSPC), the backstop of every response's size. The first
 * error sticks: writers write on and check bl_out_status() once.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "bl_out.h"

#define CHUNK_MIN 1024

/** One chunk: its bytes and how many are used. */
typedef struct chunk_t {
    char *data;
    apr_size_t used;
    apr_size_t size;
} chunk_t;

struct bl_out_t {
    chunk_t *chunks; /* malloc'ed array of nchunks */
    int nchunks;
    int cap;
    apr_size_t total;
    apr_size_t max;
    apr_status_t rv;
};

/* Frees every chunk and the array, and empties O. */
void bl_out_reset(bl_out_t *o)
{
    int i;

    for (i = 0; i < o->nchunks; i++) {
        free(o->chunks[i].data);
    }
    free(o->chunks);
    o->chunks = NULL;
    o->nchunks = o->cap = 0;
    o->total = 0;
    o->rv = APR_SUCCESS;
}

/* Frees the chunks with the buffer's pool. */
static apr_status_t out_cleanup(void *data)
{
    bl_out_reset(data);
    return APR_SUCCESS;
}

/* Allocates the buffer and ties its chunks to P. */
bl_out_t *bl_out_create(apr_size_t max, apr_pool_t *p)
{
    bl_out_t *o = apr_pcalloc(p, sizeof(*o));

    o->max = max;
    apr_pool_cleanup_register(p, o, out_cleanup, apr_pool_cleanup_null);
    return o;
}

/* Adds a chunk of twice the last one's size (at most BL_OUT_CHUNK_MAX, at least
 * WANT); returns 0 and sets the error when memory runs out. */
static int add_chunk(bl_out_t *o, apr_size_t want)
{
    apr_size_t size = o->nchunks ? o->chunks[o->nchunks - 1].size * 2 : CHUNK_MIN;
    chunk_t *grown;
    char *data;

    if (size > BL_OUT_CHUNK_MAX) {
        size = BL_OUT_CHUNK_MAX;
    }
    if (size < want && want <= BL_OUT_CHUNK_MAX) {
        size = want;
    }
    if (o->nchunks == o->cap) {
        grown = realloc(o->chunks, sizeof(chunk_t) * (size_t)(o->cap ? o->cap * 2 : 8));
        if (grown == NULL) {
            o->rv = APR_ENOMEM;
            return 0;
        }
        o->chunks = grown;
        o->cap = o->cap ? o->cap * 2 : 8;
    }
    data = malloc(size);
    if (data == NULL) {
        o->rv = APR_ENOMEM;
        return 0;
    }
    o->chunks[o->nchunks].data = data;
    o->chunks[o->nchunks].used = 0;
    o->chunks[o->nchunks].size = size;
    o->nchunks++;
    return 1;
}

/* Copies LEN bytes into the last chunk and new ones as they fill. */
void bl_out_write(bl_out_t *o, const char *s, apr_size_t len)
{
    chunk_t *c;
    apr_size_t n;

    if (o->rv != APR_SUCCESS || len == 0) {
        return;
    }
    if (len > o->max - o->total) {
        o->rv = APR_ENOSPC;
        return;
    }
    while (len > 0) {
        c = o->nchunks ? &o->chunks[o->nchunks - 1] : NULL;
        if ((c == NULL || c->used == c->size) && !add_chunk(o, len)) {
            return;
        }
        c = &o->chunks[o->nchunks - 1];
        n = c->size - c->used < len ? c->size - c->used : len;
        memcpy(c->data + c->used, s, n);
        c->used += n;
        o->total += n;
        s += n;
        len -= n;
    }
}

/* Appends a C string. */
void bl_out_puts(bl_out_t *o, const char *s)
{
    bl_out_write(o, s, strlen(s));
}

/* Appends each string argument in turn. */
void bl_out_putv(bl_out_t *o, ...)
{
    va_list ap;
    const char *s;

    va_start(ap, o);
    while ((s = va_arg(ap, const char *)) != NULL) {
        bl_out_write(o, s, strlen(s));
    }
    va_end(ap);
}

/* Returns the entity for C (QUOTES adds " and '), or NULL when C is plain. */
static const char *entity(char c, int quotes)
{
    switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return quotes ? "&quot;" : NULL;
    case '\'': return quotes ? "&#39;" : NULL;
    default: return NULL;
    }
}

/* Writes runs of plain bytes at once and an entity for each special one. */
static void out_escaped(bl_out_t *o, const char *s, int quotes)
{
    const char *run = s;
    const char *ent;

    for (; *s; s++) {
        ent = entity(*s, quotes);
        if (ent != NULL) {
            bl_out_write(o, run, (apr_size_t)(s - run));
            bl_out_puts(o, ent);
            run = s + 1;
        }
    }
    bl_out_write(o, run, (apr_size_t)(s - run));
}

/* Escapes text content. */
void bl_out_text(bl_out_t *o, const char *s)
{
    out_escaped(o, s, 0);
}

/* Escapes an attribute value. */
void bl_out_attr(bl_out_t *o, const char *s)
{
    out_escaped(o, s, 1);
}

/* Returns the sticky error. */
apr_status_t bl_out_status(const bl_out_t *o)
{
    return o->rv;
}

/* Returns the byte count. */
apr_size_t bl_out_length(const bl_out_t *o)
{
    return o->total;
}

/* Copies the chunks into BUF, which has room for total + 1 bytes, and ends it. */
static void copy_out(const bl_out_t *o, char *buf)
{
    apr_size_t at = 0;
    int i;

    for (i = 0; i < o->nchunks; i++) {
        memcpy(buf + at, o->chunks[i].data, o->chunks[i].used);
        at += o->chunks[i].used;
    }
    buf[at] = '\0';
}

/* Copies into pool memory. */
char *bl_out_flatten(const bl_out_t *o, apr_size_t *len, apr_pool_t *p)
{
    char *buf;

    if (o->rv != APR_SUCCESS) {
        return NULL;
    }
    buf = apr_palloc(p, o->total + 1);
    copy_out(o, buf);
    if (len != NULL) {
        *len = o->total;
    }
    return buf;
}

/* Copies into one malloc'ed block, then frees the chunks. */
char *bl_out_take(bl_out_t *o, apr_size_t *len)
{
    char *buf = o->rv == APR_SUCCESS ? malloc(o->total + 1) : NULL;

    if (buf != NULL) {
        copy_out(o, buf);
        *len = o->total;
    }
    bl_out_reset(o);
    return buf;
}

/* Escapes into a new string sized for the worst case. */
const char *bl_escape(const char *s, apr_pool_t *p)
{
    apr_size_t n = 0;
    const char *c, *ent;
    char *out, *o;

    for (c = s; *c; c++) {
        ent = entity(*c, 1);
        n += ent ? strlen(ent) : 1;
    }
    out = o = apr_palloc(p, n + 1);
    for (c = s; *c; c++) {
        ent = entity(*c, 1);
        if (ent == NULL) {
            *o++ = *c;
            continue;
        }
        memcpy(o, ent, strlen(ent));
        o += strlen(ent);
    }
    *o = '\0';
    return out;
}
