/* bl_out.h: writing text into a bucket brigade, escaped for HTML and XML. */
#ifndef BL_OUT_H
#define BL_OUT_H

#include <apr_buckets.h>

/** Appends S to BB; returns the brigade's status. */
apr_status_t bl_out_puts(apr_bucket_brigade *bb, const char *s);

/** Appends LEN bytes at S to BB. */
apr_status_t bl_out_write(apr_bucket_brigade *bb, const char *s, apr_size_t len);

/** Appends printf-style text to BB (no escaping: never pass content through FMT). */
apr_status_t bl_out_printf(apr_bucket_brigade *bb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Appends S with & < > escaped, for text in HTML or XML. */
apr_status_t bl_out_text(apr_bucket_brigade *bb, const char *s);

/** Appends S with & < > " ' escaped, for a double-quoted attribute value. */
apr_status_t bl_out_attr(apr_bucket_brigade *bb, const char *s);

/** Returns S escaped like bl_out_attr, from P. */
const char *bl_escape(const char *s, apr_pool_t *p);

/** Returns the bytes of BB as one string from P (also in *LEN). */
char *bl_out_flatten(apr_bucket_brigade *bb, apr_size_t *len, apr_pool_t *p);

#endif
