/* bl_route.h: the URL space of SPEC 2, parsed without touching the file system. */
#ifndef BL_ROUTE_H
#define BL_ROUTE_H

#include <apr_pools.h>

#include "bl_kind.h"
#include "bl_lang.h"

/** What a request path names. */
typedef enum {
    BL_R_NOTFOUND, /* nothing: 404 */
    BL_R_REDIRECT, /* a trailing-slash variant: 301 to route->target */
    BL_R_HOME,     /* /xx/ */
    BL_R_PAGE,     /* /xx/NAME */
    BL_R_LIST,     /* /xx/SEGMENT/: the list of an item kind */
    BL_R_ITEM,     /* /xx/SEGMENT/SLUG */
    BL_R_FEED,     /* /xx/feed.atom (every kind), /xx/SEGMENT/feed.atom (one kind) */
    BL_R_CALENDAR, /* /xx/SEGMENT.ics: the calendar of a ranged kind */
    BL_R_ITEM_CALENDAR, /* /xx/SEGMENT/SLUG.ics: the calendar of one ranged item */
    BL_R_ARCHIVE,  /* /xx/SEGMENT/YYYY/: a year of an item kind */
    BL_R_SITEMAP,  /* /sitemap.xml */
    BL_R_ROBOTS    /* /robots.txt (when DocumentRoot has none) */
} bl_route_kind_t;

/** A parsed request path. */
typedef struct bl_route_t {
    bl_route_kind_t kind;
    int lang;           /* index in the languages; -1 for a language-neutral path */
    int item;           /* the item kind (a bl_kind_t) of a list, an archive, an item, an
                           item's calendar, a one-kind feed or a calendar; -1 otherwise
                           (the feed of every kind) */
    const char *name;   /* NAME or SLUG, or the year YYYY of an archive, else NULL */
    const char *target; /* BL_R_REDIRECT: the canonical path (other kinds: not to be read) */
} bl_route_t;

/** Returns 1 when the LEN bytes at S are a year of an archive: four digits, 1000 to
 *  9999 (a slug of four digits would name the year's archive, so items may not have
 *  one). */
int bl_route_is_year(const char *s, apr_size_t len);

/** Sets ROUTE to KIND in language LANG for item kind ITEM (-1: none) and NAME. */
void bl_route_set(bl_route_t *route, bl_route_kind_t kind, int lang, int item, const char *name);

/** Parses the decoded request PATH against LANGS into ROUTE (strings from P).
 *  Never fails: anything unknown is BL_R_NOTFOUND with the URL's language. */
void bl_route_parse(const char *path, const bl_langs_t *langs, bl_route_t *route, apr_pool_t *p);

/** Returns the canonical path of ROUTE in language LANG (-1: the neutral path),
 *  from P: "/es/events/march", "/events/march". */
const char *bl_route_path(const bl_route_t *route, const bl_langs_t *langs, int lang,
                          apr_pool_t *p);

/** Returns 1 when ROUTE is a feed, a calendar or another response whose ids come from
 *  site.xml (it waits for site.xml to load). */
int bl_route_needs_site(const bl_route_t *route);

#endif
