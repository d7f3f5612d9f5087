/* bl_select.c: the language-selection rule of SPEC 3, decided once per sibling group.
 *
 * An element without xml:lang is always kept. Siblings of the same name that carry
 * xml:lang form a group; when one of them is in the page's language, that language is
 * kept; otherwise the default language when the group has it, else the language of
 * the group's first member. Every member written in the kept language is kept (so
 * several untranslated paragraphs all stay), and when the kept language is not the
 * page's, the caller marks the element with lang="..." so a screen reader pronounces
 * it right. bl_select_index() builds the groups once, when a file loads, and hangs
 * each member's group on its bl_xml_info_t; a selection then asks its group, in
 * time bounded by BL_MAX_GROUP_LANGS, instead of scanning the siblings (which made
 * a page of N siblings cost N squared); a group in more languages than that is a
 * content error. Trees are only read afterwards, so any number of threads may select
 * at once. A tree that was never indexed (a unit test's) falls back to scanning.
 */
#include <string.h>
#include <strings.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "bl_select.h"
#include "bl_xml.h"

/** One group of same-name siblings with xml:lang. */
typedef struct group_t {
    xmlNodePtr first;
    const char *first_lang;
    int n;              /* distinct languages, at most BL_MAX_GROUP_LANGS */
    const char **langs; /* as written, in the order they first appear */
    int cap;
} group_t;

/** The state of one indexing walk. */
typedef struct index_t {
    bl_arena_t *arena;
    apr_pool_t *scratch;
    xmlNodePtr *bad; /* where the first group with too many languages is found */
} index_t;

