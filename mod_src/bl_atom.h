/* bl_atom.h: the pure pieces of the Atom writer (ids, titles, RFC 5005 paging). */
#ifndef BL_ATOM_H
#define BL_ATOM_H

#include <apr_pools.h>

#include "bl_route.h"

/** Stands in for a missing tag-URI authority (site.xml never parsed), so that
 *  feeds stay well-formed (the value bl_items.c gives site->info.authority then). */
#define BL_ATOM_NO_AUTHORITY "invalid.example,2000"

/** Returns the permanent id of the feed KIND (BL_R_FEED, BL_R_EVENTS_FEED or
 *  BL_R_PRESS_FEED) in LANG: "tag:AUTHORITY:LANG/feed.atom", ".../events/feed.atom",
 *  ".../press/feed.atom", from P (slugs cannot hold a dot, so no entry id clashes); NULL for any other KIND. A NULL or empty AUTHORITY
 *  becomes BL_ATOM_NO_AUTHORITY. */
const char *bl_atom_feed_id(const char *authority, const char *lang, bl_route_kind_t kind,
                            apr_pool_t *p);

/** Returns "SITE · LABEL", or LABEL alone when SITE is NULL or empty, from P
 *  (feed titles and the calendar's name). */
const char *bl_atom_feed_title(const char *site, const char *label, apr_pool_t *p);

/** Returns an item's display title, from P: "DATE: TITLE" when DATE is not NULL,
 *  prefixed with "CANCELLED: " when CANCELLED (the UI string) is not NULL. */
const char *bl_atom_item_title(const char *cancelled, const char *date, const char *title,
                               apr_pool_t *p);

/** Returns URL for page 1 and URL?page=PAGE for a later page, from P. */
const char *bl_atom_page_url(const char *url, int page, apr_pool_t *p);

/** Splits N entries into pages of SIZE (all on one page when SIZE < 1): sets *PAGES
 *  (at least 1, so an empty feed has a page 1) and the entries [*FROM, *TO) of PAGE.
 *  Returns APR_NOTFOUND, leaving *FROM and *TO unset, when PAGE is not in 1..*PAGES. */
apr_status_t bl_atom_page_range(int n, int size, int page, int *pages, int *from, int *to);

#endif
