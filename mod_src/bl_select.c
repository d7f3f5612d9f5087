/* bl_select.c: the language-selection rule of SPEC 3, applied to one element.
 *
 * An element without xml:lang is always kept. For an element with xml:lang, look at
 * its siblings of the same name that carry xml:lang: if one is in the page's
 * language, that language is kept; otherwise the default language is kept when one is
 * in it, else the language of the first of them. Every sibling written in the kept
 * language is kept (so several untranslated paragraphs all stay), and when the kept
 * language is not the page's, the caller marks the element with lang="..." so a
 * screen reader pronounces it right. The scan reads the tree only, so any number of
 * threads may select at once.
 */
#include <string.h>
#include <strings.h>

#include "bl_render.h"
#include "bl_xml.h"

/* Returns 1 when tags A and B are equal ignoring case. */
static int same_lang(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcasecmp(a, b) == 0;
}

/* Returns 1 when element A and B have the same name and namespace. */
static int same_name(xmlNodePtr a, xmlNodePtr b)
{
    if (strcmp((const char *)a->name, (const char *)b->name) != 0) {
        return 0;
    }
    if (a->ns == NULL || b->ns == NULL) {
        return a->ns == b->ns;
    }
    return strcmp((const char *)a->ns->href, (const char *)b->ns->href) == 0;
}

/* Returns the language kept among CHILD's same-name siblings with xml:lang. */
static const char *kept_lang(xmlNodePtr child, const char *lang, const char *deflang)
{
    xmlNodePtr s;
    const char *first = NULL;
    const char *l;
    int has_def = 0;

    for (s = child->parent ? child->parent->children : child; s != NULL; s = s->next) {
        if (s->type != XML_ELEMENT_NODE || !same_name(s, child)) {
            continue;
        }
        l = bl_xml_lang(s);
        if (l == NULL) {
            continue;
        }
        if (same_lang(l, lang)) {
            return lang;
        }
        has_def |= same_lang(l, deflang);
        if (first == NULL) {
            first = l;
        }
    }
    return has_def ? deflang : first;
}

/* Applies the rule to one element. */
int bl_select_keep(xmlNodePtr child, const char *lang, const char *deflang, const char **fallback)
{
    const char *l = bl_xml_lang(child);
    const char *kept;

    *fallback = NULL;
    if (l == NULL) {
        return 1;
    }
    kept = kept_lang(child, lang, deflang);
    if (!same_lang(l, kept)) {
        return 0;
    }
    if (!same_lang(l, lang)) {
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

    if (parent == NULL) {
        return NULL;
    }
    for (c = parent->children; c != NULL; c = c->next) {
        if (bl_xml_is(c, name) && bl_select_keep(c, lang, deflang, &fb)) {
            if (fallback != NULL) {
                *fallback = fb;
            }
            return c;
        }
    }
    return NULL;
}

/* Selects in the context's language against the configured default. */
xmlNodePtr bl_ctx_child(const bl_ctx_t *ctx, xmlNodePtr parent, const char *name,
                        const char **fallback)
{
    return bl_select_child(parent, name, ctx->langs->tag[ctx->lang], ctx->langs->tag[0], fallback);
}
