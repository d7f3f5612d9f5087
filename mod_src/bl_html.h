/* bl_html.h: the HTML writer's state, shared by bl_html.c and bl_render.c. */
#ifndef BL_HTML_H
#define BL_HTML_H

#include "bl_render.h"

#define BL_MAX_INCLUDE_DEPTH 16

struct bl_view_t;

/** The state of writing one tree as HTML. */
typedef struct bl_hw_t {
    const bl_ctx_t *ctx;
    apr_bucket_brigade *bb;
    const char *base_path;                   /* relative links resolve against this path */
    int absolute;                            /* write links as absolute URLs (feeds) */
    const struct bl_view_t *view;            /* what the layout's inserts write; NULL in bodies */
    const char *stack[BL_MAX_INCLUDE_DEPTH]; /* fragments being included */
    int depth;
    int in_title; /* inside <title>: inserts write plain text */
    apr_status_t rv;
} bl_hw_t;

/** Writes the language-selected children of NODE. */
void bl_hw_children(bl_hw_t *w, xmlNodePtr node);

/** Writes the language-selected children of NODE without its leading and trailing
 *  white space: a fragment's root, a page's or item's body. */
void bl_hw_content(bl_hw_t *w, xmlNodePtr node);

/** Writes an element NODE kept with fallback language FALLBACK (may be NULL). */
void bl_hw_element(bl_hw_t *w, xmlNodePtr node, const char *fallback);

/** Writes S to the output as is. */
void bl_hw_puts(bl_hw_t *w, const char *s);

/** Writes S escaped as text. */
void bl_hw_text(bl_hw_t *w, const char *s);

/** Writes S escaped as an attribute value. */
void bl_hw_attr(bl_hw_t *w, const char *s);

/** Returns REF resolved against BASE_PATH: an absolute path, or an absolute URL
 *  when ABSOLUTE (then BASE is prepended); URLs with a scheme are kept. From P. */
const char *bl_url_resolve(const char *ref, const char *base_path, const char *base, int absolute,
                           apr_pool_t *p);

/** Hooks for control elements, provided by bl_render.c. */
void bl_render_insert(bl_hw_t *w, xmlNodePtr node, const char *name);
void bl_render_list(bl_hw_t *w, xmlNodePtr node);

#endif
