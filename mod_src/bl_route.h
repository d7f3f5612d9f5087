/* bl_route.h: the URL space of SPEC 2, parsed without touching the file system. */
#ifndef BL_ROUTE_H
#define BL_ROUTE_H

#include <apr_pools.h>

#include "bl_lang.h"

/** What a request path names. */
typedef enum {
    BL_R_NOTFOUND,    /* nothing: 404 */
    BL_R_REDIRECT,    /* a trailing-slash variant: 301 to route->target */
    BL_R_HOME,        /* /xx/ */
    BL_R_PAGE,        /* /xx/NAME */
    BL_R_EVENTS,      /* /xx/events/ */
    BL_R_EVENT,       /* /xx/events/SLUG */
    BL_R_PRESS,       /* /xx/press/ */
    BL_R_RELEASE,     /* /xx/press/SLUG */
    BL_R_FEED,        /* /xx/feed.atom */
    BL_R_EVENTS_FEED, /* /xx/events/feed.atom */
    BL_R_PRESS_FEED,  /* /xx/press/feed.atom */
    BL_R_ICS,         /* /xx/events.ics */
    BL_R_SITEMAP      /* /sitemap.xml */
} bl_route_kind_t;

/** A parsed request path. */
typedef struct bl_route_t {
    bl_route_kind_t kind;
    int lang;           /* index in the languages; -1 for a language-neutral path */
    const char *name;   /* NAME or SLUG, else NULL */
    const char *target; /* BL_R_REDIRECT: the canonical path */
} bl_route_t;

/** Parses the decoded request PATH against LANGS into ROUTE (strings from P).
 *  Never fails: anything unknown is BL_R_NOTFOUND with the URL's language. */
void bl_route_parse(const char *path, const bl_langs_t *langs, bl_route_t *route, apr_pool_t *p);

/** Returns the canonical path of ROUTE in language LANG (-1: the neutral path),
 *  from P: "/es/events/march", "/events/march". */
const char *bl_route_path(const bl_route_t *route, const bl_langs_t *langs, int lang,
                          apr_pool_t *p);

#endif
