/* bl_out.c: brigade writing with HTML/XML escaping.
 *
 * Writers never flush: apr_brigade_write with a NULL flush function gathers small
 * writes into heap buckets of APR_BUCKET_BUFF_SIZE, so a page is a handful of buckets
 * that the caller flattens once to hash and cache it.
 */
#include <stdarg.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_out.h"

/* Appends S as is. */
apr_status_t bl_out_puts(apr_bucket_brigade *bb, const char *s)
{
    return apr_brigade_write(bb, NULL, NULL, s, strlen(s));
}

/* Appends LEN bytes as is. */
apr_status_t bl_out_write(apr_bucket_brigade *bb, const char *s, apr_size_t len)
{
    return apr_brigade_write(bb, NULL, NULL, s, len);
}

/* Formats with APR's vformatter, which needs no locale. */
apr_status_t bl_out_printf(apr_bucket_brigade *bb, const char *fmt, ...)
{
    va_list ap;
    apr_status_t rv;

    va_start(ap, fmt);
    rv = apr_brigade_vprintf(bb, NULL, NULL, fmt, ap);
    va_end(ap);
    return rv;
}

/* Writes runs of plain bytes at once and an entity for each special one;
 * QUOTES adds " and ' to the special set. */
static apr_status_t out_escaped(apr_bucket_brigade *bb, const char *s, int quotes)
{
    const char *run = s;
    const char *ent;
    apr_status_t rv = APR_SUCCESS;

    for (; *s; s++) {
        switch (*s) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = quotes ? "&quot;" : NULL; break;
        case '\'': ent = quotes ? "&#39;" : NULL; break;
        default: ent = NULL; break;
        }
        if (ent == NULL) {
            continue;
        }
        if (s > run) {
            rv = apr_brigade_write(bb, NULL, NULL, run, (apr_size_t)(s - run));
        }
        if (rv == APR_SUCCESS) {
            rv = apr_brigade_write(bb, NULL, NULL, ent, strlen(ent));
        }
        if (rv != APR_SUCCESS) {
            return rv;
        }
        run = s + 1;
    }
    if (s > run) {
        rv = apr_brigade_write(bb, NULL, NULL, run, (apr_size_t)(s - run));
    }
    return rv;
}

/* Escapes text content. */
apr_status_t bl_out_text(apr_bucket_brigade *bb, const char *s)
{
    return out_escaped(bb, s, 0);
}

/* Escapes an attribute value. */
apr_status_t bl_out_attr(apr_bucket_brigade *bb, const char *s)
{
    return out_escaped(bb, s, 1);
}

/* Escapes into a new string sized for the worst case. */
const char *bl_escape(const char *s, apr_pool_t *p)
{
    apr_size_t n = 0;
    const char *c;
    char *out, *o;

    for (c = s; *c; c++) {
        n += (*c == '&' || *c == '<' || *c == '>' || *c == '"' || *c == '\'') ? 6 : 1;
    }
    out = o = apr_palloc(p, n + 1);
    for (c = s; *c; c++) {
        switch (*c) {
        case '&':
            memcpy(o, "&amp;", 5);
            o += 5;
            break;
        case '<':
            memcpy(o, "&lt;", 4);
            o += 4;
            break;
        case '>':
            memcpy(o, "&gt;", 4);
            o += 4;
            break;
        case '"':
            memcpy(o, "&quot;", 6);
            o += 6;
            break;
        case '\'':
            memcpy(o, "&#39;", 5);
            o += 5;
            break;
        default: *o++ = *c; break;
        }
    }
    *o = '\0';
    return out;
}

/* Flattens into pool memory with a terminating NUL. */
char *bl_out_flatten(apr_bucket_brigade *bb, apr_size_t *len, apr_pool_t *p)
{
    apr_off_t total = 0;
    apr_size_t n;
    char *buf;

    apr_brigade_length(bb, 1, &total);
    n = (apr_size_t)total;
    buf = apr_palloc(p, n + 1);
    apr_brigade_flatten(bb, buf, &n);
    buf[n] = '\0';
    *len = n;
    return buf;
}
