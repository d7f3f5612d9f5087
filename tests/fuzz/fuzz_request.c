/* fuzz_request.c: libFuzzer target for everything a request brings: Accept-Language,
 * Cookie, the query string and the path.
 *
 * The input is split at newlines into those four strings. Besides not crashing, the
 * core must keep its promises: a negotiated language is one of the configured ones; the
 * query without lang= holds no lang= parameter and is never longer than the query; a
 * feed page is 0..BL_MAX_PAGE_NUMBER; the canonical path of a prefixed route parses
 * back to the same route, and a redirect's target is such a canonical path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

#include "bl_lang.h"
#include "bl_limits.h"
#include "bl_respond.h"
#include "bl_route.h"

static apr_pool_t *pool;
static const bl_langs_t three = { 3, { "es", "en", "pt-BR" } };

/* Fails the run: a broken promise is a bug like a crash. */
#define PROMISE(x) ((x) ? (void)0 : __builtin_trap())

/* Sets up APR once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    return 0;
}

/* Returns the next newline-separated field of *S (NUL-terminated in place). */
static char *field(char **s)
{
    char *f = *s, *nl = *s ? strchr(*s, '\n') : NULL;

    if (nl != NULL) {
        *nl = '\0';
        *s = nl + 1;
    }
    else {
        *s = NULL;
    }
    return f ? f : "";
}

/* Checks the route promises for PATH. */
static void check_route(const char *path)
{
    bl_route_t r, back;
    const char *canon;

    bl_route_parse(path, &three, &r, pool);
    if (r.kind == BL_R_REDIRECT) {
        bl_route_parse(r.target, &three, &back, pool);
        PROMISE(back.kind != BL_R_REDIRECT && back.kind != BL_R_NOTFOUND);
        return;
    }
    if (r.kind == BL_R_NOTFOUND || r.lang < 0) {
        return;
    }
    canon = bl_route_path(&r, &three, r.lang, pool);
    bl_route_parse(canon, &three, &back, pool);
    PROMISE(back.kind == r.kind && back.lang == r.lang && back.item == r.item);
    PROMISE((r.name == NULL) == (back.name == NULL));
    PROMISE(r.name == NULL || strcmp(r.name, back.name) == 0);
}

/* One input: four request strings. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1), *s = buf;
    const char *al, *cookie, *query, *path, *rest;
    int lang, page;

    memcpy(buf, data, size);
    buf[size] = '\0';
    al = field(&s);
    cookie = field(&s);
    query = field(&s);
    path = field(&s);
    lang = bl_lang_negotiate(&three, al);
    PROMISE(lang >= -1 && lang < three.n);
    lang = bl_lang_from_cookie(&three, cookie, "lang");
    PROMISE(lang >= -1 && lang < three.n);
    lang = bl_lang_from_query(&three, query);
    PROMISE(lang >= -1 && lang < three.n);
    rest = bl_lang_query_without(query, pool);
    PROMISE(rest == NULL
            || (strlen(rest) <= strlen(query) && strncmp(rest, "lang=", 5) != 0
                && strstr(rest, "&lang=") == NULL));
    page = bl_respond_page(query);
    PROMISE(page >= 0 && page <= BL_MAX_PAGE_NUMBER);
    (void)bl_lang_tag_valid(al);
    check_route(path);
    apr_pool_clear(pool);
    free(buf);
    return 0;
}
