/* bl_route.c: request paths to routes (SPEC 2).
 *
 * A path is split into at most four segments; the first is a language prefix when it
 * names a configured language exactly. NAME and SLUG must match [a-z0-9][a-z0-9-]*,
 * so nothing else from a URL can ever reach the file system. Trailing-slash variants
 * become BL_R_REDIRECT with the canonical path; the language-neutral forms (no
 * prefix) get lang -1 and the caller negotiates. Everything else is BL_R_NOTFOUND.
 */
#include <string.h>

#include <apr_strings.h>

#include "bl_content.h"
#include "bl_route.h"

#define MAX_SEGS 4

/* Splits PATH at '/' into up to MAX_SEGS segments (copies from P); returns the count,
 * or -1 when there are more or the path is not absolute. *SLASH says whether it
 * ended with '/'. */
static int split(const char *path, char **segs, int *slash, apr_pool_t *p)
{
    char *copy, *s, *next;
    int n = 0;

    if (path == NULL || path[0] != '/' || strlen(path) > 8192) {
        return -1;
    }
    copy = apr_pstrdup(p, path + 1);
    *slash = copy[0] != '\0' && copy[strlen(copy) - 1] == '/';
    for (s = copy; *s; s = next) {
        next = strchr(s, '/');
        if (next != NULL) {
            *next++ = '\0';
        }
        else {
            next = s + strlen(s);
        }
        if (*s == '\0' || n == MAX_SEGS) {
            return -1;
        }
        segs[n++] = s;
    }
    return n;
}

/* Sets ROUTE to KIND with NAME; a wrong slash turns it into a redirect. */
static void set(bl_route_t *route, bl_route_kind_t kind, const char *name, int slash,
                int want_slash)
{
    route->kind = kind;
    route->name = name;
    if (slash != want_slash) {
        route->target = ""; /* filled by the caller, which knows the language */
        route->kind = BL_R_REDIRECT;
        route->name = name;
    }
}

/* Classifies the segments after the language prefix. */
static void classify(char **seg, int n, int slash, bl_route_t *route, bl_route_kind_t *real)
{
    route->kind = BL_R_NOTFOUND;
    *real = BL_R_NOTFOUND;
    if (n == 0) {
        *real = BL_R_HOME;
        set(route, BL_R_HOME, NULL, slash, 1);
    }
    else if (n == 1 && strcmp(seg[0], "feed.atom") == 0) {
        *real = BL_R_FEED;
        set(route, *real, NULL, slash, 0);
    }
    else if (n == 1 && strcmp(seg[0], "events.ics") == 0) {
        *real = BL_R_ICS;
        set(route, *real, NULL, slash, 0);
    }
    else if (n == 1 && (strcmp(seg[0], "events") == 0 || strcmp(seg[0], "press") == 0)) {
        *real = seg[0][0] == 'e' ? BL_R_EVENTS : BL_R_PRESS;
        set(route, *real, NULL, slash, 1);
    }
    else if (n == 1 && bl_name_valid(seg[0], strlen(seg[0]))) {
        *real = strcmp(seg[0], "index") == 0 ? BL_R_HOME : BL_R_PAGE;
        set(route, *real, *real == BL_R_HOME ? NULL : seg[0], slash || *real == BL_R_HOME, 0);
    }
    else if (n == 2 && (strcmp(seg[0], "events") == 0 || strcmp(seg[0], "press") == 0)) {
        int ev = seg[0][0] == 'e';
        if (strcmp(seg[1], "feed.atom") == 0) {
            *real = ev ? BL_R_EVENTS_FEED : BL_R_PRESS_FEED;
            set(route, *real, NULL, slash, 0);
        }
        else if (bl_name_valid(seg[1], strlen(seg[1]))) {
            *real = ev ? BL_R_EVENT : BL_R_RELEASE;
            set(route, *real, seg[1], slash, 0);
        }
    }
}

/* Parses the path: prefix, then the rest. */
void bl_route_parse(const char *path, const bl_langs_t *langs, bl_route_t *route, apr_pool_t *p)
{
    char *seg[MAX_SEGS];
    int n, slash = 0, first = 0;
    bl_route_kind_t real;
    bl_route_t canon;

    memset(route, 0, sizeof(*route));
    route->kind = BL_R_NOTFOUND;
    route->lang = -1;
    n = split(path, seg, &slash, p);
    if (n < 0) {
        return;
    }
    if (n == 1 && strcmp(seg[0], "sitemap.xml") == 0) {
        route->kind = slash ? BL_R_REDIRECT : BL_R_SITEMAP;
        route->target = slash ? "/sitemap.xml" : NULL;
        return;
    }
    if (n >= 1) {
        route->lang = bl_lang_findn(langs, seg[0], strlen(seg[0]));
        if (route->lang >= 0 && strcmp(langs->tag[route->lang], seg[0]) != 0) {
            route->lang = -1; /* "/ES/": only the configured spelling is a prefix */
        }
        first = route->lang >= 0 ? 1 : 0;
    }
    classify(seg + first, n - first, slash, route, &real);
    if (route->kind == BL_R_REDIRECT) {
        if (route->lang < 0) {
            route->kind = real; /* neutral forms redirect by negotiation anyway */
            return;
        }
        canon.kind = real;
        canon.name = route->name;
        route->target = bl_route_path(&canon, langs, route->lang, p);
    }
}

/* Writes the canonical path of a route kind. */
const char *bl_route_path(const bl_route_t *route, const bl_langs_t *langs, int lang, apr_pool_t *p)
{
    const char *pre = lang >= 0 ? apr_pstrcat(p, "/", langs->tag[lang], NULL) : "";

    switch (route->kind) {
    case BL_R_HOME: return apr_pstrcat(p, pre, "/", NULL);
    case BL_R_PAGE: return apr_pstrcat(p, pre, "/", route->name, NULL);
    case BL_R_EVENTS: return apr_pstrcat(p, pre, "/events/", NULL);
    case BL_R_EVENT: return apr_pstrcat(p, pre, "/events/", route->name, NULL);
    case BL_R_PRESS: return apr_pstrcat(p, pre, "/press/", NULL);
    case BL_R_RELEASE: return apr_pstrcat(p, pre, "/press/", route->name, NULL);
    case BL_R_FEED: return apr_pstrcat(p, pre, "/feed.atom", NULL);
    case BL_R_EVENTS_FEED: return apr_pstrcat(p, pre, "/events/feed.atom", NULL);
    case BL_R_PRESS_FEED: return apr_pstrcat(p, pre, "/press/feed.atom", NULL);
    case BL_R_ICS: return apr_pstrcat(p, pre, "/events.ics", NULL);
    case BL_R_SITEMAP: return "/sitemap.xml";
    default: return apr_pstrcat(p, pre, "/", NULL);
    }
}
