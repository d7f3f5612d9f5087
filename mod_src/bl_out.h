/* bl_out.h: the one output buffer every writer writes into, with HTML/XML escaping. */
#ifndef BL_OUT_H
#define BL_OUT_H

#include <apr_pools.h>

/** An output buffer: bytes go into chunks of at most BL_OUT_CHUNK_MAX bytes, so a
 *  response of N bytes holds about N bytes plus one chunk while it is written, however
 *  many small writes make it. The first error (APR_ENOSPC past the cap, APR_ENOMEM) is
 *  kept and every later write does nothing, so writers check once, at the end. */
typedef struct bl_out_t bl_out_t;

/** Largest chunk of a buffer, in bytes. */
#define BL_OUT_CHUNK_MAX (64 * 1024)

/** Creates an empty buffer in P that refuses to grow past MAX bytes; its chunks are
 *  freed when P is cleared or destroyed, or by bl_out_reset. */
bl_out_t *bl_out_create(apr_size_t max, apr_pool_t *p);

/** Appends LEN bytes at S as they are. */
void bl_out_write(bl_out_t *o, const char *s, apr_size_t len);

/** Appends the string S as it is (markup the writer made itself). */
void bl_out_puts(bl_out_t *o, const char *s);

/** Appends the strings given, up to a NULL, as they are. */
void bl_out_putv(bl_out_t *o, ...);

/** Appends S with & < > escaped, for text in HTML or XML. */
void bl_out_text(bl_out_t *o, const char *s);

/** Appends S with & < > " ' escaped, for a double-quoted attribute value. */
void bl_out_attr(bl_out_t *o, const char *s);

/** Returns the first error of a write, or APR_SUCCESS. */
apr_status_t bl_out_status(const bl_out_t *o);

/** Returns the number of bytes written so far. */
apr_size_t bl_out_length(const bl_out_t *o);

/** Returns the bytes written as one NUL-terminated string from P (also in *LEN when
 *  LEN is not NULL), or NULL when a write failed. */
char *bl_out_flatten(const bl_out_t *o, apr_size_t *len, apr_pool_t *p);

/** Returns the bytes written as one NUL-terminated malloc'ed string the caller frees
 *  (its length in *LEN), then empties the buffer; NULL when a write failed or memory
 *  ran out. Peak memory: the chunks plus the copy, about twice the output. */
char *bl_out_take(bl_out_t *o, apr_size_t *len);

/** Frees the chunks and forgets every byte and the error. */
void bl_out_reset(bl_out_t *o);

/** Returns S escaped like bl_out_attr, from P. */
const char *bl_escape(const char *s, apr_pool_t *p);

#endif