/* Returns 1 when group G has a member in TAG: at most BL_MAX_GROUP_LANGS compares. */
static int group_has(const group_t *g, const char *tag)
{
    int i;

    for (i = 0; i < g->n; i++) {
        if (strcasecmp(g->langs[i], tag) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Adds language TAG to group G (once); returns APR_EINVAL past BL_MAX_GROUP_LANGS. */
static apr_status_t group_add(group_t *g, const char *tag, bl_arena_t *arena)
{
    const char **grown;

    if (group_has(g, tag)) {
        return APR_SUCCESS;
    }
    if (g->n == BL_MAX_GROUP_LANGS) {
        return APR_EINVAL;
    }
    if (g->n == g->cap) {
        grown = bl_arena_alloc(arena, sizeof(*grown) * (apr_size_t)(g->cap ? g->cap * 2 : 2));
        if (grown == NULL) {
            return APR_ENOMEM;
        }
        if (g->n > 0) {
            memcpy(grown, g->langs, sizeof(*grown) * (apr_size_t)g->n);
        }
        g->langs = grown;
        g->cap = g->cap ? g->cap * 2 : 2;
    }
    g->langs[g->n++] = tag;
    return APR_SUCCESS;
}

/* Returns the group of element C among its siblings, from the hash BYNAME (made in
 * the scratch pool when NULL), creating it in the arena. */
static group_t *group_for(index_t *ix, apr_hash_t **byname, xmlNodePtr c, const char *lang)
{
    const char *key;
    group_t *g;

    if (*byname == NULL) {
        *byname = apr_hash_make(ix->scratch);
    }
    key = apr_pstrcat(ix->scratch, c->ns && c->ns->href ? (const char *)c->ns->href : "", " ",
                      (const char *)c->name, NULL);
    g = apr_hash_get(*byname, key, APR_HASH_KEY_STRING);
    if (g == NULL) {
        g = bl_arena_alloc(ix->arena, sizeof(*g));
        if (g == NULL) {
            return NULL;
        }
        g->first = c;
        g->first_lang = lang;
        apr_hash_set(*byname, key, APR_HASH_KEY_STRING, g);
    }
    return g;
}

/* Groups the xml:lang children of PARENT (names looked up in a hash from the scratch
 * pool, cleared afterwards), then recurses into every element child. */
static apr_status_t index_children(index_t *ix, xmlNodePtr parent)
{
    apr_hash_t *byname = NULL;
    bl_xml_info_t *info;
    xmlNodePtr c;
    const char *l;
    group_t *g;
    apr_status_t rv = APR_SUCCESS;

    for (c = parent->children; c != NULL && rv == APR_SUCCESS; c = c->next) {
        l = bl_xml_lang(c);
        info = bl_xml_info(c);
        if (l == NULL || info == NULL) {
            continue;
        }
        g = group_for(ix, &byname, c, l);
        rv = g != NULL ? group_add(g, l, ix->arena) : APR_ENOMEM;
        if (rv == APR_EINVAL) {
            *ix->bad = c;
        }
        info->ext = g;
    }
    apr_pool_clear(ix->scratch);
    for (c = parent->children; c != NULL && rv == APR_SUCCESS; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && c->children != NULL) {
            rv = index_children(ix, c);
        }
    }
    return rv;
}

/* Indexes with one scratch pool for the whole walk. */
apr_status_t bl_select_index(xmlNodePtr root, bl_arena_t *arena, xmlNodePtr *bad, apr_pool_t *p)
{
    index_t ix;
    apr_status_t rv;

    *bad = NULL;
    if (root == NULL) {
        return APR_SUCCESS;
    }
    ix.arena = arena;
    ix.bad = bad;
    rv = apr_pool_create(&ix.scratch, p);
    if (rv == APR_SUCCESS) {
        rv = index_children(&ix, root);
        apr_pool_destroy(ix.scratch);
    }
    return rv;
}

/* Returns the group of NODE, or NULL when its tree was never indexed. */
static const group_t *group_of(xmlNodePtr node)
{
    const bl_xml_info_t *info = bl_xml_info(node);

    return info != NULL ? info->ext : NULL;
}

/* Returns the kept language of CHILD's same-name siblings by scanning them: the
 * fallback for trees that were never indexed. */
static const char *scan_kept(xmlNodePtr child, const char *lang, const char *deflang)
{
    xmlNodePtr s;
    const char *first = NULL, *l;
    int has_def = 0;

    for (s = child->parent ? child->parent->children : child; s != NULL; s = s->next) {
        l = s->type == XML_ELEMENT_NODE && bl_xml_same_name(s, child) ? bl_xml_lang(s) : NULL;
        if (l == NULL) {
            continue;
        }
        if (strcasecmp(l, lang) == 0) {
            return lang;
        }
        has_def |= strcasecmp(l, deflang) == 0;
        first = first ? first : l;
    }
    return has_def ? deflang : first;
}

/* Applies the rule to one element, asking its group. */
int bl_select_keep(xmlNodePtr child, const char *lang, const char *deflang, const char **fallback)
{
    const char *l = bl_xml_lang(child);
    const group_t *g;
    const char *kept;

    *fallback = NULL;
    if (l == NULL) {
        return 1;
    }
    g = group_of(child);
    if (g == NULL) {
        kept = scan_kept(child, lang, deflang);
    }
    else {
        kept = group_has(g, lang) ? lang : group_has(g, deflang) ? deflang : g->first_lang;
    }
    if (strcasecmp(l, kept) != 0) {
        return 0;
    }
    if (strcasecmp(l, lang) != 0) {
        *fallback = l;
    }
    return 1;
}

/* Scans PARENT's element children for the first kept one named NAME. */
xmlNodePtr bl_select_child(xmlNodePtr parent, const char *name, const char *lang,
                           const char *deflang, const char **fallback)
{
    xmlNodePtr c;
    const char *fb = NULL;

    for (c = parent ? parent->children : NULL; c != NULL; c = c->next) {
        if (bl_xml_is(c, name) && bl_select_keep(c, lang, deflang, &fb)) {
            if (fallback != NULL) {
                *fallback = fb;
            }
            return c;
        }
    }
    return NULL;
}

/* Compares with the group's first member. */
int bl_select_group_first(xmlNodePtr node)
{
    const group_t *g = group_of(node);

    return g != NULL && g->first == node;
}

/* Asks the group. */
int bl_select_group_has(xmlNodePtr node, const char *tag)
{
    const group_t *g = group_of(node);

    return g != NULL && group_has(g, tag);
}
