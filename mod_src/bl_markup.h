/* bl_markup.h: content trees written out as HTML5 in the context's language. */
#ifndef BL_MARKUP_H
#define BL_MARKUP_H

#include "bl_ctx.h"
#include "bl_limits.h"
#include "bl_out.h"

typedef struct bl_markup_t bl_markup_t;

/** Answers a control element (an <insert/> or a <list/>) met in the tree. */
typedef void bl_markup_hook(bl_markup_t *m, xmlNodePtr node);

/** The state of writing one tree as HTML. */
struct bl_markup_t {
    const bl_ctx_t *ctx;
    bl_out_t *out;
    const char *base_path;     /* relative links resolve against this path */
    int absolute;              /* write links as absolute URLs (feeds) */
    const char *self;          /* when set, "#id" links resolve against this address, not
                                  BASE_PATH: the 404 page's (the escaped path asked for,
                                  with its query) or a later list page's (?page=N) */
    bl_markup_hook *on_insert; /* <insert/>; NULL: written as nothing */
    bl_markup_hook *on_list;   /* <list/>; NULL: written as nothing */
    void *data;                /* the hooks' own state */
    int note_includes;         /* note the time each included fragment changed */
    int in_title;              /* inside <title>: hooks write plain text */
    int depth;                 /* fragments being included */
    const char *stack[BL_MAX_INCLUDE_DEPTH];
};

/** Starts M writing for CTX into OUT, resolving links against BASE_PATH (as absolute
 *  URLs when ABSOLUTE), with no hooks. */
void bl_markup_init(bl_markup_t *m, const bl_ctx_t *ctx, bl_out_t *out, const char *base_path,
                    int absolute);

/** Writes the language-selected children of NODE. */
void bl_markup_children(bl_markup_t *m, xmlNodePtr node);

/** Writes the language-selected children of NODE without its leading and trailing
 *  white space: a fragment's root, a page's or item's body. */
void bl_markup_content(bl_markup_t *m, xmlNodePtr node);

/** Returns the kept content of NODE as an HTML string with absolute URLs resolved
 *  against BASE_PATH (for feeds), from the context's pool; "" when it cannot be made. */
const char *bl_markup_string(const bl_ctx_t *ctx, xmlNodePtr node, const char *base_path);

/** Returns REF resolved against BASE_PATH: an absolute path, or an absolute URL
 *  when ABSOLUTE (then BASE is prepended); URLs with a scheme are kept. From P. */
const char *bl_url_resolve(const char *ref, const char *base_path, const char *base, int absolute,
                           apr_pool_t *p);

#endif
