/* bl_atom.h: the Atom writer (RFC 4287), paged by RFC 5005. */
#ifndef BL_ATOM_H
#define BL_ATOM_H

#include "bl_ctx.h"
#include "bl_out.h"

/** Returns the permanent id of the feed of item kind ITEM (-1: every kind) in LANG:
 *  "tag:AUTHORITY:LANG/feed.atom" or "tag:AUTHORITY:LANG/SEGMENT/feed.atom", from P
 *  (slugs cannot hold a dot, so no entry id clashes). A NULL or empty AUTHORITY
 *  becomes BL_NO_AUTHORITY. */
const char *bl_atom_feed_id(const char *authority, const char *lang, int item, apr_pool_t *p);

/** Returns URL for page 1 and URL?page=PAGE for a later page, from P. */
const char *bl_atom_page_url(const char *url, int page, apr_pool_t *p);

/** Splits N entries into pages of SIZE (all on one page when SIZE < 1): sets *PAGES
 *  (at least 1, so an empty feed has a page 1) and the entries [*FROM, *TO) of PAGE.
 *  Returns APR_NOTFOUND, leaving *FROM and *TO unset, when PAGE is not in 1..*PAGES. */
apr_status_t bl_atom_page_range(int n, int size, int page, int *pages, int *from, int *to);

/** Returns the number of entries of the feed of item kind ITEM (-1: every kind). */
int bl_atom_count(const bl_ctx_t *ctx, int item);

/** Writes page PAGE (1-based) of the feed of item kind ITEM (-1: every kind) into OUT.
 *  Returns APR_NOTFOUND when PAGE is past the last page, else the buffer's status. */
apr_status_t bl_atom_write(const bl_ctx_t *ctx, int item, int page, bl_out_t *out);

#endif
