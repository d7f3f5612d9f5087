/* bl_route.c: request paths to routes (SPEC 2).
 *
 * A path is split into at most four segments; the first is a language prefix when it
 * names a configured language exactly. The item kinds' URL segments come from the
 * kinds table. NAME and SLUG must match [a-z0-9][a-z0-9-]*, so nothing else from a URL
 * can ever reach the file system. Trailing-slash variants become BL_R_REDIRECT with the
 * canonical path; the language-neutral forms (no prefix) get lang -1 and the caller
 * negotiates. Everything else is BL_R_NOTFOUND.
 */
#include <assert.h>
#include <string.h>

#include <apr_strings.h>

#include "bl_limits.h"
#include "bl_name.h"
#include "bl_route.h"

#define MAX_SEGS 4

/* Splits PATH at '/' into up to MAX_SEGS segments (copies from P); returns the count,
 * or -1 when there are more or the path is not absolute. *SLASH says whether it
 * ended with '/'. */
static int split(const char *path, char **segs, int *slash, apr_pool_t *p)
{
    char *copy, *s, *next;
    int n = 0;

    if (path == NULL || path[0] != '/' || strlen(path) > BL_MAX_PATH) {
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

/* Four digits, the first not 0. */
int bl_route_is_year(const char *s, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
    }
    return len == 4 && s[0] != '0';
}

/* Returns 1 when SEG is "SLUG.ics" with a valid slug and K is a ranged kind; the slug
 * goes to *SLUG, from P. */
static int item_calendar(const bl_kind_info_t *k, const char *seg, const char **slug,
                         apr_pool_t *p)
{
    apr_size_t n = strlen(seg);

    if (!k->ranged || n < 5 || strcmp(seg + n - 4, ".ics") != 0 || !bl_name_valid(seg, n - 4)
        || bl_route_is_year(seg, n - 4)) {
        return 0;
    }
    *slug = apr_pstrndup(p, seg, n - 4);
    return 1;
}

/* Fills every field of ROUTE. */
void bl_route_set(bl_route_t *route, bl_route_kind_t kind, int lang, int item, const char *name)
{
    route->kind = kind;
    route->lang = lang;
    route->item = item;
    route->name = name;
    route->target = NULL;
}

/* Sets ROUTE to KIND (item kind ITEM, NAME); a wrong slash turns it into a redirect
 * whose target the caller fills. */
static void set(bl_route_t *route, bl_route_kind_t kind, int item, const char *name, int slash,
                int want_slash)
{
    bl_route_set(route, kind, route->lang, item, name);
    if (slash != want_slash) {
        route->target = "";
        route->kind = BL_R_REDIRECT;
    }
}

/* Returns the ranged item kind whose calendar SEG names ("events.ics"), or NULL. */
static const bl_kind_info_t *calendar_of(const char *seg)
{
    apr_size_t n = strlen(seg);
    const bl_kind_info_t *k;

    if (n < 5 || strcmp(seg + n - 4, ".ics") != 0) {
        return NULL;
    }
    k = bl_kind_by_segment(seg, n - 4);
    return k && k->ranged ? k : NULL;
}

/* Classifies one segment after the language prefix. */
static void classify_one(const char *seg, int slash, bl_route_t *route)
{
    const bl_kind_info_t *k;

    if (strcmp(seg, "feed.atom") == 0) {
        set(route, BL_R_FEED, -1, NULL, slash, 0);
    }
    else if ((k = calendar_of(seg)) != NULL) {
        set(route, BL_R_CALENDAR, k->kind, NULL, slash, 0);
    }
    else if ((k = bl_kind_by_segment(seg, strlen(seg))) != NULL) {
        set(route, BL_R_LIST, k->kind, NULL, slash, 1);
    }
    else if (strcmp(seg, "index") == 0) {
        set(route, BL_R_HOME, -1, NULL, 1, 0); /* one address for the home page */
    }
    else if (bl_name_valid(seg, strlen(seg))) {
        set(route, BL_R_PAGE, -1, seg, slash, 0);
    }
}

/* Classifies the segments after the language prefix. */
static void classify_rest(char **seg, int n, int slash, bl_route_t *route, apr_pool_t *p)
{
    const bl_kind_info_t *k;
    const char *slug;

    route->kind = BL_R_NOTFOUND;
    if (n == 0) {
        set(route, BL_R_HOME, -1, NULL, slash, 1);
    }
    else if (n == 1) {
        classify_one(seg[0], slash, route);
    }
    else if (n == 2 && (k = bl_kind_by_segment(seg[0], strlen(seg[0]))) != NULL) {
        if (strcmp(seg[1], "feed.atom") == 0) {
            set(route, BL_R_FEED, k->kind, NULL, slash, 0);
        }
        else if (bl_route_is_year(seg[1], strlen(seg[1]))) {
            set(route, BL_R_ARCHIVE, k->kind, seg[1], slash, 1);
        }
        else if (item_calendar(k, seg[1], &slug, p)) {
            set(route, BL_R_ITEM_CALENDAR, k->kind, slug, slash, 0);
        }
        else if (bl_name_valid(seg[1], strlen(seg[1]))) {
            set(route, BL_R_ITEM, k->kind, seg[1], slash, 0);
        }
    }
}

/* Parses the path: the sitemap, else the prefix, then the rest. */
void bl_route_parse(const char *path, const bl_langs_t *langs, bl_route_t *route, apr_pool_t *p)
{
    char *seg[MAX_SEGS];
    int n, slash = 0, first = 0;
    bl_route_t canon;

    bl_route_set(route, BL_R_NOTFOUND, -1, -1, NULL);
    n = split(path, seg, &slash, p);
    if (n < 0) {
        return;
    }
    if (n == 1 && strcmp(seg[0], "sitemap.xml") == 0) {
        route->kind = slash ? BL_R_REDIRECT : BL_R_SITEMAP;
        route->target = slash ? "/sitemap.xml" : NULL;
        return;
    }
    if (n == 1 && !slash && strcmp(seg[0], "robots.txt") == 0) {
        route->kind = BL_R_ROBOTS;
        return;
    }
    if (n >= 1) {
        route->lang = bl_lang_findn(langs, seg[0], strlen(seg[0]));
        if (route->lang >= 0 && strcmp(langs->tag[route->lang], seg[0]) != 0) {
            route->lang = -1; /* "/ES/": only the configured spelling is a prefix */
        }
        first = route->lang >= 0 ? 1 : 0;
    }
    classify_rest(seg + first, n - first, slash, route, p);
    if (route->kind != BL_R_REDIRECT) {
        return;
    }
    canon = *route;
    classify_rest(seg + first, n - first, !slash, &canon, p); /* the form with the slash it wants */
    if (canon.kind == BL_R_REDIRECT) {
        canon.kind = BL_R_HOME; /* only "index" redirects either way: to the home page */
    }
    if (route->lang < 0) {
        *route = canon; /* neutral forms redirect by negotiation anyway */
        return;
    }
    route->target = bl_route_path(&canon, langs, route->lang, p);
}

/* Writes the canonical path of a route. */
const char *bl_route_path(const bl_route_t *route, const bl_langs_t *langs, int lang, apr_pool_t *p)
{
    const char *pre, *seg;

    assert(lang < langs->n);
    pre = lang >= 0 ? apr_pstrcat(p, "/", langs->tag[lang], NULL) : "";
    seg = route->item >= 0 ? bl_kind(route->item)->segment : NULL;

    switch (route->kind) {
    case BL_R_HOME: return apr_pstrcat(p, pre, "/", NULL);
    case BL_R_PAGE: return apr_pstrcat(p, pre, "/", route->name, NULL);
    case BL_R_LIST: return apr_pstrcat(p, pre, "/", seg, "/", NULL);
    case BL_R_ITEM: return apr_pstrcat(p, pre, "/", seg, "/", route->name, NULL);
    case BL_R_FEED:
        return seg ? apr_pstrcat(p, pre, "/", seg, "/feed.atom", NULL)
                   : apr_pstrcat(p, pre, "/feed.atom", NULL);
    case BL_R_CALENDAR: return apr_pstrcat(p, pre, "/", seg, ".ics", NULL);
    case BL_R_ITEM_CALENDAR: return apr_pstrcat(p, pre, "/", seg, "/", route->name, ".ics", NULL);
    case BL_R_ARCHIVE: return apr_pstrcat(p, pre, "/", seg, "/", route->name, "/", NULL);
    case BL_R_SITEMAP: return "/sitemap.xml";
    case BL_R_ROBOTS: return "/robots.txt";
    default: return apr_pstrcat(p, pre, "/", NULL);
    }
}

/* Feeds and calendars carry ids made from site.xml's tag authority. */
int bl_route_needs_site(const bl_route_t *route)
{
    return route->kind == BL_R_FEED || route->kind == BL_R_CALENDAR
           || route->kind == BL_R_ITEM_CALENDAR;
}
