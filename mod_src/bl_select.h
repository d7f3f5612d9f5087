/* bl_select.h: the language-selection rule of SPEC 3, decided once per sibling group. */
#ifndef BL_SELECT_H
#define BL_SELECT_H

#include <apr_pools.h>
#include <libxml/tree.h>

#include "bl_arena.h"

/** Most languages one group of same-name siblings may be written in. */
#define BL_MAX_GROUP_LANGS 32

/** Groups the xml:lang elements of the tree under ROOT (parsed by bl_xml_parse):
 *  siblings of the same name that carry xml:lang form one group, which records the
 *  languages it is written in. Groups live in ARENA; P lends scratch memory. Linear in
 *  the size of the tree; afterwards each selection costs at most BL_MAX_GROUP_LANGS
 *  compares. Returns APR_SUCCESS, APR_ENOMEM, or APR_EINVAL with *BAD set to the
 *  element that made its group exceed BL_MAX_GROUP_LANGS languages. */
apr_status_t bl_select_index(xmlNodePtr root, bl_arena_t *arena, xmlNodePtr *bad, apr_pool_t *p);

/** Returns 1 when element CHILD is kept in language LANG (default DEFLANG) by the
 *  rule of SPEC 3; *FALLBACK then receives the element's real language when it is kept
 *  in place of a missing translation, else NULL. */
int bl_select_keep(xmlNodePtr child, const char *lang, const char *deflang, const char **fallback);

/** Returns the first child element of PARENT named NAME (no namespace) kept in LANG,
 *  or NULL; when one is found, *FALLBACK as for bl_select_keep (FALLBACK may be NULL);
 *  when none is, *FALLBACK is left as it was. */
xmlNodePtr bl_select_child(xmlNodePtr parent, const char *name, const char *lang,
                           const char *deflang, const char **fallback);

/** Returns 1 when NODE, an element with xml:lang, is the first of its group. */
int bl_select_group_first(xmlNodePtr node);

/** Returns 1 when NODE's group has a member in language TAG (ignoring case). */
int bl_select_group_has(xmlNodePtr node, const char *tag);

#endif
